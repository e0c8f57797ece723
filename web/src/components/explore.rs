//! "What could go wrong from here?" (in Learn): the model checker's depth,
//! Explore and Stop, its progress while it runs, and what it found.

use yew::prelude::*;

use super::panel::use_number_field;

use crate::i18n::{tr, Lang};
use crate::view_model::explore::{ExploreDraw, ExploreMsg, MAX_DEPTH};
use crate::view_model::Msg;

#[derive(Properties, PartialEq)]
pub struct ExploreProps {
    pub draw: ExploreDraw,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn ExplorePanel(p: &ExploreProps) -> Html {
    let (d, lang, dispatch) = (&p.draw, p.lang, &p.dispatch);
    let (depth_ref, on_depth) = {
        let dispatch = dispatch.clone();
        use_number_field(u64::from(d.depth), 1..=u64::from(MAX_DEPTH), move |n| {
            let depth = u32::try_from(n).unwrap_or(MAX_DEPTH);
            dispatch.emit(Msg::Explore(ExploreMsg::SetDepth(depth)))
        })
    };
    html! {
        <section class="explore" data-testid="explore-panel" aria-label={tr(lang, "explore.title")}>
            <h3>{ tr(lang, "explore.title") }</h3>
            <p class="hint">{ tr(lang, "explore.intro") }</p>
            <p class="explore-row">
                <label class="threshold">
                    <span>{ tr(lang, "explore.depth") }</span>
                    <input type="number" data-testid="explore-depth" min="1" max={MAX_DEPTH.to_string()} step="1"
                        ref={depth_ref} onchange={on_depth} disabled={d.running} />
                </label>
                if d.running {
                    <button data-testid="explore-stop" onclick={dispatch.reform(|_| Msg::Explore(ExploreMsg::Stop))}>
                        { tr(lang, "explore.stop") }
                    </button>
                    // Not a live region: it changes every frame (the activity list says how it ended).
                    <span class="explore-progress" data-testid="explore-progress">{ &d.progress_text }</span>
                } else {
                    <button data-testid="explore" onclick={dispatch.reform(|_| Msg::Explore(ExploreMsg::Start))}>
                        { tr(lang, "explore.start") }
                    </button>
                }
            </p>
            if let Some(outcome) = d.outcome {
                <p class={classes!("explore-result", outcome)} data-testid="explore-result"
                    data-outcome={outcome} data-states={d.states.to_string()} data-depth={d.reached.to_string()}>
                    { &d.text }
                </p>
            }
        </section>
    }
}

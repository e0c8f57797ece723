//! Break a rule (in Learn): the bug switch, its prepared scenario, and the
//! hunt for the violation it causes, drawn from [`HuntDraw`].

use raft_sim::Bug;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::view_model::bug_hunt::{bug_title, HuntDraw, HuntMsg};
use crate::view_model::Msg;

#[derive(Properties, PartialEq)]
pub struct BugHuntProps {
    pub draw: HuntDraw,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn BugHunt(p: &BugHuntProps) -> Html {
    let (d, lang, dispatch) = (&p.draw, p.lang, &p.dispatch);
    let on_bug = dispatch.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::Hunt(HuntMsg::SetBug(Bug::parse(&v)))
    });
    let hunting = d.progress.is_some();
    html! {
        <section class="bug-hunt" data-testid="bug-hunt" aria-label={tr(lang, "hunt.title")}>
            <h3>{ tr(lang, "hunt.title") }</h3>
            <p class="hint">{ tr(lang, "hunt.intro") }</p>
            <label class="bug-row">
                <span>{ tr(lang, "hunt.bug") }</span>
                <select data-testid="bug-select" onchange={on_bug} disabled={hunting}>
                    <option value="none" selected={d.bug.is_none()}>{ tr(lang, "hunt.no_bug") }</option>
                    { for Bug::ALL.iter().map(|&b| html! {
                        <option key={b.name()} value={b.name()} selected={d.bug == Some(b)}>{ bug_title(b, lang) }</option>
                    }) }
                </select>
            </label>
            <p class="bug-actions">
                if let Some(bug) = d.bug {
                    <button data-testid="bug-scenario" title={tr(lang, "hunt.load_title")} disabled={hunting}
                        onclick={dispatch.reform(move |_| Msg::Hunt(HuntMsg::LoadScenario(bug)))}>
                        { tr(lang, "hunt.load_scenario") }
                    </button>
                }
                if hunting {
                    <button data-testid="hunt-stop" onclick={dispatch.reform(|_| Msg::Hunt(HuntMsg::Stop))}>
                        { tr(lang, "hunt.stop") }
                    </button>
                } else {
                    <button data-testid="find-violation" title={tr(lang, "hunt.find_title")}
                        onclick={dispatch.reform(|_| Msg::Hunt(HuntMsg::Find))}>
                        { tr(lang, "hunt.find") }
                    </button>
                }
            </p>
            if let Some((done, total)) = d.progress {
                <p class="hunt-progress" role="status">
                    <progress data-testid="hunt-progress" data-us={done.to_string()}
                        max={total.to_string()} value={done.to_string()} />
                    <span>{ &d.progress_text }</span>
                </p>
            }
            if let Some(r) = &d.result {
                <div class={classes!("hunt-result", r.state)} data-testid="hunt-result" data-state={r.state}
                    data-property={r.property.clone()} role="status">
                    <p>{ &r.text }</p>
                    if r.before_us.is_some() {
                        <button data-testid="rewind-before" onclick={dispatch.reform(|_| Msg::Hunt(HuntMsg::RewindBefore))}>
                            { tr(lang, "hunt.rewind") }
                        </button>
                    }
                </div>
            }
        </section>
    }
}

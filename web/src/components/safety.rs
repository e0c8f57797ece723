//! The safety panel (in Learn): Figure 3's five properties, held or violated,
//! a violated one a button that goes to the moment it was broken; and the
//! client history's linearizability, with the offending operations.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::view_model::safety::SafetyDraw;
use crate::view_model::Msg;

#[derive(Properties, PartialEq)]
pub struct SafetyPanelProps {
    pub draw: Rc<SafetyDraw>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn SafetyPanel(p: &SafetyPanelProps) -> Html {
    let (d, lang) = (&p.draw, p.lang);
    html! {
        <section class="safety" data-testid="safety" aria-label={tr(lang, "safety.title")}>
            <h3>{ tr(lang, "safety.title") }</h3>
            <p class="hint">{ tr(lang, "safety.intro") }</p>
            <ul class="safety-list">
                { for d.properties.iter().map(|prop| {
                    let head = html! {
                        <>
                            <span class="safety-name">{ prop.title }</span>
                            <span class="safety-section">{ prop.section }</span>
                        </>
                    };
                    html! {
                        <li key={prop.name.clone()} data-testid="safety-property" data-property={prop.name.clone()}
                            data-state={prop.state()} class={classes!("safety-property", prop.state())}
                            title={prop.rule}>
                            {
                                match (prop.violated_at, &prop.when) {
                                    (Some(t), Some(when)) => html! {
                                        <button class="safety-jump" data-testid="safety-jump"
                                            title={tr(lang, "safety.scrub_title")}
                                            onclick={p.dispatch.reform(move |_| Msg::Scrub(t))}>
                                            { head }
                                            <span class="safety-state">{ when }</span>
                                        </button>
                                    },
                                    _ => html! {
                                        <>
                                            { head }
                                            <span class="safety-state">{ tr(lang, "safety.held") }</span>
                                        </>
                                    },
                                }
                            }
                        </li>
                    }
                }) }
            </ul>
            <p class={classes!("lin-verdict", d.lin.name)} data-testid="lin-verdict" data-linearizable={d.lin.name}>
                <span class="safety-name">{ tr(lang, "safety.lin.label") }</span>{ " " }
                <span class="safety-state">{ &d.lin.text }</span>
            </p>
            if !d.lin.ops.is_empty() {
                <ol class="lin-ops" data-testid="lin-ops">
                    { for d.lin.ops.iter().map(|op| html! { <li data-testid="lin-op">{ op }</li> }) }
                </ol>
            }
        </section>
    }
}

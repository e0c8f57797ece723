//! The guided tour's caption box and its start button.

use yew::prelude::*;

use crate::view_model::tour::TourCaption;
use crate::view_model::Msg;

#[derive(Properties, PartialEq)]
pub struct TourBoxProps {
    pub caption: Option<TourCaption>,
    pub dispatch: Callback<Msg>,
}

/// The caption while the tour runs; otherwise a button that starts it.
#[component]
pub fn TourBox(p: &TourBoxProps) -> Html {
    let d = &p.dispatch;
    match &p.caption {
        None => html! {
            <p class="tour-offer">
                <button data-testid="tour-start" onclick={d.reform(|_| Msg::StartTour)}>
                    { "\u{25b6} Take the tour" }
                </button>
                { " an election, a commit and a log repair, explained as they happen (about a minute)" }
            </p>
        },
        Some(c) => html! {
            <section class="tour" data-testid="tour" data-chapter={c.chapter.to_string()}
                aria-label="Guided tour" aria-live="polite">
                <h2>{ format!("{}/{} \u{b7} {}", c.chapter, c.of, c.title) }</h2>
                <p>{ c.text.clone() }</p>
                <div class="tour-buttons">
                    <button data-testid="tour-restart" onclick={d.reform(|_| Msg::StartTour)}>{ "Start again" }</button>
                    <button data-testid="tour-close" onclick={d.reform(|_| Msg::DismissTour)}>{ "Close" }</button>
                </div>
            </section>
        },
    }
}

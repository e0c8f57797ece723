//! The guided tour's caption box and its start button.

use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::view_model::tour::TourCaption;
use crate::view_model::Msg;

#[derive(Properties, PartialEq)]
pub struct TourBoxProps {
    pub caption: Option<TourCaption>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

/// The caption while the tour runs; otherwise a button that starts it.
#[component]
pub fn TourBox(p: &TourBoxProps) -> Html {
    let (d, lang) = (&p.dispatch, p.lang);
    match &p.caption {
        None => html! {
            <p class="tour-offer">
                <button data-testid="tour-start" onclick={d.reform(|_| Msg::StartTour)}>
                    { tr(lang, "page.tour.start") }
                </button>
                { tr(lang, "page.tour.offer") }
            </p>
        },
        Some(c) => html! {
            <section class="tour" data-testid="tour" data-chapter={c.chapter.to_string()}
                aria-label={tr(lang, "page.tour.label")} aria-live="polite">
                <h2>{ format!("{}/{} \u{b7} {}", c.chapter, c.of, c.title) }</h2>
                <p>{ c.text.clone() }</p>
                <div class="tour-buttons">
                    <button data-testid="tour-restart" onclick={d.reform(|_| Msg::StartTour)}>{ tr(lang, "page.tour.restart") }</button>
                    <button data-testid="tour-close" onclick={d.reform(|_| Msg::DismissTour)}>{ tr(lang, "page.close") }</button>
                </div>
            </section>
        },
    }
}

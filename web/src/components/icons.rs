//! Icons as inline SVG (no icon font, nothing to download). Each is drawn in
//! `currentColor`, hidden from screen readers: the button it sits in has a
//! text label or an `aria-label`.

use yew::prelude::*;

/// The icons the page uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Play,
    Pause,
    Step,
    Tick,
    Reset,
    Share,
    Sun,
    Moon,
    Key,
    Close,
    Help,
}

/// The icon, 16x16 in a 16-unit box.
pub fn icon(which: Icon) -> Html {
    let body = match which {
        Icon::Play => html! { <path d="M4 2.5v11l9-5.5z" fill="currentColor" /> },
        Icon::Pause => html! { <path d="M4 2.5h3v11H4zM9 2.5h3v11H9z" fill="currentColor" /> },
        Icon::Step => html! { <path d="M3 2.5v11l7-5.5zM11 2.5h2v11h-2z" fill="currentColor" /> },
        Icon::Tick => html! {
            <g fill="none" stroke="currentColor" stroke-width="1.6">
                <circle cx="8" cy="8.5" r="5.5" />
                <path d="M8 5.5v3l2 1.5M6.5 1.5h3" stroke-linecap="round" />
            </g>
        },
        Icon::Reset => html! {
            <path d="M3.5 8a4.5 4.5 0 1 0 1.3-3.2M3.5 2.5v2.8h2.8" fill="none" stroke="currentColor"
                stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" />
        },
        Icon::Share => html! {
            <path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8"
                fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
        },
        Icon::Sun => html! {
            <g fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round">
                <circle cx="8" cy="8" r="3" />
                <path d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6L13 13M3 13l1.4-1.4M11.6 4.4L13 3" />
            </g>
        },
        Icon::Moon => {
            html! { <path d="M11 10.5A5.5 5.5 0 0 1 5.5 3a5.5 5.5 0 1 0 7.5 7.2 5.5 5.5 0 0 1-2 .3z" fill="currentColor" /> }
        }
        Icon::Key => html! {
            <g fill="none" stroke="currentColor" stroke-width="1.5">
                <rect x="2" y="2.5" width="12" height="11" rx="1.5" />
                <path d="M4.5 6h2M4.5 9h2M8.5 6h3M8.5 9h3" stroke-linecap="round" />
            </g>
        },
        Icon::Close => {
            html! { <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" /> }
        }
        Icon::Help => html! {
            <g fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round">
                <path d="M6 6a2 2 0 1 1 2.8 1.8c-.6.3-.8.7-.8 1.2v.5" />
                <circle cx="8" cy="12.2" r=".3" fill="currentColor" />
            </g>
        },
    };
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">{ body }</svg>
    }
}

//! The transport bar, like a media player's: play/pause, step, tick, speed,
//! the time scrubber, reset and share.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::icons::{icon, Icon};
use crate::i18n::{tr, trf, Lang};
use crate::view_model::{format_sim_time, Msg, SPEED_MAX_POS, SPEED_MIN_POS};

#[derive(Properties, PartialEq)]
pub struct TransportProps {
    pub playing: bool,
    pub speed_pos: i32,
    pub speed_label: AttrValue,
    pub now_us: u64,
    pub horizon_us: u64,
    pub on_share: Callback<()>,
    pub dispatch: Callback<Msg>,
    /// Embedded: play/pause, step, speed, the scrubber and reset only.
    #[prop_or_default]
    pub minimal: bool,
    pub lang: Lang,
}

#[component]
pub fn TransportBar(p: &TransportProps) -> Html {
    let (d, lang) = (&p.dispatch, p.lang);
    let on_speed = d.reform(|e: InputEvent| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value();
        Msg::SetSpeed(v.parse().unwrap_or(0))
    });
    let on_scrub = d.reform(|e: InputEvent| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value();
        Msg::Scrub(v.parse::<u64>().unwrap_or(0).saturating_mul(1_000))
    });
    let in_past = p.now_us < p.horizon_us;
    let (play_icon, play_text) = if p.playing {
        (Icon::Pause, tr(lang, "page.transport.pause"))
    } else {
        (Icon::Play, tr(lang, "page.transport.play"))
    };
    html! {
        <div class="transport" role="group" aria-label={tr(lang, "page.transport.label")} data-testid="transport">
            <button data-testid="play-pause" class="primary" data-state={if p.playing { "playing" } else { "paused" }}
                aria-pressed={(!p.playing).to_string()} title={tr(lang, "page.transport.play_title")}
                onclick={d.reform(|_| Msg::TogglePlay)}>
                { icon(play_icon) }<span class="label">{ play_text }</span>
            </button>
            <button data-testid="step" title={tr(lang, "page.transport.step_title")}
                onclick={d.reform(|_| Msg::Step)}>
                { icon(Icon::Step) }<span class="label">{ tr(lang, "page.transport.step") }</span>
            </button>
            if !p.minimal {
                <button data-testid="step-tick" title={tr(lang, "page.transport.tick_title")}
                    aria-label={tr(lang, "page.transport.tick_label")} onclick={d.reform(|_| Msg::StepTick)}>
                    { icon(Icon::Tick) }
                </button>
            }
            <label class="speed">
                <span class="label">{ tr(lang, "page.transport.speed") }</span>
                <input type="range" data-testid="speed" min={SPEED_MIN_POS.to_string()} max={SPEED_MAX_POS.to_string()}
                    step="1" value={p.speed_pos.to_string()} aria-valuetext={trf(lang, "page.transport.speed_value", &[("speed", &p.speed_label)])}
                    oninput={on_speed} />
                <output>{ &p.speed_label }</output>
            </label>
            <label class="scrubber">
                <span class="label">{ tr(lang, "page.transport.time") }</span>
                <input type="range" data-testid="scrubber" min="0" max={(p.horizon_us / 1_000).to_string()}
                    step="1" value={(p.now_us / 1_000).to_string()}
                    aria-valuetext={format_sim_time(p.now_us)} oninput={on_scrub} />
            </label>
            <button data-testid="reset" title={tr(lang, "page.transport.reset_title")} onclick={d.reform(|_| Msg::Reset)}>
                { icon(Icon::Reset) }<span class="label">{ tr(lang, "page.transport.reset") }</span>
            </button>
            if !p.minimal {
                <button data-testid="share" onclick={p.on_share.reform(|_| ())}
                    title={tr(lang, "page.transport.share_title")}>
                    { icon(Icon::Share) }<span class="label">{ tr(lang, "page.transport.share") }</span>
                </button>
            }
            if in_past {
                <span class="fork-hint" data-testid="in-past">
                    { tr(lang, "page.transport.in_past") }
                </span>
            }
        </div>
    }
}

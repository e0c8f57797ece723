//! The run as a value on the page: share a link, pick a scenario of the
//! library, load a scenario file, download the run (scenario, trace, SVG),
//! the banner for links and files that could not be used, and the loaded
//! scenario's description with its expectations.

use std::rc::Rc;

use yew::prelude::*;

use crate::view_model::{Banner, Msg, ScenarioDraw};

/// What a download button asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// The setup and every action, as a scenario file `raft-sim run` replays.
    Scenario,
    /// The JSON Lines trace up to now, as `raft-sim check` reads it.
    Trace,
    /// The ring and the logs as a picture.
    Svg,
}

#[derive(Properties, PartialEq)]
pub struct RunBarProps {
    /// The library scenario playing, if any.
    pub scenario: Option<String>,
    pub on_share: Callback<()>,
    pub on_export: Callback<Export>,
    pub on_import: Callback<Option<web_sys::FileList>>,
    pub dispatch: Callback<Msg>,
}

/// Share, the scenario menu, load a file, and the downloads.
#[component]
pub fn RunBar(p: &RunBarProps) -> Html {
    let on_select = p.dispatch.reform(|e: Event| {
        Msg::LoadScenario(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        )
    });
    let on_file = p.on_import.reform(|e: Event| {
        e.target_unchecked_into::<web_sys::HtmlInputElement>()
            .files()
    });
    let export = |kind: Export| p.on_export.reform(move |_| kind);
    let current = p.scenario.clone().unwrap_or_default();
    html! {
        <div class="run-bar" role="group" aria-label="Scenarios, sharing and files">
            <label class="scenario-pick">
                { "Scenario " }
                <select data-testid="scenario-select" onchange={on_select}
                    title="Load a prepared situation (a new run with the same seed, paused)">
                    <option value="" selected={current.is_empty()}>{ "Your own cluster" }</option>
                    { for raft_sim::library::SCENARIOS.iter().map(|e| {
                        let title = e.scenario().map(|s| s.title).unwrap_or_default();
                        html! {
                            <option key={e.name} value={e.name} selected={current == e.name} title={title.clone()}>
                                { title }
                            </option>
                        }
                    }) }
                </select>
            </label>
            <button data-testid="share" onclick={p.on_share.reform(|_| ())}
                title="Copy a link that opens this run at this moment">
                <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                    <path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8"
                        fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
                </svg>
                { " Share link" }
            </button>
            <label class="file-button" title="Load a scenario file (.json); you can also drop one on the page">
                { "Load file\u{2026}" }
                <input type="file" data-testid="import" accept=".json,application/json" onchange={on_file} />
            </label>
            <span class="downloads" role="group" aria-label="Download">
                { "Download: " }
                <button data-testid="export-scenario" onclick={export(Export::Scenario)}
                    title="The setup and every action, as a scenario file raft-sim run replays">{ "scenario" }</button>
                <button data-testid="export-trace" onclick={export(Export::Trace)}
                    title="Every event so far, as JSON Lines raft-sim check reads">{ "trace" }</button>
                <button data-testid="export-svg" onclick={export(Export::Svg)}
                    title="The ring and the logs as an SVG picture">{ "SVG" }</button>
            </span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct BannerViewProps {
    pub banner: Option<Banner>,
    /// A link to show for copying by hand (when sharing could not use the clipboard).
    #[prop_or_default]
    pub link: Option<AttrValue>,
    pub dispatch: Callback<Msg>,
}

/// A link or file that could not be used, or news: one line, dismissible.
#[component]
pub fn BannerView(p: &BannerViewProps) -> Html {
    let Some(b) = &p.banner else {
        return html! {};
    };
    let role = if b.kind == crate::view_model::BannerKind::Error {
        "alert"
    } else {
        "status"
    };
    html! {
        <div class={classes!("banner", b.kind.as_str())} data-testid="banner" data-kind={b.kind.as_str()} {role}>
            <p>{ b.text.clone() }</p>
            if let Some(link) = &p.link {
                <input class="share-link" data-testid="share-link" readonly=true value={link.clone()}
                    aria-label="Link to this run" onfocus={Callback::from(|e: FocusEvent| {
                        e.target_unchecked_into::<web_sys::HtmlInputElement>().select();
                    })} />
            }
            <button class="banner-close" aria-label="Dismiss" onclick={p.dispatch.reform(|_| Msg::DismissBanner)}>
                { "\u{2715}" }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ScenarioPanelProps {
    pub draw: Rc<ScenarioDraw>,
}

/// The loaded scenario: its title, what it shows, and its expectations as
/// the run reaches them.
#[component]
pub fn ScenarioPanel(p: &ScenarioPanelProps) -> Html {
    let d = &p.draw;
    if d.name.is_none() && d.checks.is_empty() && d.description.is_empty() {
        return html! {};
    }
    let held = d.checks.iter().filter(|c| c.state == "held").count();
    html! {
        <section class="scenario-panel" data-testid="scenario" data-name={d.name.clone().unwrap_or_default()}
            data-state={d.state} aria-label="Scenario">
            <h2>{ d.title.clone() }</h2>
            <p class="scenario-description">{ d.description.clone() }</p>
            if !d.checks.is_empty() {
                <details open={d.state == "failed"}>
                    <summary data-testid="scenario-status" data-state={d.state}
                        data-held={held.to_string()} data-total={d.checks.len().to_string()}>
                        { format!("Expected: {held} of {} held so far", d.checks.len()) }
                        if d.actions > 0 {
                            { " (you changed this run, so they may no longer apply)" }
                        }
                    </summary>
                    <ol class="checks">
                        { for d.checks.iter().enumerate().map(|(i, c)| html! {
                            <li key={i} data-testid="scenario-check" data-state={c.state}>
                                { format!("{} ms: {}", c.at_ms, c.text) }
                                { match c.state { "held" => " \u{2714}", "failed" => " \u{2718}", _ => "" } }
                                if let Some(why) = &c.why {
                                    <span class="why">{ format!(" ({why})") }</span>
                                }
                            </li>
                        }) }
                    </ol>
                </details>
            }
        </section>
    }
}

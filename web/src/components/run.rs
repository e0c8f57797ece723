//! The run as a value on the page: pick a scenario of the library, load a
//! scenario file, download the run (scenario, trace, SVG),
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
pub struct ScenarioPickerProps {
    /// The library scenario playing, if any.
    pub scenario: Option<String>,
    pub dispatch: Callback<Msg>,
}

/// The scenario menu: a prepared situation from the library, or the page's own cluster.
#[component]
pub fn ScenarioPicker(p: &ScenarioPickerProps) -> Html {
    let on_select = p.dispatch.reform(|e: Event| {
        Msg::LoadScenario(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        )
    });
    let current = p.scenario.clone().unwrap_or_default();
    html! {
        <label class="scenario-pick">
            <span>{ "Scenario" }</span>
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
    }
}

#[derive(Properties, PartialEq)]
pub struct FileToolsProps {
    pub on_export: Callback<Export>,
    pub on_import: Callback<Option<web_sys::FileList>>,
}

/// Load a scenario file; download the run as a scenario, its trace, or a picture.
#[component]
pub fn FileTools(p: &FileToolsProps) -> Html {
    let on_file = p.on_import.reform(|e: Event| {
        e.target_unchecked_into::<web_sys::HtmlInputElement>()
            .files()
    });
    let export = |kind: Export| p.on_export.reform(move |_| kind);
    html! {
        <div class="files" role="group" aria-label="Files">
            <label class="file-button" title="Load a scenario file (.json); you can also drop one on the page">
                { "Load a scenario file\u{2026}" }
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

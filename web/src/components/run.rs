//! The run as a value on the page: pick a scenario of the library, load a
//! scenario file, download the run (scenario, trace, SVG),
//! the banner for links and files that could not be used, and the loaded
//! scenario's description with its expectations.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
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
    pub lang: Lang,
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
    let lang = p.lang;
    html! {
        <label class="scenario-pick">
            <span>{ tr(lang, "page.scenario.label") }</span>
            <select data-testid="scenario-select" onchange={on_select}
                title={tr(lang, "page.scenario.pick_title")}>
                <option value="" selected={current.is_empty()}>{ tr(lang, "page.scenario.own") }</option>
                { for raft_sim::library::SCENARIOS.iter().map(|e| {
                    let title = e
                        .scenario()
                        .map(|s| s.title.text(lang.code()).to_string())
                        .unwrap_or_default();
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
    pub lang: Lang,
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
    let lang = p.lang;
    html! {
        <div class="files" role="group" aria-label={tr(lang, "page.files.label")}>
            <label class="file-button" title={tr(lang, "page.files.load_title")}>
                { tr(lang, "page.files.load") }
                <input type="file" data-testid="import" accept=".json,application/json" onchange={on_file} />
            </label>
            <span class="downloads" role="group" aria-label={tr(lang, "page.files.download_label")}>
                { tr(lang, "page.files.download") }
                <button data-testid="export-scenario" onclick={export(Export::Scenario)}
                    title={tr(lang, "page.files.scenario_title")}>{ tr(lang, "page.files.scenario") }</button>
                <button data-testid="export-trace" onclick={export(Export::Trace)}
                    title={tr(lang, "page.files.trace_title")}>{ tr(lang, "page.files.trace") }</button>
                <button data-testid="export-svg" onclick={export(Export::Svg)}
                    title={tr(lang, "page.files.svg_title")}>{ tr(lang, "page.files.svg") }</button>
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
    pub lang: Lang,
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
                    aria-label={tr(p.lang, "page.banner.link")} onfocus={Callback::from(|e: FocusEvent| {
                        e.target_unchecked_into::<web_sys::HtmlInputElement>().select();
                    })} />
            }
            <button class="banner-close" aria-label={tr(p.lang, "page.banner.dismiss")} onclick={p.dispatch.reform(|_| Msg::DismissBanner)}>
                { "\u{2715}" }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ScenarioPanelProps {
    pub draw: Rc<ScenarioDraw>,
    pub lang: Lang,
}

/// The loaded scenario: its title, what it shows, and its expectations as
/// the run reaches them.
#[component]
pub fn ScenarioPanel(p: &ScenarioPanelProps) -> Html {
    let (d, lang) = (&p.draw, p.lang);
    if d.name.is_none() && d.checks.is_empty() && d.description.is_empty() {
        return html! {};
    }
    let held = d.checks.iter().filter(|c| c.state == "held").count();
    html! {
        <section class="scenario-panel" data-testid="scenario" data-name={d.name.clone().unwrap_or_default()}
            data-state={d.state} aria-label={tr(lang, "page.scenario.label")}>
            <h2>{ d.title.clone() }</h2>
            <p class="scenario-description">{ d.description.clone() }</p>
            if !d.checks.is_empty() {
                <details open={d.state == "failed"}>
                    <summary data-testid="scenario-status" data-state={d.state}
                        data-held={held.to_string()} data-total={d.checks.len().to_string()}>
                        { trf(lang, "page.scenario.expected", &[("held", &held), ("total", &d.checks.len())]) }
                        if d.actions > 0 {
                            { tr(lang, "page.scenario.changed") }
                        }
                    </summary>
                    <ol class="checks">
                        { for d.checks.iter().enumerate().map(|(i, c)| html! {
                            <li key={i} data-testid="scenario-check" data-state={c.state}>
                                { trf(lang, "page.scenario.check", &[("at", &c.at_ms), ("text", &c.text)]) }
                                { match c.state { "held" => " \u{2714}", "failed" => " \u{2718}", _ => "" } }
                                if let Some(why) = &c.why {
                                    <span class="why">{ trf(lang, "page.scenario.why", &[("why", why)]) }</span>
                                }
                            </li>
                        }) }
                    </ol>
                </details>
            }
        </section>
    }
}

//! The side panel: one section open at a time (Inspect, Faults, Membership,
//! Clients, Learn, Settings), chosen with tabs (arrow keys move between them,
//! as in the ARIA tabs pattern). On a narrow screen it is a bottom sheet.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::icons::{icon, Icon};
use super::kv::KvPanel;
use super::membership::MembershipControls;
use super::run::{Export, FileTools, ScenarioPanel, ScenarioPicker};
use super::tour::TourBox;
use super::{Activity, Inspector, NetworkSliders, PartitionEditor};
use crate::cluster::{Switches, MAX_NODES};
use crate::i18n::{tr, trf};
use crate::view_model::{Frame, Msg, Panel};

#[derive(Properties, PartialEq)]
pub struct SidePanelProps {
    pub frame: Rc<Frame>,
    pub on_export: Callback<Export>,
    pub on_import: Callback<Option<web_sys::FileList>>,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn SidePanel(p: &SidePanelProps) -> Html {
    let f = &p.frame;
    let d = &p.dispatch;
    let current = f.panel;
    let lang = f.lang;
    let onkeydown = {
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => current.next(true),
                "ArrowLeft" | "ArrowUp" => current.next(false),
                "Home" => Panel::ALL[0],
                "End" => Panel::ALL[Panel::ALL.len() - 1],
                _ => return,
            };
            e.prevent_default();
            // The page's own shortcuts do not see it.
            e.stop_propagation();
            d.emit(Msg::SetPanel(next));
            focus_tab(next);
        })
    };
    let section = |panel: Panel, body: Html| {
        html! {
            <div class="panel-body" role="tabpanel" id={format!("panel-{}", panel.name())}
                aria-labelledby={format!("tab-{}", panel.name())} data-testid="panel-body"
                data-panel={panel.name()} hidden={panel != current}>
                { body }
            </div>
        }
    };
    html! {
        <aside class={classes!("side-panel", f.panel_open.then_some("open"))} data-testid="side-panel"
            data-panel={current.name()} data-open={f.panel_open.to_string()} aria-label={tr(lang, "page.panel.label")}>
            <div class="tabs" role="tablist" aria-label={tr(lang, "page.panel.sections")} {onkeydown}>
                { for Panel::ALL.iter().map(|&panel| {
                    let selected = panel == current;
                    html! {
                        <button key={panel.name()} role="tab" id={format!("tab-{}", panel.name())}
                            data-testid="panel-tab" data-panel={panel.name()}
                            aria-selected={selected.to_string()} aria-controls={format!("panel-{}", panel.name())}
                            tabindex={if selected { "0" } else { "-1" }}
                            onclick={d.reform(move |_| Msg::SetPanel(panel))}>
                            { panel.title(lang) }
                        </button>
                    }
                }) }
            </div>
            <button class="sheet-close" aria-label={tr(lang, "page.panel.close")} onclick={d.reform(|_| Msg::ClosePanel)}>
                { icon(Icon::Close) }
            </button>
            { section(Panel::Inspect, html! {
                <>
                    <Inspector inspector={f.inspector.clone()} {lang} dispatch={d.clone()} />
                    <Activity items={f.activity.clone()} {lang} />
                </>
            }) }
            { section(Panel::Faults, html! {
                <>
                    <PartitionEditor groups={f.groups.clone()} drag={f.drag} {lang} dispatch={d.clone()} />
                    <p class="heal-row">
                        <button data-testid="heal" title={tr(lang, "page.faults.heal_title")} onclick={d.reform(|_| Msg::Heal)}>
                            { tr(lang, "page.faults.heal") }
                        </button>
                        <span class="hint">{ tr(lang, "page.faults.heal_hint") }</span>
                    </p>
                    <super::interaction::WaysTable ring={f.ring.clone()} {lang} dispatch={d.clone()} />
                    <NetworkSliders net={f.net} {lang} dispatch={d.clone()} />
                </>
            }) }
            { section(Panel::Membership, html! {
                <MembershipControls membership={f.membership.clone()} {lang} dispatch={d.clone()} />
            }) }
            { section(Panel::Clients, html! {
                <KvPanel kv={f.kv.clone()} {lang} dispatch={d.clone()} />
            }) }
            { section(Panel::Learn, html! {
                <>
                    <super::chapters::Chapters draw={f.chapters.clone()} {lang} dispatch={d.clone()} />
                    <super::safety::SafetyPanel draw={f.safety.clone()} {lang} dispatch={d.clone()} />
                    <super::throughput::Throughput draw={f.throughput.clone()} switches={f.switches} {lang} dispatch={d.clone()} />
                    <super::bug_hunt::BugHunt draw={f.hunt.clone()} {lang} dispatch={d.clone()} />
                    <super::explore::ExplorePanel draw={f.explore.clone()} {lang} dispatch={d.clone()} />
                    <TourBox caption={f.tour.clone()} {lang} dispatch={d.clone()} />
                    <ScenarioPicker scenario={f.scenario.clone()} {lang} dispatch={d.clone()} />
                    <ScenarioPanel draw={f.scenario_draw.clone()} {lang} />
                </>
            }) }
            { section(Panel::Settings, html! {
                <Settings frame={f.clone()} on_export={p.on_export.clone()} on_import={p.on_import.clone()}
                    dispatch={d.clone()} />
            }) }
        </aside>
    }
}

/// A number field that is not a controlled input: the page redraws every frame while
/// the run plays, and a controlled value would be put back under the reader's fingers
/// between two key presses. It is set from `value` when that changes and read on change
/// (Enter, or leaving the field): `on_number` gets each whole number, brought within
/// `range` (and the field shows it so); anything else is left as typed and ignored.
#[hook]
pub(super) fn use_number_field<F>(
    value: u64,
    range: std::ops::RangeInclusive<u64>,
    on_number: F,
) -> (NodeRef, Callback<Event>)
where
    F: Fn(u64) + 'static,
{
    let field = use_node_ref();
    {
        let field = field.clone();
        use_effect_with(value, move |&value| {
            if let Some(input) = field.cast::<HtmlInputElement>() {
                input.set_value(&value.to_string());
            }
        });
    }
    let onchange = Callback::from(move |e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        if let Ok(n) = input.value().trim().parse::<u64>() {
            let n = n.clamp(*range.start(), *range.end());
            input.set_value(&n.to_string());
            on_number(n);
        }
    });
    (field, onchange)
}

/// A labelled checkbox for a switch (`data-testid` = `name`, the hint as its title).
pub(super) fn switch_box(
    name: &'static str,
    label: &str,
    hint: &str,
    on: bool,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <label class="switch" title={hint.to_string()}>
            <input type="checkbox" data-testid={name} checked={on} {onchange} />
            <span>{ label.to_string() }</span>
        </label>
    }
}

/// Moves focus to the tab of `panel` (after the re-render that selects it).
fn focus_tab(panel: Panel) {
    let id = format!("tab-{}", panel.name());
    let _ = web_sys::window().map(|w| {
        let f = wasm_bindgen::closure::Closure::once_into_js(move || {
            if let Some(el) = crate::share::query(&format!("#{id}"))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = el.focus();
            }
        });
        w.set_timeout_with_callback(wasm_bindgen::JsCast::unchecked_ref(&f))
    });
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub frame: Rc<Frame>,
    pub on_export: Callback<Export>,
    pub on_import: Callback<Option<web_sys::FileList>>,
    pub dispatch: Callback<Msg>,
}

/// Protocol switches, compaction, the cluster's size, the timing rule, files.
#[component]
pub fn Settings(p: &SettingsProps) -> Html {
    let f = &p.frame;
    let d = &p.dispatch;
    let s = f.switches;
    let lang = f.lang;
    let switch = |name: &'static str,
                  label: &'static str,
                  hint: &'static str,
                  on: bool,
                  set: fn(&mut Switches, bool)| {
        let onchange = d.reform(move |e: Event| {
            let mut next = s;
            set(
                &mut next,
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            );
            Msg::SetSwitches(next)
        });
        switch_box(name, label, hint, on, onchange)
    };
    let on_size = d.reform(|e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        Msg::SetSize(v.parse().unwrap_or(5))
    });
    let (threshold_ref, on_threshold) = {
        let d = d.clone();
        use_number_field(f.snapshot_threshold, 0..=10_000, move |n| {
            d.emit(Msg::SetSnapshotThreshold(n))
        })
    };
    let t = f.timing;
    html! {
        <section class="settings" aria-label={tr(lang, "page.settings.label")}>
            <fieldset class="switches">
                <legend>{ tr(lang, "page.settings.protocol") }</legend>
                { switch("switch-prevote", tr(lang, "page.settings.prevote"), tr(lang, "page.settings.prevote_hint"), s.pre_vote, |s, on| s.pre_vote = on) }
                { switch("switch-checkquorum", tr(lang, "page.settings.checkquorum"), tr(lang, "page.settings.checkquorum_hint"), s.check_quorum, |s, on| s.check_quorum = on) }
                { switch("switch-fastbacktrack", tr(lang, "page.settings.fastbacktrack"), tr(lang, "page.settings.fastbacktrack_hint"), s.fast_backtrack, |s, on| s.fast_backtrack = on) }
                { switch("switch-leaseread", tr(lang, "page.settings.leaseread"), tr(lang, "page.settings.leaseread_hint"), s.lease_read, |s, on| s.lease_read = on) }
                <p class="hint">{ tr(lang, "page.settings.flow_moved") }</p>
                <label class="threshold" title={tr(lang, "page.settings.snapshot_title")}>
                    <span>{ tr(lang, "page.settings.snapshot_every") }</span>
                    <input type="number" data-testid="snapshot-threshold" min="0" max="10000" step="1"
                        ref={threshold_ref} onchange={on_threshold} />
                    <span>{ tr(lang, "page.settings.snapshot_entries") }</span>
                </label>
            </fieldset>
            <p class="timing" data-testid="timing">
                { trf(lang, "page.settings.timing", &[
                    ("latency", &f.net.latency_ms),
                    ("heartbeat", &t.heartbeat_ms),
                    ("min", &t.election_min_ms),
                    ("max", &t.election_max_ms),
                ]) }
            </p>
            <fieldset class="run-setup">
                <legend>{ tr(lang, "page.settings.new_run") }</legend>
                <label>
                    <span>{ tr(lang, "page.settings.servers") }</span>
                    <select data-testid="cluster-size" onchange={on_size}>
                        { for (1..=MAX_NODES).map(|n| html! {
                            <option key={n} value={n.to_string()} selected={n == f.nodes}>{ n }</option>
                        }) }
                    </select>
                </label>
                <FileTools on_export={p.on_export.clone()} on_import={p.on_import.clone()} {lang} />
            </fieldset>
        </section>
    }
}

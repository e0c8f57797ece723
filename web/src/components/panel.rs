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
            data-panel={current.name()} data-open={f.panel_open.to_string()} aria-label="Panel">
            <div class="tabs" role="tablist" aria-label="Panel sections" {onkeydown}>
                { for Panel::ALL.iter().map(|&panel| {
                    let selected = panel == current;
                    html! {
                        <button key={panel.name()} role="tab" id={format!("tab-{}", panel.name())}
                            data-testid="panel-tab" data-panel={panel.name()}
                            aria-selected={selected.to_string()} aria-controls={format!("panel-{}", panel.name())}
                            tabindex={if selected { "0" } else { "-1" }}
                            onclick={d.reform(move |_| Msg::SetPanel(panel))}>
                            { panel.title() }
                        </button>
                    }
                }) }
            </div>
            <button class="sheet-close" aria-label="Close the panel" onclick={d.reform(|_| Msg::ClosePanel)}>
                { icon(Icon::Close) }
            </button>
            { section(Panel::Inspect, html! {
                <>
                    <Inspector inspector={f.inspector.clone()} dispatch={d.clone()} />
                    <Activity items={f.activity.clone()} />
                </>
            }) }
            { section(Panel::Faults, html! {
                <>
                    <PartitionEditor groups={f.groups.clone()} drag={f.drag} dispatch={d.clone()} />
                    <p class="heal-row">
                        <button data-testid="heal" title="Reconnect every link (h)" onclick={d.reform(|_| Msg::Heal)}>
                            { "Heal the network" }
                        </button>
                        <span class="hint">{ "Or click a link on the ring to cut or reconnect it." }</span>
                    </p>
                    <NetworkSliders net={f.net} dispatch={d.clone()} />
                </>
            }) }
            { section(Panel::Membership, html! {
                <MembershipControls membership={f.membership.clone()} dispatch={d.clone()} />
            }) }
            { section(Panel::Clients, html! {
                <KvPanel kv={f.kv.clone()} dispatch={d.clone()} />
            }) }
            { section(Panel::Learn, html! {
                <>
                    <TourBox caption={f.tour.clone()} dispatch={d.clone()} />
                    <ScenarioPicker scenario={f.scenario.clone()} dispatch={d.clone()} />
                    <ScenarioPanel draw={f.scenario_draw.clone()} />
                </>
            }) }
            { section(Panel::Settings, html! {
                <Settings frame={f.clone()} on_export={p.on_export.clone()} on_import={p.on_import.clone()}
                    dispatch={d.clone()} />
            }) }
        </aside>
    }
}

/// Moves focus to the tab of `panel` (after the re-render that selects it).
fn focus_tab(panel: Panel) {
    let id = format!("tab-{}", panel.name());
    let _ = web_sys::window().map(|w| {
        let f = wasm_bindgen::closure::Closure::once_into_js(move || {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id))
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
        html! {
            <label class="switch" title={hint}>
                <input type="checkbox" data-testid={name} checked={on} {onchange} />
                <span>{ label }</span>
            </label>
        }
    };
    let on_size = d.reform(|e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        Msg::SetSize(v.parse().unwrap_or(5))
    });
    let on_threshold = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            // Anything but a whole number is left as typed and ignored.
            if let Ok(n) = v.trim().parse::<u64>() {
                d.emit(Msg::SetSnapshotThreshold(n.min(10_000)));
            }
        })
    };
    let t = f.timing;
    html! {
        <section class="settings" aria-label="Settings">
            <fieldset class="switches">
                <legend>{ "Protocol (from now on)" }</legend>
                { switch("switch-prevote", "PreVote", "Ask for pre-votes before disrupting the cluster with a new term (dissertation \u{a7}9.6)", s.pre_vote, |s, on| s.pre_vote = on) }
                { switch("switch-checkquorum", "CheckQuorum", "A leader steps down when it has not heard from a majority for an election timeout (\u{a7}6.2)", s.check_quorum, |s, on| s.check_quorum = on) }
                { switch("switch-fastbacktrack", "Fast backtracking", "Skip a whole conflicting term per rejection (end of \u{a7}5.3)", s.fast_backtrack, |s, on| s.fast_backtrack = on) }
                { switch("batching", "Batching", "Up to 64 entries per AppendEntries and 8 in flight; off: one of each (\u{a7}10.2.1)", s.batching, |s, on| s.batching = on) }
                { switch("switch-leaseread", "Lease reads", "Serve reads on the leader's lease instead of a ReadIndex round (\u{a7}6.4.1; needs CheckQuorum)", s.lease_read, |s, on| s.lease_read = on) }
                <label class="threshold" title="Each server compacts its log into a snapshot once this many applied entries follow its last one (0: never, \u{a7}7)">
                    <span>{ "Snapshot every" }</span>
                    <input type="number" data-testid="snapshot-threshold" min="0" max="10000" step="1"
                        value={f.snapshot_threshold.to_string()} onchange={on_threshold} />
                    <span>{ "entries" }</span>
                </label>
            </fieldset>
            <p class="timing" data-testid="timing">
                { format!(
                    "Timing (\u{a7}5.6): one hop takes up to {} ms, a heartbeat goes every {} ms, \
                     elections time out after {}\u{2013}{} ms, so broadcast time \u{226a} election timeout.",
                    f.net.latency_ms, t.heartbeat_ms, t.election_min_ms, t.election_max_ms
                ) }
            </p>
            <fieldset class="run-setup">
                <legend>{ "A new run" }</legend>
                <label>
                    <span>{ "Servers" }</span>
                    <select data-testid="cluster-size" onchange={on_size}>
                        { for (1..=MAX_NODES).map(|n| html! {
                            <option key={n} value={n.to_string()} selected={n == f.nodes}>{ n }</option>
                        }) }
                    </select>
                </label>
                <FileTools on_export={p.on_export.clone()} on_import={p.on_import.clone()} />
            </fieldset>
        </section>
    }
}

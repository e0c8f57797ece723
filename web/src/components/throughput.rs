//! The throughput panel (in Learn, chapter 12): the disk latency, the four
//! optimizations TiKV describes, and a live chart of the leader's committed
//! entries per second (bars) and commit latency (line) over ten seconds.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use raft_sim::disk::DiskConfig;

use super::panel::{switch_box, use_number_field};
use crate::cluster::Switches;
use crate::i18n::{tr, trf, Lang};
use crate::view_model::throughput::{ThroughputDraw, CHART_H, CHART_W};
use crate::view_model::Msg;

#[derive(Properties, PartialEq)]
pub struct ThroughputProps {
    pub draw: Rc<ThroughputDraw>,
    pub switches: Switches,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn Throughput(p: &ThroughputProps) -> Html {
    let (d, lang, dispatch) = (&p.draw, p.lang, &p.dispatch);
    let switches = p.switches;
    let disk = d.disk;
    let checked = |e: Event| e.target_unchecked_into::<HtmlInputElement>().checked();
    let flow = |name, key, hint, on, set: fn(&mut Switches, bool)| {
        let onchange = dispatch.reform(move |e| {
            let mut next = switches;
            set(&mut next, checked(e));
            Msg::SetSwitches(next)
        });
        switch_box(name, tr(lang, key), tr(lang, hint), on, onchange)
    };
    let disk_switch = |name, key, hint, on, set: fn(&mut DiskConfig, bool)| {
        let onchange = dispatch.reform(move |e| {
            let mut next = disk;
            set(&mut next, checked(e));
            Msg::SetDisk(next)
        });
        switch_box(name, tr(lang, key), tr(lang, hint), on, onchange)
    };
    let (latency_ref, on_latency) = {
        let dispatch = dispatch.clone();
        use_number_field(d.latency_ms, 0..=1_000, move |ms| {
            dispatch.emit(Msg::SetDisk(DiskConfig {
                latency_us: ms * 1_000,
                ..disk
            }))
        })
    };
    let latency = d.latency_text.clone().unwrap_or_else(|| "\u{2013}".into());
    let summary = trf(
        lang,
        "throughput.now",
        &[("rate", &d.now.per_second), ("ms", &latency)],
    );
    html! {
        <section class="throughput" data-testid="throughput" aria-label={tr(lang, "throughput.title")}>
            <h3>{ tr(lang, "throughput.title") }</h3>
            <p class="hint">{ tr(lang, "throughput.intro") }</p>
            <figure class="commit-chart-box">
                <svg class="commit-chart" data-testid="commit-chart" role="img" aria-label={summary.clone()}
                    data-per-second={d.now.per_second.to_string()}
                    data-latency-us={d.now.mean_latency_us.map(|us| us.to_string()).unwrap_or_default()}
                    viewBox={format!("0 0 {CHART_W} {CHART_H}")} preserveAspectRatio="none">
                    { for d.bins.iter().map(|b| html! {
                        <rect class="rate-bar" x={format!("{:.1}", b.x + 0.5)} y={format!("{:.1}", CHART_H - b.h)}
                            width={format!("{:.1}", (b.w - 1.0).max(0.5))} height={format!("{:.1}", b.h)} />
                    }) }
                    <polyline class="latency-line" points={d.line.clone()} />
                </svg>
                <figcaption>
                    <span class="key rate">{ trf(lang, "throughput.rate_key", &[("top", &d.rate_top)]) }</span>
                    <span class="key latency">{ trf(lang, "throughput.latency_key", &[("top", &d.latency_top_ms)]) }</span>
                    <strong class="figures" data-testid="commit-figures">{ summary }</strong>
                </figcaption>
            </figure>
            <fieldset class="switches">
                <legend>{ tr(lang, "throughput.settings") }</legend>
                <label class="threshold" title={tr(lang, "throughput.disk_hint")}>
                    <span>{ tr(lang, "throughput.disk") }</span>
                    <input type="number" data-testid="disk-latency" min="0" max="1000" step="1"
                        ref={latency_ref} onchange={on_latency} />
                    <span>{ tr(lang, "throughput.ms") }</span>
                </label>
                { flow("batching", "page.settings.batching", "page.settings.batching_hint", switches.batching, |s, on| s.batching = on) }
                { flow("switch-pipelining", "throughput.pipelining", "throughput.pipelining_hint", switches.pipelining, |s, on| s.pipelining = on) }
                { disk_switch("switch-parallel-append", "throughput.parallel_append", "throughput.parallel_append_hint", disk.parallel_append, |d, on| d.parallel_append = on) }
                { disk_switch("switch-async-apply", "throughput.async_apply", "throughput.async_apply_hint", disk.async_apply, |d, on| d.async_apply = on) }
            </fieldset>
        </section>
    }
}

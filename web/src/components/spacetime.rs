//! The space-time diagram (computed in [`crate::view_model::spacetime`]):
//! lanes, arrows, role marks and the "now" cursor. Clicking an arrow selects
//! its message (also highlighted in the ring); clicking the background goes
//! to that time, as the scrubber does. Keyboard: focus the diagram, then
//! Left/Right (Home/End) select messages and Delete drops the selected one
//! if it is still in flight.

use std::rc::Rc;

use web_sys::{Element, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::view_model::paint::Paint;

use crate::view_model::ring::Glyph;
use crate::view_model::spacetime::{
    window_label, ArrowDraw, LaneDraw, MarkShape, RoleMarkDraw, SpacetimeDraw, LANE_H, PLOT_X0,
    PLOT_X1, WIDTH, WINDOWS_US,
};
use crate::view_model::Msg;

/// The clip path of the sliding content (one diagram per document).
const CLIP_ID: &str = "spacetime-plot";

#[derive(Properties, PartialEq)]
pub struct SpacetimeProps {
    pub draw: Rc<SpacetimeDraw>,
    /// The scrubber's end: clicks do not go past it.
    pub horizon_us: u64,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn SpacetimeView(p: &SpacetimeProps) -> Html {
    let (d, lang) = (&p.draw, p.lang);
    let svg = use_node_ref();
    let scroller = use_node_ref();
    // On a narrow screen the diagram scrolls in its box. It keeps "now" in
    // view while "now" is in view: scrolled back by hand, it stays put.
    let follow = use_mut_ref(|| Follow {
        on: true,
        cursor_x: 0,
    });
    {
        let (scroller, follow) = (scroller.clone(), follow.clone());
        use_effect_with(d.cursor_x, move |&cursor_x| {
            follow.borrow_mut().cursor_x = cursor_x;
            if let Some(el) = scroller.cast::<Element>() {
                let (client, full) = (el.client_width(), el.scroll_width());
                if full > client && follow.borrow().on {
                    el.set_scroll_left(((cursor_x + 16) * full / WIDTH - client).max(0));
                }
            }
        });
    }
    let onscroll = {
        let (scroller, follow) = (scroller.clone(), follow.clone());
        Callback::from(move |_: Event| {
            let Some(el) = scroller.cast::<Element>() else {
                return;
            };
            let mut f = follow.borrow_mut();
            let x = f.cursor_x * el.scroll_width() / WIDTH;
            f.on = (el.scroll_left()..=el.scroll_left() + el.client_width()).contains(&x);
        })
    };

    let on_background = {
        let (svg, axis, horizon) = (svg.clone(), d.axis, p.horizon_us);
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = svg.cast::<Element>() else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            if rect.width() <= 0.0 {
                return;
            }
            let x = (f64::from(e.client_x()) - rect.left()) * f64::from(WIDTH) / rect.width();
            if let Some(t) = axis.time_at(x) {
                dispatch.emit(Msg::Scrub(t.min(horizon)));
            }
        })
    };

    let selected = d.selected_msg.as_ref().map(|l| l.id);
    let onkeydown = {
        let prev = d.neighbour(selected, -1);
        let next = d.neighbour(selected, 1);
        let first = d.arrows.first().map(|a| a.id);
        let last = d.arrows.last().map(|a| a.id);
        let droppable = d
            .arrows
            .iter()
            .find(|a| Some(a.id) == selected && a.fate == "inflight" && !a.client)
            .map(|a| a.id);
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            let msg = match e.key().as_str() {
                "ArrowLeft" => prev.map(|id| Msg::SelectMessage(Some(id))),
                "ArrowRight" => next.map(|id| Msg::SelectMessage(Some(id))),
                "Home" => first.map(|id| Msg::SelectMessage(Some(id))),
                "End" => last.map(|id| Msg::SelectMessage(Some(id))),
                "Delete" | "Backspace" => droppable.map(Msg::DropMessage),
                _ => None,
            };
            if let Some(msg) = msg {
                e.prevent_default();
                e.stop_propagation();
                dispatch.emit(msg);
            }
        })
    };

    let on_window = p.dispatch.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::SetSpacetimeWindow(v.parse::<u64>().ok())
    });
    let window = d.axis.window_us;
    let height = d.height;
    let plot_top = d.lanes.first().map_or(0, |l| l.y - LANE_H / 2);

    html! {
        <section class="spacetime-panel" aria-label={tr(lang, "page.spacetime.label")} data-testid="spacetime-panel">
            <div class="spacetime-head">
                <h2>{ tr(lang, "page.spacetime.label") }</h2>
                <label>
                    { tr(lang, "page.spacetime.window") }
                    <select data-testid="spacetime-window" onchange={on_window}
                        title={tr(lang, "page.spacetime.window_title")}>
                        <option value="auto" selected={d.auto}>
                            { if d.auto { trf(lang, "page.spacetime.auto_is", &[("window", &window_label(window))]) } else { tr(lang, "page.spacetime.auto").into() } }
                        </option>
                        { for WINDOWS_US.iter().map(|&w| html! {
                            <option key={w} value={w.to_string()} selected={!d.auto && w == window}>{ window_label(w) }</option>
                        }) }
                    </select>
                </label>
            </div>
            <div class="spacetime-scroll" ref={scroller} {onscroll}>
              <div class="spacetime-stack">
                <svg ref={svg} data-testid="spacetime" class="spacetime" tabindex="0" role="group"
                    aria-label={tr(lang, "page.spacetime.svg_label")}
                    viewBox={format!("0 0 {WIDTH} {height}")}
                    data-start-us={d.axis.start_us.to_string()} data-end-us={d.axis.end_us().to_string()}
                    data-now-us={d.now_us.to_string()} data-window-us={window.to_string()}
                    {onkeydown}>
                    <defs>
                        <clipPath id={CLIP_ID}>
                            <rect x={(PLOT_X0 - 8).to_string()} y="0" width={(WIDTH - PLOT_X0 + 8).to_string()}
                                height={height.to_string()} />
                        </clipPath>
                    </defs>
                    <rect class="bg" data-testid="spacetime-bg" x="0" y="0" width={WIDTH.to_string()}
                        height={height.to_string()} onclick={on_background} />
                    { for d.lanes.iter().map(|l| html! { <Lane key={l.node} lane={l.clone()} /> }) }
                    <g class="lane client-lane" data-testid="client-lane" aria-hidden="true">
                        <line class="lane-line" x1={PLOT_X0.to_string()} x2={PLOT_X1.to_string()}
                            y1={d.client_lane_y.to_string()} y2={d.client_lane_y.to_string()} />
                    </g>
                    // What slides with time: drawn where it stays put, moved by one translate.
                    <g clip-path={format!("url(#{CLIP_ID})")}>
                        <g class="content" data-shift={d.axis.shift().to_string()}
                            transform={format!("translate({} 0)", -d.axis.shift())}>
                            <g class="ticks" aria-hidden="true">
                                { for d.ticks.iter().map(|t| html! {
                                    <g key={t.t_us}>
                                        <line class="tick" x1={t.x.to_string()} x2={t.x.to_string()}
                                            y1={(plot_top - 4).to_string()} y2={height.to_string()} />
                                        <text class="tick-label" x={t.x.to_string()} y={(plot_top - 7).to_string()}>{ &t.label }</text>
                                    </g>
                                }) }
                            </g>
                            { for d.lanes.iter().map(|l| html! { <Segments key={l.node} lane={l.clone()} /> }) }
                            // Operations with no linearization (§8): a bar from call to answer.
                            <g class="lin-ops">
                                { for d.lin_ops.iter().map(|o| html! {
                                    <line key={format!("{}-{}", o.client, o.req)} class="lin-op" data-testid="lin-op-bar"
                                        data-client={o.client.to_string()} data-req={o.req.to_string()}
                                        x1={o.x1.to_string()} x2={o.x2.max(o.x1 + 2).to_string()}
                                        y1={o.y.to_string()} y2={o.y.to_string()}>
                                        <title>{ &o.label }</title>
                                    </line>
                                }) }
                            </g>
                            <g class="arrows">
                                { for d.arrows.iter().map(|a| html! { <Arrow key={a.id} arrow={a.clone()} dispatch={p.dispatch.clone()} /> }) }
                            </g>
                            <g class="role-marks">
                                { for d.marks.iter().map(|m| html! { <RoleMark key={format!("{}-{}-{}", m.node, m.t_us, m.role)} mark={m.clone()} /> }) }
                            </g>
                        </g>
                    </g>
                    <line class="cursor" data-testid="spacetime-cursor" data-us={d.now_us.to_string()}
                        x1={d.cursor_x.to_string()} x2={d.cursor_x.to_string()}
                        y1={(plot_top - 4).to_string()} y2={height.to_string()} />
                </svg>
                // The lane names stay at the left edge of the box while the diagram scrolls.
                <svg class="spacetime-labels" data-testid="lane-labels" viewBox={format!("0 0 {LABELS_W} {height}")}
                    style={format!("width: calc(100% * {LABELS_W} / {WIDTH})")}>
                    <rect class="labels-bg" x="0" y="0" width={LABELS_W.to_string()} height={height.to_string()} />
                    { for d.lanes.iter().filter(|l| l.selected).map(|l| html! {
                        <rect key={l.node} class="lane-highlight" x="0" y={(l.y - LANE_H / 2).to_string()}
                            width={LABELS_W.to_string()} height={LANE_H.to_string()} />
                    }) }
                    { for d.lanes.iter().map(|l| {
                        let id = l.node;
                        html! {
                            <text key={id} class={classes!("lane-label", l.selected.then_some("selected"))}
                                data-node-id={id.to_string()} x="4" y={(l.y + 4).to_string()}
                                onclick={p.dispatch.reform(move |_| Msg::Select(id))}>
                                <title>{ trf(lang, "page.spacetime.select", &[("id", &id)]) }</title>
                                { format!("S{id}") }
                            </text>
                        }
                    }) }
                    <text class="lane-label clients" x="4" y={(d.client_lane_y + 4).to_string()}>{ tr(lang, "page.spacetime.clients") }</text>
                </svg>
              </div>
            </div>
            {
                match &d.selected_msg {
                    Some(line) => html! {
                        <p class="message-line" data-testid="message-inspector" aria-live="polite"
                            data-msg-id={line.id.to_string()} data-fate={line.fate}>
                            <button class="clear" aria-label={tr(lang, "page.spacetime.clear")}
                                onclick={p.dispatch.reform(|_| Msg::SelectMessage(None))}>{ "\u{d7}" }</button>
                            { " " }{ &line.text }
                        </p>
                    },
                    None => html! {
                        <p class="message-line hint" data-testid="message-inspector" aria-live="polite">
                            { tr(lang, "page.spacetime.hint") }
                        </p>
                    },
                }
            }
            <p class="legend">
                <span>{ tr(lang, "page.spacetime.key_lanes") }</span>
                <span>{ tr(lang, "page.spacetime.key_heads") }</span>
                <span>{ tr(lang, "page.spacetime.key_pale") }</span>
                <span>{ tr(lang, "page.spacetime.key_lost") }</span>
                <span>{ tr(lang, "page.spacetime.key_now") }</span>
                if !d.lin_ops.is_empty() {
                    <span class="key-lin">{ tr(lang, "page.spacetime.key_lin") }</span>
                }
            </p>
        </section>
    }
}

/// Width of the lane names' column, in user units.
const LABELS_W: i32 = PLOT_X0 - 4;

/// Whether the box follows "now", and where "now" was last drawn.
struct Follow {
    on: bool,
    cursor_x: i32,
}

#[derive(Properties, PartialEq)]
pub struct LaneProps {
    pub lane: LaneDraw,
}

#[component]
pub fn Lane(p: &LaneProps) -> Html {
    let l = &p.lane;
    let id = l.node;
    let y = l.y.to_string();
    // The name is drawn in the labels' column (see SpacetimeView).
    html! {
        <g data-testid="lane" class={classes!("lane", l.selected.then_some("selected"), (!l.alive).then_some("dead"))}
            data-node-id={id.to_string()} data-selected={l.selected.to_string()} data-alive={l.alive.to_string()}>
            if l.selected {
                <rect class="lane-highlight" x="0" y={(l.y - LANE_H / 2).to_string()} width={WIDTH.to_string()}
                    height={LANE_H.to_string()} />
            }
            <line class="lane-line" x1={PLOT_X0.to_string()} x2={PLOT_X1.to_string()} y1={y.clone()} y2={y} />
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct SegmentsProps {
    pub lane: LaneDraw,
}

/// A lane's role segments (content coordinates).
#[component]
pub fn Segments(p: &SegmentsProps) -> Html {
    let l = &p.lane;
    let y = l.y.to_string();
    html! {
        <g class="segments" data-node-id={l.node.to_string()}>
            { for l.segments.iter().map(|s| html! {
                <line class={classes!("segment", s.state.name())} data-state={s.state.name()}
                    x1={s.x1.to_string()} x2={s.x2.to_string()} y1={y.clone()} y2={y.clone()} style={s.fill.map(|f| format!("stroke: {}", f.css()))} />
            }) }
        </g>
    }
}

fn glyph(g: &Glyph, x: i32, y: i32, fill: Option<Paint>, dashed: bool) -> Html {
    let dash = dashed.then_some("2 1");
    // No paint: hollow (a "no"), in the page's background colour.
    let style = format!("fill: {}", fill.map_or("var(--bg)".into(), |f| f.css()));
    match g {
        Glyph::Circle { r } => html! {
            <circle class="head" cx={x.to_string()} cy={y.to_string()} r={r.to_string()} {style} stroke-dasharray={dash} />
        },
        Glyph::Polygon { points } => html! {
            <polygon class="head" points={points.clone()} {style} stroke-dasharray={dash} />
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct ArrowProps {
    pub arrow: ArrowDraw,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn Arrow(p: &ArrowProps) -> Html {
    let a = &p.arrow;
    let id = a.id;
    let (x1, y1, x2, y2) = (
        a.x1.to_string(),
        a.y1.to_string(),
        a.x2.to_string(),
        a.y2.to_string(),
    );
    let class = classes!(
        "arrow",
        a.kind,
        a.fate,
        a.light.then_some("light"),
        a.selected.then_some("selected"),
        a.client.then_some("client"),
    );
    let head_fill = (!a.hollow()).then_some(a.style.fill);
    let cross = |dx: i32, dy: i32| {
        html! {
            <line class="cross" x1={(a.x2 - dx).to_string()} y1={(a.y2 - dy).to_string()}
                x2={(a.x2 + dx).to_string()} y2={(a.y2 + dy).to_string()} />
        }
    };
    html! {
        <g data-testid="arrow" class={class} data-msg-id={id.to_string()} data-type={a.kind}
            data-from={a.from.to_string()} data-to={a.to.to_string()} data-fate={a.fate}
            data-sent-us={a.sent_us.to_string()} data-end-us={a.end_us.to_string()}
            data-reason={a.reason.map(|r| r.as_str())} data-client={a.client.then_some("true")}
            data-selected={a.selected.to_string()}
            onclick={p.dispatch.reform(move |_| Msg::SelectMessage(Some(id)))}>
            <title>{ &a.label }</title>
            if a.selected {
                <line class="halo" x1={x1.clone()} y1={y1.clone()} x2={x2.clone()} y2={y2.clone()} />
            }
            <line class="hit" x1={x1.clone()} y1={y1.clone()} x2={x2.clone()} y2={y2.clone()} />
            <line class="shaft" x1={x1} y1={y1} x2={x2} y2={y2} style={format!("stroke: {}", a.style.fill.css())}
                stroke-dasharray={(a.style.dashed || a.client).then_some("4 2")} />
            if a.fate == "lost" {
                <g class="lost-mark">{ cross(4, 4) }{ cross(4, -4) }</g>
            } else {
                { glyph(&a.head, a.x2, a.y2, head_fill, a.style.dashed) }
            }
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct RoleMarkProps {
    pub mark: RoleMarkDraw,
}

#[component]
pub fn RoleMark(p: &RoleMarkProps) -> Html {
    let m = &p.mark;
    let (x, y) = (m.x.to_string(), m.y.to_string());
    let shape = match &m.shape {
        MarkShape::Circle { r, dashed } => html! {
            <circle class="shape" cx={x.clone()} cy={y.clone()} r={r.to_string()} style={format!("fill: {}", m.fill.css())}
                stroke-dasharray={dashed.then_some("2 1.5")} />
        },
        MarkShape::Polygon { points } => html! {
            <polygon class="shape" points={points.clone()} style={format!("fill: {}", m.fill.css())} />
        },
        MarkShape::Cross => html! {
            <g class="shape crash">
                <line x1={(m.x - 5).to_string()} y1={(m.y - 5).to_string()} x2={(m.x + 5).to_string()} y2={(m.y + 5).to_string()} />
                <line x1={(m.x - 5).to_string()} y1={(m.y + 5).to_string()} x2={(m.x + 5).to_string()} y2={(m.y - 5).to_string()} />
            </g>
        },
        MarkShape::Bar => html! {
            <line class="shape restart" x1={x.clone()} x2={x.clone()} y1={(m.y - 7).to_string()} y2={(m.y + 7).to_string()} />
        },
    };
    let term_text = match (m.role, m.term) {
        ("leader" | "candidate" | "precandidate", Some(term)) => Some(format!("T{term}")),
        _ => None,
    };
    html! {
        <g data-testid="role-mark" class={classes!("role-mark", m.role)} data-node-id={m.node.to_string()}
            data-role={m.role} data-term={m.term.map(|t| t.to_string())} data-us={m.t_us.to_string()}>
            <title>{ &m.label }</title>
            { shape }
            if let Some(t) = term_text {
                <text class="mark-term" x={(m.x + 6).to_string()} y={(m.y - 7).to_string()}>{ t }</text>
            }
        </g>
    }
}

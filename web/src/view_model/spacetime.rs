//! The space-time diagram: one lane per server, time flowing left to right
//! over a window of recent simulated time that ends at (or, early in a run,
//! contains) the present; each message an arrow from (sent, sender's lane) to
//! (arrival, receiver's lane), cut short with a cross where it was lost, or
//! at "now" while it is still in flight; role changes, crashes and restarts
//! marked on the lanes. Everything comes from the world's journal
//! ([`JournalView`]): nothing here re-derives the protocol.
//!
//! Drawing uses whole SVG units, like the ring. What slides with time
//! (ticks, role segments and marks, arrows) is laid out in "content"
//! coordinates that stay put while the window slides ([`TimeAxis::content_x`]);
//! the page moves them all with one `translate` ([`TimeAxis::shift`]) and
//! clips them to the plot, so a frame redraws only what changed.

use raft_core::{MessageKind, Role};
use raft_sim::linearizability::{Operation, Outcome};

use super::format_sim_time;
use super::paint::Paint;
use super::ring::{
    client_message_style, message_style, on_circle, polygon, role_style, Glyph, MessageStyle,
    MsgShape,
};
use super::text::{role_text, summary_text};
use crate::cluster::{
    JournalView, LaneMarkKind, LossReason, MessageFate, MessageLife, Traffic, WorldView,
};
use crate::i18n::{tr, trf, Lang};

/// Width of the SVG drawing area, in user units.
pub const WIDTH: i32 = 720;
/// Left edge of the time axis (lane labels sit to its left).
pub const PLOT_X0: i32 = 44;
/// Right edge of the time axis.
pub const PLOT_X1: i32 = WIDTH - 16;
/// Room for the time ticks above the lanes.
const AXIS_H: i32 = 20;
/// Height of one lane.
pub const LANE_H: i32 = 30;
const PAD_BOTTOM: i32 = 6;
/// How far outside the time axis a click still counts as a time.
const CLICK_SLACK: f64 = 6.0;

/// The windows the zoom control offers, in µs of simulated time.
pub const WINDOWS_US: [u64; 6] = [50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000];
/// The automatic window shows about this much wall-clock time of history.
const AUTO_WALL_MS: f64 = 8_000.0;
/// ... but no more than this: wider, a message's arrow is a few units wide,
/// and hundreds of arrows cost frame rate (2 s stays on offer in the select).
const AUTO_MAX_US: u64 = 1_000_000;

/// At most about this many arrows in the automatic window: a busy cluster (nine servers
/// and a client writing without pause send 1,800 messages a simulated second) would
/// otherwise fill the diagram with a thousand arrows, too many to follow, each costing
/// frame time.
pub const AUTO_MAX_ARROWS: usize = 300;

/// The window that follows the cluster's speed: the smallest offered one
/// holding [`AUTO_WALL_MS`] of wall time, at most [`AUTO_MAX_US`]
/// (1/20 speed: 500 ms; real time: 1 s); then, when `sent_last_second`
/// messages were sent in the last simulated second, the widest offered one
/// within that which holds about [`AUTO_MAX_ARROWS`] of them (the narrowest
/// if none does).
pub fn auto_window_us(speed_us_per_ms: f64, sent_last_second: usize) -> u64 {
    let want = speed_us_per_ms * AUTO_WALL_MS;
    let by_speed = WINDOWS_US
        .iter()
        .copied()
        .find(|&w| w as f64 >= want)
        .unwrap_or(AUTO_MAX_US)
        .min(AUTO_MAX_US);
    WINDOWS_US
        .iter()
        .rev()
        .copied()
        .filter(|&w| w <= by_speed)
        .find(|&w| sent_last_second as u64 * w / 1_000_000 <= AUTO_MAX_ARROWS as u64)
        .unwrap_or(WINDOWS_US[0])
}

/// `"500 ms"`, `"2 s"`.
pub fn window_label(us: u64) -> String {
    if us >= 1_000_000 && us % 1_000_000 == 0 {
        format!("{} s", us / 1_000_000)
    } else {
        format!("{} ms", us / 1_000)
    }
}

/// `11_234` µs -> `"11.2 ms"`.
pub fn format_ms(us: u64) -> String {
    format!("{}.{} ms", us / 1_000, (us % 1_000) / 100)
}

// ---------------------------------------------------------------------------
// Time <-> x

/// The diagram's time axis: `[start_us, start_us + window_us]` over
/// [`PLOT_X0`]..[`PLOT_X1`]. It ends at `now` once `now` is past one window;
/// before that it starts at 0 and "now" moves towards the right edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeAxis {
    pub start_us: u64,
    pub window_us: u64,
    /// The time at [`PLOT_X0`] in content coordinates: a whole number of
    /// windows, so it changes only once per window of simulated time.
    pub anchor_us: u64,
}

impl TimeAxis {
    pub fn new(now_us: u64, window_us: u64) -> TimeAxis {
        let window_us = window_us.max(1);
        let start_us = now_us.saturating_sub(window_us);
        TimeAxis {
            start_us,
            window_us,
            anchor_us: start_us - start_us % window_us,
        }
    }

    /// The x of time `t` in content coordinates (not clamped; may be left of the plot).
    pub fn content_x(&self, t_us: u64) -> i32 {
        let dt = t_us as f64 - self.anchor_us as f64;
        (f64::from(PLOT_X0) + dt * f64::from(PLOT_X1 - PLOT_X0) / self.window_us as f64).round()
            as i32
    }

    /// For reduced motion: the window moves on in steps of a quarter window
    /// instead of sliding every frame; "now" stays inside it.
    pub fn stepped(now_us: u64, window_us: u64) -> TimeAxis {
        let window_us = window_us.max(4);
        let step = window_us / 4;
        let start_us = now_us.saturating_sub(window_us).div_ceil(step) * step;
        TimeAxis {
            start_us,
            window_us,
            anchor_us: start_us - start_us % window_us,
        }
    }

    /// How far content is moved left to show the window: screen x = content x - shift.
    pub fn shift(&self) -> i32 {
        self.content_x(self.start_us) - PLOT_X0
    }

    pub fn end_us(&self) -> u64 {
        self.start_us + self.window_us
    }

    /// The x of time `t` (clamped to the axis).
    pub fn x(&self, t_us: u64) -> i32 {
        self.x_f(t_us).round() as i32
    }

    fn x_f(&self, t_us: u64) -> f64 {
        let t = t_us.clamp(self.start_us, self.end_us()) - self.start_us;
        f64::from(PLOT_X0) + t as f64 * f64::from(PLOT_X1 - PLOT_X0) / self.window_us as f64
    }

    /// The time at `x` (user units), clamped to the axis; `None` well outside it.
    pub fn time_at(&self, x: f64) -> Option<u64> {
        let (x0, x1) = (f64::from(PLOT_X0), f64::from(PLOT_X1));
        if !x.is_finite() || x < x0 - CLICK_SLACK || x > x1 + CLICK_SLACK {
            return None;
        }
        let frac = ((x - x0) / (x1 - x0)).clamp(0.0, 1.0);
        Some(self.start_us + (frac * self.window_us as f64).round() as u64)
    }
}

/// A labelled time on the axis (content coordinates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tick {
    pub t_us: u64,
    pub x: i32,
    pub label: String,
}

/// Ticks at a round step (1, 2 or 5 times a power of ten µs), four to ten of them.
pub fn ticks(axis: &TimeAxis) -> Vec<Tick> {
    let mut step = 1u64;
    'find: loop {
        for m in [1, 2, 5] {
            if step * m * 6 >= axis.window_us {
                step *= m;
                break 'find;
            }
        }
        step *= 10;
    }
    let first = axis.start_us.div_ceil(step) * step;
    (0..)
        .map(|k| first + k * step)
        .take_while(|&t| t <= axis.end_us())
        .map(|t| Tick {
            t_us: t,
            x: axis.content_x(t),
            label: format_sim_time(t),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Lanes

/// What a server was doing over a stretch of its lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneState {
    /// A role and term.
    Role { role: Role, term: u64 },
    /// Crashed.
    Down,
    /// Before the oldest mark the journal kept: not known.
    Unknown,
}

impl LaneState {
    /// The CSS class and `data-state` of a segment.
    pub fn name(self) -> &'static str {
        match self {
            LaneState::Role { role, .. } => role.as_str(),
            LaneState::Down => "down",
            LaneState::Unknown => "unknown",
        }
    }
}

/// A stretch of a lane in one state (content coordinates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub x1: i32,
    pub x2: i32,
    pub state: LaneState,
    /// The role's colour (followers and unknown: none, a thin line).
    pub fill: Option<Paint>,
}

/// A mark on a lane: a role change (with its term), a crash or a restart
/// (content coordinates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleMarkDraw {
    pub node: u64,
    pub t_us: u64,
    pub x: i32,
    pub y: i32,
    /// A role name, or `crash` / `restart`.
    pub role: &'static str,
    pub term: Option<u64>,
    pub fill: Paint,
    /// The mark's shape: the ring's (star leader, diamond candidate, dashed
    /// ring pre-candidate, ring follower), a cross for a crash, a bar for a restart.
    pub shape: MarkShape,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkShape {
    Circle { r: i32, dashed: bool },
    Polygon { points: String },
    Cross,
    Bar,
}

/// One server's lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaneDraw {
    pub node: u64,
    pub y: i32,
    /// The server is selected (in the ring, by its number, or here).
    pub selected: bool,
    pub alive: bool,
    pub segments: Vec<Segment>,
}

fn mark_shape(kind: LaneMarkKind, x: i32, y: i32) -> MarkShape {
    match kind {
        LaneMarkKind::Role {
            role: Role::Leader, ..
        } => MarkShape::Polygon {
            points: polygon((0..10).map(|k| {
                let r = if k % 2 == 0 { 8 } else { 4 };
                on_circle(x, y, r, f64::from(k) / 10.0)
            })),
        },
        LaneMarkKind::Role {
            role: Role::Candidate,
            ..
        } => MarkShape::Polygon {
            points: polygon((0..4).map(|k| on_circle(x, y, 6, f64::from(k) / 4.0))),
        },
        LaneMarkKind::Role {
            role: Role::PreCandidate,
            ..
        } => MarkShape::Circle { r: 5, dashed: true },
        LaneMarkKind::Crash => MarkShape::Cross,
        LaneMarkKind::Restart => MarkShape::Bar,
        LaneMarkKind::Role {
            role: Role::Follower,
            ..
        } => MarkShape::Circle {
            r: 4,
            dashed: false,
        },
    }
}

fn segment_fill(state: LaneState) -> Option<Paint> {
    match state {
        LaneState::Role { role, .. } if role != Role::Follower => Some(role_style(role).fill),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Arrows

/// One message as an arrow (content coordinates).
#[derive(Clone, Debug, PartialEq)]
pub struct ArrowDraw {
    pub id: u64,
    pub kind: &'static str,
    pub from: u64,
    pub to: u64,
    /// Client traffic, drawn to and from the clients' lane.
    pub client: bool,
    /// `inflight`, `delivered` or `lost`.
    pub fate: &'static str,
    /// Replies: granted / accepted / answered, or not.
    pub success: Option<bool>,
    pub reason: Option<LossReason>,
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
    /// Sent before the window: its start is cut off by the plot's left edge.
    pub clipped: bool,
    pub sent_us: u64,
    /// When it arrived or was lost, or now if it is in flight.
    pub end_us: u64,
    pub style: MessageStyle,
    /// The glyph at the arrow's end (the message's shape, as in the ring):
    /// where it arrived, or where it is now; a lost message ends in a cross instead.
    pub head: Glyph,
    /// A heartbeat (AppendEntries without entries): drawn lighter.
    pub light: bool,
    pub selected: bool,
    /// Tooltip, e.g. "1->2 AppendEntries Term:2 ...: delivered after 11.2 ms".
    pub label: String,
}

/// A message's glyph, small, centred on (`x`, `y`).
pub fn head_glyph(shape: MsgShape, x: i32, y: i32) -> Glyph {
    match shape {
        MsgShape::Circle => Glyph::Circle { r: 4 },
        MsgShape::Square => Glyph::Polygon {
            points: polygon(
                [
                    (x - 3, y - 3),
                    (x + 3, y - 3),
                    (x + 3, y + 3),
                    (x - 3, y + 3),
                ]
                .into_iter(),
            ),
        },
        MsgShape::Hexagon => Glyph::Polygon {
            points: polygon((0..6).map(|k| on_circle(x, y, 5, f64::from(k) / 6.0))),
        },
        MsgShape::Triangle => Glyph::Polygon {
            points: polygon((0..3).map(|k| on_circle(x, y, 5, f64::from(k) / 3.0))),
        },
    }
}

impl ArrowDraw {
    /// A reply that says no (vote denied, append rejected, client redirected): hollow head.
    pub fn hollow(&self) -> bool {
        self.success == Some(false)
    }
}

/// The fraction of its trip a message had done at `t`: 0 at sending, 1 when due.
/// A message lost as it was sent never started (0).
pub fn trip_fraction(m: &MessageLife, t: u64) -> f64 {
    if m.deliver_at <= m.sent_at {
        return if t > m.sent_at { 1.0 } else { 0.0 };
    }
    (t.saturating_sub(m.sent_at) as f64 / (m.deliver_at - m.sent_at) as f64).clamp(0.0, 1.0)
}

/// `"loss"` -> what it means, in `lang`.
pub fn reason_text(reason: LossReason, lang: Lang) -> &'static str {
    tr(
        lang,
        match reason {
            LossReason::Loss => "loss.network",
            LossReason::Partition => "loss.partition",
            LossReason::Crashed => "loss.crashed",
            LossReason::Manual => "loss.manual",
            LossReason::NoSuchServer => "loss.no_such_server",
            LossReason::Filter => "loss.filter",
        },
    )
}

/// What happened to `m`, as the inspector and tooltips say it.
pub fn fate_text(m: &MessageLife, lang: Lang) -> String {
    match m.fate {
        MessageFate::InFlight => trf(
            lang,
            "fate.inflight",
            &[
                ("due", &format_sim_time(m.deliver_at)),
                ("after", &format_ms(m.deliver_at.saturating_sub(m.sent_at))),
            ],
        ),
        MessageFate::Delivered { t } => trf(
            lang,
            "fate.delivered",
            &[
                ("time", &format_sim_time(t)),
                ("after", &format_ms(t.saturating_sub(m.sent_at))),
            ],
        ),
        MessageFate::Lost { t, reason } => trf(
            lang,
            "fate.lost",
            &[
                ("time", &format_sim_time(t)),
                ("after", &format_ms(t.saturating_sub(m.sent_at))),
                ("reason", &reason_text(reason, lang)),
            ],
        ),
    }
}

pub fn fate_name(f: MessageFate) -> &'static str {
    match f {
        MessageFate::InFlight => "inflight",
        MessageFate::Delivered { .. } => "delivered",
        MessageFate::Lost { .. } => "lost",
    }
}

// ---------------------------------------------------------------------------
// The diagram

/// The line under the diagram about the selected message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageLine {
    pub id: u64,
    /// `inflight`, `delivered`, `lost`, or `unknown` when the journal does not have it (now).
    pub fate: &'static str,
    pub text: String,
}

impl MessageLine {
    pub fn new(id: u64, life: Option<&MessageLife>, lang: Lang) -> MessageLine {
        match life {
            Some(m) => MessageLine {
                id,
                fate: fate_name(m.fate),
                text: trf(
                    lang,
                    "spacetime.line",
                    &[
                        ("summary", &summary_text(&m.summary, lang)),
                        ("time", &format_sim_time(m.sent_at)),
                        ("fate", &fate_text(m, lang)),
                    ],
                ),
            },
            None => MessageLine {
                id,
                fate: "unknown",
                text: trf(lang, "spacetime.line_unknown", &[("id", &id)]),
            },
        }
    }
}

/// Everything the space-time diagram draws.
#[derive(Clone, Debug, PartialEq)]
pub struct SpacetimeDraw {
    pub axis: TimeAxis,
    /// The window was chosen automatically (from the speed).
    pub auto: bool,
    pub now_us: u64,
    pub height: i32,
    pub ticks: Vec<Tick>,
    /// The "now" line (screen coordinates).
    pub cursor_x: i32,
    pub lanes: Vec<LaneDraw>,
    /// The clients' lane (client requests and replies), below the servers.
    pub client_lane_y: i32,
    pub marks: Vec<RoleMarkDraw>,
    /// Oldest sent first.
    pub arrows: Vec<ArrowDraw>,
    pub selected_msg: Option<MessageLine>,
    /// The client operations the linearizability checker names as having no
    /// linearization (§8), drawn as bars on the clients' lane.
    pub lin_ops: Vec<LinOpDraw>,
}

/// One offending operation: from its call to its answer (or to now, unanswered).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinOpDraw {
    pub client: u64,
    pub req: u64,
    pub x1: i32,
    pub x2: i32,
    /// Above or below the clients' lane, alternating, so consecutive bars do not overlap.
    pub y: i32,
    /// e.g. "client 1 request 1: put(x, 1) → ok, 0.050 s – 0.070 s".
    pub label: String,
}

/// How far above or below the clients' lane an offending operation's bar runs.
const LIN_OP_OFFSET: i32 = 7;

fn lane_y(index: usize) -> i32 {
    AXIS_H + index as i32 * LANE_H + LANE_H / 2
}

/// What to draw the diagram from.
pub struct SpacetimeInput<'a> {
    pub view: &'a WorldView,
    pub journal: &'a JournalView,
    pub window_us: u64,
    pub auto: bool,
    /// Step the window instead of sliding it ([`TimeAxis::stepped`]).
    pub reduced_motion: bool,
    /// The selected server.
    pub selected: Option<u64>,
    /// The selected message, and its life if the journal has it.
    pub selected_msg: Option<(u64, Option<&'a MessageLife>)>,
    /// The operations with no linearization (empty while the history is linearizable).
    pub offending: &'a [Operation],
    /// The language of the tooltips and the message line.
    pub lang: Lang,
}

impl SpacetimeDraw {
    pub fn new(input: SpacetimeInput<'_>) -> SpacetimeDraw {
        let SpacetimeInput {
            view,
            journal,
            window_us,
            auto,
            reduced_motion,
            selected,
            selected_msg,
            offending,
            lang,
        } = input;
        let now = view.now_us;
        let axis = if reduced_motion {
            TimeAxis::stepped(now, window_us)
        } else {
            TimeAxis::new(now, window_us)
        };
        let start = axis.start_us;
        let index_of = |id: u64| view.nodes.iter().position(|n| n.id == id);
        let client_lane_y = lane_y(view.nodes.len());

        let mut lanes = Vec::new();
        let mut marks = Vec::new();
        for (i, n) in view.nodes.iter().enumerate() {
            let y = lane_y(i);
            let own: Vec<_> = journal.marks.iter().filter(|m| m.node == n.id).collect();
            let state_after = |kind: LaneMarkKind, before: LaneState| match kind {
                LaneMarkKind::Role { role, term } => LaneState::Role { role, term },
                LaneMarkKind::Crash => LaneState::Down,
                LaneMarkKind::Restart => match before {
                    LaneState::Role { term, .. } => LaneState::Role {
                        role: Role::Follower,
                        term,
                    },
                    _ => LaneState::Unknown,
                },
            };
            // The state at the window's start: from the marks up to then; with
            // no marks at all, what the server is now; else not known.
            let mut state = if own.is_empty() {
                if n.alive {
                    LaneState::Role {
                        role: n.role,
                        term: n.term,
                    }
                } else {
                    LaneState::Down
                }
            } else {
                LaneState::Unknown
            };
            // Segments start at the anchor (left of the plot, clipped), so
            // they stay put while the window slides.
            let anchor = axis.anchor_us;
            for m in own.iter().filter(|m| m.t <= anchor) {
                state = state_after(m.kind, state);
            }
            let mut segments = Vec::new();
            let mut from = anchor;
            for m in own.iter().filter(|m| m.t > anchor && m.t <= now) {
                if m.t > from {
                    segments.push(Segment {
                        x1: axis.content_x(from),
                        x2: axis.content_x(m.t),
                        state,
                        fill: segment_fill(state),
                    });
                }
                from = m.t;
                state = state_after(m.kind, state);
            }
            if now > from {
                segments.push(Segment {
                    x1: axis.content_x(from),
                    x2: axis.content_x(now),
                    state,
                    fill: segment_fill(state),
                });
            }
            // Marks in the window (a mark exactly at the start too: e.g. t = 0).
            for m in own.iter().filter(|m| m.t >= start && m.t <= now) {
                let x = axis.content_x(m.t);
                let (role, term, label) = match m.kind {
                    LaneMarkKind::Role { role, term } => (
                        role.as_str(),
                        Some(term),
                        trf(
                            lang,
                            "spacetime.mark.role",
                            &[
                                ("node", &n.id),
                                ("role", &role_text(role).render(lang)),
                                ("term", &term),
                                ("time", &format_sim_time(m.t)),
                            ],
                        ),
                    ),
                    LaneMarkKind::Crash => (
                        "crash",
                        None,
                        trf(
                            lang,
                            "spacetime.mark.crash",
                            &[("node", &n.id), ("time", &format_sim_time(m.t))],
                        ),
                    ),
                    LaneMarkKind::Restart => (
                        "restart",
                        None,
                        trf(
                            lang,
                            "spacetime.mark.restart",
                            &[("node", &n.id), ("time", &format_sim_time(m.t))],
                        ),
                    ),
                };
                marks.push(RoleMarkDraw {
                    node: n.id,
                    t_us: m.t,
                    x,
                    y,
                    role,
                    term,
                    fill: match m.kind {
                        LaneMarkKind::Role { role, .. } => role_style(role).fill,
                        LaneMarkKind::Crash | LaneMarkKind::Restart => Paint::Ink,
                    },
                    shape: mark_shape(m.kind, x, y),
                    label,
                });
            }
            lanes.push(LaneDraw {
                node: n.id,
                y,
                selected: selected == Some(n.id),
                alive: n.alive,
                segments,
            });
        }

        let selected_id = selected_msg.map(|(id, _)| id);
        let arrows = journal
            .messages
            .iter()
            .filter_map(|m| {
                let end = match m.fate {
                    MessageFate::InFlight => now,
                    MessageFate::Delivered { t } | MessageFate::Lost { t, .. } => t,
                };
                if end < start || m.sent_at > now {
                    return None;
                }
                // Client traffic: the client's end is on the clients' lane.
                let (ya, yb) = match m.kind {
                    Traffic::ClientRequest { .. } => (client_lane_y, lane_y(index_of(m.to)?)),
                    Traffic::ClientReply { .. } => (lane_y(index_of(m.from)?), client_lane_y),
                    Traffic::Raft(_) => (lane_y(index_of(m.from)?), lane_y(index_of(m.to)?)),
                };
                let at = |t: u64| {
                    let f = trip_fraction(m, t);
                    (
                        axis.content_x(t),
                        (f64::from(ya) + f * f64::from(yb - ya)).round() as i32,
                    )
                };
                let clipped = m.sent_at < start;
                let (x1, y1) = at(m.sent_at);
                let (x2, y2) = at(end);
                let style = match m.kind.raft() {
                    Some(kind) => message_style(kind, m.success),
                    None => client_message_style(),
                };
                Some(ArrowDraw {
                    id: m.id,
                    kind: m.kind.as_str(),
                    from: m.from,
                    to: m.to,
                    client: m.is_client(),
                    fate: fate_name(m.fate),
                    success: m.success,
                    reason: match m.fate {
                        MessageFate::Lost { reason, .. } => Some(reason),
                        _ => None,
                    },
                    x1,
                    y1,
                    x2,
                    y2,
                    clipped,
                    sent_us: m.sent_at,
                    end_us: end,
                    style,
                    head: head_glyph(style.shape, x2, y2),
                    light: m.kind == Traffic::Raft(MessageKind::Heartbeat),
                    selected: selected_id == Some(m.id),
                    label: trf(
                        lang,
                        "spacetime.arrow",
                        &[
                            ("summary", &summary_text(&m.summary, lang)),
                            ("fate", &fate_text(m, lang)),
                        ],
                    ),
                })
            })
            .collect();

        let lin_ops = offending
            .iter()
            .enumerate()
            .filter_map(|(i, op)| {
                let end = match op.outcome {
                    Outcome::Ok { complete, .. } => complete,
                    _ => now,
                };
                if end < start || op.invoke > now {
                    return None;
                }
                let side = if i % 2 == 0 { -1 } else { 1 };
                Some(LinOpDraw {
                    client: op.client,
                    req: op.req,
                    x1: axis.content_x(op.invoke),
                    x2: axis.content_x(end.min(now)),
                    y: client_lane_y + side * LIN_OP_OFFSET,
                    label: super::safety::op_line(op, lang),
                })
            })
            .collect();

        SpacetimeDraw {
            axis,
            auto,
            now_us: now,
            height: client_lane_y + LANE_H / 2 + PAD_BOTTOM,
            ticks: ticks(&axis),
            cursor_x: axis.x(now),
            lanes,
            client_lane_y,
            marks,
            arrows,
            selected_msg: selected_msg.map(|(id, life)| MessageLine::new(id, life, lang)),
            lin_ops,
        }
    }

    /// The time at `x` (user units) for a click on the diagram: clamped to
    /// the axis and to `horizon_us` (the scrubber's end).
    pub fn time_at(&self, x: f64, horizon_us: u64) -> Option<u64> {
        self.axis.time_at(x).map(|t| t.min(horizon_us))
    }

    /// The message `step` arrows before (< 0) or after (> 0) `selected` in
    /// sending order, staying at the ends; with none selected (or one not
    /// drawn), the newest.
    pub fn neighbour(&self, selected: Option<u64>, step: i32) -> Option<u64> {
        let last = self.arrows.len().checked_sub(1)?;
        let i = match selected.and_then(|id| self.arrows.iter().position(|a| a.id == id)) {
            Some(i) => (i as i64 + i64::from(step)).clamp(0, last as i64) as usize,
            None => last,
        };
        Some(self.arrows[i].id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{LaneMark, NodeView};

    fn node(id: u64, role: &'static str) -> NodeView {
        NodeView {
            timer: None,
            configuration: String::new(),
            ..crate::view_model::ring::tests::node(id, role)
        }
    }

    fn life(id: u64, kind: &str, from: u64, to: u64, sent: u64, due: u64) -> MessageLife {
        let traffic = match kind {
            "ClientRequest" => Traffic::ClientRequest {
                op: raft_sim::KvOp::Get { key: "x".into() },
            },
            "ClientReply" => Traffic::ClientReply {
                answer: crate::cluster::Answer::Redirect { leader_hint: None },
            },
            k => Traffic::Raft(MessageKind::parse(k).expect("a message kind")),
        };
        MessageLife {
            id,
            kind: traffic,
            from,
            to,
            term: 2,
            success: None,
            req: None,
            sent_at: sent,
            deliver_at: due,
            fate: MessageFate::InFlight,
            summary: format!("{from}->{to} {kind}"),
        }
    }

    fn world(now_us: u64, nodes: Vec<NodeView>) -> WorldView {
        WorldView {
            now_us,
            nodes,
            messages: Vec::new(),
            cuts: Vec::new(),
            disk: Default::default(),
            commit: Default::default(),
            violations: Vec::new(),
            events: Vec::new(),
        }
    }

    fn draw(view: &WorldView, journal: &JournalView, window_us: u64) -> SpacetimeDraw {
        SpacetimeDraw::new(SpacetimeInput {
            view,
            journal,
            window_us,
            auto: false,
            reduced_motion: false,
            selected: None,
            selected_msg: None,
            offending: &[],
            lang: Lang::En,
        })
    }

    fn role(t: u64, node: u64, role: &str, term: u64) -> LaneMark {
        LaneMark {
            t,
            node,
            kind: LaneMarkKind::Role {
                role: crate::view_model::ring::tests::role_named(role),
                term,
            },
        }
    }

    #[test]
    fn a_busy_cluster_narrows_the_automatic_window() {
        // Nine servers under a writing client at real time: about 1,800 messages a second.
        let w = auto_window_us(1_000.0, 1_800);
        assert_eq!(w, 100_000);
        assert!(1_800 * w as usize / 1_000_000 <= AUTO_MAX_ARROWS);
        // 1,000 a second: 200 ms holds 200 of them, 500 ms would hold 500.
        assert_eq!(auto_window_us(1_000.0, 1_000), 200_000);
        // Busier than even the narrowest window allows: the narrowest.
        assert_eq!(auto_window_us(1_000.0, 1_000_000), WINDOWS_US[0]);
        // Never wider than the speed asks for.
        assert_eq!(auto_window_us(1.0, 10), 50_000);
    }

    #[test]
    fn the_window_follows_the_speed() {
        assert_eq!(auto_window_us(50.0, 0), 500_000, "1/20 of real time");
        assert_eq!(auto_window_us(1_000.0, 0), 1_000_000, "real time");
        assert_eq!(auto_window_us(1.0, 0), 50_000, "1/1000");
        assert_eq!(auto_window_us(100.0, 0), 1_000_000);
        assert_eq!(auto_window_us(20.0, 0), 200_000);
        // A quiet cluster keeps the window its speed asks for.
        assert_eq!(auto_window_us(1_000.0, AUTO_MAX_ARROWS), 1_000_000);
        assert_eq!(window_label(500_000), "500 ms");
        assert_eq!(window_label(2_000_000), "2 s");
        assert_eq!(format_ms(11_234), "11.2 ms");
    }

    #[test]
    fn time_and_x_map_both_ways_and_clicks_clamp() {
        let axis = TimeAxis::new(1_500_000, 1_000_000);
        assert_eq!((axis.start_us, axis.end_us()), (500_000, 1_500_000));
        assert_eq!(axis.x(500_000), PLOT_X0);
        assert_eq!(axis.x(1_500_000), PLOT_X1);
        assert_eq!(axis.x(1_000_000), (PLOT_X0 + PLOT_X1) / 2);
        assert_eq!(axis.x(0), PLOT_X0, "clamped");
        for t in [500_000, 750_000, 1_234_000, 1_500_000] {
            let back = axis.time_at(f64::from(axis.x(t))).unwrap();
            // One unit is window / 660 = ~1.5 ms.
            assert!(back.abs_diff(t) <= 1_000_000 / 600, "{t} -> {back}");
        }
        assert_eq!(axis.time_at(f64::from(PLOT_X0) - 3.0), Some(500_000));
        assert_eq!(axis.time_at(f64::from(PLOT_X1) + 3.0), Some(1_500_000));
        assert_eq!(axis.time_at(5.0), None, "the lane labels are not a time");
        assert_eq!(axis.time_at(f64::NAN), None);
        // Content coordinates: anchored at a whole number of windows (0 here),
        // shifted left by the start's offset.
        assert_eq!(axis.anchor_us, 0);
        assert_eq!(axis.content_x(1_000_000), PLOT_X1);
        assert_eq!(axis.shift(), (PLOT_X1 - PLOT_X0) / 2);
        for t in [500_000, 999_000, 1_500_000] {
            assert!(
                (axis.content_x(t) - axis.shift() - axis.x(t)).abs() <= 1,
                "{t}"
            );
        }
        // The content stays put as the window slides within the same anchor.
        let later = TimeAxis::new(1_900_000, 1_000_000);
        assert_eq!(later.anchor_us, axis.anchor_us);
        assert_eq!(later.content_x(1_234_000), axis.content_x(1_234_000));
        assert_eq!(TimeAxis::new(2_100_000, 1_000_000).anchor_us, 1_000_000);
        // Early in a run the window starts at 0 and now is inside it.
        let early = TimeAxis::new(100_000, 500_000);
        assert_eq!(early.start_us, 0);
        assert!(early.x(100_000) < PLOT_X1);
    }

    #[test]
    fn reduced_motion_steps_the_window_by_quarters() {
        let starts: Vec<u64> = (0..=8)
            .map(|k| TimeAxis::stepped(1_000_000 + k * 50_000, 400_000).start_us)
            .collect();
        assert_eq!(
            starts,
            [600_000, 700_000, 700_000, 800_000, 800_000, 900_000, 900_000, 1_000_000, 1_000_000]
        );
        for now in (0..2_000_000).step_by(7_919) {
            let a = TimeAxis::stepped(now, 400_000);
            assert!(a.start_us <= now && now <= a.end_us(), "{now}: {a:?}");
            assert!(
                a.start_us + 400_000 - 100_000 <= now || a.start_us == 0,
                "{now}: {a:?}"
            );
        }
    }

    #[test]
    fn ticks_are_round_and_inside() {
        let axis = TimeAxis::new(1_730_000, 500_000);
        let t = ticks(&axis);
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            ["1.300 s", "1.400 s", "1.500 s", "1.600 s", "1.700 s"]
        );
        assert!(t
            .iter()
            .all(|t| (PLOT_X0..=PLOT_X1).contains(&(t.x - axis.shift()))));
        assert!((4..=10).contains(&ticks(&TimeAxis::new(0, 50_000)).len()));
    }

    #[test]
    fn one_lane_per_server_with_arrows_between_them() {
        let view = world(
            100_000,
            vec![node(1, "leader"), node(2, "follower"), node(3, "follower")],
        );
        let mut delivered = life(7, "AppendEntries", 1, 3, 20_000, 30_000);
        delivered.fate = MessageFate::Delivered { t: 30_000 };
        let inflight = life(8, "Heartbeat", 1, 2, 90_000, 110_000);
        let journal = JournalView {
            messages: vec![delivered, inflight],
            marks: Vec::new(),
        };
        let d = draw(&view, &journal, 200_000);
        let ys: Vec<i32> = d.lanes.iter().map(|l| l.y).collect();
        assert_eq!(ys, [lane_y(0), lane_y(1), lane_y(2)]);
        assert!(ys.windows(2).all(|w| w[1] - w[0] == LANE_H));
        assert_eq!(d.client_lane_y, lane_y(3));
        assert_eq!(d.height, lane_y(3) + LANE_H / 2 + PAD_BOTTOM);
        let a = &d.arrows[0];
        assert_eq!((a.fate, a.from, a.to), ("delivered", 1, 3));
        assert_eq!((a.x1, a.y1), (d.axis.content_x(20_000), lane_y(0)));
        assert_eq!((a.x2, a.y2), (d.axis.content_x(30_000), lane_y(2)));
        assert_eq!((a.sent_us, a.end_us), (20_000, 30_000));
        assert!(!a.light && !a.clipped);
        // In flight: the arrow stops at now, halfway down (10 of 20 ms done).
        let b = &d.arrows[1];
        assert_eq!(b.fate, "inflight");
        assert!(b.light, "heartbeats are drawn lighter");
        assert_eq!(b.x2, d.cursor_x);
        assert_eq!(b.y2, (lane_y(0) + lane_y(1)) / 2);
        // Nothing is known before t = 0 for a server with no marks: its current role holds.
        assert_eq!(d.lanes[0].segments.len(), 1);
        assert_eq!(
            d.lanes[0].segments[0].state,
            LaneState::Role {
                role: Role::Leader,
                term: 2
            }
        );
    }

    #[test]
    fn lost_messages_end_where_they_were_lost_and_say_why() {
        let view = world(100_000, vec![node(1, "leader"), node(2, "follower")]);
        let mut manual = life(1, "AppendEntries", 1, 2, 40_000, 60_000);
        manual.fate = MessageFate::Lost {
            t: 45_000,
            reason: LossReason::Manual,
        };
        // Lost as it was sent (random loss): a cross on the sender's lane.
        let mut at_once = life(2, "Heartbeat", 1, 2, 70_000, 70_000);
        at_once.fate = MessageFate::Lost {
            t: 70_000,
            reason: LossReason::Loss,
        };
        let mut on_arrival = life(3, "AppendEntriesResponse", 2, 1, 50_000, 62_000);
        on_arrival.fate = MessageFate::Lost {
            t: 62_000,
            reason: LossReason::Partition,
        };
        let journal = JournalView {
            messages: vec![manual, at_once, on_arrival],
            marks: Vec::new(),
        };
        let d = draw(&view, &journal, 100_000);
        let (y1, y2) = (lane_y(0), lane_y(1));
        let a = &d.arrows[0];
        assert_eq!((a.fate, a.reason), ("lost", Some(LossReason::Manual)));
        let quarter = (f64::from(y1) + f64::from(y2 - y1) / 4.0).round() as i32;
        assert_eq!((a.x2, a.y2), (d.axis.content_x(45_000), quarter));
        assert!(a.label.contains("dropped by hand"), "{}", a.label);
        let b = &d.arrows[1];
        assert_eq!(
            (b.x1, b.y1, b.x2, b.y2),
            (b.x2, y1, d.axis.content_x(70_000), y1)
        );
        let c = &d.arrows[2];
        assert_eq!(
            (c.x2, c.y2),
            (d.axis.content_x(62_000), y1),
            "lost on arrival"
        );
        assert!(c.label.contains("the link was cut"));
    }

    #[test]
    fn the_window_clips_old_arrows_and_drops_older_ones() {
        let view = world(1_000_000, vec![node(1, "leader"), node(2, "follower")]);
        let mut gone = life(1, "Heartbeat", 1, 2, 100_000, 110_000);
        gone.fate = MessageFate::Delivered { t: 110_000 };
        let mut straddling = life(2, "AppendEntries", 1, 2, 490_000, 510_000);
        straddling.fate = MessageFate::Delivered { t: 510_000 };
        let journal = JournalView {
            messages: vec![gone, straddling],
            marks: Vec::new(),
        };
        let d = draw(&view, &journal, 500_000);
        assert_eq!(d.arrows.len(), 1, "ended before the window");
        let a = &d.arrows[0];
        assert!(a.clipped);
        // It starts left of the plot (cut off by the page's clip path).
        assert_eq!((a.x1, a.y1), (d.axis.content_x(490_000), lane_y(0)));
        assert!(a.x1 - d.axis.shift() < PLOT_X0);
        assert_eq!(a.x2, d.axis.content_x(510_000));
    }

    #[test]
    fn role_changes_crashes_and_restarts_mark_the_lanes() {
        let mut s2 = node(2, "follower");
        s2.term = 3;
        let view = world(
            1_000_000,
            vec![node(1, "follower"), s2, node(3, "follower")],
        );
        let journal = JournalView {
            messages: Vec::new(),
            marks: vec![
                role(0, 1, "follower", 0),
                role(0, 2, "follower", 0),
                role(300_000, 2, "candidate", 1),
                role(450_000, 2, "leader", 1),
                LaneMark {
                    t: 600_000,
                    node: 2,
                    kind: LaneMarkKind::Crash,
                },
                LaneMark {
                    t: 800_000,
                    node: 2,
                    kind: LaneMarkKind::Restart,
                },
                role(800_000, 2, "follower", 1),
                role(900_000, 2, "follower", 3),
            ],
        };
        let d = draw(&view, &journal, 800_000);
        // The window starts at 200 ms, its content at the anchor, 0: S2 was a follower then.
        let states: Vec<(&str, i32, i32)> = d.lanes[1]
            .segments
            .iter()
            .map(|s| (s.state.name(), s.x1, s.x2))
            .collect();
        let x = |t| d.axis.content_x(t);
        assert_eq!(
            states,
            [
                ("follower", x(0), x(300_000)),
                ("candidate", x(300_000), x(450_000)),
                ("leader", x(450_000), x(600_000)),
                ("down", x(600_000), x(800_000)),
                ("follower", x(800_000), x(900_000)),
                ("follower", x(900_000), x(1_000_000)),
            ]
        );
        assert_eq!(
            d.lanes[1].segments[2].fill,
            Some(role_style(Role::Leader).fill)
        );
        assert_eq!(d.lanes[1].segments[0].fill, None);
        let roles: Vec<(&str, Option<u64>)> = d
            .marks
            .iter()
            .filter(|m| m.node == 2)
            .map(|m| (m.role, m.term))
            .collect();
        assert_eq!(
            roles,
            [
                ("candidate", Some(1)),
                ("leader", Some(1)),
                ("crash", None),
                ("restart", None),
                ("follower", Some(1)),
                ("follower", Some(3)),
            ]
        );
        assert!(matches!(d.marks[1].shape, MarkShape::Polygon { .. }));
        assert_eq!(d.marks[2].shape, MarkShape::Cross);
        // The t = 0 marks are before the window: not drawn. S3 has no marks: its state now.
        assert!(d.marks.iter().all(|m| m.node == 2));
        assert_eq!(d.lanes[2].segments[0].state.name(), "follower");
        // S1's state at the window start comes from its mark at 0.
        assert_eq!(
            d.lanes[0].segments[0].state,
            LaneState::Role {
                role: Role::Follower,
                term: 0
            }
        );
    }

    #[test]
    fn unknown_before_the_oldest_kept_mark() {
        let view = world(1_000_000, vec![node(1, "leader")]);
        let journal = JournalView {
            messages: Vec::new(),
            marks: vec![role(700_000, 1, "leader", 4)],
        };
        let d = draw(&view, &journal, 500_000);
        let names: Vec<&str> = d.lanes[0].segments.iter().map(|s| s.state.name()).collect();
        assert_eq!(names, ["unknown", "leader"]);
    }

    #[test]
    fn selection_keyboard_neighbours_and_the_inspector_line() {
        let view = world(100_000, vec![node(1, "leader"), node(2, "follower")]);
        let mut m = life(5, "AppendEntries", 1, 2, 10_000, 21_234);
        m.fate = MessageFate::Delivered { t: 21_234 };
        let journal = JournalView {
            messages: vec![
                m.clone(),
                life(6, "Heartbeat", 1, 2, 95_000, 105_000),
                life(9, "Heartbeat", 2, 1, 96_000, 105_000),
            ],
            marks: Vec::new(),
        };
        let d = SpacetimeDraw::new(SpacetimeInput {
            view: &view,
            journal: &journal,
            window_us: 200_000,
            auto: true,
            reduced_motion: false,
            selected: Some(2),
            selected_msg: Some((5, Some(&m))),
            offending: &[],
            lang: Lang::En,
        });
        assert!(d.arrows[0].selected && !d.arrows[1].selected);
        assert!(d.lanes[1].selected && !d.lanes[0].selected);
        let line = d.selected_msg.as_ref().unwrap();
        assert_eq!(line.fate, "delivered");
        assert_eq!(
            line.text,
            "1->2 AppendEntries: sent at 0.010 s, delivered at 0.021 s (11.2 ms later)"
        );
        assert_eq!(MessageLine::new(3, None, Lang::En).fate, "unknown");
        // In Chinese: the summary (raft-core's notation) stays, the rest is Chinese.
        let zh = MessageLine::new(5, Some(&m), Lang::Zh).text;
        assert!(
            zh.starts_with("1->2 AppendEntries") && zh.contains("\u{9001}\u{8fbe}"),
            "{zh}"
        );
        assert_eq!(d.neighbour(Some(5), 1), Some(6));
        assert_eq!(d.neighbour(Some(6), -1), Some(5));
        assert_eq!(d.neighbour(Some(5), -1), Some(5), "stays at the end");
        assert_eq!(d.neighbour(Some(9), 5), Some(9));
        assert_eq!(d.neighbour(None, 1), Some(9), "the newest");
        assert_eq!(d.neighbour(Some(77), -1), Some(9));
        // Clicks are clamped to the scrubber's end.
        assert_eq!(d.time_at(f64::from(PLOT_X1), 100_000), Some(100_000));
        assert_eq!(d.time_at(f64::from(PLOT_X0), 100_000), Some(0));
    }

    #[test]
    fn client_traffic_uses_the_clients_lane() {
        let view = world(100_000, vec![node(1, "leader"), node(2, "follower")]);
        let req = life(1, "ClientRequest", 1, 2, 10_000, 20_000);
        let mut reply = life(2, "ClientReply", 2, 1, 30_000, 40_000);
        reply.success = Some(false);
        reply.fate = MessageFate::Delivered { t: 40_000 };
        let journal = JournalView {
            messages: vec![req, reply],
            marks: Vec::new(),
        };
        let d = draw(&view, &journal, 200_000);
        let (a, b) = (&d.arrows[0], &d.arrows[1]);
        assert!(a.client && b.client);
        assert_eq!((a.y1, a.y2), (d.client_lane_y, lane_y(1)));
        assert_eq!((b.y1, b.y2), (lane_y(1), d.client_lane_y));
        assert!(b.hollow(), "a redirect is a 'no'");
    }
}

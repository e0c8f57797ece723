//! The cluster ring: where each server sits, how its role, term, election
//! timer and votes look, and where each message in flight is along its link.
//!
//! Drawing uses whole SVG units: printing integers keeps float formatting out of the wasm.

use raft_core::{MessageKind, Role};

use super::interaction::Group;
use super::paint::Paint;
use super::regions::{self, RegionDraw};
use super::text::{role_text, summary_text};

use crate::cluster::{
    LossReason, MembershipView, MessageFate, MessageLife, MessageView, NodeView, WorldView,
};
use crate::i18n::{tr, trf, Lang};

/// Size of the square SVG drawing area, in user units.
pub const VIEW_SIZE: i32 = 400;
/// Radius of the circle the servers sit on.
pub const RING_RADIUS: i32 = 140;
/// Messages travel this far to the side of the link's centre line, so a
/// request and its reply (opposite directions) use separate lanes.
const LANE_OFFSET: f64 = 7.0;
/// Half the size of a message glyph.
const MSG_SIZE: i32 = 8;

/// Radius of a server's body: smaller when more servers share the ring.
pub fn node_radius(count: usize) -> i32 {
    match count {
        0..=5 => 30,
        6..=7 => 26,
        _ => 22,
    }
}

// ---------------------------------------------------------------------------
// Servers

/// The outline drawn around a server, so roles differ by shape as well as colour.
#[derive(Clone, Debug, PartialEq)]
pub enum Outline {
    /// A ring of radius `r`; dashed for a pre-candidate (it has not started an election).
    Circle { r: i32, dashed: bool },
    /// An SVG `points` list.
    Polygon { points: String },
}

/// Colour and shape per role; palette after Okabe & Ito, readable with colour blindness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleStyle {
    pub fill: Paint,
    pub shape: Shape,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Ring,
    DashedRing,
    Diamond,
    Star,
}

/// How a role is drawn: a colour and a shape, so colour is never the only cue.
pub fn role_style(role: Role) -> RoleStyle {
    match role {
        Role::Leader => RoleStyle {
            fill: Paint::Leader,
            shape: Shape::Star,
        },
        Role::Candidate => RoleStyle {
            fill: Paint::Candidate,
            shape: Shape::Diamond,
        },
        Role::PreCandidate => RoleStyle {
            fill: Paint::PreCandidate,
            shape: Shape::DashedRing,
        },
        Role::Follower => RoleStyle {
            fill: Paint::Follower,
            shape: Shape::Ring,
        },
    }
}

/// Fill for a crashed server, whatever its last role.
pub const DEAD_FILL: Paint = Paint::Dead;

/// Point at `turn` (0..1, clockwise from 12 o'clock) on a circle, rounded to whole units.
pub(crate) fn on_circle(cx: i32, cy: i32, r: i32, turn: f64) -> (i32, i32) {
    let angle = std::f64::consts::TAU * turn - std::f64::consts::FRAC_PI_2;
    let r = f64::from(r);
    (
        cx + (r * angle.cos()).round() as i32,
        cy + (r * angle.sin()).round() as i32,
    )
}

/// Position of server `index` of `count` on a ring, starting at 12 o'clock, clockwise.
pub fn ring_position(index: usize, count: usize, cx: i32, cy: i32, r: i32) -> (i32, i32) {
    let turn = if count == 0 {
        0.0
    } else {
        index as f64 / count as f64
    };
    on_circle(cx, cy, r, turn)
}

pub(crate) fn polygon(corners: impl Iterator<Item = (i32, i32)>) -> String {
    corners
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The outline for `shape` around a server drawn at (`cx`, `cy`) with radius `r`.
pub fn outline(shape: Shape, cx: i32, cy: i32, r: i32) -> Outline {
    let o = r + 8;
    match shape {
        Shape::Ring => Outline::Circle {
            r: o,
            dashed: false,
        },
        Shape::DashedRing => Outline::Circle { r: o, dashed: true },
        // Corners far enough out that the edges clear the body.
        Shape::Diamond => Outline::Polygon {
            points: polygon((0..4).map(|k| on_circle(cx, cy, o + 12, f64::from(k) / 4.0))),
        },
        // Ten corners alternating outer and inner radius, first point up.
        Shape::Star => Outline::Polygon {
            points: polygon((0..10).map(|k| {
                let radius = if k % 2 == 0 { o + 16 } else { o - 1 };
                on_circle(cx, cy, radius, f64::from(k) / 10.0)
            })),
        },
    }
}

/// The election timer as an arc that drains clockwise from 12 o'clock:
/// `remaining` is the fraction of the timeout still to run (§5.2).
pub fn timer_arc(cx: i32, cy: i32, r: i32, remaining: f64) -> Option<String> {
    let remaining = remaining.clamp(0.0, 1.0);
    if remaining <= 0.0 {
        return None;
    }
    let (x0, y0) = (cx, cy - r);
    if remaining >= 0.999 {
        // One arc cannot end where it starts: draw two halves.
        return Some(format!(
            "M {x0} {y0} A {r} {r} 0 1 1 {x0} {} A {r} {r} 0 1 1 {x0} {y0}",
            cy + r
        ));
    }
    let (x1, y1) = on_circle(cx, cy, r, remaining);
    let large = i32::from(remaining > 0.5);
    Some(format!("M {x0} {y0} A {r} {r} 0 {large} 1 {x1} {y1}"))
}

/// A vote received by a candidate: filled if granted, hollow if denied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteDot {
    pub from: u64,
    pub x: i32,
    pub y: i32,
    pub granted: bool,
}

/// Dots in a row inside the bottom of the server's body, one per answer.
pub fn vote_dots(cx: i32, cy: i32, r: i32, votes: &[(u64, bool)]) -> Vec<VoteDot> {
    const GAP: i32 = 7;
    let n = votes.len() as i32;
    let x0 = cx - (n - 1) * GAP / 2;
    votes
        .iter()
        .enumerate()
        .map(|(i, &(from, granted))| VoteDot {
            from,
            x: x0 + i as i32 * GAP,
            y: cy + r - 7,
            granted,
        })
        .collect()
}

/// Everything the page needs to draw one server.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeDraw {
    pub id: u64,
    pub role: Role,
    pub term: u64,
    pub alive: bool,
    /// Removed from the configuration and shut down (`data-retired`).
    pub retired: bool,
    pub commit: u64,
    pub x: i32,
    pub y: i32,
    pub r: i32,
    pub fill: Paint,
    pub outline: Outline,
    /// SVG path of the election timer (followers and candidates while running).
    pub timer_arc: Option<String>,
    pub votes: Vec<VoteDot>,
    pub selected: bool,
    /// What a screen reader says for this server.
    pub label: String,
    /// Membership in the configuration the page shows (§6): `voter`, `learner`,
    /// `none`, or during joint consensus `old` (C_old only), `new` (C_new only), `both`.
    pub config: &'static str,
    /// A short tag drawn under the server, when membership needs saying.
    pub config_tag: Option<&'static str>,
}

/// Where server `id` stands in `m` (see [`NodeDraw::config`]).
pub fn config_of(m: &MembershipView, id: u64) -> &'static str {
    let (new, old) = (m.voters.contains(&id), m.outgoing.contains(&id));
    if m.is_joint() && (new || old) {
        return match (old, new) {
            (true, true) => "both",
            (true, false) => "old",
            _ => "new",
        };
    }
    if new {
        "voter"
    } else if m.learners.contains(&id) {
        "learner"
    } else {
        "none"
    }
}

/// The tag under a server; plain voters outside joint consensus need none.
pub fn config_tag(config: &str, lang: Lang) -> Option<&'static str> {
    match config {
        "old" => Some("C_old"),
        "new" => Some("C_new"),
        "both" => Some("C_old+C_new"),
        "learner" => Some(tr(lang, "ring.tag.learner")),
        "none" => Some(tr(lang, "ring.tag.none")),
        _ => None,
    }
}

/// The tag under a server: "retired" for a removed server the world shut down, else
/// its place in the configuration ([`config_tag`]).
fn node_tag(n: &NodeView, config: &str, lang: Lang) -> Option<&'static str> {
    if n.retired {
        Some(tr(lang, "ring.tag.retired"))
    } else {
        config_tag(config, lang)
    }
}

/// Radius of a spare server's glyph.
pub const SPARE_R: i32 = 11;

/// Where the `i`th spare server sits: rows of four from the bottom-left corner
/// up, clear of the ring for every cluster size.
pub fn spare_position(i: usize) -> (i32, i32) {
    let (col, row) = ((i % 4) as i32, (i / 4) as i32);
    (18 + col * 26, VIEW_SIZE - 14 - row * 26)
}

/// A spare server: outside the configuration and never part of the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpareDraw {
    pub id: u64,
    pub x: i32,
    pub y: i32,
    pub r: i32,
    pub label: String,
}

pub fn node_label(n: &NodeView, lang: Lang) -> String {
    // Starts with what the circle shows ("S1 T1"), so the name contains the visible text.
    let mut label = trf(
        lang,
        "ring.node",
        &[
            ("node", &n.id),
            ("term", &n.term),
            ("role", &role_text(n.role).render(lang)),
            ("commit", &n.commit),
        ],
    );
    if !n.alive {
        label.push_str(tr(lang, "ring.node.crashed"));
    } else if n.retired {
        label.push_str(tr(lang, "ring.node.retired"));
    }
    if matches!(n.role, Role::Candidate | Role::PreCandidate) {
        let granted = n.votes.iter().filter(|(_, g)| *g).count();
        label.push_str(&trf(lang, "ring.node.votes", &[("votes", &granted)]));
    }
    label
}

fn node_draw(
    n: &NodeView,
    index: usize,
    count: usize,
    selected: Option<u64>,
    config: &'static str,
    lang: Lang,
) -> NodeDraw {
    let c = VIEW_SIZE / 2;
    let r = node_radius(count);
    let (x, y) = ring_position(index, count, c, c, RING_RADIUS);
    let style = role_style(n.role);
    // A retired server is shut down: drawn like a crashed one, without a timer.
    let running = n.alive && !n.retired;
    let timer_arc = match n.timer {
        Some((elapsed, timeout)) if running && n.role != Role::Leader && timeout > 0 => {
            timer_arc(x, y, r + 4, 1.0 - f64::from(elapsed) / f64::from(timeout))
        }
        _ => None,
    };
    let votes = if n.alive && matches!(n.role, Role::Candidate | Role::PreCandidate) {
        vote_dots(x, y, r, &n.votes)
    } else {
        Vec::new()
    };
    NodeDraw {
        id: n.id,
        role: n.role,
        term: n.term,
        alive: n.alive,
        retired: n.retired,
        commit: n.commit,
        x,
        y,
        r,
        fill: if running { style.fill } else { DEAD_FILL },
        outline: outline(style.shape, x, y, r),
        timer_arc,
        votes,
        selected: selected == Some(n.id),
        label: match node_tag(n, config, lang) {
            Some(tag) => trf(
                lang,
                "ring.node.tagged",
                &[("label", &node_label(n, lang)), ("tag", &tag)],
            ),
            None => node_label(n, lang),
        },
        config,
        config_tag: node_tag(n, config, lang),
    }
}

// ---------------------------------------------------------------------------
// Messages

/// The glyph of a message: each RPC kind its own shape and colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Glyph {
    Circle { r: i32 },
    Polygon { points: String },
}

/// How a message kind looks: shape family, fill, and a dashed outline for pre-votes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageStyle {
    pub shape: MsgShape,
    pub fill: Paint,
    pub dashed: bool,
    /// Replies: a check mark or a cross, so success is readable without colour.
    pub mark: Option<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MsgShape {
    /// Votes: RequestVote, PreVote and their replies.
    Circle,
    /// Log replication: AppendEntries, heartbeats and their replies.
    Square,
    /// InstallSnapshot and its reply.
    Hexagon,
    /// TimeoutNow (leadership transfer).
    Triangle,
}

const OK_FILL: Paint = Paint::Ok;
const FAIL_FILL: Paint = Paint::Fail;

/// Style of a message of `kind`; `success` for replies.
pub fn message_style(kind: MessageKind, success: Option<bool>) -> MessageStyle {
    let reply = |shape| MessageStyle {
        shape,
        fill: if success == Some(false) {
            FAIL_FILL
        } else {
            OK_FILL
        },
        dashed: kind == MessageKind::PreVoteResponse,
        mark: Some(if success == Some(false) {
            "\u{2717}"
        } else {
            "\u{2713}"
        }),
    };
    let request = |shape, fill, dashed| MessageStyle {
        shape,
        fill,
        dashed,
        mark: None,
    };
    match kind {
        MessageKind::RequestVote => request(MsgShape::Circle, Paint::Vote, false),
        MessageKind::PreVote => request(MsgShape::Circle, Paint::PreVote, true),
        MessageKind::RequestVoteResponse | MessageKind::PreVoteResponse => reply(MsgShape::Circle),
        MessageKind::AppendEntries => request(MsgShape::Square, Paint::Append, false),
        MessageKind::Heartbeat => request(MsgShape::Square, Paint::Heartbeat, false),
        MessageKind::AppendEntriesResponse => reply(MsgShape::Square),
        MessageKind::InstallSnapshot => request(MsgShape::Hexagon, Paint::Snapshot, false),
        MessageKind::InstallSnapshotResponse => reply(MsgShape::Hexagon),
        MessageKind::TimeoutNow => request(MsgShape::Triangle, Paint::TimeoutNow, false),
    }
}

/// Style of client traffic (requests and replies, on the space-time diagram).
pub fn client_message_style() -> MessageStyle {
    MessageStyle {
        shape: MsgShape::Circle,
        fill: Paint::Client,
        dashed: false,
        mark: None,
    }
}

/// The glyph of `shape` centred on (`x`, `y`).
pub fn glyph(shape: MsgShape, x: i32, y: i32, small: bool) -> Glyph {
    let s = if small { MSG_SIZE - 2 } else { MSG_SIZE };
    match shape {
        MsgShape::Circle => Glyph::Circle { r: s },
        MsgShape::Square => Glyph::Polygon {
            points: polygon(
                [
                    (x - s, y - s),
                    (x + s, y - s),
                    (x + s, y + s),
                    (x - s, y + s),
                ]
                .into_iter(),
            ),
        },
        MsgShape::Hexagon => Glyph::Polygon {
            points: polygon((0..6).map(|k| on_circle(x, y, s + 1, f64::from(k) / 6.0))),
        },
        MsgShape::Triangle => Glyph::Polygon {
            points: polygon((0..3).map(|k| on_circle(x, y, s + 2, f64::from(k) / 3.0))),
        },
    }
}

/// How far along its link a message is: 0 when sent, 1 when due.
pub fn flight_progress(now_us: u64, sent_at: u64, deliver_at: u64) -> f64 {
    if deliver_at <= sent_at {
        return 1.0;
    }
    (now_us.saturating_sub(sent_at) as f64 / (deliver_at - sent_at) as f64).clamp(0.0, 1.0)
}

/// Where a message is at `progress` along the link from `a` to `b`: it leaves
/// the sender's rim and arrives at the receiver's rim, in its direction's lane.
pub fn message_point(a: (i32, i32), b: (i32, i32), node_r: i32, progress: f64) -> (i32, i32) {
    let (ax, ay) = (f64::from(a.0), f64::from(a.1));
    let (dx, dy) = (f64::from(b.0) - ax, f64::from(b.1) - ay);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return a;
    }
    let (ux, uy) = (dx / len, dy / len);
    let rim = f64::from(node_r + 10).min(len / 2.0);
    let along = rim + (len - 2.0 * rim) * progress.clamp(0.0, 1.0);
    // Right-hand side of the direction of travel.
    let (nx, ny) = (-uy, ux);
    (
        (ax + ux * along + nx * LANE_OFFSET).round() as i32,
        (ay + uy * along + ny * LANE_OFFSET).round() as i32,
    )
}

/// Everything the page needs to draw one message in flight.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageDraw {
    pub id: u64,
    pub kind: MessageKind,
    pub from: u64,
    pub to: u64,
    pub x: i32,
    pub y: i32,
    pub glyph: Glyph,
    pub style: MessageStyle,
    /// Tooltip, e.g. "1->2 AppendEntries Term:2 ... (click to drop)".
    pub label: String,
    /// Accessible name, e.g. "AppendEntries S1→S2 term 3, press Enter or Delete to drop".
    pub spoken: String,
    /// The message selected in the space-time diagram (or by hovering here).
    pub selected: bool,
    /// Held by hand: drawn standing still where it was held.
    pub held: bool,
}

/// A message that was lost (dropped by hand, or by the network), marked
/// for a moment where it was along its link when it was lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedDraw {
    pub id: u64,
    pub kind: MessageKind,
    pub x: i32,
    pub y: i32,
    pub reason: LossReason,
}

/// How long (simulated) a lost message stays marked where it was lost.
pub const LOST_MARK_US: u64 = 150_000;

/// How far along its trip a message was when lost at `t`: 0 when lost as it
/// was sent (loss, a cut link), 1 when lost on arrival (partition, crashed receiver).
pub fn lost_progress(sent_at: u64, deliver_at: u64, t: u64) -> f64 {
    if deliver_at <= sent_at {
        return if t > sent_at { 1.0 } else { 0.0 };
    }
    flight_progress(t, sent_at, deliver_at)
}

/// A link between two servers (`a` < `b`); `cut` when either direction is cut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkDraw {
    pub a: u64,
    pub b: u64,
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
    pub cut: bool,
    /// Messages from `a` to `b` are lost.
    pub cut_ab: bool,
    /// Messages from `b` to `a` are lost.
    pub cut_ba: bool,
}

impl RingDraw {
    /// Whether messages from `from` to `to` are lost (a cut link, one way or both).
    pub fn way_cut(&self, from: u64, to: u64) -> bool {
        self.links.iter().any(|l| {
            (l.a, l.b, l.cut_ab) == (from, to, true) || (l.b, l.a, l.cut_ba) == (from, to, true)
        })
    }
}

impl LinkDraw {
    /// `data-cut-dir`: `none`, `both`, `forward` (only `a` to `b` is cut) or
    /// `backward` (only `b` to `a`).
    pub fn cut_dir(&self) -> &'static str {
        match (self.cut_ab, self.cut_ba) {
            (false, false) => "none",
            (true, true) => "both",
            (true, false) => "forward",
            (false, true) => "backward",
        }
    }

    /// The bar across a one-way cut, as two end points: 16 units long, square to
    /// the link, a quarter of the way from the server that no longer hears the other.
    pub fn gate_bar(&self) -> Option<((i32, i32), (i32, i32))> {
        let (cx, cy) = self.gate()?;
        let (dx, dy) = (f64::from(self.x2 - self.x1), f64::from(self.y2 - self.y1));
        let len = dx.hypot(dy).max(1.0);
        let (px, py) = ((-dy / len * 8.0) as i32, (dx / len * 8.0) as i32);
        Some(((cx - px, cy - py), (cx + px, cy + py)))
    }

    /// The middle of the bar across a one-way cut: a quarter of the way from
    /// the server that no longer hears the other.
    pub fn gate(&self) -> Option<(i32, i32)> {
        let near_b = match (self.cut_ab, self.cut_ba) {
            (true, false) => true,
            (false, true) => false,
            _ => return None,
        };
        let (fx, fy, tx, ty) = if near_b {
            (self.x2, self.y2, self.x1, self.y1)
        } else {
            (self.x1, self.y1, self.x2, self.y2)
        };
        Some((fx + (tx - fx) / 4, fy + (ty - fy) / 4))
    }
}

/// Everything the ring draws at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct RingDraw {
    pub nodes: Vec<NodeDraw>,
    pub links: Vec<LinkDraw>,
    pub messages: Vec<MessageDraw>,
    pub dropped: Vec<DroppedDraw>,
    /// Spare servers, in their own slots on the ring (no links: they take no part yet).
    pub spares: Vec<SpareDraw>,
    /// Groups drawn behind the servers: the network's actual groups once it is
    /// split, then the partition draft's group B ([`RingDraw::mark_draft`]).
    pub regions: Vec<RegionDraw>,
}

impl RingDraw {
    /// Lays out `view`, every server a voter; with `reduced_motion` messages wait
    /// at the middle of their link.
    pub fn new(
        view: &WorldView,
        selected: Option<u64>,
        reduced_motion: bool,
        lang: Lang,
    ) -> RingDraw {
        Self::with_membership(view, None, selected, reduced_motion, lang)
    }

    /// Lays out `view` with each server's membership in `m`: the servers evenly
    /// round the ring, spare servers small in the bottom-left corner (they are not
    /// part of the cluster until added; then the ring makes room).
    pub fn with_membership(
        view: &WorldView,
        m: Option<&MembershipView>,
        selected: Option<u64>,
        reduced_motion: bool,
        lang: Lang,
    ) -> RingDraw {
        let spare_ids = m.map_or(&[][..], |m| m.spares.as_slice());
        let count = view.nodes.len();
        let slot = |id: u64| view.nodes.iter().position(|n| n.id == id).unwrap_or(0);
        let nodes: Vec<NodeDraw> = view
            .nodes
            .iter()
            .map(|n| {
                let config = m.map_or("voter", |m| config_of(m, n.id));
                node_draw(n, slot(n.id), count, selected, config, lang)
            })
            .collect();
        let spares = spare_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| {
                let (x, y) = spare_position(i);
                SpareDraw {
                    id,
                    x,
                    y,
                    r: SPARE_R,
                    label: trf(lang, "ring.spare", &[("node", &id)]),
                }
            })
            .collect();
        let mut links = Vec::new();
        for (i, a) in nodes.iter().enumerate() {
            for b in &nodes[i + 1..] {
                let (a, b) = if a.id < b.id { (a, b) } else { (b, a) };
                let cut = |f: u64, t: u64| view.cuts.contains(&(f, t));
                let (cut_ab, cut_ba) = (cut(a.id, b.id), cut(b.id, a.id));
                links.push(LinkDraw {
                    a: a.id,
                    b: b.id,
                    x1: a.x,
                    y1: a.y,
                    x2: b.x,
                    y2: b.y,
                    cut: cut_ab || cut_ba,
                    cut_ab,
                    cut_ba,
                });
            }
        }
        let messages = view
            .messages
            .iter()
            .filter_map(|m| message_draw(m, &nodes, view.now_us, reduced_motion, lang))
            .collect();
        let regions = regions::split_regions(&nodes, &links, lang);
        RingDraw {
            nodes,
            links,
            messages,
            dropped: Vec::new(),
            spares,
            regions,
        }
    }

    /// Draws the partition draft's groups B and C (`draft`: the servers not in A)
    /// over the actual groups.
    pub fn mark_draft(&mut self, draft: &[(u64, Group)], lang: Lang) {
        self.regions
            .retain(|r| r.kind != regions::RegionKind::Draft);
        for group in [Group::B, Group::C] {
            let ids: Vec<u64> = draft.iter().filter(|g| g.1 == group).map(|g| g.0).collect();
            self.regions
                .extend(regions::draft_region(&self.nodes, group.name(), &ids, lang));
        }
    }

    /// Marks where each server-to-server message in `lives` that was lost in
    /// the last [`LOST_MARK_US`] (up to `now_us`) was lost; with
    /// `reduced_motion` at the middle of its link, where messages wait.
    pub fn mark_losses(&mut self, lives: &[MessageLife], now_us: u64, reduced_motion: bool) {
        let recent = |t: u64| t <= now_us && t + LOST_MARK_US >= now_us;
        self.dropped = lives
            .iter()
            .filter_map(|m| {
                let kind = m.kind.raft()?;
                let MessageFate::Lost { t, reason } = m.fate else {
                    return None;
                };
                if !recent(t) {
                    return None;
                }
                let a = self.nodes.iter().find(|n| n.id == m.from)?;
                let b = self.nodes.iter().find(|n| n.id == m.to)?;
                let progress = if reduced_motion {
                    0.5
                } else {
                    lost_progress(m.sent_at, m.deliver_at, t)
                };
                let (x, y) = message_point((a.x, a.y), (b.x, b.y), a.r, progress);
                Some(DroppedDraw {
                    id: m.id,
                    kind,
                    x,
                    y,
                    reason,
                })
            })
            .collect();
    }

    /// Marks message `id` as the selected one (others not).
    pub fn select_message(&mut self, id: Option<u64>) {
        for m in &mut self.messages {
            m.selected = Some(m.id) == id;
        }
    }

    /// Where message `id` is drawn now, if it is drawn.
    pub fn message_at(&self, id: u64) -> Option<(i32, i32)> {
        self.messages
            .iter()
            .find(|m| m.id == id)
            .map(|m| (m.x, m.y))
    }
}

fn message_draw(
    m: &MessageView,
    nodes: &[NodeDraw],
    now_us: u64,
    reduced_motion: bool,
    lang: Lang,
) -> Option<MessageDraw> {
    let a = nodes.iter().find(|n| n.id == m.from)?;
    let b = nodes.iter().find(|n| n.id == m.to)?;
    // A held message stands still where it was when it was held.
    let progress = if reduced_motion {
        0.5
    } else {
        flight_progress(m.held_at.unwrap_or(now_us), m.sent_at, m.deliver_at)
    };
    let (x, y) = message_point((a.x, a.y), (b.x, b.y), a.r, progress);
    let style = message_style(m.kind, m.success);
    let small = m.kind == MessageKind::Heartbeat || style.mark.is_some();
    Some(MessageDraw {
        id: m.id,
        kind: m.kind,
        from: m.from,
        to: m.to,
        x,
        y,
        glyph: glyph(style.shape, x, y, small),
        style,
        label: trf(
            lang,
            "ring.message",
            &[("summary", &summary_text(&m.summary, lang))],
        ),
        spoken: super::interaction::spoken_message(m.kind, m.from, m.to, m.term, m.success, lang),
        selected: false,
        held: m.held_at.is_some(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cluster::{Answer, NodeView, Traffic};

    /// The role called `name` (`raft_core::Role::as_str`), for short test tables.
    pub(crate) fn role_named(name: &str) -> Role {
        match name {
            "leader" => Role::Leader,
            "candidate" => Role::Candidate,
            "precandidate" => Role::PreCandidate,
            _ => Role::Follower,
        }
    }

    pub(crate) fn node(id: u64, role: &str) -> NodeView {
        NodeView {
            id,
            role: role_named(role),
            term: 2,
            alive: true,
            retired: false,
            commit: 0,
            last_applied: 0,
            snapshot_index: 0,
            snapshot_term: 0,
            voted_for: None,
            leader_id: None,
            log: Vec::new(),
            progress: Vec::new(),
            votes: Vec::new(),
            timer: Some((5, 20)),
            configuration: "{1,2,3}".into(),
        }
    }

    fn msg(id: u64, kind: &str, from: u64, to: u64) -> MessageView {
        MessageView {
            id,
            kind: MessageKind::parse(kind).expect("a message kind"),
            from,
            to,
            sent_at: 1_000,
            deliver_at: 11_000,
            term: 2,
            success: None,
            summary: format!("{from}->{to} {kind}"),
            held_at: None,
        }
    }

    #[test]
    fn ring_starts_at_top_and_goes_clockwise() {
        assert_eq!(ring_position(0, 4, 200, 200, 100), (200, 100));
        assert_eq!(ring_position(1, 4, 200, 200, 100), (300, 200));
        assert_eq!(ring_position(2, 4, 200, 200, 100), (200, 300));
        assert_eq!(ring_position(0, 0, 200, 200, 100), (200, 100));
        assert_eq!(ring_position(1, 5, 200, 200, 140), (333, 157));
    }

    #[test]
    fn nodes_shrink_as_the_ring_fills() {
        assert!(node_radius(9) < node_radius(5));
        // Neighbours on a ring of nine do not overlap even when one is the leader's star.
        let (x0, y0) = ring_position(0, 9, 200, 200, RING_RADIUS);
        let (x1, y1) = ring_position(1, 9, 200, 200, RING_RADIUS);
        let gap = f64::from((x1 - x0).pow(2) + (y1 - y0).pow(2)).sqrt();
        let r = node_radius(9);
        assert!(f64::from(r + 24 + r + 8) < gap, "gap {gap}");
    }

    #[test]
    fn roles_differ_in_colour_and_shape() {
        let roles = [
            Role::Follower,
            Role::PreCandidate,
            Role::Candidate,
            Role::Leader,
        ];
        for (i, &a) in roles.iter().enumerate() {
            for &b in &roles[i + 1..] {
                let (sa, sb) = (role_style(a), role_style(b));
                assert_ne!(sa.fill, sb.fill, "{a} vs {b}");
                assert_ne!(sa.shape, sb.shape, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn outlines_surround_the_node() {
        assert_eq!(
            outline(Shape::Diamond, 100, 100, 10),
            Outline::Polygon {
                points: "100,70 130,100 100,130 70,100".into()
            }
        );
        match outline(Shape::Star, 0, 0, 10) {
            Outline::Polygon { points } => assert_eq!(points.split(' ').count(), 10),
            other => panic!("star should be a polygon, got {other:?}"),
        }
        assert_eq!(
            outline(Shape::DashedRing, 0, 0, 10),
            Outline::Circle {
                r: 18,
                dashed: true
            }
        );
    }

    #[test]
    fn timer_arc_drains_clockwise_from_the_top() {
        assert_eq!(timer_arc(100, 100, 10, 0.0), None);
        assert_eq!(
            timer_arc(100, 100, 10, 0.25).as_deref(),
            Some("M 100 90 A 10 10 0 0 1 110 100")
        );
        assert_eq!(
            timer_arc(100, 100, 10, 0.75).as_deref(),
            Some("M 100 90 A 10 10 0 1 1 90 100")
        );
        assert!(timer_arc(100, 100, 10, 1.0).unwrap().matches(" A ").count() == 2);
    }

    #[test]
    fn vote_dots_are_centred_under_the_id() {
        let dots = vote_dots(100, 100, 30, &[(1, true), (2, false), (3, true)]);
        let xs: Vec<i32> = dots.iter().map(|d| d.x).collect();
        assert_eq!(xs, [93, 100, 107]);
        assert!(dots.iter().all(|d| d.y == 123));
        assert!(!dots[1].granted);
    }

    #[test]
    fn every_rpc_kind_has_its_own_look_and_replies_show_the_outcome() {
        let kinds = [
            "RequestVote",
            "PreVote",
            "AppendEntries",
            "Heartbeat",
            "InstallSnapshot",
            "TimeoutNow",
        ];
        let kinds = kinds.map(|k| MessageKind::parse(k).unwrap());
        for (i, &a) in kinds.iter().enumerate() {
            for &b in &kinds[i + 1..] {
                assert_ne!(message_style(a, None), message_style(b, None), "{a} vs {b}");
            }
        }
        let ok = message_style(MessageKind::AppendEntriesResponse, Some(true));
        let fail = message_style(MessageKind::AppendEntriesResponse, Some(false));
        assert_ne!(ok.fill, fail.fill);
        assert_ne!(ok.mark, fail.mark);
        assert_eq!(
            ok.shape,
            message_style(MessageKind::AppendEntries, None).shape
        );
    }

    #[test]
    fn progress_follows_simulated_latency() {
        assert_eq!(flight_progress(1_000, 1_000, 11_000), 0.0);
        assert_eq!(flight_progress(6_000, 1_000, 11_000), 0.5);
        assert_eq!(flight_progress(20_000, 1_000, 11_000), 1.0);
        assert_eq!(flight_progress(500, 1_000, 11_000), 0.0);
        assert_eq!(flight_progress(5, 7, 7), 1.0);
    }

    #[test]
    fn messages_travel_rim_to_rim_in_their_own_lane() {
        // Left to right: lane is below the line (right-hand side of travel, y grows down).
        assert_eq!(message_point((0, 0), (200, 0), 30, 0.0), (40, 7));
        assert_eq!(message_point((0, 0), (200, 0), 30, 1.0), (160, 7));
        assert_eq!(message_point((0, 0), (200, 0), 30, 0.5), (100, 7));
        // The reply goes back in the other lane.
        assert_eq!(message_point((200, 0), (0, 0), 30, 0.5), (100, -7));
        assert_eq!(message_point((5, 5), (5, 5), 30, 0.5), (5, 5));
    }

    #[test]
    fn ring_draw_places_nodes_links_and_messages() {
        let nodes: Vec<NodeView> = (1..=5)
            .map(|id| {
                let mut n = node(id, if id == 3 { "leader" } else { "follower" });
                n.alive = id != 5;
                n
            })
            .collect();
        let view = WorldView {
            now_us: 6_000,
            nodes,
            messages: vec![msg(9, "AppendEntries", 3, 1), msg(10, "Heartbeat", 3, 42)],
            cuts: vec![(1, 2)],
            disk: Default::default(),
            commit: Default::default(),
            violations: Vec::new(),
            events: Vec::new(),
        };
        let ring = RingDraw::new(&view, Some(2), false, Lang::En);
        assert_eq!(ring.nodes.len(), 5);
        assert_eq!((ring.nodes[0].x, ring.nodes[0].y), (200, 60));
        assert_eq!(ring.nodes[2].fill, role_style(Role::Leader).fill);
        assert_eq!(
            ring.nodes[2].timer_arc, None,
            "leaders have no election timer"
        );
        assert!(ring.nodes[0].timer_arc.is_some());
        assert_eq!(ring.nodes[4].fill, DEAD_FILL);
        assert_eq!(ring.nodes[4].timer_arc, None);
        assert!(ring.nodes[1].selected && !ring.nodes[0].selected);
        assert_eq!(ring.links.len(), 10);
        assert!(ring.links[0].cut && !ring.links[1].cut);
        // Only S1 to S2 is cut: one way, the bar near S2 (which no longer hears S1).
        let l = &ring.links[0];
        assert_eq!((l.a, l.b, l.cut_ab, l.cut_ba), (1, 2, true, false));
        assert_eq!(l.cut_dir(), "forward");
        let (gx, gy) = l.gate().unwrap();
        assert!((gx - l.x2).abs() < (gx - l.x1).abs() || (gy - l.y2).abs() < (gy - l.y1).abs());
        assert_eq!(ring.links[1].cut_dir(), "none");
        assert_eq!(ring.links[1].gate(), None);
        // The message to an unknown server is not drawn.
        assert_eq!(ring.messages.len(), 1);
        let m = &ring.messages[0];
        let (a, b) = (&ring.nodes[2], &ring.nodes[0]);
        assert_eq!((m.x, m.y), message_point((a.x, a.y), (b.x, b.y), a.r, 0.5));
        assert!(m.label.contains("click to drop"));
        assert!(m.spoken.starts_with("AppendEntries S3\u{2192}S1 term 2"));
        assert_eq!(ring.message_at(9), Some((m.x, m.y)));
        // Reduced motion: messages wait mid-link whatever the time.
        let still = RingDraw::new(&view, None, true, Lang::En);
        assert_eq!((still.messages[0].x, still.messages[0].y), (m.x, m.y));
    }

    #[test]
    fn lost_messages_are_marked_where_they_were_for_a_moment() {
        assert_eq!(lost_progress(1_000, 11_000, 6_000), 0.5);
        assert_eq!(
            lost_progress(1_000, 1_000, 1_000),
            0.0,
            "lost as it was sent"
        );
        assert_eq!(lost_progress(1_000, 11_000, 11_000), 1.0, "lost on arrival");
        let view = WorldView {
            now_us: 100_000,
            nodes: (1..=3).map(|id| node(id, "follower")).collect(),
            messages: Vec::new(),
            cuts: Vec::new(),
            disk: Default::default(),
            commit: Default::default(),
            violations: Vec::new(),
            events: Vec::new(),
        };
        let life = |id, to, fate| MessageLife {
            id,
            kind: Traffic::Raft(MessageKind::Heartbeat),
            from: 1,
            to,
            term: 2,
            success: None,
            req: None,
            sent_at: 60_000,
            deliver_at: 80_000,
            fate,
            summary: String::new(),
        };
        let lost = |t, reason| MessageFate::Lost { t, reason };
        let mut client = life(4, 2, lost(70_000, LossReason::Loss));
        client.kind = Traffic::ClientReply {
            answer: Answer::Redirect { leader_hint: None },
        };
        let lives = [
            life(1, 2, lost(70_000, LossReason::Manual)),
            life(2, 3, lost(80_000, LossReason::Partition)),
            life(3, 2, MessageFate::Delivered { t: 80_000 }),
            life(5, 9, lost(70_000, LossReason::Crashed)),
            client,
        ];
        let mut ring = RingDraw::new(&view, None, false, Lang::En);
        ring.mark_losses(&lives, 100_000, false);
        let (a, b, c) = (
            ring.nodes[0].clone(),
            ring.nodes[1].clone(),
            ring.nodes[2].clone(),
        );
        let at = |to: &NodeDraw, p| message_point((a.x, a.y), (to.x, to.y), a.r, p);
        let marks: Vec<(u64, LossReason, (i32, i32))> = ring
            .dropped
            .iter()
            .map(|d| (d.id, d.reason, (d.x, d.y)))
            .collect();
        assert_eq!(
            marks,
            [
                (1, LossReason::Manual, at(&b, 0.5)),
                (2, LossReason::Partition, at(&c, 1.0))
            ],
            "delivered, client and unknown-server messages are not marked"
        );
        // Gone after LOST_MARK_US; mid-link with reduced motion.
        ring.mark_losses(&lives, 70_000 + LOST_MARK_US + 1, false);
        assert_eq!(ring.dropped.len(), 1);
        ring.mark_losses(&lives, 100_000, true);
        assert_eq!((ring.dropped[1].x, ring.dropped[1].y), at(&c, 0.5));
        ring.select_message(Some(9));
        assert!(ring.messages.iter().all(|m| !m.selected));
    }

    #[test]
    fn candidates_show_their_votes_and_say_how_many() {
        let mut n = node(2, "candidate");
        n.votes = vec![(1, true), (2, true), (3, false)];
        let view = WorldView {
            now_us: 0,
            nodes: vec![node(1, "follower"), n],
            messages: Vec::new(),
            cuts: Vec::new(),
            disk: Default::default(),
            commit: Default::default(),
            violations: Vec::new(),
            events: Vec::new(),
        };
        let ring = RingDraw::new(&view, None, false, Lang::En);
        assert_eq!(ring.nodes[1].votes.len(), 3);
        assert!(
            ring.nodes[1].label.contains("2 votes"),
            "{}",
            ring.nodes[1].label
        );
        assert!(ring.nodes[0].votes.is_empty());
    }

    #[test]
    fn membership_tags_and_spare_slots() {
        let m = MembershipView {
            voters: vec![1, 2, 4],
            outgoing: vec![1, 2, 3],
            learners: vec![5],
            spares: vec![6, 7],
            ..MembershipView::default()
        };
        let tags: Vec<&str> = (1..=7).map(|id| config_of(&m, id)).collect();
        assert_eq!(
            tags,
            ["both", "both", "old", "new", "learner", "none", "none"]
        );
        let plain = MembershipView {
            voters: vec![1, 2],
            ..MembershipView::default()
        };
        assert_eq!(config_of(&plain, 1), "voter");
        assert_eq!(config_tag("voter", Lang::En), None);
        assert_eq!(config_tag("none", Lang::En), Some("not in config"));
        assert_eq!(config_tag("new", Lang::Zh), Some("C_new"));
        assert_eq!(
            config_tag("learner", Lang::Zh),
            Some("\u{5b66}\u{4e60}\u{8005}")
        );
        let view = WorldView {
            now_us: 0,
            nodes: (1..=5).map(|id| node(id, "follower")).collect(),
            messages: Vec::new(),
            cuts: Vec::new(),
            disk: Default::default(),
            commit: Default::default(),
            violations: Vec::new(),
            events: Vec::new(),
        };
        let ring = RingDraw::with_membership(&view, Some(&m), None, false, Lang::En);
        // The five servers share the ring; the spares wait in the corner.
        assert_eq!(ring.nodes.len(), 5);
        assert_eq!(ring.spares.len(), 2);
        assert_eq!(ring.nodes[0].r, node_radius(5));
        assert_eq!(
            (ring.nodes[0].x, ring.nodes[0].y),
            ring_position(0, 5, 200, 200, RING_RADIUS)
        );
        let s7 = &ring.spares[1];
        assert_eq!((s7.x, s7.y), spare_position(1));
        // Clear of every server, whatever the cluster size.
        for members in 1..=9 {
            for slot in 0..members {
                let (x, y) = ring_position(slot, members, 200, 200, RING_RADIUS);
                for i in 0..(9 - members) {
                    let (sx, sy) = spare_position(i);
                    let d2 = (x - sx).pow(2) + (y - sy).pow(2);
                    let gap = node_radius(members) + SPARE_R + 4;
                    assert!(
                        d2 > gap * gap,
                        "spare {i} touches server {slot} of {members}"
                    );
                }
            }
        }
        assert_eq!(ring.links.len(), 10, "spares have no links");
        assert_eq!(ring.nodes[2].config, "old");
        assert!(
            ring.nodes[2].label.ends_with(", C_old"),
            "{}",
            ring.nodes[2].label
        );
        assert_eq!(
            RingDraw::new(&view, None, false, Lang::En).nodes[0].config,
            "voter"
        );
    }
}

//! Pointer, touch and keyboard interaction that is more than a click: the
//! per-server menu (long press, right-click, Shift+F10), the message picked with
//! `[`/`]` for a keyboard drop, dragging servers between the partition editor's
//! groups, and cutting single links of the ring.
//!
//! Plain data and pure functions; [`super::Playground`] holds the state.

use raft_core::MessageKind;
use raft_sim::Action;

use super::keys::{KeyCommand, ServerAction};
use super::ring::{LinkDraw, NodeDraw, RingDraw, RING_RADIUS, VIEW_SIZE};
use super::state::Effect;
use super::{Msg, Playground};
use crate::i18n::{tr, trf, Lang};

/// How long a press on a server must be held still to open its menu.
pub const LONG_PRESS_MS: f64 = 500.0;
/// How far (CSS px) a press may wander and still count as held still.
pub const PRESS_SLOP_PX: f64 = 10.0;

/// A finger or button held down on a server: it may become a long press.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Press {
    pub node: u64,
    /// Wall-clock time of the press (ms, the clock of animation frames).
    pub at_ms: f64,
    pub x: f64,
    pub y: f64,
}

impl Press {
    /// Whether the pointer at (`x`, `y`) is still where it went down.
    pub fn still(&self, x: f64, y: f64) -> bool {
        let (dx, dy) = (x - self.x, y - self.y);
        dx * dx + dy * dy <= PRESS_SLOP_PX * PRESS_SLOP_PX
    }

    /// Whether, at `now_ms`, it has been held long enough to open the menu.
    pub fn is_long(&self, now_ms: f64) -> bool {
        now_ms - self.at_ms >= LONG_PRESS_MS
    }
}

/// How far (SVG units) beyond the circle the servers sit on a dragged server
/// must be let go to join group B; nearer the centre it goes back to group A.
pub const DROP_MARGIN: i32 = 40;

/// Whether a server let go at (`x`, `y`) (SVG units of the ring) goes to group B:
/// outside the ring's circle of servers (radius plus [`DROP_MARGIN`]) it does,
/// inside it goes (back) to A.
pub fn drops_in_b(x: f64, y: f64) -> bool {
    let c = f64::from(VIEW_SIZE / 2);
    let (dx, dy) = (x - c, y - c);
    let edge = f64::from(RING_RADIUS + DROP_MARGIN);
    dx * dx + dy * dy > edge * edge
}

/// A server being dragged on the ring: where its ghost is (SVG units).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RingDrag {
    pub node: u64,
    pub x: f64,
    pub y: f64,
}

/// What the ring draws while a server is dragged on it: the ghost under the
/// pointer, the circle that separates A (inside) from B (outside), and the group
/// it would join if let go now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GhostDraw {
    pub node: u64,
    pub x: i32,
    pub y: i32,
    pub r: i32,
    /// Radius of the boundary circle around the ring's centre.
    pub edge_r: i32,
    pub to_b: bool,
}

impl GhostDraw {
    /// The ghost of `drag` on `ring`, if its server is drawn.
    pub fn new(ring: &RingDraw, drag: &RingDrag) -> Option<GhostDraw> {
        let n = ring.nodes.iter().find(|n| n.id == drag.node)?;
        Some(GhostDraw {
            node: n.id,
            x: drag.x.round() as i32,
            y: drag.y.round() as i32,
            r: n.r,
            edge_r: RING_RADIUS + DROP_MARGIN,
            to_b: drops_in_b(drag.x, drag.y),
        })
    }
}

/// The per-server menu, drawn next to its server on the side facing the
/// ring's centre, so it stays inside the drawing even on a narrow screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeMenuDraw {
    pub id: u64,
    /// The corner the menu hangs from, in percent of the ring's width and height.
    pub left_pct: i32,
    pub top_pct: i32,
    /// The menu extends to the left of its corner (server on the right half).
    pub leftwards: bool,
    /// The menu extends upwards from its corner (server on the bottom half).
    pub upwards: bool,
    /// Which items apply now (same order as [`ServerAction::ALL`]).
    pub actions: Vec<(ServerAction, bool)>,
}

impl NodeMenuDraw {
    pub fn new(node: &NodeDraw) -> NodeMenuDraw {
        let c = VIEW_SIZE / 2;
        let leftwards = node.x > c;
        let upwards = node.y > c;
        // Beside the body, towards the centre.
        let x = if leftwards {
            node.x - node.r
        } else {
            node.x + node.r
        };
        let pct = |v: i32| (v * 100 / VIEW_SIZE).clamp(0, 100);
        NodeMenuDraw {
            id: node.id,
            left_pct: pct(x),
            top_pct: pct(node.y),
            leftwards,
            upwards,
            actions: ServerAction::ALL
                .into_iter()
                .map(|a| (a, a.applies(node.alive)))
                .collect(),
        }
    }

    /// The menu of server `id` in `ring`, if that server exists.
    pub fn find(ring: &RingDraw, id: u64) -> Option<NodeMenuDraw> {
        ring.nodes
            .iter()
            .find(|n| n.id == id)
            .map(NodeMenuDraw::new)
    }
}

/// The message after (`forward`) or before `current` among the `ids` in flight,
/// going round; with nothing picked, the first (or last). `None` if none is in flight.
pub fn cycle_message(ids: &[u64], current: Option<u64>, forward: bool) -> Option<u64> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    let (first, last) = (*sorted.first()?, *sorted.last()?);
    Some(match (current, forward) {
        (None, true) => first,
        (None, false) => last,
        (Some(c), true) => sorted.iter().copied().find(|&id| id > c).unwrap_or(first),
        (Some(c), false) => sorted
            .iter()
            .rev()
            .copied()
            .find(|&id| id < c)
            .unwrap_or(last),
    })
}

/// What a screen reader says for a message in flight, e.g.
/// "AppendEntries S1→S2 term 3, press Enter or Delete to drop".
pub fn spoken_message(
    kind: MessageKind,
    from: u64,
    to: u64,
    term: u64,
    success: Option<bool>,
    lang: Lang,
) -> String {
    let vote = matches!(
        kind,
        MessageKind::RequestVoteResponse | MessageKind::PreVoteResponse
    );
    let outcome = match (success, vote) {
        (Some(true), true) => tr(lang, "spoken.vote_granted"),
        (Some(false), true) => tr(lang, "spoken.vote_denied"),
        (Some(true), false) => tr(lang, "spoken.success"),
        (Some(false), false) => tr(lang, "spoken.failure"),
        (None, _) => "",
    };
    trf(
        lang,
        "spoken.message",
        &[
            ("kind", &super::text::kind_text(kind).render(lang)),
            ("from", &from),
            ("to", &to),
            ("term", &term),
            ("outcome", &outcome),
        ],
    )
}

/// The accessible name of a link of the ring.
pub fn link_label(l: &LinkDraw, lang: Lang) -> String {
    let (a, b) = (l.a, l.b);
    match (l.cut_ab, l.cut_ba) {
        (false, false) => trf(lang, "ring.link.connected", &[("a", &a), ("b", &b)]),
        (true, true) => trf(lang, "ring.link.cut", &[("a", &a), ("b", &b)]),
        (ab, _) => {
            let (from, to) = if ab { (a, b) } else { (b, a) };
            trf(
                lang,
                "ring.link.one_way",
                &[("a", &a), ("b", &b), ("from", &from), ("to", &to)],
            )
        }
    }
}

/// The accessible name of one direction's switch in the links table.
pub fn way_label(from: u64, to: u64, cut: bool, lang: Lang) -> String {
    let key = if cut {
        "page.ways.cut"
    } else {
        "page.ways.open"
    };
    trf(lang, key, &[("from", &from), ("to", &to)])
}

/// A group of the partition editor's draft. Every server starts in A; a split
/// cuts every link between two groups, so up to three sides can be made at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    #[default]
    A,
    B,
    C,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::A, Group::B, Group::C];

    /// `data-group`, and the name shown.
    pub fn name(self) -> &'static str {
        match self {
            Group::A => "A",
            Group::B => "B",
            Group::C => "C",
        }
    }

    pub fn parse(name: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.name() == name)
    }
}

/// A server chip being dragged between the partition editor's groups.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drag {
    pub node: u64,
    /// The group under the pointer, if any.
    pub over: Option<Group>,
}

// ---------------------------------------------------------------------------
// The playground's side of it

impl Playground {
    /// Cuts the link `a`-`b` both ways, or mends it both ways if either way is cut.
    fn toggle_link(&self, a: u64, b: u64) -> Vec<Effect> {
        let view = self.sim.view();
        let known = |id| view.nodes.iter().any(|n| n.id == id);
        if a == b || !known(a) || !known(b) {
            return Vec::new();
        }
        let (a, b) = (a.min(b), a.max(b));
        let cut = view.cuts.iter().any(|&l| l == (a, b) || l == (b, a));
        vec![if cut {
            Effect::Act {
                actions: vec![
                    Action::Mend { from: a, to: b },
                    Action::Mend { from: b, to: a },
                ],
                done: text_key!("said.link_mended", a = a, b = b),
            }
        } else {
            Effect::Act {
                actions: vec![
                    Action::Cut { from: a, to: b },
                    Action::Cut { from: b, to: a },
                ],
                done: text_key!("said.link_cut", a = a, b = b),
            }
        }]
    }

    /// Cuts messages from `from` to `to` only (the other way keeps working),
    /// or mends that direction if it is cut.
    fn toggle_way(&self, from: u64, to: u64) -> Vec<Effect> {
        let view = self.sim.view();
        let known = |id| view.nodes.iter().any(|n| n.id == id);
        if from == to || !known(from) || !known(to) {
            return Vec::new();
        }
        vec![if view.cuts.contains(&(from, to)) {
            Effect::Act {
                actions: vec![Action::Mend { from, to }],
                done: text_key!("said.way_mended", from = from, to = to),
            }
        } else {
            Effect::Act {
                actions: vec![Action::Cut { from, to }],
                done: text_key!("said.way_cut", from = from, to = to),
            }
        }]
    }

    /// Ids of the messages in flight that the ring draws.
    fn message_ids(&self) -> Vec<u64> {
        let view = self.sim.view();
        RingDraw::new(&view, None, true, Lang::En)
            .messages
            .iter()
            .map(|m| m.id)
            .collect()
    }

    fn pick_next(&mut self, forward: bool) -> Vec<Effect> {
        match cycle_message(&self.message_ids(), self.selection.picked, forward) {
            Some(id) => {
                // A picked message is the selected one too: the space-time diagram follows.
                self.selection.picked = Some(id);
                self.selection.message = Some(id);
                self.narration.notice = None;
                Vec::new()
            }
            None => vec![Effect::Notice(text_key!("notice.no_message"))],
        }
    }

    /// Drops the picked message and picks the next one, so drops can follow each other.
    fn drop_picked(&mut self) -> Vec<Effect> {
        let Some(id) = self
            .selection
            .picked
            .filter(|id| self.message_ids().contains(id))
        else {
            return vec![Effect::Notice(text_key!("notice.pick_first"))];
        };
        let effects = self.drop_message(id);
        let rest: Vec<u64> = self
            .message_ids()
            .into_iter()
            .filter(|&m| m != id)
            .collect();
        self.selection.picked = cycle_message(&rest, Some(id), true);
        effects
    }

    /// Opens server `id`'s menu (long press, right-click, Shift+F10); it selects the server.
    pub(super) fn open_menu(&mut self, id: u64) {
        self.gestures.press = None;
        if self.sim.view().nodes.iter().any(|n| n.id == id) {
            self.selection.server = Some(id);
            self.selection.menu = Some(id);
            self.prefs.help = false;
        }
    }

    /// The part of the reducer for this module's messages.
    pub(super) fn interact(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::PressServer { id, at_ms, x, y } => {
                self.gestures.ring_drag = None;
                self.gestures.swallow_click = None;
                self.gestures.press = Some(Press {
                    node: id,
                    at_ms,
                    x,
                    y,
                });
            }
            Msg::PressMove { x, y, ring } => {
                if let Some(d) = &mut self.gestures.ring_drag {
                    (d.x, d.y) = ring;
                } else if let Some(p) = self.gestures.press.filter(|p| !p.still(x, y)) {
                    // Moved away: not a long press but a drag of the server on the ring.
                    self.gestures.press = None;
                    self.gestures.ring_drag = Some(RingDrag {
                        node: p.node,
                        x: ring.0,
                        y: ring.1,
                    });
                }
            }
            Msg::PressEnd => {
                self.gestures.press = None;
                if let Some(d) = self.gestures.ring_drag.take() {
                    let group = if drops_in_b(d.x, d.y) {
                        Group::B
                    } else {
                        Group::A
                    };
                    self.set_group(d.node, group);
                    // The click that may follow letting go is not a tap.
                    self.gestures.swallow_click = Some(d.node);
                }
            }
            Msg::PressCancel => {
                self.gestures.press = None;
                self.gestures.ring_drag = None;
            }
            Msg::TapServer(id) if self.gestures.swallow_click.take() != Some(id) => {
                return self.reduce(Msg::Select(id));
            }
            Msg::OpenMenu(id) => self.open_menu(id),
            Msg::CloseMenu => self.selection.menu = None,
            Msg::PickMessage(id) => {
                self.selection.picked = Some(id);
                self.selection.message = Some(id);
            }
            Msg::ToggleLink(a, b) => return self.toggle_link(a, b),
            Msg::ToggleWay(from, to) => return self.toggle_way(from, to),
            Msg::DragServer(id) => {
                self.gestures.drag =
                    self.sim
                        .view()
                        .nodes
                        .iter()
                        .any(|n| n.id == id)
                        .then_some(Drag {
                            node: id,
                            over: None,
                        });
            }
            Msg::DragOver(over) => {
                if let Some(d) = &mut self.gestures.drag {
                    d.over = over;
                }
            }
            Msg::DropServer(over) => {
                if let (Some(d), Some(group)) = (self.gestures.drag.take(), over) {
                    self.set_group(d.node, group);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// The part of the reducer for picking and dropping messages by key.
    pub(super) fn message_key(&mut self, cmd: KeyCommand) -> Vec<Effect> {
        match cmd {
            KeyCommand::NextMessage => self.pick_next(true),
            KeyCommand::PrevMessage => self.pick_next(false),
            KeyCommand::DropMessage => self.drop_picked(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::ring::Outline;
    use crate::view_model::Frame;

    fn node_at(id: u64, x: i32, y: i32, alive: bool) -> NodeDraw {
        NodeDraw {
            id,
            role: raft_core::Role::Follower,
            term: 1,
            alive,
            retired: false,
            commit: 0,
            x,
            y,
            r: 30,
            fill: crate::view_model::paint::Paint::Ink,
            outline: Outline::Circle {
                r: 38,
                dashed: false,
            },
            timer_arc: None,
            votes: Vec::new(),
            selected: false,
            label: String::new(),
            config: "voter",
            config_tag: None,
        }
    }

    #[test]
    fn a_press_is_long_after_half_a_second_if_it_stays_put() {
        let p = Press {
            node: 2,
            at_ms: 1_000.0,
            x: 50.0,
            y: 50.0,
        };
        assert!(!p.is_long(1_499.0));
        assert!(p.is_long(1_500.0));
        assert!(p.still(56.0, 58.0), "10 px away is still");
        assert!(!p.still(61.0, 50.0));
    }

    #[test]
    fn the_menu_opens_towards_the_centre() {
        // Top of the ring, centre column: to the right, downwards.
        let top = NodeMenuDraw::new(&node_at(1, 200, 60, true));
        assert_eq!((top.left_pct, top.top_pct), (57, 15));
        assert!(!top.leftwards && !top.upwards);
        // Bottom right: to the left, upwards.
        let br = NodeMenuDraw::new(&node_at(3, 282, 313, true));
        assert_eq!((br.left_pct, br.top_pct), (63, 78));
        assert!(br.leftwards && br.upwards);
        assert_eq!(br.actions.len(), ServerAction::ALL.len());
    }

    #[test]
    fn menu_items_follow_whether_the_server_runs() {
        let up = NodeMenuDraw::new(&node_at(1, 200, 60, true));
        let down = NodeMenuDraw::new(&node_at(1, 200, 60, false));
        let enabled = |m: &NodeMenuDraw, a| m.actions.iter().find(|x| x.0 == a).unwrap().1;
        assert!(enabled(&up, ServerAction::Crash) && !enabled(&up, ServerAction::Restart));
        assert!(!enabled(&down, ServerAction::Crash) && enabled(&down, ServerAction::Restart));
        assert!(enabled(&down, ServerAction::Isolate));
        let ring = RingDraw {
            nodes: vec![node_at(4, 10, 10, true)],
            links: Vec::new(),
            messages: Vec::new(),
            dropped: Vec::new(),
            spares: Vec::new(),
            regions: Vec::new(),
        };
        assert_eq!(NodeMenuDraw::find(&ring, 4).map(|m| m.id), Some(4));
        assert_eq!(NodeMenuDraw::find(&ring, 5), None);
    }

    #[test]
    fn picking_messages_goes_round_in_id_order() {
        let ids = [12, 5, 9];
        assert_eq!(cycle_message(&ids, None, true), Some(5));
        assert_eq!(cycle_message(&ids, None, false), Some(12));
        assert_eq!(cycle_message(&ids, Some(5), true), Some(9));
        assert_eq!(cycle_message(&ids, Some(12), true), Some(5), "wraps");
        assert_eq!(cycle_message(&ids, Some(5), false), Some(12), "wraps back");
        // The picked one was delivered: the next one after it.
        assert_eq!(cycle_message(&ids, Some(7), true), Some(9));
        assert_eq!(cycle_message(&ids, Some(7), false), Some(5));
        assert_eq!(cycle_message(&[], Some(7), true), None);
    }

    #[test]
    fn messages_and_links_say_what_they_are_and_how_to_act() {
        assert_eq!(
            spoken_message(MessageKind::AppendEntries, 1, 2, 3, None, Lang::En),
            "AppendEntries S1\u{2192}S2 term 3, press Enter or Delete to drop"
        );
        assert!(spoken_message(
            MessageKind::RequestVoteResponse,
            2,
            1,
            4,
            Some(false),
            Lang::En
        )
        .contains("term 4, vote denied"));
        assert!(spoken_message(
            MessageKind::AppendEntriesResponse,
            2,
            1,
            4,
            Some(true),
            Lang::En
        )
        .contains(", success"));
        let mut l = LinkDraw {
            a: 2,
            b: 5,
            x1: 0,
            y1: 0,
            x2: 1,
            y2: 1,
            cut: false,
            cut_ab: false,
            cut_ba: false,
        };
        assert!(link_label(&l, Lang::En).starts_with("Link S2\u{2013}S5, connected"));
        (l.cut, l.cut_ba) = (true, true);
        assert_eq!(
            link_label(&l, Lang::En),
            "Link S2\u{2013}S5, cut one way (S2 does not hear S5): press Enter to reconnect it"
        );
        l.cut_ab = true;
        assert!(link_label(&l, Lang::En).contains("cut: press Enter to reconnect"));
        assert_eq!(
            way_label(5, 2, true, Lang::En),
            "S5 \u{2192} S2: cut, messages are lost"
        );
        // In Chinese: the names stay, the rest is Chinese.
        assert!(link_label(&l, Lang::Zh).starts_with("\u{94fe}\u{8def} S2\u{2013}S5"));
        let zh = spoken_message(
            MessageKind::RequestVoteResponse,
            2,
            1,
            4,
            Some(false),
            Lang::Zh,
        );
        assert!(
            zh.starts_with("RequestVoteResponse S2\u{2192}S1") && zh.contains("\u{4efb}\u{671f} 4"),
            "{zh}"
        );
    }

    use crate::view_model::tests::{play_until, playground};

    fn leader(f: &Frame) -> Option<u64> {
        f.ring
            .nodes
            .iter()
            .find(|n| n.alive && n.role == raft_core::Role::Leader)
            .map(|n| n.id)
    }

    #[test]
    fn a_long_press_opens_the_server_menu_and_a_short_one_does_not() {
        let mut pg = playground(5);
        pg.update(Msg::TogglePlay);
        let press = |id| Msg::PressServer {
            id,
            at_ms: 1_000.0,
            x: 100.0,
            y: 100.0,
        };
        // A short tap: released before half a second (the click then selects).
        pg.update(press(2));
        pg.update(Msg::Frame(1_300.0));
        pg.update(Msg::PressEnd);
        pg.update(Msg::Frame(1_700.0));
        assert_eq!(pg.frame().node_menu, None);
        // Moving away is a drag or a scroll, not a long press.
        pg.update(press(2));
        pg.update(Msg::PressMove {
            x: 104.0,
            y: 103.0,
            ring: (200.0, 60.0),
        });
        pg.update(Msg::PressMove {
            x: 130.0,
            y: 100.0,
            ring: (200.0, 60.0),
        });
        pg.update(Msg::Frame(1_600.0));
        assert_eq!(pg.frame().node_menu, None);
        // Held still: the menu opens on the first frame after 500 ms, and selects S2.
        pg.update(press(2));
        pg.update(Msg::PressMove {
            x: 103.0,
            y: 98.0,
            ring: (200.0, 60.0),
        });
        pg.update(Msg::Frame(1_499.0));
        assert_eq!(pg.frame().node_menu, None);
        pg.update(Msg::Frame(1_516.0));
        let f = pg.frame();
        let menu = f.node_menu.expect("the menu after a long press");
        assert_eq!((menu.id, f.selected), (2, Some(2)));
        assert_eq!(menu.actions, f.inspector.unwrap().actions);
        pg.update(Msg::PressEnd);
        assert!(pg.frame().node_menu.is_some(), "letting go keeps it open");
        // Escape closes the menu first, and only then clears the selection.
        pg.update(Msg::Key(KeyCommand::Escape));
        assert_eq!(pg.frame().node_menu, None);
        assert_eq!(pg.frame().selected, Some(2));
        // Choosing an item does it and closes the menu.
        pg.update(Msg::OpenMenu(2));
        pg.update(Msg::Server(ServerAction::Crash, 2));
        let f = pg.frame();
        assert_eq!(f.node_menu, None);
        assert!(!f.ring.nodes[1].alive);
        assert_eq!(f.narration(), "You crashed S2");
        // The menu follows the server: a crashed one offers Restart.
        pg.update(Msg::OpenMenu(2));
        let menu = pg.frame().node_menu.unwrap();
        assert_eq!(menu.actions[1], (ServerAction::Restart, true));
        assert_eq!(menu.actions[0], (ServerAction::Crash, false));
        // Clicking elsewhere closes it; selecting another server closes it too.
        pg.update(Msg::CloseMenu);
        assert_eq!(pg.frame().node_menu, None);
        pg.update(Msg::Key(KeyCommand::Select(4)));
        pg.update(Msg::Key(KeyCommand::Menu));
        assert_eq!(pg.frame().node_menu.map(|m| m.id), Some(4));
        pg.update(Msg::Key(KeyCommand::Select(3)));
        assert_eq!(pg.frame().node_menu, None);
        // Unknown servers have no menu; the keyboard needs a selection.
        pg.update(Msg::OpenMenu(42));
        assert_eq!(pg.frame().node_menu, None);
        pg.update(Msg::Escape);
        pg.update(Msg::Escape);
        pg.update(Msg::Key(KeyCommand::Menu));
        assert!(pg.frame().notice.unwrap().contains("Select a server"));
    }

    /// Steps (paused) until at least `n` messages are in flight.
    fn step_until_messages(pg: &mut Playground, n: usize) -> Frame {
        for _ in 0..5_000 {
            let f = pg.frame();
            if f.ring.messages.len() >= n {
                return f;
            }
            pg.update(Msg::Step);
        }
        panic!("never {n} messages in flight");
    }

    #[test]
    fn messages_are_picked_and_dropped_from_the_keyboard() {
        let mut pg = playground(5);
        pg.update(Msg::TogglePlay);
        pg.update(Msg::Key(KeyCommand::DropMessage));
        assert!(pg.frame().notice.unwrap().contains("Pick a message"));
        let f = step_until_messages(&mut pg, 3);
        let mut ids: Vec<u64> = f.ring.messages.iter().map(|m| m.id).collect();
        ids.sort_unstable();
        pg.update(Msg::Key(KeyCommand::NextMessage));
        assert_eq!(pg.frame().picked_message, Some(ids[0]));
        pg.update(Msg::Key(KeyCommand::NextMessage));
        assert_eq!(pg.frame().picked_message, Some(ids[1]));
        assert_eq!(
            pg.frame().selected_msg,
            Some(ids[1]),
            "picked is selected in the diagram too"
        );
        pg.update(Msg::Key(KeyCommand::PrevMessage));
        pg.update(Msg::Key(KeyCommand::PrevMessage));
        assert_eq!(pg.frame().picked_message, ids.last().copied(), "wraps");
        // Focusing a message picks it; `d` drops it and picks the next one.
        pg.update(Msg::PickMessage(ids[1]));
        pg.update(Msg::Key(KeyCommand::DropMessage));
        let f = pg.frame();
        assert!(f.ring.messages.iter().all(|m| m.id != ids[1]));
        assert!(
            f.narration().starts_with("You dropped"),
            "{}",
            f.narration()
        );
        assert_eq!(f.picked_message, Some(ids[2]));
        assert_eq!(f.ring.dropped[0].id, ids[1]);
        // Dropping the picked one by clicking clears the pick.
        pg.update(Msg::DropMessage(ids[2]));
        assert_eq!(pg.frame().picked_message, None);
        // Nothing in flight: nothing to pick.
        let mut empty = playground(1);
        empty.update(Msg::Key(KeyCommand::NextMessage));
        assert!(empty.frame().notice.unwrap().contains("No message"));
    }

    #[test]
    fn one_way_cut_loses_one_direction_and_keeps_the_other() {
        let mut pg = playground(5);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let l = leader(&f).unwrap();
        let o = if l == 1 { 3 } else { 1 };
        // The follower no longer hears the leader; the leader still hears it.
        pg.update(Msg::ToggleWay(l, o));
        let f = pg.frame();
        assert!(f.ring.way_cut(l, o) && !f.ring.way_cut(o, l));
        let link = f
            .ring
            .links
            .iter()
            .find(|k| (k.a, k.b) == (l.min(o), l.max(o)))
            .unwrap();
        assert_eq!(link.cut_dir(), if l < o { "forward" } else { "backward" });
        assert_eq!(
            f.narration(),
            format!("You cut S{l} \u{2192} S{o} (one way): S{o} no longer hears S{l}")
        );
        let sent = |f: &Frame, from: u64, to: u64| {
            f.ring.messages.iter().any(|m| (m.from, m.to) == (from, to))
        };
        let t = f.now_us;
        play_until(&mut pg, t + 100_000, |_| false);
        // The follower times out and campaigns; its requests still reach the old leader.
        let f = play_until(&mut pg, t + 3_000_000, |f| sent(f, o, l));
        assert!(sent(&f, o, l), "nothing from S{o} to S{l}");
        let g = play_until(&mut pg, f.now_us + 500_000, |f| sent(f, l, o));
        assert!(
            !sent(&g, l, o),
            "a message crossed the cut way S{l} to S{o}"
        );
        // Mended: both ways carry messages again.
        pg.update(Msg::ToggleWay(l, o));
        let f = pg.frame();
        assert!(f.ring.links.iter().all(|k| !k.cut));
        assert_eq!(f.narration(), format!("You reconnected S{l} \u{2192} S{o}"));
        // Nonsense is ignored.
        pg.update(Msg::ToggleWay(2, 2));
        pg.update(Msg::ToggleWay(2, 42));
        assert!(pg.frame().ring.links.iter().all(|k| !k.cut));
    }

    #[test]
    fn three_groups_split_the_network_three_ways() {
        let mut pg = playground(5);
        pg.update(Msg::SetGroup(3, Group::B));
        pg.update(Msg::SetGroup(4, Group::B));
        pg.update(Msg::SetGroup(5, Group::C));
        let f = pg.frame();
        assert_eq!(
            f.groups,
            vec![
                (1, Group::A),
                (2, Group::A),
                (3, Group::B),
                (4, Group::B),
                (5, Group::C)
            ]
        );
        // Before the split: the draft's B and C are drawn, nothing is cut.
        let drafts: Vec<(&str, Vec<u64>)> = f
            .ring
            .regions
            .iter()
            .map(|r| (r.group.as_str(), r.nodes.clone()))
            .collect();
        assert_eq!(drafts, vec![("B", vec![3, 4]), ("C", vec![5])]);
        assert!(f.ring.links.iter().all(|l| !l.cut));
        pg.update(Msg::Split);
        let f = pg.frame();
        assert_eq!(
            f.narration(),
            "You split the network: {S1 S2} | {S3 S4} | {S5}"
        );
        // 2x2 + 2x1 + 2x1 links cross the groups; each server still reaches its own group.
        assert_eq!(f.ring.links.iter().filter(|l| l.cut).count(), 8);
        let split: Vec<Vec<u64>> = f
            .ring
            .regions
            .iter()
            .filter(|r| r.kind == super::super::regions::RegionKind::Split)
            .map(|r| r.nodes.clone())
            .collect();
        assert_eq!(split, vec![vec![1, 2], vec![3, 4], vec![5]]);
        // One group alone is no split.
        let mut one = playground(3);
        for id in 1..=3 {
            one.update(Msg::SetGroup(id, Group::C));
        }
        one.update(Msg::Split);
        assert!(one.frame().notice.unwrap().contains("at least two groups"));
    }

    #[test]
    fn a_single_link_is_cut_both_ways_and_mended() {
        let mut pg = playground(5);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let l = leader(&f).unwrap();
        // The leader and a follower: heartbeats cross that link all the time.
        let o = if l == 1 { 3 } else { 1 };
        let (a, b) = (l.min(o), l.max(o));
        let link = |f: &Frame, a, b| {
            f.ring
                .links
                .iter()
                .find(|l| (l.a, l.b) == (a, b))
                .unwrap()
                .cut
        };
        pg.update(Msg::ToggleLink(b, a));
        let f = pg.frame();
        assert!(link(&f, a, b));
        assert_eq!(f.ring.links.iter().filter(|l| l.cut).count(), 1);
        assert_eq!(
            f.narration(),
            format!("You cut the link S{a}\u{2013}S{b} (both ways)")
        );
        // Once those in flight are gone, nothing travels between them either way.
        let between = |f: &Frame| {
            f.ring
                .messages
                .iter()
                .any(|m| (m.from.min(m.to), m.from.max(m.to)) == (a, b))
        };
        let t = f.now_us;
        play_until(&mut pg, t + 100_000, |_| false);
        let f = play_until(&mut pg, t + 1_000_000, between);
        assert!(
            !between(&f),
            "a message between S{a} and S{b} over a cut link"
        );
        pg.update(Msg::ToggleLink(a, b));
        let f = pg.frame();
        assert!(f.ring.links.iter().all(|l| !l.cut));
        assert_eq!(
            f.narration(),
            format!("You reconnected the link S{a}\u{2013}S{b}")
        );
        let f = play_until(&mut pg, f.now_us + 1_000_000, between);
        assert!(between(&f), "the mended link carries messages again");
        // A link cut by a partition is mended too.
        pg.update(Msg::SetGroup(2, Group::B));
        pg.update(Msg::Split);
        assert!(link(&pg.frame(), 1, 2));
        pg.update(Msg::ToggleLink(1, 2));
        let f = pg.frame();
        assert!(!link(&f, 1, 2) && link(&f, 2, 3));
        // Nonsense is ignored.
        pg.update(Msg::ToggleLink(2, 2));
        pg.update(Msg::ToggleLink(2, 42));
        assert_eq!(pg.frame().ring.links, f.ring.links);
        // In the past, cutting a link forks the timeline like any action.
        pg.update(Msg::Scrub(t / 2));
        pg.update(Msg::ToggleLink(4, 5));
        let f = pg.frame();
        assert!(!f.in_past() && link(&f, 4, 5));
        assert!(f.activity.iter().any(|a| a.text.starts_with("Forked")));
        assert_eq!(f.ring.links.iter().filter(|l| l.cut).count(), 1);
    }

    #[test]
    fn dragging_a_server_chip_moves_it_between_groups() {
        let mut pg = playground(5);
        pg.update(Msg::DragServer(3));
        assert_eq!(
            pg.frame().drag,
            Some(Drag {
                node: 3,
                over: None
            })
        );
        pg.update(Msg::DragOver(Some(Group::B)));
        assert_eq!(pg.frame().drag.unwrap().over, Some(Group::B));
        pg.update(Msg::DropServer(Some(Group::B)));
        let f = pg.frame();
        assert_eq!(f.drag, None);
        assert!(f.groups.contains(&(3, Group::B)));
        // Let go outside both groups: nothing changes.
        pg.update(Msg::DragServer(4));
        pg.update(Msg::DropServer(None));
        assert!(pg.frame().groups.contains(&(4, Group::A)));
        // Back to A.
        pg.update(Msg::DragServer(3));
        pg.update(Msg::DropServer(Some(Group::A)));
        assert!(pg.frame().groups.iter().all(|g| g.1 == Group::A));
        pg.update(Msg::DragServer(9));
        assert_eq!(pg.frame().drag, None, "no S9 in a cluster of 5");
        pg.update(Msg::DragOver(Some(Group::B)));
        assert_eq!(pg.frame().drag, None);
        // Dragged to B, then split: the links across are cut.
        pg.update(Msg::DragServer(5));
        pg.update(Msg::DropServer(Some(Group::B)));
        pg.update(Msg::Split);
        assert_eq!(pg.frame().ring.links.iter().filter(|l| l.cut).count(), 4);
    }

    #[test]
    fn a_server_let_go_outside_the_ring_goes_to_b_and_inside_to_a() {
        let c = f64::from(VIEW_SIZE / 2);
        let edge = f64::from(RING_RADIUS + DROP_MARGIN);
        assert!(!drops_in_b(c, c), "the centre is A");
        assert!(
            !drops_in_b(c, c - f64::from(RING_RADIUS)),
            "on the ring is A"
        );
        assert!(!drops_in_b(c + edge, c), "on the edge is still A");
        assert!(drops_in_b(c + edge + 1.0, c));
        assert!(drops_in_b(0.0, 0.0), "a corner of the drawing is B");
        assert!(drops_in_b(c, c + 400.0), "beyond the drawing is B");
    }

    #[test]
    fn dragging_a_server_on_the_ring_moves_it_between_the_draft_groups() {
        let mut pg = playground(5);
        let press = |id| Msg::PressServer {
            id,
            at_ms: 1_000.0,
            x: 100.0,
            y: 100.0,
        };
        let moved = |x: f64, ring: (f64, f64)| Msg::PressMove { x, y: 100.0, ring };
        // Within the slop it is still a press (a tap or a long press), not a drag.
        pg.update(press(3));
        pg.update(moved(108.0, (300.0, 300.0)));
        let f = pg.frame();
        assert_eq!(f.ghost, None);
        pg.update(Msg::PressEnd);
        assert!(
            pg.frame().groups.iter().all(|g| g.1 == Group::A),
            "a tap moved nothing"
        );
        // Beyond it: a drag; the ghost follows the pointer and says where it would go.
        pg.update(press(3));
        pg.update(moved(115.0, (250.0, 250.0)));
        let g = pg.frame().ghost.expect("a ghost once the press moved away");
        assert_eq!((g.node, g.x, g.y, g.to_b), (3, 250, 250, false));
        assert_eq!(g.edge_r, RING_RADIUS + DROP_MARGIN);
        pg.update(moved(200.0, (390.0, 390.0)));
        let g = pg.frame().ghost.unwrap();
        assert_eq!((g.x, g.y, g.to_b), (390, 390, true));
        // No long press while dragging.
        pg.update(Msg::Frame(1_800.0));
        assert_eq!(pg.frame().node_menu, None);
        // Let go outside: S3 is in the draft's group B (the Faults panel's too), nothing is cut.
        pg.update(Msg::PressEnd);
        let f = pg.frame();
        assert_eq!(f.ghost, None);
        assert!(f.groups.contains(&(3, Group::B)));
        assert!(
            f.ring.links.iter().all(|l| !l.cut),
            "dragging alone cuts nothing"
        );
        assert_eq!(f.ring.regions.len(), 1);
        // The click that ends the drag does not select; the next tap does.
        pg.update(Msg::TapServer(3));
        assert_eq!(pg.frame().selected, None);
        pg.update(press(3));
        pg.update(Msg::PressEnd);
        pg.update(Msg::TapServer(3));
        assert_eq!(pg.frame().selected, Some(3));
        // Dragged back inside: A again.
        pg.update(press(3));
        pg.update(moved(150.0, (200.0, 210.0)));
        pg.update(Msg::PressEnd);
        assert!(pg.frame().groups.contains(&(3, Group::A)));
        assert!(pg.frame().ring.regions.is_empty());
        // A cancelled drag changes nothing.
        pg.update(press(4));
        pg.update(moved(150.0, (5.0, 5.0)));
        pg.update(Msg::PressCancel);
        let f = pg.frame();
        assert_eq!(f.ghost, None);
        assert!(f.groups.contains(&(4, Group::A)));
        // Two servers dragged out, then split: the links across are cut.
        for id in [2, 4] {
            pg.update(press(id));
            pg.update(moved(150.0, (395.0, 200.0)));
            pg.update(Msg::PressEnd);
        }
        pg.update(Msg::Split);
        let f = pg.frame();
        assert_eq!(f.ring.links.iter().filter(|l| l.cut).count(), 6);
        assert!(f.narration().starts_with("You split the network"));
    }
}

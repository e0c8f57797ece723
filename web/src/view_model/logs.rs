//! The logs view: one row per server, entries by index with their term (colour
//! and number), commit/applied/snapshot marks, the leader's next_index and
//! match_index per follower, and the slot a follower last rejected (§5.3).

use raft_core::{Event, Role};

use super::paint::Paint;
use super::text::Text;

use crate::cluster::{CoreEvent, NodeView, WorldView};
use crate::i18n::{tr, trf, Lang};

/// Indices shown at once; older ones scroll off to the left.
pub const WINDOW: u64 = 16;

/// Colour of a term's entries (pale, so the dark term number stays readable);
/// the number is always printed too, so colour is never the only cue.
pub fn term_colour(term: u64) -> Paint {
    Paint::term(term)
}

/// One slot of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogCell {
    pub index: u64,
    /// 0 for a compacted slot (inside the snapshot).
    pub term: u64,
    pub label: String,
    /// Grid column, 0 for the window's first index.
    pub col: u64,
    pub colour: Paint,
    pub committed: bool,
    pub applied: bool,
    pub snapshot: bool,
    /// The last entry the snapshot covers (§7: the snapshot keeps its index and
    /// term): drawn as an entry, with `data-snapshot`.
    pub snapshot_end: bool,
    /// Differs from the leader's entry at this index (the suffix that will be replaced).
    pub conflict: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    Next,
    Match,
}

/// A leader's next_index or match_index for the follower of this row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexMarker {
    pub kind: MarkerKind,
    pub leader_id: u64,
    pub follower: u64,
    pub index: u64,
    /// Grid column, clamped into the window (`clipped` says so).
    pub col: u64,
    pub clipped: bool,
}

/// The slot at prevLogIndex of the last AppendEntries this server rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedSlot {
    pub leader: u64,
    pub index: u64,
    pub col: u64,
    pub prev_log_term: u64,
    pub local_term: Option<u64>,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    pub node_id: u64,
    pub role: Role,
    pub alive: bool,
    pub commit: u64,
    pub applied: u64,
    pub snapshot_index: u64,
    pub cells: Vec<LogCell>,
    pub markers: Vec<IndexMarker>,
    pub rejected: Option<RejectedSlot>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogsDraw {
    /// First index shown (column 0).
    pub first: u64,
    /// Number of columns.
    pub width: u64,
    pub rows: Vec<LogRow>,
}

/// The leader the logs view shows progress for: the running leader of the highest term.
pub fn current_leader(nodes: &[NodeView]) -> Option<&NodeView> {
    nodes
        .iter()
        .filter(|n| n.alive && n.role == Role::Leader)
        .max_by_key(|n| n.term)
}

/// The window of indices to show: the newest [`WINDOW`] up to the longest log
/// (or the leader's largest next_index, which may point one past its log).
pub fn window(nodes: &[NodeView]) -> (u64, u64) {
    let last_entry = nodes
        .iter()
        .map(|n| n.log.last().map_or(n.snapshot_index, |e| e.index))
        .max()
        .unwrap_or(0);
    let last_next = current_leader(nodes)
        .and_then(|l| l.progress.iter().map(|p| p.next_index).max())
        .unwrap_or(0);
    let last = last_entry.max(last_next).max(1);
    let first = last.saturating_sub(WINDOW - 1).max(1);
    (first, last - first + 1)
}

/// Why the last AppendEntries this server answered was rejected, if the last answer was a rejection.
pub fn last_rejection(
    events: &[CoreEvent],
    node: u64,
) -> Option<(u64, u64, u64, Option<u64>, u64)> {
    events
        .iter()
        .rev()
        .filter(|e| e.node == node)
        .find_map(|e| match e.event {
            Event::AppendRejected {
                leader,
                prev_log_index,
                prev_log_term,
                local_term,
                last_index,
            } => Some(Some((
                leader,
                prev_log_index,
                prev_log_term,
                local_term,
                last_index,
            ))),
            Event::AppendAccepted { .. } | Event::SnapshotInstalled { .. } => Some(None),
            _ => None,
        })
        .flatten()
}

/// What an entry holds, in `lang`: `noop`, `cmd 1.2` (client 1's second
/// command), `config`.
pub fn entry_label(label: &str, lang: Lang) -> String {
    match label.split_once(' ') {
        _ if label == "noop" => tr(lang, "logs.entry.noop").into(),
        _ if label == "config" => tr(lang, "logs.entry.config").into(),
        Some(("cmd", id)) => trf(lang, "logs.entry.cmd", &[("id", &id)]),
        _ => label.to_string(),
    }
}

/// Why a follower rejected an AppendEntries: the consistency check (§5.3).
pub fn rejection_text(
    node: u64,
    leader: u64,
    prev_log_index: u64,
    prev_log_term: u64,
    local_term: Option<u64>,
    last_index: u64,
) -> Text {
    let found = match local_term {
        Some(t) => text_key!("logs.found_term", node = node, term = t),
        None => text_key!("logs.found_end", node = node, last = last_index),
    };
    text_key!(
        "logs.rejected",
        node = node,
        leader = leader,
        prev_term = prev_log_term,
        index = prev_log_index,
        found = found
    )
}

impl LogsDraw {
    pub fn new(view: &WorldView, lang: Lang) -> LogsDraw {
        let (first, width) = window(&view.nodes);
        let last = first + width - 1;
        let col = |index: u64| index.clamp(first, last) - first;
        let leader = current_leader(&view.nodes);
        let rows = view
            .nodes
            .iter()
            .map(|n| {
                let leader_term = |index: u64| {
                    leader.and_then(|l| l.log.iter().find(|e| e.index == index).map(|e| e.term))
                };
                let mut cells = Vec::new();
                for index in first..=last {
                    let base = |term, label: String, snapshot| LogCell {
                        index,
                        term,
                        label,
                        col: index - first,
                        colour: if snapshot {
                            Paint::Compacted
                        } else {
                            term_colour(term)
                        },
                        committed: index <= n.commit,
                        applied: index <= n.last_applied,
                        snapshot,
                        snapshot_end: false,
                        conflict: false,
                    };
                    if let Some(e) = n.log.iter().find(|e| e.index == index) {
                        let mut cell = base(e.term, entry_label(&e.label, lang), false);
                        cell.conflict = leader.is_some_and(|l| l.id != n.id)
                            && leader_term(index).is_some_and(|t| t != e.term);
                        cells.push(cell);
                    } else if index == n.snapshot_index {
                        let mut cell =
                            base(n.snapshot_term, tr(lang, "logs.snapshot_end").into(), false);
                        cell.colour = Paint::Compacted;
                        cell.snapshot_end = true;
                        cells.push(cell);
                    } else if index < n.snapshot_index {
                        cells.push(base(0, tr(lang, "logs.in_snapshot").into(), true));
                    }
                }
                let mut markers = Vec::new();
                if let Some(l) = leader.filter(|l| l.id != n.id) {
                    if let Some(p) = l.progress.iter().find(|p| p.follower == n.id) {
                        for (kind, index) in [
                            (MarkerKind::Next, p.next_index),
                            (MarkerKind::Match, p.match_index),
                        ] {
                            if kind == MarkerKind::Match && index == 0 {
                                continue;
                            }
                            markers.push(IndexMarker {
                                kind,
                                leader_id: l.id,
                                follower: n.id,
                                index,
                                col: col(index),
                                clipped: index < first || index > last,
                            });
                        }
                    }
                }
                let rejected = last_rejection(&view.events, n.id)
                    .filter(|_| n.alive)
                    .filter(|r| r.1 >= first && r.1 <= last)
                    .map(
                        |(leader, index, prev_log_term, local_term, last_index)| RejectedSlot {
                            leader,
                            index,
                            col: index - first,
                            prev_log_term,
                            local_term,
                            why: rejection_text(
                                n.id,
                                leader,
                                index,
                                prev_log_term,
                                local_term,
                                last_index,
                            )
                            .render(lang),
                        },
                    );
                LogRow {
                    node_id: n.id,
                    role: n.role,
                    alive: n.alive,
                    commit: n.commit,
                    applied: n.last_applied,
                    snapshot_index: n.snapshot_index,
                    cells,
                    markers,
                    rejected,
                }
            })
            .collect();
        LogsDraw { first, width, rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{EntryView, ProgressView};

    fn node(id: u64, role: &str, terms: &[u64]) -> NodeView {
        NodeView {
            id,
            role: crate::view_model::ring::tests::role_named(role),
            term: 4,
            alive: true,
            retired: false,
            commit: 1,
            last_applied: 1,
            snapshot_index: 0,
            snapshot_term: 0,
            voted_for: None,
            leader_id: None,
            log: terms
                .iter()
                .enumerate()
                .map(|(i, &term)| EntryView {
                    index: i as u64 + 1,
                    term,
                    label: "noop".into(),
                })
                .collect(),
            progress: Vec::new(),
            votes: Vec::new(),
            timer: None,
            configuration: String::new(),
        }
    }

    fn event(node: u64, event: Event) -> CoreEvent {
        CoreEvent { t: 0, node, event }
    }

    fn example() -> WorldView {
        // §5.3's example: leader [1:1, 2:3, 3:3, 4:4], follower [1:1, 2:1].
        let mut leader = node(1, "leader", &[1, 3, 3, 4]);
        leader.progress = vec![ProgressView {
            follower: 2,
            next_index: 3,
            match_index: 0,
            state: "probe",
        }];
        WorldView {
            now_us: 0,
            nodes: vec![leader, node(2, "follower", &[1, 1])],
            messages: Vec::new(),
            cuts: Vec::new(),
            disk: Default::default(),
            commit: Default::default(),
            violations: Vec::new(),
            events: vec![event(
                2,
                Event::AppendRejected {
                    leader: 1,
                    prev_log_index: 3,
                    prev_log_term: 3,
                    local_term: None,
                    last_index: 2,
                },
            )],
        }
    }

    #[test]
    fn window_covers_the_newest_indices_and_the_next_index() {
        let view = example();
        assert_eq!(window(&view.nodes), (1, 4));
        let long = vec![node(1, "follower", &[1; 40])];
        assert_eq!(window(&long), (25, WINDOW));
        assert_eq!(window(&[]), (1, 1));
    }

    #[test]
    fn rows_show_terms_commit_and_conflicts() {
        let logs = LogsDraw::new(&example(), Lang::En);
        let (l, f) = (&logs.rows[0], &logs.rows[1]);
        assert_eq!(l.cells.len(), 4);
        assert_eq!(f.cells.len(), 2);
        assert!(f.cells[0].committed && !f.cells[1].committed);
        assert_eq!(f.cells[1].term, 1);
        assert!(
            f.cells[1].conflict,
            "follower's 2:1 conflicts with the leader's 2:3"
        );
        assert!(!f.cells[0].conflict);
        assert!(l.cells.iter().all(|c| !c.conflict));
        assert_eq!(term_colour(3), term_colour(11));
        assert_ne!(term_colour(1), term_colour(2));
    }

    #[test]
    fn leader_progress_becomes_markers_on_the_follower_row() {
        let logs = LogsDraw::new(&example(), Lang::En);
        assert!(logs.rows[0].markers.is_empty());
        let m = &logs.rows[1].markers;
        assert_eq!(m.len(), 1, "match_index 0 is not drawn");
        assert_eq!(
            (
                m[0].kind,
                m[0].leader_id,
                m[0].follower,
                m[0].index,
                m[0].col
            ),
            (MarkerKind::Next, 1, 2, 3, 2)
        );
    }

    #[test]
    fn a_rejection_highlights_prev_log_index_until_an_append_succeeds() {
        let mut view = example();
        let slot = LogsDraw::new(&view, Lang::En).rows[1]
            .rejected
            .clone()
            .unwrap();
        assert_eq!((slot.index, slot.col, slot.local_term), (3, 2, None));
        assert!(
            slot.why.contains("expected term 3 at index 3"),
            "{}",
            slot.why
        );
        assert!(slot.why.contains("log ends at index 2"), "{}", slot.why);
        view.events.push(event(
            2,
            Event::AppendAccepted {
                leader: 1,
                prev_log_index: 1,
                prev_log_term: 1,
                entries: 3,
                match_index: 4,
            },
        ));
        assert_eq!(LogsDraw::new(&view, Lang::En).rows[1].rejected, None);
    }

    #[test]
    fn compacted_slots_are_marked_as_snapshot() {
        let mut n = node(1, "follower", &[]);
        n.snapshot_index = 3;
        n.snapshot_term = 1;
        n.log = vec![EntryView {
            index: 4,
            term: 2,
            label: "noop".into(),
        }];
        let view = WorldView {
            now_us: 0,
            nodes: vec![n],
            messages: Vec::new(),
            cuts: Vec::new(),
            disk: Default::default(),
            commit: Default::default(),
            violations: Vec::new(),
            events: Vec::new(),
        };
        let cells = &LogsDraw::new(&view, Lang::En).rows[0].cells;
        assert_eq!(cells.len(), 4);
        assert!(cells[..2].iter().all(|c| c.snapshot && c.term == 0));
        // The snapshot's last entry keeps its index and term (§7).
        assert!(cells[2].snapshot_end && !cells[2].snapshot);
        assert_eq!((cells[2].index, cells[2].term), (3, 1));
        assert!(!cells[3].snapshot && !cells[3].snapshot_end);
    }
}

//! Stepping to the next thing a person can see.
//!
//! Most of the world's events are clock ticks that change nothing on a
//! picture of the cluster: a follower's timer counts one more tick. A
//! [`Glance`] is what a picture shows (each server's role, term, log length,
//! commit and apply points, whether it runs; the messages in flight and
//! the ones lost on the way; clients' attempts and operations), so
//! [`step_visible`] can run events until one changes it: a message sent or
//! arriving, a role or term change, an entry appended, committed or applied,
//! a crash or restart, a client's request, timeout or answer. A recorded
//! or scheduled action counts as visible whatever it changes.
//!
//! Everything here reads typed data the world keeps anyway (its servers,
//! messages in flight, the journal, the client history); nothing is worded.

use crate::journal::{ClientStep, Mark, MessageRecord};
use crate::timeline::Timeline;
use crate::world::{NextEvent, NodeView, World};

/// How far (simulated µs) [`step_visible`] looks for a visible event before
/// it gives up: a live cluster shows something within an election timeout
/// (at most 300 ms with the default settings), a dead one never does.
pub const SEARCH_US: u64 = 3_000_000;

/// What a picture of the world shows at one instant; two glances differ
/// exactly when something visible changed in between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glance {
    /// Role, term, running or not, last log index, commit and apply points,
    /// known leader and vote of every server (spares included).
    nodes: Vec<NodeView>,
    /// Ids of the messages in flight: one sent adds an id, one arriving (or
    /// lost on arrival) removes one.
    in_flight: Vec<u64>,
    /// The newest message the journal recorded: a message lost as it is sent
    /// is never in flight, but the journal has it (and pictures draw it).
    newest_record: Option<u64>,
    /// The newest role, crash or restart mark.
    newest_mark: Option<Mark>,
    /// The newest client attempt or timeout.
    newest_client_step: Option<ClientStep>,
    /// Client operations invoked and finished.
    history: usize,
}

/// What [`step_visible`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stepped {
    /// The last event processed: the one that changed something visible when
    /// `visible`, else the last of the silent ones.
    pub what: NextEvent,
    /// Whether `what` changed something a person sees (false: nothing did
    /// within [`SEARCH_US`], or nothing was left to do).
    pub visible: bool,
    /// World events processed, silent ones included.
    pub events: u64,
    /// Messages `what` sent (client traffic included), as the journal
    /// recorded them, oldest first; empty when the journal is off.
    pub sent: Vec<MessageRecord>,
}

impl World {
    /// What a picture of the world shows now (see [`Glance`]).
    pub fn glance(&self) -> Glance {
        let journal = self.journal();
        Glance {
            nodes: self.nodes().collect(),
            in_flight: self.messages().map(|m| m.id).collect(),
            newest_record: journal.messages().next_back().map(|m| m.id),
            newest_mark: journal.marks().next_back().copied(),
            newest_client_step: journal.client_steps().next_back().copied(),
            history: self.history().len(),
        }
    }

    /// Messages the journal recorded after `before` was taken, oldest first.
    pub fn sent_since(&self, before: &Glance) -> Vec<MessageRecord> {
        let newest = before.newest_record;
        let mut sent: Vec<MessageRecord> = self
            .journal()
            .messages()
            .rev()
            .take_while(|m| newest.is_none_or(|id| m.id > id))
            .cloned()
            .collect();
        sent.reverse();
        sent
    }

    /// Processes events until one changes something visible (see [`step_visible`]).
    pub fn step_visible(&mut self, within_us: u64) -> Option<Stepped> {
        step_visible(
            self,
            |w| w,
            |w| {
                let what = w.next_event()?;
                w.step_one().then_some(what)
            },
            within_us,
        )
    }
}

impl Timeline {
    /// Processes events (and logged actions, which count as visible) until
    /// one changes something visible (see [`step_visible`]).
    pub fn step_visible(&mut self, within_us: u64) -> Option<Stepped> {
        step_visible(
            self,
            |t| t.world(),
            |t| {
                let what = match t.logged_action_due() {
                    Some(action) => NextEvent::Scheduled {
                        action: action.clone(),
                    },
                    None => t.world().next_event()?,
                };
                t.step_one().then_some(what)
            },
            within_us,
        )
    }
}

/// Calls `step_one` (process one event and say what it was; `None` when
/// nothing is left) until an event changes the world's [`Glance`] or is an
/// action ([`NextEvent::Scheduled`]), and stops just after it. Gives up,
/// with `visible: false`, once `within_us` of simulated time went by
/// without one. `None` when there was no event at all.
pub fn step_visible<S>(
    s: &mut S,
    world: impl Fn(&S) -> &World,
    mut step_one: impl FnMut(&mut S) -> Option<NextEvent>,
    within_us: u64,
) -> Option<Stepped> {
    let start_us = world(s).now_us();
    let start_events = world(s).events_processed();
    let mut last = None;
    loop {
        let before = world(s).glance();
        let Some(what) = step_one(s) else {
            return last.map(|what| Stepped {
                what,
                visible: false,
                events: world(s).events_processed() - start_events,
                sent: Vec::new(),
            });
        };
        let w = world(s);
        let visible = matches!(what, NextEvent::Scheduled { .. }) || w.glance() != before;
        if visible || w.now_us() >= start_us.saturating_add(within_us) {
            return Some(Stepped {
                sent: if visible {
                    w.sent_since(&before)
                } else {
                    Vec::new()
                },
                events: w.events_processed() - start_events,
                what,
                visible,
            });
        }
        last = Some(what);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Traffic;
    use crate::world::{Action, WorldConfig};
    use raft_core::{MessageKind, Role};

    fn world(nodes: usize) -> World {
        let mut cfg = WorldConfig::with_nodes(nodes);
        cfg.journal = 1_000;
        World::new(cfg, 7)
    }

    #[test]
    fn the_first_visible_step_sends_the_first_request_vote() {
        let mut w = world(5);
        let s = w.step_visible(SEARCH_US).unwrap();
        assert!(s.visible);
        let NextEvent::Tick { node } = s.what else {
            panic!("{:?}", s.what)
        };
        assert!(s.events > 1, "silent ticks passed first");
        assert_eq!(
            w.node(node).unwrap().raft().unwrap().role(),
            Role::Candidate
        );
        assert_eq!(s.sent.len(), 4);
        assert!(s
            .sent
            .iter()
            .all(|m| m.kind == Traffic::Raft(MessageKind::RequestVote) && m.from == node));
        assert_eq!(w.messages().count(), 4);
    }

    #[test]
    fn every_step_changes_the_glance_and_ticks_alone_do_not() {
        let mut w = world(3);
        for _ in 0..200 {
            let before = w.glance();
            let s = w.step_visible(SEARCH_US).unwrap();
            assert!(s.visible, "{s:?}");
            assert_ne!(w.glance(), before);
        }
        // A follower's tick with a leader around changes nothing visible.
        w.run_until(w.now_us() + 1_000_000);
        let leader = w.leader().expect("a leader");
        let mut silent = 0;
        for _ in 0..100 {
            let next = w.next_event();
            let before = w.glance();
            w.step_one();
            if matches!(next, Some(NextEvent::Tick { node }) if node != leader) {
                silent += usize::from(w.glance() == before);
            }
        }
        assert!(silent > 10, "{silent}");
    }

    #[test]
    fn actions_count_and_a_dead_cluster_gives_up() {
        let mut w = world(3);
        w.schedule_action(5_000, Action::Crash { node: 2 });
        let s = w.step_visible(SEARCH_US).unwrap();
        assert!(matches!(s.what, NextEvent::Scheduled { .. }), "{s:?}");
        for n in [1, 3] {
            w.apply_action(&Action::Crash { node: n }).unwrap();
        }
        // Messages still in flight are lost on arrival (visible), then only
        // the crashed servers' stale ticks are left, and then nothing.
        let mut steps = 0;
        while let Some(s) = w.step_visible(SEARCH_US) {
            if !s.visible {
                break;
            }
            steps += 1;
            assert!(steps < 50, "{s:?}");
        }
        assert_eq!(w.step_visible(SEARCH_US), None);
    }

    #[test]
    fn the_search_is_bounded_in_simulated_time() {
        // One server with no peers would elect itself; with a huge timeout it only ticks.
        let mut cfg = WorldConfig::with_nodes(1);
        cfg.raft.election_timeout_min = 10_000;
        cfg.raft.election_timeout_max = 20_000;
        let mut w = World::new(cfg, 1);
        let s = w.step_visible(500_000).unwrap();
        assert!(!s.visible);
        assert!((500_000..600_000).contains(&w.now_us()), "{}", w.now_us());
    }

    #[test]
    fn a_timeline_steps_to_its_logged_actions() {
        let mut t = Timeline::new(world(3), 4, 100_000);
        t.run_until(20_000);
        t.apply(Action::Crash { node: 1 }).unwrap();
        t.run_until(400_000);
        t.rewind(15_000);
        let s = t.step_visible(SEARCH_US).unwrap();
        assert_eq!(
            s.what,
            NextEvent::Scheduled {
                action: Action::Crash { node: 1 }
            }
        );
        assert!(!t.world().node(1).unwrap().alive());
    }
}

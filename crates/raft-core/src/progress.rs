//! What a leader knows of each follower: next_index, match_index and the flow
//! control state (Figure 2 "volatile state on leaders", dissertation §10.2).

use alloc::collections::VecDeque;

use crate::types::Index;

/// How the leader currently sends to a follower.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ProgressState {
    /// Finding where the logs match: one AppendEntries at a time (§5.3).
    Probe,
    /// Logs match: stream entries optimistically, within the in-flight window.
    Replicate,
    /// The entries the follower needs are compacted: an InstallSnapshot is in flight (§7).
    Snapshot,
}

impl ProgressState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProgressState::Probe => "probe",
            ProgressState::Replicate => "replicate",
            ProgressState::Snapshot => "snapshot",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The next index to send (Figure 2).
    pub next_index: Index,
    /// The highest index known to match the leader's log (Figure 2).
    pub match_index: Index,
    pub state: ProgressState,
    /// Probe: an AppendEntries is outstanding; wait for its answer or the next heartbeat.
    pub probe_sent: bool,
    /// Probe: ticks since the outstanding AppendEntries went out. A heartbeat
    /// repeats the probe only once it is a heartbeat interval old.
    pub probe_elapsed: u32,
    /// Replicate: the last index of each AppendEntries in flight, oldest first.
    /// Only acknowledgements of those entries free a slot, so at most
    /// max_inflight are ever in flight (dissertation §10.2.2).
    pub inflight: VecDeque<Index>,
    /// Replicate: the heartbeat round in which the newest AppendEntries in
    /// flight went out. A heartbeat of a later round answered while they are
    /// all still unacknowledged means they were lost.
    pub inflight_round: u64,
    /// Snapshot: the index of the snapshot sent, and ticks since it went out.
    pub pending_snapshot: Index,
    pub snapshot_elapsed: u32,
    /// Heard from since the last CheckQuorum round (§6.2).
    pub recent_active: bool,
    /// The highest heartbeat round this follower answered (ReadIndex, §6.4; the lease, §6.4.1).
    pub acked_round: u64,
}

impl Progress {
    pub(crate) fn new(next_index: Index) -> Self {
        Progress {
            next_index,
            match_index: 0,
            state: ProgressState::Probe,
            probe_sent: false,
            probe_elapsed: 0,
            inflight: VecDeque::new(),
            inflight_round: 0,
            pending_snapshot: 0,
            snapshot_elapsed: 0,
            recent_active: false,
            acked_round: 0,
        }
    }

    pub(crate) fn become_probe(&mut self) {
        // After a snapshot the follower has at least the snapshot's entries.
        let floor = if self.state == ProgressState::Snapshot {
            self.pending_snapshot.max(self.match_index) + 1
        } else {
            self.match_index + 1
        };
        self.state = ProgressState::Probe;
        self.next_index = floor;
        self.probe_sent = false;
        self.inflight.clear();
    }

    pub(crate) fn become_replicate(&mut self) {
        self.state = ProgressState::Replicate;
        self.next_index = self.match_index + 1;
        self.probe_sent = false;
        self.inflight.clear();
    }

    pub(crate) fn become_snapshot(&mut self, index: Index) {
        self.state = ProgressState::Snapshot;
        self.pending_snapshot = index;
        self.snapshot_elapsed = 0;
        self.probe_sent = false;
        self.inflight.clear();
    }

    pub(crate) fn window_full(&self, max_inflight: usize) -> bool {
        self.inflight.len() >= max_inflight
    }

    /// Replicate: whether a heartbeat reply of `round` shows the appends still in
    /// flight lost: the heartbeat went out after all of them, yet came back first.
    pub(crate) fn inflight_lost(&self, round: u64) -> bool {
        self.state == ProgressState::Replicate
            && !self.inflight.is_empty()
            && round > self.inflight_round
    }

    /// Frees the in-flight slots acknowledged up to `index`.
    pub(crate) fn free_to(&mut self, index: Index) {
        while self.inflight.front().is_some_and(|&last| last <= index) {
            self.inflight.pop_front();
        }
    }

    /// Probe: whether an AppendEntries went out less than `interval` ticks ago
    /// and is still unanswered, so a heartbeat must not repeat it.
    pub(crate) fn probe_in_flight(&self, interval: u32) -> bool {
        self.state == ProgressState::Probe && self.probe_sent && self.probe_elapsed < interval
    }

    /// Whether the leader may send entries to this follower now.
    pub(crate) fn paused(&self, max_inflight: usize) -> bool {
        match self.state {
            ProgressState::Probe => self.probe_sent,
            ProgressState::Replicate => self.window_full(max_inflight),
            ProgressState::Snapshot => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_follower_is_probed() {
        let p = Progress::new(11);
        assert_eq!(
            (p.next_index, p.match_index, p.state),
            (11, 0, ProgressState::Probe)
        );
        assert!(!p.paused(8));
    }

    #[test]
    fn probe_sends_one_at_a_time() {
        let mut p = Progress::new(5);
        p.probe_sent = true;
        assert!(p.paused(8));
        p.match_index = 3;
        p.become_probe();
        assert_eq!(p.next_index, 4);
        assert!(!p.paused(8));
    }

    #[test]
    fn a_probe_counts_as_in_flight_for_one_heartbeat_interval() {
        let mut p = Progress::new(5);
        assert!(!p.probe_in_flight(5));
        p.probe_sent = true;
        p.probe_elapsed = 4;
        assert!(p.probe_in_flight(5));
        // Unanswered for a whole interval: presumed lost, the heartbeat repeats it.
        p.probe_elapsed = 5;
        assert!(!p.probe_in_flight(5));
        p.probe_elapsed = 0;
        p.become_replicate();
        assert!(!p.probe_in_flight(5));
    }

    #[test]
    fn replicate_pipelines_within_the_window() {
        let mut p = Progress::new(5);
        p.match_index = 4;
        p.become_replicate();
        assert_eq!(p.next_index, 5);
        p.inflight.push_back(6);
        assert!(!p.paused(2));
        p.inflight.push_back(8);
        assert!(p.paused(2) && p.window_full(2));
        // An acknowledgement up to 7 frees the first slot only.
        p.free_to(7);
        assert_eq!(p.inflight.front(), Some(&8));
        assert_eq!(p.inflight.len(), 1);
        p.free_to(8);
        assert!(p.inflight.is_empty());
    }

    #[test]
    fn appends_are_lost_when_a_later_heartbeat_comes_back_first() {
        let mut p = Progress::new(5);
        p.match_index = 4;
        p.become_replicate();
        assert!(!p.inflight_lost(9));
        p.inflight.push_back(6);
        p.inflight_round = 3;
        // A heartbeat of the same round may have gone out before the append.
        assert!(!p.inflight_lost(3));
        assert!(p.inflight_lost(4));
        p.free_to(6);
        assert!(!p.inflight_lost(4));
    }

    #[test]
    fn snapshot_pauses_and_probe_resumes_after_it() {
        let mut p = Progress::new(5);
        p.match_index = 1;
        p.become_snapshot(9);
        assert!(p.paused(8));
        assert_eq!(p.pending_snapshot, 9);
        // After a successful snapshot the follower has at least its entries.
        p.become_probe();
        assert_eq!((p.state, p.next_index), (ProgressState::Probe, 10));
    }

    #[test]
    fn leaving_replicate_clears_the_window() {
        let mut p = Progress::new(5);
        p.become_replicate();
        p.inflight.push_back(7);
        p.become_probe();
        assert!(p.inflight.is_empty());
        assert_eq!(ProgressState::Replicate.as_str(), "replicate");
    }
}

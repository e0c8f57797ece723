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
    /// Replicate: the last index of each AppendEntries in flight, oldest first.
    pub inflight: VecDeque<Index>,
    /// Snapshot: the index of the snapshot sent, and ticks since it went out.
    pub pending_snapshot: Index,
    pub snapshot_elapsed: u32,
    /// Heard from since the last CheckQuorum round (§6.2).
    pub recent_active: bool,
    /// The highest heartbeat round this follower answered (ReadIndex, §6.4).
    pub acked_round: u64,
}

impl Progress {
    pub(crate) fn new(next_index: Index) -> Self {
        Progress {
            next_index,
            match_index: 0,
            state: ProgressState::Probe,
            probe_sent: false,
            inflight: VecDeque::new(),
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

    /// Frees the in-flight slots acknowledged up to `index`.
    pub(crate) fn free_to(&mut self, index: Index) {
        while self.inflight.front().is_some_and(|&last| last <= index) {
            self.inflight.pop_front();
        }
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

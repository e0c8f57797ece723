//! What a server hands back after each input, the API's errors, and a plain
//! in-memory [`Storage`] that applies outputs in the required order.

use alloc::vec::Vec;

use crate::event::Event;
use crate::log::{Snapshot, SnapshotMeta};
use crate::membership::{ConfChangeError, Configuration};
use crate::message::Message;
use crate::types::{Bytes, Entry, HardState, Index, NodeId};

/// A confirmed linearizable read: serve it once `index` is applied (§6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReadState {
    pub context: u64,
    pub index: Index,
}

/// The work a server asks of its caller. Handle it in this order:
/// 1. persist `hard_state`, `snapshot`, `entries` and cut the log at `last_index`
///    ([`Storage::persist`] does exactly that);
/// 2. send `messages` (these may also go before step 1) and `messages_after_persist`;
/// 3. restore the state machine from `restore`, then apply `committed`, then serve `read_states`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub hard_state: Option<HardState>,
    pub snapshot: Option<Snapshot>,
    /// Overwrite the stored log from `entries[0].index` on with these.
    pub entries: Vec<Entry>,
    /// The stored log must end here (entries after it are gone).
    pub last_index: Index,
    pub messages: Vec<Message>,
    /// Replies and vote requests: they promise persisted state (Figure 2).
    pub messages_after_persist: Vec<Message>,
    /// A leader's snapshot to load into the state machine before `committed`.
    pub restore: Option<Snapshot>,
    pub committed: Vec<Entry>,
    pub read_states: Vec<ReadState>,
    pub events: Vec<Event>,
}

impl Output {
    /// All messages, in the order they were produced within each group.
    pub fn all_messages(&self) -> impl Iterator<Item = &Message> {
        self.messages
            .iter()
            .chain(self.messages_after_persist.iter())
    }

    /// Empties every part, keeping the buffers' capacity (see [`crate::Raft::take_output_into`]).
    pub fn clear(&mut self) {
        self.hard_state = None;
        self.snapshot = None;
        self.entries.clear();
        self.last_index = 0;
        self.messages.clear();
        self.messages_after_persist.clear();
        self.restore = None;
        self.committed.clear();
        self.read_states.clear();
        self.events.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.hard_state.is_none()
            && self.snapshot.is_none()
            && self.entries.is_empty()
            && self.messages.is_empty()
            && self.messages_after_persist.is_empty()
            && self.restore.is_none()
            && self.committed.is_empty()
            && self.read_states.is_empty()
            && self.events.is_empty()
    }
}

/// What survives a crash: term, vote, snapshot and log (Figure 2).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Storage {
    pub hard_state: HardState,
    pub snapshot: Snapshot,
    pub entries: Vec<Entry>,
}

impl Storage {
    /// A brand-new server of a cluster whose first configuration is `voters`.
    pub fn bootstrap(voters: impl IntoIterator<Item = NodeId>) -> Self {
        Storage {
            snapshot: Snapshot {
                meta: SnapshotMeta {
                    config: Configuration::new(voters),
                    ..SnapshotMeta::default()
                },
                data: Bytes::default(),
            },
            ..Storage::default()
        }
    }

    /// A server about to join a cluster: it knows no configuration and waits to be contacted.
    pub fn joining() -> Self {
        Storage::default()
    }

    /// Step 1 of handling an [`Output`].
    pub fn persist(&mut self, out: &Output) {
        if let Some(hs) = out.hard_state {
            self.hard_state = hs;
        }
        if let Some(s) = &out.snapshot {
            let keep_from = self.entries.partition_point(|e| e.index <= s.meta.index);
            self.entries.drain(..keep_from);
            self.snapshot = s.clone();
        }
        if let Some(first) = out.entries.first() {
            let cut = self.entries.partition_point(|e| e.index < first.index);
            self.entries.truncate(cut);
            self.entries.extend(out.entries.iter().cloned());
        }
        let end = self.entries.partition_point(|e| e.index <= out.last_index);
        self.entries.truncate(end);
    }

    pub fn last_index(&self) -> Index {
        self.entries
            .last()
            .map_or(self.snapshot.meta.index, |e| e.index)
    }
}

/// Why a proposal, read, transfer or campaign was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProposeError {
    /// Only the leader takes proposals; `leader_hint` is the leader we know of (§8).
    NotLeader {
        leader_hint: Option<NodeId>,
    },
    /// A leadership transfer is under way (dissertation §3.10).
    TransferInProgress,
    /// A configuration change is not yet committed (dissertation §4.1).
    ConfChangePending,
    /// The leader has not committed an entry of its term yet (dissertation §4.1, §6.4).
    NotCommittedInTerm,
    InvalidConfChange(ConfChangeError),
    /// The server is not a voter of its configuration.
    NotVoter(NodeId),
}

impl core::fmt::Display for ProposeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ProposeError::NotLeader {
                leader_hint: Some(l),
            } => {
                write!(f, "not the leader; try S{l}")
            }
            ProposeError::NotLeader { leader_hint: None } => {
                f.write_str("not the leader, and no leader is known")
            }
            ProposeError::TransferInProgress => f.write_str("a leadership transfer is under way"),
            ProposeError::ConfChangePending => {
                f.write_str("the previous configuration change is not committed yet")
            }
            ProposeError::NotCommittedInTerm => {
                f.write_str("the leader has not committed an entry of its term yet")
            }
            ProposeError::InvalidConfChange(e) => write!(f, "invalid configuration change: {e}"),
            ProposeError::NotVoter(id) => write!(f, "S{id} is not a voter"),
        }
    }
}

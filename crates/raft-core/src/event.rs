//! The event stream: what happened inside a server and why. The page and the
//! traces draw from these; nothing outside the core re-derives protocol logic.

use crate::membership::Configuration;
use crate::message::MessageKind;
use crate::progress::ProgressState;
use crate::types::{Index, NodeId, Role, Term};

/// Why a server took a role (or a new term).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RoleReason {
    /// The server started (or restarted) from its persisted state.
    Start,
    /// Its election timer ran out (§5.2).
    ElectionTimeout,
    /// The caller asked it to campaign.
    Forced,
    /// A majority granted pre-votes (dissertation §9.6).
    PreVoteWon,
    /// A majority granted votes (§5.2).
    WonElection,
    /// A pre-vote or vote round was lost.
    LostElection,
    /// A message carried a higher term (§5.1).
    HigherTerm { from: NodeId },
    /// An AppendEntries or InstallSnapshot from this term's leader (§5.2).
    LeaderDiscovered { leader: NodeId },
    /// No quorum was heard from for an election timeout (§6.2).
    CheckQuorumFailed,
    /// The leader's removal from the configuration committed (§6).
    RemovedFromConfig,
    /// The leader asked this server to take over (dissertation §3.10).
    TimeoutNow { from: NodeId },
}

/// Why a vote (or pre-vote) was not granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum DenyReason {
    /// The candidate's term is older than ours (§5.1).
    StaleTerm { ours: Term },
    /// We already voted for someone else in this term (§5.2).
    AlreadyVoted { voted_for: NodeId },
    /// The candidate's log is behind ours (§5.4.1).
    LogNotUpToDate {
        candidate_last_index: Index,
        candidate_last_term: Term,
        our_last_index: Index,
        our_last_term: Term,
    },
    /// We heard from a leader within the minimum election timeout, so the
    /// request is ignored without a reply (§6, dissertation §4.2.3).
    LeaderLease { leader: NodeId },
    /// We have not voted in this term but already follow its leader: a term
    /// has at most one leader (§5.2), so there is no one to elect.
    TermHasLeader { leader: NodeId },
    /// The candidate is not a voter in our latest configuration: a removed
    /// server must not disrupt the cluster (dissertation §4.2.3). No reply.
    NotInConfiguration,
}

/// Why a server restarted its election timer. Figure 2 "Followers" (§5.2):
/// only a vote granted or an AppendEntries (or InstallSnapshot, §7) from the
/// current leader restart a follower's timer; a higher term alone does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TimerReason {
    /// The server started, or took `role`: a candidate starts each election
    /// with a new timeout (§5.2); a leader's counts toward CheckQuorum (§6.2);
    /// a follower's after it stopped leading or lost an election.
    NewRole { role: Role },
    /// An AppendEntries or InstallSnapshot from the current leader (§5.2).
    LeaderContact { leader: NodeId },
    /// This server granted its vote (§5.2).
    VoteGranted { candidate: NodeId },
}

/// Why a leader moved a follower's next_index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum NextReason {
    /// Entries were sent optimistically (pipelining).
    Sent,
    /// The follower rejected AppendEntries: back off by one (§5.3).
    Decrement,
    /// The follower rejected AppendEntries with a hint: skip ahead (§5.3).
    Hint,
    /// The follower acknowledged up to match_index.
    Matched,
    /// Falling back to probing from match_index + 1.
    Probe,
    /// After a snapshot.
    Snapshot,
}

/// Why a message was ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum IgnoreReason {
    /// Its term is older than ours (§5.1).
    StaleTerm,
    /// It answers a request this server no longer waits for.
    Unexpected,
    /// Addressed to another server, from this server, or internally inconsistent.
    Malformed,
}

/// One thing that happened, with what a person needs to understand it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Event {
    /// The role or term changed (or the server started).
    RoleChanged {
        role: Role,
        term: Term,
        reason: RoleReason,
    },
    /// The election timer starts counting from zero again.
    TimerReset {
        reason: TimerReason,
    },
    VoteGranted {
        candidate: NodeId,
        term: Term,
        pre: bool,
    },
    VoteDenied {
        candidate: NodeId,
        term: Term,
        pre: bool,
        reason: DenyReason,
    },
    VoteReceived {
        from: NodeId,
        term: Term,
        pre: bool,
        granted: bool,
    },
    /// The consistency check passed (§5.3).
    AppendAccepted {
        leader: NodeId,
        prev_log_index: Index,
        prev_log_term: Term,
        entries: u64,
        match_index: Index,
    },
    /// The consistency check failed: at prev_log_index we hold `local_term`
    /// (`None`: no entry there) instead of prev_log_term (§5.3).
    AppendRejected {
        leader: NodeId,
        prev_log_index: Index,
        prev_log_term: Term,
        local_term: Option<Term>,
        last_index: Index,
    },
    /// An entry was written to this server's log.
    EntryAppended {
        index: Index,
        term: Term,
    },
    /// Entries from this index on were removed (§5.3).
    Truncated {
        from: Index,
    },
    NextIndexMoved {
        follower: NodeId,
        from: Index,
        to: Index,
        reason: NextReason,
    },
    MatchIndexAdvanced {
        follower: NodeId,
        from: Index,
        to: Index,
    },
    ProgressStateChanged {
        follower: NodeId,
        state: ProgressState,
    },
    CommitAdvanced {
        from: Index,
        to: Index,
    },
    SnapshotSent {
        to: NodeId,
        index: Index,
        term: Term,
    },
    /// A leader's snapshot replaced this server's log up to `index` (§7).
    SnapshotInstalled {
        index: Index,
        term: Term,
    },
    /// The application compacted the log up to `index` (§7).
    SnapshotTaken {
        index: Index,
        term: Term,
    },
    /// The configuration in use changed (entered or left joint consensus included).
    ConfigChanged {
        index: Index,
        config: Configuration,
    },
    TransferStarted {
        to: NodeId,
    },
    TimeoutNowSent {
        to: NodeId,
    },
    TransferAborted {
        to: NodeId,
    },
    /// A linearizable read is confirmed at `index` (§6.4).
    ReadReady {
        context: u64,
        index: Index,
    },
    /// A read waiting for confirmation is abandoned because this server stopped
    /// leading; the client should ask the new leader (§6.4, §8).
    ReadDropped {
        context: u64,
    },
    MessageIgnored {
        from: NodeId,
        kind: MessageKind,
        reason: IgnoreReason,
    },
}

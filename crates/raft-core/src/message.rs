//! The RPCs of Figure 2, Figure 13 and the dissertation, as plain data.

use alloc::vec::Vec;
use core::fmt;

use crate::log::Snapshot;
use crate::types::{Entry, EntryData, Index, NodeId, Term};

/// One message between two servers. `term` is the sender's current term (§5.1),
/// except for a granted pre-vote, which echoes the term asked about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Message {
    pub from: NodeId,
    pub to: NodeId,
    pub term: Term,
    pub body: Body,
}

impl Message {
    /// Terms and indices above this are out of range: no real cluster gets
    /// there, and trusting one would let a single message overflow the log.
    pub const MAX_NUMBER: u64 = u64::MAX / 2;

    /// Whether every term and index the message carries is within [`Message::MAX_NUMBER`].
    pub fn in_range(&self) -> bool {
        let most = match &self.body {
            Body::RequestVote {
                last_log_index,
                last_log_term,
                ..
            } => *last_log_index.max(last_log_term),
            Body::RequestVoteResponse { .. } | Body::TimeoutNow => 0,
            Body::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                ..
            } => entries.iter().map(|e| e.index.max(e.term)).fold(
                *prev_log_index.max(prev_log_term).max(leader_commit),
                u64::max,
            ),
            Body::AppendEntriesResponse {
                index,
                last_index,
                conflict,
                ..
            } => {
                let (t, i) = conflict.unwrap_or_default();
                *index.max(last_index).max(&t).max(&i)
            }
            Body::InstallSnapshot { snapshot } => snapshot.meta.index.max(snapshot.meta.term),
            Body::InstallSnapshotResponse { index } => *index,
        };
        self.term.max(most) <= Self::MAX_NUMBER
    }
}

/// The kinds of message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Body {
    /// RequestVote (§5.2); `pre` marks a pre-vote (dissertation §9.6); `transfer`
    /// marks an election started by TimeoutNow, which may ignore leader leases (§3.10).
    RequestVote {
        pre: bool,
        last_log_index: Index,
        last_log_term: Term,
        transfer: bool,
    },
    RequestVoteResponse {
        pre: bool,
        granted: bool,
    },
    /// AppendEntries (§5.3). With no entries it is a heartbeat (§5.2).
    /// `round` is the leader's heartbeat round, echoed by the reply (ReadIndex, §6.4).
    AppendEntries {
        prev_log_index: Index,
        prev_log_term: Term,
        entries: Vec<Entry>,
        leader_commit: Index,
        round: u64,
    },
    /// On success `index` is the last index now known to match. On rejection
    /// `index` is the rejected prev_log_index, `last_index` the follower's last
    /// index, and `conflict` the follower's term at `index` with the first index
    /// of that term (the hint for fast backtracking, §5.3). `heartbeat` says the
    /// AppendEntries answered carried no entries (a heartbeat, §5.2): such a
    /// reply frees no in-flight slot of its own.
    AppendEntriesResponse {
        success: bool,
        index: Index,
        last_index: Index,
        conflict: Option<(Term, Index)>,
        round: u64,
        heartbeat: bool,
    },
    /// InstallSnapshot (§7, Figure 13), sent in one piece.
    InstallSnapshot {
        snapshot: Snapshot,
    },
    /// `index` is the follower's last index after handling the snapshot.
    InstallSnapshotResponse {
        index: Index,
    },
    /// Start an election now: leadership transfer (dissertation §3.10).
    TimeoutNow,
}

impl Body {
    /// What kind of message this is (a heartbeat is an AppendEntries without entries).
    pub fn kind(&self) -> MessageKind {
        match self {
            Body::RequestVote { pre: true, .. } => MessageKind::PreVote,
            Body::RequestVote { pre: false, .. } => MessageKind::RequestVote,
            Body::RequestVoteResponse { pre: true, .. } => MessageKind::PreVoteResponse,
            Body::RequestVoteResponse { pre: false, .. } => MessageKind::RequestVoteResponse,
            Body::AppendEntries { entries, .. } if entries.is_empty() => MessageKind::Heartbeat,
            Body::AppendEntries { .. } => MessageKind::AppendEntries,
            Body::AppendEntriesResponse { .. } => MessageKind::AppendEntriesResponse,
            Body::InstallSnapshot { .. } => MessageKind::InstallSnapshot,
            Body::InstallSnapshotResponse { .. } => MessageKind::InstallSnapshotResponse,
            Body::TimeoutNow => MessageKind::TimeoutNow,
        }
    }

    /// For replies: whether the vote was granted or the entries accepted
    /// (an InstallSnapshot reply always reports success). `None` for requests.
    pub fn success(&self) -> Option<bool> {
        match self {
            Body::RequestVoteResponse { granted, .. } => Some(*granted),
            Body::AppendEntriesResponse { success, .. } => Some(*success),
            Body::InstallSnapshotResponse { .. } => Some(true),
            _ => None,
        }
    }

    /// Whether this is a reply to another message.
    pub fn is_response(&self) -> bool {
        matches!(
            self,
            Body::RequestVoteResponse { .. }
                | Body::AppendEntriesResponse { .. }
                | Body::InstallSnapshotResponse { .. }
        )
    }
}

/// The kinds of message, as traces and the page name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MessageKind {
    PreVote,
    RequestVote,
    PreVoteResponse,
    RequestVoteResponse,
    /// An AppendEntries without entries (§5.2).
    Heartbeat,
    AppendEntries,
    AppendEntriesResponse,
    InstallSnapshot,
    InstallSnapshotResponse,
    TimeoutNow,
}

impl MessageKind {
    pub const ALL: [MessageKind; 10] = [
        MessageKind::PreVote,
        MessageKind::RequestVote,
        MessageKind::PreVoteResponse,
        MessageKind::RequestVoteResponse,
        MessageKind::Heartbeat,
        MessageKind::AppendEntries,
        MessageKind::AppendEntriesResponse,
        MessageKind::InstallSnapshot,
        MessageKind::InstallSnapshotResponse,
        MessageKind::TimeoutNow,
    ];

    /// The name, stable for traces, scenario files and the page's `data-type`.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::PreVote => "PreVote",
            MessageKind::RequestVote => "RequestVote",
            MessageKind::PreVoteResponse => "PreVoteResponse",
            MessageKind::RequestVoteResponse => "RequestVoteResponse",
            MessageKind::Heartbeat => "Heartbeat",
            MessageKind::AppendEntries => "AppendEntries",
            MessageKind::AppendEntriesResponse => "AppendEntriesResponse",
            MessageKind::InstallSnapshot => "InstallSnapshot",
            MessageKind::InstallSnapshotResponse => "InstallSnapshotResponse",
            MessageKind::TimeoutNow => "TimeoutNow",
        }
    }

    /// The kind called `name` (as [`MessageKind::as_str`] writes it).
    pub fn parse(name: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether this kind is a reply to another message.
    pub fn is_response(self) -> bool {
        matches!(
            self,
            MessageKind::PreVoteResponse
                | MessageKind::RequestVoteResponse
                | MessageKind::AppendEntriesResponse
                | MessageKind::InstallSnapshotResponse
        )
    }
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Message {
    /// One line, e.g. `1->2 AppendEntries Term:8 Log:6/9 Commit:9 Entries:[8/10 noop]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}->{} {} Term:{}",
            self.from,
            self.to,
            self.body.kind(),
            self.term
        )?;
        match &self.body {
            Body::RequestVote {
                last_log_index,
                last_log_term,
                transfer,
                ..
            } => {
                write!(f, " Log:{last_log_term}/{last_log_index}")?;
                if *transfer {
                    f.write_str(" Transfer")?;
                }
                Ok(())
            }
            Body::RequestVoteResponse { granted, .. } => {
                f.write_str(if *granted { " Granted" } else { " Rejected" })
            }
            Body::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                ..
            } => {
                write!(
                    f,
                    " Log:{prev_log_term}/{prev_log_index} Commit:{leader_commit}"
                )?;
                if !entries.is_empty() {
                    f.write_str(" Entries:[")?;
                    for (i, e) in entries.iter().enumerate() {
                        if i > 0 {
                            f.write_str(" ")?;
                        }
                        write!(f, "{e}")?;
                    }
                    f.write_str("]")?;
                }
                Ok(())
            }
            Body::AppendEntriesResponse {
                success,
                index,
                last_index,
                conflict,
                ..
            } => {
                if *success {
                    write!(f, " Ok Index:{index}")
                } else {
                    write!(f, " Rejected Index:{index} Last:{last_index}")?;
                    if let Some((term, first)) = conflict {
                        write!(f, " Hint:{term}/{first}")?;
                    }
                    Ok(())
                }
            }
            Body::InstallSnapshot { snapshot } => write!(
                f,
                " Snapshot:{}/{} Config:{}",
                snapshot.meta.term, snapshot.meta.index, snapshot.meta.config
            ),
            Body::InstallSnapshotResponse { index } => write!(f, " Index:{index}"),
            Body::TimeoutNow => Ok(()),
        }
    }
}

impl fmt::Display for Entry {
    /// `term/index` followed by the data, e.g. `3/7 put(1.2)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} ", self.term, self.index)?;
        match &self.data {
            EntryData::Noop => f.write_str("noop"),
            EntryData::Command(c) => write!(f, "cmd({}.{})", c.client, c.seq),
            EntryData::Config(c) => write!(f, "conf{c}"),
        }
    }
}

//! The recent past, kept for pictures: every message's life (sent, delivered
//! or lost, and why) and each server's role changes, crashes and restarts.
//! A space-time diagram draws one lane per server from these records.
//!
//! Bounded: at most `capacity` messages and `capacity` marks are kept (the
//! oldest go first), and nothing is recorded when `capacity` is 0, so worlds
//! that do not draw pay nothing.

use raft_core::{MessageKind, Role};

use crate::chunked::ChunkedVec;
use crate::kv::{KvOp, KvResult};
pub use crate::network::LossReason;

/// How a message's life ended, so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageFate {
    InFlight,
    /// Handed to its receiver at this time.
    Delivered {
        t: u64,
    },
    /// Never arrived: lost at this time, and why.
    Lost {
        t: u64,
        reason: LossReason,
    },
}

/// What a message is: a Raft message, or client traffic (which names a
/// client at one end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Traffic {
    Raft(MessageKind),
    /// A client's request to a server.
    ClientRequest {
        op: KvOp,
    },
    /// A server's answer to a client.
    ClientReply {
        answer: Answer,
    },
}

/// A server's answer to a client request (§8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Carried out (or read), with the result.
    Ok { result: KvResult },
    /// Not the leader: try `leader_hint` (`None`: no leader known).
    Redirect { leader_hint: Option<u64> },
}

impl Traffic {
    /// The name: the Raft kind's, `ClientRequest` or `ClientReply`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Traffic::Raft(k) => k.as_str(),
            Traffic::ClientRequest { .. } => "ClientRequest",
            Traffic::ClientReply { .. } => "ClientReply",
        }
    }
    /// The Raft kind, if this is a Raft message.
    pub fn raft(&self) -> Option<MessageKind> {
        match self {
            Traffic::Raft(k) => Some(*k),
            _ => None,
        }
    }
    pub fn is_client(&self) -> bool {
        !matches!(self, Traffic::Raft(_))
    }
}

/// One message, from sending to its fate. For client traffic, one end is a
/// client id (see `client_to_server` / `server_to_client`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRecord {
    pub id: u64,
    /// A Raft message, or a client's request (from a client to a server) or
    /// a reply (the reverse).
    pub kind: Traffic,
    pub from: u64,
    pub to: u64,
    pub term: u64,
    /// Replies: granted, accepted, or for a client reply, answered (false: redirected).
    pub success: Option<bool>,
    /// Client traffic: the request id (the same over retries, §8).
    pub req: Option<u64>,
    pub sent_at: u64,
    /// When it is (or was) due; for a message lost at once, the send time.
    pub deliver_at: u64,
    pub fate: MessageFate,
    /// Raft messages: the message in raft-core's notation, e.g.
    /// `1->2 AppendEntries Term:8 Log:6/9 Commit:9` (empty for client traffic).
    pub summary: String,
}

/// What a client did with one attempt of an operation (§8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptEvent {
    /// The request went to `server`; the client waits for an answer until `deadline`.
    Sent { server: u64, deadline: u64 },
    /// No answer from `server` by the deadline: the client tries again, or gives up.
    TimedOut { server: u64 },
}

/// One step of a client's operation: attempt `attempt` (from 1) of request `req`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientStep {
    pub t: u64,
    pub client: u64,
    pub req: u64,
    pub attempt: u32,
    pub event: AttemptEvent,
}

/// Something that happened to one server, drawn on its lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    Role {
        role: Role,
        term: u64,
    },
    Crash,
    Restart,
    /// Shut down after a committed configuration left it out.
    Retire,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub t: u64,
    pub node: u64,
    pub kind: MarkKind,
}

/// The bounded record (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct Journal {
    capacity: usize,
    // Chunked, so the checkpoints' clones share what they have in common.
    messages: ChunkedVec<MessageRecord>,
    marks: ChunkedVec<Mark>,
    attempts: ChunkedVec<ClientStep>,
}

impl MessageRecord {
    pub fn is_client(&self) -> bool {
        self.kind.is_client()
    }
}

impl Journal {
    pub fn new(capacity: usize) -> Journal {
        Journal {
            capacity,
            ..Journal::default()
        }
    }

    /// Whether anything is recorded (callers may skip building records).
    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Whether the journal holds as many messages as it keeps: older ones were let go.
    pub fn messages_full(&self) -> bool {
        self.enabled() && self.messages.len() == self.capacity
    }

    /// Messages, oldest sent first.
    pub fn messages(&self) -> impl DoubleEndedIterator<Item = &MessageRecord> {
        self.messages.iter()
    }

    /// Marks, oldest first.
    pub fn marks(&self) -> impl DoubleEndedIterator<Item = &Mark> {
        self.marks.iter()
    }

    pub fn sent(&mut self, record: MessageRecord) {
        if !self.enabled() {
            return;
        }
        if self.messages.len() == self.capacity {
            self.messages.pop_front();
        }
        self.messages.push(record);
    }

    /// Clients' attempts and timeouts, oldest first.
    pub fn client_steps(&self) -> impl DoubleEndedIterator<Item = &ClientStep> {
        self.attempts.iter()
    }

    pub fn client_step(&mut self, step: ClientStep) {
        if !self.enabled() {
            return;
        }
        if self.attempts.len() == self.capacity {
            self.attempts.pop_front();
        }
        self.attempts.push(step);
    }

    pub fn mark(&mut self, t: u64, node: u64, kind: MarkKind) {
        if !self.enabled() {
            return;
        }
        if self.marks.len() == self.capacity {
            self.marks.pop_front();
        }
        self.marks.push(Mark { t, node, kind });
    }

    /// Recent messages are at the back, so look there first.
    fn find(&mut self, id: u64) -> Option<&mut MessageRecord> {
        self.messages.rfind_mut(|m| m.id == id)
    }

    pub fn delivered(&mut self, id: u64, t: u64) {
        if let Some(m) = self.find(id) {
            m.fate = MessageFate::Delivered { t };
        }
    }

    pub fn lost(&mut self, id: u64, t: u64, reason: LossReason) {
        if let Some(m) = self.find(id) {
            m.fate = MessageFate::Lost { t, reason };
        }
    }

    pub fn delayed(&mut self, id: u64, deliver_at: u64) {
        if let Some(m) = self.find(id) {
            m.deliver_at = deliver_at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u64) -> MessageRecord {
        MessageRecord {
            id,
            kind: Traffic::Raft(MessageKind::Heartbeat),
            from: 1,
            to: 2,
            term: 1,
            success: None,
            req: None,
            sent_at: id * 10,
            deliver_at: id * 10 + 5,
            fate: MessageFate::InFlight,
            summary: String::new(),
        }
    }

    #[test]
    fn keeps_the_newest_within_capacity_and_updates_fates() {
        let mut j = Journal::new(3);
        for id in 1..=5 {
            j.sent(record(id));
        }
        let ids: Vec<u64> = j.messages().map(|m| m.id).collect();
        assert_eq!(ids, [3, 4, 5]);
        j.delivered(4, 45);
        j.lost(5, 52, LossReason::Manual);
        j.lost(1, 99, LossReason::Manual); // forgotten: ignored
        let fates: Vec<MessageFate> = j.messages().map(|m| m.fate).collect();
        assert_eq!(
            fates,
            [
                MessageFate::InFlight,
                MessageFate::Delivered { t: 45 },
                MessageFate::Lost {
                    t: 52,
                    reason: LossReason::Manual
                }
            ]
        );
    }

    #[test]
    fn records_nothing_when_disabled() {
        let mut j = Journal::new(0);
        j.sent(record(1));
        j.mark(1, 1, MarkKind::Crash);
        assert_eq!(j.messages().count() + j.marks().count(), 0);
    }
}

//! The vocabulary of the paper: terms, indices, entries, commands.

use alloc::vec::Vec;

use crate::membership::Configuration;

/// A server's identity. `0` means "nobody" in no message; ids start at 1.
pub type NodeId = u64;
/// A term number (§5.1).
pub type Term = u64;
/// A log index; the first entry has index 1 (§5.3).
pub type Index = u64;

/// A client command. It carries the client id and a per-client sequence
/// number so the state machine applies it exactly once (§8).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Command {
    pub client: u64,
    pub seq: u64,
    pub data: Vec<u8>,
}

/// What a log entry holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum EntryData {
    /// The no-op a new leader appends at the start of its term (§8).
    Noop,
    Command(Command),
    /// A new cluster configuration; it takes effect as soon as it is in a log (§6).
    Config(Configuration),
}

/// One log entry: index, the term it was created in, and its data.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Entry {
    pub index: Index,
    pub term: Term,
    pub data: EntryData,
}

impl Entry {
    /// A rough size in bytes, used to cap AppendEntries batches.
    pub fn size(&self) -> u64 {
        let payload = match &self.data {
            EntryData::Noop => 0,
            EntryData::Command(c) => c.data.len() + 16,
            EntryData::Config(_) => 32,
        };
        payload as u64 + 16
    }
}

/// The state a server must persist before answering RPCs (Figure 2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HardState {
    pub current_term: Term,
    pub voted_for: Option<NodeId>,
}

/// The role a server plays (Figure 4, plus the PreVote phase of dissertation §9.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Role {
    Follower,
    PreCandidate,
    Candidate,
    Leader,
}

impl Role {
    /// The lowercase name used by traces and the page.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "precandidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

impl core::fmt::Display for Role {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

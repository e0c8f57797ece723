//! The vocabulary of the paper: terms, indices, entries, commands.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Deref;

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
    pub data: Bytes,
}

/// Immutable bytes shared by reference count: a command's or a snapshot's data.
/// A leader hands the same entry to every follower's AppendEntries, to the
/// output to persist and to the state machine; each of those clones costs a
/// count increment, not a copy of the bytes. Serialized, compared, hashed and
/// debug-printed exactly as the `Vec<u8>` it holds.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Bytes(Arc<[u8]>);

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Self {
        Bytes(v.into())
    }
}

impl From<&[u8]> for Bytes {
    fn from(v: &[u8]) -> Self {
        Bytes(v.into())
    }
}

impl<const N: usize> From<&[u8; N]> for Bytes {
    fn from(v: &[u8; N]) -> Self {
        Bytes(v.as_slice().into())
    }
}

impl PartialEq<[u8]> for Bytes {
    fn eq(&self, other: &[u8]) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<Vec<u8>> for Bytes {
    fn eq(&self, other: &Vec<u8>) -> bool {
        *self.0 == **other
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A sequence of numbers, as `Vec<u8>` writes it: scenario files and traces keep their format.
        <[u8]>::serialize(&self.0, serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(deserializer).map(Bytes::from)
    }
}

/// What a log entry holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum EntryData {
    /// The no-op a new leader appends at the start of its term (§8).
    Noop,
    Command(Command),
    /// A new cluster configuration; it takes effect as soon as it is in a log (§6).
    /// Boxed: rare, and three sets wide, it would make every entry of the log
    /// twice the size of a command's.
    Config(Box<Configuration>),
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

//! raft-core driven by arbitrary inputs: a few servers, a network the input
//! controls (deliver, duplicate, drop or corrupt any message in flight),
//! forged messages, ticks, and every call of the public API (propose,
//! campaign, read index, configuration changes, transfer, compaction,
//! settings, crash and restart from the persisted state, with or without
//! the last output persisted). Nothing may panic, and each server's own
//! invariants hold after every step:
//!
//! - current_term never decreases (and a restart resumes at the persisted term);
//! - a server votes for at most one candidate per term, across restarts too
//!   (votes are read from the persisted outputs: hard state, `VoteGranted`,
//!   and the vote for itself when it becomes candidate);
//! - commit_index never decreases within a lifetime, never exceeds the last
//!   log index, and last_applied never exceeds it;
//! - an entry at or below commit_index never changes (and survives a restart
//!   when every output was persisted);
//! - the log's terms never decrease along indexes, and its indexes follow on;
//! - the state machine receives committed entries once each, in order;
//! - the persisted state ([`Storage::persist`] of every output) is exactly
//!   the server's log and hard state.
//!
//! The input is read through [`Source`]: the fuzz target reads it with
//! `arbitrary::Unstructured`, raft-core's stable test `tests/fuzz_corpus.rs`
//! (which includes this module) with [`Bytes`], byte for byte the same.

mod cluster;
mod script;
mod server;

pub use script::Script;

/// Where the choices come from.
pub trait Source {
    /// The next byte; 0 once the input is used up.
    fn byte(&mut self) -> u8;
    /// The next eight bytes as a little-endian number, zero-filled past the end.
    fn word(&mut self) -> u64;
    fn is_empty(&self) -> bool;
}

/// The input as plain bytes, read as `arbitrary::Unstructured` reads `u8` and
/// `u64` (little-endian, zero-filled): the stable tests need no `arbitrary`.
pub struct Bytes<'a>(pub &'a [u8]);

impl Source for Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b
    }
    fn word(&mut self) -> u64 {
        let n = self.0.len().min(8);
        let mut buf = [0; 8];
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        u64::from_le_bytes(buf)
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How far a run got: what a corpus must keep reaching to test much.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reached {
    /// A server became leader.
    pub leader: bool,
    /// The highest commit index of any server.
    pub commit: u64,
    /// A server compacted its log; a server installed a leader's snapshot.
    pub compacted: bool,
    pub snapshot_installed: bool,
    /// A server used a joint configuration (§6).
    pub joint: bool,
    /// A server restarted having lost an output it had not persisted.
    pub lost_output: bool,
}

impl Reached {
    /// Everything either reached.
    pub fn and(self, other: Reached) -> Reached {
        Reached {
            leader: self.leader || other.leader,
            commit: self.commit.max(other.commit),
            compacted: self.compacted || other.compacted,
            snapshot_installed: self.snapshot_installed || other.snapshot_installed,
            joint: self.joint || other.joint,
            lost_output: self.lost_output || other.lost_output,
        }
    }
}

/// Reads `data` as a script and runs it, checking every invariant.
pub fn check_core(data: &[u8]) -> Reached {
    run(&Script::draw(&mut Bytes(data)))
}

/// Runs a script, checking every invariant after every step (a failure panics).
pub fn run(script: &Script) -> Reached {
    cluster::Cluster::run(script)
}

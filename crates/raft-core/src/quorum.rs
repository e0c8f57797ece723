//! Quorum arithmetic: pure functions over voter sets (§5.2, §5.3, §6).

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use crate::membership::Configuration;
use crate::types::{Index, NodeId};

/// The outcome of counting votes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteResult {
    Won,
    Lost,
    Pending,
}

/// The highest index acknowledged by a majority of `voters`; `u64::MAX` for
/// an empty set so that it never limits a joint result.
pub fn majority_index(voters: &BTreeSet<NodeId>, acked: impl Fn(NodeId) -> Index) -> Index {
    if voters.is_empty() {
        return Index::MAX;
    }
    // Counted on the stack: this runs at every acknowledgement.
    let mut stack = [0; 16];
    let mut heap = Vec::new();
    let indices: &mut [Index] = if voters.len() <= stack.len() {
        &mut stack[..voters.len()]
    } else {
        heap.resize(voters.len(), 0);
        &mut heap
    };
    for (slot, &id) in indices.iter_mut().zip(voters) {
        *slot = acked(id);
    }
    indices.sort_unstable_by(|a, b| b.cmp(a));
    // The majority-th largest is on a majority of servers.
    indices[voters.len() / 2]
}

/// The highest index acknowledged by a majority of every voter set in `config` (§6).
pub fn committed_index(config: &Configuration, acked: impl Fn(NodeId) -> Index) -> Index {
    let incoming = majority_index(&config.voters, &acked);
    let outgoing = majority_index(&config.voters_outgoing, &acked);
    incoming.min(outgoing)
}

fn vote_result_of(voters: &BTreeSet<NodeId>, vote: &impl Fn(NodeId) -> Option<bool>) -> VoteResult {
    if voters.is_empty() {
        return VoteResult::Won;
    }
    let (mut yes, mut missing) = (0, 0);
    for &id in voters {
        match vote(id) {
            Some(true) => yes += 1,
            None => missing += 1,
            Some(false) => {}
        }
    }
    let need = voters.len() / 2 + 1;
    if yes >= need {
        VoteResult::Won
    } else if yes + missing >= need {
        VoteResult::Pending
    } else {
        VoteResult::Lost
    }
}

/// Counts votes (`Some(granted)`, `None` for no answer yet) in every voter set (§5.2, §6).
pub fn vote_result(config: &Configuration, vote: impl Fn(NodeId) -> Option<bool>) -> VoteResult {
    let a = vote_result_of(&config.voters, &vote);
    let b = vote_result_of(&config.voters_outgoing, &vote);
    match (a, b) {
        (VoteResult::Won, VoteResult::Won) => VoteResult::Won,
        (VoteResult::Lost, _) | (_, VoteResult::Lost) => VoteResult::Lost,
        _ => VoteResult::Pending,
    }
}

/// Whether the servers for which `active` holds form a quorum in every voter set.
pub fn is_quorum(config: &Configuration, active: impl Fn(NodeId) -> bool) -> bool {
    vote_result(config, |id| Some(active(id))) == VoteResult::Won
}

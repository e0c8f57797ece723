//! Quorum arithmetic (§5.2, §5.3, §6): majorities of one voter set and of both
//! sets of a joint configuration.

use std::collections::{BTreeMap, BTreeSet};

use raft_core::quorum::{committed_index, is_quorum, majority_index, vote_result, VoteResult};
use raft_core::Configuration;

fn set(ids: &[u64]) -> BTreeSet<u64> {
    ids.iter().copied().collect()
}

fn joint(incoming: &[u64], outgoing: &[u64]) -> Configuration {
    Configuration {
        voters: set(incoming),
        voters_outgoing: set(outgoing),
        learners: BTreeSet::new(),
    }
}

#[test]
fn majority_index_is_the_median_acknowledged_by_a_majority() {
    let acked = BTreeMap::from([(1, 5), (2, 3), (3, 9)]);
    assert_eq!(majority_index(&set(&[1, 2, 3]), |id| acked[&id]), 5);
    // Four voters need three acknowledgements.
    let acked = BTreeMap::from([(1, 5), (2, 3), (3, 9), (4, 7)]);
    assert_eq!(majority_index(&set(&[1, 2, 3, 4]), |id| acked[&id]), 5);
    // One voter is its own majority.
    assert_eq!(majority_index(&set(&[7]), |_| 4), 4);
}

#[test]
fn majority_index_of_an_empty_set_never_limits() {
    assert_eq!(majority_index(&BTreeSet::new(), |_| 0), u64::MAX);
}

#[test]
fn joint_commit_needs_both_majorities() {
    // §6: C_old,new decisions need a majority of C_old and of C_new.
    let cfg = joint(&[3, 4, 5], &[1, 2, 3]);
    let acked = BTreeMap::from([(1, 9), (2, 9), (3, 2), (4, 1), (5, 0)]);
    assert_eq!(committed_index(&cfg, |id| acked[&id]), 1);
    let acked = BTreeMap::from([(1, 9), (2, 9), (3, 8), (4, 8), (5, 0)]);
    assert_eq!(committed_index(&cfg, |id| acked[&id]), 8);
    // Outside joint consensus only the voters count.
    let plain = Configuration::new([1, 2, 3]);
    assert_eq!(committed_index(&plain, |id| acked[&id]), 9);
}

#[test]
fn vote_counting_wins_loses_or_waits() {
    let cfg = Configuration::new([1, 2, 3, 4, 5]);
    let votes = BTreeMap::from([(1, true), (2, true)]);
    assert_eq!(
        vote_result(&cfg, |id| votes.get(&id).copied()),
        VoteResult::Pending
    );
    let votes = BTreeMap::from([(1, true), (2, true), (3, true)]);
    assert_eq!(
        vote_result(&cfg, |id| votes.get(&id).copied()),
        VoteResult::Won
    );
    let votes = BTreeMap::from([(1, true), (2, false), (3, false), (4, false)]);
    assert_eq!(
        vote_result(&cfg, |id| votes.get(&id).copied()),
        VoteResult::Lost
    );
}

#[test]
fn a_split_vote_in_an_even_cluster_is_lost() {
    // §5.2: two candidates with two votes each out of four: neither can win.
    let cfg = Configuration::new([1, 2, 3, 4]);
    let votes = BTreeMap::from([(1, true), (2, false), (3, true), (4, false)]);
    assert_eq!(
        vote_result(&cfg, |id| votes.get(&id).copied()),
        VoteResult::Lost
    );
}

#[test]
fn joint_election_needs_both_majorities() {
    let cfg = joint(&[4, 5, 6], &[1, 2, 3]);
    let votes = BTreeMap::from([(1, true), (2, true), (4, true)]);
    assert_eq!(
        vote_result(&cfg, |id| votes.get(&id).copied()),
        VoteResult::Pending
    );
    let votes = BTreeMap::from([(1, true), (2, true), (4, true), (5, true)]);
    assert_eq!(
        vote_result(&cfg, |id| votes.get(&id).copied()),
        VoteResult::Won
    );
    // Losing either half loses the election.
    let votes = BTreeMap::from([(1, true), (2, true), (3, true), (4, false), (5, false)]);
    assert_eq!(
        vote_result(&cfg, |id| votes.get(&id).copied()),
        VoteResult::Lost
    );
}

#[test]
fn learners_never_count() {
    let mut cfg = Configuration::new([1, 2, 3]);
    cfg.learners.insert(4);
    cfg.learners.insert(5);
    assert!(!is_quorum(&cfg, |id| id == 1 || id >= 4));
    assert!(is_quorum(&cfg, |id| id <= 2));
}

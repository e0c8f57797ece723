//! Bug injection: fuzzing with each broken rule finds its violation, and
//! fuzzing without any finds none. The world is deterministic, so fixed seed
//! ranges make these tests exact.

use raft_sim::fuzz::{Faults, FuzzConfig};
use raft_sim::{Bug, Invariant};

/// The first seed in `seeds` whose run breaks an invariant, with that invariant.
fn first_violation(fc: &FuzzConfig, seeds: std::ops::Range<u64>) -> Option<(u64, Invariant)> {
    seeds.into_iter().find_map(|seed| {
        let run = fc.run(seed, &fc.schedule(seed), false);
        run.violation.map(|v| (seed, v.invariant))
    })
}

fn with_bug(bug: Bug) -> FuzzConfig {
    FuzzConfig {
        bug: Some(bug),
        linearizability: false,
        ..FuzzConfig::default()
    }
}

#[test]
fn no_bug_no_violation() {
    let fc = FuzzConfig::default();
    let found = first_violation(&fc, 0..30);
    assert_eq!(found, None);
}

#[test]
fn no_bug_no_violation_three_servers_crash_heavy() {
    let fc = FuzzConfig {
        nodes: 3,
        faults: Faults::parse("crash,drop,reorder").unwrap(),
        ..FuzzConfig::default()
    };
    assert_eq!(first_violation(&fc, 100..120), None);
}

/// Three servers whose new leaders lose their network a few messages into their
/// term (`--faults leader-isolation`), with the core's default switches.
fn leader_isolation(bug: Option<Bug>) -> FuzzConfig {
    FuzzConfig {
        nodes: 3,
        faults: Faults::parse("leader-isolation").unwrap(),
        bug,
        linearizability: false,
        draw_switches: false,
        ..FuzzConfig::default()
    }
}

#[test]
fn no_bug_no_violation_leader_isolation() {
    assert_eq!(first_violation(&leader_isolation(None), 0..30), None);
}

#[test]
fn commit_previous_term_breaks_leader_completeness() {
    // Figure 8: a leader counts replicas of an old-term entry and commits it
    // before its own no-op is on a majority, then loses its network; a server
    // holding a conflicting entry of a later term wins the next election.
    let fc = leader_isolation(Some(Bug::CommitPreviousTerm));
    let (seed, inv) = first_violation(&fc, 0..200).expect("found");
    assert_eq!(inv, Invariant::LeaderCompleteness);
    let (small, total) = shrink_and_replay(&fc, seed, inv);
    assert!(small < total, "{small} of {total}");
}

/// Shrinks the failing schedule of `seed` (200 re-runs at most), checks the
/// shrunk one still breaks `inv`, and returns (shrunk length, original length).
fn shrink_and_replay(fc: &FuzzConfig, seed: u64, inv: Invariant) -> (usize, usize) {
    let schedule = fc.schedule(seed);
    let small = fc.minimize(seed, &schedule, inv, 200);
    eprintln!(
        "seed {seed}: {} of {} actions: {small:?}",
        small.len(),
        schedule.len()
    );
    let again = fc.run(seed, &small, false).violation.expect("reproduces");
    assert_eq!(again.invariant, inv);
    (small.len(), schedule.len())
}

#[test]
fn apply_before_commit_breaks_state_machine_safety() {
    let found = first_violation(&with_bug(Bug::ApplyBeforeCommit), 0..5);
    assert_eq!(found.map(|f| f.1), Some(Invariant::StateMachineSafety));
}

#[test]
fn vote_without_log_check_breaks_leader_completeness() {
    let fc = with_bug(Bug::VoteWithoutLogCheck);
    let (seed, inv) = first_violation(&fc, 0..10).expect("found");
    assert_eq!(inv, Invariant::LeaderCompleteness);
    // The failing schedule shrinks and still fails.
    let (small, total) = shrink_and_replay(&fc, seed, inv);
    assert!(small < total, "{small} of {total}");
}

#[test]
fn forget_vote_on_restart_breaks_vote_once() {
    let found = first_violation(&with_bug(Bug::ForgetVoteOnRestart), 0..100);
    assert_eq!(found.map(|f| f.1), Some(Invariant::VoteOnce));
}

#[test]
fn no_randomized_timeout_is_a_liveness_failure() {
    let fc = FuzzConfig {
        faults: Faults::default(),
        ..with_bug(Bug::NoRandomizedTimeout)
    };
    assert_eq!(
        first_violation(&fc, 0..3).map(|f| f.1),
        Some(Invariant::Liveness)
    );
    // With the rule back, the same calm world elects a leader.
    let ok = FuzzConfig {
        faults: Faults::default(),
        linearizability: false,
        ..FuzzConfig::default()
    };
    assert_eq!(first_violation(&ok, 0..3), None);
}

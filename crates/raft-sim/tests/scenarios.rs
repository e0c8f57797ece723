//! Every scenario in the library (`scenarios/*.json`, see `raft_sim::library`)
//! meets every expectation under each of the seeds 0..20, and a scenario that
//! does not expect a violation finishes without one. A scenario that holds for
//! one seed only is depending on luck: what matters must be forced by actions.

use raft_core::Event;
use raft_sim::library::{self, SCENARIOS};
use raft_sim::scenario::{Check, Scenario};

const SEEDS: std::ops::Range<u64> = 0..20;

fn scenario(name: &str) -> Scenario {
    let entry = library::find(name).unwrap_or_else(|| panic!("no scenario {name} in the library"));
    let scenario = entry.scenario().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenario.name, name, "a scenario's name is its file name");
    assert!(!scenario.expect.is_empty(), "{name} has no expectations");
    assert!(
        !scenario.description.text("en").trim().is_empty(),
        "{name} needs a description"
    );
    scenario
}

/// Runs `name` under every seed and returns what went wrong, one line each.
fn failures(name: &str) -> Vec<String> {
    let scenario = scenario(name);
    let expects_violation = scenario
        .expect
        .iter()
        .any(|e| matches!(e.check, Check::Violation { .. }));
    let mut failed = Vec::new();
    for seed in SEEDS {
        let run = scenario.run(Some(seed), None, false).unwrap();
        if run.expectations.len() != scenario.expect.len() {
            failed.push(format!(
                "seed {seed}: {} of {} expectations ran",
                run.expectations.len(),
                scenario.expect.len()
            ));
        }
        for e in run.failed_expectations() {
            failed.push(format!(
                "seed {seed}: at {} ms {:?}: {}",
                e.at_ms,
                e.check,
                e.failure.as_deref().unwrap_or("")
            ));
        }
        if !expects_violation {
            if let Some(v) = run.world.violations().first() {
                failed.push(format!("seed {seed}: {v}"));
            }
        }
        for note in run.world.notes() {
            failed.push(format!(
                "seed {seed}: at {} us an action could not be carried out: {}",
                note.t, note.message
            ));
        }
    }
    failed
}

fn run(name: &str) {
    let failed = failures(name);
    assert!(failed.is_empty(), "{name}: {failed:#?}");
}

#[test]
fn backtracking_example() {
    run("backtracking");
}

#[test]
fn figure7_repair() {
    run("figure7-repair");
}

#[test]
fn figure8_safe() {
    run("figure8-safe");
}

#[test]
fn figure8_commit_previous_term_breaks_safety() {
    run("figure8-commit-previous-term");
}

#[test]
fn partition_3_2_and_heal() {
    run("partition-3-2");
}

#[test]
fn old_leader_returns() {
    run("old-leader-returns");
}

#[test]
fn split_vote() {
    run("split-vote");
}

#[test]
fn snapshot_catch_up() {
    run("snapshot-catch-up");
}

#[test]
fn joint_consensus_add_and_remove() {
    run("joint-consensus");
}

#[test]
fn membership_learner_then_voter_then_removal() {
    run("membership-learner");
}

#[test]
fn chapter_clients_redirect_retry_and_reads() {
    run("chapter-clients");
}

#[test]
fn prevote_stops_a_returning_server_from_disrupting() {
    run("prevote-disruption");
}

#[test]
fn check_quorum_makes_a_cut_off_leader_step_down() {
    run("check-quorum");
}

#[test]
fn chapter_optimizations_runs_a_slow_disk_safely() {
    run("chapter-optimizations");
}

#[test]
fn tour() {
    run("tour");
}

#[test]
fn chapter_basics() {
    run("chapter-basics");
}

#[test]
fn every_library_scenario_has_a_test() {
    let this = include_str!("scenarios.rs");
    for e in SCENARIOS {
        assert!(
            this.contains(&format!("run(\"{}\")", e.name)),
            "no test runs {}",
            e.name
        );
    }
}

/// What S2 saw of S1's AppendEntries in the backtracking scenario: the
/// rejections and the accepted ones that carried entries, in order.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    /// Rejected at (prev_log_index, prev_log_term); S2 held `local_term` there.
    Rejected(u64, u64, Option<u64>),
    /// Accepted at (prev_log_index, prev_log_term) with this many entries.
    Accepted(u64, u64, u64),
    Truncated(u64),
}

/// The design notes' example plays out as its two AppendEntries (§5.3), after
/// the one probe the new leader's no-op adds: prevLogIndex 3 finds S2's log too
/// short; prevLogIndex 2 / prevLogTerm 3 is rejected (S2 has term 1 there);
/// prevLogIndex 1 / prevLogTerm 1 is accepted, S2 deletes its 2:1 and takes
/// 2:3, 3:3 (and the no-op 4:4). No probe is sent twice.
#[test]
fn backtracking_plays_out_as_the_two_append_entries_of_the_example() {
    let scenario = scenario("backtracking");
    for seed in SEEDS {
        let mut timeline = scenario
            .timeline(seed, 2, u64::MAX / 4, |cfg| cfg.recent_events = 1 << 20)
            .unwrap();
        timeline.run_until(scenario.until_ms * 1_000);
        let world = timeline.world();
        let seen: Vec<Seen> = world
            .events()
            .filter(|e| e.node == 2)
            .filter_map(|e| match e.event {
                Event::AppendRejected {
                    leader: 1,
                    prev_log_index,
                    prev_log_term,
                    local_term,
                    ..
                } => Some(Seen::Rejected(prev_log_index, prev_log_term, local_term)),
                Event::AppendAccepted {
                    leader: 1,
                    prev_log_index,
                    prev_log_term,
                    entries,
                    ..
                } if entries > 0 => Some(Seen::Accepted(prev_log_index, prev_log_term, entries)),
                Event::Truncated { from } => Some(Seen::Truncated(from)),
                _ => None,
            })
            .collect();
        assert_eq!(
            seen,
            [
                Seen::Rejected(3, 3, None),
                Seen::Rejected(2, 3, Some(1)),
                Seen::Truncated(2),
                Seen::Accepted(1, 1, 3),
            ],
            "seed {seed}"
        );
        let s2 = world.node(2).unwrap();
        assert_eq!(s2.log_terms(), [1, 3, 3, 4], "seed {seed}");
        assert_eq!(s2.append_rejections, 2, "seed {seed}");
    }
}

#[test]
fn bug_vote_without_log_check_breaks_leader_completeness() {
    run("bug-vote-without-log-check");
}

#[test]
fn bug_forget_vote_on_restart_breaks_vote_once() {
    run("bug-forget-vote-on-restart");
}

#[test]
fn bug_apply_before_commit_breaks_state_machine_safety() {
    run("bug-apply-before-commit");
}

#[test]
fn bug_no_randomized_timeout_is_a_liveness_failure() {
    run("bug-no-randomized-timeout");
}

//! The explorer (`raft_sim::explore`): it finds each bug's shortest
//! counterexample, the scenario it writes replays to the same violation in the
//! world, and a correct core explores a bound with no violation and the same
//! count of states on every run.

use std::process::Command;

use raft_sim::explore::{self, Bounds, Report};
use raft_sim::scenario::Scenario;
use raft_sim::{Bug, Invariant};

/// Only elections, crashes and restarts besides deliveries: small enough for a debug build.
const SMALL: Bounds = Bounds {
    depth: 6,
    elections: 2,
    writes: 0,
    drops: 0,
    dups: 0,
    crashes: 1,
};

fn explore_in(skeleton: &Scenario, bounds: Bounds, threads: usize) -> Report {
    let (model, start) = explore::start(skeleton, bounds).expect("the skeleton builds");
    explore::explore(&model, start, threads, &mut |_| {})
}

/// Explores a fresh cluster with `bug`, expects `invariant` broken after `depth` steps,
/// writes the counterexample, reads it back from its JSON and replays it.
fn finds(nodes: usize, bug: Bug, bounds: Bounds, invariant: Invariant, depth: usize) {
    let skeleton = explore::skeleton(None, nodes, &[bug]);
    let report = explore_in(&skeleton, bounds, 1);
    let cx = report.violation.expect("a counterexample");
    assert_eq!(cx.found.invariant, invariant, "{}", cx.found.message);
    assert_eq!(cx.choices.len(), depth, "{:?}", cx.choices);
    let (model, start) = explore::start(&skeleton, bounds).unwrap();
    let written = explore::counterexample(&skeleton, &model, &start, &cx).expect("written");
    let text = serde_json::to_string_pretty(&written).unwrap();
    let read = Scenario::parse(&text, "counterexample.json").expect("the file reads back");
    let violations = explore::replay(&read).expect("it runs");
    assert!(
        violations.iter().any(|v| v.invariant == invariant),
        "the replay broke {:?}, not {invariant}",
        violations.iter().map(|v| v.invariant).collect::<Vec<_>>()
    );
    // Without the bug the same schedule breaks nothing.
    let mut fixed = read.clone();
    fixed.bugs.clear();
    assert_eq!(explore::replay(&fixed).unwrap(), vec![]);
}

#[test]
fn apply_before_commit_is_found_in_three_steps() {
    // The new leader applies its no-op as it appends it (§5.3).
    finds(
        3,
        Bug::ApplyBeforeCommit,
        SMALL,
        Invariant::StateMachineSafety,
        3,
    );
}

#[test]
fn forget_vote_on_restart_is_found_in_five_steps() {
    // S1 votes for itself, crashes, forgets, and votes for S2 in the same term.
    finds(3, Bug::ForgetVoteOnRestart, SMALL, Invariant::VoteOnce, 5);
}

#[test]
fn vote_without_log_check_is_found_in_ten_steps() {
    let bounds = Bounds { depth: 10, ..SMALL };
    finds(
        3,
        Bug::VoteWithoutLogCheck,
        bounds,
        Invariant::LeaderCompleteness,
        10,
    );
}

#[test]
fn a_correct_core_is_safe_and_counted_the_same_on_every_run() {
    let skeleton = explore::skeleton(None, 3, &[]);
    let bounds = Bounds {
        depth: 6,
        ..Bounds::default()
    };
    let first = explore_in(&skeleton, bounds, 1);
    assert!(first.violation.is_none(), "{:?}", first.violation);
    assert!(first.states > 1000, "{} states", first.states);
    for threads in [1, 2] {
        let again = explore_in(&skeleton, bounds, threads);
        assert!(again.violation.is_none());
        assert_eq!(
            (again.states, again.transitions, again.depth),
            (first.states, first.transitions, first.depth)
        );
    }
}

#[test]
fn a_small_space_is_exhausted_before_the_depth_bound() {
    // One election and nothing else: every schedule ends well within 30 steps.
    let skeleton = explore::skeleton(None, 3, &[]);
    let bounds = Bounds {
        depth: 30,
        elections: 1,
        writes: 0,
        drops: 0,
        dups: 0,
        crashes: 0,
    };
    let report = explore_in(&skeleton, bounds, 1);
    assert!(report.violation.is_none());
    assert!(report.exhausted);
    assert!(report.depth < 30);
}

fn raft_sim(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_raft-sim"))
        .args(args)
        .output()
        .expect("raft-sim runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_cli_exits_0_safe_1_with_a_replayable_file_and_2_on_bad_input() {
    let dir = std::env::temp_dir().join(format!("explore-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (code, out) = raft_sim(&["explore", "--depth", "5", "--threads", "1"]);
    assert_eq!(code, 0, "{out}");
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("states: ") && last.ends_with(", depth: 5, violations: 0"),
        "{last}"
    );

    let file = dir.join("cx.json");
    let file_arg = file.to_str().unwrap();
    let (code, out) = raft_sim(&[
        "explore",
        "--bug",
        "apply-before-commit",
        "--depth",
        "5",
        "--out",
        file_arg,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.lines()
            .last()
            .unwrap()
            .ends_with("depth: 3, violations: 1"),
        "{out}"
    );
    let (code, out) = raft_sim(&["run", file_arg]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("state_machine_safety"), "{out}");

    // From a scenario: its servers and its bug.
    let library = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/bug-forget-vote-on-restart.json"
    );
    let (code, out) = raft_sim(&[
        "explore",
        "--scenario",
        library,
        "--faults",
        "timeout,crash",
        "--depth",
        "6",
        "--out",
        file_arg,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("bug forget-vote-on-restart"), "{out}");
    assert!(
        out.lines()
            .last()
            .unwrap()
            .ends_with("depth: 5, violations: 1"),
        "{out}"
    );
    let (code, out) = raft_sim(&["run", file_arg]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("vote_once"), "{out}");

    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"nodes\": 3,\n \"tick_ms\": \"ten\"}").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_raft-sim"))
        .args(["explore", "--scenario", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("bad.json") && err.contains("tick_ms"), "{err}");
    assert_eq!(raft_sim(&["explore", "--faults", "lightning"]).0, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

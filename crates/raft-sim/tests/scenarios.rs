//! Every golden scenario under `scenarios/` runs and meets its expectations;
//! scenarios that do not expect a violation must finish without one.

use std::path::PathBuf;

use raft_sim::scenario::{Check, Scenario};

fn scenario_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

fn run(name: &str) {
    let path = scenario_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let scenario = Scenario::parse(&text, name).unwrap_or_else(|e| panic!("{e}"));
    assert!(!scenario.expect.is_empty(), "{name} has no expectations");
    let run = scenario.run(None, None, false).unwrap();
    let failed: Vec<String> = run
        .failed_expectations()
        .map(|e| {
            format!(
                "at {} ms {:?}: {}",
                e.at_ms,
                e.check,
                e.failure.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert!(failed.is_empty(), "{name}: {failed:#?}");
    assert_eq!(
        run.expectations.len(),
        scenario.expect.len(),
        "{name}: every expectation ran"
    );
    let expects_violation = scenario
        .expect
        .iter()
        .any(|e| matches!(e.check, Check::Violation { .. }));
    if !expects_violation {
        assert!(
            run.world.violations().is_empty(),
            "{name}: {:?}",
            run.world.violations()
        );
    }
}

#[test]
fn figure7_repair() {
    run("figure7-repair.json");
}

#[test]
fn figure8_safe() {
    run("figure8-safe.json");
}

#[test]
fn figure8_commit_previous_term_breaks_safety() {
    run("figure8-commit-previous-term.json");
}

#[test]
fn partition_3_2_and_heal() {
    run("partition-3-2.json");
}

#[test]
fn old_leader_returns() {
    run("old-leader-returns.json");
}

#[test]
fn split_vote() {
    run("split-vote.json");
}

#[test]
fn backtracking_example() {
    run("backtracking.json");
}

#[test]
fn joint_consensus_add_and_remove() {
    run("joint-consensus.json");
}

#[test]
fn snapshot_catch_up() {
    run("snapshot-catch-up.json");
}

#[test]
fn every_scenario_file_has_a_test() {
    let mut names: Vec<String> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let this = include_str!("scenarios.rs");
    for n in names {
        assert!(this.contains(&format!("run(\"{n}\")")), "no test runs {n}");
    }
}

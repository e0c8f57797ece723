//! Every bug switch has a prepared scenario in the library, the one the page's
//! "Break a rule" mode loads. Run under its own seed and under seeds 0..8, it
//! shows the violation the broken rule leads to within 3 simulated seconds,
//! and nothing else; the same scenario with the switch off breaks nothing over
//! the same time, so the story needs the bug and the checker is not vacuous.
//! The stories are forced by actions and fixed latencies, so no seed is special.

use raft_sim::library::{Entry, SCENARIOS};
use raft_sim::scenario::Scenario;
use raft_sim::{Bug, Invariant};

/// How long a prepared scenario may take to show its violation.
const WITHIN_MS: u64 = 3_000;

/// Seeds tried besides each scenario's own.
const SEEDS: std::ops::Range<u64> = 0..8;

/// What breaking the rule shows, the first violation first; nothing else may be broken.
fn expected(bug: Bug) -> &'static [Invariant] {
    match bug {
        Bug::CommitPreviousTerm | Bug::VoteWithoutLogCheck => {
            &[Invariant::LeaderCompleteness, Invariant::StateMachineSafety]
        }
        Bug::NoRandomizedTimeout => &[Invariant::Liveness],
        Bug::ForgetVoteOnRestart => &[Invariant::VoteOnce, Invariant::ElectionSafety],
        Bug::ApplyBeforeCommit => &[Invariant::StateMachineSafety],
    }
}

/// Where the paper states the broken rule, as the English and Chinese texts cite it.
fn rule(bug: Bug) -> [&'static str; 2] {
    match bug {
        Bug::CommitPreviousTerm => ["§5.4.2", "§5.4.2"],
        Bug::VoteWithoutLogCheck => ["§5.4.1", "§5.4.1"],
        Bug::NoRandomizedTimeout => ["§5.2", "§5.2"],
        Bug::ForgetVoteOnRestart => ["Figure 2", "图 2"],
        Bug::ApplyBeforeCommit => ["§5.3", "§5.3"],
    }
}

/// The library's scenarios that turn on exactly this bug.
fn prepared(bug: Bug) -> Vec<(&'static Entry, Scenario)> {
    SCENARIOS
        .iter()
        .map(|e| (e, e.scenario().unwrap_or_else(|err| panic!("{err}"))))
        .filter(|(_, s)| s.bugs == [bug])
        .collect()
}

/// Each seed a prepared scenario is run under: its own, then the rest of 0..8.
fn seeds(s: &Scenario) -> impl Iterator<Item = u64> {
    let own = s.seed;
    std::iter::once(own).chain(SEEDS.filter(move |&seed| seed != own))
}

/// The invariants broken in the first `WITHIN_MS`, in the order first broken.
fn broken(s: &Scenario, seed: u64) -> Vec<Invariant> {
    let run = s.run(Some(seed), Some(WITHIN_MS), false).unwrap();
    let mut seen = Vec::new();
    for v in run.world.violations() {
        assert!(v.t <= WITHIN_MS * 1_000, "{v}");
        if !seen.contains(&v.invariant) {
            seen.push(v.invariant);
        }
    }
    seen
}

#[test]
fn every_bug_switch_has_a_prepared_scenario_that_breaks_its_rule() {
    let mut failed = Vec::new();
    for bug in Bug::ALL {
        let prepared = prepared(bug);
        if prepared.is_empty() {
            failed.push(format!("no library scenario turns on only {}", bug.name()));
        }
        for (entry, s) in &prepared {
            for seed in seeds(s) {
                let mut seen = broken(s, seed);
                let first = seen.first().copied();
                if first != Some(expected(bug)[0]) {
                    failed.push(format!(
                        "{} seed {seed}: first broken {first:?}, expected {:?}",
                        entry.name,
                        expected(bug)[0]
                    ));
                }
                seen.sort();
                let mut want = expected(bug).to_vec();
                want.sort();
                if seen != want {
                    failed.push(format!(
                        "{} seed {seed}: broke {seen:?} in {WITHIN_MS} ms, expected {want:?}",
                        entry.name
                    ));
                }
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn without_the_bug_the_prepared_scenarios_break_nothing() {
    let mut failed = Vec::new();
    for bug in Bug::ALL {
        for (entry, mut s) in prepared(bug) {
            s.bugs.retain(|&b| b != bug);
            for seed in seeds(&s) {
                let seen = broken(&s, seed);
                if !seen.is_empty() {
                    failed.push(format!(
                        "{} without {} seed {seed}: broke {seen:?}",
                        entry.name,
                        bug.name()
                    ));
                }
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn each_prepared_scenario_names_the_rule_it_breaks_in_both_languages() {
    for bug in Bug::ALL {
        for (entry, s) in prepared(bug) {
            for (lang, section) in ["en", "zh"].into_iter().zip(rule(bug)) {
                let text = s.description.get(lang).unwrap_or_default();
                assert!(
                    text.contains(section),
                    "{}: the {lang} description does not cite {section}",
                    entry.name
                );
            }
        }
    }
}

//! The scenario panel: what a run started from and whether its expectations
//! held when the run passed their times.

use super::text::role_text;
use crate::cluster::{ExpectationView, Sim};
use crate::i18n::{tr, trf, Lang};

/// The scenario panel: what the run started from and, for a scenario with
/// expectations, whether each held when the run passed its time.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioDraw {
    /// The library's name (`None`: the page's own cluster or a loaded file).
    pub name: Option<String>,
    pub title: String,
    pub description: String,
    pub checks: Vec<CheckDraw>,
    /// `pending` (some not reached yet), `held` (all held) or `failed`.
    pub state: &'static str,
    /// Actions taken by hand on this run so far.
    pub actions: usize,
}

/// One expectation of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckDraw {
    pub at_ms: u64,
    pub text: String,
    /// `pending`, `held` or `failed`.
    pub state: &'static str,
    /// What was seen instead, when it failed.
    pub why: Option<String>,
}

impl ScenarioDraw {
    /// The panel in `lang` (the scenario's title and description in `lang`
    /// when its file has them, else in English).
    pub fn new(sim: &Sim, lang: Lang) -> ScenarioDraw {
        let s = sim.scenario();
        let checks: Vec<CheckDraw> = sim
            .expectations()
            .iter()
            .map(|e| CheckDraw::new(e, lang))
            .collect();
        let state = if checks.iter().any(|c| c.state == "failed") {
            "failed"
        } else if checks.iter().any(|c| c.state == "pending") {
            "pending"
        } else {
            "held"
        };
        ScenarioDraw {
            name: sim.setup().scenario_name().map(String::from),
            title: s.title.text(lang.code()).to_string(),
            description: s.description.text(lang.code()).to_string(),
            checks,
            state,
            actions: sim.actions_taken(),
        }
    }
}

impl CheckDraw {
    fn new(e: &ExpectationView, lang: Lang) -> CheckDraw {
        let (state, why) = match &e.outcome {
            None => ("pending", None),
            Some(Ok(())) => ("held", None),
            Some(Err(w)) => ("failed", Some(w.clone())),
        };
        CheckDraw {
            at_ms: e.at_us / 1_000,
            text: check_text(&e.check, lang),
            state,
            why,
        }
    }
}

/// An invariant of the checker in words (`leader_completeness`, 领导者完整性).
fn invariant_text(invariant: raft_sim::checker::Invariant, lang: Lang) -> &'static str {
    use raft_sim::checker::Invariant as I;
    tr(
        lang,
        match invariant {
            I::ElectionSafety => "invariant.election_safety",
            I::LeaderAppendOnly => "invariant.leader_append_only",
            I::LogMatching => "invariant.log_matching",
            I::LeaderCompleteness => "invariant.leader_completeness",
            I::StateMachineSafety => "invariant.state_machine_safety",
            I::TermMonotonicity => "invariant.term_monotonicity",
            I::CommitMonotonicity => "invariant.commit_monotonicity",
            I::VoteOnce => "invariant.vote_once",
            I::Liveness => "invariant.liveness",
            I::Linearizability => "invariant.linearizability",
        },
    )
}

/// An expectation in words, in `lang`.
pub fn check_text(check: &raft_sim::scenario::Check, lang: Lang) -> String {
    use raft_sim::scenario::Check as C;
    let list = |ids: &[u64]| {
        ids.iter()
            .map(|id| format!("S{id}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let set = |ids: &[u64]| format!("{{{}}}", list(ids));
    match check {
        C::Leader { node } => trf(lang, "check.leader", &[("node", node)]),
        C::LeaderExists { min_term } if *min_term > 0 => {
            trf(lang, "check.leader_exists_from", &[("term", min_term)])
        }
        C::LeaderExists { .. } => tr(lang, "check.leader_exists").into(),
        C::NoLeader => tr(lang, "check.no_leader").into(),
        C::LogsEqual { nodes } if nodes.is_empty() => tr(lang, "check.logs_equal_all").into(),
        C::LogsEqual { nodes } => {
            let names: Vec<String> = nodes.iter().map(|id| format!("S{id}")).collect();
            let names = names.join(tr(lang, "list.sep"));
            trf(lang, "check.logs_equal", &[("nodes", &names)])
        }
        C::Log { node, terms } => trf(
            lang,
            "check.log",
            &[
                ("node", node),
                (
                    "terms",
                    &terms
                        .iter()
                        .map(|t| t.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
        ),
        C::Committed {
            node: Some(n),
            min_index,
        } => trf(
            lang,
            "check.committed",
            &[("node", n), ("index", min_index)],
        ),
        C::Committed { min_index, .. } => trf(lang, "check.committed_all", &[("index", min_index)]),
        C::Role { node, role } => {
            use raft_core::Role as R;
            let named = [R::Follower, R::PreCandidate, R::Candidate, R::Leader]
                .into_iter()
                .find(|r| r.as_str() == role);
            let role = match named {
                Some(r) => role_text(r).render(lang),
                None => role.clone(),
            };
            trf(lang, "check.role", &[("node", node), ("role", &role)])
        }
        C::Term { node, min } => trf(lang, "check.term", &[("node", node), ("term", min)]),
        C::Violation { invariant } => trf(
            lang,
            "check.violation",
            &[("invariant", &invariant_text(*invariant, lang))],
        ),
        C::NoViolation => tr(lang, "check.no_violation").into(),
        C::Rejections { node, min, max } => match (min, max) {
            (Some(a), Some(b)) if a == b => trf(
                lang,
                "check.rejections_exactly",
                &[("node", node), ("n", a)],
            ),
            (Some(a), _) => trf(
                lang,
                "check.rejections_at_least",
                &[("node", node), ("n", a)],
            ),
            (_, Some(b)) => trf(
                lang,
                "check.rejections_at_most",
                &[("node", node), ("n", b)],
            ),
            _ => trf(lang, "check.rejections", &[("node", node)]),
        },
        C::SnapshotInstalled { node } => trf(lang, "check.snapshot_installed", &[("node", node)]),
        C::Config {
            node,
            voters,
            voters_outgoing,
            ..
        } if !voters_outgoing.is_empty() => trf(
            lang,
            "check.config_joint",
            &[
                ("node", node),
                ("old", &set(voters_outgoing)),
                ("new", &set(voters)),
            ],
        ),
        C::Config { node, voters, .. } => trf(
            lang,
            "check.config",
            &[("node", node), ("voters", &set(voters))],
        ),
        C::Kv {
            node,
            key,
            value: Some(v),
        } => trf(
            lang,
            "check.kv",
            &[("node", node), ("key", key), ("value", v)],
        ),
        C::Kv {
            node,
            key,
            value: None,
        } => trf(lang, "check.kv_absent", &[("node", node), ("key", key)]),
        C::ClientOk { min } => trf(lang, "check.client_ok", &[("min", min)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_read_in_either_language() {
        use raft_sim::scenario::Check as C;
        let role = C::Role {
            node: 2,
            role: "leader".into(),
        };
        assert_eq!(check_text(&role, Lang::En), "S2 is leader");
        assert!(check_text(&role, Lang::Zh).contains("\u{9886}\u{5bfc}\u{8005}"));
        let config = C::Config {
            node: 1,
            voters: vec![1, 2, 4],
            voters_outgoing: vec![1, 2, 3],
            learners: Vec::new(),
        };
        assert_eq!(
            check_text(&config, Lang::En),
            "S1 uses the joint configuration C_old {S1, S2, S3}, C_new {S1, S2, S4}"
        );
    }
}

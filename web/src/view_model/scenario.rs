//! The scenario panel: what a run started from and whether its expectations
//! held when the run passed their times.

use crate::cluster::{ExpectationView, Sim};

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
    pub fn new(sim: &Sim) -> ScenarioDraw {
        let s = sim.scenario();
        let checks: Vec<CheckDraw> = sim.expectations().iter().map(CheckDraw::new).collect();
        let state = if checks.iter().any(|c| c.state == "failed") {
            "failed"
        } else if checks.iter().any(|c| c.state == "pending") {
            "pending"
        } else {
            "held"
        };
        ScenarioDraw {
            name: sim.setup().scenario_name().map(String::from),
            title: s.title.clone(),
            description: s.description.clone(),
            checks,
            state,
            actions: sim.actions_taken(),
        }
    }
}

impl CheckDraw {
    fn new(e: &ExpectationView) -> CheckDraw {
        let (state, why) = match &e.outcome {
            None => ("pending", None),
            Some(Ok(())) => ("held", None),
            Some(Err(w)) => ("failed", Some(w.clone())),
        };
        CheckDraw {
            at_ms: e.at_us / 1_000,
            text: check_text(&e.check),
            state,
            why,
        }
    }
}

/// An expectation in words.
pub fn check_text(check: &raft_sim::scenario::Check) -> String {
    use raft_sim::scenario::Check as C;
    let list = |ids: &[u64]| {
        ids.iter()
            .map(|id| format!("S{id}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match check {
        C::Leader { node } => format!("S{node} leads"),
        C::LeaderExists { min_term } if *min_term > 0 => {
            format!("a leader of term {min_term} or later")
        }
        C::LeaderExists { .. } => "a leader exists".into(),
        C::NoLeader => "no server leads".into(),
        C::LogsEqual { nodes } if nodes.is_empty() => {
            "every running server has the same log".into()
        }
        C::LogsEqual { nodes } => format!("{} have the same log", list(nodes)),
        C::Log { node, terms } => format!(
            "S{node}'s log holds terms [{}]",
            terms
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        C::Committed {
            node: Some(n),
            min_index,
        } => format!("S{n} has committed index {min_index}"),
        C::Committed { min_index, .. } => format!("every voter has committed index {min_index}"),
        C::Role { node, role } => format!("S{node} is {role}"),
        C::Term { node, min } => format!("S{node} is in term {min} or later"),
        C::Violation { invariant } => format!("the checker finds a {invariant} violation"),
        C::NoViolation => "no safety property is violated".into(),
        C::Rejections { node, min, max } => match (min, max) {
            (Some(a), Some(b)) if a == b => format!("S{node} rejected exactly {a} AppendEntries"),
            (Some(a), _) => format!("S{node} rejected at least {a} AppendEntries"),
            (_, Some(b)) => format!("S{node} rejected at most {b} AppendEntries"),
            _ => format!("S{node} rejects AppendEntries"),
        },
        C::SnapshotInstalled { node } => format!("S{node} installed a snapshot from the leader"),
        C::Config {
            node,
            voters,
            voters_outgoing,
            ..
        } if !voters_outgoing.is_empty() => format!(
            "S{node} uses the joint configuration C_old {{{}}}, C_new {{{}}}",
            list(voters_outgoing),
            list(voters)
        ),
        C::Config { node, voters, .. } => {
            format!("S{node} uses the configuration {{{}}}", list(voters))
        }
        C::Kv {
            node,
            key,
            value: Some(v),
        } => format!("S{node} has {key} = {v}"),
        C::Kv {
            node,
            key,
            value: None,
        } => format!("S{node} has no {key}"),
        C::ClientOk { min } => format!("{min} client operations completed"),
    }
}

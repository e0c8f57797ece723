//! The safety panel: Figure 3's five properties, each held or violated
//! according to the world's checker (the first violation of each, with its
//! time, to scrub to), and the verdict on the client history's
//! linearizability (§8), checked again only when the history changed and
//! with a small step budget, so a frame stays cheap.

use std::rc::Rc;

use raft_sim::client::ClientEvent;
use raft_sim::linearizability::{CheckResult, OpKind, Operation, Outcome, Output};
use raft_sim::{Invariant, Violation};

use super::clock::format_sim_time;
use crate::i18n::{tr, trf, Lang};

/// The linearizability checker's step budget per key, per check: enough for
/// the page's few clients, small enough for one frame.
pub const LIN_BUDGET: u64 = 20_000;

/// The verdict on the client history so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinVerdict {
    Linearizable,
    /// The operations the checker names as the smallest offending sub-history.
    NotLinearizable {
        ops: Vec<Operation>,
    },
    /// The budget ran out first.
    Unknown,
}

impl LinVerdict {
    /// Checks `history` with `budget` steps per key.
    pub fn of<'a>(history: impl IntoIterator<Item = &'a ClientEvent>, budget: u64) -> Self {
        match raft_sim::history::check(history, budget) {
            CheckResult::Linearizable => LinVerdict::Linearizable,
            CheckResult::NotLinearizable { ops, .. } => LinVerdict::NotLinearizable { ops },
            CheckResult::Unknown { .. } => LinVerdict::Unknown,
        }
    }

    /// `data-linearizable`: `true`, `false` or `unknown`.
    pub fn name(&self) -> &'static str {
        match self {
            LinVerdict::Linearizable => "true",
            LinVerdict::NotLinearizable { .. } => "false",
            LinVerdict::Unknown => "unknown",
        }
    }
}

/// The last verdict and which history it was for: checked again only when
/// the history changed (a fingerprint of it: hashing is far cheaper than checking).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinCache {
    seen: Option<(usize, u64)>,
    pub verdict: LinVerdict,
}

impl Default for LinCache {
    fn default() -> Self {
        Self {
            seen: None,
            verdict: LinVerdict::Linearizable,
        }
    }
}

impl LinCache {
    /// Checks `history` again if it is not the one last checked; whether it did.
    pub fn refresh<'a, I>(&mut self, history: I) -> bool
    where
        I: IntoIterator<Item = &'a ClientEvent> + Clone,
    {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut len = 0usize;
        for e in history.clone() {
            e.hash(&mut h);
            len += 1;
        }
        let key = (len, h.finish());
        if self.seen == Some(key) {
            return false;
        }
        self.seen = Some(key);
        self.verdict = LinVerdict::of(history, LIN_BUDGET);
        true
    }
}

/// `data-property` of one of Figure 3's properties, e.g. `election-safety`.
pub fn property_name(i: Invariant) -> String {
    i.as_str().replace('_', "-")
}

/// The property's name, in `lang`.
pub fn property_title(i: Invariant, lang: Lang) -> &'static str {
    tr(
        lang,
        match i {
            Invariant::ElectionSafety => "safety.property.election_safety",
            Invariant::LeaderAppendOnly => "safety.property.leader_append_only",
            Invariant::LogMatching => "safety.property.log_matching",
            Invariant::LeaderCompleteness => "safety.property.leader_completeness",
            Invariant::StateMachineSafety => "safety.property.state_machine_safety",
            Invariant::TermMonotonicity => "safety.property.term_monotonicity",
            Invariant::CommitMonotonicity => "safety.property.commit_monotonicity",
            Invariant::VoteOnce => "safety.property.vote_once",
            Invariant::Liveness => "safety.property.liveness",
            Invariant::Linearizability => "safety.property.linearizability",
        },
    )
}

/// The rule, in words, in `lang`.
pub fn property_rule(i: Invariant, lang: Lang) -> &'static str {
    tr(
        lang,
        match i {
            Invariant::ElectionSafety => "safety.rule.election_safety",
            Invariant::LeaderAppendOnly => "safety.rule.leader_append_only",
            Invariant::LogMatching => "safety.rule.log_matching",
            Invariant::LeaderCompleteness => "safety.rule.leader_completeness",
            Invariant::StateMachineSafety => "safety.rule.state_machine_safety",
            Invariant::TermMonotonicity => "safety.rule.term_monotonicity",
            Invariant::CommitMonotonicity => "safety.rule.commit_monotonicity",
            Invariant::VoteOnce => "safety.rule.vote_once",
            Invariant::Liveness => "safety.rule.liveness",
            Invariant::Linearizability => "safety.rule.linearizability",
        },
    )
}

/// One of Figure 3's properties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyDraw {
    pub invariant: Invariant,
    /// `data-property`.
    pub name: String,
    pub title: &'static str,
    pub rule: &'static str,
    /// Where the paper states it, e.g. `§5.4`.
    pub section: &'static str,
    /// When it was first broken (µs), on this timeline up to now.
    pub violated_at: Option<u64>,
    /// "violated at 1.234 s", for the button.
    pub when: Option<String>,
    /// The servers involved in its first violation.
    pub nodes: Vec<u64>,
}

impl PropertyDraw {
    /// `data-state`: `held` or `violated`.
    pub fn state(&self) -> &'static str {
        if self.violated_at.is_some() {
            "violated"
        } else {
            "held"
        }
    }
}

/// The linearizability line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinDraw {
    /// `data-linearizable`.
    pub name: &'static str,
    pub text: String,
    /// The offending operations, one line each (only when not linearizable).
    pub ops: Vec<String>,
}

/// The safety panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafetyDraw {
    pub properties: Vec<PropertyDraw>,
    pub lin: LinDraw,
}

impl SafetyDraw {
    pub fn new(violations: &[Violation], verdict: &LinVerdict, lang: Lang) -> Rc<Self> {
        let properties = Invariant::FIGURE_3
            .into_iter()
            .map(|i| {
                let first = violations.iter().find(|v| v.invariant == i);
                PropertyDraw {
                    invariant: i,
                    name: property_name(i),
                    title: property_title(i, lang),
                    rule: property_rule(i, lang),
                    section: i.section(),
                    violated_at: first.map(|v| v.t),
                    when: first.map(|v| {
                        trf(
                            lang,
                            "safety.violated_at",
                            &[("time", &format_sim_time(v.t))],
                        )
                    }),
                    nodes: first.map(|v| v.nodes.clone()).unwrap_or_default(),
                }
            })
            .collect();
        Rc::new(Self {
            properties,
            lin: lin_draw(verdict, lang),
        })
    }

    /// The property called `name` (`data-property`).
    pub fn property(&self, name: &str) -> Option<&PropertyDraw> {
        self.properties.iter().find(|p| p.name == name)
    }
}

fn lin_draw(verdict: &LinVerdict, lang: Lang) -> LinDraw {
    let (text, ops) = match verdict {
        LinVerdict::Linearizable => (tr(lang, "safety.lin.yes"), Vec::new()),
        LinVerdict::Unknown => (tr(lang, "safety.lin.unknown"), Vec::new()),
        LinVerdict::NotLinearizable { ops } => (
            tr(lang, "safety.lin.no"),
            ops.iter().map(|op| op_line(op, lang)).collect(),
        ),
    };
    LinDraw {
        name: verdict.name(),
        text: text.to_string(),
        ops,
    }
}

/// One operation, e.g. `client 1 request 3: put(x, 1) → ok, 0.120 s – 0.150 s`.
pub(super) fn op_line(op: &Operation, lang: Lang) -> String {
    let value = op.value.as_deref().unwrap_or("");
    let call = match op.kind {
        OpKind::Put => format!("put({}, {value})", op.key),
        OpKind::Get => format!("get({})", op.key),
        OpKind::Append => format!("append({}, {value})", op.key),
        OpKind::Cas => format!(
            "cas({}, {}, {value})",
            op.key,
            op.expected.as_deref().unwrap_or("\u{2205}")
        ),
    };
    let (result, span) = match &op.outcome {
        Outcome::Ok { output, complete } => (
            match output {
                Output::None => tr(lang, "safety.lin.ok").to_string(),
                Output::Value(v) => v.clone().unwrap_or_else(|| "\u{2205}".into()),
                Output::Cas(b) => b.to_string(),
            },
            format!(
                "{} \u{2013} {}",
                format_sim_time(op.invoke),
                format_sim_time(*complete)
            ),
        ),
        Outcome::Unknown => (
            tr(lang, "safety.lin.no_reply").to_string(),
            format!("{} \u{2013}", format_sim_time(op.invoke)),
        ),
        Outcome::Failed => (
            tr(lang, "safety.lin.failed").to_string(),
            format_sim_time(op.invoke),
        ),
    };
    trf(
        lang,
        "safety.lin.op",
        &[
            ("client", &op.client),
            ("req", &op.req),
            ("call", &call),
            ("result", &result),
            ("span", &span),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::keys::ServerAction;
    use crate::view_model::tests::playground;
    use crate::view_model::Msg;
    use raft_sim::client::Outcome as Said;
    use raft_sim::{KvOp, KvResult};

    fn ev(t: u64, req: u64, op: KvOp, outcome: Said) -> ClientEvent {
        ClientEvent {
            t,
            client: 1,
            req,
            op,
            outcome,
        }
    }

    #[test]
    fn a_clean_run_holds_every_property_and_is_linearizable() {
        let mut pg = playground(3);
        for _ in 0..3_000 {
            pg.update(Msg::Step);
            if pg.sim.world().history().len() >= 6 {
                break;
            }
            if pg.sim.now_us() > 400_000 && pg.sim.world().history().is_empty() {
                pg.update(Msg::Server(ServerAction::Request, 1));
            }
        }
        assert!(
            pg.sim.world().history().len() >= 2,
            "a request invoked and answered"
        );
        let f = pg.frame();
        let names: Vec<&str> = f
            .safety
            .properties
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "election-safety",
                "leader-append-only",
                "log-matching",
                "leader-completeness",
                "state-machine-safety"
            ]
        );
        assert!(pg.sim.world().violations().is_empty());
        assert!(f.safety.properties.iter().all(|p| p.state() == "held"));
        assert_eq!(f.safety.properties[3].section, "§5.4");
        assert_eq!(
            f.safety.lin.name,
            LinVerdict::of(pg.sim.world().history(), LIN_BUDGET).name()
        );
        assert_eq!(f.safety.lin.name, "true");
    }

    #[test]
    fn figure_8_with_the_bug_breaks_leader_completeness_at_the_checker_s_time() {
        let mut pg = playground(5);
        pg.update(Msg::LoadScenario("figure8-commit-previous-term".into()));
        pg.update(Msg::TogglePlay);
        for _ in 0..20_000 {
            if !pg.sim.world().violations().is_empty() && pg.sim.now_us() > 1_000_000 {
                break;
            }
            pg.update(Msg::StepTick);
        }
        let first = pg
            .sim
            .world()
            .violations()
            .iter()
            .find(|v| v.invariant == Invariant::LeaderCompleteness)
            .cloned()
            .expect("the checker finds leader completeness broken");
        let f = pg.frame();
        let p = f.safety.property("leader-completeness").unwrap();
        assert_eq!(p.state(), "violated");
        assert_eq!(p.violated_at, Some(first.t));
        assert_eq!(p.nodes, first.nodes);
        assert!(p
            .when
            .as_deref()
            .unwrap()
            .contains(&format_sim_time(first.t)));
        // Each property agrees with the checker.
        for p in &f.safety.properties {
            let v = pg
                .sim
                .world()
                .violations()
                .iter()
                .find(|v| v.invariant == p.invariant);
            assert_eq!(p.violated_at, v.map(|v| v.t), "{}", p.name);
        }
        // Scrubbing to the violation shows it; just before it, it holds.
        pg.update(Msg::Scrub(first.t));
        let p = pg
            .frame()
            .safety
            .property("leader-completeness")
            .cloned()
            .unwrap();
        assert_eq!(p.violated_at, Some(first.t));
        pg.update(Msg::Scrub(first.t - 1));
        assert_eq!(
            pg.frame()
                .safety
                .property("leader-completeness")
                .unwrap()
                .state(),
            "held"
        );
    }

    #[test]
    fn the_offending_operations_are_drawn_on_the_space_time_diagram() {
        use crate::cluster::Setup;
        use crate::view_model::tests::play_until;
        use crate::view_model::Playground;
        // Client 1 is told x = 1 is written (applied before commit on a cut-off S1);
        // client 2 then reads x from the new leader and finds nothing.
        let mut pg = Playground::new(Setup::scenario(1, "bug-apply-before-commit"), 0, true);
        let f = play_until(&mut pg, 400_000, |f| f.safety.lin.name == "false");
        assert_eq!(f.safety.lin.name, "false", "at {} us", f.now_us);
        let bars: Vec<(u64, u64)> = f
            .spacetime
            .lin_ops
            .iter()
            .map(|o| (o.client, o.req))
            .collect();
        assert_eq!(bars, vec![(1, 1), (2, 1)]);
        let (put, get) = (&f.spacetime.lin_ops[0], &f.spacetime.lin_ops[1]);
        assert!(
            put.x1 < put.x2 && put.x2 < get.x1 && get.x1 < get.x2,
            "{put:?} {get:?}"
        );
        assert_ne!(put.y, get.y, "side by side, not on top of each other");
        assert!(put.label.contains("put(x, 1)") && get.label.contains("get(x)"));
        // Linearizable runs draw none.
        let mut fine = crate::view_model::tests::playground(3);
        let f = play_until(&mut fine, 1_000_000, |_| false);
        assert!(f.spacetime.lin_ops.is_empty());
    }

    #[test]
    fn the_verdict_names_the_offending_operations_and_is_checked_once_per_history() {
        let put = || KvOp::Put {
            key: "x".into(),
            value: "1".into(),
        };
        let get = || KvOp::Get { key: "x".into() };
        // put x=1 completes, then a later get reads nothing: not linearizable.
        let bad = vec![
            ev(100, 1, put(), Said::Invoke),
            ev(200, 1, put(), Said::Ok(KvResult::Done)),
            ev(300, 2, get(), Said::Invoke),
            ev(400, 2, get(), Said::Ok(KvResult::Value(None))),
        ];
        let mut cache = LinCache::default();
        assert!(cache.refresh(&bad));
        assert!(
            !cache.refresh(&bad),
            "the same history is not checked again"
        );
        let LinVerdict::NotLinearizable { ops } = &cache.verdict else {
            panic!("{:?}", cache.verdict);
        };
        let draw = lin_draw(&cache.verdict, Lang::En);
        assert_eq!(draw.name, "false");
        assert_eq!(draw.ops.len(), ops.len());
        assert!(
            draw.ops.iter().any(|l| l.contains("get(x)")),
            "{:?}",
            draw.ops
        );
        assert!(lin_draw(&cache.verdict, Lang::Zh).ops[0].contains("客户端"));
        // The same history, read back correctly, is linearizable.
        let mut good = bad.clone();
        good[3] = ev(400, 2, get(), Said::Ok(KvResult::Value(Some("1".into()))));
        assert!(cache.refresh(&good));
        assert_eq!(cache.verdict, LinVerdict::Linearizable);
        assert_eq!(
            LinVerdict::of(&good, 0),
            LinVerdict::Unknown,
            "no budget: no verdict"
        );
    }
}

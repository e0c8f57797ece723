//! The playground as part of someone else's page: what it tells the host page
//! (leader, commit, violation, scenario end) and what the host may ask of it
//! (play, pause, load). Plain Rust: the browser glue in `crate::embed` sends
//! and receives; the shapes are the README's embedding contract (version 1).

use super::Playground;

/// The version of the event and command shapes.
pub const EMBED_VERSION: u32 = 1;

/// Something the host page hears about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostEvent {
    /// A server became leader (`raft-leader`, `{node, term}`).
    Leader { node: u64, term: u64 },
    /// The cluster's commit index advanced (`raft-commit`, `{index, term}`: the
    /// committed entry's term).
    Commit { index: u64, term: u64 },
    /// A safety property was violated (`raft-violation`, `{property}`).
    Violation { property: &'static str },
    /// A library scenario reached its end time (`raft-scenario-end`, `{scenario}`).
    ScenarioEnd { scenario: String },
}

impl HostEvent {
    /// `leader`, `commit`, `violation`, `scenario-end` (the element's event is
    /// this with `raft-` before it).
    pub fn kind(&self) -> &'static str {
        match self {
            HostEvent::Leader { .. } => "leader",
            HostEvent::Commit { .. } => "commit",
            HostEvent::Violation { .. } => "violation",
            HostEvent::ScenarioEnd { .. } => "scenario-end",
        }
    }

    /// The `detail` as (name, value) pairs: numbers or strings.
    pub fn detail(&self) -> Vec<(&'static str, DetailValue)> {
        match self {
            HostEvent::Leader { node, term } => vec![
                ("node", DetailValue::Number(*node)),
                ("term", DetailValue::Number(*term)),
            ],
            HostEvent::Commit { index, term } => vec![
                ("index", DetailValue::Number(*index)),
                ("term", DetailValue::Number(*term)),
            ],
            HostEvent::Violation { property } => {
                vec![("property", DetailValue::Text((*property).to_string()))]
            }
            HostEvent::ScenarioEnd { scenario } => {
                vec![("scenario", DetailValue::Text(scenario.clone()))]
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DetailValue {
    Number(u64),
    Text(String),
}

/// What the run looked like when the host was last told: only news is sent.
#[derive(Clone, Debug, Default)]
pub struct HostWatch {
    now_us: u64,
    leader: Option<(u64, u64)>,
    commit: u64,
    violations: usize,
    ended: bool,
    started: bool,
}

impl HostWatch {
    /// The events since the last call. Going back in time (a rewind, a new run)
    /// tells nothing: the watch starts over from what is shown.
    pub fn news(&mut self, pg: &Playground) -> Vec<HostEvent> {
        let sim = &pg.sim;
        let world = sim.world();
        let now = sim.now_us();
        let leader = world
            .leader()
            .and_then(|id| world.nodes().find(|n| n.id == id).map(|n| (id, n.term)));
        let (commit, commit_term) = world
            .nodes()
            .filter(|n| n.alive)
            .max_by_key(|n| n.commit_index)
            .map(|n| {
                let term = world
                    .node(n.id)
                    .and_then(|node| node.raft())
                    .and_then(|r| r.log().term(n.commit_index))
                    .unwrap_or(0);
                (n.commit_index, term)
            })
            .unwrap_or((0, 0));
        let violations = world.violations();
        let end_us = sim.scenario().until_ms.saturating_mul(1_000);
        let scenario = sim.setup().scenario_name().map(str::to_string);
        let ended = scenario.is_some() && now >= end_us;
        let rewound = now < self.now_us;
        let mut out = Vec::new();
        if self.started && !rewound {
            if leader != self.leader {
                if let Some((node, term)) = leader {
                    out.push(HostEvent::Leader { node, term });
                }
            }
            if commit > self.commit {
                out.push(HostEvent::Commit {
                    index: commit,
                    term: commit_term,
                });
            }
            for v in violations.iter().skip(self.violations) {
                out.push(HostEvent::Violation {
                    property: v.invariant.as_str(),
                });
            }
            if ended && !self.ended {
                if let Some(scenario) = scenario {
                    out.push(HostEvent::ScenarioEnd { scenario });
                }
            }
        }
        *self = HostWatch {
            now_us: now,
            leader,
            commit,
            violations: violations.len(),
            ended,
            started: true,
        };
        out
    }
}

/// What a host page may ask: `{target: "raft-playground", type: "play" |
/// "pause" | "load", scenario?, link?}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostCommand {
    Play,
    Pause,
    /// A library scenario by name.
    LoadScenario(String),
    /// A share link's query (or the whole link).
    LoadLink(String),
}

impl HostCommand {
    /// The command a message asks for, from its fields (`None` where absent or
    /// not a string); anything that is not exactly a command is `None`.
    pub fn parse(
        target: Option<&str>,
        kind: Option<&str>,
        scenario: Option<&str>,
        link: Option<&str>,
    ) -> Option<HostCommand> {
        if target != Some("raft-playground") {
            return None;
        }
        match kind? {
            "play" => Some(HostCommand::Play),
            "pause" => Some(HostCommand::Pause),
            "load" => match (scenario, link) {
                (Some(s), None) if !s.is_empty() && s.len() <= 64 => {
                    Some(HostCommand::LoadScenario(s.to_string()))
                }
                (None, Some(l)) if !l.is_empty() && l.len() <= 16_384 => {
                    Some(HostCommand::LoadLink(l.to_string()))
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// The query part of a share link (`https://x/?v=1&seed=3` or `?v=1&seed=3` or
/// `v=1&seed=3`), with its `?`.
pub fn link_query(link: &str) -> String {
    let q = match link.split_once('?') {
        Some((_, q)) => q,
        None => link,
    };
    let q = q.split('#').next().unwrap_or("");
    format!("?{q}")
}

/// Which controls an embedded playground shows (`controls=` of the element or
/// the iframe's query).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Controls {
    /// Everything: the page.
    #[default]
    Full,
    /// Play/pause, step, speed, the scrubber and reset, over the cluster.
    Minimal,
    /// The cluster alone.
    None,
}

impl Controls {
    pub fn parse(s: &str) -> Option<Controls> {
        match s {
            "full" => Some(Controls::Full),
            "minimal" => Some(Controls::Minimal),
            "none" => Some(Controls::None),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Controls::Full => "full",
            Controls::Minimal => "minimal",
            Controls::None => "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Setup;
    use crate::view_model::Msg;

    #[test]
    fn commands_must_have_the_exact_shape() {
        let p = HostCommand::parse;
        assert_eq!(
            p(Some("raft-playground"), Some("play"), None, None),
            Some(HostCommand::Play)
        );
        assert_eq!(
            p(Some("raft-playground"), Some("pause"), None, None),
            Some(HostCommand::Pause)
        );
        assert_eq!(
            p(
                Some("raft-playground"),
                Some("load"),
                Some("figure8-safe"),
                None
            ),
            Some(HostCommand::LoadScenario("figure8-safe".into()))
        );
        assert_eq!(
            p(
                Some("raft-playground"),
                Some("load"),
                None,
                Some("?v=1&seed=3")
            ),
            Some(HostCommand::LoadLink("?v=1&seed=3".into()))
        );
        // Anything else is ignored.
        assert_eq!(p(None, Some("play"), None, None), None);
        assert_eq!(p(Some("other"), Some("play"), None, None), None);
        assert_eq!(p(Some("raft-playground"), Some("crash"), None, None), None);
        assert_eq!(p(Some("raft-playground"), None, None, None), None);
        assert_eq!(p(Some("raft-playground"), Some("load"), None, None), None);
        assert_eq!(
            p(Some("raft-playground"), Some("load"), Some("a"), Some("b")),
            None
        );
        assert_eq!(
            p(Some("raft-playground"), Some("load"), Some(""), None),
            None
        );
    }

    #[test]
    fn a_link_gives_its_query() {
        assert_eq!(link_query("https://a.b/c/?v=1&seed=3#x"), "?v=1&seed=3");
        assert_eq!(link_query("?seed=3"), "?seed=3");
        assert_eq!(link_query("seed=3"), "?seed=3");
    }

    #[test]
    fn the_watch_tells_a_new_leader_and_commits_once_and_nothing_on_a_rewind() {
        let mut pg = Playground::new(Setup::new(7, 3), 0, true);
        let mut watch = HostWatch::default();
        assert!(
            watch.news(&pg).is_empty(),
            "the first look is the starting point"
        );
        let mut seen = Vec::new();
        for ms in (50..=2_000).step_by(50) {
            pg.sim.run_until(ms * 1_000);
            seen.extend(watch.news(&pg));
        }
        let leaders: Vec<_> = seen.iter().filter(|e| e.kind() == "leader").collect();
        assert_eq!(
            leaders.len(),
            1,
            "one election in a quiet 3-server run: {seen:?}"
        );
        let leader = pg.sim.world().leader().unwrap();
        assert!(
            matches!(leaders[0], HostEvent::Leader { node, term } if *node == leader && *term >= 1)
        );
        let commits: Vec<_> = seen
            .iter()
            .filter_map(|e| match e {
                HostEvent::Commit { index, term } => Some((*index, *term)),
                _ => None,
            })
            .collect();
        assert!(!commits.is_empty(), "the leader's no-op commits");
        assert!(
            commits.windows(2).all(|w| w[0].0 < w[1].0),
            "commits only go up: {commits:?}"
        );
        assert!(commits.iter().all(|c| c.1 >= 1));
        // Back in time: nothing.
        pg.update(Msg::Scrub(100_000));
        assert!(watch.news(&pg).is_empty());
        assert_eq!(
            HostEvent::Leader { node: 2, term: 3 }.detail()[1],
            ("term", DetailValue::Number(3))
        );
    }

    #[test]
    fn a_scenario_tells_its_violation_and_its_end() {
        let mut pg = Playground::new(Setup::scenario(1, "figure8-commit-previous-term"), 0, true);
        let mut watch = HostWatch::default();
        watch.news(&pg);
        let end = pg.sim.scenario().until_ms * 1_000;
        let mut seen = Vec::new();
        let mut t = 0;
        while t < end + 1_000 {
            t += 20_000;
            pg.sim.run_until(t);
            seen.extend(watch.news(&pg));
        }
        assert!(
            seen.iter().any(|e| matches!(e, HostEvent::Violation { property } if *property == "state_machine_safety" || *property == "leader_completeness")),
            "{seen:?}"
        );
        let ends: Vec<_> = seen.iter().filter(|e| e.kind() == "scenario-end").collect();
        assert_eq!(
            ends,
            [&HostEvent::ScenarioEnd {
                scenario: "figure8-commit-previous-term".into()
            }]
        );
    }
}

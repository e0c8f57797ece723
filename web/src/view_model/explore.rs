//! "What could go wrong from here?": the bounded model checker
//! (`raft_sim::explore`) run from the servers' disks as they are now, a slice
//! of states per animation frame so the page never freezes. It ends with "no
//! violation within depth D (N states)", or loads the shortest counterexample
//! as a run the reader can watch, step and share.
//!
//! "Now" is what the servers have persisted: each one's term, vote and log
//! terms, as if every server restarted at this moment; messages in flight,
//! leaders and commit indexes start afresh, as in `raft-sim explore --scenario`.

use std::cell::RefCell;
use std::rc::Rc;

use raft_sim::explore::{self, Bounds, Model, Search, State};
use raft_sim::link::LinkSetup;
use raft_sim::scenario::{BacktrackName, NodeSettings, ReadOnlyName, Scenario};
use raft_sim::{InitialState, Invariant};

use super::playground::Playground;
use super::safety::property_title;
use super::state::Effect;
use super::text::Text;
use crate::cluster::{Setup, Sim};
use crate::i18n::{trf, Lang};

/// States expanded per animation frame.
pub const FRAME_STATES: usize = 600;
/// The depth the control starts at, and the most it takes.
pub const DEFAULT_DEPTH: u32 = 10;
pub const MAX_DEPTH: u32 = 40;
/// The most servers the page explores (the state space grows fast with them).
pub const MAX_SERVERS: usize = 5;
/// The page stops exploring at this many states (about 170 MB in the CLI's measure).
pub const MAX_STATES: u64 = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExploreMsg {
    SetDepth(u32),
    Start,
    Stop,
}

/// A search under way: its state, and what it started from.
struct Running {
    search: Search,
    skeleton: Scenario,
    model: Model,
    start: State,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running")
            .field("states", &self.search.report().states)
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Nothing broke within the depth (`exhausted`: no schedule was left longer).
    Safe {
        states: u64,
        depth: u32,
        exhausted: bool,
    },
    /// Broken after `depth` steps; the counterexample was loaded as the run.
    Violation {
        states: u64,
        depth: u32,
        invariant: Invariant,
    },
    /// Stopped by the reader, or (`limit`) at [`MAX_STATES`].
    Stopped {
        states: u64,
        depth: u32,
        limit: bool,
    },
    /// Cannot explore from here, and why.
    Refused(Text),
}

/// The control's state.
#[derive(Clone, Debug)]
pub struct Explore {
    pub depth: u32,
    running: Option<Rc<RefCell<Running>>>,
    outcome: Option<Outcome>,
}

impl Explore {
    /// Stops any exploration and forgets its result (the run changed).
    pub fn forget(&mut self) {
        self.running = None;
        self.outcome = None;
    }
}

impl Default for Explore {
    fn default() -> Self {
        Explore {
            depth: DEFAULT_DEPTH,
            running: None,
            outcome: None,
        }
    }
}

/// What the control draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExploreDraw {
    pub depth: u32,
    pub running: bool,
    /// "1,234 states, depth 5".
    pub progress_text: String,
    /// `safe`, `violation`, `stopped` (or `refused`).
    pub outcome: Option<&'static str>,
    pub states: u64,
    pub reached: u32,
    pub text: String,
}

/// The scenario whose start is the servers' disks now: their terms, votes and
/// log terms, the switches and bugs on now. Refused where that start would not
/// be this cluster (compacted logs, a changed membership, too many servers).
pub fn here(sim: &Sim) -> Result<Scenario, Text> {
    let world = sim.world();
    let cfg = world.config();
    if cfg.nodes > MAX_SERVERS {
        return Err(text_key!("explore.refused.servers", max = MAX_SERVERS));
    }
    let mut initial = Vec::new();
    for id in 1..=cfg.nodes as u64 {
        let Some(n) = world.node(id) else { continue };
        let disk = &n.storage;
        if disk.snapshot.meta.index > 0 {
            return Err(text_key!("explore.refused.compacted", node = id));
        }
        if disk
            .entries
            .iter()
            .any(|e| matches!(e.data, raft_core::EntryData::Config(_)))
        {
            return Err(text_key!("explore.refused.membership"));
        }
        initial.push(InitialState {
            node: id,
            current_term: disk.hard_state.current_term,
            voted_for: disk.hard_state.voted_for,
            log: disk.entries.iter().map(|e| e.term).collect(),
        });
    }
    let raft = &cfg.raft;
    let mut base = explore::skeleton(None, cfg.nodes, &cfg.bugs());
    base.node = NodeSettings {
        pre_vote: raft.pre_vote,
        check_quorum: raft.check_quorum,
        backtrack: match raft.backtrack {
            raft_core::Backtrack::OneByOne => BacktrackName::OneByOne,
            raft_core::Backtrack::ConflictTerm => BacktrackName::ConflictTerm,
        },
        read_only: match raft.read_only {
            raft_core::ReadOnly::Safe => ReadOnlyName::Safe,
            raft_core::ReadOnly::LeaseBased => ReadOnlyName::Lease,
        },
        max_entries_per_append: raft.max_entries_per_append,
        max_inflight: raft.max_inflight,
        ..NodeSettings::default()
    };
    base.initial = initial;
    base.seed = sim.setup().seed;
    Ok(explore::skeleton(Some(&base), cfg.nodes, &[]))
}

impl Playground {
    pub(super) fn explore_update(&mut self, msg: ExploreMsg) -> Vec<Effect> {
        match msg {
            ExploreMsg::SetDepth(d) => self.explore.depth = d.clamp(1, MAX_DEPTH),
            ExploreMsg::Start => {
                self.explore.outcome = None;
                // One search at a time: the explorer takes the frames.
                self.hunt_stop();
                let bounds = Bounds {
                    depth: self.explore.depth,
                    ..Bounds::default()
                };
                let started = here(&self.sim).and_then(|skeleton| {
                    let (model, start) = explore::start(&skeleton, bounds).map_err(Text::plain)?;
                    Ok(Running {
                        search: Search::new(model.clone(), start.clone()),
                        skeleton,
                        model,
                        start,
                    })
                });
                match started {
                    Ok(r) => {
                        self.playback.playing = false;
                        self.explore.running = Some(Rc::new(RefCell::new(r)));
                    }
                    Err(why) => {
                        self.say(text_key!("said.explore_refused", why = why.clone()));
                        self.explore.outcome = Some(Outcome::Refused(why));
                    }
                }
            }
            ExploreMsg::Stop => self.explore_stop(false),
        }
        Vec::new()
    }

    /// Ends the exploration under way, saying where it got to.
    fn explore_stop(&mut self, limit: bool) {
        if let Some(r) = self.explore.running.take() {
            let p = r.borrow().search.progress();
            self.explore.outcome = Some(Outcome::Stopped {
                states: p.states,
                depth: p.depth,
                limit,
            });
            self.say(text_key!(
                "said.explore_stopped",
                depth = p.depth,
                states = p.states
            ));
        }
    }

    /// Whether an exploration is under way (it takes a slice of each animation frame).
    pub(super) fn exploring(&self) -> bool {
        self.explore.running.is_some()
    }

    /// One animation frame of an exploration: a slice of states.
    pub(super) fn explore_frame(&mut self) {
        let Some(running) = self.explore.running.clone() else {
            return;
        };
        let mut r = running.borrow_mut();
        let Some(report) = r.search.step(FRAME_STATES, 1).cloned() else {
            let states = r.search.progress().states;
            drop(r);
            if states >= MAX_STATES {
                self.explore_stop(true);
            }
            return;
        };
        self.explore.running = None;
        let (states, depth) = (report.states, report.depth);
        let Some(cx) = report.violation else {
            self.explore.outcome = Some(Outcome::Safe {
                states,
                depth,
                exhausted: report.exhausted,
            });
            self.say(text_key!(
                "said.explore_safe",
                depth = depth,
                states = states
            ));
            return;
        };
        let invariant = cx.found.invariant;
        let written = explore::counterexample(&r.skeleton, &r.model, &r.start, &cx);
        drop(r);
        match written.and_then(|scenario| {
            Sim::try_new(Setup {
                seed: scenario.seed,
                kind: LinkSetup::File {
                    scenario: Box::new(scenario),
                },
            })
        }) {
            Ok(sim) => {
                self.use_sim(sim);
                self.playback.playing = false;
                self.explore.outcome = Some(Outcome::Violation {
                    states,
                    depth,
                    invariant,
                });
                let lang = self.prefs.lang;
                self.say(text_key!(
                    "said.explore_found",
                    property = property_title(invariant, lang),
                    depth = depth
                ));
            }
            Err(e) => self.explore.outcome = Some(Outcome::Refused(Text::plain(e))),
        }
    }

    pub(super) fn explore_draw(&self, lang: Lang) -> ExploreDraw {
        let running = self
            .explore
            .running
            .as_ref()
            .map(|r| r.borrow().search.progress());
        let progress_text = running
            .map(|p| {
                trf(
                    lang,
                    "explore.progress",
                    &[("states", &p.states), ("depth", &p.depth)],
                )
            })
            .unwrap_or_default();
        let (outcome, states, reached, text) = match &self.explore.outcome {
            None => (None, 0, 0, String::new()),
            Some(Outcome::Safe {
                states,
                depth,
                exhausted,
            }) => (
                Some("safe"),
                *states,
                *depth,
                trf(
                    lang,
                    if *exhausted {
                        "explore.safe_all"
                    } else {
                        "explore.safe"
                    },
                    &[("depth", depth), ("states", states)],
                ),
            ),
            Some(Outcome::Violation {
                states,
                depth,
                invariant,
            }) => (
                Some("violation"),
                *states,
                *depth,
                trf(
                    lang,
                    "explore.violation",
                    &[
                        ("property", &property_title(*invariant, lang)),
                        ("depth", depth),
                        ("states", states),
                    ],
                ),
            ),
            Some(Outcome::Stopped {
                states,
                depth,
                limit,
            }) => (
                Some("stopped"),
                *states,
                *depth,
                trf(
                    lang,
                    if *limit {
                        "explore.limit"
                    } else {
                        "explore.stopped"
                    },
                    &[("depth", depth), ("states", states)],
                ),
            ),
            Some(Outcome::Refused(why)) => (
                Some("refused"),
                0,
                0,
                trf(lang, "explore.refused", &[("why", &why.render(lang))]),
            ),
        };
        ExploreDraw {
            depth: self.explore.depth,
            running: running.is_some(),
            progress_text,
            outcome,
            states,
            reached,
            text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::Msg;

    fn explore_to_end(pg: &mut Playground) {
        for _ in 0..100_000 {
            if !pg.exploring() {
                return;
            }
            pg.explore_frame();
        }
        panic!("the exploration did not end");
    }

    #[test]
    fn a_bug_scenario_s_counterexample_is_found_and_loaded_as_the_run() {
        let mut pg = Playground::new(Setup::scenario(1, "bug-apply-before-commit"), 0, false);
        pg.update(Msg::Explore(ExploreMsg::SetDepth(6)));
        pg.update(Msg::Explore(ExploreMsg::Start));
        assert!(pg.exploring());
        explore_to_end(&mut pg);
        let d = pg.explore_draw(Lang::En);
        assert_eq!(d.outcome, Some("violation"), "{}", d.text);
        assert!(d.text.contains("State Machine Safety"), "{}", d.text);
        // The run is the counterexample now: played to its end, the checker finds it.
        let name = pg.sim.scenario().name.clone();
        assert!(name.starts_with("counterexample"), "{name}");
        let end = pg.sim.scenario().until_ms * 1_000;
        pg.sim.run_until(end);
        assert!(pg
            .sim
            .world()
            .violations()
            .iter()
            .any(|v| v.invariant == Invariant::StateMachineSafety));
    }

    #[test]
    fn a_correct_cluster_is_safe_within_the_depth_and_the_count_is_the_same_every_time() {
        let run = || {
            let mut pg = Playground::new(Setup::new(3, 3), 0, false);
            pg.update(Msg::Explore(ExploreMsg::SetDepth(6)));
            pg.update(Msg::Explore(ExploreMsg::Start));
            explore_to_end(&mut pg);
            pg.explore_draw(Lang::En)
        };
        let (a, b) = (run(), run());
        assert_eq!(a.outcome, Some("safe"), "{}", a.text);
        assert!(a.states > 1_000, "{}", a.states);
        assert_eq!((a.states, a.reached), (b.states, b.reached));
        assert!(a.text.contains(&a.states.to_string()), "{}", a.text);
    }

    #[test]
    fn another_run_or_a_hunt_ends_the_exploration_and_its_result() {
        use crate::view_model::bug_hunt::HuntMsg;
        let start = |pg: &mut Playground| {
            pg.update(Msg::Explore(ExploreMsg::SetDepth(30)));
            pg.update(Msg::Explore(ExploreMsg::Start));
            pg.explore_frame();
            assert!(pg.exploring());
        };
        let mut pg = Playground::new(Setup::new(3, 3), 0, false);
        start(&mut pg);
        pg.update(Msg::LoadScenario("figure8-safe".into()));
        assert!(!pg.exploring() && pg.explore_draw(Lang::En).outcome.is_none());
        // A hunt and an exploration never run at once.
        start(&mut pg);
        pg.update(Msg::Hunt(HuntMsg::Find));
        assert!(!pg.exploring() && pg.hunting());
        start(&mut pg);
        assert!(pg.exploring() && !pg.hunting());
        // The run goes on beside the exploration.
        pg.update(Msg::Play);
        let t0 = pg.sim.now_us();
        pg.update(Msg::Frame(0.0));
        pg.update(Msg::Frame(1_000.0));
        assert!(pg.sim.now_us() > t0, "the run stood still while exploring");
    }

    #[test]
    fn stop_ends_it_and_a_compacted_log_is_refused_with_a_reason() {
        let mut pg = Playground::new(Setup::new(3, 3), 0, false);
        pg.update(Msg::Explore(ExploreMsg::SetDepth(30)));
        pg.update(Msg::Explore(ExploreMsg::Start));
        pg.explore_frame();
        pg.update(Msg::Explore(ExploreMsg::Stop));
        assert!(!pg.exploring());
        assert_eq!(pg.explore_draw(Lang::En).outcome, Some("stopped"));
        // Compacted logs: the disks do not say what the cluster is.
        let mut pg = Playground::new(Setup::scenario(1, "snapshot-catch-up"), 0, false);
        pg.sim.run_until(3_000_000);
        pg.update(Msg::Explore(ExploreMsg::Start));
        let d = pg.explore_draw(Lang::En);
        assert_eq!(d.outcome, Some("refused"));
        assert!(d.text.contains("compacted"), "{}", d.text);
        assert!(!pg.exploring());
    }
}

//! Break a rule on purpose: choose a bug (the recorded action `SetBug`), load
//! its prepared scenario, and let the page hunt for the violation it causes,
//! running the world faster than real time a slice per animation frame until
//! the checker finds one or [`HUNT_BUDGET_US`] of simulated time runs out; it
//! pauses at the violation, names what broke and offers to rewind to just
//! before it.

use raft_sim::{Action, Bug, Invariant, Violation};

use super::clock::format_sim_time;
use super::playground::Playground;
use super::safety::{property_name, property_rule, property_title};
use super::state::Effect;
use crate::i18n::{tr, trf, Lang};

/// How much simulated time a hunt runs before giving up.
pub const HUNT_BUDGET_US: u64 = 60_000_000;
/// Simulated time run per animation frame while hunting, in slices of
/// [`HUNT_STEP_US`] (it stops at the first slice with a violation).
pub const HUNT_FRAME_US: u64 = 400_000;
pub const HUNT_STEP_US: u64 = 50_000;

/// The library scenario prepared for each bug.
pub fn bug_scenario(bug: Bug) -> &'static str {
    match bug {
        Bug::CommitPreviousTerm => "figure8-commit-previous-term",
        Bug::VoteWithoutLogCheck => "bug-vote-without-log-check",
        Bug::ForgetVoteOnRestart => "bug-forget-vote-on-restart",
        Bug::ApplyBeforeCommit => "bug-apply-before-commit",
        Bug::NoRandomizedTimeout => "bug-no-randomized-timeout",
    }
}

/// The bug's name in `lang`, with the rule it breaks.
pub fn bug_title(bug: Bug, lang: Lang) -> &'static str {
    tr(
        lang,
        match bug {
            Bug::CommitPreviousTerm => "bug.commit_previous_term",
            Bug::VoteWithoutLogCheck => "bug.vote_without_log_check",
            Bug::ForgetVoteOnRestart => "bug.forget_vote_on_restart",
            Bug::ApplyBeforeCommit => "bug.apply_before_commit",
            Bug::NoRandomizedTimeout => "bug.no_randomized_timeout",
        },
    )
}

/// What the bug panel asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HuntMsg {
    /// Switch this bug on (the one on before off); `None`: every bug off.
    SetBug(Option<Bug>),
    /// Load the bug's prepared scenario.
    LoadScenario(Bug),
    /// Run ahead until the checker finds a violation.
    Find,
    Stop,
    /// Go to just before the violation found.
    RewindBefore,
}

/// The hunt's state: running, or what it ended with, for the run it was on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hunt {
    /// Hunting: the violations there were when it started, and when it gives up.
    running: Option<(usize, u64)>,
    outcome: Option<Outcome>,
    /// The run (seed, scenario) the outcome is about.
    run: Option<(u64, Option<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Found(Violation),
    /// Nothing within this much simulated time.
    NoneWithin(u64),
}

/// The bug panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HuntDraw {
    /// The bug switched on (the first, if a file turned on several).
    pub bug: Option<Bug>,
    /// Hunting: the simulated time reached and the time it gives up (µs).
    pub progress: Option<(u64, u64)>,
    /// "12.400 s of 60 s simulated".
    pub progress_text: String,
    pub result: Option<ResultDraw>,
}

/// What a hunt found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultDraw {
    /// `found` or `none`.
    pub state: &'static str,
    /// `data-property` of the broken one (found).
    pub property: Option<String>,
    pub text: String,
    /// The servers involved (found).
    pub nodes: Vec<u64>,
    /// Where "rewind to just before it" goes (found).
    pub before_us: Option<u64>,
}

impl Playground {
    pub(super) fn hunt_update(&mut self, msg: HuntMsg) -> Vec<Effect> {
        match msg {
            HuntMsg::SetBug(bug) => {
                let was = self.sim.world().config().bugs();
                let mut actions: Vec<Action> = was
                    .iter()
                    .filter(|&&b| Some(b) != bug)
                    .map(|&b| Action::SetBug { bug: b, on: false })
                    .collect();
                if let Some(b) = bug.filter(|b| !was.contains(b)) {
                    actions.push(Action::SetBug { bug: b, on: true });
                }
                if actions.is_empty() {
                    return Vec::new();
                }
                let done = match bug {
                    Some(b) => text_key!("said.bug_on", bug = bug_title(b, self.prefs.lang)),
                    None => text_key!("said.bug_off"),
                };
                vec![Effect::Act { actions, done }]
            }
            HuntMsg::LoadScenario(bug) => {
                self.hunt = Hunt::default();
                self.update(super::Msg::LoadScenario(bug_scenario(bug).into()));
                Vec::new()
            }
            HuntMsg::Find => {
                // One search at a time: the hunt takes the frames.
                self.explore.forget();
                let now = self.sim.now_us();
                self.hunt = Hunt {
                    running: Some((self.sim.world().violations().len(), now + HUNT_BUDGET_US)),
                    outcome: None,
                    run: Some(self.run_id()),
                };
                self.playback.playing = false;
                Vec::new()
            }
            HuntMsg::Stop => {
                self.hunt.running = None;
                self.playback.pause_at(self.sim.now_us());
                Vec::new()
            }
            HuntMsg::RewindBefore => {
                if let Some(Outcome::Found(v)) = &self.hunt.outcome {
                    let t = v.t.saturating_sub(1);
                    self.update(super::Msg::Scrub(t));
                }
                Vec::new()
            }
        }
    }

    fn run_id(&self) -> (u64, Option<String>) {
        let setup = self.sim.setup();
        (setup.seed, setup.scenario_name().map(String::from))
    }

    /// Stops a hunt under way (another search takes the frames).
    pub(super) fn hunt_stop(&mut self) {
        self.hunt.running = None;
    }

    /// Whether a hunt is running (it takes the animation frames).
    pub(super) fn hunting(&self) -> bool {
        self.hunt.running.is_some()
    }

    /// One animation frame of a hunt: a slice of simulated time, stopping at
    /// the first new violation (paused there) or at the budget's end.
    pub(super) fn hunt_frame(&mut self) {
        let Some((seen, until)) = self.hunt.running else {
            return;
        };
        let end = (self.sim.now_us() + HUNT_FRAME_US).min(until);
        while self.sim.now_us() < end {
            let next = (self.sim.now_us() + HUNT_STEP_US).min(end);
            self.sim.run_until(next);
            if let Some(v) = self.sim.world().violations().get(seen).cloned() {
                self.hunt.running = None;
                // Paused at the moment it broke.
                self.sim.rewind(v.t);
                self.skip_events();
                self.playback.pause_at(self.sim.now_us());
                let lang = self.prefs.lang;
                self.narration.say(
                    self.sim.now_us(),
                    text_key!(
                        "said.hunt_found",
                        property = property_title(v.invariant, lang),
                        time = format_sim_time(v.t)
                    ),
                );
                self.hunt.outcome = Some(Outcome::Found(v));
                return;
            }
        }
        self.skip_events();
        if self.sim.now_us() >= until {
            self.hunt.running = None;
            self.playback.pause_at(self.sim.now_us());
            self.hunt.outcome = Some(Outcome::NoneWithin(HUNT_BUDGET_US));
        }
    }

    /// The bug panel now.
    pub(super) fn hunt_draw(&self, lang: Lang) -> HuntDraw {
        let now = self.sim.now_us();
        let progress = self.hunt.running.map(|(_, until)| {
            let start = until.saturating_sub(HUNT_BUDGET_US);
            (now.saturating_sub(start), HUNT_BUDGET_US)
        });
        let progress_text = progress
            .map(|(done, total)| {
                trf(
                    lang,
                    "hunt.progress",
                    &[
                        ("done", &format_sim_time(done)),
                        ("total", &(total / 1_000_000)),
                    ],
                )
            })
            .unwrap_or_default();
        let same_run = self.hunt.run.as_ref() == Some(&self.run_id());
        let result = self
            .hunt
            .outcome
            .as_ref()
            .filter(|_| same_run)
            .map(|o| result_draw(o, lang));
        HuntDraw {
            bug: self.sim.world().config().bugs().first().copied(),
            progress,
            progress_text,
            result,
        }
    }
}

fn result_draw(o: &Outcome, lang: Lang) -> ResultDraw {
    match o {
        Outcome::Found(v) => ResultDraw {
            state: "found",
            property: Some(property_name(v.invariant)),
            text: found_text(v, lang),
            nodes: v.nodes.clone(),
            before_us: Some(v.t.saturating_sub(1)),
        },
        Outcome::NoneWithin(us) => ResultDraw {
            state: "none",
            property: None,
            text: trf(lang, "hunt.none", &[("seconds", &(us / 1_000_000))]),
            nodes: Vec::new(),
            before_us: None,
        },
    }
}

/// "Leader Completeness (§5.4) broke at 0.218 s on S1, S5: the rule is ...".
fn found_text(v: &Violation, lang: Lang) -> String {
    let nodes = v
        .nodes
        .iter()
        .map(|n| format!("S{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    trf(
        lang,
        "hunt.found",
        &[
            ("property", &property_title(v.invariant, lang)),
            ("section", &section_text(v.invariant, lang)),
            ("time", &format_sim_time(v.t)),
            ("nodes", &nodes),
            ("rule", &property_rule(v.invariant, lang)),
        ],
    )
}

/// `§5.4`, or Figure 2 in `lang`.
fn section_text(i: Invariant, lang: Lang) -> String {
    match i.section() {
        "Figure 2" => tr(lang, "hunt.figure_2").to_string(),
        s => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::tests::playground;
    use crate::view_model::Msg;

    fn hunt_until_done(pg: &mut Playground) {
        let mut wall = 0.0;
        for _ in 0..1_000 {
            if !pg.hunting() {
                return;
            }
            wall += 16.0;
            pg.update(Msg::Frame(wall));
        }
        panic!("the hunt never ended");
    }

    #[test]
    fn choosing_a_bug_switches_it_on_and_the_previous_one_off_as_recorded_actions() {
        let mut pg = playground(3);
        pg.update(Msg::Hunt(HuntMsg::SetBug(Some(Bug::CommitPreviousTerm))));
        assert_eq!(pg.sim.world().config().bugs(), [Bug::CommitPreviousTerm]);
        pg.update(Msg::Hunt(HuntMsg::SetBug(Some(Bug::ApplyBeforeCommit))));
        assert_eq!(pg.sim.world().config().bugs(), [Bug::ApplyBeforeCommit]);
        assert_eq!(pg.frame().hunt.bug, Some(Bug::ApplyBeforeCommit));
        assert!(
            pg.frame().narration().contains("Apply entries"),
            "{}",
            pg.frame().narration()
        );
        pg.update(Msg::Hunt(HuntMsg::SetBug(None)));
        assert!(pg.sim.world().config().bugs().is_empty());
        assert_eq!(pg.frame().hunt.bug, None);
        // Recorded: a share link of the run carries them.
        assert!(pg.sim.actions_taken() >= 3);
    }

    #[test]
    fn every_bug_has_its_prepared_scenario_in_the_library() {
        for bug in Bug::ALL {
            let mut pg = playground(3);
            pg.update(Msg::Hunt(HuntMsg::LoadScenario(bug)));
            assert_eq!(pg.frame().scenario.as_deref(), Some(bug_scenario(bug)));
        }
    }

    #[test]
    fn the_hunt_stops_paused_at_the_first_violation_and_rewinds_to_just_before_it() {
        let mut pg = playground(3);
        pg.update(Msg::Hunt(HuntMsg::LoadScenario(Bug::ApplyBeforeCommit)));
        assert_eq!(pg.frame().hunt.bug, Some(Bug::ApplyBeforeCommit));
        pg.update(Msg::Hunt(HuntMsg::Find));
        let f = pg.frame();
        assert_eq!(f.hunt.progress.map(|p| p.1), Some(HUNT_BUDGET_US));
        hunt_until_done(&mut pg);
        let first = pg.sim.world().violations()[0].clone();
        assert_eq!(pg.sim.now_us(), first.t, "paused at the violation");
        let f = pg.frame();
        assert!(!f.playing);
        assert!(f.hunt.progress.is_none());
        let r = f.hunt.result.clone().expect("a result");
        assert_eq!(r.state, "found");
        assert_eq!(
            r.property.as_deref(),
            Some(property_name(first.invariant).as_str())
        );
        assert_eq!(r.nodes, first.nodes);
        assert!(r.text.contains(first.invariant.section()), "{}", r.text);
        let p = f.safety.property(r.property.as_deref().unwrap()).unwrap();
        assert_eq!(p.state(), "violated");
        // In Chinese too.
        pg.update(Msg::SetLang(Lang::Zh));
        let zh = pg.frame().hunt.result.unwrap().text;
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{zh}"
        );
        pg.update(Msg::Hunt(HuntMsg::RewindBefore));
        assert_eq!(pg.sim.now_us(), first.t - 1);
        let f = pg.frame();
        assert_eq!(
            f.safety
                .property(r.property.as_deref().unwrap())
                .unwrap()
                .state(),
            "held"
        );
        assert!(f.hunt.result.is_some(), "the result stays to come back to");
    }

    #[test]
    fn without_a_bug_the_hunt_gives_up_after_its_budget_and_stop_stops_it() {
        let mut pg = playground(3);
        pg.update(Msg::Hunt(HuntMsg::Find));
        pg.update(Msg::Frame(16.0));
        assert!(pg.hunting());
        assert_eq!(pg.sim.now_us(), HUNT_FRAME_US);
        pg.update(Msg::Hunt(HuntMsg::Stop));
        assert!(!pg.hunting());
        pg.update(Msg::Frame(32.0));
        assert_eq!(pg.sim.now_us(), HUNT_FRAME_US, "stopped: paused");
        pg.update(Msg::Hunt(HuntMsg::Find));
        hunt_until_done(&mut pg);
        assert_eq!(pg.sim.now_us(), HUNT_FRAME_US + HUNT_BUDGET_US);
        assert!(pg.sim.world().violations().is_empty());
        assert_eq!(pg.frame().hunt.result.unwrap().state, "none");
    }
}

//! The Learn menu's chapters: each chapter is a list of steps, and each step
//! is a moment of a library scenario (the world paused there), a caption, the
//! part of the page the caption talks about, and perhaps a try-it task.
//!
//! A step's moment is either a fixed simulated time or the first moment (in
//! 1 ms strides from a start time) at which a condition on the world holds;
//! the run is deterministic, so opening a step always replays to the same
//! state: Back is exact, and a link with `chapter=N&step=K` lands there.
//! Tasks are checked against the world's state, never against clicks.

mod book;
mod checks;

pub use book::{chapter, Chapter, Step, CHAPTERS};
pub use checks::{leader, At, Cond, Region, Task};

use checks::last_index;
use raft_core::Role;

use super::playground::Playground;
use super::state::{Effect, Panel};
use crate::cluster::{NodeView, Setup, Sim, WorldView};
use crate::i18n::{tr, trf, Lang};

/// How far past its start a step looks for its condition (simulated µs).
const SEARCH_US: u64 = 4_000_000;
/// The stride of that search.
const STRIDE_US: u64 = 1_000;

/// A run of the step's scenario with `seed`, at the step's moment.
pub fn reach(step: &Step, seed: u64) -> Result<Sim, String> {
    let mut sim = Sim::try_new(Setup::scenario(seed, step.scenario))?;
    match step.at {
        At::Time(t) => sim.run_until(t),
        At::When { from_us, cond } => {
            sim.run_until(from_us);
            let give_up = from_us + SEARCH_US;
            while !cond.holds(&sim) && sim.now_us() < give_up {
                let next = sim.now_us() + STRIDE_US;
                sim.run_until(next);
            }
        }
    }
    Ok(sim)
}

/// The server a caption names: the leader, else a candidate.
fn focus(v: &WorldView) -> Option<&NodeView> {
    leader(v).or_else(|| {
        v.nodes
            .iter()
            .find(|n| n.alive && n.role == Role::Candidate)
    })
}

/// The caption of `step` in `lang`, over the step's world `base`.
pub fn caption(step: &Step, base: &WorldView, lang: Lang) -> String {
    let f = focus(base);
    let node = f.map_or(0, |n| n.id);
    let term = f.map_or(0, |n| n.term);
    let index = leader(base).map_or(0, last_index);
    let snapshot = leader(base).map_or(0, |l| l.snapshot_index);
    trf(
        lang,
        step.caption,
        &[
            ("node", &node),
            ("term", &term),
            ("index", &index),
            ("snapshot", &snapshot),
        ],
    )
}

/// The chapter being read.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub chapter: usize,
    /// From 0.
    pub step: usize,
    /// The world at the step's moment (what tasks compare with).
    pub base: WorldView,
    /// When the world first showed the task done (on this branch).
    pub done_at: Option<u64>,
}

/// The Learn menu's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Learn {
    pub menu: bool,
    pub reading: Option<Reading>,
}

/// What the Learn menu's messages ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChapterMsg {
    /// Show or hide the list of chapters.
    ToggleMenu,
    /// Open this chapter at its first step.
    Open(usize),
    Next,
    Back,
    Close,
}

/// One chapter in the menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MenuItem {
    pub number: usize,
    pub title: &'static str,
    pub open: bool,
}

/// The try-it task as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskDraw {
    pub text: String,
    pub done: bool,
}

/// The chapter being read, as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReaderDraw {
    pub chapter: usize,
    pub title: &'static str,
    /// From 1.
    pub step: usize,
    pub of: usize,
    pub caption: String,
    /// `data-highlight` and the selector of the highlighted region.
    pub highlight: &'static str,
    pub selector: String,
    pub task: Option<TaskDraw>,
    pub can_back: bool,
    pub can_next: bool,
}

/// What the Learn menu draws.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChaptersDraw {
    pub menu: bool,
    pub items: Vec<MenuItem>,
    pub reader: Option<ReaderDraw>,
}

/// Numbers as link values (`chapter=3&step=2`), which are `&'static str`.
const NUMBERS: [&str; 17] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
];

impl Reading {
    fn step_def(&self) -> Option<&'static Step> {
        chapter(self.chapter).and_then(|c| c.steps.get(self.step))
    }

    /// The link's `chapter` and `step` (from 1) parameters.
    pub fn link_params(&self) -> Vec<(&'static str, &'static str)> {
        match (NUMBERS.get(self.chapter), NUMBERS.get(self.step + 1)) {
            (Some(c), Some(s)) => vec![("chapter", c), ("step", s)],
            _ => Vec::new(),
        }
    }
}

/// `chapter=N&step=K` of a query: the chapter and the step (from 0); a step
/// out of range is the chapter's last, a missing one its first.
pub fn parse_link(search: &str) -> Option<(usize, usize)> {
    let q = |name| super::options::query_param(search, name);
    let c = chapter(q("chapter")?.parse().ok()?)?;
    let step = q("step")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, c.steps.len());
    Some((c.number, step - 1))
}

impl Playground {
    pub(super) fn chapter_update(&mut self, msg: ChapterMsg) -> Vec<Effect> {
        match msg {
            ChapterMsg::ToggleMenu => {
                self.learn.menu = !self.learn.menu;
                self.prefs.panel = Panel::Learn;
                self.prefs.panel_open = true;
            }
            ChapterMsg::Open(n) => self.go_to_step(n, 0),
            ChapterMsg::Next | ChapterMsg::Back => {
                if let Some(r) = &self.learn.reading {
                    let (n, s) = (r.chapter, r.step);
                    let last = chapter(n).map_or(0, |c| c.steps.len() - 1);
                    let to = if msg == ChapterMsg::Next {
                        (s + 1).min(last)
                    } else {
                        s.saturating_sub(1)
                    };
                    self.go_to_step(n, to);
                }
            }
            ChapterMsg::Close => self.learn.reading = None,
        }
        Vec::new()
    }

    /// Shows step `step` (from 0) of chapter `number`: its scenario replayed to
    /// its moment with this run's seed, paused.
    pub fn go_to_step(&mut self, number: usize, step: usize) {
        let Some(s) = chapter(number).and_then(|c| c.steps.get(step)) else {
            return;
        };
        match reach(s, self.seed()) {
            Ok(sim) => {
                self.use_sim(sim);
                self.skip_events();
                self.playback.pause_at(self.sim.now_us());
                self.learn.reading = Some(Reading {
                    chapter: number,
                    step,
                    base: self.sim.view(),
                    done_at: None,
                });
                self.learn.menu = false;
                self.prefs.panel = Panel::Learn;
                self.prefs.panel_open = true;
            }
            Err(e) => self.set_banner(Some(super::options::Banner::error(e))),
        }
    }

    /// A link's chapter and step: the link's own run when it is of the step's
    /// scenario (a link the page wrote while reading), else the step's moment.
    pub fn open_from_link(&mut self, number: usize, step: usize) {
        let Some(s) = chapter(number).and_then(|c| c.steps.get(step)) else {
            return;
        };
        if self.sim.setup().scenario_name() == Some(s.scenario) {
            if let Ok(base) = reach(s, self.seed()) {
                self.learn.reading = Some(Reading {
                    chapter: number,
                    step,
                    base: base.view(),
                    done_at: None,
                });
                self.prefs.panel = Panel::Learn;
                self.prefs.panel_open = true;
                return;
            }
        }
        self.go_to_step(number, step);
    }

    /// After each message: the task is done once the world shows it (and not
    /// when the run is rewound to before that).
    pub(super) fn check_task(&mut self) {
        let now = self.sim.now_us();
        let Some(r) = &mut self.learn.reading else {
            return;
        };
        let Some(task) = r.step_def().and_then(|s| s.task) else {
            return;
        };
        if r.done_at.is_some_and(|t| t > now) {
            r.done_at = None;
        }
        if r.done_at.is_none() && now > r.base.now_us && task.done(&r.base, &self.sim) {
            r.done_at = Some(now);
        }
    }

    /// The link's `chapter` and `step`, while a chapter is read.
    pub(super) fn chapter_params(&self) -> Vec<(&'static str, &'static str)> {
        self.learn
            .reading
            .as_ref()
            .map_or_else(Vec::new, Reading::link_params)
    }

    pub(super) fn chapters_draw(&self, lang: Lang) -> ChaptersDraw {
        let reading = self.learn.reading.as_ref();
        let now = self.sim.now_us();
        ChaptersDraw {
            menu: self.learn.menu,
            items: CHAPTERS
                .iter()
                .map(|c| MenuItem {
                    number: c.number,
                    title: tr(lang, c.title),
                    open: reading.is_some_and(|r| r.chapter == c.number),
                })
                .collect(),
            reader: reading.and_then(|r| {
                let c = chapter(r.chapter)?;
                let s = c.steps.get(r.step)?;
                let f = focus(&r.base).map(|n| n.id);
                Some(ReaderDraw {
                    chapter: c.number,
                    title: tr(lang, c.title),
                    step: r.step + 1,
                    of: c.steps.len(),
                    caption: caption(s, &r.base, lang),
                    highlight: s.highlight.name(),
                    selector: s.highlight.selector(f),
                    task: s.task.map(|t| TaskDraw {
                        text: trf(
                            lang,
                            t.text_key(),
                            &[("node", &t.target(&r.base).unwrap_or(0))],
                        ),
                        done: r.done_at.is_some_and(|d| d <= now),
                    }),
                    can_back: r.step > 0,
                    can_next: r.step + 1 < c.steps.len(),
                })
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::book::{BASICS_PUT_US, FIGURE8_BUG};
    use super::checks::reaches_majority;
    use super::*;
    use crate::view_model::options::{parse_options, start_playground};
    use crate::view_model::Msg;
    use raft_sim::Action;

    const SEEDS: std::ops::RangeInclusive<u64> = 1..=12;

    fn at(number: usize, step: usize, seed: u64) -> (Sim, WorldView) {
        let s = &chapter(number).unwrap().steps[step];
        let sim = reach(s, seed).unwrap_or_else(|e| panic!("{number}.{step}: {e}"));
        let v = sim.view();
        (sim, v)
    }

    fn node(v: &WorldView, id: u64) -> &NodeView {
        v.nodes.iter().find(|n| n.id == id).unwrap()
    }

    fn terms(n: &NodeView) -> Vec<u64> {
        n.log.iter().map(|e| e.term).collect()
    }

    #[test]
    fn every_step_reaches_its_moment_whatever_the_seed() {
        // The menu lists them in the order.
        assert!(CHAPTERS.windows(2).all(|w| w[0].number < w[1].number));
        for c in CHAPTERS {
            assert!(!c.steps.is_empty() && c.steps.iter().any(|s| s.task.is_some()));
            for (i, s) in c.steps.iter().enumerate() {
                for seed in SEEDS {
                    let sim = reach(s, seed).unwrap();
                    let v = sim.view();
                    if let At::When { cond, .. } = s.at {
                        assert!(
                            cond.holds(&sim),
                            "{}.{i} seed {seed}: {cond:?} never held",
                            c.number
                        );
                    }
                    // Only the scenario with the rule broken on purpose shows a violation.
                    assert_eq!(
                        v.violations.is_empty(),
                        s.scenario != FIGURE8_BUG || v.now_us < 200_000,
                        "{}.{i} seed {seed}",
                        c.number
                    );
                    for lang in Lang::ALL {
                        let text = caption(s, &v, lang);
                        assert!(!text.contains("S0") && !text.contains("{"), "{text}");
                    }
                }
            }
        }
    }

    #[test]
    fn chapter_1_roles_terms_heartbeats() {
        for seed in SEEDS {
            let (_, v) = at(1, 0, seed);
            assert!(v
                .nodes
                .iter()
                .all(|n| n.role == Role::Follower && n.term == 0));
            let (_, v) = at(1, 1, seed);
            let f = focus(&v).unwrap();
            assert_eq!(
                (f.role, f.term, f.voted_for),
                (Role::Candidate, 1, Some(f.id))
            );
            assert!(caption(&CHAPTERS[0].steps[1], &v, Lang::En)
                .starts_with(&format!("S{}'s election timer", f.id)));
            let (_, v) = at(1, 2, seed);
            let l = leader(&v).unwrap();
            assert!(l.term >= 1);
            assert!(v
                .nodes
                .iter()
                .all(|n| n.id == l.id || n.role == Role::Follower));
        }
    }

    #[test]
    fn chapter_2_split_vote_and_retry() {
        for seed in SEEDS {
            let (_, v) = at(2, 1, seed);
            let cands: Vec<u64> = v
                .nodes
                .iter()
                .filter(|n| n.role == Role::Candidate && n.term == 1)
                .map(|n| n.id)
                .collect();
            assert_eq!(cands, [1, 2], "seed {seed}");
            let (_, v) = at(2, 2, seed);
            assert!(leader(&v).is_none());
            assert!(v.nodes.iter().all(|n| n.term == 1), "seed {seed}");
            assert_eq!(node(&v, 3).voted_for, Some(1), "seed {seed}");
            assert_eq!(node(&v, 4).voted_for, Some(2), "seed {seed}");
            let (_, v) = at(2, 3, seed);
            assert!(leader(&v).unwrap().term >= 2, "seed {seed}");
        }
    }

    #[test]
    fn chapter_3_append_commit_apply() {
        for seed in SEEDS {
            let (_, v) = at(3, 0, seed);
            assert!(
                v.now_us < BASICS_PUT_US,
                "seed {seed}: a leader before the put"
            );
            let (_, v) = at(3, 1, seed);
            let l = leader(&v).unwrap();
            let last = l.log.last().unwrap();
            assert!(last.label.starts_with("cmd") && l.commit < last.index);
            let (sim, v) = at(3, 2, seed);
            let l = leader(&v).unwrap();
            let store = |id| sim.stores().into_iter().find(|s| s.id == id).unwrap().data;
            assert_eq!(store(l.id), [("x".to_string(), "1".to_string())]);
            let holders = v
                .nodes
                .iter()
                .filter(|n| n.log.last() == l.log.last())
                .count();
            assert!(holders >= 3, "seed {seed}: a majority stores it");
            let (sim, v) = at(3, 3, seed);
            let stores = sim.stores();
            assert!(v.nodes.iter().all(|n| stores
                .iter()
                .any(|s| s.id == n.id && s.data == [("x".to_string(), "1".to_string())])));
        }
    }

    #[test]
    fn chapter_4_consistency_check_and_figure_7() {
        for seed in SEEDS {
            let (_, v) = at(4, 0, seed);
            assert_eq!(terms(node(&v, 1)), [1, 3, 3]);
            assert_eq!(terms(node(&v, 2)), [1, 1]);
            let (_, v) = at(4, 1, seed);
            assert_eq!(terms(node(&v, 2)), [1, 1], "seed {seed}: not repaired yet");
            let rejections = v
                .events
                .iter()
                .filter(|e| {
                    e.node == 1
                        && matches!(e.event, raft_core::Event::NextIndexMoved { follower: 2, from, to, .. } if to < from)
                })
                .count();
            assert_eq!(rejections, 2, "seed {seed}");
            let (_, v) = at(4, 2, seed);
            assert_eq!(terms(node(&v, 2)), [1, 3, 3, 4]);
            let (_, v) = at(4, 3, seed);
            assert_eq!(terms(node(&v, 1)), [1, 1, 1, 4, 4, 5, 5, 6, 6, 6]);
            assert_eq!(terms(node(&v, 7)), [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]);
            let (_, v) = at(4, 4, seed);
            let l = leader(&v).unwrap();
            assert_eq!((l.id, l.term), (1, 8));
        }
    }

    fn term_at(n: &NodeView, index: u64) -> Option<u64> {
        n.log.iter().find(|e| e.index == index).map(|e| e.term)
    }

    #[test]
    fn chapter_5_figure_8() {
        for seed in SEEDS {
            let (_, v) = at(5, 0, seed);
            assert_eq!(term_at(node(&v, 1), 2), Some(2));
            assert_eq!(term_at(node(&v, 2), 2), Some(2));
            assert_eq!(term_at(node(&v, 5), 2), Some(3));
            assert_eq!(node(&v, 3).log.len(), 1);
            assert_eq!(node(&v, 4).log.len(), 1);
            assert!(!node(&v, 5).alive);
            let (_, v) = at(5, 1, seed);
            let s1 = node(&v, 1);
            assert_eq!((s1.role, s1.term), (Role::Leader, 4), "seed {seed}");
            for id in [1, 3, 4] {
                assert_eq!(term_at(node(&v, id), 2), Some(2), "seed {seed} S{id}");
            }
            assert!(
                s1.commit < 2,
                "seed {seed}: the term-2 entry is not committed"
            );
            let (_, v) = at(5, 2, seed);
            let l = leader(&v).unwrap();
            assert_eq!((l.id, l.term), (5, 5), "seed {seed}");
            assert!(v
                .nodes
                .iter()
                .filter(|n| n.alive)
                .all(|n| term_at(n, 2) == Some(3)));
            let (_, v) = at(5, 3, seed);
            assert!(node(&v, 1).commit >= 2, "seed {seed}: the bug committed it");
            assert!(v.violations.is_empty());
            let (_, v) = at(5, 4, seed);
            assert!(
                v.violations.iter().any(
                    |x| x.contains("state_machine_safety") || x.contains("leader_completeness")
                ),
                "seed {seed}: {:?}",
                v.violations
            );
        }
    }

    #[test]
    fn chapter_6_the_five_properties() {
        for seed in SEEDS {
            // x = 1 applied everywhere, nothing violated.
            let (_, v) = at(6, 0, seed);
            let l = leader(&v).unwrap();
            assert!(v.violations.is_empty(), "seed {seed}");
            assert!(v.nodes.iter().all(|n| n.last_applied == last_index(l)));
            // One leader of a term after a term with none (the split vote).
            let (_, v) = at(6, 1, seed);
            let l = leader(&v).unwrap();
            assert!(l.term >= 2, "seed {seed}: elected in the split term");
            assert_eq!(v.nodes.iter().filter(|n| n.role == Role::Leader).count(), 1);
            // Figure 7 repaired: the leader's log is what it was, followers lost entries.
            let s = &chapter(6).unwrap().steps[2];
            let start = Sim::new(Setup::scenario(seed, s.scenario)).view();
            let (_, v) = at(6, 2, seed);
            let l = leader(&v).unwrap();
            let before = node(&start, l.id);
            assert!(
                before.log.iter().all(|e| l.log.contains(e)),
                "seed {seed}: the leader lost an entry"
            );
            assert!(
                start
                    .nodes
                    .iter()
                    .any(|n| n.log.iter().any(|e| !l.log.contains(e))),
                "seed {seed}: no follower entry was deleted"
            );
            // Figure 8 with the rule kept: index 2 overwritten, nothing violated.
            let (_, v) = at(6, 3, seed);
            let l = leader(&v).unwrap();
            assert_eq!(l.id, 5, "seed {seed}");
            assert_eq!(term_at(l, 2), Some(3));
            assert!(v.violations.is_empty());
            // Broken: the panel names State Machine Safety.
            let (_, v) = at(6, 4, seed);
            assert!(
                v.violations
                    .iter()
                    .any(|x| x.starts_with("state_machine_safety")),
                "seed {seed}: {:?}",
                v.violations
            );
        }
    }

    /// Where client `client`'s attempts at request `req` went: `(sent, server)` in order.
    fn attempts(sim: &Sim, client: u64, req: u64) -> Vec<(bool, u64)> {
        use crate::cluster::AttemptEvent;
        sim.client(client)
            .steps
            .iter()
            .filter(|s| s.req == req)
            .map(|s| match s.event {
                AttemptEvent::Sent { server, .. } => (true, server),
                AttemptEvent::TimedOut { server } => (false, server),
            })
            .collect()
    }

    /// The answer to client `client`'s `n`th operation (from 0), if it was answered ok.
    fn answer(sim: &Sim, client: u64, n: usize) -> Option<raft_sim::kv::KvResult> {
        match &sim.client(client).ops.get(n)?.outcome {
            Some((_, raft_sim::client::Outcome::Ok(r))) => Some(r.clone()),
            _ => None,
        }
    }

    fn x_on(sim: &Sim, id: u64) -> Option<String> {
        let s = sim.stores().into_iter().find(|s| s.id == id)?;
        s.data.into_iter().find(|(k, _)| k == "x").map(|(_, v)| v)
    }

    #[test]
    fn chapter_8_clients() {
        use raft_sim::kv::KvResult;
        for seed in SEEDS {
            // Redirected: first to S2, answered by S1.
            let (sim, _) = at(8, 0, seed);
            let a = attempts(&sim, 1, 1);
            assert_eq!(a.first(), Some(&(true, 2)), "seed {seed}: {a:?}");
            assert!(a.contains(&(true, 1)), "seed {seed}: {a:?}");
            assert!(sim
                .client(1)
                .messages
                .iter()
                .any(|m| !m.request && m.server == 2 && m.success == Some(false)));
            assert_eq!(answer(&sim, 1, 0), Some(KvResult::Done));
            // The retry of the append: the same request, sent twice to S1, applied once.
            let (sim, _) = at(8, 1, seed);
            let a = attempts(&sim, 1, 2);
            assert_eq!(a[..2], [(true, 1), (false, 1)], "seed {seed}");
            assert_eq!(a.last(), Some(&(true, 1)), "seed {seed}: {a:?}");
            for id in 1..=3 {
                assert_eq!(x_on(&sim, id).as_deref(), Some("1a"), "seed {seed} S{id}");
            }
            // ReadIndex: S1 confirmed its leadership before answering.
            let (sim, v) = at(8, 2, seed);
            let asked = sim.client(2).ops[0].invoked_at;
            assert!(v.events.iter().any(|e| e.node == 1
                && e.t >= asked
                && matches!(e.event, raft_core::Event::ReadReady { .. })));
            assert_eq!(answer(&sim, 2, 0), Some(KvResult::Value(Some("1a".into()))));
            // The cut-off S1 still leads term 1 in its own eyes, with a stale x; it never
            // answered, and the client read the new value elsewhere.
            let (sim, v) = at(8, 3, seed);
            let s1 = node(&v, 1);
            assert_eq!((s1.role, s1.term), (Role::Leader, 1), "seed {seed}");
            assert_eq!(x_on(&sim, 1).as_deref(), Some("1a"));
            assert!(leader(&v).unwrap().term >= 2 && leader(&v).unwrap().id != 1);
            assert_eq!(attempts(&sim, 2, 2).first(), Some(&(true, 1)));
            assert!(attempts(&sim, 2, 2).contains(&(false, 1)), "seed {seed}");
            assert_eq!(answer(&sim, 2, 1), Some(KvResult::Value(Some("2".into()))));
        }
    }

    fn role_change(v: &WorldView, node: u64, reason: raft_core::RoleReason) -> Option<u64> {
        v.events.iter().find_map(|e| match e.event {
            raft_core::Event::RoleChanged { reason: r, .. } if e.node == node && r == reason => {
                Some(e.t)
            }
            _ => None,
        })
    }

    #[test]
    fn chapter_11_prevote_check_quorum() {
        for seed in SEEDS {
            // PreVote off: the cut-off S3's term climbs while S1 leads term 1.
            let (_, v) = at(11, 0, seed);
            let l = leader(&v).unwrap();
            assert_eq!((l.id, l.term), (1, 1), "seed {seed}");
            assert!(node(&v, 3).term >= 4);
            // Healed: S1 stepped down because of S3's term, and a later term's leader is not S3.
            let (_, v) = at(11, 1, seed);
            let l = leader(&v).unwrap();
            assert!(l.id != 3 && l.term > 4, "seed {seed}");
            assert!(
                v.events.iter().any(|e| e.node == 1
                    && e.t >= 1_500_000
                    && matches!(
                        e.event,
                        raft_core::Event::RoleChanged {
                            role: Role::Follower,
                            reason: raft_core::RoleReason::HigherTerm { from: 3 },
                            ..
                        }
                    )),
                "seed {seed}: S1 did not step down for S3's term"
            );
            let before = (l.id, l.term);
            // PreVote on: S3 was a pre-candidate, its term did not move, no election.
            let (_, v) = at(11, 2, seed);
            let l = leader(&v).unwrap();
            assert_eq!((l.id, l.term), before, "seed {seed}");
            assert_eq!(node(&v, 3).term, l.term);
            assert!(v.events.iter().any(|e| e.node == 3
                && e.t >= 2_300_000
                && matches!(
                    e.event,
                    raft_core::Event::RoleChanged {
                        role: Role::PreCandidate,
                        ..
                    }
                )));
            // CheckQuorum: S1 stepped down by itself, then S2 and S3 elected a leader.
            let (_, v) = at(11, 3, seed);
            assert!(
                role_change(&v, 1, raft_core::RoleReason::CheckQuorumFailed).is_some(),
                "seed {seed}"
            );
            assert_eq!(node(&v, 1).term, 1);
            let (_, v) = at(11, 4, seed);
            let l = leader(&v).unwrap();
            assert!(l.id != 1 && l.term >= 2, "seed {seed}");
        }
    }

    #[test]
    fn chapter_12_disk_and_optimizations() {
        use super::book::OPT_PHASE_END_US;
        for seed in SEEDS {
            // The second before each change of the scenario, as each step's caption says.
            let (sim, v) = at(12, 4, seed);
            let stats = sim.world().commit_stats();
            let phase = |i: usize| {
                let end = OPT_PHASE_END_US[i];
                let s = stats.summary(end - 1_000_000, end);
                (s.mean_latency_us.unwrap(), s.per_second)
            };
            let (disk, disk_rate) = phase(0);
            let (no_batch, no_batch_rate) = phase(1);
            let (no_pipe, _) = phase(2);
            let (parallel, _) = phase(3);
            let (async_apply, _) = phase(4);
            // Two 5 ms writes in a row and a round trip.
            assert!(disk > 15_000, "seed {seed}: {disk}");
            assert!(
                no_batch * 10 > disk * 13 && no_batch_rate < disk_rate,
                "seed {seed}: batching off {no_batch} vs {disk}"
            );
            assert!(
                no_pipe > 2 * no_batch,
                "seed {seed}: pipelining off {no_pipe} vs {no_batch}"
            );
            assert!(
                parallel < disk,
                "seed {seed}: parallel append {parallel} vs {disk}"
            );
            assert!(
                async_apply < parallel,
                "seed {seed}: async apply {async_apply} vs {parallel}"
            );
            assert!(v.disk.parallel_append && v.disk.async_apply && v.disk.latency_us == 5_000);
            // Each step's view says the same of its last second.
            let (_, first) = at(12, 0, seed);
            assert_eq!(first.commit.mean_latency_us, Some(disk));
            assert!(!first.disk.parallel_append && !first.disk.async_apply);
        }
    }

    #[test]
    fn chapter_9_compaction_and_install_snapshot() {
        for seed in SEEDS {
            let (_, v) = at(9, 0, seed);
            assert!(!node(&v, 3).alive);
            assert_eq!(leader(&v).unwrap().id, 1, "seed {seed}");
            let (_, v) = at(9, 1, seed);
            assert!(leader(&v).unwrap().snapshot_index >= 20, "seed {seed}");
            assert!(!node(&v, 3).alive);
            let (_, v) = at(9, 2, seed);
            let s3 = node(&v, 3);
            assert!(
                v.events.iter().any(|e| e.node == 3
                    && matches!(e.event, raft_core::Event::SnapshotInstalled { index, .. } if index == s3.snapshot_index)),
                "seed {seed}: S3's snapshot came from the leader"
            );
        }
    }

    #[test]
    fn chapter_7_partition() {
        for seed in SEEDS {
            let (_, v) = at(7, 0, seed);
            let l = leader(&v).unwrap();
            assert_eq!((l.id, l.term), (1, 1), "seed {seed}");
            assert!(v
                .nodes
                .iter()
                .all(|n| n.commit == l.commit && n.commit >= 2));
            let (_, v) = at(7, 1, seed);
            let s1 = node(&v, 1);
            assert_eq!(s1.role, Role::Leader);
            let last = s1.log.last().unwrap();
            assert!(
                last.label.starts_with("cmd") && last.index > s1.commit,
                "seed {seed}"
            );
            assert_eq!(node(&v, 2).log.last(), Some(last), "seed {seed}: S2 has it");
            assert!(!reaches_majority(&v, 1));
            let (_, v) = at(7, 2, seed);
            let l = leader(&v).unwrap();
            assert!(l.id >= 3 && l.term > 1, "seed {seed}");
            assert!(l.commit > s1.commit);
            let (_, v) = at(7, 3, seed);
            assert_eq!(node(&v, 1).role, Role::Follower, "seed {seed}");
            let l = leader(&v).unwrap();
            assert!(v.nodes.iter().all(|n| n.log == l.log), "seed {seed}");
        }
    }

    #[test]
    fn chapter_10_learner_joint_consensus_removal() {
        for seed in SEEDS {
            // A learner has the log but no vote; the commit did not wait for it.
            let (sim, v) = at(10, 0, seed);
            let m = sim.membership();
            assert_eq!(
                (m.voters.as_slice(), m.learners.as_slice()),
                (&[1, 2, 3][..], &[4][..])
            );
            assert!(!m.is_voter(4));
            assert!(node(&v, 4).log.iter().any(|e| e.label.starts_with("cmd")));
            let (sim, _) = at(10, 1, seed);
            assert!(sim.membership().is_voter(4) && sim.membership().learners.is_empty());
            // Joint: both majorities, C_old and C_new, are named.
            let (sim, _) = at(10, 2, seed);
            let m = sim.membership();
            assert_eq!(
                (m.outgoing.as_slice(), m.voters.as_slice()),
                (&[1, 2, 3][..], &[1, 2, 4][..])
            );
            // C_new committed: S3 is out and shut down; the leader is still S1.
            let (sim, v) = at(10, 3, seed);
            assert!(!sim.membership().contains(3), "seed {seed}");
            assert!(node(&v, 3).retired, "seed {seed}: S3 still runs");
            assert_eq!(leader(&v).map(|l| l.id), Some(1), "seed {seed}");
        }
    }

    /// The step of chapter `number` with a task.
    fn task_step(number: usize) -> (&'static Step, Task) {
        let s = chapter(number)
            .unwrap()
            .steps
            .iter()
            .find(|s| s.task.is_some())
            .unwrap();
        (s, s.task.unwrap())
    }

    /// Runs in 1 ms strides until the task is done (at most `ms`).
    fn run_until_done(sim: &mut Sim, base: &WorldView, task: Task, ms: u64) -> bool {
        for _ in 0..ms {
            if task.done(base, sim) {
                return true;
            }
            let t = sim.now_us() + 1_000;
            sim.run_until(t);
        }
        task.done(base, sim)
    }

    fn put(sim: &mut Sim, to: u64, value: &str) {
        sim.act(Action::Contact {
            client: 1,
            node: to,
        })
        .unwrap();
        sim.act(Action::Put {
            client: 1,
            key: "x".into(),
            value: value.into(),
        })
        .unwrap();
    }

    fn follower(v: &WorldView) -> u64 {
        v.nodes
            .iter()
            .find(|n| n.alive && n.role == Role::Follower)
            .unwrap()
            .id
    }

    #[test]
    fn tasks_are_done_only_when_the_world_shows_it() {
        for seed in 1..=6 {
            for number in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] {
                let (s, task) = task_step(number);
                let mut sim = reach(s, seed).unwrap();
                let base = sim.view();
                assert!(!task.done(&base, &sim));
                // Left alone, the world does not do it.
                let mut idle = sim.clone();
                assert!(
                    !run_until_done(&mut idle, &base, task, 1_500),
                    "{number} seed {seed}: done by itself"
                );
                let l = leader(&base).unwrap().id;
                match task {
                    Task::CrashLeader => {
                        sim.act(Action::Crash { node: l }).unwrap();
                    }
                    Task::NoMajority => {
                        sim.act(Action::Crash { node: l }).unwrap();
                        let mut half = sim.clone();
                        assert!(!run_until_done(&mut half, &base, task, 1_000), "one down");
                        sim.act(Action::Crash {
                            node: follower(&base),
                        })
                        .unwrap();
                    }
                    Task::CommitWithFollowerDown => {
                        sim.act(Action::Crash {
                            node: follower(&base),
                        })
                        .unwrap();
                        let mut half = sim.clone();
                        assert!(!run_until_done(&mut half, &base, task, 500), "no write yet");
                        put(&mut sim, l, "2");
                    }
                    Task::RepairFollower => {
                        let f = follower(&base);
                        sim.act(Action::Crash { node: f }).unwrap();
                        put(&mut sim, l, "2");
                        sim.run_until(sim.now_us() + 300_000);
                        assert!(
                            !task.done(&base, &sim),
                            "{number} seed {seed}: not back yet"
                        );
                        sim.act(Action::Restart { node: f }).unwrap();
                    }
                    Task::StaleCandidateLoses => {
                        let f = follower(&base);
                        sim.act(Action::Isolate { node: f }).unwrap();
                        put(&mut sim, l, "2");
                        sim.run_until(sim.now_us() + 1_000_000);
                        assert!(
                            !task.done(&base, &sim),
                            "{number} seed {seed}: still cut off"
                        );
                        sim.act(Action::Heal).unwrap();
                    }
                    Task::InstallSnapshot => {
                        let f = follower(&base);
                        sim.act(Action::Crash { node: f }).unwrap();
                        put(&mut sim, l, "2");
                        sim.run_until(sim.now_us() + 200_000);
                        sim.act(Action::Snapshot { node: l }).unwrap();
                        let mut half = sim.clone();
                        assert!(!run_until_done(&mut half, &base, task, 500), "not back yet");
                        sim.act(Action::Restart { node: f }).unwrap();
                    }
                    Task::WriteInMinority => {
                        sim.act(Action::Isolate { node: l }).unwrap();
                        let mut half = sim.clone();
                        assert!(!run_until_done(&mut half, &base, task, 500), "no write yet");
                        put(&mut sim, l, "cut");
                    }
                    Task::RemoveLeader => {
                        sim.act(Action::RemoveServer { node: l }).unwrap();
                    }
                    Task::LeaderStepsDown => {
                        // A follower cut off leaves the leader its majority.
                        let mut follower_cut = sim.clone();
                        follower_cut
                            .act(Action::Isolate {
                                node: follower(&base),
                            })
                            .unwrap();
                        assert!(
                            !run_until_done(&mut follower_cut, &base, task, 1_500),
                            "a follower"
                        );
                        sim.act(Action::Isolate { node: l }).unwrap();
                    }
                    Task::RetryAfterCrash => {
                        // A write the leader answers is no retry.
                        let mut answered = sim.clone();
                        put(&mut answered, l, "2");
                        assert!(
                            !run_until_done(&mut answered, &base, task, 1_000),
                            "answered"
                        );
                        put(&mut sim, l, "2");
                        sim.act(Action::Crash { node: l }).unwrap();
                    }
                    Task::UndoOptimizations => {
                        // A slower disk slows commits too, but that is not the task.
                        let mut slower_disk = sim.clone();
                        slower_disk
                            .act(Action::SetDisk {
                                latency_us: Some(30_000),
                                parallel_append: None,
                                async_apply: None,
                            })
                            .unwrap();
                        assert!(
                            !run_until_done(&mut slower_disk, &base, task, 1_500),
                            "a slower disk"
                        );
                        for switch in [raft_sim::Switch::Batching, raft_sim::Switch::Pipelining] {
                            sim.act(Action::SetSwitch { switch, on: false }).unwrap();
                        }
                    }
                    Task::BreakSafety => {
                        // A write alone, or the bug alone, breaks nothing.
                        let mut write = sim.clone();
                        put(&mut write, l, "2");
                        assert!(!run_until_done(&mut write, &base, task, 1_000), "a write");
                        sim.act(Action::SetBug {
                            bug: raft_sim::Bug::ApplyBeforeCommit,
                            on: true,
                        })
                        .unwrap();
                        let mut half = sim.clone();
                        assert!(
                            !run_until_done(&mut half, &base, task, 1_000),
                            "no write yet"
                        );
                        put(&mut sim, l, "2");
                    }
                }
                assert!(
                    run_until_done(&mut sim, &base, task, 3_000),
                    "{number} seed {seed}: {task:?} not detected"
                );
            }
        }
    }

    #[test]
    fn back_restores_the_previous_step_exactly() {
        let mut pg = Playground::new(Setup::new(5, 3), 0, true);
        pg.update(Msg::Chapter(ChapterMsg::Open(2)));
        pg.update(Msg::Chapter(ChapterMsg::Next));
        let first = pg.frame();
        assert!(!first.playing);
        pg.update(Msg::Chapter(ChapterMsg::Next));
        // The reader acts and plays: Back still lands on the step's state.
        pg.update(Msg::Server(super::super::keys::ServerAction::Crash, 3));
        pg.update(Msg::Chapter(ChapterMsg::Back));
        let back = pg.frame();
        assert_eq!(back.now_us, first.now_us);
        assert_eq!(back.ring.nodes, first.ring.nodes);
        assert_eq!(back.logs, first.logs);
        let r = back.chapters.reader.as_ref().unwrap();
        assert_eq!(
            (r.chapter, r.step, r.can_back, r.can_next),
            (2, 2, true, true)
        );
        assert_eq!(r.highlight, "ring");
    }

    #[test]
    fn the_step_is_in_the_link_and_the_link_opens_it() {
        let mut pg = Playground::new(Setup::new(5, 3), 0, true);
        pg.update(Msg::Chapter(ChapterMsg::Open(3)));
        pg.update(Msg::Chapter(ChapterMsg::Next));
        pg.update(Msg::Chapter(ChapterMsg::Next));
        let params = pg.view_params();
        assert!(
            params.contains(&("chapter", "3")) && params.contains(&("step", "3")),
            "{params:?}"
        );
        let query = super::super::options::page_query("", &pg.link_query(), &params);
        let opened = start_playground(&parse_options(&format!("?{query}")), 77);
        let (a, b) = (pg.frame(), opened.frame());
        assert_eq!(b.chapters.reader, a.chapters.reader);
        assert_eq!((b.now_us, &b.logs), (a.now_us, &a.logs));
        // A link with only the chapter and step lands on the same moment with its own seed.
        let bare = start_playground(&parse_options("?chapter=3&step=3"), 5);
        assert_eq!(bare.frame().now_us, a.now_us);
        assert_eq!(bare.frame().chapters.reader, a.chapters.reader);
        assert_eq!(parse_link("?chapter=3&step=99"), Some((3, 4)));
        assert_eq!(parse_link("?chapter=3"), Some((3, 0)));
        assert_eq!(parse_link("?chapter=99&step=1"), None);
        // Closing the chapter takes the parameters out of the link.
        pg.update(Msg::Chapter(ChapterMsg::Close));
        assert!(!pg.view_params().iter().any(|(k, _)| *k == "chapter"));
    }
}

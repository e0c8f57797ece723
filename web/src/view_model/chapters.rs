//! The Learn menu's chapters: each chapter is a list of steps, and each step
//! is a moment of a library scenario (the world paused there), a caption, the
//! part of the page the caption talks about, and perhaps a try-it task.
//!
//! A step's moment is either a fixed simulated time or the first moment (in
//! 1 ms strides from a start time) at which a condition on the world holds;
//! the run is deterministic, so opening a step always replays to the same
//! state: Back is exact, and a link with `chapter=N&step=K` lands there.
//! Tasks are checked against the world's state, never against clicks.

use raft_core::Role;

use super::playground::Playground;
use super::state::{Effect, Panel};
use crate::cluster::{NodeView, Setup, Sim, WorldView};
use crate::i18n::{tr, trf, Lang};

/// How far past its start a step looks for its condition (simulated µs).
const SEARCH_US: u64 = 4_000_000;
/// The stride of that search.
const STRIDE_US: u64 = 1_000;

/// The part of the page a caption talks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Ring,
    Logs,
    Transport,
    Spacetime,
    /// The server the caption names (the leader, else a candidate).
    Focus,
    /// The try-it task in the reader.
    Task,
}

impl Region {
    /// The `data-highlight` value.
    pub fn name(self) -> &'static str {
        match self {
            Region::Ring => "ring",
            Region::Logs => "logs",
            Region::Transport => "transport",
            Region::Spacetime => "spacetime",
            Region::Focus => "server",
            Region::Task => "task",
        }
    }

    /// The CSS selector of the region on the page, given the server in focus.
    pub fn selector(self, focus: Option<u64>) -> String {
        match (self, focus) {
            (Region::Ring, _) | (Region::Focus, None) => "[data-testid=cluster]".into(),
            (Region::Logs, _) => "[data-testid=logs]".into(),
            (Region::Transport, _) => "[data-testid=transport]".into(),
            (Region::Spacetime, _) => "[data-testid=spacetime-panel]".into(),
            (Region::Focus, Some(id)) => format!("[data-testid=node][data-node-id=\"{id}\"]"),
            (Region::Task, _) => "[data-testid=task]".into(),
        }
    }
}

/// A condition on the world that ends a step's search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cond {
    /// Some running server is a candidate.
    Candidate,
    /// At least two running servers are candidates at once.
    TwoCandidates,
    /// No running server is a leader or a candidate.
    NoCandidateNorLeader,
    /// One leader, and every running server is in its term and knows it leads.
    LeaderKnown,
    /// The leader's last entry is a command it has not committed yet.
    Appended,
    /// The leader committed its last entry, a command, and some follower has not learnt it yet.
    CommittedOnLeader,
    /// Every running server committed and applied the leader's last entry, a command.
    CommittedEverywhere,
    /// The leader's next_index for this follower is this index.
    NextIndex { follower: u64, index: u64 },
    /// A leader, and every running server's log equals its log.
    LogsEqual,
    /// The leader has compacted its log (§7).
    Compacted,
    /// This follower is running and holds a snapshot.
    HasSnapshot { follower: u64 },
}

/// The running leader of the highest term, if any.
pub fn leader(v: &WorldView) -> Option<&NodeView> {
    v.nodes
        .iter()
        .filter(|n| n.alive && n.role == Role::Leader)
        .max_by_key(|n| n.term)
}

fn last_is_command(n: &NodeView) -> bool {
    n.log.last().is_some_and(|e| e.label.starts_with("cmd"))
}

fn last_index(n: &NodeView) -> u64 {
    n.log.last().map_or(n.snapshot_index, |e| e.index)
}

impl Cond {
    pub fn holds(self, v: &WorldView) -> bool {
        let running = || v.nodes.iter().filter(|n| n.alive);
        let role = |r: Role| running().filter(|n| n.role == r).count();
        match self {
            Cond::Candidate => role(Role::Candidate) >= 1,
            Cond::TwoCandidates => role(Role::Candidate) >= 2,
            Cond::NoCandidateNorLeader => role(Role::Candidate) + role(Role::Leader) == 0,
            Cond::LeaderKnown => leader(v).is_some_and(|l| {
                role(Role::Leader) == 1
                    && running().all(|n| n.term == l.term && n.leader_id == Some(l.id))
            }),
            Cond::Appended => leader(v).is_some_and(|l| {
                l.log
                    .last()
                    .is_some_and(|e| e.label.starts_with("cmd") && e.index > l.commit)
            }),
            Cond::CommittedOnLeader => leader(v).is_some_and(|l| {
                let last = last_index(l);
                last_is_command(l) && l.commit == last && running().any(|n| n.commit < last)
            }),
            Cond::CommittedEverywhere => leader(v).is_some_and(|l| {
                let last = last_index(l);
                last_is_command(l) && running().all(|n| n.commit >= last && n.last_applied >= last)
            }),
            Cond::NextIndex { follower, index } => leader(v).is_some_and(|l| {
                l.progress
                    .iter()
                    .any(|p| p.follower == follower && p.next_index == index)
            }),
            Cond::Compacted => leader(v).is_some_and(|l| l.snapshot_index > 0),
            Cond::HasSnapshot { follower } => v
                .nodes
                .iter()
                .any(|n| n.id == follower && n.alive && n.snapshot_index > 0),
            Cond::LogsEqual => {
                leader(v).is_some_and(|l| running().all(|n| n.log == l.log && n.commit == l.commit))
            }
        }
    }
}

/// When a step's moment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// This simulated time (µs).
    Time(u64),
    /// The first millisecond from `from_us` on at which `cond` holds.
    When { from_us: u64, cond: Cond },
}

/// A try-it task: the reader acts on the world; the world's state says when it is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// Crash the leader; a new leader is elected in a higher term.
    CrashLeader,
    /// Too few servers left for a majority: elections repeat, terms climb, no leader.
    NoMajority,
    /// With a follower down, a new command is committed by the leader.
    CommitWithFollowerDown,
    /// A follower crashed and came back, entries were added, and its log
    /// equals the leader's again.
    RepairFollower,
    /// A leader cut off from a majority holds a command it cannot commit.
    WriteInMinority,
    /// A candidate whose log is behind was refused a vote for that reason.
    StaleCandidateLoses,
    /// A follower installed a leader's snapshot.
    InstallSnapshot,
}

impl Task {
    pub fn text_key(self) -> &'static str {
        match self {
            Task::CrashLeader => "learn.task.crash_leader",
            Task::NoMajority => "learn.task.no_majority",
            Task::CommitWithFollowerDown => "learn.task.commit_follower_down",
            Task::RepairFollower => "learn.task.repair_follower",
            Task::WriteInMinority => "learn.task.write_in_minority",
            Task::StaleCandidateLoses => "learn.task.stale_candidate",
            Task::InstallSnapshot => "learn.task.install_snapshot",
        }
    }

    /// The server the task names (for its text), from the step's world.
    pub fn target(self, base: &WorldView) -> Option<u64> {
        leader(base).map(|l| l.id)
    }

    /// Whether the world `sim` shows the task done, compared with the step's world `base`.
    pub fn done(self, base: &WorldView, sim: &Sim) -> bool {
        let v = sim.view();
        let base_leader = leader(base);
        let now_leader = leader(&v);
        match self {
            // §5.2: the followers' timers run out without heartbeats; a new term's leader.
            Task::CrashLeader => match (base_leader, now_leader) {
                (Some(old), Some(new)) => {
                    new.id != old.id
                        && new.term > old.term
                        && sim
                            .journal(base.now_us)
                            .marks
                            .iter()
                            .any(|m| m.node == old.id && m.t >= base.now_us && is_crash(m))
                }
                _ => false,
            },
            // §5.2: a candidate needs votes from a majority of the whole cluster.
            Task::NoMajority => {
                let running: Vec<&NodeView> = v.nodes.iter().filter(|n| n.alive).collect();
                let max_term =
                    |ns: &mut dyn Iterator<Item = &NodeView>| ns.map(|n| n.term).max().unwrap_or(0);
                running.len() * 2 <= v.nodes.len()
                    && now_leader.is_none()
                    && max_term(&mut running.iter().copied())
                        >= max_term(&mut base.nodes.iter()) + 2
            }
            // §5.3: a majority, not every server, must store an entry to commit it.
            Task::CommitWithFollowerDown => now_leader.is_some_and(|l| {
                let before = base_leader.map_or(0, last_index);
                v.nodes.iter().any(|n| !n.alive)
                    && l.log.iter().any(|e| {
                        e.label.starts_with("cmd") && e.index > before && e.index <= l.commit
                    })
            }),
            // §5.3: the consistency check finds where the logs agree; the leader sends the rest.
            Task::RepairFollower => now_leader.is_some_and(|l| {
                let marks = sim.journal(base.now_us).marks;
                let before = base_leader.map_or(0, last_index);
                let came_back = |id: u64| {
                    let crash = marks
                        .iter()
                        .find(|m| m.node == id && m.t >= base.now_us && is_crash(m));
                    crash.is_some_and(|c| {
                        marks.iter().any(|m| {
                            m.node == id
                                && m.t >= c.t
                                && matches!(m.kind, crate::cluster::LaneMarkKind::Restart)
                        })
                    })
                };
                last_index(l) > before
                    && v.nodes
                        .iter()
                        .any(|n| n.id != l.id && n.alive && came_back(n.id) && n.log == l.log)
            }),
            // §5.4.1: a voter refuses a candidate whose log is less up to date than its own.
            Task::StaleCandidateLoses => v.events.iter().any(|e| {
                e.t >= base.now_us
                    && matches!(
                        e.event,
                        raft_core::Event::VoteDenied {
                            pre: false,
                            reason: raft_core::DenyReason::LogNotUpToDate { .. },
                            ..
                        }
                    )
            }),
            // §7: a follower too far behind gets the leader's snapshot.
            Task::InstallSnapshot => v.events.iter().any(|e| {
                e.t > base.now_us && matches!(e.event, raft_core::Event::SnapshotInstalled { .. })
            }),
            // §5.3: without a majority the leader's new entry never commits.
            Task::WriteInMinority => v.nodes.iter().any(|l| {
                let before = base_leader.map_or(0, last_index);
                l.alive
                    && l.role == Role::Leader
                    && !reaches_majority(&v, l.id)
                    && l.log.iter().any(|e| {
                        e.label.starts_with("cmd") && e.index > before && e.index > l.commit
                    })
            }),
        }
    }
}

fn is_crash(m: &crate::cluster::LaneMark) -> bool {
    matches!(m.kind, crate::cluster::LaneMarkKind::Crash)
}

/// Whether server `id` can reach a majority of the servers (itself included)
/// over links that are not cut, to running servers.
fn reaches_majority(v: &WorldView, id: u64) -> bool {
    let reach = v
        .nodes
        .iter()
        .filter(|n| n.id == id || (n.alive && !v.cuts.contains(&(id, n.id))))
        .count();
    reach * 2 > v.nodes.len()
}

/// One step of a chapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The library scenario the step shows.
    pub scenario: &'static str,
    pub at: At,
    /// The caption's key; `{node}`, `{term}` and `{index}` are filled from the world.
    pub caption: &'static str,
    pub highlight: Region,
    pub task: Option<Task>,
}

/// A chapter: its number in the list, title and steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    pub number: usize,
    pub title: &'static str,
    pub steps: &'static [Step],
}

const fn step(scenario: &'static str, at: At, caption: &'static str, highlight: Region) -> Step {
    Step {
        scenario,
        at,
        caption,
        highlight,
        task: None,
    }
}

const fn task(
    scenario: &'static str,
    at: At,
    caption: &'static str,
    highlight: Region,
    task: Task,
) -> Step {
    Step {
        scenario,
        at,
        caption,
        highlight,
        task: Some(task),
    }
}

const BASICS: &str = "chapter-basics";
/// When the basics scenario's client puts x = 1.
const BASICS_PUT_US: u64 = 500_000;
/// The moment one leader is known to all (chapter-basics).
const LEADER_KNOWN: At = At::When {
    from_us: 0,
    cond: Cond::LeaderKnown,
};
/// The moment x = 1 is applied everywhere (chapter-basics).
const ALL_APPLIED: At = At::When {
    from_us: BASICS_PUT_US,
    cond: Cond::CommittedEverywhere,
};
/// The moment every log equals the leader's.
const LOGS_EQUAL: At = At::When {
    from_us: 0,
    cond: Cond::LogsEqual,
};
const SPLIT: &str = "split-vote";
/// When S1 and S2 campaign in the split-vote scenario.
const SPLIT_CAMPAIGN_US: u64 = 20_000;
const BACKTRACK: &str = "backtracking";
const FIGURE7: &str = "figure7-repair";
const PARTITION: &str = "partition-3-2";
const SNAPSHOT: &str = "snapshot-catch-up";
/// When S3 restarts in the snapshot scenario.
const SNAPSHOT_RESTART_US: u64 = 1_500_000;
/// The moment S3 holds the snapshot the leader sent it.
const SNAPSHOT_INSTALLED: At = At::When {
    from_us: SNAPSHOT_RESTART_US,
    cond: Cond::HasSnapshot { follower: 3 },
};
const FIGURE8: &str = "figure8-safe";
const FIGURE8_BUG: &str = "figure8-commit-previous-term";
/// Figure 8 (c): S1 leads term 4 and its term-2 entry is on a majority, just before S1 crashes.
const FIGURE8_C_US: u64 = 164_000;
/// After S1's crash: the moment every running log equals the new leader's.
const FIGURE8_D: At = At::When {
    from_us: 200_000,
    cond: Cond::LogsEqual,
};

pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        number: 1,
        title: "learn.1.title",
        steps: &[
            step(BASICS, At::Time(0), "learn.1.start", Region::Ring),
            step(
                BASICS,
                At::When {
                    from_us: 0,
                    cond: Cond::Candidate,
                },
                "learn.1.candidate",
                Region::Focus,
            ),
            step(BASICS, LEADER_KNOWN, "learn.1.leader", Region::Focus),
            task(
                BASICS,
                LEADER_KNOWN,
                "learn.1.try",
                Region::Task,
                Task::CrashLeader,
            ),
        ],
    },
    Chapter {
        number: 2,
        title: "learn.2.title",
        steps: &[
            step(SPLIT, At::Time(0), "learn.2.start", Region::Ring),
            step(
                SPLIT,
                At::When {
                    from_us: SPLIT_CAMPAIGN_US,
                    cond: Cond::TwoCandidates,
                },
                "learn.2.candidates",
                Region::Ring,
            ),
            step(
                SPLIT,
                At::When {
                    from_us: SPLIT_CAMPAIGN_US + STRIDE_US,
                    cond: Cond::NoCandidateNorLeader,
                },
                "learn.2.split",
                Region::Spacetime,
            ),
            step(
                SPLIT,
                At::When {
                    from_us: SPLIT_CAMPAIGN_US,
                    cond: Cond::LeaderKnown,
                },
                "learn.2.retry",
                Region::Focus,
            ),
            task(
                SPLIT,
                At::When {
                    from_us: SPLIT_CAMPAIGN_US,
                    cond: Cond::LogsEqual,
                },
                "learn.2.try",
                Region::Task,
                Task::NoMajority,
            ),
        ],
    },
    Chapter {
        number: 3,
        title: "learn.3.title",
        steps: &[
            step(BASICS, LEADER_KNOWN, "learn.3.leader", Region::Logs),
            step(
                BASICS,
                At::When {
                    from_us: BASICS_PUT_US,
                    cond: Cond::Appended,
                },
                "learn.3.appended",
                Region::Logs,
            ),
            step(
                BASICS,
                At::When {
                    from_us: BASICS_PUT_US,
                    cond: Cond::CommittedOnLeader,
                },
                "learn.3.committed",
                Region::Logs,
            ),
            step(BASICS, ALL_APPLIED, "learn.3.everywhere", Region::Logs),
            task(
                BASICS,
                ALL_APPLIED,
                "learn.3.try",
                Region::Task,
                Task::CommitWithFollowerDown,
            ),
        ],
    },
    Chapter {
        number: 4,
        title: "learn.4.title",
        steps: &[
            step(BACKTRACK, At::Time(0), "learn.4.example", Region::Logs),
            step(
                BACKTRACK,
                At::When {
                    from_us: 0,
                    cond: Cond::NextIndex {
                        follower: 2,
                        index: 2,
                    },
                },
                "learn.4.rejected",
                Region::Logs,
            ),
            step(BACKTRACK, LOGS_EQUAL, "learn.4.matched", Region::Logs),
            step(FIGURE7, At::Time(0), "learn.4.figure7", Region::Logs),
            step(
                FIGURE7,
                LOGS_EQUAL,
                "learn.4.figure7_repaired",
                Region::Logs,
            ),
            task(
                BACKTRACK,
                LOGS_EQUAL,
                "learn.4.try",
                Region::Task,
                Task::RepairFollower,
            ),
        ],
    },
    Chapter {
        number: 5,
        title: "learn.5.title",
        steps: &[
            step(FIGURE8, At::Time(90_000), "learn.5.start", Region::Logs),
            step(
                FIGURE8,
                At::Time(FIGURE8_C_US),
                "learn.5.not_committed",
                Region::Logs,
            ),
            step(FIGURE8, FIGURE8_D, "learn.5.overwritten", Region::Logs),
            step(
                FIGURE8_BUG,
                At::Time(FIGURE8_C_US),
                "learn.5.bug_committed",
                Region::Logs,
            ),
            step(FIGURE8_BUG, FIGURE8_D, "learn.5.bug_lost", Region::Logs),
            task(
                BASICS,
                ALL_APPLIED,
                "learn.5.try",
                Region::Task,
                Task::StaleCandidateLoses,
            ),
        ],
    },
    Chapter {
        number: 7,
        title: "learn.7.title",
        steps: &[
            step(PARTITION, At::Time(900_000), "learn.7.before", Region::Ring),
            step(
                PARTITION,
                At::Time(1_500_000),
                "learn.7.minority",
                Region::Logs,
            ),
            step(
                PARTITION,
                At::Time(2_900_000),
                "learn.7.majority",
                Region::Ring,
            ),
            step(
                PARTITION,
                At::Time(3_500_000),
                "learn.7.healed",
                Region::Logs,
            ),
            task(
                BASICS,
                ALL_APPLIED,
                "learn.7.try",
                Region::Task,
                Task::WriteInMinority,
            ),
        ],
    },
    Chapter {
        number: 9,
        title: "learn.9.title",
        steps: &[
            step(SNAPSHOT, At::Time(150_000), "learn.9.down", Region::Ring),
            step(
                SNAPSHOT,
                At::When {
                    from_us: 200_000,
                    cond: Cond::Compacted,
                },
                "learn.9.compacted",
                Region::Logs,
            ),
            step(
                SNAPSHOT,
                SNAPSHOT_INSTALLED,
                "learn.9.installed",
                Region::Logs,
            ),
            task(
                SNAPSHOT,
                SNAPSHOT_INSTALLED,
                "learn.9.try",
                Region::Task,
                Task::InstallSnapshot,
            ),
        ],
    },
];

/// The chapter numbered `number`.
pub fn chapter(number: usize) -> Option<&'static Chapter> {
    CHAPTERS.iter().find(|c| c.number == number)
}

/// A run of the step's scenario with `seed`, at the step's moment.
pub fn reach(step: &Step, seed: u64) -> Result<Sim, String> {
    let mut sim = Sim::try_new(Setup::scenario(seed, step.scenario))?;
    match step.at {
        At::Time(t) => sim.run_until(t),
        At::When { from_us, cond } => {
            sim.run_until(from_us);
            let give_up = from_us + SEARCH_US;
            while !cond.holds(&sim.view()) && sim.now_us() < give_up {
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
                            cond.holds(&v),
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
            for number in [1, 2, 3, 4, 5, 7, 9] {
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
#[cfg(test)]
mod debug_tmp {
    use super::*;
    use raft_sim::Action;
    #[test]
    fn dbg_stale() {
        let s = chapter(5)
            .unwrap()
            .steps
            .iter()
            .find(|s| s.task.is_some())
            .unwrap();
        let mut sim = reach(s, 4).unwrap();
        let base = sim.view();
        let l = leader(&base).unwrap().id;
        let f = base
            .nodes
            .iter()
            .find(|n| n.alive && n.role == Role::Follower)
            .unwrap()
            .id;
        eprintln!("l={l} f={f}");
        sim.act(Action::Crash { node: f }).unwrap();
        sim.act(Action::Contact { client: 1, node: l }).unwrap();
        sim.act(Action::Put {
            client: 1,
            key: "x".into(),
            value: "2".into(),
        })
        .unwrap();
        sim.run_until(sim.now_us() + 100_000);
        sim.act(Action::Restart { node: f }).unwrap();
        sim.act(Action::Campaign { node: f }).unwrap();
        let t0 = sim.now_us();
        sim.run_until(t0 + 100_000);
        let v = sim.view();
        for e in v.events.iter().filter(|e| e.t >= t0) {
            if matches!(
                e.event,
                raft_core::Event::VoteDenied { .. }
                    | raft_core::Event::VoteGranted { .. }
                    | raft_core::Event::RoleChanged { .. }
            ) {
                eprintln!("{e:?}");
            }
        }
        eprintln!(
            "{:?}",
            v.nodes
                .iter()
                .map(|n| (n.id, n.role, n.term, n.log.len()))
                .collect::<Vec<_>>()
        );
    }
}

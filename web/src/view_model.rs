//! What the page draws, computed in plain Rust from the simulation.
//!
//! No Yew or browser types here: everything is unit-tested natively
//! (`cargo test -p raft-web`). The components only turn these values into markup.
//!
//! [`Playground`] is the one place that holds the page's state; [`Playground::update`]
//! is its reducer (callbacks send a [`Msg`]) and [`Playground::frame`] computes the
//! [`Frame`] to draw. The submodules compute each view: [`ring`], [`logs`],
//! [`spacetime`] (the space-time diagram), [`narrate`] (live-region sentences
//! and the inspector's "why"), [`keys`],
//! [`interaction`] (long press, the per-server menu, picked messages, dragging, links),
//! [`kv`] (the page's client and the servers' stores) and [`membership`].

pub mod export;
pub mod interaction;
pub mod keys;
pub mod kv;
pub mod logs;
pub mod membership;
pub mod narrate;
pub mod ring;
pub mod spacetime;
pub mod tour;

use std::collections::VecDeque;

use raft_sim::Action;

use crate::cluster::{
    CoreEvent, ExpectationView, NetSettings, RunLink, Setup, Sim, Switches, WorldView,
    DEFAULT_NODES, MAX_NODES,
};
use interaction::{Drag, NodeMenuDraw, Press};
use keys::{KeyCommand, ServerAction};
use kv::{KvDraw, KvForm, KvMsg};
use logs::LogsDraw;
use membership::{AddDraft, MembershipDraw, MembershipMsg};
use raft_sim::link::LinkError;
use ring::{RingDraw, LOST_MARK_US};
use spacetime::{SpacetimeDraw, SpacetimeInput};

pub use ring::VIEW_SIZE;

/// Simulated microseconds per wall-clock millisecond at normal speed (1x real time).
pub const REAL_TIME_US_PER_MS: f64 = 1_000.0;

/// Longest wall-clock gap one frame may turn into simulated time: a hidden tab
/// pauses requestAnimationFrame, and on return the cluster should not leap ahead.
pub const MAX_FRAME_GAP_MS: f64 = 100.0;

// ---------------------------------------------------------------------------
// URL parameters

/// The raw value of `name` in a query string such as `?speed=1&crash`.
/// A parameter without `=` has the value `""`.
pub fn query_param<'a>(search: &'a str, name: &str) -> Option<&'a str> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Everything the URL can set: the run (see `raft_sim::link`: `v`, `seed`,
/// `size`, `scenario`, `file`, `t`, `paused`, `a`, and the old `example`,
/// `prevote`, ...) and how to show it (`speed`, `crash`).
#[derive(Clone, Debug, PartialEq)]
pub struct UrlOptions {
    /// The run the link describes; `Ok(None)`: none (a plain visit).
    pub link: Result<Option<RunLink>, LinkError>,
    pub speed_pos: i32,
    /// `?crash`: panic on the first frame, to check the crash box.
    pub crash: bool,
}

/// Reads every option; a run that cannot be read is an error to show.
pub fn parse_options(search: &str) -> UrlOptions {
    UrlOptions {
        link: RunLink::from_query(search),
        speed_pos: query_param(search, "speed")
            .and_then(|s| s.parse::<f64>().ok())
            .and_then(speed_pos_for)
            .unwrap_or(DEFAULT_SPEED_POS),
        crash: query_param(search, "crash").is_some(),
    }
}

/// Query parameters that belong to the run (`raft_sim::link`, and the old
/// ones it still reads): the page rewrites them; any others it keeps.
const RUN_PARAMS: [&str; 13] = [
    "v",
    "seed",
    "size",
    "scenario",
    "file",
    "t",
    "paused",
    "a",
    "example",
    "prevote",
    "checkquorum",
    "fastbacktrack",
    "batching",
];

/// The query for the address bar (without `?`): the run's own parameters
/// (`run_query`) after the page's other ones from `current` (`speed`, ...).
pub fn page_query(current: &str, run_query: &str) -> String {
    let mut parts: Vec<&str> = current
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split_once('=').map_or(*p, |(k, _)| k);
            !RUN_PARAMS.contains(&key)
        })
        .collect();
    parts.push(run_query);
    parts.join("&")
}

/// The playground a page with these options starts with: the link's run, or
/// (no run in the link, or one that cannot be used) the page's own cluster
/// with `fresh_seed`, and a banner saying what was wrong.
pub fn start_playground(options: &UrlOptions, fresh_seed: u64) -> Playground {
    let plain = |banner: Option<Banner>| {
        let mut pg = Playground::new(
            Setup::new(fresh_seed, DEFAULT_NODES),
            options.speed_pos,
            true,
        );
        pg.banner = banner;
        pg
    };
    match &options.link {
        Ok(None) => plain(None),
        Ok(Some(link)) => match Playground::from_link(link, options.speed_pos) {
            Ok(pg) => pg,
            Err(e) => plain(Some(Banner::error(format!(
                "This link's run could not be started ({e}); here is a new run instead."
            )))),
        },
        Err(e) => plain(Some(Banner::error(format!(
            "This link could not be read: {e}. Here is a new run instead."
        )))),
    }
}

/// A message across the top of the page: a link or file that could not be
/// used (`error`), or news such as a copied link (`info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    pub kind: BannerKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BannerKind {
    Error,
    Info,
}

impl BannerKind {
    /// The `data-kind` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            BannerKind::Error => "error",
            BannerKind::Info => "info",
        }
    }
}

impl Banner {
    pub fn error(text: String) -> Banner {
        Banner {
            kind: BannerKind::Error,
            text,
        }
    }
    pub fn info(text: String) -> Banner {
        Banner {
            kind: BannerKind::Info,
            text,
        }
    }
}

// ---------------------------------------------------------------------------
// Time: wall clock -> simulated clock

/// Turns animation-frame timestamps into a simulated-time target.
///
/// Simulated time advances by the elapsed wall time times `speed`; a gap longer
/// than [`MAX_FRAME_GAP_MS`] (hidden tab, debugger pause) counts as that maximum.
#[derive(Clone, Debug, PartialEq)]
pub struct SimClock {
    /// Simulated microseconds per wall-clock millisecond.
    pub speed_us_per_ms: f64,
    last_wall_ms: Option<f64>,
    target_us: f64,
}

impl SimClock {
    pub fn new(speed_us_per_ms: f64) -> Self {
        Self {
            speed_us_per_ms,
            last_wall_ms: None,
            target_us: 0.0,
        }
    }

    /// Records a frame at `wall_ms` and returns the simulated time to run until.
    /// The first frame (after a pause) only sets the reference point.
    pub fn advance(&mut self, wall_ms: f64) -> u64 {
        if let Some(last) = self.last_wall_ms {
            let gap = (wall_ms - last).clamp(0.0, MAX_FRAME_GAP_MS);
            self.target_us += gap * self.speed_us_per_ms;
        }
        self.last_wall_ms = Some(wall_ms);
        self.target_us as u64
    }

    /// Stops counting wall time until the next [`SimClock::advance`].
    pub fn pause(&mut self) {
        self.last_wall_ms = None;
    }

    /// Continues from `us` (after a step, a rewind or a reset).
    pub fn set_target(&mut self, us: u64) {
        self.target_us = us as f64;
    }
}

/// The speed slider: positions on a log scale, in tenths of a decade of
/// slow-down, from 1/1000 of real time (-30) up to real time (0).
pub const SPEED_MIN_POS: i32 = -30;
pub const SPEED_MAX_POS: i32 = 0;
/// 1/20 of real time: an election timeout (150-300 ms) takes 3-6 s to watch,
/// and a message (8-16 ms) a fraction of a second.
pub const DEFAULT_SPEED_POS: i32 = -13;

/// Fraction of real time at slider position `pos`.
pub fn speed_factor(pos: i32) -> f64 {
    10f64.powf(f64::from(pos.clamp(SPEED_MIN_POS, SPEED_MAX_POS)) / 10.0)
}

pub fn speed_us_per_ms(pos: i32) -> f64 {
    REAL_TIME_US_PER_MS * speed_factor(pos)
}

/// `"1/20\u{d7}"`, `"1\u{d7}"`: the speed as a fraction of real time.
pub fn speed_label(pos: i32) -> String {
    let f = speed_factor(pos);
    if f >= 0.999 {
        "1\u{d7}".into()
    } else {
        format!("1/{}\u{d7}", (1.0 / f).round() as u64)
    }
}

/// The slider position nearest a speed factor (`?speed=0.05`), if it is positive.
pub fn speed_pos_for(factor: f64) -> Option<i32> {
    (factor > 0.0 && factor.is_finite())
        .then(|| ((10.0 * factor.log10()).round() as i32).clamp(SPEED_MIN_POS, SPEED_MAX_POS))
}

/// `1234567` µs -> `"1.234 s"`.
pub fn format_sim_time(us: u64) -> String {
    format!("{}.{:03} s", us / 1_000_000, (us % 1_000_000) / 1_000)
}

// ---------------------------------------------------------------------------
// Inspector

/// One follower as the leader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressRow {
    pub follower: u64,
    pub next_index: u64,
    pub match_index: u64,
    pub state: &'static str,
}

/// The selected server's state (Figure 2) and why it last said no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectorDraw {
    pub id: u64,
    pub role: raft_core::Role,
    pub alive: bool,
    pub current_term: u64,
    pub voted_for: String,
    pub leader: String,
    pub commit_index: u64,
    pub last_applied: u64,
    pub snapshot_index: u64,
    /// `index:term` of the newest entries, oldest first.
    pub log: String,
    pub progress: Vec<ProgressRow>,
    pub configuration: String,
    pub timer: String,
    pub why: Option<String>,
    /// Which menu items apply now (same order as [`ServerAction::ALL`]).
    pub actions: Vec<(ServerAction, bool)>,
}

/// Entries listed in the inspector; older ones are summarised.
const INSPECTOR_ENTRIES: usize = 12;

impl InspectorDraw {
    pub fn new(view: &WorldView, id: u64) -> Option<InspectorDraw> {
        let n = view.nodes.iter().find(|n| n.id == id)?;
        let shown = n.log.len().saturating_sub(INSPECTOR_ENTRIES);
        let mut log: Vec<String> = n.log[shown..]
            .iter()
            .map(|e| format!("{}:{}", e.index, e.term))
            .collect();
        if shown > 0 || n.snapshot_index > 0 {
            log.insert(0, "\u{2026}".into());
        }
        let who = |s: Option<u64>| s.map_or("nobody".to_string(), |s| format!("S{s}"));
        Some(InspectorDraw {
            id,
            role: n.role,
            alive: n.alive,
            current_term: n.term,
            voted_for: who(n.voted_for),
            leader: who(n.leader_id),
            commit_index: n.commit,
            last_applied: n.last_applied,
            snapshot_index: n.snapshot_index,
            log: if log.is_empty() {
                "(empty)".into()
            } else {
                log.join(" ")
            },
            progress: n
                .progress
                .iter()
                .map(|p| ProgressRow {
                    follower: p.follower,
                    next_index: p.next_index,
                    match_index: p.match_index,
                    state: p.state,
                })
                .collect(),
            configuration: n.configuration.clone(),
            timer: match n.timer {
                Some((elapsed, timeout)) if n.alive && n.role != raft_core::Role::Leader => {
                    format!("{elapsed} of {timeout} ticks")
                }
                _ => "\u{2014}".into(),
            },
            why: narrate::why_line(&view.events, id),
            actions: ServerAction::ALL
                .into_iter()
                .map(|a| (a, a.applies(n.alive)))
                .collect(),
        })
    }
}

// ---------------------------------------------------------------------------
// The running playground

/// One line of the activity list (and the live region).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityItem {
    /// Stable key for the list.
    pub id: u64,
    pub t_us: u64,
    pub text: String,
}

/// Lines kept in the activity list.
const ACTIVITY_LINES: usize = 8;
/// The client that the "client request" menu item uses.
const PAGE_CLIENT: u64 = 1;

/// Everything a callback can ask of the playground.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// An animation frame at this wall-clock time (ms).
    Frame(f64),
    TogglePlay,
    /// The tab was hidden.
    Pause,
    Step,
    SetSpeed(i32),
    /// Go to this simulated time (µs) on the current timeline.
    Scrub(u64),
    Reset,
    SetSize(usize),
    Select(u64),
    Escape,
    Server(ServerAction, u64),
    DropMessage(u64),
    Heal,
    ToggleHelp,
    /// Start the guided tour from the beginning, playing.
    StartTour,
    /// Close the tour's caption.
    DismissTour,
    ReducedMotion(bool),
    /// Protocol switches: recorded actions, from now on.
    SetSwitches(Switches),
    /// Partition editor: put this server in group B (`true`) or A (`false`).
    SetGroup(u64, bool),
    /// Cut the cluster into the editor's groups A and B.
    Split,
    /// Network sliders: a recorded action, from now on.
    SetNet(NetSettings),
    /// Compact logs every this many applied entries (0: never): a recorded action.
    SetSnapshotThreshold(u64),
    Key(KeyCommand),
    /// A press on a server at this wall-clock time (ms) and client position (px):
    /// held still for [`interaction::LONG_PRESS_MS`] it opens the server's menu.
    PressServer {
        id: u64,
        at_ms: f64,
        x: f64,
        y: f64,
    },
    /// The pressed pointer moved (client position, px).
    PressMove {
        x: f64,
        y: f64,
    },
    /// The press ended (pointer up, cancelled or gone).
    PressEnd,
    /// Open this server's menu (long press, right-click, Shift+F10); it selects the server.
    OpenMenu(u64),
    CloseMenu,
    /// Highlight this message in flight (focused, or picked with `[`/`]`).
    PickMessage(u64),
    /// Cut the link between two servers both ways, or reconnect it if it is cut.
    ToggleLink(u64, u64),
    /// Partition editor: this server's chip is being dragged.
    DragServer(u64),
    /// The dragged chip is over group B (`Some(true)`), A, or neither.
    DragOver(Option<bool>),
    /// The dragged chip was let go over group B (`Some(true)`), A, or neither.
    DropServer(Option<bool>),
    /// The key-value form.
    Kv(KvMsg),
    /// Add server, joint change.
    Membership(MembershipMsg),
    /// Select a message (space-time diagram, or hovering it in the ring); `None` clears.
    SelectMessage(Option<u64>),
    /// The space-time diagram's window in µs; `None`: follow the speed.
    SetSpacetimeWindow(Option<u64>),
    /// Start the library's scenario with this name (a new run, same seed).
    LoadScenario(String),
    /// A scenario file the user chose or dropped: its name and text.
    LoadFile(String, String),
    /// Show a banner (the share button's outcome, a failed download).
    ShowBanner(Banner),
    DismissBanner,
}

/// Everything the page draws at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub seed: u64,
    pub now_us: u64,
    /// The end of the scrubber: the furthest time reached on this timeline.
    pub horizon_us: u64,
    pub playing: bool,
    pub speed_pos: i32,
    pub speed_label: String,
    pub nodes: usize,
    /// The library scenario being played (`None`: the page's own cluster or a loaded file).
    pub scenario: Option<String>,
    /// What the run started from, for the scenario panel.
    pub scenario_draw: ScenarioDraw,
    /// A link or file that could not be used, or news.
    pub banner: Option<Banner>,
    /// The guided tour's caption, while the tour runs and is not dismissed.
    pub tour: Option<tour::TourCaption>,
    pub switches: Switches,
    pub net: NetSettings,
    /// Servers compact their logs every this many applied entries (0: never, §7).
    pub snapshot_threshold: u64,
    /// The partition editor: each server and whether it is in group B.
    pub groups: Vec<(u64, bool)>,
    pub selected: Option<u64>,
    /// The message selected in the space-time diagram (or hovered in the ring).
    pub selected_msg: Option<u64>,
    pub ring: RingDraw,
    pub spacetime: SpacetimeDraw,
    pub logs: LogsDraw,
    pub inspector: Option<InspectorDraw>,
    pub activity: Vec<ActivityItem>,
    pub violation: Option<String>,
    pub help: bool,
    pub reduced_motion: bool,
    /// Why the last action could not be done.
    pub notice: Option<String>,
    /// The per-server menu, when open.
    pub node_menu: Option<NodeMenuDraw>,
    /// The message picked for a keyboard drop, while it is in flight.
    pub picked_message: Option<u64>,
    /// A partition-editor chip being dragged.
    pub drag: Option<Drag>,
    /// The key-value and clients panel.
    pub kv: KvDraw,
    /// The configuration legend and the membership controls.
    pub membership: MembershipDraw,
}

impl Frame {
    pub fn sim_time_label(&self) -> String {
        format_sim_time(self.now_us)
    }
    /// The `[data-testid=sim-time]` text: simulated milliseconds.
    pub fn sim_time_ms(&self) -> String {
        (self.now_us / 1_000).to_string()
    }
    /// Rewound: acting now forks a new timeline.
    pub fn in_past(&self) -> bool {
        self.now_us < self.horizon_us
    }
    /// The sentence for the live region: the newest activity line.
    pub fn narration(&self) -> &str {
        self.activity.last().map_or("", |a| a.text.as_str())
    }
}

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

/// The page's state: the simulation, the clock that drives it and the UI state.
#[derive(Clone, Debug)]
pub struct Playground {
    sim: Sim,
    banner: Option<Banner>,
    clock: SimClock,
    playing: bool,
    speed_pos: i32,
    selected: Option<u64>,
    help: bool,
    reduced_motion: bool,
    activity: VecDeque<ActivityItem>,
    next_activity: u64,
    /// The newest core event already narrated.
    last_event: Option<CoreEvent>,
    selected_msg: Option<u64>,
    /// The space-time diagram's window; `None`: follows the speed.
    spacetime_window: Option<u64>,
    notice: Option<String>,
    /// The partition editor's draft: servers in group B (the rest are in A).
    group_b: Vec<u64>,
    /// The tour's caption was closed (the run goes on unchanged).
    tour_dismissed: bool,
    /// A press on a server that may become a long press.
    press: Option<Press>,
    /// The server whose menu is open (always the selected one).
    menu: Option<u64>,
    /// The message picked with `[`/`]` or by focusing it.
    picked: Option<u64>,
    drag: Option<Drag>,
    kv_form: KvForm,
    add_draft: AddDraft,
    /// The joint change's draft of C_new (`None`: the current voters).
    joint_draft: Option<Vec<u64>>,
}

impl Playground {
    pub fn new(setup: Setup, speed_pos: i32, playing: bool) -> Self {
        Self::with_sim(Sim::new(setup), speed_pos, playing)
    }

    /// The run a link describes, at its moment, paused if the link says so.
    pub fn from_link(link: &RunLink, speed_pos: i32) -> Result<Self, String> {
        let sim = Sim::from_link(link)?;
        let mut pg = Self::with_sim(sim, speed_pos, !link.paused);
        pg.clock.set_target(pg.sim.now_us());
        pg.skip_events();
        Ok(pg)
    }

    fn with_sim(sim: Sim, speed_pos: i32, playing: bool) -> Self {
        let mut pg = Self {
            sim,
            banner: None,
            clock: SimClock::new(speed_us_per_ms(speed_pos)),
            playing,
            speed_pos,
            selected: None,
            help: false,
            reduced_motion: false,
            activity: VecDeque::new(),
            next_activity: 1,
            last_event: None,
            selected_msg: None,
            spacetime_window: None,
            notice: None,
            group_b: Vec::new(),
            tour_dismissed: false,
            press: None,
            menu: None,
            picked: None,
            drag: None,
            kv_form: KvForm::default(),
            add_draft: AddDraft::default(),
            joint_draft: None,
        };
        pg.announce_setup();
        pg
    }

    /// Says what a loaded scenario is about.
    fn announce_setup(&mut self) {
        if self.sim.setup().scenario_name().is_some() {
            let title = self.sim.scenario().title.clone();
            self.say(format!("Scenario: {title}"));
        }
    }

    /// This run as a link (see `raft_sim::link`): the query string without `?`.
    pub fn link_query(&self) -> String {
        self.sim.link(!self.playing).to_query()
    }

    /// This run as a scenario file (JSON) that `raft-sim run` replays.
    pub fn export_scenario(&self) -> String {
        serde_json::to_string_pretty(&self.sim.export_scenario()).unwrap_or_default()
    }

    /// This run's trace up to now (JSON Lines, as `raft-sim check` reads it).
    pub fn export_trace(&self) -> Result<String, String> {
        self.sim.export_trace()
    }

    /// The file name for downloads: `raft-<setup>-seed<N>-<ms>ms`.
    pub fn export_name(&self) -> String {
        let what = match &self.sim.setup().kind {
            crate::cluster::LinkSetup::Playground { nodes } => format!("{nodes}servers"),
            crate::cluster::LinkSetup::Scenario { name } => name.clone(),
            crate::cluster::LinkSetup::File { scenario } => {
                let n: String = scenario
                    .name
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if n.is_empty() {
                    "file".into()
                } else {
                    n
                }
            }
        };
        format!(
            "raft-{what}-seed{}-{}ms",
            self.sim.setup().seed,
            self.sim.now_us() / 1_000
        )
    }

    /// The seed of the run.
    pub fn seed(&self) -> u64 {
        self.sim.setup().seed
    }

    pub fn now_us(&self) -> u64 {
        self.sim.now_us()
    }

    fn say(&mut self, text: String) {
        let id = self.next_activity;
        self.next_activity += 1;
        self.activity.push_back(ActivityItem {
            id,
            t_us: self.sim.now_us(),
            text,
        });
        while self.activity.len() > ACTIVITY_LINES {
            self.activity.pop_front();
        }
    }

    /// Narrates the core events that happened since the last call.
    fn absorb_events(&mut self) {
        let events: Vec<CoreEvent> = self.sim.world().events().cloned().collect();
        let start = match &self.last_event {
            // Not found: more events than the window holds went by; skip rather than flood.
            Some(last) => events
                .iter()
                .rposition(|e| e == last)
                .map_or(events.len(), |i| i + 1),
            None => 0,
        };
        for e in &events[start..] {
            if let Some(text) = narrate::narrate(e) {
                self.say(text);
            }
        }
        self.last_event = events.last().cloned();
    }

    /// After a jump in time: nothing in between is narrated.
    fn skip_events(&mut self) {
        self.last_event = self.sim.world().events().last().cloned();
        self.clock.set_target(self.sim.now_us());
    }

    fn replace_sim(&mut self, setup: Setup) {
        let sim = Sim::new(setup);
        self.use_sim(sim);
    }

    fn use_sim(&mut self, sim: Sim) {
        self.sim = sim;
        self.clock = SimClock::new(speed_us_per_ms(self.speed_pos));
        self.selected = self
            .selected
            .filter(|&id| id <= self.sim.view().nodes.len() as u64);
        self.selected_msg = None;
        self.last_event = None;
        self.notice = None;
        let n = self.sim.view().nodes.len() as u64;
        self.group_b.retain(|&id| id <= n);
        self.menu = None;
        self.press = None;
        self.picked = None;
        self.drag = None;
        self.add_draft = AddDraft::default();
        self.joint_draft = None;
        self.kv_form.target = self.kv_form.target.filter(|&id| id <= n);
        self.tour_dismissed = false;
    }

    /// Loads a scenario file: a bad one leaves the run as it was and says why.
    fn load_file(&mut self, name: &str, text: &str) {
        let scenario = match raft_sim::scenario::Scenario::parse(text, name) {
            Ok(s) => s,
            Err(e) => {
                self.banner = Some(Banner::error(format!(
                    "{e}. The file was not loaded; the run goes on."
                )));
                return;
            }
        };
        let setup = Setup {
            seed: scenario.seed,
            kind: crate::cluster::LinkSetup::File {
                scenario: Box::new(scenario),
            },
        };
        match Sim::try_new(setup) {
            Ok(sim) => {
                self.use_sim(sim);
                self.playing = false;
                self.banner = None;
                let title = match self.sim.scenario().title.as_str() {
                    "" => name.to_string(),
                    t => t.to_string(),
                };
                self.say(format!("Loaded {title}: press play"));
            }
            Err(e) => {
                self.banner = Some(Banner::error(format!(
                    "{name}: {e}. The file was not loaded; the run goes on."
                )))
            }
        }
    }

    /// The editor's groups, A then B, each in id order.
    fn groups(&self) -> (Vec<u64>, Vec<u64>) {
        self.sim
            .view()
            .nodes
            .iter()
            .map(|n| n.id)
            .partition(|id| !self.group_b.contains(id))
    }

    fn split(&mut self) {
        let (mut a, b) = self.groups();
        if a.is_empty() || b.is_empty() {
            self.notice = Some("Put at least one server in each group (A and B) to split".into());
            return;
        }
        let names = |g: &[u64]| {
            g.iter()
                .map(|id| format!("S{id}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let text = format!(
            "You split the network: {{{}}} | {{{}}}",
            names(&a),
            names(&b)
        );
        // Spare servers go with A, so one added later is not cut off from everyone.
        a.extend(self.sim.membership().spares);
        self.act(Action::Partition { groups: vec![a, b] }, text);
    }

    /// Does `action` at the present moment; in the past that forks the timeline.
    fn act(&mut self, action: Action, done: String) {
        self.act_all(vec![action], done);
    }

    /// Does `actions` in order at the present moment, stopping at the first that fails.
    fn act_all(&mut self, actions: Vec<Action>, done: String) {
        let forked = self.sim.now_us() < self.sim.horizon_us();
        match actions.into_iter().try_for_each(|a| self.sim.act(a)) {
            Ok(()) => {
                self.notice = None;
                if forked {
                    self.say(format!(
                        "Forked a new timeline at {}",
                        format_sim_time(self.sim.now_us())
                    ));
                }
                self.say(done);
            }
            Err(e) => self.notice = Some(format!("Could not do that: {e}")),
        }
        self.absorb_events();
    }

    fn server_action(&mut self, a: ServerAction, id: u64) {
        match a {
            ServerAction::Crash => {
                self.act(Action::Crash { node: id }, format!("You crashed S{id}"))
            }
            ServerAction::Restart => {
                self.act(Action::Restart { node: id }, format!("You restarted S{id}"))
            }
            ServerAction::Timeout => self.act(
                Action::Campaign { node: id },
                format!("You made S{id}'s election timer run out"),
            ),
            ServerAction::Request => {
                // To the selected server: a follower answers with a redirect (§8).
                // The value is the request's number, so each request writes something new.
                let c = self.sim.client(PAGE_CLIENT);
                let value = (c.ops.len() + c.queued.len() + 1).to_string();
                let put = Action::Put {
                    client: PAGE_CLIENT,
                    key: "x".into(),
                    value,
                };
                self.client_request(put, Some(id));
            }
            ServerAction::Remove => self.act(
                Action::RemoveServer { node: id },
                format!("You asked the leader to remove S{id} from the configuration (a single-server change)"),
            ),
            ServerAction::Snapshot => self.act(
                Action::Snapshot { node: id },
                format!("You had S{id} compact its log into a snapshot (\u{a7}7)"),
            ),
            ServerAction::Transfer => self.act(
                Action::Transfer { to: id },
                format!("You asked the leader to hand leadership to S{id} (\u{a7}3.10 of the dissertation)"),
            ),
            ServerAction::Isolate => self.act(
                Action::Isolate { node: id },
                format!("You cut S{id} off from the network"),
            ),
        }
    }

    /// Drops a message in flight; the journal records it as lost, so the
    /// ring marks where it was and the space-time diagram ends its arrow there.
    fn drop_message(&mut self, id: u64) {
        let view = self.sim.view();
        let Some(m) = view.messages.iter().find(|m| m.id == id) else {
            return;
        };
        let (kind, from, to) = (m.kind, m.from, m.to);
        self.act(
            Action::DropMessage { id },
            format!("You dropped {kind} S{from}\u{2192}S{to}"),
        );
    }

    /// The reducer: applies one message.
    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Frame(wall_ms) => {
                if let Some(p) = self.press.filter(|p| p.is_long(wall_ms)) {
                    self.update(Msg::OpenMenu(p.node));
                }
                if self.playing {
                    let target = self.clock.advance(wall_ms);
                    self.sim.run_until(target);
                    self.absorb_events();
                } else {
                    self.clock.pause();
                }
            }
            Msg::TogglePlay => {
                self.playing = !self.playing;
                self.clock.pause();
                self.clock.set_target(self.sim.now_us());
            }
            Msg::Pause => self.playing = false,
            Msg::Step => {
                self.playing = false;
                let what = self.sim.step();
                self.clock.set_target(self.sim.now_us());
                if let Some(what) = what {
                    self.say(format!("Step: {}", narrate::next_event_text(&what)));
                }
                self.absorb_events();
            }
            Msg::SetSpeed(pos) => {
                self.speed_pos = pos.clamp(SPEED_MIN_POS, SPEED_MAX_POS);
                self.clock.speed_us_per_ms = speed_us_per_ms(self.speed_pos);
            }
            Msg::Scrub(t) => {
                self.playing = false;
                self.sim.rewind(t);
                self.skip_events();
            }
            Msg::Reset => {
                self.replace_sim(self.sim.setup().clone());
                self.say("Reset: the run starts again from the same seed".into());
                self.announce_setup();
            }
            Msg::SetSize(n) => {
                let n = n.clamp(1, MAX_NODES);
                self.replace_sim(Setup::new(self.seed(), n));
                self.say(format!("New cluster of {n} servers"));
            }
            Msg::LoadScenario(name) => {
                if name.is_empty() {
                    let n = self.sim.initial_nodes();
                    self.replace_sim(Setup::new(self.seed(), n));
                    self.say(format!("New cluster of {n} servers"));
                } else {
                    match Sim::try_new(Setup::scenario(self.seed(), &name)) {
                        Ok(sim) => {
                            self.use_sim(sim);
                            // Nothing is over before its caption is read.
                            self.playing = false;
                            self.announce_setup();
                        }
                        Err(e) => self.banner = Some(Banner::error(e)),
                    }
                }
            }
            Msg::LoadFile(name, text) => self.load_file(&name, &text),
            Msg::ShowBanner(b) => self.banner = Some(b),
            Msg::DismissBanner => self.banner = None,
            Msg::Select(id) => {
                if self.sim.view().nodes.iter().any(|n| n.id == id) {
                    self.selected = Some(id);
                }
            }
            Msg::Escape => {
                if self.help {
                    self.help = false;
                } else if self.menu.is_some() {
                    self.menu = None;
                } else {
                    self.selected = None;
                    self.picked = None;
                    self.selected_msg = None;
                }
            }
            Msg::Server(a, id) => {
                self.menu = None;
                self.server_action(a, id);
            }
            Msg::DropMessage(id) => {
                if self.picked == Some(id) {
                    self.picked = None;
                }
                self.drop_message(id);
            }
            Msg::Heal => self.act(Action::Heal, "You healed the network".into()),
            Msg::ToggleHelp => self.help = !self.help,
            Msg::StartTour => {
                self.replace_sim(Setup::scenario(self.seed(), tour::SCENARIO));
                self.tour_dismissed = false;
                self.playing = true;
                self.say("The tour starts: watch the caption above the cluster".into());
            }
            Msg::DismissTour => self.tour_dismissed = true,
            Msg::ReducedMotion(on) => self.reduced_motion = on,
            Msg::SetSwitches(switches) => {
                let was = Switches::of(&self.sim.world().config().raft);
                let on = |b: bool| if b { "on" } else { "off" };
                let names = [
                    ("PreVote", was.pre_vote, switches.pre_vote),
                    ("CheckQuorum", was.check_quorum, switches.check_quorum),
                    (
                        "fast backtracking",
                        was.fast_backtrack,
                        switches.fast_backtrack,
                    ),
                    ("batching", was.batching, switches.batching),
                    ("lease reads", was.lease_read, switches.lease_read),
                ];
                let text = names
                    .iter()
                    .filter(|(_, a, b)| a != b)
                    .map(|(n, _, b)| format!("{n} {}", on(*b)))
                    .collect::<Vec<_>>()
                    .join(", ");
                let actions = was.actions_to(switches);
                if !actions.is_empty() {
                    self.act_all(
                        actions,
                        format!("You switched {text}: the run goes on under the new rules"),
                    );
                }
            }
            Msg::SetGroup(id, in_b) => {
                self.group_b.retain(|&x| x != id);
                if in_b && self.sim.view().nodes.iter().any(|n| n.id == id) {
                    self.group_b.push(id);
                    self.group_b.sort_unstable();
                }
            }
            Msg::Split => self.split(),
            Msg::SetSnapshotThreshold(entries) => self.act(
                Action::SetSnapshotThreshold { entries },
                if entries == 0 {
                    "You turned automatic log compaction off".into()
                } else {
                    format!(
                        "Servers now compact their logs every {entries} applied entries (\u{a7}7)"
                    )
                },
            ),
            Msg::SetNet(net) => {
                let net = net.clamped();
                self.act(
                    net.action(),
                    format!(
                        "You set the network: latency {}\u{2013}{} ms, loss {}%, duplication {}%, reordering {}%",
                        net.latency_us().0 as f64 / 1_000.0,
                        net.latency_ms,
                        net.loss_pct,
                        net.dup_pct,
                        net.reorder_pct
                    ),
                );
            }
            Msg::SelectMessage(id) => self.selected_msg = id,
            Msg::SetSpacetimeWindow(w) => {
                self.spacetime_window = w.map(|w| w.clamp(spacetime::WINDOWS_US[0], 60_000_000));
            }
            Msg::Key(cmd) => match cmd {
                KeyCommand::TogglePlay => self.update(Msg::TogglePlay),
                KeyCommand::Step => self.update(Msg::Step),
                KeyCommand::ToggleHelp => self.update(Msg::ToggleHelp),
                KeyCommand::Escape => self.update(Msg::Escape),
                KeyCommand::Select(id) => self.update(Msg::Select(id)),
                KeyCommand::Heal => self.update(Msg::Heal),
                KeyCommand::Reset => self.update(Msg::Reset),
                KeyCommand::Server(a) => match self.selected {
                    Some(id) => self.update(Msg::Server(a, id)),
                    None => self.notice = Some("Select a server first (keys 1\u{2013}9)".into()),
                },
                cmd @ (KeyCommand::Menu
                | KeyCommand::NextMessage
                | KeyCommand::PrevMessage
                | KeyCommand::DropMessage) => self.interact_key(cmd),
            },
            msg @ (Msg::PressServer { .. }
            | Msg::PressMove { .. }
            | Msg::PressEnd
            | Msg::OpenMenu(_)
            | Msg::CloseMenu
            | Msg::PickMessage(_)
            | Msg::ToggleLink(..)
            | Msg::DragServer(_)
            | Msg::DragOver(_)
            | Msg::DropServer(_)) => self.interact(msg),
            Msg::Kv(m) => self.kv_update(m),
            Msg::Membership(m) => self.membership_update(m),
        }
        // The menu belongs to the selected server: selecting another closes it.
        if self.menu.is_some() && self.menu != self.selected {
            self.menu = None;
        }
    }

    /// What to draw now.
    pub fn frame(&self) -> Frame {
        let view = self.sim.view();
        let now = view.now_us;
        let membership = self.sim.membership();
        let window_us = self
            .spacetime_window
            .unwrap_or_else(|| spacetime::auto_window_us(self.clock.speed_us_per_ms));
        let since = now.saturating_sub(window_us.max(LOST_MARK_US));
        let journal = self.sim.journal(since);
        let mut ring =
            RingDraw::with_membership(&view, Some(&membership), self.selected, self.reduced_motion);
        ring.mark_losses(&journal.messages, now, self.reduced_motion);
        ring.select_message(self.selected_msg);
        let selected_life = self.selected_msg.map(|id| {
            let life = journal
                .messages
                .iter()
                .find(|m| m.id == id)
                .cloned()
                .or_else(|| self.sim.message_life(id));
            (id, life)
        });
        let spacetime = SpacetimeDraw::new(SpacetimeInput {
            view: &view,
            journal: &journal,
            window_us,
            auto: self.spacetime_window.is_none(),
            reduced_motion: self.reduced_motion,
            selected: self.selected,
            selected_msg: selected_life.as_ref().map(|(id, l)| (*id, l.as_ref())),
        });
        let setup = self.sim.setup();
        let world = self.sim.world();
        Frame {
            seed: setup.seed,
            now_us: now,
            horizon_us: self.sim.horizon_us(),
            playing: self.playing,
            speed_pos: self.speed_pos,
            speed_label: speed_label(self.speed_pos),
            nodes: self.sim.initial_nodes(),
            scenario: setup.scenario_name().map(String::from),
            scenario_draw: ScenarioDraw::new(&self.sim),
            banner: self.banner.clone(),
            tour: (setup.scenario_name() == Some(tour::SCENARIO) && !self.tour_dismissed)
                .then(|| tour::TourCaption::new(&view)),
            switches: Switches::of(&world.config().raft),
            net: NetSettings::of(&world.network().config),
            snapshot_threshold: world.config().snapshot_threshold,
            groups: view
                .nodes
                .iter()
                .map(|n| (n.id, self.group_b.contains(&n.id)))
                .collect(),
            selected: self.selected,
            selected_msg: self.selected_msg,
            spacetime,
            logs: LogsDraw::new(&view),
            inspector: self.selected.and_then(|id| {
                let mut i = InspectorDraw::new(&view, id)?;
                membership::gate_actions(i.id, i.role, &mut i.actions, &membership);
                Some(i)
            }),
            activity: self.activity.iter().cloned().collect(),
            violation: view.violations.first().cloned(),
            help: self.help,
            reduced_motion: self.reduced_motion,
            notice: self.notice.clone(),
            node_menu: self.menu.and_then(|id| {
                let mut menu = NodeMenuDraw::find(&ring, id)?;
                let role = ring.nodes.iter().find(|n| n.id == id)?.role;
                membership::gate_actions(id, role, &mut menu.actions, &membership);
                Some(menu)
            }),
            picked_message: self.picked.filter(|&id| ring.message_at(id).is_some()),
            drag: self.drag,
            kv: KvDraw::new(
                &self.kv_form,
                &self.sim.client(PAGE_CLIENT),
                &self.sim.stores(),
                now,
            ),
            membership: self.membership_draw(&view, &membership),
            ring,
        }
    }
}

// ---------------------------------------------------------------------------
// Crash report

/// The text shown in place of a dead page when the simulation panics.
pub fn panic_report(message: &str, location: Option<&str>, link: &str, now_us: u64) -> String {
    let place = location.map(|l| format!(" ({l})")).unwrap_or_default();
    format!(
        "The simulation stopped with an internal error: {message}{place}.\n\
         It happened at simulated time {}. This link replays the run up to its last \
         action (press play to reach the error): {link}\n\
         Please include that link when you report it.",
        format_sim_time(now_us)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::LossReason;
    use raft_core::Role;

    #[test]
    fn query_param_finds_values_and_flags() {
        assert_eq!(query_param("?seed=7&crash", "seed"), Some("7"));
        assert_eq!(query_param("?seed=7&crash", "crash"), Some(""));
        assert_eq!(query_param("seed=7", "seed"), Some("7"));
        assert_eq!(query_param("?seedling=7", "seed"), None);
        assert_eq!(query_param("", "seed"), None);
        assert_eq!(query_param("?", "seed"), None);
    }

    #[test]
    fn clock_starts_at_zero_and_follows_wall_time() {
        let mut clock = SimClock::new(REAL_TIME_US_PER_MS);
        assert_eq!(clock.advance(5_000.0), 0);
        assert_eq!(clock.advance(5_016.0), 16_000);
        assert_eq!(clock.advance(5_032.5), 32_500);
    }

    #[test]
    fn clock_clamps_long_gaps_and_ignores_backward_steps() {
        let mut clock = SimClock::new(REAL_TIME_US_PER_MS);
        clock.advance(0.0);
        assert_eq!(clock.advance(60_000.0), 100_000); // a minute in a hidden tab
        assert_eq!(clock.advance(59_000.0), 100_000);
        assert_eq!(clock.advance(59_010.0), 110_000);
    }

    #[test]
    fn clock_speed_scales() {
        let mut clock = SimClock::new(100.0);
        clock.advance(0.0);
        assert_eq!(clock.advance(50.0), 5_000);
    }

    #[test]
    fn sim_time_formats_as_seconds() {
        assert_eq!(format_sim_time(0), "0.000 s");
        assert_eq!(format_sim_time(1_234_567), "1.234 s");
        assert_eq!(format_sim_time(61_000_000), "61.000 s");
    }

    #[test]
    fn clock_pauses_and_restarts_from_a_target() {
        let mut clock = SimClock::new(REAL_TIME_US_PER_MS);
        clock.advance(0.0);
        assert_eq!(clock.advance(10.0), 10_000);
        clock.pause();
        assert_eq!(
            clock.advance(5_000.0),
            10_000,
            "paused wall time does not count"
        );
        clock.set_target(2_000_000);
        assert_eq!(clock.advance(5_001.0), 2_001_000);
    }

    #[test]
    fn speed_is_a_log_scale_from_a_thousandth_to_real_time() {
        assert_eq!(speed_label(SPEED_MAX_POS), "1\u{d7}");
        assert_eq!(speed_label(-10), "1/10\u{d7}");
        assert_eq!(speed_label(DEFAULT_SPEED_POS), "1/20\u{d7}");
        assert_eq!(speed_label(SPEED_MIN_POS), "1/1000\u{d7}");
        assert_eq!(speed_label(-99), "1/1000\u{d7}", "clamped");
        assert!((speed_us_per_ms(-20) - 10.0).abs() < 1e-9);
        assert_eq!(speed_pos_for(0.05), Some(-13));
        assert_eq!(speed_pos_for(1.0), Some(0));
        assert_eq!(speed_pos_for(50.0), Some(0));
        assert_eq!(speed_pos_for(0.0), None);
    }

    #[test]
    fn a_plain_visit_has_no_run_and_gets_the_fresh_seed() {
        let o = parse_options("");
        assert_eq!((o.link.clone(), o.speed_pos), (Ok(None), DEFAULT_SPEED_POS));
        assert_eq!(parse_options("?speed=1").speed_pos, 0);
        assert_eq!(parse_options("?speed=fast").speed_pos, DEFAULT_SPEED_POS);
        let pg = start_playground(&o, 4242);
        let f = pg.frame();
        assert_eq!(
            (f.seed, f.nodes, f.banner.clone()),
            (4242, DEFAULT_NODES, None)
        );
        assert!(f.playing);
        // The link names the seed, so the visit can be replayed.
        assert!(pg.link_query().contains("seed=4242"), "{}", pg.link_query());
    }

    #[test]
    fn the_address_bar_keeps_the_page_s_own_parameters() {
        assert_eq!(
            page_query("?speed=1&seed=3&prevote&lang=zh&a=xyz", "v=1&seed=4&size=5"),
            "speed=1&lang=zh&v=1&seed=4&size=5"
        );
        assert_eq!(page_query("", "v=1&seed=4&size=5"), "v=1&seed=4&size=5");
    }

    #[test]
    fn a_bad_link_shows_a_banner_and_a_working_cluster() {
        for bad in [
            "?v=1&seed=x",
            "?v=99&seed=1&size=5",
            "?v=1&seed=1&size=5&a=%%%",
            "?v=1&seed=1&scenario=nope",
            "?v=1&seed=1&size=5&t=12",
        ] {
            let o = parse_options(bad);
            let mut pg = start_playground(&o, 9);
            let f = pg.frame();
            if bad.ends_with("t=12") {
                // A well-formed link: no banner.
                assert!(f.banner.is_none(), "{bad}");
                continue;
            }
            let b = f
                .banner
                .clone()
                .unwrap_or_else(|| panic!("{bad}: no banner"));
            assert_eq!(b.kind, BannerKind::Error, "{bad}");
            assert!(!b.text.is_empty());
            assert_eq!(f.seed, 9, "{bad}: a fresh run");
            let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
            assert!(leader(&f).is_some(), "{bad}: the cluster works");
            pg.update(Msg::DismissBanner);
            assert!(pg.frame().banner.is_none());
        }
    }

    /// What a link must reproduce: every server's, message's and log entry's attributes, and the time.
    fn picture(f: &Frame) -> String {
        let mut out = format!("t={} ", f.now_us);
        for n in &f.ring.nodes {
            out += &format!("[{} {} {} {} {}]", n.id, n.role, n.term, n.alive, n.commit);
        }
        for m in &f.ring.messages {
            out += &format!("<{} {} {}>{}", m.id, m.from, m.to, m.kind);
        }
        for r in &f.logs.rows {
            for e in &r.cells {
                out += &format!("({} {} {} {})", r.node_id, e.index, e.term, e.committed);
            }
        }
        out
    }

    #[test]
    fn a_shared_link_reproduces_what_the_sharer_sees() {
        let mut pg = playground(5);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (l, _) = leader(&f).unwrap();
        pg.update(Msg::Server(ServerAction::Crash, l));
        let t = pg.now_us();
        play_until(&mut pg, t + 300_000, |_| false);
        pg.update(Msg::SetNet(NetSettings {
            latency_ms: 30,
            loss_pct: 10,
            ..NetSettings::default()
        }));
        pg.update(Msg::SetSwitches(Switches {
            pre_vote: true,
            ..Switches::default()
        }));
        let t = pg.now_us();
        play_until(&mut pg, t + 400_000, |_| false);
        pg.update(Msg::Server(ServerAction::Restart, l));
        // Stop between two events, as a step does.
        pg.update(Msg::Step);
        pg.update(Msg::Step);
        let query = pg.link_query();
        let back = RunLink::from_query(&query).unwrap().unwrap();
        let orig = pg.sim.link(true);
        assert_eq!(back.actions, orig.actions);
        assert_eq!(
            (back.now_us, back.now_events),
            (orig.now_us, orig.now_events)
        );
        assert!(query.len() < 2_000, "{}", query.len());
        let opened = start_playground(&parse_options(&format!("?{query}")), 1);
        let (a, b) = (pg.frame(), opened.frame());
        assert!(b.banner.is_none(), "{:?}", b.banner);
        assert_eq!(picture(&a), picture(&b));
        assert_eq!(
            (b.seed, b.playing, b.switches, b.net),
            (a.seed, false, a.switches, a.net)
        );
        assert!(b.switches.pre_vote && b.net.loss_pct == 10);
        // And the run goes on the same way from there.
        let (mut pg, mut opened) = (pg, opened);
        let later = pg.now_us() + 600_000;
        pg.sim.run_until(later);
        opened.sim.run_until(later);
        assert_eq!(picture(&pg.frame()), picture(&opened.frame()));
    }

    #[test]
    fn a_slider_or_a_switch_moved_mid_run_keeps_the_time_running() {
        let mut pg = playground(3);
        play_until(&mut pg, 700_000, |_| false);
        let t = pg.now_us();
        pg.update(Msg::SetNet(NetSettings {
            latency_ms: 50,
            ..NetSettings::default()
        }));
        pg.update(Msg::SetSwitches(Switches {
            check_quorum: true,
            ..Switches::default()
        }));
        let f = pg.frame();
        assert_eq!(f.now_us, t, "no restart");
        assert_eq!(f.net.latency_ms, 50);
        assert!(f.switches.check_quorum);
        // Rewound before the change, the old settings are back; forward again, the new ones.
        pg.update(Msg::Scrub(t - 100_000));
        assert_eq!(pg.frame().net, NetSettings::default());
        pg.update(Msg::Scrub(t + 50_000));
        assert_eq!(pg.frame().net.latency_ms, 50);
    }

    #[test]
    fn a_refused_action_in_the_past_says_why_and_keeps_the_future() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (l, _) = leader(&f).unwrap();
        pg.update(Msg::Server(ServerAction::Crash, l));
        let t = pg.now_us();
        play_until(&mut pg, t + 500_000, |_| false);
        let horizon = pg.frame().horizon_us;
        pg.update(Msg::Scrub(t / 2));
        // S1 is running at t/2: restarting it is refused, and the crash ahead stays.
        let running = pg.frame().ring.nodes.iter().find(|n| n.alive).unwrap().id;
        pg.update(Msg::Server(ServerAction::Restart, running));
        let f = pg.frame();
        assert!(
            f.notice.as_deref().is_some_and(|n| n.contains("running")),
            "{:?}",
            f.notice
        );
        assert_eq!(f.horizon_us, horizon, "the future is kept");
        pg.update(Msg::Scrub(horizon));
        assert!(pg.frame().ring.nodes.iter().any(|n| n.id == l && !n.alive));
    }

    #[test]
    fn lease_reads_need_check_quorum_and_snapshots_are_actions() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (l, _) = leader(&f).unwrap();
        pg.update(Msg::SetSwitches(Switches {
            lease_read: true,
            ..Switches::default()
        }));
        let f = pg.frame();
        assert!(!f.switches.lease_read, "refused without CheckQuorum");
        assert!(f.notice.is_some());
        let both = Switches {
            lease_read: true,
            check_quorum: true,
            ..Switches::default()
        };
        pg.update(Msg::SetSwitches(both));
        assert_eq!(pg.frame().switches, both);
        // Both off at once: the lease goes first, so neither is refused.
        pg.update(Msg::SetSwitches(Switches::default()));
        assert_eq!(pg.frame().switches, Switches::default());
        // Snapshot now compacts what the leader applied; the threshold is a setting.
        let t = pg.now_us();
        play_until(&mut pg, t + 300_000, |_| false);
        pg.update(Msg::Server(ServerAction::Snapshot, l));
        let snap = pg
            .sim
            .world()
            .node(l)
            .unwrap()
            .raft()
            .unwrap()
            .log()
            .snapshot_index();
        assert!(snap >= 1, "S{l} compacted nothing");
        pg.update(Msg::Server(ServerAction::Snapshot, l));
        assert!(pg
            .frame()
            .notice
            .is_some_and(|n| n.contains("nothing to compact")));
        pg.update(Msg::SetSnapshotThreshold(5));
        assert_eq!(pg.frame().snapshot_threshold, 5);
    }

    #[test]
    fn scenarios_load_paused_and_files_are_checked() {
        let mut pg = playground(5);
        pg.update(Msg::LoadScenario("figure8-safe".into()));
        let f = pg.frame();
        assert_eq!(f.scenario.as_deref(), Some("figure8-safe"));
        assert!(!f.playing, "a scenario starts paused");
        assert_eq!(f.scenario_draw.state, "pending");
        assert!(!f.scenario_draw.checks.is_empty());
        // A bad file keeps the run and names the line and field.
        let t = pg.now_us();
        pg.update(Msg::LoadFile(
            "mine.json".into(),
            "{\n  \"nodes\": 3,\n  \"actions\": [{\"at_ms\": 1, \"do\": \"crash\", \"nod\": 1}]\n}"
                .into(),
        ));
        let f = pg.frame();
        let b = f.banner.clone().expect("a banner");
        assert_eq!(b.kind, BannerKind::Error);
        assert!(
            b.text.contains("mine.json:3") && b.text.contains("actions[0]"),
            "{}",
            b.text
        );
        assert_eq!((f.scenario.as_deref(), f.now_us), (Some("figure8-safe"), t));
        // An exported run loads back as a file and shows the same.
        let mut pg = playground(3);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        pg.update(Msg::Server(ServerAction::Crash, leader(&f).unwrap().0));
        let t = pg.now_us();
        play_until(&mut pg, t + 200_000, |_| false);
        let file = pg.export_scenario();
        let mut loaded = playground(5);
        loaded.update(Msg::LoadFile("run.json".into(), file));
        assert!(
            loaded.frame().banner.is_none(),
            "{:?}",
            loaded.frame().banner
        );
        loaded.sim.run_until(pg.now_us());
        assert_eq!(picture(&loaded.frame()), picture(&pg.frame()));
    }

    pub(crate) fn playground(nodes: usize) -> Playground {
        Playground::new(Setup::new(7, nodes), 0, true)
    }

    /// Plays at real time with 16 ms frames until `done` or `limit_us`.
    pub(crate) fn play_until(
        pg: &mut Playground,
        limit_us: u64,
        done: impl Fn(&Frame) -> bool,
    ) -> Frame {
        let mut wall = 0.0;
        loop {
            pg.update(Msg::Frame(wall));
            let f = pg.frame();
            if done(&f) || f.now_us >= limit_us {
                return f;
            }
            wall += 16.0;
        }
    }

    pub(crate) fn leader(f: &Frame) -> Option<(u64, u64)> {
        f.ring
            .nodes
            .iter()
            .find(|n| n.alive && n.role == Role::Leader)
            .map(|n| (n.id, n.term))
    }

    #[test]
    fn playground_advances_with_frames_and_narrates_the_election() {
        let mut pg = playground(5);
        pg.update(Msg::Frame(1_000.0));
        assert_eq!(pg.frame().now_us, 0);
        pg.update(Msg::Frame(1_050.0));
        assert_eq!(pg.frame().now_us, 50_000);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (id, term) = leader(&f).expect("a leader within 5 s");
        assert!(
            f.activity
                .iter()
                .any(|a| a.text == format!("S{id} became leader for term {term}")),
            "{:?}",
            f.activity
        );
        assert_eq!(f.sim_time_ms(), (f.now_us / 1000).to_string());
    }

    #[test]
    fn crashing_the_leader_brings_a_new_leader_with_a_higher_term() {
        let mut pg = playground(5);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (old, term) = leader(&f).unwrap();
        pg.update(Msg::Select(old));
        pg.update(Msg::Key(KeyCommand::Server(ServerAction::Crash)));
        let f = pg.frame();
        assert!(!f.ring.nodes[old as usize - 1].alive);
        assert_eq!(
            f.inspector.as_ref().unwrap().actions[1],
            (ServerAction::Restart, true)
        );
        let f = play_until(&mut pg, f.now_us + 5_000_000, |f| {
            leader(f).is_some_and(|(_, t)| t > term)
        });
        let (new, new_term) = leader(&f).expect("a new leader");
        assert_ne!(new, old);
        assert!(new_term > term);
    }

    #[test]
    fn pause_and_step() {
        let mut pg = playground(3);
        pg.update(Msg::Frame(0.0));
        pg.update(Msg::TogglePlay);
        pg.update(Msg::Frame(500.0));
        assert_eq!(pg.frame().now_us, 0, "paused");
        assert!(!pg.frame().playing);
        // A step is one event of the cluster, narrated (spare servers' ticks pass on
        // the way); ticks of several servers may share an instant.
        let events = pg.sim.world().events_processed();
        pg.update(Msg::Step);
        assert!(pg.sim.world().events_processed() > events);
        assert!(
            pg.frame().narration().starts_with("Step: "),
            "{}",
            pg.frame().narration()
        );
        let t1 = pg.frame().now_us;
        assert!(t1 > 0);
        for _ in 0..20 {
            pg.update(Msg::Key(KeyCommand::Step));
        }
        assert!(pg.sim.world().events_processed() >= events + 21);
        let t2 = pg.frame().now_us;
        assert!(t2 > t1);
        // Playing again continues from the stepped time, not from the wall clock.
        pg.update(Msg::Key(KeyCommand::TogglePlay));
        pg.update(Msg::Frame(1_000.0));
        pg.update(Msg::Frame(1_010.0));
        assert_eq!(pg.frame().now_us, t2 + 10_000);
    }

    #[test]
    fn dropping_a_message_removes_it_and_marks_where_it_was() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 2_000_000, |f| !f.ring.messages.is_empty());
        let m = f.ring.messages[0].clone();
        pg.update(Msg::DropMessage(m.id));
        let f = pg.frame();
        assert!(f.ring.messages.iter().all(|x| x.id != m.id));
        let d = f.ring.dropped.iter().find(|d| d.id == m.id).unwrap();
        assert_eq!((d.x, d.y, d.reason), (m.x, m.y, LossReason::Manual));
        assert!(
            f.narration().starts_with("You dropped"),
            "{}",
            f.narration()
        );
        // Its arrow in the space-time diagram now ends in a loss.
        let a = f.spacetime.arrows.iter().find(|a| a.id == m.id).unwrap();
        assert_eq!((a.fate, a.reason), ("lost", Some(LossReason::Manual)));
        // The mark lasts LOST_MARK_US of simulated time.
        let t = f.now_us;
        let f = play_until(&mut pg, t + LOST_MARK_US + 20_000, |_| false);
        assert!(f.ring.dropped.iter().all(|d| d.id != m.id));
    }

    #[test]
    fn messages_lost_to_the_network_are_marked_in_the_ring_too() {
        let mut pg = playground(3);
        pg.update(Msg::SetNet(NetSettings {
            latency_ms: 16,
            loss_pct: 50,
            dup_pct: 0,
            reorder_pct: 0,
        }));
        let f = play_until(&mut pg, 3_000_000, |f| {
            f.ring.dropped.iter().any(|d| d.reason == LossReason::Loss)
        });
        let d = f
            .ring
            .dropped
            .iter()
            .find(|d| d.reason == LossReason::Loss)
            .unwrap();
        // Lost as it was sent: the cross is at the sender's end of its link.
        let a = f.spacetime.arrows.iter().find(|a| a.id == d.id).unwrap();
        let from = &f.ring.nodes[a.from as usize - 1];
        let to = &f.ring.nodes[a.to as usize - 1];
        let start = ring::message_point((from.x, from.y), (to.x, to.y), from.r, 0.0);
        assert_eq!((d.x, d.y), start);
        assert_eq!((a.fate, a.reason), ("lost", Some(LossReason::Loss)));
        // A server that crashes loses what was sent to it, on arrival.
        let (victim, other) = (1, 2);
        pg.update(Msg::SetNet(NetSettings::default()));
        let f = play_until(&mut pg, 3_000_000, |f| {
            f.ring
                .messages
                .iter()
                .any(|m| m.to == victim && m.from == other)
        });
        let m = f
            .ring
            .messages
            .iter()
            .find(|m| m.to == victim && m.from == other)
            .unwrap()
            .clone();
        pg.update(Msg::Server(ServerAction::Crash, victim));
        let f = play_until(&mut pg, f.now_us + 100_000, |f| {
            f.ring.dropped.iter().any(|d| d.id == m.id)
        });
        let d = f.ring.dropped.iter().find(|d| d.id == m.id).unwrap();
        assert_eq!(d.reason, LossReason::Crashed);
        let (a, b) = (
            &f.ring.nodes[other as usize - 1],
            &f.ring.nodes[victim as usize - 1],
        );
        assert_eq!(
            (d.x, d.y),
            ring::message_point((a.x, a.y), (b.x, b.y), a.r, 1.0)
        );
    }

    #[test]
    fn selecting_a_message_links_the_diagram_the_ring_and_the_inspector_line() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 2_000_000, |f| !f.ring.messages.is_empty());
        assert_eq!(f.spacetime.lanes.len(), 3);
        let m = f.ring.messages[0].clone();
        // Every message in flight in the ring is an in-flight arrow in the diagram.
        for r in &f.ring.messages {
            let a = f.spacetime.arrows.iter().find(|a| a.id == r.id).unwrap();
            assert_eq!(
                (a.kind, a.from, a.to, a.fate),
                (r.kind.as_str(), r.from, r.to, "inflight")
            );
        }
        pg.update(Msg::SelectMessage(Some(m.id)));
        let f = pg.frame();
        assert_eq!(f.selected_msg, Some(m.id));
        assert!(
            f.ring
                .messages
                .iter()
                .find(|x| x.id == m.id)
                .unwrap()
                .selected
        );
        assert_eq!(f.ring.messages.iter().filter(|x| x.selected).count(), 1);
        assert!(
            f.spacetime
                .arrows
                .iter()
                .find(|a| a.id == m.id)
                .unwrap()
                .selected
        );
        let line = f.spacetime.selected_msg.clone().unwrap();
        assert_eq!((line.id, line.fate), (m.id, "inflight"));
        assert!(line.text.contains("in flight, due at"), "{}", line.text);
        // Delivered later: the line says so, and the ring no longer draws it.
        let f = play_until(&mut pg, f.now_us + 100_000, |_| false);
        assert_eq!(f.spacetime.selected_msg.unwrap().fate, "delivered");
        assert!(f.ring.messages.iter().all(|x| !x.selected));
        // Selecting a server highlights its lane.
        pg.update(Msg::Select(2));
        assert!(pg.frame().spacetime.lanes[1].selected);
        pg.update(Msg::Escape);
        let f = pg.frame();
        assert_eq!(
            (f.selected, f.selected_msg, f.spacetime.selected_msg),
            (None, None, None)
        );
    }

    #[test]
    fn the_diagram_window_follows_the_speed_or_the_zoom_and_clicks_scrub() {
        let mut pg = playground(3); // real time: 1 s
        let f = play_until(&mut pg, 3_000_000, |_| false);
        assert!(f.spacetime.auto);
        assert_eq!(f.spacetime.axis.window_us, 1_000_000);
        pg.update(Msg::SetSpeed(DEFAULT_SPEED_POS));
        assert_eq!(pg.frame().spacetime.axis.window_us, 500_000);
        pg.update(Msg::SetSpacetimeWindow(Some(1_000_000)));
        let f = pg.frame();
        assert_eq!(
            (f.spacetime.axis.window_us, f.spacetime.auto),
            (1_000_000, false)
        );
        pg.update(Msg::SetSpacetimeWindow(Some(7)));
        assert_eq!(pg.frame().spacetime.axis.window_us, 50_000, "clamped");
        pg.update(Msg::SetSpacetimeWindow(Some(1_000_000)));
        assert_eq!(
            f.spacetime.cursor_x,
            spacetime::PLOT_X1,
            "now is at the right edge"
        );
        // A click halfway along the axis goes back half a window, as the scrubber does.
        let x = f64::from(spacetime::PLOT_X0 + spacetime::PLOT_X1) / 2.0;
        let t = f.spacetime.time_at(x, f.horizon_us).unwrap();
        assert!(t.abs_diff(f.now_us - 500_000) < 2_000, "{t}");
        pg.update(Msg::Scrub(t));
        let f = pg.frame();
        assert!(f.in_past() && !f.playing);
        assert_eq!(f.now_us, t);
        // The diagram shows the past's journal: nothing after the new now.
        assert!(f.spacetime.arrows.iter().all(|a| a.end_us <= f.now_us));
        assert!(f.spacetime.arrows.iter().any(|a| a.sent_us < t - 100_000));
        pg.update(Msg::SetSpacetimeWindow(None));
        assert!(pg.frame().spacetime.auto);
    }

    #[test]
    fn scrubbing_rewinds_and_acting_in_the_past_forks() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 1_000_000, |_| false);
        assert!(f.now_us >= 1_000_000);
        pg.update(Msg::Scrub(300_000));
        let f = pg.frame();
        assert_eq!(f.now_us, 300_000);
        assert!(f.in_past() && !f.playing);
        pg.update(Msg::Server(ServerAction::Crash, 2));
        let f = pg.frame();
        assert!(!f.in_past());
        assert!(f.activity.iter().any(|a| a.text.starts_with("Forked")));
        assert!(!f.ring.nodes[1].alive);
    }

    #[test]
    fn reset_size_select_help_and_errors() {
        let mut pg = playground(5);
        pg.update(Msg::SetSize(9));
        assert_eq!(pg.frame().nodes, 9);
        pg.update(Msg::Key(KeyCommand::Select(9)));
        assert_eq!(pg.frame().inspector.unwrap().id, 9);
        pg.update(Msg::SetSize(3));
        assert_eq!(pg.frame().selected, None, "S9 is gone");
        pg.update(Msg::Key(KeyCommand::Server(ServerAction::Crash)));
        assert!(pg.frame().notice.is_some());
        pg.update(Msg::Server(ServerAction::Restart, 1));
        assert!(pg.frame().notice.unwrap().contains("running"));
        pg.update(Msg::Key(KeyCommand::ToggleHelp));
        assert!(pg.frame().help);
        pg.update(Msg::Escape);
        assert!(!pg.frame().help);
        play_until(&mut pg, 200_000, |_| false);
        pg.update(Msg::Reset);
        assert_eq!(pg.frame().now_us, 0);
        assert_eq!(pg.frame().nodes, 3);
        let on = Switches {
            pre_vote: true,
            ..Switches::default()
        };
        pg.update(Msg::SetSwitches(on));
        assert_eq!(pg.frame().switches, on);
        assert!(pg.frame().narration().contains("PreVote on"));
    }

    #[test]
    fn inspector_shows_the_leader_s_progress() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (id, term) = leader(&f).unwrap();
        pg.update(Msg::Select(id));
        let i = pg.frame().inspector.unwrap();
        assert_eq!((i.role, i.current_term), (Role::Leader, term));
        assert_eq!(i.progress.len(), 2);
        assert_eq!(i.voted_for, format!("S{id}"));
        assert_eq!(i.timer, "\u{2014}");
        assert!(i.configuration.contains('1'), "{}", i.configuration);
    }

    #[test]
    fn the_backtracking_example_steps_next_index_back() {
        let mut pg = Playground::new(Setup::scenario(1, "backtracking"), 0, false);
        let mut seen = Vec::new();
        let mut rejected = false;
        for _ in 0..2_000 {
            pg.update(Msg::Step);
            let f = pg.frame();
            if let Some(m) = f.logs.rows[1]
                .markers
                .iter()
                .find(|m| m.kind == logs::MarkerKind::Next && m.leader_id == 1)
            {
                if seen.last() != Some(&m.index) {
                    seen.push(m.index);
                }
            }
            rejected |= f.logs.rows[1].rejected.is_some();
            if f.now_us > 600_000 {
                break;
            }
        }
        assert!(rejected, "S2 never showed a rejected slot");
        // The leader's no-op makes its log [1,3,3,4]: next_index 5 -> 4 -> 3 -> 2, then it matches.
        let back: Vec<u64> = seen.iter().copied().take_while(|&i| i > 1).collect();
        assert!(back.windows(2).any(|w| w[1] + 1 == w[0]), "{seen:?}");
        assert!(seen.contains(&2), "{seen:?}");
    }

    #[test]
    fn partition_with_the_leader_in_the_minority_then_heal() {
        let mut pg = playground(5);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (old, term) = leader(&f).unwrap();
        let buddy = if old == 1 { 2 } else { 1 };
        assert!(f.groups.iter().all(|&(_, b)| !b), "everyone starts in A");
        // Nothing in B: splitting is refused.
        pg.update(Msg::Split);
        assert!(pg.frame().notice.unwrap().contains("each group"));
        pg.update(Msg::SetGroup(old, true));
        pg.update(Msg::SetGroup(buddy, true));
        pg.update(Msg::SetGroup(buddy, true));
        pg.update(Msg::SetGroup(42, true));
        let f = pg.frame();
        let b: Vec<u64> = f.groups.iter().filter(|g| g.1).map(|g| g.0).collect();
        let mut want = vec![old, buddy];
        want.sort_unstable();
        assert_eq!(b, want);
        pg.update(Msg::Split);
        let f = pg.frame();
        assert!(f.narration().starts_with("You split"), "{}", f.narration());
        let cut = f.ring.links.iter().filter(|l| l.cut).count();
        assert_eq!(cut, 6, "2 x 3 links cross the cut");
        let old_commit = f.ring.nodes[old as usize - 1].commit;
        pg.update(Msg::Server(ServerAction::Request, old));
        let f = play_until(&mut pg, f.now_us + 5_000_000, |f| {
            leader(f).is_some_and(|(id, t)| id != old && t > term)
        });
        let (new, _) = leader(&f).expect("the majority elects a leader");
        assert!(new != old && new != buddy);
        let f = play_until(&mut pg, f.now_us + 1_000_000, |_| false);
        let o = &f.ring.nodes[old as usize - 1];
        assert_eq!(
            o.role,
            Role::Leader,
            "without CheckQuorum the old leader stays on"
        );
        assert_eq!(o.commit, old_commit, "the minority cannot commit");
        let row = &f.logs.rows[old as usize - 1];
        assert!(row
            .cells
            .iter()
            .any(|c| c.index > old_commit && !c.committed));
        pg.update(Msg::Heal);
        let f = play_until(&mut pg, f.now_us + 5_000_000, |f| {
            let leaders = f
                .ring
                .nodes
                .iter()
                .filter(|n| n.role == Role::Leader)
                .count();
            let c = f.ring.nodes[0].commit;
            leaders == 1 && f.ring.nodes.iter().all(|n| n.commit == c) && c > old_commit
        });
        assert!(f.ring.links.iter().all(|l| !l.cut));
        assert_eq!(
            f.ring
                .nodes
                .iter()
                .filter(|n| n.role == Role::Leader)
                .count(),
            1
        );
        // Resizing keeps only servers that still exist in the draft.
        pg.update(Msg::SetSize(1));
        assert_eq!(pg.frame().groups, vec![(1, old == 1 || buddy == 1)]);
    }

    #[test]
    fn network_sliders_change_the_network_from_now_on() {
        let mut pg = playground(3);
        play_until(&mut pg, 300_000, |_| false);
        pg.update(Msg::SetNet(NetSettings {
            latency_ms: 1,
            loss_pct: 50,
            dup_pct: 10,
            reorder_pct: 20,
        }));
        let f = pg.frame();
        assert!(f.now_us >= 300_000, "the run goes on");
        assert_eq!(
            f.net,
            NetSettings {
                latency_ms: 2,
                loss_pct: 50,
                dup_pct: 10,
                reorder_pct: 20,
            }
        );
        assert!(f.narration().contains("loss 50%"), "{}", f.narration());
        // Still a working cluster: with half the messages lost it keeps going and elects.
        let f = play_until(&mut pg, 20_000_000, |f| leader(f).is_some());
        assert!(leader(&f).is_some());
        assert!(f.violation.is_none());
    }

    #[test]
    fn panic_report_says_how_to_reproduce() {
        let text = panic_report(
            "index out of bounds",
            Some("src/x.rs:3:9"),
            "http://x/?v=1&seed=42&size=5&a=c",
            1_500_000,
        );
        assert!(
            text.contains("index out of bounds (src/x.rs:3:9)"),
            "{text}"
        );
        assert!(text.contains("http://x/?v=1&seed=42&size=5&a=c"), "{text}");
        assert!(text.contains("1.500 s"), "{text}");
    }
}

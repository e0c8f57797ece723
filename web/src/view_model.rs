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
    CoreEvent, Example, NetSettings, Setup, Sim, Switches, WorldView, DEFAULT_NODES, MAX_NODES,
};
use interaction::{Drag, NodeMenuDraw, Press};
use keys::{KeyCommand, ServerAction};
use kv::{KvDraw, KvForm, KvMsg};
use logs::LogsDraw;
use membership::{AddDraft, MembershipDraw, MembershipMsg};
use ring::{RingDraw, LOST_MARK_US};
use spacetime::{SpacetimeDraw, SpacetimeInput};

pub use ring::VIEW_SIZE;

/// Seed used when the URL has none (or a bad one), so a plain visit is reproducible.
pub const DEFAULT_SEED: u64 = 1;

/// Simulated microseconds per wall-clock millisecond at normal speed (1x real time).
pub const REAL_TIME_US_PER_MS: f64 = 1_000.0;

/// Longest wall-clock gap one frame may turn into simulated time: a hidden tab
/// pauses requestAnimationFrame, and on return the cluster should not leap ahead.
pub const MAX_FRAME_GAP_MS: f64 = 100.0;

// ---------------------------------------------------------------------------
// URL parameters

/// The seed the page runs with, and what to tell the visitor if the URL's was unusable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedChoice {
    pub seed: u64,
    pub warning: Option<String>,
}

/// The raw value of `name` in a query string such as `?seed=7&crash`.
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

/// Reads `?seed=N` (a decimal `u64`). A missing seed means [`DEFAULT_SEED`];
/// a bad one also means [`DEFAULT_SEED`], with a message saying so.
pub fn parse_seed(search: &str) -> SeedChoice {
    match query_param(search, "seed") {
        None => SeedChoice {
            seed: DEFAULT_SEED,
            warning: None,
        },
        Some(raw) => match raw.trim().parse::<u64>() {
            Ok(seed) => SeedChoice {
                seed,
                warning: None,
            },
            Err(_) => SeedChoice {
                seed: DEFAULT_SEED,
                warning: Some(format!(
                    "\u{201c}seed={raw}\u{201d} is not a whole number from 0 to {}; \
                     running with seed {DEFAULT_SEED} instead.",
                    u64::MAX
                )),
            },
        },
    }
}

/// Everything the URL can set: `?seed=N&size=N&speed=F&example=NAME&paused&prevote&checkquorum&fastbacktrack&batching=off&crash`.
#[derive(Clone, Debug, PartialEq)]
pub struct UrlOptions {
    pub seed: SeedChoice,
    pub nodes: usize,
    pub speed_pos: i32,
    pub example: Option<Example>,
    pub paused: bool,
    /// `?prevote&checkquorum&fastbacktrack&batching=off`.
    pub switches: Switches,
    /// `?crash`: panic on the first frame, to check the crash box.
    pub crash: bool,
}

/// Reads every option; anything unusable falls back to its default.
pub fn parse_options(search: &str) -> UrlOptions {
    UrlOptions {
        seed: parse_seed(search),
        nodes: query_param(search, "size")
            .and_then(|s| s.parse::<usize>().ok())
            .map_or(DEFAULT_NODES, |n| n.clamp(1, MAX_NODES)),
        speed_pos: query_param(search, "speed")
            .and_then(|s| s.parse::<f64>().ok())
            .and_then(speed_pos_for)
            .unwrap_or(DEFAULT_SPEED_POS),
        example: query_param(search, "example").and_then(Example::parse),
        paused: query_param(search, "paused").is_some(),
        switches: Switches {
            pre_vote: query_param(search, "prevote").is_some(),
            check_quorum: query_param(search, "checkquorum").is_some(),
            fast_backtrack: query_param(search, "fastbacktrack").is_some(),
            batching: !matches!(
                query_param(search, "batching"),
                Some("off" | "0" | "false" | "no")
            ),
        },
        crash: query_param(search, "crash").is_some(),
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
    pub role: &'static str,
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
                Some((elapsed, timeout)) if n.alive && n.role != "leader" => {
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
    /// Protocol switches: the run starts again with them.
    SetSwitches(Switches),
    /// Partition editor: put this server in group B (`true`) or A (`false`).
    SetGroup(u64, bool),
    /// Cut the cluster into the editor's groups A and B.
    Split,
    /// Network sliders: the run starts again with them.
    SetNet(NetSettings),
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
    pub example: bool,
    /// The guided tour's caption, while the tour runs and is not dismissed.
    pub tour: Option<tour::TourCaption>,
    pub switches: Switches,
    pub net: NetSettings,
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

/// The page's state: the simulation, the clock that drives it and the UI state.
#[derive(Clone, Debug)]
pub struct Playground {
    seed: u64,
    sim: Sim,
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
        let mut pg = Self {
            seed: setup.seed,
            sim: Sim::new(setup),
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
        if setup.example == Some(Example::Backtracking) {
            pg.say("Worked example (\u{a7}5.3): leader S1 has [1:1, 2:3, 3:3], follower S2 has [1:1, 2:1]".into());
        }
        pg
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
        self.seed = setup.seed;
        self.sim = Sim::new(setup);
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
                    self.say(format!("Step: {what}"));
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
                self.replace_sim(self.sim.setup());
                self.say("Reset: the run starts again from the same seed".into());
            }
            Msg::SetSize(n) => {
                let mut setup = self.sim.setup();
                setup.nodes = n.clamp(1, MAX_NODES);
                setup.example = None;
                self.replace_sim(setup);
                self.say(format!("New cluster of {} servers", setup.nodes));
            }
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
                let mut setup = self.sim.setup();
                setup.example = Some(Example::Tour);
                self.replace_sim(setup);
                self.tour_dismissed = false;
                self.playing = true;
                self.say("The tour starts: watch the caption above the cluster".into());
            }
            Msg::DismissTour => self.tour_dismissed = true,
            Msg::ReducedMotion(on) => self.reduced_motion = on,
            Msg::SetSwitches(switches) => {
                let mut setup = self.sim.setup();
                setup.switches = switches;
                self.replace_sim(setup);
                let on = |b: bool| if b { "on" } else { "off" };
                self.say(format!(
                    "Restarted with PreVote {}, CheckQuorum {}, fast backtracking {}, batching {}",
                    on(switches.pre_vote),
                    on(switches.check_quorum),
                    on(switches.fast_backtrack),
                    on(switches.batching)
                ));
            }
            Msg::SetGroup(id, in_b) => {
                self.group_b.retain(|&x| x != id);
                if in_b && self.sim.view().nodes.iter().any(|n| n.id == id) {
                    self.group_b.push(id);
                    self.group_b.sort_unstable();
                }
            }
            Msg::Split => self.split(),
            Msg::SetNet(net) => {
                let net = net.clamped();
                let mut setup = self.sim.setup();
                setup.net = net;
                self.replace_sim(setup);
                self.say(format!(
                    "Restarted with latency {}\u{2013}{} ms, loss {}%, duplication {}%, reordering {}%",
                    net.latency_us().0 as f64 / 1_000.0,
                    net.latency_ms,
                    net.loss_pct,
                    net.dup_pct,
                    net.reorder_pct
                ));
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
        Frame {
            seed: self.seed,
            now_us: now,
            horizon_us: self.sim.horizon_us(),
            playing: self.playing,
            speed_pos: self.speed_pos,
            speed_label: speed_label(self.speed_pos),
            nodes: self.sim.initial_nodes(),
            example: setup.example.is_some(),
            tour: (setup.example == Some(Example::Tour) && !self.tour_dismissed)
                .then(|| tour::TourCaption::new(&view)),
            switches: setup.switches,
            net: setup.net,
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
                let role = ring
                    .nodes
                    .iter()
                    .find(|n| n.id == id)
                    .map_or("", |n| n.role);
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
pub fn panic_report(message: &str, location: Option<&str>, seed: u64, now_us: u64) -> String {
    let place = location.map(|l| format!(" ({l})")).unwrap_or_default();
    format!(
        "The simulation stopped with an internal error: {message}{place}.\n\
         It happened with seed {seed} at simulated time {}. \
         To reproduce it, open this page with ?seed={seed} and wait that long; \
         please include that link when you report it.",
        format_sim_time(now_us)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn seed_defaults_when_missing() {
        assert_eq!(
            parse_seed(""),
            SeedChoice {
                seed: DEFAULT_SEED,
                warning: None
            }
        );
    }

    #[test]
    fn seed_is_read_from_the_url() {
        assert_eq!(parse_seed("?x=1&seed=18446744073709551615").seed, u64::MAX);
        assert_eq!(parse_seed("?seed=42").warning, None);
    }

    #[test]
    fn bad_seed_falls_back_with_a_message() {
        for bad in [
            "?seed=abc",
            "?seed=",
            "?seed=-1",
            "?seed=18446744073709551616",
        ] {
            let choice = parse_seed(bad);
            assert_eq!(choice.seed, DEFAULT_SEED, "{bad}");
            let warning = choice.warning.expect(bad);
            assert!(warning.contains("running with seed 1"), "{warning}");
        }
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
    fn url_options_have_defaults_and_bounds() {
        let o = parse_options("");
        assert_eq!(
            (o.nodes, o.speed_pos, o.example, o.paused),
            (5, DEFAULT_SPEED_POS, None, false)
        );
        let o = parse_options("?seed=3&size=12&speed=1&example=backtracking&paused&prevote");
        assert!(o.switches.pre_vote && !o.switches.check_quorum);
        assert_eq!(o.seed.seed, 3);
        assert_eq!(o.nodes, MAX_NODES);
        assert_eq!(o.speed_pos, 0);
        assert_eq!(o.example, Some(Example::Backtracking));
        assert!(o.paused);
        assert!(
            o.switches.batching,
            "batching is on unless the URL says off"
        );
        assert!(!parse_options("?batching=off").switches.batching);
        assert!(parse_options("?batching=on").switches.batching);
        assert_eq!(parse_options("?size=0").nodes, 1);
        assert_eq!(parse_options("?speed=fast").speed_pos, DEFAULT_SPEED_POS);
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

    fn leader(f: &Frame) -> Option<(u64, u64)> {
        f.ring
            .nodes
            .iter()
            .find(|n| n.alive && n.role == "leader")
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
        assert_eq!((d.x, d.y, d.reason), (m.x, m.y, "manual"));
        assert!(
            f.narration().starts_with("You dropped"),
            "{}",
            f.narration()
        );
        // Its arrow in the space-time diagram now ends in a loss.
        let a = f.spacetime.arrows.iter().find(|a| a.id == m.id).unwrap();
        assert_eq!((a.fate, a.reason), ("lost", Some("manual")));
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
            f.ring.dropped.iter().any(|d| d.reason == "loss")
        });
        let d = f.ring.dropped.iter().find(|d| d.reason == "loss").unwrap();
        // Lost as it was sent: the cross is at the sender's end of its link.
        let a = f.spacetime.arrows.iter().find(|a| a.id == d.id).unwrap();
        let from = &f.ring.nodes[a.from as usize - 1];
        let to = &f.ring.nodes[a.to as usize - 1];
        let start = ring::message_point((from.x, from.y), (to.x, to.y), from.r, 0.0);
        assert_eq!((d.x, d.y), start);
        assert_eq!((a.fate, a.reason), ("lost", Some("loss")));
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
        assert_eq!(d.reason, "crashed");
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
                (r.kind, r.from, r.to, "inflight")
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
        assert_eq!((i.role, i.current_term), ("leader", term));
        assert_eq!(i.progress.len(), 2);
        assert_eq!(i.voted_for, format!("S{id}"));
        assert_eq!(i.timer, "\u{2014}");
        assert!(i.configuration.contains('1'), "{}", i.configuration);
    }

    #[test]
    fn the_backtracking_example_steps_next_index_back() {
        let setup = Setup {
            example: Some(Example::Backtracking),
            ..Setup::new(1, 5)
        };
        let mut pg = Playground::new(setup, 0, false);
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
            o.role, "leader",
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
            let leaders = f.ring.nodes.iter().filter(|n| n.role == "leader").count();
            let c = f.ring.nodes[0].commit;
            leaders == 1 && f.ring.nodes.iter().all(|n| n.commit == c) && c > old_commit
        });
        assert!(f.ring.links.iter().all(|l| !l.cut));
        assert_eq!(
            f.ring.nodes.iter().filter(|n| n.role == "leader").count(),
            1
        );
        // Resizing keeps only servers that still exist in the draft.
        pg.update(Msg::SetSize(1));
        assert_eq!(pg.frame().groups, vec![(1, old == 1 || buddy == 1)]);
    }

    #[test]
    fn network_sliders_restart_the_run_with_the_new_network() {
        let mut pg = playground(3);
        play_until(&mut pg, 300_000, |_| false);
        pg.update(Msg::SetNet(NetSettings {
            latency_ms: 1,
            loss_pct: 50,
            dup_pct: 10,
            reorder_pct: 20,
        }));
        let f = pg.frame();
        assert_eq!(f.now_us, 0);
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
        let text = panic_report("index out of bounds", Some("src/x.rs:3:9"), 42, 1_500_000);
        assert!(
            text.contains("index out of bounds (src/x.rs:3:9)"),
            "{text}"
        );
        assert!(text.contains("?seed=42"), "{text}");
        assert!(text.contains("1.500 s"), "{text}");
    }
}

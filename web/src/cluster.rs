//! Where the page's cluster comes from.
//!
//! The page sees the simulation only through [`Sim`] and the plain data of
//! [`WorldView`], so `raft_sim` is wired in here and nowhere else. Time travel
//! goes through `raft_sim::timeline::Timeline`: every action taken by hand is
//! logged there, so rewinding replays it and acting in the past forks.

use raft_core::{EntryData, MessageKind, Role};
use raft_sim::client::Outcome;
use raft_sim::journal::MarkKind;
use raft_sim::library;
pub use raft_sim::link::{LinkSetup, RunLink};
use raft_sim::scenario::{evaluate, Check, Scenario, TimedAction};
use raft_sim::timeline::Timeline;
use raft_sim::{Action, ActionError, NextEvent, Payload, Switch, World, WorldConfig};

/// Largest cluster the page offers (the ring stays readable up to 9).
pub const MAX_NODES: usize = 9;
/// Servers in the page's cluster unless the URL says otherwise.
pub const DEFAULT_NODES: usize = 5;

/// Network latency on the page: 10-20 ms per hop, so at the default speed
/// (1/100, `view_model::clock::DEFAULT_SPEED_POS`) a message stays on screen
/// 1-2 s of real time, long enough to click; a round trip (at most 40 ms)
/// is still well under the 150-300 ms election timeout and the 50 ms
/// heartbeat interval (broadcastTime << electionTimeout, §5.6).
const PAGE_LATENCY_US: (u64, u64) = (10_000, 20_000);
/// Checkpoints kept for rewinding, and how far apart.
const CHECKPOINTS: usize = 48;
const CHECKPOINT_EVERY_US: u64 = 250_000;
/// Core events kept for narration and the inspector's "why".
const RECENT_EVENTS: usize = 128;
/// Message lives and role marks kept for the space-time diagram (`raft_sim::journal`).
const JOURNAL: usize = 1_000;

/// Protocol switches the page offers (`raft_sim::Switch`); flipping one is a
/// recorded action: the run goes on under the new rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Switches {
    /// Pre-vote before disrupting the cluster with a new term (dissertation §9.6).
    pub pre_vote: bool,
    /// A leader steps down without a quorum for an election timeout (§6.2).
    pub check_quorum: bool,
    /// Skip a whole conflicting term per rejection instead of one index (end of §5.3).
    pub fast_backtrack: bool,
    /// Batching (dissertation §10.2.2): on, up to 64 entries per AppendEntries; off, one.
    pub batching: bool,
    /// Pipelining (dissertation §10.2.2): on, up to 8 AppendEntries in flight per follower; off, one.
    pub pipelining: bool,
    /// Reads served on the leader's lease (§6.4.1; needs CheckQuorum) instead
    /// of ReadIndex's heartbeat round.
    pub lease_read: bool,
}

impl Default for Switches {
    fn default() -> Self {
        Switches {
            pre_vote: false,
            check_quorum: false,
            fast_backtrack: false,
            batching: true,
            pipelining: true,
            lease_read: false,
        }
    }
}

impl Switches {
    /// The switches as the servers' settings have them.
    pub fn of(c: &raft_core::Config) -> Switches {
        Switches {
            pre_vote: Switch::PreVote.is_on(c),
            check_quorum: Switch::CheckQuorum.is_on(c),
            fast_backtrack: Switch::FastBacktrack.is_on(c),
            batching: Switch::Batching.is_on(c),
            pipelining: Switch::Pipelining.is_on(c),
            lease_read: Switch::LeaseRead.is_on(c),
        }
    }

    /// The actions that turn `self` into `next`, one per switch that differs
    /// (lease reads off before CheckQuorum goes off: leases need it, §6.4.1).
    pub fn actions_to(self, next: Switches) -> Vec<Action> {
        let lease_off = self.lease_read && !next.lease_read;
        [
            (
                Switch::LeaseRead,
                self.lease_read,
                self.lease_read && !lease_off,
            ),
            (Switch::PreVote, self.pre_vote, next.pre_vote),
            (Switch::CheckQuorum, self.check_quorum, next.check_quorum),
            (
                Switch::FastBacktrack,
                self.fast_backtrack,
                next.fast_backtrack,
            ),
            (Switch::Batching, self.batching, next.batching),
            (Switch::Pipelining, self.pipelining, next.pipelining),
            (
                Switch::LeaseRead,
                self.lease_read && !lease_off,
                next.lease_read,
            ),
        ]
        .into_iter()
        .filter(|(_, was, is)| was != is)
        .map(|(switch, _, on)| Action::SetSwitch { switch, on })
        .collect()
    }
}

/// The network sliders. Moving one is a recorded action (`Action::SetNetwork`):
/// the run goes on with the new network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetSettings {
    /// Longest one-hop delay in ms; the shortest is half of it.
    pub latency_ms: u64,
    /// Chance that a message between servers is lost, in percent.
    pub loss_pct: u64,
    /// Chance that a message between servers is delivered twice, in percent.
    pub dup_pct: u64,
    /// Chance that a message is held back so later ones overtake it, in percent.
    /// Otherwise links keep sending order, like TCP.
    pub reorder_pct: u64,
}

/// Slider bounds.
pub const LATENCY_MS_RANGE: (u64, u64) = (2, 100);
pub const LOSS_PCT_MAX: u64 = 90;
pub const DUP_PCT_MAX: u64 = 90;
pub const REORDER_PCT_MAX: u64 = 90;

impl Default for NetSettings {
    fn default() -> Self {
        NetSettings {
            latency_ms: PAGE_LATENCY_US.1 / 1_000,
            loss_pct: 0,
            dup_pct: 0,
            reorder_pct: 0,
        }
    }
}

impl NetSettings {
    /// Within the sliders' bounds.
    pub fn clamped(self) -> NetSettings {
        NetSettings {
            latency_ms: self
                .latency_ms
                .clamp(LATENCY_MS_RANGE.0, LATENCY_MS_RANGE.1),
            loss_pct: self.loss_pct.min(LOSS_PCT_MAX),
            dup_pct: self.dup_pct.min(DUP_PCT_MAX),
            reorder_pct: self.reorder_pct.min(REORDER_PCT_MAX),
        }
    }

    /// (min, max) one-hop latency in µs.
    pub fn latency_us(self) -> (u64, u64) {
        let max = self.clamped().latency_ms * 1_000;
        (max / 2, max)
    }

    /// The network as the world has it (rounded to the sliders' units).
    pub fn of(c: &raft_sim::NetworkConfig) -> NetSettings {
        NetSettings {
            latency_ms: c.latency_max_us.div_ceil(1_000),
            loss_pct: c.loss_ppm / 10_000,
            dup_pct: c.dup_ppm / 10_000,
            reorder_pct: c.reorder_ppm / 10_000,
        }
    }

    /// The action that sets the network to these sliders: reordering holds a
    /// message back by up to two trips, so later ones overtake it.
    pub fn action(self) -> Action {
        let net = self.clamped();
        let (min_us, max_us) = net.latency_us();
        Action::SetNetwork {
            latency_min_us: Some(min_us),
            latency_max_us: Some(max_us),
            loss_pct: Some(net.loss_pct as u32),
            dup_pct: Some(net.dup_pct as u32),
            reorder_pct: Some(net.reorder_pct as u32),
            reorder_max_us: Some(2 * max_us),
        }
    }
}

/// What a run starts from: a seed and a setup (the page's own cluster, a
/// scenario of the library, or a loaded file). Everything after is an action.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    pub seed: u64,
    pub kind: LinkSetup,
}

impl Setup {
    /// The page's own cluster of `nodes` servers.
    pub fn new(seed: u64, nodes: usize) -> Setup {
        Setup {
            seed,
            kind: LinkSetup::Playground {
                nodes: nodes.clamp(1, MAX_NODES),
            },
        }
    }

    /// The library's scenario `name`.
    pub fn scenario(seed: u64, name: &str) -> Setup {
        Setup {
            seed,
            kind: LinkSetup::Scenario { name: name.into() },
        }
    }

    /// The library scenario's name, if this is one.
    pub fn scenario_name(&self) -> Option<&str> {
        match &self.kind {
            LinkSetup::Scenario { name } => Some(name),
            _ => None,
        }
    }

    /// The scenario this setup describes: the page's own cluster is a scenario
    /// too (see [`playground_scenario`]).
    pub fn to_scenario(&self) -> Result<Scenario, String> {
        match &self.kind {
            LinkSetup::Playground { nodes } => Ok(playground_scenario(*nodes)),
            LinkSetup::Scenario { name } => library::find(name)
                .ok_or_else(|| format!("there is no scenario called \u{201c}{name}\u{201d}"))?
                .scenario()
                .map_err(|e| e.to_string()),
            LinkSetup::File { scenario } => Ok((**scenario).clone()),
        }
    }
}

/// The page's own cluster as a scenario: `nodes` servers, the spares up to
/// [`MAX_NODES`] ready to be added, one client that sends only when asked, and
/// links that keep order like TCP with the page's latency.
pub fn playground_scenario(nodes: usize) -> Scenario {
    let nodes = nodes.clamp(1, MAX_NODES);
    let mut s =
        Scenario::parse(r#"{"nodes": 1}"#, "playground").expect("a minimal scenario parses");
    s.name = "playground".into();
    s.title = raft_sim::scenario::Localized {
        en: format!("{nodes} servers"),
        zh: Some(format!("{nodes} 台服务器")),
    };
    s.nodes = nodes;
    s.spare_nodes = MAX_NODES - nodes;
    let (min_us, max_us) = PAGE_LATENCY_US;
    s.network.latency_min_ms = min_us as f64 / 1_000.0;
    s.network.latency_max_ms = max_us as f64 / 1_000.0;
    s.network.reorder_max_ms = 2.0 * max_us as f64 / 1_000.0;
    s.network.fifo = true;
    s.clients.count = 1;
    s.until_ms = 60_000;
    s
}

/// What the page keeps besides the run itself: the journal and recent events
/// it draws from. None of it changes the run.
fn page_settings(cfg: &mut WorldConfig) {
    cfg.recent_events = RECENT_EVENTS;
    cfg.journal = JOURNAL;
}

/// One log entry as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryView {
    pub index: u64,
    pub term: u64,
    /// `noop`, `cmd 1.3` or `config`.
    pub label: String,
}

/// What a leader knows of one follower (Figure 2, volatile state on leaders).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressView {
    pub follower: u64,
    pub next_index: u64,
    pub match_index: u64,
    pub state: &'static str,
}

/// One server as the page sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub id: u64,
    pub role: Role,
    pub term: u64,
    pub alive: bool,
    /// Shut down by the world once a committed configuration left it out
    /// (dissertation §4.2.3); it keeps its state and runs again if added back.
    pub retired: bool,
    pub commit: u64,
    pub last_applied: u64,
    pub snapshot_index: u64,
    /// The term of the entry the snapshot ends at (0 without a snapshot).
    pub snapshot_term: u64,
    pub voted_for: Option<u64>,
    pub leader_id: Option<u64>,
    /// Entries after the snapshot (for a crashed server: what it persisted).
    pub log: Vec<EntryView>,
    /// Leader only: one per follower.
    pub progress: Vec<ProgressView>,
    /// Candidates: who answered, and whether they granted.
    pub votes: Vec<(u64, bool)>,
    /// Ticks since the election timer was reset, and its timeout (running servers).
    pub timer: Option<(u32, u32)>,
    pub configuration: String,
}

/// A Raft message in flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageView {
    pub id: u64,
    pub kind: MessageKind,
    pub from: u64,
    pub to: u64,
    pub sent_at: u64,
    pub deliver_at: u64,
    pub term: u64,
    /// Replies: granted / accepted or not.
    pub success: Option<bool>,
    /// One line, e.g. `1->2 AppendEntries Term:8 Log:6/9 Commit:9`.
    pub summary: String,
    /// Held where it was at this time (µs): it arrives only once released.
    pub held_at: Option<u64>,
}

/// A core event with where and when it happened.
pub type CoreEvent = raft_sim::CoreEvent;

/// One message's life from the world's journal: sent, then in flight,
/// delivered or lost (and why). Client traffic is `Traffic::Client...`.
pub type MessageLife = raft_sim::journal::MessageRecord;
pub use raft_sim::journal::{Answer, AttemptEvent, ClientStep, LossReason, MessageFate, Traffic};

/// Something that happened to one server, for its lane in the space-time diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneMark {
    pub t: u64,
    pub node: u64,
    pub kind: LaneMarkKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneMarkKind {
    /// Became `role` in `term`; also on (re)start.
    Role {
        role: Role,
        term: u64,
    },
    Crash,
    Restart,
}

/// The part of the world's journal that a picture of the recent past needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JournalView {
    /// Messages still in flight or whose life ended at or after `since`, oldest sent first.
    pub messages: Vec<MessageLife>,
    /// Every mark kept, oldest first.
    pub marks: Vec<LaneMark>,
}

/// The world at one instant, as plain data.
#[derive(Clone, Debug, PartialEq)]
pub struct WorldView {
    pub now_us: u64,
    pub nodes: Vec<NodeView>,
    pub messages: Vec<MessageView>,
    /// Directed links that are cut (partition or isolation).
    pub cuts: Vec<(u64, u64)>,
    pub violations: Vec<String>,
    /// Recent core events, oldest first.
    pub events: Vec<CoreEvent>,
    /// How the servers' disks behave (chapter 12).
    pub disk: raft_sim::disk::DiskConfig,
    /// The leader's commits over the last simulated second.
    pub commit: raft_sim::throughput::CommitSummary,
}

/// The cluster's configuration as the page shows it (§6), and the spare servers.
///
/// Servers can disagree while a change is under way; the page shows the
/// configuration of the leader (the latest in its log), or without a leader,
/// of the running server with the most up-to-date log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MembershipView {
    /// C_new during joint consensus; otherwise the voters.
    pub voters: Vec<u64>,
    /// C_old during joint consensus; empty otherwise.
    pub outgoing: Vec<u64>,
    pub learners: Vec<u64>,
    /// Whose configuration this is (`None`: no server has one yet).
    pub seen_by: Option<u64>,
    pub seen_by_leader: bool,
    /// The configuration's entry is in `seen_by`'s log but not committed yet.
    pub uncommitted: bool,
    /// Servers that were never part of the cluster: outside the configuration,
    /// with an empty log and term 0 (`WorldConfig::spare_nodes`).
    pub spares: Vec<u64>,
}

impl MembershipView {
    pub fn is_joint(&self) -> bool {
        !self.outgoing.is_empty()
    }
    pub fn is_voter(&self, id: u64) -> bool {
        self.voters.contains(&id) || self.outgoing.contains(&id)
    }
    pub fn contains(&self, id: u64) -> bool {
        self.is_voter(id) || self.learners.contains(&id)
    }
}

/// One server's applied key-value store (its state machine, §8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreView {
    pub id: u64,
    pub alive: bool,
    pub last_applied: u64,
    /// Key-value pairs in key order; empty for a crashed server (the world drops
    /// a crashed server's state machine; it is rebuilt from the log on restart).
    pub data: Vec<(String, String)>,
}

/// A client request or a server's reply to it, from the world's journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientMsgView {
    pub id: u64,
    /// The operation's request id (the same over retries, §8).
    pub req: u64,
    /// `true`: client -> server (`ClientRequest`); `false`: the reply.
    pub request: bool,
    pub server: u64,
    pub sent_at: u64,
    pub deliver_at: u64,
    pub fate: MessageFate,
    /// Replies: answered (`true`) or redirected (`false`).
    pub success: Option<bool>,
    /// What it carries: the operation, or the answer (a result or a redirect).
    pub kind: Traffic,
}

/// One operation of a client, from the world's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientOpView {
    pub req: u64,
    /// `put x=1`, `get x`, `append x+=1`.
    pub op: String,
    pub invoked_at: u64,
    /// `None` while it waits; else when it finished and how (never `Outcome::Invoke`).
    pub outcome: Option<(u64, Outcome)>,
}

/// A client as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientView {
    pub id: u64,
    /// The server it believes leads (§8), where its next attempt goes.
    pub leader_guess: Option<u64>,
    /// The request it waits on, and how many attempts it has made.
    pub current: Option<(u64, u32)>,
    /// Operations waiting for the current one to finish.
    pub queued: Vec<String>,
    pub ops: Vec<ClientOpView>,
    /// Its requests and the replies, oldest first (as far back as the journal reaches).
    pub messages: Vec<ClientMsgView>,
    /// Its attempts and timeouts, oldest first (as far back as the journal reaches).
    pub steps: Vec<ClientStep>,
}

/// A scenario's expectation as the page tracks it: checked when the run
/// passes its time.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectationView {
    pub at_us: u64,
    pub check: Check,
    /// `None` until the run reaches `at_us`; then whether it held (or what was seen).
    pub outcome: Option<Result<(), String>>,
}

/// The running simulation with its past: a `raft_sim` timeline of the
/// setup's scenario, and the actions taken since.
#[derive(Clone, Debug)]
pub struct Sim {
    setup: Setup,
    scenario: Scenario,
    timeline: Timeline,
    /// The furthest time reached on this branch (the scrubber's end).
    horizon_us: u64,
    expectations: Vec<ExpectationView>,
}

impl Sim {
    /// A new run of `setup`, or why it cannot start (a loaded file with settings
    /// the world refuses).
    pub fn try_new(setup: Setup) -> Result<Sim, String> {
        let scenario = setup.to_scenario()?;
        let timeline =
            scenario.timeline(setup.seed, CHECKPOINTS, CHECKPOINT_EVERY_US, page_settings)?;
        let mut expectations: Vec<ExpectationView> = scenario
            .expect
            .iter()
            .map(|e| ExpectationView {
                at_us: (e.at_ms * 1_000.0).round().max(0.0) as u64,
                check: e.check.clone(),
                outcome: None,
            })
            .collect();
        expectations.sort_by_key(|e| e.at_us);
        let mut sim = Sim {
            setup,
            scenario,
            timeline,
            horizon_us: 0,
            expectations,
        };
        sim.check_expectations();
        Ok(sim)
    }

    /// A new run of `setup`; the page's own cluster when `setup` cannot start.
    pub fn new(setup: Setup) -> Sim {
        let seed = setup.seed;
        Sim::try_new(setup).unwrap_or_else(|_| {
            Sim::try_new(Setup::new(seed, DEFAULT_NODES)).expect("the page's own cluster starts")
        })
    }

    /// The run a link describes, at the moment it shows.
    pub fn from_link(link: &RunLink) -> Result<Sim, String> {
        let mut sim = Sim::try_new(Setup {
            seed: link.seed,
            kind: link.setup.clone(),
        })?;
        for a in &link.actions {
            sim.timeline.push_action(a.clone())?;
        }
        sim.timeline.run_to(link.now_us, link.now_events);
        sim.horizon_us = sim.now_us();
        sim.check_expectations();
        Ok(sim)
    }

    /// This run as a link: the setup, every action on this branch (the future
    /// after a rewind included), and the moment shown.
    pub fn link(&self, paused: bool) -> RunLink {
        RunLink {
            setup: self.setup.kind.clone(),
            seed: self.setup.seed,
            actions: self.timeline.actions().collect(),
            now_us: self.now_us(),
            now_events: self.world().events_processed(),
            paused,
        }
    }

    /// This run as a scenario file: the setup's scenario with the actions taken
    /// on the page appended (with `after_events`, so `raft-sim run` replays them
    /// exactly), run up to now. Expectations are kept only for an untouched run.
    pub fn export_scenario(&self) -> Scenario {
        let mut s = self.scenario.clone();
        s.seed = self.setup.seed;
        s.until_ms = self.now_us().div_ceil(1_000).max(1);
        let recorded: Vec<TimedAction> = self
            .timeline
            .actions()
            .take(self.timeline.actions_applied())
            .map(|a| TimedAction {
                at_ms: a.t as f64 / 1_000.0,
                after_events: Some(a.events),
                action: a.action,
            })
            .collect();
        if !recorded.is_empty() {
            s.expect.clear();
        }
        s.actions.extend(recorded);
        s
    }

    /// The JSON Lines trace of the run [`Sim::export_scenario`] describes, to
    /// its end (now, rounded up to a whole millisecond): replayed with the trace
    /// on (the page does not keep one as it plays), so `raft-sim run` of the
    /// exported scenario writes the same trace.
    pub fn export_trace(&self) -> Result<String, String> {
        let scenario = self.export_scenario();
        let mut timeline = scenario.timeline(self.setup.seed, 2, u64::MAX / 4, |cfg| {
            page_settings(cfg);
            cfg.trace = true;
        })?;
        timeline.run_until(scenario.until_ms * 1_000);
        Ok(timeline.world().trace().to_string())
    }

    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// The scenario the run started from (for the page's own cluster, [`playground_scenario`]).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The scenario's expectations, in time order, with what the run showed so far.
    pub fn expectations(&self) -> &[ExpectationView] {
        &self.expectations
    }

    /// Actions taken by hand on this branch up to now.
    pub fn actions_taken(&self) -> usize {
        self.timeline.actions_applied()
    }

    pub fn world(&self) -> &World {
        self.timeline.world()
    }

    pub fn now_us(&self) -> u64 {
        self.world().now_us()
    }

    pub fn horizon_us(&self) -> u64 {
        self.horizon_us.max(self.now_us())
    }

    /// Checks every expectation whose time is now or past and not yet checked.
    /// Called at exactly each expectation's time (see `run_until`).
    fn check_expectations(&mut self) {
        let now = self.now_us();
        let world = self.timeline.world();
        for e in &mut self.expectations {
            if e.outcome.is_none() && e.at_us <= now {
                e.outcome = Some(evaluate(world, &e.check));
            }
        }
    }

    /// The next unchecked expectation time in `(now, t]`.
    fn next_expectation(&self, t: u64) -> Option<u64> {
        let now = self.now_us();
        self.expectations
            .iter()
            .find(|e| e.outcome.is_none() && e.at_us > now && e.at_us <= t)
            .map(|e| e.at_us)
    }

    /// Runs forward to `t_us` (replaying logged actions when in the past),
    /// stopping at each expectation's time to check it.
    pub fn run_until(&mut self, t_us: u64) {
        while let Some(at) = self.next_expectation(t_us) {
            self.timeline.run_until(at);
            self.check_expectations();
        }
        if t_us > self.now_us() {
            self.timeline.run_until(t_us);
        }
        self.horizon_us = self.horizon_us.max(self.now_us());
    }

    /// Goes to the next event a person can see, and stops just after it: a
    /// message sent or arriving (client traffic too), a role or term change,
    /// an entry appended, committed or applied, a crash or restart, a recorded
    /// action (see `raft_sim::step`). Clock ticks that change nothing visible
    /// pass silently; after `raft_sim::step::SEARCH_US` of simulated time
    /// without anything visible it gives up (`visible: false`). `None` when
    /// nothing is left to do.
    pub fn step(&mut self) -> Option<raft_sim::step::Stepped> {
        raft_sim::step::step_visible(self, Sim::world, Sim::step_tick, raft_sim::step::SEARCH_US)
    }

    /// Processes exactly one event (or one logged action when replaying) and
    /// says what it was; `None` when nothing is left to do.
    ///
    /// Clock ticks of spare servers (outside the cluster, not drawn on the ring)
    /// are processed on the way without counting as the step; when nothing
    /// else is left (every server of the cluster down), the spare tick
    /// `raft_sim::step::SEARCH_US` later is the step, so this returns.
    pub fn step_tick(&mut self) -> Option<NextEvent> {
        let spares = self.membership().spares;
        let give_up_us = self.now_us().saturating_add(raft_sim::step::SEARCH_US);
        loop {
            if let Some(next) = self.world().next_event_us() {
                // An expectation due before the next event is checked at its time.
                if let Some(at) = self.next_expectation(next.saturating_sub(1)) {
                    self.timeline.run_until(at);
                    self.check_expectations();
                }
            }
            let (what, spare_tick) = match self.timeline.logged_action_due() {
                Some(action) => (
                    NextEvent::Scheduled {
                        action: action.clone(),
                    },
                    false,
                ),
                None => match self.world().next_event()? {
                    NextEvent::Tick { node } => (NextEvent::Tick { node }, spares.contains(&node)),
                    what => (what, false),
                },
            };
            if !self.timeline.step_one() {
                return None;
            }
            self.horizon_us = self.horizon_us.max(self.now_us());
            if !spare_tick || self.now_us() >= give_up_us {
                return Some(what);
            }
        }
    }

    /// Goes to time `t_us` on this branch.
    pub fn rewind(&mut self, t_us: u64) {
        self.timeline.rewind(t_us.min(self.horizon_us()));
        let now = self.now_us();
        for e in &mut self.expectations {
            if e.at_us > now {
                e.outcome = None;
            }
        }
    }

    /// Does `action` now. In the past this forks: the old future is discarded.
    /// An action the world refuses changes nothing (the future stays).
    pub fn act(&mut self, action: Action) -> Result<(), ActionError> {
        self.timeline.apply(action)?;
        self.horizon_us = self.now_us();
        // A new future: what it will show is not known yet.
        let now = self.now_us();
        for e in &mut self.expectations {
            if e.at_us > now {
                e.outcome = None;
            }
        }
        Ok(())
    }

    /// About how many messages were sent in the simulated second before `now_us`. The
    /// journal keeps only the most recent ones (in the order sent): when it is full and
    /// they span less than that second, their rate over the time they span is scaled up
    /// to it.
    pub fn messages_sent_last_second(&self, now_us: u64) -> usize {
        let since = now_us.saturating_sub(1_000_000);
        let journal = self.world().journal();
        let (mut count, mut oldest) = (0_u64, now_us);
        for m in journal.messages().rev().take_while(|m| m.sent_at >= since) {
            count += 1;
            oldest = m.sent_at;
        }
        let cut_short = journal.messages_full()
            && journal
                .messages()
                .next()
                .is_some_and(|m| m.sent_at >= since);
        let span = now_us.saturating_sub(oldest);
        if cut_short && span > 0 && span < 1_000_000 {
            (count * 1_000_000 / span) as usize
        } else {
            count as usize
        }
    }

    /// The journal from `since_us` on (see [`JournalView`]). After a rewind
    /// it is the past's journal: the journal is part of the world.
    pub fn journal(&self, since_us: u64) -> JournalView {
        let journal = self.world().journal();
        JournalView {
            messages: journal
                .messages()
                .filter(|m| match m.fate {
                    MessageFate::InFlight => true,
                    MessageFate::Delivered { t } | MessageFate::Lost { t, .. } => t >= since_us,
                })
                .cloned()
                .collect(),
            marks: journal
                .marks()
                .map(|m| LaneMark {
                    t: m.t,
                    node: m.node,
                    kind: match m.kind {
                        MarkKind::Role { role, term } => LaneMarkKind::Role { role, term },
                        // A retired server stops like a crashed one (its lane ends).
                        MarkKind::Crash | MarkKind::Retire => LaneMarkKind::Crash,
                        MarkKind::Restart => LaneMarkKind::Restart,
                    },
                })
                .collect(),
        }
    }

    /// One message's life, if the journal still has it.
    pub fn message_life(&self, id: u64) -> Option<MessageLife> {
        self.world()
            .journal()
            .messages()
            .rev()
            .find(|m| m.id == id)
            .cloned()
    }

    /// Everything the page draws, as plain data. Spare servers (see
    /// [`Sim::membership`]) are left out: they are drawn apart.
    pub fn view(&self) -> WorldView {
        let world = self.world();
        let spares = world.spares();
        let ids: Vec<u64> = world.nodes().map(|n| n.id).collect();
        let network = world.network();
        let cuts = ids
            .iter()
            .flat_map(|&a| ids.iter().map(move |&b| (a, b)))
            .filter(|&(a, b)| a != b && network.is_cut(a, b))
            .collect();
        WorldView {
            now_us: world.now_us(),
            nodes: world
                .nodes()
                .filter(|n| !spares.contains(&n.id))
                .map(|n| node_view(world, n))
                .collect(),
            messages: world.messages().filter_map(message_view).collect(),
            cuts,
            violations: world.violations().iter().map(|v| v.to_string()).collect(),
            events: world.events().cloned().collect(),
            disk: world.disk(),
            commit: world
                .commit_stats()
                .summary(world.now_us().saturating_sub(1_000_000), world.now_us() + 1),
        }
    }

    /// The configuration the page shows, and the spare servers.
    pub fn membership(&self) -> MembershipView {
        let world = self.world();
        let r = world.shown_configuration();
        let set = |s: &std::collections::BTreeSet<u64>| s.iter().copied().collect::<Vec<u64>>();
        MembershipView {
            voters: set(&r.config.voters),
            outgoing: set(&r.config.voters_outgoing),
            learners: set(&r.config.learners),
            seen_by: r.seen_by,
            seen_by_leader: r.leader,
            uncommitted: r.uncommitted,
            spares: world.spares(),
        }
    }

    /// Every server's applied store, spares left out.
    pub fn stores(&self) -> Vec<StoreView> {
        let world = self.world();
        let spares = world.spares();
        world
            .nodes()
            .filter(|n| !spares.contains(&n.id))
            .filter_map(|n| world.node(n.id))
            .map(|node| StoreView {
                id: node.id,
                alive: node.alive(),
                last_applied: node.raft().map_or(0, |r| r.last_applied()),
                data: node
                    .kv
                    .data
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            })
            .collect()
    }

    /// Client `id`: its operations (history), its traffic (journal) and its state.
    pub fn client(&self, id: u64) -> ClientView {
        let world = self.world();
        let c = world.clients().find(|c| c.id == id);
        let mut ops: Vec<ClientOpView> = Vec::new();
        for e in world.history().iter().filter(|e| e.client == id) {
            match &e.outcome {
                Outcome::Invoke => ops.push(ClientOpView {
                    req: e.req,
                    op: e.op.to_string(),
                    invoked_at: e.t,
                    outcome: None,
                }),
                done => {
                    if let Some(op) = ops.iter_mut().rev().find(|o| o.req == e.req) {
                        op.outcome = Some((e.t, done.clone()));
                    }
                }
            }
        }
        let messages = world
            .journal()
            .messages()
            // Client ids and server ids overlap: the kind says which end is the client.
            .filter(|m| match m.kind {
                Traffic::ClientRequest { .. } => m.from == id,
                Traffic::ClientReply { .. } => m.to == id,
                Traffic::Raft(_) => false,
            })
            .filter_map(|m| {
                let req = m.req?;
                let request = matches!(m.kind, Traffic::ClientRequest { .. });
                Some(ClientMsgView {
                    id: m.id,
                    req,
                    request,
                    server: if request { m.to } else { m.from },
                    sent_at: m.sent_at,
                    deliver_at: m.deliver_at,
                    fate: m.fate,
                    success: m.success,
                    kind: m.kind.clone(),
                })
            })
            .collect();
        ClientView {
            id,
            leader_guess: c.and_then(|c| c.leader_guess),
            current: c
                .and_then(|c| c.current.as_ref())
                .map(|o| (o.req, o.attempt)),
            queued: c
                .map(|c| c.queue.iter().map(|op| op.to_string()).collect())
                .unwrap_or_default(),
            ops,
            messages,
            steps: world
                .journal()
                .client_steps()
                .filter(|s| s.client == id)
                .copied()
                .collect(),
        }
    }

    /// Servers in the initial configuration (the cluster size the page was asked for).
    pub fn initial_nodes(&self) -> usize {
        self.world().config().nodes
    }
}

fn entry_view(e: &raft_core::Entry) -> EntryView {
    EntryView {
        index: e.index,
        term: e.term,
        label: match &e.data {
            EntryData::Noop => "noop".into(),
            EntryData::Command(c) => format!("cmd {}.{}", c.client, c.seq),
            EntryData::Config(_) => "config".into(),
        },
    }
}

fn node_view(world: &World, n: raft_sim::NodeView) -> NodeView {
    let node = world.node(n.id);
    let raft = node.and_then(|node| node.raft());
    let (log, (snapshot_index, snapshot_term), configuration) = match (raft, node) {
        (Some(r), _) => {
            let index = r.log().snapshot_index();
            (
                r.log().entries().iter().map(entry_view).collect(),
                (index, r.log().term(index).unwrap_or(0)),
                r.configuration().to_string(),
            )
        }
        (None, Some(node)) => {
            let meta = &node.storage.snapshot.meta;
            (
                node.storage.entries.iter().map(entry_view).collect(),
                (meta.index, meta.term),
                meta.config.to_string(),
            )
        }
        (None, None) => (Vec::new(), (0, 0), String::new()),
    };
    NodeView {
        id: n.id,
        role: n.role,
        term: n.term,
        alive: n.alive,
        retired: n.retired,
        commit: n.commit_index,
        last_applied: n.last_applied,
        snapshot_index,
        snapshot_term,
        voted_for: n.voted_for,
        leader_id: n.leader_id,
        log,
        progress: raft
            .map(|r| {
                r.progress()
                    .iter()
                    .filter(|(&id, _)| id != n.id)
                    .map(|(&follower, p)| ProgressView {
                        follower,
                        next_index: p.next_index,
                        match_index: p.match_index,
                        state: p.state.as_str(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        votes: raft
            .map(|r| r.votes().iter().map(|(&id, &g)| (id, g)).collect())
            .unwrap_or_default(),
        timer: raft.map(|r| r.election_timer()),
        configuration,
    }
}

fn message_view(m: &raft_sim::InFlight) -> Option<MessageView> {
    // Client traffic has client ids at one end: the ring draws servers only.
    let Payload::Raft(msg) = &m.payload else {
        return None;
    };
    let success = msg.body.success();
    Some(MessageView {
        id: m.id,
        kind: msg.body.kind(),
        from: m.from,
        to: m.to,
        sent_at: m.sent_at,
        deliver_at: m.deliver_at,
        term: msg.term,
        success,
        summary: msg.to_string(),
        held_at: m.held_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(nodes: usize) -> Setup {
        Setup::new(1, nodes)
    }

    #[test]
    fn the_page_cluster_elects_exactly_one_leader() {
        let mut sim = Sim::new(setup(5));
        sim.run_until(3_000_000);
        let view = sim.view();
        assert_eq!(view.nodes.len(), 5);
        let leaders: Vec<&NodeView> = view
            .nodes
            .iter()
            .filter(|n| n.role == Role::Leader)
            .collect();
        assert_eq!(leaders.len(), 1);
        assert_eq!(leaders[0].progress.len(), 4);
        assert!(view.violations.is_empty());
    }

    #[test]
    fn switches_are_actions_that_reach_every_server() {
        let mut sim = Sim::new(setup(3));
        sim.run_until(200_000);
        let on = Switches {
            pre_vote: true,
            check_quorum: true,
            fast_backtrack: true,
            batching: true,
            pipelining: true,
            lease_read: true,
        };
        let was = Switches::of(&sim.world().config().raft);
        assert_eq!(was, Switches::default());
        for a in was.actions_to(on) {
            sim.act(a).unwrap();
        }
        assert_eq!(sim.now_us(), 200_000, "no restart");
        for id in 1..=3 {
            let raft = sim.world().node(id).unwrap().raft().unwrap().config();
            assert!(raft.pre_vote && raft.check_quorum);
            assert_eq!(raft.backtrack, raft_core::Backtrack::ConflictTerm);
        }
        assert_eq!(Switches::of(&sim.world().config().raft), on);
        assert!(on.actions_to(on).is_empty());
    }

    #[test]
    fn net_settings_are_an_action_on_the_network() {
        let mut sim = Sim::new(setup(3));
        assert_eq!(NetSettings::default().latency_us(), PAGE_LATENCY_US);
        assert_eq!(
            NetSettings::of(&sim.world().network().config),
            NetSettings::default()
        );
        let c = &sim.world().network().config;
        assert!(
            c.fifo,
            "links keep order unless reordering holds a message back"
        );
        let net = NetSettings {
            latency_ms: 40,
            loss_pct: 25,
            dup_pct: 500,
            reorder_pct: 30,
        };
        sim.act(net.action()).unwrap();
        let c = &sim.world().network().config;
        assert_eq!((c.latency_min_us, c.latency_max_us), (20_000, 40_000));
        assert_eq!(c.loss_ppm, 250_000);
        assert_eq!(c.dup_ppm, DUP_PCT_MAX * 10_000, "clamped");
        assert!(c.fifo);
        assert_eq!((c.reorder_ppm, c.reorder_max_us), (300_000, 80_000));
        assert_eq!(NetSettings::of(c), net.clamped());
    }

    #[test]
    fn partition_cuts_links_between_groups_and_heal_joins_them() {
        let mut sim = Sim::new(setup(5));
        sim.run_until(100_000);
        sim.act(Action::Partition {
            clients: vec![],
            groups: vec![vec![1, 2, 3], vec![4, 5]],
        })
        .unwrap();
        let cuts = sim.view().cuts;
        assert!(cuts.contains(&(1, 4)) && cuts.contains(&(5, 3)));
        assert!(!cuts.contains(&(1, 2)) && !cuts.contains(&(4, 5)));
        sim.act(Action::Heal).unwrap();
        assert!(sim.view().cuts.is_empty());
    }

    #[test]
    fn sizes_are_clamped_to_what_the_ring_can_show() {
        assert_eq!(Sim::new(setup(0)).view().nodes.len(), 1);
        assert_eq!(Sim::new(setup(42)).view().nodes.len(), MAX_NODES);
    }

    #[test]
    fn run_until_moves_time_forward_only_and_step_tick_advances() {
        let mut sim = Sim::new(setup(3));
        sim.run_until(2_000);
        sim.run_until(1_000);
        assert_eq!(sim.now_us(), 2_000);
        assert!(sim.now_us() >= 2_000);
        // A step is one event of the cluster: spare servers' ticks pass on the way.
        let spares = sim.membership().spares;
        assert_eq!(spares, [4, 5, 6, 7, 8, 9]);
        for _ in 0..50 {
            let (events, spare_ticks_due) = (sim.world().events_processed(), {
                let w = sim.world();
                w.next_tick_node().is_some_and(|id| spares.contains(&id))
            });
            let what = sim.step_tick().unwrap();
            let done = sim.world().events_processed() - events;
            assert!(done >= 1);
            assert!(done == 1 || spare_ticks_due, "{done} events for one step");
            assert!(
                spares
                    .iter()
                    .all(|&id| what != NextEvent::Tick { node: id }),
                "{what:?}"
            );
        }
    }

    #[test]
    fn step_from_a_fresh_run_reaches_the_first_request_vote() {
        let mut sim = Sim::new(setup(DEFAULT_NODES));
        let s = sim.step().expect("something happens");
        assert!(s.visible, "{s:?}");
        let NextEvent::Tick { node } = s.what else {
            panic!("{:?}", s.what)
        };
        assert!(s.events > 1, "silent ticks passed on the way");
        let rv = Traffic::Raft(MessageKind::RequestVote);
        assert!(s.sent.len() == DEFAULT_NODES - 1 && s.sent.iter().all(|m| m.kind == rv));
        assert!(sim
            .view()
            .messages
            .iter()
            .any(|m| m.kind == MessageKind::RequestVote && m.from == node));
        assert!(sim.journal(0).messages.iter().any(|m| m.kind == rv));
        // Nothing was sent before: the step stopped at the first message.
        assert!(sim
            .journal(0)
            .messages
            .iter()
            .all(|m| m.sent_at == sim.now_us()));
    }

    #[test]
    fn every_step_changes_something_visible_and_a_tick_step_is_one_event() {
        let mut sim = Sim::new(setup(3));
        for _ in 0..300 {
            let before = sim.world().glance();
            let s = sim.step().unwrap();
            assert!(s.visible, "{s:?}");
            assert_ne!(sim.world().glance(), before, "{s:?}");
            assert!(s.events >= 1);
        }
        assert!(leader_of(&sim).is_some(), "an election within 300 steps");
        assert!(sim.horizon_us() == sim.now_us());
        let events = sim.world().events_processed();
        sim.step_tick();
        assert_eq!(sim.world().events_processed(), events + 1);
    }

    #[test]
    fn step_in_the_past_stops_at_a_logged_action_and_gives_up_on_a_dead_cluster() {
        let mut sim = Sim::new(setup(3));
        sim.run_until(100_000);
        sim.act(Action::Crash { node: 2 }).unwrap();
        sim.run_until(300_000);
        sim.rewind(95_000);
        let mut s = sim.step().unwrap();
        while !matches!(s.what, NextEvent::Scheduled { .. }) {
            assert!(sim.now_us() <= 100_000, "{s:?}");
            s = sim.step().unwrap();
        }
        assert_eq!(sim.now_us(), 100_000);
        for n in [1, 3] {
            sim.act(Action::Crash { node: n }).unwrap();
        }
        let mut steps = 0;
        while let Some(s) = sim.step() {
            if !s.visible {
                break;
            }
            steps += 1;
            assert!(steps < 50, "{s:?}");
        }
        // Only the spare servers' clocks still tick: Step gives up after a while.
        let t = sim.now_us();
        let s = sim.step().expect("spares tick");
        assert!(!s.visible, "{s:?}");
        assert!(sim.now_us() <= t + raft_sim::step::SEARCH_US + 10_000);
    }

    #[test]
    fn rewind_and_fork() {
        let mut sim = Sim::new(setup(3));
        sim.run_until(1_000_000);
        sim.rewind(400_000);
        assert_eq!(sim.now_us(), 400_000);
        assert_eq!(sim.horizon_us(), 1_000_000);
        sim.act(Action::Crash { node: 1 }).unwrap();
        assert_eq!(sim.horizon_us(), 400_000);
        assert!(!sim.view().nodes[0].alive);
    }

    #[test]
    fn messages_in_flight_are_visible_and_can_be_dropped() {
        let mut sim = Sim::new(setup(3));
        let mut t = 0;
        while sim.view().messages.is_empty() {
            t += 1_000;
            sim.run_until(t);
            assert!(t < 2_000_000, "no message in 2 s");
        }
        let m = sim.view().messages[0].clone();
        assert!(m.deliver_at > m.sent_at);
        sim.act(Action::DropMessage { id: m.id }).unwrap();
        assert!(sim.view().messages.iter().all(|x| x.id != m.id));
    }

    #[test]
    fn the_journal_shows_lives_and_marks_and_follows_a_rewind() {
        let mut sim = Sim::new(setup(3));
        sim.run_until(1_000_000);
        let j = sim.journal(0);
        assert!(j.messages.len() > 20);
        // Every server starts as a follower (a mark at 0), and someone leads by now.
        for id in 1..=3 {
            assert!(j.marks.iter().any(|m| m.node == id
                && m.t == 0
                && matches!(
                    m.kind,
                    LaneMarkKind::Role {
                        role: Role::Follower,
                        ..
                    }
                )));
        }
        assert!(j.marks.iter().any(|m| matches!(
            m.kind,
            LaneMarkKind::Role {
                role: Role::Leader,
                ..
            }
        )));
        // A window keeps only what lived into it.
        let recent = sim.journal(900_000);
        assert!(recent.messages.len() < j.messages.len());
        assert!(recent.messages.iter().all(|m| match m.fate {
            MessageFate::InFlight => true,
            MessageFate::Delivered { t } | MessageFate::Lost { t, .. } => t >= 900_000,
        }));
        let id = recent.messages[0].id;
        assert_eq!(sim.message_life(id).as_ref(), Some(&recent.messages[0]));
        // Rewound, the journal is the past's: nothing sent after the new now.
        sim.rewind(400_000);
        let past = sim.journal(0);
        assert!(past.messages.iter().all(|m| m.sent_at <= 400_000));
        assert!(sim.message_life(id).is_none());
    }

    #[test]
    fn backtracking_example_rejects_then_repairs() {
        let mut sim = Sim::try_new(Setup::scenario(1, "backtracking")).unwrap();
        let mut steps = 0;
        while !sim.view().nodes[1]
            .log
            .iter()
            .map(|e| e.term)
            .collect::<Vec<_>>()
            .starts_with(&[1, 3, 3])
        {
            sim.step_tick();
            steps += 1;
            assert!(
                steps < 2_000,
                "one event per step: repaired within a few dozen"
            );
        }
        sim.run_until(600_000);
        let view = sim.view();
        let s2: Vec<u64> = view.nodes[1].log.iter().map(|e| e.term).collect();
        assert_eq!(s2[..3], [1, 3, 3], "{s2:?}");
        assert_eq!(view.nodes[0].role, Role::Leader);
    }

    fn leader_of(sim: &Sim) -> Option<u64> {
        sim.view()
            .nodes
            .iter()
            .find(|n| n.alive && n.role == Role::Leader)
            .map(|n| n.id)
    }

    fn run_until_leader(sim: &mut Sim) -> u64 {
        let mut t = sim.now_us();
        loop {
            if let Some(l) = leader_of(sim) {
                return l;
            }
            t += 50_000;
            sim.run_until(t);
            assert!(t < 10_000_000, "no leader in 10 s");
        }
    }

    #[test]
    fn spare_servers_wait_outside_the_configuration_until_added() {
        let mut sim = Sim::new(setup(5));
        let leader = run_until_leader(&mut sim);
        let m = sim.membership();
        assert_eq!(m.voters, [1, 2, 3, 4, 5]);
        assert_eq!(m.spares, [6, 7, 8, 9]);
        assert_eq!((m.seen_by, m.seen_by_leader), (Some(leader), true));
        assert_eq!(sim.view().nodes.len(), 5, "spares are drawn apart");
        assert_eq!(sim.stores().len(), 5);
        // Settle the no-op first: one change at a time, after an entry of this term commits.
        sim.run_until(sim.now_us() + 500_000);
        sim.act(Action::AddVoter { node: 6 }).unwrap();
        let m = sim.membership();
        assert!(m.voters.contains(&6) && m.uncommitted, "{m:?}");
        assert_eq!(m.spares, [7, 8, 9]);
        sim.run_until(sim.now_us() + 1_000_000);
        let view = sim.view();
        let s6 = view.nodes.iter().find(|n| n.id == 6).expect("S6 drawn");
        let l = view.nodes.iter().find(|n| n.id == leader).unwrap();
        assert_eq!(s6.log.len(), l.log.len(), "S6 caught up");
        assert_eq!(s6.commit, l.commit);
        assert!(!sim.membership().uncommitted);
        assert!(Sim::try_new(Setup::scenario(1, "backtracking"))
            .unwrap()
            .membership()
            .spares
            .is_empty());
    }

    #[test]
    fn batching_and_pipelining_off_send_one_entry_at_a_time() {
        let mut sim = Sim::new(setup(3));
        let flow = |sim: &Sim| {
            let c = sim
                .world()
                .node(1)
                .unwrap()
                .raft()
                .unwrap()
                .config()
                .clone();
            (c.max_entries_per_append, c.max_inflight)
        };
        assert_eq!(flow(&sim), (64, 8));
        sim.act(Action::SetSwitch {
            switch: Switch::Batching,
            on: false,
        })
        .unwrap();
        assert_eq!(flow(&sim), (1, 8));
        sim.act(Action::SetSwitch {
            switch: Switch::Pipelining,
            on: false,
        })
        .unwrap();
        assert_eq!(flow(&sim), (1, 1));
    }

    #[test]
    fn the_client_s_redirect_is_read_from_the_journal() {
        let mut sim = Sim::new(setup(5));
        let leader = run_until_leader(&mut sim);
        sim.run_until(sim.now_us() + 200_000);
        let follower = if leader == 1 { 2 } else { 1 };
        sim.act(Action::Contact {
            client: 1,
            node: follower,
        })
        .unwrap();
        sim.act(Action::Put {
            client: 1,
            key: "x".into(),
            value: "1".into(),
        })
        .unwrap();
        assert_eq!(sim.client(1).current, Some((1, 1)));
        sim.run_until(sim.now_us() + 500_000);
        let c = sim.client(1);
        assert_eq!(c.ops.len(), 1);
        assert_eq!(c.ops[0].op, "put x=1");
        assert_eq!(
            c.ops[0].outcome.as_ref().map(|o| o.1.clone()),
            Some(Outcome::Ok(raft_sim::KvResult::Done))
        );
        let put = Traffic::ClientRequest {
            op: raft_sim::KvOp::Put {
                key: "x".into(),
                value: "1".into(),
            },
        };
        let answer = |answer| Traffic::ClientReply { answer };
        let traffic: Vec<(bool, u64, Traffic)> = c
            .messages
            .iter()
            .map(|m| (m.request, m.server, m.kind.clone()))
            .collect();
        assert_eq!(
            traffic,
            [
                (true, follower, put.clone()),
                (
                    false,
                    follower,
                    answer(Answer::Redirect {
                        leader_hint: Some(leader)
                    })
                ),
                (true, leader, put),
                (
                    false,
                    leader,
                    answer(Answer::Ok {
                        result: raft_sim::KvResult::Done
                    })
                ),
            ]
        );
        assert!(c.messages.iter().all(|m| m.req == 1));
        assert_eq!(c.leader_guess, Some(leader));
        for s in sim.stores() {
            assert_eq!(s.data, [("x".to_string(), "1".to_string())], "S{}", s.id);
        }
        sim.act(Action::Crash { node: follower }).unwrap();
        let crashed = sim.stores().into_iter().find(|s| s.id == follower).unwrap();
        assert!(!crashed.alive && crashed.data.is_empty());
    }
}

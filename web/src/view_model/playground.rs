//! The page's state and its reducer: [`Playground::update`] turns a key into
//! the message it stands for, lets the message's concern change its own state
//! (see [`super::state`]) and carries out the [`Effect`]s it returns in one
//! place, [`Playground::perform`]. [`Playground::frame`] computes what to draw.

use std::rc::Rc;

use raft_sim::disk::DiskConfig;
use raft_sim::Action;

use super::bug_hunt::{Hunt, HuntDraw, HuntMsg};
use super::chapters::{ChapterMsg, ChaptersDraw, Learn};
use super::clock::{format_sim_time, speed_label};
use super::inspector::InspectorDraw;
use super::interaction::{Drag, GhostDraw, Group, NodeMenuDraw};
use super::keys::{KeyCommand, ServerAction};
use super::kv::{KvDraw, KvMsg};
use super::logs::LogsDraw;
use super::membership::{self, MembershipDraw, MembershipMsg};
use super::message_ops::{MessageActionsDraw, MessageOp};
use super::narrate;
use super::options::{Banner, BannerKind};
use super::ring::{RingDraw, LOST_MARK_US};
use super::safety::{LinCache, SafetyDraw};
use super::scenario::ScenarioDraw;
use super::spacetime::{self, SpacetimeDraw, SpacetimeInput};
pub use super::state::ActivityItem;
use super::state::{Effect, Forms, Gestures, Narration, Playback, Prefs, Selection};
pub use super::state::{Panel, Theme};
use super::text::Text;
use super::tour;
use crate::cluster::{CoreEvent, LinkSetup, NetSettings, RunLink, Setup, Sim, Switches, MAX_NODES};
use crate::i18n::Lang;

/// The client that the "client request" menu item and the key-value form use.
pub(super) const PAGE_CLIENT: u64 = 1;

/// Everything a callback can ask of the playground.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// An animation frame at this wall-clock time (ms).
    Frame(f64),
    TogglePlay,
    /// The tab was hidden.
    Pause,
    /// Go to the next event a person can see (a message sent or arriving, a
    /// role or term change, a commit, an apply, a crash or restart, an action);
    /// clock ticks that change nothing visible pass silently.
    Step,
    /// Process exactly one event of the world, a clock tick included.
    StepTick,
    SetSpeed(i32),
    /// Go to this simulated time (µs) on the current timeline.
    Scrub(u64),
    Reset,
    SetSize(usize),
    Select(u64),
    Escape,
    Server(ServerAction, u64),
    DropMessage(u64),
    /// Drop, duplicate, hold or release this message in flight (the actions bar).
    MessageOp(MessageOp, u64),
    Heal,
    ToggleHelp,
    /// Start the guided tour from the beginning, playing.
    StartTour,
    /// Close the tour's caption.
    DismissTour,
    ReducedMotion(bool),
    /// Protocol switches: recorded actions, from now on.
    SetSwitches(Switches),
    /// Partition editor: put this server in this group.
    SetGroup(u64, Group),
    /// Cut the cluster into the editor's groups (A, B and C, the empty ones left out).
    Split,
    /// Network sliders: a recorded action, from now on.
    SetNet(NetSettings),
    /// Compact logs every this many applied entries (0: never): a recorded action.
    SetSnapshotThreshold(u64),
    /// The servers' disks (chapter 12): a recorded action, from now on.
    SetDisk(DiskConfig),
    Key(KeyCommand),
    /// A press on a server at this wall-clock time (ms) and client position (px):
    /// held still for [`interaction::LONG_PRESS_MS`] it opens the server's menu.
    PressServer {
        id: u64,
        at_ms: f64,
        x: f64,
        y: f64,
    },
    /// The pressed pointer moved (client position, px; `ring`: the same point in
    /// the ring's SVG units). Moving farther than [`interaction::PRESS_SLOP_PX`]
    /// turns the press into a drag of the server on the ring.
    PressMove {
        x: f64,
        y: f64,
        ring: (f64, f64),
    },
    /// The press ended (pointer up): a server dragged on the ring joins group B
    /// of the partition draft if let go outside the ring, else group A.
    PressEnd,
    /// The press was cancelled (the browser took the pointer): a drag changes nothing.
    PressCancel,
    /// A click on a server: selects it, unless it ends a drag on the ring.
    TapServer(u64),
    /// Open this server's menu (long press, right-click, Shift+F10); it selects the server.
    OpenMenu(u64),
    CloseMenu,
    /// Highlight this message in flight (focused, or picked with `[`/`]`).
    PickMessage(u64),
    /// Cut the link between two servers both ways, or reconnect it if it is cut.
    ToggleLink(u64, u64),
    /// Cut messages from the first server to the second only, or reconnect that way.
    ToggleWay(u64, u64),
    /// Partition editor: this server's chip is being dragged.
    DragServer(u64),
    /// The dragged chip is over group B (`Some(true)`), A, or neither.
    DragOver(Option<Group>),
    /// The dragged chip was let go over group B (`Some(true)`), A, or neither.
    DropServer(Option<Group>),
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
    /// Open this section of the side panel (again on the open one: close the
    /// bottom sheet on a narrow screen).
    SetPanel(Panel),
    ClosePanel,
    /// The system's colour scheme (at start, and when it changes); a theme the
    /// user chose wins.
    SystemTheme(Theme),
    /// The theme switch.
    ToggleTheme,
    /// Show or hide the key to the picture's shapes and colours.
    ToggleLegend,
    /// Play (a host page's command; the button toggles).
    Play,
    /// Start the run a share link describes (a host page's `load` command).
    LoadLink(String),
    /// The browser's preferred language (at start); a language the user chose wins.
    SystemLang(Lang),
    /// The language switch: the run goes on unchanged.
    SetLang(Lang),
    /// Break a rule: the bug switch, its scenario, the hunt for a violation.
    Hunt(HuntMsg),
    /// "What could go wrong from here?": the model checker's control.
    Explore(super::explore::ExploreMsg),
    /// The Learn menu's chapters.
    Chapter(ChapterMsg),
}

/// Everything the page draws at one instant, computed once per change; the
/// large parts are shared (`Rc`), so handing them to components copies nothing.
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
    pub scenario_draw: Rc<ScenarioDraw>,
    /// A link or file that could not be used, or news.
    pub banner: Option<Banner>,
    /// The guided tour's caption, while the tour runs and is not dismissed.
    pub tour: Option<tour::TourCaption>,
    pub switches: Switches,
    pub net: NetSettings,
    /// Servers compact their logs every this many applied entries (0: never, §7).
    pub snapshot_threshold: u64,
    /// The partition editor: each server and whether it is in group B.
    pub groups: Vec<(u64, Group)>,
    pub selected: Option<u64>,
    /// The message selected in the space-time diagram (or hovered in the ring).
    pub selected_msg: Option<u64>,
    pub ring: Rc<RingDraw>,
    pub spacetime: Rc<SpacetimeDraw>,
    pub logs: Rc<LogsDraw>,
    pub inspector: Option<Rc<InspectorDraw>>,
    pub activity: Rc<Vec<ActivityItem>>,
    pub violation: Option<String>,
    /// Figure 3's properties and the client history's linearizability.
    pub safety: Rc<SafetyDraw>,
    /// The disk, the four optimizations and the live commit chart (chapter 12).
    pub throughput: Rc<super::throughput::ThroughputDraw>,
    /// Bug mode: the bug on, the hunt's progress and result.
    pub hunt: HuntDraw,
    /// The model checker's control: depth, progress, result.
    pub explore: super::explore::ExploreDraw,
    /// The Learn menu's chapters and the one being read.
    pub chapters: Rc<ChaptersDraw>,
    pub help: bool,
    pub reduced_motion: bool,
    /// Why the last action could not be done.
    pub notice: Option<String>,
    /// The per-server menu, when open.
    pub node_menu: Option<NodeMenuDraw>,
    /// The message picked for a keyboard drop, while it is in flight.
    pub picked_message: Option<u64>,
    /// The actions bar for the picked (else selected) message in flight.
    pub message_actions: Option<MessageActionsDraw>,
    /// A partition-editor chip being dragged.
    pub drag: Option<Drag>,
    /// A server being dragged on the ring: its ghost.
    pub ghost: Option<GhostDraw>,
    /// The key-value and clients panel.
    pub kv: Rc<KvDraw>,
    /// The configuration legend and the membership controls.
    pub membership: Rc<MembershipDraw>,
    /// The side panel's open section, and whether the bottom sheet is open (narrow screens).
    pub panel: Panel,
    pub panel_open: bool,
    pub theme: Theme,
    /// The page's language.
    pub lang: Lang,
    /// The key to the picture is shown.
    pub legend: bool,
    /// The servers' timing, for the settings' reminder of §5.6.
    pub timing: Timing,
}

/// Election timeouts and the heartbeat interval, in ms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timing {
    pub election_min_ms: u64,
    pub election_max_ms: u64,
    pub heartbeat_ms: u64,
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

/// The page's state: the run, and the page's own state split by concern.
#[derive(Clone, Debug)]
pub struct Playground {
    pub(super) sim: Sim,
    pub(super) playback: Playback,
    pub(super) selection: Selection,
    pub(super) gestures: Gestures,
    pub(super) forms: Forms,
    pub(super) narration: Narration,
    pub(super) prefs: Prefs,
    /// The client history's last linearizability verdict.
    pub(super) lin: LinCache,
    /// The hunt for a violation (bug mode).
    pub(super) hunt: Hunt,
    /// The chapters' menu and the chapter being read.
    pub(super) learn: Learn,
    /// "What could go wrong from here?" (the model checker).
    pub(super) explore: super::explore::Explore,
}

impl Playground {
    pub fn new(setup: Setup, speed_pos: i32, playing: bool) -> Self {
        Self::with_sim(Sim::new(setup), speed_pos, playing)
    }

    /// The run a link describes, at its moment, paused if the link says so.
    pub fn from_link(link: &RunLink, speed_pos: i32) -> Result<Self, Text> {
        super::limits::check_link(link)?;
        let sim = Sim::from_link(link).map_err(Text::plain)?;
        let mut pg = Self::with_sim(sim, speed_pos, !link.paused);
        pg.skip_events();
        Ok(pg)
    }

    fn with_sim(sim: Sim, speed_pos: i32, playing: bool) -> Self {
        let mut pg = Self {
            sim,
            playback: Playback::new(speed_pos, playing),
            selection: Selection::default(),
            gestures: Gestures::default(),
            forms: Forms::default(),
            narration: Narration::default(),
            prefs: Prefs::default(),
            lin: LinCache::default(),
            hunt: Hunt::default(),
            explore: super::explore::Explore::default(),
            learn: Learn::default(),
        };
        pg.lin.refresh(pg.sim.world().history());
        pg.announce_setup();
        pg
    }

    /// Shows a banner (a link or file that could not be used, or news).
    pub fn set_banner(&mut self, banner: Option<Banner>) {
        self.narration.banner = banner;
    }

    /// This run as a link (see `raft_sim::link`): the query string without `?`.
    pub fn link_query(&self) -> String {
        self.sim.link(!self.playback.playing).to_query()
    }

    /// How the page shows the run, for the address bar (`panel=faults&theme=dark`;
    /// defaults are left out).
    pub fn view_params(&self) -> Vec<(&'static str, &'static str)> {
        let mut params = Vec::new();
        if self.prefs.panel != Panel::default() {
            params.push(("panel", self.prefs.panel.name()));
        }
        if self.prefs.theme_chosen {
            params.push(("theme", self.prefs.theme.name()));
        }
        if self.prefs.lang_chosen {
            params.push(("lang", self.prefs.lang.code()));
        }
        params.extend(self.chapter_params());
        params
    }

    /// Opens a section of the panel and sets the theme and the language, as a link asks.
    pub fn show(&mut self, panel: Option<Panel>, theme: Option<Theme>, lang: Option<Lang>) {
        if let Some(l) = lang {
            self.prefs.lang = l;
            self.prefs.lang_chosen = true;
        }
        if let Some(p) = panel {
            self.prefs.panel = p;
            self.prefs.panel_open = true;
        }
        if let Some(t) = theme {
            self.prefs.theme = t;
            self.prefs.theme_chosen = true;
        }
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
            LinkSetup::Playground { nodes } => format!("{nodes}servers"),
            LinkSetup::Scenario { name } => name.clone(),
            LinkSetup::File { scenario } => {
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
            self.seed(),
            self.now_us() / 1_000
        )
    }

    /// The seed of the run.
    pub fn seed(&self) -> u64 {
        self.sim.setup().seed
    }

    pub fn now_us(&self) -> u64 {
        self.sim.now_us()
    }

    // ----- Narration ---------------------------------------------------------

    pub(super) fn say(&mut self, text: Text) {
        self.narration.say(self.sim.now_us(), text);
    }

    /// Says what a loaded scenario is about.
    fn announce_setup(&mut self) {
        if self.sim.setup().scenario_name().is_some() {
            let title = Text::localized(&self.sim.scenario().title);
            self.say(text_key!("said.scenario", title = title));
        }
    }

    /// Narrates the core events that happened since the last call.
    fn absorb_events(&mut self) {
        let events: Vec<CoreEvent> = self.sim.world().events().cloned().collect();
        let start = match &self.narration.last_event {
            // Not found: more events than the window holds went by; skip rather than flood.
            Some(last) => events
                .iter()
                .rposition(|e| e == last)
                .map_or(events.len(), |i| i + 1),
            None => 0,
        };
        for text in narrate::narrate_new(&events, start) {
            self.say(text);
        }
        self.narration.last_event = events.last().cloned();
    }

    /// After a jump in time: nothing in between is narrated.
    pub(super) fn skip_events(&mut self) {
        self.narration.last_event = self.sim.world().events().last().cloned();
        self.playback.clock.set_target(self.sim.now_us());
    }

    // ----- A new run ---------------------------------------------------------

    pub(super) fn use_sim(&mut self, sim: Sim) {
        self.sim = sim;
        self.learn.reading = None;
        // An exploration and its result are about the run they started on.
        self.explore.forget();
        self.playback.restart();
        let servers = self.sim.view().nodes.len() as u64;
        self.selection.keep_within(servers);
        self.gestures = Gestures::default();
        self.forms.keep_within(servers);
        self.narration.last_event = None;
        self.narration.notice = None;
        self.narration.tour_dismissed = false;
    }

    fn replace_sim(&mut self, setup: Setup) {
        self.use_sim(Sim::new(setup));
    }

    /// Starts the library's scenario `name` (`""`: the page's own cluster), paused,
    /// so nothing is over before its caption is read.
    fn load_scenario(&mut self, name: &str) {
        if name.is_empty() {
            let n = self.sim.initial_nodes();
            self.replace_sim(Setup::new(self.seed(), n));
            self.say(text_key!("said.new_cluster", n = n));
            return;
        }
        match Sim::try_new(Setup::scenario(self.seed(), name)) {
            Ok(sim) => {
                self.use_sim(sim);
                self.playback.playing = false;
                self.announce_setup();
            }
            Err(_) if raft_sim::library::find(name).is_none() => {
                self.narration.banner = Some(Banner::said(
                    BannerKind::Error,
                    text_key!("limit.no_such_scenario", name = name),
                ))
            }
            Err(e) => self.narration.banner = Some(Banner::error(e)),
        }
    }

    /// Starts the run a share link's query describes, keeping how the page is
    /// shown; a bad link leaves the run as it was and says why.
    fn load_link(&mut self, query: &str) {
        let next = match RunLink::from_query(query) {
            Ok(Some(link)) => Playground::from_link(&link, self.playback.speed_pos)
                .map_err(|e| text_key!("embed.link_unusable", error = e)),
            Ok(None) => Err(text_key!("embed.link_empty")),
            Err(e) => Err(text_key!(
                "embed.link_unreadable",
                error = super::options::link_error_text(&e)
            )),
        };
        match next {
            Ok(next) => {
                let prefs = self.prefs;
                *self = next;
                self.prefs = prefs;
            }
            Err(text) => self.narration.banner = Some(Banner::said(BannerKind::Error, text)),
        }
    }

    /// Loads a scenario file: a bad one leaves the run as it was and says why.
    fn load_file(&mut self, name: &str, text: &str) {
        let loaded = raft_sim::scenario::Scenario::parse(text, name)
            .map_err(|e| super::text::scenario_error_text(&e))
            .and_then(|scenario| {
                super::limits::check_scenario(&scenario)
                    .map_err(|e| text_key!("limit.in_file", file = name, error = e))?;
                Sim::try_new(Setup {
                    seed: scenario.seed,
                    kind: LinkSetup::File {
                        scenario: Box::new(scenario),
                    },
                })
                .map_err(|e| Text::plain(format!("{name}: {e}")))
            });
        match loaded {
            Ok(sim) => {
                self.use_sim(sim);
                self.playback.playing = false;
                self.narration.banner = None;
                let title = &self.sim.scenario().title;
                let title = if title.is_empty() {
                    Text::plain(name)
                } else {
                    Text::localized(title)
                };
                self.say(text_key!("said.loaded", title = title));
            }
            Err(e) => {
                self.narration.banner = Some(Banner::said(
                    BannerKind::Error,
                    text_key!("banner.file_not_loaded", error = e),
                ))
            }
        }
    }

    // ----- Acting on the world -----------------------------------------------

    /// Carries out what the reducers returned: the one place where the page
    /// acts on the world. In the past, acting forks the timeline.
    fn perform(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Notice(text) => self.narration.notice = Some(text),
                Effect::Act { actions, done } => {
                    let forked = self.sim.now_us() < self.sim.horizon_us();
                    match actions.into_iter().try_for_each(|a| self.sim.act(a)) {
                        Ok(()) => {
                            self.narration.notice = None;
                            if forked {
                                let time = format_sim_time(self.sim.now_us());
                                self.say(text_key!("said.forked", time = time));
                            }
                            self.say(done);
                        }
                        Err(e) => {
                            self.narration.notice = Some(text_key!(
                                "notice.could_not",
                                error = super::text::action_error_text(&e)
                            ))
                        }
                    }
                    self.absorb_events();
                }
            }
        }
    }

    /// The effect of a server action (menu, inspector or key) on server `id`.
    fn server_action(&self, a: ServerAction, id: u64) -> Vec<Effect> {
        if let Some(why) = self.refusal(a, id) {
            return vec![Effect::Notice(text_key!("notice.could_not", error = why))];
        }
        let act = |action, done: Text| vec![Effect::act(action, done)];
        match a {
            ServerAction::Crash => act(
                Action::Crash { node: id },
                text_key!("said.crash", node = id),
            ),
            ServerAction::Restart => act(
                Action::Restart { node: id },
                text_key!("said.restart", node = id),
            ),
            ServerAction::Timeout => act(
                Action::Campaign { node: id },
                text_key!("said.timeout", node = id),
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
                vec![self.client_request(put, Some(id))]
            }
            ServerAction::Remove => act(
                Action::RemoveServer { node: id },
                text_key!("said.remove", node = id),
            ),
            ServerAction::Snapshot => act(
                Action::Snapshot { node: id },
                text_key!("said.snapshot", node = id),
            ),
            ServerAction::Transfer => act(
                Action::Transfer { to: id },
                text_key!("said.transfer", node = id),
            ),
            ServerAction::Isolate => act(
                Action::Isolate { node: id },
                text_key!("said.isolate", node = id),
            ),
        }
    }

    /// Why the world would refuse `a` on server `id`, for the refusals a person
    /// meets most (restarting a running server, crashing a crashed one, a
    /// snapshot with nothing to compact), said in the page's words; the world
    /// still decides everything else.
    fn refusal(&self, a: ServerAction, id: u64) -> Option<Text> {
        let view = self.sim.view();
        let n = view.nodes.iter().find(|n| n.id == id)?;
        match a {
            ServerAction::Restart if n.alive => Some(text_key!("refused.running", node = id)),
            ServerAction::Crash if !n.alive => {
                Some(text_key!("refused.already_crashed", node = id))
            }
            ServerAction::Timeout if !n.alive => {
                Some(text_key!("refused.campaign_crashed", node = id))
            }
            ServerAction::Snapshot if !n.alive => {
                Some(text_key!("refused.snapshot_crashed", node = id))
            }
            ServerAction::Snapshot if n.last_applied <= n.snapshot_index => Some(text_key!(
                "refused.nothing_to_compact",
                node = id,
                index = n.snapshot_index
            )),
            _ => None,
        }
    }

    /// Drops a message in flight; the journal records it as lost, so the
    /// ring marks where it was and the space-time diagram ends its arrow there.
    pub(super) fn drop_message(&self, id: u64) -> Vec<Effect> {
        let view = self.sim.view();
        let Some(m) = view.messages.iter().find(|m| m.id == id) else {
            return Vec::new();
        };
        let (kind, from, to) = (m.kind, m.from, m.to);
        vec![Effect::act(
            Action::DropMessage { id },
            text_key!(
                "said.drop",
                kind = super::text::kind_text(kind),
                from = from,
                to = to
            ),
        )]
    }

    fn set_switches(&self, switches: Switches) -> Vec<Effect> {
        let was = Switches::of(&self.sim.world().config().raft);
        let names = [
            (Text::plain("PreVote"), was.pre_vote, switches.pre_vote),
            (
                Text::plain("CheckQuorum"),
                was.check_quorum,
                switches.check_quorum,
            ),
            (
                text_key!("said.switch.fast_backtrack"),
                was.fast_backtrack,
                switches.fast_backtrack,
            ),
            (
                text_key!("said.switch.batching"),
                was.batching,
                switches.batching,
            ),
            (
                text_key!("said.switch.pipelining"),
                was.pipelining,
                switches.pipelining,
            ),
            (
                text_key!("said.switch.lease_read"),
                was.lease_read,
                switches.lease_read,
            ),
        ];
        let text = Text::Join(
            names
                .into_iter()
                .filter(|(_, a, b)| a != b)
                .map(|(name, _, on)| {
                    if on {
                        text_key!("said.switch.on", name = name)
                    } else {
                        text_key!("said.switch.off", name = name)
                    }
                })
                .collect(),
            "list.comma",
        );
        let actions = was.actions_to(switches);
        if actions.is_empty() {
            return Vec::new();
        }
        vec![Effect::Act {
            actions,
            done: text_key!("said.switched", switches = text),
        }]
    }

    fn set_net(net: NetSettings) -> Vec<Effect> {
        let net = net.clamped();
        vec![Effect::act(
            net.action(),
            text_key!(
                "said.network",
                min = net.latency_us().0 as f64 / 1_000.0,
                max = net.latency_ms,
                loss = net.loss_pct,
                dup = net.dup_pct,
                reorder = net.reorder_pct
            ),
        )]
    }

    fn set_disk(&self, next: DiskConfig) -> Vec<Effect> {
        let was = self.sim.world().disk();
        let latency_us = next.latency_us.min(raft_sim::disk::MAX_DISK_LATENCY_US);
        if was == (DiskConfig { latency_us, ..next }) {
            return Vec::new();
        }
        let changed = |a: bool, b: bool| (a != b).then_some(b);
        let on_off = |on: bool| {
            if on {
                text_key!("said.on")
            } else {
                text_key!("said.off")
            }
        };
        vec![Effect::act(
            Action::SetDisk {
                latency_us: (latency_us != was.latency_us).then_some(latency_us),
                parallel_append: changed(was.parallel_append, next.parallel_append),
                async_apply: changed(was.async_apply, next.async_apply),
            },
            text_key!(
                "said.disk",
                ms = latency_us as f64 / 1_000.0,
                parallel = on_off(next.parallel_append),
                async_apply = on_off(next.async_apply)
            ),
        )]
    }

    fn set_snapshot_threshold(entries: u64) -> Vec<Effect> {
        vec![Effect::act(
            Action::SetSnapshotThreshold { entries },
            if entries == 0 {
                text_key!("said.compaction_off")
            } else {
                text_key!("said.compaction_every", entries = entries)
            },
        )]
    }

    // ----- Partition editor --------------------------------------------------

    /// The group server `id` is in in the editor's draft.
    pub(super) fn group_of(&self, id: u64) -> Group {
        self.forms
            .groups
            .iter()
            .find(|g| g.0 == id)
            .map_or(Group::A, |g| g.1)
    }

    /// The editor's groups that hold a server, A then B then C, each in id order.
    fn groups(&self) -> Vec<(Group, Vec<u64>)> {
        let ids: Vec<u64> = self.sim.view().nodes.iter().map(|n| n.id).collect();
        Group::ALL
            .into_iter()
            .map(|g| {
                let members = ids.iter().copied().filter(|&id| self.group_of(id) == g);
                (g, members.collect::<Vec<u64>>())
            })
            .filter(|(_, members)| !members.is_empty())
            .collect()
    }

    pub(super) fn set_group(&mut self, id: u64, group: Group) {
        let known = self.sim.view().nodes.iter().any(|n| n.id == id);
        let groups = &mut self.forms.groups;
        groups.retain(|&(x, _)| x != id);
        if known && group != Group::A {
            groups.push((id, group));
            groups.sort_unstable();
        }
    }

    fn split(&self) -> Vec<Effect> {
        let mut groups = self.groups();
        if groups.len() < 2 {
            return vec![Effect::Notice(text_key!("notice.split_groups"))];
        }
        let names = |g: &[u64]| {
            g.iter()
                .map(|id| format!("S{id}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let sides = groups
            .iter()
            .map(|(_, g)| format!("{{{}}}", names(g)))
            .collect::<Vec<_>>()
            .join(" | ");
        let text = text_key!("said.split", groups = sides);
        // Spare servers go with the first group, so one added later is not cut off from everyone.
        groups[0].1.extend(self.sim.membership().spares);
        vec![Effect::act(
            Action::Partition {
                groups: groups.into_iter().map(|(_, g)| g).collect(),
                clients: vec![],
            },
            text,
        )]
    }

    // ----- The reducer -------------------------------------------------------

    /// The message a key stands for (`None`: nothing to do, or a notice).
    fn key_msg(&mut self, cmd: KeyCommand) -> Option<Msg> {
        let select_first = || Effect::Notice(text_key!("notice.select_first"));
        Some(match cmd {
            KeyCommand::TogglePlay => Msg::TogglePlay,
            KeyCommand::Step => Msg::Step,
            KeyCommand::StepTick => Msg::StepTick,
            KeyCommand::ToggleHelp => Msg::ToggleHelp,
            KeyCommand::Escape => Msg::Escape,
            KeyCommand::Select(id) => Msg::Select(id),
            KeyCommand::Heal => Msg::Heal,
            KeyCommand::Reset => Msg::Reset,
            KeyCommand::Server(a) => match self.selection.server {
                Some(id) => Msg::Server(a, id),
                None => {
                    self.perform(vec![select_first()]);
                    return None;
                }
            },
            KeyCommand::Menu => match self.selection.server {
                Some(id) => Msg::OpenMenu(id),
                None => {
                    self.perform(vec![select_first()]);
                    return None;
                }
            },
            KeyCommand::Message(op) => {
                let effects = self.message_op_on_picked(op);
                self.perform(effects);
                return None;
            }
            cmd @ (KeyCommand::NextMessage | KeyCommand::PrevMessage | KeyCommand::DropMessage) => {
                let effects = self.message_key(cmd);
                self.perform(effects);
                return None;
            }
        })
    }

    /// Applies one message: keys become the message they stand for, each
    /// concern updates its own state, and the effects are carried out.
    pub fn update(&mut self, msg: Msg) {
        let msg = match msg {
            Msg::Key(cmd) => match self.key_msg(cmd) {
                Some(m) => m,
                None => return,
            },
            m => m,
        };
        let effects = self.reduce(msg);
        self.perform(effects);
        self.check_task();
        self.lin.refresh(self.sim.world().history());
        // The menu belongs to the selected server: selecting another closes it.
        if self.selection.menu.is_some() && self.selection.menu != self.selection.server {
            self.selection.menu = None;
        }
    }

    pub(super) fn reduce(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Frame(wall_ms) => {
                if let Some(p) = self.gestures.press.filter(|p| p.is_long(wall_ms)) {
                    self.open_menu(p.node);
                    self.gestures.swallow_click = Some(p.node);
                }
                // The explorer takes a slice of each frame; the run goes on beside it.
                if self.exploring() {
                    self.explore_frame();
                }
                if self.hunting() {
                    self.hunt_frame();
                } else if self.playback.playing {
                    let target = self.playback.clock.advance(wall_ms);
                    self.sim.run_until(target);
                    self.absorb_events();
                } else {
                    self.playback.clock.pause();
                }
            }
            Msg::TogglePlay => self.playback.toggle(self.sim.now_us()),
            Msg::Pause => self.playback.playing = false,
            Msg::Play => {
                if !self.playback.playing {
                    self.playback.toggle(self.sim.now_us());
                }
            }
            Msg::LoadLink(query) => self.load_link(&query),
            Msg::Step => {
                let stepped = self.sim.step();
                self.playback.pause_at(self.sim.now_us());
                // What the servers did first, then the step's own line (never a bare tick).
                self.absorb_events();
                self.say(narrate::step_text(stepped.as_ref()));
            }
            Msg::StepTick => {
                let what = self.sim.step_tick();
                self.playback.pause_at(self.sim.now_us());
                if let Some(what) = what {
                    self.say(text_key!(
                        "said.one_event",
                        what = narrate::next_event_text(&what)
                    ));
                }
                self.absorb_events();
            }
            Msg::SetSpeed(pos) => self.playback.set_speed(pos),
            Msg::Scrub(t) => {
                self.playback.playing = false;
                self.sim.rewind(t);
                self.skip_events();
            }
            Msg::Reset => {
                self.replace_sim(self.sim.setup().clone());
                self.say(text_key!("said.reset"));
                self.announce_setup();
            }
            Msg::SetSize(n) => {
                let n = n.clamp(1, MAX_NODES);
                self.replace_sim(Setup::new(self.seed(), n));
                self.say(text_key!("said.new_cluster", n = n));
            }
            Msg::LoadScenario(name) => self.load_scenario(&name),
            Msg::LoadFile(name, text) => self.load_file(&name, &text),
            Msg::ShowBanner(b) => self.narration.banner = Some(b),
            Msg::DismissBanner => self.narration.banner = None,
            Msg::Select(id) => {
                if self.sim.view().nodes.iter().any(|n| n.id == id) {
                    self.selection.server = Some(id);
                    // The inspector shows it (on a phone the sheet stays as it was),
                    // unless a chapter is being read: its caption and task stay in view.
                    if self.learn.reading.is_none() {
                        self.prefs.panel = Panel::Inspect;
                    }
                }
            }
            Msg::Escape => {
                if self.prefs.help {
                    self.prefs.help = false;
                } else {
                    self.selection.escape();
                }
            }
            Msg::Server(a, id) => {
                self.selection.menu = None;
                return self.server_action(a, id);
            }
            Msg::DropMessage(id) => {
                if self.selection.picked == Some(id) {
                    self.selection.picked = None;
                }
                return self.drop_message(id);
            }
            Msg::MessageOp(op, id) => return self.message_op(op, id),
            Msg::Heal => {
                return vec![Effect::act(Action::Heal, text_key!("said.heal"))];
            }
            Msg::ToggleHelp => self.prefs.help = !self.prefs.help,
            Msg::SetPanel(p) => {
                let again = self.prefs.panel == p && self.prefs.panel_open;
                self.prefs.panel = p;
                self.prefs.panel_open = !again;
            }
            Msg::ClosePanel => self.prefs.panel_open = false,
            Msg::SystemTheme(t) => {
                if !self.prefs.theme_chosen {
                    self.prefs.theme = t;
                }
            }
            Msg::ToggleTheme => {
                self.prefs.theme = self.prefs.theme.other();
                self.prefs.theme_chosen = true;
            }
            Msg::ToggleLegend => self.prefs.legend = !self.prefs.legend,
            Msg::SystemLang(l) => {
                if !self.prefs.lang_chosen {
                    self.prefs.lang = l;
                }
            }
            Msg::SetLang(l) => {
                self.prefs.lang = l;
                self.prefs.lang_chosen = true;
            }
            Msg::StartTour => {
                self.replace_sim(Setup::scenario(self.seed(), tour::SCENARIO));
                // The tour's own pace (its 2.1 simulated seconds in about a minute),
                // unless the user already plays faster.
                if self.playback.speed_pos < tour::SPEED_POS {
                    self.playback.set_speed(tour::SPEED_POS);
                }
                self.playback.playing = true;
                // The caption is in the Learn section.
                self.prefs.panel = Panel::Learn;
                self.prefs.panel_open = true;
                self.say(text_key!("said.tour"));
            }
            Msg::DismissTour => self.narration.tour_dismissed = true,
            Msg::ReducedMotion(on) => self.prefs.reduced_motion = on,
            Msg::SetSwitches(switches) => return self.set_switches(switches),
            Msg::SetGroup(id, group) => self.set_group(id, group),
            Msg::Split => return self.split(),
            Msg::SetSnapshotThreshold(entries) => return Self::set_snapshot_threshold(entries),
            Msg::SetNet(net) => return Self::set_net(net),
            Msg::SetDisk(disk) => return self.set_disk(disk),
            Msg::SelectMessage(id) => self.selection.message = id,
            Msg::SetSpacetimeWindow(w) => {
                self.forms.spacetime_window =
                    w.map(|w| w.clamp(spacetime::WINDOWS_US[0], 60_000_000));
            }
            // Keys were turned into messages in `update`.
            Msg::Key(_) => {}
            msg @ (Msg::PressServer { .. }
            | Msg::PressMove { .. }
            | Msg::PressEnd
            | Msg::PressCancel
            | Msg::TapServer(_)
            | Msg::OpenMenu(_)
            | Msg::CloseMenu
            | Msg::PickMessage(_)
            | Msg::ToggleLink(..)
            | Msg::ToggleWay(..)
            | Msg::DragServer(_)
            | Msg::DragOver(_)
            | Msg::DropServer(_)) => return self.interact(msg),
            Msg::Kv(m) => return self.kv_update(m),
            Msg::Membership(m) => return self.membership_update(m),
            Msg::Hunt(m) => return self.hunt_update(m),
            Msg::Explore(m) => return self.explore_update(m),
            Msg::Chapter(m) => return self.chapter_update(m),
        }
        Vec::new()
    }

    // ----- Drawing -----------------------------------------------------------

    /// What to draw now, computed once.
    pub fn frame(&self) -> Frame {
        let view = self.sim.view();
        let now = view.now_us;
        let membership = self.sim.membership();
        let (selected, selected_msg) = (self.selection.server, self.selection.message);
        let reduced_motion = self.prefs.reduced_motion;
        let lang = self.prefs.lang;
        let window_us = self.forms.spacetime_window.unwrap_or_else(|| {
            let sent = self.sim.messages_sent_last_second(now);
            spacetime::auto_window_us(self.playback.clock.speed_us_per_ms, sent)
        });
        let since = now.saturating_sub(window_us.max(LOST_MARK_US));
        let journal = self.sim.journal(since);
        let mut ring =
            RingDraw::with_membership(&view, Some(&membership), selected, reduced_motion, lang);
        ring.mark_losses(&journal.messages, now, reduced_motion);
        ring.select_message(selected_msg);
        ring.mark_draft(&self.forms.groups, lang);
        let selected_life = selected_msg.map(|id| {
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
            auto: self.forms.spacetime_window.is_none(),
            reduced_motion,
            selected,
            selected_msg: selected_life.as_ref().map(|(id, l)| (*id, l.as_ref())),
            offending: match &self.lin.verdict {
                super::safety::LinVerdict::NotLinearizable { ops } => ops,
                _ => &[],
            },
            lang,
        });
        let setup = self.sim.setup();
        let world = self.sim.world();
        let n = &self.narration;
        Frame {
            seed: setup.seed,
            now_us: now,
            horizon_us: self.sim.horizon_us(),
            playing: self.playback.playing,
            speed_pos: self.playback.speed_pos,
            speed_label: speed_label(self.playback.speed_pos),
            nodes: self.sim.initial_nodes(),
            scenario: setup.scenario_name().map(String::from),
            scenario_draw: Rc::new(ScenarioDraw::new(&self.sim, lang)),
            banner: n.banner.as_ref().map(|b| b.in_lang(lang)),
            tour: (setup.scenario_name() == Some(tour::SCENARIO)
                && !n.tour_dismissed
                && self.learn.reading.is_none())
            .then(|| tour::TourCaption::new(&view, lang)),
            switches: Switches::of(&world.config().raft),
            net: NetSettings::of(&world.network().config),
            snapshot_threshold: world.config().snapshot_threshold,
            groups: view
                .nodes
                .iter()
                .map(|n| (n.id, self.group_of(n.id)))
                .collect(),
            selected,
            selected_msg,
            spacetime: Rc::new(spacetime),
            logs: Rc::new(LogsDraw::new(&view, lang)),
            inspector: selected.and_then(|id| {
                let mut i = InspectorDraw::new(&view, id, lang)?;
                membership::gate_actions(i.id, i.role, &mut i.actions, &membership);
                Some(Rc::new(i))
            }),
            activity: Rc::new(n.activity.iter().map(|s| s.render(lang)).collect()),
            violation: view.violations.first().cloned(),
            safety: SafetyDraw::new(world.violations(), &self.lin.verdict, lang),
            throughput: Rc::new(super::throughput::ThroughputDraw::new(
                world.commit_stats(),
                now,
                world.disk(),
                Switches::of(&world.config().raft),
            )),
            hunt: self.hunt_draw(lang),
            explore: self.explore_draw(lang),
            chapters: Rc::new(self.chapters_draw(lang)),
            help: self.prefs.help,
            reduced_motion,
            notice: n.notice.as_ref().map(|t| t.render(lang)),
            node_menu: self.selection.menu.and_then(|id| {
                let mut menu = NodeMenuDraw::find(&ring, id)?;
                let role = ring.nodes.iter().find(|n| n.id == id)?.role;
                membership::gate_actions(id, role, &mut menu.actions, &membership);
                Some(menu)
            }),
            picked_message: self
                .selection
                .picked
                .filter(|&id| ring.message_at(id).is_some()),
            message_actions: self.message_actions(&ring, lang),
            drag: self.gestures.drag,
            ghost: self
                .gestures
                .ring_drag
                .and_then(|d| GhostDraw::new(&ring, &d)),
            kv: Rc::new(KvDraw::new(
                &self.forms.kv,
                &self.sim.client(PAGE_CLIENT),
                &self.sim.stores(),
                now,
                lang,
            )),
            membership: Rc::new(self.membership_draw(&view, &membership)),
            ring: Rc::new(ring),
            panel: self.prefs.panel,
            panel_open: self.prefs.panel_open,
            theme: self.prefs.theme,
            lang: self.prefs.lang,
            legend: self.prefs.legend,
            timing: {
                let c = world.config();
                let ms = |ticks: u32| u64::from(ticks) * c.tick_us / 1_000;
                Timing {
                    election_min_ms: ms(c.raft.election_timeout_min),
                    election_max_ms: ms(c.raft.election_timeout_max),
                    heartbeat_ms: ms(c.raft.heartbeat_interval),
                }
            },
        }
    }
}

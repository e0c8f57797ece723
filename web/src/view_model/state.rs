//! The page's state, one struct per concern: playback (the clock), selection,
//! gestures (a press, a drag), forms (drafts the user is still editing),
//! narration (the activity list, notices, the banner) and display preferences.
//! The run itself is the [`crate::cluster::Sim`]. Reducers change their own
//! concern and return [`Effect`]s; `Playground::perform` carries them out.

use std::collections::VecDeque;

use raft_sim::Action;

use super::clock::{speed_us_per_ms, SimClock, SPEED_MAX_POS, SPEED_MIN_POS};
use super::interaction::{Drag, Group, Press, RingDrag};
use super::kv::KvForm;
use super::membership::AddDraft;
use super::options::Banner;
use super::text::Text;
use crate::cluster::CoreEvent;
use crate::i18n::{tr, Lang};

/// What a reducer asks of the world and the narration; carried out in one place.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Do these actions now, in order, stopping at the first the world refuses
    /// (which becomes the notice); when all are done, say `done`.
    Act { actions: Vec<Action>, done: Text },
    /// Tell the user why something was not done.
    Notice(Text),
}

impl Effect {
    /// One action.
    pub fn act(action: Action, done: Text) -> Effect {
        Effect::Act {
            actions: vec![action],
            done,
        }
    }
}

/// Playing or paused, how fast, and the clock that turns wall time into simulated time.
#[derive(Clone, Debug)]
pub struct Playback {
    pub clock: SimClock,
    pub playing: bool,
    pub speed_pos: i32,
}

impl Playback {
    pub fn new(speed_pos: i32, playing: bool) -> Playback {
        Playback {
            clock: SimClock::new(speed_us_per_ms(speed_pos)),
            playing,
            speed_pos,
        }
    }

    /// Paused, with the clock waiting at `now_us`.
    pub fn pause_at(&mut self, now_us: u64) {
        self.playing = false;
        self.clock.set_target(now_us);
    }

    pub fn toggle(&mut self, now_us: u64) {
        self.playing = !self.playing;
        self.clock.pause();
        self.clock.set_target(now_us);
    }

    pub fn set_speed(&mut self, pos: i32) {
        self.speed_pos = pos.clamp(SPEED_MIN_POS, SPEED_MAX_POS);
        self.clock.speed_us_per_ms = speed_us_per_ms(self.speed_pos);
    }

    /// A new run: the clock starts again at 0, at the same speed.
    pub fn restart(&mut self) {
        self.clock = SimClock::new(speed_us_per_ms(self.speed_pos));
    }
}

/// What the user pointed at.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// The selected server (the inspector's).
    pub server: Option<u64>,
    /// The message selected in the space-time diagram (or hovered in the ring).
    pub message: Option<u64>,
    /// The message picked with `[`/`]` or by focusing it, for a keyboard drop.
    pub picked: Option<u64>,
    /// The server whose menu is open (always the selected one).
    pub menu: Option<u64>,
}

impl Selection {
    /// Escape: closes the menu first, else clears the selection.
    pub fn escape(&mut self) {
        if self.menu.is_some() {
            self.menu = None;
        } else {
            *self = Selection::default();
        }
    }

    /// For a new run with `servers` servers: what no longer exists is forgotten.
    pub fn keep_within(&mut self, servers: u64) {
        *self = Selection {
            server: self.server.filter(|&id| id <= servers),
            ..Selection::default()
        };
    }
}

/// A pointer gesture in progress.
#[derive(Clone, Debug, Default)]
pub struct Gestures {
    /// A press on a server that may become a long press.
    pub press: Option<Press>,
    /// A partition-editor chip being dragged.
    pub drag: Option<Drag>,
    /// A server being dragged on the ring (to group B outside it, A inside).
    pub ring_drag: Option<RingDrag>,
    /// The server a ring drag or a long press just ended on: the click that
    /// follows is not a tap.
    pub swallow_click: Option<u64>,
}

/// Drafts the user is editing before they become actions.
#[derive(Clone, Debug, Default)]
pub struct Forms {
    pub kv: KvForm,
    pub add: AddDraft,
    /// The joint change's draft of C_new (`None`: the current voters).
    pub joint: Option<Vec<u64>>,
    /// The partition editor's draft: servers put in group B or C, in id order
    /// (the rest are in A).
    pub groups: Vec<(u64, Group)>,
    /// The space-time diagram's window; `None`: follows the speed.
    pub spacetime_window: Option<u64>,
}

impl Forms {
    /// For a new run with `servers` servers: drafts naming other servers are dropped.
    pub fn keep_within(&mut self, servers: u64) {
        self.groups.retain(|&(id, _)| id <= servers);
        self.add = AddDraft::default();
        self.joint = None;
        self.kv.target = self.kv.target.filter(|&id| id <= servers);
    }
}

/// One line of the activity list (and the live region), in the page's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityItem {
    /// Stable key for the list.
    pub id: u64,
    pub t_us: u64,
    pub text: String,
}

/// One line of the activity list as kept: what was said, in no language yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    pub id: u64,
    pub t_us: u64,
    pub text: Text,
}

impl Said {
    /// The line in `lang`.
    pub fn render(&self, lang: Lang) -> ActivityItem {
        ActivityItem {
            id: self.id,
            t_us: self.t_us,
            text: self.text.render(lang),
        }
    }
}

/// Lines kept in the activity list.
pub const ACTIVITY_LINES: usize = 8;

/// What the page tells the user: the activity list, the notice (why the last
/// thing asked could not be done) and the banner. Lines and the notice are
/// kept as [`Text`], written in the page's language when a frame is drawn.
#[derive(Clone, Debug)]
pub struct Narration {
    pub activity: VecDeque<Said>,
    next_id: u64,
    /// The newest core event already narrated.
    pub last_event: Option<CoreEvent>,
    pub notice: Option<Text>,
    pub banner: Option<Banner>,
    /// The tour's caption was closed (the run goes on unchanged).
    pub tour_dismissed: bool,
}

impl Default for Narration {
    fn default() -> Self {
        Narration {
            activity: VecDeque::new(),
            next_id: 1,
            last_event: None,
            notice: None,
            banner: None,
            tour_dismissed: false,
        }
    }
}

impl Narration {
    pub fn say(&mut self, t_us: u64, text: Text) {
        let id = self.next_id;
        self.next_id += 1;
        self.activity.push_back(Said { id, t_us, text });
        while self.activity.len() > ACTIVITY_LINES {
            self.activity.pop_front();
        }
    }
}

/// The side panel's sections, one open at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Panel {
    /// The selected server and what happened.
    #[default]
    Inspect,
    /// Partitions and the network.
    Faults,
    Membership,
    /// The key-value store and its client.
    Clients,
    /// The tour and the scenarios.
    Learn,
    /// Protocol switches, compaction, cluster size, files.
    Settings,
}

impl Panel {
    pub const ALL: [Panel; 6] = [
        Panel::Inspect,
        Panel::Faults,
        Panel::Membership,
        Panel::Clients,
        Panel::Learn,
        Panel::Settings,
    ];

    /// The `data-panel` value and the link's `panel=` value.
    pub fn name(self) -> &'static str {
        match self {
            Panel::Inspect => "inspect",
            Panel::Faults => "faults",
            Panel::Membership => "membership",
            Panel::Clients => "clients",
            Panel::Learn => "learn",
            Panel::Settings => "settings",
        }
    }

    /// The tab's name in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                Panel::Inspect => "panel.title.inspect",
                Panel::Faults => "panel.title.faults",
                Panel::Membership => "panel.title.membership",
                Panel::Clients => "panel.title.clients",
                Panel::Learn => "panel.title.learn",
                Panel::Settings => "panel.title.settings",
            },
        )
    }

    pub fn parse(name: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The tab after (or before) this one, wrapping (arrow keys in the tab list).
    pub fn next(self, forward: bool) -> Panel {
        let i = Panel::ALL.iter().position(|&p| p == self).unwrap_or(0);
        let n = Panel::ALL.len();
        Panel::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// Light or dark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    /// The root's `data-theme` and the link's `theme=` value.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(name: &str) -> Option<Theme> {
        match name {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// How the user wants the page shown.
#[derive(Clone, Copy, Debug, Default)]
pub struct Prefs {
    pub help: bool,
    pub reduced_motion: bool,
    /// The side panel's open section.
    pub panel: Panel,
    /// On narrow screens the panel is a bottom sheet that can be closed.
    pub panel_open: bool,
    pub theme: Theme,
    /// The theme was chosen (in the link or with the switch), not taken from the system.
    pub theme_chosen: bool,
    /// The key to the picture's shapes and colours is shown.
    pub legend: bool,
    /// The page's language.
    pub lang: Lang,
    /// The language was chosen (in the link or with the switch), not taken from the browser.
    pub lang_chosen: bool,
}

//! Scenarios: a JSON file with the cluster, its settings, timed actions and
//! expected outcomes. Unknown fields and wrong types are errors that name the
//! file, line, column and field path.

use raft_core::{Backtrack, ReadOnly, Role};
use serde::{Deserialize, Serialize};
use serde_json::error::Category;

use crate::checker::Invariant;
use crate::network::{NetworkConfig, PPM};
use crate::timeline::{LoggedAction, Timeline};
use crate::world::{Action, Bug, InitialState, World, WorldConfig, MAX_LATENCY_US, MAX_SERVERS};

/// The latest time a scenario may name, in milliseconds (10^12 ms, about 31
/// years of virtual time). Times become microseconds (x 1000) and are added to
/// the clock and to one another (a reboot's `down_ms` to its time, ten
/// election timeouts for the liveness check), so they stay far below
/// `u64::MAX / 1000`: nothing overflows.
pub const MAX_TIME_MS: u64 = 1_000_000_000_000;

/// A scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub name: String,
    /// One line for menus: what the scenario shows.
    #[serde(default)]
    pub title: Localized,
    #[serde(default)]
    pub description: Localized,
    /// Servers 1..=nodes form the first configuration.
    pub nodes: usize,
    /// Extra servers, outside the cluster until added.
    #[serde(default)]
    pub spare_nodes: usize,
    #[serde(default)]
    pub seed: u64,
    /// How long to run, in milliseconds of virtual time.
    #[serde(default = "default_until_ms")]
    pub until_ms: u64,
    #[serde(default = "default_tick_ms")]
    pub tick_ms: u64,
    #[serde(default)]
    pub node: NodeSettings,
    #[serde(default)]
    pub network: NetworkSettings,
    #[serde(default)]
    pub clients: ClientSettings,
    /// Deliberately broken rules, by name (e.g. `commit-previous-term`).
    #[serde(default)]
    pub bugs: Vec<Bug>,
    /// Persisted state of servers at the start (log as a list of terms).
    #[serde(default)]
    pub initial: Vec<InitialState>,
    #[serde(default)]
    pub actions: Vec<TimedAction>,
    #[serde(default)]
    pub expect: Vec<Expectation>,
}

/// A text of a scenario file (its title, its description), for people: a
/// plain string, which is English, or the text in each language the page
/// speaks, `{"en": "...", "zh": "..."}` (English required, so every language
/// has something to fall back to). Texts never reach a run or its trace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Localized {
    /// English: the text of a plain string, and of a language without its own.
    pub en: String,
    /// Simplified Chinese.
    pub zh: Option<String>,
}

impl Localized {
    /// The language codes a text can have, English first.
    pub const LANGS: [&'static str; 2] = ["en", "zh"];

    /// An English text (what a plain string in a file is).
    pub fn new(en: impl Into<String>) -> Localized {
        Localized {
            en: en.into(),
            zh: None,
        }
    }

    /// The text in `lang`: a language code (`en`, `zh`) or a tag that starts
    /// with one (`zh-Hans`, `zh-CN`); English when it has none in that
    /// language (or an empty one).
    pub fn text(&self, lang: &str) -> &str {
        self.get(lang).filter(|t| !t.is_empty()).unwrap_or(&self.en)
    }

    /// The text in exactly this language, if the file gave one.
    pub fn get(&self, lang: &str) -> Option<&str> {
        let primary = lang.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") {
            Some(&self.en)
        } else if primary.eq_ignore_ascii_case("zh") {
            self.zh.as_deref()
        } else {
            None
        }
    }

    /// Every language the text has, with its text, English first.
    pub fn languages(&self) -> impl Iterator<Item = (&'static str, &str)> {
        Self::LANGS
            .into_iter()
            .filter_map(|code| Some((code, self.get(code)?)))
    }

    /// No English text (an absent title or description).
    pub fn is_empty(&self) -> bool {
        self.en.is_empty()
    }
}

impl From<String> for Localized {
    fn from(en: String) -> Localized {
        Localized::new(en)
    }
}

impl From<&str> for Localized {
    fn from(en: &str) -> Localized {
        Localized::new(en)
    }
}

/// The English text.
impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// The form of a [`Localized`] with its languages (the plain string is handled
/// by [`Localized`]'s own `Deserialize`).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ByLanguage {
    en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    zh: Option<String>,
}

/// English only: a plain string, as files were written before languages; else
/// the object.
impl Serialize for Localized {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.zh {
            None => s.serialize_str(&self.en),
            Some(zh) => ByLanguage {
                en: self.en.clone(),
                zh: Some(zh.clone()),
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Localized, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Localized;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a text: a string (English), or an object with one per language, \
                     {\"en\": \"...\", \"zh\": \"...\"}",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Localized, E> {
                Ok(Localized::new(v))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Localized, E> {
                Ok(Localized::new(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Localized, A::Error> {
                let t = ByLanguage::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Localized { en: t.en, zh: t.zh })
            }
        }
        d.deserialize_any(Visitor)
    }
}

fn default_until_ms() -> u64 {
    5_000
}
fn default_tick_ms() -> u64 {
    10
}

/// Server settings; times in milliseconds (rounded to whole ticks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodeSettings {
    pub election_timeout_min_ms: u64,
    pub election_timeout_max_ms: u64,
    pub heartbeat_ms: u64,
    pub pre_vote: bool,
    pub check_quorum: bool,
    /// `one_by_one` (§5.3) or `conflict_term` (the §5.3 optimisation).
    pub backtrack: BacktrackName,
    /// `safe` (ReadIndex) or `lease` (needs check_quorum).
    pub read_only: ReadOnlyName,
    pub max_entries_per_append: usize,
    pub max_inflight: usize,
    /// Compact a log once this many applied entries follow its snapshot (0: never).
    pub snapshot_threshold: u64,
}

impl Default for NodeSettings {
    fn default() -> Self {
        NodeSettings {
            election_timeout_min_ms: 150,
            election_timeout_max_ms: 300,
            heartbeat_ms: 50,
            pre_vote: false,
            check_quorum: false,
            backtrack: BacktrackName::OneByOne,
            read_only: ReadOnlyName::Safe,
            max_entries_per_append: 64,
            max_inflight: 8,
            snapshot_threshold: 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BacktrackName {
    OneByOne,
    ConflictTerm,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadOnlyName {
    Safe,
    Lease,
}

/// Network settings; times in milliseconds, rates between 0 and 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkSettings {
    pub latency_min_ms: f64,
    pub latency_max_ms: f64,
    pub loss: f64,
    pub dup: f64,
    pub reorder: f64,
    pub reorder_max_ms: f64,
    /// In-order links (like TCP): messages on one link arrive in the order sent,
    /// except those that `reorder` holds back.
    pub fifo: bool,
    /// Per-link latency overrides.
    pub links: Vec<LinkSettings>,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        NetworkSettings {
            latency_min_ms: 1.0,
            latency_max_ms: 5.0,
            loss: 0.0,
            dup: 0.0,
            reorder: 0.0,
            reorder_max_ms: 20.0,
            fifo: false,
            links: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSettings {
    pub from: u64,
    pub to: u64,
    pub latency_min_ms: f64,
    pub latency_max_ms: f64,
}

/// Simulated clients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClientSettings {
    /// Clients 1..=count exist from the start (actions may name others).
    pub count: usize,
    /// Issue random operations continuously.
    pub load: bool,
    pub think_ms: u64,
    pub timeout_ms: u64,
    pub max_attempts: u32,
    pub keys: usize,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            count: 0,
            load: false,
            think_ms: 20,
            timeout_ms: 300,
            max_attempts: 20,
            keys: 3,
        }
    }
}

/// An action at a time: `{"at_ms": 100, "do": "crash", "node": 1}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimedAction {
    pub at_ms: f64,
    /// For runs recorded on the page: the number of world events processed
    /// when the action was taken. The action is then replayed at exactly that
    /// point (even between two events of one instant), after the actions
    /// without it have been scheduled; such actions must come in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_events: Option<u64>,
    #[serde(flatten)]
    pub action: Action,
}

/// An expected outcome at a time: `{"at_ms": 900, "that": "leader", "node": 1}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Expectation {
    pub at_ms: f64,
    #[serde(flatten)]
    pub check: Check,
}

/// What an expectation checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "that", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// This server is the leader of the highest term among running servers.
    Leader {
        node: u64,
    },
    /// Some running server leads a term >= min_term.
    LeaderExists {
        #[serde(default)]
        min_term: u64,
    },
    /// No running server is leader.
    NoLeader,
    /// These servers' logs hold the same terms (all running servers when empty).
    LogsEqual {
        #[serde(default)]
        nodes: Vec<u64>,
    },
    /// A server's log, as terms from index 1.
    Log {
        node: u64,
        terms: Vec<u64>,
    },
    /// The commit index of a server (every running voter when absent) is >= min_index.
    Committed {
        #[serde(default)]
        node: Option<u64>,
        min_index: u64,
    },
    /// A server's role.
    Role {
        node: u64,
        role: String,
    },
    /// A server's current_term is >= min.
    Term {
        node: u64,
        min: u64,
    },
    /// The checker found a violation of this invariant.
    Violation {
        invariant: Invariant,
    },
    NoViolation,
    /// How many AppendEntries a server rejected so far (§5.3).
    Rejections {
        node: u64,
        #[serde(default)]
        min: Option<u64>,
        #[serde(default)]
        max: Option<u64>,
    },
    /// A server installed at least one snapshot from a leader (§7).
    SnapshotInstalled {
        node: u64,
    },
    /// The configuration a server uses.
    Config {
        node: u64,
        voters: Vec<u64>,
        #[serde(default)]
        voters_outgoing: Vec<u64>,
        #[serde(default)]
        learners: Vec<u64>,
    },
    /// A key's value in a server's state machine (`null`: absent).
    Kv {
        node: u64,
        key: String,
        value: Option<String>,
    },
    /// At least this many client operations completed ok.
    ClientOk {
        min: u64,
    },
}

/// Why a scenario could not be loaded: where, which field, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: String,
    /// 1-based; 0 when the problem is not at one place in the text.
    pub line: usize,
    pub column: usize,
    /// The field path, e.g. `actions[2].node`.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        } else {
            write!(f, "{}: ", self.file)?;
        }
        if !self.path.is_empty() && self.path != "." {
            write!(f, "field `{}`: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ScenarioError {}

fn ms_to_us(ms: f64) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        (ms * 1000.0).round() as u64
    } else {
        0
    }
}

/// A time in milliseconds a scenario gives: between 0 and `max_ms`.
fn time_in_range(path: String, ms: f64, max_ms: u64) -> Result<(), (String, String)> {
    if ms.is_finite() && (0.0..=max_ms as f64).contains(&ms) {
        Ok(())
    } else {
        Err((path, format!("must be a time between 0 and {max_ms} ms")))
    }
}

fn rate_to_ppm(rate: f64) -> u64 {
    (rate.clamp(0.0, 1.0) * PPM as f64).round() as u64
}

impl Scenario {
    /// Parses a scenario; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let scenario: Scenario = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (line, column) = (inner.line(), inner.column());
            let mut message = inner.to_string();
            let suffix = format!(" at line {line} column {column}");
            if let Some(stripped) = message.strip_suffix(&suffix) {
                message = stripped.to_string();
            }
            // serde_json says `expected ident` or `EOF while parsing a value`: say what that means.
            if matches!(inner.classify(), Category::Syntax | Category::Eof) {
                message = format!("not JSON: {message}");
            }
            ScenarioError {
                file: file.to_string(),
                line,
                column,
                path,
                message,
            }
        })?;
        scenario
            .validate()
            .map_err(|(path, message)| ScenarioError {
                file: file.to_string(),
                line: 0,
                column: 0,
                path,
                message,
            })?;
        Ok(scenario)
    }

    fn total_nodes(&self) -> u64 {
        (self.nodes + self.spare_nodes) as u64
    }

    /// Checks what serde cannot: ranges and references to servers.
    fn validate(&self) -> Result<(), (String, String)> {
        if self.nodes == 0 {
            return Err(("nodes".into(), "a cluster needs at least one server".into()));
        }
        if self.nodes > MAX_SERVERS {
            return Err(("nodes".into(), format!("at most {MAX_SERVERS} servers")));
        }
        if self.spare_nodes > MAX_SERVERS - self.nodes {
            return Err((
                "spare_nodes".into(),
                format!(
                    "at most {MAX_SERVERS} servers in all, {} of them in the cluster",
                    self.nodes
                ),
            ));
        }
        let n = self.total_nodes();
        let server = |path: String, id: u64| {
            if id == 0 || id > n {
                Err((path, format!("no server S{id} (servers are 1..={n})")))
            } else {
                Ok(())
            }
        };
        if self.tick_ms == 0 {
            return Err(("tick_ms".into(), "must be at least 1".into()));
        }
        let time = |path: &str, ms: u64| time_in_range(path.into(), ms as f64, MAX_TIME_MS);
        time("tick_ms", self.tick_ms)?;
        time("until_ms", self.until_ms)?;
        time("clients.think_ms", self.clients.think_ms)?;
        time("clients.timeout_ms", self.clients.timeout_ms)?;
        for (k, ms) in [
            ("election_timeout_min_ms", self.node.election_timeout_min_ms),
            ("election_timeout_max_ms", self.node.election_timeout_max_ms),
            ("heartbeat_ms", self.node.heartbeat_ms),
        ] {
            time(&format!("node.{k}"), ms)?;
            // A server counts its timeouts in ticks, a u32.
            if ms / self.tick_ms > u64::from(u32::MAX) {
                return Err((
                    format!("node.{k}"),
                    format!("must be at most {} ticks of tick_ms", u32::MAX),
                ));
            }
        }
        let latency_ms = MAX_LATENCY_US / 1000;
        let latency = |path: String, min: f64, max: f64| {
            time_in_range(path.clone() + "latency_min_ms", min, latency_ms)?;
            time_in_range(path.clone() + "latency_max_ms", max, latency_ms)?;
            if max < min {
                return Err((path + "latency_max_ms", "must be >= latency_min_ms".into()));
            }
            Ok(())
        };
        let net = &self.network;
        latency("network.".into(), net.latency_min_ms, net.latency_max_ms)?;
        time_in_range(
            "network.reorder_max_ms".into(),
            net.reorder_max_ms,
            latency_ms,
        )?;
        for (i, l) in net.links.iter().enumerate() {
            latency(
                format!("network.links[{i}]."),
                l.latency_min_ms,
                l.latency_max_ms,
            )?;
        }
        if self.clients.count > crate::world::MAX_CLIENTS {
            return Err((
                "clients.count".into(),
                format!("at most {} clients", crate::world::MAX_CLIENTS),
            ));
        }
        for (k, r) in [
            ("loss", self.network.loss),
            ("dup", self.network.dup),
            ("reorder", self.network.reorder),
        ] {
            if !(0.0..=1.0).contains(&r) {
                return Err((
                    format!("network.{k}"),
                    format!(
                        "must be between 0 and 1 (a fraction of messages: 0.1 is 10 %), not {r}"
                    ),
                ));
            }
        }
        for (i, a) in self.actions.iter().enumerate() {
            let p = |f: &str| format!("actions[{i}].{f}");
            time_in_range(p("at_ms"), a.at_ms, MAX_TIME_MS)?;
            match &a.action {
                Action::CrashNextLeader { after_ms } => {
                    time_in_range(p("after_ms"), *after_ms as f64, MAX_TIME_MS)?
                }
                Action::RebootFollower { down_ms } => {
                    time_in_range(p("down_ms"), *down_ms as f64, MAX_TIME_MS)?
                }
                Action::Crash { node }
                | Action::Restart { node }
                | Action::Isolate { node }
                | Action::AddVoter { node }
                | Action::AddLearner { node }
                | Action::RemoveServer { node }
                | Action::Snapshot { node }
                | Action::Campaign { node } => server(p("node"), *node)?,
                Action::Reboot { node, down_ms } => {
                    server(p("node"), *node)?;
                    time_in_range(p("down_ms"), *down_ms as f64, MAX_TIME_MS)?;
                }
                Action::Transfer { to } => server(p("to"), *to)?,
                Action::Contact { node, .. } => server(p("node"), *node)?,
                Action::Cut { from, to } | Action::Mend { from, to } => {
                    server(p("from"), *from)?;
                    server(p("to"), *to)?;
                }
                a @ Action::SetNetwork { .. } => {
                    if let Some((field, why)) = a.network_error() {
                        return Err((p(field), why));
                    }
                }
                a @ Action::SetDisk { .. } => {
                    if let Some((field, why)) = a.disk_error() {
                        return Err((p(field), why));
                    }
                }
                Action::Partition { groups, clients } => {
                    for (g, group) in groups.iter().enumerate() {
                        for &id in group {
                            server(format!("actions[{i}].groups[{g}]"), id)?;
                        }
                    }
                    if clients.len() > groups.len() {
                        return Err((
                            p("clients"),
                            format!(
                                "{} client groups for {} server groups (clients[i] go with groups[i])",
                                clients.len(),
                                groups.len()
                            ),
                        ));
                    }
                }
                _ => {}
            }
        }
        for (i, e) in self.expect.iter().enumerate() {
            time_in_range(format!("expect[{i}].at_ms"), e.at_ms, MAX_TIME_MS)?;
            if let Check::Role { role, .. } = &e.check {
                if parse_role(role).is_none() {
                    return Err((
                        format!("expect[{i}].role"),
                        format!("unknown role `{role}`, expected follower, precandidate, candidate or leader"),
                    ));
                }
            }
        }
        let cfg = self.world_config();
        cfg.raft
            .validate()
            .map_err(|e| ("node".to_string(), e.to_string()))?;
        // All the world may still refuse is a server's initial state.
        cfg.validate().map_err(|m| ("initial".to_string(), m))
    }

    /// The world this scenario describes.
    pub fn world_config(&self) -> WorldConfig {
        let mut cfg = WorldConfig::with_nodes(self.nodes);
        cfg.spare_nodes = self.spare_nodes;
        cfg.tick_us = self.tick_ms * 1000;
        let ticks = |ms: u64| (ms / self.tick_ms.max(1)) as u32;
        let n = &self.node;
        cfg.raft.election_timeout_min = ticks(n.election_timeout_min_ms);
        cfg.raft.election_timeout_max = ticks(n.election_timeout_max_ms);
        cfg.raft.heartbeat_interval = ticks(n.heartbeat_ms);
        cfg.raft.pre_vote = n.pre_vote;
        cfg.raft.check_quorum = n.check_quorum;
        cfg.raft.backtrack = match n.backtrack {
            BacktrackName::OneByOne => Backtrack::OneByOne,
            BacktrackName::ConflictTerm => Backtrack::ConflictTerm,
        };
        cfg.raft.read_only = match n.read_only {
            ReadOnlyName::Safe => ReadOnly::Safe,
            ReadOnlyName::Lease => ReadOnly::LeaseBased,
        };
        cfg.raft.max_entries_per_append = n.max_entries_per_append;
        cfg.raft.max_inflight = n.max_inflight;
        cfg.snapshot_threshold = n.snapshot_threshold;
        let net = &self.network;
        cfg.network = NetworkConfig {
            latency_min_us: ms_to_us(net.latency_min_ms),
            latency_max_us: ms_to_us(net.latency_max_ms),
            loss_ppm: rate_to_ppm(net.loss),
            dup_ppm: rate_to_ppm(net.dup),
            reorder_ppm: rate_to_ppm(net.reorder),
            reorder_max_us: ms_to_us(net.reorder_max_ms),
            fifo: net.fifo,
        };
        for b in &self.bugs {
            cfg.set_bug(*b, true);
        }
        let c = &self.clients;
        cfg.clients = c.count;
        cfg.client_load = c.load;
        cfg.client_think_us = c.think_ms * 1000;
        cfg.client_timeout_us = c.timeout_ms * 1000;
        cfg.client_max_attempts = c.max_attempts;
        cfg.keys = c.keys;
        cfg.initial = self.initial.clone();
        cfg
    }

    /// The scheduled actions (those without `after_events`) with their times in microseconds.
    pub fn timed_actions(&self) -> Vec<(u64, Action)> {
        self.actions
            .iter()
            .filter(|a| a.after_events.is_none())
            .map(|a| (ms_to_us(a.at_ms), a.action.clone()))
            .collect()
    }

    /// The actions recorded on the page (those with `after_events`), in order.
    pub fn recorded_actions(&self) -> Vec<LoggedAction> {
        self.actions
            .iter()
            .filter_map(|a| {
                Some(LoggedAction {
                    t: ms_to_us(a.at_ms),
                    events: a.after_events?,
                    action: a.action.clone(),
                })
            })
            .collect()
    }

    /// Builds the world (with per-link latencies) and schedules the actions
    /// without `after_events` (see [`Scenario::timeline`] for the others).
    pub fn build(&self, seed: u64, trace: bool) -> Result<World, String> {
        self.build_with(seed, |cfg| cfg.trace = trace)
    }

    /// [`Scenario::build`], with settings that do not change the run (trace,
    /// journal, recent events) adjusted by `adjust`.
    pub fn build_with(
        &self,
        seed: u64,
        adjust: impl FnOnce(&mut WorldConfig),
    ) -> Result<World, String> {
        let mut cfg = self.world_config();
        adjust(&mut cfg);
        let mut world = World::with_actions(cfg, seed, &self.timed_actions())?;
        for l in &self.network.links {
            world.set_link_latency(
                l.from,
                l.to,
                ms_to_us(l.latency_min_ms),
                ms_to_us(l.latency_max_ms),
            );
        }
        Ok(world)
    }

    /// The world of [`Scenario::build_with`] on a timeline that replays the
    /// recorded actions at their points: the run a page link or an exported
    /// file describes. The timeline keeps `checkpoints` checkpoints, one every
    /// `interval_us` at most.
    pub fn timeline(
        &self,
        seed: u64,
        checkpoints: usize,
        interval_us: u64,
        adjust: impl FnOnce(&mut WorldConfig),
    ) -> Result<Timeline, String> {
        let world = self.build_with(seed, adjust)?;
        let mut timeline = Timeline::new(world, checkpoints, interval_us);
        for a in self.recorded_actions() {
            timeline.push_action(a)?;
        }
        Ok(timeline)
    }

    /// Runs the scenario to `until_ms` (or its own), checking each expectation at its time.
    pub fn run(
        &self,
        seed: Option<u64>,
        until_ms: Option<u64>,
        trace: bool,
    ) -> Result<Run, String> {
        let mut timeline = self.timeline(seed.unwrap_or(self.seed), 2, u64::MAX / 4, |cfg| {
            cfg.trace = trace
        })?;
        let until_ms = until_ms.unwrap_or(self.until_ms);
        if until_ms > MAX_TIME_MS {
            return Err(format!(
                "{until_ms} ms is past the latest time a run may reach, {MAX_TIME_MS} ms"
            ));
        }
        let until = until_ms * 1000;
        let mut order: Vec<usize> = (0..self.expect.len()).collect();
        order.sort_by_key(|&i| ms_to_us(self.expect[i].at_ms));
        let mut results = Vec::new();
        for i in order {
            let e = &self.expect[i];
            let at = ms_to_us(e.at_ms);
            if at > until {
                continue;
            }
            timeline.run_until(at);
            let outcome = evaluate(timeline.world(), &e.check);
            results.push(ExpectationResult {
                index: i,
                at_ms: e.at_ms,
                check: e.check.clone(),
                failure: outcome.err(),
            });
        }
        timeline.run_until(until);
        Ok(Run {
            world: timeline.world().clone(),
            expectations: results,
        })
    }
}

/// A finished run of a scenario.
#[derive(Clone, Debug)]
pub struct Run {
    pub world: World,
    pub expectations: Vec<ExpectationResult>,
}

impl Run {
    pub fn failed_expectations(&self) -> impl Iterator<Item = &ExpectationResult> {
        self.expectations.iter().filter(|e| e.failure.is_some())
    }
}

#[derive(Clone, Debug)]
pub struct ExpectationResult {
    /// Its position in the scenario's `expect` list.
    pub index: usize,
    pub at_ms: f64,
    pub check: Check,
    /// Why it did not hold; `None` when it held.
    pub failure: Option<String>,
}

fn parse_role(name: &str) -> Option<Role> {
    Some(match name {
        "follower" => Role::Follower,
        "precandidate" => Role::PreCandidate,
        "candidate" => Role::Candidate,
        "leader" => Role::Leader,
        _ => return None,
    })
}

/// Whether `check` holds in `world` now; the error says what was seen instead.
pub fn evaluate(world: &World, check: &Check) -> Result<(), String> {
    let view = |id: u64| world.nodes().find(|n| n.id == id);
    let node = |id: u64| world.node(id).ok_or(format!("no server S{id}"));
    match check {
        Check::Leader { node } => match world.leader() {
            Some(l) if l == *node => Ok(()),
            other => Err(format!("expected S{node} to lead, leader is {other:?}")),
        },
        Check::LeaderExists { min_term } => match world.leader().and_then(view) {
            Some(l) if l.term >= *min_term => Ok(()),
            Some(l) => Err(format!("S{} leads term {} < {min_term}", l.id, l.term)),
            None => Err("no leader".into()),
        },
        Check::NoLeader => match world.leader() {
            None => Ok(()),
            Some(l) => Err(format!("S{l} is leader")),
        },
        Check::LogsEqual { nodes } => {
            let ids: Vec<u64> = if nodes.is_empty() {
                world.nodes().filter(|n| n.alive).map(|n| n.id).collect()
            } else {
                nodes.clone()
            };
            let mut first: Option<(u64, Vec<u64>)> = None;
            for id in ids {
                let terms = node(id)?.log_terms();
                match &first {
                    None => first = Some((id, terms)),
                    Some((f, ft)) if *ft != terms => {
                        return Err(format!("S{f} has {ft:?} but S{id} has {terms:?}"))
                    }
                    Some(_) => {}
                }
            }
            Ok(())
        }
        Check::Log { node: id, terms } => {
            let have = node(*id)?.log_terms();
            if have == *terms {
                Ok(())
            } else {
                Err(format!("S{id}'s log is {have:?}, expected {terms:?}"))
            }
        }
        Check::Committed {
            node: id,
            min_index,
        } => {
            let ids: Vec<u64> = match id {
                Some(id) => vec![*id],
                None => world
                    .nodes()
                    .filter(|n| {
                        n.alive
                            && world
                                .node(n.id)
                                .and_then(|x| x.raft())
                                .is_some_and(|r| r.configuration().is_voter(n.id))
                    })
                    .map(|n| n.id)
                    .collect(),
            };
            for id in ids {
                let v = view(id).ok_or(format!("no server S{id}"))?;
                if v.commit_index < *min_index {
                    return Err(format!(
                        "S{id}'s commit index is {} < {min_index}",
                        v.commit_index
                    ));
                }
            }
            Ok(())
        }
        Check::Role { node: id, role } => {
            let v = view(*id).ok_or(format!("no server S{id}"))?;
            if Some(v.role) == parse_role(role) && v.alive {
                Ok(())
            } else {
                Err(format!("S{id} is {} (alive: {})", v.role, v.alive))
            }
        }
        Check::Term { node: id, min } => {
            let v = view(*id).ok_or(format!("no server S{id}"))?;
            if v.term >= *min {
                Ok(())
            } else {
                Err(format!("S{id}'s term is {} < {min}", v.term))
            }
        }
        Check::Violation { invariant } => {
            if world.violations().iter().any(|v| v.invariant == *invariant) {
                Ok(())
            } else {
                Err(format!(
                    "no {invariant} violation; found {:?}",
                    world
                        .violations()
                        .iter()
                        .map(|v| v.invariant.as_str())
                        .collect::<Vec<_>>()
                ))
            }
        }
        Check::NoViolation => match world.violations().first() {
            None => Ok(()),
            Some(v) => Err(v.to_string()),
        },
        Check::Rejections { node: id, min, max } => {
            let n = node(*id)?.append_rejections;
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                Err(format!(
                    "S{id} rejected {n} AppendEntries, expected between {min:?} and {max:?}"
                ))
            } else {
                Ok(())
            }
        }
        Check::SnapshotInstalled { node: id } => {
            if node(*id)?.snapshots_installed > 0 {
                Ok(())
            } else {
                Err(format!("S{id} installed no snapshot"))
            }
        }
        Check::Config {
            node: id,
            voters,
            voters_outgoing,
            learners,
        } => {
            let r = node(*id)?.raft().ok_or(format!("S{id} is crashed"))?;
            let c = r.configuration();
            let got = |s: &std::collections::BTreeSet<u64>| s.iter().copied().collect::<Vec<_>>();
            let mut want = (voters.clone(), voters_outgoing.clone(), learners.clone());
            want.0.sort_unstable();
            want.1.sort_unstable();
            want.2.sort_unstable();
            let have = (got(&c.voters), got(&c.voters_outgoing), got(&c.learners));
            if have == want {
                Ok(())
            } else {
                Err(format!("S{id}'s configuration is {c}, expected voters {voters:?}, outgoing {voters_outgoing:?}, learners {learners:?}"))
            }
        }
        Check::Kv {
            node: id,
            key,
            value,
        } => {
            let n = node(*id)?;
            if !n.alive() {
                return Err(format!("S{id} is crashed"));
            }
            let have = n.kv.get(key).map(String::from);
            if have == *value {
                Ok(())
            } else {
                Err(format!("S{id} has {key} = {have:?}, expected {value:?}"))
            }
        }
        Check::ClientOk { min } => {
            let ok = world
                .history()
                .iter()
                .filter(|e| matches!(e.outcome, crate::client::Outcome::Ok(_)))
                .count() as u64;
            if ok >= *min {
                Ok(())
            } else {
                Err(format!(
                    "{ok} client operations completed ok, expected >= {min}"
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_scenario_parses_with_defaults() {
        let s = Scenario::parse(r#"{"nodes": 3}"#, "x.json").unwrap();
        assert_eq!(s.nodes, 3);
        assert_eq!(s.until_ms, 5000);
        assert_eq!(s.world_config().raft.election_timeout_min, 15);
    }

    #[test]
    fn actions_and_expectations_parse() {
        let s = Scenario::parse(
            r#"{"nodes": 3, "bugs": ["commit-previous-term"],
                "actions": [{"at_ms": 5, "do": "crash", "node": 1},
                            {"at_ms": 6, "do": "drop_next", "type": "AppendEntries", "to": 2},
                            {"at_ms": 7, "do": "heal"},
                            {"at_ms": 8, "do": "put", "client": 1, "key": "k", "value": "v"}],
                "expect": [{"at_ms": 9, "that": "violation", "invariant": "leader_completeness"}]}"#,
            "x.json",
        )
        .unwrap();
        assert_eq!(s.actions[0].action, Action::Crash { node: 1 });
        assert_eq!(s.actions[2].action, Action::Heal);
        assert!(s.world_config().raft.bugs.commit_previous_term);
        assert_eq!(
            s.expect[0].check,
            Check::Violation {
                invariant: Invariant::LeaderCompleteness
            }
        );
    }

    #[test]
    fn texts_are_a_string_or_one_per_language() {
        let s = Scenario::parse(
            r#"{"nodes": 3, "title": "Plain", "description": {"en": "In English", "zh": "中文说明"}}"#,
            "x.json",
        )
        .unwrap();
        assert_eq!(s.title, Localized::new("Plain"));
        assert_eq!((s.title.text("en"), s.title.text("zh")), ("Plain", "Plain"));
        assert_eq!(s.title.get("zh"), None);
        assert_eq!(s.description.text("zh"), "中文说明");
        assert_eq!(s.description.text("zh-Hans"), "中文说明");
        assert_eq!(s.description.text("en"), "In English");
        assert_eq!(
            s.description.text("fr"),
            "In English",
            "falls back to English"
        );
        assert_eq!(
            s.description.languages().collect::<Vec<_>>(),
            [("en", "In English"), ("zh", "中文说明")]
        );
        // Written back the same way: a plain string stays one.
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["title"], serde_json::json!("Plain"));
        assert_eq!(
            json["description"],
            serde_json::json!({"en": "In English", "zh": "中文说明"})
        );
        let back: Scenario = serde_json::from_value(json).unwrap();
        assert_eq!((back.title, back.description), (s.title, s.description));
        // Absent: empty, in every language.
        let s = Scenario::parse(r#"{"nodes": 3}"#, "x.json").unwrap();
        assert!(s.title.is_empty() && s.description.text("zh").is_empty());
    }

    #[test]
    fn a_bad_text_names_its_field() {
        for (text, path, says) in [
            (r#"{"nodes": 3, "title": 7}"#, "title", "a text"),
            (
                r#"{"nodes": 3, "title": {"zh": "标题"}}"#,
                "title",
                "missing field `en`",
            ),
            (
                r#"{"nodes": 3, "description": {"en": "x", "fr": "y"}}"#,
                "description",
                "unknown field `fr`",
            ),
            (
                r#"{"nodes": 3, "title": {"en": "x", "zh": 1}}"#,
                "title.zh",
                "a string",
            ),
        ] {
            let e = Scenario::parse(text, "t.json").unwrap_err();
            assert!(e.path.starts_with(path), "{text}: path {} in {e}", e.path);
            assert!(e.message.contains(says), "{text}: {e}");
            assert!(
                e.to_string().contains(&format!("field `{}`", e.path)),
                "{e}"
            );
        }
    }

    #[test]
    fn unknown_field_names_file_line_and_field() {
        let text = "{\n  \"nodes\": 3,\n  \"network\": {\"latency_ms\": 3}\n}";
        let e = Scenario::parse(text, "s.json").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("s.json", 3));
        assert!(e.message.contains("latency_ms"), "{e}");
        assert!(e.to_string().starts_with("s.json:3:"), "{e}");
    }

    #[test]
    fn wrong_type_names_the_field_path() {
        let text = "{\"nodes\": 3,\n \"initial\": [{\"node\": 1, \"log\": [1, \"x\"]}]}";
        let e = Scenario::parse(text, "s.json").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.path.contains("initial[0].log"), "{e}");
        assert!(e.message.contains("invalid type"), "{e}");
    }

    #[test]
    fn unknown_action_field_and_bad_server_are_errors() {
        let e = Scenario::parse(
            r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "crash", "nod": 1}]}"#,
            "s.json",
        )
        .unwrap_err();
        assert!(e.to_string().contains("nod"), "{e}");
        assert!(e.path.contains("actions[0]"), "{e}");
        let e = Scenario::parse(
            r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "crash", "node": 4}]}"#,
            "s.json",
        )
        .unwrap_err();
        assert_eq!(e.path, "actions[0].node");
        assert!(e.message.contains("S4"), "{e}");
        let e = Scenario::parse(r#"{"nodes": 3, "bugs": ["nope"]}"#, "s.json").unwrap_err();
        assert!(e.path.contains("bugs[0]"), "{e}");
    }

    #[test]
    fn a_network_change_out_of_range_names_its_field() {
        let e = Scenario::parse(
            r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "set_network", "loss_pct": 120}]}"#,
            "s.json",
        )
        .unwrap_err();
        assert_eq!(e.path, "actions[0].loss_pct");
        assert!(e.message.contains("120"), "{e}");
        let e = Scenario::parse(
            r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "set_network", "latency_min_us": 9, "latency_max_us": 5}]}"#,
            "s.json",
        )
        .unwrap_err();
        assert_eq!(e.path, "actions[0].latency_max_us");
        assert!(Scenario::parse(
            r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "set_network", "loss_pct": 10, "latency_max_us": 20000}]}"#,
            "s.json",
        )
        .is_ok());
    }
}

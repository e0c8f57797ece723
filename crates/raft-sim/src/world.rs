//! The world: servers, their storage and state machines, the network,
//! clients, a virtual clock and the checker, in one `Clone` value. Stepping
//! it is a pure function of its state: the next timed event comes off a queue
//! ordered by (time, sequence number), so a seed and an action list always
//! give the same trace.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

use raft_core::{
    Backtrack, Bugs, Command, ConfChange, Config, Entry, EntryData, Event, HardState, Message,
    Output, ProposeError, Raft, RaftRng, ReadOnly, Role, Snapshot, SplitMix64, Storage,
};
use serde::{Deserialize, Serialize};

use crate::checker::{Checker, Violation};
use crate::chunked::ChunkedVec;
use crate::client::{Client, ClientEvent, ClientReply, ClientRequest, Outcome};
use crate::disk::{self, DiskConfig};
use crate::journal::{
    Answer, AttemptEvent, ClientStep, Journal, MarkKind, MessageFate, MessageRecord, Traffic,
};
use crate::kv::{KvOp, KvResult, KvStore};
use crate::network::{Endpoint, Fate, Filter, LossReason, Network, NetworkConfig};
use crate::throughput::CommitStats;
use crate::trace::{write_line, TraceEvent};

/// A deliberately broken rule (see `raft_core::Bugs`, plus one of the world's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bug {
    /// Count replicas of old-term entries to commit them (breaks §5.4.2, Figure 8).
    CommitPreviousTerm,
    /// Grant votes without the up-to-date check (breaks §5.4.1).
    VoteWithoutLogCheck,
    /// Every server uses the same election timeout (breaks §5.2 liveness).
    NoRandomizedTimeout,
    /// A restarted server forgets whom it voted for (breaks Figure 2's persistence of votedFor).
    ForgetVoteOnRestart,
    /// Apply entries as soon as they are appended (breaks §5.3).
    ApplyBeforeCommit,
}

impl Bug {
    pub const ALL: [Bug; 5] = [
        Bug::CommitPreviousTerm,
        Bug::VoteWithoutLogCheck,
        Bug::NoRandomizedTimeout,
        Bug::ForgetVoteOnRestart,
        Bug::ApplyBeforeCommit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Bug::CommitPreviousTerm => "commit-previous-term",
            Bug::VoteWithoutLogCheck => "vote-without-log-check",
            Bug::NoRandomizedTimeout => "no-randomized-timeout",
            Bug::ForgetVoteOnRestart => "forget-vote-on-restart",
            Bug::ApplyBeforeCommit => "apply-before-commit",
        }
    }

    pub fn parse(name: &str) -> Option<Bug> {
        let name = name.replace('_', "-");
        Bug::ALL.into_iter().find(|b| b.name() == name)
    }
}

/// A protocol switch that can be flipped during a run (the page's switches).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Switch {
    /// Pre-vote before disrupting the cluster with a new term (dissertation §9.6).
    PreVote,
    /// A leader steps down without a quorum for an election timeout (§6.2).
    CheckQuorum,
    /// Skip a whole conflicting term per rejection instead of one index (end of §5.3).
    FastBacktrack,
    /// Batching (dissertation §10.2.2): on, up to the core's default of 64 entries per
    /// AppendEntries; off, one entry per AppendEntries.
    Batching,
    /// Pipelining (dissertation §10.2.2): on, up to the core's default of 8 AppendEntries in
    /// flight per follower; off, one, and the next waits for its answer.
    Pipelining,
    /// Lease-based reads (§6.4.1; needs CheckQuorum) instead of ReadIndex.
    LeaseRead,
}

impl Switch {
    pub const ALL: [Switch; 6] = [
        Switch::PreVote,
        Switch::CheckQuorum,
        Switch::FastBacktrack,
        Switch::Batching,
        Switch::Pipelining,
        Switch::LeaseRead,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Switch::PreVote => "pre_vote",
            Switch::CheckQuorum => "check_quorum",
            Switch::FastBacktrack => "fast_backtrack",
            Switch::Batching => "batching",
            Switch::Pipelining => "pipelining",
            Switch::LeaseRead => "lease_read",
        }
    }

    /// Whether the switch is on in these server settings.
    pub fn is_on(self, c: &Config) -> bool {
        match self {
            Switch::PreVote => c.pre_vote,
            Switch::CheckQuorum => c.check_quorum,
            Switch::FastBacktrack => c.backtrack == Backtrack::ConflictTerm,
            Switch::Batching => c.max_entries_per_append > 1,
            Switch::Pipelining => c.max_inflight > 1,
            Switch::LeaseRead => c.read_only == ReadOnly::LeaseBased,
        }
    }

    /// Turns the switch on or off in these server settings.
    pub fn set(self, c: &mut Config, on: bool) {
        match self {
            Switch::PreVote => c.pre_vote = on,
            Switch::CheckQuorum => c.check_quorum = on,
            Switch::FastBacktrack => {
                c.backtrack = if on {
                    Backtrack::ConflictTerm
                } else {
                    Backtrack::OneByOne
                }
            }
            Switch::Batching => {
                c.max_entries_per_append = if on {
                    Config::new(1).max_entries_per_append
                } else {
                    1
                };
            }
            Switch::Pipelining => {
                c.max_inflight = if on { Config::new(1).max_inflight } else { 1 };
            }
            Switch::LeaseRead => {
                c.read_only = if on {
                    ReadOnly::LeaseBased
                } else {
                    ReadOnly::Safe
                }
            }
        }
    }
}

/// The longest one-hop latency a network setting may ask for.
pub const MAX_LATENCY_US: u64 = 10_000_000;

/// A server's persisted state at the start, for scenarios such as Figure 7.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitialState {
    pub node: u64,
    #[serde(default)]
    pub current_term: u64,
    #[serde(default)]
    pub voted_for: Option<u64>,
    /// The term of each entry, index 1 first.
    #[serde(default)]
    pub log: Vec<u64>,
}

/// The most clients a world starts with (each is built up front).
pub const MAX_CLIENTS: usize = 1000;
/// The most servers a world may have (cluster and spares together).
pub const MAX_SERVERS: usize = 1000;

/// Everything that shapes a world besides its seed.
#[derive(Clone, Debug)]
pub struct WorldConfig {
    /// Servers 1..=nodes form the first configuration.
    pub nodes: usize,
    /// Servers nodes+1..=nodes+spare_nodes start outside the cluster, ready to be added.
    pub spare_nodes: usize,
    /// How often each server is ticked, in microseconds.
    pub tick_us: u64,
    /// Settings of every server (the id is filled in per server).
    pub raft: Config,
    pub network: NetworkConfig,
    pub forget_vote_on_restart: bool,
    /// Compact a server's log once this many applied entries follow its snapshot (0: never).
    pub snapshot_threshold: u64,
    /// Clients 1..=clients exist from the start.
    pub clients: usize,
    /// Whether the clients issue random operations on their own.
    pub client_load: bool,
    /// Time between a client's operations under load, drawn from 0..client_think_us.
    pub client_think_us: u64,
    /// How long a client waits for an answer before retrying.
    pub client_timeout_us: u64,
    pub client_max_attempts: u32,
    /// Keys used by the random load.
    pub keys: usize,
    /// Keep the JSON Lines trace in memory.
    pub trace: bool,
    /// How many recent core events to keep for the inspector (0: none).
    pub recent_events: usize,
    /// How many recent messages and role marks to keep for drawing (0: none). See [`Journal`].
    pub journal: usize,
    /// No leader for this many maximum election timeouts, with all servers up
    /// and the network whole, is a liveness failure (0: not checked).
    pub liveness_timeouts: u64,
    /// Shut a server down once a committed configuration leaves it out (it
    /// keeps its state; see [`World::retire_removed`]). Off, a removed server
    /// runs on and campaigns, and only the servers' rules keep it harmless.
    pub retire_removed: bool,
    /// How long the servers' writes and applies take (see [`crate::disk`]).
    pub disk: DiskConfig,
    pub initial: Vec<InitialState>,
}

impl WorldConfig {
    /// `n` servers with the paper's timing: 10 ms ticks, elections in 150-300 ms,
    /// heartbeats every 50 ms, 1-5 ms per hop (§9.3).
    pub fn with_nodes(n: usize) -> Self {
        WorldConfig {
            nodes: n,
            spare_nodes: 0,
            tick_us: 10_000,
            raft: Config::new(1),
            network: NetworkConfig::default(),
            forget_vote_on_restart: false,
            snapshot_threshold: 0,
            clients: 0,
            client_load: false,
            client_think_us: 20_000,
            client_timeout_us: 300_000,
            client_max_attempts: 20,
            keys: 3,
            trace: false,
            recent_events: 256,
            journal: 0,
            liveness_timeouts: 10,
            retire_removed: true,
            disk: DiskConfig::default(),
            initial: Vec::new(),
        }
    }

    pub fn set_bug(&mut self, bug: Bug, on: bool) {
        let b: &mut Bugs = &mut self.raft.bugs;
        match bug {
            Bug::CommitPreviousTerm => b.commit_previous_term = on,
            Bug::VoteWithoutLogCheck => b.vote_without_log_check = on,
            Bug::NoRandomizedTimeout => b.no_randomized_timeout = on,
            Bug::ApplyBeforeCommit => b.apply_before_commit = on,
            Bug::ForgetVoteOnRestart => self.forget_vote_on_restart = on,
        }
    }

    pub fn bugs(&self) -> Vec<Bug> {
        let b = self.raft.bugs;
        let on = [
            b.commit_previous_term,
            b.vote_without_log_check,
            b.no_randomized_timeout,
            self.forget_vote_on_restart,
            b.apply_before_commit,
        ];
        [
            Bug::CommitPreviousTerm,
            Bug::VoteWithoutLogCheck,
            Bug::NoRandomizedTimeout,
            Bug::ForgetVoteOnRestart,
            Bug::ApplyBeforeCommit,
        ]
        .into_iter()
        .zip(on)
        .filter_map(|(bug, on)| on.then_some(bug))
        .collect()
    }

    /// Checks the settings; the message names what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.nodes == 0 {
            return Err("a cluster needs at least one server".into());
        }
        if self.nodes.saturating_add(self.spare_nodes) > MAX_SERVERS {
            return Err(format!("at most {MAX_SERVERS} servers"));
        }
        if self.clients > MAX_CLIENTS {
            return Err(format!("at most {MAX_CLIENTS} clients"));
        }
        if self.tick_us == 0 {
            return Err("tick length must be at least 1 microsecond".into());
        }
        if self.network.latency_max_us < self.network.latency_min_us {
            return Err("network latency max must be >= min".into());
        }
        self.raft
            .validate()
            .map_err(|e| format!("node config: {e}"))?;
        let total = (self.nodes + self.spare_nodes) as u64;
        for s in &self.initial {
            if s.node == 0 || s.node > total {
                return Err(format!("initial state for S{}: no such server", s.node));
            }
            if s.log.windows(2).any(|w| w[1] < w[0]) {
                return Err(format!(
                    "initial log of S{}: terms must not decrease",
                    s.node
                ));
            }
            if s.log.iter().any(|&t| t == 0 || t > s.current_term) {
                return Err(format!(
                    "initial log of S{}: every term must be between 1 and current_term ({})",
                    s.node, s.current_term
                ));
            }
        }
        Ok(())
    }
}

/// Why the world refused an action: typed, so a page can say it in its own
/// words; `Display` gives the English sentence (`transfer to S3: not the leader`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionError {
    NoServer {
        node: u64,
    },
    /// The message was delivered or lost before it could be dropped.
    NoMessage {
        id: u64,
    },
    /// Only a held message can be released.
    NotHeld {
        id: u64,
    },
    Crashed {
        node: u64,
    },
    AlreadyCrashed {
        node: u64,
    },
    Running {
        node: u64,
    },
    NoLeader,
    /// The leader has no running follower to reboot.
    NoFollower,
    /// No entry was applied since the server's last snapshot.
    NothingToCompact {
        snapshot_index: u64,
    },
    /// The protocol refused (raft-core's reason).
    Refused(ProposeError),
    /// A network setting out of range.
    Network {
        field: &'static str,
        why: String,
    },
    /// The longest latency would be shorter than the shortest.
    LatencyOrder {
        min_us: u64,
        max_us: u64,
    },
    /// A time past the range a run can hold (`MAX_TIME_MS`).
    TimeRange {
        field: &'static str,
        ms: u64,
    },
    /// A disk setting out of range.
    Disk {
        field: &'static str,
        why: String,
    },
    /// A configuration the servers cannot take.
    Config(String),
    /// What was being done when the refusal came: `transfer to S3`, `AddVoter(6)`.
    While {
        what: String,
        error: Box<ActionError>,
    },
}

impl ActionError {
    fn while_(what: impl Into<String>, error: ActionError) -> ActionError {
        ActionError::While {
            what: what.into(),
            error: Box::new(error),
        }
    }

    /// The refusal itself, without what was being done.
    pub fn reason(&self) -> &ActionError {
        match self {
            ActionError::While { error, .. } => error.reason(),
            e => e,
        }
    }
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActionError::NoServer { node } => write!(f, "no server S{node}"),
            ActionError::NoMessage { id } => write!(f, "no message {id} in flight"),
            ActionError::NotHeld { id } => write!(f, "message {id} is not held"),
            ActionError::Crashed { node } => write!(f, "S{node} is crashed"),
            ActionError::AlreadyCrashed { node } => write!(f, "S{node} is already crashed"),
            ActionError::Running { node } => write!(f, "S{node} is running"),
            ActionError::NoLeader => f.write_str("no leader"),
            ActionError::NoFollower => f.write_str("the leader has no running follower"),
            ActionError::NothingToCompact { snapshot_index } => write!(
                f,
                "nothing to compact (no entry applied since its snapshot at index {snapshot_index})"
            ),
            ActionError::Refused(e) => write!(f, "{e}"),
            ActionError::Network { field, why } => write!(f, "network {field}: {why}"),
            ActionError::Disk { field, why } => write!(f, "disk {field}: {why}"),
            ActionError::LatencyOrder { min_us, max_us } => write!(
                f,
                "network latency: the longest ({max_us} \u{b5}s) is shorter than the shortest ({min_us} \u{b5}s)"
            ),
            ActionError::TimeRange { field, ms } => write!(
                f,
                "{field} = {ms} ms is past the latest time a run can hold ({} ms)",
                crate::scenario::MAX_TIME_MS
            ),
            ActionError::Config(e) => f.write_str(e),
            ActionError::While { what, error } => write!(f, "{what}: {error}"),
        }
    }
}

impl std::error::Error for ActionError {}

impl From<ActionError> for String {
    fn from(e: ActionError) -> String {
        e.to_string()
    }
}

/// Something that can be done to the world, now or at a scheduled time.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Lose all volatile state; persisted state survives.
    Crash {
        node: u64,
    },
    /// Reload from persisted state (commit and applied index restart from the snapshot).
    Restart {
        node: u64,
    },
    /// Split the servers into groups; servers in no group are alone.
    /// `clients[i]` lists the clients placed with `groups[i]`, which then reach
    /// only that group's servers; a client in no group reaches every server.
    Partition {
        groups: Vec<Vec<u64>>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        clients: Vec<Vec<u64>>,
    },
    /// One-way cut: `from` can no longer reach `to`.
    Cut {
        from: u64,
        to: u64,
    },
    /// Reconnect one way: `from` can reach `to` again (undoes a cut, a partition or an isolation for that link).
    Mend {
        from: u64,
        to: u64,
    },
    Isolate {
        node: u64,
    },
    Heal,
    /// Drop the next message that matches (any field may be left out).
    DropNext {
        #[serde(default, rename = "type")]
        kind: Option<String>,
        #[serde(default)]
        from: Option<u64>,
        #[serde(default)]
        to: Option<u64>,
    },
    /// Drop one message in flight.
    DropMessage {
        id: u64,
    },
    /// Send a copy of a message in flight: it arrives the shortest latency after
    /// the original would (a network that delivers twice).
    DuplicateMessage {
        id: u64,
    },
    /// Hold a message in flight where it is, until it is released.
    HoldMessage {
        id: u64,
    },
    /// Let a held message go on: it arrives after the time it had left to travel.
    ReleaseMessage {
        id: u64,
    },
    Put {
        client: u64,
        key: String,
        value: String,
    },
    Get {
        client: u64,
        key: String,
    },
    Append {
        client: u64,
        key: String,
        value: String,
    },
    Cas {
        client: u64,
        key: String,
        #[serde(default)]
        expected: Option<String>,
        value: String,
    },
    /// The client sends its next attempt to this server, as if it believed it leads
    /// (a redirect or a timeout moves it on, §8).
    Contact {
        client: u64,
        node: u64,
    },
    AddVoter {
        node: u64,
    },
    AddLearner {
        node: u64,
    },
    RemoveServer {
        node: u64,
    },
    /// Joint consensus towards these voters (§6).
    EnterJoint {
        voters: Vec<u64>,
        #[serde(default)]
        learners: Vec<u64>,
    },
    /// Leadership transfer to `to` (dissertation §3.10).
    Transfer {
        to: u64,
    },
    /// Compact this server's log up to its applied index (§7).
    Snapshot {
        node: u64,
    },
    /// Make this server's election timer run out now (§5.2).
    Campaign {
        node: u64,
    },
    /// Crash whichever server leads now.
    CrashLeader,
    /// Crash the next server to become leader, `after_ms` after it takes office.
    CrashNextLeader {
        after_ms: u64,
    },
    /// Cut the next server to become leader off from every other server once it has
    /// received `after_messages` messages, counting the vote that elected it (0 or 1: as
    /// it takes office). Its messages still in flight are lost too; `heal` reconnects it.
    IsolateNextLeader {
        after_messages: u64,
    },
    /// Flip a protocol switch on every server, from now on (a recorded action, so
    /// rewinding and links reproduce it).
    SetSwitch {
        switch: Switch,
        on: bool,
    },
    /// Break (or mend) a rule on every server, from now on.
    SetBug {
        bug: Bug,
        on: bool,
    },
    /// Change the network from now on; fields left out keep their value.
    /// Messages already in flight keep their delivery time.
    SetNetwork {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_min_us: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_max_us: Option<u64>,
        /// Percent of messages lost (0-100).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        loss_pct: Option<u32>,
        /// Percent of messages delivered twice (0-100).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dup_pct: Option<u32>,
        /// Percent of messages held back so later ones overtake them (0-100).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reorder_pct: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reorder_max_us: Option<u64>,
    },
    /// Change the servers' disks from now on (see [`crate::disk`]); fields left
    /// out keep their value. Work already queued keeps its finishing time.
    SetDisk {
        /// How long one write or one apply takes (0: instant).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_us: Option<u64>,
        /// The leader sends while its own write is under way (§10.2.1).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parallel_append: Option<bool>,
        /// Committed entries are applied off the log's disk.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        async_apply: Option<bool>,
    },
    /// Compact a server's log once this many applied entries follow its snapshot (0: never, §7).
    SetSnapshotThreshold {
        entries: u64,
    },
    /// Crash a server and restart it after `down_ms`.
    Reboot {
        node: u64,
        down_ms: u64,
    },
    /// Crash the running follower of the current leader with the lowest id, and
    /// restart it after `down_ms` (it misses what is written meanwhile, §5.3).
    RebootFollower {
        down_ms: u64,
    },
}

/// The two ends of a client message and its type name (for filters).
fn client_link(payload: &Payload, from: u64, to: u64) -> ((Endpoint, Endpoint), &'static str) {
    match payload {
        Payload::Reply(_) => (
            (Endpoint::Server(from), Endpoint::Client(to)),
            "ClientReply",
        ),
        _ => (
            (Endpoint::Client(from), Endpoint::Server(to)),
            "ClientRequest",
        ),
    }
}

/// A time an action gives in ms, in µs: refused past `MAX_TIME_MS` (a link can carry
/// any number), so that adding it to the clock cannot overflow.
fn time_us(field: &'static str, ms: u64) -> Result<u64, ActionError> {
    if ms > crate::scenario::MAX_TIME_MS {
        return Err(ActionError::TimeRange { field, ms });
    }
    Ok(ms * 1000)
}

impl Action {
    /// For `set_disk`: the field out of range and why (shared with the scenario parser).
    pub fn disk_error(&self) -> Option<(&'static str, String)> {
        let Action::SetDisk {
            latency_us: Some(us),
            ..
        } = self
        else {
            return None;
        };
        (*us > disk::MAX_DISK_LATENCY_US).then(|| {
            (
                "latency_us",
                format!("at most {} µs", disk::MAX_DISK_LATENCY_US),
            )
        })
    }

    /// For `set_network`: the first field out of range (its name in a scenario
    /// file) and why. The scenario parser and the world share this rule.
    pub fn network_error(&self) -> Option<(&'static str, String)> {
        let Action::SetNetwork {
            latency_min_us,
            latency_max_us,
            loss_pct,
            dup_pct,
            reorder_pct,
            reorder_max_us,
        } = self
        else {
            return None;
        };
        for (field, pct) in [
            ("loss_pct", loss_pct),
            ("dup_pct", dup_pct),
            ("reorder_pct", reorder_pct),
        ] {
            if let Some(p) = pct.filter(|&p| p > 100) {
                return Some((field, format!("must be between 0 and 100 %, not {p}")));
            }
        }
        for (field, us) in [
            ("latency_min_us", latency_min_us),
            ("latency_max_us", latency_max_us),
            ("reorder_max_us", reorder_max_us),
        ] {
            if us.is_some_and(|us| us > MAX_LATENCY_US) {
                return Some((field, format!("must be at most {MAX_LATENCY_US} µs")));
            }
        }
        if let (Some(lo), Some(hi)) = (latency_min_us, latency_max_us) {
            if hi < lo {
                return Some(("latency_max_us", "must be >= latency_min_us".into()));
            }
        }
        None
    }

    /// A client operation, if this is one.
    pub fn client_op(&self) -> Option<(u64, KvOp)> {
        Some(match self.clone() {
            Action::Put { client, key, value } => (client, KvOp::Put { key, value }),
            Action::Get { client, key } => (client, KvOp::Get { key }),
            Action::Append { client, key, value } => (client, KvOp::Append { key, value }),
            Action::Cas {
                client,
                key,
                expected,
                value,
            } => (
                client,
                KvOp::Cas {
                    key,
                    expected,
                    value,
                },
            ),
            _ => return None,
        })
    }
}

/// What travels on the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    Raft(Message),
    Request(ClientRequest),
    Reply(ClientReply),
}

/// A message in flight. For client traffic `from`/`to` are a client id and a server id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub id: u64,
    pub from: u64,
    pub to: u64,
    pub sent_at: u64,
    pub deliver_at: u64,
    pub payload: Payload,
    /// Held by hand since this time (it does not move until released).
    pub held_at: Option<u64>,
}

impl InFlight {
    /// The message type name (`AppendEntries`, `ClientRequest`, ...).
    pub fn kind(&self) -> &'static str {
        match &self.payload {
            Payload::Raft(m) => m.body.kind().as_str(),
            Payload::Request(_) => "ClientRequest",
            Payload::Reply(_) => "ClientReply",
        }
    }
}

/// One server: its persisted storage, and while it runs, the Raft state
/// machine, the key-value store and the requests it is serving.
#[derive(Clone, Debug)]
pub struct Node {
    pub id: u64,
    raft: Option<Raft<SplitMix64>>,
    pub storage: Storage,
    pub kv: KvStore,
    incarnation: u64,
    last_commit: u64,
    pending_writes: BTreeSet<(u64, u64)>,
    pending_reads: BTreeMap<u64, (u64, u64, String)>,
    waiting_reads: Vec<(u64, u64, u64, String)>,
    next_ctx: u64,
    /// AppendEntries this server rejected (§5.3), over all its lifetimes.
    pub append_rejections: u64,
    /// Snapshots this server installed from a leader (§7).
    pub snapshots_installed: u64,
    /// Shut down (but kept, state and all, for inspection) once a committed
    /// configuration left it out; see [`World::retire_removed`].
    retired: bool,
    /// Log writes (and applies, without async apply) under way (see [`crate::disk`]).
    disk: disk::Queue,
    /// Applies under way with async apply.
    applier: disk::Queue,
    /// The last index the state machine holds (behind the core's while applies are under way).
    kv_applied: u64,
    /// Where the log ends once every queued write is done.
    written_last: u64,
    /// Set at a crash: the first index where the disk's log differs from the
    /// log the server had (writes lost), so the restart can say what is there.
    rewritten_from: Option<u64>,
}

impl Node {
    /// Shut down because a committed configuration left it out.
    pub fn retired(&self) -> bool {
        self.retired
    }
    /// Jobs waiting for or on this server's disk, and for its applier.
    pub fn disk_queue(&self) -> (usize, usize) {
        (self.disk.len(), self.applier.len())
    }
    /// The last index applied to the state machine.
    pub fn kv_applied(&self) -> u64 {
        self.kv_applied
    }
    /// The Raft state machine, while the server runs.
    pub fn raft(&self) -> Option<&Raft<SplitMix64>> {
        self.raft.as_ref()
    }
    pub fn alive(&self) -> bool {
        self.raft.is_some()
    }
    /// The terms of the log, index 1 first (compacted entries are not known: their slots hold 0,
    /// except the snapshot's last entry).
    pub fn log_terms(&self) -> Vec<u64> {
        let (snap, entries): (u64, Vec<u64>) = match &self.raft {
            Some(r) => (
                r.log().snapshot_index(),
                r.log().entries().iter().map(|e| e.term).collect(),
            ),
            None => (
                self.storage.snapshot.meta.index,
                self.storage.entries.iter().map(|e| e.term).collect(),
            ),
        };
        let snap_term = match &self.raft {
            Some(r) => r.log().snapshot().meta.term,
            None => self.storage.snapshot.meta.term,
        };
        let mut terms = vec![0; snap as usize];
        if let Some(last) = terms.last_mut() {
            *last = snap_term;
        }
        terms.extend(entries);
        terms
    }
}

/// A server at a glance (what the page draws).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub id: u64,
    pub role: Role,
    pub term: u64,
    pub alive: bool,
    /// Shut down after a committed configuration left it out (it keeps its state).
    pub retired: bool,
    pub commit_index: u64,
    pub last_index: u64,
    pub last_applied: u64,
    pub leader_id: Option<u64>,
    pub voted_for: Option<u64>,
}

/// A core event with where and when it happened (the inspector's "why").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreEvent {
    pub t: u64,
    pub node: u64,
    pub event: Event,
}

/// The world's next event, as [`World::next_event`] describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextEvent {
    /// A server's clock ticks.
    Tick { node: u64 },
    /// A message arrives (for client traffic one end is a client id).
    Arrival {
        id: u64,
        kind: Traffic,
        from: u64,
        to: u64,
    },
    /// Nothing: the delivery of a message that was dropped or held back.
    Stale,
    /// A client's wait for an answer may run out.
    ClientTimeout { client: u64 },
    /// A client tries again after a redirect.
    ClientRetry { client: u64 },
    /// A client under load thinks of its next request.
    ClientThink { client: u64 },
    /// An action scheduled by a scenario.
    Scheduled { action: Action },
    /// A server's disk finishes a write (or, without async apply, an apply).
    DiskDone { node: u64 },
    /// A server's applier finishes applying committed entries.
    ApplyDone { node: u64 },
}

/// Something scheduled that could not be done (e.g. a membership change with no leader).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub t: u64,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Due {
    Tick {
        node: u64,
        incarnation: u64,
    },
    Deliver {
        id: u64,
    },
    ClientTimeout {
        client: u64,
        req: u64,
        attempt: u32,
    },
    ClientRetry {
        client: u64,
        req: u64,
        attempt: u32,
    },
    ClientThink {
        client: u64,
    },
    Action(usize),
    /// The first job of a server's disk is done.
    Disk {
        node: u64,
        incarnation: u64,
    },
    /// The first job of a server's applier is done.
    Apply {
        node: u64,
        incarnation: u64,
    },
}

#[derive(Clone, Debug)]
struct Scheduled {
    t: u64,
    seq: u64,
    due: Due,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.t, self.seq) == (other.t, other.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    /// Reversed: the heap pops the earliest (time, sequence) first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.t, other.seq).cmp(&(self.t, self.seq))
    }
}

/// The first index at which `disk`'s log differs from `raft`'s (writes lost at a crash).
fn first_unwritten(raft: &Raft<SplitMix64>, disk: &Storage) -> Option<u64> {
    let first = disk.snapshot.meta.index + 1;
    let on_disk = |i: u64| disk.entries.get((i - first) as usize).map(|e| e.term);
    (first..=disk.last_index().max(raft.log().last_index()))
        .find(|&i| on_disk(i) != raft.log().term(i))
}

/// A seed for one stream (`what`, `n`) derived from the world seed.
fn derive_seed(seed: u64, what: u64, n: u64) -> u64 {
    let mut r = SplitMix64::new(
        seed ^ what.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03),
    );
    r.next_u64()
}

/// The simulated cluster. See the crate docs.
#[derive(Clone, Debug)]
pub struct World {
    cfg: WorldConfig,
    seed: u64,
    now: u64,
    seq: u64,
    queue: BinaryHeap<Scheduled>,
    nodes: Vec<Node>,
    ids: Vec<u64>,
    network: Network,
    in_flight: BTreeMap<u64, InFlight>,
    next_msg_id: u64,
    clients: BTreeMap<u64, Client>,
    rng: SplitMix64,
    checker: Checker,
    trace: Option<String>,
    recent: VecDeque<CoreEvent>,
    journal: Journal,
    /// Append-only, shared with the checkpoints' clones (see [`ChunkedVec`]).
    history: ChunkedVec<ClientEvent>,
    actions: Vec<Action>,
    notes: Vec<Note>,
    events: u64,
    crash_next_leader: Option<u64>,
    /// Armed by `IsolateNextLeader`: messages the next leader may receive first.
    isolate_next_leader: Option<u64>,
    /// A leader to isolate, and how many more messages it receives before that.
    doomed_leader: Option<(u64, u64)>,
    /// Commit latency and rate at the leaders.
    commits: CommitStats,
}

impl World {
    /// A new world. Panics if `cfg` is invalid; use [`World::try_new`] for user input.
    pub fn new(cfg: WorldConfig, seed: u64) -> World {
        match World::try_new(cfg, seed) {
            Ok(w) => w,
            Err(e) => panic!("invalid world config: {e}"),
        }
    }

    /// A new world, or why the config is invalid.
    pub fn try_new(mut cfg: WorldConfig, seed: u64) -> Result<World, String> {
        cfg.validate()?;
        if cfg.disk.latency_us > 0 {
            // The servers hear when their writes are done (§10.2.1).
            cfg.raft.wait_for_persist = true;
        }
        let total = (cfg.nodes + cfg.spare_nodes) as u64;
        let ids: Vec<u64> = (1..=total).collect();
        let voters: Vec<u64> = (1..=cfg.nodes as u64).collect();
        let mut w = World {
            network: Network::new(cfg.network.clone(), derive_seed(seed, 1, 0)),
            rng: SplitMix64::new(derive_seed(seed, 2, 0)),
            journal: Journal::new(cfg.journal),
            trace: cfg.trace.then(String::new),
            cfg,
            seed,
            now: 0,
            seq: 0,
            queue: BinaryHeap::new(),
            nodes: Vec::new(),
            ids: ids.clone(),
            in_flight: BTreeMap::new(),
            next_msg_id: 1,
            clients: BTreeMap::new(),
            checker: Checker::new(),
            recent: VecDeque::new(),
            history: ChunkedVec::new(),
            actions: Vec::new(),
            notes: Vec::new(),
            events: 0,
            crash_next_leader: None,
            isolate_next_leader: None,
            doomed_leader: None,
            commits: CommitStats::default(),
        };
        let liveness_us =
            w.cfg.liveness_timeouts * w.cfg.raft.election_timeout_max as u64 * w.cfg.tick_us;
        w.emit(TraceEvent::Start {
            seed,
            nodes: ids.clone(),
            liveness_us,
        });
        for &id in &ids {
            let mut storage = if id <= w.cfg.nodes as u64 {
                Storage::bootstrap(voters.iter().copied())
            } else {
                Storage::joining()
            };
            if let Some(init) = w.cfg.initial.iter().find(|s| s.node == id).cloned() {
                storage.hard_state = HardState {
                    current_term: init.current_term,
                    voted_for: init.voted_for,
                };
                storage.entries = init
                    .log
                    .iter()
                    .enumerate()
                    .map(|(i, &term)| Entry {
                        index: i as u64 + 1,
                        term,
                        data: EntryData::Noop,
                    })
                    .collect();
                for e in &storage.entries {
                    w.emit(TraceEvent::Append {
                        node: id,
                        index: e.index,
                        term: e.term,
                    });
                }
            }
            w.nodes.push(Node {
                id,
                raft: None,
                storage,
                kv: KvStore::default(),
                incarnation: 0,
                last_commit: 0,
                pending_writes: BTreeSet::new(),
                pending_reads: BTreeMap::new(),
                waiting_reads: Vec::new(),
                next_ctx: 1,
                append_rejections: 0,
                snapshots_installed: 0,
                retired: false,
                disk: disk::Queue::default(),
                applier: disk::Queue::default(),
                kv_applied: 0,
                written_last: 0,
                rewritten_from: None,
            });
            w.boot(id)?;
        }
        for c in 1..=w.cfg.clients as u64 {
            w.clients.insert(c, Client::new(c));
            if w.cfg.client_load {
                let think = w.rng.in_range(0, w.cfg.client_think_us + 1);
                w.schedule(think, Due::ClientThink { client: c });
            }
        }
        Ok(w)
    }

    /// A world with these actions scheduled at their times (microseconds).
    pub fn with_actions(
        cfg: WorldConfig,
        seed: u64,
        actions: &[(u64, Action)],
    ) -> Result<World, String> {
        let mut w = World::try_new(cfg, seed)?;
        for (t, a) in actions {
            w.schedule_action(*t, a.clone());
        }
        Ok(w)
    }

    // ----- Reading the world -------------------------------------------------

    pub fn now_us(&self) -> u64 {
        self.now
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn config(&self) -> &WorldConfig {
        &self.cfg
    }
    /// World events processed so far (ticks, deliveries, timeouts, actions).
    pub fn events_processed(&self) -> u64 {
        self.events
    }
    /// Every server, running or crashed.
    pub fn nodes(&self) -> impl Iterator<Item = NodeView> + '_ {
        self.nodes.iter().map(|n| match &n.raft {
            Some(r) => NodeView {
                id: n.id,
                role: r.role(),
                term: r.current_term(),
                alive: true,
                retired: n.retired,
                commit_index: r.commit_index(),
                last_index: r.log().last_index(),
                // What the state machine holds (behind the core while applies are under way).
                last_applied: n.kv_applied,
                leader_id: r.leader_id(),
                voted_for: r.voted_for(),
            },
            None => NodeView {
                id: n.id,
                role: Role::Follower,
                term: n.storage.hard_state.current_term,
                alive: false,
                retired: false,
                commit_index: n.storage.snapshot.meta.index,
                last_index: n.storage.last_index(),
                last_applied: n.storage.snapshot.meta.index,
                leader_id: None,
                voted_for: n.storage.hard_state.voted_for,
            },
        })
    }
    /// One server, with access to its `Raft` (log, next_index, match_index, ...).
    pub fn node(&self, id: u64) -> Option<&Node> {
        self.nodes.get(id.checked_sub(1)? as usize)
    }
    /// The leader of the highest term among running servers.
    pub fn leader(&self) -> Option<u64> {
        self.nodes()
            .filter(|n| n.alive && n.role == Role::Leader)
            .max_by_key(|n| n.term)
            .map(|n| n.id)
    }
    /// Messages in flight, by id.
    pub fn messages(&self) -> impl Iterator<Item = &InFlight> {
        self.in_flight.values()
    }
    pub fn network(&self) -> &Network {
        &self.network
    }
    pub fn clients(&self) -> impl Iterator<Item = &Client> {
        self.clients.values()
    }
    /// Commit latency and rate at the leaders, over the last seconds.
    pub fn commit_stats(&self) -> &CommitStats {
        &self.commits
    }

    /// How the servers' disks behave now.
    pub fn disk(&self) -> DiskConfig {
        self.cfg.disk
    }

    /// Invariant violations found so far (the first is the earliest).
    pub fn violations(&self) -> &[Violation] {
        self.checker.violations()
    }
    pub fn checker(&self) -> &Checker {
        &self.checker
    }
    /// Recent core events (bounded by `recent_events`), oldest first.
    pub fn events(&self) -> impl Iterator<Item = &CoreEvent> {
        self.recent.iter()
    }
    /// The client history: invoke and completion of every operation.
    /// Recent message lives and role marks (empty unless `WorldConfig::journal` > 0).
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn history(&self) -> &ChunkedVec<ClientEvent> {
        &self.history
    }
    /// Scheduled actions that could not be carried out.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }
    /// The trace so far (empty unless `trace` is on).
    pub fn trace(&self) -> &str {
        self.trace.as_deref().unwrap_or("")
    }
    /// Takes the trace written so far, leaving an empty buffer.
    pub fn take_trace(&mut self) -> String {
        self.trace.as_mut().map(std::mem::take).unwrap_or_default()
    }
    /// The time of the next event, if any.
    pub fn next_event_us(&self) -> Option<u64> {
        self.queue.peek().map(|s| s.t)
    }

    // ----- Running -----------------------------------------------------------

    /// Processes exactly one event; false when nothing is left to do.
    pub fn step_one(&mut self) -> bool {
        let Some(s) = self.queue.pop() else {
            return false;
        };
        self.now = self.now.max(s.t);
        self.events += 1;
        match s.due {
            Due::Tick { node, incarnation } => self.on_tick(node, incarnation),
            Due::Deliver { id } => self.on_deliver(id, s.t),
            Due::ClientTimeout {
                client,
                req,
                attempt,
            } => self.on_client_timeout(client, req, attempt),
            Due::ClientRetry {
                client,
                req,
                attempt,
            } => {
                if self.is_current(client, req, attempt) {
                    self.client_send(client);
                }
            }
            Due::ClientThink { client } => self.on_client_think(client),
            Due::Disk { node, incarnation } => self.on_disk_done(node, incarnation, false),
            Due::Apply { node, incarnation } => self.on_disk_done(node, incarnation, true),
            Due::Action(i) => {
                let a = self.actions[i].clone();
                if let Err(e) = self.apply_action(&a) {
                    let t = self.now;
                    self.notes.push(Note {
                        t,
                        message: e.to_string(),
                    });
                }
            }
        }
        true
    }

    /// Processes every event up to and including time `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: u64) {
        while self.queue.peek().is_some_and(|s| s.t <= t) {
            self.step_one();
        }
        self.now = self.now.max(t);
    }

    /// Processes every event due before time `t` (not those at `t`), then sets the clock to `t`.
    pub fn run_until_before(&mut self, t: u64) {
        while self.queue.peek().is_some_and(|s| s.t < t) {
            self.step_one();
        }
        self.now = self.now.max(t);
    }

    /// The server whose clock ticks next, if the next event is a tick.
    pub fn next_tick_node(&self) -> Option<u64> {
        match self.queue.peek()?.due {
            Due::Tick { node, .. } => Some(node),
            _ => None,
        }
    }

    /// What the next event will do (for "step"), as data the page words itself.
    pub fn next_event(&self) -> Option<NextEvent> {
        let s = self.queue.peek()?;
        Some(match &s.due {
            Due::Tick { node, .. } => NextEvent::Tick { node: *node },
            Due::Deliver { id } => match self.in_flight.get(id) {
                Some(m) if m.deliver_at == s.t => NextEvent::Arrival {
                    id: *id,
                    kind: match &m.payload {
                        Payload::Raft(msg) => Traffic::Raft(msg.body.kind()),
                        Payload::Request(r) => Traffic::ClientRequest { op: r.op.clone() },
                        Payload::Reply(ClientReply::Ok { result, .. }) => Traffic::ClientReply {
                            answer: Answer::Ok {
                                result: result.clone(),
                            },
                        },
                        Payload::Reply(ClientReply::Redirect { leader_hint, .. }) => {
                            Traffic::ClientReply {
                                answer: Answer::Redirect {
                                    leader_hint: *leader_hint,
                                },
                            }
                        }
                    },
                    from: m.from,
                    to: m.to,
                },
                _ => NextEvent::Stale,
            },
            Due::ClientTimeout { client, .. } => NextEvent::ClientTimeout { client: *client },
            Due::ClientRetry { client, .. } => NextEvent::ClientRetry { client: *client },
            Due::ClientThink { client } => NextEvent::ClientThink { client: *client },
            Due::Action(i) => NextEvent::Scheduled {
                action: self.actions[*i].clone(),
            },
            Due::Disk { node, .. } => NextEvent::DiskDone { node: *node },
            Due::Apply { node, .. } => NextEvent::ApplyDone { node: *node },
        })
    }

    /// Runs until time `t` or until a violation is found, whichever is first.
    pub fn run_until_violation(&mut self, t: u64, max_events: u64) -> bool {
        while self.queue.peek().is_some_and(|s| s.t <= t) && self.events < max_events {
            self.step_one();
            if !self.checker.violations().is_empty() {
                return true;
            }
        }
        false
    }

    fn schedule(&mut self, t: u64, due: Due) {
        self.seq += 1;
        self.queue.push(Scheduled {
            t,
            seq: self.seq,
            due,
        });
    }

    /// Schedules `action` at time `t` (microseconds; now if in the past).
    pub fn schedule_action(&mut self, t: u64, action: Action) {
        self.actions.push(action);
        let i = self.actions.len() - 1;
        self.schedule(t.max(self.now), Due::Action(i));
    }

    fn emit(&mut self, ev: TraceEvent) {
        self.checker.observe(self.now, &ev);
        if let Some(buf) = &mut self.trace {
            write_line(buf, self.now, &ev);
        }
    }

    fn index_of(&self, id: u64) -> Option<usize> {
        let i = id.checked_sub(1)? as usize;
        (i < self.nodes.len()).then_some(i)
    }

    // ----- Servers -----------------------------------------------------------

    /// Starts (or restarts) a server from its storage.
    fn boot(&mut self, id: u64) -> Result<(), ActionError> {
        let i = self
            .index_of(id)
            .ok_or(ActionError::NoServer { node: id })?;
        let mut cfg = self.cfg.raft.clone();
        cfg.id = id;
        cfg.record_events = true;
        let node = &mut self.nodes[i];
        node.incarnation += 1;
        let rng = SplitMix64::new(derive_seed(self.seed, 3 + node.incarnation, id));
        let raft =
            Raft::new(cfg, &node.storage, rng).map_err(|e| ActionError::Config(e.to_string()))?;
        node.last_commit = raft.commit_index();
        node.kv = KvStore::from_snapshot(&node.storage.snapshot.data);
        node.kv_applied = node.storage.snapshot.meta.index;
        node.written_last = node.storage.last_index();
        node.raft = Some(raft);
        let incarnation = node.incarnation;
        let next_tick = (self.now / self.cfg.tick_us + 1) * self.cfg.tick_us;
        self.schedule(
            next_tick,
            Due::Tick {
                node: id,
                incarnation,
            },
        );
        self.after_input(i);
        Ok(())
    }

    fn on_tick(&mut self, id: u64, incarnation: u64) {
        let Some(i) = self.index_of(id) else { return };
        let node = &mut self.nodes[i];
        if node.incarnation != incarnation {
            return;
        }
        let Some(raft) = node.raft.as_mut() else {
            return;
        };
        // A retired server's clock stops; it goes on if it is added back.
        if !node.retired {
            raft.tick();
            self.after_input(i);
        }
        let t = self.now + self.cfg.tick_us;
        self.schedule(
            t,
            Due::Tick {
                node: id,
                incarnation,
            },
        );
    }

    /// After every input: take the output, persist, send, then restore and
    /// apply and serve reads (the order `raft_core::Output` asks for). With a
    /// disk that takes time, the persist and the apply are queued instead and
    /// the messages that must wait for them are held ([`crate::disk`]).
    fn after_input(&mut self, i: usize) {
        loop {
            let Some(raft) = self.nodes[i].raft.as_mut() else {
                return;
            };
            let mut out = raft.take_output();
            let commit = raft.commit_index();
            let leading = (raft.role() == Role::Leader).then(|| raft.current_term());
            let id = self.nodes[i].id;
            for ev in std::mem::take(&mut out.events) {
                self.on_core_event(i, id, ev);
            }
            let node = &mut self.nodes[i];
            if commit != node.last_commit {
                node.last_commit = commit;
                if let Some(term) = leading {
                    self.commits.committed(self.now, commit, term);
                }
                self.emit(TraceEvent::Commit {
                    node: id,
                    index: commit,
                });
                self.retire_removed(i);
            }
            for rs in std::mem::take(&mut out.read_states) {
                if let Some((client, req, key)) = self.nodes[i].pending_reads.remove(&rs.context) {
                    self.nodes[i]
                        .waiting_reads
                        .push((rs.index, client, req, key));
                }
            }
            let again = if self.disk_in_use(i) {
                self.queue_output(i, out)
            } else {
                self.carry_out(i, out)
            };
            // A read confirmed at an index already applied is served now, not at the next apply.
            let applied = self.nodes[i].kv_applied;
            self.serve_reads(i, applied);
            if !self.maybe_compact(i) && !again {
                return;
            }
        }
    }

    /// Whether server `i`'s writes go through its disk queue.
    fn disk_in_use(&self, i: usize) -> bool {
        let n = &self.nodes[i];
        self.cfg.disk.latency_us > 0 || !n.disk.is_empty() || !n.applier.is_empty()
    }

    /// Persists, sends and applies an output at once; true when the report of
    /// the write gave the server more to do.
    fn carry_out(&mut self, i: usize, mut out: Output) -> bool {
        let node = &mut self.nodes[i];
        node.storage.persist(&out);
        node.written_last = out.last_index;
        let term = node
            .raft
            .as_ref()
            .and_then(|r| r.log().term(out.last_index));
        let again = term.is_some_and(|term| self.report_persisted(i, out.last_index, term));
        for m in out
            .messages
            .drain(..)
            .chain(out.messages_after_persist.drain(..))
        {
            self.send_raft(m);
        }
        self.apply(i, out.restore.take(), std::mem::take(&mut out.committed));
        again
    }

    /// Tells the core its log is on disk up to `last_index` (only when it waits
    /// for such reports); true if that produced output.
    fn report_persisted(&mut self, i: usize, last_index: u64, term: u64) -> bool {
        let Some(raft) = self.nodes[i].raft.as_mut() else {
            return false;
        };
        if !raft.config().wait_for_persist {
            return false;
        }
        let commit = raft.commit_index();
        raft.persisted(last_index, term);
        raft.commit_index() != commit
    }

    /// Loads a snapshot and applies committed entries to the state machine,
    /// answering the clients and the reads waiting for them.
    fn apply(&mut self, i: usize, restore: Option<Snapshot>, committed: Vec<Entry>) {
        if let Some(s) = &restore {
            self.nodes[i].kv = KvStore::from_snapshot(&s.data);
            self.nodes[i].kv_applied = s.meta.index;
        }
        for e in committed {
            self.nodes[i].kv_applied = e.index;
            self.apply_entry(i, e);
        }
        let applied = self.nodes[i].kv_applied;
        self.serve_reads(i, applied);
    }

    /// Hands an output to server `i`'s disk: the write and the apply are queued
    /// and the messages that must wait are held (see [`crate::disk`]).
    fn queue_output(&mut self, i: usize, mut out: Output) -> bool {
        let disk_cfg = self.cfg.disk;
        let (id, incarnation, now) = (self.nodes[i].id, self.nodes[i].incarnation, self.now);
        let node = &mut self.nodes[i];
        let writes = out.hard_state.is_some()
            || out.snapshot.is_some()
            || !out.entries.is_empty()
            || out.last_index != node.written_last;
        let mut to_send = Vec::new();
        if writes {
            let stable = node
                .raft
                .as_ref()
                .and_then(|r| r.log().term(out.last_index))
                .map(|term| (out.last_index, term));
            node.written_last = out.last_index;
            let part = Output {
                hard_state: out.hard_state.take(),
                snapshot: out.snapshot.take(),
                entries: std::mem::take(&mut out.entries),
                last_index: out.last_index,
                ..Output::default()
            };
            let job = disk::Job::Write {
                parts: vec![part],
                stable,
            };
            if let Some(t) = node.disk.push(now, disk_cfg.latency_us, job) {
                self.schedule(
                    t,
                    Due::Disk {
                        node: id,
                        incarnation,
                    },
                );
            }
        }
        let node = &mut self.nodes[i];
        // §10.2.1: with parallel append the leader's AppendEntries go out while
        // its own write is under way; without it, they go once it is done.
        if disk_cfg.parallel_append || node.disk.is_empty() {
            to_send.append(&mut out.messages);
        } else {
            node.disk.hold(out.messages.drain(..));
        }
        // Figure 2: replies and vote requests promise what is on disk.
        if node.disk.is_empty() {
            to_send.append(&mut out.messages_after_persist);
        } else {
            node.disk.hold(out.messages_after_persist.drain(..));
        }
        if out.restore.is_some() || !out.committed.is_empty() {
            let job = disk::Job::Apply {
                restore: out.restore.take(),
                committed: std::mem::take(&mut out.committed),
            };
            // Applies stay in order: while one queue still holds some (async apply was
            // just switched), the next go there too.
            let to_applier = if !node.applier.is_empty() {
                true
            } else if node.disk.has_apply() {
                false
            } else {
                disk_cfg.async_apply
            };
            let (queue, due) = if to_applier {
                (
                    &mut node.applier,
                    Due::Apply {
                        node: id,
                        incarnation,
                    },
                )
            } else {
                (
                    &mut node.disk,
                    Due::Disk {
                        node: id,
                        incarnation,
                    },
                )
            };
            if let Some(t) = queue.push(now, disk_cfg.latency_us, job) {
                self.schedule(t, due);
            }
        }
        for m in to_send {
            self.send_raft(m);
        }
        false
    }

    /// The first job of server `id`'s disk (or applier) is done.
    fn on_disk_done(&mut self, id: u64, incarnation: u64, applier: bool) {
        let Some(i) = self.index_of(id) else { return };
        let node = &mut self.nodes[i];
        if node.incarnation != incarnation || node.raft.is_none() {
            return;
        }
        let queue = if applier {
            &mut node.applier
        } else {
            &mut node.disk
        };
        let Some(done) = queue.pop() else { return };
        match done.job {
            disk::Job::Write { parts, stable } => {
                for part in &parts {
                    self.nodes[i].storage.persist(part);
                }
                if let Some((index, term)) = stable {
                    self.report_persisted(i, index, term);
                }
            }
            disk::Job::Apply { restore, committed } => self.apply(i, restore, committed),
        }
        for m in done.held {
            self.send_raft(m);
        }
        self.after_input(i);
    }

    fn on_core_event(&mut self, i: usize, id: u64, ev: Event) {
        if let Event::EntryAppended { index, term } = ev {
            if self.nodes[i].raft.as_ref().map(|r| r.role()) == Some(Role::Leader) {
                self.commits.appended(self.now, index, term);
            }
        }
        if let Event::ReadDropped { context } = &ev {
            // The server stopped leading before confirming the read: send the client on (§8).
            if let Some((client, req, _)) = self.nodes[i].pending_reads.remove(context) {
                let leader_hint = self.nodes[i]
                    .raft
                    .as_ref()
                    .and_then(|r| r.leader_id())
                    .filter(|&l| l != id);
                self.send_reply(
                    id,
                    ClientReply::Redirect {
                        client,
                        req,
                        leader_hint,
                    },
                );
            }
        }
        if let (
            Event::RoleChanged {
                role: Role::Leader, ..
            },
            Some(delay),
        ) = (&ev, self.crash_next_leader)
        {
            self.crash_next_leader = None;
            let t = self.now + delay;
            self.schedule_action(t, Action::Crash { node: id });
        }
        if let Event::RoleChanged {
            role: Role::Leader, ..
        } = &ev
        {
            match self.isolate_next_leader.take() {
                Some(0) => self.isolate_leader(id),
                Some(n) => self.doomed_leader = Some((id, n)),
                None => {}
            }
        }
        if let Event::RoleChanged { role, term, .. } = &ev {
            let kind = MarkKind::Role {
                role: *role,
                term: *term,
            };
            self.journal.mark(self.now, id, kind);
        }
        let trace = match &ev {
            Event::RoleChanged { role, term, .. } => Some(TraceEvent::Role {
                node: id,
                term: *term,
                role: *role,
            }),
            Event::VoteGranted {
                candidate,
                term,
                pre: false,
            } => Some(TraceEvent::Vote {
                node: id,
                term: *term,
                candidate: *candidate,
            }),
            Event::EntryAppended { index, term } => Some(TraceEvent::Append {
                node: id,
                index: *index,
                term: *term,
            }),
            Event::Truncated { from } => Some(TraceEvent::Truncate {
                node: id,
                from: *from,
            }),
            Event::SnapshotInstalled { index, term } => {
                self.nodes[i].snapshots_installed += 1;
                Some(TraceEvent::Snapshot {
                    node: id,
                    index: *index,
                    term: *term,
                })
            }
            Event::SnapshotTaken { index, term } => Some(TraceEvent::Snapshot {
                node: id,
                index: *index,
                term: *term,
            }),
            Event::ConfigChanged { config, .. } => Some(TraceEvent::Config {
                node: id,
                voters: config.voters.iter().copied().collect(),
                voters_outgoing: config.voters_outgoing.iter().copied().collect(),
                learners: config.learners.iter().copied().collect(),
            }),
            Event::AppendRejected { .. } => {
                self.nodes[i].append_rejections += 1;
                None
            }
            _ => None,
        };
        if let Some(t) = trace {
            self.emit(t);
        }
        if self.cfg.recent_events > 0 {
            if self.recent.len() == self.cfg.recent_events {
                self.recent.pop_front();
            }
            self.recent.push_back(CoreEvent {
                t: self.now,
                node: id,
                event: ev,
            });
        }
    }

    fn apply_entry(&mut self, i: usize, e: Entry) {
        let id = self.nodes[i].id;
        self.emit(TraceEvent::Apply {
            node: id,
            index: e.index,
            term: e.term,
        });
        if let EntryData::Command(c) = &e.data {
            let node = &mut self.nodes[i];
            let result = node.kv.apply(c);
            if node.pending_writes.remove(&(c.client, c.seq)) {
                if let Some(result) = result {
                    self.send_reply(
                        id,
                        ClientReply::Ok {
                            client: c.client,
                            req: c.seq,
                            result,
                        },
                    );
                }
            }
        }
    }

    /// Serves confirmed reads once the state machine has caught up (§6.4).
    fn serve_reads(&mut self, i: usize, applied: u64) {
        if self.nodes[i].waiting_reads.is_empty() {
            return;
        }
        let id = self.nodes[i].id;
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.nodes[i].waiting_reads)
            .into_iter()
            .partition(|r| r.0 <= applied);
        self.nodes[i].waiting_reads = waiting;
        for (_, client, req, key) in ready {
            let value = self.nodes[i].kv.get(&key).map(String::from);
            self.send_reply(
                id,
                ClientReply::Ok {
                    client,
                    req,
                    result: KvResult::Value(value),
                },
            );
        }
    }

    /// Compacts the log past the threshold (§7); true when output is pending.
    fn maybe_compact(&mut self, i: usize) -> bool {
        let threshold = self.cfg.snapshot_threshold;
        let node = &mut self.nodes[i];
        let Some(raft) = node.raft.as_mut() else {
            return false;
        };
        // The state machine may be behind the core while applies are under way.
        let applied = node.kv_applied;
        if threshold == 0 || applied < raft.log().snapshot_index() + threshold {
            return false;
        }
        raft.compact(applied, node.kv.to_snapshot())
    }

    // ----- Network -----------------------------------------------------------

    fn send_raft(&mut self, m: Message) {
        let (from, to, kind) = (m.from, m.to, m.body.kind().as_str());
        let id = self.next_msg_id;
        self.next_msg_id += 1;
        self.emit(TraceEvent::Send {
            id,
            from,
            to,
            kind: kind.into(),
            term: m.term,
        });
        if self.index_of(to).is_none() {
            let reason = LossReason::NoSuchServer;
            self.journal_lost_at_once(id, from, to, &Payload::Raft(m), reason);
            return self.emit(TraceEvent::Drop {
                id,
                reason: reason.as_str().into(),
            });
        }
        match self
            .network
            .fate(self.now, kind, Endpoint::Server(from), Endpoint::Server(to))
        {
            Fate::Dropped(reason) => {
                self.journal_lost_at_once(id, from, to, &Payload::Raft(m), reason);
                self.emit(TraceEvent::Drop {
                    id,
                    reason: reason.as_str().into(),
                })
            }
            Fate::Delivered(delay, dup) => {
                if let Some(d2) = dup {
                    let id2 = self.next_msg_id;
                    self.next_msg_id += 1;
                    self.emit(TraceEvent::Send {
                        id: id2,
                        from,
                        to,
                        kind: kind.into(),
                        term: m.term,
                    });
                    self.put_in_flight(id2, from, to, d2, Payload::Raft(m.clone()));
                }
                self.put_in_flight(id, from, to, delay, Payload::Raft(m));
            }
        }
    }

    /// The journal's record of a message (built only when the journal is on).
    fn journal_record(
        &self,
        id: u64,
        from: u64,
        to: u64,
        payload: &Payload,
        deliver_at: u64,
        fate: MessageFate,
    ) -> MessageRecord {
        let (kind, term, success, req, summary) = match payload {
            Payload::Raft(m) => (
                Traffic::Raft(m.body.kind()),
                m.term,
                m.body.success(),
                None,
                m.to_string(),
            ),
            Payload::Request(r) => (
                Traffic::ClientRequest { op: r.op.clone() },
                0,
                None,
                Some(r.req),
                String::new(),
            ),
            Payload::Reply(ClientReply::Ok { req, result, .. }) => (
                Traffic::ClientReply {
                    answer: Answer::Ok {
                        result: result.clone(),
                    },
                },
                0,
                Some(true),
                Some(*req),
                String::new(),
            ),
            Payload::Reply(ClientReply::Redirect {
                req, leader_hint, ..
            }) => (
                Traffic::ClientReply {
                    answer: Answer::Redirect {
                        leader_hint: *leader_hint,
                    },
                },
                0,
                Some(false),
                Some(*req),
                String::new(),
            ),
        };
        MessageRecord {
            id,
            kind,
            from,
            to,
            term,
            success,
            req,
            sent_at: self.now,
            deliver_at,
            fate,
            summary,
        }
    }

    fn journal_lost_at_once(
        &mut self,
        id: u64,
        from: u64,
        to: u64,
        payload: &Payload,
        reason: LossReason,
    ) {
        if self.journal.enabled() {
            let t = self.now;
            let fate = MessageFate::Lost { t, reason };
            let r = self.journal_record(id, from, to, payload, t, fate);
            self.journal.sent(r);
        }
    }

    fn put_in_flight(&mut self, id: u64, from: u64, to: u64, delay: u64, payload: Payload) {
        let deliver_at = self.now + delay;
        if self.journal.enabled() {
            let r = self.journal_record(id, from, to, &payload, deliver_at, MessageFate::InFlight);
            self.journal.sent(r);
        }
        self.in_flight.insert(
            id,
            InFlight {
                id,
                from,
                to,
                sent_at: self.now,
                deliver_at,
                payload,
                held_at: None,
            },
        );
        self.schedule(deliver_at, Due::Deliver { id });
    }

    /// Client traffic: on the network like the servers' (partitions apply to
    /// clients placed in a group), not traced as RPCs.
    fn send_client_payload(&mut self, from: u64, to: u64, payload: Payload) {
        let (ends, kind) = client_link(&payload, from, to);
        let fates = match self.network.fate(self.now, kind, ends.0, ends.1) {
            Fate::Dropped(reason) => {
                let id = self.next_msg_id;
                self.next_msg_id += 1;
                return self.journal_lost_at_once(id, from, to, &payload, reason);
            }
            Fate::Delivered(d, dup) => (d, dup),
        };
        for delay in [Some(fates.0), fates.1].into_iter().flatten() {
            let id = self.next_msg_id;
            self.next_msg_id += 1;
            self.put_in_flight(id, from, to, delay, payload.clone());
        }
    }

    fn send_reply(&mut self, server: u64, reply: ClientReply) {
        let client = match &reply {
            ClientReply::Ok { client, .. } | ClientReply::Redirect { client, .. } => *client,
        };
        self.send_client_payload(server, client, Payload::Reply(reply));
    }

    fn on_deliver(&mut self, id: u64, t: u64) {
        match self.in_flight.get(&id) {
            Some(m) if m.deliver_at == t && m.held_at.is_none() => {}
            // Dropped by hand, delayed or released (a later entry delivers it), or held.
            _ => return,
        }
        let Some(m) = self.in_flight.remove(&id) else {
            return;
        };
        match m.payload {
            Payload::Raft(msg) => {
                let Some(i) = self.index_of(m.to) else { return };
                if self.network.is_cut(m.from, m.to) {
                    let reason = LossReason::Partition;
                    self.journal.lost(id, t, reason);
                    return self.emit(TraceEvent::Drop {
                        id,
                        reason: reason.as_str().into(),
                    });
                }
                let node = &mut self.nodes[i];
                let Some(raft) = node.raft.as_mut().filter(|_| !node.retired) else {
                    let reason = LossReason::Crashed;
                    self.journal.lost(id, t, reason);
                    return self.emit(TraceEvent::Drop {
                        id,
                        reason: reason.as_str().into(),
                    });
                };
                self.journal.delivered(id, t);
                raft.step(msg);
                self.emit(TraceEvent::Deliver { id });
                self.after_input(i);
                self.count_down_doomed_leader(i);
            }
            Payload::Request(_) | Payload::Reply(_)
                if {
                    let (ends, _) = client_link(&m.payload, m.from, m.to);
                    self.network.is_link_cut(ends.0, ends.1)
                } =>
            {
                // Cut while in flight (a partition that placed the client).
                self.journal.lost(id, t, LossReason::Partition);
            }
            Payload::Request(r) => {
                let up = self
                    .index_of(m.to)
                    .is_some_and(|i| self.nodes[i].raft.is_some());
                if up {
                    self.journal.delivered(id, t);
                } else {
                    self.journal.lost(id, t, LossReason::Crashed);
                }
                self.on_request(m.to, r)
            }
            Payload::Reply(r) => {
                self.journal.delivered(id, t);
                self.on_reply(r)
            }
        }
    }

    /// `IsolateNextLeader`: counts a message the doomed leader received.
    fn count_down_doomed_leader(&mut self, i: usize) {
        let Some((node, left)) = self.doomed_leader else {
            return;
        };
        if self.nodes[i].id != node {
            return;
        }
        let leads = self.nodes[i]
            .raft
            .as_ref()
            .is_some_and(|r| r.role() == Role::Leader);
        if !leads {
            self.doomed_leader = None;
        } else if left <= 1 {
            self.doomed_leader = None;
            self.isolate_leader(node);
        } else {
            self.doomed_leader = Some((node, left - 1));
        }
    }

    fn isolate_leader(&mut self, node: u64) {
        let ids = self.ids.clone();
        self.network.isolate(node, &ids);
        self.emit(TraceEvent::Fault {
            what: "isolate".into(),
        });
    }

    /// Drops a message in flight; false if there is none with this id.
    pub fn drop_message(&mut self, id: u64) -> bool {
        let Some(m) = self.in_flight.remove(&id) else {
            return false;
        };
        let reason = LossReason::Manual;
        self.journal.lost(id, self.now, reason);
        if matches!(m.payload, Payload::Raft(_)) {
            self.emit(TraceEvent::Drop {
                id,
                reason: reason.as_str().into(),
            });
        }
        true
    }

    /// A copy of message `id`, arriving the shortest latency after the original
    /// (or after now, when the original is held). Its id is the next one.
    fn duplicate_message(&mut self, id: u64) -> Result<(), ActionError> {
        let m = self
            .in_flight
            .get(&id)
            .ok_or(ActionError::NoMessage { id })?;
        let (from, to, payload) = (m.from, m.to, m.payload.clone());
        let after = match m.held_at {
            Some(_) => self.now,
            None => m.deliver_at,
        };
        let arrive = after + self.network.config.latency_min_us.max(1);
        let copy = self.next_msg_id;
        self.next_msg_id += 1;
        if let Payload::Raft(msg) = &payload {
            self.emit(TraceEvent::Send {
                id: copy,
                from,
                to,
                kind: msg.body.kind().as_str().into(),
                term: msg.term,
            });
        }
        self.put_in_flight(copy, from, to, arrive - self.now, payload);
        Ok(())
    }

    /// Stops message `id` where it is; it arrives only once released.
    fn hold_message(&mut self, id: u64) -> Result<(), ActionError> {
        let now = self.now;
        let m = self
            .in_flight
            .get_mut(&id)
            .ok_or(ActionError::NoMessage { id })?;
        if m.held_at.is_none() {
            m.held_at = Some(now);
        }
        Ok(())
    }

    /// Lets a held message go on with the travel time it had left.
    fn release_message(&mut self, id: u64) -> Result<(), ActionError> {
        let now = self.now;
        let m = self
            .in_flight
            .get_mut(&id)
            .ok_or(ActionError::NoMessage { id })?;
        let Some(held_at) = m.held_at.take() else {
            return Err(ActionError::NotHeld { id });
        };
        m.deliver_at = now + m.deliver_at.saturating_sub(held_at).max(1);
        let t = m.deliver_at;
        self.journal.delayed(id, t);
        self.schedule(t, Due::Deliver { id });
        Ok(())
    }

    /// Holds a message in flight back by `extra_us`.
    pub fn delay_message(&mut self, id: u64, extra_us: u64) -> bool {
        let Some(m) = self.in_flight.get_mut(&id) else {
            return false;
        };
        m.deliver_at += extra_us;
        let t = m.deliver_at;
        self.journal.delayed(id, t);
        self.schedule(t, Due::Deliver { id });
        true
    }

    // ----- Clients -----------------------------------------------------------

    fn on_request(&mut self, server: u64, r: ClientRequest) {
        let Some(i) = self.index_of(server) else {
            return;
        };
        let node = &mut self.nodes[i];
        let Some(raft) = node.raft.as_mut().filter(|_| !node.retired) else {
            return; // A crashed or retired server answers nothing; the client times out.
        };
        let result = if r.op.is_read() {
            // Gets go through ReadIndex (§6.4).
            let ctx = node.next_ctx;
            node.next_ctx += 1;
            let key = r.op.key().to_string();
            raft.read_index(ctx).map(|()| {
                node.pending_reads.insert(ctx, (r.client, r.req, key));
            })
        } else if let Some(s) = node
            .kv
            .sessions
            .get(&r.client)
            .filter(|s| s.seq == r.req && raft.role() == Role::Leader)
        {
            // Already applied: answer from the session (§8).
            let result = s.result.clone();
            let reply = ClientReply::Ok {
                client: r.client,
                req: r.req,
                result,
            };
            self.send_reply(server, reply);
            return;
        } else {
            let command = Command {
                client: r.client,
                seq: r.req,
                data: r.op.encode().into(),
            };
            raft.propose(command).map(|_| {
                node.pending_writes.insert((r.client, r.req));
            })
        };
        if let Err(e) = result {
            let leader_hint = match e {
                ProposeError::NotLeader { leader_hint } => leader_hint,
                _ => raft.leader_id(),
            };
            let reply = ClientReply::Redirect {
                client: r.client,
                req: r.req,
                leader_hint,
            };
            self.send_reply(server, reply);
        }
        self.after_input(i);
    }

    fn on_reply(&mut self, reply: ClientReply) {
        match reply {
            ClientReply::Ok {
                client,
                req,
                result,
            } => {
                if self
                    .clients
                    .get(&client)
                    .and_then(|c| c.current.as_ref())
                    .map(|o| o.req)
                    == Some(req)
                {
                    self.finish_op(client, Outcome::Ok(result));
                }
            }
            ClientReply::Redirect {
                client,
                req,
                leader_hint,
            } => {
                let Some(c) = self.clients.get_mut(&client) else {
                    return;
                };
                let Some(cur) = c.current.as_ref().filter(|o| o.req == req) else {
                    return;
                };
                let attempt = cur.attempt;
                c.redirected(leader_hint);
                if attempt >= self.cfg.client_max_attempts {
                    return self.give_up(client);
                }
                // With a hint retry at once; without one, wait for an election.
                let wait = if leader_hint.is_some() {
                    0
                } else {
                    self.cfg.raft.election_timeout_min as u64 * self.cfg.tick_us / 2
                };
                let t = self.now + wait;
                self.schedule(
                    t,
                    Due::ClientRetry {
                        client,
                        req,
                        attempt,
                    },
                );
            }
        }
    }

    fn is_current(&self, client: u64, req: u64, attempt: u32) -> bool {
        self.clients
            .get(&client)
            .and_then(|c| c.current.as_ref())
            .is_some_and(|o| o.req == req && o.attempt == attempt)
    }

    fn on_client_timeout(&mut self, client: u64, req: u64, attempt: u32) {
        if !self.is_current(client, req, attempt) {
            return;
        }
        let Some(c) = self.clients.get_mut(&client) else {
            return;
        };
        let server = c.current.as_ref().and_then(|o| o.server);
        c.timed_out();
        if let Some(server) = server {
            self.journal.client_step(ClientStep {
                t: self.now,
                client,
                req,
                attempt,
                event: AttemptEvent::TimedOut { server },
            });
        }
        if attempt >= self.cfg.client_max_attempts {
            return self.give_up(client);
        }
        self.client_send(client);
    }

    fn give_up(&mut self, client: u64) {
        let maybe = self
            .clients
            .get(&client)
            .and_then(|c| c.current.as_ref())
            .is_some_and(|o| o.maybe_applied || o.op.is_read());
        let outcome = if maybe {
            Outcome::Timeout
        } else {
            Outcome::Fail
        };
        self.finish_op(client, outcome);
    }

    fn client_send(&mut self, client: u64) {
        let ids = &self.ids;
        let Some(c) = self.clients.get_mut(&client) else {
            return;
        };
        let target = c.target(ids);
        let Some(cur) = c.current.as_mut() else {
            return;
        };
        cur.attempt += 1;
        cur.server = Some(target);
        if cur.attempt > 1 && !cur.op.is_read() {
            // An earlier attempt may still be proposed by someone.
            cur.maybe_applied = true;
        }
        let (req, attempt) = (cur.req, cur.attempt);
        let request = ClientRequest {
            client,
            req,
            op: cur.op.clone(),
        };
        self.send_client_payload(client, target, Payload::Request(request));
        let t = self.now + self.cfg.client_timeout_us;
        self.journal.client_step(ClientStep {
            t: self.now,
            client,
            req,
            attempt,
            event: AttemptEvent::Sent {
                server: target,
                deadline: t,
            },
        });
        self.schedule(
            t,
            Due::ClientTimeout {
                client,
                req,
                attempt,
            },
        );
    }

    /// Starts a client operation now (queued if the client is busy).
    pub fn client_op(&mut self, client: u64, op: KvOp) {
        let c = self
            .clients
            .entry(client)
            .or_insert_with(|| Client::new(client));
        if c.is_busy() {
            c.queue.push_back(op);
            return;
        }
        self.start_op(client, op);
    }

    fn start_op(&mut self, client: u64, op: KvOp) {
        let c = self.clients.get_mut(&client).expect("client exists");
        let req = c.start(op.clone());
        self.record(client, req, op, Outcome::Invoke);
        self.client_send(client);
    }

    fn finish_op(&mut self, client: u64, outcome: Outcome) {
        let Some(c) = self.clients.get_mut(&client) else {
            return;
        };
        let Some(done) = c.finish() else { return };
        let next = c.queue.pop_front();
        self.record(client, done.req, done.op, outcome);
        match next {
            Some(op) => self.start_op(client, op),
            None if self.cfg.client_load => {
                let think = self.rng.in_range(0, self.cfg.client_think_us + 1);
                let t = self.now + think;
                self.schedule(t, Due::ClientThink { client });
            }
            None => {}
        }
    }

    fn on_client_think(&mut self, client: u64) {
        if self.clients.get(&client).is_some_and(Client::is_busy) {
            return;
        }
        let key = format!("k{}", self.rng.in_range(0, self.cfg.keys.max(1) as u64));
        let n = self.history.len();
        let value = format!("{client}.{n}");
        let op = match self.rng.in_range(0, 4) {
            0 => KvOp::Put { key, value },
            1 => KvOp::Get { key },
            2 => KvOp::Append { key, value },
            _ => KvOp::Cas {
                key,
                expected: None,
                value,
            },
        };
        self.client_op(client, op);
    }

    fn record(&mut self, client: u64, req: u64, op: KvOp, outcome: Outcome) {
        let result = match &outcome {
            Outcome::Ok(r) => r.to_json(),
            _ => serde_json::Value::Null,
        };
        let expected = match &op {
            KvOp::Cas { expected, .. } => expected.clone(),
            _ => None,
        };
        self.emit(TraceEvent::Client {
            client,
            op: outcome.as_str().into(),
            req,
            kind: op.kind().into(),
            key: op.key().to_string(),
            value: op.value().map(String::from),
            result,
            expected,
        });
        self.history.push(ClientEvent {
            t: self.now,
            client,
            req,
            op,
            outcome,
        });
    }

    // ----- Actions -----------------------------------------------------------

    /// Does `action` now. Errors say why it could not be done.
    pub fn apply_action(&mut self, action: &Action) -> Result<(), ActionError> {
        if let Some((client, op)) = action.client_op() {
            self.client_op(client, op);
            return Ok(());
        }
        match action {
            Action::Crash { node } => self.crash(*node),
            Action::Restart { node } => self.restart(*node),
            Action::Partition { groups, clients } => {
                let ids = self.ids.clone();
                self.network.partition(groups, clients, &ids);
                self.emit(TraceEvent::Fault {
                    what: "partition".into(),
                });
                Ok(())
            }
            Action::Cut { from, to } => {
                self.network.cut_one_way(*from, *to);
                self.emit(TraceEvent::Fault { what: "cut".into() });
                Ok(())
            }
            Action::Mend { from, to } => {
                self.network.mend(*from, *to);
                self.emit(TraceEvent::Fault {
                    what: "mend".into(),
                });
                Ok(())
            }
            Action::Isolate { node } => {
                let ids = self.ids.clone();
                self.network.isolate(*node, &ids);
                self.emit(TraceEvent::Fault {
                    what: "isolate".into(),
                });
                Ok(())
            }
            Action::Heal => {
                self.network.heal();
                self.emit(TraceEvent::Fault {
                    what: "heal".into(),
                });
                Ok(())
            }
            Action::DropNext { kind, from, to } => {
                self.network.add_filter(Filter {
                    kind: kind.clone(),
                    from: *from,
                    to: *to,
                });
                self.emit(TraceEvent::Fault {
                    what: "drop".into(),
                });
                Ok(())
            }
            Action::DropMessage { id } => {
                if self.drop_message(*id) {
                    Ok(())
                } else {
                    Err(ActionError::NoMessage { id: *id })
                }
            }
            Action::DuplicateMessage { id } => self.duplicate_message(*id),
            Action::HoldMessage { id } => self.hold_message(*id),
            Action::ReleaseMessage { id } => self.release_message(*id),
            Action::Contact { client, node } => {
                self.index_of(*node)
                    .ok_or(ActionError::NoServer { node: *node })?;
                self.clients
                    .entry(*client)
                    .or_insert_with(|| Client::new(*client))
                    .leader_guess = Some(*node);
                Ok(())
            }
            Action::AddVoter { node } => self.change_membership(ConfChange::AddVoter(*node)),
            Action::AddLearner { node } => self.change_membership(ConfChange::AddLearner(*node)),
            Action::RemoveServer { node } => {
                self.change_membership(ConfChange::RemoveServer(*node))
            }
            Action::EnterJoint { voters, learners } => {
                self.change_membership(ConfChange::EnterJoint {
                    voters: voters.clone(),
                    learners: learners.clone(),
                })
            }
            Action::Transfer { to } => {
                let leader = self
                    .leader()
                    .ok_or(ActionError::while_("transfer", ActionError::NoLeader))?;
                self.with_raft(leader, |r, _| r.transfer_leader(*to))
                    .map_err(|e| ActionError::while_(format!("transfer to S{to}"), e))
            }
            Action::Snapshot { node } => {
                let n = self.node(*node).ok_or(ActionError::while_(
                    "snapshot",
                    ActionError::NoServer { node: *node },
                ))?;
                // What the state machine holds (behind the core while applies are under way).
                let applied = n.kv_applied;
                let raft = n.raft().ok_or(ActionError::while_(
                    format!("snapshot on S{node}"),
                    ActionError::Crashed { node: *node },
                ))?;
                if applied <= raft.log().snapshot_index() {
                    return Err(ActionError::while_(
                        format!("snapshot on S{node}"),
                        ActionError::NothingToCompact {
                            snapshot_index: raft.log().snapshot_index(),
                        },
                    ));
                }
                self.with_raft(*node, |r, kv| {
                    r.compact(applied, kv.to_snapshot());
                    Ok(())
                })
                .map_err(|e| ActionError::while_(format!("snapshot on S{node}"), e))
            }
            Action::Campaign { node } => self
                .with_raft(*node, |r, _| r.campaign())
                .map_err(|e| ActionError::while_(format!("campaign on S{node}"), e)),
            Action::CrashLeader => {
                let leader = self
                    .leader()
                    .ok_or(ActionError::while_("crash_leader", ActionError::NoLeader))?;
                self.crash(leader)
            }
            Action::CrashNextLeader { after_ms } => {
                self.crash_next_leader = Some(time_us("after_ms", *after_ms)?);
                Ok(())
            }
            Action::IsolateNextLeader { after_messages } => {
                self.isolate_next_leader = Some(*after_messages);
                Ok(())
            }
            Action::RebootFollower { down_ms } => {
                time_us("down_ms", *down_ms)?;
                let leader = self.leader().ok_or(ActionError::while_(
                    "reboot_follower",
                    ActionError::NoLeader,
                ))?;
                let follower = self
                    .nodes()
                    .find(|n| n.alive && n.id != leader && n.leader_id == Some(leader))
                    .ok_or(ActionError::while_(
                        "reboot_follower",
                        ActionError::NoFollower,
                    ))?
                    .id;
                self.apply_action(&Action::Reboot {
                    node: follower,
                    down_ms: *down_ms,
                })
            }
            Action::Reboot { node, down_ms } => {
                let t = self.now + time_us("down_ms", *down_ms)?;
                self.crash(*node)?;
                self.schedule_action(t, Action::Restart { node: *node });
                Ok(())
            }
            Action::SetSwitch { switch, on } => {
                let mut raft = self.cfg.raft.clone();
                switch.set(&mut raft, *on);
                self.set_raft_config(raft)?;
                self.emit(TraceEvent::Setting {
                    what: format!("{}={}", switch.name(), on).into(),
                });
                Ok(())
            }
            Action::SetBug { bug, on } => {
                let mut cfg = self.cfg.clone();
                cfg.set_bug(*bug, *on);
                self.set_raft_config(cfg.raft)?;
                self.cfg.forget_vote_on_restart = cfg.forget_vote_on_restart;
                self.emit(TraceEvent::Setting {
                    what: format!("{}={}", bug.name(), on).into(),
                });
                Ok(())
            }
            Action::SetNetwork {
                latency_min_us,
                latency_max_us,
                loss_pct,
                dup_pct,
                reorder_pct,
                reorder_max_us,
            } => {
                if let Some((field, why)) = action.network_error() {
                    return Err(ActionError::Network { field, why });
                }
                let mut net = self.network.config.clone();
                let ppm = |pct: u32| u64::from(pct) * 10_000;
                net.latency_min_us = latency_min_us.unwrap_or(net.latency_min_us);
                net.latency_max_us = latency_max_us.unwrap_or(net.latency_max_us);
                net.loss_ppm = loss_pct.map_or(net.loss_ppm, ppm);
                net.dup_ppm = dup_pct.map_or(net.dup_ppm, ppm);
                net.reorder_ppm = reorder_pct.map_or(net.reorder_ppm, ppm);
                net.reorder_max_us = reorder_max_us.unwrap_or(net.reorder_max_us);
                if net.latency_max_us < net.latency_min_us {
                    return Err(ActionError::LatencyOrder {
                        min_us: net.latency_min_us,
                        max_us: net.latency_max_us,
                    });
                }
                self.cfg.network = net.clone();
                self.network.config = net;
                self.emit(TraceEvent::Fault {
                    what: "network".into(),
                });
                Ok(())
            }
            Action::SetDisk {
                latency_us,
                parallel_append,
                async_apply,
            } => {
                if let Some((field, why)) = action.disk_error() {
                    return Err(ActionError::Disk { field, why });
                }
                let mut d = self.cfg.disk;
                d.latency_us = latency_us.unwrap_or(d.latency_us);
                d.parallel_append = parallel_append.unwrap_or(d.parallel_append);
                d.async_apply = async_apply.unwrap_or(d.async_apply);
                if d.latency_us > 0 && !self.cfg.raft.wait_for_persist {
                    // From now on the servers hear when their writes are done (§10.2.1).
                    let mut raft = self.cfg.raft.clone();
                    raft.wait_for_persist = true;
                    self.set_raft_config(raft)?;
                }
                self.cfg.disk = d;
                self.emit(TraceEvent::Setting {
                    what: format!(
                        "disk latency_us={} parallel_append={} async_apply={}",
                        d.latency_us, d.parallel_append, d.async_apply
                    )
                    .into(),
                });
                Ok(())
            }
            Action::SetSnapshotThreshold { entries } => {
                self.cfg.snapshot_threshold = *entries;
                self.emit(TraceEvent::Setting {
                    what: format!("snapshot_threshold={entries}").into(),
                });
                Ok(())
            }
            Action::Put { .. }
            | Action::Get { .. }
            | Action::Append { .. }
            | Action::Cas { .. } => Ok(()),
        }
    }

    /// New server settings for every server, running or not (checked first, so a
    /// refused change changes nothing).
    fn set_raft_config(&mut self, raft: Config) -> Result<(), ActionError> {
        raft.validate()
            .map_err(|e| ActionError::Config(e.to_string()))?;
        for node in &mut self.nodes {
            if let Some(r) = node.raft.as_mut() {
                r.set_config(raft.clone())
                    .map_err(|e| ActionError::Config(e.to_string()))?;
            }
        }
        self.cfg.raft = raft;
        Ok(())
    }

    /// Runs `f` on a running server, then handles its output.
    fn with_raft(
        &mut self,
        id: u64,
        f: impl FnOnce(&mut Raft<SplitMix64>, &KvStore) -> Result<(), ProposeError>,
    ) -> Result<(), ActionError> {
        let i = self
            .index_of(id)
            .ok_or(ActionError::NoServer { node: id })?;
        let node = &mut self.nodes[i];
        let raft = node
            .raft
            .as_mut()
            .ok_or(ActionError::Crashed { node: id })?;
        let result = f(raft, &node.kv);
        self.after_input(i);
        result.map_err(ActionError::Refused)
    }

    fn change_membership(&mut self, change: ConfChange) -> Result<(), ActionError> {
        // A retired server that is added back runs again, so that it can catch up.
        let added: Vec<u64> = match &change {
            ConfChange::AddVoter(id) | ConfChange::AddLearner(id) => vec![*id],
            ConfChange::EnterJoint { voters, learners } => {
                voters.iter().chain(learners).copied().collect()
            }
            _ => vec![],
        };
        for node in self.nodes.iter_mut().filter(|n| added.contains(&n.id)) {
            node.retired = false;
        }
        let what = format!("{change:?}");
        let leader = self
            .leader()
            .ok_or_else(|| ActionError::while_(what.clone(), ActionError::NoLeader))?;
        if let ConfChange::AddVoter(id) | ConfChange::AddLearner(id) = change {
            self.index_of(id).ok_or_else(|| {
                ActionError::while_(what.clone(), ActionError::NoServer { node: id })
            })?;
        }
        self.with_raft(leader, |r, _| {
            r.propose_conf_change(change.clone()).map(|_| ())
        })
        .map_err(|e| ActionError::while_(what, e))
    }

    /// Shuts down every running server that the leader at `i`'s committed
    /// configuration leaves out, as an operator would once C_new is committed:
    /// a removed server never learns of its removal and would campaign forever
    /// (dissertation §4.2.3). It keeps its state for inspection and runs again if
    /// it is added back. Servers that never were members (spares) are left alone.
    fn retire_removed(&mut self, i: usize) {
        if !self.cfg.retire_removed {
            return;
        }
        let Some(raft) = self.nodes[i].raft.as_ref() else {
            return;
        };
        if raft.role() != Role::Leader || raft.configuration_index() > raft.commit_index() {
            return;
        }
        let config = raft.configuration().clone();
        let mut retired = Vec::new();
        for node in &mut self.nodes {
            let member_once = node
                .raft
                .as_ref()
                .is_some_and(|r| !r.configuration().members().is_empty());
            if member_once && !node.retired && !config.contains(node.id) {
                node.retired = true;
                retired.push(node.id);
            }
        }
        for id in retired {
            self.journal.mark(self.now, id, MarkKind::Retire);
        }
    }

    /// Crashes a server: it loses all volatile state (Figure 2).
    pub fn crash(&mut self, id: u64) -> Result<(), ActionError> {
        let i = self
            .index_of(id)
            .ok_or(ActionError::NoServer { node: id })?;
        let node = &mut self.nodes[i];
        let Some(raft) = node.raft.take() else {
            return Err(ActionError::AlreadyCrashed { node: id });
        };
        node.rewritten_from = first_unwritten(&raft, &node.storage);
        node.retired = false;
        node.pending_writes.clear();
        node.pending_reads.clear();
        node.waiting_reads.clear();
        // Writes not yet on disk are lost with the rest of the volatile state.
        node.disk.clear();
        node.applier.clear();
        node.kv = KvStore::default();
        self.journal.mark(self.now, id, MarkKind::Crash);
        self.emit(TraceEvent::Crash { node: id });
        Ok(())
    }

    /// Restarts a crashed server from its persisted state.
    pub fn restart(&mut self, id: u64) -> Result<(), ActionError> {
        let i = self
            .index_of(id)
            .ok_or(ActionError::NoServer { node: id })?;
        if self.nodes[i].raft.is_some() {
            return Err(ActionError::Running { node: id });
        }
        let disk = self.nodes[i].storage.clone();
        self.emit(TraceEvent::Restart {
            node: id,
            term: Some(disk.hard_state.current_term),
            voted_for: disk.hard_state.voted_for,
            last_index: Some(disk.last_index()),
            snapshot_index: Some(disk.snapshot.meta.index),
        });
        // Entries whose overwriting was still under way: the disk has the old ones again.
        if let Some(from) = self.nodes[i].rewritten_from.take() {
            for e in disk.entries.iter().filter(|e| e.index >= from) {
                self.emit(TraceEvent::Append {
                    node: id,
                    index: e.index,
                    term: e.term,
                });
            }
        }
        if self.cfg.forget_vote_on_restart {
            // The bug: votedFor was not persisted (Figure 2 says it must be).
            self.nodes[i].storage.hard_state.voted_for = None;
        }
        self.journal.mark(self.now, id, MarkKind::Restart);
        self.boot(id)
    }

    /// Per-link latency, in microseconds.
    pub fn set_link_latency(&mut self, from: u64, to: u64, min_us: u64, max_us: u64) {
        self.network.set_link_latency(from, to, min_us, max_us);
    }

    /// Partitions, heals and isolation, for the page.
    pub fn partition(&mut self, groups: Vec<Vec<u64>>) {
        let _ = self.apply_action(&Action::Partition {
            groups,
            clients: vec![],
        });
    }
    pub fn heal(&mut self) {
        let _ = self.apply_action(&Action::Heal);
    }
    pub fn isolate(&mut self, node: u64) {
        let _ = self.apply_action(&Action::Isolate { node });
    }
}

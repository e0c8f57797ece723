//! Node settings: timeouts in ticks, protocol switches, flow control, and
//! the deliberately broken rules used to show why each rule exists.

use crate::types::NodeId;

/// How a leader finds the point where a follower's log matches its own (§5.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Backtrack {
    /// The paper's rule: decrement next_index by one per rejection (§5.3).
    OneByOne,
    /// The optimisation sketched at the end of §5.3: the follower reports the
    /// conflicting term and its first index, the leader skips the whole term.
    ConflictTerm,
}

/// How a leader serves linearizable reads (dissertation §6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ReadOnly {
    /// ReadIndex: confirm leadership with a heartbeat round per read.
    Safe,
    /// Serve reads at once while the leader lease holds: until election_timeout_min
    /// (less [`crate::LEASE_CLOCK_DRIFT`]) after the latest heartbeat round a quorum
    /// answered was sent, and not during a leadership transfer; outside the lease,
    /// as [`ReadOnly::Safe`] (needs CheckQuorum, §6.4.1).
    LeaseBased,
}

/// Rules a teacher may switch off to show what breaks. All off by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bugs {
    /// Commit entries of earlier terms by counting replicas (breaks §5.4.2, Figure 8).
    pub commit_previous_term: bool,
    /// Grant votes without the up-to-date log check (breaks §5.4.1).
    pub vote_without_log_check: bool,
    /// Every server uses the same election timeout (breaks §5.2 liveness).
    pub no_randomized_timeout: bool,
    /// Hand entries to the state machine as soon as they are appended (breaks §5.3).
    pub apply_before_commit: bool,
}

impl Bugs {
    pub fn any(&self) -> bool {
        self.commit_previous_term
            || self.vote_without_log_check
            || self.no_randomized_timeout
            || self.apply_before_commit
    }
}

/// Settings of one server. Times are in ticks; the caller decides how long a tick is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Config {
    pub id: NodeId,
    /// Election timeouts are drawn uniformly from `election_timeout_min..election_timeout_max` (§5.2).
    pub election_timeout_min: u32,
    pub election_timeout_max: u32,
    /// A leader sends heartbeats this often (§5.2).
    pub heartbeat_interval: u32,
    /// Ask for pre-votes before disrupting the cluster with a new term (dissertation §9.6).
    pub pre_vote: bool,
    /// A leader steps down when it has not heard from a quorum for an election timeout (§6.2).
    pub check_quorum: bool,
    pub read_only: ReadOnly,
    pub backtrack: Backtrack,
    /// Flow control: at most this many entries and bytes per AppendEntries (dissertation §10.2.2).
    pub max_entries_per_append: usize,
    pub max_bytes_per_append: u64,
    /// At most this many AppendEntries with entries in flight per follower.
    pub max_inflight: usize,
    pub bugs: Bugs,
    /// Record the event stream; when off, no event is built.
    pub record_events: bool,
    /// The caller writes to disk in the background and reports each finished
    /// write with [`crate::Raft::persisted`]; until then a leader does not count
    /// its own new entries towards a majority (§10.2.1: it may still commit on
    /// its followers' acknowledgements alone). Off, every [`crate::Output`] is
    /// persisted before the next input, so its entries count at once. Switch it
    /// off only with no write under way: everything handed out counts from then on.
    pub wait_for_persist: bool,
}

impl Config {
    /// The defaults: with a 10 ms tick, elections time out in 150-300 ms and
    /// heartbeats go every 50 ms, as in the paper's example (§9.3).
    pub fn new(id: NodeId) -> Self {
        Config {
            id,
            election_timeout_min: 15,
            election_timeout_max: 30,
            heartbeat_interval: 5,
            pre_vote: false,
            check_quorum: false,
            read_only: ReadOnly::Safe,
            backtrack: Backtrack::OneByOne,
            max_entries_per_append: 64,
            max_bytes_per_append: 64 * 1024,
            max_inflight: 8,
            bugs: Bugs::default(),
            record_events: true,
            wait_for_persist: false,
        }
    }

    /// Checks that the settings make sense together.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.id == 0 {
            return Err(ConfigError::ZeroId);
        }
        if self.heartbeat_interval == 0 || self.election_timeout_min == 0 {
            return Err(ConfigError::ZeroTimeout);
        }
        if self.election_timeout_max <= self.election_timeout_min {
            return Err(ConfigError::EmptyElectionRange);
        }
        if self.heartbeat_interval >= self.election_timeout_min {
            // §5.6: broadcastTime << electionTimeout.
            return Err(ConfigError::HeartbeatNotShorterThanElection);
        }
        if self.read_only == ReadOnly::LeaseBased && !self.check_quorum {
            return Err(ConfigError::LeaseWithoutCheckQuorum);
        }
        if self.max_inflight == 0 || self.max_entries_per_append == 0 {
            return Err(ConfigError::ZeroFlowControl);
        }
        Ok(())
    }
}

/// Why a [`Config`] was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError {
    ZeroId,
    ZeroTimeout,
    EmptyElectionRange,
    HeartbeatNotShorterThanElection,
    LeaseWithoutCheckQuorum,
    ZeroFlowControl,
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            ConfigError::ZeroId => "server id 0 is reserved; ids start at 1",
            ConfigError::ZeroTimeout => "timeouts must be at least one tick",
            ConfigError::EmptyElectionRange => {
                "election_timeout_max must be greater than election_timeout_min"
            }
            ConfigError::HeartbeatNotShorterThanElection => {
                "heartbeat_interval must be shorter than election_timeout_min"
            }
            ConfigError::LeaseWithoutCheckQuorum => "lease-based reads need check_quorum",
            ConfigError::ZeroFlowControl => "max_inflight and max_entries_per_append must be >= 1",
        })
    }
}

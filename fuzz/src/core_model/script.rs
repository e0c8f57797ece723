//! The input's grammar: a setup, then steps, each read from a few bytes.

use raft_core::{Backtrack, Config, ReadOnly};

use super::Source;

/// At most this many steps per input.
const MAX_OPS: usize = 2000;

/// A number near a value the server has (its term, last index, commit...), or
/// any number: most inputs should be almost right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Near {
    how: u8,
    raw: u64,
}

impl Near {
    fn draw(src: &mut impl Source) -> Near {
        let how = src.byte() % 8;
        let raw = if how >= 6 { src.word() } else { 0 };
        Near { how, raw }
    }

    pub(super) fn from(self, base: u64) -> u64 {
        match self.how {
            0 => base,
            1 => base.saturating_add(1),
            2 => base.saturating_sub(1),
            3 => base.saturating_add(2),
            4 => base.saturating_sub(2),
            5 => 0,
            6 => self.raw % 32,
            _ => self.raw,
        }
    }
}

/// The setup: voters 1..=voters (bootstrapped), perhaps one more server that
/// is joining, and the settings every server starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    pub(super) voters: u64,
    pub(super) joining: bool,
    pub(super) config: Config,
    pub(super) seed: u64,
}

impl Setup {
    fn draw(src: &mut impl Source) -> Setup {
        let shape = src.byte();
        let mut config = Config::new(1);
        settings(&mut config, src.byte());
        let min = 3 + u32::from(src.byte() % 6);
        config.election_timeout_min = min;
        config.election_timeout_max = min + 1 + u32::from(src.byte() % 8);
        config.heartbeat_interval = 1 + u32::from(src.byte()) % (min - 1);
        let flow = src.byte();
        config.max_inflight = 1 + usize::from(flow % 4);
        config.max_entries_per_append = 1 + usize::from(flow / 4 % 4);
        if flow & 0x10 != 0 {
            config.max_bytes_per_append = 1;
        }
        Setup {
            voters: 1 + u64::from(shape % 3),
            joining: shape & 0x10 != 0,
            config,
            seed: u64::from(src.byte()),
        }
    }

    pub(super) fn servers(&self) -> u64 {
        self.voters + u64::from(self.joining)
    }
}

/// The switches a byte turns on (lease reads only with CheckQuorum, which they need).
pub(super) fn settings(config: &mut Config, bits: u8) {
    config.pre_vote = bits & 1 != 0;
    config.check_quorum = bits & 2 != 0;
    config.read_only = if bits & 6 == 6 {
        ReadOnly::LeaseBased
    } else {
        ReadOnly::Safe
    };
    config.backtrack = if bits & 8 != 0 {
        Backtrack::ConflictTerm
    } else {
        Backtrack::OneByOne
    };
}

/// One step. `node` is an index into the servers; `id` a server id that may
/// be 0 or name no server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Tick {
        node: u8,
        times: u8,
    },
    /// Deliver the message in flight at `pick` (modulo their number).
    Deliver {
        pick: u8,
    },
    /// Deliver it and keep a copy in flight.
    Duplicate {
        pick: u8,
    },
    Lose {
        pick: u8,
    },
    /// Deliver every message in flight, oldest first.
    DeliverAll,
    /// Change one number of a message in flight (its term, an index...).
    Corrupt {
        pick: u8,
        field: u8,
        to: Near,
    },
    Forge {
        node: u8,
        message: Forged,
    },
    Propose {
        node: u8,
        data: u8,
    },
    ChangeConfig {
        node: u8,
        change: Change,
    },
    ReadIndex {
        node: u8,
        context: u8,
    },
    Transfer {
        node: u8,
        to: u8,
    },
    Campaign {
        node: u8,
    },
    /// Compact the log up to `back` entries before the last applied one.
    Compact {
        node: u8,
        back: u8,
    },
    /// Switch a server's settings while it runs.
    Settings {
        node: u8,
        bits: u8,
    },
    /// Stop handling this server's outputs (or resume, handling what piled up).
    Hold {
        node: u8,
    },
    /// Restart from the persisted state; a held server loses its unhandled output.
    Crash {
        node: u8,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    AddVoter(u8),
    AddLearner(u8),
    RemoveServer(u8),
    EnterJoint { voters: u8, learners: u8 },
    LeaveJoint,
}

/// A message made up from the input, its numbers near the receiver's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forged {
    pub(super) from: u8,
    pub(super) term: Near,
    pub(super) body: ForgedBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForgedBody {
    RequestVote {
        flags: u8,
        last_index: Near,
        last_term: Near,
    },
    RequestVoteResponse {
        flags: u8,
    },
    AppendEntries {
        prev_index: Near,
        prev_term: Near,
        /// Per entry: how its term follows the one before, and its data.
        entries: Vec<(u8, u8)>,
        commit: Near,
        round: u8,
    },
    AppendEntriesResponse {
        flags: u8,
        index: Near,
        last_index: Near,
        conflict: Option<(Near, Near)>,
        round: u8,
    },
    InstallSnapshot {
        index: Near,
        term: Near,
        members: u8,
    },
    InstallSnapshotResponse {
        index: Near,
    },
    TimeoutNow,
}

impl Op {
    fn draw(src: &mut impl Source) -> Op {
        match src.byte() % 16 {
            0 => Op::Tick {
                node: src.byte(),
                times: src.byte(),
            },
            1 => Op::Deliver { pick: src.byte() },
            2 => Op::Duplicate { pick: src.byte() },
            3 => Op::Lose { pick: src.byte() },
            4 => Op::DeliverAll,
            5 => Op::Corrupt {
                pick: src.byte(),
                field: src.byte(),
                to: Near::draw(src),
            },
            6 => Op::Forge {
                node: src.byte(),
                message: Forged::draw(src),
            },
            7 => Op::Propose {
                node: src.byte(),
                data: src.byte(),
            },
            8 => Op::ChangeConfig {
                node: src.byte(),
                change: Change::draw(src),
            },
            9 => Op::ReadIndex {
                node: src.byte(),
                context: src.byte(),
            },
            10 => Op::Transfer {
                node: src.byte(),
                to: src.byte(),
            },
            11 => Op::Campaign { node: src.byte() },
            12 => Op::Compact {
                node: src.byte(),
                back: src.byte(),
            },
            13 => Op::Settings {
                node: src.byte(),
                bits: src.byte(),
            },
            14 => Op::Hold { node: src.byte() },
            _ => Op::Crash { node: src.byte() },
        }
    }
}

impl Change {
    fn draw(src: &mut impl Source) -> Change {
        match src.byte() % 5 {
            0 => Change::AddVoter(src.byte()),
            1 => Change::AddLearner(src.byte()),
            2 => Change::RemoveServer(src.byte()),
            3 => Change::EnterJoint {
                voters: src.byte(),
                learners: src.byte(),
            },
            _ => Change::LeaveJoint,
        }
    }
}

impl Forged {
    fn draw(src: &mut impl Source) -> Forged {
        let from = src.byte();
        let term = Near::draw(src);
        let body = match src.byte() % 7 {
            0 => ForgedBody::RequestVote {
                flags: src.byte(),
                last_index: Near::draw(src),
                last_term: Near::draw(src),
            },
            1 => ForgedBody::RequestVoteResponse { flags: src.byte() },
            2 => ForgedBody::AppendEntries {
                prev_index: Near::draw(src),
                prev_term: Near::draw(src),
                entries: (0..src.byte() % 5)
                    .map(|_| (src.byte(), src.byte()))
                    .collect(),
                commit: Near::draw(src),
                round: src.byte(),
            },
            3 => ForgedBody::AppendEntriesResponse {
                flags: src.byte(),
                index: Near::draw(src),
                last_index: Near::draw(src),
                conflict: (src.byte() & 1 != 0).then(|| (Near::draw(src), Near::draw(src))),
                round: src.byte(),
            },
            4 => ForgedBody::InstallSnapshot {
                index: Near::draw(src),
                term: Near::draw(src),
                members: src.byte(),
            },
            5 => ForgedBody::InstallSnapshotResponse {
                index: Near::draw(src),
            },
            _ => ForgedBody::TimeoutNow,
        };
        Forged { from, term, body }
    }
}

/// The whole input: a setup and its steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    pub setup: Setup,
    pub ops: Vec<Op>,
}

impl Script {
    pub fn draw(src: &mut impl Source) -> Script {
        let setup = Setup::draw(src);
        let mut ops = Vec::new();
        while !src.is_empty() && ops.len() < MAX_OPS {
            ops.push(Op::draw(src));
        }
        Script { setup, ops }
    }
}

//! Running a script: the servers, the messages in flight, and each step.

use raft_core::{
    Body, Command, ConfChange, Configuration, Entry, EntryData, Message, NodeId, Snapshot,
    SnapshotMeta, Storage,
};

use super::script::{settings, Change, Forged, ForgedBody, Near, Op, Script};
use super::server::Server;
use super::Reached;

/// At most this many messages in flight: past it, the oldest is lost.
const MAX_IN_FLIGHT: usize = 64;

/// Servers `1..=n` (the last one joining, if the setup says so).
pub(super) struct Cluster {
    servers: Vec<Server>,
    in_flight: Vec<Message>,
    reached: Reached,
}

impl Cluster {
    pub(super) fn run(script: &Script) -> Reached {
        let setup = &script.setup;
        let voters: Vec<NodeId> = (1..=setup.voters).collect();
        let mut cluster = Cluster {
            servers: Vec::new(),
            in_flight: Vec::new(),
            reached: Reached::default(),
        };
        for id in 1..=setup.servers() {
            let storage = if id <= setup.voters {
                Storage::bootstrap(voters.iter().copied())
            } else {
                Storage::joining()
            };
            let mut config = setup.config.clone();
            config.id = id;
            cluster
                .servers
                .push(Server::new(config, setup.seed, storage));
        }
        for i in 0..cluster.servers.len() {
            cluster.after(i);
        }
        for op in &script.ops {
            cluster.apply(op);
        }
        cluster.reached
    }

    fn node(&self, n: u8) -> usize {
        usize::from(n) % self.servers.len()
    }

    /// A server id: any of ours, 0, or one past the last.
    fn id(&self, n: u8) -> NodeId {
        u64::from(n) % (self.servers.len() as u64 + 2)
    }

    fn apply(&mut self, op: &Op) {
        let touched = match *op {
            Op::Tick { node, times } => {
                let i = self.node(node);
                for _ in 0..=times % 8 {
                    self.servers[i].raft.tick();
                }
                Some(i)
            }
            Op::Deliver { pick } | Op::Duplicate { pick } | Op::Lose { pick } => {
                if self.in_flight.is_empty() {
                    return;
                }
                let k = usize::from(pick) % self.in_flight.len();
                let m = match op {
                    Op::Duplicate { .. } => self.in_flight[k].clone(),
                    _ => self.in_flight.remove(k),
                };
                if matches!(op, Op::Lose { .. }) {
                    return;
                }
                self.deliver(m)
            }
            Op::DeliverAll => {
                for m in std::mem::take(&mut self.in_flight) {
                    if let Some(i) = self.deliver(m) {
                        self.after(i);
                    }
                }
                None
            }
            Op::Corrupt { pick, field, to } => {
                if let Some(k) =
                    (!self.in_flight.is_empty()).then(|| usize::from(pick) % self.in_flight.len())
                {
                    corrupt(&mut self.in_flight[k], field, to);
                }
                None
            }
            Op::Forge { node, ref message } => {
                let i = self.node(node);
                let m = self.forge(i, message);
                self.servers[i].raft.step(m);
                Some(i)
            }
            Op::Propose { node, data } => {
                let i = self.node(node);
                let command = Command {
                    client: u64::from(data % 4),
                    seq: u64::from(data),
                    data: vec![data; usize::from(data % 3)].into(),
                };
                let _ = self.servers[i].raft.propose(command);
                Some(i)
            }
            Op::ChangeConfig { node, ref change } => {
                let i = self.node(node);
                let change = match *change {
                    Change::AddVoter(id) => ConfChange::AddVoter(self.id(id)),
                    Change::AddLearner(id) => ConfChange::AddLearner(self.id(id)),
                    Change::RemoveServer(id) => ConfChange::RemoveServer(self.id(id)),
                    Change::EnterJoint { voters, learners } => ConfChange::EnterJoint {
                        voters: members(voters).collect(),
                        learners: members(learners).collect(),
                    },
                    Change::LeaveJoint => ConfChange::LeaveJoint,
                };
                let _ = self.servers[i].raft.propose_conf_change(change);
                Some(i)
            }
            Op::ReadIndex { node, context } => {
                let i = self.node(node);
                let _ = self.servers[i].raft.read_index(u64::from(context));
                Some(i)
            }
            Op::Transfer { node, to } => {
                let i = self.node(node);
                let to = self.id(to);
                let _ = self.servers[i].raft.transfer_leader(to);
                Some(i)
            }
            Op::Campaign { node } => {
                let i = self.node(node);
                let _ = self.servers[i].raft.campaign();
                Some(i)
            }
            Op::Compact { node, back } => {
                let i = self.node(node);
                let raft = &mut self.servers[i].raft;
                let index = raft.last_applied().saturating_sub(u64::from(back % 8));
                let _ = raft.compact(index, vec![back]);
                Some(i)
            }
            Op::Settings { node, bits } => {
                let i = self.node(node);
                let mut cfg = self.servers[i].raft.config().clone();
                settings(&mut cfg, bits);
                let _ = self.servers[i].raft.set_config(cfg);
                Some(i)
            }
            Op::Hold { node } => {
                let i = self.node(node);
                self.servers[i].held = !self.servers[i].held;
                Some(i)
            }
            Op::Crash { node } => {
                let i = self.node(node);
                self.crash(i);
                Some(i)
            }
        };
        if let Some(i) = touched {
            self.after(i);
        }
    }

    /// Hands a message to its receiver; `None` when it names no server.
    fn deliver(&mut self, m: Message) -> Option<usize> {
        let i = usize::try_from(m.to).ok()?.checked_sub(1)?;
        self.servers.get_mut(i)?.raft.step(m);
        Some(i)
    }

    /// After each input: check the server, then handle its output unless held.
    fn after(&mut self, i: usize) {
        self.servers[i].check();
        if !self.servers[i].held {
            let sent = self.servers[i].handle_output(&mut self.reached);
            self.in_flight.extend(sent);
            let excess = self.in_flight.len().saturating_sub(MAX_IN_FLIGHT);
            self.in_flight.drain(..excess);
        }
    }

    /// Restarts server `i` from its persisted state.
    fn crash(&mut self, i: usize) {
        self.reached.lost_output |= self.servers[i].crash();
        self.after(i);
    }

    /// The message `f` describes, to server `i`, its numbers near `i`'s.
    fn forge(&self, i: usize, f: &Forged) -> Message {
        let raft = &self.servers[i].raft;
        let log = raft.log();
        let term = f.term.from(raft.current_term());
        let body = match f.body {
            ForgedBody::RequestVote {
                flags,
                last_index,
                last_term,
            } => Body::RequestVote {
                pre: flags & 1 != 0,
                last_log_index: last_index.from(log.last_index()),
                last_log_term: last_term.from(log.last_term()),
                transfer: flags & 2 != 0,
            },
            ForgedBody::RequestVoteResponse { flags } => Body::RequestVoteResponse {
                pre: flags & 1 != 0,
                granted: flags & 2 != 0,
            },
            ForgedBody::AppendEntries {
                prev_index,
                prev_term,
                ref entries,
                commit,
                round,
            } => {
                let prev_log_index = prev_index.from(log.last_index());
                let prev_log_term = prev_term.from(log.term(prev_log_index).unwrap_or(term));
                let mut t = prev_log_term;
                let entries = entries
                    .iter()
                    .enumerate()
                    .map(|(k, &(step, data))| {
                        // Past u64::MAX (the message is out of range anyway) the index stays there.
                        let index = prev_log_index.saturating_add(1 + k as u64);
                        t = match step % 4 {
                            0 | 1 => t,
                            2 => t.saturating_add(1).min(term),
                            _ => term,
                        };
                        let data = match data % 3 {
                            0 => EntryData::Noop,
                            1 => EntryData::Command(Command {
                                client: 9,
                                seq: u64::from(data),
                                data: Default::default(),
                            }),
                            _ => EntryData::Config(Configuration::new(members(data)).into()),
                        };
                        Entry {
                            index,
                            term: if step >= 0xf0 { u64::from(step % 8) } else { t },
                            data,
                        }
                    })
                    .collect();
                Body::AppendEntries {
                    prev_log_index,
                    prev_log_term,
                    entries,
                    leader_commit: commit.from(log.commit_index()),
                    round: u64::from(round),
                }
            }
            ForgedBody::AppendEntriesResponse {
                flags,
                index,
                last_index,
                conflict,
                round,
            } => Body::AppendEntriesResponse {
                success: flags & 1 != 0,
                index: index.from(log.last_index()),
                last_index: last_index.from(log.last_index()),
                conflict: conflict.map(|(t, i)| (t.from(term), i.from(log.last_index()))),
                round: u64::from(round),
                heartbeat: flags & 2 != 0,
            },
            ForgedBody::InstallSnapshot {
                index,
                term: snapshot_term,
                members: bits,
            } => Body::InstallSnapshot {
                snapshot: Snapshot {
                    meta: SnapshotMeta {
                        index: index.from(log.commit_index()),
                        term: snapshot_term.from(term),
                        config: Configuration::new(members(bits)),
                    },
                    data: vec![bits].into(),
                },
            },
            ForgedBody::InstallSnapshotResponse { index } => Body::InstallSnapshotResponse {
                index: index.from(log.last_index()),
            },
            ForgedBody::TimeoutNow => Body::TimeoutNow,
        };
        Message {
            from: self.id(f.from),
            to: raft.id(),
            term,
            body,
        }
    }
}

/// The servers among 1..=8 whose bits are set.
fn members(bits: u8) -> impl Iterator<Item = NodeId> {
    (1..=8).filter(move |id| bits >> (id - 1) & 1 != 0)
}

/// Sets one number of `m` (its term, or one its body carries) to a value near the old one.
fn corrupt(m: &mut Message, field: u8, to: Near) {
    let mut numbers: Vec<&mut u64> = vec![&mut m.term];
    match &mut m.body {
        Body::RequestVote {
            last_log_index,
            last_log_term,
            ..
        } => numbers.extend([last_log_index, last_log_term]),
        Body::AppendEntries {
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
            ..
        } => {
            numbers.extend([prev_log_index, prev_log_term, leader_commit]);
            for e in entries.iter_mut() {
                numbers.extend([&mut e.index, &mut e.term]);
            }
        }
        Body::AppendEntriesResponse {
            index,
            last_index,
            conflict,
            ..
        } => {
            numbers.extend([index, last_index]);
            if let Some((t, i)) = conflict {
                numbers.extend([t, i]);
            }
        }
        Body::InstallSnapshot { snapshot } => {
            numbers.extend([&mut snapshot.meta.index, &mut snapshot.meta.term])
        }
        Body::InstallSnapshotResponse { index } => numbers.push(index),
        Body::RequestVoteResponse { .. } | Body::TimeoutNow => {}
    }
    let k = usize::from(field) % numbers.len();
    *numbers[k] = to.from(*numbers[k]);
}

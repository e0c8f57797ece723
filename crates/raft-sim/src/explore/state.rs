//! One explored state: the servers (a running Raft node or, crashed, its
//! persisted storage), the messages in flight, the faults used so far and the
//! little history the invariants need; a choice applied to it; its hash.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use raft_core::{Command, Config, EntryData, Message, Raft, Role, SplitMix64, Storage};

use super::check::{self, Found, History};
use crate::kv::KvOp;

pub type Node = Raft<SplitMix64>;

/// What the world lets happen next, as the explorer names it. Messages are
/// named by their place in the state's list of messages in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Choice {
    /// Deliver message `i` to its server.
    Deliver(u16),
    /// Lose message `i`.
    Drop(u16),
    /// Send a copy of message `i` (a network that delivers twice).
    Duplicate(u16),
    /// Server `n` (0-based)'s election timer runs out (§5.2).
    Timeout(u8),
    Crash(u8),
    Restart(u8),
    /// A client writes through server `n`, which leads now (§8).
    Write(u8),
}

/// The bounds of the search: depth and how many of each fault or input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub depth: u32,
    pub elections: u8,
    pub writes: u8,
    pub drops: u8,
    pub dups: u8,
    pub crashes: u8,
}

/// How many of each bounded choice a path has used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Used {
    pub elections: u8,
    pub writes: u8,
    pub drops: u8,
    pub dups: u8,
    pub crashes: u8,
}

/// A server: running, or crashed with what it persisted.
#[derive(Clone, Debug)]
pub enum Slot {
    Up(Arc<Node>),
    Down(Arc<Storage>),
}

/// A message in flight and its hash.
#[derive(Clone, Debug)]
pub struct Msg {
    pub hash: u64,
    pub m: Arc<Message>,
}

/// A client write: the step it was invoked at, the server that took it and the
/// step it completed at (not part of the hash: only linearizability reads it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Op {
    pub invoke: u32,
    pub server: u8,
    pub pending: bool,
    pub complete: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct State {
    pub slots: Vec<Slot>,
    slot_hash: Vec<u64>,
    pub net: Vec<Msg>,
    pub used: Used,
    pub hist: Arc<History>,
    pub ops: Vec<Op>,
    pub depth: u32,
    /// Times each server took office since it started, four bits each: the one
    /// thing a server hides that its messages show (the heartbeat round of its
    /// AppendEntries, which only an election starts when time stands still).
    leads: u64,
}

/// One copy of each server state and message seen, shared by every state that
/// holds it: millions of states hold a few thousand distinct servers.
#[derive(Default)]
pub struct Pool {
    nodes: HashMap<u64, Arc<Node>>,
    stores: HashMap<u64, Arc<Storage>>,
    msgs: HashMap<u64, Arc<Message>>,
}

fn share<T>(pool: &mut HashMap<u64, Arc<T>>, key: u64, x: &mut Arc<T>) {
    match pool.get(&key) {
        Some(p) => *x = Arc::clone(p),
        None => {
            pool.insert(key, Arc::clone(x));
        }
    }
}

/// The fixed parts of the model: server settings, bugs, bounds.
#[derive(Clone, Debug)]
pub struct Model {
    /// Settings of every server (the id is filled in per server), events off.
    pub raft: Config,
    pub forget_vote_on_restart: bool,
    pub bounds: Bounds,
}

/// A 64-bit hasher: Fx-style mixing, finished with SplitMix64's finalizer.
#[derive(Default)]
pub struct Mix(u64);

impl Hasher for Mix {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.write_u64(u64::from_le_bytes(last) ^ (rest.len() as u64) << 59);
    }
    fn write_u8(&mut self, x: u8) {
        self.write_u64(u64::from(x));
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        let mut z = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

fn hash_of(x: &impl Hash) -> u64 {
    let mut h = Mix::default();
    x.hash(&mut h);
    h.finish()
}

/// The hash of what a running server would do next: everything `Raft` shows
/// (its clock, timers and random generator stay still: time is a choice here).
fn node_hash(n: &Node) -> u64 {
    let mut h = Mix::default();
    (n.id(), n.role(), n.current_term()).hash(&mut h);
    (n.voted_for(), n.leader_id()).hash(&mut h);
    (n.commit_index(), n.last_applied(), n.configuration_index()).hash(&mut h);
    n.log().snapshot().meta.hash(&mut h);
    n.log().entries().hash(&mut h);
    n.configuration().hash(&mut h);
    n.lead_transferee().hash(&mut h);
    for (id, p) in n.progress() {
        (id, p.next_index, p.match_index, p.state, p.probe_sent).hash(&mut h);
        (&p.inflight, p.inflight_round, p.pending_snapshot).hash(&mut h);
        (p.recent_active, p.acked_round).hash(&mut h);
    }
    n.votes().hash(&mut h);
    h.finish()
}

fn slot_hash(s: &Slot) -> u64 {
    match s {
        Slot::Up(n) => node_hash(n),
        Slot::Down(st) => hash_of(&(0xdead_u64, &**st)),
    }
}

/// The storage a running server has persisted: every output is persisted at once.
pub fn storage_of(n: &Node) -> Storage {
    Storage {
        hard_state: n.hard_state(),
        snapshot: n.log().snapshot().clone(),
        entries: n.log().entries().to_vec(),
    }
}

/// The command of client write number `w` (1-based): the bytes the world's client sends.
pub fn write_command(w: u64) -> Command {
    Command {
        client: w,
        seq: 1,
        data: KvOp::Put {
            key: WRITE_KEY.into(),
            value: w.to_string(),
        }
        .encode()
        .into(),
    }
}

/// The key every explored write puts.
pub const WRITE_KEY: &str = "x";

impl Model {
    fn config_for(&self, id: u64) -> Config {
        let mut cfg = self.raft.clone();
        cfg.id = id;
        cfg.record_events = false;
        cfg
    }
}

impl State {
    /// The state of running servers `nodes` (with the model's settings) and no message in flight.
    pub fn new(model: &Model, nodes: Vec<Node>) -> State {
        let slots: Vec<Slot> = nodes
            .into_iter()
            .map(|mut n| {
                let _ = n.set_config(model.config_for(n.id()));
                let _ = n.take_output();
                Slot::Up(Arc::new(n))
            })
            .collect();
        let slot_hash = slots.iter().map(slot_hash).collect();
        State {
            slot_hash,
            hist: Arc::new(History::new(slots.len())),
            slots,
            net: Vec::new(),
            used: Used::default(),
            ops: Vec::new(),
            depth: 0,
            leads: 0,
        }
    }

    /// The canonical hash: servers in order, messages as a multiset, faults used, history.
    pub fn key(&self) -> u64 {
        let mut h = Mix::default();
        self.slot_hash.hash(&mut h);
        let net = self.net.iter().fold(0u64, |a, m| {
            a.wrapping_add(m.hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ m.hash)
        });
        (net, self.net.len(), self.used).hash(&mut h);
        self.hist.hash(&mut h);
        h.finish()
    }

    /// Shares this state's servers and messages with equal ones already kept.
    pub fn intern(&mut self, pool: &mut Pool) {
        for (slot, &h) in self.slots.iter_mut().zip(&self.slot_hash) {
            match slot {
                Slot::Up(n) => share(&mut pool.nodes, h, n),
                Slot::Down(s) => share(&mut pool.stores, h, s),
            }
        }
        for m in &mut self.net {
            share(&mut pool.msgs, m.hash, &mut m.m);
        }
    }

    pub fn node(&self, i: usize) -> Option<&Node> {
        match &self.slots[i] {
            Slot::Up(n) => Some(n),
            Slot::Down(_) => None,
        }
    }

    /// Every choice the bounds allow here, in a fixed order.
    pub fn choices(&self, model: &Model, out: &mut Vec<Choice>) {
        out.clear();
        let b = &model.bounds;
        for (i, m) in self.net.iter().enumerate() {
            // Copies of one message lead to the same states: offer the first only.
            if self.net[..i].iter().any(|o| o.hash == m.hash && o.m == m.m) {
                continue;
            }
            let i = i as u16;
            out.push(Choice::Deliver(i));
            if self.used.drops < b.drops {
                out.push(Choice::Drop(i));
            }
            if self.used.dups < b.dups {
                out.push(Choice::Duplicate(i));
            }
        }
        for (i, s) in self.slots.iter().enumerate() {
            let n = i as u8;
            match s {
                Slot::Up(node) => {
                    let leads = node.role() == Role::Leader;
                    if !leads
                        && self.used.elections < b.elections
                        && node.configuration().is_voter(node.id())
                    {
                        out.push(Choice::Timeout(n));
                    }
                    if leads && self.used.writes < b.writes && node.lead_transferee().is_none() {
                        out.push(Choice::Write(n));
                    }
                    if self.used.crashes < b.crashes {
                        out.push(Choice::Crash(n));
                    }
                }
                Slot::Down(_) => out.push(Choice::Restart(n)),
            }
        }
    }

    /// The state after `choice`, or the invariant it broke.
    pub fn apply(&mut self, model: &Model, choice: Choice) -> Result<(), Found> {
        self.depth += 1;
        match choice {
            Choice::Deliver(i) => {
                let msg = self.net.remove(i as usize);
                let to = msg.m.to as usize - 1;
                let m = Arc::try_unwrap(msg.m).unwrap_or_else(|m| (*m).clone());
                self.input(model, to, |n| n.step(m))
            }
            Choice::Drop(i) => {
                self.net.remove(i as usize);
                self.used.drops += 1;
                Ok(())
            }
            Choice::Duplicate(i) => {
                let copy = self.net[i as usize].clone();
                self.net.push(copy);
                self.used.dups += 1;
                Ok(())
            }
            Choice::Timeout(n) => {
                self.used.elections += 1;
                self.input(model, n as usize, |r| {
                    let _ = r.campaign();
                })
            }
            Choice::Write(n) => {
                self.used.writes += 1;
                let w = u64::from(self.used.writes);
                self.ops.push(Op {
                    invoke: self.depth,
                    server: n,
                    pending: true,
                    complete: None,
                });
                self.input(model, n as usize, |r| {
                    let _ = r.propose(write_command(w));
                })
            }
            Choice::Crash(n) => {
                let i = n as usize;
                self.used.crashes += 1;
                if let Slot::Up(node) = &self.slots[i] {
                    self.slots[i] = Slot::Down(Arc::new(storage_of(node)));
                    self.slot_hash[i] = slot_hash(&self.slots[i]);
                    self.leads &= !(0xf << (4 * i));
                }
                // Messages to a crashed server are lost (the world drops them on arrival).
                let id = u64::from(n) + 1;
                self.net.retain(|m| m.m.to != id);
                for op in &mut self.ops {
                    if op.server == n {
                        op.pending = false;
                    }
                }
                Ok(())
            }
            Choice::Restart(n) => {
                let i = n as usize;
                let Slot::Down(storage) = &self.slots[i] else {
                    return Ok(());
                };
                let mut storage = (**storage).clone();
                if model.forget_vote_on_restart {
                    // The bug: votedFor was not persisted (Figure 2 says it must be).
                    storage.hard_state.voted_for = None;
                }
                let id = i as u64 + 1;
                let node = Raft::new(model.config_for(id), &storage, SplitMix64::new(id))
                    .expect("the model's settings validate");
                self.slots[i] = Slot::Up(Arc::new(node));
                self.after_input(i, None)
            }
        }
    }

    /// Hands server `i` an input, then carries out its output.
    fn input(&mut self, _model: &Model, i: usize, f: impl FnOnce(&mut Node)) -> Result<(), Found> {
        let Slot::Up(node) = &mut self.slots[i] else {
            return Ok(());
        };
        let old = node.clone();
        f(Arc::make_mut(node));
        self.after_input(i, Some(&old))
    }

    /// Takes server `i`'s output: messages go in flight (or are lost, to a crashed
    /// server), applied entries complete writes; then the invariants are checked.
    fn after_input(&mut self, i: usize, old: Option<&Arc<Node>>) -> Result<(), Found> {
        let Slot::Up(node) = &mut self.slots[i] else {
            return Ok(());
        };
        let out = Arc::make_mut(node).take_output();
        for m in out.messages.into_iter().chain(out.messages_after_persist) {
            let to = m.to as usize;
            if to == 0 || to > self.slots.len() || matches!(self.slots[to - 1], Slot::Down(_)) {
                continue;
            }
            self.net.push(Msg {
                hash: hash_of(&m),
                m: Arc::new(m),
            });
        }
        for e in &out.committed {
            if let EntryData::Command(c) = &e.data {
                let k = c.client as usize;
                if let Some(op) = self.ops.get_mut(k.wrapping_sub(1)) {
                    if op.pending && usize::from(op.server) == i {
                        op.pending = false;
                        op.complete = Some(self.depth);
                    }
                }
            }
        }
        let leads = (self.leads >> (4 * i)) & 0xf;
        let took_office = matches!(&self.slots[i], Slot::Up(n) if n.role() == Role::Leader)
            && old.is_none_or(|o| o.role() != Role::Leader);
        if took_office && leads < 0xf {
            self.leads += 1 << (4 * i);
        }
        let leads = (self.leads >> (4 * i)) & 0xf;
        self.slot_hash[i] = slot_hash(&self.slots[i]) ^ leads.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        check::after_input(self, i, old.map(|o| &**o), &out.committed)
    }
}

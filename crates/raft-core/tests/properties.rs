//! Property tests: random schedules of ticks, deliveries, drops, duplicates,
//! crashes, restarts, proposals, compactions, reads, transfers and
//! membership changes across 3-5 servers, checked after every action against
//! the safety properties of the paper's Figure 3 (and a few more), plus a
//! liveness smoke test, a no-panic fuzz of arbitrary inputs, and proofs that
//! the checkers do catch the violations caused by the deliberate [`Bugs`].
//!
//! Case counts are small enough for CI in debug mode (about 15 s). For a
//! heavier run set `PROPTEST_CASES` (cases per property) and
//! `RAFT_PROPTEST_STEPS` (schedule length in percent), e.g.
//! `PROPTEST_CASES=20000 RAFT_PROPTEST_STEPS=200 cargo test -p raft-core --test properties`;
//! `RAFT_PROPTEST_STATS=1` prints what each schedule exercised. No
//! regression files are written: failures print their minimal schedule.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use raft_core::{
    Backtrack, Body, Bugs, Command, ConfChange, Config, Configuration, Entry, EntryData, HardState,
    Index, Message, NodeId, Raft, ReadOnly, Role, Snapshot, SnapshotMeta, SplitMix64, Storage,
    Term,
};

// ---------------------------------------------------------------------------
// Test configuration
// ---------------------------------------------------------------------------

fn env_u32(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// `cases` unless `PROPTEST_CASES` says otherwise; no regression files written.
fn pt_config(cases: u32) -> PtConfig {
    PtConfig {
        cases: env_u32("PROPTEST_CASES").unwrap_or(cases),
        failure_persistence: None,
        max_shrink_time: 120_000,
        ..PtConfig::default()
    }
}

/// The maximum schedule length, scaled by `RAFT_PROPTEST_STEPS` (a percentage).
fn steps(n: usize) -> usize {
    env_u32("RAFT_PROPTEST_STEPS").map_or(n, |pct| n * pct as usize / 100)
}

// ---------------------------------------------------------------------------
// The application: a state machine that is the list of applied entries
// ---------------------------------------------------------------------------

/// What identifies an entry's content: its term and a hash of its data.
type Fp = (Term, u64);

fn fp(e: &Entry) -> Fp {
    let mut h = DefaultHasher::new();
    e.data.hash(&mut h);
    (e.term, h.finish())
}

/// Snapshot bytes: the applied entries, 16 bytes each, index implied.
fn encode(app: &[Fp]) -> Vec<u8> {
    let mut out = Vec::with_capacity(app.len() * 16);
    for (t, h) in app {
        out.extend_from_slice(&t.to_le_bytes());
        out.extend_from_slice(&h.to_le_bytes());
    }
    out
}

fn decode(data: &[u8]) -> Result<Vec<Fp>, String> {
    if data.len() % 16 != 0 {
        return Err(format!("snapshot data of {} bytes", data.len()));
    }
    Ok(data
        .chunks(16)
        .map(|c| {
            let t = u64::from_le_bytes(c[..8].try_into().unwrap());
            let h = u64::from_le_bytes(c[8..].try_into().unwrap());
            (t, h)
        })
        .collect())
}

// ---------------------------------------------------------------------------
// Settings and actions
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Settings {
    /// Servers 1..=n exist.
    n: usize,
    /// Servers 1..=voters start in the configuration; the others join later.
    voters: usize,
    pre_vote: bool,
    check_quorum: bool,
    lease_reads: bool,
    backtrack: Backtrack,
    max_inflight: usize,
    max_entries: usize,
    max_bytes: u64,
    election_min: u32,
    election_span: u32,
    heartbeat: u32,
    record_events: bool,
    membership: bool,
    /// Every clock ticks at the same rate (only [`Action::TickAll`]), so lease
    /// reads (dissertation §6.4.1) are checked like ReadIndex.
    lockstep: bool,
    bugs: Bugs,
    seed: u64,
}

impl Settings {
    fn basic(n: usize) -> Self {
        Settings {
            n,
            voters: n,
            pre_vote: false,
            check_quorum: false,
            lease_reads: false,
            backtrack: Backtrack::OneByOne,
            max_inflight: 4,
            max_entries: 4,
            max_bytes: 64 * 1024,
            election_min: 10,
            election_span: 10,
            heartbeat: 3,
            record_events: true,
            membership: false,
            lockstep: false,
            bugs: Bugs::default(),
            seed: 0,
        }
    }

    fn config(&self, id: NodeId) -> Config {
        let mut c = Config::new(id);
        c.election_timeout_min = self.election_min;
        c.election_timeout_max = self.election_min + self.election_span;
        c.heartbeat_interval = self.heartbeat;
        c.pre_vote = self.pre_vote;
        c.check_quorum = self.check_quorum;
        c.read_only = if self.lease_reads && self.check_quorum {
            ReadOnly::LeaseBased
        } else {
            ReadOnly::Safe
        };
        c.backtrack = self.backtrack;
        c.max_inflight = self.max_inflight;
        c.max_entries_per_append = self.max_entries;
        c.max_bytes_per_append = self.max_bytes;
        c.record_events = self.record_events;
        c.bugs = self.bugs;
        c
    }
}

fn settings_strategy() -> impl Strategy<Value = Settings> {
    (
        (
            3..=5usize,
            prop_oneof![6 => Just(0usize), 3 => Just(1), 1 => Just(2)],
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        (any::<bool>(), 1..=4usize, 1..=4usize, any::<bool>()),
        (
            3..=10u32,
            1..=10u32,
            0..=8u32,
            any::<bool>(),
            any::<bool>(),
            any::<u64>(),
        ),
    )
        .prop_map(
            |(
                (n, missing, pre_vote, check_quorum, lease_reads),
                (fast, max_inflight, max_entries, small_bytes),
                (election_min, election_span, hb, record_events, membership, seed),
            )| Settings {
                n,
                voters: n.saturating_sub(missing).max(1),
                pre_vote,
                check_quorum,
                lease_reads,
                backtrack: if fast {
                    Backtrack::ConflictTerm
                } else {
                    Backtrack::OneByOne
                },
                max_inflight,
                max_entries,
                max_bytes: if small_bytes { 40 } else { 64 * 1024 },
                election_min,
                election_span,
                heartbeat: 1 + hb % (election_min - 1),
                record_events,
                membership,
                lockstep: false,
                bugs: Bugs::default(),
                seed,
            },
        )
}

#[derive(Clone, Debug)]
enum ConfOp {
    AddVoter(u8),
    AddLearner(u8),
    Remove(u8),
    /// Bit masks over the servers.
    EnterJoint(u8, u8),
}

#[derive(Clone, Debug)]
enum Action {
    Tick(u8, u8),
    TickAll,
    Deliver(u16),
    DeliverAll,
    Drop(u16),
    Duplicate(u16),
    /// Deliver, then crash after sending the output's `messages` but before
    /// persisting (output.rs allows those to go before persisting).
    DeliverThenCrash(u16),
    Crash(u8),
    Restart(u8),
    /// Split the servers in two by a bit mask; messages across are lost.
    Partition(u8),
    Heal,
    Propose(u8),
    /// Compact the log somewhere in (snapshot, last_applied].
    Compact(u8, u8),
    ReadIndex(u8),
    Transfer(u8, u8),
    Campaign(u8),
    Conf(u8, ConfOp),
}

fn action_strategy(membership: bool) -> BoxedStrategy<Action> {
    let net = prop_oneof![
        26 => any::<u16>().prop_map(Action::Deliver),
        4 => Just(Action::DeliverAll),
        3 => any::<u16>().prop_map(Action::Drop),
        3 => any::<u16>().prop_map(Action::Duplicate),
    ];
    let faults = prop_oneof![
        1 => any::<u16>().prop_map(Action::DeliverThenCrash),
        1 => any::<u8>().prop_map(Action::Crash),
        3 => any::<u8>().prop_map(Action::Restart),
        2 => any::<u8>().prop_map(Action::Partition),
        1 => Just(Action::Heal),
    ];
    let client = prop_oneof![
        8 => any::<u8>().prop_map(Action::Propose),
        3 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::Compact(a, b)),
        2 => any::<u8>().prop_map(Action::ReadIndex),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::Transfer(a, b)),
        2 => any::<u8>().prop_map(Action::Campaign),
    ];
    let time = prop_oneof![
        6 => (any::<u8>(), 1..=4u8).prop_map(|(a, b)| Action::Tick(a, b)),
        4 => Just(Action::TickAll),
    ];
    let conf = (
        any::<u8>(),
        prop_oneof![
            any::<u8>().prop_map(ConfOp::AddVoter),
            any::<u8>().prop_map(ConfOp::AddLearner),
            any::<u8>().prop_map(ConfOp::Remove),
            (any::<u8>(), any::<u8>()).prop_map(|(a, b)| ConfOp::EnterJoint(a, b)),
        ],
    )
        .prop_map(|(a, op)| Action::Conf(a, op));
    if membership {
        prop_oneof![10 => time, 36 => net, 7 => faults, 15 => client, 1 => conf].boxed()
    } else {
        prop_oneof![10 => time, 36 => net, 7 => faults, 15 => client].boxed()
    }
}

fn scenario_strategy(max_steps: usize) -> impl Strategy<Value = (Settings, Vec<Action>)> {
    settings_strategy().prop_flat_map(move |s| {
        let actions = prop::collection::vec(action_strategy(s.membership), 1..max_steps);
        (Just(s), actions)
    })
}

// ---------------------------------------------------------------------------
// The cluster and its safety checker
// ---------------------------------------------------------------------------

type R = Raft<SplitMix64>;

struct Node {
    id: NodeId,
    raft: Option<R>,
    storage: Storage,
    incarnation: u64,
    /// The state machine: every applied entry, index `k + 1` at `app[k]`.
    app: Vec<Fp>,
    // Per-incarnation observations.
    seen_term: Term,
    seen_commit: Index,
    seen_vote: Option<NodeId>,
    /// While leader: (incarnation, term, logical log) at the last check.
    leader_log: Option<(u64, Term, Vec<Fp>)>,
}

/// Everything observed so far, across all servers and all time.
#[derive(Default)]
struct History {
    /// Election safety: the leader of each term.
    leaders: BTreeMap<Term, NodeId>,
    /// Committed entries, index `k + 1` at `k`, with the term of the first
    /// server seen to have it committed (an upper bound of the term it was
    /// committed in).
    committed: Vec<(Fp, Term)>,
    /// State machine safety: what was applied at each index.
    applied: Vec<Fp>,
    /// An (index, term) pair names one entry (consequence of §5.3).
    entries: HashMap<(Index, Term), u64>,
    /// Reads in flight: context -> the commit index they must reflect.
    reads: HashMap<u64, Index>,
    /// The persisted hard state of each server.
    persisted: BTreeMap<NodeId, HardState>,
}

/// What a schedule exercised (printed with `RAFT_PROPTEST_STATS=1`).
#[derive(Default, Debug)]
struct Stats {
    delivered: BTreeMap<&'static str, u32>,
    restores: u32,
    reads: u32,
    compactions: u32,
    crashes: u32,
}

struct Cluster {
    stats: Stats,
    s: Settings,
    nodes: Vec<Node>,
    net: Vec<Message>,
    /// A network partition: servers whose bit is set cannot talk to the others.
    cut: u8,
    h: History,
    seq: u64,
    read_ctx: u64,
    step: usize,
}

type Check = Result<(), String>;

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!($($fmt)+));
        }
    };
}

const NET_CAP: usize = 400;

impl Cluster {
    fn new(s: Settings) -> Result<Self, String> {
        let voters: Vec<NodeId> = (1..=s.voters as NodeId).collect();
        let mut c = Cluster {
            stats: Stats::default(),
            nodes: Vec::new(),
            net: Vec::new(),
            cut: 0,
            h: History::default(),
            seq: 0,
            read_ctx: 0,
            step: 0,
            s,
        };
        for id in 1..=c.s.n as NodeId {
            let storage = if id as usize <= c.s.voters {
                Storage::bootstrap(voters.iter().copied())
            } else {
                Storage::joining()
            };
            c.nodes.push(Node {
                id,
                raft: None,
                storage,
                incarnation: 0,
                app: Vec::new(),
                seen_term: 0,
                seen_commit: 0,
                seen_vote: None,
                leader_log: None,
            });
            c.restart(id as usize - 1)?;
        }
        c.check()?;
        Ok(c)
    }

    fn idx(&self, pick: u8) -> usize {
        pick as usize % self.s.n
    }

    fn live(&self, i: usize) -> bool {
        self.nodes[i].raft.is_some()
    }

    fn leaders(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| {
                self.nodes[i]
                    .raft
                    .as_ref()
                    .is_some_and(|r| r.role() == Role::Leader)
            })
            .collect()
    }

    fn raft(&mut self, i: usize) -> &mut R {
        self.nodes[i].raft.as_mut().expect("live")
    }

    fn crash(&mut self, i: usize) {
        self.stats.crashes += self.live(i) as u32;
        let n = &mut self.nodes[i];
        n.raft = None;
        n.leader_log = None;
    }

    fn restart(&mut self, i: usize) -> Check {
        let cfg = self.s.config(self.nodes[i].id);
        let n = &mut self.nodes[i];
        n.incarnation += 1;
        let seed = self.s.seed ^ (n.id << 32) ^ n.incarnation;
        let raft = Raft::new(cfg, &n.storage, SplitMix64::new(seed))
            .map_err(|e| format!("S{}: Raft::new failed: {e}", n.id))?;
        // The application reloads its state machine from the stored snapshot.
        let app = decode(&n.storage.snapshot.data)?;
        ensure!(
            app.len() as Index == n.storage.snapshot.meta.index,
            "S{}: stored snapshot at {} holds {} entries",
            n.id,
            n.storage.snapshot.meta.index,
            app.len()
        );
        // current_term survives the crash (Figure 2: persistent state).
        let hs = n.storage.hard_state;
        ensure!(
            raft.hard_state() == hs,
            "S{}: restarted with {:?}, persisted {:?}",
            n.id,
            raft.hard_state(),
            hs
        );
        n.app = app;
        n.seen_term = raft.current_term();
        n.seen_commit = raft.commit_index();
        n.seen_vote = raft.voted_for();
        n.leader_log = None;
        n.raft = Some(raft);
        self.drain(i)
    }

    /// Carries out a server's output in the documented order: persist, send, apply.
    fn drain(&mut self, i: usize) -> Check {
        let Some(raft) = self.nodes[i].raft.as_mut() else {
            return Ok(());
        };
        let has_output = raft.has_output();
        let out = raft.take_output();
        let id = self.nodes[i].id;
        // A caller that asks first never skips an output with work in it.
        ensure!(
            has_output || out.is_empty(),
            "S{id}: has_output() was false but take_output() handed out {out:?}"
        );
        // 1. Persist.
        self.nodes[i].storage.persist(&out);
        let hs = self.nodes[i].storage.hard_state;
        if let Some(old) = self.h.persisted.insert(id, hs) {
            // current_term never decreases, and a vote once cast in a term stays (§5.2).
            ensure!(
                hs.current_term >= old.current_term,
                "S{id}: persisted term went {} -> {}",
                old.current_term,
                hs.current_term
            );
            ensure!(
                hs.current_term > old.current_term
                    || old.voted_for.is_none()
                    || old.voted_for == hs.voted_for,
                "S{id}: persisted vote in term {} changed {:?} -> {:?}",
                hs.current_term,
                old.voted_for,
                hs.voted_for
            );
        }
        {
            let raft = self.nodes[i].raft.as_ref().unwrap();
            let st = &self.nodes[i].storage;
            ensure!(
                st.hard_state == raft.hard_state(),
                "S{id}: persisted {:?} but holds {:?}",
                st.hard_state,
                raft.hard_state()
            );
            ensure!(
                st.snapshot == *raft.log().snapshot(),
                "S{id}: persisted snapshot {:?} but holds {:?}",
                st.snapshot.meta,
                raft.log().snapshot().meta
            );
            ensure!(
                st.entries == raft.log().entries(),
                "S{id}: persisted log {:?} but holds {:?}",
                st.entries
                    .iter()
                    .map(|e| (e.index, e.term))
                    .collect::<Vec<_>>(),
                raft.log()
                    .entries()
                    .iter()
                    .map(|e| (e.index, e.term))
                    .collect::<Vec<_>>()
            );
        }
        // 2. Send.
        for m in out.all_messages() {
            ensure!(m.from == id, "S{id} sent a message from S{}: {m}", m.from);
        }
        self.net.extend(out.messages);
        self.net.extend(out.messages_after_persist);
        // 3. Apply: restore, then committed entries, then reads.
        if let Some(snap) = out.restore {
            self.stats.restores += 1;
            let app = decode(&snap.data)?;
            ensure!(
                app.len() as Index == snap.meta.index,
                "S{id}: restored snapshot at {} with {} entries",
                snap.meta.index,
                app.len()
            );
            ensure!(
                app.last().map_or(0, |f| f.0) == snap.meta.term,
                "S{id}: restored snapshot term {} but last entry term {:?}",
                snap.meta.term,
                app.last()
            );
            ensure!(
                app.len() >= self.nodes[i].app.len(),
                "S{id}: restore at {} would go back from {} applied",
                app.len(),
                self.nodes[i].app.len()
            );
            for (k, f) in app.iter().enumerate() {
                self.record_applied(id, k as Index + 1, *f)?;
            }
            self.nodes[i].app = app;
        }
        for e in &out.committed {
            let next = self.nodes[i].app.len() as Index + 1;
            ensure!(
                e.index == next,
                "S{id}: applied index {} but expected {next}",
                e.index
            );
            self.record_applied(id, e.index, fp(e))?;
            self.nodes[i].app.push(fp(e));
        }
        for rs in &out.read_states {
            self.stats.reads += 1;
            let Some(need) = self.h.reads.remove(&rs.context) else {
                return Err(format!("S{id}: read state for unknown context {rs:?}"));
            };
            let commit = self.nodes[i].raft.as_ref().unwrap().commit_index();
            ensure!(
                rs.index <= commit,
                "S{id}: read at {} beyond commit {commit}",
                rs.index
            );
            // Linearizable reads (§6.4): the read index covers everything
            // committed before the read was asked for. Leases depend on clocks
            // (§6.4.1), so lease reads are checked only when the clocks agree.
            let lease =
                self.nodes[i].raft.as_ref().unwrap().config().read_only == ReadOnly::LeaseBased;
            ensure!(
                (lease && !self.s.lockstep) || rs.index >= need,
                "S{id}: stale read {rs:?}: {need} was committed when it was asked"
            );
        }
        Ok(())
    }

    fn record_applied(&mut self, id: NodeId, index: Index, f: Fp) -> Check {
        let k = index as usize - 1;
        match self.h.applied.get(k) {
            Some(g) => ensure!(
                *g == f,
                "state machine safety: S{id} applied {f:?} at {index}, another server {g:?}"
            ),
            None => {
                ensure!(
                    k == self.h.applied.len(),
                    "S{id}: applied {index} with a gap"
                );
                self.h.applied.push(f);
            }
        }
        Ok(())
    }

    /// The log as a list of entries from index 1: the compacted prefix comes
    /// from the state machine, which holds everything up to last_applied.
    fn logical_log(&self, i: usize) -> Result<Vec<Fp>, String> {
        let n = &self.nodes[i];
        let raft = n.raft.as_ref().unwrap();
        let log = raft.log();
        let s = log.snapshot_index() as usize;
        ensure!(
            n.app.len() >= s,
            "S{}: snapshot at {s} but only {} applied",
            n.id,
            n.app.len()
        );
        if s > 0 {
            ensure!(
                n.app[s - 1].0 == log.snapshot().meta.term,
                "S{}: snapshot term {} but entry {s} has term {}",
                n.id,
                log.snapshot().meta.term,
                n.app[s - 1].0
            );
        }
        let mut l: Vec<Fp> = n.app[..s].to_vec();
        for (k, e) in log.entries().iter().enumerate() {
            ensure!(
                e.index as usize == s + 1 + k,
                "S{}: entry {k} after snapshot {s} has index {}",
                n.id,
                e.index
            );
            l.push(fp(e));
        }
        for (k, f) in n.app.iter().enumerate().skip(s) {
            ensure!(
                l.get(k) == Some(f),
                "S{}: applied {:?} at {} but the log holds {:?}",
                n.id,
                f,
                k + 1,
                l.get(k)
            );
        }
        Ok(l)
    }

    /// Figure 3's properties (and a few more), checked after every action.
    fn check(&mut self) -> Check {
        let mut logs: Vec<(usize, Vec<Fp>)> = Vec::new();
        for i in 0..self.nodes.len() {
            if !self.live(i) {
                continue;
            }
            let l = self.logical_log(i)?;
            let n = &mut self.nodes[i];
            let id = n.id;
            let raft = n.raft.as_ref().unwrap();
            let (term, commit) = (raft.current_term(), raft.commit_index());
            let log = raft.log();
            ensure!(
                term >= n.seen_term,
                "S{id}: term went back {} -> {term}",
                n.seen_term
            );
            if term == n.seen_term && n.seen_vote.is_some() {
                ensure!(
                    raft.voted_for() == n.seen_vote,
                    "S{id}: vote in term {term} changed {:?} -> {:?}",
                    n.seen_vote,
                    raft.voted_for()
                );
            }
            ensure!(
                commit >= n.seen_commit,
                "S{id}: commit index went back {} -> {commit}",
                n.seen_commit
            );
            ensure!(
                commit <= log.last_index(),
                "S{id}: commit {commit} beyond last index {}",
                log.last_index()
            );
            ensure!(
                raft.last_applied() <= commit && raft.last_applied() == n.app.len() as Index,
                "S{id}: last_applied {} (state machine {}) commit {commit}",
                raft.last_applied(),
                n.app.len()
            );
            n.seen_term = term;
            n.seen_commit = commit;
            n.seen_vote = raft.voted_for();
            // Entries beyond the snapshot: one entry per (index, term).
            for e in log.entries() {
                let h = fp(e).1;
                let prev = *self.h.entries.entry((e.index, e.term)).or_insert(h);
                ensure!(
                    prev == h,
                    "log matching: S{id} holds a different entry at {}/{}",
                    e.term,
                    e.index
                );
            }
            // Committed entries never change.
            for (k, f) in l.iter().enumerate().take(commit as usize) {
                match self.h.committed.get(k) {
                    Some((g, _)) => ensure!(
                        g == f,
                        "S{id} committed {f:?} at {} but {g:?} was committed there",
                        k + 1
                    ),
                    None => self.h.committed.push((*f, term)),
                }
            }
            if raft.role() == Role::Leader {
                // Election safety: at most one leader per term, ever (§5.2).
                let leader = *self.h.leaders.entry(term).or_insert(id);
                ensure!(
                    leader == id,
                    "election safety: S{leader} and S{id} both led term {term}"
                );
                // Leader append-only (§5.3).
                if let Some((inc, t, old)) = &n.leader_log {
                    if *inc == n.incarnation && *t == term {
                        ensure!(
                            l.len() >= old.len() && l[..old.len()] == old[..],
                            "leader append-only: S{id} changed its log in term {term}"
                        );
                    }
                }
                n.leader_log = Some((n.incarnation, term, l.clone()));
                // Leader completeness: committed in an earlier term => in this leader's log (§5.4).
                for (k, (f, ct)) in self.h.committed.iter().enumerate() {
                    if *ct < term {
                        ensure!(
                            l.get(k) == Some(f),
                            "leader completeness: S{id}, leader of term {term}, holds {:?} at {} \
                             but {f:?} was committed by term {ct}",
                            l.get(k),
                            k + 1
                        );
                    }
                }
            } else {
                n.leader_log = None;
            }
            logs.push((i, l));
        }
        // Log matching: the same index and term means the same log up to there.
        for a in 0..logs.len() {
            for b in a + 1..logs.len() {
                let (la, lb) = (&logs[a].1, &logs[b].1);
                let common = la.len().min(lb.len());
                if let Some(k) = (0..common).rev().find(|&k| la[k].0 == lb[k].0) {
                    ensure!(
                        la[..=k] == lb[..=k],
                        "log matching: S{} and S{} agree on term {} at {} but differ before",
                        self.nodes[logs[a].0].id,
                        self.nodes[logs[b].0].id,
                        la[k].0,
                        k + 1
                    );
                }
            }
        }
        Ok(())
    }

    // ----- Actions -----------------------------------------------------------

    fn deliver(&mut self, k: usize) -> Check {
        let m = self.net.remove(k);
        let i = m.to as usize - 1;
        let side = |id: NodeId| self.cut >> (id - 1) & 1;
        if i < self.nodes.len() && self.live(i) && side(m.from) == side(m.to) {
            *self
                .stats
                .delivered
                .entry(m.body.kind().as_str())
                .or_default() += 1;
            self.raft(i).step(m);
            self.drain(i)?;
        }
        Ok(())
    }

    fn apply(&mut self, a: &Action) -> Check {
        self.step += 1;
        self.apply_inner(a)?;
        if self.net.len() > NET_CAP {
            let excess = self.net.len() - NET_CAP;
            self.net.drain(..excess);
        }
        self.check()
    }

    fn apply_inner(&mut self, a: &Action) -> Check {
        let n = self.s.n;
        match a {
            Action::Tick(p, times) => {
                let i = self.idx(*p);
                if self.live(i) {
                    for _ in 0..*times {
                        self.raft(i).tick();
                        self.drain(i)?;
                    }
                }
            }
            Action::TickAll => {
                for i in 0..n {
                    if self.live(i) {
                        self.raft(i).tick();
                        self.drain(i)?;
                    }
                }
            }
            // With nothing in flight, time passes instead (keeps schedules busy).
            Action::Deliver(_) if self.net.is_empty() => self.apply_inner(&Action::TickAll)?,
            Action::Deliver(k) => {
                let k = *k as usize % self.net.len();
                self.deliver(k)?;
            }
            Action::DeliverAll => {
                for _ in 0..self.net.len() {
                    self.deliver(0)?;
                }
            }
            Action::Drop(k) => {
                if !self.net.is_empty() {
                    let k = *k as usize % self.net.len();
                    self.net.remove(k);
                }
            }
            Action::Duplicate(k) => {
                if !self.net.is_empty() {
                    let k = *k as usize % self.net.len();
                    self.net.push(self.net[k].clone());
                }
            }
            Action::DeliverThenCrash(k) => {
                if !self.net.is_empty() {
                    let m = self.net.remove(*k as usize % self.net.len());
                    let i = m.to as usize - 1;
                    if i < n && self.live(i) {
                        self.raft(i).step(m);
                        let out = self.raft(i).take_output();
                        self.net.extend(out.messages);
                        self.crash(i);
                    }
                }
            }
            Action::Crash(p) => {
                let i = self.idx(*p);
                self.crash(i);
            }
            Action::Restart(p) => {
                // Restart the `p`-th crashed server, if any.
                let down: Vec<usize> = (0..n).filter(|&i| !self.live(i)).collect();
                if !down.is_empty() {
                    self.restart(down[*p as usize % down.len()])?;
                }
            }
            Action::Partition(mask) => self.cut = *mask,
            Action::Heal => self.cut = 0,
            Action::Propose(p) => {
                let i = self.pick_leader(*p);
                if self.live(i) {
                    self.seq += 1;
                    let seq = self.seq;
                    let _ = self.raft(i).propose(Command {
                        client: 1 + seq % 3,
                        seq,
                        data: seq.to_le_bytes().to_vec().into(),
                    });
                    self.drain(i)?;
                }
            }
            Action::Compact(p, frac) => {
                let i = self.idx(*p);
                if self.live(i) {
                    let r = self.nodes[i].raft.as_ref().unwrap();
                    let (lo, hi) = (r.log().snapshot_index(), r.last_applied());
                    if hi > lo {
                        let at = lo + 1 + (*frac as Index % (hi - lo));
                        let data = encode(&self.nodes[i].app[..at as usize]);
                        let ok = self.raft(i).compact(at, data);
                        ensure!(ok, "S{}: compact at {at} refused", i + 1);
                        self.stats.compactions += 1;
                        self.drain(i)?;
                    }
                }
            }
            Action::ReadIndex(p) => {
                let i = self.pick_leader(*p);
                if self.live(i) {
                    self.read_ctx += 1;
                    let ctx = self.read_ctx;
                    if self.raft(i).read_index(ctx).is_ok() {
                        self.h.reads.insert(ctx, self.h.committed.len() as Index);
                    }
                    self.drain(i)?;
                }
            }
            Action::Transfer(p, to) => {
                let i = self.pick_leader(*p);
                if self.live(i) {
                    let to = self.idx(*to) as NodeId + 1;
                    let _ = self.raft(i).transfer_leader(to);
                    self.drain(i)?;
                }
            }
            Action::Campaign(p) => {
                let i = self.idx(*p);
                if self.live(i) {
                    let _ = self.raft(i).campaign();
                    self.drain(i)?;
                }
            }
            Action::Conf(p, op) => {
                let i = self.pick_leader(*p);
                if self.live(i) {
                    let id = |x: &u8| (*x as usize % n) as NodeId + 1;
                    let mask = |m: &u8| -> Vec<NodeId> {
                        (0..n)
                            .filter(|b| m & (1 << b) != 0)
                            .map(|b| b as NodeId + 1)
                            .collect()
                    };
                    let change = match op {
                        ConfOp::AddVoter(x) => ConfChange::AddVoter(id(x)),
                        ConfOp::AddLearner(x) => ConfChange::AddLearner(id(x)),
                        ConfOp::Remove(x) => ConfChange::RemoveServer(id(x)),
                        ConfOp::EnterJoint(v, l) => {
                            let voters = mask(v);
                            let learners = mask(&(l & !v));
                            ConfChange::EnterJoint { voters, learners }
                        }
                    };
                    let _ = self.raft(i).propose_conf_change(change);
                    self.drain(i)?;
                }
            }
        }
        Ok(())
    }

    /// A live leader (the `pick`-th one) if there is one, else some server.
    fn pick_leader(&self, pick: u8) -> usize {
        let leaders = self.leaders();
        if leaders.is_empty() {
            self.idx(pick)
        } else {
            leaders[pick as usize % leaders.len()]
        }
    }

    fn run(&mut self, actions: &[Action]) -> Check {
        for a in actions {
            self.apply(a)
                .map_err(|e| format!("step {} ({a:?}): {e}", self.step))?;
        }
        Ok(())
    }

    // ----- Helpers for hand-built schedules ----------------------------------

    /// Delivers the first message matching `pred` until none is left (a
    /// message to a crashed server is lost).
    fn deliver_while(&mut self, pred: impl Fn(&Cluster, &Message) -> bool) -> Check {
        for _ in 0..10_000 {
            let Some(k) = self.net.iter().position(|m| pred(self, m)) else {
                return Ok(());
            };
            self.deliver(k)?;
            self.check()?;
        }
        Err("network never went quiet".into())
    }

    /// Makes server `id` campaign (up to `tries` times) talking only within
    /// `group`; returns whether it won.
    fn campaign_within(
        &mut self,
        id: NodeId,
        group: &[NodeId],
        tries: usize,
    ) -> Result<bool, String> {
        let i = id as usize - 1;
        for _ in 0..tries {
            if self.nodes[i].raft.as_ref().unwrap().role() == Role::Leader {
                return Ok(true);
            }
            let _ = self.raft(i).campaign();
            self.drain(i)?;
            self.check()?;
            self.deliver_while(|_, m| {
                group.contains(&m.from)
                    && group.contains(&m.to)
                    && matches!(
                        m.body,
                        Body::RequestVote { .. } | Body::RequestVoteResponse { .. }
                    )
            })?;
        }
        Ok(self.nodes[i].raft.as_ref().unwrap().role() == Role::Leader)
    }

    fn elect(&mut self, id: NodeId, group: &[NodeId]) -> Check {
        ensure!(
            self.campaign_within(id, group, 5)?,
            "S{id} could not win an election within {group:?}"
        );
        Ok(())
    }

    /// Crash and restart: keeps the persisted state, forgets the leader lease.
    fn bounce(&mut self, id: NodeId) -> Check {
        self.crash(id as usize - 1);
        self.restart(id as usize - 1)?;
        self.check()
    }
}

fn run_schedule(s: Settings, actions: &[Action]) -> Result<Cluster, TestCaseError> {
    let mut c = Cluster::new(s).map_err(TestCaseError::fail)?;
    c.run(actions).map_err(TestCaseError::fail)?;
    if std::env::var_os("RAFT_PROPTEST_STATS").is_some() {
        eprintln!(
            "stats: {} actions, {} leaders, {} committed, {:?}",
            actions.len(),
            c.h.leaders.len(),
            c.h.committed.len(),
            c.stats
        );
    }
    Ok(c)
}

// ---------------------------------------------------------------------------
// 1-2. Safety under random schedules
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(pt_config(1024))]

    /// Election safety, leader append-only, log matching, leader completeness
    /// and state machine safety (Figure 3) after every action, plus
    /// monotonic terms and commit indices, persisted == in-memory state after
    /// every output, contiguous application, snapshot contents and
    /// linearizable ReadIndex.
    #[test]
    fn safety_under_random_schedules((s, actions) in scenario_strategy(steps(600))) {
        let n = actions.len();
        let ss = s.clone();
        let c = run_schedule(s, &actions)?;
        let live = c.nodes.iter().filter(|n| n.raft.is_some()).count();
        let terms: Vec<_> = c.nodes.iter().map(|n| n.storage.hard_state.current_term).collect();
        eprintln!("STAT actions={n} leaders={} committed={} live={live} terms={terms:?} snaps={:?} n={} v={} pv={} cq={} emin={} span={} hb={}", c.h.leaders.len(), c.h.committed.len(), c.nodes.iter().map(|n| n.storage.snapshot.meta.index).collect::<Vec<_>>(), ss.n, ss.voters, ss.pre_vote, ss.check_quorum, ss.election_min, ss.election_span, ss.heartbeat);
    }
}

// ---------------------------------------------------------------------------
// 2b. Lease reads when the clocks agree (dissertation §6.4.1)
// ---------------------------------------------------------------------------

/// Schedules in which every clock runs at the same rate: time passes for all
/// servers at once. Nobody crashes (a restarted server forgets the leader it
/// heard from, so it grants votes at once) and nobody is made to campaign (a
/// forced campaign ignores the leader it heard from); everything else goes.
fn lockstep_action_strategy() -> BoxedStrategy<Action> {
    prop_oneof![
        14 => Just(Action::TickAll),
        26 => any::<u16>().prop_map(Action::Deliver),
        4 => Just(Action::DeliverAll),
        3 => any::<u16>().prop_map(Action::Drop),
        3 => any::<u16>().prop_map(Action::Duplicate),
        3 => any::<u8>().prop_map(Action::Partition),
        1 => Just(Action::Heal),
        8 => any::<u8>().prop_map(Action::Propose),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::Compact(a, b)),
        6 => any::<u8>().prop_map(Action::ReadIndex),
        3 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::Transfer(a, b)),
    ]
    .boxed()
}

fn lease_scenario_strategy(max_steps: usize) -> impl Strategy<Value = (Settings, Vec<Action>)> {
    let settings = settings_strategy().prop_map(|mut s| {
        s.voters = s.n;
        s.check_quorum = true;
        s.lease_reads = true;
        s.membership = false;
        s.lockstep = true;
        s
    });
    let actions = prop::collection::vec(lockstep_action_strategy(), 1..max_steps);
    (settings, actions)
}

proptest! {
    #![proptest_config(pt_config(512))]

    /// A lease read is linearizable as long as the clocks agree: the leader
    /// serves it only while no other server can have been elected (§6.4.1).
    #[test]
    fn lease_reads_are_linearizable_when_clocks_agree(
        (s, actions) in lease_scenario_strategy(steps(600))
    ) {
        run_schedule(s, &actions)?;
    }
}

// ---------------------------------------------------------------------------
// 3. Liveness smoke test
// ---------------------------------------------------------------------------

/// Heals everything (restart all, then tick everyone and deliver everything
/// each round) and waits for a leader to commit a fresh proposal.
fn heal_and_commit(c: &mut Cluster, max_rounds: usize) -> Check {
    c.cut = 0;
    for i in 0..c.nodes.len() {
        if !c.live(i) {
            c.restart(i)?;
        }
    }
    c.check()?;
    let mut pending: Option<(usize, Term, Index)> = None;
    for round in 0..max_rounds {
        for i in 0..c.nodes.len() {
            c.raft(i).tick();
            c.drain(i)?;
        }
        // Deliver everything, including what the deliveries produce.
        let mut budget = 10_000;
        while !c.net.is_empty() && budget > 0 {
            c.deliver(0)?;
            budget -= 1;
        }
        c.check()?;
        if let Some((i, term, index)) = pending {
            let r = c.nodes[i].raft.as_ref().unwrap();
            if r.role() == Role::Leader && r.current_term() == term {
                if r.commit_index() >= index {
                    return Ok(());
                }
            } else {
                pending = None;
            }
        }
        if pending.is_none() {
            if let Some(&i) = c
                .leaders()
                .iter()
                .max_by_key(|&&i| c.nodes[i].raft.as_ref().unwrap().current_term())
            {
                c.seq += 1;
                let seq = c.seq;
                let cmd = Command {
                    client: 99,
                    seq,
                    data: vec![1].into(),
                };
                if let Ok(index) = c.raft(i).propose(cmd) {
                    let term = c.nodes[i].raft.as_ref().unwrap().current_term();
                    pending = Some((i, term, index));
                }
                c.drain(i)?;
                c.check()?;
            }
        }
        let _ = round;
    }
    let roles: Vec<String> = c
        .nodes
        .iter()
        .map(|n| {
            let r = n.raft.as_ref().unwrap();
            format!(
                "S{} {} t{} commit {} last {} config {}",
                n.id,
                r.role(),
                r.current_term(),
                r.commit_index(),
                r.log().last_index(),
                r.configuration()
            )
        })
        .collect();
    Err(format!(
        "liveness: no proposal committed within {max_rounds} healed rounds: {roles:?}"
    ))
}

proptest! {
    #![proptest_config(pt_config(256))]

    /// After arbitrary faults, a healed cluster elects a leader and commits.
    #[test]
    fn liveness_after_faults_heal((mut s, actions) in scenario_strategy(steps(200))) {
        // §5.2: timeouts drawn from [T, 2T) make split votes rare; a narrower
        // range ticked in lockstep can split votes forever.
        s.election_span = s.election_span.max(s.election_min);
        let max_rounds = 40 * (s.election_min + s.election_span) as usize;
        let mut c = run_schedule(s, &actions)?;
        heal_and_commit(&mut c, max_rounds).map_err(TestCaseError::fail)?;
    }
}

// ---------------------------------------------------------------------------
// 4. No input panics the core
// ---------------------------------------------------------------------------

fn arb_u64() -> impl Strategy<Value = u64> {
    prop_oneof![
        6 => 0..12u64,
        1 => Just(u64::MAX),
        1 => Just(u64::MAX - 1),
        1 => (1u64 << 62)..(1u64 << 63),
        1 => any::<u64>(),
    ]
}

fn arb_id() -> impl Strategy<Value = NodeId> {
    prop_oneof![8 => 0..=6u64, 1 => Just(u64::MAX), 1 => any::<u64>()]
}

fn arb_ids() -> impl Strategy<Value = Vec<NodeId>> {
    prop::collection::vec(arb_id(), 0..5)
}

fn arb_configuration() -> impl Strategy<Value = Configuration> {
    (arb_ids(), arb_ids(), arb_ids()).prop_map(|(v, o, l)| Configuration {
        voters: v.into_iter().collect(),
        voters_outgoing: o.into_iter().collect(),
        learners: l.into_iter().collect(),
    })
}

fn arb_entry_data() -> impl Strategy<Value = EntryData> {
    prop_oneof![
        3 => Just(EntryData::Noop),
        3 => (arb_u64(), arb_u64(), prop::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(client, seq, data)| EntryData::Command(Command { client, seq, data: data.into() })),
        1 => arb_configuration().prop_map(|c| EntryData::Config(c.into())),
    ]
}

/// Entries: sometimes a plausible run after `prev`, sometimes garbage.
fn arb_entries() -> impl Strategy<Value = (Index, Term, Vec<Entry>)> {
    let plausible = (
        0..10u64,
        0..6u64,
        prop::collection::vec((0..3u64, arb_entry_data()), 0..5),
    )
        .prop_map(|(prev, prev_term, v)| {
            let mut term = prev_term;
            let entries = v
                .into_iter()
                .enumerate()
                .map(|(k, (bump, data))| {
                    term += bump;
                    Entry {
                        index: prev + 1 + k as Index,
                        term,
                        data,
                    }
                })
                .collect();
            (prev, prev_term, entries)
        });
    let garbage = (
        arb_u64(),
        arb_u64(),
        prop::collection::vec(
            (arb_u64(), arb_u64(), arb_entry_data()).prop_map(|(index, term, data)| Entry {
                index,
                term,
                data,
            }),
            0..5,
        ),
    );
    prop_oneof![2 => plausible, 1 => garbage]
}

fn arb_snapshot() -> impl Strategy<Value = Snapshot> {
    (
        arb_u64(),
        arb_u64(),
        arb_configuration(),
        prop::collection::vec(any::<u8>(), 0..48),
    )
        .prop_map(|(index, term, config, data)| Snapshot {
            meta: SnapshotMeta {
                index,
                term,
                config,
            },
            data: data.into(),
        })
}

fn arb_body() -> impl Strategy<Value = Body> {
    prop_oneof![
        (any::<bool>(), arb_u64(), arb_u64(), any::<bool>()).prop_map(
            |(pre, last_log_index, last_log_term, transfer)| Body::RequestVote {
                pre,
                last_log_index,
                last_log_term,
                transfer,
            }
        ),
        (any::<bool>(), any::<bool>())
            .prop_map(|(pre, granted)| Body::RequestVoteResponse { pre, granted }),
        (arb_entries(), arb_u64(), arb_u64()).prop_map(
            |((prev_log_index, prev_log_term, entries), leader_commit, round)| {
                Body::AppendEntries {
                    prev_log_index,
                    prev_log_term,
                    entries,
                    leader_commit,
                    round,
                }
            }
        ),
        (
            any::<bool>(),
            arb_u64(),
            arb_u64(),
            prop::option::of((arb_u64(), arb_u64())),
            arb_u64(),
            any::<bool>()
        )
            .prop_map(|(success, index, last_index, conflict, round, heartbeat)| {
                Body::AppendEntriesResponse {
                    success,
                    index,
                    last_index,
                    conflict,
                    round,
                    heartbeat,
                }
            }),
        arb_snapshot().prop_map(|snapshot| Body::InstallSnapshot { snapshot }),
        arb_u64().prop_map(|index| Body::InstallSnapshotResponse { index }),
        Just(Body::TimeoutNow),
    ]
}

#[derive(Clone, Debug)]
enum FuzzOp {
    /// A message to the server (`to` replaced by its id unless `misaddressed`).
    Step {
        from: NodeId,
        misaddressed: Option<NodeId>,
        term: Term,
        /// Use the server's current term plus this instead of `term`.
        near: Option<u8>,
        body: Body,
    },
    Tick(u8),
    Propose(Vec<u8>),
    ReadIndex(u64),
    Transfer(NodeId),
    Compact(Index, Vec<u8>),
    Conf(ConfChange),
    Campaign,
    Restart,
}

fn arb_conf_change() -> impl Strategy<Value = ConfChange> {
    prop_oneof![
        arb_id().prop_map(ConfChange::AddVoter),
        arb_id().prop_map(ConfChange::AddLearner),
        arb_id().prop_map(ConfChange::RemoveServer),
        (arb_ids(), arb_ids())
            .prop_map(|(voters, learners)| ConfChange::EnterJoint { voters, learners }),
        Just(ConfChange::LeaveJoint),
    ]
}

fn arb_fuzz_op() -> impl Strategy<Value = FuzzOp> {
    prop_oneof![
        12 => (
            arb_id(),
            prop::option::weighted(0.1, arb_id()),
            arb_u64(),
            prop::option::weighted(0.7, prop_oneof![4 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)]),
            arb_body()
        )
            .prop_map(|(from, misaddressed, term, near, body)| FuzzOp::Step {
                from,
                misaddressed,
                term,
                near,
                body,
            }),
        3 => (1..40u8).prop_map(FuzzOp::Tick),
        2 => prop::collection::vec(any::<u8>(), 0..8).prop_map(FuzzOp::Propose),
        1 => arb_u64().prop_map(FuzzOp::ReadIndex),
        1 => arb_id().prop_map(FuzzOp::Transfer),
        1 => (arb_u64(), prop::collection::vec(any::<u8>(), 0..16))
            .prop_map(|(i, d)| FuzzOp::Compact(i, d)),
        1 => arb_conf_change().prop_map(FuzzOp::Conf),
        1 => Just(FuzzOp::Campaign),
        1 => Just(FuzzOp::Restart),
    ]
}

/// A server's starting point: a valid persisted state and a role to reach.
#[derive(Clone, Debug)]
struct FuzzStart {
    settings: Settings,
    id: NodeId,
    snapshot_len: usize,
    term_bumps: Vec<u8>,
    extra_term: u64,
    role: Role,
    joining: bool,
}

fn fuzz_start_strategy() -> impl Strategy<Value = FuzzStart> {
    (
        settings_strategy(),
        1..=3u64,
        0..4usize,
        prop::collection::vec(0..3u8, 0..8),
        0..3u64,
        prop_oneof![
            Just(Role::Follower),
            Just(Role::PreCandidate),
            Just(Role::Candidate),
            Just(Role::Leader)
        ],
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(settings, id, snapshot_len, term_bumps, extra_term, role, joining)| FuzzStart {
                settings,
                id,
                snapshot_len,
                term_bumps,
                extra_term,
                role,
                joining,
            },
        )
}

struct Fuzzed {
    raft: R,
    storage: Storage,
    settings: Settings,
    applied: Index,
    seen_term: Term,
    seen_commit: Index,
}

impl Fuzzed {
    fn new(st: &FuzzStart) -> Result<Self, String> {
        let mut settings = st.settings.clone();
        settings.pre_vote |= st.role == Role::PreCandidate;
        let mut storage = if st.joining {
            Storage::joining()
        } else {
            Storage::bootstrap([1, 2, 3])
        };
        if !st.joining {
            let mut term = 1;
            for (k, bump) in st.term_bumps.iter().enumerate() {
                term += *bump as Term;
                storage.entries.push(Entry {
                    index: k as Index + 1,
                    term,
                    data: EntryData::Noop,
                });
            }
            let s = st.snapshot_len.min(storage.entries.len());
            if s > 0 {
                let last = storage.entries[s - 1].clone();
                storage.snapshot.meta.index = last.index;
                storage.snapshot.meta.term = last.term;
                storage.entries.drain(..s);
            }
            let last_term = storage
                .entries
                .last()
                .map_or(storage.snapshot.meta.term, |e| e.term);
            storage.hard_state.current_term = last_term + st.extra_term;
        }
        let raft = Raft::new(settings.config(st.id), &storage, SplitMix64::new(st.id))
            .map_err(|e| e.to_string())?;
        let applied = raft.last_applied();
        let mut f = Fuzzed {
            seen_term: raft.current_term(),
            seen_commit: raft.commit_index(),
            raft,
            storage,
            settings,
            applied,
        };
        f.drain()?;
        // Reach the role asked for by playing the peers' part.
        let id = st.id;
        let peers: Vec<NodeId> = [1, 2, 3].into_iter().filter(|&p| p != id).collect();
        if st.role != Role::Follower && !st.joining {
            let _ = f.raft.campaign();
            f.drain()?;
            if st.role == Role::Leader {
                for _ in 0..2 {
                    let pre = f.raft.role() == Role::PreCandidate;
                    let term = f.raft.current_term() + pre as Term;
                    for &p in &peers {
                        f.raft.step(Message {
                            from: p,
                            to: id,
                            term,
                            body: Body::RequestVoteResponse { pre, granted: true },
                        });
                        f.drain()?;
                    }
                }
            }
        }
        Ok(f)
    }

    fn drain(&mut self) -> Check {
        let out = self.raft.take_output();
        self.storage.persist(&out);
        let r = &self.raft;
        let id = r.id();
        for w in out.entries.windows(2) {
            ensure!(
                w[1].index == w[0].index + 1,
                "S{id}: non-contiguous entries to persist"
            );
        }
        if let Some(s) = &out.restore {
            self.applied = self.applied.max(s.meta.index);
        }
        for e in &out.committed {
            ensure!(
                e.index == self.applied + 1,
                "S{id}: applied {} after {}",
                e.index,
                self.applied
            );
            self.applied = e.index;
        }
        for m in out.all_messages() {
            ensure!(m.from == id, "S{id}: sent a message from S{}", m.from);
        }
        ensure!(
            self.storage.hard_state == r.hard_state()
                && self.storage.snapshot == *r.log().snapshot()
                && self.storage.entries == r.log().entries(),
            "S{id}: persisted state differs from the server's"
        );
        self.check()
    }

    fn check(&mut self) -> Check {
        let r = &self.raft;
        let id = r.id();
        let log = r.log();
        ensure!(
            r.current_term() >= self.seen_term,
            "S{id}: term went back {} -> {}",
            self.seen_term,
            r.current_term()
        );
        ensure!(
            r.commit_index() >= self.seen_commit,
            "S{id}: commit went back {} -> {}",
            self.seen_commit,
            r.commit_index()
        );
        ensure!(
            log.snapshot_index() <= r.last_applied()
                && r.last_applied() <= r.commit_index()
                && r.commit_index() <= log.last_index(),
            "S{id}: snapshot {} applied {} commit {} last {}",
            log.snapshot_index(),
            r.last_applied(),
            r.commit_index(),
            log.last_index()
        );
        ensure!(
            r.last_applied() == self.applied,
            "S{id}: last_applied {} but the application saw {}",
            r.last_applied(),
            self.applied
        );
        for (k, e) in log.entries().iter().enumerate() {
            ensure!(
                Some(e.index) == log.snapshot_index().checked_add(k as Index + 1),
                "S{id}: log entry {k} has index {}",
                e.index
            );
            ensure!(e.term <= r.current_term(), "S{id}: entry of a future term");
        }
        self.seen_term = r.current_term();
        self.seen_commit = r.commit_index();
        Ok(())
    }

    fn apply(&mut self, op: &FuzzOp) -> Check {
        let id = self.raft.id();
        match op {
            FuzzOp::Step {
                from,
                misaddressed,
                term,
                near,
                body,
            } => {
                let term = match near {
                    Some(d) => self.raft.current_term().saturating_add(*d as Term),
                    None => *term,
                };
                self.raft.step(Message {
                    from: *from,
                    to: misaddressed.unwrap_or(id),
                    term,
                    body: body.clone(),
                });
            }
            FuzzOp::Tick(n) => {
                for _ in 0..*n {
                    self.raft.tick();
                    self.drain()?;
                }
            }
            FuzzOp::Propose(data) => {
                let _ = self.raft.propose(Command {
                    client: 1,
                    seq: 1,
                    data: data.clone().into(),
                });
            }
            FuzzOp::ReadIndex(ctx) => {
                let _ = self.raft.read_index(*ctx);
            }
            FuzzOp::Transfer(to) => {
                let _ = self.raft.transfer_leader(*to);
            }
            FuzzOp::Compact(index, data) => {
                let _ = self.raft.compact(*index, data.clone());
            }
            FuzzOp::Conf(change) => {
                let _ = self.raft.propose_conf_change(change.clone());
            }
            FuzzOp::Campaign => {
                let _ = self.raft.campaign();
            }
            FuzzOp::Restart => {
                self.drain()?;
                let cfg = self.settings.config(id);
                self.raft =
                    Raft::new(cfg, &self.storage, SplitMix64::new(7)).map_err(|e| e.to_string())?;
                ensure!(
                    self.raft.current_term() == self.seen_term,
                    "S{id}: restarted in term {}, was {}",
                    self.raft.current_term(),
                    self.seen_term
                );
                self.seen_commit = self.raft.commit_index();
                self.applied = self.raft.last_applied();
            }
        }
        self.drain()
    }
}

proptest! {
    #![proptest_config(pt_config(1024))]

    /// Arbitrary, nonsensical messages and API calls to a server in any role
    /// never panic it and never break its local invariants.
    #[test]
    fn arbitrary_inputs_never_panic(
        start in fuzz_start_strategy(),
        ops in prop::collection::vec(arb_fuzz_op(), 1..steps(60)),
    ) {
        let mut f = Fuzzed::new(&start).map_err(TestCaseError::fail)?;
        for (k, op) in ops.iter().enumerate() {
            f.apply(op).map_err(|e| TestCaseError::fail(format!("op {k} {op:?}: {e}")))?;
        }
    }
}

// ---------------------------------------------------------------------------
// Regressions found by the properties above
// ---------------------------------------------------------------------------

/// Found by `arbitrary_inputs_never_panic`: a snapshot at index u64::MAX (or
/// a term of u64::MAX, or entries after prev_log_index u64::MAX) was trusted,
/// and the next election or append overflowed ("attempt to add with overflow").
#[test]
fn regression_out_of_range_numbers_are_ignored() {
    let storage = Storage::bootstrap([1, 2, 3]);
    let mut cfg = Settings::basic(3).config(3);
    cfg.election_timeout_min = 3;
    cfg.election_timeout_max = 4;
    cfg.heartbeat_interval = 1;
    let snapshot = Snapshot {
        meta: SnapshotMeta {
            index: u64::MAX,
            term: 0,
            config: Configuration::new([3]),
        },
        data: Default::default(),
    };
    let entry = |index, term| Entry {
        index,
        term,
        data: EntryData::Noop,
    };
    let bodies = [
        Body::InstallSnapshot { snapshot },
        Body::AppendEntries {
            prev_log_index: u64::MAX,
            prev_log_term: 0,
            entries: vec![entry(0, 1)],
            leader_commit: 0,
            round: 0,
        },
        Body::RequestVoteResponse {
            pre: false,
            granted: false,
        },
    ];
    for (k, body) in bodies.into_iter().enumerate() {
        let mut r = Raft::new(cfg.clone(), &storage, SplitMix64::new(1)).unwrap();
        let term = if k == 2 { u64::MAX } else { 1 };
        r.step(Message {
            from: 1,
            to: 3,
            term,
            body,
        });
        let _ = r.take_output();
        for _ in 0..10 {
            r.tick();
        }
        let _ = r.campaign();
        let _ = r.propose(Command {
            client: 1,
            seq: 1,
            data: Default::default(),
        });
        assert!(r.current_term() < Message::MAX_NUMBER);
        assert!(r.log().last_index() < Message::MAX_NUMBER);
    }
}

/// Found by `safety_under_random_schedules`: the ack of a server that is only
/// in C_old commits C_old,new; the leader appends C_new at once and drops that
/// server's progress, then looked it up again (panicked: "no entry found for key").
#[test]
fn regression_joint_commit_by_outgoing_voter_ack() {
    let mut s = Settings::basic(5);
    s.membership = true;
    let mut c = Cluster::new(s).unwrap();
    c.elect(1, &[1, 2, 3, 4, 5]).unwrap();
    c.deliver_while(|_, _| true).unwrap();
    // C_old = (1 2 3 4 5), C_new = (1 2 3).
    c.apply(&Action::Conf(0, ConfOp::EnterJoint(0b00111, 0)))
        .unwrap();
    assert!(c.nodes[0].raft.as_ref().unwrap().configuration().is_joint());
    // S2 makes a majority of C_new; S4's ack then makes one of C_old.
    c.deliver_while(|_, m| [1, 2].contains(&m.from) && [1, 2].contains(&m.to))
        .unwrap();
    c.deliver_while(|_, m| [1, 4].contains(&m.from) && [1, 4].contains(&m.to))
        .unwrap();
    let r = c.nodes[0].raft.as_ref().unwrap();
    assert!(
        !r.configuration().is_joint(),
        "C_new proposed: {}",
        r.configuration()
    );
    c.deliver_while(|_, _| true).unwrap();
}

/// Found by `liveness_after_faults_heal`: in a cluster of (1 2), leader S2
/// appends C_new = (1) and loses leadership before committing it. S1 (still
/// on (1 2)) needs S2's vote, which S2 denies (its log is longer), and S2 did
/// not campaign because its latest configuration excludes it: stuck forever.
#[test]
fn regression_uncommitted_self_removal_does_not_deadlock() {
    let mut s = Settings::basic(2);
    s.membership = true;
    let mut c = Cluster::new(s).unwrap();
    c.elect(2, &[1, 2]).unwrap();
    c.deliver_while(|_, _| true).unwrap();
    c.apply(&Action::Conf(0, ConfOp::Remove(1))).unwrap();
    let r = c.nodes[1].raft.as_ref().unwrap();
    assert_eq!(r.configuration(), &Configuration::new([1]));
    // S2 crashes before anyone hears of C_new.
    c.net.clear();
    c.crash(1);
    heal_and_commit(&mut c, 400).unwrap();
}

// ---------------------------------------------------------------------------
// 5. The checkers catch the deliberate bugs
// ---------------------------------------------------------------------------

/// §5.4.1: a server without a committed entry is elected when voters skip
/// the log check; the checker reports leader completeness. Returns the
/// checker's verdict for the whole schedule.
fn vote_without_log_check_schedule(bug: bool) -> Check {
    let mut s = Settings::basic(3);
    s.bugs.vote_without_log_check = bug;
    let mut c = Cluster::new(s)?;
    // S1 leads term 1 and commits its no-op everywhere.
    c.elect(1, &[1, 2, 3])?;
    c.deliver_while(|_, _| true)?;
    // S3 is cut off; S1 commits entry 2 with S2.
    c.apply(&Action::Propose(0))?;
    c.deliver_while(|_, m| m.to != 3 && m.from != 3)?;
    c.net.clear();
    ensure!(
        c.nodes[0].raft.as_ref().unwrap().commit_index() == 2,
        "setup: entry 2 not committed"
    );
    // S1 goes away; S2 restarts (forgetting its leader) and S3 campaigns.
    c.crash(0);
    c.bounce(2)?;
    c.campaign_within(3, &[2, 3], 3).map(|_| ())
}

/// Figure 8 (§5.4.2) with the no-op leaders of §8: S1 commits an entry of
/// an earlier term by counting replicas, then S5 overwrites it.
fn commit_previous_term_schedule(bug: bool) -> Check {
    let mut s = Settings::basic(5);
    s.max_entries = 1;
    s.bugs.commit_previous_term = bug;
    let mut c = Cluster::new(s)?;
    let all = [1, 2, 3, 4, 5];
    // (a) S1 leads term 1 and commits its no-op everywhere; entry 2 (term 1)
    // reaches S2 only.
    c.elect(1, &all)?;
    c.deliver_while(|_, _| true)?;
    c.apply(&Action::Propose(0))?;
    c.deliver_while(|_, m| [1, 2].contains(&m.from) && [1, 2].contains(&m.to))?;
    c.net.clear();
    // (b) S1 crashes; S5 leads term 2 with S3 and S4, its no-op stays with it.
    c.crash(0);
    for id in [2, 3, 4] {
        c.bounce(id)?;
    }
    c.elect(5, &[3, 4, 5])?;
    c.net.clear();
    c.crash(4);
    // (c) S1 restarts and leads term 3 (with S2, S3, S4); it brings S3 up to
    // entry 2 (term 1) but not its own no-op at 3.
    c.restart(0)?;
    for id in [2, 3, 4] {
        c.bounce(id)?;
    }
    c.elect(1, &[1, 2, 3, 4])?;
    // S3 may see the rejected probe for 3, but not entry 3 once it holds 2.
    let gives_s3_entry_3 = |c: &Cluster, m: &Message| {
        m.to == 3
            && c.nodes[2].raft.as_ref().unwrap().log().last_index() >= 2
            && matches!(&m.body, Body::AppendEntries { entries, .. }
                if entries.iter().any(|e| e.index >= 3))
    };
    let in_123 = |m: &Message| [1, 2, 3].contains(&m.from) && [1, 2, 3].contains(&m.to);
    c.deliver_while(|c, m| in_123(m) && !gives_s3_entry_3(c, m))?;
    c.net.clear();
    // (d) S1 crashes; S5 (last term 2) wins term 4 with S3 and S4 (last term 1).
    c.crash(0);
    c.restart(4)?;
    for id in [3, 4] {
        c.bounce(id)?;
    }
    c.elect(5, &[3, 4, 5])?;
    c.deliver_while(|_, m| [3, 4, 5].contains(&m.from) && [3, 4, 5].contains(&m.to))
}

#[test]
fn checker_catches_vote_without_log_check() {
    vote_without_log_check_schedule(false).expect("the correct protocol passes");
    let err = vote_without_log_check_schedule(true).expect_err("the bug must be caught");
    assert!(err.contains("leader completeness"), "{err}");
}

#[test]
fn checker_catches_commit_previous_term() {
    commit_previous_term_schedule(false).expect("the correct protocol passes");
    let err = commit_previous_term_schedule(true).expect_err("the bug must be caught");
    assert!(err.contains("leader completeness"), "{err}");
}

/// A seeded random search (deterministic, cheap) finds a safety violation
/// when votes skip the log check: the checker fails on real schedules too.
#[test]
fn random_search_finds_vote_without_log_check() {
    let config = PtConfig {
        cases: 400,
        failure_persistence: None,
        max_shrink_iters: 0,
        ..PtConfig::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = scenario_strategy(300).prop_map(|(mut s, a)| {
        s.bugs.vote_without_log_check = true;
        (s, a)
    });
    let result = runner.run(&strategy, |(s, actions)| {
        run_schedule(s, &actions).map(|_| ())
    });
    let err = result.expect_err("the search should find a violation");
    let msg = err.to_string();
    assert!(
        [
            "election safety",
            "leader completeness",
            "log matching",
            "state machine safety",
            "committed"
        ]
        .iter()
        .any(|p| msg.contains(p)),
        "{msg}"
    );
}

//! Behaviour scenarios as plain-text scripts, in the spirit of etcd-io/raft's
//! datadriven `testdata/*.txt`. Each file in `crates/raft-core/testdata/` is a
//! list of blocks:
//!
//! ```text
//! # Comments start with '#', between blocks.
//! campaign 1
//! ----
//! 1: became candidate at term 1 (campaign)
//! ```
//!
//! A command line, a `----` line, the expected output (never empty, never
//! containing a blank line), then a blank line. The harness runs the commands
//! against an in-memory cluster and compares what they print with the file.
//!
//! To accept new behaviour, rewrite the golden files and review the diff:
//!
//! ```text
//! REWRITE=1 cargo test -p raft-core --test scripts
//! ```
//!
//! Everything is deterministic: each server gets `SplitMix64::new(seed)` with a
//! fixed seed, messages are delivered in the order they were sent, and servers
//! are processed in id order.
//!
//! Commands (ids are server ids; `a->b` accepts `*` on either side):
//! - `add-nodes N [voters=(..)] [learners=(..)] [joining=true] [pre-vote=true]
//!   [check-quorum=true] [backtrack=one-by-one|conflict-term] [read-only=safe|lease]
//!   [max-entries=N] [max-bytes=N] [max-inflight=N] [election=(min,max)]
//!   [heartbeat=N] [bugs=(commit-previous-term,vote-without-log-check,
//!   no-randomized-timeout,apply-before-commit)] [seed=N]`
//! - `log ID terms=(1,1,3)`, `term ID T [vote=V]`: set persisted state (restarts the server)
//! - `campaign ID`, `tick ID [N]`, `tick-election ID`, `tick-heartbeat ID`, `advance N`,
//!   `expire-lease ID..` (tick until the leader lease of §4.2.3 is over)
//!   (`advance` ticks every live server once and stabilizes, N times)
//! - `process-ready ID..`: persist, send, apply what the server handed back
//! - `stabilize`: process every server's output and deliver every message until quiet
//! - `deliver-msgs a->b [n=K]`, `drop a->b [n=K]` (with `n`, only the K-th queued
//!   message on that link, counting from 1), `partition (1,2) (3,4,5)`, `heal`
//! - `propose ID DATA`, `propose-conf-change ID add-voter N|add-learner N|remove N|
//!   enter-joint voters=(..) [learners=(..)]|leave-joint`, `transfer-leader ID TO`,
//!   `read-index ID CTX`, `compact ID INDEX`
//! - `crash ID`, `restart ID` (from its persisted Storage)
//! - `status ID`, `raft-log ID`, `logs`, `raft-state`, `rejections` (rejected
//!   AppendEntries round trips per leader->follower since the last `rejections`)

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use raft_core::{
    Backtrack, Body, Bugs, Command, ConfChange, Config, DenyReason, Entry, EntryData, Event,
    HardState, IgnoreReason, Message, NextReason, NodeId, Output, Raft, ReadOnly, RoleReason,
    SplitMix64, Storage,
};

// ----- The script file -------------------------------------------------------

/// One command with its expected output, and the comment lines before it.
struct Block {
    comments: Vec<String>,
    command: String,
    line: usize,
    expected: String,
}

fn parse_file(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut comments = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((n, line)) = lines.next() {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with('#') {
            comments.push(line.to_string());
            continue;
        }
        let command = line.trim().to_string();
        match lines.next() {
            Some((_, sep)) if sep.trim() == "----" => {}
            _ => panic!("line {}: expected '----' after the command", n + 1),
        }
        let mut expected = String::new();
        while let Some((_, l)) = lines.peek() {
            if l.trim().is_empty() {
                break;
            }
            expected.push_str(l);
            expected.push('\n');
            lines.next();
        }
        blocks.push(Block {
            comments: std::mem::take(&mut comments),
            command,
            line: n + 1,
            expected,
        });
    }
    blocks
}

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

/// Runs one script file, compares (or with `REWRITE=1`, rewrites) it, and
/// returns the cluster for further assertions.
pub fn run_file(name: &str) -> Env {
    let path = testdata(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let blocks = parse_file(&text);
    let rewrite = std::env::var_os("REWRITE").is_some();
    let mut env = Env::default();
    let mut rewritten = String::new();
    let mut failures = Vec::new();
    for b in &blocks {
        let actual = env.run(&b.command);
        for c in &b.comments {
            rewritten.push_str(c);
            rewritten.push('\n');
        }
        let _ = writeln!(rewritten, "{}\n----\n{}", b.command, actual);
        if actual != b.expected {
            failures.push(format!(
                "{name}:{}: {}\n--- expected\n{}--- actual\n{}",
                b.line, b.command, b.expected, actual
            ));
        }
    }
    if rewrite {
        // Write then rename: other tests may be reading the same file concurrently.
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
        std::fs::write(&tmp, rewritten.trim_end().to_string() + "\n").unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    } else if !failures.is_empty() {
        panic!(
            "{} block(s) differ (REWRITE=1 to accept):\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    env
}

// ----- Arguments --------------------------------------------------------------

fn ids(s: &str) -> Vec<NodeId> {
    s.trim_matches(|c| c == '(' || c == ')')
        .split(',')
        .filter(|x| !x.trim().is_empty())
        .map(|x| x.trim().parse().unwrap_or_else(|_| panic!("bad id {x:?}")))
        .collect()
}

fn num(s: &str) -> u64 {
    s.parse().unwrap_or_else(|_| panic!("bad number {s:?}"))
}

/// `a->b` with `*` as a wildcard.
fn link(s: &str) -> (Option<NodeId>, Option<NodeId>) {
    let (a, b) = s
        .split_once("->")
        .unwrap_or_else(|| panic!("expected a->b, got {s:?}"));
    let side = |x: &str| (x != "*").then(|| num(x));
    (side(a), side(b))
}

fn matches_link(m: &Message, (a, b): (Option<NodeId>, Option<NodeId>)) -> bool {
    a.is_none_or(|a| a == m.from) && b.is_none_or(|b| b == m.to)
}

struct Args<'a> {
    pos: Vec<&'a str>,
    kv: BTreeMap<&'a str, &'a str>,
}

fn args<'a>(rest: &[&'a str]) -> Args<'a> {
    let mut a = Args {
        pos: Vec::new(),
        kv: BTreeMap::new(),
    };
    for t in rest {
        match t.split_once('=') {
            Some((k, v)) => {
                a.kv.insert(k, v);
            }
            None => a.pos.push(t),
        }
    }
    a
}

// ----- The cluster -------------------------------------------------------------

struct Node {
    raft: Raft<SplitMix64>,
    /// Outputs handed back but not yet processed (persisted, sent, applied).
    pending: Vec<Output>,
}

#[derive(Default)]
pub struct Env {
    cfgs: BTreeMap<NodeId, Config>,
    seeds: BTreeMap<NodeId, u64>,
    pub storage: BTreeMap<NodeId, Storage>,
    nodes: BTreeMap<NodeId, Node>,
    /// Messages sent and not yet delivered, oldest first.
    queue: Vec<Message>,
    partition: Vec<BTreeSet<NodeId>>,
    restarts: u64,
    /// Rejected AppendEntries round trips, per (leader, follower).
    pub rejections: BTreeMap<(NodeId, NodeId), u64>,
    pub total_rejections: BTreeMap<(NodeId, NodeId), u64>,
    /// Entries handed to each state machine, in order.
    pub applied: BTreeMap<NodeId, Vec<Entry>>,
    seq: u64,
}

impl Env {
    pub fn raft(&self, id: NodeId) -> &Raft<SplitMix64> {
        &self.nodes[&id].raft
    }

    fn start(&mut self, id: NodeId) -> Vec<String> {
        let cfg = self.cfgs[&id].clone();
        let seed = self.seeds[&id] + 1000 * self.restarts;
        let raft = Raft::new(cfg, &self.storage[&id], SplitMix64::new(seed))
            .unwrap_or_else(|e| panic!("S{id}: {e}"));
        let mut node = Node {
            raft,
            pending: Vec::new(),
        };
        let out = node.raft.take_output();
        let lines = out
            .events
            .iter()
            .map(fmt_event)
            .filter(|l| !l.is_empty())
            .collect();
        node.pending.push(out);
        self.nodes.insert(id, node);
        lines
    }

    /// Runs one command and returns what it prints.
    pub fn run(&mut self, line: &str) -> String {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let (cmd, rest) = tokens.split_first().expect("empty command");
        let a = args(rest);
        let mut out = Vec::new();
        match *cmd {
            "add-nodes" => self.add_nodes(&a, &mut out),
            "log" => {
                let id = num(a.pos[0]);
                let terms = ids(a.kv["terms"]);
                let st = self.storage.get_mut(&id).expect("no such server");
                st.entries = terms
                    .iter()
                    .enumerate()
                    .map(|(i, &term)| Entry {
                        index: st.snapshot.meta.index + 1 + i as u64,
                        term,
                        data: EntryData::Noop,
                    })
                    .collect();
                let last = terms.last().copied().unwrap_or(0);
                if st.hard_state.current_term < last {
                    st.hard_state = HardState {
                        current_term: last,
                        voted_for: None,
                    };
                }
                self.start(id);
                out.push(self.log_line(id));
            }
            "term" => {
                let id = num(a.pos[0]);
                let st = self.storage.get_mut(&id).expect("no such server");
                st.hard_state = HardState {
                    current_term: num(a.pos[1]),
                    voted_for: a.kv.get("vote").map(|v| num(v)),
                };
                self.start(id);
                out.push(self.state_line(id));
            }
            "campaign" => {
                let id = num(a.pos[0]);
                let r = self.node(id).raft.campaign();
                if let Err(e) = r {
                    out.push(format!("{id}: error: {e}"));
                }
                self.drain(id, &mut out, "");
            }
            "tick" => {
                let id = num(a.pos[0]);
                let n = a.pos.get(1).map_or(1, |n| num(n));
                for _ in 0..n {
                    self.node(id).raft.tick();
                    self.drain(id, &mut out, "");
                }
            }
            "tick-election" => {
                let id = num(a.pos[0]);
                let r = &self.node(id).raft;
                let n = if r.role() == raft_core::Role::Leader {
                    r.config().election_timeout_min
                } else {
                    let (elapsed, timeout) = r.election_timer();
                    timeout.saturating_sub(elapsed).max(1)
                };
                for _ in 0..n {
                    self.node(id).raft.tick();
                    self.drain(id, &mut out, "");
                }
            }
            "expire-lease" => {
                // Lets the minimum election timeout pass since the server last heard from a
                // leader, so that it no longer ignores vote requests (§4.2.3).
                for id in a.pos.iter().map(|s| num(s)) {
                    let r = &self.node(id).raft;
                    let (elapsed, _) = r.election_timer();
                    let n = r.config().election_timeout_min.saturating_sub(elapsed);
                    for _ in 0..n {
                        self.node(id).raft.tick();
                        self.drain(id, &mut out, "");
                    }
                }
            }
            "tick-heartbeat" => {
                let id = num(a.pos[0]);
                let n = self.node(id).raft.config().heartbeat_interval;
                for _ in 0..n {
                    self.node(id).raft.tick();
                    self.drain(id, &mut out, "");
                }
            }
            "advance" => {
                let n = num(a.pos[0]);
                for t in 1..=n {
                    let mut lines = Vec::new();
                    let live: Vec<NodeId> = self.nodes.keys().copied().collect();
                    for id in live {
                        self.node(id).raft.tick();
                        self.drain(id, &mut lines, "");
                    }
                    self.stabilize(&mut lines);
                    if !lines.is_empty() {
                        out.push(format!("[tick {t}]"));
                        out.extend(lines);
                    }
                }
            }
            "process-ready" => {
                for id in a.pos.iter().map(|s| num(s)) {
                    self.process_ready(id, &mut out, true);
                }
            }
            "stabilize" => self.stabilize(&mut out),
            "deliver-msgs" => {
                for m in self.take_queued(a.pos[0], a.kv.get("n").map(|n| num(n))) {
                    self.deliver(m, &mut out);
                }
            }
            "drop" => {
                for m in self.take_queued(a.pos[0], a.kv.get("n").map(|n| num(n))) {
                    out.push(format!("dropped: {m}"));
                }
            }
            "partition" => {
                self.partition = a.pos.iter().map(|g| ids(g).into_iter().collect()).collect();
            }
            "heal" => self.partition.clear(),
            "propose" => {
                let id = num(a.pos[0]);
                self.seq += 1;
                let command = Command {
                    client: 0,
                    seq: self.seq,
                    data: a.pos.get(1).unwrap_or(&"").as_bytes().to_vec().into(),
                };
                match self.node(id).raft.propose(command) {
                    Ok(i) => out.push(format!("{id}: proposed at index {i}")),
                    Err(e) => out.push(format!("{id}: error: {e}")),
                }
                self.drain(id, &mut out, "");
            }
            "propose-conf-change" => {
                let id = num(a.pos[0]);
                let change = match a.pos[1] {
                    "add-voter" => ConfChange::AddVoter(num(a.pos[2])),
                    "add-learner" => ConfChange::AddLearner(num(a.pos[2])),
                    "remove" => ConfChange::RemoveServer(num(a.pos[2])),
                    "enter-joint" => ConfChange::EnterJoint {
                        voters: ids(a.kv["voters"]),
                        learners: a.kv.get("learners").map_or(Vec::new(), |l| ids(l)),
                    },
                    "leave-joint" => ConfChange::LeaveJoint,
                    other => panic!("unknown change {other}"),
                };
                match self.node(id).raft.propose_conf_change(change) {
                    Ok(i) => out.push(format!("{id}: proposed at index {i}")),
                    Err(e) => out.push(format!("{id}: error: {e}")),
                }
                self.drain(id, &mut out, "");
            }
            "transfer-leader" => {
                let (id, to) = (num(a.pos[0]), num(a.pos[1]));
                if let Err(e) = self.node(id).raft.transfer_leader(to) {
                    out.push(format!("{id}: error: {e}"));
                }
                self.drain(id, &mut out, "");
            }
            "read-index" => {
                let (id, ctx) = (num(a.pos[0]), num(a.pos[1]));
                if let Err(e) = self.node(id).raft.read_index(ctx) {
                    out.push(format!("{id}: error: {e}"));
                }
                self.drain(id, &mut out, "");
            }
            "compact" => {
                let (id, index) = (num(a.pos[0]), num(a.pos[1]));
                let data = format!("state@{index}").into_bytes();
                if !self.node(id).raft.compact(index, data) {
                    out.push(format!("{id}: cannot compact to {index}"));
                }
                self.drain(id, &mut out, "");
            }
            "crash" => {
                let id = num(a.pos[0]);
                let node = self.nodes.remove(&id).expect("not running");
                let lost: usize = node.pending.iter().filter(|o| !o.is_empty()).count();
                out.push(format!("{id}: crashed ({lost} unprocessed output(s) lost)"));
            }
            "restart" => {
                let id = num(a.pos[0]);
                assert!(!self.nodes.contains_key(&id), "S{id} is running");
                self.restarts += 1;
                // The state machine is volatile: it restarts from the snapshot and replays the log.
                self.applied.remove(&id);
                let lines = self.start(id);
                out.extend(lines.into_iter().map(|l| format!("{id}: {l}")));
            }
            "status" => {
                for id in a.pos.iter().map(|s| num(s)) {
                    self.status(id, &mut out);
                }
            }
            "raft-log" => {
                let id = num(a.pos[0]);
                self.raft_log(id, &mut out);
            }
            "logs" => {
                let all: Vec<NodeId> = self.storage.keys().copied().collect();
                for id in all {
                    out.push(self.log_line(id));
                }
            }
            "raft-state" => {
                let all: Vec<NodeId> = self.storage.keys().copied().collect();
                for id in all {
                    out.push(self.state_line(id));
                }
            }
            "rejections" => {
                for ((l, f), n) in std::mem::take(&mut self.rejections) {
                    out.push(format!("{l}->{f}: {n} rejected"));
                }
            }
            "applied" => {
                let id = num(a.pos[0]);
                let list: Vec<String> = self
                    .applied
                    .get(&id)
                    .map(|v| v.iter().map(|e| e.to_string()).collect())
                    .unwrap_or_default();
                out.push(format!("{id}: [{}]", list.join(", ")));
            }
            other => panic!("unknown command {other:?}"),
        }
        if out.is_empty() {
            "ok\n".to_string()
        } else {
            out.join("\n") + "\n"
        }
    }

    fn node(&mut self, id: NodeId) -> &mut Node {
        self.nodes
            .get_mut(&id)
            .unwrap_or_else(|| panic!("S{id} is not running"))
    }

    fn add_nodes(&mut self, a: &Args, out: &mut Vec<String>) {
        let n = num(a.pos[0]);
        let first = self.storage.keys().last().map_or(1, |l| l + 1);
        let new: Vec<NodeId> = (first..first + n).collect();
        let voters = a.kv.get("voters").map_or(new.clone(), |v| ids(v));
        let learners = a.kv.get("learners").map_or(Vec::new(), |v| ids(v));
        for &id in &new {
            let mut cfg = Config::new(id);
            for (&k, &v) in &a.kv {
                match k {
                    "voters" | "learners" | "joining" | "seed" => {}
                    "pre-vote" => cfg.pre_vote = v == "true",
                    "check-quorum" => cfg.check_quorum = v == "true",
                    "backtrack" => {
                        cfg.backtrack = match v {
                            "one-by-one" => Backtrack::OneByOne,
                            "conflict-term" => Backtrack::ConflictTerm,
                            _ => panic!("backtrack={v}?"),
                        }
                    }
                    "read-only" => {
                        cfg.read_only = match v {
                            "safe" => ReadOnly::Safe,
                            "lease" => ReadOnly::LeaseBased,
                            _ => panic!("read-only={v}?"),
                        }
                    }
                    "max-entries" => cfg.max_entries_per_append = num(v) as usize,
                    "max-bytes" => cfg.max_bytes_per_append = num(v),
                    "max-inflight" => cfg.max_inflight = num(v) as usize,
                    "heartbeat" => cfg.heartbeat_interval = num(v) as u32,
                    "election" => {
                        let r = ids(v);
                        cfg.election_timeout_min = r[0] as u32;
                        cfg.election_timeout_max = r[1] as u32;
                    }
                    "bugs" => {
                        let mut bugs = Bugs::default();
                        for b in v.trim_matches(|c| c == '(' || c == ')').split(',') {
                            match b {
                                "commit-previous-term" => bugs.commit_previous_term = true,
                                "vote-without-log-check" => bugs.vote_without_log_check = true,
                                "no-randomized-timeout" => bugs.no_randomized_timeout = true,
                                "apply-before-commit" => bugs.apply_before_commit = true,
                                _ => panic!("unknown bug {b}"),
                            }
                        }
                        cfg.bugs = bugs;
                    }
                    _ => panic!("unknown option {k}"),
                }
            }
            let storage = if a.kv.get("joining") == Some(&"true") {
                Storage::joining()
            } else {
                let mut s = Storage::bootstrap(voters.iter().copied());
                s.snapshot.meta.config.learners = learners.iter().copied().collect();
                s
            };
            let seed = a.kv.get("seed").map_or(id, |s| num(s) + id);
            self.cfgs.insert(id, cfg);
            self.seeds.insert(id, seed);
            self.storage.insert(id, storage);
            self.start(id);
            out.push(self.state_line(id));
        }
    }

    /// Takes what the server handed back, prints its events, keeps the rest pending.
    fn drain(&mut self, id: NodeId, out: &mut Vec<String>, indent: &str) {
        let node = self.node(id);
        let o = node.raft.take_output();
        for line in fmt_events(&o.events) {
            out.push(format!("{indent}{id}: {line}"));
        }
        node.pending.push(o);
    }

    /// Persists, sends and applies a server's pending outputs, in that order.
    fn process_ready(&mut self, id: NodeId, out: &mut Vec<String>, verbose: bool) {
        let Some(node) = self.nodes.get_mut(&id) else {
            return;
        };
        let pending = std::mem::take(&mut node.pending);
        for o in pending {
            self.storage.get_mut(&id).unwrap().persist(&o);
            for m in o.all_messages() {
                if verbose {
                    out.push(format!("{id}: send {m}"));
                }
                self.queue.push(m.clone());
            }
            if let Some(s) = &o.restore {
                if verbose {
                    out.push(format!(
                        "{id}: restore snapshot {}/{}",
                        s.meta.term, s.meta.index
                    ));
                }
                let applied = self.applied.entry(id).or_default();
                applied.retain(|e| e.index <= s.meta.index);
            }
            for e in &o.committed {
                if verbose {
                    out.push(format!("{id}: apply {e}"));
                }
            }
            self.applied
                .entry(id)
                .or_default()
                .extend(o.committed.iter().cloned());
            for r in &o.read_states {
                if verbose {
                    out.push(format!("{id}: read {} at index {}", r.context, r.index));
                }
            }
        }
    }

    fn connected(&self, a: NodeId, b: NodeId) -> bool {
        let group = |x: NodeId| self.partition.iter().position(|g| g.contains(&x));
        self.partition.is_empty() || group(a) == group(b) && group(a).is_some()
    }

    /// Removes and returns the queued messages on link `spec` (e.g. `1->2`).
    /// The queued messages on link `spec` (only the `nth`, counting from 1, if given).
    fn take_queued(&mut self, spec: &str, nth: Option<u64>) -> Vec<Message> {
        let l = link(spec);
        let mut k = 0;
        let (now, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.queue).into_iter().partition(|m| {
                if !matches_link(m, l) {
                    return false;
                }
                k += 1;
                nth.is_none_or(|n| n == k)
            });
        self.queue = later;
        now
    }

    fn deliver(&mut self, m: Message, out: &mut Vec<String>) {
        if !self.nodes.contains_key(&m.to) {
            out.push(format!("{m} (dropped: {} is down)", m.to));
            return;
        }
        if !self.connected(m.from, m.to) {
            out.push(format!("{m} (dropped: partitioned)"));
            return;
        }
        if let Body::AppendEntriesResponse { success: false, .. } = m.body {
            *self.rejections.entry((m.to, m.from)).or_default() += 1;
            *self.total_rejections.entry((m.to, m.from)).or_default() += 1;
        }
        out.push(m.to_string());
        let to = m.to;
        self.node(to).raft.step(m);
        let node = self.node(to);
        let o = node.raft.take_output();
        for line in fmt_events(&o.events) {
            out.push(format!("  {line}"));
        }
        node.pending.push(o);
    }

    fn stabilize(&mut self, out: &mut Vec<String>) {
        for _ in 0..10_000 {
            let live: Vec<NodeId> = self.nodes.keys().copied().collect();
            for id in live {
                self.process_ready(id, out, false);
            }
            if self.queue.is_empty() {
                return;
            }
            for m in std::mem::take(&mut self.queue) {
                self.deliver(m, out);
            }
        }
        let tail: Vec<&String> = out.iter().rev().take(30).collect();
        panic!("stabilize did not converge: {tail:#?}");
    }

    fn state_line(&self, id: NodeId) -> String {
        let Some(n) = self.nodes.get(&id) else {
            let hs = self.storage[&id].hard_state;
            return format!(
                "{id}: down (term {}, last {})",
                hs.current_term,
                self.storage[&id].last_index()
            );
        };
        let r = &n.raft;
        let mut s = format!("{id}: {} term {}", r.role(), r.current_term());
        if let Some(v) = r.voted_for() {
            let _ = write!(s, " vote {v}");
        }
        if let Some(l) = r.leader_id() {
            let _ = write!(s, " leader {l}");
        }
        let _ = write!(
            s,
            " commit {} last {}/{}",
            r.commit_index(),
            r.log().last_term(),
            r.log().last_index()
        );
        s
    }

    fn log_line(&self, id: NodeId) -> String {
        let (snap, entries, commit, down) = match self.nodes.get(&id) {
            Some(n) => {
                let log = n.raft.log();
                (
                    (log.snapshot_index(), log.snapshot().meta.term),
                    log.entries().to_vec(),
                    Some(log.commit_index()),
                    false,
                )
            }
            None => {
                let st = &self.storage[&id];
                (
                    (st.snapshot.meta.index, st.snapshot.meta.term),
                    st.entries.clone(),
                    None,
                    true,
                )
            }
        };
        let mut parts = Vec::new();
        if snap.0 > 0 {
            parts.push(format!("[snapshot {}/{}]", snap.1, snap.0));
        }
        parts.extend(entries.iter().map(|e| e.term.to_string()));
        let mut s = format!("{id}: {}", parts.join(" "));
        match commit {
            Some(c) => {
                let _ = write!(s, " (commit {c})");
            }
            None if down => s.push_str(" (down)"),
            None => {}
        }
        s.trim_end().replace(":  (", ": (")
    }

    fn raft_log(&self, id: NodeId, out: &mut Vec<String>) {
        let log = self.raft(id).log();
        if log.snapshot_index() > 0 {
            let m = &log.snapshot().meta;
            out.push(format!(
                "snapshot {}/{} config {}",
                m.term, m.index, m.config
            ));
        }
        for e in log.entries() {
            out.push(e.to_string());
        }
        if out.is_empty() {
            out.push("(empty)".to_string());
        }
    }

    fn status(&self, id: NodeId, out: &mut Vec<String>) {
        let r = self.raft(id);
        let (elapsed, timeout) = r.election_timer();
        out.push(format!(
            "{} applied {} config {} timer {elapsed}/{timeout}",
            self.state_line(id),
            r.last_applied(),
            r.configuration()
        ));
        for (f, p) in r.progress() {
            if *f == id {
                continue;
            }
            let mut s = format!(
                "  {f}: match {} next {} {}",
                p.match_index,
                p.next_index,
                p.state.as_str()
            );
            if !p.inflight.is_empty() {
                let v: Vec<String> = p.inflight.iter().map(|i| i.to_string()).collect();
                let _ = write!(s, " inflight [{}]", v.join(" "));
            }
            if p.probe_sent {
                s.push_str(" probe-sent");
            }
            out.push(s);
        }
        if let Some(t) = r.lead_transferee() {
            out.push(format!("  transferring to {t}"));
        }
    }
}

// ----- Events as text ---------------------------------------------------------

fn fmt_events(events: &[Event]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut i = 0;
    while i < events.len() {
        // Runs of appended entries collapse into one line.
        if let Event::EntryAppended { index, .. } = events[i] {
            let mut last = index;
            while let Some(Event::EntryAppended { index, .. }) = events.get(i + 1) {
                last = *index;
                i += 1;
            }
            if last == index {
                lines.push(format!("appended {index}"));
            } else {
                lines.push(format!("appended {index}..{last}"));
            }
        } else {
            let s = fmt_event(&events[i]);
            if !s.is_empty() {
                lines.push(s);
            }
        }
        i += 1;
    }
    lines
}

fn pre(pre: bool) -> &'static str {
    if pre {
        "pre-vote"
    } else {
        "vote"
    }
}

/// One event as a line; empty for the ones the messages already show.
fn fmt_event(e: &Event) -> String {
    match e {
        Event::RoleChanged { role, term, reason } => {
            let why = match reason {
                RoleReason::Start => "start".to_string(),
                RoleReason::ElectionTimeout => "election timeout".to_string(),
                RoleReason::Forced => "campaign".to_string(),
                RoleReason::PreVoteWon => "won pre-vote".to_string(),
                RoleReason::WonElection => "won election".to_string(),
                RoleReason::LostElection => "lost election".to_string(),
                RoleReason::HigherTerm { from } => format!("higher term from {from}"),
                RoleReason::LeaderDiscovered { leader } => format!("heard from leader {leader}"),
                RoleReason::CheckQuorumFailed => "check quorum failed".to_string(),
                RoleReason::RemovedFromConfig => "removed from configuration".to_string(),
                RoleReason::TimeoutNow { from } => format!("TimeoutNow from {from}"),
            };
            format!("became {role} at term {term} ({why})")
        }
        Event::VoteGranted {
            candidate,
            term,
            pre: p,
        } => format!("granted {} to {candidate} at term {term}", pre(*p)),
        Event::VoteDenied {
            candidate,
            term,
            pre: p,
            reason,
        } => {
            let why = match reason {
                DenyReason::StaleTerm { ours } => format!("stale term (ours {ours})"),
                DenyReason::AlreadyVoted { voted_for } => format!("already voted for {voted_for}"),
                DenyReason::LogNotUpToDate {
                    candidate_last_index,
                    candidate_last_term,
                    our_last_index,
                    our_last_term,
                } => format!(
                    "log not up to date (candidate {candidate_last_term}/{candidate_last_index}, ours {our_last_term}/{our_last_index})"
                ),
                DenyReason::LeaderLease { leader } => format!("leader {leader} is in lease"),
                DenyReason::TermHasLeader { leader } => {
                    format!("term {term} already has leader {leader}")
                }
                DenyReason::NotInConfiguration => {
                    format!("{candidate} is not in the configuration")
                }
            };
            format!("denied {} to {candidate} at term {term}: {why}", pre(*p))
        }
        Event::VoteReceived { .. } => String::new(),
        // The role, vote and message lines already say why; `status` shows the timer.
        Event::TimerReset { .. } => String::new(),
        Event::AppendAccepted {
            leader,
            prev_log_index,
            prev_log_term,
            entries,
            match_index,
        } => {
            if *entries == 0 {
                String::new()
            } else {
                format!(
                    "accepted {entries} entries from {leader} after {prev_log_term}/{prev_log_index}, match {match_index}"
                )
            }
        }
        Event::AppendRejected {
            leader,
            prev_log_index,
            prev_log_term,
            local_term,
            last_index,
        } => {
            let ours = local_term.map_or("nothing".to_string(), |t| format!("term {t}"));
            format!(
                "rejected append from {leader}: prev {prev_log_term}/{prev_log_index}, we have {ours} there (last index {last_index})"
            )
        }
        Event::EntryAppended { index, .. } => format!("appended {index}"),
        Event::Truncated { from } => format!("truncated log from {from}"),
        Event::NextIndexMoved {
            follower,
            from,
            to,
            reason,
        } => {
            let why = match reason {
                NextReason::Sent | NextReason::Matched => return String::new(),
                NextReason::Decrement => "decrement",
                NextReason::Hint => "hint",
                NextReason::Probe => "probe",
                NextReason::Snapshot => "snapshot",
            };
            format!("next[{follower}] {from} -> {to} ({why})")
        }
        Event::MatchIndexAdvanced { .. } => String::new(),
        Event::ProgressStateChanged { follower, state } => {
            format!("progress[{follower}] -> {}", state.as_str())
        }
        Event::CommitAdvanced { from, to } => format!("commit {from} -> {to}"),
        Event::SnapshotSent { to, index, term } => format!("sent snapshot {term}/{index} to {to}"),
        Event::SnapshotInstalled { index, term } => format!("installed snapshot {term}/{index}"),
        Event::SnapshotTaken { index, term } => format!("compacted log up to {term}/{index}"),
        Event::ConfigChanged { index, config } => format!("config {config} (index {index})"),
        Event::TransferStarted { to } => format!("transfer to {to} started"),
        Event::TimeoutNowSent { .. } => String::new(),
        Event::TransferAborted { to } => format!("transfer to {to} aborted"),
        Event::ReadReady { context, index } => format!("read {context} ready at index {index}"),
        Event::ReadDropped { context } => format!("read {context} dropped"),
        Event::MessageIgnored { from, kind, reason } => {
            let why = match reason {
                IgnoreReason::StaleTerm => "stale term",
                IgnoreReason::Unexpected => "unexpected",
                IgnoreReason::Malformed => "malformed",
            };
            format!("ignored {kind} from {from}: {why}")
        }
    }
}

// ----- The scripts ----------------------------------------------------------

macro_rules! scripts {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                run_file($file);
            }
        )*

        #[test]
        fn every_testdata_file_has_a_test() {
            let listed: BTreeSet<&str> = [$($file),*].into_iter().collect();
            for entry in std::fs::read_dir(testdata("")).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                assert!(listed.contains(name.as_str()), "{name} is not listed in scripts.rs");
            }
        }
    };
}

scripts! {
    flow_control_10_2 => "10.2_flow_control.txt",
    inflight_window_10_2 => "10.2_inflight_window.txt",
    leader_transfer_3_10 => "3.10_leader_transfer.txt",
    single_server_change_4_1 => "4.1_single_server_change.txt",
    learners_4_2_1 => "4.2.1_learners.txt",
    terms_5_1 => "5.1_terms.txt",
    election_5_2 => "5.2_election.txt",
    election_details_5_2 => "5.2_election_details.txt",
    election_timer_5_2 => "5.2_election_timer.txt",
    no_randomized_timeout_5_2 => "5.2_no_randomized_timeout.txt",
    split_vote_5_2 => "5.2_split_vote.txt",
    consistency_check_5_3 => "5.3_consistency_check.txt",
    figure7_conflict_term_5_3 => "5.3_figure7_conflict_term.txt",
    figure7_one_by_one_5_3 => "5.3_figure7_one_by_one.txt",
    probe_per_heartbeat_5_3 => "5.3_probe_per_heartbeat.txt",
    replication_5_3 => "5.3_replication.txt",
    vote_without_log_check_5_4_1 => "5.4.1_vote_without_log_check.txt",
    voting_restriction_5_4_1 => "5.4.1_voting_restriction.txt",
    figure8_5_4_2 => "5.4.2_figure8.txt",
    figure8_bug_5_4_2 => "5.4.2_figure8_bug.txt",
    figure8_e_5_4_2 => "5.4.2_figure8_e.txt",
    check_quorum_6_2 => "6.2_check_quorum.txt",
    lease_read_6_4_1 => "6.4.1_lease_read.txt",
    read_index_6_4 => "6.4_read_index.txt",
    joint_consensus_6 => "6_joint_consensus.txt",
    removed_server_6 => "6_removed_server.txt",
    snapshot_7 => "7_snapshot.txt",
    snapshot_conflict_7 => "7_snapshot_conflict.txt",
    snapshot_lost_7 => "7_snapshot_lost.txt",
    client_interaction_8 => "8_client_interaction.txt",
    disruptive_follower_9_6 => "9.6_disruptive_follower.txt",
    prevote_9_6 => "9.6_prevote.txt",
}

// ----- Figure 7: counting the rounds of backtracking -------------------------

/// Figure 7's leader log (term 8) and followers (a)-(f), S2..S7 in the scripts.
const FIGURE7_LEADER: [u64; 10] = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
const FIGURE7_FOLLOWERS: [&[u64]; 6] = [
    &[1, 1, 1, 4, 4, 5, 5, 6, 6],
    &[1, 1, 1, 4],
    &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
    &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
    &[1, 1, 1, 4, 4, 4, 4],
    &[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
];

/// The longest prefix of the leader's log that the follower shares.
fn matching_prefix(follower: &[u64]) -> usize {
    (0..=FIGURE7_LEADER.len())
        .rev()
        .find(|&p| p <= follower.len() && follower[..p] == FIGURE7_LEADER[..p])
        .unwrap()
}

/// The leader's first probe is after index 10; one-by-one backtracking needs
/// one rejection per index between there and the matching prefix.
fn decrements_needed(follower: &[u64]) -> u64 {
    (FIGURE7_LEADER.len() - matching_prefix(follower)) as u64
}

/// Conflict-term backtracking skips a whole term per rejection (and the
/// missing tail in one): at most one round per conflicting term, plus one.
fn conflicting_terms(follower: &[u64]) -> u64 {
    let p = matching_prefix(follower);
    let end = follower.len().min(FIGURE7_LEADER.len());
    let terms: BTreeSet<u64> = follower[p..end].iter().copied().collect();
    terms.len() as u64 + u64::from(follower.len() < FIGURE7_LEADER.len())
}

fn figure7_rejections(env: &Env) -> Vec<u64> {
    (2..=7)
        .map(|f| env.total_rejections.get(&(1, f)).copied().unwrap_or(0))
        .collect()
}

#[test]
fn figure7_one_by_one_needs_one_round_per_decrement() {
    let env = run_file("5.3_figure7_one_by_one.txt");
    let expected: Vec<u64> = FIGURE7_FOLLOWERS
        .iter()
        .map(|f| decrements_needed(f))
        .collect();
    assert_eq!(expected, vec![1, 6, 0, 0, 5, 7]);
    assert_eq!(figure7_rejections(&env), expected);
}

#[test]
fn figure7_conflict_term_needs_at_most_one_round_per_conflicting_term() {
    let env = run_file("5.3_figure7_conflict_term.txt");
    let got = figure7_rejections(&env);
    for (k, f) in FIGURE7_FOLLOWERS.iter().enumerate() {
        assert!(
            got[k] <= conflicting_terms(f),
            "follower ({}) took {} rounds",
            (b'a' + k as u8) as char,
            got[k]
        );
    }
    assert_eq!(got, vec![1, 1, 0, 0, 2, 2]);
}

#[test]
fn figure7_every_follower_ends_with_the_leader_log() {
    for file in [
        "5.3_figure7_one_by_one.txt",
        "5.3_figure7_conflict_term.txt",
    ] {
        let env = run_file(file);
        let leader: Vec<u64> = env.raft(1).log().entries().iter().map(|e| e.term).collect();
        assert_eq!(leader, [&FIGURE7_LEADER[..], &[8]].concat());
        for f in 2..=7 {
            let log: Vec<u64> = env.raft(f).log().entries().iter().map(|e| e.term).collect();
            assert_eq!(log, leader, "{file}: S{f}");
        }
    }
}

//! The online invariant checker: the safety properties of Figure 3 (and a
//! few more), checked incrementally after every trace event, so it is cheap
//! enough to run on every fuzz step. It reads only [`TraceEvent`]s, so the
//! offline `raft-sim check` runs exactly the same code on a trace file.

use std::collections::BTreeMap;

use raft_core::Role;
use serde::{Deserialize, Serialize};

use crate::chunked::ChunkedVec;
use crate::trace::TraceEvent;

/// The properties checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invariant {
    /// At most one leader per term (Figure 3, §5.2).
    ElectionSafety,
    /// A leader never overwrites or deletes entries in its log (Figure 3, §5.3).
    LeaderAppendOnly,
    /// Two logs with an entry of the same index and term agree on all entries before it (Figure 3, §5.3).
    LogMatching,
    /// A leader's log holds every entry committed before its term (Figure 3, §5.4).
    LeaderCompleteness,
    /// No two servers apply (or commit) different entries at one index, and nothing
    /// uncommitted is applied (Figure 3, §5.4.3).
    StateMachineSafety,
    /// A server's current_term never decreases (it is persisted, Figure 2).
    TermMonotonicity,
    /// A server's commit index never decreases while it runs.
    CommitMonotonicity,
    /// A server votes for at most one candidate per term (§5.2).
    VoteOnce,
    /// A leader is elected within N election timeouts of the last fault (§5.2, §9.3).
    Liveness,
    /// The client history is linearizable (§8); checked at the end of a run.
    Linearizability,
}

impl Invariant {
    pub const ALL: [Invariant; 10] = [
        Invariant::ElectionSafety,
        Invariant::LeaderAppendOnly,
        Invariant::LogMatching,
        Invariant::LeaderCompleteness,
        Invariant::StateMachineSafety,
        Invariant::TermMonotonicity,
        Invariant::CommitMonotonicity,
        Invariant::VoteOnce,
        Invariant::Liveness,
        Invariant::Linearizability,
    ];

    /// Figure 3's five properties, which Raft guarantees at all times.
    pub const FIGURE_3: [Invariant; 5] = [
        Invariant::ElectionSafety,
        Invariant::LeaderAppendOnly,
        Invariant::LogMatching,
        Invariant::LeaderCompleteness,
        Invariant::StateMachineSafety,
    ];

    /// Where the paper states it.
    pub fn section(self) -> &'static str {
        match self {
            Invariant::ElectionSafety | Invariant::VoteOnce | Invariant::Liveness => "§5.2",
            Invariant::LeaderAppendOnly | Invariant::LogMatching => "§5.3",
            Invariant::LeaderCompleteness => "§5.4",
            Invariant::StateMachineSafety => "§5.4.3",
            Invariant::TermMonotonicity | Invariant::CommitMonotonicity => "Figure 2",
            Invariant::Linearizability => "§8",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Invariant::ElectionSafety => "election_safety",
            Invariant::LeaderAppendOnly => "leader_append_only",
            Invariant::LogMatching => "log_matching",
            Invariant::LeaderCompleteness => "leader_completeness",
            Invariant::StateMachineSafety => "state_machine_safety",
            Invariant::TermMonotonicity => "term_monotonicity",
            Invariant::CommitMonotonicity => "commit_monotonicity",
            Invariant::VoteOnce => "vote_once",
            Invariant::Liveness => "liveness",
            Invariant::Linearizability => "linearizability",
        }
    }

    pub fn parse(name: &str) -> Option<Invariant> {
        let name = name.replace('-', "_");
        Invariant::ALL.into_iter().find(|i| i.as_str() == name)
    }
}

impl std::fmt::Display for Invariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A broken invariant: which one, the first event that broke it, and who was involved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub invariant: Invariant,
    /// Virtual time of the event, in microseconds.
    pub t: u64,
    /// The event's line in the trace (1-based).
    pub line: u64,
    pub nodes: Vec<u64>,
    /// The log index involved, if any.
    pub index: Option<u64>,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} violated at t={}us (trace line {}): {}",
            self.invariant, self.t, self.line, self.message
        )
    }
}

/// What the checker remembers of one server.
#[derive(Clone, Debug, Default)]
struct Shadow {
    /// The term of each entry, index 1 first; compacted entries keep their terms.
    log: ChunkedVec<u64>,
    snapshot_index: u64,
    role: Option<Role>,
    term: u64,
    commit: u64,
    alive: bool,
    /// The last vote cast: (term, candidate).
    vote: Option<(u64, u64)>,
    /// The vote went out: the candidate got the answer, or (its own vote) its requests.
    vote_sent: bool,
    /// The highest term of a message it sent (pre-votes aside: they name a term to come).
    sent_term: u64,
}

/// The terms seen at one index, each with the term of the entry before it.
#[derive(Clone, Debug, Default)]
struct Seen {
    /// The first (term, term before); term 0: nothing seen yet.
    first: (u64, u64),
    /// Any others (a conflicting entry at the same index): rare, so kept out of line.
    more: Vec<(u64, u64)>,
}

impl Seen {
    fn prev_of(&self, term: u64) -> Option<u64> {
        if term != 0 && self.first.0 == term {
            return Some(self.first.1);
        }
        self.more.iter().find(|(t, _)| *t == term).map(|&(_, p)| p)
    }

    fn insert(&mut self, term: u64, prev: u64) {
        if self.first.0 == 0 {
            self.first = (term, prev);
        } else {
            self.more.push((term, prev));
        }
    }
}

/// Writes `x` at `k` (copying its chunk first if a clone shares it).
fn set(v: &mut ChunkedVec<u64>, k: usize, x: u64) {
    if let Some(slot) = v.get_mut(k) {
        *slot = x;
    }
}

/// Writes `x` at `k` if it differs, or appends it when `k` is the length.
fn set_or_push(v: &mut ChunkedVec<u64>, k: usize, x: u64) {
    match v.get(k) {
        Some(&have) if have == x => {}
        Some(_) => set(v, k, x),
        None => v.push(x),
    }
}

impl Shadow {
    fn term_at(&self, index: u64) -> Option<u64> {
        index
            .checked_sub(1)
            .and_then(|i| self.log.get(i as usize).copied())
    }
}

/// The most violations kept; the first of each kind is what matters.
const MAX_VIOLATIONS: usize = 64;

/// The incremental checker. Feed it every event with [`Checker::observe`].
#[derive(Clone, Debug, Default)]
pub struct Checker {
    nodes: BTreeMap<u64, Shadow>,
    /// Leader of each term (election safety).
    leaders: BTreeMap<u64, u64>,
    /// The term of each committed index, index 1 first (state machine safety).
    committed: ChunkedVec<u64>,
    /// Who first committed each index (for messages).
    committed_by: ChunkedVec<u64>,
    /// The committer's current term when each index was first committed.
    committed_in: ChunkedVec<u64>,
    /// The term of each applied index, index 1 first.
    applied: ChunkedVec<u64>,
    /// For each index (1 first), the terms seen there and the term before each:
    /// log matching by induction (§5.3).
    matching: ChunkedVec<Seen>,
    liveness_us: u64,
    leader_present: bool,
    last_leader_t: u64,
    calm_since: u64,
    partitioned: bool,
    crashed: usize,
    liveness_reported: bool,
    violations: Vec<Violation>,
    line: u64,
}

impl Checker {
    pub fn new() -> Self {
        Checker::default()
    }

    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The number of events observed (= the last trace line number).
    pub fn lines(&self) -> u64 {
        self.line
    }

    /// The leader of each term seen so far.
    pub fn leaders(&self) -> &BTreeMap<u64, u64> {
        &self.leaders
    }

    /// Checks an event read from trace line `line` (1-based), keeping line numbers exact
    /// when the trace holds lines the checker skips.
    pub fn observe_line(&mut self, line: u64, t: u64, ev: &TraceEvent) {
        self.line = line.saturating_sub(1);
        self.observe(t, ev);
    }

    /// The highest index known committed anywhere.
    pub fn committed_len(&self) -> u64 {
        self.committed.len() as u64
    }

    /// Checks one event, the next line of the trace.
    pub fn observe(&mut self, t: u64, ev: &TraceEvent) {
        self.line += 1;
        match ev {
            TraceEvent::Start {
                nodes, liveness_us, ..
            } => {
                self.liveness_us = *liveness_us;
                for &n in nodes {
                    self.nodes.entry(n).or_default().alive = true;
                }
                self.calm_since = t;
            }
            TraceEvent::Role { node, term, role } => self.on_role(t, *node, *term, *role),
            TraceEvent::Vote {
                node,
                term,
                candidate,
            } => {
                let s = self.nodes.entry(*node).or_default();
                let prev = s.vote;
                if s.vote != Some((*term, *candidate)) {
                    s.vote_sent = false;
                }
                s.vote = Some((*term, *candidate));
                if let Some((vt, vc)) = prev {
                    if vt == *term && vc != *candidate {
                        self.violate(
                            Invariant::VoteOnce,
                            t,
                            vec![*node, vc, *candidate],
                            None,
                            format!(
                                "S{node} voted for S{vc} and then for S{candidate} in term {term}"
                            ),
                        );
                    }
                }
            }
            TraceEvent::Append { node, index, term } => self.on_append(t, *node, *index, *term),
            TraceEvent::Truncate { node, from } => self.on_truncate(t, *node, *from),
            TraceEvent::Commit { node, index } => self.on_commit(t, *node, *index),
            TraceEvent::Apply { node, index, term } => self.on_apply(t, *node, *index, *term),
            TraceEvent::Snapshot { node, index, term } => self.on_snapshot(t, *node, *index, *term),
            TraceEvent::Crash { node } => {
                let s = self.nodes.entry(*node).or_default();
                if s.alive {
                    s.alive = false;
                    self.crashed += 1;
                }
                s.role = None;
                self.refresh_leader_present(t);
                self.calm_since = t;
            }
            TraceEvent::Restart {
                node,
                term,
                voted_for,
                last_index,
                snapshot_index,
            } => {
                let s = self.nodes.entry(*node).or_default();
                if !s.alive {
                    s.alive = true;
                    self.crashed = self.crashed.saturating_sub(1);
                }
                // Figure 2: a server persists its term and vote before it sends anything
                // that shows them. What it never sent may be lost with a write still under
                // way at the crash, and the server restarts from its disk.
                if let (Some(term), Some(last_index)) = (*term, *last_index) {
                    let sent = s.sent_term;
                    if term < s.term {
                        s.term = term;
                    }
                    let lost_vote = s.vote.is_some_and(|(vt, c)| {
                        !s.vote_sent && (vt > term || (vt == term && *voted_for != Some(c)))
                    });
                    if lost_vote {
                        s.vote = voted_for.map(|c| (term, c));
                    }
                    s.log.truncate(last_index as usize);
                    s.snapshot_index = snapshot_index.unwrap_or(s.snapshot_index);
                    if term < sent {
                        self.violate(
                            Invariant::TermMonotonicity,
                            t,
                            vec![*node],
                            None,
                            format!("S{node} restarted in term {term} after sending messages of term {sent}"),
                        );
                    }
                }
                // A new lifetime: commit restarts from the snapshot.
                let s = self.nodes.entry(*node).or_default();
                s.commit = s.snapshot_index;
                self.calm_since = t;
            }
            TraceEvent::Fault { what } => {
                self.partitioned = match what.as_ref() {
                    "heal" => false,
                    "partition" | "cut" | "isolate" => true,
                    _ => self.partitioned,
                };
                self.calm_since = t;
            }
            // New rules from now on: liveness is judged from here.
            TraceEvent::Setting { .. } => self.calm_since = t,
            TraceEvent::Send {
                from,
                to,
                kind,
                term,
                ..
            } => {
                let s = self.nodes.entry(*from).or_default();
                let kind = kind.as_ref();
                if kind != "PreVote" && kind != "PreVoteResponse" {
                    s.sent_term = s.sent_term.max(*term);
                }
                let shows_vote = match s.vote {
                    Some((vt, c)) => {
                        vt == *term
                            && ((kind == "RequestVoteResponse" && *to == c)
                                || (kind == "RequestVote" && *from == c))
                    }
                    None => false,
                };
                s.vote_sent |= shows_vote;
            }
            TraceEvent::Deliver { .. }
            | TraceEvent::Drop { .. }
            | TraceEvent::Config { .. }
            | TraceEvent::Client { .. } => {}
        }
        self.check_liveness(t);
    }

    fn violate(
        &mut self,
        invariant: Invariant,
        t: u64,
        nodes: Vec<u64>,
        index: Option<u64>,
        message: String,
    ) {
        if self.violations.len() < MAX_VIOLATIONS {
            self.violations.push(Violation {
                invariant,
                t,
                line: self.line,
                nodes,
                index,
                message,
            });
        }
    }

    fn on_role(&mut self, t: u64, node: u64, term: u64, role: Role) {
        let s = self.nodes.entry(node).or_default();
        let old_term = s.term;
        s.term = term;
        s.role = Some(role);
        s.alive = true;
        if term < old_term {
            self.violate(
                Invariant::TermMonotonicity,
                t,
                vec![node],
                None,
                format!("S{node}'s current_term went from {old_term} back to {term}"),
            );
        }
        if role == Role::Candidate {
            // A candidate votes for itself (§5.2).
            self.observe_self_vote(t, node, term);
        }
        if role == Role::Leader {
            if let Some(&other) = self.leaders.get(&term) {
                if other != node {
                    self.violate(
                        Invariant::ElectionSafety,
                        t,
                        vec![other, node],
                        None,
                        format!("S{other} and S{node} were both elected leader in term {term}"),
                    );
                }
            } else {
                self.leaders.insert(term, node);
            }
            self.check_leader_completeness(t, node, term);
        }
        self.refresh_leader_present(t);
    }

    fn observe_self_vote(&mut self, t: u64, node: u64, term: u64) {
        let s = self.nodes.entry(node).or_default();
        if let Some((vt, vc)) = s.vote {
            if vt == term && vc != node {
                self.violate(
                    Invariant::VoteOnce,
                    t,
                    vec![node, vc],
                    None,
                    format!("S{node} voted for S{vc} and then for itself in term {term}"),
                );
            }
        }
        let s = self.nodes.entry(node).or_default();
        if s.vote != Some((term, node)) {
            s.vote_sent = false;
        }
        s.vote = Some((term, node));
    }

    fn check_leader_completeness(&mut self, t: u64, node: u64, term: u64) {
        let s = &self.nodes[&node];
        // Figure 3 asks it of leaders of later terms only: a stale candidate may still win
        // an earlier term with votes cast before (§5.4).
        let in_terms = &self.committed_in;
        let missing = self.committed.iter().enumerate().find(|&(i, &ct)| {
            in_terms.get(i).is_some_and(|&at| at < term) && s.term_at(i as u64 + 1) != Some(ct)
        });
        if let Some((i, &ct)) = missing {
            let index = i as u64 + 1;
            let has = match s.term_at(index) {
                Some(lt) => format!("has term {lt} there"),
                None => "has no entry there".into(),
            };
            let by = self.committed_by[i];
            self.violate(
                Invariant::LeaderCompleteness,
                t,
                vec![node, by],
                Some(index),
                format!(
                    "S{node} became leader of term {term} without committed entry {index} \
                     (term {ct}, committed by S{by}); it {has}"
                ),
            );
        }
    }

    fn on_append(&mut self, t: u64, node: u64, index: u64, term: u64) {
        let s = self.nodes.entry(node).or_default();
        let len = s.log.len() as u64;
        let is_leader = s.role == Some(Role::Leader) && s.term == term;
        if index == 0 {
            return;
        }
        let overwrote = index <= len;
        if overwrote {
            s.log.truncate(index as usize - 1);
        }
        while (s.log.len() as u64) < index - 1 {
            // A gap (never produced by raft-core): remember the index as unknown.
            s.log.push(0);
        }
        let prev = if index == 1 {
            0
        } else {
            s.log[index as usize - 2]
        };
        s.log.push(term);
        if overwrote && is_leader {
            self.violate(
                Invariant::LeaderAppendOnly,
                t,
                vec![node],
                Some(index),
                format!("leader S{node} overwrote its entry at index {index}"),
            );
        }
        if prev == 0 && index > 1 {
            return;
        }
        match self
            .matching
            .get(index as usize - 1)
            .and_then(|seen| seen.prev_of(term))
        {
            Some(known) if known != prev => self.violate(
                Invariant::LogMatching,
                t,
                vec![node],
                Some(index),
                format!(
                    "S{node} has entry {index} of term {term} after an entry of term {prev}, \
                     but another log has it after an entry of term {known}"
                ),
            ),
            Some(_) => {}
            None => {
                let k = index as usize - 1;
                if self.matching.len() <= k {
                    self.matching.resize(k + 1, Seen::default());
                }
                if let Some(seen) = self.matching.get_mut(k) {
                    seen.insert(term, prev);
                }
            }
        }
    }

    fn on_truncate(&mut self, t: u64, node: u64, from: u64) {
        let s = self.nodes.entry(node).or_default();
        let (commit, role) = (s.commit, s.role);
        if from > 0 {
            s.log.truncate(from as usize - 1);
        }
        if role == Some(Role::Leader) {
            self.violate(
                Invariant::LeaderAppendOnly,
                t,
                vec![node],
                Some(from),
                format!("leader S{node} deleted its entries from index {from}"),
            );
        }
        if from <= commit {
            self.violate(
                Invariant::StateMachineSafety,
                t,
                vec![node],
                Some(from),
                format!(
                    "S{node} deleted entries from index {from}, below its commit index {commit}"
                ),
            );
        }
    }

    fn on_commit(&mut self, t: u64, node: u64, index: u64) {
        let s = self.nodes.entry(node).or_default();
        let (old, now) = (s.commit, s.term);
        s.commit = index;
        if index < old {
            self.violate(
                Invariant::CommitMonotonicity,
                t,
                vec![node],
                Some(index),
                format!("S{node}'s commit index went from {old} back to {index}"),
            );
            return;
        }
        let terms: Vec<(u64, Option<u64>)> = (old + 1..=index).map(|i| (i, s.term_at(i))).collect();
        for (i, term) in terms {
            let Some(term) = term.filter(|&t| t != 0) else {
                continue;
            };
            let k = i as usize - 1;
            if k < self.committed.len() {
                let ct = self.committed[k];
                if ct != 0 && ct != term {
                    let by = self.committed_by[k];
                    self.violate(
                        Invariant::StateMachineSafety,
                        t,
                        vec![by, node],
                        Some(i),
                        format!(
                            "index {i} was committed with term {ct} by S{by} and with term {term} by S{node}"
                        ),
                    );
                    return;
                }
                if ct == 0 {
                    set(&mut self.committed, k, term);
                    set(&mut self.committed_by, k, node);
                    set(&mut self.committed_in, k, now);
                }
            } else {
                self.committed.resize(k, 0);
                self.committed_by.resize(k, 0);
                self.committed_in.resize(k, 0);
                self.committed.push(term);
                self.committed_by.push(node);
                self.committed_in.push(now);
            }
        }
    }

    fn on_apply(&mut self, t: u64, node: u64, index: u64, term: u64) {
        let commit = self.nodes.entry(node).or_default().commit;
        if index > commit {
            self.violate(
                Invariant::StateMachineSafety,
                t,
                vec![node],
                Some(index),
                format!("S{node} applied entry {index} (term {term}) before committing it (commit index {commit})"),
            );
        }
        if index == 0 {
            return;
        }
        let k = index as usize - 1;
        if k < self.applied.len() {
            let at = self.applied[k];
            if at != 0 && at != term {
                self.violate(
                    Invariant::StateMachineSafety,
                    t,
                    vec![node],
                    Some(index),
                    format!("S{node} applied term {term} at index {index}, where term {at} was applied before"),
                );
            } else if at == 0 {
                set(&mut self.applied, k, term);
            }
        } else {
            self.applied.resize(k, 0);
            self.applied.push(term);
        }
    }

    fn on_snapshot(&mut self, t: u64, node: u64, index: u64, term: u64) {
        let committed = &self.committed;
        let s = self.nodes.entry(node).or_default();
        // The snapshot replaces the log up to `index` with committed state (§7);
        // what follows survives only when the log held the snapshot's last entry.
        // Written in place, only where a term changes, so a clone's chunks stay shared.
        let kept = s.term_at(index) == Some(term);
        let n = index as usize;
        for k in 0..n.saturating_sub(1) {
            let want = match committed.get(k) {
                Some(&ct) if ct != 0 => ct,
                _ => s.log.get(k).copied().unwrap_or(0),
            };
            set_or_push(&mut s.log, k, want);
        }
        if n > 0 {
            set_or_push(&mut s.log, n - 1, term);
        }
        if !kept {
            s.log.truncate(n);
        }
        s.snapshot_index = index;
        if let Some(&ct) = index
            .checked_sub(1)
            .and_then(|k| self.committed.get(k as usize))
        {
            if ct != 0 && ct != term {
                self.violate(
                    Invariant::StateMachineSafety,
                    t,
                    vec![node],
                    Some(index),
                    format!("S{node}'s snapshot ends at index {index} with term {term}, but term {ct} was committed there"),
                );
            }
        }
    }

    fn refresh_leader_present(&mut self, t: u64) {
        self.leader_present = self
            .nodes
            .values()
            .any(|s| s.alive && s.role == Some(Role::Leader));
        if self.leader_present {
            self.last_leader_t = t;
        }
    }

    fn check_liveness(&mut self, t: u64) {
        if self.liveness_us == 0 || self.liveness_reported {
            return;
        }
        if self.leader_present {
            self.last_leader_t = t;
            return;
        }
        if self.partitioned || self.crashed > 0 {
            return;
        }
        let since = self.last_leader_t.max(self.calm_since);
        if t.saturating_sub(since) > self.liveness_us {
            self.liveness_reported = true;
            let nodes = self.nodes.keys().copied().collect();
            self.violate(
                Invariant::Liveness,
                t,
                nodes,
                None,
                format!(
                    "no leader for {}us with every server up and the network whole (since t={since}us)",
                    t - since
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(node: u64, term: u64, role: Role) -> TraceEvent {
        TraceEvent::Role { node, term, role }
    }
    fn vote(node: u64, term: u64, candidate: u64) -> TraceEvent {
        TraceEvent::Vote {
            node,
            term,
            candidate,
        }
    }

    fn append(node: u64, index: u64, term: u64) -> TraceEvent {
        TraceEvent::Append { node, index, term }
    }
    fn invariants(c: &Checker) -> Vec<Invariant> {
        c.violations().iter().map(|v| v.invariant).collect()
    }

    #[test]
    fn two_leaders_in_one_term_break_election_safety() {
        let mut c = Checker::new();
        c.observe(1, &role(1, 2, Role::Leader));
        c.observe(2, &role(2, 2, Role::Leader));
        assert_eq!(invariants(&c), vec![Invariant::ElectionSafety]);
        assert_eq!(c.violations()[0].line, 2);
        assert_eq!(c.violations()[0].nodes, vec![1, 2]);
    }

    #[test]
    fn diverging_prefix_breaks_log_matching() {
        let mut c = Checker::new();
        for ev in [
            append(1, 1, 1),
            append(1, 2, 2),
            append(2, 1, 2),
            append(2, 2, 2),
        ] {
            c.observe(1, &ev);
        }
        assert_eq!(invariants(&c), vec![Invariant::LogMatching]);
    }

    #[test]
    fn leader_missing_a_committed_entry_breaks_completeness() {
        let mut c = Checker::new();
        c.observe(1, &append(1, 1, 1));
        c.observe(2, &TraceEvent::Commit { node: 1, index: 1 });
        c.observe(3, &role(2, 2, Role::Leader));
        assert_eq!(invariants(&c), vec![Invariant::LeaderCompleteness]);
        assert_eq!(c.violations()[0].index, Some(1));
    }

    #[test]
    fn a_stale_candidate_winning_an_earlier_term_breaks_nothing() {
        // S1 wins term 1 with a vote cast before S2 led term 2 and committed entry 1 (§5.4:
        // completeness is owed to leaders of later terms only). Found by `raft-sim explore`.
        let mut c = Checker::new();
        c.observe(1, &role(2, 2, Role::Leader));
        c.observe(2, &append(2, 1, 2));
        c.observe(3, &TraceEvent::Commit { node: 2, index: 1 });
        c.observe(4, &role(1, 1, Role::Leader));
        assert_eq!(invariants(&c), vec![]);
        c.observe(5, &role(3, 3, Role::Leader));
        assert_eq!(invariants(&c), vec![Invariant::LeaderCompleteness]);
    }

    #[test]
    fn conflicting_commits_and_early_applies_break_state_machine_safety() {
        let mut c = Checker::new();
        c.observe(1, &append(1, 1, 1));
        c.observe(2, &TraceEvent::Commit { node: 1, index: 1 });
        c.observe(3, &append(2, 1, 2));
        c.observe(4, &TraceEvent::Commit { node: 2, index: 1 });
        c.observe(5, &append(3, 1, 1));
        c.observe(
            6,
            &TraceEvent::Apply {
                node: 3,
                index: 1,
                term: 1,
            },
        );
        assert_eq!(
            invariants(&c),
            vec![Invariant::StateMachineSafety, Invariant::StateMachineSafety]
        );
    }

    #[test]
    fn leader_truncating_and_terms_going_back_are_caught() {
        let mut c = Checker::new();
        c.observe(1, &role(1, 3, Role::Leader));
        c.observe(2, &append(1, 1, 3));
        c.observe(3, &TraceEvent::Truncate { node: 1, from: 1 });
        c.observe(4, &role(1, 2, Role::Follower));
        assert_eq!(
            invariants(&c),
            vec![Invariant::LeaderAppendOnly, Invariant::TermMonotonicity]
        );
    }

    #[test]
    fn double_vote_and_commit_going_back_are_caught() {
        let mut c = Checker::new();
        c.observe(
            1,
            &TraceEvent::Vote {
                node: 1,
                term: 4,
                candidate: 2,
            },
        );
        c.observe(2, &role(1, 4, Role::Candidate));
        c.observe(3, &append(1, 1, 1));
        c.observe(4, &TraceEvent::Commit { node: 1, index: 1 });
        c.observe(5, &TraceEvent::Commit { node: 1, index: 0 });
        assert_eq!(
            invariants(&c),
            vec![Invariant::VoteOnce, Invariant::CommitMonotonicity]
        );
    }

    #[test]
    fn a_correct_history_passes_and_restart_resets_commit() {
        let mut c = Checker::new();
        let start = TraceEvent::Start {
            seed: 0,
            nodes: vec![1, 2],
            liveness_us: 100,
        };
        c.observe(0, &start);
        c.observe(1, &role(1, 1, Role::Candidate));
        c.observe(
            2,
            &TraceEvent::Vote {
                node: 2,
                term: 1,
                candidate: 1,
            },
        );
        c.observe(3, &role(1, 1, Role::Leader));
        c.observe(4, &append(1, 1, 1));
        c.observe(5, &append(2, 1, 1));
        c.observe(6, &TraceEvent::Commit { node: 1, index: 1 });
        c.observe(
            7,
            &TraceEvent::Apply {
                node: 1,
                index: 1,
                term: 1,
            },
        );
        c.observe(8, &TraceEvent::Crash { node: 1 });
        c.observe(
            9,
            &TraceEvent::Restart {
                node: 1,
                term: Some(1),
                voted_for: Some(1),
                last_index: Some(1),
                snapshot_index: Some(0),
            },
        );
        c.observe(10, &role(1, 1, Role::Follower));
        c.observe(11, &TraceEvent::Commit { node: 1, index: 1 });
        assert!(c.violations().is_empty(), "{:?}", c.violations());
    }

    fn send(from: u64, to: u64, kind: &'static str, term: u64) -> TraceEvent {
        TraceEvent::Send {
            id: 0,
            from,
            to,
            kind: kind.into(),
            term,
        }
    }

    fn restart(node: u64, term: u64, voted_for: Option<u64>, last_index: u64) -> TraceEvent {
        TraceEvent::Restart {
            node,
            term: Some(term),
            voted_for,
            last_index: Some(last_index),
            snapshot_index: Some(0),
        }
    }

    #[test]
    fn a_vote_or_term_lost_before_it_was_sent_is_no_violation() {
        let mut c = Checker::new();
        // S1 votes for S2 in term 3, but the write (and so the answer) never finished.
        c.observe(1, &vote(1, 3, 2));
        c.observe(2, &TraceEvent::Crash { node: 1 });
        c.observe(3, &restart(1, 2, None, 0));
        c.observe(4, &vote(1, 3, 3));
        assert!(c.violations().is_empty(), "{:?}", c.violations());
    }

    #[test]
    fn a_vote_or_term_that_went_out_and_is_lost_is_caught() {
        let mut c = Checker::new();
        // The answer went out: S1 must remember its vote (the forget-vote bug).
        c.observe(1, &vote(1, 3, 2));
        c.observe(2, &send(1, 2, "RequestVoteResponse", 3));
        c.observe(3, &TraceEvent::Crash { node: 1 });
        c.observe(4, &restart(1, 3, None, 0));
        c.observe(5, &vote(1, 3, 3));
        assert_eq!(invariants(&c), vec![Invariant::VoteOnce]);
        // A server that sent messages of term 5 restarts in term 4.
        let mut c = Checker::new();
        c.observe(1, &role(1, 5, Role::Follower));
        c.observe(2, &send(1, 2, "AppendEntriesResponse", 5));
        c.observe(3, &TraceEvent::Crash { node: 1 });
        c.observe(4, &restart(1, 4, None, 0));
        assert_eq!(invariants(&c), vec![Invariant::TermMonotonicity]);
        // A pre-vote names a term to come: it promises nothing.
        let mut c = Checker::new();
        c.observe(1, &role(1, 4, Role::Follower));
        c.observe(2, &send(1, 2, "PreVote", 5));
        c.observe(3, &TraceEvent::Crash { node: 1 });
        c.observe(4, &restart(1, 4, None, 0));
        assert!(c.violations().is_empty(), "{:?}", c.violations());
    }

    #[test]
    fn no_leader_while_calm_is_a_liveness_failure() {
        let mut c = Checker::new();
        let start = TraceEvent::Start {
            seed: 0,
            nodes: vec![1, 2, 3],
            liveness_us: 100,
        };
        c.observe(0, &start);
        c.observe(50, &role(1, 1, Role::Candidate));
        assert!(c.violations().is_empty());
        c.observe(101, &role(2, 2, Role::Candidate));
        assert_eq!(invariants(&c), vec![Invariant::Liveness]);
    }
}

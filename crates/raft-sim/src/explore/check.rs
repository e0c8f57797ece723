//! The world's invariants (see [`crate::checker`]), checked on every explored
//! state after each input: what a server is now against what it was and
//! against the history of the path (leaders per term, votes, committed and
//! applied entries), which is part of the state so deduplication never merges
//! two paths the checker would tell apart.

use std::sync::Arc;

use raft_core::{Entry, Role};

use super::state::{Node, Slot, State};
use crate::checker::Invariant;

/// A broken invariant, in the checker's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub invariant: Invariant,
    pub message: String,
}

/// What the invariants remember of the path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct History {
    /// (term, leader) of every election won, sorted.
    leaders: Vec<(u64, u64)>,
    /// Each server's last vote: (term, candidate).
    votes: Vec<Option<(u64, u64)>>,
    /// The term of each committed index, index 1 first, and the committer's term then.
    committed: Vec<(u64, u64)>,
    /// The term of each applied index, index 1 first.
    applied: Vec<u64>,
}

impl History {
    pub fn new(servers: usize) -> History {
        History {
            votes: vec![None; servers],
            ..History::default()
        }
    }
}

/// A log as the checker sees it: the term at each index.
struct Log<'a> {
    base: u64,
    entries: &'a [Entry],
}

impl Log<'_> {
    fn of(slot: &Slot) -> Log<'_> {
        match slot {
            Slot::Up(n) => Log::node(n),
            Slot::Down(s) => Log {
                base: s.snapshot.meta.index,
                entries: &s.entries,
            },
        }
    }
    fn node(n: &Node) -> Log<'_> {
        Log {
            base: n.log().snapshot_index(),
            entries: n.log().entries(),
        }
    }
    fn last(&self) -> u64 {
        self.base + self.entries.len() as u64
    }
    fn term(&self, index: u64) -> Option<u64> {
        let k = index.checked_sub(self.base + 1)?;
        self.entries.get(k as usize).map(|e| e.term)
    }
}

fn found(invariant: Invariant, message: String) -> Result<(), Found> {
    Err(Found { invariant, message })
}

/// Checks server `i` after an input; `old` is the server before it (`None` when it just restarted).
pub fn after_input(
    s: &mut State,
    i: usize,
    old: Option<&Node>,
    applied: &[Entry],
) -> Result<(), Found> {
    let Slot::Up(node) = &s.slots[i] else {
        return Ok(());
    };
    let node = Arc::clone(node);
    let id = i as u64 + 1;
    let (term, log) = (node.current_term(), Log::node(&node));
    let hist = &*s.hist;
    // What the history learns from this step, written at the end (most steps teach it nothing).
    let mut vote = None;
    let mut leader = None;
    let mut commits: Vec<(usize, (u64, u64))> = Vec::new();
    let mut applies: Vec<(usize, u64)> = Vec::new();
    let old_term = old.map_or(term, |o| o.current_term());
    if term < old_term {
        return found(
            Invariant::TermMonotonicity,
            format!("S{id}'s current_term went from {old_term} back to {term}"),
        );
    }
    // §5.2: one vote per term.
    if let Some(c) = node.voted_for() {
        match hist.votes[i] {
            Some((t, v)) if t == term && v != c => {
                return found(
                    Invariant::VoteOnce,
                    format!("S{id} voted for S{v} and then for S{c} in term {term}"),
                )
            }
            Some(v) if v == (term, c) => {}
            _ => vote = Some((term, c)),
        }
    }
    let old_commit = match old {
        Some(o) => {
            let (oc, nc) = (o.commit_index(), node.commit_index());
            if nc < oc {
                return found(
                    Invariant::CommitMonotonicity,
                    format!("S{id}'s commit index went from {oc} back to {nc}"),
                );
            }
            let ol = Log::node(o);
            // Figure 3, Leader Append-Only (§5.3).
            if o.role() == Role::Leader && node.role() == Role::Leader && o.current_term() == term {
                if let Some(k) = (1..=ol.last()).find(|&k| log.term(k) != ol.term(k)) {
                    return found(
                        Invariant::LeaderAppendOnly,
                        format!("leader S{id} overwrote or deleted its entry at index {k}"),
                    );
                }
            }
            if let Some(k) = (ol.base + 1..=oc).find(|&k| log.term(k) != ol.term(k)) {
                return found(
                    Invariant::StateMachineSafety,
                    format!("S{id} deleted entries from index {k}, below its commit index {oc}"),
                );
            }
            oc
        }
        None => node.log().snapshot_index(),
    };
    // Figure 3, Election Safety (§5.2) and Leader Completeness (§5.4).
    let was_leader = old.is_some_and(|o| o.role() == Role::Leader && o.current_term() == term);
    if node.role() == Role::Leader && !was_leader {
        if let Some(&(_, other)) = hist.leaders.iter().find(|&&(t, l)| t == term && l != id) {
            return found(
                Invariant::ElectionSafety,
                format!("S{other} and S{id} were both elected leader in term {term}"),
            );
        }
        // Owed to leaders of later terms only: a stale candidate may win an earlier term.
        if let Some((k, &(ct, _))) = hist
            .committed
            .iter()
            .enumerate()
            .find(|&(k, &(ct, at))| ct != 0 && at < term && log.term(k as u64 + 1) != Some(ct))
        {
            let index = k + 1;
            return found(
                Invariant::LeaderCompleteness,
                format!("S{id} became leader of term {term} without committed entry {index} (term {ct})"),
            );
        }
        if !hist.leaders.contains(&(term, id)) {
            leader = Some((term, id));
        }
    }
    // Figure 3, State Machine Safety (§5.4.3): one term per committed index.
    for k in old_commit + 1..=node.commit_index() {
        let Some(t) = log.term(k) else { continue };
        let slot = k as usize - 1;
        match hist.committed.get(slot).map_or(0, |c| c.0) {
            0 => commits.push((slot, (t, term))),
            ct if ct != t => {
                return found(
                    Invariant::StateMachineSafety,
                    format!("index {k} was committed with term {ct} and with term {t} by S{id}"),
                )
            }
            _ => {}
        }
    }
    for e in applied {
        if e.index > node.commit_index() {
            return found(
                Invariant::StateMachineSafety,
                format!(
                    "S{id} applied entry {} (term {}) before committing it (commit index {})",
                    e.index,
                    e.term,
                    node.commit_index()
                ),
            );
        }
        let slot = e.index as usize - 1;
        match hist.applied.get(slot).copied().unwrap_or(0) {
            0 => applies.push((slot, e.term)),
            at if at != e.term => {
                return found(
                    Invariant::StateMachineSafety,
                    format!(
                        "S{id} applied term {} at index {}, where term {at} was applied before",
                        e.term, e.index
                    ),
                )
            }
            _ => {}
        }
    }
    // Figure 3, Log Matching (§5.3): same index and term, same entries before.
    for (j, other) in s.slots.iter().enumerate() {
        if j == i {
            continue;
        }
        let ol = Log::of(other);
        let top = ol.last().min(log.last());
        for k in (ol.base.max(log.base) + 2..=top).rev() {
            if ol.term(k) == log.term(k) && ol.term(k - 1) != log.term(k - 1) {
                return found(
                    Invariant::LogMatching,
                    format!(
                        "S{id} and S{} both have entry {k} of term {:?} after different terms",
                        j + 1,
                        log.term(k)
                    ),
                );
            }
        }
    }
    if vote.is_none() && leader.is_none() && commits.is_empty() && applies.is_empty() {
        return Ok(());
    }
    let hist = Arc::make_mut(&mut s.hist);
    if let Some(v) = vote {
        hist.votes[i] = Some(v);
    }
    if let Some(l) = leader {
        hist.leaders.push(l);
        hist.leaders.sort_unstable();
    }
    for (slot, c) in commits {
        if hist.committed.len() <= slot {
            hist.committed.resize(slot + 1, (0, 0));
        }
        hist.committed[slot] = c;
    }
    for (slot, t) in applies {
        if hist.applied.len() <= slot {
            hist.applied.resize(slot + 1, 0);
        }
        hist.applied[slot] = t;
    }
    Ok(())
}

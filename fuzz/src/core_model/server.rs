//! One server as the script runs it, and the invariants checked on it.

use std::collections::BTreeMap;

use raft_core::{Config, Event, Index, Message, NodeId, Raft, Role, SplitMix64, Storage, Term};

use super::Reached;

/// Starts server `config.id` from `storage`, its `life`-th time.
fn boot(config: &Config, seed: u64, storage: &Storage, life: u64) -> Raft<SplitMix64> {
    let rng = SplitMix64::new(seed ^ config.id << 32 ^ life);
    Raft::new(config.clone(), storage, rng).expect("the setup's settings are valid")
}

/// One server, its persisted state, and what its invariants remember.
pub(super) struct Server {
    pub(super) raft: Raft<SplitMix64>,
    /// Its outputs pile up unhandled (unpersisted, unsent) until released.
    pub(super) held: bool,
    storage: Storage,
    seed: u64,
    lives: u64,
    watch: Watch,
}

/// What the invariants remember about one server.
#[derive(Default)]
struct Watch {
    /// The highest current_term seen in this lifetime, and the highest persisted.
    term: Term,
    persisted_term: Term,
    /// This lifetime's highest commit_index, and the terms of the entries up
    /// to it that were in the log when they committed (not those a snapshot
    /// covered: its index may be any number a message carried).
    commit: Index,
    committed: BTreeMap<Index, Term>,
    /// The last index handed to the state machine in this lifetime.
    applied: Index,
    /// Every persisted vote: term to candidate.
    votes: BTreeMap<Term, NodeId>,
}

impl Server {
    pub(super) fn new(config: Config, seed: u64, storage: Storage) -> Server {
        let raft = boot(&config, seed, &storage, 0);
        let watch = Watch {
            term: raft.current_term(),
            ..Watch::default()
        };
        Server {
            raft,
            held: false,
            storage,
            seed,
            lives: 0,
            watch,
        }
    }

    /// Restarts from the persisted state. A held server loses the output it
    /// had not handled: nothing of it was persisted or sent. Returns whether
    /// it lost some.
    pub(super) fn crash(&mut self) -> bool {
        let lost = self.held && !self.raft.take_output().is_empty();
        self.held = false;
        self.lives += 1;
        let old_log = self.raft.log().clone();
        // It comes back with the settings it had (a switch flipped while it ran included).
        let config = self.raft.config().clone();
        self.raft = boot(&config, self.seed, &self.storage, self.lives);
        let (id, term, restored) = (self.raft.id(), self.raft.current_term(), self.raft.log());
        let w = &mut self.watch;
        assert!(
            term >= w.persisted_term,
            "S{id} restarted at term {term} after persisting term {}",
            w.persisted_term
        );
        if !lost {
            // Everything was persisted: term and log come back as they were.
            assert_eq!(term, w.term, "S{id}: the term did not survive a restart");
            assert_eq!(
                restored.snapshot().meta,
                old_log.snapshot().meta,
                "S{id}: snapshot lost"
            );
            assert_eq!(
                restored.entries(),
                old_log.entries(),
                "S{id}: the log did not survive a restart"
            );
        }
        // Volatile state starts afresh: commit and apply from the snapshot.
        w.term = term;
        w.commit = self.raft.commit_index();
        w.committed.split_off(&(w.commit + 1));
        w.applied = self.raft.last_applied();
        lost
    }

    /// The invariants that read the server's state.
    pub(super) fn check(&mut self) {
        let (raft, w) = (&self.raft, &mut self.watch);
        let id = raft.id();
        let log = raft.log();
        let term = raft.current_term();
        assert!(
            term >= w.term,
            "S{id}: current_term went from {} to {term}",
            w.term
        );
        w.term = term;

        // The log: indexes follow the snapshot, terms never decrease.
        let snap = &log.snapshot().meta;
        let mut last_term = snap.term;
        for (k, e) in log.entries().iter().enumerate() {
            assert_eq!(
                e.index,
                snap.index + 1 + k as Index,
                "S{id}: log indexes skip"
            );
            assert!(
                e.term >= last_term,
                "S{id}: the term at {} is {} after {last_term}",
                e.index,
                e.term
            );
            last_term = e.term;
        }

        let commit = raft.commit_index();
        assert!(
            commit >= w.commit,
            "S{id}: commit_index went from {} to {commit}",
            w.commit
        );
        assert!(
            commit <= log.last_index(),
            "S{id}: commit_index {commit} past the last index {}",
            log.last_index()
        );
        assert!(
            raft.last_applied() <= commit,
            "S{id}: applied {} past commit {commit}",
            raft.last_applied()
        );
        // Entries at or below the commit index never change.
        for (&i, &t) in w.committed.range(snap.index..) {
            assert_eq!(
                log.term(i),
                Some(t),
                "S{id}: committed entry {i} of term {t} changed"
            );
        }
        for i in w.commit.max(snap.index) + 1..=commit {
            w.committed
                .insert(i, log.term(i).expect("commit_index <= last index"));
        }
        w.commit = commit;
    }

    /// Takes the server's output and does what it asks, checking it on the
    /// way; returns the messages to send.
    pub(super) fn handle_output(&mut self, reached: &mut Reached) -> Vec<Message> {
        let out = self.raft.take_output();
        let id = self.raft.id();
        self.storage.persist(&out);
        // The persisted state is the server's.
        assert_eq!(
            self.storage.hard_state,
            self.raft.hard_state(),
            "S{id}: persisted hard state"
        );
        assert_eq!(
            self.storage.snapshot.meta,
            self.raft.log().snapshot().meta,
            "S{id}: persisted snapshot"
        );
        assert_eq!(
            self.storage.entries,
            self.raft.log().entries(),
            "S{id}: persisted log"
        );

        let w = &mut self.watch;
        let vote = |votes: &mut BTreeMap<Term, NodeId>, term: Term, candidate: NodeId| {
            let first = *votes.entry(term).or_insert(candidate);
            assert_eq!(
                first, candidate,
                "S{id} voted for S{first} and S{candidate} in term {term}"
            );
        };
        if let Some(hs) = out.hard_state {
            assert!(
                hs.current_term >= w.persisted_term,
                "S{id} persisted term {} after term {}",
                hs.current_term,
                w.persisted_term
            );
            w.persisted_term = hs.current_term;
            if let Some(c) = hs.voted_for {
                vote(&mut w.votes, hs.current_term, c);
            }
        }
        reached.commit = reached.commit.max(self.raft.commit_index());
        for ev in &out.events {
            match *ev {
                Event::VoteGranted {
                    candidate,
                    term,
                    pre: false,
                } => vote(&mut w.votes, term, candidate),
                Event::RoleChanged {
                    role: Role::Candidate,
                    term,
                    ..
                } => vote(&mut w.votes, term, id),
                Event::RoleChanged {
                    role: Role::Leader, ..
                } => reached.leader = true,
                Event::SnapshotTaken { .. } => reached.compacted = true,
                Event::SnapshotInstalled { .. } => reached.snapshot_installed = true,
                Event::ConfigChanged { ref config, .. } => reached.joint |= config.is_joint(),
                _ => {}
            }
        }

        // The state machine: a snapshot, then committed entries one by one, in order.
        if let Some(s) = &out.restore {
            w.applied = s.meta.index;
        }
        for e in &out.committed {
            assert_eq!(
                e.index,
                w.applied + 1,
                "S{id}: applied {} after {}",
                e.index,
                w.applied
            );
            assert!(
                e.index <= self.raft.commit_index(),
                "S{id}: applied {} before it committed",
                e.index
            );
            w.applied = e.index;
        }
        for r in &out.read_states {
            assert!(
                r.index <= self.raft.commit_index(),
                "S{id}: a read at {} past commit",
                r.index
            );
        }
        out.all_messages()
            .inspect(|m| assert!(m.from == id && m.to != id && m.to != 0, "S{id} sent {m}"))
            .cloned()
            .collect()
    }
}

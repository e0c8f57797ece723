//! The Raft state machine. `step` first applies the rules every role shares
//! (terms, §5.1; votes, §5.2), then hands the message to the role's own step.

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;
use core::ops::Bound;

use crate::config::{Backtrack, Config, ConfigError, ReadOnly};
use crate::event::{DenyReason, Event, IgnoreReason, NextReason, RoleReason, TimerReason};
use crate::lease::{Rounds, LEASE_CLOCK_DRIFT};
use crate::log::{RaftLog, Snapshot};
use crate::membership::{ConfChange, Configuration};
use crate::message::{Body, Message, MessageKind};
use crate::output::{Output, ProposeError, ReadState, Storage};
use crate::progress::{Progress, ProgressState};
use crate::quorum::{self, VoteResult};
use crate::rng::RaftRng;
use crate::types::{Bytes, Command, EntryData, HardState, Index, NodeId, Role, Term};

/// A read waiting for its heartbeat round or the lease (and, first, for the leader's no-op).
#[derive(Clone, Debug, PartialEq, Eq)]
struct PendingRead {
    context: u64,
    round: u64,
}

/// One Raft server. Feed it inputs, then call [`Raft::take_output`].
#[derive(Clone, Debug)]
pub struct Raft<R: RaftRng> {
    cfg: Config,
    rng: R,
    // Persistent state (Figure 2).
    current_term: Term,
    voted_for: Option<NodeId>,
    log: RaftLog,
    persisted: HardState,
    /// The last log index the caller reported on disk (see [`Config::wait_for_persist`]).
    stable_index: Index,
    // Volatile state.
    role: Role,
    leader_id: Option<NodeId>,
    config: Configuration,
    config_index: Index,
    election_elapsed: u32,
    heartbeat_elapsed: u32,
    randomized_election_timeout: u32,
    /// Ticks since the server started; the leader lease is measured on it (§6.4.1).
    clock: u64,
    votes: BTreeMap<NodeId, bool>,
    // Leader state.
    progress: BTreeMap<NodeId, Progress>,
    rounds: Rounds,
    pending_reads: VecDeque<PendingRead>,
    lead_transferee: Option<NodeId>,
    transfer_elapsed: u32,
    /// A TimeoutNow went out this term: its election ignores the followers' leases (§3.10, §6.4.1).
    timeout_now_sent: bool,
    /// Client proposals appended since the last input and not yet sent: they go
    /// out together, in one AppendEntries per follower (see [`Raft::propose`]).
    unsent_proposals: bool,
    out: Output,
}

impl<R: RaftRng> Raft<R> {
    /// Starts a server from its persisted state (a fresh one from [`Storage::bootstrap`]).
    pub fn new(cfg: Config, storage: &Storage, rng: R) -> Result<Self, ConfigError> {
        cfg.validate()?;
        let log = RaftLog::restore(storage.snapshot.clone(), &storage.entries);
        let (config_index, config) = log.config_at(Index::MAX);
        let (config_index, config) = (config_index, config.clone());
        let mut r = Raft {
            rng,
            current_term: storage.hard_state.current_term,
            voted_for: storage.hard_state.voted_for,
            persisted: storage.hard_state,
            stable_index: storage.last_index(),
            log,
            role: Role::Follower,
            leader_id: None,
            config,
            config_index,
            election_elapsed: 0,
            heartbeat_elapsed: 0,
            randomized_election_timeout: cfg.election_timeout_min,
            clock: 0,
            votes: BTreeMap::new(),
            progress: BTreeMap::new(),
            rounds: Rounds::default(),
            pending_reads: VecDeque::new(),
            lead_transferee: None,
            transfer_elapsed: 0,
            timeout_now_sent: false,
            unsent_proposals: false,
            out: Output::default(),
            cfg,
        };
        r.emit(Event::RoleChanged {
            role: Role::Follower,
            term: r.current_term,
            reason: RoleReason::Start,
        });
        r.restart_election_timer(TimerReason::NewRole {
            role: Role::Follower,
        });
        r.emit_config();
        Ok(r)
    }

    // ----- Reading the state -------------------------------------------------

    pub fn id(&self) -> NodeId {
        self.cfg.id
    }
    pub fn config(&self) -> &Config {
        &self.cfg
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn current_term(&self) -> Term {
        self.current_term
    }
    pub fn voted_for(&self) -> Option<NodeId> {
        self.voted_for
    }
    pub fn leader_id(&self) -> Option<NodeId> {
        self.leader_id
    }
    pub fn log(&self) -> &RaftLog {
        &self.log
    }
    pub fn commit_index(&self) -> Index {
        self.log.commit_index
    }
    pub fn last_applied(&self) -> Index {
        self.log.last_applied
    }
    /// The configuration in use: the latest in the log, committed or not (§6).
    pub fn configuration(&self) -> &Configuration {
        &self.config
    }
    /// The log index of [`Raft::configuration`]'s entry (committed once the commit index reaches it).
    pub fn configuration_index(&self) -> Index {
        self.config_index
    }
    /// A leader's view of each follower (empty unless leader).
    pub fn progress(&self) -> &BTreeMap<NodeId, Progress> {
        &self.progress
    }
    /// Votes received in the current election (candidate or pre-candidate).
    pub fn votes(&self) -> &BTreeMap<NodeId, bool> {
        &self.votes
    }
    /// Ticks since the election timer was last reset, and the timeout it counts to.
    pub fn election_timer(&self) -> (u32, u32) {
        (self.election_elapsed, self.randomized_election_timeout)
    }
    pub fn lead_transferee(&self) -> Option<NodeId> {
        self.lead_transferee
    }
    pub fn hard_state(&self) -> HardState {
        HardState {
            current_term: self.current_term,
            voted_for: self.voted_for,
        }
    }

    /// Changes the settings of a running server (a switch flipped mid-run). The
    /// id stays; the new settings must validate. Timers, progress and the log
    /// are kept: the new rules apply from the next input on.
    pub fn set_config(&mut self, mut cfg: Config) -> Result<(), ConfigError> {
        self.send_proposals();
        cfg.id = self.cfg.id;
        cfg.validate()?;
        self.cfg = cfg;
        Ok(())
    }

    // ----- Inputs ------------------------------------------------------------

    /// Advances logical time by one tick.
    pub fn tick(&mut self) {
        self.send_proposals();
        self.clock += 1;
        match self.role {
            Role::Leader => self.tick_leader(),
            _ => self.tick_election(),
        }
    }

    /// Starts an election now, as if the election timer had run out.
    pub fn campaign(&mut self) -> Result<(), ProposeError> {
        self.send_proposals();
        if !self.promotable() {
            return Err(ProposeError::NotVoter(self.id()));
        }
        if self.role == Role::Leader {
            return Ok(());
        }
        self.start_election(RoleReason::Forced, false);
        Ok(())
    }

    /// Proposes a client command; returns the index it will have if committed.
    /// Proposals made one after another, with no other input between them, are
    /// a batch (dissertation §10.2.2): their AppendEntries are built once, at the
    /// next input or [`Raft::take_output`], each carrying all of them.
    pub fn propose(&mut self, command: Command) -> Result<Index, ProposeError> {
        self.check_can_propose()?;
        let index = self.append(EntryData::Command(command));
        self.unsent_proposals = true;
        // §5.3: a leader that is a majority on its own (the only voter) commits the entry now;
        // otherwise its own copy alone cannot move the commit index.
        if self.config.voters.len() <= 1 && self.config.voters_outgoing.len() <= 1 {
            self.maybe_commit();
        }
        Ok(index)
    }

    /// Proposes a membership change (§6, dissertation §4).
    pub fn propose_conf_change(&mut self, change: ConfChange) -> Result<Index, ProposeError> {
        self.send_proposals();
        self.check_can_propose()?;
        // Dissertation §4.1: one change at a time, and only after an entry of this term committed.
        if self.config_index > self.log.commit_index {
            return Err(ProposeError::ConfChangePending);
        }
        if !self.committed_in_term() {
            return Err(ProposeError::NotCommittedInTerm);
        }
        let next = self
            .config
            .apply(&change)
            .map_err(ProposeError::InvalidConfChange)?;
        Ok(self.append_and_replicate(EntryData::Config(Box::new(next))))
    }

    /// Asks for a linearizable read point; a [`ReadState`] with `context` comes
    /// out once leadership is confirmed (§6.4): by a heartbeat round started
    /// after the read, or, with lease-based reads, at once while the lease holds
    /// (§6.4.1). A lease read asked outside the lease waits for the round.
    pub fn read_index(&mut self, context: u64) -> Result<(), ProposeError> {
        self.send_proposals();
        if self.role != Role::Leader {
            return Err(ProposeError::NotLeader {
                leader_hint: self.leader_id,
            });
        }
        let round = self.rounds.start(self.clock);
        self.pending_reads.push_back(PendingRead { context, round });
        self.release_reads();
        if !self.pending_reads.is_empty() {
            self.send_heartbeats();
        }
        Ok(())
    }

    /// Hands leadership to `to` (dissertation §3.10).
    pub fn transfer_leader(&mut self, to: NodeId) -> Result<(), ProposeError> {
        self.send_proposals();
        if self.role != Role::Leader {
            return Err(ProposeError::NotLeader {
                leader_hint: self.leader_id,
            });
        }
        if to == self.id() || !self.config.is_voter(to) {
            return Err(ProposeError::NotVoter(to));
        }
        if self.lead_transferee == Some(to) {
            return Ok(());
        }
        if let Some(old) = self.lead_transferee.take() {
            self.emit(Event::TransferAborted { to: old });
        }
        self.lead_transferee = Some(to);
        self.transfer_elapsed = 0;
        self.emit(Event::TransferStarted { to });
        if self.progress.get(&to).map(|p| p.match_index) == Some(self.log.last_index()) {
            self.send_timeout_now(to);
        } else {
            // Dissertation §3.10: bring the target up to date first. Send even when its window
            // looks empty: if the appends in flight were lost, the reject starts a probe at once.
            self.send_append(to, true);
        }
        Ok(())
    }

    /// Replaces the log up to `index` (already applied) by `data` (§7).
    pub fn compact(&mut self, index: Index, data: impl Into<Bytes>) -> bool {
        self.send_proposals();
        match self.log.compact(index, data.into()) {
            Some(snapshot) => {
                self.emit(Event::SnapshotTaken {
                    index,
                    term: snapshot.meta.term,
                });
                self.out.snapshot = Some(snapshot);
                true
            }
            None => false,
        }
    }

    /// The last log index known to be on disk: reported by [`Raft::persisted`]
    /// when [`Config::wait_for_persist`] is on, else everything handed out.
    pub fn stable_index(&self) -> Index {
        self.stable_index
    }

    /// The caller finished writing an [`Output`] whose log ended at `index`, an
    /// entry of `term`. A report about entries overwritten since is ignored.
    pub fn persisted(&mut self, index: Index, term: Term) {
        self.send_proposals();
        if index <= self.stable_index || self.log.term(index) != Some(term) {
            return;
        }
        self.stable_index = index.min(self.log.last_index());
        // §10.2.1: the leader's own write now counts towards the majority.
        self.maybe_commit();
    }

    /// Whether [`Raft::take_output`] would hand out anything: asking is cheaper
    /// than taking an empty [`Output`] (etcd-raft's `HasReady`).
    pub fn has_output(&self) -> bool {
        let upto = if self.cfg.bugs.apply_before_commit {
            self.log.last_index()
        } else {
            self.log.commit_index
        };
        self.unsent_proposals
            || self.hard_state() != self.persisted
            || self.log.has_unstable()
            || upto.min(self.log.last_index()) > self.log.last_applied
            || !self.out.is_empty()
    }

    /// Drains the work produced by the inputs so far.
    pub fn take_output(&mut self) -> Output {
        let mut out = Output::default();
        self.take_output_into(&mut out);
        out
    }

    /// [`Raft::take_output`] into the caller's `out`, which is cleared first: a
    /// caller that hands the same `Output` back each time reuses its buffers
    /// (the server keeps the emptied ones for the next output) instead of
    /// allocating new ones for every output.
    pub fn take_output_into(&mut self, out: &mut Output) {
        self.send_proposals();
        out.clear();
        let next = &mut self.out;
        core::mem::swap(&mut out.messages, &mut next.messages);
        core::mem::swap(
            &mut out.messages_after_persist,
            &mut next.messages_after_persist,
        );
        core::mem::swap(&mut out.read_states, &mut next.read_states);
        core::mem::swap(&mut out.events, &mut next.events);
        out.snapshot = next.snapshot.take();
        out.restore = next.restore.take();
        let hs = self.hard_state();
        if hs != self.persisted {
            out.hard_state = Some(hs);
            self.persisted = hs;
        }
        self.log.take_unstable(&mut out.entries);
        out.last_index = self.log.last_index();
        if !self.cfg.wait_for_persist {
            self.stable_index = out.last_index;
        } else {
            // Entries handed out now (new or overwriting) are not on disk until reported.
            let unstable_from = out.entries.first().map_or(Index::MAX, |e| e.index);
            self.stable_index = self
                .stable_index
                .min(unstable_from.saturating_sub(1))
                .min(out.last_index);
        }
        // Entries reach the state machine only once committed (§5.3), unless a bug says otherwise.
        let upto = if self.cfg.bugs.apply_before_commit {
            self.log.last_index()
        } else {
            self.log.commit_index
        };
        self.log.take_to_apply(upto, &mut out.committed);
    }

    /// Handles one message from another server.
    pub fn step(&mut self, m: Message) {
        self.send_proposals();
        // Out-of-range terms or indices (Message::in_range) are rejected, not trusted: they would overflow the log (§5.1, §5.3).
        if m.to != self.id() || m.from == self.id() || m.from == 0 || !m.in_range() {
            return self.ignore(&m, IgnoreReason::Malformed);
        }
        // Dissertation §4.2.3: a server outside our latest configuration (one that was removed
        // and never learned it) must not disrupt us: deny its vote request and keep our term.
        // Ignoring a request is always safe (it could have been lost). Unless its log is ahead
        // of ours: then we are the one behind and may not know its configuration yet (a new
        // server, a joint change we have not received), and our vote may be needed.
        if let Body::RequestVote {
            pre,
            last_log_index,
            last_log_term,
            ..
        } = m.body
        {
            let ahead =
                (last_log_term, last_log_index) > (self.log.last_term(), self.log.last_index());
            if !self.config.is_voter(m.from) && !ahead && m.term >= self.current_term {
                self.emit(Event::VoteDenied {
                    candidate: m.from,
                    term: m.term,
                    pre,
                    reason: DenyReason::NotInConfiguration,
                });
                return;
            }
        }
        // §5.1: a higher term makes us a follower of that term; a lower one is stale.
        if m.term > self.current_term {
            match m.body {
                Body::RequestVote { transfer, pre, .. } => {
                    if !transfer && self.in_lease() {
                        let leader = self.leader_id.unwrap_or(self.id());
                        // §6: ignore disruptive candidates while a leader is known.
                        self.emit(Event::VoteDenied {
                            candidate: m.from,
                            term: m.term,
                            pre,
                            reason: DenyReason::LeaderLease { leader },
                        });
                        return;
                    }
                    if !pre {
                        self.become_follower(m.term, None, RoleReason::HigherTerm { from: m.from });
                    }
                }
                // A granted pre-vote carries the term we will campaign in.
                Body::RequestVoteResponse {
                    pre: true,
                    granted: true,
                } => {}
                Body::AppendEntries { .. } | Body::InstallSnapshot { .. } => {
                    self.become_follower(
                        m.term,
                        Some(m.from),
                        RoleReason::HigherTerm { from: m.from },
                    );
                }
                _ => self.become_follower(m.term, None, RoleReason::HigherTerm { from: m.from }),
            }
        } else if m.term < self.current_term {
            return self.step_stale(m);
        }

        match m.body {
            Body::RequestVote {
                pre,
                last_log_index,
                last_log_term,
                ..
            } => self.handle_request_vote(m.from, m.term, pre, last_log_index, last_log_term),
            _ => match self.role {
                Role::Leader => self.step_leader(m),
                Role::Candidate | Role::PreCandidate => self.step_candidate(m),
                Role::Follower => self.step_follower(m),
            },
        }
    }

    // ----- Role steps --------------------------------------------------------

    fn step_leader(&mut self, m: Message) {
        match m.body {
            Body::AppendEntriesResponse {
                success,
                index,
                last_index,
                conflict,
                round,
                heartbeat,
            } => self.handle_append_response(
                m.from,
                success,
                index,
                last_index,
                conflict,
                (round, heartbeat),
            ),
            Body::InstallSnapshotResponse { index } => self.handle_snapshot_response(m.from, index),
            _ => self.ignore(&m, IgnoreReason::Unexpected),
        }
    }

    fn step_candidate(&mut self, m: Message) {
        match m.body {
            // §5.2: an AppendEntries from this term's leader ends the election.
            Body::AppendEntries { .. } | Body::InstallSnapshot { .. } => {
                self.become_follower(
                    m.term,
                    Some(m.from),
                    RoleReason::LeaderDiscovered { leader: m.from },
                );
                self.step_follower(m);
            }
            Body::RequestVoteResponse { pre, granted }
                if pre == (self.role == Role::PreCandidate) =>
            {
                self.poll(m.from, m.term, pre, granted)
            }
            _ => self.ignore(&m, IgnoreReason::Unexpected),
        }
    }

    fn step_follower(&mut self, m: Message) {
        match m.body {
            Body::AppendEntries {
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                round,
            } => {
                self.hear_from_leader(m.from);
                self.handle_append_entries(
                    m.from,
                    prev_log_index,
                    prev_log_term,
                    entries,
                    leader_commit,
                    round,
                );
            }
            Body::InstallSnapshot { snapshot } => {
                self.hear_from_leader(m.from);
                self.handle_snapshot(m.from, snapshot);
            }
            Body::TimeoutNow if self.promotable() => {
                // Dissertation §3.10: start an election at once, skipping PreVote.
                self.start_election(RoleReason::TimeoutNow { from: m.from }, true);
            }
            _ => self.ignore(&m, IgnoreReason::Unexpected),
        }
    }

    /// A message from an older term: answer requests so the sender learns the
    /// newer term (§5.1), drop everything else.
    fn step_stale(&mut self, m: Message) {
        match m.body {
            Body::AppendEntries {
                prev_log_index,
                round,
                ref entries,
                ..
            } => {
                self.ignore(&m, IgnoreReason::StaleTerm);
                let last_index = self.log.last_index();
                let heartbeat = entries.is_empty();
                self.reply(
                    m.from,
                    Body::AppendEntriesResponse {
                        success: false,
                        index: prev_log_index,
                        last_index,
                        conflict: None,
                        round,
                        heartbeat,
                    },
                );
            }
            Body::InstallSnapshot { .. } => {
                self.ignore(&m, IgnoreReason::StaleTerm);
                let index = self.log.last_index();
                self.reply(m.from, Body::InstallSnapshotResponse { index });
            }
            Body::RequestVote { pre, .. } => {
                let ours = self.current_term;
                self.emit(Event::VoteDenied {
                    candidate: m.from,
                    term: m.term,
                    pre,
                    reason: DenyReason::StaleTerm { ours },
                });
                self.reply(
                    m.from,
                    Body::RequestVoteResponse {
                        pre,
                        granted: false,
                    },
                );
            }
            _ => self.ignore(&m, IgnoreReason::StaleTerm),
        }
    }

    // ----- Elections (§5.2) --------------------------------------------------

    fn tick_election(&mut self) {
        self.election_elapsed += 1;
        if self.election_elapsed >= self.randomized_election_timeout && self.promotable() {
            self.start_election(RoleReason::ElectionTimeout, false);
        }
    }

    fn promotable(&self) -> bool {
        // Dissertation §4.2.2: until its removal commits a server may still lead (votes are counted in C_new), else (1 2) -> (1) can deadlock.
        let id = self.id();
        self.config.is_voter(id) || self.log.config_at(self.log.commit_index).1.is_voter(id)
    }

    /// Within the minimum election timeout of hearing from a leader (§6).
    fn in_lease(&self) -> bool {
        self.leader_id.is_some() && self.election_elapsed < self.cfg.election_timeout_min
    }

    fn restart_election_timer(&mut self, reason: TimerReason) {
        self.reset_election_timer();
        self.emit(Event::TimerReset { reason });
    }

    fn reset_election_timer(&mut self) {
        self.election_elapsed = 0;
        // §5.2: randomized timeouts make split votes rare.
        self.randomized_election_timeout = if self.cfg.bugs.no_randomized_timeout {
            self.cfg.election_timeout_min
        } else {
            let (lo, hi) = (self.cfg.election_timeout_min, self.cfg.election_timeout_max);
            self.rng.in_range(lo as u64, hi as u64) as u32
        };
    }

    fn start_election(&mut self, reason: RoleReason, transfer: bool) {
        if self.cfg.pre_vote && !transfer {
            self.become_pre_candidate(reason);
        } else {
            self.become_candidate(reason, transfer);
        }
    }

    fn become_pre_candidate(&mut self, reason: RoleReason) {
        self.reset_role(Role::PreCandidate, None);
        // Dissertation §9.6: ask first, without raising our own term.
        self.emit(Event::RoleChanged {
            role: Role::PreCandidate,
            term: self.current_term,
            reason,
        });
        self.restart_election_timer(TimerReason::NewRole {
            role: Role::PreCandidate,
        });
        self.request_votes(true, false);
    }

    fn become_candidate(&mut self, reason: RoleReason, transfer: bool) {
        // §5.2: increment currentTerm, vote for self, reset the timer, send RequestVote.
        self.current_term += 1;
        self.voted_for = Some(self.id());
        self.reset_role(Role::Candidate, None);
        self.emit(Event::RoleChanged {
            role: Role::Candidate,
            term: self.current_term,
            reason,
        });
        self.restart_election_timer(TimerReason::NewRole {
            role: Role::Candidate,
        });
        self.request_votes(false, transfer);
    }

    fn request_votes(&mut self, pre: bool, transfer: bool) {
        let term = if pre {
            self.current_term + 1
        } else {
            self.current_term
        };
        let (last_log_index, last_log_term) = (self.log.last_index(), self.log.last_term());
        self.votes.insert(self.id(), true);
        let voters: Vec<NodeId> = self.config.members().into_iter().collect();
        for id in voters {
            if id == self.id() || !self.config.is_voter(id) {
                continue;
            }
            self.send_after_persist(Message {
                from: self.id(),
                to: id,
                term,
                body: Body::RequestVote {
                    pre,
                    last_log_index,
                    last_log_term,
                    transfer,
                },
            });
        }
        self.tally(pre);
    }

    fn poll(&mut self, from: NodeId, term: Term, pre: bool, granted: bool) {
        self.emit(Event::VoteReceived {
            from,
            term,
            pre,
            granted,
        });
        self.votes.entry(from).or_insert(granted);
        self.tally(pre);
    }

    fn tally(&mut self, pre: bool) {
        let votes = &self.votes;
        match quorum::vote_result(&self.config, |id| votes.get(&id).copied()) {
            VoteResult::Won if pre => self.become_candidate(RoleReason::PreVoteWon, false),
            VoteResult::Won => self.become_leader(),
            VoteResult::Lost => {
                let term = self.current_term;
                self.become_follower(term, None, RoleReason::LostElection);
            }
            VoteResult::Pending => {}
        }
    }

    fn handle_request_vote(
        &mut self,
        candidate: NodeId,
        term: Term,
        pre: bool,
        last_index: Index,
        last_term: Term,
    ) {
        // §5.2: one vote per term, first come first served (a pre-vote binds nothing).
        let can_vote = self.voted_for == Some(candidate)
            || (self.voted_for.is_none() && self.leader_id.is_none())
            || (pre && term > self.current_term);
        // §5.4.1: only for a candidate whose log is at least as up-to-date as ours.
        let up_to_date =
            self.cfg.bugs.vote_without_log_check || self.log.is_up_to_date(last_index, last_term);
        if can_vote && up_to_date {
            self.emit(Event::VoteGranted {
                candidate,
                term,
                pre,
            });
            if !pre {
                self.voted_for = Some(candidate);
                // Figure 2 "Followers": granting a vote restarts the election timer (§5.2).
                self.restart_election_timer(TimerReason::VoteGranted { candidate });
            }
            let reply_term = if pre { term } else { self.current_term };
            self.send_after_persist(Message {
                from: self.id(),
                to: candidate,
                term: reply_term,
                body: Body::RequestVoteResponse { pre, granted: true },
            });
            return;
        }
        let reason = if !can_vote {
            match self.voted_for {
                Some(voted_for) => DenyReason::AlreadyVoted { voted_for },
                // §5.2: at most one leader per term, and this term's is known.
                None => DenyReason::TermHasLeader {
                    leader: self.leader_id.unwrap_or(0),
                },
            }
        } else {
            DenyReason::LogNotUpToDate {
                candidate_last_index: last_index,
                candidate_last_term: last_term,
                our_last_index: self.log.last_index(),
                our_last_term: self.log.last_term(),
            }
        };
        self.emit(Event::VoteDenied {
            candidate,
            term,
            pre,
            reason,
        });
        self.reply(
            candidate,
            Body::RequestVoteResponse {
                pre,
                granted: false,
            },
        );
    }

    // ----- Role changes ------------------------------------------------------

    fn reset_role(&mut self, role: Role, leader: Option<NodeId>) {
        self.role = role;
        self.leader_id = leader;
        self.votes.clear();
        self.progress.clear();
        self.pending_reads.clear();
        self.rounds.clear();
        self.lead_transferee = None;
        self.timeout_now_sent = false;
        self.heartbeat_elapsed = 0;
    }

    fn become_follower(&mut self, term: Term, leader: Option<NodeId>, reason: RoleReason) {
        if term > self.current_term {
            // §5.1: a new term starts with no vote cast.
            self.current_term = term;
            self.voted_for = None;
        }
        let unconfirmed = core::mem::take(&mut self.pending_reads);
        let was_leader = self.role == Role::Leader;
        self.reset_role(Role::Follower, leader);
        self.emit(Event::RoleChanged {
            role: Role::Follower,
            term: self.current_term,
            reason,
        });
        // Figure 2 "Followers" (§5.2): a higher term alone does not restart the election timer, or
        // a candidate whose log cannot win would hold off every election with its vote requests.
        // The leader's message restarts it itself (hear_from_leader). A leader's timer counted
        // toward CheckQuorum, so one that steps down starts afresh.
        let higher_term = matches!(reason, RoleReason::HigherTerm { .. });
        if leader.is_none() && (was_leader || !higher_term) {
            self.restart_election_timer(TimerReason::NewRole {
                role: Role::Follower,
            });
        }
        // §6.4: a read this server had not confirmed as leader cannot be served by it any more.
        for read in unconfirmed {
            self.emit(Event::ReadDropped {
                context: read.context,
            });
        }
    }

    fn become_leader(&mut self) {
        let id = self.id();
        self.reset_role(Role::Leader, Some(id));
        self.emit(Event::RoleChanged {
            role: Role::Leader,
            term: self.current_term,
            reason: RoleReason::WonElection,
        });
        self.restart_election_timer(TimerReason::NewRole { role: Role::Leader });
        // Figure 2: next_index starts just after the leader's last entry, match_index at 0.
        let next = self.log.last_index() + 1;
        for member in self.config.members() {
            let mut p = Progress::new(next);
            if member == id {
                p.match_index = self.log.last_index();
                p.become_replicate();
            }
            self.progress.insert(member, p);
        }
        // The no-op goes out in the first round of the term: its acknowledgements start the lease.
        self.rounds.start(self.clock);
        // §8: a no-op entry of the new term commits everything before it.
        self.append_and_replicate(EntryData::Noop);
    }

    /// Figure 2 "Followers": an AppendEntries (or InstallSnapshot) from the current leader restarts the election timer (§5.2).
    fn hear_from_leader(&mut self, leader: NodeId) {
        self.leader_id = Some(leader);
        self.election_elapsed = 0;
        self.emit(Event::TimerReset {
            reason: TimerReason::LeaderContact { leader },
        });
    }

    // ----- Replication (§5.3) ------------------------------------------------

    fn check_can_propose(&self) -> Result<(), ProposeError> {
        if self.role != Role::Leader {
            return Err(ProposeError::NotLeader {
                leader_hint: self.leader_id,
            });
        }
        if self.lead_transferee.is_some() {
            return Err(ProposeError::TransferInProgress);
        }
        Ok(())
    }

    fn committed_in_term(&self) -> bool {
        self.log.term(self.log.commit_index) == Some(self.current_term)
    }

    fn append_and_replicate(&mut self, data: EntryData) -> Index {
        let index = self.append(data);
        self.replicate();
        index
    }

    /// The leader appends a new entry of its term to its own log (§5.3).
    fn append(&mut self, data: EntryData) -> Index {
        let is_config = matches!(data, EntryData::Config(_));
        let term = self.current_term;
        let index = self.log.push(term, data);
        self.emit(Event::EntryAppended { index, term });
        if is_config {
            self.refresh_config();
        }
        let id = self.id();
        if let Some(p) = self.progress.get_mut(&id) {
            p.match_index = index;
            p.next_index = index + 1;
        }
        index
    }

    /// Sends the new entries to every follower whose window allows, and commits
    /// them when the leader alone is a majority.
    fn replicate(&mut self) {
        let mut to = 0;
        while let Some(follower) = self.follower_after(to) {
            to = follower;
            self.send_appends(to);
        }
        self.maybe_commit();
    }

    /// Sends `to` what it lacks, in as many AppendEntries as the size limits need and the
    /// flow control allows: one while probing, up to `max_inflight` pipelined while
    /// replicating (dissertation §10.2.2), so a batch larger than one message does not
    /// wait a round trip for its tail.
    fn send_appends(&mut self, to: NodeId) {
        loop {
            let before = self.progress.get(&to).map(|p| p.next_index);
            self.send_append(to, false);
            let after = self.progress.get(&to).map(|p| p.next_index);
            if after == before || after.is_none_or(|next| next > self.log.last_index()) {
                return;
            }
        }
    }

    /// The batch of proposals made since the last input, in one AppendEntries per follower (dissertation §10.2.2).
    fn send_proposals(&mut self) {
        if core::mem::take(&mut self.unsent_proposals) {
            self.replicate();
        }
    }

    /// The leader's next follower in id order after `after` (`0`: the first).
    fn follower_after(&self, after: NodeId) -> Option<NodeId> {
        let id = self.id();
        self.progress
            .range((Bound::Excluded(after), Bound::Unbounded))
            .map(|(&f, _)| f)
            .find(|&f| f != id)
    }

    /// Sends entries from next_index on, if the flow-control state allows;
    /// with `heartbeat`, sends even when there is nothing new.
    fn send_append(&mut self, to: NodeId, heartbeat: bool) {
        let (max_inflight, max_entries, max_bytes) = (
            self.cfg.max_inflight,
            self.cfg.max_entries_per_append,
            self.cfg.max_bytes_per_append,
        );
        let last = self.log.last_index();
        let Some(p) = self.progress.get(&to) else {
            return;
        };
        if p.paused(max_inflight) && !heartbeat {
            return;
        }
        let next = p.next_index;
        let Some(prev_log_term) = self.log.term(next - 1) else {
            // §7: the entries it needs are compacted away.
            return self.send_snapshot(to);
        };
        let entries = if p.paused(max_inflight) {
            Vec::new()
        } else {
            self.log.slice(next, last, max_entries, max_bytes)
        };
        if entries.is_empty() && !heartbeat {
            return;
        }
        let sent_last = entries.last().map(|e| e.index);
        let p = self.progress.get_mut(&to).expect("checked above");
        match (p.state, sent_last) {
            (ProgressState::Replicate, Some(sent_last)) => {
                // Pipelining: assume success and move on (dissertation §10.2.2).
                p.next_index = sent_last + 1;
                p.inflight.push_back(sent_last);
                p.inflight_round = self.rounds.current;
                let ev = Event::NextIndexMoved {
                    follower: to,
                    from: next,
                    to: sent_last + 1,
                    reason: NextReason::Sent,
                };
                self.emit(ev);
            }
            (ProgressState::Probe, _) => {
                p.probe_sent = true;
                p.probe_elapsed = 0;
            }
            _ => {}
        }
        self.send_message(
            to,
            Body::AppendEntries {
                prev_log_index: next - 1,
                prev_log_term,
                entries,
                leader_commit: self.log.commit_index,
                round: self.rounds.current,
            },
        );
    }

    fn send_snapshot(&mut self, to: NodeId) {
        let snapshot = self.log.snapshot().clone();
        let (index, term) = (snapshot.meta.index, snapshot.meta.term);
        if let Some(p) = self.progress.get_mut(&to) {
            p.become_snapshot(index);
        }
        self.emit(Event::ProgressStateChanged {
            follower: to,
            state: ProgressState::Snapshot,
        });
        self.emit(Event::SnapshotSent { to, index, term });
        self.send_message(to, Body::InstallSnapshot { snapshot });
    }

    /// A new heartbeat round (§5.2), which also renews the lease (§6.4.1).
    fn broadcast_heartbeat(&mut self) {
        self.rounds.start(self.clock);
        self.send_heartbeats();
    }

    /// Heartbeats (§5.2): empty AppendEntries, to every follower whatever its
    /// progress state. A follower in sync gets one at its match_index, which
    /// always passes the check; a probed follower gets one at next_index, which
    /// is the probe itself (§5.3), unless its probe is younger than a heartbeat
    /// interval: then it too gets one at match_index. A follower waiting for a
    /// snapshot gets one too, or it would time out and, without PreVote,
    /// depose this leader with its higher term.
    fn send_heartbeats(&mut self) {
        let interval = self.cfg.heartbeat_interval;
        let mut to = 0;
        while let Some(follower) = self.follower_after(to) {
            to = follower;
            let p = &self.progress[&to];
            match p.state {
                // §5.3 and etcd-raft's Progress: a probed follower gets at most one append per heartbeat interval.
                ProgressState::Probe if !p.probe_in_flight(interval) => {
                    self.progress.get_mut(&to).expect("follower").probe_sent = false;
                    self.send_append(to, true);
                }
                // §7: what a replicating follower lacks may be compacted away: send the snapshot.
                ProgressState::Replicate if self.log.term(p.match_index).is_none() => {
                    self.send_snapshot(to)
                }
                ProgressState::Probe | ProgressState::Replicate | ProgressState::Snapshot => {
                    // §7: when match_index is compacted away, index 0 stands in for it: the
                    // empty prefix matches every log (and a follower checks nothing up to its
                    // commit index, §5.4), so the heartbeat still passes the check.
                    let (prev_log_index, prev_log_term) = match self.log.term(p.match_index) {
                        Some(term) => (p.match_index, term),
                        None => (0, 0),
                    };
                    // Figure 2: the follower commits min(leaderCommit, last new entry).
                    self.send_message(
                        to,
                        Body::AppendEntries {
                            prev_log_index,
                            prev_log_term,
                            entries: Vec::new(),
                            leader_commit: self.log.commit_index,
                            round: self.rounds.current,
                        },
                    );
                }
            }
        }
    }

    fn tick_leader(&mut self) {
        // Rounds older than the lease can no longer give one (§6.4.1).
        let lease = u64::from(self.cfg.election_timeout_min);
        self.rounds.forget_before(self.clock.saturating_sub(lease));
        self.heartbeat_elapsed += 1;
        self.election_elapsed += 1;
        if self.election_elapsed >= self.cfg.election_timeout_min {
            self.election_elapsed = 0;
            // §6.2 CheckQuorum: step down when a quorum has not been heard from.
            if self.cfg.check_quorum {
                let id = self.id();
                let progress = &self.progress;
                let active = quorum::is_quorum(&self.config, |v| {
                    v == id || progress.get(&v).is_some_and(|p| p.recent_active)
                });
                if !active {
                    let term = self.current_term;
                    self.become_follower(term, None, RoleReason::CheckQuorumFailed);
                    return;
                }
                for p in self.progress.values_mut() {
                    p.recent_active = false;
                }
            }
        }
        if let Some(to) = self.lead_transferee {
            self.transfer_elapsed += 1;
            // Dissertation §3.10: abort when the transfer does not finish within an election timeout.
            if self.transfer_elapsed >= self.cfg.election_timeout_min {
                self.lead_transferee = None;
                self.emit(Event::TransferAborted { to });
            }
        }
        // Two heartbeat intervals without an answer: the snapshot or its reply was lost.
        let limit = 2 * self.cfg.heartbeat_interval;
        let mut retry = Vec::new();
        for (&id, p) in self.progress.iter_mut() {
            if p.state == ProgressState::Probe && p.probe_sent {
                p.probe_elapsed = p.probe_elapsed.saturating_add(1);
            }
            if p.state == ProgressState::Snapshot {
                p.snapshot_elapsed += 1;
                if p.snapshot_elapsed >= limit {
                    // Probe again, from match_index + 1, since nothing says the follower has the
                    // snapshot (§7); the probe finds the entries compacted and sends it anew.
                    p.pending_snapshot = 0;
                    p.become_probe();
                    retry.push(id);
                }
            }
        }
        for id in retry {
            self.emit(Event::ProgressStateChanged {
                follower: id,
                state: ProgressState::Probe,
            });
            self.send_append(id, true);
        }
        if self.heartbeat_elapsed >= self.cfg.heartbeat_interval {
            self.heartbeat_elapsed = 0;
            self.broadcast_heartbeat();
        }
    }

    fn handle_append_entries(
        &mut self,
        leader: NodeId,
        prev_log_index: Index,
        prev_log_term: Term,
        entries: Vec<crate::types::Entry>,
        leader_commit: Index,
        round: u64,
    ) {
        let term = self.current_term;
        // An entry's term is the term of the leader that created it (§5.3): at least 1 and at most
        // the leader's term; an entry of term 0 is forged (term 0 is "no entry" at index 0).
        let well_formed = prev_log_term <= term
            && entries.iter().enumerate().all(|(k, e)| {
                e.index == prev_log_index + 1 + k as Index
                    && (1..=term).contains(&e.term)
                    && e.term
                        >= if k == 0 {
                            prev_log_term
                        } else {
                            entries[k - 1].term
                        }
            });
        if !well_formed {
            return self.emit(Event::MessageIgnored {
                from: leader,
                kind: MessageKind::AppendEntries,
                reason: IgnoreReason::Malformed,
            });
        }
        // Entries up to our commit index are committed, hence match the leader's (§5.4): check after them.
        let commit = self.log.commit_index;
        let (count, heartbeat) = (entries.len(), entries.is_empty());
        let (prev, prev_term, skip) = if prev_log_index < commit {
            // Not `as usize`: on 32-bit targets (wasm32) a gap past u32::MAX would wrap to a small skip.
            let skip = usize::try_from(commit - prev_log_index)
                .unwrap_or(usize::MAX)
                .min(entries.len());
            let term_at_commit = self.log.term(commit).unwrap_or(0);
            // A log that differs at our commit index is no leader's (§5.4): appending what
            // follows would put its entries after a committed one they do not follow.
            let at_commit = usize::try_from(commit - prev_log_index - 1)
                .ok()
                .and_then(|k| entries.get(k));
            if at_commit.is_some_and(|e| e.term != term_at_commit) {
                return self.emit(Event::MessageIgnored {
                    from: leader,
                    kind: MessageKind::AppendEntries,
                    reason: IgnoreReason::Malformed,
                });
            }
            (commit, term_at_commit, skip)
        } else {
            (prev_log_index, prev_log_term, 0)
        };
        let local_term = self.log.term(prev);
        if local_term != Some(prev_term) {
            // Figure 2, AppendEntries step 2: reply false when the log has no entry at prevLogIndex with prevLogTerm.
            let last_index = self.log.last_index();
            self.emit(Event::AppendRejected {
                leader,
                prev_log_index,
                prev_log_term,
                local_term,
                last_index,
            });
            let conflict = match (self.cfg.backtrack, local_term) {
                (Backtrack::ConflictTerm, Some(t)) => {
                    Some((t, self.log.first_index_of_term(t, prev)))
                }
                _ => None,
            };
            return self.reply(
                leader,
                Body::AppendEntriesResponse {
                    success: false,
                    index: prev_log_index,
                    last_index,
                    conflict,
                    round,
                    heartbeat,
                },
            );
        }
        let last_new = prev + (count - skip) as Index;
        let appended = self.log.append_after(entries.into_iter().skip(skip));
        if let Some(from) = appended.truncated_from {
            self.emit(Event::Truncated { from });
        }
        if let Some(first) = appended.first_new {
            // The entries written are now the log's from `first` to `last_new`.
            let written = &self.log.entries()[(first - self.log.first_index()) as usize..];
            if self.cfg.record_events {
                self.out
                    .events
                    .extend(written.iter().map(|e| Event::EntryAppended {
                        index: e.index,
                        term: e.term,
                    }));
            }
            let touches_config = appended
                .truncated_from
                .is_some_and(|t| t <= self.config_index)
                || written
                    .iter()
                    .any(|e| matches!(e.data, EntryData::Config(_)));
            if touches_config {
                self.refresh_config();
            }
        }
        // Figure 2, step 5: commitIndex = min(leaderCommit, index of last new entry).
        self.commit_to(leader_commit.min(last_new));
        self.emit(Event::AppendAccepted {
            leader,
            prev_log_index,
            prev_log_term,
            entries: count as u64,
            match_index: last_new,
        });
        self.reply(
            leader,
            Body::AppendEntriesResponse {
                success: true,
                index: last_new,
                last_index: self.log.last_index(),
                conflict: None,
                round,
                heartbeat,
            },
        );
    }

    fn handle_append_response(
        &mut self,
        from: NodeId,
        success: bool,
        index: Index,
        last_index: Index,
        conflict: Option<(Term, Index)>,
        (round, heartbeat): (u64, bool),
    ) {
        let leader_last = self.log.last_index();
        let Some(p) = self.progress.get_mut(&from) else {
            return;
        };
        if index > leader_last {
            return self.emit(Event::MessageIgnored {
                from,
                kind: MessageKind::AppendEntriesResponse,
                reason: IgnoreReason::Malformed,
            });
        }
        p.recent_active = true;
        p.acked_round = p.acked_round.max(round.min(self.rounds.current));
        if success {
            let (old_match, was, old_commit) = (p.match_index, p.state, self.log.commit_index);
            // §7: below the snapshot in flight, a reply (a heartbeat's) only shows how far the
            // follower matches; the snapshot's answer, or its retry, ends the snapshot state.
            let waiting = was == ProgressState::Snapshot && index < p.pending_snapshot;
            if index > old_match {
                p.match_index = index;
                p.free_to(index);
                let old_next = p.next_index;
                if !waiting {
                    p.next_index = p.next_index.max(index + 1);
                    if was != ProgressState::Replicate {
                        p.become_replicate();
                        p.next_index = p.next_index.max(old_next.min(index + 1));
                    }
                }
                let new_next = p.next_index;
                self.emit(Event::MatchIndexAdvanced {
                    follower: from,
                    from: old_match,
                    to: index,
                });
                if new_next != old_next {
                    self.emit(Event::NextIndexMoved {
                        follower: from,
                        from: old_next,
                        to: new_next,
                        reason: NextReason::Matched,
                    });
                }
                if was != ProgressState::Replicate && !waiting {
                    self.emit(Event::ProgressStateChanged {
                        follower: from,
                        state: ProgressState::Replicate,
                    });
                }
                self.maybe_commit();
                if self.role != Role::Leader {
                    return;
                }
                if self.lead_transferee == Some(from) && index == self.log.last_index() {
                    self.send_timeout_now(from);
                }
            }
            // §6: the commit may have appended C_new, which drops `from` (a C_old-only voter).
            let Some(p) = self.progress.get(&from) else {
                return self.release_reads();
            };
            // A heartbeat sent after every append in flight came back before their
            // acknowledgements: they were lost. Probe from match_index + 1 (§5.3).
            if heartbeat && p.inflight_lost(round) {
                return self.fall_back_to_probe(from);
            }
            // A follower that just left probe learns the commit index at once. A reply that shows
            // no progress frees no slot and forces nothing: the window stays exact.
            let just_caught_up = index > old_match && was != ProgressState::Replicate && !waiting;
            let force =
                just_caught_up && p.inflight.is_empty() && self.log.commit_index == old_commit;
            self.send_append(from, force);
        } else {
            let old_next = p.next_index;
            let (new_next, reason) = match p.state {
                // Only the answer to the probe in flight counts; others are stale. A rejection at or
                // below match_index contradicts what the follower acknowledged (§5.3): retrying there
                // would bounce between the two forever, so it is ignored too.
                ProgressState::Probe if index + 1 == p.next_index && index > p.match_index => {
                    match (self.cfg.backtrack, conflict) {
                        // §5.3: decrement nextIndex and retry.
                        (Backtrack::OneByOne, _) => (index, NextReason::Decrement),
                        // §5.3 optimisation: the follower's log is shorter: jump to its end.
                        (Backtrack::ConflictTerm, None) => {
                            ((last_index + 1).min(index), NextReason::Hint)
                        }
                        (Backtrack::ConflictTerm, Some((term, first))) => {
                            // Skip the whole conflicting term: after our last entry of that term, or to its first index.
                            let ours = self.log.last_index_of_term_at_most(term, index);
                            let to = match ours {
                                Some(i) if self.log.term(i) == Some(term) => i + 1,
                                _ => first,
                            };
                            (to.min(index), NextReason::Hint)
                        }
                    }
                }
                // A pipelined append failed (lost or reordered): probe from match_index + 1.
                ProgressState::Replicate if index > p.match_index => {
                    (p.match_index + 1, NextReason::Probe)
                }
                _ => return,
            };
            let p = self.progress.get_mut(&from).expect("checked above");
            let was = p.state;
            p.become_probe();
            p.next_index = new_next.max(p.match_index + 1).max(1);
            let to = p.next_index;
            if was != ProgressState::Probe {
                self.emit(Event::ProgressStateChanged {
                    follower: from,
                    state: ProgressState::Probe,
                });
            }
            self.emit(Event::NextIndexMoved {
                follower: from,
                from: old_next,
                to,
                reason,
            });
            self.send_append(from, true);
        }
        self.release_reads();
    }

    /// The appends in flight to `follower` were lost: probe from match_index + 1 (§5.3).
    fn fall_back_to_probe(&mut self, follower: NodeId) {
        let Some(p) = self.progress.get_mut(&follower) else {
            return;
        };
        let from = p.next_index;
        p.become_probe();
        let to = p.next_index;
        self.emit(Event::ProgressStateChanged {
            follower,
            state: ProgressState::Probe,
        });
        self.emit(Event::NextIndexMoved {
            follower,
            from,
            to,
            reason: NextReason::Probe,
        });
        self.send_append(follower, true);
        self.release_reads();
    }

    fn handle_snapshot(&mut self, leader: NodeId, snapshot: Snapshot) {
        let meta = &snapshot.meta;
        if meta.term > self.current_term || meta.index <= self.log.commit_index {
            // Stale (we already have this much committed) or malformed: report what we have.
            let index = self.log.commit_index;
            return self.reply(leader, Body::InstallSnapshotResponse { index });
        }
        let (index, term) = (meta.index, meta.term);
        let (old_last, old_commit) = (self.log.last_index(), self.log.commit_index);
        let discarded = !self.log.install(snapshot.clone());
        // Figure 13 step 7: the whole log was discarded; report it only if entries after the snapshot went too.
        if discarded && old_last > index {
            self.emit(Event::Truncated { from: index + 1 });
        }
        self.emit(Event::SnapshotInstalled { index, term });
        // §7: a snapshot holds only committed entries, so commit moves up to its last index.
        if self.log.commit_index > old_commit {
            let to = self.log.commit_index;
            self.emit(Event::CommitAdvanced {
                from: old_commit,
                to,
            });
        }
        self.out.snapshot = Some(snapshot.clone());
        self.out.restore = Some(snapshot);
        self.refresh_config();
        self.reply(leader, Body::InstallSnapshotResponse { index });
    }

    fn handle_snapshot_response(&mut self, from: NodeId, index: Index) {
        let leader_last = self.log.last_index();
        let Some(p) = self.progress.get_mut(&from) else {
            return;
        };
        p.recent_active = true;
        if p.state != ProgressState::Snapshot || index > leader_last {
            return;
        }
        let old_next = p.next_index;
        let old_match = p.match_index;
        p.match_index = p.match_index.max(index);
        p.pending_snapshot = p.pending_snapshot.min(index);
        p.become_probe();
        p.next_index = p.match_index + 1;
        let (m, n) = (p.match_index, p.next_index);
        self.emit(Event::ProgressStateChanged {
            follower: from,
            state: ProgressState::Probe,
        });
        if m > old_match {
            self.emit(Event::MatchIndexAdvanced {
                follower: from,
                from: old_match,
                to: m,
            });
        }
        self.emit(Event::NextIndexMoved {
            follower: from,
            from: old_next,
            to: n,
            reason: NextReason::Snapshot,
        });
        self.maybe_commit();
        if self.role == Role::Leader {
            self.send_append(from, true);
        }
    }

    // ----- Commitment (§5.3, §5.4.2) -----------------------------------------

    fn maybe_commit(&mut self) {
        if self.role != Role::Leader {
            return;
        }
        let id = self.id();
        // §10.2.1: the leader counts itself for the entries on its own disk; all
        // of its log when every output is persisted before the next input.
        let last = if self.cfg.wait_for_persist {
            self.stable_index.min(self.log.last_index())
        } else {
            self.log.last_index()
        };
        let progress = &self.progress;
        // A leader outside C_new manages the cluster but does not count itself (§6).
        let index = quorum::committed_index(&self.config, |v| {
            if v == id {
                last
            } else {
                progress.get(&v).map_or(0, |p| p.match_index)
            }
        });
        // §5.4.2: only count replicas of current-term entries.
        let current = self.log.term(index) == Some(self.current_term);
        if index > self.log.commit_index && (current || self.cfg.bugs.commit_previous_term) {
            self.commit_to(index);
            self.on_leader_commit();
        }
    }

    fn commit_to(&mut self, index: Index) {
        let from = self.log.commit_index;
        if self.log.commit_to(index) {
            let to = self.log.commit_index;
            self.emit(Event::CommitAdvanced { from, to });
        }
    }

    fn on_leader_commit(&mut self) {
        // Followers learn the new commit index at once rather than at the next heartbeat.
        let mut to = 0;
        while let Some(follower) = self.follower_after(to) {
            to = follower;
            let paused = self.progress[&to].paused(self.cfg.max_inflight);
            if !paused {
                self.send_append(to, true);
            }
        }
        self.release_reads();
        if self.config_index <= self.log.commit_index {
            if self.config.is_joint() {
                // §6: once C_old,new is committed the leader proposes C_new.
                let next = self.config.apply(&ConfChange::LeaveJoint).expect("joint");
                self.append_and_replicate(EntryData::Config(Box::new(next)));
            } else if !self.config.is_voter(self.id()) {
                // §6: a leader not in C_new steps down once C_new is committed.
                let term = self.current_term;
                self.become_follower(term, None, RoleReason::RemovedFromConfig);
            }
        }
    }

    // ----- Reads (§6.4) ------------------------------------------------------

    /// The latest heartbeat round answered by a quorum (§6.4).
    fn confirmed_round(&self) -> u64 {
        let id = self.id();
        let round = self.rounds.current;
        let progress = &self.progress;
        quorum::committed_index(&self.config, |v| {
            if v == id {
                round
            } else {
                progress.get(&v).map_or(0, |p| p.acked_round)
            }
        })
    }

    /// Dissertation §6.4.1: a follower that heard from this leader grants no vote for
    /// election_timeout_min ticks, so no other leader can exist until that long after the
    /// latest round a quorum answered was sent (less a bound on clock drift). A transfer
    /// ends the lease: TimeoutNow's election ignores the followers' leases.
    fn lease_holds(&self) -> bool {
        if self.role != Role::Leader
            || self.cfg.read_only != ReadOnly::LeaseBased
            || self.lead_transferee.is_some()
            || self.timeout_now_sent
        {
            return false;
        }
        let length = self
            .cfg
            .election_timeout_min
            .saturating_sub(LEASE_CLOCK_DRIFT);
        self.rounds
            .started_at(self.confirmed_round())
            .is_some_and(|start| self.clock < start + u64::from(length))
    }

    fn release_reads(&mut self) {
        if self.role != Role::Leader || self.pending_reads.is_empty() || !self.committed_in_term() {
            return;
        }
        // While the lease holds, leadership is confirmed now, after every pending read arrived.
        let confirmed = if self.lease_holds() {
            u64::MAX
        } else {
            self.confirmed_round()
        };
        let index = self.log.commit_index;
        while let Some(read) = self.pending_reads.front() {
            if read.round > confirmed {
                break;
            }
            let context = read.context;
            self.pending_reads.pop_front();
            self.emit(Event::ReadReady { context, index });
            self.out.read_states.push(ReadState { context, index });
        }
    }

    // ----- Leadership transfer (dissertation §3.10) --------------------------

    fn send_timeout_now(&mut self, to: NodeId) {
        self.timeout_now_sent = true;
        self.emit(Event::TimeoutNowSent { to });
        self.send_message(to, Body::TimeoutNow);
    }

    // ----- Configuration (§6) ------------------------------------------------

    /// The configuration in use is the latest in the log (§6); recompute it
    /// after the log changed and align the leader's progress with it.
    fn refresh_config(&mut self) {
        let (index, config) = self.log.config_at(Index::MAX);
        if index == self.config_index && *config == self.config {
            return;
        }
        self.config_index = index;
        self.config = config.clone();
        self.emit_config();
        if self.role == Role::Leader {
            // A new member is probed with the last entry (the configuration just appended), so it
            // hears from the leader at once instead of at the next heartbeat (§6).
            let next = self.log.last_index().max(1);
            let members = self.config.members();
            self.progress.retain(|id, _| members.contains(id));
            for id in members {
                self.progress
                    .entry(id)
                    .or_insert_with(|| Progress::new(next));
            }
            if let Some(t) = self.lead_transferee.filter(|t| !self.config.is_voter(*t)) {
                self.lead_transferee = None;
                self.emit(Event::TransferAborted { to: t });
            }
        }
    }

    fn emit_config(&mut self) {
        if self.cfg.record_events {
            let ev = Event::ConfigChanged {
                index: self.config_index,
                config: self.config.clone(),
            };
            self.out.events.push(ev);
        }
    }

    // ----- Output helpers ----------------------------------------------------

    fn emit(&mut self, event: Event) {
        if self.cfg.record_events {
            self.out.events.push(event);
        }
    }

    fn ignore(&mut self, m: &Message, reason: IgnoreReason) {
        self.emit(Event::MessageIgnored {
            from: m.from,
            kind: m.body.kind(),
            reason,
        });
    }

    fn send_message(&mut self, to: NodeId, body: Body) {
        let m = Message {
            from: self.id(),
            to,
            term: self.current_term,
            body,
        };
        self.out.messages.push(m);
    }

    fn send_after_persist(&mut self, m: Message) {
        self.out.messages_after_persist.push(m);
    }

    fn reply(&mut self, to: NodeId, body: Body) {
        let m = Message {
            from: self.id(),
            to,
            term: self.current_term,
            body,
        };
        self.send_after_persist(m);
    }
}

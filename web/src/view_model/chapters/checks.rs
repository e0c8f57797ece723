//! What the world is checked for: the conditions a step's moment waits for, and the
//! try-it tasks, each judged from the world's state (never from clicks).

use raft_core::Role;

use crate::cluster::{MembershipView, NodeView, Sim, WorldView};
use crate::view_model::playground::PAGE_CLIENT;

/// The part of the page a caption talks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Ring,
    Logs,
    Transport,
    Spacetime,
    /// The server the caption names (the leader, else a candidate).
    Focus,
    /// The try-it task in the reader.
    Task,
    /// The safety panel (Figure 3's properties).
    Safety,
    /// The throughput panel (the disk, the optimizations, the commit chart).
    Throughput,
}

impl Region {
    /// The `data-highlight` value.
    pub fn name(self) -> &'static str {
        match self {
            Region::Ring => "ring",
            Region::Logs => "logs",
            Region::Transport => "transport",
            Region::Spacetime => "spacetime",
            Region::Focus => "server",
            Region::Task => "task",
            Region::Safety => "safety",
            Region::Throughput => "throughput",
        }
    }

    /// The CSS selector of the region on the page, given the server in focus.
    pub fn selector(self, focus: Option<u64>) -> String {
        match (self, focus) {
            (Region::Ring, _) | (Region::Focus, None) => "[data-testid=cluster]".into(),
            (Region::Logs, _) => "[data-testid=logs]".into(),
            (Region::Transport, _) => "[data-testid=transport]".into(),
            (Region::Spacetime, _) => "[data-testid=spacetime-panel]".into(),
            (Region::Focus, Some(id)) => format!("[data-testid=node][data-node-id=\"{id}\"]"),
            (Region::Task, _) => "[data-testid=task]".into(),
            (Region::Safety, _) => "[data-testid=safety]".into(),
            (Region::Throughput, _) => "[data-testid=throughput]".into(),
        }
    }
}

/// A condition on the world that ends a step's search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cond {
    /// Some running server is a candidate.
    Candidate,
    /// At least two running servers are candidates at once.
    TwoCandidates,
    /// No running server is a leader or a candidate.
    NoCandidateNorLeader,
    /// One leader, and every running server is in its term and knows it leads.
    LeaderKnown,
    /// The leader's last entry is a command it has not committed yet.
    Appended,
    /// The leader committed its last entry, a command, and some follower has not learnt it yet.
    CommittedOnLeader,
    /// Every running server committed and applied the leader's last entry, a command.
    CommittedEverywhere,
    /// The leader's next_index for this follower is this index.
    NextIndex { follower: u64, index: u64 },
    /// A leader, and every running server's log equals its log.
    LogsEqual,
    /// The leader has compacted its log (§7).
    Compacted,
    /// This follower is running and holds a snapshot.
    HasSnapshot { follower: u64 },
    /// The leader's configuration is joint (C_old,new, §6).
    Joint,
    /// The leader's configuration is exactly these voters, committed, not joint.
    Reconfigured(&'static [u64]),
    /// `learner` is a learner of the leader's configuration and its log equals the leader's.
    LearnerCaughtUp { learner: u64 },
    /// `client` has had `ops` operations answered ok (§8).
    ClientOk { client: u64, ops: usize },
    /// Server `node` runs in a term at least `by` above the leader's.
    TermsAhead { node: u64, by: u64 },
    /// Server `node` runs and does not lead.
    SteppedDown { node: u64 },
    /// A server other than `old` leads, in a later term than `old`'s.
    NewLeader { old: u64 },
}

/// The running leader of the highest term, if any.
pub fn leader(v: &WorldView) -> Option<&NodeView> {
    v.nodes
        .iter()
        .filter(|n| n.alive && n.role == Role::Leader)
        .max_by_key(|n| n.term)
}

fn last_is_command(n: &NodeView) -> bool {
    n.log.last().is_some_and(|e| e.label.starts_with("cmd"))
}

pub(super) fn last_index(n: &NodeView) -> u64 {
    n.log.last().map_or(n.snapshot_index, |e| e.index)
}

/// How many operations `client` has had answered ok.
pub(super) fn ops_ok(sim: &Sim, client: u64) -> usize {
    sim.world()
        .history()
        .iter()
        .filter(|e| e.client == client && matches!(e.outcome, raft_sim::client::Outcome::Ok(_)))
        .count()
}

impl Cond {
    /// Whether the condition holds in the world `sim`.
    pub fn holds(self, sim: &Sim) -> bool {
        if let Cond::ClientOk { client, ops } = self {
            return ops_ok(sim, client) >= ops;
        }
        self.holds_in(&sim.view(), &sim.membership())
    }

    /// Whether the condition holds in `v`, whose configuration (as the page shows it) is `m`.
    fn holds_in(self, v: &WorldView, m: &MembershipView) -> bool {
        let running = || v.nodes.iter().filter(|n| n.alive);
        let role = |r: Role| running().filter(|n| n.role == r).count();
        match self {
            Cond::Candidate => role(Role::Candidate) >= 1,
            Cond::TwoCandidates => role(Role::Candidate) >= 2,
            Cond::NoCandidateNorLeader => role(Role::Candidate) + role(Role::Leader) == 0,
            Cond::LeaderKnown => leader(v).is_some_and(|l| {
                role(Role::Leader) == 1
                    && running().all(|n| n.term == l.term && n.leader_id == Some(l.id))
            }),
            Cond::Appended => leader(v).is_some_and(|l| {
                l.log
                    .last()
                    .is_some_and(|e| e.label.starts_with("cmd") && e.index > l.commit)
            }),
            Cond::CommittedOnLeader => leader(v).is_some_and(|l| {
                let last = last_index(l);
                last_is_command(l) && l.commit == last && running().any(|n| n.commit < last)
            }),
            Cond::CommittedEverywhere => leader(v).is_some_and(|l| {
                let last = last_index(l);
                last_is_command(l) && running().all(|n| n.commit >= last && n.last_applied >= last)
            }),
            Cond::NextIndex { follower, index } => leader(v).is_some_and(|l| {
                l.progress
                    .iter()
                    .any(|p| p.follower == follower && p.next_index == index)
            }),
            Cond::Compacted => leader(v).is_some_and(|l| l.snapshot_index > 0),
            Cond::HasSnapshot { follower } => v
                .nodes
                .iter()
                .any(|n| n.id == follower && n.alive && n.snapshot_index > 0),
            Cond::LogsEqual => {
                leader(v).is_some_and(|l| running().all(|n| n.log == l.log && n.commit == l.commit))
            }
            Cond::Joint => m.seen_by_leader && m.is_joint(),
            Cond::Reconfigured(voters) => {
                m.seen_by_leader && !m.is_joint() && !m.uncommitted && m.voters == voters
            }
            Cond::LearnerCaughtUp { learner } => {
                m.seen_by_leader
                    && m.learners.contains(&learner)
                    && leader(v).is_some_and(|l| {
                        v.nodes
                            .iter()
                            .any(|n| n.id == learner && n.alive && n.log == l.log)
                    })
            }
            Cond::ClientOk { .. } => false,
            Cond::TermsAhead { node, by } => {
                leader(v).is_some_and(|l| running().any(|n| n.id == node && n.term >= l.term + by))
            }
            Cond::SteppedDown { node } => running().any(|n| n.id == node && n.role != Role::Leader),
            Cond::NewLeader { old } => leader(v).is_some_and(|l| {
                l.id != old && v.nodes.iter().any(|o| o.id == old && o.term < l.term)
            }),
        }
    }
}

/// When a step's moment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// This simulated time (µs).
    Time(u64),
    /// The first millisecond from `from_us` on at which `cond` holds.
    When { from_us: u64, cond: Cond },
}

/// A try-it task: the reader acts on the world; the world's state says when it is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// Crash the leader; a new leader is elected in a higher term.
    CrashLeader,
    /// Too few servers left for a majority: elections repeat, terms climb, no leader.
    NoMajority,
    /// With a follower down, a new command is committed by the leader.
    CommitWithFollowerDown,
    /// A follower crashed and came back, entries were added, and its log
    /// equals the leader's again.
    RepairFollower,
    /// A leader cut off from a majority holds a command it cannot commit.
    WriteInMinority,
    /// A candidate whose log is behind was refused a vote for that reason.
    StaleCandidateLoses,
    /// A follower installed a leader's snapshot.
    InstallSnapshot,
    /// Remove the leader from the configuration; it steps down once that commits.
    RemoveLeader,
    /// With a rule broken on purpose, the checker finds one of Figure 3's properties violated.
    BreakSafety,
    /// The leader crashed with the page's write in flight; the client timed out on it,
    /// retried elsewhere with the same request id, and got its answer (§8).
    RetryAfterCrash,
    /// The leader, cut off from a majority, stepped down by itself (CheckQuorum) and
    /// another server leads.
    LeaderStepsDown,
    /// With optimizations switched off and the disk no slower, the commit latency
    /// over the last second is more than twice what it was at the step.
    UndoOptimizations,
}

impl Task {
    pub fn text_key(self) -> &'static str {
        match self {
            Task::CrashLeader => "learn.task.crash_leader",
            Task::NoMajority => "learn.task.no_majority",
            Task::CommitWithFollowerDown => "learn.task.commit_follower_down",
            Task::RepairFollower => "learn.task.repair_follower",
            Task::WriteInMinority => "learn.task.write_in_minority",
            Task::StaleCandidateLoses => "learn.task.stale_candidate",
            Task::InstallSnapshot => "learn.task.install_snapshot",
            Task::RemoveLeader => "learn.task.remove_leader",
            Task::BreakSafety => "learn.task.break_safety",
            Task::RetryAfterCrash => "learn.task.retry_after_crash",
            Task::LeaderStepsDown => "learn.task.leader_steps_down",
            Task::UndoOptimizations => "learn.task.undo_optimizations",
        }
    }

    /// The server the task names (for its text), from the step's world.
    pub fn target(self, base: &WorldView) -> Option<u64> {
        leader(base).map(|l| l.id)
    }

    /// Whether the world `sim` shows the task done, compared with the step's world `base`.
    pub fn done(self, base: &WorldView, sim: &Sim) -> bool {
        let v = sim.view();
        let base_leader = leader(base);
        let now_leader = leader(&v);
        match self {
            // §5.2: the followers' timers run out without heartbeats; a new term's leader.
            Task::CrashLeader => match (base_leader, now_leader) {
                (Some(old), Some(new)) => {
                    new.id != old.id
                        && new.term > old.term
                        && sim
                            .journal(base.now_us)
                            .marks
                            .iter()
                            .any(|m| m.node == old.id && m.t >= base.now_us && is_crash(m))
                }
                _ => false,
            },
            // §5.2: a candidate needs votes from a majority of the whole cluster.
            Task::NoMajority => {
                let running: Vec<&NodeView> = v.nodes.iter().filter(|n| n.alive).collect();
                let max_term =
                    |ns: &mut dyn Iterator<Item = &NodeView>| ns.map(|n| n.term).max().unwrap_or(0);
                running.len() * 2 <= v.nodes.len()
                    && now_leader.is_none()
                    && max_term(&mut running.iter().copied())
                        >= max_term(&mut base.nodes.iter()) + 2
            }
            // §5.3: a majority, not every server, must store an entry to commit it.
            Task::CommitWithFollowerDown => now_leader.is_some_and(|l| {
                let before = base_leader.map_or(0, last_index);
                v.nodes.iter().any(|n| !n.alive)
                    && l.log.iter().any(|e| {
                        e.label.starts_with("cmd") && e.index > before && e.index <= l.commit
                    })
            }),
            // §5.3: the consistency check finds where the logs agree; the leader sends the rest.
            Task::RepairFollower => now_leader.is_some_and(|l| {
                let marks = sim.journal(base.now_us).marks;
                let before = base_leader.map_or(0, last_index);
                let came_back = |id: u64| {
                    let crash = marks
                        .iter()
                        .find(|m| m.node == id && m.t >= base.now_us && is_crash(m));
                    crash.is_some_and(|c| {
                        marks.iter().any(|m| {
                            m.node == id
                                && m.t >= c.t
                                && matches!(m.kind, crate::cluster::LaneMarkKind::Restart)
                        })
                    })
                };
                last_index(l) > before
                    && v.nodes
                        .iter()
                        .any(|n| n.id != l.id && n.alive && came_back(n.id) && n.log == l.log)
            }),
            // §5.4.1: a voter refuses a candidate whose log is less up to date than its own.
            Task::StaleCandidateLoses => v.events.iter().any(|e| {
                e.t >= base.now_us
                    && matches!(
                        e.event,
                        raft_core::Event::VoteDenied {
                            pre: false,
                            reason: raft_core::DenyReason::LogNotUpToDate { .. },
                            ..
                        }
                    )
            }),
            // §7: a follower too far behind gets the leader's snapshot.
            // Dissertation §4.2.2: a leader left out of C_new leads until C_new commits,
            // then steps down; the remaining servers elect a leader among themselves.
            Task::RemoveLeader => base_leader.is_some_and(|old| {
                let m = sim.membership();
                !m.contains(old.id)
                    && !m.is_joint()
                    && !m.uncommitted
                    && now_leader.is_some_and(|new| new.id != old.id && m.is_voter(new.id))
            }),
            Task::InstallSnapshot => v.events.iter().any(|e| {
                e.t > base.now_us && matches!(e.event, raft_core::Event::SnapshotInstalled { .. })
            }),
            // Dissertation §6.2: a leader that has not heard from a majority for an
            // election timeout steps down.
            Task::LeaderStepsDown => base_leader.is_some_and(|old| {
                v.events.iter().any(|e| {
                    e.node == old.id
                        && e.t > base.now_us
                        && matches!(
                            e.event,
                            raft_core::Event::RoleChanged {
                                reason: raft_core::RoleReason::CheckQuorumFailed,
                                ..
                            }
                        )
                }) && now_leader.is_some_and(|l| l.id != old.id && l.term > old.term)
            }),
            // §8: a client that hears nothing retries the same request elsewhere.
            Task::RetryAfterCrash => base_leader.is_some_and(|old| {
                let c = sim.client(PAGE_CLIENT);
                c.ops.iter().any(|op| {
                    op.invoked_at >= base.now_us
                        && matches!(op.outcome, Some((_, raft_sim::client::Outcome::Ok(_))))
                        && c.steps.iter().any(|s| {
                            s.req == op.req
                                && matches!(s.event, crate::cluster::AttemptEvent::TimedOut { server } if server == old.id)
                        })
                })
            }),
            // Batching and pipelining (dissertation §10.2.2), parallel append (§10.2.1) and
            // TiKV's async apply each hide part
            // of the disk's cost; without them the same disk makes commits slower.
            Task::UndoOptimizations => {
                match (base.commit.mean_latency_us, v.commit.mean_latency_us) {
                    (Some(was), Some(now)) => {
                        v.disk.latency_us <= base.disk.latency_us && now > 2 * was
                    }
                    _ => false,
                }
            }
            // Figure 3: the properties hold whatever the faults; only a broken rule breaks them.
            Task::BreakSafety => sim.world().violations().iter().any(|x| {
                x.t >= base.now_us && raft_sim::Invariant::FIGURE_3.contains(&x.invariant)
            }),
            // §5.3: without a majority the leader's new entry never commits.
            Task::WriteInMinority => v.nodes.iter().any(|l| {
                let before = base_leader.map_or(0, last_index);
                l.alive
                    && l.role == Role::Leader
                    && !reaches_majority(&v, l.id)
                    && l.log.iter().any(|e| {
                        e.label.starts_with("cmd") && e.index > before && e.index > l.commit
                    })
            }),
        }
    }
}

fn is_crash(m: &crate::cluster::LaneMark) -> bool {
    matches!(m.kind, crate::cluster::LaneMarkKind::Crash)
}

/// Whether server `id` can reach a majority of the servers (itself included)
/// over links that are not cut, to running servers.
pub(super) fn reaches_majority(v: &WorldView, id: u64) -> bool {
    let reach = v
        .nodes
        .iter()
        .filter(|n| n.id == id || (n.alive && !v.cuts.contains(&(id, n.id))))
        .count();
    reach * 2 > v.nodes.len()
}

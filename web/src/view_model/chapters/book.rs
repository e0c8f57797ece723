//! The chapters themselves: each step's scenario, moment, caption, highlight and task.
//! The captions' text is in the string tables (`crate::i18n`, section `learn`).

use super::checks::{At, Cond, Region, Task};
use super::STRIDE_US;

/// One step of a chapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The library scenario the step shows.
    pub scenario: &'static str,
    pub at: At,
    /// The caption's key; `{node}`, `{term}` and `{index}` are filled from the world.
    pub caption: &'static str,
    pub highlight: Region,
    pub task: Option<Task>,
}

/// A chapter: its number in the list, title and steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    pub number: usize,
    pub title: &'static str,
    pub steps: &'static [Step],
}

const fn step(scenario: &'static str, at: At, caption: &'static str, highlight: Region) -> Step {
    Step {
        scenario,
        at,
        caption,
        highlight,
        task: None,
    }
}

const fn task(
    scenario: &'static str,
    at: At,
    caption: &'static str,
    highlight: Region,
    task: Task,
) -> Step {
    Step {
        scenario,
        at,
        caption,
        highlight,
        task: Some(task),
    }
}

const BASICS: &str = "chapter-basics";
/// When the basics scenario's client puts x = 1.
pub(super) const BASICS_PUT_US: u64 = 500_000;
/// The moment one leader is known to all (chapter-basics).
const LEADER_KNOWN: At = At::When {
    from_us: 0,
    cond: Cond::LeaderKnown,
};
/// The moment x = 1 is applied everywhere (chapter-basics).
const ALL_APPLIED: At = At::When {
    from_us: BASICS_PUT_US,
    cond: Cond::CommittedEverywhere,
};
/// The moment every log equals the leader's.
const LOGS_EQUAL: At = At::When {
    from_us: 0,
    cond: Cond::LogsEqual,
};
const SPLIT: &str = "split-vote";
/// When S1 and S2 campaign in the split-vote scenario.
const SPLIT_CAMPAIGN_US: u64 = 20_000;
const BACKTRACK: &str = "backtracking";
const FIGURE7: &str = "figure7-repair";
const PARTITION: &str = "partition-3-2";
const SNAPSHOT: &str = "snapshot-catch-up";
/// When S3 restarts in the snapshot scenario.
const SNAPSHOT_RESTART_US: u64 = 1_500_000;
/// The moment S3 holds the snapshot the leader sent it.
const SNAPSHOT_INSTALLED: At = At::When {
    from_us: SNAPSHOT_RESTART_US,
    cond: Cond::HasSnapshot { follower: 3 },
};
const LEARNER: &str = "membership-learner";
/// When S4 is added as a learner, and when it is made a voter (membership-learner).
const LEARNER_ADDED_US: u64 = 600_000;
const LEARNER_PROMOTED_US: u64 = 1_500_000;
/// The moment the learner S4's log matches the leader's.
const LEARNER_CAUGHT_UP: At = At::When {
    from_us: LEARNER_ADDED_US,
    cond: Cond::LearnerCaughtUp { learner: 4 },
};
const JOINT: &str = "joint-consensus";
/// When the leader proposes C_old,new (joint-consensus).
const JOINT_ENTER_US: u64 = 500_000;
/// The moment C_new = {1,2,4} is committed.
const JOINT_DONE: At = At::When {
    from_us: JOINT_ENTER_US,
    cond: Cond::Reconfigured(&[1, 2, 4]),
};
const CLIENTS: &str = "chapter-clients";
/// When client 1 writes, appends, client 2 reads, and client 2 reads from the cut-off S1
/// (chapter-clients).
const CLIENT_PUT_US: u64 = 100_000;
const CLIENT_APPEND_US: u64 = 300_000;
const CLIENT_READ_US: u64 = 700_000;
const CLIENT_STALE_READ_US: u64 = 1_600_000;
const PREVOTE: &str = "prevote-disruption";
/// When S3 is cut off, the network heals, and (PreVote on) heals again (prevote-disruption).
const PREVOTE_CUT_US: u64 = 200_000;
const PREVOTE_HEAL_US: u64 = 1_500_000;
const PREVOTE_HEAL_AGAIN_US: u64 = 3_600_000;
const CHECK_QUORUM: &str = "check-quorum";
/// When the leader S1 is cut off (check-quorum).
const CHECK_QUORUM_CUT_US: u64 = 400_000;
/// When the network heals (check-quorum).
const CHECK_QUORUM_HEAL_US: u64 = 1_200_000;
/// The moment S2 and S3 have a leader of a later term (check-quorum).
const CHECK_QUORUM_NEW_LEADER: At = At::When {
    from_us: CHECK_QUORUM_CUT_US,
    cond: Cond::NewLeader { old: 1 },
};
const FIGURE8: &str = "figure8-safe";
pub(super) const FIGURE8_BUG: &str = "figure8-commit-previous-term";
/// Figure 8 (c): S1 leads term 4 and its term-2 entry is on a majority, just before S1 crashes.
const FIGURE8_C_US: u64 = 164_000;
/// After S1's crash: the moment every running log equals the new leader's.
const FIGURE8_D: At = At::When {
    from_us: 200_000,
    cond: Cond::LogsEqual,
};

pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        number: 1,
        title: "learn.1.title",
        steps: &[
            step(BASICS, At::Time(0), "learn.1.start", Region::Ring),
            step(
                BASICS,
                At::When {
                    from_us: 0,
                    cond: Cond::Candidate,
                },
                "learn.1.candidate",
                Region::Focus,
            ),
            step(BASICS, LEADER_KNOWN, "learn.1.leader", Region::Focus),
            task(
                BASICS,
                LEADER_KNOWN,
                "learn.1.try",
                Region::Task,
                Task::CrashLeader,
            ),
        ],
    },
    Chapter {
        number: 2,
        title: "learn.2.title",
        steps: &[
            step(SPLIT, At::Time(0), "learn.2.start", Region::Ring),
            step(
                SPLIT,
                At::When {
                    from_us: SPLIT_CAMPAIGN_US,
                    cond: Cond::TwoCandidates,
                },
                "learn.2.candidates",
                Region::Ring,
            ),
            step(
                SPLIT,
                At::When {
                    from_us: SPLIT_CAMPAIGN_US + STRIDE_US,
                    cond: Cond::NoCandidateNorLeader,
                },
                "learn.2.split",
                Region::Spacetime,
            ),
            step(
                SPLIT,
                At::When {
                    from_us: SPLIT_CAMPAIGN_US,
                    cond: Cond::LeaderKnown,
                },
                "learn.2.retry",
                Region::Focus,
            ),
            task(
                SPLIT,
                At::When {
                    from_us: SPLIT_CAMPAIGN_US,
                    cond: Cond::LogsEqual,
                },
                "learn.2.try",
                Region::Task,
                Task::NoMajority,
            ),
        ],
    },
    Chapter {
        number: 3,
        title: "learn.3.title",
        steps: &[
            step(BASICS, LEADER_KNOWN, "learn.3.leader", Region::Logs),
            step(
                BASICS,
                At::When {
                    from_us: BASICS_PUT_US,
                    cond: Cond::Appended,
                },
                "learn.3.appended",
                Region::Logs,
            ),
            step(
                BASICS,
                At::When {
                    from_us: BASICS_PUT_US,
                    cond: Cond::CommittedOnLeader,
                },
                "learn.3.committed",
                Region::Logs,
            ),
            step(BASICS, ALL_APPLIED, "learn.3.everywhere", Region::Logs),
            task(
                BASICS,
                ALL_APPLIED,
                "learn.3.try",
                Region::Task,
                Task::CommitWithFollowerDown,
            ),
        ],
    },
    Chapter {
        number: 4,
        title: "learn.4.title",
        steps: &[
            step(BACKTRACK, At::Time(0), "learn.4.example", Region::Logs),
            step(
                BACKTRACK,
                At::When {
                    from_us: 0,
                    cond: Cond::NextIndex {
                        follower: 2,
                        index: 2,
                    },
                },
                "learn.4.rejected",
                Region::Logs,
            ),
            step(BACKTRACK, LOGS_EQUAL, "learn.4.matched", Region::Logs),
            step(FIGURE7, At::Time(0), "learn.4.figure7", Region::Logs),
            step(
                FIGURE7,
                LOGS_EQUAL,
                "learn.4.figure7_repaired",
                Region::Logs,
            ),
            task(
                BACKTRACK,
                LOGS_EQUAL,
                "learn.4.try",
                Region::Task,
                Task::RepairFollower,
            ),
        ],
    },
    Chapter {
        number: 5,
        title: "learn.5.title",
        steps: &[
            step(FIGURE8, At::Time(90_000), "learn.5.start", Region::Logs),
            step(
                FIGURE8,
                At::Time(FIGURE8_C_US),
                "learn.5.not_committed",
                Region::Logs,
            ),
            step(FIGURE8, FIGURE8_D, "learn.5.overwritten", Region::Logs),
            step(
                FIGURE8_BUG,
                At::Time(FIGURE8_C_US),
                "learn.5.bug_committed",
                Region::Logs,
            ),
            step(FIGURE8_BUG, FIGURE8_D, "learn.5.bug_lost", Region::Logs),
            task(
                BASICS,
                ALL_APPLIED,
                "learn.5.try",
                Region::Task,
                Task::StaleCandidateLoses,
            ),
        ],
    },
    Chapter {
        number: 6,
        title: "learn.6.title",
        steps: &[
            step(BASICS, ALL_APPLIED, "learn.6.panel", Region::Safety),
            step(
                SPLIT,
                At::When {
                    from_us: SPLIT_CAMPAIGN_US,
                    cond: Cond::LeaderKnown,
                },
                "learn.6.election",
                Region::Focus,
            ),
            step(FIGURE7, LOGS_EQUAL, "learn.6.matching", Region::Logs),
            step(FIGURE8, FIGURE8_D, "learn.6.completeness", Region::Logs),
            step(FIGURE8_BUG, FIGURE8_D, "learn.6.broken", Region::Safety),
            task(
                BASICS,
                ALL_APPLIED,
                "learn.6.try",
                Region::Task,
                Task::BreakSafety,
            ),
        ],
    },
    Chapter {
        number: 7,
        title: "learn.7.title",
        steps: &[
            step(PARTITION, At::Time(900_000), "learn.7.before", Region::Ring),
            step(
                PARTITION,
                At::Time(1_500_000),
                "learn.7.minority",
                Region::Logs,
            ),
            step(
                PARTITION,
                At::Time(2_900_000),
                "learn.7.majority",
                Region::Ring,
            ),
            step(
                PARTITION,
                At::Time(3_500_000),
                "learn.7.healed",
                Region::Logs,
            ),
            task(
                BASICS,
                ALL_APPLIED,
                "learn.7.try",
                Region::Task,
                Task::WriteInMinority,
            ),
        ],
    },
    Chapter {
        number: 8,
        title: "learn.8.title",
        steps: &[
            step(
                CLIENTS,
                At::When {
                    from_us: CLIENT_PUT_US,
                    cond: Cond::ClientOk { client: 1, ops: 1 },
                },
                "learn.8.redirect",
                Region::Spacetime,
            ),
            step(
                CLIENTS,
                At::When {
                    from_us: CLIENT_APPEND_US,
                    cond: Cond::ClientOk { client: 1, ops: 2 },
                },
                "learn.8.retry",
                Region::Spacetime,
            ),
            step(
                CLIENTS,
                At::When {
                    from_us: CLIENT_READ_US,
                    cond: Cond::ClientOk { client: 2, ops: 1 },
                },
                "learn.8.read",
                Region::Spacetime,
            ),
            step(
                CLIENTS,
                At::When {
                    from_us: CLIENT_STALE_READ_US,
                    cond: Cond::ClientOk { client: 2, ops: 2 },
                },
                "learn.8.stale",
                Region::Ring,
            ),
            task(
                BASICS,
                ALL_APPLIED,
                "learn.8.try",
                Region::Task,
                Task::RetryAfterCrash,
            ),
        ],
    },
    Chapter {
        number: 9,
        title: "learn.9.title",
        steps: &[
            step(SNAPSHOT, At::Time(150_000), "learn.9.down", Region::Ring),
            step(
                SNAPSHOT,
                At::When {
                    from_us: 200_000,
                    cond: Cond::Compacted,
                },
                "learn.9.compacted",
                Region::Logs,
            ),
            step(
                SNAPSHOT,
                SNAPSHOT_INSTALLED,
                "learn.9.installed",
                Region::Logs,
            ),
            task(
                SNAPSHOT,
                SNAPSHOT_INSTALLED,
                "learn.9.try",
                Region::Task,
                Task::InstallSnapshot,
            ),
        ],
    },
    Chapter {
        number: 10,
        title: "learn.10.title",
        steps: &[
            step(LEARNER, LEARNER_CAUGHT_UP, "learn.10.learner", Region::Logs),
            step(
                LEARNER,
                At::When {
                    from_us: LEARNER_PROMOTED_US,
                    cond: Cond::Reconfigured(&[1, 2, 3, 4]),
                },
                "learn.10.promoted",
                Region::Ring,
            ),
            step(
                JOINT,
                At::When {
                    from_us: JOINT_ENTER_US,
                    cond: Cond::Joint,
                },
                "learn.10.joint",
                Region::Logs,
            ),
            step(JOINT, JOINT_DONE, "learn.10.new", Region::Ring),
            task(
                JOINT,
                JOINT_DONE,
                "learn.10.try",
                Region::Task,
                Task::RemoveLeader,
            ),
        ],
    },
    Chapter {
        number: 11,
        title: "learn.11.title",
        steps: &[
            step(
                PREVOTE,
                At::When {
                    from_us: PREVOTE_CUT_US,
                    cond: Cond::TermsAhead { node: 3, by: 3 },
                },
                "learn.11.climb",
                Region::Ring,
            ),
            step(
                PREVOTE,
                At::When {
                    from_us: PREVOTE_HEAL_US,
                    cond: Cond::LeaderKnown,
                },
                "learn.11.disrupted",
                Region::Spacetime,
            ),
            step(
                PREVOTE,
                At::When {
                    from_us: PREVOTE_HEAL_AGAIN_US,
                    cond: Cond::LogsEqual,
                },
                "learn.11.prevote",
                Region::Ring,
            ),
            step(
                CHECK_QUORUM,
                At::When {
                    from_us: CHECK_QUORUM_CUT_US,
                    cond: Cond::SteppedDown { node: 1 },
                },
                "learn.11.check_quorum",
                Region::Ring,
            ),
            step(
                CHECK_QUORUM,
                CHECK_QUORUM_NEW_LEADER,
                "learn.11.zab",
                Region::Ring,
            ),
            task(
                CHECK_QUORUM,
                At::When {
                    from_us: CHECK_QUORUM_HEAL_US,
                    cond: Cond::LeaderKnown,
                },
                "learn.11.try",
                Region::Task,
                Task::LeaderStepsDown,
            ),
        ],
    },
    Chapter {
        number: 12,
        title: "learn.12.title",
        steps: &[
            step(
                OPTIMIZATIONS,
                At::Time(OPT_PHASE_END_US[0]),
                "learn.12.disk",
                Region::Throughput,
            ),
            step(
                OPTIMIZATIONS,
                At::Time(OPT_PHASE_END_US[1]),
                "learn.12.batching",
                Region::Throughput,
            ),
            step(
                OPTIMIZATIONS,
                At::Time(OPT_PHASE_END_US[2]),
                "learn.12.pipelining",
                Region::Throughput,
            ),
            step(
                OPTIMIZATIONS,
                At::Time(OPT_PHASE_END_US[3]),
                "learn.12.parallel",
                Region::Throughput,
            ),
            step(
                OPTIMIZATIONS,
                At::Time(OPT_PHASE_END_US[4]),
                "learn.12.async",
                Region::Throughput,
            ),
            task(
                OPTIMIZATIONS,
                At::Time(OPT_PHASE_END_US[4]),
                "learn.12.try",
                Region::Task,
                Task::UndoOptimizations,
            ),
        ],
    },
];

/// Chapter 12's scenario: a 5 ms disk, then batching off at 2 s, pipelining off at 4 s,
/// both on with parallel append at 6 s, async apply at 8 s.
pub(super) const OPTIMIZATIONS: &str = "chapter-optimizations";
/// Just before each change of chapter 12's scenario, so the step shows the second before.
pub(super) const OPT_PHASE_END_US: [u64; 5] =
    [1_990_000, 3_990_000, 5_990_000, 7_990_000, 9_990_000];

/// The chapter numbered `number`.
pub fn chapter(number: usize) -> Option<&'static Chapter> {
    CHAPTERS.iter().find(|c| c.number == number)
}

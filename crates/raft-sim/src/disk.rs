//! Each server's disk, when writing takes time (dissertation §10.2.1).
//!
//! A server hands its disk two kinds of work: log writes (term, vote, entries,
//! snapshot: what Figure 2 says must be on stable storage before answering)
//! and applies (committed entries into the state machine, which lives on disk
//! too). One disk does one job at a time, in order, each taking the disk
//! latency; work handed over while a job of the same kind waits to start
//! joins it (group commit). With "async apply" the applies go to a second
//! queue of their own, so they never hold up a log write.
//!
//! Messages that promise persisted state wait for the writes queued before
//! them; without "parallel append" the leader's AppendEntries wait for its
//! own write too (write, then send), with it they go at once.
//!
//! With latency 0 and nothing queued, the world persists and applies within
//! the input, as before the disk model existed.

use std::collections::VecDeque;

use raft_core::{Entry, Message, Output, Snapshot};
use serde::{Deserialize, Serialize};

/// How the servers' disks behave; everything off by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DiskConfig {
    /// How long one write or one apply takes, in microseconds (0: instant).
    pub latency_us: u64,
    /// The leader sends AppendEntries while its own write is under way, and may
    /// commit on its followers' writes alone (§10.2.1; TiKV's parallel append).
    pub parallel_append: bool,
    /// Committed entries are applied by a second queue, off the log's disk; the
    /// client's answer still waits for the apply (TiKV's asynchronous apply).
    pub async_apply: bool,
}

/// The longest disk latency a setting may ask for.
pub const MAX_DISK_LATENCY_US: u64 = 1_000_000;

/// What a server asked its disk to do.
#[derive(Clone, Debug)]
pub(crate) enum Job {
    /// Persist these outputs' state in order; then the log is on disk up to
    /// `stable` (index, term of that entry).
    Write {
        parts: Vec<Output>,
        stable: Option<(u64, u64)>,
    },
    /// Load `restore` into the state machine, then apply `committed`.
    Apply {
        restore: Option<Snapshot>,
        committed: Vec<Entry>,
    },
}

impl Job {
    fn joins(&self, other: &Job) -> bool {
        match (self, other) {
            (Job::Write { .. }, Job::Write { .. }) => true,
            // A restore would reorder with the entries already waiting.
            (Job::Apply { .. }, Job::Apply { restore, .. }) => restore.is_none(),
            _ => false,
        }
    }

    fn absorb(&mut self, other: Job) {
        match (self, other) {
            (
                Job::Write { parts, stable },
                Job::Write {
                    parts: more,
                    stable: later,
                },
            ) => {
                parts.extend(more);
                if later.is_some() {
                    *stable = later;
                }
            }
            (
                Job::Apply { committed, .. },
                Job::Apply {
                    committed: more, ..
                },
            ) => committed.extend(more),
            _ => unreachable!("joins() said they do not"),
        }
    }
}

/// A job in a queue, with the messages that wait for it.
#[derive(Clone, Debug)]
pub(crate) struct Queued {
    pub start_at: u64,
    pub done_at: u64,
    pub job: Job,
    pub held: Vec<Message>,
}

/// One queue of jobs (the log's disk, or the applier).
#[derive(Clone, Debug, Default)]
pub(crate) struct Queue {
    jobs: VecDeque<Queued>,
}

impl Queue {
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether an apply is queued.
    pub fn has_apply(&self) -> bool {
        self.jobs.iter().any(|q| matches!(q.job, Job::Apply { .. }))
    }

    /// Queues `job` at `now`: it joins the last job if that one has not started
    /// and is of the same kind, else starts when the last one is done. Returns
    /// the new job's finishing time, to be scheduled, or None if it joined.
    pub fn push(&mut self, now: u64, latency: u64, job: Job) -> Option<u64> {
        if let Some(last) = self.jobs.back_mut() {
            if last.start_at > now && last.job.joins(&job) {
                last.job.absorb(job);
                return None;
            }
        }
        let start_at = self.jobs.back().map_or(now, |q| q.done_at.max(now));
        let done_at = start_at + latency;
        self.jobs.push_back(Queued {
            start_at,
            done_at,
            job,
            held: Vec::new(),
        });
        Some(done_at)
    }

    /// Messages that must wait for everything queued so far.
    pub fn hold(&mut self, messages: impl IntoIterator<Item = Message>) {
        if let Some(last) = self.jobs.back_mut() {
            last.held.extend(messages);
        }
    }

    pub fn pop(&mut self) -> Option<Queued> {
        self.jobs.pop_front()
    }

    pub fn clear(&mut self) {
        self.jobs.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(last: u64) -> Job {
        Job::Write {
            parts: vec![Output::default()],
            stable: Some((last, 1)),
        }
    }

    #[test]
    fn jobs_run_one_at_a_time_and_waiting_writes_join() {
        let mut q = Queue::default();
        assert_eq!(q.push(0, 10, write(1)), Some(10));
        // The disk is busy until 10: the next write waits, then takes 10.
        assert_eq!(q.push(3, 10, write(2)), Some(20));
        // A third write while the second waits joins it (group commit).
        assert_eq!(q.push(5, 10, write(3)), None);
        assert_eq!(q.len(), 2);
        let first = q.pop().unwrap();
        assert_eq!(first.done_at, 10);
        match q.pop().unwrap().job {
            Job::Write { parts, stable } => {
                assert_eq!(parts.len(), 2);
                assert_eq!(stable, Some((3, 1)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_apply_does_not_join_a_write() {
        let mut q = Queue::default();
        q.push(0, 10, write(1));
        q.push(1, 10, write(2));
        let apply = Job::Apply {
            restore: None,
            committed: vec![],
        };
        assert_eq!(q.push(2, 10, apply), Some(30));
        assert_eq!(q.push(3, 10, write(3)), Some(40));
    }
}

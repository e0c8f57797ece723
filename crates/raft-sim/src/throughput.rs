//! Committed entries per simulated second and commit latency, as the leader
//! sees them: from the leader appending an entry to the leader committing it
//! (§5.3). What the chapter on TiKV's optimizations charts.

use std::collections::{BTreeMap, VecDeque};

/// How far back samples are kept, in microseconds of simulated time.
pub const WINDOW_US: u64 = 10_000_000;

/// One committed entry: when the leader committed it and how long that took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommitSample {
    pub t_us: u64,
    pub latency_us: u64,
}

/// The figures over a stretch of time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CommitSummary {
    /// Entries committed in the stretch.
    pub entries: u64,
    /// Committed entries per simulated second.
    pub per_second: u64,
    /// The mean commit latency, if anything was committed.
    pub mean_latency_us: Option<u64>,
}

/// Samples of the last [`WINDOW_US`].
#[derive(Clone, Debug, Default)]
pub struct CommitStats {
    /// The term of the leader whose entries are pending.
    term: u64,
    /// Entries that leader appended and has not committed yet: index -> time.
    pending: BTreeMap<u64, u64>,
    samples: VecDeque<CommitSample>,
}

impl CommitStats {
    /// A leader of `term` appended an entry.
    pub fn appended(&mut self, now: u64, index: u64, term: u64) {
        // A deposed leader that does not know it yet is not followed.
        if term < self.term {
            return;
        }
        // A new leader's entries replace whatever an earlier leader left pending.
        if term > self.term {
            self.term = term;
            self.pending.clear();
        }
        self.pending.insert(index, now);
    }

    /// The commit index of the leader of `term` reached `commit`.
    pub fn committed(&mut self, now: u64, commit: u64, term: u64) {
        if term != self.term {
            return;
        }
        let later = self.pending.split_off(&(commit + 1));
        for (_, t) in std::mem::replace(&mut self.pending, later) {
            self.samples.push_back(CommitSample {
                t_us: now,
                latency_us: now - t,
            });
        }
        while self
            .samples
            .front()
            .is_some_and(|s| s.t_us + WINDOW_US < now)
        {
            self.samples.pop_front();
        }
    }

    /// The samples kept, oldest first.
    pub fn samples(&self) -> impl DoubleEndedIterator<Item = &CommitSample> {
        self.samples.iter()
    }

    /// The figures for commits in `from_us..to_us`.
    pub fn summary(&self, from_us: u64, to_us: u64) -> CommitSummary {
        let (mut entries, mut total) = (0u64, 0u64);
        for s in self
            .samples
            .iter()
            .filter(|s| (from_us..to_us).contains(&s.t_us))
        {
            entries += 1;
            total += s.latency_us;
        }
        let span = to_us.saturating_sub(from_us).max(1);
        CommitSummary {
            entries,
            per_second: entries * 1_000_000 / span,
            mean_latency_us: (entries > 0).then(|| total / entries),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_runs_from_append_to_commit_and_a_new_term_starts_afresh() {
        let mut s = CommitStats::default();
        s.appended(0, 1, 1);
        s.appended(1_000, 2, 1);
        s.committed(5_000, 1, 1);
        s.committed(9_000, 2, 1);
        let got: Vec<u64> = s.samples().map(|x| x.latency_us).collect();
        assert_eq!(got, vec![5_000, 8_000]);
        // Term 1's entry 3 is never committed by its leader; term 2's leader starts over.
        s.appended(10_000, 3, 1);
        s.appended(20_000, 4, 2);
        // The deposed leader of term 1, still appending, changes nothing.
        s.appended(20_500, 5, 1);
        s.committed(20_700, 5, 1);
        s.committed(21_000, 4, 2);
        assert_eq!(s.samples().last().unwrap().latency_us, 1_000);
        let sum = s.summary(0, 1_000_000);
        assert_eq!(sum.entries, 3);
        assert_eq!(sum.per_second, 3);
        assert_eq!(sum.mean_latency_us, Some((5_000 + 8_000 + 1_000) / 3));
    }

    #[test]
    fn old_samples_leave_the_window() {
        let mut s = CommitStats::default();
        s.appended(0, 1, 1);
        s.committed(1, 1, 1);
        s.appended(WINDOW_US + 10, 2, 1);
        s.committed(WINDOW_US + 20, 2, 1);
        assert_eq!(s.samples().count(), 1);
    }
}

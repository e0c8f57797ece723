//! A leader's heartbeat rounds and the tick at which each started. Every
//! AppendEntries carries the current round and every reply echoes it: a round
//! answered by a quorum confirms leadership for the reads asked before it
//! (ReadIndex, dissertation §6.4), and the start of the latest such round is
//! where the leader lease is measured from (§6.4.1).

use alloc::collections::VecDeque;

/// Ticks taken off a lease because clocks do not run at exactly the same rate (§6.4.1).
pub const LEASE_CLOCK_DRIFT: u32 = 2;

/// The rounds of one leadership.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Rounds {
    /// The latest round; AppendEntries carry it.
    pub current: u64,
    /// For each tick in which a round started, the first round of that tick,
    /// oldest first. Rounds too old to give a lease are forgotten.
    started: VecDeque<(u64, u64)>,
}

impl Rounds {
    /// Starts a new round at tick `now` and returns it.
    pub fn start(&mut self, now: u64) -> u64 {
        self.current += 1;
        if self.started.back().is_none_or(|&(_, tick)| tick != now) {
            self.started.push_back((self.current, now));
        }
        self.current
    }

    /// Forgets every start: the rounds of an earlier term give no lease.
    pub fn clear(&mut self) {
        self.started.clear();
    }

    /// The tick at which `round` started, unless forgotten. Every message
    /// carrying `round` was sent at that tick or later.
    pub fn started_at(&self, round: u64) -> Option<u64> {
        if round > self.current {
            return None;
        }
        // The last tick whose first round is at most `round`; none if `round` is forgotten.
        let &(_, tick) = self.started.iter().rev().find(|&&(r, _)| r <= round)?;
        Some(tick)
    }

    /// Forgets the rounds that started before tick `tick`.
    pub fn forget_before(&mut self, tick: u64) {
        while self.started.front().is_some_and(|&(_, t)| t < tick) {
            self.started.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_started_at_the_tick_of_the_first_round_of_its_tick() {
        let mut r = Rounds::default();
        assert_eq!(r.start(10), 1);
        assert_eq!(r.start(10), 2);
        assert_eq!(r.start(12), 3);
        assert_eq!(r.started_at(0), None);
        assert_eq!(r.started_at(1), Some(10));
        assert_eq!(r.started_at(2), Some(10));
        assert_eq!(r.started_at(3), Some(12));
        assert_eq!(r.started_at(4), None);
    }

    #[test]
    fn forgotten_and_earlier_term_rounds_give_no_start() {
        let mut r = Rounds::default();
        r.start(1);
        r.start(5);
        r.forget_before(3);
        assert_eq!(r.started_at(1), None);
        assert_eq!(r.started_at(2), Some(5));
        r.clear();
        r.start(9);
        assert_eq!(r.started_at(2), None);
        assert_eq!(r.started_at(3), Some(9));
    }
}

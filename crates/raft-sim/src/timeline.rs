//! Time travel: checkpoints of the world plus the log of actions applied by
//! hand, so the page can rewind to any earlier moment (restore the nearest
//! checkpoint at or before it and replay deterministically) and fork (apply
//! a new action there, which discards the old future).
//!
//! Actions are logged with the number of events the world had processed
//! when they were applied, so a replay applies each one at exactly the same
//! point, even between two events due at the same instant (after a single
//! step).
//!
//! Memory bound: at most `max_checkpoints` clones of the world are kept.
//! When the store is full, every other checkpoint in its older half is
//! dropped, so checkpoints thin out exponentially with age: recent moments
//! are cheap to reach, old ones need a longer replay. Memory is therefore at
//! most `max_checkpoints` x (size of one world) plus the action log, and in
//! practice far less: what grows with the run (the client history, the
//! checker's per-index records, the journal) is kept in
//! [`crate::chunked::ChunkedVec`]s, whose clones share every chunk they have in
//! common, so checkpoints on one timeline hold one copy of their common past
//! (the page's soak: 5.4 MB live after an hour, flat; 18.5 MB and growing when
//! each checkpoint copied its records).

use crate::world::{Action, ActionError, World};

/// An action applied by hand, and where in the run.
#[derive(Clone, Debug)]
struct Logged {
    /// `World::events_processed()` when it was applied.
    events: u64,
    t: u64,
    action: Action,
}

#[derive(Clone, Debug)]
struct Checkpoint {
    world: World,
    /// How many entries of the action log the world had applied.
    applied: usize,
}

/// An action applied by hand, as a link or a scenario file records it: the
/// time and the number of world events processed when it was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedAction {
    pub t: u64,
    pub events: u64,
    pub action: Action,
}

/// The present world, its checkpoints and the actions applied by hand.
#[derive(Clone, Debug)]
pub struct Timeline {
    head: World,
    head_applied: usize,
    checkpoints: Vec<Checkpoint>,
    log: Vec<Logged>,
    max_checkpoints: usize,
    interval_us: u64,
    next_checkpoint_us: u64,
}

impl Timeline {
    /// Keeps at most `max_checkpoints` (>= 2) checkpoints, one every `interval_us` at most.
    pub fn new(world: World, max_checkpoints: usize, interval_us: u64) -> Timeline {
        let now = world.now_us();
        Timeline {
            checkpoints: vec![Checkpoint {
                world: world.clone(),
                applied: 0,
            }],
            head: world,
            head_applied: 0,
            log: Vec::new(),
            max_checkpoints: max_checkpoints.max(2),
            interval_us: interval_us.max(1),
            next_checkpoint_us: now + interval_us.max(1),
        }
    }

    /// The present world.
    pub fn world(&self) -> &World {
        &self.head
    }

    /// Times of the checkpoints kept, oldest first.
    pub fn checkpoint_times(&self) -> Vec<u64> {
        self.checkpoints.iter().map(|c| c.world.now_us()).collect()
    }

    /// Runs the present forward to `t`, replaying logged actions on the way
    /// and taking checkpoints.
    pub fn run_until(&mut self, t: u64) {
        loop {
            if self.apply_logged_due(t) {
                continue;
            }
            if self.head.next_event_us().is_none_or(|next| next > t) {
                break;
            }
            self.step_head();
        }
        self.head.run_until(t);
    }

    /// Processes exactly one thing: the next logged action if it is due
    /// now, else the world's next event. False when nothing is left.
    pub fn step_one(&mut self) -> bool {
        if self.apply_logged_due(u64::MAX) {
            return true;
        }
        if self.head.next_event_us().is_none() {
            return false;
        }
        self.step_head();
        true
    }

    /// The logged action [`Timeline::step_one`] would apply next, if one is due.
    pub fn logged_action_due(&self) -> Option<&Action> {
        let l = self.log.get(self.head_applied)?;
        (l.events <= self.head.events_processed()).then_some(&l.action)
    }

    /// Applies the next logged action if the run has reached its point (and
    /// its time is at most `t`).
    fn apply_logged_due(&mut self, t: u64) -> bool {
        let Some(l) = self.log.get(self.head_applied) else {
            return false;
        };
        if l.events > self.head.events_processed() || l.t > t {
            return false;
        }
        let (at, action) = (l.t, l.action.clone());
        // Same events processed as when it was logged: nothing is due before `at`.
        self.head.run_until_before(at);
        let _ = self.head.apply_action(&action);
        self.head_applied += 1;
        true
    }

    fn step_head(&mut self) {
        self.head.step_one();
        if self.head.now_us() >= self.next_checkpoint_us {
            self.checkpoint();
        }
    }

    fn checkpoint(&mut self) {
        self.checkpoints.push(Checkpoint {
            world: self.head.clone(),
            applied: self.head_applied,
        });
        self.next_checkpoint_us = self.head.now_us() + self.interval_us;
        if self.checkpoints.len() > self.max_checkpoints {
            // Thin the older half: keep its first and every other one after.
            let half = self.checkpoints.len() / 2;
            let mut k = 0;
            self.checkpoints.retain(|_| {
                let keep = k >= half || k % 2 == 0;
                k += 1;
                keep
            });
        }
    }

    /// Applies `action` now. Whatever the log held after now is discarded (a fork).
    ///
    /// The action is tried first: one the world refuses (restarting a running
    /// server, say) changes nothing, and the future stays as it was.
    pub fn apply(&mut self, action: Action) -> Result<(), ActionError> {
        let mut next = self.head.clone();
        next.apply_action(&action)?;
        let (now, events) = (self.head.now_us(), self.head.events_processed());
        self.log.truncate(self.head_applied);
        self.checkpoints.retain(|c| {
            c.world.now_us() <= now
                && c.world.events_processed() <= events
                && c.applied <= self.head_applied
        });
        self.log.push(Logged {
            events,
            t: now,
            action,
        });
        self.head_applied += 1;
        self.head = next;
        Ok(())
    }

    /// The actions applied by hand on this timeline, past and future, in order.
    pub fn actions(&self) -> impl Iterator<Item = LoggedAction> + '_ {
        self.log.iter().map(|l| LoggedAction {
            t: l.t,
            events: l.events,
            action: l.action.clone(),
        })
    }

    /// How many of [`Timeline::actions`] the present has applied.
    pub fn actions_applied(&self) -> usize {
        self.head_applied
    }

    /// Adds an action to replay at its point (a loaded link or scenario file).
    /// It must not come before the present or before the last logged action.
    pub fn push_action(&mut self, logged: LoggedAction) -> Result<(), String> {
        let last = self
            .log
            .last()
            .map_or((0, 0), |l| (l.events, l.t))
            .max((self.head.events_processed(), self.head.now_us()));
        if (logged.events, logged.t) < last || logged.t < last.1 {
            return Err(format!(
                "an action at {} µs (after {} events) comes before an earlier one",
                logged.t, logged.events
            ));
        }
        self.log.push(Logged {
            events: logged.events,
            t: logged.t,
            action: logged.action,
        });
        Ok(())
    }

    /// Runs to time `t`, stopping once the world has processed `events` events
    /// (a moment between two events of one instant, as after a single step).
    /// Whatever comes before `t` runs in any case, logged actions included: a
    /// count short of the instant (a hand-written link's `t` without one reads
    /// as 0) never skips an action.
    pub fn run_to(&mut self, t: u64, events: u64) {
        loop {
            if self.apply_logged_due(t) {
                continue;
            }
            if self.head.events_processed() >= events
                || self.head.next_event_us().is_none_or(|next| next > t)
            {
                break;
            }
            self.step_head();
        }
        // The rest before `t`: due logged actions first, as `run_until` does.
        loop {
            if self.apply_logged_due(t.saturating_sub(1)) {
                continue;
            }
            if self.head.next_event_us().is_none_or(|next| next >= t) {
                break;
            }
            self.step_head();
        }
        self.head.run_until_before(t);
    }

    /// Goes back (or forward) to time `t`: restores the latest checkpoint at or
    /// before `t` and replays to `t`. The future stays in the log until a fork.
    pub fn rewind(&mut self, t: u64) {
        let Some(c) = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| c.world.now_us() <= t)
            .cloned()
        else {
            return;
        };
        self.head = c.world;
        self.head_applied = c.applied;
        self.next_checkpoint_us = self.head.now_us() + self.interval_us;
        // Do not checkpoint again the stretch that is already covered.
        if let Some(last) = self.checkpoints.last() {
            self.next_checkpoint_us = self.next_checkpoint_us.max(last.world.now_us() + 1);
        }
        self.run_until(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::WorldConfig;

    fn traced() -> World {
        let mut cfg = WorldConfig::with_nodes(3);
        cfg.trace = true;
        cfg.clients = 1;
        cfg.client_load = true;
        World::new(cfg, 9)
    }

    /// Steps until the next event is due at the present instant (a moment
    /// between two events of one instant).
    fn step_into_a_busy_instant(tl: &mut Timeline) {
        loop {
            tl.step_one();
            let now = tl.world().now_us();
            if tl.world().next_event_us() == Some(now) {
                return;
            }
        }
    }

    #[test]
    fn rewind_and_replay_reproduce_the_same_trace() {
        let mut tl = Timeline::new(traced(), 8, 100_000);
        tl.run_until(500_000);
        tl.apply(Action::Crash { node: 1 }).unwrap();
        tl.run_until(900_000);
        tl.apply(Action::Restart { node: 1 }).unwrap();
        tl.run_until(2_000_000);
        let original = tl.world().trace().to_string();
        assert!(tl.checkpoint_times().len() <= 8);
        tl.rewind(700_000);
        assert_eq!(tl.world().now_us(), 700_000);
        assert!(original.starts_with(tl.world().trace()));
        tl.run_until(2_000_000);
        assert_eq!(tl.world().trace(), original);
    }

    #[test]
    fn stepping_one_event_at_a_time_matches_running() {
        let mut stepped = Timeline::new(traced(), 8, 100_000);
        let mut run = stepped.clone();
        run.run_until(300_000);
        while stepped
            .world()
            .next_event_us()
            .is_some_and(|t| t <= 300_000)
        {
            let before = stepped.world().events_processed();
            assert!(stepped.step_one());
            assert_eq!(stepped.world().events_processed(), before + 1);
        }
        stepped.run_until(300_000);
        assert_eq!(stepped.world().trace(), run.world().trace());
    }

    #[test]
    fn an_action_between_two_events_of_one_instant_replays_there() {
        let mut tl = Timeline::new(traced(), 8, 100_000);
        tl.run_until(200_000);
        // Step until two events are due at the same instant, and act between them.
        step_into_a_busy_instant(&mut tl);
        tl.apply(Action::Crash { node: 2 }).unwrap();
        tl.run_until(900_000);
        let original = tl.world().trace().to_string();
        tl.rewind(50_000);
        tl.run_until(900_000);
        assert_eq!(tl.world().trace(), original);
    }

    #[test]
    fn fork_diverges_and_drops_the_old_future() {
        let mut tl = Timeline::new(traced(), 8, 100_000);
        tl.run_until(600_000);
        tl.apply(Action::Crash { node: 2 }).unwrap();
        tl.run_until(1_500_000);
        let original = tl.world().trace().to_string();
        tl.rewind(300_000);
        tl.apply(Action::Crash { node: 3 }).unwrap();
        tl.run_until(1_500_000);
        assert_ne!(tl.world().trace(), original);
        assert!(tl.world().trace().contains("\"ev\":\"crash\",\"node\":3"));
        assert!(!tl.world().trace().contains("\"ev\":\"crash\",\"node\":2"));
    }

    #[test]
    fn a_refused_action_leaves_the_future_as_it_was() {
        let mut tl = Timeline::new(traced(), 8, 100_000);
        tl.run_until(300_000);
        tl.apply(Action::Crash { node: 2 }).unwrap();
        tl.run_until(900_000);
        let original = tl.world().trace().to_string();
        tl.rewind(200_000);
        // S1 is running: restarting it is refused, and the crash at 300 ms stays ahead.
        let err = tl.apply(Action::Restart { node: 1 }).unwrap_err();
        assert_eq!(err, ActionError::Running { node: 1 }, "{err}");
        assert_eq!(tl.actions().count(), 1);
        tl.run_until(900_000);
        assert_eq!(tl.world().trace(), original);
    }

    #[test]
    fn switches_and_network_settings_are_actions_that_replay() {
        let mut tl = Timeline::new(traced(), 8, 100_000);
        tl.run_until(400_000);
        tl.apply(Action::SetSwitch {
            switch: crate::world::Switch::PreVote,
            on: true,
        })
        .unwrap();
        tl.apply(Action::SetNetwork {
            latency_min_us: Some(20_000),
            latency_max_us: Some(40_000),
            loss_pct: Some(10),
            dup_pct: None,
            reorder_pct: None,
            reorder_max_us: None,
        })
        .unwrap();
        assert_eq!(tl.world().now_us(), 400_000, "the run goes on, no restart");
        assert!(
            tl.world()
                .node(1)
                .unwrap()
                .raft()
                .unwrap()
                .config()
                .pre_vote
        );
        assert_eq!(tl.world().network().config.loss_ppm, 100_000);
        tl.run_until(1_500_000);
        let original = tl.world().trace().to_string();
        tl.rewind(100_000);
        assert!(
            !tl.world()
                .node(1)
                .unwrap()
                .raft()
                .unwrap()
                .config()
                .pre_vote
        );
        assert_eq!(tl.world().network().config.loss_ppm, 0);
        tl.run_until(1_500_000);
        assert_eq!(tl.world().trace(), original);
        // Lease reads need CheckQuorum: refused, nothing changes.
        assert!(tl
            .apply(Action::SetSwitch {
                switch: crate::world::Switch::LeaseRead,
                on: true
            })
            .is_err());
        assert!(tl
            .apply(Action::SetNetwork {
                latency_min_us: None,
                latency_max_us: None,
                loss_pct: Some(101),
                dup_pct: None,
                reorder_pct: None,
                reorder_max_us: None,
            })
            .is_err());
        assert_eq!(tl.actions().count(), 2);
    }

    #[test]
    fn a_moment_without_its_event_count_still_replays_every_earlier_action() {
        // A hand-written link's `t=US` without `.EVENTS` asks for 0 events at `t`:
        // every action logged before `t` must still be applied (it was skipped).
        let mut tl = Timeline::new(traced(), 8, 100_000);
        tl.run_until(200_000);
        tl.apply(Action::Crash { node: 2 }).unwrap();
        tl.run_until(300_000);
        tl.apply(Action::Restart { node: 2 }).unwrap();
        tl.run_until(384_000);
        let mut copy = Timeline::new(traced(), 8, 100_000);
        for a in tl.actions() {
            copy.push_action(a).unwrap();
        }
        copy.run_to(384_000, 0);
        assert_eq!(copy.world().now_us(), 384_000);
        assert!(copy.world().trace().contains("\"crash\""));
        assert!(copy.world().trace().contains("\"restart\""));
        let mut full = copy.clone();
        full.run_until(384_000);
        copy.run_until(384_000);
        assert_eq!(copy.world().trace(), full.world().trace());
        assert_eq!(copy.world().trace(), tl.world().trace());
    }

    #[test]
    fn a_recorded_log_replays_to_the_same_moment_between_two_events() {
        let mut tl = Timeline::new(traced(), 8, 100_000);
        tl.run_until(200_000);
        step_into_a_busy_instant(&mut tl);
        tl.apply(Action::Crash { node: 2 }).unwrap();
        tl.step_one();
        let (t, events) = (tl.world().now_us(), tl.world().events_processed());
        let original = tl.world().trace().to_string();
        let mut copy = Timeline::new(traced(), 8, 100_000);
        for a in tl.actions() {
            copy.push_action(a).unwrap();
        }
        copy.run_to(t, events);
        assert_eq!(copy.world().events_processed(), events);
        assert_eq!(copy.world().trace(), original);
        assert!(copy
            .push_action(LoggedAction {
                t: 0,
                events: 0,
                action: Action::Heal
            })
            .is_err());
    }
}

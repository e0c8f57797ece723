//! The fuzzer: a random fault schedule per seed, every checker on, and
//! delta debugging (Zeller's ddmin) to shrink a failing schedule to a few
//! actions that still reproduce the violation.

use raft_core::{RaftRng, SplitMix64};

use crate::checker::{Invariant, Violation};
use crate::history;
use crate::linearizability::CheckResult;
use crate::world::{Action, Bug, World, WorldConfig};

/// Which kinds of fault the schedule may contain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    pub crash: bool,
    pub partition: bool,
    pub drop: bool,
    pub dup: bool,
    pub reorder: bool,
    pub membership: bool,
    /// New leaders lose their network after a few messages in office (not in `all`).
    pub leader_isolation: bool,
}

impl Faults {
    pub fn all() -> Faults {
        Faults {
            crash: true,
            partition: true,
            drop: true,
            dup: true,
            reorder: true,
            membership: true,
            leader_isolation: false,
        }
    }

    /// Parses `crash,partition,drop,dup,reorder,membership` (empty or `none`: no faults).
    pub fn parse(list: &str) -> Result<Faults, String> {
        let mut f = Faults::default();
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match name {
                "crash" => f.crash = true,
                "partition" => f.partition = true,
                "drop" => f.drop = true,
                "dup" => f.dup = true,
                "reorder" => f.reorder = true,
                "membership" => f.membership = true,
                "leader-isolation" => f.leader_isolation = true,
                "none" => {}
                "all" => f = Faults::all(),
                other => {
                    return Err(format!(
                        "unknown fault `{other}`; expected crash, partition, drop, dup, reorder, membership, leader-isolation"
                    ))
                }
            }
        }
        Ok(f)
    }
}

/// One fuzz campaign's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuzzConfig {
    pub nodes: usize,
    /// World events per seed.
    pub events: u64,
    pub faults: Faults,
    pub bug: Option<Bug>,
    /// Check the client history for linearizability at the end of each seed.
    pub linearizability: bool,
}

impl Default for FuzzConfig {
    fn default() -> Self {
        FuzzConfig {
            nodes: 5,
            events: 20_000,
            faults: Faults::all(),
            bug: None,
            linearizability: true,
        }
    }
}

/// Virtual time covered by a seed: about two thousand events per second.
const US_PER_EVENT: u64 = 500;
/// Search steps per key for the linearizability check.
const LIN_STEPS: u64 = 2_000_000;

impl FuzzConfig {
    fn horizon_us(&self) -> u64 {
        self.events * US_PER_EVENT
    }

    /// The world each seed runs in.
    pub fn world_config(&self) -> WorldConfig {
        let mut cfg = WorldConfig::with_nodes(self.nodes);
        cfg.spare_nodes = usize::from(self.faults.membership);
        cfg.clients = 2;
        cfg.client_load = true;
        cfg.recent_events = 0;
        cfg.snapshot_threshold = 40;
        // Hops well under half a tick, so equal timeouts really collide (§5.2).
        cfg.network.latency_min_us = 500;
        cfg.network.latency_max_us = 4_000;
        if self.faults.dup {
            cfg.network.dup_ppm = 20_000;
        }
        if self.faults.reorder {
            cfg.network.reorder_ppm = 50_000;
            cfg.network.reorder_max_us = 30_000;
        }
        if let Some(bug) = self.bug {
            cfg.set_bug(bug, true);
        }
        cfg
    }

    /// The world of one seed: some seeds (all, with `leader_isolation`) send one entry
    /// per AppendEntries, which opens the window Figure 8 needs (an old-term entry
    /// acknowledged before the new leader's no-op).
    pub fn world_config_for(&self, seed: u64) -> WorldConfig {
        let mut cfg = self.world_config();
        if seed % 2 == 1 || self.faults.leader_isolation {
            cfg.raft.max_entries_per_append = 1;
        }
        cfg
    }

    /// The random fault schedule of `seed`.
    pub fn schedule(&self, seed: u64) -> Vec<(u64, Action)> {
        let mut rng = SplitMix64::new(seed ^ SCHEDULE_SALT);
        let f = self.faults;
        let mut kinds: Vec<u8> = Vec::new();
        for (on, k) in [
            (f.crash, 0),
            (f.partition, 1),
            (f.drop, 2),
            (f.membership, 3),
            (f.leader_isolation, 4),
        ] {
            if on {
                kinds.push(k);
            }
        }
        let horizon = self.horizon_us();
        let n = self.nodes as u64;
        let mut out = Vec::new();
        if kinds.is_empty() {
            return out;
        }
        let count = (horizon / 400_000).max(1);
        let ms = |x: u64| x * 1000;
        for _ in 0..count {
            let t = rng.in_range(ms(200), horizon.max(ms(201)));
            let node = rng.in_range(1, n + 1);
            match kinds[rng.in_range(0, kinds.len() as u64) as usize] {
                0 => match rng.in_range(0, 4) {
                    3 => {
                        // Leaders die soon after taking office, one after another (Figure 8's history).
                        let mut at = t;
                        out.push((at, Action::CrashLeader));
                        for _ in 0..rng.in_range(2, 6) {
                            let after_ms = rng.in_range(0, 40);
                            out.push((at, Action::CrashNextLeader { after_ms }));
                            at += rng.in_range(ms(150), ms(400));
                            let node = rng.in_range(1, n + 1);
                            out.push((at, Action::Restart { node }));
                        }
                        for node in 1..=n {
                            out.push((
                                at + rng.in_range(ms(100), ms(1000)),
                                Action::Restart { node },
                            ));
                        }
                    }
                    0 => {
                        out.push((t, Action::Crash { node }));
                        let back = t + rng.in_range(ms(20), ms(1500));
                        out.push((back, Action::Restart { node }));
                    }
                    1 => {
                        // The leader dies with entries in flight; others reboot during the election.
                        out.push((t, Action::CrashLeader));
                        for k in 0..rng.in_range(1, 4) {
                            let node = rng.in_range(1, n + 1);
                            let at = t + rng.in_range(ms(100), ms(400)) + k;
                            let down_ms = rng.in_range(0, 10);
                            out.push((at, Action::Reboot { node, down_ms }));
                        }
                        for node in 1..=n {
                            out.push((
                                t + rng.in_range(ms(300), ms(1500)),
                                Action::Restart { node },
                            ));
                        }
                    }
                    _ => {
                        out.push((t, Action::Campaign { node }));
                        let other = rng.in_range(1, n + 1);
                        let down_ms = rng.in_range(0, 5);
                        let at = t + rng.in_range(0, ms(5));
                        out.push((
                            at,
                            Action::Reboot {
                                node: other,
                                down_ms,
                            },
                        ));
                    }
                },
                1 => {
                    // A storm of short partitions: leaders elected and cut off at once (Figure 8's history).
                    let storm = if rng.in_range(0, 2) == 0 {
                        1
                    } else {
                        rng.in_range(3, 10)
                    };
                    let mut at = t;
                    for _ in 0..storm {
                        let mut ids: Vec<u64> = (1..=n).collect();
                        for i in (1..ids.len()).rev() {
                            let j = rng.in_range(0, i as u64 + 1) as usize;
                            ids.swap(i, j);
                        }
                        let split = rng.in_range(1, n.max(2)) as usize;
                        let groups = vec![ids[..split].to_vec(), ids[split..].to_vec()];
                        out.push((at, Action::Heal));
                        out.push((
                            at,
                            Action::Partition {
                                groups,
                                clients: vec![],
                            },
                        ));
                        at += if storm == 1 {
                            rng.in_range(ms(50), ms(2000))
                        } else {
                            rng.in_range(ms(150), ms(600))
                        };
                    }
                    out.push((at, Action::Heal));
                }
                2 => {
                    const KINDS: [&str; 6] = [
                        "AppendEntries",
                        "AppendEntriesResponse",
                        "Heartbeat",
                        "RequestVote",
                        "RequestVoteResponse",
                        "InstallSnapshot",
                    ];
                    let kind = KINDS[rng.in_range(0, KINDS.len() as u64) as usize];
                    for k in 0..rng.in_range(1, 4) {
                        out.push((
                            t + k * ms(3),
                            Action::DropNext {
                                kind: Some(kind.to_string()),
                                from: None,
                                to: (rng.in_range(0, 2) == 0).then_some(node),
                            },
                        ));
                    }
                }
                4 => {
                    // Round after round, the next leader loses its network a few messages
                    // into its term (often at once, leaving lone entries of its term),
                    // and the network sometimes heals: Figure 8's history.
                    let mut at = t;
                    for _ in 0..rng.in_range(3, 10) {
                        let after_messages = if rng.in_range(0, 2) == 0 {
                            0
                        } else {
                            rng.in_range(1, 8)
                        };
                        out.push((at, Action::IsolateNextLeader { after_messages }));
                        if rng.in_range(0, 2) == 0 {
                            let node = rng.in_range(1, n + 1);
                            out.push((at, Action::Campaign { node }));
                        }
                        at += rng.in_range(ms(100), ms(400));
                        if rng.in_range(0, 2) == 0 {
                            out.push((at, Action::Heal));
                        }
                    }
                    out.push((at, Action::Heal));
                }
                _ => match rng.in_range(0, 4) {
                    0 => {
                        out.push((t, Action::RemoveServer { node }));
                        let back = t + rng.in_range(ms(200), ms(2000));
                        out.push((back, Action::AddVoter { node }));
                    }
                    1 => {
                        let spare = n + 1;
                        out.push((t, Action::AddLearner { node: spare }));
                        out.push((t + ms(300), Action::AddVoter { node: spare }));
                        out.push((t + ms(1500), Action::RemoveServer { node: spare }));
                    }
                    2 => out.push((t, Action::Transfer { to: node })),
                    _ => out.push((t, Action::Snapshot { node })),
                },
            }
        }
        out.sort_by_key(|(t, _)| *t);
        out
    }

    /// Runs one seed with `actions`; stops at the first violation.
    pub fn run(&self, seed: u64, actions: &[(u64, Action)], trace: bool) -> SeedRun {
        let mut cfg = self.world_config_for(seed);
        cfg.trace = trace;
        let mut world = match World::with_actions(cfg, seed, actions) {
            Ok(w) => w,
            Err(e) => {
                return SeedRun {
                    seed,
                    events: 0,
                    violation: Some(Violation {
                        invariant: Invariant::ElectionSafety,
                        t: 0,
                        line: 0,
                        nodes: vec![],
                        index: None,
                        message: format!("bad fuzz config: {e}"),
                    }),
                    world: None,
                }
            }
        };
        world.run_until_violation(self.horizon_us() + 2_000_000, self.events);
        let mut violation = world.violations().first().cloned();
        if violation.is_none() && self.linearizability {
            if let CheckResult::NotLinearizable {
                key, explanation, ..
            } = history::check(world.history(), LIN_STEPS)
            {
                violation = Some(Violation {
                    invariant: Invariant::Linearizability,
                    t: world.now_us(),
                    line: world.checker().lines(),
                    nodes: vec![],
                    index: None,
                    message: format!("key {key:?}: {explanation}"),
                });
            }
        }
        SeedRun {
            seed,
            events: world.events_processed(),
            violation,
            world: trace.then_some(world),
        }
    }

    /// Shrinks `actions` to a small list that still breaks `invariant` (ddmin),
    /// within `max_runs` re-runs.
    pub fn minimize(
        &self,
        seed: u64,
        actions: &[(u64, Action)],
        invariant: Invariant,
        max_runs: usize,
    ) -> Vec<(u64, Action)> {
        let mut runs = 0;
        let mut fails = |subset: &[(u64, Action)]| {
            runs += 1;
            self.run(seed, subset, false)
                .violation
                .is_some_and(|v| v.invariant == invariant)
        };
        ddmin(actions.to_vec(), &mut fails, max_runs)
    }
}

/// Keeps the schedule's random stream apart from the world's.
const SCHEDULE_SALT: u64 = 0xA076_1D64_78BD_642F;

/// The outcome of one seed.
#[derive(Clone, Debug)]
pub struct SeedRun {
    pub seed: u64,
    pub events: u64,
    pub violation: Option<Violation>,
    /// The world, when the run kept its trace.
    pub world: Option<World>,
}

/// Delta debugging: the smallest subset (1-minimal, within `max_runs` tests)
/// of `items` for which `fails` still holds.
pub fn ddmin<T: Clone>(
    mut items: Vec<T>,
    fails: &mut dyn FnMut(&[T]) -> bool,
    max_runs: usize,
) -> Vec<T> {
    let mut runs = 0;
    let mut test = |s: &[T], runs: &mut usize| {
        *runs += 1;
        fails(s)
    };
    if test(&[], &mut runs) {
        return Vec::new();
    }
    let mut n = 2;
    while items.len() >= 2 && runs < max_runs {
        let len = items.len();
        let chunk = len.div_ceil(n);
        let parts: Vec<(usize, usize)> = (0..len)
            .step_by(chunk)
            .map(|s| (s, (s + chunk).min(len)))
            .collect();
        let mut reduced = false;
        for &(s, e) in &parts {
            if runs >= max_runs {
                break;
            }
            if test(&items[s..e], &mut runs) {
                items = items[s..e].to_vec();
                n = 2;
                reduced = true;
                break;
            }
        }
        if !reduced && parts.len() > 2 {
            for &(s, e) in &parts {
                if runs >= max_runs {
                    break;
                }
                let complement: Vec<T> = items[..s].iter().chain(&items[e..]).cloned().collect();
                if test(&complement, &mut runs) {
                    items = complement;
                    n = (n - 1).max(2);
                    reduced = true;
                    break;
                }
            }
        }
        if !reduced {
            if n >= len {
                break;
            }
            n = (2 * n).min(len);
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddmin_finds_the_two_culprits() {
        let items: Vec<u32> = (0..40).collect();
        let mut fails = |s: &[u32]| s.contains(&7) && s.contains(&31);
        assert_eq!(ddmin(items, &mut fails, 1000), vec![7, 31]);
    }

    #[test]
    fn faults_parse_and_reject_unknown_names() {
        let f = Faults::parse("crash, partition").unwrap();
        assert!(f.crash && f.partition && !f.drop);
        assert_eq!(Faults::parse("").unwrap(), Faults::default());
        assert!(Faults::parse("meteor").unwrap_err().contains("meteor"));
        let f = Faults::parse("leader-isolation").unwrap();
        assert!(f.leader_isolation && !f.crash);
        assert!(
            !Faults::all().leader_isolation,
            "`all` keeps the pinned fuzz traces"
        );
    }

    #[test]
    fn schedules_are_deterministic_and_sorted() {
        let fc = FuzzConfig::default();
        let a = fc.schedule(3);
        assert_eq!(a, fc.schedule(3));
        assert_ne!(a, fc.schedule(4));
        assert!(a.windows(2).all(|w| w[0].0 <= w[1].0));
    }
}

//! The fuzzer: a random fault schedule per seed, every checker on, and
//! delta debugging (Zeller's ddmin) to shrink a failing schedule to a few
//! actions that still reproduce the violation.

use raft_core::{Backtrack, Config, RaftRng, ReadOnly, SplitMix64};

use crate::checker::{Invariant, Violation};
use crate::history;
use crate::linearizability::CheckResult;
use crate::world::{Action, Bug, Switch, World, WorldConfig};

/// Which kinds of fault the schedule may contain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    pub crash: bool,
    pub partition: bool,
    pub drop: bool,
    pub dup: bool,
    pub reorder: bool,
    pub membership: bool,
    /// New leaders lose their network after a few messages in office.
    pub leader_isolation: bool,
    /// One-way link cuts between servers, mended later.
    pub cut: bool,
    /// Protocol switches flipped during the run (PreVote, CheckQuorum, lease
    /// reads, fast backtracking, batching).
    pub switches: bool,
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
            leader_isolation: true,
            cut: true,
            switches: true,
        }
    }

    /// The names [`Faults::parse`] takes, in order.
    pub const NAMES: [&'static str; 9] = [
        "crash",
        "partition",
        "drop",
        "dup",
        "reorder",
        "membership",
        "leader-isolation",
        "cut",
        "switches",
    ];

    /// Parses `crash,partition,drop,dup,reorder,membership,leader-isolation,cut,switches`
    /// (empty or `none`: no faults; `all`: every one).
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
                "cut" => f.cut = true,
                "switches" => f.switches = true,
                "none" => {}
                "all" => f = Faults::all(),
                other => {
                    return Err(format!(
                        "unknown fault `{other}`; expected {}, all or none",
                        Faults::NAMES.join(", ")
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
    /// Start each seed with protocol switches drawn from the seed (PreVote,
    /// CheckQuorum, lease reads, backtracking, flow-control limits); off, every
    /// seed starts with the core's defaults.
    pub draw_switches: bool,
}

impl Default for FuzzConfig {
    fn default() -> Self {
        FuzzConfig {
            nodes: 5,
            events: 20_000,
            faults: Faults::all(),
            bug: None,
            linearizability: true,
            draw_switches: true,
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
        cfg.clients = CLIENTS;
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

    /// The world of one seed, with its protocol switches drawn from the seed
    /// (every setting is explored). Half the seeds send one entry per AppendEntries,
    /// which opens the window Figure 8 needs (an old-term entry acknowledged before
    /// the new leader's no-op).
    pub fn world_config_for(&self, seed: u64) -> WorldConfig {
        let mut cfg = self.world_config();
        if self.draw_switches {
            draw_switches(seed, &mut cfg.raft);
        }
        if seed % 2 == 1 {
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
            (f.cut, 5),
            (f.switches, 6),
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
                        let ids: Vec<u64> = (1..=n).collect();
                        let groups = split_into_groups(&mut rng, &ids);
                        // Clients live on the network too: sometimes each is placed
                        // with a group (or left outside, reaching every server).
                        let mut clients = vec![Vec::new(); groups.len()];
                        if rng.in_range(0, 2) == 0 {
                            for client in 1..=CLIENTS as u64 {
                                let g = rng.in_range(0, groups.len() as u64 + 1) as usize;
                                if let Some(placed) = clients.get_mut(g) {
                                    placed.push(client);
                                }
                            }
                        }
                        if clients.iter().all(Vec::is_empty) {
                            clients.clear();
                        }
                        out.push((at, Action::Heal));
                        out.push((at, Action::Partition { groups, clients }));
                        at += if storm == 1 {
                            rng.in_range(ms(50), ms(2000))
                        } else {
                            rng.in_range(ms(150), ms(600))
                        };
                    }
                    out.push((at, Action::Heal));
                }
                2 => {
                    // Lost client messages make the client retry (same request id).
                    const KINDS: [&str; 8] = [
                        "AppendEntries",
                        "AppendEntriesResponse",
                        "Heartbeat",
                        "RequestVote",
                        "RequestVoteResponse",
                        "InstallSnapshot",
                        "ClientRequest",
                        "ClientReply",
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
                5 => {
                    // One-way link failures: a server hears but is not heard, or the reverse.
                    let mut at = t;
                    for _ in 0..rng.in_range(1, 4) {
                        let from = rng.in_range(1, n + 1);
                        let to = rng.in_range(1, n + 1);
                        if from == to {
                            continue;
                        }
                        out.push((at, Action::Cut { from, to }));
                        let back = at + rng.in_range(ms(50), ms(2000));
                        out.push((back, Action::Mend { from, to }));
                        at += rng.in_range(0, ms(300));
                    }
                }
                // One time in three slow disks: replies wait for writes, the leader
                // for its own (dissertation §10.2.1); else a protocol switch.
                6 => {
                    if rng.in_range(0, 3) == 0 {
                        out.push((
                            t,
                            Action::SetDisk {
                                latency_us: Some(rng.in_range(0, ms(20))),
                                parallel_append: Some(rng.in_range(0, 2) == 0),
                                async_apply: Some(rng.in_range(0, 2) == 0),
                            },
                        ));
                    } else {
                        let switch =
                            Switch::ALL[rng.in_range(0, Switch::ALL.len() as u64) as usize];
                        let on = rng.in_range(0, 2) == 0;
                        if switch == Switch::LeaseRead && on {
                            // Lease reads need CheckQuorum (§6.4.1).
                            out.push((
                                t,
                                Action::SetSwitch {
                                    switch: Switch::CheckQuorum,
                                    on: true,
                                },
                            ));
                        }
                        out.push((t, Action::SetSwitch { switch, on }));
                    }
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
/// Keeps the switches' random stream apart from the schedule's and the world's.
const SWITCH_SALT: u64 = 0x5851_F42D_4C95_7F2D;
/// Clients under load in every seed's world.
const CLIENTS: usize = 2;

/// The protocol switches one seed starts with: PreVote, CheckQuorum, lease reads
/// (which need CheckQuorum, §6.4.1), the backtracking strategy and the flow-control
/// limits (entries per AppendEntries, AppendEntries in flight).
fn draw_switches(seed: u64, raft: &mut Config) {
    let mut rng = SplitMix64::new(seed ^ SWITCH_SALT);
    let mut pick = |choices: u64| rng.in_range(0, choices);
    raft.pre_vote = pick(2) == 1;
    raft.check_quorum = pick(2) == 1;
    raft.read_only = if raft.check_quorum && pick(2) == 1 {
        ReadOnly::LeaseBased
    } else {
        ReadOnly::Safe
    };
    raft.backtrack = if pick(2) == 1 {
        Backtrack::ConflictTerm
    } else {
        Backtrack::OneByOne
    };
    raft.max_entries_per_append = [1, 4, 64][pick(3) as usize];
    raft.max_inflight = [1, 2, 8][pick(3) as usize];
}

/// Shuffles `ids` and splits them into two groups, or three when there are
/// enough servers (partitions into more than two groups).
fn split_into_groups(rng: &mut SplitMix64, ids: &[u64]) -> Vec<Vec<u64>> {
    let mut ids = ids.to_vec();
    for i in (1..ids.len()).rev() {
        let j = rng.in_range(0, i as u64 + 1) as usize;
        ids.swap(i, j);
    }
    let n = ids.len() as u64;
    let first = rng.in_range(1, n.max(2)) as usize;
    let mut groups = vec![ids[..first.min(ids.len())].to_vec()];
    let rest = &ids[first.min(ids.len())..];
    if rest.len() >= 2 && rng.in_range(0, 3) == 0 {
        let second = rng.in_range(1, rest.len() as u64) as usize;
        groups.push(rest[..second].to_vec());
        groups.push(rest[second..].to_vec());
    } else {
        groups.push(rest.to_vec());
    }
    groups
}

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
        let all = Faults::parse(&Faults::NAMES.join(",")).unwrap();
        assert_eq!(all, Faults::all(), "every name is a fault of `all`");
        assert!(Faults::parse("meteor")
            .unwrap_err()
            .contains("leader-isolation"));
    }

    /// The default mix draws every protocol switch both ways and every kind of
    /// fault: crashes, partitions into two and three groups (with clients placed),
    /// one-way cuts, drops of server and client messages, membership changes,
    /// transfers, snapshots, leader isolation and switches flipped mid-run.
    #[test]
    fn the_default_mix_draws_every_switch_and_fault() {
        let fc = FuzzConfig::default();
        let configs: Vec<Config> = (0..64).map(|s| fc.world_config_for(s).raft).collect();
        for switch in Switch::ALL {
            for on in [false, true] {
                assert!(
                    configs.iter().any(|c| switch.is_on(c) == on),
                    "{switch:?} never {on}"
                );
            }
        }
        for limit in [1, 4, 64] {
            assert!(configs.iter().any(|c| c.max_entries_per_append == limit));
        }
        for limit in [1, 2, 8] {
            assert!(configs.iter().any(|c| c.max_inflight == limit));
        }
        let actions: Vec<Action> = (0..64).flat_map(|s| fc.schedule(s)).map(|a| a.1).collect();
        let any = |f: &dyn Fn(&Action) -> bool| actions.iter().any(f);
        assert!(any(&|a| matches!(a, Action::Crash { .. })));
        assert!(any(&|a| matches!(a, Action::CrashLeader)));
        assert!(any(
            &|a| matches!(a, Action::Partition { groups, .. } if groups.len() == 2)
        ));
        assert!(any(
            &|a| matches!(a, Action::Partition { groups, .. } if groups.len() == 3)
        ));
        assert!(any(
            &|a| matches!(a, Action::Partition { clients, .. } if !clients.is_empty())
        ));
        assert!(any(&|a| matches!(a, Action::Cut { .. })));
        assert!(any(&|a| matches!(a, Action::Mend { .. })));
        assert!(any(
            &|a| matches!(a, Action::DropNext { kind: Some(k), .. } if k == "ClientRequest")
        ));
        assert!(any(
            &|a| matches!(a, Action::DropNext { kind: Some(k), .. } if k == "InstallSnapshot")
        ));
        assert!(any(&|a| matches!(a, Action::RemoveServer { .. })));
        assert!(any(&|a| matches!(a, Action::AddLearner { .. })));
        assert!(any(&|a| matches!(a, Action::Transfer { .. })));
        assert!(any(&|a| matches!(a, Action::Snapshot { .. })));
        assert!(any(&|a| matches!(a, Action::IsolateNextLeader { .. })));
        assert!(any(
            &|a| matches!(a, Action::SetDisk { latency_us: Some(us), .. } if *us > 0)
        ));
        for switch in Switch::ALL {
            assert!(
                any(&|a| matches!(a, Action::SetSwitch { switch: s, .. } if *s == switch)),
                "{switch:?} is never flipped"
            );
        }
        let world = fc.world_config();
        assert!(world.network.dup_ppm > 0 && world.network.reorder_ppm > 0);
        assert!(world.snapshot_threshold > 0 && world.client_load);
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

//! The disk model and TiKV's four optimizations (chapter 12): disk latency
//! and each optimization move the leader's commit latency the way the
//! chapter says, over several seeds, with no checker violation.

use raft_sim::disk::DiskConfig;
use raft_sim::throughput::CommitSummary;
use raft_sim::{Switch, World, WorldConfig};

#[derive(Clone, Copy)]
struct Setup {
    disk: DiskConfig,
    batching: bool,
    pipelining: bool,
    /// One hop's latency range, in µs.
    hop_us: (u64, u64),
}

const FAST: Setup = Setup {
    disk: DiskConfig {
        latency_us: 0,
        parallel_append: false,
        async_apply: false,
    },
    batching: true,
    pipelining: true,
    hop_us: (1_000, 5_000),
};

/// A slow disk with batching and pipelining on, parallel append and async apply off.
fn slow() -> Setup {
    Setup {
        disk: DiskConfig {
            latency_us: 5_000,
            ..FAST.disk
        },
        ..FAST
    }
}

/// Three servers, 16 clients writing as fast as they are answered; the
/// figures of the second and third simulated seconds, per seed.
fn run(s: Setup, seed: u64) -> CommitSummary {
    let mut cfg = WorldConfig::with_nodes(3);
    cfg.clients = 16;
    cfg.client_load = true;
    cfg.client_think_us = 1_000;
    cfg.keys = 8;
    cfg.disk = s.disk;
    (cfg.network.latency_min_us, cfg.network.latency_max_us) = s.hop_us;
    Switch::Batching.set(&mut cfg.raft, s.batching);
    Switch::Pipelining.set(&mut cfg.raft, s.pipelining);
    let mut w = World::new(cfg, seed);
    w.run_until(3_000_000);
    assert!(w.violations().is_empty(), "{:?}", w.violations());
    w.commit_stats().summary(1_000_000, 3_000_000)
}

/// Mean commit latency over seeds, in µs, and committed entries per second.
fn latency(s: Setup) -> (u64, u64) {
    let runs: Vec<CommitSummary> = (1..=4).map(|seed| run(s, seed)).collect();
    let entries: u64 = runs.iter().map(|r| r.entries).sum();
    assert!(entries > 100, "the cluster commits under load ({entries})");
    let total: u64 = runs
        .iter()
        .map(|r| r.mean_latency_us.unwrap() * r.entries)
        .sum();
    (
        total / entries,
        runs.iter().map(|r| r.per_second).sum::<u64>() / 4,
    )
}

#[test]
fn a_slow_disk_makes_commits_slower() {
    let (fast, _) = latency(FAST);
    let (slow, _) = latency(slow());
    eprintln!("commit latency: disk 0 {fast} µs, disk 5 ms {slow} µs");
    // The leader's write and a follower's write (each 5 ms) are on the way now.
    assert!(slow > fast + 5_000, "{slow} vs {fast}");
}

#[test]
fn batching_makes_commits_faster() {
    let (on, _) = latency(slow());
    let (off, _) = latency(Setup {
        batching: false,
        ..slow()
    });
    eprintln!("commit latency: batching on {on} µs, off {off} µs");
    // One entry per AppendEntries: entries queue at the leader for the window.
    assert!(off > 2 * on, "{off} vs {on}");
}

/// A long network (10-15 ms per hop), where waiting for each answer costs a round trip.
fn far(mut s: Setup) -> Setup {
    s.hop_us = (10_000, 15_000);
    s
}

#[test]
fn pipelining_makes_commits_faster_on_a_long_network() {
    // With every optimization on, and with batching off (one entry per message).
    let mut tikv = far(slow());
    tikv.disk.parallel_append = true;
    tikv.disk.async_apply = true;
    for s in [
        tikv,
        far(Setup {
            batching: false,
            ..slow()
        }),
    ] {
        let (on, _) = latency(s);
        let (off, _) = latency(Setup {
            pipelining: false,
            ..s
        });
        eprintln!("commit latency: pipelining on {on} µs, off {off} µs");
        assert!(off > on, "{off} vs {on}");
    }
}

#[test]
fn parallel_append_makes_commits_faster() {
    let (off, _) = latency(slow());
    let mut s = slow();
    s.disk.parallel_append = true;
    let (on, _) = latency(s);
    eprintln!("commit latency: parallel append off {off} µs, on {on} µs");
    assert!(on < off, "{on} vs {off}");
}

#[test]
fn async_apply_makes_commits_faster() {
    let (off, _) = latency(slow());
    let mut s = slow();
    s.disk.async_apply = true;
    let (on, _) = latency(s);
    eprintln!("commit latency: async apply off {off} µs, on {on} µs");
    assert!(on < off, "{on} vs {off}");
}

/// Figure 2: a follower acknowledges entries only once they are on its disk,
/// and grants a vote only once the vote is on its disk; checked at every
/// event of a run with a slow disk and parallel append.
#[test]
fn replies_wait_for_the_write() {
    use raft_core::message::Body;
    use raft_sim::Payload;
    let mut cfg = WorldConfig::with_nodes(3);
    cfg.clients = 4;
    cfg.client_load = true;
    cfg.disk = DiskConfig {
        latency_us: 8_000,
        parallel_append: true,
        async_apply: true,
    };
    let mut w = World::new(cfg, 3);
    let (mut acks, mut votes) = (0, 0);
    while w.now_us() < 2_000_000 && w.step_one() {
        for m in w.messages() {
            let Payload::Raft(msg) = &m.payload else {
                continue;
            };
            let storage = &w.node(m.from).unwrap().storage;
            match &msg.body {
                Body::AppendEntriesResponse {
                    success: true,
                    index,
                    ..
                } => {
                    acks += 1;
                    assert!(
                        storage.last_index() >= *index,
                        "S{} acknowledged {index} with {} on disk",
                        m.from,
                        storage.last_index()
                    );
                }
                Body::RequestVoteResponse {
                    pre: false,
                    granted: true,
                } => {
                    votes += 1;
                    let hs = storage.hard_state;
                    assert!(
                        hs.current_term > msg.term
                            || (hs.current_term == msg.term && hs.voted_for == Some(m.to)),
                        "S{} granted a vote in term {} with {hs:?} on disk",
                        m.from,
                        msg.term
                    );
                }
                _ => {}
            }
        }
    }
    assert!(acks > 0 && votes > 0);
    assert!(w.violations().is_empty());
}

/// A read confirmed at an index the state machine already holds is answered
/// at once, not at some later apply (a quiet cluster has none).
#[test]
fn a_read_on_a_quiet_cluster_with_a_slow_disk_is_answered() {
    use raft_sim::client::Outcome;
    use raft_sim::{Action, KvOp};
    let mut cfg = WorldConfig::with_nodes(3);
    cfg.clients = 1;
    cfg.disk.latency_us = 5_000;
    let mut w = World::new(cfg, 4);
    let put = Action::Put {
        client: 1,
        key: "x".into(),
        value: "1".into(),
    };
    w.schedule_action(1_000_000, put);
    let get = Action::Get {
        client: 1,
        key: "x".into(),
    };
    w.schedule_action(1_500_000, get);
    w.run_until(2_000_000);
    let read = w
        .history()
        .iter()
        .find(|e| matches!(e.op, KvOp::Get { .. }) && e.outcome != Outcome::Invoke)
        .map(|e| e.outcome.clone());
    assert!(
        matches!(read, Some(Outcome::Ok(_))),
        "the read ended with {read:?}"
    );
}

/// Async apply switched on and off while applies are queued: every server
/// still applies its entries in order, one after another.
#[test]
fn switching_async_apply_keeps_entries_in_order() {
    let mut cfg = WorldConfig::with_nodes(3);
    cfg.clients = 8;
    cfg.client_load = true;
    cfg.client_think_us = 1_000;
    cfg.trace = true;
    cfg.disk.latency_us = 5_000;
    let mut w = World::new(cfg, 5);
    for k in 0..40u64 {
        let action = raft_sim::Action::SetDisk {
            latency_us: None,
            parallel_append: None,
            async_apply: Some(k % 2 == 0),
        };
        w.schedule_action(500_000 + k * 37_000, action);
    }
    w.run_until(2_500_000);
    assert!(w.violations().is_empty(), "{:?}", w.violations());
    let mut last = std::collections::BTreeMap::new();
    let mut applies = 0;
    for line in w.trace().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["ev"] != "apply" {
            continue;
        }
        applies += 1;
        let (node, index) = (v["node"].as_u64().unwrap(), v["index"].as_u64().unwrap());
        let prev = last.insert(node, index).unwrap_or(0);
        assert_eq!(index, prev + 1, "S{node} applied {index} after {prev}");
    }
    assert!(applies > 300, "{applies} applies");
}

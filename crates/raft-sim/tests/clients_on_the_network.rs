//! Clients live on the network like servers: a partition can place a client with
//! a group, and then it reaches only that group's servers (and their replies reach
//! it only from there). A client stranded with a deposed leader cannot write
//! until the network heals; a client in the majority writes through the new leader.

use raft_sim::client::Outcome;
use raft_sim::history;
use raft_sim::linearizability::CheckResult;
use raft_sim::world::{Action, World, WorldConfig};

const MS: u64 = 1_000;

fn act(w: &mut World, a: Action) {
    w.apply_action(&a).unwrap_or_else(|e| panic!("{a:?}: {e}"));
}

/// When `client`'s first successful operation completed, if it did.
fn first_ok(w: &World, client: u64) -> Option<u64> {
    w.history()
        .iter()
        .find(|e| e.client == client && matches!(e.outcome, Outcome::Ok(_)))
        .map(|e| e.t)
}

/// Cuts the leader off with one follower, puts client 1 with them (or nowhere,
/// when `place` is false) and client 2 with the majority, and has both write.
/// Returns the world, the time of the cut and the time of the heal.
fn stranded_client_run(seed: u64, place: bool) -> (World, u64, u64) {
    let mut cfg = WorldConfig::with_nodes(5);
    cfg.clients = 2;
    // Keep retrying through the partition, so the write lands once it heals.
    cfg.client_max_attempts = 1_000;
    let mut w = World::new(cfg, seed);
    w.run_until(1_000 * MS);
    let old = w
        .leader()
        .unwrap_or_else(|| panic!("seed {seed}: no leader at 1 s"));
    let mate = (1..=5).find(|&n| n != old).unwrap();
    let majority: Vec<u64> = (1..=5).filter(|&n| n != old && n != mate).collect();
    let clients = if place {
        vec![vec![1], vec![2]]
    } else {
        vec![]
    };
    act(
        &mut w,
        Action::Partition {
            groups: vec![vec![old, mate], majority],
            clients,
        },
    );
    let cut_at = w.now_us();
    for client in [1, 2] {
        act(
            &mut w,
            Action::Put {
                client,
                key: format!("k{client}"),
                value: "v".into(),
            },
        );
    }
    w.run_until(6_000 * MS);
    let heal_at = w.now_us();
    act(&mut w, Action::Heal);
    w.run_until(15_000 * MS);
    (w, cut_at, heal_at)
}

#[test]
fn a_client_placed_with_the_minority_writes_only_after_the_heal() {
    for seed in 0..12 {
        let (w, cut_at, heal_at) = stranded_client_run(seed, true);
        let majority_ok =
            first_ok(&w, 2).unwrap_or_else(|| panic!("seed {seed}: client 2 never wrote"));
        assert!(
            (cut_at..heal_at).contains(&majority_ok),
            "seed {seed}: the majority's client writes during the partition"
        );
        let stranded_ok =
            first_ok(&w, 1).unwrap_or_else(|| panic!("seed {seed}: client 1 never wrote"));
        assert!(
            stranded_ok > heal_at,
            "seed {seed}: client 1 wrote at {stranded_ok} µs, before the heal at {heal_at} µs"
        );
        assert!(
            matches!(
                history::check(w.history(), 1_000_000),
                CheckResult::Linearizable
            ),
            "seed {seed}: history not linearizable"
        );
        assert!(
            w.violations().is_empty(),
            "seed {seed}: {:?}",
            w.violations()
        );
    }
}

/// The control: a client in no group reaches every server, so its retries
/// find the new leader while the partition lasts.
#[test]
fn a_client_in_no_group_reaches_the_new_leader_during_the_partition() {
    for seed in 0..12 {
        let (w, cut_at, heal_at) = stranded_client_run(seed, false);
        let ok = first_ok(&w, 1).unwrap_or_else(|| panic!("seed {seed}: client 1 never wrote"));
        assert!(
            (cut_at..heal_at).contains(&ok),
            "seed {seed}: client 1 wrote at {ok} µs, not during the partition"
        );
    }
}

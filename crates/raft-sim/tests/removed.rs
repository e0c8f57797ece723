//! A removed server that never learns of its removal campaigns forever; it must never
//! disrupt the cluster (dissertation §4.2.3), not even while leadership is being
//! transferred, when no member holds a leader lease. A long run over many seeds.

use raft_core::Role;
use raft_sim::world::{Action, World, WorldConfig};

const MS: u64 = 1_000;

fn act(w: &mut World, a: Action) {
    w.apply_action(&a).unwrap_or_else(|e| panic!("{a:?}: {e}"));
}

/// The running leader's (id, term) once exactly one server leads.
fn leader(w: &World) -> Option<(u64, u64)> {
    let id = w.leader()?;
    w.nodes().find(|n| n.id == id).map(|n| (id, n.term))
}

#[test]
fn a_removed_server_never_disrupts_the_cluster_over_a_long_run() {
    for seed in 0..24 {
        let mut cfg = WorldConfig::with_nodes(5);
        cfg.spare_nodes = 1;
        // The servers' own rule is what is tested: no operator shuts the removed one down.
        cfg.retire_removed = false;
        let mut w = World::new(cfg, seed);
        w.run_until(1_000 * MS);
        let (first, _) = leader(&w).unwrap_or_else(|| panic!("seed {seed}: no leader at 1 s"));
        act(&mut w, Action::AddVoter { node: 6 });
        w.run_until(2_000 * MS);
        // Remove a follower while it is cut off, so that it never learns of its removal.
        let gone = (1..=5).find(|&id| id != first).unwrap();
        act(&mut w, Action::Isolate { node: gone });
        act(&mut w, Action::RemoveServer { node: gone });
        w.run_until(3_000 * MS);
        act(&mut w, Action::Heal);
        w.run_until(3_500 * MS);
        assert_eq!(
            leader(&w).map(|l| l.0),
            Some(first),
            "seed {seed}: the removal deposed the leader"
        );
        // Hand leadership back and forth every half second for a minute: each transfer opens a
        // window in which no member has a lease, and the removed server keeps campaigning.
        let removed_term = w.nodes().find(|n| n.id == gone).unwrap().term;
        let (_, mut term) = leader(&w).unwrap();
        for k in 0..120u64 {
            let to = if k % 2 == 0 { 6 } else { first };
            act(&mut w, Action::Transfer { to });
            w.run_until(3_500 * MS + (k + 1) * 500 * MS);
            let now = leader(&w);
            assert_eq!(
                now,
                Some((to, term + 1)),
                "seed {seed}: transfer {k} to S{to} (was term {term})"
            );
            term += 1;
            for n in w.nodes().filter(|n| n.id != gone && n.alive) {
                assert_eq!(
                    n.term, term,
                    "seed {seed}: S{} moved to term {} after transfer {k}",
                    n.id, n.term
                );
            }
        }
        let removed = w.nodes().find(|n| n.id == gone).unwrap();
        assert!(
            removed.role != Role::Leader,
            "seed {seed}: the removed server leads"
        );
        assert!(
            removed.term > removed_term,
            "seed {seed}: the removed server stopped campaigning (the test would prove nothing)"
        );
        assert!(
            w.violations().is_empty(),
            "seed {seed}: {:?}",
            w.violations()
        );
    }
}

/// With the world's default, a removed server is shut down once the configuration
/// without it is committed: its term stops climbing, it keeps its state, and it
/// runs again (and catches up) when it is added back.
#[test]
fn a_removed_server_is_shut_down_once_its_removal_commits_and_runs_again_when_re_added() {
    for seed in 0..12 {
        let mut w = World::new(WorldConfig::with_nodes(5), seed);
        w.run_until(1_000 * MS);
        let (first, _) = leader(&w).unwrap_or_else(|| panic!("seed {seed}: no leader at 1 s"));
        let gone = (1..=5).find(|&id| id != first).unwrap();
        act(&mut w, Action::Isolate { node: gone });
        act(&mut w, Action::RemoveServer { node: gone });
        w.run_until(1_500 * MS);
        let view = |w: &World| w.nodes().find(|n| n.id == gone).unwrap();
        assert!(view(&w).retired, "seed {seed}: not shut down");
        assert!(view(&w).alive, "seed {seed}: shut down, not crashed");
        let (term, last) = (view(&w).term, view(&w).last_index);
        act(&mut w, Action::Heal);
        w.run_until(10_000 * MS);
        assert_eq!(
            view(&w).term,
            term,
            "seed {seed}: the retired server campaigned"
        );
        assert_eq!(view(&w).last_index, last, "seed {seed}: it keeps its log");
        let (leader_now, _) = leader(&w).expect("a leader");
        act(&mut w, Action::AddVoter { node: gone });
        w.run_until(12_000 * MS);
        assert!(
            !view(&w).retired,
            "seed {seed}: still shut down after re-adding"
        );
        let leader_last = w.nodes().find(|n| n.id == leader_now).unwrap().last_index;
        assert!(
            view(&w).last_index >= leader_last.saturating_sub(1) && view(&w).last_index > last,
            "seed {seed}: the re-added server did not catch up"
        );
        assert!(
            w.violations().is_empty(),
            "seed {seed}: {:?}",
            w.violations()
        );
    }
}

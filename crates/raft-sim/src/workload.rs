//! The fixed workload the world's speed is measured on, natively (the Criterion bench
//! `world`, the example `world_rate`) and in the page's wasm (`bench_world`, called by
//! `cargo xtask bench` in headless Chromium): the same events in the same order on both.

use crate::{World, WorldConfig};

/// Simulated time the workload runs before it is measured: a leader elected, clients busy.
pub const WARM_UP_US: u64 = 1_000_000;

/// Five servers, four clients writing as fast as they are answered, snapshots every
/// 1,000 entries, no trace kept, seed 1, run to [`WARM_UP_US`].
pub fn loaded_world() -> World {
    let mut cfg = WorldConfig::with_nodes(5);
    cfg.clients = 4;
    cfg.client_load = true;
    cfg.recent_events = 0;
    cfg.snapshot_threshold = 1_000;
    let mut world = World::new(cfg, 1);
    world.run_until(WARM_UP_US);
    world
}

/// Steps `world` by `events` events; returns the simulated time reached (microseconds),
/// which the native and the wasm measurements compare to know they ran the same events.
pub fn run_events(world: &mut World, events: u64) -> u64 {
    for _ in 0..events {
        world.step_one();
    }
    world.now_us()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workload_elects_a_leader_and_commits() {
        let mut world = loaded_world();
        let before = world.nodes().map(|n| n.commit_index).max().unwrap();
        let now = run_events(&mut world, 20_000);
        assert!(now > WARM_UP_US);
        assert!(world.nodes().any(|n| n.role == raft_core::Role::Leader));
        assert!(world.nodes().map(|n| n.commit_index).max().unwrap() > before);
        assert!(world.violations().is_empty());
    }
}

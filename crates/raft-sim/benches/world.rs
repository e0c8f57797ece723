//! Events per second of a 5-server world under client load, trace off.
//! Run: `cargo bench -p raft-sim --bench world`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use raft_sim::{World, WorldConfig};

/// Events processed per iteration.
const EVENTS: u64 = 100_000;

fn loaded_world() -> World {
    let mut cfg = WorldConfig::with_nodes(5);
    cfg.clients = 4;
    cfg.client_load = true;
    cfg.recent_events = 0;
    cfg.snapshot_threshold = 1_000;
    World::new(cfg, 1)
}

fn bench(c: &mut Criterion) {
    let mut warm = loaded_world();
    warm.run_until(1_000_000);
    let mut group = c.benchmark_group("world");
    group.throughput(Throughput::Elements(EVENTS));
    group.sample_size(10);
    group.bench_function("5 nodes, 4 clients, trace off", |b| {
        b.iter_batched(
            || warm.clone(),
            |mut w| {
                for _ in 0..EVENTS {
                    w.step_one();
                }
                w
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

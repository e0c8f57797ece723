//! Events per second of a 5-server world under client load, trace off.
//! Run: `cargo bench -p raft-sim --bench world`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use raft_sim::workload::{loaded_world, run_events};

/// Events processed per iteration.
const EVENTS: u64 = 100_000;

fn bench(c: &mut Criterion) {
    let warm = loaded_world();
    let mut group = c.benchmark_group("world");
    group.throughput(Throughput::Elements(EVENTS));
    group.sample_size(10);
    group.bench_function("5 nodes, 4 clients, trace off", |b| {
        b.iter_batched(
            || warm.clone(),
            |mut w| {
                run_events(&mut w, EVENTS);
                w
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

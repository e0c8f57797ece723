//! What the page does per animation frame, natively: advance the world by one
//! 16 ms frame at real-time speed and compute everything drawn (`Frame`), and
//! what a scrub back costs. The browser runs the same code as wasm, somewhat slower.
//! Run: `cargo bench -p raft-web --bench frame`.

use criterion::{criterion_group, criterion_main, Criterion};
use raft_web::cluster::Setup;
use raft_web::view_model::{Msg, Playground, SPEED_MAX_POS};

/// A playground at real-time speed that has run `warm_ms` of simulated time.
fn warmed(nodes: usize, warm_ms: u64) -> (Playground, f64) {
    let mut pg = Playground::new(Setup::new(7, nodes), SPEED_MAX_POS, true);
    let mut wall = 0.0;
    pg.update(Msg::Frame(wall));
    while pg.now_us() < warm_ms * 1_000 {
        wall += 16.0;
        pg.update(Msg::Frame(wall));
    }
    (pg, wall)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("page");
    group.sample_size(20);
    for nodes in [5, 9] {
        let (mut pg, mut wall) = warmed(nodes, 3_000);
        group.bench_function(format!("one 16 ms frame, {nodes} servers"), |b| {
            b.iter(|| {
                wall += 16.0;
                pg.update(Msg::Frame(wall));
                pg.frame()
            })
        });
    }
    let (pg, _) = warmed(5, 6_000);
    group.bench_function("scrub back 1.1 s of 6 s, 5 servers", |b| {
        b.iter_batched(
            || pg.clone(),
            |mut pg| {
                // Not a checkpoint time (every 250 ms): the rewind replays 150 ms.
                let t = pg.now_us() - 1_100_000;
                pg.update(Msg::Scrub(t));
                pg
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

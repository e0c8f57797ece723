//! Events per second of the fixed workload (`raft_sim::workload`), natively: the figure
//! `cargo xtask bench` sets beside the same run in the page's wasm (`bench_world`).
//! Prints one JSON object: `{"events":N,"reps":R,"sim_us":T,"events_per_second":[...]}`.
//! Run: `cargo run --release --example world_rate -p raft-sim -- [EVENTS] [REPS]`.

use std::time::Instant;

use raft_sim::workload::{loaded_world, run_events};

fn main() {
    let mut args = std::env::args().skip(1);
    let events: u64 = args
        .next()
        .map_or(200_000, |a| a.parse().expect("EVENTS: a number"));
    let reps: usize = args
        .next()
        .map_or(5, |a| a.parse().expect("REPS: a number"));
    let warm = loaded_world();
    let mut rates = Vec::with_capacity(reps);
    let mut sim_us = 0;
    for _ in 0..reps {
        let mut world = warm.clone();
        let started = Instant::now();
        sim_us = run_events(&mut world, events);
        rates.push(events as f64 / started.elapsed().as_secs_f64());
    }
    let rates: Vec<String> = rates.iter().map(|r| format!("{r:.0}")).collect();
    println!(
        "{{\"events\":{events},\"reps\":{reps},\"sim_us\":{sim_us},\"events_per_second\":[{}]}}",
        rates.join(",")
    );
}

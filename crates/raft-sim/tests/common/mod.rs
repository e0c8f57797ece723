//! The worlds whose trace hashes are pinned in `tests/golden/trace_hashes.txt`,
//! shared by the native and the wasm determinism tests.

use raft_sim::fuzz::FuzzConfig;
use raft_sim::scenario::Scenario;
use raft_sim::trace::fnv1a64;

pub const GOLDEN: &str = include_str!("../golden/trace_hashes.txt");

const FIGURE8: &str = include_str!("../../../../scenarios/figure8-commit-previous-term.json");
const PARTITION: &str = include_str!("../../../../scenarios/partition-3-2.json");

/// (name, FNV-1a 64 of the trace's bytes) for every pinned world.
pub fn hashes() -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for (name, text) in [
        ("figure8-commit-previous-term", FIGURE8),
        ("partition-3-2", PARTITION),
    ] {
        let s = Scenario::parse(text, name).expect("scenario parses");
        let run = s.run(None, None, true).expect("scenario runs");
        out.push((name.to_string(), fnv1a64(run.world.trace().as_bytes())));
    }
    let fc = FuzzConfig {
        events: 6_000,
        linearizability: false,
        ..FuzzConfig::default()
    };
    let world = fc.run(7, &fc.schedule(7), true).world.expect("traced");
    out.push(("fuzz-seed-7".to_string(), fnv1a64(world.trace().as_bytes())));
    out
}

/// Parses `name 0xHASH` lines.
pub fn golden() -> Vec<(String, u64)> {
    GOLDEN
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, hash) = l.split_once(' ').expect("name hash");
            let hash = u64::from_str_radix(hash.trim().trim_start_matches("0x"), 16).expect("hex");
            (name.to_string(), hash)
        })
        .collect()
}

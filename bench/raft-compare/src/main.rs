//! raft-core against raft-rs: a 5-server in-memory cluster driven to commit N
//! commands, once on each, in four configurations (batches of 1 and 64
//! proposals, payloads of 16 B and 1 KiB). Prints commits per second (median
//! of the repetitions, with min-max) and the ratio raft-core / raft-rs.
//!
//! `cargo run --release -- [--entries N] [--reps R] [--batch B] [--payload BYTES] [--only raft-core|raft-rs]`

mod cluster;
mod raft_core_cluster;
mod raft_rs_cluster;
mod spread;

use std::process::ExitCode;
use std::time::Instant;

use cluster::{commit_entries, Cluster, Implementation, StateMachine, Workload, SERVERS};
use raft_core_cluster::RaftCoreCluster;
use raft_rs_cluster::RaftRsCluster;
use spread::Spread;

/// raft-core must commit at least this many times as fast as raft-rs.
const GOAL_RATIO: f64 = 2.0;

struct Options {
    entries: u64,
    reps: usize,
    batches: Vec<u64>,
    payloads: Vec<usize>,
    implementations: Vec<Implementation>,
}

fn parse<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("{flag}: `{value}` is not a number"))
}

fn parse_options(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        entries: 20_000,
        reps: 7,
        batches: vec![1, 64],
        payloads: vec![16, 1024],
        implementations: vec![Implementation::RaftCore, Implementation::RaftRs],
    };
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--entries" => options.entries = parse(&flag, args.next())?,
            "--reps" => options.reps = parse(&flag, args.next())?,
            "--batch" => options.batches = vec![parse(&flag, args.next())?],
            "--payload" => options.payloads = vec![parse(&flag, args.next())?],
            "--only" => {
                let name: String = args.next().ok_or("--only needs a value")?;
                let one = [Implementation::RaftCore, Implementation::RaftRs]
                    .into_iter()
                    .find(|i| i.name() == name)
                    .ok_or_else(|| format!("--only: `{name}` is neither raft-core nor raft-rs"))?;
                options.implementations = vec![one];
            }
            _ => return Err(format!("unknown argument `{flag}`")),
        }
    }
    if options.entries == 0 || options.reps == 0 || options.batches[0] == 0 {
        return Err("--entries, --reps and --batch must be at least 1".into());
    }
    Ok(options)
}

/// One timed run on a fresh cluster: seconds and messages delivered while committing.
fn measure<C: Cluster>(workload: Workload) -> (f64, u64) {
    let mut cluster = C::elect();
    let before = cluster.network().delivered();
    let start = Instant::now();
    commit_entries(&mut cluster, workload);
    let seconds = start.elapsed().as_secs_f64();
    let expected = StateMachine::expected(workload);
    for (i, applied) in cluster.applied().into_iter().enumerate() {
        assert_eq!(applied, expected, "server {} applied something else", i + 1);
    }
    (seconds, cluster.network().delivered() - before)
}

/// Commits per second of each repetition, and messages delivered per commit.
struct Runs {
    commits_per_second: Vec<f64>,
    messages_per_commit: f64,
}

fn run(implementation: Implementation, workload: Workload, runs: &mut Runs) {
    let (seconds, messages) = match implementation {
        Implementation::RaftCore => measure::<RaftCoreCluster>(workload),
        Implementation::RaftRs => measure::<RaftRsCluster>(workload),
    };
    runs.commits_per_second
        .push(workload.entries as f64 / seconds);
    runs.messages_per_commit = messages as f64 / workload.entries as f64;
}

fn format_rate(s: Spread) -> String {
    format!(
        "{:.0} k ({:.0}-{:.0})",
        s.median / 1e3,
        s.min / 1e3,
        s.max / 1e3
    )
}

fn main() -> ExitCode {
    let options = match parse_options(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("raft-compare: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "{SERVERS} servers, {} commits per run, median of {} runs (min-max); commits/s in thousands",
        options.entries, options.reps
    );
    println!();
    println!("| batch | payload | raft-core commits/s | raft-rs commits/s | ratio core/rs | messages per commit (core / rs) | goal >= {GOAL_RATIO}x |");
    println!("|---|---|---|---|---|---|---|");
    let mut all_met = true;
    for &batch in &options.batches {
        for &payload in &options.payloads {
            let workload = Workload {
                entries: options.entries,
                batch,
                payload,
            };
            let mut runs: Vec<Runs> = options
                .implementations
                .iter()
                .map(|_| Runs {
                    commits_per_second: Vec::new(),
                    messages_per_commit: 0.0,
                })
                .collect();
            // Interleaved, so a slow spell of the shared machine hits both sides.
            for _ in 0..options.reps {
                for (implementation, runs) in options.implementations.iter().zip(&mut runs) {
                    run(*implementation, workload, runs);
                }
            }
            let cell = |i: Implementation| {
                let k = options.implementations.iter().position(|&x| x == i)?;
                Some(&runs[k])
            };
            let core = cell(Implementation::RaftCore);
            let rs = cell(Implementation::RaftRs);
            let rate = |r: Option<&Runs>| {
                r.and_then(|r| Spread::of(&r.commits_per_second))
                    .map_or("-".to_string(), format_rate)
            };
            let (ratio, messages, met) = match (core, rs) {
                (Some(core), Some(rs)) => {
                    let ratios: Vec<f64> = core
                        .commits_per_second
                        .iter()
                        .zip(&rs.commits_per_second)
                        .map(|(c, r)| c / r)
                        .collect();
                    let s = Spread::of(&ratios).expect("at least one repetition");
                    let met = s.median >= GOAL_RATIO;
                    all_met &= met;
                    (
                        format!("{:.2} ({:.2}-{:.2})", s.median, s.min, s.max),
                        format!(
                            "{:.1} / {:.1}",
                            core.messages_per_commit, rs.messages_per_commit
                        ),
                        if met { "met" } else { "not met" },
                    )
                }
                _ => ("-".into(), "-".into(), "-"),
            };
            println!(
                "| {batch} | {payload} B | {} | {} | {ratio} | {messages} | {met} |",
                rate(core),
                rate(rs)
            );
        }
    }
    if options.implementations.len() == 2 {
        println!();
        println!(
            "goal (raft-core >= {GOAL_RATIO}x raft-rs in every configuration): {}",
            if all_met { "met" } else { "not met" }
        );
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both sides apply every command on every server (`measure` checks it) and,
    /// one proposal at a time, exchange the same messages: an AppendEntries and
    /// its reply per follower, then the commit index and its reply per follower.
    #[test]
    fn both_sides_do_the_same_work_one_proposal_at_a_time() {
        let workload = Workload {
            entries: 50,
            batch: 1,
            payload: 33,
        };
        let (_, core) = measure::<RaftCoreCluster>(workload);
        let (_, rs) = measure::<RaftRsCluster>(workload);
        let per_commit = 4 * (SERVERS - 1);
        assert_eq!(core, per_commit * workload.entries);
        assert_eq!(rs, per_commit * workload.entries);
    }

    #[test]
    fn batches_that_do_not_divide_the_count_still_commit_everything() {
        let workload = Workload {
            entries: 100,
            batch: 64,
            payload: 1024,
        };
        measure::<RaftCoreCluster>(workload);
        measure::<RaftRsCluster>(workload);
    }

    #[test]
    fn bad_arguments_are_refused() {
        let args = |a: &[&str]| parse_options(a.iter().map(|s| s.to_string()));
        assert!(args(&["--entries", "ten"]).is_err());
        assert!(args(&["--reps", "0"]).is_err());
        assert!(args(&["--only", "etcd"]).is_err());
        assert!(args(&["--batch"]).is_err());
        let o = args(&["--only", "raft-rs", "--batch", "64", "--payload", "16"]).unwrap();
        assert_eq!(o.implementations, vec![Implementation::RaftRs]);
        assert_eq!((o.batches, o.payloads), (vec![64], vec![16]));
    }
}

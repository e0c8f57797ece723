//! `raft-sim fuzz`: many seeds, each with a random fault schedule, shared among threads.
//!
//! Threads take the next seed from a shared counter and report each outcome; the main
//! thread prints them in seed order, so what is printed (and the final line) is the same
//! whatever the thread count. With `--stop-at-first` the run stops at the lowest failing
//! seed: seeds after it that were already running are left out of the output and totals.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::num::NonZeroUsize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::Args;
use raft_sim::fuzz::{Faults, FuzzConfig};
use raft_sim::Bug;

use crate::progress::Progress;
use crate::{write, BadInput, Verdict};

/// Re-runs allowed to minimize one failing schedule.
const MINIMIZE_RUNS: usize = 200;

#[derive(Args, Debug)]
pub struct FuzzArgs {
    /// The seeds to run: A..B (B excluded) or A..=B.
    #[arg(long, value_name = "A..B", value_parser = parse_seeds)]
    seeds: Range<u64>,
    /// Servers in the cluster, 1 to 9 [default: 5]; a list (3,5,7) runs every seed with each.
    #[arg(long, value_name = "N[,N...]", value_parser = parse_nodes)]
    nodes: Option<ServerCounts>,
    /// World events per seed [default: 20000].
    #[arg(long, value_name = "K")]
    events: Option<u64>,
    /// Fault kinds: crash, partition, drop, dup, reorder, membership, all (the default),
    /// none, and the opt-in leader-isolation; comma-separated.
    #[arg(long, value_name = "LIST", value_parser = parse_faults)]
    faults: Option<Faults>,
    /// Run with one broken rule.
    #[arg(long, value_name = "NAME", value_parser = bug_names())]
    bug: Option<Bug>,
    /// Write every seed's trace here as seed-N.jsonl (N-servers/seed-N.jsonl with a list of --nodes).
    #[arg(long, value_name = "DIR")]
    trace_dir: Option<PathBuf>,
    /// Threads sharing the seeds [default: every core].
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    threads: Option<NonZeroUsize>,
    /// Stop at the first (lowest) failing seed.
    #[arg(long)]
    stop_at_first: bool,
}

/// The `--nodes` list.
#[derive(Clone, Debug)]
pub struct ServerCounts(Vec<usize>);

fn parse_seeds(text: &str) -> Result<Range<u64>, String> {
    let bad = || format!("`{text}` is not a range A..B");
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let a: u64 = a.parse().map_err(|_| bad())?;
    let b: u64 = match b.strip_prefix('=') {
        Some(last) => last.parse::<u64>().ok().and_then(|b| b.checked_add(1)),
        None => b.parse().ok(),
    }
    .ok_or_else(bad)?;
    if b < a {
        return Err(bad());
    }
    Ok(a..b)
}

fn parse_nodes(text: &str) -> Result<ServerCounts, String> {
    let counts = text
        .split(',')
        .map(|n| match n.trim().parse::<usize>() {
            Ok(n) if (1..=9).contains(&n) => Ok(n),
            _ => Err(format!("`{n}` servers: must be between 1 and 9")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ServerCounts(counts))
}

fn parse_faults(text: &str) -> Result<Faults, String> {
    Faults::parse(text)
}

/// `--bug`'s values, `Bug::ALL`'s names (listed by --help and in the error).
pub(crate) fn bug_names() -> impl TypedValueParser<Value = Bug> {
    PossibleValuesParser::new(Bug::ALL.map(Bug::name))
        .try_map(|name| Bug::parse(&name).ok_or(format!("unknown bug `{name}`")))
}

pub(crate) fn parse_threads(text: &str) -> Result<NonZeroUsize, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a thread count (1 or more)"))
}

/// One seed run: the `index`-th of the campaign, `seed` with `nodes` servers.
#[derive(Clone, Copy)]
struct Job {
    index: u64,
    seed: u64,
    nodes: usize,
}

/// What one seed run found.
struct SeedOutcome {
    job: Job,
    events: u64,
    /// The violation and its minimized schedule, as printed.
    report: Option<String>,
    trace: Option<PathBuf>,
}

/// What the threads share.
struct Campaign<'a> {
    args: &'a FuzzArgs,
    /// One a server count.
    configs: Vec<FuzzConfig>,
    runs: u64,
    /// The next job index to hand out.
    next: AtomicU64,
    /// Jobs from this index on are not started (lowered by a failure with --stop-at-first).
    limit: AtomicU64,
}

impl Campaign<'_> {
    /// Seed after seed, each with every server count in turn (so the work is even
    /// along the run and the ETA holds).
    fn job(&self, index: u64) -> Job {
        let counts = self.configs.len() as u64;
        Job {
            index,
            seed: self.args.seeds.start + index / counts,
            nodes: self.config(index).nodes,
        }
    }

    fn config(&self, index: u64) -> &FuzzConfig {
        &self.configs[(index % self.configs.len() as u64) as usize]
    }

    fn claim(&self) -> Option<Job> {
        self.next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |i| {
                (i < self.limit.load(Ordering::SeqCst)).then_some(i + 1)
            })
            .ok()
            .map(|i| self.job(i))
    }

    fn several_counts(&self) -> bool {
        self.configs.len() > 1
    }

    /// Runs one seed, writes its trace if asked, minimizes a failing schedule.
    fn run(&self, job: Job) -> Result<SeedOutcome, BadInput> {
        let fc = self.config(job.index);
        let schedule = fc.schedule(job.seed);
        let run = fc.run(job.seed, &schedule, self.args.trace_dir.is_some());
        let trace = match (&self.args.trace_dir, &run.world) {
            (Some(dir), Some(world)) => {
                let path = self.trace_path(dir, job);
                write(&path, world.trace())?;
                Some(path)
            }
            _ => None,
        };
        let report = run.violation.map(|v| {
            let minimized = fc.minimize(job.seed, &schedule, v.invariant, MINIMIZE_RUNS);
            let (servers, nodes_flag) = if self.several_counts() {
                (
                    format!(" ({} servers)", job.nodes),
                    format!(" --nodes {}", job.nodes),
                )
            } else {
                (String::new(), String::new())
            };
            let mut text = format!("seed {}{servers}: {v}\n", job.seed);
            let _ = writeln!(
                text,
                "  minimized to {} of {} actions (reproduce: raft-sim fuzz --seeds {}..{}{nodes_flag} with the same flags):",
                minimized.len(),
                schedule.len(),
                job.seed,
                job.seed + 1
            );
            for (t, action) in &minimized {
                let json = serde_json::to_string(action).unwrap_or_default();
                let _ = writeln!(text, "    {{\"at_ms\": {}, {}", *t as f64 / 1000.0, &json[1..]);
            }
            text
        });
        Ok(SeedOutcome {
            job,
            events: run.events,
            report,
            trace,
        })
    }

    fn trace_path(&self, dir: &Path, job: Job) -> PathBuf {
        let file = format!("seed-{}.jsonl", job.seed);
        if self.several_counts() {
            dir.join(format!("{}-servers", job.nodes)).join(file)
        } else {
            dir.join(file)
        }
    }
}

/// The totals of the seeds in the output.
#[derive(Default)]
struct Totals {
    runs: u64,
    events: u64,
    violations: u64,
}

pub fn fuzz(args: &FuzzArgs) -> Result<Verdict, BadInput> {
    let counts = args
        .nodes
        .clone()
        .map_or_else(|| vec![FuzzConfig::default().nodes], |ServerCounts(c)| c);
    let configs: Vec<FuzzConfig> = counts
        .iter()
        .map(|&nodes| {
            let mut fc = FuzzConfig {
                nodes,
                bug: args.bug,
                ..FuzzConfig::default()
            };
            if let Some(k) = args.events {
                fc.events = k.max(1);
            }
            if let Some(f) = args.faults {
                fc.faults = f;
            }
            fc
        })
        .collect();
    if let Some(dir) = &args.trace_dir {
        let dirs: Vec<PathBuf> = if configs.len() > 1 {
            counts
                .iter()
                .map(|n| dir.join(format!("{n}-servers")))
                .collect()
        } else {
            vec![dir.clone()]
        };
        for d in dirs {
            std::fs::create_dir_all(&d).map_err(|e| BadInput(format!("{}: {e}", d.display())))?;
        }
    }
    let seeds = args.seeds.end - args.seeds.start;
    let runs = seeds
        .checked_mul(configs.len() as u64)
        .ok_or_else(|| BadInput(format!("--seeds: {seeds} seeds is too many")))?;
    let campaign = Campaign {
        args,
        configs,
        runs,
        next: AtomicU64::new(0),
        limit: AtomicU64::new(runs),
    };
    let threads = args
        .threads
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, |n| n.get() as u64)
        .min(runs.max(1));

    let mut progress = Progress::new(runs);
    let (totals, failure) = std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel();
        for _ in 0..threads {
            let tx = tx.clone();
            let campaign = &campaign;
            scope.spawn(move || {
                while let Some(job) = campaign.claim() {
                    let outcome = campaign.run(job);
                    match &outcome {
                        Ok(o) if o.report.is_some() && campaign.args.stop_at_first => {
                            campaign.limit.fetch_min(job.index + 1, Ordering::SeqCst);
                        }
                        Err(_) => campaign.limit.store(0, Ordering::SeqCst),
                        Ok(_) => {}
                    }
                    if tx.send(outcome).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        print_in_order(&campaign, rx, &mut progress)
    });
    progress.finish(totals.runs, totals.events, totals.violations);
    if let Some(e) = failure {
        return Err(e);
    }
    println!(
        "seeds: {}, events: {}, violations: {}",
        totals.runs, totals.events, totals.violations
    );
    Ok(Verdict::from_ok(totals.violations == 0))
}

/// Prints each outcome once every earlier one is printed, and adds it to the totals;
/// after the first failure with --stop-at-first, later outcomes are left out (and
/// their traces removed).
fn print_in_order(
    campaign: &Campaign,
    outcomes: mpsc::Receiver<Result<SeedOutcome, BadInput>>,
    progress: &mut Progress,
) -> (Totals, Option<BadInput>) {
    let mut totals = Totals::default();
    let mut failure = None;
    let mut pending = BTreeMap::new();
    let mut next_index = 0;
    let mut stopped = false;
    let mut left_out = Vec::new();
    for outcome in outcomes {
        let outcome = match outcome {
            Ok(o) => o,
            Err(e) => {
                failure.get_or_insert(e);
                continue;
            }
        };
        progress.seed_done(outcome.events, outcome.report.is_some());
        pending.insert(outcome.job.index, outcome);
        while let Some(o) = pending.remove(&next_index) {
            next_index += 1;
            if stopped {
                left_out.push(o);
                continue;
            }
            totals.runs += 1;
            totals.events += o.events;
            if let Some(report) = &o.report {
                totals.violations += 1;
                progress.print(report);
                stopped = campaign.args.stop_at_first;
            }
        }
    }
    debug_assert!(stopped || failure.is_some() || totals.runs == campaign.runs);
    for o in left_out.into_iter().chain(pending.into_values()) {
        if let Some(path) = o.trace {
            let _ = std::fs::remove_file(path);
        }
    }
    (totals, failure)
}

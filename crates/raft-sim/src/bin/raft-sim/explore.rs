//! `raft-sim explore`: every schedule within bounds, from a fresh cluster or a
//! scenario's servers; a shortest counterexample written as a scenario file.

use std::io::IsTerminal;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};
use raft_sim::explore::{self, Bounds, Progress};
use raft_sim::scenario::Scenario;
use raft_sim::Bug;

use crate::fuzz::{bug_names, parse_threads};
use crate::{read, write, BadInput, Verdict};

#[derive(Args, Debug)]
pub struct ExploreArgs {
    /// Start from this scenario's servers, initial state, switches and bugs
    /// (its actions and expectations are not run).
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// Servers of a fresh cluster (without --scenario), 1 to 9.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=9))]
    nodes: u8,
    /// The longest schedule explored, in choices.
    #[arg(long, default_value_t = 40)]
    depth: u32,
    /// The choices besides delivering messages: drop, dup, crash, timeout, write, all
    /// (the default) or none; comma-separated.
    #[arg(long, value_name = "LIST", value_parser = parse_faults, default_value = "all")]
    faults: FaultSet,
    /// Elections (election timeouts fired) per schedule.
    #[arg(long, default_value_t = 2)]
    max_elections: u8,
    /// Client writes per schedule.
    #[arg(long, default_value_t = 2)]
    max_writes: u8,
    #[arg(long, default_value_t = 1)]
    max_drops: u8,
    #[arg(long, default_value_t = 1)]
    max_dups: u8,
    #[arg(long, default_value_t = 1)]
    max_crashes: u8,
    /// Explore with one broken rule.
    #[arg(long, value_name = "NAME", value_parser = bug_names())]
    bug: Option<Bug>,
    /// Threads expanding each level [default: every core].
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    threads: Option<NonZeroUsize>,
    /// Where to write a counterexample (a scenario file).
    #[arg(long, value_name = "FILE", default_value = "counterexample.json")]
    out: PathBuf,
}

/// The `--faults` kinds switched on.
#[derive(Clone, Copy, Debug)]
pub struct FaultSet {
    drop: bool,
    dup: bool,
    crash: bool,
    timeout: bool,
    write: bool,
}

fn parse_faults(text: &str) -> Result<FaultSet, String> {
    let mut f = FaultSet {
        drop: false,
        dup: false,
        crash: false,
        timeout: false,
        write: false,
    };
    for name in text.split(',').map(str::trim) {
        match name {
            "drop" => f.drop = true,
            "dup" => f.dup = true,
            "crash" => f.crash = true,
            "timeout" => f.timeout = true,
            "write" => f.write = true,
            "all" => {
                f = FaultSet {
                    drop: true,
                    dup: true,
                    crash: true,
                    timeout: true,
                    write: true,
                }
            }
            "none" => {}
            _ => {
                return Err(format!(
                    "unknown fault `{name}` (drop, dup, crash, timeout, write, all, none)"
                ))
            }
        }
    }
    Ok(f)
}

impl ExploreArgs {
    fn bounds(&self) -> Bounds {
        let f = self.faults;
        let on = |yes: bool, n: u8| if yes { n } else { 0 };
        Bounds {
            depth: self.depth,
            elections: on(f.timeout, self.max_elections),
            writes: on(f.write, self.max_writes),
            drops: on(f.drop, self.max_drops),
            dups: on(f.dup, self.max_dups),
            crashes: on(f.crash, self.max_crashes),
        }
    }
}

fn bar() -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(None, target);
    let style = ProgressStyle::with_template("{elapsed_precise} {spinner} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn per_second(n: u64, d: Duration) -> f64 {
    let s = d.as_secs_f64();
    if s > 0.0 {
        n as f64 / s
    } else {
        0.0
    }
}

pub fn explore(args: &ExploreArgs) -> Result<Verdict, BadInput> {
    let base = match &args.scenario {
        Some(p) => {
            let path = p.display().to_string();
            let text = read(p)?;
            Some(Scenario::parse(&text, &path).map_err(|e| BadInput(e.to_string()))?)
        }
        None => None,
    };
    let bugs: Vec<Bug> = args.bug.into_iter().collect();
    let skeleton = explore::skeleton(base.as_ref(), usize::from(args.nodes), &bugs);
    let bounds = args.bounds();
    let (model, start) = explore::start(&skeleton, bounds).map_err(BadInput)?;
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        NonZeroUsize::get,
    );
    let bar = bar();
    let report = explore::explore(&model, start.clone(), threads, &mut |p: &Progress| {
        bar.set_message(format!(
            "{} states, {:.0} k states/s, frontier depth {} ({} states)",
            HumanCount(p.states),
            per_second(p.states, p.elapsed) / 1e3,
            p.depth,
            HumanCount(p.frontier),
        ));
    });
    bar.finish_and_clear();
    let rate = report.states_per_second();
    let generated = per_second(report.transitions, report.elapsed);
    println!(
        "explored {} servers: depth {}, elections {}, writes {}, drops {}, dups {}, crashes {}{}",
        start.slots.len(),
        bounds.depth,
        bounds.elections,
        bounds.writes,
        bounds.drops,
        bounds.dups,
        bounds.crashes,
        skeleton
            .bugs
            .iter()
            .map(|b| format!(", bug {}", b.name()))
            .collect::<String>(),
    );
    println!(
        "{} states generated in {:.2} s on {threads} threads: {:.0} unique states/s ({:.0} per thread), {:.0} generated/s ({:.0} per thread); {}",
        HumanCount(report.transitions),
        report.elapsed.as_secs_f64(),
        rate,
        rate / threads as f64,
        generated,
        generated / threads as f64,
        if report.violation.is_some() {
            "stopped at the first violation"
        } else if report.exhausted {
            "every state within the bounds explored"
        } else {
            "states remain past the depth bound"
        },
    );
    let Some(cx) = &report.violation else {
        println!(
            "states: {}, depth: {}, violations: 0",
            report.states, report.depth
        );
        return Ok(Verdict::Safe);
    };
    let scenario = explore::counterexample(&skeleton, &model, &start, cx)
        .map_err(|e| BadInput(format!("writing the counterexample: {e}")))?;
    let text = serde_json::to_string_pretty(&scenario)
        .map_err(|e| BadInput(format!("writing the counterexample: {e}")))?;
    write(&args.out, &(text + "\n"))?;
    println!(
        "{} violated after {} steps: {}",
        cx.found.invariant,
        cx.choices.len(),
        cx.found.message
    );
    for (k, c) in cx.choices.iter().enumerate() {
        println!("  {:>2}. {c:?}", k + 1);
    }
    let replayed = explore::replays_to(&scenario, &cx.found).unwrap_or(false);
    println!(
        "counterexample written to {} ({}; replay with `raft-sim run {}`)",
        args.out.display(),
        if replayed {
            "its replay breaks the same invariant"
        } else {
            "its replay did NOT break the same invariant"
        },
        args.out.display()
    );
    println!(
        "states: {}, depth: {}, violations: 1",
        report.states,
        cx.choices.len()
    );
    Ok(Verdict::Violation)
}

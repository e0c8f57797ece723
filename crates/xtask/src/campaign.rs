//! Fuzz campaigns with the native CLI built for speed (`--profile cli`): the campaign
//! stage of `cargo xtask test` and `cargo xtask fuzz-long`.
//!
//! A campaign runs `raft-sim fuzz` over 3, 5 and 7 servers (every seed with each) on
//! every core, from a first seed until an event budget is spent or a last seed is
//! reached. It runs in chunks: a short first one measures the events a seed gives, the
//! next covers what is left of the budget, so its progress bar's ETA is the campaign's.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{show, Ctx};

/// Every seed runs with each of these server counts.
const SERVERS: &str = "3,5,7";
/// Seeds in a campaign's first chunk.
const FIRST_CHUNK: u64 = 100;
/// The campaign stage of `cargo xtask test`: at least this many world events.
const STAGE_EVENTS: u64 = 20_000_000;
/// `cargo xtask fuzz-long` by default: at least this many world events.
const LONG_EVENTS: u64 = 1_000_000_000;
/// Each bug switch must be found in these seeds by the default fault mix.
const BUG_SEEDS: std::ops::Range<u64> = 0..1000;

const FUZZ_LONG_USAGE: &str = "\
usage: cargo xtask fuzz-long [--seeds A..B | --seeds A..] [--events N]

  --seeds A..B  run exactly these seeds (machine k of a shared campaign: k*S..(k+1)*S)
  --seeds A..   run from seed A until --events are done (default: 0..)
  --events N    the campaign's world events (default 1000000000); with A..B it stops at
                whichever comes first";

/// Which seeds a campaign runs, and how many events it needs.
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    first_seed: u64,
    /// Excluded; `None`: until the budget is spent.
    end_seed: Option<u64>,
    /// `None`: the whole range.
    events: Option<u64>,
}

impl Plan {
    /// Parses `fuzz-long`'s arguments.
    pub fn parse(args: &[String]) -> Result<Plan, String> {
        let mut plan = Plan {
            first_seed: 0,
            end_seed: None,
            events: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n{FUZZ_LONG_USAGE}"))?;
            let bad = || format!("{flag}: `{value}` is not valid\n{FUZZ_LONG_USAGE}");
            match flag.as_str() {
                "--seeds" => {
                    let (a, b) = value.split_once("..").ok_or_else(bad)?;
                    plan.first_seed = a.parse().map_err(|_| bad())?;
                    plan.end_seed = match b {
                        "" => None,
                        b => Some(b.parse().map_err(|_| bad())?),
                    };
                    if plan.end_seed.is_some_and(|b| b < plan.first_seed) {
                        return Err(bad());
                    }
                }
                "--events" => plan.events = Some(value.parse().map_err(|_| bad())?),
                _ => return Err(format!("unknown argument `{flag}`\n{FUZZ_LONG_USAGE}")),
            }
        }
        if plan.end_seed.is_none() && plan.events.is_none() {
            plan.events = Some(LONG_EVENTS);
        }
        Ok(plan)
    }
}

/// What `raft-sim fuzz` printed last: `seeds: S, events: E, violations: V`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Totals {
    runs: u64,
    events: u64,
    violations: u64,
}

impl Totals {
    fn parse(line: &str) -> Option<Totals> {
        let mut numbers = line.split(", ").map(|part| part.split_once(": "));
        let mut next = |name: &str| match numbers.next()? {
            Some((n, v)) if n == name => v.parse().ok(),
            _ => None,
        };
        Some(Totals {
            runs: next("seeds")?,
            events: next("events")?,
            violations: next("violations")?,
        })
    }

    fn add(&mut self, other: Totals) {
        self.runs += other.runs;
        self.events += other.events;
        self.violations += other.violations;
    }
}

/// Builds raft-sim with the fast profile; returns the binary.
fn build(ctx: &Ctx) -> Result<PathBuf, String> {
    ctx.run(ctx.cargo().args([
        "build",
        "-p",
        "raft-sim",
        "--bin",
        "raft-sim",
        "--profile",
        "cli",
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| ctx.root.join("target"));
    Ok(target.join("cli/raft-sim"))
}

/// One `raft-sim fuzz` run: its totals, whether it exited 0, its first failing seed's line.
struct FuzzRun {
    totals: Totals,
    clean: bool,
    first_violation: Option<String>,
}

/// Runs `raft-sim fuzz ARGS` (its bar and summary on stderr); `echo` passes its
/// standard output through.
fn fuzz(ctx: &Ctx, bin: &Path, args: &[String], echo: bool) -> Result<FuzzRun, String> {
    let mut cmd = Command::new(bin);
    cmd.current_dir(&ctx.root).arg("fuzz").args(args);
    let shown = show(&cmd);
    println!("$ {shown}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let (mut last, mut first_violation) = (String::new(), None);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.map_err(|e| format!("`{shown}`: {e}"))?;
            if echo {
                println!("{line}");
            }
            if first_violation.is_none() && line.starts_with("seed ") {
                first_violation = Some(line.clone());
            }
            last = line;
        }
    }
    let status = child.wait().map_err(|e| format!("`{shown}`: {e}"))?;
    match (status.code(), Totals::parse(&last)) {
        (Some(0 | 1), Some(totals)) => Ok(FuzzRun {
            totals,
            clean: status.success(),
            first_violation,
        }),
        _ => Err(format!("`{shown}` failed ({status})")),
    }
}

/// Runs `plan` in chunks; prints and returns the totals.
fn campaign(ctx: &Ctx, bin: &Path, plan: &Plan) -> Result<Totals, String> {
    let started = Instant::now();
    let mut totals = Totals::default();
    let mut seed = plan.first_seed;
    let servers = SERVERS.split(',').count() as u64;
    loop {
        let left = plan.events.map(|e| e.saturating_sub(totals.events));
        if left == Some(0) || plan.end_seed.is_some_and(|end| seed >= end) {
            break;
        }
        // First a short chunk; then as many seeds as the events left need, by the
        // events a seed has given so far (2% more, so a third chunk is rare).
        let seeds = match (left, totals.runs) {
            (Some(left), runs) if runs > 0 => {
                let per_seed = (totals.events / (runs / servers).max(1)).max(1);
                (left + left / 50).div_ceil(per_seed).max(1)
            }
            (Some(_), _) => FIRST_CHUNK,
            (None, _) => u64::MAX,
        };
        let end = plan.end_seed.map_or(seed.saturating_add(seeds), |e| {
            e.min(seed.saturating_add(seeds))
        });
        let args = [
            "--nodes".to_string(),
            SERVERS.to_string(),
            "--seeds".to_string(),
            format!("{seed}..{end}"),
        ];
        totals.add(fuzz(ctx, bin, &args, true)?.totals);
        seed = end;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "campaign: seeds {}..{seed} with {SERVERS} servers: {} seed runs, {} events, {} violations, {:.1} s wall time, {:.2} M events/s",
        plan.first_seed,
        totals.runs,
        totals.events,
        totals.violations,
        seconds,
        totals.events as f64 / seconds.max(1e-9) / 1e6
    );
    Ok(totals)
}

/// `cargo xtask fuzz-long`.
pub fn fuzz_long(ctx: &Ctx, args: &[String]) -> Result<(), String> {
    let plan = Plan::parse(args)?;
    let bin = build(ctx)?;
    let totals = campaign(ctx, &bin, &plan)?;
    if totals.violations > 0 {
        return Err(format!(
            "{} violations (the failing seeds are printed above)",
            totals.violations
        ));
    }
    Ok(())
}

/// The campaign stage of `cargo xtask test`: no violation in at least 20 million events,
/// and every bug switch found by the default fault mix within seeds 0..1000.
pub fn stage(ctx: &Ctx) -> Result<(), String> {
    let bin = build(ctx)?;
    let plan = Plan {
        first_seed: 0,
        end_seed: None,
        events: Some(STAGE_EVENTS),
    };
    let totals = campaign(ctx, &bin, &plan)?;
    let mut problems = Vec::new();
    if totals.violations > 0 {
        problems.push(format!("{} violations without a bug", totals.violations));
    }
    let seeds = format!("{}..{}", BUG_SEEDS.start, BUG_SEEDS.end);
    for bug in bug_names(&bin)? {
        let args = [
            "--bug".to_string(),
            bug.clone(),
            "--seeds".to_string(),
            seeds.clone(),
            "--stop-at-first".to_string(),
        ];
        let run = fuzz(ctx, &bin, &args, false)?;
        match run.first_violation {
            Some(line) if !run.clean => println!("bug {bug}: found, {line}"),
            _ => {
                println!("bug {bug}: NOT found in seeds {seeds}");
                problems.push(format!("bug {bug} not found in seeds {seeds}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// The bug switches, as `raft-sim fuzz --help` lists them (`Bug::ALL`).
fn bug_names(bin: &Path) -> Result<Vec<String>, String> {
    let out = Command::new(bin)
        .args(["fuzz", "--help"])
        .output()
        .map_err(|e| format!("raft-sim fuzz --help: {e}"))?;
    let help = String::from_utf8_lossy(&out.stdout);
    let names: Vec<String> = help
        .lines()
        .filter(|l| l.trim_start().starts_with("--bug"))
        .filter_map(|l| l.split_once("[possible values: "))
        .flat_map(|(_, list)| list.trim_end_matches(']').split(", "))
        .map(str::to_string)
        .collect();
    if names.is_empty() {
        return Err("raft-sim fuzz --help lists no bug switch".into());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fuzz_long_arguments() {
        let plan = |list: &[&str]| Plan::parse(&args(list));
        let default = plan(&[]).unwrap();
        assert_eq!((default.first_seed, default.end_seed), (0, None));
        assert_eq!(default.events, Some(1_000_000_000));
        let shard = plan(&["--seeds", "21000..42000"]).unwrap();
        assert_eq!(
            (shard.first_seed, shard.end_seed, shard.events),
            (21000, Some(42000), None)
        );
        let open = plan(&["--seeds", "7..", "--events", "5000"]).unwrap();
        assert_eq!(
            (open.first_seed, open.end_seed, open.events),
            (7, None, Some(5000))
        );
        for bad in [
            &["--seeds"][..],
            &["--seeds", "5..2"],
            &["--seeds", "x"],
            &["--events", "many"],
            &["--threads", "2"],
        ] {
            assert!(plan(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reads_the_fuzz_totals() {
        assert_eq!(
            Totals::parse("seeds: 300, events: 4811629, violations: 2"),
            Some(Totals {
                runs: 300,
                events: 4_811_629,
                violations: 2
            })
        );
        assert_eq!(Totals::parse("seed 4: vote_once violated"), None);
    }
}

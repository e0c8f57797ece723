//! `raft-sim`: run a scenario, fuzz, or re-check a trace.
//!
//! Exit codes: 0 safe, 1 a violation (or a failed expectation), 2 bad input.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use raft_sim::checker::Checker;
use raft_sim::fuzz::{Faults, FuzzConfig};
use raft_sim::history;
use raft_sim::linearizability::CheckResult;
use raft_sim::scenario::Scenario;
use raft_sim::trace::{parse_line, TraceEvent};
use raft_sim::{Bug, World};

const USAGE: &str = "usage:
  raft-sim run SCENARIO.json [--seed N] [--until-ms T] [--trace OUT.jsonl]
  raft-sim fuzz --seeds A..B [--nodes N] [--events K] [--faults crash,partition,drop,dup,reorder,membership] [--bug NAME] [--trace-dir DIR]
  raft-sim check TRACE.jsonl

exit codes: 0 safe, 1 violation, 2 bad input";

/// A usage or input error: exit code 2.
struct BadInput(String);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(true)
        }
        Some(other) => Err(BadInput(format!("unknown command `{other}`\n{USAGE}"))),
        None => Err(BadInput(USAGE.to_string())),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(BadInput(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Splits `--flag value` options from positional arguments.
fn parse_flags(
    args: &[String],
    known: &[&str],
) -> Result<(Vec<String>, BTreeMap<String, String>), BadInput> {
    let mut positional = Vec::new();
    let mut flags = BTreeMap::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(name) = a.strip_prefix("--") {
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => {
                    let v = it
                        .next()
                        .ok_or_else(|| BadInput(format!("--{name} needs a value")))?;
                    (name.to_string(), v.clone())
                }
            };
            if !known.contains(&name.as_str()) {
                return Err(BadInput(format!("unknown option --{name}\n{USAGE}")));
            }
            flags.insert(name, value);
        } else {
            positional.push(a.clone());
        }
    }
    Ok((positional, flags))
}

fn number(flags: &BTreeMap<String, String>, name: &str) -> Result<Option<u64>, BadInput> {
    flags
        .get(name)
        .map(|v| {
            v.parse::<u64>()
                .map_err(|_| BadInput(format!("--{name}: `{v}` is not a non-negative integer")))
        })
        .transpose()
}

fn read(path: &str) -> Result<String, BadInput> {
    std::fs::read_to_string(path).map_err(|e| BadInput(format!("{path}: {e}")))
}

fn write(path: &str, text: &str) -> Result<(), BadInput> {
    std::fs::write(path, text).map_err(|e| BadInput(format!("{path}: {e}")))
}

fn run(args: &[String]) -> Result<bool, BadInput> {
    let (pos, flags) = parse_flags(args, &["seed", "until-ms", "trace"])?;
    let [path] = pos.as_slice() else {
        return Err(BadInput(format!("run takes one scenario file\n{USAGE}")));
    };
    let text = read(path)?;
    let scenario = Scenario::parse(&text, path).map_err(|e| BadInput(e.to_string()))?;
    let seed = number(&flags, "seed")?;
    let until = number(&flags, "until-ms")?;
    let trace_path = flags.get("trace");
    let run = scenario
        .run(seed, until, trace_path.is_some())
        .map_err(|e| BadInput(format!("{path}: {e}")))?;
    let world = &run.world;
    if let Some(p) = trace_path {
        write(p, world.trace())?;
    }
    let name = if scenario.name.is_empty() {
        path.as_str()
    } else {
        scenario.name.as_str()
    };
    println!(
        "scenario {name}: seed {}, {} ms, {} events",
        seed.unwrap_or(scenario.seed),
        world.now_us() / 1000,
        world.events_processed()
    );
    print_summary(world);
    for note in world.notes() {
        println!("note at {} ms: {}", note.t / 1000, note.message);
    }
    let mut ok = world.violations().is_empty();
    for e in &run.expectations {
        match &e.failure {
            None => println!("expect at {} ms {:?}: ok", e.at_ms, e.check),
            Some(why) => {
                ok = false;
                println!("expect at {} ms {:?}: FAILED: {why}", e.at_ms, e.check);
            }
        }
    }
    Ok(ok)
}

fn print_summary(world: &World) {
    let leaders = world.checker().leaders();
    let list: Vec<String> = leaders.iter().map(|(t, n)| format!("{t}:S{n}")).collect();
    println!("leaders per term: {}", list.join(" "));
    let commits: Vec<String> = world
        .nodes()
        .map(|n| {
            format!(
                "S{}={}{}",
                n.id,
                n.commit_index,
                if n.alive { "" } else { "(crashed)" }
            )
        })
        .collect();
    println!(
        "commits: {} (highest committed index {})",
        commits.join(" "),
        world.checker().committed_len()
    );
    let ok = world
        .history()
        .iter()
        .filter(|e| matches!(e.outcome, raft_sim::client::Outcome::Ok(_)))
        .count();
    if !world.history().is_empty() {
        println!("client operations completed ok: {ok}");
    }
    if world.violations().is_empty() {
        println!("violations: none");
    } else {
        println!("violations: {}", world.violations().len());
        for v in world.violations() {
            println!("  {v} (servers {:?})", v.nodes);
        }
    }
}

fn parse_range(text: &str) -> Result<(u64, u64), BadInput> {
    let bad = || BadInput(format!("--seeds: `{text}` is not a range A..B"));
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let a: u64 = a.parse().map_err(|_| bad())?;
    let b: u64 = b.trim_start_matches('=').parse().map_err(|_| bad())?;
    if b < a {
        return Err(bad());
    }
    Ok((a, b))
}

fn fuzz(args: &[String]) -> Result<bool, BadInput> {
    let (pos, flags) = parse_flags(
        args,
        &["seeds", "nodes", "events", "faults", "bug", "trace-dir"],
    )?;
    if !pos.is_empty() {
        return Err(BadInput(format!(
            "unexpected argument `{}`\n{USAGE}",
            pos[0]
        )));
    }
    let (a, b) = parse_range(
        flags
            .get("seeds")
            .ok_or_else(|| BadInput(format!("fuzz needs --seeds A..B\n{USAGE}")))?,
    )?;
    let mut fc = FuzzConfig::default();
    if let Some(n) = number(&flags, "nodes")? {
        if !(1..=9).contains(&n) {
            return Err(BadInput("--nodes must be between 1 and 9".into()));
        }
        fc.nodes = n as usize;
    }
    if let Some(k) = number(&flags, "events")? {
        fc.events = k.max(1);
    }
    if let Some(f) = flags.get("faults") {
        fc.faults = Faults::parse(f).map_err(|e| BadInput(format!("--faults: {e}")))?;
    }
    if let Some(name) = flags.get("bug") {
        let names: Vec<&str> = Bug::ALL.iter().map(|b| b.name()).collect();
        fc.bug = Some(Bug::parse(name).ok_or_else(|| {
            BadInput(format!(
                "--bug: unknown bug `{name}`; expected one of {}",
                names.join(", ")
            ))
        })?);
    }
    let trace_dir = flags.get("trace-dir");
    if let Some(d) = trace_dir {
        std::fs::create_dir_all(d).map_err(|e| BadInput(format!("{d}: {e}")))?;
    }
    let total = b - a;
    let (mut events, mut violations) = (0u64, 0u64);
    for (done, seed) in (a..b).enumerate() {
        let schedule = fc.schedule(seed);
        let run = fc.run(seed, &schedule, false);
        events += run.events;
        if let Some(v) = &run.violation {
            violations += 1;
            eprint!("\r");
            println!("seed {seed}: {v}");
            let minimized = fc.minimize(seed, &schedule, v.invariant, 200);
            println!(
                "  minimized to {} of {} actions (reproduce: raft-sim fuzz --seeds {seed}..{} with the same flags):",
                minimized.len(),
                schedule.len(),
                seed + 1
            );
            for (t, action) in &minimized {
                let json = serde_json::to_string(action).unwrap_or_default();
                println!("    {{\"at_ms\": {}, {}", *t as f64 / 1000.0, &json[1..]);
            }
            if let Some(d) = trace_dir {
                let traced = fc.run(seed, &schedule, true);
                if let Some(w) = traced.world {
                    write(&format!("{d}/seed-{seed}.jsonl"), w.trace())?;
                }
            }
        }
        progress(done as u64 + 1, total, events, violations);
    }
    eprintln!();
    println!("seeds: {total}, events: {events}, violations: {violations}");
    Ok(violations == 0)
}

/// A one-line progress bar on stderr.
fn progress(done: u64, total: u64, events: u64, violations: u64) {
    const WIDTH: u64 = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    let bar: String = (0..WIDTH)
        .map(|i| if i < filled { '#' } else { '.' })
        .collect();
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "\r[{bar}] {done}/{total} seeds, {events} events, {violations} violations"
    );
    let _ = err.flush();
}

fn check(args: &[String]) -> Result<bool, BadInput> {
    let (pos, _) = parse_flags(args, &[])?;
    let [path] = pos.as_slice() else {
        return Err(BadInput(format!("check takes one trace file\n{USAGE}")));
    };
    let text = read(path)?;
    let mut checker = Checker::new();
    let mut clients = Vec::new();
    let mut leaders: BTreeMap<u64, u64> = BTreeMap::new();
    let mut lines = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed = parse_line(line, i + 1).map_err(|e| BadInput(format!("{path}:{e}")))?;
        lines += 1;
        if let Some(l) = parsed {
            if let TraceEvent::Role {
                node,
                term,
                role: raft_core::Role::Leader,
            } = l.ev
            {
                leaders.insert(term, node);
            }
            if let Some(c) = history::from_trace(l.t, &l.ev) {
                clients.push(c);
            }
            checker.observe_line(i as u64 + 1, l.t, &l.ev);
        }
    }
    println!(
        "{path}: {lines} lines, {} terms with a leader",
        leaders.len()
    );
    let mut ok = true;
    for v in checker.violations() {
        ok = false;
        println!("  {v} (servers {:?})", v.nodes);
    }
    if !clients.is_empty() {
        match history::check(&clients, 10_000_000) {
            CheckResult::Linearizable => {
                println!("client history: linearizable ({} records)", clients.len())
            }
            r @ CheckResult::NotLinearizable { .. } => {
                ok = false;
                println!("client history: {r}");
            }
            r => println!("client history: {r}"),
        }
    }
    if ok {
        println!("violations: none");
    }
    Ok(ok)
}

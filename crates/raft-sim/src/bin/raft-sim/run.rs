//! `raft-sim run`: play a scenario, print what happened and each expectation's outcome.

use std::path::PathBuf;

use clap::Args;
use raft_sim::scenario::Scenario;
use raft_sim::World;

use crate::{read, write, BadInput, Verdict};

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scenario file (JSON, see the README's "Scenario format").
    #[arg(value_name = "SCENARIO.json")]
    scenario: PathBuf,
    /// Run with this seed instead of the scenario's.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Stop at this virtual time (ms) instead of the scenario's `until_ms`.
    #[arg(long, value_name = "T")]
    until_ms: Option<u64>,
    /// Write the run's trace (JSON Lines) here.
    #[arg(long, value_name = "OUT.jsonl")]
    trace: Option<PathBuf>,
}

pub fn run(args: &RunArgs) -> Result<Verdict, BadInput> {
    let path = args.scenario.display().to_string();
    let text = read(&args.scenario)?;
    let scenario = Scenario::parse(&text, &path).map_err(|e| BadInput(e.to_string()))?;
    let run = scenario
        .run(args.seed, args.until_ms, args.trace.is_some())
        .map_err(|e| BadInput(format!("{path}: {e}")))?;
    let world = &run.world;
    if let Some(p) = &args.trace {
        write(p, world.trace())?;
    }
    let name = if scenario.name.is_empty() {
        path.as_str()
    } else {
        scenario.name.as_str()
    };
    println!(
        "scenario {name}: seed {}, {} ms, {} events",
        args.seed.unwrap_or(scenario.seed),
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
    Ok(Verdict::from_ok(ok))
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

//! `raft-sim check`: re-run the checkers over a trace file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use raft_sim::checker::Checker;
use raft_sim::history;
use raft_sim::linearizability::CheckResult;
use raft_sim::trace::{parse_line, TraceEvent};

use crate::{read, BadInput, Verdict};

/// Search steps per key for the client history's linearizability check.
const LIN_STEPS: u64 = 10_000_000;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The trace file (JSON Lines, as `run --trace` or `fuzz --trace-dir` write it).
    #[arg(value_name = "TRACE.jsonl")]
    trace: PathBuf,
}

pub fn check(args: &CheckArgs) -> Result<Verdict, BadInput> {
    let path = args.trace.display().to_string();
    let text = read(&args.trace)?;
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
        match history::check(&clients, LIN_STEPS) {
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
    Ok(Verdict::from_ok(ok))
}

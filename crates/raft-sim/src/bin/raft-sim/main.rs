//! `raft-sim`: run a scenario, fuzz, explore every schedule, or re-check a trace.
//!
//! Exit codes: 0 safe, 1 a violation (or a failed expectation), 2 bad input.

mod check;
mod explore;
mod fuzz;
mod progress;
mod run;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Run a scenario, fuzz, or re-check a trace of the deterministic Raft world.
#[derive(Parser, Debug)]
#[command(
    name = "raft-sim",
    version,
    subcommand_required = true,
    arg_required_else_help = true,
    after_help = "exit codes: 0 safe, 1 violation, 2 bad input"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Play a scenario file and check its expectations.
    Run(run::RunArgs),
    /// Run many seeds, each with a random fault schedule, every checker on.
    Fuzz(fuzz::FuzzArgs),
    /// Re-run the invariant and linearizability checkers over a trace file.
    Check(check::CheckArgs),
    /// Explore every schedule within bounds (a model checker of raft-core).
    Explore(explore::ExploreArgs),
}

/// A usage or input error: exit code 2.
pub struct BadInput(pub String);

/// What a command found: `Safe` exits 0, `Violation` exits 1.
pub enum Verdict {
    Safe,
    Violation,
}

impl Verdict {
    pub fn from_ok(ok: bool) -> Verdict {
        if ok {
            Verdict::Safe
        } else {
            Verdict::Violation
        }
    }
}

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes away
    // (`raft-sim run x.json | head`) instead of panicking in `println!`.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Usage errors exit 2; --help and --version exit 0.
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Fuzz(args) => fuzz::fuzz(&args),
        Command::Check(args) => check::check(&args),
        Command::Explore(args) => explore::explore(&args),
    };
    match result {
        Ok(Verdict::Safe) => ExitCode::SUCCESS,
        Ok(Verdict::Violation) => ExitCode::from(1),
        Err(BadInput(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// The whole file, or a bad-input error naming it.
pub fn read(path: &Path) -> Result<String, BadInput> {
    std::fs::read_to_string(path).map_err(|e| BadInput(format!("{}: {e}", path.display())))
}

/// Writes the whole file, or a bad-input error naming it.
pub fn write(path: &Path, text: &str) -> Result<(), BadInput> {
    std::fs::write(path, text).map_err(|e| BadInput(format!("{}: {e}", path.display())))
}

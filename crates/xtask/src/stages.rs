//! `cargo xtask test`: every check CI runs, one stage after another, with a summary.

use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::{campaign, setup, show, Ctx};

enum Outcome {
    Passed,
    Failed,
    Skipped(&'static str),
}

struct Stage {
    name: &'static str,
    outcome: Outcome,
    seconds: f64,
}

/// Runs the stages, keeps going after a failure where the next stage does not depend on it,
/// and ends with a summary and a plain `N passed, N failed` line.
pub fn run_all(ctx: &Ctx) -> ExitCode {
    let mut stages = Vec::new();

    let started = Instant::now();
    let build_tools = setup::build_tools(ctx);
    let browser_tools = setup::browser_tools(ctx);
    for err in [&build_tools, &browser_tools]
        .into_iter()
        .flat_map(|r| r.as_ref().err())
    {
        eprintln!("xtask: setup: {err}");
    }
    stages.push(Stage {
        name: "setup",
        outcome: if build_tools.is_ok() && browser_tools.is_ok() {
            Outcome::Passed
        } else {
            Outcome::Failed
        },
        seconds: started.elapsed().as_secs_f64(),
    });

    let cargo = |args: &[&str]| {
        let mut cmd = ctx.cargo();
        cmd.args(args);
        cmd
    };
    let independent = [
        ("fmt", cargo(&["fmt", "--all", "--check"])),
        (
            "clippy",
            cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        ("native tests", cargo(&["test", "--workspace"])),
        (
            "no_std build",
            cargo(&[
                "build",
                "-p",
                "raft-core",
                "--target",
                "thumbv7em-none-eabihf",
            ]),
        ),
    ];
    for (name, mut cmd) in independent {
        stages.push(run_stage(ctx, name, &mut cmd));
    }

    // Fuzzing at full native speed: 20 million events on 3, 5 and 7 servers without a
    // violation, and every bug switch found by the default fault mix (campaign.rs).
    println!("\n== fuzz campaign: cargo xtask fuzz");
    stages.push(timed_stage("fuzz campaign", || campaign::stage(ctx)));

    // The same scenario must give the same trace in wasm as natively: the
    // wasm test compares its trace hash with the golden file the native test checks.
    stages.push(if build_tools.is_ok() {
        let mut cmd = cargo(&[
            "test",
            "-p",
            "raft-sim",
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--test",
            "wasm",
        ]);
        cmd.env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        );
        run_stage(ctx, "wasm determinism", &mut cmd)
    } else {
        skipped("wasm determinism", "build tools missing (see setup)")
    });

    let page = if build_tools.is_ok() {
        let mut cmd = ctx.cmd("trunk");
        cmd.args(["build", "--release", "--offline"]);
        run_stage(ctx, "page build", &mut cmd)
    } else {
        skipped("page build", "build tools missing (see setup)")
    };
    let page_built = matches!(page.outcome, Outcome::Passed);
    stages.push(page);

    // A byte count is deterministic: the stage fails when the page outgrows its ceiling.
    stages.push(if page_built {
        println!("\n== page weight: every file a cold load fetches, gzipped");
        timed_stage("page weight", || {
            crate::weight::check(ctx, &ctx.root.join("dist"))
        })
    } else {
        skipped("page weight", "no page to weigh")
    });

    stages.push(if !page_built {
        skipped("browser tests", "no page to test")
    } else if browser_tools.is_err() {
        skipped("browser tests", "browser tools missing (see setup)")
    } else {
        let mut cmd = ctx.cmd("node");
        cmd.arg("browser.mjs")
            .current_dir(ctx.root.join("web/tests"))
            .env("DIST_DIR", ctx.root.join("dist"));
        run_stage(ctx, "browser tests", &mut cmd)
    });

    summarize(&stages)
}

/// `node soak.mjs` against dist/ (see web/tests/soak.mjs), then how long it took.
pub fn soak(ctx: &Ctx) -> Result<(), String> {
    let started = Instant::now();
    let mut cmd = ctx.cmd("node");
    cmd.arg("soak.mjs")
        .current_dir(ctx.root.join("web/tests"))
        .env("DIST_DIR", ctx.root.join("dist"));
    let result = ctx.run(&mut cmd);
    println!(
        "soak: {:.1} s of wall time",
        started.elapsed().as_secs_f64()
    );
    result
}

/// `web/tests/bench.mjs`: the browser figures (and the world natively beside them),
/// written to BENCHMARKS.md and bench/figures.json.
pub fn bench_browser(ctx: &Ctx) -> Result<(), String> {
    let mut cmd = ctx.cmd("node");
    cmd.arg("bench.mjs")
        .current_dir(ctx.root.join("web/tests"))
        .env("DIST_DIR", ctx.root.join("dist"));
    ctx.run(&mut cmd)
}

fn run_stage(ctx: &Ctx, name: &'static str, cmd: &mut Command) -> Stage {
    println!("\n== {name}: {}", show(cmd));
    timed_stage(name, || ctx.run(cmd))
}

fn timed_stage(name: &'static str, stage: impl FnOnce() -> Result<(), String>) -> Stage {
    let started = Instant::now();
    let outcome = match stage() {
        Ok(()) => Outcome::Passed,
        Err(err) => {
            eprintln!("xtask: {name}: {err}");
            Outcome::Failed
        }
    };
    Stage {
        name,
        outcome,
        seconds: started.elapsed().as_secs_f64(),
    }
}

fn skipped(name: &'static str, why: &'static str) -> Stage {
    println!("\n== {name}: skipped, {why}");
    Stage {
        name,
        outcome: Outcome::Skipped(why),
        seconds: 0.0,
    }
}

fn summarize(stages: &[Stage]) -> ExitCode {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    println!("\n== summary");
    for stage in stages {
        let word = match stage.outcome {
            Outcome::Passed => {
                passed += 1;
                "ok".to_string()
            }
            Outcome::Failed => {
                failed += 1;
                "FAILED".to_string()
            }
            Outcome::Skipped(why) => {
                skipped += 1;
                format!("skipped ({why})")
            }
        };
        println!("{:<18} {:<8} {:>7.1} s", stage.name, word, stage.seconds);
    }
    if skipped > 0 {
        println!("{passed} passed, {failed} failed, {skipped} skipped");
    } else {
        println!("{passed} passed, {failed} failed");
    }
    if failed == 0 && skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

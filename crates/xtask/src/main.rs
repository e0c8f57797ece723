//! Project tasks, run as `cargo xtask <task>` (alias in .cargo/config.toml).
//!
//! Standard library only, so it builds on a machine where nothing else is installed yet.

mod campaign;
mod setup;
mod stages;
mod weight;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  setup [--browser]  install the pinned tools (idempotent); --browser adds Chromium and the
                     browser-test npm packages
  serve              setup, then serve the page with live reload on http://127.0.0.1:8080/
  test               setup (with browser), then every check CI runs: fmt, clippy, native
                     tests, no_std build, fuzz campaign, release page build, page weight, browser tests
  fuzz               the fuzz campaign stage of test alone: 20 million events on 3, 5 and 7
                     servers, and every bug switch found within seeds 0..1000
  fuzz-long [--seeds A..B | --seeds A..] [--events N]
                     fuzz 3, 5 and 7 servers on every core until N events (default one
                     billion); --seeds A..B runs exactly those seeds (one shard of a campaign)
  bench              setup (with browser), dist, cargo bench --workspace, then
                     web/tests/bench.mjs: page weight, first draw, frames, memory and the
                     world natively vs in wasm, written to BENCHMARKS.md and
                     bench/figures.json (about 5 minutes); `bench ARGS` (any arguments)
                     runs only cargo bench --workspace ARGS
  dist               setup, then build the release page into dist/
  soak               dist, then web/tests/soak.mjs: an hour of simulated time at top speed
                     with random faults from the page's controls; no console error, memory
                     flat (needs setup --browser's tools)
  screenshot         dist, then refresh the README's picture docs/screenshot.png (headless
                     Chromium, 1280x800, a fixed seed; needs setup --browser's tools)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ctx = Ctx::new();
    let result = match args.first().map(String::as_str) {
        Some("setup") => match &args[1..] {
            [] => setup::build_tools(&ctx),
            [flag] if flag == "--browser" => {
                setup::build_tools(&ctx).and_then(|()| setup::browser_tools(&ctx))
            }
            _ => Err(USAGE.to_string()),
        },
        Some("serve") => setup::build_tools(&ctx).and_then(|()| {
            ctx.run(ctx.cmd("trunk").args([
                "serve",
                "--offline",
                "--address",
                "127.0.0.1",
                "--port",
                "8080",
            ]))
        }),
        Some("dist") => setup::build_tools(&ctx).and_then(|()| dist(&ctx)),
        // The only command that writes docs/screenshot.png: the browser tests write to
        // web/tests/artifacts/ alone, so a test run never changes a tracked file.
        Some("screenshot") if args.len() == 1 => setup::build_tools(&ctx)
            .and_then(|()| setup::browser_tools(&ctx))
            .and_then(|()| dist(&ctx))
            .and_then(|()| {
                ctx.run(
                    ctx.cmd("node")
                        .arg("screenshot.mjs")
                        .current_dir(ctx.root.join("web/tests"))
                        .env("DIST_DIR", ctx.root.join("dist"))
                        .env("SCREENSHOT_OUT", ctx.root.join("docs/screenshot.png")),
                )
            }),
        Some("soak") if args.len() == 1 => setup::build_tools(&ctx)
            .and_then(|()| setup::browser_tools(&ctx))
            .and_then(|()| dist(&ctx))
            .and_then(|()| stages::soak(&ctx)),
        Some("bench") if args.len() == 1 => setup::build_tools(&ctx)
            .and_then(|()| setup::browser_tools(&ctx))
            .and_then(|()| dist(&ctx))
            .and_then(|()| ctx.run(ctx.cargo().args(["bench", "--workspace"])))
            .and_then(|()| stages::bench_browser(&ctx)),
        Some("bench") => ctx.run(ctx.cargo().args(["bench", "--workspace"]).args(&args[1..])),
        Some("test") if args.len() == 1 => return stages::run_all(&ctx),
        Some("fuzz") if args.len() == 1 => campaign::stage(&ctx),
        Some("fuzz-long") => campaign::fuzz_long(&ctx, &args[1..]),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `trunk build --release` into dist/, then the page's weight.
fn dist(ctx: &Ctx) -> Result<(), String> {
    ctx.run(ctx.cmd("trunk").args(["build", "--release", "--offline"]))?;
    weight::measure(ctx, &ctx.root.join("dist")).map(|_| ())
}

/// Where the repository is and the PATH every child process gets.
pub struct Ctx {
    pub root: PathBuf,
    path: OsString,
}

impl Ctx {
    fn new() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let root = root.canonicalize().unwrap_or(root);
        // Repo-local tools first (wasm-opt from npm), then cargo-installed ones (trunk, wasm-bindgen).
        let mut dirs = vec![root.join(".tools/node_modules/.bin")];
        if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
            dirs.push(PathBuf::from(cargo_home).join("bin"));
        } else if let Some(home) = std::env::var_os("HOME") {
            dirs.push(PathBuf::from(home).join(".cargo/bin"));
        }
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs).unwrap_or_default();
        Self { root, path }
    }

    /// A command run in the repository root with the extended PATH.
    pub fn cmd(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root).env("PATH", &self.path);
        cmd
    }

    /// The cargo that started us (same toolchain), or `cargo` from PATH.
    pub fn cargo(&self) -> Command {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        self.cmd(&cargo)
    }

    /// Runs `cmd` with inherited output, echoing it first; a non-zero exit is an error.
    pub fn run(&self, cmd: &mut Command) -> Result<(), String> {
        let shown = show(cmd);
        println!("$ {shown}");
        match cmd.status() {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(format!("`{shown}` failed ({status})")),
            Err(e) => Err(format!("could not start `{shown}`: {e}")),
        }
    }

    /// The trimmed standard output of `cmd`, or `None` if it cannot run or fails.
    pub fn output(&self, cmd: &mut Command) -> Option<String> {
        let out = cmd.stderr(std::process::Stdio::null()).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

/// A command line as a person would type it.
pub fn show(cmd: &Command) -> String {
    let program = cmd.get_program().to_string_lossy();
    let program = program.rsplit('/').next().unwrap_or(&program).to_string();
    std::iter::once(program)
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

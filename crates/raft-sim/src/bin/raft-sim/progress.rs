//! The fuzz run's progress on stderr: an indicatif bar in a terminal (seeds done of all,
//! events, events per second, violations, ETA), and one summary line at the end either
//! way, so a log gets the summary and no bar.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    events: u64,
    violations: u64,
}

impl Progress {
    /// A bar over `runs` seed runs; hidden unless stderr is a terminal.
    pub fn new(runs: u64) -> Progress {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(runs), target);
        let style = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} seeds, {msg}, ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("#>.");
        bar.set_style(style);
        let progress = Progress {
            bar,
            started: Instant::now(),
            events: 0,
            violations: 0,
        };
        progress.bar.set_message(progress.message());
        progress.bar.enable_steady_tick(Duration::from_millis(500));
        progress
    }

    /// One seed run finished (in any order: the bar counts work done, not output).
    pub fn seed_done(&mut self, events: u64, violation: bool) {
        self.events += events;
        self.violations += u64::from(violation);
        self.bar.set_message(self.message());
        self.bar.inc(1);
    }

    /// Prints `text` on stdout without tearing the bar.
    pub fn print(&self, text: &str) {
        self.bar.suspend(|| print!("{text}"));
    }

    /// Clears the bar and writes the summary line on stderr.
    pub fn finish(self, runs: u64, events: u64, violations: u64) {
        self.bar.finish_and_clear();
        let seconds = self.started.elapsed().as_secs_f64();
        eprintln!(
            "fuzz: {runs} seeds, {} events in {seconds:.1} s ({}), {violations} violations",
            HumanCount(events),
            rate(events, seconds),
        );
    }

    fn message(&self) -> String {
        let seconds = self.started.elapsed().as_secs_f64();
        format!(
            "{} events, {}, {} violations",
            HumanCount(self.events),
            rate(self.events, seconds),
            self.violations
        )
    }
}

/// Events per second, e.g. `1.32 M events/s`.
fn rate(events: u64, seconds: f64) -> String {
    let per_second = if seconds > 0.0 {
        events as f64 / seconds
    } else {
        0.0
    };
    if per_second >= 1e6 {
        format!("{:.2} M events/s", per_second / 1e6)
    } else {
        format!("{:.0} k events/s", per_second / 1e3)
    }
}

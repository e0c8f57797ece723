//! The throughput panel (chapter 12): the servers' disk and the four
//! optimizations TiKV describes, and a live chart of the leader's committed
//! entries per simulated second (bars) and its commit latency (a line), over
//! the last ten simulated seconds, from the world's commit samples.

use raft_sim::disk::DiskConfig;
use raft_sim::throughput::{CommitStats, CommitSummary};

use crate::cluster::Switches;

/// The chart's width and height in SVG units.
pub const CHART_W: f64 = 300.0;
pub const CHART_H: f64 = 90.0;
/// How much time the chart covers, and each bar.
pub const SPAN_US: u64 = 10_000_000;
pub const BIN_US: u64 = 500_000;

/// One bar: a half-second of commits.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    pub x: f64,
    pub w: f64,
    /// The bar's height (committed entries per second, scaled).
    pub h: f64,
    pub per_second: u64,
    /// The latency line's point, if anything was committed in the bin (a log
    /// scale from 1 ms at the bottom to the top, so 20 ms and 30 ms stay apart
    /// next to 300 ms).
    pub latency_y: Option<f64>,
}

/// What the panel draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ThroughputDraw {
    pub disk: DiskConfig,
    pub batching: bool,
    pub pipelining: bool,
    /// The disk latency in whole milliseconds (the field's value).
    pub latency_ms: u64,
    /// The last simulated second: committed entries per second and mean latency.
    pub now: CommitSummary,
    /// `12.3` (ms, one decimal), or None when nothing was committed.
    pub latency_text: Option<String>,
    pub bins: Vec<Bin>,
    /// The latency line's points, `x,y x,y ...` (bins without commits left out).
    pub line: String,
    /// The scales' tops: entries per second and latency in ms.
    pub rate_top: u64,
    pub latency_top_ms: u64,
}

/// A nice round number at least `x` (1, 2, 5 times a power of ten).
fn nice(x: u64) -> u64 {
    let mut p = 1;
    loop {
        for m in [1, 2, 5] {
            if m * p >= x {
                return m * p;
            }
        }
        p *= 10;
    }
}

/// Microseconds as milliseconds with one decimal, without float formatting.
pub fn ms_text(us: u64) -> String {
    let tenths = (us + 50) / 100;
    format!("{}.{}", tenths / 10, tenths % 10)
}

impl ThroughputDraw {
    pub fn new(stats: &CommitStats, now_us: u64, disk: DiskConfig, switches: Switches) -> Self {
        // The last ten seconds, the newest bar ending now; bars before time 0 stay empty.
        let n = (SPAN_US / BIN_US) as usize;
        let sums: Vec<CommitSummary> = (0..n as u64)
            .map(|i| {
                let end = (now_us + (i + 1) * BIN_US).checked_sub(SPAN_US);
                match end {
                    Some(end) if end > 0 => stats.summary(end.saturating_sub(BIN_US), end),
                    _ => CommitSummary::default(),
                }
            })
            .collect();
        let rate_top = nice(sums.iter().map(|s| s.per_second).max().unwrap_or(0).max(10));
        let latency_top_ms = nice(
            sums.iter()
                .filter_map(|s| s.mean_latency_us)
                .max()
                .map_or(10, |us| us.div_ceil(1_000))
                .max(10),
        );
        let w = CHART_W / n as f64;
        let bins: Vec<Bin> = sums
            .iter()
            .enumerate()
            .map(|(i, s)| Bin {
                x: i as f64 * w,
                w,
                h: s.per_second as f64 / rate_top as f64 * CHART_H,
                per_second: s.per_second,
                latency_y: s.mean_latency_us.map(|us| {
                    let ms = (us as f64 / 1_000.0).max(1.0);
                    let up = ms.log10() / (latency_top_ms as f64).log10();
                    CHART_H - (up * CHART_H).min(CHART_H)
                }),
            })
            .collect();
        let line = bins
            .iter()
            .filter_map(|b| {
                b.latency_y
                    .map(|y| format!("{:.1},{:.1}", b.x + b.w / 2.0, y))
            })
            .collect::<Vec<_>>()
            .join(" ");
        let now = stats.summary(now_us.saturating_sub(1_000_000), now_us + 1);
        ThroughputDraw {
            disk,
            batching: switches.batching,
            pipelining: switches.pipelining,
            latency_ms: disk.latency_us / 1_000,
            latency_text: now.mean_latency_us.map(ms_text),
            now,
            bins,
            line,
            rate_top,
            latency_top_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Setup, Sim};
    use raft_sim::Action;

    fn sim_with_load() -> Sim {
        let mut sim = Sim::new(Setup::scenario(1, "chapter-optimizations"));
        sim.run_until(3_000_000);
        sim
    }

    #[test]
    fn the_chart_shows_the_leaders_commits_and_their_latency() {
        let sim = sim_with_load();
        let w = sim.world();
        let d = ThroughputDraw::new(w.commit_stats(), w.now_us(), w.disk(), Switches::default());
        assert_eq!(d.latency_ms, 5, "the chapter's disk takes 5 ms");
        assert_eq!(d.bins.len(), 20);
        // Three seconds of a ten-second chart: the first bars are empty.
        assert!(d.bins[..13]
            .iter()
            .all(|b| b.per_second == 0 && b.latency_y.is_none()));
        assert!(d.bins[16..]
            .iter()
            .all(|b| b.per_second > 50 && b.h > 0.0 && b.h <= CHART_H));
        assert!(d.now.per_second > 50);
        let text = d.latency_text.unwrap();
        let ms: f64 = text.parse().unwrap();
        assert!(
            ms > 10.0,
            "{text}: at least a write on each side and a round trip"
        );
        assert!(d.line.split(' ').count() >= 4);
    }

    #[test]
    fn switching_parallel_append_on_shows_in_the_panel() {
        let mut sim = sim_with_load();
        sim.act(Action::SetDisk {
            latency_us: None,
            parallel_append: Some(true),
            async_apply: None,
        })
        .unwrap();
        let w = sim.world();
        let d = ThroughputDraw::new(w.commit_stats(), w.now_us(), w.disk(), Switches::default());
        assert!(d.disk.parallel_append && !d.disk.async_apply);
    }

    #[test]
    fn the_latency_line_is_on_a_log_scale() {
        let mut stats = CommitStats::default();
        // Commits of 10 ms, then of 100 ms, with a top of 100 ms.
        for (i, latency) in [(0u64, 10_000u64), (1, 100_000)] {
            let t = 5_000_000 + i * BIN_US;
            stats.appended(t - latency, i + 1, 1);
            stats.committed(t, i + 1, 1);
        }
        let d = ThroughputDraw::new(
            &stats,
            5_000_000 + 2 * BIN_US - 1,
            DiskConfig::default(),
            Switches::default(),
        );
        assert_eq!(d.latency_top_ms, 100);
        let ys: Vec<f64> = d.bins.iter().filter_map(|b| b.latency_y).collect();
        // 10 ms is half-way up a 1-100 ms log scale; 100 ms at the top.
        assert_eq!(ys.len(), 2, "{ys:?}");
        assert!(
            (ys[0] - CHART_H / 2.0).abs() < 0.01 && ys[1].abs() < 0.01,
            "{ys:?}"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(ms_text(22_249), "22.2");
        assert_eq!(ms_text(22_250), "22.3");
        assert_eq!(ms_text(0), "0.0");
        assert_eq!(
            (nice(7), nice(10), nice(11), nice(240), nice(600)),
            (10, 10, 20, 500, 1000)
        );
    }
}

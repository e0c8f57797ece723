//! Time: wall clock -> simulated clock, the speed slider's scale, and how
//! simulated time is written.

/// Simulated microseconds per wall-clock millisecond at normal speed (1x real time).
pub const REAL_TIME_US_PER_MS: f64 = 1_000.0;

/// Longest wall-clock gap one frame may turn into simulated time: a hidden tab
/// pauses requestAnimationFrame, and on return the cluster should not leap ahead.
pub const MAX_FRAME_GAP_MS: f64 = 100.0;

/// Turns animation-frame timestamps into a simulated-time target.
///
/// Simulated time advances by the elapsed wall time times `speed`; a gap longer
/// than [`MAX_FRAME_GAP_MS`] (hidden tab, debugger pause) counts as that maximum.
#[derive(Clone, Debug, PartialEq)]
pub struct SimClock {
    /// Simulated microseconds per wall-clock millisecond.
    pub speed_us_per_ms: f64,
    last_wall_ms: Option<f64>,
    target_us: f64,
}

impl SimClock {
    pub fn new(speed_us_per_ms: f64) -> Self {
        Self {
            speed_us_per_ms,
            last_wall_ms: None,
            target_us: 0.0,
        }
    }

    /// Records a frame at `wall_ms` and returns the simulated time to run until.
    /// The first frame (after a pause) only sets the reference point.
    pub fn advance(&mut self, wall_ms: f64) -> u64 {
        if let Some(last) = self.last_wall_ms {
            let gap = (wall_ms - last).clamp(0.0, MAX_FRAME_GAP_MS);
            self.target_us += gap * self.speed_us_per_ms;
        }
        self.last_wall_ms = Some(wall_ms);
        self.target_us as u64
    }

    /// Stops counting wall time until the next [`SimClock::advance`].
    pub fn pause(&mut self) {
        self.last_wall_ms = None;
    }

    /// Continues from `us` (after a step, a rewind or a reset).
    pub fn set_target(&mut self, us: u64) {
        self.target_us = us as f64;
    }
}

/// The speed slider: positions on a log scale, in tenths of a decade of
/// slow-down, from 1/1000 of real time (-30) up to real time (0).
pub const SPEED_MIN_POS: i32 = -30;
pub const SPEED_MAX_POS: i32 = 0;
/// 1/100 of real time: a message (10-20 ms per hop on the page's network,
/// `cluster::PAGE_LATENCY_US`) stays on screen 1-2 s, long enough to click
/// it while the cluster plays; a heartbeat round (50 ms) takes 5 s and an
/// election timeout (150-300 ms) 15-30 s.
pub const DEFAULT_SPEED_POS: i32 = -20;

/// Fraction of real time at slider position `pos`.
pub fn speed_factor(pos: i32) -> f64 {
    10f64.powf(f64::from(pos.clamp(SPEED_MIN_POS, SPEED_MAX_POS)) / 10.0)
}

pub fn speed_us_per_ms(pos: i32) -> f64 {
    REAL_TIME_US_PER_MS * speed_factor(pos)
}

/// `"1/20\u{d7}"`, `"1\u{d7}"`: the speed as a fraction of real time.
pub fn speed_label(pos: i32) -> String {
    let f = speed_factor(pos);
    if f >= 0.999 {
        "1\u{d7}".into()
    } else {
        format!("1/{}\u{d7}", (1.0 / f).round() as u64)
    }
}

/// The slider position nearest a speed factor (`?speed=0.05`), if it is positive.
pub fn speed_pos_for(factor: f64) -> Option<i32> {
    (factor > 0.0 && factor.is_finite())
        .then(|| ((10.0 * factor.log10()).round() as i32).clamp(SPEED_MIN_POS, SPEED_MAX_POS))
}

/// `1234567` µs -> `"1.234 s"`.
pub fn format_sim_time(us: u64) -> String {
    format!("{}.{:03} s", us / 1_000_000, (us % 1_000_000) / 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Setup, Sim, DEFAULT_NODES};

    /// At the default speed a person can click a message while the cluster
    /// plays (the shortest hop lasts at least a second of real time), and the
    /// page's network still keeps the paper's rule broadcastTime <<
    /// electionTimeout (§5.6).
    #[test]
    fn at_the_default_speed_a_message_stays_a_second_and_elections_stay_slower() {
        let sim = Sim::new(Setup::new(1, DEFAULT_NODES));
        let (world, net) = (sim.world(), &sim.world().network().config);
        let real_ms = |sim_us: u64| sim_us as f64 / speed_us_per_ms(DEFAULT_SPEED_POS);
        assert!(
            real_ms(net.latency_min_us) >= 1_000.0 - 1e-6,
            "the shortest hop lasts {} ms of real time",
            real_ms(net.latency_min_us)
        );
        assert_eq!(speed_label(DEFAULT_SPEED_POS), "1/100\u{d7}");
        let raft = &world.config().raft;
        let tick_us = world.config().tick_us;
        let election_min_us = u64::from(raft.election_timeout_min) * tick_us;
        let heartbeat_us = u64::from(raft.heartbeat_interval) * tick_us;
        assert_eq!(
            election_min_us, 150_000,
            "election timeouts stay 150-300 ms"
        );
        // A round trip on the slowest hops (the broadcast time) is well under
        // the shortest election timeout, and within a heartbeat interval.
        let round_trip_us = 2 * net.latency_max_us;
        assert!(3 * round_trip_us <= election_min_us, "{round_trip_us} µs");
        assert!(round_trip_us <= heartbeat_us, "{round_trip_us} µs");
    }
}

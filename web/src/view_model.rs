//! What the page draws, computed in plain Rust from the cluster's state.
//!
//! No Yew or browser types here: everything is unit-tested natively
//! (`cargo test -p raft-web`). The components only turn these values into markup.

use crate::cluster::{Cluster, NodeView};

/// Seed used when the URL has none (or a bad one), so a plain visit is reproducible.
pub const DEFAULT_SEED: u64 = 1;

/// Simulated microseconds per wall-clock millisecond at normal speed (1x real time).
pub const REAL_TIME_US_PER_MS: f64 = 1_000.0;

/// Longest wall-clock gap one frame may turn into simulated time: a hidden tab
/// pauses requestAnimationFrame, and on return the cluster should not leap ahead.
pub const MAX_FRAME_GAP_MS: f64 = 100.0;

/// Size of the square SVG drawing area, in user units.
/// Drawing uses whole units: printing integers keeps float formatting out of the wasm.
pub const VIEW_SIZE: i32 = 400;
const RING_RADIUS: i32 = 140;
const NODE_RADIUS: i32 = 30;

// ---------------------------------------------------------------------------
// URL parameters

/// The seed the page runs with, and what to tell the visitor if the URL's was unusable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedChoice {
    pub seed: u64,
    pub warning: Option<String>,
}

/// The raw value of `name` in a query string such as `?seed=7&crash`.
/// A parameter without `=` has the value `""`.
pub fn query_param<'a>(search: &'a str, name: &str) -> Option<&'a str> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Reads `?seed=N` (a decimal `u64`). A missing seed means [`DEFAULT_SEED`];
/// a bad one also means [`DEFAULT_SEED`], with a message saying so.
pub fn parse_seed(search: &str) -> SeedChoice {
    match query_param(search, "seed") {
        None => SeedChoice {
            seed: DEFAULT_SEED,
            warning: None,
        },
        Some(raw) => match raw.trim().parse::<u64>() {
            Ok(seed) => SeedChoice {
                seed,
                warning: None,
            },
            Err(_) => SeedChoice {
                seed: DEFAULT_SEED,
                warning: Some(format!(
                    "\u{201c}seed={raw}\u{201d} is not a whole number from 0 to {}; \
                     running with seed {DEFAULT_SEED} instead.",
                    u64::MAX
                )),
            },
        },
    }
}

// ---------------------------------------------------------------------------
// Time: wall clock -> simulated clock

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
    /// The first frame only sets the reference point.
    pub fn advance(&mut self, wall_ms: f64) -> u64 {
        if let Some(last) = self.last_wall_ms {
            let gap = (wall_ms - last).clamp(0.0, MAX_FRAME_GAP_MS);
            self.target_us += gap * self.speed_us_per_ms;
        }
        self.last_wall_ms = Some(wall_ms);
        self.target_us as u64
    }
}

/// `1234567` µs -> `"1.234 s"`.
pub fn format_sim_time(us: u64) -> String {
    format!("{}.{:03} s", us / 1_000_000, (us % 1_000_000) / 1_000)
}

// ---------------------------------------------------------------------------
// Drawing one server

/// The outline drawn around a server, so roles differ by shape as well as colour.
#[derive(Clone, Debug, PartialEq)]
pub enum Outline {
    /// A ring of radius `r`; dashed for a pre-candidate (it has not started an election).
    Circle { r: i32, dashed: bool },
    /// An SVG `points` list.
    Polygon { points: String },
}

/// Colour and shape per role; palette after Okabe & Ito, readable with colour blindness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleStyle {
    pub fill: &'static str,
    pub shape: Shape,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Ring,
    DashedRing,
    Diamond,
    Star,
}

/// Style of a role name as given by `raft_core::Role::as_str`.
pub fn role_style(role: &str) -> RoleStyle {
    match role {
        "leader" => RoleStyle {
            fill: "#0072b2",
            shape: Shape::Star,
        },
        "candidate" => RoleStyle {
            fill: "#d55e00",
            shape: Shape::Diamond,
        },
        "precandidate" => RoleStyle {
            fill: "#e69f00",
            shape: Shape::DashedRing,
        },
        // Followers, and any role this page does not know yet.
        _ => RoleStyle {
            fill: "#7a8594",
            shape: Shape::Ring,
        },
    }
}

/// Fill for a crashed server, whatever its last role.
pub const DEAD_FILL: &str = "#d5d9de";

/// Point at `turn` (0..1, clockwise from 12 o'clock) on a circle, rounded to whole units.
fn on_circle(cx: i32, cy: i32, r: i32, turn: f64) -> (i32, i32) {
    let angle = std::f64::consts::TAU * turn - std::f64::consts::FRAC_PI_2;
    let r = f64::from(r);
    (
        cx + (r * angle.cos()).round() as i32,
        cy + (r * angle.sin()).round() as i32,
    )
}

/// Position of server `index` of `count` on a ring, starting at 12 o'clock, clockwise.
pub fn ring_position(index: usize, count: usize, cx: i32, cy: i32, r: i32) -> (i32, i32) {
    let turn = if count == 0 {
        0.0
    } else {
        index as f64 / count as f64
    };
    on_circle(cx, cy, r, turn)
}

fn polygon(corners: impl Iterator<Item = (i32, i32)>) -> String {
    corners
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The outline for `shape` around a server drawn at (`cx`, `cy`) with radius `r`.
pub fn outline(shape: Shape, cx: i32, cy: i32, r: i32) -> Outline {
    let o = r + 8;
    match shape {
        Shape::Ring => Outline::Circle {
            r: o,
            dashed: false,
        },
        Shape::DashedRing => Outline::Circle { r: o, dashed: true },
        // Corners far enough out that the edges clear the body.
        Shape::Diamond => Outline::Polygon {
            points: polygon((0..4).map(|k| on_circle(cx, cy, o + 12, f64::from(k) / 4.0))),
        },
        // Ten corners alternating outer and inner radius, first point up.
        Shape::Star => Outline::Polygon {
            points: polygon((0..10).map(|k| {
                let radius = if k % 2 == 0 { o + 16 } else { o - 1 };
                on_circle(cx, cy, radius, f64::from(k) / 10.0)
            })),
        },
    }
}

/// Everything the page needs to draw one server.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeDraw {
    pub id: u64,
    pub role: &'static str,
    pub term: u64,
    pub alive: bool,
    pub commit: u64,
    pub x: i32,
    pub y: i32,
    pub r: i32,
    pub fill: &'static str,
    pub outline: Outline,
}

/// Everything the page needs to draw the cluster at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterDraw {
    pub now_us: u64,
    pub nodes: Vec<NodeDraw>,
}

impl ClusterDraw {
    /// Lays `nodes` out on a ring, in the order given.
    pub fn new(now_us: u64, nodes: &[NodeView]) -> Self {
        let c = VIEW_SIZE / 2;
        let nodes = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let (x, y) = ring_position(i, nodes.len(), c, c, RING_RADIUS);
                let style = role_style(n.role);
                NodeDraw {
                    id: n.id,
                    role: n.role,
                    term: n.term,
                    alive: n.alive,
                    commit: n.commit,
                    x,
                    y,
                    r: NODE_RADIUS,
                    fill: if n.alive { style.fill } else { DEAD_FILL },
                    outline: outline(style.shape, x, y, NODE_RADIUS),
                }
            })
            .collect();
        Self { now_us, nodes }
    }

    pub fn sim_time_label(&self) -> String {
        format_sim_time(self.now_us)
    }
}

// ---------------------------------------------------------------------------
// The running playground

/// A cluster plus the clock that drives it: the one place that holds the page's state.
#[derive(Debug)]
pub struct Playground<C> {
    pub seed: u64,
    cluster: C,
    clock: SimClock,
}

impl<C: Cluster> Playground<C> {
    pub fn new(seed: u64, cluster: C) -> Self {
        Self {
            seed,
            cluster,
            clock: SimClock::new(REAL_TIME_US_PER_MS),
        }
    }

    /// Advances the simulation to match an animation frame at `wall_ms` and returns what to draw.
    pub fn tick(&mut self, wall_ms: f64) -> ClusterDraw {
        let target = self.clock.advance(wall_ms);
        if target > self.cluster.now_us() {
            self.cluster.run_until(target);
        }
        self.draw()
    }

    pub fn draw(&self) -> ClusterDraw {
        ClusterDraw::new(self.cluster.now_us(), &self.cluster.nodes())
    }
}

// ---------------------------------------------------------------------------
// Crash report

/// The text shown in place of a dead page when the simulation panics.
pub fn panic_report(message: &str, location: Option<&str>, seed: u64, now_us: u64) -> String {
    let place = location.map(|l| format!(" ({l})")).unwrap_or_default();
    format!(
        "The simulation stopped with an internal error: {message}{place}.\n\
         It happened with seed {seed} at simulated time {}. \
         To reproduce it, open this page with ?seed={seed} and wait that long; \
         please include that link when you report it.",
        format_sim_time(now_us)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::new_cluster;

    #[test]
    fn query_param_finds_values_and_flags() {
        assert_eq!(query_param("?seed=7&crash", "seed"), Some("7"));
        assert_eq!(query_param("?seed=7&crash", "crash"), Some(""));
        assert_eq!(query_param("seed=7", "seed"), Some("7"));
        assert_eq!(query_param("?seedling=7", "seed"), None);
        assert_eq!(query_param("", "seed"), None);
        assert_eq!(query_param("?", "seed"), None);
    }

    #[test]
    fn seed_defaults_when_missing() {
        assert_eq!(
            parse_seed(""),
            SeedChoice {
                seed: DEFAULT_SEED,
                warning: None
            }
        );
    }

    #[test]
    fn seed_is_read_from_the_url() {
        assert_eq!(parse_seed("?x=1&seed=18446744073709551615").seed, u64::MAX);
        assert_eq!(parse_seed("?seed=42").warning, None);
    }

    #[test]
    fn bad_seed_falls_back_with_a_message() {
        for bad in [
            "?seed=abc",
            "?seed=",
            "?seed=-1",
            "?seed=18446744073709551616",
        ] {
            let choice = parse_seed(bad);
            assert_eq!(choice.seed, DEFAULT_SEED, "{bad}");
            let warning = choice.warning.expect(bad);
            assert!(warning.contains("running with seed 1"), "{warning}");
        }
    }

    #[test]
    fn clock_starts_at_zero_and_follows_wall_time() {
        let mut clock = SimClock::new(REAL_TIME_US_PER_MS);
        assert_eq!(clock.advance(5_000.0), 0);
        assert_eq!(clock.advance(5_016.0), 16_000);
        assert_eq!(clock.advance(5_032.5), 32_500);
    }

    #[test]
    fn clock_clamps_long_gaps_and_ignores_backward_steps() {
        let mut clock = SimClock::new(REAL_TIME_US_PER_MS);
        clock.advance(0.0);
        assert_eq!(clock.advance(60_000.0), 100_000); // a minute in a hidden tab
        assert_eq!(clock.advance(59_000.0), 100_000);
        assert_eq!(clock.advance(59_010.0), 110_000);
    }

    #[test]
    fn clock_speed_scales() {
        let mut clock = SimClock::new(100.0);
        clock.advance(0.0);
        assert_eq!(clock.advance(50.0), 5_000);
    }

    #[test]
    fn sim_time_formats_as_seconds() {
        assert_eq!(format_sim_time(0), "0.000 s");
        assert_eq!(format_sim_time(1_234_567), "1.234 s");
        assert_eq!(format_sim_time(61_000_000), "61.000 s");
    }

    #[test]
    fn ring_starts_at_top_and_goes_clockwise() {
        assert_eq!(ring_position(0, 4, 200, 200, 100), (200, 100));
        assert_eq!(ring_position(1, 4, 200, 200, 100), (300, 200));
        assert_eq!(ring_position(2, 4, 200, 200, 100), (200, 300));
        assert_eq!(ring_position(0, 0, 200, 200, 100), (200, 100));
        assert_eq!(ring_position(1, 5, 200, 200, 140), (333, 157));
    }

    #[test]
    fn roles_differ_in_colour_and_shape() {
        let roles = ["follower", "precandidate", "candidate", "leader"];
        for (i, a) in roles.iter().enumerate() {
            for b in &roles[i + 1..] {
                let (sa, sb) = (role_style(a), role_style(b));
                assert_ne!(sa.fill, sb.fill, "{a} vs {b}");
                assert_ne!(sa.shape, sb.shape, "{a} vs {b}");
            }
        }
        assert_eq!(role_style("mystery"), role_style("follower"));
    }

    #[test]
    fn outlines_surround_the_node() {
        assert_eq!(
            outline(Shape::Diamond, 100, 100, 10),
            Outline::Polygon {
                points: "100,70 130,100 100,130 70,100".into()
            }
        );
        match outline(Shape::Star, 0, 0, 10) {
            Outline::Polygon { points } => assert_eq!(points.split(' ').count(), 10),
            other => panic!("star should be a polygon, got {other:?}"),
        }
        assert_eq!(
            outline(Shape::DashedRing, 0, 0, 10),
            Outline::Circle {
                r: 18,
                dashed: true
            }
        );
    }

    #[test]
    fn cluster_draw_lays_out_every_node() {
        let nodes: Vec<NodeView> = (1..=5)
            .map(|id| NodeView {
                id,
                role: if id == 3 { "leader" } else { "follower" },
                term: 2,
                alive: id != 5,
                commit: 4,
            })
            .collect();
        let draw = ClusterDraw::new(2_500_000, &nodes);
        assert_eq!(draw.nodes.len(), 5);
        assert_eq!(draw.sim_time_label(), "2.500 s");
        assert_eq!((draw.nodes[0].x, draw.nodes[0].y), (200, 60));
        assert_eq!(draw.nodes[2].fill, role_style("leader").fill);
        assert_eq!(draw.nodes[4].fill, DEAD_FILL);
        let ids: Vec<u64> = draw.nodes.iter().map(|n| n.id).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn playground_advances_with_frames() {
        let mut pg = Playground::new(7, new_cluster(7));
        assert_eq!(pg.tick(1_000.0).now_us, 0);
        assert_eq!(pg.tick(1_050.0).now_us, 50_000);
        let draw = pg.tick(1_100.0);
        assert_eq!(draw.now_us, 100_000);
        assert_eq!(draw.nodes.len(), 5);
    }

    #[test]
    fn panic_report_says_how_to_reproduce() {
        let text = panic_report("index out of bounds", Some("src/x.rs:3:9"), 42, 1_500_000);
        assert!(
            text.contains("index out of bounds (src/x.rs:3:9)"),
            "{text}"
        );
        assert!(text.contains("?seed=42"), "{text}");
        assert!(text.contains("1.500 s"), "{text}");
    }
}

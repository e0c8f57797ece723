//! The soak's native twin: the page's whole view-model (`Playground`: the world, its
//! checkpoints, the client history, the panels' state) driven frame by frame at 1x for
//! simulated time, with the browser soak's faults and writes made through the same
//! messages the controls send, while a counting allocator measures the live heap.
//!
//! The browser soak (`web/tests/soak.mjs`) can only see the wasm memory's size, which never
//! shrinks; this counts the bytes actually held, so a leak shows as a line that climbs and a
//! bound as one that levels off. It prints one row per simulated minute and, like the browser
//! soak, compares the medians of the two halves after the warm-up (exit 1 past 10 %).
//!
//! `cargo run --release -p raft-web --example heap_soak [SECONDS] [SEED]`
//! (defaults: 3600 simulated seconds, seed 1; about a minute here), or
//! `... --example heap_soak -- --link web/tests/artifacts/soak-run.txt` to replay the run
//! the last browser soak made (its link), action for action.

use raft_sim::link::RunLink;
use raft_web::cluster::{NetSettings, Setup};
use raft_web::heap::{self, Counting};
use raft_web::view_model::interaction::Group;
use raft_web::view_model::keys::ServerAction;
use raft_web::view_model::kv::KvMsg;
use raft_web::view_model::playground::{Msg, Playground};

#[global_allocator]
static ALLOC: Counting = Counting;

/// mulberry32, as in soak.mjs.
struct Prng(u32);
impl Prng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next() * n as f64) as usize).min(n.saturating_sub(1))
    }
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo + 1) as usize) as u64
    }
}

const FRAME_MS: f64 = 100.0;
const MINUTE_US: u64 = 60_000_000;
const MAX_DOWN: usize = 2;

fn median(mut xs: Vec<usize>) -> f64 {
    xs.sort_unstable();
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2] as f64
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) as f64 / 2.0
    }
}

/// The run a link describes (e.g. the browser soak's `artifacts/soak-run.txt`), from its
/// start, playing, with every action still to come; and where the link's moment is.
fn replay(path: &str) -> (Playground, u64) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut link = match RunLink::from_query(text.trim()) {
        Ok(Some(link)) => link,
        Ok(None) => panic!("{path}: not a run's link"),
        Err(e) => panic!("{path}: {e}"),
    };
    let end_us = link.now_us;
    (link.now_us, link.now_events, link.paused) = (0, 0, false);
    let pg = Playground::from_link(&link, 0).unwrap_or_else(|e| panic!("{path}: {e:?}"));
    (pg, end_us)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--link FILE`: replay that run (its own actions only) instead of random ones.
    let link = args
        .iter()
        .position(|a| a == "--link")
        .and_then(|i| args.get(i + 1));
    let mut numbers = args.iter().filter_map(|s| s.parse::<u64>().ok());
    let seconds: u64 = numbers.next().unwrap_or(3600);
    let seed: u64 = numbers.next().unwrap_or(1);
    let mut rng = Prng(seed as u32);
    let (mut pg, end_us) = match link {
        Some(path) => replay(path),
        None => {
            let mut pg = Playground::new(Setup::new(seed, 5), 0, true);
            pg.update(Msg::SetSnapshotThreshold(100));
            (pg, seconds * 1_000_000)
        }
    };
    let mut net = NetSettings::default();
    let mut wall = 0.0;
    let mut next_action_us = 0;
    let mut next_sample_us = 0;
    let mut actions = 0;
    let mut samples: Vec<(u64, usize)> = Vec::new();
    println!(
        "{:>7} {:>12} {:>12} {:>8} {:>7} {:>6} {:>6}",
        "sim min", "live KB", "peak KB", "actions", "arrows", "stale", "queued"
    );
    while pg.now_us() < end_us {
        wall += FRAME_MS;
        pg.update(Msg::Frame(wall));
        let frame = pg.frame();
        let now = pg.now_us();
        if now >= next_sample_us {
            // What the space-time diagram draws, and messages drawn in flight for over 10 s.
            let arrows = frame.spacetime.arrows.len();
            let stale = frame
                .spacetime
                .arrows
                .iter()
                .filter(|a| a.fate == "inflight" && a.sent_us + 10_000_000 < now)
                .count();
            // Measured with the frame alive, as the page holds the one it draws.
            let live = heap::live();
            let peak = heap::take_peak();
            let queued = frame.kv.queued.len();
            println!(
                "{:>7.1} {:>12} {:>12} {:>8} {:>7} {:>6} {:>6}",
                now as f64 / 6e7,
                live / 1024,
                peak / 1024,
                actions,
                arrows,
                stale,
                queued
            );
            samples.push((now, live));
            drop(frame);
            next_sample_us = (now / MINUTE_US + 1) * MINUTE_US;
            continue;
        }
        if link.is_some() || now < next_action_us {
            continue;
        }
        next_action_us = now + rng.between(200, 10_000) * 1_000;
        actions += 1;
        let up: Vec<u64> = frame
            .ring
            .nodes
            .iter()
            .filter(|n| n.alive)
            .map(|n| n.id)
            .collect();
        let down: Vec<u64> = frame
            .ring
            .nodes
            .iter()
            .filter(|n| !n.alive)
            .map(|n| n.id)
            .collect();
        let all: Vec<u64> = frame.ring.nodes.iter().map(|n| n.id).collect();
        let links: Vec<(u64, u64)> = frame.ring.links.iter().map(|l| (l.a, l.b)).collect();
        let messages: Vec<u64> = frame.ring.messages.iter().map(|m| m.id).collect();
        drop(frame);
        // The browser soak's actions and weights.
        let mut list: Vec<(u32, &str)> = vec![
            (4, "request"),
            (3, "put"),
            (2, "timeout"),
            (1, "snapshot"),
            (1, "transfer"),
            (1, "isolate"),
            (3, "heal"),
            (1, "split"),
            (2, "link"),
            (3, "drop"),
            (1, "loss"),
            (1, "duplication"),
            (1, "reordering"),
            (1, "latency"),
        ];
        if down.len() < MAX_DOWN {
            list.push((2, "crash"));
        }
        if !down.is_empty() {
            list.push((4, "restart"));
        }
        // Like SOAK_ACTIONS: only the actions whose name contains one of these words.
        if let Ok(only) = std::env::var("SOAK_ACTIONS") {
            list.retain(|(_, n)| only.split(',').any(|w| n.contains(w)));
            if list.is_empty() {
                continue;
            }
        }
        let total: u32 = list.iter().map(|(w, _)| w).sum();
        let mut r = rng.next() * f64::from(total);
        let mut name = list[list.len() - 1].1;
        for (w, n) in &list {
            r -= f64::from(*w);
            if r < 0.0 {
                name = n;
                break;
            }
        }
        let pick = |rng: &mut Prng, xs: &[u64]| xs[rng.below(xs.len())];
        let server = |pg: &mut Playground, rng: &mut Prng, xs: &[u64], a: ServerAction| {
            if !xs.is_empty() {
                let id = pick(rng, xs);
                // As the browser soak does: select the server (its inspector opens), then act.
                pg.update(Msg::Select(id));
                pg.update(Msg::Server(a, id));
            }
        };
        match name {
            "request" => server(&mut pg, &mut rng, &up, ServerAction::Request),
            "put" => {
                pg.update(Msg::Kv(KvMsg::SetKey(format!("k{}", rng.between(0, 9)))));
                pg.update(Msg::Kv(KvMsg::SetValue(rng.between(0, 999).to_string())));
                pg.update(Msg::Kv(KvMsg::Send));
            }
            "timeout" => server(&mut pg, &mut rng, &up, ServerAction::Timeout),
            "snapshot" => server(&mut pg, &mut rng, &up, ServerAction::Snapshot),
            "transfer" => server(&mut pg, &mut rng, &up, ServerAction::Transfer),
            "isolate" => server(&mut pg, &mut rng, &up, ServerAction::Isolate),
            "crash" => server(&mut pg, &mut rng, &up, ServerAction::Crash),
            "restart" => server(&mut pg, &mut rng, &down, ServerAction::Restart),
            "heal" => pg.update(Msg::Heal),
            "split" => {
                let moved = [pick(&mut rng, &all), pick(&mut rng, &all)];
                for id in moved {
                    pg.update(Msg::SetGroup(id, Group::B));
                }
                pg.update(Msg::Split);
                for id in moved {
                    pg.update(Msg::SetGroup(id, Group::A));
                }
            }
            "link" if !links.is_empty() => {
                let (a, b) = links[rng.below(links.len())];
                pg.update(Msg::ToggleLink(a, b));
            }
            "drop" if !messages.is_empty() => {
                let id = pick(&mut rng, &messages);
                pg.update(Msg::DropMessage(id));
            }
            "loss" | "duplication" | "reordering" | "latency" => {
                match name {
                    "loss" => net.loss_pct = rng.between(0, 30),
                    "duplication" => net.dup_pct = rng.between(0, 20),
                    "reordering" => net.reorder_pct = rng.between(0, 30),
                    _ => net.latency_ms = rng.between(10, 60),
                }
                pg.update(Msg::SetNet(net));
            }
            _ => {}
        }
    }
    let warm_up = (end_us / 6).min(300_000_000);
    let mid = (warm_up + end_us) / 2;
    let first: Vec<usize> = samples
        .iter()
        .filter(|s| s.0 >= warm_up && s.0 < mid)
        .map(|s| s.1)
        .collect();
    let second: Vec<usize> = samples.iter().filter(|s| s.0 >= mid).map(|s| s.1).collect();
    if first.is_empty() || second.is_empty() {
        println!("too few samples");
        std::process::exit(1);
    }
    let (a, b) = (median(first), median(second));
    let growth = (b - a) / a;
    println!(
        "live heap median first half {:.0} KB, second half {:.0} KB: {:+.1} % ({actions} actions)",
        a / 1024.0,
        b / 1024.0,
        growth * 100.0
    );
    if growth > 0.10 {
        println!("FAIL: the live heap grows");
        std::process::exit(1);
    }
    println!("PASS: the live heap is flat");
}

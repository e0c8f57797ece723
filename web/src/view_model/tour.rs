//! The guided tour (`?example=tour`, or the Tour button): a scripted run that
//! shows a newcomer, within a minute at the default speed, an election, an
//! entry being replicated and committed, a follower missing entries while it
//! is down, and its log being repaired when it comes back.
//!
//! The script is the scenario file `scenarios/tour.json` (the library's
//! [`SCENARIO`]): ordinary `raft_sim` actions scheduled in the world, so the
//! run stays deterministic, rewinds, and forks like any other; the captions
//! only say what the current stretch of time is about.

use crate::cluster::WorldView;
use crate::i18n::{tr, trf, Lang};

/// The tour's scenario in the library.
pub const SCENARIO: &str = "tour";
/// The tour plays at 1/30 of real time (a speed slider position, see `clock`).
pub const SPEED_POS: i32 = -15;
/// Times of the script (`scenarios/tour.json`), in simulated µs.
const FIRST_PUT_US: u64 = 500_000;
const CRASH_US: u64 = 850_000;
const DOWN_MS: u64 = 700;
const RESTART_US: u64 = CRASH_US + DOWN_MS * 1_000;
const YOUR_TURN_US: u64 = 2_100_000;

/// One stretch of the tour: its title and text are keys of the string tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    pub from_us: u64,
    pub title: &'static str,
    pub text: &'static str,
}

pub const CHAPTERS: [Chapter; 5] = [
    Chapter {
        from_us: 0,
        title: "tour.election.title",
        text: "tour.election.text",
    },
    Chapter {
        from_us: FIRST_PUT_US,
        title: "tour.replication.title",
        text: "tour.replication.text",
    },
    Chapter {
        from_us: CRASH_US,
        title: "tour.crash.title",
        text: "tour.crash.text",
    },
    Chapter {
        from_us: RESTART_US,
        title: "tour.repair.title",
        text: "tour.repair.text",
    },
    Chapter {
        from_us: YOUR_TURN_US,
        title: "tour.your_turn.title",
        text: "tour.your_turn.text",
    },
];

/// The caption to show at `now_us`: (chapter number from 1, chapter).
pub fn chapter_at(now_us: u64) -> (usize, Chapter) {
    let i = CHAPTERS
        .iter()
        .rposition(|c| c.from_us <= now_us)
        .unwrap_or(0);
    (i + 1, CHAPTERS[i])
}

/// What the tour box shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourCaption {
    pub chapter: usize,
    pub of: usize,
    pub title: &'static str,
    pub text: String,
}

impl TourCaption {
    /// The caption at this moment in `lang`, naming the crashed follower when there is one.
    pub fn new(view: &WorldView, lang: Lang) -> TourCaption {
        let (chapter, c) = chapter_at(view.now_us);
        let down = view.nodes.iter().find(|n| !n.alive).map(|n| n.id);
        let text = match (chapter, down) {
            (3, Some(id)) => trf(lang, "tour.crash.text_named", &[("node", &id)]),
            _ => tr(lang, c.text).to_string(),
        };
        TourCaption {
            chapter,
            of: CHAPTERS.len(),
            title: tr(lang, c.title),
            text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Setup, Sim};
    use raft_sim::Action;

    /// The two writes while the follower is down (`scenarios/tour.json`).
    const MORE_PUTS_US: [u64; 2] = [1_000_000, 1_150_000];

    fn tour(seed: u64) -> Sim {
        Sim::try_new(Setup::scenario(seed, SCENARIO)).expect("the tour's scenario loads")
    }

    #[test]
    fn chapters_follow_the_script() {
        assert!(CHAPTERS.windows(2).all(|w| w[0].from_us < w[1].from_us));
        assert_eq!(chapter_at(0).0, 1);
        assert_eq!(
            tr(Lang::En, chapter_at(FIRST_PUT_US).1.title),
            "Replication"
        );
        assert_eq!(tr(Lang::En, chapter_at(RESTART_US + 1).1.title), "Repair");
        assert_eq!(chapter_at(u64::MAX).0, CHAPTERS.len());
        // The captions' times are the scenario file's.
        let script = raft_sim::library::find(SCENARIO)
            .expect("scenarios/tour.json")
            .scenario()
            .unwrap()
            .timed_actions();
        let times: Vec<u64> = script.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            times,
            [FIRST_PUT_US, CRASH_US, MORE_PUTS_US[0], MORE_PUTS_US[1]]
        );
        assert_eq!(script[1].1, Action::RebootFollower { down_ms: DOWN_MS });
        assert!(times.iter().all(|&t| t < YOUR_TURN_US));
    }

    /// Each chapter's claim holds in the run by the time the next one starts,
    /// whatever the seed.
    #[test]
    fn the_tour_shows_what_its_captions_say() {
        for seed in 1..=16 {
            check_tour(seed);
        }
    }

    fn check_tour(seed: u64) {
        let mut sim = tour(seed);
        sim.run_until(FIRST_PUT_US);
        let v = sim.view();
        let leader = v
            .nodes
            .iter()
            .find(|n| n.role == raft_core::Role::Leader)
            .unwrap_or_else(|| panic!("seed {seed}: no election by 0.5 s"));
        assert_eq!(TourCaption::new(&v, Lang::En).title, "Replication");

        sim.run_until(CRASH_US - 1);
        let v = sim.view();
        let committed_cmd = |n: &crate::cluster::NodeView| {
            n.log
                .iter()
                .filter(|e| e.label.starts_with("cmd") && e.index <= n.commit)
                .count()
        };
        assert!(
            v.nodes.iter().all(|n| committed_cmd(n) == 1),
            "seed {seed}: x=1 committed everywhere"
        );

        sim.run_until(RESTART_US - 1);
        let v = sim.view();
        let down: Vec<u64> = v.nodes.iter().filter(|n| !n.alive).map(|n| n.id).collect();
        assert_eq!(down.len(), 1, "seed {seed}: one follower is down");
        assert_ne!(down[0], leader.id);
        let caption = TourCaption::new(&v, Lang::En);
        assert!(
            caption.text.starts_with(&format!("Follower S{}", down[0])),
            "{}",
            caption.text
        );
        let caption = TourCaption::new(&v, Lang::Zh);
        assert!(
            caption.text.contains(&format!("S{}", down[0]))
                && caption.text.contains("\u{8ddf}\u{968f}\u{8005}"),
            "{}",
            caption.text
        );
        let leader_view = v.nodes.iter().find(|n| n.id == leader.id).unwrap();
        assert_eq!(
            committed_cmd(leader_view),
            3,
            "seed {seed}: x=2 and x=3 committed without it"
        );

        sim.run_until(YOUR_TURN_US);
        let v = sim.view();
        let back = v.nodes.iter().find(|n| n.id == down[0]).unwrap();
        let leader_view = v.nodes.iter().find(|n| n.id == leader.id).unwrap();
        assert!(back.alive);
        assert_eq!(
            back.log, leader_view.log,
            "seed {seed}: the follower's log is repaired"
        );
        assert_eq!(back.commit, leader_view.commit);
        // next_index stepped back for it (after a rejection, or from its reply's last index).
        assert!(
            v.events.iter().any(|e| e.node == leader.id
                && matches!(e.event, raft_core::Event::NextIndexMoved { follower, from, to, .. }
                    if follower == down[0] && to < from)),
            "seed {seed}: the leader never stepped next_index back for S{}",
            down[0]
        );
        assert!(v.violations.is_empty());
    }
}

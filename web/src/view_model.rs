//! What the page draws, computed in plain Rust from the simulation.
//!
//! No Yew or browser types here: everything is unit-tested natively
//! (`cargo test -p raft-web`). The components only turn these values into markup.
//!
//! [`Playground`] ([`playground`]) holds the run and the page's state, split by
//! concern in [`state`] (playback, selection, gestures, forms, narration,
//! preferences). [`Playground::update`] is its reducer (callbacks send a [`Msg`]):
//! each concern changes its own state and returns effects that one function
//! carries out; [`Playground::frame`] computes the [`Frame`] to draw once, its
//! large parts shared with the components. [`options`] reads the address bar
//! (a share link) and starts a page from it; [`clock`] turns wall time into
//! simulated time; [`inspector`] and [`scenario`] draw the side panels; [`export`]
//! writes the SVG picture. The submodules compute each view: [`ring`], [`logs`],
//! [`spacetime`] (the space-time diagram), [`narrate`] (live-region sentences
//! and the inspector's "why"), [`keys`],
//! [`interaction`] (long press, the per-server menu, picked messages, dragging, links),
//! [`kv`] (the page's client and the servers' stores) and [`membership`].

/// A [`text::Text`] for a key of the string tables, with the values of its
/// placeholders: `text_key!("narrate.leader", node = 3, term = 4)`.
macro_rules! text_key {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::view_model::text::Text::Key(
            $key,
            vec![$((stringify!($name), $crate::view_model::text::Text::from($value))),*],
        )
    };
}

#[cfg(test)]
mod bad_input;
pub mod bug_hunt;
pub mod chapters;
pub mod clock;
pub mod explore;
pub mod export;
pub mod host;
pub mod inspector;
pub mod interaction;
pub mod keys;
pub mod kv;
pub mod limits;
pub mod logs;
pub mod membership;
pub mod message_ops;
pub mod narrate;
pub mod options;
pub mod paint;
pub mod playground;
pub mod regions;
pub mod ring;
pub mod safety;
pub mod scenario;
pub mod spacetime;
pub mod state;
pub mod text;
pub mod throughput;
pub mod tour;

pub use clock::{
    format_sim_time, speed_factor, speed_label, speed_pos_for, speed_us_per_ms, SimClock,
    DEFAULT_SPEED_POS, MAX_FRAME_GAP_MS, REAL_TIME_US_PER_MS, SPEED_MAX_POS, SPEED_MIN_POS,
};
pub use inspector::{InspectorDraw, ProgressRow};
pub use options::{
    full_page_query, page_query, parse_options, query_param, start_playground, with_default_seed,
    Banner, BannerKind, UrlOptions,
};
pub use playground::{ActivityItem, Frame, Msg, Panel, Playground, Theme, Timing};
pub use ring::VIEW_SIZE;
pub use scenario::{check_text, CheckDraw, ScenarioDraw};

// ---------------------------------------------------------------------------
// Crash report

/// The text shown in place of a dead page when the simulation panics, in `lang`.
pub fn panic_report(
    message: &str,
    location: Option<&str>,
    link: &str,
    now_us: u64,
    lang: crate::i18n::Lang,
) -> String {
    let place = location.map(|l| format!(" ({l})")).unwrap_or_default();
    crate::i18n::trf(
        lang,
        "panic.report",
        &[
            ("message", &message),
            ("place", &place),
            ("time", &format_sim_time(now_us)),
            ("link", &link),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::interaction::Group;
    use super::keys::{KeyCommand, ServerAction};
    use super::ring::LOST_MARK_US;
    use super::*;
    use crate::cluster::{LossReason, NetSettings, RunLink, Setup, Switches, DEFAULT_NODES};
    use raft_core::Role;

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
    fn clock_pauses_and_restarts_from_a_target() {
        let mut clock = SimClock::new(REAL_TIME_US_PER_MS);
        clock.advance(0.0);
        assert_eq!(clock.advance(10.0), 10_000);
        clock.pause();
        assert_eq!(
            clock.advance(5_000.0),
            10_000,
            "paused wall time does not count"
        );
        clock.set_target(2_000_000);
        assert_eq!(clock.advance(5_001.0), 2_001_000);
    }

    #[test]
    fn speed_is_a_log_scale_from_a_thousandth_to_real_time() {
        assert_eq!(speed_label(SPEED_MAX_POS), "1\u{d7}");
        assert_eq!(speed_label(-10), "1/10\u{d7}");
        assert_eq!(speed_label(DEFAULT_SPEED_POS), "1/100\u{d7}");
        assert_eq!(speed_label(SPEED_MIN_POS), "1/1000\u{d7}");
        assert_eq!(speed_label(-99), "1/1000\u{d7}", "clamped");
        assert!((speed_us_per_ms(-20) - 10.0).abs() < 1e-9);
        assert_eq!(speed_pos_for(0.05), Some(-13));
        assert_eq!(speed_pos_for(1.0), Some(0));
        assert_eq!(speed_pos_for(50.0), Some(0));
        assert_eq!(speed_pos_for(0.0), None);
    }

    #[test]
    fn a_plain_visit_has_no_run_and_gets_the_fresh_seed() {
        let o = parse_options("");
        assert_eq!((o.link.clone(), o.speed_pos), (Ok(None), DEFAULT_SPEED_POS));
        assert_eq!(parse_options("?speed=1").speed_pos, 0);
        assert_eq!(parse_options("?speed=fast").speed_pos, DEFAULT_SPEED_POS);
        let pg = start_playground(&o, 4242);
        let f = pg.frame();
        assert_eq!(
            (f.seed, f.nodes, f.banner.clone()),
            (4242, DEFAULT_NODES, None)
        );
        assert!(f.playing);
        // The link names the seed, so the visit can be replayed.
        assert!(pg.link_query().contains("seed=4242"), "{}", pg.link_query());
    }

    #[test]
    fn the_address_bar_keeps_the_page_s_own_parameters() {
        assert_eq!(
            page_query(
                "?speed=1&seed=3&prevote&lang=zh&a=xyz&panel=learn",
                "v=1&seed=4&size=5",
                &[("panel", "faults")]
            ),
            "speed=1&panel=faults&v=1&seed=4&size=5"
        );
        // The language comes with the view (`Playground::view_params`) when it was chosen.
        assert_eq!(
            page_query(
                "?speed=1&lang=zh&panel=learn",
                "v=1&seed=4&size=5",
                &[("panel", "faults"), ("lang", "zh")]
            ),
            "speed=1&panel=faults&lang=zh&v=1&seed=4&size=5"
        );
        assert_eq!(
            page_query("", "v=1&seed=4&size=5", &[]),
            "v=1&seed=4&size=5"
        );
    }

    #[test]
    fn a_bad_link_shows_a_banner_and_a_working_cluster() {
        for bad in [
            "?v=1&seed=x",
            "?v=99&seed=1&size=5",
            "?v=1&seed=1&size=5&a=%%%",
            "?v=1&seed=1&scenario=nope",
            "?v=1&seed=1&size=5&t=12",
        ] {
            let o = parse_options(bad);
            let mut pg = start_playground(&o, 9);
            let f = pg.frame();
            if bad.ends_with("t=12") {
                // A well-formed link: no banner.
                assert!(f.banner.is_none(), "{bad}");
                continue;
            }
            let b = f
                .banner
                .clone()
                .unwrap_or_else(|| panic!("{bad}: no banner"));
            assert_eq!(b.kind, BannerKind::Error, "{bad}");
            assert!(!b.text.is_empty());
            assert_eq!(f.seed, 9, "{bad}: a fresh run");
            let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
            assert!(leader(&f).is_some(), "{bad}: the cluster works");
            pg.update(Msg::DismissBanner);
            assert!(pg.frame().banner.is_none());
        }
    }

    #[test]
    fn a_banner_the_page_wrote_follows_the_language() {
        let o = parse_options("?v=1&seed=x&lang=zh");
        let mut pg = start_playground(&o, 9);
        let zh = pg.frame().banner.unwrap();
        assert_eq!(zh.kind, BannerKind::Error);
        assert!(zh.text.contains("\u{94fe}\u{63a5}"), "{}", zh.text);
        pg.update(Msg::SetLang(crate::i18n::Lang::En));
        let en = pg.frame().banner.unwrap();
        assert!(
            en.text.starts_with("This link could not be read"),
            "{}",
            en.text
        );
        // A banner written elsewhere (the share button's) stays as it was written.
        pg.update(Msg::ShowBanner(Banner::info("Link copied".into())));
        pg.update(Msg::SetLang(crate::i18n::Lang::Zh));
        assert_eq!(pg.frame().banner.unwrap().text, "Link copied");
    }

    /// What a link must reproduce: every server's, message's and log entry's attributes, and the time.
    fn picture(f: &Frame) -> String {
        let mut out = format!("t={} ", f.now_us);
        for n in &f.ring.nodes {
            out += &format!("[{} {} {} {} {}]", n.id, n.role, n.term, n.alive, n.commit);
        }
        for m in &f.ring.messages {
            out += &format!("<{} {} {}>{}", m.id, m.from, m.to, m.kind);
        }
        for r in &f.logs.rows {
            for e in &r.cells {
                out += &format!("({} {} {} {})", r.node_id, e.index, e.term, e.committed);
            }
        }
        out
    }

    #[test]
    fn a_shared_link_reproduces_what_the_sharer_sees() {
        let mut pg = playground(5);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (l, _) = leader(&f).unwrap();
        pg.update(Msg::Server(ServerAction::Crash, l));
        let t = pg.now_us();
        play_until(&mut pg, t + 300_000, |_| false);
        pg.update(Msg::SetNet(NetSettings {
            latency_ms: 30,
            loss_pct: 10,
            ..NetSettings::default()
        }));
        pg.update(Msg::SetSwitches(Switches {
            pre_vote: true,
            ..Switches::default()
        }));
        let t = pg.now_us();
        play_until(&mut pg, t + 400_000, |_| false);
        pg.update(Msg::Server(ServerAction::Restart, l));
        // Stop between two events, as a step does.
        pg.update(Msg::Step);
        pg.update(Msg::Step);
        let query = pg.link_query();
        let back = RunLink::from_query(&query).unwrap().unwrap();
        let orig = pg.sim.link(true);
        assert_eq!(back.actions, orig.actions);
        assert_eq!(
            (back.now_us, back.now_events),
            (orig.now_us, orig.now_events)
        );
        assert!(query.len() < 2_000, "{}", query.len());
        let opened = start_playground(&parse_options(&format!("?{query}")), 1);
        let (a, b) = (pg.frame(), opened.frame());
        assert!(b.banner.is_none(), "{:?}", b.banner);
        assert_eq!(picture(&a), picture(&b));
        assert_eq!(
            (b.seed, b.playing, b.switches, b.net),
            (a.seed, false, a.switches, a.net)
        );
        assert!(b.switches.pre_vote && b.net.loss_pct == 10);
        // And the run goes on the same way from there.
        let (mut pg, mut opened) = (pg, opened);
        let later = pg.now_us() + 600_000;
        pg.sim.run_until(later);
        opened.sim.run_until(later);
        assert_eq!(picture(&pg.frame()), picture(&opened.frame()));
    }

    #[test]
    fn a_slider_or_a_switch_moved_mid_run_keeps_the_time_running() {
        let mut pg = playground(3);
        play_until(&mut pg, 700_000, |_| false);
        let t = pg.now_us();
        pg.update(Msg::SetNet(NetSettings {
            latency_ms: 50,
            ..NetSettings::default()
        }));
        pg.update(Msg::SetSwitches(Switches {
            check_quorum: true,
            ..Switches::default()
        }));
        let f = pg.frame();
        assert_eq!(f.now_us, t, "no restart");
        assert_eq!(f.net.latency_ms, 50);
        assert!(f.switches.check_quorum);
        // Rewound before the change, the old settings are back; forward again, the new ones.
        pg.update(Msg::Scrub(t - 100_000));
        assert_eq!(pg.frame().net, NetSettings::default());
        pg.update(Msg::Scrub(t + 50_000));
        assert_eq!(pg.frame().net.latency_ms, 50);
    }

    #[test]
    fn a_refused_action_in_the_past_says_why_and_keeps_the_future() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (l, _) = leader(&f).unwrap();
        pg.update(Msg::Server(ServerAction::Crash, l));
        let t = pg.now_us();
        play_until(&mut pg, t + 500_000, |_| false);
        let horizon = pg.frame().horizon_us;
        pg.update(Msg::Scrub(t / 2));
        // S1 is running at t/2: restarting it is refused, and the crash ahead stays.
        let running = pg.frame().ring.nodes.iter().find(|n| n.alive).unwrap().id;
        pg.update(Msg::Server(ServerAction::Restart, running));
        let f = pg.frame();
        assert!(
            f.notice.as_deref().is_some_and(|n| n.contains("running")),
            "{:?}",
            f.notice
        );
        assert_eq!(f.horizon_us, horizon, "the future is kept");
        pg.update(Msg::Scrub(horizon));
        assert!(pg.frame().ring.nodes.iter().any(|n| n.id == l && !n.alive));
    }

    #[test]
    fn lease_reads_need_check_quorum_and_snapshots_are_actions() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (l, _) = leader(&f).unwrap();
        pg.update(Msg::SetSwitches(Switches {
            lease_read: true,
            ..Switches::default()
        }));
        let f = pg.frame();
        assert!(!f.switches.lease_read, "refused without CheckQuorum");
        assert!(f.notice.is_some());
        let both = Switches {
            lease_read: true,
            check_quorum: true,
            ..Switches::default()
        };
        pg.update(Msg::SetSwitches(both));
        assert_eq!(pg.frame().switches, both);
        // Both off at once: the lease goes first, so neither is refused.
        pg.update(Msg::SetSwitches(Switches::default()));
        assert_eq!(pg.frame().switches, Switches::default());
        // Snapshot now compacts what the leader applied; the threshold is a setting.
        let t = pg.now_us();
        play_until(&mut pg, t + 300_000, |_| false);
        pg.update(Msg::Server(ServerAction::Snapshot, l));
        let snap = pg
            .sim
            .world()
            .node(l)
            .unwrap()
            .raft()
            .unwrap()
            .log()
            .snapshot_index();
        assert!(snap >= 1, "S{l} compacted nothing");
        pg.update(Msg::Server(ServerAction::Snapshot, l));
        assert!(pg
            .frame()
            .notice
            .is_some_and(|n| n.contains("nothing to compact")));
        pg.update(Msg::SetSnapshotThreshold(5));
        assert_eq!(pg.frame().snapshot_threshold, 5);
    }

    #[test]
    fn scenarios_load_paused_and_files_are_checked() {
        let mut pg = playground(5);
        pg.update(Msg::LoadScenario("figure8-safe".into()));
        let f = pg.frame();
        assert_eq!(f.scenario.as_deref(), Some("figure8-safe"));
        assert!(!f.playing, "a scenario starts paused");
        assert_eq!(f.scenario_draw.state, "pending");
        assert!(!f.scenario_draw.checks.is_empty());
        // A bad file keeps the run and names the line and field.
        let t = pg.now_us();
        pg.update(Msg::LoadFile(
            "mine.json".into(),
            "{\n  \"nodes\": 3,\n  \"actions\": [{\"at_ms\": 1, \"do\": \"crash\", \"nod\": 1}]\n}"
                .into(),
        ));
        let f = pg.frame();
        let b = f.banner.clone().expect("a banner");
        assert_eq!(b.kind, BannerKind::Error);
        assert!(
            b.text.contains("mine.json:3") && b.text.contains("actions[0]"),
            "{}",
            b.text
        );
        assert_eq!((f.scenario.as_deref(), f.now_us), (Some("figure8-safe"), t));
        // An exported run loads back as a file and shows the same.
        let mut pg = playground(3);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        pg.update(Msg::Server(ServerAction::Crash, leader(&f).unwrap().0));
        let t = pg.now_us();
        play_until(&mut pg, t + 200_000, |_| false);
        let file = pg.export_scenario();
        let mut loaded = playground(5);
        loaded.update(Msg::LoadFile("run.json".into(), file));
        assert!(
            loaded.frame().banner.is_none(),
            "{:?}",
            loaded.frame().banner
        );
        loaded.sim.run_until(pg.now_us());
        assert_eq!(picture(&loaded.frame()), picture(&pg.frame()));
    }

    pub(crate) fn playground(nodes: usize) -> Playground {
        Playground::new(Setup::new(7, nodes), 0, true)
    }

    /// Plays at real time with 16 ms frames until `done` or `limit_us`.
    pub(crate) fn play_until(
        pg: &mut Playground,
        limit_us: u64,
        done: impl Fn(&Frame) -> bool,
    ) -> Frame {
        let mut wall = 0.0;
        loop {
            pg.update(Msg::Frame(wall));
            let f = pg.frame();
            if done(&f) || f.now_us >= limit_us {
                return f;
            }
            wall += 16.0;
        }
    }

    pub(crate) fn leader(f: &Frame) -> Option<(u64, u64)> {
        f.ring
            .nodes
            .iter()
            .find(|n| n.alive && n.role == Role::Leader)
            .map(|n| (n.id, n.term))
    }

    #[test]
    fn playground_advances_with_frames_and_narrates_the_election() {
        let mut pg = playground(5);
        pg.update(Msg::Frame(1_000.0));
        assert_eq!(pg.frame().now_us, 0);
        pg.update(Msg::Frame(1_050.0));
        assert_eq!(pg.frame().now_us, 50_000);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (id, term) = leader(&f).expect("a leader within 5 s");
        assert!(
            f.activity
                .iter()
                .any(|a| a.text == format!("S{id} became leader for term {term}")),
            "{:?}",
            f.activity
        );
        assert_eq!(f.sim_time_ms(), (f.now_us / 1000).to_string());
    }

    #[test]
    fn crashing_the_leader_brings_a_new_leader_with_a_higher_term() {
        let mut pg = playground(5);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (old, term) = leader(&f).unwrap();
        pg.update(Msg::Select(old));
        pg.update(Msg::Key(KeyCommand::Server(ServerAction::Crash)));
        let f = pg.frame();
        assert!(!f.ring.nodes[old as usize - 1].alive);
        assert_eq!(
            f.inspector.as_ref().unwrap().actions[1],
            (ServerAction::Restart, true)
        );
        let f = play_until(&mut pg, f.now_us + 5_000_000, |f| {
            leader(f).is_some_and(|(_, t)| t > term)
        });
        let (new, new_term) = leader(&f).expect("a new leader");
        assert_ne!(new, old);
        assert!(new_term > term);
    }

    #[test]
    fn pause_and_step() {
        let mut pg = playground(3);
        pg.update(Msg::Frame(0.0));
        pg.update(Msg::TogglePlay);
        pg.update(Msg::Frame(500.0));
        assert_eq!(pg.frame().now_us, 0, "paused");
        assert!(!pg.frame().playing);
        // A step is one event of the cluster, narrated (spare servers' ticks pass on
        // the way); ticks of several servers may share an instant.
        let events = pg.sim.world().events_processed();
        pg.update(Msg::Step);
        assert!(pg.sim.world().events_processed() > events);
        assert!(
            pg.frame().narration().starts_with("Step: "),
            "{}",
            pg.frame().narration()
        );
        let t1 = pg.frame().now_us;
        assert!(t1 > 0);
        for _ in 0..20 {
            pg.update(Msg::Key(KeyCommand::Step));
        }
        assert!(pg.sim.world().events_processed() >= events + 21);
        let t2 = pg.frame().now_us;
        assert!(t2 > t1);
        // Playing again continues from the stepped time, not from the wall clock.
        pg.update(Msg::Key(KeyCommand::TogglePlay));
        pg.update(Msg::Frame(1_000.0));
        pg.update(Msg::Frame(1_010.0));
        assert_eq!(pg.frame().now_us, t2 + 10_000);
    }

    #[test]
    fn dropping_a_message_removes_it_and_marks_where_it_was() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 2_000_000, |f| !f.ring.messages.is_empty());
        let m = f.ring.messages[0].clone();
        pg.update(Msg::DropMessage(m.id));
        let f = pg.frame();
        assert!(f.ring.messages.iter().all(|x| x.id != m.id));
        let d = f.ring.dropped.iter().find(|d| d.id == m.id).unwrap();
        assert_eq!((d.x, d.y, d.reason), (m.x, m.y, LossReason::Manual));
        assert!(
            f.narration().starts_with("You dropped"),
            "{}",
            f.narration()
        );
        // Its arrow in the space-time diagram now ends in a loss.
        let a = f.spacetime.arrows.iter().find(|a| a.id == m.id).unwrap();
        assert_eq!((a.fate, a.reason), ("lost", Some(LossReason::Manual)));
        // The mark lasts LOST_MARK_US of simulated time.
        let t = f.now_us;
        let f = play_until(&mut pg, t + LOST_MARK_US + 20_000, |_| false);
        assert!(f.ring.dropped.iter().all(|d| d.id != m.id));
    }

    #[test]
    fn messages_lost_to_the_network_are_marked_in_the_ring_too() {
        let mut pg = playground(3);
        pg.update(Msg::SetNet(NetSettings {
            latency_ms: 16,
            loss_pct: 50,
            dup_pct: 0,
            reorder_pct: 0,
        }));
        let f = play_until(&mut pg, 3_000_000, |f| {
            f.ring.dropped.iter().any(|d| d.reason == LossReason::Loss)
        });
        let d = f
            .ring
            .dropped
            .iter()
            .find(|d| d.reason == LossReason::Loss)
            .unwrap();
        // Lost as it was sent: the cross is at the sender's end of its link.
        let a = f.spacetime.arrows.iter().find(|a| a.id == d.id).unwrap();
        let from = &f.ring.nodes[a.from as usize - 1];
        let to = &f.ring.nodes[a.to as usize - 1];
        let start = ring::message_point((from.x, from.y), (to.x, to.y), from.r, 0.0);
        assert_eq!((d.x, d.y), start);
        assert_eq!((a.fate, a.reason), ("lost", Some(LossReason::Loss)));
        // A server that crashes loses what was sent to it, on arrival.
        let (victim, other) = (1, 2);
        pg.update(Msg::SetNet(NetSettings::default()));
        let f = play_until(&mut pg, 3_000_000, |f| {
            f.ring
                .messages
                .iter()
                .any(|m| m.to == victim && m.from == other)
        });
        let m = f
            .ring
            .messages
            .iter()
            .find(|m| m.to == victim && m.from == other)
            .unwrap()
            .clone();
        pg.update(Msg::Server(ServerAction::Crash, victim));
        let f = play_until(&mut pg, f.now_us + 100_000, |f| {
            f.ring.dropped.iter().any(|d| d.id == m.id)
        });
        let d = f.ring.dropped.iter().find(|d| d.id == m.id).unwrap();
        assert_eq!(d.reason, LossReason::Crashed);
        let (a, b) = (
            &f.ring.nodes[other as usize - 1],
            &f.ring.nodes[victim as usize - 1],
        );
        assert_eq!(
            (d.x, d.y),
            ring::message_point((a.x, a.y), (b.x, b.y), a.r, 1.0)
        );
    }

    #[test]
    fn selecting_a_message_links_the_diagram_the_ring_and_the_inspector_line() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 2_000_000, |f| !f.ring.messages.is_empty());
        assert_eq!(f.spacetime.lanes.len(), 3);
        let m = f.ring.messages[0].clone();
        // Every message in flight in the ring is an in-flight arrow in the diagram.
        for r in &f.ring.messages {
            let a = f.spacetime.arrows.iter().find(|a| a.id == r.id).unwrap();
            assert_eq!(
                (a.kind, a.from, a.to, a.fate),
                (r.kind.as_str(), r.from, r.to, "inflight")
            );
        }
        pg.update(Msg::SelectMessage(Some(m.id)));
        let f = pg.frame();
        assert_eq!(f.selected_msg, Some(m.id));
        assert!(
            f.ring
                .messages
                .iter()
                .find(|x| x.id == m.id)
                .unwrap()
                .selected
        );
        assert_eq!(f.ring.messages.iter().filter(|x| x.selected).count(), 1);
        assert!(
            f.spacetime
                .arrows
                .iter()
                .find(|a| a.id == m.id)
                .unwrap()
                .selected
        );
        let line = f.spacetime.selected_msg.clone().unwrap();
        assert_eq!((line.id, line.fate), (m.id, "inflight"));
        assert!(line.text.contains("in flight, due at"), "{}", line.text);
        // Delivered later: the line says so, and the ring no longer draws it.
        let f = play_until(&mut pg, f.now_us + 100_000, |_| false);
        assert_eq!(f.spacetime.selected_msg.as_ref().unwrap().fate, "delivered");
        assert!(f.ring.messages.iter().all(|x| !x.selected));
        // Selecting a server highlights its lane.
        pg.update(Msg::Select(2));
        assert!(pg.frame().spacetime.lanes[1].selected);
        pg.update(Msg::Escape);
        let f = pg.frame();
        assert_eq!(
            (f.selected, f.selected_msg, f.spacetime.selected_msg.clone()),
            (None, None, None)
        );
    }

    #[test]
    fn the_diagram_window_follows_the_speed_or_the_zoom_and_clicks_scrub() {
        let mut pg = playground(3); // real time: 1 s
        let f = play_until(&mut pg, 3_000_000, |_| false);
        assert!(f.spacetime.auto);
        assert_eq!(f.spacetime.axis.window_us, 1_000_000);
        pg.update(Msg::SetSpeed(-13)); // 1/20
        assert_eq!(pg.frame().spacetime.axis.window_us, 500_000);
        pg.update(Msg::SetSpacetimeWindow(Some(1_000_000)));
        let f = pg.frame();
        assert_eq!(
            (f.spacetime.axis.window_us, f.spacetime.auto),
            (1_000_000, false)
        );
        pg.update(Msg::SetSpacetimeWindow(Some(7)));
        assert_eq!(pg.frame().spacetime.axis.window_us, 50_000, "clamped");
        pg.update(Msg::SetSpacetimeWindow(Some(1_000_000)));
        assert_eq!(
            f.spacetime.cursor_x,
            spacetime::PLOT_X1,
            "now is at the right edge"
        );
        // A click halfway along the axis goes back half a window, as the scrubber does.
        let x = f64::from(spacetime::PLOT_X0 + spacetime::PLOT_X1) / 2.0;
        let t = f.spacetime.time_at(x, f.horizon_us).unwrap();
        assert!(t.abs_diff(f.now_us - 500_000) < 2_000, "{t}");
        pg.update(Msg::Scrub(t));
        let f = pg.frame();
        assert!(f.in_past() && !f.playing);
        assert_eq!(f.now_us, t);
        // The diagram shows the past's journal: nothing after the new now.
        assert!(f.spacetime.arrows.iter().all(|a| a.end_us <= f.now_us));
        assert!(f.spacetime.arrows.iter().any(|a| a.sent_us < t - 100_000));
        pg.update(Msg::SetSpacetimeWindow(None));
        assert!(pg.frame().spacetime.auto);
    }

    #[test]
    fn scrubbing_rewinds_and_acting_in_the_past_forks() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 1_000_000, |_| false);
        assert!(f.now_us >= 1_000_000);
        pg.update(Msg::Scrub(300_000));
        let f = pg.frame();
        assert_eq!(f.now_us, 300_000);
        assert!(f.in_past() && !f.playing);
        pg.update(Msg::Server(ServerAction::Crash, 2));
        let f = pg.frame();
        assert!(!f.in_past());
        assert!(f.activity.iter().any(|a| a.text.starts_with("Forked")));
        assert!(!f.ring.nodes[1].alive);
    }

    #[test]
    fn reset_size_select_help_and_errors() {
        let mut pg = playground(5);
        pg.update(Msg::SetSize(9));
        assert_eq!(pg.frame().nodes, 9);
        pg.update(Msg::Key(KeyCommand::Select(9)));
        assert_eq!(pg.frame().inspector.unwrap().id, 9);
        pg.update(Msg::SetSize(3));
        assert_eq!(pg.frame().selected, None, "S9 is gone");
        pg.update(Msg::Key(KeyCommand::Server(ServerAction::Crash)));
        assert!(pg.frame().notice.is_some());
        pg.update(Msg::Server(ServerAction::Restart, 1));
        assert!(pg.frame().notice.unwrap().contains("running"));
        pg.update(Msg::Key(KeyCommand::ToggleHelp));
        assert!(pg.frame().help);
        pg.update(Msg::Escape);
        assert!(!pg.frame().help);
        play_until(&mut pg, 200_000, |_| false);
        pg.update(Msg::Reset);
        assert_eq!(pg.frame().now_us, 0);
        assert_eq!(pg.frame().nodes, 3);
        let on = Switches {
            pre_vote: true,
            ..Switches::default()
        };
        pg.update(Msg::SetSwitches(on));
        assert_eq!(pg.frame().switches, on);
        assert!(pg.frame().narration().contains("PreVote on"));
    }

    #[test]
    fn inspector_shows_the_leader_s_progress() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (id, term) = leader(&f).unwrap();
        pg.update(Msg::Select(id));
        let i = pg.frame().inspector.unwrap();
        assert_eq!((i.role, i.current_term), (Role::Leader, term));
        assert_eq!(i.progress.len(), 2);
        assert_eq!(i.voted_for, format!("S{id}"));
        assert_eq!(i.timer, "\u{2014}");
        assert!(i.configuration.contains('1'), "{}", i.configuration);
    }

    #[test]
    fn the_backtracking_example_steps_next_index_back() {
        let mut pg = Playground::new(Setup::scenario(1, "backtracking"), 0, false);
        let mut seen = Vec::new();
        let mut rejected = false;
        for _ in 0..2_000 {
            pg.update(Msg::Step);
            let f = pg.frame();
            if let Some(m) = f.logs.rows[1]
                .markers
                .iter()
                .find(|m| m.kind == logs::MarkerKind::Next && m.leader_id == 1)
            {
                if seen.last() != Some(&m.index) {
                    seen.push(m.index);
                }
            }
            rejected |= f.logs.rows[1].rejected.is_some();
            if f.now_us > 600_000 {
                break;
            }
        }
        assert!(rejected, "S2 never showed a rejected slot");
        // The leader's no-op makes its log [1,3,3,4]: next_index 5 -> 4 -> 3 -> 2, then it matches.
        let back: Vec<u64> = seen.iter().copied().take_while(|&i| i > 1).collect();
        assert!(back.windows(2).any(|w| w[1] + 1 == w[0]), "{seen:?}");
        assert!(seen.contains(&2), "{seen:?}");
    }

    #[test]
    fn partition_with_the_leader_in_the_minority_then_heal() {
        let mut pg = playground(5);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let (old, term) = leader(&f).unwrap();
        let buddy = if old == 1 { 2 } else { 1 };
        assert!(
            f.groups.iter().all(|&(_, g)| g == Group::A),
            "everyone starts in A"
        );
        // Nothing in B: splitting is refused.
        pg.update(Msg::Split);
        assert!(pg.frame().notice.unwrap().contains("at least two groups"));
        pg.update(Msg::SetGroup(old, Group::B));
        pg.update(Msg::SetGroup(buddy, Group::B));
        pg.update(Msg::SetGroup(buddy, Group::B));
        pg.update(Msg::SetGroup(42, Group::B));
        let f = pg.frame();
        let b: Vec<u64> = f
            .groups
            .iter()
            .filter(|g| g.1 == Group::B)
            .map(|g| g.0)
            .collect();
        let mut want = vec![old, buddy];
        want.sort_unstable();
        assert_eq!(b, want);
        pg.update(Msg::Split);
        let f = pg.frame();
        assert!(f.narration().starts_with("You split"), "{}", f.narration());
        let cut = f.ring.links.iter().filter(|l| l.cut).count();
        assert_eq!(cut, 6, "2 x 3 links cross the cut");
        let old_commit = f.ring.nodes[old as usize - 1].commit;
        pg.update(Msg::Server(ServerAction::Request, old));
        let f = play_until(&mut pg, f.now_us + 5_000_000, |f| {
            leader(f).is_some_and(|(id, t)| id != old && t > term)
        });
        let (new, _) = leader(&f).expect("the majority elects a leader");
        assert!(new != old && new != buddy);
        let f = play_until(&mut pg, f.now_us + 1_000_000, |_| false);
        let o = &f.ring.nodes[old as usize - 1];
        assert_eq!(
            o.role,
            Role::Leader,
            "without CheckQuorum the old leader stays on"
        );
        assert_eq!(o.commit, old_commit, "the minority cannot commit");
        let row = &f.logs.rows[old as usize - 1];
        assert!(row
            .cells
            .iter()
            .any(|c| c.index > old_commit && !c.committed));
        pg.update(Msg::Heal);
        let f = play_until(&mut pg, f.now_us + 5_000_000, |f| {
            let leaders = f
                .ring
                .nodes
                .iter()
                .filter(|n| n.role == Role::Leader)
                .count();
            let c = f.ring.nodes[0].commit;
            leaders == 1 && f.ring.nodes.iter().all(|n| n.commit == c) && c > old_commit
        });
        assert!(f.ring.links.iter().all(|l| !l.cut));
        assert_eq!(
            f.ring
                .nodes
                .iter()
                .filter(|n| n.role == Role::Leader)
                .count(),
            1
        );
        // Resizing keeps only servers that still exist in the draft.
        pg.update(Msg::SetSize(1));
        assert_eq!(
            pg.frame().groups,
            vec![(
                1,
                if old == 1 || buddy == 1 {
                    Group::B
                } else {
                    Group::A
                }
            )]
        );
    }

    #[test]
    fn network_sliders_change_the_network_from_now_on() {
        let mut pg = playground(3);
        play_until(&mut pg, 300_000, |_| false);
        pg.update(Msg::SetNet(NetSettings {
            latency_ms: 1,
            loss_pct: 50,
            dup_pct: 10,
            reorder_pct: 20,
        }));
        let f = pg.frame();
        assert!(f.now_us >= 300_000, "the run goes on");
        assert_eq!(
            f.net,
            NetSettings {
                latency_ms: 2,
                loss_pct: 50,
                dup_pct: 10,
                reorder_pct: 20,
            }
        );
        assert!(f.narration().contains("loss 50%"), "{}", f.narration());
        // Still a working cluster: with half the messages lost it keeps going and elects.
        let f = play_until(&mut pg, 20_000_000, |f| leader(f).is_some());
        assert!(leader(&f).is_some());
        assert!(f.violation.is_none());
    }

    #[test]
    fn panic_report_says_how_to_reproduce() {
        let text = panic_report(
            "index out of bounds",
            Some("src/x.rs:3:9"),
            "http://x/?v=1&seed=42&size=5&a=c",
            1_500_000,
            crate::i18n::Lang::En,
        );
        assert!(
            text.contains("index out of bounds (src/x.rs:3:9)"),
            "{text}"
        );
        assert!(text.contains("http://x/?v=1&seed=42&size=5&a=c"), "{text}");
        assert!(text.contains("1.500 s"), "{text}");
    }
}

//! Every bad input the page takes (issue #11, the README's bad-input table):
//! each gives an exact message or a clamped value, never a panic, and the
//! page goes on: a cluster is drawn and elects a leader.

use raft_sim::link::{LinkSetup, RunLink};
use raft_sim::scenario::Scenario;
use raft_sim::timeline::LoggedAction;
use raft_sim::Action;

use super::host::{link_query, HostCommand};
use super::keys::ServerAction;
use super::limits::{check_link, MAX_LINK_US};
use super::options::without_param;
use super::tests::{leader, play_until};
use super::*;
use crate::cluster::DEFAULT_NODES;
use crate::i18n::Lang;

/// A valid version-1 link with actions, made on the page: S2 crashes once
/// there is a leader, client 1 puts `x=1`; paused 200 ms later. The browser
/// suite `bad-input.mjs` uses it too.
const GOOD_LINK: &str = "v=1&seed=7&size=5&t=384000.386&paused&a=c3rsw.4f.2.w0.0.1.x.1";

#[test]
fn the_links_of_the_browser_suite_say_what_it_expects() {
    let (pg, banner) = open(&format!("?{GOOD_LINK}"));
    assert_eq!(banner, None);
    assert_eq!(pg.sim.actions_taken(), 2);
    assert!(!pg.frame().ring.nodes[1].alive, "S2 crashed");
    // The page writes the link back as it was read (the crash box shows it).
    assert_eq!(pg.link_query(), GOOD_LINK);
    assert_eq!(
        link_with(vec![(1_000, set_network(None, Some(1_000_000_000)))], 2_000),
        "v=1&seed=3&size=3&t=2000&a=Nrs.0..gjdgxs...."
    );
    assert_eq!(
        link_with(vec![(1_000, set_network(Some(150), None))], 2_000),
        "v=1&seed=3&size=3&t=2000&a=Nrs.0...46..."
    );
}

/// The page a URL query opens, with the banner it shows.
fn open(query: &str) -> (Playground, Option<Banner>) {
    let pg = start_playground(&parse_options(query), 42);
    let banner = pg.frame().banner;
    (pg, banner)
}

/// The page still works: it draws `servers` servers and, played, elects a leader.
fn usable(pg: &mut Playground, servers: usize) {
    pg.update(Msg::Play);
    let f = play_until(pg, pg.now_us() + 10_000_000, |f| leader(f).is_some());
    assert_eq!(f.ring.nodes.len(), servers);
    assert!(leader(&f).is_some(), "no leader within 10 s");
}

/// The banner is an error whose English names `needle`, and it is said in Chinese too.
fn error_naming(banner: Option<Banner>, needle: &str) -> Banner {
    let b = banner.unwrap_or_else(|| panic!("no banner (expected one naming {needle})"));
    assert_eq!(b.kind, BannerKind::Error, "{b:?}");
    assert!(b.text.contains(needle), "{needle} not in: {}", b.text);
    let zh = b.in_lang(Lang::Zh).text;
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "not said in Chinese: {zh}"
    );
    b
}

fn link_with(actions: Vec<(u64, Action)>, now_us: u64) -> String {
    RunLink {
        setup: LinkSetup::Playground { nodes: 3 },
        seed: 3,
        actions: actions
            .into_iter()
            .map(|(t, action)| LoggedAction {
                t,
                events: 0,
                action,
            })
            .collect(),
        now_us,
        now_events: 0,
        paused: false,
    }
    .to_query()
}

fn set_network(loss_pct: Option<u32>, latency_max_us: Option<u64>) -> Action {
    Action::SetNetwork {
        latency_min_us: None,
        latency_max_us,
        loss_pct,
        dup_pct: None,
        reorder_pct: None,
        reorder_max_us: None,
    }
}

#[test]
fn a_malformed_link_says_which_parameter_and_starts_a_new_run() {
    let (mut pg, banner) = open("?v=1&seed=x&size=3");
    let b = error_naming(banner, "`seed`");
    assert!(
        b.text.starts_with("This link could not be read"),
        "{}",
        b.text
    );
    assert_eq!(pg.seed(), 42, "the fresh seed");
    usable(&mut pg, DEFAULT_NODES);
    let (mut pg, banner) = open("?v=1&seed=1&size=3&a=zz~");
    error_naming(banner, "`a`");
    usable(&mut pg, DEFAULT_NODES);
}

#[test]
fn every_prefix_of_a_link_opens_a_run_or_says_why() {
    let file = Scenario::parse(r#"{"nodes": 3, "title": "t", "until_ms": 900}"#, "f.json").unwrap();
    let file_link = RunLink {
        setup: LinkSetup::File {
            scenario: Box::new(file),
        },
        seed: 4,
        actions: vec![LoggedAction {
            t: 10_000,
            events: 20,
            action: Action::Crash { node: 2 },
        }],
        now_us: 50_000,
        now_events: 90,
        paused: true,
    }
    .to_query();
    for link in [GOOD_LINK.to_string(), file_link] {
        let (mut whole, banner) = open(&format!("?{link}"));
        assert_eq!(banner, None, "{link}");
        assert!(whole.sim.actions_taken() > 0 || whole.now_us() < 400_000);
        let mut errors = 0;
        for end in (0..link.len()).filter(|&i| link.is_char_boundary(i)) {
            let prefix = format!("?{}", &link[..end]);
            let (pg, banner) = open(&prefix);
            match banner {
                Some(b) => {
                    assert_eq!(b.kind, BannerKind::Error, "{prefix}: {b:?}");
                    errors += 1;
                }
                None => assert!(!pg.frame().ring.nodes.is_empty(), "{prefix}"),
            }
        }
        assert!(errors > 0, "no prefix of {link} was refused");
        let servers = whole.frame().ring.nodes.len();
        usable(&mut whole, servers);
    }
}

#[test]
fn an_unknown_link_version_is_refused_by_name() {
    let (mut pg, banner) = open("?v=2&seed=1&size=3");
    let b = error_naming(banner, "`v`");
    assert!(b.text.contains("newer"), "{}", b.text);
    usable(&mut pg, DEFAULT_NODES);
    let (_, banner) = open("?v=x&seed=1&size=3");
    error_naming(banner, "`v`");
}

#[test]
fn a_cluster_of_0_or_1000_servers_is_refused_or_clamped_with_a_note() {
    for size in [0, 1000] {
        let (mut pg, banner) = open(&format!("?v=1&seed=1&size={size}"));
        let b = error_naming(banner, &format!("{size} servers: the page runs 1 to 9"));
        assert!(b.text.contains("`size`"));
        usable(&mut pg, DEFAULT_NODES);
    }
    // An old link (no `v`) clamps its size, and says so.
    for (size, shown) in [(0, 1), (1000, 9)] {
        let (mut pg, banner) = open(&format!("?seed=1&size={size}"));
        let b = banner.expect("a note");
        assert_eq!(b.kind, BannerKind::Info);
        assert_eq!(
            b.text,
            format!(
                "Note: the link asks for {size} servers and the page runs 1 to 9, so it shows {shown}."
            )
        );
        usable(&mut pg, shown);
    }
    // The size form and a message take 1 to 9 only.
    let (mut pg, _) = open("?seed=1&size=3");
    pg.update(Msg::SetSize(1000));
    assert_eq!(pg.frame().ring.nodes.len(), 9);
    pg.update(Msg::SetSize(0));
    usable(&mut pg, 1);
}

#[test]
fn a_scenario_file_with_0_or_1000_servers_is_not_loaded() {
    let (mut pg, _) = open("?seed=5&size=3");
    pg.update(Msg::LoadFile("zero.json".into(), r#"{"nodes": 0}"#.into()));
    let b = error_naming(pg.frame().banner, "a cluster needs at least one server");
    assert!(b.text.contains("The file was not loaded"), "{}", b.text);
    pg.update(Msg::LoadFile(
        "big.json".into(),
        r#"{"nodes": 1000}"#.into(),
    ));
    let b = error_naming(
        pg.frame().banner,
        "big.json: 1000 servers, more than the 9 the page draws",
    );
    assert!(b
        .text
        .ends_with("The file was not loaded; the run goes on."));
    usable(&mut pg, 3);
}

#[test]
fn a_negative_or_huge_latency_is_refused() {
    let (mut pg, _) = open("?seed=5&size=3");
    let file = |net: &str| format!(r#"{{"nodes": 3, "network": {net}}}"#);
    for (net, said) in [
        (
            r#"{"latency_min_ms": -5, "latency_max_ms": 10}"#,
            "n.json: field `network.latency_min_ms`: must be a time between 0 and 10000 ms",
        ),
        (
            r#"{"latency_min_ms": 1, "latency_max_ms": 1e300}"#,
            "field `network.latency_max_ms`: must be a time between 0 and 10000 ms",
        ),
        (
            r#"{"links": [{"from": 1, "to": 2, "latency_min_ms": 1, "latency_max_ms": 20000}]}"#,
            "field `network.links[0].latency_max_ms`: must be a time between 0 and 10000 ms",
        ),
    ] {
        pg.update(Msg::LoadFile("n.json".into(), file(net)));
        error_naming(pg.frame().banner, said);
        assert_eq!(pg.sim.scenario().nodes, 3, "the run was replaced");
    }
    // In a link's `set_network` action.
    let (mut pg, banner) = open(&format!(
        "?{}",
        link_with(vec![(1_000, set_network(None, Some(u64::MAX)))], 2_000)
    ));
    error_naming(
        banner,
        "action 1: network latency_max_us: must be at most 10000000 µs",
    );
    usable(&mut pg, DEFAULT_NODES);
    // A negative number cannot be written in a link's action.
    let good = link_with(vec![(1_000, set_network(None, Some(5)))], 2_000);
    let negative = good.replace(".5.", ".-5.");
    assert_ne!(good, negative, "{good}");
    let (mut pg, banner) = open(&format!("?{negative}"));
    error_naming(banner, "`a`");
    usable(&mut pg, DEFAULT_NODES);
    // The slider clamps (`NetSettings::clamped`).
    let (mut pg, _) = open("?seed=5&size=3");
    pg.update(Msg::SetNet(crate::cluster::NetSettings {
        latency_ms: u64::MAX,
        loss_pct: 500,
        dup_pct: 0,
        reorder_pct: 0,
    }));
    assert_eq!(pg.frame().net.latency_ms, 100);
    assert_eq!(pg.frame().net.loss_pct, 90);
}

#[test]
fn a_loss_above_100_percent_is_refused() {
    let (mut pg, banner) = open(&format!(
        "?{}",
        link_with(vec![(1_000, set_network(Some(150), None))], 2_000)
    ));
    error_naming(
        banner,
        "action 1: network loss_pct: must be between 0 and 100 %, not 150",
    );
    usable(&mut pg, DEFAULT_NODES);
    pg.update(Msg::LoadFile(
        "loss.json".into(),
        r#"{"nodes": 3, "network": {"loss": 1.5}}"#.into(),
    ));
    error_naming(pg.frame().banner, "network.loss");
    pg.update(Msg::LoadFile(
        "loss.json".into(),
        r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "set_network", "loss_pct": 150}]}"#.into(),
    ));
    error_naming(pg.frame().banner, "actions[0].loss_pct");
    usable(&mut pg, DEFAULT_NODES);
}

#[test]
fn an_unknown_language_is_ignored_with_a_note() {
    let (mut pg, banner) = open("?seed=3&size=3&lang=xx");
    let b = banner.expect("a note");
    assert_eq!(b.kind, BannerKind::Info);
    assert_eq!(
        b.text,
        "Note: the page does not know `lang=xx`, so it ignored it."
    );
    assert_eq!(pg.frame().lang, Lang::En);
    usable(&mut pg, 3);
    let (_, banner) = open("?lang=zh&theme=blue&speed=abc");
    let b = banner.expect("a note");
    assert_eq!(
        b.in_lang(Lang::En).text,
        "Note: the page does not know `theme=blue` and `speed=abc`, so it ignored it."
    );
    assert!(b.in_lang(Lang::Zh).text.contains("已忽略"));
    // A bad link's error wins over the note.
    let (_, banner) = open("?lang=xx&v=9&seed=1&size=3");
    error_naming(banner, "`v`");
    // Nothing to say.
    assert_eq!(open("?lang=zh-CN&theme=dark&speed=1").1, None);
}

#[test]
fn a_scenario_with_wrong_types_or_unknown_fields_is_not_loaded() {
    let (mut pg, _) = open("?seed=5&size=3");
    pg.update(Msg::Play);
    play_until(&mut pg, 200_000, |_| false);
    let before = (pg.seed(), pg.now_us());
    for (text, said) in [
        (r#"{"nodes": "three"}"#, "s.json:1:"),
        (r#"{"nodes": 3, "colour": "red"}"#, "colour"),
        (
            r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "crash", "nod": 1}]}"#,
            "actions[0]",
        ),
        (r#"{"nodes": 3, "network": {"loss": "lots"}}"#, "s.json:1:"),
        (r#"[1, 2, 3]"#, "s.json"),
        ("", "s.json"),
    ] {
        pg.update(Msg::LoadFile("s.json".into(), text.into()));
        let b = error_naming(pg.frame().banner, said);
        assert!(
            b.text.contains("The file was not loaded"),
            "{text}: {}",
            b.text
        );
        assert_eq!((pg.seed(), pg.now_us()), before, "{text}: the run changed");
    }
    usable(&mut pg, 3);
}

#[test]
fn a_foreign_message_is_ignored_and_a_bad_command_says_why() {
    let p = HostCommand::parse;
    // Other shapes: no target, another target, an unknown type, both or neither
    // of scenario and link, a link too long to be one.
    let long = "x".repeat(20_000);
    for (target, kind, scenario, link) in [
        (None, Some("play"), None, None),
        (Some("evil"), Some("load"), Some("tour"), None),
        (Some("raft-playground"), Some("eval"), None, None),
        (Some("raft-playground"), None, None, None),
        (
            Some("raft-playground"),
            Some("load"),
            Some("a"),
            Some("?v=1"),
        ),
        (
            Some("raft-playground"),
            Some("load"),
            None,
            Some(long.as_str()),
        ),
        (
            Some("raft-playground"),
            Some("load"),
            Some(long.as_str()),
            None,
        ),
    ] {
        assert_eq!(p(target, kind, scenario, link), None);
    }
    // The right shape with a bad link or an unknown scenario: a banner, the run goes on.
    let (mut pg, _) = open("?seed=5&size=3");
    pg.update(Msg::LoadLink(link_query(
        "https://x.example/?v=1&seed=z&size=3",
    )));
    error_naming(pg.frame().banner, "`seed`");
    pg.update(Msg::LoadLink(link_query("")));
    assert_eq!(pg.frame().banner.map(|b| b.kind), Some(BannerKind::Error));
    pg.update(Msg::LoadScenario("no-such-thing".into()));
    let b = error_naming(pg.frame().banner, "`no-such-thing`");
    assert_eq!(
        b.text,
        "There is no scenario called `no-such-thing`; the run goes on."
    );
    usable(&mut pg, 3);
}

#[test]
fn a_link_too_far_in_time_or_with_endless_actions_is_refused() {
    // Replaying a moment hours away would freeze the page.
    let (mut pg, banner) = open(&format!("?v=1&seed=1&size=3&t={}", u64::MAX));
    error_naming(banner, "the furthest the page replays");
    usable(&mut pg, DEFAULT_NODES);
    let link = |t: u64| RunLink::from_query(&format!("?v=1&seed=1&size=3&t={t}"));
    let Ok(Some(edge)) = link(MAX_LINK_US) else {
        panic!("a link at the limit reads")
    };
    assert_eq!(check_link(&edge), Ok(()));
    let Ok(Some(past)) = link(MAX_LINK_US + 1) else {
        panic!("a link past the limit reads")
    };
    assert!(check_link(&past).is_err());
    // A reboot whose downtime in µs is past u64.
    let (mut pg, banner) = open(&format!(
        "?{}",
        link_with(
            vec![(
                1_000,
                Action::Reboot {
                    node: 1,
                    down_ms: u64::MAX
                }
            )],
            2_000
        )
    ));
    error_naming(
        banner,
        "action 1: down_ms = 18446744073709551615 ms is past the latest time a run can hold",
    );
    usable(&mut pg, DEFAULT_NODES);
    // And in a file.
    pg.update(Msg::LoadFile(
        "r.json".into(),
        r#"{"nodes": 3, "actions": [{"at_ms": 1, "do": "crash_next_leader", "after_ms": 18446744073709551615}]}"#.into(),
    ));
    error_naming(pg.frame().banner, "actions[0].after_ms");
}

#[test]
fn form_fields_out_of_range_are_clamped() {
    let (mut pg, _) = open("?seed=5&size=3");
    pg.update(Msg::Play);
    play_until(&mut pg, 300_000, |_| false);
    // The scrubber past the end (a range input's value edited by hand).
    pg.update(Msg::Scrub(u64::MAX));
    assert!(pg.now_us() <= 300_000 + 20_000);
    pg.update(Msg::SetSpeed(i32::MAX));
    pg.update(Msg::SetSpeed(i32::MIN));
    pg.update(Msg::SetSnapshotThreshold(u64::MAX));
    pg.update(Msg::Server(ServerAction::Crash, 1_000));
    pg.update(Msg::Select(u64::MAX));
    usable(&mut pg, 3);
}

#[test]
fn the_crash_box_link_leaves_out_crash() {
    assert_eq!(
        without_param("https://x/p/?crash&v=1&seed=9&size=5", "crash"),
        "https://x/p/?v=1&seed=9&size=5"
    );
    assert_eq!(
        without_param("https://x/?v=1&crash=1&seed=9&crashy=2", "crash"),
        "https://x/?v=1&seed=9&crashy=2"
    );
    assert_eq!(without_param("https://x/?crash", "crash"), "https://x/");
    assert_eq!(without_param("https://x/", "crash"), "https://x/");
}

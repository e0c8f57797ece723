//! Inputs the fuzz targets (`fuzz/`) found failing, kept as tests.

use raft_sim::scenario::{Scenario, MAX_TIME_MS};

/// Found by the `scenario` target: a scenario written back (serde_json writes
/// the shortest text of each float) must load as the same scenario. serde_json
/// reads floats of 16-17 significant digits, or with large exponents, one unit
/// in the last place off unless its `float_roundtrip` feature is on, so a time
/// such as 471.60699999999997 ms (a page that adds float deltas writes such
/// times) comes back as another number, and a share link's `file` with it
/// reads differently from the run it was made from.
#[test]
fn scenario_floats_survive_being_written_back() {
    let text = r#"{"nodes": 3,
        "network": {"links": [{"from": 1, "to": 2, "latency_min_ms": 1e-67, "latency_max_ms": 0.0000000000000000000000000000000000000094444444444444444444444444444}]},
        "actions": [{"at_ms": 471.60699999999997, "do": "campaign", "node": 1},
                    {"at_ms": 9266.273000000001, "do": "crash", "node": 2}]}"#;
    let scenario = Scenario::parse(text, "fuzz.json").expect("a valid scenario");
    let json = serde_json::to_string(&scenario).expect("a scenario serializes");
    let again = Scenario::parse(&json, "written-back.json").expect("it loads back");
    assert_eq!(again, scenario, "{json}");
}

/// Found by the `scenario` target: a scenario may ask for any number of
/// clients (`clients.count` is checked against nothing), and building its
/// world makes every one of them: `"count": 88005208696600` passes
/// `Scenario::parse`, then exhausts memory when the page or `raft-sim run`
/// builds the world (a share link's `file` can carry it). Servers are capped
/// at 1,000; clients should be too, at load time (at most `MAX_CLIENTS`, 1,000).
#[test]
fn a_scenario_with_countless_clients_is_refused() {
    let text = r#"{"nodes": 3, "clients": {"count": 88005208696600}}"#;
    let error = Scenario::parse(text, "fuzz.json").expect_err("too many clients to build");
    assert!(error.to_string().contains("clients"), "{error}");
}

/// Found reading `Scenario::world_config` after the `scenario` target's
/// finds (the fuzzer did not hit the narrow range of numbers): times in
/// milliseconds were multiplied by 1,000 unchecked, so a `tick_ms`,
/// `clients.think_ms` or `clients.timeout_ms` above `u64::MAX / 1000` panicked
/// the parse in a debug build (`attempt to multiply with overflow`, while
/// validating) and wrapped to another time in a release one. `until_ms` (in
/// `Scenario::run`), `crash_next_leader.after_ms` and `reboot.down_ms` (when
/// the world applies them) were multiplied the same way, and a latency of
/// 1e67 ms saturated to `u64::MAX` µs, which overflows once a message is sent.
/// Every time is refused past its range, naming its field: latencies past 10
/// s (what `set_network` allows), other times past `MAX_TIME_MS`.
/// Scenarios with one time, `TIME`, and the field it is in: times in
/// milliseconds up to `MAX_TIME_MS`.
const TIMES: [(&str, &str); 12] = [
    ("tick_ms", r#"{"nodes": 1, "tick_ms": TIME}"#),
    ("until_ms", r#"{"nodes": 1, "until_ms": TIME}"#),
    (
        "clients.think_ms",
        r#"{"nodes": 1, "clients": {"think_ms": TIME}}"#,
    ),
    (
        "clients.timeout_ms",
        r#"{"nodes": 1, "clients": {"timeout_ms": TIME}}"#,
    ),
    (
        "node.election_timeout_max_ms",
        r#"{"nodes": 1, "node": {"election_timeout_max_ms": TIME}}"#,
    ),
    (
        "node.election_timeout_min_ms",
        r#"{"nodes": 1, "node": {"election_timeout_min_ms": TIME}}"#,
    ),
    (
        "node.heartbeat_ms",
        r#"{"nodes": 1, "node": {"heartbeat_ms": TIME}}"#,
    ),
    (
        "actions[0].at_ms",
        r#"{"nodes": 1, "actions": [{"at_ms": TIME, "do": "heal"}]}"#,
    ),
    (
        "expect[0].at_ms",
        r#"{"nodes": 1, "expect": [{"at_ms": TIME, "that": "no_leader"}]}"#,
    ),
    (
        "actions[0].after_ms",
        r#"{"nodes": 1, "actions": [{"at_ms": 1, "do": "crash_next_leader", "after_ms": TIME}]}"#,
    ),
    (
        "actions[0].down_ms",
        r#"{"nodes": 1, "actions": [{"at_ms": 1, "do": "reboot", "node": 1, "down_ms": TIME}]}"#,
    ),
    (
        "actions[0].down_ms",
        r#"{"nodes": 1, "actions": [{"at_ms": 1, "do": "reboot_follower", "down_ms": TIME}]}"#,
    ),
];

/// The same for latencies: up to 10 s, as `set_network` allows.
const LATENCIES: [(&str, &str); 5] = [
    (
        "network.latency_min_ms",
        r#"{"nodes": 1, "network": {"latency_min_ms": TIME}}"#,
    ),
    (
        "network.latency_max_ms",
        r#"{"nodes": 1, "network": {"latency_max_ms": TIME}}"#,
    ),
    (
        "network.reorder_max_ms",
        r#"{"nodes": 1, "network": {"reorder_max_ms": TIME}}"#,
    ),
    (
        "network.links[0].latency_min_ms",
        r#"{"nodes": 2, "network": {"links": [{"from": 1, "to": 2, "latency_min_ms": TIME, "latency_max_ms": 5}]}}"#,
    ),
    (
        "network.links[0].latency_max_ms",
        r#"{"nodes": 2, "network": {"links": [{"from": 1, "to": 2, "latency_min_ms": 1, "latency_max_ms": TIME}]}}"#,
    ),
];

/// Each of `scenarios` with each of `times` in it: (time, field, text).
fn with_time(
    scenarios: &[(&'static str, &str)],
    times: &[&str],
) -> Vec<(String, &'static str, String)> {
    let mut all = Vec::new();
    for time in times {
        for &(field, text) in scenarios {
            all.push((time.to_string(), field, text.replace("TIME", time)));
        }
    }
    all
}

#[test]
fn times_past_the_microsecond_range_are_refused() {
    let past_u64 = "18446744073709552"; // u64::MAX / 1000 + 1
    let past_max = (MAX_TIME_MS + 1).to_string();
    let too_late = with_time(&TIMES, &[past_u64, &past_max, "1e300"]);
    let too_slow = with_time(&LATENCIES, &[past_u64, "10000.001", "1e67", "-1"]);
    for (time, field, text) in too_late.into_iter().chain(too_slow) {
        let parsed = std::panic::catch_unwind(|| Scenario::parse(&text, "fuzz.json"));
        let error = parsed
            .unwrap_or_else(|_| panic!("{field} {time}: the parse panics"))
            .expect_err(field);
        // 1e300 is not an integer: an integer field refuses it by its type
        // (an action's, at the action: serde reads its fields together).
        let at = error.message.contains("invalid type") && field.starts_with(&error.path);
        assert!(error.path == field || at, "{time}: {error}");
        let why = [
            "must be a time between 0 and",
            "invalid type: floating point",
        ];
        assert!(
            why.iter().any(|w| error.message.contains(w)),
            "{field} {time}: {error}"
        );
    }
    // The latest times are still times (a server's timeouts and the tick
    // have narrower ranges, a latency's minimum must stay below its maximum).
    let latest = MAX_TIME_MS.to_string();
    let at_the_limit = with_time(&TIMES, &[&latest])
        .into_iter()
        .filter(|(_, field, _)| !field.starts_with("tick") && !field.starts_with("node."))
        .chain(
            with_time(&LATENCIES, &["10000"])
                .into_iter()
                .filter(|(_, f, _)| !f.contains("min")),
        );
    for (_, field, text) in at_the_limit {
        Scenario::parse(&text, "fuzz.json").unwrap_or_else(|e| panic!("{field}: {e}"));
    }
}

/// `raft-sim run --until-ms` past the range (given to `Scenario::run`, not in
/// the file) is refused too, not multiplied into another time.
#[test]
fn running_until_past_the_range_is_refused() {
    let scenario = Scenario::parse(r#"{"nodes": 1}"#, "fuzz.json").expect("a valid scenario");
    let error = scenario
        .run(None, Some(u64::MAX / 1000 + 1), false)
        .map(|_| ())
        .expect_err("no run that long");
    assert!(error.contains("past the latest time"), "{error}");
}

/// Seen while fixing the scenario times: a share link's actions carry any
/// number, and `crash_next_leader`'s `after_ms` and `reboot`'s `down_ms` were
/// multiplied by 1000 and added to the clock unchecked (a panic in a debug
/// build, a wrapped time in the page's release build). The world refuses them
/// past `MAX_TIME_MS`, naming the field, and the run goes on.
#[test]
fn link_actions_with_times_past_the_range_are_refused() {
    use raft_sim::world::{Action, ActionError, World, WorldConfig};
    let mut w = World::new(WorldConfig::with_nodes(3), 1);
    for (field, action) in [
        ("after_ms", Action::CrashNextLeader { after_ms: u64::MAX }),
        (
            "down_ms",
            Action::Reboot {
                node: 1,
                down_ms: MAX_TIME_MS + 1,
            },
        ),
        (
            "down_ms",
            Action::RebootFollower {
                down_ms: u64::MAX / 1000 + 1,
            },
        ),
    ] {
        let err = w.apply_action(&action).expect_err("refused");
        assert!(
            matches!(err.reason(), ActionError::TimeRange { field: f, .. } if *f == field),
            "{err}"
        );
    }
    // S1 was not crashed by the refused reboot, and the run goes on.
    assert!(w.apply_action(&Action::Crash { node: 1 }).is_ok());
    assert!(w
        .apply_action(&Action::Reboot {
            node: 2,
            down_ms: MAX_TIME_MS
        })
        .is_ok());
}

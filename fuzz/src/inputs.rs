//! The checks of the `scenario`, `trace` and `link` fuzz targets: what the
//! user can hand the playground (a scenario file, a trace, a share link) must
//! never panic the reader, and what the reader accepts must survive being
//! written back.
//!
//! This file has no dependency besides `raft_sim` and `serde_json`, so raft-sim's
//! stable test `tests/fuzz_corpus.rs` compiles it too (`#[path]`) and replays
//! every committed corpus file through exactly these checks.

use raft_sim::link::RunLink;
use raft_sim::scenario::Scenario;
use raft_sim::trace::parse_line;

/// A scenario file: parses or says why not; a parsed one, serialized and
/// parsed again, is the same scenario. Returns whether it parsed.
pub fn check_scenario(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let Ok(scenario) = Scenario::parse(text, "fuzz.json") else {
        return false;
    };
    // What the page does with a loaded file before it runs: build its world,
    // here for small worlds only (1,000 servers or clients are slow to fuzz).
    if scenario.nodes + scenario.spare_nodes <= 9 && scenario.clients.count <= 100 {
        let _ = scenario.timeline(scenario.seed, 2, 1_000_000, |_| {});
    }
    let json = serde_json::to_string(&scenario).expect("a parsed scenario serializes");
    let again = Scenario::parse(&json, "written-back.json")
        .unwrap_or_else(|e| panic!("a scenario written back does not load: {e}\n{json}"));
    assert_eq!(
        again, scenario,
        "a scenario written back loads differently\n{json}"
    );
    true
}

/// A trace: every line is an event, an unknown event or an error, never a
/// panic. Returns how many lines were events.
pub fn check_trace(data: &[u8]) -> usize {
    let text = String::from_utf8_lossy(data);
    let lines = text.lines().enumerate();
    lines
        .filter(|&(i, line)| matches!(parse_line(line, i + 1), Ok(Some(_))))
        .count()
}

/// A share link's query string: reads or says why not; a link that reads,
/// written back and read again, is the same link. Returns whether it read.
pub fn check_link(data: &[u8]) -> bool {
    let Ok(query) = std::str::from_utf8(data) else {
        return false;
    };
    let Ok(Some(link)) = RunLink::from_query(query) else {
        return false;
    };
    let written = link.to_query();
    let again = RunLink::from_query(&written)
        .unwrap_or_else(|e| panic!("a link written back does not read: {e}\n{written}"));
    assert_eq!(
        again.as_ref(),
        Some(&link),
        "a link written back reads differently\n{written}"
    );
    true
}

//! Replays the committed corpora of the `scenario`, `trace` and `link` fuzz
//! targets (`fuzz/corpus/`) through the targets' own checks
//! (`fuzz/src/inputs.rs`, included here), so a stable `cargo test` re-checks
//! every input the fuzzer kept: none may panic, and what reads must read the
//! same once written back.

#[path = "../../../fuzz/src/inputs.rs"]
mod inputs;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

/// Every file of `fuzz/corpus/<target>/`, by name.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, data)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no corpus", dir.display());
    files
}

/// Runs `check` on every file of the corpus; returns how many it accepted.
/// Fails naming every file that panics.
fn replay<T>(target: &str, check: fn(&[u8]) -> T, accepted: fn(&T) -> bool) -> usize {
    let mut failed = Vec::new();
    let mut count = 0;
    let files = corpus(target);
    let total = files.len();
    for (path, data) in files {
        match catch_unwind(AssertUnwindSafe(|| check(&data))) {
            Ok(outcome) => count += usize::from(accepted(&outcome)),
            Err(_) => failed.push(path.display().to_string()),
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: these inputs panic: {failed:#?}"
    );
    eprintln!("{target}: {count} of {total} inputs accepted");
    count
}

#[test]
fn scenario_corpus_parses_or_is_refused_and_round_trips() {
    let parsed = replay("scenario", inputs::check_scenario, |&ok| ok);
    // The library's scenarios are seeds: the round trip is exercised.
    assert!(parsed >= 10, "only {parsed} scenario inputs parse");
}

#[test]
fn trace_corpus_reads_line_by_line() {
    let events = replay("trace", inputs::check_trace, |&n| n > 0);
    assert!(events >= 10, "only {events} trace inputs hold an event");
}

#[test]
fn link_corpus_reads_or_is_refused_and_round_trips() {
    let read = replay("link", inputs::check_link, |&ok| ok);
    assert!(read >= 10, "only {read} link inputs read");
}

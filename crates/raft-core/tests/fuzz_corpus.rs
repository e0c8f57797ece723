//! Replays the committed corpus of the `core` fuzz target (`fuzz/corpus/core/`)
//! through the target's own model and invariants (`fuzz/src/core_model/`,
//! included here; it reads the bytes as the target does, without `arbitrary`),
//! so a stable `cargo test` re-checks every input the fuzzer kept.

#[path = "../../../fuzz/src/core_model/mod.rs"]
mod core_model;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use core_model::Reached;

#[test]
fn core_corpus_keeps_every_invariant() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/core");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{}: no corpus", dir.display());
    let mut failed = Vec::new();
    let mut reached = Reached::default();
    for path in &paths {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match catch_unwind(AssertUnwindSafe(|| core_model::check_core(&data))) {
            Ok(r) => reached = reached.and(r),
            Err(_) => failed.push(path.display().to_string()),
        }
    }
    assert!(
        failed.is_empty(),
        "these inputs break raft-core: {failed:#?}"
    );
    // The corpus still drives the servers through what the invariants are about.
    assert!(reached.leader && reached.commit >= 3, "{reached:?}");
    assert!(
        reached.compacted && reached.snapshot_installed,
        "{reached:?}"
    );
    assert!(reached.joint && reached.lost_output, "{reached:?}");
}

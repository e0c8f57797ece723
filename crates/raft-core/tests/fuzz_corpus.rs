//! Replays the committed corpus of the `core` fuzz target (`fuzz/corpus/core/`)
//! through the target's own model and invariants (`fuzz/src/core_model/`,
//! included here; it reads the bytes as the target does, without `arbitrary`),
//! so a stable `cargo test` re-checks every input the fuzzer kept.

#[path = "../../../fuzz/src/core_model/mod.rs"]
mod core_model;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

#[test]
fn core_corpus_keeps_every_invariant() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/core");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{}: no corpus", dir.display());
    let failed: Vec<String> = paths
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            catch_unwind(AssertUnwindSafe(|| core_model::check_core(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "these inputs break raft-core: {failed:#?}"
    );
}

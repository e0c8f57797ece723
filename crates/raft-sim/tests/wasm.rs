//! Determinism across platforms: wasm32 computes the same trace hashes as
//! the native test. Run with
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p raft-sim --target wasm32-unknown-unknown --no-default-features --test wasm`.
#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn trace_hashes_match_the_native_golden_file() {
    assert_eq!(common::hashes(), common::golden());
}

//! `cargo +nightly fuzz run scenario`: see raft_fuzz::inputs::check_scenario.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    raft_fuzz::inputs::check_scenario(data);
});

//! `cargo +nightly fuzz run trace`: see raft_fuzz::inputs::check_trace.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    raft_fuzz::inputs::check_trace(data);
});

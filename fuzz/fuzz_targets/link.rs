//! `cargo +nightly fuzz run link`: see raft_fuzz::inputs::check_link.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    raft_fuzz::inputs::check_link(data);
});

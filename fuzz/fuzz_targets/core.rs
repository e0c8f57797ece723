//! `cargo +nightly fuzz run core`: see raft_fuzz::core_model.
#![no_main]

use arbitrary::Unstructured;
use raft_fuzz::core_model::{run, Bytes, Script};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let script = Script::draw(&mut Unstructured::new(data));
    // The stable replay of the corpus (raft-core's tests/fuzz_corpus.rs) reads
    // the bytes without `arbitrary`: it must see the same script.
    assert_eq!(script, Script::draw(&mut Bytes(data)));
    run(&script);
});

//! The same seed, config and actions give the same trace bit for bit: the
//! hashes below are pinned, and the wasm test checks the same file.
//! Regenerate after an intended behaviour change with `RAFT_SIM_BLESS=1`.

mod common;

#[test]
fn trace_hashes_match_the_golden_file() {
    let got = common::hashes();
    if std::env::var_os("RAFT_SIM_BLESS").is_some() {
        let mut text = String::from("# FNV-1a 64 of each pinned trace (see tests/common/mod.rs)\n");
        for (name, h) in &got {
            text.push_str(&format!("{name} 0x{h:016x}\n"));
        }
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/trace_hashes.txt");
        std::fs::write(path, text).unwrap();
        return;
    }
    assert_eq!(got, common::golden());
}

#[test]
fn two_runs_give_identical_traces() {
    assert_eq!(common::hashes(), common::hashes());
}

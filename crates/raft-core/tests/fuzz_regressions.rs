//! Inputs the `core` fuzz target (`fuzz/`) found breaking an invariant, kept as tests.

use raft_core::{
    Body, Command, Config, Entry, EntryData, Message, Raft, Role, SplitMix64, Storage,
};

/// A single-server cluster whose server leads term 1 and has committed its no-op at index 1.
fn leader_with_one_committed_entry() -> Raft<SplitMix64> {
    let storage = Storage::bootstrap([1]);
    let mut raft = Raft::new(Config::new(1), &storage, SplitMix64::new(0)).unwrap();
    raft.campaign().unwrap();
    raft.take_output();
    assert_eq!(raft.role(), Role::Leader);
    assert_eq!((raft.commit_index(), raft.log().term(1)), (1, Some(1)));
    raft
}

fn entry(index: u64, term: u64) -> Entry {
    let command = Command {
        client: 9,
        seq: index,
        data: Default::default(),
    };
    Entry {
        index,
        term,
        data: EntryData::Command(command),
    }
}

/// The log's terms after the leader of the cluster of
/// [`leader_with_one_committed_entry`] gets, from S2 at term 2, an
/// AppendEntries of `entries` after index 0 with leader_commit 1.
fn terms_after_append(entries: Vec<Entry>) -> Vec<u64> {
    let mut raft = leader_with_one_committed_entry();
    raft.step(Message {
        from: 2,
        to: 1,
        term: 2,
        body: Body::AppendEntries {
            prev_log_index: 0,
            prev_log_term: 0,
            entries,
            leader_commit: 1,
            round: 0,
        },
    });
    let log = raft.log();
    (1..=log.last_index()).filter_map(|i| log.term(i)).collect()
}

/// Found by the `core` target: an AppendEntries whose entry at our commit
/// index has another term than ours contradicts a committed entry, which no
/// leader's log can (§5.4). The entries up to the commit index were skipped
/// unchecked and the rest appended after it, so the log's terms went down
/// (index 1 of term 1, then index 2 of term 0). It must be ignored.
#[test]
fn an_append_that_contradicts_a_committed_entry_is_ignored() {
    let terms = terms_after_append(vec![entry(1, 0), entry(2, 0), entry(3, 0)]);
    assert_eq!(
        terms,
        [1],
        "the log took entries after a conflicting committed one"
    );
}

/// The same append with our term at the commit index is a leader's: taken.
#[test]
fn an_append_that_agrees_with_the_committed_entries_is_taken() {
    let terms = terms_after_append(vec![entry(1, 1), entry(2, 2), entry(3, 2)]);
    assert_eq!(terms, [1, 2, 2]);
}

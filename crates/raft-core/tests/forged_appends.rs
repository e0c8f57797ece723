//! AppendEntries no leader could send: a server ignores them rather than
//! taking their entries into its log.

use raft_core::{
    Body, Command, Config, Entry, EntryData, Event, IgnoreReason, Message, MessageKind, Raft,
    SplitMix64, Storage,
};

/// A follower of a fresh three-server cluster (S1 of S1..S3, empty log).
fn follower() -> Raft<SplitMix64> {
    let storage = Storage::bootstrap([1, 2, 3]);
    Raft::new(Config::new(1), &storage, SplitMix64::new(0)).expect("a valid server")
}

fn entries(terms: &[u64]) -> Vec<Entry> {
    (1..)
        .zip(terms)
        .map(|(index, &term)| Entry {
            index,
            term,
            data: EntryData::Command(Command {
                client: 9,
                seq: index,
                data: Default::default(),
            }),
        })
        .collect()
}

/// What a fresh follower's log holds, and whether it ignored the message as
/// malformed, after S2 at `term` sends it `entries` after index 0.
fn after_append(term: u64, terms: &[u64]) -> (Vec<u64>, bool) {
    let mut raft = follower();
    raft.step(Message {
        from: 2,
        to: 1,
        term,
        body: Body::AppendEntries {
            prev_log_index: 0,
            prev_log_term: 0,
            entries: entries(terms),
            leader_commit: 0,
            round: 0,
        },
    });
    let ignored = raft.take_output().events.iter().any(|e| {
        matches!(
            e,
            Event::MessageIgnored {
                from: 2,
                kind: MessageKind::AppendEntries,
                reason: IgnoreReason::Malformed,
            }
        )
    });
    let log = raft.log();
    let terms = (1..=log.last_index()).filter_map(|i| log.term(i)).collect();
    (terms, ignored)
}

/// Term 0 is no leader's (terms start at 1, §5.1), so an entry of term 0 is
/// forged: before, it was appended (its term 0 passed the `>= prev_log_term`
/// check after index 0), leaving an entry no leader wrote in the log.
#[test]
fn an_entry_of_term_0_is_ignored() {
    assert_eq!(after_append(1, &[0]), (vec![], true));
    assert_eq!(after_append(2, &[0, 0, 2]), (vec![], true));
}

/// An entry of a later term than the message's is no leader's either (a
/// leader writes entries of its own term or older ones, §5.3).
#[test]
fn an_entry_of_a_term_past_the_message_is_ignored() {
    assert_eq!(after_append(2, &[1, 3]), (vec![], true));
}

/// The same appends with terms a leader writes are taken.
#[test]
fn entries_of_real_terms_are_taken() {
    assert_eq!(after_append(1, &[1]), (vec![1], false));
    assert_eq!(after_append(2, &[1, 1, 2]), (vec![1, 1, 2], false));
}

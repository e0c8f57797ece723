//! Every message kind has a one-line human-readable `Display`, like etcd's
//! `1->2 MsgApp Term:1 Log:1/11 Commit:11 Entries:[...]`.

use raft_core::{Body, Command, Configuration, Entry, EntryData, Message, Snapshot, SnapshotMeta};

fn msg(body: Body) -> String {
    Message {
        from: 1,
        to: 2,
        term: 8,
        body,
    }
    .to_string()
}

#[test]
fn votes() {
    let rv = |pre, transfer| Body::RequestVote {
        pre,
        last_log_index: 10,
        last_log_term: 6,
        transfer,
    };
    assert_eq!(msg(rv(false, false)), "1->2 RequestVote Term:8 Log:6/10");
    assert_eq!(msg(rv(true, false)), "1->2 PreVote Term:8 Log:6/10");
    assert_eq!(
        msg(rv(false, true)),
        "1->2 RequestVote Term:8 Log:6/10 Transfer"
    );
    assert_eq!(
        msg(Body::RequestVoteResponse {
            pre: false,
            granted: true
        }),
        "1->2 RequestVoteResponse Term:8 Granted"
    );
    assert_eq!(
        msg(Body::RequestVoteResponse {
            pre: true,
            granted: false
        }),
        "1->2 PreVoteResponse Term:8 Rejected"
    );
}

#[test]
fn appends_and_heartbeats() {
    let entries = vec![
        Entry {
            index: 10,
            term: 8,
            data: EntryData::Noop,
        },
        Entry {
            index: 11,
            term: 8,
            data: EntryData::Command(Command {
                client: 7,
                seq: 3,
                data: b"x=1".to_vec().into(),
            }),
        },
        Entry {
            index: 12,
            term: 8,
            data: EntryData::Config(Configuration::new([1, 2, 3]).into()),
        },
    ];
    let ae = |entries| Body::AppendEntries {
        prev_log_index: 9,
        prev_log_term: 6,
        entries,
        leader_commit: 9,
        round: 0,
    };
    assert_eq!(
        msg(ae(entries)),
        "1->2 AppendEntries Term:8 Log:6/9 Commit:9 Entries:[8/10 noop 8/11 cmd(7.3) 8/12 conf(1 2 3)]"
    );
    assert_eq!(msg(ae(vec![])), "1->2 Heartbeat Term:8 Log:6/9 Commit:9");
}

#[test]
fn append_responses() {
    let resp = |success, conflict| Body::AppendEntriesResponse {
        success,
        index: 10,
        last_index: 11,
        conflict,
        round: 0,
        heartbeat: false,
    };
    assert_eq!(
        msg(resp(true, None)),
        "1->2 AppendEntriesResponse Term:8 Ok Index:10"
    );
    assert_eq!(
        msg(resp(false, None)),
        "1->2 AppendEntriesResponse Term:8 Rejected Index:10 Last:11"
    );
    assert_eq!(
        msg(resp(false, Some((3, 7)))),
        "1->2 AppendEntriesResponse Term:8 Rejected Index:10 Last:11 Hint:3/7"
    );
}

#[test]
fn snapshots_and_timeout_now() {
    let snapshot = Snapshot {
        meta: SnapshotMeta {
            index: 5,
            term: 4,
            config: Configuration::new([1, 2, 3]),
        },
        data: Default::default(),
    };
    assert_eq!(
        msg(Body::InstallSnapshot { snapshot }),
        "1->2 InstallSnapshot Term:8 Snapshot:4/5 Config:(1 2 3)"
    );
    assert_eq!(
        msg(Body::InstallSnapshotResponse { index: 5 }),
        "1->2 InstallSnapshotResponse Term:8 Index:5"
    );
    assert_eq!(msg(Body::TimeoutNow), "1->2 TimeoutNow Term:8");
}

#[test]
fn kinds_and_responses() {
    assert!(Body::InstallSnapshotResponse { index: 1 }.is_response());
    assert!(!Body::TimeoutNow.is_response());
    assert_eq!(Body::TimeoutNow.kind().as_str(), "TimeoutNow");
    for k in raft_core::MessageKind::ALL {
        assert_eq!(raft_core::MessageKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(raft_core::MessageKind::parse("Nope"), None);
    assert!(Body::InstallSnapshotResponse { index: 1 }
        .kind()
        .is_response());
    assert!(!Body::TimeoutNow.kind().is_response());
}

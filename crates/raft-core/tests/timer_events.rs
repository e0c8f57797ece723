//! The event stream says why a server's election timer restarted, and a
//! refused vote request does not restart it (§5.2, Figure 2 "Followers").

use raft_core::{
    Body, Config, Entry, EntryData, Event, HardState, Message, Raft, Role, SplitMix64, Storage,
    TimerReason,
};

/// Server `id` of (1 2 3) at term 1, with entries 1 and 2 of term 1.
fn server(id: u64) -> Raft<SplitMix64> {
    let mut storage = Storage::bootstrap([1, 2, 3]);
    storage.hard_state = HardState {
        current_term: 1,
        voted_for: None,
    };
    storage.entries = (1..=2)
        .map(|index| Entry {
            index,
            term: 1,
            data: EntryData::Noop,
        })
        .collect();
    Raft::new(Config::new(id), &storage, SplitMix64::new(id)).unwrap()
}

/// The reasons of the timer restarts in the output so far.
fn resets(r: &mut Raft<SplitMix64>) -> Vec<TimerReason> {
    r.take_output()
        .events
        .into_iter()
        .filter_map(|e| match e {
            Event::TimerReset { reason } => Some(reason),
            _ => None,
        })
        .collect()
}

fn vote_request(from: u64, term: u64, last_log_index: u64) -> Message {
    Message {
        from,
        to: 2,
        term,
        body: Body::RequestVote {
            pre: false,
            last_log_index,
            last_log_term: 1,
            transfer: false,
        },
    }
}

#[test]
fn a_server_starts_its_timer_as_a_follower() {
    let mut r = server(2);
    let follower = TimerReason::NewRole {
        role: Role::Follower,
    };
    assert_eq!(resets(&mut r), [follower]);
}

#[test]
fn a_refused_vote_request_of_a_higher_term_does_not_restart_the_timer() {
    let mut r = server(2);
    resets(&mut r);
    for _ in 0..5 {
        r.tick();
    }
    let timeout = r.election_timer().1;
    // S3's log ends at 1/1, ours at 1/2 (§5.4.1).
    r.step(vote_request(3, 2, 1));
    assert_eq!(r.current_term(), 2);
    assert_eq!(r.election_timer(), (5, timeout));
    let out = r.take_output();
    assert!(out
        .events
        .iter()
        .any(|e| matches!(e, Event::VoteDenied { candidate: 3, .. })));
    assert!(!out
        .events
        .iter()
        .any(|e| matches!(e, Event::TimerReset { .. })));
}

#[test]
fn a_granted_vote_restarts_the_timer() {
    let mut r = server(2);
    resets(&mut r);
    for _ in 0..5 {
        r.tick();
    }
    r.step(vote_request(3, 2, 2));
    assert_eq!(r.voted_for(), Some(3));
    assert_eq!(r.election_timer().0, 0);
    assert_eq!(resets(&mut r), [TimerReason::VoteGranted { candidate: 3 }]);
}

#[test]
fn an_append_from_the_leader_restarts_the_timer() {
    let mut r = server(2);
    resets(&mut r);
    for _ in 0..5 {
        r.tick();
    }
    r.step(Message {
        from: 1,
        to: 2,
        term: 1,
        body: Body::AppendEntries {
            prev_log_index: 2,
            prev_log_term: 1,
            entries: Vec::new(),
            leader_commit: 2,
            round: 1,
        },
    });
    assert_eq!(r.election_timer().0, 0);
    assert_eq!(resets(&mut r), [TimerReason::LeaderContact { leader: 1 }]);
}

#[test]
fn each_election_and_each_new_leader_starts_a_new_timeout() {
    let mut r = server(2);
    resets(&mut r);
    r.campaign().unwrap();
    let candidate = TimerReason::NewRole {
        role: Role::Candidate,
    };
    assert_eq!(resets(&mut r), [candidate]);
    r.step(Message {
        from: 3,
        to: 2,
        term: 2,
        body: Body::RequestVoteResponse {
            pre: false,
            granted: true,
        },
    });
    assert_eq!(r.role(), Role::Leader);
    assert_eq!(
        resets(&mut r),
        [TimerReason::NewRole { role: Role::Leader }]
    );
    // A leader's timer counted toward CheckQuorum: stepping down on a higher term starts afresh.
    r.step(Message {
        from: 3,
        to: 2,
        term: 3,
        body: Body::AppendEntriesResponse {
            success: false,
            index: 2,
            last_index: 1,
            conflict: None,
            round: 1,
            heartbeat: false,
        },
    });
    assert_eq!(r.role(), Role::Follower);
    let follower = TimerReason::NewRole {
        role: Role::Follower,
    };
    assert_eq!(resets(&mut r), [follower]);
}

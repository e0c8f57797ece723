//! The journal: message lives and role marks, as the space-time diagram reads them.

use raft_core::Role;
use raft_sim::journal::{Answer, AttemptEvent, LossReason, MarkKind, MessageFate, Traffic};
use raft_sim::KvOp;
use raft_sim::{Action, World, WorldConfig};

fn world() -> World {
    let mut cfg = WorldConfig::with_nodes(3);
    cfg.journal = 2_000;
    cfg.clients = 1;
    World::new(cfg, 5)
}

/// Client 1 sends `op` to server `node` first (`contact`, then the operation).
fn send_via(w: &mut World, node: u64, op: Action) {
    w.apply_action(&Action::Contact { client: 1, node })
        .unwrap();
    w.apply_action(&op).unwrap();
}

#[test]
fn records_deliveries_losses_and_role_changes() {
    let mut w = world();
    w.run_until(1_000_000);
    let leader = w.leader().expect("a leader in 1 s");
    let j = w.journal();
    assert!(j.marks().any(|m| m.node == leader
        && matches!(
            m.kind,
            MarkKind::Role {
                role: Role::Leader,
                ..
            }
        )));
    let delivered = j
        .messages()
        .filter(|m| matches!(m.fate, MessageFate::Delivered { t } if t == m.deliver_at))
        .count();
    assert!(delivered > 10, "only {delivered} delivered");
    assert!(j.messages().all(|m| m.sent_at <= m.deliver_at));

    // A message dropped by hand is recorded as lost, there and then.
    let id = w.messages().next().expect("a message in flight").id;
    w.apply_action(&Action::DropMessage { id }).unwrap();
    let now = w.now_us();
    let rec = w.journal().messages().find(|m| m.id == id).unwrap();
    assert_eq!(
        rec.fate,
        MessageFate::Lost {
            t: now,
            reason: LossReason::Manual
        }
    );

    // Messages across a partition are lost, and a crash is marked.
    let follower = (1..=3).find(|&n| n != leader).unwrap();
    w.apply_action(&Action::Isolate { node: follower }).unwrap();
    w.apply_action(&Action::Crash { node: leader }).unwrap();
    w.run_until(now + 400_000);
    let j = w.journal();
    assert!(j.messages().any(|m| matches!(
        m.fate,
        MessageFate::Lost {
            reason: LossReason::Partition,
            ..
        }
    )));
    assert!(j
        .marks()
        .any(|m| m.node == leader && m.kind == MarkKind::Crash));
}

#[test]
fn contact_sends_the_next_request_to_that_server() {
    let mut w = world();
    w.run_until(1_000_000);
    let leader = w.leader().unwrap();
    let other = (1..=3).find(|&n| n != leader).unwrap();
    send_via(
        &mut w,
        other,
        Action::Put {
            client: 1,
            key: "x".into(),
            value: "1".into(),
        },
    );
    w.run_until(1_300_000);
    let client_msgs: Vec<_> = w.journal().messages().filter(|m| m.is_client()).collect();
    assert!(
        client_msgs.iter().all(|m| m.req == Some(1)),
        "every attempt and reply names request 1"
    );
    // To the contacted server first, redirected to the leader, then answered by it.
    let put = Traffic::ClientRequest {
        op: KvOp::Put {
            key: "x".into(),
            value: "1".into(),
        },
    };
    assert_eq!((&client_msgs[0].kind, client_msgs[0].to), (&put, other));
    assert_eq!(client_msgs[1].success, Some(false), "{:?}", client_msgs[1]);
    assert_eq!(
        client_msgs[1].kind,
        Traffic::ClientReply {
            answer: Answer::Redirect {
                leader_hint: Some(leader)
            }
        }
    );
    assert_eq!((&client_msgs[2].kind, client_msgs[2].to), (&put, leader));
    assert_eq!(client_msgs[3].success, Some(true), "{:?}", client_msgs[3]);
    assert!(w
        .node(leader)
        .unwrap()
        .kv
        .data
        .get("x")
        .is_some_and(|v| v == "1"));
    assert!(w
        .apply_action(&Action::Contact { client: 1, node: 9 })
        .is_err());
}

#[test]
fn a_world_without_a_journal_records_nothing() {
    let mut cfg = WorldConfig::with_nodes(3);
    cfg.journal = 0;
    let mut w = World::new(cfg, 5);
    w.run_until(500_000);
    assert_eq!(w.journal().messages().count(), 0);
    assert_eq!(w.journal().marks().count(), 0);
}

#[test]
fn reboot_follower_crashes_a_follower_of_the_leader_and_brings_it_back() {
    let mut w = world();
    assert!(
        w.apply_action(&Action::RebootFollower { down_ms: 100 })
            .is_err(),
        "no leader yet"
    );
    w.run_until(1_000_000);
    let leader = w.leader().unwrap();
    w.apply_action(&Action::RebootFollower { down_ms: 300 })
        .unwrap();
    let down: Vec<u64> = w.nodes().filter(|n| !n.alive).map(|n| n.id).collect();
    assert_eq!(down.len(), 1);
    assert_ne!(down[0], leader);
    w.run_until(1_400_000);
    assert!(w.nodes().all(|n| n.alive), "restarted after 300 ms");
    assert!(w
        .journal()
        .marks()
        .any(|m| m.node == down[0] && m.kind == MarkKind::Restart));
}

#[test]
fn a_read_left_unconfirmed_by_a_deposed_leader_is_redirected_at_once() {
    let mut cfg = WorldConfig::with_nodes(3);
    cfg.journal = 2_000;
    cfg.clients = 1;
    cfg.raft.check_quorum = true;
    // Long enough that only a redirect, not a timeout, can move the client on.
    cfg.client_timeout_us = 5_000_000;
    let mut w = World::new(cfg, 8);
    w.run_until(1_000_000);
    let old = w.leader().unwrap();
    w.apply_action(&Action::Isolate { node: old }).unwrap();
    send_via(
        &mut w,
        old,
        Action::Get {
            client: 1,
            key: "x".into(),
        },
    );
    w.run_until(2_500_000);
    let redirect = w
        .journal()
        .messages()
        .find(|m| matches!(m.kind, Traffic::ClientReply { .. }) && m.from == old)
        .expect("the old leader answers once it steps down");
    assert_eq!(redirect.success, Some(false), "{redirect:?}");
    let done = w
        .history()
        .iter()
        .any(|e| matches!(e.outcome, raft_sim::client::Outcome::Ok(_)));
    assert!(
        done,
        "the get completes at the new leader long before the client's timeout"
    );
}

#[test]
fn the_journal_records_each_attempt_and_each_timeout_of_a_client() {
    let mut w = world();
    w.run_until(1_000_000);
    let leader = w.leader().unwrap();
    let down = (1..=3).find(|&n| n != leader).unwrap();
    w.apply_action(&Action::Crash { node: down }).unwrap();
    send_via(
        &mut w,
        down,
        Action::Put {
            client: 1,
            key: "x".into(),
            value: "1".into(),
        },
    );
    w.run_until(2_000_000);
    let steps: Vec<(u32, AttemptEvent)> = w
        .journal()
        .client_steps()
        .map(|s| (s.attempt, s.event))
        .collect();
    let timeout = w.config().client_timeout_us;
    let first_t = w.journal().client_steps().next().unwrap().t;
    assert!(
        matches!(
            steps[..],
            [
                (1, AttemptEvent::Sent { server, deadline }),
                (1, AttemptEvent::TimedOut { server: s2 }),
                (2, AttemptEvent::Sent { .. }),
                ..
            ] if server == down && s2 == down && deadline == first_t + timeout
        ),
        "{steps:?}"
    );
}

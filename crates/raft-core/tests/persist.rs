//! `Config::wait_for_persist`: a caller that writes in the background reports
//! each finished write, and a leader counts its own entries only once they are
//! on its disk (§10.2.1). Its followers' acknowledgements alone may still commit.

use raft_core::{Command, Config, Message, Raft, Role, SplitMix64, Storage};

fn cmd(seq: u64) -> Command {
    Command {
        client: 1,
        seq,
        data: b"x=1".to_vec().into(),
    }
}

fn start(ids: &[u64]) -> Vec<Raft<SplitMix64>> {
    ids.iter()
        .map(|&id| {
            let mut cfg = Config::new(id);
            cfg.wait_for_persist = true;
            Raft::new(
                cfg,
                &Storage::bootstrap(ids.iter().copied()),
                SplitMix64::new(id),
            )
            .unwrap()
        })
        .collect()
}

/// Takes every output, reporting each write as finished at once unless the
/// server is in `slow_disk`; delivers every message; until the network is quiet.
fn settle(nodes: &mut [Raft<SplitMix64>], slow_disk: &[u64]) {
    loop {
        let mut inbox: Vec<Message> = Vec::new();
        for node in nodes.iter_mut() {
            let out = node.take_output();
            if !slow_disk.contains(&node.id()) {
                if let Some(term) = node.log().term(out.last_index) {
                    node.persisted(out.last_index, term);
                }
            }
            inbox.extend(out.all_messages().cloned());
            let again = node.take_output();
            inbox.extend(again.all_messages().cloned());
        }
        if inbox.is_empty() {
            return;
        }
        for m in inbox {
            nodes[m.to as usize - 1].step(m);
        }
    }
}

#[test]
fn a_single_leader_commits_only_what_is_on_its_disk() {
    let mut nodes = start(&[1]);
    nodes[0].campaign().unwrap();
    assert_eq!(nodes[0].role(), Role::Leader);
    let noop = nodes[0].log().last_index();
    // The no-op is written but not yet reported: nothing is committed.
    let out = nodes[0].take_output();
    assert_eq!(out.last_index, noop);
    assert_eq!(nodes[0].commit_index(), 0);
    assert_eq!(nodes[0].stable_index(), 0);
    let index = nodes[0].propose(cmd(1)).unwrap();
    let out2 = nodes[0].take_output();
    assert_eq!(nodes[0].commit_index(), 0, "nothing reported on disk yet");
    // The first write finishes: the no-op commits, the command does not.
    let term = nodes[0].current_term();
    nodes[0].persisted(out.last_index, term);
    assert_eq!(nodes[0].commit_index(), noop);
    nodes[0].persisted(out2.last_index, term);
    assert_eq!(nodes[0].commit_index(), index);
    assert_eq!(nodes[0].stable_index(), index);
}

#[test]
fn followers_alone_can_commit_while_the_leaders_disk_is_slow() {
    let mut nodes = start(&[1, 2, 3]);
    nodes[0].campaign().unwrap();
    settle(&mut nodes, &[]);
    assert_eq!(nodes[0].role(), Role::Leader);
    let before = nodes[0].stable_index();
    let index = nodes[0].propose(cmd(1)).unwrap();
    // The leader's write never finishes; both followers write theirs.
    settle(&mut nodes, &[1]);
    assert_eq!(nodes[0].stable_index(), before);
    assert_eq!(
        nodes[0].commit_index(),
        index,
        "two followers are a majority of three"
    );
}

#[test]
fn the_leader_and_one_follower_commit_once_both_wrote() {
    let mut nodes = start(&[1, 2, 3]);
    nodes[0].campaign().unwrap();
    settle(&mut nodes, &[]);
    let index = nodes[0].propose(cmd(1)).unwrap();
    // S3's disk is slow and S1's write is not reported yet: one follower is no majority.
    let out = nodes[0].take_output();
    for m in out
        .all_messages()
        .filter(|m| m.to == 2)
        .cloned()
        .collect::<Vec<_>>()
    {
        nodes[1].step(m);
    }
    let reply = nodes[1].take_output();
    let term = nodes[1].log().term(reply.last_index).unwrap();
    nodes[1].persisted(reply.last_index, term);
    for m in reply.all_messages().cloned() {
        nodes[0].step(m);
    }
    assert!(nodes[0].commit_index() < index);
    let term = nodes[0].current_term();
    nodes[0].persisted(out.last_index, term);
    assert_eq!(nodes[0].commit_index(), index);
}

#[test]
fn a_report_about_overwritten_entries_is_ignored() {
    let mut nodes = start(&[1]);
    nodes[0].campaign().unwrap();
    let out = nodes[0].take_output();
    // A report with the wrong term for that index says nothing about this log.
    let wrong = nodes[0].current_term() + 1;
    nodes[0].persisted(out.last_index, wrong);
    assert_eq!(nodes[0].stable_index(), 0);
    assert_eq!(nodes[0].commit_index(), 0);
}

#[test]
fn off_everything_handed_out_counts_at_once() {
    let mut cfg = Config::new(1);
    assert!(!cfg.wait_for_persist, "off by default");
    cfg.wait_for_persist = false;
    let mut node = Raft::new(cfg, &Storage::bootstrap([1]), SplitMix64::new(1)).unwrap();
    node.campaign().unwrap();
    let index = node.propose(cmd(1)).unwrap();
    assert_eq!(node.commit_index(), index);
    node.take_output();
    assert_eq!(node.stable_index(), index);
}

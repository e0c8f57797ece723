//! The ways of taking a server's work: `take_output`, `take_output_into` with
//! a buffer handed back each time, and `has_output` asked first, all agree.

use raft_core::{Command, Config, Message, Output, Raft, SplitMix64, Storage};

fn cluster(ids: &[u64]) -> Vec<Raft<SplitMix64>> {
    ids.iter()
        .map(|&id| {
            let storage = Storage::bootstrap(ids.iter().copied());
            Raft::new(Config::new(id), &storage, SplitMix64::new(id)).unwrap()
        })
        .collect()
}

#[test]
fn take_output_into_a_reused_buffer_hands_out_what_take_output_does() {
    let ids = [1, 2, 3];
    let (mut fresh, mut reused) = (cluster(&ids), cluster(&ids));
    let mut buffers: Vec<Output> = ids.iter().map(|_| Output::default()).collect();
    fresh[0].campaign().unwrap();
    reused[0].campaign().unwrap();
    let mut seq = 0;
    for round in 0..40 {
        // A batch of proposals now and then, a tick otherwise.
        for (a, b) in fresh.iter_mut().zip(reused.iter_mut()) {
            if round % 3 == 2 && a.role() == raft_core::Role::Leader {
                for _ in 0..5 {
                    seq += 1;
                    let c = Command {
                        client: 1,
                        seq,
                        data: vec![seq as u8; 10].into(),
                    };
                    assert_eq!(a.propose(c.clone()), b.propose(c));
                }
            } else {
                a.tick();
                b.tick();
            }
        }
        let mut inbox: Vec<Message> = Vec::new();
        for (i, (a, b)) in fresh.iter_mut().zip(reused.iter_mut()).enumerate() {
            let has = b.has_output();
            let out = a.take_output();
            b.take_output_into(&mut buffers[i]);
            assert_eq!(out, buffers[i], "S{} round {round}", i + 1);
            assert!(has || out.is_empty(), "has_output() missed {out:?}");
            inbox.extend(out.all_messages().cloned());
        }
        for m in inbox {
            let to = m.to as usize - 1;
            fresh[to].step(m.clone());
            reused[to].step(m);
        }
    }
    assert!(seq > 0, "server 1 led and took proposals");
    // The noop and every command committed.
    assert_eq!(fresh[0].commit_index(), seq + 1);
}

/// A batch of proposals larger than one AppendEntries goes out in as many as it
/// needs at once, pipelined within `max_inflight` (dissertation §10.2.2), not one
/// message now and the rest a round trip later.
#[test]
fn a_batch_larger_than_one_append_is_sent_whole() {
    let ids = [1, 2];
    let mut nodes: Vec<Raft<SplitMix64>> = ids
        .iter()
        .map(|&id| {
            let mut cfg = Config::new(id);
            cfg.max_entries_per_append = 2;
            cfg.max_inflight = 8;
            Raft::new(cfg, &Storage::bootstrap(ids), SplitMix64::new(id)).unwrap()
        })
        .collect();
    nodes[0].campaign().unwrap();
    // Elect S1 and let S2 acknowledge the no-op, so S2's progress is pipelining.
    for _ in 0..4 {
        let msgs: Vec<Message> = nodes
            .iter_mut()
            .flat_map(|n| n.take_output().all_messages().cloned().collect::<Vec<_>>())
            .collect();
        for m in msgs {
            let to = m.to as usize - 1;
            nodes[to].step(m);
        }
    }
    assert_eq!(nodes[0].role(), raft_core::Role::Leader);
    let first = nodes[0].log().last_index() + 1;
    for seq in 1..=5 {
        nodes[0]
            .propose(Command {
                client: 1,
                seq,
                data: vec![1; 4].into(),
            })
            .unwrap();
    }
    let out = nodes[0].take_output();
    let sent: Vec<Vec<u64>> = out
        .all_messages()
        .filter_map(|m| match &m.body {
            raft_core::Body::AppendEntries { entries, .. } if !entries.is_empty() => {
                Some(entries.iter().map(|e| e.index).collect())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        sent,
        vec![
            vec![first, first + 1],
            vec![first + 2, first + 3],
            vec![first + 4]
        ]
    );
}

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

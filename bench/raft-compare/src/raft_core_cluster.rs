//! The cluster on raft-core: each server's `Output` is persisted into the
//! crate's in-memory `Storage` (a `Vec` of entries), its committed commands
//! applied, its messages queued.

use raft_core::{Command, Config, EntryData, Message, Output, Raft, Role, SplitMix64, Storage};

use crate::cluster::{Cluster, Network, StateMachine, SERVERS};

struct Server {
    raft: Raft<SplitMix64>,
    storage: Storage,
    state_machine: StateMachine,
    /// Handed back to `take_output_into` each time, so its buffers are reused.
    output: Output,
}

pub struct RaftCoreCluster {
    servers: Vec<Server>,
    network: Network<Message>,
    next_seq: u64,
}

/// raft-core's defaults (64 entries or 64 KiB per AppendEntries, 8 in flight),
/// with the event stream off: the measured run has no one to read it.
fn config(id: u64) -> Config {
    Config {
        record_events: false,
        ..Config::new(id)
    }
}

impl Cluster for RaftCoreCluster {
    type Message = Message;

    fn elect() -> Self {
        let ids = 1..=SERVERS;
        let servers = ids
            .clone()
            .map(|id| {
                let storage = Storage::bootstrap(ids.clone());
                let raft = Raft::new(config(id), &storage, SplitMix64::new(id))
                    .expect("raft-core accepts its default config");
                Server {
                    raft,
                    storage,
                    state_machine: StateMachine::default(),
                    output: Output::default(),
                }
            })
            .collect();
        let mut cluster = RaftCoreCluster {
            servers,
            network: Network::new(),
            next_seq: 0,
        };
        cluster.servers[0]
            .raft
            .campaign()
            .expect("server 1 is a voter");
        cluster.run_until_quiet();
        assert_eq!(cluster.servers[0].raft.role(), Role::Leader);
        cluster
    }

    fn propose(&mut self, data: Vec<u8>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let command = Command {
            client: 1,
            seq,
            data: data.into(),
        };
        self.servers[0]
            .raft
            .propose(command)
            .expect("server 1 leads");
    }

    fn handle_output(&mut self, i: usize) {
        let server = &mut self.servers[i];
        // As raft-rs's `has_ready`: a server with nothing to say costs no storage work.
        if !server.raft.has_output() {
            return;
        }
        let out = &mut server.output;
        server.raft.take_output_into(out);
        server.storage.persist(out);
        for entry in &out.committed {
            if let EntryData::Command(c) = &entry.data {
                server.state_machine.apply(&c.data);
            }
        }
        self.network.send(out.messages.drain(..));
        self.network.send(out.messages_after_persist.drain(..));
    }

    fn deliver(&mut self, m: Message) {
        self.servers[m.to as usize - 1].raft.step(m);
    }

    fn network(&mut self) -> &mut Network<Message> {
        &mut self.network
    }

    fn applied(&self) -> Vec<StateMachine> {
        self.servers.iter().map(|s| s.state_machine).collect()
    }
}

//! The cluster on raft-rs (`raft` 0.7.0): each `Ready` handled as raft-rs's
//! `five_mem_node` example does, into its `MemStorage`.

use raft::eraftpb::{ConfState, Entry, Message};
use raft::storage::MemStorage;
use raft::{Config, RawNode, StateRole};

use crate::cluster::{Cluster, Network, StateMachine, SERVERS};

struct Server {
    node: RawNode<MemStorage>,
    storage: MemStorage,
    state_machine: StateMachine,
}

pub struct RaftRsCluster {
    servers: Vec<Server>,
    network: Network<Message>,
}

/// raft-core's flow control, in raft-rs's terms: 64 KiB per append, 8 appends
/// in flight (raft-rs has no entry-count cap; by default it sends one entry per
/// append and allows 256 in flight). Timeouts as raft-core's (15-30 ticks,
/// heartbeat every 5); the run never ticks.
fn config(id: u64) -> Config {
    Config {
        id,
        election_tick: 15,
        heartbeat_tick: 5,
        max_size_per_msg: 64 * 1024,
        max_inflight_msgs: 8,
        ..Config::default()
    }
}

fn apply(state_machine: &mut StateMachine, committed: Vec<Entry>) {
    for entry in committed {
        // The new leader's no-op is a normal entry without data.
        if !entry.data.is_empty() {
            state_machine.apply(&entry.data);
        }
    }
}

impl Cluster for RaftRsCluster {
    type Message = Message;

    fn elect() -> Self {
        let logger = slog::Logger::root(slog::Discard, slog::o!());
        let voters: Vec<u64> = (1..=SERVERS).collect();
        let servers = voters
            .iter()
            .map(|&id| {
                let storage =
                    MemStorage::new_with_conf_state(ConfState::from((voters.clone(), vec![])));
                let node = RawNode::new(&config(id), storage.clone(), &logger)
                    .expect("raft-rs accepts the config");
                Server {
                    node,
                    storage,
                    state_machine: StateMachine::default(),
                }
            })
            .collect();
        let mut cluster = RaftRsCluster {
            servers,
            network: Network::new(),
        };
        cluster.servers[0]
            .node
            .campaign()
            .expect("server 1 is a voter");
        cluster.run_until_quiet();
        assert_eq!(cluster.servers[0].node.raft.state, StateRole::Leader);
        cluster
    }

    fn propose(&mut self, data: Vec<u8>) {
        self.servers[0]
            .node
            .propose(Vec::new(), data)
            .expect("server 1 leads");
    }

    fn handle_output(&mut self, i: usize) {
        let server = &mut self.servers[i];
        if !server.node.has_ready() {
            return;
        }
        let mut ready = server.node.ready();
        self.network.send(ready.take_messages());
        assert!(
            ready.snapshot().is_empty(),
            "no snapshot is taken in this run"
        );
        apply(&mut server.state_machine, ready.take_committed_entries());
        if !ready.entries().is_empty() {
            server
                .storage
                .wl()
                .append(ready.entries())
                .expect("entries follow the stored log");
        }
        if let Some(hs) = ready.hs() {
            server.storage.wl().set_hardstate(hs.clone());
        }
        self.network.send(ready.take_persisted_messages());
        let mut light = server.node.advance(ready);
        if let Some(commit) = light.commit_index() {
            server.storage.wl().mut_hard_state().set_commit(commit);
        }
        self.network.send(light.take_messages());
        apply(&mut server.state_machine, light.take_committed_entries());
        server.node.advance_apply();
    }

    fn deliver(&mut self, m: Message) {
        let to = m.to as usize - 1;
        self.servers[to]
            .node
            .step(m)
            .expect("every message is for a server of the cluster");
    }

    fn network(&mut self) -> &mut Network<Message> {
        &mut self.network
    }

    fn applied(&self) -> Vec<StateMachine> {
        self.servers.iter().map(|s| s.state_machine).collect()
    }
}

//! What both clusters do, and the timed loop that drives either of them.

use std::collections::VecDeque;

/// One measured configuration: commit `entries` commands of `payload` bytes,
/// proposed `batch` at a time before the network is drained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workload {
    pub entries: u64,
    pub batch: u64,
    pub payload: usize,
}

/// Which implementation a cluster runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Implementation {
    RaftCore,
    RaftRs,
}

impl Implementation {
    pub fn name(self) -> &'static str {
        match self {
            Implementation::RaftCore => "raft-core",
            Implementation::RaftRs => "raft-rs",
        }
    }
}

/// The servers of a cluster are 1..=SERVERS; server 1 is elected leader.
pub const SERVERS: u64 = 5;

/// The one FIFO queue every message goes through.
pub struct Network<M> {
    queue: VecDeque<M>,
    delivered: u64,
}

impl<M> Network<M> {
    pub fn new() -> Self {
        Network {
            queue: VecDeque::new(),
            delivered: 0,
        }
    }

    pub fn send(&mut self, messages: impl IntoIterator<Item = M>) {
        self.queue.extend(messages);
    }

    fn next(&mut self) -> Option<M> {
        let m = self.queue.pop_front()?;
        self.delivered += 1;
        Some(m)
    }

    /// Messages delivered since the network was built.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }
}

/// A 5-server in-memory cluster: one FIFO queue of messages, storage in
/// memory, every committed command applied.
pub trait Cluster {
    type Message;
    /// Builds the cluster and elects server 1 (its no-op committed everywhere).
    fn elect() -> Self;
    /// Hands one command to the leader.
    fn propose(&mut self, data: Vec<u8>);
    /// Carries out what server `i` (0-based) has to say: persist, apply, send.
    fn handle_output(&mut self, i: usize);
    /// Steps a message into the server it is addressed to.
    fn deliver(&mut self, m: Self::Message);
    fn network(&mut self) -> &mut Network<Self::Message>;
    /// What each server has applied, in server order.
    fn applied(&self) -> Vec<StateMachine>;

    /// Handles every server's output, then delivers the queued messages in
    /// order, until no server has anything to say.
    fn run_until_quiet(&mut self) {
        loop {
            for i in 0..SERVERS as usize {
                self.handle_output(i);
            }
            if self.network().queue.is_empty() {
                return;
            }
            while let Some(m) = self.network().next() {
                self.deliver(m);
            }
        }
    }
}

/// The state machine every server applies committed commands to: it reads
/// each command's bytes into a digest that depends on their order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateMachine {
    pub commands: u64,
    pub digest: u64,
}

impl StateMachine {
    pub fn apply(&mut self, data: &[u8]) {
        // Eight bytes at a time, so that reading a command costs little next to replicating it.
        let words = data.chunks_exact(8);
        let tail = words.remainder().iter().map(|&b| u64::from(b));
        let sum = words
            .map(|w| u64::from_le_bytes(w.try_into().expect("8 bytes")))
            .chain(tail)
            .fold(0u64, u64::wrapping_add);
        self.commands += 1;
        self.digest = self.digest.rotate_left(7) ^ sum.wrapping_add(data.len() as u64);
    }

    /// What a server holds after applying the commands of `workload` in order.
    pub fn expected(workload: Workload) -> StateMachine {
        let mut sm = StateMachine::default();
        for seq in 0..workload.entries {
            sm.apply(&command(seq, workload.payload));
        }
        sm
    }
}

/// The bytes of command number `seq`.
pub fn command(seq: u64, payload: usize) -> Vec<u8> {
    vec![(seq % 251) as u8 + 1; payload]
}

/// The timed part: propose `workload.batch` commands at a time to the elected
/// leader and drain the network after each batch, until all are committed.
/// Not inlined, so that `callgrind --toggle-collect='*commit_entries*'` counts
/// exactly this.
#[inline(never)]
pub fn commit_entries<C: Cluster>(cluster: &mut C, workload: Workload) {
    let mut proposed = 0;
    while proposed < workload.entries {
        let batch = workload.batch.min(workload.entries - proposed);
        for seq in proposed..proposed + batch {
            cluster.propose(command(seq, workload.payload));
        }
        proposed += batch;
        cluster.run_until_quiet();
    }
}

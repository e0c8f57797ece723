//! # raft-sim
//!
//! A deterministic world for [`raft_core`]: servers with persistent storage
//! and a key-value state machine, a network with latency, loss, duplication,
//! reordering and partitions, simulated clients, online invariant checkers,
//! JSON scenarios, JSON Lines traces, time travel, and a fuzzer.
//!
//! Modules, one job each: [`world`] (the `World` and its event loop),
//! [`network`], [`disk`] (write and apply latency), [`throughput`], [`journal`] (recent message lives, for pictures), [`kv`] (the state machine and client sessions), [`client`],
//! [`checker`] (online invariants), [`linearizability`] and [`history`],
//! [`trace`] (the JSON Lines schema), [`scenario`], [`timeline`] (time
//! travel), [`fuzz`] (random schedules and delta debugging), [`workload`] (the
//! fixed run the world's speed is measured on).
//!
//! Determinism: the world is stepped by a queue of timed events ordered by
//! (time, sequence number); every server has its own `SplitMix64` seeded
//! from the world seed, and so does the network. No clock, thread or file is
//! used by the library, so the trace is the same natively and in wasm.
//!
//! Time travel memory bound: a [`timeline::Timeline`] keeps at most
//! `max_checkpoints` clones of the world (older ones thinned exponentially)
//! plus the log of hand-applied actions, so memory stays within
//! `max_checkpoints` x the size of one world; the growing records are
//! [`chunked::ChunkedVec`]s, which the checkpoints share rather than copy.
//!
//! ```
//! use raft_sim::{World, WorldConfig};
//!
//! let mut world = World::new(WorldConfig::with_nodes(5), 42);
//! world.run_until(2_000_000); // two simulated seconds
//! let leaders = world.nodes().filter(|n| n.role == raft_core::Role::Leader).count();
//! assert_eq!(leaders, 1);
//! assert!(world.violations().is_empty());
//! ```
#![forbid(unsafe_code)]

pub mod checker;
pub mod chunked;
pub mod client;
pub mod disk;
pub mod explore;
pub mod fuzz;
pub mod history;
pub mod journal;
pub mod kv;
pub mod library;
pub mod linearizability;
pub mod link;
pub mod network;
pub mod scenario;
pub mod step;
pub mod throughput;
pub mod timeline;
pub mod trace;
pub mod view;
pub mod workload;
pub mod world;

pub use checker::{Checker, Invariant, Violation};
pub use kv::{KvOp, KvResult, KvStore};
pub use network::{Filter, NetworkConfig};
pub use trace::{fnv1a64, TraceEvent};
pub use world::{
    Action, ActionError, Bug, CoreEvent, InFlight, InitialState, NextEvent, Node, NodeView,
    Payload, Switch, World, WorldConfig,
};

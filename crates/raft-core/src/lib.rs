//! # raft-core
//!
//! The Raft consensus protocol (Ongaro and Ousterhout, "In Search of an
//! Understandable Consensus Algorithm", and Ongaro's dissertation), complete
//! and alone: `no_std` + `alloc`, no clock, no global randomness, no threads,
//! no I/O. The caller ticks it, hands it messages and proposals, and carries
//! out the [`Output`] it returns: persist, send, apply. Every output also says
//! what happened and why, as [`Event`]s.
//!
//! Driving a three-server cluster by hand:
//!
//! ```
//! use raft_core::{Config, Raft, Role, SplitMix64, Storage, Message, Command};
//!
//! let ids = [1, 2, 3];
//! let mut storage: Vec<Storage> = ids.iter().map(|_| Storage::bootstrap(ids)).collect();
//! let mut nodes: Vec<Raft<SplitMix64>> = ids
//!     .iter()
//!     .map(|&id| Raft::new(Config::new(id), &storage[id as usize - 1], SplitMix64::new(id)).unwrap())
//!     .collect();
//! nodes[0].campaign().unwrap();
//! // Deliver every message until the network is quiet.
//! let mut inbox: Vec<Message> = Vec::new();
//! loop {
//!     for (i, node) in nodes.iter_mut().enumerate() {
//!         let out = node.take_output();
//!         storage[i].persist(&out);
//!         inbox.extend(out.all_messages().cloned());
//!     }
//!     if inbox.is_empty() { break; }
//!     for m in std::mem::take(&mut inbox) {
//!         nodes[m.to as usize - 1].step(m);
//!     }
//! }
//! assert_eq!(nodes[0].role(), Role::Leader);
//! let index = nodes[0].propose(Command { client: 7, seq: 1, data: b"x=1".into() }).unwrap();
//! # loop {
//! #     for (i, node) in nodes.iter_mut().enumerate() {
//! #         let out = node.take_output();
//! #         storage[i].persist(&out);
//! #         inbox.extend(out.all_messages().cloned());
//! #     }
//! #     if inbox.is_empty() { break; }
//! #     for m in std::mem::take(&mut inbox) { nodes[m.to as usize - 1].step(m); }
//! # }
//! assert!(nodes.iter().all(|n| n.commit_index() >= index));
//! ```
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod config;
pub mod event;
mod lease;
pub mod log;
pub mod membership;
pub mod message;
pub mod output;
pub mod progress;
pub mod quorum;
mod raft;
pub mod rng;
pub mod types;

pub use config::{Backtrack, Bugs, Config, ConfigError, ReadOnly};
pub use event::{DenyReason, Event, IgnoreReason, NextReason, RoleReason, TimerReason};
pub use lease::LEASE_CLOCK_DRIFT;
pub use log::{RaftLog, Snapshot, SnapshotMeta};
pub use membership::{ConfChange, ConfChangeError, Configuration};
pub use message::{Body, Message, MessageKind};
pub use output::{Output, ProposeError, ReadState, Storage};
pub use progress::{Progress, ProgressState};
pub use raft::Raft;
pub use rng::{RaftRng, SplitMix64};
pub use types::{Bytes, Command, Entry, EntryData, HardState, Index, NodeId, Role, Term};

//! A bounded model checker of the real raft-core: from a start state, every
//! interleaving of what the world allows (deliver any message in flight, in any
//! order; drop or copy it; fire a server's election timeout; crash or restart a
//! server; a client write at the leader) within a bound on each and on depth.
//! Time is abstract, as in TLA+ models: a timeout is a choice. States are
//! deduplicated by a hash of everything the servers show, the messages in
//! flight as a multiset, the faults used and the history the invariants need;
//! the world's invariants are checked at every state, linearizability of the
//! completed writes at the leaves. Breadth-first, so a counterexample is a
//! shortest one; it is written as a scenario that replays it exactly.

mod check;
mod scenario;
mod search;
mod state;

pub use check::Found;
pub use scenario::{counterexample, replay, replays_to, skeleton, start};
pub use search::{explore, Counterexample, Progress, Report, Search};
pub use state::{Bounds, Choice, Model, State};

impl Default for Bounds {
    /// Up to 2 elections and 2 client writes, one drop, one copy, one crash, depth 40.
    fn default() -> Self {
        Bounds {
            depth: 40,
            elections: 2,
            writes: 2,
            drops: 1,
            dups: 1,
            crashes: 1,
        }
    }
}

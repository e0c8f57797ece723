//! Where the page's cluster comes from.
//!
//! The page sees a cluster only through [`Cluster`], so the source of truth
//! (`raft_sim::World`) is chosen here and nowhere else.

/// One server as the page sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub id: u64,
    /// `raft_core::Role::as_str()`: "follower", "precandidate", "candidate" or "leader".
    pub role: &'static str,
    pub term: u64,
    pub alive: bool,
    pub commit: u64,
}

/// A cluster that runs in virtual time and can be looked at.
pub trait Cluster {
    /// Runs the cluster until virtual time `t_us` (microseconds).
    fn run_until(&mut self, t_us: u64);
    /// The current virtual time in microseconds.
    fn now_us(&self) -> u64;
    /// Every server, in a stable order.
    fn nodes(&self) -> Vec<NodeView>;
}

/// Servers in the page's cluster.
pub const NODE_COUNT: usize = 5;

/// The cluster the page runs.
pub type SimCluster = raft_sim::World;

/// Builds the page's cluster for `seed`.
pub fn new_cluster(seed: u64) -> SimCluster {
    raft_sim::World::new(raft_sim::WorldConfig::with_nodes(NODE_COUNT), seed)
}

impl Cluster for raft_sim::World {
    fn run_until(&mut self, t_us: u64) {
        raft_sim::World::run_until(self, t_us);
    }

    fn now_us(&self) -> u64 {
        raft_sim::World::now_us(self)
    }

    fn nodes(&self) -> Vec<NodeView> {
        raft_sim::World::nodes(self)
            .map(|n| NodeView {
                id: n.id,
                role: n.role.as_str(),
                term: n.term,
                alive: n.alive,
                commit: n.commit_index,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_cluster_has_five_servers_with_distinct_ids() {
        let cluster = new_cluster(1);
        // Called through the trait: `raft_sim::World` has an inherent `nodes()` too.
        let mut ids: Vec<u64> = Cluster::nodes(&cluster).iter().map(|n| n.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), NODE_COUNT);
    }

    #[test]
    fn the_page_cluster_elects_exactly_one_leader() {
        let mut cluster = new_cluster(1);
        Cluster::run_until(&mut cluster, 3_000_000);
        let leaders = Cluster::nodes(&cluster)
            .iter()
            .filter(|n| n.role == "leader")
            .count();
        assert_eq!(leaders, 1);
    }

    #[test]
    fn run_until_moves_time_forward_only() {
        let mut cluster = new_cluster(1);
        Cluster::run_until(&mut cluster, 2_000);
        Cluster::run_until(&mut cluster, 1_000);
        assert_eq!(Cluster::now_us(&cluster), 2_000);
    }
}

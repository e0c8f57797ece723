//! Typed questions the page asks of the world, so it never re-derives a
//! protocol fact: which configuration to show, which servers are spares.

use raft_core::Configuration;

use crate::world::World;

/// The configuration a picture of the cluster shows (§6), and whose it is.
///
/// Servers can disagree while a change is under way: this is the leader's (the
/// latest in its log), or without a leader that of the running server with the
/// most up-to-date log (last term, then last index, §5.4.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownConfiguration {
    pub config: Configuration,
    /// Whose configuration it is (`None`: no server has one yet; then it is the
    /// initial configuration).
    pub seen_by: Option<u64>,
    /// `seen_by` is the leader.
    pub leader: bool,
    /// Its entry is in `seen_by`'s log but not committed yet.
    pub uncommitted: bool,
}

impl World {
    /// See [`ShownConfiguration`].
    pub fn shown_configuration(&self) -> ShownConfiguration {
        let source = self.leader().or_else(|| {
            self.nodes()
                .filter(|n| n.alive)
                .filter_map(|n| self.node(n.id)?.raft().map(|r| (n.id, r)))
                .filter(|(_, r)| !r.configuration().members().is_empty())
                .max_by_key(|(id, r)| (r.log().last_term(), r.log().last_index(), u64::MAX - id))
                .map(|(id, _)| id)
        });
        match source.and_then(|id| Some((id, self.node(id)?.raft()?))) {
            Some((id, r)) => ShownConfiguration {
                config: r.configuration().clone(),
                seen_by: Some(id),
                leader: self.leader() == Some(id),
                uncommitted: r.log().config_at(u64::MAX).0 > r.commit_index(),
            },
            None => ShownConfiguration {
                config: Configuration::new(1..=self.config().nodes as u64),
                seen_by: None,
                leader: false,
                uncommitted: false,
            },
        }
    }

    /// Servers that were never part of the cluster: beyond the initial ones,
    /// outside the shown configuration, with an empty log and term 0
    /// (`WorldConfig::spare_nodes`, ready to be added).
    pub fn spares(&self) -> Vec<u64> {
        let config = self.shown_configuration().config;
        let initial = self.config().nodes as u64;
        self.nodes()
            .filter(|n| n.id > initial && !config.contains(n.id))
            .filter(|n| n.term == 0 && n.last_index == 0)
            .map(|n| n.id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::world::{Action, World, WorldConfig};

    #[test]
    fn spares_leave_the_list_when_added_and_the_leader_s_configuration_is_shown() {
        let mut cfg = WorldConfig::with_nodes(3);
        cfg.spare_nodes = 2;
        let mut w = World::new(cfg, 3);
        assert_eq!(w.spares(), [4, 5]);
        let shown = w.shown_configuration();
        assert_eq!(
            shown.config.voters.iter().copied().collect::<Vec<_>>(),
            [1, 2, 3]
        );
        w.run_until(1_500_000);
        let leader = w.leader().expect("a leader");
        w.apply_action(&Action::AddVoter { node: 4 }).unwrap();
        let shown = w.shown_configuration();
        assert_eq!((shown.seen_by, shown.leader), (Some(leader), true));
        assert!(shown.config.voters.contains(&4) && shown.uncommitted);
        assert_eq!(w.spares(), [5]);
        w.run_until(2_500_000);
        assert!(!w.shown_configuration().uncommitted);
    }
}

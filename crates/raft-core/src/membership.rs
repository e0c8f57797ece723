//! Cluster configurations and the pure computation of the next one
//! (§6 joint consensus, dissertation §4.1 single-server changes, §4.2.1 learners).

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use crate::types::NodeId;

/// Who votes and who only listens. Outside joint consensus `voters_outgoing`
/// is empty; inside it, decisions need a majority of both sets (§6).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Configuration {
    pub voters: BTreeSet<NodeId>,
    pub voters_outgoing: BTreeSet<NodeId>,
    /// Learners receive the log but neither vote nor count (dissertation §4.2.1).
    pub learners: BTreeSet<NodeId>,
}

/// A requested change; [`Configuration::apply`] turns it into the next configuration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ConfChange {
    /// Single-server change: add a voter (or promote a learner) (dissertation §4.1).
    AddVoter(NodeId),
    /// Single-server change: add a non-voting learner.
    AddLearner(NodeId),
    /// Single-server change: remove a voter or learner.
    RemoveServer(NodeId),
    /// Enter C_old,new towards these voters and learners (§6).
    EnterJoint {
        voters: Vec<NodeId>,
        learners: Vec<NodeId>,
    },
    /// Leave C_old,new for C_new (§6).
    LeaveJoint,
}

/// Why a change cannot be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfChangeError {
    /// A single-server change or a new joint change while in joint consensus.
    InJoint,
    /// LeaveJoint outside joint consensus.
    NotInJoint,
    AlreadyVoter(NodeId),
    AlreadyMember(NodeId),
    NotMember(NodeId),
    /// Removing the last voter, or a joint target with no voters.
    NoVoters,
    /// A server listed as both voter and learner.
    VoterAndLearner(NodeId),
    ZeroId,
}

impl core::fmt::Display for ConfChangeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ConfChangeError::InJoint => f.write_str("the cluster is in joint consensus"),
            ConfChangeError::NotInJoint => f.write_str("the cluster is not in joint consensus"),
            ConfChangeError::AlreadyVoter(id) => write!(f, "S{id} is already a voter"),
            ConfChangeError::AlreadyMember(id) => write!(f, "S{id} is already a member"),
            ConfChangeError::NotMember(id) => write!(f, "S{id} is not a member"),
            ConfChangeError::NoVoters => f.write_str("a configuration needs at least one voter"),
            ConfChangeError::VoterAndLearner(id) => {
                write!(f, "S{id} cannot be both voter and learner")
            }
            ConfChangeError::ZeroId => f.write_str("server id 0 is reserved"),
        }
    }
}

impl Configuration {
    /// A plain configuration of these voters.
    pub fn new(voters: impl IntoIterator<Item = NodeId>) -> Self {
        Configuration {
            voters: voters.into_iter().collect(),
            ..Configuration::default()
        }
    }

    pub fn is_joint(&self) -> bool {
        !self.voters_outgoing.is_empty()
    }

    /// Votes in at least one of the voter sets.
    pub fn is_voter(&self, id: NodeId) -> bool {
        self.voters.contains(&id) || self.voters_outgoing.contains(&id)
    }

    pub fn contains(&self, id: NodeId) -> bool {
        self.is_voter(id) || self.learners.contains(&id)
    }

    /// Every server of the configuration, in id order.
    pub fn members(&self) -> BTreeSet<NodeId> {
        let mut all = self.voters.clone();
        all.extend(self.voters_outgoing.iter().copied());
        all.extend(self.learners.iter().copied());
        all
    }

    /// The configuration after `change`, or why it is not allowed.
    pub fn apply(&self, change: &ConfChange) -> Result<Configuration, ConfChangeError> {
        let mut next = self.clone();
        match change {
            ConfChange::LeaveJoint => {
                if !self.is_joint() {
                    return Err(ConfChangeError::NotInJoint);
                }
                next.voters_outgoing.clear();
                return Ok(next);
            }
            _ if self.is_joint() => return Err(ConfChangeError::InJoint),
            ConfChange::AddVoter(id) => {
                check_id(*id)?;
                if self.voters.contains(id) {
                    return Err(ConfChangeError::AlreadyVoter(*id));
                }
                next.learners.remove(id);
                next.voters.insert(*id);
            }
            ConfChange::AddLearner(id) => {
                check_id(*id)?;
                if self.contains(*id) {
                    return Err(ConfChangeError::AlreadyMember(*id));
                }
                next.learners.insert(*id);
            }
            ConfChange::RemoveServer(id) => {
                if !self.contains(*id) {
                    return Err(ConfChangeError::NotMember(*id));
                }
                next.voters.remove(id);
                next.learners.remove(id);
                if next.voters.is_empty() {
                    return Err(ConfChangeError::NoVoters);
                }
            }
            ConfChange::EnterJoint { voters, learners } => {
                let voters: BTreeSet<NodeId> = voters.iter().copied().collect();
                let learners: BTreeSet<NodeId> = learners.iter().copied().collect();
                if voters.is_empty() {
                    return Err(ConfChangeError::NoVoters);
                }
                for id in voters.iter().chain(learners.iter()) {
                    check_id(*id)?;
                }
                // A learner must not vote in either half of the joint configuration.
                if let Some(id) = learners
                    .iter()
                    .find(|id| voters.contains(id) || self.voters.contains(id))
                {
                    return Err(ConfChangeError::VoterAndLearner(*id));
                }
                next.voters_outgoing = self.voters.clone();
                next.voters = voters;
                next.learners = learners;
            }
        }
        Ok(next)
    }
}

fn check_id(id: NodeId) -> Result<(), ConfChangeError> {
    if id == 0 {
        Err(ConfChangeError::ZeroId)
    } else {
        Ok(())
    }
}

impl core::fmt::Display for Configuration {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write_set(f, &self.voters)?;
        if self.is_joint() {
            f.write_str("&&")?;
            write_set(f, &self.voters_outgoing)?;
        }
        if !self.learners.is_empty() {
            f.write_str(" learners=")?;
            write_set(f, &self.learners)?;
        }
        Ok(())
    }
}

fn write_set(f: &mut core::fmt::Formatter<'_>, set: &BTreeSet<NodeId>) -> core::fmt::Result {
    f.write_str("(")?;
    for (i, id) in set.iter().enumerate() {
        if i > 0 {
            f.write_str(" ")?;
        }
        write!(f, "{id}")?;
    }
    f.write_str(")")
}

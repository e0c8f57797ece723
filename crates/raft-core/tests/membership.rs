//! `Configuration::apply`: the pure computation of the next configuration
//! (§6 joint consensus, dissertation §4.1 single-server changes, §4.2.1 learners).

use raft_core::{ConfChange, ConfChangeError, Configuration};

fn joint() -> Configuration {
    Configuration::new([1, 2, 3])
        .apply(&ConfChange::EnterJoint {
            voters: vec![3, 4, 5],
            learners: vec![],
        })
        .unwrap()
}

#[test]
fn add_and_remove_voters_one_at_a_time() {
    let c = Configuration::new([1, 2, 3]);
    let c = c.apply(&ConfChange::AddVoter(4)).unwrap();
    assert_eq!(c.to_string(), "(1 2 3 4)");
    let c = c.apply(&ConfChange::RemoveServer(1)).unwrap();
    assert_eq!(c.to_string(), "(2 3 4)");
    assert!(!c.is_joint());
}

#[test]
fn single_server_changes_are_checked() {
    let c = Configuration::new([1, 2]);
    assert_eq!(
        c.apply(&ConfChange::AddVoter(2)),
        Err(ConfChangeError::AlreadyVoter(2))
    );
    assert_eq!(
        c.apply(&ConfChange::AddLearner(1)),
        Err(ConfChangeError::AlreadyMember(1))
    );
    assert_eq!(
        c.apply(&ConfChange::RemoveServer(9)),
        Err(ConfChangeError::NotMember(9))
    );
    assert_eq!(
        c.apply(&ConfChange::AddVoter(0)),
        Err(ConfChangeError::ZeroId)
    );
    let one = Configuration::new([1]);
    assert_eq!(
        one.apply(&ConfChange::RemoveServer(1)),
        Err(ConfChangeError::NoVoters)
    );
}

#[test]
fn learners_are_added_promoted_and_removed() {
    let c = Configuration::new([1, 2, 3]);
    let c = c.apply(&ConfChange::AddLearner(4)).unwrap();
    assert_eq!(c.to_string(), "(1 2 3) learners=(4)");
    assert!(c.contains(4) && !c.is_voter(4));
    let promoted = c.apply(&ConfChange::AddVoter(4)).unwrap();
    assert_eq!(promoted.to_string(), "(1 2 3 4)");
    let removed = c.apply(&ConfChange::RemoveServer(4)).unwrap();
    assert_eq!(removed, Configuration::new([1, 2, 3]));
}

#[test]
fn enter_and_leave_joint_consensus() {
    let c = joint();
    assert!(c.is_joint());
    assert_eq!(c.to_string(), "(3 4 5)&&(1 2 3)");
    // Every server of both halves is a voter while joint.
    assert!((1..=5).all(|id| c.is_voter(id)));
    assert_eq!(
        c.members().into_iter().collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    let c = c.apply(&ConfChange::LeaveJoint).unwrap();
    assert_eq!(c, Configuration::new([3, 4, 5]));
}

#[test]
fn no_other_change_while_joint() {
    let c = joint();
    assert_eq!(
        c.apply(&ConfChange::AddVoter(9)),
        Err(ConfChangeError::InJoint)
    );
    assert_eq!(
        c.apply(&ConfChange::EnterJoint {
            voters: vec![1],
            learners: vec![]
        }),
        Err(ConfChangeError::InJoint)
    );
    assert_eq!(
        Configuration::new([1]).apply(&ConfChange::LeaveJoint),
        Err(ConfChangeError::NotInJoint)
    );
}

#[test]
fn joint_targets_are_checked() {
    let c = Configuration::new([1, 2, 3]);
    assert_eq!(
        c.apply(&ConfChange::EnterJoint {
            voters: vec![],
            learners: vec![4]
        }),
        Err(ConfChangeError::NoVoters)
    );
    // A learner must not vote in either half.
    assert_eq!(
        c.apply(&ConfChange::EnterJoint {
            voters: vec![2, 3, 4],
            learners: vec![1]
        }),
        Err(ConfChangeError::VoterAndLearner(1))
    );
    assert_eq!(
        c.apply(&ConfChange::EnterJoint {
            voters: vec![0, 2],
            learners: vec![]
        }),
        Err(ConfChangeError::ZeroId)
    );
}

#[test]
fn errors_read_like_sentences() {
    assert_eq!(
        ConfChangeError::InJoint.to_string(),
        "the cluster is in joint consensus"
    );
    assert_eq!(
        ConfChangeError::AlreadyVoter(3).to_string(),
        "S3 is already a voter"
    );
}

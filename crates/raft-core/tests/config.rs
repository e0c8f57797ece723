//! `Config::validate`: settings that make no sense together are refused with a
//! message a person understands.

use raft_core::{Config, ConfigError, ReadOnly};

#[test]
fn defaults_are_valid_and_match_the_paper() {
    let c = Config::new(1);
    assert_eq!(c.validate(), Ok(()));
    // §9.3 example: 150-300 ms election timeouts with a 10 ms tick.
    assert_eq!((c.election_timeout_min, c.election_timeout_max), (15, 30));
    assert!(c.heartbeat_interval < c.election_timeout_min);
    assert!(!c.bugs.any());
}

#[test]
fn each_bad_setting_has_its_error() {
    let bad = |f: &dyn Fn(&mut Config)| {
        let mut c = Config::new(1);
        f(&mut c);
        c.validate().unwrap_err()
    };
    assert_eq!(bad(&|c| c.id = 0), ConfigError::ZeroId);
    assert_eq!(bad(&|c| c.heartbeat_interval = 0), ConfigError::ZeroTimeout);
    assert_eq!(
        bad(&|c| c.election_timeout_min = 0),
        ConfigError::ZeroTimeout
    );
    assert_eq!(
        bad(&|c| c.election_timeout_max = c.election_timeout_min),
        ConfigError::EmptyElectionRange
    );
    assert_eq!(
        bad(&|c| c.heartbeat_interval = c.election_timeout_min),
        ConfigError::HeartbeatNotShorterThanElection
    );
    assert_eq!(
        bad(&|c| c.read_only = ReadOnly::LeaseBased),
        ConfigError::LeaseWithoutCheckQuorum
    );
    assert_eq!(bad(&|c| c.max_inflight = 0), ConfigError::ZeroFlowControl);
    assert_eq!(
        bad(&|c| c.max_entries_per_append = 0),
        ConfigError::ZeroFlowControl
    );
}

#[test]
fn lease_reads_with_check_quorum_are_fine() {
    let mut c = Config::new(1);
    c.read_only = ReadOnly::LeaseBased;
    c.check_quorum = true;
    assert_eq!(c.validate(), Ok(()));
}

#[test]
fn errors_explain_themselves() {
    assert_eq!(
        ConfigError::LeaseWithoutCheckQuorum.to_string(),
        "lease-based reads need check_quorum"
    );
    assert_eq!(
        ConfigError::ZeroId.to_string(),
        "server id 0 is reserved; ids start at 1"
    );
}

#[test]
fn raft_new_refuses_an_invalid_config() {
    let mut c = Config::new(1);
    c.id = 0;
    let r = raft_core::Raft::new(
        c,
        &raft_core::Storage::bootstrap([1]),
        raft_core::SplitMix64::new(1),
    );
    assert_eq!(r.err(), Some(ConfigError::ZeroId));
}

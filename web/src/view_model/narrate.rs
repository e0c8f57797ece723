//! Sentences about the cluster: the live region's narration of core events
//! ("S3 became leader for term 4") and the inspector's "why" line.

use raft_core::{DenyReason, Event, Role, RoleReason};

use raft_sim::NextEvent;

use crate::cluster::{CoreEvent, Traffic};
use crate::view_model::kv::traffic_text;
use crate::view_model::logs::rejection_text;

/// A sentence for the events worth announcing; `None` for the rest (too frequent to narrate).
pub fn narrate(e: &CoreEvent) -> Option<String> {
    let s = e.node;
    match &e.event {
        Event::RoleChanged {
            role: Role::Leader,
            term,
            ..
        } => Some(format!("S{s} became leader for term {term}")),
        Event::RoleChanged {
            role: Role::Candidate,
            term,
            reason,
        } => Some(match reason {
            RoleReason::TimeoutNow { from } => {
                format!("S{s} started an election for term {term}, asked by S{from}")
            }
            RoleReason::Forced => format!("S{s} was made to start an election for term {term}"),
            _ => format!("S{s} timed out and started an election for term {term}"),
        }),
        Event::RoleChanged {
            role: Role::PreCandidate,
            term,
            ..
        } => Some(format!("S{s} asked for pre-votes for term {}", term + 1)),
        Event::RoleChanged {
            role: Role::Follower,
            term,
            reason: RoleReason::CheckQuorumFailed,
        } => Some(format!(
            "S{s} stepped down in term {term}: it lost contact with a majority"
        )),
        Event::AppendRejected {
            leader,
            prev_log_index,
            ..
        } => Some(format!(
            "S{s} rejected AppendEntries from S{leader} at index {prev_log_index}"
        )),
        Event::Truncated { from } => Some(format!(
            "S{s} removed its conflicting entries from index {from} on"
        )),
        Event::SnapshotInstalled { index, .. } => {
            Some(format!("S{s} installed a snapshot up to index {index}"))
        }
        _ => None,
    }
}

fn deny_text(reason: &DenyReason) -> String {
    match reason {
        DenyReason::StaleTerm { ours } => {
            format!("its term is older than ours ({ours}) (\u{a7}5.1)")
        }
        DenyReason::AlreadyVoted { voted_for } => {
            format!("this server already voted for S{voted_for} in that term (\u{a7}5.2)")
        }
        DenyReason::LogNotUpToDate {
            candidate_last_index,
            candidate_last_term,
            our_last_index,
            our_last_term,
        } => format!(
            "its log (last entry index {candidate_last_index}, term {candidate_last_term}) is \
             behind ours (index {our_last_index}, term {our_last_term}) (\u{a7}5.4.1)"
        ),
        DenyReason::LeaderLease { leader } => {
            format!("this server heard from leader S{leader} within the minimum election timeout")
        }
    }
}

/// Why the server's last vote denial or rejected append happened, from the core's events.
pub fn why_line(events: &[CoreEvent], node: u64) -> Option<String> {
    events
        .iter()
        .rev()
        .filter(|e| e.node == node)
        .find_map(|e| match &e.event {
            Event::VoteDenied {
                candidate,
                term,
                pre,
                reason,
            } => Some(format!(
                "Denied {} to S{candidate} for term {term}: {}",
                if *pre { "a pre-vote" } else { "its vote" },
                deny_text(reason)
            )),
            Event::AppendRejected {
                leader,
                prev_log_index,
                prev_log_term,
                local_term,
                last_index,
            } => Some(rejection_text(
                node,
                *leader,
                *prev_log_index,
                *prev_log_term,
                *local_term,
                *last_index,
            )),
            _ => None,
        })
}

/// What the next event of a step is, in a few words: `S3's clock ticks`,
/// `AppendEntries S1→S2 arrives`, `client 1's request reaches S2`, ...
pub fn next_event_text(e: &NextEvent) -> String {
    match e {
        NextEvent::Tick { node } => format!("S{node}'s clock ticks"),
        NextEvent::Arrival { kind, from, to, .. } => match kind {
            Traffic::Raft(k) => format!("{k} S{from}\u{2192}S{to} arrives"),
            Traffic::ClientRequest { op } => {
                format!("client {from}'s request ({op}) reaches S{to}")
            }
            Traffic::ClientReply { .. } => {
                format!(
                    "S{from}'s reply ({}) reaches client {to}",
                    traffic_text(kind)
                )
            }
        },
        NextEvent::Stale => "nothing (a message that was dropped or held back)".into(),
        NextEvent::ClientTimeout { client } => format!("client {client} may time out"),
        NextEvent::ClientRetry { client } => format!("client {client} retries"),
        NextEvent::ClientThink { client } => format!("client {client} thinks of a request"),
        NextEvent::Scheduled { action } => format!("the recorded action {}", action_text(action)),
    }
}

/// An action in a few words, for narration.
pub fn action_text(a: &raft_sim::Action) -> String {
    use raft_sim::Action as A;
    match a {
        A::Crash { node } => format!("crash S{node}"),
        A::Restart { node } => format!("restart S{node}"),
        A::Campaign { node } => format!("S{node}'s election timeout"),
        A::DropMessage { id } => format!("drop message {id}"),
        A::Heal => "heal the network".into(),
        A::Isolate { node } => format!("isolate S{node}"),
        other => {
            // The scenario-file name of the action, e.g. `set_network`.
            let json = serde_json::to_value(other).ok();
            json.as_ref()
                .and_then(|v| v.get("do"))
                .and_then(|v| v.as_str())
                .map_or_else(|| "an action".into(), |s| s.replace('_', " "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(node: u64, event: Event) -> CoreEvent {
        CoreEvent { t: 0, node, event }
    }

    #[test]
    fn leaders_and_elections_are_narrated() {
        let e = at(
            3,
            Event::RoleChanged {
                role: Role::Leader,
                term: 4,
                reason: RoleReason::WonElection,
            },
        );
        assert_eq!(narrate(&e).as_deref(), Some("S3 became leader for term 4"));
        let e = at(
            2,
            Event::RoleChanged {
                role: Role::Candidate,
                term: 5,
                reason: RoleReason::ElectionTimeout,
            },
        );
        assert_eq!(
            narrate(&e).as_deref(),
            Some("S2 timed out and started an election for term 5")
        );
        let quiet = at(2, Event::EntryAppended { index: 1, term: 1 });
        assert_eq!(narrate(&quiet), None);
    }

    #[test]
    fn why_line_explains_the_latest_denial_or_rejection() {
        let mut events = vec![at(
            2,
            Event::VoteDenied {
                candidate: 1,
                term: 3,
                pre: false,
                reason: DenyReason::LogNotUpToDate {
                    candidate_last_index: 2,
                    candidate_last_term: 1,
                    our_last_index: 3,
                    our_last_term: 3,
                },
            },
        )];
        let why = why_line(&events, 2).unwrap();
        assert!(why.starts_with("Denied its vote to S1 for term 3"), "{why}");
        assert!(why.contains("\u{a7}5.4.1"), "{why}");
        assert_eq!(why_line(&events, 1), None);
        events.push(at(
            2,
            Event::AppendRejected {
                leader: 3,
                prev_log_index: 2,
                prev_log_term: 3,
                local_term: Some(1),
                last_index: 2,
            },
        ));
        let why = why_line(&events, 2).unwrap();
        assert!(why.contains("has term 1 there"), "{why}");
    }
}

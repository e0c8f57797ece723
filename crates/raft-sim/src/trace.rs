//! The trace: every change in the world as one JSON object per line. The
//! online checker, the offline `raft-sim check`, the determinism hash and the
//! page all read this same stream.

use std::borrow::Cow;

use raft_core::Role;
use serde::{Deserialize, Serialize};

/// One trace record. The `ev` tag and the field names are a contract (see the README).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ev", rename_all = "lowercase")]
pub enum TraceEvent {
    /// The world's settings, first line of every trace (extra event).
    Start {
        seed: u64,
        nodes: Vec<u64>,
        /// No leader for this long while the world is calm is a liveness failure.
        liveness_us: u64,
    },
    Role {
        node: u64,
        term: u64,
        #[serde(with = "role_name")]
        role: Role,
    },
    Vote {
        node: u64,
        term: u64,
        #[serde(rename = "for")]
        candidate: u64,
    },
    Append {
        node: u64,
        index: u64,
        term: u64,
    },
    Truncate {
        node: u64,
        from: u64,
    },
    Commit {
        node: u64,
        index: u64,
    },
    Apply {
        node: u64,
        index: u64,
        term: u64,
    },
    Snapshot {
        node: u64,
        index: u64,
        term: u64,
    },
    Crash {
        node: u64,
    },
    /// `term`, `voted_for` and `last_index` are what the server's disk held when
    /// it crashed (writes still under way are lost): it restarts from them.
    /// Traces from before 2026-12-03 have none of them.
    Restart {
        node: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        term: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        voted_for: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_index: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot_index: Option<u64>,
    },
    Send {
        id: u64,
        from: u64,
        to: u64,
        #[serde(rename = "type")]
        kind: Cow<'static, str>,
        term: u64,
    },
    Deliver {
        id: u64,
    },
    Drop {
        id: u64,
        reason: Cow<'static, str>,
    },
    Config {
        node: u64,
        voters: Vec<u64>,
        voters_outgoing: Vec<u64>,
        learners: Vec<u64>,
    },
    Client {
        client: u64,
        op: Cow<'static, str>,
        req: u64,
        kind: Cow<'static, str>,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
        #[serde(default)]
        result: serde_json::Value,
        /// For cas: the value expected (extra field).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected: Option<String>,
    },
    /// A protocol switch, a bug switch or the snapshot threshold changed during
    /// the run (extra event), e.g. `pre_vote=true`.
    Setting {
        what: Cow<'static, str>,
    },
    /// A network fault was injected or removed (extra event): the liveness
    /// checker only counts time since the last one.
    Fault {
        what: Cow<'static, str>,
    },
}

impl TraceEvent {
    /// The event's `ev` name.
    pub fn name(&self) -> &'static str {
        match self {
            TraceEvent::Start { .. } => "start",
            TraceEvent::Role { .. } => "role",
            TraceEvent::Vote { .. } => "vote",
            TraceEvent::Append { .. } => "append",
            TraceEvent::Truncate { .. } => "truncate",
            TraceEvent::Commit { .. } => "commit",
            TraceEvent::Apply { .. } => "apply",
            TraceEvent::Snapshot { .. } => "snapshot",
            TraceEvent::Crash { .. } => "crash",
            TraceEvent::Restart { .. } => "restart",
            TraceEvent::Send { .. } => "send",
            TraceEvent::Deliver { .. } => "deliver",
            TraceEvent::Drop { .. } => "drop",
            TraceEvent::Setting { .. } => "setting",
            TraceEvent::Config { .. } => "config",
            TraceEvent::Client { .. } => "client",
            TraceEvent::Fault { .. } => "fault",
        }
    }
}

mod role_name {
    use raft_core::Role;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(role: &Role, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(role.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
        let name = String::deserialize(d)?;
        match name.as_str() {
            "follower" => Ok(Role::Follower),
            "precandidate" => Ok(Role::PreCandidate),
            "candidate" => Ok(Role::Candidate),
            "leader" => Ok(Role::Leader),
            other => Err(serde::de::Error::custom(format!(
                "unknown role `{other}`, expected follower, precandidate, candidate or leader"
            ))),
        }
    }
}

/// Appends one JSON line for `ev` at time `t` (microseconds) to `out`.
pub fn write_line(out: &mut String, t: u64, ev: &TraceEvent) {
    let body = serde_json::to_string(ev).unwrap_or_else(|_| String::from("{\"ev\":\"error\"}"));
    out.push_str("{\"t\":");
    out.push_str(&t.to_string());
    out.push(',');
    out.push_str(&body[1..]);
    out.push('\n');
}

/// A trace line read back.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceLine {
    pub t: u64,
    pub ev: TraceEvent,
}

/// Why a trace line could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

const KNOWN: &[&str] = &[
    "start", "role", "vote", "append", "truncate", "commit", "apply", "snapshot", "crash",
    "restart", "send", "deliver", "drop", "config", "client", "fault",
];

/// Parses one line; `Ok(None)` for events this crate does not know (they are allowed).
pub fn parse_line(text: &str, line: usize) -> Result<Option<TraceLine>, TraceError> {
    let err = |message: String| TraceError { line, message };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| err(format!("not JSON: {e}")))?;
    let t = value
        .get("t")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| err("missing integer field `t`".into()))?;
    let name = value
        .get("ev")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| err("missing string field `ev`".into()))?;
    if !KNOWN.contains(&name) {
        return Ok(None);
    }
    let ev: TraceEvent =
        serde_json::from_value(value.clone()).map_err(|e| err(format!("event `{name}`: {e}")))?;
    Ok(Some(TraceLine { t, ev }))
}

/// FNV-1a, 64 bits: the determinism hash of a trace's bytes.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_the_contract_shape() {
        let mut s = String::new();
        write_line(
            &mut s,
            7,
            &TraceEvent::Role {
                node: 1,
                term: 2,
                role: Role::PreCandidate,
            },
        );
        write_line(
            &mut s,
            8,
            &TraceEvent::Vote {
                node: 2,
                term: 2,
                candidate: 1,
            },
        );
        assert_eq!(
            s,
            "{\"t\":7,\"ev\":\"role\",\"node\":1,\"term\":2,\"role\":\"precandidate\"}\n\
             {\"t\":8,\"ev\":\"vote\",\"node\":2,\"term\":2,\"for\":1}\n"
        );
    }

    #[test]
    fn lines_round_trip_and_unknown_events_are_skipped() {
        let ev = TraceEvent::Client {
            client: 3,
            op: "ok".into(),
            req: 4,
            kind: "get".into(),
            key: "k".into(),
            value: None,
            result: serde_json::Value::String("v".into()),
            expected: None,
        };
        let mut s = String::new();
        write_line(&mut s, 10, &ev);
        let parsed = parse_line(s.trim_end(), 1).unwrap().unwrap();
        assert_eq!(parsed, TraceLine { t: 10, ev });
        assert_eq!(parse_line("{\"t\":1,\"ev\":\"custom\"}", 1), Ok(None));
        let e = parse_line("{\"t\":1,\"ev\":\"role\",\"node\":1}", 5).unwrap_err();
        assert_eq!(e.line, 5);
        assert!(e.message.contains("term"), "{}", e.message);
    }

    #[test]
    fn fnv_matches_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    }
}

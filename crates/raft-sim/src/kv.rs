//! The replicated state machine: a key-value store with put, get, append and
//! compare-and-set, and client sessions so a retried command applies exactly
//! once (§8: "the state machine tracks the latest serial number processed for
//! each client, along with the associated response").

use std::collections::BTreeMap;

use raft_core::Command;
use serde::{Deserialize, Serialize};

/// One client operation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum KvOp {
    Put {
        key: String,
        value: String,
    },
    Get {
        key: String,
    },
    Append {
        key: String,
        value: String,
    },
    /// Sets `key` to `value` when it currently holds `expected` (`None`: absent).
    Cas {
        key: String,
        #[serde(default)]
        expected: Option<String>,
        value: String,
    },
}

impl KvOp {
    /// The trace name of the operation.
    pub fn kind(&self) -> &'static str {
        match self {
            KvOp::Put { .. } => "put",
            KvOp::Get { .. } => "get",
            KvOp::Append { .. } => "append",
            KvOp::Cas { .. } => "cas",
        }
    }

    pub fn key(&self) -> &str {
        match self {
            KvOp::Put { key, .. }
            | KvOp::Get { key }
            | KvOp::Append { key, .. }
            | KvOp::Cas { key, .. } => key,
        }
    }

    /// The value written, if the operation writes one.
    pub fn value(&self) -> Option<&str> {
        match self {
            KvOp::Put { value, .. } | KvOp::Append { value, .. } | KvOp::Cas { value, .. } => {
                Some(value)
            }
            KvOp::Get { .. } => None,
        }
    }

    pub fn is_read(&self) -> bool {
        matches!(self, KvOp::Get { .. })
    }

    /// The compact encoding carried in a log entry's command data.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16);
        match self {
            KvOp::Put { key, value } => {
                out.push(1);
                push_str(&mut out, key);
                push_str(&mut out, value);
            }
            KvOp::Get { key } => {
                out.push(2);
                push_str(&mut out, key);
            }
            KvOp::Append { key, value } => {
                out.push(3);
                push_str(&mut out, key);
                push_str(&mut out, value);
            }
            KvOp::Cas {
                key,
                expected,
                value,
            } => {
                out.push(4);
                push_str(&mut out, key);
                match expected {
                    Some(e) => {
                        out.push(1);
                        push_str(&mut out, e);
                    }
                    None => out.push(0),
                }
                push_str(&mut out, value);
            }
        }
        out
    }

    /// Decodes [`KvOp::encode`]'s output; `None` for bytes it did not produce.
    pub fn decode(data: &[u8]) -> Option<KvOp> {
        let (&tag, mut rest) = data.split_first()?;
        let op = match tag {
            1 => KvOp::Put {
                key: take_str(&mut rest)?,
                value: take_str(&mut rest)?,
            },
            2 => KvOp::Get {
                key: take_str(&mut rest)?,
            },
            3 => KvOp::Append {
                key: take_str(&mut rest)?,
                value: take_str(&mut rest)?,
            },
            4 => {
                let key = take_str(&mut rest)?;
                let (&has, r) = rest.split_first()?;
                rest = r;
                let expected = if has == 1 {
                    Some(take_str(&mut rest)?)
                } else {
                    None
                };
                KvOp::Cas {
                    key,
                    expected,
                    value: take_str(&mut rest)?,
                }
            }
            _ => return None,
        };
        rest.is_empty().then_some(op)
    }
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn take_str(data: &mut &[u8]) -> Option<String> {
    let len_bytes: [u8; 4] = data.get(..4)?.try_into().ok()?;
    let len = u32::from_le_bytes(len_bytes) as usize;
    let s = data.get(4..4 + len)?;
    *data = &data[4 + len..];
    String::from_utf8(s.to_vec()).ok()
}

/// What an operation returned.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KvResult {
    /// put and append: done. Traced as `null`.
    Done,
    /// get: the value, or absent.
    Value(Option<String>),
    /// cas: whether the swap happened.
    Swapped(bool),
}

/// As the page shows it: `put x=1`, `get x`, `append x+=1`, `cas x: -=>1`.
impl std::fmt::Display for KvOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KvOp::Put { key, value } => write!(f, "put {key}={value}"),
            KvOp::Get { key } => write!(f, "get {key}"),
            KvOp::Append { key, value } => write!(f, "append {key}+={value}"),
            KvOp::Cas {
                key,
                expected,
                value,
            } => write!(
                f,
                "cas {key}: {}=>{value}",
                expected.as_deref().unwrap_or("-")
            ),
        }
    }
}

/// `done`, the value read (`-` when absent), or `swapped` / `not swapped`.
impl std::fmt::Display for KvResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KvResult::Done => f.write_str("done"),
            KvResult::Value(v) => f.write_str(v.as_deref().unwrap_or("-")),
            KvResult::Swapped(true) => f.write_str("swapped"),
            KvResult::Swapped(false) => f.write_str("not swapped"),
        }
    }
}

impl KvResult {
    /// The trace's `result` field.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            KvResult::Done => serde_json::Value::Null,
            KvResult::Value(v) => v.as_ref().map_or(serde_json::Value::Null, |s| {
                serde_json::Value::String(s.clone())
            }),
            KvResult::Swapped(b) => serde_json::Value::Bool(*b),
        }
    }
}

/// The latest command applied for one client, and its reply (§8).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Session {
    pub seq: u64,
    pub result: KvResult,
}

/// The key-value state machine of one server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KvStore {
    pub data: BTreeMap<String, String>,
    pub sessions: BTreeMap<u64, Session>,
}

impl KvStore {
    /// Applies a committed command once per (client, seq); a retry gets the
    /// cached reply, an older sequence number gets `None` (§8).
    pub fn apply(&mut self, command: &Command) -> Option<KvResult> {
        if let Some(s) = self.sessions.get(&command.client) {
            if command.seq == s.seq {
                return Some(s.result.clone());
            }
            if command.seq < s.seq {
                return None;
            }
        }
        let op = KvOp::decode(&command.data)?;
        let result = self.execute(&op);
        self.sessions.insert(
            command.client,
            Session {
                seq: command.seq,
                result: result.clone(),
            },
        );
        Some(result)
    }

    /// Runs one operation against the data (reads included).
    pub fn execute(&mut self, op: &KvOp) -> KvResult {
        match op {
            KvOp::Put { key, value } => {
                self.data.insert(key.clone(), value.clone());
                KvResult::Done
            }
            KvOp::Get { key } => KvResult::Value(self.data.get(key).cloned()),
            KvOp::Append { key, value } => {
                self.data.entry(key.clone()).or_default().push_str(value);
                KvResult::Done
            }
            KvOp::Cas {
                key,
                expected,
                value,
            } => {
                if self.data.get(key) == expected.as_ref() {
                    self.data.insert(key.clone(), value.clone());
                    KvResult::Swapped(true)
                } else {
                    KvResult::Swapped(false)
                }
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.data.get(key).map(String::as_str)
    }

    /// The snapshot bytes (§7): data and sessions, so dedupe survives compaction.
    pub fn to_snapshot(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Restores from snapshot bytes; an empty snapshot is an empty store.
    pub fn from_snapshot(data: &[u8]) -> KvStore {
        if data.is_empty() {
            return KvStore::default();
        }
        serde_json::from_slice(data).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(client: u64, seq: u64, op: &KvOp) -> Command {
        Command {
            client,
            seq,
            data: op.encode().into(),
        }
    }

    #[test]
    fn encoding_round_trips() {
        let ops = [
            KvOp::Put {
                key: "k".into(),
                value: "v".into(),
            },
            KvOp::Get { key: "k".into() },
            KvOp::Append {
                key: "".into(),
                value: "xyz".into(),
            },
            KvOp::Cas {
                key: "k".into(),
                expected: None,
                value: "1".into(),
            },
            KvOp::Cas {
                key: "k".into(),
                expected: Some("1".into()),
                value: "2".into(),
            },
        ];
        for op in ops {
            assert_eq!(KvOp::decode(&op.encode()), Some(op));
        }
        assert_eq!(KvOp::decode(&[9]), None);
        assert_eq!(KvOp::decode(&[1, 200, 0, 0, 0]), None);
    }

    #[test]
    fn retried_command_applies_once() {
        let mut kv = KvStore::default();
        let append = KvOp::Append {
            key: "x".into(),
            value: "a".into(),
        };
        assert_eq!(kv.apply(&cmd(1, 1, &append)), Some(KvResult::Done));
        assert_eq!(kv.apply(&cmd(1, 1, &append)), Some(KvResult::Done));
        assert_eq!(kv.get("x"), Some("a"));
        assert_eq!(kv.apply(&cmd(1, 2, &append)), Some(KvResult::Done));
        assert_eq!(kv.get("x"), Some("aa"));
        // An older request arriving late does nothing.
        assert_eq!(kv.apply(&cmd(1, 1, &append)), None);
        assert_eq!(kv.get("x"), Some("aa"));
    }

    #[test]
    fn cas_and_snapshot_round_trip() {
        let mut kv = KvStore::default();
        let cas = |e: Option<&str>, v: &str| KvOp::Cas {
            key: "k".into(),
            expected: e.map(String::from),
            value: v.into(),
        };
        assert_eq!(
            kv.apply(&cmd(1, 1, &cas(None, "1"))),
            Some(KvResult::Swapped(true))
        );
        assert_eq!(
            kv.apply(&cmd(1, 2, &cas(Some("2"), "3"))),
            Some(KvResult::Swapped(false))
        );
        let restored = KvStore::from_snapshot(&kv.to_snapshot());
        assert_eq!(restored, kv);
        assert_eq!(KvStore::from_snapshot(&[]), KvStore::default());
    }
}

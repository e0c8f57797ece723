//! Turns the client history (from a world or from a trace's `client` lines)
//! into the operations the linearizability checker reads.

use std::collections::BTreeMap;

use crate::client::{ClientEvent, Outcome};
use crate::kv::{KvOp, KvResult};
use crate::linearizability::{self, Operation, Output};
use crate::trace::TraceEvent;

/// One operation per invoke, completed by its ok/fail/timeout record.
pub fn operations<'a>(history: impl IntoIterator<Item = &'a ClientEvent>) -> Vec<Operation> {
    let mut open: BTreeMap<(u64, u64), usize> = BTreeMap::new();
    let mut ops: Vec<Operation> = Vec::new();
    for e in history {
        match &e.outcome {
            Outcome::Invoke => {
                open.insert((e.client, e.req), ops.len());
                ops.push(invoked(e.client, e.req, &e.op, e.t));
            }
            outcome => {
                let Some(i) = open.remove(&(e.client, e.req)) else {
                    continue;
                };
                let op = ops[i].clone();
                ops[i] = match outcome {
                    Outcome::Ok(r) => op.completed(output(r), e.t),
                    Outcome::Fail => op.failed(),
                    _ => op,
                };
            }
        }
    }
    ops
}

fn invoked(client: u64, req: u64, op: &KvOp, t: u64) -> Operation {
    match op {
        KvOp::Put { key, value } => Operation::put(client, req, key.as_str(), value.as_str(), t),
        KvOp::Get { key } => Operation::get(client, req, key.as_str(), t),
        KvOp::Append { key, value } => {
            Operation::append(client, req, key.as_str(), value.as_str(), t)
        }
        KvOp::Cas {
            key,
            expected,
            value,
        } => Operation::cas(
            client,
            req,
            key.as_str(),
            expected.as_deref(),
            value.as_str(),
            t,
        ),
    }
}

fn output(r: &KvResult) -> Output {
    match r {
        KvResult::Done => Output::None,
        KvResult::Value(v) => Output::Value(v.clone()),
        KvResult::Swapped(b) => Output::Cas(*b),
    }
}

/// Rebuilds a client history record from a trace `client` line.
pub fn from_trace(t: u64, ev: &TraceEvent) -> Option<ClientEvent> {
    let TraceEvent::Client {
        client,
        op,
        req,
        kind,
        key,
        value,
        result,
        expected,
    } = ev
    else {
        return None;
    };
    let key = key.clone();
    let value = value.clone().unwrap_or_default();
    let kv = match kind.as_ref() {
        "put" => KvOp::Put { key, value },
        "get" => KvOp::Get { key },
        "append" => KvOp::Append { key, value },
        "cas" => KvOp::Cas {
            key,
            expected: expected.clone(),
            value,
        },
        _ => return None,
    };
    let outcome = match op.as_ref() {
        "invoke" => Outcome::Invoke,
        "fail" => Outcome::Fail,
        "timeout" => Outcome::Timeout,
        "ok" => Outcome::Ok(match (kind.as_ref(), result) {
            ("get", serde_json::Value::String(s)) => KvResult::Value(Some(s.clone())),
            ("get", _) => KvResult::Value(None),
            ("cas", serde_json::Value::Bool(b)) => KvResult::Swapped(*b),
            _ => KvResult::Done,
        }),
        _ => return None,
    };
    Some(ClientEvent {
        t,
        client: *client,
        req: *req,
        op: kv,
        outcome,
    })
}

/// Checks a client history for linearizability with a search budget per key.
pub fn check<'a>(
    history: impl IntoIterator<Item = &'a ClientEvent>,
    max_steps: u64,
) -> linearizability::CheckResult {
    linearizability::check_with_budget(&operations(history), max_steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: u64, req: u64, op: KvOp, outcome: Outcome) -> ClientEvent {
        ClientEvent {
            t,
            client: 1,
            req,
            op,
            outcome,
        }
    }

    #[test]
    fn stale_read_is_not_linearizable() {
        let put = |v: &str| KvOp::Put {
            key: "x".into(),
            value: v.into(),
        };
        let get = KvOp::Get { key: "x".into() };
        let h = vec![
            ev(0, 1, put("a"), Outcome::Invoke),
            ev(10, 1, put("a"), Outcome::Ok(KvResult::Done)),
            ev(20, 2, put("b"), Outcome::Invoke),
            ev(30, 2, put("b"), Outcome::Ok(KvResult::Done)),
            ev(40, 3, get.clone(), Outcome::Invoke),
            ev(50, 3, get, Outcome::Ok(KvResult::Value(Some("a".into())))),
        ];
        assert!(check(&h, 100_000).is_violation());
        assert!(check(&h[..4], 100_000).is_linearizable());
    }

    #[test]
    fn trace_client_lines_round_trip() {
        let e = ev(
            5,
            3,
            KvOp::Cas {
                key: "k".into(),
                expected: Some("1".into()),
                value: "2".into(),
            },
            Outcome::Ok(KvResult::Swapped(true)),
        );
        let line = TraceEvent::Client {
            client: 1,
            op: "ok".into(),
            req: 3,
            kind: "cas".into(),
            key: "k".into(),
            value: Some("2".into()),
            result: serde_json::Value::Bool(true),
            expected: Some("1".into()),
        };
        assert_eq!(from_trace(5, &line), Some(e));
    }
}

//! Simulated clients (§8): one operation at a time, sent to the server
//! believed to lead; on a redirect follow the leader hint; on a timeout retry
//! with the same request id, so the state machine's session makes the retry
//! apply at most once. Every operation is recorded as invoke and completion.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::kv::{KvOp, KvResult};

/// A client's request as it travels to a server.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClientRequest {
    pub client: u64,
    pub req: u64,
    pub op: KvOp,
}

/// A server's answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientReply {
    /// The operation took effect (or the read was served) with this result.
    Ok {
        client: u64,
        req: u64,
        result: KvResult,
    },
    /// This server cannot serve it; try `leader_hint` (§8).
    Redirect {
        client: u64,
        req: u64,
        leader_hint: Option<u64>,
    },
}

/// How an operation ended (or began) in the history.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Invoke,
    Ok(KvResult),
    /// Definitely did not take effect.
    Fail,
    /// Gave up without an answer: it may or may not have taken effect.
    Timeout,
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Invoke => "invoke",
            Outcome::Ok(_) => "ok",
            Outcome::Fail => "fail",
            Outcome::Timeout => "timeout",
        }
    }
}

/// One record of the client history (what the linearizability checker reads).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClientEvent {
    pub t: u64,
    pub client: u64,
    pub req: u64,
    pub op: KvOp,
    pub outcome: Outcome,
}

/// The operation a client is waiting on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outstanding {
    pub req: u64,
    pub op: KvOp,
    pub attempt: u32,
    /// The server the latest attempt went to.
    pub server: Option<u64>,
    /// Some attempt may have reached a leader, so the outcome is unknown until answered.
    pub maybe_applied: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub id: u64,
    next_req: u64,
    pub current: Option<Outstanding>,
    pub queue: VecDeque<KvOp>,
    /// The server this client believes leads (§8).
    pub leader_guess: Option<u64>,
    rotation: usize,
    pub completed: u64,
}

impl Client {
    pub fn new(id: u64) -> Self {
        Client {
            id,
            next_req: 1,
            current: None,
            queue: VecDeque::new(),
            leader_guess: None,
            rotation: id as usize,
            completed: 0,
        }
    }

    pub fn is_busy(&self) -> bool {
        self.current.is_some()
    }

    /// Starts `op` with a fresh request id and returns it.
    pub fn start(&mut self, op: KvOp) -> u64 {
        let req = self.next_req;
        self.next_req += 1;
        self.current = Some(Outstanding {
            req,
            op,
            attempt: 0,
            server: None,
            maybe_applied: false,
        });
        req
    }

    /// The server to try next: the believed leader, else the next one in turn.
    pub fn target(&mut self, servers: &[u64]) -> u64 {
        if let Some(l) = self.leader_guess.filter(|l| servers.contains(l)) {
            return l;
        }
        self.rotation = self.rotation.wrapping_add(1);
        servers[self.rotation % servers.len()]
    }

    /// A redirect: believe the hint, or forget the guess when there is none.
    pub fn redirected(&mut self, leader_hint: Option<u64>) {
        self.leader_guess = leader_hint;
    }

    /// No answer in time: the request may have been proposed; try another server.
    pub fn timed_out(&mut self) {
        if let Some(c) = &mut self.current {
            c.maybe_applied = true;
        }
        self.leader_guess = None;
    }

    /// Ends the current operation.
    pub fn finish(&mut self) -> Option<Outstanding> {
        self.completed += 1;
        self.current.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_hints_and_rotates_without_one() {
        let mut c = Client::new(1);
        let servers = [1, 2, 3];
        let first = c.target(&servers);
        let second = c.target(&servers);
        assert_ne!(first, second);
        c.redirected(Some(3));
        assert_eq!(c.target(&servers), 3);
        assert_eq!(c.target(&servers), 3);
        c.redirected(Some(9));
        assert!(servers.contains(&c.target(&servers)));
    }

    #[test]
    fn request_ids_are_fresh_per_operation_and_kept_across_retries() {
        let mut c = Client::new(1);
        let r1 = c.start(KvOp::Get { key: "k".into() });
        c.timed_out();
        assert_eq!(c.current.as_ref().unwrap().req, r1);
        assert!(c.current.as_ref().unwrap().maybe_applied);
        c.finish();
        let r2 = c.start(KvOp::Get { key: "k".into() });
        assert_eq!(r2, r1 + 1);
    }
}

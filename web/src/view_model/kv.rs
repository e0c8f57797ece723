//! The key-value and clients panel: a form for the page's client (put, get or
//! append, to the leader it knows or to a server of your choice), its requests
//! with every attempt, redirect, retry and reply (§8), and each server's
//! applied store. Everything comes from the world: the client history, the
//! journal's client messages and the servers' state machines.

use raft_sim::client::Outcome;
use raft_sim::Action;

use super::playground::PAGE_CLIENT;
use super::spacetime::reason_text;
use super::state::Effect;
use super::text::Text;
use super::{format_sim_time, Playground};
use crate::cluster::{
    Answer, AttemptEvent, ClientMsgView, ClientOpView, ClientStep, ClientView, MessageFate,
    StoreView, Traffic,
};
use crate::i18n::{tr, trf, Lang};

/// Requests listed, newest first.
pub const REQUESTS_SHOWN: usize = 6;

/// The operations the form offers (compare-and-set is left to scenarios).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KvOpKind {
    Put,
    Get,
    Append,
}

impl KvOpKind {
    pub const ALL: [KvOpKind; 3] = [KvOpKind::Put, KvOpKind::Get, KvOpKind::Append];

    /// The `<option>` value.
    pub fn name(self) -> &'static str {
        match self {
            KvOpKind::Put => "put",
            KvOpKind::Get => "get",
            KvOpKind::Append => "append",
        }
    }

    pub fn parse(name: &str) -> Option<KvOpKind> {
        KvOpKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether the operation writes a value (a get has none).
    pub fn has_value(self) -> bool {
        self != KvOpKind::Get
    }

    /// The world action for this operation from `client`.
    pub fn action(self, client: u64, key: &str, value: &str) -> Action {
        let (key, value) = (key.to_string(), value.to_string());
        match self {
            KvOpKind::Put => Action::Put { client, key, value },
            KvOpKind::Get => Action::Get { client, key },
            KvOpKind::Append => Action::Append { client, key, value },
        }
    }
}

/// What the form holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvForm {
    pub op: KvOpKind,
    pub key: String,
    pub value: String,
    /// `None`: the leader the client knows; `Some(id)`: contact that server first.
    pub target: Option<u64>,
}

impl Default for KvForm {
    fn default() -> Self {
        KvForm {
            op: KvOpKind::Put,
            key: "x".into(),
            value: "1".into(),
            target: None,
        }
    }
}

/// The form's messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KvMsg {
    SetOp(KvOpKind),
    SetKey(String),
    SetValue(String),
    SetTarget(Option<u64>),
    Send,
}

/// One line of a request's progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepDraw {
    pub t_us: u64,
    /// `send`, `redirect`, `reply`, `lost`, `timeout`, `waiting` or `gave-up`.
    pub kind: &'static str,
    pub server: Option<u64>,
    pub text: String,
}

/// One request of the page's client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestDraw {
    pub req: u64,
    /// `put x=1`.
    pub op: String,
    /// `pending`, `ok`, `fail` or `timeout` (the world's history).
    pub status: &'static str,
    /// What it returned: `done` for writes, the value (or `-`) for a get.
    pub result: Option<String>,
    pub steps: Vec<StepDraw>,
    /// Attempts seen (sent to some server).
    pub attempts: usize,
    /// Its first messages have left the journal: the progress shown is partial.
    pub partial: bool,
}

/// One server's applied store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreDraw {
    pub id: u64,
    pub alive: bool,
    pub last_applied: u64,
    pub entries: Vec<(String, String)>,
    /// `x=1 y=ab`, `(empty)`, or why there is nothing.
    pub text: String,
}

/// Everything the panel draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvDraw {
    pub client: u64,
    pub form: KvForm,
    /// The servers the form can send to.
    pub targets: Vec<u64>,
    pub known_leader: Option<u64>,
    /// The request the client waits on.
    pub busy: Option<u64>,
    pub queued: Vec<String>,
    /// Newest first, at most [`REQUESTS_SHOWN`].
    pub requests: Vec<RequestDraw>,
    pub stores: Vec<StoreDraw>,
    /// The language of its texts.
    pub lang: Lang,
}

impl KvDraw {
    pub fn new(
        form: &KvForm,
        client: &ClientView,
        stores: &[StoreView],
        now_us: u64,
        lang: Lang,
    ) -> KvDraw {
        KvDraw {
            client: client.id,
            form: form.clone(),
            targets: stores.iter().map(|s| s.id).collect(),
            known_leader: client.leader_guess,
            busy: client.current.map(|(req, _)| req),
            queued: client
                .queued
                .iter()
                .map(|op| op_text(op).render(lang))
                .collect(),
            requests: client
                .ops
                .iter()
                .rev()
                .take(REQUESTS_SHOWN)
                .map(|op| {
                    let msgs: Vec<&ClientMsgView> =
                        client.messages.iter().filter(|m| m.req == op.req).collect();
                    let steps: Vec<&ClientStep> =
                        client.steps.iter().filter(|s| s.req == op.req).collect();
                    request_draw(op, &msgs, &steps, now_us, lang)
                })
                .collect(),
            stores: stores.iter().map(|s| store_draw(s, lang)).collect(),
            lang,
        }
    }

    /// The form's "send to" choice in words.
    pub fn known_leader_text(&self) -> String {
        match self.known_leader {
            Some(l) => trf(self.lang, "kv.known_leader", &[("node", &l)]),
            None => tr(self.lang, "kv.known_leader_none").into(),
        }
    }
}

fn store_draw(s: &StoreView, lang: Lang) -> StoreDraw {
    let text = if !s.alive {
        tr(lang, "kv.store.crashed").into()
    } else if s.data.is_empty() {
        tr(lang, "kv.store.empty").into()
    } else {
        s.data
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    StoreDraw {
        id: s.id,
        alive: s.alive,
        last_applied: s.last_applied,
        entries: s.data.clone(),
        text,
    }
}

/// What a client message says: `put x=1`, `ok done`, `not leader, try S4`.
pub fn traffic_text(kind: &Traffic) -> Text {
    match kind {
        Traffic::ClientRequest { op } => op_text(&op.to_string()),
        Traffic::ClientReply {
            answer: Answer::Ok { result },
        } => text_key!("kv.answer.ok", result = result_text(result)),
        Traffic::ClientReply {
            answer: Answer::Redirect {
                leader_hint: Some(l),
            },
        } => text_key!("kv.answer.redirect", node = l),
        Traffic::ClientReply {
            answer: Answer::Redirect { leader_hint: None },
        } => text_key!("kv.answer.redirect_none"),
        Traffic::Raft(k) => k.as_str().into(),
    }
}

/// An operation as the page writes it (`put x=1`, `get x`, `append x+=1`,
/// `cas x: -=>1`), its verb in words: `写入 x=1`.
pub fn op_text(op: &str) -> Text {
    let (verb, rest) = op.split_once(' ').unwrap_or((op, ""));
    match verb {
        "put" => text_key!("kv.op.put", rest = rest),
        "get" => text_key!("kv.op.get", rest = rest),
        "append" => text_key!("kv.op.append", rest = rest),
        "cas" => text_key!("kv.op.cas", rest = rest),
        _ => Text::plain(op),
    }
}

/// What an operation returned: `done`, the value read (`-` when absent),
/// `swapped` or `not swapped`.
pub fn result_text(result: &raft_sim::KvResult) -> Text {
    use raft_sim::KvResult as R;
    match result {
        R::Done => text_key!("kv.result.done"),
        R::Value(v) => v.as_deref().unwrap_or("-").into(),
        R::Swapped(true) => text_key!("kv.result.swapped"),
        R::Swapped(false) => text_key!("kv.result.not_swapped"),
    }
}

/// A request's progress: each attempt (a request to one server) as the world
/// recorded it, the reply or redirect it got, and the timeout when it got none
/// and the client tried again (or gave up).
pub fn request_draw(
    op: &ClientOpView,
    msgs: &[&ClientMsgView],
    steps: &[&ClientStep],
    now_us: u64,
    lang: Lang,
) -> RequestDraw {
    let mut msgs: Vec<&ClientMsgView> = msgs.to_vec();
    msgs.sort_by_key(|m| (m.sent_at, m.id));
    let sent: Vec<(u64, u32, u64, u64)> = steps
        .iter()
        .filter_map(|s| match s.event {
            AttemptEvent::Sent { server, deadline } => Some((s.t, s.attempt, server, deadline)),
            AttemptEvent::TimedOut { .. } => None,
        })
        .collect();
    // The first attempt leaves when the operation is invoked.
    let partial = sent.first().is_none_or(|a| a.0 > op.invoked_at);
    let mut out = Vec::new();
    for (n, &(t, attempt, s, deadline)) in sent.iter().enumerate() {
        let next_at = sent.get(n + 1).map(|a| a.0);
        out.push(StepDraw {
            t_us: t,
            kind: "send",
            server: Some(s),
            text: trf(
                lang,
                "kv.step.attempt",
                &[("attempt", &attempt), ("node", &s)],
            ),
        });
        let request = msgs
            .iter()
            .find(|m| m.request && m.server == s && m.sent_at == t);
        if let Some(MessageFate::Lost { t, reason }) = request.map(|r| r.fate) {
            out.push(StepDraw {
                t_us: t,
                kind: "lost",
                server: Some(s),
                text: trf(
                    lang,
                    "kv.step.request_lost",
                    &[("node", &s), ("reason", &reason_text(reason, lang))],
                ),
            });
        }
        // Replies from this server to this attempt (before the next attempt left).
        for m in msgs.iter().filter(|m| {
            !m.request && m.server == s && m.sent_at >= t && next_at.is_none_or(|n| m.sent_at <= n)
        }) {
            let kind = if m.success == Some(false) {
                "redirect"
            } else {
                "reply"
            };
            match m.fate {
                MessageFate::Lost { t, reason } => out.push(StepDraw {
                    t_us: t,
                    kind: "lost",
                    server: Some(s),
                    text: trf(
                        lang,
                        "kv.step.answer_lost",
                        &[("node", &s), ("reason", &reason_text(reason, lang))],
                    ),
                }),
                MessageFate::Delivered { t } => out.push(StepDraw {
                    t_us: t,
                    kind,
                    server: Some(s),
                    text: trf(
                        lang,
                        "kv.step.answer",
                        &[
                            ("node", &s),
                            ("answer", &traffic_text(&m.kind).render(lang)),
                        ],
                    ),
                }),
                MessageFate::InFlight => out.push(StepDraw {
                    t_us: m.sent_at,
                    kind,
                    server: Some(s),
                    text: trf(
                        lang,
                        "kv.step.answer_on_its_way",
                        &[
                            ("node", &s),
                            ("answer", &traffic_text(&m.kind).render(lang)),
                        ],
                    ),
                }),
            }
        }
        let timed_out = steps
            .iter()
            .find(|x| x.attempt == attempt && matches!(x.event, AttemptEvent::TimedOut { .. }));
        let waited = deadline.saturating_sub(t) / 1_000;
        match (timed_out, next_at, &op.outcome) {
            (Some(x), Some(_), _) => out.push(StepDraw {
                t_us: x.t,
                kind: "timeout",
                server: Some(s),
                text: trf(lang, "kv.step.timeout", &[("node", &s), ("ms", &waited)]),
            }),
            (Some(x), None, Some(_)) => out.push(StepDraw {
                t_us: x.t,
                kind: "gave-up",
                server: Some(s),
                text: trf(
                    lang,
                    "kv.step.gave_up",
                    &[("node", &s), ("attempts", &attempt)],
                ),
            }),
            (None, None, None) => out.push(StepDraw {
                t_us: now_us,
                kind: "waiting",
                server: Some(s),
                text: trf(
                    lang,
                    "kv.step.waiting",
                    &[("node", &s), ("time", &format_sim_time(deadline))],
                ),
            }),
            _ => {}
        }
    }
    let (status, result) = match &op.outcome {
        None => ("pending", None),
        Some((_, Outcome::Ok(result))) => ("ok", Some(result_text(result).render(lang))),
        Some((_, outcome)) => (outcome.as_str(), None),
    };
    let steps = out;
    RequestDraw {
        req: op.req,
        op: op_text(&op.op).render(lang),
        status,
        result,
        steps,
        attempts: sent.len(),
        partial,
    }
}

impl Playground {
    /// The form's reducer.
    pub(super) fn kv_update(&mut self, msg: KvMsg) -> Vec<Effect> {
        let form = &mut self.forms.kv;
        match msg {
            KvMsg::SetOp(op) => form.op = op,
            KvMsg::SetKey(key) => form.key = key,
            KvMsg::SetValue(value) => form.value = value,
            KvMsg::SetTarget(target) => form.target = target,
            KvMsg::Send => {
                let f = form.clone();
                let key = f.key.trim();
                if key.is_empty() {
                    return vec![Effect::Notice(text_key!("kv.notice.no_key"))];
                }
                let value = if f.op.has_value() { f.value.trim() } else { "" };
                return vec![self.client_request(f.op.action(PAGE_CLIENT, key, value), f.target)];
            }
        }
        Vec::new()
    }

    /// Sends `op` (a client action) from the page's client: to `target` when
    /// given (the client contacts it first, §8), else to the leader it knows.
    pub(super) fn client_request(&self, op: Action, target: Option<u64>) -> Effect {
        let what = op
            .client_op()
            .map_or_else(String::new, |(_, kv)| kv.to_string());
        let client = self.sim.client(PAGE_CLIENT);
        let c = PAGE_CLIENT;
        match (target, client.current) {
            (_, Some((req, _))) => {
                let text = match target {
                    Some(id) => text_key!(
                        "kv.said.queued_to",
                        client = c,
                        req = req,
                        op = op_text(&what),
                        node = id
                    ),
                    None => {
                        text_key!("kv.said.queued", client = c, req = req, op = op_text(&what))
                    }
                };
                Effect::act(op, text)
            }
            (Some(id), None) => {
                let text = text_key!(
                    "kv.said.to_chosen",
                    client = c,
                    op = op_text(&what),
                    node = id
                );
                Effect::Act {
                    actions: vec![
                        Action::Contact {
                            client: c,
                            node: id,
                        },
                        op,
                    ],
                    done: text,
                }
            }
            (None, None) => {
                let to = match client.leader_guess {
                    Some(l) => text_key!("kv.said.to_known_leader", node = l),
                    None => text_key!("kv.said.to_any"),
                };
                Effect::act(
                    op,
                    text_key!("kv.said.sends", client = c, op = op_text(&what), to = to),
                )
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::view_model::keys::ServerAction;
    use crate::view_model::{Frame, Msg};

    pub(crate) use crate::view_model::tests::playground;

    /// Plays at real time in 16 ms frames until `done`; panics after `limit_us` more.
    pub(crate) fn play_until(
        pg: &mut Playground,
        limit_us: u64,
        done: impl Fn(&Frame) -> bool,
    ) -> Frame {
        let start = pg.now_us();
        let mut wall = start as f64 / 1_000.0;
        pg.update(Msg::Frame(wall));
        loop {
            let f = pg.frame();
            if done(&f) {
                return f;
            }
            assert!(
                f.now_us < start + limit_us,
                "gave up at {} s",
                f.now_us as f64 / 1e6
            );
            wall += 16.0;
            pg.update(Msg::Frame(wall));
        }
    }

    pub(crate) fn leader(f: &Frame) -> Option<u64> {
        f.ring
            .nodes
            .iter()
            .find(|n| n.alive && n.role == raft_core::Role::Leader)
            .map(|n| n.id)
    }

    /// A leader whose no-op has committed everywhere.
    pub(crate) fn settled(pg: &mut Playground) -> u64 {
        let f = play_until(pg, 5_000_000, |f| {
            leader(f).is_some() && f.ring.nodes.iter().all(|n| n.commit > 0)
        });
        leader(&f).unwrap()
    }

    #[test]
    fn the_form_puts_x_1_and_every_live_store_shows_it() {
        let mut pg = playground(5);
        settled(&mut pg);
        pg.update(Msg::Kv(KvMsg::SetOp(KvOpKind::Put)));
        pg.update(Msg::Kv(KvMsg::SetKey(" x ".into())));
        pg.update(Msg::Kv(KvMsg::SetValue("1".into())));
        pg.update(Msg::Kv(KvMsg::Send));
        let f = pg.frame();
        assert!(
            f.narration().starts_with("Client 1 sends put x=1 to"),
            "{}",
            f.narration()
        );
        assert_eq!(f.kv.requests[0].status, "pending");
        assert_eq!(f.kv.busy, Some(1));
        let f = play_until(&mut pg, 2_000_000, |f| {
            f.kv.requests[0].status == "ok" && f.kv.stores.iter().all(|s| s.text == "x=1")
        });
        let r = &f.kv.requests[0];
        assert_eq!(
            (r.op.as_str(), r.result.as_deref()),
            ("put x=1", Some("done"))
        );
        assert_eq!(f.kv.stores.len(), 5);
        // A get reads it back through the leader (ReadIndex, §6.4).
        pg.update(Msg::Kv(KvMsg::SetOp(KvOpKind::Get)));
        pg.update(Msg::Kv(KvMsg::Send));
        let f = play_until(&mut pg, 2_000_000, |f| f.kv.requests[0].status == "ok");
        assert_eq!(f.kv.requests[0].op, "get x");
        assert_eq!(f.kv.requests[0].result.as_deref(), Some("1"));
        // No key: nothing is sent.
        pg.update(Msg::Kv(KvMsg::SetKey("  ".into())));
        pg.update(Msg::Kv(KvMsg::Send));
        assert!(pg.frame().notice.unwrap().contains("key"));
        assert_eq!(pg.frame().kv.requests.len(), 2);
    }

    #[test]
    fn the_menu_request_goes_to_the_selected_server_and_is_redirected() {
        let mut pg = playground(5);
        let l = settled(&mut pg);
        let follower = if l == 1 { 2 } else { 1 };
        pg.update(Msg::Server(ServerAction::Request, follower));
        let said = pg.frame().narration().to_string();
        assert!(
            said.contains(&format!("to S{follower}, the server you chose")),
            "{said}"
        );
        let f = play_until(&mut pg, 2_000_000, |f| f.kv.requests[0].status == "ok");
        let steps: Vec<(&str, String)> = f.kv.requests[0]
            .steps
            .iter()
            .map(|s| (s.kind, s.text.clone()))
            .collect();
        assert_eq!(
            steps,
            [
                ("send", format!("attempt 1 \u{2192} S{follower}")),
                ("redirect", format!("S{follower}: not leader, try S{l}")),
                ("send", format!("attempt 2 \u{2192} S{l}")),
                ("reply", format!("S{l}: ok done")),
            ]
        );
        assert_eq!(f.kv.known_leader, Some(l));
        assert_eq!(
            f.kv.requests[0].op, "put x=1",
            "the value is the request's number"
        );
        pg.update(Msg::Server(ServerAction::Request, l));
        assert_eq!(pg.frame().kv.requests[0].op, "put x=2");
    }

    #[test]
    fn a_request_to_a_crashed_server_times_out_and_a_busy_client_queues() {
        let mut pg = playground(5);
        let l = settled(&mut pg);
        let down = if l == 3 { 4 } else { 3 };
        pg.update(Msg::Server(ServerAction::Crash, down));
        pg.update(Msg::Kv(KvMsg::SetTarget(Some(down))));
        pg.update(Msg::Kv(KvMsg::Send));
        pg.update(Msg::Kv(KvMsg::SetValue("2".into())));
        pg.update(Msg::Kv(KvMsg::Send));
        let f = pg.frame();
        assert!(
            f.narration().contains("waits its turn"),
            "{}",
            f.narration()
        );
        assert_eq!(f.kv.queued, ["put x=2"]);
        // Both answered, and every running store has applied the second write.
        let f = play_until(&mut pg, 3_000_000, |f| {
            f.kv.requests.len() == 2
                && f.kv.requests.iter().all(|r| r.status == "ok")
                && f.kv
                    .stores
                    .iter()
                    .filter(|s| s.alive)
                    .all(|s| s.text == "x=2")
        });
        let first = &f.kv.requests[1];
        let kinds: Vec<&str> = first.steps.iter().map(|s| s.kind).collect();
        assert_eq!(
            &kinds[..3],
            ["send", "lost", "timeout"],
            "{:?}",
            first.steps
        );
        assert!(first.steps[1].text.contains("the receiver was down"));
        assert_eq!(first.steps[0].server, Some(down));
        let store = f.kv.stores.iter().find(|s| s.id == down).unwrap();
        assert!(!store.alive && store.text.starts_with("crashed"));
        assert!(f
            .kv
            .stores
            .iter()
            .filter(|s| s.alive)
            .all(|s| s.text == "x=2"));
    }

    fn op(req: u64, outcome: Option<(u64, Outcome)>) -> ClientOpView {
        ClientOpView {
            req,
            op: "put x=1".into(),
            invoked_at: 1_000,
            outcome,
        }
    }

    fn msg(id: u64, request: bool, server: u64, sent_at: u64, fate: MessageFate) -> ClientMsgView {
        ClientMsgView {
            id,
            req: 1,
            request,
            server,
            sent_at,
            deliver_at: sent_at + 10_000,
            fate,
            success: if request { None } else { Some(true) },
            kind: if request {
                Traffic::ClientRequest {
                    op: raft_sim::KvOp::Put {
                        key: "x".into(),
                        value: "1".into(),
                    },
                }
            } else {
                Traffic::ClientReply {
                    answer: Answer::Ok {
                        result: raft_sim::KvResult::Done,
                    },
                }
            },
        }
    }

    /// The world's record of attempt `attempt`, sent to `server` at `t` (300 ms timeout).
    fn sent(attempt: u32, server: u64, t: u64) -> ClientStep {
        ClientStep {
            t,
            client: 1,
            req: 1,
            attempt,
            event: AttemptEvent::Sent {
                server,
                deadline: t + 300_000,
            },
        }
    }

    fn timed_out(attempt: u32, server: u64, t: u64) -> ClientStep {
        ClientStep {
            t,
            client: 1,
            req: 1,
            attempt,
            event: AttemptEvent::TimedOut { server },
        }
    }

    #[test]
    fn a_redirect_then_an_answer() {
        let mut redirect = msg(2, false, 2, 11_000, MessageFate::Delivered { t: 21_000 });
        redirect.success = Some(false);
        redirect.kind = Traffic::ClientReply {
            answer: Answer::Redirect {
                leader_hint: Some(4),
            },
        };
        let msgs = [
            msg(1, true, 2, 1_000, MessageFate::Delivered { t: 11_000 }),
            redirect,
            msg(3, true, 4, 21_000, MessageFate::Delivered { t: 31_000 }),
            msg(4, false, 4, 40_000, MessageFate::Delivered { t: 50_000 }),
        ];
        let refs: Vec<&ClientMsgView> = msgs.iter().collect();
        let steps = [sent(1, 2, 1_000), sent(2, 4, 21_000)];
        let steps: Vec<&ClientStep> = steps.iter().collect();
        let d = request_draw(
            &op(1, Some((50_000, Outcome::Ok(raft_sim::KvResult::Done)))),
            &refs,
            &steps,
            60_000,
            Lang::En,
        );
        let lines: Vec<(&str, &str)> = d.steps.iter().map(|s| (s.kind, s.text.as_str())).collect();
        assert_eq!(
            lines,
            [
                ("send", "attempt 1 \u{2192} S2"),
                ("redirect", "S2: not leader, try S4"),
                ("send", "attempt 2 \u{2192} S4"),
                ("reply", "S4: ok done"),
            ]
        );
        assert_eq!(
            (d.status, d.result.as_deref(), d.attempts, d.partial),
            ("ok", Some("done"), 2, false)
        );
    }

    #[test]
    fn no_answer_is_a_timeout_then_a_retry_and_lost_messages_say_why() {
        let msgs = [
            msg(
                1,
                true,
                3,
                1_000,
                MessageFate::Lost {
                    t: 9_000,
                    reason: raft_sim::journal::LossReason::Crashed,
                },
            ),
            msg(2, true, 1, 301_000, MessageFate::InFlight),
        ];
        let refs: Vec<&ClientMsgView> = msgs.iter().collect();
        let steps = [
            sent(1, 3, 1_000),
            timed_out(1, 3, 301_000),
            sent(2, 1, 301_000),
        ];
        let steps: Vec<&ClientStep> = steps.iter().collect();
        let d = request_draw(&op(1, None), &refs, &steps, 305_000, Lang::En);
        let kinds: Vec<&str> = d.steps.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, ["send", "lost", "timeout", "send", "waiting"]);
        assert!(
            d.steps[1].text.contains("the receiver was down"),
            "{:?}",
            d.steps[1]
        );
        assert_eq!(d.steps[2].t_us, 301_000);
        assert!(d.steps[2].text.contains("within 300 ms"));
        assert!(d.steps[4].text.contains("0.601 s"), "{:?}", d.steps[4]);
        assert_eq!(d.status, "pending");
        // Given up: the last attempt says so.
        let more = [
            sent(1, 3, 1_000),
            timed_out(1, 3, 301_000),
            sent(2, 1, 301_000),
            timed_out(2, 1, 601_000),
        ];
        let more: Vec<&ClientStep> = more.iter().collect();
        let d = request_draw(
            &op(1, Some((601_000, Outcome::Timeout))),
            &refs,
            &more,
            9_000_000,
            Lang::En,
        );
        assert_eq!(d.steps.last().unwrap().kind, "gave-up");
        assert_eq!(d.status, "timeout");
    }

    #[test]
    fn progress_is_partial_when_the_journal_no_longer_has_the_start() {
        let msgs = [msg(1, true, 3, 900_000, MessageFate::InFlight)];
        let refs: Vec<&ClientMsgView> = msgs.iter().collect();
        let steps = [sent(1, 3, 900_000)];
        let steps: Vec<&ClientStep> = steps.iter().collect();
        assert!(request_draw(&op(1, None), &refs, &steps, 0, Lang::En).partial);
        assert!(request_draw(&op(1, None), &[], &[], 0, Lang::En).partial);
    }

    #[test]
    fn stores_list_pairs_and_crashed_servers_have_none() {
        let up = StoreView {
            id: 1,
            alive: true,
            last_applied: 4,
            data: vec![("x".into(), "1".into()), ("y".into(), "ab".into())],
        };
        let down = StoreView {
            id: 2,
            alive: false,
            last_applied: 0,
            data: Vec::new(),
        };
        let client = ClientView {
            id: 1,
            ops: (1..=8).map(|r| op(r, None)).collect(),
            ..ClientView::default()
        };
        let d = KvDraw::new(&KvForm::default(), &client, &[up, down], 0, Lang::En);
        assert_eq!(d.stores[0].text, "x=1 y=ab");
        assert!(
            d.stores[1].text.starts_with("crashed"),
            "{}",
            d.stores[1].text
        );
        assert_eq!(d.targets, [1, 2]);
        let reqs: Vec<u64> = d.requests.iter().map(|r| r.req).collect();
        assert_eq!(
            reqs,
            [8, 7, 6, 5, 4, 3],
            "newest first, at most {REQUESTS_SHOWN}"
        );
        assert!(d.known_leader_text().contains("none yet"));
    }

    #[test]
    fn op_kinds_round_trip_and_build_actions() {
        for k in KvOpKind::ALL {
            assert_eq!(KvOpKind::parse(k.name()), Some(k));
        }
        assert_eq!(
            KvOpKind::Get.action(1, "x", "ignored"),
            Action::Get {
                client: 1,
                key: "x".into()
            }
        );
        assert!(!KvOpKind::Get.has_value() && KvOpKind::Append.has_value());
    }
}

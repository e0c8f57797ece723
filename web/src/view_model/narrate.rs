//! Sentences about the cluster: the live region's narration of core events
//! ("S3 became leader for term 4", "S3 committed up to index 4"), what a
//! step did, and the inspector's "why" line. Each is a [`Text`], written in
//! the page's language when it is drawn.

use raft_core::{DenyReason, Event, Role, RoleReason};

use raft_sim::step::{Stepped, SEARCH_US};
use raft_sim::NextEvent;

use crate::cluster::{CoreEvent, MessageFate, MessageLife, Traffic};
use crate::view_model::clock::format_sim_time;
use crate::view_model::kv::op_text;
use crate::view_model::kv::traffic_text;
use crate::view_model::logs::rejection_text;
use crate::view_model::text::{kind_text, Text};

/// Sentences for `events[start..]` (the ones not narrated yet), oldest first.
/// The earlier events say who was leading: a leader's commit is narrated,
/// once per advance, and the followers' commits that follow it are not.
pub fn narrate_new(events: &[CoreEvent], start: usize) -> Vec<Text> {
    (start.min(events.len())..events.len())
        .filter_map(|i| {
            let e = &events[i];
            match &e.event {
                Event::CommitAdvanced { to, .. } => leading(&events[..i], e.node)
                    .then(|| text_key!("narrate.committed", node = e.node, index = to)),
                _ => narrate(e),
            }
        })
        .collect()
}

/// Whether `node` was leading after `earlier`, judged by its newest event
/// that only a leader (progress of a follower, a snapshot sent) or only a
/// non-leader (an AppendEntries handled, a snapshot installed) emits, or a
/// role change. `false` when the window holds none.
fn leading(earlier: &[CoreEvent], node: u64) -> bool {
    earlier
        .iter()
        .rev()
        .filter(|e| e.node == node)
        .find_map(|e| match &e.event {
            Event::RoleChanged { role, .. } => Some(*role == Role::Leader),
            Event::MatchIndexAdvanced { .. }
            | Event::NextIndexMoved { .. }
            | Event::ProgressStateChanged { .. }
            | Event::SnapshotSent { .. }
            | Event::TransferStarted { .. }
            | Event::TimeoutNowSent { .. } => Some(true),
            Event::AppendAccepted { .. }
            | Event::AppendRejected { .. }
            | Event::SnapshotInstalled { .. } => Some(false),
            _ => None,
        })
        .unwrap_or(false)
}

/// A sentence for the events worth announcing; `None` for the rest (too frequent to narrate).
pub fn narrate(e: &CoreEvent) -> Option<Text> {
    let s = e.node;
    match &e.event {
        Event::RoleChanged {
            role: Role::Leader,
            term,
            ..
        } => Some(text_key!("narrate.leader", node = s, term = term)),
        Event::RoleChanged {
            role: Role::Candidate,
            term,
            reason,
        } => Some(match reason {
            RoleReason::TimeoutNow { from } => {
                text_key!("narrate.campaign_asked", node = s, term = term, from = from)
            }
            RoleReason::Forced => text_key!("narrate.campaign_forced", node = s, term = term),
            _ => text_key!("narrate.campaign_timeout", node = s, term = term),
        }),
        Event::RoleChanged {
            role: Role::PreCandidate,
            term,
            ..
        } => Some(text_key!("narrate.prevote", node = s, term = term + 1)),
        Event::RoleChanged {
            role: Role::Follower,
            term,
            reason: RoleReason::CheckQuorumFailed,
        } => Some(text_key!("narrate.stepped_down", node = s, term = term)),
        Event::AppendRejected {
            leader,
            prev_log_index,
            ..
        } => Some(text_key!(
            "narrate.append_rejected",
            node = s,
            leader = leader,
            index = prev_log_index
        )),
        Event::Truncated { from } => Some(text_key!("narrate.truncated", node = s, from = from)),
        Event::SnapshotInstalled { index, .. } => Some(text_key!(
            "narrate.snapshot_installed",
            node = s,
            index = index
        )),
        _ => None,
    }
}

fn deny_text(reason: &DenyReason) -> Text {
    match reason {
        DenyReason::StaleTerm { ours } => text_key!("why.stale_term", ours = ours),
        DenyReason::AlreadyVoted { voted_for } => {
            text_key!("why.already_voted", voted = voted_for)
        }
        DenyReason::LogNotUpToDate {
            candidate_last_index,
            candidate_last_term,
            our_last_index,
            our_last_term,
        } => text_key!(
            "why.log_behind",
            their_index = candidate_last_index,
            their_term = candidate_last_term,
            our_index = our_last_index,
            our_term = our_last_term
        ),
        DenyReason::LeaderLease { leader } => text_key!("why.leader_lease", leader = leader),
        DenyReason::TermHasLeader { leader } => {
            text_key!("why.term_has_leader", leader = leader)
        }
        DenyReason::NotInConfiguration => text_key!("why.not_in_configuration"),
    }
}

/// Why the server's last vote denial or rejected append happened, and when
/// (`At 1.234 s: Denied its vote ...`), from the core's events: a newer
/// refusal replaces an older one.
pub fn why_line(events: &[CoreEvent], node: u64) -> Option<Text> {
    let (t, why) = events
        .iter()
        .rev()
        .filter(|e| e.node == node)
        .find_map(|e| refusal_text(e, node).map(|why| (e.t, why)))?;
    Some(text_key!("why.at", time = format_sim_time(t), why = why))
}

/// A refusal (vote denied, append rejected) in words; `None` for other events.
fn refusal_text(e: &CoreEvent, node: u64) -> Option<Text> {
    match &e.event {
        Event::VoteDenied {
            candidate,
            term,
            pre,
            reason,
        } => Some(if *pre {
            text_key!(
                "why.denied_prevote",
                candidate = candidate,
                term = term,
                reason = deny_text(reason)
            )
        } else {
            text_key!(
                "why.denied_vote",
                candidate = candidate,
                term = term,
                reason = deny_text(reason)
            )
        }),
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
    }
}

/// The activity line for a step ([`crate::cluster::Sim::step`]): what became
/// visible, never a bare clock tick: `Step: S2 sends RequestVote to S1, S3
/// and S4`, `Step: AppendEntries S1→S2 arrives; S2 sends
/// AppendEntriesResponse to S1`.
pub fn step_text(stepped: Option<&Stepped>) -> Text {
    let Some(s) = stepped else {
        return text_key!("step.nothing_left");
    };
    if !s.visible {
        return text_key!("step.nothing_visible", time = format_sim_time(SEARCH_US));
    }
    let sent = sent_text(&s.sent);
    let what = match (&s.what, sent) {
        // A tick shows only through what it made the server do.
        (NextEvent::Tick { .. }, Some(sent)) => sent,
        (NextEvent::Tick { node }, None) => text_key!("step.timer_runs_out", node = node),
        (what, sent) => {
            let what = next_event_text(what);
            match sent {
                Some(sent) => Text::Join(vec![what, sent], "list.semicolon"),
                None => what,
            }
        }
    };
    text_key!("step.line", what = what)
}

/// The messages one event sent, in a few words: `S2 sends RequestVote to S1,
/// S3 and S4`; client traffic: `client 1 sends put x=1 to S2`, `S2 answers
/// client 1 (ok done)`. Messages lost as they were sent say so.
pub fn sent_text(sent: &[MessageLife]) -> Option<Text> {
    let mut groups: Vec<(&MessageLife, Vec<Text>)> = Vec::new();
    for m in sent {
        let to = match (&m.kind, m.fate) {
            (Traffic::ClientReply { .. }, _) => text_key!("sent.to_client", client = m.to),
            (_, MessageFate::Lost { .. }) => text_key!("sent.to_lost", node = m.to),
            _ => Text::from(format!("S{}", m.to)),
        };
        match groups
            .iter_mut()
            .find(|(g, _)| !m.is_client() && g.from == m.from && g.kind == m.kind)
        {
            Some((_, to_list)) => to_list.push(to),
            None => groups.push((m, vec![to])),
        }
    }
    let parts: Vec<Text> = groups
        .into_iter()
        .map(|(m, to)| {
            let to = Text::List(to);
            match &m.kind {
                Traffic::Raft(k) => {
                    text_key!("sent.raft", from = m.from, kind = kind_text(*k), to = to)
                }
                Traffic::ClientRequest { op } => text_key!(
                    "sent.client_request",
                    client = m.from,
                    op = op_text(&op.to_string()),
                    to = to
                ),
                Traffic::ClientReply { .. } => text_key!(
                    "sent.client_reply",
                    from = m.from,
                    to = to,
                    answer = traffic_text(&m.kind)
                ),
            }
        })
        .collect();
    (!parts.is_empty()).then_some(Text::Join(parts, "list.semicolon"))
}

/// What the next event of a step is, in a few words: `S3's clock ticks`,
/// `AppendEntries S1→S2 arrives`, `client 1's request reaches S2`, ...
pub fn next_event_text(e: &NextEvent) -> Text {
    match e {
        NextEvent::Tick { node } => text_key!("next.tick", node = node),
        NextEvent::Arrival { kind, from, to, .. } => match kind {
            Traffic::Raft(k) => {
                text_key!("next.arrives", kind = kind_text(*k), from = from, to = to)
            }
            Traffic::ClientRequest { op } => text_key!(
                "next.request_reaches",
                client = from,
                op = op_text(&op.to_string()),
                to = to
            ),
            Traffic::ClientReply { .. } => text_key!(
                "next.reply_reaches",
                from = from,
                answer = traffic_text(kind),
                client = to
            ),
        },
        NextEvent::Stale => text_key!("next.stale"),
        NextEvent::ClientTimeout { client } => text_key!("next.client_timeout", client = client),
        NextEvent::ClientRetry { client } => text_key!("next.client_retry", client = client),
        NextEvent::ClientThink { client } => text_key!("next.client_think", client = client),
        NextEvent::Scheduled { action } => {
            text_key!("next.scheduled", action = action_text(action))
        }
        NextEvent::DiskDone { node } => text_key!("next.disk_done", node = node),
        NextEvent::ApplyDone { node } => text_key!("next.apply_done", node = node),
    }
}

/// An action in a few words, for narration.
pub fn action_text(a: &raft_sim::Action) -> Text {
    use raft_sim::Action as A;
    match a {
        A::Crash { node } => text_key!("next.action.crash", node = node),
        A::Restart { node } => text_key!("next.action.restart", node = node),
        A::Campaign { node } => text_key!("next.action.campaign", node = node),
        A::DropMessage { id } => text_key!("next.action.drop", id = id),
        A::Heal => text_key!("next.action.heal"),
        A::Isolate { node } => text_key!("next.action.isolate", node = node),
        A::Partition { .. } => text_key!("next.action.partition"),
        A::Cut { from, to } => text_key!("next.action.cut", from = from, to = to),
        A::Mend { from, to } => text_key!("next.action.mend", from = from, to = to),
        A::AddVoter { node } => text_key!("next.action.add_voter", node = node),
        A::AddLearner { node } => text_key!("next.action.add_learner", node = node),
        A::RemoveServer { node } => text_key!("next.action.remove", node = node),
        A::EnterJoint { .. } => text_key!("next.action.joint"),
        A::Transfer { to } => text_key!("next.action.transfer", node = to),
        A::Snapshot { node } => text_key!("next.action.snapshot", node = node),
        A::CrashLeader => text_key!("next.action.crash_leader"),
        A::Reboot { node, down_ms } => {
            text_key!("next.action.reboot", node = node, ms = down_ms)
        }
        A::RebootFollower { down_ms } => text_key!("next.action.reboot_follower", ms = down_ms),
        A::SetNetwork { .. } => text_key!("next.action.network"),
        other => match other.client_op() {
            Some((client, op)) => text_key!(
                "next.action.client_op",
                client = client,
                op = op_text(&op.to_string())
            ),
            None => {
                // The scenario-file name of the action, e.g. `set switch`; in
                // another language, words.
                let json = serde_json::to_value(other).ok();
                let name = json
                    .as_ref()
                    .and_then(|v| v.get("do"))
                    .and_then(|v| v.as_str())
                    .map(|s| s.replace('_', " "));
                match name {
                    Some(name) => Text::Langs(
                        name,
                        crate::i18n::tr(crate::i18n::Lang::Zh, "next.action.other").into(),
                    ),
                    None => text_key!("next.action.other"),
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The text in English, as the tests read it.
    fn en(t: Option<Text>) -> Option<String> {
        t.map(|t| t.render(Lang::En))
    }

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
        assert_eq!(
            en(narrate(&e)).as_deref(),
            Some("S3 became leader for term 4")
        );
        assert_eq!(
            narrate(&e).unwrap().render(Lang::Zh),
            "S3 \u{6210}\u{4e3a}\u{4efb}\u{671f} 4 \u{7684}\u{9886}\u{5bfc}\u{8005}"
        );
        let e = at(
            2,
            Event::RoleChanged {
                role: Role::Candidate,
                term: 5,
                reason: RoleReason::ElectionTimeout,
            },
        );
        assert_eq!(
            en(narrate(&e)).as_deref(),
            Some("S2 timed out and started an election for term 5")
        );
        assert!(narrate(&e)
            .unwrap()
            .render(Lang::Zh)
            .contains("\u{9009}\u{4e3e}\u{8d85}\u{65f6}"));
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
        events[0].t = 1_234_567;
        let why = en(why_line(&events, 2)).unwrap();
        assert!(
            why.starts_with("At 1.234 s: Denied its vote to S1 for term 3"),
            "{why}"
        );
        assert!(why.contains("\u{a7}5.4.1"), "{why}");
        // In Chinese: a vote denied for a log that is behind names the log (日志),
        // the terms (任期) and the section.
        let zh = why_line(&events, 2).unwrap().render(Lang::Zh);
        assert!(
            zh.starts_with("1.234 s")
                && zh.contains("\u{65e5}\u{5fd7}")
                && zh.contains("\u{4efb}\u{671f} 3"),
            "{zh}"
        );
        assert!(zh.contains("\u{a7}5.4.1") && zh.contains("S1"), "{zh}");
        assert_eq!(why_line(&events, 1), None);
        // Other events of the server do not hide its last refusal.
        events.push(CoreEvent {
            t: 1_300_000,
            ..at(2, Event::EntryAppended { index: 3, term: 3 })
        });
        assert!(en(why_line(&events, 2))
            .unwrap()
            .starts_with("At 1.234 s: "));
        // A newer refusal replaces it, with its own time.
        events.push(CoreEvent {
            t: 2_000_500,
            ..at(
                2,
                Event::AppendRejected {
                    leader: 3,
                    prev_log_index: 2,
                    prev_log_term: 3,
                    local_term: Some(1),
                    last_index: 2,
                },
            )
        });
        let why = en(why_line(&events, 2)).unwrap();
        assert!(why.starts_with("At 2.000 s: S2 rejected"), "{why}");
        assert!(why.contains("has term 1 there"), "{why}");
        let zh = why_line(&events, 2).unwrap().render(Lang::Zh);
        assert!(
            zh.contains("AppendEntries") && zh.contains("\u{4efb}\u{671f}\u{662f} 1"),
            "{zh}"
        );
    }

    fn commit(t: u64, node: u64, to: u64) -> CoreEvent {
        CoreEvent {
            t,
            node,
            event: Event::CommitAdvanced { from: to - 1, to },
        }
    }

    #[test]
    fn a_leader_s_commit_is_narrated_once_per_advance_and_followers_are_quiet() {
        let events = vec![
            at(
                2,
                Event::RoleChanged {
                    role: Role::Leader,
                    term: 2,
                    reason: RoleReason::WonElection,
                },
            ),
            at(
                2,
                Event::MatchIndexAdvanced {
                    follower: 1,
                    from: 0,
                    to: 4,
                },
            ),
            commit(5, 2, 4),
            at(1, Event::EntryAppended { index: 4, term: 2 }),
            commit(9, 1, 4),
            at(
                1,
                Event::AppendAccepted {
                    leader: 2,
                    prev_log_index: 3,
                    prev_log_term: 2,
                    entries: 1,
                    match_index: 4,
                },
            ),
            // A server whose role the window does not show is not narrated.
            commit(9, 3, 4),
            commit(12, 2, 5),
        ];
        let said: Vec<String> = narrate_new(&events, 0)
            .into_iter()
            .map(|t| t.render(Lang::En))
            .collect();
        let commits: Vec<&String> = said.iter().filter(|s| s.contains("committed")).collect();
        assert_eq!(
            commits,
            [
                "S2 committed up to index 4 (a majority has it, \u{a7}5.3)",
                "S2 committed up to index 5 (a majority has it, \u{a7}5.3)"
            ]
        );
        assert_eq!(said[0], "S2 became leader for term 2");
        // Only what is new is narrated; the earlier events still tell who leads.
        assert_eq!(
            narrate_new(&events, 7)[0].render(Lang::En),
            commits[1].clone()
        );
        assert!(narrate_new(&events, 99).is_empty());
    }

    fn record(id: u64, kind: Traffic, from: u64, to: u64, fate: MessageFate) -> MessageLife {
        MessageLife {
            id,
            kind,
            from,
            to,
            term: 1,
            success: None,
            req: Some(1),
            sent_at: 0,
            deliver_at: 10,
            fate,
            summary: String::new(),
        }
    }

    #[test]
    fn a_step_says_what_became_visible_and_never_that_a_clock_ticked() {
        use raft_core::MessageKind;
        use raft_sim::journal::Answer;
        let rv = Traffic::Raft(MessageKind::RequestVote);
        let flying = MessageFate::InFlight;
        let lost = MessageFate::Lost {
            t: 0,
            reason: crate::cluster::LossReason::Partition,
        };
        let sent: Vec<MessageLife> = [(1, flying), (3, lost), (4, flying)]
            .into_iter()
            .map(|(to, fate)| record(to, rv.clone(), 2, to, fate))
            .collect();
        let step = |what, sent: &[MessageLife]| Stepped {
            what,
            visible: true,
            events: 3,
            sent: sent.to_vec(),
        };
        assert_eq!(
            step_text(Some(&step(NextEvent::Tick { node: 2 }, &sent))).render(Lang::En),
            "Step: S2 sends RequestVote to S1, S3 (lost) and S4"
        );
        assert_eq!(
            step_text(Some(&step(NextEvent::Tick { node: 2 }, &[]))).render(Lang::En),
            "Step: S2's timer runs out"
        );
        let arrival = NextEvent::Arrival {
            id: 9,
            kind: Traffic::Raft(MessageKind::AppendEntries),
            from: 1,
            to: 2,
        };
        let reply = record(
            10,
            Traffic::Raft(MessageKind::AppendEntriesResponse),
            2,
            1,
            flying,
        );
        assert_eq!(
            step_text(Some(&step(arrival.clone(), &[reply]))).render(Lang::En),
            "Step: AppendEntries S1\u{2192}S2 arrives; S2 sends AppendEntriesResponse to S1"
        );
        let answer = record(
            11,
            Traffic::ClientReply {
                answer: Answer::Redirect {
                    leader_hint: Some(3),
                },
            },
            2,
            1,
            flying,
        );
        assert_eq!(
            sent_text(&[answer]).unwrap().render(Lang::En),
            "S2 answers client 1 (not leader, try S3)"
        );
        assert_eq!(
            step_text(None).render(Lang::En),
            "Step: nothing is left to happen",
            "a dead run"
        );
        let quiet = Stepped {
            visible: false,
            ..step(NextEvent::Tick { node: 2 }, &[])
        };
        assert!(step_text(Some(&quiet))
            .render(Lang::En)
            .contains("nothing visible"));
        for s in [&step(NextEvent::Tick { node: 2 }, &sent), &quiet] {
            let said = step_text(Some(s)).render(Lang::En);
            assert!(!said.contains("tick"), "{said}");
        }
    }

    mod playground {
        use super::super::super::clock::DEFAULT_SPEED_POS;
        use super::super::super::keys::{KeyCommand, ServerAction};
        use super::super::super::playground::{Msg, Playground};
        use crate::cluster::{Setup, DEFAULT_NODES};
        use raft_core::{MessageKind, Role};

        fn activity(pg: &Playground) -> Vec<String> {
            pg.frame().activity.iter().map(|a| a.text.clone()).collect()
        }

        fn paused(nodes: usize) -> Playground {
            Playground::new(Setup::new(1, nodes), DEFAULT_SPEED_POS, false)
        }

        /// Plays at real time (speed position 0) in 16 ms frames until `done`.
        fn play_until(pg: &mut Playground, limit_us: u64, done: impl Fn(&Playground) -> bool) {
            if !pg.frame().playing {
                pg.update(Msg::TogglePlay);
            }
            pg.update(Msg::SetSpeed(0));
            let mut wall = 0.0;
            while !done(pg) {
                wall += 16.0;
                pg.update(Msg::Frame(wall));
                assert!(pg.now_us() < limit_us, "not within {limit_us} \u{b5}s");
            }
        }

        fn leader(pg: &Playground) -> Option<u64> {
            let view = pg.sim.view();
            let n = view
                .nodes
                .iter()
                .find(|n| n.alive && n.role == Role::Leader)?;
            Some(n.id)
        }

        #[test]
        fn step_from_a_fresh_run_reaches_the_first_request_vote_in_one_press() {
            let mut pg = paused(DEFAULT_NODES);
            pg.update(Msg::Step);
            let view = pg.sim.view();
            assert!(
                view.messages
                    .iter()
                    .any(|m| m.kind == MessageKind::RequestVote),
                "{:?}",
                view.messages
            );
            let said = activity(&pg);
            assert!(said.iter().all(|l| !l.contains("clock ticks")), "{said:#?}");
            let last = pg.frame().narration().to_string();
            assert!(
                last.starts_with("Step: S") && last.contains("sends RequestVote to"),
                "{last}"
            );
            assert!(
                said.iter().any(|l| l.contains("started an election")),
                "{said:#?}"
            );
            assert!(!pg.frame().playing);
        }

        #[test]
        fn consecutive_steps_each_change_something_visible() {
            let mut pg = paused(DEFAULT_NODES);
            // Every line said, though the list keeps only the newest.
            let (mut said, mut seen) = (Vec::new(), 0);
            for i in 0..120 {
                let before = pg.sim.world().glance();
                let t = pg.now_us();
                pg.update(Msg::Key(KeyCommand::Step));
                assert_ne!(pg.sim.world().glance(), before, "step {i}");
                assert!(pg.now_us() >= t);
                let last = pg.frame().narration().to_string();
                assert!(
                    last.starts_with("Step: ") && !last.contains("clock ticks"),
                    "{last}"
                );
                let f = pg.frame();
                said.extend(
                    f.activity
                        .iter()
                        .filter(|a| a.id > seen)
                        .map(|a| a.text.clone()),
                );
                seen = f.activity.last().map_or(seen, |a| a.id);
            }
            assert!(leader(&pg).is_some(), "an election within 120 steps");
            assert!(said.iter().all(|l| !l.contains("clock ticks")), "{said:#?}");
            assert!(
                said.iter().any(|l| l.contains("committed up to index 1")),
                "the leader's no-op commit: {said:#?}"
            );
        }

        #[test]
        fn step_tick_still_processes_exactly_one_event() {
            let mut pg = paused(3);
            let events = pg.sim.world().events_processed();
            pg.update(Msg::Key(KeyCommand::StepTick));
            assert_eq!(pg.sim.world().events_processed(), events + 1);
            let last = pg.frame().narration().to_string();
            assert!(last.starts_with("One event: S"), "{last}");
            assert!(last.ends_with("'s clock ticks"), "{last}");
            pg.update(Msg::StepTick);
            assert_eq!(pg.sim.world().events_processed(), events + 2);
        }

        #[test]
        fn a_played_run_narrates_the_leader_s_commits_once_each() {
            let mut pg = paused(DEFAULT_NODES);
            play_until(&mut pg, 5_000_000, |pg| leader(pg).is_some());
            let l = leader(&pg).unwrap();
            pg.update(Msg::Server(ServerAction::Request, l));
            pg.update(Msg::Server(ServerAction::Request, l));
            let t = pg.now_us();
            play_until(&mut pg, t + 2_000_000, |pg| pg.now_us() > t + 500_000);
            let commits: Vec<String> = activity(&pg)
                .into_iter()
                .filter(|l| l.contains("committed up to index"))
                .collect();
            assert!(!commits.is_empty());
            let prefix = format!("S{l} committed up to index ");
            assert!(
                commits.iter().all(|c| c.starts_with(&prefix)),
                "{commits:#?}"
            );
            let mut sorted = commits.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(
                sorted.len(),
                commits.len(),
                "once per advance: {commits:#?}"
            );
            let commit = pg.sim.view().nodes[l as usize - 1].commit;
            assert!(
                commits
                    .last()
                    .is_some_and(|c| c.starts_with(&format!("{prefix}{commit} "))),
                "{commits:#?}"
            );
        }

        #[test]
        fn the_activity_list_and_the_notice_follow_a_language_switch() {
            use crate::i18n::Lang;
            let mut pg = paused(DEFAULT_NODES);
            play_until(&mut pg, 5_000_000, |pg| leader(pg).is_some());
            pg.update(Msg::Server(ServerAction::Crash, 2));
            pg.update(Msg::Server(ServerAction::Crash, 2));
            let en = pg.frame();
            assert_eq!(en.narration(), "You crashed S2");
            assert!(en
                .notice
                .as_deref()
                .is_some_and(|n| n.starts_with("Could not do that")));
            pg.update(Msg::SetLang(Lang::Zh));
            let zh = pg.frame();
            assert_eq!(
                zh.narration(),
                "\u{4f60}\u{8ba9} S2 \u{5d29}\u{6e83}\u{4e86}"
            );
            // Every line is said again in Chinese, the same lines in the same order.
            assert_eq!(zh.activity.len(), en.activity.len());
            for (z, e) in zh.activity.iter().zip(en.activity.iter()) {
                assert_eq!((z.id, z.t_us), (e.id, e.t_us));
                assert_ne!(z.text, e.text);
            }
            assert!(
                zh.activity
                    .iter()
                    .any(|a| a.text.contains("\u{9886}\u{5bfc}\u{8005}")),
                "{:#?}",
                zh.activity
            );
            // Why the second crash was refused, in Chinese too.
            let notice = zh.notice.clone().unwrap();
            assert!(
                notice.starts_with("\u{65e0}\u{6cd5}\u{6267}\u{884c}")
                    && notice.contains("S2 \u{5df2}\u{7ecf}\u{5d29}\u{6e83}"),
                "{notice}"
            );
            pg.update(Msg::SetLang(Lang::En));
            assert_eq!(pg.frame().activity, en.activity);
        }

        #[test]
        fn the_user_s_own_actions_are_narrated() {
            let mut pg = paused(DEFAULT_NODES);
            play_until(&mut pg, 5_000_000, |pg| leader(pg).is_some());
            let last = |pg: &Playground| pg.frame().narration().to_string();
            pg.update(Msg::Server(ServerAction::Crash, 2));
            assert_eq!(last(&pg), "You crashed S2");
            pg.update(Msg::Server(ServerAction::Restart, 2));
            assert_eq!(last(&pg), "You restarted S2");
            pg.update(Msg::Server(ServerAction::Isolate, 3));
            assert_eq!(last(&pg), "You cut S3 off from the network");
            pg.update(Msg::Heal);
            assert_eq!(last(&pg), "You healed the network");
            pg.update(Msg::SetGroup(4, crate::view_model::interaction::Group::B));
            pg.update(Msg::SetGroup(5, crate::view_model::interaction::Group::B));
            pg.update(Msg::Split);
            assert_eq!(last(&pg), "You split the network: {S1 S2 S3} | {S4 S5}");
            let t = pg.now_us();
            play_until(&mut pg, t + 1_000_000, |pg| {
                !pg.sim.view().messages.is_empty()
            });
            let m = pg.sim.view().messages[0].clone();
            pg.update(Msg::DropMessage(m.id));
            assert_eq!(
                last(&pg),
                format!("You dropped {} S{}\u{2192}S{}", m.kind, m.from, m.to)
            );
        }
    }
}

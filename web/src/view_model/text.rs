//! Words kept as what they mean until they are drawn. A [`Text`] is a key of
//! the string tables (`crate::i18n`) with the values of its `{placeholders}`,
//! so what the page keeps (the activity list, the notice, the banner) is
//! written in the page's language each time a frame is drawn, and reads in
//! the new language right after a switch.
//!
//! Build one with `text_key!("narrate.leader", node = 3, term = 4)` (the macro
//! is declared in `view_model.rs`); any value that can be displayed becomes a
//! [`Text::Plain`], the same in every language.

use std::fmt::Display;

use crate::i18n::{fill, tr, trf, Lang};

/// A sentence or a part of one, in no language yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    /// A key of the tables and the values of its `{placeholders}`.
    Key(&'static str, Vec<(&'static str, Text)>),
    /// The same in every language: a name (`S3`), a number, a notation
    /// (`put x=1`), or what the simulator said (its errors are in English).
    Plain(String),
    /// A list: `a`, `a and b`, `a, b and c` (`a、b 和 c`).
    List(Vec<Text>),
    /// Items one after another, with the text of a separator key between them.
    Join(Vec<Text>, &'static str),
    /// A text given in each language (a scenario file's title): English, Chinese.
    Langs(String, String),
}

impl Text {
    /// The text shown as it is, in every language.
    pub fn plain(text: impl Into<String>) -> Text {
        Text::Plain(text.into())
    }

    /// A scenario file's text, in each language it has (else in English).
    pub fn localized(text: &raft_sim::scenario::Localized) -> Text {
        Text::Langs(text.text("en").into(), text.text("zh").into())
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Text::Key(key, args) => {
                debug_assert!(tr(Lang::En, key) != *key, "{key}: not in the string tables");
                let values: Vec<(&str, String)> =
                    args.iter().map(|(n, t)| (*n, t.render(lang))).collect();
                let refs: Vec<(&str, &dyn Display)> = values
                    .iter()
                    .map(|(n, v)| (*n, v as &dyn Display))
                    .collect();
                fill(tr(lang, key), &refs)
            }
            Text::Plain(s) => s.clone(),
            Text::List(items) => {
                let items: Vec<String> = items.iter().map(|t| t.render(lang)).collect();
                match items.as_slice() {
                    [] => String::new(),
                    [one] => one.clone(),
                    [rest @ .., last] => fill(
                        tr(lang, "list.and"),
                        &[("rest", &rest.join(tr(lang, "list.sep"))), ("last", last)],
                    ),
                }
            }
            Text::Join(items, sep) => items
                .iter()
                .map(|t| t.render(lang))
                .collect::<Vec<_>>()
                .join(tr(lang, sep)),
            Text::Langs(en, zh) => match lang {
                Lang::En => en.clone(),
                Lang::Zh => zh.clone(),
            },
        }
    }
}

/// Any value that can be displayed is a [`Text::Plain`].
impl<T: Display> From<T> for Text {
    fn from(value: T) -> Text {
        Text::Plain(value.to_string())
    }
}

/// The name of a role, in words (`leader`, `领导者`).
pub fn role_text(role: raft_core::Role) -> Text {
    use raft_core::Role;
    match role {
        Role::Leader => text_key!("role.leader"),
        Role::Candidate => text_key!("role.candidate"),
        Role::PreCandidate => text_key!("role.precandidate"),
        Role::Follower => text_key!("role.follower"),
    }
}

/// A message kind by name: the RPC names (`AppendEntries`, `RequestVote`, ...)
/// are the same in every language; a heartbeat (an AppendEntries without
/// entries) is said in words.
pub fn kind_text(kind: raft_core::MessageKind) -> Text {
    match kind {
        raft_core::MessageKind::Heartbeat => text_key!("message.heartbeat"),
        k => Text::plain(k.as_str()),
    }
}

/// A message in raft-core's notation (`1->2 AppendEntries Term:8 Log:6/9
/// Commit:9 Entries:[8/10 noop]`) with its labels in `lang`: the numbers,
/// the arrows and the RPC names stay.
pub fn summary_text(summary: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return summary.to_string();
    }
    // Each label of the notation and its key.
    const LABELS: [(&str, &str); 18] = [
        ("Heartbeat", "message.heartbeat"),
        ("Term:", "summary.term"),
        ("Log:", "summary.log"),
        ("Commit:", "summary.commit"),
        ("Entries:", "summary.entries"),
        ("Index:", "summary.index"),
        ("Last:", "summary.last"),
        ("Hint:", "summary.hint"),
        ("Snapshot:", "summary.snapshot"),
        ("Config:", "summary.config"),
        ("Ok", "summary.ok"),
        ("Rejected", "summary.rejected"),
        ("Granted", "summary.granted"),
        ("Transfer", "summary.transfer"),
        ("noop", "summary.noop"),
        ("cmd(", "summary.cmd"),
        ("conf", "summary.conf"),
        ("learners=", "summary.learners"),
    ];
    summary
        .split(' ')
        .map(|word| {
            let (open, rest) = match word.strip_prefix('[') {
                Some(rest) => ("[", rest),
                None => ("", word),
            };
            let translated = LABELS.iter().find_map(|(label, key)| {
                let tail = rest.strip_prefix(label)?;
                // A whole word, or a label followed by its value.
                (label.ends_with([':', '(', '='])
                    || *label == "conf"
                    || tail.is_empty()
                    || tail == "]")
                    .then(|| format!("{}{tail}", tr(lang, key)))
            });
            match translated {
                Some(t) => format!("{open}{t}"),
                None => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_lists_and_joins_render_in_either_language() {
        let t = text_key!("role.leader");
        assert_eq!(t.render(Lang::En), "leader");
        assert_eq!(t.render(Lang::Zh), "\u{9886}\u{5bfc}\u{8005}");
        let list = Text::List(vec!["S1".into(), "S2".into(), "S3".into()]);
        assert_eq!(list.render(Lang::En), "S1, S2 and S3");
        assert_eq!(list.render(Lang::Zh), "S1\u{3001}S2 \u{548c} S3");
        assert_eq!(Text::List(vec!["S1".into()]).render(Lang::Zh), "S1");
        assert_eq!(Text::List(Vec::new()).render(Lang::En), "");
        let join = Text::Join(vec![Text::plain("a"), 7.into()], "list.semicolon");
        assert_eq!(join.render(Lang::En), "a; 7");
        assert_eq!(join.render(Lang::Zh), "a\u{ff1b}7");
        // Values are texts too: a role inside a sentence follows the language.
        let nested = text_key!("narrate.leader", node = 3, term = 4);
        assert_eq!(nested.render(Lang::En), "S3 became leader for term 4");
        assert!(nested.render(Lang::Zh).contains("\u{4efb}\u{671f} 4"));
    }

    #[test]
    fn message_notation_keeps_its_numbers_and_says_its_labels() {
        let s = "1->2 AppendEntries Term:8 Log:6/9 Commit:9 Entries:[8/10 noop 8/11 cmd(1.2)]";
        assert_eq!(summary_text(s, Lang::En), s);
        let zh = summary_text(s, Lang::Zh);
        assert!(zh.starts_with("1->2 AppendEntries "), "{zh}");
        for n in ["8", "6/9", "9", "8/10", "1.2"] {
            assert!(zh.contains(n), "{zh}");
        }
        let words: Vec<&str> = zh
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() > 1)
            .collect();
        assert_eq!(words, ["AppendEntries"], "{zh}");
        let hb = summary_text("3->1 Heartbeat Term:3 Log:3/3 Commit:3", Lang::Zh);
        assert!(!hb.contains("Heartbeat"), "{hb}");
        let reply = summary_text(
            "2->3 AppendEntriesResponse Term:3 Rejected Index:4 Last:2 Hint:1/2",
            Lang::Zh,
        );
        assert!(
            reply.starts_with("2->3 AppendEntriesResponse ") && !reply.contains("Rejected"),
            "{reply}"
        );
        assert_eq!(
            kind_text(raft_core::MessageKind::Heartbeat).render(Lang::En),
            "Heartbeat"
        );
        assert_eq!(
            kind_text(raft_core::MessageKind::TimeoutNow).render(Lang::Zh),
            "TimeoutNow"
        );
    }
}

/// Why the world refused an action: its English sentence (with what was being
/// done), and the page's Chinese for the refusal itself (the person knows what
/// they asked for).
pub fn action_error_text(e: &raft_sim::ActionError) -> Text {
    use raft_sim::ActionError as E;
    let zh = Lang::Zh;
    let reason = match e.reason() {
        E::NoServer { node } => trf(zh, "refusal.no_server", &[("node", node)]),
        E::NoMessage { id } => trf(zh, "refusal.no_message", &[("id", id)]),
        E::NotHeld { id } => trf(zh, "refusal.not_held", &[("id", id)]),
        E::Crashed { node } => trf(zh, "refusal.crashed", &[("node", node)]),
        E::AlreadyCrashed { node } => trf(zh, "refusal.already_crashed", &[("node", node)]),
        E::Running { node } => trf(zh, "refusal.running", &[("node", node)]),
        E::NoLeader => tr(zh, "refusal.no_leader").to_string(),
        E::NoFollower => tr(zh, "refusal.no_follower").to_string(),
        E::NothingToCompact { snapshot_index } => trf(
            zh,
            "refusal.nothing_to_compact",
            &[("index", snapshot_index)],
        ),
        E::Refused(p) => propose_error_zh(p),
        E::Network { field, .. } => {
            let setting = match *field {
                "loss_pct" => tr(zh, "refusal.net.loss"),
                "dup_pct" => tr(zh, "refusal.net.dup"),
                "reorder_pct" | "reorder_max_us" => tr(zh, "refusal.net.reorder"),
                _ => tr(zh, "refusal.net.latency"),
            };
            trf(zh, "refusal.network", &[("field", &setting)])
        }
        E::LatencyOrder { .. } => tr(zh, "refusal.latency_order").to_string(),
        E::Disk { .. } => tr(zh, "refusal.disk").to_string(),
        E::TimeRange { ms, .. } => trf(zh, "refusal.time_range", &[("ms", ms)]),
        E::Config(_) | E::While { .. } => tr(zh, "refusal.config").to_string(),
    };
    Text::Langs(e.to_string(), reason)
}

/// raft-core's refusal of a proposal, a transfer or a change, in Chinese.
fn propose_error_zh(e: &raft_core::ProposeError) -> String {
    use raft_core::{ConfChangeError as C, ProposeError as P};
    let zh = Lang::Zh;
    match e {
        P::NotLeader {
            leader_hint: Some(l),
        } => trf(zh, "refusal.not_leader_try", &[("leader", l)]),
        P::NotLeader { leader_hint: None } => tr(zh, "refusal.not_leader").to_string(),
        P::TransferInProgress => tr(zh, "refusal.transfer_in_progress").to_string(),
        P::ConfChangePending => tr(zh, "refusal.conf_change_pending").to_string(),
        P::NotCommittedInTerm => tr(zh, "refusal.not_committed_in_term").to_string(),
        P::NotVoter(id) => trf(zh, "refusal.not_voter", &[("node", id)]),
        P::InvalidConfChange(c) => match c {
            C::InJoint => tr(zh, "refusal.in_joint").to_string(),
            C::NotInJoint => tr(zh, "refusal.not_in_joint").to_string(),
            C::AlreadyVoter(id) => trf(zh, "refusal.already_voter", &[("node", id)]),
            C::AlreadyMember(id) => trf(zh, "refusal.already_member", &[("node", id)]),
            C::NotMember(id) => trf(zh, "refusal.not_member", &[("node", id)]),
            C::NoVoters => tr(zh, "refusal.no_voters").to_string(),
            C::VoterAndLearner(id) => trf(zh, "refusal.voter_and_learner", &[("node", id)]),
            C::ZeroId => tr(zh, "refusal.zero_id").to_string(),
        },
    }
}

/// Why a scenario file could not be read: its English sentence, and in Chinese
/// where (file, line, column, field) with the parser's own words for what.
pub fn scenario_error_text(e: &raft_sim::scenario::ScenarioError) -> Text {
    let zh = Lang::Zh;
    let mut at = if e.line > 0 {
        trf(
            zh,
            "file.at_line",
            &[("file", &e.file), ("line", &e.line), ("column", &e.column)],
        )
    } else {
        e.file.clone()
    };
    if !e.path.is_empty() && e.path != "." {
        at.push_str(&trf(zh, "file.field", &[("field", &e.path)]));
    }
    Text::Langs(
        e.to_string(),
        trf(zh, "file.error", &[("at", &at), ("message", &e.message)]),
    )
}

#[cfg(test)]
mod refusal_tests {
    use super::*;
    use raft_core::{ConfChangeError as C, ProposeError as P};
    use raft_sim::ActionError as E;

    #[test]
    fn every_refusal_is_said_in_chinese_and_keeps_its_english() {
        let refusals = [
            E::NoServer { node: 4 },
            E::NoMessage { id: 9 },
            E::Crashed { node: 2 },
            E::AlreadyCrashed { node: 2 },
            E::Running { node: 3 },
            E::NoLeader,
            E::NoFollower,
            E::NothingToCompact { snapshot_index: 5 },
            E::Network {
                field: "loss_pct",
                why: "at most 100".into(),
            },
            E::LatencyOrder {
                min_us: 5,
                max_us: 1,
            },
            E::Config("bad".into()),
            E::Refused(P::NotLeader {
                leader_hint: Some(3),
            }),
            E::Refused(P::NotLeader { leader_hint: None }),
            E::Refused(P::TransferInProgress),
            E::Refused(P::ConfChangePending),
            E::Refused(P::NotCommittedInTerm),
            E::Refused(P::NotVoter(7)),
            E::Refused(P::InvalidConfChange(C::InJoint)),
            E::Refused(P::InvalidConfChange(C::NotInJoint)),
            E::Refused(P::InvalidConfChange(C::AlreadyVoter(1))),
            E::Refused(P::InvalidConfChange(C::AlreadyMember(1))),
            E::Refused(P::InvalidConfChange(C::NotMember(8))),
            E::Refused(P::InvalidConfChange(C::NoVoters)),
            E::Refused(P::InvalidConfChange(C::VoterAndLearner(2))),
            E::Refused(P::InvalidConfChange(C::ZeroId)),
        ];
        for r in refusals {
            let wrapped = E::While {
                what: "transfer to S3".into(),
                error: Box::new(r.clone()),
            };
            let text = action_error_text(&wrapped);
            assert_eq!(text.render(Lang::En), format!("transfer to S3: {r}"));
            let zh = text.render(Lang::Zh);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{r}: {zh}"
            );
            let words: Vec<&str> = zh
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() > 1)
                .collect();
            assert!(words.is_empty(), "{r}: {zh}");
        }
    }
}

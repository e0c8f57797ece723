//! The inspector: the selected server's state (Figure 2) and why it last said no.

use super::keys::ServerAction;
use super::narrate;
use crate::cluster::WorldView;
use crate::i18n::{tr, trf, Lang};

/// One follower as the leader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressRow {
    pub follower: u64,
    pub next_index: u64,
    pub match_index: u64,
    /// How the leader replicates to it (probe, replicate, snapshot), in words.
    pub state: &'static str,
}

/// A follower's replication state in `lang` (raft-core's `probe`,
/// `replicate`, `snapshot`).
pub fn progress_state_text(state: &'static str, lang: Lang) -> &'static str {
    match state {
        "probe" => tr(lang, "inspector.progress.probe"),
        "replicate" => tr(lang, "inspector.progress.replicate"),
        "snapshot" => tr(lang, "inspector.progress.snapshot"),
        other => other,
    }
}

/// The selected server's state (Figure 2) and why it last said no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectorDraw {
    pub id: u64,
    pub role: raft_core::Role,
    pub alive: bool,
    pub current_term: u64,
    pub voted_for: String,
    pub leader: String,
    pub commit_index: u64,
    pub last_applied: u64,
    pub snapshot_index: u64,
    /// `index:term` of the newest entries, oldest first.
    pub log: String,
    pub progress: Vec<ProgressRow>,
    pub configuration: String,
    pub timer: String,
    pub why: Option<String>,
    /// Which menu items apply now (same order as [`ServerAction::ALL`]).
    pub actions: Vec<(ServerAction, bool)>,
}

/// Entries listed in the inspector; older ones are summarised.
const INSPECTOR_ENTRIES: usize = 12;

impl InspectorDraw {
    pub fn new(view: &WorldView, id: u64, lang: Lang) -> Option<InspectorDraw> {
        let n = view.nodes.iter().find(|n| n.id == id)?;
        let shown = n.log.len().saturating_sub(INSPECTOR_ENTRIES);
        let mut log: Vec<String> = n.log[shown..]
            .iter()
            .map(|e| format!("{}:{}", e.index, e.term))
            .collect();
        if shown > 0 || n.snapshot_index > 0 {
            log.insert(0, "\u{2026}".into());
        }
        let who = |s: Option<u64>| {
            s.map_or_else(
                || tr(lang, "inspector.nobody").to_string(),
                |s| format!("S{s}"),
            )
        };
        Some(InspectorDraw {
            id,
            role: n.role,
            alive: n.alive,
            current_term: n.term,
            voted_for: who(n.voted_for),
            leader: who(n.leader_id),
            commit_index: n.commit,
            last_applied: n.last_applied,
            snapshot_index: n.snapshot_index,
            log: if log.is_empty() {
                tr(lang, "inspector.log_empty").into()
            } else {
                log.join(" ")
            },
            progress: n
                .progress
                .iter()
                .map(|p| ProgressRow {
                    follower: p.follower,
                    next_index: p.next_index,
                    match_index: p.match_index,
                    state: progress_state_text(p.state, lang),
                })
                .collect(),
            configuration: super::text::summary_text(&n.configuration, lang),
            timer: match n.timer {
                Some((elapsed, timeout)) if n.alive && n.role != raft_core::Role::Leader => trf(
                    lang,
                    "inspector.timer",
                    &[("elapsed", &elapsed), ("timeout", &timeout)],
                ),
                _ => "\u{2014}".into(),
            },
            why: narrate::why_line(&view.events, id).map(|t| t.render(lang)),
            actions: ServerAction::ALL
                .into_iter()
                .map(|a| (a, a.applies(n.alive)))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Setup, Sim};

    /// The "why" line says when the refusal happened, and a newer refusal
    /// replaces it (the backtracking example: S2 rejects S1's AppendEntries
    /// twice, first for a log too short, then for a term that differs).
    #[test]
    fn the_why_line_is_timed_and_the_newest_refusal_replaces_it() {
        let mut sim = Sim::try_new(Setup::scenario(1, "backtracking")).unwrap();
        let why = |sim: &Sim| InspectorDraw::new(&sim.view(), 2, Lang::En).unwrap().why;
        assert_eq!(why(&sim), None);
        let mut seen: Vec<String> = Vec::new();
        while sim.now_us() < 150_000 {
            sim.step_tick();
            if let Some(w) = why(&sim) {
                if seen.last() != Some(&w) {
                    seen.push(w);
                }
            }
        }
        assert_eq!(seen.len(), 2, "{seen:#?}");
        let at = |w: &str| {
            let t = w.strip_prefix("At ").and_then(|w| w.split_once(" s: "));
            t.expect(w).0.parse::<f64>().expect(w)
        };
        assert!(seen[0].contains("log ends at index 2"), "{}", seen[0]);
        assert!(seen[1].contains("has term 1 there"), "{}", seen[1]);
        assert!(at(&seen[1]) > at(&seen[0]), "{seen:#?}");
        // The time is the refusal's, not the present's.
        let rejected_at = sim
            .view()
            .events
            .iter()
            .rev()
            .find(|e| e.node == 2 && matches!(e.event, raft_core::Event::AppendRejected { .. }))
            .map(|e| e.t)
            .unwrap();
        assert!(seen[1].starts_with(&format!(
            "At {}: ",
            super::super::clock::format_sim_time(rejected_at)
        )));
        assert!(rejected_at < sim.now_us());
        // The same line in Chinese: the time first, the consistency check in words.
        let zh = InspectorDraw::new(&sim.view(), 2, Lang::Zh)
            .unwrap()
            .why
            .unwrap();
        assert!(
            zh.starts_with(&super::super::clock::format_sim_time(rejected_at))
                && zh.contains("\u{4efb}\u{671f}")
                && zh.contains("AppendEntries"),
            "{zh}"
        );
    }
}

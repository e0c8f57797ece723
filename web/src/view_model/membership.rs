//! Membership changes (§6, dissertation §4): the configuration legend, adding
//! a server (single-server change, as voter or learner), removing one, a
//! joint change towards a chosen C_new, and leadership transfer (§3.10).
//! The core decides what is allowed; the page only asks and reports.

use raft_core::Role;
use raft_sim::Action;

use super::keys::ServerAction;
use super::state::Effect;
use super::Playground;
use crate::cluster::{MembershipView, WorldView};
use crate::i18n::{tr, trf, Lang};

/// The "Add server" control's choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddDraft {
    /// `None`: the first candidate.
    pub id: Option<u64>,
    pub learner: bool,
}

/// The membership controls' messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MembershipMsg {
    SetAddId(u64),
    SetAddLearner(bool),
    Add,
    /// Joint change draft: put this server in C_new or not.
    SetJoint(u64, bool),
    EnterJoint,
}

/// Everything the membership controls and the legend draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipDraw {
    /// `joint: C_old {1,2,3} C_new {1,2,3,4}` or `configuration {1,2,3,4,5}`, and whose view it is.
    pub legend: String,
    pub joint: bool,
    /// The configuration's entry is not committed yet.
    pub uncommitted: bool,
    /// Servers that can be added as voters (not voters now), in id order.
    pub candidates: Vec<u64>,
    /// The server "Add server" adds now.
    pub add_id: Option<u64>,
    pub add_learner: bool,
    /// Every server, and whether the joint-change draft puts it in C_new.
    pub joint_draft: Vec<(u64, bool)>,
    pub spares: Vec<u64>,
}

/// `{1,2,3}`.
pub fn id_set(ids: &[u64]) -> String {
    let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
    format!("{{{}}}", ids.join(","))
}

/// The legend line under the ring.
pub fn legend(m: &MembershipView, lang: Lang) -> String {
    let mut text = if m.is_joint() {
        trf(
            lang,
            "membership.legend.joint",
            &[("old", &id_set(&m.outgoing)), ("new", &id_set(&m.voters))],
        )
    } else {
        trf(
            lang,
            "membership.legend.plain",
            &[("voters", &id_set(&m.voters))],
        )
    };
    if !m.learners.is_empty() {
        text.push_str(&trf(
            lang,
            "membership.legend.learners",
            &[("learners", &id_set(&m.learners))],
        ));
    }
    if m.uncommitted {
        text.push_str(tr(lang, "membership.legend.uncommitted"));
    }
    match (m.seen_by, m.seen_by_leader) {
        (Some(id), true) => {
            text.push_str(&trf(lang, "membership.legend.as_leader", &[("node", &id)]))
        }
        (Some(id), false) => {
            text.push_str(&trf(lang, "membership.legend.as_server", &[("node", &id)]))
        }
        (None, _) => {}
    }
    text
}

impl MembershipDraw {
    /// `servers`: every server id, spares included.
    pub fn new(
        m: &MembershipView,
        servers: &[u64],
        add: AddDraft,
        joint_draft: Option<&[u64]>,
        lang: Lang,
    ) -> MembershipDraw {
        let candidates: Vec<u64> = servers
            .iter()
            .copied()
            .filter(|&id| !m.voters.contains(&id))
            .collect();
        let add_id = add
            .id
            .filter(|id| candidates.contains(id))
            .or_else(|| candidates.first().copied());
        let draft = joint_draft.unwrap_or(&m.voters);
        MembershipDraw {
            legend: legend(m, lang),
            joint: m.is_joint(),
            uncommitted: m.uncommitted,
            candidates,
            add_id,
            add_learner: add.learner,
            joint_draft: servers
                .iter()
                .map(|&id| (id, draft.contains(&id)))
                .collect(),
            spares: m.spares.clone(),
        }
    }
}

/// Turns off the menu items that cannot apply to this server's membership:
/// only a member can be removed, only a voter other than the leader can take over.
pub fn gate_actions(id: u64, role: Role, actions: &mut [(ServerAction, bool)], m: &MembershipView) {
    for (a, enabled) in actions {
        match a {
            ServerAction::Remove => *enabled &= m.contains(id),
            ServerAction::Transfer => *enabled &= m.is_voter(id) && role != Role::Leader,
            _ => {}
        }
    }
}

impl Playground {
    /// The controls for `view` (which leaves the spares out) and `m`.
    pub(super) fn membership_draw(&self, view: &WorldView, m: &MembershipView) -> MembershipDraw {
        let mut ids: Vec<u64> = view.nodes.iter().map(|n| n.id).collect();
        ids.extend(m.spares.iter().copied());
        ids.sort_unstable();
        MembershipDraw::new(
            m,
            &ids,
            self.forms.add,
            self.forms.joint.as_deref(),
            self.prefs.lang,
        )
    }

    /// The membership controls' reducer.
    pub(super) fn membership_update(&mut self, msg: MembershipMsg) -> Vec<Effect> {
        let m = self.sim.membership();
        match msg {
            MembershipMsg::SetAddId(id) => self.forms.add.id = Some(id),
            MembershipMsg::SetAddLearner(on) => self.forms.add.learner = on,
            MembershipMsg::Add => {
                let d = self.membership_draw(&self.sim.view(), &m);
                let Some(id) = d.add_id else {
                    return vec![Effect::Notice(text_key!("membership.notice.all_voters"))];
                };
                let (action, text) = if d.add_learner {
                    (
                        Action::AddLearner { node: id },
                        text_key!("membership.said.add_learner", node = id),
                    )
                } else {
                    (
                        Action::AddVoter { node: id },
                        text_key!("membership.said.add_voter", node = id),
                    )
                };
                return vec![Effect::act(action, text)];
            }
            MembershipMsg::SetJoint(id, on) => {
                let mut draft = self.forms.joint.clone().unwrap_or(m.voters.clone());
                draft.retain(|&x| x != id);
                if on {
                    draft.push(id);
                    draft.sort_unstable();
                }
                self.forms.joint = Some(draft);
            }
            MembershipMsg::EnterJoint => {
                let voters = self.forms.joint.clone().unwrap_or(m.voters.clone());
                if voters.is_empty() {
                    return vec![Effect::Notice(text_key!("membership.notice.empty_c_new"))];
                }
                // Learners stay learners unless they become voters.
                let learners: Vec<u64> = m
                    .learners
                    .iter()
                    .copied()
                    .filter(|id| !voters.contains(id))
                    .collect();
                let text = text_key!(
                    "membership.said.joint",
                    old = id_set(&m.voters),
                    new = id_set(&voters)
                );
                // The draft is done with once sent (a refusal says why in the notice).
                self.forms.joint = None;
                return vec![Effect::act(Action::EnterJoint { voters, learners }, text)];
            }
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::kv::tests::{leader, play_until, playground, settled};
    use crate::view_model::{Frame, Msg};

    fn config(f: &Frame, id: u64) -> Option<&'static str> {
        f.ring.nodes.iter().find(|n| n.id == id).map(|n| n.config)
    }

    #[test]
    fn add_a_spare_then_remove_a_server_then_transfer_leadership() {
        let mut pg = playground(5);
        let l = settled(&mut pg);
        let f = pg.frame();
        assert_eq!(f.ring.nodes.len(), 5);
        let spares: Vec<u64> = f.ring.spares.iter().map(|s| s.id).collect();
        assert_eq!(spares, [6, 7, 8, 9]);
        assert_eq!(f.membership.add_id, Some(6));
        assert!(
            f.membership.legend.starts_with("configuration {1,2,3,4,5}"),
            "{}",
            f.membership.legend
        );
        pg.update(Msg::Membership(MembershipMsg::Add));
        let f = pg.frame();
        assert!(
            f.narration().contains("add S6 as a voter"),
            "{}",
            f.narration()
        );
        assert_eq!(config(&f, 6), Some("voter"));
        assert_eq!(f.ring.spares.len(), 3);
        let f = play_until(&mut pg, 2_000_000, |f| {
            let rows = &f.logs.rows;
            let s6 = rows.iter().find(|r| r.node_id == 6);
            let lead = rows.iter().find(|r| r.node_id == l).unwrap();
            s6.is_some_and(|r| r.cells.len() == lead.cells.len() && r.commit == lead.commit)
        });
        assert!(f
            .membership
            .legend
            .starts_with("configuration {1,2,3,4,5,6}"));
        assert_eq!(f.membership.add_id, Some(7));
        // Remove a follower: it stays drawn, outside the configuration.
        let gone = if l == 2 { 3 } else { 2 };
        pg.update(Msg::Server(ServerAction::Remove, gone));
        let f = play_until(&mut pg, 1_000_000, |f| config(f, gone) == Some("none"));
        let rest: Vec<u64> = (1..=6).filter(|&id| id != gone).collect();
        let want = format!("configuration {}", id_set(&rest));
        assert!(
            f.membership.legend.starts_with(&want),
            "{}",
            f.membership.legend
        );
        pg.update(Msg::Select(gone));
        let i = pg.frame().inspector.unwrap();
        assert!(
            i.actions.contains(&(ServerAction::Remove, false)),
            "{:?}",
            i.actions
        );
        assert!(i.actions.contains(&(ServerAction::Transfer, false)));
        // Transfer to S6, the newcomer.
        pg.update(Msg::Select(l));
        let i = pg.frame().inspector.unwrap();
        assert!(
            i.actions.contains(&(ServerAction::Transfer, false)),
            "not to itself"
        );
        assert!(i.actions.contains(&(ServerAction::Remove, true)));
        let f = play_until(&mut pg, 1_000_000, |f| {
            f.membership.legend.contains("configuration") && !f.membership.uncommitted
        });
        assert!(f.violation.is_none());
        pg.update(Msg::Server(ServerAction::Transfer, 6));
        assert!(pg.frame().notice.is_none(), "{:?}", pg.frame().notice);
        let f = play_until(&mut pg, 2_000_000, |f| leader(f) == Some(6));
        assert!(f
            .activity
            .iter()
            .any(|a| a.text.contains("hand leadership to S6")));
    }

    #[test]
    fn a_joint_change_shows_c_old_and_c_new_then_leaves_joint() {
        let mut pg = playground(3);
        let l = settled(&mut pg);
        let out = if l == 3 { 2 } else { 3 };
        pg.update(Msg::Membership(MembershipMsg::SetJoint(out, false)));
        pg.update(Msg::Membership(MembershipMsg::SetJoint(4, true)));
        pg.update(Msg::Membership(MembershipMsg::SetJoint(5, true)));
        let ticked: Vec<u64> = pg
            .frame()
            .membership
            .joint_draft
            .iter()
            .filter(|j| j.1)
            .map(|j| j.0)
            .collect();
        let mut want = vec![1, 2, 3, 4, 5];
        want.retain(|&x| x != out);
        assert_eq!(ticked, want);
        pg.update(Msg::Membership(MembershipMsg::EnterJoint));
        let f = pg.frame();
        assert!(f.notice.is_none(), "{:?}", f.notice);
        assert!(f.membership.joint);
        assert_eq!(
            f.membership.legend,
            format!(
                "joint: C_old {{1,2,3}} C_new {} (not committed yet) \u{2014} as leader S{l} has it",
                id_set(&want)
            )
        );
        assert_eq!(config(&f, out), Some("old"));
        assert_eq!(config(&f, 4), Some("new"));
        assert_eq!(config(&f, l), Some("both"));
        assert_eq!(
            f.ring.nodes.iter().find(|n| n.id == 4).unwrap().config_tag,
            Some("C_new")
        );
        let f = play_until(&mut pg, 2_000_000, |f| {
            !f.membership.joint && !f.membership.uncommitted
        });
        assert!(
            f.membership
                .legend
                .starts_with(&format!("configuration {}", id_set(&want))),
            "{}",
            f.membership.legend
        );
        assert_eq!(config(&f, out), Some("none"));
        assert_eq!(config(&f, 5), Some("voter"));
        assert!(f.violation.is_none());
    }

    fn view(voters: &[u64], outgoing: &[u64], learners: &[u64]) -> MembershipView {
        MembershipView {
            voters: voters.to_vec(),
            outgoing: outgoing.to_vec(),
            learners: learners.to_vec(),
            seen_by: Some(1),
            seen_by_leader: true,
            uncommitted: false,
            spares: Vec::new(),
        }
    }

    #[test]
    fn the_legend_names_c_old_and_c_new_during_joint_consensus() {
        let joint = view(&[1, 2, 3, 4], &[1, 2, 3], &[]);
        assert_eq!(
            legend(&joint, Lang::En),
            "joint: C_old {1,2,3} C_new {1,2,3,4} \u{2014} as leader S1 has it"
        );
        let mut plain = view(&[1, 2, 3], &[], &[5]);
        plain.uncommitted = true;
        plain.seen_by_leader = false;
        plain.seen_by = Some(2);
        assert_eq!(
            legend(&plain, Lang::En),
            "configuration {1,2,3}, learners {5} (not committed yet) \u{2014} as S2 has it (no leader)"
        );
    }

    #[test]
    fn add_offers_non_voters_and_keeps_a_valid_choice() {
        let m = view(&[1, 2, 3], &[], &[4]);
        let servers = [1, 2, 3, 4, 5, 6];
        let d = MembershipDraw::new(&m, &servers, AddDraft::default(), None, Lang::En);
        assert_eq!(d.candidates, [4, 5, 6], "a learner can be promoted");
        assert_eq!(d.add_id, Some(4));
        let chosen = AddDraft {
            id: Some(6),
            learner: true,
        };
        let d = MembershipDraw::new(&m, &servers, chosen, None, Lang::En);
        assert_eq!((d.add_id, d.add_learner), (Some(6), true));
        // A choice that became a voter falls back to the first candidate.
        let d = MembershipDraw::new(
            &view(&[1, 2, 3, 6], &[], &[]),
            &servers,
            chosen,
            None,
            Lang::En,
        );
        assert_eq!(d.add_id, Some(4));
        // The joint draft starts from the voters.
        let ticked: Vec<u64> = d.joint_draft.iter().filter(|j| j.1).map(|j| j.0).collect();
        assert_eq!(ticked, [1, 2, 3, 6]);
        let d = MembershipDraw::new(&m, &servers, chosen, Some(&[2, 5][..]), Lang::En);
        let ticked: Vec<u64> = d.joint_draft.iter().filter(|j| j.1).map(|j| j.0).collect();
        assert_eq!(ticked, [2, 5]);
    }
}

//! What a network may do to a message in flight, done by hand: drop it,
//! duplicate it, hold it where it is and release it (the world's recorded
//! actions `DropMessage`, `DuplicateMessage`, `HoldMessage`, `ReleaseMessage`).
//! The actions bar under the ring offers them for the picked (or selected)
//! message; keys `d`, `u`, `k` and `g` do them on the picked one.

use raft_sim::Action;

use super::playground::{Msg, Playground};
use super::ring::RingDraw;
use super::state::Effect;
use super::text::{kind_text, Text};
use crate::i18n::{tr, trf, Lang};

/// One thing done to a message in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageOp {
    Drop,
    Duplicate,
    Hold,
    Release,
}

impl MessageOp {
    pub const ALL: [MessageOp; 4] = [
        MessageOp::Drop,
        MessageOp::Duplicate,
        MessageOp::Hold,
        MessageOp::Release,
    ];

    /// The button's `data-action`.
    pub fn name(self) -> &'static str {
        match self {
            MessageOp::Drop => "drop",
            MessageOp::Duplicate => "duplicate",
            MessageOp::Hold => "hold",
            MessageOp::Release => "release",
        }
    }

    /// Its key (on the picked message).
    pub fn key(self) -> &'static str {
        match self {
            MessageOp::Drop => "d",
            MessageOp::Duplicate => "u",
            MessageOp::Hold => "k",
            MessageOp::Release => "g",
        }
    }

    /// The button text, in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                MessageOp::Drop => "message_op.drop",
                MessageOp::Duplicate => "message_op.duplicate",
                MessageOp::Hold => "message_op.hold",
                MessageOp::Release => "message_op.release",
            },
        )
    }

    /// Whether it can be done to a message that is (not) held: only a held
    /// message is released, and only a moving one is held.
    pub fn applies(self, held: bool) -> bool {
        match self {
            MessageOp::Hold => !held,
            MessageOp::Release => held,
            MessageOp::Drop | MessageOp::Duplicate => true,
        }
    }

    fn action(self, id: u64) -> Action {
        match self {
            MessageOp::Drop => Action::DropMessage { id },
            MessageOp::Duplicate => Action::DuplicateMessage { id },
            MessageOp::Hold => Action::HoldMessage { id },
            MessageOp::Release => Action::ReleaseMessage { id },
        }
    }
}

/// The actions bar for one message in flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageActionsDraw {
    pub id: u64,
    pub held: bool,
    /// e.g. "AppendEntries S1→S2 (held)".
    pub caption: String,
    /// What can be done to it, in the bar's order.
    pub ops: Vec<MessageOp>,
}

impl MessageActionsDraw {
    /// The bar for message `id`, if the ring draws it.
    pub fn new(ring: &RingDraw, id: u64, lang: Lang) -> Option<Self> {
        let m = ring.messages.iter().find(|m| m.id == id)?;
        let what = trf(
            lang,
            "message_ops.caption",
            &[
                ("kind", &kind_text(m.kind).render(lang)),
                ("from", &m.from),
                ("to", &m.to),
            ],
        );
        let caption = if m.held {
            trf(lang, "message_ops.held", &[("what", &what)])
        } else {
            what
        };
        Some(Self {
            id,
            held: m.held,
            caption,
            ops: MessageOp::ALL
                .into_iter()
                .filter(|op| op.applies(m.held))
                .collect(),
        })
    }
}

impl Playground {
    /// `op` on message `id`, said in the activity log; nothing if it is not in flight.
    pub(super) fn message_op(&mut self, op: MessageOp, id: u64) -> Vec<Effect> {
        if op == MessageOp::Drop {
            return self.update_drop(id);
        }
        let view = self.sim.view();
        let Some(m) = view.messages.iter().find(|m| m.id == id) else {
            return Vec::new();
        };
        let (kind, from, to) = (kind_text(m.kind), m.from, m.to);
        let done: Text = match op {
            MessageOp::Duplicate => {
                text_key!("said.duplicate", kind = kind, from = from, to = to)
            }
            MessageOp::Hold => text_key!("said.hold", kind = kind, from = from, to = to),
            MessageOp::Release => text_key!("said.release", kind = kind, from = from, to = to),
            MessageOp::Drop => return Vec::new(),
        };
        vec![Effect::act(op.action(id), done)]
    }

    /// A drop from the bar: as clicking the message.
    fn update_drop(&mut self, id: u64) -> Vec<Effect> {
        self.reduce(Msg::DropMessage(id))
    }

    /// `op` on the picked message (a key); a notice when none is picked.
    pub(super) fn message_op_on_picked(&mut self, op: MessageOp) -> Vec<Effect> {
        let view = self.sim.view();
        let picked = self
            .selection
            .picked
            .filter(|id| view.messages.iter().any(|m| m.id == *id));
        match picked {
            Some(id) => self.message_op(op, id),
            None => vec![Effect::Notice(text_key!("notice.pick_first"))],
        }
    }

    /// The message the actions bar is for: the picked one, else the selected
    /// one, while the ring draws it.
    pub(super) fn message_actions(
        &self,
        ring: &RingDraw,
        lang: Lang,
    ) -> Option<MessageActionsDraw> {
        [self.selection.picked, self.selection.message]
            .into_iter()
            .flatten()
            .find_map(|id| MessageActionsDraw::new(ring, id, lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::keys::{key_command, KeyCommand};
    use crate::view_model::tests::playground;

    /// Steps (paused) until a message is in flight; its id.
    fn a_message(pg: &mut Playground) -> u64 {
        for _ in 0..5_000 {
            if let Some(m) = pg.frame().ring.messages.first() {
                return m.id;
            }
            pg.update(Msg::Step);
        }
        panic!("never a message in flight");
    }

    fn drawn(pg: &Playground, id: u64) -> Option<(i32, i32, bool)> {
        let f = pg.frame();
        let m = f.ring.messages.iter().find(|m| m.id == id)?;
        Some((m.x, m.y, m.held))
    }

    #[test]
    fn a_held_message_stands_still_until_released_then_arrives() {
        let mut pg = playground(3);
        pg.update(Msg::TogglePlay);
        let id = a_message(&mut pg);
        pg.update(Msg::PickMessage(id));
        let bar = pg
            .frame()
            .message_actions
            .expect("a bar for the picked message");
        assert_eq!(
            bar.ops,
            [MessageOp::Drop, MessageOp::Duplicate, MessageOp::Hold],
            "release only for a held message"
        );
        pg.update(Msg::Key(key_command("k", false).unwrap()));
        let (x, y, held) = drawn(&pg, id).expect("still in flight");
        assert!(held);
        assert!(
            pg.frame().narration().contains("held"),
            "{}",
            pg.frame().narration()
        );
        let bar = pg.frame().message_actions.unwrap();
        assert_eq!(
            bar.ops,
            [MessageOp::Drop, MessageOp::Duplicate, MessageOp::Release]
        );
        // Long past when it was due: still there, in the same place.
        let due = pg
            .sim
            .view()
            .messages
            .iter()
            .find(|m| m.id == id)
            .unwrap()
            .deliver_at;
        while pg.sim.now_us() <= due + 50_000 {
            pg.update(Msg::StepTick);
        }
        assert_eq!(drawn(&pg, id), Some((x, y, true)), "held where it was");
        pg.update(Msg::MessageOp(MessageOp::Release, id));
        assert_eq!(drawn(&pg, id).map(|d| d.2), Some(false));
        let delivered = |pg: &Playground| {
            pg.sim
                .message_life(id)
                .is_some_and(|l| matches!(l.fate, crate::cluster::MessageFate::Delivered { .. }))
        };
        for _ in 0..200 {
            if delivered(&pg) {
                break;
            }
            pg.update(Msg::StepTick);
        }
        assert!(delivered(&pg), "the released message arrives");
        assert!(drawn(&pg, id).is_none());
    }

    #[test]
    fn duplicating_puts_a_second_copy_in_flight_and_release_needs_a_held_one() {
        let mut pg = playground(3);
        pg.update(Msg::TogglePlay);
        let id = a_message(&mut pg);
        let before = pg.frame().ring.messages.len();
        let (from, to, kind) = {
            let f = pg.frame();
            let m = f.ring.messages.iter().find(|m| m.id == id).unwrap();
            (m.from, m.to, m.kind)
        };
        pg.update(Msg::PickMessage(id));
        assert_eq!(
            key_command("u", false),
            Some(KeyCommand::Message(MessageOp::Duplicate))
        );
        pg.update(Msg::Key(KeyCommand::Message(MessageOp::Duplicate)));
        let f = pg.frame();
        assert_eq!(f.ring.messages.len(), before + 1);
        let copies = f
            .ring
            .messages
            .iter()
            .filter(|m| m.from == from && m.to == to && m.kind == kind)
            .count();
        assert!(copies >= 2, "a second copy on the same link");
        assert!(f.narration().contains("duplicated"), "{}", f.narration());
        // Releasing a message that is not held is refused, in words.
        pg.update(Msg::MessageOp(MessageOp::Release, id));
        assert!(pg.frame().notice.is_some());
        // No message picked: the keys say to pick one.
        let mut fresh = playground(3);
        fresh.update(Msg::Key(KeyCommand::Message(MessageOp::Hold)));
        assert!(fresh.frame().notice.unwrap().contains("Pick a message"));
    }
}

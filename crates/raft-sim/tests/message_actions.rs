//! Besides dropping, a message in flight can be duplicated, or held where it is
//! and released later; each is a recorded action, so links and rewinds replay it.

use raft_sim::world::{Action, ActionError, World, WorldConfig};

const MS: u64 = 1_000;

/// A running 5-server world with a leader, and the id of an AppendEntries or
/// heartbeat in flight from it.
fn world_with_a_message(seed: u64) -> (World, u64) {
    with_a_message(WorldConfig::with_nodes(5), seed)
}

fn with_a_message(cfg: WorldConfig, seed: u64) -> (World, u64) {
    let mut w = World::new(cfg, seed);
    w.run_until(1_000 * MS);
    let leader = w.leader().expect("a leader at 1 s");
    loop {
        let found = w.messages().find(|m| m.from == leader).map(|m| m.id);
        if let Some(id) = found {
            return (w, id);
        }
        let t = w.now_us() + 100;
        w.run_until(t);
    }
}

/// How many `deliver` lines the trace has for message `id`.
fn deliveries(w: &World, id: u64) -> usize {
    let needle = format!("\"ev\":\"deliver\",\"id\":{id}}}");
    w.trace().lines().filter(|l| l.contains(&needle)).count()
}

fn traced(seed: u64) -> (World, u64) {
    let mut cfg = WorldConfig::with_nodes(5);
    cfg.trace = true;
    with_a_message(cfg, seed)
}

#[test]
fn a_held_message_stays_until_released_then_travels_the_time_it_had_left() {
    for seed in 0..8 {
        let (mut w, id) = world_with_a_message(seed);
        let m = w.messages().find(|m| m.id == id).unwrap();
        let left = m.deliver_at - w.now_us();
        w.apply_action(&Action::HoldMessage { id }).unwrap();
        let later = w.now_us() + 500 * MS;
        w.run_until(later);
        let held = w
            .messages()
            .find(|m| m.id == id)
            .unwrap_or_else(|| panic!("seed {seed}: the held message arrived"));
        assert!(held.held_at.is_some());
        w.apply_action(&Action::ReleaseMessage { id }).unwrap();
        let m = w.messages().find(|m| m.id == id).unwrap();
        assert_eq!(m.held_at, None);
        assert_eq!(m.deliver_at, w.now_us() + left.max(1), "seed {seed}");
        let arrive = m.deliver_at;
        w.run_until(arrive);
        assert!(
            w.messages().all(|m| m.id != id),
            "seed {seed}: delivered once released"
        );
        assert!(w.violations().is_empty());
    }
}

#[test]
fn a_duplicated_message_arrives_twice() {
    for seed in 0..8 {
        let (mut w, id) = traced(seed);
        let original = w.messages().find(|m| m.id == id).unwrap().clone();
        w.apply_action(&Action::DuplicateMessage { id }).unwrap();
        let copy = w
            .messages()
            .find(|m| m.id != id && m.payload == original.payload && m.sent_at == w.now_us())
            .expect("a copy in flight")
            .clone();
        assert!(copy.deliver_at > original.deliver_at);
        w.run_until(copy.deliver_at);
        assert_eq!(deliveries(&w, id), 1, "seed {seed}: the original");
        assert_eq!(deliveries(&w, copy.id), 1, "seed {seed}: the copy");
        assert!(w.violations().is_empty());
    }
}

#[test]
fn message_actions_on_a_message_not_in_flight_are_refused() {
    let (mut w, id) = world_with_a_message(1);
    assert_eq!(
        w.apply_action(&Action::ReleaseMessage { id }),
        Err(ActionError::NotHeld { id })
    );
    for action in [
        Action::HoldMessage { id: 999_999 },
        Action::DuplicateMessage { id: 999_999 },
        Action::ReleaseMessage { id: 999_999 },
    ] {
        assert_eq!(
            w.apply_action(&action),
            Err(ActionError::NoMessage { id: 999_999 })
        );
    }
}

//! From and to scenario files: the world an exploration starts from (a fresh
//! cluster, or a scenario's servers and settings), and a counterexample written
//! as a scenario that `raft-sim run` replays exactly.
//!
//! The encoding: time stands still for the servers (election timeouts and
//! heartbeats far beyond the run), every hop takes 200 µs, and every Raft
//! message is held 25 µs after it is sent. Step `k` of the path happens at
//! 0.5 + k ms: a delivery releases its held message (it arrives 175 µs later),
//! a drop or copy names it, a timeout is `campaign`, a write is `contact` then
//! `put` (the request arrives unheld), a crash also drops the messages held for
//! the crashed server (the explorer loses them with it).

use std::collections::BTreeSet;

use super::check::Found;
use super::search::Counterexample;
use super::state::{Choice, Model, State, WRITE_KEY};
use crate::scenario::{
    ClientSettings, Localized, NetworkSettings, NodeSettings, Scenario, TimedAction,
};
use crate::world::{Action, Payload, World};
use crate::{Bug, Violation};

/// One hop, in microseconds.
const HOP_US: u64 = 200;
/// A message is held this long after it is sent.
const HOLD_AFTER_US: u64 = 25;
const STEP_US: u64 = 1000;
const FIRST_STEP_US: u64 = 500;

/// The scenario an exploration runs in: `base`'s servers, initial state,
/// switches and bugs (a fresh `nodes`-server cluster without one), plus `bugs`,
/// on the explorer's clock and network. `base`'s actions and expectations are dropped.
pub fn skeleton(base: Option<&Scenario>, nodes: usize, bugs: &[Bug]) -> Scenario {
    let mut s = match base {
        Some(b) => b.clone(),
        None => Scenario {
            name: String::new(),
            title: Localized::default(),
            description: Localized::default(),
            nodes,
            spare_nodes: 0,
            seed: 0,
            until_ms: 0,
            tick_ms: 10,
            node: NodeSettings::default(),
            network: NetworkSettings::default(),
            clients: ClientSettings::default(),
            bugs: Vec::new(),
            initial: Vec::new(),
            actions: Vec::new(),
            expect: Vec::new(),
        },
    };
    for b in bugs {
        if !s.bugs.contains(b) {
            s.bugs.push(*b);
        }
    }
    s.tick_ms = 10;
    // No timer runs out during a replay: timeouts are the explorer's choices.
    s.node.election_timeout_min_ms = 100_000;
    s.node.election_timeout_max_ms = 200_000;
    s.node.heartbeat_ms = 50_000;
    s.node.snapshot_threshold = 0;
    let hop = HOP_US as f64 / 1000.0;
    s.network = NetworkSettings {
        latency_min_ms: hop,
        latency_max_ms: hop,
        loss: 0.0,
        dup: 0.0,
        reorder: 0.0,
        fifo: false,
        links: Vec::new(),
        ..NetworkSettings::default()
    };
    s.clients = ClientSettings {
        count: 0,
        load: false,
        timeout_ms: 1_000_000,
        max_attempts: 1,
        ..ClientSettings::default()
    };
    s.actions.clear();
    s.expect.clear();
    s
}

/// The model and the start state of an exploration in `scenario` (a [`skeleton`]).
pub fn start(scenario: &Scenario, bounds: super::Bounds) -> Result<(Model, State), String> {
    let world = scenario.build(scenario.seed, false)?;
    let cfg = world.config();
    if cfg.nodes + cfg.spare_nodes > 16 {
        return Err("the explorer takes at most 16 servers".into());
    }
    let model = Model {
        raft: cfg.raft.clone(),
        forget_vote_on_restart: cfg.forget_vote_on_restart,
        bounds,
    };
    let nodes = world
        .nodes()
        .map(|v| {
            world
                .node(v.id)
                .and_then(|n| n.raft().cloned())
                .ok_or_else(|| format!("S{} is not running at the start", v.id))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let state = State::new(&model, nodes);
    Ok((model, state))
}

fn at(t: u64) -> f64 {
    t as f64 / 1000.0
}

/// The world's id of a held Raft message equal to `m`.
fn held_id(world: &World, m: &raft_core::Message) -> Result<u64, String> {
    world
        .messages()
        .find(|f| f.held_at.is_some() && matches!(&f.payload, Payload::Raft(x) if x == m))
        .map(|f| f.id)
        .ok_or_else(|| {
            format!(
                "no held {} from S{} to S{} in the world",
                m.body.kind().as_str(),
                m.from,
                m.to
            )
        })
}

/// The world's actions for one choice of the explorer in state `s`.
fn actions(world: &World, s: &State, c: Choice) -> Result<Vec<Action>, String> {
    let msg = |i: u16| {
        s.net
            .get(i as usize)
            .map(|m| &*m.m)
            .ok_or("no such message")
    };
    Ok(match c {
        Choice::Deliver(i) => vec![Action::ReleaseMessage {
            id: held_id(world, msg(i)?)?,
        }],
        Choice::Drop(i) => vec![Action::DropMessage {
            id: held_id(world, msg(i)?)?,
        }],
        Choice::Duplicate(i) => vec![Action::DuplicateMessage {
            id: held_id(world, msg(i)?)?,
        }],
        Choice::Timeout(n) => vec![Action::Campaign {
            node: u64::from(n) + 1,
        }],
        Choice::Restart(n) => vec![Action::Restart {
            node: u64::from(n) + 1,
        }],
        Choice::Crash(n) => {
            let node = u64::from(n) + 1;
            let mut v = vec![Action::Crash { node }];
            v.extend(
                world
                    .messages()
                    .filter(|f| {
                        f.to == node && f.held_at.is_some() && matches!(f.payload, Payload::Raft(_))
                    })
                    .map(|f| Action::DropMessage { id: f.id }),
            );
            v
        }
        Choice::Write(n) => {
            let client = u64::from(s.used.writes) + 1;
            vec![
                Action::Contact {
                    client,
                    node: u64::from(n) + 1,
                },
                Action::Put {
                    client,
                    key: WRITE_KEY.into(),
                    value: client.to_string(),
                },
            ]
        }
    })
}

/// Checks that the world and the explorer agree after a step.
fn agree(world: &World, s: &State, step: usize) -> Result<(), String> {
    let held = world
        .messages()
        .filter(|f| f.held_at.is_some() && matches!(f.payload, Payload::Raft(_)))
        .count();
    if held != s.net.len() {
        return Err(format!(
            "step {step}: {held} messages held in the world, {} in the explorer",
            s.net.len()
        ));
    }
    for (i, _) in s.slots.iter().enumerate() {
        let id = i as u64 + 1;
        let w = world.node(id).and_then(|n| n.raft());
        let e = s.node(i);
        let same = match (w, e) {
            (Some(w), Some(e)) => {
                (
                    w.role(),
                    w.current_term(),
                    w.commit_index(),
                    w.log().entries(),
                ) == (
                    e.role(),
                    e.current_term(),
                    e.commit_index(),
                    e.log().entries(),
                )
            }
            (None, None) => true,
            _ => false,
        };
        if !same {
            return Err(format!(
                "step {step}: S{id} differs between the world and the explorer"
            ));
        }
    }
    Ok(())
}

/// Writes `cx` as a scenario in `skeleton` (the scenario the exploration ran in)
/// by playing it in the world step by step, naming each message by its id there.
pub fn counterexample(
    skeleton: &Scenario,
    model: &Model,
    start: &State,
    cx: &Counterexample,
) -> Result<Scenario, String> {
    let mut sc = skeleton.clone();
    let writes = cx
        .choices
        .iter()
        .filter(|c| matches!(c, Choice::Write(_)))
        .count();
    sc.clients.count = writes;
    let mut world = sc.build(sc.seed, false)?;
    let mut s = start.clone();
    let mut scheduled = BTreeSet::new();
    let record = |world: &mut World, sc: &mut Scenario, t: u64, action: Action| {
        world.schedule_action(t, action.clone());
        sc.actions.push(TimedAction {
            at_ms: at(t),
            after_events: None,
            action,
        });
    };
    for (k, &c) in cx.choices.iter().enumerate() {
        let t = FIRST_STEP_US + STEP_US * k as u64;
        world.run_until(t - 1);
        for a in actions(&world, &s, c)? {
            record(&mut world, &mut sc, t, a);
        }
        let end = t + STEP_US - 100;
        while world.next_event_us().is_some_and(|n| n <= end) {
            world.step_one();
            let now = world.now_us();
            let fresh: Vec<u64> = world
                .messages()
                .filter(|f| {
                    f.held_at.is_none()
                        && matches!(f.payload, Payload::Raft(_))
                        && world.node(f.to).is_some_and(|n| n.alive())
                        && !scheduled.contains(&f.id)
                })
                .map(|f| f.id)
                .collect();
            for id in fresh {
                scheduled.insert(id);
                record(
                    &mut world,
                    &mut sc,
                    now + HOLD_AFTER_US,
                    Action::HoldMessage { id },
                );
            }
        }
        world.run_until(end);
        let step = s.apply(model, c);
        agree(&world, &s, k + 1)?;
        if step.is_err() {
            break;
        }
    }
    sc.until_ms = (FIRST_STEP_US + STEP_US * (cx.choices.len() as u64 + 1)) / 1000 + 1;
    sc.name = format!("counterexample-{}", cx.found.invariant);
    sc.title = Localized::new(format!(
        "{} broken in {} steps",
        cx.found.invariant,
        cx.choices.len()
    ));
    sc.description = Localized::new(format!(
        "Found by raft-sim explore: {}. Every message is held as it is sent and released in the order explored.",
        cx.found.message
    ));
    Ok(sc)
}

/// Runs `scenario` and returns the violations its world's checker reports.
pub fn replay(scenario: &Scenario) -> Result<Vec<Violation>, String> {
    let run = scenario.run(None, None, false)?;
    Ok(run.world.violations().to_vec())
}

/// Whether the world's checker reports `found`'s invariant when `scenario` runs.
pub fn replays_to(scenario: &Scenario, found: &Found) -> Result<bool, String> {
    Ok(replay(scenario)?
        .iter()
        .any(|v| v.invariant == found.invariant))
}

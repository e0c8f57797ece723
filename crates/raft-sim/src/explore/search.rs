//! Breadth-first search over every schedule up to the bounds: level by level,
//! so the first violation found is one of the shortest; states deduplicated by
//! their hash; each level's states expanded on `threads` threads in fixed
//! chunks, then merged in order, so the counts never depend on the threads.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::time::Duration;

use super::check::Found;
use super::state::{Choice, Model, Op, Pool, State};
use crate::linearizability::{self, Operation, Output};

/// The visited set's hasher: keys are already hashes.
#[derive(Default)]
struct Identity(u64);

impl std::hash::Hasher for Identity {
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Visited = HashSet<u64, BuildHasherDefault<Identity>>;

/// Time since the search began; always zero on wasm32, whose std has no clock
/// (the page times its own slices).
struct Clock(#[cfg(not(target_arch = "wasm32"))] std::time::Instant);

impl Clock {
    fn start() -> Clock {
        Clock(
            #[cfg(not(target_arch = "wasm32"))]
            std::time::Instant::now(),
        )
    }
    fn elapsed(&self) -> Duration {
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.elapsed();
        #[cfg(target_arch = "wasm32")]
        Duration::ZERO
    }
}

/// How the search is going, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Unique states so far.
    pub states: u64,
    /// States expanded (successors computed) so far.
    pub expanded: u64,
    /// The depth of the frontier being expanded.
    pub depth: u32,
    pub frontier: u64,
    pub elapsed: Duration,
}

/// A path from the start state to a broken invariant, the shortest there is.
#[derive(Clone, Debug)]
pub struct Counterexample {
    pub found: Found,
    pub choices: Vec<Choice>,
}

/// What a search found.
#[derive(Clone, Debug)]
pub struct Report {
    /// Unique states reached (the start state included).
    pub states: u64,
    /// Transitions taken (successors computed, duplicates included).
    pub transitions: u64,
    /// The deepest level reached.
    pub depth: u32,
    /// True when no state within the bounds was left unexplored before the depth bound.
    pub exhausted: bool,
    pub elapsed: Duration,
    pub violation: Option<Counterexample>,
}

impl Report {
    /// States reached per second of the search.
    pub fn states_per_second(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            self.states as f64 / s
        } else {
            0.0
        }
    }
}

/// A new state: its key, the state (`None` at the depth bound, where only its
/// count matters, and whether choices were left), its parent and the choice.
type Successor = (u64, Option<State>, bool, u32, Choice);

/// What one chunk of a level produced.
struct Expanded {
    next: Vec<Successor>,
    transitions: u64,
    /// States at the depth bound with choices left.
    cut: u64,
    violation: Option<(u32, Choice, Found)>,
}

/// Linearizability of the path's completed writes (§8), checked at the leaves.
fn linearizable(ops: &[Op]) -> Result<(), Found> {
    if ops.iter().all(|o| o.complete.is_none()) {
        return Ok(());
    }
    let history: Vec<Operation> = ops
        .iter()
        .enumerate()
        .map(|(k, o)| {
            let w = k as u64 + 1;
            let op = Operation::put(
                w,
                1,
                super::state::WRITE_KEY,
                w.to_string(),
                u64::from(o.invoke) * 2,
            );
            match o.complete {
                Some(c) => op.completed(Output::None, u64::from(c) * 2 + 1),
                None => op,
            }
        })
        .collect();
    let verdict = linearizability::check(&history);
    if verdict.is_violation() {
        return Err(Found {
            invariant: crate::Invariant::Linearizability,
            message: verdict.to_string(),
        });
    }
    Ok(())
}

fn expand(
    model: &Model,
    visited: &Visited,
    chunk: &[(State, u32)],
    at_bound: bool,
    buffer: Vec<Successor>,
) -> Expanded {
    let mut out = Expanded {
        next: buffer,
        transitions: 0,
        cut: 0,
        violation: None,
    };
    let (mut choices, mut leaf) = (Vec::new(), Vec::new());
    for (state, idx) in chunk {
        state.choices(model, &mut choices);
        if choices.is_empty() || at_bound {
            if let Err(f) = linearizable(&state.ops) {
                out.violation = Some((*idx, Choice::Restart(u8::MAX), f));
                return out;
            }
        }
        if at_bound {
            out.cut += u64::from(!choices.is_empty());
            continue;
        }
        for &c in &choices {
            let mut next = state.clone();
            out.transitions += 1;
            if let Err(f) = next.apply(model, c) {
                out.violation = Some((*idx, c, f));
                return out;
            }
            let key = next.key();
            if visited.contains(&key) {
                continue;
            }
            if next.depth >= model.bounds.depth {
                // A leaf: checked here and counted, never stored.
                next.choices(model, &mut leaf);
                if let Err(f) = linearizable(&next.ops) {
                    out.violation = Some((*idx, c, f));
                    return out;
                }
                out.next.push((key, None, !leaf.is_empty(), *idx, c));
            } else {
                out.next.push((key, Some(next), false, *idx, c));
            }
        }
    }
    out
}

/// Explores every schedule from `start` within the model's bounds.
pub fn explore(
    model: &Model,
    start: State,
    threads: usize,
    progress: &mut dyn FnMut(&Progress),
) -> Report {
    let started = Clock::start();
    let mut visited = Visited::default();
    visited.insert(start.key());
    // Every reached state's parent and the choice that reached it, to rebuild paths.
    let mut arena: Vec<(u32, Choice)> = vec![(u32::MAX, Choice::Restart(u8::MAX))];
    let mut frontier: Vec<(State, u32)> = vec![(start, 0)];
    let mut report = Report {
        states: 1,
        transitions: 0,
        depth: 0,
        exhausted: false,
        elapsed: Duration::ZERO,
        violation: None,
    };
    let threads = threads.max(1);
    let mut expanded = 0u64;
    let mut buffers: Vec<Vec<Successor>> = Vec::new();
    let mut pool = Pool::default();
    let path = |arena: &[(u32, Choice)], mut idx: u32| {
        let mut choices = Vec::new();
        while idx != 0 {
            let (parent, c) = arena[idx as usize];
            choices.push(c);
            idx = parent;
        }
        choices.reverse();
        choices
    };
    loop {
        let depth = report.depth;
        let at_bound = depth >= model.bounds.depth;
        let tell = |progress: &mut dyn FnMut(&Progress), states, expanded| {
            progress(&Progress {
                states,
                expanded,
                depth,
                frontier: frontier.len() as u64,
                elapsed: started.elapsed(),
            })
        };
        tell(progress, report.states, expanded);
        // Chunks small enough to report progress often, fixed so results never depend on threads.
        let chunk = 4096;
        let mut next: Vec<(State, u32)> = Vec::new();
        let (mut cut, mut reached) = (0u64, false);
        for group in frontier.chunks(chunk * threads) {
            // Buffers are reused: freeing large blocks makes the allocator consolidate.
            let parts: Vec<Expanded> = if threads == 1 {
                let buffer = buffers.pop().unwrap_or_default();
                vec![expand(model, &visited, group, at_bound, buffer)]
            } else {
                std::thread::scope(|scope| {
                    let handles: Vec<_> = group
                        .chunks(chunk)
                        .map(|c| {
                            let visited = &visited;
                            let buffer = buffers.pop().unwrap_or_default();
                            scope.spawn(move || expand(model, visited, c, at_bound, buffer))
                        })
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().expect("an explorer thread panicked"))
                        .collect()
                })
            };
            expanded += group.len() as u64;
            for part in parts {
                report.transitions += part.transitions;
                cut += part.cut;
                if let Some((idx, c, found)) = part.violation {
                    let mut choices = path(&arena, idx);
                    if c != Choice::Restart(u8::MAX) {
                        choices.push(c);
                    }
                    report.depth = choices.len() as u32;
                    report.elapsed = started.elapsed();
                    report.violation = Some(Counterexample { found, choices });
                    return report;
                }
                let mut buffer = part.next;
                for (key, state, more, parent, c) in buffer.drain(..) {
                    if visited.insert(key) {
                        reached = true;
                        arena.push((parent, c));
                        match state {
                            Some(mut state) => {
                                state.intern(&mut pool);
                                next.push((state, arena.len() as u32 - 1))
                            }
                            // A leaf at the depth bound with choices left: the space goes on.
                            None => cut += u64::from(more),
                        }
                    }
                }
                buffers.push(buffer);
            }
            report.states = visited.len() as u64;
            tell(progress, report.states, expanded);
        }
        if reached {
            report.depth += 1;
        }
        if next.is_empty() {
            report.exhausted = cut == 0;
            break;
        }
        frontier = next;
    }
    report.elapsed = started.elapsed();
    report
}

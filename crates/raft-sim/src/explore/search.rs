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

/// The arena's root: the start state has no parent.
const ROOT: (u32, Choice) = (u32::MAX, Choice::Restart(u8::MAX));

/// States expanded per chunk: small enough to report progress often, fixed so
/// the results never depend on the number of threads.
const CHUNK: usize = 4096;

/// A breadth-first search that runs a slice at a time (the page, between
/// frames) or to its end ([`explore`], the CLI). Either way it visits the same
/// states in the same order.
pub struct Search {
    model: Model,
    started: Clock,
    visited: Visited,
    /// Every reached state's parent and the choice that reached it, to rebuild paths.
    arena: Vec<(u32, Choice)>,
    /// The level being expanded, and how far.
    frontier: Vec<(State, u32)>,
    pos: usize,
    /// The next level, and what this one left beyond the depth bound.
    next: Vec<(State, u32)>,
    cut: u64,
    reached: bool,
    expanded: u64,
    buffers: Vec<Vec<Successor>>,
    pool: Pool,
    report: Report,
    over: bool,
}

impl Search {
    /// A search of every schedule from `start` within `model`'s bounds.
    pub fn new(model: Model, start: State) -> Search {
        let mut visited = Visited::default();
        visited.insert(start.key());
        Search {
            model,
            started: Clock::start(),
            visited,
            arena: vec![ROOT],
            frontier: vec![(start, 0)],
            pos: 0,
            next: Vec::new(),
            cut: 0,
            reached: false,
            expanded: 0,
            buffers: Vec::new(),
            pool: Pool::default(),
            report: Report {
                states: 1,
                transitions: 0,
                depth: 0,
                exhausted: false,
                elapsed: Duration::ZERO,
                violation: None,
            },
            over: false,
        }
    }

    /// How the search is going.
    pub fn progress(&self) -> Progress {
        Progress {
            states: self.report.states,
            expanded: self.expanded,
            depth: self.report.depth,
            frontier: self.frontier.len() as u64,
            elapsed: self.started.elapsed(),
        }
    }

    /// What it found so far (final once [`Search::step`] returned it).
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The choices that reached arena entry `idx`, from the start.
    fn path(&self, mut idx: u32) -> Vec<Choice> {
        let mut choices = Vec::new();
        while idx != 0 {
            let (parent, c) = self.arena[idx as usize];
            choices.push(c);
            idx = parent;
        }
        choices.reverse();
        choices
    }

    /// Expands up to `budget` more states of the frontier on `threads` threads;
    /// the report once the search is over (a violation, or nothing left).
    pub fn step(&mut self, budget: usize, threads: usize) -> Option<&Report> {
        if self.over {
            return Some(&self.report);
        }
        let threads = threads.max(1);
        let at_bound = self.report.depth >= self.model.bounds.depth;
        let end = self
            .pos
            .saturating_add(budget.max(1))
            .min(self.frontier.len());
        let frontier = std::mem::take(&mut self.frontier);
        for group in frontier[self.pos..end].chunks(CHUNK * threads) {
            let model = &self.model;
            // Buffers are reused: freeing large blocks makes the allocator consolidate.
            let parts: Vec<Expanded> = if threads == 1 {
                let buffer = self.buffers.pop().unwrap_or_default();
                vec![expand(model, &self.visited, group, at_bound, buffer)]
            } else {
                let visited = &self.visited;
                let buffers = &mut self.buffers;
                std::thread::scope(|scope| {
                    let handles: Vec<_> = group
                        .chunks(CHUNK)
                        .map(|c| {
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
            self.expanded += group.len() as u64;
            for part in parts {
                self.report.transitions += part.transitions;
                self.cut += part.cut;
                if let Some((idx, c, found)) = part.violation {
                    let mut choices = self.path(idx);
                    if c != ROOT.1 {
                        choices.push(c);
                    }
                    self.report.depth = choices.len() as u32;
                    self.report.states = self.visited.len() as u64;
                    self.report.elapsed = self.started.elapsed();
                    self.report.violation = Some(Counterexample { found, choices });
                    self.over = true;
                    self.frontier = frontier;
                    return Some(&self.report);
                }
                let mut buffer = part.next;
                for (key, state, more, parent, c) in buffer.drain(..) {
                    if self.visited.insert(key) {
                        self.reached = true;
                        self.arena.push((parent, c));
                        match state {
                            Some(mut state) => {
                                state.intern(&mut self.pool);
                                self.next.push((state, self.arena.len() as u32 - 1))
                            }
                            // A leaf at the depth bound with choices left: the space goes on.
                            None => self.cut += u64::from(more),
                        }
                    }
                }
                self.buffers.push(buffer);
            }
            self.report.states = self.visited.len() as u64;
        }
        self.frontier = frontier;
        self.pos = end;
        if self.pos == self.frontier.len() {
            // The level is done: on to the next, or the end.
            if self.reached {
                self.report.depth += 1;
            }
            if self.next.is_empty() {
                self.report.exhausted = self.cut == 0;
                self.report.elapsed = self.started.elapsed();
                self.over = true;
                return Some(&self.report);
            }
            self.frontier = std::mem::take(&mut self.next);
            self.pos = 0;
            self.cut = 0;
            self.reached = false;
        }
        self.report.elapsed = self.started.elapsed();
        None
    }
}

/// Explores every schedule from `start` within the model's bounds.
pub fn explore(
    model: &Model,
    start: State,
    threads: usize,
    progress: &mut dyn FnMut(&Progress),
) -> Report {
    let threads = threads.max(1);
    let mut search = Search::new(model.clone(), start);
    loop {
        progress(&search.progress());
        if let Some(report) = search.step(CHUNK * threads, threads) {
            let report = report.clone();
            progress(&search.progress());
            return report;
        }
    }
}

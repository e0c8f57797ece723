//! Linearizability checking for the key-value store's client history.
//!
//! Clients record every operation they issue as an [`Operation`]: who issued
//! it, what it asked for, when it was invoked and how it ended. [`check`]
//! decides whether some total order of those operations exists that
//!
//! * respects real time: if `a` completed strictly before `b` was invoked,
//!   `a` comes first, and
//! * is a legal sequential execution of the key-value model below, producing
//!   exactly the outputs the clients saw.
//!
//! ## The model
//!
//! Each key holds an optional string; all keys start missing.
//!
//! | operation | effect | output |
//! |---|---|---|
//! | `put(k, v)` | `k := v` | ok (not inspected) |
//! | `get(k)` | none | [`Output::Value`] with the current value (`None` if missing) |
//! | `append(k, v)` | `k := k ++ v` (missing counts as `""`) | ok (not inspected) |
//! | `cas(k, expected, new)` | if `k == expected` then `k := new` | [`Output::Cas`]: whether it swapped |
//!
//! A get or cas whose recorded output has the wrong [`Output`] variant can
//! never be linearized, so it makes the history non-linearizable.
//!
//! ## Outcomes
//!
//! * [`Outcome::Ok`]: a reply arrived at `complete`; the operation took effect
//!   once, somewhere in `[invoke, complete]`, and its output must match.
//! * [`Outcome::Unknown`]: no reply (time-out, crash, partition). The operation
//!   may have taken effect at any instant after `invoke`, even long after
//!   the client gave up, or never; its output is unconstrained.
//! * [`Outcome::Failed`]: it definitely did not take effect (for example the
//!   request was rejected before it reached the log). It is dropped.
//!
//! Times are microseconds. Two operations are ordered only if one's completion
//! is *strictly* before the other's invocation; touching intervals count as
//! concurrent, so timestamp granularity never produces a false alarm.
//!
//! ## Algorithm
//!
//! Keys are independent objects, so by locality (P-compositionality) the
//! history is linearizable iff each key's sub-history is; keys are checked
//! separately. Each key is checked with the Wing–Gong search as improved by
//! Lowe ("Testing for linearizability", 2017) and used by Porcupine: a
//! doubly-linked list of call/return entries in time order, from which the
//! search "lifts" a call (and its return) when it linearizes the operation
//! next and "unlifts" it on backtrack; reaching a return entry means that
//! operation cannot be postponed any further, so the search backtracks. A cache
//! of visited configurations (set of linearized operations as a bitset, model
//! state) prunes repeated work.
//!
//! Unknown operations have their return at +infinity, so they could stay
//! pending for ever and multiply the configurations. The search keeps them in
//! a separate list and tries them only when no completed operation can go
//! next. The cache treats a configuration as covered when one with the same
//! completed set and state but *fewer* unknown operations applied was seen
//! (the extra ones might just never have happened). Values that no get result
//! or cas expectation contains are collapsed into one "dead" state, since
//! they all have the same future. Unknown gets are dropped up front since
//! they constrain nothing. Once every completed operation is linearized the
//! search stops: the remaining unknown ones need never happen. A brute-force
//! cross-check in the tests covers these pruning rules.
//!
//! When a key fails, its sub-history is shrunk (delta-debugging style, then
//! greedily one operation at a time, with a bounded step budget) to a small
//! sub-history that is still not linearizable, and reported with an
//! explanation. Shrinking never drops a write whose value a remaining
//! operation observed (or that may precede a remaining failed cas): the
//! witness then shows *why* a read is wrong (say, the older write and the
//! newer one it should have seen) rather than merely a read of a value nobody
//! wrote.
//!
//! The search is exponential in the worst case (the problem is NP-complete),
//! so fuzzers should use [`check_with_budget`], which gives up with
//! [`CheckResult::Unknown`] rather than run forever. The module needs only
//! `std` collections (no threads, no clocks), so it also builds for
//! `wasm32-unknown-unknown`.
//!
//! ```
//! use raft_sim::linearizability::{check, CheckResult, Operation, Output};
//!
//! let history = vec![
//!     Operation::put(1, 1, "x", "a", 0).completed(Output::None, 10),
//!     Operation::put(1, 2, "x", "b", 20).completed(Output::None, 30),
//!     // A stale read: "b" had been written before this get was invoked.
//!     Operation::get(2, 1, "x", 40).completed(Output::Value(Some("a".into())), 50),
//! ];
//! match check(&history) {
//!     CheckResult::NotLinearizable { key, ops, explanation } => {
//!         assert_eq!(key, "x");
//!         assert_eq!(ops.len(), 3);
//!         println!("{explanation}");
//!     }
//!     other => panic!("expected a violation, got {other:?}"),
//! }
//! ```

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// What an operation asks the key-value store to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// `put(key, value)`: overwrite.
    Put,
    /// `get(key)`: read.
    Get,
    /// `append(key, value)`: string append; a missing key counts as `""`.
    Append,
    /// `cas(key, expected, new)`: swap in `new` iff the current value (`None`
    /// when missing) equals `expected`.
    Cas,
}

/// What a completed operation returned.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Output {
    /// Plain acknowledgement (put, append).
    None,
    /// A get's result: the value, or `None` if the key was missing.
    Value(Option<String>),
    /// A cas's result: whether it swapped.
    Cas(bool),
}

/// How an operation ended.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A reply arrived at time `complete` (µs) carrying `output`.
    Ok {
        /// What the store replied.
        output: Output,
        /// When the reply arrived (µs).
        complete: u64,
    },
    /// No reply: the operation may or may not have taken effect, at any time
    /// after its invocation. Its output is unconstrained.
    Unknown,
    /// The operation definitely did not take effect; the checker ignores it.
    Failed,
}

/// One client operation of the history.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The issuing client.
    pub client: u64,
    /// The client's request id (for reports only).
    pub req: u64,
    /// What was asked.
    pub kind: OpKind,
    /// The key it touches.
    pub key: String,
    /// The value written: put/append value, cas new value. `None` is treated
    /// as `""` for those kinds and ignored for get.
    pub value: Option<String>,
    /// The value a cas expects (`None` = key missing). Ignored for other kinds.
    pub expected: Option<String>,
    /// When the client sent the request (µs).
    pub invoke: u64,
    /// How it ended.
    pub outcome: Outcome,
}

impl Operation {
    fn new(client: u64, req: u64, kind: OpKind, key: String, invoke: u64) -> Self {
        Operation {
            client,
            req,
            kind,
            key,
            value: None,
            expected: None,
            invoke,
            outcome: Outcome::Unknown,
        }
    }

    /// A `put(key, value)` invoked at `invoke`, outcome [`Outcome::Unknown`]
    /// until [`completed`](Self::completed) or [`failed`](Self::failed).
    pub fn put(
        client: u64,
        req: u64,
        key: impl Into<String>,
        value: impl Into<String>,
        invoke: u64,
    ) -> Self {
        let mut op = Self::new(client, req, OpKind::Put, key.into(), invoke);
        op.value = Some(value.into());
        op
    }

    /// A `get(key)` invoked at `invoke`, outcome [`Outcome::Unknown`].
    pub fn get(client: u64, req: u64, key: impl Into<String>, invoke: u64) -> Self {
        Self::new(client, req, OpKind::Get, key.into(), invoke)
    }

    /// An `append(key, value)` invoked at `invoke`, outcome [`Outcome::Unknown`].
    pub fn append(
        client: u64,
        req: u64,
        key: impl Into<String>,
        value: impl Into<String>,
        invoke: u64,
    ) -> Self {
        let mut op = Self::new(client, req, OpKind::Append, key.into(), invoke);
        op.value = Some(value.into());
        op
    }

    /// A `cas(key, expected, new)` invoked at `invoke`, outcome
    /// [`Outcome::Unknown`].
    pub fn cas(
        client: u64,
        req: u64,
        key: impl Into<String>,
        expected: Option<&str>,
        new: impl Into<String>,
        invoke: u64,
    ) -> Self {
        let mut op = Self::new(client, req, OpKind::Cas, key.into(), invoke);
        op.expected = expected.map(str::to_owned);
        op.value = Some(new.into());
        op
    }

    /// Sets the outcome to a reply `output` received at `complete`.
    #[must_use]
    pub fn completed(mut self, output: Output, complete: u64) -> Self {
        self.outcome = Outcome::Ok { output, complete };
        self
    }

    /// Sets the outcome to [`Outcome::Failed`].
    #[must_use]
    pub fn failed(mut self) -> Self {
        self.outcome = Outcome::Failed;
        self
    }

    /// The value written (put/append value, cas new value), `""` if absent.
    fn written(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }

    /// The value this operation saw the key hold, if it positively observed
    /// one: a get's returned value, a successful cas's expected value.
    fn observed(&self) -> Option<&str> {
        match (&self.kind, &self.outcome) {
            (
                OpKind::Get,
                Outcome::Ok {
                    output: Output::Value(Some(v)),
                    ..
                },
            ) => Some(v),
            (
                OpKind::Cas,
                Outcome::Ok {
                    output: Output::Cas(true),
                    ..
                },
            ) => self.expected.as_deref(),
            _ => None,
        }
    }

    /// Whether this operation may have written `written()`.
    fn may_write(&self) -> bool {
        match self.kind {
            OpKind::Put | OpKind::Append => !matches!(self.outcome, Outcome::Failed),
            OpKind::Cas => matches!(
                self.outcome,
                Outcome::Unknown
                    | Outcome::Ok {
                        output: Output::Cas(true),
                        ..
                    }
            ),
            OpKind::Get => false,
        }
    }
}

impl fmt::Display for Operation {
    /// `client 2 req 7: get("x") -> Some("a"), invoked at 300µs, completed at 350µs`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "client {} req {}: ", self.client, self.req)?;
        match self.kind {
            OpKind::Put => write!(f, "put({:?}, {:?})", self.key, self.written())?,
            OpKind::Get => write!(f, "get({:?})", self.key)?,
            OpKind::Append => write!(f, "append({:?}, {:?})", self.key, self.written())?,
            OpKind::Cas => write!(
                f,
                "cas({:?}, expected {:?}, new {:?})",
                self.key,
                self.expected,
                self.written()
            )?,
        }
        match &self.outcome {
            Outcome::Ok { output, complete } => {
                match output {
                    Output::None => write!(f, " -> ok")?,
                    Output::Value(v) => write!(f, " -> {v:?}")?,
                    Output::Cas(b) => write!(f, " -> {b}")?,
                }
                write!(
                    f,
                    ", invoked at {}µs, completed at {}µs",
                    self.invoke, complete
                )
            }
            Outcome::Unknown => write!(
                f,
                " -> ? (no reply: may take effect at any time after), invoked at {}µs",
                self.invoke
            ),
            Outcome::Failed => write!(f, " -> failed, invoked at {}µs", self.invoke),
        }
    }
}

/// The verdict on a history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckResult {
    /// Every key's sub-history has a linearization.
    Linearizable,
    /// Some key's sub-history has none.
    NotLinearizable {
        /// The key whose sub-history is not linearizable (the first such key
        /// in sorted order).
        key: String,
        /// A small sub-history of that key that is still not linearizable,
        /// ordered by invocation time.
        ops: Vec<Operation>,
        /// Human-readable account: the operations with their times and
        /// outputs, and how far a linearization gets.
        explanation: String,
    },
    /// The step budget ran out on `key` before a verdict, and no other key
    /// was found to be non-linearizable.
    Unknown {
        /// The first key (in sorted order) whose search was cut short.
        key: String,
        /// The per-key step budget that was exhausted.
        max_steps: u64,
    },
}

impl CheckResult {
    /// `true` for [`CheckResult::Linearizable`].
    pub fn is_linearizable(&self) -> bool {
        matches!(self, CheckResult::Linearizable)
    }

    /// `true` for [`CheckResult::NotLinearizable`].
    pub fn is_violation(&self) -> bool {
        matches!(self, CheckResult::NotLinearizable { .. })
    }
}

impl fmt::Display for CheckResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckResult::Linearizable => write!(f, "linearizable"),
            CheckResult::NotLinearizable { explanation, .. } => {
                write!(f, "NOT linearizable: {explanation}")
            }
            CheckResult::Unknown { key, max_steps } => write!(
                f,
                "unknown: the search on key {key:?} exceeded {max_steps} steps"
            ),
        }
    }
}

/// Knobs for [`check_with_options`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    /// Search steps allowed per key (one step = one visit of a call or
    /// return entry). Exceeding it yields [`CheckResult::Unknown`] unless
    /// another key is found to be non-linearizable.
    pub max_steps: u64,
    /// Total search steps allowed for shrinking a violation. When spent, the
    /// smallest non-linearizable sub-history found so far is reported.
    pub shrink_steps: u64,
}

/// Default [`CheckOptions::shrink_steps`].
pub const DEFAULT_SHRINK_STEPS: u64 = 5_000_000;

impl Default for CheckOptions {
    /// Unbounded search, [`DEFAULT_SHRINK_STEPS`] for shrinking.
    fn default() -> Self {
        CheckOptions {
            max_steps: u64::MAX,
            shrink_steps: DEFAULT_SHRINK_STEPS,
        }
    }
}

/// Checks `history` with no search budget: returns
/// [`CheckResult::Linearizable`] or [`CheckResult::NotLinearizable`], however
/// long that takes. Use [`check_with_budget`] on untrusted or huge histories.
#[must_use]
pub fn check(history: &[Operation]) -> CheckResult {
    check_with_options(history, CheckOptions::default())
}

/// Checks `history`, spending at most `max_steps` search steps on each key;
/// may return [`CheckResult::Unknown`].
#[must_use]
pub fn check_with_budget(history: &[Operation], max_steps: u64) -> CheckResult {
    check_with_options(
        history,
        CheckOptions {
            max_steps,
            ..CheckOptions::default()
        },
    )
}

/// Checks `history` with explicit [`CheckOptions`].
#[must_use]
pub fn check_with_options(history: &[Operation], options: CheckOptions) -> CheckResult {
    let mut by_key: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in history {
        if !matches!(op.outcome, Outcome::Failed) {
            by_key.entry(op.key.as_str()).or_default().push(op);
        }
    }
    let mut first_timeout: Option<&str> = None;
    for (key, ops) in by_key {
        match search(&ops, options.max_steps, false).verdict {
            Verdict::Linearizable => {}
            Verdict::OutOfBudget => {
                first_timeout.get_or_insert(key);
            }
            Verdict::Violation { .. } => return report(key, ops, options),
        }
    }
    match first_timeout {
        None => CheckResult::Linearizable,
        Some(key) => CheckResult::Unknown {
            key: key.to_owned(),
            max_steps: options.max_steps,
        },
    }
}

/// Shrinks a key's non-linearizable sub-history and explains it.
fn report(key: &str, ops: Vec<&Operation>, options: CheckOptions) -> CheckResult {
    let total = ops.len();
    let mut small = shrink(ops, options.max_steps, options.shrink_steps);
    small.sort_by_key(|op| (op.invoke, op.client, op.req));
    let explanation = explain(key, &small, total, options.max_steps);
    CheckResult::NotLinearizable {
        key: key.to_owned(),
        ops: small.into_iter().cloned().collect(),
        explanation,
    }
}

fn explain(key: &str, ops: &[&Operation], total: usize, max_steps: u64) -> String {
    use fmt::Write as _;
    let mut s = String::new();
    let of = if ops.len() == total {
        "all of the key's operations".to_owned()
    } else {
        format!("shrunk from the key's {total}")
    };
    let _ = writeln!(
        s,
        "key {key:?}: these {} operations ({of}) have no linearization:",
        ops.len()
    );
    for (i, op) in ops.iter().enumerate() {
        let _ = writeln!(s, "  #{} {op}", i + 1);
    }
    if let Verdict::Violation { partial } = search(ops, max_steps, true).verdict {
        if partial.is_empty() {
            let _ = write!(
                s,
                "No operation can even be linearized first (the key starts missing)."
            );
        } else {
            let order: Vec<String> = partial.iter().map(|i| format!("#{}", i + 1)).collect();
            let state = match replay(ops, &partial) {
                None => "the key is missing".to_owned(),
                Some(v) => format!("the key holds {v:?}"),
            };
            let _ = write!(
                s,
                "The longest consistent partial linearization is {} (after which {state}); \
                 no remaining operation can follow it without contradicting its output or \
                 real-time order.",
                order.join(", ")
            );
        }
    }
    s
}

/// The key's value after applying `ops[order[0]], ops[order[1]], ...`.
fn replay(ops: &[&Operation], order: &[usize]) -> Option<String> {
    let mut value: Option<String> = None;
    for &i in order {
        let op = ops[i];
        match op.kind {
            OpKind::Put => value = Some(op.written().to_owned()),
            OpKind::Append => value = Some(value.unwrap_or_default() + op.written()),
            OpKind::Cas if value == op.expected => value = Some(op.written().to_owned()),
            OpKind::Cas | OpKind::Get => {}
        }
    }
    value
}

// ---------------------------------------------------------------------------
// Shrinking

/// Delta-debugging shrink: drop chunks (halving their size), then single
/// operations until a fixpoint, keeping each removal only if the remainder is
/// still (verifiably, within budget) not linearizable and no remaining
/// operation observes a value the removed ones wrote.
fn shrink(mut cur: Vec<&Operation>, per_check: u64, mut budget: u64) -> Vec<&Operation> {
    fn still_fails(cand: &[&Operation], per_check: u64, budget: &mut u64) -> bool {
        if *budget == 0 || cand.is_empty() {
            return false;
        }
        let s = search(cand, per_check.min(*budget), false);
        *budget -= s.steps.min(*budget);
        matches!(s.verdict, Verdict::Violation { .. })
    }
    let mut chunk = (cur.len() / 2).max(1);
    loop {
        let mut changed = false;
        // Walk chunks from the end: later operations are usually irrelevant
        // to an earlier violation, and their observers go with them.
        let mut end = cur.len();
        while end > 0 {
            let start = end.saturating_sub(chunk);
            let mut cand = Vec::with_capacity(cur.len() - (end - start));
            cand.extend_from_slice(&cur[..start]);
            cand.extend_from_slice(&cur[end..]);
            if removal_keeps_writers(&cur[start..end], &cand)
                && still_fails(&cand, per_check, &mut budget)
            {
                cur = cand;
                changed = true;
            }
            end = start;
        }
        if chunk > 1 {
            chunk /= 2;
        } else if !changed {
            break;
        }
        if budget == 0 {
            break;
        }
    }
    cur
}

/// False if dropping `removed` could make a remaining operation wrong for a
/// new reason: some removed operation may have written a value (or, for
/// appends, a piece of one) that a remaining operation observed, or may have
/// taken effect before a remaining failed cas (which only needs the value to
/// differ from its expectation, and dropping writes can make it equal).
fn removal_keeps_writers(removed: &[&Operation], remaining: &[&Operation]) -> bool {
    let observed: Vec<&str> = remaining.iter().filter_map(|op| op.observed()).collect();
    let last_failed_cas = remaining
        .iter()
        .filter_map(|op| match op.outcome {
            Outcome::Ok {
                output: Output::Cas(false),
                complete,
            } if op.kind == OpKind::Cas => Some(complete),
            _ => None,
        })
        .max();
    removed.iter().filter(|op| op.may_write()).all(|w| {
        last_failed_cas.is_none_or(|t| w.invoke > t)
            && !observed.iter().any(|o| o.contains(w.written()))
    })
}

// ---------------------------------------------------------------------------
// The search

enum Verdict {
    Linearizable,
    /// `partial`: the longest partial linearization found (indices into the
    /// searched slice; only filled when recording).
    Violation {
        partial: Vec<usize>,
    },
    OutOfBudget,
}

struct Search {
    verdict: Verdict,
    steps: u64,
}

const NIL: u32 = u32::MAX;
/// State id of "key missing".
const MISSING: u32 = 0;
/// State id standing for every *dead* value: one that is not part of any
/// get result or cas expectation on the key. From a dead value every get and
/// every successful cas fails, every failed cas and append succeeds (and an
/// append leaves it dead), until a put replaces it; so all dead values have
/// the same future, and collapsing them keeps the search from telling apart
/// orders of appends nobody can observe.
const DEAD: u32 = 1;

/// What linearizing an operation does, with all strings interned.
enum Effect {
    Put {
        new: u32,
    },
    /// `holders`: the observations containing `suffix`; only those can
    /// contain a value it produces.
    Append {
        suffix: String,
        holders: Vec<u32>,
    },
    /// `observed`: `None` = unconstrained.
    Get {
        observed: Option<u32>,
    },
    /// `result`: `None` = unknown outcome (unconstrained).
    Cas {
        expected: u32,
        new: u32,
        result: Option<bool>,
    },
    /// Recorded output of the wrong variant: can never be linearized.
    Impossible,
}

/// Interned model states (`MISSING`, `DEAD` or a live string) and the
/// transition function.
struct Model<'a> {
    /// Every value some operation observed (get results, cas expectations).
    observations: Vec<&'a str>,
    strings: Vec<String>,
    ids: HashMap<String, u32>,
    appended: HashMap<(u32, u32), u32>,
}

impl<'a> Model<'a> {
    fn new(observations: Vec<&'a str>) -> Self {
        let mut model = Model {
            observations: Vec::new(),
            // Slots 0 and 1 are MISSING and DEAD; their strings are unused.
            strings: vec![String::new(), String::new()],
            ids: HashMap::new(),
            appended: HashMap::new(),
        };
        // Observed values are live by definition.
        for o in &observations {
            if !model.ids.contains_key(*o) {
                model.add(o);
            }
        }
        model.observations = observations;
        model
    }

    /// Whether `s` is part of some observation (else it is dead).
    fn observable(&self, s: &str) -> bool {
        self.observations.iter().any(|o| o.contains(s))
    }

    /// The state id of value `s`: `DEAD` if it is dead.
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        if !self.observable(s) {
            return DEAD;
        }
        self.add(s)
    }

    fn add(&mut self, s: &str) -> u32 {
        let id = self.strings.len() as u32;
        self.strings.push(s.to_owned());
        self.ids.insert(s.to_owned(), id);
        id
    }

    fn intern_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(MISSING, |s| self.intern(s))
    }

    fn effect(&mut self, op: &Operation) -> Effect {
        let unknown = matches!(op.outcome, Outcome::Unknown);
        let output = match &op.outcome {
            Outcome::Ok { output, .. } => Some(output),
            _ => None,
        };
        match op.kind {
            OpKind::Put => Effect::Put {
                new: self.intern(op.written()),
            },
            OpKind::Append => Effect::Append {
                suffix: op.written().to_owned(),
                holders: (0..self.observations.len() as u32)
                    .filter(|&o| self.observations[o as usize].contains(op.written()))
                    .collect(),
            },
            OpKind::Get => match output {
                None if unknown => Effect::Get { observed: None },
                Some(Output::Value(v)) => Effect::Get {
                    observed: Some(self.intern_opt(v.as_deref())),
                },
                _ => Effect::Impossible,
            },
            OpKind::Cas => {
                let result = match output {
                    None if unknown => None,
                    Some(Output::Cas(b)) => Some(*b),
                    _ => return Effect::Impossible,
                };
                Effect::Cas {
                    expected: self.intern_opt(op.expected.as_deref()),
                    new: self.intern(op.written()),
                    result,
                }
            }
        }
    }

    /// The state after linearizing operation `idx` (with `effect`) in
    /// `state`, or `None` if its output contradicts the model.
    ///
    /// An unknown cas deterministically swaps when it can: "took effect but
    /// failed" is indistinguishable from "linearized later or never".
    fn step(&mut self, state: u32, idx: u32, effect: &Effect) -> Option<u32> {
        match *effect {
            Effect::Put { new } => Some(new),
            Effect::Append {
                ref suffix,
                ref holders,
            } => {
                if state == DEAD {
                    return Some(DEAD);
                }
                if let Some(&next) = self.appended.get(&(state, idx)) {
                    return Some(next);
                }
                let mut s = if state == MISSING {
                    String::new()
                } else {
                    self.strings[state as usize].clone()
                };
                s.push_str(suffix);
                let next = match self.ids.get(&s) {
                    Some(&id) => id,
                    None if holders
                        .iter()
                        .any(|&o| self.observations[o as usize].contains(&s)) =>
                    {
                        self.add(&s)
                    }
                    None => DEAD,
                };
                self.appended.insert((state, idx), next);
                Some(next)
            }
            Effect::Get { observed } => match observed {
                Some(v) if v != state => None,
                _ => Some(state),
            },
            Effect::Cas {
                expected,
                new,
                result,
            } => {
                let swaps = state == expected;
                if result.is_some_and(|r| r != swaps) {
                    return None;
                }
                Some(if swaps { new } else { state })
            }
            Effect::Impossible => None,
        }
    }
}

/// An entry of the doubly-linked lists (index 0 is the head). The main list
/// holds the calls and returns of completed operations in time order; a
/// second list holds the calls of unknown operations, which have no return.
#[derive(Clone, Copy)]
struct Node {
    /// Index into the live operations.
    op: u32,
    is_call: bool,
    time: u64,
    /// For a call in the main list: its return entry.
    mate: u32,
    prev: u32,
    next: u32,
}

const HEAD: Node = Node {
    op: NIL,
    is_call: false,
    time: 0,
    mate: NIL,
    prev: NIL,
    next: NIL,
};

fn unlink(nodes: &mut [Node], e: u32) {
    let Node { prev, next, .. } = nodes[e as usize];
    nodes[prev as usize].next = next;
    if next != NIL {
        nodes[next as usize].prev = prev;
    }
}

/// Exact inverse of [`unlink`]; valid in LIFO order.
fn relink(nodes: &mut [Node], e: u32) {
    let Node { prev, next, .. } = nodes[e as usize];
    nodes[prev as usize].next = e;
    if next != NIL {
        nodes[next as usize].prev = e;
    }
}

/// Builds a list from `(time, is_return, op)` entries sorted by the caller.
fn build_list(entries: &[(u64, bool, u32)], n_ops: usize) -> Vec<Node> {
    let mut nodes = vec![HEAD; entries.len() + 1];
    let mut call_node = vec![NIL; n_ops];
    for (k, &(time, is_return, op)) in entries.iter().enumerate() {
        let id = k as u32 + 1;
        nodes[id as usize] = Node {
            op,
            is_call: !is_return,
            time,
            mate: NIL,
            prev: id - 1,
            next: if k + 1 < entries.len() { id + 1 } else { NIL },
        };
        if is_return {
            nodes[call_node[op as usize] as usize].mate = id;
        } else {
            call_node[op as usize] = id;
        }
    }
    nodes[0].next = if entries.is_empty() { NIL } else { 1 };
    nodes
}

/// Hasher for keys that already are well-mixed 64-bit hashes.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The visited configurations. A configuration is (set F of linearized
/// completed operations, set U of linearized unknown operations, state).
/// Everything that can follow (F, U, s) can also follow (F, U', s) for
/// U' ⊆ U (the unknown operations in U \ U' may simply never take effect),
/// so a configuration is pruned when one with the same F and s and a subset
/// of its U was seen. With U empty this is Lowe's exact cache.
///
/// Entries live in an arena chained by the hash of (F, s), so lookups never
/// allocate.
struct Cache {
    f_words: usize,
    u_words: usize,
    heads: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    f_bits: Vec<u64>,
    states: Vec<u32>,
    next: Vec<u32>,
    /// Per entry, the U sets seen (concatenated `u_words`-word bitsets).
    u_sets: Vec<Vec<u64>>,
}

impl Cache {
    fn new(f_words: usize, u_words: usize) -> Self {
        Cache {
            f_words,
            u_words,
            heads: HashMap::default(),
            f_bits: Vec::new(),
            states: Vec::new(),
            next: Vec::new(),
            u_sets: Vec::new(),
        }
    }

    /// Records (F, U, s); `false` if it is pruned by an earlier entry.
    fn insert(&mut self, hash: u64, f: &[u64], u: &[u64], state: u32) -> bool {
        let new = self.states.len() as u32;
        let fw = self.f_words;
        let uw = self.u_words;
        match self.heads.entry(hash) {
            Entry::Vacant(v) => {
                v.insert(new);
            }
            Entry::Occupied(o) => {
                let mut i = *o.get() as usize;
                loop {
                    if self.states[i] == state && self.f_bits[i * fw..(i + 1) * fw] == *f {
                        let sets = &mut self.u_sets[i];
                        let dominated = uw == 0
                            || sets
                                .chunks_exact(uw)
                                .any(|seen| seen.iter().zip(u).all(|(s, x)| s & !x == 0));
                        if dominated {
                            return false;
                        }
                        sets.extend_from_slice(u);
                        return true;
                    }
                    match self.next[i] {
                        NIL => {
                            self.next[i] = new;
                            break;
                        }
                        n => i = n as usize,
                    }
                }
            }
        }
        self.f_bits.extend_from_slice(f);
        self.states.push(state);
        self.next.push(NIL);
        self.u_sets.push(u.to_vec());
        true
    }
}

fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn set_bit(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

fn clear_bit(bits: &mut [u64], i: usize) {
    bits[i / 64] &= !(1 << (i % 64));
}

/// A choice on the search stack.
struct Frame {
    /// The lifted call (in the main list, or the unknown list if `unknown`).
    node: u32,
    unknown: bool,
    prev_state: u32,
    /// While scanning unknown calls: the time of the first pending return.
    deadline: u64,
    /// While scanning unknown calls: whether a failed cas is a candidate.
    cas_false_pending: bool,
}

/// Whether a completed cas that returned `false` is among the candidates:
/// the calls before the first pending return in the main list.
fn cas_false_candidate(main: &[Node], effects: &[Effect]) -> bool {
    let mut cur = main[0].next;
    while cur != NIL && main[cur as usize].is_call {
        let node = main[cur as usize];
        if matches!(
            effects[node.op as usize],
            Effect::Cas {
                result: Some(false),
                ..
            }
        ) {
            return true;
        }
        cur = node.next;
    }
    false
}

/// Decides whether `ops` (all on one key, none failed) are linearizable,
/// spending at most `max_steps` steps. With `record`, a violation carries
/// the longest partial linearization seen.
///
/// At each configuration the candidates are the pending calls invoked no
/// later than the first pending return (the return of a completed operation
/// not yet linearized). Completed candidates are tried first, in time order,
/// then unknown ones: an unknown operation is only made to take effect when
/// the completed ones cannot proceed without it. Two rules skip unknown
/// candidates that cannot matter (the search stays complete):
///
/// * An unknown put right after another unknown operation (no completed one
///   in between) overwrites it: applying the put alone reaches the same state
///   with more operations left, and is tried as well.
/// * An unknown put or append whose value is *unobserved* (not part of any
///   get result or cas expectation on the key) leaves the value containing a
///   string no later read or successful cas accepts until a put replaces it;
///   it can only help a failed cas (by making the value differ from the
///   expectation). So it is only applied when a failed cas is a candidate:
///   any linearization can be rearranged so each such operation comes right
///   before such a cas (or never).
fn search(ops: &[&Operation], max_steps: u64, record: bool) -> Search {
    // Unknown gets constrain nothing: drop them.
    let live: Vec<usize> = (0..ops.len())
        .filter(|&i| !(ops[i].kind == OpKind::Get && ops[i].outcome == Outcome::Unknown))
        .collect();
    let observations: Vec<&str> = ops
        .iter()
        .flat_map(|op| {
            let got = match &op.outcome {
                Outcome::Ok {
                    output: Output::Value(Some(v)),
                    ..
                } if op.kind == OpKind::Get => Some(v.as_str()),
                _ => None,
            };
            let expected = match op.kind {
                OpKind::Cas => op.expected.as_deref(),
                _ => None,
            };
            got.into_iter().chain(expected)
        })
        .collect();
    let mut model = Model::new(observations.clone());
    let effects: Vec<Effect> = live.iter().map(|&i| model.effect(ops[i])).collect();
    let unobserved: Vec<bool> = live
        .iter()
        .map(|&i| {
            let op = ops[i];
            op.outcome == Outcome::Unknown
                && matches!(op.kind, OpKind::Put | OpKind::Append)
                && !op.written().is_empty()
                && !observations.iter().any(|o| o.contains(op.written()))
        })
        .collect();
    // Index of each live op within its class (completed / unknown).
    let mut class_index = vec![0usize; live.len()];
    let mut main_entries = Vec::new();
    let mut unknown_entries = Vec::new();
    for (j, &i) in live.iter().enumerate() {
        let op = ops[i];
        match op.outcome {
            Outcome::Ok { complete, .. } => {
                class_index[j] = main_entries.len() / 2;
                main_entries.push((op.invoke, false, j as u32));
                main_entries.push((complete.max(op.invoke), true, j as u32));
            }
            _ => {
                class_index[j] = unknown_entries.len();
                unknown_entries.push((op.invoke, false, j as u32));
            }
        }
    }
    let n_finite = main_entries.len() / 2;
    let n_unknown = unknown_entries.len();
    if n_finite == 0 {
        // Only unknown operations: each may apply, in any order, or not.
        return Search {
            verdict: Verdict::Linearizable,
            steps: 0,
        };
    }
    // At equal times calls precede returns: touching intervals are concurrent.
    main_entries.sort_unstable();
    unknown_entries.sort_unstable();
    let mut main = build_list(&main_entries, live.len());
    let mut unknown = build_list(&unknown_entries, live.len());

    let zobrist: Vec<u64> = (0..n_finite as u64)
        .map(|j| mix64(j ^ 0x5EED_0000))
        .collect();
    let state_hash = |s: u32| mix64(u64::from(s).wrapping_mul(0xA076_1D64_78BD_642F));
    let mut cache = Cache::new(n_finite.div_ceil(64), n_unknown.div_ceil(64));
    let mut f_bits = vec![0u64; n_finite.div_ceil(64)];
    let mut u_bits = vec![0u64; n_unknown.div_ceil(64)];
    let mut zob = 0u64;
    let mut state = MISSING;
    cache.insert(state_hash(state), &f_bits, &u_bits, state);
    let mut remaining = n_finite;
    let mut stack: Vec<Frame> = Vec::new();
    let mut best: Vec<usize> = Vec::new();
    let mut steps = 0u64;
    // Scan position: in `main`, or in `unknown` (bounded by `deadline`).
    let mut in_unknown = false;
    let mut deadline = 0u64;
    let mut cas_false_pending = false;
    let mut cur = main[0].next;

    loop {
        if steps >= max_steps {
            return Search {
                verdict: Verdict::OutOfBudget,
                steps,
            };
        }
        steps += 1;
        let lifted = if in_unknown {
            let node = if cur == NIL {
                None
            } else {
                Some(unknown[cur as usize])
            };
            match node {
                Some(node) if node.time <= deadline => {
                    let j = node.op as usize;
                    let u = class_index[j];
                    let mut lifted = false;
                    let pointless = (unobserved[j] && !cas_false_pending)
                        || (matches!(effects[j], Effect::Put { .. })
                            && stack.last().is_some_and(|fr| fr.unknown));
                    if pointless {
                    } else if let Some(next_state) = model.step(state, node.op, &effects[j]) {
                        set_bit(&mut u_bits, u);
                        if cache.insert(zob ^ state_hash(next_state), &f_bits, &u_bits, next_state)
                        {
                            stack.push(Frame {
                                node: cur,
                                unknown: true,
                                prev_state: state,
                                deadline,
                                cas_false_pending,
                            });
                            state = next_state;
                            unlink(&mut unknown, cur);
                            lifted = true;
                        } else {
                            clear_bit(&mut u_bits, u);
                        }
                    }
                    if !lifted {
                        cur = node.next;
                    }
                    lifted
                }
                _ => {
                    // No candidate left here: undo the most recent choice.
                    let Some(frame) = stack.pop() else {
                        return Search {
                            verdict: Verdict::Violation { partial: best },
                            steps,
                        };
                    };
                    state = frame.prev_state;
                    if frame.unknown {
                        let j = unknown[frame.node as usize].op as usize;
                        clear_bit(&mut u_bits, class_index[j]);
                        relink(&mut unknown, frame.node);
                        cur = unknown[frame.node as usize].next;
                        deadline = frame.deadline;
                        cas_false_pending = frame.cas_false_pending;
                    } else {
                        let j = main[frame.node as usize].op as usize;
                        let f = class_index[j];
                        clear_bit(&mut f_bits, f);
                        zob ^= zobrist[f];
                        remaining += 1;
                        let mate = main[frame.node as usize].mate;
                        relink(&mut main, mate);
                        relink(&mut main, frame.node);
                        cur = main[frame.node as usize].next;
                        in_unknown = false;
                    }
                    continue;
                }
            }
        } else {
            // `remaining > 0`, so a pending return precedes the end.
            let node = main[cur as usize];
            if !node.is_call {
                // First pending return: that operation cannot wait longer.
                // Try making an unknown operation take effect first.
                in_unknown = true;
                deadline = node.time;
                cas_false_pending = cas_false_candidate(&main, &effects);
                cur = unknown[0].next;
                continue;
            }
            let j = node.op as usize;
            let f = class_index[j];
            let mut lifted = false;
            if let Some(next_state) = model.step(state, node.op, &effects[j]) {
                set_bit(&mut f_bits, f);
                let next_zob = zob ^ zobrist[f];
                if cache.insert(
                    next_zob ^ state_hash(next_state),
                    &f_bits,
                    &u_bits,
                    next_state,
                ) {
                    stack.push(Frame {
                        node: cur,
                        unknown: false,
                        prev_state: state,
                        deadline: 0,
                        cas_false_pending: false,
                    });
                    state = next_state;
                    zob = next_zob;
                    unlink(&mut main, cur);
                    unlink(&mut main, node.mate);
                    remaining -= 1;
                    if remaining == 0 {
                        // Unknown operations left may all just never happen.
                        return Search {
                            verdict: Verdict::Linearizable,
                            steps,
                        };
                    }
                    lifted = true;
                } else {
                    clear_bit(&mut f_bits, f);
                }
            }
            if !lifted {
                cur = node.next;
            }
            lifted
        };
        if lifted {
            if record && stack.len() > best.len() {
                best = stack
                    .iter()
                    .map(|fr| {
                        let list = if fr.unknown { &unknown } else { &main };
                        live[list[fr.node as usize].op as usize]
                    })
                    .collect();
            }
            in_unknown = false;
            cur = main[0].next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> Output {
        Output::None
    }
    fn val(v: &str) -> Output {
        Output::Value(Some(v.to_owned()))
    }
    fn missing() -> Output {
        Output::Value(None)
    }

    fn assert_lin(h: &[Operation]) {
        let r = check(h);
        assert!(r.is_linearizable(), "expected linearizable, got {r}");
    }

    fn assert_not_lin(h: &[Operation]) -> (String, Vec<Operation>, String) {
        match check(h) {
            CheckResult::NotLinearizable {
                key,
                ops,
                explanation,
            } => {
                // The witness really is a non-linearizable sub-history.
                assert!(!ops.is_empty());
                assert!(
                    ops.iter().all(|o| h.contains(o)),
                    "witness not a sub-history"
                );
                assert!(check(&ops).is_violation(), "witness is linearizable");
                (key, ops, explanation)
            }
            other => panic!("expected a violation, got {other}"),
        }
    }

    #[test]
    fn empty_and_sequential_histories_are_linearizable() {
        assert_lin(&[]);
        assert_lin(&[
            Operation::get(1, 1, "x", 0).completed(missing(), 5),
            Operation::put(1, 2, "x", "a", 10).completed(ok(), 20),
            Operation::get(2, 1, "x", 30).completed(val("a"), 40),
            Operation::append(1, 3, "x", "b", 50).completed(ok(), 60),
            Operation::get(2, 2, "x", 70).completed(val("ab"), 80),
            Operation::cas(2, 3, "x", Some("ab"), "c", 90).completed(Output::Cas(true), 95),
            Operation::get(1, 4, "x", 100).completed(val("c"), 110),
        ]);
    }

    #[test]
    fn stale_read_after_completed_write_is_not_linearizable() {
        let h = [
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::put(1, 2, "x", "b", 20).completed(ok(), 30),
            Operation::get(2, 1, "x", 40).completed(val("a"), 50),
        ];
        let (key, ops, explanation) = assert_not_lin(&h);
        assert_eq!(key, "x");
        // All three are needed to show the staleness.
        assert_eq!(ops, h.to_vec());
        assert!(
            explanation.contains("get(\"x\") -> Some(\"a\")"),
            "{explanation}"
        );
        assert!(explanation.contains("invoked at 40µs"), "{explanation}");
        assert!(
            explanation.contains("#1, #2 (after which the key holds \"b\")"),
            "{explanation}"
        );
        // Reading the initial value after a completed write is stale too.
        assert_not_lin(&[
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::get(2, 1, "x", 20).completed(missing(), 30),
        ]);
    }

    #[test]
    fn concurrent_write_and_read_may_see_either_value() {
        for seen in [missing(), val("a")] {
            assert_lin(&[
                Operation::put(1, 1, "x", "a", 0).completed(ok(), 100),
                Operation::get(2, 1, "x", 10).completed(seen, 50),
            ]);
        }
        // But once a concurrent read saw the new value, a later read cannot
        // see the old one.
        assert_not_lin(&[
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 100),
            Operation::get(2, 1, "x", 10).completed(val("a"), 20),
            Operation::get(3, 1, "x", 30).completed(missing(), 40),
        ]);
    }

    #[test]
    fn touching_intervals_are_concurrent() {
        assert_lin(&[
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::get(2, 1, "x", 10).completed(missing(), 20),
        ]);
        assert_not_lin(&[
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::get(2, 1, "x", 11).completed(missing(), 20),
        ]);
    }

    #[test]
    fn clients_observing_concurrent_puts_in_different_orders_is_not_linearizable() {
        let writes = [
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::put(2, 1, "x", "b", 0).completed(ok(), 10),
        ];
        let mut h = writes.to_vec();
        h.extend([
            Operation::get(3, 1, "x", 1).completed(val("a"), 8),
            Operation::get(3, 2, "x", 9).completed(val("b"), 9),
            Operation::get(4, 1, "x", 1).completed(val("b"), 8),
            Operation::get(4, 2, "x", 9).completed(val("a"), 9),
        ]);
        assert_not_lin(&h);
        // Each client's view alone is fine.
        let mut one = writes.to_vec();
        one.extend_from_slice(&h[2..4]);
        assert_lin(&one);
        let mut other = writes.to_vec();
        other.extend_from_slice(&h[4..6]);
        assert_lin(&other);
    }

    #[test]
    fn cas_semantics() {
        let put = Operation::put(1, 1, "x", "a", 0).completed(ok(), 10);
        // Swap succeeds iff the current value matches.
        assert_lin(&[
            put.clone(),
            Operation::cas(2, 1, "x", Some("a"), "b", 20).completed(Output::Cas(true), 30),
            Operation::cas(2, 2, "x", Some("a"), "c", 40).completed(Output::Cas(false), 50),
            Operation::get(2, 3, "x", 60).completed(val("b"), 70),
        ]);
        assert_not_lin(&[
            put.clone(),
            Operation::cas(2, 1, "x", Some("z"), "b", 20).completed(Output::Cas(true), 30),
        ]);
        assert_not_lin(&[
            put.clone(),
            Operation::cas(2, 1, "x", Some("a"), "b", 20).completed(Output::Cas(false), 30),
        ]);
        // A failed cas does not write.
        assert_not_lin(&[
            put,
            Operation::cas(2, 1, "x", Some("z"), "b", 20).completed(Output::Cas(false), 30),
            Operation::get(2, 2, "x", 40).completed(val("b"), 50),
        ]);
        // `expected: None` means "missing".
        assert_lin(&[
            Operation::cas(1, 1, "y", None, "n", 0).completed(Output::Cas(true), 10),
            Operation::cas(1, 2, "y", None, "m", 20).completed(Output::Cas(false), 30),
            Operation::get(1, 3, "y", 40).completed(val("n"), 50),
        ]);
        // Two concurrent cas from the same expected value cannot both win.
        assert_not_lin(&[
            Operation::cas(1, 1, "z", None, "p", 0).completed(Output::Cas(true), 10),
            Operation::cas(2, 1, "z", None, "q", 0).completed(Output::Cas(true), 10),
        ]);
    }

    #[test]
    fn append_ordering() {
        let appends = [
            Operation::append(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::append(1, 2, "x", "b", 20).completed(ok(), 30),
        ];
        let with_read = |v: &str| {
            let mut h = appends.to_vec();
            h.push(Operation::get(2, 1, "x", 40).completed(val(v), 50));
            h
        };
        assert_lin(&with_read("ab"));
        assert_not_lin(&with_read("ba"));
        assert_not_lin(&with_read("a"));
        // Concurrent appends: either order, but both.
        for v in ["xy", "yx"] {
            assert_lin(&[
                Operation::append(1, 1, "k", "x", 0).completed(ok(), 10),
                Operation::append(2, 1, "k", "y", 0).completed(ok(), 10),
                Operation::get(3, 1, "k", 20).completed(val(v), 30),
            ]);
        }
        assert_not_lin(&[
            Operation::append(1, 1, "k", "x", 0).completed(ok(), 10),
            Operation::append(2, 1, "k", "y", 0).completed(ok(), 10),
            Operation::get(3, 1, "k", 20).completed(val("x"), 30),
        ]);
        // Append after put extends the put value.
        assert_lin(&[
            Operation::put(1, 1, "k", "p", 0).completed(ok(), 10),
            Operation::append(1, 2, "k", "q", 20).completed(ok(), 30),
            Operation::get(1, 3, "k", 40).completed(val("pq"), 50),
        ]);
    }

    #[test]
    fn unknown_op_that_must_have_taken_effect_is_accepted() {
        // The put timed out, yet much later a read sees its value: it took
        // effect (late). Meanwhile the value was still missing.
        assert_lin(&[
            Operation::put(1, 1, "x", "a", 0),
            Operation::get(2, 1, "x", 100).completed(missing(), 110),
            Operation::get(2, 2, "x", 5_000).completed(val("a"), 5_010),
        ]);
        // An unknown cas that must have swapped.
        assert_lin(&[
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::cas(1, 2, "x", Some("a"), "b", 20),
            Operation::get(2, 1, "x", 100).completed(val("b"), 110),
        ]);
        // But it cannot take effect before it was invoked.
        assert_not_lin(&[
            Operation::get(2, 1, "x", 0).completed(val("a"), 10),
            Operation::put(1, 1, "x", "a", 20),
        ]);
        // Nor take effect twice.
        assert_not_lin(&[
            Operation::append(1, 1, "x", "a", 0),
            Operation::get(2, 1, "x", 100).completed(val("aa"), 110),
        ]);
    }

    #[test]
    fn unknown_op_never_taking_effect_is_accepted() {
        assert_lin(&[
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::put(2, 1, "x", "b", 20),
            Operation::append(3, 1, "x", "c", 20),
            Operation::cas(4, 1, "x", Some("a"), "d", 20),
            Operation::get(5, 1, "x", 25),
            Operation::get(1, 2, "x", 30).completed(val("a"), 40),
            Operation::get(1, 3, "x", 10_000).completed(val("a"), 10_010),
        ]);
    }

    #[test]
    fn failed_ops_are_dropped() {
        assert_lin(&[
            Operation::put(1, 1, "x", "a", 0).failed(),
            Operation::get(2, 1, "x", 100).completed(missing(), 110),
        ]);
        // A failed put cannot explain a read of its value.
        assert_not_lin(&[
            Operation::put(1, 1, "x", "a", 0).failed(),
            Operation::get(2, 1, "x", 100).completed(val("a"), 110),
        ]);
    }

    #[test]
    fn mismatched_output_variant_is_a_violation() {
        assert_not_lin(&[Operation::get(1, 1, "x", 0).completed(Output::Cas(true), 10)]);
        assert_not_lin(&[Operation::cas(1, 1, "x", None, "a", 0).completed(missing(), 10)]);
    }

    #[test]
    fn keys_are_checked_independently() {
        // Interleaved across keys, each key fine on its own.
        assert_lin(&[
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::put(1, 2, "y", "b", 20).completed(ok(), 30),
            Operation::get(2, 1, "y", 40).completed(val("b"), 50),
            Operation::get(2, 2, "x", 60).completed(val("a"), 70),
        ]);
        let h = [
            Operation::put(1, 1, "x", "a", 0).completed(ok(), 10),
            Operation::put(1, 2, "y", "b", 20).completed(ok(), 30),
            Operation::get(2, 1, "y", 40).completed(missing(), 50),
            Operation::get(2, 2, "x", 60).completed(val("a"), 70),
        ];
        let (key, ops, _) = assert_not_lin(&h);
        assert_eq!(key, "y");
        assert_eq!(ops, vec![h[1].clone(), h[2].clone()]);
    }

    #[test]
    fn budget_exhaustion_reports_unknown() {
        let h = generate(7, &Gen::default());
        assert!(check(&h).is_linearizable());
        match check_with_budget(&h, 3) {
            CheckResult::Unknown { max_steps, .. } => assert_eq!(max_steps, 3),
            other => panic!("expected unknown, got {other}"),
        }
        // A definite violation on another key beats a timeout.
        let mut h2 = h.clone();
        h2.push(Operation::get(9, 1, "zz", 0).completed(val("nope"), 1));
        assert!(check_with_budget(&h2, 3).is_violation());
    }

    // --- Randomized histories from a simulated atomic store ----------------

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(1);
            mix64(self.0)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn percent(&mut self, p: u64) -> bool {
            self.below(100) < p
        }
    }

    struct Gen {
        clients: u64,
        keys: u64,
        ops: usize,
        unknown_pct: u64,
        kinds: &'static [OpKind],
    }

    impl Default for Gen {
        fn default() -> Self {
            Gen {
                clients: 5,
                keys: 3,
                ops: 300,
                unknown_pct: 5,
                kinds: &[
                    OpKind::Get,
                    OpKind::Get,
                    OpKind::Put,
                    OpKind::Append,
                    OpKind::Cas,
                ],
            }
        }
    }

    /// A linearizable history: each operation takes effect at a random
    /// instant inside its interval (an unknown one at any later instant, or
    /// never) on an atomic map, and records the output it got there.
    /// Written values are unique: puts "p<i>", appends "a<i>;", cas "c<i>".
    fn generate(seed: u64, g: &Gen) -> Vec<Operation> {
        let mut rng = Rng(seed.wrapping_mul(0x1234_5678_9ABC_DEF1));
        let mut client_time = vec![0u64; g.clients as usize];
        let mut client_req = vec![0u64; g.clients as usize];
        let mut recent: Vec<Vec<String>> = vec![Vec::new(); g.keys as usize];
        let mut ops = Vec::with_capacity(g.ops);
        let mut lin_points: Vec<(u64, usize)> = Vec::new();
        for i in 0..g.ops {
            let c = rng.below(g.clients) as usize;
            client_req[c] += 1;
            let k = rng.below(g.keys) as usize;
            let key = format!("k{k}");
            let invoke = client_time[c] + rng.below(10);
            let kind = g.kinds[rng.below(g.kinds.len() as u64) as usize];
            let (cl, rq) = (c as u64, client_req[c]);
            let mut op = match kind {
                OpKind::Put => Operation::put(cl, rq, key, format!("p{i}"), invoke),
                OpKind::Get => Operation::get(cl, rq, key, invoke),
                OpKind::Append => Operation::append(cl, rq, key, format!("a{i};"), invoke),
                OpKind::Cas => {
                    let r = &recent[k];
                    let expected = if r.is_empty() || rng.percent(20) {
                        None
                    } else {
                        Some(r[r.len() - 1 - rng.below(r.len().min(3) as u64) as usize].clone())
                    };
                    Operation::cas(cl, rq, key, expected.as_deref(), format!("c{i}"), invoke)
                }
            };
            if kind != OpKind::Get {
                recent[k].push(op.written().to_owned());
            }
            if rng.percent(g.unknown_pct) {
                if rng.percent(50) {
                    lin_points.push((invoke + rng.below(3_000), i));
                }
                client_time[c] = invoke + 50;
            } else {
                let lin = invoke + rng.below(30);
                let complete = lin + rng.below(30);
                lin_points.push((lin, i));
                // Placeholder output, filled in below.
                op.outcome = Outcome::Ok {
                    output: Output::None,
                    complete,
                };
                client_time[c] = complete;
            }
            ops.push(op);
        }
        lin_points.sort_unstable();
        let mut store: HashMap<String, String> = HashMap::new();
        for (_, i) in lin_points {
            let op = &mut ops[i];
            let cur = store.get(&op.key).cloned();
            let output = match op.kind {
                OpKind::Put => {
                    store.insert(op.key.clone(), op.written().to_owned());
                    Output::None
                }
                OpKind::Append => {
                    let v = cur.unwrap_or_default() + op.written();
                    store.insert(op.key.clone(), v);
                    Output::None
                }
                OpKind::Get => Output::Value(cur),
                OpKind::Cas => {
                    let swaps = cur == op.expected;
                    if swaps {
                        store.insert(op.key.clone(), op.written().to_owned());
                    }
                    Output::Cas(swaps)
                }
            };
            if let Outcome::Ok { output: o, .. } = &mut op.outcome {
                *o = output;
            }
        }
        ops
    }

    fn completed_gets(h: &[Operation]) -> Vec<usize> {
        (0..h.len())
            .filter(|&i| h[i].kind == OpKind::Get && matches!(h[i].outcome, Outcome::Ok { .. }))
            .collect()
    }

    fn set_output(op: &mut Operation, output: Output) {
        match &mut op.outcome {
            Outcome::Ok { output: o, .. } => *o = output,
            _ => panic!("not completed"),
        }
    }

    #[test]
    fn random_linearizable_histories_pass() {
        for seed in 0..200 {
            let g = Gen {
                keys: 1 + seed % 3,
                ops: 20 + (seed as usize % 7) * 30,
                unknown_pct: [0, 5, 15][seed as usize % 3],
                ..Gen::default()
            };
            let h = generate(seed, &g);
            let r = check(&h);
            assert!(r.is_linearizable(), "seed {seed}: {r}");
        }
    }

    #[test]
    fn random_corrupted_reads_are_detected() {
        let mut future_reads = 0;
        for seed in 0..120 {
            let g = Gen {
                keys: 1 + seed % 3,
                ops: 20 + (seed as usize % 7) * 30,
                unknown_pct: [0, 5, 15][seed as usize % 3],
                ..Gen::default()
            };
            let h = generate(seed, &g);
            let gets = completed_gets(&h);
            let mut rng = Rng(seed);
            let Some(&gi) = gets.get(rng.below(gets.len().max(1) as u64) as usize) else {
                continue;
            };

            // A value nobody wrote: the read alone is the witness.
            let mut bad = h.clone();
            set_output(&mut bad[gi], val("never-written"));
            let (key, ops, _) = assert_not_lin(&bad);
            assert_eq!(key, bad[gi].key);
            assert_eq!(ops, vec![bad[gi].clone()], "seed {seed}");

            // A value only written by a put invoked after the read completed.
            let Outcome::Ok { complete, .. } = h[gi].outcome else {
                unreachable!()
            };
            let future_put = h
                .iter()
                .find(|o| o.kind == OpKind::Put && o.key == h[gi].key && o.invoke > complete);
            if let Some(p) = future_put {
                future_reads += 1;
                let mut bad = h.clone();
                set_output(&mut bad[gi], val(p.written()));
                let (key, ops, _) = assert_not_lin(&bad);
                assert_eq!(key, bad[gi].key);
                assert!(ops.contains(&bad[gi]), "seed {seed}");
                assert!(ops.len() <= 3, "seed {seed}: {ops:?}");
            }
        }
        assert!(future_reads > 30, "only {future_reads} future-read cases");
    }

    #[test]
    fn planted_stale_read_shrinks_to_the_three_culprits() {
        for seed in 0..20 {
            let g = Gen {
                keys: 2,
                ops: 400,
                unknown_pct: 5,
                // No cas: a failed cas can become unexplainable when a write
                // is dropped, which would give the shrinker other witnesses.
                kinds: &[OpKind::Get, OpKind::Get, OpKind::Put, OpKind::Append],
                ..Gen::default()
            };
            let mut h = generate(seed, &g);
            assert!(check(&h).is_linearizable(), "seed {seed}");
            let end = h.iter().map(|o| o.invoke).max().unwrap() + 1_000;
            let planted = [
                Operation::put(90, 1, "k1", "S1", end).completed(ok(), end + 10),
                Operation::put(91, 1, "k1", "S2", end + 20).completed(ok(), end + 30),
                Operation::get(92, 1, "k1", end + 40).completed(val("S1"), end + 50),
            ];
            h.extend_from_slice(&planted);
            let (key, ops, explanation) = assert_not_lin(&h);
            assert_eq!(key, "k1");
            assert_eq!(ops, planted.to_vec(), "seed {seed}: {explanation}");
        }
    }

    #[test]
    fn planted_violation_with_cas_shrinks_to_a_handful() {
        let complete = |o: &Operation| match o.outcome {
            Outcome::Ok { complete, .. } => Some(complete),
            _ => None,
        };
        let mut planted = 0;
        for seed in 0..30 {
            let mut h = generate(seed, &Gen::default());
            // A read that returns the value of put `p` although a completed
            // put `q` definitely overwrote it before the read began (values
            // are unique, so nothing else can have written it).
            let found = completed_gets(&h).into_iter().find_map(|gi| {
                let g = &h[gi];
                let puts = || {
                    h.iter().filter(|o| {
                        o.key == g.key
                            && o.kind == OpKind::Put
                            && complete(o).is_some_and(|c| c < g.invoke)
                    })
                };
                puts().find_map(|p| {
                    puts()
                        .any(|q| q.invoke > complete(p).unwrap())
                        .then(|| (gi, p.written().to_owned()))
                })
            });
            let Some((gi, value)) = found else { continue };
            planted += 1;
            set_output(&mut h[gi], val(&value));
            let (key, ops, explanation) = assert_not_lin(&h);
            assert_eq!(key, h[gi].key);
            assert!(ops.contains(&h[gi]), "seed {seed}: {explanation}");
            assert!(ops.len() <= 4, "seed {seed}: {explanation}");
        }
        assert!(planted >= 20, "only {planted} planted");
    }

    #[test]
    fn scale_2000_ops_10_keys() {
        let g = Gen {
            clients: 5,
            keys: 10,
            ops: 2_000,
            unknown_pct: 5,
            ..Gen::default()
        };
        let mut total = std::time::Duration::ZERO;
        for seed in 0..5 {
            let h = generate(1_000 + seed, &g);
            let t = std::time::Instant::now();
            let r = check(&h);
            let elapsed = t.elapsed();
            total += elapsed;
            assert!(r.is_linearizable(), "seed {seed}: {r}");
            println!("scale: 2000 ops, linearizable, checked in {elapsed:?}");

            let mut bad = h.clone();
            let gets = completed_gets(&bad);
            let gi = gets[gets.len() * 3 / 4];
            set_output(&mut bad[gi], val("bogus"));
            let t = std::time::Instant::now();
            let r = check(&bad);
            println!(
                "scale: 2000 ops, planted violation, found and shrunk in {:?}",
                t.elapsed()
            );
            match r {
                CheckResult::NotLinearizable { key, ops, .. } => {
                    assert_eq!(key, bad[gi].key);
                    assert_eq!(ops, vec![bad[gi].clone()]);
                }
                other => panic!("expected violation, got {other}"),
            }
        }
        println!("scale: 5 linearizable checks took {total:?} in total");
    }

    #[test]
    fn single_hot_key_2000_ops() {
        let g = Gen {
            keys: 1,
            ops: 2_000,
            ..Gen::default()
        };
        let h = generate(42, &g);
        let t = std::time::Instant::now();
        let r = check(&h);
        println!("single key: 2000 ops checked in {:?}", t.elapsed());
        assert!(r.is_linearizable(), "{r}");
    }

    // --- Cross-check against brute force on tiny histories -----------------

    /// Reference semantics: some subset of the unknown operations plus all
    /// completed ones, in some order respecting real time, replays on the
    /// model with every completed output matching.
    fn brute_force(ops: &[Operation]) -> bool {
        fn end(o: &Operation) -> u64 {
            match o.outcome {
                Outcome::Ok { complete, .. } => complete,
                _ => u64::MAX,
            }
        }
        fn go(ops: &[&Operation], placed: &mut Vec<bool>, state: Option<String>) -> bool {
            let pending: Vec<usize> = (0..ops.len()).filter(|&i| !placed[i]).collect();
            if pending.iter().all(|&i| ops[i].outcome == Outcome::Unknown) {
                return true;
            }
            for &i in &pending {
                // Every op that completed before `i` was invoked goes first.
                if pending.iter().any(|&k| end(ops[k]) < ops[i].invoke) {
                    continue;
                }
                let op = ops[i];
                let out = match &op.outcome {
                    Outcome::Ok { output, .. } => Some(output),
                    _ => None,
                };
                let next = match op.kind {
                    OpKind::Put => Some(Some(op.written().to_owned())),
                    OpKind::Append => Some(Some(state.clone().unwrap_or_default() + op.written())),
                    OpKind::Get => match out {
                        None => Some(state.clone()),
                        Some(Output::Value(v)) if *v == state => Some(state.clone()),
                        _ => None,
                    },
                    OpKind::Cas => {
                        let swaps = state == op.expected;
                        let ok = match out {
                            None => true,
                            Some(Output::Cas(b)) => *b == swaps,
                            _ => false,
                        };
                        ok.then(|| {
                            if swaps {
                                Some(op.written().to_owned())
                            } else {
                                state.clone()
                            }
                        })
                    }
                };
                if let Some(next) = next {
                    placed[i] = true;
                    if go(ops, placed, next) {
                        return true;
                    }
                    placed[i] = false;
                }
            }
            false
        }
        let live: Vec<&Operation> = ops
            .iter()
            .filter(|o| o.outcome != Outcome::Failed)
            .collect();
        go(&live, &mut vec![false; live.len()], None)
    }

    /// Tiny single-key histories over a two-letter alphabet, so values
    /// collide, appends build observed strings from pieces, and most
    /// histories are wrong in some way.
    fn tiny_history(rng: &mut Rng) -> Vec<Operation> {
        let vals = ["a", "b", "ab", "ba", "aa", ""];
        let pick = |rng: &mut Rng, n: usize| vals[rng.below(n as u64) as usize].to_owned();
        let n = 2 + rng.below(6) as usize;
        let mut ops = Vec::new();
        for i in 0..n {
            let invoke = rng.below(20);
            let client = i as u64;
            let mut op = match rng.below(4) {
                0 => Operation::put(client, 1, "k", pick(rng, 3), invoke),
                1 => Operation::append(client, 1, "k", pick(rng, 2), invoke),
                2 => Operation::get(client, 1, "k", invoke),
                _ => {
                    let expected = (!rng.percent(30)).then(|| pick(rng, 5));
                    Operation::cas(client, 1, "k", expected.as_deref(), pick(rng, 3), invoke)
                }
            };
            match rng.below(10) {
                0 | 1 => {}
                2 => op = op.failed(),
                _ => {
                    let output = match op.kind {
                        OpKind::Get => Output::Value((!rng.percent(25)).then(|| pick(rng, 6))),
                        OpKind::Cas => Output::Cas(rng.percent(50)),
                        _ => Output::None,
                    };
                    op = op.completed(output, invoke + rng.below(15));
                }
            }
            ops.push(op);
        }
        ops
    }

    #[test]
    fn agrees_with_brute_force_on_tiny_histories() {
        let mut rng = Rng(99);
        let (mut yes, mut no) = (0, 0);
        for case in 0..30_000 {
            let h = tiny_history(&mut rng);
            let expected = brute_force(&h);
            let got = check(&h);
            assert_eq!(
                got.is_linearizable(),
                expected,
                "case {case}: {got}\n{h:#?}"
            );
            if expected {
                yes += 1;
            } else {
                no += 1;
                // The witness is itself a violation by the reference too.
                let CheckResult::NotLinearizable { ops, .. } = got else {
                    unreachable!()
                };
                assert!(!brute_force(&ops), "case {case}: witness {ops:#?}");
            }
        }
        assert!(yes > 3_000 && no > 3_000, "unbalanced: {yes} yes, {no} no");
    }
}

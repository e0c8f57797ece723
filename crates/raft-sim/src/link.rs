//! Share links: a run of the playground as a URL query string.
//!
//! A run is a value: a setup (the page's cluster, a library scenario or a
//! loaded scenario file), a seed, and the actions the user took, each with
//! the time and the world's event count when it was applied. Replaying them
//! on the same setup and seed gives the same world, so a link reproduces
//! exactly what the sharer saw, down to a step that stopped between two
//! events of one instant.
//!
//! `v=1&seed=7&size=5&t=400000.1021&paused&a=b7ps.p.1.w6fhc.lj.1.x.1`: five
//! servers, seed 7, S1 campaigns at 10 ms (after 25 events), client 1 puts
//! `x=1` at 310 ms (after 800), shown paused at 400 ms after 1,021 events.
//!
//! The format (parameters, and the action codes of `a`) is documented in the
//! README, section "Link format (version 1)". In short: `a` is a list of
//! fields separated by `.`; an action is a one-letter code glued to its time
//! delta, then its event delta, then a fixed number of fields for that code.
//! Numbers are base 36 (`0-9a-z`), deltas relative to the previous action.
//! Only `A-Z a-z 0-9 - . _` appear, characters that neither a browser nor
//! `URLSearchParams` percent-encodes.
//!
//! Decoding never panics; every error names the parameter and what is wrong
//! with it, in words a person can act on.

use std::fmt;

use crate::library;
use crate::scenario::Scenario;
use crate::timeline::LoggedAction;
use crate::world::{Action, Bug, Switch};

/// The version of the link format [`RunLink::to_query`] writes.
pub const LINK_VERSION: u32 = 1;

/// The page's cluster sizes.
const MIN_NODES: usize = 1;
const MAX_NODES: usize = 9;

/// What a v0 link meant when it left the seed or size out: the page's
/// defaults at the time.
const V0_SEED: u64 = 1;
const V0_NODES: usize = 5;

/// Where a run starts.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkSetup {
    /// The page's own cluster of `nodes` servers (1..=9).
    Playground { nodes: usize },
    /// A scenario of the library (`raft_sim::library::find(name)`), by name.
    Scenario { name: String },
    /// A scenario file the user loaded, carried whole.
    File { scenario: Box<Scenario> },
}

/// A run of the playground, as a link carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunLink {
    pub setup: LinkSetup,
    pub seed: u64,
    /// The actions taken by hand, in the order applied (times and event
    /// counts never decrease).
    pub actions: Vec<LoggedAction>,
    /// The moment shown: time, and events processed at it (a step can stop between two events of one instant).
    pub now_us: u64,
    pub now_events: u64,
    pub paused: bool,
}

/// Why a link cannot be read: which parameter, what is wrong with it (typed,
/// for a page that says it in its own language), and the English sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError {
    pub param: String,
    pub problem: LinkProblem,
    pub message: String,
}

/// What is wrong with a link's parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// Its percent-escapes do not make UTF-8 text.
    BadEscapes,
    /// `v` is not a number.
    NotAVersion,
    /// `v` is newer than this page reads.
    NewerVersion { version: u64 },
    /// `v` names no version.
    NoSuchVersion { version: u64 },
    /// Not a whole number (seed, size) or not a time (t).
    NotANumber,
    /// `seed` is missing.
    MissingSeed,
    /// Two setups at once (`size` and `scenario`, ...).
    TwoSetups { first: String, second: String },
    /// A size outside the page's range.
    SizeOutOfRange { size: u64, min: u64, max: u64 },
    /// No scenario (or old example) of that name.
    NoSuchScenario { name: String },
    /// No setup at all.
    NoSetup,
    /// The action log (`a`) cannot be decoded.
    BadActions,
    /// The scenario file it carries cannot be read.
    BadFile,
}

impl LinkError {
    fn new(param: &str, problem: LinkProblem, message: impl Into<String>) -> LinkError {
        LinkError {
            param: param.to_string(),
            problem,
            message: message.into(),
        }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the link's `{}` parameter: {}", self.param, self.message)
    }
}

impl std::error::Error for LinkError {}

/// The parameters that make a query a run (without them it is none).
const RUN_PARAMS: [&str; 8] = ["v", "seed", "size", "scenario", "example", "file", "t", "a"];
/// Parameters only version 1 has: a link with them but without `v` is read as version 1.
const V1_PARAMS: [&str; 4] = ["scenario", "file", "t", "a"];
/// The switches of v0 links, which turned a switch on (`batching=off` turned one off).
const V0_SWITCHES: [(&str, Switch); 3] = [
    ("prevote", Switch::PreVote),
    ("checkquorum", Switch::CheckQuorum),
    ("fastbacktrack", Switch::FastBacktrack),
];

impl RunLink {
    /// The query string without the leading `?`, e.g. `v=1&seed=7&size=5&t=12345.678&paused&a=...`.
    pub fn to_query(&self) -> String {
        let mut q = format!("v={LINK_VERSION}&seed={}", self.seed);
        match &self.setup {
            LinkSetup::Playground { nodes } => q.push_str(&format!("&size={nodes}")),
            LinkSetup::Scenario { name } => {
                q.push_str("&scenario=");
                percent_encode(name, &mut q);
            }
            LinkSetup::File { scenario } => {
                // Plain structs and enums: serializing cannot fail.
                let json = serde_json::to_string(scenario).unwrap_or_default();
                q.push_str("&file=");
                base64url_encode(json.as_bytes(), &mut q);
            }
        }
        q.push_str(&format!("&t={}", self.now_us));
        if self.now_events > 0 {
            q.push_str(&format!(".{}", self.now_events));
        }
        if self.paused {
            q.push_str("&paused");
        }
        if !self.actions.is_empty() {
            q.push_str("&a=");
            q.push_str(&encode_actions(&self.actions));
        }
        q
    }

    /// Reads a query string (with or without `?`). `Ok(None)` when it has no
    /// run at all (no `v`, `seed`, `size`, `scenario`, `example`, `file`, `t`,
    /// `a`, nor a v0 switch: `prevote`, `checkquorum`, `fastbacktrack`,
    /// `batching`). Parameters it does not know are ignored (the page has
    /// others: speed, lang, embed, panel...).
    ///
    /// A link without `v` is a v0 link (from before links carried actions:
    /// `seed`, `size`, `example`, the switches and `paused`) unless it has a
    /// parameter only version 1 has (`scenario`, `file`, `t`, `a`).
    pub fn from_query(search: &str) -> Result<Option<RunLink>, LinkError> {
        let q = Query::parse(search);
        if let Some(v) = q.get("v")? {
            read_version(&v)?;
            return read_v1(&q).map(Some);
        }
        if V1_PARAMS.iter().any(|p| q.has(p)) {
            return read_v1(&q).map(Some);
        }
        let v0_switch = V0_SWITCHES.iter().any(|(p, _)| q.has(p)) || q.has("batching");
        if !v0_switch && !RUN_PARAMS.iter().any(|p| q.has(p)) {
            return Ok(None);
        }
        read_v0(&q).map(Some)
    }
}

// ---------------------------------------------------------------------------
// The query string

struct Query<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Query<'a> {
    fn parse(search: &'a str) -> Query<'a> {
        let search = search.strip_prefix('?').unwrap_or(search);
        let pairs = search
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .collect();
        Query { pairs }
    }

    fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| *k == name)
    }

    /// The first value of `name`, percent-decoded (tools that re-encode a
    /// link must not break it).
    fn get(&self, name: &str) -> Result<Option<String>, LinkError> {
        match self.pairs.iter().find(|(k, _)| *k == name) {
            None => Ok(None),
            Some((_, raw)) => percent_decode(raw).map(Some).ok_or_else(|| {
                LinkError::new(
                    name,
                    LinkProblem::BadEscapes,
                    "its percent-escapes (`%..`) do not make UTF-8 text; was the link cut or changed?",
                )
            }),
        }
    }
}

/// `%hh` to bytes; a `%` without two hex digits stays as it is. `None` when
/// the bytes are not UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    if !raw.contains('%') {
        return Some(raw.to_string());
    }
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex_value(b[i + 1]), hex_value(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn percent_encode(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// A decimal number: digits only (no sign, no spaces).
fn parse_decimal(s: &str) -> Result<u64, String> {
    if s.is_empty() {
        return Err("it is empty, where a number should be".into());
    }
    let mut n: u64 = 0;
    for c in s.chars() {
        let d = c
            .to_digit(10)
            .ok_or_else(|| format!("`{s}` is not a number (digits 0-9 only)"))?;
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d)))
            .ok_or_else(|| format!("`{s}` is too large (at most {})", u64::MAX))?;
    }
    Ok(n)
}

fn read_version(v: &str) -> Result<(), LinkError> {
    let version = parse_decimal(v).map_err(|_| {
        LinkError::new(
            "v",
            LinkProblem::NotAVersion,
            format!("`{v}` is not a version of the link format (this page writes version {LINK_VERSION})"),
        )
    })?;
    if version > u64::from(LINK_VERSION) {
        return Err(LinkError::new(
            "v",
            LinkProblem::NewerVersion { version },
            format!(
                "the link comes from a newer version of the page (link format {version}; \
                 this page reads up to version {LINK_VERSION}); reload the page, or open the \
                 link where it was made"
            ),
        ));
    }
    if version != u64::from(LINK_VERSION) {
        return Err(LinkError::new(
            "v",
            LinkProblem::NoSuchVersion { version },
            format!(
                "there is no link format {version} (links without `v` are the oldest; this \
                 page writes version {LINK_VERSION})"
            ),
        ));
    }
    Ok(())
}

fn read_seed(q: &Query) -> Result<Option<u64>, LinkError> {
    match q.get("seed")? {
        None => Ok(None),
        Some(s) => parse_decimal(&s).map(Some).map_err(|e| {
            LinkError::new(
                "seed",
                LinkProblem::NotANumber,
                format!("{e}; a seed is a whole number from 0 to {}", u64::MAX),
            )
        }),
    }
}

fn read_size(s: &str) -> Result<u64, LinkError> {
    parse_decimal(s).map_err(|e| {
        LinkError::new(
            "size",
            LinkProblem::NotANumber,
            format!("{e}; the size is a number of servers, {MIN_NODES} to {MAX_NODES}"),
        )
    })
}

fn read_v1(q: &Query) -> Result<RunLink, LinkError> {
    let seed = read_seed(q)?.ok_or_else(|| {
        LinkError::new(
            "seed",
            LinkProblem::MissingSeed,
            "it is missing; a link names the seed of its run, e.g. `seed=7`",
        )
    })?;
    let given: Vec<&str> = ["size", "scenario", "file"]
        .into_iter()
        .filter(|p| q.has(p))
        .collect();
    if given.len() > 1 {
        return Err(LinkError::new(
            given[1],
            LinkProblem::TwoSetups {
                first: given[0].to_string(),
                second: given[1].to_string(),
            },
            format!(
                "a link starts from one setup, but this one has both `{}` and `{}`",
                given[0], given[1]
            ),
        ));
    }
    let setup = if let Some(s) = q.get("size")? {
        let n = read_size(&s)?;
        if !(MIN_NODES as u64..=MAX_NODES as u64).contains(&n) {
            return Err(LinkError::new(
                "size",
                LinkProblem::SizeOutOfRange {
                    size: n,
                    min: MIN_NODES as u64,
                    max: MAX_NODES as u64,
                },
                format!("{n} servers: the page runs {MIN_NODES} to {MAX_NODES}"),
            ));
        }
        LinkSetup::Playground { nodes: n as usize }
    } else if let Some(name) = q.get("scenario")? {
        if library::find(&name).is_none() {
            let known: Vec<&str> = library::SCENARIOS.iter().map(|e| e.name).collect();
            return Err(LinkError::new(
                "scenario",
                LinkProblem::NoSuchScenario {
                    name: name.to_string(),
                },
                format!(
                    "there is no scenario called `{name}`; the library has {}",
                    known.join(", ")
                ),
            ));
        }
        LinkSetup::Scenario { name }
    } else if let Some(data) = q.get("file")? {
        LinkSetup::File {
            scenario: Box::new(read_file(&data)?),
        }
    } else {
        return Err(LinkError::new(
            "size",
            LinkProblem::NoSetup,
            "it is missing, and so are `scenario` and `file`: a link says where its run starts",
        ));
    };
    let (now_us, now_events) = match q.get("t")? {
        None => (0, 0),
        Some(t) => read_time(&t)?,
    };
    let actions = match q.get("a")? {
        None => Vec::new(),
        Some(a) => {
            decode_actions(&a).map_err(|e| LinkError::new("a", LinkProblem::BadActions, e))?
        }
    };
    Ok(RunLink {
        setup,
        seed,
        actions,
        now_us,
        now_events,
        paused: q.has("paused"),
    })
}

fn read_time(t: &str) -> Result<(u64, u64), LinkError> {
    let (us, events) = t.split_once('.').unwrap_or((t, "0"));
    let bad = |what: &str, e: String| {
        LinkError::new(
            "t",
            LinkProblem::NotANumber,
            format!(
                "{what}: {e}; `t` is the moment shown, in microseconds, optionally followed by \
                 `.` and the number of events processed at it (e.g. `t=12345.678`)"
            ),
        )
    };
    let us = parse_decimal(us).map_err(|e| bad("the time", e))?;
    let events = parse_decimal(events).map_err(|e| bad("the event count", e))?;
    Ok((us, events))
}

fn read_file(data: &str) -> Result<Scenario, LinkError> {
    let bytes = base64url_decode(data).map_err(|e| {
        LinkError::new(
            "file",
            LinkProblem::BadFile,
            format!("{e}; was the link cut or changed?"),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        LinkError::new(
            "file",
            LinkProblem::BadFile,
            "the scenario it carries is not UTF-8 text; was the link cut or changed?",
        )
    })?;
    Scenario::parse(&text, "the link's file").map_err(|e| {
        let mut m = String::from("the scenario it carries does not load: ");
        if e.line > 0 {
            m.push_str(&format!("line {}, column {}: ", e.line, e.column));
        }
        if !e.path.is_empty() && e.path != "." {
            m.push_str(&format!("field `{}`: ", e.path));
        }
        m.push_str(&e.message);
        LinkError::new("file", LinkProblem::BadFile, m)
    })
}

/// A link from before version 1: `seed`, `size`, `example`, switches, `paused`.
fn read_v0(q: &Query) -> Result<RunLink, LinkError> {
    let seed = read_seed(q)?.unwrap_or(V0_SEED);
    let setup = match q.get("example")? {
        Some(name) => {
            // The old page's examples; they are library scenarios now.
            let name = match name.as_str() {
                "tour" => "tour",
                "backtracking" | "backtrack" => "backtracking",
                other => {
                    return Err(LinkError::new(
                        "example",
                        LinkProblem::NoSuchScenario {
                            name: other.to_string(),
                        },
                        format!(
                            "there is no example called `{other}`; old links name `tour` or \
                             `backtracking`"
                        ),
                    ))
                }
            };
            LinkSetup::Scenario { name: name.into() }
        }
        None => {
            let nodes = match q.get("size")? {
                None => V0_NODES,
                // The old page clamped the size, so the link shows what it showed.
                Some(s) => read_size(&s)?.clamp(MIN_NODES as u64, MAX_NODES as u64) as usize,
            };
            LinkSetup::Playground { nodes }
        }
    };
    let at_start = |action| LoggedAction {
        t: 0,
        events: 0,
        action,
    };
    let mut actions: Vec<LoggedAction> = V0_SWITCHES
        .iter()
        .filter(|(p, _)| q.has(p))
        .map(|&(_, switch)| at_start(Action::SetSwitch { switch, on: true }))
        .collect();
    if let Some(b) = q.get("batching")? {
        if matches!(b.as_str(), "off" | "0" | "false" | "no") {
            // The old page's batching switch set both the batch and the window.
            for switch in [Switch::Batching, Switch::Pipelining] {
                actions.push(at_start(Action::SetSwitch { switch, on: false }));
            }
        }
    }
    Ok(RunLink {
        setup,
        seed,
        actions,
        now_us: 0,
        now_events: 0,
        paused: q.has("paused"),
    })
}

// ---------------------------------------------------------------------------
// base64url without padding (RFC 4648 §5)

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
}

fn base64url_decode(s: &str) -> Result<Vec<u8>, String> {
    // Padding is not written, but a tool may have added it.
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (i, c) in s.chars().enumerate() {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '-' => 62,
            '_' => 63,
            _ => {
                return Err(format!(
                    "character {} (`{c}`) is not base64url (A-Z a-z 0-9 - _)",
                    i + 1
                ))
            }
        };
        acc = (acc << 6 | v) & 0xff_ffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    if s.chars().count() % 4 == 1 {
        return Err("its base64url is cut short (one character too many or too few)".into());
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// The actions, `a`

/// Every action code: the code, the action's `do` name (as in scenario
/// files), and its fields after the time and event deltas, in order.
const CODES: &[(char, &str, &[&str])] = &[
    ('c', "crash", &["node"]),
    ('r', "restart", &["node"]),
    ('p', "partition", &["groups"]),
    ('P', "partition", &["groups", "clients"]),
    ('x', "cut", &["from", "to"]),
    ('m', "mend", &["from", "to"]),
    ('i', "isolate", &["node"]),
    ('h', "heal", &[]),
    ('n', "drop_next", &["type", "from", "to"]),
    ('d', "drop_message", &["id"]),
    ('D', "duplicate_message", &["id"]),
    ('H', "hold_message", &["id"]),
    ('G', "release_message", &["id"]),
    ('w', "put", &["client", "key", "value"]),
    ('g', "get", &["client", "key"]),
    ('a', "append", &["client", "key", "value"]),
    ('s', "cas", &["client", "key", "expected", "value"]),
    ('o', "contact", &["client", "node"]),
    ('v', "add_voter", &["node"]),
    ('l', "add_learner", &["node"]),
    ('e', "remove_server", &["node"]),
    ('j', "enter_joint", &["voters", "learners"]),
    ('t', "transfer", &["to"]),
    ('k', "snapshot", &["node"]),
    ('b', "campaign", &["node"]),
    ('L', "crash_leader", &[]),
    ('C', "crash_next_leader", &["after_ms"]),
    ('I', "isolate_next_leader", &["after_messages"]),
    ('S', "set_switch", &["switch", "on"]),
    ('B', "set_bug", &["bug", "on"]),
    (
        'N',
        "set_network",
        &[
            "latency_min_us",
            "latency_max_us",
            "loss_pct",
            "dup_pct",
            "reorder_pct",
            "reorder_max_us",
        ],
    ),
    ('T', "set_snapshot_threshold", &["entries"]),
    (
        'K',
        "set_disk",
        &["latency_us", "parallel_append", "async_apply"],
    ),
    ('R', "reboot", &["node", "down_ms"]),
    ('F', "reboot_follower", &["down_ms"]),
];

/// One field of an action, as written.
enum Field<'a> {
    Num(u64),
    OptNum(Option<u64>),
    Str(&'a str),
    OptStr(Option<&'a str>),
    List(&'a [u64]),
    Groups(&'a [Vec<u64>]),
    Bool(bool),
    OptBool(Option<bool>),
    Name(&'static str),
}

/// The code and fields of an action. No wildcard: a new `Action` variant
/// does not compile until it has a code here, in [`CODES`] and in
/// [`decode_action`].
fn fields(action: &Action) -> (char, Vec<Field<'_>>) {
    use Field::*;
    match action {
        Action::Crash { node } => ('c', vec![Num(*node)]),
        Action::Restart { node } => ('r', vec![Num(*node)]),
        Action::Partition { groups, clients } if clients.is_empty() => ('p', vec![Groups(groups)]),
        Action::Partition { groups, clients } => ('P', vec![Groups(groups), Groups(clients)]),
        Action::Cut { from, to } => ('x', vec![Num(*from), Num(*to)]),
        Action::Mend { from, to } => ('m', vec![Num(*from), Num(*to)]),
        Action::Isolate { node } => ('i', vec![Num(*node)]),
        Action::Heal => ('h', vec![]),
        Action::DropNext { kind, from, to } => (
            'n',
            vec![OptStr(kind.as_deref()), OptNum(*from), OptNum(*to)],
        ),
        Action::DropMessage { id } => ('d', vec![Num(*id)]),
        Action::DuplicateMessage { id } => ('D', vec![Num(*id)]),
        Action::HoldMessage { id } => ('H', vec![Num(*id)]),
        Action::ReleaseMessage { id } => ('G', vec![Num(*id)]),
        Action::Put { client, key, value } => ('w', vec![Num(*client), Str(key), Str(value)]),
        Action::Get { client, key } => ('g', vec![Num(*client), Str(key)]),
        Action::Append { client, key, value } => ('a', vec![Num(*client), Str(key), Str(value)]),
        Action::Cas {
            client,
            key,
            expected,
            value,
        } => (
            's',
            vec![
                Num(*client),
                Str(key),
                OptStr(expected.as_deref()),
                Str(value),
            ],
        ),
        Action::Contact { client, node } => ('o', vec![Num(*client), Num(*node)]),
        Action::AddVoter { node } => ('v', vec![Num(*node)]),
        Action::AddLearner { node } => ('l', vec![Num(*node)]),
        Action::RemoveServer { node } => ('e', vec![Num(*node)]),
        Action::EnterJoint { voters, learners } => ('j', vec![List(voters), List(learners)]),
        Action::Transfer { to } => ('t', vec![Num(*to)]),
        Action::Snapshot { node } => ('k', vec![Num(*node)]),
        Action::Campaign { node } => ('b', vec![Num(*node)]),
        Action::CrashLeader => ('L', vec![]),
        Action::CrashNextLeader { after_ms } => ('C', vec![Num(*after_ms)]),
        Action::IsolateNextLeader { after_messages } => ('I', vec![Num(*after_messages)]),
        Action::SetSwitch { switch, on } => ('S', vec![Name(switch.name()), Bool(*on)]),
        Action::SetBug { bug, on } => ('B', vec![Name(bug.name()), Bool(*on)]),
        Action::SetNetwork {
            latency_min_us,
            latency_max_us,
            loss_pct,
            dup_pct,
            reorder_pct,
            reorder_max_us,
        } => (
            'N',
            vec![
                OptNum(*latency_min_us),
                OptNum(*latency_max_us),
                OptNum(loss_pct.map(u64::from)),
                OptNum(dup_pct.map(u64::from)),
                OptNum(reorder_pct.map(u64::from)),
                OptNum(*reorder_max_us),
            ],
        ),
        Action::SetSnapshotThreshold { entries } => ('T', vec![Num(*entries)]),
        Action::SetDisk {
            latency_us,
            parallel_append,
            async_apply,
        } => (
            'K',
            vec![
                OptNum(*latency_us),
                OptBool(*parallel_append),
                OptBool(*async_apply),
            ],
        ),
        Action::Reboot { node, down_ms } => ('R', vec![Num(*node), Num(*down_ms)]),
        Action::RebootFollower { down_ms } => ('F', vec![Num(*down_ms)]),
    }
}

fn encode_actions(actions: &[LoggedAction]) -> String {
    let mut out = String::new();
    let (mut t, mut events) = (0u64, 0u64);
    for (i, a) in actions.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        let (code, fields) = fields(&a.action);
        out.push(code);
        write_delta(t, a.t, &mut out);
        out.push('.');
        write_delta(events, a.events, &mut out);
        (t, events) = (a.t, a.events);
        for field in fields {
            out.push('.');
            write_field(&field, &mut out);
        }
    }
    out
}

/// `to - from` in base 36. Times never go backwards in a run; if they do,
/// the difference is written with a `-`, which reading refuses with a
/// message, rather than written as something else.
fn write_delta(from: u64, to: u64, out: &mut String) {
    if to >= from {
        write_b36(to - from, out);
    } else {
        out.push('-');
        write_b36(from - to, out);
    }
}

fn write_b36(mut n: u64, out: &mut String) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 13];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&b| b as char));
}

fn write_list(list: &[u64], out: &mut String) {
    for (i, &n) in list.iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        write_b36(n, out);
    }
}

/// Letters, digits and `-` as they are; every other byte of the UTF-8 as
/// `_` and two lowercase hex digits.
fn write_str(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
}

fn write_field(field: &Field, out: &mut String) {
    match field {
        Field::Num(n) => write_b36(*n, out),
        Field::OptNum(n) => {
            if let Some(n) = n {
                write_b36(*n, out)
            }
        }
        Field::Str(s) => write_str(s, out),
        Field::OptStr(None) => {}
        Field::OptStr(Some("")) => out.push('_'),
        Field::OptStr(Some(s)) => write_str(s, out),
        Field::List(list) => write_list(list, out),
        Field::Groups(groups) => {
            for g in groups.iter() {
                out.push('_');
                write_list(g, out);
            }
        }
        Field::Bool(on) | Field::OptBool(Some(on)) => out.push(if *on { '1' } else { '0' }),
        Field::OptBool(None) => {}
        Field::Name(name) => out.push_str(name),
    }
}

fn decode_actions(a: &str) -> Result<Vec<LoggedAction>, String> {
    let mut actions = Vec::new();
    if a.is_empty() {
        return Ok(actions);
    }
    let tokens: Vec<&str> = a.split('.').collect();
    let mut pos = 0;
    let (mut t, mut events) = (0u64, 0u64);
    while pos < tokens.len() {
        let n = actions.len() + 1;
        let first = tokens[pos];
        let Some(code) = first.chars().next() else {
            return Err(format!(
                "action {n}: it is empty where its code should be (two `.` in a row, or one at the end?)"
            ));
        };
        let Some(&(_, name, names)) = CODES.iter().find(|(c, _, _)| *c == code) else {
            return Err(format!("action {n}: unknown code `{code}`"));
        };
        let at = |e: String| format!("action {n} ({name}): {e}");
        let dt = &first[code.len_utf8()..];
        let de = tokens
            .get(pos + 1)
            .copied()
            .ok_or_else(|| at("its event count is missing (the link is cut short?)".into()))?;
        t = read_delta(dt, t, "time", "µs").map_err(at)?;
        events = read_delta(de, events, "event count", "events").map_err(at)?;
        let mut r = Reader {
            tokens: &tokens,
            pos: pos + 2,
            names,
            k: 0,
        };
        let action = decode_action(code, &mut r).map_err(at)?;
        pos = r.pos;
        actions.push(LoggedAction { t, events, action });
    }
    Ok(actions)
}

/// The previous value plus the delta `d` (base 36), or why not.
fn read_delta(d: &str, prev: u64, what: &str, unit: &str) -> Result<u64, String> {
    if let Some(back) = d.strip_prefix('-') {
        return Err(match parse_b36(back) {
            Ok(back) => format!(
                "its {what} goes backwards ({back} {unit} before the previous action's); \
                 actions are listed in the order they were taken"
            ),
            Err(e) => format!("its {what}: {e}"),
        });
    }
    let d = parse_b36(d).map_err(|e| format!("its {what}: {e}"))?;
    prev.checked_add(d)
        .ok_or_else(|| format!("its {what} is too large (past {})", u64::MAX))
}

fn parse_b36(s: &str) -> Result<u64, String> {
    if s.is_empty() {
        return Err("it is empty, where a number should be".into());
    }
    let mut n: u64 = 0;
    for c in s.chars() {
        let d = match c {
            '0'..='9' | 'a'..='z' => c.to_digit(36).unwrap_or(0),
            _ => {
                return Err(format!(
                    "`{s}` is not a number (base 36: digits 0-9 and a-z)"
                ))
            }
        };
        n = n
            .checked_mul(36)
            .and_then(|n| n.checked_add(u64::from(d)))
            .ok_or_else(|| format!("`{s}` is too large (at most {})", u64::MAX))?;
    }
    Ok(n)
}

/// The fields of one action, in order, named for error messages.
struct Reader<'a, 'b> {
    tokens: &'b [&'a str],
    pos: usize,
    names: &'static [&'static str],
    k: usize,
}

impl<'a> Reader<'a, '_> {
    fn next(&mut self) -> Result<(&'static str, &'a str), String> {
        let name = self.names.get(self.k).copied().unwrap_or("?");
        self.k += 1;
        let token = self
            .tokens
            .get(self.pos)
            .copied()
            .ok_or_else(|| format!("`{name}` is missing (the link is cut short?)"))?;
        self.pos += 1;
        Ok((name, token))
    }

    fn field<T>(&mut self, read: impl FnOnce(&'a str) -> Result<T, String>) -> Result<T, String> {
        let (name, token) = self.next()?;
        read(token).map_err(|e| format!("`{name}`: {e}"))
    }

    fn num(&mut self) -> Result<u64, String> {
        self.field(parse_b36)
    }

    fn opt_num(&mut self) -> Result<Option<u64>, String> {
        self.field(|s| match s {
            "" => Ok(None),
            s => parse_b36(s).map(Some),
        })
    }

    fn opt_u32(&mut self) -> Result<Option<u32>, String> {
        self.field(|s| match s {
            "" => Ok(None),
            s => {
                let n = parse_b36(s)?;
                u32::try_from(n)
                    .map(Some)
                    .map_err(|_| format!("{n} is too large (at most {})", u32::MAX))
            }
        })
    }

    fn string(&mut self) -> Result<String, String> {
        self.field(read_str)
    }

    fn opt_string(&mut self) -> Result<Option<String>, String> {
        self.field(|s| match s {
            "" => Ok(None),
            "_" => Ok(Some(String::new())),
            s => read_str(s).map(Some),
        })
    }

    fn list(&mut self) -> Result<Vec<u64>, String> {
        self.field(read_list)
    }

    fn groups(&mut self) -> Result<Vec<Vec<u64>>, String> {
        self.field(|s| {
            if s.is_empty() {
                return Ok(Vec::new());
            }
            let Some(rest) = s.strip_prefix('_') else {
                return Err(format!("`{s}` does not start with `_` (each group does)"));
            };
            rest.split('_')
                .enumerate()
                .map(|(i, g)| read_list(g).map_err(|e| format!("group {}: {e}", i + 1)))
                .collect()
        })
    }

    fn opt_bool(&mut self) -> Result<Option<bool>, String> {
        self.field(|s| match s {
            "" => Ok(None),
            "1" => Ok(Some(true)),
            "0" => Ok(Some(false)),
            _ => Err(format!(
                "`{s}` is neither 1 (on), 0 (off) nor empty (unchanged)"
            )),
        })
    }

    fn bool(&mut self) -> Result<bool, String> {
        self.field(|s| match s {
            "1" => Ok(true),
            "0" => Ok(false),
            _ => Err(format!("`{s}` is neither 1 (on) nor 0 (off)")),
        })
    }

    fn switch(&mut self) -> Result<Switch, String> {
        self.field(|s| {
            Switch::ALL
                .into_iter()
                .find(|w| w.name() == s)
                .ok_or_else(|| {
                    let names: Vec<&str> = Switch::ALL.iter().map(|w| w.name()).collect();
                    format!("there is no switch `{s}`; there are {}", names.join(", "))
                })
        })
    }

    fn bug(&mut self) -> Result<Bug, String> {
        self.field(|s| {
            Bug::ALL.into_iter().find(|b| b.name() == s).ok_or_else(|| {
                let names: Vec<&str> = Bug::ALL.iter().map(|b| b.name()).collect();
                format!("there is no bug `{s}`; there are {}", names.join(", "))
            })
        })
    }
}

fn read_list(s: &str) -> Result<Vec<u64>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split('-')
        .enumerate()
        .map(|(i, n)| parse_b36(n).map_err(|e| format!("item {}: {e}", i + 1)))
        .collect()
}

fn read_str(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c if c.is_ascii_alphanumeric() || c == b'-' => {
                out.push(c);
                i += 1;
            }
            b'_' => {
                let h = b.get(i + 1).copied().and_then(hex_value);
                let l = b.get(i + 2).copied().and_then(hex_value);
                let (Some(h), Some(l)) = (h, l) else {
                    return Err(format!(
                        "`{s}` has a `_` without two hex digits after it (`_` escapes one byte, e.g. `_20` for a space)"
                    ));
                };
                out.push(h << 4 | l);
                i += 3;
            }
            _ => {
                let c = s.get(i..).and_then(|r| r.chars().next()).unwrap_or('?');
                return Err(format!(
                    "`{c}` cannot appear in a text field (letters, digits and `-` do; others are escaped as `_` and two hex digits)"
                ));
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{s}` does not decode to UTF-8 text"))
}

/// The action with code `code`, its fields read in the order [`fields`] writes them.
fn decode_action(code: char, r: &mut Reader) -> Result<Action, String> {
    Ok(match code {
        'c' => Action::Crash { node: r.num()? },
        'r' => Action::Restart { node: r.num()? },
        'p' => Action::Partition {
            groups: r.groups()?,
            clients: vec![],
        },
        'P' => Action::Partition {
            groups: r.groups()?,
            clients: r.groups()?,
        },
        'x' => Action::Cut {
            from: r.num()?,
            to: r.num()?,
        },
        'm' => Action::Mend {
            from: r.num()?,
            to: r.num()?,
        },
        'i' => Action::Isolate { node: r.num()? },
        'h' => Action::Heal,
        'n' => Action::DropNext {
            kind: r.opt_string()?,
            from: r.opt_num()?,
            to: r.opt_num()?,
        },
        'd' => Action::DropMessage { id: r.num()? },
        'D' => Action::DuplicateMessage { id: r.num()? },
        'H' => Action::HoldMessage { id: r.num()? },
        'G' => Action::ReleaseMessage { id: r.num()? },
        'w' => Action::Put {
            client: r.num()?,
            key: r.string()?,
            value: r.string()?,
        },
        'g' => Action::Get {
            client: r.num()?,
            key: r.string()?,
        },
        'a' => Action::Append {
            client: r.num()?,
            key: r.string()?,
            value: r.string()?,
        },
        's' => Action::Cas {
            client: r.num()?,
            key: r.string()?,
            expected: r.opt_string()?,
            value: r.string()?,
        },
        'o' => Action::Contact {
            client: r.num()?,
            node: r.num()?,
        },
        'v' => Action::AddVoter { node: r.num()? },
        'l' => Action::AddLearner { node: r.num()? },
        'e' => Action::RemoveServer { node: r.num()? },
        'j' => Action::EnterJoint {
            voters: r.list()?,
            learners: r.list()?,
        },
        't' => Action::Transfer { to: r.num()? },
        'k' => Action::Snapshot { node: r.num()? },
        'b' => Action::Campaign { node: r.num()? },
        'L' => Action::CrashLeader,
        'C' => Action::CrashNextLeader { after_ms: r.num()? },
        'I' => Action::IsolateNextLeader {
            after_messages: r.num()?,
        },
        'S' => Action::SetSwitch {
            switch: r.switch()?,
            on: r.bool()?,
        },
        'B' => Action::SetBug {
            bug: r.bug()?,
            on: r.bool()?,
        },
        'N' => Action::SetNetwork {
            latency_min_us: r.opt_num()?,
            latency_max_us: r.opt_num()?,
            loss_pct: r.opt_u32()?,
            dup_pct: r.opt_u32()?,
            reorder_pct: r.opt_u32()?,
            reorder_max_us: r.opt_num()?,
        },
        'T' => Action::SetSnapshotThreshold { entries: r.num()? },
        'K' => Action::SetDisk {
            latency_us: r.opt_num()?,
            parallel_append: r.opt_bool()?,
            async_apply: r.opt_bool()?,
        },
        'R' => Action::Reboot {
            node: r.num()?,
            down_ms: r.num()?,
        },
        'F' => Action::RebootFollower { down_ms: r.num()? },
        other => return Err(format!("unknown code `{other}`")),
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::Config as PtConfig;

    fn at(t: u64, events: u64, action: Action) -> LoggedAction {
        LoggedAction { t, events, action }
    }

    fn link(actions: Vec<LoggedAction>) -> RunLink {
        RunLink {
            setup: LinkSetup::Playground { nodes: 5 },
            seed: 7,
            actions,
            now_us: 0,
            now_events: 0,
            paused: false,
        }
    }

    fn round_trip(run: &RunLink) -> RunLink {
        let q = run.to_query();
        match RunLink::from_query(&q) {
            Ok(Some(back)) => back,
            other => panic!("{q}\nread back as {other:?}"),
        }
    }

    /// The raw material of one generated action.
    #[derive(Clone, Debug, Default)]
    struct Raw {
        n: [u64; 6],
        some: [bool; 6],
        s: [String; 3],
        list: Vec<u64>,
        groups: Vec<Vec<u64>>,
        pick: usize,
        on: bool,
    }

    /// The action with the `k`th code of [`CODES`], made of `r`.
    fn sample(k: usize, r: &Raw) -> Action {
        let n = r.n;
        let opt = |i: usize| r.some[i].then_some(n[i]);
        let opt32 = |i: usize| r.some[i].then_some(n[i] as u32);
        let s = |i: usize| r.s[i].clone();
        match CODES[k].0 {
            'c' => Action::Crash { node: n[0] },
            'r' => Action::Restart { node: n[0] },
            'p' => Action::Partition {
                groups: r.groups.clone(),
                clients: vec![],
            },
            'P' => Action::Partition {
                groups: r.groups.clone(),
                clients: vec![vec![n[0]], vec![]],
            },
            'x' => Action::Cut {
                from: n[0],
                to: n[1],
            },
            'm' => Action::Mend {
                from: n[0],
                to: n[1],
            },
            'i' => Action::Isolate { node: n[0] },
            'h' => Action::Heal,
            'n' => Action::DropNext {
                kind: r.some[3].then(|| s(0)),
                from: opt(1),
                to: opt(2),
            },
            'd' => Action::DropMessage { id: n[0] },
            'D' => Action::DuplicateMessage { id: n[0] },
            'H' => Action::HoldMessage { id: n[0] },
            'G' => Action::ReleaseMessage { id: n[0] },
            'w' => Action::Put {
                client: n[0],
                key: s(0),
                value: s(1),
            },
            'g' => Action::Get {
                client: n[0],
                key: s(0),
            },
            'a' => Action::Append {
                client: n[0],
                key: s(0),
                value: s(1),
            },
            's' => Action::Cas {
                client: n[0],
                key: s(0),
                expected: r.some[0].then(|| s(2)),
                value: s(1),
            },
            'o' => Action::Contact {
                client: n[0],
                node: n[1],
            },
            'v' => Action::AddVoter { node: n[0] },
            'l' => Action::AddLearner { node: n[0] },
            'e' => Action::RemoveServer { node: n[0] },
            'j' => Action::EnterJoint {
                voters: r.list.clone(),
                learners: r.groups.first().cloned().unwrap_or_default(),
            },
            't' => Action::Transfer { to: n[0] },
            'k' => Action::Snapshot { node: n[0] },
            'b' => Action::Campaign { node: n[0] },
            'L' => Action::CrashLeader,
            'C' => Action::CrashNextLeader { after_ms: n[0] },
            'I' => Action::IsolateNextLeader {
                after_messages: n[0],
            },
            'S' => Action::SetSwitch {
                switch: Switch::ALL[r.pick % Switch::ALL.len()],
                on: r.on,
            },
            'B' => Action::SetBug {
                bug: Bug::ALL[r.pick % Bug::ALL.len()],
                on: r.on,
            },
            'N' => Action::SetNetwork {
                latency_min_us: opt(0),
                latency_max_us: opt(1),
                loss_pct: opt32(2),
                dup_pct: opt32(3),
                reorder_pct: opt32(4),
                reorder_max_us: opt(5),
            },
            'T' => Action::SetSnapshotThreshold { entries: n[0] },
            'K' => Action::SetDisk {
                latency_us: opt(0),
                parallel_append: r.some[1].then_some(r.on),
                async_apply: r.some[2].then_some(!r.on),
            },
            'R' => Action::Reboot {
                node: n[0],
                down_ms: n[1],
            },
            'F' => Action::RebootFollower { down_ms: n[0] },
            other => panic!("add code `{other}` to the tests' sample()"),
        }
    }

    fn num() -> impl Strategy<Value = u64> {
        prop_oneof![0..40u64, any::<u64>()]
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-zA-Z0-9_.~ -]{1,6}",
            any::<String>()
        ]
    }

    fn arb_action() -> impl Strategy<Value = Action> {
        let raw = (
            prop::array::uniform6(num()),
            prop::array::uniform6(any::<bool>()),
            prop::array::uniform3(text()),
            prop::collection::vec(num(), 0..4),
            prop::collection::vec(prop::collection::vec(num(), 0..4), 0..4),
            0..16usize,
            any::<bool>(),
        )
            .prop_map(|(n, some, s, list, groups, pick, on)| Raw {
                n,
                some,
                s,
                list,
                groups,
                pick,
                on,
            });
        (0..CODES.len(), raw).prop_map(|(k, r)| sample(k, &r))
    }

    fn arb_delta() -> impl Strategy<Value = u64> {
        prop_oneof![0..3u64, 0..100_000_000u64, 0..u64::MAX / 64]
    }

    fn arb_actions() -> impl Strategy<Value = Vec<LoggedAction>> {
        prop::collection::vec((arb_delta(), arb_delta(), arb_action()), 0..40).prop_map(|v| {
            let (mut t, mut events) = (0u64, 0u64);
            v.into_iter()
                .map(|(dt, de, action)| {
                    t += dt;
                    events += de;
                    at(t, events, action)
                })
                .collect()
        })
    }

    fn arb_setup() -> impl Strategy<Value = LinkSetup> {
        let n = library::SCENARIOS.len();
        prop_oneof![
            (1..=9usize).prop_map(|nodes| LinkSetup::Playground { nodes }),
            (0..n).prop_map(|i| LinkSetup::Scenario {
                name: library::SCENARIOS[i].name.into()
            }),
            (0..n).prop_map(|i| LinkSetup::File {
                scenario: Box::new(library::SCENARIOS[i].scenario().unwrap())
            }),
        ]
    }

    fn arb_link() -> impl Strategy<Value = RunLink> {
        (
            arb_setup(),
            any::<u64>(),
            arb_actions(),
            any::<u64>(),
            prop_oneof![Just(0u64), any::<u64>()],
            any::<bool>(),
        )
            .prop_map(
                |(setup, seed, actions, now_us, now_events, paused)| RunLink {
                    setup,
                    seed,
                    actions,
                    now_us,
                    now_events,
                    paused,
                },
            )
    }

    fn pt_config(cases: u32) -> PtConfig {
        PtConfig {
            cases,
            failure_persistence: None,
            ..PtConfig::default()
        }
    }

    /// Characters a query may hold without percent-encoding, and those of `a`.
    fn url_safe(s: &str) -> bool {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~=&".contains(&b))
    }

    fn a_param(q: &str) -> &str {
        Query::parse(q)
            .pairs
            .iter()
            .find(|(k, _)| *k == "a")
            .map_or("", |(_, v)| v)
    }

    proptest! {
        #![proptest_config(pt_config(512))]

        /// Every run reads back exactly, and its link needs no percent-encoding.
        #[test]
        fn every_run_round_trips(run in arb_link()) {
            let q = run.to_query();
            prop_assert!(url_safe(&q), "{}", q);
            prop_assert!(a_param(&q).bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)));
            prop_assert_eq!(RunLink::from_query(&q), Ok(Some(run.clone())));
            prop_assert_eq!(RunLink::from_query(&format!("?speed=2&{q}&lang=fr")), Ok(Some(run)));
        }

        /// Decoding anything at all returns, with a value or an error.
        #[test]
        fn decoding_arbitrary_text_never_panics(s in any::<String>()) {
            let _ = RunLink::from_query(&s);
            let _ = RunLink::from_query(&format!("v=1&seed=1&size=3&a={s}"));
            let _ = RunLink::from_query(&format!("v=1&seed=1&file={s}"));
            let _ = RunLink::from_query(&format!("seed={s}&example={s}&size={s}"));
        }

        /// Text made of the link's own alphabet, which gets further into the decoder.
        #[test]
        fn decoding_link_like_text_never_panics(
            a in "[a-zA-Z0-9._~%-]{0,80}",
            t in "[0-9.]{0,30}",
            file in "[a-zA-Z0-9_=-]{0,60}",
        ) {
            let _ = RunLink::from_query(&format!("v=1&seed=1&size=3&t={t}&a={a}"));
            let _ = RunLink::from_query(&format!("v=1&seed=1&file={file}"));
        }

        /// A valid link with one character changed, inserted or removed.
        #[test]
        fn decoding_mutated_links_never_panics(
            run in arb_link(),
            pos in any::<prop::sample::Index>(),
            c in prop::sample::select(b"aAzZ09-._~%&=q!".to_vec()),
            how in 0..3u8,
        ) {
            let mut q = run.to_query().into_bytes();
            let i = pos.index(q.len() + 1);
            match how {
                0 if i < q.len() => q[i] = c,
                1 if i < q.len() => { q.remove(i); }
                _ => q.insert(i, c),
            }
            let _ = RunLink::from_query(&String::from_utf8_lossy(&q));
        }
    }

    /// One action of every kind, with awkward values.
    fn every_kind() -> Vec<LoggedAction> {
        let raw = Raw {
            n: [0, 1, u64::MAX, 36, 35, u64::from(u32::MAX)],
            some: [true, false, true, true, false, true],
            s: [
                "héllo wörld ✓ 🦀".into(),
                String::new(),
                "_.~%&=+ \u{0}\n".into(),
            ],
            list: vec![1, 2, 3],
            groups: vec![vec![], vec![1, 2], vec![u64::MAX]],
            pick: 3,
            on: true,
        };
        (0..CODES.len())
            .map(|k| at(1_000 * k as u64, 10 * k as u64, sample(k, &raw)))
            .collect()
    }

    #[test]
    fn the_code_table_matches_the_encoder_and_the_action_names() {
        let mut seen = std::collections::BTreeSet::new();
        for (k, a) in every_kind().iter().enumerate() {
            let (code, name, names) = CODES[k];
            let (written, fields) = fields(&a.action);
            assert_eq!(written, code, "{:?}", a.action);
            assert_eq!(fields.len(), names.len(), "fields of `{code}`");
            let json = serde_json::to_value(&a.action).unwrap();
            assert_eq!(json["do"], name, "the name of `{code}`");
            assert!(code.is_ascii_alphabetic() && code != 'q', "`{code}`");
            assert!(seen.insert(code), "`{code}` twice");
        }
    }

    /// The README's table of action codes lists each code once, with its action.
    #[test]
    fn the_readme_documents_every_code() {
        let readme = include_str!("../../../README.md");
        let section = readme
            .split("## Link format (version 1)")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("README has a `## Link format (version 1)` section");
        let (_, table) = section
            .split_once("| code | action (`do`) |")
            .expect("the section has the table of codes");
        let rows: Vec<&str> = table
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .collect();
        assert_eq!(rows.len(), CODES.len(), "one row per code");
        for (row, (code, name, names)) in rows.iter().zip(CODES) {
            let head = format!("| `{code}` | `{name}` |");
            assert!(
                row.starts_with(&head),
                "README row `{row}`: expected `{head}`"
            );
            for field in *names {
                assert!(
                    row.contains(field),
                    "README row of `{code}` lacks `{field}`"
                );
            }
        }
    }

    #[test]
    fn every_kind_of_action_round_trips_with_awkward_values() {
        let run = link(every_kind());
        assert_eq!(round_trip(&run), run);
        // Options left out, empty strings and lists, and `Some("")`.
        let edge = vec![
            Action::DropNext {
                kind: None,
                from: None,
                to: None,
            },
            Action::DropNext {
                kind: Some(String::new()),
                from: Some(0),
                to: None,
            },
            Action::DropNext {
                kind: Some("AppendEntries".into()),
                from: None,
                to: Some(3),
            },
            Action::Cas {
                client: 1,
                key: String::new(),
                expected: None,
                value: String::new(),
            },
            Action::Cas {
                client: 1,
                key: "_".into(),
                expected: Some(String::new()),
                value: "_".into(),
            },
            Action::Partition {
                groups: vec![],
                clients: vec![],
            },
            Action::Partition {
                groups: vec![vec![]],
                clients: vec![],
            },
            Action::Partition {
                groups: vec![vec![], vec![]],
                clients: vec![vec![], vec![]],
            },
            Action::Partition {
                groups: vec![vec![1], vec![2, 3]],
                clients: vec![vec![], vec![1, 2]],
            },
            Action::EnterJoint {
                voters: vec![],
                learners: vec![],
            },
            Action::SetNetwork {
                latency_min_us: None,
                latency_max_us: None,
                loss_pct: None,
                dup_pct: None,
                reorder_pct: None,
                reorder_max_us: None,
            },
            Action::SetNetwork {
                latency_min_us: Some(0),
                latency_max_us: Some(u64::MAX),
                loss_pct: Some(u32::MAX),
                dup_pct: Some(0),
                reorder_pct: Some(100),
                reorder_max_us: Some(0),
            },
        ];
        let run = link(edge.into_iter().map(|a| at(5, 5, a)).collect());
        assert_eq!(round_trip(&run), run);
        for switch in Switch::ALL {
            for bug in Bug::ALL {
                let run = link(vec![
                    at(0, 0, Action::SetSwitch { switch, on: false }),
                    at(0, 0, Action::SetBug { bug, on: true }),
                ]);
                assert_eq!(round_trip(&run), run);
            }
        }
    }

    #[test]
    fn the_query_looks_as_documented() {
        let run = RunLink {
            setup: LinkSetup::Playground { nodes: 5 },
            seed: 7,
            actions: vec![
                at(10_000, 25, Action::Campaign { node: 1 }),
                at(
                    310_000,
                    800,
                    Action::Put {
                        client: 1,
                        key: "x".into(),
                        value: "1".into(),
                    },
                ),
            ],
            now_us: 400_000,
            now_events: 1_021,
            paused: true,
        };
        assert_eq!(
            run.to_query(),
            "v=1&seed=7&size=5&t=400000.1021&paused&a=b7ps.p.1.w6fhc.lj.1.x.1"
        );
        let run = RunLink {
            setup: LinkSetup::Scenario {
                name: "figure8-safe".into(),
            },
            actions: vec![],
            paused: false,
            now_events: 0,
            ..run
        };
        assert_eq!(run.to_query(), "v=1&seed=7&scenario=figure8-safe&t=400000");
        assert_eq!(round_trip(&run), run);
    }

    /// A five-minute run with 30 typical actions fits in a 2,000-character query.
    #[test]
    fn a_typical_five_minute_run_makes_a_short_link() {
        let put = |key: &str, value: &str| Action::Put {
            client: 1,
            key: key.into(),
            value: value.into(),
        };
        let net = Action::SetNetwork {
            latency_min_us: Some(2_000),
            latency_max_us: Some(40_000),
            loss_pct: Some(10),
            dup_pct: Some(5),
            reorder_pct: Some(20),
            reorder_max_us: Some(80_000),
        };
        let switch = |switch, on| Action::SetSwitch { switch, on };
        let typical = vec![
            Action::Crash { node: 3 },
            put("x", "1"),
            Action::Restart { node: 3 },
            Action::Partition {
                groups: vec![vec![1, 2], vec![3, 4, 5]],
                clients: vec![],
            },
            put("user:42", "hello world"),
            Action::DropMessage { id: 18_734 },
            Action::Heal,
            switch(Switch::PreVote, true),
            net.clone(),
            Action::Transfer { to: 2 },
            Action::AddVoter { node: 6 },
            Action::DropMessage { id: 25_118 },
            Action::Crash { node: 2 },
            put("y", "2"),
            Action::Restart { node: 2 },
            switch(Switch::CheckQuorum, true),
            Action::Partition {
                groups: vec![vec![1], vec![2, 3, 4, 5, 6]],
                clients: vec![vec![1], vec![2]],
            },
            Action::DropMessage { id: 40_972 },
            Action::Heal,
            Action::SetNetwork {
                latency_min_us: Some(1_000),
                latency_max_us: Some(5_000),
                loss_pct: Some(0),
                dup_pct: Some(0),
                reorder_pct: Some(0),
                reorder_max_us: Some(10_000),
            },
            put("x", "3"),
            Action::Transfer { to: 5 },
            Action::AddVoter { node: 7 },
            switch(Switch::FastBacktrack, true),
            Action::Crash { node: 5 },
            Action::DropMessage { id: 61_337 },
            put("counter", "17"),
            Action::Restart { node: 5 },
            switch(Switch::Batching, false),
            net,
        ];
        assert_eq!(typical.len(), 30);
        // Actions every ten seconds or so over five minutes, at arbitrary
        // microseconds, with a generous 5,000 world events per second.
        let (mut t, mut actions) = (0u64, Vec::new());
        for (i, action) in typical.into_iter().enumerate() {
            t += 8_000_000 + (i as u64 * 7_919_993) % 2_000_000;
            actions.push(at(t, t / 200 + i as u64, action));
        }
        assert!(t <= 300_000_000);
        let run = RunLink {
            setup: LinkSetup::Playground { nodes: 5 },
            seed: 9_876_543_210_123_456_789,
            actions,
            now_us: 300_000_000,
            now_events: 1_500_123,
            paused: true,
        };
        let q = run.to_query();
        eprintln!("{} characters: {q}", q.len());
        assert!(q.len() <= 2_000, "{} characters: {q}", q.len());
        assert_eq!(round_trip(&run), run);
    }

    #[test]
    fn every_truncation_of_a_link_reads_or_errs_without_panicking() {
        let mut run = link(every_kind());
        run.now_us = 1_234_567;
        run.now_events = 89;
        run.paused = true;
        let scenario = library::SCENARIOS[0].scenario().unwrap();
        let file = RunLink {
            setup: LinkSetup::File {
                scenario: Box::new(scenario),
            },
            ..run.clone()
        };
        for q in [run.to_query(), file.to_query()] {
            for (i, _) in q.char_indices() {
                let _ = RunLink::from_query(&q[..i]);
                // and with the head cut off instead
                let _ = RunLink::from_query(&q[i..]);
            }
        }
        // Cut inside `a`, the link says where.
        let q = run.to_query();
        let err = RunLink::from_query(&q[..q.len() - 3]).unwrap_err();
        assert_eq!(err.param, "a");
        // The last action (one of every kind) is the one cut.
        let last = format!("action {} ", run.actions.len());
        assert!(err.message.starts_with(&last), "{err}");
    }

    #[test]
    fn every_library_scenario_travels_whole_as_a_file() {
        for e in library::SCENARIOS {
            let run = RunLink {
                setup: LinkSetup::File {
                    scenario: Box::new(e.scenario().unwrap()),
                },
                ..link(every_kind())
            };
            assert_eq!(round_trip(&run), run, "{}", e.name);
        }
    }

    #[test]
    fn base64url_round_trips_every_length() {
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for n in 0..bytes.len() {
            let mut s = String::new();
            base64url_encode(&bytes[..n], &mut s);
            assert_eq!(s.len(), (4 * n).div_ceil(3));
            assert_eq!(base64url_decode(&s).unwrap(), &bytes[..n]);
        }
        let mut s = String::new();
        base64url_encode(b"any carnal pleas", &mut s);
        assert_eq!(s, "YW55IGNhcm5hbCBwbGVhcw");
    }

    fn error(q: &str) -> LinkError {
        match RunLink::from_query(q) {
            Err(e) => e,
            other => panic!("{q} reads as {other:?}"),
        }
    }

    fn b64(text: &[u8]) -> String {
        let mut s = String::new();
        base64url_encode(text, &mut s);
        s
    }

    /// Each kind of bad input, the parameter it is blamed on, and words of the message.
    #[test]
    fn bad_links_say_what_is_wrong() {
        let max_plus_one = "18446744073709551616";
        let u64_max_36 = {
            let mut s = String::new();
            write_b36(u64::MAX, &mut s);
            s
        };
        let cases: Vec<(String, &str, &str)> = vec![
            ("v=2&seed=1&size=3".into(), "v", "newer version of the page"),
            ("v=99999999999999999999999".into(), "v", "not a version"),
            ("v=one&seed=1&size=3".into(), "v", "`one` is not a version"),
            ("v=0&seed=1&size=3".into(), "v", "no link format 0"),
            ("v=1&size=3".into(), "seed", "missing"),
            ("v=1&seed=-1&size=3".into(), "seed", "`-1` is not a number"),
            ("v=1&seed=+1&size=3".into(), "seed", "not a number"),
            (format!("v=1&seed={max_plus_one}&size=3"), "seed", "too large"),
            ("v=1&seed=%FF&size=3".into(), "seed", "UTF-8"),
            ("v=1&seed=1&size=0".into(), "size", "0 servers: the page runs 1 to 9"),
            ("v=1&seed=1&size=10".into(), "size", "10 servers"),
            ("v=1&seed=1&size=five".into(), "size", "`five` is not a number"),
            ("v=1&seed=1".into(), "size", "`scenario` and `file`"),
            ("v=1&seed=1&size=3&scenario=split-vote".into(), "scenario", "both `size` and `scenario`"),
            ("v=1&seed=1&scenario=nope".into(), "scenario", "no scenario called `nope`; the library has "),
            ("v=1&seed=1&size=3&t=abc".into(), "t", "the time: `abc` is not a number"),
            ("v=1&seed=1&size=3&t=5.x".into(), "t", "the event count: `x` is not a number"),
            ("v=1&seed=1&size=3&t=5.".into(), "t", "the event count: it is empty"),
            (format!("v=1&seed=1&size=3&t={max_plus_one}"), "t", "too large"),
            ("v=1&seed=1&size=3&a=q0.0".into(), "a", "action 1: unknown code `q`"),
            ("v=1&seed=1&size=3&a=c0.0.1.q0.0".into(), "a", "action 2: unknown code `q`"),
            ("v=1&seed=1&size=3&a=é0.0".into(), "a", "action 1: unknown code `é`"),
            ("v=1&seed=1&size=3&a=c0.0".into(), "a", "action 1 (crash): `node` is missing"),
            ("v=1&seed=1&size=3&a=c0".into(), "a", "action 1 (crash): its event count is missing"),
            ("v=1&seed=1&size=3&a=c.0.1".into(), "a", "action 1 (crash): its time: it is empty"),
            ("v=1&seed=1&size=3&a=c0.0.1.".into(), "a", "action 2: it is empty where its code should be"),
            ("v=1&seed=1&size=3&a=c0.0.1..c0.0.1".into(), "a", "action 2: it is empty"),
            ("v=1&seed=1&size=3&a=cA.0.1".into(), "a", "its time: `A` is not a number (base 36"),
            ("v=1&seed=1&size=3&a=c0.0.-1".into(), "a", "`node`: `-1` is not a number"),
            ("v=1&seed=1&size=3&a=c5.0.1.c-5.0.1".into(), "a", "action 2 (crash): its time goes backwards (5 µs before"),
            ("v=1&seed=1&size=3&a=c0.5.1.c0.-2.1".into(), "a", "action 2 (crash): its event count goes backwards (2 events"),
            ("v=1&seed=1&size=3&a=c0.-x!.1".into(), "a", "its event count: `x!` is not a number"),
            ("v=1&seed=1&size=3&a=c3w5e11264sgsg.0.1".into(), "a", "its time: `3w5e11264sgsg` is too large"),
            (format!("v=1&seed=1&size=3&a=c{u64_max_36}.0.1.c1.0.1"), "a", "action 2 (crash): its time is too large (past"),
            ("v=1&seed=1&size=3&a=w0.0.1.k_zz.v".into(), "a", "action 1 (put): `key`: `k_zz` has a `_` without two hex digits"),
            ("v=1&seed=1&size=3&a=w0.0.1.k_c.v".into(), "a", "without two hex digits"),
            ("v=1&seed=1&size=3&a=w0.0.1.k_c3.v".into(), "a", "`key`: `k_c3` does not decode to UTF-8"),
            ("v=1&seed=1&size=3&a=w0.0.1.k!.v".into(), "a", "`key`: `!` cannot appear"),
            ("v=1&seed=1&size=3&a=w0.0.1.k.v!".into(), "a", "`value`: `!` cannot appear in a text field"),
            ("v=1&seed=1&size=3&a=S0.0.prevote.1".into(), "a", "action 1 (set_switch): `switch`: there is no switch `prevote`; there are pre_vote, check_quorum"),
            ("v=1&seed=1&size=3&a=S0.0.pre_vote.2".into(), "a", "`on`: `2` is neither 1 (on) nor 0 (off)"),
            ("v=1&seed=1&size=3&a=B0.0.nope.1".into(), "a", "`bug`: there is no bug `nope`; there are commit-previous-term"),
            ("v=1&seed=1&size=3&a=N0.0...1z141z4...".into(), "a", "action 1 (set_network): `loss_pct`: 4294967296 is too large (at most 4294967295)"),
            ("v=1&seed=1&size=3&a=N0.0.....".into(), "a", "`reorder_max_us` is missing"),
            ("v=1&seed=1&size=3&a=p0.0.1-2".into(), "a", "action 1 (partition): `groups`: `1-2` does not start with `_`"),
            ("v=1&seed=1&size=3&a=p0.0._1-X".into(), "a", "`groups`: group 1: item 2: `X` is not a number"),
            ("v=1&seed=1&size=3&a=j0.0.1--2.".into(), "a", "`voters`: item 2: it is empty"),
            ("v=1&seed=1&file=!!!".into(), "file", "character 1 (`!`) is not base64url"),
            ("v=1&seed=1&file=QUJD".into(), "file", "does not load: line 1, column 1"),
            ("v=1&seed=1&file=QUJDR".into(), "file", "cut short"),
            (format!("v=1&seed=1&file={}", b64(&[0xff, 0xfe])), "file", "not UTF-8"),
            (format!("v=1&seed=1&file={}", b64(b"{\n  \"nodes\": \"five\"\n}")), "file", "line 2, column 17: field `nodes`: invalid type"),
            (format!("v=1&seed=1&file={}", b64(b"{}")), "file", "missing field `nodes`"),
            (format!("v=1&seed=1&file={}", b64(b"{\"nodes\": 3, \"bugs\": [\"nope\"]}")), "file", "field `bugs[0]`"),
            ("seed=abc".into(), "seed", "`abc` is not a number"),
            ("size=big".into(), "size", "not a number"),
            ("example=nope".into(), "example", "no example called `nope`; old links name `tour` or `backtracking`"),
            // A link with version 1's parameters but no `v` is read as version 1.
            ("a=c0.0.1".into(), "seed", "missing"),
        ];
        for (q, param, words) in cases {
            let e = error(&q);
            assert_eq!(e.param, param, "{q}: {e}");
            assert!(
                e.message.contains(words),
                "{q}\n  says: {e}\n  not: {words}"
            );
            assert!(e
                .to_string()
                .starts_with(&format!("the link's `{param}` parameter: ")));
        }
    }

    #[test]
    fn old_links_without_a_version_still_read() {
        let v0 = |q: &str| RunLink::from_query(q).unwrap().unwrap();
        assert_eq!(
            v0("?seed=42&size=3"),
            RunLink {
                setup: LinkSetup::Playground { nodes: 3 },
                seed: 42,
                actions: vec![],
                now_us: 0,
                now_events: 0,
                paused: false,
            }
        );
        // The old page's defaults, and its clamping of the size.
        assert_eq!(v0("size=12").setup, LinkSetup::Playground { nodes: 9 });
        assert_eq!(v0("size=0").setup, LinkSetup::Playground { nodes: 1 });
        assert_eq!(v0("size=12").seed, 1);
        assert_eq!(v0("seed=9").setup, LinkSetup::Playground { nodes: 5 });
        let scenario = |name: &str| LinkSetup::Scenario { name: name.into() };
        let run = v0("?example=backtracking&size=4&paused&speed=2");
        assert_eq!(run.setup, scenario("backtracking"));
        assert!(run.paused);
        assert_eq!(v0("example=backtrack").setup, scenario("backtracking"));
        assert_eq!(v0("example=tour&seed=3").setup, scenario("tour"));
        // The switches are actions at the start now.
        let run = v0("?seed=5&prevote&checkquorum&fastbacktrack&batching=off");
        let on = |switch, on| at(0, 0, Action::SetSwitch { switch, on });
        assert_eq!(
            run.actions,
            vec![
                on(Switch::PreVote, true),
                on(Switch::CheckQuorum, true),
                on(Switch::FastBacktrack, true),
                on(Switch::Batching, false),
                on(Switch::Pipelining, false),
            ]
        );
        assert_eq!(
            v0("?fastbacktrack").actions,
            vec![on(Switch::FastBacktrack, true)]
        );
        assert_eq!(v0("?seed=2&batching=on").actions, vec![]);
        assert_eq!((v0("prevote").seed, v0("prevote").now_us), (1, 0));
        // Such a run, shared again, is a version 1 link.
        let run = v0("?seed=5&size=3&prevote&paused");
        assert_eq!(round_trip(&run), run);
        assert!(run
            .to_query()
            .starts_with("v=1&seed=5&size=3&t=0&paused&a=S0.0.pre_vote.1"));
    }

    #[test]
    fn a_query_without_a_run_is_none_and_unknown_parameters_are_ignored() {
        for q in [
            "",
            "?",
            "?speed=2&lang=fr&embed&panel=log",
            "paused",
            "?crash&&",
        ] {
            assert_eq!(RunLink::from_query(q), Ok(None), "{q}");
        }
        let run = link(every_kind());
        let q = format!("?embed&{}&panel=log&zz=%%", run.to_query());
        assert_eq!(RunLink::from_query(&q), Ok(Some(run)));
    }

    #[test]
    fn a_link_that_a_tool_percent_encoded_still_reads() {
        let run = RunLink {
            setup: LinkSetup::Scenario {
                name: "partition-3-2".into(),
            },
            ..link(every_kind())
        };
        let q = run.to_query();
        let mut encoded = String::new();
        for (k, v) in Query::parse(&q).pairs {
            encoded.push_str(k);
            encoded.push('=');
            for b in v.bytes() {
                encoded.push_str(&format!("%{b:02x}"));
            }
            encoded.push('&');
        }
        assert_eq!(RunLink::from_query(&encoded), Ok(Some(run)));
        assert_eq!(percent_decode("%"), Some("%".into()));
        assert_eq!(percent_decode("a%4"), Some("a%4".into()));
        assert_eq!(percent_decode("%zz%41"), Some("%zzA".into()));
    }
}

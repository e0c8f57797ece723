//! The network between servers and clients: latency, loss, duplication,
//! reordering, partitions (including one-way cuts) and one-shot drop filters.
//! It decides each message's fate with its own RNG; the world carries it out.
//!
//! Clients live on the same network as servers: a partition may put a client
//! in a group, and then it reaches only that group's servers. A client in no
//! group sits outside the partitioned network and reaches every server.

use std::collections::{BTreeMap, BTreeSet};

use raft_core::{RaftRng, SplitMix64};
use serde::{Deserialize, Serialize};

/// Rates are in parts per million so that every platform draws the same fates.
pub const PPM: u64 = 1_000_000;

/// Network settings. Times in microseconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkConfig {
    pub latency_min_us: u64,
    pub latency_max_us: u64,
    /// Probability (ppm) that a message is lost.
    pub loss_ppm: u64,
    /// Probability (ppm) that a message is delivered twice.
    pub dup_ppm: u64,
    /// Probability (ppm) that a message is held back by up to `reorder_max_us`, so later ones overtake it.
    pub reorder_ppm: u64,
    pub reorder_max_us: u64,
    /// In-order links, like TCP: a message never overtakes an earlier one on the
    /// same link, except when reordering holds it back on purpose.
    #[serde(default)]
    pub fifo: bool,
}

impl Default for NetworkConfig {
    /// Broadcast time well under the election timeout (§5.6): 1-5 ms per hop.
    fn default() -> Self {
        NetworkConfig {
            latency_min_us: 1_000,
            latency_max_us: 5_000,
            loss_ppm: 0,
            dup_ppm: 0,
            reorder_ppm: 0,
            reorder_max_us: 20_000,
            fifo: false,
        }
    }
}

/// Drop the next message that matches (`None` matches anything).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// A message type name, e.g. `AppendEntries`, `RequestVote`, `Heartbeat`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub from: Option<u64>,
    #[serde(default)]
    pub to: Option<u64>,
}

impl Filter {
    pub fn matches(&self, kind: &str, from: u64, to: u64) -> bool {
        self.kind.as_deref().is_none_or(|k| k == kind)
            && self.from.is_none_or(|f| f == from)
            && self.to.is_none_or(|t| t == to)
    }
}

/// Why a message never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LossReason {
    /// The network lost it (the loss setting).
    Loss,
    /// Its link was cut (a partition, an isolation or a one-way cut).
    Partition,
    /// A `drop_next` filter took it.
    Filter,
    /// Its receiver was crashed when it arrived.
    Crashed,
    /// Dropped by hand.
    Manual,
    /// Addressed to a server that does not exist.
    NoSuchServer,
}

impl LossReason {
    /// The name traces use (`drop` lines) and the page's `data-reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            LossReason::Loss => "loss",
            LossReason::Partition => "partition",
            LossReason::Filter => "filter",
            LossReason::Crashed => "crashed",
            LossReason::Manual => "manual",
            LossReason::NoSuchServer => "no such server",
        }
    }
}

/// One end of a link: a server or a client (their ids are separate spaces).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    Server(u64),
    Client(u64),
}

impl Endpoint {
    /// The id a filter's `from`/`to` matches.
    pub fn id(self) -> u64 {
        match self {
            Endpoint::Server(id) | Endpoint::Client(id) => id,
        }
    }

    /// The key of this end in the network's link tables (clients above every server id).
    fn address(self) -> u64 {
        match self {
            Endpoint::Server(id) => id,
            Endpoint::Client(id) => CLIENT_ADDRESSES + id,
        }
    }
}

/// Where client addresses start in the link tables.
const CLIENT_ADDRESSES: u64 = 1 << 48;

/// What becomes of one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Dropped(LossReason),
    /// Delivered after this delay; `Some` second delay for a duplicate.
    Delivered(u64, Option<u64>),
}

#[derive(Clone, Debug)]
pub struct Network {
    pub config: NetworkConfig,
    rng: SplitMix64,
    /// Directed links that are cut: (from, to).
    cut: BTreeSet<(u64, u64)>,
    filters: Vec<Filter>,
    /// Per-link latency overrides: (from, to) -> (min, max) microseconds.
    links: BTreeMap<(u64, u64), (u64, u64)>,
    /// FIFO links: the latest arrival time scheduled on each link.
    last_arrival: BTreeMap<(u64, u64), u64>,
}

impl Network {
    pub fn new(config: NetworkConfig, seed: u64) -> Self {
        Network {
            config,
            rng: SplitMix64::new(seed),
            cut: BTreeSet::new(),
            filters: Vec::new(),
            links: BTreeMap::new(),
            last_arrival: BTreeMap::new(),
        }
    }

    /// Whether messages from server `from` to server `to` are blocked.
    pub fn is_cut(&self, from: u64, to: u64) -> bool {
        self.is_link_cut(Endpoint::Server(from), Endpoint::Server(to))
    }

    /// Whether messages from `from` to `to` (servers or clients) are blocked.
    pub fn is_link_cut(&self, from: Endpoint, to: Endpoint) -> bool {
        !self.cut.is_empty() && self.cut.contains(&(from.address(), to.address()))
    }

    pub fn is_partitioned(&self) -> bool {
        !self.cut.is_empty()
    }

    /// The directed links between servers currently cut.
    pub fn cuts(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.cut
            .iter()
            .copied()
            .filter(|&(a, b)| a < CLIENT_ADDRESSES && b < CLIENT_ADDRESSES)
    }

    /// Splits the servers `all` into `groups`; servers in no group are each
    /// alone. `clients[i]` are the clients placed with `groups[i]`: they reach
    /// that group's servers only (clients in no group reach every server).
    pub fn partition(&mut self, groups: &[Vec<u64>], clients: &[Vec<u64>], all: &[u64]) {
        let group_of = |n: u64| groups.iter().position(|g| g.contains(&n));
        for &a in all {
            for &b in all {
                if a == b {
                    continue;
                }
                let together = matches!((group_of(a), group_of(b)), (Some(x), Some(y)) if x == y);
                if !together {
                    self.cut.insert((a, b));
                }
            }
        }
        for (g, placed) in clients.iter().enumerate() {
            for &c in placed {
                let c = Endpoint::Client(c).address();
                for &s in all.iter().filter(|&&s| group_of(s) != Some(g)) {
                    self.cut.insert((c, s));
                    self.cut.insert((s, c));
                }
            }
        }
    }

    /// Cuts one direction only: `from` can no longer reach `to`.
    pub fn cut_one_way(&mut self, from: u64, to: u64) {
        self.cut.insert((from, to));
    }

    /// Reconnects one directed link.
    pub fn mend(&mut self, from: u64, to: u64) {
        self.cut.remove(&(from, to));
    }

    pub fn isolate(&mut self, node: u64, all: &[u64]) {
        for &other in all.iter().filter(|&&o| o != node) {
            self.cut.insert((node, other));
            self.cut.insert((other, node));
        }
    }

    /// Restores every link.
    pub fn heal(&mut self) {
        self.cut.clear();
    }

    pub fn add_filter(&mut self, filter: Filter) {
        self.filters.push(filter);
    }

    pub fn filters(&self) -> &[Filter] {
        &self.filters
    }

    pub fn set_link_latency(&mut self, from: u64, to: u64, min_us: u64, max_us: u64) {
        self.links.insert((from, to), (min_us, max_us.max(min_us)));
    }

    fn chance(&mut self, ppm: u64) -> bool {
        ppm > 0 && self.rng.next_u64() % PPM < ppm
    }

    /// The delay of one message sent at `now`.
    fn latency(&mut self, now: u64, from: u64, to: u64) -> u64 {
        let (lo, hi) = self
            .links
            .get(&(from, to))
            .copied()
            .unwrap_or((self.config.latency_min_us, self.config.latency_max_us));
        let d = self.rng.in_range(lo, hi + 1).max(1);
        if self.chance(self.config.reorder_ppm) {
            // Held back on purpose: later messages may overtake it.
            return d + self.rng.in_range(0, self.config.reorder_max_us + 1);
        }
        if !self.config.fifo {
            return d;
        }
        // In order: no earlier than the last message scheduled on this link
        // (equal times keep their sending order).
        let last = self.last_arrival.entry((from, to)).or_insert(0);
        let at = (now + d).max(*last);
        *last = at;
        at - now
    }

    /// Decides the fate of a message between two servers, or between a
    /// client and a server: partitions, filters, loss, duplication and
    /// reordering apply to both.
    pub fn fate(&mut self, now: u64, kind: &str, from: Endpoint, to: Endpoint) -> Fate {
        if self.is_link_cut(from, to) {
            return Fate::Dropped(LossReason::Partition);
        }
        let (id_from, id_to) = (from.id(), to.id());
        if let Some(i) = self
            .filters
            .iter()
            .position(|f| f.matches(kind, id_from, id_to))
        {
            self.filters.remove(i);
            return Fate::Dropped(LossReason::Filter);
        }
        if self.chance(self.config.loss_ppm) {
            return Fate::Dropped(LossReason::Loss);
        }
        let (from, to) = (from.address(), to.address());
        let first = self.latency(now, from, to);
        let dup = if self.chance(self.config.dup_ppm) {
            Some(self.latency(now, from, to))
        } else {
            None
        };
        Fate::Delivered(first, dup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Endpoint::{Client, Server as S};

    #[test]
    fn partitions_cut_between_groups_only() {
        let mut n = Network::new(NetworkConfig::default(), 1);
        n.partition(&[vec![1, 2, 3], vec![4, 5]], &[], &[1, 2, 3, 4, 5]);
        assert!(!n.is_cut(1, 2));
        assert!(!n.is_cut(5, 4));
        assert!(n.is_cut(1, 4) && n.is_cut(4, 1));
        assert_eq!(
            n.fate(0, "Heartbeat", S(1), S(4)),
            Fate::Dropped(LossReason::Partition)
        );
        // A client in no group reaches every server.
        assert!(matches!(
            n.fate(0, "ClientRequest", Client(1), S(4)),
            Fate::Delivered(..)
        ));
        n.mend(1, 4);
        assert!(
            !n.is_cut(1, 4) && n.is_cut(4, 1),
            "mend reconnects one direction only"
        );
        n.heal();
        assert!(!n.is_partitioned());
    }

    #[test]
    fn clients_placed_in_a_group_reach_only_its_servers() {
        let mut n = Network::new(NetworkConfig::default(), 1);
        let all = [1, 2, 3, 4, 5];
        n.partition(&[vec![1, 2], vec![3, 4, 5]], &[vec![1], vec![2]], &all);
        let delivered = |n: &mut Network, from, to| {
            matches!(n.fate(0, "ClientRequest", from, to), Fate::Delivered(..))
        };
        assert!(delivered(&mut n, Client(1), S(2)));
        assert!(!delivered(&mut n, Client(1), S(3)));
        assert!(!delivered(&mut n, S(4), Client(1)), "replies are cut too");
        assert!(delivered(&mut n, S(4), Client(2)));
        assert!(!delivered(&mut n, Client(2), S(1)));
        assert!(
            delivered(&mut n, Client(3), S(1)),
            "client 3 is in no group"
        );
        assert!(
            n.cuts().all(|(a, b)| all.contains(&a) && all.contains(&b)),
            "cuts() lists server links only"
        );
        assert!(
            !n.is_cut(1, 2) && n.is_cut(1, 3),
            "client 1 is not server 1"
        );
        n.heal();
        assert!(delivered(&mut n, Client(1), S(3)));
    }

    #[test]
    fn one_way_cut_and_filters() {
        let mut n = Network::new(NetworkConfig::default(), 1);
        n.cut_one_way(1, 2);
        assert!(n.is_cut(1, 2) && !n.is_cut(2, 1));
        n.add_filter(Filter {
            kind: Some("RequestVote".into()),
            from: None,
            to: Some(3),
        });
        assert!(matches!(
            n.fate(0, "RequestVote", S(1), S(2)),
            Fate::Dropped(LossReason::Partition)
        ));
        assert!(matches!(
            n.fate(0, "Heartbeat", S(1), S(3)),
            Fate::Delivered(..)
        ));
        assert_eq!(
            n.fate(0, "RequestVote", S(2), S(3)),
            Fate::Dropped(LossReason::Filter)
        );
        // One-shot: the next one goes through.
        assert!(matches!(
            n.fate(0, "RequestVote", S(2), S(3)),
            Fate::Delivered(..)
        ));
    }

    #[test]
    fn latency_stays_in_range_and_rates_apply() {
        let cfg = NetworkConfig {
            latency_min_us: 10,
            latency_max_us: 20,
            loss_ppm: PPM / 2,
            dup_ppm: PPM,
            ..NetworkConfig::default()
        };
        let mut n = Network::new(cfg, 7);
        let mut lost = 0;
        for _ in 0..1000 {
            match n.fate(0, "Heartbeat", S(1), S(2)) {
                Fate::Dropped(r) => {
                    assert_eq!(r, LossReason::Loss);
                    lost += 1;
                }
                Fate::Delivered(a, b) => {
                    assert!((10..=20).contains(&a));
                    assert!(b.is_some_and(|b| (10..=20).contains(&b)));
                }
            }
        }
        assert!((350..650).contains(&lost), "lost {lost} of 1000");
    }

    /// Arrival times of 200 messages sent 1 µs apart on one link.
    fn arrivals(cfg: NetworkConfig) -> Vec<u64> {
        let mut n = Network::new(cfg, 3);
        (0..200u64)
            .map(|now| match n.fate(now, "AppendEntries", S(1), S(2)) {
                Fate::Delivered(d, _) => now + d,
                Fate::Dropped(r) => panic!("dropped: {}", r.as_str()),
            })
            .collect()
    }

    #[test]
    fn fifo_links_keep_sending_order_unless_reordering_holds_one_back() {
        let base = NetworkConfig {
            latency_min_us: 1_000,
            latency_max_us: 5_000,
            ..NetworkConfig::default()
        };
        let overtaken = |a: &[u64]| a.windows(2).filter(|w| w[1] < w[0]).count();
        assert!(
            overtaken(&arrivals(base.clone())) > 20,
            "random latency alone reorders"
        );
        let fifo = NetworkConfig {
            fifo: true,
            ..base.clone()
        };
        assert_eq!(overtaken(&arrivals(fifo.clone())), 0);
        let held = NetworkConfig {
            reorder_ppm: PPM / 10,
            ..fifo
        };
        assert!(
            overtaken(&arrivals(held)) > 0,
            "reordering still overtakes on a FIFO link"
        );
    }
}

//! Groups drawn on the ring as translucent regions behind their servers: the
//! partition draft's group B (dragged there on the ring, or put there with the
//! Faults panel's chips), and, once the network is split, the groups that can
//! still reach each other.
//!
//! Plain data and pure functions: the ring component only draws them.

use super::ring::{LinkDraw, NodeDraw};
use crate::i18n::{trf, Lang};

/// Which groups a region shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionKind {
    /// Group B of the partition draft: not cut yet.
    Draft,
    /// A group of servers the network actually lets talk to each other.
    Split,
}

impl RegionKind {
    /// The `data-kind` value and CSS class.
    pub fn name(self) -> &'static str {
        match self {
            RegionKind::Draft => "draft",
            RegionKind::Split => "split",
        }
    }
}

/// One disc of a region, behind one server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blob {
    pub id: u64,
    pub x: i32,
    pub y: i32,
    pub r: i32,
}

/// A group drawn as translucent discs behind its servers (never catching clicks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionDraw {
    pub kind: RegionKind,
    /// "B" for the draft; for a split, "A", "B", "C", ... in order of each group's smallest id.
    pub group: String,
    /// The servers in the group, in id order.
    pub nodes: Vec<u64>,
    pub blobs: Vec<Blob>,
    /// What a screen reader or tooltip says, e.g. "Draft group B: S3 S5 (not split yet)".
    pub label: String,
}

/// How far a draft region reaches beyond a server's body.
const DRAFT_PAD: i32 = 14;
/// How far a split region reaches beyond a server's body (wider than a draft's,
/// so both show when they cover the same server).
const SPLIT_PAD: i32 = 24;

fn names(ids: &[u64]) -> String {
    ids.iter()
        .map(|id| format!("S{id}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn region(
    kind: RegionKind,
    group: String,
    mut ids: Vec<u64>,
    nodes: &[NodeDraw],
    lang: Lang,
) -> RegionDraw {
    ids.sort_unstable();
    let pad = match kind {
        RegionKind::Draft => DRAFT_PAD,
        RegionKind::Split => SPLIT_PAD,
    };
    let blobs = ids
        .iter()
        .filter_map(|&id| nodes.iter().find(|n| n.id == id))
        .map(|n| Blob {
            id: n.id,
            x: n.x,
            y: n.y,
            r: n.r + pad,
        })
        .collect();
    let key = match kind {
        RegionKind::Draft => "region.draft",
        RegionKind::Split => "region.split",
    };
    let label = trf(lang, key, &[("group", &group), ("nodes", &names(&ids))]);
    RegionDraw {
        kind,
        group,
        nodes: ids,
        blobs,
        label,
    }
}

/// The draft's group `name` (its servers `members`), if it names any server on the ring.
pub fn draft_region(
    nodes: &[NodeDraw],
    name: &str,
    members: &[u64],
    lang: Lang,
) -> Option<RegionDraw> {
    let ids: Vec<u64> = members
        .iter()
        .copied()
        .filter(|id| nodes.iter().any(|n| n.id == *id))
        .collect();
    (!ids.is_empty()).then(|| region(RegionKind::Draft, name.into(), ids, nodes, lang))
}

/// The groups of servers still joined by uncut links, when there is more than one
/// (a single cut link that leaves everyone reachable splits nothing).
pub fn split_regions(nodes: &[NodeDraw], links: &[LinkDraw], lang: Lang) -> Vec<RegionDraw> {
    let ids: Vec<u64> = nodes.iter().map(|n| n.id).collect();
    // Union-find over the servers, joined by every link that is not cut.
    let mut root: Vec<usize> = (0..ids.len()).collect();
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    for l in links.iter().filter(|l| !l.cut) {
        let (Some(a), Some(b)) = (
            ids.iter().position(|&id| id == l.a),
            ids.iter().position(|&id| id == l.b),
        ) else {
            continue;
        };
        let (ra, rb) = (find(&mut root, a), find(&mut root, b));
        root[ra] = rb;
    }
    let mut groups: Vec<Vec<u64>> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        let r = find(&mut root, i);
        match roots.iter().position(|&x| x == r) {
            Some(g) => groups[g].push(id),
            None => {
                roots.push(r);
                groups.push(vec![id]);
            }
        }
    }
    if groups.len() < 2 {
        return Vec::new();
    }
    for g in &mut groups {
        g.sort_unstable();
    }
    groups.sort_unstable_by_key(|g| g[0]);
    groups
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            let name = char::from(b'A' + (i % 26) as u8).to_string();
            region(RegionKind::Split, name, g, nodes, lang)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::interaction::Group;
    use crate::view_model::ring::RingDraw;
    use crate::view_model::tests::playground;
    use crate::view_model::Msg;

    fn ring(pg: &crate::view_model::Playground) -> std::rc::Rc<RingDraw> {
        pg.frame().ring
    }

    #[test]
    fn no_region_without_a_draft_or_a_split() {
        let pg = playground(5);
        assert!(ring(&pg).regions.is_empty());
        let r = ring(&pg);
        assert_eq!(draft_region(&r.nodes, "B", &[], Lang::En), None);
        assert_eq!(
            draft_region(&r.nodes, "B", &[9], Lang::En),
            None,
            "no S9 on the ring"
        );
        assert!(split_regions(&r.nodes, &r.links, Lang::En).is_empty());
    }

    #[test]
    fn the_draft_group_b_is_one_region_behind_its_servers() {
        let mut pg = playground(5);
        pg.update(Msg::SetGroup(5, Group::B));
        pg.update(Msg::SetGroup(3, Group::B));
        let r = ring(&pg);
        assert_eq!(r.regions.len(), 1);
        let g = &r.regions[0];
        assert_eq!((g.kind, g.group.as_str()), (RegionKind::Draft, "B"));
        assert_eq!(g.nodes, vec![3, 5]);
        let s3 = r.nodes.iter().find(|n| n.id == 3).unwrap();
        assert_eq!(
            g.blobs[0],
            Blob {
                id: 3,
                x: s3.x,
                y: s3.y,
                r: s3.r + DRAFT_PAD
            }
        );
        assert_eq!(g.label, "Draft group B: S3 S5 (not split yet)");
        let zh = draft_region(&ring(&pg).nodes, "B", &[5, 3], Lang::Zh).unwrap();
        assert!(
            zh.label.contains("B") && zh.label.contains("S3 S5"),
            "{}",
            zh.label
        );
        assert_ne!(zh.label, g.label);
        // A single cut link leaves everyone reachable: no split regions.
        pg.update(Msg::ToggleLink(1, 2));
        assert_eq!(ring(&pg).regions.len(), 1);
    }

    #[test]
    fn an_actual_split_draws_its_groups() {
        let mut pg = playground(5);
        pg.update(Msg::SetGroup(2, Group::B));
        pg.update(Msg::SetGroup(4, Group::B));
        pg.update(Msg::Split);
        let r = ring(&pg);
        let split: Vec<_> = r
            .regions
            .iter()
            .filter(|g| g.kind == RegionKind::Split)
            .map(|g| (g.group.as_str(), g.nodes.clone()))
            .collect();
        assert_eq!(split, vec![("A", vec![1, 3, 5]), ("B", vec![2, 4])]);
        assert!(r.regions.iter().any(|g| g.kind == RegionKind::Draft));
        // Split regions are drawn first (behind) and wider than the draft's.
        assert_eq!(r.regions[0].kind, RegionKind::Split);
        assert_eq!(r.regions[0].blobs[0].r, r.nodes[0].r + SPLIT_PAD);
        // Healing the network and clearing the draft leaves nothing drawn.
        pg.update(Msg::Heal);
        pg.update(Msg::SetGroup(2, Group::A));
        pg.update(Msg::SetGroup(4, Group::A));
        assert!(ring(&pg).regions.is_empty());
    }

    #[test]
    fn an_isolated_server_is_a_group_of_its_own() {
        let mut pg = playground(3);
        pg.update(Msg::ToggleLink(1, 2));
        pg.update(Msg::ToggleLink(2, 3));
        let r = ring(&pg);
        let groups: Vec<_> = r.regions.iter().map(|g| g.nodes.clone()).collect();
        assert_eq!(groups, vec![vec![1, 3], vec![2]]);
    }
}

//! The replicated log: a snapshot followed by entries, with the commit and
//! apply points, and the mark of what is not yet persisted (§5.3, §7).

use alloc::vec::Vec;

use crate::membership::Configuration;
use crate::types::{Bytes, Entry, EntryData, Index, Term};

/// What a snapshot replaces: the log up to `index` (whose term is `term`)
/// and the configuration in force at that point (§7).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SnapshotMeta {
    pub index: Index,
    pub term: Term,
    pub config: Configuration,
}

/// A snapshot: its metadata and the state machine's bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Snapshot {
    pub meta: SnapshotMeta,
    pub data: Bytes,
}

/// The outcome of appending a leader's entries after a matching prefix.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Appended {
    /// Entries from this index on were removed because they conflicted (§5.3).
    pub truncated_from: Option<Index>,
    /// The first newly written index, if any entry was written.
    pub first_new: Option<Index>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RaftLog {
    snapshot: Snapshot,
    /// `entries[i].index == snapshot.meta.index + 1 + i`.
    entries: Vec<Entry>,
    pub(crate) commit_index: Index,
    pub(crate) last_applied: Index,
    /// The lowest index written since the last output; `Index::MAX` when none.
    unstable_from: Index,
}

impl RaftLog {
    /// Rebuilds the log from persisted state. Entries that do not follow the
    /// snapshot contiguously are dropped rather than trusted.
    pub(crate) fn restore(snapshot: Snapshot, stored: &[Entry]) -> Self {
        let mut entries = Vec::new();
        let first = snapshot.meta.index + 1;
        let after = stored.iter().skip_while(|e| e.index < first);
        for (expected, e) in (first..).zip(after) {
            if e.index != expected {
                break;
            }
            entries.push(e.clone());
        }
        let index = snapshot.meta.index;
        RaftLog {
            snapshot,
            entries,
            // A restarted server knows only what its snapshot holds is committed.
            commit_index: index,
            last_applied: index,
            unstable_from: Index::MAX,
        }
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    pub fn snapshot_index(&self) -> Index {
        self.snapshot.meta.index
    }

    pub fn first_index(&self) -> Index {
        self.snapshot.meta.index + 1
    }

    pub fn last_index(&self) -> Index {
        self.snapshot.meta.index + self.entries.len() as Index
    }

    pub fn last_term(&self) -> Term {
        self.entries
            .last()
            .map_or(self.snapshot.meta.term, |e| e.term)
    }

    pub fn commit_index(&self) -> Index {
        self.commit_index
    }

    pub fn last_applied(&self) -> Index {
        self.last_applied
    }

    /// The entries after the snapshot.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The term at `index`, or `None` when it is compacted away or beyond the end.
    pub fn term(&self, index: Index) -> Option<Term> {
        if index == self.snapshot.meta.index {
            return Some(self.snapshot.meta.term);
        }
        self.entry(index).map(|e| e.term)
    }

    pub fn entry(&self, index: Index) -> Option<&Entry> {
        let offset = index.checked_sub(self.first_index())?;
        self.entries.get(usize::try_from(offset).ok()?)
    }

    /// §5.4.1: a candidate's log is at least as up-to-date as ours when its last
    /// term is higher, or equal with an index at least as long.
    pub fn is_up_to_date(&self, last_index: Index, last_term: Term) -> bool {
        last_term > self.last_term()
            || (last_term == self.last_term() && last_index >= self.last_index())
    }

    /// The first index holding `term`, searching back from `index` (the hint for
    /// fast backtracking).
    pub fn first_index_of_term(&self, term: Term, index: Index) -> Index {
        let mut i = index;
        while i > self.first_index() && self.term(i - 1) == Some(term) {
            i -= 1;
        }
        i
    }

    /// The last index whose term is `term` or lower, at or below `index`; used by
    /// the leader to skip a whole conflicting term (§5.3).
    pub fn last_index_of_term_at_most(&self, term: Term, index: Index) -> Option<Index> {
        let mut i = index.min(self.last_index());
        loop {
            match self.term(i) {
                Some(t) if t <= term => return Some(i),
                Some(_) if i > self.snapshot.meta.index => i -= 1,
                _ => return None,
            }
        }
    }

    /// Entries `lo..=hi`, at most `max_entries` of them and about `max_bytes`
    /// (always at least one when the range is not empty).
    pub(crate) fn slice(
        &self,
        lo: Index,
        hi: Index,
        max_entries: usize,
        max_bytes: u64,
    ) -> Vec<Entry> {
        let mut out = Vec::new();
        self.slice_into(lo, hi, max_entries, max_bytes, &mut out);
        out
    }

    /// [`RaftLog::slice`] appended to `out`.
    fn slice_into(
        &self,
        lo: Index,
        hi: Index,
        max_entries: usize,
        max_bytes: u64,
        out: &mut Vec<Entry>,
    ) {
        let first = self.first_index();
        let (lo, hi) = (lo.max(first), hi.min(self.last_index()));
        if lo > hi {
            return;
        }
        let range = &self.entries[(lo - first) as usize..=(hi - first) as usize];
        let mut n = range.len().min(max_entries);
        if max_bytes != u64::MAX {
            let mut bytes = 0;
            if let Some(k) = range[..n].iter().position(|e| {
                bytes += e.size();
                bytes > max_bytes
            }) {
                n = k.max(1);
            }
        }
        // The entries' bytes are shared, not copied.
        out.extend_from_slice(&range[..n]);
    }

    /// The leader appends a new entry of its term.
    pub(crate) fn push(&mut self, term: Term, data: EntryData) -> Index {
        let index = self.last_index() + 1;
        self.entries.push(Entry { index, term, data });
        self.unstable_from = self.unstable_from.min(index);
        index
    }

    /// Appends `entries` (which follow a matching `prev` index): skips those we
    /// already have, truncates at the first conflict, writes the rest (§5.3).
    /// Takes the entries from the message rather than copying them.
    pub(crate) fn append_after(&mut self, entries: impl IntoIterator<Item = Entry>) -> Appended {
        let mut result = Appended::default();
        let mut entries = entries.into_iter();
        for e in entries.by_ref() {
            if e.index <= self.snapshot.meta.index {
                continue; // Compacted, hence committed, hence matching (§5.4).
            }
            match self.term(e.index) {
                Some(t) if t == e.term => continue,
                Some(_) => {
                    // Figure 2, AppendEntries step 3: delete the conflicting entry and all after it.
                    self.truncate_from(e.index);
                    result.truncated_from = Some(e.index);
                }
                None => {}
            }
            result.first_new = Some(e.index);
            self.unstable_from = self.unstable_from.min(e.index);
            self.entries.push(e);
            break;
        }
        self.entries.extend(entries);
        result
    }

    fn truncate_from(&mut self, index: Index) {
        let keep = index.saturating_sub(self.first_index()) as usize;
        self.entries.truncate(keep);
        self.unstable_from = self.unstable_from.min(index);
    }

    /// Raises the commit index; it never goes back.
    pub(crate) fn commit_to(&mut self, index: Index) -> bool {
        let index = index.min(self.last_index());
        if index > self.commit_index {
            self.commit_index = index;
            true
        } else {
            false
        }
    }

    /// Takes the entries to hand to the state machine, up to `upto`, into `out`.
    pub(crate) fn take_to_apply(&mut self, upto: Index, out: &mut Vec<Entry>) {
        let upto = upto.min(self.last_index());
        if upto <= self.last_applied {
            return;
        }
        self.slice_into(self.last_applied + 1, upto, usize::MAX, u64::MAX, out);
        self.last_applied = upto;
    }

    /// Whether entries were written since the last [`RaftLog::take_unstable`].
    pub(crate) fn has_unstable(&self) -> bool {
        self.unstable_from != Index::MAX
    }

    /// Takes the entries written since the last call, for persisting.
    pub(crate) fn take_unstable(&mut self, out: &mut Vec<Entry>) {
        let from = core::mem::replace(&mut self.unstable_from, Index::MAX).max(self.first_index());
        self.slice_into(from, self.last_index(), usize::MAX, u64::MAX, out);
    }

    /// The configuration in force at `index`: the last one in the log at or
    /// before it, else the snapshot's (§6: a server uses the latest it has).
    pub fn config_at(&self, index: Index) -> (Index, &Configuration) {
        let mut i = index.min(self.last_index());
        while i > self.snapshot.meta.index {
            if let Some(Entry {
                data: EntryData::Config(c),
                ..
            }) = self.entry(i)
            {
                return (i, c);
            }
            i -= 1;
        }
        (self.snapshot.meta.index, &self.snapshot.meta.config)
    }

    /// Log compaction by the application (§7): the entries up to `index` are
    /// replaced by `data`. `index` must be applied and after the current snapshot.
    pub(crate) fn compact(&mut self, index: Index, data: Bytes) -> Option<Snapshot> {
        if index <= self.snapshot.meta.index || index > self.last_applied {
            return None;
        }
        let term = self.term(index)?;
        let config = self.config_at(index).1.clone();
        let drop = (index - self.snapshot.meta.index) as usize;
        self.entries.drain(..drop);
        self.snapshot = Snapshot {
            meta: SnapshotMeta {
                index,
                term,
                config,
            },
            data,
        };
        Some(self.snapshot.clone())
    }

    /// Installs a leader's snapshot (Figure 13): keeps the entries after it when
    /// our log has the snapshot's last entry, otherwise discards the whole log.
    /// Returns whether the log after the snapshot was kept.
    pub(crate) fn install(&mut self, snapshot: Snapshot) -> bool {
        let index = snapshot.meta.index;
        let keep = self.term(index) == Some(snapshot.meta.term);
        if keep {
            let drop = (index - self.snapshot.meta.index) as usize;
            self.entries.drain(..drop.min(self.entries.len()));
        } else {
            self.entries.clear();
        }
        self.snapshot = snapshot;
        self.commit_index = self.commit_index.max(index);
        self.last_applied = self.last_applied.max(index);
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn entries(first: Index, terms: &[Term]) -> Vec<Entry> {
        terms
            .iter()
            .enumerate()
            .map(|(i, &term)| Entry {
                index: first + i as Index,
                term,
                data: EntryData::Noop,
            })
            .collect()
    }

    fn log_of(terms: &[Term]) -> RaftLog {
        RaftLog::restore(Snapshot::default(), &entries(1, terms))
    }

    fn take_unstable(log: &mut RaftLog) -> Vec<Entry> {
        let mut out = Vec::new();
        log.take_unstable(&mut out);
        out
    }

    fn take_to_apply(log: &mut RaftLog, upto: Index) -> Vec<Entry> {
        let mut out = Vec::new();
        log.take_to_apply(upto, &mut out);
        out
    }

    fn terms(log: &RaftLog) -> Vec<Term> {
        log.entries().iter().map(|e| e.term).collect()
    }

    fn snapshot_at(index: Index, term: Term) -> Snapshot {
        Snapshot {
            meta: SnapshotMeta {
                index,
                term,
                config: Configuration::new([1, 2, 3]),
            },
            data: Bytes::default(),
        }
    }

    #[test]
    fn term_lookup() {
        // Figure 7's leader.
        let log = log_of(&[1, 1, 1, 4, 4, 5, 5, 6, 6, 6]);
        assert_eq!(log.term(0), Some(0));
        assert_eq!(log.term(4), Some(4));
        assert_eq!(log.term(10), Some(6));
        assert_eq!(log.term(11), None);
        assert_eq!((log.last_index(), log.last_term()), (10, 6));
        assert_eq!(log.first_index_of_term(6, 10), 8);
        assert_eq!(log.first_index_of_term(1, 3), 1);
        assert_eq!(log.last_index_of_term_at_most(3, 10), Some(3));
        assert_eq!(log.last_index_of_term_at_most(5, 10), Some(7));
        assert_eq!(log.last_index_of_term_at_most(9, 4), Some(4));
    }

    #[test]
    fn up_to_date_compares_last_term_then_length() {
        // §5.4.1
        let log = log_of(&[1, 2, 2]);
        assert!(log.is_up_to_date(1, 3));
        assert!(log.is_up_to_date(3, 2));
        assert!(log.is_up_to_date(9, 2));
        assert!(!log.is_up_to_date(2, 2));
        assert!(!log.is_up_to_date(9, 1));
    }

    #[test]
    fn append_skips_what_matches_and_truncates_at_the_first_conflict() {
        // Figure 7 (f) repaired after index 3.
        let mut log = log_of(&[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]);
        let appended = log.append_after(entries(4, &[4, 4, 5, 5, 6, 6, 6]));
        assert_eq!(appended.truncated_from, Some(4));
        assert_eq!(appended.first_new, Some(4));
        assert_eq!(terms(&log), vec![1, 1, 1, 4, 4, 5, 5, 6, 6, 6]);
        // A duplicate of what we have changes nothing, and does not cut the tail.
        let appended = log.append_after(entries(2, &[1, 1]));
        assert_eq!(appended, Appended::default());
        assert_eq!(log.last_index(), 10);
        // Figure 2 step 3 only deletes on conflict.
        let appended = log.append_after(entries(10, &[6, 8]));
        assert_eq!(appended.truncated_from, None);
        assert_eq!(appended.first_new, Some(11));
        assert_eq!(log.last_term(), 8);
    }

    #[test]
    fn unstable_entries_are_handed_out_once() {
        let mut log = log_of(&[1, 1]);
        assert!(take_unstable(&mut log).is_empty());
        log.push(2, EntryData::Noop);
        log.append_after(entries(2, &[3]));
        let unstable: Vec<(Index, Term)> = take_unstable(&mut log)
            .iter()
            .map(|e| (e.index, e.term))
            .collect();
        assert_eq!(unstable, vec![(2, 3)]);
        assert!(take_unstable(&mut log).is_empty());
    }

    #[test]
    fn slice_respects_entry_and_byte_limits() {
        let log = log_of(&[1, 1, 1, 1, 1]);
        assert_eq!(log.slice(2, 5, 2, u64::MAX).len(), 2);
        // A noop is 16 bytes: 40 bytes hold two.
        assert_eq!(log.slice(1, 5, 10, 40).len(), 2);
        // At least one entry even when it alone is too big.
        assert_eq!(log.slice(1, 5, 10, 1).len(), 1);
        assert!(log.slice(6, 5, 10, 100).is_empty());
    }

    #[test]
    fn commit_only_moves_forward_and_within_the_log() {
        let mut log = log_of(&[1, 1, 1]);
        assert!(log.commit_to(2));
        assert!(!log.commit_to(1));
        assert!(log.commit_to(9));
        assert_eq!(log.commit_index(), 3);
        let applied: Vec<Index> = take_to_apply(&mut log, 3).iter().map(|e| e.index).collect();
        assert_eq!(applied, vec![1, 2, 3]);
        assert!(take_to_apply(&mut log, 3).is_empty());
    }

    #[test]
    fn compaction_needs_applied_entries() {
        // §7: only what the state machine has applied can be snapshotted.
        let mut log = log_of(&[1, 1, 2, 2]);
        assert!(log.compact(2, Bytes::default()).is_none());
        log.commit_to(3);
        take_to_apply(&mut log, 3);
        let snap = log.compact(3, vec![7].into()).expect("compacts");
        assert_eq!((snap.meta.index, snap.meta.term), (3, 2));
        assert_eq!(log.first_index(), 4);
        assert_eq!(log.term(3), Some(2));
        assert_eq!(log.term(2), None);
        assert_eq!(log.last_index(), 4);
        // Not twice, not backwards.
        assert!(log.compact(3, Bytes::default()).is_none());
        assert!(log.compact(2, Bytes::default()).is_none());
    }

    #[test]
    fn install_keeps_the_entries_after_a_matching_snapshot() {
        // Figure 13 step 6: the log has the snapshot's last entry: keep what follows.
        let mut log = log_of(&[1, 1, 2, 2, 2]);
        assert!(log.install(snapshot_at(3, 2)));
        assert_eq!(log.first_index(), 4);
        assert_eq!(terms(&log), vec![2, 2]);
        assert_eq!((log.commit_index(), log.last_applied()), (3, 3));
    }

    #[test]
    fn install_discards_a_conflicting_log() {
        // Figure 13 step 7: otherwise discard the entire log.
        let mut log = log_of(&[1, 1, 2, 2, 2]);
        assert!(!log.install(snapshot_at(4, 3)));
        assert!(log.entries().is_empty());
        assert_eq!((log.last_index(), log.last_term()), (4, 3));
    }

    #[test]
    fn config_is_the_latest_in_the_log() {
        let mut log = log_of(&[1]);
        assert_eq!(log.config_at(Index::MAX), (0, &Configuration::default()));
        log.push(1, EntryData::Config(Configuration::new([1, 2]).into()));
        log.push(1, EntryData::Noop);
        assert_eq!(log.config_at(Index::MAX), (2, &Configuration::new([1, 2])));
        assert_eq!(log.config_at(1).0, 0);
    }

    #[test]
    fn restore_drops_entries_that_do_not_follow_the_snapshot() {
        let mut stored = entries(1, &[1, 1, 1]);
        stored.extend(entries(7, &[1]));
        let log = RaftLog::restore(Snapshot::default(), &stored);
        assert_eq!(log.last_index(), 3);
        let log = RaftLog::restore(snapshot_at(2, 1), &stored);
        assert_eq!((log.first_index(), log.last_index()), (3, 3));
        assert_eq!(log.commit_index(), 2);
    }
}

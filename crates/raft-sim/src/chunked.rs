//! A sequence whose clones share memory: the world's growing records (the client
//! history, the checker's per-index state, the journal) are cloned into every time-travel
//! checkpoint, and a plain `Vec` would copy them whole each time, so memory would grow with
//! the run's length times the number of checkpoints.
//!
//! Elements live in chunks of [`CHUNK`] behind `Arc`s. A clone copies only the list of
//! chunks; a write (push, set, truncate) copies the one chunk it touches if another clone
//! still shares it (copy on write). Chunks dropped from the front (`pop_front`) are freed
//! once no clone holds them, so the same type serves bounded queues.

use std::fmt;
use std::ops::Index;
use std::sync::Arc;

/// Elements per chunk: small enough that a copy on write is cheap, large enough that a
/// clone's list of chunks is short.
pub const CHUNK: usize = 64;

#[derive(Clone)]
pub struct ChunkedVec<T> {
    /// Every chunk but the last holds exactly `CHUNK` elements.
    chunks: Vec<Arc<Vec<T>>>,
    /// Elements of the first chunk already popped from the front.
    head: usize,
    len: usize,
}

impl<T> Default for ChunkedVec<T> {
    fn default() -> Self {
        ChunkedVec {
            chunks: Vec::new(),
            head: 0,
            len: 0,
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for ChunkedVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for ChunkedVec<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Eq> Eq for ChunkedVec<T> {}

impl<T: std::hash::Hash> std::hash::Hash for ChunkedVec<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.len.hash(state);
        for x in self.iter() {
            x.hash(state);
        }
    }
}

impl<T> ChunkedVec<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn slot(&self, i: usize) -> (usize, usize) {
        let j = self.head + i;
        (j / CHUNK, j % CHUNK)
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let (c, k) = self.slot(i);
        Some(&self.chunks[c][k])
    }

    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    /// Oldest first; double-ended, so `.rev()` walks from the newest.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            v: self,
            front: 0,
            back: self.len,
        }
    }

    /// Removes the first element (its chunk is freed once all of it is popped and no clone
    /// holds it).
    pub fn pop_front(&mut self) {
        if self.len == 0 {
            return;
        }
        self.len -= 1;
        self.head += 1;
        if self.len == 0 {
            self.chunks.clear();
            self.head = 0;
        } else if self.head == CHUNK {
            self.chunks.remove(0);
            self.head = 0;
        }
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

impl<T: Clone> ChunkedVec<T> {
    pub fn push(&mut self, x: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Arc::make_mut(last).push(x),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(x);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    /// The element at `i`, copying its chunk first if a clone shares it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i >= self.len {
            return None;
        }
        let (c, k) = self.slot(i);
        Some(&mut Arc::make_mut(&mut self.chunks[c])[k])
    }

    /// Keeps the first `n` elements.
    pub fn truncate(&mut self, n: usize) {
        if n >= self.len {
            return;
        }
        if n == 0 {
            self.clear();
            return;
        }
        let end = self.head + n;
        self.chunks.truncate(end.div_ceil(CHUNK));
        if end % CHUNK != 0 {
            if let Some(last) = self.chunks.last_mut() {
                Arc::make_mut(last).truncate(end % CHUNK);
            }
        }
        self.len = n;
    }

    /// Grows to `n` elements with copies of `value`, or truncates to `n`.
    pub fn resize(&mut self, n: usize, value: T) {
        self.truncate(n);
        while self.len < n {
            self.push(value.clone());
        }
    }

    /// The newest element matching `pred`, searched from the back (copying only its chunk).
    pub fn rfind_mut(&mut self, pred: impl Fn(&T) -> bool) -> Option<&mut T> {
        let i = (0..self.len)
            .rev()
            .find(|&i| self.get(i).is_some_and(&pred))?;
        self.get_mut(i)
    }
}

impl<T> Index<usize> for ChunkedVec<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(x) => x,
            None => panic!("index {i} out of range for a ChunkedVec of {}", self.len),
        }
    }
}

impl<T: Clone> FromIterator<T> for ChunkedVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v = ChunkedVec::new();
        for x in iter {
            v.push(x);
        }
        v
    }
}

impl<'a, T> IntoIterator for &'a ChunkedVec<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

pub struct Iter<'a, T> {
    v: &'a ChunkedVec<T>,
    front: usize,
    back: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.v.get(self.front - 1)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.v.get(self.back)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation against a plain `Vec` doing the same, over many lengths (across
    /// chunk boundaries), with a clone taken before each write that must not change.
    #[test]
    fn behaves_like_a_vec_and_clones_never_see_later_writes() {
        let mut v: ChunkedVec<u64> = ChunkedVec::new();
        let mut model: Vec<u64> = Vec::new();
        let mut x = 7u64;
        for step in 0..3_000u64 {
            // A small deterministic mix of operations.
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let before = v.clone();
            let model_before = model.clone();
            match (x >> 33) % 10 {
                0..=4 => {
                    v.push(step);
                    model.push(step);
                }
                5 => {
                    v.pop_front();
                    if !model.is_empty() {
                        model.remove(0);
                    }
                }
                6 => {
                    let n = model.len().saturating_sub(((x >> 40) % 70) as usize);
                    v.truncate(n);
                    model.truncate(n);
                }
                7 if !model.is_empty() => {
                    let i = ((x >> 20) as usize) % model.len();
                    *v.get_mut(i).unwrap() = 1_000_000 + step;
                    model[i] = 1_000_000 + step;
                }
                8 => {
                    let n = model.len() + ((x >> 45) % 100) as usize;
                    v.resize(n, 9);
                    model.resize(n, 9);
                }
                _ => {
                    if let Some(m) = v.rfind_mut(|&e| e % 3 == 0) {
                        *m += 1;
                    }
                    if let Some(m) = model.iter_mut().rev().find(|e| **e % 3 == 0) {
                        *m += 1;
                    }
                }
            }
            assert_eq!(v.len(), model.len(), "step {step}");
            assert!(v.iter().eq(model.iter()), "step {step}");
            assert!(v.iter().rev().eq(model.iter().rev()), "step {step}");
            assert_eq!(v.last(), model.last());
            assert!(
                before.iter().eq(model_before.iter()),
                "a clone changed at step {step}"
            );
        }
    }

    #[test]
    fn clones_share_full_chunks() {
        let v: ChunkedVec<u64> = (0..10 * CHUNK as u64).collect();
        let mut c = v.clone();
        c.push(1);
        // Only the new chunk is the clone's own: the ten full chunks are shared.
        let shared = v
            .chunks
            .iter()
            .zip(&c.chunks)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count();
        assert_eq!(shared, 10);
        *c.get_mut(3).unwrap() = 99;
        assert_eq!(v[3], 3);
        assert_eq!(c[3], 99);
        assert!(!Arc::ptr_eq(&v.chunks[0], &c.chunks[0]));
        assert!(Arc::ptr_eq(&v.chunks[1], &c.chunks[1]));
    }

    #[test]
    fn popping_the_front_frees_whole_chunks() {
        let mut v: ChunkedVec<u64> = (0..3 * CHUNK as u64).collect();
        for _ in 0..CHUNK + 1 {
            v.pop_front();
        }
        assert_eq!(v.chunks.len(), 2);
        assert_eq!(v.first(), Some(&(CHUNK as u64 + 1)));
        assert_eq!(v.len(), 2 * CHUNK - 1);
    }
}

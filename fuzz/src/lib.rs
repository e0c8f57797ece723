//! The fuzz targets' checks, kept out of the targets so the stable tests of
//! raft-sim and raft-core replay the committed corpora through the same code
//! (they include these files with `#[path]`).

pub mod core_model;
pub mod inputs;

/// The fuzz target reads its input with `arbitrary`; the stable tests with
/// [`core_model::Bytes`], which reads `u8` and `u64` the same way.
impl core_model::Source for arbitrary::Unstructured<'_> {
    fn byte(&mut self) -> u8 {
        self.arbitrary().unwrap_or(0)
    }
    fn word(&mut self) -> u64 {
        self.arbitrary().unwrap_or(0)
    }
    fn is_empty(&self) -> bool {
        arbitrary::Unstructured::is_empty(self)
    }
}

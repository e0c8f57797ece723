//! English: every key of the page, by section.

mod page;
mod view;

/// The whole English table.
pub const TABLE: &[&[(&str, &str)]] = &[page::STRINGS, view::STRINGS];

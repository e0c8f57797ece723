//! English: every key of the page, by section.

mod embed;
mod page;
mod view;

/// The whole English table.
pub const TABLE: &[&[(&str, &str)]] = &[embed::STRINGS, page::STRINGS, view::STRINGS];

//! English: every key of the page, by section.

mod embed;
mod lab;
mod learn;
mod page;
mod view;

/// The whole English table.
pub const TABLE: &[&[(&str, &str)]] = &[
    embed::STRINGS,
    lab::STRINGS,
    learn::STRINGS,
    page::STRINGS,
    view::STRINGS,
];

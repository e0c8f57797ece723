//! Section `embed`: a playground inside another page. See `crate::i18n`.

pub const STRINGS: &[(&str, &str)] = &[
    (
        "embed.link_unusable",
        "The host page's link could not be started ({error}); the run goes on.",
    ),
    (
        "embed.link_empty",
        "The host page's link names no run; the run goes on.",
    ),
    (
        "embed.link_unreadable",
        "The host page's link could not be read: {error}. The run goes on.",
    ),
    ("embed.open_full", "Open in full \u{2197}"),
];

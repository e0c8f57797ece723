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
    ("link.param", "the link's `{param}` parameter: {problem}"),
    (
        "link.bad_escapes",
        "its percent-escapes do not make text; was the link cut or changed?",
    ),
    (
        "link.not_a_version",
        "it is not a version of the link format",
    ),
    (
        "link.newer_version",
        "the link comes from a newer version of the page (format {version}); reload the page",
    ),
    ("link.no_such_version", "there is no link format {version}"),
    ("link.not_a_number", "it is not a whole number"),
    (
        "link.missing_seed",
        "it is missing; a link names the seed of its run, e.g. `seed=7`",
    ),
    (
        "link.two_setups",
        "a link starts from one setup, but this one has both `{first}` and `{second}`",
    ),
    (
        "link.size_out_of_range",
        "{size} servers: the page runs {min} to {max}",
    ),
    (
        "link.no_such_scenario",
        "there is no scenario called `{name}`",
    ),
    (
        "link.no_setup",
        "it names no setup: no `size`, `scenario` or `file`",
    ),
    (
        "link.bad_actions",
        "its list of actions cannot be read; was the link cut or changed?",
    ),
    (
        "link.bad_file",
        "the scenario it carries cannot be read; was the link cut or changed?",
    ),
];

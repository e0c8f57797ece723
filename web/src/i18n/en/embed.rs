//! Section `embed`: a playground inside another page, and what the world says
//! (a bad link, a refused action) in the page's words. See `crate::i18n`.

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
    ("refusal.no_server", "there is no server S{node}"),
    (
        "refusal.no_message",
        "message {id} is no longer in flight (it arrived or was lost)",
    ),
    ("refusal.not_held", "message {id} is not held"),
    ("refusal.crashed", "S{node} is crashed"),
    ("refusal.already_crashed", "S{node} is already crashed"),
    ("refusal.running", "S{node} is running"),
    ("refusal.no_leader", "there is no leader"),
    ("refusal.no_follower", "the leader has no running follower"),
    (
        "refusal.nothing_to_compact",
        "nothing to compact: no entry applied since the snapshot at index {index}",
    ),
    (
        "refusal.network",
        "the network setting {field} is out of range",
    ),
    (
        "refusal.latency_order",
        "the longest latency would be shorter than the shortest",
    ),
    ("refusal.disk", "the disk latency is out of range"),
    (
        "refusal.time_range",
        "{ms} ms is past the latest time a run can hold",
    ),
    (
        "refusal.config",
        "the servers cannot take this configuration",
    ),
    (
        "refusal.not_leader_try",
        "it is not the leader; try S{leader}",
    ),
    (
        "refusal.not_leader",
        "it is not the leader, and no leader is known",
    ),
    (
        "refusal.transfer_in_progress",
        "a leadership transfer is under way",
    ),
    (
        "refusal.conf_change_pending",
        "the previous membership change is not committed yet",
    ),
    (
        "refusal.not_committed_in_term",
        "the leader has not committed an entry of its term yet",
    ),
    ("refusal.not_voter", "S{node} is not a voter"),
    ("refusal.in_joint", "the cluster is in joint consensus"),
    (
        "refusal.not_in_joint",
        "the cluster is not in joint consensus",
    ),
    ("refusal.already_voter", "S{node} is already a voter"),
    ("refusal.already_member", "S{node} is already a member"),
    ("refusal.not_member", "S{node} is not a member"),
    (
        "refusal.no_voters",
        "a configuration needs at least one voter",
    ),
    (
        "refusal.voter_and_learner",
        "S{node} cannot be both a voter and a learner",
    ),
    ("refusal.zero_id", "server id 0 is reserved"),
    ("refusal.net.loss", "loss"),
    ("refusal.net.dup", "duplication"),
    ("refusal.net.reorder", "reordering"),
    ("refusal.net.latency", "latency"),
    ("file.at_line", "{file}, line {line}, column {column}"),
    ("file.field", ", field `{field}`"),
    ("file.error", "{at}: {message}"),
];

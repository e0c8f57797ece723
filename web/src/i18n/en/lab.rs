//! Section `lab`: what a network may do to a message by hand, the safety
//! panel, and breaking a rule on purpose. See `crate::i18n`.

pub const STRINGS: &[(&str, &str)] = &[
    ("message_op.drop", "Drop"),
    ("message_op.duplicate", "Duplicate"),
    ("message_op.hold", "Hold"),
    ("message_op.release", "Release"),
    ("message_ops.label", "What the network does to this message"),
    ("message_ops.caption", "{kind} S{from}\u{2192}S{to}"),
    ("message_ops.held", "{what}, held"),
    (
        "said.duplicate",
        "You duplicated {kind} S{from}\u{2192}S{to}: a second copy is on its way",
    ),
    (
        "said.hold",
        "You held {kind} S{from}\u{2192}S{to} where it is",
    ),
    (
        "said.release",
        "You released {kind} S{from}\u{2192}S{to}: it goes on",
    ),
    ("keys.help.duplicate", "duplicate the picked message"),
    ("keys.help.hold", "hold the picked message where it is"),
    ("keys.help.release", "release the picked held message"),
];

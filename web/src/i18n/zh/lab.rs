//! Section `lab`: 手动对消息做网络可能做的事、安全性面板、故意违反规则。See `crate::i18n`.

pub const STRINGS: &[(&str, &str)] = &[
    ("message_op.drop", "丢弃"),
    ("message_op.duplicate", "复制"),
    ("message_op.hold", "扣住"),
    ("message_op.release", "放行"),
    ("message_ops.label", "网络对这条消息做什么"),
    ("message_ops.caption", "{kind} S{from}\u{2192}S{to}"),
    ("message_ops.held", "{what}，已扣住"),
    (
        "said.duplicate",
        "你复制了 {kind} S{from}\u{2192}S{to}：第二份副本正在路上",
    ),
    ("said.hold", "你把 {kind} S{from}\u{2192}S{to} 扣在原地"),
    (
        "said.release",
        "你放行了 {kind} S{from}\u{2192}S{to}：它继续前进",
    ),
    ("keys.help.duplicate", "复制选取的消息"),
    ("keys.help.hold", "把选取的消息扣在原地"),
    ("keys.help.release", "放行选取的被扣消息"),
];

//! Section `embed`: a playground inside another page. See `crate::i18n`.

pub const STRINGS: &[(&str, &str)] = &[
    (
        "embed.link_unusable",
        "宿主页面给出的链接无法启动（{error}），当前运行继续。",
    ),
    (
        "embed.link_empty",
        "宿主页面给出的链接里没有运行，当前运行继续。",
    ),
    (
        "embed.link_unreadable",
        "宿主页面给出的链接无法读取：{error}。当前运行继续。",
    ),
    ("embed.open_full", "在完整页面中打开 \u{2197}"),
];

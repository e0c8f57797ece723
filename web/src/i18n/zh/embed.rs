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
    ("link.param", "链接的 `{param}` 参数：{problem}"),
    (
        "link.bad_escapes",
        "其中的百分号转义（`%..`）无法还原成文字；链接是否被截断或改动过？",
    ),
    ("link.not_a_version", "它不是链接格式的版本号"),
    (
        "link.newer_version",
        "此链接来自更新版本的页面（格式 {version}）；请刷新页面，或在生成它的地方打开",
    ),
    ("link.no_such_version", "不存在第 {version} 版链接格式"),
    ("link.not_a_number", "它不是一个整数"),
    (
        "link.missing_seed",
        "缺少此参数；链接必须写明运行的种子，例如 `seed=7`",
    ),
    (
        "link.two_setups",
        "链接只能从一种初始设置开始，但这个链接同时给出了 `{first}` 和 `{second}`",
    ),
    (
        "link.size_out_of_range",
        "{size} 台服务器：页面支持 {min} 到 {max} 台",
    ),
    ("link.no_such_scenario", "没有名为 `{name}` 的场景"),
    (
        "link.no_setup",
        "没有给出初始设置：缺少 `size`、`scenario` 或 `file`",
    ),
    (
        "link.bad_actions",
        "其中的操作记录无法读取；链接是否被截断或改动过？",
    ),
    (
        "link.bad_file",
        "其中携带的场景文件无法读取；链接是否被截断或改动过？",
    ),
];

//! Section `embed`: a playground inside another page, and what the world says
//! (a bad link, a refused action) in the page's words. See `crate::i18n`.

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
    ("refusal.no_server", "没有服务器 S{node}"),
    (
        "refusal.no_message",
        "消息 {id} 已不在传输中（它已送达或已丢失）",
    ),
    ("refusal.not_held", "消息 {id} 没有被扣住"),
    ("refusal.crashed", "S{node} 已崩溃"),
    ("refusal.already_crashed", "S{node} 已经崩溃了"),
    ("refusal.running", "S{node} 正在运行"),
    ("refusal.no_leader", "当前没有领导者"),
    ("refusal.no_follower", "领导者没有正在运行的跟随者"),
    (
        "refusal.nothing_to_compact",
        "没有可压缩的内容：自索引 {index} 处的快照以来没有应用新的条目",
    ),
    ("refusal.network", "网络设置 {field} 超出范围"),
    ("refusal.latency_order", "最长延迟不能短于最短延迟"),
    ("refusal.disk", "磁盘延迟超出范围"),
    (
        "refusal.time_range",
        "{ms} 毫秒超出了一次运行能容纳的最晚时间",
    ),
    ("refusal.config", "服务器无法采用这一配置"),
    ("refusal.not_leader_try", "它不是领导者；请找 S{leader}"),
    ("refusal.not_leader", "它不是领导者，目前也不知道谁是领导者"),
    ("refusal.transfer_in_progress", "领导权转移正在进行"),
    ("refusal.conf_change_pending", "上一次成员变更尚未提交"),
    (
        "refusal.not_committed_in_term",
        "领导者尚未提交本任期的条目",
    ),
    ("refusal.not_voter", "S{node} 不是投票成员"),
    ("refusal.in_joint", "集群正处于联合共识中"),
    ("refusal.not_in_joint", "集群不处于联合共识中"),
    ("refusal.already_voter", "S{node} 已经是投票成员"),
    ("refusal.already_member", "S{node} 已经是集群成员"),
    ("refusal.not_member", "S{node} 不是集群成员"),
    ("refusal.no_voters", "配置中至少要有一个投票成员"),
    (
        "refusal.voter_and_learner",
        "S{node} 不能既是投票成员又是学习者",
    ),
    ("refusal.zero_id", "服务器编号 0 是保留的"),
    ("refusal.net.loss", "丢包率"),
    ("refusal.net.dup", "重复率"),
    ("refusal.net.reorder", "乱序"),
    ("refusal.net.latency", "延迟"),
    ("file.at_line", "{file} 第 {line} 行第 {column} 列"),
    ("file.field", "，字段 `{field}`"),
    ("file.error", "{at}（解析器的说明：{message}）"),
];

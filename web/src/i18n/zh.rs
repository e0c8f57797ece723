//! Simplified Chinese (简体中文): every key of the page, by section. Standard Raft
//! terms: 领导者 leader, 跟随者 follower, 候选人 candidate, 预候选人
//! pre-candidate, 任期 term, 日志 log, 条目 entry, 提交 commit, 应用 apply,
//! 心跳 heartbeat, 选举超时 election timeout, 投票 vote, 快照 snapshot,
//! 成员变更 membership change, 联合共识 joint consensus, 学习者 learner,
//! 分区 partition.

mod embed;
mod lab;
mod learn;
mod page;
mod view;

/// The whole Chinese table.
pub const TABLE: &[&[(&str, &str)]] = &[
    embed::STRINGS,
    lab::STRINGS,
    learn::STRINGS,
    page::STRINGS,
    view::STRINGS,
];

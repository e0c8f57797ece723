//! Section `page`: see `crate::i18n`.

pub const STRINGS: &[(&str, &str)] = &[("lang.switch", "语言：{name}")];

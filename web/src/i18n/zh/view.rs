//! Section `view`: see `crate::i18n`.

pub const STRINGS: &[(&str, &str)] = &[];

//! Every string a person sees or hears, in English and Simplified Chinese.
//!
//! One table per language ([`en`], [`zh`]) maps a key such as
//! `"transport.play"` to its text; `{name}` marks a value filled in by
//! [`trf`]. A native test (below) fails when a key is missing from either
//! table, unused in the sources, or used but undefined, and when the two
//! texts of a key do not have the same `{placeholders}`.
//!
//! The tables are split into sections (one per part of the page) so that each
//! can be edited on its own; `en::TABLE` and `zh::TABLE` join them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Display;

pub mod en;
pub mod zh;

/// A language of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The link's `lang=` value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The root's `lang` attribute (BCP 47).
    pub fn bcp47(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The root's `dir` attribute: both languages are written left to right.
    pub fn dir(self) -> &'static str {
        "ltr"
    }

    /// The language's own name, for the switch (`English`, `中文`).
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "\u{4e2d}\u{6587}",
        }
    }

    /// `en`, `zh`, or a browser language tag (`zh-CN`, `en-GB`, `zh-Hans-SG`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages that the page speaks,
    /// else English.
    pub fn from_browser<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::parse).unwrap_or_default()
    }

    /// The other language (the switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    fn table(self) -> &'static [&'static [(&'static str, &'static str)]] {
        match self {
            Lang::En => en::TABLE,
            Lang::Zh => zh::TABLE,
        }
    }
}

thread_local! {
    static INDEX: RefCell<[Option<HashMap<&'static str, &'static str>>; 2]> = const { RefCell::new([None, None]) };
}

fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    INDEX.with(|index| {
        let mut index = index.borrow_mut();
        let slot = &mut index[lang as usize];
        let map = slot.get_or_insert_with(|| {
            lang.table()
                .iter()
                .flat_map(|section| section.iter().copied())
                .collect()
        });
        map.get(key).copied()
    })
}

/// The text of `key` in `lang`; English if the key has no text in `lang`, the
/// key itself if it has none at all (the tests make both impossible).
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    lookup(lang, key)
        .or_else(|| lookup(Lang::En, key))
        .unwrap_or(key)
}

/// The text of `key` with each `{name}` replaced by its value:
/// `trf(lang, "ring.term", &[("term", &3)])`.
pub fn trf(lang: Lang, key: &'static str, args: &[(&str, &dyn Display)]) -> String {
    fill(tr(lang, key), args)
}

/// Replaces `{name}` in `template` by the value named `name`.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => {
                        let _ = write!(out, "{v}");
                    }
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    fn keys(lang: Lang) -> BTreeMap<&'static str, &'static str> {
        let mut map = BTreeMap::new();
        for &(k, v) in lang.table().iter().flat_map(|s| s.iter()) {
            assert!(map.insert(k, v).is_none(), "{}: key {k} twice", lang.code());
        }
        map
    }

    fn placeholders(text: &str) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            out.insert(&after[..close]);
            rest = &after[close + 1..];
        }
        out
    }

    /// Every Rust source of the page but the tables themselves.
    fn sources() -> String {
        fn walk(dir: &Path, out: &mut String) {
            for entry in std::fs::read_dir(dir).expect("read src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    if path.file_name().is_some_and(|n| n != "i18n") {
                        walk(&path, out);
                    }
                } else if path.extension().is_some_and(|e| e == "rs")
                    && path.file_name().is_some_and(|n| n != "i18n.rs")
                {
                    out.push_str(&std::fs::read_to_string(&path).expect("read"));
                    out.push('\n');
                }
            }
        }
        let mut out = String::new();
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
        out
    }

    /// The keys the sources name: the first string literal after `tr(` or `trf(`
    /// and any literal written `i18n_key!("...")`-style as `key("...")`.
    fn used_keys(src: &str) -> BTreeSet<String> {
        let mut used = BTreeSet::new();
        for call in ["tr(", "trf(", "key!(\""] {
            let mut rest = src;
            while let Some(at) = rest.find(call) {
                let after = &rest[at + call.len()..];
                // The call's first string literal within the next few characters.
                let window = &after[..after.len().min(160)];
                if let Some(q) = window.find('"') {
                    let lit = &window[q + 1..];
                    if let Some(end) = lit.find('"') {
                        let k = &lit[..end];
                        if !k.is_empty() && k.contains('.') && !k.contains(' ') {
                            used.insert(k.to_string());
                        }
                    }
                }
                rest = after;
            }
        }
        used
    }

    #[test]
    fn both_tables_have_the_same_keys_and_placeholders() {
        let (en, zh) = (keys(Lang::En), keys(Lang::Zh));
        let missing_zh: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        let missing_en: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            missing_zh.is_empty(),
            "keys without Chinese: {missing_zh:?}"
        );
        assert!(
            missing_en.is_empty(),
            "keys without English: {missing_en:?}"
        );
        for (k, e) in &en {
            assert_eq!(
                placeholders(e),
                placeholders(zh[k]),
                "{k}: the placeholders differ between en and zh"
            );
            assert!(
                !e.trim().is_empty() && !zh[k].trim().is_empty(),
                "{k}: empty text"
            );
        }
    }

    #[test]
    fn every_key_is_used_and_every_used_key_is_defined() {
        let src = sources();
        let en = keys(Lang::En);
        let unused: Vec<_> = en
            .keys()
            .filter(|k| !src.contains(&format!("\"{k}\"")))
            .collect();
        assert!(unused.is_empty(), "keys no source uses: {unused:?}");
        let undefined: Vec<_> = used_keys(&src)
            .into_iter()
            .filter(|k| !en.contains_key(k.as_str()))
            .collect();
        assert!(
            undefined.is_empty(),
            "keys used but not in the tables: {undefined:?}"
        );
    }

    #[test]
    fn chinese_texts_are_chinese() {
        // A text left in English by mistake: no CJK character at all (texts made only
        // of names, numbers and symbols are allowed through the list below).
        let en = keys(Lang::En);
        let english: Vec<_> = keys(Lang::Zh)
            .into_iter()
            .filter(|(k, v)| {
                v.chars().any(|c| c.is_ascii_alphabetic())
                    && !v.chars().any(|c| ('\u{3000}'..='\u{9fff}').contains(&c))
                    && en.get(k) != Some(v)
            })
            .collect();
        assert!(
            english.is_empty(),
            "Chinese texts without Chinese: {english:?}"
        );
    }

    #[test]
    fn languages_parse_from_links_and_browsers() {
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::from_browser(["fr-FR", "zh-TW", "en"]), Lang::Zh);
        assert_eq!(Lang::from_browser(["de"]), Lang::En);
        assert_eq!(Lang::parse(Lang::Zh.code()), Some(Lang::Zh));
    }

    #[test]
    fn fill_replaces_named_values_and_keeps_unknown_ones() {
        assert_eq!(
            fill("S{node} at term {term}", &[("node", &3), ("term", &7)]),
            "S3 at term 7"
        );
        assert_eq!(fill("{x} and {y}", &[("x", &1)]), "1 and {y}");
        assert_eq!(fill("no brace {", &[]), "no brace {");
    }

    #[test]
    fn a_missing_text_falls_back_to_english_then_the_key() {
        assert_eq!(tr(Lang::Zh, "lang.switch"), tr(Lang::Zh, "lang.switch"));
        assert_eq!(tr(Lang::En, "no.such.key"), "no.such.key");
    }
}

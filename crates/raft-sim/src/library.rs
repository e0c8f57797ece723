//! The scenario library: every file under `scenarios/`, compiled in, so the
//! page's menu, the tests and the CLI read the same files with the same parser.

use crate::scenario::{Scenario, ScenarioError};

/// One scenario file: its name (the file name without `.json`) and its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: &'static str,
    pub text: &'static str,
}

impl Entry {
    /// The parsed scenario (the library's files are tested to parse).
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        Scenario::parse(self.text, &format!("scenarios/{}.json", self.name))
    }
}

macro_rules! library {
    ($($name:literal),* $(,)?) => {
        /// The scenario files, in the order the page's menu lists them.
        pub const SCENARIOS: &[Entry] = &[$(Entry {
            name: $name,
            text: include_str!(concat!("../../../scenarios/", $name, ".json")),
        }),*];
    };
}

library![
    "backtracking",
    "figure7-repair",
    "figure8-safe",
    "figure8-commit-previous-term",
    "bug-vote-without-log-check",
    "bug-forget-vote-on-restart",
    "bug-apply-before-commit",
    "bug-no-randomized-timeout",
    "partition-3-2",
    "old-leader-returns",
    "split-vote",
    "snapshot-catch-up",
    "joint-consensus",
    "membership-learner",
    "tour",
    "chapter-basics",
    "chapter-clients",
    "prevote-disruption",
    "check-quorum",
    "chapter-optimizations",
];

/// The library's scenario called `name`.
pub fn find(name: &str) -> Option<&'static Entry> {
    SCENARIOS.iter().find(|e| e.name == name)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_library_is_exactly_the_scenarios_folder_and_every_file_parses() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                Some(name.strip_suffix(".json")?.to_string())
            })
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = SCENARIOS.iter().map(|e| e.name.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk, "add new files to the library![] list");
        for e in SCENARIOS {
            let s = e.scenario().unwrap_or_else(|err| panic!("{err}"));
            // The page speaks every language the texts can have: each scenario does too.
            for lang in crate::scenario::Localized::LANGS {
                let (title, description) = (s.title.get(lang), s.description.get(lang));
                let title = title.unwrap_or_else(|| panic!("{}: no {lang} title", e.name));
                assert!(
                    !title.trim().is_empty(),
                    "{}: needs a one-line {lang} title",
                    e.name
                );
                assert!(
                    !title.contains('\n'),
                    "{}: the {lang} title is one line",
                    e.name
                );
                assert!(
                    description.is_some_and(|d| !d.trim().is_empty()),
                    "{}: needs a {lang} description",
                    e.name
                );
            }
        }
        assert_eq!(find("backtracking").map(|e| e.name), Some("backtracking"));
        assert!(find("nope").is_none());
    }
}

//! What the address bar asks for: the run (a share link, see `raft_sim::link`)
//! and how to show it; how a page starts from it; and the banner for a link or
//! file that could not be used.

use super::clock::{speed_pos_for, DEFAULT_SPEED_POS};
use super::host::Controls;
use super::state::{Panel, Theme};
use super::text::Text;
use super::Playground;
use crate::cluster::{RunLink, Setup, DEFAULT_NODES};
use crate::i18n::{tr, trf, Lang};
use raft_sim::link::LinkError;

/// The raw value of `name` in a query string such as `?speed=1&crash`.
/// A parameter without `=` has the value `""`.
pub fn query_param<'a>(search: &'a str, name: &str) -> Option<&'a str> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Everything the URL can set: the run (see `raft_sim::link`: `v`, `seed`,
/// `size`, `scenario`, `file`, `t`, `paused`, `a`, and the old `example`,
/// `prevote`, ...) and how to show it (`speed`, `crash`).
#[derive(Clone, Debug, PartialEq)]
pub struct UrlOptions {
    /// The run the link describes; `Ok(None)`: none (a plain visit).
    pub link: Result<Option<RunLink>, LinkError>,
    /// `panel=faults`: the side panel's open section.
    pub panel: Option<Panel>,
    /// `theme=dark`: a chosen theme (else the system's).
    pub theme: Option<Theme>,
    /// `lang=zh`: a chosen language (else the browser's).
    pub lang: Option<Lang>,
    /// `embed=1`: shown inside another page's iframe (the cluster, minimal
    /// controls, an "open in full" link).
    pub embed: bool,
    /// `controls=full|minimal|none`; by default full, minimal when embedded.
    pub controls: Controls,
    pub speed_pos: i32,
    /// `?crash`: panic on the first frame, to check the crash box.
    pub crash: bool,
    /// What the page ignored or clamped (`lang=xx`, an old link's `size=1000`).
    pub notes: Option<Banner>,
    /// `chapter=N&step=K`: the chapter open at a step (from 0 here).
    pub chapter: Option<(usize, usize)>,
}

/// Reads every option; a run that cannot be read is an error to show.
pub fn parse_options(search: &str) -> UrlOptions {
    UrlOptions {
        link: RunLink::from_query(search),
        panel: query_param(search, "panel").and_then(Panel::parse),
        theme: query_param(search, "theme").and_then(Theme::parse),
        lang: query_param(search, "lang").and_then(Lang::parse),
        embed: query_param(search, "embed").is_some_and(|v| v != "0"),
        controls: query_param(search, "controls")
            .and_then(Controls::parse)
            .unwrap_or(if query_param(search, "embed").is_some_and(|v| v != "0") {
                Controls::Minimal
            } else {
                Controls::Full
            }),
        speed_pos: query_param(search, "speed")
            .and_then(|s| s.parse::<f64>().ok())
            .and_then(speed_pos_for)
            .unwrap_or(DEFAULT_SPEED_POS),
        crash: query_param(search, "crash").is_some(),
        notes: super::limits::ignored_options(search),
        chapter: super::chapters::parse_link(search),
    }
}

/// A query that names a scenario or a size but no seed (an element's
/// attributes, a hand-written link) gets one: the library scenario's own seed,
/// else `fresh_seed`. Links from Share always carry theirs.
pub fn with_default_seed(search: &str, fresh_seed: u64) -> String {
    let has = |name| query_param(search, name).is_some();
    if has("seed") || has("v") || !(has("scenario") || has("size")) {
        return search.to_string();
    }
    let seed = query_param(search, "scenario")
        .and_then(raft_sim::library::find)
        .and_then(|e| e.scenario().ok())
        .map_or(fresh_seed, |s| s.seed);
    let rest = search.trim_start_matches('?');
    format!("?seed={seed}&{rest}")
}

/// What is wrong with a link, in words: raft-sim's own English sentence (it
/// has the details), and the page's Chinese for the same typed problem.
pub fn link_error_text(e: &LinkError) -> Text {
    use raft_sim::link::LinkProblem as P;
    let zh = Lang::Zh;
    let problem = match &e.problem {
        P::BadEscapes => tr(zh, "link.bad_escapes").to_string(),
        P::NotAVersion => tr(zh, "link.not_a_version").to_string(),
        P::NewerVersion { version } => trf(zh, "link.newer_version", &[("version", version)]),
        P::NoSuchVersion { version } => trf(zh, "link.no_such_version", &[("version", version)]),
        P::NotANumber => tr(zh, "link.not_a_number").to_string(),
        P::MissingSeed => tr(zh, "link.missing_seed").to_string(),
        P::TwoSetups { first, second } => trf(
            zh,
            "link.two_setups",
            &[("first", first), ("second", second)],
        ),
        P::SizeOutOfRange { size, min, max } => trf(
            zh,
            "link.size_out_of_range",
            &[("size", size), ("min", min), ("max", max)],
        ),
        P::NoSuchScenario { name } => trf(zh, "link.no_such_scenario", &[("name", name)]),
        P::NoSetup => tr(zh, "link.no_setup").to_string(),
        P::BadActions => tr(zh, "link.bad_actions").to_string(),
        P::BadFile => tr(zh, "link.bad_file").to_string(),
    };
    Text::Langs(
        e.to_string(),
        trf(
            zh,
            "link.param",
            &[("param", &e.param), ("problem", &problem)],
        ),
    )
}

/// Query parameters that belong to the run (`raft_sim::link`, and the old
/// ones it still reads): the page rewrites them; any others it keeps.
const RUN_PARAMS: [&str; 18] = [
    "panel",
    "chapter",
    "step",
    "theme",
    "lang",
    "v",
    "seed",
    "size",
    "scenario",
    "file",
    "t",
    "paused",
    "a",
    "example",
    "prevote",
    "checkquorum",
    "fastbacktrack",
    "batching",
];

/// The query for the address bar (without `?`): the run's own parameters
/// (`run_query`) and how it is shown (`view`: `panel`, `theme`) after the
/// page's other ones from `current` (`speed`, ...).
pub fn page_query(current: &str, run_query: &str, view: &[(&str, &str)]) -> String {
    let mut parts: Vec<&str> = current
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split_once('=').map_or(*p, |(k, _)| k);
            !RUN_PARAMS.contains(&key)
        })
        .collect();
    let view: Vec<String> = view.iter().map(|(k, v)| format!("{k}={v}")).collect();
    parts.extend(view.iter().map(String::as_str));
    parts.push(run_query);
    parts.join("&")
}

/// `url` without its `name` parameters: the crash box's link leaves out
/// `crash`, so opening it replays the run instead of crashing again.
pub fn without_param(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && p.split_once('=').map_or(*p, |(k, _)| k) != name)
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// The query (without `?`) of the full page showing this run at this moment,
/// for an embedded playground's "open in full" link (no `embed`, `controls`).
pub fn full_page_query(run_query: &str, view: &[(&str, &str)]) -> String {
    page_query("", run_query, view)
}

/// The playground a page with these options starts with: the link's run, or
/// (no run in the link, or one that cannot be used) the page's own cluster
/// with `fresh_seed`, and a banner saying what was wrong.
pub fn start_playground(options: &UrlOptions, fresh_seed: u64) -> Playground {
    let mut pg = start_run(options, fresh_seed);
    if pg.narration.banner.is_none() {
        pg.set_banner(options.notes.clone());
    }
    pg.show(options.panel, options.theme, options.lang);
    if let Some((chapter, step)) = options.chapter {
        pg.open_from_link(chapter, step);
    }
    pg
}

fn start_run(options: &UrlOptions, fresh_seed: u64) -> Playground {
    let plain = |banner: Option<Banner>| {
        let mut pg = Playground::new(
            Setup::new(fresh_seed, DEFAULT_NODES),
            options.speed_pos,
            true,
        );
        pg.set_banner(banner);
        pg
    };
    match &options.link {
        Ok(None) => plain(None),
        Ok(Some(link)) => match Playground::from_link(link, options.speed_pos) {
            Ok(pg) => pg,
            Err(e) => plain(Some(Banner::said(
                BannerKind::Error,
                text_key!("banner.link_unusable", error = e),
            ))),
        },
        Err(e) => plain(Some(Banner::said(
            BannerKind::Error,
            text_key!("banner.link_unreadable", error = link_error_text(e)),
        ))),
    }
}

/// A message across the top of the page: a link or file that could not be
/// used (`error`), or news such as a copied link (`info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    pub kind: BannerKind,
    pub text: String,
    /// What the text says, when the view-model wrote it: the frame writes it
    /// again in the page's language ([`Banner::in_lang`]).
    pub said: Option<Text>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BannerKind {
    Error,
    Info,
}

impl BannerKind {
    /// The `data-kind` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            BannerKind::Error => "error",
            BannerKind::Info => "info",
        }
    }
}

impl Banner {
    pub fn error(text: String) -> Banner {
        Banner {
            kind: BannerKind::Error,
            text,
            said: None,
        }
    }
    pub fn info(text: String) -> Banner {
        Banner {
            kind: BannerKind::Info,
            text,
            said: None,
        }
    }
    /// A banner whose words follow the page's language.
    pub fn said(kind: BannerKind, said: Text) -> Banner {
        Banner {
            kind,
            text: said.render(Lang::En),
            said: Some(said),
        }
    }
    /// The banner as shown in `lang`.
    pub fn in_lang(&self, lang: Lang) -> Banner {
        match &self.said {
            Some(said) => Banner {
                text: said.render(lang),
                ..self.clone()
            },
            None => self.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_without_a_seed_gets_the_scenarios_or_a_fresh_one() {
        let own = raft_sim::library::find("figure8-safe")
            .unwrap()
            .scenario()
            .unwrap()
            .seed;
        assert_eq!(
            with_default_seed("?scenario=figure8-safe&controls=minimal", 99),
            format!("?seed={own}&scenario=figure8-safe&controls=minimal")
        );
        assert_eq!(
            with_default_seed("?size=3&paused", 99),
            "?seed=99&size=3&paused"
        );
        assert_eq!(with_default_seed("?seed=4&size=3", 99), "?seed=4&size=3");
        assert_eq!(with_default_seed("?lang=zh", 99), "?lang=zh");
        assert_eq!(with_default_seed("", 99), "");
        // The result is a link the page can start.
        let o = parse_options(&with_default_seed("?scenario=figure8-safe", 1));
        assert!(matches!(o.link, Ok(Some(_))), "{:?}", o.link);
    }

    #[test]
    fn a_bad_link_is_explained_in_each_language() {
        let bad = [
            "?v=1&seed=x&size=3",
            "?v=7&seed=1&size=3",
            "?v=x&seed=1",
            "?v=1&seed=1&scenario=nope",
            "?v=1&seed=1&size=3&a=zz~",
            "?v=1&seed=1&size=99",
            "?v=1&seed=1&file=%%%",
            "?v=1&size=3",
            "?v=1&seed=1&size=3&scenario=figure8-safe",
            "?v=1&seed=1",
            "?v=1&seed=1&size=3&t=abc",
            "?seed=%ff",
        ];
        for q in bad {
            let Err(e) = RunLink::from_query(q) else {
                panic!("{q} was read");
            };
            let text = link_error_text(&e);
            assert_eq!(text.render(Lang::En), e.to_string(), "{q}");
            let zh = text.render(Lang::Zh);
            assert!(zh.contains(&format!("`{}`", e.param)), "{q}: {zh}");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{q}: {zh}"
            );
            // Outside the backticked names, no English words are left.
            let outside: String = zh.split('`').step_by(2).collect();
            assert!(
                !outside
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| w.len() > 1),
                "{q}: {zh}"
            );
        }
    }
}

//! What the address bar asks for: the run (a share link, see `raft_sim::link`)
//! and how to show it; how a page starts from it; and the banner for a link or
//! file that could not be used.

use super::clock::{speed_pos_for, DEFAULT_SPEED_POS};
use super::state::{Panel, Theme};
use super::Playground;
use crate::cluster::{RunLink, Setup, DEFAULT_NODES};
use crate::i18n::Lang;
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
    pub speed_pos: i32,
    /// `?crash`: panic on the first frame, to check the crash box.
    pub crash: bool,
}

/// Reads every option; a run that cannot be read is an error to show.
pub fn parse_options(search: &str) -> UrlOptions {
    UrlOptions {
        link: RunLink::from_query(search),
        panel: query_param(search, "panel").and_then(Panel::parse),
        theme: query_param(search, "theme").and_then(Theme::parse),
        lang: query_param(search, "lang").and_then(Lang::parse),
        speed_pos: query_param(search, "speed")
            .and_then(|s| s.parse::<f64>().ok())
            .and_then(speed_pos_for)
            .unwrap_or(DEFAULT_SPEED_POS),
        crash: query_param(search, "crash").is_some(),
    }
}

/// Query parameters that belong to the run (`raft_sim::link`, and the old
/// ones it still reads): the page rewrites them; any others it keeps.
const RUN_PARAMS: [&str; 16] = [
    "panel",
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

/// The playground a page with these options starts with: the link's run, or
/// (no run in the link, or one that cannot be used) the page's own cluster
/// with `fresh_seed`, and a banner saying what was wrong.
pub fn start_playground(options: &UrlOptions, fresh_seed: u64) -> Playground {
    let mut pg = start_run(options, fresh_seed);
    pg.show(options.panel, options.theme, options.lang);
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
            Err(e) => plain(Some(Banner::error(format!(
                "This link's run could not be started ({e}); here is a new run instead."
            )))),
        },
        Err(e) => plain(Some(Banner::error(format!(
            "This link could not be read: {e}. Here is a new run instead."
        )))),
    }
}

/// A message across the top of the page: a link or file that could not be
/// used (`error`), or news such as a copied link (`info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    pub kind: BannerKind,
    pub text: String,
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
        }
    }
    pub fn info(text: String) -> Banner {
        Banner {
            kind: BannerKind::Info,
            text,
        }
    }
}

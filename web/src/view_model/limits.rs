//! What the page refuses or adjusts that the simulator alone would take. A
//! link, a scenario file or an element's attributes come from anyone, so
//! nothing in them may panic or freeze the page: a link whose moment is
//! further than the page replays, a scenario with more servers than the ring
//! draws, an action whose time or network setting the world would overflow
//! or refuse. (The scenario parser checks a file's own ranges.) Options the page does not know
//! (`lang=xx`) are ignored with a note.

use raft_sim::link::RunLink;
use raft_sim::scenario::{Scenario, MAX_TIME_MS};
use raft_sim::{Action, ActionError};

use super::clock::speed_pos_for;
use super::host::Controls;
use super::options::{query_param, Banner, BannerKind};
use super::state::{Panel, Theme};
use super::text::{action_error_text, Text};
use crate::cluster::MAX_NODES;
use crate::i18n::Lang;

/// The furthest moment a link may show: replaying it runs every event before
/// it (natively about a second per five minutes of a nine-server cluster), so
/// a link to days away would freeze the tab. An hour of virtual time, the
/// soak's length, covers any run a person plays at the page's speeds.
pub const MAX_LINK_US: u64 = 3_600_000_000;

/// A link the page can replay, or why not.
pub fn check_link(link: &RunLink) -> Result<(), Text> {
    if link.now_us > MAX_LINK_US {
        return Err(text_key!(
            "limit.link_time",
            time = super::format_sim_time(link.now_us),
            max = super::format_sim_time(MAX_LINK_US)
        ));
    }
    if let raft_sim::link::LinkSetup::File { scenario } = &link.setup {
        check_scenario(scenario)?;
    }
    for (i, a) in link.actions.iter().enumerate() {
        check_action(&a.action)
            .map_err(|error| text_key!("limit.action", n = i + 1, error = error))?;
    }
    Ok(())
}

/// The world's own bounds on an action (`Action::network_error`, times past
/// `MAX_TIME_MS`), checked before the replay: the world would refuse the
/// action when the run reaches it, and the run would not be the one shared.
fn check_action(action: &Action) -> Result<(), Text> {
    let error = match action {
        Action::Reboot { down_ms, .. } | Action::RebootFollower { down_ms }
            if *down_ms > MAX_TIME_MS =>
        {
            ActionError::TimeRange {
                field: "down_ms",
                ms: *down_ms,
            }
        }
        Action::CrashNextLeader { after_ms } if *after_ms > MAX_TIME_MS => ActionError::TimeRange {
            field: "after_ms",
            ms: *after_ms,
        },
        _ => match action.network_error() {
            Some((field, why)) => ActionError::Network { field, why },
            None => return Ok(()),
        },
    };
    Err(action_error_text(&error))
}

/// A scenario (a loaded file, or one carried by a link) the page can run, or
/// why not. The parser has checked its types, fields, times and ranges.
pub fn check_scenario(s: &Scenario) -> Result<(), Text> {
    let servers = s.nodes.saturating_add(s.spare_nodes);
    if servers > MAX_NODES {
        return Err(text_key!("limit.servers", n = servers, max = MAX_NODES));
    }
    Ok(())
}

/// What the page noticed in its options but did not use: values it does not
/// know (`lang=xx`, `theme=blue`), and an old link's size outside 1 to 9
/// (which it clamps). `None`: nothing to say.
pub fn ignored_options(search: &str) -> Option<Banner> {
    let value = |name: &'static str| query_param(search, name).map(|v| (name, v));
    let unknown: Vec<Text> = [
        value("lang").filter(|(_, v)| Lang::parse(v).is_none()),
        value("theme").filter(|(_, v)| Theme::parse(v).is_none()),
        value("panel").filter(|(_, v)| Panel::parse(v).is_none()),
        value("controls").filter(|(_, v)| Controls::parse(v).is_none()),
        value("speed").filter(|(_, v)| v.parse::<f64>().ok().and_then(speed_pos_for).is_none()),
    ]
    .into_iter()
    .flatten()
    .map(|(name, v)| Text::plain(format!("`{name}={}`", shorten(v))))
    .collect();
    let mut notes = Vec::new();
    // An old link (no `v`) is read with its size clamped (see `raft_sim::link`).
    let old_size = query_param(search, "v")
        .is_none()
        .then(|| query_param(search, "size")?.parse::<u64>().ok())
        .flatten()
        .filter(|n| !(1..=MAX_NODES as u64).contains(n));
    if let Some(size) = old_size {
        let shown = size.clamp(1, MAX_NODES as u64);
        notes.push(text_key!(
            "limit.size_clamped",
            size = size,
            max = MAX_NODES,
            n = shown
        ));
    }
    if !unknown.is_empty() {
        notes.push(text_key!("limit.ignored", options = Text::List(unknown)));
    }
    (!notes.is_empty()).then(|| {
        Banner::said(
            BannerKind::Info,
            text_key!("limit.note", notes = Text::Join(notes, "list.semicolon")),
        )
    })
}

/// A value as shown in a note: at most 24 characters.
fn shorten(v: &str) -> String {
    let mut chars = v.chars();
    let head: String = chars.by_ref().take(24).collect();
    if chars.next().is_some() {
        format!("{head}\u{2026}")
    } else {
        head
    }
}

//! The picture's colours, by design token. The stylesheet (`web/style.css`)
//! gives every token a value for the light and the dark theme (`--paint-*`);
//! the view-models say which token a shape wears, the components write it as
//! `var(--paint-…)`, and the SVG download, which has no stylesheet, uses the
//! light theme's value from [`Paint::light`].

/// One colour of the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Paint {
    /// Roles (the ring, the logs' row heads, the space-time lanes).
    Leader,
    Candidate,
    PreCandidate,
    Follower,
    /// A crashed server.
    Dead,
    /// Replies: granted or accepted, and denied or rejected.
    Ok,
    Fail,
    /// Requests, by kind.
    Vote,
    PreVote,
    Append,
    Heartbeat,
    Snapshot,
    TimeoutNow,
    /// Client traffic.
    Client,
    /// Crash and restart marks, outlines.
    Ink,
    /// A log entry of a term: eight colours in turn (`term % 8`).
    Term(u8),
    /// A compacted slot (inside a snapshot).
    Compacted,
}

/// The light theme's values: the same as `web/style.css`'s `:root` (a test checks).
const TERMS_LIGHT: [&str; 8] = [
    "#cfe8f3", "#fde2c0", "#d4f0d4", "#f5d0e6", "#fff3b0", "#e0d4f5", "#c9e4de", "#f8d5cf",
];

impl Paint {
    /// The term's colour: terms cycle through eight (term 1 wears the first).
    pub fn term(term: u64) -> Paint {
        Paint::Term((term.saturating_sub(1) % 8) as u8)
    }

    /// The custom property's name, e.g. `--paint-leader`, `--paint-term-3`.
    pub fn token(self) -> String {
        let name = match self {
            Paint::Leader => "leader",
            Paint::Candidate => "candidate",
            Paint::PreCandidate => "precandidate",
            Paint::Follower => "follower",
            Paint::Dead => "dead",
            Paint::Ok => "ok",
            Paint::Fail => "fail",
            Paint::Vote => "vote",
            Paint::PreVote => "prevote",
            Paint::Append => "append",
            Paint::Heartbeat => "heartbeat",
            Paint::Snapshot => "snapshot",
            Paint::TimeoutNow => "timeoutnow",
            Paint::Client => "client",
            Paint::Ink => "ink",
            Paint::Term(i) => return format!("--paint-term-{}", i % 8),
            Paint::Compacted => "compacted",
        };
        format!("--paint-{name}")
    }

    /// For a `fill` or `stroke` in a `style` attribute: `var(--paint-leader)`.
    pub fn css(self) -> String {
        format!("var({})", self.token())
    }

    /// The light theme's value, for pictures without the stylesheet.
    pub fn light(self) -> &'static str {
        match self {
            // Role bodies carry white labels: dark enough for WCAG AA (4.5:1) in both themes.
            Paint::Leader | Paint::Append => "#0072b2",
            Paint::Candidate => "#b84f00",
            Paint::PreCandidate => "#8f6400",
            Paint::Follower => "#606b78",
            Paint::Fail => "#d55e00",
            Paint::Vote => "#e69f00",
            Paint::Client => "#7a8594",
            Paint::Dead => "#d5d9de",
            Paint::Ok => "#009e73",
            Paint::PreVote => "#f0e442",
            Paint::Heartbeat => "#56b4e9",
            Paint::Snapshot => "#cc79a7",
            Paint::TimeoutNow | Paint::Ink => "#1d232b",
            Paint::Term(i) => TERMS_LIGHT[usize::from(i % 8)],
            Paint::Compacted => "#e6e8eb",
        }
    }

    /// Every token the picture uses (for the stylesheet check).
    pub fn all() -> Vec<Paint> {
        let mut all = vec![
            Paint::Leader,
            Paint::Candidate,
            Paint::PreCandidate,
            Paint::Follower,
            Paint::Dead,
            Paint::Ok,
            Paint::Fail,
            Paint::Vote,
            Paint::PreVote,
            Paint::Append,
            Paint::Heartbeat,
            Paint::Snapshot,
            Paint::TimeoutNow,
            Paint::Client,
            Paint::Ink,
            Paint::Compacted,
        ];
        all.extend((0..8).map(Paint::Term));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stylesheet defines every token in both themes, and its light values
    /// are the ones the SVG download uses.
    #[test]
    fn the_stylesheet_defines_every_token_in_both_themes() {
        let css = include_str!("../../style.css");
        let block = |marker: &str| {
            let start = css
                .find(marker)
                .unwrap_or_else(|| panic!("no {marker} block"));
            let end = start + css[start..].find('}').unwrap();
            &css[start..end]
        };
        let light = block(":root {");
        let dark = block("[data-theme=\"dark\"] {");
        for p in Paint::all() {
            let decl = format!("{}: {};", p.token(), p.light());
            assert!(light.contains(&decl), "light theme lacks `{decl}`");
            assert!(
                dark.contains(&format!("{}:", p.token())),
                "dark theme lacks {}",
                p.token()
            );
        }
    }

    /// WCAG 2 relative luminance and contrast ratio.
    fn contrast(a: &str, b: &str) -> f64 {
        let lum = |h: &str| {
            let c = |i: usize| {
                let v = f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap()) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// Role bodies carry white labels: AA for text (4.5:1) in both themes,
    /// which use the same role paints (the dark theme only changes the dead grey).
    #[test]
    fn role_labels_pass_wcag_aa() {
        let css = include_str!("../../style.css");
        for p in [
            Paint::Leader,
            Paint::Candidate,
            Paint::PreCandidate,
            Paint::Follower,
        ] {
            let ratio = contrast(p.light(), "#ffffff");
            assert!(ratio >= 4.5, "{p:?}: {ratio:.2}");
            let dark = css[css.find("[data-theme=\"dark\"] {").unwrap()..]
                .split(&format!("{}: ", p.token()))
                .nth(1)
                .map(|v| &v[..7])
                .unwrap();
            let ratio = contrast(dark, "#ffffff");
            assert!(ratio >= 4.5, "{p:?} in the dark theme: {ratio:.2}");
        }
    }

    #[test]
    fn terms_cycle_through_eight_colours() {
        assert_eq!(Paint::term(3), Paint::term(11));
        assert_ne!(Paint::term(3).light(), Paint::term(4).light());
        assert_eq!(Paint::term(10).css(), "var(--paint-term-1)");
    }
}

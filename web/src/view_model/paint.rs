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
            // Dark enough for white labels, and apart from the others under colour blindness.
            Paint::PreCandidate => "#602000",
            Paint::Follower => "#555555",
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
        // `:root {` or `:root, :host {` (the same tokens inside an element's shadow root).
        let light = block(":root");
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

    /// CIELAB of a colour as a person with a colour-vision deficiency sees it
    /// (Machado, Oliveira and Fernandes 2009, full severity), from linear sRGB.
    fn seen(hex: &str, m: &[[f64; 3]; 3]) -> [f64; 3] {
        let lin = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let c = [lin(1), lin(3), lin(5)];
        let s: Vec<f64> = (0..3)
            .map(|r| (0..3).map(|j| m[r][j] * c[j]).sum::<f64>().clamp(0.0, 1.0))
            .collect();
        let x = (0.4124 * s[0] + 0.3576 * s[1] + 0.1805 * s[2]) / 0.950_47;
        let y = 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
        let z = (0.0193 * s[0] + 0.1192 * s[1] + 0.9505 * s[2]) / 1.088_83;
        let f = |t: f64| {
            if t > 0.008_856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    /// The four roles stay apart (CIELAB distance) for normal vision and the
    /// three common deficiencies; shapes tell them apart as well.
    #[test]
    fn role_colours_stay_apart_under_colour_blindness() {
        let normal = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        let protan = [
            [0.152_286, 1.052_583, -0.204_868],
            [0.114_503, 0.786_281, 0.099_216],
            [-0.003_882, -0.048_116, 1.051_998],
        ];
        let deutan = [
            [0.367_322, 0.860_646, -0.227_968],
            [0.280_085, 0.672_501, 0.047_413],
            [-0.011_820, 0.042_940, 0.968_881],
        ];
        let tritan = [
            [1.255_528, -0.076_749, -0.178_779],
            [-0.078_411, 0.930_809, 0.147_602],
            [0.004_733, 0.691_367, 0.303_900],
        ];
        let roles = [
            Paint::Leader,
            Paint::Candidate,
            Paint::PreCandidate,
            Paint::Follower,
        ];
        for (vision, m) in [
            ("normal", normal),
            ("protan", protan),
            ("deutan", deutan),
            ("tritan", tritan),
        ] {
            for (i, a) in roles.iter().enumerate() {
                for b in &roles[i + 1..] {
                    let (x, y) = (seen(a.light(), &m), seen(b.light(), &m));
                    let d = ((x[0] - y[0]).powi(2) + (x[1] - y[1]).powi(2) + (x[2] - y[2]).powi(2))
                        .sqrt();
                    assert!(d >= 20.0, "{vision}: {a:?} and {b:?} are {d:.1} apart");
                }
            }
        }
    }

    #[test]
    fn terms_cycle_through_eight_colours() {
        assert_eq!(Paint::term(3), Paint::term(11));
        assert_ne!(Paint::term(3).light(), Paint::term(4).light());
        assert_eq!(Paint::term(10).css(), "var(--paint-term-1)");
    }
}

//! The ring and the logs as a standalone SVG picture (the "Download SVG"
//! button): drawn from the same [`Frame`] as the page, with its colours
//! written inline so the file needs no stylesheet.

use std::fmt::Write;

use super::ring::VIEW_SIZE;
use super::text::role_text;
use super::Frame;
use crate::i18n::trf;

/// One log cell's size in the picture, in px.
const CELL: i32 = 26;
/// Width of the server-name column left of the logs.
const NAME_W: i32 = 40;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The picture: the ring on the left, each server's log on the right, the
/// time underneath; its words in the page's language.
pub fn svg(f: &Frame) -> String {
    let lang = f.lang;
    let logs_x = VIEW_SIZE + 20;
    let width = logs_x + NAME_W + CELL * (f.logs.width as i32).max(1) + 10;
    let rows = f.logs.rows.len() as i32;
    let height = VIEW_SIZE.max(30 + rows * (CELL + 6)) + 30;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"##
    );
    let _ = write!(
        out,
        r##"<rect width="{width}" height="{height}" fill="#ffffff"/>"##
    );
    for l in &f.ring.links {
        let dash = if l.cut {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#c4c9d0"{dash}/>"##,
            l.x1, l.y1, l.x2, l.y2
        );
    }
    for m in &f.ring.messages {
        let _ = write!(
            out,
            r##"<circle cx="{}" cy="{}" r="5" fill="{}"><title>{}</title></circle>"##,
            m.x,
            m.y,
            m.style.fill.light(),
            escape(&m.label)
        );
    }
    for n in &f.ring.nodes {
        let stroke = if n.role == raft_core::Role::Leader {
            4
        } else {
            2
        };
        let _ = write!(
            out,
            r##"<g data-node-id="{}" data-role="{}" data-term="{}"><circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#1d232b" stroke-width="{stroke}"/><text x="{}" y="{}" text-anchor="middle" fill="#ffffff" font-weight="bold">S{}</text><text x="{}" y="{}" text-anchor="middle" fill="#1d232b">{}</text></g>"##,
            n.id,
            n.role,
            n.term,
            n.x,
            n.y,
            n.r,
            n.fill.light(),
            n.x,
            n.y + 4,
            n.id,
            n.x,
            n.y + n.r + 14,
            escape(&trf(
                lang,
                "export.node",
                &[("role", &role_text(n.role).render(lang)), ("term", &n.term)],
            )),
        );
    }
    let _ = write!(
        out,
        r##"<text x="{logs_x}" y="16" fill="#1d232b" font-weight="bold">{}</text>"##,
        escape(&trf(lang, "export.logs", &[("first", &f.logs.first)]))
    );
    for (i, r) in f.logs.rows.iter().enumerate() {
        let y = 30 + i as i32 * (CELL + 6);
        let _ = write!(
            out,
            r##"<text x="{logs_x}" y="{}" fill="#1d232b">S{}</text>"##,
            y + CELL / 2 + 4,
            r.node_id
        );
        for c in &r.cells {
            let x = logs_x + NAME_W + c.col as i32 * CELL;
            let fill = c.colour.light();
            let opacity = if c.committed { "1" } else { "0.35" };
            let _ = write!(
                out,
                r##"<g data-index="{}" data-term="{}" data-committed="{}"><rect x="{x}" y="{y}" width="{}" height="{}" rx="3" fill="{fill}" fill-opacity="{opacity}" stroke="#1d232b" stroke-width="0.5"/><text x="{}" y="{}" text-anchor="middle" fill="#1d232b">{}</text></g>"##,
                c.index,
                c.term,
                c.committed,
                CELL - 2,
                CELL - 2,
                x + CELL / 2 - 1,
                y + CELL / 2 + 4,
                c.term
            );
        }
    }
    let _ = write!(
        out,
        r##"<text x="10" y="{}" fill="#5b6572">{}</text></svg>"##,
        height - 10,
        escape(&trf(
            lang,
            "export.footer",
            &[("seed", &f.seed), ("time", &f.sim_time_label())],
        ))
    );
    out
}

#[cfg(test)]
mod tests {
    use crate::view_model::tests::{leader, play_until, playground};

    #[test]
    fn the_picture_has_every_server_and_every_log_entry() {
        let mut pg = playground(3);
        let f = play_until(&mut pg, 5_000_000, |f| leader(f).is_some());
        let t = f.now_us;
        let f = play_until(&mut pg, t + 300_000, |_| false);
        let svg = super::svg(&f);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("data-node-id=").count(), f.ring.nodes.len());
        let cells: usize = f.logs.rows.iter().map(|r| r.cells.len()).sum();
        assert!(cells > 0);
        assert_eq!(svg.matches("data-index=").count(), cells);
        assert!(svg.contains("data-role=\"leader\""));
        // Tags open and close in pairs.
        assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
    }
}

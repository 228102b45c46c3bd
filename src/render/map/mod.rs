//! The dispute map: claims as nodes, `disputes` and `supports` as edges, drawn to SVG at
//! build time so that no script is needed to see it.
//!
//! Claims are drawn in [`positions`]: groups the author's relations tie together, never
//! two claims in dispute, as many as the disputes have parties, each named by its
//! claimants unless `site.toml` names it.

mod positions;

use std::fmt::Write;

use crate::load::config::MapConfig;
use crate::load::content::EntryKind;
use crate::render::i18n::Strings;
use crate::resolve::model::{Claim, Dossier};
use positions::positions;
pub(crate) use positions::{Position, disputes};

/// The measures of one drawing.
#[derive(Clone, Copy)]
struct Layout {
    /// Width of a claim's box.
    node_w: i32,
    /// Characters per line of a title inside a box.
    line_chars: usize,
    /// Room left and right of the columns for the arcs between boxes of one column.
    margin: i32,
    /// Space between two columns, where the edges between positions run.
    channel: i32,
    /// Columns side by side before the next start a new row.
    per_row: usize,
}

/// The whole map: a column a position, three to a row (1,070 px, within the page's
/// width at 1280 px), arcs beside them.
const SITE: Layout = Layout {
    node_w: 270,
    line_chars: 34,
    margin: 40,
    channel: 90,
    per_row: 3,
};

/// The map around one claim: three narrower columns to a row, room for arcs beside them
/// (912 px, as wide as the map was with its two-sided layout).
const LOCAL: Layout = Layout {
    node_w: 220,
    line_chars: 27,
    margin: 36,
    channel: 90,
    per_row: 3,
};

/// Lines of a title shown at most; the rest is cut with an ellipsis.
const MAX_LINES: usize = 5;
const LINE_H: i32 = 17;
const PAD: i32 = 9;
/// Space between two boxes of a column.
const GAP: i32 = 14;
/// Height of a line of a claimant's heading above its group.
const GROUP_H: i32 = 18;

/// Whether a claim disputes or supports another, or is disputed or supported.
fn related(c: &Claim) -> bool {
    !(c.disputes.is_empty()
        && c.disputed_by.is_empty()
        && c.supports.is_empty()
        && c.supported_by.is_empty())
}

/// A claim's box, placed.
struct Placed {
    /// The column it is in.
    column: usize,
    claim: usize,
    x: i32,
    y: i32,
    h: i32,
    lines: Vec<String>,
}

impl Placed {
    fn mid_y(&self) -> i32 {
        self.y + self.h / 2
    }
}

/// A column of boxes under its heading: one position.
struct Column {
    heading: String,
    claims: Vec<usize>,
}

/// The wrapped lines of a title: whole words, at most [`MAX_LINES`].
fn wrap(title: &str, chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_chars = 0;
    for word in title.split_whitespace() {
        let mut n = word.chars().count();
        let cut: String;
        let word = if n > chars {
            cut = word.chars().take(chars - 1).chain(['…']).collect();
            n = chars;
            cut.as_str()
        } else {
            word
        };
        if line_chars > 0 && line_chars + 1 + n > chars {
            lines.push(std::mem::take(&mut line));
            line_chars = 0;
        }
        if line_chars > 0 {
            line.push(' ');
            line_chars += 1;
        }
        line.push_str(word);
        line_chars += n;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        let last = &mut lines[MAX_LINES - 1];
        while last.chars().count() > chars - 1 {
            last.pop();
        }
        last.push('…');
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Escapes text for SVG character data and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

/// Every box and heading of a drawing, placed, and the drawing's size.
struct Placement {
    boxes: Vec<Placed>,
    /// Headings: column, `x`, baseline `y`, text.
    labels: Vec<(usize, i32, i32, String)>,
    width: i32,
    height: i32,
}

/// Places the columns side by side, [`Layout::per_row`] to a row.
fn place(d: &Dossier, l: Layout, columns: &[Column], top: i32) -> Placement {
    let mut boxes = Vec::new();
    let mut labels = Vec::new();
    let mut row_top = top;
    let mut bottom: i32 = top;
    for (k, col) in columns.iter().enumerate() {
        if k > 0 && k % l.per_row == 0 {
            row_top = bottom + 2 * GAP;
        }
        let x = l.margin + (k % l.per_row) as i32 * (l.node_w + l.channel);
        let mut y = row_top;
        // Headings are bold and a little wider per character than titles.
        for line in wrap(&col.heading, l.line_chars * 9 / 10) {
            labels.push((k, x, y + 14, line));
            y += GROUP_H;
        }
        y += 12;
        for &i in &col.claims {
            let lines = wrap(&d.claims[i].meta.title, l.line_chars);
            let h = 2 * PAD + LINE_H * (lines.len() as i32 + 1);
            boxes.push(Placed {
                column: k,
                claim: i,
                x,
                y,
                h,
                lines,
            });
            y += h + GAP;
        }
        bottom = bottom.max(y + GAP);
    }
    let across = columns.len().min(l.per_row) as i32;
    let width = 2 * l.margin + across * l.node_w + (across - 1).max(0) * l.channel;
    Placement {
        boxes,
        labels,
        width,
        height: bottom + 4,
    }
}

/// One relation to draw: a support from the claim that makes it to the claim it is
/// about; a dispute, which is mutual, from the earlier claim to the later.
struct Edge {
    from: usize,
    to: usize,
    disputes: bool,
}

/// The edges in an order and direction that do not depend on which file states each
/// relation: disputes turned earlier-to-later and drawn once, all sorted by claim order.
fn neutral(d: &Dossier, mut edges: Vec<Edge>) -> Vec<Edge> {
    for e in &mut edges {
        if e.disputes && d.claim_cmp(e.to, e.from).is_lt() {
            std::mem::swap(&mut e.from, &mut e.to);
        }
    }
    edges.sort_by(|a, b| {
        (!a.disputes)
            .cmp(&!b.disputes)
            .then(d.claim_cmp(a.from, b.from))
            .then(d.claim_cmp(a.to, b.to))
    });
    edges.dedup_by(|a, b| (a.from, a.to, a.disputes) == (b.from, b.to, b.disputes));
    edges
}

/// Writes the SVG: boxes, headings and edges.
#[allow(clippy::too_many_arguments)]
fn draw(
    d: &Dossier,
    w: &Strings,
    l: Layout,
    id: &str,
    label: &str,
    columns: &[Column],
    edges: &[Edge],
    current: Option<usize>,
) -> String {
    let Placement {
        boxes,
        labels,
        width,
        height,
    } = place(d, l, columns, 8);
    let at: rustc_hash::FxHashMap<usize, usize> = boxes
        .iter()
        .enumerate()
        .map(|(k, b)| (b.claim, k))
        .collect();
    let mut s = String::with_capacity(1024 + 512 * (boxes.len() + edges.len()));
    let _ = write!(
        s,
        "<svg class=\"dispute-map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{}</title>",
        esc(label)
    );
    s.push_str("<defs><marker id=\"");
    s.push_str(id);
    s.push_str("-arrow-s\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" class=\"arrow-supports\"/></marker></defs>");
    // Read right to left, the drawing is mirrored: the oldest position on the right.
    let mirrored = w.rtl();
    if mirrored {
        let _ = write!(s, "<g transform=\"matrix(-1 0 0 1 {width} 0)\">");
    }
    s.push_str("<g class=\"map-edges\">");
    for e in edges {
        let (Some(&a), Some(&b)) = (at.get(&e.from), at.get(&e.to)) else {
            continue;
        };
        let (a, b) = (&boxes[a], &boxes[b]);
        let path = edge_path(a, b, &l);
        // A dispute is mutual: no arrowhead. A support points at the claim supported.
        let _ = if e.disputes {
            write!(s, "<path class=\"edge-disputes\" d=\"{path}\"/>")
        } else {
            write!(
                s,
                "<path class=\"edge-supports\" d=\"{path}\" marker-end=\"url(#{id}-arrow-s)\"/>"
            )
        };
    }
    s.push_str("</g>");
    // Labels and boxes were placed column by column.
    let (mut labels, mut boxes) = (labels.iter().peekable(), boxes.iter().peekable());
    for k in 0..columns.len() {
        s.push_str("<g class=\"map-position\">");
        while let Some((_, x, y, text)) = labels.next_if(|l| l.0 == k) {
            let _ = write!(
                s,
                "<text class=\"map-group\" {} y=\"{y}\">{}</text>",
                text_x(*x, mirrored),
                esc(text)
            );
        }
        while let Some(b) = boxes.next_if(|b| b.column == k) {
            node(&mut s, d, w, l, b, current);
        }
        s.push_str("</g>");
    }
    if mirrored {
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// The path of an edge between two boxes: between columns, a curve from one box's side
/// to the other's; in one column, an arc outside it, away from the other columns.
fn edge_path(a: &Placed, b: &Placed, l: &Layout) -> String {
    if a.x == b.x {
        // Same column: an arc outside it, on the side away from the other columns.
        let left = a.x <= l.margin;
        let (x, bulge) = if left {
            (a.x, -l.margin + 10)
        } else {
            (a.x + l.node_w, l.margin - 10)
        };
        format!(
            "M{x},{}C{},{} {},{} {x},{}",
            a.mid_y(),
            x + bulge,
            a.mid_y(),
            x + bulge,
            b.mid_y(),
            b.mid_y()
        )
    } else {
        let (x1, x2) = if a.x < b.x {
            (a.x + l.node_w, b.x)
        } else {
            (a.x, b.x + l.node_w)
        };
        let mid = (x1 + x2) / 2;
        format!(
            "M{x1},{}C{mid},{} {mid},{} {x2},{}",
            a.mid_y(),
            a.mid_y(),
            b.mid_y(),
            b.mid_y()
        )
    }
}

/// The position of a text at `x`: in a mirrored drawing, the text itself is turned back
/// and placed from the other side, so that it reads from its box's right edge leftwards.
fn text_x(x: i32, mirrored: bool) -> String {
    match mirrored {
        true => format!("transform=\"scale(-1,1)\" x=\"{}\"", -x),
        false => format!("x=\"{x}\""),
    }
}

/// Writes one claim's box, a link to its page.
fn node(s: &mut String, d: &Dossier, w: &Strings, l: Layout, b: &Placed, current: Option<usize>) {
    let c = &d.claims[b.claim];
    let who: Vec<&str> = c
        .claimants
        .iter()
        .map(|&a| d.actors[a].meta.title.as_str())
        .collect();
    let name = format!(
        "{} ({}, {})",
        c.meta.title,
        who.join(", "),
        w.date(&c.meta.date)
    );
    let class = match (Some(b.claim) == current, c.meta.status.as_str()) {
        (true, _) => "map-node current".to_string(),
        (false, "active") => "map-node".to_string(),
        (false, status) => format!("map-node status-{status}"),
    };
    let _ = write!(
        s,
        "<a class=\"{class}\" href=\"{}\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
        esc(&c.url),
        esc(&name),
        b.x,
        b.y,
        l.node_w,
        b.h
    );
    let mirrored = w.rtl();
    for (k, line) in b.lines.iter().enumerate() {
        let _ = write!(
            s,
            "<text class=\"map-title\" {} y=\"{}\">{}</text>",
            text_x(b.x + PAD, mirrored),
            b.y + PAD + LINE_H * (k as i32 + 1) - 4,
            esc(line)
        );
    }
    let mut meta = w.date(&c.meta.date);
    if c.meta.status.as_str() != "active" {
        meta.push_str(" · ");
        meta.push_str(w.tr(c.meta.status.as_str()));
    }
    let _ = write!(
        s,
        "<text class=\"map-meta\" {} y=\"{}\">{}</text></a>",
        text_x(b.x + PAD, mirrored),
        b.y + PAD + LINE_H * (b.lines.len() as i32 + 1) - 4,
        esc(&meta)
    );
}

/// Every relation among the given claims.
fn edges_among(d: &Dossier, shown: &dyn Fn(usize) -> bool) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (i, c) in d.claims.iter().enumerate().filter(|(i, _)| shown(*i)) {
        for (list, disputes) in [(&c.disputes, true), (&c.supports, false)] {
            edges.extend(list.iter().filter(|&&j| shown(j)).map(|&j| Edge {
                from: i,
                to: j,
                disputes,
            }));
        }
    }
    neutral(d, edges)
}

/// The positions `site.toml` names, with their claims as indices (ids that are no claim
/// were reported when the dossier was resolved).
fn named_positions(d: &Dossier, config: &MapConfig) -> Vec<(String, Vec<usize>)> {
    config
        .positions
        .iter()
        .map(|p| {
            let claims = p
                .claims
                .iter()
                .filter_map(|id| d.index.pos(id.get_ref(), EntryKind::Claim))
                .collect();
            (p.name.clone(), claims)
        })
        .filter(|(_, claims): &(String, Vec<usize>)| !claims.is_empty())
        .collect()
}

/// A position's heading: the name the author gave it, else its claimants'.
pub(crate) fn position_name(d: &Dossier, p: &Position, w: &Strings) -> String {
    if let Some(name) = &p.named {
        return name.clone();
    }
    let names: Vec<&str> = positions::claimants(d, p)
        .into_iter()
        .map(|a| d.actors[a].meta.title.as_str())
        .collect();
    if names.is_empty() {
        w.tr("No claimant named").into()
    } else {
        names.join("; ")
    }
}

/// The positions of every claim that disputes or supports another, oldest first.
pub(crate) fn site_positions(d: &Dossier, config: &MapConfig) -> Vec<Position> {
    let drawn: Vec<usize> = (0..d.claims.len())
        .filter(|&i| related(&d.claims[i]))
        .collect();
    positions(d, &drawn, &named_positions(d, config))
}

/// The map of the whole dossier, or `None` when no claim disputes or supports another.
pub(crate) fn site_map(d: &Dossier, groups: &[Position], w: &Strings) -> Option<String> {
    if groups.is_empty() {
        return None;
    }
    let columns: Vec<Column> = groups
        .iter()
        .map(|p| Column {
            heading: position_name(d, p, w),
            claims: p.claims.clone(),
        })
        .collect();
    let edges = edges_among(d, &|i| related(&d.claims[i]));
    Some(draw(
        d,
        w,
        SITE,
        "map",
        w.tr("Dispute map: every claim that disputes or supports another, by position"),
        &columns,
        &edges,
        None,
    ))
}

/// The claims no relation links to any other, for the list beside the map.
pub(crate) fn unlinked(d: &Dossier) -> Vec<usize> {
    (0..d.claims.len())
        .filter(|&i| !related(&d.claims[i]))
        .collect()
}

/// The map around one claim: the claim and the claims it disputes or supports or that
/// dispute or support it, in positions by the same rules as the whole map but tied only
/// by what these claims show (so that each claim's page depends on its neighbours
/// alone). The claim's own position comes first. `None` when the claim has no relation.
pub(crate) fn local_map(d: &Dossier, i: usize, config: &MapConfig, w: &Strings) -> Option<String> {
    let c = &d.claims[i];
    if !related(c) {
        return None;
    }
    let around: Vec<usize> = std::iter::once(i)
        .chain(c.supports.iter().chain(&c.supported_by).copied())
        .chain(c.disputes.iter().chain(&c.disputed_by).copied())
        .collect();
    let mut groups = positions(d, &around, &named_positions(d, config));
    if let Some(own) = groups.iter().position(|p| p.claims.contains(&i)) {
        let p = groups.remove(own);
        groups.insert(0, p);
    }
    let columns: Vec<Column> = groups
        .iter()
        .map(|p| Column {
            heading: position_name(d, p, w),
            claims: p.claims.clone(),
        })
        .collect();
    // Each relation from the claim that makes it to the claim it is about.
    let lists = [
        (&c.disputes, true, true),
        (&c.disputed_by, true, false),
        (&c.supports, false, true),
        (&c.supported_by, false, false),
    ];
    let edges: Vec<Edge> = lists
        .into_iter()
        .flat_map(|(list, disputes, outward)| {
            list.iter().map(move |&j| {
                let (from, to) = if outward { (i, j) } else { (j, i) };
                Edge { from, to, disputes }
            })
        })
        .collect();
    Some(draw(
        d,
        w,
        LOCAL,
        "local-map",
        &w.fmt(
            "Map of the claims around “{title}”",
            &[("title", &c.meta.title)],
        ),
        &columns,
        &neutral(d, edges),
        Some(i),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_whole_words_and_cuts_long_titles() {
        assert_eq!(wrap("a b", 38), vec!["a b"]);
        let long = "word ".repeat(60);
        let lines = wrap(&long, 38);
        assert_eq!(lines.len(), MAX_LINES);
        assert!(lines.iter().all(|l| l.chars().count() <= 38));
        assert!(lines[MAX_LINES - 1].ends_with('…'));
        let one = wrap(&"x".repeat(100), 38);
        assert_eq!(one[0].chars().count(), 38);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}

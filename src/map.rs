//! The dispute map: claims as nodes, `disputes` and `supports` as edges, drawn to SVG at
//! build time so that no script is needed to see it.
//!
//! Sides are derived from the relations themselves: a claim that disputes another stands
//! on the other side of it, one that supports another on the same side. Within a side,
//! claims are grouped by their first claimant.

use std::collections::VecDeque;
use std::fmt::Write;

use crate::i18n::Strings;
use crate::model::{Claim, Dossier};

/// The measures of one drawing.
#[derive(Clone, Copy)]
struct Layout {
    /// Width of a claim's box.
    node_w: i32,
    /// Characters per line of a title inside a box.
    line_chars: usize,
    /// Room left and right of the columns for the arcs between boxes of one column.
    margin: i32,
    /// Space between two columns, where the edges between sides run.
    channel: i32,
}

/// The whole map: two wide columns, arcs beside them.
const SITE: Layout = Layout {
    node_w: 300,
    line_chars: 38,
    margin: 56,
    channel: 170,
};

/// The map around one claim: up to three narrower columns, no arcs.
const LOCAL: Layout = Layout {
    node_w: 240,
    line_chars: 30,
    margin: 12,
    channel: 90,
};

/// Lines of a title shown at most; the rest is cut with an ellipsis.
const MAX_LINES: usize = 5;
const LINE_H: i32 = 17;
const PAD: i32 = 9;
/// Space between two boxes of a column.
const GAP: i32 = 14;
/// Height of a line of a claimant's heading above its group.
const GROUP_H: i32 = 18;

/// Whether a claim stands on the first (left) or second (right) side of its dispute.
fn sides(d: &Dossier) -> Vec<Option<u8>> {
    let n = d.claims.len();
    let mut side: Vec<Option<u8>> = vec![None; n];
    let order = d.claims_by_date();
    let mut queue = VecDeque::new();
    for start in order {
        if side[start].is_some() || !related(&d.claims[start]) {
            continue;
        }
        side[start] = Some(0);
        queue.push_back(start);
        while let Some(i) = queue.pop_front() {
            let s = side[i].unwrap_or(0);
            let c = &d.claims[i];
            // Neighbours in claim order, so that which file states a relation never
            // decides a side.
            let mut next: Vec<(usize, u8)> = d
                .in_dispute_with(i)
                .into_iter()
                .map(|j| (j, 1 - s))
                .chain(c.supports.iter().chain(&c.supported_by).map(|&j| (j, s)))
                .collect();
            next.sort_by(|a, b| d.claim_cmp(a.0, b.0).then(a.1.cmp(&b.1)));
            for (j, s) in next {
                if side[j].is_none() {
                    side[j] = Some(s);
                    queue.push_back(j);
                }
            }
        }
    }
    side
}

/// Whether a claim disputes or supports another, or is disputed or supported.
fn related(c: &Claim) -> bool {
    !(c.disputes.is_empty()
        && c.disputed_by.is_empty()
        && c.supports.is_empty()
        && c.supported_by.is_empty())
}

/// A claim's box, placed.
struct Placed {
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

/// A column of boxes under one heading per group.
struct Column {
    heading: Option<String>,
    groups: Vec<(String, Vec<usize>)>,
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

/// The name of a claim's first claimant.
fn first_claimant(d: &Dossier, c: &Claim) -> String {
    c.claimants
        .first()
        .map(|&a| d.actors[a].meta.title.clone())
        .unwrap_or_default()
}

/// Groups claims by first claimant, groups in order of their earliest claim.
fn group(d: &Dossier, mut claims: Vec<usize>) -> Vec<(String, Vec<usize>)> {
    d.sort_claims(&mut claims);
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut at: rustc_hash::FxHashMap<String, usize> = Default::default();
    for i in claims {
        let name = first_claimant(d, &d.claims[i]);
        match at.get(&name) {
            Some(&g) => groups[g].1.push(i),
            None => {
                at.insert(name.clone(), groups.len());
                groups.push((name, vec![i]));
            }
        }
    }
    groups
}

/// Every box and heading of a drawing, placed, and the drawing's size.
struct Placement {
    boxes: Vec<Placed>,
    /// Headings: `x`, baseline `y`, text.
    labels: Vec<(i32, i32, String)>,
    width: i32,
    height: i32,
}

/// Places the columns side by side.
fn place(d: &Dossier, l: Layout, columns: &[Column], top: i32) -> Placement {
    let mut boxes = Vec::new();
    let mut labels = Vec::new();
    let mut bottom: i32 = top;
    for (k, col) in columns.iter().enumerate() {
        let x = l.margin + k as i32 * (l.node_w + l.channel);
        let mut y = top;
        if let Some(h) = &col.heading {
            labels.push((x, y + 14, h.clone()));
            y += GROUP_H + 12;
        }
        for (name, claims) in &col.groups {
            // Headings are bold and a little wider per character than titles.
            for line in wrap(name, l.line_chars * 9 / 10) {
                labels.push((x, y + 14, line));
                y += GROUP_H;
            }
            y += 4;
            for &i in claims {
                let lines = wrap(&d.claims[i].meta.title, l.line_chars);
                let h = 2 * PAD + LINE_H * (lines.len() as i32 + 1);
                boxes.push(Placed {
                    claim: i,
                    x,
                    y,
                    h,
                    lines,
                });
                y += h + GAP;
            }
            y += GAP;
        }
        bottom = bottom.max(y);
    }
    let width = 2 * l.margin
        + columns.len() as i32 * l.node_w
        + (columns.len().saturating_sub(1)) as i32 * l.channel;
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
    for (x, y, text) in &labels {
        let _ = write!(
            s,
            "<text class=\"map-group\" x=\"{x}\" y=\"{y}\">{}</text>",
            esc(text)
        );
    }
    s.push_str("<g class=\"map-edges\">");
    for e in edges {
        let (Some(&a), Some(&b)) = (at.get(&e.from), at.get(&e.to)) else {
            continue;
        };
        let (a, b) = (&boxes[a], &boxes[b]);
        let path = if a.x == b.x {
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
        };
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
    for b in &boxes {
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
        for (k, line) in b.lines.iter().enumerate() {
            let _ = write!(
                s,
                "<text class=\"map-title\" x=\"{}\" y=\"{}\">{}</text>",
                b.x + PAD,
                b.y + PAD + LINE_H * (k as i32 + 1) - 4,
                esc(line)
            );
        }
        let mut meta = w.date(&c.meta.date);
        if c.meta.status.as_str() != "active" {
            meta.push_str(" · ");
            meta.push_str(c.meta.status.as_str());
        }
        let _ = write!(
            s,
            "<text class=\"map-meta\" x=\"{}\" y=\"{}\">{}</text></a>",
            b.x + PAD,
            b.y + PAD + LINE_H * (b.lines.len() as i32 + 1) - 4,
            esc(&meta)
        );
    }
    s.push_str("</svg>");
    s
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

/// The map of the whole dossier, or `None` when no claim disputes or supports another.
pub fn site_map(d: &Dossier, names: Option<&[String]>, w: &Strings) -> Option<String> {
    let side = sides(d);
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (i, s) in side.iter().enumerate() {
        match s {
            Some(0) => left.push(i),
            Some(_) => right.push(i),
            None => {}
        }
    }
    if left.is_empty() {
        return None;
    }
    let named = |k: usize, side: &[usize]| match names {
        Some(n) => n[k].clone(),
        None => side_name(d, side, w),
    };
    let columns = [
        Column {
            heading: Some(named(0, &left)),
            groups: group(d, left),
        },
        Column {
            heading: Some(named(1, &right)),
            groups: group(d, right),
        },
    ];
    let edges = edges_among(d, &|i| side[i].is_some());
    Some(draw(
        d,
        w,
        SITE,
        "map",
        w.tr("Dispute map: every claim that disputes or supports another, by side and first claimant"),
        &columns,
        &edges,
        None,
    ))
}

/// A side's name when `site.toml` gives none: after the first claimant of its earliest
/// claim, which depends on the matter, not on how the files were written.
fn side_name(d: &Dossier, side: &[usize], w: &Strings) -> String {
    let earliest = side.iter().copied().min_by(|&a, &b| d.claim_cmp(a, b));
    match earliest {
        Some(i) => w.fmt(
            "Side of {actor}",
            &[("actor", &first_claimant(d, &d.claims[i]))],
        ),
        None => w.tr("The other side").into(),
    }
}

/// The claims no relation links to any other, for the list beside the map.
pub fn unlinked(d: &Dossier) -> Vec<usize> {
    (0..d.claims.len())
        .filter(|&i| !related(&d.claims[i]))
        .collect()
}

/// The map around one claim: the claims on its side that it supports or that support it
/// on the left, the claim in the middle, and the claims it disputes or that dispute it on
/// the right. `None` when the claim has no such relation.
pub fn local_map(d: &Dossier, i: usize, w: &Strings) -> Option<String> {
    let c = &d.claims[i];
    if !related(c) {
        return None;
    }
    let mut with: Vec<usize> = c.supports.iter().chain(&c.supported_by).copied().collect();
    let mut against: Vec<usize> = c.disputes.iter().chain(&c.disputed_by).copied().collect();
    with.sort_unstable();
    with.dedup();
    against.sort_unstable();
    against.dedup();
    let mut columns = Vec::new();
    if !with.is_empty() {
        columns.push(Column {
            heading: Some(w.tr("On its side").into()),
            groups: group(d, with),
        });
    }
    columns.push(Column {
        heading: Some(w.tr("This claim").into()),
        groups: group(d, vec![i]),
    });
    if !against.is_empty() {
        columns.push(Column {
            heading: Some(w.tr("In dispute with it").into()),
            groups: group(d, against),
        });
    }
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
    let edges = neutral(d, edges);
    // A neighbour that both supports and disputes the claim appears in both columns;
    // its edges are drawn to the first box placed.
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
        &edges,
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

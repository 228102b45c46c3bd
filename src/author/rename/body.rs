//! The references in a Markdown body, each with the bytes that name its target, read as
//! the build reads them: cross-links `[[id]]`, citations `[@id]`, and links and images to
//! a file under `content/` or to a page of the site. Code, and text inside links, holds
//! none.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::resolve::markdown::{OPTIONS, citations};

/// What a reference points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Meaning {
    /// An entry, by id (`[[id]]`, `[@id]`).
    Id(String),
    /// A file under `content/`, by its path there (a relative link).
    File(String),
    /// A page, by its site path without slashes (`claims/x`, `fr/claims/x`).
    Page(String),
}

/// One reference: what it points to and the bytes of the body that name it (the id, the
/// link's last path segment, or the page's id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub meaning: Meaning,
    pub at: Range<usize>,
}

/// Every reference in `body`, a Markdown body at `content_path` (under `content/`), in
/// the order of the body.
pub fn references(body: &str, content_path: &str) -> Vec<Reference> {
    let dir = content_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut found = Vec::new();
    let mut pending: Vec<(CowStr<'_>, Range<usize>)> = Vec::new();
    let (mut code, mut links) = (0usize, 0usize);
    let parser = Parser::new_ext(body, OPTIONS);
    let definitions: Vec<(String, Range<usize>)> = parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| (def.dest.to_string(), def.span.clone()))
        .collect();
    for (event, range) in parser.into_offset_iter() {
        if let Event::Text(t) = event {
            if code == 0 {
                pending.push((t, range));
            }
            continue;
        }
        if links == 0 {
            citations_in(body, &pending, &mut found);
        }
        pending.clear();
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                links += 1;
                found.extend(wikilink(body, &dest_url, range));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                links += 1;
                if link_type == LinkType::Inline {
                    found.extend(link(body, dir, &dest_url, range, "]("));
                }
            }
            Event::Start(Tag::Image {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) => found.extend(link(body, dir, &dest_url, range, "](")),
            Event::End(TagEnd::Link) => links = links.saturating_sub(1),
            _ => {}
        }
    }
    if links == 0 {
        citations_in(body, &pending, &mut found);
    }
    for (dest, span) in definitions {
        found.extend(link(body, dir, &dest, span, "]:"));
    }
    found.sort_by_key(|r| r.at.start);
    found
}

/// The citation keys in a run of text.
fn citations_in(body: &str, pending: &[(CowStr<'_>, Range<usize>)], found: &mut Vec<Reference>) {
    if pending.is_empty() {
        return;
    }
    let (joined, map) = citations::join(body, pending);
    if !joined.contains('[') {
        return;
    }
    for piece in citations::scan(&joined) {
        let citations::Piece::Citation(items) = piece else {
            continue;
        };
        for item in items {
            let start = citations::body_offset(&map, item.offset + 1);
            let at = start..start + item.key.len();
            if body.get(at.clone()) == Some(item.key.as_str()) {
                found.push(Reference {
                    meaning: Meaning::Id(item.key),
                    at,
                });
            }
        }
    }
}

/// A cross-link's id, as written after its `[[`.
fn wikilink(body: &str, dest: &str, range: Range<usize>) -> Option<Reference> {
    let id = dest.split('#').next().unwrap_or("").trim();
    let after = range.start + 2;
    let written = body.get(after..range.end)?;
    let start = after + (written.len() - written.trim_start().len());
    let at = start..start + id.len();
    (!id.is_empty() && body.get(at.clone()) == Some(id)).then(|| Reference {
        meaning: Meaning::Id(id.to_string()),
        at,
    })
}

/// A link's destination `dest`, written in `span` after `opener` (`](` of an inline link,
/// `]:` of a definition), when it names a file under `content/` or a page of the site.
fn link(body: &str, dir: &str, dest: &str, span: Range<usize>, opener: &str) -> Option<Reference> {
    let written = body.get(span.clone())?;
    let start = written.match_indices(opener).find_map(|(i, _)| {
        let rest = &written[i + opener.len()..];
        let rest = rest.trim_start().trim_start_matches('<');
        rest.starts_with(dest)
            .then(|| span.start + written.len() - (rest.len()))
    })?;
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.contains(':') || path.starts_with("//") {
        return None;
    }
    if let Some(site) = path.strip_prefix('/') {
        let trimmed = site.trim_end_matches('/');
        let last = trimmed.rfind('/').map_or(0, |i| i + 1);
        let at = start + 1 + last..start + 1 + trimmed.len();
        return (!trimmed.is_empty()).then(|| Reference {
            meaning: Meaning::Page(trimmed.to_string()),
            at,
        });
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_or_else(|_| path.to_string(), |d| d.into_owned());
    let resolved = crate::load::content::join_relative(dir, &decoded)?;
    let last = path.rfind('/').map_or(0, |i| i + 1);
    Some(Reference {
        meaning: Meaning::File(resolved),
        at: start + last..start + path.len(),
    })
}

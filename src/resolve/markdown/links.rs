//! Links in a body: cross-links `[[id]]` and link and image URLs, checked and rewritten.

use std::ops::Range;

use pulldown_cmark::Event;

use super::{AnchorLink, LinkMode, Pipeline, nearest};
use crate::load::content::EntryKind;

impl Pipeline<'_, '_> {
    pub(super) fn wikilink(&mut self, dest: &str, has_pothole: bool, range: Range<usize>) {
        let (id, anchor) = dest
            .split_once('#')
            .map_or((dest, None), |(i, a)| (i, Some(a)));
        let id = id.trim();
        let Some(target) = self.target(id) else {
            self.unknown_id(
                range.start + 2,
                id,
                "a cross-link `[[...]]`",
                &EntryKind::ALL,
            );
            self.links.push(LinkMode::Broken);
            if !has_pothole {
                self.out.push(Event::Text(format!("[[{dest}]]").into()));
                self.skip_link_text = true;
            }
            return;
        };
        self.mention(id);
        let mut href = target.url.clone();
        if let Some(a) = anchor {
            let (line, column) = self.position(range.start);
            self.result.anchor_links.push(AnchorLink {
                page_url: target.url.clone(),
                anchor: a.to_string(),
                line,
                column,
            });
            href = format!("{href}#{a}");
        }
        let mut open = String::from("<a class=\"xref xref-");
        open.push_str(target.kind.name());
        open.push_str("\" href=\"");
        pulldown_cmark_escape::escape_href(&mut open, &href).ok();
        open.push_str("\">");
        self.out.push(Event::InlineHtml(open.into()));
        self.links.push(LinkMode::Wiki);
        if !has_pothole {
            self.out.push(Event::Text(target.title.clone().into()));
            self.skip_link_text = true;
        }
    }

    /// Checks a link or image URL and returns what to write in the page.
    pub(super) fn rewrite_url(&mut self, url: &str, range: Range<usize>) -> String {
        let compact: String = url
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
            .collect();
        if let Some(scheme) = scheme_of(&compact) {
            let lower = scheme.to_ascii_lowercase();
            if !["http", "https", "mailto"].contains(&lower.as_str()) {
                self.error(
                    range.start,
                    format!("disallowed URL scheme `{lower}:` in link `{url}`; links may be relative, http, https or mailto"),
                    None,
                );
                return "#".into();
            }
            return url.to_string();
        }
        if url.starts_with("//") {
            return url.to_string();
        }
        if let Some(anchor) = url.strip_prefix('#') {
            let (line, column) = self.position(range.start);
            self.result.anchor_links.push(AnchorLink {
                page_url: String::new(),
                anchor: anchor.to_string(),
                line,
                column,
            });
            return url.to_string();
        }
        if let Some(site_path) = url.strip_prefix('/') {
            return format!("{}{}", self.env.base_path, site_path);
        }
        let (path, fragment) = url
            .split_once('#')
            .map_or((url, None), |(p, f)| (p, Some(f)));
        let (path, query) = path
            .split_once('?')
            .map_or((path, None), |(p, q)| (p, Some(q)));
        let dir = self
            .input
            .content_path
            .rsplit_once('/')
            .map_or("", |(d, _)| d);
        let Some(resolved) = crate::load::content::join_relative(dir, &percent_decode(path)) else {
            self.error(
                range.start,
                format!("link `{url}` points outside the content folder"),
                None,
            );
            return "#".into();
        };
        let index = self.env.index;
        let Some(target_url) = self
            .file(&resolved)
            .or_else(|| self.file(&format!("{resolved}/index.md")))
        else {
            if index.withheld.contains(&resolved) {
                self.error(
                    range.start,
                    format!("link `{url}` points to content/{resolved}, which is kept as evidence and not published; link its source instead, or publish it with `publish_snapshot = true` in the source"),
                    None,
                );
                return "#".into();
            }
            let what = if resolved.ends_with(".md") {
                "no such Markdown file"
            } else {
                "no such file"
            };
            let suggestion = nearest(&resolved, index.files.keys().map(String::as_str));
            self.error(
                range.start,
                format!("broken link `{url}`: {what} as content/{resolved}"),
                suggestion,
            );
            return "#".into();
        };
        let mut out = target_url.clone();
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        if let Some(f) = fragment {
            if resolved.ends_with(".md") {
                let (line, column) = self.position(range.start);
                self.result.anchor_links.push(AnchorLink {
                    page_url: target_url.clone(),
                    anchor: f.to_string(),
                    line,
                    column,
                });
            }
            out.push('#');
            out.push_str(f);
        }
        out
    }
}

/// The scheme of an absolute URL (`https` in `https://x`), if it has one.
fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
    .then_some(scheme)
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |d| d.into_owned())
}

//! Markdown bodies: a pulldown-cmark event pipeline that renders citations, cross-links,
//! checked and rewritten links, heading anchors and highlighted code. It returns the HTML
//! together with everything it found, so reference checks and backlinks are separate passes.

pub mod citations;
pub mod highlight;

use rustc_hash::FxHashSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::content::EntryKind;
use crate::diagnostics::{Diagnostic, line_col, nearest};
use crate::links::{LinkIndex, Lookup, Target};
use citations::{ESC_AT, ESC_CLOSE, ESC_OPEN, Piece};

/// Ids the theme uses on every page; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "top",
    "main",
    "content",
    "body",
    "references",
    "dispute",
    "relations",
    "mentions",
    "site-nav",
    "search",
];

/// What the Markdown stage needs to know about the rest of the site.
pub struct Env<'a> {
    pub index: &'a LinkIndex,
    /// The `base_url` path, starting and ending with `/`.
    pub base_path: &'a str,
    pub raw_html: bool,
}

/// One Markdown body and where it came from.
pub struct Input<'a> {
    /// Path relative to the site root, for diagnostics.
    pub file: &'a str,
    /// Path relative to `content/`, for resolving relative links.
    pub content_path: &'a str,
    pub body: &'a str,
    /// The file's line on which the body starts.
    pub body_line: usize,
}

/// A source cited in a body, in order of first citation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cited {
    pub source: String,
    /// Every distinct non-empty locator cited for it.
    pub locators: Vec<String>,
    /// The ids of its markers in the body, for back-links.
    pub markers: Vec<String>,
}

/// A link to an anchor on another page (or this one, with an empty `page_url`), to be checked
/// once every page's anchors are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLink {
    pub page_url: String,
    pub anchor: String,
    pub line: usize,
    pub column: usize,
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub cited: Vec<Cited>,
    /// Ids named by `[[id]]` or `[@id]`, each once.
    pub mentions: Vec<String>,
    /// Heading anchors defined by the body.
    pub anchors: Vec<String>,
    pub anchor_links: Vec<AnchorLink>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every question asked of the link index, so a cached rendering can be reused
    /// while the answers stay the same.
    pub lookups: Vec<Lookup>,
}

/// Renders a Markdown body.
pub fn render(input: &Input<'_>, env: &Env<'_>) -> Rendered {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut r = Pipeline {
        input,
        env,
        out: Vec::new(),
        pending: Vec::new(),
        code: None,
        links: Vec::new(),
        skip_link_text: false,
        heading_start: None,
        used_ids: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
        markers: 0,
        result: Rendered::default(),
    };
    for (event, range) in Parser::new_ext(input.body, opts).into_offset_iter() {
        r.event(event, range);
    }
    r.flush_text();
    let mut html = String::with_capacity(input.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, r.out.into_iter());
    let mut result = r.result;
    result.html = html;
    result
}

enum LinkMode {
    Plain,
    Wiki,
    Broken,
}

struct Pipeline<'i, 'e> {
    input: &'i Input<'i>,
    env: &'e Env<'e>,
    out: Vec<Event<'i>>,
    pending: Vec<(CowStr<'i>, Range<usize>)>,
    code: Option<(String, String)>,
    links: Vec<LinkMode>,
    skip_link_text: bool,
    heading_start: Option<usize>,
    used_ids: FxHashSet<String>,
    markers: usize,
    result: Rendered,
}

impl<'i, 'e> Pipeline<'i, 'e> {
    fn event(&mut self, event: Event<'i>, range: Range<usize>) {
        if let Some((_, code)) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, code) = self.code.take().unwrap_or_default();
                    self.out
                        .push(Event::Html(highlight::highlight(&code, &lang).into()));
                }
                _ => {}
            }
            return;
        }
        if self.skip_link_text {
            if let Event::End(TagEnd::Link) = event {
                self.skip_link_text = false;
                self.end_link(event);
            }
            return;
        }
        if let Event::Text(t) = event {
            self.pending.push((t, range));
            return;
        }
        self.flush_text();
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Html(h) | Event::InlineHtml(h) if !self.env.raw_html => {
                self.out.push(Event::Text(h))
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.wikilink(&dest_url, has_pothole, range),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite_url(&dest_url, range).into();
                self.links.push(LinkMode::Plain);
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite_url(&dest_url, range).into();
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => self.end_link(event),
            Event::Start(Tag::Heading { .. }) => {
                self.heading_start = Some(self.out.len());
                self.out.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                self.name_heading();
                self.out.push(event);
            }
            other => self.out.push(other),
        }
    }

    fn end_link(&mut self, event: Event<'i>) {
        match self.links.pop() {
            Some(LinkMode::Wiki) => self.out.push(Event::InlineHtml("</a>".into())),
            Some(LinkMode::Broken) => {}
            _ => self.out.push(event),
        }
    }

    fn position(&self, body_offset: usize) -> (usize, usize) {
        let (line, col) = line_col(self.input.body, body_offset);
        (self.input.body_line + line - 1, col)
    }

    fn error(&mut self, body_offset: usize, message: String, suggestion: Option<String>) {
        let (line, col) = self.position(body_offset);
        self.result
            .diagnostics
            .push(Diagnostic::error(self.input.file, line, col, message).suggest(suggestion));
    }

    /// The entry `id` names, noting the question for the body cache.
    fn target(&mut self, id: &str) -> Option<&'e Target> {
        self.result.lookups.push(Lookup::Id(id.to_string()));
        self.env.index.ids.get(id)
    }

    /// The kind of entry `id` names, noting the question for the body cache.
    fn kind_of(&mut self, id: &str) -> Option<EntryKind> {
        self.result.lookups.push(Lookup::Kind(id.to_string()));
        self.env.index.ids.get(id).map(|t| t.kind)
    }

    /// The URL of a content file, noting the question for the body cache.
    fn file(&mut self, content_path: &str) -> Option<&'e String> {
        self.result
            .lookups
            .push(Lookup::File(content_path.to_string()));
        self.env.index.files.get(content_path)
    }

    fn mention(&mut self, id: &str) {
        if !self.result.mentions.iter().any(|m| m == id) {
            self.result.mentions.push(id.to_string());
        }
    }

    fn unknown_id(&mut self, offset: usize, id: &str, place: &str, kinds: &[EntryKind]) {
        let (message, suggestion) = self.env.index.explain_missing(id, kinds, place);
        self.error(offset, message, suggestion);
    }

    fn wikilink(&mut self, dest: &str, has_pothole: bool, range: Range<usize>) {
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
    fn rewrite_url(&mut self, url: &str, range: Range<usize>) -> String {
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
        let Some(resolved) = crate::content::join_relative(dir, &percent_decode(path)) else {
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

    fn name_heading(&mut self) {
        let Some(start) = self.heading_start.take() else {
            return;
        };
        let text: String = self.out[start + 1..]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &self.out[start]
        {
            let base = match id {
                Some(explicit) => explicit.to_string(),
                None => slug(&text),
            };
            let mut candidate = if base.is_empty() {
                "section".to_string()
            } else {
                base.clone()
            };
            let mut n = 1;
            while self.used_ids.contains(&candidate) {
                candidate = format!("{}-{n}", if base.is_empty() { "section" } else { &base });
                n += 1;
            }
            self.used_ids.insert(candidate.clone());
            self.result.anchors.push(candidate.clone());
            self.out[start] = Event::Start(Tag::Heading {
                level: *level,
                id: Some(candidate.into()),
                classes: classes.clone(),
                attrs: attrs.clone(),
            });
        }
    }

    /// Emits buffered text, turning bracketed citations into numbered markers.
    fn flush_text(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let mut merged = String::new();
        let mut map: Vec<(usize, usize)> = Vec::with_capacity(pending.len());
        for (text, range) in &pending {
            map.push((merged.len(), range.start));
            // pulldown-cmark starts an escaped character's text just after its backslash.
            let body = self.input.body.as_bytes();
            let escaped = range.start > 0
                && body[range.start - 1] == b'\\'
                && (range.start < 2 || body[range.start - 2] != b'\\');
            let mut chars = text.chars();
            match (escaped, chars.next()) {
                (true, Some('[')) => merged.push(ESC_OPEN),
                (true, Some(']')) => merged.push(ESC_CLOSE),
                (true, Some('@')) => merged.push(ESC_AT),
                (_, Some(c)) => merged.push(c),
                (_, None) => {}
            }
            merged.push_str(chars.as_str());
        }
        let in_link = !self.links.is_empty();
        if in_link || !merged.contains('[') {
            self.out
                .push(Event::Text(citations::restore(&merged).into()));
            return;
        }
        let to_body = |off: usize| {
            let i = map.partition_point(|(m, _)| *m <= off).saturating_sub(1);
            map.get(i).map_or(0, |(m, s)| s + (off - m))
        };
        for piece in citations::scan(&merged) {
            match piece {
                Piece::Text(t) => self.out.push(Event::Text(citations::restore(t).into())),
                Piece::Citation(items) => {
                    let html = self.citation_html(&items, &to_body);
                    self.out.push(Event::InlineHtml(html.into()));
                }
            }
        }
    }

    fn citation_html(
        &mut self,
        items: &[citations::CiteItem],
        to_body: &dyn Fn(usize) -> usize,
    ) -> String {
        let mut html = String::from("<span class=\"citation\">[");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                html.push_str("; ");
            }
            if !item.prefix.is_empty() {
                pulldown_cmark_escape::escape_html(&mut html, &citations::restore(&item.prefix))
                    .ok();
                html.push(' ');
            }
            let is_source = self.kind_of(&item.key) == Some(EntryKind::Source);
            if is_source {
                self.mention(&item.key);
                self.markers += 1;
                let marker = format!("cite-{}", self.markers);
                let n = match self.result.cited.iter().position(|c| c.source == item.key) {
                    Some(p) => p + 1,
                    None => {
                        self.result.cited.push(Cited {
                            source: item.key.clone(),
                            ..Cited::default()
                        });
                        self.result.cited.len()
                    }
                };
                let cited = &mut self.result.cited[n - 1];
                cited.markers.push(marker.clone());
                let locator = citations::restore(&item.locator);
                if !locator.is_empty() && !cited.locators.contains(&locator) {
                    cited.locators.push(locator);
                }
                html.push_str(&format!(
                    "<a class=\"cite\" href=\"#ref-{n}\" id=\"{marker}\" role=\"doc-noteref\" data-ref=\"{n}\">{n}</a>"
                ));
            } else {
                self.unknown_id(
                    to_body(item.offset),
                    &item.key,
                    "a citation `[@...]`",
                    &[EntryKind::Source],
                );
                html.push('@');
                pulldown_cmark_escape::escape_html(&mut html, &item.key).ok();
            }
            if !item.locator.is_empty() {
                html.push_str(", ");
                pulldown_cmark_escape::escape_html(&mut html, &citations::restore(&item.locator))
                    .ok();
            }
        }
        html.push_str("]</span>");
        html
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

/// A URL fragment made from heading text: lowercase words joined by `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::Target;

    fn index() -> LinkIndex {
        let mut idx = LinkIndex::default();
        idx.ids.insert(
            "src-a".into(),
            Target {
                pos: Some(0),
                kind: EntryKind::Source,
                title: "Source <A>".into(),
                url: "/sources/src-a/".into(),
            },
        );
        idx.ids.insert(
            "claim-b".into(),
            Target {
                pos: Some(0),
                kind: EntryKind::Claim,
                title: "Claim B".into(),
                url: "/claims/claim-b/".into(),
            },
        );
        idx.files
            .insert("sources/src-a.md".into(), "/sources/src-a/".into());
        idx.files
            .insert("claims/fig.png".into(), "/claims/fig.png".into());
        idx
    }

    fn md(body: &str) -> Rendered {
        let idx = index();
        let env = Env {
            index: &idx,
            base_path: "/",
            raw_html: false,
        };
        render(
            &Input {
                file: "content/claims/x.md",
                content_path: "claims/x.md",
                body,
                body_line: 5,
            },
            &env,
        )
    }

    #[test]
    fn citations_become_numbered_markers() {
        let r = md("One [@src-a, p. 4]. Two [see @src-a].\n");
        assert!(
            r.html.contains("href=\"#ref-1\" id=\"cite-1\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"cite-2\""), "{}", r.html);
        assert!(r.html.contains(", p. 4]"), "{}", r.html);
        assert_eq!(
            r.cited,
            vec![Cited {
                source: "src-a".into(),
                locators: vec!["p. 4".into()],
                markers: vec!["cite-1".into(), "cite-2".into()]
            }]
        );
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn code_and_emails_are_left_alone() {
        let r = md("Write to press@example.org, see `[@src-a]`.\n\n```\n[@src-a]\n```\n");
        assert!(r.cited.is_empty(), "{:?}", r.cited);
        assert!(r.html.contains("press@example.org"));
        assert!(r.html.contains("<code>[@src-a]</code>"), "{}", r.html);
    }

    #[test]
    fn escaped_brackets_stay_text() {
        let r = md("Literally \\[@src-a\\] here.\n");
        assert!(r.cited.is_empty());
        assert!(r.html.contains("[@src-a]"), "{}", r.html);
    }

    #[test]
    fn unknown_citation_is_located_with_suggestion() {
        let r = md("Line one.\n\nSee [@src-b].\n");
        let d = &r.diagnostics[0];
        assert_eq!((d.line, d.column), (7, 6), "{d}");
        assert_eq!(d.suggestion.as_deref(), Some("src-a"));
        let r = md("[@claim-b]\n");
        assert!(
            r.diagnostics[0].message.contains("is a claim"),
            "{}",
            r.diagnostics[0]
        );
    }

    #[test]
    fn cross_links_use_titles_and_escape_them() {
        let r = md("[[src-a]] and [[claim-b|the claim]] and [[claim-b#evidence]]\n");
        assert!(
            r.html.contains(
                "<a class=\"xref xref-source\" href=\"/sources/src-a/\">Source &lt;A&gt;</a>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains(">the claim</a>"), "{}", r.html);
        assert!(
            r.html.contains("href=\"/claims/claim-b/#evidence\""),
            "{}",
            r.html
        );
        assert_eq!(r.anchor_links[0].anchor, "evidence");
        assert_eq!(r.mentions, vec!["src-a".to_string(), "claim-b".to_string()]);
        let r = md("[[nope]]\n");
        assert_eq!(r.diagnostics.len(), 1);
    }

    #[test]
    fn relative_links_are_rewritten_and_checked() {
        let r = md("[s](../sources/src-a.md) ![f](fig.png) [x](missing.md)\n");
        assert!(r.html.contains("href=\"/sources/src-a/\""), "{}", r.html);
        assert!(r.html.contains("src=\"/claims/fig.png\""), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].message.contains("missing.md"));
    }

    #[test]
    fn bad_schemes_are_errors_and_raw_html_is_escaped() {
        let r = md("[x](javascript:alert(1)) <script>alert(1)</script>\n");
        assert!(r.diagnostics[0].message.contains("javascript:"));
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = md("# Evidence\n\n## Evidence\n\n## References\n");
        assert_eq!(r.anchors, vec!["evidence", "evidence-1", "references-1"]);
    }

    #[test]
    fn never_panics_on_generated_bodies() {
        let pieces = [
            "[", "]", "[[", "]]", "@", "@src-a", "@claim-b", ";", ",", "-", "\\", "`", "```", "\n",
            "\n\n", " ", "#", "|", "(", ")", "!", "<b>", "a", "é", "\r\n", "> ", "* ", "1. ",
            "[^1]", "[^1]: x", "src-a.md", "../", "%2e", "\u{E000}",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut body = String::new();
            for _ in 0..24 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                body.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let r = md(&body);
            assert!(!r.html.contains("<script"), "{body:?}");
        }
    }
}

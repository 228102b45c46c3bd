//! Markdown bodies: a pulldown-cmark event pipeline that renders citations, cross-links,
//! checked and rewritten links, heading anchors and highlighted code. It returns the HTML
//! together with everything it found, so reference checks and backlinks are separate passes.

pub mod citations;
mod links;

use crate::base::highlight;

use rustc_hash::FxHashSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::base::diagnostics::{Diagnostic, line_col, nearest};
use crate::load::content::EntryKind;
use crate::resolve::links::{LinkIndex, Lookup, Target};
use citations::Piece;

/// Ids the theme uses on every page; headings never take them.
pub(crate) const RESERVED_IDS: &[&str] = &[
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
    /// The syntect theme code blocks are drawn in.
    pub highlight_theme: &'a str,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cited {
    pub source: String,
    /// Every distinct non-empty locator cited for it.
    pub locators: Vec<String>,
    /// The ids of its markers in the body, for back-links.
    pub markers: Vec<String>,
}

/// A link to an anchor on another page (or this one, with an empty `page_url`), to be checked
/// once every page's anchors are known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnchorLink {
    pub page_url: String,
    pub anchor: String,
    pub line: usize,
    pub column: usize,
}

/// The result of rendering one body. The build cache keeps it without its diagnostics,
/// since only bodies rendered without any are kept.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    pub html: String,
    pub cited: Vec<Cited>,
    /// Ids named by `[[id]]` or `[@id]`, each once.
    pub mentions: Vec<String>,
    /// Heading anchors defined by the body.
    pub anchors: Vec<String>,
    pub anchor_links: Vec<AnchorLink>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
    /// Every question asked of the link index, so a cached rendering can be reused
    /// while the answers stay the same.
    pub lookups: Vec<Lookup>,
}

/// The Markdown extensions a body is read with.
pub(crate) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_WIKILINKS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Renders a Markdown body.
pub fn render(input: &Input<'_>, env: &Env<'_>) -> Rendered {
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
    for (event, range) in Parser::new_ext(input.body, OPTIONS).into_offset_iter() {
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
                    self.out.push(Event::Html(
                        highlight::highlight(&code, &lang, self.env.highlight_theme).into(),
                    ));
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
                // An e-mail autolink (`<a@b.org>`) gets its `mailto:` from the writer.
                let dest_url = match link_type {
                    LinkType::Email => dest_url,
                    _ => self.rewrite_url(&dest_url, range).into(),
                };
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
        if let Some((message, suggestion)) = self.env.index.explain_missing(id, kinds, place) {
            self.error(offset, message, suggestion);
        }
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
        let (merged, map) = citations::join(self.input.body, &pending);
        let in_link = !self.links.is_empty();
        if in_link || !merged.contains('[') {
            self.out
                .push(Event::Text(citations::restore(&merged).into()));
            return;
        }
        let to_body = |off: usize| citations::body_offset(&map, off);
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

/// A URL fragment made from heading text: lowercase words joined by `-`.
pub(crate) fn slug(text: &str) -> String {
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
mod tests;

//! The print page: the whole dossier on one page, each claim's and source's section
//! rendered on its own and spliced into the page.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::RenderError;
use super::entries::ReferenceView;
use super::lists::{ActorSummary, Views};
use crate::content::meta::Citation;
use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::templates::Theme;

/// One section of the print page.
#[derive(Clone, Copy)]
pub(super) enum Section {
    Claim(usize),
    Source(usize),
}

/// Where the print page's claim sections go: the template prints this marker.
const CLAIM_SECTIONS: &str = "<!--dossier:claim-sections-->";
/// Where the print page's source sections go.
const SOURCE_SECTIONS: &str = "<!--dossier:source-sections-->";

/// Writes `html` with each marker replaced by its sections, each rendered by `render`.
/// The sections of a large dossier run to tens of megabytes: they are rendered a batch at
/// a time, in parallel, and written out batch by batch, instead of passing through the
/// template engine together or being held in memory whole.
pub(super) fn splice<T: Sync>(
    html: &str,
    sections: &[(&str, Vec<T>)],
    out: &mut dyn Write,
    render: impl Fn(&T) -> Result<String, Diagnostic> + Sync,
) -> Result<(), RenderError> {
    let mut rest = html;
    loop {
        let next = sections
            .iter()
            .filter_map(|(marker, v)| rest.find(marker).map(|at| (at, *marker, v)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, marker, items)) = next else {
            return Ok(out.write_all(rest.as_bytes())?);
        };
        out.write_all(&rest.as_bytes()[..at])?;
        for batch in items.chunks(256) {
            let parts: Vec<String> = batch.par_iter().map(&render).collect::<Result<_, _>>()?;
            for part in parts {
                out.write_all(part.as_bytes())?;
            }
        }
        rest = &rest[at + marker.len()..];
    }
}

/// A claim's relation as a link inside the print page.
#[derive(Serialize)]
pub(super) struct PrintLink {
    title: String,
    anchor: String,
}

#[derive(Serialize)]
pub(super) struct PrintClaim {
    anchor: String,
    claim: Value,
    assessment: Option<crate::content::meta::Assessment>,
    content_html: String,
    references: Vec<ReferenceView>,
    disputes: Vec<PrintLink>,
    supports: Vec<PrintLink>,
    disputed_by: Vec<PrintLink>,
    supported_by: Vec<PrintLink>,
    in_dispute_with: Vec<PrintLink>,
}

#[derive(Serialize)]
pub(super) struct PrintSource {
    anchor: String,
    source: Value,
    authors: Vec<String>,
    original_url: Option<String>,
    archive_url: Option<String>,
    accessed: Option<String>,
    title_translation: Option<String>,
    content_html: String,
    references: Vec<ReferenceView>,
}

/// Prefixes every `id` and in-page link of a body's HTML, so that several bodies can
/// share one page (the print page) without their anchors colliding.
pub(super) fn prefix_ids(html: &str, prefix: &str) -> String {
    const MARKS: [&str; 2] = [" id=\"", "href=\"#"];
    let find = |from: usize, mark: &str| html[from..].find(mark).map(|i| from + i);
    let mut next = MARKS.map(|m| find(0, m));
    let mut out = String::with_capacity(html.len() + 256);
    let mut done = 0;
    // One pass, taking whichever mark comes first; each is searched for again only
    // after it has been used.
    while let Some((k, at)) = (0..2)
        .filter_map(|k| next[k].map(|at| (k, at)))
        .min_by_key(|x| x.1)
    {
        let end = at + MARKS[k].len();
        out.push_str(&html[done..end]);
        out.push_str(prefix);
        out.push('-');
        done = end;
        next[k] = find(end, MARKS[k]);
    }
    out.push_str(&html[done..]);
    out
}

/// Renders one section of the print page with its partial template.
pub(super) fn render_section(
    v: &Views<'_>,
    section: Section,
    theme: &Theme,
    ctx: &mut tera::Context,
) -> Result<String, Diagnostic> {
    let (template, p) = match section {
        Section::Claim(i) => ("partials/print_claim.html", v.print_claim(i)),
        Section::Source(i) => ("partials/print_source.html", v.print_source(i)),
    };
    ctx.insert("p", &p);
    theme.render(template, ctx)
}

impl Views<'_> {
    /// Fills the print page's context: the introduction, the contents, the actors; and
    /// returns the sections to splice in where the template prints their markers.
    pub(super) fn print_page(&self, ctx: &mut tera::Context) -> Vec<(&'static str, Vec<Section>)> {
        let d = self.d;
        let home = d.home.as_ref();
        ctx.insert(
            "intro_html",
            &home
                .map(|h| prefix_ids(&h.body.rendered.html, "intro"))
                .unwrap_or_default(),
        );
        ctx.insert(
            "intro_references",
            &home
                .map(|h| self.print_references(&h.body, &[], "intro"))
                .unwrap_or_default(),
        );
        let order = d.claims_by_date();
        let contents: Vec<PrintLink> = order.iter().map(|&i| self.print_link(i)).collect();
        ctx.insert("contents", &contents);
        ctx.insert("claim_sections", CLAIM_SECTIONS);
        ctx.insert("source_sections", SOURCE_SECTIONS);
        let actors: Vec<ActorSummary> =
            (0..d.actors.len()).map(|i| self.actor_summary(i)).collect();
        ctx.insert("actors", &actors);
        let claims = order.into_iter().map(Section::Claim).collect();
        let sources = (0..d.sources.len()).map(Section::Source).collect();
        vec![(CLAIM_SECTIONS, claims), (SOURCE_SECTIONS, sources)]
    }

    /// A claim as a link inside the print page.
    fn print_link(&self, i: usize) -> PrintLink {
        let c = &self.d.claims[i];
        PrintLink {
            title: c.meta.title.clone(),
            anchor: format!("claim-{}", c.id),
        }
    }

    /// References of a body for the print page, their anchors prefixed.
    pub(super) fn print_references(
        &self,
        body: &Body,
        citations: &[Citation],
        prefix: &str,
    ) -> Vec<ReferenceView> {
        let mut refs = self.references(body, citations);
        for r in &mut refs {
            r.anchor = format!("{prefix}-{}", r.anchor);
            for m in &mut r.markers {
                *m = format!("{prefix}-{m}");
            }
        }
        refs
    }

    /// One claim's section of the print page, as a template value.
    pub(super) fn print_claim(&self, i: usize) -> Value {
        let links = |v: &[usize]| v.iter().map(|&j| self.print_link(j)).collect::<Vec<_>>();
        let c = &self.d.claims[i];
        let anchor = format!("claim-{}", c.id);
        Value::from_serializable(&PrintClaim {
            claim: self.claim_value(i),
            assessment: c.meta.assessment.clone(),
            content_html: prefix_ids(&c.body.rendered.html, &anchor),
            references: self.print_references(&c.body, &c.meta.citations, &anchor),
            disputes: links(&c.disputes),
            supports: links(&c.supports),
            disputed_by: links(&c.disputed_by),
            supported_by: links(&c.supported_by),
            in_dispute_with: links(&self.d.in_dispute_with(i)),
            anchor,
        })
    }

    /// One source's section of the print page, as a template value.
    pub(super) fn print_source(&self, i: usize) -> Value {
        let s = &self.d.sources[i];
        let anchor = format!("source-{}", s.id);
        Value::from_serializable(&PrintSource {
            source: self.source_value(i),
            authors: crate::content::names::displayed(&s.meta.authors),
            original_url: s.meta.url.clone(),
            archive_url: s.meta.archive_url.clone(),
            accessed: s.meta.accessed.map(|d| self.w.date(&d)),
            title_translation: s.meta.title_translation.clone(),
            content_html: prefix_ids(&s.body.rendered.html, &anchor),
            references: self.print_references(&s.body, &[], &anchor),
            anchor,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefix_ids_prefixes_every_id_and_in_page_link_once() {
        let html = "<h2 id=\"a\">A</h2><p><a href=\"#a\">x</a> <a href=\"https://e.org/#b\">y</a> \
                    <sup id=\"cite-1\"><a href=\"#ref-1\">1</a></sup>data-id=\"z\"</p>";
        assert_eq!(
            super::prefix_ids(html, "p"),
            "<h2 id=\"p-a\">A</h2><p><a href=\"#p-a\">x</a> <a href=\"https://e.org/#b\">y</a> \
             <sup id=\"p-cite-1\"><a href=\"#p-ref-1\">1</a></sup>data-id=\"z\"</p>"
        );
        assert_eq!(super::prefix_ids("no marks", "p"), "no marks");
    }
}

//! The print edition: the whole dossier on one page, or in parts of a fixed number of
//! claims and then sources (`pages::print_parts`); each claim's and source's section is
//! rendered on its own and spliced into its part.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::RenderError;
use super::entries::ReferenceView;
use super::views::{ActorSummary, Views};
use crate::base::diagnostics::Diagnostic;
use crate::load::content::meta::Citation;
use crate::render::templates::Theme;
use crate::resolve::model::*;

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

/// A claim's relation as a link inside the print edition: to its anchor in this part or
/// in the part that holds it.
#[derive(Serialize)]
struct PrintLink {
    title: String,
    anchor: String,
    href: String,
}

/// How the print edition is cut into parts, for links from one part to another.
pub(super) struct PrintPlan {
    parts: Vec<crate::resolve::pages::PrintPart>,
    /// Every claim's index in reading order.
    order: Vec<usize>,
    /// The part holding each claim, by claim index.
    part_of_claim: Vec<usize>,
    /// The part being rendered.
    current: usize,
}

/// One part of the print edition, for the list of parts on each.
#[derive(Serialize)]
struct PartView {
    number: usize,
    url: String,
    current: bool,
    /// The claims it holds, counted from 1 in reading order (none when empty).
    claims: Option<(usize, usize)>,
    sources: Option<(usize, usize)>,
}

impl PrintPlan {
    /// The plan of the print edition of `d`, rendering part `current` (from 0).
    pub(super) fn new(d: &Dossier, current: usize) -> PrintPlan {
        let parts = crate::resolve::pages::print_parts(d);
        let order = d.claims_by_date();
        let mut part_of_claim = vec![0; d.claims.len()];
        for (k, &i) in order.iter().enumerate() {
            part_of_claim[i] = parts
                .iter()
                .position(|p| p.claims.contains(&k))
                .unwrap_or(0);
        }
        PrintPlan {
            parts,
            order,
            part_of_claim,
            current,
        }
    }

    /// The number of the part being rendered, from 1, and how many there are.
    pub(super) fn numbers(&self) -> (usize, usize) {
        (self.current + 1, self.parts.len())
    }
}

#[derive(Serialize)]
struct PrintClaim {
    anchor: String,
    claim: Value,
    assessment: Option<crate::load::content::meta::Assessment>,
    content_html: String,
    references: Vec<ReferenceView>,
    disputes: Vec<PrintLink>,
    supports: Vec<PrintLink>,
    disputed_by: Vec<PrintLink>,
    supported_by: Vec<PrintLink>,
    in_dispute_with: Vec<PrintLink>,
}

#[derive(Serialize)]
struct PrintSource {
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
fn prefix_ids(html: &str, prefix: &str) -> String {
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
    plan: &PrintPlan,
    section: Section,
    theme: &Theme,
    ctx: &mut tera::Context,
) -> Result<String, Diagnostic> {
    let (template, p) = match section {
        Section::Claim(i) => ("partials/print_claim.html", v.print_claim(i, plan)),
        Section::Source(i) => ("partials/print_source.html", v.print_source(i)),
    };
    ctx.insert("p", &p);
    theme.render(template, ctx)
}

impl Views<'_> {
    /// Fills the context of a part of the print edition: the list of parts, and what this
    /// part holds (the introduction in the first, its claims and their contents, its
    /// sources, the actors in the last); returns the sections to splice in where the
    /// template prints their markers.
    pub(super) fn print_page(
        &self,
        ctx: &mut tera::Context,
        plan: &PrintPlan,
    ) -> Vec<(&'static str, Vec<Section>)> {
        let d = self.d;
        let part = &plan.parts[plan.current];
        let (first, last) = (plan.current == 0, plan.current + 1 == plan.parts.len());
        let home = d.home.as_ref().filter(|_| first);
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
        let order = &plan.order[part.claims.clone()];
        let contents: Vec<PrintLink> = order.iter().map(|&i| self.print_link(i, plan)).collect();
        ctx.insert("contents", &contents);
        let one = plan.parts.len() == 1;
        ctx.insert("show_claims", &(one || !part.claims.is_empty()));
        ctx.insert("show_sources", &(one || !part.sources.is_empty()));
        ctx.insert("show_actors", &last);
        ctx.insert("parts", &self.part_views(plan));
        ctx.insert("claim_sections", CLAIM_SECTIONS);
        ctx.insert("source_sections", SOURCE_SECTIONS);
        let actors: Vec<ActorSummary> = match last {
            true => (0..d.actors.len()).map(|i| self.actor_summary(i)).collect(),
            false => Vec::new(),
        };
        ctx.insert("actors", &actors);
        let claims = order.iter().copied().map(Section::Claim).collect();
        let sources = part.sources.clone().map(Section::Source).collect();
        vec![(CLAIM_SECTIONS, claims), (SOURCE_SECTIONS, sources)]
    }

    /// Every part of the print edition, for the list on each (empty for one part).
    fn part_views(&self, plan: &PrintPlan) -> Vec<PartView> {
        if plan.parts.len() < 2 {
            return Vec::new();
        }
        let from_one = |r: &std::ops::Range<usize>, base: usize| {
            (!r.is_empty()).then(|| (r.start - base + 1, r.end - base))
        };
        let claims = self.d.claims.len();
        plan.parts
            .iter()
            .enumerate()
            .map(|(k, p)| PartView {
                number: k + 1,
                url: self.s.url(&crate::resolve::pages::print_part_path(k)),
                current: k == plan.current,
                claims: from_one(&p.claims, 0),
                sources: from_one(&(p.sources.start + claims..p.sources.end + claims), claims),
            })
            .collect()
    }

    /// A claim as a link inside the print edition.
    fn print_link(&self, i: usize, plan: &PrintPlan) -> PrintLink {
        let c = &self.d.claims[i];
        let anchor = format!("claim-{}", c.id);
        let part = plan.part_of_claim[i];
        let href = match part == plan.current {
            true => format!("#{anchor}"),
            false => format!(
                "{}#{anchor}",
                self.s.url(&crate::resolve::pages::print_part_path(part))
            ),
        };
        PrintLink {
            title: c.meta.title.clone(),
            anchor,
            href,
        }
    }

    /// References of a body for the print page, their anchors prefixed.
    fn print_references(
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
    pub(super) fn print_claim(&self, i: usize, plan: &PrintPlan) -> Value {
        let links = |v: &[usize]| {
            v.iter()
                .map(|&j| self.print_link(j, plan))
                .collect::<Vec<_>>()
        };
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
    fn print_source(&self, i: usize) -> Value {
        let s = &self.d.sources[i];
        let anchor = format!("source-{}", s.id);
        Value::from_serializable(&PrintSource {
            source: self.source_value(i),
            authors: crate::load::content::names::displayed(&s.meta.authors),
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

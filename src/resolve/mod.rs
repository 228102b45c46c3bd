//! Reference resolution: turns loaded content into the [`Dossier`], checking every id,
//! rendering every body against the link index, and deriving each relation's inverse.
//!
//! [`index`] builds the link index, [`bodies`] renders bodies (with the preview's cache),
//! [`inverses`] derives every relation's other end, [`checks`] reports what is wrong with
//! the whole, [`snapshots`] attaches each source's local copy, and [`patch`] is the
//! preview's fast path for an edit that leaves the index as it was.

mod bodies;
mod changed;
mod checks;
mod index;
mod inverses;
pub mod links;
pub mod markdown;
pub(crate) mod model;
pub mod pages;
mod patch;
mod snapshots;

use std::sync::Arc;

use rayon::prelude::*;

use crate::base::diagnostics::Diagnostics;
use crate::load::config::Settings;
use crate::load::content::meta::{
    ActorMeta, Citation, ClaimMeta, EventMeta, HomeMeta, PageMeta, SourceMeta,
};
use crate::load::content::{Content, Document, EntryKind, Item};
use crate::resolve::links::LinkIndex;
use crate::resolve::markdown::{Cited, Rendered};
use crate::resolve::model::*;
use crate::snapshots::Snapshot;

pub(crate) use bodies::{BodyCache, BodyEnv, StoredBody};
pub use checks::{collisions, edition_folders};
pub use inverses::tag_slug;
pub use patch::patch;

/// Builds the resolved dossier from loaded content, reporting every problem into `diags`.
pub fn resolve(settings: &Settings, content: Content, diags: &Diagnostics) -> Dossier {
    resolve_cached(settings, content, diags, &mut BodyCache::default())
}

/// [`resolve`], reusing the bodies in `cache` that are still valid and leaving in it every
/// body rendered without problems.
pub(crate) fn resolve_cached(
    settings: &Settings,
    mut content: Content,
    diags: &Diagnostics,
    cache: &mut BodyCache,
) -> Dossier {
    content.sort();
    let attached = snapshots::attach(&content, settings, diags);
    let index = index::link_index(settings, &content, &attached.withheld, diags);
    let cx = Cx {
        settings,
        index: &index,
        snapshots: &attached.by_source,
        evidence: &attached.evidence,
        diags,
    };
    let docs: Vec<&Arc<Document>> = content.documents().collect();
    let mut bodies = cx.bodies(cache, &docs).into_iter();
    bodies::prune(cache, &docs);
    let mut next = || bodies.next().unwrap_or_default();
    let broken = std::mem::take(&mut content.broken);

    let mut d = Dossier {
        translations: Arc::new(crate::load::content::translation::translated(&content)),
        ..Dossier::default()
    };
    let claim_bodies: Vec<_> = content.claims.iter().map(|_| next()).collect();
    d.claims = content
        .claims
        .into_par_iter()
        .zip(claim_bodies)
        .map(|(item, rendered)| Arc::new(cx.claim(item, rendered)))
        .collect();
    let source_bodies: Vec<_> = content.sources.iter().map(|_| next()).collect();
    d.sources = content
        .sources
        .into_par_iter()
        .zip(source_bodies)
        .enumerate()
        .map(|(i, (item, rendered))| Arc::new(cx.source(i, item, rendered)))
        .collect();
    for item in content.actors {
        let rendered = next();
        d.actors.push(Arc::new(cx.actor(item, rendered)));
    }
    for item in content.events {
        let rendered = next();
        d.events.push(Arc::new(cx.event(item, rendered)));
    }
    for item in content.pages {
        let rendered = next();
        d.pages.push(Arc::new(cx.page(item, rendered)));
    }
    if let Some(home) = content.home {
        let rendered = next();
        d.home = Some(cx.home(home, rendered));
    }
    d.assets = content
        .assets
        .into_iter()
        .filter(|a| !attached.withheld.contains(&a.content_path))
        .collect();
    d.index = Arc::new(index);
    inverses::derive_inverses(&mut d);
    checks::check_anchors(&d, diags);
    checks::check_positions(&d, &settings.config.map.positions, diags);
    checks::check_support_in_dispute(&d, diags);
    checks::check_activities(&d, diags);
    checks::check_corrections(&d, diags);
    checks::warnings(&d, broken.is_empty(), diags);
    d.tags = inverses::tags(settings, &d);
    d
}

/// What resolving one entry needs.
struct Cx<'a> {
    settings: &'a Settings,
    index: &'a LinkIndex,
    /// Each source's snapshot, by position.
    snapshots: &'a [Option<Arc<Snapshot>>],
    /// Each source's evidence, by position.
    evidence: &'a [Evidence],
    diags: &'a Diagnostics,
}

impl Cx<'_> {
    /// Where id `id` of `kind` sits in its kind's vector, or an error at `key` in `doc`.
    fn lookup(&self, doc: &Document, key: &str, id: &str, kind: EntryKind) -> Option<usize> {
        if let Some(t) = self.index.ids.get(id).filter(|t| t.kind == kind) {
            // An entry that failed to load was reported at its own file.
            return t.pos;
        }
        if let Some((message, suggestion)) =
            self.index.explain_missing(id, &[kind], &format!("`{key}`"))
        {
            self.diags
                .push(doc.error_at(key, Some(id), message).suggest(suggestion));
        }
        None
    }

    fn source_pos(&self, id: &str) -> Option<usize> {
        self.index.pos(id, EntryKind::Source)
    }

    /// A claim with its forward relations; inverse lists are left empty.
    fn claim(&self, item: Item<ClaimMeta>, rendered: Arc<Rendered>) -> Claim {
        let Item { id, doc, meta } = item;
        let claimants = meta
            .claimants
            .iter()
            .filter_map(|a| self.lookup(&doc, "claimants", a, EntryKind::Actor))
            .collect();
        let relation = |key: &str, ids: &[String]| -> Vec<usize> {
            ids.iter()
                .filter_map(|c| {
                    if *c == id {
                        self.diags.push(doc.error_at(
                            key,
                            Some(c),
                            format!("a claim cannot {} itself", key.trim_end_matches('s')),
                        ));
                        return None;
                    }
                    self.lookup(&doc, key, c, EntryKind::Claim)
                })
                .collect()
        };
        let disputes = relation("disputes", &meta.disputes);
        let supports = relation("supports", &meta.supports);
        let about = meta
            .about
            .iter()
            .filter_map(|e| self.lookup(&doc, "about", e, EntryKind::Event))
            .collect();
        let attributed_to = meta
            .attributes
            .iter()
            .flat_map(|a| &a.to)
            .filter_map(|a| self.lookup(&doc, "attributes", a, EntryKind::Actor))
            .collect();
        let cited_sources: Vec<Option<usize>> = meta
            .citations
            .iter()
            .map(|c| self.lookup(&doc, "source", &c.source, EntryKind::Source))
            .collect();
        self.verify_quotes(&doc, &meta.citations, &cited_sources);
        let references = references(&rendered.cited, &meta.citations, &cited_sources, |s| {
            self.source_pos(s)
        });
        let url = self.settings.url(&pages::entry_path(EntryKind::Claim, &id));
        Claim {
            id,
            url,
            meta,
            body: Body {
                doc,
                rendered,
                references,
                mentioned_in: Vec::new(),
            },
            claimants,
            disputes,
            supports,
            disputed_by: Vec::new(),
            supported_by: Vec::new(),
            about,
            attributed_to,
        }
    }

    fn source(&self, pos: usize, item: Item<SourceMeta>, rendered: Arc<Rendered>) -> Source {
        let Item { id, doc, meta } = item;
        let published_by = meta
            .published_by
            .as_deref()
            .and_then(|a| self.lookup(&doc, "published_by", a, EntryKind::Actor));
        for (key, value) in [("url", &meta.url), ("archive_url", &meta.archive_url)] {
            if let Some(u) = value {
                checks::check_http_url(&doc, key, u, self.diags);
            }
        }
        let url = self
            .settings
            .url(&pages::entry_path(EntryKind::Source, &id));
        Source {
            id,
            url,
            meta,
            body: self.body(doc, rendered),
            published_by,
            snapshot: self.snapshots.get(pos).cloned().flatten(),
            evidence: self.evidence.get(pos).cloned().unwrap_or_default(),
            cited_by: Vec::new(),
            events: Vec::new(),
        }
    }

    fn event(&self, item: Item<EventMeta>, rendered: Arc<Rendered>) -> Event {
        let Item { id, doc, meta } = item;
        let sources = meta
            .sources
            .iter()
            .filter_map(|s| self.lookup(&doc, "sources", s, EntryKind::Source))
            .collect();
        if let Some(end) = meta.end
            && end < meta.date
        {
            self.diags.push(doc.error_at(
                "end",
                None,
                format!(
                    "an event cannot end ({end}) before it begins ({})",
                    meta.date
                ),
            ));
        }
        let url = self.settings.url(&pages::entry_path(EntryKind::Event, &id));
        Event {
            id,
            url,
            meta,
            body: self.body(doc, rendered),
            sources,
            claims: Vec::new(),
        }
    }

    fn actor(&self, item: Item<ActorMeta>, rendered: Arc<Rendered>) -> Actor {
        let Item { id, doc, meta } = item;
        if let Some(u) = &meta.url {
            checks::check_http_url(&doc, "url", u, self.diags);
        }
        let url = self.settings.url(&pages::entry_path(EntryKind::Actor, &id));
        Actor {
            id,
            url,
            meta,
            body: self.body(doc, rendered),
            claims: Vec::new(),
            sources: Vec::new(),
        }
    }

    fn page(&self, item: Item<PageMeta>, rendered: Arc<Rendered>) -> Page {
        let Item { id, doc, meta } = item;
        Page {
            url: self.settings.url(&pages::path_of(pages::Kind::Page, &id)),
            path: id,
            meta,
            body: self.body(doc, rendered),
        }
    }

    fn home(&self, item: Item<HomeMeta>, rendered: Arc<Rendered>) -> Home {
        Home {
            meta: item.meta,
            body: self.body(item.doc, rendered),
        }
    }

    /// A body whose references come only from citations in its text.
    fn body(&self, doc: Arc<Document>, rendered: Arc<Rendered>) -> Body {
        let references = references(&rendered.cited, &[], &[], |s| self.source_pos(s));
        Body {
            doc,
            rendered,
            references,
            mentioned_in: Vec::new(),
        }
    }
}

/// A page's numbered references: sources in order of first citation in the body, then
/// front-matter citations not cited in the body, each source once.
fn references(
    cited: &[Cited],
    citations: &[Citation],
    cited_sources: &[Option<usize>],
    source_pos: impl Fn(&str) -> Option<usize>,
) -> Vec<Reference> {
    let mut refs: Vec<Reference> = Vec::new();
    for c in cited {
        if let Some(source) = source_pos(&c.source) {
            refs.push(Reference {
                number: refs.len() + 1,
                source,
                locators: c.locators.clone(),
                citations: Vec::new(),
                markers: c.markers.clone(),
            });
        }
    }
    for (i, (_, src)) in citations.iter().zip(cited_sources).enumerate() {
        let Some(source) = *src else { continue };
        match refs.iter_mut().find(|r| r.source == source) {
            Some(r) => r.citations.push(i),
            None => refs.push(Reference {
                number: refs.len() + 1,
                source,
                locators: Vec::new(),
                citations: vec![i],
                markers: Vec::new(),
            }),
        }
    }
    refs
}

//! The resolved dossier: every entry with its rendered body and its relations in both
//! directions. Relations are indices into the entry vectors, so nothing is copied.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::load::content::date::PartialDate;
use crate::load::content::meta::{
    ActorMeta, ClaimMeta, Correction, EventMeta, HomeMeta, PageMeta, SourceMeta,
};
use crate::load::content::{Asset, Document};
use crate::resolve::links::LinkIndex;
use crate::resolve::markdown::Rendered;
use crate::snapshots::Snapshot;

/// Any page with a body, for "mentioned in" lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageRef {
    Home,
    Claim(usize),
    Source(usize),
    Actor(usize),
    Page(usize),
    Event(usize),
}

/// One numbered entry of a page's reference list.
#[derive(Debug, Clone)]
pub struct Reference {
    pub number: usize,
    /// Index into [`Dossier::sources`].
    pub source: usize,
    /// Locators cited in the body for this source.
    pub locators: Vec<String>,
    /// Indices into the claim's front-matter citations for this source.
    pub citations: Vec<usize>,
    /// Ids of the body's markers citing it.
    pub markers: Vec<String>,
}

/// What every page with a body has.
#[derive(Debug, Clone)]
pub struct Body {
    pub doc: Arc<Document>,
    pub rendered: Arc<Rendered>,
    pub references: Vec<Reference>,
    pub mentioned_in: Vec<PageRef>,
}

/// A claim with its relations.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub url: String,
    pub meta: Arc<ClaimMeta>,
    pub body: Body,
    pub claimants: Vec<usize>,
    pub disputes: Vec<usize>,
    pub supports: Vec<usize>,
    pub disputed_by: Vec<usize>,
    pub supported_by: Vec<usize>,
    /// The events it is about.
    pub about: Vec<usize>,
    /// The actors it attributes its activity to (`attributes.to`).
    pub attributed_to: Vec<usize>,
}

/// A source with the claims citing it.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub url: String,
    pub meta: Arc<SourceMeta>,
    pub body: Body,
    pub published_by: Option<usize>,
    /// The local copy its quotes were verified against.
    pub snapshot: Option<Arc<Snapshot>>,
    /// The files it keeps as evidence, and whether they are published.
    pub evidence: Evidence,
    pub cited_by: Vec<usize>,
    /// The events it documents.
    pub events: Vec<usize>,
}

impl Source {
    /// Whether quotes cited from it are verified: it has a snapshot with text.
    pub(crate) fn verifies_quotes(&self) -> bool {
        self.snapshot.as_ref().is_some_and(|s| s.has_text())
    }
}

/// What a source keeps as evidence of what it said: files that are never published
/// unless the site or the source chooses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Its snapshot, the web archive of the snapshot's capture and its time-stamp token,
    /// those it has, in that order.
    pub files: Vec<EvidenceFile>,
    /// Whether they are published with the site.
    pub published: bool,
    /// What its time-stamp token proves, when it verified.
    pub stamp: Option<crate::snapshots::timestamp::Stamp>,
}

/// One file kept as evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceFile {
    /// Path relative to `content/`.
    pub content_path: String,
    pub role: EvidenceRole,
    /// Its size in bytes.
    pub bytes: u64,
}

/// What an evidence file is to its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceRole {
    /// The copy quotes are verified against.
    Snapshot,
    /// The web archive recorded when the snapshot was captured.
    Archive,
    /// An RFC 3161 time-stamp token over the snapshot.
    Token,
}

/// An actor with its claims and sources.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub url: String,
    pub meta: Arc<ActorMeta>,
    pub body: Body,
    pub claims: Vec<usize>,
    pub sources: Vec<usize>,
}

/// An event: something that happened, with the sources that document it and the claims
/// about it.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub url: String,
    pub meta: Arc<EventMeta>,
    pub body: Body,
    pub sources: Vec<usize>,
    /// Claims about it, in claim order.
    pub claims: Vec<usize>,
}

/// A plain page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Site path without slashes at the ends: `method`, `about/team`.
    pub path: String,
    pub url: String,
    pub meta: Arc<PageMeta>,
    pub body: Body,
}

/// The home page intro.
#[derive(Debug, Clone)]
pub struct Home {
    pub meta: Arc<HomeMeta>,
    pub body: Body,
}

/// A tag and the claims carrying it.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub claims: Vec<usize>,
}

/// The whole resolved dossier.
#[derive(Debug, Clone, Default)]
pub struct Dossier {
    // Entries are shared between successive builds of the preview, so an edit copies only
    // the entries it changes.
    pub claims: Vec<Arc<Claim>>,
    pub sources: Vec<Arc<Source>>,
    pub actors: Vec<Arc<Actor>>,
    pub events: Vec<Arc<Event>>,
    pub pages: Vec<Arc<Page>>,
    pub home: Option<Home>,
    pub assets: Vec<Asset>,
    pub tags: Vec<Tag>,
    pub index: Arc<LinkIndex>,
    /// The languages each original (by its path under `content/`) is translated into.
    pub translations: Arc<crate::load::content::translation::Translations>,
}

/// An entry or page that carries corrections, as the checks, the corrections page and
/// the feed see it.
pub struct Corrected<'a> {
    pub of: PageRef,
    pub body: &'a Body,
    /// The entry's own date, when it has one: no correction can come before it.
    pub date: Option<PartialDate>,
    pub corrections: &'a [Correction],
}

/// The key of a page's earlier addresses, but an actor's.
pub(crate) const ALIASES: &str = "aliases";
/// The key of an actor's earlier addresses (its `aliases` are its other names).
pub(crate) const REDIRECT_FROM: &str = "redirect_from";

/// An earlier address of a page, which sends the reader on to it.
pub struct Redirect<'a> {
    /// As written: a site path such as `/claims/old-id/`.
    pub alias: &'a str,
    /// The key it is written under.
    pub key: &'static str,
    /// The file that names it.
    pub doc: &'a Document,
    /// The page's address.
    pub to: &'a str,
}

impl Dossier {
    /// Every earlier address of a page: `aliases` of claims, sources, events and plain
    /// pages, `redirect_from` of actors.
    pub fn redirects(&self) -> Vec<Redirect<'_>> {
        let claims = self
            .claims
            .iter()
            .map(|c| (&c.meta.aliases, &c.body, &c.url, ALIASES));
        let sources = self
            .sources
            .iter()
            .map(|s| (&s.meta.aliases, &s.body, &s.url, ALIASES));
        let actors = self
            .actors
            .iter()
            .map(|a| (&a.meta.redirect_from, &a.body, &a.url, REDIRECT_FROM));
        let events = self
            .events
            .iter()
            .map(|e| (&e.meta.aliases, &e.body, &e.url, ALIASES));
        let pages = self
            .pages
            .iter()
            .map(|p| (&p.meta.aliases, &p.body, &p.url, ALIASES));
        claims
            .chain(sources)
            .chain(actors)
            .chain(events)
            .chain(pages)
            .flat_map(|(aliases, body, to, key)| {
                aliases.iter().map(move |alias| Redirect {
                    alias,
                    key,
                    doc: &body.doc,
                    to,
                })
            })
            .collect()
    }

    /// Every entry and page with at least one correction, in the order of [`PageRef`].
    pub fn corrected(&self) -> Vec<Corrected<'_>> {
        let home = self.home.as_ref().map(|h| Corrected {
            of: PageRef::Home,
            body: &h.body,
            date: None,
            corrections: &h.meta.corrections,
        });
        let mut v: Vec<Corrected<'_>> = home.into_iter().collect();
        v.extend(self.claims.iter().enumerate().map(|(i, c)| Corrected {
            of: PageRef::Claim(i),
            body: &c.body,
            date: Some(c.meta.date),
            corrections: &c.meta.corrections,
        }));
        v.extend(self.sources.iter().enumerate().map(|(i, s)| Corrected {
            of: PageRef::Source(i),
            body: &s.body,
            date: s.meta.date,
            corrections: &s.meta.corrections,
        }));
        v.extend(self.actors.iter().enumerate().map(|(i, a)| Corrected {
            of: PageRef::Actor(i),
            body: &a.body,
            date: None,
            corrections: &a.meta.corrections,
        }));
        v.extend(self.pages.iter().enumerate().map(|(i, p)| Corrected {
            of: PageRef::Page(i),
            body: &p.body,
            date: None,
            corrections: &p.meta.corrections,
        }));
        v.extend(self.events.iter().enumerate().map(|(i, e)| Corrected {
            of: PageRef::Event(i),
            body: &e.body,
            date: Some(e.meta.date),
            corrections: &e.meta.corrections,
        }));
        v.retain(|c| !c.corrections.is_empty());
        v
    }

    /// The order claims are listed in everywhere: oldest first, then by id.
    pub(crate) fn claim_cmp(&self, a: usize, b: usize) -> Ordering {
        let (a, b) = (&self.claims[a], &self.claims[b]);
        (a.meta.date, &a.id).cmp(&(b.meta.date, &b.id))
    }

    /// Sorts claim indices in [`Dossier::claim_cmp`] order.
    pub(crate) fn sort_claims(&self, v: &mut [usize]) {
        v.sort_by(|&a, &b| self.claim_cmp(a, b));
    }

    /// Every claim's index, in [`Dossier::claim_cmp`] order.
    pub fn claims_by_date(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.claims.len()).collect();
        self.sort_claims(&mut order);
        order
    }

    /// The claims claim `i` is in dispute with, whichever of the two states the dispute,
    /// in claim order.
    pub(crate) fn in_dispute_with(&self, i: usize) -> Vec<usize> {
        let c = &self.claims[i];
        let mut v: Vec<usize> = c.disputes.iter().chain(&c.disputed_by).copied().collect();
        self.sort_claims(&mut v);
        v.dedup();
        v
    }

    /// Where the plain page at `path` sits in [`Dossier::pages`] (sorted by path).
    pub(crate) fn page_pos(&self, path: &str) -> Option<usize> {
        self.pages
            .binary_search_by(|p| p.path.as_str().cmp(path))
            .ok()
    }

    /// Where the tag `slug` sits in [`Dossier::tags`] (sorted by slug).
    pub(crate) fn tag_pos(&self, slug: &str) -> Option<usize> {
        self.tags
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
    }
}

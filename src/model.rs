//! The resolved dossier: every entry with its rendered body and its relations in both
//! directions. Relations are indices into the entry vectors, so nothing is copied.

use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::content::meta::{ActorMeta, ClaimMeta, HomeMeta, PageMeta, SourceMeta};
use crate::content::{Asset, Document};
use crate::markdown::Rendered;
use crate::snapshots::Snapshot;

/// The three kinds of entry that have ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Claim,
    Source,
    Actor,
}

impl EntryKind {
    /// Every kind.
    pub const ALL: [EntryKind; 3] = [EntryKind::Claim, EntryKind::Source, EntryKind::Actor];

    /// `claim`, `source` or `actor`.
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Claim => "claim",
            EntryKind::Source => "source",
            EntryKind::Actor => "actor",
        }
    }

    /// The indefinite article for the name.
    pub fn article(self) -> &'static str {
        match self {
            EntryKind::Actor => "an",
            _ => "a",
        }
    }

    /// The content folder and URL section: `claims`, `sources`, `actors`.
    pub fn section(self) -> &'static str {
        match self {
            EntryKind::Claim => "claims",
            EntryKind::Source => "sources",
            EntryKind::Actor => "actors",
        }
    }
}

/// What a cross-link to an id needs.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: EntryKind,
    /// Where the entry sits in its kind's vector of the [`Dossier`] (sorted by id).
    pub pos: usize,
    pub title: String,
    pub url: String,
}

/// One question a Markdown body asked of the [`LinkIndex`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lookup {
    /// A claim, source or actor id: its kind, title and URL.
    Id(String),
    /// A claim, source or actor id: only its kind.
    Kind(String),
    /// A content-relative file path.
    File(String),
}

/// Everything a Markdown body may link to.
#[derive(Debug, Clone, Default)]
pub struct LinkIndex {
    /// Claim, source and actor ids.
    pub ids: FxHashMap<String, Target>,
    /// Content-relative paths of published Markdown files and copied files, to their URLs.
    pub files: FxHashMap<String, String>,
    /// Ids and page paths left out as drafts.
    pub drafts: FxHashSet<String>,
    /// A digest of all of the above: equal digests give equal answers to every [`Lookup`].
    pub digest: u64,
}

impl LinkIndex {
    /// A digest of the answer to `q`: equal digests mean a body asking it renders the same.
    pub fn answer(&self, q: &Lookup) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        match q {
            Lookup::Id(id) => {
                self.drafts.contains(id).hash(&mut h);
                if let Some(t) = self.ids.get(id) {
                    (t.kind.name(), &t.title, &t.url).hash(&mut h);
                }
            }
            Lookup::Kind(id) => {
                self.drafts.contains(id).hash(&mut h);
                self.ids.get(id).map(|t| t.kind.name()).hash(&mut h);
            }
            Lookup::File(path) => self.files.get(path).hash(&mut h),
        }
        h.finish()
    }

    /// Why `id` cannot stand in `place` (such as "`claimants`" or "a citation `[@...]`"),
    /// which wants an entry of one of `kinds`, and the nearest id of those kinds.
    pub fn explain_missing(
        &self,
        id: &str,
        kinds: &[EntryKind],
        place: &str,
    ) -> (String, Option<String>) {
        let message = if self.drafts.contains(id) {
            format!(
                "{place} names `{id}`, a draft left out of this build; build with --drafts or remove it"
            )
        } else if let Some(t) = self.ids.get(id)
            && !kinds.contains(&t.kind)
        {
            let wanted = match kinds {
                [k] => format!("{} {}", k.article(), k.name()),
                _ => "a claim, source or actor".to_string(),
            };
            format!(
                "{place} must name {wanted}, but `{id}` is {} {}",
                t.kind.article(),
                t.kind.name()
            )
        } else {
            let kind = match kinds {
                [k] => format!("{} ", k.name()),
                _ => String::new(),
            };
            format!("unknown {kind}id `{id}` in {place}")
        };
        let candidates = self
            .ids
            .iter()
            .filter(|(_, t)| kinds.contains(&t.kind))
            .map(|(k, _)| k.as_str());
        (message, crate::diagnostics::nearest(id, candidates))
    }
}

/// Any page with a body, for "mentioned in" lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageRef {
    Home,
    Claim(usize),
    Source(usize),
    Actor(usize),
    Page(usize),
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
    pub cited_by: Vec<usize>,
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
    pub pages: Vec<Arc<Page>>,
    pub home: Option<Home>,
    pub assets: Vec<Asset>,
    pub tags: Vec<Tag>,
    pub index: Arc<LinkIndex>,
}

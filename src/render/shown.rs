//! What each page showed of other entries, recorded as it renders, and digests of what
//! pages show of each entry: the preview renders a page again only when something it
//! showed changed.

use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::lists::Views;
use crate::config::Settings;
use crate::content::EntryKind;
use crate::diagnostics::Diagnostic;
use crate::model::*;

/// An entry as other pages show it, in lists and reference entries. Rendering a page
/// records every entry it showed, so the preview knows which pages to render again when
/// what is shown of an entry changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Shown {
    Claim(String),
    Source(String),
    Actor(String),
    Page(String),
    Home,
    Tag(String),
    Event(String),
}

/// A rendered page and the entries it showed, or why it could not be rendered.
pub type Recorded = Result<(Vec<u8>, Vec<Shown>), Diagnostic>;

/// Every entry that other pages may show, as a [`Shown`] key.
pub fn shown_keys(d: &Dossier) -> Vec<Shown> {
    d.claims
        .iter()
        .map(|c| Shown::Claim(c.id.clone()))
        .chain(d.sources.iter().map(|s| Shown::Source(s.id.clone())))
        .chain(d.actors.iter().map(|a| Shown::Actor(a.id.clone())))
        .chain(d.pages.iter().map(|p| Shown::Page(p.path.clone())))
        .chain(d.home.iter().map(|_| Shown::Home))
        .chain(d.tags.iter().map(|t| Shown::Tag(t.slug.clone())))
        .chain(d.events.iter().map(|e| Shown::Event(e.id.clone())))
        .collect()
}

/// A digest of what pages show of every entry (see [`Shown`]).
pub fn shown_digests(d: &Dossier, settings: &Settings) -> FxHashMap<Shown, u64> {
    digests_of(d, settings, shown_keys(d)).into_iter().collect()
}

/// The digests of the entries `keys` name, leaving out those that do not exist.
pub fn digests_of(d: &Dossier, settings: &Settings, keys: Vec<Shown>) -> Vec<(Shown, u64)> {
    keys.into_par_iter()
        .filter_map(|k| {
            // What changed, not how it reads: English whatever the site's language.
            let v = Views::new(d, settings, crate::i18n::Strings::english());
            let digest = v.digest_of(&k)?;
            Some((k, digest))
        })
        .collect()
}

/// A digest of a value.
pub fn digest<T: Hash>(value: &T) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

impl Views<'_> {
    /// A digest of what pages show of one entry, if it exists.
    pub(super) fn digest_of(&self, key: &Shown) -> Option<u64> {
        let d = self.d;
        let pos = |id: &str, kind: EntryKind| d.index.pos(id, kind);
        Some(match key {
            // Cards mark only the newest correction; the corrections page shows them all.
            Shown::Claim(id) => {
                let i = pos(id, EntryKind::Claim)?;
                digest(&(self.claim_link(i), &d.claims[i].meta.corrections))
            }
            Shown::Source(id) => {
                let i = pos(id, EntryKind::Source)?;
                let m = &d.sources[i].meta;
                let s = &d.sources[i];
                // Its page gives the snapshot's size in words and pages, its hash and the
                // evidence kept (sizes, whether published, what the token proves).
                let snapshot = s
                    .snapshot
                    .as_ref()
                    .map(|x| (&x.content_path, x.words, &x.sha256, x.page_count));
                let evidence = format!("{:?}", s.evidence);
                let dates = (m.archived, m.snapshot_captured, m.accessed);
                let shown = (
                    self.source_link(i),
                    &m.authors,
                    &m.url,
                    &m.archive_url,
                    dates,
                );
                digest(&(shown, snapshot, evidence, s.published_by, &m.corrections))
            }
            Shown::Actor(id) => {
                let i = pos(id, EntryKind::Actor)?;
                digest(&(self.actor_summary(i), &d.actors[i].meta.corrections))
            }
            Shown::Event(id) => {
                let i = pos(id, EntryKind::Event)?;
                digest(&(self.event_link(i), &d.events[i].meta.corrections))
            }
            Shown::Page(path) => {
                let p = &d.pages[d.page_pos(path)?];
                digest(&(&p.meta.title, &p.url, &p.meta.corrections))
            }
            Shown::Home => {
                let h = d.home.as_ref()?;
                digest(&(&h.meta.title, &h.meta.corrections))
            }
            Shown::Tag(slug) => {
                let i = d.tag_pos(slug)?;
                let t = &d.tags[i];
                digest(&(&t.name, &t.url, t.claims.len()))
            }
        })
    }
}

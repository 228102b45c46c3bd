//! Digests of what pages show of each entry, made from the same views the pages render:
//! when an entry's digest changes, the pages that showed it are rendered again.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::shown::{Shown, digest, shown_keys};
use super::views::Views;
use crate::load::config::Settings;
use crate::load::content::EntryKind;
use crate::resolve::model::*;

/// A digest of what pages show of every entry (see [`Shown`]).
pub fn shown_digests(d: &Dossier, settings: &Settings) -> FxHashMap<Shown, u64> {
    digests_of(d, settings, shown_keys(d)).into_iter().collect()
}

/// The digests of the entries `keys` name, leaving out those that do not exist.
pub fn digests_of(d: &Dossier, settings: &Settings, keys: Vec<Shown>) -> Vec<(Shown, u64)> {
    keys.into_par_iter()
        .filter_map(|k| {
            // What changed, not how it reads: English whatever the site's language.
            let v = Views::new(d, settings, crate::render::i18n::Strings::english());
            let digest = v.digest_of(&k)?;
            Some((k, digest))
        })
        .collect()
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

//! What each page showed of other entries, recorded as it renders: the preview renders a
//! page again only when something it showed changed (see `render::digests`).

use std::hash::{Hash, Hasher};

use crate::base::diagnostics::Diagnostic;
use crate::resolve::model::*;

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

/// A digest of a value.
pub fn digest<T: Hash>(value: &T) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

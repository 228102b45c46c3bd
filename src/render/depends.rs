//! What a change reaches besides the pages that showed what changed: the entries next to
//! each entry, whose pages show its relations to them, and the kinds of lists a change
//! of summaries reaches. The preview and the build cache both ask this.

use rustc_hash::FxHashSet;

use super::Shown;
use crate::load::content::EntryKind;
use crate::resolve;
use crate::resolve::model::Dossier;
use crate::resolve::pages::{Kind, Shows, SitePage};

/// Adds to `out` the entry `key` and every entry whose page shows it next to them: a
/// claim's claimants, the claims it disputes or supports, its tags and events; an event's
/// sources; a source's publisher; and the sources and entries an entry's body cites or
/// mentions.
pub fn neighbours(d: &Dossier, key: &Shown, out: &mut FxHashSet<Shown>) {
    let Some(kind) = page_of(d, key) else {
        out.insert(key.clone());
        return;
    };
    let i = kind.item;
    let actor = |a: usize| Shown::Actor(d.actors[a].id.clone());
    let body = match kind.kind {
        Kind::Claim => {
            let c = &d.claims[i];
            out.extend(c.claimants.iter().map(|&a| actor(a)));
            out.extend(
                c.disputes
                    .iter()
                    .chain(&c.supports)
                    .map(|&x| Shown::Claim(d.claims[x].id.clone())),
            );
            out.extend(c.meta.tags.iter().map(|t| Shown::Tag(resolve::tag_slug(t))));
            out.extend(
                c.about
                    .iter()
                    .map(|&e| Shown::Event(d.events[e].id.clone())),
            );
            &c.body
        }
        Kind::Event => {
            let e = &d.events[i];
            out.extend(
                e.sources
                    .iter()
                    .map(|&s| Shown::Source(d.sources[s].id.clone())),
            );
            &e.body
        }
        Kind::Source => {
            let s = &d.sources[i];
            out.extend(s.published_by.map(actor));
            &s.body
        }
        Kind::Actor => &d.actors[i].body,
        Kind::Page => &d.pages[i].body,
        Kind::Home => match &d.home {
            Some(h) => &h.body,
            None => return,
        },
        _ => return,
    };
    out.extend(
        body.references
            .iter()
            .map(|r| Shown::Source(d.sources[r.source].id.clone())),
    );
    out.extend(body.rendered.mentions.iter().filter_map(|id| id_key(d, id)));
    out.insert(key.clone());
}

/// The lists that show summaries of the entries `changed`.
pub fn lists_reached<'a>(changed: impl Iterator<Item = &'a Shown>) -> Shows {
    changed.fold(Shows::NOTHING, |shows, k| {
        shows.and(match k {
            Shown::Claim(_) => Shows::CLAIMS,
            Shown::Source(_) => Shows::SOURCES,
            Shown::Actor(_) => Shows::ACTORS,
            Shown::Tag(_) => Shows::TAGS,
            Shown::Home => Shows::HOME,
            Shown::Event(_) => Shows::EVENTS,
            Shown::Page(_) => Shows::NOTHING,
        })
    })
}

/// The page of an entry in `d`.
pub fn page_of(d: &Dossier, key: &Shown) -> Option<SitePage> {
    let (kind, pos) = match key {
        Shown::Claim(id) => (Kind::Claim, d.index.pos(id, EntryKind::Claim)),
        Shown::Source(id) => (Kind::Source, d.index.pos(id, EntryKind::Source)),
        Shown::Actor(id) => (Kind::Actor, d.index.pos(id, EntryKind::Actor)),
        Shown::Page(path) => (Kind::Page, d.page_pos(path)),
        Shown::Tag(slug) => (Kind::Tag, d.tag_pos(slug)),
        Shown::Home => (Kind::Home, d.home.as_ref().map(|_| 0)),
        Shown::Event(id) => (Kind::Event, d.index.pos(id, EntryKind::Event)),
    };
    pos.map(|i| SitePage::of(kind, i))
}

/// The key of a claim, source, actor or event id.
fn id_key(d: &Dossier, id: &str) -> Option<Shown> {
    let id = id.to_string();
    Some(match d.index.ids.get(&id)?.kind {
        EntryKind::Claim => Shown::Claim(id),
        EntryKind::Source => Shown::Source(id),
        EntryKind::Actor => Shown::Actor(id),
        EntryKind::Event => Shown::Event(id),
    })
}

//! Every relation's other end: disputed by, supported by, cited by, an actor's claims and
//! sources, mentioned in; built whole, or patched after an edit; and the tags.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::changed::Changed;
use crate::load::config::Settings;
use crate::load::content::EntryKind;
use crate::resolve::markdown;
use crate::resolve::model::*;
use crate::resolve::pages::{self, Kind};

pub(super) fn derive_inverses(d: &mut Dossier) {
    // One pass over the claims in index order: each inverse list is built sorted by claim
    // index, so a repeated edge is always the last element and dropping it costs nothing.
    let mut disputed_by = vec![Vec::new(); d.claims.len()];
    let mut supported_by = vec![Vec::new(); d.claims.len()];
    let mut actor_claims = vec![Vec::new(); d.actors.len()];
    let mut cited_by = vec![Vec::new(); d.sources.len()];
    let mut event_claims = vec![Vec::new(); d.events.len()];
    for (ci, c) in d.claims.iter().enumerate() {
        c.disputes
            .iter()
            .for_each(|&t| push_new(&mut disputed_by[t], ci));
        c.supports
            .iter()
            .for_each(|&t| push_new(&mut supported_by[t], ci));
        c.claimants
            .iter()
            .for_each(|&a| push_new(&mut actor_claims[a], ci));
        c.body
            .references
            .iter()
            .for_each(|r| push_new(&mut cited_by[r.source], ci));
        c.about
            .iter()
            .for_each(|&e| push_new(&mut event_claims[e], ci));
    }
    let mut source_events = vec![Vec::new(); d.sources.len()];
    for (ei, e) in d.events.iter().enumerate() {
        e.sources
            .iter()
            .for_each(|&s| push_new(&mut source_events[s], ei));
    }
    let mut actor_sources = vec![Vec::new(); d.actors.len()];
    for (si, s) in d.sources.iter().enumerate() {
        if let Some(a) = s.published_by {
            actor_sources[a].push(si);
        }
    }
    let mut mentioned_in: Vec<Vec<PageRef>> =
        vec![Vec::new(); d.claims.len() + d.sources.len() + d.actors.len() + d.events.len()];
    for (from, body) in bodies_in_order(d) {
        for id in &body.rendered.mentions {
            if let Some(slot) = mention_slot(d, id) {
                mentioned_in[slot].push(from);
            }
        }
    }
    let mut mentioned_in = mentioned_in.into_iter();
    let rank = date_rank(d);
    let by_date = |mut v: Vec<usize>| {
        v.sort_by_key(|&i| rank[i]);
        v
    };
    for (c, (by, sup)) in d
        .claims
        .iter_mut()
        .zip(disputed_by.into_iter().zip(supported_by))
    {
        let c = Arc::make_mut(c);
        c.disputed_by = by_date(by);
        c.supported_by = by_date(sup);
        c.body.mentioned_in = mentioned_in.next().unwrap_or_default();
    }
    for (s, (cited, events)) in d
        .sources
        .iter_mut()
        .zip(cited_by.into_iter().zip(source_events))
    {
        let s = Arc::make_mut(s);
        s.cited_by = by_date(cited);
        s.events = events;
        s.body.mentioned_in = mentioned_in.next().unwrap_or_default();
    }
    for (a, (claims, sources)) in d
        .actors
        .iter_mut()
        .zip(actor_claims.into_iter().zip(actor_sources))
    {
        let a = Arc::make_mut(a);
        a.claims = by_date(claims);
        a.sources = sources;
        a.body.mentioned_in = mentioned_in.next().unwrap_or_default();
    }
    for (e, claims) in d.events.iter_mut().zip(event_claims) {
        let e = Arc::make_mut(e);
        e.claims = by_date(claims);
        e.body.mentioned_in = mentioned_in.next().unwrap_or_default();
    }
}

/// Every body with the page it belongs to, in the order "mentioned in" lists use.
fn bodies_in_order(d: &Dossier) -> impl Iterator<Item = (PageRef, &Body)> {
    d.claims
        .iter()
        .enumerate()
        .map(|(i, c)| (PageRef::Claim(i), &c.body))
        .chain(
            d.sources
                .iter()
                .enumerate()
                .map(|(i, c)| (PageRef::Source(i), &c.body)),
        )
        .chain(
            d.actors
                .iter()
                .enumerate()
                .map(|(i, c)| (PageRef::Actor(i), &c.body)),
        )
        .chain(
            d.events
                .iter()
                .enumerate()
                .map(|(i, c)| (PageRef::Event(i), &c.body)),
        )
        .chain(
            d.pages
                .iter()
                .enumerate()
                .map(|(i, c)| (PageRef::Page(i), &c.body)),
        )
        .chain(d.home.iter().map(|h| (PageRef::Home, &h.body)))
}

/// The place of a page in [`bodies_in_order`].
fn mention_order(r: &PageRef) -> (u8, usize) {
    match *r {
        PageRef::Claim(i) => (0, i),
        PageRef::Source(i) => (1, i),
        PageRef::Actor(i) => (2, i),
        PageRef::Event(i) => (3, i),
        PageRef::Page(i) => (4, i),
        PageRef::Home => (5, 0),
    }
}

/// The slot of a mentioned id among claims, then sources, actors and events.
fn mention_slot(d: &Dossier, id: &str) -> Option<usize> {
    let t = d.index.ids.get(id)?;
    let pos = t.pos?;
    Some(match t.kind {
        EntryKind::Claim => pos,
        EntryKind::Source => d.claims.len() + pos,
        EntryKind::Actor => d.claims.len() + d.sources.len() + pos,
        EntryKind::Event => d.claims.len() + d.sources.len() + d.actors.len() + pos,
    })
}

/// Each claim's place when claims are listed oldest first (ties by id, for a stable order).
fn date_rank(d: &Dossier) -> Vec<usize> {
    let mut rank = vec![0; d.claims.len()];
    for (r, i) in d.claims_by_date().into_iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// Updates the inverse lists that the entries in `changed` appear in, from their old
/// relations (in `prev`) to their new ones (in `d`).
pub(super) fn patch_inverses(d: &mut Dossier, prev: &Dossier, changed: &Changed) {
    let mut resort_claims: FxHashSet<usize> = FxHashSet::default();
    let mut resort_sources: FxHashSet<usize> = FxHashSet::default();
    let mut resort_actors: FxHashSet<usize> = FxHashSet::default();
    let mut resort_events: FxHashSet<usize> = FxHashSet::default();
    for &ci in &changed.claims {
        let (o, n) = (prev.claims[ci].clone(), d.claims[ci].clone());
        for t in union(&o.disputes, &n.disputes) {
            let list = &mut Arc::make_mut(&mut d.claims[t]).disputed_by;
            relink(list, ci, n.disputes.contains(&t));
            resort_claims.insert(t);
        }
        for t in union(&o.supports, &n.supports) {
            let list = &mut Arc::make_mut(&mut d.claims[t]).supported_by;
            relink(list, ci, n.supports.contains(&t));
            resort_claims.insert(t);
        }
        for a in union(&o.claimants, &n.claimants) {
            let list = &mut Arc::make_mut(&mut d.actors[a]).claims;
            relink(list, ci, n.claimants.contains(&a));
            resort_actors.insert(a);
        }
        for e in union(&o.about, &n.about) {
            let list = &mut Arc::make_mut(&mut d.events[e]).claims;
            relink(list, ci, n.about.contains(&e));
            resort_events.insert(e);
        }
        let sources =
            |c: &Claim| -> Vec<usize> { c.body.references.iter().map(|r| r.source).collect() };
        let (os, ns) = (sources(&o), sources(&n));
        for s in union(&os, &ns) {
            let list = &mut Arc::make_mut(&mut d.sources[s]).cited_by;
            relink(list, ci, ns.contains(&s));
            resort_sources.insert(s);
        }
    }
    for &si in &changed.sources {
        let (o, n) = (prev.sources[si].published_by, d.sources[si].published_by);
        for a in o.into_iter().chain(n).collect::<FxHashSet<_>>() {
            let list = &mut Arc::make_mut(&mut d.actors[a]).sources;
            relink(list, si, n == Some(a));
            list.sort_unstable();
        }
    }
    for &ei in &changed.events {
        let (o, n) = (&prev.events[ei].sources, &d.events[ei].sources.clone());
        for s in union(o, n) {
            let list = &mut Arc::make_mut(&mut d.sources[s]).events;
            relink(list, ei, n.contains(&s));
            list.sort_unstable();
        }
    }
    let sorted = |d: &Dossier, v: &[usize]| -> Vec<usize> {
        let mut v = v.to_vec();
        d.sort_claims(&mut v);
        v
    };
    for t in resort_claims {
        let by = sorted(d, &d.claims[t].disputed_by);
        let sup = sorted(d, &d.claims[t].supported_by);
        let c = Arc::make_mut(&mut d.claims[t]);
        c.disputed_by = by;
        c.supported_by = sup;
    }
    for s in resort_sources {
        let cited = sorted(d, &d.sources[s].cited_by);
        Arc::make_mut(&mut d.sources[s]).cited_by = cited;
    }
    for a in resort_actors {
        let claims = sorted(d, &d.actors[a].claims);
        Arc::make_mut(&mut d.actors[a]).claims = claims;
    }
    for e in resort_events {
        let claims = sorted(d, &d.events[e].claims);
        Arc::make_mut(&mut d.events[e]).claims = claims;
    }
    patch_mentions(d, prev, changed);
}

/// Updates the "mentioned in" lists of the entries the changed bodies name, before or
/// after.
fn patch_mentions(d: &mut Dossier, prev: &Dossier, changed: &Changed) {
    let froms: Vec<PageRef> = changed
        .claims
        .iter()
        .map(|&i| PageRef::Claim(i))
        .chain(changed.sources.iter().map(|&i| PageRef::Source(i)))
        .chain(changed.actors.iter().map(|&i| PageRef::Actor(i)))
        .chain(changed.events.iter().map(|&i| PageRef::Event(i)))
        .chain(changed.pages.iter().map(|&i| PageRef::Page(i)))
        .chain(changed.home.then_some(PageRef::Home))
        .collect();
    for from in froms {
        let (o, n) = (mentions_of(prev, from), mentions_of(d, from));
        for id in union(&o, &n) {
            let Some((kind, pos)) = d.index.ids.get(&id).and_then(|t| Some((t.kind, t.pos?)))
            else {
                continue;
            };
            let body = match kind {
                EntryKind::Claim => &mut Arc::make_mut(&mut d.claims[pos]).body,
                EntryKind::Source => &mut Arc::make_mut(&mut d.sources[pos]).body,
                EntryKind::Actor => &mut Arc::make_mut(&mut d.actors[pos]).body,
                EntryKind::Event => &mut Arc::make_mut(&mut d.events[pos]).body,
            };
            body.mentioned_in.retain(|m| *m != from);
            if n.contains(&id) {
                body.mentioned_in.push(from);
                body.mentioned_in.sort_by_key(mention_order);
            }
        }
    }
}

/// The ids a page's body names.
fn mentions_of(d: &Dossier, from: PageRef) -> Vec<String> {
    let body = match from {
        PageRef::Claim(i) => &d.claims[i].body,
        PageRef::Source(i) => &d.sources[i].body,
        PageRef::Actor(i) => &d.actors[i].body,
        PageRef::Event(i) => &d.events[i].body,
        PageRef::Page(i) => &d.pages[i].body,
        PageRef::Home => match &d.home {
            Some(h) => &h.body,
            None => return Vec::new(),
        },
    };
    body.rendered.mentions.clone()
}

/// The distinct elements of two lists.
pub(super) fn union<T: Clone + Eq + std::hash::Hash>(a: &[T], b: &[T]) -> Vec<T> {
    let mut seen = FxHashSet::default();
    a.iter()
        .chain(b)
        .filter(|x| seen.insert(*x))
        .cloned()
        .collect()
}

/// Removes `x` from an inverse list and adds it back if the relation still holds.
fn relink(list: &mut Vec<usize>, x: usize, holds: bool) {
    list.retain(|&y| y != x);
    if holds {
        list.push(x);
    }
}

/// Appends `x` unless it is already the last element.
fn push_new(v: &mut Vec<usize>, x: usize) {
    if v.last() != Some(&x) {
        v.push(x);
    }
}

/// The slug of a tag's page (`/tags/<slug>/`); a tag with no letters or digits is `tag`.
pub fn tag_slug(tag: &str) -> String {
    let slug = markdown::slug(tag);
    if slug.is_empty() { "tag".into() } else { slug }
}

pub(super) fn tags(settings: &Settings, d: &Dossier) -> Vec<Tag> {
    let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, c) in d.claims.iter().enumerate() {
        for t in &c.meta.tags {
            let slug = tag_slug(t);
            let entry = by_slug.entry(slug.clone()).or_insert_with(|| Tag {
                name: t.clone(),
                url: settings.url(&pages::path_of(Kind::Tag, &slug)),
                slug,
                claims: Vec::new(),
            });
            push_new(&mut entry.claims, i);
        }
    }
    by_slug.into_values().collect()
}

//! Which pages the preview renders again after a change: the pages of changed entries and
//! of their neighbours, the pages that showed a changed entry, and the pages whose row of
//! the page table says they show what changed.

use rustc_hash::FxHashSet;
use std::sync::Arc;

use super::live::Good;
use crate::content::EntryKind;
use crate::model::{Body, Dossier};
use crate::pages::{Kind, Shows, SitePage};
use crate::render::Shown;
use crate::resolve;

/// After a patch, the entries whose shown form may differ: those that are no longer the
/// same in memory, and the claims of changed actors (whose names and kinds they show).
pub(super) fn touched_keys(old: &Dossier, d: &Dossier) -> Vec<Shown> {
    let mut keys = Vec::new();
    for (a, b) in old.claims.iter().zip(&d.claims) {
        if !Arc::ptr_eq(a, b) {
            keys.push(Shown::Claim(b.id.clone()));
        }
    }
    for (a, b) in old.sources.iter().zip(&d.sources) {
        if !Arc::ptr_eq(a, b) {
            keys.push(Shown::Source(b.id.clone()));
        }
    }
    for (a, b) in old.actors.iter().zip(&d.actors) {
        if !Arc::ptr_eq(a, b) {
            keys.push(Shown::Actor(b.id.clone()));
            keys.extend(
                a.claims
                    .iter()
                    .chain(&b.claims)
                    .map(|&c| Shown::Claim(d.claims[c].id.clone())),
            );
        }
    }
    for (a, b) in old.pages.iter().zip(&d.pages) {
        if !Arc::ptr_eq(a, b) {
            keys.push(Shown::Page(b.path.clone()));
        }
    }
    for (a, b) in old.events.iter().zip(&d.events) {
        if !Arc::ptr_eq(a, b) {
            keys.push(Shown::Event(b.id.clone()));
        }
    }
    keys.extend(d.home.iter().map(|_| Shown::Home));
    keys.extend(d.tags.iter().map(|t| Shown::Tag(t.slug.clone())));
    keys.extend(old.tags.iter().map(|t| Shown::Tag(t.slug.clone())));
    let unique: FxHashSet<Shown> = keys.into_iter().collect();
    unique.into_iter().collect()
}

/// The pages of the new dossier `d` that may differ from the last good build `g`: pages of
/// entries whose file or body changed and of the entries they point to (before and after
/// the change), pages showing an entry whose summary changed, the lists of each kind of
/// entry whose summaries changed, and pages that are new.
pub(super) fn dirty_pages(
    g: &Good,
    d: &Dossier,
    changed: &FxHashSet<Shown>,
    kinds: &[SitePage],
    paths: &[Arc<str>],
) -> Vec<usize> {
    let old = &g.site.dossier;
    // Entries whose own page must be rendered again, by id (claims, sources, actors),
    // page path, tag slug or the home page.
    let mut touched: FxHashSet<Shown> = FxHashSet::default();
    fn neighbours(d: &Dossier, key: Shown, touched: &mut FxHashSet<Shown>) {
        let Some(kind) = page_of(d, &key) else {
            touched.insert(key);
            return;
        };
        let i = kind.item;
        let body = match kind.kind {
            Kind::Claim => {
                let c = &d.claims[i];
                touched.extend(
                    c.claimants
                        .iter()
                        .map(|&a| Shown::Actor(d.actors[a].id.clone())),
                );
                touched.extend(
                    c.disputes
                        .iter()
                        .chain(&c.supports)
                        .map(|&x| Shown::Claim(d.claims[x].id.clone())),
                );
                touched.extend(c.meta.tags.iter().map(|t| Shown::Tag(resolve::tag_slug(t))));
                touched.extend(
                    c.about
                        .iter()
                        .map(|&e| Shown::Event(d.events[e].id.clone())),
                );
                &c.body
            }
            Kind::Event => {
                let e = &d.events[i];
                touched.extend(
                    e.sources
                        .iter()
                        .map(|&s| Shown::Source(d.sources[s].id.clone())),
                );
                &e.body
            }
            Kind::Source => {
                let s = &d.sources[i];
                touched.extend(s.published_by.map(|a| Shown::Actor(d.actors[a].id.clone())));
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
        touched.extend(
            body.references
                .iter()
                .map(|r| Shown::Source(d.sources[r.source].id.clone())),
        );
        for id in &body.rendered.mentions {
            if let Some(k) = id_key(d, id) {
                touched.insert(k);
            }
        }
        touched.insert(key);
    }
    let mut changed_entries: Vec<Shown> = Vec::new();
    let out = &mut changed_entries;
    changed_in(
        &old.claims,
        &d.claims,
        |c| (&c.id, &c.body),
        Shown::Claim,
        out,
    );
    changed_in(
        &old.sources,
        &d.sources,
        |c| (&c.id, &c.body),
        Shown::Source,
        out,
    );
    changed_in(
        &old.actors,
        &d.actors,
        |c| (&c.id, &c.body),
        Shown::Actor,
        out,
    );
    changed_in(
        &old.events,
        &d.events,
        |c| (&c.id, &c.body),
        Shown::Event,
        out,
    );
    changed_in(
        &old.pages,
        &d.pages,
        |p| (&p.path, &p.body),
        Shown::Page,
        out,
    );
    match (&old.home, &d.home) {
        (Some(a), Some(b)) if same(&a.body, &b.body) => {}
        (None, None) => {}
        _ => out.push(Shown::Home),
    }
    for key in &changed_entries {
        neighbours(d, key.clone(), &mut touched);
        neighbours(old, key.clone(), &mut touched);
    }
    let own: FxHashSet<SitePage> = touched.iter().filter_map(|k| page_of(d, k)).collect();
    // Lists show summaries only; an entry added or removed changes the set of digests.
    let mut shows = Shows::NOTHING;
    for k in changed {
        shows = shows.and(match k {
            Shown::Claim(_) => Shows::CLAIMS,
            Shown::Source(_) => Shows::SOURCES,
            Shown::Actor(_) => Shows::ACTORS,
            Shown::Tag(_) => Shows::TAGS,
            Shown::Home => Shows::HOME,
            Shown::Event(_) => Shows::EVENTS,
            Shown::Page(_) => Shows::NOTHING,
        });
    }
    let relations_changed = old.claims.len() != d.claims.len()
        || old
            .claims
            .iter()
            .zip(&d.claims)
            .any(|(a, b)| a.disputes != b.disputes || a.supports != b.supports);
    if relations_changed {
        shows = shows.and(Shows::RELATIONS);
    }
    if changed_entries
        .iter()
        .any(|k| matches!(k, Shown::Source(_)))
    {
        shows = shows.and(Shows::SOURCE_FILES);
    }
    let page_set_changed =
        paths.len() != g.paths.len() || paths.iter().zip(g.paths.iter()).any(|(a, b)| a != b);
    if page_set_changed {
        shows = shows.and(Shows::PAGE_SET);
    }
    let mut dirty = Vec::new();
    for (i, &kind) in kinds.iter().enumerate() {
        let list = kind.spec().shows.meets(shows);
        let shows_changed = || {
            !changed.is_empty()
                && g.pages
                    .get(&paths[i])
                    .is_some_and(|p| p.shown.iter().any(|s| changed.contains(s)))
        };
        if list || own.contains(&kind) || !g.pages.contains_key(&paths[i]) || shows_changed() {
            dirty.push(i);
        }
    }
    dirty
}

/// Whether a body is the same in two builds: the same file and the same rendering.
fn same(a: &Body, b: &Body) -> bool {
    Arc::ptr_eq(&a.doc, &b.doc) && Arc::ptr_eq(&a.rendered, &b.rendered)
}

/// Adds to `out` the keys of entries added, removed or changed between two lists sorted
/// by id (or path).
fn changed_in<T>(
    old: &[T],
    new: &[T],
    parts: impl Fn(&T) -> (&String, &Body),
    key: impl Fn(String) -> Shown,
    out: &mut Vec<Shown>,
) {
    let (mut i, mut j) = (0, 0);
    loop {
        match (old.get(i).map(&parts), new.get(j).map(&parts)) {
            (Some((a, ab)), Some((b, bb))) => {
                if same(ab, bb) {
                    (i, j) = (i + 1, j + 1);
                    continue;
                }
                match a.cmp(b) {
                    std::cmp::Ordering::Equal => {
                        out.push(key(b.clone()));
                        (i, j) = (i + 1, j + 1);
                    }
                    std::cmp::Ordering::Less => {
                        out.push(key(a.clone()));
                        i += 1;
                    }
                    std::cmp::Ordering::Greater => {
                        out.push(key(b.clone()));
                        j += 1;
                    }
                }
            }
            (Some((a, _)), None) => {
                out.push(key(a.clone()));
                i += 1;
            }
            (None, Some((b, _))) => {
                out.push(key(b.clone()));
                j += 1;
            }
            (None, None) => break,
        }
    }
}

/// The page of an entry in `d`.
fn page_of(d: &Dossier, key: &Shown) -> Option<SitePage> {
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

/// The key of a claim, source or actor id.
fn id_key(d: &Dossier, id: &str) -> Option<Shown> {
    let id = id.to_string();
    Some(match d.index.ids.get(&id)?.kind {
        EntryKind::Claim => Shown::Claim(id),
        EntryKind::Source => Shown::Source(id),
        EntryKind::Actor => Shown::Actor(id),
        EntryKind::Event => Shown::Event(id),
    })
}

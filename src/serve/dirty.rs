//! Which pages the preview renders again after a change: the pages of changed entries and
//! of their neighbours, the pages that showed a changed entry, and the pages whose row of
//! the page table says they show what changed.

use rustc_hash::FxHashSet;
use std::sync::Arc;

use super::good::Good;
use crate::render::{Shown, lists_reached, neighbours, page_of};
use crate::resolve::model::{Body, Dossier};
use crate::resolve::pages::{Shows, SitePage};

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
        neighbours(d, key, &mut touched);
        neighbours(old, key, &mut touched);
    }
    let own: FxHashSet<SitePage> = touched.iter().filter_map(|k| page_of(d, k)).collect();
    // Lists show summaries only; an entry added or removed changes the set of digests.
    let mut shows = lists_reached(changed.iter());
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

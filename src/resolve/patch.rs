//! The preview's fast path: an edit that keeps every id, path and title changes only its
//! own entries and the inverse lists they appear in.

use std::sync::Arc;

use super::changed::{Changed, changed_entries};
use super::inverses::patch_inverses;
use super::{BodyCache, Cx, checks, inverses, snapshots};
use crate::base::diagnostics::Diagnostics;
use crate::load::config::Settings;
use crate::load::content::{Content, Document};
use crate::resolve::model::*;

/// Resolves `content` by changing only what differs from `prev`, the dossier of the last
/// good build from the same settings. Gives up (`None`) unless the same entries exist at
/// the same paths with the same titles, so that the link index is unchanged; the result
/// is then the same as [`resolve_cached`]'s.
pub fn patch(
    settings: &Settings,
    prev: &Dossier,
    mut content: Content,
    diags: &Diagnostics,
    cache: &mut BodyCache,
) -> Result<Dossier, Box<Content>> {
    content.sort();
    // A file that fails to load adds an id the previous index lacks.
    if !content.broken.is_empty() {
        return Err(Box::new(content));
    }
    let Some(changed) = changed_entries(prev, &content) else {
        return Err(Box::new(content));
    };
    if *prev.translations != crate::load::content::translation::translated(&content) {
        return Err(Box::new(content));
    }
    // A snapshot added, removed, changed or chosen differently changes which quotes are
    // verified in claims that did not change: that takes a full resolve.
    let own = Diagnostics::default();
    let attached = snapshots::attach(&content, settings, &own);
    if !same_snapshots(prev, &attached) {
        return Err(Box::new(content));
    }
    own.sorted().into_iter().for_each(|d| diags.push(d));
    let index = prev.index.clone();
    let cx = Cx {
        settings,
        index: &index,
        snapshots: &attached.by_source,
        evidence: &attached.evidence,
        diags,
    };
    let mut d = replace_changed(prev, &content, &changed, &cx, cache);
    patch_inverses(&mut d, prev, &changed);
    checks::check_anchors(&d, diags);
    checks::check_positions(&d, &settings.config.map.positions, diags);
    checks::check_support_in_dispute(&d, diags);
    checks::check_activities(&d, diags);
    checks::check_corrections(&d, diags);
    checks::warnings(&d, true, diags);
    let tags_changed = changed
        .claims
        .iter()
        .any(|&i| prev.claims[i].meta.tags != d.claims[i].meta.tags);
    if tags_changed {
        d.tags = inverses::tags(settings, &d);
    }
    Ok(d)
}

/// The previous dossier with the entries of changed files resolved again, each keeping
/// its inverse lists until `patch_inverses` updates them.
fn replace_changed(
    prev: &Dossier,
    content: &Content,
    changed: &Changed,
    cx: &Cx,
    cache: &mut BodyCache,
) -> Dossier {
    let mut d = prev.clone();
    let docs: Vec<&Arc<Document>> = changed
        .claims
        .iter()
        .map(|&i| &content.claims[i].doc)
        .chain(changed.sources.iter().map(|&i| &content.sources[i].doc))
        .chain(changed.actors.iter().map(|&i| &content.actors[i].doc))
        .chain(changed.events.iter().map(|&i| &content.events[i].doc))
        .chain(changed.pages.iter().map(|&i| &content.pages[i].doc))
        .chain(content.home.iter().filter(|_| changed.home).map(|h| &h.doc))
        .collect();
    let mut bodies = cx.bodies(cache, &docs).into_iter();
    let mut next = || bodies.next().unwrap_or_default();
    for &i in &changed.claims {
        let mut c = cx.claim(content.claims[i].clone(), next());
        let old = &prev.claims[i];
        c.disputed_by = old.disputed_by.clone();
        c.supported_by = old.supported_by.clone();
        c.body.mentioned_in = old.body.mentioned_in.clone();
        d.claims[i] = Arc::new(c);
    }
    for &i in &changed.sources {
        let mut s = cx.source(i, content.sources[i].clone(), next());
        let old = &prev.sources[i];
        s.cited_by = old.cited_by.clone();
        s.events = old.events.clone();
        s.body.mentioned_in = old.body.mentioned_in.clone();
        d.sources[i] = Arc::new(s);
    }
    for &i in &changed.actors {
        let mut a = cx.actor(content.actors[i].clone(), next());
        let old = &prev.actors[i];
        a.claims = old.claims.clone();
        a.sources = old.sources.clone();
        a.body.mentioned_in = old.body.mentioned_in.clone();
        d.actors[i] = Arc::new(a);
    }
    for &i in &changed.events {
        let mut e = cx.event(content.events[i].clone(), next());
        let old = &prev.events[i];
        e.claims = old.claims.clone();
        e.body.mentioned_in = old.body.mentioned_in.clone();
        d.events[i] = Arc::new(e);
    }
    for &i in &changed.pages {
        d.pages[i] = Arc::new(cx.page(content.pages[i].clone(), next()));
    }
    if changed.home
        && let Some(h) = &content.home
    {
        d.home = Some(cx.home(h.clone(), next()));
    }
    d
}

/// Whether every source has the same snapshot and evidence as before.
fn same_snapshots(prev: &Dossier, attached: &snapshots::Attached) -> bool {
    prev.sources
        .iter()
        .zip(attached.by_source.iter().zip(&attached.evidence))
        .all(|(s, (a, e))| {
            s.evidence == *e
                && match (&s.snapshot, a) {
                    (None, None) => true,
                    (Some(x), Some(y)) => Arc::ptr_eq(x, y),
                    _ => false,
                }
        })
}

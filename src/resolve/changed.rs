//! Which entries an edit changed: the preview patches the last good dossier when the
//! link index stays the same.

use std::sync::Arc;

use crate::load::content::{Content, Document, Item};
use crate::resolve::model::*;

/// Positions of the entries whose file changed, by kind.
#[derive(Default)]
pub(super) struct Changed {
    pub(super) claims: Vec<usize>,
    pub(super) sources: Vec<usize>,
    pub(super) actors: Vec<usize>,
    pub(super) events: Vec<usize>,
    pub(super) pages: Vec<usize>,
    pub(super) home: bool,
}

/// Which entries of `content` differ from `prev`, if the link index stays the same: the
/// same ids and page paths, titles and drafts, and the same other files.
pub(super) fn changed_entries(prev: &Dossier, content: &Content) -> Option<Changed> {
    let mut changed = Changed::default();
    same_entries(
        &prev.claims,
        &content.claims,
        |c| (&c.id, &c.meta.title, &c.body.doc),
        &mut changed.claims,
    )?;
    same_entries(
        &prev.sources,
        &content.sources,
        |c| (&c.id, &c.meta.title, &c.body.doc),
        &mut changed.sources,
    )?;
    same_entries(
        &prev.actors,
        &content.actors,
        |c| (&c.id, &c.meta.title, &c.body.doc),
        &mut changed.actors,
    )?;
    same_entries(
        &prev.events,
        &content.events,
        |c| (&c.id, &c.meta.title, &c.body.doc),
        &mut changed.events,
    )?;
    same_entries(
        &prev.pages,
        &content.pages,
        |p| (&p.path, &p.meta.title, &p.body.doc),
        &mut changed.pages,
    )?;
    match (&prev.home, &content.home) {
        (None, None) => {}
        (Some(a), Some(b)) => changed.home = !Arc::ptr_eq(&a.body.doc, &b.doc),
        _ => return None,
    }
    let same_assets = prev.assets.len() == content.assets.len()
        && prev.assets.iter().zip(&content.assets).all(|(a, b)| {
            a.content_path == b.content_path
                && match (&a.text, &b.text) {
                    (Some(x), Some(y)) => Arc::ptr_eq(x, y),
                    (x, y) => x.is_none() && y.is_none(),
                }
        });
    let drafts: Vec<&String> = {
        let mut v: Vec<&String> = prev.index.drafts.iter().collect();
        v.sort();
        v
    };
    let same_drafts = drafts.len() == content.drafts.len()
        && drafts.iter().zip(&content.drafts).all(|(a, b)| *a == b);
    (same_assets && same_drafts).then_some(changed)
}

/// Checks that `items` are the entries of `prev` (same ids, same titles) and collects the
/// positions of those whose file changed.
fn same_entries<E, M: HasTitle>(
    prev: &[Arc<E>],
    items: &[Item<M>],
    parts: impl Fn(&E) -> (&String, &String, &Arc<Document>),
    out: &mut Vec<usize>,
) -> Option<()> {
    if prev.len() != items.len() {
        return None;
    }
    for (i, (e, item)) in prev.iter().zip(items).enumerate() {
        let (id, title, doc) = parts(e);
        if Arc::ptr_eq(doc, &item.doc) {
            continue;
        }
        if *id != item.id || title != item.meta.title() {
            return None;
        }
        out.push(i);
    }
    Some(())
}

/// Front matter with a title.
trait HasTitle {
    fn title(&self) -> &String;
}

macro_rules! has_title {
    ($($t:ty),*) => {
        $(impl HasTitle for $t {
            fn title(&self) -> &String {
                &self.title
            }
        })*
    };
}
has_title!(
    crate::load::content::meta::EventMeta,
    crate::load::content::meta::ClaimMeta,
    crate::load::content::meta::SourceMeta,
    crate::load::content::meta::ActorMeta,
    crate::load::content::meta::PageMeta
);

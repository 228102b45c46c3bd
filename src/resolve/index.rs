//! Building the link index from loaded content.

use rustc_hash::FxHashMap;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Settings;
use crate::load::content::{Content, EntryKind};
use crate::resolve::links::{LinkIndex, Target};
use crate::resolve::pages::{self, Kind};

/// The link index of `content`: every id, page path and file but those `withheld` (kept
/// as evidence), reporting duplicate ids and page paths taken twice.
pub(super) fn link_index(
    settings: &Settings,
    content: &Content,
    withheld: &HashSet<String>,
    diags: &Diagnostics,
) -> LinkIndex {
    let mut index = LinkIndex {
        drafts: content.drafts.iter().cloned().collect(),
        withheld: withheld.iter().cloned().collect(),
        ..LinkIndex::default()
    };
    let n =
        content.claims.len() + content.sources.len() + content.actors.len() + content.events.len();
    index.ids.reserve(n);
    index
        .files
        .reserve(n + content.pages.len() + content.assets.len() + 1);
    let mut seen: FxHashMap<&str, &str> = FxHashMap::default();
    seen.reserve(n);
    let entries = content
        .claims
        .iter()
        .enumerate()
        .map(|(i, c)| (EntryKind::Claim, i, &c.id, &c.meta.title, &c.doc))
        .chain(
            content
                .sources
                .iter()
                .enumerate()
                .map(|(i, c)| (EntryKind::Source, i, &c.id, &c.meta.title, &c.doc)),
        )
        .chain(
            content
                .actors
                .iter()
                .enumerate()
                .map(|(i, c)| (EntryKind::Actor, i, &c.id, &c.meta.title, &c.doc)),
        )
        .chain(
            content
                .events
                .iter()
                .enumerate()
                .map(|(i, c)| (EntryKind::Event, i, &c.id, &c.meta.title, &c.doc)),
        );
    for (kind, pos, id, title, doc) in entries {
        if let Some(first) = seen.insert(id, &doc.file) {
            seen.insert(id, first);
            diags.push(Diagnostic::error(&doc.file, 1, 1, format!("duplicate id `{id}`: {first} has it already; ids are unique across claims, sources, actors and events")));
            index.duplicates.insert(id.to_string());
            continue;
        }
        let url = settings.url(&pages::entry_path(kind, id));
        index.files.insert(doc.content_path.clone(), url.clone());
        index.ids.insert(
            id.to_string(),
            Target {
                kind,
                pos: Some(pos),
                title: title.to_string(),
                url,
            },
        );
    }
    add_broken(&mut index, settings, content);
    add_pages_and_files(&mut index, settings, content, withheld, diags);
    index.digest = index_digest(&index, content);
    index
}

/// Entries that failed to load still exist: references to them are not reported again.
fn add_broken(index: &mut LinkIndex, settings: &Settings, content: &Content) {
    for b in &content.broken {
        let url = match b.kind {
            Some(kind) => settings.url(&pages::entry_path(kind, &b.id)),
            None if b.id.is_empty() => settings.url(""),
            None => settings.url(&pages::path_of(Kind::Page, &b.id)),
        };
        if let Some(kind) = b.kind
            && !index.ids.contains_key(&b.id)
        {
            let target = Target {
                kind,
                pos: None,
                title: b.id.clone(),
                url: url.clone(),
            };
            index.ids.insert(b.id.clone(), target);
        }
        index.files.insert(b.content_path.clone(), url);
    }
}

/// The pages, the home page and the published assets, each by its file.
fn add_pages_and_files(
    index: &mut LinkIndex,
    settings: &Settings,
    content: &Content,
    withheld: &HashSet<String>,
    diags: &Diagnostics,
) {
    let mut page_paths: FxHashMap<&str, &str> = FxHashMap::default();
    for p in &content.pages {
        if let Some(first) = page_paths.insert(&p.id, &p.doc.file) {
            diags.push(Diagnostic::error(
                &p.doc.file,
                1,
                1,
                format!("page path `/{}/` is taken by {first} already", p.id),
            ));
        }
        index.files.insert(
            p.doc.content_path.clone(),
            settings.url(&pages::path_of(Kind::Page, &p.id)),
        );
    }
    if let Some(h) = &content.home {
        index
            .files
            .insert(h.doc.content_path.clone(), settings.url(""));
    }
    for a in content
        .assets
        .iter()
        .filter(|a| !withheld.contains(&a.content_path))
    {
        index
            .files
            .insert(a.content_path.clone(), settings.root_url(&a.content_path));
    }
}

/// A digest of everything in the index, visited in content order.
pub(super) fn index_digest(index: &LinkIndex, content: &Content) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    let paths = content
        .claims
        .iter()
        .map(|c| &c.doc.content_path)
        .chain(content.sources.iter().map(|c| &c.doc.content_path))
        .chain(content.actors.iter().map(|c| &c.doc.content_path))
        .chain(content.events.iter().map(|c| &c.doc.content_path))
        .chain(content.pages.iter().map(|c| &c.doc.content_path))
        .chain(content.home.iter().map(|c| &c.doc.content_path))
        .chain(content.assets.iter().map(|a| &a.content_path));
    for path in paths {
        (path, index.files.get(path)).hash(&mut h);
    }
    let ids = content
        .claims
        .iter()
        .map(|c| &c.id)
        .chain(content.sources.iter().map(|c| &c.id))
        .chain(content.actors.iter().map(|c| &c.id))
        .chain(content.events.iter().map(|c| &c.id));
    for id in ids {
        if let Some(t) = index.ids.get(id) {
            (id, t.kind.name(), &t.title, &t.url).hash(&mut h);
        }
    }
    for b in &content.broken {
        (&b.content_path, index.files.get(&b.content_path)).hash(&mut h);
    }
    let mut duplicates: Vec<&String> = index.duplicates.iter().collect();
    duplicates.sort();
    duplicates.hash(&mut h);
    content.drafts.hash(&mut h);
    h.finish()
}

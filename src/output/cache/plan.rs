//! Which pages a build renders again. A build leaves a footprint of one language of its
//! site: a digest of what every page depends on (settings, templates, interface strings,
//! the site as a whole), and for each entry a digest of its files and rendered body, a
//! digest of what other pages show of it and the entries next to it; and for each page
//! the entries it showed and its file's stamp. The next build compares its own survey
//! with that footprint and renders again the pages the preview would after the same
//! change (see [`crate::render::neighbours`]): the pages of changed entries and of their
//! neighbours before and after, the pages that showed a changed entry, the lists a change
//! reaches, and pages that are new. Every other page keeps its file, while the file still
//! has its stamp.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::load::config::Settings;
use crate::output::Stamp;
use crate::render::templates::Theme;
use crate::render::{self, Shown};
use crate::resolve::model::Dossier;
use crate::resolve::pages::{Kind, Shows, SitePage};

/// What a build leaves of one language of its site for the next build.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct Footprint {
    /// What every page depends on.
    env: u64,
    /// Whether every interface string the pages asked for was translated: otherwise the
    /// next build renders every page, so that it warns of the same strings.
    complete: bool,
    entries: FxHashMap<Shown, Entry>,
    /// The claims' disputes and supports.
    relations: u64,
    /// Every page's file, in the order of the page table.
    paths: Vec<String>,
    pages: FxHashMap<String, Page>,
    /// The files of the search index and their stamps.
    search: Vec<(String, Stamp)>,
}

/// One entry of a footprint.
#[derive(Serialize, Deserialize)]
struct Entry {
    /// Its files and the link-index answers its body was rendered with.
    identity: u64,
    /// What other pages show of it.
    shown: u64,
    /// The entries whose pages show it next to them.
    neighbours: Vec<Shown>,
}

/// One page of a footprint.
#[derive(Clone, Serialize, Deserialize)]
pub struct Page {
    /// The entries it showed.
    pub shown: Vec<Shown>,
    /// Its file's stamp as the build left it.
    pub stamp: Stamp,
}

impl Footprint {
    /// This build's view of one language of a site before rendering: everything but its
    /// pages, whose files are `paths`. What every page depends on besides the entries is
    /// the settings, the theme (its digest) and the site-wide view (`site_digest`).
    pub(crate) fn survey(
        d: &Dossier,
        settings: &Settings,
        theme: &Theme,
        site_digest: u64,
        paths: Vec<String>,
    ) -> Footprint {
        let env = render::digest(&(settings_text(settings), theme.digest, site_digest));
        let keys = render::shown_keys(d);
        let shown: FxHashMap<Shown, u64> = render::shown_digests(d, settings);
        let entries = keys
            .into_par_iter()
            .map(|k| {
                let mut around = FxHashSet::default();
                render::neighbours(d, &k, &mut around);
                let neighbours: Vec<Shown> = around.into_iter().collect();
                let shown = shown.get(&k).copied().unwrap_or_default();
                let entry = Entry {
                    identity: identity(d, &k),
                    shown,
                    neighbours,
                };
                (k, entry)
            })
            .collect();
        let relations: Vec<(&Vec<usize>, &Vec<usize>)> = d
            .claims
            .iter()
            .map(|c| (&c.disputes, &c.supports))
            .collect();
        Footprint {
            env,
            complete: false,
            entries,
            relations: render::digest(&relations),
            paths,
            pages: FxHashMap::default(),
            search: Vec::new(),
        }
    }

    /// What changed since the build that left the footprint `old`, or `None` when every
    /// page must be rendered again (no footprint, another environment, or strings left
    /// untranslated).
    pub fn change<'a>(&self, old: Option<&'a Footprint>, d: &Dossier) -> Option<Change<'a>> {
        let old = old.filter(|o| o.complete && o.env == self.env)?;
        let keys: Vec<&Shown> = self
            .entries
            .keys()
            .chain(
                old.entries
                    .keys()
                    .filter(|k| !self.entries.contains_key(*k)),
            )
            .collect();
        let pair = |k: &Shown| (self.entries.get(k), old.entries.get(k));
        let differs = |k: &Shown, f: fn(&Entry) -> u64| {
            let (a, b) = pair(k);
            a.map(f) != b.map(f)
        };
        let changed: FxHashSet<Shown> = keys
            .iter()
            .filter(|k| differs(k, |e| e.shown))
            .map(|&k| k.clone())
            .collect();
        let edited: Vec<&Shown> = keys
            .iter()
            .copied()
            .filter(|k| differs(k, |e| e.identity))
            .collect();
        let mut touched: FxHashSet<Shown> = FxHashSet::default();
        for &k in &edited {
            let (a, b) = pair(k);
            touched.extend(
                a.into_iter()
                    .chain(b)
                    .flat_map(|e| e.neighbours.iter().cloned()),
            );
            touched.insert(k.clone());
        }
        let mut shows = render::lists_reached(changed.iter());
        if old.relations != self.relations {
            shows = shows.and(Shows::RELATIONS);
        }
        if edited.iter().any(|k| matches!(k, Shown::Source(_))) {
            shows = shows.and(Shows::SOURCE_FILES);
        }
        if old.paths != self.paths {
            shows = shows.and(Shows::PAGE_SET);
        }
        Some(Change {
            old,
            own: touched
                .iter()
                .filter_map(|k| render::page_of(d, k))
                .collect(),
            touched,
            changed,
            shows,
        })
    }

    /// Records whether every interface string asked for was translated.
    pub(crate) fn set_complete(&mut self, complete: bool) {
        self.complete = complete;
    }

    /// The files of the search index the build wrote, and their stamps.
    pub fn search(&self) -> &[(String, Stamp)] {
        &self.search
    }

    /// Records the files of the search index written (or kept) by this build.
    pub(crate) fn set_search(&mut self, files: Vec<(String, Stamp)>) {
        self.search = files;
    }

    /// Records a page written (or kept) by this build.
    pub fn record(&mut self, path: String, page: Page) {
        self.pages.insert(path, page);
    }
}

/// What changed between the previous build's footprint and this build's survey.
pub(crate) struct Change<'a> {
    old: &'a Footprint,
    /// Entries whose summaries (what other pages show of them) changed.
    changed: FxHashSet<Shown>,
    /// Entries whose files or rendered bodies changed, and their neighbours before and
    /// after.
    touched: FxHashSet<Shown>,
    /// The pages of those.
    own: FxHashSet<SitePage>,
    /// The lists that changed summaries reach.
    shows: Shows,
}

impl<'a> Change<'a> {
    /// Whether nothing changed at all: no entry, no summary, no list, no page.
    pub(crate) fn is_nothing(&self) -> bool {
        self.touched.is_empty() && self.changed.is_empty() && !self.shows.meets(Shows::ALL)
    }

    /// For each of the pages `kinds`, written to `paths`, its record in the previous
    /// footprint if its file may be kept: it is not the page of a touched entry, no list
    /// it is reaches changed, and no entry it showed changed.
    pub fn pages(&self, kinds: &[SitePage], paths: &[String]) -> Vec<Option<&'a Page>> {
        kinds
            .iter()
            .zip(paths)
            .map(|(&kind, path)| {
                let page = self.old.pages.get(path)?;
                let again = kind.spec().shows.meets(self.shows)
                    || self.own.contains(&kind)
                    || page.shown.iter().any(|s| self.changed.contains(s));
                (!again).then_some(page)
            })
            .collect()
    }

    /// For each of the large pages `kinds` of `d`, written to `paths`, its record in the
    /// previous footprint if its file may be kept. A part of the print edition is kept
    /// when no summary changed, no list was reached, and it holds no touched entry (the
    /// introduction is in the first part, the actors in the last); a whole-dossier file,
    /// only when nothing changed at all.
    pub fn large(
        &self,
        d: &Dossier,
        kinds: &[SitePage],
        paths: &[String],
    ) -> Vec<Option<&'a Page>> {
        let quiet = self.changed.is_empty() && !self.shows.meets(Shows::ALL);
        let parts = (quiet && !self.touched.is_empty()).then(|| self.print_parts_touched(d));
        kinds
            .iter()
            .zip(paths)
            .map(|(&kind, path)| {
                let page = self.old.pages.get(path)?;
                let part = match kind.kind {
                    Kind::Print => Some(0),
                    Kind::PrintPart => Some(kind.item + 1),
                    _ => None,
                };
                let keep = match (&parts, part) {
                    _ if !quiet => false,
                    (Some(touched), Some(k)) => !touched.contains(&k),
                    (Some(_), None) => false,
                    (None, _) => true,
                };
                keep.then_some(page)
            })
            .collect()
    }

    /// The parts of the print edition that hold a touched entry.
    fn print_parts_touched(&self, d: &Dossier) -> FxHashSet<usize> {
        let parts = crate::resolve::pages::print_parts(d);
        let mut reading = vec![0; d.claims.len()];
        for (k, &i) in d.claims_by_date().iter().enumerate() {
            reading[i] = k;
        }
        let holding =
            |f: &dyn Fn(&crate::resolve::pages::PrintPart) -> bool| parts.iter().position(f);
        self.touched
            .iter()
            .filter_map(|key| match (key, render::page_of(d, key)) {
                (Shown::Claim(_), Some(p)) => {
                    holding(&|part| part.claims.contains(&reading[p.item]))
                }
                (Shown::Source(_), Some(p)) => holding(&|part| part.sources.contains(&p.item)),
                (Shown::Home, _) => Some(0),
                (Shown::Actor(_), _) => parts.len().checked_sub(1),
                _ => None,
            })
            .collect()
    }
}

/// The settings as text, for a digest: all of them but the time-stamping authorities'
/// certificates, whose record of the certificates proven so far changes as a build runs
/// (what they prove is in each source's digest).
fn settings_text(s: &Settings) -> String {
    let fields = (
        (&s.root, &s.config, &s.base_url, &s.base_path, &s.output_dir),
        (s.drafts, &s.root_path, &s.site_url, &s.edition),
        (&s.original_language, s.languages()),
    );
    format!("{fields:?}")
}

/// A digest of an entry's files (a translation's and its original's) and of the answers
/// its body's rendering was given; what else its page shows comes from its neighbours.
fn identity(d: &Dossier, key: &Shown) -> u64 {
    let Some(page) = render::page_of(d, key) else {
        return 0;
    };
    let body = match key {
        Shown::Claim(_) => &d.claims[page.item].body,
        Shown::Source(_) => &d.sources[page.item].body,
        Shown::Actor(_) => &d.actors[page.item].body,
        Shown::Event(_) => &d.events[page.item].body,
        Shown::Page(_) => &d.pages[page.item].body,
        Shown::Home => match &d.home {
            Some(h) => &h.body,
            None => return 0,
        },
        Shown::Tag(_) => return 0,
    };
    let mut h = std::hash::DefaultHasher::new();
    body.doc.hash(&mut h);
    for q in &body.rendered.lookups {
        d.index.answer(q).hash(&mut h);
    }
    h.finish()
}

//! The preview's engine: the site, kept in memory and brought up to date after each change: only the
//! files that changed are read again, only the bodies whose text or links changed are
//! rendered again, and only the pages that show something that changed are rendered again.

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::dirty::{dirty_pages, touched_keys};
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::build::Site;
use crate::load::config::{Overrides, Settings};
use crate::load::content;
use crate::render::templates::Theme;
use crate::render::{self, Renderer, Shown, SiteFile};
use crate::resolve::pages::{self, SitePage};
use crate::resolve::{self, BodyCache};

use super::good::{Good, PageOut};
pub use super::served::{Served, ServedSite};

/// What changed on disk since the last build.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Files under `content/` that changed, appeared or disappeared.
    pub content: std::collections::HashSet<PathBuf>,
    /// `site.toml` changed.
    pub config: bool,
    /// A template or a translation table changed (site `templates/` or `i18n/`, or a
    /// theme's).
    pub templates: bool,
    /// A static file changed (site `static/` or a theme's).
    pub statics: bool,
    /// Every changed static file is a stylesheet, so pages need not reload.
    pub css_only: bool,
}

impl Changes {
    /// Everything, as for a first build.
    pub fn everything() -> Changes {
        Changes {
            config: true,
            templates: true,
            statics: true,
            ..Changes::default()
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.config && !self.templates && !self.statics
    }
}

/// What one build did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every error and warning, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    pub ok: bool,
    /// Pages rendered in this build.
    pub rendered: usize,
    /// Pages whose bytes changed (new pages included).
    pub changed: usize,
    /// Pages that no longer exist.
    pub removed: usize,
    /// Only stylesheets changed: open pages may swap styles instead of reloading.
    pub css_only: bool,
    pub elapsed: Duration,
}

/// New digests: all of them, or changes to the previous ones (`None`: entry gone).
enum Digests {
    All(FxHashMap<Shown, u64>),
    Updates(Vec<(Shown, Option<u64>)>),
}

/// A site kept in memory between builds.
pub struct Live {
    root: PathBuf,
    overrides: Overrides,
    files: content::Cache,
    bodies: BodyCache,
    good: Option<Good>,
    /// Whether the last build succeeded, so that the content on disk is the good build's.
    last_ok: bool,
    served: Option<Arc<ServedSite>>,
    /// For a translated edition, its language tag.
    edition: Option<String>,
    /// For a translated edition, its last content, whose merged entries are kept while
    /// their files stay the same.
    merged: Option<content::Content>,
    /// The translated editions of `[languages]`, each kept like the original.
    editions: Vec<Live>,
}

impl Live {
    /// A site at `root`, not built yet.
    pub fn new(root: PathBuf, overrides: Overrides) -> Self {
        Live {
            root,
            overrides,
            files: content::Cache::default(),
            bodies: BodyCache::default(),
            good: None,
            last_ok: false,
            served: None,
            edition: None,
            merged: None,
            editions: Vec::new(),
        }
    }

    /// The files of the last good build, if there was one.
    pub fn served(&self) -> Option<Arc<ServedSite>> {
        self.served.clone()
    }

    /// Brings the site up to date after `changes` (everything, on the first call). After a
    /// failed build the last good site stays as it was.
    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        let started = Instant::now();
        let diags = Diagnostics::default();
        let mut outcome = Outcome {
            diagnostics: Vec::new(),
            ok: false,
            rendered: 0,
            changed: 0,
            removed: 0,
            css_only: false,
            elapsed: Duration::ZERO,
        };
        let result = self.update(changes, &diags, &mut outcome);
        let mut ok = result.is_some() && !diags.has_errors();
        self.last_ok = ok;
        ok &= self.rebuild_editions(changes, &diags, &mut outcome);
        self.publish();
        outcome.ok = ok;
        outcome.diagnostics = diags.sorted();
        outcome.elapsed = started.elapsed();
        outcome
    }

    /// Brings each translated edition up to date after the original (editions added or
    /// removed in `site.toml` are made or dropped); whether all of them succeeded.
    fn rebuild_editions(
        &mut self,
        changes: &Changes,
        diags: &Diagnostics,
        outcome: &mut Outcome,
    ) -> bool {
        let tags: Vec<String> = self
            .good
            .as_ref()
            .map(|g| g.site.settings.config.languages.keys().cloned().collect())
            .unwrap_or_default();
        let same = self.editions.len() == tags.len()
            && self
                .editions
                .iter()
                .zip(&tags)
                .all(|(e, t)| e.edition.as_ref() == Some(t));
        if !same {
            self.editions = tags
                .iter()
                .map(|t| Live {
                    edition: Some(t.clone()),
                    ..Live::new(self.root.clone(), self.overrides.clone())
                })
                .collect();
        }
        let mut ok = true;
        for e in &mut self.editions {
            let tag = e.edition.clone().unwrap_or_default();
            let fresh = if same {
                changes.clone()
            } else {
                Changes::everything()
            };
            let own = Diagnostics::default();
            let mut o = Outcome::default();
            let done = e.update(&fresh, &own, &mut o).is_some() && !own.has_errors();
            e.last_ok = done;
            ok &= done;
            e.publish();
            crate::build::keep_edition_diagnostics(&own, &tag, diags);
            outcome.rendered += o.rendered;
            outcome.changed += o.changed;
            outcome.removed += o.removed;
        }
        ok
    }

    fn update(
        &mut self,
        changes: &Changes,
        diags: &Diagnostics,
        outcome: &mut Outcome,
    ) -> Option<()> {
        let prev = self.good.as_ref();
        let fresh_settings = prev.is_none() || changes.config;
        let settings = match prev {
            Some(g) if !fresh_settings => g.site.settings.clone(),
            _ => {
                let s = Settings::load(&self.root, &self.overrides)
                    .map_err(|e| e.into_iter().for_each(|d| diags.push(d)))
                    .ok()?;
                match &self.edition {
                    Some(tag) => s.edition(tag),
                    None => s,
                }
            }
        };
        let theme = match prev {
            Some(g) if !(fresh_settings || changes.templates || changes.statics) => {
                g.site.theme.clone()
            }
            _ => Arc::new(
                Theme::load(&settings)
                    .map_err(|e| e.into_iter().for_each(|d| diags.push(d)))
                    .ok()?,
            ),
        };
        if let Some(g) = prev
            && self.last_ok
            && !fresh_settings
            && !changes.templates
            && changes.content.is_empty()
        {
            // Only static files changed since a good build: the pages stay, the file list
            // is read again, and the content's warnings stand.
            g.warnings.iter().for_each(|w| diags.push(w.clone()));
            let statics = &theme.static_files;
            resolve::collisions(&g.site.dossier, |p| statics.contains_key(p), diags);
            if diags.has_errors() {
                return None;
            }
            let site = Arc::new(Site {
                settings,
                dossier: g.site.dossier.clone(),
                theme,
            });
            outcome.css_only = changes.css_only;
            if let Some(g) = &mut self.good {
                g.site = site.clone();
            }
            return Some(());
        }
        let content = content::load_cached(
            &settings,
            diags,
            &mut self.files,
            // After a change of settings every file is looked at; otherwise only those the
            // watcher named.
            (!fresh_settings).then_some(&changes.content),
        );
        let content = match &self.edition {
            Some(tag) => {
                let merged =
                    content::translation::edition(&content, tag, diags, self.merged.as_ref());
                self.merged = Some(merged.clone());
                merged
            }
            None => {
                content::translation::check(&content, diags);
                content
            }
        };
        // An edit that keeps every id, path and title changes only its own entries.
        let patched = match prev {
            Some(g) if !fresh_settings => {
                resolve::patch(&settings, &g.site.dossier, content, diags, &mut self.bodies)
            }
            _ => Err(Box::new(content)),
        };
        let (dossier, patched) = match patched {
            Ok(d) => (d, true),
            Err(content) => (
                resolve::resolve_cached(&settings, *content, diags, &mut self.bodies),
                false,
            ),
        };
        resolve::collisions(&dossier, |p| theme.static_files.contains_key(p), diags);
        if self.edition.is_none() {
            let tags: Vec<String> = settings.config.languages.keys().cloned().collect();
            resolve::edition_folders(&dossier, &tags, diags);
        }
        if diags.has_errors() {
            return None;
        }
        let site = Arc::new(Site {
            settings,
            dossier,
            theme,
        });
        let d = &site.dossier;
        let renderer = Renderer::new(d, &site.theme, &site.settings);
        let site_digest = renderer.site_digest();

        // What other pages show of each entry: after a patch only the entries it touched
        // (and the claims of touched actors) can differ.
        let (digests, changed): (Digests, FxHashSet<Shown>) = match prev {
            Some(g) if patched => {
                let keys = touched_keys(&g.site.dossier, d);
                let mut fresh: FxHashMap<Shown, u64> =
                    render::digests_of(d, &site.settings, keys.clone())
                        .into_iter()
                        .collect();
                let updates: Vec<(Shown, Option<u64>)> = keys
                    .into_iter()
                    .map(|k| {
                        let v = fresh.remove(&k);
                        (k, v)
                    })
                    .filter(|(k, v)| g.digests.get(k).copied() != *v)
                    .collect();
                let changed = updates.iter().map(|(k, _)| k.clone()).collect();
                (Digests::Updates(updates), changed)
            }
            _ => {
                let all = render::shown_digests(d, &site.settings);
                let changed = match prev {
                    Some(g) => all
                        .iter()
                        .filter(|(k, v)| g.digests.get(*k) != Some(*v))
                        .map(|(k, _)| k.clone())
                        .chain(g.digests.keys().filter(|k| !all.contains_key(*k)).cloned())
                        .collect(),
                    None => FxHashSet::default(),
                };
                (Digests::All(all), changed)
            }
        };
        let same_pages = prev.is_some_and(|g| {
            patched
                && g.site.dossier.tags.len() == d.tags.len()
                && g.site
                    .dossier
                    .tags
                    .iter()
                    .zip(&d.tags)
                    .all(|(a, b)| a.slug == b.slug)
        });
        let (kinds, paths) = match prev {
            Some(g) if same_pages => (g.kinds.clone(), g.paths.clone()),
            _ => {
                let kinds: Vec<SitePage> = pages::pages_of(d, self.edition.is_some())
                    .into_iter()
                    .filter(|k| !k.spec().large)
                    .collect();
                let paths = kinds
                    .iter()
                    .map(|&k| Arc::from(pages::output_path(k, d)))
                    .collect();
                (Arc::new(kinds), Arc::new(paths))
            }
        };
        let full = match prev {
            None => true,
            Some(g) => fresh_settings || changes.templates || g.site_digest != site_digest,
        };
        let todo: Vec<usize> = match prev {
            Some(g) if !full => dirty_pages(g, d, &changed, &kinds, &paths),
            _ => (0..kinds.len()).collect(),
        };
        let results: Vec<(usize, render::Recorded)> = todo
            .par_iter()
            .map(|&i| (i, renderer.render_recorded(kinds[i])))
            .collect();
        drop(renderer);
        let mut fresh = Vec::with_capacity(results.len());
        for (i, r) in results {
            match r {
                Ok((bytes, shown)) => fresh.push((
                    paths[i].clone(),
                    PageOut {
                        bytes: bytes.into(),
                        shown,
                    },
                )),
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            return None;
        }
        outcome.rendered = fresh.len();

        let old = self.good.take();
        let (mut pages, mut old_digests, leftovers) = match old {
            Some(g) => (g.pages, g.digests, Some(g.site)),
            None => (Arc::default(), FxHashMap::default(), None),
        };
        // Freeing the previous build's model takes a while; it need not delay this one.
        std::thread::spawn(move || drop(leftovers));
        let map = Arc::make_mut(&mut pages);
        if !same_pages {
            let live: FxHashSet<&str> = paths.iter().map(|p| &**p).collect();
            let before = map.len();
            map.retain(|p, _| live.contains(&**p));
            outcome.removed = before - map.len();
        }
        for (path, page) in fresh {
            let same = map.get(&path).is_some_and(|old| old.bytes == page.bytes);
            if !same {
                outcome.changed += 1;
            }
            map.insert(path, Arc::new(page));
        }
        let digests = match digests {
            Digests::All(all) => all,
            Digests::Updates(updates) => {
                for (k, v) in updates {
                    match v {
                        Some(v) => old_digests.insert(k, v),
                        None => old_digests.remove(&k),
                    };
                }
                old_digests
            }
        };
        self.good = Some(Good {
            site,
            warnings: diags.sorted(),
            site_digest,
            digests,
            kinds,
            paths,
            pages,
        });
        Some(())
    }

    /// Makes the last good build what the server sees.
    fn publish(&mut self) {
        let Some(g) = &self.good else { return };
        let site = g.site.clone();
        let own_files = match self.edition {
            Some(_) => render::redirect_pages(&site.dossier, &site.settings),
            None => render::other_files(&site.dossier, &site.theme, &site.settings),
        };
        let mut files: FxHashMap<String, Served> = own_files
            .into_iter()
            .map(|(rel, file)| {
                let served = match file {
                    SiteFile::Generated(bytes) => Served::Bytes(bytes.into()),
                    SiteFile::Embedded(bytes) => Served::Embedded(bytes),
                    SiteFile::Disk(path) => Served::Disk(path),
                };
                (rel, served)
            })
            .collect();
        let mut lazy = FxHashMap::default();
        for kind in pages::pages_of(&site.dossier, self.edition.is_some()) {
            if kind.spec().large {
                files.insert(pages::output_path(kind, &site.dossier), Served::Lazy(kind));
                lazy.insert(kind, OnceLock::new());
            }
        }
        self.served = Some(Arc::new(ServedSite {
            pages: g.pages.clone(),
            files,
            site,
            lazy,
            search: OnceLock::new(),
            editions: self
                .editions
                .iter()
                .filter_map(|e| Some((format!("{}/", e.edition.as_ref()?), e.served.clone()?)))
                .collect(),
        }));
    }
}

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
use crate::resolve::model::Dossier;
use crate::resolve::pages::{self, SitePage};
use crate::resolve::{self, BodyCache};

use super::good::{Good, PageOut, Pages};
pub(crate) use super::served::{Served, ServedSite};

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

    /// Brings the last good build up to date with `changes`: `None` when the build failed
    /// (its errors are in `diags`) and the last good build stands.
    fn update(
        &mut self,
        changes: &Changes,
        diags: &Diagnostics,
        outcome: &mut Outcome,
    ) -> Option<()> {
        let fresh_settings = self.good.is_none() || changes.config;
        let (settings, theme) = self.settings_and_theme(changes, fresh_settings, diags)?;
        if self.last_ok
            && !fresh_settings
            && !changes.templates
            && changes.content.is_empty()
            && let Some(g) = &mut self.good
        {
            return restyle(g, settings, theme, changes, diags, outcome);
        }
        let (dossier, patched) = self.dossier(&settings, &theme, changes, fresh_settings, diags)?;
        let site = Arc::new(Site {
            settings,
            dossier,
            theme,
        });
        let prev = self.good.as_ref();
        let d = &site.dossier;
        let renderer = Renderer::new(d, &site.theme, &site.settings);
        let site_digest = renderer.site_digest();
        let (digests, changed) = new_digests(prev.filter(|_| patched), prev, d, &site.settings);
        let same_pages = prev.is_some_and(|g| patched && same_tags(&g.site.dossier, d));
        let (kinds, paths) = match prev {
            Some(g) if same_pages => (g.kinds.clone(), g.paths.clone()),
            _ => page_list(d, self.edition.is_some()),
        };
        let full = prev
            .is_none_or(|g| fresh_settings || changes.templates || g.site_digest != site_digest);
        let todo: Vec<usize> = match prev {
            Some(g) if !full => dirty_pages(g, d, &changed, &kinds, &paths),
            _ => (0..kinds.len()).collect(),
        };
        let fresh = render_pages(&renderer, &todo, &kinds, &paths, diags)?;
        drop(renderer);
        outcome.rendered = fresh.len();
        let old = self.good.take();
        let (mut pages, old_digests, leftovers) = match old {
            Some(g) => (g.pages, g.digests, Some(g.site)),
            None => (Arc::default(), FxHashMap::default(), None),
        };
        // Freeing the previous build's model takes a while; it need not delay this one.
        std::thread::spawn(move || drop(leftovers));
        let live = (!same_pages).then_some(paths.as_slice());
        replace_pages(Arc::make_mut(&mut pages), fresh, live, outcome);
        self.good = Some(Good {
            site,
            warnings: diags.sorted(),
            site_digest,
            digests: digests.applied_to(old_digests),
            kinds,
            paths,
            pages,
        });
        Some(())
    }

    /// The settings and the theme for this build: the last good build's unless what they
    /// are read from changed.
    fn settings_and_theme(
        &self,
        changes: &Changes,
        fresh_settings: bool,
        diags: &Diagnostics,
    ) -> Option<(Settings, Arc<Theme>)> {
        let prev = self.good.as_ref();
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
        Some((settings, theme))
    }

    /// The content read again where it changed, and resolved: patched into the last good
    /// dossier when the edit keeps every id, path and title (`true`), else whole.
    fn dossier(
        &mut self,
        settings: &Settings,
        theme: &Theme,
        changes: &Changes,
        fresh_settings: bool,
        diags: &Diagnostics,
    ) -> Option<(Dossier, bool)> {
        let content = content::load_cached(
            settings,
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
        let patched = match &self.good {
            Some(g) if !fresh_settings => {
                resolve::patch(settings, &g.site.dossier, content, diags, &mut self.bodies)
            }
            _ => Err(Box::new(content)),
        };
        let (dossier, patched) = match patched {
            Ok(d) => (d, true),
            Err(content) => (
                resolve::resolve_cached(settings, *content, diags, &mut self.bodies),
                false,
            ),
        };
        resolve::collisions(&dossier, |p| theme.static_files.contains_key(p), diags);
        if self.edition.is_none() {
            let tags: Vec<String> = settings.config.languages.keys().cloned().collect();
            resolve::edition_folders(&dossier, &tags, diags);
        }
        (!diags.has_errors()).then_some((dossier, patched))
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

/// Only static files changed since a good build: the pages stay, the file list is read
/// again, and the content's warnings stand.
fn restyle(
    g: &mut Good,
    settings: Settings,
    theme: Arc<Theme>,
    changes: &Changes,
    diags: &Diagnostics,
    outcome: &mut Outcome,
) -> Option<()> {
    g.warnings.iter().for_each(|w| diags.push(w.clone()));
    let statics = &theme.static_files;
    resolve::collisions(&g.site.dossier, |p| statics.contains_key(p), diags);
    if diags.has_errors() {
        return None;
    }
    g.site = Arc::new(Site {
        settings,
        dossier: g.site.dossier.clone(),
        theme,
    });
    outcome.css_only = changes.css_only;
    Some(())
}

/// What other pages show of each entry, and which of those changed since `prev`: after
/// a patch (`patched` is the build it patched) only the entries it touched, and the
/// claims of touched actors, can differ.
fn new_digests(
    patched: Option<&Good>,
    prev: Option<&Good>,
    d: &Dossier,
    settings: &Settings,
) -> (Digests, FxHashSet<Shown>) {
    if let Some(g) = patched {
        let keys = touched_keys(&g.site.dossier, d);
        let mut fresh: FxHashMap<Shown, u64> = render::digests_of(d, settings, keys.clone())
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
        return (Digests::Updates(updates), changed);
    }
    let all = render::shown_digests(d, settings);
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

impl Digests {
    /// The digests after this build, from those of the build before.
    fn applied_to(self, mut old: FxHashMap<Shown, u64>) -> FxHashMap<Shown, u64> {
        match self {
            Digests::All(all) => all,
            Digests::Updates(updates) => {
                for (k, v) in updates {
                    match v {
                        Some(v) => old.insert(k, v),
                        None => old.remove(&k),
                    };
                }
                old
            }
        }
    }
}

/// Whether two dossiers have the same tags, so the same tag pages.
fn same_tags(a: &Dossier, b: &Dossier) -> bool {
    a.tags.len() == b.tags.len() && a.tags.iter().zip(&b.tags).all(|(x, y)| x.slug == y.slug)
}

/// The pages the preview renders after each change (the large ones wait for a request),
/// with their output paths.
fn page_list(d: &Dossier, edition: bool) -> (Arc<Vec<SitePage>>, Arc<Vec<Arc<str>>>) {
    let kinds: Vec<SitePage> = pages::pages_of(d, edition)
        .into_iter()
        .filter(|k| !k.spec().large)
        .collect();
    let paths = kinds
        .iter()
        .map(|&k| Arc::from(pages::output_path(k, d)))
        .collect();
    (Arc::new(kinds), Arc::new(paths))
}

/// Renders the pages `todo` names, in parallel; `None` if one failed (its error is in
/// `diags`).
fn render_pages(
    renderer: &Renderer,
    todo: &[usize],
    kinds: &[SitePage],
    paths: &[Arc<str>],
    diags: &Diagnostics,
) -> Option<Vec<(Arc<str>, PageOut)>> {
    let results: Vec<(usize, render::Recorded)> = todo
        .par_iter()
        .map(|&i| (i, renderer.render_recorded(kinds[i])))
        .collect();
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
    (!diags.has_errors()).then_some(fresh)
}

/// Puts the freshly rendered pages in place of the old, counting those whose bytes
/// changed; when the list of pages changed (`live`), removes the pages no longer in it.
fn replace_pages(
    map: &mut Pages,
    fresh: Vec<(Arc<str>, PageOut)>,
    live: Option<&[Arc<str>]>,
    outcome: &mut Outcome,
) {
    if let Some(paths) = live {
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
}

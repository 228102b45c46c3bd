//! The preview's site, kept in memory and brought up to date after each change: only the
//! files that changed are read again, only the bodies whose text or links changed are
//! rendered again, and only the pages that show something that changed are rendered again.

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::Site;
use crate::config::{Overrides, Settings};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Body, Dossier, EntryKind};
use crate::render::{self, PageKind, Renderer, Shown, SiteFile};
use crate::resolve::{self, BodyCache};
use crate::templates::Theme;

/// What changed on disk since the last build.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Files under `content/` that changed, appeared or disappeared.
    pub content: std::collections::HashSet<PathBuf>,
    /// `site.toml` changed.
    pub config: bool,
    /// A template changed (site `templates/` or a theme's).
    pub templates: bool,
    /// A static file changed (site `static/` or a theme's).
    pub statics: bool,
    /// Every changed static file is a stylesheet, so pages need not reload.
    pub css_only: bool,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.config && !self.templates && !self.statics
    }
}

/// One file of the site held in memory.
#[derive(Debug, Clone)]
pub enum Served {
    /// A rendered page or generated file.
    Bytes(Arc<[u8]>),
    /// A static file of the built-in theme.
    Embedded(&'static [u8]),
    /// A file copied as it is: a static file or a file next to the content.
    Disk(PathBuf),
    /// A page rendered when first asked for, not after every change: `/dossier.json`
    /// (only tools read it) and `/print/` (the whole dossier, tens of megabytes when it
    /// is large).
    Lazy(PageKind),
}

/// The pages the preview renders only on request (see [`Served::Lazy`]).
const LAZY: [PageKind; 2] = [PageKind::Data, PageKind::Print];

/// The search index's files by output-relative path.
type SearchFiles = FxHashMap<String, Arc<[u8]>>;

/// Output-relative path (`claims/x/index.html`) to rendered page.
type Pages = FxHashMap<Arc<str>, Arc<PageOut>>;

/// The files of the last good build, as the server sees them.
pub struct Snapshot {
    pages: Arc<Pages>,
    /// Static files, copied files, `highlight.css`, and the pages rendered on request.
    files: FxHashMap<String, Served>,
    site: Arc<Site>,
    /// The pages of [`LAZY`], in its order, once rendered.
    lazy: [OnceLock<Result<Arc<[u8]>, String>>; 2],
    /// The search index's files, built when the browser first asks for one.
    search: OnceLock<SearchFiles>,
}

impl Snapshot {
    /// The file at an output-relative path such as `claims/x/index.html`.
    pub fn get(&self, path: &str) -> Option<Served> {
        if let Some(p) = self.pages.get(path) {
            return Some(Served::Bytes(p.bytes.clone()));
        }
        if path.starts_with(crate::search::BUNDLE_DIR) {
            return self.search().get(path).map(|b| Served::Bytes(b.clone()));
        }
        self.files.get(path).cloned()
    }

    /// Whether the site has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.pages.contains_key(path)
            || self.files.contains_key(path)
            || (path.starts_with(crate::search::BUNDLE_DIR) && self.search().contains_key(path))
    }

    /// The search index of this build, built on first use: only searching needs it.
    fn search(&self) -> &SearchFiles {
        self.search.get_or_init(|| {
            let s = &self.site;
            crate::search::index(&s.dossier, &s.settings)
                .into_iter()
                .map(|(path, bytes)| (path, Arc::from(bytes)))
                .collect()
        })
    }

    /// The bytes of one of the [`LAZY`] pages, rendered on first use.
    pub fn lazy(&self, kind: PageKind) -> Result<Arc<[u8]>, String> {
        let Some(at) = LAZY.iter().position(|&k| k == kind) else {
            return Err(format!("{kind:?} is rendered with the others"));
        };
        self.lazy[at]
            .get_or_init(|| {
                let s = &self.site;
                Renderer::new(&s.dossier, &s.theme, &s.settings)
                    .render(kind)
                    .map(Arc::from)
                    .map_err(|d| d.to_string())
            })
            .clone()
    }

    /// The `base_url` path the site is served under, starting and ending with `/`.
    pub fn base_path(&self) -> &str {
        &self.site.settings.base_path
    }
}

/// What one build did.
#[derive(Debug)]
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

/// A page of the last good build and the entries it showed.
struct PageOut {
    bytes: Arc<[u8]>,
    shown: Vec<Shown>,
}

/// New digests: all of them, or changes to the previous ones (`None`: entry gone).
enum Digests {
    All(FxHashMap<Shown, u64>),
    Updates(Vec<(Shown, Option<u64>)>),
}

/// The last good build.
struct Good {
    site: Arc<Site>,
    site_digest: u64,
    digests: FxHashMap<Shown, u64>,
    kinds: Arc<Vec<PageKind>>,
    paths: Arc<Vec<Arc<str>>>,
    pages: Arc<Pages>,
}

/// A site kept in memory between builds.
pub struct Live {
    root: PathBuf,
    overrides: Overrides,
    files: content::Cache,
    bodies: BodyCache,
    good: Option<Good>,
    snapshot: Option<Arc<Snapshot>>,
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
            snapshot: None,
        }
    }

    /// The files of the last good build, if there was one.
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.snapshot.clone()
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
        outcome.ok = result.is_some() && !diags.has_errors();
        outcome.diagnostics = diags.sorted();
        outcome.elapsed = started.elapsed();
        outcome
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
            _ => Settings::load(&self.root, &self.overrides)
                .map_err(|e| e.into_iter().for_each(|d| diags.push(d)))
                .ok()?,
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
            && !fresh_settings
            && !changes.templates
            && changes.content.is_empty()
        {
            // Only static files changed: the pages stay, the file list is read again.
            let site = Arc::new(Site {
                settings,
                dossier: g.site.dossier.clone(),
                theme,
            });
            outcome.css_only = changes.css_only;
            if let Some(g) = &mut self.good {
                g.site = site.clone();
            }
            self.publish();
            return Some(());
        }
        let content = content::load_cached(
            &self.root,
            settings.drafts,
            diags,
            &mut self.files,
            // After a change of settings every file is looked at; otherwise only those the
            // watcher named.
            (!fresh_settings).then_some(&changes.content),
        );
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
                let kinds: Vec<PageKind> = render::all_pages(d)
                    .into_iter()
                    .filter(|k| !LAZY.contains(k))
                    .collect();
                let paths = kinds
                    .iter()
                    .map(|&k| Arc::from(render::output_path(k, d)))
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
            site_digest,
            digests,
            kinds,
            paths,
            pages,
        });
        self.publish();
        Some(())
    }

    /// Makes the last good build what the server sees.
    fn publish(&mut self) {
        let Some(g) = &self.good else { return };
        let site = g.site.clone();
        let mut files: FxHashMap<String, Served> =
            render::other_files(&site.dossier, &site.theme, &site.settings)
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
        for kind in LAZY {
            let path = render::output_path(kind, &site.dossier);
            files.insert(path, Served::Lazy(kind));
        }
        self.snapshot = Some(Arc::new(Snapshot {
            pages: g.pages.clone(),
            files,
            site,
            lazy: Default::default(),
            search: OnceLock::new(),
        }));
    }
}

/// After a patch, the entries whose shown form may differ: those that are no longer the
/// same in memory, and the claims of changed actors (whose names and kinds they show).
fn touched_keys(old: &Dossier, d: &Dossier) -> Vec<Shown> {
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
fn dirty_pages(
    g: &Good,
    d: &Dossier,
    changed: &FxHashSet<Shown>,
    kinds: &[PageKind],
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
        let body = match kind {
            PageKind::Claim(i) => {
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
                &c.body
            }
            PageKind::Source(i) => {
                let s = &d.sources[i];
                touched.extend(s.published_by.map(|a| Shown::Actor(d.actors[a].id.clone())));
                &s.body
            }
            PageKind::Actor(i) => &d.actors[i].body,
            PageKind::Page(i) => &d.pages[i].body,
            PageKind::Home => match &d.home {
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
    let own: FxHashSet<PageKind> = touched.iter().filter_map(|k| page_of(d, k)).collect();
    // Lists show summaries only; an entry added or removed changes the set of digests.
    let any = |f: fn(&Shown) -> bool| changed.iter().any(f);
    let claims = any(|k| matches!(k, Shown::Claim(_)));
    let sources = any(|k| matches!(k, Shown::Source(_)));
    let actors = any(|k| matches!(k, Shown::Actor(_)));
    let tags = any(|k| matches!(k, Shown::Tag(_)));
    let home = any(|k| matches!(k, Shown::Home));
    // The map draws every relation; the bibliography every source's front matter.
    let relations_changed = old.claims.len() != d.claims.len()
        || old
            .claims
            .iter()
            .zip(&d.claims)
            .any(|(a, b)| a.disputes != b.disputes || a.supports != b.supports);
    let source_edited = changed_entries
        .iter()
        .any(|k| matches!(k, Shown::Source(_)));
    let page_set_changed =
        paths.len() != g.paths.len() || paths.iter().zip(g.paths.iter()).any(|(a, b)| a != b);
    let mut dirty = Vec::new();
    for (i, &kind) in kinds.iter().enumerate() {
        let list = match kind {
            PageKind::ClaimIndex => claims,
            PageKind::SourceIndex => sources,
            PageKind::ActorIndex => actors,
            PageKind::TagIndex => tags,
            PageKind::Timeline => claims || sources || actors,
            PageKind::Atom => claims || sources,
            PageKind::Home => claims || actors || home || relations_changed,
            PageKind::Sitemap => page_set_changed,
            PageKind::Map => claims || actors || relations_changed,
            PageKind::Bibliography => sources || source_edited,
            _ => false,
        };
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

/// The page of an entry in `d`, found by binary search (entries are sorted by id).
fn page_of(d: &Dossier, key: &Shown) -> Option<PageKind> {
    match key {
        Shown::Claim(id) => d
            .claims
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(PageKind::Claim),
        Shown::Source(id) => d
            .sources
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(PageKind::Source),
        Shown::Actor(id) => d
            .actors
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(PageKind::Actor),
        Shown::Page(path) => d
            .pages
            .binary_search_by(|p| p.path.as_str().cmp(path))
            .ok()
            .map(PageKind::Page),
        Shown::Tag(slug) => d
            .tags
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
            .map(PageKind::Tag),
        Shown::Home => d.home.as_ref().map(|_| PageKind::Home),
    }
}

/// The key of a claim, source or actor id.
fn id_key(d: &Dossier, id: &str) -> Option<Shown> {
    let id = id.to_string();
    Some(match d.index.ids.get(&id)?.kind {
        EntryKind::Claim => Shown::Claim(id),
        EntryKind::Source => Shown::Source(id),
        EntryKind::Actor => Shown::Actor(id),
    })
}

//! The preview's site, kept in memory and brought up to date after each change: only the
//! files that changed are read again, only the bodies whose text or links changed are
//! rendered again, and only the pages that show something that changed are rendered again.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::Site;
use crate::config::{Overrides, Settings};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Body, Dossier};
use crate::render::{self, PageKind, Renderer, Shown};
use crate::resolve::{self, BodyCache};
use crate::templates::{StaticFile, Theme};

/// What changed on disk since the last build.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Files under `content/` that changed, appeared or disappeared.
    pub content: HashSet<PathBuf>,
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
    /// `/dossier.json`, rendered when first asked for: only tools read it.
    Data,
}

/// The files of the last good build, as the server sees them.
pub struct Snapshot {
    /// Output-relative path (`claims/x/index.html`) to file.
    pub files: HashMap<String, Served>,
    site: Arc<Site>,
    data: OnceLock<Result<Arc<[u8]>, String>>,
}

impl Snapshot {
    /// The bytes of `/dossier.json`, rendered on first use.
    pub fn data(&self) -> Result<Arc<[u8]>, String> {
        self.data
            .get_or_init(|| {
                let s = &self.site;
                Renderer::new(&s.dossier, &s.theme, &s.settings)
                    .render(PageKind::Data)
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

/// The last good build.
struct Good {
    site: Arc<Site>,
    site_digest: u64,
    shown: HashMap<Shown, u64>,
    pages: HashMap<String, PageOut>,
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
            self.publish(site);
            return Some(());
        }
        let content = content::load_cached(
            &self.root,
            settings.drafts,
            diags,
            &mut self.files,
            &changes.content,
        );
        let dossier = resolve::resolve_cached(&settings, content, diags, &mut self.bodies);
        if diags.has_errors() {
            return None;
        }
        let site = Arc::new(Site {
            settings,
            dossier,
            theme,
        });
        let renderer = Renderer::new(&site.dossier, &site.theme, &site.settings);
        let shown = render::shown_digests(&site.dossier, &site.settings);
        let kinds: Vec<PageKind> = render::all_pages(&site.dossier)
            .into_iter()
            .filter(|&k| k != PageKind::Data)
            .collect();
        let paths: Vec<String> = kinds
            .iter()
            .map(|&k| render::output_path(k, &site.dossier))
            .collect();
        let full = match prev {
            None => true,
            Some(g) => {
                fresh_settings || changes.templates || g.site_digest != renderer.site_digest()
            }
        };
        let todo: Vec<usize> = match prev {
            Some(g) if !full => {
                let dirty = dirty_pages(g, &site.dossier, &shown, &kinds, &paths);
                (0..kinds.len())
                    .filter(|&i| dirty.contains(&i) || !g.pages.contains_key(&paths[i]))
                    .collect()
            }
            _ => (0..kinds.len()).collect(),
        };
        let results: Vec<(usize, render::Recorded)> = todo
            .par_iter()
            .map(|&i| (i, renderer.render_recorded(kinds[i])))
            .collect();
        let mut fresh: HashMap<String, PageOut> = HashMap::with_capacity(results.len());
        for (i, r) in results {
            match r {
                Ok((bytes, shown)) => {
                    fresh.insert(
                        paths[i].clone(),
                        PageOut {
                            bytes: bytes.into(),
                            shown,
                        },
                    );
                }
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            return None;
        }
        outcome.rendered = fresh.len();
        let mut pages = self.good.take().map(|g| g.pages).unwrap_or_default();
        let live: HashSet<&String> = paths.iter().collect();
        let before = pages.len();
        pages.retain(|p, _| live.contains(p));
        outcome.removed = before - pages.len();
        for (path, page) in fresh {
            let same = pages.get(&path).is_some_and(|old| old.bytes == page.bytes);
            if !same {
                outcome.changed += 1;
            }
            pages.insert(path, page);
        }
        let site_digest = renderer.site_digest();
        drop(renderer);
        self.good = Some(Good {
            site_digest,
            site: site.clone(),
            shown,
            pages,
        });
        self.publish(site);
        Some(())
    }

    /// Makes `site` (with the pages of the last good build) what the server sees.
    fn publish(&mut self, site: Arc<Site>) {
        let mut files: HashMap<String, Served> = HashMap::new();
        if let Some(g) = &self.good {
            for (path, page) in &g.pages {
                files.insert(path.clone(), Served::Bytes(page.bytes.clone()));
            }
        }
        for (rel, file) in &site.theme.static_files {
            files.insert(
                rel.clone(),
                match file {
                    StaticFile::Embedded(bytes) => Served::Embedded(bytes),
                    StaticFile::Disk(path) => Served::Disk(path.clone()),
                },
            );
        }
        for a in &site.dossier.assets {
            files.insert(a.content_path.clone(), Served::Disk(a.path.clone()));
        }
        let css =
            crate::markdown::highlight::stylesheet(&site.settings.config.markdown.highlight_theme);
        files.insert(
            "highlight.css".into(),
            Served::Bytes(Arc::from(css.into_bytes())),
        );
        files.insert("dossier.json".into(), Served::Data);
        if let Some(g) = &mut self.good {
            g.site = site.clone();
        }
        self.snapshot = Some(Arc::new(Snapshot {
            files,
            site,
            data: OnceLock::new(),
        }));
    }
}

/// The pages of the new dossier `d` that may differ from the last good build `g`: pages of
/// entries whose file or body changed and of the entries they point to (before and after
/// the change), pages showing an entry whose summary changed, and the lists of each kind
/// of entry whose summaries changed.
fn dirty_pages(
    g: &Good,
    d: &Dossier,
    shown: &HashMap<Shown, u64>,
    kinds: &[PageKind],
    paths: &[String],
) -> HashSet<usize> {
    let old = &g.site.dossier;
    let changed: HashSet<&Shown> = shown
        .iter()
        .filter(|(k, v)| g.shown.get(k) != Some(v))
        .map(|(k, _)| k)
        .chain(g.shown.keys().filter(|k| !shown.contains_key(k)))
        .collect();
    // Entries whose own page must be rendered again, by id (claims, sources, actors),
    // page path, tag slug or the home page.
    let mut touched: HashSet<Shown> = HashSet::new();
    let same =
        |a: &Body, b: &Body| Arc::ptr_eq(&a.doc, &b.doc) && Arc::ptr_eq(&a.rendered, &b.rendered);
    fn neighbours(d: &Dossier, key: Shown, touched: &mut HashSet<Shown>) {
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
                touched.extend(c.meta.tags.iter().map(|t| Shown::Tag(tag_slug(t))));
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
    for key in entry_keys(d) {
        let now = page_of(d, &key).and_then(|k| body_of(d, k));
        let before = page_of(old, &key).and_then(|k| body_of(old, k));
        match (now, before) {
            (Some(a), Some(b)) if same(a, b) => {}
            _ => changed_entries.push(key),
        }
    }
    for key in entry_keys(old) {
        if page_of(d, &key).is_none() {
            changed_entries.push(key);
        }
    }
    for key in &changed_entries {
        neighbours(d, key.clone(), &mut touched);
        neighbours(old, key.clone(), &mut touched);
    }
    let any = |f: fn(&Shown) -> bool| changed.iter().any(|k| f(k)) || changed_entries.iter().any(f);
    let claims = any(|k| matches!(k, Shown::Claim(_)));
    let sources = any(|k| matches!(k, Shown::Source(_)));
    let actors = any(|k| matches!(k, Shown::Actor(_)));
    let tags = any(|k| matches!(k, Shown::Tag(_)));
    let home = any(|k| matches!(k, Shown::Home));
    let page_set_changed =
        paths.len() != g.pages.len() || paths.iter().any(|p| !g.pages.contains_key(p));
    let mut dirty = HashSet::new();
    for (i, &kind) in kinds.iter().enumerate() {
        let list = match kind {
            PageKind::ClaimIndex => claims,
            PageKind::SourceIndex => sources,
            PageKind::ActorIndex => actors,
            PageKind::TagIndex => tags,
            PageKind::Timeline => claims || sources || actors,
            PageKind::Atom => claims || sources,
            PageKind::Home => claims || actors || home,
            PageKind::Sitemap => page_set_changed,
            _ => false,
        };
        let own = key_of(d, kind).is_some_and(|k| touched.contains(&k));
        let shows_changed = !changed.is_empty()
            && g.pages
                .get(&paths[i])
                .is_some_and(|p| p.shown.iter().any(|s| changed.contains(s)));
        if list || own || shows_changed {
            dirty.insert(i);
        }
    }
    dirty
}

/// Every entry of `d` that has a page with a body.
fn entry_keys(d: &Dossier) -> impl Iterator<Item = Shown> + '_ {
    d.claims
        .iter()
        .map(|c| Shown::Claim(c.id.clone()))
        .chain(d.sources.iter().map(|s| Shown::Source(s.id.clone())))
        .chain(d.actors.iter().map(|a| Shown::Actor(a.id.clone())))
        .chain(d.pages.iter().map(|p| Shown::Page(p.path.clone())))
        .chain(d.home.iter().map(|_| Shown::Home))
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

/// The key of the entry a page belongs to.
fn key_of(d: &Dossier, kind: PageKind) -> Option<Shown> {
    Some(match kind {
        PageKind::Claim(i) => Shown::Claim(d.claims[i].id.clone()),
        PageKind::Source(i) => Shown::Source(d.sources[i].id.clone()),
        PageKind::Actor(i) => Shown::Actor(d.actors[i].id.clone()),
        PageKind::Page(i) => Shown::Page(d.pages[i].path.clone()),
        PageKind::Tag(i) => Shown::Tag(d.tags[i].slug.clone()),
        PageKind::Home => Shown::Home,
        _ => return None,
    })
}

fn body_of(d: &Dossier, kind: PageKind) -> Option<&Body> {
    Some(match kind {
        PageKind::Claim(i) => &d.claims[i].body,
        PageKind::Source(i) => &d.sources[i].body,
        PageKind::Actor(i) => &d.actors[i].body,
        PageKind::Page(i) => &d.pages[i].body,
        PageKind::Home => &d.home.as_ref()?.body,
        _ => return None,
    })
}

/// The key of a claim, source or actor id.
fn id_key(d: &Dossier, id: &str) -> Option<Shown> {
    [
        Shown::Claim(id.to_string()),
        Shown::Source(id.to_string()),
        Shown::Actor(id.to_string()),
    ]
    .into_iter()
    .find(|k| page_of(d, k).is_some())
}

/// The slug of a tag's page, as `resolve` makes it.
fn tag_slug(tag: &str) -> String {
    let slug = crate::markdown::slug(tag);
    if slug.is_empty() { "tag".into() } else { slug }
}

//! What the preview's server sees of the last good build: pages in memory, files on
//! disk, pages and the search index made on first request, and each translated
//! edition's files under its folder.

use rustc_hash::FxHashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::good::Pages;
use crate::build::Site;
use crate::render::Renderer;
use crate::resolve::pages::SitePage;

/// One file of the site held in memory.
#[derive(Debug, Clone)]
pub enum Served {
    /// A rendered page or generated file.
    Bytes(Arc<[u8]>),
    /// A static file of the built-in theme.
    Embedded(&'static [u8]),
    /// A file copied as it is: a static file or a file next to the content.
    Disk(PathBuf),
    /// A page rendered when first asked for, not after every change: the large pages of
    /// the page table (`/dossier.json`, which only tools read, and `/print/`, the whole
    /// dossier, tens of megabytes when it is large).
    Lazy(SitePage),
}

/// A page rendered on request, or why it could not be.
pub(super) type Rendered = Result<Arc<[u8]>, String>;

/// The search index's files by output-relative path.
type SearchFiles = FxHashMap<String, Arc<[u8]>>;

/// The files of the last good build, as the server sees them.
pub struct ServedSite {
    pub(super) pages: Arc<Pages>,
    /// Static files, copied files, `highlight.css`, and the pages rendered on request.
    pub(super) files: FxHashMap<String, Served>,
    pub(super) site: Arc<Site>,
    /// The pages rendered on request, once rendered.
    pub(super) lazy: FxHashMap<SitePage, OnceLock<Rendered>>,
    /// The search index's files, built when the browser first asks for one.
    pub(super) search: OnceLock<SearchFiles>,
    /// Each translated edition's files, by its folder (`fr/`).
    pub(super) editions: Vec<(String, Arc<ServedSite>)>,
}

impl ServedSite {
    /// The edition whose folder holds `path`, and the path inside it.
    fn edition<'p>(&self, path: &'p str) -> Option<(&ServedSite, &'p str)> {
        self.editions
            .iter()
            .find_map(|(prefix, s)| Some((&**s, path.strip_prefix(prefix.as_str())?)))
    }

    /// The file at an output-relative path such as `claims/x/index.html`.
    pub fn get(&self, path: &str) -> Option<Served> {
        if let Some((edition, rest)) = self.edition(path) {
            return edition.get(rest);
        }
        if let Some(p) = self.pages.get(path) {
            return Some(Served::Bytes(p.bytes.clone()));
        }
        if path.starts_with(crate::render::search::BUNDLE_DIR) {
            return self.search().get(path).map(|b| Served::Bytes(b.clone()));
        }
        self.files.get(path).cloned()
    }

    /// Whether the site has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        if let Some((edition, rest)) = self.edition(path) {
            return edition.contains(rest);
        }
        self.pages.contains_key(path)
            || self.files.contains_key(path)
            || (path.starts_with(crate::render::search::BUNDLE_DIR)
                && self.search().contains_key(path))
    }

    /// Every file of the site, by output-relative path, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut v: Vec<String> =
            self.pages
                .keys()
                .map(|p| p.to_string())
                .chain(self.files.keys().cloned())
                .chain(self.search().keys().cloned())
                .chain(self.editions.iter().flat_map(|(prefix, s)| {
                    s.paths().into_iter().map(move |p| format!("{prefix}{p}"))
                }))
                .collect();
        v.sort();
        v
    }

    /// The bytes of the file at `path`, whatever it is held as: what a build writes there.
    pub fn bytes(&self, path: &str) -> Option<Result<Vec<u8>, String>> {
        if let Some((edition, rest)) = self.edition(path) {
            return edition.bytes(rest);
        }
        Some(match self.get(path)? {
            Served::Bytes(b) => Ok(b.to_vec()),
            Served::Embedded(b) => Ok(b.to_vec()),
            Served::Disk(p) => std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display())),
            Served::Lazy(kind) => self.lazy(kind).map(|b| b.to_vec()),
        })
    }

    /// The search index of this build, built on first use: only searching needs it.
    fn search(&self) -> &SearchFiles {
        self.search.get_or_init(|| {
            let s = &self.site;
            let files = std::sync::Mutex::new(SearchFiles::default());
            crate::render::search::index(
                &s.dossier,
                &s.settings,
                &s.theme.strings,
                &|path, bytes| {
                    let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
                    files.insert(path, Arc::from(bytes));
                },
            );
            files.into_inner().unwrap_or_else(|e| e.into_inner())
        })
    }

    /// The bytes of the page rendered on request at `path` (of this site or of an
    /// edition), rendered on first use.
    pub(crate) fn lazy_at(&self, path: &str, kind: SitePage) -> Result<Arc<[u8]>, String> {
        match self.edition(path) {
            Some((edition, rest)) => edition.lazy_at(rest, kind),
            None => self.lazy(kind),
        }
    }

    /// The bytes of a page of this site rendered on request, rendered on first use.
    fn lazy(&self, kind: SitePage) -> Result<Arc<[u8]>, String> {
        let Some(cell) = self.lazy.get(&kind) else {
            return Err(format!("{kind:?} is rendered with the others"));
        };
        cell.get_or_init(|| {
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

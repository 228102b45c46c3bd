//! Reading the site's files: classifying them, splitting and parsing front matter into
//! typed entries. Nothing here knows about other files; cross-references are resolved later.

pub(crate) mod date;
mod file;
pub mod frontmatter;
pub mod meta;
pub(crate) mod names;
pub(crate) mod translation;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, Diagnostics, rel_path};
use crate::load::config::Settings;
use crate::snapshots::SnapshotFile;
use file::load_file;
use meta::{ActorMeta, ClaimMeta, EventMeta, HomeMeta, PageMeta, SourceMeta};
pub(crate) use translation::Translation;

/// The folder of content under the site root.
pub(crate) const CONTENT_DIR: &str = "content";

/// The kinds of entry that have ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Claim,
    Source,
    Actor,
    /// Something that happened, which claims are about.
    Event,
}

impl EntryKind {
    /// Every kind.
    pub(crate) const ALL: [EntryKind; 4] = [
        EntryKind::Claim,
        EntryKind::Source,
        EntryKind::Actor,
        EntryKind::Event,
    ];

    /// `claim`, `source`, `actor` or `event`.
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Claim => "claim",
            EntryKind::Source => "source",
            EntryKind::Actor => "actor",
            EntryKind::Event => "event",
        }
    }

    /// The indefinite article for the name.
    pub fn article(self) -> &'static str {
        match self {
            EntryKind::Actor | EntryKind::Event => "an",
            _ => "a",
        }
    }

    /// The folder under `content/` holding this kind: `claims`, `sources`, `actors`,
    /// `events`.
    pub fn section(self) -> &'static str {
        match self {
            EntryKind::Claim => "claims",
            EntryKind::Source => "sources",
            EntryKind::Actor => "actors",
            EntryKind::Event => "events",
        }
    }
}

/// A Markdown file's text, split, with where each part starts in the file.
#[derive(Debug, Clone, Hash)]
pub struct Document {
    /// Path relative to the site root, for diagnostics: `content/claims/x.md`.
    pub file: String,
    /// Path relative to `content/`: `claims/x.md`.
    pub content_path: String,
    pub format: frontmatter::Format,
    pub front: String,
    pub front_line: usize,
    pub body: String,
    pub body_line: usize,
    /// For a translation merged with its original: the original.
    pub origin: Option<Origin>,
}

/// The original a translated document was merged with.
#[derive(Debug, Clone, Hash)]
pub struct Origin {
    pub original: Arc<Document>,
    /// The translation file as read, so that an unchanged pair is merged once.
    pub translation: Arc<Document>,
    /// The translation has no body of its own: the body is the original's.
    pub body_inherited: bool,
}

impl Document {
    /// The document whose front matter gives `key`: a translation's own, or its
    /// original's for a key it leaves out.
    fn owner(&self, key: &str) -> &Document {
        match &self.origin {
            Some(o) if !frontmatter::has_key(&self.front, key) => &o.original,
            _ => self,
        }
    }

    /// Whether this is a translation that takes `key` from its original.
    pub(crate) fn inherits(&self, key: &str) -> bool {
        self.origin.is_some() && !frontmatter::has_key(&self.front, key)
    }

    /// The file, line and column of `value` under front-matter `key`.
    pub fn place(&self, key: &str, value: Option<&str>) -> (&str, usize, usize) {
        let d = self.owner(key);
        let (line, col) = frontmatter::locate(&d.front, d.front_line, key, value);
        (&d.file, line, col)
    }

    /// The file, line and column of the value of the `n`th (from 0) `key` in front
    /// matter, as in an array of tables; the first front-matter line if there is none.
    pub(crate) fn place_nth(&self, key: &str, n: usize) -> (&str, usize, usize) {
        let d = self.owner(key);
        let (line, col) = frontmatter::locate_nth(&d.front, d.front_line, key, n);
        (&d.file, line, col)
    }

    /// The file, line and column of the value of `key` in the `n`th (from 0) table of the
    /// array of tables `table` (`[[corrections]]`).
    pub(crate) fn place_in_table(&self, table: &str, n: usize, key: &str) -> (&str, usize, usize) {
        let d = self.owner(table);
        let (line, col) = frontmatter::locate_in_table(&d.front, d.front_line, table, n, key);
        (&d.file, line, col)
    }

    /// Its front matter parsed into `T`, an error located in its file.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        let split = frontmatter::Split {
            format: self.format,
            front: &self.front,
            front_line: self.front_line,
            body: &self.body,
            body_line: self.body_line,
        };
        frontmatter::parse(&split, &self.file)
    }

    /// Line and column of `value` under `key` in this file's own front matter.
    pub fn locate(&self, key: &str, value: Option<&str>) -> (usize, usize) {
        frontmatter::locate(&self.front, self.front_line, key, value)
    }

    /// The file the body was written in.
    pub(crate) fn body_file(&self) -> &str {
        match &self.origin {
            Some(o) if o.body_inherited => &o.original.file,
            _ => &self.file,
        }
    }

    /// The file an entry is known by: the original's, for a translation, so that what is
    /// said of the whole entry is said once.
    pub(crate) fn entry_file(&self) -> &str {
        self.origin
            .as_ref()
            .map_or(&self.file, |o| &o.original.file)
    }

    /// Whether this is a translation merged with its original.
    pub(crate) fn is_translation(&self) -> bool {
        self.origin.is_some()
    }

    /// An error located at `value` under `key` in the front matter that gives it.
    pub(crate) fn error_at(
        &self,
        key: &str,
        value: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (file, line, col) = self.place(key, value);
        Diagnostic::error(file, line, col, message)
    }
}

/// One loaded entry: its id (or page path), its text and its typed front matter.
#[derive(Debug, Clone)]
pub struct Item<M> {
    pub id: String,
    pub doc: Arc<Document>,
    pub meta: Arc<M>,
}

impl<M> Item<M> {
    fn new(id: String, doc: Document, meta: M) -> Self {
        Item {
            id,
            doc: Arc::new(doc),
            meta: Arc::new(meta),
        }
    }
}

/// A file copied to the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/`, with `/` separators.
    pub content_path: String,
    pub path: PathBuf,
    /// For a file that may be a source's snapshot (by its name), its text, read when a
    /// source first uses it.
    pub text: Option<Arc<SnapshotFile>>,
}

/// Everything read from `content/`.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub claims: Vec<Item<ClaimMeta>>,
    pub sources: Vec<Item<SourceMeta>>,
    pub actors: Vec<Item<ActorMeta>>,
    pub events: Vec<Item<EventMeta>>,
    /// Plain pages; the id is the page's site path without slashes at the ends (`about/team`).
    pub pages: Vec<Item<PageMeta>>,
    pub home: Option<Item<HomeMeta>>,
    pub assets: Vec<Asset>,
    /// Ids and page paths left out because they are drafts.
    pub drafts: Vec<String>,
    /// Entries and pages whose file could not be read or parsed (each reported at its
    /// file): they exist, so that references to them are not reported again.
    pub broken: Vec<Broken>,
    /// Translation files, in every language, not yet merged with their originals.
    pub translations: Vec<Translation>,
}

/// An entry or page whose file failed to load, known by its path alone.
#[derive(Debug, Clone)]
pub struct Broken {
    /// `None` for a plain page or the home page.
    pub kind: Option<EntryKind>,
    /// The id from the file's name, or the page's path.
    pub id: String,
    /// Path relative to `content/`.
    pub content_path: String,
}

impl Content {
    /// Sorts the entries by id and the pages by path.
    pub fn sort(&mut self) {
        self.claims.sort_by(|a, b| a.id.cmp(&b.id));
        self.sources.sort_by(|a, b| a.id.cmp(&b.id));
        self.actors.sort_by(|a, b| a.id.cmp(&b.id));
        self.events.sort_by(|a, b| a.id.cmp(&b.id));
        self.pages.sort_by(|a, b| a.id.cmp(&b.id));
        self.broken
            .sort_by(|a, b| a.content_path.cmp(&b.content_path));
    }

    /// Every Markdown document: claims, sources, actors, pages, then the home page.
    pub fn documents(&self) -> impl Iterator<Item = &Arc<Document>> {
        self.claims
            .iter()
            .map(|i| &i.doc)
            .chain(self.sources.iter().map(|i| &i.doc))
            .chain(self.actors.iter().map(|i| &i.doc))
            .chain(self.events.iter().map(|i| &i.doc))
            .chain(self.pages.iter().map(|i| &i.doc))
            .chain(self.home.iter().map(|i| &i.doc))
    }
}

/// One file, loaded.
#[derive(Debug, Clone)]
enum Loaded {
    Claim(Item<ClaimMeta>),
    Source(Item<SourceMeta>),
    Actor(Item<ActorMeta>),
    Event(Item<EventMeta>),
    Page(Item<PageMeta>),
    Home(Item<HomeMeta>),
    Asset(Asset),
    Draft(String),
    Broken(Broken),
    Translation(Translation),
    /// A translation that could not be read (and was reported).
    Skipped,
}

/// Files read by an earlier load, kept by the preview server so that a change costs only
/// the files it touched.
#[derive(Default)]
pub(crate) struct Cache {
    drafts: bool,
    /// The languages of `[languages]` the files were read for.
    languages: Vec<String>,
    /// Whether `files` holds every file under `content/`.
    complete: bool,
    /// Sorted by path, so entries come out nearly in id order.
    files: BTreeMap<PathBuf, CachedFile>,
    /// Problems the last full walk met: folders it could not read, symbolic links.
    walk_errors: Vec<Diagnostic>,
}

struct CachedFile {
    stamp: Option<(SystemTime, u64)>,
    loaded: Loaded,
    diagnostics: Vec<Diagnostic>,
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Reads every file under `root/content`, reporting problems into `diags`.
pub fn load(settings: &Settings, diags: &Diagnostics) -> Content {
    load_cached(settings, diags, &mut Cache::default(), None)
}

/// [`load`], keeping what it read in `cache`. With `changed`, only those paths (files or
/// folders, present or gone) are looked at again; without, every file is listed and those
/// whose size or modification time changed are read again.
pub(crate) fn load_cached(
    settings: &Settings,
    diags: &Diagnostics,
    cache: &mut Cache,
    changed: Option<&HashSet<PathBuf>>,
) -> Content {
    let (root, drafts) = (settings.root.as_path(), settings.drafts);
    let languages: Vec<String> = settings.config.languages.keys().cloned().collect();
    if cache.drafts != drafts || cache.languages != languages {
        *cache = Cache {
            drafts,
            languages,
            ..Cache::default()
        };
    }
    let content_dir = root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        diags.push(Diagnostic::error(
            CONTENT_DIR,
            0,
            0,
            "the content folder is missing; a dossier keeps its Markdown files in content/",
        ));
        cache.complete = false;
        return Content::default();
    }
    match changed {
        Some(paths) if cache.complete => {
            for p in paths {
                update_path(root, &content_dir, p, cache);
            }
        }
        _ => {
            let (files, errors) = walk(root, &content_dir);
            let listed: HashSet<&PathBuf> = files.iter().collect();
            cache.files.retain(|p, _| listed.contains(p));
            refresh(root, &content_dir, files, cache, &HashSet::new());
            cache.walk_errors = errors;
            cache.complete = true;
        }
    }
    cache.walk_errors.iter().for_each(|d| diags.push(d.clone()));
    let mut content = Content::default();
    for c in cache.files.values() {
        c.diagnostics.iter().for_each(|d| diags.push(d.clone()));
        match c.loaded.clone() {
            Loaded::Claim(i) => content.claims.push(i),
            Loaded::Source(i) => content.sources.push(i),
            Loaded::Actor(i) => content.actors.push(i),
            Loaded::Event(i) => content.events.push(i),
            Loaded::Page(i) => content.pages.push(i),
            Loaded::Home(i) => content.home = Some(i),
            Loaded::Asset(a) => content.assets.push(a),
            Loaded::Draft(id) => content.drafts.push(id),
            Loaded::Broken(b) => content.broken.push(b),
            Loaded::Translation(t) => content.translations.push(t),
            Loaded::Skipped => {}
        }
    }
    content
        .assets
        .sort_by(|a, b| a.content_path.cmp(&b.content_path));
    content.drafts.sort();
    content
}

/// Every file under `dir` that is content (no hidden or editor files, no symlinks), and
/// problems met: folders that could not be read, symbolic links left out.
pub(crate) fn walk(root: &Path, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    for entry in walker
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()))
    {
        match entry {
            Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
            Ok(e) if e.path_is_symlink() => errors.push(Diagnostic::warning(
                rel_path(root, e.path()),
                0,
                0,
                "a symbolic link: links are not followed, so it is left out; copy what it points to into content/ instead",
            )
            .many(&crate::base::diagnostics::Many {
 what: "symbolic links are left out",
 advice: "links are not followed; copy what they point to into content/ instead",
 })),
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel_path(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.into());
                errors.push(Diagnostic::error(path, 0, 0, format!("cannot read: {e}")));
            }
        }
    }
    (files, errors)
}

/// Reads `files` into the cache, skipping those unchanged on disk unless in `force`.
fn refresh(
    root: &Path,
    content_dir: &Path,
    files: Vec<PathBuf>,
    cache: &mut Cache,
    force: &HashSet<PathBuf>,
) {
    let old = &cache.files;
    let drafts = cache.drafts;
    let languages = &cache.languages;
    let fresh: Vec<(PathBuf, CachedFile)> = files
        .into_par_iter()
        .filter_map(|p| {
            let stamp = stamp(&p);
            let unchanged = old
                .get(&p)
                .is_some_and(|c| stamp.is_some() && c.stamp == stamp && !force.contains(&p));
            if unchanged {
                return None;
            }
            let own = Diagnostics::default();
            let loaded = load_file(root, content_dir, &p, drafts, languages, &own);
            let cached = CachedFile {
                stamp,
                loaded,
                diagnostics: own.sorted(),
            };
            Some((p, cached))
        })
        .collect();
    cache.files.extend(fresh);
}

/// Brings the cache up to date for one changed path: a file read again, a folder listed
/// again, anything gone removed with everything under it.
fn update_path(root: &Path, content_dir: &Path, path: &Path, cache: &mut Cache) {
    let Ok(rel) = path.strip_prefix(content_dir) else {
        return;
    };
    if rel
        .components()
        .any(|c| is_ignored(c.as_os_str().to_string_lossy().as_ref()))
    {
        return;
    }
    let file_type = std::fs::symlink_metadata(path).map(|m| m.file_type());
    match file_type {
        Ok(t) if t.is_file() => {
            let force = HashSet::from([path.to_path_buf()]);
            refresh(root, content_dir, vec![path.to_path_buf()], cache, &force);
        }
        Ok(t) if t.is_dir() => {
            let (files, _) = walk(root, path);
            let listed: HashSet<&PathBuf> = files.iter().collect();
            cache
                .files
                .retain(|p, _| !p.starts_with(path) || listed.contains(p));
            refresh(root, content_dir, files, cache, &HashSet::new());
        }
        _ => cache.files.retain(|p, _| !p.starts_with(path)),
    }
}

/// Joins a relative path to a folder under `content/` (both with `/` separators),
/// resolving `.` and `..`; `None` if the result would leave `content/`.
pub(crate) fn join_relative(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Hidden files, editor back-ups and swap files are never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || [".swp", ".swx", ".tmp", ".bak"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// The site path of a plain page: `about/team.md` → `about/team`, `about/index.md` → `about`.
pub(crate) fn page_path(content_path: &str) -> String {
    let p = content_path.trim_end_matches(".md");
    match p.rsplit_once('/') {
        Some((dir, "index" | "_index")) => dir.to_string(),
        _ => p.to_string(),
    }
}

/// Whether `id` is a valid claim, source or actor id.
pub(crate) fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// What is wrong with an id given on the command line (`name` says how it was given:
/// `--id`, `the id`), with the nearest id that would do; `None` when it is an id.
pub(crate) fn id_problem(id: &str, name: &str) -> Option<String> {
    if id.len() > MAX_ID {
        return Some(format!(
            "{name} is {} characters long; an id has at most {MAX_ID} (did you mean `{}`?)",
            id.len(),
            shorten_id(&suggest_id(id))
        ));
    }
    (!valid_id(id)).then(|| {
        format!(
            "invalid id `{id}`: ids are lowercase letters, digits, `-` and `_`, starting with a letter or digit (did you mean `{}`?)",
            suggest_id(id)
        )
    })
}

/// The longest id made from a title or a key, and the longest one given by hand: a file
/// name must stay well within what file systems take (255 bytes).
const MAX_ID: usize = 64;

/// `id` cut to at most [`MAX_ID`] characters, at the last `-` that fits when there is one
/// (so that words stay whole), without a `-` or `_` at its end.
pub(crate) fn shorten_id(id: &str) -> String {
    if id.len() <= MAX_ID {
        return id.to_string();
    }
    let head = &id[..MAX_ID];
    let cut = match head.rfind('-') {
        Some(i) if i >= MAX_ID / 2 => &head[..i],
        _ => head,
    };
    cut.trim_end_matches(['-', '_']).to_string()
}

/// A valid id close to `id`: lowercased, other characters turned into `-`.
pub(crate) fn suggest_id(id: &str) -> String {
    let s: String = id
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches(['-', '_']).to_string();
    if s.is_empty() { "entry".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(valid_id("cisa-aa23-144a"));
        assert!(valid_id("0day_x"));
        assert!(!valid_id("-x"));
        assert!(!valid_id("CISA"));
        assert!(!valid_id("a b"));
        assert_eq!(suggest_id("My Claim!"), "my-claim");
    }

    #[test]
    fn page_paths() {
        assert_eq!(page_path("method.md"), "method");
        assert_eq!(page_path("about/index.md"), "about");
        assert_eq!(page_path("a/b/c.md"), "a/b/c");
    }
}

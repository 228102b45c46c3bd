//! The pipeline: load → resolve → render → write, shared by `build` and `check`.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use crate::base::diagnostics::{Diagnostic, Diagnostics, count};
use crate::load::config::{Overrides, Settings};
use crate::output::cache::{BuildCache, Footprint, plan::Page};
use crate::output::{Output, OutputError, Stamp, Written, check_target};
use crate::render::templates::Theme;
use crate::render::{self, RenderError, Renderer, SiteFile};
use crate::resolve::BodyCache;
use crate::resolve::model::Dossier;
use crate::resolve::pages::{self, SitePage};

/// Whether to write the site or only check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Build,
    /// Check without writing; optionally ask for external links and report provenance.
    Check {
        external: bool,
        /// With `external`: re-read only the sources accessed before this date.
        since: Option<crate::load::content::date::PartialDate>,
        /// With `external`: write what the re-reading found into each source's file.
        record: bool,
        provenance: bool,
    },
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    /// Every error and warning, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the run succeeded (no errors).
    pub ok: bool,
    /// A one-line summary for the terminal.
    pub summary: String,
    /// A report for standard output (`check --provenance`).
    pub report: Option<String>,
    /// What the run says once about itself (its build cache), not about the site.
    pub notes: Vec<String>,
}

/// One language of the site (the original, or a translated edition), loaded and
/// resolved, ready to render.
pub struct Site {
    pub settings: Settings,
    pub dossier: Dossier,
    pub theme: Arc<Theme>,
}

impl Site {
    /// Where its pages go in the output folder: ``, or `fr/` for the French edition.
    pub fn prefix(&self) -> String {
        self.settings
            .edition
            .as_ref()
            .map_or(String::new(), |t| format!("{t}/"))
    }

    /// Its pages: every page for the original, those published in every language for an
    /// edition.
    pub fn pages(&self) -> Vec<SitePage> {
        pages::pages_of(&self.dossier, self.settings.edition.is_some())
    }
}

/// Loads and resolves the site in every language, the original first, collecting every
/// problem once. With a `cache`, it is opened beside the output and each language's
/// bodies are taken from it and kept in it.
pub fn load_sites(
    root: &Path,
    overrides: &Overrides,
    diags: &Diagnostics,
    mut cache: Option<&mut BuildCache>,
) -> Option<Vec<Site>> {
    let settings = match Settings::load(root, overrides) {
        Ok(s) => s,
        Err(errors) => {
            errors.into_iter().for_each(|d| diags.push(d));
            return None;
        }
    };
    if let Some(c) = cache.as_deref_mut() {
        *c = BuildCache::open(&settings.output_dir);
    }
    let mut resolve = |settings: Settings, content, diags: &Diagnostics| {
        let prefix = settings
            .edition
            .as_ref()
            .map_or(String::new(), |t| format!("{t}/"));
        let mut bodies = cache
            .as_deref_mut()
            .map_or_else(BodyCache::default, |c| c.bodies(&prefix));
        let site = resolve_site(settings, content, diags, &mut bodies);
        if let Some(c) = cache.as_deref_mut() {
            c.keep_bodies(&prefix, bodies);
        }
        site
    };
    let content = crate::load::content::load(&settings, diags);
    crate::load::content::translation::check(&content, diags);
    let tags: Vec<String> = settings.config.languages.keys().cloned().collect();
    let for_editions = (!tags.is_empty()).then(|| content.clone());
    let original = resolve(settings.clone(), content, diags)?;
    crate::resolve::edition_folders(&original.dossier, &tags, diags);
    let mut sites = vec![original];
    for tag in &tags {
        let Some(content) = &for_editions else { break };
        let own = Diagnostics::default();
        let edition = crate::load::content::translation::edition(content, tag, &own, None);
        let site = resolve(settings.edition(tag), edition, &own);
        keep_edition_diagnostics(&own, tag, diags);
        sites.push(site?);
    }
    Some(sites)
}

/// Resolves one language's content, with the bodies `bodies` holds still valid (leaving
/// in it every body rendered without problems), and loads its theme.
fn resolve_site(
    settings: Settings,
    content: crate::load::content::Content,
    diags: &Diagnostics,
    bodies: &mut BodyCache,
) -> Option<Site> {
    let dossier = crate::resolve::resolve_cached(&settings, content, diags, bodies);
    let theme = match Theme::load(&settings) {
        Ok(t) => t,
        Err(errors) => {
            errors.into_iter().for_each(|d| diags.push(d));
            return None;
        }
    };
    crate::resolve::collisions(&dossier, |p| theme.static_files.contains_key(p), diags);
    Some(Site {
        settings,
        dossier,
        theme: Arc::new(theme),
    })
}

/// Passes on what an edition's pass found that the original's did not: problems in its
/// translation files, and any outside the content not reported already. Everything in
/// the originals was reported by the original's pass.
pub(crate) fn keep_edition_diagnostics(own: &Diagnostics, tag: &str, into: &Diagnostics) {
    let reported = into.sorted();
    let suffix = format!(".{tag}.md");
    for d in own.sorted() {
        let in_content = d
            .file
            .strip_prefix(crate::load::content::CONTENT_DIR)
            .is_some_and(|rest| rest.starts_with('/'));
        let keep = if in_content {
            d.file.ends_with(&suffix)
        } else {
            !reported.contains(&d)
        };
        if keep {
            into.push(d);
        }
    }
}

/// Runs `build` or `check` for the site at `root`.
pub fn run(root: &Path, overrides: &Overrides, mode: Mode) -> Outcome {
    let started = Instant::now();
    let diags = Diagnostics::default();
    let mut cache = BuildCache::default();
    let building = mode == Mode::Build;
    let sites = load_sites(root, overrides, &diags, building.then_some(&mut cache));
    let mut notes: Vec<String> = cache.note.take().into_iter().collect();
    let finish = |diags: &Diagnostics, summary: String, notes: Vec<String>| {
        let ok = !diags.has_errors();
        Outcome {
            diagnostics: diags.sorted(),
            ok,
            summary: if ok {
                summary
            } else {
                failed_summary(diags, mode)
            },
            report: None,
            notes,
        }
    };
    let Some(sites) = sites else {
        return finish(&diags, String::new(), notes);
    };
    if diags.has_errors() {
        return finish(&diags, String::new(), notes);
    }
    let pages: usize = sites.iter().map(|s| s.pages().len()).sum();
    let site = &sites[0];
    match mode {
        Mode::Check {
            external,
            since,
            record,
            provenance,
        } => {
            render_everything(&sites, &diags);
            let d = &site.dossier;
            let mut summary = check_summary(&sites);
            let links = if external {
                live_web(d, &site.settings, since, record, &diags)
            } else {
                None
            };
            if let Some(l) = &links {
                summary = format!("{summary}; {l}");
            }
            let mut outcome = finish(&diags, summary, notes);
            if let (false, Some(l)) = (outcome.ok, &links) {
                outcome.summary = format!("{}; {l}", outcome.summary);
            }
            if provenance {
                outcome.report = Some(crate::render::provenance::report(d));
            }
            outcome
        }
        Mode::Build => {
            let output_dir = site.settings.output_dir.clone();
            let written = write_site(sites, &diags, &mut cache).unwrap_or_else(|e| {
                diags.push(e);
                None
            });
            notes.extend(cache.note.take());
            let elapsed = started.elapsed().as_secs_f64();
            let files = written.map_or(String::new(), |w| {
                let s = if w.written == 1 { "" } else { "s" };
                format!(
                    " ({} file{s} written, {} unchanged, {} removed)",
                    w.written, w.unchanged, w.removed
                )
            });
            finish(
                &diags,
                format!(
                    "built {} into {} in {elapsed:.2} s{files}",
                    count(pages, "page", "pages"),
                    output_dir.display()
                ),
                notes,
            )
        }
    }
}

/// Renders every page and file a build makes, in memory, so that `check` reports what
/// `build` would.
fn render_everything(sites: &[Site], diags: &Diagnostics) {
    for s in sites {
        let renderer = Renderer::new(&s.dossier, &s.theme, &s.settings);
        s.pages().par_iter().for_each(|&k| {
            if let Err(d) = renderer.render(k) {
                diags.push(d);
            }
        });
        // Everything a build makes is made, so that both report the same.
        crate::render::search::index(&s.dossier, &s.settings, &s.theme.strings, &|_, _| {});
        if s.settings.edition.is_none() {
            drop(render::other_files(&s.dossier, &s.theme, &s.settings));
        }
        // Every page has asked for its strings: those with no translation.
        for w in s.theme.strings.missing() {
            diags.push(w);
        }
    }
}

/// What `check` says it checked, with how much of each edition is translated.
fn check_summary(sites: &[Site]) -> String {
    let d = &sites[0].dossier;
    let mut summary = format!(
        "checked {}, {}, {}, {} and {}",
        count(d.claims.len(), "claim", "claims"),
        count(d.sources.len(), "source", "sources"),
        count(d.actors.len(), "actor", "actors"),
        count(d.events.len(), "event", "events"),
        count(d.pages.len(), "page", "pages"),
    );
    for s in &sites[1..] {
        let (done, all) = translated(&s.dossier);
        let tag = s.settings.edition.as_deref().unwrap_or_default();
        let all = count(all, "entry or page", "entries and pages");
        summary = format!("{summary}; {tag}: {done} of {all} translated");
    }
    summary
}

/// `check --external`: every source address asked, and each live page with a verified
/// quote read again; the summary's words for both.
#[cfg(feature = "capture")]
fn live_web(
    d: &Dossier,
    settings: &Settings,
    since: Option<crate::load::content::date::PartialDate>,
    record: bool,
    diags: &Diagnostics,
) -> Option<String> {
    let links = crate::capture::external::check(d, settings, diags).line();
    let quotes = crate::capture::drift::check(d, settings, since, record, diags).line();
    Some(format!("{links}; {quotes}"))
}

/// Without the `capture` feature there is no `--external` to ask for.
#[cfg(not(feature = "capture"))]
fn live_web(
    _: &Dossier,
    _: &Settings,
    _: Option<crate::load::content::date::PartialDate>,
    _: bool,
    _: &Diagnostics,
) -> Option<String> {
    None
}

/// How many of an edition's entries and pages (the home page included) are translated,
/// and how many there are.
fn translated(d: &Dossier) -> (usize, usize) {
    let docs: Vec<bool> = d
        .claims
        .iter()
        .map(|c| c.body.doc.is_translation())
        .chain(d.sources.iter().map(|s| s.body.doc.is_translation()))
        .chain(d.actors.iter().map(|a| a.body.doc.is_translation()))
        .chain(d.events.iter().map(|e| e.body.doc.is_translation()))
        .chain(d.pages.iter().map(|p| p.body.doc.is_translation()))
        .chain(d.home.iter().map(|h| h.body.doc.is_translation()))
        .collect();
    (docs.iter().filter(|&&t| t).count(), docs.len())
}

fn failed_summary(diags: &Diagnostics, mode: Mode) -> String {
    let n = diags
        .sorted()
        .iter()
        .filter(|d| d.severity == crate::base::diagnostics::Severity::Error)
        .count();
    let s = if n == 1 { "" } else { "s" };
    match mode {
        Mode::Check { .. } => format!("{n} error{s} found"),
        Mode::Build => {
            format!("{n} error{s}; nothing was written and the previous output is unchanged")
        }
    }
}

/// Renders every page of every language and writes the site; on any error nothing in the
/// output changes. Each language is dropped once written, so that the next one's pages
/// are rendered beside one dossier, not all of them.
fn write_site(
    sites: Vec<Site>,
    diags: &Diagnostics,
    cache: &mut BuildCache,
) -> Result<Option<Written>, Diagnostic> {
    let site = &sites[0];
    let out = site.settings.output_dir.clone();
    check_target(&site.settings.root, &out)?;
    let io_err = |what: &str, e: &dyn std::fmt::Display| {
        Diagnostic::error(out.display().to_string(), 0, 0, format!("{what}: {e}"))
    };
    let keep = &site.settings.config.output.keep;
    let output = match Output::create(&out, &site.settings.root, keep) {
        Ok(o) => o,
        Err(OutputError::Busy { pid }) => {
            let who = pid.map_or(String::new(), |p| format!(" (pid {p})"));
            return Err(io_err(
                "cannot build",
                &format!(
                    "another build{who} is writing to `{}`; wait for it to finish",
                    out.display()
                ),
            ));
        }
        Err(OutputError::Io(e)) => {
            return Err(io_err(
                "cannot prepare the new site beside the output folder",
                &format!("{e}{}", hint(&e)),
            ));
        }
    };
    let w = Writer {
        output: &output,
        failed: Mutex::new(Vec::new()),
    };
    // Files published once, at the root, written after every language's pages.
    let others = render::other_files(&site.dossier, &site.theme, &site.settings);
    for s in sites {
        write_language(&s, &w, cache, diags);
    }
    others.par_iter().for_each(|(rel, file)| {
        if w.stop() {
            return;
        }
        let written = match file {
            SiteFile::Generated(bytes) => output.write(rel, bytes),
            SiteFile::Embedded(bytes) => output.write(rel, bytes),
            SiteFile::Disk(path) => output.copy(rel, path),
        };
        w.write(rel, written);
    });
    let mut failed = w.failed.into_inner().unwrap_or_else(|e| e.into_inner());
    failed.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some((rel, e)) = failed.first() {
        let hint = hint(e);
        let more = match failed.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more file{})", if n == 1 { "" } else { "s" }),
        };
        diags.push(io_err(
            &format!("cannot write {rel}{more}"),
            &format!("{e}{hint}"),
        ));
    }
    if diags.has_errors() {
        output.abort();
        return Ok(None);
    }
    // The cache is written while the previous site is removed, once the new one is in
    // place, and under the output's lock.
    let (written, note) = output
        .commit(|| std::mem::take(cache).save())
        .map_err(|e| {
            io_err(
                "cannot put the new site in place",
                &format!("{e}{}", hint(&e)),
            )
        })?;
    cache.note = note;
    if let Some((left, e)) = &written.leftover {
        diags.push(Diagnostic::warning(
            out.display().to_string(),
            0,
            0,
            format!(
                "the new site is in place, but the previous one could not be removed from `{}` ({e}); the next build removes it",
                left.display()
            ),
        ));
    }
    Ok(Some(written))
}

/// The output being written, and the writes that failed: the first stops the others, as
/// a full or read-only disk would fail them all the same way.
struct Writer<'a> {
    output: &'a Output,
    failed: Mutex<Vec<(String, std::io::Error)>>,
}

impl Writer<'_> {
    /// Notes the result of writing `rel`.
    fn write(&self, rel: &str, result: std::io::Result<()>) {
        if let Err(e) = result {
            let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.push((rel.to_string(), e));
        }
    }

    /// Whether a write has failed, so that nothing more is written.
    fn stop(&self) -> bool {
        !self
            .failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }
}

/// Writes one language's pages (those that changed, with a build cache), its redirect
/// pages (an edition's) and its search index, and keeps their footprint in `cache`.
fn write_language(s: &Site, w: &Writer, cache: &mut BuildCache, diags: &Diagnostics) {
    let (d, prefix, output) = (&s.dossier, s.prefix(), w.output);
    let renderer = Renderer::new(d, &s.theme, &s.settings);
    renderer.prepare_lists();
    let (large, small): (Vec<SitePage>, Vec<SitePage>) =
        s.pages().into_iter().partition(|k| k.spec().large);
    let paths = |kinds: &[SitePage]| -> Vec<String> {
        kinds.iter().map(|&k| pages::output_path(k, d)).collect()
    };
    let (large, small) = ((paths(&large), large), (paths(&small), small));
    let digest = renderer.site_digest();
    let mut footprint = Footprint::survey(d, &s.settings, &s.theme, digest, small.0.clone());
    let previous = cache.footprint(&prefix);
    let change = footprint.change(previous.as_ref(), d);
    let plans = match &change {
        Some(c) => (c.large(d, &large.1, &large.0), c.pages(&small.1, &small.0)),
        None => (vec![None; large.1.len()], vec![None; small.1.len()]),
    };
    let jobs = Jobs {
        large: (&large.0, &large.1, &plans.0),
        small: (&small.0, &small.1, &plans.1),
    };
    for (path, page) in write_pages(&renderer, &jobs, &prefix, w, diags) {
        footprint.record(path, page);
    }
    drop(renderer);
    if s.settings.edition.is_some() {
        for (rel, page) in render::redirect_pages(d, &s.settings) {
            if let SiteFile::Generated(bytes) = page {
                let rel = format!("{prefix}{rel}");
                w.write(&rel, output.write(&rel, &bytes));
            }
        }
    }
    let unchanged = change.as_ref().is_some_and(|c| c.is_nothing());
    let old_search = previous.as_ref().map(|p| p.search()).unwrap_or_default();
    let search = match unchanged && output.keep_all(&prefix, old_search) {
        true => old_search.to_vec(),
        false => write_search(s, &prefix, w),
    };
    footprint.set_search(search);
    // Every page has asked for its strings: those with no translation.
    footprint.set_complete(s.theme.strings.none_missing());
    cache.keep_footprint(&prefix, footprint);
    s.theme
        .strings
        .missing()
        .into_iter()
        .for_each(|w| diags.push(w));
}

/// Writes the search index of one language, each file as soon as it is made (after the
/// pages, and itself built in parallel, so that its memory does not add to theirs); the
/// stamps of its files.
fn write_search(s: &Site, prefix: &str, w: &Writer) -> Vec<(String, Stamp)> {
    let written = Mutex::new(Vec::new());
    crate::render::search::index(&s.dossier, &s.settings, &s.theme.strings, &|rel, bytes| {
        let full = format!("{prefix}{rel}");
        if w.stop() {
            return;
        }
        w.write(&full, w.output.write(&full, &bytes));
        if let Some(stamp) = w.output.stamp(&full) {
            let mut written = written.lock().unwrap_or_else(|e| e.into_inner());
            written.push((rel, stamp));
        }
    });
    written.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// The pages of one language to write: the large ones and the others, each with their
/// files and their records in the previous footprint when they may be kept.
struct Jobs<'a> {
    large: (&'a [String], &'a [SitePage], &'a [Option<&'a Page>]),
    small: (&'a [String], &'a [SitePage], &'a [Option<&'a Page>]),
}

/// Writes the pages of one language, rendering those whose file cannot be kept; what
/// each showed and its file's stamp, by its path.
fn write_pages(
    renderer: &Renderer,
    jobs: &Jobs,
    prefix: &str,
    w: &Writer,
    diags: &Diagnostics,
) -> Vec<(String, Page)> {
    // Pages built from the whole dossier (the print page, the data export, the indexes)
    // take long each: they go first, so that the many small pages fill in around them
    // instead of one long page running alone at the end.
    let mut order: Vec<Job> = (0..jobs.large.1.len()).map(Job::Large).collect();
    order.sort_by_key(|&j| match j {
        Job::Large(i) => matches!(jobs.large.1[i].spec().place, pages::Place::Each(..)),
        Job::Small(_) => true,
    });
    order.extend((0..jobs.small.1.len()).map(Job::Small));
    let output = w.output;
    order
        .par_iter()
        .filter_map(|&job| {
            if w.stop() {
                return None;
            }
            let ((paths, kinds, plan), i) = match job {
                Job::Large(i) => (jobs.large, i),
                Job::Small(i) => (jobs.small, i),
            };
            let (path, kind) = (&paths[i], kinds[i]);
            let rel = format!("{prefix}{path}");
            if let Some(kept) = plan[i].filter(|p| output.keep(&rel, &p.stamp)) {
                return Some((path.clone(), kept.clone()));
            }
            let shown = match job {
                Job::Large(_) => match output.write_streamed(&rel, |o| renderer.render_to(kind, o))
                {
                    Ok(()) => Vec::new(),
                    Err(RenderError::Template(e)) => {
                        diags.push(e);
                        return None;
                    }
                    Err(RenderError::Write(e)) => {
                        w.write(&rel, Err(e));
                        return None;
                    }
                },
                Job::Small(_) => match renderer.render_recorded(kind) {
                    Ok((bytes, shown)) => {
                        w.write(&rel, output.write(&rel, &bytes));
                        shown
                    }
                    Err(e) => {
                        diags.push(e);
                        return None;
                    }
                },
            };
            let stamp = output.stamp(&rel)?;
            Some((path.clone(), Page { shown, stamp }))
        })
        .collect()
}

/// One file of a language's pages to write: a large page, or one of the others, by its
/// place in their lists.
#[derive(Clone, Copy)]
enum Job {
    Large(usize),
    Small(usize),
}

/// What to do about a failed write, by its kind.
fn hint(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            "; free some space and build again"
        }
        std::io::ErrorKind::ReadOnlyFilesystem => {
            "; the output folder is on a read-only file system"
        }
        std::io::ErrorKind::PermissionDenied => {
            "; check the permissions of the output folder and of the folder holding it (the new site is written beside the old one)"
        }
        _ => "",
    }
}

//! Checks of the resolved whole: quotes against snapshots, anchors, URLs, warnings about
//! the dossier, and content that would collide with a generated file.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::Cx;
use crate::base::diagnostics::{Diagnostic, Diagnostics, nearest};
use crate::load::content::meta::Citation;
use crate::load::content::{Document, EntryKind};
use crate::resolve::markdown::RESERVED_IDS;
use crate::resolve::model::*;

impl Cx<'_> {
    /// Checks every quote cited from a source with a snapshot against that snapshot, and,
    /// in a PDF, that it is on the page its `locator` names.
    pub(super) fn verify_quotes(
        &self,
        doc: &Document,
        citations: &[Citation],
        sources: &[Option<usize>],
    ) {
        let quoted = citations
            .iter()
            .zip(sources)
            .filter(|(c, _)| c.quote.is_some());
        for (n, (c, pos)) in quoted.enumerate() {
            let (Some(quote), Some(snapshot)) = (
                &c.quote,
                pos.and_then(|p| self.snapshots[p].as_ref())
                    .filter(|s| s.has_text()),
            ) else {
                continue;
            };
            let (file, line, col) = doc.place_nth("quote", n);
            let miss = match snapshot.find(quote) {
                Ok(found) => {
                    let named = c.locator.as_deref().and_then(locator_pages);
                    if let (Some(page), Some((from, to))) = (found.page, named)
                        && !(from..=to).contains(&page)
                    {
                        let said = c.locator.as_deref().unwrap_or_default();
                        self.diags.push(Diagnostic::warning(
                            file,
                            line,
                            col,
                            format!(
                                "the quote is on page {page} of the snapshot of source `{}` ({}), not where the locator `{said}` says",
                                c.source, snapshot.file
                            ),
                        ).suggest(Some(format!("p. {page}"))));
                    }
                    continue;
                }
                Err(miss) => miss,
            };
            let closest = match (miss.passage, miss.page) {
                (Some(p), Some(page)) => match miss.last_page.filter(|&l| l > page) {
                    Some(last) => {
                        format!("; the closest passage, on pages {page}-{last}, reads \"{p}\"")
                    }
                    None => format!("; the closest passage, on page {page}, reads \"{p}\""),
                },
                (Some(p), None) => format!(
                    "; the closest passage, at {}:{}, reads \"{p}\"",
                    snapshot.file, miss.line
                ),
                (None, _) if miss.too_large => format!(
                    "; the snapshot is too large ({} MB of text) to search for the closest passage",
                    snapshot.size().div_ceil(1 << 20)
                ),
                (None, _) => String::new(),
            };
            let closest = match snapshot.unreadable() {
                Some(pages) => format!("{closest}; {pages} of it could not be read"),
                None => closest,
            };
            self.diags.push(Diagnostic::error(
                file,
                line,
                col,
                format!(
                    "quote not found in the snapshot of source `{}` ({}){closest}",
                    c.source, snapshot.file
                ),
            ));
        }
    }
}

/// The pages a citation's locator names: `p. 4`, `pp. 4-5`, `page 4`, `pages 4–5`.
fn locator_pages(locator: &str) -> Option<(usize, usize)> {
    let lower = locator.trim().to_lowercase();
    let rest = ["pages", "page", "pp.", "pp", "p."]
        .iter()
        .find_map(|p| lower.strip_prefix(p))?;
    let mut numbers = rest
        .split(['-', '\u{2013}', '\u{2014}'])
        .map(|n| n.trim().parse::<usize>());
    let from = numbers.next()?.ok()?;
    let to = match numbers.next() {
        Some(n) => n.ok()?,
        None => from,
    };
    (numbers.next().is_none() && from <= to).then_some((from, to))
}

/// Warnings about the dossier as a whole: claims citing nothing, sources nobody cites,
/// sources without an archived copy. While some file failed to load (`complete` is
/// false), what it cites is unknown, so no source is said to be uncited.
pub(super) fn warnings(d: &Dossier, complete: bool, diags: &Diagnostics) {
    // Output paths that differ only in case overwrite each other on case-insensitive file
    // systems (macOS, Windows) and hosts backed by them.
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let outputs = d
        .pages
        .iter()
        .map(|p| (p.path.as_str(), p.body.doc.file.as_str()))
        .chain(d.assets.iter().map(|a| (a.content_path.as_str(), "")));
    for (path, file) in outputs {
        if let Some(other) = seen.insert(path.to_lowercase(), path) {
            let file = if file.is_empty() {
                format!("{}/{path}", crate::load::content::CONTENT_DIR)
            } else {
                file.to_string()
            };
            diags.push(Diagnostic::warning(
                file,
                0,
                0,
                format!("`{path}` and `{other}` differ only in case: on a case-insensitive file system (macOS, Windows) one overwrites the other; rename one"),
            ));
        }
    }
    for c in &d.claims {
        // Citations of a source that failed to load give no reference, but are there.
        if c.body.references.is_empty()
            && c.meta.citations.is_empty()
            && c.body.rendered.cited.is_empty()
        {
            diags.push(
                Diagnostic::warning(
                    c.body.doc.entry_file(),
                    1,
                    1,
                    format!("claim `{}` cites no source", c.id),
                )
                .many(&crate::base::diagnostics::Many {
                    what: "claims cite no source",
                    advice: "",
                }),
            );
        }
    }
    unarchived(d, diags);
    for s in &d.sources {
        if complete
            && s.cited_by.is_empty()
            && !s
                .body
                .mentioned_in
                .iter()
                .any(|m| !matches!(m, PageRef::Source(_)))
        {
            diags.push(
                Diagnostic::warning(
                    s.body.doc.entry_file(),
                    1,
                    1,
                    format!("source `{}` is not cited by any claim", s.id),
                )
                .many(&crate::base::diagnostics::Many {
                    what: "sources are not cited by any claim",
                    advice: "",
                }),
            );
        }
    }
}

/// Checks each correction's date: a whole day, not in the future, and not before the
/// entry's own date.
pub(super) fn check_corrections(d: &Dossier, diags: &Diagnostics) {
    let today =
        crate::load::content::date::PartialDate::parse(&crate::load::content::date::today()).ok();
    for entry in d.corrected() {
        for (n, c) in entry.corrections.iter().enumerate() {
            let problem = if c.date.day.is_none() {
                Some(format!(
                    "a correction is dated to the day, like `{}`, not `{}`",
                    first_day(c.date),
                    c.date
                ))
            } else if today.is_some_and(|t| c.date > t) {
                Some(format!(
                    "this correction is dated {}, which is in the future; date it the day it is published",
                    c.date
                ))
            } else {
                entry.date.filter(|e| c.date < first_day(*e)).map(|e| {
                    format!(
                        "this correction is dated {}, before the entry's own date, {e}; a correction comes after what it corrects",
                        c.date
                    )
                })
            };
            if let Some(message) = problem {
                let (file, line, col) = entry.body.doc.place_in_table("corrections", n, "date");
                diags.push(Diagnostic::error(file, line, col, message));
            }
        }
    }
}

/// The first day of a partial date's year or month.
fn first_day(
    d: crate::load::content::date::PartialDate,
) -> crate::load::content::date::PartialDate {
    crate::load::content::date::PartialDate {
        month: Some(d.month.unwrap_or(1)),
        day: Some(d.day.unwrap_or(1)),
        ..d
    }
}

/// Reminds of sources with a `url` and no `archive_url`.
fn unarchived(d: &Dossier, diags: &Diagnostics) {
    for s in d
        .sources
        .iter()
        .filter(|s| s.meta.url.is_some() && s.meta.archive_url.is_none())
    {
        let (file, line, col) = s.body.doc.place("url", None);
        let message = format!(
            "source `{}` has a url but no archive_url; `dossier archive {}` asks the Internet Archive for a copy, in case the page changes or disappears",
            s.id, s.id
        );
        diags.push(Diagnostic::warning(file, line, col, message).many(&crate::base::diagnostics::Many {
 what: "sources have a url but no archive_url",
 advice: "`dossier archive` asks the Internet Archive for a copy of each, in case the pages change or disappear",
 }));
    }
}

pub(super) fn check_http_url(doc: &Document, key: &str, url: &str, diags: &Diagnostics) {
    let lower = url.trim().to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://"))
        || url.contains(['"', '<', '>', ' '])
    {
        let encoded = url
            .trim()
            .replace(' ', "%20")
            .replace('"', "%22")
            .replace('<', "%3C")
            .replace('>', "%3E");
        let suggestion = (encoded.to_ascii_lowercase().starts_with("http://")
            || encoded.to_ascii_lowercase().starts_with("https://"))
        .then_some(encoded);
        diags.push(
            doc.error_at(
                key,
                None,
                format!("`{key}` must be an http or https URL without spaces, double quotes or angle brackets, not `{url}`"),
            )
            .suggest(suggestion),
        );
    } else if let (bare, Some((_, password))) =
        crate::base::address::without_credentials(url.trim())
        && !password.is_empty()
    {
        diags.push(
            doc.error_at(
                key,
                None,
                format!("`{key}` carries a password (`user:…@` before the host), which would be published with the site; remove it"),
            )
            .suggest(Some(bare)),
        );
    }
}

/// Every `#anchor` link must name a heading of its page, a reserved id or a reference.
pub(super) fn check_anchors(d: &Dossier, diags: &Diagnostics) {
    let bodies: Vec<(&str, &Body)> = d
        .claims
        .iter()
        .map(|c| (c.url.as_str(), &c.body))
        .chain(d.sources.iter().map(|c| (c.url.as_str(), &c.body)))
        .chain(d.actors.iter().map(|c| (c.url.as_str(), &c.body)))
        .chain(d.events.iter().map(|c| (c.url.as_str(), &c.body)))
        .chain(d.pages.iter().map(|c| (c.url.as_str(), &c.body)))
        .collect();
    let anchors: FxHashMap<&str, FxHashSet<&str>> = bodies
        .iter()
        .map(|(url, b)| {
            (
                *url,
                b.rendered.anchors.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let footnotes = |b: &Body| -> FxHashSet<String> {
        b.doc
            .body
            .match_indices("[^")
            .filter_map(|(i, _)| b.doc.body[i + 2..].split(']').next().map(str::to_string))
            .collect()
    };
    for (url, body) in &bodies {
        for link in &body.rendered.anchor_links {
            let page = if link.page_url.is_empty() {
                *url
            } else {
                link.page_url.as_str()
            };
            let Some(known) = anchors.get(page) else {
                continue;
            };
            let a = link.anchor.as_str();
            let generated = RESERVED_IDS.contains(&a)
                || a.strip_prefix("ref-")
                    .or_else(|| a.strip_prefix("cite-"))
                    .is_some_and(|n| n.parse::<usize>().is_ok());
            let own_footnote = || page == *url && footnotes(body).contains(a);
            if !(known.contains(a) || generated || own_footnote()) {
                diags.push(
                    Diagnostic::error(
                        body.doc.body_file(),
                        link.line,
                        link.column,
                        format!("unknown anchor `#{a}` on {page}"),
                    )
                    .suggest(nearest(a, known.iter().copied())),
                );
            }
        }
    }
}

/// Content that would be published where dossier writes a generated page or file, or
/// where the theme or the site has a static file (`is_static` tells): one error at the
/// content file, naming what it collides with. Such files stay in the link index, so
/// links to them are not reported again.
pub fn collisions(d: &Dossier, is_static: impl Fn(&str) -> bool, diags: &Diagnostics) {
    content_collisions(d, &is_static, diags);
    alias_collisions(d, &is_static, diags);
}

/// Checks each earlier address (`aliases`, `redirect_from`): a path on the site, which no page, file or
/// other alias has.
fn alias_collisions(d: &Dossier, is_static: &impl Fn(&str) -> bool, diags: &Diagnostics) {
    let redirects = d.redirects();
    if redirects.is_empty() {
        return;
    }
    let outputs: FxHashSet<String> = crate::resolve::pages::all_pages(d)
        .into_iter()
        .map(|p| crate::resolve::pages::output_path(p, d))
        .collect();
    let assets: FxHashSet<&str> = d.assets.iter().map(|a| a.content_path.as_str()).collect();
    let mut seen: FxHashMap<String, &str> = FxHashMap::default();
    for r in &redirects {
        let problem = match crate::resolve::pages::alias_output(r.alias) {
            Err(e) => Some(e),
            Ok(out) => {
                let taken = if let Some(g) = crate::resolve::pages::taken_by_generated(&out) {
                    Some(format!("{g}, which dossier generates"))
                } else if outputs.contains(&out) {
                    Some("a page of the site".to_string())
                } else if is_static(&out) || assets.contains(out.as_str()) {
                    Some("a file of the site".to_string())
                } else {
                    seen.get(&out).map(|f| format!("an alias in {f}"))
                };
                seen.entry(out).or_insert(&r.doc.file);
                taken.map(|t| {
                    format!(
                        "the alias `{}` is taken by {t}; give another address, or remove it",
                        r.alias
                    )
                })
            }
        };
        if let Some(message) = problem {
            let (file, line, col) = r.doc.place(r.key, Some(r.alias));
            diags.push(Diagnostic::error(file, line, col, message));
        }
    }
}

/// Checks plain pages and files beside the content against generated pages and files.
fn content_collisions(d: &Dossier, is_static: &impl Fn(&str) -> bool, diags: &Diagnostics) {
    let pages = d.pages.iter().map(|p| {
        let out = format!("{}/index.html", p.path);
        let what = format!("page path `/{}/`", p.path);
        (out, p.body.doc.file.clone(), 1, what)
    });
    let assets = d.assets.iter().map(|a| {
        let file = format!("{}/{}", crate::load::content::CONTENT_DIR, a.content_path);
        let what = format!("this file's address `/{}`", a.content_path);
        (a.content_path.clone(), file, 0, what)
    });
    let page_outputs: FxHashSet<String> = d
        .pages
        .iter()
        .map(|p| format!("{}/index.html", p.path))
        .collect();
    for (i, (out, file, line, what)) in pages.chain(assets).enumerate() {
        let taken = crate::resolve::pages::generated_at(&out)
            .map(|g| format!("{g}, which dossier generates"))
            .or_else(|| is_static(&out).then(|| "a static file of the theme or the site".into()))
            .or_else(|| {
                (i >= d.pages.len() && page_outputs.contains(&out)).then(|| "a page".into())
            });
        if let Some(taken) = taken {
            diags.push(Diagnostic::error(
                file,
                line,
                line,
                format!("{what} is taken by {taken}; move or rename the file"),
            ));
        }
    }
}

/// Content published under the folder of a translated edition (`/fr/…` for
/// `[languages.fr]`): one error at the file, since the edition's pages are there.
pub fn edition_folders(d: &Dossier, tags: &[String], diags: &Diagnostics) {
    let under = |path: &str| {
        tags.iter()
            .find(|t| path == t.as_str() || path.starts_with(&format!("{t}/")))
    };
    let pages = d
        .pages
        .iter()
        .map(|p| (p.path.as_str(), p.body.doc.file.clone()));
    let assets = d.assets.iter().map(|a| {
        let file = format!("{}/{}", crate::load::content::CONTENT_DIR, a.content_path);
        (a.content_path.as_str(), file)
    });
    for (path, file) in pages.chain(assets) {
        if let Some(tag) = under(path) {
            diags.push(Diagnostic::error(
                file,
                0,
                0,
                format!("`/{path}` is in the folder of the `{tag}` edition (`/{tag}/`, from [languages.{tag}] in site.toml); move the file out of `content/{tag}/`"),
            ));
        }
    }
    for r in d.redirects() {
        let path = r.alias.trim_start_matches('/');
        if let Some(tag) = under(path.trim_end_matches('/')).or_else(|| under(path)) {
            let (file, line, col) = r.doc.place(r.key, Some(r.alias));
            diags.push(Diagnostic::error(
                file,
                line,
                col,
                format!("the alias `{}` is in the folder of the `{tag}` edition (`/{tag}/`, from [languages.{tag}] in site.toml); give an address outside it", r.alias),
            ));
        }
    }
}

/// Checks `[[map.positions]]`: each id a claim, each claim in one position at most, and no
/// two claims of one position in dispute. Each mistake is one error where it is written.
pub(super) fn check_positions(
    d: &Dossier,
    positions: &[crate::load::config::PositionConfig],
    diags: &Diagnostics,
) {
    let file = crate::load::config::CONFIG_FILE;
    let mut placed: FxHashMap<usize, &str> = FxHashMap::default();
    for p in positions {
        let mut mine: Vec<(usize, &str)> = Vec::new();
        for (id, &(line, col)) in p.claims.iter().zip(&p.at) {
            let id = id.get_ref().as_str();
            let Some(i) = d.index.pos(id, EntryKind::Claim) else {
                if d.index
                    .ids
                    .get(id)
                    .is_some_and(|t| t.kind == EntryKind::Claim)
                {
                    // A claim that failed to load was reported at its own file.
                    continue;
                }
                diags.push(
                    Diagnostic::error(
                        file,
                        line,
                        col,
                        format!("the position “{}” lists `{id}`, which is no claim", p.name),
                    )
                    .suggest(nearest(id, d.claims.iter().map(|c| c.id.as_str()))),
                );
                continue;
            };
            if let Some(other) = placed.insert(i, &p.name) {
                diags.push(Diagnostic::error(
                    file,
                    line,
                    col,
                    format!("`{id}` is in the position “{other}” already; a claim holds one position at most"),
                ));
                continue;
            }
            let disputed = d.in_dispute_with(i);
            if let Some(&(_, with)) = mine.iter().find(|&&(j, _)| disputed.contains(&j)) {
                diags.push(Diagnostic::error(
                    file,
                    line,
                    col,
                    format!("`{id}` and `{with}` are in dispute, so they cannot share the position “{}”", p.name),
                ));
            }
            mine.push((i, id));
        }
    }
}

/// Checks that no claim supports a claim it is in dispute with (whichever of the two
/// states the dispute): one error at the `supports` entry, which is where the two part.
pub(super) fn check_support_in_dispute(d: &Dossier, diags: &Diagnostics) {
    for (i, c) in d.claims.iter().enumerate() {
        for &j in &c.supports {
            if c.disputes.contains(&j) || d.claims[j].disputes.contains(&i) {
                let other = &d.claims[j].id;
                diags.push(c.body.doc.error_at(
                    "supports",
                    Some(other),
                    format!("`{}` supports `{other}` and is in dispute with it; a claim does one or the other", c.id),
                ));
            }
        }
    }
}

/// Checks that claims naming one activity give it one kind: each claim that gives
/// another kind than the earliest claim naming it is one error at its `kind`.
pub(super) fn check_activities(d: &Dossier, diags: &Diagnostics) {
    use crate::load::content::meta::Choice;
    let mut first: FxHashMap<&str, (usize, crate::load::content::meta::ActivityKind)> =
        FxHashMap::default();
    for i in d.claims_by_date() {
        let c = &d.claims[i];
        let Some(a) = &c.meta.attributes else {
            continue;
        };
        let (earlier, kind) = *first.entry(&a.activity).or_insert((i, a.kind));
        if kind != a.kind {
            diags.push(c.body.doc.error_at(
                "attributes",
                Some(a.kind.name()),
                format!(
                    "the activity “{}” is a `{}` in `{}`, the earliest claim naming it; one activity has one kind",
                    a.activity,
                    kind.name(),
                    d.claims[earlier].id
                ),
            ));
        }
    }
}

//! `dossier check --external`, the live source: each live page with a verified quote is
//! read again (an HTML page or a PDF, a few at a time and at most two from one host, with
//! the link check's timeout and the capture's size limit), and each quote that is no
//! longer there is reported as a warning at its citation, saying how: the page is gone,
//! the quote is missing and what the closest passage now reads, the page changed its
//! encoding or language, or it could not be read as text. Nothing in the dossier changes.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::capture::{Body, fetch, received};
use crate::load::config::Settings;
use crate::load::content::EntryKind;
use crate::load::content::date::PartialDate;
use crate::resolve::model::{Dossier, Source};
use crate::snapshots::{Reading, Snapshot, charset_param, chosen_encoding, encoding};

/// Pages read at once from one host.
const PER_HOST: usize = 2;

/// How the check names itself to the servers it asks.
const USER_AGENT: &str = concat!("dossier/", env!("CARGO_PKG_VERSION"), " (quote check)");

/// One verified quote to look for again, the claim citing it, and where its citation
/// writes it.
struct Quoted<'a> {
    claim: &'a str,
    quote: &'a str,
    file: &'a str,
    line: usize,
    col: usize,
}

/// A live page read as text.
struct Page {
    status: u16,
    text: Snapshot,
    /// The address it ended at, when it was redirected.
    moved_to: Option<String>,
    /// The encoding it was read in (none for a PDF).
    encoding: Option<&'static str>,
    /// Where its first byte that is not in its encoding is.
    invalid_at: Option<usize>,
    /// The language its `<html lang>` gives.
    language: Option<String>,
}

/// What reading a live page gave.
enum Live {
    Read(Box<Page>),
    Gone {
        status: u16,
        moved_to: Option<String>,
    },
    Unreadable(String),
}

/// What the check found, for the summary line.
#[derive(Debug, Default)]
pub struct Summary {
    pub pages: usize,
    pub quotes: usize,
    pub present: usize,
    /// How many source files a check was recorded in, when asked to.
    pub recorded: Option<usize>,
}

impl Summary {
    /// "re-read 3 live pages with verified quotes: 5 of 6 quotes still there".
    pub fn line(&self) -> String {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        let recorded = self.recorded.map_or(String::new(), |n| {
            format!(" (recorded in {n} source file{})", s(n))
        });
        format!(
            "re-read {} live page{} with verified quotes: {} of {} quote{} still there{recorded}",
            self.pages,
            s(self.pages),
            self.present,
            self.quotes,
            s(self.quotes)
        )
    }
}

/// What re-reading one source's live page found, as `--record` writes it.
#[derive(Default)]
struct Found {
    status: Option<u16>,
    found: usize,
    /// The claims whose quotes are not there, one id per quote.
    missing: Vec<String>,
    note: Option<String>,
}

/// Reads again the live page of every source with a verified quote (of those read before
/// `since`, when given) and reports each quote no longer there; with `record`, writes
/// what was found into each source's file.
pub fn check(
    d: &Dossier,
    settings: &Settings,
    since: Option<PartialDate>,
    record: bool,
    diags: &Diagnostics,
) -> Summary {
    let by_source = quoted(d, since);
    let urls: Vec<&str> = by_source
        .keys()
        .filter_map(|&s| d.sources[s].meta.url.as_deref())
        .collect();
    let cfg = &settings.config.link_check;
    let timeout = Duration::from_secs_f64(cfg.timeout);
    let read = |url: &str| read(url, timeout, settings);
    let pages = read_all(&urls, cfg.concurrency, read);
    let mut summary = Summary {
        pages: urls.len(),
        ..Summary::default()
    };
    let mut results = Vec::new();
    for ((&s, quotes), live) in by_source.iter().zip(&pages) {
        let mut result = Found {
            status: match live {
                Live::Read(page) => Some(page.status),
                Live::Gone { status, .. } => Some(*status),
                Live::Unreadable(_) => None,
            },
            note: match live {
                Live::Unreadable(why) => Some(why.clone()),
                _ => None,
            },
            ..Found::default()
        };
        for q in quotes {
            summary.quotes += 1;
            let (present, finding) = finding(&d.sources[s], q.quote, live);
            if present {
                summary.present += 1;
                result.found += 1;
            } else {
                result.missing.push(q.claim.to_string());
            }
            if let Some(how) = finding {
                diags.push(Diagnostic::warning(q.file, q.line, q.col, how));
            }
        }
        results.push((s, result));
    }
    if record {
        summary.recorded = Some(write_checks(d, settings, &results, diags));
    }
    summary
}

/// Writes into each re-read source's file the day it was read (`accessed`) and a
/// `[[checks]]` entry with what was found, keeping every other line; how many files were
/// written.
fn write_checks(
    d: &Dossier,
    settings: &Settings,
    results: &[(usize, Found)],
    diags: &Diagnostics,
) -> usize {
    use crate::capture::edit::{Value, append_table, set_keys, write_replacing};
    let today = crate::load::content::date::today();
    let mut written = 0;
    for (s, found) in results {
        let file = &d.sources[*s].body.doc.file;
        let path = settings.root.join(file);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                diags.push(Diagnostic::error(
                    file,
                    0,
                    0,
                    format!("cannot record the check: {e}"),
                ));
                continue;
            }
        };
        let text = set_keys(&text, &[("accessed", &today, false)], "url");
        let mut fields = vec![("date", Value::Bare(today.clone()))];
        if let Some(status) = found.status {
            fields.push(("status", Value::Bare(status.to_string())));
        }
        fields.push(("found", Value::Bare(found.found.to_string())));
        if !found.missing.is_empty() {
            fields.push(("missing", Value::List(found.missing.clone())));
        }
        if let Some(note) = &found.note {
            fields.push(("note", Value::Text(note)));
        }
        let text = append_table(&text, "checks", &fields);
        match write_replacing(&path, text.as_bytes()) {
            Ok(()) => written += 1,
            Err(e) => diags.push(Diagnostic::error(
                file,
                0,
                0,
                format!("cannot record the check: {e}"),
            )),
        }
    }
    written
}

/// The verified quotes of every claim, by the source they are cited from: of sources with
/// a live address, read before `since` (or never said to be read) when it is given.
fn quoted(d: &Dossier, since: Option<PartialDate>) -> BTreeMap<usize, Vec<Quoted<'_>>> {
    let mut by_source: BTreeMap<usize, Vec<Quoted<'_>>> = BTreeMap::new();
    for c in &d.claims {
        let doc = &c.body.doc;
        let quoted = c.meta.citations.iter().filter(|c| c.quote.is_some());
        for (n, cite) in quoted.enumerate() {
            let Some(s) = d.index.pos(&cite.source, EntryKind::Source) else {
                continue;
            };
            let source = &d.sources[s];
            let (Some(quote), Some(snapshot)) = (&cite.quote, &source.snapshot) else {
                continue;
            };
            let read = source.meta.accessed.or(source.meta.snapshot_captured);
            let due = match (since, read) {
                (Some(since), Some(read)) => read < since,
                _ => true,
            };
            let live = source
                .meta
                .url
                .as_deref()
                .is_some_and(crate::base::address::is_http);
            if !due || !live || !source.verifies_quotes() || snapshot.find(quote).is_err() {
                continue;
            }
            let (file, line, col) = doc.place_nth("quote", n);
            by_source.entry(s).or_default().push(Quoted {
                claim: &c.id,
                quote,
                file,
                line,
                col,
            });
        }
    }
    by_source
}

/// Whether `quote` is still on the live page, and what to say of it if anything.
fn finding(source: &Source, quote: &str, live: &Live) -> (bool, Option<String>) {
    let id = &source.id;
    let url = source.meta.url.as_deref().unwrap_or_default();
    let quote_of = format!("the quote from source `{id}`");
    if !quote.chars().any(char::is_alphanumeric) {
        return (
            false,
            Some(format!(
                "{quote_of} has no letter or digit to look for on its live page; quote words"
            )),
        );
    }
    let read = match live {
        Live::Gone { status, moved_to } => {
            let status = crate::capture::external::status_text(*status);
            let via = moved_to
                .as_ref()
                .map_or(String::new(), |to| format!(" (after redirects to {to})"));
            return (
                false,
                Some(format!(
                    "{quote_of} cannot be found on its live page: the page is gone, {url} answers {status}{via}; its snapshot still holds the quote"
                )),
            );
        }
        Live::Unreadable(why) => {
            return (
                false,
                Some(format!(
                    "{quote_of} could not be looked for on its live page: {why}"
                )),
            );
        }
        Live::Read(page) => page,
    };
    missing(source, quote, read)
}

/// Whether `quote` is on the live `page`, and what to say if it is not (or
/// if the page is not valid in its encoding).
fn missing(source: &Source, quote: &str, page: &Page) -> (bool, Option<String>) {
    let Page {
        text,
        moved_to,
        encoding,
        invalid_at,
        language,
        ..
    } = page;
    let quote_of = format!("the quote from source `{}`", source.id);
    let url = source.meta.url.as_deref().unwrap_or_default();
    let invalid = invalid_at.map(|at| {
        format!(
            "the page is not valid {} (its byte at offset {at} is not), so a browser shows it with replacement characters",
            encoding.unwrap_or("UTF-8")
        )
    });
    let miss = match text.find(quote) {
        Ok(_) => {
            let note =
                invalid.map(|i| format!("{quote_of} is still on its live page {url}, but {i}"));
            return (true, note);
        }
        Err(miss) => miss,
    };
    let mut how = format!("{quote_of} is no longer on its live page {url}");
    if let Some(to) = moved_to {
        how.push_str(&format!(" (it redirects to {to})"));
    }
    match (&miss.passage, text.has_text()) {
        (_, false) => {
            how.push_str("; the page now has no text (a scan, or a page its scripts write)")
        }
        (Some(p), true) => how.push_str(&format!("; the closest passage now reads \"{p}\"")),
        (None, true) => {}
    }
    let snapshot = source.snapshot.as_ref().and_then(|s| s.encoding);
    if let (Some(now), Some(then)) = (encoding, snapshot)
        && !now.eq_ignore_ascii_case(then)
    {
        how.push_str(&format!(
            "; the page is now encoded as {now}, where the snapshot is {then}"
        ));
    }
    if let Some(i) = invalid {
        how.push_str(&format!("; {i}"));
    }
    let primary = |tag: &str| {
        tag.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    if let (Some(now), Some(then)) = (language, &source.meta.language)
        && primary(now) != primary(then)
    {
        how.push_str(&format!(
            "; the page is now in `{now}`, where the source is in `{then}`"
        ));
    }
    (false, Some(how))
}

/// Reads each of `urls` with `read`, `workers` at a time and at most [`PER_HOST`] from
/// one host; the pages come back in `urls`' order.
fn read_all(urls: &[&str], workers: usize, read: impl Fn(&str) -> Live + Sync) -> Vec<Live> {
    struct Queue {
        waiting: VecDeque<usize>,
        busy: HashMap<String, usize>,
    }
    let queue = Mutex::new(Queue {
        waiting: (0..urls.len()).collect(),
        busy: HashMap::new(),
    });
    let freed = Condvar::new();
    let pages: Mutex<Vec<Option<Live>>> = Mutex::new((0..urls.len()).map(|_| None).collect());
    let host = |i: usize| crate::base::address::origin(urls[i]);
    let next = || {
        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if q.waiting.is_empty() {
                return None;
            }
            let free = |i: &usize| q.busy.get(&host(*i)).copied().unwrap_or(0) < PER_HOST;
            if let Some(at) = q.waiting.iter().position(free) {
                let i = q.waiting.remove(at)?;
                *q.busy.entry(host(i)).or_default() += 1;
                return Some(i);
            }
            q = freed.wait(q).unwrap_or_else(|e| e.into_inner());
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, urls.len().max(1)) {
            scope.spawn(|| {
                while let Some(i) = next() {
                    let live = read(urls[i]);
                    pages.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(live);
                    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                    if let Some(n) = q.busy.get_mut(&host(i)) {
                        *n -= 1;
                    }
                    drop(q);
                    freed.notify_all();
                }
            });
        }
    });
    pages
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|p| p.unwrap_or_else(|| Live::Unreadable("it was not read".into())))
        .collect()
}

/// Reads one live page as text, as a browser would.
fn read(url: &str, timeout: Duration, settings: &Settings) -> Live {
    let max_mb = settings.config.capture.max_mb;
    let hops = match fetch::fetch(url, timeout, max_mb, USER_AGENT) {
        Ok(hops) => hops,
        Err(why) => return Live::Unreadable(why),
    };
    let Some(last) = hops.last() else {
        return Live::Unreadable(format!("{url}: no answer"));
    };
    let moved_to = (hops.len() > 1).then(|| last.url.clone());
    if !(200..300).contains(&last.status) {
        return Live::Gone {
            status: last.status,
            moved_to,
        };
    }
    let got = match received::received(last, max_mb) {
        Ok(got) => got,
        Err(why) => return Live::Unreadable(why),
    };
    let reading = Reading {
        limit: settings.snapshot_limit(),
        ..Reading::default()
    };
    let unreadable =
        |e: String| Live::Unreadable(format!("{} cannot be read as text: {e}", last.url));
    match got.body {
        Body::Pdf => {
            match Snapshot::from_bytes("live page".into(), "live.pdf".into(), got.bytes, &reading) {
                Ok(text) => Live::Read(Box::new(Page {
                    status: last.status,
                    text,
                    moved_to,
                    encoding: None,
                    invalid_at: None,
                    language: None,
                })),
                Err(e) => unreadable(e),
            }
        }
        Body::Html => {
            let declared = last
                .header("content-type")
                .and_then(charset_param)
                .and_then(encoding);
            let chosen = chosen_encoding(&got.bytes, declared, true);
            let (text, _, invalid) = chosen.decode(&got.bytes);
            let invalid_at = invalid.then(|| first_invalid(&got.bytes, chosen));
            let language = html_lang(&text);
            let reading = Reading {
                encoding: Some("utf-8".into()),
                ..reading
            };
            let bytes = text.into_owned().into_bytes();
            match Snapshot::from_bytes("live page".into(), "live.html".into(), bytes, &reading) {
                Ok(text) => Live::Read(Box::new(Page {
                    status: last.status,
                    text,
                    moved_to,
                    encoding: Some(chosen.name()),
                    invalid_at,
                    language,
                })),
                Err(e) => unreadable(e),
            }
        }
    }
}

/// Where the first byte of `bytes` that `encoding` cannot decode is.
fn first_invalid(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> usize {
    use encoding_rs::DecoderResult;
    if encoding == encoding_rs::UTF_8 {
        return std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(1 << 16);
    let mut at = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[at..], &mut out, true);
        at += read;
        match result {
            DecoderResult::InputEmpty => return at,
            DecoderResult::OutputFull => out.clear(),
            DecoderResult::Malformed(bad, after) => {
                return at.saturating_sub(usize::from(bad) + usize::from(after));
            }
        }
    }
}

/// The language a page's `<html lang="…">` gives.
fn html_lang(text: &str) -> Option<String> {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let lower = head.to_ascii_lowercase();
    let at = lower.find("<html")?;
    let tag_end = at + lower[at..].find('>')?;
    let tag = &lower[at..tag_end];
    let lang = tag.find(" lang=")? + 6;
    let value = tag[lang..].trim_start_matches(['"', '\'']);
    let end = value.find(['"', '\'', ' ']).unwrap_or(value.len());
    let tag = value[..end].trim();
    (!tag.is_empty()).then(|| tag.to_string())
}

//! Sources' local copies ("snapshots"): reading their visible text and finding the quotes
//! cited from a source in it. Which file is which source's snapshot is decided in
//! `resolve::snapshots`.
//!
//! A snapshot is `<id>.txt`, `<id>.html`, `<id>.htm`, `<id>.pdf`, `<id>.warc`,
//! `<id>.warc.gz`, `<id>.wacz` or `<id>.snapshot.md` beside the source's file, or the file
//! its `snapshot` key names. Text is decoded as [`decode`] says, taken from a PDF page by
//! page ([`pdf`]), or from the response a web archive recorded for the source's `url`
//! ([`crate::snapshots::warc`]). Quotes are matched after both sides are folded the same way:
//! whitespace and line breaks collapse to one space, typographic quotes and dashes become
//! plain ones, soft hyphens and zero-width characters vanish, and letters are compared
//! without case. `...` or `…` in a quote marks an omission: the parts around it must
//! appear in the snapshot in that order. In a PDF, a hyphen that ends a line joins the
//! word it splits; a quote that keeps such a hyphen is found too.

mod decode;
mod fold;
mod fragment;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(not(feature = "pdf"))]
#[path = "pdf_absent.rs"]
pub mod pdf;
pub(crate) mod timestamp;
mod visible;
pub(crate) mod warc;

use std::path::Path;
use std::sync::{Arc, Mutex};

use fold::{Folder, nearest_substring, unhyphenate};
use visible::visible;

use crate::base::digest::sha256_hex;
pub use fold::fold_str;

pub use decode::{charset_param, chosen as chosen_encoding, encoding, meta_charset};

/// The file extensions a snapshot may have, besides `.snapshot.md`.
pub(crate) const EXTENSIONS: [&str; 7] = ["txt", "html", "htm", "pdf", "warc", "warc.gz", "wacz"];

/// How a Markdown snapshot's name ends, so that it is not read as a source or a page.
pub(crate) const MARKDOWN_SUFFIX: &str = ".snapshot.md";

/// How a time-stamp token's name ends (`<source id>.tsr`, beside the source).
pub(crate) const TOKEN_SUFFIX: &str = ".tsr";

/// The extensions of a web archive, in the order a capture's is looked for.
pub(crate) const ARCHIVE_EXTENSIONS: [&str; 3] = ["warc.gz", "warc", "wacz"];

/// Whether a file under `content/` may be a snapshot, judged by its name.
pub(crate) fn is_snapshot_name(content_path: &str) -> bool {
    Format::of(content_path).is_some()
}

/// Whether a file under `content/` is a web archive (WARC or WACZ), judged by its name.
pub(crate) fn is_archive_name(content_path: &str) -> bool {
    Format::of(content_path).is_some_and(Format::is_archive)
}

/// Whether a file under `content/` is kept only as evidence whatever its place: a web
/// archive or a time-stamp token, which no page of a site is made of.
pub(crate) fn is_evidence_only(content_path: &str) -> bool {
    is_archive_name(content_path) || content_path.to_ascii_lowercase().ends_with(TOKEN_SUFFIX)
}

/// What a snapshot file is, by its name.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    Html,
    Markdown,
    Text,
    Pdf,
    Warc,
    Wacz,
}

impl Format {
    fn of(content_path: &str) -> Option<Format> {
        let lower = content_path.to_ascii_lowercase();
        let ends = |e: &str| lower.ends_with(e);
        Some(if ends(MARKDOWN_SUFFIX) {
            Format::Markdown
        } else if ends(".html") || ends(".htm") {
            Format::Html
        } else if ends(".txt") {
            Format::Text
        } else if ends(".pdf") {
            Format::Pdf
        } else if ends(".warc") || ends(".warc.gz") {
            Format::Warc
        } else if ends(".wacz") {
            Format::Wacz
        } else {
            return None;
        })
    }

    fn is_archive(self) -> bool {
        matches!(self, Format::Warc | Format::Wacz)
    }
}

/// What a snapshot's text is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Html,
    Markdown,
    Text,
    Pdf,
}

/// How a source asks for its snapshot to be read: the address a web archive is searched
/// for, the encoding its `snapshot_encoding` names, and how far compressed data in it may
/// expand (`[snapshots] max_mb`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub url: Option<String>,
    pub encoding: Option<String>,
    /// The most bytes any compressed part of the snapshot may expand to, together.
    pub limit: u64,
}

/// How far a snapshot's compressed data may expand by default: `[snapshots] max_mb`.
pub(crate) const DEFAULT_MAX_MB: f64 = 250.0;

impl Default for Reading {
    fn default() -> Self {
        Reading {
            url: None,
            encoding: None,
            limit: (DEFAULT_MAX_MB * 1e6) as u64,
        }
    }
}

/// A snapshot as read, or why it could not be.
pub type Read = Result<Arc<Snapshot>, String>;

/// What a web archive recorded for an address, or why it cannot be read.
type RecordedRead = Result<Arc<Recorded>, String>;

/// A file that may be a source's snapshot. Its text is read and extracted the first time a
/// source uses it, so files that are not snapshots cost nothing; a web archive is read
/// again for each address it is asked for.
#[derive(Debug)]
pub struct SnapshotFile {
    file: String,
    content_path: String,
    path: std::path::PathBuf,
    read: Mutex<Vec<(Reading, Read)>>,
    /// For a web archive, what it recorded for each address it was asked about.
    recorded: Mutex<Vec<(Option<String>, RecordedRead)>>,
}

/// What a web archive recorded as the payload of the response for an address, by its
/// hashes: what a snapshot of the same capture is compared with.
#[derive(Debug)]
pub struct Recorded {
    /// The address the record is for, and whether it is the one asked for.
    pub target: String,
    pub for_url: bool,
    /// The SHA-256 of the payload (the body with its transfer coding undone), and of the
    /// same with its content coding undone, when it has one.
    pub sha256: String,
    pub decoded_sha256: Option<String>,
}

impl SnapshotFile {
    /// The file at `path`: `file` relative to the site root, `content_path` to `content/`.
    pub fn new(file: String, content_path: String, path: std::path::PathBuf) -> SnapshotFile {
        SnapshotFile {
            file,
            content_path,
            path,
            read: Mutex::new(Vec::new()),
            recorded: Mutex::new(Vec::new()),
        }
    }

    /// For a web archive, what it recorded for `url` (see [`crate::snapshots::warc::payload`]), or
    /// why that cannot be read.
    pub fn recorded(&self, url: Option<&str>, limit: u64) -> RecordedRead {
        let key = url.map(str::to_string);
        let mut recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, got)) = recorded.iter().find(|(k, _)| *k == key) {
            return got.clone();
        }
        let got = std::fs::read(&self.path)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|bytes| {
                let format = Format::of(&self.content_path).unwrap_or(Format::Warc);
                let records = archive_records(format, &bytes, limit)?;
                let p = crate::snapshots::warc::payload(&records, url, limit)?;
                Ok(Arc::new(Recorded {
                    target: p.target,
                    for_url: p.for_url,
                    sha256: sha256_hex(&p.body),
                    decoded_sha256: p.decoded.as_deref().map(sha256_hex),
                }))
            });
        recorded.push((key, got.clone()));
        got
    }

    /// The snapshot's text as `reading` asks, or why it cannot be read.
    pub fn get(&self, reading: &Reading) -> Read {
        let archive = Format::of(&self.content_path).is_some_and(Format::is_archive);
        let key = Reading {
            url: reading.url.clone().filter(|_| archive),
            encoding: reading.encoding.clone(),
            limit: reading.limit,
        };
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, got)) = read.iter().find(|(k, _)| *k == key) {
            return got.clone();
        }
        let got = Snapshot::read(
            self.file.clone(),
            self.content_path.clone(),
            &self.path,
            &key,
        )
        .map(Arc::new);
        read.push((key, got.clone()));
        got
    }
}

/// The records of the web archive `content_path` (a WARC or WACZ file, by its name)
/// whose bytes are `bytes`.
#[cfg_attr(not(feature = "capture"), allow(dead_code))]
pub(crate) fn archive_records_of(
    content_path: &str,
    bytes: &[u8],
    limit: u64,
) -> Result<Vec<crate::snapshots::warc::Record>, String> {
    archive_records(
        Format::of(content_path).unwrap_or(Format::Warc),
        bytes,
        limit,
    )
}

/// The records of a web archive's bytes: a WARC file's, or those of every WARC file in a
/// WACZ package.
fn archive_records(
    format: Format,
    bytes: &[u8],
    limit: u64,
) -> Result<Vec<crate::snapshots::warc::Record>, String> {
    if format == Format::Wacz {
        let mut all = Vec::new();
        for archive in crate::snapshots::warc::wacz_archives(bytes, limit)? {
            all.extend(crate::snapshots::warc::records(&archive, limit)?);
        }
        Ok(all)
    } else {
        crate::snapshots::warc::records(bytes, limit)
    }
}

/// The text of one snapshot, ready for matching. It costs about twice the size of its
/// text: the text, the folded text quotes are looked for in, and a run-length map from
/// the folded text back to the text.
#[derive(Debug)]
pub struct Snapshot {
    /// Path relative to the site root, for diagnostics.
    pub file: String,
    /// Path relative to `content/`.
    pub content_path: String,
    /// Words of visible text.
    pub words: usize,
    /// The SHA-256 of the file, in lowercase hexadecimal.
    pub sha256: String,
    /// For a PDF (or an archived one), how many pages it has.
    pub page_count: Option<usize>,
    /// For a PDF, the pages (from 1) whose text could not be read, which count as empty.
    pub unreadable_pages: Vec<usize>,
    /// For a web archive, the address of the response read from it.
    pub record: Option<String>,
    /// The encoding its text was read in (`UTF-8`, `windows-1252`…); none for a PDF.
    pub encoding: Option<&'static str>,
    /// What the text is.
    kind: Kind,
    /// The text (without a byte-order mark); a PDF's pages are joined by form feeds.
    text: Box<str>,
    /// Where each page of a PDF starts in `text`.
    pages: Vec<u32>,
    /// The folded visible text quotes are looked for in.
    key: String,
    /// For each run of `key` whose bytes map one to one onto the text: where it starts in
    /// `key`, and where in `text` its first character comes from.
    runs: Vec<(u32, u32)>,
    /// Where in `key` each block of text after the first begins.
    blocks: Vec<u32>,
}

/// Where a quote was found.
#[derive(Debug)]
pub struct Found {
    /// For a PDF, the page (from 1) where the quote starts.
    pub page: Option<usize>,
    /// Where in the folded text the quote starts and ends.
    span: (usize, usize),
    /// Whether it leaves words out (`...`) between parts found apart.
    elided: bool,
}

/// A quote that is not in the snapshot, with the passage that comes closest.
#[derive(Debug)]
pub struct Miss {
    /// The closest passage, whitespace collapsed, or `None` when the snapshot is too
    /// large to search for it.
    pub passage: Option<String>,
    /// The passage's line in the snapshot file.
    pub line: usize,
    /// For a PDF, the passage's first and last page (from 1).
    pub page: Option<usize>,
    pub last_page: Option<usize>,
    /// The passage was not searched for: the snapshot is too large.
    pub too_large: bool,
}

/// Above this many characters of folded text, or this many needle-by-text steps, the
/// closest passage is not searched for.
const SEARCH_CHARS: usize = 20_000_000;
const SEARCH_STEPS: u64 = 400_000_000;

impl Snapshot {
    /// Reads the file at `path` (`content_path` under `content/`) and extracts its text.
    pub fn read(
        file: String,
        content_path: String,
        path: &Path,
        reading: &Reading,
    ) -> Result<Snapshot, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
        Snapshot::from_bytes(file, content_path, bytes, reading)
    }

    /// A snapshot of `bytes`, whose format is told by `content_path`'s name.
    pub fn from_bytes(
        file: String,
        content_path: String,
        bytes: impl Into<Vec<u8>>,
        reading: &Reading,
    ) -> Result<Snapshot, String> {
        let bytes = bytes.into();
        let sha256 = sha256_hex(&bytes);
        let declared = match &reading.encoding {
            Some(label) => Some(
                encoding(label).ok_or_else(|| format!("`{label}` is not an encoding's name"))?,
            ),
            None => None,
        };
        let format = Format::of(&content_path).unwrap_or(Format::Text);
        let mut encoding_name = matches!(format, Format::Html | Format::Markdown | Format::Text)
            .then(|| decode::chosen(&bytes, declared, format == Format::Html).name());
        let (kind, text, pages, record) = match format {
            Format::Html => (
                Kind::Html,
                decode::html(bytes, declared)?,
                Pages::default(),
                None,
            ),
            Format::Markdown => (
                Kind::Markdown,
                decode::text(bytes, declared)?,
                Pages::default(),
                None,
            ),
            Format::Text => (
                Kind::Text,
                decode::text(bytes, declared)?,
                Pages::default(),
                None,
            ),
            Format::Pdf => {
                let (text, pages) = pdf_text(&bytes, reading.limit)?;
                (Kind::Pdf, text, pages, None)
            }
            Format::Warc | Format::Wacz => {
                let records = archive_records(format, &bytes, reading.limit)?;
                drop(bytes);
                let (target, response) = crate::snapshots::warc::pick_response(
                    &records,
                    reading.url.as_deref(),
                    reading.limit,
                )?;
                drop(records);
                if response.media_type() == "application/pdf" {
                    let (text, pages) = pdf_text(&response.body, reading.limit)?;
                    (Kind::Pdf, text, pages, Some(target))
                } else {
                    let header = response
                        .header("content-type")
                        .and_then(charset_param)
                        .and_then(encoding);
                    let declared = declared.or(header);
                    encoding_name = Some(decode::chosen(&response.body, declared, true).name());
                    let text = decode::html(response.body, declared)?;
                    (Kind::Html, text, Pages::default(), Some(target))
                }
            }
        };
        let text = text.into_boxed_str();
        let mut folder = Folder::with_capacity(match kind {
            Kind::Html => text.len() / 3,
            _ => text.len(),
        });
        visible(&text, kind, |c, at| folder.push(c, at));
        let Folder {
            mut key,
            mut runs,
            mut blocks,
            ..
        } = folder;
        key.shrink_to_fit();
        runs.shrink_to_fit();
        blocks.shrink_to_fit();
        Ok(Snapshot {
            file,
            content_path,
            words: key.split(' ').filter(|w| !w.is_empty()).count(),
            sha256,
            page_count: (kind == Kind::Pdf).then_some(pages.starts.len()),
            unreadable_pages: pages.unreadable,
            record,
            encoding: encoding_name,
            kind,
            text,
            pages: pages.starts,
            key,
            runs,
            blocks,
        })
    }

    /// Whether the snapshot has any text to verify quotes against (a scanned PDF has
    /// none).
    pub(crate) fn has_text(&self) -> bool {
        self.words > 0
    }

    /// The pages of a PDF that could not be read, in words (`page 3`, `pages 3 and 5`).
    pub fn unreadable(&self) -> Option<String> {
        let pages: Vec<String> = self.unreadable_pages.iter().map(usize::to_string).collect();
        match pages.as_slice() {
            [] => None,
            [one] => Some(format!("page {one}")),
            [rest @ .., last] => Some(format!("pages {} and {last}", rest.join(", "))),
        }
    }

    /// Whether `quote` appears in the snapshot (see the module's matching rules).
    pub fn find(&self, quote: &str) -> Result<Found, Miss> {
        let folded = fold_str(quote);
        match self.find_folded(&folded) {
            Ok(found) => Ok(found),
            // A hyphen the PDF put at a line's end is gone from the text: try the quote
            // without its hyphens between letters.
            Err(miss) if self.kind == Kind::Pdf && folded.contains('-') => {
                self.find_folded(&unhyphenate(&folded)).map_err(|_| miss)
            }
            Err(miss) => Err(miss),
        }
    }

    fn find_folded(&self, folded: &str) -> Result<Found, Miss> {
        let mut at = 0;
        let mut first = None;
        let mut parts = 0;
        for piece in folded.split("...") {
            let piece = piece.trim_matches([' ', '[', ']']);
            if piece.is_empty() {
                continue;
            }
            match self.key[at..].find(piece) {
                Some(i) => {
                    first.get_or_insert(at + i);
                    at += i + piece.len();
                    parts += 1;
                }
                None => return Err(self.closest(piece)),
            }
        }
        Ok(Found {
            page: first.and_then(|k| self.page_at(self.source(k))),
            span: (first.unwrap_or(0), at),
            elided: parts > 1,
        })
    }

    /// For a PDF, the page (from 1) that `text`'s byte `at` is on.
    fn page_at(&self, at: usize) -> Option<usize> {
        (self.kind == Kind::Pdf).then(|| self.pages.partition_point(|&p| p as usize <= at).max(1))
    }

    /// Whether the closest passage is searched for when a quote is missing.
    fn searchable(&self) -> bool {
        self.key.len() <= SEARCH_CHARS
    }

    /// The size of its text, in bytes.
    pub fn size(&self) -> usize {
        self.text.len()
    }

    /// The offset in `text` of the character that `key`'s byte `pos` comes from.
    fn source(&self, pos: usize) -> usize {
        fold::source_of(&self.runs, pos).min(self.text.len())
    }

    /// The passage of the snapshot nearest to `piece` by edit distance.
    fn closest(&self, piece: &str) -> Miss {
        let needle: Vec<char> = piece.chars().take(400).collect();
        let too_large = |n: usize| n as u64 * needle.len() as u64 > SEARCH_STEPS;
        let skip = !self.searchable() || too_large(self.key.len());
        if self.key.is_empty() || skip {
            return Miss {
                passage: None,
                line: 1,
                page: None,
                last_page: None,
                too_large: skip,
            };
        }
        let (hay, bytes): (Vec<char>, Vec<u32>) =
            self.key.char_indices().map(|(i, c)| (c, i as u32)).unzip();
        let (start, end) = nearest_substring(&hay, &needle);
        let start = start.min(hay.len() - 1);
        let end = end.max(start + 1).min(hay.len());
        let from = self.source(bytes[start] as usize);
        let to = self.source(bytes[end - 1] as usize);
        // The visible text around the match, widened to whole words.
        let mut shown: Vec<(char, usize)> = Vec::new();
        visible(&self.text, self.kind, |c, at| {
            let at = at as usize;
            if at + 200 >= from && at <= to + 200 {
                shown.push((c, at));
            }
        });
        let first = shown.iter().position(|&(_, at)| at >= from).unwrap_or(0);
        let last = shown
            .iter()
            .rposition(|&(_, at)| at <= to)
            .unwrap_or(shown.len().saturating_sub(1));
        let a = (0..first)
            .rev()
            .find(|&i| shown[i].0.is_whitespace())
            .map_or(0, |i| i + 1);
        let b = (last + 1..shown.len())
            .find(|&i| shown[i].0.is_whitespace())
            .unwrap_or(shown.len());
        let mut passage = String::new();
        for &(c, _) in shown.get(a..b).unwrap_or_default() {
            if c.is_whitespace() {
                if !passage.ends_with(' ') {
                    passage.push(' ');
                }
            } else {
                passage.push(c);
            }
        }
        let start_at = shown.get(a).map_or(from, |&(_, at)| at);
        // Offsets of decoded characters may fall inside a character of the file's text.
        let whole = (0..=start_at.min(self.text.len()))
            .rev()
            .find(|&i| self.text.is_char_boundary(i))
            .unwrap_or(0);
        let line = self.text[..whole].matches('\n').count() + 1;
        Miss {
            passage: Some(passage.trim().to_string()),
            line,
            page: self.page_at(start_at),
            last_page: self.page_at(shown.get(b.saturating_sub(1)).map_or(to, |&(_, at)| at)),
            too_large: false,
        }
    }
}

/// A PDF's pages within its text.
#[derive(Default)]
struct Pages {
    /// Where each page starts.
    starts: Vec<u32>,
    /// The pages (from 1) that could not be read.
    unreadable: Vec<usize>,
}

/// A PDF's pages as one text, joined by form feeds, and where each page starts.
fn pdf_text(bytes: &[u8], limit: u64) -> Result<(String, Pages), String> {
    let mut text = String::new();
    let mut pages = Pages::default();
    for (n, page) in pdf::pages(bytes, limit)?.into_iter().enumerate() {
        if n > 0 {
            text.push_str("\n\x0c\n");
        }
        pages.starts.push(text.len() as u32);
        match page {
            Some(page) => text.push_str(&page),
            None => pages.unreadable.push(n + 1),
        }
    }
    if !pages.starts.is_empty() && pages.unreadable.len() == pages.starts.len() {
        return Err(pdf::DAMAGED.into());
    }
    Ok((text, pages))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn snap(name: &str, text: &str) -> Snapshot {
        Snapshot::from_bytes(
            name.into(),
            name.into(),
            text.as_bytes(),
            &Reading::default(),
        )
        .unwrap()
    }

    #[test]
    fn folds_whitespace_quotes_dashes_soft_hyphens_and_case() {
        assert_eq!(fold_str("  A\u{a0}\n b  "), "a b");
        assert_eq!(fold_str("“It’s” — so"), "\"it's\"-so");
        assert_eq!(fold_str("well - known -- fact"), "well-known-fact");
        assert_eq!(fold_str("co\u{ad}operate"), "cooperate");
        assert_eq!(fold_str("wait…"), "wait...");
    }

    #[test]
    fn finds_quotes_across_markup_and_omissions() {
        let s = snap(
            "a.html",
            "<html><head><title>T</title><style>p{}</style></head><body><p>The <em>group’s</em>\n actions&nbsp;align</p><script>var x='align';</script><p>Second&shy;paragraph.</p></body></html>",
        );
        assert!(s.find("the group's actions align").is_ok());
        assert!(s.find("align Secondparagraph").is_ok());
        assert!(s.find("The … paragraph.").is_ok());
        assert!(s.find("paragraph … The").is_err());
        assert!(s.find("var x").is_err());
    }

    #[test]
    fn a_miss_names_the_closest_passage_and_its_line() {
        let s = snap(
            "a.txt",
            "First line.\nThe quick brown fox\njumps over the lazy dog.\nLast line.",
        );
        let miss = s.find("the quick brown cat jumps").unwrap_err();
        assert_eq!(miss.passage.as_deref(), Some("The quick brown fox jumps"));
        assert_eq!(miss.line, 2);
    }

    #[test]
    fn markdown_snapshots_lose_their_markup() {
        let s = snap(
            "a.snapshot.md",
            "# Title\n\nSome *emphasised*\ntext and `code`.\n",
        );
        assert!(s.find("Title Some emphasised text and code.").is_ok());
    }
}

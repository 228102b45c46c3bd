//! Sources' local copies ("snapshots"): reading their visible text and finding the quotes
//! cited from a source in it. Which file is which source's snapshot is decided in
//! `resolve::snapshots`.
//!
//! A snapshot is `<id>.txt`, `<id>.html`, `<id>.htm` or `<id>.snapshot.md` beside the
//! source's file, or the file its `snapshot` key names. Quotes are matched after both
//! sides are folded the same way: whitespace and line breaks collapse to one space,
//! typographic quotes and dashes become plain ones, soft hyphens and zero-width characters
//! vanish, and letters are compared without case. `...` or `…` in a quote marks an
//! omission: the parts around it must appear in the snapshot in that order.

use std::path::Path;
use std::sync::Arc;

/// The file extensions a snapshot may have, besides `.snapshot.md`.
pub const EXTENSIONS: [&str; 3] = ["txt", "html", "htm"];

/// How a Markdown snapshot's name ends, so that it is not read as a source or a page.
pub const MARKDOWN_SUFFIX: &str = ".snapshot.md";

/// Whether a file under `content/` may be a snapshot, judged by its name.
pub fn is_snapshot_name(content_path: &str) -> bool {
    content_path.ends_with(MARKDOWN_SUFFIX)
        || Path::new(content_path)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A file that may be a source's snapshot. Its text is read and extracted the first time a
/// source uses it, so text and HTML files that are not snapshots cost nothing.
#[derive(Debug)]
pub struct SnapshotFile {
    file: String,
    content_path: String,
    path: std::path::PathBuf,
    text: std::sync::OnceLock<Result<Arc<Snapshot>, String>>,
}

impl SnapshotFile {
    /// The file at `path`: `file` relative to the site root, `content_path` to `content/`.
    pub fn new(file: String, content_path: String, path: std::path::PathBuf) -> SnapshotFile {
        SnapshotFile {
            file,
            content_path,
            path,
            text: std::sync::OnceLock::new(),
        }
    }

    /// The snapshot's text, or why it cannot be read.
    pub fn get(&self) -> &Result<Arc<Snapshot>, String> {
        self.text.get_or_init(|| {
            Snapshot::read(self.file.clone(), self.content_path.clone(), &self.path).map(Arc::new)
        })
    }
}

/// The text of one snapshot, ready for matching. It costs about twice the file's size:
/// the file's text, the folded text quotes are looked for in, and a run-length map from
/// the folded text back to the file.
#[derive(Debug)]
pub struct Snapshot {
    /// Path relative to the site root, for diagnostics.
    pub file: String,
    /// Path relative to `content/`.
    pub content_path: String,
    /// Words of visible text.
    pub words: usize,
    /// The file's text (without a byte-order mark).
    text: Box<str>,
    /// The folded visible text quotes are looked for in.
    key: String,
    /// For each run of `key` whose bytes map one to one onto the text: where it starts in
    /// `key`, and where in `text` its first character comes from.
    runs: Vec<(u32, u32)>,
}

/// A quote that is not in the snapshot, with the passage that comes closest.
#[derive(Debug)]
pub struct Miss {
    /// The closest passage, whitespace collapsed, or `None` when the snapshot is too
    /// large to search for it.
    pub passage: Option<String>,
    /// The passage's line in the snapshot file.
    pub line: usize,
    /// The passage was not searched for: the snapshot is too large.
    pub too_large: bool,
}

/// Above this many characters of folded text, or this many needle-by-text steps, the
/// closest passage is not searched for.
const SEARCH_CHARS: usize = 20_000_000;
const SEARCH_STEPS: u64 = 400_000_000;

/// What kind of text a snapshot holds, by its name.
#[derive(Clone, Copy)]
enum Kind {
    Html,
    Markdown,
    Text,
}

impl Snapshot {
    /// Reads the file at `path` (`content_path` under `content/`) and extracts its text.
    pub fn read(file: String, content_path: String, path: &Path) -> Result<Snapshot, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
        Snapshot::from_bytes(file, content_path, bytes)
    }

    /// A snapshot of `bytes`, which are HTML, Markdown or plain text by `content_path`.
    pub fn from_bytes(
        file: String,
        content_path: String,
        bytes: impl Into<Vec<u8>>,
    ) -> Result<Snapshot, String> {
        let mut text = String::from_utf8(bytes.into()).map_err(|e| {
            format!(
                "the snapshot is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                e.utf8_error().valid_up_to()
            )
        })?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let text = text.into_boxed_str();
        let kind = Kind::of(&content_path);
        let mut folder = Folder::with_capacity(match kind {
            Kind::Html => text.len() / 3,
            _ => text.len(),
        });
        visible(&text, kind, |c, at| folder.push(c, at));
        let Folder {
            mut key, mut runs, ..
        } = folder;
        key.shrink_to_fit();
        runs.shrink_to_fit();
        Ok(Snapshot {
            file,
            content_path,
            words: key.split(' ').filter(|w| !w.is_empty()).count(),
            text,
            key,
            runs,
        })
    }

    /// Whether `quote` appears in the snapshot (see the module's matching rules).
    pub fn find(&self, quote: &str) -> Result<(), Miss> {
        let folded = fold_str(quote);
        let mut at = 0;
        for piece in folded.split("...") {
            let piece = piece.trim_matches([' ', '[', ']']);
            if piece.is_empty() {
                continue;
            }
            match self.key[at..].find(piece) {
                Some(i) => at += i + piece.len(),
                None => return Err(self.closest(piece)),
            }
        }
        Ok(())
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
        let i = self.runs.partition_point(|&(k, _)| k as usize <= pos);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((k, t)) => t as usize + (pos - k as usize),
            None => 0,
        }
        .min(self.text.len())
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
        visible(&self.text, Kind::of(&self.content_path), |c, at| {
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
        let line = self.text[..start_at].matches('\n').count() + 1;
        Miss {
            passage: Some(passage.trim().to_string()),
            line,
            too_large: false,
        }
    }
}

impl Kind {
    /// The kind of the snapshot at `content_path`.
    fn of(content_path: &str) -> Kind {
        let lower = content_path.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            Kind::Html
        } else if lower.ends_with(".md") {
            Kind::Markdown
        } else {
            Kind::Text
        }
    }
}

/// Calls `f` with each visible character of `text` and the byte offset in `text` it
/// comes from.
fn visible(text: &str, kind: Kind, mut f: impl FnMut(char, u32)) {
    match kind {
        Kind::Html => html_text(text, &mut f),
        Kind::Markdown => markdown_text(text, &mut f),
        Kind::Text => text.char_indices().for_each(|(i, c)| f(c, i as u32)),
    }
}

/// Folds visible characters into a key as they come, recording where each run of the key
/// comes from.
struct Folder {
    key: String,
    runs: Vec<(u32, u32)>,
    space: Option<usize>,
}

impl Folder {
    fn with_capacity(n: usize) -> Folder {
        Folder {
            key: String::with_capacity(n),
            runs: Vec::new(),
            space: None,
        }
    }

    fn push(&mut self, c: char, at: u32) {
        let Folder { key, runs, space } = self;
        fold_char(
            c,
            at as usize,
            key,
            space,
            &mut |key: &mut String, c: char, at: usize| {
                let pos = key.len() as u32;
                let at = at as u32;
                // A new run unless this character continues the last one byte for byte.
                let continues = runs.last().is_some_and(|&(k, t)| {
                    i64::from(pos) - i64::from(k) == i64::from(at) - i64::from(t)
                });
                if !continues {
                    runs.push((pos, at));
                }
                key.push(c);
            },
        );
    }
}

/// Semi-global edit distance (Sellers): the range of `hay` that `needle` matches with the
/// fewest edits.
fn nearest_substring(hay: &[char], needle: &[char]) -> (usize, usize) {
    let m = needle.len();
    let mut cost: Vec<u32> = (0..=m as u32).collect();
    let mut start: Vec<usize> = vec![0; m + 1];
    let mut next_cost = vec![0u32; m + 1];
    let mut next_start = vec![0usize; m + 1];
    let mut best = (cost[m], 0, 0);
    for (j, &h) in hay.iter().enumerate() {
        next_cost[0] = 0;
        next_start[0] = j + 1;
        for i in 1..=m {
            let mut c = cost[i - 1] + u32::from(needle[i - 1] != h);
            let mut s = start[i - 1];
            if cost[i] + 1 < c {
                c = cost[i] + 1;
                s = start[i];
            }
            if next_cost[i - 1] + 1 < c {
                c = next_cost[i - 1] + 1;
                s = next_start[i - 1];
            }
            next_cost[i] = c;
            next_start[i] = s;
        }
        if next_cost[m] < best.0 {
            best = (next_cost[m], next_start[m], j + 1);
        }
        std::mem::swap(&mut cost, &mut next_cost);
        std::mem::swap(&mut start, &mut next_start);
    }
    (best.1, best.2)
}

/// `text` folded for matching.
pub fn fold_str(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut space = None;
    for (at, c) in text.char_indices() {
        fold_char(
            c,
            at,
            &mut key,
            &mut space,
            &mut |key: &mut String, c: char, _| {
                key.push(c);
            },
        );
    }
    key
}

/// Folds one character (from offset `at`) onto `key`, calling `push` for each character
/// it appends; `space` carries the offset of a pending run of whitespace between calls.
fn fold_char(
    c: char,
    at: usize,
    key: &mut String,
    space: &mut Option<usize>,
    push: &mut impl FnMut(&mut String, char, usize),
) {
    match c {
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
        c if c.is_whitespace() => {
            space.get_or_insert(at);
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' | '-' => {
            // Dashes join what they separate, however they are spaced or doubled.
            *space = None;
            if !key.ends_with('-') {
                push(key, '-', at);
            }
        }
        _ => {
            if let Some(space_at) = space.take()
                && !key.is_empty()
                && !key.ends_with('-')
            {
                push(key, ' ', space_at);
            }
            match c {
                '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{2039}'
                | '\u{203a}' | '`' | '\u{b4}' => push(key, '\'', at),
                '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}'
                | '\u{bb}' => push(key, '"', at),
                '\u{2026}' => "...".chars().for_each(|d| push(key, d, at)),
                c if c.is_uppercase() => c.to_lowercase().for_each(|l| push(key, l, at)),
                c => push(key, c, at),
            }
        }
    }
}

/// The visible text of an HTML document, each character with its byte offset: the text
/// of elements, with tags that break lines read as spaces, and nothing from scripts,
/// styles or comments.
fn html_text(html: &str, out: &mut impl FnMut(char, u32)) {
    use html5gum::{DefaultEmitter, Token, Tokenizer};
    const HIDDEN: [&[u8]; 5] = [b"script", b"style", b"noscript", b"template", b"title"];
    const INLINE: [&[u8]; 21] = [
        b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"code", b"data", b"dfn", b"em", b"i",
        b"kbd", b"mark", b"q", b"s", b"small", b"span", b"strong", b"sub", b"sup", b"u",
    ];
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut hidden: Option<Vec<u8>> = None;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(t) => {
                let name: &[u8] = &t.name;
                if hidden.is_none() && HIDDEN.contains(&name) && !t.self_closing {
                    hidden = Some(name.to_vec());
                }
                if !INLINE.contains(&name) {
                    out(' ', t.span.start as u32);
                }
            }
            Token::EndTag(t) => {
                let name: &[u8] = &t.name;
                if hidden.as_deref() == Some(name) {
                    hidden = None;
                }
                if !INLINE.contains(&name) {
                    out(' ', t.span.start as u32);
                }
            }
            Token::String(s) if hidden.is_none() => {
                let text = String::from_utf8_lossy(&s.value);
                along(&text, s.span.start, s.span.end, out);
            }
            _ => {}
        }
    }
}

/// Calls `out` with each character of `text`, decoded from the source bytes
/// `start..end`, placing it at the same distance from `start` as in `text` (exact where
/// nothing was decoded, and never past the end).
fn along(text: &str, start: usize, end: usize, out: &mut impl FnMut(char, u32)) {
    let last = end.max(start + 1) - 1;
    for (i, c) in text.char_indices() {
        out(c, (start + i).min(last) as u32);
    }
}

/// The text of a Markdown document, without its markup, each character with the byte
/// offset of the piece of text it belongs to.
fn markdown_text(md: &str, out: &mut impl FnMut(char, u32)) {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(md, options).into_offset_iter() {
        let at = range.start as u32;
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                along(&t, range.start, range.end, out);
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => out(' ', at),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => out(' ', at),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(name: &str, text: &str) -> Snapshot {
        Snapshot::from_bytes(name.into(), name.into(), text.as_bytes()).unwrap()
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

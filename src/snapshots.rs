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

/// The text of one snapshot, ready for matching.
#[derive(Debug)]
pub struct Snapshot {
    /// Path relative to the site root, for diagnostics.
    pub file: String,
    /// Path relative to `content/`.
    pub content_path: String,
    /// Words of visible text.
    pub words: usize,
    /// The visible characters, and the byte offset in the file each comes from.
    chars: Vec<char>,
    offsets: Vec<u32>,
    /// The folded text quotes are looked for in, and for each of its characters the
    /// position in `chars` it comes from.
    key: String,
    from: Vec<u32>,
    /// Byte offsets at which the file's lines start.
    line_starts: Vec<u32>,
}

/// A quote that is not in the snapshot, with the passage that comes closest.
#[derive(Debug)]
pub struct Miss {
    /// The closest passage, whitespace collapsed, or `None` when the snapshot is too
    /// large to search for it.
    pub passage: Option<String>,
    /// The passage's line in the snapshot file.
    pub line: usize,
}

impl Snapshot {
    /// Reads the file at `path` (`content_path` under `content/`) and extracts its text.
    pub fn read(file: String, content_path: String, path: &Path) -> Result<Snapshot, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
        Snapshot::from_bytes(file, content_path, &bytes)
    }

    /// A snapshot of `bytes`, which are HTML, Markdown or plain text by `content_path`.
    pub fn from_bytes(
        file: String,
        content_path: String,
        bytes: &[u8],
    ) -> Result<Snapshot, String> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            format!(
                "the snapshot is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                e.valid_up_to()
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let bom = (bytes.len() - text.len()) as u32;
        let lower = content_path.to_ascii_lowercase();
        let visible = if lower.ends_with(".html") || lower.ends_with(".htm") {
            html_text(text)
        } else if lower.ends_with(".md") {
            markdown_text(text)
        } else {
            text.char_indices().map(|(i, c)| (c, i as u32)).collect()
        };
        let (chars, offsets): (Vec<char>, Vec<u32>) =
            visible.into_iter().map(|(c, o)| (c, o + bom)).unzip();
        let mut key = String::with_capacity(chars.len());
        let mut from = Vec::with_capacity(chars.len());
        fold(chars.iter().copied().enumerate(), &mut key, &mut from);
        let line_starts = std::iter::once(0)
            .chain(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i as u32 + 1),
            )
            .collect();
        Ok(Snapshot {
            file,
            content_path,
            words: key.split(' ').filter(|w| !w.is_empty()).count(),
            chars,
            offsets,
            key,
            from,
            line_starts,
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

    /// The passage of the snapshot nearest to `piece` by edit distance.
    fn closest(&self, piece: &str) -> Miss {
        let needle: Vec<char> = piece.chars().take(400).collect();
        let hay: Vec<char> = self.key.chars().collect();
        if hay.is_empty() || (hay.len() as u64) * (needle.len() as u64) > 400_000_000 {
            return Miss {
                passage: None,
                line: 1,
            };
        }
        let (start, end) = nearest_substring(&hay, &needle);
        let start = start.min(hay.len() - 1);
        let end = end.max(start + 1).min(hay.len());
        let (a, b) = (self.from[start] as usize, self.from[end - 1] as usize + 1);
        // Widen to whole words.
        let a = (0..a)
            .rev()
            .find(|&i| self.chars[i].is_whitespace())
            .map_or(0, |i| i + 1);
        let b = (b..self.chars.len())
            .find(|&i| self.chars[i].is_whitespace())
            .unwrap_or(self.chars.len());
        let mut passage = String::new();
        for &c in &self.chars[a..b] {
            if c.is_whitespace() {
                if !passage.ends_with(' ') {
                    passage.push(' ');
                }
            } else {
                passage.push(c);
            }
        }
        let line = self.line_starts.partition_point(|&s| s <= self.offsets[a]);
        Miss {
            passage: Some(passage.trim().to_string()),
            line,
        }
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
    let mut from = Vec::new();
    fold(text.chars().enumerate(), &mut key, &mut from);
    key
}

/// Appends the folded form of `chars` (each with its position) to `key`, and for each
/// character appended, the position it comes from to `from`.
fn fold(chars: impl Iterator<Item = (usize, char)>, key: &mut String, from: &mut Vec<u32>) {
    let mut space = false;
    let mut push = |key: &mut String, c: char, at: usize| {
        key.push(c);
        from.push(at as u32);
    };
    for (at, c) in chars {
        match c {
            '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c if c.is_whitespace() => space = true,
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' | '-' => {
                // Dashes join what they separate, however they are spaced or doubled.
                space = false;
                if !key.ends_with('-') {
                    push(key, '-', at);
                }
            }
            _ => {
                if space && !key.is_empty() && !key.ends_with('-') {
                    push(key, ' ', at);
                }
                space = false;
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
}

/// The visible text of an HTML document, each character with its byte offset: the text
/// of elements, with tags that break lines read as spaces, and nothing from scripts,
/// styles or comments.
fn html_text(html: &str) -> Vec<(char, u32)> {
    use html5gum::{DefaultEmitter, Token, Tokenizer};
    const HIDDEN: [&[u8]; 5] = [b"script", b"style", b"noscript", b"template", b"title"];
    const INLINE: [&[u8]; 21] = [
        b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"code", b"data", b"dfn", b"em", b"i",
        b"kbd", b"mark", b"q", b"s", b"small", b"span", b"strong", b"sub", b"sup", b"u",
    ];
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut out = Vec::with_capacity(html.len() / 2);
    let mut hidden: Option<Vec<u8>> = None;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(t) => {
                let name: &[u8] = &t.name;
                if hidden.is_none() && HIDDEN.contains(&name) && !t.self_closing {
                    hidden = Some(name.to_vec());
                }
                if !INLINE.contains(&name) {
                    out.push((' ', t.span.start as u32));
                }
            }
            Token::EndTag(t) => {
                let name: &[u8] = &t.name;
                if hidden.as_deref() == Some(name) {
                    hidden = None;
                }
                if !INLINE.contains(&name) {
                    out.push((' ', t.span.start as u32));
                }
            }
            Token::String(s) if hidden.is_none() => {
                let text = String::from_utf8_lossy(&s.value);
                let at = s.span.start as u32;
                out.extend(text.chars().map(|c| (c, at)));
            }
            _ => {}
        }
    }
    out
}

/// The text of a Markdown document, without its markup, each character with the byte
/// offset of the piece of text it belongs to.
fn markdown_text(md: &str) -> Vec<(char, u32)> {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let mut out = Vec::with_capacity(md.len());
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(md, options).into_offset_iter() {
        let at = range.start as u32;
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.extend(t.chars().map(|c| (c, at)));
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => out.push((' ', at)),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => out.push((' ', at)),
            _ => {}
        }
    }
    out
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

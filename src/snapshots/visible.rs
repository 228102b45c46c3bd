//! The visible text of a snapshot, character by character, with where each character
//! comes from in the file. Where a browser would start a new block (a paragraph, a list
//! item, a table cell; in plain text, a blank line) the text has [`BLOCK`], a whitespace
//! character that folds like any other.

use super::Kind;

/// The paragraph separator, standing for the edge between two blocks of text.
pub(super) const BLOCK: char = '\u{2029}';

/// Calls `f` with each visible character of `text` and the byte offset in `text` it
/// comes from.
pub(super) fn visible(text: &str, kind: Kind, mut f: impl FnMut(char, u32)) {
    match kind {
        Kind::Html => html_text(text, &mut f),
        Kind::Markdown => markdown_text(text, &mut f),
        Kind::Text => plain_text(text, &mut f),
        Kind::Pdf => pdf_text(text, &mut f),
    }
}

/// Plain text, where a line with nothing but whitespace ends a block.
#[inline]
fn plain_text(text: &str, out: &mut impl FnMut(char, u32)) {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty() && line.ends_with('\n');
        for (i, c) in line.char_indices() {
            let c = if blank && c == '\n' { BLOCK } else { c };
            out(c, (start + i) as u32);
        }
        start += line.len();
    }
}

/// The text extracted from a PDF, where a hyphen that ends a line after a letter goes
/// with the line (or page) break that follows it, so that a word split across lines
/// reads whole.
fn pdf_text(text: &str, out: &mut impl FnMut(char, u32)) {
    let mut skip_to = 0;
    let mut letter = false;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        if c == '-' && letter {
            let rest = &text[i + 1..];
            let gap = rest.len() - rest.trim_start().len();
            let broken = rest[..gap].contains(['\n', '\x0c']);
            if broken && rest[gap..].starts_with(char::is_alphabetic) {
                skip_to = i + 1 + gap;
                continue;
            }
        }
        letter = c.is_alphabetic();
        out(c, i as u32);
    }
}

/// The visible text of an HTML document, each character with its byte offset: the text
/// of elements, with the tags of block elements read as [`BLOCK`] and other tags that
/// break lines as spaces, and nothing from scripts, styles or comments.
fn html_text(html: &str, out: &mut impl FnMut(char, u32)) {
    use html5gum::{DefaultEmitter, Token, Tokenizer};
    const HIDDEN: [&[u8]; 5] = [b"script", b"style", b"noscript", b"template", b"title"];
    const INLINE: [&[u8]; 21] = [
        b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"code", b"data", b"dfn", b"em", b"i",
        b"kbd", b"mark", b"q", b"s", b"small", b"span", b"strong", b"sub", b"sup", b"u",
    ];
    const BLOCKS: [&[u8]; 44] = [
        b"address",
        b"article",
        b"aside",
        b"blockquote",
        b"body",
        b"caption",
        b"center",
        b"dd",
        b"details",
        b"dialog",
        b"div",
        b"dl",
        b"dt",
        b"fieldset",
        b"figcaption",
        b"figure",
        b"footer",
        b"form",
        b"h1",
        b"h2",
        b"h3",
        b"h4",
        b"h5",
        b"h6",
        b"header",
        b"hgroup",
        b"hr",
        b"html",
        b"legend",
        b"li",
        b"main",
        b"menu",
        b"nav",
        b"ol",
        b"p",
        b"pre",
        b"section",
        b"summary",
        b"table",
        b"td",
        b"th",
        b"tr",
        b"ul",
        b"search",
    ];
    let edge = |name: &[u8]| {
        if BLOCKS.contains(&name) {
            Some(BLOCK)
        } else {
            (!INLINE.contains(&name)).then_some(' ')
        }
    };
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
                if let Some(c) = edge(name) {
                    out(c, t.span.start as u32);
                }
            }
            Token::EndTag(t) => {
                let name: &[u8] = &t.name;
                if hidden.as_deref() == Some(name) {
                    hidden = None;
                }
                if let Some(c) = edge(name) {
                    out(c, t.span.start as u32);
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
            Event::SoftBreak | Event::HardBreak => out(' ', at),
            Event::Rule
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock,
            ) => out(BLOCK, at),
            _ => {}
        }
    }
}

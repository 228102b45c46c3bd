//! The Pandoc citation scanner: finds `[@id]`, `[@id, p. 4]`, `[@a; @b, sec. 2]`,
//! `[see @id, p. 3]` and `[-@id]` in plain text. Text that is not a bracketed
//! citation, such as an e-mail address or a handle, is left alone.

use std::ops::Range;

/// Stand-ins for characters written escaped in the source (`\[`, `\]`, `\@`), so the
/// scanner never mistakes them for citation syntax. [`restore`] turns them back.
const ESC_OPEN: char = '\u{E000}';
/// See [`ESC_OPEN`].
const ESC_CLOSE: char = '\u{E001}';
/// See [`ESC_OPEN`].
const ESC_AT: char = '\u{E002}';

/// Replaces the escape stand-ins by the characters they stand for.
pub fn restore(s: &str) -> String {
    if !s.contains([ESC_OPEN, ESC_CLOSE, ESC_AT]) {
        return s.to_string();
    }
    s.replace(ESC_OPEN, "[")
        .replace(ESC_CLOSE, "]")
        .replace(ESC_AT, "@")
}

/// Joins the text events of a run of text (each as pulldown-cmark gives it, with where it
/// is in `body`) into the text [`scan`] reads, escaped `[`, `]` and `@` as their
/// stand-ins; with the places where the joined text and `body` line up, as pairs of
/// offsets (joined, body), for [`body_offset`].
pub fn join<T: AsRef<str>>(
    body: &str,
    pieces: &[(T, Range<usize>)],
) -> (String, Vec<(usize, usize)>) {
    let mut joined = String::new();
    let mut map: Vec<(usize, usize)> = Vec::with_capacity(pieces.len());
    let bytes = body.as_bytes();
    for (text, range) in pieces {
        map.push((joined.len(), range.start));
        // pulldown-cmark starts an escaped character's text just after its backslash.
        let escaped = range.start > 0
            && bytes[range.start - 1] == b'\\'
            && (range.start < 2 || bytes[range.start - 2] != b'\\');
        let mut chars = text.as_ref().chars();
        let stand_in = match (escaped, chars.next()) {
            (true, Some('[')) => Some(ESC_OPEN),
            (true, Some(']')) => Some(ESC_CLOSE),
            (true, Some('@')) => Some(ESC_AT),
            (_, Some(c)) => {
                joined.push(c);
                None
            }
            (_, None) => None,
        };
        if let Some(c) = stand_in {
            joined.push(c);
            map.push((joined.len(), range.start + 1));
        }
        joined.push_str(chars.as_str());
    }
    (joined, map)
}

/// Where offset `off` of a joined text is in the body, by the `map` [`join`] made.
pub(crate) fn body_offset(map: &[(usize, usize)], off: usize) -> usize {
    let i = map.partition_point(|(m, _)| *m <= off).saturating_sub(1);
    map.get(i).map_or(0, |(m, s)| s + (off - m))
}

/// One cited source within a bracket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    /// Text before the key, such as `see`.
    pub prefix: String,
    pub key: String,
    /// `[-@id]`: the author is not to be repeated.
    pub suppress_author: bool,
    /// Text after the key and its comma, such as `p. 4`.
    pub locator: String,
    /// Byte offset of the key's `@` in the scanned text.
    pub offset: usize,
}

/// A piece of scanned text: plain, or one bracketed group of citations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Citation(Vec<CiteItem>),
}

/// Splits `text` into plain pieces and citation groups.
pub fn scan(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut plain_start = 0;
    let mut search = 0;
    while let Some(rel) = text[search..].find('[') {
        let open = search + rel;
        let after = open + 1;
        let Some(close_rel) = text[after..].find([']', '[']) else {
            break;
        };
        let close = after + close_rel;
        if text.as_bytes()[close] == b'[' {
            search = close;
            continue;
        }
        match parse_group(&text[after..close], after) {
            Some(items) => {
                if plain_start < open {
                    pieces.push(Piece::Text(&text[plain_start..open]));
                }
                pieces.push(Piece::Citation(items));
                plain_start = close + 1;
                search = close + 1;
            }
            None => search = after,
        }
    }
    if plain_start < text.len() {
        pieces.push(Piece::Text(&text[plain_start..]));
    }
    pieces
}

fn parse_group(inner: &str, base: usize) -> Option<Vec<CiteItem>> {
    let mut items = Vec::new();
    let mut offset = 0;
    for part in inner.split(';') {
        items.push(parse_item(part, base + offset)?);
        offset += part.len() + 1;
    }
    Some(items)
}

fn parse_item(part: &str, base: usize) -> Option<CiteItem> {
    let bytes = part.as_bytes();
    let at = (0..bytes.len()).find(|&i| {
        bytes[i] == b'@' && {
            let before = &part[..i];
            let before = before.strip_suffix('-').unwrap_or(before);
            before.is_empty() || before.ends_with(char::is_whitespace)
        }
    })?;
    let suppress_author = part[..at].ends_with('-');
    let prefix_end = if suppress_author { at - 1 } else { at };
    let key_start = at + 1;
    let key_len = part[key_start..]
        .find(|c: char| !(c.is_alphanumeric() || "_-:.#$%&+?<>~/".contains(c)))
        .unwrap_or(part.len() - key_start);
    let key = part[key_start..key_start + key_len]
        .trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
    if key.is_empty() || !key.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let rest = &part[key_start + key.len()..];
    let locator = rest.trim_start().strip_prefix(',').unwrap_or(rest).trim();
    Some(CiteItem {
        prefix: part[..prefix_end].trim().to_string(),
        key: key.to_string(),
        suppress_author,
        locator: locator.to_string(),
        offset: base + at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Vec<(String, String, String)>> {
        scan(text)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Citation(items) => Some(
                    items
                        .into_iter()
                        .map(|i| (i.prefix, i.key, i.locator))
                        .collect(),
                ),
                Piece::Text(_) => None,
            })
            .collect()
    }

    fn t(a: &str, b: &str, c: &str) -> (String, String, String) {
        (a.into(), b.into(), c.into())
    }

    #[test]
    fn simple_and_locator() {
        assert_eq!(
            keys("As said [@msft-2023]."),
            vec![vec![t("", "msft-2023", "")]]
        );
        assert_eq!(keys("x [@a, p. 4] y"), vec![vec![t("", "a", "p. 4")]]);
    }

    #[test]
    fn several_with_prefix() {
        assert_eq!(
            keys("[see @a, p. 3; @b, sec. 2]"),
            vec![vec![t("see", "a", "p. 3"), t("", "b", "sec. 2")]]
        );
    }

    #[test]
    fn suppress_author() {
        let p = scan("[-@a]");
        match &p[0] {
            Piece::Citation(items) => assert!(items[0].suppress_author),
            other => panic!("expected a citation, got {other:?}"),
        }
    }

    #[test]
    fn emails_and_handles_are_text() {
        assert!(keys("mail press@example.org or @handle").is_empty());
        assert!(keys("[write to press@example.org]").is_empty());
        assert!(keys("[contact: someone@x.org; @a]").is_empty());
    }

    #[test]
    fn escaped_brackets_and_at_are_text() {
        let s = format!("{ESC_OPEN}@a{ESC_CLOSE} and [{ESC_AT}b]");
        assert!(keys(&s).is_empty());
        assert_eq!(restore(&s), "[@a] and [@b]");
    }

    #[test]
    fn nested_brackets_restart() {
        assert_eq!(keys("[not [@a]]"), vec![vec![t("", "a", "")]]);
    }

    #[test]
    fn key_ends_before_punctuation() {
        assert_eq!(keys("[@a: p. 2]"), vec![vec![t("", "a", ": p. 2")]]);
        assert_eq!(keys("[@a-b_c]"), vec![vec![t("", "a-b_c", "")]]);
    }

    #[test]
    fn text_pieces_keep_everything_else() {
        let p = scan("before [@a] after");
        assert_eq!(p[0], Piece::Text("before "));
        assert_eq!(p[2], Piece::Text(" after"));
    }

    #[test]
    fn offsets_point_at_the_at_sign() {
        let text = "ab [see @k]";
        if let [_, Piece::Citation(items)] = &scan(text)[..] {
            assert_eq!(items[0].offset, 8);
            assert_eq!(&text[items[0].offset..items[0].offset + 1], "@");
        } else {
            panic!("no citation found");
        }
    }
}

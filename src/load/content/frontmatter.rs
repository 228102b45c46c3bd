//! Splitting a Markdown file into front matter and body, and parsing the front matter.

use serde::de::DeserializeOwned;

use crate::base::diagnostics::{Diagnostic, line_col};

/// The front-matter syntax, chosen by its delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `+++` delimiters.
    Toml,
    /// `---` delimiters.
    Yaml,
}

/// A file split at its front-matter delimiters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    /// The front matter between the delimiters.
    pub front: &'a str,
    /// 1-based line in the file of the first front-matter line.
    pub front_line: usize,
    /// The Markdown body after the closing delimiter.
    pub body: &'a str,
    /// 1-based line in the file of the first body line.
    pub body_line: usize,
}

/// Splits `text` (BOM already removed) into front matter and body.
/// Returns `Ok(None)` when the file has no front matter, and an error message when the
/// opening delimiter is not closed.
pub fn split(text: &str) -> Result<Option<Split<'_>>, String> {
    let (format, delim) = if is_delim_line(text, "+++") {
        (Format::Toml, "+++")
    } else if is_delim_line(text, "---") {
        (Format::Yaml, "---")
    } else {
        return Ok(None);
    };
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let l = text[offset..end].trim_end_matches(['\n', '\r']);
        if l.trim_end() == delim {
            return Ok(Some(Split {
                format,
                front: &text[first_end..offset],
                front_line: 2,
                body: &text[end..],
                body_line: line + 1,
            }));
        }
        offset = end;
        line += 1;
    }
    Err(format!(
        "the front matter opened by `{delim}` on line 1 is never closed by a `{delim}` line"
    ))
}

fn is_delim_line(text: &str, delim: &str) -> bool {
    text.strip_prefix(delim).is_some_and(|rest| {
        let first_line = rest.split('\n').next().unwrap_or("");
        first_line.trim().is_empty()
    })
}

/// How deep lists and tables may nest in front matter. Real front matter needs three or
/// four levels; parsers take time and stack in proportion to the depth, so a file nested
/// thousands deep is refused before it is parsed.
pub(crate) const MAX_DEPTH: usize = 64;

/// Parses front matter into `T`, reporting errors at their line in the file.
pub fn parse<T: DeserializeOwned>(split: &Split<'_>, file: &str) -> Result<T, Diagnostic> {
    if let Some((line, col)) = too_deep(split.front, split.format) {
        return Err(Diagnostic::error(
            file,
            split.front_line + line - 1,
            col,
            format!(
                "invalid front matter: nested more than {MAX_DEPTH} levels deep; front matter holds keys, lists and small tables"
            ),
        ));
    }
    match split.format {
        Format::Toml => toml::from_str(split.front).map_err(|e| {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(split.front, s.start));
            let key = (line > 0)
                .then(|| crate::base::words::key_at(split.front, line - 1))
                .flatten();
            located(
                file,
                split.front_line,
                line,
                col,
                e.message(),
                key.as_deref(),
                false,
            )
        }),
        Format::Yaml => {
            if split.front.trim().is_empty() {
                return serde_norway::from_str("{}").map_err(|e| {
                    located(file, split.front_line, 0, 0, &e.to_string(), None, true)
                });
            }
            serde_norway::from_str(split.front).map_err(|e| {
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                let (key, msg) = crate::base::words::yaml_path(&msg);
                // The YAML parser places a bad value at its mapping; the key places it.
                let (line, col) = match choice_of(msg) {
                    Some((key, value)) => {
                        let (l, c) = locate(split.front, 1, key, Some(value));
                        (l, c)
                    }
                    None => e.location().map_or((0, 0), |l| (l.line(), l.column())),
                };
                let key = key.or_else(|| {
                    msg.contains("end of stream")
                        .then(|| crate::base::words::unclosed_key(split.front))
                        .flatten()
                });
                located(file, split.front_line, line, col, msg, key.as_deref(), true)
            })
        }
    }
}

/// The key and the value of a "`key` must be one of …, not `value`" message.
fn choice_of(message: &str) -> Option<(&str, &str)> {
    let key = message.strip_prefix('`')?.split('`').next()?;
    let (_, rest) = message.split_once(" must be one of ")?;
    let value = rest.rsplit_once(", not `")?.1.strip_suffix('`')?;
    Some((key, value))
}

/// Where front matter first nests deeper than [`MAX_DEPTH`] (1-based line and column):
/// brackets and braces outside strings and comments, and for YAML, indented blocks and
/// `- ` items as well.
fn too_deep(front: &str, format: Format) -> Option<(usize, usize)> {
    let mut brackets = 0usize;
    let mut quote: Option<char> = None;
    let mut indents: Vec<usize> = Vec::new();
    for (n, line) in front.lines().enumerate() {
        let mut block = 0;
        if format == Format::Yaml && quote.is_none() && brackets == 0 {
            let content = line.trim_start_matches(' ');
            if !content.is_empty() && !content.starts_with('#') {
                let indent = line.len() - content.len();
                while indents.last().is_some_and(|&i| i >= indent) {
                    indents.pop();
                }
                indents.push(indent);
                let items = content
                    .split_inclusive("- ")
                    .take_while(|s| s.trim() == "-")
                    .count();
                block = indents.len() + items;
            }
        }
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some('"'), '\\') if prev != '\\' => {}
                (Some(q), c) if c == q && !(q == '"' && prev == '\\') => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') if prev.is_whitespace() || col == 0 => break,
                (None, '[' | '{') => brackets += 1,
                (None, ']' | '}') => brackets = brackets.saturating_sub(1),
                _ => {}
            }
            if block + brackets > MAX_DEPTH {
                return Some((n + 1, col + 1));
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
        }
        if block > MAX_DEPTH {
            return Some((n + 1, 1));
        }
        // A single-quoted YAML or TOML string ends with its line; so does a basic one.
        if quote.is_some_and(|q| q != '"' || format == Format::Toml) {
            quote = None;
        }
    }
    None
}

/// An error of the TOML or YAML layer at `line`, `col` of the front matter, about the value
/// of `key` when it is known, in the writer's words.
fn located(
    file: &str,
    front_line: usize,
    line: usize,
    col: usize,
    message: &str,
    key: Option<&str>,
    yaml: bool,
) -> Diagnostic {
    let file_line = if line == 0 {
        front_line.saturating_sub(1)
    } else {
        front_line + line - 1
    };
    let (message, suggestion) = crate::base::words::in_words(message, key, yaml);
    Diagnostic::error(
        file,
        file_line,
        col,
        format!("invalid front matter: {message}"),
    )
    .suggest(suggestion)
}

/// Finds the line and column in the file of `value` written under `key` in front matter,
/// falling back to the key's line, then the first front-matter line.
pub fn locate(
    split_front: &str,
    front_line: usize,
    key: &str,
    value: Option<&str>,
) -> (usize, usize) {
    let lines: Vec<&str> = split_front.lines().collect();
    let key_idx = lines.iter().position(|l| value_of(l, key).is_some());
    if let Some(v) = value {
        let start = key_idx.unwrap_or(0);
        for (i, l) in lines.iter().enumerate().skip(start) {
            if let Some(col) = find_token(l, v) {
                return (front_line + i, col + 1);
            }
        }
    }
    match key_idx {
        Some(i) => (front_line + i, 1),
        None => (front_line.saturating_sub(1).max(1), 1),
    }
}

/// Whether `key` is set on a line of the front matter.
pub(crate) fn has_key(split_front: &str, key: &str) -> bool {
    split_front.lines().any(|l| {
        let t = l.trim_start();
        let table = t.trim_start_matches('[').trim_start();
        value_of(l, key).is_some()
            || (t.starts_with('[')
                && table
                    .strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with([']', '.'])))
    })
}

/// The value part of a front-matter line setting `key` (`key = v`, `key: v`, `- key: v`).
fn value_of<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let t = line.trim_start().trim_start_matches("- ");
    t.strip_prefix(key)?.trim_start().strip_prefix(['=', ':'])
}

/// The line and column of the value of the `n`th (from 0) line setting `key`, falling back
/// to the first front-matter line.
pub fn locate_nth(split_front: &str, front_line: usize, key: &str, n: usize) -> (usize, usize) {
    let found = split_front
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let value = value_of(l, key)?;
            let col = l.len() - value.trim_start().len();
            Some((front_line + i, l[..col].chars().count() + 1))
        })
        .nth(n);
    found.unwrap_or((front_line, 1))
}

/// The line and column of the value of `key` in the `n`th (from 0) table of the array
/// `table` (`[[table]]` in TOML, an item of the list under `table:` in YAML), falling back
/// to that table's first line, then to [`locate`]'s answer for `table`.
pub(crate) fn locate_in_table(
    split_front: &str,
    front_line: usize,
    table: &str,
    n: usize,
    key: &str,
) -> (usize, usize) {
    let lines: Vec<&str> = split_front.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let header = |l: &str| {
        let t = l.trim();
        t.strip_prefix("[[")
            .and_then(|r| r.strip_suffix("]]"))
            .is_some_and(|name| name.trim() == table)
    };
    // Each table's first line, and the line after its last.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    if lines.iter().any(|l| header(l)) {
        for (i, _) in lines.iter().enumerate().filter(|(_, l)| header(l)) {
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].trim_start().starts_with('['))
                .unwrap_or(lines.len());
            spans.push((i, end));
        }
    } else if let Some(at) = lines.iter().position(|l| value_of(l, table).is_some()) {
        let base = indent(lines[at]);
        let within =
            |l: &str| l.trim().is_empty() || indent(l) > base || l.trim_start().starts_with('-');
        let end = (at + 1..lines.len())
            .find(|&j| !within(lines[j]))
            .unwrap_or(lines.len());
        let items: Vec<usize> = (at + 1..end)
            .filter(|&j| {
                let t = lines[j].trim_start();
                (t.starts_with("- ") || t == "-")
                    && indent(lines[j])
                        == (at + 1..end).map(|k| indent(lines[k])).min().unwrap_or(0)
            })
            .collect();
        for (k, &i) in items.iter().enumerate() {
            spans.push((i, items.get(k + 1).copied().unwrap_or(end)));
        }
    }
    let Some(&(start, end)) = spans.get(n) else {
        return locate(split_front, front_line, table, None);
    };
    for (i, l) in lines.iter().enumerate().take(end).skip(start) {
        if let Some(value) = value_of(l, key) {
            let col = l.len() - value.trim_start().len();
            return (front_line + i, l[..col].chars().count() + 1);
        }
    }
    (front_line + start, indent(lines[start]) + 1)
}

fn find_token(line: &str, token: &str) -> Option<usize> {
    let is_id = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut from = 0;
    while let Some(i) = line[from..].find(token) {
        let at = from + i;
        let before_ok = line[..at].chars().next_back().is_none_or(|c| !is_id(c));
        let after_ok = line[at + token.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_id(c));
        if before_ok && after_ok {
            return Some(line[..at].chars().count());
        }
        from = at + token.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml() {
        let s = split("+++\ntitle = \"x\"\n+++\nbody\n").unwrap().unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        let s = split("---\r\ntitle: x\r\n---\r\nbody").unwrap().unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.body, "body");
    }

    #[test]
    fn finds_a_key_in_the_nth_table_of_an_array() {
        let toml = "title = \"x\"\ndate = 2024-01-01\n\n[[corrections]]\ndate = 2024-02-01\nkind = \"update\"\n\n[assessment]\ndate = 2024-03-01\n\n[[corrections]]\nkind = \"update\"\n  date = 2024-04-01\n";
        assert_eq!(locate_in_table(toml, 2, "corrections", 0, "date"), (6, 8));
        assert_eq!(locate_in_table(toml, 2, "corrections", 1, "date"), (14, 10));
        assert_eq!(locate_in_table(toml, 2, "corrections", 1, "text"), (12, 1));
        let yaml = "title: x\ncorrections:\n  - kind: update\n    date: 2024-02-01\n  - date: 2024-04-01\n    kind: update\ndate: 2024-01-01\n";
        assert_eq!(locate_in_table(yaml, 2, "corrections", 0, "date"), (5, 11));
        assert_eq!(locate_in_table(yaml, 2, "corrections", 1, "date"), (6, 11));
        assert_eq!(locate_in_table(yaml, 2, "corrections", 2, "date"), (3, 1));
    }

    #[test]
    fn no_front_matter_and_unclosed() {
        assert_eq!(split("# hello").unwrap(), None);
        assert_eq!(split("----\n").unwrap(), None);
        assert!(split("+++\ntitle = 1\n").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = |n: usize| format!("x = {}{}\n", "[".repeat(n), "]".repeat(n));
        assert_eq!(too_deep(&deep(MAX_DEPTH), Format::Toml), None);
        assert_eq!(
            too_deep(&deep(MAX_DEPTH + 1), Format::Toml),
            Some((1, 5 + MAX_DEPTH))
        );
        assert_eq!(too_deep("x = \"[[[[[[[[\"\n# [[[[\n", Format::Toml), None);
        let block: String = (0..MAX_DEPTH + 2)
            .map(|i| format!("{}- a\n", "  ".repeat(i)))
            .collect();
        assert!(too_deep(&block, Format::Yaml).is_some());
        let items = format!("{}1\n", "- ".repeat(MAX_DEPTH + 1));
        assert!(too_deep(&items, Format::Yaml).is_some());
        let fine =
            "title: \"a [b\"\ntags:\n  - x\n  - y\ncitations:\n  - source: s\n    quote: 'it''s'\n";
        assert_eq!(too_deep(fine, Format::Yaml), None);
    }

    #[test]
    fn locates_values_under_their_key() {
        let fm = "title = \"a\"\ndisputes = [\n  \"abc\",\n  \"ab\",\n]\n";
        assert_eq!(locate(fm, 2, "disputes", Some("ab")), (5, 4));
        assert_eq!(locate(fm, 2, "claimants", None), (1, 1));
        let fm = "[[citations]]\nquote = \"a\"\nquote_translation = \"b\"\n[[citations]]\n  quote = \"c\"\n";
        assert_eq!(locate_nth(fm, 2, "quote", 1), (6, 11));
        assert_eq!(locate_nth(fm, 2, "quote", 2), (2, 1));
    }
}

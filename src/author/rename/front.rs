//! The values of front matter (and of `site.toml`) that name a renamed entry, changed in
//! the text so that everything else stays as written. Each place the old id is written
//! is tried on its own and kept only when the parser then reads exactly one reference of
//! the right kind changed; the whole is kept only when it reads as the old front matter
//! with every such reference changed and nothing else.

use serde_json::Value;

use super::Renaming;
use crate::base::diagnostics::Diagnostic;
use crate::load::content::EntryKind;
use crate::load::content::frontmatter::{self, Format, Split};

/// Every front-matter key that names entries by id (`[]` stands for each item of a
/// list), with the kind of entry it names.
pub(crate) const REFERENCES: [(&str, EntryKind); 8] = [
    ("claimants[]", EntryKind::Actor),
    ("disputes[]", EntryKind::Claim),
    ("supports[]", EntryKind::Claim),
    ("citations[].source", EntryKind::Source),
    ("about[]", EntryKind::Event),
    ("attributes.to[]", EntryKind::Actor),
    ("published_by", EntryKind::Actor),
    ("sources[]", EntryKind::Source),
];

/// Every key of `site.toml` that names entries by id.
pub(crate) const SITE_REFERENCES: [(&str, EntryKind); 1] =
    [("map.positions[].claims[]", EntryKind::Claim)];

/// The key of a source's snapshot file, relative to the source's folder.
const SNAPSHOT: &str = "snapshot";

/// A step of a path into parsed front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Item(usize),
}

/// What to change in one text of front matter.
pub struct Edit<'a> {
    pub renaming: &'a Renaming,
    pub keys: &'a [(&'a str, EntryKind)],
    /// The file's folder under `content/`, which its `snapshot` is relative to.
    pub dir: &'a str,
    /// For the renamed entry's own file: the key of its earlier addresses and the one to
    /// add (its old address), and the one to take out (its new address, if it had it).
    pub address: Option<(&'a str, &'a str, &'a str)>,
}

/// `front` with its references changed, `None` when nothing in it is to change; an error
/// (at its line in `file`) when it does not parse or a reference cannot be changed.
pub(crate) fn rewrite(
    split: &Split<'_>,
    file: &str,
    edit: &Edit<'_>,
) -> Result<Option<String>, Diagnostic> {
    let parse = |text: &str| parse(split, text, file);
    let before = parse(split.front)?;
    let mut expected = before.clone();
    let changed = substitute(&mut expected, edit);
    let mut text = split.front.to_string();
    let candidates = candidates(&text, &edit.renaming.old);
    let mut kept = Vec::new();
    for at in candidates.iter().rev() {
        let tried = replace(&text, at.clone(), &edit.renaming.new);
        if parse(&tried).is_ok_and(|after| one_reference_changed(&before, &after, &expected)) {
            kept.push(at.clone());
        }
    }
    for at in kept {
        text = replace(&text, at, &edit.renaming.new);
    }
    if let Some((key, add, remove)) = edit.address {
        if let Some(list) = expected.get_mut(key).and_then(Value::as_array_mut) {
            list.retain(|v| v.as_str() != Some(remove));
        }
        text = remove_item(&text, remove, &expected, &parse).unwrap_or(text);
        push_item(&mut expected, key, add);
        text = add_item(&text, split.format, key, add, &expected, &parse).ok_or_else(|| {
            let (line, col) = frontmatter::locate(split.front, split.front_line, key, None);
            Diagnostic::error(file, line, col, format!("cannot add the old address `{add}` to `{key}` as it is written here; write `{key}` as a list on one line, then rename again"))
        })?;
    } else if !changed {
        return Ok(None);
    }
    if parse(&text).ok().as_ref() != Some(&expected) {
        let at = candidates.first().map_or(0, |r| r.start);
        let (line, col) = crate::base::diagnostics::line_col(split.front, at);
        return Err(Diagnostic::error(
            file,
            split.front_line + line.max(1) - 1,
            col,
            format!(
                "`{}` is named here in a way rename cannot change safely (escaped, or split across lines); write it as `\"{}\"` and rename again",
                edit.renaming.old, edit.renaming.old
            ),
        ));
    }
    Ok(Some(text))
}

/// Front matter `text` parsed into a tree, errors located as a build locates them.
fn parse(split: &Split<'_>, text: &str, file: &str) -> Result<Value, Diagnostic> {
    let split = Split {
        front: text,
        ..split.clone()
    };
    frontmatter::parse::<Value>(&split, file)
}

/// Whether `after` differs from `before` in exactly one value, which `expected` (the
/// front matter with every reference changed) has too.
fn one_reference_changed(before: &Value, after: &Value, expected: &Value) -> bool {
    let mut path = Vec::new();
    let Some((_, new)) = difference(before, after, &mut path) else {
        return false;
    };
    if at_path(expected, &path) != Some(new) {
        return false;
    }
    let mut patched = before.clone();
    if let Some(slot) = at_path_mut(&mut patched, &path) {
        *slot = new.clone();
    }
    &patched == after
}

/// The first place where `a` and `b` differ: its path (in `path`) and both values there.
fn difference<'v>(
    a: &'v Value,
    b: &'v Value,
    path: &mut Vec<Step>,
) -> Option<(&'v Value, &'v Value)> {
    match (a, b) {
        (Value::Object(x), Value::Object(y))
            if x.len() == y.len() && x.keys().all(|k| y.contains_key(k)) =>
        {
            x.iter().find_map(|(k, v)| {
                path.push(Step::Key(k.clone()));
                let d = difference(v, &y[k], path);
                if d.is_none() {
                    path.pop();
                }
                d
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (v, w))| {
                path.push(Step::Item(i));
                let d = difference(v, w, path);
                if d.is_none() {
                    path.pop();
                }
                d
            })
        }
        _ => (a != b).then_some((a, b)),
    }
}

fn at_path_mut<'v>(v: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |v, step| match step {
        Step::Key(k) => v.get_mut(k),
        Step::Item(i) => v.get_mut(i),
    })
}

fn at_path<'v>(v: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(v, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Item(i) => v.get(i),
    })
}

/// Changes, in a parsed front matter, every reference to the renamed entry and a
/// snapshot that is one of its renamed files; whether anything changed.
fn substitute(tree: &mut Value, edit: &Edit<'_>) -> bool {
    let r = edit.renaming;
    let mut changed = false;
    for (pattern, kind) in edit.keys {
        if *kind != r.kind {
            continue;
        }
        each_at(tree, &pattern.split('.').collect::<Vec<_>>(), &mut |v| {
            if v.as_str() == Some(r.old.as_str()) {
                *v = Value::String(r.new.clone());
                changed = true;
            }
        });
    }
    if let Some(snapshot) = tree.get_mut(SNAPSHOT)
        && let Some(s) = snapshot.as_str()
        && let Some(moved) = r.moved_name(edit.dir, s)
    {
        *snapshot = Value::String(moved);
        changed = true;
    }
    changed
}

/// Calls `f` on each value at `pattern` (keys, `name[]` for each item of a list).
fn each_at(v: &mut Value, pattern: &[&str], f: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = pattern.split_first() else {
        f(v);
        return;
    };
    let (key, items) = match first.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (*first, false),
    };
    let Some(child) = v.get_mut(key) else {
        return;
    };
    match (items, child) {
        (true, Value::Array(list)) => list.iter_mut().for_each(|x| each_at(x, rest, f)),
        (true, _) => {}
        (false, child) => each_at(child, rest, f),
    }
}

fn push_item(tree: &mut Value, key: &str, item: &str) {
    let Some(map) = tree.as_object_mut() else {
        return;
    };
    let list = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Some(list) = list.as_array_mut()
        && !list.iter().any(|v| v.as_str() == Some(item))
    {
        list.push(Value::String(item.to_string()));
    }
}

/// Where `id` is written whole in `text`: not part of a longer id (a `.` may follow, as
/// in a file name).
fn candidates(text: &str, id: &str) -> Vec<std::ops::Range<usize>> {
    let is_id =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    text.match_indices(id)
        .filter(|(i, _)| {
            !is_id(text[..*i].chars().next_back()) && !is_id(text[i + id.len()..].chars().next())
        })
        .map(|(i, _)| i..i + id.len())
        .collect()
}

fn replace(text: &str, at: std::ops::Range<usize>, with: &str) -> String {
    let mut s = String::with_capacity(text.len() + with.len());
    s.push_str(&text[..at.start]);
    s.push_str(with);
    s.push_str(&text[at.end..]);
    s
}

/// `value` written as a string in the front matter's syntax.
fn quoted(value: &str, format: Format) -> String {
    match format {
        Format::Toml => toml::Value::String(value.to_string()).to_string(),
        Format::Yaml => Value::String(value.to_string()).to_string(),
    }
}

/// `text` with `item` added to the list under top-level `key` (the key written if it is
/// not there), as long as the result parses as `expected`.
fn add_item(
    text: &str,
    format: Format,
    key: &str,
    item: &str,
    expected: &Value,
    parse: &dyn Fn(&str) -> Result<Value, Diagnostic>,
) -> Option<String> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let q = quoted(item, format);
    let mut tries = Vec::new();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts = |l: &str| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
    };
    match lines.iter().position(|l| starts(l)) {
        Some(i) => {
            let line = lines[i];
            let head: usize = lines[..i].iter().map(|l| l.len()).sum();
            // A list on one line: the item goes before its closing bracket.
            if let Some(close) = line.rfind(']') {
                let open = line.find('[').unwrap_or(close);
                let empty = line[open + 1..close].trim().is_empty();
                let insert = if empty { q.clone() } else { format!(", {q}") };
                let at = head + line[..close].trim_end().len();
                tries.push(replace(text, at..at, &insert));
            }
            // A list over several lines: the item goes on a line of its own before the
            // line that closes it, after a comma.
            if line.trim_end().ends_with('[')
                && let Some(k) = lines[i + 1..]
                    .iter()
                    .position(|l| l.trim_start().starts_with(']'))
            {
                let close = i + 1 + k;
                let last = lines[i..close]
                    .iter()
                    .rposition(|l| !l.trim().is_empty())
                    .map_or(i, |p| i + p);
                let indent = &lines[last][..lines[last].len() - lines[last].trim_start().len()];
                let at = head + lines[i..close].iter().map(|l| l.len()).sum::<usize>();
                let inserted = replace(text, at..at, &format!("{indent}{q},{eol}"));
                let content = lines[last].trim_end();
                let needs_comma = last > i && !content.ends_with(',') && !content.contains('#');
                tries.push(if needs_comma {
                    let end = head
                        + lines[i..last].iter().map(|l| l.len()).sum::<usize>()
                        + content.len();
                    replace(&inserted, end..end, ",")
                } else {
                    inserted
                });
            }
            // A YAML list of `- ` lines: the item goes after the last.
            let items = lines[i + 1..]
                .iter()
                .take_while(|l| l.trim_start().starts_with("- "))
                .count();
            if let Some(last) = lines.get(i + items).filter(|_| items > 0) {
                let indent = &last[..last.len() - last.trim_start().len()];
                let at = head + lines[i..=i + items].iter().map(|l| l.len()).sum::<usize>();
                let sep = if text[..at].ends_with('\n') { "" } else { eol };
                tries.push(replace(text, at..at, &format!("{sep}{indent}- {q}{eol}")));
            }
        }
        None => {
            let line = match format {
                Format::Toml => format!("{key} = [{q}]{eol}"),
                Format::Yaml => format!("{key}: [{q}]{eol}"),
            };
            // In TOML, before the first table, so that it is a key of the entry.
            let table = (format == Format::Toml)
                .then(|| {
                    lines.iter().position(|l| l.starts_with('[')).map(|i| {
                        // After the last key, not after the blank lines before the table.
                        let keys = lines[..i]
                            .iter()
                            .rposition(|l| !l.trim().is_empty())
                            .map_or(0, |k| k + 1);
                        lines[..keys].iter().map(|l| l.len()).sum::<usize>()
                    })
                })
                .flatten();
            let at = table.unwrap_or(text.len());
            let sep = if at > 0 && !text[..at].ends_with('\n') {
                eol
            } else {
                ""
            };
            tries.push(replace(text, at..at, &format!("{sep}{line}")));
        }
    }
    tries
        .into_iter()
        .find(|t| parse(t).ok().as_ref() == Some(expected))
}

/// `text` without `item` in a list, when it is there and the result parses
/// as `expected`.
fn remove_item(
    text: &str,
    item: &str,
    expected: &Value,
    parse: &dyn Fn(&str) -> Result<Value, Diagnostic>,
) -> Option<String> {
    for (i, _) in text.match_indices(item) {
        let (mut start, mut end) = (i, i + item.len());
        if text[end..].starts_with(['"', '\'']) && start > 0 {
            start -= 1;
            end += 1;
        }
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
        let before = &text[..start];
        let after = &text[end..];
        let comma_after = after.len() - after.trim_start_matches(',').trim_start_matches(' ').len();
        let comma_before = before.len() - before.trim_end_matches(' ').trim_end_matches(',').len();
        let tries = [
            replace(text, line_start..line_end, ""),
            replace(text, start..end + comma_after, ""),
            replace(text, start - comma_before..end, ""),
        ];
        if let Some(t) = tries
            .into_iter()
            .find(|t| parse(t).ok().as_ref() == Some(expected))
        {
            return Some(t);
        }
    }
    None
}

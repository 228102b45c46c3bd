//! Changing keys of a source file that exists, line by line, so that everything else in it
//! (comments, order, the body) stays as the writer left it; and replacing a file whole.

use std::path::Path;

/// `text` (a Markdown file with front matter) with each `(key, value, quoted)` of `keys`
/// set: its line replaced where the key is given, else a line added after the key `after`
/// (or the last key added), or at the end of the front matter. Values are written in the
/// front matter's syntax, quoted as strings when `quoted`.
pub(crate) fn set_keys(text: &str, keys: &[(&str, &str, bool)], after: &str) -> String {
    let toml = text.starts_with("+++");
    let is_key = |l: &str, key: &str| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let fence = if toml { "+++" } else { "---" };
    let mut end = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == fence)
        .map_or(lines.len(), |i| i + 1);
    let mut at = lines[..end]
        .iter()
        .position(|l| is_key(l, after))
        .map_or(end, |i| i + 1);
    for (key, value, quoted) in keys {
        let value = if *quoted {
            Value::Text(value).written(toml)
        } else {
            value.to_string()
        };
        let line = if toml {
            format!("{key} = {value}")
        } else {
            format!("{key}: {value}")
        };
        match lines[..end].iter().position(|l| is_key(l, key)) {
            Some(i) => {
                lines[i] = line;
                at = i + 1;
            }
            None => {
                lines.insert(at, line);
                at += 1;
                end += 1;
            }
        }
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A value written into front matter.
pub enum Value<'a> {
    /// Written as it is: a number or a date.
    Bare(String),
    Text(&'a str),
    List(Vec<String>),
}

impl Value<'_> {
    fn written(&self, toml: bool) -> String {
        let quote = |s: &str| {
            if toml {
                toml::Value::String(s.to_string()).to_string()
            } else {
                serde_json::Value::String(s.to_string()).to_string()
            }
        };
        match self {
            Value::Bare(v) => v.clone(),
            Value::Text(t) => quote(t),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(|i| quote(i)).collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
}

/// `text` (a Markdown file with front matter) with one more entry in the array of
/// tables `table` (`[[checks]]`; in YAML, an item of the list `checks:`), after those it
/// has and keeping every other line as it is.
pub(crate) fn append_table(text: &str, table: &str, fields: &[(&str, Value<'_>)]) -> String {
    let toml = text.starts_with("+++");
    let fence = if toml { "+++" } else { "---" };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == fence)
        .map_or(lines.len(), |i| i + 1);
    let mut entry = Vec::new();
    if toml {
        if lines[..end].last().is_some_and(|l| !l.trim().is_empty()) {
            entry.push(String::new());
        }
        entry.push(format!("[[{table}]]"));
        entry.extend(
            fields
                .iter()
                .map(|(k, v)| format!("{k} = {}", v.written(true))),
        );
        lines.splice(end..end, entry);
    } else {
        let head = lines[..end]
            .iter()
            .position(|l| l.trim_end() == format!("{table}:"));
        let (at, indent) = match head {
            Some(h) => {
                let block_end = (h + 1..end)
                    .find(|&i| !lines[i].is_empty() && !lines[i].starts_with([' ', '-']))
                    .unwrap_or(end);
                let indent = lines[h + 1..block_end]
                    .iter()
                    .find(|l| l.trim_start().starts_with("- "))
                    .map_or(2, |l| l.len() - l.trim_start().len());
                (block_end, indent)
            }
            None => {
                entry.push(format!("{table}:"));
                (end, 2)
            }
        };
        let pad = " ".repeat(indent);
        for (n, (k, v)) in fields.iter().enumerate() {
            let lead = if n == 0 { "- " } else { "  " };
            entry.push(format!("{pad}{lead}{k}: {}", v.written(false)));
        }
        lines.splice(at..at, entry);
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Writes `bytes` to `path` through a temporary file beside it, so that it is replaced
/// whole or not at all.
pub(crate) fn write_replacing(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.dossier-{}", std::process::id()));
    std::fs::write(&temp, bytes)
        .and_then(|()| std::fs::rename(&temp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            format!("cannot write {}: {e}", path.display())
        })
}

#[cfg(test)]
mod tests {
    use super::{Value, append_table, set_keys};

    #[test]
    fn a_table_is_appended_after_those_of_its_kind() {
        let fields = |found: &str| {
            [
                ("date", Value::Bare("2026-12-05".into())),
                ("found", Value::Bare(found.into())),
                ("missing", Value::List(vec!["claim-a".into()])),
            ]
        };
        let toml = "+++\ntitle = \"T\" # kept\n\n[[corrections]]\ndate = 2024-01-01\n+++\nBody.\n";
        assert_eq!(
            append_table(toml, "checks", &fields("2")),
            "+++\ntitle = \"T\" # kept\n\n[[corrections]]\ndate = 2024-01-01\n\n[[checks]]\ndate = 2026-12-05\nfound = 2\nmissing = [\"claim-a\"]\n+++\nBody.\n"
        );
        let yaml = "---\ntitle: T\nchecks:\n    - date: 2026-01-01\n      found: 1\nurl: https://a.test/\n---\n";
        assert_eq!(
            append_table(yaml, "checks", &fields("0")),
            "---\ntitle: T\nchecks:\n    - date: 2026-01-01\n      found: 1\n    - date: 2026-12-05\n      found: 0\n      missing: [\"claim-a\"]\nurl: https://a.test/\n---\n"
        );
        let bare = "---\ntitle: T\n---\n";
        assert_eq!(
            append_table(bare, "checks", &fields("1")),
            "---\ntitle: T\nchecks:\n  - date: 2026-12-05\n    found: 1\n    missing: [\"claim-a\"]\n---\n"
        );
    }

    #[test]
    fn keys_replace_their_line_or_follow_the_key_named() {
        let toml = "+++\ntitle = \"T\"\nsnapshot = \"x.html\"\nsnapshot_sha256 = \"00\"\n+++\nBody: snapshot_sha256 = 1\n";
        assert_eq!(
            set_keys(toml, &[("snapshot_sha256", "ab", true)], "snapshot"),
            "+++\ntitle = \"T\"\nsnapshot = \"x.html\"\nsnapshot_sha256 = \"ab\"\n+++\nBody: snapshot_sha256 = 1\n"
        );
        let yaml = "---\ntitle: T\nurl: https://a.test/\n---\n";
        assert_eq!(
            set_keys(
                yaml,
                &[
                    ("archive_url", "https://w.test/\"x\"", true),
                    ("archived", "2026-12-04", false)
                ],
                "url"
            ),
            "---\ntitle: T\nurl: https://a.test/\narchive_url: \"https://w.test/\\\"x\\\"\"\narchived: 2026-12-04\n---\n"
        );
        let bare = "+++\ntitle = \"T\"\n+++\n";
        assert_eq!(
            set_keys(bare, &[("archived", "2026-12-04", false)], "url"),
            "+++\ntitle = \"T\"\narchived = 2026-12-04\n+++\n"
        );
    }
}

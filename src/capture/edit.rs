//! Changing keys of a source file that exists, line by line, so that everything else in it
//! (comments, order, the body) stays as the writer left it; and replacing a file whole.

use std::path::Path;

/// `text` (a Markdown file with front matter) with each `(key, value, quoted)` of `keys`
/// set: its line replaced where the key is given, else a line added after the key `after`
/// (or the last key added), or at the end of the front matter. Values are written in the
/// front matter's syntax, quoted as strings when `quoted`.
pub fn set_keys(text: &str, keys: &[(&str, &str, bool)], after: &str) -> String {
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
        let value = match (quoted, toml) {
            (false, _) => value.to_string(),
            (true, true) => toml::Value::String(value.to_string()).to_string(),
            (true, false) => serde_json::Value::String(value.to_string()).to_string(),
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

/// Writes `bytes` to `path` through a temporary file beside it, so that it is replaced
/// whole or not at all.
pub fn write_replacing(path: &Path, bytes: &[u8]) -> Result<(), String> {
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
    use super::set_keys;

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

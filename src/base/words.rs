//! What each front-matter key takes, in words, and the messages of the TOML, YAML and
//! serde layers rewritten in them: a message names the key and what it takes, never a
//! Rust type.

/// `key` set to `value` as written in TOML or YAML front matter.
fn set(key: &str, value: &str, yaml: bool) -> String {
    if yaml {
        format!("{key}: {value}")
    } else {
        format!("{key} = {value}")
    }
}

/// What `key` takes, in words, with an example made from the value written (`x`) when
/// one helps.
fn takes(key: &str, written: Option<&str>, yaml: bool) -> Option<String> {
    let x = written.unwrap_or("an-id");
    let list = |what: &str| {
        format!(
            "a list of {what}, like `{}`",
            set(key, &format!("[\"{x}\"]"), yaml)
        )
    };
    Some(match key {
        "claimants" | "to" => list("actor ids"),
        "disputes" | "supports" => list("claim ids"),
        "about" => list("event ids"),
        "sources" => list("source ids"),
        "claims" => list("claim ids"),
        "tags" => list("tags"),
        "aliases" => format!(
            "a list (an actor's other names, or a page's earlier addresses such as `/claims/old-id/`), like `{}`",
            set(key, &format!("[\"{x}\"]"), yaml)
        ),
        "redirect_from" => format!(
            "a list of the actor's earlier addresses, like `{}`",
            set(key, "[\"/actors/old-id/\"]", yaml)
        ),
        "authors" => "a list of names, each as written (`\"Jane Doe\"`) or in parts (`{ family = \"Doe\", given = \"Jane\" }`)".into(),
        "citations" => "a list of citations, each a `[[citations]]` table with its `source`".into(),
        "corrections" => "a list of corrections, each a `[[corrections]]` table with `date`, `kind` and `text`".into(),
        "checks" => "a list of checks of the live page, each a `[[checks]]` table with `date` and `found` (written by `dossier check --external --record`)".into(),
        "assessment" => "a table, `[assessment]`, with its `rating`".into(),
        "attributes" => "a table, `[attributes]`, with `activity` and `to`".into(),
        "credibility" => "a number from 1 to 6 (1: confirmed by other sources … 6: truth cannot be judged)".into(),
        "date" | "end" | "updated" | "accessed" | "archived" | "snapshot_captured"
        | "translated_from_date" => "a date, like `2024-05-24`, `2024-05` or `2024`".into(),
        "draft" | "publish_snapshot" => "`true` or `false`".into(),
        "weight" => "a whole number".into(),
        "rating_value" | "best_rating" | "worst_rating" => "a number".into(),
        "published_by" => format!("an actor id, like `{}`", set(key, &format!("\"{x}\""), yaml)),
        "source" => format!("a source id, like `{}`", set(key, &format!("\"{x}\""), yaml)),
        "reliability" => "a grade from `A` (completely reliable) to `F` (reliability cannot be judged), in quotes".into(),
        "status" => "one of `active`, `retracted` or `superseded`, in quotes".into(),
        "title" | "summary" | "description" | "quote" | "quote_translation" | "locator"
        | "note" | "url" | "archive_url" | "publisher" | "language" | "country" | "place"
        | "text" | "rating" | "activity" | "snapshot" | "snapshot_sha256"
        | "snapshot_encoding" | "report_number" | "doi" | "title_translation" => {
            "text in quotes".into()
        }
        _ => return None,
    })
}

/// A serde "expected" phrase in words: `i64` is a whole number, a sequence a list.
fn expected_in_words(expected: &str) -> String {
    let e = expected.trim();
    let words = match e {
        "i64" | "u64" | "i32" | "u32" | "u16" | "u8" | "an integer" | "usize" => "a whole number",
        "f64" | "f32" | "a float" => "a number",
        "a sequence" => "a list",
        "a map" => "a table",
        "a boolean" => "`true` or `false`",
        "a string" | "a borrowed string" => "text in quotes",
        _ if e.starts_with("struct ") || e.starts_with("a map") => "a table",
        _ if e.contains("YYYY") => "a date, like `2024-05-24`, `2024-05` or `2024`",
        _ => e,
    };
    words.to_string()
}

/// A serde "invalid type" phrase for the value written, in words: `string "B"` is the
/// text `"B"`.
fn found_in_words(found: &str) -> String {
    let f = found.trim();
    if let Some(s) = f.strip_prefix("string ") {
        return format!("the text `{s}`");
    }
    for (prefix, what) in [
        ("integer ", "the number"),
        ("floating point ", "the number"),
        ("boolean ", "the value"),
    ] {
        if let Some(v) = f.strip_prefix(prefix) {
            let v = v.trim_matches('`');
            return format!("{what} `{v}`");
        }
    }
    match f {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        "unit value" | "null" => "nothing".into(),
        "date" | "datetime" | "local date" => "a date".into(),
        _ => f.to_string(),
    }
}

/// The text written, when the value was text: `"B"` for `string "B"`.
fn written_text(found: &str) -> Option<&str> {
    let s = found.trim().strip_prefix("string ")?;
    Some(s.strip_prefix('"')?.strip_suffix('"').unwrap_or(s))
}

/// Tables of the front matter that have keys of their own, as they are written in TOML.
const TABLES: [(&str, &str); 5] = [
    ("citations", "[[citations]]"),
    ("corrections", "[[corrections]]"),
    ("checks", "[[checks]]"),
    ("assessment", "[assessment]"),
    ("attributes", "[attributes]"),
];

/// A message of the TOML, YAML or serde layers about the value of `key` (if known) in the
/// writer's words, with the nearest valid value or a suggestion when one is clear.
pub(crate) fn in_words(message: &str, key: Option<&str>, yaml: bool) -> (String, Option<String>) {
    let message = crate::base::diagnostics::serde_message_in_words(
        &message.trim().trim_end_matches('.').replace('\n', " "),
    );
    let nearest = crate::base::diagnostics::suggest_from_serde_message(&message);
    let (message, suggestion) = rewrite(&message, key, yaml);
    (message, suggestion.or(nearest))
}

/// Rewrites a message of the front-matter layers about the value of `key` (if known)
/// into the writer's words, with a suggestion when one is clear.
pub(crate) fn rewrite(message: &str, key: Option<&str>, yaml: bool) -> (String, Option<String>) {
    let message = message.trim().trim_end_matches('.');
    if let Some((name, keys)) = message
        .strip_prefix("unknown key ")
        .and_then(|rest| rest.split_once(", expected one of "))
    {
        return (
            format!("{name} is not a key here; the keys are {keys}"),
            None,
        );
    }
    if message.starts_with("missing required key") {
        return match TABLES.iter().find(|(t, _)| Some(*t) == key) {
            Some((name, _)) if yaml && name.ends_with('s') => {
                (format!("an item of `{name}:` is {message}"), None)
            }
            Some((name, _)) if yaml => (format!("`{name}:` is {message}"), None),
            Some((_, table)) => (format!("a `{table}` table is {message}"), None),
            None => (message.to_string(), None),
        };
    }
    let Some(key) = key else {
        return (message.to_string(), None);
    };
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return wrong_type(key, found, expected, yaml);
    }
    if let Some(rest) = message.strip_prefix("invalid date `") {
        let (date, why) = rest.split_once("`: ").unwrap_or((rest, ""));
        let date_words = takes("date", None, yaml).unwrap_or_default();
        let why = if why.starts_with("expected") {
            String::new()
        } else {
            format!(": {why}")
        };
        return (format!("`{key}` is {date_words}, not `{date}`{why}"), None);
    }
    if message.starts_with('`') {
        // Already in words, and naming its key (choices).
        return (message.to_string(), None);
    }
    if message.starts_with("invalid basic string")
        || message.starts_with("invalid literal string")
        || message.contains("end of stream")
    {
        let longer = if yaml {
            format!("after `{key}: |`, on indented lines of its own")
        } else {
            "between `\"\"\"` and `\"\"\"`".to_string()
        };
        return (
            format!(
                "the text of `{key}` is not closed: end it with the quote it starts with, on the same line (text over several lines goes {longer})"
            ),
            None,
        );
    }
    (format!("in the value of `{key}`: {message}"), None)
}

/// The message for a value of the wrong kind.
fn wrong_type(key: &str, found: &str, expected: &str, yaml: bool) -> (String, Option<String>) {
    let text = written_text(found);
    let what = takes(key, text, yaml).unwrap_or_else(|| expected_in_words(expected));
    let mut message = format!("`{key}` is {what}, not {}", found_in_words(found));
    let mut suggestion = None;
    match (key, text) {
        ("credibility", Some(t)) if t.len() == 1 && "ABCDEFabcdef".contains(t) => {
            let grade = t.to_ascii_uppercase();
            message.push_str(&format!(
                "; `{grade}` is a source's reliability grade, set in the source's own file"
            ));
            suggestion = Some(set("reliability", &format!("\"{grade}\""), yaml));
        }
        ("credibility", Some(t)) if t.parse::<u8>().is_ok() => {
            suggestion = Some(set("credibility", t, yaml));
        }
        (
            "claimants" | "to" | "disputes" | "supports" | "about" | "sources" | "tags" | "aliases"
            | "redirect_from" | "claims",
            Some(t),
        ) => {
            suggestion = Some(set(key, &format!("[\"{t}\"]"), yaml));
        }
        ("weight" | "rating_value" | "best_rating" | "worst_rating", Some(t))
            if t.parse::<f64>().is_ok() =>
        {
            suggestion = Some(set(key, t, yaml));
        }
        ("draft" | "publish_snapshot", Some(t)) => {
            let t = t.to_ascii_lowercase();
            if ["true", "yes", "on"].contains(&t.as_str()) {
                suggestion = Some(set(key, "true", yaml));
            } else if ["false", "no", "off"].contains(&t.as_str()) {
                suggestion = Some(set(key, "false", yaml));
            }
        }
        _ => {}
    }
    (message, suggestion)
}

/// The key a TOML value on line `line` (0-based) of `front` belongs to: the key set on
/// that line, or on the nearest line above it that sets one (for a value over several
/// lines), or the table the line heads.
pub(crate) fn key_at(front: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = front.lines().collect();
    for l in lines
        .get(..=line.min(lines.len().saturating_sub(1)))?
        .iter()
        .rev()
    {
        let t = l.trim_start().trim_start_matches("- ");
        if let Some(table) = t.strip_prefix('[') {
            let name = table.trim_matches(|c| c == '[' || c == ']' || c == ' ');
            return Some(name.rsplit('.').next().unwrap_or(name).to_string());
        }
        let Some(end) = t.find(['=', ':']) else {
            continue;
        };
        let k = t[..end].trim().trim_matches('"');
        if !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Some(k.to_string());
        }
    }
    None
}

/// The key of the line that opens a quoted text not closed before the end of a YAML
/// front matter (an odd number of `"` on the line).
pub(crate) fn unclosed_key(front: &str) -> Option<String> {
    let line = front
        .lines()
        .position(|l| l.matches('"').count() % 2 == 1)?;
    key_at(front, line)
}

/// The key of a YAML message's path (`citations[0].credibility: …`) and the message
/// without it.
pub(crate) fn yaml_path(message: &str) -> (Option<String>, &str) {
    match message.split_once(": ") {
        Some((path, rest))
            if !path.contains(' ')
                && path
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.[]".contains(c)) =>
        {
            let last = path.rsplit('.').next().unwrap_or(path);
            let key = last.split('[').next().unwrap_or(last);
            (Some(key.to_string()), rest)
        }
        _ => (None, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_wrong_types_in_words() {
        let (m, s) = rewrite(
            "invalid type: string \"B\", expected i64",
            Some("credibility"),
            false,
        );
        assert_eq!(
            m,
            "`credibility` is a number from 1 to 6 (1: confirmed by other sources … 6: truth cannot be judged), not the text `\"B\"`; `B` is a source's reliability grade, set in the source's own file"
        );
        assert_eq!(s.as_deref(), Some("reliability = \"B\""));
        let (m, s) = rewrite(
            "invalid type: string \"x\", expected a sequence",
            Some("disputes"),
            false,
        );
        assert_eq!(
            m,
            "`disputes` is a list of claim ids, like `disputes = [\"x\"]`, not the text `\"x\"`"
        );
        assert_eq!(s.as_deref(), Some("disputes = [\"x\"]"));
    }

    #[test]
    fn finds_the_key_of_a_line() {
        let front = "title = \"x\"\ntags = [\n  \"a\",\n  1,\n]\n[[citations]]\nsource = \"s\"\n";
        assert_eq!(key_at(front, 3).as_deref(), Some("tags"));
        assert_eq!(key_at(front, 5).as_deref(), Some("citations"));
        assert_eq!(key_at(front, 6).as_deref(), Some("source"));
        assert_eq!(
            yaml_path("citations[0].credibility: invalid type"),
            (Some("credibility".into()), "invalid type")
        );
    }
}

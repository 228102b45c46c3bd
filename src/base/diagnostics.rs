//! Collected errors and warnings, each tied to a file, line and column of the site.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the site, located as precisely as known. Its JSON form (for
/// `--message-format json`) has these fields in this order, severity first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    /// The nearest valid value, when one is close enough to suggest.
    pub suggestion: Option<String>,
    /// For one line that stands for many of the same kind, each of them: `--message-format
    /// json` gives these instead of the line.
    #[serde(skip)]
    pub each: Box<[Diagnostic]>,
    /// For a warning that may apply to many files, what they have in common in the plural
    /// ("sources are not cited by any claim") and what to do about them; above
    /// [`ONE_BY_ONE`] files such warnings are given as one line.
    #[serde(skip)]
    pub many: Option<&'static Many>,
}

/// What warnings of one kind on many files share.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Many {
    /// What they say, in the plural: "sources are not cited by any claim".
    pub what: &'static str,
    /// What to do about all of them (may be empty).
    pub advice: &'static str,
}

/// Above this many files, warnings of one kind are given as one line.
const ONE_BY_ONE: usize = 5;

impl Diagnostic {
    /// An error at `file:line:column`.
    pub fn error(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            column,
            message: message.into(),
            suggestion: None,
            each: Box::default(),
            many: None,
        }
    }

    /// A warning at `file:line:column`.
    pub fn warning(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, column, message)
        }
    }

    /// Adds a "did you mean" suggestion.
    pub(crate) fn suggest(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }

    /// Marks a warning that may apply to many files, with what they share.
    pub fn many(mut self, kind: &'static Many) -> Self {
        self.many = Some(kind);
        self
    }

    /// One line of JSON: file, line, column, severity, message, suggestion.
    pub(crate) fn to_json(&self) -> String {
        if self.each.is_empty() {
            serde_json::to_string(self).unwrap_or_default()
        } else {
            let lines: Vec<String> = self.each.iter().map(Diagnostic::to_json).collect();
            lines.join("\n")
        }
    }

    /// `file:line:col` (line and column only when known).
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{}", self.file, l),
            (l, c) => format!("{}:{}:{}", self.file, l, c),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: {}", self.location(), level, self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

/// A thread-safe collection of diagnostics, so parallel stages can report into one list.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    /// Records one diagnostic.
    pub fn push(&self, d: Diagnostic) {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }

    /// Whether any error (not warning) was recorded.
    pub(crate) fn has_errors(&self) -> bool {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, sorted by file, line, column, errors before warnings at one place.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.lock().unwrap_or_else(|e| e.into_inner()).clone();
        v.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        v.dedup();
        group_many(v)
    }
}

/// Replaces the warnings of each kind that apply to more than [`ONE_BY_ONE`] files with
/// one line, at the first of them, giving their count and first three places; each is
/// kept in the line's `each` for `--message-format json`.
fn group_many(v: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kinds: std::collections::HashMap<&Many, Vec<usize>> = Default::default();
    for (i, d) in v.iter().enumerate() {
        if let (Severity::Warning, Some(k)) = (d.severity, d.many) {
            kinds.entry(k).or_default().push(i);
        }
    }
    let mut lines: Vec<(usize, Diagnostic)> = Vec::new();
    let mut grouped = vec![false; v.len()];
    for (Many { what, advice }, at) in kinds {
        let mut files: Vec<&str> = at.iter().map(|&i| v[i].file.as_str()).collect();
        files.dedup();
        if files.len() <= ONE_BY_ONE {
            continue;
        }
        let places: Vec<String> = at.iter().take(3).map(|&i| v[i].location()).collect();
        let advice = if advice.is_empty() {
            String::new()
        } else {
            format!("; {advice}")
        };
        let first = &v[at[0]];
        let mut line = Diagnostic::warning(
            first.file.clone(),
            first.line,
            first.column,
            format!(
                "{} {what}: {} and {} more{advice} (`--message-format json` lists every one)",
                at.len(),
                places.join(", "),
                at.len() - places.len()
            ),
        );
        line.each = at.iter().map(|&i| v[i].clone()).collect();
        at.iter().for_each(|&i| grouped[i] = true);
        lines.push((at[0], line));
    }
    let mut out = Vec::with_capacity(v.len());
    for (i, d) in v.into_iter().enumerate() {
        if let Some(p) = lines.iter().position(|(at, _)| *at == i) {
            out.push(lines.swap_remove(p).1);
        } else if !grouped[i] {
            out.push(d);
        }
    }
    out
}

/// `n` and the noun in the number it takes: "1 claim", "2 claims".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The candidate closest to `wanted`, if it is close enough to be a plausible typo.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    // A slip of case is the likeliest mistake of all.
    if let Some(c) = candidates
        .iter()
        .find(|c| **c != wanted && c.to_lowercase() == wanted.to_lowercase())
    {
        return Some(c.to_string());
    }
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(wanted, c).max(
            if c.contains(wanted) || wanted.contains(c) {
                0.7
            } else {
                0.0
            },
        );
        if best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.5).map(|(_, c)| c.to_string())
}

/// A path relative to `root`, with `/` separators, for diagnostics and URLs.
pub(crate) fn rel_path(root: &Path, path: &Path) -> String {
    let p: PathBuf = path
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// 1-based line and column of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The words of a serde message, with front-matter terms: a "field" is a key.
pub(crate) fn serde_message_in_words(message: &str) -> String {
    message
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing required key")
}

/// The nearest valid value for a message naming a wrong one among the valid ones:
/// "unknown key `x`, expected one of `a`, `b`" (or field, or variant) and "`key` must be
/// one of `a` (…), `b`, not `x`". Nothing for other messages, or when the nearest is the
/// value already written.
pub(crate) fn suggest_from_serde_message(message: &str) -> Option<String> {
    let ticked = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let (wanted, candidates) = if let Some((_, rest)) = message.split_once(" must be one of ") {
        let (list, wanted) = rest.rsplit_once(", not ")?;
        (ticked(wanted).pop()?, ticked(list))
    } else if message.starts_with("unknown") {
        let (head, rest) = message.split_once("expected")?;
        (ticked(head).into_iter().next()?, ticked(rest))
    } else {
        return None;
    };
    nearest(&wanted, candidates.iter().map(String::as_str)).filter(|s| *s != wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_and_rejects_strangers() {
        assert_eq!(
            nearest("microsft", ["microsoft", "cisa"]),
            Some("microsoft".into())
        );
        assert_eq!(nearest("zzzzzz", ["microsoft", "cisa"]), None);
    }

    #[test]
    fn serde_messages_get_suggestions() {
        let m = "unknown field `titel`, expected one of `title`, `date`";
        assert_eq!(suggest_from_serde_message(m), Some("title".into()));
        assert_eq!(suggest_from_serde_message("invalid type: integer"), None);
        let m = "`kind` must be one of `report`, `post` or `other`, not `reprot`";
        assert_eq!(suggest_from_serde_message(m), Some("report".into()));
        let m = "key with no value, expected `=`";
        assert_eq!(suggest_from_serde_message(m), None);
        let m = "unknown variant `A`, expected one of `A`, `B`";
        assert_eq!(suggest_from_serde_message(m), None);
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}

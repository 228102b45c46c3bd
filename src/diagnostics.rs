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
    pub each: Vec<Diagnostic>,
}

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
            each: Vec::new(),
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
    pub fn suggest(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }

    /// One line of JSON: file, line, column, severity, message, suggestion.
    pub fn to_json(&self) -> String {
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
    pub fn has_errors(&self) -> bool {
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
        v
    }
}

/// The candidate closest to `wanted`, if it is close enough to be a plausible typo.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
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
pub fn rel_path(root: &Path, path: &Path) -> String {
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
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
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
pub fn serde_message_in_words(message: &str) -> String {
    message
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing required key")
}

/// The nearest valid value for a message naming a wrong one among the valid ones:
/// "unknown key `x`, expected one of `a`, `b`" (or field, or variant) and "`key` must be
/// one of `a` (…), `b`, not `x`". Nothing for other messages, or when the nearest is the
/// value already written.
pub fn suggest_from_serde_message(message: &str) -> Option<String> {
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

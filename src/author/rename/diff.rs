//! A rename's changes as a unified diff in git's form (renames as `rename from`/`rename
//! to`), which `git apply` takes.

use std::fmt::Write;
use std::path::Path;

use super::Change;
use crate::base::diagnostics::rel_path;

/// Every change, in the order of their paths.
pub(crate) fn unified(root: &Path, changes: &[Change]) -> String {
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by(|a, b| a.from.cmp(&b.from));
    let mut out = String::new();
    for c in sorted {
        let (a, b) = (rel_path(root, &c.from), rel_path(root, &c.to));
        let _ = writeln!(out, "diff --git a/{a} b/{b}");
        if a != b {
            let _ = writeln!(out, "rename from {a}\nrename to {b}");
        }
        let Some(new) = &c.bytes else {
            continue;
        };
        let old = std::fs::read(&c.from).unwrap_or_default();
        let (old, new) = (String::from_utf8_lossy(&old), String::from_utf8_lossy(new));
        let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
        let _ = write!(
            out,
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("a/{a}"), &format!("b/{b}"))
        );
    }
    out
}

//! Making a rename's changes all together or not at all. Every new text is written to a
//! temporary file beside its place first (where a full disk shows); each file edited in
//! place keeps a second name (a hard link) until the end; only then are the files renamed
//! into place, which takes no space. A step that fails undoes the steps before it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, rel_path};

/// One file the rename changes: moved from `from` to `to` (the same path when it stays),
/// with new bytes when its text changes.
pub(crate) struct Change {
    pub from: PathBuf,
    pub to: PathBuf,
    pub bytes: Option<Vec<u8>>,
}

/// A name beside `path` that no content reads (it starts with a dot).
fn beside(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.dossier-{what}-{}", std::process::id()))
}

/// A step done, to be undone if a later one fails.
enum Step {
    /// A temporary file written.
    Written(PathBuf),
    /// A second name given to a file edited in place.
    Kept(PathBuf),
    /// A new text renamed into place at a file that was there (`in_place`) or not.
    Placed { to: PathBuf, in_place: bool },
    /// A file moved as it is.
    Moved { from: PathBuf, to: PathBuf },
}

/// Undoes `steps`, newest first.
fn undo(steps: Vec<Step>) {
    for step in steps.into_iter().rev() {
        let _ = match step {
            Step::Written(temp) | Step::Kept(temp) => fs::remove_file(temp),
            Step::Placed { to, in_place: true } => fs::rename(beside(&to, KEPT), to),
            Step::Placed {
                to,
                in_place: false,
            } => fs::remove_file(to),
            Step::Moved { from, to } => fs::rename(to, from),
        };
    }
}

/// How the temporary file of a new text and the second name of an edited file are named.
const NEW: &str = "rename";
const KEPT: &str = "before-rename";

/// Makes every change, or none: on failure the files are as they were.
pub fn apply(root: &Path, changes: &[Change]) -> Result<(), Diagnostic> {
    let mut steps = Vec::new();
    let fail = |steps: Vec<Step>, path: &Path, what: &str, e: std::io::Error| {
        undo(steps);
        Err(Diagnostic::error(
            rel_path(root, path),
            0,
            0,
            format!("cannot {what}: {e}; nothing was renamed"),
        ))
    };
    for c in changes {
        if c.from != c.to && c.to.exists() {
            let e = std::io::Error::new(std::io::ErrorKind::AlreadyExists, "a file is there");
            return fail(steps, &c.to, "move a file here", e);
        }
        if let Some(bytes) = &c.bytes {
            let temp = beside(&c.to, NEW);
            if let Err(e) = write_synced(&temp, bytes) {
                let _ = fs::remove_file(&temp);
                return fail(steps, &c.to, "write", e);
            }
            steps.push(Step::Written(temp));
        }
    }
    for c in changes.iter().filter(|c| c.from == c.to) {
        let second = beside(&c.from, KEPT);
        if let Err(e) = fs::hard_link(&c.from, &second) {
            return fail(steps, &c.from, "keep the file while it changes", e);
        }
        steps.push(Step::Kept(second));
    }
    for c in changes {
        let (result, step) = match &c.bytes {
            Some(_) => (
                fs::rename(beside(&c.to, NEW), &c.to),
                Step::Placed {
                    to: c.to.clone(),
                    in_place: c.from == c.to,
                },
            ),
            None => (
                fs::rename(&c.from, &c.to),
                Step::Moved {
                    from: c.from.clone(),
                    to: c.to.clone(),
                },
            ),
        };
        if let Err(e) = result {
            return fail(steps, &c.to, "write", e);
        }
        steps.push(step);
    }
    for c in changes {
        if c.bytes.is_some() && c.from != c.to {
            let _ = fs::remove_file(&c.from);
        }
        if c.from == c.to {
            let _ = fs::remove_file(beside(&c.from, KEPT));
        }
    }
    Ok(())
}

/// Writes `bytes` to a new file at `path` and has them reach the disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

//! Writing the site safely: everything goes to a staging folder beside the output, which
//! replaces the output as a whole only once the build has succeeded.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::content::CONTENT_DIR;
use crate::diagnostics::Diagnostic;

/// The file that marks a folder as written by dossier, so it may be replaced.
pub const MARKER: &str = ".dossier-output";

/// A build's output being written.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
}

/// Checks that `output` may be written for the site at `root`, refusing a folder that is
/// the site root, holds the content, lies inside the content, or is a non-empty folder
/// dossier did not create.
pub fn check_target(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let (root_abs, out_abs) = (abs(root), abs(output));
    let content = root_abs.join(CONTENT_DIR);
    let refuse = |why: String| {
        Err(Diagnostic::error(
            output.display().to_string(),
            0,
            0,
            format!(
                "refusing to write the site to `{}`: {why}",
                output.display()
            ),
        ))
    };
    if out_abs == root_abs {
        return refuse("it is the site root; choose a folder such as `public`".into());
    }
    if root_abs.starts_with(&out_abs) || content.starts_with(&out_abs) {
        return refuse("it contains the site's content, which would be deleted".into());
    }
    if out_abs.starts_with(&content) {
        return refuse("it is inside content/, so it would be read as content".into());
    }
    match fs::read_dir(output) {
        Ok(mut entries) => {
            if entries.next().is_some() && !output.join(MARKER).is_file() {
                return refuse("it is a non-empty folder that dossier did not create; empty it or choose another".into());
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(_) if output.exists() && !output.is_dir() => {
            refuse("it is a file, not a folder".into())
        }
        Err(e) => refuse(format!("it cannot be read ({e})")),
    }
}

fn normalize(p: &Path) -> PathBuf {
    let canon = p.canonicalize();
    if let Ok(c) = canon {
        return c;
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) if parent.exists() => {
            parent.canonicalize().map(|p| p.join(name)).unwrap_or(out)
        }
        _ => out,
    }
}

impl Staging {
    /// Creates an empty staging folder next to `target`.
    pub fn create(target: &Path) -> io::Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        fs::write(
            dir.join(MARKER),
            "This folder was written by dossier and is replaced on every build.\n",
        )?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// Writes one file, creating its folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(path, bytes)
    }

    /// Copies one file, creating its folders.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::copy(from, path).map(|_| ())
    }

    /// Replaces the output folder by the staging folder.
    pub fn commit(self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir.file_name().unwrap_or_default().to_string_lossy()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                fs::rename(&old, &self.target).ok();
            }
            fs::remove_dir_all(&self.dir).ok();
            return Err(e);
        }
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }

    /// Deletes the staging folder, leaving the output as it was.
    pub fn abort(self) {
        fs::remove_dir_all(&self.dir).ok();
    }
}

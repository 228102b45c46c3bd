//! Writing the site safely: nothing in the output changes until the whole build has
//! succeeded, and files whose bytes are unchanged are never rewritten.

use std::fs;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashSet;

use crate::content::CONTENT_DIR;
use crate::diagnostics::Diagnostic;

/// The file that marks a folder as written by dossier, so it may be replaced.
pub const MARKER: &str = ".dossier-output";

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

/// A build's output being written. A first build goes to a staging folder beside the
/// output, which takes the output's place when the build succeeds. Later builds write
/// each changed file beside its old version and rename it into place only when the
/// whole build has succeeded; unchanged files are not touched, so their modification
/// times stay and sync-based deploys upload only what changed.
#[derive(Debug)]
pub struct Output {
    target: PathBuf,
    /// The staging folder of a first build.
    staging: Option<PathBuf>,
    /// Output-relative paths of every file of this build.
    files: Mutex<FxHashSet<String>>,
    /// New versions waiting to be renamed over the old ones: (temporary, final).
    pending: Mutex<Vec<(PathBuf, PathBuf)>>,
    /// Folders this build created in the output, removed again if it fails.
    created: Mutex<Vec<PathBuf>>,
}

/// What a successful build did to the output folder.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    /// Files written (new or changed).
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files of the previous build that no longer exist.
    pub removed: usize,
}

impl Output {
    /// Prepares to write the site into `target`.
    pub fn create(target: &Path) -> io::Result<Output> {
        let in_place = target.join(MARKER).is_file();
        let staging = if in_place {
            None
        } else {
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
                "This folder was written by dossier and is rewritten on every build.\n",
            )?;
            Some(dir)
        };
        Ok(Output {
            target: target.to_path_buf(),
            staging,
            files: Mutex::default(),
            pending: Mutex::default(),
            created: Mutex::default(),
        })
    }

    /// Writes one file, creating its folders; in an existing output, a file whose bytes
    /// are already there is left alone.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        lock(&self.files).insert(rel.to_string());
        if let Some(staging) = &self.staging {
            let path = staging.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p)?;
            }
            return fs::write(path, bytes);
        }
        let path = self.target.join(rel);
        if same_file_contents(&path, bytes) {
            return Ok(());
        }
        if let Some(p) = path.parent() {
            self.create_dirs(p)?;
        }
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = path.with_file_name(format!(".{name}.dossier-new"));
        lock(&self.pending).push((tmp.clone(), path));
        fs::write(tmp, bytes)
    }

    /// Writes the file at `rel` as `fill` produces it, for files too large to hold in
    /// memory whole. As with [`Output::write`], an unchanged file keeps its modification
    /// time: the new bytes go to a temporary file that replaces the old one only if they
    /// differ. On an error the partial file is removed.
    pub fn write_streamed<E: From<io::Error>>(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
    ) -> Result<(), E> {
        lock(&self.files).insert(rel.to_string());
        let (path, tmp) = match &self.staging {
            Some(staging) => {
                let path = staging.join(rel);
                if let Some(p) = path.parent() {
                    fs::create_dir_all(p)?;
                }
                (path.clone(), path)
            }
            None => {
                let path = self.target.join(rel);
                if let Some(p) = path.parent() {
                    self.create_dirs(p)?;
                }
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                let tmp = path.with_file_name(format!(".{name}.dossier-new"));
                (path, tmp)
            }
        };
        let written = (|| {
            let mut file = io::BufWriter::with_capacity(1 << 18, fs::File::create(&tmp)?);
            fill(&mut file)?;
            file.flush()?;
            Ok(())
        })();
        if let Err(e) = written {
            fs::remove_file(&tmp).ok();
            return Err(e);
        }
        if tmp == path {
            return Ok(());
        }
        if same_files(&tmp, &path) {
            fs::remove_file(&tmp)?;
        } else {
            lock(&self.pending).push((tmp, path));
        }
        Ok(())
    }

    /// Copies one file, creating its folders.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.write(rel, &fs::read(from)?)
    }

    /// Creates `dir` and its missing parents in the output, noting them for [`abort`].
    fn create_dirs(&self, dir: &Path) -> io::Result<()> {
        if dir.is_dir() {
            return Ok(());
        }
        let mut missing = Vec::new();
        let mut d = dir;
        while !d.is_dir() && d != self.target {
            missing.push(d.to_path_buf());
            match d.parent() {
                Some(p) => d = p,
                None => break,
            }
        }
        for m in missing.iter().rev() {
            match fs::create_dir(m) {
                Ok(()) => lock(&self.created).push(m.clone()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && m.is_dir() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Makes the new site the output: swaps in the staging folder, or renames the changed
    /// files into place and deletes the files of the previous build that are gone.
    pub fn commit(self) -> io::Result<Written> {
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(staging) = &self.staging {
            let old = staging.with_file_name(format!(
                "{}.old",
                staging.file_name().unwrap_or_default().to_string_lossy()
            ));
            let had_old = self.target.exists();
            if had_old {
                fs::rename(&self.target, &old)?;
            }
            if let Err(e) = fs::rename(staging, &self.target) {
                if had_old {
                    fs::rename(&old, &self.target).ok();
                }
                fs::remove_dir_all(staging).ok();
                return Err(e);
            }
            if had_old {
                fs::remove_dir_all(&old)?;
            }
            return Ok(Written {
                written: files.len(),
                ..Written::default()
            });
        }
        let pending = self.pending.into_inner().unwrap_or_else(|e| e.into_inner());
        for (tmp, path) in &pending {
            if path.is_dir() {
                fs::remove_dir_all(path)?;
            }
            fs::rename(tmp, path)?;
        }
        let mut removed = 0;
        let mut dirs = Vec::new();
        for entry in walkdir::WalkDir::new(&self.target)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
        {
            let rel = crate::diagnostics::rel_path(&self.target, entry.path());
            if entry.file_type().is_dir() {
                dirs.push(entry.into_path());
            } else if rel != MARKER && !files.contains(&rel) {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        // Folders left empty go too, deepest first.
        for dir in dirs.iter().rev() {
            fs::remove_dir(dir).ok();
        }
        Ok(Written {
            written: pending.len(),
            unchanged: files.len() - pending.len(),
            removed,
        })
    }

    /// Removes everything this build wrote, leaving the output as it was.
    pub fn abort(self) {
        if let Some(staging) = &self.staging {
            fs::remove_dir_all(staging).ok();
            return;
        }
        let pending = self.pending.into_inner().unwrap_or_else(|e| e.into_inner());
        for (tmp, _) in pending {
            fs::remove_file(tmp).ok();
        }
        let created = self.created.into_inner().unwrap_or_else(|e| e.into_inner());
        for dir in created.iter().rev() {
            fs::remove_dir(dir).ok();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether two files hold the same bytes, read a block at a time.
fn same_files(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::symlink_metadata(a), fs::symlink_metadata(b)) else {
        return false;
    };
    if !mb.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(fa), Ok(fb)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (io::BufReader::new(fa), io::BufReader::new(fb));
    loop {
        let (Ok(x), Ok(y)) = (ra.fill_buf(), rb.fill_buf()) else {
            return false;
        };
        let n = x.len().min(y.len());
        if n == 0 {
            return x.len() == y.len();
        }
        if x[..n] != y[..n] {
            return false;
        }
        ra.consume(n);
        rb.consume(n);
    }
}

/// Whether `path` is a regular file holding exactly `bytes`.
fn same_file_contents(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

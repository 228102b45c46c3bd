//! Writing the site safely: one build at a time, nothing in the output changes until the
//! whole build has succeeded and then all of it changes at once, and files whose bytes
//! are unchanged keep their modification times.

pub(crate) mod cache;

use std::fs;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashSet;

use crate::base::diagnostics::Diagnostic;
use crate::load::config::OUTPUT_MARKER;
use crate::load::content::CONTENT_DIR;

/// What the marker says: the site it was written for, by a hash of its folder's path (the
/// path itself would tell whoever the output is published to where the author keeps it).
fn marker_text(root: &Path) -> String {
    let path = normalize(root);
    format!(
        "This folder was written by dossier and is rewritten on every build.\nsite: {}\n",
        crate::base::digest::sha256_hex(path.as_os_str().as_encoded_bytes())
    )
}

/// Whether the marker in `output` records the site at `root`.
fn marked_for(output: &Path, root: &Path) -> bool {
    fs::read_to_string(output.join(OUTPUT_MARKER)).is_ok_and(|t| t == marker_text(root))
}

/// Whether an entry at the top of the output is the user's and survives every build: a
/// dot-file or dot-folder (a `.git` work tree, `.well-known`, `.nojekyll`) other than the
/// marker, or a name in `[output] keep`.
fn kept(name: &str, keep: &[String]) -> bool {
    (name.starts_with('.') && name != OUTPUT_MARKER) || keep.iter().any(|k| k == name)
}

/// Checks that `output` may be written for the site at `root`, refusing a folder that is
/// the site root, holds the content, lies inside the content, or is a non-empty folder
/// dossier did not create.
pub(crate) fn check_target(root: &Path, output: &Path) -> Result<(), Diagnostic> {
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
        Ok(entries) => {
            let names: Vec<String> = entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            let users = names
                .iter()
                .all(|n| n.starts_with('.') && n != OUTPUT_MARKER);
            if names.is_empty() || users || marked_for(output, root) {
                return Ok(());
            }
            if output.join(OUTPUT_MARKER).is_file() {
                return refuse(format!(
                    "its `{OUTPUT_MARKER}` marker does not record this site (it was written for another site, or by an earlier version of dossier); if it is this site's output, delete the marker and build again"
                ));
            }
            refuse(
                "it is a non-empty folder that dossier did not create; empty it or choose another"
                    .into(),
            )
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

/// A build's output being written. The new site is written to a staging folder beside the
/// output (`.<name>.staging-<pid>`), never inside it: files whose bytes are unchanged are
/// hard links to the old ones, so they keep their modification times and sync-based
/// deploys upload only what changed. When the whole build has succeeded the staging
/// folder and the output are exchanged in one atomic step (`renameat2(RENAME_EXCHANGE)`
/// on Linux), and the old tree, now in the staging folder's place, is removed. A build
/// that fails or is killed leaves the output as it was; the next build removes what it
/// left. A build holds a lock on the folder that holds the output, so two builds never
/// write one output at once; an output folder that is a symbolic link is written through.
#[derive(Debug)]
pub struct Output {
    /// The folder really replaced: the output, or what its symbolic link points to.
    target: PathBuf,
    /// Where the new site is written.
    staging: PathBuf,
    /// Whether there is a previous site to compare with and replace.
    previous: bool,
    /// Names at the top of the output that are the user's, besides dot-files.
    keep: Vec<String>,
    /// Output-relative paths of every file of this build.
    files: Mutex<FxHashSet<String>>,
    /// How many files were written with new bytes.
    written: AtomicUsize,
    /// Held until the build ends.
    _lock: Option<fs::File>,
    /// Set once the staging folder has been used or removed.
    done: bool,
}

/// What tells one version of a file from another without reading it: its size, its
/// modification time and (where there are any) its inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    len: u64,
    modified: (u64, u32),
    inode: u64,
}

impl Stamp {
    fn of(m: &fs::Metadata) -> Stamp {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or((0, 0), |d| (d.as_secs(), d.subsec_nanos()));
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(m);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            len: m.len(),
            modified,
            inode,
        }
    }
}

/// What a successful build did to the output folder.
#[derive(Debug, Default)]
pub(crate) struct Written {
    /// Files written (new or changed).
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files of the previous build that no longer exist.
    pub removed: usize,
    /// The new site is in place but the previous one could not be removed: where it is
    /// and why (the next build removes it).
    pub leftover: Option<(PathBuf, io::Error)>,
}

/// Why an output could not be prepared or committed, and what state the output is in.
#[derive(Debug)]
pub enum OutputError {
    /// Another build holds the lock.
    Busy { pid: Option<u32> },
    /// A file system error; the output is as it was.
    Io(io::Error),
}

impl From<io::Error> for OutputError {
    fn from(e: io::Error) -> Self {
        OutputError::Io(e)
    }
}

impl Output {
    /// Prepares to write the site at `root` into `output`: takes the lock, removes what
    /// killed builds left, and creates the staging folder. Entries at the top of the
    /// output that are the user's (dot-files, names in `keep`) are carried over.
    pub fn create(output: &Path, root: &Path, keep: &[String]) -> Result<Output, OutputError> {
        let target = target(output)?;
        let (parent, name) = beside(output);
        fs::create_dir_all(&parent)?;
        let prefix = format!(".{name}.staging-");
        let lock = lock_folder(&parent, &prefix)?;
        // Under the lock, a staging folder can only be one a killed build left.
        for entry in fs::read_dir(&parent)?.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                fs::remove_dir_all(entry.path())?;
            }
        }
        let staging = parent.join(format!("{prefix}{}", std::process::id()));
        fs::create_dir(&staging)?;
        let previous = marked_for(&target, root);
        let marker = match previous {
            true => link(&target.join(OUTPUT_MARKER), &staging.join(OUTPUT_MARKER)),
            false => fs::write(staging.join(OUTPUT_MARKER), marker_text(root)),
        };
        if let Err(e) = marker {
            fs::remove_dir_all(&staging).ok();
            return Err(e.into());
        }
        Ok(Output {
            previous,
            keep: keep.to_vec(),
            target,
            staging,
            files: Mutex::default(),
            written: AtomicUsize::new(0),
            _lock: lock,
            done: false,
        })
    }

    /// The staging path of `rel`, its folders created.
    fn staged(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.staging.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        Ok(path)
    }

    /// Writes one file; a file whose bytes the previous site has already is linked to it.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        lock(&self.files).insert(rel.to_string());
        let path = self.staged(rel)?;
        let old = self.target.join(rel);
        if self.previous && same_file_contents(&old, bytes) && link(&old, &path).is_ok() {
            return Ok(());
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        fs::write(path, bytes)
    }

    /// Writes the file at `rel` as `fill` produces it, for files too large to hold in
    /// memory whole; if it turns out to hold the previous site's bytes, it is replaced by
    /// a link to the old file, as [`Output::write`] does.
    pub(crate) fn write_streamed<E: From<io::Error>>(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
    ) -> Result<(), E> {
        lock(&self.files).insert(rel.to_string());
        let path = self.staged(rel)?;
        let mut file = io::BufWriter::with_capacity(1 << 18, fs::File::create(&path)?);
        fill(&mut file)?;
        file.flush()?;
        drop(file);
        let old = self.target.join(rel);
        if self.previous && same_files(&path, &old) {
            fs::remove_file(&path)?;
            link(&old, &path)?;
            return Ok(());
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// The stamp of a file this build has written or kept.
    pub fn stamp(&self, rel: &str) -> Option<Stamp> {
        fs::symlink_metadata(self.staging.join(rel))
            .ok()
            .map(|m| Stamp::of(&m))
    }

    /// Keeps the previous site's file at `rel` without reading it, if it still has the
    /// stamp `stamp` (so it holds the bytes the build that left it wrote); whether it did.
    pub fn keep(&self, rel: &str, stamp: &Stamp) -> bool {
        let old = self.target.join(rel);
        let same = self.previous
            && fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && Stamp::of(&m) == *stamp);
        let kept = same && self.staged(rel).is_ok_and(|path| link(&old, &path).is_ok());
        if kept {
            lock(&self.files).insert(rel.to_string());
        }
        kept
    }

    /// Keeps every file `files` names (under `prefix`) if every one still has its stamp;
    /// whether they were kept. None is kept if one cannot be.
    pub(crate) fn keep_all(&self, prefix: &str, files: &[(String, Stamp)]) -> bool {
        let old = |rel: &str| self.target.join(format!("{prefix}{rel}"));
        let same = |(rel, stamp): &(String, Stamp)| {
            fs::symlink_metadata(old(rel)).is_ok_and(|m| m.is_file() && Stamp::of(&m) == *stamp)
        };
        if !self.previous || files.is_empty() || !files.iter().all(same) {
            return false;
        }
        let mut linked = Vec::new();
        for (rel, _) in files {
            let rel = format!("{prefix}{rel}");
            match self
                .staged(&rel)
                .and_then(|path| link(&old(&rel[prefix.len()..]), &path).map(|()| path))
            {
                Ok(path) => linked.push((rel, path)),
                Err(_) => {
                    linked.iter().for_each(|(_, p)| drop(fs::remove_file(p)));
                    return false;
                }
            }
        }
        lock(&self.files).extend(linked.into_iter().map(|(rel, _)| rel));
        true
    }

    /// Copies one file.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.write(rel, &fs::read(from)?)
    }

    /// Makes the new site the output in one step, then removes the previous one while
    /// `alongside` runs on another thread (still under the build's lock), giving what it
    /// gave; `alongside` runs only once the new site is in place. The user's entries at
    /// the top of the output are moved into the new site first (and back if the exchange
    /// fails); one that this build also wrote fails the commit, leaving the output as it
    /// was.
    pub(crate) fn commit<T: Send>(
        mut self,
        alongside: impl FnOnce() -> T + Send,
    ) -> io::Result<(Written, T)> {
        self.done = true;
        let files = std::mem::take(&mut *lock(&self.files));
        let written = self.written.load(Ordering::Relaxed);
        let mut result = Written {
            written,
            unchanged: files.len().saturating_sub(written),
            ..Written::default()
        };
        if !self.target.exists() {
            if let Err(e) = fs::rename(&self.staging, &self.target) {
                fs::remove_dir_all(&self.staging).ok();
                return Err(e);
            }
            return Ok((result, alongside()));
        }
        let carried = match self.carry_kept() {
            Ok(c) => c,
            Err(e) => {
                fs::remove_dir_all(&self.staging).ok();
                return Err(e);
            }
        };
        result.removed = walkdir::WalkDir::new(&self.target)
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| e.depth() > 1 || !carried.iter().any(|c| *c == e.file_name()))
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .filter(|e| {
                let rel = crate::base::diagnostics::rel_path(&self.target, e.path());
                rel != OUTPUT_MARKER && !files.contains(&rel)
            })
            .count();
        if let Err(e) = swap(&self.staging, &self.target) {
            for name in &carried {
                fs::rename(self.staging.join(name), self.target.join(name)).ok();
            }
            fs::remove_dir_all(&self.staging).ok();
            return Err(e);
        }
        // The staging folder now holds the previous site.
        let (removed, other) = std::thread::scope(|s| {
            let other = s.spawn(alongside);
            (fs::remove_dir_all(&self.staging), other.join())
        });
        if let Err(e) = removed {
            result.leftover = Some((self.staging.clone(), e));
        }
        let other = other.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok((result, other))
    }

    /// Moves the user's entries at the top of the output into the new site; the names
    /// moved.
    fn carry_kept(&self) -> io::Result<Vec<std::ffi::OsString>> {
        let mut carried = Vec::new();
        for entry in fs::read_dir(&self.target)?.flatten() {
            let name = entry.file_name();
            if !kept(&name.to_string_lossy(), &self.keep) {
                continue;
            }
            let to = self.staging.join(&name);
            let moved = match fs::symlink_metadata(&to) {
                Ok(_) => Err(io::Error::other(format!(
                    "`{}` in the output is kept ([output] keep, or a dot-file), but this build writes it too; rename one of them",
                    name.to_string_lossy()
                ))),
                Err(_) => fs::rename(entry.path(), &to),
            };
            if let Err(e) = moved {
                for back in &carried {
                    fs::rename(self.staging.join(back), self.target.join(back)).ok();
                }
                return Err(e);
            }
            carried.push(name);
        }
        Ok(carried)
    }

    /// Removes everything this build wrote, leaving the output as it was.
    pub(crate) fn abort(mut self) {
        self.done = true;
        fs::remove_dir_all(&self.staging).ok();
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.done {
            fs::remove_dir_all(&self.staging).ok();
        }
    }
}

/// The folder an output really is: the output, or what its symbolic link points to.
fn target(output: &Path) -> io::Result<PathBuf> {
    Ok(match fs::symlink_metadata(output) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(output)?,
        _ => output.to_path_buf(),
    })
}

/// The folder that holds an output (where its staging folder, its lock and its build cache
/// are) and the output's name in it.
pub fn beside(output: &Path) -> (PathBuf, String) {
    let target = target(output).unwrap_or_else(|_| output.to_path_buf());
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    (parent, name)
}

/// Takes an exclusive lock on `folder` (the folder holding the output). If another build
/// of the same output holds it (its staging folder, named `<prefix><pid>`, is there), that
/// is an error naming it; a build of another output in the same folder is waited for.
/// Where the file system cannot lock, builds go unlocked.
fn lock_folder(folder: &Path, prefix: &str) -> Result<Option<fs::File>, OutputError> {
    let Ok(dir) = fs::File::open(folder) else {
        return Ok(None);
    };
    match dir.try_lock() {
        Ok(()) => return Ok(Some(dir)),
        Err(fs::TryLockError::WouldBlock) => {}
        Err(fs::TryLockError::Error(_)) => return Ok(None),
    }
    let other = fs::read_dir(folder)?.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name.strip_prefix(prefix).map(|pid| pid.parse::<u32>().ok())
    });
    if let Some(pid) = other {
        return Err(OutputError::Busy { pid });
    }
    dir.lock()?;
    Ok(Some(dir))
}

/// Puts `old`'s file at `new` with its modification time: a hard link, or where the file
/// system has none, a copy given the old time.
fn link(old: &Path, new: &Path) -> io::Result<()> {
    if fs::hard_link(old, new).is_ok() {
        return Ok(());
    }
    fs::copy(old, new)?;
    let modified = fs::metadata(old)?.modified()?;
    fs::File::options()
        .write(true)
        .open(new)?
        .set_modified(modified)
}

/// Exchanges two folders: atomically where the system can (Linux), else by two renames.
fn swap(new: &Path, target: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        match exchange(new, target) {
            Ok(()) => return Ok(()),
            // Not supported by this file system or kernel: rename twice instead.
            Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {}
            Err(e) => return Err(e),
        }
    }
    let old = new.with_extension("previous");
    fs::rename(target, &old)?;
    if let Err(e) = fs::rename(new, target) {
        fs::rename(&old, target).ok();
        return Err(e);
    }
    fs::rename(&old, new)
}

/// `renameat2(a, b, RENAME_EXCHANGE)`: swaps two paths in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let cstr = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (cstr(a)?, cstr(b)?);
    // SAFETY: both paths are NUL-terminated C strings that live across the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
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

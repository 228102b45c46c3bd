//! The build cache: what a build keeps beside its output (`.dossier-cache/<output name>`)
//! so that the next build renders again only what changed. It holds, for each language of
//! the site, the bodies rendered without problems and the footprint of the pages written
//! ([`plan`]). Nothing in it is trusted blindly: it is used only by the binary that wrote
//! it, only if whole (its length and checksum), each body only while its text and the
//! link-index answers it used are the same, and each page only while its file in the
//! output still has the stamp it was written with. Anything else is ignored with one
//! note, and the build renders as if there were no cache.

pub(crate) mod plan;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use bincode::Options;
use serde::{Deserialize, Serialize};

use crate::resolve::{BodyCache, BodyEnv, StoredBody};
pub(crate) use plan::Footprint;

/// The folder beside the output that holds the caches of the outputs in that folder;
/// `dossier init`'s `.gitignore` names it.
pub const DIR: &str = ".dossier-cache";

/// The cache file's first bytes.
const MAGIC: &[u8] = b"dossier build cache\n";

/// What one language of the site left in the cache.
#[derive(Deserialize)]
struct StoredSite {
    prefix: String,
    body_env: BodyEnv,
    bodies: Vec<StoredBody>,
    footprint: Footprint,
}

/// The same, as written: borrowed from the build.
#[derive(Serialize)]
struct StoredSiteRef<'a> {
    prefix: &'a str,
    body_env: &'a BodyEnv,
    bodies: &'a BodyCache,
    footprint: &'a Footprint,
}

/// What a build keeps of one language: its bodies, and once its pages are written, their
/// footprint.
struct Kept {
    prefix: String,
    bodies: BodyCache,
    footprint: Option<Footprint>,
}

/// The cache of one build: what the previous build left, and what this one keeps.
#[derive(Default)]
pub struct BuildCache {
    /// The cache file; `None` when the build keeps no cache.
    file: Option<PathBuf>,
    previous: Vec<StoredSite>,
    /// What this build keeps, by language.
    kept: Vec<Kept>,
    /// Why the cache was not used or not kept, said once.
    pub note: Option<String>,
}

impl BuildCache {
    /// The cache for a build writing to `output`: what the previous build left, if it can
    /// be trusted.
    pub fn open(output: &Path) -> BuildCache {
        let (folder, name) = crate::output::beside(output);
        let dir = folder.join(DIR);
        let file = dir.join(name);
        let shown = || file.display().to_string();
        let mut cache = BuildCache::default();
        match fs::symlink_metadata(&dir) {
            Ok(m) if !m.is_dir() => {
                cache.note = Some(format!(
                    "`{}` beside the output is not a folder, so this build keeps no cache and renders every page",
                    dir.display()
                ));
                return cache;
            }
            _ => cache.file = Some(file.clone()),
        }
        let bytes = match fs::read(&file) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return cache,
            Err(e) => {
                cache.note = Some(format!(
                    "the build cache `{}` cannot be read ({e}); this build renders every page",
                    shown()
                ));
                // What cannot be read would not take a new cache either.
                cache.file = None;
                return cache;
            }
        };
        match decode(&bytes) {
            Ok(sites) => cache.previous = sites,
            Err(why) => {
                cache.note = Some(format!(
                    "the build cache `{}` {why}; this build renders every page and replaces it",
                    shown()
                ));
            }
        }
        cache
    }

    /// The bodies the previous build kept for the language at `prefix` (`` or `fr/`).
    pub fn bodies(&mut self, prefix: &str) -> BodyCache {
        match self.previous.iter_mut().find(|s| s.prefix == prefix) {
            Some(s) => BodyCache::restored(
                std::mem::take(&mut s.body_env),
                std::mem::take(&mut s.bodies),
            ),
            None => BodyCache::default(),
        }
    }

    /// Keeps the bodies of the language at `prefix` for the next build.
    pub(crate) fn keep_bodies(&mut self, prefix: &str, bodies: BodyCache) {
        if self.file.is_some() {
            self.kept.push(Kept {
                prefix: prefix.to_string(),
                bodies,
                footprint: None,
            });
        }
    }

    /// The footprint of the pages the previous build wrote for the language at `prefix`.
    pub(crate) fn footprint(&mut self, prefix: &str) -> Option<Footprint> {
        let s = self.previous.iter_mut().find(|s| s.prefix == prefix)?;
        Some(std::mem::take(&mut s.footprint))
    }

    /// Keeps the footprint of the pages this build wrote for the language at `prefix`.
    pub(crate) fn keep_footprint(&mut self, prefix: &str, footprint: Footprint) {
        if let Some(k) = self.kept.iter_mut().find(|k| k.prefix == prefix) {
            k.footprint = Some(footprint);
        }
    }

    /// Writes what this build keeps, once its site is in place: to a new file, renamed
    /// over the old one, so that a build killed meanwhile leaves the old cache whole.
    pub fn save(mut self) -> Option<String> {
        let file = self.file.take()?;
        let sites: Vec<StoredSiteRef> = self
            .kept
            .iter()
            .filter_map(|k| {
                Some(StoredSiteRef {
                    prefix: &k.prefix,
                    body_env: k.bodies.env(),
                    bodies: &k.bodies,
                    footprint: k.footprint.as_ref()?,
                })
            })
            .collect();
        let written = (|| {
            let dir = file.parent().unwrap_or(Path::new("."));
            fs::create_dir_all(dir)?;
            // Under the lock, a new cache not yet renamed can only be one a killed build left.
            for entry in fs::read_dir(dir)?.flatten() {
                if entry.file_name().to_string_lossy().starts_with(".new-") {
                    fs::remove_file(entry.path()).ok();
                }
            }
            let temp = dir.join(format!(".new-{}", std::process::id()));
            encode(&sites, fs::File::create(&temp)?)
                .and_then(|()| fs::rename(&temp, &file))
                .inspect_err(|_| {
                    fs::remove_file(&temp).ok();
                })
        })();
        written.err().map(|e| {
            format!(
                "the build cache could not be written to `{}` ({e}); the next build renders every page",
                file.display()
            )
        })
    }
}

/// Which binary wrote a cache: its version and its executable's size and time, so that
/// no other build of dossier trusts it.
fn identity() -> io::Result<String> {
    let m = fs::metadata(std::env::current_exe()?)?;
    let time = m
        .modified()?
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(io::Error::other)?;
    Ok(format!(
        "{} {} {}.{:09}",
        env!("CARGO_PKG_VERSION"),
        m.len(),
        time.as_secs(),
        time.subsec_nanos()
    ))
}

/// Writes the cache file into `to`: the magic line, the writer's identity, the payload,
/// and the payload's length and checksum, so that a file cut short shows. The payload is
/// written as it is made, never held whole in memory.
fn encode(sites: &[StoredSiteRef], to: impl io::Write) -> io::Result<()> {
    let id = identity()?;
    let mut out = Summed {
        inner: io::BufWriter::with_capacity(1 << 18, to),
        sum: crc32fast::Hasher::new(),
        len: 0,
    };
    out.inner.write_all(MAGIC)?;
    out.inner.write_all(&(id.len() as u32).to_le_bytes())?;
    out.inner.write_all(id.as_bytes())?;
    bincode::DefaultOptions::new()
        .serialize_into(&mut out, sites)
        .map_err(io::Error::other)?;
    let Summed {
        mut inner,
        sum,
        len,
    } = out;
    inner.write_all(&len.to_le_bytes())?;
    inner.write_all(&sum.finalize().to_le_bytes())?;
    inner.flush()
}

/// A writer that counts and checksums what goes through it.
struct Summed<W> {
    inner: W,
    sum: crc32fast::Hasher,
    len: u64,
}

impl<W: io::Write> io::Write for Summed<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.sum.update(&bytes[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The sites a cache file holds, or why it cannot be trusted.
fn decode(bytes: &[u8]) -> Result<Vec<StoredSite>, String> {
    let damaged = || "is damaged or was cut short".to_string();
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or("is not a dossier build cache")?;
    let (n, rest) = take(rest, 4).ok_or_else(damaged)?;
    let n = u32::from_le_bytes(n.try_into().map_err(|_| damaged())?) as usize;
    let (id, rest) = take(rest, n).ok_or_else(damaged)?;
    let ours = identity().map_err(|e| format!("cannot be checked ({e})"))?;
    if id != ours.as_bytes() {
        return Err("was written by another version or build of dossier".into());
    }
    let (payload, trailer) =
        take(rest, rest.len().checked_sub(12).ok_or_else(damaged)?).ok_or_else(damaged)?;
    let (len, sum) = trailer.split_at(8);
    let len = u64::from_le_bytes(len.try_into().map_err(|_| damaged())?);
    let sum = u32::from_le_bytes(sum.try_into().map_err(|_| damaged())?);
    if payload.len() as u64 != len || crc32fast::hash(payload) != sum {
        return Err(damaged());
    }
    bincode::DefaultOptions::new()
        .with_limit(len)
        .deserialize(payload)
        .map_err(|_| damaged())
}

/// The first `n` bytes and the rest, if there are `n`.
fn take(bytes: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    (bytes.len() >= n).then(|| bytes.split_at(n))
}

//! `dossier timestamp [ID…]` and `capture --timestamp`: having a snapshot's SHA-256
//! time-stamped by an RFC 3161 authority and keeping its answer as `<id>.tsr` beside the
//! source.

use std::path::Path;
use std::time::Duration;

use super::Outcome;
use crate::load::config::Settings;
use crate::load::content::CONTENT_DIR;
use crate::resolve::model::EvidenceRole;
use crate::snapshots::TOKEN_SUFFIX;

/// The authority to ask: `flag` (`--timestamp-authority`), else the site's.
pub fn authority(settings: &Settings, flag: Option<&str>) -> Result<String, Outcome> {
    match flag.or(settings.config.capture.timestamp_authority.as_deref()) {
        Some(a) if crate::base::address::is_http(a) => Ok(a.to_string()),
        Some(a) => Err(Outcome::Usage(format!(
            "--timestamp-authority `{a}` is not an http or https address"
        ))),
        None => Err(Outcome::Usage(
            "no time-stamping authority: give --timestamp-authority URL, or set `timestamp_authority` under [capture] in site.toml".into(),
        )),
    }
}

/// Asks `authority` to time-stamp `sha256` and writes the answer to `<id>.tsr` in
/// `folder`; what was done, in words.
pub fn stamp(
    settings: &Settings,
    authority: &str,
    folder: &Path,
    id: &str,
    sha256: &str,
) -> Result<String, String> {
    let timeout = Duration::from_secs_f64(settings.config.link_check.timeout);
    let ca = settings.timestamp_ca.as_deref();
    let got = crate::capture::tsa::request(authority, sha256, timeout, ca)
        .map_err(|e| format!("{authority}: {e}"))?;
    let name = format!("{id}{TOKEN_SUFFIX}");
    let path = folder.join(&name);
    let temp = folder.join(format!(".{name}.stamp-{}", std::process::id()));
    std::fs::write(&temp, &got.bytes)
        .and_then(|()| std::fs::rename(&temp, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            format!("cannot write {}: {e}", path.display())
        })?;
    Ok(format!(
        "time-stamped by {} at {}: wrote {}",
        got.stamp.authority,
        got.stamp.iso(),
        path.strip_prefix(&settings.root).unwrap_or(&path).display()
    ))
}

/// Time-stamps the snapshots of the sources `ids`, or of every source with a snapshot and
/// no token.
pub fn run(root: &Path, ids: &[String], flag: Option<String>) -> Outcome {
    let (settings, d) = match super::resolved(root) {
        Ok(r) => r,
        Err(refused) => return refused,
    };
    let authority = match authority(&settings, flag.as_deref()) {
        Ok(a) => a,
        Err(usage) => return usage,
    };
    if let Some(usage) = super::unknown_source(&d, ids) {
        return usage;
    }
    let has_token = |s: &crate::resolve::model::Source| {
        s.evidence
            .files
            .iter()
            .any(|f| f.role == EvidenceRole::Token)
    };
    let chosen = d.sources.iter().filter(|s| {
        if ids.is_empty() {
            s.snapshot.is_some() && !has_token(s)
        } else {
            ids.contains(&s.id)
        }
    });
    let nothing =
        "every source with a snapshot has a time-stamp token already; name a source to ask again";
    super::for_each_source(chosen, "time-stamped", nothing, |s| {
        let path = &s.body.doc.content_path;
        let folder = root
            .join(CONTENT_DIR)
            .join(path.rsplit_once('/').map_or("", |(f, _)| f));
        let Some(snap) = &s.snapshot else {
            return Err("it has no snapshot to time-stamp".to_string());
        };
        match s.meta.snapshot_sha256.as_deref() {
            Some(h) if !h.eq_ignore_ascii_case(&snap.sha256) => Err(format!(
                "its snapshot `{}` has changed since it was captured (`dossier check` says more); restore it first",
                snap.file
            )),
            _ => stamp(&settings, &authority, &folder, &s.id, &snap.sha256),
        }
    })
}

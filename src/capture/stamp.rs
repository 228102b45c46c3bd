//! `dossier timestamp [ID…]` and `capture --timestamp`: having a snapshot's SHA-256
//! time-stamped by an RFC 3161 authority and keeping its answer as `<id>.tsr` beside the
//! source.

use std::path::Path;
use std::time::Duration;

use super::Outcome;
use crate::config::{Overrides, Settings};
use crate::content::CONTENT_DIR;
use crate::diagnostics::Diagnostics;
use crate::model::EvidenceRole;
use crate::snapshots::TOKEN_SUFFIX;

/// The authority to ask: `flag` (`--timestamp-authority`), else the site's.
pub fn authority(settings: &Settings, flag: Option<&str>) -> Result<String, Outcome> {
    match flag.or(settings.config.capture.timestamp_authority.as_deref()) {
        Some(a) if super::fetch::is_http(a) => Ok(a.to_string()),
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
    let ca = settings.timestamp_ca.as_deref().map(Vec::as_slice);
    let got = crate::timestamp::request::request(authority, sha256, timeout, ca)
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
    let settings = match Settings::load(root, &Overrides::default()) {
        Ok(s) => s,
        Err(diags) => {
            let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
            return Outcome::Refused(lines.join("\n"));
        }
    };
    let authority = match authority(&settings, flag.as_deref()) {
        Ok(a) => a,
        Err(usage) => return usage,
    };
    let diags = Diagnostics::default();
    let content = crate::content::load(&settings, &diags);
    let d = crate::resolve::resolve(&settings, content, &diags);
    let known: Vec<&str> = d.sources.iter().map(|s| s.id.as_str()).collect();
    if let Some(unknown) = ids.iter().find(|id| !known.contains(&id.as_str())) {
        let near = crate::diagnostics::nearest(unknown, known.iter().copied());
        return Outcome::Usage(format!(
            "there is no source `{unknown}`{}",
            near.map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default()
        ));
    }
    let has_token = |s: &crate::model::Source| {
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
    let (mut done, mut failed) = (Vec::new(), 0);
    for s in chosen {
        let path = &s.body.doc.content_path;
        let folder = root
            .join(CONTENT_DIR)
            .join(path.rsplit_once('/').map_or("", |(f, _)| f));
        let result = match &s.snapshot {
            None => Err("it has no snapshot to time-stamp".to_string()),
            Some(snap) => match s.meta.snapshot_sha256.as_deref() {
                Some(h) if !h.eq_ignore_ascii_case(&snap.sha256) => Err(format!(
                    "its snapshot `{}` has changed since it was captured (`dossier check` says more); restore it first",
                    snap.file
                )),
                _ => stamp(&settings, &authority, &folder, &s.id, &snap.sha256),
            },
        };
        match result {
            Ok(line) => done.push(format!("{}: {line}", s.id)),
            Err(why) => {
                failed += 1;
                eprintln!("warning: source `{}` was not time-stamped: {why}", s.id);
            }
        }
    }
    super::ended(
        done,
        failed,
        "time-stamped",
        "every source with a snapshot has a time-stamp token already; name a source to ask again",
    )
}

//! `dossier capture --restore ID`: writes a source's snapshot back from the web archive of
//! its capture, and the hash that matches it into the source's `snapshot_sha256`.

use std::path::Path;

use super::Outcome;
use crate::base::digest::sha256_hex;
use crate::load::content::CONTENT_DIR;
use crate::resolve::model::EvidenceRole;

/// Restores the snapshot of source `id` in the dossier at `root`.
pub fn run(root: &Path, id: &str) -> Outcome {
    let (settings, d) = match super::resolved(root) {
        Ok(r) => r,
        Err(refused) => return refused,
    };
    let Some(source) = d.sources.iter().find(|s| s.id == id) else {
        return super::unknown_source(&d, &[id.to_string()])
            .unwrap_or_else(|| Outcome::Refused(format!("there is no source `{id}`")));
    };
    let file = |role| {
        source
            .evidence
            .files
            .iter()
            .find(|f| f.role == role)
            .map(|f| f.content_path.clone())
    };
    let snapshot = file(EvidenceRole::Snapshot).or_else(|| {
        source
            .meta
            .snapshot
            .as_deref()
            .and_then(|n| named(source, n))
    });
    let Some(snapshot) = snapshot.filter(|s| !crate::snapshots::is_archive_name(s)) else {
        return Outcome::Refused(format!(
            "source `{id}` names no snapshot to restore: its `snapshot` key must name the file (such as `{id}.html`) whose capture a web archive beside it records"
        ));
    };
    let archive = match file(EvidenceRole::Archive).or_else(|| archive_beside(root, &snapshot)) {
        Some(a) => a,
        None => {
            return Outcome::Refused(format!(
                "no web archive of the capture of `{CONTENT_DIR}/{snapshot}` is kept beside it (a `.warc.gz`, `.warc` or `.wacz` of the same name): capture the page again with `dossier capture`"
            ));
        }
    };
    let content_dir = root.join(CONTENT_DIR);
    let payload = std::fs::read(content_dir.join(&archive))
        .map_err(|e| format!("cannot read {CONTENT_DIR}/{archive}: {e}"))
        .and_then(|bytes| {
            let limit = settings.snapshot_limit();
            let records = crate::snapshots::archive_records_of(&archive, &bytes, limit)?;
            crate::snapshots::warc::payload(&records, source.meta.url.as_deref(), limit)
        });
    let payload = match payload {
        Ok(p) => p,
        Err(e) => return Outcome::Refused(format!("{CONTENT_DIR}/{archive}: {e}")),
    };
    let recorded = source.meta.snapshot_sha256.as_deref().unwrap_or_default();
    let bytes = match &payload.decoded {
        Some(decoded) if !recorded.eq_ignore_ascii_case(&sha256_hex(&payload.body)) => decoded,
        _ => &payload.body,
    };
    let sha256 = sha256_hex(bytes);
    let source_file = content_dir.join(&source.body.doc.content_path);
    let text = match std::fs::read_to_string(&source_file) {
        Ok(t) => t,
        Err(e) => return Outcome::Refused(format!("cannot read {}: {e}", source.body.doc.file)),
    };
    let text = super::edit::set_keys(&text, &[("snapshot_sha256", &sha256, true)], "snapshot");
    let written = super::edit::write_replacing(&content_dir.join(&snapshot), bytes)
        .and_then(|()| super::edit::write_replacing(&source_file, text.as_bytes()));
    if let Err(e) = written {
        return Outcome::Refused(e);
    }
    Outcome::Done(format!(
        "restored {CONTENT_DIR}/{snapshot} from {CONTENT_DIR}/{archive} (the response recorded for {}, {} bytes)\nset snapshot_sha256 = \"{sha256}\" in {}",
        payload.target,
        bytes.len(),
        source.body.doc.file
    ))
}

/// The path under `content/` that `name` names from the source's folder.
fn named(source: &crate::resolve::model::Source, name: &str) -> Option<String> {
    let path = &source.body.doc.content_path;
    let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
    crate::load::content::join_relative(folder, name)
}

/// The web archive kept beside the snapshot at `snapshot` (under `content/`), when the
/// snapshot itself is missing.
fn archive_beside(root: &Path, snapshot: &str) -> Option<String> {
    let stem = snapshot.rsplit_once('.').map_or(snapshot, |(s, _)| s);
    crate::snapshots::ARCHIVE_EXTENSIONS
        .iter()
        .map(|e| format!("{stem}.{e}"))
        .find(|p| root.join(CONTENT_DIR).join(p).is_file())
}

//! Attaching each source to its snapshot among the loaded files.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::content::meta::SourceMeta;
use crate::content::{Asset, CONTENT_DIR, Content, Document};
use crate::diagnostics::{Diagnostic, Diagnostics};
use rayon::prelude::*;

use crate::model::{Evidence, EvidenceFile, EvidenceRole};
use crate::snapshots::{
    ARCHIVE_EXTENSIONS, EXTENSIONS, MARKDOWN_SUFFIX, Read, Reading, Snapshot, TOKEN_SUFFIX,
    is_archive_name, is_evidence_only, is_snapshot_name,
};

/// Each source's snapshot and evidence, by position in the sorted sources, and the files
/// kept as evidence.
#[derive(Debug, Default)]
pub struct Attached {
    pub by_source: Vec<Option<Arc<Snapshot>>>,
    pub evidence: Vec<Evidence>,
    /// Files kept as evidence and not published: every source's snapshot, web archive and
    /// time-stamp token (unless it publishes them), every file named like a snapshot of a
    /// source beside it, and every web archive and token wherever it is.
    pub withheld: HashSet<String>,
}

/// Finds every source's snapshot among the loaded files, reporting a `snapshot` key that
/// names nothing usable, a source with two snapshots beside it, and unreadable snapshots;
/// with each source's evidence, published when `publish` (`[snapshots] publish`) or the
/// source's `publish_snapshot` says so.
pub fn attach(content: &Content, publish: bool, diags: &Diagnostics) -> Attached {
    let files: BTreeMap<&str, &Asset> = content
        .assets
        .iter()
        .map(|a| (a.content_path.as_str(), a))
        .collect();
    let mut attached = Attached::default();
    let mut wanted: Vec<(Option<&Asset>, Option<Reading>)> = Vec::new();
    for item in &content.sources {
        let doc = &item.doc;
        let folder = match doc.content_path.rfind('/') {
            Some(i) => &doc.content_path[..=i],
            None => "",
        };
        let found: Option<&Asset> = match &item.meta.snapshot {
            Some(name) => {
                let wanted = join(folder, name);
                let asset = wanted.as_deref().and_then(|w| files.get(w).copied());
                match (wanted, asset) {
                    (Some(w), Some(a)) if is_snapshot_name(&w) => Some(a),
                    (Some(w), _) if w.ends_with(".md") && !w.ends_with(MARKDOWN_SUFFIX) => {
                        let stem = w.trim_end_matches(".md").rsplit('/').next().unwrap_or("");
                        diags.push(
                            doc.error_at("snapshot", Some(name), format!("a Markdown snapshot's name must end in `{MARKDOWN_SUFFIX}`, or it is read as an entry"))
                                .suggest(Some(format!("{stem}{MARKDOWN_SUFFIX}"))),
                        );
                        None
                    }
                    (Some(w), Some(_)) => {
                        diags.push(doc.error_at(
                            "snapshot",
                            Some(name),
                            format!("`{w}` cannot be a snapshot: a snapshot is a `.txt`, `.html`, `.htm`, `.pdf`, `.warc`, `.warc.gz`, `.wacz` or `{MARKDOWN_SUFFIX}` file"),
                        ));
                        None
                    }
                    (Some(w), None) => {
                        let near = crate::diagnostics::nearest(
                            name,
                            files
                                .keys()
                                .filter(|k| is_snapshot_name(k) && k.starts_with(folder))
                                .map(|k| &k[folder.len()..]),
                        );
                        diags.push(
                            doc.error_at(
                                "snapshot",
                                Some(name),
                                format!("snapshot file `{CONTENT_DIR}/{w}` does not exist"),
                            )
                            .suggest(near),
                        );
                        None
                    }
                    (None, _) => {
                        diags.push(doc.error_at(
                            "snapshot",
                            Some(name),
                            "a snapshot must be a file inside `content/`, named relative to the source's file",
                        ));
                        None
                    }
                }
            }
            None => {
                let beside: Vec<&Asset> = EXTENSIONS
                    .iter()
                    .map(|e| format!("{folder}{}.{e}", item.id))
                    .chain([format!("{folder}{}{MARKDOWN_SUFFIX}", item.id)])
                    .filter_map(|p| files.get(p.as_str()).copied())
                    .collect();
                if beside.len() > 1 {
                    let names: Vec<String> = beside
                        .iter()
                        .map(|a| format!("`{}`", a.content_path))
                        .collect();
                    diags.push(Diagnostic::error(
                        doc.entry_file(),
                        1,
                        1,
                        format!(
                            "source `{}` has {} snapshots beside it ({}); keep one, or choose one with `snapshot = \"...\"`",
                            item.id,
                            beside.len(),
                            names.join(", ")
                        ),
                    ));
                }
                beside.first().copied()
            }
        };
        let published = item.meta.publish_snapshot.unwrap_or(publish);
        let evidence = evidence(&files, folder, &item.id, found, published);
        let beside = EXTENSIONS
            .iter()
            .map(|e| format!("{folder}{}.{e}", item.id))
            .chain([
                format!("{folder}{}{MARKDOWN_SUFFIX}", item.id),
                format!("{folder}{}{TOKEN_SUFFIX}", item.id),
            ]);
        attached
            .withheld
            .extend(beside.filter(|p| files.contains_key(p.as_str())));
        attached
            .withheld
            .extend(evidence.files.iter().map(|f| f.content_path.clone()));
        attached.evidence.push(evidence);
        wanted.push((found, reading(doc, &item.meta, diags)));
    }
    attached.withheld.extend(
        files
            .keys()
            .filter(|p| is_evidence_only(p))
            .map(|p| p.to_string()),
    );
    for e in attached.evidence.iter().filter(|e| e.published) {
        for f in &e.files {
            attached.withheld.remove(&f.content_path);
        }
    }
    // Snapshots are read (and hashed) in parallel; what they say is reported in order.
    let read: Vec<Option<Read>> = wanted
        .par_iter()
        .map(|(found, reading)| {
            // With an encoding that names nothing, the file is not read: one mistake.
            Some(found.as_ref()?.text.as_ref()?.get(reading.as_ref()?))
        })
        .collect();
    for ((item, (found, _)), read) in content.sources.iter().zip(&wanted).zip(read) {
        let doc = &item.doc;
        let snapshot = found.zip(read).and_then(|(a, read)| match read {
            Ok(s) => Some(s),
            Err(e) => {
                diags.push(Diagnostic::error(
                    format!("{CONTENT_DIR}/{}", a.content_path),
                    0,
                    0,
                    e,
                ));
                None
            }
        });
        integrity(
            doc,
            &item.id,
            &item.meta,
            snapshot.as_deref(),
            found.is_some(),
            diags,
        );
        attached.by_source.push(snapshot);
    }
    let used: HashSet<&str> = attached
        .evidence
        .iter()
        .flat_map(|e| &e.files)
        .map(|f| f.content_path.as_str())
        .collect();
    for a in &content.assets {
        if a.content_path.ends_with(MARKDOWN_SUFFIX) && !used.contains(a.content_path.as_str()) {
            diags.push(Diagnostic::warning(
                format!("{CONTENT_DIR}/{}", a.content_path),
                0,
                0,
                "this snapshot belongs to no source: name it `<source id>.snapshot.md` beside the source, or name it in the source's `snapshot` key",
            ));
        }
    }
    attached
}

/// The files a source keeps as evidence: `snapshot` (the file found as its snapshot), the
/// web archive of that snapshot's capture (`<snapshot's name>.warc.gz`, `.warc` or
/// `.wacz` beside it, as `dossier capture` writes them) unless the snapshot is itself a web
/// archive, and its time-stamp token (`<id>.tsr` beside the source).
fn evidence(
    files: &BTreeMap<&str, &Asset>,
    folder: &str,
    id: &str,
    snapshot: Option<&Asset>,
    published: bool,
) -> Evidence {
    let mut found: Vec<(&Asset, EvidenceRole)> = Vec::new();
    if let Some(s) = snapshot {
        found.push((s, EvidenceRole::Snapshot));
        if !is_archive_name(&s.content_path) {
            let stem = snapshot_stem(&s.content_path);
            let archive = ARCHIVE_EXTENSIONS
                .iter()
                .find_map(|e| files.get(format!("{stem}.{e}").as_str()));
            found.extend(archive.map(|a| (*a, EvidenceRole::Archive)));
        }
    }
    if let Some(token) = files.get(format!("{folder}{id}{TOKEN_SUFFIX}").as_str()) {
        found.push((token, EvidenceRole::Token));
    }
    Evidence {
        files: found
            .into_iter()
            .map(|(a, role)| EvidenceFile {
                content_path: a.content_path.clone(),
                role,
                bytes: std::fs::metadata(&a.path).map_or(0, |m| m.len()),
            })
            .collect(),
        published,
    }
}

/// A snapshot's path without its extension (`sources/x` for `sources/x.html` or
/// `sources/x.snapshot.md`).
fn snapshot_stem(content_path: &str) -> &str {
    let lower = content_path.to_ascii_lowercase();
    let cut = [MARKDOWN_SUFFIX, ".warc.gz"]
        .iter()
        .find(|s| lower.ends_with(*s))
        .map(|s| s.len())
        .or_else(|| content_path.rfind('.').map(|dot| content_path.len() - dot))
        .unwrap_or(0);
    &content_path[..content_path.len() - cut]
}

/// The encodings `snapshot_encoding` is most often meant to name, for suggestions.
const COMMON_ENCODINGS: [&str; 12] = [
    "utf-8",
    "windows-1252",
    "iso-8859-1",
    "iso-8859-15",
    "windows-1251",
    "koi8-r",
    "gbk",
    "gb18030",
    "big5",
    "shift_jis",
    "euc-jp",
    "euc-kr",
];

/// How a source's snapshot is to be read; `None`, reported, when its `snapshot_encoding`
/// names no encoding.
fn reading(doc: &Document, meta: &SourceMeta, diags: &Diagnostics) -> Option<Reading> {
    if let Some(label) = meta.snapshot_encoding.as_deref()
        && crate::snapshots::encoding(label).is_none()
    {
        diags.push(
            doc.error_at(
                "snapshot_encoding",
                Some(label),
                format!("`{label}` is not the name of a text encoding"),
            )
            .suggest(crate::diagnostics::nearest(label, COMMON_ENCODINGS)),
        );
        return None;
    }
    Some(Reading {
        url: meta.url.clone(),
        encoding: meta.snapshot_encoding.clone(),
    })
}

/// Checks a snapshot against the hash recorded when it was captured, and warns of one
/// with no text to verify quotes against.
fn integrity(
    doc: &Document,
    id: &str,
    meta: &SourceMeta,
    snapshot: Option<&Snapshot>,
    has_file: bool,
    diags: &Diagnostics,
) {
    if let Some(s) = snapshot.filter(|s| !s.has_text()) {
        let what = match s.page_count {
            Some(_) => "this PDF has no text layer (a scanned document?)",
            None => "this snapshot has no text",
        };
        diags.push(Diagnostic::warning(
            &s.file,
            0,
            0,
            format!("{what}: the quotes cited from source `{id}` cannot be verified against it"),
        ));
    }
    if let Some((s, pages)) = snapshot.and_then(|s| Some((s, s.unreadable()?))) {
        diags.push(Diagnostic::warning(
            &s.file,
            0,
            0,
            format!("{pages} of this PDF could not be read (its structure is damaged there): a quote from source `{id}` there will not be found; a copy saved again by another PDF program may read whole"),
        ));
    }
    let Some(recorded) = meta.snapshot_sha256.as_deref() else {
        return;
    };
    let well_formed = recorded.len() == 64 && recorded.bytes().all(|b| b.is_ascii_hexdigit());
    if !well_formed {
        diags.push(doc.error_at(
            "snapshot_sha256",
            Some(recorded),
            "`snapshot_sha256` must be a SHA-256 in hexadecimal: 64 digits 0-9 and a-f",
        ));
    } else if let Some(s) = snapshot {
        if !recorded.eq_ignore_ascii_case(&s.sha256) {
            diags.push(doc.error_at(
                "snapshot_sha256",
                Some(recorded),
                format!(
                    "the snapshot `{}` has changed since it was captured: its SHA-256 is now {}, and `snapshot_sha256` records {recorded}",
                    s.file, s.sha256
                ),
            ));
        }
    } else if !has_file {
        diags.push(doc.error_at(
            "snapshot_sha256",
            Some(recorded),
            format!("`snapshot_sha256` is given, but source `{id}` has no snapshot"),
        ));
    }
}

/// `name` relative to `folder`, as a path under `content/`; `None` if it is absolute or
/// leaves `content/`.
pub(super) fn join(folder: &str, name: &str) -> Option<String> {
    if name.starts_with('/') || name.contains('\\') {
        return None;
    }
    crate::content::join_relative(folder, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_names_inside_content() {
        assert_eq!(join("sources/", "x.txt").as_deref(), Some("sources/x.txt"));
        assert_eq!(
            join("sources/", "../snap/x.txt").as_deref(),
            Some("snap/x.txt")
        );
        assert_eq!(join("sources/", "../../x.txt"), None);
        assert_eq!(join("", "/etc/passwd"), None);
    }
}

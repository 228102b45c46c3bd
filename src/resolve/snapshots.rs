//! Attaching each source to its snapshot among the loaded files.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Settings;
use crate::load::content::meta::SourceMeta;
use crate::load::content::{Asset, CONTENT_DIR, Content, Document};
use rayon::prelude::*;

use crate::resolve::model::{Evidence, EvidenceFile, EvidenceRole};
use crate::snapshots::{
    ARCHIVE_EXTENSIONS, EXTENSIONS, MARKDOWN_SUFFIX, Read, Reading, Recorded, Snapshot,
    TOKEN_SUFFIX, is_archive_name, is_evidence_only, is_snapshot_name,
};

/// Each source's snapshot and evidence, by position in the sorted sources, and the files
/// kept as evidence.
#[derive(Debug, Default)]
pub(crate) struct Attached {
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
pub(crate) fn attach(content: &Content, settings: &Settings, diags: &Diagnostics) -> Attached {
    let publish = settings.config.snapshots.publish;
    let files: BTreeMap<&str, &Asset> = content
        .assets
        .iter()
        .map(|a| (a.content_path.as_str(), a))
        .collect();
    let mut attached = Attached::default();
    let mut wanted: Vec<Wanted> = Vec::new();
    for item in &content.sources {
        let doc = &item.doc;
        let folder = match doc.content_path.rfind('/') {
            Some(i) => &doc.content_path[..=i],
            None => "",
        };
        let found = find_snapshot(doc, &item.id, &item.meta, folder, &files, diags);
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
        let role = |r| {
            evidence
                .files
                .iter()
                .find(|f| f.role == r)
                .and_then(|f| files.get(f.content_path.as_str()).copied())
        };
        let (archive, token) = (role(EvidenceRole::Archive), role(EvidenceRole::Token));
        attached.evidence.push(evidence);
        wanted.push(Wanted {
            snapshot: found,
            reading: reading(doc, &item.meta, settings.snapshot_limit(), diags),
            archive,
            token,
            recorded: item
                .meta
                .snapshot_sha256
                .as_deref()
                .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())),
        });
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
    read_and_check(content, settings, &wanted, &mut attached, diags);
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
            )
            .many(&crate::base::diagnostics::Many {
 what: "snapshots belong to no source",
 advice: "name each `<source id>.snapshot.md` beside its source, or name it in the source's `snapshot` key",
 }));
        }
    }
    attached
}

/// Reads each source's snapshot, the web archive of its capture and its time-stamp token
/// in parallel, and reports what they say in source order, filling `attached`'s
/// snapshots and stamps.
fn read_and_check(
    content: &Content,
    settings: &Settings,
    wanted: &[Wanted],
    attached: &mut Attached,
    diags: &Diagnostics,
) {
    // Snapshots are read (and hashed) in parallel; what they say is reported in order.
    let ca = settings.timestamp_ca.as_deref();
    let limit = settings.snapshot_limit();
    let read: Vec<(Option<Read>, Option<Capture>, Option<StampRead>)> = wanted
        .par_iter()
        .map(|w| {
            // With an encoding that names nothing, the file is not read: one mistake.
            let read = (|| Some(w.snapshot?.text.as_ref()?.get(w.reading.as_ref()?)))();
            let url = w.reading.as_ref().and_then(|r| r.url.as_deref());
            let capture = w.archive.and_then(|a| {
                let recorded = a.text.as_ref()?.recorded(url, limit);
                Some(Capture {
                    archive: a,
                    recorded,
                })
            });
            let sha256 = match &read {
                Some(Ok(s)) => Some(s.sha256.as_str()),
                _ => None,
            };
            // A snapshot that could not be read is reported at its file; its token is
            // checked only against a hash recorded for it, so the mistake is told once.
            let unreadable = w.snapshot.is_some() && sha256.is_none() && w.recorded.is_none();
            let stamp = w
                .token
                .filter(|_| !unreadable)
                .map(|t| check_token(t, w.recorded.or(sha256), ca));
            (read, capture, stamp)
        })
        .collect();
    for (i, ((item, w), (read, capture, stamp))) in
        content.sources.iter().zip(wanted).zip(read).enumerate()
    {
        let snapshot = w.snapshot.zip(read).and_then(|(a, read)| match read {
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
        let found = Found {
            snapshot: snapshot.as_deref(),
            has_file: w.snapshot.is_some(),
            capture: capture.as_ref(),
        };
        integrity(&item.doc, &item.id, &item.meta, &found, diags);
        match (stamp, w.token) {
            (Some(Ok(stamp)), _) => attached.evidence[i].stamp = Some(stamp),
            (Some(Err(e)), Some(token)) => diags.push(Diagnostic::error(
                item.doc.entry_file(),
                1,
                1,
                format!(
                    "the time-stamp token `{CONTENT_DIR}/{}` does not hold: {e}; `dossier timestamp {}` asks the authority for a new one",
                    token.content_path, item.id
                ),
            )),
            _ => {}
        }
        attached.by_source.push(snapshot);
    }
}

/// The file that is a source's snapshot: the one its `snapshot` key names, else the one
/// named `<id>.<extension>` beside it; reporting a key that names nothing usable and a
/// source with two snapshots beside it.
fn find_snapshot<'a>(
    doc: &Document,
    id: &str,
    meta: &SourceMeta,
    folder: &str,
    files: &BTreeMap<&str, &'a Asset>,
    diags: &Diagnostics,
) -> Option<&'a Asset> {
    match &meta.snapshot {
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
                    let near = crate::base::diagnostics::nearest(
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
                .map(|e| format!("{folder}{}.{e}", id))
                .chain([format!("{folder}{}{MARKDOWN_SUFFIX}", id)])
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
                        id,
                        beside.len(),
                        names.join(", ")
                    ),
                ));
            }
            beside.first().copied()
        }
    }
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
        stamp: None,
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
fn reading(doc: &Document, meta: &SourceMeta, limit: u64, diags: &Diagnostics) -> Option<Reading> {
    if let Some(label) = meta.snapshot_encoding.as_deref()
        && crate::snapshots::encoding(label).is_none()
    {
        diags.push(
            doc.error_at(
                "snapshot_encoding",
                Some(label),
                format!("`{label}` is not the name of a text encoding"),
            )
            .suggest(crate::base::diagnostics::nearest(label, COMMON_ENCODINGS)),
        );
        return None;
    }
    Some(Reading {
        url: meta.url.clone(),
        encoding: meta.snapshot_encoding.clone(),
        limit,
    })
}

/// What a source's time-stamp token proves, or why it does not hold.
type StampRead = Result<crate::snapshots::timestamp::Stamp, String>;

/// Checks the time-stamp token `token` against `sha256`, the hash the source's snapshot
/// was captured with (`snapshot_sha256`, else its hash now; `None` without a snapshot).
fn check_token(
    token: &Asset,
    sha256: Option<&str>,
    ca: Option<&crate::snapshots::timestamp::Anchors>,
) -> StampRead {
    let sha256 = sha256.ok_or("the source has no snapshot for it to time-stamp")?;
    let bytes = std::fs::read(&token.path).map_err(|e| format!("it cannot be read ({e})"))?;
    let expected = crate::snapshots::timestamp::Expected {
        sha256,
        nonce: None,
    };
    crate::snapshots::timestamp::verify(&bytes, &expected, ca)
}

/// What one source asks to be read.
struct Wanted<'a> {
    snapshot: Option<&'a Asset>,
    /// `None` when the source's `snapshot_encoding` names no encoding (reported).
    reading: Option<Reading>,
    /// The web archive of the snapshot's capture.
    archive: Option<&'a Asset>,
    /// The time-stamp token over the snapshot.
    token: Option<&'a Asset>,
    /// The snapshot's hash as recorded at capture, when well formed.
    recorded: Option<&'a str>,
}

/// The web archive of a snapshot's capture, and what it recorded for the source's `url`.
struct Capture<'a> {
    archive: &'a Asset,
    recorded: Result<Arc<Recorded>, String>,
}

impl Capture<'_> {
    /// Whether the archive recorded a payload with this SHA-256, its content coding undone
    /// or not.
    fn holds(&self, sha256: &str) -> bool {
        self.recorded.as_ref().is_ok_and(|r| {
            r.sha256.eq_ignore_ascii_case(sha256)
                || r.decoded_sha256
                    .as_deref()
                    .is_some_and(|d| d.eq_ignore_ascii_case(sha256))
        })
    }
}

/// What was found for one source.
struct Found<'a> {
    snapshot: Option<&'a Snapshot>,
    /// Whether it has a snapshot file, read or not.
    has_file: bool,
    capture: Option<&'a Capture<'a>>,
}

/// Checks a source's snapshot: that it has text, that it has the hash recorded when it was
/// captured, and that it is what the web archive of its capture recorded. A snapshot that
/// fails more than one of these is reported once, for the first.
fn integrity(doc: &Document, id: &str, meta: &SourceMeta, found: &Found, diags: &Diagnostics) {
    if let Some(s) = found.snapshot {
        text_warnings(s, id, diags);
    }
    if hash_errors(doc, id, meta, found, diags) {
        return;
    }
    let (Some(s), Some(capture)) = (found.snapshot, found.capture) else {
        return;
    };
    let archive = format!("{CONTENT_DIR}/{}", capture.archive.content_path);
    let recorded = match &capture.recorded {
        Ok(r) => r,
        Err(e) => {
            diags.push(Diagnostic::error(
                &archive,
                0,
                0,
                format!("{e}; the snapshot of source `{id}` cannot be checked against the capture it records: capture the page again with `dossier capture`"),
            ));
            return;
        }
    };
    if capture.holds(&s.sha256) {
        return;
    }
    let elsewhere = if recorded.for_url {
        String::new()
    } else {
        format!(
            " (it records no response for the source's url; its response for {} was compared)",
            recorded.target
        )
    };
    let message = format!(
        "the snapshot `{}` is not what the web archive `{archive}` recorded when it was captured{elsewhere}: its SHA-256 is {}, and the archive's payload has {}; one of the two was changed after the capture. `dossier capture --restore {id}` writes back the recorded page and its hash, or capture the page again with `dossier capture`",
        s.file, s.sha256, recorded.sha256
    );
    diags.push(match meta.snapshot.as_deref() {
        Some(name) => doc.error_at("snapshot", Some(name), message),
        None => Diagnostic::error(&s.file, 0, 0, message),
    });
}

/// Warns of a snapshot with no text to verify quotes against, or with pages that cannot
/// be read.
fn text_warnings(s: &Snapshot, id: &str, diags: &Diagnostics) {
    if !s.has_text() {
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
    if let Some(pages) = s.unreadable() {
        diags.push(Diagnostic::warning(
            &s.file,
            0,
            0,
            format!("{pages} of this PDF could not be read (its structure is damaged there): a quote from source `{id}` there will not be found; a copy saved again by another PDF program may read whole"),
        ));
    }
}

/// Checks `snapshot_sha256` against the snapshot; whether it reported an error.
fn hash_errors(
    doc: &Document,
    id: &str,
    meta: &SourceMeta,
    found: &Found,
    diags: &Diagnostics,
) -> bool {
    let Some(recorded) = meta.snapshot_sha256.as_deref() else {
        return false;
    };
    let well_formed = recorded.len() == 64 && recorded.bytes().all(|b| b.is_ascii_hexdigit());
    let message = if !well_formed {
        "`snapshot_sha256` must be a SHA-256 in hexadecimal: 64 digits 0-9 and a-f; `sha256sum` gives it for a file".to_string()
    } else if let Some(s) = found.snapshot {
        if recorded.eq_ignore_ascii_case(&s.sha256) {
            return false;
        }
        let todo = match found.capture {
            Some(c) if c.holds(recorded) => format!(
                "its web archive `{CONTENT_DIR}/{}` still holds the page as captured: `dossier capture --restore {id}` writes it back",
                c.archive.content_path
            ),
            _ => format!(
                "if the change is yours (a copy saved again), record the new hash, `snapshot_sha256 = \"{}\"`; otherwise restore the file from a backup, or capture the page again with `dossier capture`",
                s.sha256
            ),
        };
        format!(
            "the snapshot `{}` has changed since it was captured: its SHA-256 is now {}, and `snapshot_sha256` records {recorded}; {todo}",
            s.file, s.sha256
        )
    } else if !found.has_file {
        format!(
            "`snapshot_sha256` is given, but source `{id}` has no snapshot: remove the key, or put the captured file back beside the source"
        )
    } else {
        return false;
    };
    diags.push(doc.error_at("snapshot_sha256", Some(recorded), message));
    true
}

/// `name` relative to `folder`, as a path under `content/`; `None` if it is absolute or
/// leaves `content/`.
pub(super) fn join(folder: &str, name: &str) -> Option<String> {
    if name.starts_with('/') || name.contains('\\') {
        return None;
    }
    crate::load::content::join_relative(folder, name)
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

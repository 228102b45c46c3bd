//! Attaching each source to its snapshot among the loaded files.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::content::{Asset, CONTENT_DIR, Content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::snapshots::{EXTENSIONS, MARKDOWN_SUFFIX, Snapshot, is_snapshot_name};

/// Each source's snapshot, by position in the sorted sources, and the files used as one.
#[derive(Debug, Default)]
pub struct Attached {
    pub by_source: Vec<Option<Arc<Snapshot>>>,
    pub used: HashSet<String>,
}

/// Finds every source's snapshot among the loaded files, reporting a `snapshot` key that
/// names nothing usable, a source with two snapshots beside it, and unreadable snapshots.
pub fn attach(content: &Content, diags: &Diagnostics) -> Attached {
    let files: BTreeMap<&str, &Asset> = content
        .assets
        .iter()
        .map(|a| (a.content_path.as_str(), a))
        .collect();
    let mut attached = Attached::default();
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
                            format!("`{w}` cannot be a snapshot: a snapshot is a `.txt`, `.html`, `.htm` or `{MARKDOWN_SUFFIX}` file"),
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
                        &doc.file,
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
        let snapshot = found.and_then(|a| {
            attached.used.insert(a.content_path.clone());
            match a.text.as_ref()?.get() {
                Ok(s) => Some(s.clone()),
                Err(e) => {
                    diags.push(Diagnostic::error(
                        format!("{CONTENT_DIR}/{}", a.content_path),
                        0,
                        0,
                        e.clone(),
                    ));
                    None
                }
            }
        });
        attached.by_source.push(snapshot);
    }
    for a in &content.assets {
        if a.content_path.ends_with(MARKDOWN_SUFFIX) && !attached.used.contains(&a.content_path) {
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

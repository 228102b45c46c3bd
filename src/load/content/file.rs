//! Loading one file under `content/`: an asset, or a Markdown entry or page with its
//! front matter parsed; a Markdown file that fails is still known by its path.

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::meta::{ClaimMeta, EventMeta, PageMeta, SourceMeta};
use super::{
    Asset, Broken, Document, EntryKind, Item, Loaded, frontmatter, page_path, suggest_id, valid_id,
};
use crate::base::diagnostics::{Diagnostic, Diagnostics, rel_path};
use crate::snapshots::{self, SnapshotFile};

pub(super) fn load_file(
    root: &Path,
    content_dir: &Path,
    path: &Path,
    drafts: bool,
    languages: &[String],
    diags: &Diagnostics,
) -> Loaded {
    let content_path = rel_path(content_dir, path);
    let file = rel_path(root, path);
    if !content_path.ends_with(".md") || content_path.ends_with(snapshots::MARKDOWN_SUFFIX) {
        let text = snapshots::is_snapshot_name(&content_path).then(|| {
            Arc::new(SnapshotFile::new(
                file,
                content_path.clone(),
                path.to_path_buf(),
            ))
        });
        return Loaded::Asset(Asset {
            content_path,
            path: path.to_path_buf(),
            text,
        });
    }
    let (stem, kind, translated) = match named(&file, &content_path, languages, diags) {
        Ok(named) => named,
        Err(broken) => return Loaded::Broken(broken),
    };
    // From here on, a file that fails is still known by its path (a translation that
    // fails is left out: its original stands in its place).
    let broken = if translated.is_some() {
        Loaded::Skipped
    } else {
        Loaded::Broken(Broken {
            kind,
            id: match kind {
                Some(_) => stem.clone(),
                None if content_path == "_index.md" => String::new(),
                None => page_path(&content_path),
            },
            content_path: content_path.clone(),
        })
    };
    let Some(doc) = read_document(path, &file, &content_path, diags) else {
        return broken;
    };
    if let Some(tag) = translated {
        return translation(tag, kind, stem, doc, diags);
    }
    let Some(kind) = kind else {
        return page_or_home(doc, drafts, diags, broken);
    };
    if !valid_id(&stem) {
        diags.push(
            Diagnostic::error(&file, 0, 0, format!("invalid id `{stem}`: ids are lowercase letters, digits, `-` and `_`, starting with a letter or digit"))
                .suggest(Some(suggest_id(&stem))),
        );
        return broken;
    }
    entry(kind, stem, doc, drafts, diags, broken)
}

/// A Markdown file's name read: its id or stem, its kind by its folder, and the
/// language of a translation (`<name>.<tag>.md`, for a tag of the site's languages); the
/// entry as broken when it names another language.
fn named(
    file: &str,
    content_path: &str,
    languages: &[String],
    diags: &Diagnostics,
) -> Result<(String, Option<EntryKind>, Option<String>), Broken> {
    let stem = content_path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md")
        .to_string();
    let kind = match content_path.split_once('/') {
        Some((section, _)) => EntryKind::ALL.into_iter().find(|k| k.section() == section),
        None => None,
    };
    let translated = stem
        .rsplit_once('.')
        .map(|(name, tag)| (name.to_string(), tag.to_string()))
        .filter(|(name, tag)| !name.is_empty() && languages.contains(tag));
    if let Some((name, tag)) = translated {
        return Ok((name, kind, Some(tag)));
    }
    if let (Some(_), Some((_, tag))) = (kind, stem.rsplit_once('.'))
        && crate::base::language::check(tag).is_ok()
    {
        let known = if languages.is_empty() {
            "the site lists none under [languages]".to_string()
        } else {
            format!("[languages] lists {}", languages.join(", "))
        };
        diags.push(Diagnostic::error(
            file,
            0,
            0,
            format!("a translation into `{tag}`, which is not one of the site's languages ({known}); add `[languages.{tag}]` to site.toml to publish it"),
        ));
        return Err(Broken {
            kind,
            id: stem,
            content_path: content_path.to_string(),
        });
    }
    Ok((stem, kind, None))
}

/// A Markdown file read and split into front matter and body, or `None` with its error.
fn read_document(
    path: &Path,
    file: &str,
    content_path: &str,
    diags: &Diagnostics,
) -> Option<Document> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(file, 0, 0, format!("cannot read: {e}")));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let (line, col) = crate::base::diagnostics::line_col(
                &String::from_utf8_lossy(&e.as_bytes()[..offset]),
                offset,
            );
            diags.push(Diagnostic::error(
                file,
                line,
                col,
                "file is not valid UTF-8; save it as UTF-8",
            ));
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match frontmatter::split(text) {
        Ok(Some(s)) => Some(Document {
            file: file.to_string(),
            content_path: content_path.to_string(),
            format: s.format,
            front: s.front.to_string(),
            front_line: s.front_line,
            body: s.body.to_string(),
            body_line: s.body_line,
            origin: None,
        }),
        Ok(None) => Some(Document {
            file: file.to_string(),
            content_path: content_path.to_string(),
            format: frontmatter::Format::Toml,
            front: String::new(),
            front_line: 1,
            body: text.to_string(),
            body_line: 1,
            origin: None,
        }),
        Err(msg) => {
            diags.push(Diagnostic::error(file, 1, 1, msg));
            None
        }
    }
}

/// A translation of an entry (by its id) or of a page (by the original's page path).
fn translation(
    tag: String,
    kind: Option<EntryKind>,
    stem: String,
    doc: Document,
    diags: &Diagnostics,
) -> Loaded {
    let id = match kind {
        Some(_) => stem,
        None => {
            let original = super::translation::original_path(&doc.content_path, &tag);
            if original == "_index.md" {
                String::new()
            } else {
                page_path(&original)
            }
        }
    };
    match super::Translation::new(tag, kind, id, doc) {
        Ok(t) => Loaded::Translation(t),
        Err(d) => {
            diags.push(d);
            Loaded::Skipped
        }
    }
}

/// A file outside the entries' folders: the home page (`_index.md`) or a plain page.
fn page_or_home(doc: Document, drafts: bool, diags: &Diagnostics, broken: Loaded) -> Loaded {
    if doc.content_path == "_index.md" {
        return match parse_meta(&doc, "home page", diags) {
            Some(meta) => Loaded::Home(Item::new(String::new(), doc, meta)),
            None => broken,
        };
    }
    let Some(meta) = parse_meta::<PageMeta>(&doc, "page", diags) else {
        return broken;
    };
    let id = page_path(&doc.content_path);
    if meta.draft && !drafts {
        return Loaded::Draft(id);
    }
    Loaded::Page(Item::new(id, doc, meta))
}

/// A claim, source, actor or event, its front matter read and checked.
fn entry(
    kind: EntryKind,
    stem: String,
    doc: Document,
    drafts: bool,
    diags: &Diagnostics,
    broken: Loaded,
) -> Loaded {
    match kind {
        EntryKind::Claim => {
            let Some(meta) = parse_meta::<ClaimMeta>(&doc, "claim", diags) else {
                return broken;
            };
            if meta.draft && !drafts {
                return Loaded::Draft(stem);
            }
            if meta.claimants.is_empty() {
                diags.push(doc.error_at(
                    "claimants",
                    None,
                    "a claim needs at least one claimant (an actor id)",
                ));
            }
            if let Some(a) = &meta.assessment
                && let Some(message) = a.scale_error()
            {
                diags.push(doc.error_at("rating_value", None, message));
            }
            Loaded::Claim(Item::new(stem, doc, meta))
        }
        EntryKind::Source => match parse_meta::<SourceMeta>(&doc, "source", diags) {
            Some(meta) => {
                if let Some(tag) = &meta.language
                    && let Err(near) = crate::base::language::check(tag)
                {
                    diags.push(
                        doc.error_at(
                            "language",
                            Some(tag),
                            format!("`{tag}` is not a language tag (BCP 47, such as `en`, `zh-CN` or `fr`)"),
                        )
                        .suggest(near),
                    );
                }
                Loaded::Source(Item::new(stem, doc, meta))
            }
            None => broken,
        },
        EntryKind::Actor => match parse_meta(&doc, "actor", diags) {
            Some(meta) => Loaded::Actor(Item::new(stem, doc, meta)),
            None => broken,
        },
        EntryKind::Event => match parse_meta::<EventMeta>(&doc, "event", diags) {
            Some(meta) if meta.draft && !drafts => Loaded::Draft(stem),
            Some(meta) => Loaded::Event(Item::new(stem, doc, meta)),
            None => broken,
        },
    }
}

fn parse_meta<M: DeserializeOwned>(doc: &Document, what: &str, diags: &Diagnostics) -> Option<M> {
    if doc.front.is_empty() && doc.front_line == 1 && what != "home page" {
        diags.push(Diagnostic::error(
            &doc.file,
            1,
            1,
            format!("a {what} needs front matter: start the file with `+++`, then `title = \"...\"` and the other keys, then `+++`"),
        ));
        return None;
    }
    match doc.parse() {
        Ok(m) => Some(m),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

//! `/bibliography.json`: the sources as CSL-JSON, for citation processors.

use serde_json::json;

use crate::content::date::PartialDate;
use crate::content::meta::SourceKind;
use crate::model::Dossier;

/// The CSL-JSON item type and genre of a kind of source.
fn csl_type(kind: Option<SourceKind>) -> (&'static str, Option<&'static str>) {
    match kind {
        Some(SourceKind::Report) => ("report", None),
        Some(SourceKind::Advisory) => ("report", Some("Advisory")),
        Some(SourceKind::Article) => ("article-newspaper", None),
        Some(SourceKind::Statement) => ("document", Some("Statement")),
        Some(SourceKind::Hearing) => ("hearing", None),
        Some(SourceKind::PressRelease) => ("document", Some("Press release")),
        Some(SourceKind::Dataset) => ("dataset", None),
        Some(SourceKind::Post) => ("post", None),
        Some(SourceKind::Judgment) => ("legal_case", None),
        Some(SourceKind::Transcript) => ("document", Some("Transcript")),
        Some(SourceKind::Filing) => ("document", Some("Court filing")),
        Some(SourceKind::Other) | None => ("document", None),
    }
}

/// A date as CSL-JSON `date-parts`.
fn csl_date(d: PartialDate) -> serde_json::Value {
    let mut parts = vec![u32::from(d.year)];
    if let Some(m) = d.month {
        parts.push(u32::from(m));
        if let Some(day) = d.day {
            parts.push(u32::from(day));
        }
    }
    json!({ "date-parts": [parts] })
}

/// `/bibliography.json`: every source as a CSL-JSON item, the format Zotero, Pandoc and
/// other citation processors read.
pub fn bibliography_json(d: &Dossier) -> Vec<u8> {
    let items: Vec<serde_json::Value> = d
        .sources
        .iter()
        .map(|s| {
            let m = &s.meta;
            let (kind, genre) = csl_type(m.kind);
            let mut item = serde_json::Map::new();
            item.insert("id".into(), json!(s.id));
            item.insert("type".into(), json!(kind));
            item.insert("title".into(), json!(m.title));
            if let Some(g) = genre {
                item.insert("genre".into(), json!(g));
            }
            if !m.authors.is_empty() {
                let names: Vec<_> = m.authors.iter().map(|a| json!({ "literal": a })).collect();
                item.insert("author".into(), json!(names));
            }
            if let Some(p) = &m.publisher {
                // A news piece's outlet is where citation styles name it: the container.
                let key = if m.kind == Some(SourceKind::Article) {
                    "container-title"
                } else {
                    "publisher"
                };
                item.insert(key.into(), json!(p));
            }
            if let Some(n) = &m.report_number {
                item.insert("number".into(), json!(n));
            }
            if let Some(doi) = &m.doi {
                item.insert("DOI".into(), json!(doi));
            }
            if let Some(date) = m.date {
                item.insert("issued".into(), csl_date(date));
            }
            if let Some(date) = m.accessed {
                item.insert("accessed".into(), csl_date(date));
            }
            if let Some(url) = &m.url {
                item.insert("URL".into(), json!(url));
            }
            if let Some(lang) = &m.language {
                item.insert("language".into(), json!(lang));
            }
            // An archived copy is where styles print an item's archive: its name (the
            // archive's host) and its location (the copy's address).
            if let Some(a) = &m.archive_url {
                let host = a.split_once("://").map_or(a.as_str(), |(_, r)| r);
                let host = host.split('/').next().unwrap_or(host);
                item.insert("archive".into(), json!(host));
                item.insert("archive_location".into(), json!(a));
            }
            let mut notes = Vec::new();
            if let Some(t) = &m.title_translation {
                notes.push(format!("Title in translation: {t}"));
            }
            if !notes.is_empty() {
                item.insert("note".into(), json!(notes.join(". ")));
            }
            serde_json::Value::Object(item)
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&items).unwrap_or_default();
    out.push(b'\n');
    out
}

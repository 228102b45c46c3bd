//! `/bibliography.json`: the sources as CSL-JSON, for citation processors.

use serde_json::json;

use rustc_hash::FxHashMap;

use crate::load::content::date::PartialDate;
use crate::load::content::meta::{ActorKind, SourceKind};
use crate::load::content::names::{self, Author};
use crate::resolve::model::Dossier;

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

/// Each actor's name and alias, lowercased, with whether the actor is a person.
pub(super) fn actor_kinds(d: &Dossier) -> FxHashMap<String, bool> {
    let mut kinds = FxHashMap::default();
    for a in &d.actors {
        let person = a.meta.kind == Some(ActorKind::Person);
        for name in std::iter::once(&a.meta.title).chain(&a.meta.aliases) {
            kinds.insert(name.to_lowercase(), person);
        }
    }
    kinds
}

/// An author as a CSL name: a person in parts (`family`, `given`, particle, suffix); an
/// organisation, or a name that cannot be split, as `literal`. A written name is a
/// person's when an actor of that name is a person, or, with no such actor, when it
/// reads as one.
pub(super) fn csl_name(a: &Author, actors: &FxHashMap<String, bool>) -> serde_json::Value {
    let parts = match a {
        Author::Person(p) => Some(p.clone()),
        Author::Organisation(_) => None,
        Author::Written(w) => actors
            .get(&w.to_lowercase())
            .copied()
            .unwrap_or_else(|| names::looks_like_person(w))
            .then(|| names::person_parts(w))
            .flatten(),
    };
    let Some(p) = parts else {
        return json!({ "literal": a.display() });
    };
    let mut name = serde_json::Map::new();
    name.insert("family".into(), json!(p.family));
    for (key, value) in [
        ("given", &p.given),
        ("non-dropping-particle", &p.particle),
        ("suffix", &p.suffix),
    ] {
        if let Some(v) = value {
            name.insert(key.into(), json!(v));
        }
    }
    if p.family_first {
        name.insert("static-ordering".into(), json!(true));
    }
    serde_json::Value::Object(name)
}

/// `/bibliography.json`: every source as a CSL-JSON item, the format Zotero, Pandoc and
/// other citation processors read.
pub fn bibliography_json(d: &Dossier, pretty: bool) -> Vec<u8> {
    let actors = actor_kinds(d);
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
                let names: Vec<_> = m.authors.iter().map(|a| csl_name(a, &actors)).collect();
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
            // Styles print an item's place in an archive as written, after its publisher;
            // as a sentence it reads well in Pandoc's default style and in APA.
            if let Some(a) = &m.archive_url {
                item.insert(
                    "archive_location".into(),
                    json!(format!("{}{a}", crate::load::content::meta::ARCHIVED_AT)),
                );
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
    let mut out = if pretty {
        serde_json::to_vec_pretty(&items)
    } else {
        serde_json::to_vec(&items)
    }
    .unwrap_or_default();
    out.push(b'\n');
    out
}

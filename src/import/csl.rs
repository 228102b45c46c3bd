//! Zotero's CSL-JSON export: an array of items, each read on its own, so that one bad
//! item is reported at its line and the rest imported.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{Entry, date_of, kind, month_number};
use crate::author::scaffold::NewSource;
use crate::load::content::names::{Author, PersonName};

/// A CSL-JSON name: `{family, given}` with particles and a suffix, or `{literal}`.
#[derive(Deserialize)]
struct Name {
    family: Option<String>,
    given: Option<String>,
    literal: Option<String>,
    #[serde(rename = "non-dropping-particle")]
    particle: Option<String>,
    #[serde(rename = "dropping-particle")]
    dropping_particle: Option<String>,
    suffix: Option<String>,
    #[serde(rename = "static-ordering", default)]
    static_ordering: Option<Value>,
}

impl Name {
    /// The author it names: a person in parts, an organisation or a lone name as written.
    /// A dropping particle (`de` in "Charles de Gaulle" as some styles sort it) is kept
    /// as the particle.
    fn author(&self) -> Option<Author> {
        let some = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
        if let Some(l) = some(&self.literal) {
            return Some(crate::load::content::names::organisation(l));
        }
        let Some(family) = some(&self.family) else {
            return some(&self.given).map(Author::Written);
        };
        Some(Author::Person(PersonName {
            family,
            given: some(&self.given),
            particle: some(&self.particle).or_else(|| some(&self.dropping_particle)),
            suffix: some(&self.suffix),
            family_first: matches!(&self.static_ordering, Some(Value::Bool(true)))
                || matches!(&self.static_ordering, Some(Value::String(s)) if s == "true"),
        }))
    }
}

/// A CSL-JSON date: `date-parts` (numbers or strings), or `raw` / `literal` text.
#[derive(Deserialize)]
struct Date {
    #[serde(rename = "date-parts")]
    parts: Option<Vec<Vec<Value>>>,
    raw: Option<String>,
    literal: Option<String>,
}

#[derive(Deserialize)]
struct Item {
    id: Option<Value>,
    /// The citation key (CSL 1.0.2; Zotero 7 and Better BibTeX write it).
    #[serde(rename = "citation-key")]
    citation_key: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    title: Option<String>,
    #[serde(default)]
    author: Vec<Name>,
    issued: Option<Date>,
    accessed: Option<Date>,
    #[serde(rename = "URL")]
    url: Option<String>,
    #[serde(rename = "DOI")]
    doi: Option<String>,
    number: Option<Value>,
    publisher: Option<String>,
    #[serde(rename = "container-title")]
    container: Option<String>,
    language: Option<String>,
    genre: Option<String>,
    /// Where an archive keeps it: Zotero's "Loc. in Archive", which for a web page is
    /// often an archived copy's address.
    archive_location: Option<String>,
}

/// The items of a CSL-JSON file; an error (with its line) when it is not an array.
pub fn read(text: &str) -> Result<Vec<Entry>, String> {
    let items: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| {
        format!(
            "{}: error: not a CSL-JSON array of items: {}",
            e.line(),
            crate::base::diagnostics::serde_message_in_words(&e.to_string())
        )
    })?;
    // Lines are counted from the previous item on, so that the whole file is read once.
    let (mut counted, mut line) = (0, 1);
    Ok(items
        .iter()
        .map(|raw| {
            let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            line += text[counted..offset].matches('\n').count();
            counted = offset;
            match serde_json::from_str::<Item>(raw.get()) {
                Ok(item) => Entry {
                    key: key(&item),
                    line,
                    source: source(item),
                },
                Err(e) => {
                    let message = e.to_string();
                    let message = message
                        .rsplit_once(" at line ")
                        .map_or(message.as_str(), |m| m.0);
                    Entry {
                        key: None,
                        line: line + e.line() - 1,
                        source: Err(format!(
                            "this item cannot be read: {}; it was not imported",
                            crate::base::diagnostics::serde_message_in_words(message)
                        )),
                    }
                }
            }
        })
        .collect())
}

/// An item's citation key: `citation-key`, else an `id` that is not an address (Zotero's
/// own export gives each item its URI as `id`).
fn key(item: &Item) -> Option<String> {
    item.citation_key.clone().or_else(|| {
        let id = match item.id.as_ref()? {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        (!id.contains("://")).then_some(id)
    })
}

/// The address of an archived copy in an archive location: the whole of it, or what
/// follows dossier's own "Archived at ".
fn archived_copy(location: &str) -> Option<String> {
    let location = location.trim();
    let address = location
        .strip_prefix(crate::load::content::meta::ARCHIVED_AT)
        .unwrap_or(location);
    (address.starts_with("https://") || address.starts_with("http://"))
        .then(|| address.to_string())
        .filter(|a| !a.contains(char::is_whitespace))
}

fn source(item: Item) -> Result<NewSource, String> {
    let kind_name = match item.kind.as_str() {
        "article-newspaper" | "article-magazine" | "article-journal" | "article" => "article",
        "report" | "pamphlet" | "thesis" | "paper-conference" => "report",
        "speech" | "interview" | "personal_communication" => "statement",
        "webpage" | "post-weblog" | "post" => "post",
        "dataset" => "dataset",
        "hearing" => "hearing",
        "legal_case" => "judgment",
        "broadcast" => "transcript",
        "bill" | "legislation" | "regulation" | "treaty" => "filing",
        _ if item
            .genre
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case("press release")) =>
        {
            "press-release"
        }
        _ => "other",
    };
    // An article's outlet or journal is its container; dossier keeps it as the publisher.
    let news = kind_name == "article";
    let publisher = match news {
        true => item.container.clone().or(item.publisher.clone()),
        false => item.publisher.clone().or(item.container.clone()),
    };
    let date = |d: &Option<Date>| -> Result<Option<String>, String> {
        let Some(d) = d else { return Ok(None) };
        if let Some(first) = d.parts.as_ref().and_then(|p| p.first()) {
            let part = |i: usize| -> Result<Option<i64>, String> {
                match first.get(i) {
                    None => Ok(None),
                    Some(Value::Number(n)) => Ok(n.as_i64()),
                    Some(Value::String(s)) if i == 1 => Ok(month_number(s)),
                    Some(Value::String(s)) => s
                        .trim()
                        .parse()
                        .map(Some)
                        .map_err(|_| format!("`{s}` is not a date part")),
                    Some(other) => Err(format!("`{other}` is not a date part")),
                }
            };
            if let Some(year) = part(0)? {
                return Ok(date_of(year, part(1)?, part(2)?));
            }
        }
        let text = d.raw.as_deref().or(d.literal.as_deref());
        Ok(text.and_then(crate::load::content::date::normalise_date))
    };
    Ok(NewSource {
        title: item.title.clone(),
        kind: kind(kind_name),
        publisher,
        published_by: None,
        authors: item.author.iter().filter_map(Name::author).collect(),
        archive_url: item.archive_location.as_deref().and_then(archived_copy),
        date: date(&item.issued)?,
        language: item.language.clone(),
        url: item.url.clone(),
        accessed: date(&item.accessed)?,
        report_number: item.number.as_ref().map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        doi: item.doi.clone(),
        snapshot: None,
        note: "Imported from a CSL-JSON file with `dossier import`.".into(),
    })
}

//! BibTeX and BibLaTeX files, parsed with the `biblatex` crate (which decodes LaTeX
//! accents and braces, `@string` abbreviations and split or named date fields). Each
//! entry is parsed on its own, after the file's `@string` definitions, so that one
//! malformed entry is reported at its line and the rest imported.

use biblatex::{Bibliography, ChunksExt, DateValue, EntryType, PermissiveType};

use super::{Entry, date_of, kind};
use crate::scaffold::NewSource;

/// The top-level `@` blocks of the file, each with the line it starts on. An `@type{`
/// at the start of a line starts a block even inside braces, so that an entry left
/// unclosed does not swallow the ones after it.
fn blocks(text: &str) -> Vec<(&str, usize)> {
    let mut starts = Vec::new();
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        let line_start = text[..i].trim_end_matches([' ', '\t']).ends_with('\n') || i == 0;
        let opens_entry = || {
            let rest = &text[i + 1..];
            let word = rest.len()
                - rest
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .len();
            word > 0 && rest[word..].trim_start().starts_with(['{', '('])
        };
        match c {
            '@' if depth == 0 => starts.push(i),
            '@' if line_start && opens_entry() => {
                depth = 0;
                starts.push(i);
            }
            '{' | '(' => depth += 1,
            '}' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &s)| {
            let end = starts.get(n + 1).copied().unwrap_or(text.len());
            (&text[s..end], text[..s].matches('\n').count() + 1)
        })
        .collect()
}

/// The entries of a BibTeX or BibLaTeX file.
pub fn read(text: &str) -> Vec<Entry> {
    let all = blocks(text);
    let is = |block: &str, what: &str| {
        block[1..]
            .trim_start()
            .get(..what.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(what))
    };
    let strings: String = all
        .iter()
        .filter(|(b, _)| is(b, "string"))
        .map(|(b, _)| format!("{b}\n"))
        .collect();
    all.iter()
        .filter(|(b, _)| !is(b, "string") && !is(b, "comment") && !is(b, "preamble"))
        .map(|&(block, line)| {
            let key = block
                .split_once(['{', '('])
                .and_then(|(_, rest)| rest.split(',').next())
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty());
            let parsed = Bibliography::parse(&format!("{strings}{block}"));
            match parsed {
                Ok(bib) => match bib.iter().next() {
                    Some(entry) => Entry {
                        key: Some(entry.key.clone()),
                        line,
                        source: Ok(source(entry)),
                    },
                    None => Entry {
                        key,
                        line,
                        source: Err("no entry could be read here".into()),
                    },
                },
                Err(e) => {
                    let name = key.as_deref().map_or(String::new(), |k| format!(" `{k}`"));
                    Entry {
                        key,
                        line,
                        source: Err(format!(
                            "the entry{name} cannot be read ({}); it was not imported",
                            e.kind
                        )),
                    }
                }
            }
        })
        .collect()
}

/// A BibLaTeX language name (`french`, `english`, `chinese`) as its ISO 639-1 code, or as
/// written when it is already a code or not a known name.
fn language_code(name: &str) -> String {
    let mut chars = name.chars();
    let titled: String = chars
        .next()
        .map(|c| {
            c.to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect()
        })
        .unwrap_or_default();
    isolang::Language::from_name(&titled)
        .and_then(|l| l.to_639_1())
        .map_or_else(|| name.to_string(), str::to_string)
}

fn source(entry: &biblatex::Entry) -> NewSource {
    let text = |name: &str| {
        entry
            .get(name)
            .map(|c| c.format_verbatim().trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let kind_name = match &entry.entry_type {
        EntryType::Article => "article",
        EntryType::Report
        | EntryType::TechReport
        | EntryType::Thesis
        | EntryType::PhdThesis
        | EntryType::MastersThesis
        | EntryType::Manual
        | EntryType::Booklet
        | EntryType::InProceedings
        | EntryType::Proceedings => "report",
        EntryType::Online => "post",
        EntryType::Dataset => "dataset",
        EntryType::Unknown(t) => match t.to_ascii_lowercase().as_str() {
            "jurisdiction" => "judgment",
            "legislation" | "legal" => "filing",
            "news" | "newsarticle" => "article",
            _ => "other",
        },
        _ => "other",
    };
    let publisher = match kind_name {
        "article" => text("journaltitle").or_else(|| text("journal")),
        "report" => text("institution").or_else(|| text("school")),
        _ => None,
    }
    .or_else(|| text("publisher"))
    .or_else(|| text("organization"))
    .or_else(|| text("institution"));
    let authors = entry
        .author()
        .map(|people| {
            people
                .iter()
                .map(|p| {
                    [&p.given_name, &p.prefix, &p.name, &p.suffix]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .filter(|n| !n.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let date = |value: Result<PermissiveType<biblatex::Date>, _>| match value {
        Ok(PermissiveType::Typed(d)) => match d.value {
            DateValue::At(t)
            | DateValue::After(t)
            | DateValue::Between(t, _)
            | DateValue::Before(t) => date_of(
                i64::from(t.year),
                t.month.map(|m| i64::from(m) + 1),
                t.day.map(|d| i64::from(d) + 1),
            ),
        },
        Ok(PermissiveType::Chunks(c)) => {
            crate::capture::metadata::normalise_date(&c.format_verbatim())
        }
        Err(_) => None,
    };
    NewSource {
        title: text("title"),
        kind: kind(kind_name),
        publisher,
        authors,
        date: date(entry.date()),
        language: text("language").map(|l| language_code(&l)),
        url: text("url"),
        accessed: date(entry.url_date()),
        report_number: text("number"),
        doi: text("doi"),
        snapshot: None,
        note: "Imported from a BibTeX file with `dossier import`.".into(),
    }
}

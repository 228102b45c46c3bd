//! BibTeX and BibLaTeX files, read with the `biblatex` crate (which decodes LaTeX
//! accents and braces and split or named date fields). The file is cut into its `@`
//! blocks; its `@string` abbreviations are expanded here, once; each entry is then read
//! on its own, from the fields an import uses, so that one malformed entry is reported
//! at its line, the others are imported, and the work stays in proportion to the file.

use std::collections::HashMap;

use biblatex::{
    Bibliography, ChunksExt, DateValue, EntryType, Field, Pair, PermissiveType, RawBibliography,
    RawChunk, Spanned,
};

use super::{Entry, date_of, kind};
use crate::author::scaffold::NewSource;
use crate::load::content::names::{Author, PersonName};

/// The fields an import reads; the others (abstracts, notes, files) are never decoded.
const USED: [&str; 22] = [
    "title",
    "journaltitle",
    "journal",
    "institution",
    "school",
    "publisher",
    "organization",
    "author",
    "date",
    "year",
    "month",
    "day",
    "language",
    "url",
    "urldate",
    "number",
    "doi",
    "langid",
    "howpublished",
    "eprint",
    "eprinttype",
    "archiveprefix",
];

/// How deep a field's braces may nest. The LaTeX reader recurses into a command's
/// argument and merges nested groups one by one, so depth and nested groups are bounded
/// (far beyond what a reference needs) to keep its work in proportion to the file.
const MAX_DEPTH: usize = 16;
/// How many brace groups inside other groups one field may have.
const MAX_NESTED: usize = 64;
/// How many pieces (`a # "b" # c`, abbreviations expanded) one field may join.
const MAX_PIECES: usize = 64;
/// How long one field may be.
const MAX_FIELD_KB: usize = 256;

/// The top-level `@` blocks of the file, each with the line it starts on. An `@type{`
/// at the start of a line starts a block even inside braces, so that an entry left
/// unclosed does not swallow the ones after it.
fn blocks(text: &str) -> Vec<(&str, usize)> {
    let opens_entry = |rest: &str| {
        let word = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        word > 0 && rest[word..].trim_start().starts_with(['{', '('])
    };
    let mut starts = Vec::new();
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, true);
    for (i, c) in text.char_indices() {
        match c {
            '@' if depth == 0 => starts.push((i, line)),
            '@' if line_start && opens_entry(&text[i + 1..]) => {
                depth = 0;
                starts.push((i, line));
            }
            '{' | '(' => depth += 1,
            '}' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        match c {
            '\n' => {
                line += 1;
                line_start = true;
            }
            ' ' | '\t' => {}
            _ => line_start = false,
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &(s, line))| {
            let end = starts.get(n + 1).map_or(text.len(), |&(e, _)| e);
            (&text[s..end], line)
        })
        .collect()
}

/// Whether a block is an `@what` block.
fn is(block: &str, what: &str) -> bool {
    block[1..]
        .trim_start()
        .get(..what.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(what))
}

/// The file's `@string` abbreviations by lowercased name, each expanded into the pieces
/// it stands for.
fn abbreviations<'s>(all: &[(&'s str, usize)]) -> HashMap<String, Field<'s>> {
    let mut known = HashMap::new();
    for (block, _) in all.iter().filter(|(b, _)| is(b, "string")) {
        let Ok(raw) = RawBibliography::parse(block) else {
            continue;
        };
        for pair in raw.abbreviations {
            let value = expand(&pair.value.v, &known);
            known.insert(pair.key.v.to_lowercase(), value);
        }
    }
    known
}

/// A field with the abbreviations it names replaced by what they stand for (a name not
/// defined is left for the reader: a month, or an error), at most one piece beyond
/// [`MAX_PIECES`] so that abbreviations built on each other cannot multiply.
fn expand<'s>(field: &Field<'s>, known: &HashMap<String, Field<'s>>) -> Field<'s> {
    let mut pieces = Vec::new();
    for chunk in field {
        let stands_for = match chunk.v {
            RawChunk::Abbreviation(name) => known.get(&name.to_lowercase()),
            RawChunk::Normal(_) => None,
        };
        match stands_for {
            Some(value) => pieces.extend(value.iter().cloned()),
            None => pieces.push(chunk.clone()),
        }
        if pieces.len() > MAX_PIECES {
            pieces.truncate(MAX_PIECES + 1);
            break;
        }
    }
    pieces
}

/// Why a field is more than the LaTeX reader should be given, if it is.
fn too_much(name: &str, field: &Field<'_>) -> Option<String> {
    if field.len() > MAX_PIECES {
        return Some(format!(
            "`{name}` joins more than {MAX_PIECES} pieces with `#`, the most that are read"
        ));
    }
    let texts = field.iter().filter_map(|c| match c.v {
        RawChunk::Normal(text) => Some(text),
        RawChunk::Abbreviation(_) => None,
    });
    let bytes: usize = texts.clone().map(str::len).sum();
    if bytes > MAX_FIELD_KB * 1024 {
        return Some(format!(
            "`{name}` is {} kB long; at most {MAX_FIELD_KB} kB are read",
            bytes / 1024
        ));
    }
    let (mut deepest, mut nested) = (0, 0);
    for text in texts {
        let (d, n) = braces(text);
        deepest = deepest.max(d);
        nested += n;
    }
    if deepest > MAX_DEPTH {
        Some(format!(
            "`{name}` has braces nested {deepest} deep; at most {MAX_DEPTH} are read"
        ))
    } else if nested > MAX_NESTED {
        Some(format!(
            "`{name}` has {nested} brace groups inside others; at most {MAX_NESTED} are read"
        ))
    } else {
        None
    }
}

/// How deep a field's braces nest, and how many groups open inside another (a
/// command's argument, as in `\"{o}`, and an escaped `\{` are not groups of their own).
fn braces(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut nested, mut i) = (0usize, 0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                let name = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count()
                    .max(1);
                let escaped = matches!(bytes.get(i + 1), Some(b'{' | b'}'));
                i += 1 + name;
                if !escaped && bytes.get(i) == Some(&b'{') {
                    depth += 1;
                    i += 1;
                }
            }
            b'{' => {
                nested += usize::from(depth > 0);
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
        deepest = deepest.max(depth);
    }
    (deepest, nested)
}

/// The entries of a BibTeX or BibLaTeX file.
pub fn read(text: &str) -> Vec<Entry> {
    let all = blocks(text);
    let known = abbreviations(&all);
    all.iter()
        .filter(|(b, _)| !is(b, "string") && !is(b, "comment") && !is(b, "preamble"))
        .map(|&(block, line)| {
            let key = block
                .split_once(['{', '('])
                .and_then(|(_, rest)| rest.split(',').next())
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty());
            let name = key.as_deref().map_or(String::new(), |k| format!(" `{k}`"));
            let source = entry(block, &known).map_err(|why| {
                format!("the entry{name} cannot be read ({why}); it was not imported")
            });
            match source {
                Ok((key, source)) => Entry {
                    key: Some(key),
                    line,
                    source: Ok(source),
                },
                Err(message) => Entry {
                    key,
                    line,
                    source: Err(message),
                },
            }
        })
        .collect()
}

/// One entry's key and source, from its block, or why it cannot be read.
fn entry(block: &str, known: &HashMap<String, Field<'_>>) -> Result<(String, NewSource), String> {
    let raw = RawBibliography::parse(block).map_err(|e| e.kind.to_string())?;
    let mut first = raw
        .entries
        .into_iter()
        .next()
        .ok_or("no entry could be read here")?;
    let mut fields = Vec::new();
    for pair in std::mem::take(&mut first.v.fields) {
        let name = pair.key.v.to_ascii_lowercase();
        if !USED.contains(&name.as_str()) {
            continue;
        }
        let value = expand(&pair.value.v, known);
        if let Some(why) = too_much(&name, &value) {
            return Err(why);
        }
        fields.push(Pair::new(pair.key, Spanned::new(value, pair.value.span)));
    }
    first.v.fields = fields;
    let bib = Bibliography::from_raw(RawBibliography {
        preamble: String::new(),
        entries: vec![first],
        abbreviations: Vec::new(),
    })
    .map_err(|e| e.kind.to_string())?;
    let entry = bib.iter().next().ok_or("no entry could be read here")?;
    Ok((entry.key.clone(), source(entry)))
}

/// The babel names `langid` uses that are not a language's English name.
const BABEL: [(&str, &str); 12] = [
    ("american", "en"),
    ("british", "en"),
    ("usenglish", "en"),
    ("ukenglish", "en"),
    ("australian", "en"),
    ("ngerman", "de"),
    ("austrian", "de"),
    ("naustrian", "de"),
    ("swissgerman", "de"),
    ("brazil", "pt"),
    ("farsi", "fa"),
    ("pinyin", "zh"),
];

/// A BibLaTeX language name (`french`, `english`, `ngerman`) as its ISO 639-1 code, or as
/// written when it is already a code or not a known name.
fn language_code(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    if let Some((_, code)) = BABEL.iter().find(|(n, _)| *n == lower) {
        return code.to_string();
    }
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

/// A BibTeX name as an author: a person in parts, or a name with no given name (an
/// organisation, usually written in braces) as written.
fn author(p: &biblatex::Person) -> Option<Author> {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let family = some(&p.name)?;
    if p.given_name.trim().is_empty() && p.prefix.trim().is_empty() && p.suffix.trim().is_empty() {
        return Some(crate::load::content::names::organisation(family));
    }
    Some(Author::Person(PersonName {
        family,
        given: some(&p.given_name),
        particle: some(&p.prefix),
        suffix: some(&p.suffix),
        family_first: false,
    }))
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
        .map(|people| people.iter().filter_map(author).collect())
        .unwrap_or_default();
    // `howpublished` is an address (`\url{…}`) or a notice of where it appeared.
    let howpublished = text("howpublished").map(|h| {
        h.strip_prefix("\\url{")
            .and_then(|u| u.strip_suffix('}'))
            .map_or(h.clone(), str::to_string)
    });
    let is_address = |s: &String| s.starts_with("https://") || s.starts_with("http://");
    let url = text("url").or_else(|| howpublished.clone().filter(is_address));
    let publisher = publisher.or_else(|| howpublished.filter(|h| !is_address(h)));
    let eprint_doi = text("eprint").filter(|e| {
        let kind = text("eprinttype").or_else(|| text("archiveprefix"));
        kind.is_some_and(|k| k.eq_ignore_ascii_case("doi")) || e.starts_with("10.")
    });
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
            crate::load::content::date::normalise_date(&c.format_verbatim())
        }
        Err(_) => None,
    };
    NewSource {
        title: text("title"),
        kind: kind(kind_name),
        publisher,
        published_by: None,
        authors,
        date: date(entry.date()),
        language: text("language")
            .or_else(|| text("langid"))
            .map(|l| language_code(&l)),
        url,
        archive_url: None,
        accessed: date(entry.url_date()),
        report_number: text("number"),
        doi: text("doi").or(eprint_doi),
        snapshot: None,
        note: "Imported from a BibTeX file with `dossier import`.".into(),
    }
}

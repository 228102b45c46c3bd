//! The full-text search index, written at build time to `/search-index/` as static JSON
//! files that the browser fetches only when someone searches, a few at a time:
//!
//! - `meta.json`: the index's version, the number of entries, how terms are sharded
//!   and which shards exist;
//! - `terms/<key>.json`: every term starting with `<key>` (its first one or two
//!   characters), each with the entries holding it (entry number × 2, plus 1 when the
//!   term is in the entry's title);
//! - `docs/<n>.json`: entries `n × 64` to `n × 64 + 63`: URL, title, kind and the
//!   start of their text, for showing results and the matched words.
//!
//! Terms are runs of letters and digits after folding (NFKC, lowercase, accents dropped),
//! and pairs of neighbouring characters in Chinese, Japanese and Korean text, exactly as
//! the browser's script splits a query (`dossier.js`: `fold`, `words`).
//! Building is linear in the text and runs in parallel.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::load::config::Settings;
use crate::render::i18n::Strings;
use crate::resolve::model::{Body, Dossier};

/// The folder of the index under the output root.
pub(crate) const BUNDLE_DIR: &str = crate::resolve::pages::SEARCH_DIR;

/// The layout of the index files; the theme's script checks it.
const VERSION: u32 = 1;

/// Entries per file of `docs/`.
const DOCS_PER_FILE: usize = 64;

/// The most of an entry's text that is indexed: a page longer than this (a whole
/// report pasted in) is found by its first megabyte.
const MAX_TEXT: usize = 1 << 20;

/// The most of an entry's text kept for showing matches.
const MAX_SHOWN: usize = 16 << 10;

/// Above this many entries, terms are sharded by two characters instead of one, so
/// that no shard grows large.
const TWO_CHAR_KEYS_FROM: usize = 2_000;

/// One entry to index.
struct Record {
    url: String,
    title: String,
    /// What the entry is, in the site's language: `claim`, `affirmation`…
    kind: String,
    text: String,
}

/// The text of rendered HTML: tags dropped and read as spaces, and the five entities
/// the Markdown renderer writes decoded.
pub(crate) fn text_of(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&rest[..lt], out);
        match rest[lt..].find('>') {
            Some(gt) => {
                out.push(' ');
                rest = &rest[lt + gt + 1..];
            }
            None => rest = "",
        }
    }
    push_decoded(rest, out);
}

fn push_decoded(text: &str, out: &mut String) {
    const ENTITIES: [(&str, char); 5] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
    ];
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let (ch, len) = ENTITIES
            .iter()
            .find(|(e, _)| tail.starts_with(e))
            .map_or(('&', 1), |(e, c)| (*c, e.len()));
        out.push(ch);
        rest = &tail[len..];
    }
    out.push_str(rest);
}

/// At most `max` bytes of `html`, ended before a tag so that no tag is cut in two.
fn cut(html: &str, max: usize) -> &str {
    if html.len() <= max {
        return html;
    }
    let mut end = max;
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    match html[..end].rfind('<') {
        Some(at) => &html[..at],
        None => &html[..end],
    }
}

/// At most `max` bytes of `text`, ended at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whether `c` is written without spaces between words: Chinese, Japanese, Korean.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff
        | 0xac00..=0xd7af | 0x1100..=0x11ff | 0x3130..=0x318f | 0x20000..=0x2fa1f)
}

/// `text` as the index and the search page compare it: Unicode NFKC (full-width forms,
/// ligatures, Arabic presentation forms), lowercase, letters without their accents (but
/// Cyrillic й and ї, which are letters of their own, kept), and in Arabic script as
/// Arabic search engines fold it: no vowel marks or tatweel, one alef for its forms
/// (أ إ آ ٱ), ta marbuta as heh, alef maqsura and the Persian yeh as yeh, the Persian kaf
/// as kaf, and Arabic-Indic and Persian digits as 0–9.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    // Normalisation changes no ASCII text.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let lower: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(lower.len());
    let mut base = '\0';
    for c in lower.nfd() {
        if is_combining_mark(c) {
            if matches!((base, c), ('и', '\u{306}') | ('і', '\u{308}')) {
                out.push(c);
            }
            continue;
        }
        base = c;
        if let Some(f) = fold_letter(c) {
            out.push(f);
        }
    }
    out.nfc().collect()
}

/// What a letter is searched as, beyond case and accents: Arabic script's variants as
/// one letter, its digits as 0–9, and nothing for the tatweel (a stretching stroke).
fn fold_letter(c: char) -> Option<char> {
    Some(match c {
        '\u{640}' => return None,
        '\u{671}' => 'ا',
        'ى' | 'ی' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
        '\u{6f0}'..='\u{6f9}' => char::from(b'0' + (c as u32 - 0x6f0) as u8),
        c => c,
    })
}

/// The terms of a text, folded: runs of letters and digits, and in Chinese, Japanese
/// and Korean text, which has no spaces between words, each pair of neighbouring
/// characters (a lone character on its own), so that a word inside a clause is found.
fn terms(text: &str) -> impl Iterator<Item = String> {
    let folded = fold(text);
    let mut out: Vec<String> = Vec::new();
    for run in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if run.is_ascii() || !run.chars().any(is_cjk) {
            out.push(run.to_string());
            continue;
        }
        let chars: Vec<char> = run.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let cjk = is_cjk(chars[i]);
            let end = (i..chars.len())
                .find(|&j| is_cjk(chars[j]) != cjk)
                .unwrap_or(chars.len());
            let part = &chars[i..end];
            if !cjk || part.len() == 1 {
                out.push(part.iter().collect());
            } else {
                out.extend(part.windows(2).map(|w| w.iter().collect::<String>()));
            }
            i = end;
        }
    }
    out.into_iter()
}

/// The shard of a term: its first `chars` characters, each a lowercase ASCII letter or
/// digit as it is, any other as `x` and its code point in hex and `_` (so `中` is `x4e2d_`).
fn shard_key(term: &str, chars: usize) -> String {
    let mut key = String::new();
    for c in term.chars().take(chars) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else {
            key.push_str(&format!("x{:x}_", c as u32));
        }
    }
    key
}

/// A record for one entry: its text is the lines given, then the body's text.
fn record(
    kind: &str,
    title: &str,
    url: &str,
    base_path: &str,
    lines: &[String],
    body: &Body,
) -> Record {
    let html = cut(&body.rendered.html, MAX_TEXT);
    let mut text = String::with_capacity(html.len() + 200);
    for line in lines {
        // Strings shown in English are marked for pages; the index holds them plain.
        match crate::render::i18n::markers::any(line) {
            true => text.push_str(&crate::render::i18n::markers::strip(line)),
            false => text.push_str(line),
        }
        if !line.ends_with(['.', '!', '?']) {
            text.push('.');
        }
        text.push(' ');
    }
    text_of(html, &mut text);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Result links are made relative to the site's root by the script, which knows
    // where the site is served; the index holds URLs without the path prefix.
    let url = url.strip_prefix(base_path).unwrap_or(url);
    Record {
        url: url.to_string(),
        title: title.to_string(),
        kind: crate::render::i18n::markers::strip(kind),
        text,
    }
}

/// Every claim, source, actor, plain page and event as a record, in that order.
fn records(d: &Dossier, settings: &Settings, w: &Strings) -> Vec<Record> {
    let base = &settings.base_path;
    let names = |ids: &[usize]| -> String {
        ids.iter()
            .map(|&a| d.actors[a].meta.title.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let claims = d.claims.par_iter().map(|c| {
        let mut lines = vec![format!(
            "{} {}, {}",
            w.tr("Claimed by"),
            names(&c.claimants),
            w.date(&c.meta.date)
        )];
        lines.extend(c.meta.summary.clone());
        if let Some(a) = &c.meta.assessment {
            lines.push(a.rating.clone());
            lines.extend(a.summary.clone());
        }
        for cit in &c.meta.citations {
            lines.extend(cit.quote.clone());
            lines.extend(cit.quote_translation.clone());
        }
        record(w.tr("claim"), &c.meta.title, &c.url, base, &lines, &c.body)
    });
    let sources = d.sources.par_iter().map(|s| {
        let mut lines: Vec<String> = s.meta.publisher.iter().cloned().collect();
        lines.extend(s.meta.authors.iter().map(|a| a.display()));
        lines.extend(s.meta.title_translation.clone());
        record(w.tr("source"), &s.meta.title, &s.url, base, &lines, &s.body)
    });
    let events = d.events.par_iter().map(|e| {
        let mut lines = vec![w.date(&e.meta.date)];
        lines.extend(e.meta.place.clone());
        lines.extend(e.meta.summary.clone());
        record(w.tr("event"), &e.meta.title, &e.url, base, &lines, &e.body)
    });
    let actors = d.actors.par_iter().map(|a| {
        record(
            w.tr("actor"),
            &a.meta.title,
            &a.url,
            base,
            &a.meta.aliases,
            &a.body,
        )
    });
    let pages = d.pages.par_iter().map(|p| {
        let lines: Vec<String> = p.meta.description.iter().cloned().collect();
        record(w.tr("page"), &p.meta.title, &p.url, base, &lines, &p.body)
    });
    let mut out: Vec<Record> = claims.collect();
    out.extend(sources.collect::<Vec<_>>());
    out.extend(actors.collect::<Vec<_>>());
    out.extend(pages.collect::<Vec<_>>());
    out.extend(events.collect::<Vec<_>>());
    out
}

#[derive(Serialize)]
struct Meta {
    version: u32,
    entries: usize,
    docs_per_file: usize,
    key_chars: usize,
    shards: Vec<String>,
}

#[derive(Serialize)]
struct Doc<'a> {
    url: &'a str,
    title: &'a str,
    kind: &'a str,
    text: &'a str,
}

/// Makes the files of the search index, handing each to `emit` with its output-relative
/// path as soon as it is made.
pub fn index(
    d: &Dossier,
    settings: &Settings,
    w: &Strings,
    emit: &(dyn Fn(String, Vec<u8>) + Sync),
) {
    let records = records(d, settings, w);
    let key_chars = if records.len() >= TWO_CHAR_KEYS_FROM {
        2
    } else {
        1
    };
    // Each entry's distinct terms, marked when in its title: found in parallel, a batch
    // of entries at a time so that only one batch's term sets are held at once.
    let mut postings: FxHashMap<String, Vec<u32>> = FxHashMap::default();
    for (b, batch) in records.chunks(512).enumerate() {
        let sets: Vec<FxHashMap<String, bool>> = batch
            .par_iter()
            .map(|r| {
                let mut seen: FxHashMap<String, bool> = FxHashMap::default();
                for t in terms(&r.text) {
                    seen.entry(t).or_insert(false);
                }
                for t in terms(&r.title) {
                    seen.insert(t, true);
                }
                seen
            })
            .collect();
        for (k, seen) in sets.into_iter().enumerate() {
            let n = (b * 512 + k) as u32;
            for (term, in_title) in seen {
                postings
                    .entry(term)
                    .or_default()
                    .push(n * 2 + u32::from(in_title));
            }
        }
    }
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for (term, list) in postings {
        shards
            .entry(shard_key(&term, key_chars))
            .or_default()
            .insert(term, list);
    }
    let dir = BUNDLE_DIR;
    shards.par_iter().for_each(|(key, terms)| {
        let bytes = serde_json::to_vec(terms).unwrap_or_default();
        emit(format!("{dir}/terms/{key}.json"), bytes);
    });
    records
        .par_chunks(DOCS_PER_FILE)
        .enumerate()
        .for_each(|(n, chunk)| {
            let docs: Vec<Doc> = chunk
                .iter()
                .map(|r| Doc {
                    url: &r.url,
                    title: &r.title,
                    kind: &r.kind,
                    text: prefix(&r.text, MAX_SHOWN),
                })
                .collect();
            let bytes = serde_json::to_vec(&docs).unwrap_or_default();
            emit(format!("{dir}/docs/{n}.json"), bytes);
        });
    let meta = Meta {
        version: VERSION,
        entries: records.len(),
        docs_per_file: DOCS_PER_FILE,
        key_chars,
        shards: shards.into_keys().collect(),
    };
    emit(
        format!("{dir}/meta.json"),
        serde_json::to_vec(&meta).unwrap_or_default(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bodies_are_cut_before_a_tag() {
        assert_eq!(cut("<p>short</p>", 100), "<p>short</p>");
        assert_eq!(cut("<p>one</p><p>two</p>", 14), "<p>one</p>");
        assert_eq!(cut("ééé", 3), "é");
        assert_eq!(prefix("ééé", 3), "é");
    }

    #[test]
    fn text_drops_tags_and_decodes_entities() {
        let mut t = String::new();
        text_of(
            "<p>A &amp; B &lt;c&gt; &quot;d&quot; &#39;e&#39; &nbsp;</p><p>x</p>",
            &mut t,
        );
        assert_eq!(t, " A & B <c> \"d\" 'e' &nbsp;  x ");
    }

    #[test]
    fn cyrillic_and_arabic_script_fold_as_their_search_engines_do() {
        let pairs = [
            ("ЁЛКА Ёж", "елка еж"),
            ("Йод Їжак", "йод їжак"),
            ("الأمن إيران آسيا ٱلله", "الامن ايران اسيا الله"),
            ("مدرسة مستشفى", "مدرسه مستشفي"),
            ("كَتَبَ عـربي", "كتب عربي"),
            ("ایران کتاب", "ايران كتاب"),
            ("٢٠٢٤ ۱۴۰۳", "2024 1403"),
        ];
        for (text, folded) in pairs {
            assert_eq!(fold(text), folded, "{text}");
        }
    }

    #[test]
    fn terms_and_shard_keys() {
        let t: Vec<String> = terms("Volt-Typhoon's KV botnet, 2024; 中国").collect();
        assert_eq!(t, ["volt", "typhoon", "s", "kv", "botnet", "2024", "中国"]);
        let t: Vec<String> = terms("Désinformation ＡＢＣ 伏特台风是一个").collect();
        assert_eq!(
            t,
            [
                "desinformation",
                "abc",
                "伏特",
                "特台",
                "台风",
                "风是",
                "是一",
                "一个"
            ]
        );
        let t: Vec<String> = terms("報告書によると").collect();
        assert_eq!(t, ["報告", "告書", "書に", "によ", "よる", "ると"]);
        assert_eq!(shard_key("volt", 2), "vo");
        assert_eq!(shard_key("volt", 1), "v");
        assert_eq!(shard_key("中国", 2), "x4e2d_x56fd_");
        assert_eq!(shard_key("é", 2), "xe9_");
    }
}

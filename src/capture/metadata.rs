//! What a captured page says about itself. Each key is taken from the most trusted
//! vocabulary that gives it: Highwire `citation_*` tags, then schema.org JSON-LD, then
//! Dublin Core, then OpenGraph, then the page's `<title>` and `<html lang>`.

use serde_json::Value;

/// The keys a capture can fill, each with the vocabulary it came from.
#[derive(Debug, Default, PartialEq)]
pub struct Metadata {
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub authors: Vec<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
    pub language: Option<String>,
    /// The page's `rel=canonical` address, made absolute.
    pub canonical: Option<String>,
    /// What kind of source the page says it is (`article`, `report`), if it says.
    pub kind: Option<&'static str>,
}

/// What one page's tags say, before choosing among vocabularies.
#[derive(Default)]
struct Tags {
    /// `<meta name|property=… content=…>`, names lowercased, in order.
    meta: Vec<(String, String)>,
    /// The JSON-LD objects of a creative-work type.
    works: Vec<Value>,
    title: Option<String>,
    lang: Option<String>,
    canonical: Option<String>,
}

impl Tags {
    fn all(&self, names: &[&str]) -> Vec<String> {
        names
            .iter()
            .flat_map(|n| {
                self.meta
                    .iter()
                    .filter(move |(k, _)| k == n)
                    .map(|(_, v)| v.clone())
            })
            .filter(|v| !v.is_empty())
            .collect()
    }

    fn first(&self, names: &[&str]) -> Option<String> {
        self.all(names).into_iter().next()
    }

    /// The first JSON-LD work's value of `key`, as text.
    fn work(&self, key: &str, read: fn(&Value) -> Vec<String>) -> Vec<String> {
        self.works
            .iter()
            .map(|w| w.get(key).map(read).unwrap_or_default())
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    }
}

/// The schema.org types whose JSON-LD describes the page itself.
const WORK_TYPES: [&str; 12] = [
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BlogPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
    "WebPage",
    "CreativeWork",
    "GovernmentService",
];

/// Reads `html`, fetched from `base` (where redirects ended).
pub fn read(html: &str, base: &str) -> Metadata {
    let tags = scan(html);
    let citation_date = tags.first(&[
        "citation_publication_date",
        "citation_date",
        "citation_online_date",
    ]);
    let title = tags
        .first(&["citation_title"])
        .or_else(|| tags.work("headline", texts).into_iter().next())
        .or_else(|| tags.work("name", texts).into_iter().next())
        .or_else(|| tags.first(&["dc.title", "dcterms.title"]))
        .or_else(|| tags.first(&["og:title", "twitter:title"]))
        .or_else(|| tags.title.clone());
    let mut authors = tags.all(&["citation_author"]);
    if authors.is_empty() {
        authors = tags.work("author", names);
    }
    if authors.is_empty() {
        authors = tags.all(&["dc.creator", "dcterms.creator"]);
    }
    if authors.is_empty() {
        authors = tags.all(&["author"]);
    }
    let date = citation_date
        .into_iter()
        .chain(tags.work("datePublished", texts))
        .chain(tags.all(&[
            "dc.date",
            "dcterms.issued",
            "dcterms.date",
            "dcterms.created",
        ]))
        .chain(tags.all(&["article:published_time", "og:published_time"]))
        .find_map(|d| crate::load::content::date::normalise_date(&d));
    let site_name = tags.first(&["og:site_name", "application-name"]);
    let publisher = tags
        .first(&[
            "citation_publisher",
            "citation_technical_report_institution",
        ])
        .or_else(|| tags.work("publisher", names).into_iter().next())
        .or_else(|| tags.first(&["dc.publisher", "dcterms.publisher"]))
        .or_else(|| site_name.clone());
    let (title, site_part) = match title.map(|t| collapse(&t)) {
        Some(t) => {
            let known: Vec<&str> = site_name
                .iter()
                .chain(&publisher)
                .map(String::as_str)
                .collect();
            let (t, cut) = without_site_name(&t, &known, &host_label(base));
            (Some(t), cut)
        }
        None => (None, None),
    };
    let publisher = publisher.or(site_part);
    let language = tags
        .first(&["citation_language"])
        .or_else(|| tags.work("inLanguage", texts).into_iter().next())
        .or_else(|| tags.first(&["dc.language", "dcterms.language"]))
        .or_else(|| tags.first(&["og:locale"]).map(|l| l.replace('_', "-")))
        .or_else(|| tags.lang.clone());
    let kind = if tags.first(&["citation_technical_report_number"]).is_some()
        || tags.works.iter().any(|w| has_type(w, &["Report"]))
    {
        Some("report")
    } else if tags.first(&["citation_journal_title"]).is_some()
        || tags.works.iter().any(|w| {
            has_type(w, &WORK_TYPES[..6]) || has_type(w, &["ScholarlyArticle", "TechArticle"])
        })
        || tags.first(&["og:type"]).as_deref() == Some("article")
    {
        Some("article")
    } else {
        None
    };
    Metadata {
        title,
        publisher: publisher.map(|p| collapse(&p)),
        authors: dedup(
            authors
                .iter()
                .map(|a| reading_order(&collapse(a)))
                .collect(),
        ),
        date,
        language: language.map(|l| l.trim().to_string()),
        canonical: tags
            .canonical
            .as_deref()
            .and_then(|c| absolute(base, c))
            .filter(|c| crate::base::address::is_http(c)),
        kind,
    }
}

/// Collects the tags metadata is read from.
fn scan(html: &str) -> Tags {
    use html5gum::{DefaultEmitter, Token, Tokenizer};
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut tags = Tags::default();
    let mut in_title = false;
    let mut json_ld: Option<String> = None;
    let attr = |t: &html5gum::StartTag<()>, name: &[u8]| {
        t.attributes
            .get(name)
            .map(|v| String::from_utf8_lossy(v).trim().to_string())
    };
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(t) => match &**t.name {
                b"html" => tags.lang = attr(&t, b"lang").filter(|l| !l.is_empty()),
                b"title" if tags.title.is_none() => in_title = true,
                b"meta" => {
                    let name = attr(&t, b"name").or_else(|| attr(&t, b"property"));
                    if let (Some(name), Some(content)) = (name, attr(&t, b"content")) {
                        tags.meta.push((name.to_ascii_lowercase(), content));
                    }
                }
                b"link" => {
                    let rel = attr(&t, b"rel").unwrap_or_default().to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") && tags.canonical.is_none()
                    {
                        tags.canonical = attr(&t, b"href");
                    }
                }
                b"script" => {
                    let ty = attr(&t, b"type").unwrap_or_default().to_ascii_lowercase();
                    if ty == "application/ld+json" {
                        json_ld = Some(String::new());
                    }
                }
                _ => {}
            },
            Token::String(s) => {
                let text = String::from_utf8_lossy(&s.value);
                if in_title {
                    tags.title.get_or_insert_with(String::new).push_str(&text);
                } else if let Some(j) = json_ld.as_mut() {
                    j.push_str(&text);
                }
            }
            Token::EndTag(t) => match &**t.name {
                b"title" => in_title = false,
                b"script" => {
                    if let Some(j) = json_ld.take()
                        && let Ok(value) = serde_json::from_str::<Value>(&j)
                    {
                        collect_works(&value, &mut tags.works);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    tags.title = tags.title.filter(|t| !t.trim().is_empty());
    tags
}

/// The creative works in a JSON-LD value: itself, the items of an array or `@graph`.
fn collect_works(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_works(v, out)),
        Value::Object(map) => {
            if let Some(graph) = map.get("@graph") {
                collect_works(graph, out);
            }
            if has_type(value, &WORK_TYPES) {
                out.push(value.clone());
            }
        }
        _ => {}
    }
}

fn has_type(value: &Value, types: &[&str]) -> bool {
    match value.get("@type") {
        Some(Value::String(t)) => types.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| types.contains(&t))),
        _ => false,
    }
}

/// A JSON-LD value as text: a string, or each string of an array.
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(texts).collect(),
        Value::Object(o) => o.get("@value").map(texts).unwrap_or_default(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.trim().is_empty())
    .collect()
}

/// The names in a JSON-LD `author` or `publisher`: strings, or objects' `name`.
fn names(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().flat_map(names).collect(),
        Value::Object(o) => o.get("name").map(texts).unwrap_or_default(),
        other => texts(other),
    }
}

/// A person's name written `Family, Given` (as Highwire tags and many bylines give it)
/// turned to `Given Family`; any other name as it is.
pub(crate) fn reading_order(name: &str) -> String {
    use crate::load::content::names::{looks_like_person, person_parts};
    if name.matches(',').count() != 1 || !looks_like_person(name) {
        return name.to_string();
    }
    person_parts(name).map_or_else(
        || name.to_string(),
        |p| crate::load::content::names::Author::Person(p).display(),
    )
}

/// The first label of an address's host that names the site (`politi` for
/// `https://www.politi.dk/…`), lowercased.
fn host_label(base: &str) -> String {
    let host = base.split_once("://").map_or(base, |(_, r)| r);
    let host = host.split(['/', ':', '?', '#']).next().unwrap_or_default();
    let mut labels = host.split('.').filter(|l| !l.is_empty()).peekable();
    if labels.peek() == Some(&"www") {
        labels.next();
    }
    labels.next().unwrap_or_default().to_ascii_lowercase()
}

/// Letters and digits only, lowercased: how two spellings of a site's name are compared.
fn folded(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Separators between a page's title and its site's name, as `<title>`s write them.
const SEPARATORS: [&str; 5] = [" | ", " · ", " – ", " — ", " - "];

/// The title without the site's name that pages add to it (`Closure of the
/// investigation | Copenhagen Police`), and the part cut. A part is cut when it is one of
/// the `known` names (`og:site_name`, the publisher), when it names the host, or, after a
/// `|` or `·` (which headlines do not use), when it is the last part; a title that is
/// nothing but such parts is kept whole.
fn without_site_name(title: &str, known: &[&str], host: &str) -> (String, Option<String>) {
    let names = |part: &str| {
        let f = folded(part);
        !f.is_empty()
            && (known.iter().any(|k| folded(k) == f)
                || (host.len() >= 4 && (f == host || f.strip_prefix("the") == Some(host))))
    };
    for sep in SEPARATORS {
        if let Some((rest, last)) = title.rsplit_once(sep)
            && !rest.trim().is_empty()
            && !last.trim().is_empty()
            && (names(last)
                || (matches!(sep, " | " | " · ") && last.split_whitespace().count() <= 6))
        {
            let (rest, _) = without_site_name(rest.trim(), known, host);
            return (rest, Some(last.trim().to_string()));
        }
        if let Some((first, rest)) = title.split_once(sep)
            && !rest.trim().is_empty()
            && names(first)
        {
            return (rest.trim().to_string(), Some(first.trim().to_string()));
        }
    }
    (title.to_string(), None)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
    v
}

/// Whether `href` starts with a scheme (RFC 3986, 3.1: a letter, then letters, digits,
/// `+`, `-` or `.`, then `:`), as `file:`, `ftp:` or `mailto:` do: it is absolute, not a
/// path on the same server.
fn has_scheme(href: &str) -> bool {
    let Some((scheme, _)) = href.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `href` resolved against `base` (an address with another scheme is returned as it is,
/// for the caller to refuse).
pub fn absolute(base: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let (scheme, rest) = base.split_once("://")?;
    let origin_end = rest.find('/').unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..origin_end]);
    let joined = if href.starts_with("http://") || href.starts_with("https://") || has_scheme(href)
    {
        href.to_string()
    } else if let Some(r) = href.strip_prefix("//") {
        format!("{scheme}://{r}")
    } else if href.starts_with('/') {
        format!("{origin}{href}")
    } else if href.is_empty() {
        return None;
    } else {
        let path = &rest[origin_end..];
        let path = path.split(['?', '#']).next().unwrap_or("");
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let dir = if dir.is_empty() { "/" } else { dir };
        format!("{origin}{dir}{href}")
    };
    Some(joined)
}

#[cfg(test)]
mod tests {

    #[test]
    fn cuts_the_sites_name_the_host_or_a_bar_says() {
        let cut =
            |t: &str, known: &[&str], base: &str| without_site_name(t, known, &host_label(base));
        assert_eq!(
            cut(
                "China says claims are false - Reuters",
                &[],
                "https://www.reuters.com/x"
            ),
            ("China says claims are false".into(), Some("Reuters".into()))
        );
        assert_eq!(
            cut(
                "The Guardian - Pipelines under the sea",
                &[],
                "https://theguardian.com/"
            ),
            (
                "Pipelines under the sea".into(),
                Some("The Guardian".into())
            )
        );
        // A hyphen in a headline is not a separator unless a name says so.
        assert_eq!(
            cut("Nord Stream - what we know", &[], "https://example.org/"),
            ("Nord Stream - what we know".into(), None)
        );
        assert_eq!(cut("Only | ", &[], "https://a.org/").1, None);
        assert_eq!(host_label("https://www.politi.dk/en"), "politi");
    }

    use super::*;

    #[test]
    fn relative_addresses_resolve() {
        let base = "https://news.test/a/b/page.html?x=1";
        assert_eq!(absolute(base, "/c").as_deref(), Some("https://news.test/c"));
        assert_eq!(
            absolute(base, "d.html").as_deref(),
            Some("https://news.test/a/b/d.html")
        );
        assert_eq!(
            absolute(base, "//cdn.test/e").as_deref(),
            Some("https://cdn.test/e")
        );
    }
}

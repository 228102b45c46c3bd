//! The dossier as data for other tools and publishers: `/dossier.json`,
//! `/bibliography.json` (CSL-JSON) and the schema.org JSON-LD of claim pages.

use serde::Serialize;
use serde_json::json;

use crate::config::Settings;
use crate::content::date::PartialDate;
use crate::content::meta::{ActorKind, ActorMeta, Citation, SourceKind, SourceMeta};
use crate::model::Dossier;
use crate::provenance::Evidence;

/// The version of the `/dossier.json` layout; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Export<'a> {
    schema_version: u32,
    generator: &'static str,
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    claims: Vec<ClaimOut<'a>>,
    sources: Vec<SourceOut<'a>>,
    actors: Vec<ActorOut<'a>>,
    events: Vec<EventOut<'a>>,
    relations: Vec<Relation<'a>>,
}

#[derive(Serialize)]
struct EventOut<'a> {
    id: &'a str,
    page_url: String,
    title: &'a str,
    date: String,
    end: Option<String>,
    place: Option<&'a str>,
    summary: Option<&'a str>,
    sources: &'a [String],
    claims: Vec<&'a str>,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    id: &'a str,
    page_url: String,
    title: &'a str,
    date: String,
    status: &'static str,
    claimants: &'a [String],
    disputes: &'a [String],
    supports: &'a [String],
    disputed_by: Vec<&'a str>,
    supported_by: Vec<&'a str>,
    citations: Vec<CitationOut<'a>>,
    cited_in_body: Vec<BodyCitation<'a>>,
    assessment: Option<&'a crate::content::meta::Assessment>,
    tags: &'a [String],
    summary: Option<&'a str>,
    about: &'a [String],
    evidence: Evidence,
}

#[derive(Serialize)]
struct CitationOut<'a> {
    #[serde(flatten)]
    citation: &'a Citation,
    /// For a quote: whether it was found in a local snapshot of the source.
    quote_verified: Option<bool>,
}

#[derive(Serialize)]
struct BodyCitation<'a> {
    source: &'a str,
    locators: &'a [String],
}

#[derive(Serialize)]
struct SourceOut<'a> {
    id: &'a str,
    page_url: String,
    #[serde(flatten)]
    meta: &'a SourceMeta,
    /// The snapshot's path under `content/`, if the source has one.
    snapshot: Option<&'a str>,
    cited_by: Vec<&'a str>,
}

#[derive(Serialize)]
struct ActorOut<'a> {
    id: &'a str,
    page_url: String,
    #[serde(flatten)]
    meta: &'a ActorMeta,
    claims: Vec<&'a str>,
    sources: Vec<&'a str>,
}

#[derive(Serialize)]
struct Relation<'a> {
    from: &'a str,
    kind: &'static str,
    to: &'a str,
}

/// Writes `/dossier.json`, the dossier as pretty JSON, into `out` as it is serialised (a
/// large dossier's runs to tens of megabytes).
pub fn write_dossier_json(
    d: &Dossier,
    settings: &Settings,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let permalink = |url: &str| settings.absolute(url);
    let mut relations = Vec::new();
    for c in &d.claims {
        relations.extend(c.meta.claimants.iter().map(|a| Relation {
            from: &c.id,
            kind: "claimed_by",
            to: a,
        }));
        relations.extend(c.meta.disputes.iter().map(|t| Relation {
            from: &c.id,
            kind: "disputes",
            to: t,
        }));
        relations.extend(c.meta.supports.iter().map(|t| Relation {
            from: &c.id,
            kind: "supports",
            to: t,
        }));
        relations.extend(c.body.references.iter().map(|r| Relation {
            from: &c.id,
            kind: "cites",
            to: &d.sources[r.source].id,
        }));
        relations.extend(c.meta.about.iter().map(|e| Relation {
            from: &c.id,
            kind: "about",
            to: e,
        }));
    }
    for e in &d.events {
        relations.extend(e.meta.sources.iter().map(|s| Relation {
            from: &e.id,
            kind: "documented_by",
            to: s,
        }));
    }
    for s in &d.sources {
        if let Some(a) = &s.meta.published_by {
            relations.push(Relation {
                from: &s.id,
                kind: "published_by",
                to: a,
            });
        }
    }
    let export = Export {
        schema_version: SCHEMA_VERSION,
        generator: concat!("dossier ", env!("CARGO_PKG_VERSION")),
        title: &settings.config.title,
        description: settings.config.description.as_deref(),
        base_url: &settings.base_url,
        claims: d
            .claims
            .iter()
            .map(|c| ClaimOut {
                id: &c.id,
                page_url: permalink(&c.url),
                title: &c.meta.title,
                date: c.meta.date.to_string(),
                status: c.meta.status.as_str(),
                claimants: &c.meta.claimants,
                disputes: &c.meta.disputes,
                supports: &c.meta.supports,
                disputed_by: c
                    .disputed_by
                    .iter()
                    .map(|&i| d.claims[i].id.as_str())
                    .collect(),
                supported_by: c
                    .supported_by
                    .iter()
                    .map(|&i| d.claims[i].id.as_str())
                    .collect(),
                citations: c
                    .meta
                    .citations
                    .iter()
                    .zip(crate::provenance::quote_checks(d, c))
                    .map(|(citation, quote_verified)| CitationOut {
                        citation,
                        quote_verified,
                    })
                    .collect(),
                cited_in_body: c
                    .body
                    .rendered
                    .cited
                    .iter()
                    .map(|x| BodyCitation {
                        source: &x.source,
                        locators: &x.locators,
                    })
                    .collect(),
                assessment: c.meta.assessment.as_ref(),
                tags: &c.meta.tags,
                summary: c.meta.summary.as_deref(),
                about: &c.meta.about,
                evidence: crate::provenance::evidence(d, c),
            })
            .collect(),
        sources: d
            .sources
            .iter()
            .map(|s| SourceOut {
                id: &s.id,
                page_url: permalink(&s.url),
                meta: &s.meta,
                snapshot: s.snapshot.as_ref().map(|x| x.content_path.as_str()),
                cited_by: s
                    .cited_by
                    .iter()
                    .map(|&i| d.claims[i].id.as_str())
                    .collect(),
            })
            .collect(),
        actors: d
            .actors
            .iter()
            .map(|a| ActorOut {
                id: &a.id,
                page_url: permalink(&a.url),
                meta: &a.meta,
                claims: a.claims.iter().map(|&i| d.claims[i].id.as_str()).collect(),
                sources: a
                    .sources
                    .iter()
                    .map(|&i| d.sources[i].id.as_str())
                    .collect(),
            })
            .collect(),
        events: d
            .events
            .iter()
            .map(|e| EventOut {
                id: &e.id,
                page_url: permalink(&e.url),
                title: &e.meta.title,
                date: e.meta.date.to_string(),
                end: e.meta.end.map(|x| x.to_string()),
                place: e.meta.place.as_deref(),
                summary: e.meta.summary.as_deref(),
                sources: &e.meta.sources,
                claims: e.claims.iter().map(|&i| d.claims[i].id.as_str()).collect(),
            })
            .collect(),
        relations,
    };
    serde_json::to_writer_pretty(&mut *out, &export)?;
    out.write_all(b"\n")
}

/// The CSL-JSON item type and genre of a kind of source.
fn csl_type(kind: Option<SourceKind>) -> (&'static str, Option<&'static str>) {
    match kind {
        Some(SourceKind::Report) => ("report", None),
        Some(SourceKind::Advisory) => ("report", Some("Advisory")),
        Some(SourceKind::Article) => ("article", None),
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
                item.insert("publisher".into(), json!(p));
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
            let mut notes = Vec::new();
            if let Some(t) = &m.title_translation {
                notes.push(format!("Title in translation: {t}"));
            }
            if let Some(a) = &m.archive_url {
                notes.push(format!("Archived copy: {a}"));
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

/// The schema.org type of an actor.
fn actor_type(kind: Option<ActorKind>) -> &'static str {
    match kind {
        Some(
            ActorKind::Government | ActorKind::Agency | ActorKind::Court | ActorKind::Legislature,
        ) => "GovernmentOrganization",
        Some(ActorKind::Company) => "Corporation",
        Some(ActorKind::Media) => "NewsMediaOrganization",
        Some(ActorKind::Person) => "Person",
        _ => "Organization",
    }
}

/// A schema.org person or organisation.
#[derive(Serialize)]
struct Agent<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(rename = "sameAs", skip_serializing_if = "Option::is_none")]
    same_as: Option<&'a str>,
}

/// A source as a schema.org creative work.
#[derive(Serialize)]
struct Work<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Agent<'a>>,
}

#[derive(Serialize)]
struct ClaimLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(rename = "datePublished")]
    date_published: String,
    author: Vec<Agent<'a>>,
    #[serde(rename = "firstAppearance", skip_serializing_if = "Option::is_none")]
    first_appearance: Option<Work<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    appearance: Vec<Work<'a>>,
}

#[derive(Serialize)]
struct ItemRef<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
}

#[derive(Serialize)]
struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
}

#[derive(Serialize)]
struct ReviewLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "itemReviewed")]
    item_reviewed: ItemRef<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: Rating<'a>,
    #[serde(rename = "reviewBody", skip_serializing_if = "Option::is_none")]
    review_body: Option<&'a str>,
    author: Agent<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Node<'a> {
    Claim(Box<ClaimLd<'a>>),
    Review(Box<ReviewLd<'a>>),
}

#[derive(Serialize)]
struct Graph<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<Node<'a>>,
}

/// A source as a schema.org creative work.
fn creative_work<'a>(d: &'a Dossier, settings: &Settings, i: usize) -> Work<'a> {
    let s = &d.sources[i];
    let kind = match s.meta.kind {
        Some(SourceKind::Report | SourceKind::Advisory) => "Report",
        Some(SourceKind::Article) => "Article",
        Some(SourceKind::Dataset) => "Dataset",
        Some(SourceKind::Post) => "SocialMediaPosting",
        _ => "CreativeWork",
    };
    let publisher = match (s.published_by, &s.meta.publisher) {
        (Some(a), _) => Some(d.actors[a].meta.title.as_str()),
        (None, Some(p)) => Some(p.as_str()),
        _ => None,
    };
    Work {
        kind,
        name: &s.meta.title,
        url: s
            .meta
            .url
            .clone()
            .unwrap_or_else(|| settings.absolute(&s.url)),
        date_published: s.meta.date.map(|d| d.to_string()),
        publisher: publisher.map(|name| Agent {
            kind: "Organization",
            name,
            url: None,
            same_as: None,
        }),
    }
}

/// The schema.org JSON-LD of a claim page, ready for a `<script>` element: a `Claim`
/// with its authors (the claimants), date and appearances, and a `ClaimReview` when the
/// claim has an assessment. Its appearances are the cited sources published by one of
/// its claimants, or every cited source when none is; the first appearance is the
/// earliest of them.
pub fn claim_jsonld(d: &Dossier, settings: &Settings, i: usize) -> String {
    let c = &d.claims[i];
    let page = settings.absolute(&c.url);
    let id = format!("{page}#claim");
    let author = c
        .claimants
        .iter()
        .map(|&a| {
            let actor = &d.actors[a];
            Agent {
                kind: actor_type(actor.meta.kind),
                name: &actor.meta.title,
                url: Some(settings.absolute(&actor.url)),
                same_as: actor.meta.url.as_deref(),
            }
        })
        .collect();
    let cited: Vec<usize> = c.body.references.iter().map(|r| r.source).collect();
    let own: Vec<usize> = cited
        .iter()
        .copied()
        .filter(|&s| {
            d.sources[s]
                .published_by
                .is_some_and(|a| c.claimants.contains(&a))
        })
        .collect();
    let mut appearances = if own.is_empty() { cited } else { own };
    appearances.sort_by_key(|&s| (d.sources[s].meta.date.is_none(), d.sources[s].meta.date));
    let mut graph = vec![Node::Claim(Box::new(ClaimLd {
        kind: "Claim",
        id: id.clone(),
        name: &c.meta.title,
        url: &page,
        text: c.meta.summary.as_deref(),
        date_published: c.meta.date.to_string(),
        author,
        first_appearance: appearances.first().map(|&s| creative_work(d, settings, s)),
        appearance: appearances
            .iter()
            .map(|&s| creative_work(d, settings, s))
            .collect(),
    }))];
    if let Some(a) = &c.meta.assessment {
        graph.push(Node::Review(Box::new(ReviewLd {
            kind: "ClaimReview",
            url: &page,
            claim_reviewed: &c.meta.title,
            item_reviewed: ItemRef { id: &id },
            review_rating: Rating {
                kind: "Rating",
                alternate_name: &a.rating,
            },
            review_body: a.summary.as_deref(),
            author: Agent {
                kind: "Organization",
                name: &settings.config.title,
                url: Some(settings.base_url.clone()),
                same_as: None,
            },
        })));
    }
    let json = serde_json::to_string(&Graph {
        context: "https://schema.org",
        graph,
    })
    .unwrap_or_default();
    // Inside a <script> element, `</script>` or `<!--` in a string would end or alter it;
    // these characters are written as JSON escapes instead, which mean the same.
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

//! The schema.org JSON-LD of claim pages: the claim, and its review when assessed.

use serde::Serialize;

use crate::load::config::Settings;
use crate::load::content::meta::{ActorKind, SourceKind};
use crate::resolve::model::Dossier;

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
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<&'a str>,
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
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    changes: Option<Changes<'a>>,
}

/// When a page last changed, and its corrections, for the page's main node.
#[derive(Serialize)]
struct Changes<'a> {
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correction: Vec<CorrectionLd<'a>>,
}

/// A correction as schema.org's `CorrectionComment`.
#[derive(Serialize)]
struct CorrectionLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
    #[serde(rename = "datePublished")]
    date_published: String,
}

#[derive(Serialize)]
struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
    #[serde(rename = "ratingValue", skip_serializing_if = "Option::is_none")]
    rating_value: Option<f64>,
    #[serde(rename = "bestRating", skip_serializing_if = "Option::is_none")]
    best_rating: Option<f64>,
    #[serde(rename = "worstRating", skip_serializing_if = "Option::is_none")]
    worst_rating: Option<f64>,
    #[serde(rename = "ratingExplanation", skip_serializing_if = "Option::is_none")]
    rating_explanation: Option<&'a str>,
}

#[derive(Serialize)]
struct ReviewLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(rename = "itemReviewed")]
    item_reviewed: ClaimLd<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: Rating<'a>,
    #[serde(rename = "reviewBody", skip_serializing_if = "Option::is_none")]
    review_body: Option<&'a str>,
    author: Agent<'a>,
    publisher: Agent<'a>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    changes: Option<Changes<'a>>,
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
            logo: None,
        }),
    }
}

/// A claim's corrections, and its last change: its newest correction or `updated`.
fn changes(c: &crate::resolve::model::Claim) -> Option<Changes<'_>> {
    let newest = c.meta.corrections.iter().map(|x| x.date).max();
    let date = newest.max(c.meta.updated)?;
    Some(Changes {
        date_modified: date.to_string(),
        correction: c
            .meta
            .corrections
            .iter()
            .map(|x| CorrectionLd {
                kind: "CorrectionComment",
                text: &x.text,
                date_published: x.date.to_string(),
            })
            .collect(),
    })
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
                logo: None,
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
    let claim = ClaimLd {
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
        changes: None,
    };
    let changes = changes(c);
    // A reviewed claim is the review's item, inline, as fact-checkers publish it.
    let node = match &c.meta.assessment {
        Some(a) => {
            let publisher = || publisher(settings);
            Node::Review(Box::new(ReviewLd {
                kind: "ClaimReview",
                url: &page,
                claim_reviewed: &c.meta.title,
                date_published: a.date.map(|d| d.to_string()),
                item_reviewed: claim,
                review_rating: Rating {
                    kind: "Rating",
                    alternate_name: &a.rating,
                    rating_value: a.rating_value,
                    best_rating: a.rating_value.and(a.best_rating),
                    worst_rating: a.rating_value.and(a.worst_rating),
                    rating_explanation: a.summary.as_deref(),
                },
                review_body: a.summary.as_deref(),
                author: publisher(),
                publisher: publisher(),
                changes,
            }))
        }
        None => Node::Claim(Box::new(ClaimLd { changes, ..claim })),
    };
    let graph = vec![node];
    let json = serde_json::to_string(&Graph {
        context: "https://schema.org",
        graph,
    })
    .unwrap_or_default();
    script_safe(json)
}

/// JSON made safe inside a `<script>` element, where `</script>` or `<!--` in a string
/// would end or alter it: these characters are written as JSON escapes, which mean the
/// same.
fn script_safe(json: String) -> String {
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

/// The dossier's publisher, as schema.org names an organization.
fn publisher(settings: &Settings) -> Agent<'_> {
    let p = settings.config.publisher.as_ref();
    Agent {
        kind: "Organization",
        name: settings.publisher_name(),
        url: Some(
            p.and_then(|p| p.url.clone())
                .unwrap_or_else(|| settings.base_url.clone()),
        ),
        same_as: None,
        logo: p.and_then(|p| p.logo.as_deref()),
    }
}

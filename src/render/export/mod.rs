//! The dossier as data for other tools and publishers: `/dossier.json` (here),
//! `/bibliography.json` (CSL-JSON, [`csl`]), the schema.org JSON-LD of claim pages
//! ([`jsonld`]) and the STIX 2.1 bundle `/dossier.stix.json` ([`stix`]).

mod csl;
mod jsonld;
pub(crate) mod stix;

pub use csl::bibliography_json;
pub use jsonld::claim_jsonld;

use serde::Serialize;

use crate::load::config::Settings;
use crate::load::content::meta::{ActorMeta, Citation, Correction, SourceMeta};
use crate::render::provenance::Evidence;
use crate::resolve::model::{Claim, Dossier, EvidenceRole, Source};

/// The version of the `/dossier.json` layout; raised on any incompatible change.
const SCHEMA_VERSION: u32 = 2;

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
    /// The corrections of plain pages and the home page (entries carry their own).
    page_corrections: Vec<PageCorrections<'a>>,
}

#[derive(Serialize)]
struct PageCorrections<'a> {
    page_url: String,
    title: &'a str,
    corrections: &'a [Correction],
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
    updated: Option<String>,
    corrections: &'a [Correction],
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
    assessment: Option<&'a crate::load::content::meta::Assessment>,
    tags: &'a [String],
    summary: Option<&'a str>,
    updated: Option<String>,
    corrections: &'a [Correction],
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
    /// Its authors as CSL-JSON names, as `/bibliography.json` gives them.
    author_names: Vec<serde_json::Value>,
    /// The snapshot's path under `content/`, if the source has one.
    snapshot: Option<&'a str>,
    /// The files it keeps as evidence, with their addresses when published.
    evidence_files: Vec<EvidenceFileOut<'a>>,
    /// What its RFC 3161 time-stamp token proves, when it verified.
    timestamp: Option<StampOut<'a>>,
    cited_by: Vec<&'a str>,
}

#[derive(Serialize)]
struct StampOut<'a> {
    /// When the authority saw the snapshot's hash (ISO 8601, UTC).
    time: String,
    authority: &'a str,
    serial: &'a str,
}

#[derive(Serialize)]
struct EvidenceFileOut<'a> {
    /// Its path under `content/`.
    file: &'a str,
    /// `snapshot`, `archive` or `timestamp`.
    role: &'static str,
    bytes: u64,
    /// Its address, when it is published.
    url: Option<String>,
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

/// The plain pages and the home page that have corrections.
fn page_corrections<'a>(d: &'a Dossier, settings: &'a Settings) -> Vec<PageCorrections<'a>> {
    let home = d.home.iter().map(|h| PageCorrections {
        page_url: settings.permalink(""),
        title: h.meta.title.as_deref().unwrap_or(&settings.config.title),
        corrections: &h.meta.corrections,
    });
    let pages = d.pages.iter().map(|p| PageCorrections {
        page_url: settings.absolute(&p.url),
        title: &p.meta.title,
        corrections: &p.meta.corrections,
    });
    home.chain(pages)
        .filter(|p| !p.corrections.is_empty())
        .collect()
}

/// Writes `/dossier.json`, the dossier as pretty JSON, into `out` as it is serialised (a
/// large dossier's runs to tens of megabytes).
pub(crate) fn write_dossier_json(
    d: &Dossier,
    settings: &Settings,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let permalink = |url: &str| settings.absolute(url);
    let actors = csl::actor_kinds(d);
    let relations = relations(d);
    let export = Export {
        schema_version: SCHEMA_VERSION,
        generator: concat!("dossier ", env!("CARGO_PKG_VERSION")),
        title: &settings.config.title,
        description: settings.config.description.as_deref(),
        base_url: &settings.base_url,
        claims: d.claims.iter().map(|c| claim_out(d, settings, c)).collect(),
        sources: d
            .sources
            .iter()
            .map(|s| source_out(d, settings, &actors, s))
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
                updated: e.meta.updated.map(|x| x.to_string()),
                corrections: &e.meta.corrections,
                sources: &e.meta.sources,
                claims: e.claims.iter().map(|&i| d.claims[i].id.as_str()).collect(),
            })
            .collect(),
        relations,
        page_corrections: page_corrections(d, settings),
    };
    if settings.config.output.pretty(d.claims.len()) {
        serde_json::to_writer_pretty(&mut *out, &export)?;
    } else {
        serde_json::to_writer(&mut *out, &export)?;
    }
    out.write_all(b"\n")
}

/// Every relation the dossier's files state, each as written: claims to their claimants,
/// the claims they dispute and support, the sources they cite and the events they are
/// about; events to their sources; sources to their publishers.
fn relations(d: &Dossier) -> Vec<Relation<'_>> {
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
    relations
}

/// A claim as `/dossier.json` gives it.
fn claim_out<'a>(d: &'a Dossier, settings: &Settings, c: &'a Claim) -> ClaimOut<'a> {
    let permalink = |url: &str| settings.absolute(url);
    ClaimOut {
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
            .zip(crate::render::provenance::quote_checks(d, c))
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
        updated: c.meta.updated.map(|x| x.to_string()),
        corrections: &c.meta.corrections,
        about: &c.meta.about,
        evidence: crate::render::provenance::evidence(d, c),
    }
}

/// A source as `/dossier.json` gives it.
fn source_out<'a>(
    d: &'a Dossier,
    settings: &Settings,
    actors: &rustc_hash::FxHashMap<String, bool>,
    s: &'a Source,
) -> SourceOut<'a> {
    let permalink = |url: &str| settings.absolute(url);
    SourceOut {
        id: &s.id,
        page_url: permalink(&s.url),
        meta: &s.meta,
        author_names: s
            .meta
            .authors
            .iter()
            .map(|a| csl::csl_name(a, actors))
            .collect(),
        snapshot: s.snapshot.as_ref().map(|x| x.content_path.as_str()),
        evidence_files: s
            .evidence
            .files
            .iter()
            .map(|f| EvidenceFileOut {
                file: &f.content_path,
                role: match f.role {
                    EvidenceRole::Snapshot => "snapshot",
                    EvidenceRole::Archive => "archive",
                    EvidenceRole::Token => "timestamp",
                },
                bytes: f.bytes,
                url: s
                    .evidence
                    .published
                    .then(|| settings.root_permalink(&f.content_path)),
            })
            .collect(),
        timestamp: s.evidence.stamp.as_ref().map(|t| StampOut {
            time: t.iso(),
            authority: &t.authority,
            serial: &t.serial,
        }),
        cited_by: s
            .cited_by
            .iter()
            .map(|&i| d.claims[i].id.as_str())
            .collect(),
    }
}

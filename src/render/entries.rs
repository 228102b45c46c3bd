//! The views of one entry's page: a claim, a source, an actor, with their references
//! and evidence.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use tera::Value;

use super::shown::Shown;
use super::views::{
    ActorLink, ClaimLink, CorrectionView, EventLink, Grade, MentionLink, SourceLink, TagLink, Views,
};
use crate::load::content::EntryKind;
use crate::load::content::meta::Citation;
use crate::resolve::model::*;

#[derive(Serialize, Default)]
struct CitationView {
    locator: Option<String>,
    quote: Option<String>,
    /// For a quote: whether it was found in a local snapshot of the source.
    quote_verified: Option<bool>,
    /// For a verified quote: the source's live address, with a fragment that takes a
    /// browser to the quoted words (or to their page of a PDF).
    quote_url: Option<String>,
    /// For a quote not verified: whether a snapshot is kept (one without text, a scan).
    snapshot_kept: bool,
    quote_translation: Option<String>,
    credibility: Option<Grade>,
    note: Option<String>,
}

/// The live address of `source` with a fragment that finds `quote` there, when its
/// snapshot verifies the quote.
fn quote_url(source: &Source, quote: &str) -> Option<String> {
    let url = source.meta.url.as_deref()?;
    let snapshot = source.snapshot.as_ref().filter(|s| s.has_text())?;
    let fragment = snapshot.fragment(quote)?;
    match url.contains('#') {
        // A text directive may follow a fragment; a PDF's page may not.
        true if fragment.starts_with(":~:") => Some(format!("{url}{fragment}")),
        true => None,
        false => Some(format!("{url}#{fragment}")),
    }
}

#[derive(Serialize)]
pub(super) struct ReferenceView {
    number: usize,
    pub(super) anchor: String,
    source: Value,
    authors: Vec<String>,
    original_url: Option<String>,
    archive_url: Option<String>,
    /// When the archived copy was made, or else when the source was captured or read
    /// (Robust Links' `data-versiondate`).
    version_date: Option<String>,
    locators: Vec<String>,
    citations: Vec<CitationView>,
    pub(super) markers: Vec<String>,
}

page_view! {
    struct ClaimView {
        link: ClaimLink,
        assessment: Option<crate::load::content::meta::Assessment>,
        /// The assessment's numeric rating in words: "2 on a scale from 1 to 5".
        assessment_scale: Option<String>,
        /// When the assessment was made, in words.
        assessment_date: Option<String>,
        tags: Vec<TagLink>,
        content_html: String,
        references: Vec<ReferenceView>,
        evidence: EvidenceView,
        disputes: Vec<Value>,
        supports: Vec<Value>,
        disputed_by: Vec<Value>,
        supported_by: Vec<Value>,
        /// The claims in dispute with it, whichever states the dispute, in claim order.
        in_dispute_with: Vec<Value>,
        /// The events it is about.
        about: Vec<EventLink>,
        /// What it attributes: `activity`, `kind` and `to` (actor links).
        attribution: Option<AttributionView>,
        mentioned_in: Vec<MentionLink>,
        /// The claim and its neighbours as an SVG drawing, when it has any.
        map_svg: Option<String>,
        /// Its corrections, newest first.
        corrections: Vec<CorrectionView>,
    }
}

/// What a claim attributes, for its page.
#[derive(Serialize)]
pub(super) struct AttributionView {
    activity: String,
    kind: &'static str,
    to: Vec<ActorLink>,
}

#[derive(Serialize)]
pub(super) struct EvidenceView {
    /// The summary in one sentence.
    sentence: String,
    sources: usize,
    publishers: Vec<PublisherView>,
    unattributed: usize,
    quotes: usize,
    quotes_verified: usize,
    single_publisher: bool,
}

#[derive(Serialize)]
struct PublisherView {
    name: String,
    /// The publisher's actor page, when the sources name one.
    url: Option<String>,
    sources: usize,
    grades: Vec<Grade>,
    ungraded: usize,
    claimant: bool,
}

#[derive(Serialize)]
pub(super) struct SnapshotView {
    /// The file's name, without its folder.
    file: String,
    words: usize,
    /// For a PDF, its number of pages.
    pages: Option<usize>,
    /// For a web archive, the address whose recorded response was read.
    record: Option<String>,
    /// The file's SHA-256, and whether the source records it (`snapshot_sha256`).
    sha256: String,
    sha256_recorded: bool,
    /// When it was captured, in words.
    captured: Option<String>,
}

/// One file a source keeps as evidence, as its page lists it.
#[derive(Serialize)]
pub(super) struct EvidenceFileView {
    /// Where it is published, if it is.
    url: Option<String>,
    /// What it is, in the page's language: "the page as captured".
    what: String,
    /// Its format, likewise: "web archive".
    format: String,
    /// Its size in words: "14 kB".
    size: String,
}

page_view! {
    struct SourceView {
        link: SourceLink,
        /// The local snapshot, if the source has one.
        snapshot: Option<SnapshotView>,
        /// Its snapshot, web archive and time-stamp token, and whether they are published.
        evidence: Vec<EvidenceFileView>,
        evidence_published: bool,
        /// What its time-stamp token proves, in words.
        timestamp: Option<String>,
        authors: Vec<String>,
        original_url: Option<String>,
        archive_url: Option<String>,
        accessed: Option<String>,
        /// The last re-reading of its live page that `check --external --record` wrote.
        last_check: Option<LastCheckView>,
        language: Option<String>,
        title_translation: Option<String>,
        published_by: Option<ActorLink>,
        cited_by: Vec<Value>,
        /// The events it documents.
        events: Vec<EventLink>,
        content_html: String,
        references: Vec<ReferenceView>,
        mentioned_in: Vec<MentionLink>,
        corrections: Vec<CorrectionView>,
    }
}

/// What the last re-reading of a source's live page found.
#[derive(Serialize)]
pub(super) struct LastCheckView {
    date: String,
    /// Quotes still on the page, of `quotes` looked for.
    found: usize,
    quotes: usize,
    /// The page's status, when it was an error.
    status: Option<u16>,
    /// Whether the page could not be read.
    unreadable: bool,
}

page_view! {
    struct ActorView {
        link: ActorLink,
        country: Option<String>,
        external_url: Option<String>,
        aliases: Vec<String>,
        claims: Vec<Value>,
        sources: Vec<Value>,
        content_html: String,
        references: Vec<ReferenceView>,
        mentioned_in: Vec<MentionLink>,
        corrections: Vec<CorrectionView>,
    }
}

page_view! {
    struct EventView {
        link: EventLink,
        summary: Option<String>,
        /// The sources that document it.
        sources: Vec<Value>,
        /// The claims about it, oldest first.
        claims: Vec<Value>,
        content_html: String,
        references: Vec<ReferenceView>,
        mentioned_in: Vec<MentionLink>,
        corrections: Vec<CorrectionView>,
    }
}

impl Views<'_> {
    pub(super) fn event(&self, i: usize) -> EventView {
        let e = &self.d.events[i];
        EventView {
            link: self.event_link(i),
            summary: e.meta.summary.clone(),
            sources: e.sources.iter().map(|&s| self.source_value(s)).collect(),
            claims: e.claims.iter().map(|&c| self.claim_value(c)).collect(),
            content_html: e.body.rendered.html.clone(),
            references: self.references(&e.body, &[]),
            mentioned_in: self.mentions(&e.body),
            corrections: self.corrections(&e.meta.corrections, &e.body),
        }
    }

    pub(super) fn evidence(&self, i: usize) -> EvidenceView {
        let e = crate::render::provenance::evidence(self.d, &self.d.claims[i]);
        EvidenceView {
            sentence: e.sentence(self.w),
            sources: e.sources,
            single_publisher: e.rests_on_one_other(),
            publishers: e
                .publishers
                .into_iter()
                .map(|p| PublisherView {
                    url: p
                        .actor
                        .as_deref()
                        .and_then(|id| self.d.index.pos(id, EntryKind::Actor))
                        .map(|a| self.actor_link(a).url),
                    name: p.name,
                    sources: p.sources,
                    grades: p
                        .grades
                        .iter()
                        .map(|&r| Grade::reliability(r, self.w))
                        .collect(),
                    ungraded: p.ungraded,
                    claimant: p.claimant,
                })
                .collect(),
            unattributed: e.unattributed,
            quotes: e.quotes,
            quotes_verified: e.quotes_verified,
        }
    }

    pub(super) fn references(&self, body: &Body, citations: &[Citation]) -> Vec<ReferenceView> {
        body.references
            .iter()
            .map(|r| {
                let s = &self.d.sources[r.source];
                ReferenceView {
                    number: r.number,
                    anchor: format!("ref-{}", r.number),
                    source: self.source_value(r.source),
                    authors: crate::load::content::names::displayed(&s.meta.authors),
                    original_url: s.meta.url.clone(),
                    archive_url: s.meta.archive_url.clone(),
                    version_date: [s.meta.archived, s.meta.snapshot_captured, s.meta.accessed]
                        .into_iter()
                        .flatten()
                        .next()
                        .map(|d| d.to_string()),
                    locators: r.locators.clone(),
                    citations: r
                        .citations
                        .iter()
                        .filter_map(|&ci| citations.get(ci))
                        .map(|c| CitationView {
                            locator: c.locator.clone(),
                            quote: c.quote.clone(),
                            quote_verified: c.quote.as_ref().map(|_| s.verifies_quotes()),
                            quote_url: c.quote.as_deref().and_then(|q| quote_url(s, q)),
                            snapshot_kept: s.snapshot.is_some(),
                            quote_translation: c.quote_translation.clone(),
                            credibility: c.credibility.map(|g| Grade::credibility(g, self.w)),
                            note: c.note.clone(),
                        })
                        .collect(),
                    markers: r.markers.clone(),
                }
            })
            .collect()
    }

    pub(super) fn claim(&self, i: usize) -> ClaimView {
        let c = &self.d.claims[i];
        let links = |v: &[usize]| v.iter().map(|&j| self.claim_value(j)).collect::<Vec<_>>();
        ClaimView {
            link: self.claim_link(i),
            assessment: c.meta.assessment.clone(),
            assessment_scale: c.meta.assessment.as_ref().and_then(|a| {
                // Whole numbers without a decimal point.
                let (v, w, b) = (a.rating_value?, a.worst_rating?, a.best_rating?);
                let (v, w, b) = (format!("{v}"), format!("{w}"), format!("{b}"));
                Some(self.w.fmt(
                    "{value} on a scale from {worst} to {best}",
                    &[("value", &v), ("worst", &w), ("best", &b)],
                ))
            }),
            assessment_date: c
                .meta
                .assessment
                .as_ref()
                .and_then(|a| a.date)
                .map(|d| self.w.date(&d)),
            tags: c
                .meta
                .tags
                .iter()
                .filter_map(|t| self.d.tag_pos(&crate::resolve::tag_slug(t)))
                .map(|t| &self.d.tags[t])
                .map(|t| {
                    self.show(|| Shown::Tag(t.slug.clone()));
                    TagLink::of(t)
                })
                .collect(),
            content_html: c.body.rendered.html.clone(),
            references: self.references(&c.body, &c.meta.citations),
            evidence: self.evidence(i),
            disputes: links(&c.disputes),
            supports: links(&c.supports),
            disputed_by: links(&c.disputed_by),
            supported_by: links(&c.supported_by),
            in_dispute_with: links(&self.d.in_dispute_with(i)),
            about: c.about.iter().map(|&e| self.event_link(e)).collect(),
            attribution: c.meta.attributes.as_ref().map(|a| AttributionView {
                activity: a.activity.clone(),
                kind: crate::load::content::meta::Choice::name(a.kind),
                to: c
                    .attributed_to
                    .iter()
                    .map(|&t| self.actor_link(t))
                    .collect(),
            }),
            mentioned_in: self.mentions(&c.body),
            map_svg: crate::render::map::local_map(self.d, i, &self.s.config.map, self.w),
            corrections: self.corrections(&c.meta.corrections, &c.body),
        }
    }

    pub(super) fn source(&self, i: usize) -> SourceView {
        let s = &self.d.sources[i];
        SourceView {
            link: self.source_link(i),
            snapshot: s.snapshot.as_ref().map(|x| SnapshotView {
                file: x
                    .content_path
                    .rsplit('/')
                    .next()
                    .unwrap_or(&x.content_path)
                    .to_string(),
                words: x.words,
                pages: x.page_count,
                record: x.record.clone(),
                sha256: x.sha256.clone(),
                sha256_recorded: s.meta.snapshot_sha256.is_some(),
                captured: s.meta.snapshot_captured.map(|d| self.w.date(&d)),
            }),
            evidence: s
                .evidence
                .files
                .iter()
                .map(|f| self.evidence_file(f, s.evidence.published))
                .collect(),
            evidence_published: s.evidence.published,
            timestamp: s.evidence.stamp.as_ref().map(|t| self.stamp_words(t)),
            authors: crate::load::content::names::displayed(&s.meta.authors),
            original_url: s.meta.url.clone(),
            archive_url: s.meta.archive_url.clone(),
            accessed: s.meta.accessed.map(|d| self.w.date(&d)),
            last_check: s
                .meta
                .checks
                .iter()
                .max_by_key(|c| c.date)
                .map(|c| LastCheckView {
                    date: self.w.date(&c.date),
                    found: c.found,
                    quotes: c.found + c.missing.len(),
                    status: c.status.filter(|s| !(200..300).contains(s)),
                    unreadable: c.note.is_some(),
                }),
            language: s.meta.language.clone(),
            title_translation: s.meta.title_translation.clone(),
            published_by: s.published_by.map(|a| self.actor_link(a)),
            cited_by: s.cited_by.iter().map(|&c| self.claim_value(c)).collect(),
            mentioned_in: self.mentions_except(&s.body, &s.cited_by),
            events: s.events.iter().map(|&e| self.event_link(e)).collect(),
            content_html: s.body.rendered.html.clone(),
            references: self.references(&s.body, &[]),
            corrections: self.corrections(&s.meta.corrections, &s.body),
        }
    }

    /// "captured no later than 4 December 2026, 12:03 UTC, time-stamped by <authority>".
    fn stamp_words(&self, t: &crate::snapshots::timestamp::Stamp) -> String {
        let (year, month, day, hour, minute, _) = t.time;
        let date = crate::load::content::date::PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        };
        let time = self.w.fmt(
            "{date}, {time} UTC",
            &[
                ("date", &self.w.date(&date)),
                ("time", &format!("{hour:02}:{minute:02}")),
            ],
        );
        self.w.fmt(
            "captured no later than {time}, time-stamped by {authority}",
            &[("time", &time), ("authority", &t.authority)],
        )
    }

    fn evidence_file(&self, f: &EvidenceFile, published: bool) -> EvidenceFileView {
        let (what, format) = evidence_words(f);
        EvidenceFileView {
            url: published.then(|| self.s.root_url(&f.content_path)),
            what: self.w.tr(what).to_string(),
            format: self.w.tr(format).to_string(),
            size: size_in_words(f.bytes, self.w),
        }
    }

    pub(super) fn actor(&self, i: usize) -> ActorView {
        let a = &self.d.actors[i];
        ActorView {
            link: self.actor_link(i),
            country: a.meta.country.clone(),
            external_url: a.meta.url.clone(),
            aliases: a.meta.aliases.clone(),
            claims: a.claims.iter().map(|&c| self.claim_value(c)).collect(),
            sources: a.sources.iter().map(|&s| self.source_value(s)).collect(),
            content_html: a.body.rendered.html.clone(),
            references: self.references(&a.body, &[]),
            mentioned_in: self.mentions(&a.body),
            corrections: self.corrections(&a.meta.corrections, &a.body),
        }
    }
}

/// What an evidence file is and its format, in English words.
fn evidence_words(f: &EvidenceFile) -> (&'static str, &'static str) {
    let lower = f.content_path.to_ascii_lowercase();
    let ends = |e: &str| lower.ends_with(e);
    match f.role {
        EvidenceRole::Token => ("time-stamp token", "RFC 3161"),
        EvidenceRole::Archive => ("the page as captured", "web archive"),
        EvidenceRole::Snapshot if crate::snapshots::is_archive_name(&lower) => {
            ("the page as captured", "web archive")
        }
        EvidenceRole::Snapshot if ends(".pdf") => ("the document as captured", "PDF"),
        EvidenceRole::Snapshot if ends(".html") || ends(".htm") => ("the page as captured", "HTML"),
        EvidenceRole::Snapshot if ends(crate::snapshots::MARKDOWN_SUFFIX) => {
            ("the text as captured", "Markdown")
        }
        EvidenceRole::Snapshot => ("the text as captured", "plain text"),
    }
}

/// A file's size in words: bytes below a kilobyte, kilobytes (rounded up) below ten
/// megabytes, megabytes above.
fn size_in_words(bytes: u64, w: &crate::render::i18n::Strings) -> String {
    let (en, n) = match bytes {
        0..1_000 => ("{n} bytes", bytes),
        1_000..10_000_000 => ("{n} kB", bytes.div_ceil(1_000)),
        _ => ("{n} MB", (bytes + 500_000) / 1_000_000),
    };
    match en {
        "{n} bytes" => w.count("{n} byte", en, n as i64),
        _ => w.fmt(en, &[("n", &w.number(n as i64))]),
    }
}

//! Views of the whole dossier: the home page's disputes, the timeline, the feed and the
//! map's relations.

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::shown::Shown;
use super::views::{ActorLink, ClaimLink, EventLink, Views};
use crate::load::content::EntryKind;
use crate::load::content::date::PartialDate;
use crate::load::content::meta::CorrectionKind;
use crate::render::i18n::Strings;
use crate::render::map::Position;
use crate::resolve::pages;

/// One dispute of the home page: the positions disputes and supports connect.
#[derive(Serialize)]
pub(super) struct DisputeView {
    positions: Vec<PositionView>,
}

/// A position, named, with its claims and what each disputes and supports.
#[derive(Serialize)]
pub(super) struct PositionView {
    name: String,
    claims: Vec<RelationView>,
    /// How many more claims the position has than are shown (on a summarised home page).
    more: usize,
}

#[derive(Serialize)]
struct TimelineItem {
    kind: &'static str,
    kind_words: String,
    date: String,
    date_iso: String,
    title: String,
    url: String,
    by: Vec<ActorLink>,
    publisher: Option<String>,
    status: Option<&'static str>,
    /// For a claim: how many claims are in dispute with it, how many support it, and its
    /// assessment's rating.
    in_dispute_with_count: usize,
    supported_by_count: usize,
    rating: Option<String>,
    /// For a claim: its claimants' own statements of the same day, shown with it rather
    /// than as items of their own.
    stated_in: Vec<StatedIn>,
    /// For an event: when it ended, and where it happened.
    end: Option<String>,
    place: Option<String>,
    /// Its newest correction, which the item marks.
    corrected: Option<super::views::CorrectionView>,
}

/// A claimant's statement shown with the claim it states.
#[derive(Serialize)]
struct StatedIn {
    title: String,
    url: String,
    /// The source's language tag when it differs from the site's.
    lang: Option<String>,
}

#[derive(Serialize)]
pub(super) struct TimelineYear {
    year: u16,
    items: Vec<TimelineItem>,
}

#[derive(Serialize)]
pub(super) struct FeedEntry {
    title: String,
    url: String,
    id: String,
    updated: String,
    kind: &'static str,
    summary: Option<String>,
}

/// A claim and the claims it is in dispute with and supports.
#[derive(Serialize)]
struct RelationView {
    claim: Value,
    in_dispute_with: Vec<Value>,
    supports: Vec<Value>,
}

/// How many disputes the home page shows; the dispute map shows every one.
const HOME_DISPUTES: usize = 30;
/// How many claims the home page's disputes may show before each position is summarised.
const HOME_CLAIMS: usize = 300;
/// How many claims of each position a summarised home page shows.
const SUMMARY_CLAIMS: usize = 3;

impl Views<'_> {
    /// Every claim, oldest first.
    pub(super) fn claims_by_date(&self) -> Vec<Value> {
        self.d
            .claims_by_date()
            .into_iter()
            .map(|i| self.claim_value(i))
            .collect()
    }

    /// The positions, each with its claims and their relations.
    pub(super) fn position_views(&self, positions: &[Position]) -> Vec<PositionView> {
        positions
            .iter()
            .map(|p| self.position_view(p, usize::MAX))
            .collect()
    }

    /// One position with its first `limit` claims and their relations.
    fn position_view(&self, p: &Position, limit: usize) -> PositionView {
        let d = self.d;
        let links = |v: &[usize]| v.iter().map(|&j| self.claim_value(j)).collect::<Vec<_>>();
        PositionView {
            name: crate::render::map::position_name(d, p, self.w),
            more: p.claims.len().saturating_sub(limit),
            claims: p
                .claims
                .iter()
                .take(limit)
                .map(|&i| {
                    let mut supports = d.claims[i].supports.clone();
                    d.sort_claims(&mut supports);
                    RelationView {
                        claim: self.claim_value(i),
                        in_dispute_with: links(&d.in_dispute_with(i)),
                        supports: links(&supports),
                    }
                })
                .collect(),
        }
    }

    /// The first [`HOME_DISPUTES`] disputes, oldest first, each as the positions it sets
    /// against each other, every claim of each position unless they would be more than
    /// [`HOME_CLAIMS`] in all (then the first [`SUMMARY_CLAIMS`] of each); and how many
    /// disputes there are in all.
    pub(super) fn disputes(&self, positions: &[Position]) -> (Vec<DisputeView>, usize) {
        let groups = crate::render::map::disputes(self.d, positions);
        let shown = &groups[..groups.len().min(HOME_DISPUTES)];
        let claims: usize = shown
            .iter()
            .flatten()
            .map(|&p| positions[p].claims.len())
            .sum();
        let limit = match claims > HOME_CLAIMS {
            true => SUMMARY_CLAIMS,
            false => usize::MAX,
        };
        let views = shown
            .iter()
            .map(|group| DisputeView {
                positions: group
                    .iter()
                    .map(|&p| self.position_view(&positions[p], limit))
                    .collect(),
            })
            .collect();
        (views, groups.len())
    }

    pub(super) fn timeline(&self) -> Vec<TimelineYear> {
        // Built in parallel by views that record nothing; what they show is noted after.
        let (d, s) = (self.d, self.s);
        let claims: Vec<ClaimLink> = (0..d.claims.len())
            .into_par_iter()
            .map(|i| Views::new(d, s, self.w).claim_link(i))
            .collect();
        for c in &self.d.claims {
            self.show(|| Shown::Claim(c.id.clone()));
            for &a in &c.claimants {
                self.show(|| Shown::Actor(self.d.actors[a].id.clone()));
            }
        }
        let (merged, stated) = self.stated_in();
        let mut items: Vec<(PartialDate, u8, String, TimelineItem)> = Vec::new();
        for ((c, l), stated_in) in d.claims.iter().zip(claims).zip(stated) {
            items.push((
                c.meta.date,
                2,
                c.id.clone(),
                claim_item(l, stated_in, self.w),
            ));
        }
        for (i, e) in d.events.iter().enumerate() {
            items.push((
                e.meta.date,
                0,
                e.id.clone(),
                event_item(self.event_link(i), self.w),
            ));
        }
        for (i, (src, merged)) in d.sources.iter().zip(merged).enumerate() {
            if let Some(date) = src.meta.date.filter(|_| !merged) {
                items.push((date, 1, src.id.clone(), self.source_item(i, date)));
            }
        }
        items.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        let mut years: Vec<TimelineYear> = Vec::new();
        for (date, _, _, item) in items {
            match years.last_mut() {
                Some(y) if y.year == date.year => y.items.push(item),
                _ => years.push(TimelineYear {
                    year: date.year,
                    items: vec![item],
                }),
            }
        }
        years
    }

    /// The sources that are claims being made, and each claim's: a source published by a
    /// claim's claimant on the claim's day and cited by it is one timeline item, not two.
    fn stated_in(&self) -> (Vec<bool>, Vec<Vec<StatedIn>>) {
        let d = self.d;
        // A source published by a claim's claimant on the claim's day and cited by it is
        // the claim being made: one item, not two.
        let mut merged = vec![false; d.sources.len()];
        let mut stated: Vec<Vec<StatedIn>> = Vec::with_capacity(d.claims.len());
        for c in &d.claims {
            let mut own = Vec::new();
            for r in &c.body.references {
                let src = &d.sources[r.source];
                let same_day = src.meta.date == Some(c.meta.date);
                if same_day && src.published_by.is_some_and(|a| c.claimants.contains(&a)) {
                    merged[r.source] = true;
                    self.show(|| Shown::Source(src.id.clone()));
                    own.push(StatedIn {
                        title: src.meta.title.clone(),
                        url: src.url.clone(),
                        lang: src
                            .meta
                            .language
                            .clone()
                            .filter(|l| !l.eq_ignore_ascii_case(&self.s.config.language)),
                    });
                }
            }
            stated.push(own);
        }
        (merged, stated)
    }

    /// A dated source on the timeline.
    fn source_item(&self, i: usize, date: PartialDate) -> TimelineItem {
        let s = &self.d.sources[i];
        TimelineItem {
            kind: "source",
            kind_words: self.w.tr("source").to_string(),
            date: self.w.date(&date),
            date_iso: date.to_string(),
            title: s.meta.title.clone(),
            url: s.url.clone(),
            by: s
                .published_by
                .map(|a| self.actor_link(a))
                .into_iter()
                .collect(),
            publisher: s.meta.publisher.clone(),
            status: None,
            in_dispute_with_count: 0,
            supported_by_count: 0,
            rating: None,
            stated_in: Vec::new(),
            end: None,
            place: None,
            corrected: self.newest_correction(&s.meta.corrections, &s.body),
        }
    }

    /// The newest claims and dated sources, newest first, as many as `feed_entries` allows.
    /// Each correction as an entry of the feed, linking to the corrected entry's list of
    /// corrections; its id names the day and, after the first, its place among those of
    /// that day.
    fn correction_entries(&self) -> Vec<(crate::load::content::date::PartialDate, FeedEntry)> {
        let mut entries = Vec::new();
        for e in self.d.corrected() {
            let page = self.page_link(e.of);
            let url = self.s.absolute(&page.url);
            for (n, c) in e.corrections.iter().enumerate() {
                let same_day = e.corrections[..n]
                    .iter()
                    .filter(|x| x.date == c.date)
                    .count();
                let suffix = match same_day {
                    0 => String::new(),
                    k => format!("-{}", k + 1),
                };
                let title = match c.kind {
                    CorrectionKind::Correction => "Correction: {title}",
                    CorrectionKind::Update => "Update: {title}",
                    CorrectionKind::Clarification => "Clarification: {title}",
                };
                entries.push((
                    c.date,
                    FeedEntry {
                        title: self.w.fmt(title, &[("title", &page.title)]),
                        url: format!("{url}#corrections"),
                        id: format!("{url}#correction-{}{suffix}", c.date),
                        updated: c.date.rfc3339(),
                        kind: crate::load::content::meta::Choice::name(c.kind),
                        summary: Some(c.text.clone()),
                    },
                ));
            }
        }
        entries
    }

    pub(super) fn feed_entries(&self) -> Vec<FeedEntry> {
        let mut entries: Vec<(crate::load::content::date::PartialDate, FeedEntry)> = Vec::new();
        for c in &self.d.claims {
            entries.push((
                c.meta.date,
                FeedEntry {
                    title: c.meta.title.clone(),
                    url: self.s.absolute(&c.url),
                    id: self
                        .s
                        .permalink(&pages::entry_path(EntryKind::Claim, &c.id)),
                    updated: c.meta.date.rfc3339(),
                    kind: "claim",
                    summary: c.meta.summary.clone(),
                },
            ));
        }
        for s in &self.d.sources {
            let Some(date) = s.meta.date else { continue };
            entries.push((
                date,
                FeedEntry {
                    title: s.meta.title.clone(),
                    url: self
                        .s
                        .permalink(&pages::entry_path(EntryKind::Source, &s.id)),
                    id: self
                        .s
                        .permalink(&pages::entry_path(EntryKind::Source, &s.id)),
                    updated: date.rfc3339(),
                    kind: "source",
                    summary: s.meta.publisher.clone(),
                },
            ));
        }
        entries.extend(self.correction_entries());
        entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        entries.truncate(self.s.config.output.feed_entries.get());
        entries.into_iter().map(|(_, e)| e).collect()
    }
}

/// A claim on the timeline, with the sources it was stated in.
fn claim_item(l: ClaimLink, stated_in: Vec<StatedIn>, w: &Strings) -> TimelineItem {
    TimelineItem {
        kind: "claim",
        kind_words: w.tr("claim").to_string(),
        date: l.date,
        date_iso: l.date_iso,
        title: l.title,
        url: l.url,
        by: l.claimants,
        publisher: None,
        status: Some(l.status),
        in_dispute_with_count: l.in_dispute_with_count,
        supported_by_count: l.supported_by_count,
        rating: l.rating,
        stated_in,
        end: None,
        place: None,
        corrected: l.corrected,
    }
}

/// An event on the timeline.
fn event_item(l: EventLink, w: &Strings) -> TimelineItem {
    TimelineItem {
        kind: "event",
        kind_words: w.tr("event").to_string(),
        date: l.date,
        date_iso: l.date_iso,
        title: l.title,
        url: l.url,
        by: Vec::new(),
        publisher: None,
        status: None,
        in_dispute_with_count: 0,
        supported_by_count: 0,
        rating: None,
        stated_in: Vec::new(),
        end: l.end,
        place: l.place,
        corrected: l.corrected,
    }
}

//! Entries as lists show them (claims, sources, actors, tags, mentions), the site-wide
//! view, and [`Views`], which builds every view of one page and records what it showed.

use std::cell::RefCell;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use tera::Value;

use super::LinkValues;
use super::shown::Shown;
use crate::base::language::{english_name as language_name, primary};
use crate::load::config::Settings;
use crate::load::content::meta::{Correction, Credibility, Reliability};
use crate::render::i18n::Strings;
use crate::resolve::model::*;

#[derive(Serialize, Hash)]
pub(super) struct SiteView {
    title: String,
    description: Option<String>,
    base_url: String,
    base_path: String,
    /// Where the files of the whole site are (static files, data): `base_path` but in a
    /// translated edition.
    root_path: String,
    language: String,
    /// The direction the site's language is written in: `ltr` or `rtl`.
    dir: &'static str,
    nav: Vec<NavItem>,
    counts: Counts,
}

#[derive(Serialize, Hash)]
struct NavItem {
    title: String,
    url: String,
    /// The original's language, for a page an edition has no translation of.
    lang: Option<String>,
}

#[derive(Serialize, Hash)]
pub(super) struct Counts {
    claims: usize,
    sources: usize,
    actors: usize,
    disputes: usize,
}

/// An Admiralty grade and its meaning in words, in the page's language.
#[derive(Serialize, Clone, Hash)]
pub(super) struct Grade {
    grade: String,
    words: String,
}

impl Grade {
    pub(super) fn reliability(r: Reliability, w: &Strings) -> Grade {
        Grade {
            grade: r.letter().into(),
            words: w.tr(r.words()).to_string(),
        }
    }

    pub(super) fn credibility(c: Credibility, w: &Strings) -> Grade {
        Grade {
            grade: c.0.to_string(),
            words: w.tr(c.words()).to_string(),
        }
    }
}

link_view! {
    /// A claim as shown in lists; `corrected` is its newest correction, which its cards
    /// mark (likewise for sources, events and actors).
    #[derive(Clone, Hash)]
    struct ClaimLink {
        id: String,
        title: String,
        url: String,
        date: String,
        date_iso: String,
        status: &'static str,
        status_words: String,
        claimants: Vec<ActorLink>,
        summary: Option<String>,
        disputes_count: usize,
        disputed_by_count: usize,
        in_dispute_with_count: usize,
        supported_by_count: usize,
        rating: Option<String>,
        lang: Option<String>,
        corrected: Option<CorrectionView>,
    }
}

link_view! {
    #[derive(Clone, Hash)]
    /// `lang`: its language tag when it differs from the site's, for its title and the
    /// quotes cited from it.
    struct SourceLink {
        id: String,
        title: String,
        url: String,
        kind: Option<String>,
        publisher: Option<String>,
        date: Option<String>,
        date_iso: Option<String>,
        reliability: Option<Grade>,
        cited_by_count: usize,
        language_name: Option<String>,
        foreign_language: Option<&'static str>,
        lang: Option<String>,
        corrected: Option<CorrectionView>,
    }
}

link_view! {
    /// An event as shown in lists.
    #[derive(Clone, Hash)]
    struct EventLink {
        id: String,
        title: String,
        url: String,
        date: String,
        date_iso: String,
        end: Option<String>,
        end_iso: Option<String>,
        place: Option<String>,
        lang: Option<String>,
        corrected: Option<CorrectionView>,
    }
}

link_view! {
    #[derive(Clone, Hash)]
    struct ActorLink {
        id: String,
        title: String,
        url: String,
        kind: Option<String>,
        lang: Option<String>,
    }
}

page_view! {
    #[derive(Hash)]
    struct ActorSummary {
        link: ActorLink,
        country: Option<String>,
        claims_count: usize,
        sources_count: usize,
        corrected: Option<CorrectionView>,
    }
}

/// A correction, update or clarification of an entry, dated.
#[derive(Serialize, Clone, Hash)]
pub(super) struct CorrectionView {
    /// `correction`, `update` or `clarification`.
    kind: &'static str,
    date: String,
    date_iso: String,
    text: String,
    /// The text's language, when it is not the page's.
    lang: Option<String>,
}

/// A correction with the entry or page it corrects.
#[derive(Serialize)]
pub(super) struct CorrectedEntry {
    entry: MentionLink,
    correction: CorrectionView,
}

#[derive(Serialize)]
pub(super) struct MentionLink {
    kind: &'static str,
    kind_words: String,
    pub(super) title: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct TagLink {
    name: String,
    url: String,
    count: usize,
}

impl TagLink {
    pub(super) fn of(t: &Tag) -> TagLink {
        TagLink {
            name: t.name.clone(),
            url: t.url.clone(),
            count: t.claims.len(),
        }
    }
}

/// Builds the views of one page from the dossier, reusing converted list views and, when
/// recording, noting every entry the page shows.
pub(super) struct Views<'a> {
    pub(super) d: &'a Dossier,
    pub(super) s: &'a Settings,
    /// The interface's words.
    pub(super) w: &'a Strings,
    /// Link views already converted for templates, shared by every page of a build.
    pub(super) links: Option<&'a LinkValues>,
    /// What the page showed, when recording.
    pub(super) shown: Option<RefCell<Vec<Shown>>>,
}

impl<'a> Views<'a> {
    pub(super) fn new(d: &'a Dossier, s: &'a Settings, w: &'a Strings) -> Self {
        Views {
            d,
            s,
            w,
            links: None,
            shown: None,
        }
    }

    /// Views that reuse the link values in `links` and may record what they show.
    pub(super) fn with_links(
        d: &'a Dossier,
        s: &'a Settings,
        w: &'a Strings,
        links: impl Into<Option<&'a LinkValues>>,
        record: bool,
    ) -> Self {
        Views {
            d,
            s,
            w,
            links: links.into(),
            shown: record.then(RefCell::default),
        }
    }

    /// A claim as shown in lists, converted for templates once per build.
    pub(super) fn claim_value(&self, i: usize) -> Value {
        match self.links {
            Some(l) => {
                self.show(|| Shown::Claim(self.d.claims[i].id.clone()));
                l.claims[i]
                    .get_or_init(|| Value::from_serializable(&self.claim_link(i)))
                    .clone()
            }
            None => Value::from_serializable(&self.claim_link(i)),
        }
    }

    /// A source as shown in lists, converted for templates once per build.
    pub(super) fn source_value(&self, i: usize) -> Value {
        match self.links {
            Some(l) => {
                self.show(|| Shown::Source(self.d.sources[i].id.clone()));
                l.sources[i]
                    .get_or_init(|| Value::from_serializable(&self.source_link(i)))
                    .clone()
            }
            None => Value::from_serializable(&self.source_link(i)),
        }
    }

    /// Notes an entry the page shows, when recording; the key is built only then.
    /// Records that the page shows something of every entry and page: a page made from
    /// all of them.
    fn show_everything(&self) {
        if let Some(shown) = &self.shown {
            shown.borrow_mut().extend(super::shown::shown_keys(self.d));
        }
    }

    pub(super) fn show(&self, key: impl FnOnce() -> Shown) {
        if let Some(shown) = &self.shown {
            shown.borrow_mut().push(key());
        }
    }

    pub(super) fn site(&self) -> SiteView {
        let mut pages: Vec<&Page> = self.d.pages.iter().map(|p| &**p).collect();
        pages.sort_by(|a, b| {
            (a.meta.weight.unwrap_or(i64::MAX), &a.meta.title)
                .cmp(&(b.meta.weight.unwrap_or(i64::MAX), &b.meta.title))
        });
        SiteView {
            title: self.s.config.title.clone(),
            description: self.s.config.description.clone(),
            base_url: self.s.base_url.clone(),
            base_path: self.s.base_path.clone(),
            root_path: self.s.root_path.clone(),
            language: self.s.config.language.clone(),
            dir: if self.w.rtl() { "rtl" } else { "ltr" },
            nav: pages
                .into_iter()
                .filter(|p| !p.path.contains('/'))
                .map(|p| NavItem {
                    title: p.meta.title.clone(),
                    url: p.url.clone(),
                    lang: self.untranslated(&p.body),
                })
                .collect(),
            counts: Counts {
                claims: self.d.claims.len(),
                sources: self.d.sources.len(),
                actors: self.d.actors.len(),
                disputes: self.d.claims.iter().map(|c| c.disputes.len()).sum(),
            },
        }
    }

    pub(super) fn actor_link(&self, i: usize) -> ActorLink {
        let a = &self.d.actors[i];
        self.show(|| Shown::Actor(a.id.clone()));
        ActorLink {
            id: a.id.clone(),
            title: a.meta.title.clone(),
            url: a.url.clone(),
            kind: a.meta.kind.map(|k| self.w.tr(k.label()).to_string()),
            lang: self.untranslated(&a.body),
        }
    }

    /// In a translated edition, the language of an entry it has no translation of: its
    /// title and text are shown as written, marked with their language.
    pub(super) fn untranslated(&self, body: &Body) -> Option<String> {
        (self.s.edition.is_some() && !body.doc.is_translation())
            .then(|| self.s.original_language.clone())
    }

    pub(super) fn claim_link(&self, i: usize) -> ClaimLink {
        let c = &self.d.claims[i];
        self.show(|| Shown::Claim(c.id.clone()));
        ClaimLink {
            id: c.id.clone(),
            title: c.meta.title.clone(),
            url: c.url.clone(),
            date: self.w.date(&c.meta.date),
            date_iso: c.meta.date.to_string(),
            status: c.meta.status.as_str(),
            status_words: self.w.tr(c.meta.status.as_str()).to_string(),
            claimants: c.claimants.iter().map(|&a| self.actor_link(a)).collect(),
            summary: c.meta.summary.clone(),
            disputes_count: c.disputes.len(),
            disputed_by_count: c.disputed_by.len(),
            in_dispute_with_count: self.d.in_dispute_with(i).len(),
            supported_by_count: c.supported_by.len(),
            rating: c.meta.assessment.as_ref().map(|a| a.rating.clone()),
            lang: self.untranslated(&c.body),
            corrected: self.newest_correction(&c.meta.corrections, &c.body),
        }
    }

    pub(super) fn source_link(&self, i: usize) -> SourceLink {
        let s = &self.d.sources[i];
        self.show(|| Shown::Source(s.id.clone()));
        SourceLink {
            id: s.id.clone(),
            title: s.meta.title.clone(),
            url: s.url.clone(),
            kind: s.meta.kind.map(|k| self.w.tr(k.label()).to_string()),
            publisher: s.meta.publisher.clone(),
            date: s.meta.date.map(|d| self.w.date(&d)),
            date_iso: s.meta.date.map(|d| d.to_string()),
            reliability: s.meta.reliability.map(|r| Grade::reliability(r, self.w)),
            cited_by_count: s.cited_by.len(),
            language_name: (s.meta.language.as_deref())
                .and_then(language_name)
                .map(|n| self.w.tr(n).to_string()),
            foreign_language: s
                .meta
                .language
                .as_deref()
                .filter(|l| primary(l) != primary(&self.s.config.language))
                .and_then(language_name),
            lang: s
                .meta
                .language
                .clone()
                .or_else(|| self.untranslated(&s.body))
                .filter(|l| !l.eq_ignore_ascii_case(&self.s.config.language)),
            corrected: self.newest_correction(&s.meta.corrections, &s.body),
        }
    }

    pub(super) fn actor_summary(&self, i: usize) -> ActorSummary {
        let a = &self.d.actors[i];
        ActorSummary {
            link: self.actor_link(i),
            country: a.meta.country.clone(),
            claims_count: a.claims.len(),
            sources_count: a.sources.len(),
            corrected: self.newest_correction(&a.meta.corrections, &a.body),
        }
    }

    pub(super) fn mentions(&self, body: &Body) -> Vec<MentionLink> {
        self.mentions_except(body, &[])
    }

    /// The pages mentioning a body, less the claims in `shown` (listed on the page
    /// already, as a source's citing claims are).
    pub(super) fn mentions_except(&self, body: &Body, shown: &[usize]) -> Vec<MentionLink> {
        body.mentioned_in
            .iter()
            .filter(|m| !matches!(m, PageRef::Claim(i) if shown.contains(i)))
            .map(|m| self.page_link(*m))
            .collect()
    }

    /// A link to any page with a body.
    pub(super) fn page_link(&self, page: PageRef) -> MentionLink {
        match page {
            PageRef::Home => {
                self.show(|| Shown::Home);
                MentionLink {
                    kind: "home",
                    kind_words: self.w.tr("home").to_string(),
                    title: self.home_title(),
                    url: self.s.url(""),
                }
            }
            PageRef::Claim(i) => {
                let l = self.claim_link(i);
                MentionLink {
                    kind: "claim",
                    kind_words: self.w.tr("claim").to_string(),
                    title: l.title,
                    url: l.url,
                }
            }
            PageRef::Event(i) => {
                let l = self.event_link(i);
                MentionLink {
                    kind: "event",
                    kind_words: self.w.tr("event").to_string(),
                    title: l.title,
                    url: l.url,
                }
            }
            PageRef::Source(i) => {
                let l = self.source_link(i);
                MentionLink {
                    kind: "source",
                    kind_words: self.w.tr("source").to_string(),
                    title: l.title,
                    url: l.url,
                }
            }
            PageRef::Actor(i) => {
                let l = self.actor_link(i);
                MentionLink {
                    kind: "actor",
                    kind_words: self.w.tr("actor").to_string(),
                    title: l.title,
                    url: l.url,
                }
            }
            PageRef::Page(i) => {
                let p = &self.d.pages[i];
                self.show(|| Shown::Page(p.path.clone()));
                MentionLink {
                    kind: "page",
                    kind_words: self.w.tr("page").to_string(),
                    title: p.meta.title.clone(),
                    url: p.url.clone(),
                }
            }
        }
    }

    pub(super) fn event_link(&self, i: usize) -> EventLink {
        let e = &self.d.events[i];
        self.show(|| Shown::Event(e.id.clone()));
        EventLink {
            id: e.id.clone(),
            title: e.meta.title.clone(),
            url: e.url.clone(),
            date: self.w.date(&e.meta.date),
            date_iso: e.meta.date.to_string(),
            end: e.meta.end.map(|d| self.w.date(&d)),
            end_iso: e.meta.end.map(|d| d.to_string()),
            place: e.meta.place.clone(),
            lang: self.untranslated(&e.body),
            corrected: self.newest_correction(&e.meta.corrections, &e.body),
        }
    }

    /// An entry's corrections, newest first (those of one day in the order written).
    pub(super) fn corrections(&self, list: &[Correction], body: &Body) -> Vec<CorrectionView> {
        let mut v: Vec<&Correction> = list.iter().collect();
        v.sort_by_key(|c| std::cmp::Reverse(c.date));
        v.into_iter().map(|c| self.correction(c, body)).collect()
    }

    /// Every correction of the dossier, newest first (those of one day in the order of
    /// the entries, then as written).
    pub(super) fn all_corrections(&self) -> Vec<CorrectedEntry> {
        self.show_everything();
        let mut rows: Vec<(&Correction, PageRef, &Body)> = self
            .d
            .corrected()
            .into_iter()
            .flat_map(|e| e.corrections.iter().map(move |c| (c, e.of, e.body)))
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.0.date));
        rows.into_iter()
            .map(|(c, of, body)| CorrectedEntry {
                entry: self.page_link(of),
                correction: self.correction(c, body),
            })
            .collect()
    }

    /// An entry's newest correction, for its cards.
    pub(super) fn newest_correction(
        &self,
        list: &[Correction],
        body: &Body,
    ) -> Option<CorrectionView> {
        let mut newest: Option<&Correction> = None;
        for c in list {
            if newest.is_none_or(|n| c.date > n.date) {
                newest = Some(c);
            }
        }
        newest.map(|c| self.correction(c, body))
    }

    /// A correction of the entry with `body`; in an edition, one its translation does not
    /// give is in the original's language.
    fn correction(&self, c: &Correction, body: &Body) -> CorrectionView {
        let inherited = self.s.edition.is_some() && body.doc.inherits("corrections");
        CorrectionView {
            kind: crate::load::content::meta::Choice::name(c.kind),
            date: self.w.date(&c.date),
            date_iso: c.date.to_string(),
            text: c.text.clone(),
            lang: inherited.then(|| self.s.original_language.clone()),
        }
    }

    /// The home page's title: its own, else the site's.
    pub(super) fn home_title(&self) -> String {
        self.d
            .home
            .as_ref()
            .and_then(|h| h.meta.title.clone())
            .unwrap_or_else(|| self.s.config.title.clone())
    }
}

//! The one table of page kinds: for each, where it is published, which template renders
//! it, whether it is an HTML page, whether it is large or rendered only on request, and
//! what of the whole dossier it shows. Rendering, the paths content may not take and the
//! preview's choice of pages to render again all read from [`PAGES`]; adding a page kind
//! is a [`Kind`], a row here, its template and its view in `render`.

use std::borrow::Cow;
use std::ops::Range;

use crate::load::content::EntryKind;
use crate::resolve::model::Dossier;

/// Every kind of page or generated file, in the order of [`PAGES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Home,
    ClaimIndex,
    SourceIndex,
    ActorIndex,
    TagIndex,
    Timeline,
    Corrections,
    NotFound,
    Atom,
    Sitemap,
    Robots,
    Data,
    Map,
    Print,
    PrintPart,
    Search,
    Bibliography,
    Stix,
    Claim,
    Source,
    Actor,
    Page,
    Tag,
    Event,
}

/// One page of the site: its kind and, for a kind with one page per entry, which entry
/// (its position in the dossier's list of that collection; 0 otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SitePage {
    pub kind: Kind,
    pub item: usize,
}

impl SitePage {
    /// The single page of a kind with one page.
    pub const fn one(kind: Kind) -> SitePage {
        SitePage { kind, item: 0 }
    }

    /// The page of entry `item` of a kind with one page per entry.
    pub const fn of(kind: Kind, item: usize) -> SitePage {
        SitePage { kind, item }
    }

    /// This page's row of [`PAGES`].
    pub fn spec(self) -> &'static Spec {
        self.kind.spec()
    }
}

/// The entries a kind with one page per entry is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Claims,
    Sources,
    Actors,
    /// Plain pages, published at their own path.
    Pages,
    Tags,
    Events,
    /// The print edition's parts after the first.
    PrintParts,
}

impl Collection {
    /// How many entries the dossier has.
    pub fn len(self, d: &Dossier) -> usize {
        match self {
            Collection::Claims => d.claims.len(),
            Collection::Sources => d.sources.len(),
            Collection::Actors => d.actors.len(),
            Collection::Pages => d.pages.len(),
            Collection::Tags => d.tags.len(),
            Collection::Events => d.events.len(),
            Collection::PrintParts => print_parts(d).len() - 1,
        }
    }

    /// The path segment of entry `i`: an id, a page's path, a tag's slug or a part's
    /// number.
    pub(crate) fn slug(self, d: &Dossier, i: usize) -> Cow<'_, str> {
        match self {
            Collection::Claims => Cow::Borrowed(&d.claims[i].id),
            Collection::Sources => Cow::Borrowed(&d.sources[i].id),
            Collection::Actors => Cow::Borrowed(&d.actors[i].id),
            Collection::Pages => Cow::Borrowed(&d.pages[i].path),
            Collection::Tags => Cow::Borrowed(&d.tags[i].slug),
            Collection::Events => Cow::Borrowed(&d.events[i].id),
            Collection::PrintParts => Cow::Owned(print_part_slug(i + 1)),
        }
    }
}

/// Where a kind's pages are published, relative to the site root.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    /// One page at this path: a folder (`map/`, written as `map/index.html`), a file
    /// (`atom.xml`), or the home page (``).
    One(&'static str),
    /// One page per entry, at `<prefix><slug>/`.
    Each(&'static str, Collection),
}

/// What of the whole dossier a page shows besides the entries it records (see
/// `render::Shown`): when any of it changes, the preview renders the page again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shows(u16);

impl Shows {
    pub(crate) const NOTHING: Shows = Shows(0);
    /// Claims as listed: one added or removed, or what a list shows of one changed.
    pub(crate) const CLAIMS: Shows = Shows(1);
    pub(crate) const SOURCES: Shows = Shows(1 << 1);
    pub(crate) const ACTORS: Shows = Shows(1 << 2);
    pub const TAGS: Shows = Shows(1 << 3);
    /// The home page's own title.
    pub(crate) const HOME: Shows = Shows(1 << 4);
    /// Which claim disputes or supports which.
    pub(crate) const RELATIONS: Shows = Shows(1 << 5);
    /// Which pages exist.
    pub(crate) const PAGE_SET: Shows = Shows(1 << 6);
    /// Any source file's front matter or body.
    pub(crate) const SOURCE_FILES: Shows = Shows(1 << 7);
    /// Events as listed.
    pub(crate) const EVENTS: Shows = Shows(1 << 8);
    /// Everything: the page holds the whole dossier.
    pub(crate) const ALL: Shows = Shows(u16::MAX);

    /// Both sets.
    pub const fn and(self, other: Shows) -> Shows {
        Shows(self.0 | other.0)
    }

    /// Whether the two sets share anything.
    pub(crate) fn meets(self, other: Shows) -> bool {
        self.0 & other.0 != 0
    }
}

/// A row of the page table.
#[derive(Debug)]
pub struct Spec {
    pub kind: Kind,
    /// The kind's name, as templates see it in `page.kind`.
    pub name: &'static str,
    /// What the page is, in words, for messages: "the dispute map".
    pub what: &'static str,
    pub place: Place,
    /// The template that renders it, or `None` for a file dossier writes itself.
    pub template: Option<&'static str>,
    /// An HTML page, listed in the sitemap.
    pub html: bool,
    /// It can run to tens of megabytes: a build writes it to its file as it is rendered,
    /// and the preview renders it only when it is asked for.
    pub large: bool,
    /// Published in every language of the site (under `/<tag>/` for a translated
    /// edition), not only once at the root.
    pub editions: bool,
    pub shows: Shows,
}

/// Every kind of page, in the order of [`Kind`].
#[rustfmt::skip]
const PAGES: [Spec; 24] = {
    use Collection as C;
    use Kind as K;
    use Place::{Each, One};
    const CLAIMS: Shows = Shows::CLAIMS;
    const SOURCES: Shows = Shows::SOURCES;
    const ACTORS: Shows = Shows::ACTORS;
    const NOTHING: Shows = Shows::NOTHING;
    [
        //   kind            name            what                          place                          template              html   shows
        spec(K::Home,        "home",         "the home page",              One(""),                       Some("home.html"),     true,  CLAIMS.and(ACTORS).and(Shows::HOME).and(Shows::RELATIONS)),
        spec(K::ClaimIndex,  "claims",       "the claims index",           One("claims/"),                Some("claims.html"),   true,  CLAIMS),
        spec(K::SourceIndex, "sources",      "the sources index",          One("sources/"),               Some("sources.html"),  true,  SOURCES),
        spec(K::ActorIndex,  "actors",       "the actors index",           One("actors/"),                Some("actors.html"),   true,  ACTORS),
        spec(K::TagIndex,    "tags",         "the tags index",             One("tags/"),                  Some("tags.html"),     true,  Shows::TAGS),
        spec(K::Timeline,    "timeline",     "the timeline",               One("timeline/"),              Some("timeline.html"), true,  CLAIMS.and(SOURCES).and(ACTORS).and(Shows::EVENTS)),
        spec(K::Corrections, "corrections",  "the corrections page",       One("corrections/"),           Some("corrections.html"), true, CLAIMS.and(SOURCES).and(ACTORS).and(Shows::EVENTS).and(Shows::HOME).and(Shows::PAGE_SET)),
        spec(K::NotFound,    "404",          "the not-found page",         One("404.html"),               Some("404.html"),      false, NOTHING).root_only(),
        spec(K::Atom,        "atom",         "the Atom feed",              One("atom.xml"),               Some("atom.xml"),      false, CLAIMS.and(SOURCES)),
        spec(K::Sitemap,     "sitemap",      "the sitemap",                One("sitemap.xml"),            Some("sitemap.xml"),   false, Shows::PAGE_SET).root_only(),
        spec(K::Robots,      "robots",       "robots.txt",                 One("robots.txt"),             Some("robots.txt"),    false, NOTHING).root_only(),
        spec(K::Data,        "data",         "the data export",            One("dossier.json"),           None,                  false, Shows::ALL).large().root_only(),
        spec(K::Map,         "map",          "the dispute map",            One("map/"),                   Some("map.html"),      true,  CLAIMS.and(ACTORS).and(Shows::RELATIONS)),
        spec(K::Print,       "print",        "the print page",             One("print/"),                 Some("print.html"),    true,  Shows::ALL).large(),
        spec(K::PrintPart,   "print",        "the print edition's parts",  Each("print/", C::PrintParts), Some("print.html"),    true,  Shows::ALL).large(),
        spec(K::Search,      "search",       "the search page",            One("search/"),                Some("search.html"),   true,  NOTHING),
        spec(K::Bibliography,"bibliography", "the CSL-JSON bibliography",  One("bibliography.json"),      None,                  false, SOURCES.and(Shows::SOURCE_FILES)).root_only(),
        spec(K::Stix,        "stix",         "the STIX 2.1 bundle",        One("dossier.stix.json"),      None,                  false, Shows::ALL).large().root_only(),
        spec(K::Claim,       "claim",        "the claim pages",            Each("claims/", C::Claims),    Some("claim.html"),    true,  NOTHING),
        spec(K::Source,      "source",       "the source pages",           Each("sources/", C::Sources),  Some("source.html"),   true,  NOTHING),
        spec(K::Actor,       "actor",        "the actor pages",            Each("actors/", C::Actors),    Some("actor.html"),    true,  NOTHING),
        spec(K::Page,        "page",         "a plain page",               Each("", C::Pages),            Some("page.html"),     true,  NOTHING),
        spec(K::Tag,         "tag",          "the tag pages",              Each("tags/", C::Tags),        Some("tag.html"),      true,  NOTHING),
        spec(K::Event,       "event",        "the event pages",            Each("events/", C::Events),    Some("event.html"),    true,  NOTHING),
    ]
};

#[allow(clippy::too_many_arguments)]
const fn spec(
    kind: Kind,
    name: &'static str,
    what: &'static str,
    place: Place,
    template: Option<&'static str>,
    html: bool,
    shows: Shows,
) -> Spec {
    Spec {
        kind,
        name,
        what,
        place,
        template,
        html,
        large: false,
        editions: true,
        shows,
    }
}

/// How many claims one part of the print edition holds, and how many sources: a part of
/// heavy claims is then a few megabytes, which a browser opens and prints.
const PRINT_PART_CLAIMS: usize = 250;
const PRINT_PART_SOURCES: usize = 1000;

/// What one part of the print edition holds: claims (positions in date order), sources
/// (positions in the dossier's order); the first part has the introduction, the last the
/// actors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrintPart {
    pub claims: Range<usize>,
    pub sources: Range<usize>,
}

/// The parts of the print edition: one for a dossier within a part's claims and sources,
/// else the claims a part's worth at a time, then the sources.
pub(crate) fn print_parts(d: &Dossier) -> Vec<PrintPart> {
    let (claims, sources) = (d.claims.len(), d.sources.len());
    if claims <= PRINT_PART_CLAIMS && sources <= PRINT_PART_SOURCES {
        return vec![PrintPart {
            claims: 0..claims,
            sources: 0..sources,
        }];
    }
    let chunks =
        |n: usize, per: usize| (0..n.div_ceil(per)).map(move |k| k * per..n.min((k + 1) * per));
    let mut parts: Vec<PrintPart> = chunks(claims, PRINT_PART_CLAIMS)
        .map(|c| PrintPart {
            claims: c,
            sources: 0..0,
        })
        .collect();
    parts.extend(chunks(sources, PRINT_PART_SOURCES).map(|s| PrintPart {
        claims: claims..claims,
        sources: s,
    }));
    parts
}

/// The path segment of part `k` (from 0, and not the first) of the print edition: its
/// number from 1.
fn print_part_slug(k: usize) -> String {
    (k + 1).to_string()
}

/// The site path of part `k` (from 0) of the print edition.
pub(crate) fn print_part_path(k: usize) -> String {
    match k {
        0 => path_of(Kind::Print, ""),
        _ => path_of(Kind::PrintPart, &print_part_slug(k)),
    }
}

/// The stylesheet of highlighted code.
pub(crate) const HIGHLIGHT_CSS: &str = "highlight.css";
/// The folder of the search index.
pub(crate) const SEARCH_DIR: &str = "search-index";

/// Files dossier generates that are not pages: output-relative path, whether it is a
/// folder, and what it is.
const OTHER_FILES: [(&str, bool, &str); 2] = [
    (HIGHLIGHT_CSS, false, "the code-highlighting stylesheet"),
    (SEARCH_DIR, true, "the search index"),
];

impl Spec {
    /// The same row, for a page or file published once for the whole site.
    const fn root_only(self) -> Spec {
        Spec {
            editions: false,
            ..self
        }
    }

    /// The same row, for a page that can run to tens of megabytes.
    const fn large(self) -> Spec {
        Spec {
            large: true,
            ..self
        }
    }
}

impl Kind {
    /// This kind's row of [`PAGES`].
    pub fn spec(self) -> &'static Spec {
        &PAGES[self as usize]
    }
}

/// Every page and generated file of the site, in table order.
pub fn all_pages(d: &Dossier) -> Vec<SitePage> {
    let mut v = Vec::new();
    for s in &PAGES {
        match s.place {
            Place::One(_) => v.push(SitePage::one(s.kind)),
            Place::Each(_, c) => v.extend((0..c.len(d)).map(|i| SitePage::of(s.kind, i))),
        }
    }
    v
}

/// The pages of one language of the site: every page for the original, the pages
/// published in every language for a translated edition.
pub(crate) fn pages_of(d: &Dossier, edition: bool) -> Vec<SitePage> {
    let mut v = all_pages(d);
    if edition {
        v.retain(|p| p.spec().editions);
    }
    v
}

/// The site path of a page (no leading slash; empty for the home page).
pub fn site_path(page: SitePage, d: &Dossier) -> String {
    match page.spec().place {
        Place::One(path) => path.to_string(),
        Place::Each(_, c) => path_of(page.kind, &c.slug(d, page.item)),
    }
}

/// The site path of the page of the entry `slug` (an id, a page's path, a tag's slug)
/// of a kind with one page per entry.
pub(crate) fn path_of(kind: Kind, slug: &str) -> String {
    match kind.spec().place {
        Place::Each(prefix, _) => format!("{prefix}{slug}/"),
        Place::One(path) => path.to_string(),
    }
}

/// The site path of a claim's, source's or actor's page.
pub(crate) fn entry_path(kind: EntryKind, id: &str) -> String {
    let kind = match kind {
        EntryKind::Claim => Kind::Claim,
        EntryKind::Source => Kind::Source,
        EntryKind::Actor => Kind::Actor,
        EntryKind::Event => Kind::Event,
    };
    path_of(kind, id)
}

/// The file a page is written to, relative to the output folder.
pub(crate) fn output_path(page: SitePage, d: &Dossier) -> String {
    file_of(&site_path(page, d))
}

/// The file of a site path: a folder's `index.html`, or the path itself.
fn file_of(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

/// The file an earlier address of a page (`aliases = ["/claims/old-id/"]`) is published
/// as, relative to the output folder, or what is wrong with the address.
pub(crate) fn alias_output(alias: &str) -> Result<String, String> {
    let path = alias
        .strip_prefix('/')
        .ok_or("an alias is an earlier address of the page on this site, starting with `/`, like `/claims/old-id/`")?
        .trim_end_matches('/');
    let bad = path.is_empty()
        || path.contains(['?', '#', '\\', ':'])
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..");
    if bad {
        return Err(format!(
            "`{alias}` is not an address a page can have: give its path on this site, like `/claims/old-id/`"
        ));
    }
    Ok(if path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}/index.html")
    })
}

/// The generated page or file an alias's file would replace, if any: a page dossier
/// writes once, or a file beside the pages. Inside a folder of per-entry pages
/// (`/claims/…/`), only a page that exists is taken.
pub(crate) fn taken_by_generated(output: &str) -> Option<String> {
    let in_folder = PAGES.iter().any(|s| {
        matches!(s.place, Place::Each(prefix, _) if !prefix.is_empty() && output.starts_with(prefix))
    });
    generated_at(output).filter(|_| !in_folder)
}

/// What generated page or file, if any, a file of the content published at
/// `output` (relative to the output folder) would collide with. Folders of per-entry
/// pages (`claims/`, `tags/`…) are reserved for their pages whole, so that an entry
/// added later cannot collide with a page written before it.
pub(crate) fn generated_at(output: &str) -> Option<String> {
    for s in &PAGES {
        match s.place {
            Place::One(path) if file_of(path) == output => return Some(s.what.to_string()),
            Place::Each(prefix, _)
                if !prefix.is_empty()
                    && output.starts_with(prefix)
                    && output.ends_with("index.html") =>
            {
                return Some(format!("{} (`/{prefix}…/`)", s.what));
            }
            _ => {}
        }
    }
    OTHER_FILES.iter().find_map(|&(path, folder, what)| {
        let hit = match folder {
            true => output
                .strip_prefix(path)
                .is_some_and(|r| r.starts_with('/')),
            false => output == path,
        };
        hit.then(|| what.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_kind_order() {
        for (i, s) in PAGES.iter().enumerate() {
            assert_eq!(s.kind as usize, i, "{:?}", s.kind);
        }
    }

    #[test]
    fn architecture_md_lists_every_kind() {
        let doc = include_str!("../../ARCHITECTURE.md");
        for s in &PAGES {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{:?}` | `{}` |", s.kind, s.name)))
                .unwrap_or_else(|| panic!("no row for {:?} in ARCHITECTURE.md", s.kind));
            if let Some(t) = s.template {
                assert!(row.contains(&format!("`{t}`")), "{row}");
            }
            let path = match s.place {
                Place::One(p) => format!("`/{p}`"),
                Place::Each(prefix, _) => format!("`/{prefix}<"),
            };
            assert!(row.contains(&path), "{row}");
            let every_language = row.split('|').nth(7).map(str::trim);
            assert_eq!(every_language == Some("yes"), s.editions, "{row}");
        }
    }

    #[test]
    fn generated_paths_are_reserved() {
        assert!(
            generated_at("map/index.html")
                .unwrap()
                .contains("dispute map")
        );
        assert!(generated_at("print/index.html").is_some());
        assert!(generated_at("highlight.css").is_some());
        assert!(generated_at("search-index/meta.json").is_some());
        assert!(generated_at("tags/x/index.html").is_some());
        assert!(
            generated_at("claims/index.html")
                .unwrap()
                .contains("claims index")
        );
        assert_eq!(generated_at("method/index.html"), None);
        assert_eq!(generated_at("claims/map.png"), None);
        assert_eq!(generated_at("maps/index.html"), None);
    }
}

//! Which pages exist at which URL, and the view each template receives.
//! Every page is rendered independently from the shared [`Dossier`], so pages can be
//! rendered in parallel and a single page can be rendered again on its own.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use tera::Value;

use crate::config::Settings;
use crate::content::meta::Citation;
use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::templates::{StaticFile, Theme};

/// One file of the built site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    ClaimIndex,
    SourceIndex,
    ActorIndex,
    Claim(usize),
    Source(usize),
    Actor(usize),
    Page(usize),
    TagIndex,
    Tag(usize),
    Timeline,
    NotFound,
    Atom,
    Sitemap,
    Robots,
    Data,
    /// `/map/`: the dispute map.
    Map,
    /// `/print/`: the whole dossier on one page, for printing.
    Print,
    /// `/search/`: the search page.
    Search,
    /// `/bibliography.json`: every source as CSL-JSON.
    Bibliography,
}

/// Every page and generated file of the site.
pub fn all_pages(d: &Dossier) -> Vec<PageKind> {
    let mut v = vec![
        PageKind::Home,
        PageKind::ClaimIndex,
        PageKind::SourceIndex,
        PageKind::ActorIndex,
        PageKind::TagIndex,
        PageKind::Timeline,
        PageKind::NotFound,
        PageKind::Atom,
        PageKind::Sitemap,
        PageKind::Robots,
        PageKind::Data,
        PageKind::Map,
        PageKind::Print,
        PageKind::Search,
        PageKind::Bibliography,
    ];
    v.extend((0..d.claims.len()).map(PageKind::Claim));
    v.extend((0..d.sources.len()).map(PageKind::Source));
    v.extend((0..d.actors.len()).map(PageKind::Actor));
    v.extend((0..d.pages.len()).map(PageKind::Page));
    v.extend((0..d.tags.len()).map(PageKind::Tag));
    v
}

/// The site path of a page (no leading slash; empty for the home page).
pub fn site_path(kind: PageKind, d: &Dossier) -> String {
    match kind {
        PageKind::Home => String::new(),
        PageKind::ClaimIndex => "claims/".into(),
        PageKind::SourceIndex => "sources/".into(),
        PageKind::ActorIndex => "actors/".into(),
        PageKind::Claim(i) => format!("claims/{}/", d.claims[i].id),
        PageKind::Source(i) => format!("sources/{}/", d.sources[i].id),
        PageKind::Actor(i) => format!("actors/{}/", d.actors[i].id),
        PageKind::Page(i) => format!("{}/", d.pages[i].path),
        PageKind::TagIndex => "tags/".into(),
        PageKind::Tag(i) => format!("tags/{}/", d.tags[i].slug),
        PageKind::Timeline => "timeline/".into(),
        PageKind::NotFound => "404.html".into(),
        PageKind::Atom => "atom.xml".into(),
        PageKind::Sitemap => "sitemap.xml".into(),
        PageKind::Robots => "robots.txt".into(),
        PageKind::Data => "dossier.json".into(),
        PageKind::Map => "map/".into(),
        PageKind::Print => "print/".into(),
        PageKind::Search => "search/".into(),
        PageKind::Bibliography => "bibliography.json".into(),
    }
}

/// The file a page is written to, relative to the output folder.
pub fn output_path(kind: PageKind, d: &Dossier) -> String {
    let p = site_path(kind, d);
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p
    }
}

/// An entry as other pages show it, in lists and reference entries. Rendering a page
/// records every entry it showed, so the preview knows which pages to render again when
/// what is shown of an entry changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Shown {
    Claim(String),
    Source(String),
    Actor(String),
    Page(String),
    Home,
    Tag(String),
}

/// A rendered page and the entries it showed, or why it could not be rendered.
pub type Recorded = Result<(Vec<u8>, Vec<Shown>), Diagnostic>;

/// Every entry that other pages may show, as a [`Shown`] key.
pub fn shown_keys(d: &Dossier) -> Vec<Shown> {
    d.claims
        .iter()
        .map(|c| Shown::Claim(c.id.clone()))
        .chain(d.sources.iter().map(|s| Shown::Source(s.id.clone())))
        .chain(d.actors.iter().map(|a| Shown::Actor(a.id.clone())))
        .chain(d.pages.iter().map(|p| Shown::Page(p.path.clone())))
        .chain(d.home.iter().map(|_| Shown::Home))
        .chain(d.tags.iter().map(|t| Shown::Tag(t.slug.clone())))
        .collect()
}

/// A digest of what pages show of every entry (see [`Shown`]).
pub fn shown_digests(d: &Dossier, settings: &Settings) -> FxHashMap<Shown, u64> {
    digests_of(d, settings, shown_keys(d)).into_iter().collect()
}

/// The digests of the entries `keys` name, leaving out those that do not exist.
pub fn digests_of(d: &Dossier, settings: &Settings, keys: Vec<Shown>) -> Vec<(Shown, u64)> {
    keys.into_par_iter()
        .filter_map(|k| {
            let v = Views::new(d, settings);
            let digest = v.digest_of(&k)?;
            Some((k, digest))
        })
        .collect()
}

/// A digest of a value.
fn digest<T: Hash>(value: &T) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A file of the site that is not rendered from a template.
pub enum SiteFile {
    /// Made by dossier itself.
    Generated(Vec<u8>),
    /// A static file of the built-in theme.
    Embedded(&'static [u8]),
    /// Copied as it is: a static file, or a file next to the content.
    Disk(std::path::PathBuf),
}

/// Every file of the site besides the pages, by output-relative path: the highlighting
/// stylesheet, the theme's and the site's static files, and the files next to the content.
pub fn other_files(d: &Dossier, theme: &Theme, settings: &Settings) -> Vec<(String, SiteFile)> {
    let css = crate::markdown::highlight::stylesheet(&settings.config.markdown.highlight_theme);
    let mut files = vec![(
        "highlight.css".to_string(),
        SiteFile::Generated(css.into_bytes()),
    )];
    files.extend(theme.static_files.iter().map(|(rel, f)| {
        let file = match f {
            StaticFile::Embedded(bytes) => SiteFile::Embedded(bytes),
            StaticFile::Disk(path) => SiteFile::Disk(path.clone()),
        };
        (rel.clone(), file)
    }));
    files.extend(
        d.assets
            .iter()
            .map(|a| (a.content_path.clone(), SiteFile::Disk(a.path.clone()))),
    );
    files
}

/// Whether the page shows one entry (a claim, source, actor, plain page or tag) rather
/// than the whole dossier.
pub fn is_entry_page(kind: PageKind) -> bool {
    matches!(
        kind,
        PageKind::Claim(_)
            | PageKind::Source(_)
            | PageKind::Actor(_)
            | PageKind::Page(_)
            | PageKind::Tag(_)
    )
}

/// Whether a page is an HTML page listed in the sitemap.
fn is_html_page(kind: PageKind) -> bool {
    !matches!(
        kind,
        PageKind::NotFound
            | PageKind::Atom
            | PageKind::Sitemap
            | PageKind::Robots
            | PageKind::Data
            | PageKind::Bibliography
    )
}

/// List views of every entry, each converted to a template value the first time a page
/// needs it; values are shared, so a list of 10,000 claims costs 10,000 pointer copies.
struct LinkValues {
    claims: Vec<OnceLock<Value>>,
    sources: Vec<OnceLock<Value>>,
}

impl LinkValues {
    fn new(d: &Dossier) -> Self {
        LinkValues {
            claims: d.claims.iter().map(|_| OnceLock::new()).collect(),
            sources: d.sources.iter().map(|_| OnceLock::new()).collect(),
        }
    }
}

/// Renders the pages of one dossier. What every page shares (the `site` context) is
/// built once, so rendering a page costs only that page's own view.
pub struct Renderer<'a> {
    d: &'a Dossier,
    theme: &'a Theme,
    settings: &'a Settings,
    base: tera::Context,
    site_digest: u64,
    links: LinkValues,
}

impl<'a> Renderer<'a> {
    /// Prepares rendering for a resolved dossier.
    pub fn new(d: &'a Dossier, theme: &'a Theme, settings: &'a Settings) -> Self {
        let mut base = tera::Context::new();
        let site = Views::new(d, settings).site();
        let site_digest = digest(&site);
        base.insert("site", &site);
        Renderer {
            d,
            theme,
            settings,
            base,
            site_digest,
            links: LinkValues::new(d),
        }
    }

    /// Converts every claim's and source's list view up front, in parallel, for a build
    /// that renders every page (the preview converts them as pages need them).
    pub fn prepare_lists(&self) {
        let v = || Views::new(self.d, self.settings);
        self.links
            .claims
            .par_iter()
            .enumerate()
            .for_each(|(i, cell)| {
                cell.get_or_init(|| Value::from_serializable(&v().claim_link(i)));
            });
        self.links
            .sources
            .par_iter()
            .enumerate()
            .for_each(|(i, cell)| {
                cell.get_or_init(|| Value::from_serializable(&v().source_link(i)));
            });
    }

    /// A digest of what every page shows of the site as a whole (title, navigation, counts).
    pub fn site_digest(&self) -> u64 {
        self.site_digest
    }

    /// Renders one page to the bytes of its file.
    pub fn render(&self, kind: PageKind) -> Result<Vec<u8>, Diagnostic> {
        let v = Views::with_links(self.d, self.settings, &self.links, false);
        let room = room_for(kind, self.d);
        to_bytes(room, |out| {
            render(kind, &v, self.theme, self.base.clone(), out)
        })
    }

    /// Renders one page straight into `out`, for files too large to hold in memory whole
    /// (the print page and the data export of a large dossier).
    pub fn render_to(&self, kind: PageKind, out: &mut dyn Write) -> Result<(), RenderError> {
        let v = Views::with_links(self.d, self.settings, &self.links, false);
        render(kind, &v, self.theme, self.base.clone(), out)
    }

    /// Renders one page and tells which entries it showed.
    pub fn render_recorded(&self, kind: PageKind) -> Recorded {
        let v = Views::with_links(self.d, self.settings, &self.links, true);
        let room = room_for(kind, self.d);
        let bytes = to_bytes(room, |out| {
            render(kind, &v, self.theme, self.base.clone(), out)
        })?;
        Ok((bytes, v.shown.map(RefCell::into_inner).unwrap_or_default()))
    }
}

/// Why a page could not be rendered into its writer.
#[derive(Debug)]
pub enum RenderError {
    /// A template failed.
    Template(Diagnostic),
    /// The writer failed (a full disk, say).
    Write(std::io::Error),
}

impl From<Diagnostic> for RenderError {
    fn from(d: Diagnostic) -> Self {
        RenderError::Template(d)
    }
}

impl From<std::io::Error> for RenderError {
    fn from(e: std::io::Error) -> Self {
        RenderError::Write(e)
    }
}

/// Room to reserve for a page rendered into memory: a large page (the preview renders
/// them on request) gets room for all of it at once, since growing a buffer of tens of
/// megabytes by doubling holds two copies at each step; reserved but unwritten room costs
/// no memory.
fn room_for(kind: PageKind, d: &Dossier) -> usize {
    if !is_large(kind) {
        return 0;
    }
    let text: usize = d
        .claims
        .iter()
        .map(|c| c.body.rendered.html.len())
        .sum::<usize>()
        + d.sources
            .iter()
            .map(|s| s.body.rendered.html.len())
            .sum::<usize>();
    2 * text + 4096 * (d.claims.len() + d.sources.len() + d.actors.len() + 1)
}

/// What `render` writes, collected in memory.
fn to_bytes(
    room: usize,
    render: impl FnOnce(&mut dyn Write) -> Result<(), RenderError>,
) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::with_capacity(room);
    match render(&mut bytes) {
        Ok(()) => Ok(bytes),
        Err(RenderError::Template(d)) => Err(d),
        // Writing into memory does not fail; should it, it is reported, not hidden.
        Err(RenderError::Write(e)) => Err(Diagnostic::error(
            String::new(),
            0,
            0,
            format!("cannot render a page: {e}"),
        )),
    }
}

/// Whether a page can run to tens of megabytes, so that a build writes it to its file as
/// it is rendered rather than holding it in memory.
pub fn is_large(kind: PageKind) -> bool {
    matches!(kind, PageKind::Print | PageKind::Data)
}

fn render(
    kind: PageKind,
    v: &Views<'_>,
    theme: &Theme,
    mut ctx: tera::Context,
    out: &mut dyn Write,
) -> Result<(), RenderError> {
    let (d, settings) = (v.d, v.s);
    let path = site_path(kind, d);
    // The print page's sections, rendered and spliced in after the page (see `splice`).
    let mut sections: Vec<(&str, Vec<Section>)> = Vec::new();
    let section_ctx = (kind == PageKind::Print).then(|| ctx.clone());
    let (template, title) = match kind {
        PageKind::Home => {
            ctx.insert(
                "intro_html",
                &d.home
                    .as_ref()
                    .map(|h| h.body.rendered.html.as_str())
                    .unwrap_or(""),
            );
            ctx.insert(
                "references",
                &d.home
                    .as_ref()
                    .map(|h| v.references(&h.body, &[]))
                    .unwrap_or_default(),
            );
            ctx.insert("disputes", &v.disputes());
            (
                "home.html",
                d.home
                    .as_ref()
                    .and_then(|h| h.meta.title.clone())
                    .unwrap_or_else(|| settings.config.title.clone()),
            )
        }
        PageKind::ClaimIndex => {
            ctx.insert("claims", &v.claims_by_date());
            ("claims.html", "Claims".into())
        }
        PageKind::SourceIndex => {
            let list: Vec<Value> = (0..d.sources.len()).map(|i| v.source_value(i)).collect();
            ctx.insert("sources", &list);
            ("sources.html", "Sources".into())
        }
        PageKind::ActorIndex => {
            let list: Vec<ActorSummary> = (0..d.actors.len()).map(|i| v.actor_summary(i)).collect();
            ctx.insert("actors", &list);
            ("actors.html", "Actors".into())
        }
        PageKind::Claim(i) => {
            ctx.insert("claim", &v.claim(i));
            ("claim.html", d.claims[i].meta.title.clone())
        }
        PageKind::Source(i) => {
            ctx.insert("source", &v.source(i));
            ("source.html", d.sources[i].meta.title.clone())
        }
        PageKind::Actor(i) => {
            ctx.insert("actor", &v.actor(i));
            ("actor.html", d.actors[i].meta.title.clone())
        }
        PageKind::Page(i) => {
            let p = &d.pages[i];
            ctx.insert("content_html", &p.body.rendered.html);
            ctx.insert("references", &v.references(&p.body, &[]));
            ctx.insert("mentioned_in", &v.mentions(&p.body));
            ("page.html", p.meta.title.clone())
        }
        PageKind::TagIndex => {
            let tags: Vec<TagLink> = d
                .tags
                .iter()
                .map(|t| TagLink {
                    name: t.name.clone(),
                    url: t.url.clone(),
                    count: t.claims.len(),
                })
                .collect();
            ctx.insert("tags", &tags);
            ("tags.html", "Tags".into())
        }
        PageKind::Tag(i) => {
            let t = &d.tags[i];
            ctx.insert(
                "tag",
                &TagLink {
                    name: t.name.clone(),
                    url: t.url.clone(),
                    count: t.claims.len(),
                },
            );
            ctx.insert(
                "claims",
                &t.claims
                    .iter()
                    .map(|&c| v.claim_value(c))
                    .collect::<Vec<_>>(),
            );
            ("tag.html", format!("Tag: {}", t.name))
        }
        PageKind::Timeline => {
            ctx.insert("years", &v.timeline());
            ("timeline.html", "Timeline".into())
        }
        PageKind::NotFound => ("404.html", "Page not found".into()),
        PageKind::Atom => {
            ctx.insert("entries", &v.feed_entries());
            ("atom.xml", settings.config.title.clone())
        }
        PageKind::Sitemap => {
            let urls: Vec<String> = all_pages(d)
                .into_iter()
                .filter(|k| is_html_page(*k))
                .map(|k| settings.permalink(&site_path(k, d)))
                .collect();
            ctx.insert("urls", &urls);
            ("sitemap.xml", String::new())
        }
        PageKind::Robots => {
            ctx.insert("sitemap_url", &settings.permalink("sitemap.xml"));
            ("robots.txt", String::new())
        }
        PageKind::Data => return Ok(crate::export::write_dossier_json(d, settings, out)?),
        PageKind::Bibliography => return Ok(out.write_all(&crate::export::bibliography_json(d))?),
        PageKind::Map => {
            ctx.insert("map_svg", &crate::map::site_map(d));
            ctx.insert("relations", &v.relations());
            let unlinked: Vec<Value> = crate::map::unlinked(d)
                .into_iter()
                .map(|i| v.claim_value(i))
                .collect();
            ctx.insert("unlinked", &unlinked);
            ("map.html", "Dispute map".into())
        }
        PageKind::Print => {
            ctx.insert(
                "intro_html",
                &d.home
                    .as_ref()
                    .map(|h| prefix_ids(&h.body.rendered.html, "intro"))
                    .unwrap_or_default(),
            );
            ctx.insert(
                "intro_references",
                &d.home
                    .as_ref()
                    .map(|h| v.print_references(&h.body, &[], "intro"))
                    .unwrap_or_default(),
            );
            let order = v.date_order();
            let contents: Vec<PrintLink> = order
                .iter()
                .map(|&i| PrintLink {
                    title: d.claims[i].meta.title.clone(),
                    anchor: format!("claim-{}", d.claims[i].id),
                })
                .collect();
            ctx.insert("contents", &contents);
            ctx.insert("claim_sections", CLAIM_SECTIONS);
            ctx.insert("source_sections", SOURCE_SECTIONS);
            let claims = order.into_iter().map(Section::Claim).collect();
            let sources = (0..d.sources.len()).map(Section::Source).collect();
            sections = vec![(CLAIM_SECTIONS, claims), (SOURCE_SECTIONS, sources)];
            let actors: Vec<ActorSummary> =
                (0..d.actors.len()).map(|i| v.actor_summary(i)).collect();
            ctx.insert("actors", &actors);
            ("print.html", settings.config.title.clone())
        }
        PageKind::Search => ("search.html", "Search".into()),
    };
    let description = match kind {
        PageKind::Claim(i) => d.claims[i].meta.summary.clone(),
        PageKind::Page(i) => d.pages[i].meta.description.clone(),
        PageKind::Home => d
            .home
            .as_ref()
            .and_then(|h| h.meta.description.clone())
            .or_else(|| settings.config.description.clone()),
        _ => None,
    };
    let jsonld = match kind {
        PageKind::Claim(i) => Some(crate::export::claim_jsonld(d, settings, i)),
        _ => None,
    };
    ctx.insert(
        "page",
        &PageInfo {
            kind: kind_name(kind),
            title,
            description,
            url: settings.url(&path),
            permalink: settings.permalink(&path),
            jsonld,
        },
    );
    let html = theme.render(template, &ctx)?;
    if sections.is_empty() {
        return Ok(out.write_all(html.as_bytes())?);
    }
    // Each claim's and source's section is rendered on its own, in parallel: one context
    // holding the whole dossier's text would be slow and large.
    let links = v.links;
    splice(&html, &sections, out, |&section| {
        let v = Views::with_links(d, settings, links, false);
        let (template, p) = match section {
            Section::Claim(i) => ("partials/print_claim.html", v.print_claim(i)),
            Section::Source(i) => ("partials/print_source.html", v.print_source(i)),
        };
        let mut c = section_ctx.clone().unwrap_or_default();
        c.insert("p", &p);
        theme.render(template, &c)
    })
}

/// One section of the print page.
#[derive(Clone, Copy)]
enum Section {
    Claim(usize),
    Source(usize),
}

/// Where the print page's claim sections go: the template prints this marker.
const CLAIM_SECTIONS: &str = "<!--dossier:claim-sections-->";
/// Where the print page's source sections go.
const SOURCE_SECTIONS: &str = "<!--dossier:source-sections-->";

/// Writes `html` with each marker replaced by its sections, each rendered by `render`.
/// The sections of a large dossier run to tens of megabytes: they are rendered a batch at
/// a time, in parallel, and written out batch by batch, instead of passing through the
/// template engine together or being held in memory whole.
fn splice<T: Sync>(
    html: &str,
    sections: &[(&str, Vec<T>)],
    out: &mut dyn Write,
    render: impl Fn(&T) -> Result<String, Diagnostic> + Sync,
) -> Result<(), RenderError> {
    let mut rest = html;
    loop {
        let next = sections
            .iter()
            .filter_map(|(marker, v)| rest.find(marker).map(|at| (at, *marker, v)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, marker, items)) = next else {
            return Ok(out.write_all(rest.as_bytes())?);
        };
        out.write_all(&rest.as_bytes()[..at])?;
        for batch in items.chunks(256) {
            let parts: Vec<String> = batch.par_iter().map(&render).collect::<Result<_, _>>()?;
            for part in parts {
                out.write_all(part.as_bytes())?;
            }
        }
        rest = &rest[at + marker.len()..];
    }
}

fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home",
        PageKind::ClaimIndex => "claims",
        PageKind::SourceIndex => "sources",
        PageKind::ActorIndex => "actors",
        PageKind::Claim(_) => "claim",
        PageKind::Source(_) => "source",
        PageKind::Actor(_) => "actor",
        PageKind::Page(_) => "page",
        PageKind::TagIndex => "tags",
        PageKind::Tag(_) => "tag",
        PageKind::Timeline => "timeline",
        PageKind::NotFound => "404",
        PageKind::Atom => "atom",
        PageKind::Sitemap => "sitemap",
        PageKind::Robots => "robots",
        PageKind::Data => "data",
        PageKind::Map => "map",
        PageKind::Print => "print",
        PageKind::Search => "search",
        PageKind::Bibliography => "bibliography",
    }
}

#[derive(Serialize)]
struct PageInfo {
    kind: &'static str,
    title: String,
    description: Option<String>,
    url: String,
    permalink: String,
    /// The page's schema.org JSON-LD, escaped for a `<script>` element.
    jsonld: Option<String>,
}

#[derive(Serialize, Hash)]
struct SiteView {
    title: String,
    description: Option<String>,
    base_url: String,
    base_path: String,
    language: String,
    nav: Vec<NavItem>,
    counts: Counts,
}

#[derive(Serialize, Hash)]
struct NavItem {
    title: String,
    url: String,
}

#[derive(Serialize, Hash)]
struct Counts {
    claims: usize,
    sources: usize,
    actors: usize,
    disputes: usize,
}

#[derive(Serialize, Clone, Hash)]
struct Grade {
    grade: String,
    words: &'static str,
}

/// Defines a list view (a claim, source or actor as shown in lists) whose fields can also
/// be written at the top level of a page view, as `page_view!` does; `#[serde(flatten)]`
/// would do the same but makes the template engine allocate every key as a string.
macro_rules! link_view {
    ($(#[$m:meta])* struct $name:ident { $($field:ident: $ty:ty,)* }) => {
        $(#[$m])*
        struct $name {
            $($field: $ty,)*
        }
        impl $name {
            const FIELDS: usize = [$(stringify!($field)),*].len();
            fn fields<M: SerializeStruct>(&self, m: &mut M) -> Result<(), M::Error> {
                $(m.serialize_field(stringify!($field), &self.$field)?;)*
                Ok(())
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_struct(stringify!($name), Self::FIELDS)?;
                self.fields(&mut m)?;
                m.end()
            }
        }
    };
}

/// Defines a page view: its `link` (a `link_view!`) followed by its own fields, all at
/// one level, as templates see them (`claim.title`, `claim.references`).
macro_rules! page_view {
    ($(#[$m:meta])* struct $name:ident { link: $link:ty, $($(#[$fm:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$m])*
        struct $name {
            link: $link,
            $($(#[$fm])* $field: $ty,)*
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let own = [$(stringify!($field)),*].len();
                let mut m = s.serialize_struct(stringify!($name), <$link>::FIELDS + own)?;
                self.link.fields(&mut m)?;
                $(m.serialize_field(stringify!($field), &self.$field)?;)*
                m.end()
            }
        }
    };
}

link_view! {
    /// A claim as shown in lists.
    #[derive(Clone, Hash)]
    struct ClaimLink {
        id: String,
        title: String,
        url: String,
        date: String,
        date_iso: String,
        status: &'static str,
        claimants: Vec<ActorLink>,
        summary: Option<String>,
        disputes_count: usize,
        disputed_by_count: usize,
    }
}

link_view! {
    #[derive(Clone, Hash)]
    struct SourceLink {
        id: String,
        title: String,
        url: String,
        kind: Option<&'static str>,
        publisher: Option<String>,
        date: Option<String>,
        date_iso: Option<String>,
        reliability: Option<Grade>,
        cited_by_count: usize,
    }
}

link_view! {
    #[derive(Clone, Hash)]
    struct ActorLink {
        id: String,
        title: String,
        url: String,
        kind: Option<&'static str>,
    }
}

page_view! {
    #[derive(Hash)]
    struct ActorSummary {
        link: ActorLink,
        country: Option<String>,
        claims_count: usize,
        sources_count: usize,
    }
}

#[derive(Serialize)]
struct MentionLink {
    kind: &'static str,
    title: String,
    url: String,
}

#[derive(Serialize, Default)]
struct CitationView {
    locator: Option<String>,
    quote: Option<String>,
    /// For a quote: whether it was found in a local snapshot of the source.
    quote_verified: Option<bool>,
    quote_translation: Option<String>,
    credibility: Option<Grade>,
    note: Option<String>,
}

#[derive(Serialize)]
struct ReferenceView {
    number: usize,
    anchor: String,
    source: Value,
    authors: Vec<String>,
    original_url: Option<String>,
    archive_url: Option<String>,
    locators: Vec<String>,
    citations: Vec<CitationView>,
    markers: Vec<String>,
}

page_view! {
    struct ClaimView {
        link: ClaimLink,
        assessment: Option<crate::content::meta::Assessment>,
        tags: Vec<TagLink>,
        content_html: String,
        references: Vec<ReferenceView>,
        evidence: EvidenceView,
        disputes: Vec<Value>,
        supports: Vec<Value>,
        disputed_by: Vec<Value>,
        supported_by: Vec<Value>,
        mentioned_in: Vec<MentionLink>,
        /// The claim and its neighbours as an SVG drawing, when it has any.
        map_svg: Option<String>,
    }
}

#[derive(Serialize)]
struct EvidenceView {
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
struct SnapshotView {
    /// The file's name, without its folder.
    file: String,
    words: usize,
}

page_view! {
    struct SourceView {
        link: SourceLink,
        /// The local snapshot, if the source has one.
        snapshot: Option<SnapshotView>,
        authors: Vec<String>,
        original_url: Option<String>,
        archive_url: Option<String>,
        accessed: Option<String>,
        language: Option<String>,
        title_translation: Option<String>,
        published_by: Option<ActorLink>,
        cited_by: Vec<Value>,
        content_html: String,
        references: Vec<ReferenceView>,
        mentioned_in: Vec<MentionLink>,
    }
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
    }
}

#[derive(Serialize)]
struct TagLink {
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct DisputeView {
    claim: Value,
    counter_claims: Vec<Value>,
    supporting: Vec<Value>,
}

#[derive(Serialize)]
struct TimelineItem {
    kind: &'static str,
    date: String,
    date_iso: String,
    title: String,
    url: String,
    by: Vec<ActorLink>,
    publisher: Option<String>,
    status: Option<&'static str>,
}

#[derive(Serialize)]
struct TimelineYear {
    year: u16,
    items: Vec<TimelineItem>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    id: String,
    updated: String,
    kind: &'static str,
    summary: Option<String>,
}

/// A claim's relation as a link inside the print page.
#[derive(Serialize)]
struct PrintLink {
    title: String,
    anchor: String,
}

#[derive(Serialize)]
struct PrintClaim {
    anchor: String,
    claim: Value,
    assessment: Option<crate::content::meta::Assessment>,
    content_html: String,
    references: Vec<ReferenceView>,
    disputes: Vec<PrintLink>,
    supports: Vec<PrintLink>,
    disputed_by: Vec<PrintLink>,
    supported_by: Vec<PrintLink>,
}

#[derive(Serialize)]
struct PrintSource {
    anchor: String,
    source: Value,
    authors: Vec<String>,
    original_url: Option<String>,
    archive_url: Option<String>,
    accessed: Option<String>,
    title_translation: Option<String>,
    content_html: String,
    references: Vec<ReferenceView>,
}

/// A claim and the claims it disputes and supports, for the map's text form.
#[derive(Serialize)]
struct RelationView {
    claim: Value,
    disputes: Vec<Value>,
    supports: Vec<Value>,
}

/// Prefixes every `id` and in-page link of a body's HTML, so that several bodies can
/// share one page (the print page) without their anchors colliding.
fn prefix_ids(html: &str, prefix: &str) -> String {
    const MARKS: [&str; 2] = [" id=\"", "href=\"#"];
    let find = |from: usize, mark: &str| html[from..].find(mark).map(|i| from + i);
    let mut next = MARKS.map(|m| find(0, m));
    let mut out = String::with_capacity(html.len() + 256);
    let mut done = 0;
    // One pass, taking whichever mark comes first; each is searched for again only
    // after it has been used.
    while let Some((k, at)) = (0..2)
        .filter_map(|k| next[k].map(|at| (k, at)))
        .min_by_key(|x| x.1)
    {
        let end = at + MARKS[k].len();
        out.push_str(&html[done..end]);
        out.push_str(prefix);
        out.push('-');
        done = end;
        next[k] = find(end, MARKS[k]);
    }
    out.push_str(&html[done..]);
    out
}

struct Views<'a> {
    d: &'a Dossier,
    s: &'a Settings,
    /// Link views already converted for templates, shared by every page of a build.
    links: Option<&'a LinkValues>,
    /// What the page showed, when recording.
    shown: Option<RefCell<Vec<Shown>>>,
}

impl<'a> Views<'a> {
    fn new(d: &'a Dossier, s: &'a Settings) -> Self {
        Views {
            d,
            s,
            links: None,
            shown: None,
        }
    }

    /// Views that reuse the link values in `links` and may record what they show.
    fn with_links(
        d: &'a Dossier,
        s: &'a Settings,
        links: impl Into<Option<&'a LinkValues>>,
        record: bool,
    ) -> Self {
        Views {
            d,
            s,
            links: links.into(),
            shown: record.then(RefCell::default),
        }
    }

    /// A claim as shown in lists, converted for templates once per build.
    fn claim_value(&self, i: usize) -> Value {
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
    fn source_value(&self, i: usize) -> Value {
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

    /// A digest of what pages show of one entry, if it exists.
    fn digest_of(&self, key: &Shown) -> Option<u64> {
        let d = self.d;
        let pos = |id: &str, kind: EntryKind| {
            d.index
                .ids
                .get(id)
                .filter(|t| t.kind == kind)
                .map(|t| t.pos)
        };
        Some(match key {
            Shown::Claim(id) => digest(&self.claim_link(pos(id, EntryKind::Claim)?)),
            Shown::Source(id) => {
                let i = pos(id, EntryKind::Source)?;
                let m = &d.sources[i].meta;
                let s = &d.sources[i];
                let snapshot = s.snapshot.as_ref().map(|x| (&x.content_path, x.words));
                let shown = (self.source_link(i), &m.authors, &m.url, &m.archive_url);
                digest(&(shown, snapshot, s.published_by))
            }
            Shown::Actor(id) => digest(&self.actor_summary(pos(id, EntryKind::Actor)?)),
            Shown::Page(path) => {
                let i = d
                    .pages
                    .binary_search_by(|p| p.path.as_str().cmp(path))
                    .ok()?;
                digest(&(&d.pages[i].meta.title, &d.pages[i].url))
            }
            Shown::Home => digest(&d.home.as_ref()?.meta.title),
            Shown::Tag(slug) => {
                let i = d
                    .tags
                    .binary_search_by(|t| t.slug.as_str().cmp(slug))
                    .ok()?;
                let t = &d.tags[i];
                digest(&(&t.name, &t.url, t.claims.len()))
            }
        })
    }

    /// Notes an entry the page shows, when recording; the key is built only then.
    fn show(&self, key: impl FnOnce() -> Shown) {
        if let Some(shown) = &self.shown {
            shown.borrow_mut().push(key());
        }
    }

    fn site(&self) -> SiteView {
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
            language: self.s.config.language.clone(),
            nav: pages
                .into_iter()
                .filter(|p| !p.path.contains('/'))
                .map(|p| NavItem {
                    title: p.meta.title.clone(),
                    url: p.url.clone(),
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

    fn actor_link(&self, i: usize) -> ActorLink {
        let a = &self.d.actors[i];
        self.show(|| Shown::Actor(a.id.clone()));
        ActorLink {
            id: a.id.clone(),
            title: a.meta.title.clone(),
            url: a.url.clone(),
            kind: a.meta.kind.map(|k| k.label()),
        }
    }

    fn claim_link(&self, i: usize) -> ClaimLink {
        let c = &self.d.claims[i];
        self.show(|| Shown::Claim(c.id.clone()));
        ClaimLink {
            id: c.id.clone(),
            title: c.meta.title.clone(),
            url: c.url.clone(),
            date: c.meta.date.human(),
            date_iso: c.meta.date.to_string(),
            status: c.meta.status.as_str(),
            claimants: c.claimants.iter().map(|&a| self.actor_link(a)).collect(),
            summary: c.meta.summary.clone(),
            disputes_count: c.disputes.len(),
            disputed_by_count: c.disputed_by.len(),
        }
    }

    fn source_link(&self, i: usize) -> SourceLink {
        let s = &self.d.sources[i];
        self.show(|| Shown::Source(s.id.clone()));
        SourceLink {
            id: s.id.clone(),
            title: s.meta.title.clone(),
            url: s.url.clone(),
            kind: s.meta.kind.map(|k| k.label()),
            publisher: s.meta.publisher.clone(),
            date: s.meta.date.map(|d| d.human()),
            date_iso: s.meta.date.map(|d| d.to_string()),
            reliability: s.meta.reliability.map(|r| Grade {
                grade: r.letter().into(),
                words: r.words(),
            }),
            cited_by_count: s.cited_by.len(),
        }
    }

    fn actor_summary(&self, i: usize) -> ActorSummary {
        let a = &self.d.actors[i];
        ActorSummary {
            link: self.actor_link(i),
            country: a.meta.country.clone(),
            claims_count: a.claims.len(),
            sources_count: a.sources.len(),
        }
    }

    fn mentions(&self, body: &Body) -> Vec<MentionLink> {
        body.mentioned_in
            .iter()
            .map(|m| match *m {
                PageRef::Home => {
                    self.show(|| Shown::Home);
                    MentionLink {
                        kind: "home",
                        title: self
                            .d
                            .home
                            .as_ref()
                            .and_then(|h| h.meta.title.clone())
                            .unwrap_or_else(|| self.s.config.title.clone()),
                        url: self.s.url(""),
                    }
                }
                PageRef::Claim(i) => {
                    let l = self.claim_link(i);
                    MentionLink {
                        kind: "claim",
                        title: l.title,
                        url: l.url,
                    }
                }
                PageRef::Source(i) => {
                    let l = self.source_link(i);
                    MentionLink {
                        kind: "source",
                        title: l.title,
                        url: l.url,
                    }
                }
                PageRef::Actor(i) => {
                    let l = self.actor_link(i);
                    MentionLink {
                        kind: "actor",
                        title: l.title,
                        url: l.url,
                    }
                }
                PageRef::Page(i) => {
                    let p = &self.d.pages[i];
                    self.show(|| Shown::Page(p.path.clone()));
                    MentionLink {
                        kind: "page",
                        title: p.meta.title.clone(),
                        url: p.url.clone(),
                    }
                }
            })
            .collect()
    }

    fn evidence(&self, i: usize) -> EvidenceView {
        let e = crate::provenance::evidence(self.d, &self.d.claims[i]);
        EvidenceView {
            sentence: e.sentence(),
            sources: e.sources,
            single_publisher: e.single_publisher(),
            publishers: e
                .publishers
                .into_iter()
                .map(|p| PublisherView {
                    url: p.actor.as_deref().and_then(|id| {
                        let t = self.d.index.ids.get(id)?;
                        Some(self.actor_link(t.pos).url)
                    }),
                    name: p.name,
                    sources: p.sources,
                    grades: p
                        .grades
                        .iter()
                        .map(|r| Grade {
                            grade: r.letter().into(),
                            words: r.words(),
                        })
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

    fn references(&self, body: &Body, citations: &[Citation]) -> Vec<ReferenceView> {
        body.references
            .iter()
            .map(|r| {
                let s = &self.d.sources[r.source];
                ReferenceView {
                    number: r.number,
                    anchor: format!("ref-{}", r.number),
                    source: self.source_value(r.source),
                    authors: s.meta.authors.clone(),
                    original_url: s.meta.url.clone(),
                    archive_url: s.meta.archive_url.clone(),
                    locators: r.locators.clone(),
                    citations: r
                        .citations
                        .iter()
                        .filter_map(|&ci| citations.get(ci))
                        .map(|c| CitationView {
                            locator: c.locator.clone(),
                            quote: c.quote.clone(),
                            quote_verified: c.quote.as_ref().map(|_| s.snapshot.is_some()),
                            quote_translation: c.quote_translation.clone(),
                            credibility: c.credibility.map(|g| Grade {
                                grade: g.0.to_string(),
                                words: g.words(),
                            }),
                            note: c.note.clone(),
                        })
                        .collect(),
                    markers: r.markers.clone(),
                }
            })
            .collect()
    }

    fn claim(&self, i: usize) -> ClaimView {
        let c = &self.d.claims[i];
        let links = |v: &[usize]| v.iter().map(|&j| self.claim_value(j)).collect::<Vec<_>>();
        ClaimView {
            link: self.claim_link(i),
            assessment: c.meta.assessment.clone(),
            tags: c
                .meta
                .tags
                .iter()
                .filter_map(|t| {
                    let slug = crate::resolve::tag_slug(t);
                    self.d.tags.iter().find(|x| x.slug == slug)
                })
                .map(|t| {
                    self.show(|| Shown::Tag(t.slug.clone()));
                    TagLink {
                        name: t.name.clone(),
                        url: t.url.clone(),
                        count: t.claims.len(),
                    }
                })
                .collect(),
            content_html: c.body.rendered.html.clone(),
            references: self.references(&c.body, &c.meta.citations),
            evidence: self.evidence(i),
            disputes: links(&c.disputes),
            supports: links(&c.supports),
            disputed_by: links(&c.disputed_by),
            supported_by: links(&c.supported_by),
            mentioned_in: self.mentions(&c.body),
            map_svg: crate::map::local_map(self.d, i),
        }
    }

    fn source(&self, i: usize) -> SourceView {
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
            }),
            authors: s.meta.authors.clone(),
            original_url: s.meta.url.clone(),
            archive_url: s.meta.archive_url.clone(),
            accessed: s.meta.accessed.map(|d| d.human()),
            language: s.meta.language.clone(),
            title_translation: s.meta.title_translation.clone(),
            published_by: s.published_by.map(|a| self.actor_link(a)),
            cited_by: s.cited_by.iter().map(|&c| self.claim_value(c)).collect(),
            content_html: s.body.rendered.html.clone(),
            references: self.references(&s.body, &[]),
            mentioned_in: self.mentions(&s.body),
        }
    }

    fn actor(&self, i: usize) -> ActorView {
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
        }
    }

    /// Claim indices, oldest first.
    fn date_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.d.claims.len()).collect();
        order.sort_by(|&a, &b| {
            (self.d.claims[a].meta.date, &self.d.claims[a].id)
                .cmp(&(self.d.claims[b].meta.date, &self.d.claims[b].id))
        });
        order
    }

    fn claims_by_date(&self) -> Vec<Value> {
        self.date_order()
            .into_iter()
            .map(|i| self.claim_value(i))
            .collect()
    }

    /// Every claim that disputes or supports another, oldest first, with those others.
    fn relations(&self) -> Vec<RelationView> {
        let links = |v: &[usize]| v.iter().map(|&j| self.claim_value(j)).collect::<Vec<_>>();
        self.date_order()
            .into_iter()
            .filter(|&i| {
                !(self.d.claims[i].disputes.is_empty() && self.d.claims[i].supports.is_empty())
            })
            .map(|i| RelationView {
                claim: self.claim_value(i),
                disputes: links(&self.d.claims[i].disputes),
                supports: links(&self.d.claims[i].supports),
            })
            .collect()
    }

    /// References of a body for the print page, their anchors prefixed.
    fn print_references(
        &self,
        body: &Body,
        citations: &[Citation],
        prefix: &str,
    ) -> Vec<ReferenceView> {
        let mut refs = self.references(body, citations);
        for r in &mut refs {
            r.anchor = format!("{prefix}-{}", r.anchor);
            for m in &mut r.markers {
                *m = format!("{prefix}-{m}");
            }
        }
        refs
    }

    /// One claim's section of the print page, as a template value.
    fn print_claim(&self, i: usize) -> Value {
        let d = self.d;
        let links = |v: &[usize]| {
            v.iter()
                .map(|&j| PrintLink {
                    title: d.claims[j].meta.title.clone(),
                    anchor: format!("claim-{}", d.claims[j].id),
                })
                .collect::<Vec<_>>()
        };
        let c = &d.claims[i];
        let anchor = format!("claim-{}", c.id);
        Value::from_serializable(&PrintClaim {
            claim: self.claim_value(i),
            assessment: c.meta.assessment.clone(),
            content_html: prefix_ids(&c.body.rendered.html, &anchor),
            references: self.print_references(&c.body, &c.meta.citations, &anchor),
            disputes: links(&c.disputes),
            supports: links(&c.supports),
            disputed_by: links(&c.disputed_by),
            supported_by: links(&c.supported_by),
            anchor,
        })
    }

    /// One source's section of the print page, as a template value.
    fn print_source(&self, i: usize) -> Value {
        let s = &self.d.sources[i];
        let anchor = format!("source-{}", s.id);
        Value::from_serializable(&PrintSource {
            source: self.source_value(i),
            authors: s.meta.authors.clone(),
            original_url: s.meta.url.clone(),
            archive_url: s.meta.archive_url.clone(),
            accessed: s.meta.accessed.map(|d| d.human()),
            title_translation: s.meta.title_translation.clone(),
            content_html: prefix_ids(&s.body.rendered.html, &anchor),
            references: self.print_references(&s.body, &[], &anchor),
            anchor,
        })
    }

    /// Each disputed claim with its counter-claims, oldest first.
    fn disputes(&self) -> Vec<DisputeView> {
        let mut order: Vec<usize> = (0..self.d.claims.len())
            .filter(|&i| !self.d.claims[i].disputed_by.is_empty())
            .collect();
        order.sort_by(|&a, &b| {
            (self.d.claims[a].meta.date, &self.d.claims[a].id)
                .cmp(&(self.d.claims[b].meta.date, &self.d.claims[b].id))
        });
        order
            .into_iter()
            .map(|i| DisputeView {
                claim: self.claim_value(i),
                counter_claims: self.d.claims[i]
                    .disputed_by
                    .iter()
                    .map(|&j| self.claim_value(j))
                    .collect(),
                supporting: self.d.claims[i]
                    .supported_by
                    .iter()
                    .map(|&j| self.claim_value(j))
                    .collect(),
            })
            .collect()
    }

    fn timeline(&self) -> Vec<TimelineYear> {
        let mut items: Vec<(crate::content::date::PartialDate, u8, String, TimelineItem)> =
            Vec::new();
        // Built in parallel by views that record nothing; what they show is noted after.
        let (d, s) = (self.d, self.s);
        let claims: Vec<ClaimLink> = (0..d.claims.len())
            .into_par_iter()
            .map(|i| Views::new(d, s).claim_link(i))
            .collect();
        for c in &self.d.claims {
            self.show(|| Shown::Claim(c.id.clone()));
            for &a in &c.claimants {
                self.show(|| Shown::Actor(self.d.actors[a].id.clone()));
            }
        }
        for (c, l) in self.d.claims.iter().zip(claims) {
            items.push((
                c.meta.date,
                1,
                c.id.clone(),
                TimelineItem {
                    kind: "claim",
                    date: l.date,
                    date_iso: l.date_iso,
                    title: l.title,
                    url: l.url,
                    by: l.claimants,
                    publisher: None,
                    status: Some(l.status),
                },
            ));
        }
        for s in &self.d.sources {
            let Some(date) = s.meta.date else { continue };
            items.push((
                date,
                0,
                s.id.clone(),
                TimelineItem {
                    kind: "source",
                    date: date.human(),
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
                },
            ));
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

    fn feed_entries(&self) -> Vec<FeedEntry> {
        let mut entries: Vec<(crate::content::date::PartialDate, FeedEntry)> = Vec::new();
        for c in &self.d.claims {
            entries.push((
                c.meta.date,
                FeedEntry {
                    title: c.meta.title.clone(),
                    url: self.s.absolute(&c.url),
                    id: self.s.permalink(&format!("claims/{}/", c.id)),
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
                    url: self.s.permalink(&format!("sources/{}/", s.id)),
                    id: self.s.permalink(&format!("sources/{}/", s.id)),
                    updated: date.rfc3339(),
                    kind: "source",
                    summary: s.meta.publisher.clone(),
                },
            ));
        }
        entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        entries.into_iter().map(|(_, e)| e).collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefix_ids_prefixes_every_id_and_in_page_link_once() {
        let html = "<h2 id=\"a\">A</h2><p><a href=\"#a\">x</a> <a href=\"https://e.org/#b\">y</a> \
                    <sup id=\"cite-1\"><a href=\"#ref-1\">1</a></sup>data-id=\"z\"</p>";
        assert_eq!(
            super::prefix_ids(html, "p"),
            "<h2 id=\"p-a\">A</h2><p><a href=\"#p-a\">x</a> <a href=\"https://e.org/#b\">y</a> \
             <sup id=\"p-cite-1\"><a href=\"#p-ref-1\">1</a></sup>data-id=\"z\"</p>"
        );
        assert_eq!(super::prefix_ids("no marks", "p"), "no marks");
    }
}

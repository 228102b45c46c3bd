//! Rendering: the view each template receives, and each page rendered from it. Every
//! page is rendered independently from the shared [`Dossier`], so pages can be rendered
//! in parallel and a single page can be rendered again on its own. Which pages exist,
//! where, and from which template is the table in [`crate::resolve::pages`].
//!
//! [`lists`] holds entries as lists show them, [`entries`] the views of one entry's page,
//! [`listings`] the views of the whole dossier, [`print`] the print page, [`shown`]
//! what each page showed, and [`depends`] what else a change reaches, for the preview and
//! the build cache.

#[macro_use]
mod macros;
mod depends;
mod digests;
mod entries;
pub(crate) mod export;
pub(crate) mod i18n;
pub(crate) mod map;
mod overview;
mod print;
pub(crate) mod provenance;
pub(crate) mod search;
mod shown;
pub(crate) mod templates;
mod views;

use std::cell::RefCell;
use std::io::Write;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::base::diagnostics::Diagnostic;
use crate::load::config::Settings;
use crate::render::templates::{StaticFile, Theme};
use crate::resolve::model::*;
use crate::resolve::pages::{self, Kind, SitePage};
use views::{ActorSummary, TagLink, Views};

pub use depends::{lists_reached, neighbours, page_of};
pub use digests::{digests_of, shown_digests};
pub(crate) use shown::{Recorded, Shown, digest, shown_keys};

/// A file of the site that is not rendered from a template.
pub(crate) enum SiteFile {
    /// Made by dossier itself.
    Generated(Vec<u8>),
    /// A static file of the built-in theme.
    Embedded(&'static [u8]),
    /// Copied as it is: a static file, or a file next to the content.
    Disk(std::path::PathBuf),
}

/// Every file of the site besides the pages, by output-relative path: the highlighting
/// stylesheet, the theme's and the site's static files, and the files next to the content.
pub(crate) fn other_files(
    d: &Dossier,
    theme: &Theme,
    settings: &Settings,
) -> Vec<(String, SiteFile)> {
    let css = crate::base::highlight::stylesheet(&settings.config.markdown.highlight_theme);
    let mut files = vec![(
        pages::HIGHLIGHT_CSS.to_string(),
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
    files.extend(redirect_pages(d, settings));
    files
}

/// A page at each earlier address (`aliases`) that sends the reader on to the page's
/// address: a refresh and a link, with the page as its canonical address so that search
/// engines index the page, not the alias. No index or sitemap lists them. A translated
/// edition has its own, under its folder.
pub(crate) fn redirect_pages(d: &Dossier, settings: &Settings) -> Vec<(String, SiteFile)> {
    let escape = |s: &str| {
        let mut out = String::new();
        pulldown_cmark_escape::escape_html(&mut out, s).ok();
        out
    };
    d.redirects()
        .into_iter()
        .filter_map(|r| {
            let out = pages::alias_output(r.alias).ok()?;
            let to = escape(&settings.absolute(r.to));
            let lang = escape(&settings.config.language);
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{to}</title>\n<link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n<p><a href=\"{to}\">{to}</a></p>\n</body>\n</html>\n"
            );
            Some((out, SiteFile::Generated(html.into_bytes())))
        })
        .collect()
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
        let site = Views::new(d, settings, &theme.strings).site();
        // Which entries are translated is on every page (its languages), like the site.
        let site_digest = shown::digest(&(&site, &*d.translations));
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
        let v = || Views::new(self.d, self.settings, &self.theme.strings);
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
    pub(crate) fn site_digest(&self) -> u64 {
        self.site_digest
    }

    /// Renders one page to the bytes of its file.
    pub fn render(&self, kind: SitePage) -> Result<Vec<u8>, Diagnostic> {
        let v = self.views(false);
        let room = room_for(kind, self.d);
        to_bytes(room, |out| {
            render(kind, &v, self.theme, self.base.clone(), out)
        })
    }

    /// Renders one page straight into `out`, for files too large to hold in memory whole
    /// (the print page and the data export of a large dossier).
    pub(crate) fn render_to(&self, kind: SitePage, out: &mut dyn Write) -> Result<(), RenderError> {
        let v = self.views(false);
        render(kind, &v, self.theme, self.base.clone(), out)
    }

    /// Views of this build's dossier with its link values, recording what they show
    /// when `record`.
    fn views(&self, record: bool) -> Views<'_> {
        Views::with_links(
            self.d,
            self.settings,
            &self.theme.strings,
            &self.links,
            record,
        )
    }

    /// Renders one page and tells which entries it showed.
    pub(crate) fn render_recorded(&self, kind: SitePage) -> Recorded {
        let v = self.views(true);
        let room = room_for(kind, self.d);
        let bytes = to_bytes(room, |out| {
            render(kind, &v, self.theme, self.base.clone(), out)
        })?;
        Ok((bytes, v.shown.map(RefCell::into_inner).unwrap_or_default()))
    }
}

/// Why a page could not be rendered into its writer.
#[derive(Debug)]
pub(crate) enum RenderError {
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
fn room_for(kind: SitePage, d: &Dossier) -> usize {
    if !kind.spec().large {
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

/// Renders one page into `out`: its own view in the context, then its template from the
/// page table (or, for a file dossier writes itself, its writer).
fn render(
    page: SitePage,
    v: &Views<'_>,
    theme: &Theme,
    mut ctx: tera::Context,
    out: &mut dyn Write,
) -> Result<(), RenderError> {
    let (d, settings) = (v.d, v.s);
    let path = pages::site_path(page, d);
    // The print page's sections, rendered and spliced in after the page.
    let mut sections = Vec::new();
    let print_part = match page.kind {
        Kind::Print => Some(0),
        Kind::PrintPart => Some(page.item + 1),
        _ => None,
    };
    let plan = print_part.map(|k| print::PrintPlan::new(d, k));
    let section_ctx = plan.as_ref().map(|_| ctx.clone());
    if write_file(page.kind, d, settings, out)? {
        return Ok(());
    }
    let title = own_view(page, v, theme, &mut ctx, plan.as_ref(), &mut sections);
    ctx.insert("page", &page_info(page, v, title, &path));
    ctx.insert("heading", &3);
    let template = page.spec().template.unwrap_or_default();
    let html = theme.render(template, &ctx)?;
    let links = v.links;
    let Some(plan) = plan.as_ref().filter(|_| !sections.is_empty()) else {
        return Ok(out.write_all(html.as_bytes())?);
    };
    print::splice(&html, &sections, out, |&section| {
        let v = Views::with_links(d, settings, &theme.strings, links, false);
        let mut c = section_ctx.clone().unwrap_or_default();
        print::render_section(&v, plan, section, theme, &mut c)
    })
}

/// Puts the page's own view into `ctx` and gives its title.
fn own_view(
    page: SitePage,
    v: &Views<'_>,
    theme: &Theme,
    ctx: &mut tera::Context,
    plan: Option<&print::PrintPlan>,
    sections: &mut Vec<(&'static str, Vec<print::Section>)>,
) -> String {
    let (d, settings) = (v.d, v.s);
    let i = page.item;
    match page.kind {
        Kind::Home => home_view(v, ctx),
        Kind::ClaimIndex => {
            ctx.insert("claims", &v.claims_by_date());
            theme.strings.tr("Claims").into()
        }
        Kind::SourceIndex => {
            let list: Vec<Value> = (0..d.sources.len()).map(|i| v.source_value(i)).collect();
            ctx.insert("sources", &list);
            theme.strings.tr("Sources").into()
        }
        Kind::ActorIndex => {
            let list: Vec<ActorSummary> = (0..d.actors.len()).map(|i| v.actor_summary(i)).collect();
            ctx.insert("actors", &list);
            theme.strings.tr("Actors").into()
        }
        Kind::Claim => {
            ctx.insert("claim", &v.claim(i));
            d.claims[i].meta.title.clone()
        }
        Kind::Source => {
            ctx.insert("source", &v.source(i));
            d.sources[i].meta.title.clone()
        }
        Kind::Actor => {
            ctx.insert("actor", &v.actor(i));
            d.actors[i].meta.title.clone()
        }
        Kind::Event => {
            ctx.insert("event", &v.event(i));
            d.events[i].meta.title.clone()
        }
        Kind::Page => {
            let p = &d.pages[i];
            ctx.insert("content_html", &p.body.rendered.html);
            ctx.insert("references", &v.references(&p.body, &[]));
            ctx.insert("mentioned_in", &v.mentions(&p.body));
            ctx.insert("corrections", &v.corrections(&p.meta.corrections, &p.body));
            p.meta.title.clone()
        }
        Kind::TagIndex => {
            let tags: Vec<TagLink> = d.tags.iter().map(TagLink::of).collect();
            ctx.insert("tags", &tags);
            theme.strings.tr("Tags").into()
        }
        Kind::Tag => {
            let t = &d.tags[i];
            ctx.insert("tag", &TagLink::of(t));
            let claims: Vec<Value> = t.claims.iter().map(|&c| v.claim_value(c)).collect();
            ctx.insert("claims", &claims);
            theme.strings.fmt("Tag: {tag}", &[("tag", &t.name)])
        }
        Kind::Timeline => {
            ctx.insert("years", &v.timeline());
            theme.strings.tr("Timeline").into()
        }
        Kind::Corrections => {
            ctx.insert("corrections", &v.all_corrections());
            theme.strings.tr("Corrections and updates").into()
        }
        Kind::NotFound => theme.strings.tr("Page not found").into(),
        Kind::Atom => {
            ctx.insert("entries", &v.feed_entries());
            settings.config.title.clone()
        }
        Kind::Sitemap => {
            ctx.insert("urls", &sitemap_urls(d, settings));
            String::new()
        }
        Kind::Robots => {
            ctx.insert("sitemap_url", &settings.permalink("sitemap.xml"));
            String::new()
        }
        // Written whole by `write_file`, without a template.
        Kind::Data | Kind::Bibliography | Kind::Stix => String::new(),
        Kind::Map => map_view(v, theme, ctx),
        Kind::Print | Kind::PrintPart => match plan {
            Some(plan) => {
                *sections = v.print_page(ctx, plan);
                print_title(page.kind, plan, settings, theme)
            }
            None => settings.config.title.clone(),
        },
        Kind::Search => theme.strings.tr("Search").into(),
    }
}

/// The print edition's title: the site's, and for a part, which part it is.
fn print_title(kind: Kind, plan: &print::PrintPlan, settings: &Settings, theme: &Theme) -> String {
    if kind == Kind::Print {
        return settings.config.title.clone();
    }
    let (n, total) = plan.numbers();
    let (n, total) = (n.to_string(), total.to_string());
    let fill = [("n", n.as_str()), ("total", total.as_str())];
    theme
        .strings
        .fmt("Print edition, part {n} of {total}", &fill)
}

/// Writes the files the dossier writes itself, without a template (its data, its
/// bibliography, its STIX bundle); `false` for any other page.
fn write_file(
    kind: Kind,
    d: &Dossier,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<bool, RenderError> {
    match kind {
        Kind::Data => crate::render::export::write_dossier_json(d, settings, out)?,
        Kind::Bibliography => {
            let pretty = settings.config.output.pretty(d.claims.len());
            out.write_all(&crate::render::export::bibliography_json(d, pretty))?;
        }
        Kind::Stix => crate::render::export::stix::write_bundle(d, settings, out)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// The home page's view: its introduction, references, corrections and disputes.
fn home_view(v: &Views<'_>, ctx: &mut tera::Context) -> String {
    let (d, settings) = (v.d, v.s);
    let home = d.home.as_ref();
    ctx.insert(
        "intro_html",
        home.map_or("", |h| h.body.rendered.html.as_str()),
    );
    ctx.insert(
        "references",
        &home.map(|h| v.references(&h.body, &[])).unwrap_or_default(),
    );
    ctx.insert(
        "corrections",
        &home
            .map(|h| v.corrections(&h.meta.corrections, &h.body))
            .unwrap_or_default(),
    );
    let positions = crate::render::map::site_positions(d, &settings.config.map);
    let (disputes, total) = v.disputes(&positions);
    ctx.insert("disputes", &disputes);
    ctx.insert("disputes_total", &total);
    v.home_title()
}

/// The dispute map's view: the drawing, each position's claims, the claims in none.
fn map_view(v: &Views<'_>, theme: &Theme, ctx: &mut tera::Context) -> String {
    let d = v.d;
    let positions = crate::render::map::site_positions(d, &v.s.config.map);
    let svg = crate::render::map::site_map(d, &positions, &theme.strings);
    ctx.insert("map_svg", &svg);
    ctx.insert("positions", &v.position_views(&positions));
    let unlinked: Vec<Value> = crate::render::map::unlinked(d)
        .into_iter()
        .map(|i| v.claim_value(i))
        .collect();
    ctx.insert("unlinked", &unlinked);
    theme.strings.tr("Dispute map").into()
}

/// The address of every HTML page in every edition that has it, for the sitemap.
fn sitemap_urls(d: &Dossier, settings: &Settings) -> Vec<String> {
    let languages = settings.languages();
    pages::all_pages(d)
        .into_iter()
        .filter(|p| p.spec().html)
        .flat_map(|p| {
            let path = pages::site_path(p, d);
            languages
                .iter()
                .filter(move |l| l.prefix.is_empty() || p.spec().editions)
                .map(move |l| settings.root_permalink(&format!("{}{path}", l.prefix)))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What every template knows of its page: title, description, addresses, languages.
fn page_info<'a>(page: SitePage, v: &Views<'a>, title: String, path: &str) -> PageInfo<'a> {
    let (d, settings) = (v.d, v.s);
    let i = page.item;
    let description = match page.kind {
        Kind::Claim => d.claims[i].meta.summary.clone(),
        Kind::Event => d.events[i].meta.summary.clone(),
        Kind::Page => d.pages[i].meta.description.clone(),
        Kind::Home => d
            .home
            .as_ref()
            .and_then(|h| h.meta.description.clone())
            .or_else(|| settings.config.description.clone()),
        _ => None,
    };
    let jsonld =
        (page.kind == Kind::Claim).then(|| crate::render::export::claim_jsonld(d, settings, i));
    let doc = shown_document(page, d);
    // An entry its edition has no translation of is shown as written.
    let content_lang = (settings.edition.is_some() && doc.is_some_and(|d| !d.is_translation()))
        .then(|| settings.original_language.clone());
    // A translation without a body of its own shows the original's.
    let inherited = doc
        .and_then(|d| d.origin.as_ref())
        .is_some_and(|o| o.body_inherited);
    let body_lang = content_lang
        .clone()
        .or_else(|| inherited.then(|| settings.original_language.clone()));
    let attr = |lang: &Option<String>| {
        lang.as_ref().map_or(String::new(), |l| {
            let dir = crate::base::locale::dir_of(l);
            format!(" lang=\"{l}\" dir=\"{dir}\"")
        })
    };
    let permalink = settings.permalink(path);
    PageInfo {
        kind: page.spec().name,
        title,
        description,
        url: settings.url(path),
        canonical: match content_lang {
            Some(_) => settings.root_permalink(path),
            None => permalink.clone(),
        },
        permalink,
        jsonld,
        languages: language_links(settings, d, page, path, doc),
        lang_attr: attr(&content_lang),
        body_lang_attr: attr(&body_lang),
        content_lang,
    }
}

#[derive(Serialize)]
struct PageInfo<'a> {
    kind: &'static str,
    title: String,
    description: Option<String>,
    url: String,
    permalink: String,
    /// The address search engines should index: the original's for an entry shown
    /// untranslated in an edition.
    canonical: String,
    /// The page's schema.org JSON-LD, escaped for a `<script>` element.
    jsonld: Option<String>,
    /// The same page in each language of the site (none for a site in one language).
    languages: Vec<LanguageLink<'a>>,
    /// The language of an entry shown untranslated in an edition, and the attribute
    /// marking its text with it (` lang="en"`, or nothing).
    content_lang: Option<String>,
    lang_attr: String,
    /// The same for the entry's body, which a translation without one takes from the
    /// original.
    body_lang_attr: String,
}

/// A page in one of the site's languages.
#[derive(Serialize)]
struct LanguageLink<'a> {
    tag: &'a str,
    name: &'a str,
    url: String,
    permalink: String,
    /// It is the page being rendered.
    current: bool,
    /// Its text is in that language: every generated page, an entry's original, and
    /// its translations.
    translated: bool,
}

/// The document of the entry or page a page shows, if it shows one.
fn shown_document(page: SitePage, d: &Dossier) -> Option<&crate::load::content::Document> {
    let i = page.item;
    Some(match page.kind {
        Kind::Claim => &d.claims[i].body.doc,
        Kind::Source => &d.sources[i].body.doc,
        Kind::Actor => &d.actors[i].body.doc,
        Kind::Event => &d.events[i].body.doc,
        Kind::Page => &d.pages[i].body.doc,
        Kind::Home => &d.home.as_ref()?.body.doc,
        _ => return None,
    })
}

/// The page at `path` in each of the site's languages.
fn language_links<'a>(
    settings: &'a Settings,
    d: &Dossier,
    page: SitePage,
    path: &str,
    doc: Option<&crate::load::content::Document>,
) -> Vec<LanguageLink<'a>> {
    if settings.config.languages.is_empty() || !page.spec().editions {
        return Vec::new();
    }
    let languages = settings.languages();
    let translated_into = doc.and_then(|doc| d.translations.get(&doc.content_path));
    languages
        .iter()
        .map(|l| {
            let at = format!("{}{path}", l.prefix);
            LanguageLink {
                current: l.tag == settings.config.language,
                translated: doc.is_none()
                    || l.prefix.is_empty()
                    || translated_into.is_some_and(|t| t.contains(&l.tag)),
                url: settings.root_url(&at),
                permalink: settings.root_permalink(&at),
                tag: &l.tag,
                name: &l.name,
            }
        })
        .collect()
}

//! `site.toml`: the site's configuration.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::base::diagnostics::{Diagnostic, line_col};

/// The configuration file's name at the site root.
pub(crate) const CONFIG_FILE: &str = "site.toml";

/// The file that marks a folder as written by dossier for one site, so it may be replaced
/// (and so a name `[output] keep` cannot take).
pub(crate) const OUTPUT_MARKER: &str = ".dossier-output";

/// `site.toml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub link_check: LinkCheckConfig,
    #[serde(default)]
    pub map: MapConfig,
    #[serde(default)]
    pub capture: CaptureConfig,
    #[serde(default)]
    pub snapshots: SnapshotsConfig,
    #[serde(default)]
    pub output: OutputConfig,
    #[serde(default)]
    pub publisher: Option<PublisherConfig>,
    /// Other languages the dossier is published in, by language tag: `[languages.fr]`.
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, LanguageConfig>,
}

/// One `[languages.<tag>]` table: a language the dossier is also published in, under
/// `/<tag>/`, from the files `<name>.<tag>.md` beside their originals.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's title in that language.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The language's name in itself, for the language switcher (`Français`).
    #[serde(default)]
    pub name: Option<String>,
}

/// The `[publisher]` table: who publishes the dossier, for its reviews' JSON-LD and its
/// STIX identity.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublisherConfig {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    /// The address of its logo image.
    #[serde(default)]
    pub logo: Option<String>,
}

/// The `[capture]` table: limits of `dossier capture`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaptureConfig {
    /// The largest answer accepted, in megabytes (millions of bytes).
    #[serde(default = "default_max_mb")]
    pub max_mb: f64,
    /// The RFC 3161 time-stamping authority `--timestamp` and `dossier timestamp` ask.
    #[serde(default)]
    pub timestamp_authority: Option<String>,
    /// A PEM file of certificates (from the site's root) every token must chain to.
    #[serde(default)]
    pub timestamp_ca: Option<String>,
    /// The base address of the Save Page Now 2 API `--archive` and `dossier archive` ask.
    #[serde(default = "default_archive_endpoint")]
    pub archive_endpoint: String,
    /// How long to wait for the archive's job, in seconds.
    #[serde(default = "default_archive_wait")]
    pub archive_wait: f64,
}

fn default_archive_endpoint() -> String {
    "https://web.archive.org".into()
}

fn default_archive_wait() -> f64 {
    120.0
}

impl Default for CaptureConfig {
    fn default() -> Self {
        CaptureConfig {
            max_mb: default_max_mb(),
            timestamp_authority: None,
            timestamp_ca: None,
            archive_endpoint: default_archive_endpoint(),
            archive_wait: default_archive_wait(),
        }
    }
}

fn default_max_mb() -> f64 {
    50.0
}

/// The `[output]` table: what in the output folder is the user's, and how large the
/// files that grow with the dossier may be.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// Names at the top of the output folder that every build keeps as they are (`CNAME`),
    /// besides dot-files such as `.git`, which are always kept.
    #[serde(default)]
    pub keep: Vec<String>,
    /// How many of the newest entries the Atom feed holds.
    #[serde(default = "default_feed_entries", deserialize_with = "feed_entries")]
    pub feed_entries: std::num::NonZeroUsize,
    /// Whether `/dossier.json` and `/bibliography.json` are indented; unset, they are
    /// for a dossier of fewer than [`PRETTY_DATA_BELOW`] claims and compact above.
    #[serde(default)]
    pub pretty_data: Option<bool>,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            keep: Vec::new(),
            feed_entries: default_feed_entries(),
            pretty_data: None,
        }
    }
}

/// The number of claims from which data exports are compact unless `pretty_data` says.
const PRETTY_DATA_BELOW: usize = 1000;

fn default_feed_entries() -> std::num::NonZeroUsize {
    std::num::NonZeroUsize::new(50).unwrap_or(std::num::NonZeroUsize::MIN)
}

/// Reads `feed_entries`, which must be 1 or more.
fn feed_entries<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<std::num::NonZeroUsize, D::Error> {
    let n = i64::deserialize(d)?;
    usize::try_from(n)
        .ok()
        .and_then(std::num::NonZeroUsize::new)
        .ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`feed_entries` is {n}; the feed holds the newest entries, 1 or more (50 by default)"
            ))
        })
}

impl OutputConfig {
    /// Whether the data exports of a dossier of `claims` claims are indented.
    pub fn pretty(&self, claims: usize) -> bool {
        self.pretty_data.unwrap_or(claims < PRETTY_DATA_BELOW)
    }
}

/// The `[snapshots]` table: what becomes of the files kept as evidence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotsConfig {
    /// Whether sources' snapshots, web archives and time-stamp tokens are published with
    /// the site (a source's `publish_snapshot` decides for itself). Off by default: they
    /// are often someone else's copyrighted text, and a capture's records say who asked.
    #[serde(default)]
    pub publish: bool,
    /// How far the compressed data of one snapshot may expand, in megabytes.
    #[serde(default = "default_snapshot_max_mb")]
    pub max_mb: f64,
}

impl Default for SnapshotsConfig {
    fn default() -> Self {
        SnapshotsConfig {
            publish: false,
            max_mb: default_snapshot_max_mb(),
        }
    }
}

fn default_snapshot_max_mb() -> f64 {
    crate::snapshots::DEFAULT_MAX_MB
}

/// The `[map]` table: positions the author names on the dispute map.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapConfig {
    /// `[[map.positions]]`: each a name and the claims that hold it. Claims no named
    /// position lists are grouped by the relations that tie them.
    #[serde(default)]
    pub positions: Vec<PositionConfig>,
    /// The two side names of earlier versions, kept only to say what replaced them.
    #[serde(default)]
    pub sides: Option<toml::Value>,
}

/// One `[[map.positions]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionConfig {
    pub name: String,
    /// Claim ids, each with where it is written in `site.toml`.
    pub claims: Vec<toml::Spanned<String>>,
    /// The line and column of each of `claims`.
    #[serde(skip)]
    pub at: Vec<(usize, usize)>,
}

/// The `[link_check]` table: how `dossier check --external` asks for source URLs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkCheckConfig {
    /// Seconds to wait for one answer, redirects included.
    #[serde(default = "default_timeout")]
    pub timeout: f64,
    /// How many URLs are asked at once.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// How long an answer is reused before the URL is asked again.
    #[serde(default = "default_cache_hours")]
    pub cache_hours: f64,
}

impl Default for LinkCheckConfig {
    fn default() -> Self {
        LinkCheckConfig {
            timeout: default_timeout(),
            concurrency: default_concurrency(),
            cache_hours: default_cache_hours(),
        }
    }
}

fn default_timeout() -> f64 {
    15.0
}
fn default_concurrency() -> usize {
    8
}
fn default_cache_hours() -> f64 {
    24.0
}

/// The `[markdown]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    #[serde(default)]
    pub raw_html: bool,
    #[serde(default = "default_highlight_theme")]
    pub highlight_theme: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            raw_html: false,
            highlight_theme: default_highlight_theme(),
        }
    }
}

/// Checks the keys of `[capture]`, `[snapshots]` and `[output]` that one value tells:
/// limits, addresses and names kept in the output.
fn check_evidence_settings(config: &Config, key_line: &dyn Fn(&str) -> usize) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (table, max_mb, example) in [
        ("capture", config.capture.max_mb, 50),
        ("snapshots", config.snapshots.max_mb, 250),
    ] {
        if !(max_mb > 0.0 && max_mb <= 4096.0) {
            errors.push(Diagnostic::error(
                CONFIG_FILE,
                key_line("max_mb"),
                0,
                format!("[{table}] max_mb must be a number of megabytes above 0 and at most 4096, such as `{example}`"),
            ));
        }
    }
    for name in &config.output.keep {
        let plain = !name.is_empty()
            && !name.contains(['/', '\\'])
            && name != "."
            && name != ".."
            && name != OUTPUT_MARKER;
        if !plain {
            errors.push(Diagnostic::error(
                CONFIG_FILE,
                key_line("keep"),
                0,
                format!("[output] keep names files or folders at the top of the output folder, such as `CNAME`; `{name}` is not one"),
            ));
        }
    }
    if let Some(authority) = &config.capture.timestamp_authority
        && !crate::base::address::is_http(authority)
    {
        errors.push(Diagnostic::error(
            CONFIG_FILE,
            key_line("timestamp_authority"),
            0,
            format!("[capture] timestamp_authority `{authority}` must be an http or https address, such as `http://timestamp.example.org/tsa`"),
        ));
    }
    if !crate::base::address::is_http(&config.capture.archive_endpoint) {
        errors.push(Diagnostic::error(
            CONFIG_FILE,
            key_line("archive_endpoint"),
            0,
            format!("[capture] archive_endpoint `{}` must be an http or https address, such as `https://web.archive.org`", config.capture.archive_endpoint),
        ));
    }
    let wait = config.capture.archive_wait;
    if !(wait > 0.0 && wait <= 3600.0) {
        errors.push(Diagnostic::error(
            CONFIG_FILE,
            key_line("archive_wait"),
            0,
            "[capture] archive_wait must be a number of seconds above 0 and at most 3600, such as `120`",
        ));
    }
    errors
}

/// The certificates of `[capture] timestamp_ca`, or the error at its key.
fn load_timestamp_ca(
    root: &Path,
    config: &Config,
    key_line: &dyn Fn(&str) -> usize,
) -> Result<Option<std::sync::Arc<crate::snapshots::timestamp::Anchors>>, Diagnostic> {
    let Some(file) = &config.capture.timestamp_ca else {
        return Ok(None);
    };
    std::fs::read(root.join(file))
        .map_err(|e| e.to_string())
        .and_then(|pem| crate::snapshots::timestamp::load_ca(&pem))
        .map(|certs| Some(std::sync::Arc::new(certs)))
        .map_err(|e| {
            Diagnostic::error(
                CONFIG_FILE,
                key_line("timestamp_ca"),
                0,
                format!(
                    "[capture] timestamp_ca `{file}` (from the site's folder) cannot be used: {e}"
                ),
            )
        })
}

/// `p` with its `.` parts dropped and each `..` taking away the part before it (those at
/// its start kept), so that `./public/./` and `public/../site` name the folder they mean
/// before any check.
fn clean_path(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in p.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn default_language() -> String {
    "en".into()
}
fn default_output_dir() -> String {
    "public".into()
}
fn default_highlight_theme() -> String {
    "InspiredGitHub".into()
}

/// The configuration after command-line overrides, with the base URL split for link building.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    /// The certificates of `[capture] timestamp_ca`, which every time-stamp token must
    /// chain to.
    pub timestamp_ca: Option<std::sync::Arc<crate::snapshots::timestamp::Anchors>>,
    pub config: Config,
    /// `base_url` with exactly one trailing slash.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending with `/` (just `/` at a domain root).
    pub base_path: String,
    pub output_dir: PathBuf,
    pub drafts: bool,
    /// The path of the whole site, where static files and data exports are: `base_path`,
    /// except in a translated edition, whose `base_path` is `<root_path><tag>/`.
    pub root_path: String,
    /// `base_url` of the whole site (`base_url` but in a translated edition).
    pub site_url: String,
    /// For a translated edition, its language tag (also `config.language`).
    pub edition: Option<String>,
    /// The language of the original files (`site.toml` `language`), in an edition too.
    pub original_language: String,
    /// Every language the site is published in, from `config` (see [`Settings::languages`]).
    languages: Vec<Language>,
}

/// One language the site is published in: the original (at the root) or a translated
/// edition (under `/<tag>/`).
#[derive(Debug, Clone)]
pub struct Language {
    pub tag: String,
    /// The language's name in itself.
    pub name: String,
    /// The site path prefix of its pages: empty for the original, `fr/` for an edition.
    pub prefix: String,
}

/// Command-line values that override `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// For the preview: scheme, host and port (`http://127.0.0.1:1111`) that replace those
    /// of `base_url`, keeping its path.
    pub origin: Option<String>,
}

impl Settings {
    /// Reads and checks `site.toml` under `root`, then applies the overrides.
    pub fn load(root: &Path, overrides: &Overrides) -> Result<Settings, Vec<Diagnostic>> {
        let (text, config) = read_config(root)?;
        let key_line = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map_or(0, |i| i + 1)
        };
        let mut errors = Vec::new();
        let (base_url, base_path) = match base_url(&config, overrides, &key_line) {
            Ok(b) => b,
            Err(e) => {
                errors.push(e);
                (String::new(), "/".into())
            }
        };
        errors.extend(check_values(&config, &key_line));
        errors.extend(check_languages(&config, &text));
        errors.extend(check_evidence_settings(&config, &key_line));
        let timestamp_ca = match load_timestamp_ca(root, &config, &key_line) {
            Ok(ca) => ca,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let output_dir = clean_path(&match &overrides.output {
            Some(o) => o.clone(),
            None => root.join(&config.output_dir),
        });
        let base_url = format!("{}/", base_url.trim_end_matches('/'));
        let main = Language {
            tag: config.language.clone(),
            name: language_name(&config.language, None),
            prefix: String::new(),
        };
        let editions = config.languages.iter().map(|(tag, l)| Language {
            tag: tag.clone(),
            name: language_name(tag, l.name.as_deref()),
            prefix: format!("{tag}/"),
        });
        let languages = std::iter::once(main).chain(editions).collect();
        Ok(Settings {
            languages,
            root: root.to_path_buf(),
            site_url: base_url.clone(),
            original_language: config.language.clone(),
            config,
            base_url,
            root_path: base_path.clone(),
            base_path,
            output_dir,
            drafts: overrides.drafts,
            edition: None,
            timestamp_ca,
        })
    }

    /// Every language the site is published in: the original first, then the editions of
    /// `[languages]` in tag order.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    /// How many bytes one snapshot's compressed data may expand to: `[snapshots] max_mb`.
    pub(crate) fn snapshot_limit(&self) -> u64 {
        (self.config.snapshots.max_mb * 1e6) as u64
    }

    /// The settings of the edition in `tag`: its language, title and description, its
    /// pages under `/<tag>/`.
    pub fn edition(&self, tag: &str) -> Settings {
        let mut s = self.clone();
        let l = self.config.languages.get(tag).cloned().unwrap_or_default();
        s.config.language = tag.to_string();
        if let Some(t) = l.title {
            s.config.title = t;
        }
        if l.description.is_some() {
            s.config.description = l.description;
        }
        s.base_path = format!("{}{tag}/", self.root_path);
        s.base_url = format!("{}{tag}/", self.base_url);
        s.edition = Some(tag.to_string());
        s
    }

    /// An absolute URL path for a file of the whole site (an asset beside the content, a
    /// static file), the same in every edition.
    pub(crate) fn root_url(&self, path: &str) -> String {
        format!("{}{}", self.root_path, encode_path(path))
    }

    /// The full URL of a site path of the whole site, whatever the edition:
    /// `https://example.org/fr/claims/x/` for `fr/claims/x/`.
    pub(crate) fn root_permalink(&self, path: &str) -> String {
        format!("{}{}", self.site_url, encode_path(path))
    }

    /// An absolute URL path for a site path such as `claims/x/` (no leading slash), with
    /// every character but letters, digits, `-._~` and `/` percent-encoded, so that file
    /// and folder names with spaces or non-ASCII letters make valid links.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, encode_path(path))
    }

    /// A full URL (with scheme and host) for a site path, encoded as [`Settings::url`] does.
    pub(crate) fn permalink(&self, path: &str) -> String {
        self.absolute(&self.url(path))
    }

    /// Who publishes the dossier: `[publisher] name`, else the site's title.
    pub(crate) fn publisher_name(&self) -> &str {
        self.config
            .publisher
            .as_ref()
            .map_or(self.config.title.as_str(), |p| p.name.as_str())
    }

    /// The full URL of an absolute URL path made by [`Settings::url`].
    pub fn absolute(&self, url: &str) -> String {
        let path = url.strip_prefix(&self.root_path).unwrap_or(url);
        format!("{}{}", self.site_url, path.trim_start_matches('/'))
    }
}

/// `site.toml` read and parsed, each `[[map.positions]]` claim with its line and column.
fn read_config(root: &Path) -> Result<(String, Config), Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                return Err(vec![Diagnostic::error(
                    CONFIG_FILE,
                    0,
                    0,
                    "file is not valid UTF-8",
                )]);
            }
        },
        Err(e) => {
            return Err(vec![Diagnostic::error(
                CONFIG_FILE,
                0,
                0,
                format!(
                    "cannot read the site configuration ({e}); is `{}` a dossier? `dossier init DIR` creates one",
                    root.display()
                ),
            )]);
        }
    };
    let mut config: Config = toml::from_str(&text).map_err(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| line_col(&text, s.start));
        let key = (line > 0)
            .then(|| crate::base::words::key_at(&text, line - 1))
            .flatten();
        let (msg, suggestion) = crate::base::words::in_words(e.message(), key.as_deref(), false);
        vec![Diagnostic::error(CONFIG_FILE, line, col, msg).suggest(suggestion)]
    })?;
    for p in &mut config.map.positions {
        p.at = p
            .claims
            .iter()
            .map(|c| line_col(&text, c.span().start))
            .collect();
    }
    Ok((text, config))
}

/// The base URL, with `--base-url` and `--origin` applied, and its path.
fn base_url(
    config: &Config,
    overrides: &Overrides,
    key_line: &dyn Fn(&str) -> usize,
) -> Result<(String, String), Diagnostic> {
    let mut base_url = overrides
        .base_url
        .clone()
        .unwrap_or_else(|| config.base_url.clone());
    if let Some(origin) = &overrides.origin
        && let Some(path) = base_path_of(&base_url)
    {
        base_url = format!("{}{path}", origin.trim_end_matches('/'));
    }
    if let Some(path) = base_path_of(&base_url) {
        return Ok((base_url, path));
    }
    let (file, line) = if overrides.base_url.is_some() {
        ("--base-url", 0)
    } else {
        (CONFIG_FILE, key_line("base_url"))
    };
    Err(Diagnostic::error(
        file,
        line,
        0,
        format!(
            "base_url `{base_url}` must be an absolute http or https URL, such as `https://example.org/dossier/`"
        ),
    ))
}

/// Checks the values TOML alone cannot: the highlight theme, the link check's limits,
/// the language tag, the map's positions.
fn check_values(config: &Config, key_line: &dyn Fn(&str) -> usize) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if !crate::base::highlight::theme_exists(&config.markdown.highlight_theme) {
        errors.push(
            Diagnostic::error(
                CONFIG_FILE,
                key_line("highlight_theme"),
                0,
                format!(
                    "unknown highlight_theme `{}`",
                    config.markdown.highlight_theme
                ),
            )
            .suggest(crate::base::highlight::nearest_theme(
                &config.markdown.highlight_theme,
            )),
        );
    }
    let lc = &config.link_check;
    let limits = [
        (
            "timeout",
            lc.timeout > 0.0 && lc.timeout <= 600.0,
            "a number of seconds between 0 and 600, such as `15`",
        ),
        (
            "concurrency",
            (1..=64).contains(&lc.concurrency),
            "a number from 1 to 64, such as `8`",
        ),
        (
            "cache_hours",
            lc.cache_hours >= 0.0 && lc.cache_hours.is_finite(),
            "a number of hours, `0` or more, such as `24`",
        ),
    ];
    for (key, ok, expected) in limits {
        if !ok {
            errors.push(Diagnostic::error(
                CONFIG_FILE,
                key_line(key),
                0,
                format!("[link_check] {key} must be {expected}"),
            ));
        }
    }
    if let Err(near) = crate::base::language::check(&config.language) {
        errors.push(
            Diagnostic::error(
                CONFIG_FILE,
                key_line("language"),
                0,
                format!(
                    "`{}` is not a language tag (BCP 47, such as `en`, `zh-CN` or `fr`)",
                    config.language
                ),
            )
            .suggest(near),
        );
    }
    if config.map.sides.is_some() {
        errors.push(Diagnostic::error(
            CONFIG_FILE,
            key_line("sides"),
            0,
            "[map] sides is replaced by positions, as many as the dispute has: `[[map.positions]]` with `name = \"…\"` and `claims = [\"claim-id\", …]` each (claims no position lists are grouped by their relations)",
        ));
    }
    for p in config
        .map
        .positions
        .iter()
        .filter(|p| p.name.trim().is_empty())
    {
        let (line, col) =
            p.at.first()
                .copied()
                .unwrap_or((key_line("[[map.positions]]"), 0));
        errors.push(Diagnostic::error(
            CONFIG_FILE,
            line,
            col,
            "a position needs a `name`, such as `name = \"Attack by the US Navy\"`",
        ));
    }
    errors
}

/// A site path with every character but letters, digits, `-._~` and `/` percent-encoded,
/// without a leading slash.
fn encode_path(path: &str) -> String {
    const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(path.trim_start_matches('/'), PATH).to_string()
}

/// The path of an http(s) URL, normalised to start and end with `/`; `None` if not http(s).
fn base_path_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty()
        || host.contains(['"', '<', '>', ' ', '\''])
        || path.contains(['"', '<', '>', ' ', '\'', '?', '#'])
    {
        return None;
    }
    let path = path.trim_matches('/');
    Some(if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    })
}

/// A language's name in itself: `name` from `site.toml`, else CLDR's name of the
/// language in itself ("Deutsch", "العربية"), else its English name, else its tag.
fn language_name(tag: &str, name: Option<&str>) -> String {
    if let Some(n) = name {
        return n.to_string();
    }
    crate::base::locale::own_name(tag)
        .or_else(|| crate::base::language::english_name(tag).map(str::to_string))
        .unwrap_or_else(|| tag.to_string())
}

/// Problems with `[languages]`: a tag that is not one, the site's own language again, or
/// a tag not in lower case (it names a folder and files).
fn check_languages(config: &Config, text: &str) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let line_of = |tag: &str| {
        text.lines()
            .position(|l| {
                let t = l.trim();
                t == format!("[languages.{tag}]") || t == format!("[languages.\"{tag}\"]")
            })
            .map_or(0, |i| i + 1)
    };
    for tag in config.languages.keys() {
        let line = line_of(tag);
        if let Err(near) = crate::base::language::check(tag) {
            errors.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    1,
                    format!("`{tag}` in [languages] is not a language tag (BCP 47, such as `fr` or `zh-CN`)"),
                )
                .suggest(near),
            );
        } else if tag.eq_ignore_ascii_case(&config.language) {
            errors.push(Diagnostic::error(
                CONFIG_FILE,
                line,
                1,
                format!("`{tag}` is the site's own language (`language`); [languages] lists the other languages it is published in"),
            ));
        } else if tag != &tag.to_ascii_lowercase() {
            errors.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    1,
                    format!("write the language tag `{tag}` in lower case: it names the edition's folder and its files (`<name>.{}.md`)", tag.to_ascii_lowercase()),
                )
                .suggest(Some(tag.to_ascii_lowercase())),
            );
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path_of("https://example.org").as_deref(), Some("/"));
        assert_eq!(
            base_path_of("https://example.org/sub").as_deref(),
            Some("/sub/")
        );
        assert_eq!(base_path_of("http://h/a/b/").as_deref(), Some("/a/b/"));
        assert_eq!(base_path_of("ftp://h/"), None);
        assert_eq!(base_path_of("https:///x"), None);
    }
}

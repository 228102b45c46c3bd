//! `dossier init`, `dossier new`, `dossier translate` and `dossier i18n`: creating a
//! dossier, new entries, translations and interface tables from skeletons.

pub(crate) mod interface;
pub(crate) mod translation;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::load::content::meta::{ActorKind, Choice, Reliability, SourceKind};
use crate::load::content::{CONTENT_DIR, valid_id};

/// The kinds of entry `dossier new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum NewKind {
    Claim,
    Source,
    Actor,
    Event,
}

/// Creates a new dossier in `dir`, which must be absent or empty.
pub fn init(dir: &Path) -> Result<String, String> {
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} is not empty; `dossier init` only creates a dossier in a new or empty folder",
            dir.display()
        ));
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dossier".into());
    let files: [(&str, String); 6] = [
        // The built site and the link check's answers are made from the rest; keep them
        // out of version control.
        (".gitignore", "/public\n/.public.staging-*\n/.dossier-cache\n".into()),
        ("site.toml", format!("title = \"{}\"\ndescription = \"Who says what, and on what evidence\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n\n[markdown]\nraw_html = false\nhighlight_theme = \"InspiredGitHub\"\n", toml_escape(&name))),
        ("content/_index.md", "+++\ntitle = \"About this dossier\"\n+++\n\nWhat this dossier covers, and how it was assembled.\n".into()),
        ("content/actors/example-agency.md", "+++\ntitle = \"Example Agency\"\nkind = \"agency\"\ncountry = \"Nowhere\"\n+++\n\nWho this actor is.\n".into()),
        ("content/sources/example-report.md", format!("+++\ntitle = \"An example report\"\nkind = \"report\"\npublisher = \"Example Agency\"\npublished_by = \"example-agency\"\ndate = \"{}\"\nreliability = \"F\"\n+++\n\nNotes on this source: what it is and how it was obtained.\n", crate::load::content::date::today())),
        ("content/claims/example-claim.md", format!("+++\ntitle = \"Example Agency says something happened\"\nclaimants = [\"example-agency\"]\ndate = \"{}\"\nsummary = \"One sentence on what is claimed.\"\n\n[[citations]]\nsource = \"example-report\"\nlocator = \"p. 1\"\n+++\n\nThe claim in the claimant's own terms, with its evidence [@example-report, p. 1].\n", crate::load::content::date::today())),
    ];
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| format!("cannot create {}: {e}", p.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(format!(
        "created a dossier in {}; build it with `dossier build --root {}`",
        dir.display(),
        dir.display()
    ))
}

/// Creates `content/<kind>s/<id>.md` under `root` from a skeleton.
pub(crate) fn new_entry(
    root: &Path,
    kind: NewKind,
    id: &str,
    title: Option<&str>,
) -> Result<String, String> {
    if !root.join(crate::load::config::CONFIG_FILE).is_file() {
        return Err(format!(
            "no site.toml in {}; run this in a dossier's folder or pass --root",
            root.display()
        ));
    }
    if let Some(problem) = crate::load::content::id_problem(id, "the id") {
        return Err(problem);
    }
    if let Some(file) = id_taken(root, id) {
        return Err(format!(
            "id `{id}` is taken by {file}; ids are unique across claims, sources, actors and events"
        ));
    }
    let title = title
        .map(str::to_string)
        .unwrap_or_else(|| id.replace(['-', '_'], " "));
    let title = toml_escape(&title);
    let (section, text) = match kind {
        NewKind::Claim => {
            let actors = ids_in(root, "actors");
            let Some(first) = actors.first() else {
                return Err(
                    "a claim needs a claimant, and this dossier has no actor yet; create one first with `dossier new actor ID`".into(),
                );
            };
            let sources = ids_in(root, "sources");
            let citation = match sources.first() {
                Some(s) => format!(
                    "\n# Where the claim is made, and its evidence (sources: {}):\n# [[citations]]\n# source = \"{s}\"\n# locator = \"p. 1\"\n# quote = \"Words exactly as the source has them.\"\n",
                    some(&sources)
                ),
                None => "\n# [[citations]]  (create a source first: `dossier new source ID`)\n# source = \"a-source-id\"\n".into(),
            };
            (
                "claims",
                format!(
                    "+++\ntitle = \"{title}\"\n# Actor ids of who makes the claim (actors: {}).\nclaimants = [\"{first}\"]\ndate = \"{}\"\n# Claim ids this claim disputes or supports.\ndisputes = []\nsupports = []\n{citation}+++\n\nThe claim in its claimant's own terms.\n",
                    some(&actors),
                    crate::load::content::date::today()
                ),
            )
        }
        NewKind::Source => (
            "sources",
            format!(
                "+++\ntitle = \"{title}\"\n# {}\nkind = \"report\"\n# publisher = \"Who published it\"\n# published_by = \"an-actor-id\"\ndate = \"{}\"\n# url = \"https://…\"\n# {}\n# reliability = \"F\"\n+++\n\nNotes on this source: what it is and how it was obtained.\n",
                values::<SourceKind>(),
                crate::load::content::date::today(),
                values::<Reliability>(),
            ),
        ),
        NewKind::Event => {
            let sources = ids_in(root, "sources");
            let documented = match sources.first() {
                Some(s) => format!(
                    "# Source ids that document it (sources: {}).\nsources = [\"{s}\"]\n",
                    some(&sources)
                ),
                None => "# Source ids that document it (create one with `dossier new source ID`).\nsources = []\n".into(),
            };
            (
                "events",
                format!(
                    "+++\ntitle = \"{title}\"\n# When it happened, or began; `end` when it lasted.\ndate = \"{}\"\n# end = \"{}\"\n# place = \"Where it happened\"\n{documented}+++\n\nWhat happened, in words every side would accept; claims about it name it in `about`.\n",
                    crate::load::content::date::today(),
                    crate::load::content::date::today(),
                ),
            )
        }
        NewKind::Actor => (
            "actors",
            format!(
                "+++\ntitle = \"{title}\"\n# {}\nkind = \"organisation\"\n+++\n\nWho this actor is.\n",
                values::<ActorKind>()
            ),
        ),
    };
    let path = root
        .join(CONTENT_DIR)
        .join(section)
        .join(format!("{id}.md"));
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).map_err(|e| format!("cannot create {}: {e}", p.display()))?;
    }
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(format!("created content/{section}/{id}.md"))
}

/// Every id taken, with the file that takes it: each claim, source, actor and event
/// `<id>.md` in any folder of its section, and each file `<id>.<anything>` among the
/// sources (a snapshot that would be taken for a new source's). Read once for a
/// command, however many ids it checks.
pub(crate) fn taken_ids(root: &Path) -> BTreeMap<String, String> {
    let mut taken = BTreeMap::new();
    let mut beside = Vec::new();
    for section in ["claims", "sources", "actors", "events"] {
        let dir = root.join(CONTENT_DIR).join(section);
        for e in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let name = e.file_name().to_string_lossy().into_owned();
            let file = e
                .path()
                .strip_prefix(root)
                .unwrap_or(e.path())
                .to_string_lossy()
                .into_owned();
            if let Some(id) = name.strip_suffix(".md").filter(|id| !id.contains('.')) {
                taken.entry(id.to_string()).or_insert(file);
            } else if let Some((stem, _)) = name.split_once('.').filter(|_| section == "sources") {
                beside.push((stem.to_string(), file));
            }
        }
    }
    // An entry's own file is named before a file beside it.
    for (id, file) in beside {
        taken.entry(id).or_insert(file);
    }
    taken
}

/// The file that takes `id`, if one does (see [`taken_ids`]).
pub(crate) fn id_taken(root: &Path, id: &str) -> Option<String> {
    taken_ids(root).remove(id)
}

/// The ids of the entries in `content/<section>/`, sorted.
fn ids_in(root: &Path, section: &str) -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(root.join(CONTENT_DIR).join(section))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.strip_suffix(".md")?;
            valid_id(id).then(|| id.to_string())
        })
        .collect();
    ids.sort();
    ids
}

/// A few ids, for a comment.
fn some(ids: &[String]) -> String {
    match ids.len() {
        0..=8 => ids.join(", "),
        n => format!("{}, and {} more", ids[..8].join(", "), n - 8),
    }
}

/// A comment listing a key's valid values.
fn values<C: Choice>() -> String {
    let names: Vec<String> = C::ALL
        .iter()
        .map(|c| match c.words() {
            Some(w) => format!("{} ({w})", c.name()),
            None => c.name().to_string(),
        })
        .collect();
    format!("{}: {}", C::KEY, names.join(", "))
}

fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// An author as written in front matter: a quoted name, or an inline table of its parts.
fn author_toml(a: &crate::load::content::names::Author) -> String {
    use crate::load::content::names::Author;
    let q = |s: &str| format!("\"{}\"", toml_escape(s));
    match a {
        Author::Written(s) => q(s),
        Author::Organisation(s) => format!("{{ literal = {} }}", q(s)),
        Author::Person(p) => {
            let mut parts = vec![format!("family = {}", q(&p.family))];
            for (key, value) in [
                ("given", &p.given),
                ("particle", &p.particle),
                ("suffix", &p.suffix),
            ] {
                if let Some(v) = value {
                    parts.push(format!("{key} = {}", q(v)));
                }
            }
            if p.family_first {
                parts.push("family_first = true".into());
            }
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

/// A source file about to be written by `capture` or `import`.
#[derive(Debug, Default)]
pub(crate) struct NewSource {
    pub title: Option<String>,
    /// A source kind's name (`report`, `article`…).
    pub kind: Option<&'static str>,
    pub publisher: Option<String>,
    /// The actor who published it, by id.
    pub published_by: Option<String>,
    pub authors: Vec<crate::load::content::names::Author>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub archive_url: Option<String>,
    pub accessed: Option<String>,
    pub report_number: Option<String>,
    pub doi: Option<String>,
    pub snapshot: Option<SnapshotKeys>,
    /// The body: a line on where the source came from.
    pub note: String,
}

/// The snapshot keys of a captured source.
#[derive(Debug)]
pub(crate) struct SnapshotKeys {
    pub file: String,
    pub sha256: String,
    pub captured: String,
    pub encoding: Option<String>,
}

impl NewSource {
    /// The source's file: its front matter in the dossier's TOML style, then its note.
    pub fn file(&self) -> String {
        let q = |s: &str| format!("\"{}\"", toml_escape(s));
        // A full date is a TOML date; a year or a month is a string.
        let date = |d: &str| if d.len() == 10 { d.to_string() } else { q(d) };
        let mut keys: Vec<(&str, String)> = Vec::new();
        let title = self
            .title
            .clone()
            .or_else(|| self.url.clone())
            .unwrap_or_default();
        keys.push(("title", q(&title)));
        if let Some(k) = self.kind {
            keys.push(("kind", q(k)));
        }
        if let Some(p) = &self.publisher {
            keys.push(("publisher", q(p)));
        }
        if let Some(a) = &self.published_by {
            keys.push(("published_by", q(a)));
        }
        if !self.authors.is_empty() {
            let list: Vec<String> = self.authors.iter().map(author_toml).collect();
            keys.push(("authors", format!("[{}]", list.join(", "))));
        }
        let texts = [
            ("date", self.date.as_deref().map(date)),
            ("language", self.language.as_deref().map(q)),
            ("url", self.url.as_deref().map(q)),
            ("archive_url", self.archive_url.as_deref().map(q)),
            ("accessed", self.accessed.as_deref().map(date)),
            ("report_number", self.report_number.as_deref().map(q)),
            ("doi", self.doi.as_deref().map(q)),
        ];
        keys.extend(texts.into_iter().filter_map(|(k, v)| Some((k, v?))));
        if let Some(s) = &self.snapshot {
            keys.push(("snapshot", q(&s.file)));
            keys.push(("snapshot_sha256", q(&s.sha256)));
            keys.push(("snapshot_captured", date(&s.captured)));
            if let Some(e) = &s.encoding {
                keys.push(("snapshot_encoding", q(e)));
            }
        }
        let mut out = String::from("+++\n");
        for (k, v) in keys {
            out.push_str(&format!("{k} = {v}\n"));
        }
        out.push_str("+++\n");
        if !self.note.is_empty() {
            out.push_str(&format!("\n{}\n", self.note));
        }
        out
    }

    /// The keys a capture or an import could not fill.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            ("title", self.title.is_none()),
            ("kind", self.kind.is_none()),
            ("publisher", self.publisher.is_none()),
            ("authors", self.authors.is_empty()),
            ("date", self.date.is_none()),
            ("language", self.language.is_none()),
        ]
        .into_iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| k)
        .collect()
    }

    /// An id from the title's first few ASCII words and the year, else from the address's
    /// host.
    pub(crate) fn derive_id(&self) -> String {
        use unicode_normalization::UnicodeNormalization;
        let words = |s: &str| -> Vec<String> {
            let folded: String = s.nfkd().filter(char::is_ascii).collect::<String>();
            folded
                .to_ascii_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
                .map(str::to_string)
                .collect()
        };
        let mut parts: Vec<String> = self
            .title
            .as_deref()
            .map(words)
            .unwrap_or_default()
            .into_iter()
            .take(4)
            .collect();
        if parts.is_empty() {
            let host = self.url.as_deref().unwrap_or_default();
            let host = host
                .split_once("://")
                .map_or("", |(_, r)| r.split(['/', ':', '?']).next().unwrap_or(""));
            parts = words(host.trim_start_matches("www."));
        }
        if let Some(year) = self.date.as_deref().and_then(|d| d.get(..4))
            && !parts.iter().any(|p| p == year)
        {
            parts.push(year.to_string());
        }
        let id = crate::load::content::shorten_id(&parts.join("-"));
        if id.is_empty() { "source".into() } else { id }
    }
}

/// Words left out of ids made from titles.
const STOP_WORDS: [&str; 16] = [
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to",
    "with",
];

/// `base`, or `base-2`, `base-3`… whichever no entry or snapshot takes.
#[cfg_attr(not(feature = "capture"), allow(dead_code))]
pub(crate) fn unique_id(root: &Path, base: &str) -> String {
    let taken = taken_ids(root);
    (1..)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|id| !taken.contains_key(id))
        .unwrap_or_else(|| base.to_string())
}

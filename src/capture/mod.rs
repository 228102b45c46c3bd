//! `dossier capture URL`: fetches a source's address and writes the source for it — its
//! front matter filled from what the page or PDF says of itself ([`metadata`],
//! [`crate::snapshots::pdf`]), its snapshot as received, the whole HTTP exchange as a
//! WARC file ([`crate::snapshots::warc`]), and the snapshot's hash. Nothing is written
//! unless all of it can be.

pub(crate) mod archive;
pub(crate) mod drift;
pub(crate) mod edit;
pub(crate) mod external;
pub(crate) mod fetch;
pub(crate) mod metadata;
pub(crate) mod received;
pub(crate) mod restore;
pub(crate) mod stamp;
pub(crate) mod tsa;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::author::scaffold::{NewSource, SnapshotKeys, id_taken, unique_id};
use crate::base::digest::sha256_hex;
use crate::load::config::{Overrides, Settings};
use crate::load::content::CONTENT_DIR;
use crate::load::content::date::{today, utc_timestamp};
use crate::load::content::meta::{Choice, SourceKind};
use crate::load::content::names::Author;
use crate::snapshots::{charset_param, encoding, meta_charset, pdf};

/// What `capture` was asked.
pub struct Options {
    pub url: String,
    pub id: Option<String>,
    pub kind: Option<SourceKind>,
    /// Whether to have the snapshot time-stamped, and by which authority when not the
    /// site's.
    pub timestamp: Option<Option<String>>,
    /// Whether to have the Internet Archive archive the page.
    pub archive: bool,
    pub root: PathBuf,
}

/// How a capture ended.
pub enum Outcome {
    /// Written; what to print.
    Done(String),
    /// Refused, with nothing written.
    Refused(String),
    /// The command was asked wrongly.
    Usage(String),
    /// Some of what was asked was done (what to print), some not (why).
    Partly(String, String),
}

/// The settings of the dossier at `root` and the dossier resolved, for the commands that
/// act on sources that exist; or why it cannot be read.
fn resolved(root: &Path) -> Result<(Settings, crate::resolve::model::Dossier), Outcome> {
    let settings = Settings::load(root, &Overrides::default()).map_err(|diags| {
        let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
        Outcome::Refused(lines.join("\n"))
    })?;
    let diags = crate::base::diagnostics::Diagnostics::default();
    let content = crate::load::content::load(&settings, &diags);
    let d = crate::resolve::resolve(&settings, content, &diags);
    Ok((settings, d))
}

/// A usage error for the first of `ids` that names no source of `d`, with the nearest.
fn unknown_source(d: &crate::resolve::model::Dossier, ids: &[String]) -> Option<Outcome> {
    let known: Vec<&str> = d.sources.iter().map(|s| s.id.as_str()).collect();
    let unknown = ids.iter().find(|id| !known.contains(&id.as_str()))?;
    let near = crate::base::diagnostics::nearest(unknown, known.iter().copied());
    Some(Outcome::Usage(format!(
        "there is no source `{unknown}`{}",
        near.map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default()
    )))
}

/// Does `act` for each of `sources`, and says how that ended: a line for each done, a
/// warning for each not `what` (with why), `nothing` when there was none to do.
fn for_each_source<'a>(
    sources: impl Iterator<Item = &'a std::sync::Arc<crate::resolve::model::Source>>,
    what: &str,
    nothing: &str,
    mut act: impl FnMut(&crate::resolve::model::Source) -> Result<String, String>,
) -> Outcome {
    let (mut done, mut failed) = (Vec::new(), 0);
    for s in sources {
        match act(s) {
            Ok(line) => done.push(format!("{}: {line}", s.id)),
            Err(why) => {
                failed += 1;
                eprintln!("warning: source `{}` was not {what}: {why}", s.id);
            }
        }
    }
    match (done.is_empty(), failed) {
        (true, 0) => Outcome::Done(nothing.to_string()),
        (_, 0) => Outcome::Done(done.join("\n")),
        _ => Outcome::Partly(
            done.join("\n"),
            format!("{failed} not {what} (see the warnings above)"),
        ),
    }
}

/// What was fetched, as a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    Html,
    Pdf,
}

/// Captures `options.url` into the dossier at `options.root`.
pub fn run(options: &Options) -> Outcome {
    match capture(options) {
        Ok(report) => Outcome::Done(report),
        Err(outcome) => outcome,
    }
}

/// What the command line asked, checked.
struct Asked {
    kind: Option<&'static str>,
    /// The address without credentials.
    address: String,
}

/// Checks `--id` and the address, warning of credentials in it.
fn asked(options: &Options) -> Result<Asked, Outcome> {
    let kind = options.kind.map(SourceKind::name);
    if let Some(problem) = options
        .id
        .as_deref()
        .and_then(|id| crate::load::content::id_problem(id, "--id"))
    {
        return Err(Outcome::Usage(problem));
    }
    let (address, credentials) = crate::base::address::without_credentials(&options.url);
    if !crate::base::address::is_http(&address) {
        return Err(Outcome::Refused(format!(
            "`{address}` is not an http or https address; capture fetches web pages and PDFs"
        )));
    }
    if credentials.is_some() {
        eprintln!(
            "warning: the user name and password in the address are sent to its server but written nowhere: the source's `url` is {address}, and the web archive records the request with them masked"
        );
    }
    Ok(Asked { kind, address })
}

/// Fetches, describes and writes the source; what was done, in words.
fn capture(options: &Options) -> Result<String, Outcome> {
    let asked = asked(options)?;
    let settings = Settings::load(&options.root, &Overrides::default()).map_err(|diags| {
        let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
        Outcome::Refused(lines.join("\n"))
    })?;
    if let Some(id) = &options.id
        && let Some(file) = id_taken(&options.root, id)
    {
        return Err(Outcome::Refused(format!(
            "id `{id}` is taken by {file}; ids are unique across claims, sources, actors and events"
        )));
    }
    let authority = match &options.timestamp {
        Some(flag) => Some(stamp::authority(&settings, flag.as_deref())?),
        None => None,
    };
    let timeout = Duration::from_secs_f64(settings.config.link_check.timeout);
    let max_mb = settings.config.capture.max_mb;
    let user_agent = concat!("dossier/", env!("CARGO_PKG_VERSION"), " (source capture)");
    let hops = fetch::fetch(&options.url, timeout, max_mb, user_agent).map_err(Outcome::Refused)?;
    let Some(last) = hops.last() else {
        return Err(Outcome::Refused(format!("{}: no answer", asked.address)));
    };
    if !(200..300).contains(&last.status) {
        return Err(Outcome::Refused(format!(
            "{}: the server answered {} {}",
            last.url, last.status, last.reason
        )));
    }
    let got = received::received(last, max_mb).map_err(Outcome::Refused)?;
    let (mut source, extension, dated) =
        describe(last, &got, asked.kind, settings.snapshot_limit());
    source.published_by = source
        .publisher
        .as_deref()
        .and_then(|p| publishing_actor(&settings, p));
    let id = match &options.id {
        Some(id) => id.clone(),
        None => unique_id(&options.root, &source.derive_id()),
    };
    let sha256 = sha256_hex(&got.bytes);
    source.accessed = Some(today());
    if let Some(s) = source.snapshot.as_mut() {
        s.file = format!("{id}.{extension}");
        s.sha256 = sha256.clone();
    }
    source.note = format!(
        "Captured from <{}> on {} with `dossier capture`; the whole exchange is in `{id}.warc.gz`.",
        source.url.as_deref().unwrap_or_default(),
        today()
    );
    let warc = web_archive(&hops, &format!("{id}.warc.gz"));
    let folder = options.root.join(CONTENT_DIR).join("sources");
    let files = [
        (format!("{id}.{extension}"), got.bytes.clone()),
        (format!("{id}.warc.gz"), warc),
        (format!("{id}.md"), source.file().into_bytes()),
    ];
    write_all(&folder, &files).map_err(Outcome::Refused)?;
    let names: Vec<String> = files
        .iter()
        .map(|(n, _)| format!("{CONTENT_DIR}/sources/{n}"))
        .collect();
    let mut report = format!(
        "captured {} ({} {}, {} bytes)\n{}wrote {}\n",
        last.url,
        last.status,
        got.media,
        got.bytes.len(),
        got.note.map(|n| format!("note: {n}\n")).unwrap_or_default(),
        names.join(", ")
    );
    if let Some(note) = dated {
        report.push_str(&format!("note: {note}\n"));
    }
    let missing = source.missing();
    if missing.is_empty() {
        report.push_str("every key was filled");
    } else {
        report.push_str(&format!(
            "could not fill: {} (add them by hand in {CONTENT_DIR}/sources/{id}.md)",
            missing.join(", ")
        ));
    }
    let url = source.url.as_deref().unwrap_or(&last.url);
    let archive = options.archive.then_some(url);
    report.push_str(&afterwards(
        &settings, authority, archive, &folder, &id, &sha256,
    ));
    Ok(report)
}

/// Time-stamps and archives the source written as `id` in `folder` when asked (a failure
/// of either is a warning: the source stays written), and ends with its front matter as
/// the file now reads; what to add to the report.
fn afterwards(
    settings: &Settings,
    authority: Option<String>,
    archive: Option<&str>,
    folder: &Path,
    id: &str,
    sha256: &str,
) -> String {
    let mut report = String::new();
    if let Some(authority) = authority {
        match stamp::stamp(settings, &authority, folder, id, sha256) {
            Ok(done) => report.push_str(&format!("\n{done}")),
            Err(why) => eprintln!(
                "warning: the snapshot of `{id}` was not time-stamped: {why}; the source is written, and `dossier timestamp {id}` asks again"
            ),
        }
    }
    if let Some(url) = archive {
        match archive::archive_into(settings, url, &folder.join(format!("{id}.md"))) {
            Ok(done) => report.push_str(&format!("\n{done}")),
            Err(why) => eprintln!(
                "warning: `{id}` was not archived: {why}; the source is written, and `dossier archive {id}` asks again"
            ),
        }
    }
    if let Ok(text) = fs::read_to_string(folder.join(format!("{id}.md"))) {
        let end = text[3..].find("+++").map_or(text.len(), |e| e + 6);
        report.push_str(&format!("\n\n{}", text[..end].trim_end()));
    }
    report
}

/// The id of the actor whose name or alias is `publisher` (letters and digits compared,
/// case folded), if exactly one is. Actors whose files cannot be read are passed over.
fn publishing_actor(settings: &Settings, publisher: &str) -> Option<String> {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = fold(publisher);
    let diags = crate::base::diagnostics::Diagnostics::default();
    let content = crate::load::content::load(settings, &diags);
    let mut matching = content.actors.iter().filter(|a| {
        std::iter::once(&a.meta.title)
            .chain(&a.meta.aliases)
            .any(|n| fold(n) == wanted)
    });
    let first = matching.next()?;
    matching.next().is_none().then(|| first.id.clone())
}

/// The source a snapshot describes (its snapshot's name and hash left to fill), the
/// snapshot's extension, and what to tell of a key left out.
fn describe(
    last: &fetch::Hop,
    got: &received::Received,
    kind: Option<&'static str>,
    limit: u64,
) -> (NewSource, &'static str, Option<String>) {
    let mut source = NewSource::default();
    let mut note = None;
    let bytes = &got.bytes;
    let mut source_encoding: Option<String> = None;
    let extension = match got.body {
        Body::Html => {
            let header_encoding = last
                .header("content-type")
                .and_then(charset_param)
                .and_then(encoding);
            let bom = encoding_rs::Encoding::for_bom(bytes).is_some();
            let chosen = if bom { None } else { header_encoding };
            // The page alone must say how to read it; else the source says.
            if let Some(e) = chosen
                && meta_charset(bytes) != Some(e)
                && e != encoding_rs::UTF_8
            {
                source_encoding = Some(e.name().to_ascii_lowercase());
            }
            // A page that says nothing and is not UTF-8 is read as browsers read it.
            let undeclared = !bom && chosen.is_none() && meta_charset(bytes).is_none();
            if undeclared && std::str::from_utf8(bytes).is_err() {
                source_encoding = Some("windows-1252".into());
            }
            let text = chosen
                .or_else(|| meta_charset(bytes))
                .or_else(|| source_encoding.as_deref().and_then(encoding))
                .unwrap_or(encoding_rs::UTF_8)
                .decode_with_bom_removal(bytes)
                .0;
            let m = metadata::read(&text, &last.url);
            source.title = m.title;
            source.publisher = m.publisher;
            source.authors = m.authors.into_iter().map(Author::Written).collect();
            source.date = m.date;
            source.language = m.language;
            source.url = Some(m.canonical.unwrap_or_else(|| last.url.clone()));
            source.kind = kind.or(m.kind);
            "html"
        }
        Body::Pdf => {
            let info = pdf::info(bytes, limit);
            source.title = info.title;
            source.authors = info
                .authors
                .iter()
                .map(|a| Author::Written(metadata::reading_order(a)))
                .collect();
            // A browser that prints a page to PDF dates the file the day it prints it.
            let today = today();
            source.date = info.date.clone().filter(|d| *d != today);
            if info.date.is_some() && source.date.is_none() {
                note = Some(format!(
                    "the PDF is dated {today}, the day of capture, as a page printed from a browser is: no date was written; add the date it was published"
                ));
            }
            source.url = Some(last.url.clone());
            source.kind = kind.or(Some("report"));
            "pdf"
        }
    };
    source.snapshot = Some(SnapshotKeys {
        file: String::new(),
        sha256: String::new(),
        captured: today(),
        encoding: source_encoding,
    });
    (source, extension, note)
}

/// The WARC file of the exchange: a `warcinfo` record, then each hop's request and
/// response.
fn web_archive(hops: &[fetch::Hop], filename: &str) -> Vec<u8> {
    let date = utc_timestamp();
    let mut out = Vec::new();
    let info = format!(
        "software: dossier/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
        env!("CARGO_PKG_VERSION")
    );
    crate::snapshots::warc::write_record(
        &mut out,
        &[
            ("WARC-Type", "warcinfo".into()),
            (
                "WARC-Record-ID",
                crate::snapshots::warc::record_id(&format!("{filename} {date}")),
            ),
            ("WARC-Date", date.clone()),
            ("WARC-Filename", filename.into()),
            ("Content-Type", "application/warc-fields".into()),
        ],
        info.as_bytes(),
    );
    for (n, hop) in hops.iter().enumerate() {
        let response_id =
            crate::snapshots::warc::record_id(&format!("{} {date} {n} response", hop.url));
        let response = hop.response_message();
        crate::snapshots::warc::write_record(
            &mut out,
            &[
                ("WARC-Type", "response".into()),
                ("WARC-Record-ID", response_id.clone()),
                ("WARC-Date", date.clone()),
                ("WARC-Target-URI", hop.url.clone()),
                ("Content-Type", "application/http; msgtype=response".into()),
                (
                    "WARC-Payload-Digest",
                    format!("sha256:{}", sha256_hex(&hop.body)),
                ),
            ],
            &response,
        );
        crate::snapshots::warc::write_record(
            &mut out,
            &[
                ("WARC-Type", "request".into()),
                (
                    "WARC-Record-ID",
                    crate::snapshots::warc::record_id(&format!("{} {date} {n} request", hop.url)),
                ),
                ("WARC-Date", date.clone()),
                ("WARC-Target-URI", hop.url.clone()),
                ("WARC-Concurrent-To", response_id),
                ("Content-Type", "application/http; msgtype=request".into()),
            ],
            &hop.request,
        );
    }
    out
}

/// Writes every file into `folder`, or none: each goes to a hidden temporary name first,
/// and all are renamed into place only when all are written.
fn write_all(folder: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let temp = |name: &str| folder.join(format!(".{name}.capture-{}", std::process::id()));
    let cleanup = |upto: usize| {
        for (name, _) in &files[..upto] {
            let _ = fs::remove_file(temp(name));
        }
    };
    for (i, (name, bytes)) in files.iter().enumerate() {
        if folder.join(name).exists() {
            cleanup(i);
            return Err(format!(
                "{} exists already; nothing was written",
                folder.join(name).display()
            ));
        }
        if let Err(e) = fs::write(temp(name), bytes) {
            cleanup(i + 1);
            return Err(format!(
                "cannot write {}: {e}; nothing was written",
                folder.join(name).display()
            ));
        }
    }
    for (i, (name, _)) in files.iter().enumerate() {
        if let Err(e) = fs::rename(temp(name), folder.join(name)) {
            for (done, _) in &files[..i] {
                let _ = fs::remove_file(folder.join(done));
            }
            for (rest, _) in &files[i..] {
                let _ = fs::remove_file(temp(rest));
            }
            return Err(format!(
                "cannot write {}: {e}; nothing was written",
                folder.join(name).display()
            ));
        }
    }
    Ok(())
}

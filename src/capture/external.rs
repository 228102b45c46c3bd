//! `dossier check --external`: asking whether every source's `url` and `archive_url` is
//! still there. Each distinct URL is asked once (a few at a time, with a timeout and one
//! retry on a transient failure), redirects are followed and reported, and answers are
//! kept in `.dossier-cache/links.json` under the site root so that a second run within
//! `[link_check] cache_hours` asks nothing again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Settings;
use crate::resolve::model::Dossier;

/// The cache file, relative to the site root.
const CACHE_FILE: &str = ".dossier-cache/links.json";

/// What asking for a URL gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Answer {
    /// A success status, perhaps after redirects (`moved_to` is then the final URL).
    Ok {
        status: u16,
        moved_to: Option<String>,
    },
    /// An error status (after redirects, if any).
    Dead {
        status: u16,
        moved_to: Option<String>,
    },
    /// No HTTP answer: refused, not found, timed out, TLS failure.
    Unreachable { reason: String },
}

#[derive(Debug, Serialize, Deserialize)]
struct Cached {
    /// Seconds since the Unix epoch.
    checked: u64,
    answer: Answer,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    links: BTreeMap<String, Cached>,
}

/// Counts for the summary line.
#[derive(Debug, Default)]
pub struct Summary {
    pub links: usize,
    pub asked: usize,
    pub cached: usize,
    pub ok: usize,
    pub moved: usize,
    pub dead: usize,
    /// No link asked could be reached at all.
    pub offline: bool,
}

impl Summary {
    /// "checked 36 links (30 asked, 6 from the cache): 33 fine, 2 moved, 1 dead".
    pub fn line(&self) -> String {
        format!(
            "checked {} external link{} ({} asked, {} from the cache): {} fine, {} moved, {} dead or unreachable",
            self.links,
            if self.links == 1 { "" } else { "s" },
            self.asked,
            self.cached,
            self.ok,
            self.moved,
            self.dead
        ) + if self.offline {
            "; no link could be reached at all: is this machine offline? (these answers are not kept)"
        } else {
            ""
        }
    }
}

/// One place a URL is written: a source's `url` or `archive_url`.
struct Place<'a> {
    source: &'a str,
    key: &'static str,
    file: &'a str,
    line: usize,
    col: usize,
}

/// Asks for every source URL of `d` (or takes the answer from the cache) and reports dead
/// links as errors and moved ones as warnings, at the line that writes them.
pub fn check(d: &Dossier, settings: &Settings, diags: &Diagnostics) -> Summary {
    let mut places: BTreeMap<&str, Vec<Place<'_>>> = BTreeMap::new();
    for s in &d.sources {
        for (key, value) in [("url", &s.meta.url), ("archive_url", &s.meta.archive_url)] {
            if let Some(url) = value {
                let (line, col) = s.body.doc.locate(key, Some(url));
                places.entry(url.as_str()).or_default().push(Place {
                    source: &s.id,
                    key,
                    file: &s.body.doc.file,
                    line,
                    col,
                });
            }
        }
    }
    let cfg = &settings.config.link_check;
    let cache_path = settings.root.join(CACHE_FILE);
    let mut cache = read_cache(&cache_path);
    let now = unix_now();
    let fresh_for = (cfg.cache_hours * 3600.0) as u64;
    cache
        .links
        .retain(|_, c| now.saturating_sub(c.checked) < fresh_for);
    let todo: Vec<&str> = places
        .keys()
        .copied()
        .filter(|u| !cache.links.contains_key(*u))
        .collect();
    let answers = ask_all(&todo, cfg.concurrency, Duration::from_secs_f64(cfg.timeout));
    let mut summary = Summary {
        links: places.len(),
        asked: todo.len(),
        cached: places.len() - todo.len(),
        ..Summary::default()
    };
    // When nothing at all could be reached the machine is likely offline: those answers
    // are not kept, so that the next run asks again.
    let offline = !answers.is_empty()
        && answers
            .iter()
            .all(|a| matches!(a, Answer::Unreachable { .. }));
    summary.offline = offline;
    let mut fresh = BTreeMap::new();
    for (url, answer) in todo.iter().zip(answers) {
        fresh.insert(
            url.to_string(),
            Cached {
                checked: now,
                answer,
            },
        );
    }
    for (url, at) in &places {
        let answer = match fresh.get(*url) {
            Some(c) => &c.answer,
            None => &cache.links[*url].answer,
        };
        match answer {
            Answer::Ok { moved_to: None, .. } => summary.ok += 1,
            Answer::Ok {
                moved_to: Some(_), ..
            } => summary.moved += 1,
            _ => summary.dead += 1,
        }
        for p in at {
            if let Some(d) = diagnostic(url, answer, p) {
                diags.push(d);
            }
        }
    }
    if !offline {
        cache.links.extend(fresh);
    }
    if let Err(e) = write_cache(&cache_path, &cache) {
        diags.push(Diagnostic::warning(
            CACHE_FILE,
            0,
            0,
            format!("cannot keep the link check's answers for the next run: {e}"),
        ));
    }
    summary
}

/// The diagnostic for one place of a URL, if its answer needs one.
fn diagnostic(url: &str, answer: &Answer, p: &Place<'_>) -> Option<Diagnostic> {
    let what = format!("source `{}`: {} {url}", p.source, p.key);
    let via = |moved: &Option<String>| match moved {
        Some(to) => format!(" (after redirects to {to})"),
        None => String::new(),
    };
    Some(match answer {
        Answer::Ok { moved_to: None, .. } => return None,
        Answer::Ok {
            moved_to: Some(to),
            status,
        } => Diagnostic::warning(
            p.file,
            p.line,
            p.col,
            format!(
                "{what} has moved: it redirects to {to} (status {status} there); write the new address if the move is permanent"
            ),
        ),
        Answer::Dead { status, moved_to } => Diagnostic::error(
            p.file,
            p.line,
            p.col,
            format!(
                "{what} is dead: the server answered {}{}{}; find the page's new address, or cite an archived copy",
                status_text(*status),
                via(moved_to),
                if transient(answer) {
                    " (asked twice)"
                } else {
                    ""
                }
            ),
        ),
        Answer::Unreachable { reason } => Diagnostic::error(
            p.file,
            p.line,
            p.col,
            format!(
                "{what} cannot be reached: {}{}",
                reason,
                if transient(answer) {
                    " (asked twice)"
                } else {
                    ""
                }
            ),
        ),
    })
}

/// `404 Not Found`, or just the number for codes without a common reason.
pub(crate) fn status_text(status: u16) -> String {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    format!("{status} {reason}").trim_end().to_string()
}

/// Asks for each URL with `workers` threads; the answers come back in `urls`' order.
fn ask_all(urls: &[&str], workers: usize, timeout: Duration) -> Vec<Answer> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .save_redirect_history(true)
        .user_agent(concat!(
            "dossier/",
            env!("CARGO_PKG_VERSION"),
            " (source link check)"
        ))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let answers: Mutex<Vec<Option<Answer>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..workers.min(urls.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let mut answer = ask(&agent, url, timeout);
                    if transient(&answer) {
                        std::thread::sleep(Duration::from_millis(500));
                        answer = ask(&agent, url, timeout);
                    }
                    answers.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(answer);
                }
            });
        }
    });
    answers
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|a| {
            a.unwrap_or(Answer::Unreachable {
                reason: "not asked".into(),
            })
        })
        .collect()
}

/// Whether an answer may be different a moment later.
fn transient(a: &Answer) -> bool {
    match a {
        Answer::Dead { status, .. } => *status == 429 || *status >= 500,
        Answer::Unreachable { .. } => true,
        Answer::Ok { .. } => false,
    }
}

/// One GET request, following redirects; the body is not read.
fn ask(agent: &ureq::Agent, url: &str, timeout: Duration) -> Answer {
    use ureq::ResponseExt;
    match agent.get(url).call() {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let moved = resp.get_redirect_history().is_some_and(|h| h.len() > 1);
            let moved_to = moved.then(|| resp.get_uri().to_string());
            if (200..300).contains(&status) {
                Answer::Ok { status, moved_to }
            } else {
                Answer::Dead { status, moved_to }
            }
        }
        Err(e) => Answer::Unreachable {
            reason: unreachable(e, timeout),
        },
    }
}

/// Why a request got no HTTP answer, in words.
pub fn unreachable(e: ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs_f64()),
        ureq::Error::HostNotFound => "the host name is not found".into(),
        ureq::Error::TooManyRedirects => "more than 10 redirects".into(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused".into()
        }
        ureq::Error::Io(io) if io.to_string().contains("lookup address") => {
            "the host name cannot be resolved".into()
        }
        other => other.to_string(),
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The cache, or an empty one if it is missing or unreadable.
fn read_cache(path: &Path) -> CacheFile {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Writes the cache beside itself and renames it into place.
fn write_cache(path: &Path, cache: &CacheFile) -> std::io::Result<()> {
    let dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join(".links.json.tmp");
    let bytes = serde_json::to_vec_pretty(cache).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

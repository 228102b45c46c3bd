//! Answering HTTP requests from the site held in memory. Only files of the built site are
//! ever served: a request path is looked up in the site's file list, never joined to a
//! folder on disk. `server` moves the bytes; this module decides what they are.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Response, StatusCode};

use super::live::{Served, ServedSite};

/// The reload script, injected into served pages only.
const LIVE_JS: &str = include_str!("live.js");
/// Where the reload script is served, outside any site path (under `/__dossier/`, as
/// its long poll is).
const SCRIPT: &str = "/__dossier/live.js";
/// The reload script's long poll.
pub(crate) const EVENTS: &str = "/__dossier/events";
/// How long a reload poll waits for a change before answering anyway.
const POLL_WAIT: Duration = Duration::from_secs(25);

/// A response, its body whole in memory.
pub type Reply = Response<Full<Bytes>>;

/// What the server shows, replaced after every build.
#[derive(Default)]
pub struct State {
    /// The last good site, if any build succeeded.
    pub served: Option<Arc<ServedSite>>,
    /// Goes up by one after every build, good or bad.
    pub version: u64,
    /// The last version after which open pages had to reload (not only swap styles).
    pub reload_version: u64,
    /// The diagnostics of the last build, if it failed.
    pub errors: Vec<String>,
}

/// The state shared by the builder and the request handlers.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// The version, for reload polls to wait on.
    changed: tokio::sync::watch::Sender<u64>,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            state: Mutex::default(),
            changed: tokio::sync::watch::Sender::new(0),
        }
    }
}

impl Shared {
    /// Replaces what is served and wakes every waiting reload poll.
    pub fn publish(&self, served: Option<Arc<ServedSite>>, css_only: bool, errors: Vec<String>) {
        let mut s = self.lock();
        s.version += 1;
        if !css_only {
            s.reload_version = s.version;
        }
        let old = match served {
            Some(new) => s.served.replace(new),
            None => None,
        };
        s.errors = errors;
        let version = s.version;
        drop(s);
        self.changed.send_replace(version);
        // Freeing a large site takes a while; it need not delay the next build.
        std::thread::spawn(move || drop(old));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Answers a request for `path` (with its `query`) from the site.
pub fn answer(method: &Method, path: &str, query: &str, shared: &Shared) -> Reply {
    // hyper sends no body with a HEAD response, but keeps its length.
    if !matches!(*method, Method::GET | Method::HEAD) {
        {
            let mut r = text(405, "only GET and HEAD are served\n");
            r.headers_mut().insert(
                "Allow",
                hyper::header::HeaderValue::from_static("GET, HEAD"),
            );
            return r;
        }
    };
    if path == SCRIPT {
        return with_type(
            Response::new(Full::new(Bytes::from_static(LIVE_JS.as_bytes()))),
            "text/javascript; charset=utf-8",
        );
    }
    let (served, version, errors) = {
        let s = shared.lock();
        (s.served.clone(), s.version, s.errors.clone())
    };
    match served {
        Some(site) => answer_from(&site, path, query, version, &errors),
        None => html_response(
            500,
            error_page(&errors),
            &Injection {
                version,
                errors: &[],
            },
        ),
    }
}

fn answer_from(
    site: &ServedSite,
    path: &str,
    query: &str,
    version: u64,
    errors: &[String],
) -> Reply {
    let inject = Injection { version, errors };
    let base = site.base_path();
    let not_found = || {
        let page = match site.get("404.html") {
            Some(Served::Bytes(b)) => b.to_vec(),
            _ => b"<!doctype html><title>Not found</title><h1>Not found</h1>".to_vec(),
        };
        html_response(404, page, &inject)
    };
    let Some(decoded) = decode_path(path) else {
        return not_found();
    };
    if decoded == "/" && base != "/" {
        return redirect(302, base);
    }
    if decoded == base.trim_end_matches('/') {
        return redirect(301, base);
    }
    let Some(rel) = decoded.strip_prefix(base) else {
        return not_found();
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    let Some(file) = site.get(&key) else {
        if site.contains(&format!("{key}/index.html")) {
            let q = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            return redirect(301, &format!("{path}/{q}"));
        }
        return not_found();
    };
    let mime = content_type(&key);
    let html = mime.starts_with("text/html");
    let bytes: Bytes = match file {
        Served::Bytes(b) if !html => Bytes::from_owner(b),
        Served::Bytes(b) => Bytes::copy_from_slice(&b),
        Served::Embedded(b) => Bytes::from_static(b),
        // A file that became a symlink since the site was listed is not followed.
        Served::Disk(p) => match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_file() => match std::fs::read(&p) {
                Ok(b) => Bytes::from(b),
                Err(_) => return not_found(),
            },
            _ => return not_found(),
        },
        Served::Lazy(kind) => match site.lazy_at(&key, kind) {
            Ok(b) => Bytes::from_owner(b),
            Err(e) => return failed(e),
        },
    };
    if html {
        return html_response(200, bytes.to_vec(), &inject);
    }
    with_type(Response::new(Full::new(bytes)), &mime)
}

/// The decoded request path, or `None` for anything that could step outside the site:
/// `.` or `..` segments (also percent-encoded), backslashes, NUL bytes, invalid UTF-8.
fn decode_path(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    let bad_segment = decoded.split('/').any(|s| s == "." || s == "..");
    if bad_segment || decoded.contains(['\\', '\0']) || decoded.contains("//") {
        return None;
    }
    Some(decoded)
}

/// The `Content-Type` of a site file, with a charset for text.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "json" | "xml" | "javascript")
        || mime
            .suffix()
            .is_some_and(|s| matches!(s.as_str(), "xml" | "json"));
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// What goes into every served page: the reload script and, after a failed build, the
/// diagnostics.
struct Injection<'a> {
    version: u64,
    errors: &'a [String],
}

fn html_response(status: u16, page: Vec<u8>, inject: &Injection<'_>) -> Reply {
    let mut html = String::from_utf8_lossy(&page).into_owned();
    if !inject.errors.is_empty() {
        let banner = error_banner(inject.errors);
        let at = html
            .find("<body")
            .and_then(|b| html[b..].find('>').map(|e| b + e + 1))
            .unwrap_or(0);
        html.insert_str(at, &banner);
    }
    let script = format!(
        "<script src=\"{SCRIPT}\" data-version=\"{}\"></script>\n",
        inject.version
    );
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, &script),
        None => html.push_str(&script),
    }
    let mut r = with_type(
        Response::new(Full::new(Bytes::from(html))),
        "text/html; charset=utf-8",
    );
    *r.status_mut() = status_code(status);
    r
}

fn error_banner(errors: &[String]) -> String {
    let mut list = String::new();
    for e in errors {
        pulldown_cmark_escape::escape_html(&mut list, e).ok();
        list.push('\n');
    }
    format!(
        "<div id=\"dossier-preview-errors\" role=\"alert\" style=\"position:sticky;top:0;z-index:1000;margin:0;padding:.75rem 1rem;background:#fff0f0;color:#5a0000;border-bottom:3px solid #b00000;font:14px/1.4 system-ui,sans-serif\"><strong>The last change broke the build. This preview shows the last good version until the problem is fixed.</strong><pre style=\"margin:.5rem 0 0;white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace;background:none;color:inherit\">{list}</pre></div>"
    )
}

fn error_page(errors: &[String]) -> Vec<u8> {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body>{}</body></html>\n",
        error_banner(errors)
    )
    .into_bytes()
}

/// A generated file that could not be made: the reason, as plain text.
pub fn failed(reason: String) -> Reply {
    text(500, &reason)
}

/// A request the preview will not answer: why, as plain text.
pub fn refused(why: &str) -> Reply {
    text(403, why)
}

fn text(status: u16, body: &str) -> Reply {
    let mut r = with_type(
        Response::new(Full::new(Bytes::from(body.to_string()))),
        "text/plain; charset=utf-8",
    );
    *r.status_mut() = status_code(status);
    r
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Sets the content type, and that nothing is cached: the preview changes as you edit.
fn with_type(mut r: Reply, mime: &str) -> Reply {
    let h = r.headers_mut();
    if let Ok(v) = hyper::header::HeaderValue::from_str(mime) {
        h.insert(hyper::header::CONTENT_TYPE, v);
    }
    h.insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-store"),
    );
    r
}

fn redirect(status: u16, location: &str) -> Reply {
    let mut r = Response::new(Full::new(Bytes::new()));
    *r.status_mut() = status_code(status);
    if let Ok(v) = hyper::header::HeaderValue::from_str(location) {
        r.headers_mut().insert(hyper::header::LOCATION, v);
    }
    r
}

/// Waits until the site changes from version `since` (given in `query`; or a while
/// passes) and says what happened, as JSON: `{"version":N,"reload":bool,"ok":bool,
/// "errors":[...]}`.
pub async fn events(shared: &Shared, query: &str) -> Reply {
    let since = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(since) = since {
        let mut rx = shared.changed.subscribe();
        let wait = rx.wait_for(|&v| v != since);
        tokio::time::timeout(POLL_WAIT, wait).await.ok();
    }
    let s = shared.lock();
    // A version ahead of the server's means the server restarted: reload too.
    let reload = since.is_none_or(|v| s.reload_version > v || v > s.version);
    let body = serde_json::json!({
        "version": s.version,
        "reload": reload,
        "ok": s.errors.is_empty(),
        "errors": s.errors,
    })
    .to_string();
    drop(s);
    with_type(
        Response::new(Full::new(Bytes::from(body))),
        "application/json; charset=utf-8",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_escape_are_refused() {
        for p in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a/%2E%2E/%2e%2e/c",
            "/a/./b",
            "/a\\..\\b",
            "/a/%5c..%5cb",
            "/a%00b",
            "//etc/passwd",
            "/%ff",
        ] {
            assert_eq!(decode_path(p), None, "{p}");
        }
        assert_eq!(decode_path("/a%20b/").as_deref(), Some("/a b/"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("map.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(
            content_type("dossier.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("photo.png"), "image/png");
    }
}

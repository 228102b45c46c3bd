//! An archived copy at capture: `capture --archive` and `dossier archive` against a
//! loopback server that answers as the Save Page Now 2 API documents (a job started, its
//! status pending then success, an error, a job never done) and as its availability
//! answer does; and the build's reminder about sources without `archive_url`.

use crate::common;

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::{Arc, Mutex};

use common::fixtures::*;
use common::*;

/// A request as the server saw it: method, path and `Authorization` header.
type Seen = (String, String, Option<String>);

/// A Save Page Now 2 server: what it answers depends on the page's address.
struct Wayback {
    server: Arc<tiny_http::Server>,
    base: String,
    /// Every request's method, path and `Authorization` header.
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Wayback {
    fn start() -> Wayback {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s, log, own) = (server.clone(), seen.clone(), base.clone());
        std::thread::spawn(move || {
            let polls: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
            for mut request in s.incoming_requests() {
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let path = request.url().to_string();
                let auth = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Authorization"))
                    .map(|h| h.value.to_string());
                log.lock()
                    .unwrap()
                    .push((request.method().to_string(), path.clone(), auth));
                let answer = answer(&path, &body, &polls, &own);
                let _ = request.respond(tiny_http::Response::from_string(answer).with_header(
                    tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap(),
                ));
            }
        });
        Wayback { server, base, seen }
    }
}

impl Drop for Wayback {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// The API's answer to `path` (with a form `body` for `/save`).
fn answer(path: &str, body: &str, polls: &Mutex<BTreeMap<String, usize>>, base: &str) -> String {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    if path == "/save" {
        let url = body
            .split('&')
            .find_map(|kv| kv.strip_prefix("url="))
            .map(decode)
            .unwrap_or_default();
        let job = url.rsplit('/').next().unwrap_or_default().to_string();
        return match job.as_str() {
            "refused" | "recent" => r#"{"status":"error","status_ext":"error:too-many-daily-captures","message":"This URL has been captured 10 times today."}"#.into(),
            _ => format!(r#"{{"url":"{url}","job_id":"spn2-{job}"}}"#),
        };
    }
    if let Some(job) = path.strip_prefix("/save/status/spn2-") {
        let n = {
            let mut p = polls.lock().unwrap();
            let n = p.entry(job.to_string()).or_default();
            *n += 1;
            *n
        };
        return match (job, n) {
            ("failing", _) => r#"{"status":"error","status_ext":"error:not-found","message":"The server answered 404 Not Found."}"#.into(),
            ("never", _) | (_, 1) => r#"{"status":"pending","job_id":"x"}"#.into(),
            (page, _) => format!(
                r#"{{"status":"success","timestamp":"20261204120301","original_url":"http://pages.test/{page}","duration_sec":2.1}}"#
            ),
        };
    }
    if let Some(query) = path.strip_prefix("/wayback/available?url=") {
        let url = decode(query);
        return if url.ends_with("/recent") {
            format!(
                r#"{{"url":"{url}","archived_snapshots":{{"closest":{{"status":"200","available":true,"url":"{base}/web/20261201000000/{url}","timestamp":"20261201000000"}}}}}}"#
            )
        } else {
            format!(r#"{{"url":"{url}","archived_snapshots":{{}}}}"#)
        };
    }
    r#"{"status":"error"}"#.into()
}

/// The dossier's site.toml with the archive's endpoint and a short wait.
fn site_toml(wayback: &Wayback) -> String {
    format!(
        "{MIN_SITE_TOML}\n[link_check]\ntimeout = 2\n\n[capture]\narchive_endpoint = \"{}\"\narchive_wait = 2\n",
        wayback.base
    )
}

/// Runs the binary with the archive's access keys in its environment.
fn run_with_keys(site: &Site, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("IA_ACCESS_KEY_ID", "access-key")
        .env("IA_SECRET_ACCESS_KEY", "very-secret")
        .output()
        .unwrap();
    to_run(out)
}

#[test]
fn capture_archive_writes_the_copy_and_its_date() {
    let wayback = Wayback::start();
    let mut routes = BTreeMap::new();
    routes.insert(
        "/ok".to_string(),
        page(
            "text/html",
            "<html><head><title>A page</title></head><body><p>Words.</p></body></html>",
        ),
    );
    let pages = FixtureServer::start(routes);
    let site = Site::minimal();
    site.write("site.toml", &site_toml(&wayback));
    let url = pages.url("/ok");
    let run = run_with_keys(&site, &["capture", &url, "--id", "ok", "--archive"]).expect_code(0);
    let copy = format!("{}/web/20261204120301/http://pages.test/ok", wayback.base);
    assert!(
        run.stdout
            .contains(&format!("archived as {copy} (2026-12-04)")),
        "{}",
        run.stdout
    );
    let source = std::fs::read_to_string(site.root().join("content/sources/ok.md")).unwrap();
    assert!(
        source.contains(&format!(
            "archive_url = \"{copy}\"\narchived = 2026-12-04\n"
        )),
        "{source}"
    );
    // The documented request: the form, then the job's status until it is done, with the
    // keys from the environment; the keys are written nowhere.
    let seen = wayback.seen.lock().unwrap().clone();
    let paths: Vec<&str> = seen.iter().map(|(_, p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        ["/save", "/save/status/spn2-ok", "/save/status/spn2-ok"]
    );
    assert_eq!(seen[0].0, "POST");
    assert!(
        seen.iter()
            .all(|(_, _, a)| a.as_deref() == Some("LOW access-key:very-secret"))
    );
    for (_, bytes) in files(&site.root().join("content")) {
        assert!(!String::from_utf8_lossy(&bytes).contains("very-secret"));
    }
    assert!(!run.stdout.contains("very-secret") && !run.stderr.contains("very-secret"));
    let built = site.build(&[]).expect_code(0);
    assert!(!built.stderr.contains("no archive_url"), "{}", built.stderr);
    let ok = json_source(&site, "ok");
    assert_eq!(ok["archived"], "2026-12-04");
}

#[test]
fn dossier_archive_writes_what_it_can_and_warns_of_the_rest() {
    let wayback = Wayback::start();
    let site = Site::minimal();
    site.write("site.toml", &site_toml(&wayback));
    let names = ["fine", "recent", "refused", "failing", "never"];
    for name in names {
        site.write(
            &format!("content/sources/{name}.md"),
            &format!("---\ntitle: {name}\nurl: http://pages.test/{name}\n---\nNotes.\n"),
        );
    }
    let before = files(&site.root().join("content"));
    let started = std::time::Instant::now();
    let run = site
        .run(&["archive", "--root", site.root().to_str().unwrap()])
        .expect_code(1);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    for (name, said) in [
        (
            "refused",
            "the archive did not save it: This URL has been captured 10 times today.",
        ),
        (
            "failing",
            "the archive did not save it: The server answered 404 Not Found.",
        ),
        (
            "never",
            "was not done within 2 s (`[capture] archive_wait`)",
        ),
    ] {
        assert!(
            run.stderr.lines().any(|l| l
                .starts_with(&format!("warning: source `{name}` was not archived: "))
                && l.contains(said)),
            "{name}: {}",
            run.stderr
        );
        let path = format!("sources/{name}.md");
        assert_eq!(
            files(&site.root().join("content"))[&path],
            before[&path],
            "{name}"
        );
    }
    let fine = std::fs::read_to_string(site.root().join("content/sources/fine.md")).unwrap();
    assert_eq!(
        fine,
        format!(
            "---\ntitle: fine\nurl: http://pages.test/fine\narchive_url: \"{}/web/20261204120301/http://pages.test/fine\"\narchived: 2026-12-04\n---\nNotes.\n",
            wayback.base
        )
    );
    // Saved lately: the archive's closest copy.
    let recent = std::fs::read_to_string(site.root().join("content/sources/recent.md")).unwrap();
    assert!(
        recent.contains("/web/20261201000000/http://pages.test/recent\"\narchived: 2026-12-01\n"),
        "{recent}"
    );
    assert!(
        run.stdout.contains("fine: archived as ") && run.stdout.contains("recent: archived as ")
    );

    // Three sources still lack a copy (and so does source-s, which has no url).
    let run = site.build(&[]).expect_code(0);
    let reminders: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("archive_url"))
        .collect();
    assert_eq!(reminders.len(), 3, "{}", run.stderr);
    assert!(
        reminders.iter().all(|l| l.contains("`dossier archive ")),
        "{}",
        run.stderr
    );
    for n in 0..5 {
        site.write(
            &format!("content/sources/more-{n}.md"),
            &format!("+++\ntitle = \"More\"\nurl = \"http://pages.test/more-{n}\"\n+++\n"),
        );
    }
    let run = site.build(&[]).expect_code(0);
    let reminders: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("archive_url"))
        .collect();
    assert_eq!(reminders.len(), 1, "{}", run.stderr);
    assert!(
        reminders[0].contains(
            "8 sources have a url but no archive_url: content/sources/failing.md:3:1, content/sources/more-0.md:3:1, content/sources/more-1.md:3:1 and 5 more;"
        ) && reminders[0]
            .contains("`dossier archive` asks the Internet Archive for a copy of each"),
        "{}",
        reminders[0]
    );
    let json = site.build(&["--message-format", "json"]).expect_code(0);
    let each = json
        .stdout
        .lines()
        .filter(|l| l.contains("no archive_url"))
        .count();
    assert_eq!(each, 8, "{}", json.stdout);
}

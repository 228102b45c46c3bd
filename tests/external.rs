//! `dossier check --external` against a real HTTP server on a loopback port.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;

/// A loopback server answering by path, counting requests and the most at once.
struct Server {
    port: u16,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    most_at_once: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let now = Arc::new(AtomicUsize::new(0));
        let most_at_once = Arc::new(AtomicUsize::new(0));
        let (h, n, m) = (hits.clone(), now.clone(), most_at_once.clone());
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let (h, n, m) = (h.clone(), n.clone(), m.clone());
                std::thread::spawn(move || {
                    let at_once = n.fetch_add(1, Ordering::SeqCst) + 1;
                    m.fetch_max(at_once, Ordering::SeqCst);
                    let path = req.url().to_string();
                    let count = {
                        let mut hits = h.lock().unwrap();
                        let c = hits.entry(path.clone()).or_default();
                        *c += 1;
                        *c
                    };
                    let text =
                        |code: u16| tiny_http::Response::from_string("page").with_status_code(code);
                    let response = match path.as_str() {
                        "/ok" => text(200),
                        "/moved" => text(301)
                            .with_header(tiny_http::Header::from_bytes("Location", "/ok").unwrap()),
                        "/gone" => text(404),
                        "/broken" => text(500),
                        "/flaky" if count == 1 => text(503),
                        "/flaky" => text(200),
                        "/slow" => {
                            std::thread::sleep(Duration::from_secs(3));
                            text(200)
                        }
                        p if p.starts_with("/wait/") => {
                            std::thread::sleep(Duration::from_millis(300));
                            text(200)
                        }
                        _ => text(404),
                    };
                    let _ = req.respond(response);
                    n.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Server {
            port,
            hits,
            most_at_once,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A site with one source per `(id, url, archive_url)` and a claim citing them all.
fn site_citing(sources: &[(&str, String, Option<String>)], link_check: &str) -> Site {
    let site = Site::minimal();
    site.write(
        "site.toml",
        &format!("{MIN_SITE_TOML}\n[link_check]\n{link_check}\n"),
    );
    let mut claim =
        String::from("+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n");
    for (id, url, archive) in sources {
        let archive = archive
            .as_ref()
            .map(|a| format!("archive_url = \"{a}\"\n"))
            .unwrap_or_default();
        site.write(
            &format!("content/sources/{id}.md"),
            &format!("+++\ntitle = \"{id}\"\nurl = \"{url}\"\n{archive}+++\n"),
        );
        claim.push_str(&format!("\n[[citations]]\nsource = \"{id}\"\n"));
    }
    claim.push_str("\n[[citations]]\nsource = \"source-s\"\n+++\n");
    site.write("content/claims/claim-c.md", &claim);
    site
}

#[test]
fn dead_moved_slow_and_unreachable_links_are_reported_at_their_lines() {
    let server = Server::start();
    let closed = format!("http://127.0.0.1:{}/nothing", closed_port());
    let site = site_citing(
        &[
            ("fine", server.url("/ok"), Some(server.url("/flaky"))),
            ("moved", server.url("/moved"), None),
            ("gone", server.url("/gone"), None),
            ("broken", server.url("/broken"), None),
            ("slow", server.url("/slow"), None),
            ("closed", closed.clone(), None),
        ],
        "timeout = 1",
    );
    let run = site.run(&["check", "--external"]).expect_code(1);
    let err = &run.stderr;
    let expect = |needle: String| assert!(err.contains(&needle), "expected `{needle}` in:\n{err}");
    expect(format!(
        "content/sources/gone.md:3:8: error: source `gone`: url {} is dead: the server answered 404 Not Found; find the page's new address, or cite an archived copy",
        server.url("/gone")
    ));
    expect(format!(
        "content/sources/broken.md:3:8: error: source `broken`: url {} is dead: the server answered 500 Internal Server Error (asked twice)",
        server.url("/broken")
    ));
    expect(format!(
        "content/sources/moved.md:3:8: warning: source `moved`: url {} has moved: it redirects to {} (status 200 there)",
        server.url("/moved"),
        server.url("/ok")
    ));
    expect(format!(
        "content/sources/slow.md:3:8: error: source `slow`: url {} cannot be reached: no answer within 1 s (asked twice)",
        server.url("/slow")
    ));
    expect(format!(
        "content/sources/closed.md:3:8: error: source `closed`: url {closed} cannot be reached: the connection was refused (asked twice)"
    ));
    assert!(!err.contains("source `fine`"), "{err}");
    expect("checked 7 external links (7 asked, 0 from the cache): 2 fine, 1 moved, 4 dead or unreachable".into());
    expect("4 errors found".into());
    // One retry for transient failures only.
    assert_eq!(
        server.hits("/flaky"),
        2,
        "a 503 is asked again, and then answers"
    );
    assert_eq!(server.hits("/broken"), 2);
    assert_eq!(server.hits("/gone"), 1, "a 404 is not asked again");
    assert_eq!(server.hits("/moved"), 1);
    assert!(!site.out().exists(), "check writes no site");

    // A second run within the cache's time asks nothing and reports the same.
    let before = server.total();
    let again = site.run(&["check", "--external"]).expect_code(1);
    assert_eq!(server.total(), before, "the second run asked the server");
    assert!(
        again.stderr.contains("(0 asked, 7 from the cache)"),
        "{}",
        again.stderr
    );
    let lines = |s: &str| {
        s.lines()
            .filter(|l| l.contains("content/"))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&again.stderr), lines(err));

    // Plain `check` never asks.
    site.run(&["check"]).expect_code(0);
    assert_eq!(server.total(), before);
}

#[test]
fn answers_expire_after_cache_hours() {
    let server = Server::start();
    let site = site_citing(&[("fine", server.url("/ok"), None)], "cache_hours = 0");
    let run = site.run(&["check", "--external"]).expect_code(0);
    assert!(run.stderr.contains("checked 1 external link (1 asked, 0 from the cache): 1 fine, 0 moved, 0 dead or unreachable"), "{}", run.stderr);
    site.run(&["check", "--external"]).expect_code(0);
    assert_eq!(server.hits("/ok"), 2, "with cache_hours = 0 every run asks");
    let cache = std::fs::read_to_string(site.root().join(".dossier-cache/links.json")).unwrap();
    assert!(cache.contains(&server.url("/ok")), "{cache}");
}

#[test]
fn no_more_than_concurrency_requests_at_once() {
    let server = Server::start();
    let sources: Vec<(String, String, Option<String>)> = (0..8)
        .map(|i| (format!("s{i}"), server.url(&format!("/wait/{i}")), None))
        .collect();
    let refs: Vec<(&str, String, Option<String>)> = sources
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.clone(), c.clone()))
        .collect();
    let site = site_citing(&refs, "concurrency = 3");
    site.run(&["check", "--external"]).expect_code(0);
    assert_eq!(server.total(), 8);
    assert_eq!(
        server.most_at_once.load(Ordering::SeqCst),
        3,
        "requests run in parallel, three at a time"
    );
}

#[test]
fn bad_link_check_settings_are_errors() {
    let site = site_citing(&[], "concurrency = 0\ntimeout = -1");
    let run = site.run(&["check", "--external"]).expect_code(1);
    assert!(run.stderr.contains("site.toml:5: error: [link_check] concurrency must be a number from 1 to 64, such as `8`"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "site.toml:6: error: [link_check] timeout must be a number of seconds between 0 and 600"
        ),
        "{}",
        run.stderr
    );
    let site = site_citing(&[], "timout = 3");
    let run = site.run(&["check"]).expect_code(1);
    assert!(
        run.stderr.contains("`timout` is not a key here"),
        "{}",
        run.stderr
    );
}

#[test]
fn when_nothing_can_be_reached_the_answers_are_not_kept() {
    let closed = format!("http://127.0.0.1:{}/x", closed_port());
    let site = site_citing(&[("closed", closed.clone(), None)], "");
    let run = site.run(&["check", "--external"]).expect_code(1);
    assert!(
        run.stderr.contains(
            "no link could be reached at all: is this machine offline? (these answers are not kept)"
        ),
        "{}",
        run.stderr
    );
    let cache = std::fs::read_to_string(site.root().join(".dossier-cache/links.json")).unwrap();
    assert!(!cache.contains(&closed), "{cache}");
    let again = site.run(&["check", "--external"]).expect_code(1);
    assert!(
        again.stderr.contains("(1 asked, 0 from the cache)"),
        "{}",
        again.stderr
    );
}

//! `dossier check --external` against a real HTTP server on a loopback port.

use crate::common;

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
                    // Counted out before the answer goes, so that a client sending its
                    // next request on receiving it is never counted twice.
                    n.fetch_sub(1, Ordering::SeqCst);
                    let _ = req.respond(response);
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

/// What a live page answers: a status, header fields, and a body that may be made as it
/// is read (never ending, or larger than any limit).
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Box<dyn std::io::Read + Send>,
    length: Option<usize>,
}

impl Answer {
    fn page(content_type: &str, body: Vec<u8>) -> Answer {
        Answer {
            status: 200,
            headers: vec![("Content-Type", content_type.to_string())],
            length: Some(body.len()),
            body: Box::new(std::io::Cursor::new(body)),
        }
    }

    fn html(body: &str) -> Answer {
        Answer::page("text/html; charset=utf-8", body.as_bytes().to_vec())
    }

    fn status(status: u16, location: Option<&str>) -> Answer {
        let mut a = Answer::html("<p>Nothing here.</p>");
        a.status = status;
        if let Some(l) = location {
            a.headers.push(("Location", l.to_string()));
        }
        a
    }
}

/// A body of `total` bytes (`None`: never ending), each `pause` after the last.
struct Endless {
    left: Option<usize>,
    pause: Duration,
}

impl std::io::Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        std::thread::sleep(self.pause);
        let n = buf.len().min(self.left.unwrap_or(usize::MAX)).min(1 << 16);
        if let Some(left) = self.left.as_mut() {
            *left -= n;
        }
        buf[..n].fill(b'a');
        Ok(n)
    }
}

/// A loopback server answering each path as `answer` says, counting requests by path.
fn live_server(
    answer: impl Fn(&str) -> Answer + Send + Sync + 'static,
) -> (u16, Arc<Mutex<HashMap<String, usize>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let answer = Arc::new(answer);
    let h = hits.clone();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let (answer, h) = (answer.clone(), h.clone());
            std::thread::spawn(move || {
                let path = req.url().to_string();
                *h.lock().unwrap().entry(path.clone()).or_default() += 1;
                let a = answer(&path);
                let headers = a
                    .headers
                    .iter()
                    .map(|(k, v)| tiny_http::Header::from_bytes(*k, v.as_bytes()).unwrap())
                    .collect();
                let response = tiny_http::Response::new(
                    tiny_http::StatusCode(a.status),
                    headers,
                    a.body,
                    a.length,
                    None,
                );
                let _ = req.respond(response);
            });
        }
    });
    (port, hits)
}

/// A page as the snapshot kept it and as served while unchanged.
fn news_page(paragraph: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>News</title></head><body><p>Officials spoke on Tuesday.</p><p>{paragraph}</p><p>More followed.</p></body></html>"
    )
}

const QUOTED: &str = "The botnet was removed in January, according to the filing.";

/// A site with one source per `(id, path on the server)`, each with an HTML snapshot of
/// the news page holding `QUOTED` (a PDF for ids ending in `pdf`), and one claim quoting
/// each. Returns the site and the line of each quote in the claim's file.
fn quoting_site(
    port: u16,
    sources: &[(&str, &str)],
    settings: &str,
) -> (Site, HashMap<String, usize>) {
    let site = Site::minimal();
    site.write(
        "site.toml",
        &format!("{MIN_SITE_TOML}\n[link_check]\ntimeout = 2\nconcurrency = 4\n{settings}"),
    );
    let mut claim =
        String::from("+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n");
    let mut lines = HashMap::new();
    for (id, path) in sources {
        let accessed = if id.starts_with("old") {
            "2020-05-01"
        } else {
            "2026-11-20"
        };
        site.write(
            &format!("content/sources/{id}.md"),
            &format!(
                "+++\ntitle = \"{id}\"\nurl = \"http://127.0.0.1:{port}{path}\"\narchive_url = \"http://127.0.0.1:{port}/archive{path}\"\naccessed = {accessed}\nlanguage = \"en\"\n+++\n"
            ),
        );
        if id.ends_with("pdf") {
            let pdf = fixtures::pdf(&[&["A cover page."], &[QUOTED]], &[]);
            site.write_bytes(&format!("content/sources/{id}.pdf"), &pdf);
        } else {
            site.write(&format!("content/sources/{id}.html"), &news_page(QUOTED));
        }
        claim.push_str(&format!("\n[[citations]]\nsource = \"{id}\"\n"));
        lines.insert(id.to_string(), claim.lines().count() + 1);
        claim.push_str(&format!("quote = \"{QUOTED}\"\n"));
    }
    claim.push_str("\n[[citations]]\nsource = \"source-s\"\n+++\n\nBody.\n");
    site.write("content/claims/claim-c.md", &claim);
    (site, lines)
}

/// The one diagnostic at the quote of source `id` in the claim.
fn finding_at(run: &Run, lines: &HashMap<String, usize>, id: &str) -> String {
    let line = format!("content/claims/claim-c.md:{}:", lines[id]);
    let found: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with(&line))
        .collect();
    assert_eq!(found.len(), 1, "{id}: {found:?}\n{}", run.stderr);
    found[0].to_string()
}

/// Every file under the site's `content/`, to show that a check changes none.
fn content_files(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    files(&site.root().join("content"))
}

#[test]
fn quotes_no_longer_on_their_live_pages_are_reported_at_their_citations_saying_how() {
    let (port, _) = live_server(|path| match path {
        "/same" => Answer::html(&news_page(QUOTED)),
        "/removed" => Answer::html(&news_page("The story was taken down for review.")),
        "/reworded" => Answer::html(&news_page(
            "The botnet was dismantled in January, according to the filing.",
        )),
        "/gone404" => Answer::status(404, None),
        "/gone410" => Answer::status(410, None),
        "/moved" => Answer::status(301, Some("/home")),
        "/home" => Answer::html(
            "<html lang=\"en\"><body><h1>Welcome</h1><p>Latest news.</p></body></html>",
        ),
        "/charset" => Answer::page(
            "text/html; charset=windows-1251",
            news_page("The botnet was removed in January \u{2014} according to the filing.")
                .into_bytes(),
        ),
        "/language" => Answer::html(
            "<html lang=\"fr\"><body><p>Le botnet a été supprimé en janvier, selon le dossier.</p></body></html>",
        ),
        "/report-pdf" => Answer::page(
            "application/pdf",
            fixtures::pdf(
                &[
                    &["A cover page."],
                    &["The botnet was partly removed in March, according to a later filing."],
                ],
                &[],
            ),
        ),
        "/hang" => {
            std::thread::sleep(Duration::from_secs(30));
            Answer::html(&news_page(QUOTED))
        }
        _ => Answer::status(404, None),
    });
    let sources = [
        ("same", "/same"),
        ("removed", "/removed"),
        ("reworded", "/reworded"),
        ("gone404", "/gone404"),
        ("gone410", "/gone410"),
        ("moved", "/moved"),
        ("charset", "/charset"),
        ("language", "/language"),
        ("report-pdf", "/report-pdf"),
        ("hang", "/hang"),
    ];
    let (site, lines) = quoting_site(port, &sources, "");
    let before = content_files(&site);
    let run = site
        .run_within(&["check", "--external"], Duration::from_secs(20))
        .expect_code(1);
    assert_eq!(
        before,
        content_files(&site),
        "the check changed the dossier"
    );
    let at = |id: &str| finding_at(&run, &lines, id);
    let closed = |id: &str| at(id).contains("warning: the quote from source");
    for id in [
        "removed",
        "reworded",
        "gone404",
        "gone410",
        "moved",
        "charset",
        "language",
        "report-pdf",
        "hang",
    ] {
        assert!(closed(id), "{id}: {}", at(id));
    }
    assert!(
        !run.stderr
            .contains(&format!("claim-c.md:{}:", lines["same"])),
        "{}",
        run.stderr
    );
    assert!(at("removed").contains("is no longer on its live page"));
    assert!(
        at("reworded").contains(
            "the closest passage now reads \"The botnet was dismantled in January, according to the filing.\""
        ),
        "{}",
        at("reworded")
    );
    assert!(
        at("gone404").contains("the page is gone, ")
            && at("gone404").contains("answers 404 Not Found")
    );
    assert!(at("gone410").contains("answers 410 Gone"));
    assert!(at("moved").contains(&format!("(it redirects to http://127.0.0.1:{port}/home)")));
    assert!(
        at("charset")
            .contains("the page is now encoded as windows-1251, where the snapshot is UTF-8")
    );
    assert!(at("language").contains("the page is now in `fr`, where the source is in `en`"));
    assert!(
        at("report-pdf")
            .contains("the closest passage now reads \"The botnet was partly removed in March")
    );
    assert!(
        at("hang").contains("no answer within 2 s"),
        "{}",
        at("hang")
    );
    assert!(
        run.stderr
            .contains("re-read 10 live pages with verified quotes: 1 of 10 quotes still there"),
        "{}",
        run.stderr
    );
    // Each finding is in the JSON report too.
    let json = site
        .run_within(
            &["check", "--external", "--message-format", "json"],
            Duration::from_secs(20),
        )
        .stdout;
    let reworded = json
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| {
            v["message"]
                .as_str()
                .is_some_and(|m| m.contains("`reworded`"))
        })
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(reworded["severity"], "warning");
    assert_eq!(reworded["line"], lines["reworded"]);
}

#[test]
fn hostile_live_pages_are_each_a_warning_bounded_in_time_and_memory() {
    let bomb = {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        for _ in 0..200 {
            gz.write_all(&[0u8; 1 << 20]).unwrap();
        }
        gz.finish().unwrap()
    };
    let (port, _) = live_server(move |path| match path {
        "/huge" => Answer {
            status: 200,
            headers: vec![("Content-Type", "text/html".into())],
            body: Box::new(Endless {
                left: Some(200 << 20),
                pause: Duration::ZERO,
            }),
            length: None,
        },
        "/bomb" => {
            let mut a = Answer::page("text/html", bomb.clone());
            a.headers.push(("Content-Encoding", "gzip".into()));
            a
        }
        "/endless" => Answer {
            status: 200,
            headers: vec![("Content-Type", "text/html".into())],
            body: Box::new(Endless {
                left: None,
                pause: Duration::from_millis(100),
            }),
            length: None,
        },
        "/loop" => Answer::status(302, Some("/loop")),
        "/invalid" => {
            let mut page = news_page(QUOTED).into_bytes();
            page.splice(20..20, [0xff, 0xfe]);
            Answer::page("text/html; charset=utf-8", page)
        }
        _ => Answer::status(404, None),
    });
    let sources = [
        ("huge", "/huge"),
        ("bomb", "/bomb"),
        ("endless", "/endless"),
        ("loop", "/loop"),
        ("invalid", "/invalid"),
    ];
    let (site, lines) = quoting_site(port, &sources, "[capture]\nmax_mb = 20\n");
    // A quote of punctuation alone, cited from a page that is still there.
    let claim = std::fs::read_to_string(site.root().join("content/claims/claim-c.md")).unwrap();
    site.write(
        "content/claims/claim-c.md",
        &claim.replacen(
            "\n[[citations]]\nsource = \"source-s\"",
            "\n[[citations]]\nsource = \"invalid\"\nquote = \"…\"\n\n[[citations]]\nsource = \"source-s\"",
            1,
        ),
    );
    let run = site
        .run_within(&["check", "--external"], Duration::from_secs(30))
        .expect_code(1);
    let at = |id: &str| finding_at(&run, &lines, id);
    assert!(
        at("huge").contains("larger than the limit of 20 MB"),
        "{}",
        at("huge")
    );
    assert!(at("bomb").contains("20 MB"), "{}", at("bomb"));
    assert!(
        at("endless").contains("no answer within 2 s"),
        "{}",
        at("endless")
    );
    assert!(
        at("loop").contains("more than 10 redirects"),
        "{}",
        at("loop")
    );
    assert!(
        at("invalid").contains("is still on its live page")
            && at("invalid").contains("not valid UTF-8 (its byte at offset 20 is not)"),
        "{}",
        at("invalid")
    );
    assert!(
        run.stderr
            .contains("has no letter or digit to look for on its live page"),
        "{}",
        run.stderr
    );
}

#[test]
fn since_re_reads_only_the_sources_read_before_the_date() {
    let (port, hits) = live_server(|_| Answer::html(&news_page(QUOTED)));
    let (site, _) = quoting_site(port, &[("old-one", "/old"), ("new-one", "/new")], "");
    let run = site
        .run_within(
            &["check", "--external", "--since", "2025-01-01"],
            Duration::from_secs(20),
        )
        .expect_code(0);
    assert!(
        run.stderr
            .contains("re-read 1 live page with verified quotes: 1 of 1 quote still there"),
        "{}",
        run.stderr
    );
    let hits = hits.lock().unwrap();
    assert_eq!(hits.get("/old"), Some(&2), "{hits:?}");
    assert_eq!(hits.get("/new"), Some(&1), "{hits:?}");
    drop(hits);
    let bad = site.run(&["check", "--external", "--since", "last week"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--since"), "{}", bad.stderr);
}

#[test]
fn record_writes_each_check_into_its_source_and_the_build_shows_the_last() {
    let (port, hits) = live_server(|path| match path {
        "/same" => Answer::html(&news_page(QUOTED)),
        _ => Answer::html(&news_page("The story was taken down for review.")),
    });
    let (site, _) = quoting_site(port, &[("same", "/same"), ("removed", "/removed")], "");
    let file = site.root().join("content/sources/same.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("+++\n", "+++\n# Kept as written.\n", 1),
    )
    .unwrap();
    for _ in 0..2 {
        let run = site
            .run_within(
                &["check", "--external", "--record"],
                Duration::from_secs(20),
            )
            .expect_code(0);
        assert!(
            run.stderr.contains("(recorded in 2 source files)"),
            "{}",
            run.stderr
        );
    }
    let today = today();
    let today = today.as_str();
    let same = std::fs::read_to_string(&file).unwrap();
    let entry = format!("[[checks]]\ndate = {today}\nstatus = 200\nfound = 1\n");
    assert_eq!(same.matches(&entry).count(), 2, "{same}");
    assert!(
        same.starts_with("+++\n# Kept as written.\ntitle = \"same\"\n"),
        "{same}"
    );
    assert!(
        same.contains(&format!("accessed = {today}\n")) && !same.contains("2026-11-20"),
        "{same}"
    );
    let removed = std::fs::read_to_string(site.root().join("content/sources/removed.md")).unwrap();
    assert!(
        removed.contains(&format!(
            "[[checks]]\ndate = {today}\nstatus = 200\nfound = 0\nmissing = [\"claim-c\"]\n"
        )),
        "{removed}"
    );
    // A build reads what was recorded and asks the network nothing.
    let asked = hits.lock().unwrap().values().sum::<usize>();
    site.build(&[]).expect_code(0);
    assert_eq!(hits.lock().unwrap().values().sum::<usize>(), asked);
    let page = site.read("sources/removed/index.html");
    assert!(page.contains("0 of 1 quote still on the page"), "{page}");
    assert!(
        site.read("sources/same/index.html")
            .contains(": 1 of 1 quote still on the page")
    );
    let json = json_source(&site, "removed");
    assert_eq!(json["checks"].as_array().map(Vec::len), Some(2), "{json}");
    assert_eq!(json["checks"][1]["missing"][0], "claim-c");
}

#[test]
fn live_pages_are_read_two_at_a_time_from_one_host_naming_dossier() {
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let agents: Arc<Mutex<Vec<String>>> = Arc::default();
    let (n, m, a) = (now.clone(), most.clone(), agents.clone());
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let (n, m, a) = (n.clone(), m.clone(), a.clone());
            std::thread::spawn(move || {
                let agent = req
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("User-Agent"))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default();
                let reading = agent.contains("quote check");
                if reading {
                    let at_once = n.fetch_add(1, Ordering::SeqCst) + 1;
                    m.fetch_max(at_once, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(300));
                    a.lock().unwrap().push(agent);
                    n.fetch_sub(1, Ordering::SeqCst);
                }
                let page = news_page(QUOTED);
                let response = tiny_http::Response::from_string(page).with_header(
                    tiny_http::Header::from_bytes("Content-Type", "text/html; charset=utf-8")
                        .unwrap(),
                );
                let _ = req.respond(response);
            });
        }
    });
    let sources: Vec<(String, String)> = (0..6)
        .map(|i| (format!("s{i}"), format!("/p{i}")))
        .collect();
    let refs: Vec<(&str, &str)> = sources
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (site, _) = quoting_site(port, &refs, "");
    let run = site
        .run_within(&["check", "--external"], Duration::from_secs(20))
        .expect_code(0);
    assert!(
        run.stderr.contains("6 of 6 quotes still there"),
        "{}",
        run.stderr
    );
    assert_eq!(
        most.load(Ordering::SeqCst),
        2,
        "pages read at once from one host"
    );
    let agents = agents.lock().unwrap();
    assert_eq!(agents.len(), 6);
    assert!(
        agents.iter().all(|a| a.starts_with("dossier/")),
        "{agents:?}"
    );
}

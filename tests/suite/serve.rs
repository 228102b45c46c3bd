//! `dossier serve`, driven through the real binary on a free loopback port and spoken to
//! over HTTP, as a browser would.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Served, Site, start_serve};

/// A running `dossier serve` and everything it has printed.
struct Preview {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

/// One HTTP response.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Preview {
    /// Starts `dossier serve --port 0` on `site` and waits until it serves.
    fn start(site: &Site, extra: &[&str]) -> Preview {
        let Served { child, port, log } = start_serve(site, &[], extra);
        Preview { child, port, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Waits until the terminal shows `needle`: the pipe is read on its own
    /// thread, so a line printed before a reply may reach the test after it.
    fn wait_log(&self, needle: &str) {
        let start = Instant::now();
        while !self.log().contains(needle) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the terminal never showed {needle:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn request(&self, method: &str, target: &str) -> Reply {
        request(self.port, method, target)
    }

    fn get(&self, target: &str) -> Reply {
        self.request("GET", target)
    }

    /// The current build number, from the reload endpoint.
    fn version(&self) -> u64 {
        let r = self.get("/__dossier/events");
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["version"].as_u64().unwrap()
    }

    /// Starts waiting for the build after `since`, as an open page does.
    fn watch(&self, since: u64) -> std::thread::JoinHandle<serde_json::Value> {
        let port = self.port;
        let handle = std::thread::spawn(move || {
            let reply = request(port, "GET", &format!("/__dossier/events?since={since}"));
            serde_json::from_str(&reply.body).unwrap()
        });
        // Let the poll reach the server before the change is made.
        std::thread::sleep(Duration::from_millis(100));
        handle
    }

    /// Waits until `page` satisfies `ok`, or panics after a while.
    fn wait_for(&self, page: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let r = self.get(page);
            if ok(&r) {
                return r;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{page} never became as expected; last status {}; log:\n{}",
                r.status,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends one HTTP/1.0 request to the preview on `port` and reads the whole reply.
fn request(port: u16, method: &str, target: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

const BASE: &str = "/volt-typhoon/";

/// Saves a file the way most editors do: a hidden temporary file renamed over it, so the
/// preview never sees it half written.
fn save(site: &Site, rel: &str, text: &str) {
    let path = site.root().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

fn edit(site: &Site, rel: &str, f: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    save(site, rel, &f(&text));
}

#[test]
fn serves_the_site_at_its_published_paths() {
    let site = Site::example();
    let p = Preview::start(&site, &[]);

    let root = p.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some(BASE));
    assert_eq!(p.get("/volt-typhoon").header("Location"), Some(BASE));

    let home = p.get(BASE);
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("<script src=\"/__dossier/live.js\""));
    assert!(home.body.contains(&format!("href=\"{BASE}claims/\"")));
    // Permalinks point at the preview, so the feed and canonical links work locally.
    let origin = format!("http://127.0.0.1:{}{BASE}", p.port);
    assert!(p.get(&format!("{BASE}atom.xml")).body.contains(&origin));

    let claim = p.get(&format!("{BASE}claims/cverc-false-flag/"));
    assert_eq!(claim.status, 200);
    assert!(claim.body.contains("false-flag tools"));
    let no_slash = p.get(&format!("{BASE}claims/cverc-false-flag"));
    assert_eq!(no_slash.status, 301);
    assert_eq!(
        no_slash.header("Location"),
        Some("/volt-typhoon/claims/cverc-false-flag/")
    );

    for (path, mime) in [
        ("style.css", "text/css; charset=utf-8"),
        ("highlight.css", "text/css; charset=utf-8"),
        ("dossier.json", "application/json; charset=utf-8"),
        ("atom.xml", "text/xml; charset=utf-8"),
        ("sitemap.xml", "text/xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = p.get(&format!("{BASE}{path}"));
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(mime), "{path}");
        assert!(
            !r.body.contains("__dossier"),
            "{path} has the reload script"
        );
    }
    let data: serde_json::Value =
        serde_json::from_str(&p.get(&format!("{BASE}dossier.json")).body).unwrap();
    assert_eq!(data["claims"].as_array().unwrap().len(), 18);

    let head = p.request("HEAD", &format!("{BASE}claims/"));
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(head.body.is_empty());

    let missing = p.get(&format!("{BASE}claims/no-such-claim/"));
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    assert_eq!(p.request("POST", BASE).status, 405);
}

#[test]
fn other_file_types_and_assets() {
    let site = Site::fixture("full");
    let p = Preview::start(&site, &[]);
    let svg = p.get("/about/figure.svg");
    assert_eq!(svg.status, 200);
    assert_eq!(
        svg.header("Content-Type"),
        Some("image/svg+xml; charset=utf-8")
    );
    assert!(svg.body.contains("<svg"));
    site.write("static/logo.png", "\u{89}PNG");
    site.write("static/app.js", "console.log(1)");
    let png = p.wait_for("/logo.png", |r| r.status == 200);
    assert_eq!(png.header("Content-Type"), Some("image/png"));
    assert_eq!(
        p.get("/app.js").header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
}

#[test]
fn never_serves_files_from_outside_the_site() {
    let site = Site::example();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET").unwrap();
    site.write("secret.txt", "TOP-SECRET");
    site.write("static/ok.txt", "fine");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.root().join("static/link.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("static/dir")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.root().join("content/leak.txt"),
    )
    .unwrap();
    let p = Preview::start(&site, &[]);
    assert_eq!(p.get(&format!("{BASE}ok.txt")).body, "fine");
    for target in [
        "/volt-typhoon/../secret.txt",
        "/volt-typhoon/%2e%2e/secret.txt",
        "/volt-typhoon/%2E%2E/%2e%2e/secret.txt",
        "/volt-typhoon/..%2fsecret.txt",
        "/volt-typhoon/..%5csecret.txt",
        "/volt-typhoon/%2e%2e%2f%2e%2e%2fsite.toml",
        "/volt-typhoon/./../site.toml",
        "/../../../../etc/passwd",
        "/volt-typhoon//etc/passwd",
        "/volt-typhoon/link.txt",
        "/volt-typhoon/dir/secret.txt",
        "/volt-typhoon/leak.txt",
        "/volt-typhoon/site.toml",
        "/volt-typhoon/content/claims/cverc-false-flag.md",
    ] {
        let r = p.get(target);
        assert!(!r.body.contains("TOP-SECRET"), "{target} leaked a file");
        assert!(!r.body.contains("base_url"), "{target} leaked site.toml");
        assert!(!r.body.contains("root:"), "{target} leaked /etc/passwd");
        assert_eq!(r.status, 404, "{target}");
    }
}

#[test]
fn an_edit_reaches_every_page_that_shows_the_claim_and_signals_a_reload() {
    let site = Site::example();
    let p = Preview::start(&site, &[]);
    let page = format!("{BASE}claims/cverc-false-flag/");
    let disputed = format!("{BASE}claims/msft-state-sponsored/");
    let entry = format!("{BASE}search-index/docs/0.json");
    let index_before = p.get(&entry).body;
    assert!(
        index_before.contains("\"kind\":\"claim\""),
        "{index_before}"
    );
    let v = p.version();
    let poll = p.watch(v);
    edit(&site, "content/claims/cverc-false-flag.md", |t| {
        t.replacen(
            "title = \"US agencies use false-flag tools",
            "title = \"EDITED US agencies use false-flag tools",
            1,
        ) + "\nA sentence added while previewing.\n"
    });
    let event = poll.join().unwrap();
    assert_eq!(event["version"].as_u64(), Some(v + 1));
    assert_eq!(event["reload"].as_bool(), Some(true));
    assert_eq!(event["ok"].as_bool(), Some(true));
    let own = p.get(&page).body;
    assert!(own.contains("EDITED US agencies"));
    assert!(own.contains("A sentence added while previewing."));
    assert!(p.get(&disputed).body.contains("EDITED US agencies"));
    assert!(
        p.get(&format!("{BASE}claims/"))
            .body
            .contains("EDITED US agencies")
    );
    assert!(
        p.get(&format!("{BASE}timeline/"))
            .body
            .contains("EDITED US agencies")
    );
    // The map, the print page and the search index show every claim's title.
    for whole in ["map/", "print/"] {
        assert!(
            p.get(&format!("{BASE}{whole}"))
                .body
                .contains("EDITED US agencies"),
            "{whole}"
        );
    }
    assert_ne!(p.get(&entry).body, index_before, "the search index is new");
    assert!(p.log().contains(" rendered, "), "{}", p.log());
}

#[test]
fn a_broken_file_is_shown_in_the_browser_and_recovery_needs_no_restart() {
    let site = Site::example();
    let p = Preview::start(&site, &[]);
    let page = format!("{BASE}claims/cverc-false-flag/");
    let good = p.get(&page).body;
    let v = p.version();
    let poll = p.watch(v);
    edit(&site, "content/claims/cverc-false-flag.md", |t| {
        t.replacen(
            "disputes = [\"msft-state-sponsored\"]",
            "disputes = [\"msft-state-sponsord\"]",
            1,
        )
    });
    let event = poll.join().unwrap();
    assert_eq!(event["ok"].as_bool(), Some(false));
    let errors = event["errors"].to_string();
    assert!(
        errors.contains("content/claims/cverc-false-flag.md:5:"),
        "{errors}"
    );
    let broken = p.get(&page);
    assert_eq!(broken.status, 200, "the last good page stays served");
    assert!(broken.body.contains("id=\"dossier-preview-errors\""));
    assert!(
        broken
            .body
            .contains("content/claims/cverc-false-flag.md:5:")
    );
    assert!(
        broken
            .body
            .contains("unknown claim id `msft-state-sponsord`")
    );
    assert!(
        broken.body.contains("msft-state-sponsored"),
        "suggestion shown"
    );
    p.wait_log("content/claims/cverc-false-flag.md:5:");
    // Broken front matter too.
    edit(&site, "content/claims/cverc-false-flag.md", |t| {
        t.replacen("title =", "title = = ", 1)
    });
    p.wait_for(&page, |r| {
        r.body.contains("content/claims/cverc-false-flag.md:2:")
    });

    let v = p.version();
    let poll = p.watch(v);
    std::fs::copy(
        common::repo_root().join("content/claims/cverc-false-flag.md"),
        site.root().join("content/claims/cverc-false-flag.md"),
    )
    .unwrap();
    assert_eq!(poll.join().unwrap()["ok"].as_bool(), Some(true));
    let fixed = p.get(&page).body;
    assert!(!fixed.contains("dossier-preview-errors"));
    let strip = |s: &str| {
        s.split("<script src=\"/__dossier/")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(strip(&fixed), strip(&good));
}

#[test]
fn a_site_broken_from_the_start_shows_its_errors_until_fixed() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &common::MIN_CLAIM.replace("actor-a", "actor-b"),
    );
    let p = Preview::start(&site, &[]);
    let r = p.get("/");
    assert_eq!(r.status, 500);
    assert!(
        r.body.contains("content/claims/claim-c.md:3:"),
        "{}",
        r.body
    );
    site.write("content/claims/claim-c.md", common::MIN_CLAIM);
    let r = p.wait_for("/claims/claim-c/", |r| r.status == 200);
    assert!(r.body.contains("Claim C"));
}

#[test]
fn files_added_renamed_and_deleted() {
    let site = Site::example();
    let p = Preview::start(&site, &[]);
    site.write(
        "content/claims/new-claim.md",
        "+++\ntitle = \"A claim written while previewing\"\nclaimants = [\"cisa\"]\ndate = 2024-05-01\ndisputes = [\"cverc-false-flag\"]\n+++\nBody.\n",
    );
    p.wait_for(&format!("{BASE}claims/new-claim/"), |r| r.status == 200);
    assert!(
        p.get(&format!("{BASE}claims/cverc-false-flag/"))
            .body
            .contains("A claim written while previewing")
    );
    std::fs::rename(
        site.root().join("content/claims/new-claim.md"),
        site.root().join("content/claims/renamed-claim.md"),
    )
    .unwrap();
    p.wait_for(&format!("{BASE}claims/renamed-claim/"), |r| r.status == 200);
    assert_eq!(p.get(&format!("{BASE}claims/new-claim/")).status, 404);
    std::fs::remove_file(site.root().join("content/claims/renamed-claim.md")).unwrap();
    p.wait_for(&format!("{BASE}claims/renamed-claim/"), |r| r.status == 404);
    assert!(
        !p.get(&format!("{BASE}claims/cverc-false-flag/"))
            .body
            .contains("A claim written while previewing")
    );
    // A folder renamed moves every page in it.
    site.write(
        "content/notes/first.md",
        "+++\ntitle = \"A note in a folder\"\n+++\nText.\n",
    );
    p.wait_for(&format!("{BASE}notes/first/"), |r| r.status == 200);
    std::fs::rename(
        site.root().join("content/notes"),
        site.root().join("content/memos"),
    )
    .unwrap();
    p.wait_for(&format!("{BASE}memos/first/"), |r| r.status == 200);
    assert_eq!(p.get(&format!("{BASE}notes/first/")).status, 404);
    // Editor swap and back-up files are not content and do not break the build.
    site.write("content/claims/.cverc-false-flag.md.swp", "\0binary");
    site.write("content/claims/cverc-false-flag.md~", "+++\nbroken");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!p.get(BASE).body.contains("dossier-preview-errors"));
}

#[test]
fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let site = Site::example();
    site.write("static/extra.css", "body { color: black; }");
    let p = Preview::start(&site, &[]);
    let v = p.version();
    let poll = p.watch(v);
    save(&site, "static/extra.css", "body { color: navy; }");
    let event = poll.join().unwrap();
    assert_eq!(event["reload"].as_bool(), Some(false));
    assert_eq!(
        p.get(&format!("{BASE}extra.css")).body,
        "body { color: navy; }"
    );
    // A template change reloads pages.
    let v = p.version();
    let poll = p.watch(v);
    save(
        &site,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Nothing here, sorry.</p>{% endblock %}",
    );
    assert_eq!(poll.join().unwrap()["reload"].as_bool(), Some(true));
    assert!(
        p.get(&format!("{BASE}nowhere"))
            .body
            .contains("Nothing here, sorry.")
    );
}

/// After edits of every kind, the preview serves exactly what a fresh build writes.
#[test]
fn after_edits_the_preview_equals_a_fresh_build() {
    let site = Site::example();
    let p = Preview::start(&site, &[]);
    type Step = Box<dyn Fn(&Site)>;
    let steps: Vec<Step> = vec![
        Box::new(|s| {
            edit(s, "content/actors/cisa.md", |t| {
                t.replacen("title = \"", "title = \"Renamed ", 1)
            })
        }),
        Box::new(|s| {
            edit(s, "content/claims/cmg-us-hacker-empire.md", |t| {
                t.replacen("tags = [\"", "tags = [\"fresh-tag\", \"", 1)
                    .replacen("supports = [\"", "supports = [\"cverc-false-flag\", \"", 1)
                    + "\nSee [[cisa]] and [[msft-state-sponsored]].\n"
            })
        }),
        Box::new(|s| {
            let sources = std::fs::read_dir(s.root().join("content/sources")).unwrap();
            let first = sources.map(|e| e.unwrap().path()).min().unwrap();
            edit(
                s,
                &format!(
                    "content/sources/{}",
                    first.file_name().unwrap().to_string_lossy()
                ),
                |t| t.replacen("title = \"", "title = \"Retitled ", 1),
            )
        }),
        // Edits that keep every id, path and title: the preview patches only what changed.
        Box::new(|s| {
            edit(s, "content/claims/cisa-prepositioning.md", |t| {
                t.replacen(
                    "claimants = [\"cisa\", \"nsa\",",
                    "claimants = [\"cisa\", \"microsoft\",",
                    1,
                )
                .replacen("date = 2024-02-07", "date = 2022-01-01", 1)
                .replacen(
                    "supports = [\"five-eyes-prc-state-sponsored\"]",
                    "disputes = [\"msft-state-sponsored\"]",
                    1,
                )
                .replacen(
                    "source = \"cisa-aa24-038a\"",
                    "source = \"cisa-aa23-144a\"",
                    1,
                ) + "\nCompare [[cverc-false-flag]] and [@cisa-aa24-038a].\n"
            })
        }),
        // Only a relation no count shows (the map draws it), and only a field only the
        // bibliography shows.
        Box::new(|s| {
            edit(s, "content/claims/lumen-kv-botnet.md", |t| {
                t.replacen(
                    "supports = [\"msft-state-sponsored\"]",
                    "supports = [\"five-eyes-prc-state-sponsored\"]",
                    1,
                )
            })
        }),
        Box::new(|s| {
            edit(s, "content/sources/cisa-aa23-144a.md", |t| {
                t.replacen("language = \"en\"", "language = \"en-US\"", 1)
            })
        }),
        Box::new(|s| {
            edit(s, "content/sources/cisa-aa24-038a.md", |t| {
                t.replacen("published_by = \"cisa\"", "published_by = \"nsa\"", 1)
                    + "\nSee [[msft-state-sponsored]].\n"
            })
        }),
        Box::new(|s| {
            edit(s, "content/actors/nsa.md", |t| {
                t.replacen("kind = \"agency\"", "kind = \"government\"", 1)
                    + "\nNamed in [[cisa-prepositioning]].\n"
            })
        }),
        Box::new(|s| {
            edit(s, "content/_index.md", |t| {
                t.to_string() + "\nStart with [[cverc-false-flag]].\n"
            })
        }),
        Box::new(|s| {
            edit(s, "content/method.md", |t| {
                t.to_string() + "\nSee also [[nsa]].\n"
            })
        }),
        Box::new(|s| {
            edit(s, "content/claims/cisa-prepositioning.md", |t| {
                t.replacen("tags = [", "tags = [\"patched-tag\", ", 1)
                    .replacen(
                        "\nCompare [[cverc-false-flag]] and [@cisa-aa24-038a].\n",
                        "\n",
                        1,
                    )
            })
        }),
        Box::new(|s| {
            save(
                s,
                "content/claims/zz-new.md",
                "+++\ntitle = \"Late claim\"\nclaimants = [\"cisa\"]\ndate = 2025\nsupports = [\"cverc-false-flag\"]\n+++\n",
            );
        }),
        Box::new(|s| {
            std::fs::remove_file(s.root().join("content/claims/cverc-fisa-702.md")).unwrap()
        }),
        Box::new(|s| {
            edit(s, "content/method.md", |t| {
                t.replacen("title = \"", "title = \"Our ", 1)
            })
        }),
        // Snapshots: one added (its source's quotes become verified), changed, removed.
        Box::new(|s| {
            save(
                s,
                SNAPSHOT,
                "Microsoft: a state-sponsored actor based in China.",
            )
        }),
        Box::new(|s| {
            save(
                s,
                SNAPSHOT,
                "Microsoft said: a State-sponsored actor based in China.",
            )
        }),
        Box::new(|s| std::fs::remove_file(s.root().join(SNAPSHOT)).unwrap()),
    ];
    for (i, step) in steps.iter().enumerate() {
        let v = p.version();
        let poll = p.watch(v);
        step(&site);
        let event = poll.join().unwrap();
        assert_eq!(event["ok"].as_bool(), Some(true), "{event}\n{}", p.log());
        assert_same_as_build(&p, &site, &format!("after step {}", i + 1));
    }
}

/// A snapshot for the example's Microsoft source, which one claim quotes.
const SNAPSHOT: &str = "content/sources/msft-2023-volt-typhoon.txt";

#[test]
fn a_snapshot_that_no_longer_holds_a_quote_is_shown_until_fixed() {
    let site = Site::example();
    save(&site, SNAPSHOT, "a state-sponsored actor based in China");
    let p = Preview::start(&site, &[]);
    let page = format!("{BASE}claims/msft-state-sponsored/");
    assert!(
        p.get(&page)
            .body
            .contains("Quote verified against the local snapshot")
    );
    save(&site, SNAPSHOT, "an actor based in China");
    let broken = p.wait_for(&page, |r| r.body.contains("dossier-preview-errors"));
    assert!(
        broken
            .body
            .contains("content/claims/msft-state-sponsored.md:10:9"),
        "{}",
        broken.body
    );
    assert!(
        broken
            .body
            .contains("quote not found in the snapshot of source")
    );
    save(
        &site,
        SNAPSHOT,
        "Microsoft: a state-sponsored actor based in China.",
    );
    let fixed = p.wait_for(&page, |r| !r.body.contains("dossier-preview-errors"));
    assert!(
        fixed
            .body
            .contains("Quote verified against the local snapshot")
    );
    assert_same_as_build(&p, &site, "after the snapshot was fixed");
}

/// Compares every file of a fresh build of `site` with what the preview serves.
fn assert_same_as_build(p: &Preview, site: &Site, when: &str) {
    assert_same_as_build_at(p, site, BASE, when);
}

/// [`assert_same_as_build`] for a site published under `base`.
fn assert_same_as_build_at(p: &Preview, site: &Site, base: &str, when: &str) {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out");
    site.build(&[
        "--output",
        out_dir.to_str().unwrap(),
        "--base-url",
        &format!("http://127.0.0.1:{}{base}", p.port),
    ])
    .expect_code(0);
    let mut compared = 0;
    for e in walkdir::WalkDir::new(&out_dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() || e.file_name() == ".dossier-output" {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&out_dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let url = format!("{base}{}", rel.trim_end_matches("index.html"));
        let served = p.get(&url).body;
        let served = match served.find("<script src=\"/__dossier/live.js\"") {
            Some(at) => {
                let end = served[at..].find('\n').unwrap() + at + 1;
                format!("{}{}", &served[..at], &served[end..])
            }
            None => served,
        };
        // The search index holds binary files; both sides are read the same lossy way.
        let built = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
        assert!(
            served == built,
            "{when}: {rel} differs between the preview and a build\n{}",
            p.log()
        );
        compared += 1;
    }
    assert!(compared > 70, "{compared}");
}

#[test]
fn site_toml_changes_apply_and_a_broken_one_is_shown() {
    let site = Site::example();
    let p = Preview::start(&site, &[]);
    edit(&site, "site.toml", |t| {
        t.replacen("title = \"", "title = \"Renamed: ", 1)
    });
    p.wait_for(BASE, |r| r.body.contains("Renamed: "));
    assert!(p.get(&format!("{BASE}claims/")).body.contains("Renamed: "));
    edit(&site, "site.toml", |t| {
        t.replacen("title =", "title == ", 1)
    });
    let broken = p.wait_for(BASE, |r| r.body.contains("dossier-preview-errors"));
    assert!(broken.body.contains("site.toml:"), "{}", broken.body);
    assert!(
        broken.body.contains("Renamed: "),
        "the last good site stays"
    );
    edit(&site, "site.toml", |t| {
        t.replacen("title == ", "title =", 1)
    });
    p.wait_for(BASE, |r| !r.body.contains("dossier-preview-errors"));
}

#[test]
fn drafts_are_served_only_with_the_flag() {
    let site = Site::minimal();
    site.write(
        "content/claims/secret.md",
        &common::MIN_CLAIM.replace(
            "title = \"Claim C\"",
            "title = \"Draft claim\"\ndraft = true",
        ),
    );
    let p = Preview::start(&site, &[]);
    assert_eq!(p.get("/claims/secret/").status, 404);
    drop(p);
    let p = Preview::start(&site, &["--drafts"]);
    assert!(p.get("/claims/secret/").body.contains("Draft claim"));
}

#[test]
fn serves_pages_and_files_with_spaces_and_accents_in_their_names() {
    let site = Site::minimal();
    site.write(
        "content/über notes/index.md",
        "+++\ntitle = \"Notes\"\n+++\nSee ![a picture](<my pic.png>).\n",
    );
    site.write("content/über notes/my pic.png", "picture bytes");
    let p = Preview::start(&site, &[]);
    let page = p.get("/%C3%BCber%20notes/");
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("src=\"/%C3%BCber%20notes/my%20pic.png\""),
        "{}",
        page.body
    );
    let file = p.get("/%C3%BCber%20notes/my%20pic.png");
    assert_eq!((file.status, file.body.as_str()), (200, "picture bytes"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let site = Site::minimal();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port} on 127.0.0.1 is in use")),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn sigterm_and_ctrl_c_stop_it_cleanly() {
    for signal in ["TERM", "INT"] {
        let site = Site::minimal();
        let mut p = Preview::start(&site, &[]);
        assert_eq!(p.get("/").status, 200);
        p.signal(signal);
        let start = Instant::now();
        let status = loop {
            if let Some(s) = p.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "still running after SIG{signal}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(0), "SIG{signal}");
        p.wait_log("stopped");
        assert!(TcpStream::connect(("127.0.0.1", p.port)).is_err());
    }
}

#[test]
fn the_reload_script_is_never_in_build_output() {
    let site = Site::example();
    site.build(&[]).expect_code(0);
    for e in walkdir::WalkDir::new(site.out())
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("__dossier"), "{}", e.path().display());
        }
    }
}

#[test]
fn pdf_and_web_archive_snapshots_are_picked_up_as_they_change() {
    use common::fixtures::{gzip_members, http_response, pdf, warc_record};
    let site = Site::example();
    let url = "https://www.microsoft.com/en-us/security/blog/2023/05/24/volt-typhoon-targets-us-critical-infrastructure-with-living-off-the-land-techniques/";
    let as_pdf = |text: &str| pdf(&[&["Cover page."], &[text]], &[]);
    let pdf_path = site
        .root()
        .join("content/sources/msft-2023-volt-typhoon.pdf");
    std::fs::write(
        &pdf_path,
        as_pdf("Microsoft: a state-sponsored actor based in China."),
    )
    .unwrap();
    let p = Preview::start(&site, &[]);
    let page = format!("{BASE}claims/msft-state-sponsored/");
    let source = format!("{BASE}sources/msft-2023-volt-typhoon/");
    assert!(
        p.get(&page)
            .body
            .contains("Quote verified against the local snapshot")
    );
    assert!(p.get(&source).body.contains("msft-2023-volt-typhoon.pdf"));
    // The PDF changes and no longer holds the quote: the miss names its page.
    std::fs::write(&pdf_path, as_pdf("an actor based in China")).unwrap();
    let broken = p.wait_for(&page, |r| r.body.contains("dossier-preview-errors"));
    assert!(
        broken.body.contains("the closest passage, on pages 1-2, reads &quot;Cover page. an actor based in China&quot;"),
        "{}",
        broken.body
    );
    // The PDF goes; a web archive of the page comes.
    std::fs::remove_file(&pdf_path).unwrap();
    let response = http_response(
        "text/html",
        b"<p>Microsoft: a state-sponsored actor based in China.</p>",
    );
    std::fs::write(
        site.root()
            .join("content/sources/msft-2023-volt-typhoon.warc.gz"),
        gzip_members(&[warc_record("response", url, &response)]),
    )
    .unwrap();
    let fixed = p.wait_for(&page, |r| !r.body.contains("dossier-preview-errors"));
    assert!(
        fixed
            .body
            .contains("Quote verified against the local snapshot")
    );
    p.wait_for(&source, |r| {
        r.body.contains("msft-2023-volt-typhoon.warc.gz")
    });
    assert_same_as_build(&p, &site, "after the web archive came");
    // The archive goes: the quote is no longer verified.
    std::fs::remove_file(
        site.root()
            .join("content/sources/msft-2023-volt-typhoon.warc.gz"),
    )
    .unwrap();
    p.wait_for(&source, |r| r.body.contains("none kept"));
}

#[test]
fn a_translation_table_edit_reaches_every_page() {
    let site = Site::example_in("fr");
    let p = Preview::start(&site, &[]);
    assert!(p.get(BASE).body.contains(">Affirmations</a>"));
    save(&site, "i18n/fr.toml", "\"Claims\" = \"Revendications\"\n");
    p.wait_for(BASE, |r| r.body.contains(">Revendications</a>"));
    p.wait_for(&format!("{BASE}timeline/"), |r| {
        r.body.contains(">Revendications</a>")
    });
    std::fs::remove_file(site.root().join("i18n/fr.toml")).unwrap();
    p.wait_for(BASE, |r| r.body.contains(">Affirmations</a>"));
}

#[test]
fn translated_editions_are_served_and_follow_their_files() {
    let site = Site::bilingual();
    let p = Preview::start(&site, &[]);
    let fr = p.get("/d/fr/claims/attack/");
    assert_eq!(fr.status, 200);
    assert!(fr.body.contains("<h1>Le groupe X a attaqué les ports</h1>"));
    assert!(fr.body.contains("<link rel=\"alternate\" hreflang=\"en\""));
    assert_eq!(p.get("/d/fr/search-index/meta.json").status, 200);
    assert_eq!(
        p.get("/d/fr/style.css").status,
        404,
        "static files are at the root only"
    );
    // An edit of a translation reaches its edition's pages, and only those.
    edit(&site, "content/claims/attack.fr.md", |t| {
        t.replace("a attaqué les ports", "a visé les ports")
    });
    p.wait_for("/d/fr/claims/", |r| {
        r.body.contains("Le groupe X a visé les ports")
    });
    p.wait_for("/d/fr/map/", |r| {
        r.body.contains("Le groupe X a visé les ports")
    });
    assert!(
        p.get("/d/claims/")
            .body
            .contains("Group X attacked the ports")
    );
    // A new translation: the original now names it, and the edition shows it.
    save(
        &site,
        "content/claims/denial.fr.md",
        "+++\ntitle = \"Aucune attaque n’a eu lieu\"\n+++\n",
    );
    p.wait_for("/d/claims/denial/", |r| {
        r.body.contains("hreflang=\"fr\" href=\"http://127.0.0.1")
    });
    p.wait_for("/d/fr/claims/denial/", |r| {
        r.body.contains("<h1>Aucune attaque n’a eu lieu</h1>")
    });
    // A broken translation is shown, at its own line, once; the last good site stays.
    save(
        &site,
        "content/claims/denial.fr.md",
        "+++\ntitle = \"Aucune attaque n’a eu lieu\"\nstatus = \"maybe\"\n+++\n",
    );
    let broken = p.wait_for("/d/fr/claims/denial/", |r| {
        r.body.contains("id=\"dossier-preview-errors\"")
    });
    assert_eq!(
        broken
            .body
            .matches("content/claims/denial.fr.md:3:1")
            .count(),
        1
    );
    // Removed: the edition shows the original again, marked.
    std::fs::remove_file(site.root().join("content/claims/denial.fr.md")).unwrap();
    p.wait_for("/d/fr/claims/denial/", |r| {
        r.body
            .contains("<h1 lang=\"en\" dir=\"ltr\">No attack happened</h1>")
            && !r.body.contains("dossier-preview-errors")
    });
    // A language added in site.toml is served without a restart.
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    save(&site, "site.toml", &format!("{toml}\n[languages.zh]\n"));
    p.wait_for("/d/zh/claims/attack/", |r| {
        r.status == 200 && r.body.contains("<html lang=\"zh\">")
    });
    assert_same_as_build_at(&p, &site, "/d/", "after the edits");
}

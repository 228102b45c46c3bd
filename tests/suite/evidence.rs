//! Evidence kept private unless chosen: snapshots in every form, web archives and
//! time-stamp tokens stay out of the built site and the preview, unless `[snapshots]
//! publish` or a source's `publish_snapshot` says otherwise; then they are published and
//! linked from their source's page and `/dossier.json`. Through the real binary, on a
//! dossier whose sources were captured from a loopback server.

use crate::common;

use std::collections::BTreeMap;

use common::fixtures::*;
use common::*;

const PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Grid story</title></head><body><p>The intrusions began in 2021, officials said.</p></body></html>";

/// A dossier with two captured sources (a page and a PDF) and three kept by hand (a text
/// file, a Markdown snapshot, a page in another folder with the web archive of its
/// capture), a stray web archive, and a PDF that is no source's, linked from a page.
fn captured_site() -> (Site, FixtureServer) {
    let report = pdf(
        &[&["The agencies said the routers were used."]],
        &[("Title", "Joint report")],
    );
    let mut routes = BTreeMap::new();
    routes.insert("/grid".to_string(), page("text/html; charset=utf-8", PAGE));
    routes.insert("/report.pdf".to_string(), page("application/pdf", report));
    let server = FixtureServer::start(routes);
    let site = Site::minimal();
    let root = site.root().to_str().unwrap().to_string();
    for (path, id) in [("/grid", "grid"), ("/report.pdf", "report")] {
        site.run(&["capture", &server.url(path), "--id", id, "--root", &root])
            .expect_code(0);
    }
    site.write("content/sources/notes.md", "+++\ntitle = \"Notes\"\n+++\n")
        .write("content/sources/notes.txt", "Notes taken at the hearing.")
        .write("content/sources/memo.md", "+++\ntitle = \"Memo\"\n+++\n")
        .write("content/sources/memo.snapshot.md", "A *memo* of the meeting.")
        .write(
            "content/sources/copy.md",
            "+++\ntitle = \"Copy\"\nurl = \"http://a.test/copy\"\nsnapshot = \"../copies/copy.htm\"\n+++\n",
        )
        .write("content/copies/copy.htm", "<p>A copy.</p>")
        .write_bytes(
            "content/copies/copy.warc.gz",
            &gzip_members(&[warc_record(
                "response",
                "http://a.test/copy",
                &http_response("text/html", b"<p>A copy.</p>"),
            )]),
        )
        .write_bytes("content/stray/old.wacz", &wacz(&gzip_members(&[])))
        .write_bytes("content/files/leaflet.pdf", &pdf(&[&["Leaflet."]], &[]))
        .write(
            "content/leaflet.md",
            "+++\ntitle = \"Leaflet\"\n+++\nThe [leaflet](files/leaflet.pdf).\n",
        )
        .write(
            "content/claims/grid-claim.md",
            "+++\ntitle = \"Grid claim\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"grid\"\nquote = \"The intrusions began in 2021\"\n+++\nBody.\n",
        );
    (site, server)
}

/// Every evidence file of the captured site, under `content/`.
const EVIDENCE: [&str; 10] = [
    "sources/grid.html",
    "sources/grid.warc.gz",
    "sources/report.pdf",
    "sources/report.warc.gz",
    "sources/notes.txt",
    "sources/memo.snapshot.md",
    "copies/copy.htm",
    "copies/copy.warc.gz",
    "stray/old.wacz",
    "sources/report.warc.gz",
];

/// The output files that are evidence: by name, or by holding an evidence file's bytes.
fn published_evidence(site: &Site) -> Vec<String> {
    let evidence: Vec<Vec<u8>> = EVIDENCE
        .iter()
        .map(|p| std::fs::read(site.root().join("content").join(p)).unwrap())
        .collect();
    files(&site.out())
        .into_iter()
        .filter(|(path, bytes)| {
            let named = [
                ".warc",
                ".warc.gz",
                ".wacz",
                ".tsr",
                ".txt",
                ".snapshot.md",
                ".htm",
            ]
            .iter()
            .any(|e| path.ends_with(e))
                || path.starts_with("sources/") && !path.ends_with("index.html");
            (named && path != "robots.txt") || evidence.contains(bytes)
        })
        .map(|(path, _)| path)
        .collect()
}

#[cfg(all(feature = "capture", feature = "pdf", feature = "preview"))]
#[test]
fn captured_evidence_is_neither_built_nor_served() {
    let (site, _server) = captured_site();
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    assert_eq!(published_evidence(&site), Vec::<String>::new());
    // A file that is no source's evidence is published as before.
    assert!(site.out().join("files/leaflet.pdf").is_file());
    let grid = site.read("sources/grid/index.html");
    for listed in [
        "the page as captured, HTML, 163 bytes",
        "the page as captured, web archive, ",
        "kept by the authors and not published",
    ] {
        assert!(grid.contains(listed), "{listed}: {grid}");
    }
    assert!(!grid.contains("grid.warc.gz\""), "{grid}");
    let grid_json = json_source(&site, "grid");
    let files = grid_json["evidence_files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{grid_json}");
    assert!(files.iter().all(|f| f["url"].is_null()), "{grid_json}");
    assert_eq!(files[1]["role"], "archive");

    let served = start_serve(&site, &[], &[]);
    for path in EVIDENCE {
        let (status, _) = http_get(served.port, &format!("/{path}"));
        assert_eq!(status, 404, "{path} was served");
    }
    assert_eq!(http_get(served.port, "/files/leaflet.pdf").0, 200);
    let (status, page) = http_get(served.port, "/sources/grid/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("kept by the authors and not published"));
    let mut child = served.child;
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(all(feature = "pdf", feature = "preview"))]
#[test]
fn a_site_that_publishes_its_captures_publishes_exactly_those_and_links_them() {
    let (site, _server) = captured_site();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[snapshots]\npublish = true\n"),
    );
    let report = std::fs::read_to_string(site.root().join("content/sources/report.md")).unwrap();
    site.write(
        "content/sources/report.md",
        &report.replacen("+++\n", "+++\npublish_snapshot = false\n", 1),
    );
    site.write(
        "content/sources/notes.md",
        "+++\ntitle = \"Notes\"\npublish_snapshot = true\n+++\n",
    );
    site.build(&[]).expect_code(0);
    let mut published = published_evidence(&site);
    published.sort();
    let mut expected = vec![
        "copies/copy.htm",
        "copies/copy.warc.gz",
        "sources/grid.html",
        "sources/grid.warc.gz",
        "sources/memo.snapshot.md",
        "sources/notes.txt",
    ];
    expected.sort();
    assert_eq!(published, expected);
    for p in &expected {
        assert_eq!(
            std::fs::read(site.out().join(p)).unwrap(),
            std::fs::read(site.root().join("content").join(p)).unwrap(),
            "{p}"
        );
    }
    let grid = site.read("sources/grid/index.html");
    let size = std::fs::metadata(site.root().join("content/sources/grid.warc.gz"))
        .unwrap()
        .len()
        .div_ceil(1000);
    assert!(
        grid.contains(&format!(
            "<a href=\"/sources/grid.warc.gz\">the page as captured</a>, web archive, {size} kB"
        )),
        "{grid}"
    );
    assert!(grid.contains("<a href=\"/sources/grid.html\">the page as captured</a>, HTML"));
    assert!(!grid.contains("not published"));
    let report = site.read("sources/report/index.html");
    assert!(report.contains("the document as captured, PDF") && report.contains("not published"));
    let copy = site.read("sources/copy/index.html");
    assert!(copy.contains("<a href=\"/copies/copy.warc.gz\">"), "{copy}");
    let json: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let urls: Vec<String> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["evidence_files"].as_array().unwrap().clone())
        .filter_map(|f| f["url"].as_str().map(str::to_string))
        .collect();
    let mut expected_urls: Vec<String> = expected
        .iter()
        .map(|p| format!("https://example.com/{p}"))
        .collect();
    expected_urls.sort();
    let mut urls_sorted = urls.clone();
    urls_sorted.sort();
    assert_eq!(urls_sorted, expected_urls);

    let served = start_serve(&site, &[], &[]);
    let (status, body) = http_get(served.port, "/sources/grid.warc.gz");
    assert_eq!(status, 200);
    assert_eq!(
        body,
        std::fs::read(site.root().join("content/sources/grid.warc.gz")).unwrap()
    );
    assert_eq!(http_get(served.port, "/sources/report.pdf").0, 404);
    assert_eq!(http_get(served.port, "/stray/old.wacz").0, 404);
    let mut child = served.child;
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_link_to_an_unpublished_snapshot_is_one_error_at_the_link() {
    let site = Site::minimal();
    site.write("content/sources/source-s.txt", "Words.").write(
        "content/leaflet.md",
        "+++\ntitle = \"Leaflet\"\n+++\nSee [the copy](sources/source-s.txt).\n",
    );
    let run = site.build(&[]).expect_code(1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("content/leaflet.md:4:5: error: link `sources/source-s.txt` points to content/sources/source-s.txt, which is kept as evidence and not published"),
        "{}",
        run.stderr
    );
}

/// The line (from 1) of `content/<rel>` that starts with `prefix`.
fn line_of(site: &Site, rel: &str, prefix: &str) -> usize {
    let text = std::fs::read_to_string(site.root().join("content").join(rel)).unwrap();
    text.lines().position(|l| l.starts_with(prefix)).unwrap() + 1
}

#[cfg(feature = "capture")]
#[test]
fn a_snapshot_must_be_what_its_web_archive_recorded_and_can_be_restored_from_it() {
    let (site, _server) = captured_site();
    let original = std::fs::read(site.root().join("content/sources/grid.html")).unwrap();
    let source = std::fs::read_to_string(site.root().join("content/sources/grid.md")).unwrap();
    let edited = PAGE.replace("2021", "2019");
    // The snapshot edited together with its hash: the archive still holds the original.
    site.write("content/sources/grid.html", &edited).write(
        "content/sources/grid.md",
        &source.replace(&sha256_hex(&original), &sha256_hex(edited.as_bytes())),
    );
    let run = site.build(&[]).expect_code(1);
    let line = line_of(&site, "sources/grid.md", "snapshot =");
    let errs = error_lines(&run);
    assert_eq!(errs.len(), 2, "{}", run.stderr); // this one, and the quote no longer found
    let at_key = errs
        .iter()
        .find(|e| e.starts_with(&format!("content/sources/grid.md:{line}:")))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    for said in [
        "the snapshot `content/sources/grid.html` is not what the web archive `content/sources/grid.warc.gz` recorded when it was captured",
        &sha256_hex(edited.as_bytes()),
        &sha256_hex(&original),
        "`dossier capture --restore grid`",
    ] {
        assert!(at_key.contains(said), "{said}: {at_key}");
    }
    let root = site.root().to_str().unwrap().to_string();
    let restored = site
        .run(&["capture", "--restore", "grid", "--root", &root])
        .expect_code(0);
    assert!(
        restored
            .stdout
            .starts_with("restored content/sources/grid.html from content/sources/grid.warc.gz"),
        "{}",
        restored.stdout
    );
    assert_eq!(
        std::fs::read(site.root().join("content/sources/grid.html")).unwrap(),
        original
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/sources/grid.md")).unwrap(),
        source
    );
    site.build(&[]).expect_code(0);

    // The snapshot alone edited: one error, at the hash, that says to restore it.
    site.write("content/sources/grid.html", &edited);
    let run = site.build(&[]).expect_code(1);
    let line = line_of(&site, "sources/grid.md", "snapshot_sha256");
    let errs = error_lines(&run);
    assert_eq!(errs.len(), 2, "{}", run.stderr);
    assert!(
        errs.iter().any(|e| e.starts_with(&format!("content/sources/grid.md:{line}:"))
            && e.contains("has changed since it was captured")
            && e.contains("still holds the page as captured: `dossier capture --restore grid` writes it back")),
        "{}",
        run.stderr
    );
    // Deleted: restored all the same.
    std::fs::remove_file(site.root().join("content/sources/grid.html")).unwrap();
    site.run(&["capture", "--restore", "grid", "--root", &root])
        .expect_code(0);
    site.build(&[]).expect_code(0);
    // A hash error without an archive says how to record the new hash.
    site.write("content/sources/notes.md", "+++\ntitle = \"Notes\"\nsnapshot_sha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\n+++\n");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains(&format!(
            "record the new hash, `snapshot_sha256 = \"{}\"`",
            sha256_hex(b"Notes taken at the hearing.")
        )),
        "{}",
        run.stderr
    );
    // Nothing to restore from, or no such source: refused, nothing written.
    let run = site
        .run(&["capture", "--restore", "notes", "--root", &root])
        .expect_code(1);
    assert!(
        run.stderr.contains("no web archive of the capture"),
        "{}",
        run.stderr
    );
    let run = site
        .run(&["capture", "--restore", "gird", "--root", &root])
        .expect_code(2);
    assert!(
        run.stderr.contains("did you mean `grid`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_damaged_or_unrelated_web_archive_is_one_error_at_the_source() {
    let site = Site::minimal();
    let page = b"<p>A copy.</p>".to_vec();
    let source =
        "+++\ntitle = \"Copy\"\nurl = \"http://a.test/copy\"\nsnapshot = \"copy.htm\"\n+++\n";
    site.write("content/sources/copy.md", source)
        .write_bytes("content/sources/copy.htm", &page);
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "truncated",
            warc_with(
                "http://a.test/copy",
                &http_response("text/html", &page),
                &[("WARC-Truncated", "length")],
            ),
            "the web archive's record of http://a.test/copy is truncated (length)",
        ),
        (
            "tampered",
            warc_with(
                "http://a.test/copy",
                &http_response("text/html", b"<p>A copy!</p>"),
                &[(
                    "WARC-Payload-Digest",
                    &format!("sha256:{}", sha256_hex(&page)),
                )],
            ),
            "is damaged: its payload no longer has the SHA-256 the record gives",
        ),
        (
            "another page",
            warc_with(
                "http://a.test/other",
                &http_response("text/html", b"<p>Another page.</p>"),
                &[],
            ),
            "(it records no response for the source's url; its response for http://a.test/other was compared)",
        ),
        (
            "cut short",
            {
                let whole = warc_with(
                    "http://a.test/copy",
                    &http_response("text/html", &page),
                    &[],
                );
                whole[..whole.len() - 10].to_vec()
            },
            "content/sources/copy.warc: error: record 1 of the web archive is cut short",
        ),
    ];
    for (case, archive, said) in cases {
        site.write_bytes("content/sources/copy.warc", &archive);
        let run = site.build(&[]).expect_code(1);
        let errs = error_lines(&run);
        assert_eq!(errs.len(), 1, "{case}: {}", run.stderr);
        assert!(errs[0].contains(said), "{case}: {}", run.stderr);
    }
    // The archive of the same capture: the build passes, and provenance says so.
    site.write_bytes(
        "content/sources/copy.warc",
        &warc_with(
            "http://a.test/copy",
            &http_response("text/html", &page),
            &[],
        ),
    );
    site.build(&[]).expect_code(0);
    let report = site.run(&["check", "--provenance"]).expect_code(0).stdout;
    assert!(
        !report.contains("Snapshots without a web archive of their capture"),
        "{report}"
    );
    std::fs::remove_file(site.root().join("content/sources/copy.warc")).unwrap();
    let report = site.run(&["check", "--provenance"]).expect_code(0).stdout;
    assert!(
        report.contains("Snapshots without a web archive of their capture (`dossier capture` keeps one): 1\n  content/sources/copy.md:1  copy  (content/sources/copy.htm)"),
        "{report}"
    );
}

/// A WARC file of one response record for `uri` holding `block`, with extra fields.
fn warc_with(uri: &str, block: &[u8], fields: &[(&str, &str)]) -> Vec<u8> {
    let mut head = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\n"
    );
    for (k, v) in fields {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut out = head.into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

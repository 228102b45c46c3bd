//! Evidence kept private unless chosen: snapshots in every form, web archives and
//! time-stamp tokens stay out of the built site and the preview, unless `[snapshots]
//! publish` or a source's `publish_snapshot` says otherwise; then they are published and
//! linked from their source's page and `/dossier.json`. Through the real binary, on a
//! dossier whose sources were captured from a loopback server.

mod common;

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
    let json: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let grid_json = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "grid")
        .unwrap();
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

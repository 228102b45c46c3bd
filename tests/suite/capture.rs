//! `dossier capture URL` through the binary, against fixture pages served on a loopback
//! port: each metadata vocabulary, legacy encodings, PDFs, redirects, the web-archive
//! record, and every refusal (with nothing written).

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::fixtures::*;
use common::*;

const NEWS: &str = r#"<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<title>Page title | The Daily Test</title>
<meta property="og:title" content="The OpenGraph title">
<meta property="og:site_name" content="The Daily Test">
<meta property="article:published_time" content="2024-03-01T08:00:00Z">
<link rel="canonical" href="/news/2024/grid-story">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Daily"},{"@type":"NewsArticle","headline":"Officials describe intrusions into grid operators","author":[{"@type":"Person","name":"Ann Writer"},{"@type":"Person","name":"Bo Reporter"}],"datePublished":"2024-04-14T21:00:00-04:00","publisher":{"@type":"NewsMediaOrganization","name":"Daily Test Media"}}]}</script>
</head><body><article><p>The intrusions, officials said, began in 2021 and reached water utilities.</p></article></body></html>"#;

const CITATION: &str = r#"<html lang="fr"><head><meta charset="utf-8"><title>Shell</title>
<meta name="citation_title" content="Living off the land: a technical report">
<meta name="citation_author" content="Chen, Li">
<meta name="citation_author" content="Dupont, Marie">
<meta name="citation_publication_date" content="2023/05/24">
<meta name="citation_publisher" content="Test Institute">
<meta name="citation_technical_report_number" content="TR-7">
<meta name="citation_language" content="en">
<meta property="og:title" content="Not this one">
<meta name="DC.title" content="Nor this one">
<script type="application/ld+json">{"@type":"Article","headline":"Nor the JSON-LD one"}</script>
</head><body><p>Report text.</p></body></html>"#;

const DUBLIN_CORE: &str = r#"<html><head><meta charset="utf-8"><title>Shell</title>
<meta name="DC.title" content="Statement on the April reports">
<meta name="DC.creator" content="Press Office">
<meta name="DC.date" content="15 April 2024">
<meta name="DC.publisher" content="Ministry of Tests">
<meta name="DC.language" content="en">
<meta property="og:title" content="Not this one">
</head><body><p>Statement.</p></body></html>"#;

const OPENGRAPH: &str = r#"<html lang="en"><head><meta charset="utf-8"><title>Shell | Site</title>
<meta property="og:title" content="Agencies publish a joint advisory">
<meta property="og:site_name" content="Security Wire">
<meta property="og:type" content="article">
<meta property="og:locale" content="en_US">
<meta property="article:published_time" content="2024-02-07T15:30:00Z">
</head><body><p>Advisory.</p></body></html>"#;

const BARE: &str = "<html lang=\"en\"><head><title>  A page that says\n little </title></head><body><p>Plain words.</p></body></html>";

fn routes() -> BTreeMap<String, Answer> {
    let windows_1252 = encoding_rs::WINDOWS_1252
        .encode("<html><head><meta charset=\"windows-1252\"><title>Caf\u{e9} \u{201c}r\u{e9}sum\u{e9}\u{201d}</title></head><body><p>Le caf\u{e9} a \u{e9}t\u{e9} \u{ab} cibl\u{e9} \u{bb}.</p></body></html>")
        .0
        .into_owned();
    let gbk = encoding_rs::GBK
        .encode("<html lang=\"zh-CN\"><head><title>关于伏特台风的调查报告</title></head><body><p>报告称伏特台风是一个国际勒索软件团伙。</p></body></html>")
        .0
        .into_owned();
    let report = pdf(
        &[
            &["Joint report on router intrusions", "First page."],
            &[
                "The actor used compromised small-office",
                "routers to hide its traf-",
                "fic, the agencies said.",
            ],
            &["Annex."],
        ],
        &[
            ("Title", "Joint report on router intrusions"),
            ("Author", "Agency One; Agency Two"),
            ("CreationDate", "D:20240207120000Z"),
        ],
    );
    let mut r = BTreeMap::new();
    r.insert("/news".to_string(), page("text/html; charset=utf-8", NEWS));
    r.insert("/citation".to_string(), page("text/html", CITATION));
    r.insert("/dc".to_string(), page("text/html", DUBLIN_CORE));
    r.insert("/bare".to_string(), page("text/html", BARE));
    r.insert("/og".to_string(), page("text/html", OPENGRAPH));
    r.insert(
        "/big-chunked".to_string(),
        Answer::Chunked(vec![b'x'; 3_000]),
    );
    r.insert("/cp1252".to_string(), page("text/html", windows_1252));
    r.insert("/gbk".to_string(), page("text/html; charset=GBK", gbk));
    r.insert("/report.pdf".to_string(), page("application/pdf", report));
    let xmp = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Threat landscape review</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>Analyst One</rdf:li><rdf:li>Analyst Two</rdf:li></rdf:Seq></dc:creator><xmp:CreateDate>2023-11-30T10:00:00Z</xmp:CreateDate></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;
    r.insert(
        "/xmp.pdf".to_string(),
        page(
            "application/pdf",
            pdf_document(&[&["Review."]], &[], Some(xmp)),
        ),
    );
    r.insert("/hop1".to_string(), Answer::Redirect("/hop2".into()));
    r.insert("/hop2".to_string(), Answer::Redirect("/news".into()));
    r.insert("/slow".to_string(), Answer::Slow(Duration::from_secs(4)));
    r.insert("/big".to_string(), page("text/html", vec![b'x'; 3_000]));
    r.insert(
        "/image.png".to_string(),
        page("image/png", b"\x89PNG\r\n\x1a\n".to_vec()),
    );
    r.insert(
        "/gone".to_string(),
        Answer::Page(
            410,
            vec![("Content-Type".into(), "text/html".into())],
            b"gone".to_vec(),
        ),
    );
    for n in 0..12 {
        r.insert(
            format!("/loop{n}"),
            Answer::Redirect(format!("/loop{}", n + 1)),
        );
    }
    r
}

/// A dossier with one actor and no sources, capture limits small enough to test.
fn site() -> Site {
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.com/\"\n\n[link_check]\ntimeout = 1\n\n[capture]\nmax_mb = 0.002\n",
    );
    site.write("content/actors/actor-a.md", MIN_ACTOR);
    site
}

fn capture(site: &Site, url: &str, extra: &[&str]) -> Run {
    let mut args = vec!["capture", url, "--root"];
    let root = site.root().to_str().unwrap().to_string();
    args.push(&root);
    args.extend_from_slice(extra);
    site.run(&args)
}

/// The front matter `capture` wrote for `id`.
fn source(site: &Site, id: &str) -> String {
    std::fs::read_to_string(site.root().join(format!("content/sources/{id}.md"))).unwrap()
}

/// Every file under `content/`, hidden ones included.
fn content_files(site: &Site) -> Vec<String> {
    each_file(&site.root().join("content"))
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn each_vocabulary_fills_the_keys_in_order_of_trust() {
    let server = FixtureServer::start(routes());
    let site = site();
    let today = today();
    let today = today.as_str();

    // JSON-LD wins over OpenGraph and <title>; the canonical address is the url.
    let run = capture(&site, &server.url("/news"), &[]).expect_code(0);
    let id = "officials-describe-intrusions-into-2024";
    assert!(
        run.stdout.contains(&format!("content/sources/{id}.md")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("every key was filled"),
        "{}",
        run.stdout
    );
    let fm = source(&site, id);
    for line in [
        "title = \"Officials describe intrusions into grid operators\"",
        "kind = \"article\"",
        "publisher = \"Daily Test Media\"",
        "authors = [\"Ann Writer\", \"Bo Reporter\"]",
        "date = 2024-04-14\n",
        "language = \"en-GB\"",
        &format!("url = \"{}\"", server.url("/news/2024/grid-story")),
        &format!("accessed = {today}\n"),
        &format!("snapshot = \"{id}.html\""),
        &format!("snapshot_sha256 = \"{}\"", sha256_hex(NEWS.as_bytes())),
        &format!("snapshot_captured = {today}\n"),
    ] {
        assert!(fm.contains(line), "`{line}` in:\n{fm}");
    }
    let kept = std::fs::read(site.root().join(format!("content/sources/{id}.html"))).unwrap();
    assert_eq!(kept, NEWS.as_bytes(), "the snapshot is kept byte for byte");

    // Highwire tags win over everything else.
    capture(&site, &server.url("/citation"), &["--id", "lotl-report"]).expect_code(0);
    let fm = source(&site, "lotl-report");
    for line in [
        "title = \"Living off the land: a technical report\"",
        "kind = \"report\"",
        "publisher = \"Test Institute\"",
        "authors = [\"Li Chen\", \"Marie Dupont\"]",
        "date = 2023-05-24\n",
        "language = \"en\"",
        &format!("url = \"{}\"", server.url("/citation")),
    ] {
        assert!(fm.contains(line), "`{line}` in:\n{fm}");
    }

    // Dublin Core over OpenGraph, with a date written in words.
    capture(&site, &server.url("/dc"), &["--kind", "statement"]).expect_code(0);
    let fm = source(&site, "statement-april-reports-2024");
    for line in [
        "title = \"Statement on the April reports\"",
        "kind = \"statement\"",
        "publisher = \"Ministry of Tests\"",
        "authors = [\"Press Office\"]",
        "date = 2024-04-15\n",
    ] {
        assert!(fm.contains(line), "`{line}` in:\n{fm}");
    }

    // OpenGraph alone.
    capture(&site, &server.url("/og"), &[]).expect_code(0);
    let fm = source(&site, "agencies-publish-joint-advisory-2024");
    for line in [
        "title = \"Agencies publish a joint advisory\"",
        "kind = \"article\"",
        "publisher = \"Security Wire\"",
        "date = 2024-02-07\n",
        "language = \"en-US\"",
    ] {
        assert!(fm.contains(line), "`{line}` in:\n{fm}");
    }
    assert!(!fm.contains("authors"), "{fm}");

    // Nothing but <title> and <html lang>: the rest is reported as not filled.
    let run = capture(&site, &server.url("/bare"), &[]).expect_code(0);
    assert!(
        run.stdout
            .contains("could not fill: kind, publisher, authors, date"),
        "{}",
        run.stdout
    );
    let fm = source(&site, "page-that-says-little");
    assert!(
        fm.contains("title = \"A page that says little\"") && fm.contains("language = \"en\""),
        "{fm}"
    );
    assert!(!fm.contains("kind =") && !fm.contains("date ="), "{fm}");

    // The same page again gets an id of its own.
    capture(&site, &server.url("/bare"), &[]).expect_code(0);
    assert!(
        site.root()
            .join("content/sources/page-that-says-little-2.md")
            .exists()
    );

    // The captured dossier builds, its snapshots' hashes check out.
    site.write("content/claims/c.md", &format!("+++\ntitle = \"C\"\nclaimants = [\"actor-a\"]\ndate = 2024-04-15\n\n[[citations]]\nsource = \"{id}\"\nquote = \"began in 2021 and reached water utilities\"\n\n[[citations]]\nsource = \"lotl-report\"\n\n[[citations]]\nsource = \"agencies-publish-joint-advisory-2024\"\n\n[[citations]]\nsource = \"statement-april-reports-2024\"\n\n[[citations]]\nsource = \"page-that-says-little\"\n\n[[citations]]\nsource = \"page-that-says-little-2\"\n+++\n"));
    let run = site.build(&[]).expect_code(0);
    // Only the reminder that a public archived copy is missing, which capture cannot add.
    let others: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning:") && !l.contains("but no archive_url"))
        .collect();
    assert!(others.is_empty(), "{}", run.stderr);
    let page = site.read(&format!("sources/{id}/index.html"));
    assert!(
        page.contains(&sha256_hex(NEWS.as_bytes())) && page.contains("(as recorded at capture)"),
        "{page}"
    );
}

#[test]
fn legacy_encodings_are_decoded_for_metadata_and_quotes() {
    let server = FixtureServer::start(routes());
    let site = site();
    capture(&site, &server.url("/cp1252"), &["--id", "cafe"]).expect_code(0);
    let fm = source(&site, "cafe");
    assert!(
        fm.contains("title = \"Caf\u{e9} \u{201c}r\u{e9}sum\u{e9}\u{201d}\""),
        "{fm}"
    );
    assert!(
        !fm.contains("snapshot_encoding"),
        "the page declares its encoding: {fm}"
    );
    // GBK, declared only in the HTTP header: the source records it.
    capture(&site, &server.url("/gbk"), &[]).expect_code(0);
    let files = content_files(&site);
    let gbk_md = files
        .iter()
        .find(|f| f.ends_with(".md") && f.starts_with("sources/") && !f.contains("cafe"))
        .unwrap();
    let fm = std::fs::read_to_string(site.root().join("content").join(gbk_md)).unwrap();
    assert!(
        fm.contains("title = \"关于伏特台风的调查报告\"") && fm.contains("language = \"zh-CN\""),
        "{fm}"
    );
    assert!(fm.contains("snapshot_encoding = \"gbk\""), "{fm}");
    let gbk_id = gbk_md
        .trim_start_matches("sources/")
        .trim_end_matches(".md");
    site.write("content/claims/c.md", &format!("+++\ntitle = \"C\"\nclaimants = [\"actor-a\"]\ndate = 2024-04-15\n\n[[citations]]\nsource = \"{gbk_id}\"\nquote = \"伏特台风是一个国际勒索软件团伙\"\n\n[[citations]]\nsource = \"cafe\"\nquote = \"Le café a été « ciblé »\"\n+++\n"));
    site.build(&[]).expect_code(0);
    // A quote that is not there is still caught, in the right characters.
    site.write("content/claims/c.md", &format!("+++\ntitle = \"C\"\nclaimants = [\"actor-a\"]\ndate = 2024-04-15\n\n[[citations]]\nsource = \"{gbk_id}\"\nquote = \"伏特台风是一个国家黑客组织\"\n+++\n"));
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("reads \"报告称伏特台风是一个国际勒索软件团伙。\""),
        "{}",
        run.stderr
    );
}

#[test]
fn pdfs_fill_their_metadata_from_the_document() {
    let server = FixtureServer::start(routes());
    let site = site();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.com/\"\n",
    );
    let run = capture(&site, &server.url("/report.pdf"), &[]).expect_code(0);
    let id = "joint-report-router-intrusions-2024";
    assert!(run.stdout.contains(&format!("{id}.pdf")), "{}", run.stdout);
    let fm = source(&site, id);
    for line in [
        "title = \"Joint report on router intrusions\"",
        "kind = \"report\"",
        "authors = [\"Agency One\", \"Agency Two\"]",
        "date = 2024-02-07\n",
        &format!("snapshot = \"{id}.pdf\""),
    ] {
        assert!(fm.contains(line), "`{line}` in:\n{fm}");
    }
    // Without an Info dictionary, the XMP metadata says.
    capture(&site, &server.url("/xmp.pdf"), &[]).expect_code(0);
    let fm = source(&site, "threat-landscape-review-2023");
    for line in [
        "title = \"Threat landscape review\"",
        "authors = [\"Analyst One\", \"Analyst Two\"]",
        "date = 2023-11-30\n",
    ] {
        assert!(fm.contains(line), "`{line}` in:\n{fm}");
    }
    // Its text is a snapshot: a quote across a line break and a hyphenated word.
    site.write("content/claims/c.md", &format!("+++\ntitle = \"C\"\nclaimants = [\"actor-a\"]\ndate = 2024-04-15\n\n[[citations]]\nsource = \"{id}\"\nlocator = \"p. 2\"\nquote = \"compromised small-office routers to hide its traffic\"\n+++\n"));
    site.build(&[]).expect_code(0);
}

#[test]
fn redirects_are_followed_and_recorded() {
    let server = FixtureServer::start(routes());
    let site = site();
    capture(&site, &server.url("/hop1"), &["--id", "moved"]).expect_code(0);
    let fm = source(&site, "moved");
    assert!(
        fm.contains(&format!(
            "url = \"{}\"",
            server.url("/news/2024/grid-story")
        )),
        "{fm}"
    );
    let warc = site.root().join("content/sources/moved.warc.gz");
    if !tool_or_skip(
        "redirects_are_followed_and_recorded",
        warcio_present(),
        "Python's warcio (`pip install -r tests/requirements.txt`)",
    ) {
        return;
    }
    let index = Command::new("warcio")
        .arg("index")
        .arg(&warc)
        .output()
        .unwrap();
    let index = String::from_utf8(index.stdout).unwrap();
    let responses: Vec<&str> = index
        .lines()
        .filter(|l| l.contains("\"response\""))
        .collect();
    assert_eq!(responses.len(), 3, "{index}");
    for (line, path) in responses.iter().zip(["/hop1", "/hop2", "/news"]) {
        assert!(
            line.contains(&format!("\"warc-target-uri\": \"{}\"", server.url(path))),
            "{index}"
        );
    }
    assert_eq!(
        index.lines().filter(|l| l.contains("\"request\"")).count(),
        3,
        "{index}"
    );
    let check = Command::new("warcio")
        .args(["check", "-v"])
        .arg(&warc)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{out}");
    assert_eq!(out.matches("digest pass").count(), 7, "{out}");
}

fn warcio_present() -> bool {
    Command::new("warcio")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn refusals_write_nothing() {
    let server = FixtureServer::start(routes());
    let site = site();
    capture(&site, &server.url("/news"), &["--id", "taken"]).expect_code(0);
    let before = content_files(&site);
    let cases: &[(&str, &[&str], i32, &str)] = &[
        ("/gone", &[], 1, "the server answered 410 Gone"),
        ("/nowhere", &[], 1, "the server answered 404 Not Found"),
        ("/slow", &[], 1, "no answer within 1 s"),
        ("/big", &[], 1, "larger than the limit of 0.002 MB"),
        ("/big-chunked", &[], 1, "larger than the limit of 0.002 MB"),
        (
            "/image.png",
            &[],
            1,
            "the answer is `image/png`, neither an HTML page nor a PDF",
        ),
        ("/loop0", &[], 1, "more than 10 redirects"),
        (
            "/news",
            &["--id", "taken"],
            1,
            "id `taken` is taken by content/sources/taken.md",
        ),
        (
            "/news",
            &["--id", "actor-a"],
            1,
            "id `actor-a` is taken by content/actors/actor-a.md",
        ),
        ("/news", &["--id", "Bad Id"], 2, "invalid id `Bad Id`"),
        (
            "/news",
            &["--kind", "reprot"],
            2,
            "invalid value 'reprot' for '--kind <KIND>': not one of `report`, `advisory`, `article`, `statement`, `hearing`, `press-release`, `dataset`, `post`, `judgment`, `transcript`, `filing`, `other` (did you mean `report`?)",
        ),
    ];
    for (path, extra, code, message) in cases {
        let run = capture(&site, &server.url(path), extra).expect_code(*code);
        assert!(
            run.stderr.contains(message),
            "{path}: expected `{message}` in {}",
            run.stderr
        );
        assert_eq!(content_files(&site), before, "{path}: nothing is written");
    }
    for url in ["ftp://127.0.0.1/x", "file:///etc/passwd", "news"] {
        let run = capture(&site, url, &[]).expect_code(1);
        assert!(
            run.stderr.contains("is not an http or https address"),
            "{}",
            run.stderr
        );
        assert_eq!(content_files(&site), before);
    }
    assert!(!Path::new(&site.root().join("content/sources/.taken.md.capture")).exists());
}

//! `dossier capture` against hostile or careless answers, through the binary and servers
//! on a loopback port: credentials in the address used but written nowhere (and refused
//! by the build), bodies in a content coding decoded within the limit, redirects to
//! other schemes refused, and a snapshot's type decided by its bytes too.

use crate::common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use common::fixtures::*;
use common::*;

const PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Members page</title></head><body><p>The intrusions began in 2021, officials said.</p></body></html>";

fn site() -> Site {
    let site = Site::minimal();
    site.write(
        "site.toml",
        &format!("{MIN_SITE_TOML}\n[link_check]\ntimeout = 2\n\n[capture]\nmax_mb = 0.1\n"),
    );
    site
}

fn capture(site: &Site, url: &str, extra: &[&str]) -> Run {
    let root = site.root().to_str().unwrap().to_string();
    let mut args = vec!["capture", url, "--root", &root];
    args.extend_from_slice(extra);
    site.run(&args)
}

/// Every file under `dir`, gzip members inflated, as text.
fn all_text(dir: &std::path::Path) -> String {
    let mut out = String::new();
    for (_, bytes) in files(dir) {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut plain = Vec::new();
            flate2::read::MultiGzDecoder::new(&bytes[..])
                .read_to_end(&mut plain)
                .unwrap();
            out.push_str(&String::from_utf8_lossy(&plain));
        } else {
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}

#[test]
fn credentials_in_an_address_are_sent_but_written_nowhere() {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let port = server.server_addr().to_ip().unwrap().port();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let (s, log) = (server.clone(), seen.clone());
    std::thread::spawn(move || {
        for request in s.incoming_requests() {
            let auth = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.to_string())
                .unwrap_or_default();
            log.lock().unwrap().push(auth);
            let _ = request.respond(tiny_http::Response::from_string(PAGE).with_header(
                tiny_http::Header::from_bytes("Content-Type", "text/html; charset=utf-8").unwrap(),
            ));
        }
    });
    let site = site();
    let run = capture(
        &site,
        &format!("http://reader:s3cr%40t@127.0.0.1:{port}/members"),
        &["--id", "members"],
    )
    .expect_code(0);
    assert!(
        run.stderr.contains("warning: the user name and password in the address are sent to its server but written nowhere")
            && !run.stderr.contains("s3cr") && !run.stdout.contains("s3cr"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    // "reader:s3cr@t" in base64.
    assert_eq!(seen.lock().unwrap()[0], "Basic cmVhZGVyOnMzY3JAdA==");
    let content = all_text(&site.root().join("content"));
    assert!(
        !content.contains("s3cr") && !content.contains("reader:"),
        "{content}"
    );
    assert!(content.contains(&format!("url = \"http://127.0.0.1:{port}/members\"")));
    assert!(
        content.contains(&format!("host: 127.0.0.1:{port}\r\n"))
            && content.contains("authorization: Basic ********\r\n"),
        "{content}"
    );
    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"members\"\nquote = \"The intrusions began in 2021\"\n+++\n",
    );
    site.build(&[]).expect_code(0);
    assert!(!all_text(&site.out()).contains("s3cr"));

    // A url or archive_url that carries a password is refused by the build, at its key.
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\nurl = \"https://u:hunter2@news.test/a\"\narchive_url = \"https://web.archive.org/web/2024/https://news.test/a\"\n+++\n",
    );
    let before = files(&site.out());
    let run = site.build(&[]).expect_code(1);
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("content/sources/source-s.md:3:")
            && errors[0].contains("`url` carries a password")
            && errors[0].contains("https://news.test/a")
            && !run.stderr.contains("hunter2"),
        "{}",
        run.stderr
    );
    assert_eq!(files(&site.out()), before, "nothing is published");
}

#[test]
fn a_compressed_body_is_decoded_within_the_limit_and_its_quotes_verify() {
    let gzip = |bytes: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    };
    let coded = |body: Vec<u8>, coding: &str| {
        Answer::Page(
            200,
            vec![
                ("Content-Type".into(), "text/html; charset=utf-8".into()),
                ("Content-Encoding".into(), coding.into()),
            ],
            body,
        )
    };
    let mut routes = BTreeMap::new();
    routes.insert("/gz".to_string(), coded(gzip(PAGE.as_bytes()), "gzip"));
    routes.insert(
        "/bomb".to_string(),
        coded(gzip(&vec![b' '; 5_000_000]), "gzip"),
    );
    routes.insert("/br".to_string(), coded(b"xyz".to_vec(), "br"));
    let server = FixtureServer::start(routes);
    let site = site();
    let run = capture(&site, &server.url("/gz"), &["--id", "gz"]).expect_code(0);
    assert!(
        run.stdout
            .contains(&format!("(200 text/html, {} bytes)", PAGE.len())),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/sources/gz.html")).unwrap(),
        PAGE
    );
    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"gz\"\nquote = \"The intrusions began in 2021\"\n+++\n",
    );
    // The quote verifies, and the snapshot is consistent with the archived (gzipped) payload.
    site.build(&[]).expect_code(0);
    let before = files(&site.root().join("content"));
    for (path, said) in [
        (
            "/bomb",
            "the answer expands beyond the limit of 0.1 MB (`[capture] max_mb` in site.toml)",
        ),
        (
            "/br",
            "the answer is compressed with `br`, which capture cannot read",
        ),
    ] {
        let run = capture(&site, &server.url(path), &[]).expect_code(1);
        assert!(run.stderr.contains(said), "{path}: {}", run.stderr);
        assert_eq!(files(&site.root().join("content")), before, "{path}");
    }
}

#[test]
fn redirects_elsewhere_than_the_web_are_refused_and_types_are_read_from_the_bytes() {
    let mut routes = BTreeMap::new();
    routes.insert(
        "/to-file".to_string(),
        Answer::Redirect("file:///etc/passwd".into()),
    );
    routes.insert(
        "/to-ftp".to_string(),
        Answer::Redirect("ftp://127.0.0.1/x".into()),
    );
    routes.insert("/etc/passwd".to_string(), page("text/html", PAGE));
    routes.insert("/page-as-pdf".to_string(), page("application/pdf", PAGE));
    routes.insert(
        "/pdf-as-page".to_string(),
        page(
            "text/html",
            pdf(&[&["A report."]], &[("Title", "A report")]),
        ),
    );
    let server = FixtureServer::start(routes);
    let site = site();
    let before = files(&site.root().join("content"));
    for path in ["/to-file", "/to-ftp"] {
        let run = capture(&site, &server.url(path), &[]).expect_code(1);
        assert!(
            run.stderr
                .contains("redirects to an address that is not http or https"),
            "{path}: {}",
            run.stderr
        );
        assert_eq!(files(&site.root().join("content")), before, "{path}");
    }
    let run = capture(&site, &server.url("/page-as-pdf"), &["--id", "page"]).expect_code(0);
    assert!(
        run.stdout.contains(
            "note: the server called it a PDF, but its bytes are an HTML page: kept as a page"
        ),
        "{}",
        run.stdout
    );
    assert!(site.root().join("content/sources/page.html").is_file());
    let run = capture(&site, &server.url("/pdf-as-page"), &["--id", "report"]).expect_code(0);
    assert!(
        run.stdout.contains("its bytes are a PDF: kept as a PDF"),
        "{}",
        run.stdout
    );
    assert!(site.root().join("content/sources/report.pdf").is_file());
    let report = std::fs::read_to_string(site.root().join("content/sources/report.md")).unwrap();
    assert!(report.contains("title = \"A report\""), "{report}");
}

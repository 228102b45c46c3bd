//! PDF, web-archive and legacy-encoded snapshots, and snapshot hashes, through the binary.

use crate::common;

use common::fixtures::*;
use common::*;

/// A claim citing `source-s` once per (locator, quote).
fn claim_citing(citations: &[(Option<&str>, &str)]) -> String {
    let mut s =
        String::from("+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n");
    for (locator, quote) in citations {
        s.push_str("\n[[citations]]\nsource = \"source-s\"\n");
        if let Some(l) = locator {
            s.push_str(&format!("locator = \"{l}\"\n"));
        }
        s.push_str(&format!("quote = \"{quote}\"\n"));
    }
    s.push_str("+++\n\nBody.\n");
    s
}

/// Three pages; a word hyphenated across the first page break, one across a line.
fn report() -> Vec<u8> {
    pdf(
        &[
            &[
                "Joint advisory on router intrusions.",
                "The agencies assess with high confi-",
            ],
            &[
                "dence that the actor pre-positioned itself",
                "on networks of critical infra-",
                "structure operators.",
            ],
            &["Annex: indicators of compromise."],
        ],
        &[],
    )
}

#[cfg(feature = "pdf")]
#[test]
fn pdf_quotes_are_found_across_lines_pages_and_hyphens() {
    let site = Site::minimal();
    site.write_bytes("content/sources/source-s.pdf", &report());
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[
            (
                Some("pp. 1-2"),
                "assess with high confidence that the actor pre-positioned itself",
            ),
            (
                Some("p. 2"),
                "on networks of critical infrastructure operators",
            ),
            (Some("page 3"), "Annex: indicators"),
            (None, "router intrusions. The agencies"),
        ]),
    );
    let run = site.build(&[]).expect_code(0);
    assert!(
        !run.stderr.contains("warning: the quote is on page"),
        "{}",
        run.stderr
    );
    let page = site.read("sources/source-s/index.html");
    assert!(page.contains("on 3 pages"), "{page}");
    let claim = site.read("claims/claim-c/index.html");
    assert!(
        !claim.contains("not verified"),
        "every quote is verified: {claim}"
    );
}

#[cfg(feature = "pdf")]
#[test]
fn pdf_pages_are_named_in_misses_and_locator_warnings() {
    let site = Site::minimal();
    site.write_bytes("content/sources/source-s.pdf", &report());
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[(Some("p. 1"), "Annex: indicators of compromise")]),
    );
    let run = site.build(&[]).expect_code(0);
    assert!(
        run.stderr.contains("content/claims/claim-c.md:9:9: warning: the quote is on page 3 of the snapshot of source `source-s` (content/sources/source-s.pdf), not where the locator `p. 1` says (did you mean `p. 3`?)"),
        "{}",
        run.stderr
    );
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[(None, "the actor pre-positioned itself on routers")]),
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("quote not found in the snapshot of source `source-s` (content/sources/source-s.pdf); the closest passage, on page 2, reads \"the actor pre-positioned itself on networks"),
        "{}",
        run.stderr
    );
}

#[cfg(feature = "pdf")]
#[test]
fn a_pdf_without_text_is_a_warning_and_its_quotes_unverified() {
    let site = Site::minimal();
    site.write_bytes("content/sources/source-s.pdf", &pdf(&[&[], &[]], &[]));
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[(None, "anything at all")]),
    );
    let run = site.build(&[]).expect_code(0);
    assert!(
        run.stderr.contains("content/sources/source-s.pdf: warning: this PDF has no text layer (a scanned document?): the quotes cited from source `source-s` cannot be verified against it"),
        "{}",
        run.stderr
    );
    let page = site.read("sources/source-s/index.html");
    assert!(
        page.contains("a PDF of 2 pages without a text layer"),
        "{page}"
    );
    let claim = site.read("claims/claim-c/index.html");
    assert!(
        claim.contains(
            "Quote not verified: the local snapshot of this source has no text to check it against."
        ),
        "{claim}"
    );
    let json = site.read("dossier.json");
    assert!(json.contains("\"quote_verified\": false"), "{json}");
    let report = site.run(&["check", "--provenance"]).expect_code(0);
    assert!(
        report
            .stdout
            .contains("Quotes not verified (their source has no snapshot with text): 1"),
        "{}",
        report.stdout
    );
    // A file that is not a PDF at all is an error at the file.
    site.write("content/sources/source-s.pdf", "not a pdf");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("content/sources/source-s.pdf: error: not a readable PDF"),
        "{}",
        run.stderr
    );
}

/// A PDF whose page tree and XObjects loop, as a damaged or hostile file may: a page that
/// is its own parent, one that is its own parent and has no size, a form that draws
/// itself, forms nested 3,000 deep, and two forms that draw each other. The reader must
/// end, and keep the text it can: of two forms in a loop, always the one numbered first.
fn looping_report() -> Vec<u8> {
    let font = "/Font << /F1 3 0 R >>";
    let text = |s: &str| format!("BT /F1 11 Tf 72 720 Td ({s}) Tj ET");
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [4 0 R 6 0 R 8 0 R 10 0 R 12 0 R 3015 0 R] /Count 6 >>".into(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    ];
    let page = |id: usize, parent: usize, media: &str, xobjects: &str| {
        format!(
            "<< /Type /Page /Parent {parent} 0 R {media} /Resources << {font} {xobjects} >> /Contents {} 0 R >>",
            id + 1
        )
    };
    let letter = "/MediaBox [0 0 612 792]";
    objects.push(page(4, 2, letter, ""));
    objects.push(pdf_stream("", &text("Page one is plain.")));
    objects.push(page(6, 6, letter, ""));
    objects.push(pdf_stream("", &text("Page two is its own parent.")));
    objects.push(page(8, 8, "", ""));
    objects.push(pdf_stream("", &text("Page three has no size.")));
    objects.push(page(10, 2, letter, "/XObject << /X1 14 0 R >>"));
    objects.push(pdf_stream(
        "",
        &format!(
            "{} /X1 Do",
            text("Page four draws a form that draws itself.")
        ),
    ));
    objects.push(page(12, 2, letter, "/XObject << /D 15 0 R >>"));
    objects.push(pdf_stream(
        "",
        &format!("{} /D Do", text("Page five draws forms nested deep.")),
    ));
    objects.push(pdf_stream(
        &format!("/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << {font} /XObject << /X1 14 0 R >> >>"),
        &format!("{} /X1 Do", text("Inside the form.")),
    ));
    let deep = 3000;
    for i in 0..deep {
        let id = 15 + i;
        let next = if i + 1 < deep {
            format!("/XObject << /D {} 0 R >>", id + 1)
        } else {
            String::new()
        };
        objects.push(pdf_stream(
            &format!(
                "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << {font} {next} >>"
            ),
            "/D Do",
        ));
    }
    let pair = "/XObject << /A 3017 0 R /B 3018 0 R >>";
    objects.push(page(3015, 2, letter, pair));
    objects.push(pdf_stream(
        "",
        &format!("{} /A Do", text("Page six draws two forms in a loop.")),
    ));
    for (name, other) in [("A", "B"), ("B", "A")] {
        objects.push(pdf_stream(
            &format!(
                "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << {font} {pair} >>"
            ),
            &format!("BT /F1 11 Tf 72 600 Td (Form {name} is drawn.) Tj ET /{other} Do"),
        ));
    }
    pdf_of_objects(&objects, "")
}

#[cfg(feature = "pdf")]
#[test]
fn a_pdf_whose_structure_loops_is_read_to_its_end() {
    let site = Site::minimal();
    site.write_bytes("content/sources/source-s.pdf", &looping_report());
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[
            (Some("p. 1"), "Page one is plain."),
            (Some("p. 2"), "Page two is its own parent."),
            (Some("p. 4"), "Page four draws a form that draws itself."),
            (Some("p. 5"), "Page five draws forms nested deep."),
            (Some("p. 6"), "Page six draws two forms in a loop."),
            (Some("p. 6"), "Form A is drawn."),
        ]),
    );
    let run = site
        .build_within(std::time::Duration::from_secs(60))
        .expect_code(0);
    let unreadable = "content/sources/source-s.pdf: warning: page 3 of this PDF could not be read (its structure is damaged there): a quote from source `source-s` there will not be found; a copy saved again by another PDF program may read whole";
    assert!(run.stderr.contains(unreadable), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches(": warning:").count(),
        1,
        "{}",
        run.stderr
    );
    let claim = site.read("claims/claim-c/index.html");
    assert!(
        !claim.contains("not verified"),
        "every quote is verified: {claim}"
    );
    let page = site.read("sources/source-s/index.html");
    assert!(page.contains("on 6 pages"), "{page}");
    // Which form of the loop is left out does not vary from one build to the next.
    for _ in 0..6 {
        site.build_within(std::time::Duration::from_secs(60))
            .expect_code(0);
    }
    // The page without a size has no text to read; a quote from it is not found, and the
    // error says that page could not be read.
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[(Some("p. 3"), "Page three has no size.")]),
    );
    let run = site
        .build_within(std::time::Duration::from_secs(60))
        .expect_code(1);
    assert!(
        run.stderr
            .contains("quote not found in the snapshot of source `source-s`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("; page 3 of it could not be read\n"),
        "{}",
        run.stderr
    );
    // A PDF none of whose pages can be read is an error at the file, as one it cannot open.
    let sizeless = "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>".to_string();
    site.write_bytes(
        "content/sources/source-s.pdf",
        &pdf_of_objects(
            &[
                "<< /Type /Catalog /Pages 2 0 R >>".into(),
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
                sizeless,
                pdf_stream("", "BT (Unread.) Tj ET"),
            ],
            "",
        ),
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains(
            "content/sources/source-s.pdf: error: the PDF could not be read (its structure is damaged)"
        ),
        "{}",
        run.stderr
    );
}

/// A web archive holding a request, a redirect, an image and two pages; the source's
/// `url` picks its page.
fn archive_records(url: &str) -> Vec<Vec<u8>> {
    vec![
        warc_record("request", url, b"GET /a HTTP/1.1\r\nHost: news.test\r\n\r\n"),
        warc_record("response", "https://news.test/img.png", &http_response("image/png", b"\x89PNG")),
        warc_record("response", "https://news.test/other", &http_response("text/html", b"<p>Another page entirely.</p>")),
        warc_record(
            "response",
            url,
            &http_response("text/html; charset=windows-1252", &encoding_rs::WINDOWS_1252.encode("<p>The minister said the caf\u{e9} was \u{201c}never targeted\u{201d}.</p>").0),
        ),
    ]
}

#[cfg(feature = "pdf")]
#[test]
fn web_archives_are_snapshots_read_at_the_sources_url() {
    let url = "https://news.test/a";
    let quote = "the café was \\\"never targeted\\\"";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("source-s.warc", archive_records(url).concat()),
        ("source-s.warc.gz", gzip_members(&archive_records(url))),
        ("source-s.wacz", wacz(&gzip_members(&archive_records(url)))),
    ];
    for (name, bytes) in cases {
        let site = Site::minimal();
        site.write(
            "content/sources/source-s.md",
            &format!("+++\ntitle = \"Source S\"\nurl = \"{url}\"\n+++\n"),
        );
        site.write_bytes(&format!("content/sources/{name}"), &bytes);
        site.write("content/claims/claim-c.md", &claim_citing(&[(None, quote)]));
        let run = site.build(&[]).expect_code(0);
        assert!(!run.stderr.contains("error"), "{name}: {}", run.stderr);
        let page = site.read("sources/source-s/index.html");
        assert!(
            page.contains(&format!("the response recorded for {url}")),
            "{name}: {page}"
        );
        // The other page of the archive is not what quotes are matched against.
        site.write(
            "content/claims/claim-c.md",
            &claim_citing(&[(None, "Another page entirely")]),
        );
        let run = site.build(&[]).expect_code(1);
        assert!(
            run.stderr.contains("quote not found in the snapshot"),
            "{name}: {}",
            run.stderr
        );
    }
    // Without a url, the first HTML page is read.
    let site = Site::minimal();
    site.write_bytes(
        "content/sources/source-s.warc",
        &archive_records(url).concat(),
    );
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[(None, "Another page entirely")]),
    );
    site.build(&[]).expect_code(0);
    // An archive with no page in it is an error at the file.
    site.write_bytes(
        "content/sources/source-s.warc",
        &archive_records(url)[..2].concat(),
    );
    let run = site.build(&[]).expect_code(1);
    assert!(run.stderr.contains("content/sources/source-s.warc: error: the web archive records no successful HTML or PDF response"), "{}", run.stderr);
}

#[test]
fn legacy_encoded_html_snapshots_are_decoded() {
    let site = Site::minimal();
    let page = encoding_rs::GBK.encode("<html><head><meta charset=\"gb2312\"></head><body><p>外交部发言人表示，所谓伏特台风是一个勒索软件团伙。</p></body></html>").0;
    site.write_bytes("content/sources/source-s.html", &page);
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[(None, "所谓伏特台风是一个勒索软件团伙")]),
    );
    site.build(&[]).expect_code(0);
    // Undeclared in the page: `snapshot_encoding` says, and a wrong name is caught.
    let page = encoding_rs::SHIFT_JIS
        .encode("<p>報告書によると、攻撃は続いている。</p>")
        .0;
    site.write("content/sources/source-s.html", "");
    std::fs::remove_file(site.root().join("content/sources/source-s.html")).unwrap();
    site.write_bytes("content/sources/source-s.htm", &page);
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[(None, "攻撃は続いている")]),
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("the snapshot is not UTF-8 text"),
        "{}",
        run.stderr
    );
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\nsnapshot_encoding = \"shift-jis\"\n+++\n",
    );
    site.build(&[]).expect_code(0);
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\nsnapshot_encoding = \"shift_jsi\"\n+++\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("content/sources/source-s.md:3:22: error: `shift_jsi` is not the name of a text encoding (did you mean `shift_jis`?)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("error:").count(),
        1,
        "one mistake, one diagnostic: {}",
        run.stderr
    );
}

#[test]
fn snapshot_hashes_are_checked() {
    let site = Site::minimal();
    let text = "The agencies said so.";
    site.write("content/sources/source-s.txt", text);
    let source = |hash: &str| {
        format!(
            "+++\ntitle = \"Source S\"\nsnapshot_captured = 2024-04-15\nsnapshot_sha256 = \"{hash}\"\n+++\n"
        )
    };
    let good = sha256_hex(text.as_bytes());
    site.write("content/sources/source-s.md", &source(&good));
    site.write(
        "content/claims/claim-c.md",
        &claim_citing(&[(None, "the agencies said so")]),
    );
    site.build(&[]).expect_code(0);
    let page = site.read("sources/source-s/index.html");
    assert!(
        page.contains("<dt>Captured</dt><dd>15 April 2024</dd>")
            && page.contains(&format!(
                "<code class=\"hash\">{good}</code> (as recorded at capture)"
            )),
        "{page}"
    );
    let json = site.read("dossier.json");
    assert!(
        json.contains(&format!("\"snapshot_sha256\": \"{good}\""))
            && json.contains("\"snapshot_captured\": \"2024-04-15\""),
        "{json}"
    );
    // Upper-case hexadecimal is the same hash.
    site.write("content/sources/source-s.md", &source(&good.to_uppercase()));
    site.build(&[]).expect_code(0);
    site.write("content/sources/source-s.md", &source(&good));
    // The file changed since capture.
    site.write("content/sources/source-s.txt", "The agencies said so!");
    let now = sha256_hex(b"The agencies said so!");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains(&format!("content/sources/source-s.md:4:20: error: the snapshot `content/sources/source-s.txt` has changed since it was captured: its SHA-256 is now {now}, and `snapshot_sha256` records {good}")),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("error:").count(),
        1,
        "one mistake, one diagnostic: {}",
        run.stderr
    );
    // Not a hash at all.
    site.write("content/sources/source-s.md", &source("abc123"));
    let run = site.build(&[]).expect_code(1);
    assert!(run.stderr.contains("content/sources/source-s.md:4:20: error: `snapshot_sha256` must be a SHA-256 in hexadecimal: 64 digits 0-9 and a-f"), "{}", run.stderr);
    // A hash with no snapshot.
    std::fs::remove_file(site.root().join("content/sources/source-s.txt")).unwrap();
    site.write("content/sources/source-s.md", &source(&good));
    site.write("content/claims/claim-c.md", MIN_CLAIM);
    let run = site.build(&[]).expect_code(1);
    assert!(run.stderr.contains("content/sources/source-s.md:4:20: error: `snapshot_sha256` is given, but source `source-s` has no snapshot"), "{}", run.stderr);
}

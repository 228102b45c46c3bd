//! Hostile content, through the binary: links out of the site, awkward names, huge and
//! deeply nested files, very long lines, markup in every field, URLs with quotes. (NUL
//! bytes, a BOM, CRLF line endings, front matter alone, an empty file and `+++` inside a
//! code block are in `tests/errors.rs`.)

use crate::common;

use std::fs;
use std::path::Path;

use common::*;

/// Every file under `out`, as text (lossy), with its path relative to `out`.
fn output_files(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().display().to_string();
            (
                rel,
                String::from_utf8_lossy(&fs::read(e.path()).unwrap()).into_owned(),
            )
        })
        .collect()
}

#[test]
fn symbolic_links_are_never_followed_out_of_the_site() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"SECRET-MARKER\"\n+++\nSECRET-MARKER\n",
    )
    .unwrap();
    fs::write(outside.path().join("secret.png"), "SECRET-MARKER").unwrap();
    let site = Site::minimal();
    let content = site.root().join("content");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), content.join("secret.md"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), content.join("outside")).unwrap();
    std::os::unix::fs::symlink(&content, content.join("claims/loop")).unwrap();
    std::os::unix::fs::symlink("self-loop", content.join("self-loop")).unwrap();
    let run = site.build(&[]).expect_code(0);
    for link in [
        "content/secret.md",
        "content/outside",
        "content/claims/loop",
        "content/self-loop",
    ] {
        assert!(
            run.stderr.contains(&format!(
                "{link}: warning: a symbolic link: links are not followed"
            )),
            "{link}:\n{}",
            run.stderr
        );
    }
    for (rel, text) in output_files(&site.out()) {
        assert!(
            !text.contains("SECRET-MARKER"),
            "{rel} holds the linked file"
        );
    }
    assert!(!site.out().join("outside").exists());
}

#[test]
fn names_with_spaces_unicode_or_differing_in_case_make_working_links() {
    let site = Site::minimal();
    site.write(
        "content/über notes/index.md",
        "+++\ntitle = \"Notes\"\n+++\nSee [the café](café.md), [the others](<../My Notes.md>), ![a picture](<my pic.png>) and [[claim-c]].\n",
    );
    site.write(
        "content/über notes/café.md",
        "+++\ntitle = \"Café\"\n+++\nText.\n",
    );
    site.write("content/über notes/my pic.png", "not really a picture");
    site.write(
        "content/My Notes.md",
        "+++\ntitle = \"Upper\"\n+++\nText.\n",
    );
    site.write(
        "content/my notes.md",
        "+++\ntitle = \"Lower\"\n+++\nText.\n",
    );
    site.write(
        "content/claims/Claim C2.md",
        "+++\ntitle = \"x\"\nclaimants = [\"actor-a\"]\ndate = 2024\n+++\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("content/claims/Claim C2.md: error: invalid id `Claim C2`")
            && run.stderr.contains("(did you mean `claim-c2`?)"),
        "a claim's file name must be an id, and the nearest one is suggested:\n{}",
        run.stderr
    );
    fs::remove_file(site.root().join("content/claims/Claim C2.md")).unwrap();
    let run = site.build(&[]).expect_code(0);
    assert!(
        run.stderr
            .contains("warning: `my notes` and `My Notes` differ only in case"),
        "{}",
        run.stderr
    );
    let out = site.out();
    for file in [
        "über notes/index.html",
        "über notes/café/index.html",
        "über notes/my pic.png",
        "my notes/index.html",
        "My Notes/index.html",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let page = site.read("über notes/index.html");
    for href in [
        "/%C3%BCber%20notes/caf%C3%A9/",
        "/My%20Notes/",
        "/%C3%BCber%20notes/my%20pic.png",
        "https://example.com/%C3%BCber%20notes/",
    ] {
        assert!(page.contains(href), "{href} in\n{page}");
    }
    assert_eq!(broken_links(&out, "/"), Vec::<String>::new());
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.com/%C3%BCber%20notes/caf%C3%A9/</loc>")
    );
}

#[test]
fn a_50_mb_markdown_file_builds() {
    let site = Site::minimal();
    let paragraph = "Words of a long report, one sentence after another, with a [link](https://example.com) and *emphasis*. ".repeat(10) + "\n\n";
    let body = paragraph.repeat(50 * 1024 * 1024 / paragraph.len() + 1);
    site.write(
        "content/report.md",
        &format!("+++\ntitle = \"Report\"\n+++\n{body}"),
    );
    assert!(
        fs::metadata(site.root().join("content/report.md"))
            .unwrap()
            .len()
            > 50 * 1024 * 1024
    );
    site.build(&[]).expect_code(0);
    let size = fs::metadata(site.out().join("report/index.html"))
        .unwrap()
        .len();
    assert!(size > 50 * 1024 * 1024, "{size}");
}

#[test]
fn ten_thousand_levels_of_nesting() {
    let site = Site::minimal();
    let quotes = ">".repeat(10_000) + " deep\n";
    let lists = "- ".repeat(10_000) + "deep\n";
    let indented: String = (0..2_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let brackets = "[a ".repeat(10_000) + &"]".repeat(10_000) + "\n";
    site.write(
        "content/deep.md",
        &format!("+++\ntitle = \"Deep\"\n+++\n{quotes}\n{lists}\n{indented}\n{brackets}"),
    );
    site.build(&[]).expect_code(0);
    let page = site.read("deep/index.html");
    assert!(page.matches("<blockquote>").count() >= 10_000);
    // Nesting in front matter is an error, not a crash.
    let toml_deep = format!(
        "+++\ntitle = \"T\"\ntags = {}{}\n+++\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let yaml_deep = format!(
        "---\ntitle: T\ntags: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let yaml_blocks = format!(
        "---\ntitle: T\ntags:\n{}---\n",
        (0..100_000)
            .map(|i| format!("{}- \n", " ".repeat(i % 3000)))
            .collect::<String>()
    );
    // Refused early with the depth limit, at the line where it is passed.
    for (name, text, line) in [
        ("toml", toml_deep, 3),
        ("yaml", yaml_deep, 3),
        ("yaml blocks", yaml_blocks, 67),
    ] {
        site.write("content/claims/deep.md", &text);
        let run = site.build(&[]).expect_code(1);
        assert!(
            run.stderr
                .contains(&format!("content/claims/deep.md:{line}:"))
                && run
                    .stderr
                    .contains("invalid front matter: nested more than 64 levels deep"),
            "{name}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn lines_of_a_million_characters() {
    let site = Site::minimal();
    let long = "word ".repeat(200_000);
    let body = format!(
        "{long}\n\n{}\n\n{}\n\n{}\n\n{}\n",
        "[".repeat(1_000_000),
        "[@".repeat(500_000),
        "[[".repeat(500_000),
        "`".repeat(100_000)
    );
    site.write(
        "content/long.md",
        &format!("+++\ntitle = \"{}\"\n+++\n{body}", "T".repeat(1_000_000)),
    );
    site.write(
        "content/claims/claim-c.md",
        &format!(
            "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\nsummary = \"{}\"\n\n[[citations]]\nsource = \"source-s\"\nquote = \"{}\"\n+++\n{body}",
            "s".repeat(1_000_000),
            "q".repeat(1_000_000)
        ),
    );
    site.build(&[]).expect_code(0);
    assert!(site.read("long/index.html").len() > 3_000_000);
}

/// Markup that must come out as text wherever a field is shown.
const PAYLOAD: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&";

#[test]
fn markup_in_every_field_is_escaped_everywhere() {
    let p = PAYLOAD.replace('\\', "\\\\").replace('"', "\\\"");
    let site = Site::minimal();
    site.write(
        "site.toml",
        &format!("title = \"{p}\"\ndescription = \"{p}\"\nbase_url = \"https://example.com/\"\n"),
    );
    site.write(
        "content/_index.md",
        &format!("+++\ntitle = \"{p}\"\n+++\nIntro {PAYLOAD}\n"),
    );
    site.write(
        "content/actors/actor-a.md",
        &format!("+++\ntitle = \"{p}\"\nkind = \"agency\"\ncountry = \"{p}\"\nurl = \"https://example.com/a'b\"\naliases = [\"{p}\"]\n+++\n{PAYLOAD}\n"),
    );
    site.write(
        "content/sources/source-s.md",
        &format!("+++\ntitle = \"{p}\"\nkind = \"report\"\npublisher = \"{p}\"\nauthors = [\"{p}\"]\ndate = 2024-01-01\nurl = \"https://example.com/s?a=1&b='2'\"\narchive_url = \"https://web.archive.org/web/2024/https://example.com/s?a=1&b='2'\"\nlanguage = \"zh-CN\"\ntitle_translation = \"{p}\"\npublished_by = \"actor-a\"\n+++\n{PAYLOAD}\n"),
    );
    site.write(
        "content/claims/claim-c.md",
        &format!("+++\ntitle = \"{p}\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\ntags = [\"{p}\"]\nsummary = \"{p}\"\n\n[assessment]\nrating = \"{p}\"\nsummary = \"{p}\"\n\n[[citations]]\nsource = \"source-s\"\nlocator = \"{p}\"\nquote = \"{p}\"\nquote_translation = \"{p}\"\ncredibility = 2\nnote = \"{p}\"\n+++\n{PAYLOAD} [@source-s, {PAYLOAD}] [[actor-a|{PAYLOAD}]]\n"),
    );
    site.write(
        "content/notes.md",
        &format!("+++\ntitle = \"{p}\"\ndescription = \"{p}\"\n+++\n{PAYLOAD}\n[a link](<https://example.com/\"onmouseover=alert(1)>)\n"),
    );
    let run = site.build(&[]).expect_code(0);
    let files = output_files(&site.out());
    assert!(files.len() > 15);
    let mut pages = 0;
    for (rel, text) in &files {
        if rel.ends_with(".html") {
            pages += 1;
            let bad = html_injections(text);
            assert!(bad.is_empty(), "{rel}: {bad:?}");
        } else if rel.ends_with(".xml") {
            assert!(!text.contains("<script") && !text.contains("<img"), "{rel}");
            if rel == "atom.xml" {
                assert!(text.contains("&lt;script&gt;"), "{rel} shows the text");
            }
        } else if rel == "dossier.json" {
            let json: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                json["claims"][0]["title"], PAYLOAD,
                "JSON keeps the text exactly"
            );
            assert_eq!(json["sources"][0]["publisher"], PAYLOAD);
        } else if rel == "dossier.stix.json" {
            let json: serde_json::Value = serde_json::from_str(text).unwrap();
            let notes: Vec<&serde_json::Value> = json["objects"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| o["type"] == "note")
                .collect();
            assert_eq!(notes[0]["abstract"], PAYLOAD, "STIX keeps the text");
        } else if rel == "bibliography.json" {
            let json: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(json[0]["publisher"], PAYLOAD, "CSL-JSON keeps the text");
        }
    }
    assert!(pages > 10, "{pages}");
    let claim = site.read("claims/claim-c/index.html");
    // The JSON-LD script holds the text, every `<` written as a JSON escape.
    let ld = claim
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("a JSON-LD script");
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    let node = &ld["@graph"][0];
    // A reviewed claim is inside its review.
    let claim_node = match node["@type"].as_str() {
        Some("ClaimReview") => {
            assert_eq!(node["claimReviewed"], PAYLOAD);
            &node["itemReviewed"]
        }
        _ => node,
    };
    assert_eq!(claim_node["name"], PAYLOAD);
    assert!(
        claim.matches("&lt;script&gt;alert(").count() >= 8,
        "the payload shows as text"
    );
    let source = site.read("sources/source-s/index.html");
    assert!(
        hrefs(&source).contains(&"https://example.com/s?a=1&b='2'".to_string()),
        "an URL with quotes stays one attribute value"
    );
    // URLs with double quotes or angle brackets are refused, with the encoded form offered.
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"S\"\nurl = \"https://example.com/a\\\"b<c>\"\n+++\n",
    );
    let run2 = site.build(&[]).expect_code(1);
    assert!(
        run2.stderr.contains("content/sources/source-s.md:3:1: error: `url` must be an http or https URL without spaces, double quotes or angle brackets")
            && run2.stderr.contains("(did you mean `https://example.com/a%22b%3Cc%3E`?)"),
        "{}\n{}",
        run2.stderr,
        run.stderr
    );
}

/// Elements and attributes in `html` that only injected markup would produce: a
/// `script` element with content (other than JSON-LD without a `<`), an `img` with
/// `src=x`, any `on…` attribute.
fn html_injections(html: &str) -> Vec<String> {
    use html5gum::{Token, Tokenizer};
    let mut found = Vec::new();
    let mut in_script = false;
    let mut in_data = false;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(t) => {
                let name = String::from_utf8_lossy(&t.name).into_owned();
                in_script = name == "script";
                in_data = in_script
                    && t.attributes
                        .get(b"type".as_slice())
                        .is_some_and(|v| v.value == b"application/ld+json".as_slice());
                for (attr, value) in &t.attributes {
                    let attr = String::from_utf8_lossy(attr);
                    let value: &[u8] = &value.value;
                    if attr.starts_with("on") {
                        found.push(format!("<{name} {attr}=…>"));
                    }
                    if name == "img" && attr == "src" && value == b"x" {
                        found.push("<img src=x>".into());
                    }
                    if attr == "href" && value.starts_with(b"javascript:") {
                        found.push(format!("<{name} href=javascript:…>"));
                    }
                }
            }
            Token::String(s) if in_data && !s.contains(&b'<') => {}
            Token::String(s) if in_script && s.contains(&b'a') => {
                found.push(format!("script: {}", String::from_utf8_lossy(&s)));
            }
            Token::EndTag(_) => {
                in_script = false;
                in_data = false;
            }
            _ => {}
        }
    }
    found
}

/// Every `href` in `html` as a browser reads it (entities decoded).
fn hrefs(html: &str) -> Vec<String> {
    use html5gum::{Token, Tokenizer};
    Tokenizer::new(html)
        .flatten()
        .filter_map(|t| match t {
            Token::StartTag(t) => t
                .attributes
                .get(&b"href"[..])
                .map(|v| String::from_utf8_lossy(&v.value).into_owned()),
            _ => None,
        })
        .collect()
}

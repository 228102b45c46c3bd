//! The example dossier checked by real tools: every HTML page through the Nu Html
//! Checker, and the reader's pages in headless Chromium (axe-core, overflow, console
//! errors, search, citation previews; see `tests/browser/check.mjs`). The site is built
//! under a sub-path and served by a plain static file server on a loopback port.
//!
//! These tests need Node packages (`npm ci`), Java and Chromium; `.ci/run` installs them.
//! Without them the tests say what is missing and pass, except on CI (`CI` set), where
//! they fail.

use crate::common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// What is missing to run the browser tools, if anything.
fn missing_tools() -> Option<String> {
    let root = repo_root();
    let mut missing = Vec::new();
    if !root.join("node_modules/playwright-core").is_dir() {
        missing.push("the Node packages (run `npm ci`)");
    }
    if Command::new("java").arg("-version").output().is_err() {
        missing.push("Java (for the Nu Html Checker)");
    }
    if !Path::new(&chromium()).exists() {
        missing.push("Chromium (Debian's `chromium` package)");
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Skips (outside CI) or fails (on CI) when the tools are missing.
fn tools_or_skip(test: &str) -> bool {
    match missing_tools() {
        None => true,
        Some(m) if std::env::var_os("CI").is_some() => panic!("{test}: missing {m}"),
        Some(m) => {
            eprintln!("{test}: skipped, missing {m}; `bash .ci/run` installs them");
            false
        }
    }
}

/// Serves `dir` at `http://127.0.0.1:PORT/<prefix>` as a plain static host would:
/// files as they are, `index.html` for folders, 404 otherwise.
fn serve(listener: TcpListener, dir: PathBuf, prefix: &'static str) {
    let server = tiny_http::Server::from_listener(listener, None).unwrap();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let url = request.url().split('?').next().unwrap_or("").to_string();
            let rel = url.strip_prefix(prefix).map(|r| {
                percent_encoding::percent_decode_str(r)
                    .decode_utf8_lossy()
                    .into_owned()
            });
            let file = rel.map(|r| {
                let p = dir.join(&r);
                if r.is_empty() || r.ends_with('/') {
                    p.join("index.html")
                } else {
                    p
                }
            });
            let response = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
                Some((f, bytes)) => {
                    let mime = match f.extension().and_then(|e| e.to_str()) {
                        Some("html") => "text/html; charset=utf-8",
                        Some("txt") => "text/plain; charset=utf-8",
                        Some("pdf") => "application/pdf",
                        Some("css") => "text/css",
                        Some("js") => "text/javascript",
                        Some("json") => "application/json",
                        Some("xml") => "application/xml",
                        _ => "application/octet-stream",
                    };
                    tiny_http::Response::from_data(bytes)
                        .with_header(tiny_http::Header::from_bytes("Content-Type", mime).unwrap())
                }
                None => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
}

#[test]
fn every_page_of_the_example_passes_the_nu_html_checker() {
    if !tools_or_skip("nu html checker") {
        return;
    }
    let site = Site::example();
    site.build(&[]).expect_code(0);
    let jar = repo_root().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(site.out())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "the checker's report is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let errors: Vec<String> = report["messages"]
        .as_array()
        .expect("a list of messages")
        .iter()
        .map(|m| format!("{}:{}: {}", m["url"], m["lastLine"], m["message"]))
        .collect();
    let pages = walkdir::WalkDir::new(site.out())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(pages >= 60, "only {pages} HTML pages were checked");
    assert!(
        out.status.success() && errors.is_empty(),
        "the Nu Html Checker found {} errors in the example's {pages} pages:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn the_reader_pages_pass_axe_and_search_and_previews_work_in_chromium() {
    if !tools_or_skip("browser") {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/sub/dossier/");
    let site = Site::example();
    site.build(&["--base-url", &base]).expect_code(0);
    serve(listener, site.out(), "/sub/dossier/");
    let (ok, report) = run_checks(std::slice::from_ref(&base));
    eprintln!("{report}");
    assert!(ok, "browser checks failed:\n{report}");
    // Every page and width was checked, and the interactive checks ran.
    assert_eq!(
        report.matches(": axe found no violation").count(),
        28,
        "{report}"
    );
    assert!(
        report.contains(
            "claim pages at 390px link the first opposing claim within two screen heights"
        ) && report.contains("map at 390px: the drawing gives way to its list"),
        "{report}"
    );
    assert!(
        report.contains("search: arrow keys move through the results"),
        "{report}"
    );
    assert!(report.contains("preview on focus shows"), "{report}");
}

#[test]
fn bibliography_json_is_read_by_a_csl_processor() {
    if !tools_or_skip("csl") {
        return;
    }
    let site = Site::example();
    site.build(&[]).expect_code(0);
    let out = Command::new("node")
        .arg(repo_root().join("tests/browser/csl.mjs"))
        .arg(site.out().join("bibliography.json"))
        .current_dir(repo_root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let sources = data["sources"].as_array().unwrap();
    for s in sources {
        let id = s["id"].as_str().unwrap();
        assert!(
            text.contains(&format!("id: {id}\n")),
            "{id} missing:\n{text}"
        );
    }
    // One formatted entry per source, with what APA takes from the fields.
    let entries = text.lines().filter(|l| !l.starts_with("id: ")).count();
    assert_eq!(entries, sources.len(), "{text}");
    assert!(text.contains("(2024). Volt Typhoon: A Conspiratorial Swindling Campaign"));
    assert!(text.contains("[Statement]. Ministry of Foreign Affairs"));
    assert!(text.contains("https://www.microsoft.com/en-us/security/blog/2023/05/24/"));
    // The archived copy as a sentence, names in APA's form, a family name first kept so.
    assert!(
        text.contains("(Archived at https://web.archive.org/web/2023/https://www.microsoft.com/"),
        "{text}"
    );
    assert!(text.contains("Fokker, J. (2024)"), "{text}");
    assert!(text.contains("Mao N. (2023)"), "{text}");
}

#[test]
fn search_finds_chinese_words_inside_clauses_and_words_folded_as_in_each_script() {
    if !tools_or_skip("search_languages") {
        return;
    }
    let site = Site::minimal();
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"关于伏特台风的调查报告\"\nlanguage = \"zh-CN\"\n+++\n\n报告称伏特台风是一个国际勒索软件团伙。\n",
    );
    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"source-s\"\n+++\n\nUne campagne de désinformation, selon l'Agence.\n",
    );
    site.write(
        "content/sources/source-ru.md",
        "+++\ntitle = \"Новогодняя ЁЛКА\"\nlanguage = \"ru\"\n+++\n\nЁлка стоит. Йод и соль.\n",
    );
    site.write(
        "content/sources/source-ar.md",
        "+++\ntitle = \"تقرير عربي\"\nlanguage = \"ar\"\n+++\n\nقالت وزارة الأمن إن المدرسة أُغلقت في ٢٠٢٤.\n",
    );
    site.write(
        "content/sources/source-fa.md",
        "+++\ntitle = \"گزارش فارسی\"\nlanguage = \"fa\"\n+++\n\nکتاب دربارهٔ ایران.\n",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/");
    site.build(&["--base-url", &base]).expect_code(0);
    serve(listener, site.out(), "/");
    let r = browser_json(
        "search.mjs",
        &[
            base.as_str(),
            "勒索软件",
            "desinformation",
            "DÉSINFORMATION",
            "agence",
            "台风",
            "елка",
            "йод",
            "иод",
            "الامن",
            "المدرسه",
            "ايران",
            "كتاب",
            "2024",
        ],
    );
    let titles = |q: &str| -> Vec<String> {
        r[q]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["title"].as_str().unwrap().to_string())
            .collect()
    };
    let marks = |q: &str| -> Vec<String> {
        r[q]["results"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|x| {
                x["marks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_str().unwrap().to_string())
            })
            .collect()
    };
    // A Chinese word inside a clause, with no space around it.
    assert_eq!(titles("勒索软件"), ["关于伏特台风的调查报告"], "{r}");
    assert!(
        marks("勒索软件")
            .iter()
            .any(|m| m.contains("勒索") && m.contains("软件"))
            || marks("勒索软件").len() >= 2,
        "{r}"
    );
    assert!(
        titles("台风").contains(&"关于伏特台风的调查报告".to_string()),
        "{r}"
    );
    // A word without its accents, or in capitals, finds and marks it as written.
    for q in ["desinformation", "DÉSINFORMATION"] {
        assert_eq!(titles(q), ["Claim C"], "{q}: {r}");
        assert!(marks(q).contains(&"désinformation".to_string()), "{q}: {r}");
    }
    assert!(marks("agence").contains(&"Agence".to_string()), "{r}");
    // Cyrillic: ё is searched as е, but й is a letter of its own.
    assert_eq!(titles("елка"), ["Новогодняя ЁЛКА"], "{r}");
    assert!(marks("елка").contains(&"Ёлка".to_string()), "{r}");
    assert_eq!(titles("йод"), ["Новогодняя ЁЛКА"], "{r}");
    assert!(titles("иод").is_empty(), "{r}");
    // Arabic and Persian: alef forms, ta marbuta, yeh and kaf, marked as written.
    for (q, title, written) in [
        ("الامن", "تقرير عربي", "الأمن"),
        ("المدرسه", "تقرير عربي", "المدرسة"),
        ("ايران", "گزارش فارسی", "ایران"),
        ("كتاب", "گزارش فارسی", "کتاب"),
    ] {
        assert_eq!(titles(q), [title], "{q}: {r}");
        assert!(
            marks(q)
                .iter()
                .any(|m| written.contains(m.as_str()) && !m.is_empty()),
            "{q}: {r}"
        );
    }
    // Arabic-Indic digits are found by 0-9.
    assert!(titles("2024").contains(&"تقرير عربي".to_string()), "{r}");
}

/// Runs the script `tests/browser/<script>` with `args` in Chromium and gives the JSON it
/// prints, failing the test if it failed or saw an error in a page.
fn browser_json(script: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new("node")
        .arg(repo_root().join("tests/browser").join(script))
        .args(args)
        .env("CHROMIUM", chromium())
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["errors"], serde_json::json!([]), "{script}: {r}");
    r
}

/// Runs `tests/browser/check.mjs` with `args` in Chromium: whether it passed, and what it
/// printed.
fn run_checks(args: &[String]) -> (bool, String) {
    let out = Command::new("node")
        .arg(repo_root().join("tests/browser/check.mjs"))
        .args(args)
        .env("CHROMIUM", chromium())
        .current_dir(repo_root())
        .output()
        .unwrap();
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), report)
}

/// Runs the Nu Html Checker over every page under `dir`; panics with its errors.
fn assert_valid_html(dir: &std::path::Path, what: &str) {
    let jar = repo_root().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let vnu = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        vnu.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&vnu.stderr)
    );
}

/// Runs axe in Chromium on the site served at `base` (its `pages`, or the example's), at
/// both widths, and checks that `runs` page×width runs found no violation.
fn assert_axe_clean(base: &str, pages: &[&str], runs: usize, what: &str) {
    let mut args = vec![base.to_string(), "--axe-only".to_string()];
    if !pages.is_empty() {
        args.push(format!("--pages={}", pages.join(",")));
    }
    let (ok, report) = run_checks(&args);
    assert!(ok, "{what}: {report}");
    assert_eq!(
        report.matches(": axe found no violation").count(),
        runs,
        "{what}: {report}"
    );
}

#[test]
fn every_shipped_interface_passes_the_nu_html_checker_and_french_and_chinese_pass_axe() {
    if !tools_or_skip("translated interfaces") {
        return;
    }
    // Every page of the example in each language the theme ships (Arabic's axe run is
    // in the right-to-left test).
    for language in ["de", "es", "ru", "uk", "ar", "fa"] {
        let site = Site::example_in(language);
        site.build(&[]).expect_code(0);
        assert_valid_html(&site.out(), language);
    }
    for language in ["fr", "zh-CN"] {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}/");
        let site = Site::example_in(language);
        site.build(&["--base-url", &base]).expect_code(0);
        assert!(
            site.read("index.html")
                .contains(&format!("<html lang=\"{language}\">"))
        );
        assert_valid_html(&site.out(), language);
        serve(listener, site.out(), "/");
        assert_axe_clean(&base, &[], 18, language);
    }
}

#[test]
fn a_translated_edition_passes_the_checkers_and_searches_its_own_language() {
    if !tools_or_skip("translated editions") {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/sub/");
    let site = Site::bilingual();
    site.build(&["--base-url", &base]).expect_code(0);
    assert_valid_html(&site.out(), "both editions");
    serve(listener, site.out(), "/sub/");
    // Both editions' pages, the translated and the untranslated, through axe.
    let pages = [
        "",
        "fr/",
        "claims/attack/",
        "fr/claims/attack/",
        "fr/claims/denial/",
        "fr/claims/",
        "fr/actors/",
        "fr/map/",
        "fr/search/",
    ];
    assert_axe_clean(&base, &pages, 2 * pages.len(), "both editions");
    // Each edition's search page searches its own index, and links within its edition.
    let search = |edition: &str, queries: &[&str]| -> serde_json::Value {
        let url = format!("{base}{edition}");
        let args: Vec<&str> = [url.as_str()]
            .into_iter()
            .chain(queries.iter().copied())
            .collect();
        browser_json("search.mjs", &args)
    };
    let fr = search("fr/", &["desinformation", "denies"]);
    let found = &fr["desinformation"]["results"];
    assert_eq!(found.as_array().unwrap().len(), 1, "{fr}");
    assert_eq!(found[0]["title"], "Le groupe X a attaqué les ports", "{fr}");
    assert_eq!(found[0]["href"], format!("{base}fr/claims/attack/"), "{fr}");
    assert!(
        found[0]["marks"].to_string().contains("désinformation"),
        "{fr}"
    );
    // An untranslated claim is found in the edition, as written.
    assert_eq!(
        fr["denies"]["results"][0]["href"],
        format!("{base}fr/claims/denial/"),
        "{fr}"
    );
    let en = search("", &["desinformation", "attacked"]);
    assert_eq!(
        en["desinformation"]["results"],
        serde_json::json!([]),
        "{en}"
    );
    assert_eq!(
        en["attacked"]["results"][0]["href"],
        format!("{base}claims/attack/"),
        "{en}"
    );
}

#[test]
fn a_dispute_among_many_parties_passes_the_checkers_at_both_widths() {
    if !tools_or_skip("many-party dispute") {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/");
    let site = Site::many_parties();
    site.build(&["--base-url", &base]).expect_code(0);
    assert_valid_html(&site.out(), "six positions");
    serve(listener, site.out(), "/");
    // The home page's positions, the map and a claim's local map, with no overflow.
    let pages = ["", "map/", "claims/nyt-group/", "claims/hersh-navy/"];
    assert_axe_clean(&base, &pages, 2 * pages.len(), "six positions");
}

#[test]
fn a_large_dossier_s_print_parts_and_summarised_home_page_pass_the_checkers() {
    if !tools_or_skip("print parts and summarised home page") {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/");
    let site = generated(600);
    site.build(&["--base-url", &base]).expect_code(0);
    assert!(
        site.read("index.html")
            .contains("more claims of this position")
    );
    assert_valid_html(&site.out().join("print"), "the print edition's four parts");
    let home = tempfile::tempdir().unwrap();
    std::fs::copy(
        site.out().join("index.html"),
        home.path().join("index.html"),
    )
    .unwrap();
    assert_valid_html(home.path(), "the summarised home page");
    serve(listener, site.out(), "/");
    let pages = ["", "print/2/"];
    assert_axe_clean(
        &base,
        &pages,
        2 * pages.len(),
        "print parts and summarised home page",
    );
}

/// Sources whose pages repeat the phrases their claims quote: a long news page (a
/// phrase quoted where it also occurs twice more, a long quote whose first words open
/// an earlier sentence, a quote across two paragraphs, one with words left out, one with
/// typographic quotes, a dash, a comma and an ampersand), a PDF quoted on its second
/// page, and the quote texts by claim.
fn repeated_phrases_site() -> Site {
    let site = Site::minimal();
    let filler: String = (0..300)
        .map(|i| format!("<p>Background paragraph {i}, about other matters.</p>\n"))
        .collect();
    let page = format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>News</title></head><body>\n{filler}\
         <p>The operation, which began in December, stayed secret.</p>\n\
         <p>Officials said <em>the botnet was removed</em> on 31 January.</p>\n\
         <p>Critics replied that the botnet was removed only in part.</p>\n\
         <p>The operation, which the Justice Department described in a statement on 31 January 2024, disabled hundreds of routers in small offices and homes across the country, according to the filing.</p>\n\
         <p>“Quoted” words – with a dash, a comma &amp; an ampersand.</p>\n\
         <p>Caf&eacute; owners said the botnet was removed at last.</p>\n{filler}</body></html>\n"
    );
    site.write("content/sources/news.html", &page);
    site.write(
        "content/sources/news.md",
        "+++\ntitle = \"News\"\nurl = \"https://example.org/news/a?x=1&y=2\"\narchive_url = \"https://web.archive.org/web/20240201000000/https://example.org/news/a\"\narchived = 2024-02-01\n+++\n",
    );
    let pdf = fixtures::pdf(
        &[
            &["A first page about routers."],
            &["The second page says the routers were old."],
        ],
        &[],
    );
    site.write_bytes("content/sources/filing.pdf", &pdf);
    site.write(
        "content/sources/filing.md",
        "+++\ntitle = \"Filing\"\nurl = \"https://example.org/filing.pdf\"\narchive_url = \"https://web.archive.org/web/2024/https://example.org/filing.pdf\"\n+++\n",
    );
    let quotes = [
        ("news", "the botnet was removed"),
        (
            "news",
            "The operation, which the Justice Department described in a statement on 31 January 2024, disabled hundreds of routers",
        ),
        (
            "news",
            "removed only in part. The operation, which the Justice",
        ),
        ("news", "Critics replied … only in part"),
        (
            "news",
            "\"Quoted\" words - with a dash, a comma & an ampersand.",
        ),
        ("filing", "the routers were old"),
    ];
    for (i, (source, quote)) in quotes.iter().enumerate() {
        site.write(
            &format!("content/claims/claim-{i}.md"),
            &format!(
                "+++\ntitle = \"Claim {i}\"\nclaimants = [\"actor-a\"]\ndate = 2024-02-0{}\n\n[[citations]]\nsource = \"{source}\"\nquote = {}\n+++\n\nBody.\n",
                i + 1,
                serde_json::to_string(quote).unwrap()
            ),
        );
    }
    site
}

#[cfg(feature = "pdf")]
#[test]
fn a_verified_quote_s_link_finds_exactly_the_quoted_words_on_its_page() {
    if !tools_or_skip("fragments") {
        return;
    }
    // The example, its two snapshots given live addresses, and the repeated phrases.
    let example = Site::example();
    let mut snapshots = serde_json::Map::new();
    for id in ["pentagon-cyberum-2024", "cmg-2024-04-us-victim"] {
        let file = format!("content/sources/{id}.md");
        let text = std::fs::read_to_string(example.root().join(&file)).unwrap();
        let text = text.replacen(
            "+++\ntitle",
            &format!(
                "+++\nurl = \"https://example.org/seed/{id}\"\narchive_url = \"https://web.archive.org/web/2024/https://example.org/seed/{id}\"\narchived = 2024-05-01\ntitle"
            ),
            1,
        );
        example.write(&file, &text);
        snapshots.insert(id.into(), format!("sources/{id}.txt").into());
    }
    let repeated = repeated_phrases_site();
    snapshots.insert("news".into(), "sources/news.html".into());
    snapshots.insert("filing".into(), "sources/filing.pdf".into());
    let mut reports = Vec::new();
    for (site, scroll) in [(&example, false), (&repeated, true)] {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}/site/");
        let built = site.build(&["--base-url", &base]).expect_code(0);
        assert!(!built.stderr.contains("warning"), "{}", built.stderr);
        let claims = std::fs::read_dir(site.out().join("claims")).unwrap();
        let pages: Vec<String> = claims
            .map(|e| format!("claims/{}/", e.unwrap().file_name().to_string_lossy()))
            .collect();
        serve(listener, site.out(), "/site/");
        let snap_listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let snap_port = snap_listener.local_addr().unwrap().port();
        serve(snap_listener, site.root().join("content"), "/content/");
        let mut cases = serde_json::json!({ "pages": pages, "snapshots": snapshots });
        if scroll {
            cases["scroll"] =
                serde_json::json!({ "source": "news", "words": "disabled hundreds of routers" });
        }
        let file = site.root().join("cases.json");
        std::fs::write(&file, cases.to_string()).unwrap();
        let out = Command::new("node")
            .arg(repo_root().join("tests/browser/fragments.mjs"))
            .arg(&base)
            .arg(format!("http://127.0.0.1:{snap_port}/content/"))
            .arg(&file)
            .current_dir(repo_root())
            .output()
            .unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("{report}");
        assert!(out.status.success(), "{report}");
        reports.push(report);
    }
    // Every verified quote was checked: the example's six, and the six repeated ones.
    assert!(
        reports[0].contains("6 linked quotes checked, 0 failed"),
        "{}",
        reports[0]
    );
    assert!(
        reports[1].contains("6 linked quotes checked, 0 failed"),
        "{}",
        reports[1]
    );
    assert!(reports[1].contains("filing \"the routers were old\": page=2"));
    assert!(reports[1].contains("Chromium scrolled the quote into view"));
    assert_valid_html(&repeated.out(), "claims with links to their quotes");
    // The repeated phrase needed context, found in its own paragraph.
    let claim = repeated.read("claims/claim-0/index.html");
    assert!(
        claim.contains(
            "href=\"https://example.org/news/a?x=1&amp;y=2#:~:text=said-,the%20botnet%20was%20removed,-on\""
        ),
        "{claim}"
    );
}

/// The example with an Arabic edition: its interface in Arabic, one claim translated with
/// English names inside its Arabic title and summary, the rest shown as written.
fn arabic_edition() -> Site {
    let site = Site::example();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[languages.ar]\ntitle = \"فولت تايفون: النزاع على نسب الهجمات\"\n"),
    );
    site.write(
        "content/claims/msft-state-sponsored.ar.md",
        "+++\ntitle = \"Volt Typhoon جهة ترعاها دولة مقرها الصين، تستهدف البنية التحتية الحيوية في الولايات المتحدة\"\nsummary = \"تسمّي Microsoft مجموعة Volt Typhoon وتنسبها إلى الدولة الصينية (2021).\"\n+++\n\nتصف Microsoft Threat Intelligence مجموعة Volt Typhoon بأنها جهة ترعاها دولة [@msft-2023-volt-typhoon].\n",
    );
    site
}

/// Whether the words of one line, left edges in reading order, read right to left, with
/// each run of Latin words (an English name) left to right within it.
fn reads_right_to_left(words: &[serde_json::Value]) -> bool {
    let latin = |w: &serde_json::Value| {
        w["word"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .any(|c| c.is_ascii_alphabetic())
    };
    let line = words[0]["top"].as_f64();
    let on_line: Vec<&serde_json::Value> =
        words.iter().filter(|w| w["top"].as_f64() == line).collect();
    on_line.len() > 2
        && on_line.windows(2).all(|p| {
            let (a, b) = (
                p[0]["left"].as_f64().unwrap_or(0.0),
                p[1]["left"].as_f64().unwrap_or(0.0),
            );
            if latin(p[0]) && latin(p[1]) {
                b > a
            } else {
                b < a
            }
        })
}

#[test]
fn an_arabic_edition_reads_right_to_left_and_passes_the_checkers_on_every_page() {
    if !tools_or_skip("right to left") {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/");
    let site = arabic_edition();
    site.build(&["--base-url", &base]).expect_code(0);
    let home = site.read("ar/index.html");
    assert!(
        home.starts_with("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"),
        "{home}"
    );
    assert_valid_html(&site.out().join("ar"), "the Arabic edition");
    serve(listener, site.out(), "/");
    // axe on every page of the Arabic edition, at both widths.
    let pages: Vec<String> = each_file(&site.out().join("ar"))
        .filter(|(rel, _)| rel.ends_with("index.html"))
        .map(|(rel, _)| format!("ar/{}", rel.trim_end_matches("index.html")))
        .collect();
    let listed: Vec<&str> = pages.iter().map(String::as_str).collect();
    assert!(listed.len() > 60, "{}", listed.len());
    assert_axe_clean(&base, &listed, 2 * listed.len(), "the Arabic edition");
    // What a reader sees, at a phone's and a desktop's width.
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rtl");
    std::fs::create_dir_all(&shots).unwrap();
    let title = "Volt Typhoon جهة ترعاها دولة مقرها الصين، تستهدف البنية التحتية الحيوية في الولايات المتحدة";
    let words = format!("--words={title}");
    let shots_dir = shots.display().to_string();
    let r = browser_json(
        "rtl.mjs",
        &[
            base.as_str(),
            shots_dir.as_str(),
            "ar/",
            "ar/claims/msft-state-sponsored/",
            "ar/map/",
            "ar/timeline/",
            "ar/sources/msft-2023-volt-typhoon/",
            "ar/search/",
            "ar/print/",
            words.as_str(),
        ],
    );
    for p in r["pages"].as_array().unwrap() {
        let what = format!("{} at {} px", p["path"], p["width"]);
        assert_eq!(p["dir"], "rtl", "{what}");
        assert!(
            p["overflow"].as_f64().unwrap() <= 0.0,
            "{what} overflows sideways: {p}"
        );
        // The navigation starts on the right.
        let nav = p["nav"].as_array().unwrap();
        if nav.len() == 2 && nav[0]["top"] == nav[1]["top"] {
            assert!(
                nav[0]["left"].as_f64() > nav[1]["left"].as_f64(),
                "{what}: {p}"
            );
        }
    }
    let claim: Vec<&serde_json::Value> = r["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"] == "ar/claims/msft-state-sponsored/")
        .collect();
    for p in &claim {
        // The title begins with an English name and still reads from the right.
        let words = p["words"][title].as_array().unwrap();
        assert_eq!(words[0]["word"], "Volt");
        assert!(reads_right_to_left(words), "{}: {words:?}", p["width"]);
        // The first opposing claim is within two screens, on a phone too.
        let top = p["opposingTop"].as_f64().unwrap();
        assert!(
            top < 2.0 * p["viewport"].as_f64().unwrap(),
            "{}: {top}",
            p["width"]
        );
    }
    eprintln!("screenshots: {}", shots.display());
}

//! `dossier capture` on pages modelled on the news, government, think-tank and court
//! pages analysts capture, served on a loopback port: the front matter needs no hand
//! fixes — names turned to reading order, the site's name cut from titles, a PDF printed
//! on the day of capture left undated, the publisher matched to an actor.

use crate::common;

use std::collections::BTreeMap;
use std::process::Command;

use common::fixtures::*;
use common::*;

/// A page: its path, its `<head>` and what its front matter must hold (and not hold).
struct Case {
    path: &'static str,
    head: &'static str,
    has: &'static [&'static str],
    lacks: &'static [&'static str],
}

const HTML_CASES: [Case; 10] = [
    // A newspaper: OpenGraph title with the paper's name after a hyphen, an inverted byline.
    Case {
        path: "/2023/03/07/us/politics/nord-stream-pipeline-sabotage-ukraine.html",
        head: r#"<title>Intelligence Suggests Pro-Ukrainian Group Sabotaged Pipelines - The New York Times</title>
<meta property="og:title" content="Intelligence Suggests Pro-Ukrainian Group Sabotaged Pipelines - The New York Times">
<meta property="og:site_name" content="The New York Times">
<meta property="og:type" content="article">
<meta name="author" content="Entous, Adam">
<meta property="article:published_time" content="2023-03-07T19:22:35.000Z">"#,
        has: &[
            "title = \"Intelligence Suggests Pro-Ukrainian Group Sabotaged Pipelines\"\n",
            "kind = \"article\"",
            "publisher = \"The New York Times\"",
            "authors = [\"Adam Entous\"]",
            "date = 2023-03-07",
        ],
        lacks: &["published_by"],
    },
    // A writer's newsletter: JSON-LD headline, the writer as author and publisher.
    Case {
        path: "/p/how-america-took-out-the-nord-stream",
        head: r#"<title>How America Took Out The Nord Stream Pipeline - by Seymour Hersh</title>
<meta property="og:site_name" content="Seymour Hersh">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"How America Took Out The Nord Stream Pipeline","author":[{"@type":"Person","name":"Hersh, Seymour"}],"datePublished":"2023-02-08T14:02:18+00:00","publisher":{"@type":"Organization","name":"Seymour Hersh"}}</script>"#,
        has: &[
            "title = \"How America Took Out The Nord Stream Pipeline\"\n",
            "authors = [\"Seymour Hersh\"]",
            "published_by = \"hersh\"",
            "date = 2023-02-08",
        ],
        lacks: &[],
    },
    // A police force's news page: nothing but <title>, its name after a bar.
    Case {
        path: "/en/copenhagen-police/news/2024/02/26/nord-stream",
        head: r#"<title>Closure of the investigation into the Nord Stream explosions | Copenhagen Police</title>
<meta name="DC.date" content="2024-02-26">"#,
        has: &[
            "title = \"Closure of the investigation into the Nord Stream explosions\"\n",
            "publisher = \"Copenhagen Police\"",
            "published_by = \"copenhagen-police\"",
            "date = 2024-02-26",
        ],
        lacks: &[],
    },
    // A foreign ministry: the site's name is an actor's alias.
    Case {
        path: "/en/foreign_policy/news/1832245/",
        head: r#"<title>Comment by the Foreign Ministry Spokeswoman on the Nord Stream investigation - The Ministry of Foreign Affairs of the Russian Federation</title>
<meta property="og:site_name" content="The Ministry of Foreign Affairs of the Russian Federation">
<meta name="DC.date" content="2024-02-07">"#,
        has: &[
            "title = \"Comment by the Foreign Ministry Spokeswoman on the Nord Stream investigation\"\n",
            "publisher = \"The Ministry of Foreign Affairs of the Russian Federation\"",
            "published_by = \"russia-mfa\"",
        ],
        lacks: &[],
    },
    // A head of government's office: a bar, a section and the site's name.
    Case {
        path: "/briefing-room/statements-releases/2022/09/28/statement/",
        head: r#"<title>Statement on the Nord Stream pipelines | Briefing Room | The White House</title>
<meta property="og:site_name" content="The White House">
<meta property="article:published_time" content="2022-09-28T17:10:00-04:00">"#,
        has: &[
            "title = \"Statement on the Nord Stream pipelines\"\n",
            "publisher = \"The White House\"",
            "date = 2022-09-28",
        ],
        lacks: &["Briefing Room\""],
    },
    // A think tank's report: Highwire tags, inverted names with a particle and an initial.
    Case {
        path: "/pubs/research_reports/RR-A1234-1.html",
        head: r#"<title>Attribution Under Uncertainty | RAND</title>
<meta name="citation_title" content="Attribution Under Uncertainty">
<meta name="citation_author" content="Smith, Jane A.">
<meta name="citation_author" content="de la Cruz, Juan">
<meta name="citation_publisher" content="RAND Corporation">
<meta name="citation_technical_report_number" content="RR-A1234-1">
<meta name="citation_publication_date" content="2024/03/12">"#,
        has: &[
            "title = \"Attribution Under Uncertainty\"\n",
            "kind = \"report\"",
            "publisher = \"RAND Corporation\"",
            "authors = [\"Jane A. Smith\", \"Juan de la Cruz\"]",
            "date = 2024-03-12",
        ],
        lacks: &[],
    },
    // A think tank's analysis: OpenGraph title with an en dash and the site's name.
    Case {
        path: "/in-depth-research-reports/report/baltic-sea-infrastructure/",
        head: r#"<title>Protecting Baltic Sea infrastructure – Atlantic Council</title>
<meta property="og:title" content="Protecting Baltic Sea infrastructure – Atlantic Council">
<meta property="og:site_name" content="Atlantic Council">
<meta property="og:type" content="article">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2023-10-20T09:00:00+00:00">"#,
        has: &[
            "title = \"Protecting Baltic Sea infrastructure\"\n",
            "publisher = \"Atlantic Council\"",
            "authors = [\"Jane Doe\"]",
        ],
        lacks: &[],
    },
    // A court's press release, in German: the court's name before a hyphen.
    Case {
        path: "/SharedDocs/Pressemitteilungen/DE/2024/2024123.html",
        head: r#"<title>Bundesgerichtshof - Haftbefehl gegen einen ukrainischen Taucher erlassen</title>
<meta name="DC.publisher" content="Bundesgerichtshof">
<meta name="DC.language" content="de">
<meta name="DC.date" content="2024-06-12">"#,
        has: &[
            "title = \"Haftbefehl gegen einen ukrainischen Taucher erlassen\"\n",
            "publisher = \"Bundesgerichtshof\"",
            "language = \"de\"",
        ],
        lacks: &[],
    },
    // A wire agency: a bar and its name; the JSON-LD headline is already clean.
    Case {
        path: "/technology/cybersecurity/china-says-volt-typhoon-2024-04-15/",
        head: r#"<title>China says US 'Volt Typhoon' claims are disinformation | Reuters</title>
<meta property="og:site_name" content="Reuters">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"China says US 'Volt Typhoon' claims are disinformation","author":[{"@type":"Person","name":"James Pomfret"}],"datePublished":"2024-04-15T10:00:00Z","publisher":{"@type":"Organization","name":"Reuters"}}</script>"#,
        has: &[
            "title = \"China says US 'Volt Typhoon' claims are disinformation\"\n",
            "publisher = \"Reuters\"",
            "authors = [\"James Pomfret\"]",
        ],
        lacks: &[],
    },
    // A company's research blog: a middle dot before the blog's name; an organisation
    // as author stays as written.
    Case {
        path: "/routers-roasting-on-an-open-firewall",
        head: r#"<title>Routers roasting on an open firewall: the KV-botnet investigation · Lumen Blog</title>
<meta name="author" content="Black Lotus Labs">
<meta name="DC.date" content="2023-12-13">"#,
        has: &[
            "title = \"Routers roasting on an open firewall: the KV-botnet investigation\"\n",
            "publisher = \"Lumen Blog\"",
            "authors = [\"Black Lotus Labs\"]",
        ],
        lacks: &[],
    },
];

/// Today in UTC, as `YYYY-MM-DD`.
fn today() -> String {
    let out = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn site() -> Site {
    let site = Site::minimal();
    for (id, front) in [
        ("hersh", "title = \"Seymour Hersh\"\nkind = \"person\""),
        (
            "copenhagen-police",
            "title = \"Copenhagen Police\"\nkind = \"agency\"",
        ),
        (
            "russia-mfa",
            "title = \"Ministry of Foreign Affairs of Russia\"\nkind = \"government\"\naliases = [\"The Ministry of Foreign Affairs of the Russian Federation\"]",
        ),
    ] {
        site.write(
            &format!("content/actors/{id}.md"),
            &format!("+++\n{front}\n+++\n"),
        );
    }
    site
}

fn capture(site: &Site, url: &str, id: &str) -> Run {
    let root = site.root().to_str().unwrap().to_string();
    site.run(&["capture", url, "--root", &root, "--id", id])
        .expect_code(0)
}

#[test]
fn twelve_captured_pages_need_no_hand_fixes() {
    let mut routes = BTreeMap::new();
    for case in &HTML_CASES {
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\n{}\n</head><body><p>The text of the page.</p></body></html>",
            case.head
        );
        routes.insert(
            case.path.to_string(),
            page("text/html; charset=utf-8", html),
        );
    }
    // A court's opinion as its clerk made it, and a page printed to PDF today.
    let today = today();
    let printed = format!("D:{}120000Z", today.replace('-', ""));
    routes.insert(
        "/opinions/23-1234.pdf".to_string(),
        page(
            "application/pdf",
            pdf(
                &[&["Opinion of the court."]],
                &[
                    ("Title", "United States v. Doe, opinion"),
                    ("Author", "Judge, Jane"),
                    ("CreationDate", "D:20240131090000-05'00'"),
                ],
            ),
        ),
    );
    routes.insert(
        "/printed.pdf".to_string(),
        page(
            "application/pdf",
            pdf(
                &[&["A page printed from a browser."]],
                &[("Title", "Printed page"), ("CreationDate", &printed)],
            ),
        ),
    );
    let server = FixtureServer::start(routes);
    let site = site();
    for (n, case) in HTML_CASES.iter().enumerate() {
        let id = format!("page-{n}");
        let run = capture(&site, &server.url(case.path), &id);
        let text =
            std::fs::read_to_string(site.root().join(format!("content/sources/{id}.md"))).unwrap();
        for line in case.has {
            assert!(text.contains(line), "{}: `{line}` in:\n{text}", case.path);
        }
        for line in case.lacks {
            assert!(
                !text.contains(line),
                "{}: no `{line}` in:\n{text}",
                case.path
            );
        }
        // capture ends by printing the front matter it wrote.
        let front = &text[..text[3..].find("+++").unwrap() + 6];
        assert!(run.stdout.trim_end().ends_with(front), "{}", run.stdout);
    }
    capture(&site, &server.url("/opinions/23-1234.pdf"), "opinion");
    let text = std::fs::read_to_string(site.root().join("content/sources/opinion.md")).unwrap();
    for line in [
        "title = \"United States v. Doe, opinion\"",
        "authors = [\"Jane Judge\"]",
        "date = 2024-01-31",
    ] {
        assert!(text.contains(line), "`{line}` in:\n{text}");
    }
    let run = capture(&site, &server.url("/printed.pdf"), "printed");
    let text = std::fs::read_to_string(site.root().join("content/sources/printed.md")).unwrap();
    assert!(!text.contains("\ndate ="), "{text}");
    assert!(
        run.stdout.contains(&format!(
            "note: the PDF is dated {today}, the day of capture, as a page printed from a browser is: no date was written"
        )) && run.stdout.contains("could not fill: publisher, authors, date"),
        "{}",
        run.stdout
    );
    // What was captured builds as it is.
    site.build(&[]).expect_code(0);
}

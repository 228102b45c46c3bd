//! A dossier kept over time: messages in the writer's words, warnings that stay readable
//! on a large dossier, `build` and `check` agreeing, and the command line behaving as
//! other command-line tools do.

use crate::common;

use common::Site;
use std::process::{Command, Stdio};

/// A source with an address and no archived copy, cited by nothing.
fn unarchived_source(site: &Site, n: usize) {
    site.write(
        &format!("content/sources/loose-{n}.md"),
        &format!("+++\ntitle = \"Loose {n}\"\nurl = \"https://pages.test/{n}\"\n+++\n"),
    );
}

#[test]
fn counts_are_grammatical() {
    let site = Site::minimal();
    let run = site.run(&["check"]).expect_code(0);
    assert!(
        run.stderr
            .contains("checked 1 claim, 1 source, 1 actor, 0 events and 0 pages"),
        "{}",
        run.stderr
    );
    let provenance = site.run(&["check", "--provenance"]).expect_code(0);
    assert!(
        provenance
            .stdout
            .starts_with("Provenance of 1 claim and 1 source\n"),
        "{}",
        provenance.stdout
    );
}

#[test]
fn a_warning_on_many_files_is_one_line_that_names_the_first_three() {
    let site = Site::minimal();
    for n in 0..5 {
        unarchived_source(&site, n);
    }
    // Five files: each its own line.
    let run = site.run(&["check"]).expect_code(0);
    let own = |stderr: &str, needle: &str| stderr.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(
        own(&run.stderr, "is not cited by any claim"),
        5,
        "{}",
        run.stderr
    );
    assert_eq!(own(&run.stderr, "no archive_url"), 5, "{}", run.stderr);

    // Seven: one line each kind, with the count and the first three places.
    for n in 5..7 {
        unarchived_source(&site, n);
    }
    let run = site.run(&["check"]).expect_code(0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "content/sources/loose-0.md:1:1: warning: 7 sources are not cited by any claim: \
             content/sources/loose-0.md:1:1, content/sources/loose-1.md:1:1, \
             content/sources/loose-2.md:1:1 and 4 more (`--message-format json` lists every one)",
            "content/sources/loose-0.md:3:1: warning: 7 sources have a url but no archive_url: \
             content/sources/loose-0.md:3:1, content/sources/loose-1.md:3:1, \
             content/sources/loose-2.md:3:1 and 4 more; `dossier archive` asks the Internet \
             Archive for a copy of each, in case the pages change or disappear \
             (`--message-format json` lists every one)",
            "2 warnings",
            "checked 1 claim, 8 sources, 1 actor, 0 events and 0 pages",
        ]
    );
    // Each is still given in JSON, at its own place.
    let json = site
        .run(&["check", "--message-format", "json"])
        .expect_code(0);
    let places: Vec<(String, u64)> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            (
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(places.len(), 14, "{}", json.stdout);
    for n in 0..7 {
        let file = format!("content/sources/loose-{n}.md");
        assert!(places.contains(&(file.clone(), 1)), "{file}: {places:?}");
        assert!(places.contains(&(file.clone(), 3)), "{file}: {places:?}");
    }
}

#[test]
fn build_and_check_report_the_same_diagnostics() {
    // An Italian edition, whose interface the theme ships no table for: its strings are shown in English, which
    // both commands report, alongside the content's warnings.
    let site = Site::minimal();
    site.write(
        "site.toml",
        &format!(
            "{}\n[languages.it]\ntitle = \"Minimal\"\n",
            common::MIN_SITE_TOML
        ),
    );
    site.write(
        "content/claims/claim-c.it.md",
        "+++\ntitle = \"Affermazione C\"\n+++\n\nText.\n",
    );
    for n in 0..3 {
        unarchived_source(&site, n);
    }
    let check = site
        .run(&["check", "--message-format", "json"])
        .expect_code(0);
    let build = site.build(&["--message-format", "json"]).expect_code(0);
    assert!(
        check.stdout.contains("no translation into `it`"),
        "{}",
        check.stdout
    );
    assert_eq!(check.stdout, build.stdout);
    let human_check = site.run(&["check"]).expect_code(0);
    let human_build = site.build(&[]).expect_code(0);
    let warnings = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains(": warning: "))
            .map(String::from)
            .collect()
    };
    assert_eq!(warnings(&human_check.stderr), warnings(&human_build.stderr));
    assert_eq!(warnings(&human_check.stderr).len(), 7);
}

/// The signal a write into a closed pipe raises (13 on Linux and the BSDs).
const SIGPIPE: i32 = 13;

/// Runs `dossier ARGS` with its standard output a pipe whose reading end is already
/// closed, as in `dossier check | head -1` once `head` has its line.
fn into_closed_pipe(site: &Site, args: &[&str]) -> (std::process::ExitStatus, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn writing_into_a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let site = Site::minimal();
    unarchived_source(&site, 0);
    for args in [
        &["check", "--message-format", "json"][..],
        &["check", "--provenance"],
        &["build", "--message-format", "json"],
    ] {
        let (status, stderr) = into_closed_pipe(&site, args);
        assert_eq!(
            status.signal(),
            Some(SIGPIPE),
            "{args:?}: {status:?}\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// The minimal dossier with corrections on its claim (two, written oldest first), its
/// source and a plain page.
fn corrected_site() -> Site {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &common::MIN_CLAIM.replace(
            "+++\n\nBody.",
            "\n[[corrections]]\ndate = 2024-02-01\nkind = \"clarification\"\ntext = \"Said which agency.\"\n\n[[corrections]]\ndate = 2024-03-02\nkind = \"correction\"\ntext = \"The date was 3 January; it is 2 January.\"\n+++\n\nBody.",
        ),
    );
    site.write(
        "content/sources/source-s.md",
        "---\ntitle: Source S\ncorrections:\n  - date: 2024-02-15\n    kind: update\n    text: Added its address.\n---\n",
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\n\n[[corrections]]\ndate = 2024-01-10\nkind = \"update\"\ntext = \"Named the editors.\"\n+++\n\nWho we are.\n",
    );
    site
}

/// The text of a page with its tags removed and its white space collapsed.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").replace(" ,", ",").replace(" :", ":")
}

#[test]
fn corrections_are_shown_dated_at_the_top_newest_first_and_everywhere_they_belong() {
    let site = corrected_site();
    site.build(&[]).expect_code(0);
    let claim = site.read("claims/claim-c/index.html");
    let main = common::main_of(&claim);
    let aside = &main[main
        .find("<aside class=\"corrections\"")
        .expect("corrections")..];
    let aside = &aside[..aside.find("</aside>").unwrap()];
    assert_eq!(
        text_of(aside),
        "Corrections and updates Correction, 2 March 2024: The date was 3 January; it is 2 January. Clarification, 1 February 2024: Said which agency."
    );
    // At the top: before the body.
    assert!(main.find("class=\"corrections\"") < main.find("class=\"prose\""));
    // Its card marks the newest, linking to the list.
    let index = site.read("claims/index.html");
    assert!(
        index.contains("<a class=\"corrected\" href=\"/claims/claim-c/#corrections\">corrected 2 March 2024</a>"),
        "{index}"
    );
    // The source (in YAML) and the plain page show theirs.
    assert!(
        text_of(&site.read("sources/source-s/index.html"))
            .contains("Corrections and updates Update, 15 February 2024: Added its address.")
    );
    assert!(
        text_of(&site.read("about/index.html"))
            .contains("Corrections and updates Update, 10 January 2024: Named the editors.")
    );
    // The corrections page lists all four, newest first, each linking to its entry.
    let page = site.read("corrections/index.html");
    let list = common::main_of(&page);
    let order: Vec<usize> = [
        "The date was 3 January",
        "Added its address",
        "Said which agency",
        "Named the editors",
    ]
    .iter()
    .map(|t| list.find(t).unwrap_or_else(|| panic!("{t}: {list}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    for href in [
        "/claims/claim-c/#corrections",
        "/sources/source-s/#corrections",
        "/about/#corrections",
    ] {
        assert!(list.contains(&format!("href=\"{href}\"")), "{href}");
    }
    // Every page links to it from the footer.
    for page in [
        "index.html",
        "claims/claim-c/index.html",
        "about/index.html",
    ] {
        assert!(
            site.read(page)
                .contains("href=\"/corrections/\">corrections</a>"),
            "{page}"
        );
    }
}

#[test]
fn corrections_are_in_the_feed_the_json_ld_and_the_data() {
    let site = corrected_site();
    site.build(&[]).expect_code(0);
    let feed = site.read("atom.xml");
    for (title, id) in [
        (
            "Correction: Claim C",
            "https://example.com/claims/claim-c/#correction-2024-03-02",
        ),
        (
            "Clarification: Claim C",
            "https://example.com/claims/claim-c/#correction-2024-02-01",
        ),
        (
            "Update: Source S",
            "https://example.com/sources/source-s/#correction-2024-02-15",
        ),
        (
            "Update: About",
            "https://example.com/about/#correction-2024-01-10",
        ),
    ] {
        let at = feed
            .find(&format!("<title>{title}</title>"))
            .unwrap_or_else(|| panic!("{title}: {feed}"));
        assert!(feed[at..].contains(&format!("<id>{id}</id>")), "{id}");
    }
    let claim = site.read("claims/claim-c/index.html");
    let start = claim.find("<script type=\"application/ld+json\">").unwrap();
    let json = &claim[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    let ld: serde_json::Value = serde_json::from_str(json).unwrap();
    let node = &ld["@graph"][0];
    assert_eq!(node["dateModified"], "2024-03-02");
    assert_eq!(
        node["correction"],
        serde_json::json!([
            {"@type": "CorrectionComment", "text": "Said which agency.", "datePublished": "2024-02-01"},
            {"@type": "CorrectionComment", "text": "The date was 3 January; it is 2 January.", "datePublished": "2024-03-02"},
        ])
    );
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    assert_eq!(data["claims"][0]["corrections"][1]["kind"], "correction");
    assert_eq!(
        data["sources"][0]["corrections"][0]["text"],
        "Added its address."
    );
    assert_eq!(
        data["page_corrections"][0]["corrections"][0]["date"],
        "2024-01-10"
    );
    // A dossier without corrections says so on the page, and its data lists none.
    let plain = Site::minimal();
    plain.build(&[]).expect_code(0);
    assert!(text_of(&plain.read("corrections/index.html")).contains(
        "Nothing in this dossier has been corrected, updated or clarified since it was published."
    ));
    let data: serde_json::Value = serde_json::from_str(&plain.read("dossier.json")).unwrap();
    assert_eq!(data["claims"][0]["corrections"], serde_json::json!([]));
    assert_eq!(data["page_corrections"], serde_json::json!([]));
}

#[test]
fn a_correction_out_of_time_is_an_error_at_its_date() {
    let site = Site::minimal();
    let claim = |corrections: &str| {
        common::MIN_CLAIM.replace("+++\n\nBody.", &format!("{corrections}+++\n\nBody."))
    };
    site.write(
        "content/claims/claim-c.md",
        &claim("\n[[corrections]]\ndate = 2023-12-31\nkind = \"update\"\ntext = \"Before.\"\n\n[[corrections]]\nkind = \"update\"\ntext = \"Far ahead.\"\ndate = 2999-01-01\n"),
    );
    site.write(
        "content/actors/actor-a.md",
        "---\ntitle: Actor A\ncorrections:\n  - kind: correction\n    text: A month only.\n    date: 2024-05\n---\n",
    );
    let run = site.run(&["check"]).expect_code(1);
    let errors = common::error_lines(&run);
    assert_eq!(
        errors,
        [
            "content/actors/actor-a.md:6:11: error: a correction is dated to the day, like `2024-05-01`, not `2024-05`",
            "content/claims/claim-c.md:10:8: error: this correction is dated 2023-12-31, before the entry's own date, 2024-01-02; a correction comes after what it corrects",
            "content/claims/claim-c.md:17:8: error: this correction is dated 2999-01-01, which is in the future; date it the day it is published",
        ],
        "{}",
        run.stderr
    );
    // A kind that is not one of the three names them, and the nearest.
    site.write("content/actors/actor-a.md", common::MIN_ACTOR);
    site.write(
        "content/claims/claim-c.md",
        &claim("\n[[corrections]]\ndate = 2024-02-01\nkind = \"Update\"\ntext = \"x\"\n"),
    );
    let run = site.run(&["check"]).expect_code(1);
    assert!(
        run.stderr.contains("`kind` must be one of `correction` (something published was wrong), `update` (something new is added) or `clarification` (something published is said more clearly), not `Update`")
            && run.stderr.contains("(did you mean `update`?)"),
        "{}",
        run.stderr
    );
}

/// Wrong values, one per key and kind of mistake: the folder, the lines added to a
/// valid entry's front matter in TOML and in YAML, and, with `-title`, the title left
/// out.
const WRONG_VALUES: &[(&str, &str, &str)] = &[
    ("claims", "title = 5", "title: [5]"),
    ("claims", "claimants = \"actor-a\"", "claimants: actor-a"),
    ("claims", "claimants = [1]", "claimants: [[1]]"),
    ("claims", "date = \"2024-13-01\"", "date: 2024-13-01"),
    ("claims", "date = true", "date: true"),
    ("claims", "disputes = \"x\"", "disputes: x"),
    ("claims", "supports = 3", "supports: 3"),
    ("claims", "status = \"Active\"", "status: Active"),
    ("claims", "status = \"retired\"", "status: retired"),
    ("claims", "tags = \"a\"", "tags: a"),
    ("claims", "summary = [\"a\"]", "summary: [a]"),
    ("claims", "about = \"ev\"", "about: ev"),
    ("claims", "draft = \"yes\"", "draft: \"yes\""),
    ("claims", "updated = \"yesterday\"", "updated: yesterday"),
    ("claims", "sumary = \"x\"", "sumary: x"),
    ("claims", "-title", "-title"),
    (
        "claims",
        "[[citations]]\nsource = \"source-s\"\ncredibility = \"B\"",
        "citations:\n  - source: source-s\n    credibility: B",
    ),
    (
        "claims",
        "[[citations]]\nsource = \"source-s\"\ncredibility = 9",
        "citations:\n  - source: source-s\n    credibility: 9",
    ),
    (
        "claims",
        "[[citations]]\nsource = \"source-s\"\ncredibility = \"3\"",
        "citations:\n  - source: source-s\n    credibility: \"3\"",
    ),
    (
        "claims",
        "[[citations]]\nsource = \"source-s\"\nquote = 5",
        "citations:\n  - source: source-s\n    quote: [5]",
    ),
    (
        "claims",
        "[[citations]]\nlocator = \"p. 1\"",
        "citations:\n  - locator: p. 1",
    ),
    ("claims", "assessment = \"false\"", "assessment: \"false\""),
    (
        "claims",
        "[assessment]\nrating = \"False\"\nrating_value = \"high\"",
        "assessment:\n  rating: \"False\"\n  rating_value: high",
    ),
    (
        "claims",
        "[[corrections]]\ndate = 2024-02-01\nkind = \"Fix\"\ntext = \"x\"",
        "corrections:\n  - date: 2024-02-01\n    kind: Fix\n    text: x",
    ),
    (
        "claims",
        "[[corrections]]\ndate = \"soon\"\nkind = \"update\"\ntext = \"x\"",
        "corrections:\n  - date: soon\n    kind: update\n    text: x",
    ),
    ("claims", "corrections = \"x\"", "corrections: x"),
    (
        "claims",
        "[attributes]\nactivity = \"A\"\nto = \"actor-a\"",
        "attributes:\n  activity: A\n  to: actor-a",
    ),
    ("claims", "summary = \"abc", "summary: \"abc"),
    ("sources", "reliability = \"c\"", "reliability: c"),
    ("sources", "reliability = 1", "reliability: 1"),
    ("sources", "kind = \"Report\"", "kind: Report"),
    ("sources", "kind = \"blog\"", "kind: blog"),
    ("sources", "url = 5", "url: [5]"),
    ("sources", "authors = \"Jane Doe\"", "authors: Jane Doe"),
    (
        "sources",
        "publish_snapshot = \"no\"",
        "publish_snapshot: \"no\"",
    ),
    (
        "sources",
        "accessed = \"2024/05/01\"",
        "accessed: 2024/05/01",
    ),
    ("actors", "kind = \"goverment\"", "kind: goverment"),
    ("actors", "aliases = \"APT\"", "aliases: APT"),
    ("actors", "country = [\"CN\"]", "country: [CN]"),
    ("events", "sources = \"source-s\"", "sources: source-s"),
    ("events", "end = \"later\"", "end: later"),
    ("pages", "weight = \"first\"", "weight: first"),
    ("pages", "draft = 1", "draft: 1"),
];

/// The valid front matter of an entry in `folder`, in TOML or YAML, without its title
/// when asked.
fn valid_front(folder: &str, yaml: bool, title: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if title {
        lines.push(if yaml { "title: T" } else { "title = \"T\"" }.to_string());
    }
    let rest: &[(&str, &str)] = match folder {
        "claims" => &[
            ("claimants = [\"actor-a\"]", "claimants: [actor-a]"),
            ("date = 2024-01-02", "date: 2024-01-02"),
        ],
        "events" => &[("date = 2024-01-02", "date: 2024-01-02")],
        _ => &[],
    };
    lines.extend(
        rest.iter()
            .map(|(t, y)| if yaml { y } else { t }.to_string()),
    );
    lines
}

/// Writes each wrong value into a file of its own (`content/<folder>/wrong-<n>.md`, or
/// `content/wrong-<n>.md` for a page), in TOML or YAML.
fn write_wrong_values(site: &Site, yaml: bool) {
    for (n, (folder, toml, yml)) in WRONG_VALUES.iter().enumerate() {
        let extra = if yaml { yml } else { toml };
        let mut lines = valid_front(folder, yaml, *extra != "-title");
        if *extra != "-title" {
            // A key set twice is a mistake of its own: the wrong value replaces the valid one.
            let first = |s: &str| s.split([' ', ':', '=']).next().unwrap_or("").to_string();
            let key = first(extra);
            lines.retain(|l| first(l) != key);
            lines.push(extra.to_string());
        }
        let fence = if yaml { "---" } else { "+++" };
        let rel = match *folder {
            "pages" => format!("content/wrong-{n:02}.md"),
            f => format!("content/{f}/wrong-{n:02}.md"),
        };
        site.write(
            &rel,
            &format!("{fence}\n{}\n{fence}\n\nText.\n", lines.join("\n")),
        );
    }
}

#[test]
fn every_wrong_value_is_reported_in_the_writer_s_words() {
    for (yaml, snapshot) in [
        (false, include_str!("../snapshots/wrong-values.toml.txt")),
        (true, include_str!("../snapshots/wrong-values.yaml.txt")),
    ] {
        let site = Site::minimal();
        write_wrong_values(&site, yaml);
        let run = site.run(&["check"]).expect_code(1);
        if std::env::var_os("DOSSIER_WRITE_SNAPSHOTS").is_some() {
            let name = if yaml { "yaml" } else { "toml" };
            let path = common::repo_root().join(format!("tests/snapshots/wrong-values.{name}.txt"));
            std::fs::write(path, &run.stderr).unwrap();
            continue;
        }
        assert_eq!(run.stderr, snapshot, "yaml: {yaml}");
        for words in [
            "invalid type",
            "expected a",
            "i64",
            "u8",
            "struct",
            "sequence",
            "field",
        ] {
            assert!(!run.stderr.contains(words), "{words}: {}", run.stderr);
        }
        assert_eq!(
            common::error_lines(&run).len(),
            WRONG_VALUES.len(),
            "{}",
            run.stderr
        );
    }
}

/// Fetches `target` from the preview until its text contains `needle`, for at most 30 s.
fn preview_shows(port: u16, target: &str, needle: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        let (_, body) = common::http_get(port, target);
        let text = String::from_utf8_lossy(&body).into_owned();
        if text.contains(needle) || start.elapsed() > std::time::Duration::from_secs(30) {
            return text;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[cfg(feature = "preview")]
#[test]
fn the_preview_shows_a_correction_as_soon_as_it_is_written() {
    let site = Site::minimal();
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n\nWho we are.\n",
    );
    let served = common::start_serve(&site, &[], &[]);
    let before = preview_shows(served.port, "/corrections/", "Nothing in this dossier");
    assert!(before.contains("Nothing in this dossier"), "{before}");
    // A plain page, which no list shows, gains its first correction; a claim gains one.
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\n\n[[corrections]]\ndate = 2024-01-10\nkind = \"update\"\ntext = \"Named the editors.\"\n+++\n\nWho we are.\n",
    );
    site.write(
        "content/claims/claim-c.md",
        &common::MIN_CLAIM.replace(
            "+++\n\nBody.",
            "\n[[corrections]]\ndate = 2024-03-02\nkind = \"correction\"\ntext = \"Fixed the date.\"\n+++\n\nBody.",
        ),
    );
    let list = preview_shows(served.port, "/corrections/", "Fixed the date.");
    assert!(
        list.contains("Named the editors.") && list.contains("Fixed the date."),
        "{list}"
    );
    let page = preview_shows(served.port, "/about/", "class=\"corrections\"");
    assert!(page.contains("Named the editors."), "{page}");
    let index = preview_shows(served.port, "/claims/", "corrected 2 March 2024");
    let mut child = served.child;
    let _ = child.kill();
    let _ = child.wait();
    assert!(index.contains("corrected 2 March 2024"), "{index}");
}

#[test]
fn an_earlier_address_sends_the_reader_on_and_is_listed_nowhere() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &common::MIN_CLAIM.replace(
            "date = 2024-01-02\n",
            "date = 2024-01-02\naliases = [\"/claims/old-claim/\", \"/2024/claim.html\"]\n",
        ),
    );
    site.write(
        "content/about.md",
        "---\ntitle: About\naliases:\n  - /who-we-are/\n---\n\nWho we are.\n",
    );
    site.build(&[]).expect_code(0);
    for (file, to) in [
        (
            "claims/old-claim/index.html",
            "https://example.com/claims/claim-c/",
        ),
        ("2024/claim.html", "https://example.com/claims/claim-c/"),
        ("who-we-are/index.html", "https://example.com/about/"),
    ] {
        let html = site.read(file);
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{to}\">"))
                && html.contains(&format!(
                    "<meta http-equiv=\"refresh\" content=\"0; url={to}\">"
                ))
                && html.contains(&format!("<a href=\"{to}\">{to}</a>")),
            "{file}: {html}"
        );
    }
    let sitemap = site.read("sitemap.xml");
    assert!(
        !sitemap.contains("old-claim") && !sitemap.contains("who-we-are"),
        "{sitemap}"
    );
    assert!(!site.read("claims/index.html").contains("old-claim"));

    // Addresses that are not paths, or that something else has, are refused at their place.
    site.write(
        "content/claims/claim-c.md",
        &common::MIN_CLAIM.replace(
            "date = 2024-01-02\n",
            "date = 2024-01-02\naliases = [\"claims/x/\", \"/map/\", \"/about/\", \"/who-we-are/\"]\n",
        ),
    );
    let run = site.run(&["check"]).expect_code(1);
    assert_eq!(
        common::error_lines(&run),
        [
            "content/about.md:4:5: error: the alias `/who-we-are/` is taken by an alias in content/claims/claim-c.md; give another address, or remove it",
            "content/claims/claim-c.md:5:13: error: an alias is an earlier address of the page on this site, starting with `/`, like `/claims/old-id/`",
            "content/claims/claim-c.md:5:26: error: the alias `/map/` is taken by the dispute map, which dossier generates; give another address, or remove it",
            "content/claims/claim-c.md:5:35: error: the alias `/about/` is taken by a page of the site; give another address, or remove it",
        ],
        "{}",
        run.stderr
    );
    // Nor may it take a page of a translated edition.
    site.write(
        "site.toml",
        &format!(
            "{}\n[languages.fr]\ntitle = \"Minimal\"\n",
            common::MIN_SITE_TOML
        ),
    );
    site.write(
        "content/claims/claim-c.md",
        &common::MIN_CLAIM.replace(
            "date = 2024-01-02\n",
            "date = 2024-01-02\naliases = [\"/fr/claims/claim-c/\"]\n",
        ),
    );
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\n");
    let run = site.run(&["check"]).expect_code(1);
    assert_eq!(
        common::error_lines(&run),
        [
            "content/claims/claim-c.md:5:13: error: the alias `/fr/claims/claim-c/` is in the folder of the `fr` edition (`/fr/`, from [languages.fr] in site.toml); give an address outside it"
        ],
        "{}",
        run.stderr
    );
}

/// A dossier that names source `apt` in every way a dossier can, beside `apt-1` (whose
/// id `apt` begins) and the word "apt" where it is no reference: front matter in TOML
/// (with Windows line endings and comments) and YAML, bodies, a translation, evidence
/// and `site.toml`.
fn named_everywhere() -> Site {
    let site = Site::minimal();
    site.write(
        "site.toml",
        &format!(
            "{}\n[languages.fr]\ntitle = \"Minimal\"\n\n[[map.positions]]\nname = \"Apt's readers\"\nclaims = [\"claim-c\", \"claim-y\"]\n",
            common::MIN_SITE_TOML
        ),
    );
    site.write(
        "content/sources/apt.md",
        "+++\r\n# The report everything here rests on.\r\ntitle = \"apt\"\r\nurl = \"https://pages.test/apt\"\r\npublished_by = \"actor-a\" # its author\r\nsnapshot = \"apt.html\"\r\n+++\r\n\r\nNotes on [[apt-1]], its companion.\r\n",
    );
    site.write(
        "content/sources/apt.html",
        "<html><body><p>The apt report finds a state behind the intrusions.</p></body></html>",
    );
    site.write_bytes("content/sources/apt.tsr", b"not a token");
    site.write(
        "content/sources/apt.fr.md",
        "+++\ntitle = \"apt (fr)\"\n+++\n\nNotes en français sur [[apt]].\n",
    );
    site.write(
        "content/sources/apt-1.md",
        "+++\ntitle = \"apt-1\"\nurl = \"https://pages.test/apt-1\"\n+++\n\nThe companion of [[apt]].\n",
    );
    site.write(
        "content/events/intrusion.md",
        "+++\ntitle = \"An intrusion\"\ndate = 2024-01-01\nsources = [\"apt-1\", \"apt\"]\n+++\n",
    );
    site.write(
        "content/claims/claim-y.md",
        "---\ntitle: Claim Y\nclaimants: [actor-a]\ndate: 2024-01-03\ntags: [apt]\nabout: [intrusion]\nsupports: [claim-c]\ncitations:\n  - source: apt # the report\n    quote: finds a state behind the intrusions\n  - source: 'apt-1'\n---\n\nAs [@apt, p. 2] and [see @apt-1; @apt] say, and [[apt|the report]]\nshows, read [the notes](../sources/apt.md) or [the page](/sources/apt/) or [the\ncompanion][c] and [[apt-1]].\n\n```\n[@apt] and [[apt]] in code stay as written\n```\n\nIn `[@apt]` code too, and the word apt, and apt-1 and [not a link to apt].\n\n[c]: ../sources/apt.md \"apt\"\n",
    );
    site
}

/// Every file of a site but its output, by path.
fn tree(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    common::files(site.root())
        .into_iter()
        .filter(|(p, _)| !p.starts_with("public/"))
        .collect()
}

/// The diagnostics of `check` in JSON, the old id written as the new one (as a whole
/// id only, so that `apt-1` stays).
fn diagnostics_named(site: &Site, old: &str, new: &str) -> Vec<String> {
    let run = site.run(&["check", "--message-format", "json"]);
    run.stdout
        .lines()
        .map(|l| {
            let mut out = String::new();
            let mut rest = l;
            while let Some(i) = rest.find(old) {
                let whole = !rest[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
                    && !rest[i + old.len()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                out.push_str(&rest[..i]);
                out.push_str(if whole { new } else { old });
                rest = &rest[i + old.len()..];
            }
            out.push_str(rest);
            out
        })
        .collect()
}

#[test]
fn a_rename_changes_every_reference_and_nothing_else() {
    let site = named_everywhere();
    let before = tree(&site);
    let diagnostics_before = diagnostics_named(&site, "apt", "report-2024");
    assert!(
        diagnostics_before.iter().any(|d| d.contains("report-2024")),
        "the dossier should have a diagnostic that names the source: {diagnostics_before:?}"
    );

    // The dry run prints a diff that git applies to a copy, and changes nothing.
    let dry = site
        .run(&["rename", "apt", "report-2024", "--dry-run"])
        .expect_code(0);
    assert_eq!(tree(&site), before);
    let copy = tempfile::tempdir().unwrap();
    for (path, bytes) in &before {
        let p = copy.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let patch = copy.path().join("rename.diff");
    std::fs::write(&patch, &dry.stdout).unwrap();
    let git = Command::new("git")
        .args(["apply", "--unsafe-paths", "rename.diff"])
        .current_dir(copy.path())
        .output();
    let git_applied = match git {
        Ok(o) => {
            assert!(
                o.status.success(),
                "git apply: {}\n{}",
                String::from_utf8_lossy(&o.stderr),
                dry.stdout
            );
            std::fs::remove_file(&patch).unwrap();
            true
        }
        Err(_) => common::tool_or_skip(
            "a_rename_changes_every_reference_and_nothing_else",
            false,
            "git",
        ),
    };

    let run = site.run(&["rename", "apt", "report-2024"]).expect_code(0);
    assert_eq!(
        run.stdout,
        "renamed source `apt` to `report-2024`: 5 files changed, 4 files moved; /sources/apt/ now sends readers to /sources/report-2024/\n"
    );
    let after = tree(&site);
    if git_applied {
        assert_eq!(
            after,
            common::files(copy.path()),
            "the dry run's diff and the rename differ"
        );
    }

    // The source and everything named after it moved; its own file keeps its comments and
    // line endings, and gained its old address.
    for gone in ["apt.md", "apt.html", "apt.tsr", "apt.fr.md"] {
        assert!(
            !after.contains_key(&format!("content/sources/{gone}")),
            "{gone}"
        );
    }
    let text = |path: &str| String::from_utf8(after[path].clone()).unwrap();
    assert_eq!(
        text("content/sources/report-2024.md"),
        "+++\r\n# The report everything here rests on.\r\ntitle = \"apt\"\r\nurl = \"https://pages.test/apt\"\r\npublished_by = \"actor-a\" # its author\r\nsnapshot = \"report-2024.html\"\r\naliases = [\"/sources/apt/\"]\r\n+++\r\n\r\nNotes on [[apt-1]], its companion.\r\n"
    );
    assert_eq!(
        after["content/sources/report-2024.html"],
        before["content/sources/apt.html"]
    );
    assert_eq!(
        after["content/sources/report-2024.tsr"],
        before["content/sources/apt.tsr"]
    );
    assert_eq!(
        text("content/sources/report-2024.fr.md"),
        "+++\ntitle = \"apt (fr)\"\n+++\n\nNotes en français sur [[report-2024]].\n"
    );
    // References changed where they are references, and nowhere else.
    assert_eq!(
        text("content/claims/claim-y.md"),
        "---\ntitle: Claim Y\nclaimants: [actor-a]\ndate: 2024-01-03\ntags: [apt]\nabout: [intrusion]\nsupports: [claim-c]\ncitations:\n  - source: report-2024 # the report\n    quote: finds a state behind the intrusions\n  - source: 'apt-1'\n---\n\nAs [@report-2024, p. 2] and [see @apt-1; @report-2024] say, and [[report-2024|the report]]\nshows, read [the notes](../sources/report-2024.md) or [the page](/sources/report-2024/) or [the\ncompanion][c] and [[apt-1]].\n\n```\n[@apt] and [[apt]] in code stay as written\n```\n\nIn `[@apt]` code too, and the word apt, and apt-1 and [not a link to apt].\n\n[c]: ../sources/report-2024.md \"apt\"\n"
    );
    assert_eq!(
        text("content/sources/apt-1.md"),
        "+++\ntitle = \"apt-1\"\nurl = \"https://pages.test/apt-1\"\n+++\n\nThe companion of [[report-2024]].\n"
    );
    assert_eq!(
        text("content/events/intrusion.md"),
        "+++\ntitle = \"An intrusion\"\ndate = 2024-01-01\nsources = [\"apt-1\", \"report-2024\"]\n+++\n"
    );
    // Nothing else changed.
    let changed: Vec<&String> = after
        .keys()
        .filter(|p| before.get(*p) != Some(&after[*p]))
        .collect();
    assert_eq!(
        changed,
        [
            "content/claims/claim-y.md",
            "content/events/intrusion.md",
            "content/sources/apt-1.md",
            "content/sources/report-2024.fr.md",
            "content/sources/report-2024.html",
            "content/sources/report-2024.md",
            "content/sources/report-2024.tsr",
        ]
    );

    // The dossier reads as it did, and the old address sends the reader on.
    assert_eq!(
        diagnostics_named(&site, "apt", "report-2024"),
        diagnostics_before
    );
    std::fs::remove_file(site.root().join("content/sources/report-2024.tsr")).unwrap();
    site.build(&[]).expect_code(0);
    for (alias, to) in [
        (
            "sources/apt/index.html",
            "https://example.com/sources/report-2024/",
        ),
        (
            "fr/sources/apt/index.html",
            "https://example.com/fr/sources/report-2024/",
        ),
    ] {
        assert!(
            site.read(alias).contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={to}\">"
            )),
            "{alias}"
        );
    }
}

/// A file of the site, as text.
fn file_text(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap()
}

#[test]
fn a_rename_that_cannot_be_done_is_refused_and_changes_nothing() {
    let site = named_everywhere();
    let before = tree(&site);
    let refused = |args: &[&str], code: i32| {
        let mut all = vec!["rename"];
        all.extend_from_slice(args);
        let run = site.run(&all).expect_code(code);
        assert_eq!(tree(&site), before, "{args:?} changed files");
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        run.stderr
    };
    assert_eq!(
        refused(&["apt", "apt-1"], 2),
        "error: `apt-1` is taken: it is the id of the source in content/sources/apt-1.md; choose another, or rename that one first\n"
    );
    assert_eq!(
        refused(&["apt", "APT 2024"], 2),
        "error: invalid id `APT 2024`: ids are lowercase letters, digits, `-` and `_`, starting with a letter or digit (did you mean `apt-2024`?)\n"
    );
    assert_eq!(
        refused(&["apt", "apt"], 2),
        "error: `apt` is already its id; give the new id after the old one\n"
    );
    assert_eq!(
        refused(&["atp", "report"], 2),
        "error: no claim, source, actor or event has the id `atp` (did you mean `apt`?)\n"
    );
    // A file in the way of one that moves.
    site.write("content/sources/report.tsr", "in the way");
    let before = tree(&site);
    let run = site.run(&["rename", "apt", "report"]).expect_code(1);
    assert_eq!(
        run.stderr,
        "content/sources/report.tsr: error: this file is in the way: renaming `apt` would move a file here; move it away or choose another id\nnothing was renamed\n"
    );
    assert_eq!(tree(&site), before);
    std::fs::remove_file(site.root().join("content/sources/report.tsr")).unwrap();
    // A file that names it and does not parse: its error, as a build gives it.
    site.write(
        "content/claims/claim-z.md",
        "+++\ntitle = \"Claim Z\nclaimants = [\"actor-a\"]\n+++\n\nOn [[apt]].\n",
    );
    let broken = tree(&site);
    let run = site.run(&["rename", "apt", "report"]).expect_code(1);
    assert_eq!(
        run.stderr,
        "content/claims/claim-z.md:2:17: error: invalid front matter: the text of `title` is not closed: end it with the quote it starts with, on the same line (text over several lines goes between `\"\"\"` and `\"\"\"`)\nnothing was renamed\n"
    );
    assert_eq!(tree(&site), broken);
    // A broken file that does not name it is no obstacle.
    site.write(
        "content/claims/claim-z.md",
        "+++\ntitle = \"Claim Z\nclaimants = [\"actor-a\"]\n+++\n",
    );
    site.run(&["rename", "apt", "report"]).expect_code(0);
    assert!(site.root().join("content/sources/report.md").is_file());
}

#[test]
fn a_rename_on_a_full_disk_changes_nothing() {
    let site = named_everywhere();
    // Grow one file to change past what the disk has room for.
    let big = format!(
        "+++\ntitle = \"Event\"\ndate = 2024-01-01\nsources = [\"apt\"]\n+++\n\n{}\n",
        "Words. ".repeat(2000)
    );
    site.write("content/events/long.md", &big);
    let before = tree(&site);
    // The shell limits the files the command may write to 8 kB, as a full disk would
    // stop it, and lets a write past the limit fail rather than end the process.
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 16; trap '' XFSZ; exec \"$0\" rename apt report --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("content/events/long.md: error: cannot write: ")
            && stderr.ends_with("; nothing was renamed\nnothing was renamed\n"),
        "{stderr}"
    );
    // Every file as it was, and nothing left beside them.
    assert_eq!(tree(&site), before);
}

#[test]
fn actors_and_events_are_renamed_with_their_earlier_address() {
    let site = named_everywhere();
    site.run(&["rename", "actor-a", "agency"]).expect_code(0);
    site.run(&["rename", "intrusion", "the-intrusion"])
        .expect_code(0);
    assert_eq!(
        file_text(&site, "content/actors/agency.md"),
        "+++\ntitle = \"Actor A\"\nredirect_from = [\"/actors/actor-a/\"]\n+++\n"
    );
    assert!(
        file_text(&site, "content/events/the-intrusion.md")
            .contains("aliases = [\"/events/intrusion/\"]\n")
    );
    assert!(file_text(&site, "content/claims/claim-y.md")
        .starts_with("---\ntitle: Claim Y\nclaimants: [agency]\ndate: 2024-01-03\ntags: [apt]\nabout: [the-intrusion]\n"));
    std::fs::remove_file(site.root().join("content/sources/apt.tsr")).unwrap();
    site.build(&[]).expect_code(0);
    assert!(
        site.read("actors/actor-a/index.html")
            .contains("url=https://example.com/actors/agency/")
    );
    assert!(
        site.read("events/intrusion/index.html")
            .contains("url=https://example.com/events/the-intrusion/")
    );
    // Renamed back, the page takes its first address again, which is no alias any more.
    site.run(&["rename", "agency", "actor-a"]).expect_code(0);
    assert_eq!(
        file_text(&site, "content/actors/actor-a.md"),
        "+++\ntitle = \"Actor A\"\nredirect_from = [\"/actors/agency/\"]\n+++\n"
    );
    site.build(&[]).expect_code(0);
}

#[test]
fn exit_status_says_how_a_command_went() {
    let site = Site::minimal();
    // 0: done.
    site.run(&["check"]).expect_code(0);
    // 1: a problem in the content.
    site.write("content/claims/claim-c.md", "+++\ntitle = \"C\"\n+++\n");
    site.run(&["check"]).expect_code(1);
    site.run(&["build"]).expect_code(1);
    // 2: asked wrongly, whether clap or the command finds it; a closed set names the
    // nearest value.
    let run = site.run(&["new", "clam", "x"]).expect_code(2);
    assert!(
        run.stderr.contains("invalid value 'clam' for '<KIND>'")
            && run
                .stderr
                .contains("[possible values: claim, source, actor, event]")
            && run.stderr.contains("tip: a similar value exists: 'claim'"),
        "{}",
        run.stderr
    );
    let run = site
        .run(&["check", "--message-format", "jsn"])
        .expect_code(2);
    assert!(
        run.stderr.contains("tip: a similar value exists: 'json'"),
        "{}",
        run.stderr
    );
    site.run(&["rename", "nobody", "x"]).expect_code(2);
}

#[test]
fn site_toml_and_translations_speak_the_writer_s_words_too() {
    let site = Site::minimal();
    let first_error = |site: &Site| {
        let run = site.run(&["check"]).expect_code(1);
        common::error_lines(&run)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    site.write(
        "site.toml",
        &format!(
            "{}\n[[map.positions]]\nname = \"A\"\nclaims = \"claim-c\"\n",
            common::MIN_SITE_TOML
        ),
    );
    assert_eq!(
        first_error(&site),
        "site.toml:6:10: error: `claims` is a list of claim ids, like `claims = [\"claim-c\"]`, not the text `\"claim-c\"` (did you mean `claims = [\"claim-c\"]`?)"
    );
    site.write(
        "site.toml",
        &format!(
            "{}\n[link_check]\ntimeout = \"ten\"\n",
            common::MIN_SITE_TOML
        ),
    );
    assert_eq!(
        first_error(&site),
        "site.toml:5:11: error: `timeout` is a number, not the text `\"ten\"`"
    );
    site.write(
        "site.toml",
        &format!("{}\n[languages.fr]\n", common::MIN_SITE_TOML),
    );
    site.write("content/claims/claim-c.fr.md", "+++\ntitle = 3\n+++\n");
    assert_eq!(
        first_error(&site),
        "content/claims/claim-c.fr.md:2:1: error: invalid front matter: `title` is text in quotes, not the number `3`"
    );
    std::fs::remove_file(site.root().join("content/claims/claim-c.fr.md")).unwrap();
    site.write(
        "content/claims/claim-y.md",
        "---\ntitle: Y\nclaimants: [actor-a]\ndate: 2024-01-01\ncitations:\n  - locator: p. 1\n---\n",
    );
    assert_eq!(
        first_error(&site),
        "content/claims/claim-y.md:6:5: error: invalid front matter: an item of `citations:` is missing required key `source`"
    );
}

#[test]
fn an_address_list_over_several_lines_takes_the_old_address_on_a_line_of_its_own() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &common::MIN_CLAIM.replace(
            "date = 2024-01-02\n",
            "date = 2024-01-02\naliases = [\n  \"/2023/c/\",\n  \"/2024/c/\"\n]\n",
        ),
    );
    site.run(&["rename", "claim-c", "claim-d"]).expect_code(0);
    assert_eq!(
        file_text(&site, "content/claims/claim-d.md"),
        common::MIN_CLAIM.replace(
            "date = 2024-01-02\n",
            "date = 2024-01-02\naliases = [\n  \"/2023/c/\",\n  \"/2024/c/\",\n  \"/claims/claim-c/\",\n]\n",
        )
    );
    // A last item followed by a comment is not guessed at: the rename says what to do.
    site.write(
        "content/claims/claim-d.md",
        &common::MIN_CLAIM.replace(
            "date = 2024-01-02\n",
            "date = 2024-01-02\naliases = [\n  \"/2023/c/\" # first\n]\n",
        ),
    );
    let run = site.run(&["rename", "claim-d", "claim-e"]).expect_code(1);
    assert_eq!(
        run.stderr,
        "content/claims/claim-d.md:5:1: error: cannot add the old address `/claims/claim-d/` to `aliases` as it is written here; write `aliases` as a list on one line, then rename again\nnothing was renamed\n"
    );
}

//! Neutral framing: which of two claims states a dispute between them decides nothing a
//! reader sees. The same dossier is written twice, each dispute stated in the other
//! file, and every page and file of the two builds is compared byte for byte; only
//! `/dossier.json`, whose `disputes` lists say which file states it, may differ.

use crate::common;

use common::*;

/// A dossier of three parties: claims of four actors, five disputes and a support;
/// `flip` states each dispute in the other claim's file.
fn dossier(flip: bool) -> Site {
    let site = Site::minimal();
    site.write(
        "content/actors/ministry.md",
        "+++\ntitle = \"Ministry\"\nkind = \"government\"\n+++\n",
    );
    site.write(
        "content/actors/lab.md",
        "+++\ntitle = \"Lab\"\nkind = \"company\"\n+++\n",
    );
    site.write(
        "content/actors/agency.md",
        "+++\ntitle = \"Agency\"\nkind = \"government\"\n+++\n",
    );
    for s in ["report", "statement", "blog"] {
        site.write(
            &format!("content/sources/{s}.md"),
            &format!("+++\ntitle = \"The {s}\"\npublisher = \"P {s}\"\ndate = \"2024-01\"\n+++\n"),
        );
    }
    let claim = |id: &str, who: &str, date: &str, src: &str, relations: &str| {
        site.write(
            &format!("content/claims/{id}.md"),
            &format!(
                "+++\ntitle = \"Claim {id}\"\nclaimants = [\"{who}\"]\ndate = {date}\n{relations}\n[[citations]]\nsource = \"{src}\"\n+++\nSee [[claim-c]] and [@{src}].\n"
            ),
        );
    };
    let (first, second) = if flip {
        ("", "disputes = [\"attribution\"]\n")
    } else {
        ("disputes = [\"denial\"]\n", "")
    };
    claim("attribution", "lab", "2024-01-10", "report", first);
    claim("denial", "ministry", "2024-02-01", "statement", second);
    let third = if flip {
        "supports = [\"attribution\"]\n"
    } else {
        "supports = [\"attribution\"]\ndisputes = [\"denial\"]\n"
    };
    claim("echo", "actor-a", "2024-03-01", "blog", third);
    // A third party, in dispute with the other two.
    let rival = if flip {
        ""
    } else {
        "disputes = [\"denial\", \"echo\"]\n"
    };
    claim("rival", "agency", "2024-02-15", "report", rival);
    if flip {
        // The other disputes, stated by the other claims.
        let text = std::fs::read_to_string(site.root().join("content/claims/denial.md")).unwrap();
        site.write(
            "content/claims/denial.md",
            &text.replace(
                "disputes = [\"attribution\"]",
                "disputes = [\"attribution\", \"echo\", \"rival\"]",
            ),
        );
        let text = std::fs::read_to_string(site.root().join("content/claims/echo.md")).unwrap();
        site.write(
            "content/claims/echo.md",
            &text.replace(
                "supports = [\"attribution\"]",
                "supports = [\"attribution\"]\ndisputes = [\"rival\"]",
            ),
        );
    }
    site
}

#[test]
fn which_file_states_a_dispute_changes_nothing_a_reader_sees() {
    let (a, b) = (dossier(false), dossier(true));
    a.build(&[]).expect_code(0);
    b.build(&[]).expect_code(0);
    let (fa, fb) = (files(&a.out()), files(&b.out()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    let mut compared = 0;
    for (path, bytes) in &fa {
        // The output's marker records which site folder wrote it, not what it says.
        if path == ".dossier-output" {
            continue;
        }
        if path == "dossier.json" {
            assert_ne!(
                bytes, &fb[path],
                "the data says which file states each dispute"
            );
            continue;
        }
        assert!(
            bytes == &fb[path],
            "{path} depends on which file states a dispute:\n--- stated by the earlier claim\n{}\n--- stated by the later\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&fb[path])
        );
        compared += 1;
    }
    assert!(compared > 30, "{compared}");
    // Three parties, three positions on the map: the support ties two claims.
    let map = a.read("map/index.html");
    assert_eq!(
        map.matches("<g class=\"map-position\">").count(),
        3,
        "{map}"
    );
    // The claims index and the timeline show the same badges as the claim pages.
    for page in ["claims/index.html", "timeline/index.html"] {
        let html = main_of(&a.read(page)).to_string();
        assert!(
            html.contains("<span class=\"badge badge-dispute\">in dispute with 3</span>")
                && html.contains("<span class=\"badge\">supported by 1</span>"),
            "{page}: {html}"
        );
    }
    // What the pages say of it: the same words from both ends, no "counter-claim".
    for id in ["attribution", "denial"] {
        let page = a.read(&format!("claims/{id}/index.html"));
        assert!(
            page.contains("in dispute with 1 claim")
                || page.contains("in dispute with 2 claims")
                || page.contains("in dispute with 3 claims"),
            "{id}"
        );
        assert!(
            !page.contains("counter-claim") && !page.contains("Disputed by"),
            "{id}"
        );
    }
}

#[test]
fn a_statement_and_the_claim_it_makes_are_one_item_and_no_claim_is_listed_twice() {
    let site = Site::example();
    site.build(&[]).expect_code(0);
    let timeline = main_of(&site.read("timeline/index.html")).to_string();
    // Microsoft's report of 24 May 2023 is where Microsoft makes its claim that day.
    let report = "/volt-typhoon/sources/msft-2023-volt-typhoon/";
    assert!(
        timeline.contains(&format!("stated in <a href=\"{report}\">")),
        "{timeline}"
    );
    assert!(
        !timeline.contains(&format!(
            "<span class=\"kind\">source</span>\n      <a href=\"{report}\">"
        )),
        "the report is not an item of its own"
    );
    // The home page shows each claim of a dispute as a card once, in its one position;
    // every claim of the example is in its one dispute.
    let home = main_of(&site.read("index.html")).to_string();
    let titles: Vec<&str> = home
        .split("<h4 class=\"claim-title\"><a href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&&str> = titles.iter().collect();
    assert_eq!(
        titles.len(),
        unique.len(),
        "a claim is a card twice on the home page"
    );
    let claims = std::fs::read_dir(site.out().join("claims"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(titles.len(), claims, "{home}");
    // A source page lists a claim once, under "Cited by", not again under "Mentioned in".
    for entry in std::fs::read_dir(site.out().join("sources")).unwrap() {
        let page = entry.unwrap().path().join("index.html");
        if !page.is_file() {
            continue;
        }
        let html = std::fs::read_to_string(&page).unwrap();
        let Some(at) = html.find("id=\"mentions-heading\"") else {
            continue;
        };
        let cited = &html[html.find("id=\"cited-heading\"").unwrap()..at];
        let mentions = &html[at..];
        for href in attr_values(mentions, "href")
            .iter()
            .filter(|h| h.contains("/claims/"))
        {
            assert!(
                !cited.contains(href.as_str()),
                "{}: {href} listed twice",
                page.display()
            );
        }
    }
}

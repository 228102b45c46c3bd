//! `dossier build` on real dossiers: what a reader finds in the produced site.

use crate::common;

use common::*;
use std::fs;

#[test]
fn example_dossier_builds_without_warnings_and_every_link_resolves() {
    let site = Site::example();
    let run = site.build(&[]).expect_code(0);
    assert!(
        !run.stderr.contains("warning"),
        "the example must build without warnings:\n{}",
        run.stderr
    );
    let problems = broken_links(&site.out(), "/volt-typhoon/");
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
    for file in [
        "index.html",
        "claims/index.html",
        "sources/index.html",
        "actors/index.html",
        "tags/index.html",
        "timeline/index.html",
        "method/index.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "dossier.json",
        "style.css",
        "highlight.css",
    ] {
        assert!(site.out().join(file).is_file(), "missing {file}");
    }
}

#[test]
fn example_dossier_meets_its_size_and_balance() {
    let site = Site::example();
    site.build(&[]).expect_code(0);
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let claims = data["claims"].as_array().unwrap();
    assert!(claims.len() >= 12, "{} claims", claims.len());
    assert!(data["sources"].as_array().unwrap().len() >= 15);
    assert!(data["actors"].as_array().unwrap().len() >= 8);
    let disputing: Vec<&serde_json::Value> = claims
        .iter()
        .filter(|c| !c["disputes"].as_array().unwrap().is_empty())
        .collect();
    assert!(disputing.len() >= 4, "counter-claims: {}", disputing.len());
    // Some counter-claims are themselves disputed.
    assert!(
        disputing
            .iter()
            .any(|c| !c["disputed_by"].as_array().unwrap().is_empty())
    );
    assert!(
        claims
            .iter()
            .any(|c| !c["supports"].as_array().unwrap().is_empty())
    );
    // A highlighted code block is on one of the pages.
    let advisory = site.read("sources/cisa-aa23-144a/index.html");
    assert!(
        advisory.contains("class=\"hl-"),
        "code block not highlighted"
    );
}

#[test]
fn every_relation_is_shown_from_both_ends() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let bravo = site.read("claims/bravo/index.html");
    let alpha = site.read("claims/alpha/index.html");
    let delta = site.read("claims/delta/index.html");
    // bravo disputes alpha: both show the other under "In dispute with", first.
    let alpha_main = main_of(&alpha);
    let section = |main: &str| -> String {
        let at = main.find("<h3>In dispute with</h3>").unwrap();
        let end = main[at..].find("</div>").map_or(main.len(), |e| at + e);
        main[at..end].to_string()
    };
    assert!(
        section(alpha_main).contains("/claims/bravo/"),
        "alpha must show bravo as in dispute with it"
    );
    assert!(section(main_of(&bravo)).contains("/claims/alpha/"));
    // delta supports alpha: alpha shows delta under "Supported by", after the disputes.
    let supported = &alpha_main[alpha_main.find("<h3>Supported by</h3>").unwrap()..];
    assert!(alpha_main.find("<h3>In dispute with</h3>") < alpha_main.find("<h3>Supported by</h3>"));
    assert!(
        supported.contains("/claims/delta/"),
        "alpha must show delta as supporting it"
    );
    assert!(main_of(&delta).contains("It supports"));
    // delta disputes bravo, a counter-claim.
    assert!(main_of(&bravo).contains("/claims/delta/"));
    // citations: the source lists the claims citing it, inline or in front matter.
    let s1 = site.read("sources/s1/index.html");
    let cited = &main_of(&s1)[main_of(&s1).find("Cited by").unwrap()..];
    assert!(cited.contains("/claims/alpha/") && cited.contains("/claims/delta/"));
    let s3 = site.read("sources/s3/index.html");
    assert!(
        main_of(&s3).contains("/claims/alpha/"),
        "a front-matter-only citation counts"
    );
    // claimants: the actor lists its claims; published_by: the actor lists its sources.
    let x = site.read("actors/agency-x/index.html");
    for needle in ["/claims/alpha/", "/claims/delta/", "/sources/s1/"] {
        assert!(main_of(&x).contains(needle), "agency-x page lacks {needle}");
    }
    // mentions: [[alpha]] in outlet-y's body and the home page shows up on alpha.
    let mentions = &alpha_main[alpha_main.find("Mentioned in").unwrap()..];
    assert!(
        mentions.contains("/actors/outlet-y/") && mentions.contains("Fixture home"),
        "{mentions}"
    );
    assert!(
        main_of(&site.read("sources/s3/index.html")).contains("/notes/"),
        "[[s3]] on notes must be a mention"
    );
}

#[test]
fn references_are_numbered_by_first_citation_then_front_matter() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let html = site.read("claims/alpha/index.html");
    let main = main_of(&html);
    let refs = &main[main.find("id=\"references\"").unwrap()..];
    let order: Vec<&str> = ["/sources/s2/", "/sources/s1/", "/sources/s3/"]
        .into_iter()
        .filter(|s| refs.contains(s))
        .collect();
    assert_eq!(order.len(), 3);
    let pos = |s: &str| refs.find(s).unwrap();
    assert!(
        pos("/sources/s2/") < pos("/sources/s1/") && pos("/sources/s1/") < pos("/sources/s3/"),
        "order s2, s1, s3"
    );
    assert!(refs.contains("id=\"ref-1\"") && refs.contains("id=\"ref-3\""));
    // markers link to their entry, and entries link back to each marker
    assert!(main.contains("<a class=\"cite\" href=\"#ref-1\" id=\"cite-1\""));
    assert!(main.contains("href=\"#ref-2\" id=\"cite-2\""));
    assert!(main.contains("href=\"#ref-1\" id=\"cite-3\""));
    assert!(refs.contains("href=\"#cite-1\"") && refs.contains("href=\"#cite-3\""));
    // each source once, with locators, quote, translation, grades in words, original and archive
    assert_eq!(refs.matches("href=\"/sources/s1/\"").count(), 1);
    assert!(refs.contains("<span class=\"label\">Cited in the text at:</span> p. 4"));
    assert!(refs.contains("para. 3"));
    assert!(refs.contains("It happened.") && refs.contains("Es ist passiert."));
    assert!(refs.contains("probably true"), "credibility 2 in words");
    assert!(refs.contains("usually reliable"), "reliability B in words");
    assert!(
        refs.contains("href=\"https://agency-x.example/report-one\"")
            && refs.contains("href=\"https://archive.example/report-one\"")
    );
    // e-mail, handle and code are left alone
    assert!(main.contains("press@example.org or @handle"));
    assert!(main.contains("<code>[@s1]</code>"));
    let code = &main[main.find("<pre").unwrap()..main.find("</pre>").unwrap()];
    assert!(
        code.contains("&quot;[@s1]&quot;") && !code.contains("class=\"cite\""),
        "code block text unchanged: {code}"
    );
}

#[test]
fn everything_from_front_matter_and_bodies_is_escaped() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let html = site.read("claims/delta/index.html");
    assert!(!html.contains("<script>"), "no script tag may come through");
    assert!(!html.contains("<img src=x"), "summary must be escaped");
    assert!(!html.contains("<b>not bold</b>") && !html.contains("<b>html</b>"));
    assert!(html.contains(
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Delta &amp; &quot;quotes&quot;"
    ));
    assert!(html.contains("Raw &lt;b&gt;html&lt;/b&gt;"));
    // the hostile title is escaped where it is listed too
    for page in [
        "claims/index.html",
        "claims/bravo/index.html",
        "timeline/index.html",
        "actors/agency-x/index.html",
    ] {
        let h = site.read(page);
        assert!(!h.contains("<script>alert"), "{page} lets a script through");
        assert!(
            h.contains("&lt;script&gt;alert"),
            "{page} lacks the escaped title"
        );
    }
    let feed = site.read("atom.xml");
    assert!(!feed.contains("<script>") && feed.contains("&lt;script&gt;"));
    let title_in_site = site.read("index.html");
    assert!(title_in_site.contains("Fixture &lt;Dossier&gt; &amp; Co"));
}

#[test]
fn raw_html_passes_through_only_when_enabled() {
    let site = Site::fixture("full");
    let toml = std::fs::read_to_string(site.root().join("site.toml"))
        .unwrap()
        .replace("[markdown]", "[markdown]\nraw_html = true");
    site.write("site.toml", &toml);
    site.build(&[]).expect_code(0);
    assert!(
        site.read("claims/delta/index.html")
            .contains("Raw <b>html</b>")
    );
}

#[test]
fn sub_path_base_url_prefixes_every_internal_link() {
    let site = Site::fixture("full");
    site.build(&["--base-url", "https://host.example/sub/dir"])
        .expect_code(0);
    let problems = broken_links(&site.out(), "/sub/dir/");
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
    let html = site.read("claims/alpha/index.html");
    assert!(html.contains("href=\"/sub/dir/style.css\""));
    assert!(html.contains("href=\"/sub/dir/about/team/#people\""));
    assert!(
        site.read("claims/delta/index.html")
            .contains("src=\"/sub/dir/about/figure.svg\"")
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://host.example/sub/dir/claims/alpha/</loc>")
    );
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://host.example/sub/dir/sitemap.xml")
    );
    // The same with base_url set in site.toml.
    let site = Site::example();
    site.build(&[]).expect_code(0);
    assert!(broken_links(&site.out(), "/volt-typhoon/").is_empty());
    let home = site.read("index.html");
    for href in attr_values(main_of(&home), "href") {
        assert!(
            href.starts_with("/volt-typhoon/") || href.starts_with("http") || href.starts_with('#'),
            "{href}"
        );
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    assert!(!site.out().join("claims/charlie").exists());
    assert!(
        !site
            .read("claims/alpha/index.html")
            .contains("/claims/charlie/")
    );
    site.build(&["--drafts"]).expect_code(0);
    assert!(site.out().join("claims/charlie/index.html").is_file());
    let alpha = site.read("claims/alpha/index.html");
    assert!(
        main_of(&alpha).contains("/claims/charlie/"),
        "with --drafts the draft's relation shows"
    );
}

#[test]
fn a_reference_to_a_draft_says_so() {
    let site = Site::fixture("full");
    site.write("content/claims/echo.md", "+++\ntitle = \"Echo\"\nclaimants = [\"agency-x\"]\ndate = 2024-01-01\nsupports = [\"charlie\"]\n\n[[citations]]\nsource = \"s1\"\n+++\n");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("content/claims/echo.md:5:") && run.stderr.contains("draft"),
        "{}",
        run.stderr
    );
    site.build(&["--drafts"]).expect_code(0);
}

#[test]
fn output_flag_writes_elsewhere() {
    let site = Site::fixture("full");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    site.build(&["--output", target.to_str().unwrap()])
        .expect_code(0);
    assert!(target.join("claims/alpha/index.html").is_file());
    assert!(!site.out().exists());
}

#[test]
fn plain_pages_at_any_depth_and_co_located_files() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let team = site.read("about/team/index.html");
    assert!(team.contains("<h2 id=\"people\">People</h2>"));
    assert!(team.contains("src=\"/about/figure.svg\""));
    assert!(
        team.contains("href=\"/claims/alpha/\""),
        "relative .md link rewritten"
    );
    assert!(site.out().join("about/figure.svg").is_file());
    let notes = site.read("notes/index.html");
    assert!(
        notes.contains("<a class=\"xref xref-source\" href=\"/sources/s3/\">Dataset Three</a>")
    );
    // navigation lists top-level pages by weight
    let home = site.read("index.html");
    let nav = &home[home.find("id=\"site-nav\"").unwrap()..home.find("</nav>").unwrap()];
    assert!(
        nav.contains("href=\"/notes/\"") && nav.contains(">Notes</a>"),
        "{nav}"
    );
    assert!(
        !nav.contains("/about/team/"),
        "nested pages stay out of the top navigation: {nav}"
    );
}

#[test]
fn yaml_front_matter_and_partial_dates() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let bravo = site.read("claims/bravo/index.html");
    assert!(bravo.contains("<time datetime=\"2024-04\">April 2024</time>"));
    assert!(
        site.read("sources/s3/index.html")
            .contains("<time datetime=\"2022\">2022</time>")
    );
    let timeline = site.read("timeline/index.html");
    let main = main_of(&timeline);
    let p = |s: &str| {
        main.find(s)
            .unwrap_or_else(|| panic!("{s} not on the timeline"))
    };
    assert!(
        p("/sources/s3/") < p("/claims/alpha/")
            && p("/claims/alpha/") < p("/claims/bravo/")
            && p("/claims/bravo/") < p("/claims/delta/")
    );
}

#[test]
fn tags_feed_sitemap_and_data() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let tags = site.read("tags/index.html");
    assert!(
        tags.contains("href=\"/tags/attribution/\"")
            && tags.contains("href=\"/tags/critical-infrastructure/\"")
    );
    assert!(main_of(&site.read("tags/attribution/index.html")).contains("/claims/alpha/"));
    let feed = site.read("atom.xml");
    assert!(
        feed.contains("<id>https://example.com/claims/alpha/</id>")
            && feed.contains("2023-05-24T00:00:00Z")
    );
    assert!(feed.contains("<id>https://example.com/sources/s1/</id>"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.com/about/team/</loc>"));
    assert!(!sitemap.contains("404"));
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    assert_eq!(data["schema_version"], 2);
    let bravo = data["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "bravo")
        .unwrap();
    assert_eq!(bravo["disputes"][0], "alpha");
    let alpha = data["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "alpha")
        .unwrap();
    assert!(
        alpha["disputed_by"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("bravo"))
    );
    assert_eq!(alpha["citations"][0]["quote"], "It happened.");
    assert!(
        data["relations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["from"] == "s1" && r["kind"] == "published_by" && r["to"] == "agency-x")
    );
    assert!(site.read("404.html").contains("Page not found"));
}

#[test]
fn claim_page_shows_status_assessment_and_grades() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let alpha = site.read("claims/alpha/index.html");
    assert!(
        alpha.contains("Assessment: Unproven") && alpha.contains("No independent confirmation.")
    );
    let delta = site.read("claims/delta/index.html");
    assert!(delta.contains("This claim has been retracted"));
    let s1 = site.read("sources/s1/index.html");
    assert!(
        s1.contains("usually reliable")
            && s1.contains("A. Author, B. Author")
            && s1.contains("January 2024")
    );
    assert!(
        site.read("sources/s3/index.html")
            .contains("reliability cannot be judged")
    );
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = Site::fixture("full");
    site.write("templates/source.html", "{% extends \"base.html\" %}{% block main %}<p class=\"custom\">Custom source {{ source.title }}</p>{% endblock main %}");
    site.write("static/style.css", "body { color: rebeccapurple; }");
    site.write("static/extra/logo.txt", "logo");
    site.build(&[]).expect_code(0);
    assert!(
        site.read("sources/s1/index.html")
            .contains("<p class=\"custom\">Custom source Report One</p>")
    );
    assert!(
        site.read("claims/alpha/index.html").contains("<h1>Alpha"),
        "other templates stay the theme's"
    );
    assert_eq!(site.read("style.css"), "body { color: rebeccapurple; }");
    assert_eq!(site.read("extra/logo.txt"), "logo");
}

#[test]
fn a_theme_folder_is_used_and_falls_back_to_the_built_in_theme() {
    let site = Site::fixture("full");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("theme = \"plain\"\n{toml}"));
    site.write("themes/plain/templates/actor.html", "{% extends \"base.html\" %}{% block main %}<p>Plain actor {{ actor.title }}</p>{% endblock main %}");
    site.write("themes/plain/static/plain.css", "p {}");
    site.build(&[]).expect_code(0);
    assert!(
        site.read("actors/agency-x/index.html")
            .contains("<p>Plain actor Agency X</p>")
    );
    assert!(site.out().join("plain.css").is_file());
    assert!(
        site.read("claims/alpha/index.html")
            .contains("id=\"references\"")
    );
}

#[test]
fn highlight_stylesheet_follows_the_configured_theme() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let light = site.read("highlight.css");
    let toml = std::fs::read_to_string(site.root().join("site.toml"))
        .unwrap()
        .replace("InspiredGitHub", "base16-ocean.dark");
    site.write("site.toml", &toml);
    site.build(&[]).expect_code(0);
    let dark = site.read("highlight.css");
    assert!(light.contains(".hl-") && dark.contains(".hl-"));
    assert_ne!(light, dark);
}

#[test]
fn rebuilding_replaces_the_output_and_keeps_no_stale_pages() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    std::fs::remove_file(site.root().join("content/claims/delta.md")).unwrap();
    site.build(&[]).expect_code(0);
    assert!(
        !site.out().join("claims/delta").exists(),
        "a removed claim's page must go"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Builds `site` into a new folder with no cache: what every cached build must write.
fn fresh_build(
    site: &Site,
) -> (
    tempfile::TempDir,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    site.build(&["--output", out.to_str().unwrap()])
        .expect_code(0);
    let files = files(&out);
    (dir, files)
}

/// The number of files a build says it wrote.
fn files_written(stderr: &str) -> usize {
    let at = stderr
        .rfind(" files written")
        .or_else(|| stderr.rfind(" file written"));
    let head = &stderr[..at.expect("a build says how many files it wrote")];
    head.rsplit('(').next().unwrap().parse().unwrap()
}

#[test]
fn a_build_after_one_edit_renders_again_only_what_it_changed() {
    let site = Site::example();
    let first = site.build(&[]).expect_code(0);
    assert!(!first.stderr.contains("note:"), "{}", first.stderr);
    assert!(site.root().join(".dossier-cache/public").is_file());
    let all = files_written(&first.stderr);

    let claim = site.root().join("content/claims/cisa-prepositioning.md");
    let text = fs::read_to_string(&claim).unwrap();
    fs::write(&claim, format!("{text}\nA sentence added by the test.\n")).unwrap();
    let second = site.build(&[]).expect_code(0);
    assert!(!second.stderr.contains("note:"), "{}", second.stderr);
    assert!(
        site.read("claims/cisa-prepositioning/index.html")
            .contains("A sentence added by the test.")
    );
    let (_fresh, expected) = fresh_build(&site);
    assert_eq!(
        files(&site.out()),
        expected,
        "the cached build differs from a fresh one"
    );
    // The claim's page, the print edition, the data exports and the search index files
    // that hold its words: a handful of the site's files.
    let again = files_written(&second.stderr);
    assert!(
        (1..=20).contains(&again) && again * 10 < all,
        "{again} of {all}"
    );

    // A page changed in the output by hand is written again, though nothing changed.
    let page = site.out().join("claims/cisa-prepositioning/index.html");
    fs::write(&page, "changed by hand").unwrap();
    let third = site.build(&[]).expect_code(0);
    assert_eq!(files_written(&third.stderr), 1, "{}", third.stderr);
    assert_eq!(files(&site.out()), expected);

    // So is a file of the search index, which a build keeps whole when nothing changed.
    let meta = site.out().join("search-index/meta.json");
    fs::write(&meta, "{}").unwrap();
    let fourth = site.build(&[]).expect_code(0);
    assert_eq!(files_written(&fourth.stderr), 1, "{}", fourth.stderr);
    let fifth = site.build(&[]).expect_code(0);
    assert_eq!(files_written(&fifth.stderr), 0, "{}", fifth.stderr);
    assert_eq!(files(&site.out()), expected);
}

#[test]
fn a_cache_that_cannot_be_trusted_is_ignored_with_one_note() {
    type Damage = fn(&std::path::Path);
    let cases: [(&str, Damage, &str, bool); 5] = [
        (
            "cut short",
            |f| {
                let bytes = fs::read(f).unwrap();
                fs::write(f, &bytes[..bytes.len() / 2]).unwrap();
            },
            "is damaged or was cut short; this build renders every page and replaces it",
            true,
        ),
        (
            "a changed byte",
            |f| {
                let mut bytes = fs::read(f).unwrap();
                let n = bytes.len();
                bytes[n - 10] ^= 0x55;
                fs::write(f, bytes).unwrap();
            },
            "is damaged or was cut short; this build renders every page and replaces it",
            true,
        ),
        (
            "another binary",
            |f| {
                let mut bytes = fs::read(f).unwrap();
                let at = b"dossier build cache\n".len() + 4;
                bytes[at] = b'9';
                fs::write(f, bytes).unwrap();
            },
            "was written by another version or build of dossier; this build renders every page and replaces it",
            true,
        ),
        (
            "a folder where the file goes",
            |f| {
                fs::remove_file(f).unwrap();
                fs::create_dir(f).unwrap();
            },
            "cannot be read (Is a directory (os error 21)); this build renders every page",
            false,
        ),
        (
            "a file where the folder goes",
            |f| {
                let dir = f.parent().unwrap();
                fs::remove_dir_all(dir).unwrap();
                fs::write(dir, "not a folder").unwrap();
            },
            "is not a folder, so this build keeps no cache and renders every page",
            false,
        ),
    ];
    for (what, damage, note, replaced) in cases {
        let site = Site::example();
        site.build(&[]).expect_code(0);
        damage(&site.root().join(".dossier-cache/public"));
        let claim = site.root().join("content/claims/cisa-prepositioning.md");
        let text = fs::read_to_string(&claim).unwrap();
        fs::write(&claim, format!("{text}\nAn added paragraph.\n")).unwrap();
        let run = site.build(&[]).expect_code(0);
        let notes: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("note:"))
            .collect();
        assert_eq!(notes.len(), 1, "{what}: {}", run.stderr);
        assert!(notes[0].ends_with(note), "{what}: {}", notes[0]);
        let (_fresh, expected) = fresh_build(&site);
        assert_eq!(
            files(&site.out()),
            expected,
            "{what}: the build differs from a fresh one"
        );
        let next = site.build(&[]).expect_code(0);
        assert_eq!(
            next.stderr.contains("note:"),
            !replaced,
            "{what}: {}",
            next.stderr
        );
        if replaced {
            assert_eq!(files_written(&next.stderr), 0, "{what}: {}", next.stderr);
        }
    }
}

//! Reading and publishing: the dispute map, the print page, the search index, and the
//! data given to other publishers (CSL-JSON, JSON-LD, the documented `dossier.json`).

use crate::common;

use std::collections::{BTreeSet, HashMap};

use common::*;

/// The boxes of an SVG map: claim URL to the box's `x`.
fn claims_by_id<'a>(data: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    data["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

fn map_nodes(svg: &str) -> HashMap<String, u32> {
    let mut nodes = HashMap::new();
    for part in svg.split("<a class=\"map-node").skip(1) {
        let href = part
            .split("href=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let x = part
            .split("<rect x=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        nodes.insert(href.to_string(), x.parse().unwrap());
    }
    nodes
}

/// The first `<svg class="dispute-map"…</svg>` of a page.
fn svg_of(html: &str) -> &str {
    let start = html
        .find("<svg class=\"dispute-map\"")
        .expect("a dispute map");
    let end = html[start..].find("</svg>").unwrap() + start;
    &html[start..end]
}

/// The positions of an SVG map: each one's heading and the claim URLs drawn in it.
fn map_positions(svg: &str) -> Vec<(String, BTreeSet<String>)> {
    svg.split("<g class=\"map-position\">")
        .skip(1)
        .map(|part| {
            let part = &part[..part.find("</g>").unwrap_or(part.len())];
            let heading: Vec<&str> = part
                .split("<text class=\"map-group\"")
                .skip(1)
                .map(|t| t.split('>').nth(1).unwrap().split('<').next().unwrap())
                .collect();
            let claims = map_nodes(part).into_keys().collect();
            (heading.join(" "), claims)
        })
        .collect()
}

/// Which position (by its place among `positions`) each claim URL is in.
fn position_of(positions: &[(String, BTreeSet<String>)]) -> HashMap<String, usize> {
    positions
        .iter()
        .enumerate()
        .flat_map(|(k, (_, claims))| claims.iter().map(move |c| (c.clone(), k)))
        .collect()
}

#[test]
fn the_map_groups_claims_by_position_never_two_in_dispute_together() {
    let site = Site::example();
    site.build(&[]).expect_code(0);
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let page = site.read("map/index.html");
    let svg = svg_of(&page);
    let nodes = map_nodes(svg);
    let positions = map_positions(svg);
    let at = position_of(&positions);
    let url = |id: &str| format!("/volt-typhoon/claims/{id}/");
    let claims = data["claims"].as_array().unwrap();
    let (mut disputes, mut supports) = (0, 0);
    for c in claims {
        let id = c["id"].as_str().unwrap();
        for t in c["disputes"].as_array().unwrap() {
            disputes += 1;
            assert_ne!(
                at[&url(id)],
                at[&url(t.as_str().unwrap())],
                "{id} disputes {t} but shares its position"
            );
        }
        supports += c["supports"].as_array().unwrap().len();
    }
    // Every claim of the example takes part in the dispute, so every one is a node.
    assert_eq!(nodes.len(), claims.len());
    assert_eq!(at.len(), claims.len());
    assert_eq!(svg.matches("class=\"edge-disputes\"").count(), disputes);
    assert_eq!(svg.matches("class=\"edge-supports\"").count(), supports);
    assert!(disputes >= 10 && supports >= 10, "{disputes} {supports}");
    // Positions are named by their claimants, never "side of".
    assert!(positions.len() >= 2, "{positions:?}");
    assert!(!svg.contains("Side of"));
    for (heading, claims) in &positions {
        let first = claims.iter().next().unwrap();
        let id = first.trim_end_matches('/').rsplit('/').next().unwrap();
        let claim = claims_by_id(&data, id);
        let claimant = claim["claimants"][0].as_str().unwrap();
        let name = data["actors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == claimant)
            .unwrap()["title"]
            .as_str()
            .unwrap()
            .replace('\'', "&#39;");
        assert!(
            heading.contains(&name[..name.len().min(20)]),
            "{heading} names {name}"
        );
    }
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[map]\nsides = [\"A\", \"B\"]\n"),
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("[map] sides is replaced by positions"),
        "{}",
        run.stderr
    );
    // The same relations as a list, for readers who do not see the drawing.
    assert!(page.contains("The map as a list"));
    // A dispute is listed from both of its ends, in the same words.
    assert_eq!(
        main_of(&page).matches("<li>in dispute with <a").count(),
        2 * disputes
    );
    assert_eq!(main_of(&page).matches("<li>supports <a").count(), supports);
}

#[test]
fn each_claim_page_draws_its_neighbours_and_a_lone_claim_draws_none() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let bravo = site.read("claims/bravo/index.html");
    let svg = svg_of(&bravo);
    let nodes = map_nodes(svg);
    // Bravo disputes Alpha and is disputed by Delta, who supports Alpha: Bravo's position
    // first, Alpha and Delta together in another.
    assert_eq!(nodes.len(), 3, "{svg}");
    assert_eq!(nodes["/claims/alpha/"], nodes["/claims/delta/"]);
    assert_ne!(nodes["/claims/alpha/"], nodes["/claims/bravo/"]);
    assert!(svg.contains("<a class=\"map-node current\" href=\"/claims/bravo/\""));
    assert_eq!(svg.matches("class=\"edge-disputes\"").count(), 2);
    // Delta supports Alpha: they share Delta's position, first; Bravo is in its own.
    let delta = map_nodes(svg_of(&site.read("claims/delta/index.html")));
    assert_eq!(delta["/claims/alpha/"], delta["/claims/delta/"]);
    assert!(delta["/claims/bravo/"] > delta["/claims/delta/"]);
    // Titles are escaped inside the drawing.
    assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Delta &amp;"));

    let lone = Site::minimal();
    lone.build(&[]).expect_code(0);
    assert!(
        !lone
            .read("claims/claim-c/index.html")
            .contains("dispute-map")
    );
    let map = lone.read("map/index.html");
    assert!(main_of(&map).contains("No claim in this dossier disputes or supports another yet."));
    assert!(main_of(&map).contains("Claims linked to no other"));
}

/// The claims of `/dossier.json` as (date, id), oldest first.
fn claims_by_date(data: &serde_json::Value) -> Vec<(String, String)> {
    let mut claims: Vec<(String, String)> = data["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["date"].as_str().unwrap().into(),
                c["id"].as_str().unwrap().into(),
            )
        })
        .collect();
    claims.sort();
    claims
}

#[test]
fn the_print_page_holds_the_whole_dossier_in_reading_order() {
    let site = Site::example();
    site.build(&[]).expect_code(0);
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let print = site.read("print/index.html");
    let main = main_of(&print);
    // Claims oldest first, each with its body and references, then every source.
    let claims = claims_by_date(&data);
    let mut last = 0;
    for (_, id) in &claims {
        let at = main
            .find(&format!("id=\"claim-{id}\""))
            .unwrap_or_else(|| panic!("claim {id} is missing"));
        assert!(at > last, "claim {id} is out of date order");
        last = at;
    }
    let sources_at = main.find("id=\"sources\"").unwrap();
    assert!(sources_at > last);
    for s in data["sources"].as_array().unwrap() {
        assert!(main.contains(&format!("id=\"source-{}\"", s["id"].as_str().unwrap())));
    }
    // Bodies keep their citation markers, each pointing at its own claim's references.
    assert!(main.contains("href=\"#claim-cverc-funding-campaign-ref-1\""));
    assert!(main.contains("id=\"claim-cverc-funding-campaign-ref-1\""));
    // One page, so every id must be unique, and every in-page link must land.
    let ids = attr_values(&print, "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids on the print page");
    assert!(broken_links(&site.out(), "/volt-typhoon/").is_empty());
    // A print stylesheet hides the navigation and shows link addresses.
    let css = site.read("style.css");
    assert!(css.contains("@media print") && css.contains("content: \" <\" attr(href) \">\""));
}

#[test]
fn a_large_print_edition_is_in_parts_of_250_claims_each_linked_from_the_others() {
    let site = generated(600);
    site.build(&[]).expect_code(0);
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let sources = data["sources"].as_array().unwrap();
    // 601 claims in three parts of at most 250, then the sources and the actors.
    let paths = [
        "print/index.html",
        "print/2/index.html",
        "print/3/index.html",
        "print/4/index.html",
    ];
    let parts: Vec<String> = paths.iter().map(|p| site.read(p)).collect();
    assert!(!site.out().join("print/5").exists());
    // Every claim once, in the part its place in date order puts it in.
    let dated = claims_by_date(&data);
    let mut counts = [0; 4];
    for (k, (_, id)) in dated.iter().enumerate() {
        let anchor = format!("id=\"claim-{id}\"");
        let holding: Vec<usize> = (0..4).filter(|&p| parts[p].contains(&anchor)).collect();
        assert_eq!(holding, [k / 250], "claim {id}, {}th by date", k + 1);
        counts[k / 250] += 1;
    }
    assert_eq!(counts, [250, 250, 101, 0]);
    // The sources and the actors in the last part only.
    for s in sources {
        let anchor = format!("id=\"source-{}\"", s["id"].as_str().unwrap());
        assert_eq!(parts.iter().filter(|h| h.contains(&anchor)).count(), 1);
        assert!(parts[3].contains(&anchor));
    }
    assert!(parts[3].contains("id=\"actors\"") && !parts[0].contains("id=\"actors\""));
    // Each part lists every part, marks itself, and has its own title.
    for (k, html) in parts.iter().enumerate() {
        assert!(
            html.contains("The print edition in 4 parts"),
            "part {}",
            k + 1
        );
        for (j, p) in ["/print/", "/print/2/", "/print/3/", "/print/4/"]
            .iter()
            .enumerate()
        {
            let link = match j == k {
                true => format!("<a href=\"{p}\" aria-current=\"page\">Part {}</a>", j + 1),
                false => format!("<a href=\"{p}\">Part {}</a>", j + 1),
            };
            assert!(html.contains(&link), "part {} lacks {link}", k + 1);
        }
    }
    assert!(
        parts[0].contains("claims 1 to 250")
            && parts[0].contains(&format!("sources 1 to {}, and the actors", sources.len()))
    );
    assert!(parts[1].contains("<title>Print edition, part 2 of 4 · "));
    // A relation to a claim in another part goes to that part; every link lands.
    assert!(parts.iter().any(|h| h.contains("href=\"/print/2/#claim-")));
    assert_eq!(broken_links(&site.out(), "/"), Vec::<String>::new());
    // A small dossier's print page is one page, with no list of parts.
    let small = Site::example();
    small.build(&[]).expect_code(0);
    assert!(!small.read("print/index.html").contains("print-parts"));
    assert!(!small.out().join("print/2").exists());
}

#[test]
fn bibliography_json_is_csl_json_for_every_source() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let items: serde_json::Value = serde_json::from_str(&site.read("bibliography.json")).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 3);
    let by_id = |id: &str| items.iter().find(|i| i["id"] == id).unwrap().clone();
    let s1 = by_id("s1");
    assert_eq!(s1["type"], "report");
    assert_eq!(s1["title"], "Report One");
    assert_eq!(s1["publisher"], "Agency X Press");
    assert_eq!(
        s1["author"],
        serde_json::json!([
            { "family": "Author", "given": "A." },
            { "family": "Author", "given": "B." }
        ])
    );
    assert_eq!(
        s1["issued"]["date-parts"],
        serde_json::json!([[2023, 5, 24]])
    );
    assert_eq!(s1["URL"], "https://agency-x.example/report-one");
    let s2 = by_id("s2");
    assert_eq!(s2["type"], "article-newspaper");
    assert_eq!(
        s2["container-title"], "Outlet Y",
        "a news piece's outlet is its container"
    );
    assert!(s2.get("publisher").is_none());
    assert_eq!(s2["issued"]["date-parts"], serde_json::json!([[2024, 4]]));
    let s3 = by_id("s3");
    assert_eq!(s3["type"], "dataset");
    assert_eq!(s3["issued"]["date-parts"], serde_json::json!([[2022]]));
    assert!(s3.get("URL").is_none() && s3.get("author").is_none());
    // Every item has the two keys CSL-JSON requires.
    assert!(
        items
            .iter()
            .all(|i| i["id"].is_string() && i["type"].is_string())
    );
}

#[test]
fn people_are_family_and_given_names_and_organisations_literal_in_bibliography_json() {
    let site = Site::minimal();
    site.write(
        "content/actors/reporter.md",
        "+++\ntitle = \"Cher\"\nkind = \"person\"\n+++\n",
    );
    site.write(
        "content/actors/lab.md",
        "+++\ntitle = \"Ann Lee\"\nkind = \"company\"\n+++\n",
    );
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"A report\"\npublisher = \"P\"\narchive_url = \"https://web.archive.org/web/2024/https://p.test/r\"\nauthors = [\"Adam Entous\", \"Juan de la Cruz\", \"Martin Luther King, Jr.\", \"Microsoft Threat Intelligence\", \"Cher\", \"Ann Lee\", { family = \"Mao\", given = \"Ning\", family_first = true }, { literal = \"Jane Smith Associates\" }]\n+++\n",
    );
    site.build(&[]).expect_code(0);
    let items: serde_json::Value = serde_json::from_str(&site.read("bibliography.json")).unwrap();
    assert_eq!(
        items[0]["author"],
        serde_json::json!([
            { "family": "Entous", "given": "Adam" },
            { "family": "Cruz", "given": "Juan", "non-dropping-particle": "de la" },
            { "family": "King", "given": "Martin Luther", "suffix": "Jr." },
            { "literal": "Microsoft Threat Intelligence" },
            // An actor says which a name is: a one-word person, a company named like one.
            { "family": "Cher" },
            { "literal": "Ann Lee" },
            { "family": "Mao", "given": "Ning", "static-ordering": true },
            { "literal": "Jane Smith Associates" }
        ])
    );
    assert_eq!(
        items[0]["archive_location"],
        "Archived at https://web.archive.org/web/2024/https://p.test/r"
    );
    // The site writes each name as written, or in its own order; dossier.json has both.
    let page = site.read("sources/source-s/index.html");
    assert!(
        page.contains("Juan de la Cruz, Martin Luther King, Jr., "),
        "{page}"
    );
    assert!(page.contains("Mao Ning, Jane Smith Associates"), "{page}");
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    assert_eq!(data["sources"][0]["authors"][6], "Mao Ning");
    assert_eq!(data["sources"][0]["author_names"], items[0]["author"]);
    // A mistake in a name's table is one error at its key, with the key it meant.
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"A report\"\npublisher = \"P\"\nauthors = [\"Adam Entous\", { family = \"Cruz\", given = \"Juan\", particl = \"de la\" }]\n+++\n",
    );
    let run = site.build(&[]).expect_code(1);
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with(
            "content/sources/source-s.md:4:62: error: invalid front matter: `particl` is not a key here"
        ) && errors[0].contains("did you mean `particle`?"),
        "{}",
        run.stderr
    );
    for (table, says) in [
        ("{ given = \"Juan\" }", "needs `family`"),
        ("{ family = \"Lee\", literal = \"Lee Inc\" }", "not both"),
        ("{ family = \" \" }", "is empty"),
    ] {
        site.write(
            "content/sources/source-s.md",
            &format!("+++\ntitle = \"A report\"\npublisher = \"P\"\nauthors = [{table}]\n+++\n"),
        );
        let run = site.build(&[]).expect_code(1);
        let errors = error_lines(&run);
        assert_eq!(errors.len(), 1, "{}", run.stderr);
        assert!(
            errors[0].starts_with("content/sources/source-s.md:4:") && errors[0].contains(says),
            "{table}: {}",
            run.stderr
        );
    }
}

/// The JSON-LD of a page.
fn json_ld(html: &str) -> serde_json::Value {
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("a JSON-LD script");
    serde_json::from_str(ld).unwrap()
}

#[test]
fn claim_pages_carry_schema_org_claims_and_reviews() {
    let site = Site::fixture("full");
    site.build(&[]).expect_code(0);
    let alpha = json_ld(&site.read("claims/alpha/index.html"));
    assert_eq!(alpha["@context"], "https://schema.org");
    // Alpha has an assessment: a ClaimReview of it, with the claim inline.
    let review = &alpha["@graph"][0];
    assert_eq!(alpha["@graph"].as_array().unwrap().len(), 1);
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(review["claimReviewed"], "Alpha: Agency X says it happened");
    assert_eq!(review["reviewRating"]["alternateName"], "Unproven");
    assert_eq!(
        review["reviewRating"]["ratingExplanation"],
        "No independent confirmation."
    );
    let claim = &review["itemReviewed"];
    assert_eq!(claim["@type"], "Claim");
    assert_eq!(claim["name"], "Alpha: Agency X says it happened");
    assert_eq!(claim["datePublished"], "2023-05-24");
    assert_eq!(claim["url"], "https://example.com/claims/alpha/");
    assert_eq!(claim["author"][0]["name"], "Agency X");
    assert_eq!(
        claim["author"][0]["url"],
        "https://example.com/actors/agency-x/"
    );
    // Report One is published by the claimant: where the claim appears, first.
    assert_eq!(claim["firstAppearance"]["name"], "Report One");
    assert_eq!(
        claim["firstAppearance"]["url"],
        "https://agency-x.example/report-one"
    );
    assert_eq!(claim["appearance"].as_array().unwrap().len(), 1);
    // Bravo has none; its claimant publishes none of its sources, so every cited source
    // is an appearance.
    let bravo = json_ld(&site.read("claims/bravo/index.html"));
    assert_eq!(bravo["@graph"].as_array().unwrap().len(), 1);
    assert_eq!(bravo["@graph"][0]["@type"], "Claim");
    assert_eq!(bravo["@graph"][0]["author"][0]["name"], "Outlet Y");
    // Delta's title holds markup; the script cannot be closed early.
    let delta_html = site.read("claims/delta/index.html");
    let delta = json_ld(&delta_html);
    assert_eq!(
        delta["@graph"][0]["name"],
        "<script>alert('x')</script> Delta & \"quotes\""
    );
    assert_eq!(
        delta_html.matches("</script>").count(),
        2,
        "dossier.js and JSON-LD only"
    );
    // Only claim pages carry it.
    assert!(
        !site
            .read("sources/s1/index.html")
            .contains("application/ld+json")
    );
}

/// Google's ClaimReview documentation: required `claimReviewed`, `reviewRating` (with
/// `alternateName`) and `url`; recommended `author` (with `name` and `url`),
/// `datePublished`, `itemReviewed` (a `Claim` with `author`, `datePublished` and
/// `appearance` or `firstAppearance`), and the rating's numbers when it has them.
#[test]
fn claim_reviews_carry_what_fact_check_readers_look_for() {
    let site = Site::fixture("full");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{toml}\n[publisher]\nname = \"The Fact Desk\"\nurl = \"https://desk.example/\"\nlogo = \"https://desk.example/logo.png\"\n"));
    let alpha = std::fs::read_to_string(site.root().join("content/claims/alpha.md")).unwrap();
    site.write(
        "content/claims/alpha.md",
        &alpha.replace(
            "rating = \"Unproven\"",
            "rating = \"Unproven\"\ndate = 2024-05-02\nrating_value = 2\nbest_rating = 5\nworst_rating = 1",
        ),
    );
    site.build(&[]).expect_code(0);
    let page = site.read("claims/alpha/index.html");
    assert!(
        page.contains("<strong>Assessment: Unproven</strong> (2 on a scale from 1 to 5), <time datetime=\"2024-05-02\">2 May 2024</time>"),
        "{page}"
    );
    let review = json_ld(&page)["@graph"][0].clone();
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(review["url"], "https://example.com/claims/alpha/");
    assert_eq!(review["claimReviewed"], "Alpha: Agency X says it happened");
    assert_eq!(review["datePublished"], "2024-05-02");
    let rating = &review["reviewRating"];
    assert_eq!(rating["@type"], "Rating");
    assert_eq!(rating["alternateName"], "Unproven");
    assert_eq!(rating["ratingValue"], 2.0);
    assert_eq!(rating["bestRating"], 5.0);
    assert_eq!(rating["worstRating"], 1.0);
    for who in ["author", "publisher"] {
        assert_eq!(review[who]["@type"], "Organization");
        assert_eq!(review[who]["name"], "The Fact Desk");
        assert_eq!(review[who]["url"], "https://desk.example/");
        assert_eq!(review[who]["logo"], "https://desk.example/logo.png");
    }
    let item = &review["itemReviewed"];
    assert_eq!(item["@type"], "Claim");
    assert_eq!(item["author"][0]["name"], "Agency X");
    assert_eq!(item["datePublished"], "2023-05-24");
    assert_eq!(
        item["appearance"][0]["url"],
        "https://agency-x.example/report-one"
    );
    assert_eq!(item["firstAppearance"]["@type"], "Report");
    // A number without its scale, or off it, is an error at the key.
    for (keys, message) in [
        ("rating_value = 2", "`rating_value` needs its scale"),
        (
            "rating_value = 9\nbest_rating = 5\nworst_rating = 1",
            "`rating_value` 9 must lie between `worst_rating` 1 and `best_rating` 5",
        ),
    ] {
        site.write(
            "content/claims/alpha.md",
            &alpha.replace(
                "rating = \"Unproven\"",
                &format!("rating = \"Unproven\"\n{keys}"),
            ),
        );
        let run = site.build(&[]).expect_code(1);
        assert!(
            run.stderr
                .contains(&format!("content/claims/alpha.md:10:1: error: {message}")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn the_feed_lists_claims_and_sources_newest_first() {
    let site = Site::example();
    site.build(&[]).expect_code(0);
    let feed = site.read("atom.xml");
    let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let dated_sources = data["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["date"].is_string())
        .count();
    // Each correction is an entry too.
    let corrections: usize = ["claims", "sources", "actors", "events"]
        .iter()
        .flat_map(|k| data[k].as_array().unwrap())
        .map(|e| e["corrections"].as_array().unwrap().len())
        .sum();
    assert!(corrections > 0);
    assert_eq!(
        entries.len(),
        data["claims"].as_array().unwrap().len() + dated_sources + corrections
    );
    let updated: Vec<&str> = entries
        .iter()
        .map(|e| {
            e.split("<updated>")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
        })
        .collect();
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted, "newest first");
    assert!(
        entries.iter().any(|e| e.contains("/claims/"))
            && entries.iter().any(|e| e.contains("/sources/"))
    );
}

#[test]
fn the_feed_holds_the_newest_entries_up_to_its_setting_and_large_data_exports_are_compact() {
    let site = generated(1000);
    site.build(&[]).expect_code(0);
    let feed = site.read("atom.xml");
    assert_eq!(
        feed.matches("<entry>").count(),
        50,
        "the default: the 50 newest"
    );
    let data = site.read("dossier.json");
    assert_eq!(data.lines().count(), 1, "1,000 claims: compact");
    let parsed: serde_json::Value = serde_json::from_str(&data).unwrap();
    // The generated claims and the minimal site's own.
    assert_eq!(parsed["claims"].as_array().unwrap().len(), 1001);
    assert_eq!(site.read("bibliography.json").lines().count(), 1);
    // The newest entries are those kept: every kept entry is at least as new as any other.
    let updated = |e: &str| e.split("<updated>").nth(1).unwrap()[..10].to_string();
    let kept: Vec<String> = feed.split("<entry>").skip(1).map(updated).collect();
    let oldest_kept = kept.iter().min().unwrap().clone();
    let newer_left_out = parsed["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["date"].as_str().unwrap() > oldest_kept.as_str())
        .count();
    assert!(
        newer_left_out <= 50,
        "{newer_left_out} claims newer than {oldest_kept}"
    );

    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap()
        + "\n[output]\nfeed_entries = 3\npretty_data = true\n";
    site.write("site.toml", &config);
    site.build(&[]).expect_code(0);
    assert_eq!(site.read("atom.xml").matches("<entry>").count(), 3);
    assert!(
        site.read("dossier.json").lines().count() > 1000,
        "pretty on request"
    );

    site.write(
        "site.toml",
        &config.replace("feed_entries = 3", "feed_entries = 0"),
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("site.toml:") && run.stderr.contains("feed_entries"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_large_home_page_shows_each_position_with_its_first_claims_and_how_many_more() {
    let site = generated(1000);
    site.build(&[]).expect_code(0);
    let home = site.read("index.html");
    let map = site.read("map/index.html");
    let on_map: HashMap<String, usize> = listed_positions(&map)
        .into_iter()
        .map(|(name, claims)| (name, claims.len()))
        .collect();
    let positions: Vec<&str> = home.split("<section class=\"position\"").skip(1).collect();
    assert!(!positions.is_empty());
    let mut summarised = 0;
    for p in positions {
        let name = p.split("</h3>").next().unwrap().rsplit('>').next().unwrap();
        let all = on_map[name];
        let shown = p.matches("class=\"claim-card").count();
        assert_eq!(shown, all.min(3), "{name}");
        if all > 3 {
            summarised += 1;
            let more = format!("{} more claim", all - 3);
            assert!(p.contains(&more), "{name}: {more}");
            assert!(p.contains("<a href=\"/map/\">"));
        }
    }
    assert!(summarised > 0);
    assert!(home.len() < 200_000, "home page of {} bytes", home.len());
    // The example's home page shows every claim of every dispute.
    let small = Site::example();
    small.build(&[]).expect_code(0);
    assert!(!small.read("index.html").contains("more claim"));
}

/// Every object key in a JSON value, recursively.
fn keys(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                keys(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
        _ => {}
    }
}

#[test]
fn every_key_of_dossier_json_is_documented_with_its_version() {
    let doc = std::fs::read_to_string(repo_root().join("docs/dossier-json.md")).unwrap();
    let mut found = BTreeSet::new();
    for site in [Site::example(), Site::fixture("full")] {
        site.build(&[]).expect_code(0);
        let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
        assert_eq!(data["schema_version"], 2);
        keys(&data, &mut found);
    }
    let missing: Vec<&String> = found
        .iter()
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .collect();
    assert!(missing.is_empty(), "undocumented keys: {missing:?}");
    assert!(doc.contains("`schema_version` is 2"));
}

#[test]
fn the_search_index_is_built_small_and_found_from_every_page() {
    let site = Site::example();
    // An assessment and a quote translation with words found nowhere else.
    let path = "content/claims/cisa-prepositioning.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    let text = text.replacen(
        "\n+++",
        "\n[assessment]\nrating = \"Zanzibarish\"\nsummary = \"A test.\"\n+++",
        1,
    );
    let text = text.replacen(
        "[[citations]]\n",
        "[[citations]]\nquote_translation = \"Quokkaword\"\n",
        1,
    );
    site.write(path, &text);
    site.build(&["--base-url", "https://host.example/sub/"])
        .expect_code(0);
    let dir = site.out().join("search-index");
    let size: u64 = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    assert!(
        size > 20_000 && size < 250_000,
        "the index takes {size} bytes"
    );
    let json = |rel: &str| -> serde_json::Value { serde_json::from_str(&site.read(rel)).unwrap() };
    let meta = json("search-index/meta.json");
    let data = json("dossier.json");
    // One entry per claim, source, actor, event and plain page (the example has one:
    // Method).
    let entries: usize = ["claims", "sources", "actors", "events"]
        .iter()
        .map(|k| data[*k].as_array().unwrap().len())
        .sum();
    assert_eq!(meta["entries"].as_u64(), Some(entries as u64 + 1));
    assert_eq!(meta["version"], 1);
    // Each shard the meta lists exists, and a term leads to the entries holding it.
    for key in meta["shards"].as_array().unwrap() {
        assert!(
            dir.join(format!("terms/{}.json", key.as_str().unwrap()))
                .is_file()
        );
    }
    let g = json("search-index/terms/g.json");
    let geneva: Vec<u64> = g["geneva"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let per_file = meta["docs_per_file"].as_u64().unwrap();
    let mut titles = Vec::new();
    for code in &geneva {
        let n = code / 2;
        let doc =
            &json(&format!("search-index/docs/{}.json", n / per_file))[(n % per_file) as usize];
        titles.push((doc["title"].as_str().unwrap().to_string(), code % 2 == 1));
        assert!(doc["url"].as_str().unwrap().ends_with('/'));
    }
    // The Geneva claim has the word in its title, its source too; both are found.
    assert!(titles.contains(&(
        "US officials read a Chinese official's remarks in Geneva as a tacit acknowledgement of the intrusions".to_string(),
        true
    )), "{titles:?}");
    assert!(
        titles
            .iter()
            .any(|(t, _)| t.starts_with("Report on a December 2024")),
        "{titles:?}"
    );
    // Assessments and quotes are indexed with their claim.
    let found = |term: &str| -> Vec<String> {
        let shard = json(&format!("search-index/terms/{}.json", &term[..1]));
        shard[term]
            .as_array()
            .unwrap_or_else(|| panic!("`{term}` is not indexed"))
            .iter()
            .map(|code| {
                let n = code.as_u64().unwrap() / 2;
                let doc = &json(&format!("search-index/docs/{}.json", n / per_file))
                    [(n % per_file) as usize];
                doc["url"].as_str().unwrap().to_string()
            })
            .collect()
    };
    for (term, claim) in [
        ("zanzibarish", "claims/cisa-prepositioning/"),
        ("quokkaword", "claims/cisa-prepositioning/"),
    ] {
        assert!(found(term).contains(&claim.to_string()), "{term}");
    }
    // URLs are relative to the site's root, so the index works under any sub-path.
    let docs0 = json("search-index/docs/0.json");
    assert!(docs0[0]["url"].as_str().unwrap().starts_with("claims/"));
    // Every page offers the search form, which works without JavaScript as a link to
    // the search page; the search page explains what it needs.
    let claim = site.read("claims/cverc-funding-campaign/index.html");
    assert!(claim.contains("<form class=\"site-search\" role=\"search\" action=\"/sub/search/\">"));
    assert!(claim.contains("<script src=\"/sub/dossier.js\" data-base=\"/sub/\" defer></script>"));
    let search = site.read("search/index.html");
    assert!(search.contains("id=\"search-input\"") && search.contains("<noscript>"));
}

#[test]
fn a_dispute_among_many_parties_gets_a_position_for_each() {
    let site = Site::many_parties();
    site.build(&[]).expect_code(0);
    let page = site.read("map/index.html");
    let positions = map_positions(svg_of(&page));
    let at = position_of(&positions);
    let url = |id: &str| format!("/claims/{id}/");
    let pos = |id: &str| at[&url(id)];
    // The report and the prosecutor are tied by a support; nothing ties the others.
    assert_eq!(pos("nyt-group"), pos("prosecutor-diver"));
    assert_eq!(positions.len(), 6, "{positions:#?}");
    // A denial is never grouped with an accusing party it does not share, nor a report
    // with a government it does not speak for; the three denials are three positions.
    assert_ne!(pos("ukraine-denial"), pos("russia-us-uk"));
    assert_ne!(pos("ukraine-denial"), pos("hersh-navy"));
    assert_ne!(pos("nyt-group"), pos("uk-denial"));
    let denials = [pos("us-denial"), pos("uk-denial"), pos("ukraine-denial")];
    assert!(denials[0] != denials[1] && denials[1] != denials[2] && denials[0] != denials[2]);
    // Each position is named by its claimants, oldest claim first.
    let heading = &positions[pos("nyt-group")].0;
    assert_eq!(heading, "The New York Times; German Federal Prosecutor");
    assert_eq!(
        positions[pos("russia-us-uk")].0,
        "Government of the Russian Federation"
    );
    // Positions come in the order of their earliest claims.
    assert_eq!(pos("russia-us-uk"), 0);
    assert_eq!(pos("uk-denial"), 1);
    // The home page and the map's list show the same positions as the drawing.
    assert_same_positions(&site, &positions);
}

/// The home page's disputes: each a list of positions, each its heading and the URLs of
/// the claims shown in it.
fn home_disputes(html: &str) -> Vec<Vec<(String, BTreeSet<String>)>> {
    let hrefs = |p: &str| -> BTreeSet<String> {
        p.split("<h4 class=\"claim-title\"><a href=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    main_of(html)
        .split("<div class=\"dispute\">")
        .skip(1)
        .map(|d| {
            d.split("<section class=\"position\"")
                .skip(1)
                .map(|p| {
                    let name = p.split("class=\"position-name\"").nth(1).unwrap();
                    let name = name.split('>').nth(1).unwrap().split('<').next().unwrap();
                    (name.to_string(), hrefs(p))
                })
                .collect()
        })
        .collect()
}

/// The map page's list: each position's heading and the URLs of its claims.
fn listed_positions(html: &str) -> Vec<(String, BTreeSet<String>)> {
    let list = &html[html.find("id=\"relations-heading\"").unwrap()..];
    let list = &list[..list.find("</section>").unwrap()];
    list.split("<h3>")
        .skip(1)
        .map(|p| {
            let name = p.split("</h3>").next().unwrap().to_string();
            let claims = p
                .split("\n<li><a href=\"")
                .skip(1)
                .map(|s| s.split('"').next().unwrap().to_string())
                .collect();
            (name, claims)
        })
        .collect()
}

/// Asserts that the home page (its disputes taken together) and the map's list show
/// exactly the positions drawn on the map, by the same names.
fn assert_same_positions(site: &Site, drawn: &[(String, BTreeSet<String>)]) {
    let home: Vec<_> = home_disputes(&site.read("index.html"))
        .into_iter()
        .flatten()
        .collect();
    let listed = listed_positions(&site.read("map/index.html"));
    assert_eq!(home, drawn, "the home page's positions");
    assert_eq!(listed, drawn, "the map's list");
}

/// A dispute of `n` parties: the first accuses, an ally of its own supports it, and each
/// other party denies the accusation in a claim of its own.
fn parties(n: usize) -> Site {
    let site = Site::minimal();
    for k in 0..=n {
        site.write(
            &format!("content/actors/p{k}.md"),
            &format!("+++\ntitle = \"Party {k}\"\n+++\n"),
        );
    }
    let claim = |id: &str, who: usize, day: usize, relation: &str| {
        site.write(
            &format!("content/claims/{id}.md"),
            &format!("+++\ntitle = \"Claim {id}\"\nclaimants = [\"p{who}\"]\ndate = 2024-03-{day:02}\n{relation}\n[[citations]]\nsource = \"source-s\"\n+++\nBody.\n"),
        );
    };
    claim("accusation", 0, 1, "");
    claim("ally", n, 2, "supports = [\"accusation\"]");
    for k in 1..n {
        claim(
            &format!("denial-{k}"),
            k,
            2 + k,
            "disputes = [\"accusation\"]",
        );
    }
    site
}

#[test]
fn disputes_of_two_three_and_five_parties_get_a_position_for_each_party() {
    for n in [2, 3, 5] {
        let site = parties(n);
        site.build(&[]).expect_code(0);
        let drawn = map_positions(svg_of(&site.read("map/index.html")));
        assert_eq!(drawn.len(), n, "{n} parties: {drawn:#?}");
        let accusing: BTreeSet<String> = ["/claims/accusation/", "/claims/ally/"]
            .map(String::from)
            .into();
        assert_eq!(drawn[0], (format!("Party 0; Party {n}"), accusing));
        for (k, (name, claims)) in drawn.iter().enumerate().skip(1) {
            assert_eq!(name, &format!("Party {k}"));
            assert_eq!(claims.len(), 1);
        }
        // One dispute on the home page, with every position in it; the claim nothing
        // relates is in none.
        assert_eq!(home_disputes(&site.read("index.html")).len(), 1);
        assert_same_positions(&site, &drawn);
        assert!(!main_of(&site.read("index.html")).contains("/claims/claim-c/"));
    }
}

#[test]
fn a_cycle_of_supports_and_disputes_splits_where_the_dispute_is() {
    // A supports B, B disputes C, C supports A: A and B share a position, C cannot.
    let site = Site::minimal();
    for (id, who, day, relation) in [
        ("a", "p-a", 1, "supports = [\"b\"]"),
        ("b", "p-b", 2, "disputes = [\"c\"]"),
        ("c", "p-c", 3, "supports = [\"a\"]"),
    ] {
        site.write(
            &format!("content/actors/{who}.md"),
            &format!("+++\ntitle = \"Actor {who}\"\n+++\n"),
        );
        site.write(
            &format!("content/claims/{id}.md"),
            &format!("+++\ntitle = \"Claim {id}\"\nclaimants = [\"{who}\"]\ndate = 2024-03-0{day}\n{relation}\n[[citations]]\nsource = \"source-s\"\n+++\nBody.\n"),
        );
    }
    site.build(&[]).expect_code(0);
    let svg_page = site.read("map/index.html");
    let svg = svg_of(&svg_page);
    let drawn = map_positions(svg);
    let set = |ids: &[&str]| -> BTreeSet<String> {
        ids.iter().map(|id| format!("/claims/{id}/")).collect()
    };
    assert_eq!(
        drawn,
        vec![
            ("Actor p-a; Actor p-b".to_string(), set(&["a", "b"])),
            ("Actor p-c".to_string(), set(&["c"])),
        ]
    );
    assert_eq!(svg.matches("class=\"edge-disputes\"").count(), 1);
    assert_eq!(svg.matches("class=\"edge-supports\"").count(), 2);
    assert_same_positions(&site, &drawn);
    // Around C: its own position first, then A and B together.
    let local = map_positions(svg_of(&site.read("claims/c/index.html")));
    assert_eq!(local[0].1, set(&["c"]));
    assert_eq!(local[1].1, set(&["a", "b"]));
}

#[test]
fn five_hundred_claims_of_one_position_are_one_legible_column() {
    let site = Site::minimal();
    site.write(
        "content/actors/agency.md",
        "+++\ntitle = \"The Agency\"\n+++\n",
    );
    for k in 0..500 {
        let supports = if k == 0 {
            String::new()
        } else {
            "supports = [\"c-0\"]".into()
        };
        site.write(
            &format!("content/claims/c-{k}.md"),
            &format!("+++\ntitle = \"Finding {k} of the agency, in a title long enough to wrap over several lines of its box\"\nclaimants = [\"agency\"]\ndate = 2024-01-01\n{supports}\n[[citations]]\nsource = \"source-s\"\n+++\nBody.\n"),
        );
    }
    site.write(
        "content/claims/denial.md",
        "+++\ntitle = \"A denial\"\nclaimants = [\"actor-a\"]\ndate = 2024-02-01\ndisputes = [\"c-0\"]\n\n[[citations]]\nsource = \"source-s\"\n+++\nBody.\n",
    );
    site.build(&[]).expect_code(0);
    let page = site.read("map/index.html");
    let drawn = map_positions(svg_of(&page));
    assert_eq!(drawn.len(), 2);
    assert_eq!(drawn[0].0, "The Agency");
    assert_eq!(drawn[0].1.len(), 500);
    assert_eq!(drawn[1].0, "Actor A");
    assert_eq!(listed_positions(&page), drawn, "the map's list");
    // The home page summarises the position: its first three claims and how many more.
    let home = home_disputes(&site.read("index.html"));
    assert_eq!(home[0][0].0, "The Agency");
    assert_eq!(home[0][0].1.len(), 3);
    assert!(home[0][0].1.is_subset(&drawn[0].1));
    assert!(
        site.read("index.html")
            .contains("497 more claims of this position")
    );
    assert_eq!(home[0][1], drawn[1]);
    // No box overlaps the next: each starts below the one before it in its column.
    let ys: Vec<i64> = svg_of(&page)
        .split("<rect x=\"")
        .skip(1)
        .map(|r| {
            r.split("y=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(ys.len(), 501);
    assert!(ys[..500].windows(2).all(|w| w[1] > w[0] + 40), "{ys:?}");
}

#[test]
fn positions_the_authors_name_are_checked_and_drawn() {
    let site = Site::many_parties();
    let positions = "\n[[map.positions]]\nname = \"Attack by the US Navy\"\nclaims = [\"hersh-navy\", \"russia-us-uk\"]\n";
    site.write("site.toml", &format!("{MIN_SITE_TOML}{positions}"));
    site.build(&[]).expect_code(0);
    let drawn = map_positions(svg_of(&site.read("map/index.html")));
    let at = position_of(&drawn);
    let named = at["/claims/hersh-navy/"];
    assert_eq!(at["/claims/russia-us-uk/"], named);
    assert_eq!(drawn[named].0, "Attack by the US Navy");
    assert_eq!(drawn.len(), 5, "{drawn:#?}");
    // An id that is no claim, a claim in two positions, a disputed pair in one: one error
    // each, where it is written.
    let wrong = "\n[[map.positions]]\nname = \"One\"\nclaims = [\"hersh-navi\", \"us-denial\"]\n\n[[map.positions]]\nname = \"Two\"\nclaims = [\"uk-denial\", \"us-denial\", \"russia-us-uk\"]\n";
    site.write("site.toml", &format!("{MIN_SITE_TOML}{wrong}"));
    let run = site.build(&[]).expect_code(1);
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    assert!(
        errors[0].starts_with(
            "site.toml:6:11: error: the position “One” lists `hersh-navi`, which is no claim"
        ) && run.stderr.contains("hersh-navy"),
        "{}",
        run.stderr
    );
    assert!(
        errors[1]
            .starts_with("site.toml:10:24: error: `us-denial` is in the position “One” already"),
        "{}",
        run.stderr
    );
    assert!(
        errors[2].starts_with("site.toml:10:37: error: `russia-us-uk` and `uk-denial` are in dispute, so they cannot share the position “Two”"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_claim_disputing_itself_through_a_translation_or_supporting_its_disputer_is_one_error() {
    let site = Site::bilingual();
    site.write(
        "content/claims/denial.fr.md",
        "+++\ntitle = \"Démenti\"\ndisputes = [\"attack\", \"denial\"]\n+++\nB.\n",
    );
    let run = site.build(&[]).expect_code(1);
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0]
            .starts_with("content/claims/denial.fr.md:3:24: error: a claim cannot dispute itself"),
        "{}",
        run.stderr
    );
    site.write(
        "content/claims/denial.fr.md",
        "+++\ntitle = \"Démenti\"\n+++\nB.\n",
    );
    site.write(
        "content/claims/attack.md",
        "+++\ntitle = \"Group X attacked the ports\"\nclaimants = [\"alpha\"]\ndate = 2024-04-15\nsupports = [\"denial\"]\n\n[[citations]]\nsource = \"report\"\n+++\nB.\n",
    );
    let run = site.build(&[]).expect_code(1);
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("content/claims/attack.md:5:14: error: `attack` supports `denial` and is in dispute with it"),
        "{}",
        run.stderr
    );
}

//! Events: what happened, on the timeline beside what is claimed about it, linked from
//! the claims about it and to the sources that document it, both ways, and out as data.

use crate::common;

use common::*;

fn with_event(site: &Site, about: &str) {
    site.write(
        "content/events/incident.md",
        "+++\ntitle = \"Intrusions on Guam\"\ndate = \"2023-05\"\nend = \"2023-06\"\nplace = \"Guam\"\nsources = [\"source-s\"]\nsummary = \"Networks on Guam were entered.\"\n+++\nSee [[claim-c]].\n",
    );
    site.write(
        "content/claims/claim-c.md",
        &MIN_CLAIM.replace(
            "date = 2024-01-02\n",
            &format!("date = 2024-01-02\nabout = [\"{about}\"]\n"),
        ),
    );
}

#[test]
fn an_event_is_linked_both_ways_on_the_timeline_and_in_the_data() {
    let site = Site::minimal();
    with_event(&site, "incident");
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let event = main_of(&site.read("events/incident/index.html")).to_string();
    for needle in [
        "<h1>Intrusions on Guam</h1>",
        "May 2023</time> to <time datetime=\"2023-06\">June 2023</time>",
        "<dd>Guam</dd>",
        "href=\"/claims/claim-c/\"",
        "href=\"/sources/source-s/\"",
    ] {
        assert!(event.contains(needle), "`{needle}` in {event}");
    }
    let claim = main_of(&site.read("claims/claim-c/index.html")).to_string();
    assert!(
        claim.contains("<dt>About</dt><dd><a href=\"/events/incident/\">Intrusions on Guam</a>"),
        "{claim}"
    );
    let source = main_of(&site.read("sources/source-s/index.html")).to_string();
    assert!(
        source.contains("<dt>Documents</dt><dd><a href=\"/events/incident/\">"),
        "{source}"
    );
    // The event's body mentions the claim: the claim lists the event under "Mentioned in".
    assert!(
        claim.contains("<span class=\"kind\">event</span> <a href=\"/events/incident/\">"),
        "{claim}"
    );
    // On the timeline, before the claim.
    let timeline = main_of(&site.read("timeline/index.html")).to_string();
    let at = timeline
        .find("href=\"/events/incident/\"")
        .expect("the event is on the timeline");
    assert!(at < timeline.find("href=\"/claims/claim-c/\"").unwrap());
    assert!(timeline.contains("<span class=\"kind\">event</span>") && timeline.contains("— Guam"));
    // In the data, the sitemap and the search index.
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let e = &data["events"][0];
    assert_eq!(e["id"], "incident");
    assert_eq!(e["date"], "2023-05");
    assert_eq!(e["end"], "2023-06");
    assert_eq!(e["claims"], serde_json::json!(["claim-c"]));
    assert_eq!(data["claims"][0]["about"], serde_json::json!(["incident"]));
    let relations = data["relations"].as_array().unwrap();
    for (from, kind, to) in [
        ("claim-c", "about", "incident"),
        ("incident", "documented_by", "source-s"),
    ] {
        assert!(
            relations
                .iter()
                .any(|r| r["from"] == from && r["kind"] == kind && r["to"] == to),
            "{kind}"
        );
    }
    assert!(site.read("sitemap.xml").contains("/events/incident/"));
    let terms: serde_json::Value =
        serde_json::from_str(&site.read("search-index/terms/g.json")).unwrap();
    assert!(terms.get("guam").is_some(), "the event is searchable");
}

#[test]
fn a_wrong_event_is_an_error_with_the_nearest_id() {
    let site = Site::minimal();
    with_event(&site, "incidnt");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("content/claims/claim-c.md:5:")
            && run
                .stderr
                .contains("unknown event id `incidnt` in `about` (did you mean `incident`?)"),
        "{}",
        run.stderr
    );
    site.write(
        "content/events/incident.md",
        "+++\ntitle = \"Backwards\"\ndate = \"2023-05\"\nend = \"2022\"\n+++\n",
    );
    site.write("content/claims/claim-c.md", MIN_CLAIM);
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("content/events/incident.md:4:")
            && run
                .stderr
                .contains("an event cannot end (2022) before it begins (2023-05)"),
        "{}",
        run.stderr
    );
}

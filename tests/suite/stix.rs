//! `/dossier.stix.json`, the STIX 2.1 bundle: valid by the OASIS validator and read back by
//! the stix2 library (Python, installed by `.ci/run`), and each mapping as a platform
//! would read it.

use crate::common;

use std::process::Command;

use common::*;
use serde_json::Value;

/// The validator's verdict and stix2's reading of a bundle, or `None` (skipped outside CI)
/// without the Python packages.
fn check(test: &str, path: &std::path::Path) -> Option<Value> {
    let present = Command::new("python3")
        .args(["-c", "import stix2, stix2validator"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !tool_or_skip(
        test,
        present,
        "Python's stix2 and stix2-validator (`pip install -r tests/requirements.txt`)",
    ) {
        return None;
    }
    let out = Command::new("python3")
        .arg(repo_root().join("tests/stix/check.py"))
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

fn bundle(site: &Site) -> Value {
    serde_json::from_str(&site.read("dossier.stix.json")).unwrap()
}

fn objects<'a>(b: &'a Value, kind: &str) -> Vec<&'a Value> {
    b["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == kind)
        .collect()
}

#[test]
fn every_test_dossier_gives_a_valid_bundle() {
    for (name, site) in [
        ("example", Site::example()),
        ("full", Site::fixture("full")),
        ("minimal", Site::minimal()),
        ("generated", generated(60)),
    ] {
        site.build(&[]).expect_code(0);
        let data: Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
        let count = |k: &str| data[k].as_array().unwrap().len();
        let relations = data["relations"].as_array().unwrap();
        let of = |k: &str| relations.iter().filter(|r| r["kind"] == k).count();
        let Some(verdict) = check(
            "every_test_dossier_gives_a_valid_bundle",
            &site.out().join("dossier.stix.json"),
        ) else {
            return;
        };
        assert_eq!(verdict["valid"], true, "{name}: {verdict}");
        assert_eq!(
            verdict["errors"],
            serde_json::json!([]),
            "{name}: {verdict}"
        );
        // The only advice: UUIDv4 ids are recommended (these are UUIDv5, so that a rebuild
        // keeps them), and external references with a URL may carry a hash.
        for w in verdict["warnings"].as_array().unwrap() {
            assert!(
                ["103", "302"].contains(&w.as_str().unwrap()),
                "{name}: {verdict}"
            );
        }
        let types = &verdict["types"];
        assert_eq!(
            types["identity"],
            count("actors") + 1,
            "{name}: an identity per actor and the dossier's own"
        );
        assert_eq!(types["report"], count("sources"), "{name}");
        assert_eq!(types["note"], count("claims"), "{name}");
        let opinions = 2 * of("disputes") + of("supports");
        assert_eq!(
            types["opinion"].as_u64().unwrap_or(0),
            opinions as u64,
            "{name}"
        );
    }
}

const ACTOR_AGENCY: &str = "+++\ntitle = \"Agency A\"\nkind = \"agency\"\ncountry = \"Utopia\"\naliases = [\"AA\"]\nurl = \"https://agency.test/\"\n+++\n";
const ACTOR_PERSON: &str = "+++\ntitle = \"Person P\"\nkind = \"person\"\n+++\n";

fn mapped() -> Site {
    let site = Site::minimal();
    site.write("site.toml", "title = \"Mapped\"\nbase_url = \"https://example.com/d/\"\n\n[publisher]\nname = \"The Desk\"\nurl = \"https://desk.test/\"\n");
    site.write("content/actors/actor-a.md", ACTOR_AGENCY);
    site.write("content/actors/person-p.md", ACTOR_PERSON);
    site.write(
        "content/sources/source-s.txt",
        "The agency said the group did it.",
    );
    site.write(
        "content/sources/source-s.md",
        &format!(
            "+++\ntitle = \"Advisory S\"\nkind = \"advisory\"\npublisher = \"Agency A\"\npublished_by = \"actor-a\"\ndate = 2024-02-07\nurl = \"https://agency.test/s\"\narchive_url = \"https://web.archive.org/web/2024/https://agency.test/s\"\nreliability = \"B\"\nsnapshot_sha256 = \"{}\"\nsnapshot_captured = 2024-02-08\n+++\n",
            sha256_hex(b"The agency said the group did it.")
        ),
    );
    site.write(
        "content/sources/source-t.md",
        "+++\ntitle = \"Interview T\"\nkind = \"statement\"\ndate = \"2024-03\"\n+++\n",
    );
    site.write("content/claims/claim-c.md", "+++\ntitle = \"Agency A says the group did it\"\nclaimants = [\"actor-a\"]\ndate = 2024-02-07\nsummary = \"The attribution.\"\n\n[[citations]]\nsource = \"source-s\"\nquote = \"the group did it\"\ncredibility = 2\n\n[[citations]]\nsource = \"source-t\"\ncredibility = 6\n+++\n\nThe claim's text.\n");
    site.write("content/claims/claim-d.md", "+++\ntitle = \"Person P says the group did not\"\nclaimants = [\"person-p\"]\ndate = 2024-03-01\ndisputes = [\"claim-c\"]\n\n[[citations]]\nsource = \"source-t\"\n+++\n");
    site.write("content/claims/claim-e.md", "+++\ntitle = \"Agency A repeats it\"\nclaimants = [\"actor-a\", \"person-p\"]\ndate = 2024-03-02\nsupports = [\"claim-c\"]\n\n[[citations]]\nsource = \"source-s\"\n+++\n");
    site
}

#[test]
fn each_entry_maps_to_its_stix_object() {
    let site = mapped();
    site.build(&[]).expect_code(0);
    let b = bundle(&site);
    assert_eq!(b["type"], "bundle");
    let by_id = |id: &Value| {
        b["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == *id)
            .unwrap_or_else(|| panic!("no object {id}"))
    };
    let identities = objects(&b, "identity");
    let agency = identities.iter().find(|o| o["name"] == "Agency A").unwrap();
    assert_eq!(agency["identity_class"], "organization");
    assert!(
        agency["description"]
            .as_str()
            .unwrap()
            .contains("Country: Utopia. Also known as: AA.")
    );
    let person = identities.iter().find(|o| o["name"] == "Person P").unwrap();
    assert_eq!(person["identity_class"], "individual");
    assert!(
        identities.iter().any(|o| o["name"] == "The Desk"),
        "the dossier's own identity is its publisher"
    );

    let reports = objects(&b, "report");
    let s = reports.iter().find(|o| o["name"] == "Advisory S").unwrap();
    assert_eq!(s["published"], "2024-02-07T00:00:00.000Z");
    assert_eq!(s["report_types"], serde_json::json!(["threat-report"]));
    assert_eq!(s["created_by_ref"], agency["id"]);
    let description = s["description"].as_str().unwrap();
    assert!(
        description.contains("Kind: advisory.")
            && description.contains("Source reliability (Admiralty): B, usually reliable."),
        "{description}"
    );
    let refs = s["external_references"].as_array().unwrap();
    assert!(
        refs.iter()
            .any(|r| r["url"] == "https://agency.test/s" && r["source_name"] == "Agency A")
    );
    assert!(
        refs.iter()
            .any(|r| r["url"] == "https://web.archive.org/web/2024/https://agency.test/s")
    );
    let snapshot = refs
        .iter()
        .find(|r| r["source_name"] == "snapshot")
        .unwrap();
    assert_eq!(
        snapshot["hashes"]["SHA-256"],
        sha256_hex(b"The agency said the group did it.")
    );
    assert!(
        snapshot["description"]
            .as_str()
            .unwrap()
            .contains("captured 2024-02-08")
    );
    let t = reports.iter().find(|o| o["name"] == "Interview T").unwrap();
    assert_eq!(
        t["published"], "2024-03-01T00:00:00.000Z",
        "a month-only date is its first day"
    );

    let notes = objects(&b, "note");
    let c = notes
        .iter()
        .find(|o| o["abstract"] == "Agency A says the group did it")
        .unwrap();
    assert_eq!(c["authors"], serde_json::json!(["Agency A"]));
    assert_eq!(c["created_by_ref"], agency["id"]);
    let content = c["content"].as_str().unwrap();
    assert!(
        content.starts_with("The attribution.\n\nThe claim's text.")
            && content.contains(
                "Information credibility (Admiralty) as cited from source-s: 2, probably true."
            ),
        "{content}"
    );
    assert_eq!(
        c["confidence"], 70,
        "credibility 2 is 70 on the STIX scale; 6 has no value"
    );
    let c_refs = c["object_refs"].as_array().unwrap();
    assert!(
        c_refs.contains(&agency["id"]) && c_refs.contains(&s["id"]) && c_refs.contains(&t["id"])
    );
    assert_eq!(
        s["object_refs"].as_array().unwrap().len(),
        2,
        "the two claims citing it"
    );
    let d = notes
        .iter()
        .find(|o| o["abstract"] == "Person P says the group did not")
        .unwrap();
    assert!(d.get("confidence").is_none());
    let e = notes
        .iter()
        .find(|o| o["abstract"] == "Agency A repeats it")
        .unwrap();
    assert_eq!(e["authors"], serde_json::json!(["Agency A", "Person P"]));

    // The dispute both ways, the support one way.
    let opinions = objects(&b, "opinion");
    assert_eq!(opinions.len(), 3);
    let about = |o: &Value| {
        by_id(&o["object_refs"][0])["abstract"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let by = |o: &Value| {
        by_id(&o["created_by_ref"])["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut seen: Vec<(String, String, String, String)> = opinions
        .iter()
        .map(|o| {
            (
                by(o),
                o["opinion"].as_str().unwrap().to_string(),
                about(o),
                o["explanation"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "Agency A".into(),
                "agree".into(),
                "Agency A says the group did it".into(),
                "Agency A repeats it".into()
            ),
            (
                "Agency A".into(),
                "strongly-disagree".into(),
                "Person P says the group did not".into(),
                "Agency A says the group did it".into()
            ),
            (
                "Person P".into(),
                "strongly-disagree".into(),
                "Agency A says the group did it".into(),
                "Person P says the group did not".into()
            ),
        ]
    );
    if let Some(verdict) = check(
        "each_entry_maps_to_its_stix_object",
        &site.out().join("dossier.stix.json"),
    ) {
        assert_eq!(verdict["valid"], true, "{verdict}");
    }
}

#[test]
fn ids_are_stable_across_builds_and_made_from_the_base_url() {
    let site = mapped();
    site.build(&[]).expect_code(0);
    let first = site.read("dossier.stix.json");
    // Writing the dispute from the other claim's file changes nothing.
    site.write("content/claims/claim-d.md", "+++\ntitle = \"Person P says the group did not\"\nclaimants = [\"person-p\"]\ndate = 2024-03-01\n\n[[citations]]\nsource = \"source-t\"\n+++\n");
    let c = std::fs::read_to_string(site.root().join("content/claims/claim-c.md")).unwrap();
    site.write(
        "content/claims/claim-c.md",
        &c.replace("summary =", "disputes = [\"claim-d\"]\nsummary ="),
    );
    site.build(&[]).expect_code(0);
    assert_eq!(
        site.read("dossier.stix.json"),
        first,
        "the same bundle, byte for byte"
    );
    let ids: Vec<String> = bundle(&site)["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    site.build(&["--base-url", "https://elsewhere.test/"])
        .expect_code(0);
    let moved = site.read("dossier.stix.json");
    assert!(
        ids.iter().all(|id| !moved.contains(id.as_str())),
        "another site, other ids"
    );
}

/// The Nord Stream dispute with what three of its claims attribute, and to whom.
fn attributed() -> Site {
    let site = Site::many_parties();
    site.write(
        "content/actors/group.md",
        "+++\ntitle = \"A pro-Ukrainian group\"\nkind = \"group\"\n+++\n",
    );
    for (claim, to) in [
        ("russia-us-uk", "\"us\", \"uk\""),
        ("hersh-navy", "\"us\""),
        ("nyt-group", "\"group\""),
    ] {
        let path = site.root().join(format!("content/claims/{claim}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replacen(
            "\n[[citations]]",
            &format!("attributes = {{ activity = \"Nord Stream sabotage\", to = [{to}] }}\n\n[[citations]]"),
            1,
        );
        std::fs::write(&path, text).unwrap();
    }
    site
}

#[test]
fn competing_attributions_stay_apart_each_with_who_holds_it() {
    let site = attributed();
    site.build(&[]).expect_code(0);
    let b = bundle(&site);
    let all = b["objects"].as_array().unwrap();
    let by_id = |id: &Value| all.iter().find(|o| &o["id"] == id).unwrap();
    let name_of = |id: &Value| by_id(id)["name"].as_str().unwrap().to_string();
    let campaigns = objects(&b, "campaign");
    assert_eq!(campaigns.len(), 1);
    assert_eq!(campaigns[0]["name"], "Nord Stream sabotage");
    let mut actors: Vec<String> = objects(&b, "threat-actor")
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    actors.sort();
    assert_eq!(
        actors,
        [
            "A pro-Ukrainian group",
            "Government of the United States",
            "UK Ministry of Defence"
        ]
    );
    // One attribution per claim and actor, by the claim's claimant: the two that name the
    // United States stay two.
    let attributions: Vec<&Value> = objects(&b, "relationship")
        .into_iter()
        .filter(|r| r["source_ref"] == campaigns[0]["id"])
        .collect();
    let mut held: Vec<(String, String)> = attributions
        .iter()
        .map(|r| {
            assert_eq!(r["relationship_type"], "attributed-to");
            (name_of(&r["created_by_ref"]), name_of(&r["target_ref"]))
        })
        .collect();
    held.sort();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        held,
        [
            pair(
                "Government of the Russian Federation",
                "Government of the United States"
            ),
            pair(
                "Government of the Russian Federation",
                "UK Ministry of Defence"
            ),
            pair("Seymour Hersh", "Government of the United States"),
            pair("The New York Times", "A pro-Ukrainian group"),
        ]
    );
    // Who holds each attribution, who disputes it and who supports it, as opinions.
    let opinions_of = |holder: &str| -> Vec<(String, String)> {
        let rels: Vec<&Value> = attributions
            .iter()
            .filter(|r| name_of(&r["created_by_ref"]) == holder)
            .map(|r| &r["id"])
            .collect();
        let mut found: Vec<(String, String)> = objects(&b, "opinion")
            .into_iter()
            .filter(|o| {
                o["object_refs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| rels.contains(&r))
            })
            .map(|o| {
                (
                    o["authors"][0].as_str().unwrap().to_string(),
                    o["opinion"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        opinions_of("Government of the Russian Federation"),
        [
            pair("Government of the Russian Federation", "strongly-agree"),
            pair("Government of the United States", "strongly-disagree"),
            pair("UK Ministry of Defence", "strongly-disagree"),
        ]
    );
    assert_eq!(
        opinions_of("The New York Times"),
        [
            pair("German Federal Prosecutor", "agree"),
            pair("Government of Ukraine", "strongly-disagree"),
            pair("Seymour Hersh", "strongly-disagree"),
            pair("The New York Times", "strongly-agree"),
        ]
    );
    // Each threat actor stands for the actor's identity.
    for t in objects(&b, "threat-actor") {
        let link = objects(&b, "relationship")
            .into_iter()
            .find(|r| r["source_ref"] == t["id"])
            .unwrap();
        assert_eq!(name_of(&link["target_ref"]), t["name"].as_str().unwrap());
    }
    // The claim's page says what it attributes, to whom.
    let page = site.read("claims/russia-us-uk/index.html");
    assert!(
        page.contains("<dt>Attributes</dt><dd>Nord Stream sabotage to <a href=\"/actors/us/\">Government of the United States</a>, <a href=\"/actors/uk/\">UK Ministry of Defence</a></dd>"),
        "{page}"
    );
    let Some(verdict) = check(
        "competing_attributions_stay_apart_each_with_who_holds_it",
        &site.out().join("dossier.stix.json"),
    ) else {
        return;
    };
    assert_eq!(verdict["valid"], true, "{verdict}");
    assert_eq!(verdict["errors"], serde_json::json!([]), "{verdict}");
    for w in verdict["warnings"].as_array().unwrap() {
        assert!(["103", "302"].contains(&w.as_str().unwrap()), "{verdict}");
    }
    assert_eq!(verdict["types"]["campaign"], 1, "{verdict}");
    assert_eq!(verdict["types"]["threat-actor"], 3, "{verdict}");
    assert_eq!(verdict["types"]["relationship"], 4 + 3, "{verdict}");
}

#[test]
fn an_activity_has_one_kind_and_attributions_name_actors() {
    let site = attributed();
    let path = site.root().join("content/claims/hersh-navy.md");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "activity = \"Nord Stream sabotage\", to = [\"us\"]",
        "activity = \"Nord Stream sabotage\", kind = \"intrusion-set\", to = [\"usa\"]",
    );
    std::fs::write(&path, text).unwrap();
    let run = site.build(&[]).expect_code(1);
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/claims/hersh-navy.md:5:")
                && e.contains("unknown actor id `usa`")),
        "{}",
        run.stderr
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/claims/hersh-navy.md:5:")
                && e.contains(
                    "the activity “Nord Stream sabotage” is a `campaign` in `russia-us-uk`"
                )),
        "{}",
        run.stderr
    );
    std::fs::write(
        &path,
        "+++\ntitle = \"T\"\nclaimants = [\"hersh\"]\ndate = 2023-02-08\nattributes = { activity = \"X\", kind = \"operation\", to = [] }\n+++\n",
    )
    .unwrap();
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("`kind` must be one of `campaign` or `intrusion-set`, not `operation`"),
        "{}",
        run.stderr
    );
}

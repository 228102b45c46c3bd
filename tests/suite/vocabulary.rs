//! The words such dossiers need: courts, legislatures and intergovernmental bodies as
//! actors; judgments, transcripts and court filings as sources. Each builds, shows in
//! words, and goes out as data other tools read.

use crate::common;

use common::*;

#[test]
fn courts_judgments_transcripts_and_filings() {
    let site = Site::minimal();
    site.write(
        "content/actors/court.md",
        "+++\ntitle = \"District Court\"\nkind = \"court\"\n+++\n",
    );
    site.write(
        "content/actors/senate.md",
        "+++\ntitle = \"Senate Committee\"\nkind = \"legislature\"\n+++\n",
    );
    site.write(
        "content/actors/un.md",
        "+++\ntitle = \"United Nations\"\nkind = \"intergovernmental\"\n+++\n",
    );
    site.write("content/sources/ruling.md", "+++\ntitle = \"Ruling\"\nkind = \"judgment\"\npublished_by = \"court\"\ndate = 2024-05-02\n+++\n");
    site.write("content/sources/hearing-record.md", "+++\ntitle = \"Hearing record\"\nkind = \"transcript\"\npublished_by = \"senate\"\ndate = \"2024-02\"\n+++\n");
    site.write(
        "content/sources/indictment.md",
        "+++\ntitle = \"Indictment\"\nkind = \"filing\"\ndate = \"2024\"\nlanguage = \"zh-Hans\"\n+++\n",
    );
    site.write(
        "content/claims/ruled.md",
        "+++\ntitle = \"The court found the intrusion proven\"\nclaimants = [\"court\"]\ndate = 2024-05-02\n\n[[citations]]\nsource = \"ruling\"\n\n[[citations]]\nsource = \"hearing-record\"\n\n[[citations]]\nsource = \"indictment\"\n+++\n",
    );
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    assert!(main_of(&site.read("sources/ruling/index.html")).contains("judgment"));
    assert!(main_of(&site.read("sources/indictment/index.html")).contains("court filing"));
    assert!(main_of(&site.read("actors/court/index.html")).contains("court"));
    let data: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let kinds: Vec<&str> = data["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["kind"].as_str())
        .collect();
    for k in ["judgment", "transcript", "filing"] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }
    let actors: Vec<&str> = data["actors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["kind"].as_str())
        .collect();
    for k in ["court", "legislature", "intergovernmental"] {
        assert!(actors.contains(&k), "{actors:?}");
    }
    let csl: serde_json::Value = serde_json::from_str(&site.read("bibliography.json")).unwrap();
    let entry = |id: &str| {
        csl.as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(entry("ruling")["type"], "legal_case");
    assert_eq!(entry("hearing-record")["genre"], "Transcript");
    assert_eq!(entry("indictment")["genre"], "Court filing");
    // A court claimant is a government organisation in the claim's JSON-LD.
    let page = site.read("claims/ruled/index.html");
    assert!(
        page.contains("\"@type\":\"GovernmentOrganization\",\"name\":\"District Court\""),
        "{page}"
    );
    // Languages by name: on the source's page, and in references when not the site's.
    assert!(
        main_of(&site.read("sources/indictment/index.html")).contains("<dd>Chinese (zh-Hans)</dd>")
    );
    assert!(page.contains("</time>, in Chinese."), "{page}");
    assert!(!page.contains("in English"));
    // The court's own judgment is the claim's primary source.
    assert!(page.contains("a claimant&#39;s own statement"), "{page}");
}

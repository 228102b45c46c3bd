//! Snapshots and quote verification, the evidence summary and `check --provenance`,
//! through the binary.

use crate::common;

use common::*;

/// A claim citing `source-s` once per quote.
fn claim_quoting(quotes: &[&str]) -> String {
    let mut s =
        String::from("+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n");
    for q in quotes {
        let q = q.replace('\\', "\\\\").replace('"', "\\\"");
        s.push_str(&format!(
            "\n[[citations]]\nsource = \"source-s\"\nquote = \"{q}\"\n"
        ));
    }
    s.push_str("+++\n\nBody.\n");
    s
}

/// A minimal site whose source has the snapshot `name` with `text`, and a claim with
/// `quotes`.
fn site_with(name: &str, text: &str, quotes: &[&str]) -> Site {
    let site = Site::minimal();
    site.write(&format!("content/sources/{name}"), text);
    site.write("content/claims/claim-c.md", &claim_quoting(quotes));
    site
}

/// Each matching rule: the snapshot, a quote it verifies, and a near miss it must not.
const RULES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "whitespace and line breaks",
        "source-s.txt",
        "The group\n   acted\talone\u{a0}here.",
        "the group acted alone here.",
        "the group acted here.",
    ),
    (
        "typographic quotes",
        "source-s.txt",
        "It called the so\u{2011}called \u{201c}Volt Typhoon\u{201d} the group\u{2019}s work.",
        "the so-called \"Volt Typhoon\" the group's work",
        "the so-called \"Volt Typhon\" the group's work",
    ),
    (
        "dashes",
        "source-s.txt",
        "From 2023\u{2013}2024 \u{2014} a campaign",
        "From 2023-2024 - a campaign",
        "From 2023-2025 - a campaign",
    ),
    (
        "soft hyphens",
        "source-s.txt",
        "critical infra\u{ad}structure sectors",
        "critical infrastructure sectors",
        "critical infra-structure sectors",
    ),
    (
        "HTML markup",
        "source-s.html",
        "<html><head><title>Not this</title><style>p { color: red }</style></head><body>\n<p>The <b>KV</b>&nbsp;botnet &amp; its <a href=\"/x\">routers</a></p>\n<script>var hidden = 'secret words';</script><p>Next paragraph.</p></body></html>",
        "The KV botnet & its routers Next paragraph.",
        "secret words",
    ),
    (
        "case",
        "source-s.txt",
        "VOLT TYPHOON is State-Sponsored",
        "Volt Typhoon is state-sponsored",
        "Volt Typhoon was state-sponsored",
    ),
    (
        "omissions marked with an ellipsis",
        "source-s.txt",
        "The advisory, published in May, names the group.",
        "The advisory \u{2026} names the group.",
        "names the group \u{2026} The advisory",
    ),
    (
        "Markdown snapshots",
        "source-s.snapshot.md",
        "# Statement\n\nThe *ministry* said the [report](https://example.com) was `flawed`.\n",
        "Statement The ministry said the report was flawed.",
        "The *ministry* said",
    ),
];

#[test]
fn each_matching_rule_verifies_its_quote_and_rejects_a_near_miss() {
    for (rule, file, text, good, bad) in RULES {
        let site = site_with(file, text, &[good]);
        let run = site.build(&[]);
        assert_eq!(
            run.code, 0,
            "{rule}: `{good}` should verify:\n{}",
            run.stderr
        );
        let page = site.read("claims/claim-c/index.html");
        assert!(
            page.contains("Quote verified against the local snapshot of this source."),
            "{rule}: the page marks the quote verified"
        );
        let site = site_with(file, text, &[bad]);
        let run = site.build(&[]).expect_code(1);
        assert!(
            run.stderr.contains("content/claims/claim-c.md:8:9: error: quote not found in the snapshot of source `source-s`"),
            "{rule}: `{bad}` must not verify:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_missing_quote_is_reported_at_its_line_with_the_closest_passage() {
    let site = site_with(
        "source-s.txt",
        "First line.\nUS intelligence agencies used the unfounded excuse\nof a cyber threat.\n",
        &[
            "US intelligence agencies used the unfounded excuse",
            "US intelligence agencies used an unfounded excuse of a cyber threat",
        ],
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains(
            "content/claims/claim-c.md:12:9: error: quote not found in the snapshot of source `source-s` (content/sources/source-s.txt); the closest passage, at content/sources/source-s.txt:2, reads \"US intelligence agencies used the unfounded excuse of a cyber threat.\""
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(!site.out().exists(), "a failed build writes nothing");
}

#[test]
fn the_snapshot_key_names_a_file_anywhere_in_content() {
    let site = site_with(
        "../snapshots/s.html",
        "<p>Exactly these words.</p>",
        &["exactly these words"],
    );
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\nsnapshot = \"../snapshots/s.html\"\n+++\n",
    );
    site.build(&[]).expect_code(0);
    assert!(
        !site.out().join("snapshots/s.html").exists(),
        "snapshots are kept out of the published site"
    );
    let json = site.read("dossier.json");
    assert!(
        json.contains("\"snapshot\": \"snapshots/s.html\""),
        "{json}"
    );
    assert!(json.contains("\"quote_verified\": true"), "{json}");
}

#[test]
fn bad_snapshot_keys_and_files_are_errors() {
    let cases: &[(&str, &[&str])] = &[
        (
            "snapshot = \"sorce-s.txt\"",
            &[
                "content/sources/source-s.md:3:13: error: snapshot file `content/sources/sorce-s.txt` does not exist (did you mean `source-s.txt`?)",
            ],
        ),
        (
            "snapshot = \"copy.md\"",
            &[
                "content/sources/source-s.md:3:13: error: a Markdown snapshot's name must end in `.snapshot.md`",
                "did you mean `copy.snapshot.md`",
            ],
        ),
        (
            "snapshot = \"source-s.docx\"",
            &[
                "content/sources/source-s.md:3:13: error: `sources/source-s.docx` cannot be a snapshot",
            ],
        ),
        (
            "snapshot = \"../../secret.txt\"",
            &[
                "content/sources/source-s.md:3:13: error: a snapshot must be a file inside `content/`",
            ],
        ),
    ];
    for (key, needles) in cases {
        let site = Site::minimal();
        site.write("content/sources/source-s.txt", "text");
        site.write("content/sources/copy.md", "+++\ntitle = \"Copy\"\n+++\n");
        site.write("content/sources/source-s.docx", "PK");
        site.write("secret.txt", "text");
        site.write(
            "content/sources/source-s.md",
            &format!("+++\ntitle = \"Source S\"\n{key}\n+++\n"),
        );
        let run = site.build(&[]).expect_code(1);
        for n in *needles {
            assert!(
                run.stderr.contains(n),
                "{key}: expected `{n}` in:\n{}",
                run.stderr
            );
        }
    }
}

#[test]
fn two_snapshots_unreadable_snapshots_and_orphans() {
    let site = site_with("source-s.txt", "words", &["words"]);
    site.write("content/sources/source-s.html", "<p>words</p>");
    let run = site.build(&[]).expect_code(1);
    assert!(run.stderr.contains("content/sources/source-s.md:1:1: error: source `source-s` has 2 snapshots beside it (`sources/source-s.txt`, `sources/source-s.html`); keep one, or choose one with `snapshot = \"...\"`"), "{}", run.stderr);

    let site = site_with("source-s.txt", "words", &["words"]);
    std::fs::write(
        site.root().join("content/sources/source-s.txt"),
        b"caf\xe9 words",
    )
    .unwrap();
    let run = site.build(&[]).expect_code(1);
    assert!(run.stderr.contains("content/sources/source-s.txt: error: the snapshot is not UTF-8 text (invalid byte at offset 3); save it as UTF-8"), "{}", run.stderr);

    let site = site_with("source-s.txt", "words", &["words"]);
    site.write("content/sources/other.snapshot.md", "words");
    let run = site.build(&[]).expect_code(0);
    assert!(
        run.stderr.contains(
            "content/sources/other.snapshot.md: warning: this snapshot belongs to no source"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn pages_say_which_quotes_are_verified_and_which_sources_keep_a_snapshot() {
    let site = site_with("source-s.txt", "The exact words.", &["the exact words"]);
    site.write(
        "content/sources/source-t.md",
        "+++\ntitle = \"Source T\"\n+++\n",
    );
    site.write(
        "content/claims/claim-c.md",
        &format!(
        "{}\n",
        claim_quoting(&["the exact words"]).replace(
            "+++\n\nBody.",
            "[[citations]]\nsource = \"source-t\"\nquote = \"words nobody checked\"\n+++\n\nBody.",
        )
    ),
    );
    site.write("content/notes.txt", "copied as it is");
    site.build(&[]).expect_code(0);
    let claim = site.read("claims/claim-c/index.html");
    assert_eq!(
        claim
            .matches("Quote verified against the local snapshot of this source.")
            .count(),
        1
    );
    assert_eq!(
        claim
            .matches("Quote not verified: no local snapshot of this source is kept.")
            .count(),
        1
    );
    assert!(
        claim.contains("1 of 2 quotes verified against a local snapshot."),
        "{claim}"
    );
    let s = site.read("sources/source-s/index.html");
    assert!(s.contains("kept locally (source-s.txt, 3 words); quotes cited from this source are verified against it"));
    let t = site.read("sources/source-t/index.html");
    assert!(t.contains("none kept; quotes cited from this source are not verified"));
    assert!(
        !site.out().join("sources/source-s.txt").exists(),
        "the snapshot is not published"
    );
    assert_eq!(
        site.read("notes.txt"),
        "copied as it is",
        "other text files are"
    );
}

#[test]
fn the_evidence_summary_counts_publishers_grades_and_quotes() {
    let site = Site::minimal();
    site.write(
        "content/actors/agency.md",
        "+++\ntitle = \"The Agency\"\n+++\n",
    );
    let source = |id: &str, front: &str| {
        site.write(
            &format!("content/sources/{id}.md"),
            &format!("+++\ntitle = \"{id}\"\n{front}\n+++\n"),
        );
    };
    source("a1", "published_by = \"agency\"\nreliability = \"B\"");
    source(
        "a2",
        "published_by = \"agency\"\npublisher = \"Agency press office\"\nreliability = \"C\"",
    );
    source("p1", "publisher = \"Daily Paper\"");
    source("p2", "publisher = \"daily paper \"\nreliability = \"B\"");
    source("n1", "");
    site.write("content/sources/a1.txt", "The agency says so.");
    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"Claim C\"\nclaimants = [\"agency\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"a1\"\nquote = \"the agency says so\"\n\n[[citations]]\nsource = \"p1\"\nquote = \"unchecked\"\n\n[[citations]]\nsource = \"a2\"\n+++\n\nAlso [@p2] and [@n1].\n",
    );
    site.write(
        "content/claims/claim-d.md",
        "+++\ntitle = \"Claim D\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"a1\"\n\n[[citations]]\nsource = \"a2\"\n+++\n",
    );
    site.build(&[]).expect_code(0);
    let claim = site.read("claims/claim-c/index.html");
    assert!(
        claim.contains("5 sources: 4 from 2 publishers (one of them a claimant&#39;s own statement), 1 naming no publisher; 1 of 2 quotes verified against a local snapshot."),
        "{claim}"
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let c = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "claim-c")
        .unwrap();
    let e = &c["evidence"];
    assert_eq!(e["sources"], 5);
    assert_eq!(e["unattributed"], 1);
    assert_eq!(e["quotes"], 2);
    assert_eq!(e["quotes_verified"], 1);
    let p = e["publishers"].as_array().unwrap();
    assert_eq!(p.len(), 2);
    // In order of first citation: the body's, then the front matter's.
    assert_eq!(
        p[0]["name"], "daily paper",
        "named as first cited, compared without case"
    );
    assert_eq!(p[0]["sources"], 2);
    assert_eq!(p[0]["grades"], serde_json::json!(["B"]));
    assert_eq!(p[0]["ungraded"], 1);
    assert_eq!(p[0]["claimant"], false);
    assert_eq!(p[1]["name"], "The Agency");
    assert_eq!(p[1]["actor"], "agency");
    assert_eq!(p[1]["claimant"], true);
    assert_eq!(p[1]["grades"], serde_json::json!(["B", "C"]));
    assert_eq!(p[1]["ungraded"], 0);
    assert_eq!(c["citations"][0]["quote_verified"], true);
    assert_eq!(c["citations"][1]["quote_verified"], false);
    assert_eq!(c["citations"][2]["quote_verified"], serde_json::Value::Null);
    let d = site.read("claims/claim-d/index.html");
    assert!(d.contains(
        "All the sources cited for this claim come from one publisher, which is not one of its claimants."
    ));
    assert_eq!(e["claimant_statement"], true);
    assert!(!claim.contains("come from one publisher"));
}

#[test]
fn check_prints_a_provenance_report() {
    let site = Site::minimal();
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\nurl = \"https://example.com/s\"\n+++\n",
    );
    // Source T's snapshot has its hash recorded, source U's has not.
    let hash_t = sha256_hex(b"All of it.");
    site.write("content/sources/source-t.md", &format!("+++\ntitle = \"Source T\"\npublisher = \"T\"\nurl = \"https://example.com/t\"\narchive_url = \"https://web.archive.org/web/2024/https://example.com/t\"\nsnapshot_sha256 = \"{hash_t}\"\n+++\n"));
    site.write("content/sources/source-t.txt", "All of it.");
    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"source-s\"\nquote = \"not checked\"\n\n[[citations]]\nsource = \"source-t\"\nquote = \"all of it\"\n+++\n",
    );
    site.write(
        "content/claims/claim-d.md",
        "+++\ntitle = \"Claim D\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"source-t\"\n+++\n",
    );
    // A claim resting on its own claimant's statement is not flagged.
    site.write("content/sources/source-u.md", "+++\ntitle = \"Statement\"\npublished_by = \"actor-a\"\nurl = \"https://example.com/u\"\narchive_url = \"https://web.archive.org/web/2024/https://example.com/u\"\n+++\n");
    site.write("content/sources/source-u.txt", "We say so.");
    site.write(
        "content/claims/claim-e.md",
        "+++\ntitle = \"Claim E\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-03\n\n[[citations]]\nsource = \"source-u\"\nquote = \"we say so\"\n+++\n",
    );
    let run = site.run(&["check", "--provenance"]).expect_code(0);
    let hash_u = sha256_hex(b"We say so.");
    let expected = format!(
        "Provenance of 3 claims and 3 sources

Sources without an archived copy (`archive_url`): 1
  content/sources/source-s.md:3  source-s

Sources without a local snapshot: 1
  content/sources/source-s.md:1  source-s

Snapshots without a recorded hash (`snapshot_sha256`): 1
  content/sources/source-u.md:1  source-u  (content/sources/source-u.txt, SHA-256 {hash_u})

Snapshots without a web archive of their capture (`dossier capture` keeps one): 2
  content/sources/source-t.md:1  source-t  (content/sources/source-t.txt)
  content/sources/source-u.md:1  source-u  (content/sources/source-u.txt)

Quotes not verified (their source has no snapshot with text): 1
  content/claims/claim-c.md:8  claim-c quoting source-s

Claims resting on a single publisher's reporting (not a claimant's own statement): 1
  content/claims/claim-d.md:1  claim-d (T)
"
    );
    assert_eq!(run.stdout, expected);
    assert!(!site.out().exists(), "check writes nothing");
    site.build(&[]).expect_code(0);
    let e = site.read("claims/claim-e/index.html");
    assert!(
        e.contains(
            "1 source from 1 publisher (the claimant&#39;s own statement); 1 of 1 quote verified"
        ) && e.contains("(a claimant: its own statement)")
            && !e.contains("come from one publisher"),
        "{e}"
    );
    let run = site.run(&["check"]).expect_code(0);
    assert_eq!(run.stdout, "", "the report only when asked for");
}

#[test]
fn the_example_verifies_the_quotes_from_both_seed_articles() {
    let site = Site::example();
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    let with_snapshot: Vec<&str> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["snapshot"].is_null())
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        with_snapshot,
        ["cmg-2024-04-us-victim", "pentagon-cyberum-2024"]
    );
    let verified = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["citations"].as_array().unwrap())
        .filter(|c| c["quote_verified"] == true)
        .count();
    assert!(verified >= 5, "{verified} quotes verified");
    for (seed, snapshot) in [
        (
            "000_024b570d08b01687.txt",
            "content/sources/pentagon-cyberum-2024.txt",
        ),
        (
            "004_36299a940e0d7905.txt",
            "content/sources/cmg-2024-04-us-victim.txt",
        ),
    ] {
        let seed = repo_root().join("../shared/seeds").join(seed);
        if let Ok(seed) = std::fs::read(seed) {
            assert_eq!(
                std::fs::read(repo_root().join(snapshot)).unwrap(),
                seed,
                "{snapshot} is the seed text"
            );
        }
    }
}

//! `dossier import FILE` through the binary: Zotero CSL-JSON and BibTeX/BibLaTeX files
//! written here, each mapping rule, skipping, dry runs and malformed entries.

use crate::common;

use common::*;

const BIBTEX: &str = r#"@string{cisa = "Cybersecurity and Infrastructure Security Agency"}

@techreport{CISA:AA24-038A,
  title = {{PRC} State-Sponsored Actors Compromise and Maintain Persistent Access},
  author = {{Cybersecurity and Infrastructure Security Agency}},
  institution = cisa,
  number = {AA24-038A},
  year = {2024},
  month = feb,
  url = {https://www.cisa.gov/aa24-038a},
}

@article{Dupont:2024:Desinfo,
  title = {La d{\'e}sinformation et le {R}apport},
  author = {Dupont, Marie and von Neumann, J{\"o}rg},
  journaltitle = {Le Monde},
  date = {2024-04-15},
  urldate = {2024-05-02},
  language = {french},
  doi = {10.1000/xyz123},
}

@online{broken,
  title = {Missing a closing brace,
  year = 2024
}

@misc{Ministry2023,
  title = {A statement by the ministry},
  year = {2023},
  month = {April},
}

@dataset{Scan-Data,
  title = {Exposed routers, a scan},
  organization = {Lab One},
  date = {2023-11},
}

@misc{Amt-2024,
  title = {Lagebild Cybersicherheit},
  author = {King, Jr., Martin Luther and {Federal Office}},
  howpublished = {\url{https://www.bsi.test/lagebild}},
  langid = {ngerman},
  eprint = {10.1000/lage},
  eprinttype = {doi},
  year = {2024},
}

@techreport{Inst-2024,
  title = {A technical note},
  institution = {Institute Two},
  howpublished = {Circulated to members},
  year = {2024},
}
"#;

const ZOTERO: &str = r#"[
  {
    "id": "http://zotero.org/users/1/items/ABCD1234",
    "type": "article-newspaper",
    "title": "Officials describe grid intrusions",
    "container-title": "The Daily Test",
    "author": [{"family": "Writer", "given": "Ann"}, {"literal": "Staff Reporters"}],
    "issued": {"date-parts": [["2024", "4", "15"]]},
    "accessed": {"date-parts": [[2024, 5, 2]]},
    "URL": "https://news.test/grid",
    "language": "en-GB"
  },
  {
    "citation-key": "Agency:2023:Routers",
    "type": "report",
    "title": "Joint advisory on routers",
    "publisher": "Agency One",
    "number": "AA23-144A",
    "DOI": "10.1000/adv",
    "issued": {"raw": "May 2023"}
  },
  {
    "id": "bad",
    "type": 7,
    "title": "Broken"
  },
  {
    "id": "Speech.2024",
    "type": "speech",
    "title": "Remarks at the press conference",
    "author": [{"literal": "Ministry of Tests"}],
    "issued": {"date-parts": [[2024]]}
  },
  {
    "id": "post-1",
    "type": "post-weblog",
    "title": "A blog post",
    "issued": {"date-parts": [[2024, "March"]]}
  },
  {
    "id": "case-1",
    "type": "legal_case",
    "title": "United States v. Doe",
    "issued": {"date-parts": [[2024, 1, 31]]}
  }
]
"#;

fn site() -> Site {
    let site = Site::minimal();
    site.write("refs.bib", BIBTEX);
    site.write("zotero.json", ZOTERO);
    site
}

fn import(site: &Site, file: &str, extra: &[&str]) -> Run {
    let root = site.root().to_str().unwrap().to_string();
    let path = site.root().join(file).to_str().unwrap().to_string();
    let mut args = vec!["import", path.as_str(), "--root", root.as_str()];
    args.extend_from_slice(extra);
    site.run(&args)
}

fn source(site: &Site, id: &str) -> String {
    std::fs::read_to_string(site.root().join(format!("content/sources/{id}.md")))
        .unwrap_or_else(|_| panic!("no source {id}"))
}

fn has(text: &str, lines: &[&str]) {
    for l in lines {
        assert!(text.contains(l), "`{l}` in:\n{text}");
    }
}

#[test]
fn bibtex_entries_become_sources() {
    let site = site();
    let run = import(&site, "refs.bib", &[]).expect_code(1);
    assert!(
        run.stdout.contains(&format!(
            "{}:23: error: the entry `broken` cannot be read",
            site.root().join("refs.bib").display()
        )),
        "a malformed entry at its line: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("imported 6 sources, 0 skipped, 1 not readable, 0 not written"),
        "{}",
        run.stdout
    );
    // A key with colons; a corporate author in braces; an @string; month by name.
    has(
        &source(&site, "cisa-aa24-038a"),
        &[
            "title = \"PRC State-Sponsored Actors Compromise and Maintain Persistent Access\"",
            "kind = \"report\"",
            "publisher = \"Cybersecurity and Infrastructure Security Agency\"",
            "authors = [\"Cybersecurity and Infrastructure Security Agency\"]",
            "date = \"2024-02\"",
            "url = \"https://www.cisa.gov/aa24-038a\"",
            "report_number = \"AA24-038A\"",
        ],
    );
    // LaTeX accents and braces decoded; a BibLaTeX date and urldate; a language name.
    has(
        &source(&site, "dupont-2024-desinfo"),
        &[
            "title = \"La désinformation et le Rapport\"",
            "kind = \"article\"",
            "publisher = \"Le Monde\"",
            "authors = [{ family = \"Dupont\", given = \"Marie\" }, { family = \"Neumann\", given = \"Jörg\", particle = \"von\" }]",
            "date = 2024-04-15\n",
            "accessed = 2024-05-02\n",
            "language = \"fr\"",
            "doi = \"10.1000/xyz123\"",
        ],
    );
    // A month written out.
    has(
        &source(&site, "ministry2023"),
        &["kind = \"other\"", "date = \"2023-04\""],
    );
    has(
        &source(&site, "scan-data"),
        &[
            "kind = \"dataset\"",
            "publisher = \"Lab One\"",
            "date = \"2023-11\"",
        ],
    );
    // A suffix in BibTeX's own place; an address in `howpublished`; a babel `langid`; a
    // DOI as an eprint; an institution before a publication notice.
    has(
        &source(&site, "amt-2024"),
        &[
            "authors = [{ family = \"King\", given = \"Martin Luther\", suffix = \"Jr.\" }, \"Federal Office\"]",
            "url = \"https://www.bsi.test/lagebild\"",
            "language = \"de\"",
            "doi = \"10.1000/lage\"",
        ],
    );
    has(
        &source(&site, "inst-2024"),
        &["kind = \"report\"", "publisher = \"Institute Two\""],
    );
    // The entry after the broken one was still read.
    site.build(&[]).expect_code(0);
}

#[test]
fn zotero_items_become_sources() {
    let site = site();
    let run = import(&site, "zotero.json", &[]).expect_code(1);
    assert!(
        run.stdout.contains(&format!("{}:24: error: this item cannot be read: invalid type: integer `7`, expected a string; it was not imported", site.root().join("zotero.json").display())),
        "{}",
        run.stdout
    );
    // Zotero's own ids are addresses, not keys: the id comes from the title.
    has(
        &source(&site, "officials-describe-grid-intrusions-2024"),
        &[
            "kind = \"article\"",
            "publisher = \"The Daily Test\"",
            "authors = [{ family = \"Writer\", given = \"Ann\" }, \"Staff Reporters\"]",
            "date = 2024-04-15\n",
            "accessed = 2024-05-02\n",
            "language = \"en-GB\"",
        ],
    );
    has(
        &source(&site, "agency-2023-routers"),
        &[
            "kind = \"report\"",
            "publisher = \"Agency One\"",
            "date = \"2023-05\"",
            "report_number = \"AA23-144A\"",
            "doi = \"10.1000/adv\"",
        ],
    );
    has(
        &source(&site, "speech-2024"),
        &[
            "kind = \"statement\"",
            "authors = [\"Ministry of Tests\"]",
            "date = \"2024\"",
        ],
    );
    has(
        &source(&site, "post-1"),
        &["kind = \"post\"", "date = \"2024-03\""],
    );
    has(
        &source(&site, "case-1"),
        &["kind = \"judgment\"", "date = 2024-01-31\n"],
    );
    site.build(&[]).expect_code(0);
}

#[test]
fn existing_sources_are_skipped_and_dry_runs_write_nothing() {
    let site = site();
    let before = files(&site.root().join("content"));
    let run = import(&site, "refs.bib", &["--dry-run"]).expect_code(1);
    assert!(
        run.stdout
            .contains("would write content/sources/cisa-aa24-038a.md"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "would import 6 sources, 0 skipped, 1 not readable, 0 not written (a dry run: nothing was written)"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(
        files(&site.root().join("content")),
        before,
        "a dry run writes nothing"
    );
    // A source written by hand is never overwritten; an id taken by an actor is skipped too.
    site.write(
        "content/sources/cisa-aa24-038a.md",
        "+++\ntitle = \"Mine\"\n+++\n",
    );
    site.write(
        "content/actors/ministry2023.md",
        "+++\ntitle = \"Ministry\"\n+++\n",
    );
    let run = import(&site, "refs.bib", &[]).expect_code(1);
    assert!(
        run.stdout.contains(
            "skipped `cisa-aa24-038a`: the id is taken by content/sources/cisa-aa24-038a.md"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("skipped `ministry2023`: the id is taken by content/actors/ministry2023.md"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("imported 4 sources, 2 skipped, 1 not readable, 0 not written"),
        "{}",
        run.stdout
    );
    assert_eq!(
        source(&site, "cisa-aa24-038a"),
        "+++\ntitle = \"Mine\"\n+++\n"
    );
    // An id twice in one file: the second is skipped.
    site.write("twice.bib", "@misc{Same, title = {First}, year = {2020}}\n@misc{same, title = {Second}, year = {2021}}\n");
    let run = import(&site, "twice.bib", &[]).expect_code(0);
    assert!(
        run.stdout
            .contains("twice.bib:2: skipped `same`: the id is taken by an earlier entry of"),
        "{}",
        run.stdout
    );
    assert!(source(&site, "same").contains("title = \"First\""));
    // Again: everything is skipped now.
    let run = import(&site, "refs.bib", &[]).expect_code(1);
    assert!(
        run.stdout
            .contains("imported 0 sources, 6 skipped, 1 not readable, 0 not written"),
        "{}",
        run.stdout
    );
}

#[test]
fn files_that_cannot_be_imported_are_refused() {
    let site = site();
    site.write("not-array.json", "{\"title\": \"one item\"}");
    site.write("refs.txt", "anything");
    for (file, message) in [
        (
            "not-array.json",
            "not-array.json:1: error: not a CSL-JSON array of items",
        ),
        (
            "refs.txt",
            "import reads a Zotero CSL-JSON export (`.json`) or a BibTeX or BibLaTeX file (`.bib`)",
        ),
        ("missing.bib", "missing.bib: cannot read"),
    ] {
        let before = files(&site.root().join("content"));
        let run = import(&site, file, &[]).expect_code(1);
        assert!(run.stderr.contains(message), "{file}: {}", run.stderr);
        assert_eq!(files(&site.root().join("content")), before);
    }
}

#[cfg(feature = "capture")]
#[test]
fn long_keys_and_titles_make_short_ids_and_a_long_id_is_a_usage_error() {
    let site = Site::minimal();
    let long_key = format!("Report:{}", "very-long-segment-".repeat(15));
    let long_title = "Statement ".to_string() + &"unusually ".repeat(40) + "long";
    site.write(
        "refs.json",
        &format!(
            r#"[{{"id":"{long_key}","type":"report","title":"A report"}},{{"type":"speech","title":"{long_title}","issued":{{"date-parts":[[2024]]}}}}]"#
        ),
    );
    let root = site.root().to_str().unwrap().to_string();
    let run = site
        .run(&[
            "import",
            site.root().join("refs.json").to_str().unwrap(),
            "--root",
            &root,
        ])
        .expect_code(0);
    assert!(
        run.stdout.contains("imported 2 sources"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let ids: Vec<String> = files(&site.root().join("content/sources"))
        .into_keys()
        .filter(|p| p != "source-s.md")
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    for id in &ids {
        let stem = id.trim_end_matches(".md");
        assert!(stem.len() <= 64 && !stem.ends_with('-'), "{id}");
        assert!(
            stem.ends_with("segment") || stem.starts_with("statement-unusually"),
            "{id}"
        );
    }
    site.build(&[]).expect_code(0);
    let long_id = "x".repeat(250);
    let run = site
        .run(&[
            "capture",
            "http://127.0.0.1:9/x",
            "--id",
            &long_id,
            "--root",
            &root,
        ])
        .expect_code(2);
    assert!(
        run.stderr
            .contains("--id is 250 characters long; an id has at most 64"),
        "{}",
        run.stderr
    );
}

/// A BibTeX file that asks too much of the LaTeX reader, among ordinary entries: each
/// such entry is one error at its line, the others are imported, and the import ends
/// in time in proportion to the file (a bound given to the run, not a speed asserted:
/// before, the deep braces alone took minutes).
#[test]
fn hostile_bibtex_entries_are_refused_at_their_lines_and_the_rest_imported() {
    let site = Site::minimal();
    let mut bib = String::from("@string{s0 = \"x\"}\n");
    for i in 1..40 {
        bib.push_str(&format!("@string{{s{i} = s{} # s{}}}\n", i - 1, i - 1));
    }
    bib.push_str("@string{loop = loop}\n");
    let hostile = [
        (
            "deep",
            format!("{{{}x{}}}", "{".repeat(100_000), "}".repeat(100_000)),
            "has braces nested 100000 deep; at most 16 are read",
        ),
        (
            "groups",
            format!("{{{}}}", "{{x}} ".repeat(5_000)),
            "has 5000 brace groups inside others; at most 64 are read",
        ),
        (
            "doubled",
            "s39".to_string(),
            "joins more than 64 pieces with `#`, the most that are read",
        ),
        ("looped", "loop".to_string(), "unknown abbreviation"),
        (
            "long",
            format!("{{{}}}", "word ".repeat(60_000)),
            "is 292 kB long; at most 256 kB are read",
        ),
    ];
    let mut lines = Vec::new();
    for n in 0..20_000 {
        if n % 4_000 == 7 {
            let (key, title, said) = &hostile[n / 4_000];
            lines.push((bib.lines().count() + 1, *key, *said));
            bib.push_str(&format!(
                "@misc{{{key},\n  title = {title},\n  year = {{2024}}\n}}\n"
            ));
        }
        bib.push_str(&format!(
            "@article{{key{n},\n  title = {{Report {n} on the {{Matter}} by {{\\\"{{O}}}}ffice}},\n  author = {{Writer, Ann}},\n  year = {{2024}}\n}}\n"
        ));
    }
    site.write("refs.bib", &bib);
    let path = site.root().join("refs.bib");
    let root = site.root().to_str().unwrap().to_string();
    let run = site.run_within(
        &[
            "import",
            path.to_str().unwrap(),
            "--root",
            &root,
            "--dry-run",
        ],
        std::time::Duration::from_secs(15),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let shown = path.display().to_string();
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), hostile.len(), "{errors:#?}");
    for ((line, key, said), error) in lines.iter().zip(&errors) {
        assert!(
            error.starts_with(&format!(
                "{shown}:{line}: error: the entry `{key}` cannot be read"
            )) && error.contains(said),
            "{key} at {line}: {error}"
        );
    }
    assert!(
        run.stdout
            .contains("would import 20000 sources, 0 skipped, 5 not readable, 0 not written"),
        "{}",
        run.stdout.lines().last().unwrap_or_default()
    );
    // Ordinary entries, accents in braces and all, are imported.
    assert!(
        run.stdout.contains("would write content/sources/key0.md"),
        "{}",
        &run.stdout[..200]
    );
    // What was written comes first, then what was refused, then the counts.
    let last_written = run.stdout.rfind("would write").unwrap();
    let first_error = run.stdout.find(": error: ").unwrap();
    assert!(last_written < first_error);
}

/// What dossier's source kinds cannot keep of a CSL item, as README's import and
/// `/bibliography.json` sections say: the CSL type a kind is exported as, and for kinds
/// other than `article` the site, proceedings or programme kept as the publisher.
const DOCUMENTED: [&str; 16] = [
    "type article-journal → article-newspaper",
    "type article-magazine → article-newspaper",
    "type post-weblog → post",
    "type webpage → post",
    "type speech → document",
    "type interview → document",
    "type broadcast → document",
    "type bill → document",
    "type thesis → report",
    "type paper-conference → report",
    "type pamphlet → report",
    "container-title → publisher for post-weblog",
    "container-title → publisher for webpage",
    "container-title → publisher for paper-conference",
    "container-title → publisher for broadcast",
    "container-title → publisher for post",
];

/// Every way `out` differs from the Zotero item `item` it was imported from.
fn differences(item: &serde_json::Value, out: &serde_json::Value) -> Vec<String> {
    let kind = item["type"].as_str().unwrap();
    let mut found = Vec::new();
    if out["type"] != item["type"] {
        found.push(format!("type {kind} → {}", out["type"].as_str().unwrap()));
    }
    for key in ["title", "author", "issued", "accessed", "DOI", "URL"] {
        let (a, b) = (&item[key], &out[key]);
        let empty = |v: &serde_json::Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty);
        if a != b && !(empty(a) && empty(b)) {
            found.push(format!("{key}: {a} → {b}"));
        }
    }
    for key in ["container-title", "publisher"] {
        if item[key].is_string() && out[key] != item[key] {
            let other = if key == "publisher" {
                "container-title"
            } else {
                "publisher"
            };
            if out[other] == item[key] {
                found.push(format!("{key} → {other} for {kind}"));
            } else {
                found.push(format!("{key}: {} → {}", item[key], out[key]));
            }
        }
    }
    if let Some(copy) = item["archive_location"].as_str() {
        let back = out["archive_location"].as_str().unwrap_or_default();
        if back != format!("Archived at {copy}") {
            found.push(format!("archived copy: {copy} → {back}"));
        }
    }
    found
}

#[test]
fn thirty_zotero_items_come_back_from_bibliography_json_as_they_went_in() {
    let site = Site::minimal();
    let library = repo_root().join("tests/fixtures/zotero/library.json");
    let root = site.root().to_str().unwrap().to_string();
    let run = site
        .run(&["import", library.to_str().unwrap(), "--root", &root])
        .expect_code(0);
    assert!(run.stdout.contains("imported 30 sources"), "{}", run.stdout);
    // A person's name in parts is written as such; a family name written first says so.
    let mao = std::fs::read_to_string(site.root().join("content/sources/mao-2023.md")).unwrap();
    assert!(
        mao.contains("authors = [{ family = \"Mao\", given = \"Ning\", family_first = true }]"),
        "{mao}"
    );
    site.build(&[]).expect_code(0);
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&library).unwrap()).unwrap();
    let exported: Vec<serde_json::Value> =
        serde_json::from_str(&site.read("bibliography.json")).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut unexpected = Vec::new();
    for item in &items {
        let id = item["citation-key"].as_str().unwrap();
        let out = exported
            .iter()
            .find(|o| o["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not in bibliography.json"));
        for d in differences(item, out) {
            if DOCUMENTED.contains(&d.as_str()) {
                seen.insert(d);
            } else {
                unexpected.push(format!("{id}: {d}"));
            }
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
    // Each documented difference is met: the list holds no rule that no longer applies.
    assert_eq!(seen.len(), DOCUMENTED.len(), "{seen:#?}");
}

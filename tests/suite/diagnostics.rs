//! One mistake, one diagnostic: a broken file is reported at that file only, value errors
//! say what is valid, content may not take a generated file's place, and diagnostics can
//! be read as JSON.

use crate::common;

use common::*;

/// The `error:` lines of a run.
fn errors(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect()
}

#[test]
fn a_broken_file_is_reported_once_and_never_in_the_files_naming_it() {
    let site = Site::minimal();
    // A source with a bad value, cited in front matter and in bodies.
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\nreliability = \"Z\"\n+++\n",
    );
    site.write(
        "content/claims/claim-d.md",
        "+++\ntitle = \"Claim D\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-03\ndisputes = [\"claim-b\"]\n\n[[citations]]\nsource = \"source-s\"\nquote = \"words\"\n+++\nAs [@source-s, p. 2] says; see [[source-s]] and [[claim-b]].\n",
    );
    // A claim whose front matter does not parse, disputed and linked to.
    site.write(
        "content/claims/claim-b.md",
        "+++\ntitle \"Claim B\"\nclaimants = [\"actor-a\"]\n+++\n",
    );
    site.write(
        "content/claims/claim-e.md",
        "+++\ntitle = \"Claim E\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-04\nsupports = [\"claim-b\"]\n\n[[citations]]\nsource = \"source-s\"\n+++\n",
    );
    site.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n[B](claims/claim-b.md), [[claim-b]], [S](sources/source-s.md).\n",
    );
    let run = site.build(&[]).expect_code(1);
    let errs = errors(&run);
    assert_eq!(errs.len(), 2, "{}", run.stderr);
    assert!(
        errs[0].starts_with("content/claims/claim-b.md:2:")
            && errs[0].contains("expected `=`")
            && !errs[0].contains("did you mean"),
        "{}",
        run.stderr
    );
    assert!(
        errs[1].starts_with("content/sources/source-s.md:3:")
            && errs[1].contains(
                "`reliability` must be one of `A` (completely reliable), `B` (usually reliable)"
            )
            && errs[1].contains("`F` (reliability cannot be judged), not `Z`"),
        "{}",
        run.stderr
    );
    // Nor warnings that only follow from the broken files.
    for echo in ["unknown", "cites no source", "not cited by any claim"] {
        assert!(!run.stderr.contains(echo), "`{echo}` in:\n{}", run.stderr);
    }
    // Fixed, the references hold.
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\nreliability = \"F\"\n+++\n",
    );
    site.write(
        "content/claims/claim-b.md",
        "+++\ntitle = \"Claim B\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-01\n\n[[citations]]\nsource = \"source-s\"\n+++\n",
    );
    site.build(&[]).expect_code(0);
    assert!(site.read("claims/claim-b/index.html").contains("Claim D"));
}

#[test]
fn a_wrong_reference_to_an_existing_broken_file_is_still_reported() {
    let site = Site::minimal();
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\nkind = \"reprot\"\n+++\n",
    );
    // `source-s` exists (broken); `claimants` wants an actor, and `source-t` is a typo.
    site.write(
        "content/claims/claim-d.md",
        "+++\ntitle = \"Claim D\"\nclaimants = [\"source-s\"]\ndate = 2024-01-03\n\n[[citations]]\nsource = \"source-t\"\n+++\n",
    );
    let run = site.build(&[]).expect_code(1);
    let errs = errors(&run);
    assert_eq!(errs.len(), 3, "{}", run.stderr);
    for want in [
        "content/claims/claim-d.md:3:15: error: `claimants` must name an actor, but `source-s` is a source",
        "content/claims/claim-d.md:7:11: error: unknown source id `source-t` in `source` (did you mean `source-s`?)",
        "content/sources/source-s.md:3:8: error: invalid front matter: `kind` must be one of `report`, `advisory`, `article`, `statement`, `hearing`, `press-release`, `dataset`, `post`, `judgment`, `transcript`, `filing` or `other`, not `reprot` (did you mean `report`?)",
    ] {
        assert!(
            run.stderr.contains(want),
            "expected `{want}` in:\n{}",
            run.stderr
        );
    }
}

#[test]
fn yaml_value_errors_say_the_same() {
    let site = Site::minimal();
    site.write(
        "content/actors/actor-a.md",
        "---\ntitle: Actor A\nkind: goverment\n---\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert_eq!(errors(&run).len(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/actors/actor-a.md:3:")
            && run
                .stderr
                .contains("`kind` must be one of `government`, `agency`")
            && run
                .stderr
                .contains("not `goverment` (did you mean `government`?)"),
        "{}",
        run.stderr
    );
}

#[test]
fn content_cannot_take_the_place_of_a_generated_or_static_file() {
    let site = Site::minimal();
    let page = "+++\ntitle = \"Mine\"\n+++\n";
    site.write("content/map.md", page);
    site.write("content/search.md", page);
    site.write("content/print/index.md", page);
    site.write("content/highlight.css", "p {}");
    site.write("content/bibliography.json", "{}");
    site.write("content/search-index/meta.json", "{}");
    site.write("content/tags/mine.md", page);
    site.write("content/style.css", "p {}");
    // Links to the colliding files are not errors of their own.
    site.write(
        "content/notes.md",
        "+++\ntitle = \"Notes\"\n+++\n[map](map.md), [print](print/index.md), [css](highlight.css).\n",
    );
    let run = site.build(&[]).expect_code(1);
    let expected = [
        "content/bibliography.json: error: this file's address `/bibliography.json` is taken by the CSL-JSON bibliography, which dossier generates",
        "content/highlight.css: error: this file's address `/highlight.css` is taken by the code-highlighting stylesheet, which dossier generates",
        "content/map.md:1:1: error: page path `/map/` is taken by the dispute map, which dossier generates",
        "content/print/index.md:1:1: error: page path `/print/` is taken by the print page, which dossier generates",
        "content/search-index/meta.json: error: this file's address `/search-index/meta.json` is taken by the search index, which dossier generates",
        "content/search.md:1:1: error: page path `/search/` is taken by the search page, which dossier generates",
        "content/style.css: error: this file's address `/style.css` is taken by a static file of the theme or the site",
        "content/tags/mine.md:1:1: error: page path `/tags/mine/` is taken by the tag pages (`/tags/…/`), which dossier generates",
    ];
    let errs = errors(&run);
    assert_eq!(errs.len(), expected.len(), "{}", run.stderr);
    for (line, want) in errs.iter().zip(expected) {
        assert!(line.starts_with(want), "expected `{want}`, got `{line}`");
    }
}

#[test]
fn message_format_json_gives_one_object_per_diagnostic() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &MIN_CLAIM.replace("claimants = [\"actor-a\"]", "claimants = [\"actr-a\"]"),
    );
    site.write(
        "content/sources/source-t.md",
        "+++\ntitle = \"T\"\nurl = \"https://example.org/t\"\n+++\n[[claim-c]]\n",
    );
    for command in ["check", "build"] {
        let run = site
            .run(&[command, "--message-format", "json"])
            .expect_code(1);
        let lines: Vec<serde_json::Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert_eq!(lines.len(), 3, "{}{}", run.stdout, run.stderr);
        let error = &lines[0];
        assert_eq!(error["file"], "content/claims/claim-c.md");
        assert_eq!(error["line"], 3);
        assert_eq!(error["column"], 15);
        assert_eq!(error["severity"], "error");
        assert_eq!(error["message"], "unknown actor id `actr-a` in `claimants`");
        assert_eq!(error["suggestion"], "actor-a");
        let keys: Vec<&String> = error.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "column",
                "file",
                "line",
                "message",
                "severity",
                "suggestion"
            ]
        );
        for warning in &lines[1..] {
            assert_eq!(warning["file"], "content/sources/source-t.md");
            assert_eq!(warning["severity"], "warning");
            assert_eq!(warning["suggestion"], serde_json::Value::Null);
        }
        assert_eq!(lines[2]["line"], 3);
        assert!(
            lines[2]["message"]
                .as_str()
                .unwrap()
                .contains("no archive_url")
        );
        // Standard error has the summary only.
        assert!(!run.stderr.contains("actr-a"), "{}", run.stderr);
        assert!(run.stderr.contains("1 error"), "{}", run.stderr);
    }
}

#[test]
fn an_id_taken_twice_is_reported_once() {
    let site = Site::minimal();
    // `source-s` is both a source and a claim; the claim that cites it and the body that
    // cites it are not reported as well, whichever file the id resolves to.
    site.write(
        "content/claims/source-s.md",
        "+++\ntitle = \"A claim\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-05\n\n[[citations]]\nsource = \"source-s\"\n+++\nSee [@source-s].\n",
    );
    let run = site.build(&[]).expect_code(1);
    let errs = errors(&run);
    assert_eq!(errs.len(), 1, "{}", run.stderr);
    assert!(
        errs[0].starts_with("content/sources/source-s.md:1:1: error: duplicate id `source-s`: content/claims/source-s.md has it already"),
        "{}",
        run.stderr
    );
}

//! `dossier check`, `dossier init` and `dossier new`, through the binary.

use crate::common;

use common::*;

#[test]
fn check_reports_the_same_diagnostics_and_writes_nothing() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &MIN_CLAIM.replace("actor-a", "actor-q"),
    );
    site.write("content/sources/extra.md", "+++\ntitle = \"Extra\"\n+++\n");
    let check = site.run(&["check"]).expect_code(1);
    let build = site.build(&[]).expect_code(1);
    let diagnostics = |s: &str| {
        s.lines()
            .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(!diagnostics(&check.stderr).is_empty());
    assert_eq!(diagnostics(&check.stderr), diagnostics(&build.stderr));
    site.write("content/claims/claim-c.md", MIN_CLAIM);
    let ok = site.run(&["check"]).expect_code(0);
    assert!(
        ok.stderr.contains("warning: source `extra` is not cited"),
        "{}",
        ok.stderr
    );
    assert!(
        ok.stderr.contains("checked 1 claim, 2 sources"),
        "{}",
        ok.stderr
    );
    assert!(!site.out().exists(), "check must not write the site");
    let names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "only site.toml and content/: {names:?}");
}

#[test]
fn check_finds_template_errors_too() {
    let site = Site::minimal();
    site.write("templates/claims.html", "{{ nope.nope }}");
    let run = site.run(&["check"]).expect_code(1);
    assert!(
        run.stderr.contains("templates/claims.html:1:"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_creates_a_dossier_that_builds_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    dossier(tmp.path(), &["init", "my-dossier"]).expect_code(0);
    let root = tmp.path().join("my-dossier");
    for f in [
        "site.toml",
        "content/_index.md",
        "content/claims/example-claim.md",
        "content/sources/example-report.md",
        "content/actors/example-agency.md",
    ] {
        assert!(root.join(f).is_file(), "{f}");
    }
    assert_eq!(
        std::fs::read_to_string(root.join(".gitignore")).unwrap(),
        "/public\n/.public.staging-*\n/.dossier-cache\n",
        "the built site, a killed build's staging folder and the link check's cache stay out of version control"
    );
    let run = dossier(&root, &["build"]).expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let html = read_out(&root.join("public"), "claims/example-claim/index.html");
    assert!(html.contains("id=\"ref-1\"") && html.contains("/sources/example-report/"));
    // a non-empty folder is refused, and nothing in it is touched
    let again = dossier(tmp.path(), &["init", "my-dossier"]).expect_code(1);
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
}

#[test]
fn new_creates_entries_that_fit_the_dossier() {
    let site = Site::minimal();
    site.run(&["new", "actor", "agency-b", "--title", "Agency \"B\""])
        .expect_code(0);
    site.run(&["new", "source", "report-b"]).expect_code(0);
    let text = std::fs::read_to_string(site.root().join("content/actors/agency-b.md")).unwrap();
    assert!(text.contains("title = \"Agency \\\"B\\\"\""), "{text}");
    site.run(&["new", "claim", "claim-b", "--title", "B says so"])
        .expect_code(0);
    // What `new` writes builds as it is, and its comments list the valid values.
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let claim = std::fs::read_to_string(site.root().join("content/claims/claim-b.md")).unwrap();
    assert!(
        claim.contains("claimants = [\"actor-a\"]")
            && claim.contains("(actors: actor-a, agency-b)")
            && claim.contains("# source = \"report-b\""),
        "{claim}"
    );
    let source = std::fs::read_to_string(site.root().join("content/sources/report-b.md")).unwrap();
    assert!(
        source.contains("# kind: report, advisory, article,")
            && source.contains("# reliability: A (completely reliable), B (usually reliable)")
            && !source.contains("publisher = \"\""),
        "{source}"
    );
    site.write(
        "content/claims/claim-b.md",
        &claim.replace("claimants = [\"actor-a\"]", "claimants = [\"agency-b\"]"),
    );
    site.build(&[]).expect_code(0);
    // An event builds as written, documented by a source of the dossier, and has its page.
    site.run(&["new", "event", "outage-b", "--title", "The outage"])
        .expect_code(0);
    let event = std::fs::read_to_string(site.root().join("content/events/outage-b.md")).unwrap();
    assert!(event.contains("sources = [\"report-b\"]"), "{event}");
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    assert!(
        site.read("events/outage-b/index.html")
            .contains("The outage")
    );
    let taken = site.run(&["new", "event", "report-b"]).expect_code(1);
    assert!(taken.stderr.contains("is taken by"), "{}", taken.stderr);
    // Without an actor, `new claim` says what to create first.
    let empty = Site::minimal();
    std::fs::remove_file(empty.root().join("content/actors/actor-a.md")).unwrap();
    let run = empty.run(&["new", "claim", "c2"]).expect_code(1);
    assert!(
        run.stderr.contains("dossier new actor ID"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("actors/agency-b/index.html")
            .contains("Agency &quot;B&quot;")
    );
    assert!(
        site.read("claims/claim-b/index.html")
            .contains("<h1>B says so</h1>")
    );
}

#[test]
fn new_refuses_bad_or_taken_ids() {
    let site = Site::minimal();
    let run = site.run(&["new", "claim", "Bad Id"]).expect_code(2);
    assert!(
        run.stderr.contains("invalid id `Bad Id`") && run.stderr.contains("bad-id"),
        "{}",
        run.stderr
    );
    let run = site.run(&["new", "actor", "source-s"]).expect_code(1);
    assert!(
        run.stderr.contains("taken by content/sources/source-s.md"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/sources/source-s.md")).unwrap(),
        MIN_SOURCE
    );
    let run = site.run(&["new", "widget", "x"]);
    assert_eq!(run.code, 2);
}

//! A dossier kept over time: messages in the writer's words, warnings that stay readable
//! on a large dossier, `build` and `check` agreeing, and the command line behaving as
//! other command-line tools do.

mod common;

use common::Site;
use std::process::{Command, Stdio};

/// A source with an address and no archived copy, cited by nothing.
fn unarchived_source(site: &Site, n: usize) {
    site.write(
        &format!("content/sources/loose-{n}.md"),
        &format!("+++\ntitle = \"Loose {n}\"\nurl = \"https://pages.test/{n}\"\n+++\n"),
    );
}

#[test]
fn counts_are_grammatical() {
    let site = Site::minimal();
    let run = site.run(&["check"]).expect_code(0);
    assert!(
        run.stderr
            .contains("checked 1 claim, 1 source, 1 actor, 0 events and 0 pages"),
        "{}",
        run.stderr
    );
    let provenance = site.run(&["check", "--provenance"]).expect_code(0);
    assert!(
        provenance
            .stdout
            .starts_with("Provenance of 1 claim and 1 source\n"),
        "{}",
        provenance.stdout
    );
}

#[test]
fn a_warning_on_many_files_is_one_line_that_names_the_first_three() {
    let site = Site::minimal();
    for n in 0..5 {
        unarchived_source(&site, n);
    }
    // Five files: each its own line.
    let run = site.run(&["check"]).expect_code(0);
    let own = |stderr: &str, needle: &str| stderr.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(
        own(&run.stderr, "is not cited by any claim"),
        5,
        "{}",
        run.stderr
    );
    assert_eq!(own(&run.stderr, "no archive_url"), 5, "{}", run.stderr);

    // Seven: one line each kind, with the count and the first three places.
    for n in 5..7 {
        unarchived_source(&site, n);
    }
    let run = site.run(&["check"]).expect_code(0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "content/sources/loose-0.md:1:1: warning: 7 sources are not cited by any claim: \
             content/sources/loose-0.md:1:1, content/sources/loose-1.md:1:1, \
             content/sources/loose-2.md:1:1 and 4 more (`--message-format json` lists every one)",
            "content/sources/loose-0.md:3:1: warning: 7 sources have a url but no archive_url: \
             content/sources/loose-0.md:3:1, content/sources/loose-1.md:3:1, \
             content/sources/loose-2.md:3:1 and 4 more; `dossier archive` asks the Internet \
             Archive for a copy of each, in case the pages change or disappear \
             (`--message-format json` lists every one)",
            "2 warnings",
            "checked 1 claim, 8 sources, 1 actor, 0 events and 0 pages",
        ]
    );
    // Each is still given in JSON, at its own place.
    let json = site
        .run(&["check", "--message-format", "json"])
        .expect_code(0);
    let places: Vec<(String, u64)> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| {
            (
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(places.len(), 14, "{}", json.stdout);
    for n in 0..7 {
        let file = format!("content/sources/loose-{n}.md");
        assert!(places.contains(&(file.clone(), 1)), "{file}: {places:?}");
        assert!(places.contains(&(file.clone(), 3)), "{file}: {places:?}");
    }
}

#[test]
fn build_and_check_report_the_same_diagnostics() {
    // A German edition with no interface table: its strings are shown in English, which
    // both commands report, alongside the content's warnings.
    let site = Site::minimal();
    site.write(
        "site.toml",
        &format!(
            "{}\n[languages.de]\ntitle = \"Minimal\"\n",
            common::MIN_SITE_TOML
        ),
    );
    site.write(
        "content/claims/claim-c.de.md",
        "+++\ntitle = \"Behauptung C\"\n+++\n\nText.\n",
    );
    for n in 0..3 {
        unarchived_source(&site, n);
    }
    let check = site
        .run(&["check", "--message-format", "json"])
        .expect_code(0);
    let build = site.build(&["--message-format", "json"]).expect_code(0);
    assert!(
        check.stdout.contains("no translation into `de`"),
        "{}",
        check.stdout
    );
    assert_eq!(check.stdout, build.stdout);
    let human_check = site.run(&["check"]).expect_code(0);
    let human_build = site.build(&[]).expect_code(0);
    let warnings = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains(": warning: "))
            .map(String::from)
            .collect()
    };
    assert_eq!(warnings(&human_check.stderr), warnings(&human_build.stderr));
    assert_eq!(warnings(&human_check.stderr).len(), 7);
}

/// The signal a write into a closed pipe raises (13 on Linux and the BSDs).
const SIGPIPE: i32 = 13;

/// Runs `dossier ARGS` with its standard output a pipe whose reading end is already
/// closed, as in `dossier check | head -1` once `head` has its line.
fn into_closed_pipe(site: &Site, args: &[&str]) -> (std::process::ExitStatus, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn writing_into_a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let site = Site::minimal();
    unarchived_source(&site, 0);
    for args in [
        &["check", "--message-format", "json"][..],
        &["check", "--provenance"],
        &["build", "--message-format", "json"],
    ] {
        let (status, stderr) = into_closed_pipe(&site, args);
        assert_eq!(
            status.signal(),
            Some(SIGPIPE),
            "{args:?}: {status:?}\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

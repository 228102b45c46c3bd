//! Every class of error, through the binary: exit code, `path:line` and message.

use crate::common;

use common::*;

/// Builds and expects failure with a diagnostic containing each of `needles`.
fn fails_with(site: &Site, needles: &[&str]) -> String {
    let run = site.build(&[]).expect_code(1);
    for n in needles {
        assert!(run.stderr.contains(n), "expected `{n}` in:\n{}", run.stderr);
    }
    assert!(
        !site.out().exists(),
        "a failed first build must write nothing"
    );
    run.stderr
}

fn claim_with(extra_front: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"Claim D\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n{extra_front}\n[[citations]]\nsource = \"source-s\"\n+++\n{body}"
    )
}

#[test]
fn minimal_site_builds() {
    let site = Site::minimal();
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn unparsable_front_matter() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"\ndate = 2024-01-02\n+++\n",
    );
    fails_with(
        &site,
        &["content/claims/claim-c.md:4:", "invalid front matter"],
    );
    site.write("content/claims/claim-c.md", "---\ntitle: [unclosed\n---\n");
    fails_with(
        &site,
        &["content/claims/claim-c.md:", "invalid front matter"],
    );
    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"never closed\"\n",
    );
    fails_with(&site, &["content/claims/claim-c.md:1:1", "never closed"]);
}

#[test]
fn missing_required_key() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        "+++\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n+++\n",
    );
    fails_with(
        &site,
        &["content/claims/claim-c.md:", "missing required key `title`"],
    );
    site.write("content/claims/claim-c.md", "# no front matter at all\n");
    fails_with(
        &site,
        &["content/claims/claim-c.md:1:1", "needs front matter"],
    );
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let site = Site::minimal();
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\npublsher = \"X\"\n+++\n",
    );
    let err = fails_with(
        &site,
        &[
            "content/sources/source-s.md:3:",
            "`publsher` is not a key here",
        ],
    );
    assert!(err.contains("did you mean `publisher`?"), "{err}");
    site.write("content/sources/source-s.md", MIN_SOURCE);
    site.write("site.toml", &format!("{MIN_SITE_TOML}titel = \"x\"\n"));
    let err = fails_with(&site, &["site.toml:3:", "`titel` is not a key here"]);
    assert!(err.contains("did you mean `title`?"), "{err}");
}

#[test]
fn bad_date() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &MIN_CLAIM.replace("date = 2024-01-02", "date = \"2023-02-30\""),
    );
    fails_with(
        &site,
        &[
            "content/claims/claim-c.md:4:",
            "`date` is a date, like `2024-05-24`, `2024-05` or `2024`, not `2023-02-30`",
            "February 2023 has days 01 to 28",
        ],
    );
    site.write(
        "content/claims/claim-c.md",
        &MIN_CLAIM.replace("date = 2024-01-02", "date = \"May 2023\""),
    );
    fails_with(
        &site,
        &[
            "content/claims/claim-c.md:4:",
            "`date` is a date, like `2024-05-24`, `2024-05` or `2024`, not `May 2023`",
        ],
    );
}

#[test]
fn bad_enum_value_suggests_the_nearest() {
    let site = Site::minimal();
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\nkind = \"reprot\"\n+++\n",
    );
    let err = fails_with(
        &site,
        &[
            "content/sources/source-s.md:3:",
            "`kind` must be one of `report`, `advisory`,",
            "not `reprot`",
        ],
    );
    assert!(err.contains("did you mean `report`?"), "{err}");
    site.write("content/sources/source-s.md", MIN_SOURCE);
    site.write(
        "content/claims/claim-c.md",
        &claim_with("status = \"retraced\"", ""),
    );
    let err = fails_with(
        &site,
        &[
            "content/claims/claim-c.md:5:",
            "`status` must be one of `active` (still made), `retracted`",
        ],
    );
    assert!(err.contains("did you mean `retracted`?"), "{err}");
    site.write(
        "content/claims/claim-c.md",
        &MIN_CLAIM.replace(
            "source = \"source-s\"",
            "source = \"source-s\"\ncredibility = 9",
        ),
    );
    fails_with(
        &site,
        &[
            "content/claims/claim-c.md:",
            "`credibility` must be one of `1` (confirmed by other sources),",
            "`6` (truth cannot be judged), not `9`",
        ],
    );
}

#[test]
fn unknown_ids_in_front_matter_are_located_with_suggestions() {
    let site = Site::minimal();
    site.write("content/claims/claim-c.md", "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-b\"]\ndate = 2024-01-02\ndisputes = [\"claim-x\"]\nsupports = [\n  \"claim-e\",\n]\n\n[[citations]]\nsource = \"source-t\"\n+++\n");
    site.write("content/claims/claim-e.md", &claim_with("", ""));
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"Source S\"\npublished_by = \"actr-a\"\n+++\n",
    );
    let err = fails_with(
        &site,
        &[
            "content/claims/claim-c.md:3:15: error: unknown actor id `actor-b` in `claimants` (did you mean `actor-a`?)",
            "content/claims/claim-c.md:5:14: error: unknown claim id `claim-x` in `disputes`",
            "content/claims/claim-c.md:11:11: error: unknown source id `source-t` in `source` (did you mean `source-s`?)",
            "content/sources/source-s.md:3:17: error: unknown actor id `actr-a` in `published_by` (did you mean `actor-a`?)",
        ],
    );
    assert!(
        !err.contains("unknown claim id `claim-e`"),
        "claim-e exists: {err}"
    );
}

#[test]
fn unknown_ids_in_bodies() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &claim_with(
            "",
            "\nFirst line.\nSee [@sourc-s, p. 2] and [[clam-c]] and [x](../sources/sorce-s.md).\n",
        ),
    );
    fails_with(
        &site,
        &[
            "content/claims/claim-c.md:11:6: error: unknown source id `sourc-s` in a citation `[@...]` (did you mean `source-s`?)",
            "content/claims/claim-c.md:11:28: error: unknown id `clam-c` in a cross-link",
            "broken link `../sources/sorce-s.md`",
            "(did you mean `sources/source-s.md`?)",
        ],
    );
}

#[test]
fn citing_something_that_is_not_a_source() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &claim_with("", "\nSee [@actor-a].\n"),
    );
    fails_with(
        &site,
        &[
            "content/claims/claim-c.md:10:6",
            "a citation `[@...]` must name a source, but `actor-a` is an actor",
        ],
    );
}

#[test]
fn unknown_anchor() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-d.md",
        &claim_with(
            "",
            "\n## Evidence\n\nSee [[claim-c#evidence]] and [here](#evidense).\n",
        ),
    );
    fails_with(
        &site,
        &[
            "content/claims/claim-d.md:12:5: error: unknown anchor `#evidence` on /claims/claim-c/",
            "unknown anchor `#evidense`",
            "did you mean `evidence`?",
        ],
    );
}

#[test]
fn duplicate_id_across_kinds() {
    let site = Site::minimal();
    site.write("content/actors/source-s.md", MIN_ACTOR);
    fails_with(
        &site,
        &["duplicate id `source-s`", "content/sources/source-s.md"],
    );
}

#[test]
fn invalid_id() {
    let site = Site::minimal();
    site.write("content/actors/Actor B.md", MIN_ACTOR);
    fails_with(
        &site,
        &[
            "content/actors/Actor B.md",
            "invalid id `Actor B`",
            "did you mean `actor-b`?",
        ],
    );
}

#[test]
fn claim_disputing_itself() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &MIN_CLAIM.replace(
            "date = 2024-01-02",
            "date = 2024-01-02\ndisputes = [\"claim-c\"]",
        ),
    );
    fails_with(
        &site,
        &["content/claims/claim-c.md:5:14: error: a claim cannot dispute itself"],
    );
}

#[test]
fn disallowed_url_schemes() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &claim_with(
            "",
            "\n[click](javascript:alert(1)) ![i](data:image/png;base64,AAAA)\n",
        ),
    );
    fails_with(
        &site,
        &[
            "content/claims/claim-c.md:10:1: error: disallowed URL scheme `javascript:`",
            "content/claims/claim-c.md:10:30: error: disallowed URL scheme `data:`",
        ],
    );
    site.write("content/claims/claim-c.md", MIN_CLAIM);
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"S\"\nurl = \"javascript:alert(1)\"\n+++\n",
    );
    fails_with(
        &site,
        &[
            "content/sources/source-s.md:3:",
            "`url` must be an http or https URL",
        ],
    );
}

#[test]
fn file_that_is_not_utf8() {
    let site = Site::minimal();
    std::fs::write(
        site.root().join("content/actors/actor-a.md"),
        b"+++\ntitle = \"Act\xff\"\n+++\n",
    )
    .unwrap();
    fails_with(&site, &["content/actors/actor-a.md:2:", "not valid UTF-8"]);
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let site = Site::minimal();
    site.write(
        "content/claims/claim-c.md",
        &MIN_CLAIM.replace("actor-a", "nobody"),
    );
    site.write(
        "content/sources/source-s.md",
        "+++\ntitle = \"S\"\nkind = \"nope\"\n+++\n",
    );
    site.write("content/actors/actor-b.md", "+++\ntitle = 3\n+++\n");
    let run = site.build(&[]).expect_code(1);
    for f in [
        "content/claims/claim-c.md",
        "content/sources/source-s.md",
        "content/actors/actor-b.md",
    ] {
        assert!(
            run.stderr.contains(&format!("{f}:")),
            "{f} not reported:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("3 errors") || run.stderr.matches("error:").count() >= 3,
        "{}",
        run.stderr
    );
}

#[test]
fn warnings_do_not_fail_the_build() {
    let site = Site::minimal();
    site.write(
        "content/sources/lonely.md",
        "+++\ntitle = \"Lonely\"\nurl = \"https://example.org/x\"\n+++\n",
    );
    site.write(
        "content/claims/bare.md",
        "+++\ntitle = \"Bare\"\nclaimants = [\"actor-a\"]\ndate = 2024\n+++\n",
    );
    let run = site.build(&[]).expect_code(0);
    for w in [
        "content/sources/lonely.md:1:1: warning: source `lonely` is not cited by any claim",
        "content/sources/lonely.md:3:1: warning: source `lonely` has a url but no archive_url",
        "content/claims/bare.md:1:1: warning: claim `bare` cites no source",
    ] {
        assert!(run.stderr.contains(w), "expected `{w}` in:\n{}", run.stderr);
    }
    assert!(site.out().join("claims/bare/index.html").is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = Site::minimal();
    site.build(&[]).expect_code(0);
    let snapshot = |root: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(root).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = snapshot(&site.out());
    site.write(
        "content/claims/claim-c.md",
        &MIN_CLAIM.replace("actor-a", "actor-z"),
    );
    site.build(&[]).expect_code(1);
    assert_eq!(snapshot(&site.out()), before);
    // a template error found while rendering also leaves it untouched
    site.write("content/claims/claim-c.md", MIN_CLAIM);
    site.write("templates/claim.html", "{{ claim.no_such_field }}");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("templates/claim.html:1:"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&site.out()), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn template_syntax_errors_name_the_template() {
    let site = Site::minimal();
    site.write("templates/actor.html", "{% if %}");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("templates/actor.html:1:"),
        "{}",
        run.stderr
    );
    // An indented mistake is found where it is written, though indentation is not
    // published.
    site.write(
        "templates/actor.html",
        "<ul>\n  <li>{{ t(en=\"Claims\") }}</li>\n      {% if %}\n</ul>\n",
    );
    let run = site.build(&[]).expect_code(1);
    let col = run
        .stderr
        .split("templates/actor.html:3:")
        .nth(1)
        .and_then(|r| r.split(':').next())
        .unwrap_or_else(|| panic!("{}", run.stderr));
    // The column of the `%}` that ends the empty condition, counted from 1.
    let written = "      {% if %}".find(" %}").unwrap() + 2;
    assert_eq!(col, written.to_string(), "{}", run.stderr);
}

#[test]
fn output_folder_refusals() {
    let site = Site::minimal();
    let root = site.root().to_str().unwrap().to_string();
    let run = site.build(&["--output", &root]).expect_code(1);
    assert!(run.stderr.contains("it is the site root"), "{}", run.stderr);
    let parent = site.root().parent().unwrap().to_str().unwrap().to_string();
    let run = site.build(&["--output", &parent]).expect_code(1);
    assert!(
        run.stderr.contains("contains the site's content"),
        "{}",
        run.stderr
    );
    let inside = format!("{root}/content/out");
    let run = site.build(&["--output", &inside]).expect_code(1);
    assert!(run.stderr.contains("inside content/"), "{}", run.stderr);
    site.write("mine/notes.txt", "precious");
    let run = site
        .build(&["--output", &format!("{root}/mine")])
        .expect_code(1);
    assert!(
        run.stderr
            .contains("non-empty folder that dossier did not create"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("mine/notes.txt")).unwrap(),
        "precious"
    );
    // an empty folder, or one dossier wrote, is fine
    std::fs::create_dir(site.root().join("empty")).unwrap();
    site.build(&["--output", &format!("{root}/empty")])
        .expect_code(0);
    site.build(&["--output", &format!("{root}/empty")])
        .expect_code(0);
}

#[test]
fn site_toml_problems() {
    let site = Site::minimal();
    std::fs::remove_file(site.root().join("site.toml")).unwrap();
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("site.toml: error: cannot read the site configuration"),
        "{}",
        run.stderr
    );
    site.write("site.toml", "title = \"x\"\nbase_url = \"example.com\"\n");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("site.toml:2:")
            && run.stderr.contains("must be an absolute http or https URL"),
        "{}",
        run.stderr
    );
    site.write(
        "site.toml",
        &format!("{MIN_SITE_TOML}[markdown]\nhighlight_theme = \"Solarized dark\"\n"),
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("site.toml:4:")
            && run.stderr.contains("did you mean `Solarized (dark)`?"),
        "{}",
        run.stderr
    );
    site.write("site.toml", &format!("theme = \"fancy\"\n{MIN_SITE_TOML}"));
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("site.toml:1:") && run.stderr.contains("theme `fancy` not found"),
        "{}",
        run.stderr
    );
}

#[test]
fn page_paths_must_not_collide() {
    let site = Site::minimal();
    site.write("content/timeline.md", "+++\ntitle = \"Mine\"\n+++\n");
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\n");
    site.write(
        "content/about/index.md",
        "+++\ntitle = \"About again\"\n+++\n",
    );
    fails_with(
        &site,
        &[
            "content/timeline.md:1:1: error: page path `/timeline/` is taken by the timeline, which dossier generates",
            "page path `/about/` is taken by",
        ],
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let site = Site::minimal();
    let run = site.run(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = site.run(&["frobnicate"]);
    assert_eq!(run.code, 2);
}

#[test]
fn missing_content_folder() {
    let site = Site::minimal();
    std::fs::remove_dir_all(site.root().join("content")).unwrap();
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("content: error: the content folder is missing"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
}

#[test]
fn awkward_files_build_or_fail_cleanly() {
    let site = Site::minimal();
    site.write(
        "content/fm-only.md",
        "+++\ntitle = \"Only front matter\"\n+++",
    );
    site.write(
        "content/bom-crlf.md",
        "\u{feff}+++\r\ntitle = \"BOM and CRLF\"\r\n+++\r\n\r\nSee [@source-s].\r\n",
    );
    site.write(
        "content/nul.md",
        "+++\ntitle = \"NUL\"\n+++\nA\0B [@source-s]\n",
    );
    site.write(
        "content/code.md",
        "+++\ntitle = \"Code\"\n+++\n```\n+++\ntitle = \"not front matter\"\n+++\n```\n",
    );
    let run = site.build(&[]).expect_code(0);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        site.read("bom-crlf/index.html")
            .contains("<h1>BOM and CRLF</h1>")
    );
    assert!(site.read("bom-crlf/index.html").contains("href=\"#ref-1\""));
    assert!(
        site.read("code/index.html")
            .contains("title = &quot;not front matter&quot;")
    );
    assert!(site.out().join("fm-only/index.html").is_file());
    site.write("content/empty.md", "");
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("content/empty.md:1:1: error: a page needs front matter"),
        "{}",
        run.stderr
    );
}

//! What a build does to the output folder: the same bytes whatever the number of worker
//! threads, and a rebuild touches only the files whose bytes changed.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::{Site, each_file, files, generated};

/// Every file under `dir` with its modification time.
fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    each_file(dir)
        .map(|(rel, e)| (rel, e.metadata().unwrap().modified().unwrap()))
        .collect()
}

fn build_with_threads(site: &Site, threads: usize, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(out)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn one_worker_thread_and_many_write_the_same_bytes() {
    for site in [generated(400), Site::example()] {
        let out = tempfile::tempdir().unwrap();
        let (one, many) = (out.path().join("one"), out.path().join("many"));
        build_with_threads(&site, 1, &one);
        build_with_threads(&site, 8, &many);
        let (a, b) = (files(&one), files(&many));
        assert!(a.len() > 60, "{}", a.len());
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            assert!(bytes == &b[path], "{path} differs between 1 and 8 threads");
        }
    }
}

#[test]
fn a_rebuild_that_changes_nothing_rewrites_nothing() {
    let site = generated(100);
    let first = site.build(&[]).expect_code(0);
    assert!(first.stderr.contains("0 unchanged"), "{}", first.stderr);
    let before = mtimes(&site.out());
    let bytes = files(&site.out());
    std::thread::sleep(Duration::from_millis(20));
    let again = site.build(&[]).expect_code(0);
    assert!(
        again.stderr.contains("(0 files written"),
        "{}",
        again.stderr
    );
    assert_eq!(mtimes(&site.out()), before);
    assert_eq!(files(&site.out()), bytes);
}

#[test]
fn a_rebuild_writes_only_what_changed_and_removes_what_is_gone() {
    let site = generated(100);
    site.build(&[]).expect_code(0);
    let before = mtimes(&site.out());
    std::thread::sleep(Duration::from_millis(20));
    let c40 = std::fs::read_to_string(site.root().join("content/claims/c40.md")).unwrap();
    site.write(
        "content/claims/c40.md",
        &format!("{c40}\nA new sentence.\n"),
    );
    let run = site.build(&[]).expect_code(0);
    let after = mtimes(&site.out());
    assert!(
        site.read("claims/c40/index.html")
            .contains("A new sentence.")
    );
    assert_ne!(
        after["claims/c40/index.html"],
        before["claims/c40/index.html"]
    );
    assert_eq!(
        after["claims/c41/index.html"],
        before["claims/c41/index.html"]
    );
    assert_eq!(
        after["sources/s3/index.html"],
        before["sources/s3/index.html"]
    );
    assert_eq!(after["claims/index.html"], before["claims/index.html"]);
    // Besides the claim's page, only the print page and the STIX bundle (which hold every
    // body) and the search index files holding the claim's text are written.
    let written: Vec<&String> = after
        .iter()
        .filter(|(k, t)| before.get(*k) != Some(t))
        .map(|(k, _)| k)
        .collect();
    let whole_site = |k: &str| {
        k == "print/index.html" || k == "dossier.stix.json" || k.starts_with("search-index/")
    };
    assert!(
        written
            .iter()
            .all(|k| *k == "claims/c40/index.html" || whole_site(k)),
        "{written:?}"
    );
    assert!(written.iter().any(|k| k.starts_with("search-index/docs/")));
    assert!(
        before
            .keys()
            .filter(|k| !after.contains_key(*k))
            .all(|k| k.starts_with("search-index/"))
    );
    assert!(
        run.stderr
            .contains(&format!("({} files written", written.len())),
        "{}",
        run.stderr
    );

    // Deleting a claim changes the counts every page shows, and removes its page.
    let before = mtimes(&site.out());
    std::fs::remove_file(site.root().join("content/claims/c99.md")).unwrap();
    let c96 = std::fs::read_to_string(site.root().join("content/claims/c96.md")).unwrap();
    site.write("content/claims/c96.md", &c96.replace("[[c99]]", "claim 99"));
    let run = site.build(&[]).expect_code(0);
    assert!(
        !site.out().join("claims/c99").exists(),
        "the deleted claim's folder is gone"
    );
    let after = mtimes(&site.out());
    let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(removed.contains(&&"claims/c99/index.html".to_string()));
    assert!(
        removed
            .iter()
            .all(|k| *k == "claims/c99/index.html" || k.starts_with("search-index/"))
    );
    assert!(
        run.stderr.contains(&format!(" {} removed", removed.len())),
        "{}",
        run.stderr
    );
    // No temporary files are left behind.
    assert!(
        files(&site.out())
            .keys()
            .all(|k| !k.contains("dossier-new")),
        "temporary files left"
    );
}

#[test]
fn a_failed_rebuild_leaves_every_file_and_time_as_it_was() {
    let site = generated(60);
    site.build(&[]).expect_code(0);
    let (before, bytes) = (mtimes(&site.out()), files(&site.out()));
    std::thread::sleep(Duration::from_millis(20));
    let c1 = std::fs::read_to_string(site.root().join("content/claims/c1.md")).unwrap();
    site.write(
        "content/claims/c1.md",
        &format!("{c1}\nChanged [[no-such-id]].\n"),
    );
    site.write(
        "content/claims/c2.md",
        "+++\ntitle = \"Changed\"\nclaimants = [\"a1\"]\ndate = 2024\n+++\nNew text.\n",
    );
    site.build(&[]).expect_code(1);
    assert_eq!(mtimes(&site.out()), before);
    assert_eq!(files(&site.out()), bytes);
}

#[test]
fn a_print_page_that_fails_half_written_leaves_the_output_as_it_was() {
    // The print page is written to its file while it is rendered; a template error in
    // one of its sections must still leave the previous site whole and no partial file.
    let site = generated(60);
    site.build(&[]).expect_code(0);
    let (before, bytes) = (mtimes(&site.out()), files(&site.out()));
    std::thread::sleep(Duration::from_millis(20));
    site.write(
        "templates/partials/print_claim.html",
        "<article>{{ p.no_such_field }}</article>\n",
    );
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr
            .contains("templates/partials/print_claim.html:1:"),
        "the error names the template and line: {}",
        run.stderr
    );
    assert_eq!(mtimes(&site.out()), before);
    assert_eq!(files(&site.out()), bytes);
    // A first build that fails the same way creates no output folder at all.
    let fresh = site.root().join("fresh-out");
    site.build(&["--output", fresh.to_str().unwrap()])
        .expect_code(1);
    assert!(
        !fresh.exists(),
        "a failed first build left {}",
        fresh.display()
    );
    let parent: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        parent.iter().all(|n| !n.contains("staging")),
        "a staging folder was left: {parent:?}"
    );
}

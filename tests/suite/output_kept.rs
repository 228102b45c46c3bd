//! The user's files in the output folder: a rebuild keeps dot-files (a gh-pages `.git`
//! work tree) and the names of `[output] keep` (`CNAME`), a planted or foreign marker does
//! not make a folder dossier's, static files may not replace generated ones, and an
//! output path is read as the folder it names. Through the real binary.

use crate::common;

use common::*;

fn listing(site: &Site, out: &str) -> Vec<String> {
    files(&site.root().join(out)).into_keys().collect()
}

#[test]
fn dot_files_and_kept_names_survive_every_build() {
    let site = Site::minimal();
    site.write(
        "site.toml",
        &format!("{MIN_SITE_TOML}\n[output]\nkeep = [\"CNAME\"]\n"),
    );
    site.build(&[]).expect_code(0);
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n")
        .write("public/.git/objects/ab/cdef", "object")
        .write("public/.nojekyll", "")
        .write("public/CNAME", "dossier.example.org\n")
        .write("public/stray.html", "left by hand");
    // Nothing kept is counted as removed: the first rebuild removes the stray page only.
    let run = site.build(&[]).expect_code(0);
    assert!(run.stderr.contains(" 1 removed)"), "{}", run.stderr);
    for round in 0..2 {
        site.write(
            "content/claims/claim-c.md",
            &format!("{MIN_CLAIM}\nEdit {round}.\n"),
        );
        site.build(&[]).expect_code(0);
        for kept in [".git/HEAD", ".git/objects/ab/cdef", ".nojekyll", "CNAME"] {
            assert!(
                site.out().join(kept).is_file(),
                "round {round}: {kept} is gone"
            );
        }
        assert!(!site.out().join("stray.html").exists());
        assert!(
            site.read("claims/claim-c/index.html")
                .contains(&format!("Edit {round}."))
        );
    }
    assert_eq!(site.read("CNAME"), "dossier.example.org\n");
    // Without `keep`, a CNAME is the site's to remove; the .git work tree stays.
    site.write("site.toml", MIN_SITE_TOML);
    let run = site.build(&[]).expect_code(0);
    assert!(run.stderr.contains("1 removed"), "{}", run.stderr);
    assert!(!site.out().join("CNAME").exists() && site.out().join(".git/HEAD").is_file());
    // A kept name the build also writes: the build fails and the output stays as it was.
    site.write(
        "site.toml",
        &format!("{MIN_SITE_TOML}\n[output]\nkeep = [\"robots.txt\"]\n"),
    );
    let before = files(&site.out());
    let run = site.build(&[]).expect_code(1);
    assert!(
        run.stderr.contains("`robots.txt` in the output is kept"),
        "{}",
        run.stderr
    );
    assert_eq!(files(&site.out()), before);
    site.write(
        "site.toml",
        &format!("{MIN_SITE_TOML}\n[output]\nkeep = [\"../x\"]\n"),
    );
    let run = site.build(&[]).expect_code(1);
    assert!(run.stderr.contains("site.toml:5: error: [output] keep names files or folders at the top of the output folder, such as `CNAME`; `../x` is not one"), "{}", run.stderr);
}

#[test]
fn a_fresh_work_tree_is_built_into_and_a_planted_marker_is_not_trusted() {
    // A gh-pages work tree holding only `.git`: built into, `.git` kept.
    let site = Site::minimal();
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.build(&[]).expect_code(0);
    assert!(site.out().join(".git/HEAD").is_file() && site.out().join("index.html").is_file());

    // A folder of someone's files with a marker planted (or left by another site).
    for marker in [
        "This folder was written by dossier and is rewritten on every build.\n".to_string(),
        "This folder was written by dossier and is rewritten on every build.\nsite: /elsewhere\n"
            .to_string(),
    ] {
        let site = Site::minimal();
        site.write("mine/thesis.tex", "years of work")
            .write("mine/.dossier-output", &marker);
        let run = site
            .build(&["--output", site.root().join("mine").to_str().unwrap()])
            .expect_code(1);
        assert!(
            run.stderr.contains("marker does not record this site"),
            "{}",
            run.stderr
        );
        assert_eq!(
            std::fs::read_to_string(site.root().join("mine/thesis.tex")).unwrap(),
            "years of work"
        );
    }
}

#[test]
fn static_files_may_not_replace_generated_ones() {
    let site = Site::minimal();
    site.write("static/index.html", "<p>mine</p>")
        .write("static/dossier.json", "{}")
        .write("static/robots-extra.txt", "fine");
    let run = site.build(&[]).expect_code(1);
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors.iter().any(|e| e.starts_with("static/index.html: error: this static file would be published at `/index.html`, where dossier writes the home page"))
            && errors.iter().any(|e| e.starts_with("static/dossier.json: error: ")),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists());
}

#[test]
fn an_output_path_names_the_folder_it_means() {
    let site = Site::minimal();
    let root = site.root().to_str().unwrap().to_string();
    let built = |output: &str| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["build", "--root", &root, "--output", output])
            .current_dir(site.root())
            .output()
            .unwrap();
        to_run(run)
    };
    built("public").expect_code(0);
    let first = files(&site.out());
    for output in ["./public/./", "public/../public", "content/../public/."] {
        let run = built(output).expect_code(0);
        assert!(run.stderr.contains("0 removed"), "{output}: {}", run.stderr);
        assert_eq!(files(&site.out()), first, "{output}");
        let beside: Vec<String> = listing(&site, ".")
            .into_iter()
            .filter(|p| p.contains("staging"))
            .collect();
        assert!(beside.is_empty(), "{output}: {beside:?}");
    }
    // Through `..`, into the content: refused before anything is written.
    let run = built("public/../content/out").expect_code(1);
    assert!(
        run.stderr.contains("it is inside content/"),
        "{}",
        run.stderr
    );
    assert!(!site.root().join("content/out").exists());
}

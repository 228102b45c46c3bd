//! Builds are exclusive and atomic, through the binary: a second build into the same
//! folder is refused while the first runs, a build killed at any point leaves exactly the
//! old site or the new one (nothing else, no temporary file inside it), the next build
//! removes what a killed one left, and an output folder that is a symbolic link is written
//! through.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn start_build(site: &Site, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) -> Run {
    to_run(child.wait_with_output().unwrap())
}

/// The names in `dir` that a build put beside its output.
fn beside(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("previous"))
        .collect()
}

/// Waits until a build's staging folder appears beside `out`, that is, until it holds the
/// lock and writes.
fn wait_for_staging(parent: &Path, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if !beside(parent).is_empty() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

/// A 2,000-claim dossier built once (`old`), then edited; `new` is what the edited
/// dossier builds to, written into a folder of its own.
struct Versions {
    site: Site,
    work: tempfile::TempDir,
    old: BTreeMap<String, Vec<u8>>,
    new: BTreeMap<String, Vec<u8>>,
}

impl Versions {
    fn make(claims: usize) -> Versions {
        let site = generated(claims);
        let work = tempfile::tempdir().unwrap();
        let out = work.path().join("site");
        site.build(&["--output", out.to_str().unwrap()])
            .expect_code(0);
        let old = files(&out);
        // An edit that changes some pages, adds one and removes one.
        let c5 = std::fs::read_to_string(site.root().join("content/claims/c5.md")).unwrap();
        site.write("content/claims/c5.md", &format!("{c5}\nEdited.\n"));
        site.write(
            "content/claims/added.md",
            "+++\ntitle = \"Added\"\nclaimants = [\"a1\"]\ndate = 2024\n\n[[citations]]\nsource = \"s1\"\n+++\nNew.\n",
        );
        let last = format!("content/claims/c{}.md", claims - 1);
        std::fs::remove_file(site.root().join(&last)).unwrap();
        let c = claims - 4;
        let text = std::fs::read_to_string(site.root().join(format!("content/claims/c{c}.md")))
            .unwrap()
            .replace(&format!("[[c{}]]", claims - 1), "claim");
        site.write(&format!("content/claims/c{c}.md"), &text);
        let fresh = work.path().join("fresh");
        site.build(&["--output", fresh.to_str().unwrap()])
            .expect_code(0);
        let new = files(&fresh);
        std::fs::remove_dir_all(&fresh).unwrap();
        assert_ne!(old, new);
        Versions {
            site,
            work,
            old,
            new,
        }
    }

    fn out(&self) -> PathBuf {
        self.work.path().join("site")
    }

    /// Which version the output holds, whole and with nothing else in it.
    fn which(&self) -> &'static str {
        let now = files(&self.out());
        if now == self.old {
            "old"
        } else if now == self.new {
            "new"
        } else {
            let extra: Vec<&String> = now
                .keys()
                .filter(|k| !self.old.contains_key(*k) && !self.new.contains_key(*k))
                .collect();
            panic!("the output is neither version; files in neither: {extra:?}")
        }
    }
}

#[test]
fn a_build_killed_at_any_point_leaves_the_old_site_or_the_new_and_the_next_cleans_up() {
    let v = Versions::make(2000);
    // How long a whole build takes, to spread the kills over it: the faster of two, since
    // the first may share the machine with the other tests as they start. Each renders
    // every page, as the killed builds do (the old site they replace is not the one their
    // build cache describes).
    let cache = v.work.path().join(".dossier-cache");
    let whole = (0..2)
        .map(|_| {
            std::fs::remove_dir_all(&cache).ok();
            let started = Instant::now();
            let run = finish(start_build(&v.site, &v.out()));
            assert_eq!(run.code, 0, "{}", run.stderr);
            started.elapsed()
        })
        .min()
        .unwrap();
    assert_eq!(v.which(), "new");
    let mut seen = BTreeMap::new();
    // Kills spread over the build's length, one as soon as it starts writing, and last a
    // build left to finish: how far a timed kill gets depends on the machine's load, so
    // which version each leaves is counted, not foretold.
    for step in 0..9 {
        // Back to the old site, then a build killed part of the way.
        std::fs::remove_dir_all(v.out()).unwrap();
        write_tree(&v.out(), &v.old);
        let mut child = start_build(&v.site, &v.out());
        match step {
            0..7 => std::thread::sleep(whole * step / 7),
            7 => {
                wait_for_staging(v.work.path(), &mut child);
            }
            _ => {
                child.wait().unwrap();
            }
        }
        child.kill().ok();
        child.wait().unwrap();
        let state = v.which();
        *seen.entry(state).or_insert(0) += 1;
        // Nothing is ever written inside the output but the site itself.
        assert!(
            files(&v.out()).keys().all(|k| !k.contains("dossier-new")),
            "step {step}"
        );
        // The next build finishes the job and removes what the killed one left.
        let run = v.site.build(&["--output", v.out().to_str().unwrap()]);
        assert_eq!(run.code, 0, "step {step}: {}", run.stderr);
        assert_eq!(v.which(), "new", "step {step}");
        assert_eq!(beside(v.work.path()), Vec::<String>::new(), "step {step}");
        // The build cache is whole, and nothing a killed build was writing is left.
        let cached: Vec<String> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(cached, ["site"], "step {step}");
        assert!(!run.stderr.contains("note:"), "step {step}: {}", run.stderr);
    }
    // A build killed before it has read anything leaves the old site; one that ended, the
    // new one.
    assert!(seen.contains_key("old"), "{seen:?}");
    assert!(seen.contains_key("new"), "{seen:?}");
}

/// Writes `files` under `dir`, with the marker of a folder dossier wrote.
fn write_tree(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (rel, bytes) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

#[test]
fn a_second_build_into_the_same_folder_is_refused_while_the_first_runs() {
    let v = Versions::make(2000);
    let mut first = start_build(&v.site, &v.out());
    assert!(
        wait_for_staging(v.work.path(), &mut first),
        "the first build never started writing"
    );
    let second = v.site.build(&["--output", v.out().to_str().unwrap()]);
    let first = finish(first);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(second.code, 1, "{}", second.stderr);
    let pid = second
        .stderr
        .split("another build (pid ")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .and_then(|p| p.parse::<u32>().ok());
    assert!(pid.is_some(), "{}", second.stderr);
    assert!(
        second.stderr.contains(&format!(
            "is writing to `{}`; wait for it to finish",
            v.out().display()
        )),
        "{}",
        second.stderr
    );
    assert_eq!(v.which(), "new");
    assert_eq!(beside(v.work.path()), Vec::<String>::new());

    // Builds started together: however they interleave, the output is whole.
    for _ in 0..3 {
        std::fs::remove_dir_all(v.out()).unwrap();
        write_tree(&v.out(), &v.old);
        let (a, b) = (
            start_build(&v.site, &v.out()),
            start_build(&v.site, &v.out()),
        );
        let (a, b) = (finish(a), finish(b));
        for r in [&a, &b] {
            assert!(
                r.code == 0 || r.stderr.contains("another build (pid "),
                "{}",
                r.stderr
            );
        }
        assert!(a.code == 0 || b.code == 0);
        assert_eq!(v.which(), "new");
        assert_eq!(beside(v.work.path()), Vec::<String>::new());
    }
}

#[test]
fn an_output_folder_that_is_a_symbolic_link_is_written_through() {
    let site = Site::minimal();
    let real = tempfile::tempdir().unwrap();
    let target = real.path().join("www");
    site.build(&["--output", target.to_str().unwrap()])
        .expect_code(0);
    std::os::unix::fs::symlink(&target, site.root().join("public")).unwrap();
    site.write(
        "content/claims/claim-c.md",
        &format!("{MIN_CLAIM}\nEdited.\n"),
    );
    let run = site.build(&[]).expect_code(0);
    let link = std::fs::symlink_metadata(site.root().join("public")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(
        std::fs::read_to_string(target.join("claims/claim-c/index.html"))
            .unwrap()
            .contains("Edited."),
        "{}",
        run.stderr
    );
    assert_eq!(beside(real.path()), Vec::<String>::new());
}

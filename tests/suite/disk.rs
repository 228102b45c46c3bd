//! Disk trouble, through the binary: an output folder that cannot be written, and a disk
//! that fills up in the middle of a build. The disk is a small tmpfs mounted in a private
//! mount namespace (`unshare`), so the test needs no privileges beyond user namespaces.

use crate::common;

use std::process::Command;

use common::*;

/// Runs `script` with `sh` in a new user and mount namespace, in `dir`.
fn in_namespace(dir: &std::path::Path, script: &str) -> Run {
    let out = Command::new("unshare")
        .args([
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-eu",
            "-c",
            script,
        ])
        .current_dir(dir)
        .env("DOSSIER", env!("CARGO_BIN_EXE_dossier"))
        .output()
        .expect("unshare (util-linux) runs");
    to_run(out)
}

#[test]
fn a_full_disk_or_a_read_only_output_leaves_the_previous_site_intact() {
    let site = Site::minimal();
    let work = tempfile::tempdir().unwrap();
    let big = "A paragraph of a long appendix that will not fit. ".repeat(60_000);
    std::fs::write(
        work.path().join("appendix.md"),
        format!("+++\ntitle = \"Appendix\"\n+++\n{big}\n"),
    )
    .unwrap();
    let script = format!(
        r#"
site='{site}'
mkdir disk
mount -t tmpfs -o size=600k tmpfs disk
state() {{ (cd disk && find . -type f -exec sha256sum {{}} + | sort; find . -type f -exec stat -c '%n %Y' {{}} + | sort); }}
"$DOSSIER" build --root "$site" --output disk/site 2> first.err
state > before.txt
sleep 1
cp appendix.md "$site/content/appendix.md"
set +e
"$DOSSIER" build --root "$site" --output disk/site 2> full.err
echo $? > full.code
set -e
state > after-full.txt
rm "$site/content/appendix.md"
printf '\nEdited.\n' >> "$site/content/claims/claim-c.md"
mount -o remount,ro disk
set +e
"$DOSSIER" build --root "$site" --output disk/site 2> ro.err
echo $? > ro.code
set -e
state > after-ro.txt
mount -o remount,rw disk
rm -rf disk/site2-file
printf 'x' > disk/a-file
set +e
"$DOSSIER" build --root "$site" --output disk/a-file/site 2> notdir.err
echo $? > notdir.code
set -e
"$DOSSIER" build --root "$site" --output disk/site 2> last.err
state > after-fix.txt
"#,
        site = site.root().display()
    );
    let run = in_namespace(work.path(), &script);
    assert_eq!(
        run.code, 0,
        "script failed:\n{}\n{}",
        run.stderr, run.stdout
    );
    let read = |name: &str| std::fs::read_to_string(work.path().join(name)).unwrap();
    assert!(
        read("first.err").contains("built "),
        "{}",
        read("first.err")
    );
    let before = read("before.txt");
    assert!(before.contains("./site/index.html"), "{before}");

    // The disk fills while the appendix is written.
    assert_eq!(read("full.code").trim(), "1");
    let full = read("full.err");
    assert!(
        full.contains("disk/site: error: cannot write ")
            && full
                .contains("No space left on device (os error 28); free some space and build again"),
        "a clear error naming the output:\n{full}"
    );
    assert!(full.contains("the previous output is unchanged"), "{full}");
    assert_eq!(
        read("after-full.txt"),
        before,
        "every file and time as before"
    );

    // A read-only output folder.
    assert_eq!(read("ro.code").trim(), "1");
    let ro = read("ro.err");
    assert!(
        ro.contains(
            "Read-only file system (os error 30); the output folder is on a read-only file system"
        ),
        "{ro}"
    );
    assert_eq!(
        ro.matches("error:").count(),
        1,
        "one error, not one per file: {ro}"
    );
    assert_eq!(read("after-ro.txt"), before);

    // An output path under a file.
    assert_eq!(read("notdir.code").trim(), "1");
    let notdir = read("notdir.err");
    assert!(notdir.contains("disk/a-file/site"), "{notdir}");

    // Once there is room again, the edit is written: its page, and the pages and
    // search index that hold every entry's text.
    let last = read("last.err");
    assert!(
        last.contains("files written") && !last.contains("error"),
        "{last}"
    );
    assert_ne!(read("after-fix.txt"), before);
}

#[test]
fn when_the_previous_site_cannot_be_removed_the_message_says_the_new_one_is_in_place() {
    // A folder of the old site is a mount point, which cannot be removed: after the swap
    // the new site is in place, and the old one stays beside it until a later build.
    let site = Site::minimal();
    let work = tempfile::tempdir().unwrap();
    let script = format!(
        r#"
site='{site}'
"$DOSSIER" build --root "$site" --output out/site 2> first.err
mount -t tmpfs tmpfs out/site/claims
printf '\nEdited.\n' >> "$site/content/claims/claim-c.md"
"$DOSSIER" build --root "$site" --output out/site 2> stuck.err
ls -a out > beside.txt
grep -c Edited out/site/claims/claim-c/index.html > edited.txt
umount out/.site.staging-*/claims
"$DOSSIER" build --root "$site" --output out/site 2> last.err
ls -a out > beside-after.txt
"#,
        site = site.root().display()
    );
    let run = in_namespace(work.path(), &script);
    assert_eq!(
        run.code, 0,
        "script failed:\n{}\n{}",
        run.stderr, run.stdout
    );
    let read = |name: &str| std::fs::read_to_string(work.path().join(name)).unwrap();
    let stuck = read("stuck.err");
    assert!(
        stuck.contains("out/site: warning: the new site is in place, but the previous one could not be removed from `out/.site.staging-")
            && stuck.contains("the next build removes it")
            && stuck.contains("built "),
        "{stuck}"
    );
    assert_eq!(read("edited.txt").trim(), "1", "the new site is served");
    assert!(read("beside.txt").contains(".site.staging-"));
    assert!(
        !read("last.err").contains("warning"),
        "{}",
        read("last.err")
    );
    assert!(
        !read("beside-after.txt").contains("staging"),
        "{}",
        read("beside-after.txt")
    );
}

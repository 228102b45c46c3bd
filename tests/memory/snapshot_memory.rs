//! A large snapshot costs a few times its size in memory, not twenty, and a quote missing
//! from one too large to search says that no closest passage was looked for. The peak
//! memory of the `dossier check` process is read from `wait4`.

use crate::common;

use std::process::Command;

use common::*;

/// Runs `dossier check` on `site`; its exit code, standard error and peak RSS in bytes.
/// The child is reaped by `wait4` itself, which also gives its resource use.
#[allow(clippy::zombie_processes)]
fn check_with_peak(site: &Site) -> (i32, String, u64) {
    let child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--root"])
        .arg(site.root())
        .stderr(std::fs::File::create(site.root().join("check.err")).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for the child `pid`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; the pointers are valid.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    let stderr = std::fs::read_to_string(site.root().join("check.err")).unwrap();
    (
        libc::WEXITSTATUS(status),
        stderr,
        usage.ru_maxrss as u64 * 1024,
    )
}

#[test]
fn a_large_snapshot_costs_a_few_times_its_size() {
    let site = Site::minimal();
    let line = "The group said the attack on critical infrastructure was a campaign.\n";
    let size = 16 << 20;
    let text = line.repeat(size / line.len());
    site.write("content/sources/source-s.txt", &text);
    let html: String = text
        .lines()
        .map(|l| format!("<p>{l} <em>x</em> &amp; y</p>\n"))
        .collect();
    site.write("content/sources/page.html", &html);
    site.write("content/sources/page.md", "+++\ntitle = \"Page\"\n+++\n");
    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"C\"\nclaimants = [\"actor-a\"]\ndate = 2024\n\n[[citations]]\nsource = \"source-s\"\nquote = \"attack on critical infrastructure\"\n\n[[citations]]\nsource = \"page\"\nquote = \"infrastructure was a campaign. x & y\"\n+++\n",
    );
    let (code, stderr, peak) = check_with_peak(&site);
    assert_eq!(code, 0, "{stderr}");
    // What the same dossier costs without the snapshots.
    let bare = Site::minimal();
    bare.write("content/sources/page.md", "+++\ntitle = \"Page\"\n+++\n");
    let (_, _, baseline) = check_with_peak(&bare);
    let files = (text.len() + html.len()) as u64;
    assert!(
        peak < baseline + 3 * files,
        "peak RSS {} MB for {} MB of snapshots ({} MB without them)",
        peak >> 20,
        files >> 20,
        baseline >> 20
    );

    // A long quote that is not there: searching the whole snapshot for the closest
    // passage would take too long, and the error says it was not searched for.
    let missing = "words nobody wrote ".repeat(25);
    site.write(
        "content/claims/claim-c.md",
        &format!("+++\ntitle = \"C\"\nclaimants = [\"actor-a\"]\ndate = 2024\n\n[[citations]]\nsource = \"source-s\"\nquote = \"{}\"\n\n[[citations]]\nsource = \"page\"\n+++\n", missing.trim()),
    );
    let (code, stderr, _) = check_with_peak(&site);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("content/claims/claim-c.md:8:9: error: quote not found in the snapshot of source `source-s` (content/sources/source-s.txt); the snapshot is too large (16 MB of text) to search for the closest passage"),
        "{stderr}"
    );
}

//! PDF, web-archive and legacy-encoded snapshots, and snapshot hashes, through the binary.

mod common;

use common::fixtures::*;
use common::*;

#[test]
fn scratch() {
    let pdf = pdf(
        &[
            &["First page text about cyber-", "attacks on routers."],
            &["Second page: the group", "acted alone."],
        ],
        &[("Title", "A report")],
    );
    let site = Site::minimal();
    site.write_bytes("content/sources/source-s.pdf", &pdf);
    site.write("content/claims/claim-c.md", "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"source-s\"\nquote = \"the group acted together\"\n[[citations]]\nsource = \"source-s\"\nquote = \"about cyberattacks on routers. Second\"\n+++\nBody.\n");
    let r = site.run(&["check"]);
    println!("{} {}", r.stderr, r.stdout);
}

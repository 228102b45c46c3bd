//! `/bibliography.json` read by Pandoc's citation processor (citeproc), as a writer citing
//! the dossier's sources in a Pandoc document would: every entry renders, with no warning.

use crate::common;

use std::process::Command;

use common::*;

#[test]
fn pandoc_renders_every_source_without_a_warning() {
    let present = Command::new("pandoc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !tool_or_skip(
        "pandoc_renders_every_source_without_a_warning",
        present,
        "Pandoc (Debian's `pandoc` package)",
    ) {
        return;
    }
    for (name, site) in [
        ("example", Site::example()),
        ("full", Site::fixture("full")),
    ] {
        site.build(&[]).expect_code(0);
        let bib = site.out().join("bibliography.json");
        let items: serde_json::Value =
            serde_json::from_str(&site.read("bibliography.json")).unwrap();
        let ids: Vec<&str> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        let doc = site.root().join("cites.md");
        let text: String = ids.iter().map(|id| format!("See [@{id}].\n\n")).collect();
        std::fs::write(&doc, text).unwrap();
        let out = Command::new("pandoc")
            .args(["--citeproc", "--wrap=none", "-t", "plain", "--bibliography"])
            .arg(&bib)
            .arg(&doc)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stderr.trim().is_empty(),
            "{name}: pandoc said:\n{stderr}"
        );
        assert!(
            !stdout.contains("???"),
            "{name}: a citation not found:\n{stdout}"
        );
        // After the citing paragraphs, one line per entry of the bibliography.
        let entries: Vec<&str> = stdout
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("See "))
            .collect();
        assert_eq!(entries.len(), ids.len(), "{name}:\n{stdout}");
        if name == "example" {
            let cmg = entries
                .iter()
                .find(|e| e.contains("Victim of Cyberattacks"))
                .unwrap();
            assert!(
                cmg.contains("China Media Group"),
                "the outlet of a news piece: {cmg}"
            );
            // An archived copy is a readable sentence; people are sorted by family name,
            // a family name written first stays first.
            let msft = entries
                .iter()
                .find(|e| e.contains("Living-Off-the-Land"))
                .unwrap();
            assert!(
                msft.contains(
                    ". Archived at https://web.archive.org/web/2023/https://www.microsoft.com/"
                ) && !msft.contains("Https://"),
                "{msft}"
            );
            assert!(
                entries.iter().any(|e| e.starts_with("Mao, Ning. 2023.")),
                "{stdout}"
            );
            assert!(
                entries.iter().any(|e| e.starts_with("Fokker, John.")),
                "{stdout}"
            );
        }
    }
}

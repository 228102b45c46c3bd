//! Front matter: splitting any text into front matter and body, parsing it as each kind
//! of entry, and locating keys in it for diagnostics.
#![no_main]

use dossier::load::content::frontmatter::{self, Split};
use dossier::load::content::meta::{ActorMeta, ClaimMeta, HomeMeta, PageMeta, SourceMeta};
use libfuzzer_sys::fuzz_target;

fn parse_all(split: &Split<'_>) {
    let file = "content/claims/x.md";
    let _ = frontmatter::parse::<ClaimMeta>(split, file);
    let _ = frontmatter::parse::<SourceMeta>(split, file);
    let _ = frontmatter::parse::<ActorMeta>(split, file);
    let _ = frontmatter::parse::<PageMeta>(split, file);
    let _ = frontmatter::parse::<HomeMeta>(split, file);
}

fuzz_target!(|text: &str| {
    let Ok(Some(split)) = frontmatter::split(text) else {
        return;
    };
    assert!(split.body_line >= 1);
    parse_all(&split);
    for key in ["title", "quote", "source", "disputes", "url"] {
        let (line, _) = frontmatter::locate(split.front, split.front_line, key, Some("x"));
        assert!(line >= 1);
        let _ = frontmatter::locate_nth(split.front, split.front_line, key, 1);
    }
});

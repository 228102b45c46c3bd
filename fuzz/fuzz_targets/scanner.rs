//! The Markdown pipeline: the citation and cross-link scanner on any text, then a whole
//! body rendered against a small link index.
#![no_main]

use dossier::load::content::EntryKind;
use dossier::resolve::links::{LinkIndex, Target};
use dossier::resolve::markdown::{self, Env, Input, citations};
use libfuzzer_sys::fuzz_target;

fn index() -> LinkIndex {
    let mut index = LinkIndex::default();
    for (id, kind) in [
        ("claim-a", EntryKind::Claim),
        ("source-s", EntryKind::Source),
        ("actor-a", EntryKind::Actor),
    ] {
        index.ids.insert(
            id.to_string(),
            Target {
                kind,
                pos: Some(0),
                title: format!("<{id}> & \"title\""),
                url: format!("/{}/{id}/", kind.section()),
            },
        );
    }
    index
        .files
        .insert("sources/source-s.md".into(), "/sources/source-s/".into());
    index
}

fuzz_target!(|text: &str| {
    let _ = citations::scan(text);
    let index = index();
    for raw_html in [false, true] {
        let env = Env {
            index: &index,
            base_path: "/sub/",
            raw_html,
            highlight_theme: "InspiredGitHub",
        };
        let input = Input {
            file: "content/claims/x.md",
            content_path: "claims/x.md",
            body: text,
            body_line: 5,
        };
        let r = markdown::render(&input, &env);
        if !raw_html {
            assert!(!r.html.contains("<script"), "raw HTML must be escaped");
        }
        for d in &r.diagnostics {
            assert!(d.line >= 5, "a body diagnostic points into the body: {d}");
        }
    }
});

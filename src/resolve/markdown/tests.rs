use super::*;
use crate::resolve::links::Target;

fn index() -> LinkIndex {
    let mut idx = LinkIndex::default();
    idx.ids.insert(
        "src-a".into(),
        Target {
            pos: Some(0),
            kind: EntryKind::Source,
            title: "Source <A>".into(),
            url: "/sources/src-a/".into(),
        },
    );
    idx.ids.insert(
        "claim-b".into(),
        Target {
            pos: Some(0),
            kind: EntryKind::Claim,
            title: "Claim B".into(),
            url: "/claims/claim-b/".into(),
        },
    );
    idx.files
        .insert("sources/src-a.md".into(), "/sources/src-a/".into());
    idx.files
        .insert("claims/fig.png".into(), "/claims/fig.png".into());
    idx
}

fn md(body: &str) -> Rendered {
    let idx = index();
    let env = Env {
        index: &idx,
        base_path: "/",
        raw_html: false,
        highlight_theme: "InspiredGitHub",
    };
    render(
        &Input {
            file: "content/claims/x.md",
            content_path: "claims/x.md",
            body,
            body_line: 5,
        },
        &env,
    )
}

#[test]
fn citations_become_numbered_markers() {
    let r = md("One [@src-a, p. 4]. Two [see @src-a].\n");
    assert!(
        r.html.contains("href=\"#ref-1\" id=\"cite-1\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("id=\"cite-2\""), "{}", r.html);
    assert!(r.html.contains(", p. 4]"), "{}", r.html);
    assert_eq!(
        r.cited,
        vec![Cited {
            source: "src-a".into(),
            locators: vec!["p. 4".into()],
            markers: vec!["cite-1".into(), "cite-2".into()]
        }]
    );
    assert!(r.diagnostics.is_empty());
}

#[test]
fn email_autolinks_become_mailto_links() {
    let r = md("Write to <editors@example.org>.");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(
        r.html
            .contains("<a href=\"mailto:editors@example.org\">editors@example.org</a>"),
        "{}",
        r.html
    );
}

#[test]
fn code_and_emails_are_left_alone() {
    let r = md("Write to press@example.org, see `[@src-a]`.\n\n```\n[@src-a]\n```\n");
    assert!(r.cited.is_empty(), "{:?}", r.cited);
    assert!(r.html.contains("press@example.org"));
    assert!(r.html.contains("<code>[@src-a]</code>"), "{}", r.html);
}

#[test]
fn escaped_brackets_stay_text() {
    let r = md("Literally \\[@src-a\\] here.\n");
    assert!(r.cited.is_empty());
    assert!(r.html.contains("[@src-a]"), "{}", r.html);
}

#[test]
fn unknown_citation_is_located_with_suggestion() {
    let r = md("Line one.\n\nSee [@src-b].\n");
    let d = &r.diagnostics[0];
    assert_eq!((d.line, d.column), (7, 6), "{d}");
    assert_eq!(d.suggestion.as_deref(), Some("src-a"));
    let r = md("[@claim-b]\n");
    assert!(
        r.diagnostics[0].message.contains("is a claim"),
        "{}",
        r.diagnostics[0]
    );
}

#[test]
fn cross_links_use_titles_and_escape_them() {
    let r = md("[[src-a]] and [[claim-b|the claim]] and [[claim-b#evidence]]\n");
    assert!(
        r.html.contains(
            "<a class=\"xref xref-source\" href=\"/sources/src-a/\">Source &lt;A&gt;</a>"
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains(">the claim</a>"), "{}", r.html);
    assert!(
        r.html.contains("href=\"/claims/claim-b/#evidence\""),
        "{}",
        r.html
    );
    assert_eq!(r.anchor_links[0].anchor, "evidence");
    assert_eq!(r.mentions, vec!["src-a".to_string(), "claim-b".to_string()]);
    let r = md("[[nope]]\n");
    assert_eq!(r.diagnostics.len(), 1);
}

#[test]
fn relative_links_are_rewritten_and_checked() {
    let r = md("[s](../sources/src-a.md) ![f](fig.png) [x](missing.md)\n");
    assert!(r.html.contains("href=\"/sources/src-a/\""), "{}", r.html);
    assert!(r.html.contains("src=\"/claims/fig.png\""), "{}", r.html);
    assert_eq!(r.diagnostics.len(), 1);
    assert!(r.diagnostics[0].message.contains("missing.md"));
}

#[test]
fn bad_schemes_are_errors_and_raw_html_is_escaped() {
    let r = md("[x](javascript:alert(1)) <script>alert(1)</script>\n");
    assert!(r.diagnostics[0].message.contains("javascript:"));
    assert!(!r.html.contains("<script>"), "{}", r.html);
    assert!(!r.html.contains("javascript:"), "{}", r.html);
}

#[test]
fn headings_get_unique_ids() {
    let r = md("# Evidence\n\n## Evidence\n\n## References\n");
    assert_eq!(r.anchors, vec!["evidence", "evidence-1", "references-1"]);
}

#[test]
fn never_panics_on_generated_bodies() {
    let pieces = [
        "[", "]", "[[", "]]", "@", "@src-a", "@claim-b", ";", ",", "-", "\\", "`", "```", "\n",
        "\n\n", " ", "#", "|", "(", ")", "!", "<b>", "a", "é", "\r\n", "> ", "* ", "1. ", "[^1]",
        "[^1]: x", "src-a.md", "../", "%2e", "\u{E000}",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut body = String::new();
        for _ in 0..24 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            body.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        let r = md(&body);
        assert!(!r.html.contains("<script"), "{body:?}");
    }
}

//! The whole build of a small generated dossier: claims, sources and actors with
//! arbitrary text in every field, relations to known and unknown ids, snapshots, French
//! translations of claims (and of claims that do not exist), and now and then a file
//! replaced by arbitrary bytes. The build must never panic, must write
//! nothing when it fails, and must write the home page when it succeeds.
#![no_main]

use std::fs;
use std::path::Path;

use arbitrary::Arbitrary;
use dossier::build::{self, Mode};
use dossier::load::config::Overrides;
use libfuzzer_sys::fuzz_target;
use serde::Serialize;

#[derive(Arbitrary, Debug)]
struct Input {
    claims: Vec<ClaimIn>,
    sources: Vec<SourceIn>,
    actor_names: [String; 2],
    page: Option<String>,
    /// A file (by number) replaced by these bytes.
    raw: Option<(u8, Vec<u8>)>,
    translations: Vec<TranslationIn>,
    base_path: u8,
}

#[derive(Arbitrary, Debug)]
struct ClaimIn {
    title: String,
    date: u8,
    claimants: Vec<u8>,
    disputes: Vec<u8>,
    supports: Vec<u8>,
    cites: Vec<(u8, Option<String>)>,
    tags: Vec<String>,
    summary: Option<String>,
    body: String,
}

#[derive(Arbitrary, Debug)]
struct TranslationIn {
    claim: u8,
    title: Option<String>,
    summary: Option<String>,
    disputes: Option<Vec<u8>>,
    body: String,
}

#[derive(Serialize)]
struct TranslationFront {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disputes: Option<Vec<String>>,
}

#[derive(Arbitrary, Debug)]
struct SourceIn {
    title: String,
    publisher: Option<String>,
    url: Option<String>,
    published_by: Option<u8>,
    snapshot: Option<(bool, String)>,
    body: String,
}

#[derive(Serialize)]
struct Citation {
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<String>,
}

#[derive(Serialize)]
struct ClaimFront {
    title: String,
    claimants: Vec<String>,
    date: String,
    disputes: Vec<String>,
    supports: Vec<String>,
    citations: Vec<Citation>,
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
}

#[derive(Serialize)]
struct SourceFront {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published_by: Option<String>,
}

/// An id among `n` of `kind`, or (for `n`) one that does not exist.
fn id(kind: &str, i: u8, n: usize) -> String {
    let i = i as usize % (n + 1);
    if i == n {
        format!("{kind}-missing")
    } else {
        format!("{kind}-{i}")
    }
}

fn file(front: &impl Serialize, body: &str) -> String {
    let front = toml::to_string(front).unwrap_or_default();
    format!("+++\n{front}+++\n{body}")
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

fuzz_target!(|input: Input| {
    let claims = &input.claims[..input.claims.len().min(6)];
    let sources = &input.sources[..input.sources.len().min(4)];
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let base = [
        "https://example.org/",
        "https://example.org/sub/dir/",
        "http://h",
    ][input.base_path as usize % 3];
    write(
        root,
        "site.toml",
        format!("title = \"Fuzz\"\nbase_url = \"{base}\"\n\n[languages.fr]\n").as_bytes(),
    );
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, name) in input.actor_names.iter().enumerate() {
        let front = SourceFront {
            title: name.clone(),
            publisher: None,
            url: None,
            published_by: None,
        };
        files.push((
            format!("content/actors/actor-{i}.md"),
            file(&front, "").into_bytes(),
        ));
    }
    for (i, s) in sources.iter().enumerate() {
        let front = SourceFront {
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            url: s.url.clone(),
            published_by: s.published_by.map(|a| id("actor", a, 2)),
        };
        files.push((
            format!("content/sources/source-{i}.md"),
            file(&front, &s.body).into_bytes(),
        ));
        if let Some((html, text)) = &s.snapshot {
            let ext = if *html { "html" } else { "txt" };
            files.push((
                format!("content/sources/source-{i}.{ext}"),
                text.clone().into_bytes(),
            ));
        }
    }
    let dates = [
        "2024-01-02",
        "2024-01",
        "2024",
        "2024-13-40",
        "",
        "1999-12-31",
    ];
    for (i, c) in claims.iter().enumerate() {
        let n = claims.len();
        let front = ClaimFront {
            title: c.title.clone(),
            claimants: c
                .claimants
                .iter()
                .take(3)
                .map(|&a| id("actor", a, 2))
                .collect(),
            date: dates[c.date as usize % dates.len()].to_string(),
            disputes: c
                .disputes
                .iter()
                .take(3)
                .map(|&x| id("claim", x, n))
                .collect(),
            supports: c
                .supports
                .iter()
                .take(3)
                .map(|&x| id("claim", x, n))
                .collect(),
            citations: c
                .cites
                .iter()
                .take(4)
                .map(|(s, quote)| Citation {
                    source: id("source", *s, sources.len()),
                    quote: quote.clone(),
                })
                .collect(),
            tags: c.tags.iter().take(3).cloned().collect(),
            summary: c.summary.clone(),
        };
        files.push((
            format!("content/claims/claim-{i}.md"),
            file(&front, &c.body).into_bytes(),
        ));
    }
    for t in input.translations.iter().take(3) {
        let n = claims.len();
        let front = TranslationFront {
            title: t.title.clone(),
            summary: t.summary.clone(),
            disputes: t
                .disputes
                .as_ref()
                .map(|d| d.iter().take(3).map(|&x| id("claim", x, n)).collect()),
        };
        files.push((
            format!("content/claims/{}.fr.md", id("claim", t.claim, n)),
            file(&front, &t.body).into_bytes(),
        ));
    }
    if let Some(page) = &input.page {
        files.push((
            "content/notes/page.md".into(),
            format!("+++\ntitle = \"Notes\"\n+++\n{page}").into_bytes(),
        ));
    }
    if let Some((which, bytes)) = &input.raw
        && !files.is_empty()
    {
        let i = *which as usize % files.len();
        files[i].1 = bytes.clone();
    }
    for (rel, bytes) in &files {
        write(root, rel, bytes);
    }
    let out = root.join("out");
    let overrides = Overrides {
        output: Some(out.clone()),
        ..Overrides::default()
    };
    let checked = build::run(
        root,
        &overrides,
        Mode::Check {
            external: false,
            since: None,
            record: false,
            provenance: true,
        },
    );
    let built = build::run(root, &overrides, Mode::Build);
    assert_eq!(
        checked.ok, built.ok,
        "check and build disagree: {:?}",
        built.diagnostics
    );
    if built.ok {
        assert!(
            out.join("index.html").is_file() && out.join("fr/index.html").is_file(),
            "a successful build writes the home page of each language"
        );
    } else {
        assert!(!out.exists(), "a failed first build writes nothing");
        assert!(built.diagnostics.iter().any(|d| d.message.len() > 0));
    }
});

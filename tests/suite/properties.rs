//! Property tests over generated dossiers, through the binary: a valid dossier always
//! builds, every internal link in the output resolves, every relation shows from both
//! ends, and a dossier with one injected error fails with a diagnostic at the right file
//! and line.

use crate::common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use common::*;

/// A generated dossier: claims, sources and actors referring to each other by index.
#[derive(Debug, Clone)]
struct Gen {
    claims: Vec<ClaimGen>,
    sources: Vec<String>,
    actors: Vec<String>,
}

#[derive(Debug, Clone)]
struct ClaimGen {
    title: String,
    claimants: Vec<usize>,
    disputes: Vec<usize>,
    supports: Vec<usize>,
    cites: Vec<usize>,
    body: Vec<Piece>,
}

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Cite(usize),
    Link(usize),
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 <>&\"'é@#*_.,-]{1,24}"
}

fn dossiers() -> impl Strategy<Value = Gen> {
    (1usize..7, 1usize..5, 1usize..4).prop_flat_map(|(nc, ns, na)| {
        let claim = (
            text(),
            proptest::collection::vec(0..na, 1..3),
            proptest::collection::vec(0..nc, 0..3),
            proptest::collection::vec(0..nc, 0..3),
            proptest::collection::vec(0..ns, 0..3),
            proptest::collection::vec(
                prop_oneof![
                    text().prop_map(Piece::Text),
                    (0..ns).prop_map(Piece::Cite),
                    (0..nc).prop_map(Piece::Link),
                ],
                0..6,
            ),
        )
            .prop_map(
                |(title, claimants, disputes, supports, cites, body)| ClaimGen {
                    title,
                    claimants,
                    disputes,
                    supports,
                    cites,
                    body,
                },
            );
        (
            proptest::collection::vec(claim, nc),
            proptest::collection::vec(text(), ns),
            proptest::collection::vec(text(), na),
        )
            .prop_map(|(mut claims, sources, actors)| {
                for (i, c) in claims.iter_mut().enumerate() {
                    for list in [&mut c.disputes, &mut c.supports] {
                        list.retain(|&j| j != i);
                        list.sort_unstable();
                        list.dedup();
                    }
                    c.claimants.sort_unstable();
                    c.claimants.dedup();
                }
                // A claim does not support a claim it is in dispute with (an error).
                let disputes: Vec<Vec<usize>> = claims.iter().map(|c| c.disputes.clone()).collect();
                for (i, c) in claims.iter_mut().enumerate() {
                    c.supports.retain(|&j| {
                        !disputes[i].contains(&j)
                            && !disputes.get(j).is_some_and(|d| d.contains(&i))
                    });
                }
                Gen {
                    claims,
                    sources,
                    actors,
                }
            })
    })
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn ids(prefix: &str, list: &[usize]) -> String {
    let items: Vec<String> = list.iter().map(|i| format!("\"{prefix}-{i}\"")).collect();
    format!("[{}]", items.join(", "))
}

/// The file of claim `i`; its front matter has `disputes` on line 5.
fn claim_file(g: &Gen, i: usize) -> String {
    let c = &g.claims[i];
    let mut s = format!(
        "+++\ntitle = {}\nclaimants = {}\ndate = 2024-01-0{}\ndisputes = {}\nsupports = {}\n",
        quoted(&c.title),
        ids("actor", &c.claimants),
        i % 9 + 1,
        ids("claim", &c.disputes),
        ids("claim", &c.supports),
    );
    for s_ in &c.cites {
        s.push_str(&format!("\n[[citations]]\nsource = \"source-{s_}\"\n"));
    }
    s.push_str("+++\n\n");
    for p in &c.body {
        match p {
            // Body text is Markdown: brackets and backslashes are escaped so that
            // generated text never forms a link by accident.
            Piece::Text(t) => s.push_str(
                &t.replace('\\', "\\\\")
                    .replace('[', "\\[")
                    .replace(']', "\\]"),
            ),
            Piece::Cite(j) => s.push_str(&format!("[@source-{j}]")),
            Piece::Link(j) => s.push_str(&format!("[[claim-{j}]]")),
        }
        s.push(' ');
    }
    s.push('\n');
    s
}

fn write(g: &Gen) -> Site {
    let site = Site::minimal();
    for f in [
        "content/claims/claim-c.md",
        "content/sources/source-s.md",
        "content/actors/actor-a.md",
    ] {
        std::fs::remove_file(site.root().join(f)).unwrap();
    }
    for (i, a) in g.actors.iter().enumerate() {
        site.write(
            &format!("content/actors/actor-{i}.md"),
            &format!("+++\ntitle = {}\n+++\n", quoted(a)),
        );
    }
    for (i, s) in g.sources.iter().enumerate() {
        site.write(
            &format!("content/sources/source-{i}.md"),
            &format!("+++\ntitle = {}\n+++\n", quoted(s)),
        );
    }
    for i in 0..g.claims.len() {
        site.write(&format!("content/claims/claim-{i}.md"), &claim_file(g, i));
    }
    site
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: 40,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn generated_dossiers_build_with_working_links_and_relations_from_both_ends() {
    runner()
        .run(&dossiers(), |g| {
            let site = write(&g);
            let run = site.build(&[]);
            prop_assert_eq!(run.code, 0, "{}", run.stderr);
            prop_assert_eq!(broken_links(&site.out(), "/"), Vec::<String>::new());
            let page = |kind: &str, i: usize| {
                site.read(&format!(
                    "{kind}/{kind_id}-{i}/index.html",
                    kind_id = &kind[..kind.len() - 1]
                ))
            };
            let href =
                |kind: &str, i: usize| format!("href=\"/{kind}/{}-{i}/\"", &kind[..kind.len() - 1]);
            for (i, c) in g.claims.iter().enumerate() {
                let own = main_of(&page("claims", i)).to_string();
                for &j in c.disputes.iter().chain(&c.supports) {
                    prop_assert!(
                        own.contains(&href("claims", j)),
                        "claim-{i} links claim-{j}"
                    );
                    let other = page("claims", j);
                    prop_assert!(
                        main_of(&other).contains(&href("claims", i)),
                        "claim-{j} links back to claim-{i}"
                    );
                }
                for &a in &c.claimants {
                    prop_assert!(
                        main_of(&page("actors", a)).contains(&href("claims", i)),
                        "actor-{a} lists claim-{i}"
                    );
                }
                for &s in &c.cites {
                    prop_assert!(
                        main_of(&page("sources", s)).contains(&href("claims", i)),
                        "source-{s} is cited by claim-{i}"
                    );
                }
                for p in &c.body {
                    if let Piece::Link(j) = p
                        && *j != i
                    {
                        prop_assert!(
                            main_of(&page("claims", *j)).contains(&href("claims", i)),
                            "claim-{j} is mentioned in claim-{i}"
                        );
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn an_injected_error_is_reported_at_its_file_and_line() {
    let strategy = (dossiers(), any::<prop::sample::Index>(), 0usize..4);
    runner()
        .run(&strategy, |(g, which, kind)| {
            let site = write(&g);
            let i = which.index(g.claims.len());
            let file = format!("content/claims/claim-{i}.md");
            let text = claim_file(&g, i);
            let (broken, line, message) = match kind {
                0 => (
                    text.replacen("disputes = [", "disputes = [\"no-such-claim\", ", 1),
                    5,
                    "unknown claim id `no-such-claim` in `disputes`",
                ),
                1 => (
                    text.replacen(
                        &format!("date = 2024-01-0{}", i % 9 + 1),
                        "date = \"2024-13\"",
                        1,
                    ),
                    4,
                    "not `2024-13`",
                ),
                2 => (
                    text.replacen("supports = ", "suports = ", 1),
                    6,
                    "`suports` is not a key here",
                ),
                _ => (
                    text.replacen("claimants = [", "claimants = [\"nobody\", ", 1),
                    3,
                    "unknown actor id `nobody` in `claimants`",
                ),
            };
            site.write(&file, &broken);
            let run = site.build(&[]);
            prop_assert_eq!(run.code, 1, "{}", run.stderr);
            let at = format!("{file}:{line}:");
            let found = run
                .stderr
                .lines()
                .any(|l| l.starts_with(&at) && l.contains(message));
            prop_assert!(
                found,
                "expected `{}` … `{}` in:\n{}",
                at,
                message,
                run.stderr
            );
            prop_assert!(!site.out().exists(), "a failed build writes nothing");
            Ok(())
        })
        .unwrap();
}

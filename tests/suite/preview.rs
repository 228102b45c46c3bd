//! The preview's engine is a fresh build: random sequences of edits (bodies, titles,
//! relations, citations, tags, snapshots, pages, French translations; entries added,
//! deleted and renamed) are
//! saved to disk and handed to the engine as the watcher would, and after each step every
//! file it serves is compared with `dossier build`'s output for the same files (or, when
//! the step breaks the dossier, its diagnostics with the build's).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::common;

use common::files;
use dossier::build::{self, Mode};
use dossier::load::config::Overrides;
use dossier::serve::live::{Changes, Live};

const ORIGIN: &str = "http://127.0.0.1:9";

/// A dossier in memory, written to files by [`Model::files`].
#[derive(Debug, Clone, Default)]
struct Model {
    claims: BTreeMap<String, Claim>,
    sources: BTreeMap<String, Source>,
    actors: BTreeMap<String, String>,
    /// Plain pages: path to (title, body).
    pages: BTreeMap<String, (String, String)>,
    /// Events: id to (title, the sources that document it).
    events: BTreeMap<String, (String, Vec<String>)>,
    /// French translations of claims: claim id to the words of its title and body (written
    /// only while the claim exists).
    translations: BTreeMap<String, usize>,
    next_id: usize,
}

#[derive(Debug, Clone, Default)]
struct Claim {
    title: String,
    claimants: Vec<String>,
    disputes: Vec<String>,
    supports: Vec<String>,
    /// Cited sources, each with an optional quote.
    cites: Vec<(String, Option<String>)>,
    tags: Vec<String>,
    /// Event ids.
    about: Vec<String>,
    body: String,
}

#[derive(Debug, Clone, Default)]
struct Source {
    title: String,
    publisher: String,
    /// Published by an actor, on the first claim's day: a claimant's own statement.
    own: Option<String>,
    /// The text of its snapshot beside it, if any, and the snapshot's form: `<id>.txt`,
    /// a PDF or a web archive.
    snapshot: Option<(String, usize)>,
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| quoted(s)).collect();
    format!("[{}]", items.join(", "))
}

impl Model {
    fn start() -> Model {
        let mut m = Model::default();
        for a in ["actor-a", "actor-b"] {
            m.actors.insert(a.into(), format!("Actor {a}"));
        }
        for (s, snap) in [("source-a", Some(WORDS[0])), ("source-b", None)] {
            m.sources.insert(
                s.into(),
                Source {
                    title: format!("Source {s}"),
                    publisher: "Pub".into(),
                    own: (s == "source-a").then(|| "actor-a".to_string()),
                    snapshot: snap.map(|s| (s.to_string(), 0)),
                },
            );
        }
        for (i, c) in ["claim-a", "claim-b", "claim-c"].into_iter().enumerate() {
            m.claims.insert(
                c.into(),
                Claim {
                    title: format!("Claim {c}"),
                    claimants: vec![["actor-a", "actor-b"][i % 2].into()],
                    disputes: if i == 1 {
                        vec!["claim-a".into()]
                    } else {
                        vec![]
                    },
                    cites: vec![(["source-a", "source-b"][i % 2].into(), None)],
                    tags: vec!["attribution".into()],
                    body: format!("Text of {c} [@source-b]."),
                    ..Claim::default()
                },
            );
        }
        m.pages.insert(
            "method".into(),
            ("Method".into(), "See [[claim-a]].".into()),
        );
        m.events.insert(
            "event-a".into(),
            ("The incident".into(), vec!["source-b".into()]),
        );
        m.claims.get_mut("claim-b").unwrap().about = vec!["event-a".into()];
        m
    }

    /// Every file of the dossier, by path relative to the site root.
    fn files(&self) -> BTreeMap<String, String> {
        let mut f = BTreeMap::new();
        f.insert(
            "site.toml".into(),
            "title = \"Preview\"\nbase_url = \"https://example.org/p/\"\n\n[languages.fr]\ntitle = \"Aperçu\"\n".into(),
        );
        for (id, &w) in self
            .translations
            .iter()
            .filter(|(id, _)| self.claims.contains_key(*id))
        {
            let body = match w % 3 {
                0 => String::new(),
                _ => format!("Texte traduit : {}.\n", WORDS[w % 4]),
            };
            f.insert(
                format!("content/claims/{id}.fr.md"),
                format!(
                    "+++\ntitle = {}\n+++\n{body}",
                    quoted(&format!("Affirmation {}", WORDS[(w + 1) % 4]))
                ),
            );
        }
        for (id, title) in &self.actors {
            f.insert(
                format!("content/actors/{id}.md"),
                format!("+++\ntitle = {}\nkind = \"agency\"\n+++\n", quoted(title)),
            );
        }
        for (id, s) in &self.sources {
            f.insert(
                format!("content/sources/{id}.md"),
                match &s.own {
                    Some(actor) => format!(
                        "+++\ntitle = {}\npublished_by = {}\ndate = \"2024-01-01\"\n+++\nNotes.\n",
                        quoted(&s.title),
                        quoted(actor)
                    ),
                    None => format!(
                        "+++\ntitle = {}\npublisher = {}\ndate = \"2024-03\"\n+++\nNotes.\n",
                        quoted(&s.title),
                        quoted(&s.publisher)
                    ),
                },
            );
            match &s.snapshot {
                Some((text, 0)) => {
                    f.insert(format!("content/sources/{id}.txt"), text.clone());
                }
                Some((text, 1)) => {
                    let pdf = common::fixtures::pdf(&[&[text]], &[]);
                    f.insert(
                        format!("content/sources/{id}.pdf"),
                        String::from_utf8(pdf).unwrap(),
                    );
                }
                Some((text, _)) => {
                    let html = text
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;");
                    let response = common::fixtures::http_response("text/html", html.as_bytes());
                    let warc =
                        common::fixtures::warc_record("response", "https://s.test/", &response);
                    f.insert(
                        format!("content/sources/{id}.warc"),
                        String::from_utf8(warc).unwrap(),
                    );
                }
                None => {}
            }
        }
        for (i, (id, c)) in self.claims.iter().enumerate() {
            let mut text = format!(
                "+++\ntitle = {}\nclaimants = {}\ndate = \"2024-01-{:02}\"\ndisputes = {}\nsupports = {}\ntags = {}\nabout = {}\n",
                quoted(&c.title),
                list(&c.claimants),
                i % 28 + 1,
                list(&c.disputes),
                list(&c.supports),
                list(&c.tags),
                list(&c.about),
            );
            for (s, quote) in &c.cites {
                text.push_str(&format!("\n[[citations]]\nsource = {}\n", quoted(s)));
                if let Some(q) = quote {
                    text.push_str(&format!("quote = {}\n", quoted(q)));
                }
            }
            text.push_str(&format!("+++\n{}\n", c.body));
            f.insert(format!("content/claims/{id}.md"), text);
        }
        for (id, (title, sources)) in &self.events {
            f.insert(
                format!("content/events/{id}.md"),
                format!(
                    "+++\ntitle = {}\ndate = \"2023-12\"\nsources = {}\n+++\nAbout [[claim-a]].\n",
                    quoted(title),
                    list(sources)
                ),
            );
        }
        for (path, (title, body)) in &self.pages {
            f.insert(
                format!("content/{path}.md"),
                format!("+++\ntitle = {}\n+++\n{body}\n", quoted(title)),
            );
        }
        f
    }

    fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}-n{}", self.next_id)
    }
}

/// Texts for titles, bodies, snapshots and quotes.
const WORDS: [&str; 4] = [
    "alpha beta gamma delta",
    "beta gamma",
    "epsilon & <zeta>",
    "\"quoted\" words",
];
const TAGS: [&str; 4] = ["attribution", "Policy", "policy!", "evidence"];

/// One edit, its numbers chosen modulo what exists when it is applied.
#[derive(Debug, Clone)]
enum Edit {
    Body(usize, usize, usize),
    Title(usize, usize),
    SourceTitle(usize, usize),
    ActorTitle(usize, usize),
    Disputes(usize, usize),
    Supports(usize, usize),
    Cite(usize, usize, Option<usize>),
    Uncite(usize),
    Tags(usize, usize),
    Snapshot(usize, Option<usize>),
    AddClaim(usize),
    DeleteClaim(usize),
    RenameClaim(usize),
    AddSource,
    DeleteSource(usize),
    Page(usize, usize),
    DeletePage,
    Claimant(usize, usize),
    EventTitle(usize, usize),
    About(usize),
    EventSources(usize),
    Translate(usize, usize),
    Untranslate(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let n = || 0usize..8;
    let edit = prop_oneof![
        (n(), n(), n()).prop_map(|(a, b, c)| Edit::Body(a, b, c)),
        (n(), n()).prop_map(|(a, b)| Edit::Title(a, b)),
        (n(), n()).prop_map(|(a, b)| Edit::SourceTitle(a, b)),
        (n(), n()).prop_map(|(a, b)| Edit::ActorTitle(a, b)),
        (n(), n()).prop_map(|(a, b)| Edit::Disputes(a, b)),
        (n(), n()).prop_map(|(a, b)| Edit::Supports(a, b)),
        (n(), n(), proptest::option::of(n())).prop_map(|(a, b, q)| Edit::Cite(a, b, q)),
        n().prop_map(Edit::Uncite),
        (n(), n()).prop_map(|(a, b)| Edit::Tags(a, b)),
        // The text (by the number mod 4) and the snapshot's form (by the number / 4 mod 3).
        (n(), proptest::option::of(0usize..24)).prop_map(|(a, b)| Edit::Snapshot(a, b)),
        n().prop_map(Edit::AddClaim),
        n().prop_map(Edit::DeleteClaim),
        n().prop_map(Edit::RenameClaim),
        Just(Edit::AddSource),
        n().prop_map(Edit::DeleteSource),
        (n(), n()).prop_map(|(a, b)| Edit::Page(a, b)),
        Just(Edit::DeletePage),
        (n(), n()).prop_map(|(a, b)| Edit::Claimant(a, b)),
        (n(), n()).prop_map(|(a, b)| Edit::EventTitle(a, b)),
        n().prop_map(Edit::About),
        n().prop_map(Edit::EventSources),
        (n(), n()).prop_map(|(a, b)| Edit::Translate(a, b)),
        n().prop_map(Edit::Untranslate),
    ];
    proptest::collection::vec(edit, 1..7)
}

fn nth<V>(map: &BTreeMap<String, V>, i: usize) -> Option<String> {
    (!map.is_empty()).then(|| map.keys().nth(i % map.len()).unwrap().clone())
}

impl Model {
    fn apply(&mut self, e: &Edit) {
        let claim = |m: &Model, i| nth(&m.claims, i);
        let source = |m: &Model, i| nth(&m.sources, i);
        match *e {
            Edit::Body(c, w, s) => {
                let (Some(id), Some(other), Some(src)) =
                    (claim(self, c), claim(self, s), source(self, s))
                else {
                    return;
                };
                self.claims.get_mut(&id).unwrap().body = format!(
                    "{} [@{src}, p. {w}] and [[{other}]] *{}*",
                    WORDS[w % 4].replace(['<', '>', '&'], " "),
                    WORDS[(w + 1) % 4].replace(['<', '>', '&'], " ")
                );
            }
            Edit::Title(c, w) => {
                if let Some(id) = claim(self, c) {
                    self.claims.get_mut(&id).unwrap().title = format!("{} {w}", WORDS[w % 4]);
                }
            }
            Edit::SourceTitle(s, w) => {
                let actor = nth(&self.actors, w);
                if let Some(id) = source(self, s) {
                    let src = self.sources.get_mut(&id).unwrap();
                    src.title = format!("{} {w}", WORDS[w % 4]);
                    src.publisher = ["Pub", "Other"][w % 2].into();
                    // Now and then an actor's own statement of the first claim's day.
                    src.own = actor.filter(|_| w % 3 == 0);
                }
            }
            Edit::ActorTitle(a, w) => {
                if let Some(id) = nth(&self.actors, a) {
                    self.actors.insert(id, format!("{} {w}", WORDS[w % 4]));
                }
            }
            Edit::Disputes(c, t) | Edit::Supports(c, t) => {
                let (Some(id), Some(target)) = (claim(self, c), claim(self, t)) else {
                    return;
                };
                let disputes = matches!(e, Edit::Disputes(..));
                let cl = self.claims.get_mut(&id).unwrap();
                let list = if disputes {
                    &mut cl.disputes
                } else {
                    &mut cl.supports
                };
                // Toggles the relation; a claim naming itself is an error both sides report.
                match list.iter().position(|x| *x == target) {
                    Some(at) => {
                        list.remove(at);
                    }
                    None => list.push(target),
                }
            }
            Edit::Cite(c, s, q) => {
                let (Some(id), Some(src)) = (claim(self, c), source(self, s)) else {
                    return;
                };
                let quote = q.map(|w| {
                    WORDS[w % 4]
                        .split(' ')
                        .take(2)
                        .collect::<Vec<_>>()
                        .join(" ")
                });
                self.claims.get_mut(&id).unwrap().cites.push((src, quote));
            }
            Edit::Uncite(c) => {
                if let Some(id) = claim(self, c) {
                    self.claims.get_mut(&id).unwrap().cites.pop();
                }
            }
            Edit::Tags(c, t) => {
                if let Some(id) = claim(self, c) {
                    self.claims.get_mut(&id).unwrap().tags = TAGS
                        .iter()
                        .skip(t % 4)
                        .take(t % 3)
                        .map(|s| s.to_string())
                        .collect();
                }
            }
            Edit::Snapshot(s, w) => {
                if let Some(id) = source(self, s) {
                    self.sources.get_mut(&id).unwrap().snapshot =
                        w.map(|w| (WORDS[w % 4].into(), w / 4 % 3));
                }
            }
            Edit::AddClaim(a) => {
                let id = self.new_id("claim");
                let actor = nth(&self.actors, a);
                let src = source(self, a);
                self.claims.insert(
                    id.clone(),
                    Claim {
                        title: format!("New {id}"),
                        claimants: actor.into_iter().collect(),
                        cites: src.into_iter().map(|s| (s, None)).collect(),
                        body: "New.".into(),
                        ..Claim::default()
                    },
                );
            }
            Edit::DeleteClaim(c) => {
                if let Some(id) = claim(self, c) {
                    self.claims.remove(&id);
                }
            }
            Edit::RenameClaim(c) => {
                // The file moves; what names it keeps the old id (and fails) unless it was
                // named nowhere.
                if let Some(id) = claim(self, c) {
                    let new = self.new_id("claim");
                    let cl = self.claims.remove(&id).unwrap();
                    self.claims.insert(new, cl);
                }
            }
            Edit::AddSource => {
                let id = self.new_id("source");
                self.sources.insert(
                    id.clone(),
                    Source {
                        title: format!("Source {id}"),
                        publisher: "Pub".into(),
                        own: None,
                        snapshot: None,
                    },
                );
            }
            Edit::DeleteSource(s) => {
                if let Some(id) = source(self, s) {
                    self.sources.remove(&id);
                }
            }
            Edit::Page(c, w) => {
                let path = ["method", "about/team"][w % 2].to_string();
                let link = claim(self, c).map_or(String::new(), |c| format!("[[{c}]]"));
                self.pages.insert(
                    path,
                    (format!("Page {w}"), format!("{} {link}", WORDS[w % 4])),
                );
            }
            Edit::DeletePage => {
                let first = self.pages.keys().next().cloned();
                if let Some(p) = first {
                    self.pages.remove(&p);
                }
            }
            Edit::EventTitle(e, w) => {
                if let Some(id) = nth(&self.events, e) {
                    self.events.get_mut(&id).unwrap().0 = format!("{} {w}", WORDS[w % 4]);
                }
            }
            Edit::About(c) => {
                // Toggles the claim's being about the event.
                let (Some(id), Some(event)) = (claim(self, c), nth(&self.events, 0)) else {
                    return;
                };
                let about = &mut self.claims.get_mut(&id).unwrap().about;
                match about.iter().position(|e| *e == event) {
                    Some(at) => {
                        about.remove(at);
                    }
                    None => about.push(event),
                }
            }
            Edit::EventSources(s) => {
                let (Some(event), Some(src)) = (nth(&self.events, 0), source(self, s)) else {
                    return;
                };
                self.events.get_mut(&event).unwrap().1 = vec![src];
            }
            Edit::Translate(c, w) => {
                if let Some(id) = claim(self, c) {
                    self.translations.insert(id, w);
                }
            }
            Edit::Untranslate(c) => {
                if let Some(id) = nth(&self.translations, c) {
                    self.translations.remove(&id);
                }
            }
            Edit::Claimant(c, a) => {
                let (Some(id), Some(actor)) = (claim(self, c), nth(&self.actors, a)) else {
                    return;
                };
                self.claims.get_mut(&id).unwrap().claimants = vec![actor];
            }
        }
    }
}

/// Writes the files that differ from `old` and removes those gone, returning the changed
/// paths as the watcher would report them.
fn save(root: &Path, old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Changes {
    let mut changes = Changes::default();
    let mut content: HashSet<PathBuf> = HashSet::new();
    for (rel, text) in new {
        if old.get(rel) != Some(text) {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
            content.insert(p);
        }
    }
    for rel in old.keys().filter(|k| !new.contains_key(*k)) {
        let p = root.join(rel);
        std::fs::remove_file(&p).unwrap();
        content.insert(p);
    }
    changes.config = content.remove(&root.join("site.toml"));
    changes.content = content;
    changes
}

fn overrides(output: Option<PathBuf>) -> Overrides {
    Overrides {
        origin: Some(ORIGIN.into()),
        output,
        ..Overrides::default()
    }
}

/// Runs `build` and compares its output, file by file, with what the engine serves.
fn compare(
    root: &Path,
    live: &Live,
    ok: bool,
    diagnostics: &[String],
    step: &str,
) -> Result<(), TestCaseError> {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out");
    let built = build::run(root, &overrides(Some(out_dir.clone())), Mode::Build);
    let built_diags: Vec<String> = built.diagnostics.iter().map(|d| d.to_string()).collect();
    prop_assert_eq!(&built_diags, diagnostics, "{}: diagnostics differ", step);
    prop_assert_eq!(built.ok, ok, "{}: one failed, the other did not", step);
    if !ok {
        return Ok(());
    }
    let site = live.served().expect("a good build has a site");
    let mut on_disk = files(&out_dir);
    on_disk.remove(".dossier-output");
    let built: Vec<String> = on_disk.keys().cloned().collect();
    prop_assert_eq!(site.paths(), built, "{}: the files differ", step);
    for (rel, written) in &on_disk {
        let served = site.bytes(rel).unwrap().unwrap();
        prop_assert!(
            &served == written,
            "{}: {} differs:\n--- preview\n{}\n--- build\n{}",
            step,
            rel,
            String::from_utf8_lossy(&served),
            String::from_utf8_lossy(written)
        );
    }
    Ok(())
}

/// Applies `edits` one by one to a dossier under the preview's engine, comparing what it
/// serves with a fresh build after each; the number of steps, and of steps that failed.
fn run_edits(edits: &[Edit]) -> Result<(usize, usize), TestCaseError> {
    let (mut steps, mut failed_steps) = (0, 0);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut model = Model::start();
    let mut files = BTreeMap::new();
    let first = save(root, &files, &model.files());
    files = model.files();
    let mut live = Live::new(root.to_path_buf(), overrides(None));
    let everything = Changes {
        config: true,
        templates: true,
        statics: true,
        ..first
    };
    let outcome = live.rebuild(&everything);
    prop_assert!(outcome.ok, "{:?}", outcome.diagnostics);
    for (n, edit) in edits.iter().enumerate() {
        model.apply(edit);
        let new = model.files();
        let changes = save(root, &files, &new);
        files = new;
        let outcome = live.rebuild(&changes);
        let diagnostics: Vec<String> = outcome.diagnostics.iter().map(|d| d.to_string()).collect();
        steps += 1;
        failed_steps += usize::from(!outcome.ok);
        let step = format!("step {n} ({edit:?}) of {edits:?}");
        compare(root, &live, outcome.ok, &diagnostics, &step)?;
    }
    Ok((steps, failed_steps))
}

/// A case the property once found: a snapshot written again with as many words, whose
/// page gives its new hash and size.
#[test]
fn a_snapshot_written_twice_reaches_every_edition() {
    run_edits(&[Edit::Snapshot(6, Some(17)), Edit::Snapshot(2, Some(7))]).unwrap();
}

/// Runs `run` on `cases` random sequences of edits; each returns its number of steps and
/// of steps whose build failed. Both kinds of step must have been exercised: at least
/// `failed` failed builds, and builds that succeed.
fn property(
    cases: u32,
    failed: usize,
    run: impl Fn(&[Edit]) -> Result<(usize, usize), TestCaseError>,
) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let steps = std::cell::Cell::new(0usize);
    let failed_steps = std::cell::Cell::new(0usize);
    runner
        .run(&edits(), |edits| {
            let (n, failed) = run(&edits)?;
            steps.set(steps.get() + n);
            failed_steps.set(failed_steps.get() + failed);
            Ok(())
        })
        .unwrap();
    let (steps, failed_steps) = (steps.get(), failed_steps.get());
    assert!(
        steps > cases as usize && failed_steps > failed && failed_steps < steps,
        "{failed_steps} of {steps} steps failed"
    );
}

#[test]
fn after_any_edits_the_preview_serves_what_a_fresh_build_writes() {
    property(100, 5, run_edits);
}

/// What one `dossier build` printed: whether it succeeded, its diagnostics as JSON lines,
/// and the rest of what it said.
struct Built {
    ok: bool,
    diagnostics: String,
    stderr: String,
}

/// Runs the binary's `dossier build` of `root` into `out`.
fn cli_build(root: &Path, out: &Path) -> Built {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--message-format", "json", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap();
    Built {
        ok: o.status.success(),
        diagnostics: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Every file of an output folder with its bytes and inode.
fn files_and_inodes(dir: &Path) -> BTreeMap<String, (Vec<u8>, u64)> {
    use std::os::unix::fs::MetadataExt;
    common::each_file(dir)
        .map(|(rel, e)| {
            let inode = e.metadata().unwrap().ino();
            (rel, (std::fs::read(e.path()).unwrap(), inode))
        })
        .collect()
}

/// Applies `edits` one by one, building after each with `dossier build` twice: into an
/// output kept from step to step with its build cache, and into a new folder with none.
/// Both must report the same diagnostics and write the same files, byte for byte, and
/// the cached build must leave every file whose bytes did not change as it was (the
/// same inode). The number of steps, and of steps that failed.
fn run_cached_builds(edits: &[Edit]) -> Result<(usize, usize), TestCaseError> {
    let (mut steps, mut failed_steps) = (0, 0);
    let dir = tempfile::tempdir().unwrap();
    let (root, kept) = (dir.path().join("site"), dir.path().join("kept/public"));
    let mut model = Model::start();
    let mut files = BTreeMap::new();
    save(&root, &files, &model.files());
    files = model.files();
    let first = cli_build(&root, &kept);
    prop_assert!(first.ok, "{}", first.stderr);
    for (n, edit) in edits.iter().enumerate() {
        model.apply(edit);
        let new = model.files();
        save(&root, &files, &new);
        files = new;
        let before = files_and_inodes(&kept);
        let cached = cli_build(&root, &kept);
        let fresh_dir = tempfile::tempdir().unwrap();
        let fresh_out = fresh_dir.path().join("public");
        let fresh = cli_build(&root, &fresh_out);
        let step = format!("step {n} ({edit:?}) of {edits:?}");
        steps += 1;
        failed_steps += usize::from(!fresh.ok);
        prop_assert_eq!(&cached.diagnostics, &fresh.diagnostics, "{}", step);
        prop_assert_eq!(cached.ok, fresh.ok, "{}: {}", step, cached.stderr);
        prop_assert!(
            !cached.stderr.contains("note:"),
            "{}: {}",
            step,
            cached.stderr
        );
        if !fresh.ok {
            continue;
        }
        let after = files_and_inodes(&kept);
        let written = common::files(&fresh_out);
        let after_paths: Vec<&String> = after.keys().collect();
        let fresh_paths: Vec<&String> = written.keys().collect();
        prop_assert_eq!(after_paths, fresh_paths, "{}: the files differ", step);
        for (rel, (bytes, inode)) in &after {
            prop_assert!(
                bytes == &written[rel],
                "{}: {} differs:\n--- cached build\n{}\n--- fresh build\n{}",
                step,
                rel,
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&written[rel])
            );
            if let Some((old, old_inode)) = before.get(rel).filter(|(old, _)| old == bytes) {
                prop_assert_eq!(
                    old_inode,
                    inode,
                    "{}: {} was written again ({} bytes, unchanged)",
                    step,
                    rel,
                    old.len()
                );
            }
        }
    }
    Ok((steps, failed_steps))
}

#[test]
fn after_any_edits_a_cached_build_writes_what_a_fresh_build_writes() {
    property(40, 2, run_cached_builds);
}

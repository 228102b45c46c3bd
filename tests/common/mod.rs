//! A small harness that runs the real `dossier` binary on a copy of a fixture dossier
//! and reads what it produced.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod fixtures;

/// A site in a temporary folder, copied from a fixture or written by the test.
pub struct Site {
    pub dir: tempfile::TempDir,
}

/// What one run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stderr: String,
    pub stdout: String,
}

impl Run {
    /// Panics with the output unless the exit code is `code`.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code; stderr:\n{}\nstdout:\n{}",
            self.stderr, self.stdout
        );
        self
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A minimal valid dossier: one actor, one source, one claim citing it.
pub const MIN_SITE_TOML: &str = "title = \"Minimal\"\nbase_url = \"https://example.com/\"\n";
pub const MIN_ACTOR: &str = "+++\ntitle = \"Actor A\"\n+++\n";
pub const MIN_SOURCE: &str = "+++\ntitle = \"Source S\"\n+++\n";
pub const MIN_CLAIM: &str = "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"source-s\"\n+++\n\nBody.\n";

impl Site {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("tests/fixtures").join(name), dir.path());
        Site { dir }
    }

    /// A copy of the example dossier at the repository root.
    pub fn example() -> Site {
        let dir = tempfile::tempdir().unwrap();
        fs::copy(repo_root().join("site.toml"), dir.path().join("site.toml")).unwrap();
        copy_dir(&repo_root().join("content"), &dir.path().join("content"));
        Site { dir }
    }

    /// The example dossier with its interface in `language`, in that language only (its
    /// `[languages]` editions left out).
    pub fn example_in(language: &str) -> Site {
        let site = Site::example();
        let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
        let mut kept = Vec::new();
        let mut editions = Vec::new();
        let mut in_languages = false;
        for line in toml.lines() {
            if line.starts_with('[') {
                in_languages = line.starts_with("[languages.");
                if let Some(tag) = line.strip_prefix("[languages.") {
                    editions.push(format!(".{}.md", tag.trim_end_matches(']')));
                }
            }
            if !in_languages {
                kept.push(line);
            }
        }
        let language = format!("language = \"{language}\"");
        let toml = kept.join("\n").replace("language = \"en\"", &language);
        site.write("site.toml", &toml);
        for e in walkdir::WalkDir::new(site.root().join("content")) {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy();
            if editions
                .iter()
                .any(|suffix| name.ends_with(suffix.as_str()))
            {
                fs::remove_file(e.path()).unwrap();
            }
        }
        site
    }

    /// The minimal valid dossier.
    pub fn minimal() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write("site.toml", MIN_SITE_TOML);
        site.write("content/actors/actor-a.md", MIN_ACTOR);
        site.write("content/sources/source-s.md", MIN_SOURCE);
        site.write("content/claims/claim-c.md", MIN_CLAIM);
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file relative to the site root, creating folders.
    pub fn write(&self, rel: &str, text: &str) -> &Site {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
        self
    }

    /// Writes bytes to a file relative to the site root, creating folders.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
        self
    }

    /// Runs `dossier ARGS --root <site>` (the root flag only for commands that take it).
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.args(args);
        if matches!(
            args.first(),
            Some(&"build" | &"check" | &"new" | &"rename" | &"i18n")
        ) {
            cmd.arg("--root").arg(self.root());
        }
        to_run(cmd.output().unwrap())
    }

    /// `dossier build` with extra arguments.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `dossier build`, failing the test if it has not ended within `limit`.
    pub fn build_within(&self, limit: std::time::Duration) -> Run {
        self.run_within(&["build"], limit)
    }

    /// Like [`Site::run`], failing the test if the command has not ended within `limit`
    /// (its output is read as it comes, so that a full pipe cannot hold it up).
    pub fn run_within(&self, args: &[&str], limit: std::time::Duration) -> Run {
        use std::io::Read;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.args(args);
        if matches!(
            args.first(),
            Some(&"build" | &"check" | &"new" | &"rename" | &"i18n")
        ) {
            cmd.arg("--root").arg(self.root());
        }
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let drain = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut text = Vec::new();
                pipe.read_to_end(&mut text).ok();
                String::from_utf8_lossy(&text).into_owned()
            })
        };
        let stdout = drain(Box::new(child.stdout.take().unwrap()));
        let stderr = drain(Box::new(child.stderr.take().unwrap()));
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > limit {
                child.kill().unwrap();
                panic!(
                    "dossier {} was still running after {limit:?}",
                    args.join(" ")
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        Run {
            code: status.code().unwrap_or(-1),
            stdout: stdout.join().unwrap(),
            stderr: stderr.join().unwrap(),
        }
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// The text of an output file, such as `claims/x/index.html`.
    pub fn read(&self, rel: &str) -> String {
        read_out(&self.out(), rel)
    }
}

pub fn read_out(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", out.join(rel).display()))
}

pub fn to_run(o: Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
    }
}

/// Runs the binary with arbitrary arguments in `cwd`.
pub fn dossier(cwd: &Path, args: &[&str]) -> Run {
    to_run(
        Command::new(env!("CARGO_BIN_EXE_dossier"))
            .current_dir(cwd)
            .args(args)
            .output()
            .unwrap(),
    )
}

/// The part of a page between `<main` and `</main>`, where the page's own content is.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has a <main>");
    let end = html.rfind("</main>").expect("page has a </main>");
    &html[start..end]
}

/// Every value of attribute `attr` in `html`, with `&amp;` decoded.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// Checks every internal `href` and `src` of every HTML page under `out`: it must start with
/// `base_path`, name a file that exists, and any fragment must be an `id` on that page.
/// Returns the problems found, as "page: link" lines.
pub fn broken_links(out: &Path, base_path: &str) -> Vec<String> {
    let mut pages: HashMap<PathBuf, String> = HashMap::new();
    for e in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "html") {
            pages.insert(
                e.path().to_path_buf(),
                fs::read_to_string(e.path()).unwrap(),
            );
        }
    }
    let ids: HashMap<&PathBuf, BTreeSet<String>> = pages
        .iter()
        .map(|(p, h)| (p, attr_values(h, "id").into_iter().collect()))
        .collect();
    let mut problems = Vec::new();
    for (page, html) in &pages {
        let page_rel = page.strip_prefix(out).unwrap().display().to_string();
        for link in attr_values(html, "href")
            .into_iter()
            .chain(attr_values(html, "src"))
        {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (path, fragment) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                page.clone()
            } else {
                let Some(site_path) = path.strip_prefix(base_path) else {
                    problems.push(format!("{page_rel}: {link} (not under {base_path})"));
                    continue;
                };
                let decoded = percent_encoding::percent_decode_str(site_path).decode_utf8_lossy();
                if decoded.contains(' ') && site_path.contains(' ') {
                    problems.push(format!("{page_rel}: {link} (a space not percent-encoded)"));
                }
                let file = out.join(decoded.as_ref());
                if decoded.is_empty() || decoded.ends_with('/') {
                    file.join("index.html")
                } else {
                    file
                }
            };
            if !target.is_file() {
                problems.push(format!("{page_rel}: {link} (no file)"));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let known = ids.get(&target).is_some_and(|set| set.contains(f));
                if !known {
                    problems.push(format!("{page_rel}: {link} (no id `{f}`)"));
                }
            }
        }
    }
    problems.sort();
    problems
}

/// A generated dossier with enough entries, relations, tags and code blocks for the order
/// of parallel work to matter.
pub fn generated(claims: usize) -> Site {
    let site = Site::minimal();
    for a in 0..5 {
        site.write(
            &format!("content/actors/a{a}.md"),
            &format!("+++\ntitle = \"Actor {a}\"\n+++\nActor {a}.\n"),
        );
    }
    for s in 0..claims / 5 {
        site.write(
            &format!("content/sources/s{s}.md"),
            &format!(
                "+++\ntitle = \"Source {s}\"\npublished_by = \"a{}\"\ndate = \"2020-02-{:02}\"\n+++\nNotes on [[a{}]].\n",
                s % 5,
                1 + s % 28,
                (s + 1) % 5
            ),
        );
    }
    for c in 0..claims {
        let mut text = format!(
            "+++\ntitle = \"Claim {c}\"\nclaimants = [\"a{}\"]\ndate = \"2021-{:02}-{:02}\"\ntags = [\"t{}\", \"u{}\"]\n",
            c % 5,
            1 + c % 12,
            1 + c % 28,
            c % 7,
            c % 3
        );
        if c % 3 == 1 {
            text += &format!("disputes = [\"c{}\"]\n", c - 1);
        }
        if c % 5 == 2 {
            text += &format!("supports = [\"c{}\"]\n", c - 2);
        }
        text += &format!(
            "\n[[citations]]\nsource = \"s{}\"\n+++\nClaim {c} [@s{}, p. 3] and [[c{}]].\n",
            (c * 7) % (claims / 5),
            c % (claims / 5),
            (c + 3) % claims
        );
        if c % 8 == 0 {
            text += "\n```rust\nfn main() {}\n```\n";
        }
        site.write(&format!("content/claims/c{c}.md"), &text);
    }
    site
}

/// Every file under `dir`, by output-relative path.
pub fn each_file(dir: &Path) -> impl Iterator<Item = (String, walkdir::DirEntry)> + '_ {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(move |e| (e.path().strip_prefix(dir).unwrap().display().to_string(), e))
}

/// Every file under `dir` with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    each_file(dir)
        .map(|(rel, e)| (rel, std::fs::read(e.path()).unwrap()))
        .collect()
}

/// A running `dossier serve`: the process, its port and every line it printed.
pub struct Served {
    pub child: std::process::Child,
    pub port: u16,
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// Starts `dossier serve --port 0` on `site` with `extra` arguments, under `prefix` (a
/// command such as `prlimit …` that runs the binary), and waits until it serves.
pub fn start_serve(site: &Site, prefix: &[&str], extra: &[&str]) -> Served {
    use std::io::BufRead;
    use std::process::Stdio;
    let bin = env!("CARGO_BIN_EXE_dossier");
    let mut cmd = match prefix.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    let mut child = cmd
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let lines = log.clone();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                let port: u16 = rest.split('/').next().unwrap().parse().unwrap();
                let _ = tx.send(port);
            }
            lines.lock().unwrap().push(line);
        }
    });
    let port = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("serve did not start: {:?}", log.lock().unwrap()));
    Served { child, port, log }
}

/// The SHA-256 of `bytes` in lowercase hexadecimal, as `snapshot_sha256` records it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a test may use an outside tool: true when `present`; otherwise the test is
/// skipped with a note, or fails on CI, where `.ci/run` installs every tool.
pub fn tool_or_skip(test: &str, present: bool, what: &str) -> bool {
    match (present, std::env::var_os("CI").is_some()) {
        (true, _) => true,
        (false, true) => panic!("{test}: missing {what}"),
        (false, false) => {
            eprintln!("{test}: skipped, missing {what}; `bash .ci/run` installs it");
            false
        }
    }
}

pub const BILINGUAL_SITE_TOML: &str = "title = \"A dossier\"\ndescription = \"Who says what\"\nbase_url = \"https://example.org/d/\"\nlanguage = \"en\"\n\n[languages.fr]\ntitle = \"Un dossier\"\ndescription = \"Qui dit quoi\"\n";

impl Site {
    /// A dispute among many parties, modelled on the Nord Stream sabotage: two accusations,
    /// a report and a prosecutor naming a third party, and three denials, each of a
    /// different accusation.
    pub fn many_parties() -> Site {
        let site = Site::minimal();
        let actors = [
            ("russia", "Government of the Russian Federation"),
            ("hersh", "Seymour Hersh"),
            ("us", "Government of the United States"),
            ("uk", "UK Ministry of Defence"),
            ("ukraine", "Government of Ukraine"),
            ("nyt", "The New York Times"),
            ("prosecutor", "German Federal Prosecutor"),
        ];
        for (id, title) in actors {
            site.write(
                &format!("content/actors/{id}.md"),
                &format!("+++\ntitle = \"{title}\"\n+++\n"),
            );
        }
        let claims = [
            (
                "russia-us-uk",
                "russia",
                "2022-09-30",
                "The United States and the United Kingdom carried out the sabotage",
                "",
            ),
            (
                "hersh-navy",
                "hersh",
                "2023-02-08",
                "US Navy divers planted the explosives",
                "",
            ),
            (
                "nyt-group",
                "nyt",
                "2023-03-07",
                "A pro-Ukrainian group carried out the sabotage",
                "disputes = [\"hersh-navy\"]\n",
            ),
            (
                "prosecutor-diver",
                "prosecutor",
                "2024-06-12",
                "A Ukrainian diver took part in the sabotage",
                "supports = [\"nyt-group\"]\n",
            ),
            (
                "us-denial",
                "us",
                "2023-02-08",
                "The United States had no part in the sabotage",
                "disputes = [\"hersh-navy\", \"russia-us-uk\"]\n",
            ),
            (
                "uk-denial",
                "uk",
                "2022-11-01",
                "The United Kingdom had no part in the sabotage",
                "disputes = [\"russia-us-uk\"]\n",
            ),
            (
                "ukraine-denial",
                "ukraine",
                "2023-03-08",
                "Ukraine had no part in the sabotage",
                "disputes = [\"nyt-group\", \"prosecutor-diver\"]\n",
            ),
        ];
        for (id, who, date, title, relations) in claims {
            site.write(
                &format!("content/claims/{id}.md"),
                &format!(
                    "+++\ntitle = \"{title}\"\nclaimants = [\"{who}\"]\ndate = {date}\n{relations}\n[[citations]]\nsource = \"source-s\"\n+++\n\nBody.\n"
                ),
            );
        }
        site
    }

    /// A dossier in English with a French edition: one claim, one actor and the home page
    /// translated; the other claim, the source and the other actor not.
    pub fn bilingual() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write("site.toml", BILINGUAL_SITE_TOML);
        site.write(
            "content/_index.md",
            "+++\ntitle = \"The dispute\"\n+++\nWho says what.\n",
        );
        site.write(
            "content/_index.fr.md",
            "+++\ntitle = \"Le différend\"\n+++\nQui dit quoi.\n",
        );
        site.write(
            "content/actors/alpha.md",
            "+++\ntitle = \"Alpha Agency\"\nkind = \"agency\"\n+++\n",
        );
        site.write(
            "content/actors/beta.md",
            "+++\ntitle = \"Beta Ministry\"\nkind = \"government\"\n+++\n",
        );
        site.write(
            "content/actors/beta.fr.md",
            "+++\ntitle = \"Ministère Bêta\"\n+++\n",
        );
        site.write(
        "content/sources/report.md",
        "+++\ntitle = \"The report\"\npublisher = \"Alpha Agency\"\ndate = 2024-04-15\npublished_by = \"alpha\"\n+++\nThe agency's report.\n",
    );
        site.write(
            "content/sources/report.txt",
            "The group used living off the land techniques against ports.",
        );
        site.write(
            "content/claims/map.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        site.write(
        "content/claims/attack.md",
        "+++\ntitle = \"Group X attacked the ports\"\nclaimants = [\"alpha\"]\ndate = 2024-04-15\nsummary = \"Alpha says group X attacked ports.\"\nupdated = 2024-05-01\n\n[[citations]]\nsource = \"report\"\nquote = \"used living off the land techniques\"\n+++\nAlpha's account of the attack.\n",
    );
        site.write(
        "content/claims/attack.fr.md",
        "+++\ntitle = \"Le groupe X a attaqué les ports\"\nsummary = \"Alpha affirme que le groupe X a attaqué des ports.\"\ntranslated_from_date = 2024-05-01\n+++\nLe récit d’Alpha sur l’attaque et la désinformation ([carte](map.svg)).\n",
    );
        site.write(
        "content/claims/denial.md",
        "+++\ntitle = \"No attack happened\"\nclaimants = [\"beta\"]\ndate = 2024-04-20\ndisputes = [\"attack\"]\nsummary = \"Beta denies it.\"\n\n[[citations]]\nsource = \"report\"\n+++\nBeta's denial.\n",
    );
        site
    }
}

/// Sends `GET target` over HTTP/1.0 to a server on a loopback `port`; its status and body.
pub fn http_get(port: u16, target: &str) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    write!(s, "GET {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&raw[..end]);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, raw[end..].to_vec())
}

/// The `path:line:col: error: …` lines a run printed.
pub fn error_lines(run: &Run) -> Vec<String> {
    run.stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(str::to_string)
        .collect()
}

/// The source `id` as the built site's `/dossier.json` gives it.
pub fn json_source(site: &Site, id: &str) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(&site.read("dossier.json")).unwrap();
    json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no source `{id}` in dossier.json"))
        .clone()
}

/// Today's date (UTC) as `YYYY-MM-DD`, as the system's `date` gives it.
pub fn today() -> String {
    let out = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

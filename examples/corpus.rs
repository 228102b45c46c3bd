//! Writes a synthetic dossier for benchmarks:
//!
//! ```text
//! cargo run --release --example corpus -- N DIR
//! ```
//!
//! N claims, N/5 sources and up to 50 actors. Every claim has two front-matter citations
//! and three inline ones, two `[[id]]` cross-links and a table; one claim in three
//! disputes another, one in five supports another, one in eight has a code block.
//! The output is the same for the same N.
//!
//! With `--heavy`, each claim is about 3.5 kB of Markdown, as in dossiers analysts keep for
//! years: five citations with quotes, four paragraphs of varied words, a quotation, a list,
//! a six-row table and a six-line code block in one of six languages.
//!
//! With `--hugo`, DIR becomes a Hugo site with the same Markdown (the claims, sources and
//! actors as Hugo pages, front matter kept as page parameters), a `hugo.toml`, minimal
//! layouts and classed code highlighting, for timing both on the same text:
//!
//! ```text
//! cargo run --release --example corpus -- N DIR --hugo
//! ```

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let hugo = args.iter().any(|a| a == "--hugo");
    let heavy = args.iter().any(|a| a == "--heavy");
    let args: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (Some(n), Some(dir)) = (args.first().and_then(|n| n.parse().ok()), args.get(1)) else {
        eprintln!("usage: corpus N DIR [--hugo] [--heavy]");
        std::process::exit(2);
    };
    let root = Path::new(dir.as_str());
    let result = write_corpus(n, root, heavy)
        .and_then(|()| if hugo { write_hugo_files(root) } else { Ok(()) });
    if let Err(e) = result {
        eprintln!("corpus: {e}");
        std::process::exit(1);
    }
}

/// Turns the dossier at `root` into a Hugo site: configuration and minimal layouts (a
/// page with its citations, lists of pages, tags), code highlighted with classes.
fn write_hugo_files(root: &Path) -> std::io::Result<()> {
    std::fs::remove_file(root.join("site.toml"))?;
    // Hugo takes `url` as the page's own address; keep the source's under another name.
    for entry in std::fs::read_dir(root.join("content/sources"))? {
        let path = entry?.path();
        let text = std::fs::read_to_string(&path)?;
        std::fs::write(&path, text.replacen("\nurl = ", "\nsource_url = ", 1))?;
    }
    std::fs::write(
        root.join("hugo.toml"),
        "baseURL = \"https://example.org/\"\ntitle = \"Synthetic dossier\"\ndisableKinds = [\"RSS\"]\n\
         [markup.highlight]\nnoClasses = false\n[taxonomies]\ntag = \"tags\"\n",
    )?;
    let layouts = root.join("layouts");
    std::fs::create_dir_all(&layouts)?;
    let files = [
        (
            "baseof.html",
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title>\
             <link rel=\"stylesheet\" href=\"/style.css\"></head><body><nav><a href=\"/\">{{ site.Title }}</a></nav>\
             <main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
        ),
        (
            "single.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}\
             {{ .Content }}<h2>References</h2><ol>{{ range .Params.citations }}<li>{{ .source }} {{ .locator }}</li>{{ end }}</ol>\
             <p>{{ range .GetTerms \"tags\" }}<a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}\n",
        ),
        (
            "list.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>\
             {{ with .Params.summary }} {{ . }}{{ end }}</li>{{ end }}</ul>{{ end }}\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(layouts.join(name), text)?;
    }
    Ok(())
}

fn write_corpus(n: usize, root: &Path, heavy: bool) -> std::io::Result<()> {
    let n = n.max(1);
    let sources = (n / 5).max(1);
    let actors = n.clamp(1, 50);
    for section in ["claims", "sources", "actors"] {
        std::fs::create_dir_all(root.join("content").join(section))?;
    }
    std::fs::write(
        root.join("site.toml"),
        "title = \"Synthetic dossier\"\nbase_url = \"https://example.org/\"\n",
    )?;
    for a in 0..actors {
        std::fs::write(
            root.join(format!("content/actors/a{a}.md")),
            format!(
                "+++\ntitle = \"Actor {a}\"\nkind = \"organisation\"\n+++\nAn actor of the synthetic dossier.\n"
            ),
        )?;
    }
    for s in 0..sources {
        std::fs::write(
            root.join(format!("content/sources/s{s}.md")),
            format!(
                "+++\ntitle = \"Source {s}\"\npublished_by = \"a{}\"\ndate = \"2020-01-{:02}\"\nurl = \"https://example.org/s{s}\"\narchive_url = \"https://web.archive.org/web/2020/https://example.org/s{s}\"\n+++\nWhat source {s} reports.\n",
                s % actors,
                1 + s % 28
            ),
        )?;
    }
    for c in 0..n {
        std::fs::write(
            root.join(format!("content/claims/c{c}.md")),
            if heavy {
                heavy_claim(c, n, sources, actors)
            } else {
                claim(c, n, sources, actors)
            },
        )?;
    }
    Ok(())
}

fn claim(c: usize, n: usize, sources: usize, actors: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "+++\ntitle = \"Claim {c}\"\nclaimants = [\"a{}\"]",
        c % actors
    );
    let _ = writeln!(
        s,
        "date = \"2021-{:02}-{:02}\"\ntags = [\"t{}\"]\nsummary = \"Claim {c} in one line.\"",
        1 + c % 12,
        1 + c % 28,
        c % 20
    );
    if c % 3 == 1 {
        let _ = writeln!(s, "disputes = [\"c{}\"]", c - 1);
    }
    if c % 5 == 2 {
        let _ = writeln!(s, "supports = [\"c{}\"]", c - 2);
    }
    let _ = writeln!(
        s,
        "\n[[citations]]\nsource = \"s{}\"\nlocator = \"p. 1\"\n\n[[citations]]\nsource = \"s{}\"\n+++",
        (c * 7) % sources,
        (c * 11) % sources
    );
    let _ = writeln!(
        s,
        "Claim {c} says something [@s{}, p. 2], which [@s{}] repeats and [see @s{}] qualifies.\nSee also [[c{}]] and [[a{}]].\n",
        c % sources,
        (c + 1) % sources,
        (c + 2) % sources,
        (c + 3) % n,
        c % actors
    );
    s.push_str("| year | events |\n|---|---|\n| 2021 | 3 |\n| 2022 | 5 |\n");
    if c.is_multiple_of(8) {
        s.push_str("\n```rust\nfn main() {\n    println!(\"claim\");\n}\n```\n");
    }
    s
}

/// Words for the heavy corpus's prose, so that its search index and pages hold varied text.
const WORDS: &[&str] = &[
    "intrusion",
    "network",
    "operators",
    "report",
    "analysis",
    "infrastructure",
    "routers",
    "campaign",
    "attribution",
    "evidence",
    "government",
    "ministry",
    "spokesperson",
    "denied",
    "statement",
    "researchers",
    "indicators",
    "malware",
    "persistence",
    "credentials",
    "telemetry",
    "observed",
    "targeted",
    "utilities",
    "telecommunications",
    "water",
    "energy",
    "ports",
    "pipeline",
    "sabotage",
    "investigation",
    "prosecutor",
    "diver",
    "vessel",
    "explosives",
    "seabed",
    "journalists",
    "sources",
    "anonymous",
    "officials",
    "intelligence",
    "agencies",
    "advisory",
    "vendor",
    "firmware",
    "botnet",
    "proxy",
    "living",
    "off",
    "land",
    "techniques",
    "tactics",
    "procedures",
    "timeline",
    "months",
    "years",
    "access",
    "lateral",
    "movement",
    "exfiltration",
    "domain",
    "controller",
    "accounts",
    "administrators",
    "logs",
    "forensic",
    "artefacts",
    "hashes",
    "samples",
    "command",
    "servers",
    "traffic",
    "patterns",
    "hours",
    "working",
    "time",
    "zone",
    "language",
    "settings",
    "overlap",
    "previous",
    "activity",
    "cluster",
    "named",
    "tracked",
    "separately",
    "confidence",
    "moderate",
    "high",
    "low",
    "assessment",
    "disputed",
    "claimed",
    "rejected",
    "accused",
    "responded",
    "published",
];

/// A deterministic sentence of `len` words drawn from [`WORDS`].
fn sentence(seed: usize, len: usize) -> String {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(12_345);
    let mut words: Vec<&str> = Vec::with_capacity(len);
    for _ in 0..len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        words.push(WORDS[x % WORDS.len()]);
    }
    let mut s = words.join(" ");
    if let Some(first) = s.get(..1) {
        s.replace_range(..1, &first.to_uppercase());
    }
    s.push('.');
    s
}

/// Six-line code blocks in six languages, as analysts paste indicators and queries.
const CODE: &[(&str, &str)] = &[
    (
        "rust",
        "fn main() {\n    let hosts = [\"10.0.0.1\", \"10.0.0.2\"];\n    for h in hosts {\n        println!(\"{h}\");\n    }\n}",
    ),
    (
        "python",
        "import json\n\nwith open(\"iocs.json\") as f:\n    iocs = json.load(f)\nfor ioc in iocs:\n    print(ioc[\"value\"])",
    ),
    (
        "javascript",
        "const hosts = [\"10.0.0.1\", \"10.0.0.2\"];\nfor (const h of hosts) {\n  if (h.startsWith(\"10.\")) {\n    console.log(h);\n  }\n}",
    ),
    (
        "bash",
        "for h in 10.0.0.1 10.0.0.2; do\n  if ping -c1 \"$h\" >/dev/null; then\n    echo \"$h up\"\n  fi\ndone\nexit 0",
    ),
    (
        "json",
        "{\n  \"type\": \"indicator\",\n  \"pattern\": \"[ipv4-addr:value = '10.0.0.1']\",\n  \"valid_from\": \"2023-05-24T00:00:00Z\",\n  \"labels\": [\"proxy\"]\n}",
    ),
    (
        "go",
        "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"claim\")\n}",
    ),
];

/// A claim of about 3.5 kB: the light claim's relations, five quoted citations and a
/// long body.
fn heavy_claim(c: usize, n: usize, sources: usize, actors: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "+++\ntitle = \"Claim {c}: {}\"",
        sentence(c, 6).trim_end_matches('.')
    );
    let _ = writeln!(s, "claimants = [\"a{}\"]", c % actors);
    let _ = writeln!(
        s,
        "date = \"2021-{:02}-{:02}\"\ntags = [\"t{}\", \"t{}\"]\nsummary = \"{}\"",
        1 + c % 12,
        1 + c % 28,
        c % 20,
        (c / 7) % 20,
        sentence(c + 1, 18)
    );
    if c % 3 == 1 {
        let _ = writeln!(s, "disputes = [\"c{}\"]", c - 1);
    }
    if c % 5 == 2 {
        let _ = writeln!(s, "supports = [\"c{}\"]", c - 2);
    }
    for k in 0..5 {
        let _ = writeln!(
            s,
            "\n[[citations]]\nsource = \"s{}\"\nlocator = \"p. {}\"\nquote = \"{}\"",
            (c * 7 + k * 13) % sources,
            1 + k,
            sentence(c * 5 + k, 16)
        );
    }
    s.push_str("+++\n");
    for p in 0..4 {
        let _ = writeln!(
            s,
            "{} {} [@s{}, p. {}] {} See [[c{}]] and [[a{}]].\n",
            sentence(c * 11 + p, 22),
            sentence(c * 13 + p, 18),
            (c + p) % sources,
            2 + p,
            sentence(c * 17 + p, 20),
            (c + 3 + p) % n,
            (c + p) % actors
        );
    }
    let _ = writeln!(s, "> {}\n", sentence(c * 19, 30));
    for k in 0..4 {
        let _ = writeln!(s, "- {}", sentence(c * 23 + k, 9));
    }
    s.push_str("\n| year | events | hosts | sector |\n|---|---|---|---|\n");
    for y in 0..6 {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            2018 + y,
            (c + y) % 17,
            (c * y) % 91,
            WORDS[(c + y) % WORDS.len()]
        );
    }
    let (lang, code) = CODE[c % CODE.len()];
    let _ = writeln!(s, "\n```{lang}\n{code}\n```");
    s
}

//! The source tree keeps the pipeline's order: `src/lib.rs` lists the top-level modules
//! in the order data flows through them, no module outside tests uses one listed after
//! its own, and no two modules of one folder (the crate's or any other) use each other,
//! directly or round a longer cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A module's path from the crate root (`resolve::markdown::links`).
type Module = Vec<String>;

#[test]
fn no_module_uses_a_later_stage_and_no_modules_of_a_folder_use_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let stages = stages(&fs::read_to_string(src.join("lib.rs")).unwrap());
    assert!(stages.len() > 5, "{stages:?}");
    let files = modules(&src);
    let known: BTreeSet<&Module> = files.keys().collect();
    let mut wrong = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &files {
        let own = stage_of(&stages, module);
        for (line, used) in references(module, text) {
            let Some(target) = longest_known(&known, &used) else {
                continue;
            };
            let theirs = stage_of(&stages, &target);
            if theirs > own {
                wrong.push(format!(
                    "{} (line {line}) uses {}, a later stage",
                    module.join("::"),
                    target.join("::")
                ));
            }
            if let Some((from, to)) = siblings(module, &target) {
                edges.entry(from).or_default().insert(to);
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let cycles = cycles(&edges);
    assert!(cycles.is_empty(), "cycles between modules: {cycles:?}");
}

#[test]
fn no_function_outside_tests_runs_over_a_hundred_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let long: Vec<String> = modules(&src)
        .iter()
        .flat_map(|(module, code)| {
            long_functions(code)
                .map(move |(line, n)| format!("{} line {line}: {n}", module.join("::")))
        })
        .collect();
    assert!(
        long.is_empty(),
        "functions over 100 lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn no_template_line_runs_over_160_characters() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut long = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.chars().count() > 160 && !one_long_string(line) {
                    long.push(format!(
                        "{}:{}",
                        path.strip_prefix(&dir).unwrap().display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        long.is_empty(),
        "template lines over 160 characters: {long:?}"
    );
}

/// Whether a line is one interface string and nothing else, which cannot be broken:
/// its English text is its key in every translation table.
fn one_long_string(line: &str) -> bool {
    let call = line
        .trim()
        .trim_start_matches("{{")
        .trim_start_matches('-')
        .trim_start();
    let Some(text) = call.strip_prefix("t(en=\"") else {
        return false;
    };
    let end = text
        .trim_end()
        .trim_end_matches("}}")
        .trim_end_matches('-')
        .trim_end();
    end.strip_suffix("\")").is_some_and(|s| !s.contains('"'))
}

/// Each function of `code` longer than 100 lines: where it starts and how long it is,
/// from its `fn` line to the brace that closes it at the same indentation.
fn long_functions(code: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let lines: Vec<&str> = code.lines().collect();
    (0..lines.len()).filter_map(move |i| {
        let line = lines[i];
        let text = line.trim_start();
        let indent = &line[..line.len() - text.len()];
        let signature = [
            "fn ",
            "pub fn ",
            "pub(super) fn ",
            "pub(crate) fn ",
            "const fn ",
        ]
        .iter()
        .any(|p| text.starts_with(p));
        if !signature {
            return None;
        }
        let close = format!("{indent}}}");
        let end = (i + 1..lines.len()).find(|&j| lines[j] == close)?;
        let n = end - i + 1;
        (n > 100).then_some((i + 1, n))
    })
}

#[test]
fn the_checker_finds_a_later_stage_and_a_cycle() {
    let stages = stages("pub mod base;\npub(crate) mod load;\npub mod render;\n");
    let load = vec!["load".to_string(), "config".to_string()];
    let used = references(
        &load,
        "use crate::render::{pages, map::{draw}};\nfn f() {}\n",
    );
    assert_eq!(used.len(), 2, "{used:?}");
    assert!(used.iter().all(|(_, u)| stage_of(&stages, u) == 2));
    let child = vec!["render".into(), "views".into()];
    let sup = references(
        &child,
        "    use super::{shown::Shown, digest};\n// crate::load\n",
    );
    assert_eq!(
        sup.iter().map(|(_, u)| u.join("::")).collect::<Vec<_>>(),
        ["render::shown::Shown", "render::digest"]
    );
    let path = |p: &str| -> Module { p.split("::").map(str::to_string).collect() };
    assert_eq!(siblings(&path("a::b"), &path("a")), None);
    assert_eq!(siblings(&path("a"), &path("a::b::c")), None);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in [("a::x", "a::y::q"), ("a::y::r", "b"), ("b::z", "a::x")] {
        let (from, to) = siblings(&path(a), &path(b)).unwrap();
        edges.entry(from).or_default().insert(to);
    }
    assert_eq!(cycles(&edges), [["a", "b"]]);
    let body = "    x();\n".repeat(98);
    let f = format!("fn short() {{\n{body}}}\n    pub fn long() {{\n{body}    y();\n    }}\n");
    assert_eq!(long_functions(&f).collect::<Vec<_>>(), [(101, 101)]);
}

/// The top-level modules in the order `lib.rs` declares them.
fn stages(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|l| {
            let l = l.strip_prefix("pub(crate) ").or(l.strip_prefix("pub "))?;
            l.strip_prefix("mod ")?.strip_suffix(';')
        })
        .map(str::to_string)
        .collect()
}

fn stage_of(stages: &[String], module: &Module) -> usize {
    stages
        .iter()
        .position(|s| *s == module[0])
        .unwrap_or_else(|| panic!("{} is not declared in lib.rs", module[0]))
}

/// Every module of the crate with its text up to its tests, leaving out `main.rs`,
/// `lib.rs` and test modules of their own file.
fn modules(src: &Path) -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Module = rel.iter().map(|p| p.to_string_lossy().into()).collect();
            if path.extension().is_none_or(|e| e != "rs")
                || (parts.len() == 1 && ["main", "lib"].contains(&parts[0].as_str()))
                || parts.last().is_some_and(|p| p == "tests")
            {
                continue;
            }
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            let text = fs::read_to_string(&path).unwrap();
            let code = text.split("\n#[cfg(test)]").next().unwrap_or("");
            out.insert(parts, code.to_string());
        }
    }
    out
}

/// The paths a module's code names through `crate::`, `super::` or the name of a module
/// it declares, with their lines;
/// comments are left out, and so are `pub use` lines, by which a folder shows what its
/// modules hold.
fn references(module: &Module, text: &str) -> Vec<(usize, Module)> {
    let children: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            let l = l
                .trim_start()
                .strip_prefix("pub ")
                .unwrap_or(l.trim_start());
            l.strip_prefix("mod ")?.strip_suffix(';')
        })
        .collect();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if code.trim_start().starts_with("pub use ") {
            continue;
        }
        for child in &children {
            let named = format!("{child}::");
            for (start, _) in code.match_indices(&named) {
                let before = code[..start].chars().next_back();
                if before.is_none_or(|c| !is_ident(c) && c != ':') {
                    let mut full = module.clone();
                    full.push(child.to_string());
                    out.push((n + 1, full));
                }
            }
        }
        for (start, _) in code
            .match_indices("crate::")
            .chain(code.match_indices("super::"))
        {
            if start > 0 && is_ident(code.as_bytes()[start - 1] as char) {
                continue;
            }
            let base: Module = if code[start..].starts_with("crate::") {
                Vec::new()
            } else {
                module[..module.len() - 1].to_vec()
            };
            let mut base = base;
            let mut rest = code[start..].split_once("::").unwrap().1;
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            for path in expand(rest) {
                let mut full = base.clone();
                full.extend(path);
                out.push((n + 1, full));
            }
        }
    }
    out
}

/// The paths written after `crate::`, a group such as `{a::b, c::{d}}` giving each.
fn expand(rest: &str) -> Vec<Module> {
    let head: String = rest
        .chars()
        .take_while(|c| is_ident(*c) || *c == ':')
        .collect();
    let prefix: Module = head
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let after = &rest[head.len()..];
    let Some(group) = after.strip_prefix('{') else {
        return vec![prefix];
    };
    let mut out = Vec::new();
    let (mut depth, mut item) = (0, String::new());
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.extend(expand(item.trim()));
                item.clear();
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    out.extend(expand(item.trim()));
    for path in &mut out {
        if path.first().is_some_and(|s| s == "self") {
            path.remove(0);
        }
        let mut full = prefix.clone();
        full.append(path);
        *path = full;
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The longest beginning of `path` that is a module of the crate.
fn longest_known(known: &BTreeSet<&Module>, path: &Module) -> Option<Module> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|m| known.contains(m))
}

/// The two modules of one folder that hold `from` and `to`, each with everything below
/// it, unless one holds the other: a folder's own file may use what it holds, and what it
/// holds may use it.
fn siblings(from: &Module, to: &Module) -> Option<(String, String)> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None;
    }
    Some((from[..=common].join("::"), to[..=common].join("::")))
}

/// The groups of more than one node that reach each other (Tarjan's algorithm).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'e> {
        edges: &'e BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'e str, (usize, usize)>,
        stack: Vec<&'e str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'e>(s: &mut State<'e>, v: &'e str) {
        let i = s.index.len();
        s.index.insert(v, (i, i));
        s.stack.push(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let low = match s.index.get(w.as_str()) {
                None => {
                    visit(s, w);
                    s.index[w.as_str()].1
                }
                Some(&(wi, _)) if s.stack.contains(&w.as_str()) => wi,
                Some(_) => continue,
            };
            let entry = s.index.get_mut(v).unwrap();
            entry.1 = entry.1.min(low);
        }
        let (vi, vl) = s.index[v];
        if vi == vl {
            let at = s.stack.iter().rposition(|x| *x == v).unwrap();
            let group: Vec<String> = s.stack.drain(at..).map(str::to_string).collect();
            if group.len() > 1 {
                s.found.push(group);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

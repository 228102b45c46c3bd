//! `dossier rename OLD NEW`: an entry's id changed everywhere. Its file, its translations
//! and (for a source) its evidence files move; every reference to it, in front matter, in
//! bodies and in `site.toml`, is changed in place, the rest of each file kept as written;
//! its old address is added to its earlier addresses, so that the published site keeps
//! answering there. Every change is checked by reading the file again as a build reads
//! it, and the changes are made all together or not at all (`apply`).

mod apply;
mod body;
mod diff;
mod front;

use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics, count, nearest};
use crate::load::config::{CONFIG_FILE, Overrides, Settings};
use crate::load::content::frontmatter::{self, Format, Split};
use crate::load::content::{CONTENT_DIR, EntryKind, join_relative};
use crate::resolve::model::{ALIASES, REDIRECT_FROM};
use crate::snapshots::{EXTENSIONS, MARKDOWN_SUFFIX, TOKEN_SUFFIX};
use body::Meaning;

pub(crate) use apply::Change;

/// What `dossier rename` is asked.
pub struct Options {
    pub root: PathBuf,
    pub old: String,
    pub new: String,
    /// Print the changes as a unified diff, and change nothing.
    pub dry_run: bool,
}

/// How a rename ended.
pub enum Outcome {
    /// What was done (or, in a dry run, the diff of what would be).
    Done(String),
    /// Refused for a problem in the dossier or the disk; nothing was changed.
    Refused(Vec<Diagnostic>),
    /// Refused for the ids given; nothing was changed.
    Usage(String),
}

/// What is renamed, and the files that move with it.
pub(crate) struct Renaming {
    pub kind: EntryKind,
    pub old: String,
    pub new: String,
    /// The files that move, by their paths under `content/`: (old, new).
    pub moves: Vec<(String, String)>,
    /// The site path of its page before and after, without slashes (`claims/x`).
    pub page: (String, String),
    /// The site's other languages, whose editions have pages under `/<tag>/`.
    pub languages: Vec<String>,
}

impl Renaming {
    /// `relative` (a path relative to the folder `dir` under `content/`) with its last
    /// segment renamed, when it names a file that moves.
    fn moved_name(&self, dir: &str, relative: &str) -> Option<String> {
        let target = join_relative(dir, relative)?;
        let (_, to) = self.moves.iter().find(|(from, _)| *from == target)?;
        let name = to.rsplit('/').next()?;
        let head = relative.rfind('/').map_or("", |i| &relative[..=i]);
        Some(format!("{head}{name}"))
    }

    /// The page path `path` (`claims/x`, `fr/claims/x`) names the renamed entry's page:
    /// the same path naming it by its new id.
    fn moved_page(&self, path: &str) -> Option<String> {
        let (tag, rest) = match path.split_once('/') {
            Some((t, rest)) if self.languages.iter().any(|l| l == t) => (Some(t), rest),
            _ => (None, path),
        };
        (rest == self.page.0).then(|| match tag {
            Some(t) => format!("{t}/{}", self.page.1),
            None => self.page.1.clone(),
        })
    }

    /// What a reference means once renamed, if the rename changes it.
    fn renamed(&self, m: &Meaning) -> Option<Meaning> {
        match m {
            Meaning::Id(id) if *id == self.old => Some(Meaning::Id(self.new.clone())),
            Meaning::File(f) => self
                .moves
                .iter()
                .find(|(from, _)| from == f)
                .map(|(_, to)| Meaning::File(to.clone())),
            Meaning::Page(p) => self.moved_page(p).map(Meaning::Page),
            Meaning::Id(_) => None,
        }
    }
}

/// Renames `old` to `new` in the dossier at `root`.
pub fn run(o: &Options) -> Outcome {
    let overrides = Overrides {
        drafts: true,
        ..Overrides::default()
    };
    let settings = match Settings::load(&o.root, &overrides) {
        Ok(s) => s,
        Err(d) => return Outcome::Refused(d),
    };
    let diags = Diagnostics::default();
    let content = crate::load::content::load(&settings, &diags);
    let renaming = match find(&settings, &content, &o.old, &o.new) {
        Ok(r) => r,
        Err(d) => return d,
    };
    let changes = match plan(&settings, &renaming, &diags) {
        Ok(c) => c,
        Err(d) => return Outcome::Refused(d),
    };
    if o.dry_run {
        return Outcome::Done(diff::unified(&o.root, &changes));
    }
    if let Err(d) = apply::apply(&o.root, &changes) {
        return Outcome::Refused(vec![d]);
    }
    let edited = changes.iter().filter(|c| c.bytes.is_some()).count();
    let moved = changes.iter().filter(|c| c.from != c.to).count();
    Outcome::Done(format!(
        "renamed {} `{}` to `{}`: {} changed, {} moved; /{}/ now sends readers to /{}/",
        renaming.kind.name(),
        o.old,
        o.new,
        count(edited, "file", "files"),
        count(moved, "file", "files"),
        renaming.page.0,
        renaming.page.1
    ))
}

/// The entry named `old`, checked against `new`: both must be ids, `old` an entry's and
/// `new` no entry's or file's.
fn find(
    settings: &Settings,
    content: &crate::load::content::Content,
    old: &str,
    new: &str,
) -> Result<Renaming, Outcome> {
    let usage = |message: String, suggestion: Option<String>| {
        Outcome::Usage(match suggestion {
            Some(s) => format!("{message} (did you mean `{s}`?)"),
            None => message,
        })
    };
    let mut ids: Vec<(EntryKind, &str, &str)> = Vec::new();
    ids.extend(
        content
            .claims
            .iter()
            .map(|e| (EntryKind::Claim, e.id.as_str(), e.doc.content_path.as_str())),
    );
    ids.extend(content.sources.iter().map(|e| {
        (
            EntryKind::Source,
            e.id.as_str(),
            e.doc.content_path.as_str(),
        )
    }));
    ids.extend(
        content
            .actors
            .iter()
            .map(|e| (EntryKind::Actor, e.id.as_str(), e.doc.content_path.as_str())),
    );
    ids.extend(
        content
            .events
            .iter()
            .map(|e| (EntryKind::Event, e.id.as_str(), e.doc.content_path.as_str())),
    );
    let broken: Vec<_> = content
        .broken
        .iter()
        .filter_map(|b| b.kind.map(|k| (k, b.id.as_str(), b.content_path.as_str())))
        .collect();
    if let Some(problem) = crate::load::content::id_problem(new, "the new id") {
        return Err(usage(problem, None));
    }
    if old == new {
        return Err(usage(
            format!("`{old}` is already its id; give the new id after the old one"),
            None,
        ));
    }
    let all = || ids.iter().chain(&broken);
    if let Some((kind, _, path)) = all().find(|(_, id, _)| *id == new) {
        return Err(usage(
            format!(
                "`{new}` is taken: it is the id of the {} in {CONTENT_DIR}/{path}; choose another, or rename that one first",
                kind.name()
            ),
            None,
        ));
    }
    let Some(&(kind, _, path)) = all().find(|(_, id, _)| *id == old) else {
        return Err(usage(
            format!("no claim, source, actor or event has the id `{old}`"),
            nearest(old, all().map(|(_, id, _)| *id)),
        ));
    };
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let languages: Vec<String> = settings.config.languages.keys().cloned().collect();
    let page = |id: &str| {
        crate::resolve::pages::entry_path(kind, id)
            .trim_matches('/')
            .to_string()
    };
    Ok(Renaming {
        kind,
        old: old.to_string(),
        new: new.to_string(),
        moves: moves(settings, kind, dir, old, new, &languages),
        page: (page(old), page(new)),
        languages,
    })
}

/// The files that move with the entry: its own, its translations, and a source's
/// snapshot, web archive and time-stamp token named after it.
fn moves(
    settings: &Settings,
    kind: EntryKind,
    dir: &str,
    old: &str,
    new: &str,
    languages: &[String],
) -> Vec<(String, String)> {
    let mut suffixes: Vec<String> = vec![".md".into()];
    suffixes.extend(languages.iter().map(|l| format!(".{l}.md")));
    if kind == EntryKind::Source {
        suffixes.extend(EXTENSIONS.iter().map(|e| format!(".{e}")));
        suffixes.push(MARKDOWN_SUFFIX.into());
        suffixes.push(TOKEN_SUFFIX.into());
    }
    let content = settings.root.join(CONTENT_DIR);
    let at = |id: &str, suffix: &str| match dir {
        "" => format!("{id}{suffix}"),
        d => format!("{d}/{id}{suffix}"),
    };
    suffixes
        .iter()
        .map(|s| (at(old, s), at(new, s)))
        .filter(|(from, _)| content.join(from).is_file())
        .collect()
}

/// Every change the rename makes, checked; or every problem that stops it.
fn plan(
    settings: &Settings,
    r: &Renaming,
    load: &Diagnostics,
) -> Result<Vec<Change>, Vec<Diagnostic>> {
    let root = &settings.root;
    let content = root.join(CONTENT_DIR);
    let mut problems = Vec::new();
    for (_, to) in &r.moves {
        if content.join(to).exists() {
            problems.push(Diagnostic::error(
                format!("{CONTENT_DIR}/{to}"),
                0,
                0,
                format!("this file is in the way: renaming `{}` would move a file here; move it away or choose another id", r.old),
            ));
        }
    }
    let (files, walk_errors) = crate::load::content::walk(root, &content);
    problems.extend(walk_errors);
    let mut changes = Vec::new();
    for path in files {
        let content_path = crate::base::diagnostics::rel_path(&content, &path);
        let moved = r.moves.iter().find(|(from, _)| *from == content_path);
        let markdown = content_path.ends_with(".md") && !content_path.ends_with(MARKDOWN_SUFFIX);
        let edited = if markdown {
            match edit_markdown(settings, r, &path, &content_path, load) {
                Ok(e) => e,
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            }
        } else {
            None
        };
        if moved.is_some() || edited.is_some() {
            let to = moved.map_or_else(|| path.clone(), |(_, to)| content.join(to));
            changes.push(Change {
                from: path,
                to,
                bytes: edited,
            });
        }
    }
    match edit_site(settings, r) {
        Ok(Some(bytes)) => {
            let path = root.join(CONFIG_FILE);
            changes.push(Change {
                from: path.clone(),
                to: path,
                bytes: Some(bytes),
            });
        }
        Ok(None) => {}
        Err(d) => problems.push(d),
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

/// The new bytes of a Markdown file, if the rename changes them.
fn edit_markdown(
    settings: &Settings,
    r: &Renaming,
    path: &Path,
    content_path: &str,
    load: &Diagnostics,
) -> Result<Option<Vec<u8>>, Diagnostic> {
    let file = crate::base::diagnostics::rel_path(&settings.root, path);
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(&file, 0, 0, format!("cannot read: {e}")))?;
    let own = r
        .moves
        .first()
        .is_some_and(|(from, _)| from == content_path);
    let named = |b: &[u8]| b.windows(r.old.len()).any(|w| w == r.old.as_bytes());
    if !own && !named(&bytes) {
        return Ok(None);
    }
    let unreadable = |why: String| {
        let mut found = load.sorted().into_iter().filter(|d| d.file == file);
        found
            .next()
            .unwrap_or_else(|| Diagnostic::error(&file, 0, 0, why))
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| unreadable("file is not valid UTF-8; save it as UTF-8".into()))?;
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(t) => ("\u{feff}", t),
        None => ("", text.as_str()),
    };
    let split = frontmatter::split(text).map_err(unreadable)?;
    let dir = content_path.rsplit_once('/').map_or("", |(d, _)| d);
    let (head, front, body) = match &split {
        Some(s) => {
            let front_at = s.front.as_ptr() as usize - text.as_ptr() as usize;
            let body_at = s.body.as_ptr() as usize - text.as_ptr() as usize;
            (
                &text[..front_at],
                Some((s, &text[front_at + s.front.len()..body_at])),
                s.body,
            )
        }
        None => ("", None, text),
    };
    let address_key = if r.kind == EntryKind::Actor {
        REDIRECT_FROM
    } else {
        ALIASES
    };
    let (add, remove) = (format!("/{}/", r.page.0), format!("/{}/", r.page.1));
    let new_front = match front {
        Some((s, _)) => front::rewrite(
            s,
            &file,
            &front::Edit {
                renaming: r,
                keys: &front::REFERENCES,
                dir,
                address: own.then_some((address_key, add.as_str(), remove.as_str())),
            },
        )?,
        None => None,
    };
    let body_line = split.as_ref().map_or(1, |s| s.body_line);
    let new_body = rewrite_body(body, content_path, r, &file, body_line)?;
    if new_front.is_none() && new_body.is_none() {
        return Ok(None);
    }
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(bom);
    out.push_str(head);
    if let Some((s, close)) = front {
        out.push_str(new_front.as_deref().unwrap_or(s.front));
        out.push_str(close);
    }
    out.push_str(new_body.as_deref().unwrap_or(body));
    Ok(Some(out.into_bytes()))
}

/// `body` with every reference to what is renamed changed, checked by reading it again.
fn rewrite_body(
    body: &str,
    content_path: &str,
    r: &Renaming,
    file: &str,
    body_line: usize,
) -> Result<Option<String>, Diagnostic> {
    let before = body::references(body, content_path);
    let mut out = body.to_string();
    let mut changed = false;
    for reference in before.iter().rev() {
        let Some(renamed) = r.renamed(&reference.meaning) else {
            continue;
        };
        let written = match renamed {
            Meaning::Id(id) => id,
            Meaning::File(f) => f.rsplit('/').next().unwrap_or(&f).to_string(),
            Meaning::Page(_) => r.new.clone(),
        };
        out.replace_range(reference.at.clone(), &written);
        changed = true;
    }
    if !changed {
        return Ok(None);
    }
    let after = body::references(&out, content_path);
    let expected: Vec<Meaning> = before
        .iter()
        .map(|x| r.renamed(&x.meaning).unwrap_or_else(|| x.meaning.clone()))
        .collect();
    let read: Vec<Meaning> = after.into_iter().map(|x| x.meaning).collect();
    if read != expected {
        let at = before.first().map_or(0, |x| x.at.start);
        let (line, col) = crate::base::diagnostics::line_col(body, at);
        return Err(Diagnostic::error(
            file,
            body_line + line.max(1) - 1,
            col,
            format!(
                "a reference to `{}` in this body cannot be changed safely; change it by hand and rename again",
                r.old
            ),
        ));
    }
    Ok(Some(out))
}

/// The new bytes of `site.toml`, if it names the renamed entry (`[[map.positions]]`).
fn edit_site(settings: &Settings, r: &Renaming) -> Result<Option<Vec<u8>>, Diagnostic> {
    let path = settings.root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Diagnostic::error(CONFIG_FILE, 0, 0, format!("cannot read: {e}")))?;
    if !text.contains(&r.old) {
        return Ok(None);
    }
    let split = Split {
        format: Format::Toml,
        front: &text,
        front_line: 1,
        body: "",
        body_line: 1,
    };
    let edit = front::Edit {
        renaming: r,
        keys: &front::SITE_REFERENCES,
        dir: "",
        address: None,
    };
    Ok(front::rewrite(&split, CONFIG_FILE, &edit)?.map(String::into_bytes))
}

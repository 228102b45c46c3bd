//! `dossier i18n LANG`: a translation table for the interface in a language, written for
//! a translator to fill in: every string of the catalogue (and of the site's own
//! templates) with where it appears, its translation when the theme ships one, else an
//! empty string, which is shown in English until it is filled in. A table that exists
//! keeps every byte it has; the strings it lacks are added at its end.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::base::diagnostics::Diagnostic;
use crate::base::language::{check, primary};
use crate::render::i18n::catalogue::{Catalogue, Item, asked_by_template};
use crate::render::i18n::plural::{self, Category};
use crate::render::i18n::table::{self, Translation};

/// Writes or completes `i18n/<lang>.toml` under `root`; what it did, or why it could not
/// (`Err(true)` when the command was asked wrongly).
pub(crate) fn write_table(root: &Path, lang: &str) -> Result<String, (Vec<Diagnostic>, bool)> {
    if let Err(near) = check(lang) {
        let d = Diagnostic::error(
            "",
            0,
            0,
            format!("`{lang}` is not a language tag (BCP 47, such as `de`, `pt-BR` or `fa`)"),
        )
        .suggest(near);
        return Err((vec![d], true));
    }
    let primary = primary(lang);
    let rel = format!("i18n/{lang}.toml");
    let path = root.join(&rel);
    let known = Catalogue::shipped().with(own_templates(root));
    let existing = match fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err((
                vec![Diagnostic::error(
                    &rel,
                    0,
                    0,
                    format!("cannot read it: {e}"),
                )],
                false,
            ));
        }
    };
    let has: Vec<String> = match &existing {
        Some(text) => keys_of(text, &rel)?,
        None => Vec::new(),
    };
    let mut errors = Vec::new();
    let shipped: Vec<(String, Translation)> = crate::render::templates::shipped_table(&primary)
        .map(|t| table::read(t, "(built-in theme)", &primary, &known, &mut errors))
        .unwrap_or_default();
    let lacking: Vec<&Item> = known
        .items
        .iter()
        .filter(|i| !has.contains(&i.en) && !i.one.as_ref().is_some_and(|o| has.contains(o)))
        .collect();
    if lacking.is_empty() {
        return Ok(format!("{rel} already lists every string of the interface"));
    }
    let mut text = existing.clone().unwrap_or_else(|| header(lang, &primary));
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let mut blank = 0;
    for item in &lacking {
        let given = shipped
            .iter()
            .find(|(en, _)| en == &item.en)
            .map(|(_, t)| t);
        blank += usize::from(given.is_none());
        line(&mut text, item, given, &primary);
    }
    write_whole(&path, &text).map_err(|e| {
        (
            vec![Diagnostic::error(
                &rel,
                0,
                0,
                format!("cannot write it: {e}"),
            )],
            false,
        )
    })?;
    let what = match existing {
        None => format!("wrote {rel}"),
        Some(_) => format!("added to {rel} (its {} lines are unchanged)", has.len()),
    };
    Ok(format!(
        "{what}: {} string{}, {blank} to translate (an empty string is shown in English)",
        lacking.len(),
        if lacking.len() == 1 { "" } else { "s" }
    ))
}

/// The keys an existing table has, or its error when it is not TOML.
fn keys_of(text: &str, rel: &str) -> Result<Vec<String>, (Vec<Diagnostic>, bool)> {
    let parsed: Result<std::collections::BTreeMap<String, toml::Value>, _> = toml::from_str(text);
    parsed.map(|m| m.into_keys().collect()).map_err(|e| {
        let mut d = table::not_toml(text, rel, &e);
        d.message.push_str("; nothing was added");
        (vec![d], false)
    })
}

/// The literal strings of the site's own templates.
fn own_templates(root: &Path) -> Vec<Item> {
    let dir = root.join("templates");
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let name = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(e.path()).ok()?;
            Some(asked_by_template(&name, &text))
        })
        .flatten()
        .collect()
}

/// The opening comment of a new table.
fn header(lang: &str, primary: &str) -> String {
    let (_, needed) = plural::categories(primary);
    let mut s = format!(
        "# The interface in `{lang}`: each line is a string's English text = its translation.\n\
         # An empty translation (\"\") is shown in English until it is filled in; `dossier\n\
         # check` counts them. `{{name}}` is filled in where the string is used: keep each.\n"
    );
    let forms: Vec<String> = needed
        .iter()
        .map(|&c| format!("`{}` ({})", c.name(), plural::examples(primary, c)))
        .collect();
    let _ = writeln!(
        s,
        "# A string with a count takes one translation per plural form: {}.",
        forms.join(", ")
    );
    s
}

/// Adds one string to `text`: where it appears, then its line.
fn line(text: &mut String, item: &Item, given: Option<&Translation>, primary: &str) {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let _ = writeln!(text, "\n# {}", item.place);
    let Some(one) = &item.one else {
        let t = given.and_then(Translation::text).unwrap_or_default();
        let _ = writeln!(text, "{} = {}", q(&item.en), q(t));
        return;
    };
    let _ = writeln!(text, "# for one: {}", q(one));
    let (_, needed) = plural::categories(primary);
    let forms: Vec<String> = needed
        .iter()
        .map(|&c: &Category| {
            let t = given.and_then(|g| g.form(c)).unwrap_or_default();
            format!("{} = {}", c.name(), q(t))
        })
        .collect();
    let _ = writeln!(text, "{} = {{ {} }}", q(&item.en), forms.join(", "));
}

/// Writes `text` to `path` whole or not at all: beside it first, then renamed over it.
fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let temp = path.with_extension("toml.new");
    fs::write(&temp, text)
        .and_then(|()| fs::rename(&temp, path))
        .inspect_err(|_| {
            fs::remove_file(&temp).ok();
        })
}

//! `dossier translate`: starting a translation of an entry or page beside its original.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::base::diagnostics::{Diagnostic, nearest};
use crate::base::language::{english_name, primary};
use crate::load::config::{CONFIG_FILE, Overrides, Settings};
use crate::load::content::CONTENT_DIR;
use crate::load::content::frontmatter::{self, Format};
use crate::load::content::translation::FROM_DATE;

/// The keys whose text a translation usually gives; the rest come from the original.
const TEXT_KEYS: [&str; 3] = ["title", "summary", "description"];

/// Writes `<name>.<lang>.md` beside the original `file`: its text keys and body to be
/// translated over, and the version of the original it starts from. Refusals are
/// diagnostics at the file (or `site.toml`) they are about.
pub fn translate(root: &Path, file: &Path, lang: &str) -> Result<String, Vec<Diagnostic>> {
    let settings = Settings::load(root, &Overrides::default())?;
    let refuse =
        |at: &str, line: usize, message: String| vec![Diagnostic::error(at, line, 0, message)];
    let listed: Vec<&str> = settings
        .config
        .languages
        .keys()
        .map(String::as_str)
        .collect();
    if !listed.contains(&lang) {
        let also = match listed.as_slice() {
            [] => String::new(),
            _ => format!(" (it lists `{}`)", listed.join("`, `")),
        };
        let mut d = refuse(
            CONFIG_FILE,
            0,
            format!(
                "`{lang}` is not one of the site's other languages{also}; add `[languages.{lang}]` to publish an edition in it"
            ),
        );
        d[0].suggestion = nearest(lang, listed.iter().copied());
        return Err(d);
    }
    let rel = content_path(root, file).map_err(|m| refuse(&file.display().to_string(), 0, m))?;
    let shown = format!("{CONTENT_DIR}/{rel}");
    let stem = rel
        .strip_suffix(".md")
        .filter(|s| !s.ends_with(".snapshot"))
        .ok_or_else(|| {
            refuse(
                &shown,
                0,
                "not an entry or a page: translate a `.md` file under content/".into(),
            )
        })?;
    let name = stem.rsplit('/').next().unwrap_or(stem);
    if let Some((_, tag)) = name.rsplit_once('.')
        && (listed.contains(&tag) || tag == settings.config.language)
    {
        return Err(refuse(
            &shown,
            0,
            format!("this is a translation itself (into `{tag}`); translate its original"),
        ));
    }
    let target = format!("{CONTENT_DIR}/{stem}.{lang}.md");
    let path = root.join(&target);
    if path.exists() {
        return Err(refuse(
            &target,
            0,
            "exists already; edit it, or delete it to start again".into(),
        ));
    }
    let text = fs::read_to_string(root.join(&shown))
        .map_err(|e| refuse(&shown, 0, format!("cannot read it: {e}")))?;
    let front = front_matter(&text, &shown, lang, &settings.config.language)?;
    fs::write(&path, front).map_err(|e| refuse(&target, 0, format!("cannot write it: {e}")))?;
    Ok(format!(
        "created {target}, a copy of the original's text to translate; `dossier check` says how far the `{lang}` edition has come"
    ))
}

/// The translation's whole file: in the original's syntax, a comment saying what to do,
/// the keys to translate, `translated_from_date`, and the original's body.
fn front_matter(
    text: &str,
    shown: &str,
    lang: &str,
    site_language: &str,
) -> Result<String, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = frontmatter::split(text).map_err(|m| vec![Diagnostic::error(shown, 1, 1, m)])?;
    let (format, fields, body) = match &split {
        Some(s) => (
            s.format,
            frontmatter::parse::<Fields>(s, shown).map_err(|d| vec![d])?,
            s.body,
        ),
        None => (Format::Toml, Fields::new(), text),
    };
    let field = |key: &str| match fields.get(key) {
        Some(Field::Text(s)) => Some(s.clone()),
        Some(Field::Date(d)) => Some(d.to_string()),
        _ => None,
    };
    let language = english_name(lang).unwrap_or(lang);
    let mut front = format!(
        "# The {language} translation of {shown}.\n# Translate the keys below and the body; every key left out (claimants, relations,\n# citations, dates) is the original's.\n"
    );
    let keys: Vec<(&str, String)> = if shown.starts_with(&format!("{CONTENT_DIR}/sources/")) {
        // A source's title is a bibliographic fact: it is given in this language beside it.
        let written_in = field("language").unwrap_or_else(|| site_language.to_string());
        match field("title_translation").or_else(|| field("title")) {
            Some(t) if primary(&written_in) != primary(lang) => {
                front.push_str("# A source's `title` stays as it was published; `title_translation` gives it in\n# this language.\n");
                vec![("title_translation", t)]
            }
            _ => Vec::new(),
        }
    } else {
        TEXT_KEYS
            .iter()
            .filter_map(|&k| Some((k, field(k)?)))
            .collect()
    };
    for (key, value) in &keys {
        front.push_str(&line(format, key, value));
    }
    let from = field("updated").unwrap_or_else(crate::load::content::date::today);
    front.push_str(&line(format, FROM_DATE, &from));
    let delimiter = match format {
        Format::Toml => "+++",
        Format::Yaml => "---",
    };
    Ok(format!("{delimiter}\n{front}{delimiter}\n{body}"))
}

/// An original's top-level keys, as `dossier translate` reads them.
type Fields = HashMap<String, Field>;

/// A front-matter value: text, a TOML date, or anything else.
#[derive(Deserialize)]
#[serde(untagged)]
enum Field {
    Text(String),
    Date(toml::value::Datetime),
    Other(serde::de::IgnoredAny),
}

/// `file`'s path under `root`'s content folder, with `/` between its parts. `file` is
/// taken from the current folder, else from `root` or its content folder.
fn content_path(root: &Path, file: &Path) -> Result<String, String> {
    let content = fs::canonicalize(root.join(CONTENT_DIR))
        .map_err(|e| format!("cannot read {}: {e}", root.join(CONTENT_DIR).display()))?;
    let given: PathBuf = [file.to_path_buf(), root.join(file), content.join(file)]
        .iter()
        .find_map(|f| fs::canonicalize(f).ok())
        .ok_or("no such file")?;
    let rel = given
        .strip_prefix(&content)
        .map_err(|_| format!("not in the site's content folder ({})", content.display()))?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(parts.join("/"))
}

/// `key = "value"` or `key: "value"`, the value quoted as the syntax requires (a JSON
/// string is a YAML one).
fn line(format: Format, key: &str, value: &str) -> String {
    match format {
        Format::Toml => format!("{key} = {}\n", toml::Value::String(value.to_string())),
        Format::Yaml => {
            let quoted = serde_json::to_string(value).unwrap_or_default();
            format!("{key}: {quoted}\n")
        }
    }
}

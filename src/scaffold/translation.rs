//! `dossier translate`: starting a translation of an entry or page beside its original.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::config::{Overrides, Settings};
use crate::content::CONTENT_DIR;
use crate::content::frontmatter::{self, Format};
use crate::content::language::primary;
use crate::content::translation::FROM_DATE;

/// The keys whose text a translation usually gives; the rest come from the original.
const TEXT_KEYS: [&str; 3] = ["title", "summary", "description"];

/// Writes `<name>.<lang>.md` beside the original `file`: its text keys and body to be
/// translated over, and the version of the original it starts from.
pub fn translate(root: &Path, file: &Path, lang: &str) -> Result<String, String> {
    let settings = Settings::load(root, &Overrides::default()).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        lines.join("\n")
    })?;
    let listed: Vec<&str> = settings
        .config
        .languages
        .keys()
        .map(String::as_str)
        .collect();
    if !listed.contains(&lang) {
        let hint = match crate::diagnostics::nearest(lang, listed.iter().copied()) {
            Some(n) => format!(" (did you mean `{n}`?)"),
            None if listed.is_empty() => String::new(),
            None => format!(" (it lists `{}`)", listed.join("`, `")),
        };
        return Err(format!(
            "`{lang}` is not one of the site's other languages{hint}; add `[languages.{lang}]` to site.toml to publish an edition in it"
        ));
    }
    let rel = content_path(root, file)?;
    let (folder, name) = match rel.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), rel.as_str()),
    };
    let stem = name
        .strip_suffix(".md")
        .filter(|s| !s.ends_with(".snapshot"))
        .ok_or_else(|| {
            format!(
                "content/{rel} is not an entry or a page: translate a `.md` file under content/"
            )
        })?;
    if let Some((_, tag)) = stem.rsplit_once('.')
        && (listed.contains(&tag) || tag == settings.config.language)
    {
        return Err(format!(
            "content/{rel} is itself a translation (into `{tag}`); translate its original"
        ));
    }
    let target = format!("{folder}{stem}.{lang}.md");
    let path = root.join(CONTENT_DIR).join(&target);
    if path.exists() {
        return Err(format!(
            "content/{target} exists already; edit it, or delete it to start again"
        ));
    }
    let original = root.join(CONTENT_DIR).join(&rel);
    let text = fs::read_to_string(&original)
        .map_err(|e| format!("cannot read {}: {e}", original.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let split = frontmatter::split(text).map_err(|e| format!("content/{rel}: {e}"))?;
    let (format, fields, body) = match &split {
        Some(s) => (
            s.format,
            strings(s).map_err(|e| format!("content/{rel}: {e}"))?,
            s.body,
        ),
        None => (Format::Toml, HashMap::new(), text),
    };
    let language = crate::content::language::english_name(lang).unwrap_or(lang);
    let from = fields
        .get("updated")
        .cloned()
        .unwrap_or_else(crate::content::date::today);
    let mut front = format!(
        "# The {language} translation of content/{rel}.\n# Translate the keys below and the body; every key left out (claimants, relations,\n# citations, dates) is the original's.\n"
    );
    let keys: Vec<(&str, &String)> = if rel.starts_with("sources/") {
        let written_in = fields.get("language").unwrap_or(&settings.config.language);
        let title = fields.get("title_translation").or(fields.get("title"));
        match title {
            Some(t) if primary(written_in) != primary(lang) => {
                front.push_str("# A source's `title` stays as it was published; `title_translation` gives it in\n# this language.\n");
                vec![("title_translation", t)]
            }
            _ => Vec::new(),
        }
    } else {
        TEXT_KEYS
            .iter()
            .filter_map(|&k| Some((k, fields.get(k)?)))
            .collect()
    };
    for (key, value) in keys {
        front.push_str(&line(format, key, value));
    }
    front.push_str(&line(format, FROM_DATE, &from));
    let delimiter = match format {
        Format::Toml => "+++",
        Format::Yaml => "---",
    };
    let written = format!("{delimiter}\n{front}{delimiter}\n{body}");
    fs::write(&path, written).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(format!(
        "created content/{target}, a copy of the original's text to translate; `dossier check` says how far the `{lang}` edition has come"
    ))
}

/// `file`'s path under `root`'s content folder, with `/` between its parts. `file` is
/// taken from the current folder, else from `root` or its content folder.
fn content_path(root: &Path, file: &Path) -> Result<String, String> {
    let content = fs::canonicalize(root.join(CONTENT_DIR))
        .map_err(|e| format!("cannot read {}: {e}", root.join(CONTENT_DIR).display()))?;
    let given: PathBuf = [file.to_path_buf(), root.join(file), content.join(file)]
        .iter()
        .find_map(|f| fs::canonicalize(f).ok())
        .ok_or_else(|| format!("{}: no such file", file.display()))?;
    let rel = given.strip_prefix(&content).map_err(|_| {
        format!(
            "{} is not in the site's content folder ({})",
            file.display(),
            content.display()
        )
    })?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(parts.join("/"))
}

/// The front matter's top-level strings and dates, as text.
fn strings(split: &frontmatter::Split<'_>) -> Result<HashMap<String, String>, String> {
    Ok(match split.format {
        Format::Toml => {
            let table: toml::Table =
                toml::from_str(split.front).map_err(|e| e.message().to_string())?;
            table
                .into_iter()
                .filter_map(|(k, v)| match v {
                    toml::Value::String(s) => Some((k, s)),
                    toml::Value::Datetime(d) => Some((k, d.to_string())),
                    _ => None,
                })
                .collect()
        }
        Format::Yaml => {
            let map: serde_norway::Mapping =
                serde_norway::from_str(split.front).map_err(|e| e.to_string())?;
            map.iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect()
        }
    })
}

/// `key = "value"` or `key: "value"`, the value quoted as the syntax requires.
fn line(format: Format, key: &str, value: &str) -> String {
    match format {
        Format::Toml => format!("{key} = {}\n", toml::Value::String(value.to_string())),
        Format::Yaml => {
            let quoted = serde_json::to_string(value).unwrap_or_default();
            format!("{key}: {quoted}\n")
        }
    }
}

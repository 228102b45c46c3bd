//! `dossier import FILE`: sources from a reference manager's export — a Zotero CSL-JSON
//! file ([`csl`]) or a BibTeX/BibLaTeX file ([`bibtex`]). Each entry becomes
//! `content/sources/<id>.md`; an id that is taken is skipped, never overwritten; an entry
//! that cannot be read or written is reported at its line and the others are still
//! imported. The report lists what was written, then what was skipped, then what was
//! refused, and ends with the counts.

mod bibtex;
mod csl;

use std::path::{Path, PathBuf};

use crate::author::scaffold::{NewSource, taken_ids};
use crate::load::content::CONTENT_DIR;
use crate::load::content::meta::{Choice, SourceKind};

/// What `import` was asked.
pub struct Options {
    pub file: PathBuf,
    pub root: PathBuf,
    pub dry_run: bool,
}

/// One entry of the file: its key (if it has one), the line it starts on, and the source
/// it gives, or why it cannot be read.
pub(crate) struct Entry {
    pub key: Option<String>,
    pub line: usize,
    pub source: Result<NewSource, String>,
}

/// How an import ended: what to print, and whether every entry could be read.
pub struct Outcome {
    pub report: String,
    pub ok: bool,
}

/// Imports `options.file` into the dossier at `options.root`.
pub fn run(options: &Options) -> Result<Outcome, String> {
    if !options
        .root
        .join(crate::load::config::CONFIG_FILE)
        .is_file()
    {
        return Err(format!(
            "no site.toml in {}; run this in a dossier's folder or pass --root",
            options.root.display()
        ));
    }
    let shown = options.file.display().to_string();
    let entries = read_entries(&options.file, &shown)?;
    let folder = options.root.join(CONTENT_DIR).join("sources");
    let mut written: Vec<String> = Vec::new();
    let mut taken = taken_ids(&options.root);
    // What was written, skipped and refused, each listed apart, in the file's order.
    let (mut wrote, mut skips, mut errors) = (String::new(), String::new(), String::new());
    let (mut skipped, mut broken, mut refused) = (0, 0, 0);
    for entry in entries {
        let source = match entry.source {
            Ok(s) => s,
            Err(message) => {
                broken += 1;
                errors.push_str(&format!("{shown}:{}: error: {message}\n", entry.line));
                continue;
            }
        };
        let id = match entry
            .key
            .as_deref()
            .map(id_from_key)
            .filter(|k| !k.is_empty())
        {
            Some(id) => id,
            None => source.derive_id(),
        };
        if let Some(file) = taken.get(&id) {
            skipped += 1;
            skips.push_str(&format!(
                "{shown}:{}: skipped `{id}`: the id is taken by {file}\n",
                entry.line
            ));
            continue;
        }
        let path = folder.join(format!("{id}.md"));
        if !options.dry_run
            && let Err(e) = write(&path, &source.file())
        {
            refused += 1;
            errors.push_str(&format!(
                "{shown}:{}: error: the entry `{id}` cannot be written ({e}); it was not imported\n",
                entry.line
            ));
            continue;
        }
        let missing = source.missing();
        wrote.push_str(&format!(
            "{} {CONTENT_DIR}/sources/{id}.md{}\n",
            if options.dry_run {
                "would write"
            } else {
                "wrote"
            },
            if missing.is_empty() {
                String::new()
            } else {
                format!(" (no {})", missing.join(", "))
            }
        ));
        taken.insert(id.clone(), format!("an earlier entry of {shown}"));
        written.push(id);
    }
    let mut report = wrote + &skips + &errors;
    report.push_str(&summary(
        written.len(),
        skipped,
        broken,
        refused,
        options.dry_run,
    ));
    Ok(Outcome {
        report,
        ok: broken == 0 && refused == 0,
    })
}

/// The entries of the file to import, by its kind: CSL JSON or BibTeX.
fn read_entries(file: &std::path::Path, shown: &str) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json") => csl::read(&text).map_err(|e| format!("{shown}:{e}")),
        Some("bib" | "bibtex") => Ok(bibtex::read(&text)),
        _ => Err(format!(
            "{shown}: import reads a Zotero CSL-JSON export (`.json`) or a BibTeX or BibLaTeX file (`.bib`)"
        )),
    }
}

/// The import's last line: how many sources were written, skipped, not readable and not
/// written.
fn summary(written: usize, skipped: usize, broken: usize, refused: usize, dry_run: bool) -> String {
    format!(
        "{} {written} source{}, {skipped} skipped, {broken} not readable, {refused} not written{}",
        if dry_run { "would import" } else { "imported" },
        if written == 1 { "" } else { "s" },
        if dry_run {
            " (a dry run: nothing was written)"
        } else {
            ""
        }
    )
}

/// Writes a new file (never over an existing one).
fn write(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// An id from a citation key: lowercased, every character outside `[a-z0-9_-]` a `-`,
/// and no `-` or `_` to start with.
fn id_from_key(key: &str) -> String {
    let id = key
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>();
    crate::load::content::shorten_id(id.trim_start_matches(['-', '_']))
}

/// A source kind by its name, as `capture` and `import` write it.
fn kind(name: &str) -> Option<&'static str> {
    SourceKind::ALL
        .iter()
        .find(|k| k.name() == name)
        .map(|k| k.name())
}

/// A date from its parts, each checked: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn date_of(year: i64, month: Option<i64>, day: Option<i64>) -> Option<String> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    match (month.filter(|m| (1..=12).contains(m)), day) {
        (Some(m), Some(d)) if (1..=31).contains(&d) => Some(format!("{year:04}-{m:02}-{d:02}")),
        (Some(m), _) => Some(format!("{year:04}-{m:02}")),
        (None, _) => Some(format!("{year:04}")),
    }
}

/// A month as a number, from `4`, `04`, `apr` or `April`.
fn month_number(text: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let t = text.trim().to_ascii_lowercase();
    t.parse::<i64>().ok().or_else(|| {
        MONTHS
            .iter()
            .position(|m| t.len() >= 3 && t.starts_with(m))
            .map(|i| i as i64 + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_keys() {
        assert_eq!(id_from_key("Smith:2024:Volt"), "smith-2024-volt");
        assert_eq!(id_from_key("CISA_AA24-038A"), "cisa_aa24-038a");
        assert_eq!(id_from_key("-x"), "x");
        assert_eq!(month_number("April"), Some(4));
        assert_eq!(month_number("09"), Some(9));
        assert_eq!(date_of(2024, Some(4), None).as_deref(), Some("2024-04"));
    }
}

//! Reading a translation table (`i18n/<language>.toml`): `"English" = "translation"` for
//! each string, and for a string with a count either one translation or one per plural
//! form of the language (`{ one = "…", few = "…", many = "…" }`). An English form for one
//! (`"{n} claim" = "…"`) may stand as its own key, as tables written before plural forms
//! did. An empty translation is no translation yet. Each mistake is one error at its line.

use std::collections::BTreeMap;

use toml::Spanned;

use super::catalogue::{Catalogue, Item};
use super::plural::{self, Category};
use crate::base::diagnostics::{Diagnostic, nearest};

/// The longest translation a table may hold, in bytes.
const MAX_LEN: usize = 4096;

/// A string's translation: one text for every count, or one per plural form.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub struct Translation {
    pub all: Option<String>,
    pub forms: [Option<String>; 6],
}

impl Translation {
    /// The text for a count of the category `c`.
    pub fn form(&self, c: Category) -> Option<&str> {
        self.forms[c.index()]
            .as_deref()
            .or(self.all.as_deref())
            .or(self.forms[Category::Other.index()].as_deref())
    }

    /// The text of a string without a count.
    pub fn text(&self) -> Option<&str> {
        self.all
            .as_deref()
            .or(self.forms[Category::Other.index()].as_deref())
    }

    /// Adds what another line of the same table gives.
    fn combine(&mut self, other: Translation) {
        if other.all.is_some() {
            self.all = other.all;
        }
        for (mine, theirs) in self.forms.iter_mut().zip(other.forms) {
            if theirs.is_some() {
                *mine = theirs;
            }
        }
    }

    /// Puts `other`, from a later table, over this: a whole translation replaces it, a
    /// form for one only that form.
    pub(crate) fn merge(&mut self, other: Translation) {
        if other.all.is_some() || other.forms.iter().flatten().count() > 1 {
            *self = other;
        } else {
            for (mine, theirs) in self.forms.iter_mut().zip(other.forms) {
                if theirs.is_some() {
                    *mine = theirs;
                }
            }
        }
    }
}

/// The translations of table `text` (read from `file`) for the language `primary`, by
/// the English text of their strings; its mistakes are added to `errors`.
pub fn read(
    text: &str,
    file: &str,
    primary: &str,
    known: &Catalogue,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, Translation)> {
    let parsed: BTreeMap<Spanned<String>, Spanned<toml::Value>> = match toml::from_str(text) {
        Ok(p) => p,
        Err(e) => {
            errors.push(not_toml(text, file, &e));
            return Vec::new();
        }
    };
    // A string's lines in one table (its English form for one on its own line, say)
    // make one translation.
    let mut out: Vec<(String, Translation)> = Vec::new();
    let mut entries: Vec<_> = parsed.into_iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (key, value) in entries {
        let line = line_of(text, key.span().start);
        let at = |message: String| Diagnostic::error(file, line, 1, message);
        match entry(key.get_ref(), value.get_ref(), primary, known) {
            Ok(Some((en, t))) => match out.iter_mut().find(|(k, _)| *k == en) {
                Some((_, mine)) => mine.combine(t),
                None => out.push((en, t)),
            },
            Ok(None) => {}
            Err((message, suggestion)) => {
                let mut d = at(message);
                if let Some(s) = suggestion {
                    d = d.suggest(Some(s));
                }
                errors.push(d);
            }
        }
    }
    out
}

/// The error for table `text` (read from `file`) that is not TOML, at its line.
pub(crate) fn not_toml(text: &str, file: &str, e: &toml::de::Error) -> Diagnostic {
    let line = e.span().map_or(0, |s| line_of(text, s.start));
    Diagnostic::error(
        file,
        line,
        0,
        format!(
            "a translation table holds `\"English\" = \"translation\"` lines: {}",
            e.message().trim_end()
        ),
    )
}

type Problem = (String, Option<String>);

/// One line of a table: the string it translates and its translation (`None` when it is
/// empty), or what is wrong with it.
fn entry(
    key: &str,
    value: &toml::Value,
    primary: &str,
    known: &Catalogue,
) -> Result<Option<(String, Translation)>, Problem> {
    let (item, one_key) = match (known.get(key), known.of_one(key)) {
        (Some(item), _) => (item, false),
        (None, Some(item)) => (item, true),
        (None, None) => {
            let keys = known.items.iter().map(|i| i.en.as_str());
            return Err((
                format!("`{key}` is not a string of the interface"),
                nearest(key, keys).map(|k| format!("\"{k}\"")),
            ));
        }
    };
    let mut t = Translation::default();
    match value {
        toml::Value::String(s) if one_key => t.forms[Category::One.index()] = nonempty(s),
        toml::Value::String(s) => t.all = nonempty(s),
        toml::Value::Table(forms) if item.one.is_some() && !one_key => {
            let (allowed, needed) = plural::categories(primary);
            for (name, text) in forms {
                let c = Category::named(name).filter(|c| allowed.contains(c));
                let Some(c) = c else {
                    return Err((
                        format!(
                            "`{name}` is not a plural form of `{primary}`, which has {}",
                            names(&allowed)
                        ),
                        None,
                    ));
                };
                let Some(text) = text.as_str() else {
                    return Err((format!("the form `{name}` of `{key}` is not text"), None));
                };
                t.forms[c.index()] = nonempty(text);
            }
            let given = needed
                .iter()
                .filter(|c| t.forms[c.index()].is_some())
                .count();
            if given > 0 && given < needed.len() {
                let lacking: Vec<Category> = needed
                    .iter()
                    .copied()
                    .filter(|c| t.forms[c.index()].is_none())
                    .collect();
                return Err((
                    format!(
                        "`{key}` gives some plural forms but not {}; `{primary}` needs {}",
                        names(&lacking),
                        names(&needed)
                    ),
                    None,
                ));
            }
        }
        _ => {
            let shape = match item.one.is_some() && !one_key {
                true => "text, or a table of plural forms like `{ one = \"…\", other = \"…\" }`",
                false => "text",
            };
            return Err((format!("the translation of `{key}` must be {shape}"), None));
        }
    }
    for text in t.all.iter().chain(t.forms.iter().flatten()) {
        check_text(item, text)?;
    }
    let empty = t.all.is_none() && t.forms.iter().all(Option::is_none);
    Ok((!empty).then(|| (item.en.clone(), t)))
}

/// A translation's problems against its English: its length and its placeholders.
fn check_text(item: &Item, text: &str) -> Result<(), Problem> {
    if text.len() > MAX_LEN {
        return Err((
            format!(
                "the translation of `{}` is {} bytes long; a translation holds at most {MAX_LEN}",
                short(&item.en),
                text.len()
            ),
            None,
        ));
    }
    let english = placeholders(&item.en);
    let own = placeholders(text);
    let fillable = |p: &&String| english.contains(p) || item.also.iter().any(|(a, _)| a == *p);
    if let Some(extra) = own.iter().find(|p| !fillable(p)) {
        let known = match english.is_empty() {
            true => "none".to_string(),
            false => english
                .iter()
                .map(|p| format!("`{{{p}}}`"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        return Err((
            format!(
                "`{{{extra}}}` in the translation of `{}` is not filled in: its English has {known}",
                short(&item.en)
            ),
            None,
        ));
    }
    // A form for one may leave out the count it stands for (`une affirmation`).
    let counted = |p: &&String| item.one.is_some() && p.as_str() == "n";
    let stood_for = |p: &&String| {
        item.also
            .iter()
            .any(|(a, instead)| instead == *p && own.contains(a))
    };
    let lost = english
        .iter()
        .filter(|p| !counted(p) && !stood_for(p))
        .find(|p| !own.contains(p));
    if let Some(lost) = lost {
        return Err((
            format!(
                "the translation of `{}` leaves out `{{{lost}}}`, which its English fills in",
                short(&item.en)
            ),
            None,
        ));
    }
    Ok(())
}

/// The `{name}` placeholders of `text`.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('}') else { break };
        let name = &rest[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push(name.to_string());
            rest = &rest[close + 1..];
        }
    }
    out.sort();
    out.dedup();
    out
}

fn nonempty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Categories as a reader names them: "`one`, `few` and `many`".
fn names(cs: &[Category]) -> String {
    let names: Vec<String> = cs.iter().map(|c| format!("`{}`", c.name())).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "none".into(),
    }
}

/// `text` cut to its first sixty characters, for a message.
fn short(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The 1-based line of byte `at` of `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str, lang: &str) -> Vec<String> {
        let mut errors = Vec::new();
        read(text, "i18n/x.toml", lang, Catalogue::shipped(), &mut errors);
        errors
            .iter()
            .map(|d| {
                format!(
                    "{}: {}{}",
                    d.line,
                    d.message,
                    d.suggestion
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn tables_give_plain_and_plural_translations() {
        let mut errors = Vec::new();
        let text = "\"Sources\" = \"Источники\"\n\"{n} claims\" = { one = \"{n} утверждение\", few = \"{n} утверждения\", many = \"{n} утверждений\" }\n\"Tags\" = \"\"\n";
        let read = read(text, "f", "ru", Catalogue::shipped(), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(read.len(), 2);
        let claims = &read[1].1;
        assert_eq!(claims.form(Category::Few), Some("{n} утверждения"));
        assert_eq!(claims.form(Category::Many), Some("{n} утверждений"));
    }

    #[test]
    fn each_mistake_is_one_error_at_its_line() {
        let cases = [
            (
                "\"Claims\" = \"Behauptungen\"\n\"Sorces\" = \"Quellen\"\n",
                "de",
                "2: `Sorces` is not a string of the interface (\"Sources\")",
            ),
            (
                "\"{n} claims\" = { one = \"{n} Behauptung\", few = \"x\" }\n",
                "de",
                "1: `few` is not a plural form of `de`, which has `one` and `other`",
            ),
            (
                "\"{n} claims\" = { one = \"{n} утверждение\" }\n",
                "ru",
                "1: `{n} claims` gives some plural forms but not `few` and `many`; `ru` needs `one`, `few` and `many`",
            ),
            (
                "\"Tag: {tag}\" = \"Schlagwort\"\n",
                "de",
                "1: the translation of `Tag: {tag}` leaves out `{tag}`, which its English fills in",
            ),
            (
                "\"Tag: {tag}\" = \"Schlagwort: {tag} {count}\"\n",
                "de",
                "1: `{count}` in the translation of `Tag: {tag}` is not filled in: its English has `{tag}`",
            ),
            (
                "\"Sources\" = 3\n",
                "de",
                "1: the translation of `Sources` must be text",
            ),
        ];
        for (text, lang, want) in cases {
            assert_eq!(errors_of(text, lang), vec![want.to_string()], "{text}");
        }
        let long = format!(
            "\"Claims\" = \"x\"\n\"Sources\" = \"{}\"\n",
            "a".repeat(1 << 20)
        );
        assert_eq!(
            errors_of(&long, "de"),
            vec!["2: the translation of `Sources` is 1048576 bytes long; a translation holds at most 4096".to_string()]
        );
        // A form for one may leave out its count.
        assert!(
            errors_of(
                "\"{n} claims\" = { one = \"une affirmation\", other = \"{n} affirmations\" }\n",
                "fr"
            )
            .is_empty()
        );
        assert!(errors_of("\"{n} claim\" = \"{n} Behauptung\"\n", "de").is_empty());
    }
}

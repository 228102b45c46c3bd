//! The interface's words in the site's language. Every string of the default theme is
//! written in English where it is used — `{{ t(en="Sources") }}` in templates,
//! [`Strings::tr`] in Rust, `data-` attributes for the script — and that English text is
//! its key in the translation tables: the theme's `i18n/<language>.toml` (French and
//! Simplified Chinese ship with it), then the site's own `i18n/<language>.toml` and
//! `i18n/<tag>.toml`, which may add or override strings for any language. A string no
//! table translates is shown in English and listed by `dossier check`. `{name}` in a
//! string is filled in where it is used.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use crate::config::Settings;
use crate::content::date::{MONTHS, PartialDate};
use crate::diagnostics::Diagnostic;

/// The interface's strings for one language.
#[derive(Debug)]
pub struct Strings {
    /// The site's language tag.
    pub lang: String,
    /// Its primary subtag, lowercased: `zh` for `zh-CN`.
    primary: String,
    table: FxHashMap<String, String>,
    /// English strings asked for that no table translates (not kept for English).
    missing: Mutex<BTreeSet<String>>,
}

impl Strings {
    /// The strings for the site's language: the table `shipped` gives for its primary
    /// subtag, then the site's `i18n/<primary>.toml` and `i18n/<tag>.toml` over it.
    pub fn load(
        settings: &Settings,
        shipped: impl Fn(&str) -> Option<&'static str>,
    ) -> Result<Strings, Vec<Diagnostic>> {
        let lang = settings.config.language.clone();
        let primary = lang
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let mut table = FxHashMap::default();
        let mut errors = Vec::new();
        if let Some(text) = shipped(&primary) {
            let file = format!("(built-in theme)/i18n/{primary}.toml");
            merge(&mut table, text, &file, &mut errors);
        }
        let mut names = vec![primary.clone()];
        if lang != primary {
            names.push(lang.clone());
        }
        for name in names {
            let rel = format!("i18n/{name}.toml");
            if let Ok(text) = std::fs::read_to_string(settings.root.join(&rel)) {
                merge(&mut table, &text, &rel, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Strings {
            lang,
            primary,
            table,
            missing: Mutex::new(BTreeSet::new()),
        })
    }

    /// English, with no table: for what is written in English whatever the site's
    /// language (data files, digests) and for tests.
    pub fn english() -> &'static Strings {
        static ENGLISH: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
        ENGLISH.get_or_init(|| Strings {
            lang: "en".into(),
            primary: "en".into(),
            table: FxHashMap::default(),
            missing: Mutex::new(BTreeSet::new()),
        })
    }

    /// `en` in the site's language.
    pub fn tr<'a>(&'a self, en: &'a str) -> &'a str {
        match self.table.get(en) {
            Some(t) => t,
            None => {
                if self.primary != "en" {
                    self.missing
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(en.to_string());
                }
                en
            }
        }
    }

    /// `one` or `many` by the language's rule for `n` (French counts 0 as one, Chinese
    /// has one form), in the site's language.
    pub fn plural<'a>(&'a self, one: &'a str, many: &'a str, n: i64) -> &'a str {
        let singular = match self.primary.as_str() {
            "fr" => n == 0 || n == 1,
            _ => n == 1,
        };
        self.tr(if singular { one } else { many })
    }

    /// `en` in the site's language, with each `{name}` replaced by its value.
    pub fn fmt(&self, en: &str, args: &[(&str, &str)]) -> String {
        fill(self.tr(en), args)
    }
    /// A date as the language writes it: 15 April 2024, 15 avril 2024, 2024年4月15日.
    pub fn date(&self, d: &PartialDate) -> String {
        // English is written by the date itself, without lookups: dates are formatted for
        // every box of every map and every entry of every list.
        if self.primary == "en" && self.table.is_empty() {
            return d.human();
        }
        let month = d.month.map(|m| self.tr(MONTHS[usize::from(m) - 1]));
        let m = d.month.map(|m| m.to_string()).unwrap_or_default();
        let day = d.day.map(|day| match (self.primary.as_str(), day) {
            ("fr", 1) => "1er".to_string(),
            (_, day) => day.to_string(),
        });
        let year = d.year.to_string();
        let args = [
            ("year", year.as_str()),
            ("month", month.unwrap_or_default()),
            ("m", m.as_str()),
            ("day", day.as_deref().unwrap_or_default()),
        ];
        match (d.month, d.day) {
            (Some(_), Some(_)) => self.fmt("{day} {month} {year}", &args),
            (Some(_), None) => self.fmt("{month} {year}", &args),
            _ => year,
        }
    }

    /// A digest of the language and its table, for the build cache.
    pub fn digest(&self) -> u64 {
        let mut table: Vec<(&String, &String)> = self.table.iter().collect();
        table.sort_unstable();
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&(&self.lang, table), &mut h);
        std::hash::Hasher::finish(&h)
    }

    /// Whether no string asked for so far lacked a translation.
    pub fn none_missing(&self) -> bool {
        self.missing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    /// A warning listing the strings asked for that no table translates.
    pub fn missing(&self) -> Vec<Diagnostic> {
        let missing = self.missing.lock().unwrap_or_else(|e| e.into_inner());
        if missing.is_empty() {
            return Vec::new();
        }
        let list: Vec<String> = missing.iter().map(|s| format!("`{s}`")).collect();
        vec![Diagnostic::warning(
            format!("i18n/{}.toml", self.primary),
            0,
            0,
            format!(
                "{} interface string{} no translation into `{}` and {} shown in English: {}",
                list.len(),
                if list.len() == 1 { " has" } else { "s have" },
                self.lang,
                if list.len() == 1 { "is" } else { "are" },
                list.join(", ")
            ),
        )]
    }
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut s = text.to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// Adds a translation table's strings to `table`.
fn merge(
    table: &mut FxHashMap<String, String>,
    text: &str,
    file: &str,
    errors: &mut Vec<Diagnostic>,
) {
    match toml::from_str::<BTreeMap<String, String>>(text) {
        Ok(strings) => table.extend(strings),
        Err(e) => {
            let line = e.span().map_or(0, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            errors.push(Diagnostic::error(
                file,
                line,
                0,
                format!(
                    "a translation table holds `\"English\" = \"translation\"` lines: {}",
                    e.message()
                ),
            ));
        }
    }
}

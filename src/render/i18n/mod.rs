//! The interface's words in the site's language. Every string of the default theme is
//! written in English where it is used — `{{ t(en="Sources") }}` in templates,
//! [`Strings::tr`] in Rust, `data-` attributes for the script — and that English text is
//! its key in the translation tables: the theme's `i18n/<language>.toml` (French,
//! Simplified Chinese, German, Spanish, Russian, Ukrainian, Arabic and Persian ship with
//! it), then the site's own `i18n/<language>.toml` and `i18n/<tag>.toml`, which may add
//! or override strings for any language. Every key is in the [`catalogue`]. A string no
//! table translates is shown in English, marked `lang="en"` ([`markers`]), and counted
//! by `dossier check`. `{name}` in a string is filled in where it is used.

pub(crate) mod catalogue;
pub(crate) mod markers;
pub(crate) mod plural;
pub(crate) mod table;

use std::collections::BTreeSet;
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use crate::base::diagnostics::Diagnostic;
use crate::base::locale::{self, Numbers};
use crate::load::config::Settings;
use crate::load::content::date::{MONTHS, PartialDate};
pub(crate) use catalogue::{Catalogue, Item};
use table::Translation;

/// The most bytes a translation table may have.
const MAX_TABLE: u64 = 16 << 20;

/// One string's text in the site's language.
#[derive(Debug)]
struct Entry {
    text: Translation,
    /// Whether it is the English, shown until the string is translated (and marked so).
    english: bool,
}

/// The interface's strings for one language.
#[derive(Debug)]
pub struct Strings {
    /// The site's language tag.
    pub lang: String,
    /// Its primary subtag, lowercased: `zh` for `zh-CN`.
    primary: String,
    table: FxHashMap<String, Entry>,
    numbers: Numbers,
    /// English strings asked for that no table translates (not kept for English).
    missing: Mutex<BTreeSet<String>>,
}

impl Strings {
    /// The strings for the site's language: the table `shipped` gives for its primary
    /// subtag, then the site's `i18n/<primary>.toml` and `i18n/<tag>.toml` over it. A
    /// table may hold the strings of `known` (the catalogue and the site's templates').
    pub fn load(
        settings: &Settings,
        shipped: impl Fn(&str) -> Option<&'static str>,
        known: &Catalogue,
    ) -> Result<Strings, Vec<Diagnostic>> {
        let lang = settings.config.language.clone();
        let primary = crate::base::language::primary(&lang);
        let mut found: FxHashMap<String, Translation> = FxHashMap::default();
        let mut errors = Vec::new();
        let mut add = |text: &str, file: &str, errors: &mut Vec<Diagnostic>| {
            for (en, t) in table::read(text, file, &primary, known, errors) {
                found.entry(en).or_default().merge(t);
            }
        };
        if let Some(text) = shipped(&primary) {
            add(
                text,
                &format!("(built-in theme)/i18n/{primary}.toml"),
                &mut errors,
            );
        }
        let mut names = vec![primary.clone()];
        if lang != primary {
            names.push(lang.clone());
        }
        for name in names {
            let rel = format!("i18n/{name}.toml");
            if let Some(text) = read_table(settings, &rel, &mut errors) {
                add(&text, &rel, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut table: FxHashMap<String, Entry> = found
            .into_iter()
            .map(|(en, text)| {
                (
                    en,
                    Entry {
                        text,
                        english: false,
                    },
                )
            })
            .collect();
        if primary != "en" {
            for item in &known.items {
                table
                    .entry(item.en.clone())
                    .or_insert_with(|| english(item));
            }
        }
        Ok(Strings {
            numbers: locale::numbers(&primary),
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
            numbers: locale::numbers("en"),
            missing: Mutex::new(BTreeSet::new()),
        })
    }

    /// `en` in the site's language.
    pub fn tr<'a>(&'a self, en: &'a str) -> &'a str {
        match self.table.get(en) {
            Some(e) => {
                if e.english {
                    self.note_missing(en);
                }
                e.text.text().unwrap_or(en)
            }
            None => {
                self.note_missing(en);
                en
            }
        }
    }

    /// The form of `many` (English form for one: `one`) that the language uses for `n`,
    /// in the site's language.
    pub fn plural<'a>(&'a self, one: &'a str, many: &'a str, n: i64) -> &'a str {
        let english = plural::category("en", n);
        match self.table.get(many) {
            Some(e) if !e.english => {
                let c = plural::category(&self.primary, n);
                e.text.form(c).unwrap_or(many)
            }
            Some(e) => {
                self.note_missing(many);
                e.text.form(english).unwrap_or(many)
            }
            None => self.tr(if english == plural::Category::One {
                one
            } else {
                many
            }),
        }
    }

    /// Every plural form of `many` (English form for one: `one`) in the site's language,
    /// as CLDR names them, for the script to choose from (`Intl.PluralRules`); English
    /// marks are left out, since this goes into an attribute.
    pub(crate) fn plural_forms(&self, one: &str, many: &str) -> Vec<(&'static str, String)> {
        let (allowed, _) = plural::categories(&self.primary);
        let english = self.table.get(many).is_none_or(|e| e.english);
        if english {
            self.note_missing(many);
            return vec![("one", one.to_string()), ("other", many.to_string())];
        }
        allowed
            .into_iter()
            .filter_map(|c| {
                let text = self.table.get(many)?.text.form(c)?;
                Some((c.name(), text.to_string()))
            })
            .collect()
    }

    fn note_missing(&self, en: &str) {
        if self.primary != "en" {
            self.missing
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(en.to_string());
        }
    }

    /// `en` in the site's language, with each `{name}` replaced by its value.
    pub fn fmt(&self, en: &str, args: &[(&str, &str)]) -> String {
        fill(self.tr(en), args)
    }

    /// `{n}`-counted `many` (`one` for one) for `n`, with `n` written as the language
    /// writes numbers.
    pub fn count(&self, one: &str, many: &str, n: i64) -> String {
        fill(self.plural(one, many, n), &[("n", &self.number(n))])
    }

    /// `n` as the language writes it: its digits and grouping (12,128; 12.128; ١٢٬١٢٨).
    pub fn number(&self, n: i64) -> String {
        self.numbers.format(n)
    }

    /// A date as the language writes it: 15 April 2024, 15 avril 2024, 2024年4月15日,
    /// 15 апреля 2024 г.
    pub fn date(&self, d: &PartialDate) -> String {
        // English is written by the date itself, without lookups: dates are formatted for
        // every box of every map and every entry of every list.
        if self.primary == "en" && self.table.is_empty() {
            return d.human();
        }
        let digits = |s: String| self.numbers.digits_of(&s);
        let year = digits(d.year.to_string());
        let m = d.month.map(|m| digits(m.to_string())).unwrap_or_default();
        let day = d.day.map(|day| match (self.primary.as_str(), day) {
            ("fr", 1) => "1er".to_string(),
            (_, day) => digits(day.to_string()),
        });
        let args = |month: &'static str| {
            [
                ("year", year.clone()),
                ("month", self.tr(month).to_string()),
                ("m", m.clone()),
                ("day", day.clone().unwrap_or_default()),
            ]
        };
        let filled = |en: &str, month: &'static str| {
            let args = args(month);
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            fill(self.tr(en), &args)
        };
        match (d.month, d.day) {
            (Some(mo), Some(_)) => filled("{day} {month} {year}", MONTHS[usize::from(mo) - 1]),
            (Some(mo), None) => {
                let i = usize::from(mo) - 1;
                filled(MONTH_YEAR[i], MONTHS[i])
            }
            _ => year,
        }
    }

    /// Whether the language is written right to left.
    pub fn rtl(&self) -> bool {
        locale::is_rtl(&self.primary)
    }

    /// Whether some string of the interface is shown in English: its pages then carry
    /// marks to resolve ([`markers`]).
    pub(crate) fn incomplete(&self) -> bool {
        self.table.values().any(|e| e.english)
    }

    /// A digest of the language and its table, for the build cache.
    pub fn digest(&self) -> u64 {
        let mut table: Vec<(&String, &Translation, bool)> = self
            .table
            .iter()
            .map(|(k, e)| (k, &e.text, e.english))
            .collect();
        table.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&(&self.lang, table), &mut h);
        std::hash::Hasher::finish(&h)
    }

    /// Whether no string asked for so far lacked a translation.
    pub(crate) fn none_missing(&self) -> bool {
        self.missing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    /// One warning counting the strings asked for that no table translates, naming the
    /// file to edit; `--message-format json` lists each.
    pub fn missing(&self) -> Vec<Diagnostic> {
        let missing = self.missing.lock().unwrap_or_else(|e| e.into_inner());
        if missing.is_empty() {
            return Vec::new();
        }
        let file = format!("i18n/{}.toml", self.primary);
        let n = missing.len();
        let each: Vec<Diagnostic> = missing
            .iter()
            .map(|s| {
                Diagnostic::warning(
                    file.as_str(),
                    0,
                    0,
                    format!(
                        "`{s}` has no translation into `{}` and is shown in English",
                        self.lang
                    ),
                )
            })
            .collect();
        let mut d = Diagnostic::warning(
            file.as_str(),
            0,
            0,
            format!(
                "{n} interface string{} no translation into `{}` and {} shown in English; `dossier i18n {}` writes {} into this file to translate",
                if n == 1 { " has" } else { "s have" },
                self.lang,
                if n == 1 { "is" } else { "are" },
                self.primary,
                if n == 1 { "it" } else { "them" },
            ),
        );
        d.each = each.into_boxed_slice();
        vec![d]
    }
}

/// The keys of dates of a month without a day, by month.
const MONTH_YEAR: [&str; 12] = [
    "January {year}",
    "February {year}",
    "March {year}",
    "April {year}",
    "May {year}",
    "June {year}",
    "July {year}",
    "August {year}",
    "September {year}",
    "October {year}",
    "November {year}",
    "December {year}",
];

/// The English of `item`, marked as shown in English.
fn english(item: &Item) -> Entry {
    let mut text = Translation {
        all: Some(markers::mark(&item.en)),
        ..Translation::default()
    };
    if let Some(one) = &item.one {
        text.forms[plural::Category::One.index()] = Some(markers::mark(one));
    }
    Entry {
        text,
        english: true,
    }
}

/// The site's translation table `rel`, if it has one that can be read.
fn read_table(settings: &Settings, rel: &str, errors: &mut Vec<Diagnostic>) -> Option<String> {
    let path = settings.root.join(rel);
    let meta = std::fs::metadata(&path).ok()?;
    let problem = if meta.len() > MAX_TABLE {
        format!(
            "a translation table of {} MB is too large; one holds at most {} MB",
            meta.len() >> 20,
            MAX_TABLE >> 20
        )
    } else {
        match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(text)) => return Some(text),
            Ok(Err(e)) => format!(
                "a translation table is UTF-8 text; byte {} is not",
                e.utf8_error().valid_up_to()
            ),
            Err(e) => format!("cannot read the translation table: {e}"),
        }
    };
    errors.push(Diagnostic::error(rel, 0, 0, problem));
    None
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut s = text.to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The languages whose tables the theme ships.
    const SHIPPED: [&str; 8] = ["fr", "zh", "de", "es", "ru", "uk", "ar", "fa"];

    #[test]
    fn every_shipped_table_translates_every_string_in_every_form() {
        let catalogue = Catalogue::shipped();
        for lang in SHIPPED {
            let text = crate::render::templates::shipped_table(lang).unwrap_or_default();
            let mut errors = Vec::new();
            let read = table::read(text, lang, lang, catalogue, &mut errors);
            assert!(errors.is_empty(), "{lang}: {errors:?}");
            let (_, needed) = plural::categories(lang);
            for item in &catalogue.items {
                let t = read.iter().find(|(en, _)| *en == item.en).map(|(_, t)| t);
                let Some(t) = t else {
                    panic!("{lang}: `{}` has no translation", item.en)
                };
                let complete = match item.one {
                    Some(_) => needed.iter().all(|&c| t.form(c).is_some()),
                    None => t.text().is_some(),
                };
                assert!(complete, "{lang}: `{}` lacks a form", item.en);
            }
        }
    }

    #[test]
    fn tables_in_other_scripts_leave_no_english_word() {
        // Names of formats and standards are written as they are in every language.
        const KEPT: [&str; 10] = [
            "HTML",
            "PDF",
            "Markdown",
            "RFC",
            "UTC",
            "JSON",
            "CSL",
            "kB",
            "MB",
            "JavaScript",
        ];
        for lang in ["zh", "ru", "uk", "ar", "fa"] {
            let text = crate::render::templates::shipped_table(lang).unwrap_or_default();
            let mut errors = Vec::new();
            for (en, t) in table::read(text, lang, lang, Catalogue::shipped(), &mut errors) {
                for form in t.all.iter().chain(t.forms.iter().flatten()) {
                    let words: String = form
                        .split(['{', '}'])
                        .step_by(2)
                        .collect::<Vec<_>>()
                        .join(" ");
                    let english = words
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .filter(|w| !w.is_empty())
                        .find(|w| !KEPT.contains(w));
                    assert_eq!(english, None, "{lang}: `{en}` = `{form}`");
                }
            }
        }
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        let date = |y, m, d| PartialDate {
            year: y,
            month: m,
            day: d,
        };
        let cases = [
            ("de", "15. April 2024", "April 2024"),
            ("es", "15 de abril de 2024", "abril de 2024"),
            ("ru", "15 апреля 2024 г.", "апрель 2024 г."),
            ("uk", "15 квітня 2024 р.", "квітень 2024 р."),
            ("ar", "١٥ أبريل ٢٠٢٤", "أبريل ٢٠٢٤"),
            ("fa", "۱۵ آوریل ۲۰۲۴", "آوریل ۲۰۲۴"),
            ("zh", "2024年4月15日", "2024年4月"),
        ];
        for (lang, day, month) in cases {
            let mut table = FxHashMap::default();
            let text = crate::render::templates::shipped_table(lang).unwrap_or_default();
            let mut errors = Vec::new();
            for (en, t) in table::read(text, lang, lang, Catalogue::shipped(), &mut errors) {
                table.insert(
                    en,
                    Entry {
                        text: t,
                        english: false,
                    },
                );
            }
            let s = Strings {
                lang: lang.into(),
                primary: lang.into(),
                table,
                numbers: locale::numbers(lang),
                missing: Mutex::new(BTreeSet::new()),
            };
            assert_eq!(s.date(&date(2024, Some(4), Some(15))), day);
            assert_eq!(s.date(&date(2024, Some(4), None)), month);
            assert!(s.none_missing(), "{lang}");
        }
    }
}

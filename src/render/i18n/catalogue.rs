//! The catalogue of the default theme's interface strings (`catalogue.toml`): each by its
//! English text, where it appears, and for a string with a count its English form for
//! one. It is what a translation table may hold and what `dossier i18n` writes.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;

/// One string of the interface.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its English text, which is its key.
    pub en: String,
    /// For a string with a count, its English form for one.
    pub one: Option<String>,
    /// Where it appears, for a translator.
    pub place: String,
    /// Placeholders filled in besides those of its English, each with the one it may
    /// stand in for (`{m}`, the month's number, for `{month}`, its name).
    pub also: Vec<(String, String)>,
}

/// Every string of the interface, in the catalogue's order.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub items: Vec<Item>,
    by_key: FxHashMap<String, usize>,
    /// English forms for one, by text: the key of the string they belong to.
    ones: FxHashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    #[serde(rename = "where")]
    place: String,
    one: Option<String>,
    #[serde(default)]
    instead: std::collections::BTreeMap<String, String>,
}

impl Catalogue {
    /// The default theme's catalogue.
    pub(crate) fn shipped() -> &'static Catalogue {
        static SHIPPED: OnceLock<Catalogue> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            let mut c = Catalogue::default();
            // One string per line, read line by line so that the file's order is kept.
            for line in include_str!("catalogue.toml").lines() {
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                let parsed: std::collections::BTreeMap<String, Spec> =
                    toml::from_str(line).unwrap_or_default();
                for (en, spec) in parsed {
                    c.add(Item {
                        en,
                        one: spec.one,
                        place: spec.place,
                        also: spec.instead.into_iter().collect(),
                    });
                }
            }
            c
        })
    }

    /// Adds `item`, unless a string of its text is already there.
    pub fn add(&mut self, item: Item) {
        if self.by_key.contains_key(&item.en) {
            return;
        }
        let i = self.items.len();
        self.by_key.insert(item.en.clone(), i);
        if let Some(one) = &item.one {
            self.ones.insert(one.clone(), i);
        }
        self.items.push(item);
    }

    /// The string whose English text is `en`.
    pub fn get(&self, en: &str) -> Option<&Item> {
        self.by_key.get(en).map(|&i| &self.items[i])
    }

    /// The string with a count whose English form for one is `one`.
    pub(crate) fn of_one(&self, one: &str) -> Option<&Item> {
        self.ones.get(one).map(|&i| &self.items[i])
    }

    /// This catalogue with the strings of a site's own templates added.
    pub fn with(&self, extra: Vec<Item>) -> Catalogue {
        let mut c = Catalogue::default();
        for item in self.items.iter().cloned().chain(extra) {
            c.add(item);
        }
        c
    }
}

/// The literal strings a template asks for: `t(en="…")`, with its `one="…"` when it has
/// one, each placed in the template `name`.
pub(crate) fn asked_by_template(name: &str, text: &str) -> Vec<Item> {
    const OPEN: &str = "t(en=\"";
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        rest = &rest[at + OPEN.len()..];
        let Some((en, after)) = quoted(rest) else {
            continue;
        };
        let one = after
            .trim_start()
            .strip_prefix(',')
            .map(str::trim_start)
            .and_then(|a| a.strip_prefix("one=\""))
            .and_then(quoted)
            .map(|(one, _)| one);
        out.push(Item {
            en,
            one,
            place: format!("template {name}"),
            also: Vec::new(),
        });
    }
    out
}

/// The string quoted at the start of `text` (its opening quote already read), with `\"`
/// undone, and what follows its closing quote.
fn quoted(text: &str) -> Option<(String, &str)> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some((text[..i].replace("\\\"", "\""), &text[i + 1..])),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_is_read_whole() {
        let c = Catalogue::shipped();
        let lines = include_str!("catalogue.toml")
            .lines()
            .filter(|l| l.starts_with('"'))
            .count();
        assert_eq!(c.items.len(), lines);
        assert_eq!(
            c.get("{n} claims").and_then(|i| i.one.as_deref()),
            Some("{n} claim")
        );
        assert_eq!(
            c.of_one("{n} claim").map(|i| i.en.as_str()),
            Some("{n} claims")
        );
    }

    #[test]
    fn templates_give_their_literal_strings() {
        let asked = asked_by_template(
            "x.html",
            r#"{{ t(en="Say \"hi\"") }} {{ t(en="{n} cats", one="{n} cat", n=2) }} {{ t(en=a.kind) }}"#,
        );
        let got: Vec<(&str, Option<&str>)> = asked
            .iter()
            .map(|i| (i.en.as_str(), i.one.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![("Say \"hi\"", None), ("{n} cats", Some("{n} cat"))]
        );
    }
}

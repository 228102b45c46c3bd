//! Translations: a file `<name>.<tag>.md` beside `<name>.md` is that entry (or page) in
//! the language `tag` of `[languages]`. Its front matter gives the keys it translates;
//! every key it leaves out, and its body when it has none, come from the original.
//! [`edition`] makes the content of one language's edition from the originals and their
//! translations; the rest of the pipeline treats it like any other content.

use std::collections::HashMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::date::PartialDate;
use super::frontmatter::Format;
use super::meta::HomeMeta;
use super::{Content, Document, EntryKind, Item, Origin};
use crate::base::diagnostics::{Diagnostic, Diagnostics};

/// Original's path under `content/` → the tags of the languages it is translated into.
pub(crate) type Translations = std::collections::BTreeMap<String, Vec<String>>;

/// The key a translation records the original's `updated` date it was made from with.
pub(crate) const FROM_DATE: &str = "translated_from_date";

/// One translation file, read and parsed, not yet merged with its original.
#[derive(Debug, Clone)]
pub struct Translation {
    /// Its language tag, from its name.
    pub lang: String,
    /// `None` for a plain page or the home page.
    pub kind: Option<EntryKind>,
    /// The original's id, or its page path (empty for the home page).
    pub id: String,
    pub doc: Arc<Document>,
    front: Front,
    /// The original's `updated` date it translates, if it says.
    pub from_date: Option<PartialDate>,
    /// A draft translation is left out: the original stands in its edition.
    pub draft: bool,
}

/// Front matter parsed but not yet typed.
#[derive(Debug, Clone)]
enum Front {
    Toml(toml::Table),
    Yaml(serde_norway::Mapping),
}

impl Translation {
    /// Reads a translation's front matter; an error is located in its file.
    pub(super) fn new(
        lang: String,
        kind: Option<EntryKind>,
        id: String,
        doc: Document,
    ) -> Result<Translation, Diagnostic> {
        let mut front = match doc.format {
            Format::Toml => Front::Toml(doc.parse()?),
            Format::Yaml => Front::Yaml(doc.parse()?),
        };
        let from_date = match front.take(FROM_DATE) {
            Some(v) => Some(v.deserialize::<PartialDate>(FROM_DATE).map_err(|m| {
                doc.error_at(FROM_DATE, None, format!("invalid front matter: {m}"))
            })?),
            None => None,
        };
        let draft = match front.take("draft") {
            Some(v) => v
                .deserialize::<bool>("draft")
                .map_err(|m| doc.error_at("draft", None, format!("invalid front matter: {m}")))?,
            None => false,
        };
        Ok(Translation {
            lang,
            kind,
            id,
            doc: Arc::new(doc),
            front,
            from_date,
            draft,
        })
    }

    /// Where the original is, relative to `content/`: `claims/x.md` for
    /// `claims/x.fr.md`.
    pub(crate) fn original_path(&self) -> String {
        original_path(&self.doc.content_path, &self.lang)
    }
}

/// The original of the translation at `content_path` into `lang`: `claims/x.md` for
/// `claims/x.fr.md`.
pub(super) fn original_path(content_path: &str, lang: &str) -> String {
    let stem = content_path.trim_end_matches(".md");
    let stem = stem.strip_suffix(&format!(".{lang}")).unwrap_or(stem);
    format!("{stem}.md")
}

/// A value taken out of a front matter, in its format.
enum Taken {
    Toml(toml::Value),
    Yaml(serde_norway::Value),
}

impl Taken {
    /// The value as a `T`, or what is wrong with it in the writer's words.
    fn deserialize<T: DeserializeOwned>(self, key: &str) -> Result<T, String> {
        let yaml = matches!(self, Taken::Yaml(_));
        self.raw()
            .map_err(|m| crate::base::words::in_words(&m, Some(key), yaml).0)
    }

    /// The value as a `T`, or the parser's message.
    fn raw<T: DeserializeOwned>(self) -> Result<T, String> {
        match self {
            Taken::Toml(v) => T::deserialize(v).map_err(|e| e.message().to_string()),
            Taken::Yaml(v) => serde_norway::from_value(v).map_err(|e| e.to_string()),
        }
    }
}

impl Front {
    fn take(&mut self, key: &str) -> Option<Taken> {
        match self {
            Front::Toml(t) => t.remove(key).map(Taken::Toml),
            Front::Yaml(m) => m.remove(key).map(Taken::Yaml),
        }
    }

    fn keys(&self) -> Vec<String> {
        match self {
            Front::Toml(t) => t.keys().cloned().collect(),
            Front::Yaml(m) => m
                .keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect(),
        }
    }
}

/// The original's front matter with the translation's keys (all of them, or only `only`)
/// in place of its own, typed.
fn merge<M: DeserializeOwned>(
    original: &Document,
    tr: &Translation,
    only: Option<&str>,
) -> Result<M, String> {
    match (&tr.front, original.format) {
        (Front::Toml(own), Format::Toml) => {
            let mut t: toml::Table = toml::from_str(&original.front).map_err(|e| e.to_string())?;
            for (k, v) in own.iter().filter(|(k, _)| only.is_none_or(|o| o == *k)) {
                t.insert(k.clone(), v.clone());
            }
            Taken::Toml(toml::Value::Table(t)).raw()
        }
        (Front::Yaml(own), Format::Yaml) => {
            let mut m: serde_norway::Mapping = if original.front.trim().is_empty() {
                serde_norway::Mapping::new()
            } else {
                serde_norway::from_str(&original.front).map_err(|e| e.to_string())?
            };
            for (k, v) in own
                .iter()
                .filter(|(k, _)| only.is_none_or(|o| k.as_str() == Some(o)))
            {
                m.insert(k.clone(), v.clone());
            }
            Taken::Yaml(serde_norway::Value::Mapping(m)).raw()
        }
        _ => Err(String::new()),
    }
}

/// The translated item: the original's front matter under the translation's, located in
/// whichever file gives each key; the translation's body, or the original's when it has
/// none. An error is reported at the translation's key that causes it.
fn translate<M: DeserializeOwned>(
    item: &Item<M>,
    tr: &Translation,
    diags: &Diagnostics,
) -> Option<Item<M>> {
    let original = &item.doc;
    if original.format != tr.doc.format {
        let (has, wants) = match original.format {
            Format::Toml => ("`+++` (TOML)", "`---` (YAML)"),
            Format::Yaml => ("`---` (YAML)", "`+++` (TOML)"),
        };
        diags.push(Diagnostic::error(
            &tr.doc.file,
            1,
            1,
            format!("a translation's front matter must be written like its original's: `{}` uses {has}, this file {wants}", original.file),
        ));
        return None;
    }
    let meta = match merge::<M>(original, tr, None) {
        Ok(m) => m,
        Err(message) => {
            let key = tr
                .front
                .keys()
                .into_iter()
                .find(|k| merge::<M>(original, tr, Some(k)).is_err());
            let (line, col) = key.as_ref().map_or((1, 1), |k| tr.doc.locate(k, None));
            let yaml = tr.doc.format == Format::Yaml;
            let (message, suggestion) =
                crate::base::words::in_words(&message, key.as_deref(), yaml);
            diags.push(
                Diagnostic::error(
                    &tr.doc.file,
                    line,
                    col,
                    format!("invalid front matter: {message}"),
                )
                .suggest(suggestion),
            );
            return None;
        }
    };
    let own_body = !tr.doc.body.trim().is_empty();
    let doc = Document {
        file: tr.doc.file.clone(),
        content_path: original.content_path.clone(),
        format: tr.doc.format,
        front: tr.doc.front.clone(),
        front_line: tr.doc.front_line,
        body: if own_body {
            tr.doc.body.clone()
        } else {
            original.body.clone()
        },
        body_line: if own_body {
            tr.doc.body_line
        } else {
            original.body_line
        },
        origin: Some(Origin {
            original: original.clone(),
            translation: tr.doc.clone(),
            body_inherited: !own_body,
        }),
    };
    Some(Item::new(item.id.clone(), doc, meta))
}

/// The content of the edition in `lang`: each entry and page in its translation where it
/// has one (merged with its original), else as it is. Items of `previous` (the edition's
/// last content, in the preview) whose original and translation are the same files as
/// read are kept as they were, so that an edit elsewhere leaves them unchanged.
pub fn edition(
    content: &Content,
    lang: &str,
    diags: &Diagnostics,
    previous: Option<&Content>,
) -> Content {
    let mut by_original: HashMap<Key<'_>, &Translation> = HashMap::new();
    for t in content
        .translations
        .iter()
        .filter(|t| t.lang == lang && !t.draft)
    {
        by_original.insert((t.kind, t.id.as_str()), t);
    }
    fn each<M: DeserializeOwned + Clone>(
        items: &[Item<M>],
        before: Option<&[Item<M>]>,
        kind: Option<EntryKind>,
        found: &HashMap<Key<'_>, &Translation>,
        diags: &Diagnostics,
    ) -> Vec<Item<M>> {
        let before: HashMap<&str, &Item<M>> = before
            .unwrap_or_default()
            .iter()
            .map(|i| (i.id.as_str(), i))
            .collect();
        items
            .iter()
            .map(|i| {
                let Some(t) = found.get(&(kind, i.id.as_str())) else {
                    return i.clone();
                };
                let unchanged = before.get(i.id.as_str()).filter(|b| {
                    b.doc.origin.as_ref().is_some_and(|o| {
                        Arc::ptr_eq(&o.original, &i.doc) && Arc::ptr_eq(&o.translation, &t.doc)
                    })
                });
                match unchanged {
                    Some(b) => (*b).clone(),
                    None => translate(i, t, diags).unwrap_or_else(|| i.clone()),
                }
            })
            .collect()
    }
    let f = &by_original;
    let p = previous;
    Content {
        claims: each(
            &content.claims,
            p.map(|p| &p.claims[..]),
            Some(EntryKind::Claim),
            f,
            diags,
        ),
        sources: each(
            &content.sources,
            p.map(|p| &p.sources[..]),
            Some(EntryKind::Source),
            f,
            diags,
        ),
        actors: each(
            &content.actors,
            p.map(|p| &p.actors[..]),
            Some(EntryKind::Actor),
            f,
            diags,
        ),
        events: each(
            &content.events,
            p.map(|p| &p.events[..]),
            Some(EntryKind::Event),
            f,
            diags,
        ),
        pages: each(&content.pages, p.map(|p| &p.pages[..]), None, f, diags),
        home: content.home.as_ref().map(|h| {
            let before = p.and_then(|p| p.home.as_ref()).map(std::slice::from_ref);
            each::<HomeMeta>(std::slice::from_ref(h), before, None, f, diags).remove(0)
        }),
        assets: content.assets.clone(),
        drafts: content.drafts.clone(),
        broken: content.broken.clone(),
        translations: content.translations.clone(),
    }
}

/// The languages each original is translated into (drafts left out), by its path under
/// `content/`.
pub fn translated(content: &Content) -> Translations {
    let mut map = Translations::new();
    for t in content.translations.iter().filter(|t| !t.draft) {
        let langs: &mut Vec<String> = map.entry(t.original_path()).or_default();
        langs.push(t.lang.clone());
        langs.sort();
    }
    map
}

/// An original by kind (`None` for a plain page or the home page) and id or page path.
type Key<'a> = (Option<EntryKind>, &'a str);

/// Each original's `updated` date and file.
fn originals(content: &Content) -> HashMap<Key<'_>, (Option<PartialDate>, &str)> {
    fn add<'a, M>(
        map: &mut HashMap<Key<'a>, (Option<PartialDate>, &'a str)>,
        kind: Option<EntryKind>,
        items: &'a [Item<M>],
        updated: impl Fn(&M) -> Option<PartialDate>,
    ) {
        for i in items {
            map.insert((kind, &i.id), (updated(&i.meta), &i.doc.file));
        }
    }
    let mut map = HashMap::new();
    add(&mut map, Some(EntryKind::Claim), &content.claims, |m| {
        m.updated
    });
    add(&mut map, Some(EntryKind::Source), &content.sources, |m| {
        m.updated
    });
    add(&mut map, Some(EntryKind::Actor), &content.actors, |m| {
        m.updated
    });
    add(&mut map, Some(EntryKind::Event), &content.events, |m| {
        m.updated
    });
    add(&mut map, None, &content.pages, |m| m.updated);
    add(&mut map, None, content.home.as_slice(), |m| m.updated);
    map
}

/// Checks every translation against the originals: one without an original is an error;
/// one made from an older `updated` date of its original than the original now has (or
/// that does not say, when the original has one) is a warning.
pub fn check(content: &Content, diags: &Diagnostics) {
    let updated = originals(content);
    let elsewhere: std::collections::HashSet<(Option<EntryKind>, &str)> = content
        .broken
        .iter()
        .map(|b| (b.kind, b.id.as_str()))
        .collect();
    for t in &content.translations {
        let key = (t.kind, t.id.as_str());
        match updated.get(&key) {
            None if elsewhere.contains(&key) || content.drafts.contains(&t.id) => {}
            None => diags.push(Diagnostic::error(
                &t.doc.file,
                1,
                1,
                format!(
                    "a translation into `{}` of `content/{}`, which does not exist; name it after the file it translates",
                    t.lang,
                    t.original_path()
                ),
            )),
            Some((Some(updated), file)) => {
                let stale = match t.from_date {
                    Some(from) => from < *updated,
                    None => true,
                };
                if stale {
                    let (line, col) = t.doc.locate(FROM_DATE, None);
                    let from = t
                        .from_date
                        .map_or("does not say which version it translates".to_string(), |d| {
                            format!("translates the version of {}", d)
                        });
                    diags.push(
                        Diagnostic::warning(
                            &t.doc.file,
                            line,
                            col,
                            format!(
                                "this translation may be out of date: `{file}` was updated on {}, and this translation {from}; bring it up to date, then set `{FROM_DATE}`",
                                updated
                            ),
                        )
                        .suggest(Some(format!("{FROM_DATE} = \"{}\"", updated)))
                        .many(&crate::base::diagnostics::Many {
 what: "translations may be out of date: their originals were updated since",
 advice: "bring each up to date, then set its `translated_from_date` to its original's `updated`",
 }),
                    );
                }
            }
            Some((None, _)) => {}
        }
    }
}

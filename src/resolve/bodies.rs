//! Rendering bodies against the link index, and the cache of rendered bodies that the
//! preview keeps in memory and a build keeps on disk.

use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::Cx;
use crate::load::content::Document;
use crate::resolve::links::LinkIndex;
use crate::resolve::markdown::{self, Rendered};

/// The settings bodies are rendered with: base path, raw-HTML switch and highlighting
/// theme.
pub(crate) type BodyEnv = (String, bool, String);

/// Rendered bodies kept between builds: a body is rendered again only when its text or
/// one of the link-index answers it depended on has changed.
#[derive(Default)]
pub struct BodyCache {
    /// The settings the bodies were rendered with.
    env: BodyEnv,
    /// The digest of the link index the cached bodies were last checked against.
    index_digest: Option<u64>,
    entries: FxHashMap<String, CachedBody>,
}

struct CachedBody {
    /// The document it was rendered from, when kept in memory (the preview).
    doc: Option<Arc<Document>>,
    /// A digest of the text it was rendered from (see [`text_digest`]).
    text: u64,
    rendered: Arc<Rendered>,
    answers: Vec<u64>,
}

/// A rendered body as the build cache stores it, by the path of its file under `content/`.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct StoredBody {
    pub content_path: String,
    text: u64,
    rendered: Rendered,
    answers: Vec<u64>,
}

/// The bodies of a cache as the build cache writes them: as a list of [`StoredBody`],
/// borrowed rather than copied.
impl serde::Serialize for BodyCache {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Borrowed<'a> {
            content_path: &'a str,
            text: u64,
            rendered: &'a Rendered,
            answers: &'a [u64],
        }
        s.collect_seq(self.entries.iter().map(|(path, c)| Borrowed {
            content_path: path,
            text: c.text,
            rendered: &c.rendered,
            answers: &c.answers,
        }))
    }
}

/// What a body's rendering depends on in its document: its text, where it starts and the
/// file named in its diagnostics.
fn text_digest(doc: &Document) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (&doc.body, doc.body_line, &doc.file).hash(&mut h);
    h.finish()
}

impl BodyCache {
    /// The settings the cached bodies were rendered with.
    pub fn env(&self) -> &BodyEnv {
        &self.env
    }

    /// A cache holding what [`BodyCache::stored`] gave; each body is checked against its
    /// document's text and the link index before it is used.
    pub fn restored(env: BodyEnv, bodies: Vec<StoredBody>) -> BodyCache {
        let entries = bodies
            .into_iter()
            .map(|b| {
                let cached = CachedBody {
                    doc: None,
                    text: b.text,
                    rendered: Arc::new(b.rendered),
                    answers: b.answers,
                };
                (b.content_path, cached)
            })
            .collect();
        BodyCache {
            env,
            index_digest: None,
            entries,
        }
    }

    fn get(&self, doc: &Arc<Document>, index: &LinkIndex) -> Option<Arc<Rendered>> {
        let c = self.entries.get(&doc.content_path)?;
        let same_doc = c.doc.as_ref().is_some_and(|d| Arc::ptr_eq(d, doc));
        if same_doc && self.index_digest == Some(index.digest) {
            return Some(c.rendered.clone());
        }
        let same_text = same_doc || c.text == text_digest(doc);
        let same_answers = c
            .rendered
            .lookups
            .iter()
            .zip(&c.answers)
            .all(|(q, &a)| index.answer(q) == a);
        (same_text && same_answers).then(|| c.rendered.clone())
    }
}

/// Drops cached bodies of files that no longer exist.
pub(super) fn prune(cache: &mut BodyCache, docs: &[&Arc<Document>]) {
    if cache.entries.len() > docs.len() {
        let live: FxHashSet<&str> = docs.iter().map(|d| d.content_path.as_str()).collect();
        cache.entries.retain(|k, _| live.contains(k.as_str()));
    }
}

impl Cx<'_> {
    /// Renders `docs` in parallel, reusing what `cache` holds and keeping what renders
    /// without problems.
    pub(super) fn bodies(
        &self,
        cache: &mut BodyCache,
        docs: &[&Arc<Document>],
    ) -> Vec<Arc<Rendered>> {
        let env = markdown::Env {
            index: self.index,
            base_path: &self.settings.base_path,
            raw_html: self.settings.config.markdown.raw_html,
            highlight_theme: &self.settings.config.markdown.highlight_theme,
        };
        let env_key = (
            self.settings.base_path.clone(),
            env.raw_html,
            env.highlight_theme.to_string(),
        );
        if cache.env != env_key {
            *cache = BodyCache {
                env: env_key,
                ..BodyCache::default()
            };
        }
        let old: &BodyCache = cache;
        let rendered: Vec<(Arc<Rendered>, bool)> = docs
            .par_iter()
            .map(|doc| {
                if let Some(r) = old.get(doc, self.index) {
                    return (r, false);
                }
                let r = markdown::render(
                    &markdown::Input {
                        file: doc.body_file(),
                        content_path: &doc.content_path,
                        body: &doc.body,
                        body_line: doc.body_line,
                    },
                    &env,
                );
                for d in &r.diagnostics {
                    self.diags.push(d.clone());
                }
                (Arc::new(r), true)
            })
            .collect();
        for (doc, (r, fresh)) in docs.iter().zip(&rendered) {
            if !fresh {
                continue;
            }
            if r.diagnostics.is_empty() {
                let answers = r.lookups.iter().map(|q| self.index.answer(q)).collect();
                let entry = CachedBody {
                    doc: Some(Arc::clone(doc)),
                    text: text_digest(doc),
                    rendered: r.clone(),
                    answers,
                };
                cache.entries.insert(doc.content_path.clone(), entry);
            } else {
                cache.entries.remove(&doc.content_path);
            }
        }
        cache.index_digest = Some(self.index.digest);
        rendered.into_iter().map(|(r, _)| r).collect()
    }
}

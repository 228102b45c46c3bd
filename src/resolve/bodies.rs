//! Rendering bodies against the link index, and the preview's cache of rendered bodies.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::Cx;
use crate::content::Document;
use crate::links::LinkIndex;
use crate::markdown::{self, Rendered};

/// Rendered bodies kept between builds of the preview: a body is rendered again only when
/// its text or one of the link-index answers it depended on has changed.
#[derive(Default)]
pub struct BodyCache {
    /// The settings the bodies were rendered with: base path, raw-HTML switch and
    /// highlighting theme.
    env: (String, bool, String),
    /// The digest of the link index the cached bodies were last checked against.
    index_digest: Option<u64>,
    entries: FxHashMap<String, CachedBody>,
}

struct CachedBody {
    doc: Arc<Document>,
    rendered: Arc<Rendered>,
    answers: Vec<u64>,
}

impl BodyCache {
    fn get(&self, doc: &Arc<Document>, index: &LinkIndex) -> Option<Arc<Rendered>> {
        let c = self.entries.get(&doc.content_path)?;
        if Arc::ptr_eq(&c.doc, doc) && self.index_digest == Some(index.digest) {
            return Some(c.rendered.clone());
        }
        let same_text = Arc::ptr_eq(&c.doc, doc)
            || (c.doc.body == doc.body
                && c.doc.body_line == doc.body_line
                && c.doc.file == doc.file);
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
                    doc: Arc::clone(doc),
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

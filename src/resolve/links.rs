//! The link index: every id and content file a Markdown body or a front-matter key may
//! name, with what a link to it needs. Built by `resolve`, read by `markdown` and by
//! every later stage that looks an id up.

use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};

use crate::load::content::EntryKind;

/// What a cross-link to an id needs.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: EntryKind,
    /// Where the entry sits in its kind's vector of the dossier (sorted by id); `None`
    /// for an entry whose file could not be read or parsed: it exists, so references to
    /// it are not errors of their own, but it is not in the dossier.
    pub pos: Option<usize>,
    pub title: String,
    pub url: String,
}

/// One question a Markdown body asked of the [`LinkIndex`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lookup {
    /// A claim, source or actor id: its kind, title and URL.
    Id(String),
    /// A claim, source or actor id: only its kind.
    Kind(String),
    /// A content-relative file path.
    File(String),
}

/// Everything a Markdown body may link to.
#[derive(Debug, Clone, Default)]
pub struct LinkIndex {
    /// Claim, source and actor ids.
    pub ids: FxHashMap<String, Target>,
    /// Content-relative paths of published Markdown files and copied files, to their URLs.
    pub files: FxHashMap<String, String>,
    /// Ids and page paths left out as drafts.
    pub drafts: FxHashSet<String>,
    /// Content-relative paths of files kept as evidence and not published.
    pub withheld: FxHashSet<String>,
    /// Ids that two files take (reported at the second): whatever kind a reference
    /// wants, it is not reported again.
    pub duplicates: FxHashSet<String>,
    /// A digest of all of the above: equal digests give equal answers to every [`Lookup`].
    pub digest: u64,
}

impl LinkIndex {
    /// Where the entry `id` of `kind` sits in its kind's vector, if it is in the dossier.
    pub fn pos(&self, id: &str, kind: EntryKind) -> Option<usize> {
        self.ids
            .get(id)
            .filter(|t| t.kind == kind)
            .and_then(|t| t.pos)
    }

    /// A digest of the answer to `q`: equal digests mean a body asking it renders the same.
    pub fn answer(&self, q: &Lookup) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        match q {
            Lookup::Id(id) => {
                (self.drafts.contains(id), self.duplicates.contains(id)).hash(&mut h);
                if let Some(t) = self.ids.get(id) {
                    (t.kind.name(), &t.title, &t.url).hash(&mut h);
                }
            }
            Lookup::Kind(id) => {
                (self.drafts.contains(id), self.duplicates.contains(id)).hash(&mut h);
                self.ids.get(id).map(|t| t.kind.name()).hash(&mut h);
            }
            Lookup::File(path) => {
                (self.files.get(path), self.withheld.contains(path)).hash(&mut h);
            }
        }
        h.finish()
    }

    /// Why `id` cannot stand in `place` (such as "`claimants`" or "a citation `[@...]`"),
    /// which wants an entry of one of `kinds`, and the nearest id of those kinds; `None`
    /// when that was reported already (the id is taken twice).
    pub(crate) fn explain_missing(
        &self,
        id: &str,
        kinds: &[EntryKind],
        place: &str,
    ) -> Option<(String, Option<String>)> {
        if self.duplicates.contains(id) {
            return None;
        }
        let message = if self.drafts.contains(id) {
            format!(
                "{place} names `{id}`, a draft left out of this build; build with --drafts or remove it"
            )
        } else if let Some(t) = self.ids.get(id)
            && !kinds.contains(&t.kind)
        {
            let wanted = match kinds {
                [k] => format!("{} {}", k.article(), k.name()),
                _ => "a claim, source or actor".to_string(),
            };
            format!(
                "{place} must name {wanted}, but `{id}` is {} {}",
                t.kind.article(),
                t.kind.name()
            )
        } else {
            let kind = match kinds {
                [k] => format!("{} ", k.name()),
                _ => String::new(),
            };
            format!("unknown {kind}id `{id}` in {place}")
        };
        let candidates = self
            .ids
            .iter()
            .filter(|(_, t)| kinds.contains(&t.kind))
            .map(|(k, _)| k.as_str());
        Some((message, crate::base::diagnostics::nearest(id, candidates)))
    }
}

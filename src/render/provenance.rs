//! What each claim's evidence amounts to (publishers, grades, verified quotes), and the
//! provenance report `dossier check --provenance` prints for the whole dossier.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::load::content::EntryKind;
use crate::load::content::meta::Reliability;
use crate::render::i18n::Strings;
use crate::resolve::model::{Claim, Dossier, EvidenceRole};

/// A summary of the sources a claim cites.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Sources cited, each counted once.
    pub sources: usize,
    /// The distinct publishers of those sources, in order of first citation.
    pub publishers: Vec<Publisher>,
    /// Sources that name no publisher.
    pub unattributed: usize,
    /// Quotes cited in the claim's front matter.
    pub quotes: usize,
    /// Of those, quotes found in a local snapshot of their source.
    pub quotes_verified: usize,
    /// Whether a source is the statement of one of the claim's own claimants (published
    /// by one of them): the claim's primary source, which says that they claim it.
    pub claimant_statement: bool,
}

/// One publisher behind a claim's sources. Sources are grouped by their `published_by`
/// actor, or else by their `publisher` name compared without case.
#[derive(Debug, Clone, Serialize)]
pub struct Publisher {
    pub name: String,
    /// The actor id, when the sources name one in `published_by`.
    pub actor: Option<String>,
    pub sources: usize,
    /// Distinct Admiralty reliability grades of its sources, `A` to `F`.
    pub grades: Vec<Reliability>,
    /// Sources of this publisher with no grade.
    pub ungraded: usize,
    /// Whether the publisher is one of the claim's claimants.
    pub claimant: bool,
}

impl Evidence {
    /// Whether every source comes from one publisher (or none is cited).
    pub(crate) fn single_publisher(&self) -> bool {
        self.publishers.len() + self.unattributed <= 1
    }

    /// Whether the claim rests on one publisher's reporting that is not one of its own
    /// claimants: a claim that X makes, resting on X's own statement, does not.
    pub(crate) fn rests_on_one_other(&self) -> bool {
        self.sources > 0 && self.single_publisher() && !self.claimant_statement
    }

    /// One sentence for readers: "3 sources from 2 publishers (1 of them a claimant); 1 of
    /// 2 quotes verified against a local snapshot."
    pub fn sentence(&self, w: &Strings) -> String {
        if self.sources == 0 {
            return w.tr("No source is cited.").into();
        }
        let count = |n: usize, one: &str, many: &str| w.count(one, many, n as i64);
        let own = match (
            self.publishers.iter().filter(|p| p.claimant).count(),
            self.publishers.len(),
        ) {
            (0, _) => String::new(),
            (1, 1) => w.tr(" (the claimant's own statement)").to_string(),
            (n, _) => count(
                n,
                " (one of them a claimant's own statement)",
                " ({n} of them claimants' own statements)",
            ),
        };
        let publishers = count(self.publishers.len(), "{n} publisher", "{n} publishers");
        let sources = count(self.sources, "{n} source", "{n} sources");
        let attributed = self.sources - self.unattributed;
        let (a, u) = (
            w.number(attributed as i64),
            w.number(self.unattributed as i64),
        );
        let args = [
            ("sources", sources.as_str()),
            ("publishers", publishers.as_str()),
            ("own", own.as_str()),
            ("a", a.as_str()),
            ("u", u.as_str()),
        ];
        let mut s = match (attributed, self.unattributed) {
            (_, 0) => w.fmt("{sources} from {publishers}{own}", &args),
            (0, u) => count(
                u,
                "1 source, naming no publisher",
                "{n} sources, none naming a publisher",
            ),
            _ => w.fmt(
                "{sources}: {a} from {publishers}{own}, {u} naming no publisher",
                &args,
            ),
        };
        if self.quotes == 0 {
            s.push_str(w.tr("; no quote cited."));
        } else {
            let quotes = count(self.quotes, "{n} quote", "{n} quotes");
            let verified = w.number(self.quotes_verified as i64);
            s.push_str(&w.fmt(
                "; {verified} of {quotes} verified against a local snapshot.",
                &[("verified", &verified), ("quotes", &quotes)],
            ));
        }
        s
    }
}

/// The evidence behind claim `c` of `d`.
pub fn evidence(d: &Dossier, c: &Claim) -> Evidence {
    let mut publishers: Vec<Publisher> = Vec::new();
    // What tells publishers apart: the actor's position, or the name without case.
    let mut keys: Vec<Result<usize, String>> = Vec::new();
    let mut unattributed = 0;
    for r in &c.body.references {
        let s = &d.sources[r.source];
        let (key, name) = match (s.published_by, &s.meta.publisher) {
            (Some(a), _) => (Ok(a), &d.actors[a].meta.title),
            (None, Some(p)) if !p.trim().is_empty() => (Err(p.trim().to_lowercase()), p),
            _ => {
                unattributed += 1;
                continue;
            }
        };
        let p = match keys.iter().position(|k| *k == key) {
            Some(i) => &mut publishers[i],
            None => {
                let actor = key.as_ref().ok().copied();
                keys.push(key);
                publishers.push(Publisher {
                    name: name.trim().to_string(),
                    actor: actor.map(|a| d.actors[a].id.clone()),
                    sources: 0,
                    grades: Vec::new(),
                    ungraded: 0,
                    claimant: actor.is_some_and(|a| c.claimants.contains(&a)),
                });
                publishers.last_mut().expect("just pushed")
            }
        };
        p.sources += 1;
        match s.meta.reliability {
            Some(g) if !p.grades.contains(&g) => p.grades.push(g),
            Some(_) => {}
            None => p.ungraded += 1,
        }
    }
    for p in &mut publishers {
        p.grades.sort_unstable();
    }
    let quoted: Vec<bool> = quote_checks(d, c).into_iter().flatten().collect();
    Evidence {
        claimant_statement: publishers.iter().any(|p| p.claimant),
        sources: c.body.references.len(),
        publishers,
        unattributed,
        quotes: quoted.len(),
        quotes_verified: quoted.iter().filter(|v| **v).count(),
    }
}

/// For each front-matter citation of `c`: `None` without a quote, else whether the quote
/// was verified against a snapshot of its source. A build only succeeds when every quote
/// from a source with a snapshot is found in it, so a quote is verified exactly when its
/// source has one.
pub(crate) fn quote_checks(d: &Dossier, c: &Claim) -> Vec<Option<bool>> {
    c.meta
        .citations
        .iter()
        .map(|cit| {
            cit.quote.as_ref()?;
            let verified = d
                .index
                .pos(&cit.source, EntryKind::Source)
                .is_some_and(|s| d.sources[s].verifies_quotes());
            Some(verified)
        })
        .collect()
}

/// The provenance report: sources without an archived copy or a snapshot, snapshots
/// without a recorded hash or a web archive of their capture, quotes not verified, and claims resting on a single publisher, each with its file and line.
pub fn report(d: &Dossier) -> String {
    let mut sections: BTreeMap<usize, (&str, Vec<String>)> = BTreeMap::new();
    let mut add = |order: usize, title: &'static str, line: String| {
        sections
            .entry(order)
            .or_insert_with(|| (title, Vec::new()))
            .1
            .push(line);
    };
    for s in &d.sources {
        let doc = &s.body.doc;
        if s.meta.archive_url.is_none() {
            let (line, _) = doc.locate("url", None);
            add(
                0,
                "Sources without an archived copy (`archive_url`)",
                format!("{}:{line}  {}", doc.file, s.id),
            );
        }
        match &s.snapshot {
            None => add(
                1,
                "Sources without a local snapshot",
                format!("{}:1  {}", doc.file, s.id),
            ),
            Some(snap) if s.meta.snapshot_sha256.is_none() => add(
                2,
                "Snapshots without a recorded hash (`snapshot_sha256`)",
                format!(
                    "{}:1  {}  ({}, SHA-256 {})",
                    doc.file, s.id, snap.file, snap.sha256
                ),
            ),
            Some(_) => {}
        }
        let captured = s.evidence.files.iter().any(|f| {
            f.role == EvidenceRole::Archive
                || f.role == EvidenceRole::Snapshot
                    && crate::snapshots::is_archive_name(&f.content_path)
        });
        if let Some(snap) = s.snapshot.as_ref().filter(|_| !captured) {
            add(
                3,
                "Snapshots without a web archive of their capture (`dossier capture` keeps one)",
                format!("{}:1  {}  ({})", doc.file, s.id, snap.file),
            );
        }
    }
    for c in &d.claims {
        let doc = &c.body.doc;
        let quoted = c
            .meta
            .citations
            .iter()
            .zip(quote_checks(d, c))
            .filter_map(|(cit, q)| q.map(|verified| (cit, verified)));
        for (n, (cit, verified)) in quoted.enumerate() {
            if !verified {
                let (_, line, _) = doc.place_nth("quote", n);
                add(
                    4,
                    "Quotes not verified (their source has no snapshot with text)",
                    format!("{}:{line}  {} quoting {}", doc.file, c.id, cit.source),
                );
            }
        }
        let e = evidence(d, c);
        if e.rests_on_one_other() {
            let who = e
                .publishers
                .first()
                .map_or("a source with no publisher named".to_string(), |p| {
                    p.name.clone()
                });
            add(
                5,
                "Claims resting on a single publisher's reporting (not a claimant's own statement)",
                format!("{}:1  {} ({who})", doc.file, c.id),
            );
        }
    }
    let mut out = format!(
        "Provenance of {} and {}\n",
        crate::base::diagnostics::count(d.claims.len(), "claim", "claims"),
        crate::base::diagnostics::count(d.sources.len(), "source", "sources")
    );
    if sections.is_empty() {
        out.push_str("\nEvery source has an archived copy and a snapshot with its hash recorded and the web archive of its capture, every quote is verified, and every claim rests on more than one publisher.\n");
    }
    for (title, lines) in sections.values() {
        let _ = writeln!(out, "\n{title}: {}", lines.len());
        for l in lines {
            let _ = writeln!(out, "  {l}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(
        sources: usize,
        publishers: &[bool],
        unattributed: usize,
        quotes: (usize, usize),
    ) -> Evidence {
        Evidence {
            sources,
            publishers: publishers
                .iter()
                .map(|&claimant| Publisher {
                    name: "P".into(),
                    actor: None,
                    sources: 1,
                    grades: Vec::new(),
                    ungraded: 1,
                    claimant,
                })
                .collect(),
            unattributed,
            quotes: quotes.0,
            quotes_verified: quotes.1,
            claimant_statement: publishers.contains(&true),
        }
    }

    #[test]
    fn the_sentence_reads_well_for_every_count() {
        let cases = [
            (evidence(0, &[], 0, (0, 0)), "No source is cited."),
            (
                evidence(1, &[true], 0, (1, 1)),
                "1 source from 1 publisher (the claimant's own statement); 1 of 1 quote verified against a local snapshot.",
            ),
            (
                evidence(3, &[false, true], 0, (0, 0)),
                "3 sources from 2 publishers (one of them a claimant's own statement); no quote cited.",
            ),
            (
                evidence(1, &[], 1, (2, 0)),
                "1 source, naming no publisher; 0 of 2 quotes verified against a local snapshot.",
            ),
            (
                evidence(2, &[], 2, (0, 0)),
                "2 sources, none naming a publisher; no quote cited.",
            ),
            (
                evidence(4, &[false], 2, (0, 0)),
                "4 sources: 2 from 1 publisher, 2 naming no publisher; no quote cited.",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.sentence(Strings::english()), want);
        }
        assert!(evidence(2, &[false], 0, (0, 0)).single_publisher());
        assert!(!evidence(2, &[false], 1, (0, 0)).single_publisher());
        // One publisher's reporting is flagged; a claimant's own statement is not.
        assert!(evidence(2, &[false], 0, (0, 0)).rests_on_one_other());
        assert!(!evidence(2, &[true], 0, (0, 0)).rests_on_one_other());
        assert!(!evidence(0, &[], 0, (0, 0)).rests_on_one_other());
    }
}

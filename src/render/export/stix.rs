//! `/dossier.stix.json`: the dossier as a STIX 2.1 bundle, for threat-intelligence
//! platforms (OpenCTI, MISP). Actors are `identity` objects, sources `report`s, claims
//! `note`s by their claimants about the reports they cite, and relations `opinion`s. A
//! dispute is mutual, so each claim in it is the subject of the other's
//! `strongly-disagree` opinion, whichever file states it; a claim that supports another
//! `agree`s with it.
//!
//! Ids are UUIDv5 (URL namespace) of each entry's page address, so a rebuild gives the
//! same ids and a platform updates what it imported before. Times are the entries' dates
//! at midnight UTC. Admiralty information credibility becomes `confidence` by the STIX
//! 2.1 confidence-scale appendix (1 → 90, 2 → 70, 3 → 50, 4 → 30, 5 → 10, 6 → none);
//! source reliability has no STIX scale and is given in words.

use std::io::{self, Write};

use rayon::prelude::*;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::load::config::Settings;
use crate::load::content::date::PartialDate;
use crate::load::content::meta::{ActivityKind, ActorKind, Choice, Credibility, SourceKind};
use crate::resolve::model::Dossier;

/// A STIX id: `<type>--<UUIDv5 of name in the URL namespace>`.
fn stix_id(kind: &str, name: &str) -> String {
    format!(
        "{kind}--{}",
        Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes())
    )
}

/// A STIX timestamp at midnight UTC of `date`'s first day.
fn stamp(date: PartialDate) -> String {
    date.rfc3339().replace("T00:00:00Z", "T00:00:00.000Z")
}

/// The STIX `identity_class` of a kind of actor.
fn identity_class(kind: Option<ActorKind>) -> &'static str {
    match kind {
        Some(ActorKind::Person) => "individual",
        Some(ActorKind::Group) => "group",
        Some(ActorKind::Other) | None => "unknown",
        Some(_) => "organization",
    }
}

/// The `report_types` of a kind of source (the open vocabulary `report-type-ov`).
fn report_types(kind: Option<SourceKind>) -> Vec<&'static str> {
    match kind {
        Some(SourceKind::Dataset) => vec!["observed-data"],
        _ => vec!["threat-report"],
    }
}

/// The STIX confidence of an Admiralty credibility grade, by the appendix's table.
fn confidence(c: Credibility) -> Option<u8> {
    match c.0 {
        1 => Some(90),
        2 => Some(70),
        3 => Some(50),
        4 => Some(30),
        5 => Some(10),
        _ => None,
    }
}

/// The common properties of a STIX domain object.
fn object(kind: &str, id: &str, time: &str) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("type".into(), json!(kind));
    o.insert("spec_version".into(), json!("2.1"));
    o.insert("id".into(), json!(id));
    o.insert("created".into(), json!(time));
    o.insert("modified".into(), json!(time));
    o
}

/// The text of a rendered body, whitespace collapsed.
fn plain(html: &str) -> String {
    let mut text = String::new();
    crate::render::search::text_of(html, &mut text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Objects are made this many at a time, in parallel, and written in order.
const BATCH: usize = 2048;

/// What every object of a bundle is made from: the dossier, the site's addresses, the
/// publisher's identity and the time given to objects without a date of their own.
struct Bundle<'a> {
    d: &'a Dossier,
    settings: &'a Settings,
    own_id: String,
    fallback: String,
}

/// Writes the bundle of the whole dossier: one object a line, so that a large dossier's
/// bundle is streamed to its file and two versions compare line by line.
pub(crate) fn write_bundle(
    d: &Dossier,
    settings: &Settings,
    out: &mut dyn Write,
) -> io::Result<()> {
    let earliest = d
        .claims
        .iter()
        .map(|c| c.meta.date)
        .chain(d.sources.iter().filter_map(|s| s.meta.date))
        .min();
    let b = Bundle {
        d,
        settings,
        own_id: stix_id("identity", &settings.base_url),
        fallback: earliest.map_or_else(|| "1970-01-01T00:00:00.000Z".to_string(), stamp),
    };
    let id = stix_id("bundle", &settings.permalink("dossier.stix.json"));
    writeln!(
        out,
        "{{\"type\": \"bundle\", \"id\": \"{id}\", \"objects\": ["
    )?;
    serde_json::to_writer(&mut *out, &b.publisher())?;
    emit(out, d.actors.len(), |i| b.identity(i))?;
    emit(out, d.sources.len(), |i| b.report(i))?;
    emit(out, d.claims.len(), |i| b.note(i))?;
    emit(out, d.claims.len(), |i| b.opinions(i))?;
    attributions(d, settings, &b.own_id, &b.fallback, out)?;
    out.write_all(b"\n]}\n")
}

impl Bundle<'_> {
    /// The absolute address of a page of the site.
    fn page(&self, url: &str) -> String {
        self.settings.absolute(url)
    }

    fn actor_id(&self, a: usize) -> String {
        stix_id("identity", &self.page(&self.d.actors[a].url))
    }

    fn source_id(&self, s: usize) -> String {
        stix_id("report", &self.page(&self.d.sources[s].url))
    }

    fn claim_id(&self, c: usize) -> String {
        stix_id("note", &self.page(&self.d.claims[c].url))
    }

    /// The dossier's publisher, as an identity.
    fn publisher(&self) -> Value {
        let mut own = object("identity", &self.own_id, &self.fallback);
        own.insert("name".into(), json!(self.settings.publisher_name()));
        own.insert("identity_class".into(), json!("organization"));
        own.insert(
            "description".into(),
            json!(format!(
                "The publisher of the dossier {}",
                self.settings.base_url
            )),
        );
        Value::Object(own)
    }

    /// An actor, as an identity.
    fn identity(&self, i: usize) -> Vec<Value> {
        let a = &self.d.actors[i];
        let first = a
            .claims
            .iter()
            .map(|&c| self.d.claims[c].meta.date)
            .chain(
                a.sources
                    .iter()
                    .filter_map(|&s| self.d.sources[s].meta.date),
            )
            .min();
        let mut o = object(
            "identity",
            &self.actor_id(i),
            &first.map_or(self.fallback.clone(), stamp),
        );
        o.insert("name".into(), json!(a.meta.title));
        o.insert("identity_class".into(), json!(identity_class(a.meta.kind)));
        let mut about: Vec<String> = Vec::new();
        if let Some(k) = a.meta.kind {
            about.push(format!("Kind: {}.", k.label()));
        }
        if let Some(c) = &a.meta.country {
            about.push(format!("Country: {c}."));
        }
        if !a.meta.aliases.is_empty() {
            about.push(format!("Also known as: {}.", a.meta.aliases.join(", ")));
        }
        let body = plain(&a.body.rendered.html);
        if !body.is_empty() {
            about.push(body);
        }
        if !about.is_empty() {
            o.insert("description".into(), json!(about.join(" ")));
        }
        let mut refs = vec![json!({ "source_name": "dossier", "url": self.page(&a.url) })];
        if let Some(u) = &a.meta.url {
            refs.push(json!({ "source_name": "website", "url": u }));
        }
        o.insert("external_references".into(), json!(refs));
        vec![Value::Object(o)]
    }

    /// A source, as a report.
    fn report(&self, i: usize) -> Vec<Value> {
        let s = &self.d.sources[i];
        let m = &s.meta;
        let time = m.date.map_or(self.fallback.clone(), stamp);
        let mut o = object("report", &self.source_id(i), &time);
        o.insert("name".into(), json!(m.title));
        o.insert("published".into(), json!(time));
        o.insert("report_types".into(), json!(report_types(m.kind)));
        let mut about: Vec<String> = Vec::new();
        if let Some(k) = m.kind {
            about.push(format!("Kind: {}.", k.label()));
        }
        if let Some(p) = &m.publisher {
            about.push(format!("Publisher: {p}."));
        }
        if !m.authors.is_empty() {
            about.push(format!(
                "Authors: {}.",
                crate::load::content::names::displayed(&m.authors).join(", ")
            ));
        }
        if let Some(r) = m.reliability {
            about.push(format!(
                "Source reliability (Admiralty): {}, {}.",
                r.letter(),
                r.words()
            ));
        }
        let body = plain(&s.body.rendered.html);
        if !body.is_empty() {
            about.push(body);
        }
        if !about.is_empty() {
            o.insert("description".into(), json!(about.join(" ")));
        }
        if let Some(a) = s.published_by {
            o.insert("created_by_ref".into(), json!(self.actor_id(a)));
        }
        if let Some(l) = &m.language {
            o.insert("lang".into(), json!(l));
        }
        let mut refs = vec![json!({ "source_name": "dossier", "url": self.page(&s.url) })];
        if let Some(u) = &m.url {
            refs.push(
                json!({ "source_name": m.publisher.as_deref().unwrap_or("original"), "url": u }),
            );
        }
        if let Some(u) = &m.archive_url {
            refs.push(json!({ "source_name": "archived copy", "url": u }));
        }
        if let Some(snap) = &s.snapshot {
            let when = m
                .snapshot_captured
                .map(|c| format!(", captured {c}"))
                .unwrap_or_default();
            refs.push(json!({
            "source_name": "snapshot",
            "description": format!("the local copy quotes were verified against ({}{when})", snap.content_path),
            "hashes": { "SHA-256": snap.sha256 },
        }));
        }
        if let Some(t) = &s.evidence.stamp {
            refs.push(json!({
            "source_name": "RFC 3161 time-stamp",
            "description": format!("the snapshot's SHA-256 was time-stamped by {} at {} (token serial {})", t.authority, t.iso(), t.serial),
            "external_id": t.serial,
        }));
        }
        o.insert("external_references".into(), json!(refs));
        let mut refs: Vec<String> = s.cited_by.iter().map(|&c| self.claim_id(c)).collect();
        if refs.is_empty() {
            refs.push(
                s.published_by
                    .map_or(self.own_id.clone(), |a| self.actor_id(a)),
            );
        }
        o.insert("object_refs".into(), json!(refs));
        vec![Value::Object(o)]
    }

    /// A claim, as a note.
    fn note(&self, i: usize) -> Vec<Value> {
        let c = &self.d.claims[i];
        let time = stamp(c.meta.date);
        let mut o = object("note", &self.claim_id(i), &time);
        o.insert("abstract".into(), json!(c.meta.title));
        let mut content: Vec<String> = Vec::new();
        if let Some(s) = &c.meta.summary {
            content.push(s.clone());
        }
        let body = plain(&c.body.rendered.html);
        if !body.is_empty() {
            content.push(body);
        }
        for cit in &c.meta.citations {
            if let Some(g) = cit.credibility {
                content.push(format!(
                    "Information credibility (Admiralty) as cited from {}: {}, {}.",
                    cit.source,
                    g.0,
                    g.words()
                ));
            }
        }
        if content.is_empty() {
            content.push(c.meta.title.clone());
        }
        o.insert("content".into(), json!(content.join("\n\n")));
        let names: Vec<&str> = c
            .claimants
            .iter()
            .map(|&a| self.d.actors[a].meta.title.as_str())
            .collect();
        o.insert("authors".into(), json!(names));
        if let Some(&first) = c.claimants.first() {
            o.insert("created_by_ref".into(), json!(self.actor_id(first)));
        }
        let best = c
            .meta
            .citations
            .iter()
            .filter_map(|cit| cit.credibility.and_then(confidence))
            .max();
        if let Some(conf) = best {
            o.insert("confidence".into(), json!(conf));
        }
        let mut refs: Vec<String> = c.claimants.iter().map(|&a| self.actor_id(a)).collect();
        let mut cited: Vec<usize> = c.body.references.iter().map(|r| r.source).collect();
        cited.sort_unstable();
        cited.dedup();
        refs.extend(cited.into_iter().map(|s| self.source_id(s)));
        o.insert("object_refs".into(), json!(refs));
        o.insert(
            "external_references".into(),
            json!([{ "source_name": "dossier", "url": self.page(&c.url) }]),
        );
        vec![Value::Object(o)]
    }

    /// A claim's disputes and supports, as opinions of its first claimant.
    fn opinions(&self, i: usize) -> Vec<Value> {
        let c = &self.d.claims[i];
        let mut made = Vec::new();
        let Some(&claimant) = c.claimants.first() else {
            return made;
        };
        let relations = self
            .d
            .in_dispute_with(i)
            .into_iter()
            .map(|j| ("strongly-disagree", "disputes", j))
            .chain(c.supports.iter().map(|&j| ("agree", "supports", j)));
        for (opinion, verb, j) in relations {
            let name = format!("{}#{verb}-{}", self.page(&c.url), self.d.claims[j].id);
            let mut o = object("opinion", &stix_id("opinion", &name), &stamp(c.meta.date));
            o.insert("opinion".into(), json!(opinion));
            o.insert("explanation".into(), json!(c.meta.title));
            o.insert(
                "authors".into(),
                json!([self.d.actors[claimant].meta.title]),
            );
            o.insert("created_by_ref".into(), json!(self.actor_id(claimant)));
            o.insert("object_refs".into(), json!([self.claim_id(j)]));
            made.push(Value::Object(o));
        }
        made
    }
}

/// The activities claims attribute, each with its kind and the claims that name it, in
/// claim order.
fn activities(d: &Dossier) -> Vec<(&str, ActivityKind, Vec<usize>)> {
    let mut found: Vec<(&str, ActivityKind, Vec<usize>)> = Vec::new();
    for i in d.claims_by_date() {
        let Some(a) = &d.claims[i].meta.attributes else {
            continue;
        };
        match found.iter_mut().find(|f| f.0 == a.activity) {
            Some(f) => f.2.push(i),
            None => found.push((&a.activity, a.kind, vec![i])),
        }
    }
    found
}

/// Writes what claims attribute: each activity as an `intrusion-set` or `campaign`, each
/// actor it is attributed to as a `threat-actor` (`attributed-to` its identity), and for
/// each attributing claim one `attributed-to` relationship per actor, by its first
/// claimant, with an `opinion` of each claimant (`strongly-agree`), of each claim in
/// dispute with it (`strongly-disagree`) and of each claim supporting it (`agree`): so
/// that competing attributions stay apart, each with who holds it.
fn attributions(
    d: &Dossier,
    settings: &Settings,
    own_id: &str,
    fallback: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let page = |url: &str| settings.absolute(url);
    let activity_id = |kind: ActivityKind, name: &str| {
        stix_id(
            kind.name(),
            &format!("{}#activity:{name}", settings.base_url),
        )
    };
    let write = |out: &mut dyn Write, o: Map<String, Value>| -> io::Result<()> {
        out.write_all(b",\n")?;
        serde_json::to_writer(&mut *out, &Value::Object(o))?;
        Ok(())
    };
    for (name, kind, claims) in activities(d) {
        let mut o = object(
            kind.name(),
            &activity_id(kind, name),
            &stamp(d.claims[claims[0]].meta.date),
        );
        o.insert("name".into(), json!(name));
        let titles: Vec<&str> = claims
            .iter()
            .map(|&i| d.claims[i].meta.title.as_str())
            .collect();
        o.insert(
            "description".into(),
            json!(format!(
                "Named by claims of the dossier: {}.",
                titles.join("; ")
            )),
        );
        o.insert("created_by_ref".into(), json!(own_id));
        write(out, o)?;
    }
    let mut targets: Vec<usize> = d
        .claims
        .iter()
        .flat_map(|c| c.attributed_to.iter().copied())
        .collect();
    targets.sort_unstable();
    targets.dedup();
    for a in targets {
        let actor = &d.actors[a];
        let url = page(&actor.url);
        let mut o = object("threat-actor", &stix_id("threat-actor", &url), fallback);
        o.insert("name".into(), json!(actor.meta.title));
        o.insert(
            "description".into(),
            json!(format!(
                "{}, as claims of the dossier attribute activity to it.",
                actor.meta.title
            )),
        );
        o.insert("created_by_ref".into(), json!(own_id));
        o.insert(
            "external_references".into(),
            json!([{ "source_name": "dossier", "url": url }]),
        );
        write(out, o)?;
        let mut r = object(
            "relationship",
            &stix_id("relationship", &format!("{url}#threat-actor")),
            fallback,
        );
        r.insert("relationship_type".into(), json!("attributed-to"));
        r.insert("source_ref".into(), json!(stix_id("threat-actor", &url)));
        r.insert("target_ref".into(), json!(stix_id("identity", &url)));
        r.insert("created_by_ref".into(), json!(own_id));
        write(out, r)?;
    }
    for i in d.claims_by_date() {
        for o in attribution_of(d, settings, i, &activity_id) {
            write(out, o)?;
        }
    }
    Ok(())
}

/// One claim's `attributed-to` relationships and the opinions held of them.
fn attribution_of(
    d: &Dossier,
    settings: &Settings,
    i: usize,
    activity_id: &dyn Fn(ActivityKind, &str) -> String,
) -> Vec<Map<String, Value>> {
    let c = &d.claims[i];
    let (Some(a), Some(&first)) = (&c.meta.attributes, c.claimants.first()) else {
        return Vec::new();
    };
    let page = |url: &str| settings.absolute(url);
    let time = stamp(c.meta.date);
    let mut made = Vec::new();
    let mut rels = Vec::new();
    for &t in &c.attributed_to {
        let target = &d.actors[t];
        let id = stix_id(
            "relationship",
            &format!("{}#attributed-to-{}", page(&c.url), target.id),
        );
        let mut r = object("relationship", &id, &time);
        r.insert("relationship_type".into(), json!("attributed-to"));
        r.insert("source_ref".into(), json!(activity_id(a.kind, &a.activity)));
        r.insert(
            "target_ref".into(),
            json!(stix_id("threat-actor", &page(&target.url))),
        );
        r.insert("description".into(), json!(c.meta.title));
        r.insert(
            "created_by_ref".into(),
            json!(stix_id("identity", &page(&d.actors[first].url))),
        );
        r.insert(
            "external_references".into(),
            json!([{ "source_name": "dossier", "url": page(&c.url) }]),
        );
        rels.push(id);
        made.push(r);
    }
    if rels.is_empty() {
        return made;
    }
    // Who holds the attribution, who disputes it and who supports it.
    let holders = c.claimants.iter().map(|&h| ("strongly-agree", i, h));
    let others = d
        .in_dispute_with(i)
        .into_iter()
        .map(|j| ("strongly-disagree", j))
        .chain(c.supported_by.iter().map(|&j| ("agree", j)))
        .filter_map(|(op, j)| d.claims[j].claimants.first().map(|&h| (op, j, h)));
    for (opinion, j, holder) in holders.chain(others) {
        let by = &d.claims[j];
        let actor = &d.actors[holder];
        let name = format!("{}#attribution-{}-{}", page(&c.url), by.id, actor.id);
        let mut o = object("opinion", &stix_id("opinion", &name), &stamp(by.meta.date));
        o.insert("opinion".into(), json!(opinion));
        o.insert("explanation".into(), json!(by.meta.title));
        o.insert("authors".into(), json!([actor.meta.title]));
        o.insert(
            "created_by_ref".into(),
            json!(stix_id("identity", &page(&actor.url))),
        );
        o.insert("object_refs".into(), json!(rels));
        made.push(o);
    }
    made
}

/// Writes the objects `make` gives for `0..n`, each after a comma and a line break.
fn emit(
    out: &mut dyn Write,
    n: usize,
    make: impl Fn(usize) -> Vec<Value> + Sync,
) -> io::Result<()> {
    for start in (0..n).step_by(BATCH) {
        let lines: Vec<Vec<u8>> = (start..n.min(start + BATCH))
            .into_par_iter()
            .flat_map_iter(|i| make(i).into_iter())
            .map(|v| serde_json::to_vec(&v).unwrap_or_default())
            .collect();
        for line in lines {
            out.write_all(b",\n")?;
            out.write_all(&line)?;
        }
    }
    Ok(())
}

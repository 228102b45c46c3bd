//! Authors' names: an `authors` entry as written (`"Adam Entous"`) or in parts
//! (`{ family = "Cruz", given = "Juan", particle = "de la" }`), the parts of a written
//! person's name (read as BibTeX reads names, by the `biblatex` crate, after a trailing
//! `Jr.` or `III` is set apart), and whether a written name is a person's at all.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A person's name in parts, as citation tools want it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PersonName {
    pub family: String,
    pub given: Option<String>,
    /// A particle written with the family name and sorted with it (`de la` in Juan de la
    /// Cruz, `van` in Vincent van Gogh).
    pub particle: Option<String>,
    /// What follows the name: `Jr.`, `III`.
    pub suffix: Option<String>,
    /// Whether the family name comes first when the name is written out (Mao Ning,
    /// Kim Jong-un), as CSL's `static-ordering` says.
    pub family_first: bool,
}

/// An author table as written: a person's name in parts, or `literal`, an organisation's
/// name that is never split.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorTable {
    family: Option<String>,
    given: Option<String>,
    particle: Option<String>,
    suffix: Option<String>,
    #[serde(default)]
    family_first: bool,
    literal: Option<String>,
}

/// One author of a source: a name as written, a person's name in parts, or an
/// organisation's name (`{ literal = "…" }`) that is never read as a person's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Author {
    Written(String),
    Person(PersonName),
    Organisation(String),
}

impl Author {
    /// The name in reading order: `Juan de la Cruz`, `Martin Luther King Jr.`.
    pub fn display(&self) -> String {
        match self {
            Author::Written(s) | Author::Organisation(s) => s.clone(),
            Author::Person(p) => {
                let family = Some(p.family.clone());
                let parts = if p.family_first {
                    [&p.particle, &family, &p.given, &p.suffix]
                } else {
                    [&p.given, &p.particle, &family, &p.suffix]
                };
                let words: Vec<&str> = parts
                    .iter()
                    .filter_map(|s| s.as_deref())
                    .filter(|s| !s.is_empty())
                    .collect();
                words.join(" ")
            }
        }
    }
}

/// A name as an import writes it: as written, unless it would be read as a person's
/// when it is an organisation's.
pub fn organisation(name: String) -> Author {
    if looks_like_person(&name) {
        Author::Organisation(name)
    } else {
        Author::Written(name)
    }
}

/// Each author's name in reading order.
pub(crate) fn displayed(authors: &[Author]) -> Vec<String> {
    authors.iter().map(Author::display).collect()
}

/// Serialised as the name in reading order, so that data readers see a list of names.
impl Serialize for Author {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.display())
    }
}

impl<'de> Deserialize<'de> for Author {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AuthorVisitor;
        impl<'de> Visitor<'de> for AuthorVisitor {
            type Value = Author;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a name (\"Adam Entous\") or a table such as { family = \"Entous\", given = \"Adam\" }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Author, E> {
                Ok(Author::Written(v.to_string()))
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Author, M::Error> {
                let t = AuthorTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let person = t.given.is_some() || t.particle.is_some() || t.suffix.is_some();
                let both = "an author is a person's name in parts (`family`, `given`…) or an organisation's (`literal`), not both";
                match (t.family, t.literal) {
                    (Some(_), Some(_)) => Err(de::Error::custom(both)),
                    (None, Some(_)) if person => Err(de::Error::custom(both)),
                    (None, Some(l)) if !l.trim().is_empty() => Ok(Author::Organisation(l)),

                    (Some(f), None) if !f.trim().is_empty() => Ok(Author::Person(PersonName {
                        family: f,
                        given: t.given,
                        particle: t.particle,
                        suffix: t.suffix,
                        family_first: t.family_first,
                    })),
                    (None, None) => Err(de::Error::custom(
                        "an author table needs `family` (a person's name in parts) or `literal` (an organisation's name)",
                    )),
                    _ => Err(de::Error::custom("an author's name is empty")),
                }
            }
        }
        d.deserialize_any(AuthorVisitor)
    }
}

/// Words an organisation's name has and a person's does not.
const ORGANISATION_WORDS: &[&str] = &[
    "agency",
    "association",
    "authority",
    "bureau",
    "center",
    "centre",
    "college",
    "commission",
    "committee",
    "company",
    "corp",
    "corporation",
    "council",
    "court",
    "department",
    "desk",
    "editors",
    "foundation",
    "government",
    "group",
    "inc",
    "institute",
    "intelligence",
    "laboratory",
    "labs",
    "lab",
    "llc",
    "ltd",
    "ministry",
    "network",
    "news",
    "office",
    "parliament",
    "police",
    "press",
    "project",
    "research",
    "security",
    "service",
    "services",
    "staff",
    "team",
    "times",
    "unit",
    "university",
];

/// Lowercase words that come between given and family names.
const PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "der", "des", "di", "do", "dos", "du", "el",
    "ibn", "la", "le", "den", "ten", "ter", "van", "von", "zu",
];

/// What may follow a person's name.
const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// Whether a written name reads as a person's: two to four capitalised words besides
/// particles and a suffix (or `Family, Given`), no digits, no word organisations use.
pub(crate) fn looks_like_person(written: &str) -> bool {
    let words: Vec<&str> = written
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let lower = |w: &str| w.trim_matches('.').to_lowercase();
    let named: Vec<&&str> = words
        .iter()
        .filter(|w| !PARTICLES.contains(w) && !SUFFIXES.contains(w))
        .collect();
    (2..=4).contains(&named.len())
        && written.matches(',').count() <= 2
        && !written
            .chars()
            .any(|c| c.is_ascii_digit() || "=&@/()".contains(c))
        && words.first().is_none_or(|w| lower(w) != "the")
        && !words
            .iter()
            .any(|w| ORGANISATION_WORDS.contains(&lower(w).as_str()))
        && !words.iter().any(|w| is_acronym(w))
        && named
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Whether a word is an acronym (`BBC`, `NATO`): two or more capitals, no lowercase.
fn is_acronym(word: &str) -> bool {
    word.chars().filter(|c| c.is_uppercase()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

/// The parts of a written person's name (`Given Family`, `Given particle Family`,
/// `Family, Given`, each with a trailing suffix), or `None` when it has no family name.
pub(crate) fn person_parts(written: &str) -> Option<PersonName> {
    let mut rest = written.trim();
    let mut suffix = None;
    for s in SUFFIXES {
        if let Some(before) = rest.strip_suffix(s)
            && (before.ends_with(' ') || before.ends_with(','))
        {
            suffix = Some(s.to_string());
            rest = before.trim_end_matches([' ', ',']);
            break;
        }
    }
    // `Family, Suffix, Given` read by BibTeX's own rule when the suffix sits inside.
    let chunk = biblatex::Spanned::detached(biblatex::Chunk::Normal(rest.to_string()));
    let p = biblatex::Person::parse(std::slice::from_ref(&chunk));
    let some = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let family = some(p.name)?;
    Some(PersonName {
        family,
        given: some(p.given_name),
        particle: some(p.prefix),
        suffix: suffix.or_else(|| some(p.suffix)),
        family_first: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(w: &str) -> (String, Option<String>, Option<String>, Option<String>) {
        let p = person_parts(w).unwrap();
        (p.family, p.given, p.particle, p.suffix)
    }

    #[test]
    fn reads_particles_suffixes_and_inverted_names() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            parts("Juan de la Cruz"),
            ("Cruz".into(), s("Juan"), s("de la"), None)
        );
        assert_eq!(
            parts("Martin Luther King Jr."),
            ("King".into(), s("Martin Luther"), None, s("Jr."))
        );
        assert_eq!(
            parts("Martin Luther King, Jr."),
            ("King".into(), s("Martin Luther"), None, s("Jr."))
        );
        assert_eq!(
            parts("Hersh, Seymour"),
            ("Hersh".into(), s("Seymour"), None, None)
        );
        assert_eq!(
            parts("van Gogh, Vincent"),
            ("Gogh".into(), s("Vincent"), s("van"), None)
        );
    }

    #[test]
    fn tells_people_from_organisations() {
        for person in [
            "Adam Entous",
            "Juan de la Cruz",
            "Hersh, Seymour",
            "Martin Luther King Jr.",
        ] {
            assert!(looks_like_person(person), "{person}");
        }
        for org in [
            "Microsoft Threat Intelligence",
            "Reuters",
            "The Washington Post",
            "Black Lotus Labs",
            "CISA",
            "Unit 42",
            "BBC Verify",
            "NATO StratCom COE",
        ] {
            assert!(!looks_like_person(org), "{org}");
        }
    }
}

//! The typed front matter of each kind of file: the keys each kind takes, their values and
//! what each means (the README's "A dossier on disk" gives them for authors).

use serde::{Deserialize, Serialize};

use super::date::PartialDate;

/// A claim's front matter (`content/claims/<id>.md`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimMeta {
    pub title: String,
    pub claimants: Vec<String>,
    pub date: PartialDate,
    #[serde(default)]
    pub disputes: Vec<String>,
    #[serde(default)]
    pub supports: Vec<String>,
    #[serde(default)]
    pub citations: Vec<Citation>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub assessment: Option<Assessment>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Event ids: what happened that the claim is about.
    #[serde(default)]
    pub about: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    /// When its text last changed in substance: translations made before are reported.
    #[serde(default)]
    pub updated: Option<PartialDate>,
    /// What was corrected, updated or clarified since it was published, and when.
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// Earlier addresses of its page (`/claims/old-id/`), each published as a page that
    /// sends the reader on to this one.
    #[serde(default, skip_serializing)]
    pub aliases: Vec<String>,
    /// The activity the claim attributes, and to whom.
    #[serde(default)]
    pub attributes: Option<Attribution>,
}

/// What a claim attributes: an activity (`Volt Typhoon`, `the Nord Stream sabotage`) to
/// actors, as threat-intelligence platforms record attributions.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    pub activity: String,
    /// Whether the activity is one campaign or a set of intrusions with one author.
    #[serde(default)]
    pub kind: ActivityKind,
    /// Actor ids.
    pub to: Vec<String>,
}

/// What kind of activity is attributed, in STIX's terms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityKind {
    /// Actions over a time against some targets (`campaign`).
    #[default]
    Campaign,
    /// Intrusions and tools thought to have one author (`intrusion-set`).
    IntrusionSet,
}

impl Choice for ActivityKind {
    const KEY: &'static str = "kind";
    const ALL: &'static [Self] = &[ActivityKind::Campaign, ActivityKind::IntrusionSet];
    fn name(self) -> &'static str {
        match self {
            ActivityKind::Campaign => "campaign",
            ActivityKind::IntrusionSet => "intrusion-set",
        }
    }
}

/// An event's front matter (`content/events/<id>.md`): something that happened, which
/// claims are about.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventMeta {
    pub title: String,
    /// When it happened, or began.
    pub date: PartialDate,
    /// When it ended, for an event that lasted.
    #[serde(default)]
    pub end: Option<PartialDate>,
    #[serde(default)]
    pub place: Option<String>,
    /// Source ids that document it.
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
    /// When its text last changed in substance: translations made before are reported.
    #[serde(default)]
    pub updated: Option<PartialDate>,
    /// What was corrected, updated or clarified since it was published, and when.
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// Earlier addresses of its page (`/claims/old-id/`), each published as a page that
    /// sends the reader on to this one.
    #[serde(default, skip_serializing)]
    pub aliases: Vec<String>,
}

/// One `[[citations]]` entry of a claim.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub source: String,
    #[serde(default)]
    pub locator: Option<String>,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub quote_translation: Option<String>,
    #[serde(default)]
    pub credibility: Option<Credibility>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A front-matter value from a fixed list. A value that is not on the list is reported
/// with its key and every valid value, in words where the value alone does not say it.
pub(crate) trait Choice: Sized + Copy + 'static {
    /// The front-matter key that takes it.
    const KEY: &'static str;
    /// Every value, in the order they are listed.
    const ALL: &'static [Self];
    /// The value as written in front matter.
    fn name(self) -> &'static str;
    /// What the value means, when the name does not say it.
    fn words(self) -> Option<&'static str> {
        None
    }
}

/// The message for a value of `C` that is not one of them: "`key` must be one of `a`
/// (its meaning), `b` or `c`, not `x`".
fn choice_error<C: Choice>(wanted: &str) -> String {
    let names: Vec<String> = C::ALL
        .iter()
        .map(|c| match c.words() {
            Some(w) => format!("`{}` ({w})", c.name()),
            None => format!("`{}`", c.name()),
        })
        .collect();
    let list = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    };
    format!("`{}` must be one of {list}, not `{wanted}`", C::KEY)
}

/// Deserializes a [`Choice`] from its name.
fn choose<'de, D: serde::Deserializer<'de>, C: Choice>(d: D) -> Result<C, D::Error> {
    let s = String::deserialize(d)?;
    C::ALL
        .iter()
        .copied()
        .find(|c| c.name() == s)
        .ok_or_else(|| serde::de::Error::custom(choice_error::<C>(&s)))
}

/// Implements `Deserialize` for [`Choice`] types.
macro_rules! deserialize_choice {
    ($($t:ty),*) => {
        $(impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                choose(d)
            }
        })*
    };
}
deserialize_choice!(
    Status,
    Reliability,
    SourceKind,
    ActorKind,
    ActivityKind,
    CorrectionKind
);

/// One `[[corrections]]` entry: a change made to an entry after it was published, shown
/// dated at its top, as a public corrections policy asks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The day it was made.
    pub date: PartialDate,
    pub kind: CorrectionKind,
    /// What was wrong or missing, and what is right.
    pub text: String,
}

/// One `[[checks]]` entry of a source: what `dossier check --external --record` found
/// on its live page on a day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceCheck {
    /// The day the page was read.
    pub date: PartialDate,
    /// The HTTP status its page answered with, when it answered.
    #[serde(default)]
    pub status: Option<u16>,
    /// How many of the quotes verified against its snapshot were still on the page.
    pub found: usize,
    /// The claims whose quotes were not, one id per quote.
    #[serde(default)]
    pub missing: Vec<String>,
    /// Why the page could not be read, when it could not.
    #[serde(default)]
    pub note: Option<String>,
}

/// What kind of change a correction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CorrectionKind {
    Correction,
    Update,
    Clarification,
}

impl Choice for CorrectionKind {
    const KEY: &'static str = "kind";
    const ALL: &'static [Self] = &[
        CorrectionKind::Correction,
        CorrectionKind::Update,
        CorrectionKind::Clarification,
    ];
    fn name(self) -> &'static str {
        match self {
            CorrectionKind::Correction => "correction",
            CorrectionKind::Update => "update",
            CorrectionKind::Clarification => "clarification",
        }
    }
    fn words(self) -> Option<&'static str> {
        Some(match self {
            CorrectionKind::Correction => "something published was wrong",
            CorrectionKind::Update => "something new is added",
            CorrectionKind::Clarification => "something published is said more clearly",
        })
    }
}

/// Whether a claim still stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Active,
    Retracted,
    Superseded,
}

impl Status {
    /// The lowercase name used in front matter, CSS classes and data.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Retracted => "retracted",
            Status::Superseded => "superseded",
        }
    }
}

impl Choice for Status {
    const KEY: &'static str = "status";
    const ALL: &'static [Self] = &[Status::Active, Status::Retracted, Status::Superseded];
    fn name(self) -> &'static str {
        self.as_str()
    }
    fn words(self) -> Option<&'static str> {
        Some(match self {
            Status::Active => "still made",
            Status::Retracted => "withdrawn by its claimants",
            Status::Superseded => "replaced by a later claim",
        })
    }
}

/// An optional editorial verdict on a claim.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub rating: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// When the review was made.
    #[serde(default)]
    pub date: Option<PartialDate>,
    /// The rating on a numeric scale from `worst_rating` to `best_rating`, as fact-checkers
    /// publish it beside the words of `rating`.
    #[serde(default)]
    pub rating_value: Option<f64>,
    #[serde(default)]
    pub best_rating: Option<f64>,
    #[serde(default)]
    pub worst_rating: Option<f64>,
}

impl Assessment {
    /// What is wrong with the numeric rating, if anything: a value needs its scale, and
    /// must lie on it.
    pub(crate) fn scale_error(&self) -> Option<String> {
        let value = self.rating_value?;
        let (Some(best), Some(worst)) = (self.best_rating, self.worst_rating) else {
            return Some(
                "`rating_value` needs its scale: give `best_rating` and `worst_rating` too, such as `best_rating = 5` and `worst_rating = 1`".into(),
            );
        };
        let (low, high) = if best >= worst {
            (worst, best)
        } else {
            (best, worst)
        };
        (best == worst || !(low..=high).contains(&value)).then(|| {
            format!("`rating_value` {value} must lie between `worst_rating` {worst} and `best_rating` {best}, which must differ")
        })
    }
}

/// Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Credibility(pub u8);

impl<'de> Deserialize<'de> for Credibility {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if (1..=6).contains(&n) {
            Ok(Credibility(n as u8))
        } else {
            let list: Vec<String> = (1..=6)
                .map(|g| format!("`{g}` ({})", Credibility(g).words()))
                .collect();
            Err(serde::de::Error::custom(format!(
                "`credibility` must be one of {} or {}, not `{n}`",
                list[..5].join(", "),
                list[5]
            )))
        }
    }
}

impl Credibility {
    /// The grade in words.
    pub fn words(self) -> &'static str {
        match self.0 {
            1 => "confirmed by other sources",
            2 => "probably true",
            3 => "possibly true",
            4 => "doubtful",
            5 => "improbable",
            _ => "truth cannot be judged",
        }
    }
}

/// Admiralty source reliability, A (completely reliable) to F (cannot be judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Reliability {
    /// The grade in words.
    pub fn words(self) -> &'static str {
        match self {
            Reliability::A => "completely reliable",
            Reliability::B => "usually reliable",
            Reliability::C => "fairly reliable",
            Reliability::D => "not usually reliable",
            Reliability::E => "unreliable",
            Reliability::F => "reliability cannot be judged",
        }
    }

    /// The letter.
    pub fn letter(self) -> &'static str {
        match self {
            Reliability::A => "A",
            Reliability::B => "B",
            Reliability::C => "C",
            Reliability::D => "D",
            Reliability::E => "E",
            Reliability::F => "F",
        }
    }
}

/// What kind of document a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Report,
    Advisory,
    Article,
    Statement,
    Hearing,
    PressRelease,
    Dataset,
    Post,
    /// A court's decision.
    Judgment,
    /// A record of what was said: a hearing, a press conference, a broadcast.
    Transcript,
    /// A document filed in court: an indictment, a complaint, a motion.
    Filing,
    Other,
}

impl SourceKind {
    /// The name in words.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Report => "report",
            SourceKind::Advisory => "advisory",
            SourceKind::Article => "article",
            SourceKind::Statement => "statement",
            SourceKind::Hearing => "hearing",
            SourceKind::PressRelease => "press release",
            SourceKind::Dataset => "dataset",
            SourceKind::Post => "post",
            SourceKind::Judgment => "judgment",
            SourceKind::Transcript => "transcript",
            SourceKind::Filing => "court filing",
            SourceKind::Other => "other",
        }
    }
}

impl Choice for Reliability {
    const KEY: &'static str = "reliability";
    const ALL: &'static [Self] = &[
        Reliability::A,
        Reliability::B,
        Reliability::C,
        Reliability::D,
        Reliability::E,
        Reliability::F,
    ];
    fn name(self) -> &'static str {
        self.letter()
    }
    fn words(self) -> Option<&'static str> {
        Some(Reliability::words(self))
    }
}

impl Choice for SourceKind {
    const KEY: &'static str = "kind";
    const ALL: &'static [Self] = &[
        SourceKind::Report,
        SourceKind::Advisory,
        SourceKind::Article,
        SourceKind::Statement,
        SourceKind::Hearing,
        SourceKind::PressRelease,
        SourceKind::Dataset,
        SourceKind::Post,
        SourceKind::Judgment,
        SourceKind::Transcript,
        SourceKind::Filing,
        SourceKind::Other,
    ];
    fn name(self) -> &'static str {
        match self {
            SourceKind::PressRelease => "press-release",
            SourceKind::Filing => "filing",
            k => k.label(),
        }
    }
}

/// How an archived copy's address is introduced where it is written as text (CSL-JSON's
/// `archive_location`, which `dossier import` reads back).
pub(crate) const ARCHIVED_AT: &str = "Archived at ";

/// A source's front matter (`content/sources/<id>.md`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    pub title: String,
    #[serde(default)]
    pub kind: Option<SourceKind>,
    #[serde(default)]
    pub publisher: Option<String>,
    /// Its authors, each a name as written or a person's name in parts.
    #[serde(default)]
    pub authors: Vec<super::names::Author>,
    #[serde(default)]
    pub date: Option<PartialDate>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub archive_url: Option<String>,
    /// When the archived copy was made.
    #[serde(default)]
    pub archived: Option<PartialDate>,
    #[serde(default)]
    pub accessed: Option<PartialDate>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub title_translation: Option<String>,
    #[serde(default)]
    pub reliability: Option<Reliability>,
    #[serde(default)]
    pub published_by: Option<String>,
    /// The local copy quotes are verified against, relative to the source's file. Left out
    /// of `/dossier.json`, which gives the snapshot found instead.
    #[serde(default, skip_serializing)]
    pub snapshot: Option<String>,
    /// The SHA-256 the snapshot file had when it was captured, in hexadecimal.
    #[serde(default)]
    pub snapshot_sha256: Option<String>,
    /// When the snapshot was captured.
    #[serde(default)]
    pub snapshot_captured: Option<PartialDate>,
    /// The snapshot's text encoding, when neither a byte-order mark nor the page itself
    /// says (`windows-1252`, `gbk`, `shift_jis`…).
    #[serde(default)]
    pub snapshot_encoding: Option<String>,
    /// Whether its snapshot, web archive and time-stamp token are published, whatever
    /// `[snapshots] publish` says for the site.
    #[serde(default, skip_serializing)]
    pub publish_snapshot: Option<bool>,
    /// A report's number as its publisher gives it (`AA24-038A`).
    #[serde(default)]
    pub report_number: Option<String>,
    /// Its Digital Object Identifier (`10.1000/182`), without `https://doi.org/`.
    #[serde(default)]
    pub doi: Option<String>,
    /// When its text last changed in substance: translations made before are reported.
    #[serde(default)]
    pub updated: Option<PartialDate>,
    /// What was corrected, updated or clarified since it was published, and when.
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// What each re-reading of its live page found, oldest first.
    #[serde(default)]
    pub checks: Vec<SourceCheck>,
    /// Earlier addresses of its page (`/claims/old-id/`), each published as a page that
    /// sends the reader on to this one.
    #[serde(default, skip_serializing)]
    pub aliases: Vec<String>,
}

/// What kind of actor an actor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    Government,
    Agency,
    Company,
    Media,
    Group,
    Person,
    Organisation,
    /// A court or tribunal, whose judgments settle or weigh claims.
    Court,
    /// A parliament or congress, or one of its committees, which holds hearings.
    Legislature,
    /// An organisation of states: the UN and its agencies, NATO, the EU.
    Intergovernmental,
    Other,
}

impl ActorKind {
    /// The name in words.
    pub fn label(self) -> &'static str {
        match self {
            ActorKind::Government => "government",
            ActorKind::Agency => "agency",
            ActorKind::Company => "company",
            ActorKind::Media => "media",
            ActorKind::Group => "group",
            ActorKind::Person => "person",
            ActorKind::Organisation => "organisation",
            ActorKind::Court => "court",
            ActorKind::Legislature => "legislature",
            ActorKind::Intergovernmental => "intergovernmental",
            ActorKind::Other => "other",
        }
    }
}

impl Choice for ActorKind {
    const KEY: &'static str = "kind";
    const ALL: &'static [Self] = &[
        ActorKind::Government,
        ActorKind::Agency,
        ActorKind::Company,
        ActorKind::Media,
        ActorKind::Group,
        ActorKind::Person,
        ActorKind::Organisation,
        ActorKind::Court,
        ActorKind::Legislature,
        ActorKind::Intergovernmental,
        ActorKind::Other,
    ];
    fn name(self) -> &'static str {
        self.label()
    }
}

/// An actor's front matter (`content/actors/<id>.md`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActorMeta {
    pub title: String,
    #[serde(default)]
    pub kind: Option<ActorKind>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// Its other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// When its text last changed in substance: translations made before are reported.
    #[serde(default)]
    pub updated: Option<PartialDate>,
    /// What was corrected, updated or clarified since it was published, and when.
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// Earlier addresses of its page (`/actors/old-id/`), each published as a page that
    /// sends the reader on to this one: an actor's `aliases` are its other names.
    #[serde(default, skip_serializing)]
    pub redirect_from: Vec<String>,
}

/// A plain page's front matter (any other `.md`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    /// When its text last changed in substance: translations made before are reported.
    #[serde(default)]
    pub updated: Option<PartialDate>,
    /// What was corrected, updated or clarified since it was published, and when.
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// Earlier addresses of its page (`/claims/old-id/`), each published as a page that
    /// sends the reader on to this one.
    #[serde(default, skip_serializing)]
    pub aliases: Vec<String>,
}

/// The home page intro's front matter (`content/_index.md`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HomeMeta {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// When its text last changed in substance: translations made before are reported.
    #[serde(default)]
    pub updated: Option<PartialDate>,
    /// What was corrected, updated or clarified since it was published, and when.
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

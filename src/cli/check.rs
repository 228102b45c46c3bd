//! Check the content: `dossier check`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::{Ended, MessageFormat};
use crate::build;
use crate::load::config::Overrides;

/// Check the content and report every problem, writing nothing.
#[derive(Debug, Arguments)]
pub struct Args {
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include entries marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Also ask every source `url` and `archive_url` whether it is still there, and read
    /// again each live page with a verified quote to see whether the quote still is.
    #[cfg(feature = "capture")]
    #[arg(long)]
    external: bool,
    /// With `--external`, read again only the pages of sources accessed before DATE
    /// (`2026-11-01`), or never said to be.
    #[cfg(feature = "capture")]
    #[arg(long, value_name = "DATE", requires = "external", value_parser = crate::load::content::date::PartialDate::parse)]
    since: Option<crate::load::content::date::PartialDate>,
    /// With `--external`, write into each source re-read the day (`accessed`) and a
    /// `[[checks]]` entry with what was found.
    #[cfg(feature = "capture")]
    #[arg(long, requires = "external")]
    record: bool,
    /// Print a provenance report: sources without archived copy or snapshot, quotes
    /// not verified, claims resting on a single publisher.
    #[arg(long)]
    provenance: bool,
    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    let overrides = Overrides {
        drafts: a.drafts,
        ..Overrides::default()
    };
    #[cfg(feature = "capture")]
    let (external, since, record) = (a.external, a.since, a.record);
    #[cfg(not(feature = "capture"))]
    let (external, since, record) = (false, None, false);
    let mode = build::Mode::Check {
        external,
        since,
        record,
        provenance: a.provenance,
    };
    super::diagnostics(a.message_format, build::run(&a.root, &overrides, mode))
}

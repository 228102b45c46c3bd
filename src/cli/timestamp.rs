//! Time-stamping snapshots: `dossier timestamp`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::Ended;
use crate::capture;

/// Have sources' snapshots time-stamped by an RFC 3161 authority, keeping each token as
/// `<id>.tsr` beside its source: the sources named, or every one with a snapshot and
/// no token.
#[derive(Debug, Arguments)]
pub struct Args {
    /// The sources' ids.
    ids: Vec<String>,
    /// The time-stamping authority to ask, instead of `[capture] timestamp_authority`.
    #[arg(long, value_name = "URL")]
    timestamp_authority: Option<String>,
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    super::capture::ended(capture::stamp::run(&a.root, &a.ids, a.timestamp_authority))
}

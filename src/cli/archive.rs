//! Archiving sources in public: `dossier archive`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::Ended;
use crate::capture;

/// Have the Internet Archive archive sources' addresses (Save Page Now), writing each
/// copy's address as `archive_url`: the sources named, or every one with a `url` and no
/// `archive_url`.
#[derive(Debug, Arguments)]
pub struct Args {
    /// The sources' ids.
    ids: Vec<String>,
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    super::capture::ended(capture::archive::run(&a.root, &a.ids))
}

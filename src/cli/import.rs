//! Importing sources: `dossier import`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::Ended;
use crate::import;

/// Write sources from a Zotero CSL-JSON export (.json) or a BibTeX or BibLaTeX file
/// (.bib); sources that exist are skipped, never overwritten.
#[derive(Debug, Arguments)]
pub struct Args {
    /// The file to import.
    file: PathBuf,
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Say what would be written, and write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    let options = import::Options {
        file: a.file,
        root: a.root,
        dry_run: a.dry_run,
    };
    match import::run(&options) {
        Ok(outcome) if outcome.ok => Ended::success(outcome.report, String::new()),
        Ok(outcome) => Ended {
            out: outcome.report,
            ..Ended::problem(String::new())
        },
        Err(message) => Ended::problem(message),
    }
}

//! Renaming an entry: `dossier rename`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::{Ended, Status};
use crate::author::rename;

/// Change an entry's id everywhere: its file, translations and evidence files, every
/// reference to it, and an earlier address for its old page; all together or not at
/// all.
#[derive(Debug, Arguments)]
pub struct Args {
    /// The entry's id.
    old: String,
    /// Its new id.
    new: String,
    /// Print the changes as a unified diff (which `git apply` takes), and change
    /// nothing.
    #[arg(long)]
    dry_run: bool,
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    let options = rename::Options {
        root: a.root,
        old: a.old,
        new: a.new,
        dry_run: a.dry_run,
    };
    match rename::run(&options) {
        rename::Outcome::Done(report) => Ended::success(report, String::new()),
        rename::Outcome::Refused(problems) => {
            let mut lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            lines.push("nothing was renamed".into());
            Ended::lines(Status::Problem, &lines)
        }
        rename::Outcome::Usage(message) => Ended::usage(message),
    }
}

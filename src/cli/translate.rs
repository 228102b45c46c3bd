//! Starting a translation: `dossier translate`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::{Ended, Status};
use crate::author::scaffold;

/// Start a translation of an entry or page: write `<name>.<lang>.md` beside it, with
/// its title, summary, description and body to translate over.
#[derive(Debug, Arguments)]
pub struct Args {
    /// The original's file, under content/.
    file: PathBuf,
    /// A language `[languages]` in site.toml lists.
    lang: String,
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    match scaffold::translation::translate(&a.root, &a.file, &a.lang) {
        Ok(message) => Ended::success(String::new(), message),
        Err(problems) => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Ended::lines(Status::Problem, &lines)
        }
    }
}

//! Starting the interface in a language: `dossier i18n`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::{Ended, Status};
use crate::author::scaffold;

/// Write `i18n/LANG.toml` for translating the interface into LANG: every string with its
/// English text and where it appears, or, if the file exists, the strings it lacks.
#[derive(Debug, Arguments)]
pub struct Args {
    /// A language tag (BCP 47): `de`, `pt-BR`, `fa`.
    lang: String,
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    match scaffold::interface::write_table(&a.root, &a.lang) {
        Ok(message) => Ended::success(String::new(), message),
        Err((problems, true)) => {
            let d = problems.into_iter().next().map(|d| match d.suggestion {
                Some(s) => format!("{} (did you mean `{s}`?)", d.message),
                None => d.message,
            });
            Ended::usage(d.unwrap_or_default())
        }
        Err((problems, false)) => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Ended::lines(Status::Problem, &lines)
        }
    }
}

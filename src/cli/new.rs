//! A new entry: `dossier new`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::Ended;
use crate::author::scaffold;
use crate::author::scaffold::NewKind;

/// Create a new claim, source, actor or event file.
#[derive(Debug, Arguments)]
pub struct Args {
    /// What to create.
    kind: NewKind,
    /// The new entry's id: lowercase letters, digits, `-` and `_`.
    id: String,
    /// Its title.
    #[arg(long)]
    title: Option<String>,
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    if let Some(problem) = crate::load::content::id_problem(&a.id, "the id") {
        return Ended::usage(problem);
    }
    match scaffold::new_entry(&a.root, a.kind, &a.id, a.title.as_deref()) {
        Ok(message) => Ended::success(String::new(), message),
        Err(message) => Ended::problem(message),
    }
}

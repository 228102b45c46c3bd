//! A new dossier: `dossier init`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::Ended;
use crate::author::scaffold;

/// Create a new dossier in DIR, with one example claim, source and actor.
#[derive(Debug, Arguments)]
pub struct Args {
    /// The folder to create (must be empty or absent).
    dir: PathBuf,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    match scaffold::init(&a.dir) {
        Ok(message) => Ended::success(String::new(), message),
        Err(message) => Ended::problem(message),
    }
}

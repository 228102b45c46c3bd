//! Build the site: `dossier build`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::{Ended, MessageFormat};
use crate::build;
use crate::load::config::Overrides;

/// Build the site into the output folder.
#[derive(Debug, Arguments)]
pub struct Args {
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Write the site here instead of site.toml's output_dir.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Use this base URL instead of site.toml's base_url.
    #[arg(long)]
    base_url: Option<String>,
    /// Include entries marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    let overrides = Overrides {
        base_url: a.base_url,
        output: a.output,
        drafts: a.drafts,
        origin: None,
    };
    super::diagnostics(
        a.message_format,
        build::run(&a.root, &overrides, build::Mode::Build),
    )
}

//! Capturing a page as a source: `dossier capture`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::Ended;
use crate::capture;
use crate::load::content::meta::SourceKind;

/// Fetch a web page or PDF and write a source for it: its metadata, its snapshot as
/// received, a web-archive (WARC) record of the exchange and the snapshot's hash.
#[derive(Debug, Arguments)]
pub struct Args {
    /// The http or https address to capture.
    #[arg(required_unless_present = "restore")]
    url: Option<String>,
    /// Write source ID's snapshot back from the web archive of its capture, with the
    /// hash that matches it, instead of capturing.
    #[arg(long, value_name = "ID", conflicts_with_all = ["url", "id", "kind"])]
    restore: Option<String>,
    /// The new source's id (made from the title and year when left out).
    #[arg(long)]
    id: Option<String>,
    /// The source's kind (report, advisory, article, statement…).
    #[arg(long, value_parser = choice::<SourceKind>)]
    kind: Option<SourceKind>,
    /// Have the snapshot's hash time-stamped (RFC 3161) and keep the token as `<id>.tsr`.
    #[arg(long, conflicts_with = "restore")]
    timestamp: bool,
    /// The time-stamping authority to ask, instead of `[capture] timestamp_authority`.
    #[arg(long, value_name = "URL", requires = "timestamp")]
    timestamp_authority: Option<String>,
    /// Have the Internet Archive archive the page too, and write its address as
    /// `archive_url`.
    #[arg(long, conflicts_with = "restore")]
    archive: bool,
    /// The site's folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    ended(match (a.restore, a.url) {
        (Some(id), _) => capture::restore::run(&a.root, &id),
        (None, Some(url)) => capture::run(&capture::Options {
            url,
            id: a.id,
            kind: a.kind,
            timestamp: a.timestamp.then_some(a.timestamp_authority),
            archive: a.archive,
            root: a.root,
        }),
        (None, None) => capture::Outcome::Usage("give an address to capture".into()),
    })
}

/// How a capture, time-stamp or archive command ended.
pub(super) fn ended(outcome: capture::Outcome) -> Ended {
    match outcome {
        capture::Outcome::Done(report) => Ended::success(report, String::new()),
        capture::Outcome::Refused(message) => Ended::problem(message),
        capture::Outcome::Usage(message) => Ended::usage(message),
        capture::Outcome::Partly(done, failed) => Ended {
            out: done,
            ..Ended::problem(failed)
        },
    }
}

/// Reads a value of a closed set by its name, or says which names it takes and the
/// nearest one.
fn choice<C: crate::load::content::meta::Choice>(name: &str) -> Result<C, String> {
    C::ALL
        .iter()
        .copied()
        .find(|c| c.name() == name)
        .ok_or_else(|| {
            let names = C::ALL.iter().map(|c| c.name());
            let near = crate::base::diagnostics::nearest(name, names.clone())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            let all: Vec<&str> = names.collect();
            format!("not one of `{}`{near}", all.join("`, `"))
        })
}

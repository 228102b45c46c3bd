//! The command line: its arguments (each subcommand's in its own module, with what it
//! does) and how a command ends: what it prints and its exit status (0 success, 1 a
//! problem with the content, the disk or the network, 2 a command asked wrongly).

#[cfg(feature = "capture")]
mod archive;
mod build;
#[cfg(feature = "capture")]
mod capture;
mod check;
mod i18n;
mod import;
mod init;
mod new;
mod rename;
#[cfg(feature = "preview")]
mod serve;
#[cfg(feature = "capture")]
mod timestamp;
mod translate;

use clap::{Parser, Subcommand, ValueEnum};

/// Build sourced dossiers — claims, counter-claims, sources and actors — into a static site.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands, each in its own module with its arguments and what it does.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(build::Args),
    /// Check the content and report every problem, writing nothing.
    Check(check::Args),
    /// Build the site into memory, serve it on a loopback port and rebuild on every change.
    #[cfg(feature = "preview")]
    Serve(serve::Args),
    /// Fetch a web page or PDF and write a source for it: its metadata, its snapshot as
    /// received, a web-archive (WARC) record of the exchange and the snapshot's hash.
    #[cfg(feature = "capture")]
    Capture(capture::Args),
    /// Have the Internet Archive archive sources' addresses (Save Page Now), writing each
    /// copy's address as `archive_url`: the sources named, or every one with a `url` and no
    /// `archive_url`.
    #[cfg(feature = "capture")]
    Archive(archive::Args),
    /// Have sources' snapshots time-stamped by an RFC 3161 authority, keeping each token as
    /// `<id>.tsr` beside its source: the sources named, or every one with a snapshot and
    /// no token.
    #[cfg(feature = "capture")]
    Timestamp(timestamp::Args),
    /// Write sources from a Zotero CSL-JSON export (.json) or a BibTeX or BibLaTeX file
    /// (.bib); sources that exist are skipped, never overwritten.
    Import(import::Args),
    /// Create a new dossier in DIR, with one example claim, source and actor.
    Init(init::Args),
    /// Create a new claim, source, actor or event file.
    New(new::Args),
    /// Change an entry's id everywhere: its file, translations and evidence files, every
    /// reference to it, and an earlier address for its old page; all together or not at
    /// all.
    Rename(rename::Args),
    /// Start a translation of an entry or page: write `<name>.<lang>.md` beside it, with
    /// its title, summary, description and body to translate over.
    Translate(translate::Args),
    /// Write `i18n/LANG.toml` for translating the interface into LANG: every string with
    /// its English text and where it appears, or, if the file exists, the strings it lacks.
    I18n(i18n::Args),
}

/// How `build` and `check` print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MessageFormat {
    /// `path:line:col: error: message` on standard error.
    Human,
    /// One JSON object per diagnostic per line on standard output (file, line, column,
    /// severity, message, suggestion); the summary and any report go to standard error.
    Json,
}

impl Command {
    /// Whether the command is the preview, which runs until it is stopped.
    pub fn is_preview(&self) -> bool {
        #[cfg(feature = "preview")]
        if matches!(self, Command::Serve(_)) {
            return true;
        }
        false
    }
}

/// Runs a command.
pub fn run(command: Command) -> Ended {
    match command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        #[cfg(feature = "preview")]
        Command::Serve(a) => serve::run(a),
        #[cfg(feature = "capture")]
        Command::Capture(a) => capture::run(a),
        #[cfg(feature = "capture")]
        Command::Archive(a) => archive::run(a),
        #[cfg(feature = "capture")]
        Command::Timestamp(a) => timestamp::run(a),
        Command::Import(a) => import::run(a),
        Command::Init(a) => init::run(a),
        Command::New(a) => new::run(a),
        Command::Rename(a) => rename::run(a),
        Command::Translate(a) => translate::run(a),
        Command::I18n(a) => i18n::run(a),
    }
}

/// How a command ended: what it prints on standard output and standard error, and the
/// exit status that says how it went.
#[derive(Debug)]
pub struct Ended {
    pub out: String,
    pub err: String,
    pub status: Status,
}

/// How a command went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success,
    /// A problem in the content, on the disk or on the network.
    Problem,
    /// The command was asked wrongly.
    Usage,
}

impl Status {
    /// The exit status: 0, 1 or 2.
    pub fn code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::Problem => 1,
            Status::Usage => 2,
        }
    }
}

impl Ended {
    /// Done: a report for standard output and a note for standard error.
    fn success(out: String, note: String) -> Ended {
        Ended {
            out,
            err: note,
            status: Status::Success,
        }
    }

    /// Not done for a problem, said as `error: message` (nothing when it is empty).
    fn problem(message: String) -> Ended {
        Ended::said(Status::Problem, message)
    }

    /// Not done for the way it was asked.
    fn usage(message: String) -> Ended {
        Ended::said(Status::Usage, message)
    }

    fn said(status: Status, message: String) -> Ended {
        let err = if message.is_empty() {
            message
        } else {
            format!("error: {message}")
        };
        Ended {
            out: String::new(),
            err,
            status,
        }
    }

    /// Ended with `lines` on standard error.
    fn lines(status: Status, lines: &[String]) -> Ended {
        Ended {
            out: String::new(),
            err: lines.join("\n"),
            status,
        }
    }
}

/// How `build` and `check` end: their diagnostics in the format asked, the count of
/// warnings and the summary.
fn diagnostics(format: MessageFormat, outcome: crate::build::Outcome) -> Ended {
    let json = format == MessageFormat::Json;
    let (mut out, mut err) = (String::new(), String::new());
    let line = |s: &mut String, text: &str| {
        s.push_str(text);
        s.push('\n');
    };
    if let Some(r) = &outcome.report {
        // Standard output carries only diagnostics in JSON.
        if json {
            err.push_str(r)
        } else {
            out.push_str(r)
        }
    }
    for d in &outcome.diagnostics {
        if json {
            line(&mut out, &d.to_json());
        } else {
            line(&mut err, &d.to_string());
        }
    }
    for n in &outcome.notes {
        line(&mut err, &format!("note: {n}"));
    }
    let warnings = outcome.diagnostics.len();
    if outcome.ok && warnings > 0 {
        line(
            &mut err,
            &crate::base::diagnostics::count(warnings, "warning", "warnings"),
        );
    }
    err.push_str(&outcome.summary);
    let status = if outcome.ok {
        Status::Success
    } else {
        Status::Problem
    };
    Ended { out, err, status }
}

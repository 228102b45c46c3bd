//! The command line, as arguments only; `main` decides what to do with them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Build sourced dossiers — claims, counter-claims, sources and actors — into a static site.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
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
    },
    /// Check the content and report every problem, writing nothing.
    Check {
        /// The site's folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include entries marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Also ask every source `url` and `archive_url` whether it is still there.
        #[arg(long)]
        external: bool,
        /// Print a provenance report: sources without archived copy or snapshot, quotes
        /// not verified, claims resting on a single publisher.
        #[arg(long)]
        provenance: bool,
        /// How to print errors and warnings.
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
    },
    /// Build the site into memory, serve it on a loopback port and rebuild on every change.
    Serve {
        /// The site's folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; anything but loopback exposes the preview to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include entries marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Answer requests for this host name too (besides the bound address and
        /// localhost); may be given more than once.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Fetch a web page or PDF and write a source for it: its metadata, its snapshot as
    /// received, a web-archive (WARC) record of the exchange and the snapshot's hash.
    Capture {
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
        #[arg(long)]
        kind: Option<String>,
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
    },
    /// Have the Internet Archive archive sources' addresses (Save Page Now), writing each
    /// copy's address as `archive_url`: the sources named, or every one with a `url` and no
    /// `archive_url`.
    Archive {
        /// The sources' ids.
        ids: Vec<String>,
        /// The site's folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Have sources' snapshots time-stamped by an RFC 3161 authority, keeping each token as
    /// `<id>.tsr` beside its source: the sources named, or every one with a snapshot and
    /// no token.
    Timestamp {
        /// The sources' ids.
        ids: Vec<String>,
        /// The time-stamping authority to ask, instead of `[capture] timestamp_authority`.
        #[arg(long, value_name = "URL")]
        timestamp_authority: Option<String>,
        /// The site's folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write sources from a Zotero CSL-JSON export (.json) or a BibTeX or BibLaTeX file
    /// (.bib); sources that exist are skipped, never overwritten.
    Import {
        /// The file to import.
        file: PathBuf,
        /// The site's folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Say what would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Create a new dossier in DIR, with one example claim, source and actor.
    Init {
        /// The folder to create (must be empty or absent).
        dir: PathBuf,
    },
    /// Create a new claim, source, actor or event file.
    New {
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
    },
    /// Change an entry's id everywhere: its file, translations and evidence files, every
    /// reference to it, and an earlier address for its old page; all together or not at
    /// all.
    Rename {
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
    },
    /// Start a translation of an entry or page: write `<name>.<lang>.md` beside it, with
    /// its title, summary, description and body to translate over.
    Translate {
        /// The original's file, under content/.
        file: PathBuf,
        /// A language `[languages]` in site.toml lists.
        lang: String,
        /// The site's folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// How `build` and `check` print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// `path:line:col: error: message` on standard error.
    Human,
    /// One JSON object per diagnostic per line on standard output (file, line, column,
    /// severity, message, suggestion); the summary and any report go to standard error.
    Json,
}

/// The kinds of entry `dossier new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    Claim,
    Source,
    Actor,
    Event,
}

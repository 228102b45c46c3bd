//! `dossier`: parse the command line, run the command, print diagnostics, set the exit code.

use std::process::ExitCode;

/// Building a site allocates many small strings; mimalloc does that faster than the
/// system allocator, on every platform.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

use dossier::cli::{Cli, Command, MessageFormat};
use dossier::config::Overrides;
use dossier::{build, capture, import, rename, scaffold, serve};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        end_quietly_on_closed_pipe();
    }
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            message_format,
        } => report(
            message_format,
            build::run(
                &root,
                &Overrides {
                    base_url,
                    output,
                    drafts,
                    origin: None,
                },
                build::Mode::Build,
            ),
        ),
        Command::Check {
            root,
            drafts,
            external,
            provenance,
            message_format,
        } => report(
            message_format,
            build::run(
                &root,
                &Overrides {
                    drafts,
                    ..Overrides::default()
                },
                build::Mode::Check {
                    external,
                    provenance,
                },
            ),
        ),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
            allow_host,
        } => match serve::run(&serve::Options {
            root,
            addr: std::net::SocketAddr::new(bind, port),
            drafts,
            open,
            allow_hosts: allow_host,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(msg) => {
                eprintln!("error: {msg}");
                ExitCode::from(1)
            }
        },
        Command::Capture {
            url,
            restore,
            id,
            kind,
            timestamp,
            timestamp_authority,
            archive,
            root,
        } => exit(match (restore, url) {
            (Some(id), _) => capture::restore::run(&root, &id),
            (None, Some(url)) => capture::run(&capture::Options {
                url,
                id,
                kind,
                timestamp: timestamp.then_some(timestamp_authority),
                archive,
                root,
            }),
            (None, None) => capture::Outcome::Usage("give an address to capture".into()),
        }),
        Command::Timestamp {
            ids,
            timestamp_authority,
            root,
        } => exit(capture::stamp::run(&root, &ids, timestamp_authority)),
        Command::Archive { ids, root } => exit(capture::archive::run(&root, &ids)),
        Command::Import {
            file,
            root,
            dry_run,
        } => match import::run(&import::Options {
            file,
            root,
            dry_run,
        }) {
            Ok(outcome) => {
                println!("{}", outcome.report);
                if outcome.ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                ExitCode::from(1)
            }
        },
        Command::Rename {
            old,
            new,
            dry_run,
            root,
        } => match rename::run(&rename::Options {
            root,
            old,
            new,
            dry_run,
        }) {
            rename::Outcome::Done(report) => {
                print!("{report}");
                if !report.ends_with('\n') && !report.is_empty() {
                    println!();
                }
                ExitCode::SUCCESS
            }
            rename::Outcome::Refused(problems) => {
                problems.iter().for_each(|d| eprintln!("{d}"));
                eprintln!("nothing was renamed");
                ExitCode::from(1)
            }
            rename::Outcome::Usage(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Command::Init { dir } => simple(scaffold::init(&dir)),
        Command::Translate { file, lang, root } => {
            match scaffold::translation::translate(&root, &file, &lang) {
                Ok(msg) => {
                    eprintln!("{msg}");
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    diagnostics.iter().for_each(|d| eprintln!("{d}"));
                    ExitCode::from(1)
                }
            }
        }
        Command::New {
            kind,
            id,
            title,
            root,
        } => simple(scaffold::new_entry(&root, kind, &id, title.as_deref())),
    }
}

fn report(format: MessageFormat, outcome: build::Outcome) -> ExitCode {
    let json = format == MessageFormat::Json;
    if let Some(r) = &outcome.report {
        // Standard output carries only diagnostics in JSON.
        if json {
            eprint!("{r}");
        } else {
            print!("{r}");
        }
    }
    for d in &outcome.diagnostics {
        if json {
            println!("{}", d.to_json());
        } else {
            eprintln!("{d}");
        }
    }
    if outcome.ok {
        let warnings = outcome.diagnostics.len();
        if warnings > 0 {
            eprintln!("{warnings} warning{}", if warnings == 1 { "" } else { "s" });
        }
        eprintln!("{}", outcome.summary);
        ExitCode::SUCCESS
    } else {
        eprintln!("{}", outcome.summary);
        ExitCode::from(1)
    }
}

fn simple(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(msg) => {
            eprintln!("{msg}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// Prints what a capture command did, or why it did not, and the exit code that says so.
fn exit(outcome: capture::Outcome) -> ExitCode {
    match outcome {
        capture::Outcome::Done(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        capture::Outcome::Refused(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
        capture::Outcome::Usage(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        capture::Outcome::Partly(done, failed) => {
            if !done.is_empty() {
                println!("{done}");
            }
            eprintln!("error: {failed}");
            ExitCode::from(1)
        }
    }
}

/// Lets a write into a closed pipe (`dossier check | head -1`) end the process as it ends
/// other command-line tools, by the signal, instead of a panic in `println!`. The preview
/// keeps Rust's default of ignoring the signal, so that a browser closing a connection
/// is an error to handle, not the end of the server.
fn end_quietly_on_closed_pipe() {
    // SAFETY: restoring a signal's default disposition before any thread is started
    // touches no state of this program.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

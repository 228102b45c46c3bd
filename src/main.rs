//! `dossier`: parse the command line, run the command, print what it says, exit with its
//! status.

use std::io::Write;
use std::process::ExitCode;

/// Building a site allocates many small strings; mimalloc does that faster than the
/// system allocator, on every platform.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

use dossier::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !cli.command.is_preview() {
        end_quietly_on_closed_pipe();
    }
    let ended = dossier::cli::run(cli.command);
    for (text, mut stream) in [
        (&ended.out, Box::new(std::io::stdout()) as Box<dyn Write>),
        (&ended.err, Box::new(std::io::stderr())),
    ] {
        if !text.is_empty() {
            let end = if text.ends_with('\n') { "" } else { "\n" };
            let _ = write!(stream, "{text}{end}");
        }
    }
    ExitCode::from(ended.status.code())
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

//! The preview: `dossier serve`.

use std::path::PathBuf;

use clap::Args as Arguments;

use super::Ended;
use crate::serve;

/// Build the site into memory, serve it on a loopback port and rebuild on every change.
#[derive(Debug, Arguments)]
pub struct Args {
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
}

/// Runs the command.
pub fn run(a: Args) -> Ended {
    let options = serve::Options {
        root: a.root,
        addr: std::net::SocketAddr::new(a.bind, a.port),
        drafts: a.drafts,
        open: a.open,
        allow_hosts: a.allow_host,
    };
    match serve::run(&options) {
        Ok(()) => Ended::success(String::new(), String::new()),
        Err(message) => Ended::problem(message),
    }
}

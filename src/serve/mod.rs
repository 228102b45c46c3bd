//! `dossier serve`: builds the site into memory, serves it over HTTP and rebuilds what a
//! change affects as soon as a file is saved.

mod dirty;
mod good;
mod http;
pub mod live;
mod served;
mod server;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;

use crate::base::diagnostics::Severity;
use crate::load::config::Overrides;
use http::Shared;
use live::{Changes, Live, Outcome};
use watch::Msg;

/// The command's options.
pub struct Options {
    pub root: PathBuf,
    pub addr: SocketAddr,
    pub drafts: bool,
    pub open: bool,
    /// Host names besides the bound address and `localhost` that may ask for pages.
    pub allow_hosts: Vec<String>,
}

/// Runs the preview until Ctrl-C or SIGTERM.
pub fn run(o: &Options) -> Result<(), String> {
    let root = o
        .root
        .canonicalize()
        .map_err(|e| format!("cannot open the site folder {}: {e}", o.root.display()))?;
    let listener = std::net::TcpListener::bind(o.addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "port {} on {} is in use; stop what is using it or choose another with --port",
                o.addr.port(),
                o.addr.ip()
            )
        } else {
            format!("cannot listen on {}: {e}", o.addr)
        }
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", o.addr))?;
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let origin = format!("http://{host}:{}", addr.port());
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, so other machines on the network can see this preview",
            addr.ip()
        );
    }

    let (tx, rx) = mpsc::channel();
    let mut watcher = watch::start(&root, tx.clone())?;
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Msg::Stop);
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;

    let mut live = Live::new(
        root.clone(),
        Overrides {
            drafts: o.drafts,
            origin: Some(origin.clone()),
            ..Overrides::default()
        },
    );
    let shared = Arc::new(Shared::default());
    let first = live.rebuild(&Changes::everything());
    publish(&shared, &live, &first);

    // Two threads move bytes; pages are made on tokio's blocking threads.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("dossier-http")
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.spawn(server::run(
        listener,
        shared.clone(),
        server::Hosts::new(addr, &o.allow_hosts),
    ));
    let base = live
        .served()
        .map_or("/".to_string(), |s| s.base_path().to_string());
    let url = format!("{origin}{base}");
    eprintln!("serving {url} (Ctrl-C to stop)");
    if o.open
        && let Err(e) = open::that(&url)
    {
        eprintln!("warning: cannot open a browser: {e}");
    }

    while let Ok(msg) = rx.recv() {
        let Msg::Files(first) = msg else { break };
        let (changes, stop) = watch::collect(first, &rx, &root, &mut watcher);
        if !changes.is_empty() {
            let outcome = live.rebuild(&changes);
            publish(&shared, &live, &outcome);
        }
        if stop {
            break;
        }
    }
    runtime.shutdown_background();
    eprintln!("stopped");
    Ok(())
}

/// Everything, for the first build.
/// Prints what a build did and makes its result what the server shows.
fn publish(shared: &Shared, live: &Live, outcome: &Outcome) {
    for d in &outcome.diagnostics {
        eprintln!("{d}");
    }
    let ms = outcome.elapsed.as_secs_f64() * 1000.0;
    if outcome.ok {
        eprintln!(
            "built in {ms:.0} ms: {} rendered, {} changed, {} removed",
            crate::base::diagnostics::count(outcome.rendered, "page", "pages"),
            outcome.changed,
            outcome.removed
        );
        shared.publish(live.served(), outcome.css_only, Vec::new());
    } else {
        let errors: Vec<String> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect();
        let kept = if live.served().is_some() {
            "the preview keeps the last good site"
        } else {
            "nothing to show until it is fixed"
        };
        eprintln!(
            "build failed with {} error{}; {kept}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
        shared.publish(None, false, errors);
    }
}

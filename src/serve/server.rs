//! The preview's HTTP server, on hyper and tokio: connections are bounded in number,
//! header size and time (headers, idle keep-alive, slow writes), every response is
//! answered on a blocking thread so that no page delays another, running out of file
//! descriptors makes it shed idle connections and wait instead of stopping, and only
//! requests for the preview's own host names are answered (no DNS rebinding).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};
use tokio_io_timeout::TimeoutStream;

use super::http::{self, Shared};

/// Connections open at once; past it, the longest-idle connection is closed for a new one.
const MAX_CONNECTIONS: usize = 256;
/// The most a request's line and headers may take.
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send a request's head, or stay idle between requests.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long writing a response may stall before the connection is closed.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How many idle connections to close at once when the process is out of descriptors.
const SHED_AT_ONCE: usize = 16;
/// How long to wait before accepting again when out of descriptors: short after idle
/// connections were closed (their descriptors come free at once), longer when none were.
const BACKOFF: Duration = Duration::from_millis(2);
const BACKOFF_BUSY: Duration = Duration::from_millis(50);

/// Which `Host` names the preview answers to.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    /// The address it is bound to.
    addr: SocketAddr,
    /// Names given with `--allow-host`, lowercase.
    extra: Vec<String>,
}

impl Hosts {
    pub fn new(addr: SocketAddr, extra: &[String]) -> Hosts {
        Hosts {
            addr,
            extra: extra.iter().map(|h| h.to_ascii_lowercase()).collect(),
        }
    }

    /// Whether a `Host` header (or the host of an `Origin`) names this preview: the bound
    /// address (any address, when bound to all of them), `localhost`, or an allowed name,
    /// with at most a port after it. Anything else in it (`localhost:80@evil.com`, a path,
    /// a second colon) refuses it.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let (name, rest) = match host.strip_prefix('[') {
            Some(v6) => match v6.split_once(']') {
                Some(parts) => parts,
                None => return false,
            },
            None => host.split_at(host.find(':').unwrap_or(host.len())),
        };
        let port_ok = rest.is_empty()
            || rest
                .strip_prefix(':')
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        if !port_ok {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if name == "localhost" || self.extra.contains(&name) {
            return true;
        }
        match name.parse::<std::net::IpAddr>() {
            Ok(ip) => self.addr.ip().is_unspecified() || ip == self.addr.ip(),
            Err(_) => false,
        }
    }

    /// The names to suggest in a refusal.
    fn describe(&self) -> String {
        let mut names = vec![
            self.addr.to_string(),
            format!("localhost:{}", self.addr.port()),
        ];
        names.extend(self.extra.iter().cloned());
        names.join(", ")
    }
}

/// Open connections, so that the longest idle one can be closed when room is needed.
#[derive(Default)]
struct Registry {
    next: AtomicU64,
    open: Mutex<Vec<Arc<Conn>>>,
    /// Set while the process is out of file descriptors, so that it is said once.
    starved: AtomicBool,
}

struct Conn {
    id: u64,
    /// When it last finished a response (or connected), while it has no request running.
    idle_since: Mutex<Option<Instant>>,
    close: Notify,
}

impl Registry {
    fn add(&self) -> Arc<Conn> {
        let conn = Arc::new(Conn {
            id: self.next.fetch_add(1, Ordering::Relaxed),
            idle_since: Mutex::new(Some(Instant::now())),
            close: Notify::new(),
        });
        lock(&self.open).push(conn.clone());
        conn
    }

    fn remove(&self, id: u64) {
        lock(&self.open).retain(|c| c.id != id);
    }

    /// Asks the connection idle the longest to close; whether there was one.
    fn shed_idle(&self) -> bool {
        let open = lock(&self.open);
        let oldest = open
            .iter()
            .filter_map(|c| lock(&c.idle_since).map(|t| (t, c)))
            .min_by_key(|(t, _)| *t);
        match oldest {
            Some((_, c)) => {
                *lock(&c.idle_since) = None;
                c.close.notify_one();
                true
            }
            None => false,
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Serves `shared` on `listener` until the runtime is shut down.
pub async fn run(listener: std::net::TcpListener, shared: Arc<Shared>, hosts: Hosts) {
    let listener = match listener
        .set_nonblocking(true)
        .and_then(|()| TcpListener::from_std(listener))
    {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen: {e}");
            return;
        }
    };
    let registry = Arc::new(Registry::default());
    let room = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let hosts = Arc::new(hosts);
    loop {
        let permit = match room.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                // Full: make room by closing the longest idle connection, then wait.
                registry.shed_idle();
                match room.clone().acquire_owned().await {
                    Ok(p) => p,
                    Err(_) => return,
                }
            }
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) if out_of_descriptors(&e) => {
                if !registry.starved.swap(true, Ordering::Relaxed) {
                    eprintln!(
                        "warning: the preview has run out of file descriptors ({e}); it closes idle connections and waits for others to close (raise the limit with `ulimit -n`)"
                    );
                }
                let shed = (0..SHED_AT_ONCE)
                    .take_while(|_| registry.shed_idle())
                    .count();
                let wait = if shed > 0 { BACKOFF } else { BACKOFF_BUSY };
                tokio::time::sleep(wait).await;
                continue;
            }
            Err(_) => continue,
        };
        if registry.starved.swap(false, Ordering::Relaxed) {
            eprintln!("the preview accepts connections again");
        }
        let (shared, hosts, registry) = (shared.clone(), hosts.clone(), registry.clone());
        tokio::spawn(async move {
            serve_connection(stream, shared, hosts, &registry).await;
            drop(permit);
        });
    }
}

/// Whether accepting failed for want of file descriptors (the process's or the system's).
fn out_of_descriptors(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
}

async fn serve_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    hosts: Arc<Hosts>,
    registry: &Registry,
) {
    // Small responses go out at once instead of waiting for more to send.
    stream.set_nodelay(true).ok();
    let mut io = TimeoutStream::new(stream);
    io.set_write_timeout(Some(WRITE_TIMEOUT));
    let io = TokioIo::new(Box::pin(io));
    let conn = registry.add();
    let id = conn.id;
    let service = {
        let conn = conn.clone();
        hyper::service::service_fn(move |req: Request<Incoming>| {
            let (shared, hosts, conn) = (shared.clone(), hosts.clone(), conn.clone());
            async move {
                *lock(&conn.idle_since) = None;
                let response = respond(req, &shared, &hosts).await;
                *lock(&conn.idle_since) = Some(Instant::now());
                Ok::<_, Infallible>(response)
            }
        })
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_HEAD)
        .keep_alive(true);
    let connection = builder.serve_connection(io, service);
    let mut connection: Pin<Box<_>> = Box::pin(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = conn.close.notified() => {
            connection.as_mut().graceful_shutdown();
            // A connection asked to close while idle ends at once; give a busy one a moment.
            tokio::time::timeout(WRITE_TIMEOUT, connection).await.ok();
        }
    }
    registry.remove(id);
}

/// Checks the request's host, then answers it on a blocking thread (pages can take a
/// while to render, and must not hold up the threads that move bytes).
async fn respond(
    req: Request<Incoming>,
    shared: &Arc<Shared>,
    hosts: &Hosts,
) -> Response<Full<Bytes>> {
    // One Host header naming this preview, and no other host in the request line.
    let mut given = req.headers().get_all(hyper::header::HOST).iter();
    let host = match (given.next(), given.next()) {
        (Some(h), None) => h.to_str().unwrap_or(""),
        _ => "",
    };
    let elsewhere = req
        .uri()
        .authority()
        .is_some_and(|a| !hosts.allows(a.as_str()));
    if elsewhere || !hosts.allows(host) {
        return http::refused(&format!(
            "This preview answers only requests for {}, so that no other web site can read it through a name that points at this machine (DNS rebinding). To allow another name, start it with `dossier serve --allow-host NAME`.\n",
            hosts.describe()
        ));
    }
    let method = req.method().clone();
    let target = req
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.to_string());
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.clone(), String::new()),
    };
    if path == http::EVENTS {
        let origin = req
            .headers()
            .get(hyper::header::ORIGIN)
            .and_then(|h| h.to_str().ok());
        let foreign = origin.is_some_and(|o| {
            let host = o.split_once("://").map_or(o, |(_, h)| h);
            !hosts.allows(host)
        });
        if foreign {
            return http::refused("The preview's reload events are only for its own pages.\n");
        }
        return http::events(shared, &query).await;
    }
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || http::answer(&method, &path, &query, &shared))
        .await
        .unwrap_or_else(|_| http::failed("the page could not be made".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_previews_own_names_are_allowed() {
        let loopback = Hosts::new("127.0.0.1:1111".parse().unwrap(), &["dossier.test".into()]);
        for ok in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LOCALHOST",
            "dossier.test:1111",
        ] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for bad in [
            "",
            "evil.example:1111",
            "127.0.0.2:1111",
            "localhost.evil.example",
            "[::1]:1111",
            "localhost:80@evil.com",
            "localhost@evil.com",
            "localhost:1111/x",
            "localhost:",
            "127.0.0.1:11:11",
            "[::1",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        let v6 = Hosts::new("[::1]:1111".parse().unwrap(), &[]);
        assert!(v6.allows("[::1]:1111"));
        let all = Hosts::new("0.0.0.0:1111".parse().unwrap(), &[]);
        assert!(all.allows("192.168.1.5:1111") && !all.allows("evil.example"));
    }
}

//! `dossier serve` under load, faults and hostile clients, through the real binary on a
//! loopback port: too few file descriptors, hundreds of idle connections, a client that
//! never reads, huge headers, a slow sender, another host name. Meanwhile and afterwards a
//! normal request must be answered promptly.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Served, Site, start_serve};

/// How long a normal request may take while another client misbehaves: generous for a
/// loaded CI machine, far below the seconds a blocked server would take.
const PROMPT: Duration = Duration::from_millis(1500);

struct Preview {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Preview {
    /// Starts `dossier serve` on the example, under `prefix` (such as `prlimit …`).
    fn start(site: &Site, prefix: &[&str], extra: &[&str]) -> Preview {
        let Served { child, port, log } = start_serve(site, prefix, extra);
        Preview { child, port, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s
    }

    /// Sends one request with these headers and reads the reply: status and body.
    fn ask(&self, target: &str, headers: &str) -> (u16, String) {
        let mut s = self.connect();
        write!(
            s,
            "GET {target} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).ok();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (status, body)
    }

    fn host(&self) -> String {
        format!("Host: 127.0.0.1:{}\r\n", self.port)
    }

    /// A normal page request: it succeeds, within `PROMPT`.
    fn assert_prompt(&self, when: &str) {
        let started = Instant::now();
        let (status, body) = self.ask("/volt-typhoon/claims/", &self.host());
        let took = started.elapsed();
        assert_eq!(status, 200, "{when}: {body}\n{}", self.log());
        assert!(body.contains("</html>"), "{when}: a whole page");
        assert!(
            took < PROMPT,
            "{when}: a normal request took {took:?}\n{}",
            self.log()
        );
    }

    /// The server's resident memory, in kB.
    fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn only_requests_for_its_own_names_are_answered() {
    let site = Site::example();
    let p = Preview::start(&site, &[], &["--allow-host", "dossier.test"]);
    let (status, body) = p.ask(
        "/volt-typhoon/dossier.json",
        "Host: attacker.example:80\r\n",
    );
    assert_eq!(status, 403);
    assert!(
        body.contains("DNS rebinding") && body.contains("--allow-host NAME"),
        "{body}"
    );
    assert!(!body.contains("schema_version"));
    for host in [
        p.host(),
        format!("Host: localhost:{}\r\n", p.port),
        "Host: dossier.test\r\n".into(),
    ] {
        let (status, _) = p.ask("/volt-typhoon/", &host);
        assert_eq!(status, 200, "{host}");
    }
    // No Host at all is refused too, and so is a Host that only starts with an allowed
    // name, a second Host, or a request line naming another host.
    let (status, _) = p.ask("/volt-typhoon/", "");
    assert_eq!(status, 403);
    let (status, _) = p.ask("/volt-typhoon/", "Host: localhost:80@evil.com\r\n");
    assert_eq!(status, 403);
    let twice = format!("{}Host: evil.example\r\n", p.host());
    assert_eq!(p.ask("/volt-typhoon/", &twice).0, 403);
    let twice = format!("Host: evil.example\r\n{}", p.host());
    assert_eq!(p.ask("/volt-typhoon/", &twice).0, 403);
    assert_eq!(p.ask("http://evil.example/volt-typhoon/", &p.host()).0, 403);
    let own = format!("http://127.0.0.1:{}/volt-typhoon/", p.port);
    assert_eq!(p.ask(&own, &p.host()).0, 200);
    // The reload events answer the preview's own pages only.
    let events = "/__dossier/events";
    let (status, _) = p.ask(
        events,
        &format!("{}Origin: http://attacker.example\r\n", p.host()),
    );
    assert_eq!(status, 403);
    let origin = format!("{}Origin: http://127.0.0.1:{}\r\n", p.host(), p.port);
    let (status, body) = p.ask(events, &origin);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"version\""));
}

#[test]
fn hundreds_of_idle_connections_do_not_shut_others_out() {
    let site = Site::example();
    let p = Preview::start(&site, &[], &[]);
    // More idle connections than the server keeps open at once, some after a request.
    let mut idle = Vec::new();
    for i in 0..400 {
        let mut s = p.connect();
        if i % 2 == 0 {
            write!(s, "GET /volt-typhoon/ HTTP/1.1\r\n{}\r\n", p.host()).unwrap();
        }
        idle.push(s);
        if i % 100 == 99 {
            p.assert_prompt(&format!("with {} idle connections", i + 1));
        }
    }
    p.assert_prompt("with 400 idle connections");
    drop(idle);
    p.assert_prompt("after they closed");
}

#[test]
fn running_out_of_file_descriptors_does_not_stop_it() {
    let site = Site::example();
    let mut p = Preview::start(&site, &["prlimit", "--nofile=96:96", "--"], &[]);
    // Far more connections than descriptors: the server sheds idle ones and backs off.
    let mut held = Vec::new();
    for _ in 0..300 {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", p.port)) {
            held.push(s);
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    p.assert_prompt("while descriptors are exhausted");
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    p.assert_prompt("after the connections closed");
    assert!(p.alive(), "{}", p.log());
    assert!(
        p.log().contains("run out of file descriptors"),
        "the terminal says so:\n{}",
        p.log()
    );
}

#[test]
fn a_client_that_never_reads_delays_nobody() {
    let site = Site::example();
    let p = Preview::start(&site, &[], &[]);
    // Pipelined requests for the largest page, never read.
    let mut s = p.connect();
    let one = format!("GET /volt-typhoon/print/ HTTP/1.1\r\n{}\r\n", p.host());
    s.write_all(one.repeat(200).as_bytes()).unwrap();
    for i in 0..5 {
        p.assert_prompt(&format!("while a client does not read ({i})"));
    }
    drop(s);
    p.assert_prompt("after it left");
}

#[test]
fn huge_headers_and_slow_senders_are_cut_off() {
    let site = Site::example();
    let p = Preview::start(&site, &[], &[]);
    let before = p.rss_kb();
    // Four clients each sending a 50 MB header: each is refused after the head limit.
    let senders: Vec<_> = (0..4)
        .map(|_| {
            let mut s = p.connect();
            std::thread::spawn(move || {
                let chunk = vec![b'a'; 1 << 20];
                let _ = s.write_all(b"GET /volt-typhoon/ HTTP/1.1\r\nX-Big: ");
                let mut sent = 0;
                while sent < 50 && s.write_all(&chunk).is_ok() {
                    sent += 1;
                }
                let mut reply = Vec::new();
                let _ = s.read_to_end(&mut reply);
                (sent, String::from_utf8_lossy(&reply).into_owned())
            })
        })
        .collect();
    // A slow sender: one byte of head at a time.
    let mut slow = p.connect();
    slow.write_all(b"GET /volt-typhoon/ HTTP/1.1\r\n").unwrap();
    p.assert_prompt("while huge heads and a slow sender arrive");
    for t in senders {
        let (sent, reply) = t.join().unwrap();
        assert!(sent < 50, "the server read all of a 50 MB header");
        assert!(
            reply.is_empty() || reply.starts_with("HTTP/1.1 431"),
            "{reply}"
        );
    }
    let after = p.rss_kb();
    assert!(
        after < before + 50_000,
        "the server's memory grew from {before} kB to {after} kB"
    );
    p.assert_prompt("after the huge heads");
    // The slow sender is cut off once its head takes too long.
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

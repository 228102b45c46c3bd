//! A small HTTP load generator for the preview's benchmark (`bench/serve_load.py`):
//! `http_load PORT PATH CONNECTIONS SECONDS keepalive|close` runs one thread per
//! connection, each sending GET requests one after another for SECONDS, on one
//! connection (keep-alive) or a new one per request, and prints one JSON line: requests,
//! requests per second, median and 99th-percentile latency in milliseconds, errors.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 6 {
        eprintln!("usage: http_load PORT PATH CONNECTIONS SECONDS keepalive|close");
        std::process::exit(2);
    }
    let port: u16 = args[1].parse().expect("a port");
    let path = args[2].clone();
    let connections: usize = args[3].parse().expect("a number of connections");
    let seconds: f64 = args[4].parse().expect("a number of seconds");
    let keepalive = args[5] == "keepalive";
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || run(port, &path, keepalive, until))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in threads {
        let (l, e) = t.join().unwrap();
        latencies.extend(l);
        errors += e;
    }
    latencies.sort();
    let pick = |q: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let i = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies[i].as_secs_f64() * 1000.0
    };
    println!(
        "{{\"requests\":{},\"rps\":{:.1},\"p50_ms\":{:.3},\"p99_ms\":{:.3},\"errors\":{}}}",
        latencies.len(),
        latencies.len() as f64 / seconds,
        pick(0.5),
        pick(0.99),
        errors
    );
}

/// Sends requests until `until`; the latency of each that succeeded, and the errors.
fn run(port: u16, path: &str, keepalive: bool, until: Instant) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut conn: Option<BufReader<TcpStream>> = None;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: {}\r\n\r\n",
        if keepalive { "keep-alive" } else { "close" }
    );
    while Instant::now() < until {
        let started = Instant::now();
        if conn.is_none() {
            match TcpStream::connect(("127.0.0.1", port)) {
                Ok(s) => {
                    s.set_nodelay(true).ok();
                    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
                    conn = Some(BufReader::new(s));
                }
                Err(_) => {
                    errors += 1;
                    continue;
                }
            }
        }
        let c = conn.as_mut().unwrap();
        let ok = c.get_mut().write_all(request.as_bytes()).is_ok() && read_reply(c);
        if ok {
            latencies.push(started.elapsed());
        } else {
            errors += 1;
        }
        if !ok || !keepalive {
            conn = None;
        }
    }
    (latencies, errors)
}

/// Reads one response (its head, then a body of `Content-Length` bytes or in chunks);
/// whether it was a 200.
fn read_reply(c: &mut BufReader<TcpStream>) -> bool {
    let mut status = String::new();
    if c.read_line(&mut status).unwrap_or(0) == 0 {
        return false;
    }
    let mut length = 0usize;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if c.read_line(&mut line).unwrap_or(0) == 0 {
            return false;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("transfer-encoding")
        {
            chunked = v.trim().eq_ignore_ascii_case("chunked");
        }
    }
    let read = if chunked {
        read_chunks(c)
    } else {
        c.read_exact(&mut vec![0; length]).is_ok()
    };
    read && status.contains(" 200 ")
}

/// Reads a chunked body.
fn read_chunks(c: &mut BufReader<TcpStream>) -> bool {
    loop {
        let mut size = String::new();
        if c.read_line(&mut size).unwrap_or(0) == 0 {
            return false;
        }
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            return false;
        };
        // The chunk, then its CRLF; the last (empty) chunk is followed by a CRLF alone.
        if c.read_exact(&mut vec![0; n + 2]).is_err() {
            return false;
        }
        if n == 0 {
            return true;
        }
    }
}

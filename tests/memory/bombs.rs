//! Decompression is bounded: a small web archive, WACZ package or PDF that expands to
//! hundreds of megabytes is one error at its file, and the build's peak memory (read
//! from `wait4`) stays a small multiple of `[snapshots] max_mb`; a capture keeps at most
//! `[capture] max_mb` over its whole redirect chain.

use crate::common;

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

use common::fixtures::*;
use common::*;

/// How far the bombs expand: far beyond the limit, which is 20 MB.
const EXPANDED: usize = 400_000_000;

/// `len` spaces, compressed by `encoder` as it is fed a megabyte at a time.
fn compressed<W: Write>(mut encoder: W, len: usize) -> W {
    let chunk = vec![b' '; 1_000_000];
    for _ in 0..len / chunk.len() {
        encoder.write_all(&chunk).unwrap();
    }
    encoder
}

fn gzip_bomb(prefix: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(prefix).unwrap();
    compressed(gz, EXPANDED).finish().unwrap()
}

/// `EXPANDED` bytes of page content, zlib-compressed.
fn flate_bomb() -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(b"BT /F1 12 Tf 72 712 Td (Bomb) Tj ET\n")
        .unwrap();
    compressed(z, EXPANDED).finish().unwrap()
}

/// About `len` spaces as PDF LZW codes (9 bits each, most significant first): each run
/// starts from a cleared table and adds one entry a code, each a space longer than the
/// last, stopping before the codes would widen.
fn lzw_bomb(len: usize) -> Vec<u8> {
    let (mut out, mut acc, mut held) = (Vec::new(), 0u32, 0u32);
    let mut put = |code: u32| {
        acc = (acc << 9) | code;
        held += 9;
        while held >= 8 {
            held -= 8;
            out.push((acc >> held) as u8);
        }
    };
    let mut made = 0;
    while made < len {
        put(256);
        put(u32::from(b' '));
        made += 1;
        for k in 1..240 {
            put(257 + k);
            made += k as usize + 1;
        }
    }
    put(257);
    put(0);
    out
}

/// `data` in ASCII85, as a PDF's `ASCII85Decode` filter reads it.
fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for group in data.chunks(4) {
        let mut word = [0u8; 4];
        word[..group.len()].copy_from_slice(group);
        let mut n = u32::from_be_bytes(word);
        if n == 0 && group.len() == 4 {
            out.push(b'z');
            continue;
        }
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = b'!' + (n % 85) as u8;
            n /= 85;
        }
        out.extend_from_slice(&digits[..group.len() + 1]);
    }
    out.extend_from_slice(b"~>");
    out
}

/// A PDF whose one page draws `data`, a stream read through `filters`.
fn pdf_bomb(filters: &str, data: &[u8]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
    ];
    let mut stream =
        format!("<< /Filter {filters} /Length {} >>\nstream\n", data.len()).into_bytes();
    stream.extend_from_slice(data);
    stream.extend_from_slice(b"\nendstream");
    objects.push(stream);
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `dossier build` on `site`: what it printed, and its peak resident memory in MB. The
/// child is reaped by `wait4`, which also gives its resource use.
#[allow(clippy::zombie_processes)]
fn build_measured(site: &Site) -> (Run, u64) {
    let child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let (mut out, mut err) = (child.stdout.unwrap(), child.stderr.unwrap());
    let stdout = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is a child of this process that nothing else waits for.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let code = std::process::ExitStatus::from_raw(status)
        .code()
        .unwrap_or(-1);
    let run = Run {
        code,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    (run, usage.ru_maxrss as u64 / 1024)
}

#[cfg(feature = "pdf")]
#[test]
fn bombs_in_snapshots_are_one_error_each_within_bounded_memory() {
    let html =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    let mut coded = html.clone();
    coded.extend_from_slice(&gzip_bomb(b"<p>"));
    let warc_of_coded_body = gzip_members(&[warc_record("response", "http://a.test/", &coded)]);
    let mut plain =
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.test/\r\nContent-Length: "
            .to_vec();
    plain.extend_from_slice(format!("{}\r\n\r\n", EXPANDED + 60).as_bytes());
    plain.extend_from_slice(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n");
    let whole_file_bomb = gzip_bomb(&plain);
    let flate_bomb = flate_bomb();
    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        (
            "warc.gz",
            "gzip",
            whole_file_bomb.clone(),
            "the web archive's gzip data expands beyond 20 MB (`[snapshots] max_mb` in site.toml)",
        ),
        (
            "warc.gz",
            "content coding",
            warc_of_coded_body,
            "the recorded response's gzip body expands beyond 20 MB",
        ),
        (
            "wacz",
            "zip member",
            wacz(&whole_file_bomb),
            "expands beyond 20 MB",
        ),
        (
            "pdf",
            "FlateDecode",
            pdf_bomb("/FlateDecode", &flate_bomb),
            "the PDF's compressed streams expand beyond 20 MB",
        ),
        (
            "pdf",
            "ASCII85 around Flate",
            pdf_bomb(
                "[/ASCII85Decode /FlateDecode]",
                &ascii85(&flate_bomb[..flate_bomb.len() / 3]),
            ),
            "the PDF's compressed streams expand beyond 20 MB",
        ),
        (
            "pdf",
            "LZWDecode",
            pdf_bomb("/LZWDecode", &lzw_bomb(EXPANDED / 2)),
            "the PDF's compressed streams expand beyond 20 MB",
        ),
    ];
    for (extension, case, bomb, said) in cases {
        assert!(
            bomb.len() < 2_000_000,
            "{case}: the bomb is {} bytes",
            bomb.len()
        );
        let site = Site::minimal();
        site.write(
            "site.toml",
            &format!("{MIN_SITE_TOML}\n[snapshots]\nmax_mb = 20\n"),
        )
        .write(
            "content/sources/source-s.md",
            "+++\ntitle = \"S\"\nurl = \"http://a.test/\"\narchive_url = \"http://w.test/\"\n+++\n",
        )
        .write_bytes(&format!("content/sources/source-s.{extension}"), &bomb);
        let (run, peak_mb) = build_measured(&site);
        assert_eq!(run.code, 1, "{case}: {}", run.stderr);
        let errors = error_lines(&run);
        assert_eq!(errors.len(), 1, "{case}: {}", run.stderr);
        assert!(
            errors[0].starts_with(&format!("content/sources/source-s.{extension}: error: "))
                && errors[0].contains(said),
            "{case}: {}",
            run.stderr
        );
        assert!(peak_mb < 150, "{case}: peak RSS {peak_mb} MB");
    }
}

#[cfg(feature = "capture")]
#[test]
fn a_capture_keeps_at_most_its_limit_over_a_redirect_chain() {
    let mut routes = BTreeMap::new();
    for n in 0..5 {
        routes.insert(
            format!("/hop{n}"),
            Answer::Page(
                302,
                vec![("Location".into(), format!("/hop{}", n + 1))],
                vec![b'x'; 40_000],
            ),
        );
    }
    routes.insert("/hop5".to_string(), page("text/html", "<p>End.</p>"));
    let server = FixtureServer::start(routes);
    let site = Site::minimal();
    site.write(
        "site.toml",
        &format!("{MIN_SITE_TOML}\n[capture]\nmax_mb = 0.1\n"),
    );
    let root = site.root().to_str().unwrap().to_string();
    let run = site
        .run(&["capture", &server.url("/hop0"), "--root", &root])
        .expect_code(1);
    assert!(
        run.stderr
            .contains("the answer is larger than the limit of 0.1 MB"),
        "{}",
        run.stderr
    );
    assert!(
        !site
            .root()
            .join("content/sources")
            .read_dir()
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy() != "source-s.md" })
    );
}

/// A PDF whose page dictionary holds a value nested `depth` dictionaries deep.
fn deep_pdf(depth: usize) -> Vec<u8> {
    let inner = format!("{}1{}", "<< /A ".repeat(depth), " >>".repeat(depth));
    pdf_of_objects(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /X {inner} >>"),
        ],
        "",
    )
}

#[cfg(all(feature = "pdf", feature = "preview"))]
#[test]
fn a_pdf_nested_ten_thousand_deep_is_one_error_not_a_crash() {
    let site = Site::minimal();
    site.write("content/sources/source-s.md", "+++\ntitle = \"S\"\n+++\n")
        .write_bytes("content/sources/source-s.pdf", &deep_pdf(10_000));
    for command in ["check", "build"] {
        let run = site.run(&[command]).expect_code(1);
        let errors = error_lines(&run);
        assert_eq!(errors.len(), 1, "{command}: {}", run.stderr);
        assert!(
            errors[0].starts_with("content/sources/source-s.pdf: error: the PDF nests its dictionaries or arrays over 100 deep"),
            "{command}: {}",
            run.stderr
        );
    }
    // The preview shows it in place of the site and goes on serving.
    let served = start_serve(&site, &[], &[]);
    let (status, body) = http_get(served.port, "/");
    assert_eq!(status, 500);
    let body = String::from_utf8_lossy(&body);
    assert!(
        body.contains("nests its dictionaries or arrays over 100 deep"),
        "{body}"
    );
    let mut child = served.child;
    assert!(
        child.try_wait().unwrap().is_none(),
        "the preview is still running"
    );
    let _ = child.kill();
    let _ = child.wait();
    // Real nesting, a few levels deep, reads as before.
    site.write_bytes("content/sources/source-s.pdf", &deep_pdf(20));
    let run = site.run(&["check"]);
    assert!(!run.stderr.contains("nests its"), "{}", run.stderr);
}

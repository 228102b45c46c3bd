//! Trusted time-stamps (RFC 3161) through the real binary, with OpenSSL as the
//! time-stamping authority behind a small HTTP handler on a loopback port, and with a CA
//! and time-stamping certificates this test makes: `capture --timestamp` and `dossier
//! timestamp` keep the authority's answer as `<id>.tsr`, `openssl ts -verify` accepts it,
//! every build checks it, and each way a token or an authority can fail is its own
//! message.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::fixtures::*;
use common::*;
use der::{Decode, Encode};

const PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Grid story</title></head><body><p>The intrusions began in 2021, officials said.</p></body></html>";

/// Whether OpenSSL's command line is here (`.ci/run` makes sure on CI).
fn openssl_present(test: &str) -> bool {
    let present = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    tool_or_skip(test, present, "the openssl command")
}

/// Runs `openssl ARGS` in `dir`, panicking with what it said if it fails.
fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "openssl {args:?}: {said}");
    said
}

/// A certificate authority, a time-stamping certificate it issued, a certificate it issued
/// for nothing in particular, and an unrelated authority; with OpenSSL's TSA settings.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn new() -> Pki {
        let pki = Pki {
            dir: tempfile::tempdir().unwrap(),
        };
        let d = pki.dir.path();
        for (name, subject) in [
            ("ca", "/CN=Test Root CA"),
            ("other-ca", "/CN=Other Root CA"),
        ] {
            openssl(
                d,
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    &format!("{name}.key"),
                    "-out",
                    &format!("{name}.crt"),
                    "-subj",
                    subject,
                    "-days",
                    "3650",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                ],
            );
        }
        std::fs::write(
            d.join("tsa.ext"),
            "extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n",
        )
        .unwrap();
        std::fs::write(
            d.join("plain.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n",
        )
        .unwrap();
        for (name, subject) in [
            ("tsa", "/O=Test Time Authority/CN=Test TSA"),
            ("plain", "/CN=Not A TSA"),
        ] {
            openssl(
                d,
                &[
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    &format!("{name}.key"),
                    "-out",
                    &format!("{name}.csr"),
                    "-subj",
                    subject,
                ],
            );
            openssl(
                d,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &format!("{name}.csr"),
                    "-CA",
                    "ca.crt",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-out",
                    &format!("{name}.crt"),
                    "-days",
                    "365",
                    "-extfile",
                    &format!("{name}.ext"),
                ],
            );
        }
        std::fs::write(d.join("serial"), "01\n").unwrap();
        std::fs::write(
            d.join("ts.cnf"),
            format!(
                "[ tsa ]\ndefault_tsa = tsa_config1\n[ tsa_config1 ]\ndir = {}\nserial = $dir/serial\ncrypto_device = builtin\nsigner_cert = $dir/tsa.crt\nsigner_key = $dir/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\nother_policies = 1.2.3.4.5\ncerts = $dir/ca.crt\ndigests = sha256, sha1\naccuracy = secs:1\nclock_precision_digits = 3\nordering = no\ntsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n",
                d.display()
            ),
        )
        .unwrap();
        pki
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// OpenSSL's answer to `query` (a DER `TimeStampReq`), as `openssl ts -reply` makes it.
    fn reply(&self, query: &[u8], n: usize) -> Vec<u8> {
        let q = self.path(&format!("q{n}.tsq"));
        let r = format!("r{n}.tsr");
        std::fs::write(&q, query).unwrap();
        openssl(
            self.dir.path(),
            &[
                "ts",
                "-reply",
                "-config",
                "ts.cnf",
                "-queryfile",
                q.to_str().unwrap(),
                "-out",
                &r,
            ],
        );
        std::fs::read(self.path(&r)).unwrap()
    }

    /// A token over the file `data` with `digest` (`-sha256`, `-sha1`), asked of OpenSSL
    /// directly.
    fn token_for(&self, data: &Path, digest: &str, n: usize) -> Vec<u8> {
        let q = format!("direct{n}.tsq");
        openssl(
            self.dir.path(),
            &[
                "ts",
                "-query",
                "-data",
                data.to_str().unwrap(),
                digest,
                "-cert",
                "-out",
                &q,
            ],
        );
        self.reply(&std::fs::read(self.path(&q)).unwrap(), 1000 + n)
    }

    /// The time-stamp of `good`, signed again with the certificate that is not for
    /// time-stamping, as a `TimeStampResp`.
    fn signed_by_plain(&self, good: &[u8]) -> Vec<u8> {
        std::fs::write(self.path("good.tsr"), good).unwrap();
        let d = self.dir.path();
        openssl(
            d,
            &[
                "ts",
                "-reply",
                "-in",
                "good.tsr",
                "-token_out",
                "-out",
                "token.der",
            ],
        );
        openssl(
            d,
            &[
                "cms",
                "-verify",
                "-noverify",
                "-inform",
                "DER",
                "-in",
                "token.der",
                "-out",
                "tst.der",
            ],
        );
        openssl(
            d,
            &[
                "cms",
                "-sign",
                "-binary",
                "-nodetach",
                "-nosmimecap",
                "-econtent_type",
                "1.2.840.113549.1.9.16.1.4",
                "-in",
                "tst.der",
                "-signer",
                "plain.crt",
                "-inkey",
                "plain.key",
                "-md",
                "sha256",
                "-outform",
                "DER",
                "-out",
                "plain-token.der",
            ],
        );
        let token = cms::content_info::ContentInfo::from_der(
            &std::fs::read(self.path("plain-token.der")).unwrap(),
        )
        .unwrap();
        x509_tsp::TimeStampResp {
            status: cmpv2::status::PkiStatusInfo {
                status: cmpv2::status::PkiStatus::Accepted,
                status_string: None,
                fail_info: None,
            },
            time_stamp_token: Some(token),
        }
        .to_der()
        .unwrap()
    }
}

/// An HTTP server on a loopback port: `/tsa` answers time-stamp queries through OpenSSL;
/// `/html`, `/error`, `/big` and `/silent` answer as broken authorities do.
struct Authority {
    server: Arc<tiny_http::Server>,
    base: String,
}

impl Authority {
    fn start(pki: Arc<Pki>) -> Authority {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let s = server.clone();
        std::thread::spawn(move || {
            for (n, mut request) in s.incoming_requests().enumerate() {
                let pki = pki.clone();
                std::thread::spawn(move || {
                    let mut query = Vec::new();
                    let _ = request.as_reader().read_to_end(&mut query);
                    let typed = |body: Vec<u8>, t: &str| {
                        tiny_http::Response::from_data(body)
                            .with_header(tiny_http::Header::from_bytes("Content-Type", t).unwrap())
                    };
                    let _ = match request.url() {
                        "/tsa" => request
                            .respond(typed(pki.reply(&query, n), "application/timestamp-reply")),
                        "/html" => request.respond(typed(
                            b"<html><body>Welcome</body></html>".to_vec(),
                            "text/html",
                        )),
                        "/big" => request
                            .respond(typed(vec![0x30; 50_000_000], "application/timestamp-reply")),
                        "/silent" => {
                            std::thread::sleep(Duration::from_secs(5));
                            request.respond(tiny_http::Response::empty(204))
                        }
                        _ => request
                            .respond(tiny_http::Response::from_string("no").with_status_code(500)),
                    };
                });
            }
        });
        Authority { server, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Authority {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// What each test starts from: the certificates, the authority, the dossier, the page to
/// capture and the dossier's folder as an argument.
struct Setup {
    pki: Arc<Pki>,
    authority: Authority,
    site: Site,
    pages: FixtureServer,
    root: String,
}

/// The [`Setup`], or `None` (the test skipped with a note) without OpenSSL.
fn setup(test: &str) -> Option<Setup> {
    if !openssl_present(test) {
        return None;
    }
    let pki = Arc::new(Pki::new());
    let authority = Authority::start(pki.clone());
    let (site, pages) = site_with(&authority, &pki);
    let root = site.root().to_str().unwrap().to_string();
    Some(Setup {
        pki,
        authority,
        site,
        pages,
        root,
    })
}

/// A dossier whose site.toml names the authority and the CA, and a page to capture.
fn site_with(authority: &Authority, pki: &Pki) -> (Site, FixtureServer) {
    let mut routes = BTreeMap::new();
    routes.insert("/grid".to_string(), page("text/html; charset=utf-8", PAGE));
    let pages = FixtureServer::start(routes);
    let site = Site::minimal();
    std::fs::copy(pki.path("ca.crt"), site.root().join("ca.pem")).unwrap();
    std::fs::copy(pki.path("other-ca.crt"), site.root().join("other-ca.pem")).unwrap();
    site.write(
        "site.toml",
        &format!(
            "{MIN_SITE_TOML}\n[link_check]\ntimeout = 2\n\n[capture]\ntimestamp_authority = \"{}\"\ntimestamp_ca = \"ca.pem\"\n",
            authority.url("/tsa")
        ),
    );
    (site, pages)
}

#[test]
fn a_capture_is_time_stamped_and_every_build_checks_the_token() {
    let Some(Setup {
        pki,
        authority: _authority,
        site,
        pages,
        root,
    }) = setup("a_capture_is_time_stamped_and_every_build_checks_the_token")
    else {
        return;
    };
    let run = site
        .run(&[
            "capture",
            &pages.url("/grid"),
            "--id",
            "grid",
            "--timestamp",
            "--root",
            &root,
        ])
        .expect_code(0);
    assert!(
        run.stdout.contains("time-stamped by Test TSA at ")
            && run.stdout.contains("wrote content/sources/grid.tsr"),
        "{}",
        run.stdout
    );
    let sources = site.root().join("content/sources");
    let token = std::fs::read(sources.join("grid.tsr")).unwrap();
    // OpenSSL reads the token as kept and verifies it against the snapshot and the CA.
    let verified = openssl(
        &sources,
        &[
            "ts",
            "-verify",
            "-in",
            "grid.tsr",
            "-data",
            "grid.html",
            "-CAfile",
            pki.path("ca.crt").to_str().unwrap(),
        ],
    );
    assert!(verified.contains("Verification: OK"), "{verified}");
    let text = openssl(&sources, &["ts", "-reply", "-in", "grid.tsr", "-text"]);
    assert!(text.contains("Status: Granted."), "{text}");

    site.write(
        "content/claims/claim-c.md",
        "+++\ntitle = \"Claim C\"\nclaimants = [\"actor-a\"]\ndate = 2024-01-02\n\n[[citations]]\nsource = \"grid\"\nquote = \"The intrusions began in 2021\"\n+++\nBody.\n",
    );
    site.build(&[]).expect_code(0);
    let page = site.read("sources/grid/index.html");
    let grid = json_source(&site, "grid");
    let time = grid["timestamp"]["time"].as_str().unwrap().to_string();
    assert_eq!(grid["timestamp"]["authority"], "Test TSA");
    let today = time[..10].to_string();
    assert_eq!(today, chrono_free_today());
    let hour_minute = &time[11..16];
    assert!(
        page.contains(&format!(", {hour_minute} UTC, time-stamped by Test TSA")),
        "{page}"
    );
    assert!(page.contains("captured no later than "), "{page}");
    let stix = site.read("dossier.stix.json");
    assert!(stix.contains("RFC 3161 time-stamp") && stix.contains("time-stamped by Test TSA"));
    assert!(
        !site.out().join("sources/grid.tsr").exists(),
        "tokens are not published"
    );

    // Each token that fails is one error at the source, naming what failed.
    let other = pki.dir.path().join("other.txt");
    std::fs::write(&other, "another file").unwrap();
    let mut tampered = token.clone();
    let at = tampered
        .windows(16)
        .position(|w| {
            // A GeneralizedTime: its tag, a length of 15 to 19 (OpenSSL leaves out the
            // fraction's trailing zeros), and digits.
            w[0] == 0x18 && (0x0f..=0x13).contains(&w[1]) && w[2..16].iter().all(u8::is_ascii_digit)
        })
        .expect("a GeneralizedTime in the token");
    tampered[at + 5] = if tampered[at + 5] == b'1' { b'2' } else { b'1' };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "sha1",
            pki.token_for(&sources.join("grid.html"), "-sha1", 1),
            "it time-stamps a hash made with SHA-1, not the SHA-256 of the snapshot",
        ),
        (
            "another file",
            pki.token_for(&other, "-sha256", 2),
            "it is for another file: it time-stamps the SHA-256 ",
        ),
        (
            "tampered",
            tampered,
            "the token was changed after it was signed",
        ),
        (
            "not for time-stamping",
            pki.signed_by_plain(&token),
            "(CN=Not A TSA) is not one for time-stamping",
        ),
        (
            "damaged",
            token[..token.len() / 2].to_vec(),
            "it is not a time-stamp answer that can be read",
        ),
        (
            "oversized",
            vec![0x30; 2_000_000],
            "it is 2000000 bytes, larger than any time-stamp token",
        ),
    ];
    for (case, bytes, said) in cases {
        std::fs::write(sources.join("grid.tsr"), &bytes).unwrap();
        let run = site.build(&[]).expect_code(1);
        let errs = error_lines(&run);
        assert_eq!(errs.len(), 1, "{case}: {}", run.stderr);
        assert!(
            errs[0].starts_with("content/sources/grid.md:1:1: error: the time-stamp token `content/sources/grid.tsr` does not hold: ")
                && errs[0].contains(said),
            "{case}: {}",
            run.stderr
        );
    }
    // A good token, and a CA it does not chain to.
    std::fs::write(sources.join("grid.tsr"), &token).unwrap();
    site.build(&[]).expect_code(0);
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &toml.replace("ca.pem", "other-ca.pem"));
    let run = site.build(&[]).expect_code(1);
    assert!(
        error_lines(&run).len() == 1
            && run.stderr.contains("(CN=Test TSA,O=Test Time Authority) is not issued under the certificate authority `timestamp_ca` names"),
        "{}",
        run.stderr
    );
    site.write("site.toml", &toml);
    // A snapshot that cannot be read is one error, at it: its token is not reported too.
    site.write(
        "content/sources/broken.md",
        "+++\ntitle = \"Broken\"\n+++\n",
    )
    .write("content/sources/broken.pdf", "not a PDF")
    .write_bytes("content/sources/broken.tsr", &token);
    let run = site.build(&[]).expect_code(1);
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("content/sources/broken.pdf: error: "),
        "{}",
        run.stderr
    );
}

#[test]
fn dossier_timestamp_asks_again_and_broken_authorities_write_nothing() {
    let Some(Setup {
        pki: _pki,
        authority,
        site,
        pages,
        root,
    }) = setup("dossier_timestamp_asks_again_and_broken_authorities_write_nothing")
    else {
        return;
    };
    // Capture with an authority that fails: the source is written, with a warning.
    let run = site
        .run(&[
            "capture",
            &pages.url("/grid"),
            "--id",
            "grid",
            "--timestamp",
            "--timestamp-authority",
            &authority.url("/html"),
            "--root",
            &root,
        ])
        .expect_code(0);
    assert!(
        run.stderr
            .contains("warning: the snapshot of `grid` was not time-stamped: ")
            && run
                .stderr
                .contains("the authority's answer is `text/html`, not a time-stamp"),
        "{}",
        run.stderr
    );
    let token = site.root().join("content/sources/grid.tsr");
    assert!(site.root().join("content/sources/grid.md").is_file() && !token.exists());
    // Each broken authority: a warning naming the source, exit 1, nothing written.
    for (path, said) in [
        ("/html", "not a time-stamp (`application/timestamp-reply`)"),
        ("/error", "the authority answered 500"),
        ("/big", "larger than 1000000 bytes"),
        ("/silent", "no answer within 2 s"),
    ] {
        let started = std::time::Instant::now();
        let run = site
            .run(&[
                "timestamp",
                "--timestamp-authority",
                &authority.url(path),
                "--root",
                &root,
            ])
            .expect_code(1);
        assert!(
            run.stderr
                .contains("warning: source `grid` was not time-stamped: ")
                && run.stderr.contains(said),
            "{path}: {}",
            run.stderr
        );
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{path} took too long"
        );
        assert!(!token.exists(), "{path}");
    }
    // The site's authority: every source with a snapshot and no token.
    let run = site.run(&["timestamp", "--root", &root]).expect_code(0);
    assert!(
        run.stdout.starts_with("grid: time-stamped by Test TSA at "),
        "{}",
        run.stdout
    );
    assert!(token.is_file());
    let run = site.run(&["timestamp", "--root", &root]).expect_code(0);
    assert!(
        run.stdout.contains("has a time-stamp token already"),
        "{}",
        run.stdout
    );
    // Named, it is asked again; an unknown id is a usage error.
    site.run(&["timestamp", "grid", "--root", &root])
        .expect_code(0);
    let run = site
        .run(&["timestamp", "gird", "--root", &root])
        .expect_code(2);
    assert!(
        run.stderr.contains("did you mean `grid`?"),
        "{}",
        run.stderr
    );
    site.build(&[]).expect_code(0);
}

/// Today's date in UTC as `YYYY-MM-DD`, from the `date` command.
fn chrono_free_today() -> String {
    let out = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

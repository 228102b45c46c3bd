//! Fixture files for the capture and snapshot tests: PDFs written object by object, web
//! archives and WACZ packages, and an HTTP server on a loopback port.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// A PDF whose pages hold `pages` (each a list of lines, set in Helvetica), with an Info
/// dictionary of `info` (key, value) pairs when given. A page with no lines has no text
/// layer at all, as a scan would.
pub fn pdf(pages: &[&[&str]], info: &[(&str, &str)]) -> Vec<u8> {
    pdf_document(pages, info, None)
}

/// A PDF like [`pdf`], with `xmp` as its XMP metadata stream.
pub fn pdf_document(pages: &[&[&str]], info: &[(&str, &str)], xmp: Option<&str>) -> Vec<u8> {
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    };
    // Objects 1: catalog, 2: pages, 3: font, 4: info, then a page and its content each.
    let mut objects: Vec<String> = Vec::new();
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 5 + 2 * i))
        .collect();
    let metadata_id = 5 + 2 * pages.len();
    objects.push(match xmp {
        Some(_) => format!("<< /Type /Catalog /Pages 2 0 R /Metadata {metadata_id} 0 R >>"),
        None => "<< /Type /Catalog /Pages 2 0 R >>".into(),
    });
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    );
    let info_dict: Vec<String> = info
        .iter()
        .map(|(k, v)| format!("/{k} ({})", escape(v)))
        .collect();
    objects.push(format!("<< {} >>", info_dict.join(" ")));
    for (i, lines) in pages.iter().enumerate() {
        let content_id = 6 + 2 * i;
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        ));
        let mut stream = String::new();
        if !lines.is_empty() {
            stream.push_str("BT /F1 11 Tf 14 TL 72 720 Td\n");
            for line in *lines {
                stream.push_str(&format!("({}) Tj T*\n", escape(line)));
            }
            stream.push_str("ET\n");
        }
        objects.push(pdf_stream("", &stream));
    }
    if let Some(x) = xmp {
        objects.push(pdf_stream("/Type /Metadata /Subtype /XML", x));
    }
    pdf_of_objects(&objects, "/Info 4 0 R")
}

/// A PDF stream object holding `content`, with `dict` in its dictionary.
pub fn pdf_stream(dict: &str, content: &str) -> String {
    format!(
        "<< {dict} /Length {} >>\nstream\n{content}\nendstream",
        content.len() + 1
    )
}

/// A PDF of `objects`, numbered from 1 (the first is the catalog), with `trailer` added
/// to its trailer dictionary. A stream is written `<< … >>\nstream\n…endstream`.
pub fn pdf_of_objects(objects: &[String], trailer: &str) -> Vec<u8> {
    // ASCII throughout, so that tests may keep it in a `String`.
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        write!(out, "{} 0 obj\n{body}\nendobj\n", i + 1).unwrap();
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

/// A WARC record as `wget --warc-file` and Webrecorder write one, uncompressed.
pub fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-04-15T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-000000000000>\r\nContent-Type: application/http; msgtype={}\r\nContent-Length: {}\r\n\r\n",
        block.len(),
        if kind == "request" { "request" } else { "response" },
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP response message with `content_type` and `body`.
pub fn http_response(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Gzips each record on its own, as `.warc.gz` files are written.
pub fn gzip_members(records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(r).unwrap();
        out.extend(gz.finish().unwrap());
    }
    out
}

/// A WACZ package: `archive/data.warc.gz` and a minimal `datapackage.json`.
pub fn wacz(warc_gz: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("datapackage.json", stored).unwrap();
    zip.write_all(br#"{"profile":"data-package","resources":[{"name":"data.warc.gz","path":"archive/data.warc.gz"}],"wacz_version":"1.1.1"}"#).unwrap();
    zip.start_file("archive/data.warc.gz", stored).unwrap();
    zip.write_all(warc_gz).unwrap();
    zip.finish().unwrap().into_inner()
}

/// What the fixture server answers at a path.
#[derive(Clone)]
pub enum Answer {
    /// A status, header fields and a body.
    Page(u16, Vec<(String, String)>, Vec<u8>),
    /// A redirect to another path or address.
    Redirect(String),
    /// Waits this long before answering 200 with a small page.
    Slow(Duration),
    /// An HTML body sent in chunks, with no length given in advance.
    Chunked(Vec<u8>),
}

/// An answer of `content_type` with `body`.
pub fn page(content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
    Answer::Page(
        200,
        vec![("Content-Type".into(), content_type.into())],
        body.into(),
    )
}

/// An HTTP server on a loopback port answering from `routes`, until dropped.
pub struct FixtureServer {
    pub base: String,
    server: Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FixtureServer {
    pub fn start(routes: BTreeMap<String, Answer>) -> FixtureServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let s = server.clone();
        let thread = std::thread::spawn(move || {
            for request in s.incoming_requests() {
                let path = request.url().to_string();
                let answer = routes.get(&path).cloned();
                std::thread::spawn(move || {
                    let _ = match answer {
                        None => request.respond(
                            tiny_http::Response::from_string("not here").with_status_code(404),
                        ),
                        Some(Answer::Redirect(to)) => {
                            request.respond(tiny_http::Response::empty(302).with_header(
                                tiny_http::Header::from_bytes("Location", to).unwrap(),
                            ))
                        }
                        Some(Answer::Chunked(body)) => request.respond(tiny_http::Response::new(
                            tiny_http::StatusCode(200),
                            vec![
                                tiny_http::Header::from_bytes("Content-Type", "text/html").unwrap(),
                            ],
                            std::io::Cursor::new(body),
                            None,
                            None,
                        )),
                        Some(Answer::Slow(wait)) => {
                            std::thread::sleep(wait);
                            request.respond(tiny_http::Response::from_string("<p>late</p>"))
                        }
                        Some(Answer::Page(status, headers, body)) => {
                            let mut r =
                                tiny_http::Response::from_data(body).with_status_code(status);
                            for (k, v) in headers {
                                r.add_header(tiny_http::Header::from_bytes(k, v).unwrap());
                            }
                            request.respond(r)
                        }
                    };
                });
            }
        });
        FixtureServer {
            base,
            server,
            thread: Some(thread),
        }
    }

    /// The full address of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

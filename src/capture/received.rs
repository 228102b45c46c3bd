//! What a capture received, read as a browser would: its content coding undone (within
//! `[capture] max_mb`), and its type decided from its bytes as well as from what the
//! server declared.

use std::io::Read;

use super::Body;
use super::fetch::Hop;

/// A body ready to keep as a snapshot.
pub struct Received {
    pub body: Body,
    /// The body with its content coding undone.
    pub bytes: Vec<u8>,
    /// The media type it is kept as.
    pub media: &'static str,
    /// What was read otherwise than declared, in words.
    pub note: Option<String>,
}

/// `last`'s body as a snapshot, or why it cannot be one.
pub(crate) fn received(last: &Hop, max_mb: f64) -> Result<Received, String> {
    let max_bytes = (max_mb * 1_000_000.0) as u64;
    let bytes = decoded(last, max_bytes, max_mb)?;
    let declared = last.header("content-type").map(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    let is_pdf = bytes.starts_with(b"%PDF-");
    let is_html = looks_like_html(&bytes);
    let (body, note) = match declared.as_deref() {
        Some("text/html" | "application/xhtml+xml") if is_pdf => (
            Body::Pdf,
            Some("the server called it an HTML page, but its bytes are a PDF: kept as a PDF"),
        ),
        Some("text/html" | "application/xhtml+xml") => (Body::Html, None),
        Some("application/pdf") if !is_pdf && is_html => (
            Body::Html,
            Some("the server called it a PDF, but its bytes are an HTML page: kept as a page"),
        ),
        Some("application/pdf") => (Body::Pdf, None),
        None | Some("application/octet-stream") if is_pdf => (Body::Pdf, None),
        None if is_html => (Body::Html, None),
        other => {
            return Err(format!(
                "{}: the answer is {}, neither an HTML page nor a PDF",
                last.url,
                other.map_or("of no stated type".to_string(), |t| format!("`{t}`"))
            ));
        }
    };
    Ok(Received {
        body,
        bytes,
        media: match body {
            Body::Html => "text/html",
            Body::Pdf => "application/pdf",
        },
        note: note.map(str::to_string),
    })
}

/// The body with its gzip or deflate content coding undone, at most `max_bytes` of it.
fn decoded(last: &Hop, max_bytes: u64, max_mb: f64) -> Result<Vec<u8>, String> {
    let coding = last
        .header("content-encoding")
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let body = &last.body[..];
    let reader: Box<dyn Read + '_> = match coding.as_str() {
        "" | "identity" => return Ok(last.body.clone()),
        "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(body)),
        "deflate" if body.first().is_some_and(|b| b & 0x0f == 8) => {
            Box::new(flate2::read::ZlibDecoder::new(body))
        }
        "deflate" => Box::new(flate2::read::DeflateDecoder::new(body)),
        other => {
            return Err(format!(
                "{}: the answer is compressed with `{other}`, which capture cannot read",
                last.url
            ));
        }
    };
    let mut out = Vec::new();
    reader
        .take(max_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("{}: its {coding} body cannot be read: {e}", last.url))?;
    if out.len() as u64 > max_bytes {
        return Err(format!(
            "{}: the answer expands beyond the limit of {max_mb} MB (`[capture] max_mb` in site.toml)",
            last.url
        ));
    }
    Ok(out)
}

/// Whether bytes begin as an HTML document does (after white space and a byte-order
/// mark): a doctype, an `<html>` tag, or a comment.
fn looks_like_html(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = start.trim_ascii_start();
    let head: Vec<u8> = start.iter().take(15).map(u8::to_ascii_lowercase).collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html") || head.starts_with(b"<!--")
}

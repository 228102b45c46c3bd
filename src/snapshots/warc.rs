//! Web-archive files (WARC 1.0 and 1.1, plain or gzipped record by record, and WACZ
//! packages of them): reading the response recorded for an address, and writing the
//! records of one capture. The HTTP messages inside records are parsed with `httparse`;
//! gzip is `flate2`, zip is `zip`.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;

/// One record: its named fields, in order, and its content block.
#[derive(Debug)]
pub struct Record {
    pub fields: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl Record {
    /// The value of a named field (names compare without case).
    pub fn field(&self, name: &str) -> Option<&str> {
        field(&self.fields, name)
    }
}

/// An HTTP response as recorded: status, header fields and the body with any transfer
/// coding and gzip or deflate content coding undone.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The value of the field `name` among `fields` (names compare without case).
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

impl Response {
    /// The value of a header field (names compare without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        field(&self.headers, name)
    }

    /// The media type, lowercased, without parameters.
    pub(crate) fn media_type(&self) -> String {
        let ct = self.header("content-type").unwrap_or_default();
        ct.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }
}

/// Reads all of `reader`, or fails once it gives more than `limit` bytes: what untrusted
/// compressed data expands to is never held beyond that.
fn read_bounded(reader: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("{what} cannot be read: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!(
            "{what} expands beyond {} MB (`[snapshots] max_mb` in site.toml)",
            limit as f64 / 1e6
        ));
    }
    Ok(out)
}

/// The records of a WARC file's bytes, gzipped or not, expanding to at most `limit`
/// bytes.
pub fn records(bytes: &[u8], limit: u64) -> Result<Vec<Record>, String> {
    let plain;
    let mut rest: &[u8] = if bytes.starts_with(&[0x1f, 0x8b]) {
        plain = read_bounded(
            MultiGzDecoder::new(bytes),
            limit,
            "the web archive's gzip data",
        )?;
        &plain
    } else {
        bytes
    };
    let mut records = Vec::new();
    loop {
        let start = rest.len() - rest.trim_ascii_start().len();
        rest = &rest[start..];
        if rest.is_empty() {
            return Ok(records);
        }
        let n = records.len() + 1;
        let end = find(rest, b"\r\n\r\n")
            .ok_or_else(|| format!("record {n} of the web archive has no end to its fields"))?;
        let head = std::str::from_utf8(&rest[..end])
            .map_err(|_| format!("record {n} of the web archive has fields that are not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let version = lines.next().unwrap_or_default();
        if !version.starts_with("WARC/") {
            return Err(format!(
                "record {n} does not start with a WARC version line (it starts `{}`): not a web archive",
                version.chars().take(20).collect::<String>()
            ));
        }
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with([' ', '\t']) {
                if let Some(last) = fields.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                fields.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let length: usize = field(&fields, "content-length")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("record {n} of the web archive has no Content-Length"))?;
        let body = &rest[end + 4..];
        let block = body
            .get(..length)
            .ok_or_else(|| format!("record {n} of the web archive is cut short"))?;
        records.push(Record {
            fields,
            block: block.to_vec(),
        });
        rest = &body[length..];
    }
}

/// The WARC files inside a WACZ package, in the package's order, together at most `limit`
/// bytes.
pub(crate) fn wacz_archives(bytes: &[u8], limit: u64) -> Result<Vec<Vec<u8>>, String> {
    let mut left = limit;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable WACZ (zip) package: {e}"))?;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip
            .by_index(i)
            .map_err(|e| format!("the WACZ package cannot be read: {e}"))?;
        let name = file.name().unwrap_or_default().to_ascii_lowercase();
        if name.starts_with("archive/") && (name.ends_with(".warc") || name.ends_with(".warc.gz")) {
            let data = read_bounded(&mut file, left, &format!("`{name}` in the WACZ package"))?;
            left -= data.len() as u64;
            out.push(data);
        }
    }
    if out.is_empty() {
        return Err("the WACZ package holds no WARC file under `archive/`".into());
    }
    Ok(out)
}

/// The response record for `url` among `records` (its `WARC-Target-URI`, ignoring a
/// fragment and a trailing slash), else the first successful HTML or PDF response; with
/// the address it was recorded for, whether that is `url`, and the response.
fn choose<'r>(
    records: &'r [Record],
    url: Option<&str>,
) -> Result<(String, bool, &'r Record, Response), String> {
    let responses: Vec<(&str, &Record)> = records
        .iter()
        .filter(|r| r.field("WARC-Type") == Some("response"))
        .map(|r| (r.field("WARC-Target-URI").unwrap_or_default(), r))
        .collect();
    let wanted = url.map(normalise);
    let by_url = wanted
        .as_ref()
        .and_then(|w| responses.iter().find(|(u, _)| normalise(u) == *w));
    let mut candidates: Vec<&(&str, &Record)> = by_url.into_iter().collect();
    candidates.extend(responses.iter());
    for (target, record) in candidates {
        let Ok(response) = parse_message(&record.block) else {
            continue;
        };
        let media = response.media_type();
        let usable = (200..300).contains(&response.status)
            && (media.contains("html") || media == "application/pdf");
        if usable {
            let target = normalise(target);
            let for_url = wanted.as_ref() == Some(&target);
            return Ok((target, for_url, record, response));
        }
    }
    Err(match url {
        Some(u) if responses.is_empty() => {
            format!("the web archive records no response at all (looked for {u})")
        }
        _ if responses.is_empty() => "the web archive records no response at all".into(),
        _ => "the web archive records no successful HTML or PDF response".into(),
    })
}

/// An address as records are matched by: without angle brackets, a fragment or a
/// trailing slash.
fn normalise(u: &str) -> String {
    let u = u.trim().trim_start_matches('<').trim_end_matches('>');
    let u = u.split('#').next().unwrap_or(u);
    u.trim_end_matches('/').to_string()
}

/// The response recorded for `url` among `records` (see [`choose`]), its body's content
/// coding undone, with the address it was recorded for.
pub(crate) fn pick_response(
    records: &[Record],
    url: Option<&str>,
    limit: u64,
) -> Result<(String, Response), String> {
    let (target, _, _, mut response) = choose(records, url)?;
    let body = std::mem::take(&mut response.body);
    response.body = decode_content(&response, body, limit)?;
    Ok((target, response))
}

/// What a web archive recorded as the payload of the response for an address.
#[derive(Debug)]
pub struct Payload {
    /// The address the record is for (normalised), and whether it is the one asked for.
    pub target: String,
    pub for_url: bool,
    /// The payload: the response's body with its transfer coding undone.
    pub body: Vec<u8>,
    /// The same with its gzip or deflate content coding undone, when it has one.
    pub decoded: Option<Vec<u8>>,
}

/// The payload recorded for `url` (see [`choose`]), after checking that the record is
/// whole: not marked truncated, and matching the SHA-256 digests it carries.
pub fn payload(records: &[Record], url: Option<&str>, limit: u64) -> Result<Payload, String> {
    let (target, for_url, record, response) = choose(records, url)?;
    if let Some(why) = record.field("WARC-Truncated") {
        return Err(format!(
            "the web archive's record of {target} is truncated ({why}): it does not hold the whole response"
        ));
    }
    let damaged = |what: &str| {
        format!(
            "the web archive's record of {target} is damaged: its {what} no longer has the SHA-256 the record gives"
        )
    };
    if !digest_matches(record.field("WARC-Block-Digest"), &record.block) {
        return Err(damaged("content"));
    }
    if !digest_matches(record.field("WARC-Payload-Digest"), &response.body) {
        return Err(damaged("payload"));
    }
    let decoded = match response.header("content-encoding") {
        Some(c) if !c.eq_ignore_ascii_case("identity") => {
            Some(decode_content(&response, response.body.clone(), limit)?)
        }
        _ => None,
    };
    Ok(Payload {
        target,
        for_url,
        body: response.body,
        decoded,
    })
}

/// Whether `bytes` match a WARC digest field; a digest in another algorithm or form than
/// hexadecimal SHA-256 is not checked here.
fn digest_matches(field: Option<&str>, bytes: &[u8]) -> bool {
    match field.and_then(|f| f.trim().strip_prefix("sha256:")) {
        Some(hex) if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            hex.eq_ignore_ascii_case(&crate::base::digest::sha256_hex(bytes))
        }
        _ => true,
    }
}

/// Parses an HTTP response message, undoing its body's transfer coding only.
fn parse_message(block: &[u8]) -> Result<Response, String> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut parsed = httparse::Response::new(&mut headers);
    let head = match parsed.parse(block) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("the recorded response is cut short".into()),
        Err(e) => return Err(format!("the recorded response cannot be read: {e}")),
    };
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect();
    let mut response = Response {
        status: parsed.code.unwrap_or(0),
        headers,
        body: Vec::new(),
    };
    let raw = &block[head..];
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    response.body = if chunked { dechunk(raw)? } else { raw.to_vec() };
    Ok(response)
}

/// `body` with the gzip or deflate content coding `response` declares undone, at most
/// `limit` bytes of it.
fn decode_content(response: &Response, body: Vec<u8>, limit: u64) -> Result<Vec<u8>, String> {
    let coding = response
        .header("content-encoding")
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match coding.as_str() {
        "gzip" | "x-gzip" => read_bounded(
            MultiGzDecoder::new(&body[..]),
            limit,
            "the recorded response's gzip body",
        ),
        "deflate" => read_bounded(
            flate2::read::ZlibDecoder::new(&body[..]),
            limit,
            "the recorded response's deflate body",
        ),
        "" | "identity" => Ok(body),
        other => Err(format!(
            "the recorded response is compressed with `{other}`, which cannot be read"
        )),
    }
}

/// A chunked body, joined.
fn dechunk(mut raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = find(raw, b"\r\n").ok_or("a chunk of the recorded response is cut short")?;
        let size_text = std::str::from_utf8(&raw[..line_end]).unwrap_or("");
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| "the recorded response's chunks cannot be read")?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = raw
            .get(..size)
            .ok_or("a chunk of the recorded response is cut short")?;
        out.extend_from_slice(chunk);
        raw = raw.get(size + 2..).unwrap_or_default();
    }
}

/// Where `needle` first occurs in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Appends one record to `out` as its own gzip member, as WARC readers expect of a
/// `.warc.gz` file. `fields` are written in order after the version line; the block's
/// length and digest are added.
#[cfg_attr(not(feature = "capture"), allow(dead_code))]
pub(crate) fn write_record(out: &mut Vec<u8>, fields: &[(&str, String)], block: &[u8]) {
    let mut head = String::from("WARC/1.1\r\n");
    for (k, v) in fields {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "WARC-Block-Digest: sha256:{}\r\n",
        crate::base::digest::sha256_hex(block)
    ));
    head.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    let written = gz
        .write_all(head.as_bytes())
        .and_then(|()| gz.write_all(block))
        .and_then(|()| gz.write_all(b"\r\n\r\n"))
        .and_then(|()| gz.finish());
    // Writing to memory cannot fail.
    if let Ok(member) = written {
        out.extend_from_slice(&member);
    }
}

/// A record id: a UUID URN made from `seed` (its SHA-256, shaped as a version 4 UUID).
#[cfg_attr(not(feature = "capture"), allow(dead_code))]
pub(crate) fn record_id(seed: &str) -> String {
    let h = crate::base::digest::sha256_hex(seed.as_bytes());
    format!(
        "<urn:uuid:{}-{}-4{}-a{}-{}>",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_records_read_back() {
        let mut out = Vec::new();
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n6\r\n world\r\n0\r\n\r\n";
        write_record(
            &mut out,
            &[
                ("WARC-Type", "response".into()),
                ("WARC-Target-URI", "http://a.test/x".into()),
                ("WARC-Record-ID", record_id("x")),
            ],
            block,
        );
        let read = records(&out, 1 << 20).unwrap();
        assert_eq!(read.len(), 1);
        let (target, response) = pick_response(&read, Some("http://a.test/x/"), 1 << 20).unwrap();
        assert_eq!(target, "http://a.test/x");
        assert_eq!(response.body, b"Hello world");
        assert_eq!(response.media_type(), "text/html");
        assert!(records(b"GET / HTTP/1.1\r\n\r\n", 1 << 20).is_err());
    }
}

//! Turning a snapshot's bytes into text: the byte-order mark first, then the encoding the
//! source declares (the writer's `snapshot_encoding`, the HTTP header recorded with it, or
//! the page's own `<meta charset>`), else UTF-8. The decoding itself is `encoding_rs`,
//! which implements the WHATWG Encoding Standard that browsers follow.

use encoding_rs::Encoding;

/// How many bytes of a page are looked at for a `<meta charset>`, as browsers do.
const PRESCAN: usize = 1024;

/// The encoding a label names (`windows-1252`, `gbk`, `shift_jis`, `utf-8`…), as the
/// Encoding Standard reads labels.
pub fn encoding(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// The text of an HTML page. `declared` is the encoding given from outside the page (a
/// front-matter key or an HTTP header); a byte-order mark wins over it, and it wins over
/// the page's `<meta charset>`.
pub fn html(bytes: Vec<u8>, declared: Option<&'static Encoding>) -> Result<String, String> {
    let chosen = chosen(&bytes, declared, true);
    decode(bytes, Some(chosen), true)
}

/// The text of a plain-text or Markdown file: UTF-8, or what its byte-order mark or
/// `declared` says.
pub fn text(bytes: Vec<u8>, declared: Option<&'static Encoding>) -> Result<String, String> {
    let chosen = chosen(&bytes, declared, false);
    decode(bytes, Some(chosen), false)
}

/// The encoding `bytes` are read in: their byte-order mark's, else `declared`, else (in
/// an HTML page) its `<meta charset>`, else UTF-8.
pub fn chosen(bytes: &[u8], declared: Option<&'static Encoding>, html: bool) -> &'static Encoding {
    Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or(declared)
        .or_else(|| html.then(|| meta_charset(bytes)).flatten())
        .unwrap_or(encoding_rs::UTF_8)
}

fn decode(
    bytes: Vec<u8>,
    encoding: Option<&'static Encoding>,
    html: bool,
) -> Result<String, String> {
    match encoding.filter(|e| *e != encoding_rs::UTF_8) {
        None => {
            let mut text = String::from_utf8(bytes).map_err(|e| {
                let how = if html {
                    "declare its encoding in the page (`<meta charset=\"…\">`) or with the source's `snapshot_encoding` key"
                } else {
                    "save it as UTF-8, or name its encoding with the source's `snapshot_encoding` key"
                };
                format!(
                    "the snapshot is not UTF-8 text (invalid byte at offset {}); {how}",
                    e.utf8_error().valid_up_to()
                )
            })?;
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Some(encoding) => Ok(encoding.decode_with_bom_removal(&bytes).0.into_owned()),
    }
}

/// The encoding a page's first kilobyte declares with `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`. A page that says UTF-16 in
/// bytes it could read as ASCII is UTF-8, as browsers take it.
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    use html5gum::{Token, Tokenizer};
    // Each byte as the character of the same number, so that the ASCII of tags and
    // attributes reads as written whatever the encoding.
    let head: String = bytes[..bytes.len().min(PRESCAN)]
        .iter()
        .map(|&b| b as char)
        .collect();
    for token in Tokenizer::new(head.as_str()).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        if &*tag.name != b"meta" {
            continue;
        }
        let attr = |name: &[u8]| {
            tag.attributes
                .get(name)
                .map(|v| String::from_utf8_lossy(v).into_owned())
        };
        let label = attr(b"charset").or_else(|| {
            let equiv = attr(b"http-equiv")?;
            if !equiv.eq_ignore_ascii_case("content-type") {
                return None;
            }
            charset_param(&attr(b"content")?).map(str::to_string)
        });
        if let Some(found) = label.as_deref().and_then(encoding) {
            return Some(match found.name() {
                "UTF-16LE" | "UTF-16BE" => encoding_rs::UTF_8,
                _ => found,
            });
        }
    }
    None
}

/// The `charset` parameter of a `Content-Type` value.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_pages_decode_by_their_declaration() {
        let page =
            b"<html><head><meta charset=\"windows-1252\"></head><p>caf\xe9 \x93quoted\x94</p>";
        let text = html(page.to_vec(), None).unwrap();
        assert!(text.contains("café “quoted”"), "{text}");
        let gbk = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><p>\xd6\xd0\xb9\xfa</p>";
        assert!(html(gbk.to_vec(), None).unwrap().contains("中国"));
        let header_only = b"<p>\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd</p>";
        assert!(
            html(header_only.to_vec(), encoding("Shift_JIS"))
                .unwrap()
                .contains("こんにちは")
        );
        assert!(html(b"<p>\xff</p>".to_vec(), None).is_err());
        assert_eq!(charset_param("text/html; Charset=\"GBK\""), Some("GBK"));
    }
}

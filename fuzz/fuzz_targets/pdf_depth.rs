//! PDF structure depth: the input describes nesting (dictionaries, arrays, strings,
//! XObject forms, page-tree levels, XMP elements), each step repeated up to thousands of
//! times, and the target writes it into one place of a small PDF: a page dictionary, a
//! compressed content stream, a compressed object stream, XMP metadata or the page tree.
//! Reading the PDF's text and its metadata may refuse it but must not panic, overflow
//! the stack, or take more than the fuzzer's time limit.
#![no_main]

use std::io::Write;

use dossier::snapshots::{Reading, Snapshot, pdf};
use libfuzzer_sys::fuzz_target;

/// What one step of the input opens or closes, and how many times (`count` from the
/// byte after it, squared, so that a few bytes reach thousands of levels), up to
/// [`MAX_NESTED`] bytes in all.
fn steps(data: &[u8]) -> Vec<u8> {
    const TOKENS: [&[u8]; 10] = [
        b"<< /K ",
        b" >>",
        b"[",
        b"]",
        b"(",
        b")",
        b" 1 ",
        b" /N ",
        b" 2 0 R ",
        b" (x) Tj ",
    ];
    let mut out = Vec::new();
    for pair in data.chunks(2) {
        let token = TOKENS[usize::from(pair[0]) % TOKENS.len()];
        let count = pair
            .get(1)
            .map_or(1, |&n| usize::from(n) * usize::from(n) + 1);
        for _ in 0..count {
            out.extend_from_slice(token);
        }
        if out.len() > MAX_NESTED {
            break;
        }
    }
    out
}

/// How much nesting one input may write: enough for thousands of levels.
const MAX_NESTED: usize = 100_000;

fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A PDF of `objects`, numbered from 1, the first its catalog.
fn document(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
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

/// The PDF with `nested` written where `place` says.
fn pdf_with(place: u8, nested: &[u8]) -> Vec<u8> {
    let text = b"BT /F1 11 Tf 72 720 Td (Read me) Tj ET\n".to_vec();
    let page = |extra: &[u8], contents: &str| {
        let mut p = format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {contents} ").into_bytes();
        p.extend_from_slice(extra);
        p.extend_from_slice(b" >>");
        p
    };
    let font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        font,
    ];
    let mut content = text.clone();
    let mut xmp = b"<x:xmpmeta><dc:title>T</dc:title></x:xmpmeta>".to_vec();
    let mut extra = Vec::new();
    match place % 5 {
        0 => extra = [b"/X ".as_slice(), nested].concat(),
        1 => content.extend_from_slice(nested),
        3 => {
            xmp = nested
                .iter()
                .map(|&b| match b {
                    b'<' | b'[' => b"<a>".as_slice(),
                    b'>' | b']' => b"</a>",
                    _ => b"x",
                })
                .collect::<Vec<_>>()
                .concat()
        }
        _ => {}
    }
    objects.push(page(&extra, "5 0 R"));
    objects.push(stream("/Filter /FlateDecode", &zlib(&content)));
    objects.push(stream("/Type /Metadata /Subtype /XML", &xmp));
    match place % 5 {
        // An object stream holding one object: the nesting.
        2 => {
            let body = [b"1 0 ".as_slice(), nested].concat();
            objects.push(stream(
                "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
                &zlib(&body),
            ));
        }
        // The page tree: a chain of `Pages` nodes as long as the nesting.
        4 => {
            let levels = nested.len().min(5_000);
            let first = objects.len() + 1;
            objects[1] = format!("<< /Type /Pages /Kids [{first} 0 R] /Count 1 >>").into_bytes();
            for i in 0..levels {
                let me = first + i;
                let kid = if i + 1 == levels { 4 } else { me + 1 };
                let parent = if i == 0 { 2 } else { me - 1 };
                objects.push(
                    format!("<< /Type /Pages /Parent {parent} 0 R /Kids [{kid} 0 R] /Count 1 >>")
                        .into_bytes(),
                );
            }
        }
        _ => {}
    }
    document(&objects)
}

fuzz_target!(|data: &[u8]| {
    let Some((&place, rest)) = data.split_first() else {
        return;
    };
    let bytes = pdf_with(place, &steps(rest));
    let reading = Reading {
        url: None,
        encoding: None,
        limit: 64_000_000,
    };
    let read = Snapshot::from_bytes("s.pdf".into(), "s.pdf".into(), bytes.clone(), &reading);
    if let Ok(snapshot) = read {
        let _ = snapshot.find("Read me");
    }
    let _ = pdf::info(&bytes, 64_000_000);
});

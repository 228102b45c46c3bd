//! Reading a snapshot of any bytes, in each format: HTML in any declared encoding, text,
//! PDF, WARC (plain or gzipped) and WACZ. Reading may refuse the bytes but must not
//! panic or overflow the stack, and a snapshot read must answer any quote. The corpus
//! holds PDFs nested hundreds of dictionaries deep (`pdf-nested-*`), from which the
//! fuzzer varies the structure's depth.
#![no_main]

use dossier::snapshots::{Reading, Snapshot};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 7] = [
    "s.html",
    "s.txt",
    "s.snapshot.md",
    "s.pdf",
    "s.warc",
    "s.warc.gz",
    "s.wacz",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let reading = Reading {
        url: (selector & 0x80 != 0).then(|| "https://news.test/a".to_string()),
        encoding: (selector & 0x40 != 0).then(|| "gbk".to_string()),
        limit: 64_000_000,
    };
    if let Ok(snapshot) = Snapshot::from_bytes(name.into(), name.into(), rest, &reading) {
        let quote = String::from_utf8_lossy(&rest[..rest.len().min(40)]);
        let _ = snapshot.find(&quote);
    }
});

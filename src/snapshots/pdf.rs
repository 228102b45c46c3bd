//! PDF snapshots: the text of each page, and the document's own title, authors and date.
//! Text comes from `pdf-extract` (fonts, encodings and ToUnicode maps, over `lopdf`);
//! the document information from `lopdf`'s Info dictionary, else the XMP metadata.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::Once;

use crate::snapshots::warc::find;
use pdf_extract::content::Content;
use pdf_extract::{
    Dictionary, Document, MediaBox, Object, ObjectId, OutputDev, OutputError, PlainTextOutput,
    Transform, output_doc,
};

/// What a PDF says of itself.
#[derive(Debug, Default, PartialEq)]
pub struct Info {
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
}

/// Why a PDF, or every page of it, could not be read.
pub(crate) const DAMAGED: &str = "the PDF could not be read (its structure is damaged)";

thread_local! {
    /// Set while this thread reads a PDF, whose reader may panic on a malformed file.
    static READING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` on a PDF reader, turning its panics into an error: the reader is not meant
/// to panic, but a malformed file must not bring the build down, nor print a backtrace.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    READING.with(|r| r.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    READING.with(|r| r.set(false));
    result.unwrap_or_else(|_| Err(DAMAGED.into()))
}

/// Checks that the PDF's compressed streams, decoded, come to at most `limit` bytes
/// together, before `lopdf` decodes any of them (it would do so without a bound). Each
/// stream's data, up to its `endstream`, goes through the filters its dictionary names
/// that `lopdf` would apply (Flate, LZW, ASCII85, in order), counting what comes out;
/// data a filter cannot read counts as what came out before.
fn check_expansion(bytes: &[u8], limit: u64) -> Result<(), String> {
    let mut total: u64 = 0;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let keyword = at + found;
        at = keyword + b"stream".len();
        if bytes[..keyword].ends_with(b"end") {
            continue;
        }
        let data = match &bytes[at..] {
            [b'\r', b'\n', rest @ ..] | [b'\n', rest @ ..] | [b'\r', rest @ ..] => rest,
            _ => continue,
        };
        let data = &data[..find(data, b"endstream").unwrap_or(data.len())];
        let filters = filters(&bytes[keyword.saturating_sub(4096)..keyword]);
        total += decoded_length(data, &filters, limit - total);
        if total > limit {
            return Err(format!(
                "the PDF's compressed streams expand beyond {} MB (`[snapshots] max_mb` in site.toml)",
                limit as f64 / 1e6
            ));
        }
    }
    Ok(())
}

/// The filters named by the dictionary that ends `before` (the text before a `stream`
/// keyword), in the order they decode: `/Filter /Name` or `/Filter [/A /B]`.
fn filters(before: &[u8]) -> Vec<&[u8]> {
    let dict = match before.windows(3).rposition(|w| w == b"obj") {
        Some(i) => &before[i..],
        None => before,
    };
    let Some(i) = find(dict, b"/Filter") else {
        return Vec::new();
    };
    let rest = &dict[i + b"/Filter".len()..];
    let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let names = match rest.first() {
        Some(b'[') => &rest[1..rest.iter().position(|&b| b == b']').unwrap_or(rest.len())],
        _ => {
            &rest[..rest
                .iter()
                .skip(1)
                .position(|&b| b == b'/' || b == b'>')
                .map_or(rest.len(), |p| p + 1)]
        }
    };
    names
        .split(|&b| b == b'/' || b.is_ascii_whitespace())
        .filter(|n| !n.is_empty())
        .collect()
}

/// How many bytes `data` decodes to through `filters`, counting at most `left + 1`. The
/// last filter's output is only counted; the others' is kept (at most `left + 1` bytes)
/// for the next.
fn decoded_length(data: &[u8], filters: &[&[u8]], left: u64) -> u64 {
    use std::io::Read;
    let cap = left + 1;
    let mut input = std::borrow::Cow::Borrowed(data);
    let mut counted = 0;
    for (i, filter) in filters.iter().enumerate() {
        let mut out = Bounded::new(cap, i + 1 < filters.len());
        match *filter {
            b"FlateDecode" => {
                let mut inflated = flate2::read::ZlibDecoder::new(&input[..]);
                let mut chunk = [0u8; 16 * 1024];
                while let Ok(n @ 1..) = inflated.read(&mut chunk) {
                    if out.take(&chunk[..n]).is_err() {
                        break;
                    }
                }
            }
            b"LZWDecode" => {
                let mut decoder =
                    weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
                let _ = decoder.into_stream(&mut out).decode_all(&input[..]);
            }
            b"ASCII85Decode" => {
                // At most four bytes out for each byte in: bounded by the file itself.
                let mut stream = pdf_extract::Stream::new(Dictionary::new(), input.to_vec());
                stream.dict.set("Filter", Object::Name(filter.to_vec()));
                let _ = out.take(&stream.decompressed_content().unwrap_or_default());
            }
            _ => break,
        }
        counted = out.count;
        if counted >= cap {
            break;
        }
        input = std::borrow::Cow::Owned(out.kept);
    }
    counted
}

/// A sink that counts what is written to it, and keeps it when asked, up to a cap; past
/// it, writing fails.
struct Bounded {
    cap: u64,
    count: u64,
    keep: bool,
    kept: Vec<u8>,
}

impl Bounded {
    fn new(cap: u64, keep: bool) -> Self {
        Bounded {
            cap,
            count: 0,
            keep,
            kept: Vec::new(),
        }
    }

    fn take(&mut self, bytes: &[u8]) -> Result<(), ()> {
        let room = (self.cap - self.count).min(bytes.len() as u64) as usize;
        if self.keep {
            self.kept.extend_from_slice(&bytes[..room]);
        }
        self.count += room as u64;
        if room < bytes.len() { Err(()) } else { Ok(()) }
    }
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.take(buf)
            .map(|()| buf.len())
            .map_err(|()| std::io::Error::other("beyond the limit"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How deep a PDF's dictionaries and arrays may nest: real files stay within a few
/// levels, and `lopdf` stops reading an object nested deeper (so that recursion cannot
/// overflow the stack); checked first, so that the error says why.
const MAX_DEPTH: usize = 100;

/// Checks that the PDF's dictionaries and arrays nest at most [`MAX_DEPTH`] deep, counting
/// `<<`/`[` against `>>`/`]` outside strings, comments and stream data.
fn check_depth(bytes: &[u8]) -> Result<(), String> {
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        let next = bytes.get(i + 1).copied();
        match bytes[i] {
            b'%' => {
                i += bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .unwrap_or(bytes.len() - i)
            }
            b'(' => i += string_length(&bytes[i..]),
            b'<' if next == Some(b'<') => {
                depth += 1;
                i += 1;
            }
            b'<' => {
                i += bytes[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .unwrap_or(bytes.len() - i)
            }
            b'>' if next == Some(b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b's' if bytes[i..].starts_with(b"stream")
                && matches!(bytes.get(i + 6), Some(b'\r' | b'\n'))
                && !bytes[..i].ends_with(b"end") =>
            {
                i += find(&bytes[i..], b"endstream").unwrap_or(bytes.len() - i);
            }
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Err(format!(
                "the PDF nests its dictionaries or arrays over {MAX_DEPTH} deep, as no real document does; it is not read"
            ));
        }
        i += 1;
    }
    Ok(())
}

/// The length of the literal string at the start of `bytes` (`(` … `)`, with nested
/// parentheses and backslash escapes), less its closing parenthesis.
fn string_length(bytes: &[u8]) -> usize {
    let (mut open, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => open += 1,
            b')' => {
                open -= 1;
                if open == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

fn load(bytes: &[u8], limit: u64) -> Result<Document, String> {
    check_depth(bytes)?;
    check_expansion(bytes, limit)?;
    let mut doc = Document::load_mem(bytes).map_err(|e| format!("not a readable PDF: {e}"))?;
    if doc.is_encrypted() {
        doc.decrypt("")
            .map_err(|_| "the PDF is encrypted with a password".to_string())?;
    }
    break_loops(&mut doc);
    Ok(doc)
}

/// The deepest nesting of XObjects whose text is read; deeper ones are left out.
const NESTING: usize = 32;

/// Cuts the loops of a malformed PDF that `pdf-extract` would follow without end: a page
/// whose ancestors include itself loses its `Parent`, and an XObject that draws itself,
/// or lies deeper than [`NESTING`], is emptied.
fn break_loops(doc: &mut Document) {
    for page in doc.get_pages().into_values() {
        let mut seen = HashSet::from([page]);
        let mut node = page;
        while let Some(parent) = reference(doc.get_dictionary(node).ok(), b"Parent") {
            if !seen.insert(parent) {
                if let Ok(dict) = doc.get_dictionary_mut(node) {
                    dict.remove(b"Parent");
                }
                break;
            }
            node = parent;
        }
    }
    let calls = xobject_calls(doc);
    let mut height = HashMap::new();
    let mut cut = Vec::new();
    // In object order, so that the same file always loses the same XObject.
    let mut ids: Vec<ObjectId> = calls.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        measure(id, &calls, &mut height, &mut Vec::new(), &mut cut);
    }
    for id in cut {
        if let Ok(Object::Stream(stream)) = doc.get_object_mut(id) {
            stream.set_plain_content(Vec::new());
        }
    }
}

/// The reference under `key` in `dict`.
fn reference(dict: Option<&Dictionary>, key: &[u8]) -> Option<ObjectId> {
    dict?.get(key).ok()?.as_reference().ok()
}

/// The dictionary under `key` in `dict`, followed through references.
fn dictionary<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    let (_, object) = doc.dereference(dict.get(key).ok()?).ok()?;
    object.as_dict().ok()
}

/// The XObjects of the resources of `dict`, by name.
fn xobjects<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    dictionary(doc, dictionary(doc, dict, b"Resources")?, b"XObject")
}

/// Each XObject and the XObjects its content may draw (`Do`): from its own resources, or,
/// when it has none and so draws from its caller's, from any resources in the document.
fn xobject_calls(doc: &Document) -> HashMap<ObjectId, Vec<ObjectId>> {
    let mut named: HashMap<&[u8], Vec<ObjectId>> = HashMap::new();
    for object in doc.objects.values() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        for (name, value) in xobjects(doc, dict).into_iter().flat_map(|x| x.iter()) {
            if let Ok(id) = value.as_reference() {
                named.entry(name.as_slice()).or_default().push(id);
            }
        }
    }
    let drawn: HashSet<ObjectId> = named.values().flatten().copied().collect();
    drawn
        .into_iter()
        .filter_map(|id| {
            let Ok(Object::Stream(stream)) = doc.get_object(id) else {
                return None;
            };
            let data = stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone());
            let operations = match data.windows(2).any(|w| w == b"Do") {
                true => Content::decode(&data)
                    .map(|c| c.operations)
                    .unwrap_or_default(),
                false => Vec::new(),
            };
            let names = operations
                .iter()
                .filter(|op| op.operator == "Do")
                .filter_map(|op| op.operands.first()?.as_name().ok());
            let targets = match xobjects(doc, &stream.dict) {
                Some(xobjects) => names
                    .filter_map(|n| xobjects.get(n).ok()?.as_reference().ok())
                    .collect(),
                None => names
                    .flat_map(|n| named.get(n))
                    .flatten()
                    .copied()
                    .collect(),
            };
            Some((id, targets))
        })
        .collect()
}

/// How many XObjects deep drawing `id` goes, memoised in `height`; `id` is put in `cut`
/// when it draws one of those on `stack` (a loop) or lies [`NESTING`] deep.
fn measure(
    id: ObjectId,
    calls: &HashMap<ObjectId, Vec<ObjectId>>,
    height: &mut HashMap<ObjectId, usize>,
    stack: &mut Vec<ObjectId>,
    cut: &mut Vec<ObjectId>,
) -> usize {
    if let Some(&h) = height.get(&id) {
        return h;
    }
    let callees = calls.get(&id).map_or(&[][..], Vec::as_slice);
    let mut h = 1;
    if stack.len() >= NESTING || callees.iter().any(|c| stack.contains(c) || *c == id) {
        cut.push(id);
    } else {
        stack.push(id);
        for &callee in callees {
            h = h.max(1 + measure(callee, calls, height, stack, cut));
        }
        stack.pop();
    }
    height.insert(id, h);
    h
}

/// How many times reading a document's pages starts again after a page that cannot be
/// read; the pages after the last restart are left unread.
const RESTARTS: usize = 32;

/// The text of each page, in order; `None` for a page whose text cannot be read.
///
/// The document is read in one pass (`output_doc`: reading page by page looks up the
/// whole page tree for each page, which makes the time grow with the square of the
/// pages). A page that stops the pass is set aside, the pages read so far are emptied,
/// and the pass starts again, at most [`RESTARTS`] times.
pub fn pages(bytes: &[u8], limit: u64) -> Result<Vec<Option<String>>, String> {
    let mut doc = guarded(|| load(bytes, limit))?;
    let ids = guarded(|| Ok(doc.get_pages()))?;
    let split = Rc::new(RefCell::new(Split::default()));
    for _ in 0..=RESTARTS {
        let done = guarded(|| {
            let mut sink = Sink(split.clone());
            let mut out = ByPage {
                plain: PlainTextOutput::new(&mut sink as &mut dyn std::io::Write),
                split: split.clone(),
            };
            output_doc(&doc, &mut out).map_err(|e| e.to_string())
        })
        .is_ok();
        if done {
            break;
        }
        let mut split = split.borrow_mut();
        // The page that stopped the pass: the one begun, or the next when it stopped
        // before beginning it.
        let stopped = match split.current.take() {
            Some((number, _)) => Some(number),
            None => ids.range(split.begun + 1..).next().map(|(&n, _)| n),
        };
        match stopped {
            Some(number) if number > split.skip => {
                split.texts.insert(number, None);
                split.skip = number;
                empty_pages(&mut doc, &ids, number);
            }
            _ => break,
        }
    }
    let mut split = split.borrow_mut();
    Ok(ids
        .keys()
        .map(|n| split.texts.remove(n).flatten())
        .collect())
}

/// Replaces the pages up to `last` with empty ones, whose reading costs nothing.
fn empty_pages(doc: &mut Document, ids: &BTreeMap<u32, ObjectId>, last: u32) {
    for (_, &id) in ids.range(..=last) {
        let parent = doc
            .get_dictionary(id)
            .ok()
            .and_then(|d| d.get(b"Parent").ok().cloned());
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 1.into(), 1.into()]),
        );
        if let Some(parent) = parent {
            page.set("Parent", parent);
        }
        doc.objects.insert(id, Object::Dictionary(page));
    }
}

/// The pages' texts as one reading pass writes them.
#[derive(Default)]
struct Split {
    /// Each page's text by its number; `None` for a page that stopped a pass.
    texts: HashMap<u32, Option<String>>,
    /// The page being read, and its text so far.
    current: Option<(u32, String)>,
    /// Pages up to this one were read in an earlier pass.
    skip: u32,
    /// The last page begun.
    begun: u32,
}

/// Where `PlainTextOutput` writes: the page being read.
struct Sink(Rc<RefCell<Split>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some((_, text)) = self.0.borrow_mut().current.as_mut() {
            text.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `PlainTextOutput`, with each page's text kept apart.
struct ByPage<'a> {
    plain: PlainTextOutput<&'a mut dyn std::io::Write>,
    split: Rc<RefCell<Split>>,
}

impl OutputDev for ByPage<'_> {
    fn begin_page(
        &mut self,
        number: u32,
        media_box: &MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        let mut split = self.split.borrow_mut();
        split.begun = number;
        split.current = (number > split.skip).then(|| (number, String::new()));
        drop(split);
        self.plain.begin_page(number, media_box, art_box)
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        let mut split = self.split.borrow_mut();
        if let Some((number, text)) = split.current.take() {
            split.texts.insert(number, Some(text));
        }
        drop(split);
        self.plain.end_page()
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.plain
            .output_character(trm, width, spacing, font_size, char)
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.plain.begin_word()
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        self.plain.end_word()
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        self.plain.end_line()
    }
}

/// The document's title, authors and date: from its Info dictionary, each missing one
/// from its XMP metadata.
pub fn info(bytes: &[u8], limit: u64) -> Info {
    guarded(|| {
        let doc = load(bytes, limit)?;
        let mut info = Info::default();
        if let Ok(dict) = doc
            .trailer
            .get(b"Info")
            .and_then(|o| doc.dereference(o))
            .and_then(|(_, o)| o.as_dict())
        {
            let text = |key: &[u8]| {
                dict.get(key)
                    .ok()
                    .and_then(|o| pdf_extract::decode_text_string(o).ok())
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            info.title = text(b"Title");
            info.authors = text(b"Author")
                .map(|a| split_authors(&a))
                .unwrap_or_default();
            info.date = text(b"CreationDate").and_then(|d| pdf_date(&d));
        }
        if info.title.is_none() || info.authors.is_empty() || info.date.is_none() {
            let xmp = xmp(&doc);
            info.title = info.title.or(xmp.title);
            if info.authors.is_empty() {
                info.authors = xmp.authors;
            }
            info.date = info.date.or(xmp.date);
        }
        Ok(info)
    })
    .unwrap_or_default()
}

/// Authors as an Info dictionary writes them: `A; B`, `A, B and C`… A single name with a
/// comma (`Family, Given`) is left whole.
fn split_authors(all: &str) -> Vec<String> {
    let parts: Vec<&str> = if all.contains(';') {
        all.split(';').collect()
    } else if all.contains(" and ") || all.matches(',').count() > 1 {
        all.split([',']).flat_map(|p| p.split(" and ")).collect()
    } else {
        vec![all]
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// A PDF date (`D:20240415093000+08'00'`) or an XMP one (`2024-04-15T09:30:00`) as
/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
fn pdf_date(raw: &str) -> Option<String> {
    let s = raw.trim().trim_start_matches("D:");
    let digits: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .filter(char::is_ascii_digit)
        .take(8)
        .collect();
    let ok = |from: usize, to: usize, max: u32| {
        digits
            .get(from..to)
            .and_then(|d| d.parse::<u32>().ok())
            .is_some_and(|n| (1..=max).contains(&n))
    };
    match digits.len() {
        8 if ok(4, 6, 12) && ok(6, 8, 31) => Some(format!(
            "{}-{}-{}",
            &digits[..4],
            &digits[4..6],
            &digits[6..]
        )),
        6 | 7 if ok(4, 6, 12) => Some(format!("{}-{}", &digits[..4], &digits[4..6])),
        4.. if ok(0, 4, 9999) => Some(digits[..4].to_string()),
        _ => None,
    }
}

/// How deep the elements of XMP metadata are followed.
const XMP_DEPTH: usize = 64;

/// The title, creators and creation date of the document's XMP metadata stream.
fn xmp(doc: &Document) -> Info {
    let mut info = Info::default();
    let Some(xml) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Metadata").ok())
        .and_then(|o| o.as_reference().ok())
        .and_then(|id| doc.get_object(id).ok())
        .and_then(|o| match o {
            Object::Stream(s) => Some(s.decompressed_content().unwrap_or(s.content.clone())),
            _ => None,
        })
    else {
        return info;
    };
    use html5gum::{Token, Tokenizer};
    let xml = String::from_utf8_lossy(&xml);
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut date = None;
    for token in Tokenizer::new(xml.as_ref()).flatten() {
        match token {
            // Real XMP nests a few elements deep; deeper, reading stops with what it has.
            Token::StartTag(_) if open.len() >= XMP_DEPTH => break,
            Token::StartTag(t) if !t.self_closing => open.push(t.name.to_vec()),
            Token::EndTag(t) => {
                if let Some(i) = open.iter().rposition(|n| *n == *t.name) {
                    open.truncate(i);
                }
            }
            Token::String(s) => {
                let text = String::from_utf8_lossy(&s.value).trim().to_string();
                let within = |name: &[u8]| open.iter().any(|n| n == name);
                if text.is_empty() {
                    continue;
                }
                if within(b"dc:title") && info.title.is_none() {
                    info.title = Some(text);
                } else if within(b"dc:creator") {
                    info.authors.push(text);
                } else if (within(b"xmp:createdate") || within(b"photoshop:datecreated"))
                    && date.is_none()
                {
                    date = pdf_date(&text);
                }
            }
            _ => {}
        }
    }
    info.date = date;
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_authors_read_as_written() {
        assert_eq!(
            pdf_date("D:20240415093000+08'00'").as_deref(),
            Some("2024-04-15")
        );
        assert_eq!(
            pdf_date("2024-04-15T09:30:00Z").as_deref(),
            Some("2024-04-15")
        );
        assert_eq!(pdf_date("D:202404").as_deref(), Some("2024-04"));
        assert_eq!(pdf_date("D:2024").as_deref(), Some("2024"));
        assert_eq!(pdf_date("D:20241345").as_deref(), Some("2024"));
        assert_eq!(pdf_date("undated"), None);
        assert_eq!(split_authors("A. One; B. Two"), ["A. One", "B. Two"]);
        assert_eq!(split_authors("A, B and C"), ["A", "B", "C"]);
        assert_eq!(split_authors("Family, Given"), ["Family, Given"]);
        assert!(pages(b"not a pdf", 1 << 20).is_err());
    }
}

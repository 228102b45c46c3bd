//! Strings shown in English in a page of another language are marked where they are
//! looked up (two noncharacters around them), and each page is then written with them
//! resolved: in running text, a `<span lang="en" dir="ltr">` around the English, so that a screen
//! reader reads it with English rules; in a tag's attributes, a title, a script, a style,
//! an SVG drawing or a text field, where no element may go, the marks are dropped.

/// Before a string shown in English.
pub(crate) const OPEN: char = '\u{FDD0}';
/// After it.
const CLOSE: char = '\u{FDD1}';

/// `en` marked as shown in English.
pub(crate) fn mark(en: &str) -> String {
    format!("{OPEN}{en}{CLOSE}")
}

/// Whether `text` holds a mark.
pub fn any(text: &str) -> bool {
    text.contains([OPEN, CLOSE])
}

/// `text` without its marks.
pub fn strip(text: &str) -> String {
    text.replace([OPEN, CLOSE], "")
}

/// Elements whose content is not running text: marks inside them are dropped.
const NOT_TEXT: [&str; 7] = [
    "title", "script", "style", "textarea", "option", "svg", "template",
];

/// An HTML page with its marks resolved.
pub(crate) fn resolve_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    // The element whose content is not running text that the text is in, and its depth.
    let mut inside: Option<(&str, usize)> = None;
    while let Some(at) = rest.find(['<', OPEN, CLOSE]) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or('<');
        rest = &rest[at + c.len_utf8()..];
        match c {
            OPEN if inside.is_none() => out.push_str("<span lang=\"en\" dir=\"ltr\">"),
            CLOSE if inside.is_none() => out.push_str("</span>"),
            OPEN | CLOSE => {}
            _ => {
                let end = tag_end(rest);
                let tag = &rest[..end];
                out.push('<');
                out.push_str(&strip(tag));
                rest = &rest[end..];
                inside = next_inside(inside, tag);
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the tag starting `rest` (after its `<`) ends: past its `>`, outside quotes.
fn tag_end(rest: &str) -> usize {
    let mut quote = None;
    for (i, b) in rest.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    rest.len()
}

/// Which element not of running text the text after `tag` is in.
fn next_inside<'a>(inside: Option<(&'a str, usize)>, tag: &str) -> Option<(&'a str, usize)> {
    let closing = tag.starts_with('/');
    let name: String = tag
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let self_closing = tag.trim_end_matches('>').ends_with('/');
    match inside {
        Some((n, depth)) if n == name => match (closing, self_closing) {
            (true, _) if depth == 1 => None,
            (true, _) => Some((n, depth - 1)),
            (false, true) => Some((n, depth)),
            (false, false) => Some((n, depth + 1)),
        },
        Some(other) => Some(other),
        None if !closing && !self_closing => NOT_TEXT.iter().find(|&&n| n == name).map(|&n| (n, 1)),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_spans_in_text_and_go_elsewhere() {
        let m = mark("Sources");
        let html = format!(
            "<html><head><title>{m} – X</title><script>var a = \"{m}\";</script></head><body><a href=\"/s/\" title=\"{m}\">{m}</a><svg><text>{m}</text><svg><text>{m}</text></svg><text>{m}</text></svg><p>{m} <img alt='{m}' /> x</p></body></html>"
        );
        assert_eq!(
            resolve_html(&html),
            "<html><head><title>Sources – X</title><script>var a = \"Sources\";</script></head><body><a href=\"/s/\" title=\"Sources\"><span lang=\"en\" dir=\"ltr\">Sources</span></a><svg><text>Sources</text><svg><text>Sources</text></svg><text>Sources</text></svg><p><span lang=\"en\" dir=\"ltr\">Sources</span> <img alt='Sources' /> x</p></body></html>"
        );
        assert_eq!(strip(&m), "Sources");
        assert!(any(&m) && !any("Sources"));
    }
}

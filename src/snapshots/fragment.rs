//! Where a verified quote is on the live page: the URL fragment that takes a reader's
//! browser to it. In a PDF that is `page=N`; elsewhere a text directive
//! (`:~:text=[prefix-,]start[,end][,-suffix]`, the URL Fragment Text Directive) made only
//! of the snapshot's own words.
//!
//! A browser takes the first passage the directive matches, comparing without case and
//! with runs of whitespace as one; each term lies within one block of text (a paragraph,
//! a list item, a cell), starts and ends on word boundaries, and the prefix and suffix
//! touch the match across whitespace alone. The directive is built against a model of
//! that search on the snapshot's folded text, which equates more than a browser does
//! (typographic quotes and dashes with plain ones), so it counts every passage a browser
//! could take and some more: context words are added until the quoted passage is the only
//! match, or at least the first.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::fold::{Folder, fold_str, source_of};
use super::visible::visible;
use super::{Found, Kind, Snapshot};

/// What a term keeps as it is; everything else, `-`, `&` and `,` included, is
/// percent-encoded.
const KEPT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'*')
    .remove(b'(')
    .remove(b')')
    .remove(b'\'');

/// A quote of up to this many words is matched whole; a longer one by its first and last
/// words.
const WHOLE_WORDS: usize = 10;
/// How many words a long quote's first and last terms start with.
const EDGE_WORDS: usize = 3;
/// The most words added to each term and each side's context.
const MORE_WORDS: usize = 8;

/// A directive's terms, as ranges of the folded text.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Terms {
    prefix: Option<(usize, usize)>,
    start: (usize, usize),
    end: Option<(usize, usize)>,
    suffix: Option<(usize, usize)>,
}

impl Snapshot {
    /// The fragment (without `#`) that takes a browser to `quote` on the page this is a
    /// snapshot of, or `None` when the quote is not here or no directive made of the
    /// snapshot's words finds it first.
    pub fn fragment(&self, quote: &str) -> Option<String> {
        if !quote.chars().any(char::is_alphanumeric) {
            return None;
        }
        let found = self.find(quote).ok()?;
        if self.kind == Kind::Pdf {
            return found.page.map(|p| format!("page={p}"));
        }
        let terms = self.directive(&found)?;
        let mut out = String::from(":~:text=");
        let mut put = |range: (usize, usize), before: &str, after: &str| {
            let words = self.original(range)?;
            out.push_str(before);
            out.extend(utf8_percent_encode(&words, KEPT));
            out.push_str(after);
            Some(())
        };
        if let Some(p) = terms.prefix {
            put(p, "", "-,")?;
        }
        put(terms.start, "", "")?;
        if let Some(e) = terms.end {
            put(e, ",", "")?;
        }
        if let Some(s) = terms.suffix {
            put(s, ",-", "")?;
        }
        Some(out)
    }

    /// The terms that find the quote `found` first, with as little context as will make
    /// it the only match.
    fn directive(&self, found: &Found) -> Option<Terms> {
        let (s, e) = self.whole_words(found.span);
        let words = self.key[s..e].split(' ').count();
        let long = found.elided || words > WHOLE_WORDS || self.crosses(s, e);
        let mut first = None;
        for more in 0..=MORE_WORDS {
            let mut terms = Terms {
                prefix: self.words_before(s, more),
                start: (s, e),
                end: None,
                suffix: self.words_after(e, more),
            };
            if long {
                let start = self.words_after_within(s, e, EDGE_WORDS + more);
                let end = self.words_before_within(s, e, EDGE_WORDS + more);
                if start.1 < end.0 {
                    terms.start = start;
                    terms.end = Some(end);
                } else if self.crosses(s, e) {
                    continue;
                }
            }
            let matches = self.matches(&terms, 2);
            if matches == [(s, e)] {
                return Some(terms);
            }
            if matches.first() == Some(&(s, e)) {
                first.get_or_insert(terms);
            }
        }
        first
    }

    /// `span` widened to whole words.
    fn whole_words(&self, (mut s, mut e): (usize, usize)) -> (usize, usize) {
        let key = &self.key;
        while !boundary(key, s) {
            s -= key[..s].chars().next_back().map_or(1, char::len_utf8);
        }
        while !boundary(key, e) {
            e += key[e..].chars().next().map_or(1, char::len_utf8);
        }
        (s, e)
    }

    /// Whether a block begins strictly inside `a..e`.
    fn crosses(&self, a: usize, e: usize) -> bool {
        let i = self.blocks.partition_point(|&p| p as usize <= a);
        self.blocks.get(i).is_some_and(|&p| (p as usize) < e)
    }

    /// Where the block holding byte `at` begins and ends.
    fn block_of(&self, at: usize) -> (usize, usize) {
        let i = self.blocks.partition_point(|&p| p as usize <= at);
        let from = i.checked_sub(1).map_or(0, |i| self.blocks[i] as usize);
        let to = self
            .blocks
            .get(i)
            .map_or(self.key.len(), |&p| (p as usize).saturating_sub(1));
        (from, to)
    }

    /// Up to `n` words ending where `s` begins (across one space), in one block.
    fn words_before(&self, s: usize, n: usize) -> Option<(usize, usize)> {
        let end = if self.key[..s].ends_with(' ') {
            s - 1
        } else {
            s
        };
        if n == 0 || end == 0 || self.crosses(end - 1, s + 1) {
            return None;
        }
        let (from, _) = self.block_of(end - 1);
        Some((self.back_words(from, end, n), end))
    }

    /// Up to `n` words starting where `e` ends (across one space), in one block.
    fn words_after(&self, e: usize, n: usize) -> Option<(usize, usize)> {
        let start = if self.key[e..].starts_with(' ') {
            e + 1
        } else {
            e
        };
        if n == 0 || start >= self.key.len() || self.crosses(e.saturating_sub(1), start + 1) {
            return None;
        }
        let (_, to) = self.block_of(start);
        Some((start, self.forward_words(start, to, n)))
    }

    /// The first `n` words of `s..e` within the block where `s` is.
    fn words_after_within(&self, s: usize, e: usize, n: usize) -> (usize, usize) {
        let (_, to) = self.block_of(s);
        (s, self.forward_words(s, to.min(e), n))
    }

    /// The last `n` words of `s..e` within the block where `e` ends.
    fn words_before_within(&self, s: usize, e: usize, n: usize) -> (usize, usize) {
        let (from, _) = self.block_of(e - 1);
        (self.back_words(from.max(s), e, n), e)
    }

    /// Where the `n`th word back from `end` begins, not before `from`.
    fn back_words(&self, from: usize, end: usize, n: usize) -> usize {
        let text = &self.key[from..end];
        match text.rmatch_indices(' ').nth(n - 1) {
            Some((i, _)) => from + i + 1,
            None => from,
        }
    }

    /// Where the `n`th word from `start` ends, not after `to`.
    fn forward_words(&self, start: usize, to: usize, n: usize) -> usize {
        let text = &self.key[start..to];
        match text.match_indices(' ').nth(n - 1) {
            Some((i, _)) => start + i,
            None => to,
        }
    }

    /// The passages `terms` match, in order, up to `limit` of them.
    fn matches(&self, t: &Terms, limit: usize) -> Vec<(usize, usize)> {
        let key = &self.key;
        let term = |(a, b): (usize, usize)| &key[a..b];
        let start = term(t.start);
        let start_ends_word = t.end.is_some() || t.suffix.is_none();
        let mut found = Vec::new();
        for i in self.occurrences(start, 0, t.prefix.is_none(), start_ends_word) {
            if let Some(p) = t.prefix {
                let end = if key[..i].ends_with(' ') { i - 1 } else { i };
                let p = term(p);
                let ok = key[..end].ends_with(p)
                    && self.fits(end - p.len(), end, true, false)
                    && !self.crosses(end.saturating_sub(1), i + 1);
                if !ok {
                    continue;
                }
            }
            let after = i + start.len();
            let matched = match t.end {
                None => self.suffix_fits(t, after).then_some(after),
                Some(e) => self
                    .occurrences(term(e), after, true, t.suffix.is_none())
                    .map(|j| j + (e.1 - e.0))
                    .find(|&end| self.suffix_fits(t, end)),
            };
            if let Some(end) = matched {
                found.push((i, end));
                if found.len() == limit {
                    break;
                }
            }
        }
        found
    }

    /// Whether the suffix of `t`, if any, follows a match ending at `end`.
    fn suffix_fits(&self, t: &Terms, end: usize) -> bool {
        let Some((a, b)) = t.suffix else {
            return true;
        };
        let key = &self.key;
        let at = if key[end..].starts_with(' ') {
            end + 1
        } else {
            end
        };
        key[at..].starts_with(&key[a..b]) && self.fits(at, at + (b - a), false, true)
    }

    /// Where `term` occurs from `from` on, within one block and on the word boundaries
    /// asked for.
    fn occurrences<'a>(
        &'a self,
        term: &'a str,
        from: usize,
        starts_word: bool,
        ends_word: bool,
    ) -> impl Iterator<Item = usize> + 'a {
        let mut at = from;
        std::iter::from_fn(move || {
            let i = at + self.key.get(at..)?.find(term)?;
            at = i + self.key[i..].chars().next().map_or(1, char::len_utf8);
            Some(i)
        })
        .filter(move |&i| self.fits(i, i + term.len(), starts_word, ends_word))
    }

    /// Whether `a..b` lies in one block and has word boundaries where asked.
    fn fits(&self, a: usize, b: usize, starts_word: bool, ends_word: bool) -> bool {
        !self.crosses(a, b)
            && (!starts_word || boundary(&self.key, a))
            && (!ends_word || boundary(&self.key, b))
    }

    /// The snapshot's visible text that `range` of the folded text comes from, whitespace
    /// collapsed, or `None` if it cannot be told exactly. Offsets of characters decoded
    /// from entities are approximate, so the text is read again around where the range
    /// comes from, and the same folded words nearest to it are taken.
    fn original(&self, (a, b): (usize, usize)) -> Option<String> {
        let target = &self.key[a..b];
        let near = self.source(a);
        let floor = |mut i: usize| {
            while !self.text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let lo = floor(near.saturating_sub(256));
        let hi = floor((near + 4 * target.len() + 256).min(self.text.len()));
        let (mut chars, mut offsets) = (Vec::new(), Vec::new());
        let mut folder = Folder::with_capacity(hi - lo);
        visible(&self.text[lo..hi], self.kind, |c, at| {
            folder.push(c, chars.len() as u32);
            chars.push(c);
            offsets.push(lo + at as usize);
        });
        let from_char = |pos: usize| source_of(&folder.runs, pos).min(chars.len() - 1);
        let best = folder
            .key
            .match_indices(target)
            .map(|(i, _)| i)
            .min_by_key(|&i| offsets[from_char(i)].abs_diff(near))?;
        let last = target.chars().next_back()?.len_utf8();
        let (first, last) = (from_char(best), from_char(best + target.len() - last));
        let mut words = String::new();
        for &c in chars.get(first..=last)? {
            if !c.is_whitespace() {
                words.push(c);
            } else if !words.ends_with(' ') {
                words.push(' ');
            }
        }
        (fold_str(&words) == target).then_some(words)
    }
}

/// Whether byte `p` of `key` is not inside a word: words are letters and digits, with an
/// apostrophe, a full stop or a colon between two of them inside the word.
fn boundary(key: &str, p: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let inner = |c: Option<char>| matches!(c, Some('\'' | '.' | ':'));
    let mut before = key[..p].chars().rev();
    let mut after = key[p..].chars();
    let (b1, a1) = (before.next(), after.next());
    let (b2, a2) = (before.next(), after.next());
    !((word(b1) && word(a1))
        || (inner(b1) && word(b2) && word(a1))
        || (word(b1) && inner(a1) && word(a2)))
}

#[cfg(test)]
mod tests {
    use super::super::tests::snap;

    #[test]
    fn a_quote_found_once_is_its_own_directive() {
        let s = snap(
            "a.html",
            "<p>The <em>group’s</em> actions align, &amp; more.</p><p>Other text.</p>",
        );
        assert_eq!(
            s.fragment("group's actions align, & more").as_deref(),
            Some(":~:text=group%E2%80%99s%20actions%20align%2C%20%26%20more")
        );
    }

    #[test]
    fn a_repeated_quote_takes_context_until_only_the_quoted_one_matches() {
        let s = snap(
            "a.txt",
            "First: the botnet was removed quickly.\n\nThen the botnet was removed again.\n",
        );
        let f = s.fragment("the botnet was removed").unwrap();
        assert_eq!(
            f,
            ":~:text=First%3A-,the%20botnet%20was%20removed,-quickly."
        );
    }

    #[test]
    fn a_long_quote_is_matched_by_its_first_and_last_words() {
        let s = snap(
            "a.txt",
            "one two three four five six seven eight nine ten eleven twelve thirteen.",
        );
        let f = s
            .fragment("two three four five six seven eight nine ten eleven twelve")
            .unwrap();
        assert_eq!(f, ":~:text=two%20three%20four,ten%20eleven%20twelve");
    }

    #[test]
    fn a_quote_across_paragraphs_ends_in_the_second() {
        let s = snap("a.html", "<p>Alpha beta.</p><p>Gamma delta.</p>");
        assert_eq!(
            s.fragment("beta. Gamma").as_deref(),
            Some(":~:text=beta.,Gamma")
        );
    }
}

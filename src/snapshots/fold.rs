//! Folding text for matching (whitespace, quotes, dashes, soft hyphens and case), and
//! finding the passage nearest to a quote that is not there.

/// A folded quote without the hyphens that join two letters.
pub(super) fn unhyphenate(folded: &str) -> String {
    let chars: Vec<char> = folded.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            !(c == '-'
                && i > 0
                && chars[i - 1].is_alphabetic()
                && chars.get(i + 1).is_some_and(|n| n.is_alphabetic()))
        })
        .map(|(_, &c)| c)
        .collect()
}

/// Folds visible characters into a key as they come, recording where each run of the key
/// comes from and where one block of text ends and the next begins.
pub(super) struct Folder {
    pub(super) key: String,
    pub(super) runs: Vec<(u32, u32)>,
    /// The positions in `key` where a block begins (after the space that separates it
    /// from the one before).
    pub(super) blocks: Vec<u32>,
    space: Option<usize>,
    block: bool,
}

impl Folder {
    pub(super) fn with_capacity(n: usize) -> Folder {
        Folder {
            key: String::with_capacity(n),
            runs: Vec::new(),
            blocks: Vec::new(),
            space: None,
            block: false,
        }
    }

    #[inline]
    pub(super) fn push(&mut self, c: char, at: u32) {
        if c == super::visible::BLOCK {
            self.block = true;
        }
        if !self.block {
            self.fold(c, at);
            return;
        }
        let before = self.key.len();
        self.fold(c, at);
        if self.key.len() > before {
            self.block = false;
            if before > 0 {
                let spaced = self.key.as_bytes()[before] == b' ';
                self.blocks.push((before + usize::from(spaced)) as u32);
            }
        }
    }

    /// Folds `c` onto the key, extending its runs.
    #[inline(always)]
    fn fold(&mut self, c: char, at: u32) {
        let Folder {
            key, runs, space, ..
        } = self;
        fold_char(
            c,
            at as usize,
            key,
            space,
            &mut |key: &mut String, c: char, at: usize| {
                let pos = key.len() as u32;
                let at = at as u32;
                // A new run unless this character continues the last one byte for byte.
                let continues = runs.last().is_some_and(|&(k, t)| {
                    i64::from(pos) - i64::from(k) == i64::from(at) - i64::from(t)
                });
                if !continues {
                    runs.push((pos, at));
                }
                key.push(c);
            },
        );
    }
}

/// The offset that byte `pos` of a folded key comes from, by the key's runs.
pub(super) fn source_of(runs: &[(u32, u32)], pos: usize) -> usize {
    let i = runs.partition_point(|&(k, _)| k as usize <= pos);
    match i.checked_sub(1).map(|i| runs[i]) {
        Some((k, t)) => t as usize + (pos - k as usize),
        None => 0,
    }
}

/// Semi-global edit distance (Sellers): the range of `hay` that `needle` matches with the
/// fewest edits.
pub(super) fn nearest_substring(hay: &[char], needle: &[char]) -> (usize, usize) {
    let m = needle.len();
    let mut cost: Vec<u32> = (0..=m as u32).collect();
    let mut start: Vec<usize> = vec![0; m + 1];
    let mut next_cost = vec![0u32; m + 1];
    let mut next_start = vec![0usize; m + 1];
    let mut best = (cost[m], 0, 0);
    for (j, &h) in hay.iter().enumerate() {
        next_cost[0] = 0;
        next_start[0] = j + 1;
        for i in 1..=m {
            let mut c = cost[i - 1] + u32::from(needle[i - 1] != h);
            let mut s = start[i - 1];
            if cost[i] + 1 < c {
                c = cost[i] + 1;
                s = start[i];
            }
            if next_cost[i - 1] + 1 < c {
                c = next_cost[i - 1] + 1;
                s = next_start[i - 1];
            }
            next_cost[i] = c;
            next_start[i] = s;
        }
        if next_cost[m] < best.0 {
            best = (next_cost[m], next_start[m], j + 1);
        }
        std::mem::swap(&mut cost, &mut next_cost);
        std::mem::swap(&mut start, &mut next_start);
    }
    (best.1, best.2)
}

/// `text` folded for matching.
pub fn fold_str(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut space = None;
    for (at, c) in text.char_indices() {
        fold_char(
            c,
            at,
            &mut key,
            &mut space,
            &mut |key: &mut String, c: char, _| {
                key.push(c);
            },
        );
    }
    key
}

/// Folds one character (from offset `at`) onto `key`, calling `push` for each character
/// it appends; `space` carries the offset of a pending run of whitespace between calls.
#[inline(always)]
fn fold_char(
    c: char,
    at: usize,
    key: &mut String,
    space: &mut Option<usize>,
    push: &mut impl FnMut(&mut String, char, usize),
) {
    match c {
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
        c if c.is_whitespace() => {
            space.get_or_insert(at);
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' | '-' => {
            // Dashes join what they separate, however they are spaced or doubled.
            *space = None;
            if !key.ends_with('-') {
                push(key, '-', at);
            }
        }
        _ => {
            if let Some(space_at) = space.take()
                && !key.is_empty()
                && !key.ends_with('-')
            {
                push(key, ' ', space_at);
            }
            match c {
                '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{2039}'
                | '\u{203a}' | '`' | '\u{b4}' => push(key, '\'', at),
                '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}'
                | '\u{bb}' => push(key, '"', at),
                '\u{2026}' => "...".chars().for_each(|d| push(key, d, at)),
                c if c.is_uppercase() => c.to_lowercase().for_each(|l| push(key, l, at)),
                c => push(key, c, at),
            }
        }
    }
}

//! What a language writes besides words: its name in itself, its direction, and its
//! numbers (digits and grouping), by CLDR.

/// How a language writes numbers.
#[derive(Debug, Clone, Copy)]
pub struct Numbers {
    /// Its digits from zero to nine.
    pub digits: [char; 10],
    /// What separates groups of three digits.
    pub group: &'static str,
    /// The fewest digits a number has before it is grouped.
    pub group_from: usize,
}

const LATIN: [char; 10] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const ARABIC_INDIC: [char; 10] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];
const PERSIAN: [char; 10] = ['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹'];

/// The numbers of the language `primary` (CLDR's default numbering system and grouping).
pub fn numbers(primary: &str) -> Numbers {
    let n = |digits, group, group_from| Numbers {
        digits,
        group,
        group_from,
    };
    match primary {
        "fr" => n(LATIN, "\u{202f}", 4),
        "de" => n(LATIN, ".", 4),
        "es" => n(LATIN, ".", 5),
        "ru" | "uk" => n(LATIN, "\u{a0}", 4),
        "ar" => n(ARABIC_INDIC, "\u{66c}", 4),
        "fa" => n(PERSIAN, "\u{66c}", 4),
        _ => n(LATIN, ",", 4),
    }
}

impl Numbers {
    /// `n` written with this language's digits and grouping.
    pub fn format(&self, n: i64) -> String {
        let plain = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(plain.len() + 4);
        if n < 0 {
            out.push('-');
        }
        let grouped = plain.len() >= self.group_from;
        for (i, c) in plain.chars().enumerate() {
            if grouped && i > 0 && (plain.len() - i).is_multiple_of(3) {
                out.push_str(self.group);
            }
            out.push(self.digit(c));
        }
        out
    }

    /// `text` with each ASCII digit written in this language's digits.
    pub(crate) fn digits_of(&self, text: &str) -> String {
        text.chars().map(|c| self.digit(c)).collect()
    }

    fn digit(&self, c: char) -> char {
        match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => self.digits[d as usize],
            _ => c,
        }
    }
}

/// Whether the language `primary` is written right to left.
pub(crate) fn is_rtl(primary: &str) -> bool {
    matches!(
        primary,
        "ar" | "fa" | "he" | "ur" | "ps" | "yi" | "dv" | "ckb" | "sd" | "ug" | "syr"
    )
}

/// The direction of the language of `tag`: `rtl` or `ltr`.
pub(crate) fn dir_of(tag: &str) -> &'static str {
    match is_rtl(&crate::base::language::primary(tag)) {
        true => "rtl",
        false => "ltr",
    }
}

/// The language of `tag`'s name in itself, as a language switcher shows it ("Deutsch",
/// "Русский", "العربية"), from CLDR's names, with a capital where the script has them.
pub(crate) fn own_name(tag: &str) -> Option<String> {
    let p = crate::base::language::primary(tag);
    let lang = isolang::Language::from_639_1(&p).or_else(|| isolang::Language::from_639_3(&p))?;
    let name = lang.to_autonym()?;
    let mut chars = name.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_each_language_writes_them() {
        assert_eq!(numbers("en").format(12128), "12,128");
        assert_eq!(numbers("en").format(999), "999");
        assert_eq!(numbers("de").format(12128), "12.128");
        assert_eq!(numbers("es").format(1234), "1234");
        assert_eq!(numbers("es").format(12345), "12.345");
        assert_eq!(numbers("ru").format(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(numbers("ar").format(2024), "٢٬٠٢٤");
        assert_eq!(numbers("fa").digits_of("15 2024"), "۱۵ ۲۰۲۴");
    }

    #[test]
    fn languages_are_named_in_themselves() {
        for (tag, name) in [
            ("de", "Deutsch"),
            ("es", "Español"),
            ("ru", "Русский"),
            ("uk", "Українська"),
            ("ar", "العربية"),
            ("fa", "فارسی"),
            ("fr-CA", "Français"),
        ] {
            assert_eq!(own_name(tag).as_deref(), Some(name));
        }
        assert!(is_rtl("fa") && !is_rtl("ru"));
    }
}

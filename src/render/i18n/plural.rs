//! Plural forms by the CLDR rules of each language the theme ships, for whole numbers
//! (what the interface counts): which form a count takes, and which forms a language has.

/// A CLDR plural category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// Every category, in CLDR's order.
pub(crate) const ALL: [Category; 6] = [
    Category::Zero,
    Category::One,
    Category::Two,
    Category::Few,
    Category::Many,
    Category::Other,
];

impl Category {
    /// Its CLDR name, as a translation table writes it.
    pub fn name(self) -> &'static str {
        match self {
            Category::Zero => "zero",
            Category::One => "one",
            Category::Two => "two",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }

    /// The category named `name`.
    pub fn named(name: &str) -> Option<Category> {
        ALL.into_iter().find(|c| c.name() == name)
    }

    /// Its place in [`ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The category a count of `n` takes in the language whose primary subtag is `primary`
/// (CLDR 46). A language the theme does not know counts as English does.
pub(crate) fn category(primary: &str, n: i64) -> Category {
    use Category::*;
    let n = n.unsigned_abs();
    let (n10, n100) = (n % 10, n % 100);
    let millions = n != 0 && n.is_multiple_of(1_000_000);
    match primary {
        "zh" | "ja" | "ko" => Other,
        "fr" if n <= 1 => One,
        "fr" | "es" if millions => Many,
        "fa" if n <= 1 => One,
        "ru" | "uk" => match (n10, n100) {
            (1, h) if h != 11 => One,
            (2..=4, h) if !(12..=14).contains(&h) => Few,
            _ => Many,
        },
        "ar" => match (n, n100) {
            (0, _) => Zero,
            (1, _) => One,
            (2, _) => Two,
            (_, 3..=10) => Few,
            (_, 11..=99) => Many,
            _ => Other,
        },
        _ if n == 1 => One,
        _ => Other,
    }
}

/// The categories a language's table may give, and the ones it must: those a count up to
/// a thousand takes. A category only millions take (French and Spanish `many`) may be
/// left out, and `other` is used for it.
pub(crate) fn categories(primary: &str) -> (Vec<Category>, Vec<Category>) {
    let mut needed: Vec<Category> = (0..=1000).map(|n| category(primary, n)).collect();
    needed.sort();
    needed.dedup();
    let mut allowed = needed.clone();
    if matches!(primary, "fr" | "es") {
        allowed.push(Category::Many);
    }
    // `other` is what a count without its own form falls back to (Russian's fractions).
    if !allowed.contains(&Category::Other) {
        allowed.push(Category::Other);
    }
    allowed.sort();
    (allowed, needed)
}

/// Counts that take `c` in the language `primary`, for a translator's comment: "1, 21, 31…".
pub(crate) fn examples(primary: &str, c: Category) -> String {
    let found: Vec<String> = (0..=1000)
        .filter(|&n| category(primary, n) == c)
        .take(6)
        .map(|n| n.to_string())
        .collect();
    match found.len() {
        0 => "no whole number".into(),
        n if n < 6 => found.join(", "),
        _ => format!("{}…", found.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Category::*;

    #[test]
    fn counts_take_the_forms_cldr_gives() {
        let cases: &[(&str, &[(i64, Category)])] = &[
            ("en", &[(0, Other), (1, One), (2, Other), (21, Other)]),
            ("de", &[(1, One), (11, Other)]),
            ("fr", &[(0, One), (1, One), (2, Other), (1_000_000, Many)]),
            ("es", &[(0, Other), (1, One), (2_000_000, Many)]),
            ("zh", &[(1, Other)]),
            ("fa", &[(0, One), (1, One), (2, Other)]),
            (
                "ru",
                &[
                    (1, One),
                    (21, One),
                    (11, Many),
                    (2, Few),
                    (24, Few),
                    (12, Many),
                    (0, Many),
                    (5, Many),
                    (111, Many),
                    (101, One),
                ],
            ),
            ("uk", &[(1, One), (3, Few), (14, Many), (22, Few)]),
            (
                "ar",
                &[
                    (0, Zero),
                    (1, One),
                    (2, Two),
                    (3, Few),
                    (10, Few),
                    (103, Few),
                    (11, Many),
                    (99, Many),
                    (100, Other),
                    (102, Other),
                ],
            ),
        ];
        for (lang, counts) in cases {
            for &(n, c) in *counts {
                assert_eq!(category(lang, n), c, "{lang} {n}");
            }
        }
    }

    #[test]
    fn languages_need_their_forms_for_whole_numbers() {
        assert_eq!(categories("ru").1, vec![One, Few, Many]);
        assert_eq!(categories("ru").0, vec![One, Few, Many, Other]);
        assert_eq!(categories("ar").1, ALL.to_vec());
        assert_eq!(categories("fr").0, vec![One, Many, Other]);
        assert_eq!(categories("fr").1, vec![One, Other]);
        assert_eq!(categories("zh").1, vec![Other]);
        assert_eq!(examples("ru", Few), "2, 3, 4, 22, 23, 24…");
    }
}

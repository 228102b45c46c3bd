//! Language tags (BCP 47, RFC 5646) as sources and `site.toml` write them: checked for
//! their shape and for a primary language ISO 639 knows, with the nearest valid tag when
//! they are wrong. Case does not matter, as in BCP 47.

/// Tags written for a country or a language's name instead of the language's code.
const MISTAKES: [(&str, &str); 9] = [
    ("cn", "zh"),
    ("jp", "ja"),
    ("kr", "ko"),
    ("gr", "el"),
    ("cz", "cs"),
    ("dk", "da"),
    ("se", "sv"),
    ("ua", "uk"),
    ("us", "en-US"),
];

/// The primary language subtag of a language tag, lowercase: `zh` for `zh-Hans-CN`.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The English name of a language tag's language (`zh-Hans` → `Chinese`), if known.
pub(crate) fn english_name(tag: &str) -> Option<&'static str> {
    let p = primary(tag);
    isolang::Language::from_639_1(&p)
        .or_else(|| isolang::Language::from_639_3(&p))
        .map(|l| l.to_name())
}

/// Whether `tag` is a well-formed language tag with a known primary language; if not,
/// the nearest valid tag, when one is near.
pub fn check(tag: &str) -> Result<(), Option<String>> {
    if tag.contains('_') {
        let fixed = tag.replace('_', "-");
        return Err(check(&fixed).is_ok().then_some(fixed));
    }
    let lower = tag.to_ascii_lowercase();
    let mut parts = lower.split('-');
    let primary = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let known = |p: &str| match p.len() {
        2 => isolang::Language::from_639_1(p).is_some(),
        3 => isolang::Language::from_639_3(p).is_some(),
        _ => false,
    };
    let shape_ok = rest_is_well_formed(&rest);
    if known(primary) && shape_ok {
        return Ok(());
    }
    if primary == "x" && !rest.is_empty() && rest.iter().all(|s| (1..=8).contains(&s.len())) {
        return Ok(());
    }
    // A country code or a language's name where its code belongs.
    let suffix = if rest.is_empty() || !shape_ok {
        String::new()
    } else {
        format!("-{}", rest.join("-"))
    };
    if let Some((_, code)) = MISTAKES.iter().find(|(wrong, _)| *wrong == primary)
        && (!known(primary) || shape_ok)
    {
        return Err(Some(format!("{code}{suffix}")));
    }
    let mut name = primary.chars();
    let titled: String = name
        .next()
        .map(|c| c.to_uppercase().chain(name).collect())
        .unwrap_or_default();
    if let Some(code) = isolang::Language::from_name(&titled).and_then(|l| l.to_639_1()) {
        return Err(Some(format!("{code}{suffix}")));
    }
    if known(primary) {
        return Err(Some(primary.to_string()));
    }
    let codes = isolang::languages().filter_map(|l| l.to_639_1());
    Err(crate::base::diagnostics::nearest(primary, codes).map(|c| format!("{c}{suffix}")))
}

/// Whether the subtags after the primary language are, in order: extended languages (3
/// letters), a script (4 letters), a region (2 letters or 3 digits), variants (5–8
/// letters or digits, or a digit and 3 more), extensions (a letter other than `x`, then
/// subtags of 2–8) and private use (`x`, then subtags of 1–8).
fn rest_is_well_formed(rest: &[&str]) -> bool {
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    let digit = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let alnum = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
    // 0 extlang, 1 script, 2 region, 3 variants, 4 extensions.
    let mut stage = 0;
    let mut i = 0;
    while i < rest.len() {
        let s = rest[i];
        let len = s.len();
        if len == 1 {
            let private = s == "x";
            let tail = &rest[i + 1..];
            let end = if private {
                tail.len()
            } else {
                tail.iter().position(|t| t.len() == 1).unwrap_or(tail.len())
            };
            let (min, max) = if private { (1, 8) } else { (2, 8) };
            if end == 0
                || !tail[..end]
                    .iter()
                    .all(|t| (min..=max).contains(&t.len()) && alnum(t))
            {
                return false;
            }
            stage = 4;
            i += 1 + end;
            continue;
        }
        stage = match () {
            _ if stage == 0 && len == 3 && alpha(s) => 0,
            _ if stage <= 1 && len == 4 && alpha(s) => 2,
            _ if stage <= 2 && ((len == 2 && alpha(s)) || (len == 3 && digit(s))) => 3,
            _ if stage <= 3
                && alnum(s)
                && ((5..=8).contains(&len) || (len == 4 && s.as_bytes()[0].is_ascii_digit())) =>
            {
                3
            }
            _ => return false,
        };
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_checked_and_the_nearest_offered() {
        for ok in [
            "en",
            "zh",
            "zh-CN",
            "zh-Hans-CN",
            "fr-FR",
            "es-419",
            "yue",
            "de-CH-1996",
            "en-US-x-twain",
            "x-klingon",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        assert_eq!(check("cn"), Err(Some("zh".into())));
        assert_eq!(check("zh_CN"), Err(Some("zh-CN".into())));
        assert_eq!(check("french"), Err(Some("fr".into())));
        assert_eq!(check("jp"), Err(Some("ja".into())));
        assert_eq!(check("en-"), Err(Some("en".into())));
        assert!(check("qq").is_err());
    }
}

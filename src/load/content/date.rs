//! Partial dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A date known to the year, month or day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// The months' names in English.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking month and day ranges.
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let bad = || format!("invalid date `{s}`: expected YYYY-MM-DD, YYYY-MM or YYYY");
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, String> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad());
        }
        let year = num(parts[0], 4)? as u16;
        let month = parts
            .get(1)
            .map(|p| num(p, 2))
            .transpose()?
            .map(|m| m as u8);
        let day = parts
            .get(2)
            .map(|p| num(p, 2))
            .transpose()?
            .map(|d| d as u8);
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(format!(
                "invalid date `{s}`: month {m} is not between 01 and 12"
            ));
        }
        if let (Some(m), Some(d)) = (month, day) {
            let max = days_in_month(year, m);
            if d == 0 || d > max {
                return Err(format!(
                    "invalid date `{s}`: {} {year} has days 01 to {max}",
                    MONTHS[m as usize - 1]
                ));
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// Human form: `24 May 2023`, `May 2023` or `2023`.
    pub(crate) fn human(&self) -> String {
        // Written piece by piece: `format!` costs several times more, and dates are
        // formatted for every box of every map and every list entry.
        let mut s = String::with_capacity(20);
        if let (Some(_), Some(d)) = (self.month, self.day) {
            push_number(&mut s, d.into(), 1);
            s.push(' ');
        }
        if let Some(m) = self.month {
            s.push_str(MONTHS[m as usize - 1]);
            s.push(' ');
        }
        push_number(&mut s, self.year.into(), 1);
        s
    }

    /// RFC 3339 timestamp at midnight UTC, filling an unknown month or day with 01.
    pub(crate) fn rfc3339(&self) -> String {
        let mut s = String::with_capacity(20);
        push_number(&mut s, self.year.into(), 4);
        s.push('-');
        push_number(&mut s, self.month.unwrap_or(1).into(), 2);
        s.push('-');
        push_number(&mut s, self.day.unwrap_or(1).into(), 2);
        s.push_str("T00:00:00Z");
        s
    }
}

/// Now (UTC) as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn utc_timestamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Civil-from-days (proleptic Gregorian), after Howard Hinnant's published algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let t = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    utc_timestamp()[..10].to_string()
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Appends `n` in decimal, padded with zeros to at least `width` digits.
fn push_number(s: &mut String, n: u32, width: usize) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(n);
    for _ in digits.len()..width {
        s.push('0');
    }
    s.push_str(digits);
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(10);
        push_number(&mut s, self.year.into(), 4);
        for part in [self.month, self.day].into_iter().map_while(|p| p) {
            s.push('-');
            push_number(&mut s, part.into(), 2);
        }
        f.write_str(&s)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date as YYYY-MM-DD, YYYY-MM or YYYY")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                PartialDate::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            // TOML bare dates arrive as a one-entry map holding the date's text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PartialDate, A::Error> {
                let (_, text): (String, String) = map
                    .next_entry()?
                    .ok_or_else(|| de::Error::custom("empty date"))?;
                if text.len() != 10 {
                    return Err(de::Error::custom(format!(
                        "invalid date `{text}`: expected a date without a time, YYYY-MM-DD"
                    )));
                }
                PartialDate::parse(&text).map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

const MONTH_STARTS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date as pages write it (`2024-04-15T08:00:00Z`, `2024/04/15`, `2024-04`, `2024`,
/// `15 April 2024`, `April 15, 2024`, `Mon, 15 Apr 2024 08:00:00 GMT`) as `YYYY-MM-DD`,
/// `YYYY-MM` or `YYYY`.
pub(crate) fn normalise_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let numbers: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    let valid = |y: u32, m: u32, d: u32| {
        (1000..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
    };
    let num = |p: &str| p.parse::<u32>().ok();
    // Year first: 2024-04-15, 2024/04/15, 2024-04, 2024.
    let digits: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let year_first = s.len() >= 4 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    if let Some(y) = digits.first().filter(|_| year_first).and_then(|p| num(p)) {
        let m = digits.get(1).and_then(|p| num(p));
        let d = digits.get(2).and_then(|p| num(p));
        return match (m, d) {
            (Some(m), Some(d)) if valid(y, m, d) => Some(format!("{y:04}-{m:02}-{d:02}")),
            (Some(m), _) if valid(y, m, 1) => Some(format!("{y:04}-{m:02}")),
            _ if valid(y, 1, 1) => Some(format!("{y:04}")),
            _ => None,
        };
    }
    // With a month's name: 15 April 2024, April 15, 2024, Mon, 15 Apr 2024.
    let month = numbers.iter().position(|p| {
        let l = p.to_ascii_lowercase();
        l.len() >= 3 && MONTH_STARTS.iter().any(|m| l.starts_with(m))
    })?;
    let m = MONTH_STARTS
        .iter()
        .position(|name| numbers[month].to_ascii_lowercase().starts_with(name))? as u32
        + 1;
    let year = numbers
        .iter()
        .filter_map(|p| num(p).filter(|_| p.len() == 4))
        .next()?;
    let day = numbers.iter().filter(|p| p.len() <= 2).find_map(|p| num(p));
    match day {
        Some(d) if valid(year, m, d) => Some(format!("{year:04}-{m:02}-{d:02}")),
        _ => Some(format!("{year:04}-{m:02}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_pages_write_them() {
        for (raw, want) in [
            ("2024-04-15T08:00:00+08:00", "2024-04-15"),
            ("2024/04/15", "2024-04-15"),
            ("2024-04", "2024-04"),
            ("2024", "2024"),
            ("15 April 2024", "2024-04-15"),
            ("April 15, 2024", "2024-04-15"),
            ("Mon, 15 Apr 2024 08:00:00 GMT", "2024-04-15"),
        ] {
            assert_eq!(normalise_date(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(normalise_date("yesterday"), None);
    }

    #[test]
    fn today_is_a_valid_date() {
        assert!(PartialDate::parse(&today()).is_ok());
        assert_eq!(utc_timestamp().len(), 20);
    }

    #[test]
    fn parses_partial_dates() {
        assert_eq!(PartialDate::parse("2014").unwrap().to_string(), "2014");
        assert_eq!(
            PartialDate::parse("2014-12").unwrap().human(),
            "December 2014"
        );
        assert_eq!(
            PartialDate::parse("2024-02-29").unwrap().human(),
            "29 February 2024"
        );
        assert!(PartialDate::parse("2023-02-29").is_err());
        assert!(PartialDate::parse("2023-13").is_err());
        assert!(PartialDate::parse("23-01-01").is_err());
        assert!(PartialDate::parse("2023/01/01").is_err());
        assert!(PartialDate::parse("2023-1-01").is_err());
    }

    #[test]
    fn orders_partial_before_precise() {
        let a = PartialDate::parse("2023").unwrap();
        let b = PartialDate::parse("2023-01").unwrap();
        let c = PartialDate::parse("2023-01-05").unwrap();
        assert!(a < b && b < c);
    }

    #[test]
    fn toml_bare_and_string_dates() {
        #[derive(Deserialize)]
        struct T {
            date: PartialDate,
        }
        let t: T = toml::from_str("date = 2023-05-24").unwrap();
        assert_eq!(t.date.to_string(), "2023-05-24");
        let t: T = toml::from_str("date = \"2023-05\"").unwrap();
        assert_eq!(t.date.to_string(), "2023-05");
        assert!(toml::from_str::<T>("date = \"2023-05-32\"").is_err());
    }

    #[test]
    fn yaml_dates_quoted_or_not() {
        #[derive(Deserialize)]
        struct T {
            date: PartialDate,
        }
        let t: T = serde_norway::from_str("date: 2023-05-24").unwrap();
        assert_eq!(t.date.to_string(), "2023-05-24");
        let t: T = serde_norway::from_str("date: 2014").unwrap();
        assert_eq!(t.date.to_string(), "2014");
        let t: T = serde_norway::from_str("date: \"2014-12\"").unwrap();
        assert_eq!(t.date.human(), "December 2014");
        assert!(serde_norway::from_str::<T>("date: 2014-13").is_err());
    }
}

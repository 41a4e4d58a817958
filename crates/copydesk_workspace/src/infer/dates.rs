//! Recognising how a corpus writes its dates.
//!
//! Static-site generators accept many spellings of a date; a corpus uses a
//! few. Each [`DateLayout`] is one spelling, with the pattern the learned
//! schema gives a date key and, for the three the date rules read, its name
//! in `[fields] date-formats`. Only real calendar dates count: `2024-13-45`
//! is not a date, so a key holding it is not learned as one.

use jiff::civil::Date;

/// One way of writing a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateLayout {
    /// RFC 3339 with seconds and a zone: `2024-01-05T10:00:00Z`,
    /// `2024-01-05T10:00:00.5+01:00`.
    Rfc3339,
    /// A calendar day: `2024-01-05`.
    Date,
    /// Jekyll's `2024-01-05 10:00:00 +0100`, also without seconds or
    /// offset, as Jekyll allows (`2024-01-05 10:00`).
    Jekyll,
    /// A date and time without a zone (Hugo, TOML local datetimes):
    /// `2024-01-05T10:00:00`.
    LocalDateTime,
    /// Another date and time with a zone: `2024-01-05 10:00 +01:00`,
    /// `2024-01-05T10:00Z`.
    OtherDateTime,
    /// A month name first, as Astro's blog template writes
    /// (`Jul 08 2022`, `July 8, 2022`).
    MonthDayYear,
    /// A keyword Eleventy replaces with a date when it builds the site
    /// (`Last Modified`, `Created`, `git Last Modified`, `git Created`):
    /// the date rules skip it.
    GeneratorKeyword,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl DateLayout {
    /// Every layout, in the order reports list them.
    pub const ALL: [DateLayout; 7] = [
        DateLayout::Rfc3339,
        DateLayout::Date,
        DateLayout::Jekyll,
        DateLayout::LocalDateTime,
        DateLayout::OtherDateTime,
        DateLayout::MonthDayYear,
        DateLayout::GeneratorKeyword,
    ];

    /// How reports name it.
    pub fn describe(self) -> &'static str {
        match self {
            DateLayout::Rfc3339 => "RFC 3339 (2024-01-05T10:00:00Z)",
            DateLayout::Date => "a day (2024-01-05)",
            DateLayout::Jekyll => "Jekyll's (2024-01-05 10:00:00 +0100)",
            DateLayout::LocalDateTime => "a date and time without a zone (2024-01-05T10:00:00)",
            DateLayout::OtherDateTime => "a date and time with a zone (2024-01-05 10:00 +01:00)",
            DateLayout::MonthDayYear => "month first (Jul 08 2022)",
            DateLayout::GeneratorKeyword => "as Eleventy's keywords (Last Modified, Created)",
        }
    }

    /// Whether the date rules can read a field written this way: in one of
    /// the `date-formats`, or a keyword they skip.
    pub fn rules_read(self) -> bool {
        self.fields_format().is_some() || self == DateLayout::GeneratorKeyword
    }

    /// Its name in `[fields] date-formats`, for the layouts the date rules
    /// read.
    pub fn fields_format(self) -> Option<&'static str> {
        match self {
            DateLayout::Rfc3339 => Some("rfc3339"),
            DateLayout::Date => Some("date"),
            DateLayout::Jekyll => Some("jekyll"),
            _ => None,
        }
    }

    /// The regular expression (unanchored) a value in this layout matches.
    pub fn pattern(self) -> &'static str {
        match self {
            DateLayout::Rfc3339 => {
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"
            }
            DateLayout::Date => r"\d{4}-\d{2}-\d{2}",
            DateLayout::Jekyll => r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?( [+-]\d{4})?",
            DateLayout::LocalDateTime => r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?",
            DateLayout::OtherDateTime => {
                r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)? ?([Zz]|[+-]\d{2}:?\d{2})"
            }
            DateLayout::MonthDayYear => {
                r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}"
            }
            DateLayout::GeneratorKeyword => r"(git )?(Last Modified|Created)",
        }
    }
}

/// The anchored pattern matching any of `layouts`.
pub fn pattern(layouts: &[DateLayout]) -> String {
    let alternatives: Vec<&str> = layouts.iter().map(|l| l.pattern()).collect();
    match alternatives[..] {
        [one] => format!("^{one}$"),
        _ => format!("^({})$", alternatives.join("|")),
    }
}

/// The layout `s` is written in, when it is a real date in one.
pub fn classify(s: &str) -> Option<DateLayout> {
    if matches!(
        s,
        "Last Modified" | "Created" | "git Last Modified" | "git Created"
    ) {
        return Some(DateLayout::GeneratorKeyword);
    }
    if let Some(rest) = iso_day(s) {
        return classify_time(rest);
    }
    month_first(s).then_some(DateLayout::MonthDayYear)
}

/// The text after a leading real `YYYY-MM-DD`.
fn iso_day(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // `get`, not slicing: a multi-byte character may straddle a bound.
    let year = digits(s.get(0..4)?)?;
    let month = digits(s.get(5..7)?)?;
    let day = digits(s.get(8..10)?)?;
    real_day(year, month, day)?;
    s.get(10..)
}

fn digits(s: &str) -> Option<i32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn real_day(year: i32, month: i32, day: i32) -> Option<()> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
    .map(|_| ())
}

/// What follows the day: nothing, or a time and maybe a zone.
fn classify_time(rest: &str) -> Option<DateLayout> {
    if rest.is_empty() {
        return Some(DateLayout::Date);
    }
    let sep = rest.as_bytes()[0];
    if !matches!(sep, b'T' | b't' | b' ') {
        return None;
    }
    let (seconds, fraction, zone) = clock(rest.get(1..)?)?;
    let (zone, spaced) = match zone.strip_prefix(' ') {
        Some(z) => (z, true),
        None => (zone, false),
    };
    let jekyll = sep == b' ' && !fraction;
    match zone_kind(zone)? {
        Zone::None if spaced => None,
        Zone::None if jekyll => Some(DateLayout::Jekyll),
        Zone::None => Some(DateLayout::LocalDateTime),
        Zone::Colon | Zone::Z if sep == b'T' && seconds && !spaced && zone != "z" => {
            Some(DateLayout::Rfc3339)
        }
        Zone::Compact if jekyll && spaced => Some(DateLayout::Jekyll),
        _ => Some(DateLayout::OtherDateTime),
    }
}

/// Reads `HH:MM[:SS[.frac]]` off the front of `s`: whether it had seconds,
/// a fraction, and what follows.
fn clock(s: &str) -> Option<(bool, bool, &str)> {
    let b = s.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let hour = digits(s.get(0..2)?)?;
    let minute = digits(s.get(3..5)?)?;
    if hour > 23 || minute > 59 {
        return None;
    }
    let mut i = 5;
    let mut seconds = false;
    let mut fraction = false;
    if b.get(i) == Some(&b':') {
        let second = digits(s.get(i + 1..i + 3)?)?;
        if second > 60 {
            return None;
        }
        seconds = true;
        i += 3;
        if b.get(i) == Some(&b'.') {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            fraction = true;
            i += 1 + n;
        }
    }
    Some((seconds, fraction, s.get(i..)?))
}

enum Zone {
    None,
    Z,
    /// `+01:00`
    Colon,
    /// `+0100`
    Compact,
}

fn zone_kind(zone: &str) -> Option<Zone> {
    let b = zone.as_bytes();
    match b {
        [] => Some(Zone::None),
        [b'Z' | b'z'] => Some(Zone::Z),
        [b'+' | b'-', h1, h2, b':', m1, m2]
            if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) =>
        {
            Some(Zone::Colon)
        }
        [b'+' | b'-', rest @ ..] if rest.len() == 4 && rest.iter().all(u8::is_ascii_digit) => {
            Some(Zone::Compact)
        }
        _ => None,
    }
}

/// `Jul 08 2022`, `July 8, 2022`, `Sept. 3 2021`: a real date.
fn month_first(s: &str) -> bool {
    let mut words = s.split(' ');
    let (Some(month), Some(day), Some(year), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return false;
    };
    let month = month.trim_end_matches('.').to_ascii_lowercase();
    let Some(m) = MONTHS
        .iter()
        .position(|name| month.len() >= 3 && month.starts_with(name))
    else {
        return false;
    };
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if !full[m].starts_with(&month) && month != "sept" {
        return false;
    }
    let day = day.trim_end_matches(',');
    let (Some(day), Some(year)) = (
        digits(day).filter(|_| day.len() <= 2),
        digits(year).filter(|_| year.len() == 4),
    ) else {
        return false;
    };
    let Ok(month) = i32::try_from(m + 1) else {
        return false;
    };
    real_day(year, month, day).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_recognised() {
        use DateLayout::*;
        for (s, want) in [
            ("2024-01-05T10:00:00Z", Some(Rfc3339)),
            ("2024-01-05T10:00:00.123+01:00", Some(Rfc3339)),
            ("2024-01-05", Some(Date)),
            ("2024-01-05 10:00:00 +0100", Some(Jekyll)),
            ("2024-01-05 10:00:00 -0500", Some(Jekyll)),
            ("2024-01-05T10:00:00", Some(LocalDateTime)),
            ("2024-01-05 10:00", Some(Jekyll)),
            ("2024-01-05 10:00 +0100", Some(Jekyll)),
            ("2024-01-05 10:00:00", Some(Jekyll)),
            ("2024-01-05 10:00:00.5", Some(LocalDateTime)),
            ("2024-01-05 10:00 +01:00", Some(OtherDateTime)),
            ("2024-01-05T10:00Z", Some(OtherDateTime)),
            ("2024-01-05 10:00:00Z", Some(OtherDateTime)),
            ("2024-01-05t10:00:00z", Some(OtherDateTime)),
            ("Jul 08 2022", Some(MonthDayYear)),
            ("July 8, 2022", Some(MonthDayYear)),
            ("Sept. 3 2021", Some(MonthDayYear)),
            ("git Last Modified", Some(GeneratorKeyword)),
            ("Created", Some(GeneratorKeyword)),
            ("Modified", None),
            ("Feb 30 2022", None),
            ("2024-02-30", None),
            ("2024-13-01", None),
            ("2024-01-05 25:00", None),
            ("2024-01-05 10:00 +0100 extra", None),
            ("2024-01-05 ", None),
            ("Julius 8 2022", None),
            ("Hello world 2022", None),
            ("May the force", None),
            ("20240105", None),
            ("", None),
            ("1.0.0", None),
        ] {
            assert_eq!(classify(s), want, "{s:?}");
        }
    }

    #[test]
    fn never_panics_on_any_text() {
        // Multi-byte characters at every offset the parser slices at.
        let pieces = [
            "2024-01-05",
            "T10:00:00",
            " +0100",
            "é",
            "€",
            "😀",
            "-",
            ":",
            ".",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    let _ = classify(&s);
                    for cut in 0..s.len() {
                        if let Some(prefix) = s.get(..cut) {
                            let _ = classify(prefix);
                        }
                    }
                }
            }
        }
        for s in [
            "2024-01-0é",
            "2024-01-05T1é:00",
            "2024-01-05 10:0€",
            "202é-01-05",
        ] {
            assert_eq!(classify(s), None, "{s}");
        }
    }

    #[test]
    fn every_pattern_matches_its_own_examples() {
        // The patterns are checked by the schema validator; this keeps
        // them and `classify` telling the same story on the examples.
        let examples = [
            ("2024-01-05T10:00:00Z", DateLayout::Rfc3339),
            ("2024-01-05", DateLayout::Date),
            ("2024-01-05 10:00:00 +0100", DateLayout::Jekyll),
            ("2024-01-05 10:00", DateLayout::Jekyll),
            ("2024-01-05T10:00", DateLayout::LocalDateTime),
            ("2024-01-05 10:00 +01:00", DateLayout::OtherDateTime),
            ("Jul 08 2022", DateLayout::MonthDayYear),
            ("git Created", DateLayout::GeneratorKeyword),
        ];
        for (value, layout) in examples {
            let schema = serde_json::json!({ "type": "string", "pattern": pattern(&[layout]) });
            let v = jsonschema_like(&schema, value);
            assert!(v, "{value} against {}", pattern(&[layout]));
        }
        let both = pattern(&[DateLayout::Date, DateLayout::Jekyll]);
        assert_eq!(
            both,
            r"^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?( [+-]\d{4})?)$"
        );
    }

    /// Whether `value` is valid against `schema`, through the contract
    /// compiler articles are checked with.
    fn jsonschema_like(schema: &serde_json::Value, value: &str) -> bool {
        let contract = copydesk_schema::Contract::from_schema(serde_json::json!({
            "type": "object",
            "properties": { "d": schema },
        }))
        .expect("compiles");
        let text = format!("d: '{value}'\n");
        let root = copydesk_schema::parse(&text, 0..text.len(), &Default::default())
            .root
            .expect("root");
        contract.validate(&root, 0..0).is_empty()
    }
}

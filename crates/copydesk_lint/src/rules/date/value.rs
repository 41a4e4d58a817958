//! Dates as the configured formats (`[fields] date-formats`) write them,
//! and how two of them, or one and "now", compare.
//!
//! An RFC 3339 timestamp is an instant. A Jekyll date without an offset,
//! or a bare day, is a time on the newsroom's clock, which copydesk does
//! not know: such a value is compared as an interval wide enough for any
//! time zone, so that a finding is only made when it holds everywhere.

use copydesk_schema::timestamp::{self, TimestampProblem};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use jiff::{SignedDuration, Timestamp};

use crate::config::DateFormat;

/// A date as written, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateValue {
    /// The date and time of day as written (midnight for a bare day).
    pub civil: DateTime,
    /// Whether a UTC offset (or `Z`) is written.
    pub has_offset: bool,
    /// Whether a time of day is written.
    pub has_time: bool,
    /// The instant: the civil time at its offset, or taken as UTC.
    pub instant: Timestamp,
}

/// What is wrong with a date string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateProblem {
    /// In none of the accepted formats.
    Malformed,
    /// In a format's shape, but no such date or time exists.
    Impossible {
        /// What is out of range, e.g. "February 2026 has 28 days".
        reason: String,
    },
    /// An RFC 3339 timestamp not in the contract's form (not UTC, no
    /// seconds, a lowercase `t`): a real instant all the same.
    NotCanonical {
        /// Why, e.g. "is at offset +02:00, not UTC".
        reason: String,
        /// The same instant in the contract's form.
        rewrite: String,
        /// The value it stands for.
        value: DateValue,
    },
}

/// Widest distance between a local clock and UTC (UTC+14 to UTC-12,
/// rounded up on both sides): how uncertain a date without an offset is.
const ZONE_SPREAD: SignedDuration = SignedDuration::from_hours(14);

impl DateValue {
    fn at_offset(civil: DateTime, offset: Option<Offset>, has_time: bool) -> Option<Self> {
        let instant = offset.unwrap_or(Offset::UTC).to_timestamp(civil).ok()?;
        Some(DateValue {
            civil,
            has_offset: offset.is_some(),
            has_time,
            instant,
        })
    }

    /// The earliest instant the value can stand for, whatever the zone.
    pub(crate) fn earliest(&self) -> Timestamp {
        if self.has_offset {
            return self.instant;
        }
        self.instant
            .checked_sub(ZONE_SPREAD)
            .unwrap_or(Timestamp::MIN)
    }

    /// The latest instant the value can stand for, whatever the zone (the
    /// end of the day for a bare day).
    pub(crate) fn latest(&self) -> Timestamp {
        if self.has_offset {
            return self.instant;
        }
        let day = if self.has_time {
            SignedDuration::ZERO
        } else {
            SignedDuration::from_hours(24)
        };
        self.instant
            .checked_add(ZONE_SPREAD + day)
            .unwrap_or(Timestamp::MAX)
    }
}

/// Whether `a` is certainly earlier than `b` by more than `slack`. Two
/// values without offsets are on the same (unknown) clock, so they compare
/// as written, by day when either is a bare day; a value with an offset
/// and one without compare as intervals.
pub(crate) fn before(a: &DateValue, b: &DateValue, slack: SignedDuration) -> bool {
    match (a.has_offset, b.has_offset) {
        (true, true) => a.instant.checked_add(slack).is_ok_and(|a| a < b.instant),
        (false, false) if !(a.has_time && b.has_time) => a.civil.date() < b.civil.date(),
        (false, false) => a.civil.checked_add(slack).is_ok_and(|a| a < b.civil),
        _ => a
            .latest()
            .checked_add(slack)
            .is_ok_and(|a| a < b.earliest()),
    }
}

/// Parses `text` in the first of `formats` that accepts it. When none
/// does, the problem of the format that came closest: an RFC 3339
/// timestamp that is not canonical, then an impossible date, then none.
pub(crate) fn parse(text: &str, formats: &[DateFormat]) -> Result<DateValue, DateProblem> {
    let mut best = DateProblem::Malformed;
    for format in formats {
        let result = match format {
            DateFormat::Rfc3339 => rfc3339(text),
            DateFormat::Date => shaped(text, |s| s.time.is_none()),
            DateFormat::Jekyll => shaped(text, |s| s.time.is_none() || s.separator == b' '),
        };
        match result {
            Ok(value) => return Ok(value),
            Err(problem) => {
                if rank(&problem) > rank(&best) {
                    best = problem;
                }
            }
        }
    }
    Err(best)
}

/// Parses a TOML datetime's text (the TOML parser accepted it): an
/// offset or local date-time (`T`, `t` or a space between), or a local
/// date. A local time alone is no date.
pub(crate) fn parse_toml(text: &str) -> Result<DateValue, DateProblem> {
    shaped(text, |s| {
        s.offset != Some(OffsetShape::Compact) && !s.space_before_offset
    })
}

/// The instant a date string stands for, in the configured formats or as
/// a TOML datetime writes it: what cross-file rules compare. Whether it
/// is written as the contract wants is the date rules' business.
pub(crate) fn instant(settings: &crate::settings::Settings, text: &str) -> Option<Timestamp> {
    match parse(text, settings.fields().date_formats()) {
        Ok(v) | Err(DateProblem::NotCanonical { value: v, .. }) => Some(v.instant),
        Err(_) => parse_toml(text).ok().map(|v| v.instant),
    }
}

/// Whether `text` is a keyword a site generator replaces with a date when
/// it builds the site, so not a date to check: Eleventy's `Last Modified`,
/// `Created`, `git Last Modified` and `git Created`.
pub(crate) fn is_generator_keyword(text: &str) -> bool {
    [
        "Last Modified",
        "Created",
        "git Last Modified",
        "git Created",
    ]
    .iter()
    .any(|k| text.trim().eq_ignore_ascii_case(k))
}

fn rank(problem: &DateProblem) -> u8 {
    match problem {
        DateProblem::Malformed => 0,
        DateProblem::Impossible { .. } => 1,
        DateProblem::NotCanonical { .. } => 2,
    }
}

/// The contract's own strict reading, with the instant a non-canonical
/// timestamp stands for.
fn rfc3339(text: &str) -> Result<DateValue, DateProblem> {
    let utc = |ts: Timestamp| DateValue {
        civil: ts.to_zoned(jiff::tz::TimeZone::UTC).datetime(),
        has_offset: true,
        has_time: true,
        instant: ts,
    };
    match timestamp::parse(text) {
        Ok(ts) => Ok(utc(ts)),
        Err(TimestampProblem::Malformed) => Err(DateProblem::Malformed),
        Err(TimestampProblem::Impossible { reason }) => Err(DateProblem::Impossible { reason }),
        Err(TimestampProblem::NotCanonical { reason, rewrite }) => {
            match timestamp::parse(&rewrite) {
                Ok(ts) => Err(DateProblem::NotCanonical {
                    reason,
                    rewrite,
                    value: utc(ts),
                }),
                Err(_) => Err(DateProblem::Malformed),
            }
        }
    }
}

/// How an offset is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OffsetShape {
    /// `Z` or `z`.
    Z,
    /// `+01:00`.
    Colon,
    /// `+0100`.
    Compact,
}

/// The parts of `YYYY-MM-DD[( |T|t)HH:MM[:SS[.f]][ ?offset]]`.
struct Shape {
    date: (i16, i8, i8),
    separator: u8,
    time: Option<(i8, i8, i8, i32)>,
    offset: Option<OffsetShape>,
    offset_seconds: i32,
    space_before_offset: bool,
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i32> {
    let d = b.get(at..at + n)?;
    if !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(d.iter().fold(0, |acc, c| acc * 10 + i32::from(c - b'0')))
}

fn lex(text: &str) -> Option<Shape> {
    let b = text.as_bytes();
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let date = (
        i16::try_from(digits(b, 0, 4)?).ok()?,
        i8::try_from(digits(b, 5, 2)?).ok()?,
        i8::try_from(digits(b, 8, 2)?).ok()?,
    );
    let mut shape = Shape {
        date,
        separator: 0,
        time: None,
        offset: None,
        offset_seconds: 0,
        space_before_offset: false,
    };
    if b.len() == 10 {
        return Some(shape);
    }
    shape.separator = *b.get(10).filter(|c| matches!(c, b' ' | b'T' | b't'))?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let (hour, minute) = (digits(b, 11, 2)?, digits(b, 14, 2)?);
    let mut i = 16;
    let (mut second, mut nanos) = (0, 0);
    if b.get(i) == Some(&b':') {
        second = digits(b, i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            nanos = format!("{:0<9}", &text[i + 1..i + 1 + n]).parse().ok()?;
            i += 1 + n;
        }
    }
    shape.time = Some((
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        nanos,
    ));
    if b.get(i) == Some(&b' ') {
        shape.space_before_offset = true;
        i += 1;
    }
    let rest = &b[i..];
    let (offset, seconds) = match rest {
        [] if !shape.space_before_offset => return Some(shape),
        [b'Z' | b'z'] => (OffsetShape::Z, 0),
        [sign @ (b'+' | b'-'), ..] => {
            let (form, h, m) = match rest.len() {
                6 if rest[3] == b':' => {
                    (OffsetShape::Colon, digits(rest, 1, 2)?, digits(rest, 4, 2)?)
                }
                5 => (
                    OffsetShape::Compact,
                    digits(rest, 1, 2)?,
                    digits(rest, 3, 2)?,
                ),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let sign = if *sign == b'-' { -1 } else { 1 };
            (form, sign * (h * 3600 + m * 60))
        }
        _ => return None,
    };
    shape.offset = Some(offset);
    shape.offset_seconds = seconds;
    Some(shape)
}

/// Parses a date in the generic shape that `accepts` allows.
fn shaped(text: &str, accepts: impl Fn(&Shape) -> bool) -> Result<DateValue, DateProblem> {
    let shape = lex(text)
        .filter(|s| accepts(s))
        .ok_or(DateProblem::Malformed)?;
    let (year, month, day) = shape.date;
    if !(1..=12).contains(&month) {
        return Err(DateProblem::Impossible {
            reason: format!("there is no month {month}"),
        });
    }
    let date = Date::new(year, month, day).map_err(|_| {
        let days = Date::new(year, month, 1).map_or(31, |d| d.days_in_month());
        DateProblem::Impossible {
            reason: format!(
                "{} {year} has {days} days",
                copydesk_schema::timestamp::month_name(month)
            ),
        }
    })?;
    let (h, m, s, nanos) = shape.time.unwrap_or((0, 0, 0, 0));
    let time = Time::new(h, m, s, nanos).map_err(|_| DateProblem::Impossible {
        reason: format!("{h:02}:{m:02}:{s:02} is not a time of day"),
    })?;
    let offset = match shape.offset {
        None => None,
        Some(_) => {
            Some(Offset::from_seconds(shape.offset_seconds).map_err(|_| DateProblem::Malformed)?)
        }
    };
    DateValue::at_offset(
        DateTime::from_parts(date, time),
        offset,
        shape.time.is_some(),
    )
    .ok_or(DateProblem::Malformed)
}

/// How messages describe what the formats accept, e.g. "an RFC 3339
/// timestamp" or "a date like `2024-01-05 10:00:00 +0100`".
pub(crate) fn expected(formats: &[DateFormat]) -> String {
    let names: Vec<&str> = formats
        .iter()
        .map(|f| match f {
            DateFormat::Rfc3339 => "an RFC 3339 timestamp",
            DateFormat::Date => "a day like `2024-01-05`",
            DateFormat::Jekyll => "a date like `2024-01-05 10:00:00 +0100`",
        })
        .collect();
    match names.as_slice() {
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
        [] => "a date".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, formats: &[DateFormat]) -> DateValue {
        parse(text, formats).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn each_format_reads_its_own_shape() {
        use DateFormat::*;
        let j = ok("2024-01-05 10:00:00 +0100", &[Jekyll]);
        assert_eq!(j.instant.to_string(), "2024-01-05T09:00:00Z");
        assert!(j.has_offset && j.has_time);
        let j = ok("2024-01-05 10:00", &[Jekyll]);
        assert!(!j.has_offset && j.has_time);
        assert_eq!(
            ok("2024-01-05 10:00:00.5 -05:00", &[Jekyll])
                .instant
                .to_string(),
            "2024-01-05T15:00:00.5Z"
        );
        assert!(!ok("2024-01-05", &[Jekyll]).has_time);
        assert!(!ok("2024-01-05", &[Date]).has_time);
        assert_eq!(
            parse("2024-01-05 10:00:00 +0100", &[Date]),
            Err(DateProblem::Malformed)
        );
        assert_eq!(
            parse("2024-01-05T10:00:00Z", &[Jekyll]),
            Err(DateProblem::Malformed)
        );
        assert_eq!(
            parse("2024-01-05 10:00:00 +0100", &[Rfc3339]),
            Err(DateProblem::Malformed)
        );
        assert!(matches!(
            parse("2024-02-30", &[Date]),
            Err(DateProblem::Impossible { .. })
        ));
        assert!(matches!(
            parse("2024-01-05 25:00", &[Jekyll]),
            Err(DateProblem::Impossible { .. })
        ));
        assert!(matches!(
            parse("2024-01-05T10:00:00+01:00", &[Rfc3339, Jekyll]),
            Err(DateProblem::NotCanonical { .. })
        ));
        assert_eq!(
            parse("5 January 2024", &[Rfc3339, Date, Jekyll]),
            Err(DateProblem::Malformed)
        );
        assert!(parse("2024-01-05 10:00:00+0100x", &[Jekyll]).is_err());
    }

    #[test]
    fn toml_datetimes_are_read_in_every_form() {
        for text in [
            "2024-01-05T10:00:00Z",
            "2024-01-05 10:00:00+01:00",
            "2024-01-05T10:00:00",
            "2024-01-05",
        ] {
            assert!(parse_toml(text).is_ok(), "{text}");
        }
        assert!(parse_toml("10:00:00").is_err());
    }

    #[test]
    fn comparisons_allow_for_unknown_zones() {
        use DateFormat::*;
        let zero = SignedDuration::ZERO;
        let v = |t: &str| ok(t, &[Rfc3339, Date, Jekyll]);
        assert!(before(&v("2024-01-04"), &v("2024-01-05"), zero));
        assert!(!before(&v("2024-01-05"), &v("2024-01-05 10:00"), zero));
        assert!(before(&v("2024-01-05 09:00"), &v("2024-01-05 10:00"), zero));
        // Mixed: an hour apart is within any zone's reach, two days is not.
        assert!(!before(
            &v("2024-01-05 09:00"),
            &v("2024-01-05T10:00:00Z"),
            zero
        ));
        assert!(before(&v("2024-01-03"), &v("2024-01-05T10:00:00Z"), zero));
        assert!(before(
            &v("2024-01-05T09:00:00Z"),
            &v("2024-01-05T10:00:00Z"),
            zero
        ));
        assert!(!before(
            &v("2024-01-05T09:00:00Z"),
            &v("2024-01-05T10:00:00Z"),
            SignedDuration::from_hours(1)
        ));
    }

    #[test]
    fn generator_keywords_are_no_dates_to_check() {
        assert!(is_generator_keyword("git Last Modified"));
        assert!(is_generator_keyword("Created"));
        assert!(!is_generator_keyword("yesterday"));
    }

    #[test]
    fn expected_names_the_formats() {
        assert_eq!(expected(&[DateFormat::Rfc3339]), "an RFC 3339 timestamp");
        assert_eq!(
            expected(&[DateFormat::Rfc3339, DateFormat::Date, DateFormat::Jekyll]),
            "an RFC 3339 timestamp, a day like `2024-01-05` or a date like `2024-01-05 10:00:00 +0100`"
        );
    }
}

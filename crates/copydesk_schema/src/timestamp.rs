//! Strict reading of the contract's timestamps.
//!
//! The contract wants RFC 3339 in UTC with seconds, e.g.
//! `2026-01-31T18:04:41.000Z`. General date parsers are lenient (spaces,
//! missing seconds, bracketed zones), so the grammar is checked here by hand
//! and the calendar by jiff, which tells an impossible date (`2026-02-30`)
//! from a malformed one and gives a UTC rewrite for valid non-UTC input.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use jiff::Timestamp;

/// What is wrong with a timestamp string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimestampProblem {
    /// Not RFC 3339 at all.
    Malformed,
    /// RFC 3339 in shape, but no such date or time exists.
    Impossible {
        /// What is out of range, e.g. "February 2026 has 28 days".
        reason: String,
    },
    /// A real instant, but not written as the contract wants (not UTC, no
    /// seconds, lowercase `t`/`z`).
    NotCanonical {
        /// Why, e.g. "has offset +02:00".
        reason: String,
        /// The same instant in the contract's form.
        rewrite: String,
    },
}

struct Parts<'a> {
    year: i16,
    month: i8,
    day: i8,
    hour: i8,
    minute: i8,
    second: Option<i8>,
    /// The fraction digits after `.`, without the dot.
    fraction: &'a str,
    /// Offset in seconds; `None` for `Z`.
    offset: Option<i32>,
    lowercase: bool,
}

fn num(s: &str, range: std::ops::Range<usize>) -> Option<i32> {
    let d = s.get(range)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    d.parse().ok()
}

fn grammar(s: &str) -> Option<Parts<'_>> {
    let b = s.as_bytes();
    if b.len() < 17 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' {
        return None;
    }
    let lowercase = match b[10] {
        b'T' => false,
        b't' => true,
        _ => return None,
    };
    let year = num(s, 0..4)?;
    let month = num(s, 5..7)?;
    let day = num(s, 8..10)?;
    let hour = num(s, 11..13)?;
    let minute = num(s, 14..16)?;
    let mut i = 16;
    let mut second = None;
    let mut fraction = "";
    if b.get(i) == Some(&b':') {
        second = Some(num(s, i + 1..i + 3)?);
        i += 3;
        if b.get(i) == Some(&b'.') {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            fraction = &s[i + 1..i + 1 + n];
            i += 1 + n;
        }
    }
    let (offset, lowercase) = match b.get(i..)? {
        b"Z" => (None, lowercase),
        b"z" => (None, true),
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let h = num(s, i + 1..i + 3)?;
            let m = num(s, i + 4..i + 6)?;
            if h > 23 || m > 59 {
                return None;
            }
            let secs = (h * 3600 + m * 60) * if *sign == b'-' { -1 } else { 1 };
            (Some(secs), lowercase)
        }
        _ => return None,
    };
    Some(Parts {
        year: i16::try_from(year).ok()?,
        month: i8::try_from(month).ok()?,
        day: i8::try_from(day).ok()?,
        hour: i8::try_from(hour).ok()?,
        minute: i8::try_from(minute).ok()?,
        second: second.and_then(|s| i8::try_from(s).ok()),
        fraction,
        offset,
        lowercase,
    })
}

/// The English name of month `m` (1–12), `?` otherwise.
pub fn month_name(m: i8) -> &'static str {
    const NAMES: [&str; 12] = [
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
    NAMES
        .get(usize::try_from(m - 1).unwrap_or(usize::MAX))
        .copied()
        .unwrap_or("?")
}

/// Parses a contract timestamp: `Ok` only for the canonical form.
pub fn parse(s: &str) -> Result<Timestamp, TimestampProblem> {
    let p = grammar(s).ok_or(TimestampProblem::Malformed)?;
    if !(1..=12).contains(&p.month) {
        return Err(TimestampProblem::Impossible {
            reason: format!("there is no month {}", p.month),
        });
    }
    let date = Date::new(p.year, p.month, p.day).map_err(|_| {
        let days = Date::new(p.year, p.month, 1)
            .map(|d| d.days_in_month())
            .unwrap_or(31);
        TimestampProblem::Impossible {
            reason: format!("{} {} has {} days", month_name(p.month), p.year, days),
        }
    })?;
    let second = p.second.unwrap_or(0);
    // RFC 3339 allows a leap second; the contract's instants never need one.
    let time =
        Time::new(p.hour, p.minute, second, 0).map_err(|_| TimestampProblem::Impossible {
            reason: format!(
                "{:02}:{:02}:{:02} is not a time of day",
                p.hour, p.minute, second
            ),
        })?;
    let nanos: i32 = if p.fraction.is_empty() {
        0
    } else {
        format!("{:0<9}", p.fraction).parse().unwrap_or(0)
    };
    let offset =
        Offset::from_seconds(p.offset.unwrap_or(0)).map_err(|_| TimestampProblem::Malformed)?;
    let dt = DateTime::from_parts(date, time);
    let ts = offset
        .to_timestamp(dt)
        .map_err(|_| TimestampProblem::Malformed)?
        .checked_add(jiff::SignedDuration::from_nanos(i64::from(nanos)))
        .map_err(|_| TimestampProblem::Malformed)?;
    let reason = match (p.offset, p.second, p.lowercase) {
        (Some(o), _, _) => Some(format!("is at offset {}, not UTC", offset_str(o))),
        (None, None, _) => Some("has no seconds".to_owned()),
        (None, Some(_), true) => Some("uses a lowercase `t` or `z`".to_owned()),
        (None, Some(_), false) => None,
    };
    match reason {
        None => Ok(ts),
        Some(reason) => Err(TimestampProblem::NotCanonical {
            reason,
            rewrite: canonical(ts, p.fraction),
        }),
    }
}

fn offset_str(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.abs();
    format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
}

/// Formats an instant in the contract's form, keeping `fraction` digits.
pub fn canonical(ts: Timestamp, fraction: &str) -> String {
    let dt = ts.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if !fraction.is_empty() {
        let nanos = format!("{:09}", dt.subsec_nanosecond());
        out.push('.');
        out.push_str(&nanos[..fraction.len().min(9)]);
    }
    out.push('Z');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_ok() {
        assert!(parse("2026-01-31T18:04:41.000Z").is_ok());
        assert!(parse("2026-01-31T18:04:41Z").is_ok());
    }

    #[test]
    fn problems() {
        assert_eq!(parse("yesterday"), Err(TimestampProblem::Malformed));
        assert_eq!(
            parse("2026-01-31 18:04:41Z"),
            Err(TimestampProblem::Malformed)
        );
        assert!(matches!(
            parse("2026-02-30T10:00:00Z"),
            Err(TimestampProblem::Impossible { .. })
        ));
        assert!(matches!(
            parse("2026-13-01T10:00:00Z"),
            Err(TimestampProblem::Impossible { .. })
        ));
        assert_eq!(
            parse("2026-01-31T20:04:41.5+02:00"),
            Err(TimestampProblem::NotCanonical {
                reason: "is at offset +02:00, not UTC".into(),
                rewrite: "2026-01-31T18:04:41.5Z".into()
            })
        );
        assert_eq!(
            parse("2026-01-31T18:04Z"),
            Err(TimestampProblem::NotCanonical {
                reason: "has no seconds".into(),
                rewrite: "2026-01-31T18:04:00Z".into()
            })
        );
        assert_eq!(
            parse("2026-01-01T01:00:00-02:30"),
            Err(TimestampProblem::NotCanonical {
                reason: "is at offset -02:30, not UTC".into(),
                rewrite: "2026-01-01T03:30:00Z".into()
            })
        );
    }
}

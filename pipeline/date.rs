//! The calendar date every output carries: parsed from the manifest's `date` or taken
//! from `SOURCE_DATE_EPOCH`, and handed to templates, workbooks and the bundle as one type.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A calendar date (proleptic Gregorian, UTC). Serialises as `{year, month, day}`, the shape
/// the templates hand to Typst's `datetime(..)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

impl Date {
    /// A date from its parts, or `None` when the month or day is out of range.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Date::new(year, month, day)
    }

    /// 1 January 1970, the date of Unix time 0 (a placeholder until a date is parsed).
    pub fn epoch() -> Date {
        Date::from_epoch(0)
    }

    /// The calendar date (UTC) of a Unix timestamp, as `SOURCE_DATE_EPOCH` gives it.
    pub fn from_epoch(seconds: i64) -> Date {
        // Howard Hinnant's days-to-civil algorithm.
        let days = seconds.div_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known timestamps map to their calendar dates, leap days included.
    #[test]
    fn epoch_to_date() {
        assert_eq!(Date::from_epoch(0), Date::new(1970, 1, 1).unwrap());
        assert_eq!(
            Date::from_epoch(951_782_400),
            Date::new(2000, 2, 29).unwrap()
        );
        assert_eq!(
            Date::from_epoch(1_741_046_400),
            Date::new(2025, 3, 4).unwrap()
        );
        assert_eq!(Date::from_epoch(-86_400), Date::new(1969, 12, 31).unwrap());
        assert_eq!(
            Date::from_epoch(1_709_164_800),
            Date::new(2024, 2, 29).unwrap()
        );
        assert_eq!(
            Date::from_epoch(1_798_675_200),
            Date::new(2026, 12, 31).unwrap()
        );
    }

    // Only well-formed `YYYY-MM-DD` dates parse, and they print back the same.
    #[test]
    fn parse_and_display() {
        let date = Date::parse("2026-11-27").unwrap();
        assert_eq!(date.to_string(), "2026-11-27");
        for bad in [
            "2026-13-01",
            "2026-00-10",
            "2026-11",
            "2026-11-27-1",
            "x-1-1",
            "2026-1-32",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }
}

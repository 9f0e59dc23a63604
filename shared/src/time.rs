//! Instants and calendar dates as the model stores them.
//!
//! Instants are milliseconds since the Unix epoch (UTC), written as RFC 3339 in JSON. Calendar
//! dates have no time zone. A date of birth may be partial or approximate: elders often know only
//! the year or the season they were born.

use std::fmt;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};
use chrono::{DateTime, Datelike as _, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant, in whole milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time.
    #[must_use]
    pub fn now() -> Self {
        Self(Utc::now().timestamp_millis())
    }

    /// The instant as a chrono date-time (`None` outside chrono's range, about ±262,000 years).
    #[must_use]
    pub fn to_datetime(self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.0)
    }

    /// RFC 3339 in UTC with millisecond precision, e.g. `2026-11-28T12:00:00.000Z`.
    #[must_use]
    pub fn to_rfc3339(self) -> String {
        self.to_datetime().map_or_else(
            || String::from("invalid"),
            |t| t.to_rfc3339_opts(SecondsFormat::Millis, true),
        )
    }

    /// `YYYY-MM-DD HH:MM UTC`, for people.
    #[must_use]
    pub fn to_minute_text(self) -> String {
        self.to_datetime().map_or_else(
            || String::from("invalid"),
            |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
        )
    }

    /// The instant's calendar date in UTC (`None` outside the years a date may have).
    #[must_use]
    pub fn date_utc(self) -> Option<CalendarDate> {
        self.to_datetime()
            .map(|t| t.date_naive())
            .filter(|d| YEARS.contains(&d.year()))
            .map(CalendarDate)
    }

    /// Midnight UTC of the instant's day.
    #[must_use]
    pub fn start_of_day_utc(self) -> Self {
        self.to_datetime()
            .and_then(|t| t.date_naive().and_hms_opt(0, 0, 0))
            .map_or(self, |midnight| Self(midnight.and_utc().timestamp_millis()))
    }

    /// Parses RFC 3339 (any offset); sub-millisecond digits are dropped.
    pub fn parse_rfc3339(text: &str) -> Result<Self, InvalidTime> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| Self(t.timestamp_millis()))
            .map_err(|_| InvalidTime)
    }
}

/// Text that is not a valid date or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid date or time")]
pub struct InvalidTime;

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

impl Reconcile for Timestamp {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.timestamp(self.0)
    }
}

impl Hydrate for Timestamp {
    fn hydrate_timestamp(t: i64) -> Result<Self, HydrateError> {
        Ok(Self(t))
    }
    fn hydrate_int(i: i64) -> Result<Self, HydrateError> {
        Ok(Self(i))
    }
}

/// A calendar date (`YYYY-MM-DD`), e.g. a consent date or a follow-up due date.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate(NaiveDate);

/// The years a recorded date may fall in: older is a typing slip, not an elder.
const YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

impl CalendarDate {
    /// A date, if it exists in the Gregorian calendar (years 1800–2200).
    pub fn new(year: i16, month: u8, day: u8) -> Result<Self, InvalidTime> {
        let year = i32::from(year);
        if !YEARS.contains(&year) {
            return Err(InvalidTime);
        }
        NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
            .map(Self)
            .ok_or(InvalidTime)
    }

    /// Today's date in UTC.
    #[must_use]
    pub fn today_utc() -> Self {
        Self(Utc::now().date_naive())
    }

    /// The year.
    #[must_use]
    pub fn year(self) -> i16 {
        i16::try_from(self.0.year()).unwrap_or(i16::MAX)
    }
    /// The month, 1–12.
    #[must_use]
    pub fn month(self) -> u8 {
        u8::try_from(self.0.month()).unwrap_or(0)
    }
    /// The day of the month, 1–31.
    #[must_use]
    pub fn day(self) -> u8 {
        u8::try_from(self.0.day()).unwrap_or(0)
    }

    /// The Monday of this date's week (ISO weeks start on Monday).
    #[must_use]
    pub fn week_start(self) -> Self {
        let back = i64::from(self.0.weekday().num_days_from_monday());
        Self(self.0 - chrono::Duration::days(back))
    }

    /// This date moved by `days` (negative: earlier); `None` outside the years a date may
    /// fall in.
    #[must_use]
    pub fn add_days(self, days: i64) -> Option<Self> {
        self.0
            .checked_add_signed(chrono::Duration::days(days))
            .filter(|d| YEARS.contains(&d.year()))
            .map(Self)
    }

    /// Days from this date to `later` (negative when `later` is earlier).
    #[must_use]
    pub fn days_until(self, later: Self) -> i64 {
        (later.0 - self.0).num_days()
    }

    /// Parses exactly `YYYY-MM-DD` (chrono alone would also take `2026-1-5`).
    pub fn parse(text: &str) -> Result<Self, InvalidTime> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(InvalidTime);
        }
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| InvalidTime)?;
        if !YEARS.contains(&date.year()) {
            return Err(InvalidTime);
        }
        Ok(Self(date))
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl fmt::Debug for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CalendarDate({self})")
    }
}

impl Serialize for CalendarDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CalendarDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Reconcile for CalendarDate {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.to_string())
    }
}

impl Hydrate for CalendarDate {
    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        Self::parse(s).map_err(|_| HydrateError::unexpected("a YYYY-MM-DD date", s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn calendar_dates_parse_only_the_full_form_of_real_days() {
        assert_eq!(
            CalendarDate::parse("2024-02-29").unwrap(),
            CalendarDate::new(2024, 2, 29).unwrap()
        );
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "2024-02-9",
            "24-02-29",
            "2024/02/29",
            "2024-13-01",
            "1799-12-31",
            "2201-01-01",
            "2024-02-29x",
            "",
            "२०२४-०२-२९",
        ] {
            assert_eq!(CalendarDate::parse(bad), Err(InvalidTime), "{bad}");
        }
        assert_eq!(CalendarDate::new(2100, 2, 29), Err(InvalidTime));
        assert_eq!(
            CalendarDate::parse("2000-02-29").unwrap().to_string(),
            "2000-02-29"
        );
    }

    #[test]
    fn instants_round_trip_through_rfc3339_at_millisecond_precision() {
        let at = Timestamp(1_764_000_000_123);
        assert_eq!(at.to_rfc3339(), "2025-11-24T16:00:00.123Z");
        assert_eq!(Timestamp::parse_rfc3339(&at.to_rfc3339()), Ok(at));
        assert_eq!(
            Timestamp::parse_rfc3339("2025-11-24T11:00:00.123456-05:00"),
            Ok(at)
        );
        assert_eq!(
            Timestamp::parse_rfc3339("2025-11-24 16:00"),
            Err(InvalidTime)
        );
        assert_eq!(at.to_minute_text(), "2025-11-24 16:00 UTC");
        assert_eq!(at.start_of_day_utc(), Timestamp(1_763_942_400_000));
        assert_eq!(Timestamp(i64::MAX).to_rfc3339(), "invalid");
    }
}

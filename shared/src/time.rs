//! Instants and calendar dates as the model stores them.
//!
//! Instants are milliseconds since the Unix epoch (UTC), written as RFC 3339 in JSON. Calendar
//! dates have no time zone. A date of birth may be partial or approximate: elders often know only
//! the year or the season they were born.

use std::fmt;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant, in whole milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time.
    #[must_use]
    pub fn now() -> Self {
        let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        Self(i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX))
    }

    /// RFC 3339 in UTC with millisecond precision, e.g. `2026-11-28T12:00:00.000Z`.
    #[must_use]
    pub fn to_rfc3339(self) -> String {
        let nanos = i128::from(self.0) * 1_000_000;
        match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
            Ok(t) => format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.millisecond()
            ),
            Err(_) => String::from("invalid"),
        }
    }

    /// Parses RFC 3339 (any offset); sub-millisecond digits are dropped.
    pub fn parse_rfc3339(text: &str) -> Result<Self, InvalidTime> {
        let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .map_err(|_| InvalidTime)?;
        let millis = t.unix_timestamp_nanos().div_euclid(1_000_000);
        i64::try_from(millis).map(Self).map_err(|_| InvalidTime)
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
pub struct CalendarDate {
    year: i16,
    month: u8,
    day: u8,
}

impl CalendarDate {
    /// A date, if it exists in the Gregorian calendar (years 1800–2200).
    pub fn new(year: i16, month: u8, day: u8) -> Result<Self, InvalidTime> {
        if !(1800..=2200).contains(&year) || !(1..=12).contains(&month) {
            return Err(InvalidTime);
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(InvalidTime);
        }
        Ok(Self { year, month, day })
    }

    /// Today's date in UTC.
    #[must_use]
    pub fn today_utc() -> Self {
        let now = time::OffsetDateTime::now_utc();
        Self {
            year: i16::try_from(now.year()).unwrap_or(2000),
            month: u8::from(now.month()),
            day: now.day(),
        }
    }

    /// The year.
    #[must_use]
    pub fn year(self) -> i16 {
        self.year
    }
    /// The month, 1–12.
    #[must_use]
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month, 1–31.
    #[must_use]
    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self, InvalidTime> {
        let mut parts = text.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(InvalidTime);
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(InvalidTime);
        }
        Self::new(
            y.parse().map_err(|_| InvalidTime)?,
            m.parse().map_err(|_| InvalidTime)?,
            d.parse().map_err(|_| InvalidTime)?,
        )
    }
}

pub(crate) fn days_in_month(year: i16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
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

//! Dates of birth as typed or recorded, which may be partial (`YYYY`, `YYYY-MM`) or approximate
//! (`~YYYY`), and how a query date matches a recorded one.

/// A date of birth, possibly known only to the year or month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Birth {
    /// Year.
    pub year: i16,
    /// Month, when known.
    pub month: Option<u8>,
    /// Day, when known.
    pub day: Option<u8>,
    /// Given as "about then" (an elder without a birth record): within a couple of years.
    pub approximate: bool,
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally prefixed by `~`.
#[must_use]
pub fn parse_birth(text: &str) -> Option<Birth> {
    let approximate = text.starts_with('~');
    let text = text.strip_prefix('~').unwrap_or(text);
    let mut parts = text.split('-');
    let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let month = parts
        .next()
        .map(|m| m.parse().ok().filter(|m: &u8| (1..=12).contains(m)))
        .map_or(Some(None), |m| m.map(Some))?;
    let day = parts
        .next()
        .map(|d| d.parse().ok().filter(|d: &u8| (1..=31).contains(d)))
        .map_or(Some(None), |d| d.map(Some))?;
    if parts.next().is_some() {
        return None;
    }
    Some(Birth {
        year,
        month,
        day,
        approximate,
    })
}

/// How two dates of birth relate, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BirthLevel {
    /// The same full date.
    Exact,
    /// Day and month swapped (`1958-03-04` / `1958-04-03`).
    Swapped,
    /// One digit or one year off, the rest equal (a typing slip).
    Slip,
    /// Agree as far as both are known (one is only a year or a month).
    Partial,
    /// Two full dates less than a year apart, otherwise unrelated: a date given as "about
    /// then", or remembered some weeks or months off; or a date marked approximate within
    /// two years of the other.
    Near,
    /// Disagree.
    Different,
}

impl Birth {
    /// From the model's date of birth.
    #[must_use]
    pub fn of(date: &crate::model::DateOfBirth) -> Self {
        Self {
            year: date.year,
            month: date.month,
            day: date.day.filter(|_| date.month.is_some()),
            approximate: date.approximate,
        }
    }

    /// How this date relates to `other`.
    #[must_use]
    pub fn compare(self, other: Self) -> BirthLevel {
        let level = self.compare_as_written(other);
        let about = (self.approximate || other.approximate)
            && self.year.abs_diff(other.year) <= APPROXIMATE_YEARS;
        if level == BirthLevel::Different && about {
            BirthLevel::Near
        } else {
            level
        }
    }

    fn compare_as_written(self, other: Self) -> BirthLevel {
        match (self.month, self.day, other.month, other.day) {
            (Some(m1), Some(d1), Some(m2), Some(d2)) => {
                if self.year == other.year && m1 == m2 && d1 == d2 {
                    BirthLevel::Exact
                } else if self.year == other.year && m1 == d2 && d1 == m2 {
                    BirthLevel::Swapped
                } else if one_slip_apart(self, other)
                    || (self.year.abs_diff(other.year) == 1 && m1 == m2 && d1 == d2)
                {
                    BirthLevel::Slip
                } else if day_number(self.year, m1, d1).abs_diff(day_number(other.year, m2, d2))
                    <= NEAR_DAYS
                {
                    BirthLevel::Near
                } else {
                    BirthLevel::Different
                }
            }
            _ => {
                let month_ok = |a: Option<u8>, b: Option<u8>| a.is_none() || b.is_none() || a == b;
                if self.year == other.year && month_ok(self.month, other.month) {
                    BirthLevel::Partial
                } else if self.year.abs_diff(other.year) == 1
                    && self.month.is_none()
                    && other.month.is_none()
                {
                    BirthLevel::Slip
                } else {
                    BirthLevel::Different
                }
            }
        }
    }
}

/// Two full dates at most this many days apart are [`BirthLevel::Near`].
const NEAR_DAYS: u32 = 365;
/// A date marked approximate is [`BirthLevel::Near`] another this many years either side.
const APPROXIMATE_YEARS: u16 = 2;

/// Days since 1970-01-01 of a proleptic Gregorian date; a day past its month's end (a recorded
/// "February 30") simply counts on into the next month.
fn day_number(year: i16, month: u8, day: u8) -> i32 {
    // Howard Hinnant's days_from_civil, with the year starting in March.
    let year = i32::from(year) - i32::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (i32::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i32::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date as its eight digits `YYYYMMDD` (an unknown part as zeros).
fn digits(date: Birth) -> [u8; 8] {
    let mut out = [0u8; 8];
    let mut put = |at: usize, width: usize, mut value: u32| {
        for i in (at..at + width).rev() {
            #[allow(clippy::cast_possible_truncation)]
            {
                out[i] = (value % 10) as u8;
            }
            value /= 10;
        }
    };
    put(0, 4, u32::from(date.year.unsigned_abs()));
    put(4, 2, u32::from(date.month.unwrap_or(0)));
    put(6, 2, u32::from(date.day.unwrap_or(0)));
    out
}

/// One typing slip between the two dates' digits: one digit changed, or two neighbouring
/// digits swapped (`1990-10-20` / `1990-01-20`, `1958` / `1985`).
fn one_slip_apart(a: Birth, b: Birth) -> bool {
    let (a, b) = (digits(a), digits(b));
    let mut differing = (0..8).filter(|&i| a[i] != b[i]);
    match (differing.next(), differing.next(), differing.next()) {
        (None | Some(_), None, _) => true,
        (Some(i), Some(j), None) => j == i + 1 && a[i] == b[j] && a[j] == b[i],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_real_calendar_days() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(2000, 3, 1) - day_number(2000, 2, 28), 2);
        assert_eq!(day_number(1900, 3, 1) - day_number(1900, 2, 28), 1);
        assert_eq!(day_number(1959, 1, 1) - day_number(1958, 1, 1), 365);
        assert_eq!(day_number(1969, 12, 31), -1);
    }

    fn level(a: &str, b: &str) -> BirthLevel {
        parse_birth(a)
            .zip(parse_birth(b))
            .map_or(BirthLevel::Different, |(a, b)| a.compare(b))
    }

    #[test]
    fn swaps_slips_and_partial_dates_are_told_apart() {
        assert_eq!(level("1958-03-04", "1958-03-04"), BirthLevel::Exact);
        assert_eq!(level("1958-03-04", "1958-04-03"), BirthLevel::Swapped);
        assert_eq!(level("1958-03-04", "1958-03-14"), BirthLevel::Slip);
        assert_eq!(level("1958-03-04", "1959-03-04"), BirthLevel::Slip);
        // Two neighbouring digits typed the other way round.
        assert_eq!(level("1990-10-20", "1990-01-20"), BirthLevel::Slip);
        assert_eq!(level("1958-03-04", "1985-03-04"), BirthLevel::Slip);
        assert_eq!(level("1958-03-04", "1968-03-14"), BirthLevel::Different);
        // Less than a year apart and not a slip: a date remembered some months off.
        assert_eq!(level("2008-01-19", "2008-03-23"), BirthLevel::Near);
        assert_eq!(level("1958-12-20", "1959-02-11"), BirthLevel::Near);
        assert_eq!(level("1958-03-04", "1959-03-05"), BirthLevel::Different);
        // A date marked approximate ("about 1950") is near another within two years.
        assert_eq!(level("~1950", "1952-05-01"), BirthLevel::Near);
        assert_eq!(level("1948-11-30", "~1950-06"), BirthLevel::Near);
        assert_eq!(level("~1950", "1953-01-01"), BirthLevel::Different);
        assert_eq!(level("1950", "1952-05-01"), BirthLevel::Different);
        assert_eq!(level("~1950", "1950-05-01"), BirthLevel::Partial);
        assert_eq!(level("1958", "1958-03-04"), BirthLevel::Partial);
        assert_eq!(level("1958-03", "1958-03-04"), BirthLevel::Partial);
        assert_eq!(level("1958-05", "1958-03-04"), BirthLevel::Different);
        assert_eq!(level("1958-03-04", "1971-11-22"), BirthLevel::Different);
    }
}

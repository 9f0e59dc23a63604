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
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally prefixed by `~`.
#[must_use]
pub fn parse_birth(text: &str) -> Option<Birth> {
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
    Some(Birth { year, month, day })
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
    /// Agree as far as both are known (one is only a year or a month, or approximate).
    Partial,
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
        }
    }

    /// How this date relates to `other`.
    #[must_use]
    pub fn compare(self, other: Self) -> BirthLevel {
        match (self.month, self.day, other.month, other.day) {
            (Some(m1), Some(d1), Some(m2), Some(d2)) => {
                if self.year == other.year && m1 == m2 && d1 == d2 {
                    BirthLevel::Exact
                } else if self.year == other.year && m1 == d2 && d1 == m2 {
                    BirthLevel::Swapped
                } else if digits_differ(self, other) <= 1
                    || (self.year.abs_diff(other.year) == 1 && m1 == m2 && d1 == d2)
                {
                    BirthLevel::Slip
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

fn digits_differ(a: Birth, b: Birth) -> usize {
    let digits = |x: Birth| {
        format!(
            "{:04}{:02}{:02}",
            x.year,
            x.month.unwrap_or(0),
            x.day.unwrap_or(0)
        )
    };
    digits(a)
        .bytes()
        .zip(digits(b).bytes())
        .filter(|(x, y)| x != y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(level("1958", "1958-03-04"), BirthLevel::Partial);
        assert_eq!(level("1958-03", "1958-03-04"), BirthLevel::Partial);
        assert_eq!(level("1958-05", "1958-03-04"), BirthLevel::Different);
        assert_eq!(level("1958-03-04", "1971-11-22"), BirthLevel::Different);
    }
}

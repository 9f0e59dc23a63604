//! Dates as people type them (issue 10): `2026-12-15`, `15/12/2026`, `12/15/2026`,
//! `15 Dec 2026`, `December 15, 2026`, `15 décembre 2026`, `20261215`. The answer says which
//! reading was used, so the form can show it in words; a date that reads two ways
//! (`05/06/2026`) is refused with both readings rather than guessed, and a two-digit year is
//! refused (is `15/12/26` a birth in 1926 or 2026?).

use crate::time::CalendarDate;

/// The longest text looked at (a date is short; anything longer is not one).
const MAX_CHARS: usize = 40;

/// How a typed date was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateReading {
    /// Year first: `2026-12-15`, `2026/12/15`, `20261215`.
    YearFirst,
    /// Day, month, year: `15/12/2026` (the day is over 12, so it cannot be a month).
    DayFirst,
    /// Month, day, year: `12/15/2026`.
    MonthFirst,
    /// With the month's name, in English or French.
    MonthName,
}

/// Why typed text is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TypedDateError {
    /// Nothing typed.
    #[error("no date typed")]
    Empty,
    /// It reads as two different dates; the day-first and month-first readings.
    #[error("the date reads two ways")]
    Ambiguous {
        /// Read day first.
        day_first: CalendarDate,
        /// Read month first.
        month_first: CalendarDate,
    },
    /// A two-digit year: the century is not known.
    #[error("the year needs four digits")]
    ShortYear,
    /// Not a date in any form this reads (or a day that does not exist, like 31 February).
    #[error("not a date")]
    NotADate,
}

/// A date as typed, and how it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypedDate {
    /// The date.
    pub date: CalendarDate,
    /// How it was read.
    pub reading: DateReading,
}

/// Month names and abbreviations, English and French, lower case without accents.
const MONTHS: [&[&str]; 12] = [
    &["jan", "january", "janv", "janvier"],
    &["feb", "february", "fev", "fevr", "fevrier"],
    &["mar", "march", "mars"],
    &["apr", "april", "avr", "avril"],
    &["may", "mai"],
    &["jun", "june", "juin"],
    &["jul", "july", "juil", "juillet"],
    &["aug", "august", "aou", "aout"],
    &["sep", "sept", "september", "septembre"],
    &["oct", "october", "octobre"],
    &["nov", "november", "novembre"],
    &["dec", "december", "decembre"],
];

fn month_of(word: &str) -> Option<u8> {
    let plain: String = word
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'É' => 'e',
            'û' | 'ù' => 'u',
            'ô' => 'o',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let plain = plain.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|names| names.contains(&plain))
        .and_then(|at| u8::try_from(at + 1).ok())
}

#[derive(Clone, Copy)]
enum Token<'a> {
    Number(&'a str),
    Month(u8),
}

fn date(year: &str, month: u8, day: &str) -> Result<CalendarDate, TypedDateError> {
    if year.len() != 4 {
        return Err(if year.len() <= 2 {
            TypedDateError::ShortYear
        } else {
            TypedDateError::NotADate
        });
    }
    let year: i16 = year.parse().map_err(|_| TypedDateError::NotADate)?;
    let day: u8 = day.parse().map_err(|_| TypedDateError::NotADate)?;
    CalendarDate::new(year, month, day).map_err(|_| TypedDateError::NotADate)
}

fn number(text: &str) -> Result<u8, TypedDateError> {
    if text.len() > 2 {
        return Err(TypedDateError::NotADate);
    }
    text.parse().map_err(|_| TypedDateError::NotADate)
}

/// Reads a typed date.
pub fn parse_typed_date(text: &str) -> Result<TypedDate, TypedDateError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(TypedDateError::Empty);
    }
    if text.chars().count() > MAX_CHARS {
        return Err(TypedDateError::NotADate);
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '-' | '.' | ','))
        .filter(|w| !w.is_empty())
        .filter(|w| !matches!(w.to_lowercase().as_str(), "le" | "the" | "of" | "de" | "du"))
        .collect();
    let mut tokens = Vec::with_capacity(words.len());
    for word in &words {
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        // "15th", "1st", "1er": a number with its ordinal ending.
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            tokens.push(Token::Number(digits));
        } else if let Some(month) = month_of(word) {
            tokens.push(Token::Month(month));
        } else {
            return Err(TypedDateError::NotADate);
        }
    }
    let with = |reading, date: Result<CalendarDate, TypedDateError>| {
        date.map(|date| TypedDate { date, reading })
    };
    match tokens.as_slice() {
        [Token::Number(compact)] if compact.len() == 8 => {
            let (year, rest) = compact.split_at(4);
            let (month, day) = rest.split_at(2);
            with(DateReading::YearFirst, date(year, number(month)?, day))
        }
        [
            Token::Number(year),
            Token::Number(month),
            Token::Number(day),
        ] if year.len() == 4 => with(DateReading::YearFirst, date(year, number(month)?, day)),
        [Token::Number(a), Token::Number(b), Token::Number(year)] => {
            let (a_number, b_number) = (number(a)?, number(b)?);
            match (a_number > 12, b_number > 12) {
                (true, true) => Err(TypedDateError::NotADate),
                (true, false) => with(DateReading::DayFirst, date(year, b_number, a)),
                (false, true) => with(DateReading::MonthFirst, date(year, a_number, b)),
                (false, false) if a_number == b_number => {
                    with(DateReading::DayFirst, date(year, b_number, a))
                }
                (false, false) => {
                    let day_first = date(year, b_number, a);
                    let month_first = date(year, a_number, b);
                    match (day_first, month_first) {
                        (Ok(day_first), Ok(month_first)) => Err(TypedDateError::Ambiguous {
                            day_first,
                            month_first,
                        }),
                        (Err(e), _) | (_, Err(e)) => Err(e),
                    }
                }
            }
        }
        [Token::Number(year), Token::Month(month), Token::Number(day)] if year.len() == 4 => {
            with(DateReading::MonthName, date(year, *month, day))
        }
        [Token::Number(day), Token::Month(month), Token::Number(year)]
        | [Token::Month(month), Token::Number(day), Token::Number(year)] => {
            with(DateReading::MonthName, date(year, *month, day))
        }
        _ => Err(TypedDateError::NotADate),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn on(year: i16, month: u8, day: u8) -> CalendarDate {
        CalendarDate::new(year, month, day).unwrap()
    }

    #[test]
    fn the_formats_people_type_read_as_the_same_day() {
        for text in [
            "2026-12-15",
            "2026/12/15",
            "20261215",
            "15/12/2026",
            "15-12-2026",
            "15.12.2026",
            "12/15/2026",
            "15 Dec 2026",
            "15 December 2026",
            "December 15, 2026",
            "Dec. 15th 2026",
            "le 15 décembre 2026",
            "15 déc. 2026",
            " 2026 Dec 15 ",
        ] {
            let read = parse_typed_date(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(read.date, on(2026, 12, 15), "{text:?}");
        }
        assert_eq!(
            parse_typed_date("15/12/2026").unwrap().reading,
            DateReading::DayFirst
        );
        assert_eq!(
            parse_typed_date("12/15/2026").unwrap().reading,
            DateReading::MonthFirst
        );
        assert_eq!(
            parse_typed_date("1er mars 2027").unwrap().date,
            on(2027, 3, 1)
        );
    }

    #[test]
    fn a_date_that_reads_two_ways_is_refused_with_both_readings() {
        assert_eq!(
            parse_typed_date("05/06/2026"),
            Err(TypedDateError::Ambiguous {
                day_first: on(2026, 6, 5),
                month_first: on(2026, 5, 6),
            })
        );
        // The same number twice is one date.
        assert_eq!(parse_typed_date("07/07/2026").unwrap().date, on(2026, 7, 7));
    }

    #[test]
    fn short_years_impossible_days_and_words_are_refused() {
        assert_eq!(parse_typed_date("15/12/26"), Err(TypedDateError::ShortYear));
        for text in [
            "31/02/2026",
            "2026-13-01",
            "32/01/2026",
            "tomorrow",
            "15/15/2026",
            "1/2/3/4",
            "2026",
        ] {
            assert!(parse_typed_date(text).is_err(), "{text:?}");
        }
        assert_eq!(parse_typed_date("   "), Err(TypedDateError::Empty));
        assert_eq!(
            parse_typed_date(&"1".repeat(1000)),
            Err(TypedDateError::NotADate)
        );
    }
}

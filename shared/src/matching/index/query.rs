//! Reading what the agent typed: name words (with their transliteration when typed in
//! syllabics), dates of birth in the forms people type them, and the word still being typed.

use crate::matching::birth::{Birth, parse_birth};
use crate::text::{fold, transliterate_syllabics};
use crate::typed_date::{TypedDateError, parse_typed_date};

/// The folded name word still being typed: the query's last word when no space follows it and
/// it is not a date.
pub(super) fn open_word(text: &str) -> Option<String> {
    if text.ends_with(char::is_whitespace) {
        return None;
    }
    let last = text.split_whitespace().next_back()?;
    let read = split_query(last);
    if !read.births.is_empty() {
        return None;
    }
    fold(last)
        .split(' ')
        .rfind(|w| !w.is_empty())
        .map(str::to_owned)
        .filter(|w| read.words.iter().any(|forms| forms.first() == Some(w)))
}

/// `YYYY-DD-MM` (a day over 12 where the month belongs), read as the date it must mean.
fn day_before_month(word: &str) -> Option<Birth> {
    let mut parts = word.split('-');
    let year: i16 = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let day: u8 = parts
        .next()?
        .parse()
        .ok()
        .filter(|d| (13..=31).contains(d))?;
    let month: u8 = parts
        .next()?
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    parts.next().is_none().then_some(Birth {
        year,
        month: Some(month),
        day: Some(day),
        approximate: false,
    })
}

/// Words of a query read at most: more names and dates than a person has, so a pasted page
/// costs what a long query does, not a scan per word.
pub(super) const MAX_QUERY_WORDS: usize = 16;

/// A query as read: its name words, its dates, and which name words were typed next to each
/// other.
pub(super) struct ReadQuery {
    /// Folded name words, sorted, each once, with their transliteration when typed in syllabics.
    pub(super) words: Vec<Vec<String>>,
    /// Dates of birth (both readings of one that reads two ways).
    pub(super) births: Vec<Birth>,
    /// Pairs of roman name words typed one after the other (indices into `words`, in typed
    /// order): one name may have been split by a stray space ("isabe lla").
    pub(super) neighbours: Vec<(usize, usize)>,
}

/// The query's name words (each with its transliteration when typed in syllabics), its dates
/// and its neighbouring words, from its first [`MAX_QUERY_WORDS`] words. A date that reads two
/// ways (`04/03/1958`) counts with both readings.
pub(super) fn split_query(text: &str) -> ReadQuery {
    let mut names = String::new();
    let mut births = Vec::new();
    for word in text.split_whitespace().take(MAX_QUERY_WORDS) {
        if let Some(birth) = parse_birth(word).or_else(|| day_before_month(word)) {
            births.push(birth);
            continue;
        }
        match parse_typed_date(word) {
            Ok(typed) => births.push(Birth {
                year: typed.date.year(),
                month: Some(typed.date.month()),
                day: Some(typed.date.day()),
                approximate: false,
            }),
            Err(TypedDateError::Ambiguous {
                day_first,
                month_first,
            }) => {
                births.extend([day_first, month_first].map(|d| Birth {
                    year: d.year(),
                    month: Some(d.month()),
                    day: Some(d.day()),
                    approximate: false,
                }));
            }
            Err(_) => {
                names.push_str(word);
                names.push(' ');
            }
        }
    }
    let folded = fold(&names);
    let typed: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut words: Vec<Vec<String>> = typed
        .iter()
        .map(|w| {
            let mut forms = vec![(*w).to_owned()];
            forms.extend(transliterate_syllabics(w));
            forms
        })
        .collect();
    words.sort();
    words.dedup();
    let roman_at = |word: &str| {
        words
            .binary_search_by(|forms| forms[0].as_str().cmp(word))
            .ok()
            .filter(|at| words[*at].len() == 1)
    };
    let neighbours = typed
        .windows(2)
        .filter_map(|pair| Some((roman_at(pair[0])?, roman_at(pair[1])?)))
        .filter(|(first, second)| first != second)
        .collect();
    ReadQuery {
        words,
        births,
        neighbours,
    }
}

//! Dates of birth as typed or recorded, which may be partial (`YYYY`, `YYYY-MM`) or approximate
//! (`~YYYY`), and how a query date matches a recorded one.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Birth {
    pub(crate) year: i16,
    pub(crate) month: Option<u8>,
    pub(crate) day: Option<u8>,
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally prefixed by `~`.
pub(crate) fn parse_birth(text: &str) -> Option<Birth> {
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

/// Unknown parts on either side do not rule a record out.
pub(crate) fn birth_matches(record: Birth, query: Birth) -> bool {
    let part = |a: Option<u8>, b: Option<u8>| a.is_none() || b.is_none() || a == b;
    record.year == query.year && part(record.month, query.month) && part(record.day, query.day)
}

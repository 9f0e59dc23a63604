//! Search-as-you-type over every local record, in memory.
//!
//! The index holds each record's folded name tokens (accents folded, syllabics also
//! transliterated; see `shared::text`), its date of birth and community. A query matches a
//! record when **every** word of the query matches one of its name tokens, by prefix
//! ("kil" → "kilabuk") or, for words of four letters or more, within a small edit distance
//! ("Kilabk" → "kilabuk"; one edit up to 6 letters, two from 7). Date-like words
//! (`1957`, `1957-03`, `1957-03-14`) filter by date of birth instead. Fuzzy matching runs over the
//! distinct tokens, not the records, so it stays fast at 100,000 records.

use std::collections::{BTreeMap, HashMap};

use shared::ids::{ClientId, CommunityCode};
use shared::text::fold_tokens;

use crate::storage::ClientSummary;

/// What to look for.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    /// Names and/or a date of birth, as typed.
    pub text: String,
    /// Only this community.
    pub community: Option<CommunityCode>,
    /// At most this many results.
    pub limit: usize,
}

/// A matching record and how well it matched (higher is better).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The record.
    pub id: ClientId,
    /// Match quality.
    pub score: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Birth {
    year: i16,
    month: Option<u8>,
    day: Option<u8>,
}

struct Entry {
    id: ClientId,
    tokens: Vec<String>,
    birth: Option<Birth>,
    community: CommunityCode,
    live: bool,
}

struct Posting {
    chars: Box<[char]>,
    slots: Vec<u32>,
}

/// The in-memory index. Rebuilt from the projection at unlock; updated on every save.
#[derive(Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    slot_of: HashMap<ClientId, u32>,
    postings: BTreeMap<String, Posting>,
}

const EXACT: u32 = 100;
const PREFIX: u32 = 80;
const FUZZY: u32 = 60;

impl SearchIndex {
    /// Number of records indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    /// No records indexed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    /// Adds or replaces a record.
    pub fn upsert(&mut self, summary: &ClientSummary) {
        let mut tokens: Vec<String> = summary.all_names().flat_map(fold_tokens).collect();
        tokens.sort();
        tokens.dedup();
        let entry = Entry {
            id: summary.id,
            birth: summary.date_of_birth.as_deref().and_then(parse_birth),
            community: summary.community.clone(),
            tokens,
            live: true,
        };
        let slot = match self.slot_of.get(&summary.id) {
            Some(&slot) => {
                self.unpost(slot);
                self.entries[slot as usize] = entry;
                slot
            }
            None => {
                let slot = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
                self.entries.push(entry);
                self.slot_of.insert(summary.id, slot);
                slot
            }
        };
        for token in &self.entries[slot as usize].tokens {
            self.postings
                .entry(token.clone())
                .or_insert_with(|| Posting {
                    chars: token.chars().collect(),
                    slots: Vec::new(),
                })
                .slots
                .push(slot);
        }
    }

    /// Removes a record.
    pub fn remove(&mut self, id: ClientId) {
        if let Some(slot) = self.slot_of.remove(&id) {
            self.unpost(slot);
            self.entries[slot as usize].live = false;
        }
    }

    fn unpost(&mut self, slot: u32) {
        for token in std::mem::take(&mut self.entries[slot as usize].tokens) {
            if let Some(posting) = self.postings.get_mut(&token) {
                posting.slots.retain(|s| *s != slot);
                if posting.slots.is_empty() {
                    self.postings.remove(&token);
                }
            }
        }
    }

    /// Records matching the query, best first.
    #[must_use]
    pub fn search(&self, query: &SearchQuery) -> Vec<Hit> {
        let (words, births) = split_query(&query.text);
        if words.is_empty() && births.is_empty() {
            return Vec::new();
        }
        let mut scores: Option<HashMap<u32, u32>> = None;
        for word in &words {
            let matches = self.match_word(word);
            scores = Some(match scores {
                None => matches,
                Some(previous) => previous
                    .into_iter()
                    .filter_map(|(slot, score)| matches.get(&slot).map(|s| (slot, score + s)))
                    .collect(),
            });
        }
        let candidates: Vec<(u32, u32)> = match scores {
            Some(scores) => scores.into_iter().collect(),
            None => (0..self.entries.len())
                .map(|s| (u32::try_from(s).unwrap_or(u32::MAX), 0))
                .collect(),
        };
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .filter_map(|(slot, score)| {
                let entry = &self.entries[slot as usize];
                let community_ok = query
                    .community
                    .as_ref()
                    .is_none_or(|c| &entry.community == c);
                let birth_ok = births
                    .iter()
                    .all(|b| entry.birth.is_some_and(|e| birth_matches(e, *b)));
                (entry.live && community_ok && birth_ok).then_some(Hit {
                    id: entry.id,
                    score: score + 1,
                })
            })
            .collect();
        hits.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
        hits.truncate(query.limit.max(1));
        hits
    }

    fn match_word(&self, word: &str) -> HashMap<u32, u32> {
        let mut best: HashMap<u32, u32> = HashMap::new();
        let mut credit = |slots: &[u32], score: u32| {
            for &slot in slots {
                let entry = best.entry(slot).or_insert(0);
                *entry = (*entry).max(score);
            }
        };
        for (token, posting) in self
            .postings
            .range::<str, _>((std::ops::Bound::Included(word), std::ops::Bound::Unbounded))
        {
            if !token.starts_with(word) {
                break;
            }
            credit(&posting.slots, if token == word { EXACT } else { PREFIX });
        }
        let query: Vec<char> = word.chars().collect();
        let allowed = match query.len() {
            0..=3 => return best,
            4..=6 => 1,
            _ => 2,
        };
        for posting in self.postings.values() {
            if posting.chars.len() + allowed < query.len() {
                continue;
            }
            if let Some(distance) = prefix_edit_distance(&query, &posting.chars, allowed)
                && distance > 0
            {
                credit(&posting.slots, FUZZY - 10 * distance);
            }
        }
        best
    }
}

/// The smallest edit distance between `query` and any prefix of `token`, if at most `allowed`.
fn prefix_edit_distance(query: &[char], token: &[char], allowed: usize) -> Option<u32> {
    let width = token.len() + 1;
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![0usize; width];
    for (i, q) in query.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for j in 1..width {
            let substitution = previous[j - 1] + usize::from(*q != token[j - 1]);
            current[j] = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            row_min = row_min.min(current[j]);
        }
        if row_min > allowed {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let best = previous.iter().copied().min().unwrap_or(usize::MAX);
    (best <= allowed).then(|| u32::try_from(best).unwrap_or(u32::MAX))
}

fn split_query(text: &str) -> (Vec<String>, Vec<Birth>) {
    let mut names = String::new();
    let mut births = Vec::new();
    for word in text.split_whitespace() {
        match parse_birth(word) {
            Some(birth) => births.push(birth),
            None => {
                names.push_str(word);
                names.push(' ');
            }
        }
    }
    let mut words: Vec<String> = shared::text::fold(&names)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    (words, births)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally prefixed by `~`.
fn parse_birth(text: &str) -> Option<Birth> {
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
fn birth_matches(record: Birth, query: Birth) -> bool {
    let part = |a: Option<u8>, b: Option<u8>| a.is_none() || b.is_none() || a == b;
    record.year == query.year && part(record.month, query.month) && part(record.day, query.day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::time::Timestamp;

    fn summary(given: &str, family: &str, dob: Option<&str>, community: &str) -> ClientSummary {
        ClientSummary {
            id: ClientId::random(),
            given_name: given.into(),
            family_name: family.into(),
            preferred_name: None,
            other_names: vec![],
            date_of_birth: dob.map(str::to_owned),
            community: CommunityCode::new(community),
            open_referrals: 0,
            next_follow_up: None,
            conflicts: 0,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        }
    }

    fn find(index: &SearchIndex, text: &str) -> Vec<ClientId> {
        index
            .search(&SearchQuery {
                text: text.into(),
                community: None,
                limit: 10,
            })
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn prefix_fuzzy_accent_and_syllabics_queries_find_the_person() {
        let mut index = SearchIndex::default();
        let annie = summary("Annie", "Kilabuk", Some("1957-03-14"), "nu.pangnirtung");
        let elise = summary("Élise", "Tremblay", Some("~1980"), "mb.churchill");
        let mut syllabic = summary("ᐊᓂ", "ᑭᓚᐳᒃ", None, "nu.pangnirtung");
        syllabic.other_names = vec!["Ani Kilapuk".into()];
        for s in [&annie, &elise, &syllabic] {
            index.upsert(s);
        }
        assert_eq!(find(&index, "kil ann"), vec![annie.id]);
        assert_eq!(find(&index, "Kilabk")[0], annie.id, "one typo");
        assert_eq!(find(&index, "elise"), vec![elise.id], "accent folded");
        assert_eq!(find(&index, "ᑭᓚ"), vec![syllabic.id], "syllabics prefix");
        assert!(
            find(&index, "kilapuk").contains(&syllabic.id),
            "roman spelling of a syllabics name"
        );
        assert_eq!(
            find(&index, "annie 1957-03"),
            vec![annie.id],
            "name and date of birth"
        );
        assert_eq!(find(&index, "1980"), vec![elise.id], "approximate year");
        assert!(find(&index, "zzzz").is_empty());
    }

    #[test]
    fn updating_a_record_replaces_its_tokens() {
        let mut index = SearchIndex::default();
        let mut person = summary("Annie", "Kilabuk", None, "nu.iqaluit");
        index.upsert(&person);
        person.family_name = "Nowdlak".into();
        index.upsert(&person);
        assert!(find(&index, "kilabuk").is_empty());
        assert_eq!(find(&index, "nowdlak"), vec![person.id]);
        index.remove(person.id);
        assert!(find(&index, "nowdlak").is_empty());
        assert_eq!(index.len(), 0);
    }

    #[test]
    fn community_filter_applies() {
        let mut index = SearchIndex::default();
        let a = summary("Annie", "Kilabuk", None, "nu.iqaluit");
        let b = summary("Annie", "Kilabuk", None, "nu.arviat");
        index.upsert(&a);
        index.upsert(&b);
        let hits = index.search(&SearchQuery {
            text: "annie".into(),
            community: Some(CommunityCode::new("nu.arviat")),
            limit: 10,
        });
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![b.id]);
    }
}

//! Search-as-you-type over every local record, in memory (the field app's find screen, its
//! "possible existing client" panel, and later the hub's reunification search).
//!
//! The index holds each record's folded name tokens (accents folded, syllabics also
//! transliterated; see `shared::text`), its date of birth and community. A query matches a
//! record when **every** word of the query matches one of its name tokens, by prefix
//! ("kil" → "kilabuk") or, for words of four letters or more, within a small edit distance
//! ("Kilabk" → "kilabuk"; one edit up to 6 letters, two from 7). Date-like words
//! (`1957`, `1957-03`, `1957-03-14`) filter by date of birth instead. Fuzzy matching runs over the
//! distinct tokens, not the records, so it stays fast at 100,000 records.

use std::collections::{BTreeMap, HashMap};

use super::birth::{Birth, birth_matches, parse_birth};
use super::distance::prefix_edit_distance;
use crate::ids::{ClientId, CommunityCode};
use crate::text::fold_tokens;

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

/// What the index keeps of a record: its names (every spelling it is known by), its date of
/// birth as recorded (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, optionally `~`), and its community.
#[derive(Clone, Copy)]
pub struct Person<'a> {
    /// The record.
    pub id: ClientId,
    /// Given, family, preferred and other names.
    pub names: &'a [&'a str],
    /// Date of birth as recorded.
    pub date_of_birth: Option<&'a str>,
    /// Community.
    pub community: &'a CommunityCode,
}

/// A matching record and how well it matched (higher is better).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The record.
    pub id: ClientId,
    /// Match quality.
    pub score: u32,
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
    pub fn upsert(&mut self, person: &Person<'_>) {
        let mut tokens: Vec<String> = person
            .names
            .iter()
            .flat_map(|name| fold_tokens(name))
            .collect();
        tokens.sort();
        tokens.dedup();
        let entry = Entry {
            id: person.id,
            birth: person.date_of_birth.and_then(parse_birth),
            community: person.community.clone(),
            tokens,
            live: true,
        };
        let slot = match self.slot_of.get(&person.id) {
            Some(&slot) => {
                self.unpost(slot);
                self.entries[slot as usize] = entry;
                slot
            }
            None => {
                let slot = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
                self.entries.push(entry);
                self.slot_of.insert(person.id, slot);
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
    let mut words: Vec<String> = crate::text::fold(&names)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    (words, births)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as the field app's projection row gives it.
    struct Summary {
        id: ClientId,
        given_name: String,
        family_name: String,
        other_names: Vec<String>,
        date_of_birth: Option<String>,
        community: CommunityCode,
    }

    fn summary(given: &str, family: &str, dob: Option<&str>, community: &str) -> Summary {
        Summary {
            id: ClientId::random(),
            given_name: given.into(),
            family_name: family.into(),
            other_names: vec![],
            date_of_birth: dob.map(str::to_owned),
            community: CommunityCode::new(community),
        }
    }

    trait UpsertSummary {
        fn upsert_summary(&mut self, summary: &Summary);
    }

    impl UpsertSummary for SearchIndex {
        fn upsert_summary(&mut self, s: &Summary) {
            let names: Vec<&str> = [s.given_name.as_str(), s.family_name.as_str()]
                .into_iter()
                .chain(s.other_names.iter().map(String::as_str))
                .collect();
            self.upsert(&Person {
                id: s.id,
                names: &names,
                date_of_birth: s.date_of_birth.as_deref(),
                community: &s.community,
            });
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
            index.upsert_summary(s);
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
        index.upsert_summary(&person);
        person.family_name = "Nowdlak".into();
        index.upsert_summary(&person);
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
        index.upsert_summary(&a);
        index.upsert_summary(&b);
        let hits = index.search(&SearchQuery {
            text: "annie".into(),
            community: Some(CommunityCode::new("nu.arviat")),
            limit: 10,
        });
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![b.id]);
    }
}

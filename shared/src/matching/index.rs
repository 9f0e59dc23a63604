//! Search-as-you-type over every local record, in memory (the field app's find screen, its
//! "possible existing client" panel, and the hub's reunification search).
//!
//! The index keeps each distinct folded name token once (syllabics also transliterated; see
//! `shared::text`) with its spelling key ([`super::names`]) and the records that carry it. Every
//! query word is scored against the tokens — exact, as typed so far (prefix), a known variant
//! (nickname, French/English form), the same spelling key, or within one or two typing slips
//! (a transposition is one), nearer spellings first within a level — and a record's score is
//! the sum over query words of its best token, no token answering two query words, each word
//! weighted by how rare the names it reaches best are. A word that matches nothing lowers a record's
//! score instead of hiding it, and dates of birth score (exact, day/month swapped, one slip,
//! partial) rather than filter, so a mistyped word or date never makes the person vanish.
//! Fuzzy matching scans the distinct tokens (with a letter-set filter), not the records, so it
//! stays within a few milliseconds at 100,000 records.

use std::collections::{BTreeMap, HashMap};

use super::birth::{Birth, BirthLevel, parse_birth};
use super::names::{NameWord, osa_distance, prefix_osa_distance};
use super::nicknames::variants_of;
use super::pairing::{BestTwo, one_name_per_word};
use crate::ids::{ClientId, CommunityCode};
use crate::text::{fold, fold_tokens, transliterate_syllabics};
use crate::typed_date::{TypedDateError, parse_typed_date};

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

/// A matching record and how well it matched (higher is better; 1000 per query word matched
/// exactly on a rare name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The record.
    pub id: ClientId,
    /// Match quality.
    pub score: u32,
    /// How many of the query's name words matched one of its names (a panel that warns of a
    /// possible existing client shows only records that match every word).
    pub words_matched: u32,
    /// How many name words the query had.
    pub words: u32,
}

struct Entry {
    id: ClientId,
    tokens: Vec<u32>,
    birth: Option<Birth>,
    community: CommunityCode,
    live: bool,
}

struct Token {
    chars: Box<[char]>,
    key: Box<[char]>,
    letters: u64,
    slots: Vec<u32>,
}

/// The in-memory index. Rebuilt from the projection at unlock; updated on every save.
#[derive(Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    slot_of: HashMap<ClientId, u32>,
    tokens: Vec<Token>,
    by_folded: BTreeMap<String, u32>,
    by_key: BTreeMap<String, Vec<u32>>,
    by_year: HashMap<i16, Vec<u32>>,
}

const EXACT: f32 = 1.0;
const PREFIX: f32 = 0.9;
/// A word followed by more of the query is complete: being only the start of a longer name is
/// weaker evidence than a known variant of it ("Bill Kootoo" means William before Billy).
const CLOSED_PREFIX: f32 = 0.7;
const VARIANT: f32 = 0.85;
const KEY_PREFIX: f32 = 0.75;
const ONE_SLIP: f32 = 0.75;
const TWO_SLIPS: f32 = 0.55;
const ONE_SLIP_PREFIX: f32 = 0.7;
const TWO_SLIPS_PREFIX: f32 = 0.5;
/// Within one level, each letter of difference between the word and a spelling costs this
/// much ("Killabuk": Kilabuk, one letter, before Kilabuq, two, though both sound the same);
/// at most three, so a level never falls to the next.
const PER_LETTER: f32 = 0.01;
/// Scores this close are one level (the nearness adjustment above).
const LEVEL_STEP: f32 = 0.035;

fn birth_score(level: BirthLevel) -> f32 {
    match level {
        BirthLevel::Exact => 1.0,
        BirthLevel::Swapped => 0.8,
        BirthLevel::Slip => 0.6,
        BirthLevel::Partial => 0.5,
        BirthLevel::Different => 0.0,
    }
}

fn letters_of(chars: &[char]) -> u64 {
    chars.iter().fold(0u64, |mask, c| {
        let bit = if c.is_ascii_lowercase() {
            u32::from(*c) - u32::from('a')
        } else {
            26 + u32::from(*c) % 38
        };
        mask | (1u64 << bit)
    })
}

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
        let mut words: Vec<String> = person
            .names
            .iter()
            .flat_map(|name| fold_tokens(name))
            .collect();
        words.sort();
        words.dedup();
        let tokens: Vec<u32> = words.iter().map(|w| self.token_id(w)).collect();
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
        let entry = &self.entries[slot as usize];
        for token in &entry.tokens {
            self.tokens[*token as usize].slots.push(slot);
        }
        if let Some(birth) = entry.birth {
            self.by_year.entry(birth.year).or_default().push(slot);
        }
    }

    fn token_id(&mut self, folded: &str) -> u32 {
        if let Some(id) = self.by_folded.get(folded) {
            return *id;
        }
        let id = u32::try_from(self.tokens.len()).unwrap_or(u32::MAX);
        let word = NameWord::new(folded);
        let chars: Box<[char]> = folded.chars().collect();
        self.by_key.entry(word.key.clone()).or_default().push(id);
        self.by_folded.insert(folded.to_owned(), id);
        self.tokens.push(Token {
            key: word.key.chars().collect(),
            letters: letters_of(&chars),
            chars,
            slots: Vec::new(),
        });
        id
    }

    /// Removes a record.
    pub fn remove(&mut self, id: ClientId) {
        if let Some(slot) = self.slot_of.remove(&id) {
            self.unpost(slot);
            self.entries[slot as usize].live = false;
        }
    }

    fn unpost(&mut self, slot: u32) {
        let entry = &mut self.entries[slot as usize];
        for token in std::mem::take(&mut entry.tokens) {
            self.tokens[token as usize].slots.retain(|s| *s != slot);
        }
        if let Some(birth) = entry.birth.take()
            && let Some(slots) = self.by_year.get_mut(&birth.year)
        {
            slots.retain(|s| *s != slot);
        }
    }

    /// Records matching the query, best first.
    #[must_use]
    pub fn search(&self, query: &SearchQuery) -> Vec<Hit> {
        let (words, births) = split_query(&query.text);
        if words.is_empty() && births.is_empty() {
            return Vec::new();
        }
        let open = open_word(&query.text);
        // Per query word, each record's two best names; one name answers one query word, so
        // "Mary Mar" does not count Mardon twice (a slip of Mary and the start of Mar).
        let mut best = vec![BestTwo::default(); self.entries.len()];
        let mut answers_at = vec![u32::MAX; self.entries.len()];
        let mut answers: Vec<Vec<BestTwo>> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        for forms in &words {
            let mut word_touched: Vec<u32> = Vec::new();
            let typing = open.as_deref() == forms.first().map(String::as_str);
            let reached = self.match_word(forms, typing);
            let said = self.word_weight(&reached);
            for (token, score) in reached {
                let weight = score * said;
                for &slot in &self.tokens[token as usize].slots {
                    let cell = &mut best[slot as usize];
                    if cell.is_empty() {
                        word_touched.push(slot);
                    }
                    cell.offer(token, weight);
                }
            }
            for slot in word_touched {
                let found = std::mem::take(&mut best[slot as usize]);
                let at = &mut answers_at[slot as usize];
                if *at == u32::MAX {
                    *at = u32::try_from(answers.len()).unwrap_or(u32::MAX);
                    answers.push(Vec::new());
                    touched.push(slot);
                }
                answers[*at as usize].push(found);
            }
        }
        if words.is_empty() {
            for birth in &births {
                for year in birth.year - 1..=birth.year + 1 {
                    touched.extend(self.by_year.get(&year).into_iter().flatten());
                }
            }
            touched.sort_unstable();
            touched.dedup();
        }
        let mut hits: Vec<Hit> = touched
            .into_iter()
            .filter_map(|slot| {
                let entry = &self.entries[slot as usize];
                let community_ok = query
                    .community
                    .as_ref()
                    .is_none_or(|c| &entry.community == c);
                if !entry.live || !community_ok {
                    return None;
                }
                let birth: f32 = births
                    .iter()
                    .map(|query| {
                        entry
                            .birth
                            .map_or(0.0, |recorded| birth_score(recorded.compare(*query)))
                    })
                    .sum();
                let (names, words_matched) = match answers.get(answers_at[slot as usize] as usize) {
                    Some(found) => one_name_per_word(found),
                    None => (0.0, 0),
                };
                let score = names + birth;
                if words.is_empty() && birth == 0.0 {
                    return None;
                }
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let score = (score * 1000.0).round() as u32;
                Some(Hit {
                    id: entry.id,
                    score: score.max(1),
                    words_matched,
                    words: u32::try_from(words.len()).unwrap_or(u32::MAX),
                })
            })
            .collect();
        let limit = query.limit.max(1);
        let order = |a: &Hit, b: &Hit| b.score.cmp(&a.score).then(a.id.cmp(&b.id));
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, order);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(order);
        hits
    }

    /// How much a query word says about who the person is: a word that names one record in
    /// ten thousand says more than one that names every tenth record. Counted over the names it
    /// reaches best (what was most likely meant), and the same for every record it reaches, so
    /// among those records the closeness of the match decides, not how common each one's
    /// spelling is ("Anne" finds Annie as readily as Ani).
    fn word_weight(&self, reached: &HashMap<u32, f32>) -> f32 {
        let best = reached.values().copied().fold(0.0, f32::max);
        let carrying: usize = reached
            .iter()
            .filter(|(_, score)| **score >= best - LEVEL_STEP)
            .map(|(token, _)| self.tokens[*token as usize].slots.len())
            .sum();
        #[allow(clippy::cast_precision_loss)]
        let records = self.slot_of.len().max(2) as f32;
        #[allow(clippy::cast_precision_loss)]
        let carrying = carrying.max(1) as f32;
        0.6 + 0.4 * ((records / carrying).ln() / records.ln()).clamp(0.0, 1.0)
    }

    /// Every token the query word reaches, with how well (best per token); `typing`: the word
    /// is the one being typed (the last, with no space after it), so it may be a name's start.
    fn match_word(&self, forms: &[String], typing: bool) -> HashMap<u32, f32> {
        let mut found: HashMap<u32, f32> = HashMap::new();
        let mut scale = 1.0;
        let mut credit = |token: u32, score: f32, scale: f32| {
            let cell = found.entry(token).or_insert(0.0);
            *cell = cell.max(score * scale);
        };
        for (form, word) in forms.iter().enumerate() {
            // A word matched in the script it was typed in ranks above its transliteration.
            if form > 0 {
                scale = 0.95;
            }
            for (folded, &token) in self.by_folded.range::<str, _>((
                std::ops::Bound::Included(word.as_str()),
                std::ops::Bound::Unbounded,
            )) {
                if !folded.starts_with(word.as_str()) {
                    break;
                }
                let score = if folded == word {
                    EXACT
                } else if typing {
                    PREFIX
                } else {
                    CLOSED_PREFIX
                };
                credit(token, score, scale);
            }
            for variant in variants_of(word) {
                if let Some(&token) = self.by_folded.get(variant) {
                    credit(token, VARIANT, scale);
                }
            }
            let query: Vec<char> = word.chars().collect();
            let key = NameWord::new(word).key;
            let query_key: Vec<char> = key.chars().collect();
            let key_chars = query_key.len();
            for (token_key, tokens) in self.by_key.range::<str, _>((
                std::ops::Bound::Included(key.as_str()),
                std::ops::Bound::Unbounded,
            )) {
                if !token_key.starts_with(key.as_str()) {
                    break;
                }
                let score = if *token_key == key {
                    VARIANT
                } else if key_chars >= 3 {
                    KEY_PREFIX
                } else {
                    continue;
                };
                for &token in tokens {
                    let letters =
                        osa_distance(&query, &self.tokens[token as usize].chars, 2).unwrap_or(3);
                    #[allow(clippy::cast_precision_loss)]
                    credit(token, score - PER_LETTER * letters as f32, scale);
                }
            }
            let allowed = match query.len() {
                0..=2 => continue,
                3..=5 => 1,
                _ => 2,
            };
            let letters = letters_of(&query);
            for (id, token) in self.tokens.iter().enumerate() {
                if token.slots.is_empty()
                    || token.chars.len() + allowed < query.len()
                    || (letters & !token.letters).count_ones() as usize > allowed
                {
                    continue;
                }
                // A slip against the whole name ranks above a slip against its start.
                let score = match osa_distance(&query, &token.chars, allowed) {
                    Some(0) => continue,
                    Some(1) => ONE_SLIP,
                    Some(_) => TWO_SLIPS,
                    None => match prefix_osa_distance(&query, &token.chars, allowed) {
                        Some(0) => continue,
                        Some(1) => ONE_SLIP_PREFIX,
                        Some(_) => TWO_SLIPS_PREFIX,
                        // Another spelling with one slip besides (Tunnuq / Toonoo).
                        None if key_chars >= 3
                            && osa_distance(&query_key, &token.key, 1).is_some() =>
                        {
                            ONE_SLIP_PREFIX
                        }
                        None => continue,
                    },
                };
                credit(u32::try_from(id).unwrap_or(u32::MAX), score, scale);
            }
        }
        found
    }
}

/// The folded name word still being typed: the query's last word when no space follows it and
/// it is not a date.
fn open_word(text: &str) -> Option<String> {
    if text.ends_with(char::is_whitespace) {
        return None;
    }
    let last = text.split_whitespace().next_back()?;
    let (words, births) = split_query(last);
    if !births.is_empty() {
        return None;
    }
    fold(last)
        .split(' ')
        .rfind(|w| !w.is_empty())
        .map(str::to_owned)
        .filter(|w| words.iter().any(|forms| forms.first() == Some(w)))
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
    })
}

/// The query's name words (each with its transliteration when typed in syllabics) and its
/// dates. A date that reads two ways (`04/03/1958`) counts with both readings.
fn split_query(text: &str) -> (Vec<Vec<String>>, Vec<Birth>) {
    let mut names = String::new();
    let mut births = Vec::new();
    for word in text.split_whitespace() {
        if let Some(birth) = parse_birth(word).or_else(|| day_before_month(word)) {
            births.push(birth);
            continue;
        }
        match parse_typed_date(word) {
            Ok(typed) => births.push(Birth {
                year: typed.date.year(),
                month: Some(typed.date.month()),
                day: Some(typed.date.day()),
            }),
            Err(TypedDateError::Ambiguous {
                day_first,
                month_first,
            }) => {
                births.extend([day_first, month_first].map(|d| Birth {
                    year: d.year(),
                    month: Some(d.month()),
                    day: Some(d.day()),
                }));
            }
            Err(_) => {
                names.push_str(word);
                names.push(' ');
            }
        }
    }
    let mut words: Vec<Vec<String>> = fold(&names)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut forms = vec![w.to_owned()];
            forms.extend(transliterate_syllabics(w));
            forms
        })
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
    fn a_finished_word_means_a_variant_before_a_longer_name_and_the_word_being_typed_a_start() {
        let mut index = SearchIndex::default();
        let william = summary("William", "Kootoo", None, "nu.pangnirtung");
        let billy = summary("Billyboy", "Kootoo", None, "nu.pangnirtung");
        for s in [&william, &billy] {
            index.upsert_summary(s);
        }
        assert_eq!(
            find(&index, "Bill Kootoo")[0],
            william.id,
            "a nickname, complete"
        );
        assert_eq!(
            find(&index, "Kootoo Bill")[0],
            billy.id,
            "still being typed"
        );
        assert_eq!(
            find(&index, "Kootoo Bill ")[0],
            william.id,
            "a space ends the word"
        );
    }

    #[test]
    fn how_well_a_name_matches_outranks_how_rare_it_is() {
        let mut index = SearchIndex::default();
        // Annie is common here; Anke is carried by one record.
        for _ in 0..30 {
            index.upsert_summary(&summary("Annie", "Nowdlak", None, "nu.pangnirtung"));
        }
        let annie = summary("Annie", "Kilabuq", None, "nu.pangnirtung");
        let anke = summary("Anke", "Kilabuq", None, "nu.pangnirtung");
        for s in [&annie, &anke] {
            index.upsert_summary(s);
        }
        // "Anne" is a known form of Annie and one slip from Anke.
        assert_eq!(find(&index, "Anne Kilabuq")[0], annie.id);
    }

    #[test]
    fn among_spellings_that_sound_alike_the_closest_comes_first() {
        let mut index = SearchIndex::default();
        // Kilabuk is the commoner spelling; both sound like "Killabuk".
        for _ in 0..5 {
            index.upsert_summary(&summary("John", "Kilabuk", None, "nu.pangnirtung"));
        }
        let one_letter = summary("Mary", "Kilabuk", None, "nu.pangnirtung");
        let two_letters = summary("Mary", "Kilabuq", None, "nu.pangnirtung");
        for s in [&one_letter, &two_letters] {
            index.upsert_summary(s);
        }
        let hits = index.search(&SearchQuery {
            text: "Mary Killabuk".into(),
            community: None,
            limit: 10,
        });
        assert_eq!(hits[0].id, one_letter.id);
        assert!(hits[0].score > hits[1].score, "not a tie: {hits:?}");
    }

    #[test]
    fn one_name_of_a_record_answers_one_query_word() {
        let mut index = SearchIndex::default();
        // Mary is common, so the query's "Mary" is weak evidence and "Mar" carries the search.
        for _ in 0..40 {
            index.upsert_summary(&summary("Mary", "Kilabuk", None, "nu.pangnirtung"));
        }
        // Marlard is a family name of several, Mardon of one.
        for _ in 0..5 {
            index.upsert_summary(&summary("John", "Marlard", None, "nu.pangnirtung"));
        }
        let tyler = summary("Tyler", "Mardon", None, "nu.pangnirtung");
        let mary = summary("Mary", "Marlard", None, "nu.pangnirtung");
        for s in [&tyler, &mary] {
            index.upsert_summary(s);
        }
        // "Mary" is one slip from Mardon's start and "Mar" its start: one name, not two answers.
        assert_eq!(find(&index, "Mary Mar")[0], mary.id);
        assert_eq!(find(&index, "Mar Mary ")[0], mary.id);
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
        assert_eq!(find(&index, "kil ann")[0], annie.id, "as typed so far");
        assert_eq!(find(&index, "Kilabk")[0], annie.id, "one typo");
        assert_eq!(find(&index, "elise"), vec![elise.id], "accent folded");
        assert_eq!(find(&index, "ᑭᓚ")[0], syllabic.id, "syllabics prefix");
        assert!(
            find(&index, "ᑭᓚ").contains(&annie.id),
            "a syllabics query finds the roman spelling"
        );
        assert!(
            find(&index, "kilapuk").contains(&syllabic.id),
            "roman spelling of a syllabics name"
        );
        assert_eq!(
            find(&index, "annie 1957-03")[0],
            annie.id,
            "name and date of birth"
        );
        assert_eq!(find(&index, "1980"), vec![elise.id], "approximate year");
        assert_eq!(
            find(&index, "kilabuk 1957-14-03")[0],
            annie.id,
            "day and month swapped still finds the person"
        );
        assert_eq!(
            find(&index, "kilabuk 14/03/1957")[0],
            annie.id,
            "a date as people type it"
        );
        assert_eq!(find(&index, "Kilbauk")[0], annie.id, "transposition");
        let shared_family = index.search(&SearchQuery {
            text: "Samuel Kilabuk".into(),
            community: None,
            limit: 10,
        });
        let hit = shared_family.iter().find(|h| h.id == annie.id).unwrap();
        assert_eq!(
            (hit.words_matched, hit.words),
            (1, 2),
            "a shared family name alone is one word of two"
        );
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

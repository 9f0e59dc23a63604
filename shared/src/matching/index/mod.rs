//! Search-as-you-type over every local record, in memory (the field app's find screen, its
//! "possible existing client" panel, and the hub's reunification search).
//!
//! The index keeps each distinct folded name token once (syllabics also transliterated; see
//! `shared::text`) with its spelling key ([`super::names`]) and the records that carry it. Every
//! query word is scored against the tokens — exact, as typed so far (prefix), a known variant
//! (nickname, French/English form), the same spelling key, or within one or two typing slips
//! (a transposition is one), nearer spellings first within a level — and a record's score is
//! the sum over query words of its best token, no token answering two query words, each word
//! weighted by how rare the names it reaches best are. A word that reached none of a record the
//! other words found adds a little by its likeness to the name left over (letters left out, more
//! slips than a level allows), so such a record comes before its namesakes. A word that matches
//! nothing lowers a record's score instead of hiding it, and dates of birth score (exact,
//! day/month swapped, one slip, partial) rather than filter, so a mistyped word or date never
//! makes the person vanish.
//! Fuzzy matching scans the distinct tokens (with a letter-set filter), not the records, so it
//! stays within a few milliseconds at 100,000 records.

use std::collections::{BTreeMap, HashMap};

mod query;
mod rewrite;

use super::birth::{Birth, BirthLevel, parse_birth};
use super::names::{NameWord, jaro_winkler, osa_distance, osa_whole_and_prefix};
use super::nicknames::variants_of;
use super::pairing::BestTwo;
use crate::ids::{ClientId, CommunityCode};
use crate::text::fold_tokens;
use crate::time::Timestamp;
use query::{ReadQuery, open_word, split_query};
use rewrite::{Reading, best_reading};

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
    /// When the record last changed, if known: of answers that match equally well, the one
    /// changed last comes first (the client just registered or just seen), not the one whose
    /// random id sorts first.
    pub last_changed: Option<Timestamp>,
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

/// What the query words found, per record they reached: its row of answers (one per word that
/// reached it, in word order) and which words those were (a bit per word).
struct Found {
    row_of: Vec<u32>,
    answers: Vec<Vec<BestTwo>>,
    reached_by: Vec<u64>,
    /// The records with a row, in the order they were first reached.
    touched: Vec<u32>,
}

impl Found {
    fn new(records: usize) -> Self {
        Self {
            row_of: vec![u32::MAX; records],
            answers: Vec::new(),
            reached_by: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// The record's row, made on first use.
    fn row(&mut self, slot: u32) -> usize {
        let at = &mut self.row_of[slot as usize];
        if *at == u32::MAX {
            *at = u32::try_from(self.answers.len()).unwrap_or(u32::MAX);
            self.answers.push(Vec::new());
            self.reached_by.push(0);
            self.touched.push(slot);
        }
        *at as usize
    }

    /// The record's answers and the words that gave them, if any word reached it.
    fn of(&self, slot: u32) -> Option<(&[BestTwo], u64)> {
        let at = *self.row_of.get(slot as usize)? as usize;
        Some((self.answers.get(at)?, *self.reached_by.get(at)?))
    }
}

/// A record found, scored before far matches are added.
struct Scored {
    slot: u32,
    score: f32,
    words_matched: u32,
    /// The query words that reached it (bit per word), in the reading it scored by.
    reached: u64,
    /// The other reading of the query it scored by, if any (index into the readings).
    reading: Option<usize>,
}

struct Entry {
    id: ClientId,
    tokens: Vec<u32>,
    birth: Option<Birth>,
    community: CommunityCode,
    live: bool,
    /// Milliseconds of [`Person::last_changed`] (`i64::MIN` when unknown).
    last_changed: i64,
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
/// A query word that reached none of a record's names may still be one of them written with
/// more slips than the levels above allow ("thms" for Thomas, "spajt" for Spratt): its
/// similarity to the record's closest name left over (`far_similarity`) counts from this floor...
const FAR_FLOOR: f64 = 0.8;
/// ...up to this much for an identical word, always below two slips.
const FAR_TOP: f32 = 0.45;
/// Query words a record keeps track of (far matches are looked for among the first 64).
const TRACKED_WORDS: usize = 64;

fn birth_score(level: BirthLevel) -> f32 {
    match level {
        BirthLevel::Exact => 1.0,
        BirthLevel::Swapped => 0.8,
        BirthLevel::Slip => 0.6,
        BirthLevel::Partial => 0.5,
        BirthLevel::Near => 0.2,
        BirthLevel::Different => 0.0,
    }
}

/// How like a name a word is when it is more slips away than the match levels allow: its
/// Jaro-Winkler similarity, or for letters left out (the word is the name with letters
/// missing, in order: "thms" in Thomas, "ouch" in Crouch, which Jaro-Winkler marks down for
/// the lost start) `FAR_FLOOR` and up by the share of the name's letters kept.
fn far_similarity(word: &[char], name: &[char]) -> f64 {
    let jw = jaro_winkler(word, name);
    let mut rest = name.iter();
    let letters_left_out = word.iter().all(|c| rest.any(|n| n == c));
    if letters_left_out && word.len() < name.len() {
        #[allow(clippy::cast_precision_loss)]
        let kept = word.len() as f64 / name.len() as f64;
        jw.max(FAR_FLOOR + (1.0 - FAR_FLOOR) * kept)
    } else {
        jw
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
            last_changed: person.last_changed.map_or(i64::MIN, |t| t.0),
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
        let ReadQuery {
            words,
            births,
            neighbours,
        } = split_query(&query.text);
        if words.is_empty() && births.is_empty() {
            return Vec::new();
        }
        let open = open_word(&query.text);
        // Per query word, each record's two best names; one name answers one query word, so
        // "Mary Mar" does not count Mardon twice (a slip of Mary and the start of Mar).
        let mut best = vec![BestTwo::default(); self.entries.len()];
        let mut found = Found::new(self.entries.len());
        let mut weights: Vec<f32> = Vec::with_capacity(words.len());
        for (word_index, forms) in words.iter().enumerate() {
            let mut word_touched: Vec<u32> = Vec::new();
            let typing = open.as_deref() == forms.first().map(String::as_str);
            let reached = self.match_word(forms, typing, true);
            let said = self.word_weight(&reached);
            weights.push(said);
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
                let row = found.row(slot);
                found.answers[row].push(std::mem::take(&mut best[slot as usize]));
                if word_index < TRACKED_WORDS {
                    found.reached_by[row] |= 1 << word_index;
                }
            }
        }
        let readings = self.readings(&words, &neighbours, open.as_deref());
        for slot in readings.iter().flat_map(Reading::answered) {
            found.row(slot);
        }
        let typed: Vec<Vec<char>> = words
            .iter()
            .map(|forms| {
                forms
                    .first()
                    .map(|w| w.chars().collect())
                    .unwrap_or_default()
            })
            .collect();
        let mut touched = std::mem::take(&mut found.touched);
        if words.is_empty() {
            for birth in &births {
                for year in birth.year - 1..=birth.year + 1 {
                    touched.extend(self.by_year.get(&year).into_iter().flatten());
                }
            }
            touched.sort_unstable();
            touched.dedup();
        }
        let mut scored: Vec<Scored> = touched
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
                let (names, words_matched, reading, reached) = match found.of(slot) {
                    Some((answers, reached)) => {
                        let (names, matched, reading) =
                            best_reading(answers, reached, slot, &readings);
                        let replaced = reading.map_or(0, |r| readings[r].replaces);
                        (names, matched, reading, reached | replaced)
                    }
                    None => (0.0, 0, None, 0),
                };
                if words.is_empty() && birth == 0.0 {
                    return None;
                }
                Some(Scored {
                    slot,
                    score: names + birth,
                    words_matched: words_matched.min(u32::try_from(words.len()).unwrap_or(0)),
                    reached,
                    reading,
                })
            })
            .collect();
        let limit = query.limit.max(1);
        if words.len() > 1 {
            // A far match adds at most FAR_TOP for each word that did not reach the record: a
            // record that far below the limit-th best without it cannot be among the answers,
            // so only the others are looked at.
            let floor = if scored.len() > limit {
                let mut scores: Vec<f32> = scored.iter().map(|s| s.score).collect();
                let (_, kth, _) = scores.select_nth_unstable_by(limit - 1, |a, b| b.total_cmp(a));
                *kth
            } else {
                f32::MIN
            };
            for s in &mut scored {
                let Some((answers, typed_reached)) = found.of(s.slot) else {
                    continue;
                };
                let most: f32 = weights
                    .iter()
                    .take(TRACKED_WORDS)
                    .enumerate()
                    .filter(|(index, _)| s.reached & (1 << index) == 0)
                    .map(|(_, weight)| FAR_TOP * weight)
                    .sum();
                if most > 0.0 && s.score + most >= floor {
                    let entry = &self.entries[s.slot as usize];
                    let read = s
                        .reading
                        .and_then(|r| readings[r].substitute(answers, typed_reached, s.slot));
                    let taken = read.as_deref().unwrap_or(answers);
                    s.score += self.far_matches(entry, &typed, &weights, s.reached, taken);
                }
            }
        }
        let mut hits: Vec<(Hit, i64)> = scored
            .into_iter()
            .map(|s| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let score = (s.score * 1000.0).round() as u32;
                let entry = &self.entries[s.slot as usize];
                let hit = Hit {
                    id: entry.id,
                    score: score.max(1),
                    words_matched: s.words_matched,
                    words: u32::try_from(words.len()).unwrap_or(u32::MAX),
                };
                (hit, entry.last_changed)
            })
            .collect();
        // Equal scores: the record changed last first, then by id (the same order every time).
        let order = |(a, a_changed): &(Hit, i64), (b, b_changed): &(Hit, i64)| {
            b.score
                .cmp(&a.score)
                .then(b_changed.cmp(a_changed))
                .then(a.id.cmp(&b.id))
        };
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, order);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(order);
        hits.into_iter().map(|(hit, _)| hit).collect()
    }

    /// What the query words that reached none of this record's names add as far matches to
    /// the names the other words did not take (`reached`: a bit per word that did reach it).
    fn far_matches(
        &self,
        entry: &Entry,
        typed: &[Vec<char>],
        weights: &[f32],
        reached: u64,
        answers: &[BestTwo],
    ) -> f32 {
        let mut sum = 0.0;
        for (index, (word, weight)) in typed.iter().zip(weights).enumerate().take(TRACKED_WORDS) {
            if reached & (1 << index) != 0 || word.len() < 3 {
                continue;
            }
            let closest = entry
                .tokens
                .iter()
                .filter(|token| !answers.iter().any(|a| a.first_token() == **token))
                .map(|&token| far_similarity(word, &self.tokens[token as usize].chars))
                .fold(0.0, f64::max);
            if closest > FAR_FLOOR {
                #[allow(clippy::cast_possible_truncation)]
                let share = ((closest - FAR_FLOOR) / (1.0 - FAR_FLOOR)) as f32;
                sum += FAR_TOP * share * weight;
            }
        }
        sum
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

    /// The indexed names that start with `start` (itself included), with their tokens.
    fn names_starting<'a>(&'a self, start: &'a str) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        self.by_folded
            .range::<str, _>((std::ops::Bound::Included(start), std::ops::Bound::Unbounded))
            .take_while(move |(name, _)| name.starts_with(start))
            .map(|(name, &token)| (name.as_str(), token))
    }

    /// Every token the query word reaches, with how well (best per token); `typing`: the word
    /// is the one being typed (the last, with no space after it), so it may be a name's start;
    /// `slips`: also names within typing slips of it (a scan of every distinct name).
    fn match_word(&self, forms: &[String], typing: bool, slips: bool) -> HashMap<u32, f32> {
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
            for (folded, token) in self.names_starting(word) {
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
                _ if !slips => continue,
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
                let (whole, prefix) = osa_whole_and_prefix(&query, &token.chars, allowed);
                let score = match whole {
                    Some(0) => continue,
                    Some(1) => ONE_SLIP,
                    Some(_) => TWO_SLIPS,
                    None => match prefix {
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

#[cfg(test)]
mod tests;

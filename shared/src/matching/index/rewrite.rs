//! One name split by a stray space, or written as one word where the record has two: the query
//! read another way. "isabe lla" is Isabella (two query words, one name); "maryann" is Mary Ann
//! (one query word, two names). Each other reading replaces some query words by the names it
//! reaches; a record scores by the better reading, so a reading never hides what the words as
//! typed found.

use std::collections::HashMap;

use super::{EXACT, PREFIX, SearchIndex};
use crate::matching::pairing::{BestTwo, one_name_per_word};

/// Two typed words that are one name count as both words, a little below both matched as typed
/// ("al ex" finds Al Exley before Alex, "ever ett" Everett before Everton).
const JOINED: f32 = 0.9;
/// A typed word that is two of a record's names counts as one word, below a known spelling of
/// the whole ("maryann" finds Maryann, then Mary Ann, then Maryanne).
const SPLIT: f32 = 0.9;
/// Places a long word is tried split at (its pieces must both be names in the index).
const MOST_SPLITS_PER_WORD: usize = 3;

/// Another reading of some query words.
pub(super) struct Reading {
    /// The query words it reads another way (bit per word).
    pub(super) replaces: u64,
    /// Per record (slot), the answers of each word it reads instead; a record takes this
    /// reading only when every one of them answered it.
    pub(super) parts: Vec<HashMap<u32, BestTwo>>,
}

impl Reading {
    /// How many more query words this reading answers than it has parts (a join answers two
    /// words with one name; a split, one word with two names).
    #[allow(clippy::cast_possible_wrap, clippy::cast_possible_truncation)]
    fn words_beyond_parts(&self) -> i32 {
        self.replaces.count_ones() as i32 - self.parts.len() as i32
    }

    /// The records every part of this reading answered (the only ones it can score).
    pub(super) fn answered(&self) -> impl Iterator<Item = u32> + '_ {
        let (first, rest) = self
            .parts
            .split_first()
            .map_or((None, &[][..]), |(f, r)| (Some(f), r));
        first
            .into_iter()
            .flat_map(HashMap::keys)
            .copied()
            .filter(move |slot| rest.iter().all(|part| part.contains_key(slot)))
    }

    fn answers(&self, slot: u32) -> Option<Vec<BestTwo>> {
        self.parts
            .iter()
            .map(|part| part.get(&slot).copied())
            .collect()
    }

    /// `found` (the words as typed that reached the record, in word order, `reached` a bit per
    /// word) with this reading's words in place of the ones it replaces; `None` when a part of
    /// the reading did not answer the record.
    pub(super) fn substitute(
        &self,
        found: &[BestTwo],
        reached: u64,
        slot: u32,
    ) -> Option<Vec<BestTwo>> {
        let parts = self.answers(slot)?;
        let mut words = (0..64).filter(|word| reached & (1u64 << word) != 0);
        let mut read: Vec<BestTwo> = found
            .iter()
            .filter(|_| {
                words
                    .next()
                    .is_some_and(|w| self.replaces & (1u64 << w) == 0)
            })
            .copied()
            .collect();
        read.extend(parts);
        Some(read)
    }
}

/// A record's score, how many query words it answered, and which reading gave them.
pub(super) fn best_reading(
    found: &[BestTwo],
    reached: u64,
    slot: u32,
    readings: &[Reading],
) -> (f32, u32, Option<usize>) {
    let (mut score, mut matched) = one_name_per_word(found);
    let mut chosen = None;
    for (index, reading) in readings.iter().enumerate() {
        let Some(read) = reading.substitute(found, reached, slot) else {
            continue;
        };
        let (other, answered) = one_name_per_word(&read);
        if other > score {
            score = other;
            #[allow(clippy::cast_sign_loss)]
            let words =
                (i64::from(answered) + i64::from(reading.words_beyond_parts())).max(0) as u32;
            matched = words;
            chosen = Some(index);
        }
    }
    (score, matched, chosen)
}

impl SearchIndex {
    /// The other readings of the query: neighbouring words joined, long words split in two.
    /// `open`: the word still being typed (it may be a name's start).
    pub(super) fn readings(
        &self,
        words: &[Vec<String>],
        neighbours: &[(usize, usize)],
        open: Option<&str>,
    ) -> Vec<Reading> {
        let typing = |word: &str| open == Some(word);
        let mut readings = Vec::new();
        for &(first, second) in neighbours {
            let (Some(a), Some(b)) = (words[first].first(), words[second].first()) else {
                continue;
            };
            let joined = format!("{a}{b}");
            let reached = self.match_word(std::slice::from_ref(&joined), typing(b), false);
            if reached.is_empty() {
                continue;
            }
            let said = self.word_weight(&reached) * 2.0 * JOINED;
            readings.push(Reading {
                replaces: (1 << first) | (1 << second),
                parts: vec![self.answers_of(&reached, said)],
            });
        }
        for (index, forms) in words.iter().enumerate() {
            let [word] = forms.as_slice() else { continue };
            readings.extend(
                self.splits(word, typing(word))
                    .take(MOST_SPLITS_PER_WORD)
                    .map(|pieces| {
                        // Both names narrow more than either: the rarer one says how much.
                        let said = pieces
                            .iter()
                            .map(|piece| self.word_weight(piece))
                            .fold(0.0, f32::max);
                        Reading {
                            replaces: 1 << index,
                            parts: pieces
                                .iter()
                                .map(|piece| self.answers_of(piece, said * 0.5 * SPLIT))
                                .collect(),
                        }
                    }),
            );
        }
        readings
    }

    /// Where `word` reads as two names of the index: the first exactly, the second exactly or,
    /// for the word being typed, as the start of a name.
    fn splits<'a>(
        &'a self,
        word: &'a str,
        typing: bool,
    ) -> impl Iterator<Item = [HashMap<u32, f32>; 2]> + 'a {
        word.char_indices()
            .map(|(at, _)| at)
            .filter(move |&at| at >= 2 && word.len() - at >= 2)
            .filter_map(move |at| {
                let (head, tail) = word.split_at(at);
                let first = *self.by_folded.get(head)?;
                let second: HashMap<u32, f32> = if typing {
                    self.names_starting(tail)
                        .map(|(name, token)| (token, if name == tail { EXACT } else { PREFIX }))
                        .collect()
                } else {
                    self.by_folded
                        .get(tail)
                        .map(|&token| (token, EXACT))
                        .into_iter()
                        .collect()
                };
                (!second.is_empty()).then(|| [HashMap::from([(first, EXACT)]), second])
            })
    }

    /// Each record the tokens reach, with its two best (token, score × `said`).
    fn answers_of(&self, reached: &HashMap<u32, f32>, said: f32) -> HashMap<u32, BestTwo> {
        let mut answers: HashMap<u32, BestTwo> = HashMap::new();
        for (&token, &score) in reached {
            for &slot in &self.tokens[token as usize].slots {
                answers.entry(slot).or_default().offer(token, score * said);
            }
        }
        answers
    }
}

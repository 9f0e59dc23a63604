//! One name of a record answers one query word: each word keeps its two best names per record,
//! and the words are paired so that no name counts twice ("Mary Mar" must not count Mardon for
//! both words).

/// A query word's two best names in one record (token, weight), to choose from when another
/// word of the query wants the same name.
#[derive(Clone, Copy, Default)]
pub(super) struct BestTwo {
    first: (u32, f32),
    second: (u32, f32),
}

impl BestTwo {
    pub(super) fn is_empty(&self) -> bool {
        self.first.1 == 0.0
    }

    /// The name this word would take first.
    pub(super) fn first_token(&self) -> u32 {
        self.first.0
    }

    pub(super) fn offer(&mut self, token: u32, weight: f32) {
        if weight > self.first.1 {
            self.second = self.first;
            self.first = (token, weight);
        } else if weight > self.second.1 {
            self.second = (token, weight);
        }
    }
}

/// Most query words considered together for one record; further words take their best name
/// left over, in order.
const WORDS_PAIRED_EXACTLY: usize = 6;

/// A record's score over the query words that reached it, each word answered by a different
/// name of the record (a word may go unanswered), and how many words were answered.
pub(super) fn one_name_per_word(words: &[BestTwo]) -> (f32, u32) {
    let firsts_distinct = words
        .iter()
        .enumerate()
        .all(|(i, w)| words[..i].iter().all(|v| v.first.0 != w.first.0));
    if firsts_distinct {
        #[allow(clippy::cast_possible_truncation)]
        return (words.iter().map(|w| w.first.1).sum(), words.len() as u32);
    }
    let (exact, rest) = words.split_at(words.len().min(WORDS_PAIRED_EXACTLY));
    let mut used = Vec::with_capacity(words.len());
    let (mut sum, mut count) = best_pairing(exact, &mut used);
    used.clear();
    for word in exact {
        used.push(word.first.0);
        used.push(word.second.0);
    }
    for word in rest {
        for (token, weight) in [word.first, word.second] {
            if weight > 0.0 && !used.contains(&token) {
                used.push(token);
                sum += weight;
                count += 1;
                break;
            }
        }
    }
    (sum, count)
}

/// The best sum over words, each taking its first or second name or none, no name twice.
fn best_pairing(words: &[BestTwo], used: &mut Vec<u32>) -> (f32, u32) {
    let Some((word, rest)) = words.split_first() else {
        return (0.0, 0);
    };
    let mut best = best_pairing(rest, used);
    for (token, weight) in [word.first, word.second] {
        if weight == 0.0 || used.contains(&token) {
            continue;
        }
        used.push(token);
        let (sum, count) = best_pairing(rest, used);
        used.pop();
        if sum + weight > best.0 {
            best = (sum + weight, count + 1);
        }
    }
    best
}

//! Mailing addresses as different desks write them: words in another order, a postcode or a
//! province added on one side, a slip in a street name, two words run together
//! ("edmundsplace") or one split ("laurelb ank"), a postcode's digits swapped.

use crate::matching::names::osa_distance;
use crate::text::fold;

/// Words past this many are not compared (an address is a line or two, not a letter).
const MAX_WORDS: usize = 24;

/// A folded word with what rules most comparisons out cheaply.
#[derive(Clone, Debug)]
struct Word {
    chars: Vec<char>,
    /// Which letters and digits it holds (bit per `a`–`z`, `0`–`9`, one for anything else).
    present: u64,
    number: bool,
    /// Tells most different words apart in one comparison.
    hash: u64,
}

fn slot(c: char) -> u32 {
    match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        _ => 36,
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over `chars`, continuing from `hash` (so a joined word's hash follows from its
/// first word's).
fn hash_more(hash: u64, chars: &[char]) -> u64 {
    chars.iter().fold(hash, |hash, &c| {
        (hash ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Word {
    fn new(chars: Vec<char>) -> Self {
        Self {
            present: chars.iter().fold(0, |bits, &c| bits | 1 << slot(c)),
            number: chars.iter().any(char::is_ascii_digit),
            hash: hash_more(FNV_OFFSET, &chars),
            chars,
        }
    }

    /// This word and the next written as one, in `buffer`'s allocation.
    fn joined(&self, next: &Self, mut buffer: Vec<char>) -> Self {
        buffer.clear();
        buffer.extend_from_slice(&self.chars);
        buffer.extend_from_slice(&next.chars);
        Self {
            chars: buffer,
            present: self.present | next.present,
            number: self.number || next.number,
            hash: hash_more(self.hash, &next.chars),
        }
    }
}

/// Parts of an address for blocking.
pub(crate) struct BlockingParts<'a> {
    /// The house number with the first three letters of either of the next two words (a slip
    /// or a split in one still leaves the other).
    pub(crate) houses: Vec<(&'a [char], &'a [char])>,
    /// The last number of four or more characters.
    pub(crate) postcode: Option<&'a [char]>,
}

/// An address's folded words, in written order, each once.
#[derive(Clone, Debug, Default)]
pub(crate) struct AddressWords {
    words: Vec<Word>,
    /// Letters and digits in all.
    letters: usize,
    /// Whether any word holds a digit (a house, a box, a postcode).
    numbered: bool,
}

impl AddressWords {
    pub(crate) fn new(address: Option<&str>) -> Self {
        let mut words: Vec<Word> = Vec::new();
        for word in address.map(fold).unwrap_or_default().split(' ') {
            let chars: Vec<char> = word.chars().collect();
            if !chars.is_empty() && !words.iter().any(|w| w.chars == chars) {
                if words.len() == MAX_WORDS {
                    break;
                }
                words.push(Word::new(chars));
            }
        }
        Self {
            letters: words.iter().map(|w| w.chars.len()).sum(),
            numbered: words.iter().any(|w| w.number),
            words,
        }
    }

    /// What two writings of one address most likely share, for blocking.
    pub(crate) fn blocking_parts(&self) -> BlockingParts<'_> {
        let mut houses = Vec::new();
        if let Some(at) = self.words.iter().position(|w| w.number) {
            let house = &self.words[at].chars[..];
            for next in self.words[at + 1..]
                .iter()
                .filter(|w| !w.number && w.chars.len() >= 3)
                .take(2)
            {
                houses.push((house, &next.chars[..3]));
            }
        }
        let postcode = self
            .words
            .iter()
            .rev()
            .find(|w| w.number && w.chars.len() >= 4)
            .map(|w| &w.chars[..]);
        BlockingParts { houses, postcode }
    }

    fn letters_in(&self, mask: u32) -> usize {
        (0..self.words.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| self.words[i].chars.len())
            .sum()
    }
}

/// Whether a word of `len` letters holding `present` could be `y` written another way (the
/// cheap part of [`same_word`]: most pairs of two addresses' words stop here).
fn could_be_same(len: usize, present: u64, number: bool, y: &Word) -> bool {
    if number || y.number {
        return len >= 4 && len == y.chars.len() && present == y.present;
    }
    let allowed = slips_allowed(len.min(y.chars.len()));
    // An edit adds or removes at most one kind of letter on either side.
    allowed > 0
        && len.abs_diff(y.chars.len()) <= allowed
        && (present ^ y.present).count_ones() as usize <= 2 * allowed
}

fn slips_allowed(shorter: usize) -> usize {
    match shorter {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// One word written two ways (not the same letters: the exact pass paired those): for a word of
/// 5+ letters one slip (two for 8+).
/// A number must be the same, except that a long one (a postcode, a box) may have two
/// neighbouring digits swapped; a house number with another digit is another house.
fn same_word(x: &Word, y: &Word) -> bool {
    if !could_be_same(x.chars.len(), x.present, x.number, y) {
        return false;
    }
    let (a, b) = (&x.chars, &y.chars);
    if x.number || y.number {
        return neighbours_swapped(a, b);
    }
    osa_distance(a, b, slips_allowed(a.len().min(b.len()))).is_some()
}

/// Two words of one length that differ only by two neighbouring characters swapped.
fn neighbours_swapped(a: &[char], b: &[char]) -> bool {
    let mut differing = (0..a.len().min(b.len())).filter(|&i| a[i] != b[i]);
    a.len() == b.len()
        && matches!(
            (differing.next(), differing.next(), differing.next()),
            (Some(i), Some(j), None) if j == i + 1 && a[i] == b[j] && a[j] == b[i]
        )
}

/// [`same_word`] for a word that may also be written exactly so (a run of two words joined).
fn same_or_slipped(x: &Word, y: &Word) -> bool {
    x.chars == y.chars || same_word(x, y)
}

/// Which words of each side found their counterpart (a bit per word).
#[derive(Default)]
struct Alignment {
    matched_a: u32,
    matched_b: u32,
    /// Pairs of counterparts found (a joined pair counts once).
    groups: usize,
}

impl Alignment {
    /// Pairs each unmatched word of `a` with the first unmatched word of `b` that `same`
    /// accepts.
    fn pair_words(&mut self, a: &[Word], b: &[Word], same: impl Fn(&Word, &Word) -> bool) {
        for (i, x) in a.iter().enumerate() {
            if self.matched_a & (1 << i) != 0 {
                continue;
            }
            let counterpart =
                (0..b.len()).find(|&j| self.matched_b & (1 << j) == 0 && same(x, &b[j]));
            if let Some(j) = counterpart {
                self.matched_a |= 1 << i;
                self.matched_b |= 1 << j;
                self.groups += 1;
            }
        }
    }

    /// The level so far (see [`compare_addresses`]).
    fn level(&self, a: &AddressWords, b: &AddressWords) -> u8 {
        if self.groups < 2 {
            return 3;
        }
        #[allow(clippy::cast_precision_loss)]
        let share = |side: &AddressWords, mask: u32| {
            side.letters_in(mask) as f64 / side.letters.max(1) as f64
        };
        let covered = share(a, self.matched_a).max(share(b, self.matched_b));
        let number_in_common =
            (0..a.words.len()).any(|i| a.words[i].number && self.matched_a & (1 << i) != 0);
        let numbers_agree = !a.numbered || !b.numbered || number_in_common;
        if covered >= 2.0 / 3.0 && numbers_agree {
            1
        } else if covered >= 1.0 / 3.0 {
            2
        } else {
            3
        }
    }
}

/// Two unmatched neighbouring words of `runs` written as one unmatched word of `words`; how
/// many such were found.
fn join_runs(
    runs: &[Word],
    words: &[Word],
    runs_matched: &mut u32,
    words_matched: &mut u32,
    joined: &mut Vec<char>,
) -> usize {
    let mut found = 0;
    for i in 1..runs.len() {
        let pair = (1u32 << (i - 1)) | (1u32 << i);
        if *runs_matched & pair != 0 {
            continue;
        }
        let (first, second) = (&runs[i - 1], &runs[i]);
        let (len, present, number) = (
            first.chars.len() + second.chars.len(),
            first.present | second.present,
            first.number || second.number,
        );
        let unmatched_and_plausible = |j: usize| {
            *words_matched & (1u32 << j) == 0
                && (len == words[j].chars.len() || could_be_same(len, present, number, &words[j]))
        };
        if !(0..words.len()).any(unmatched_and_plausible) {
            continue;
        }
        let run = first.joined(second, std::mem::take(joined));
        let counterpart = (0..words.len())
            .find(|&j| unmatched_and_plausible(j) && same_or_slipped(&run, &words[j]));
        *joined = run.chars;
        if let Some(j) = counterpart {
            *runs_matched |= pair;
            *words_matched |= 1u32 << j;
            found += 1;
        }
    }
    found
}

/// The level of two addresses (index into the field's levels): the same words in any order (0);
/// mostly the same — two thirds of the letters of one side found on the other, at least two
/// words, and, when both carry numbers, one number in common (1); some words in common — the
/// same street or town, at least two words and a third of the letters, but perhaps not the same
/// house (2); or different (3). `None` when a side has none.
///
/// Words are paired exactly first, then with slips, then two neighbouring words of one side run
/// together against one of the other; each stage runs only when the level can still improve.
pub(crate) fn compare_addresses(a: &AddressWords, b: &AddressWords) -> Option<u8> {
    if a.words.is_empty() || b.words.is_empty() {
        return None;
    }
    let mut found = Alignment::default();
    found.pair_words(&a.words, &b.words, |x, y| {
        x.hash == y.hash && x.chars == y.chars
    });
    if found.groups == a.words.len() && a.words.len() == b.words.len() {
        return Some(0);
    }
    found.pair_words(&a.words, &b.words, same_word);
    let level = found.level(a, b);
    if level == 1 {
        return Some(1);
    }
    let mut joined = Vec::new();
    let (mut matched_a, mut matched_b) = (found.matched_a, found.matched_b);
    let more = join_runs(
        &a.words,
        &b.words,
        &mut matched_a,
        &mut matched_b,
        &mut joined,
    ) + join_runs(
        &b.words,
        &a.words,
        &mut matched_b,
        &mut matched_a,
        &mut joined,
    );
    if more == 0 {
        return Some(level);
    }
    found.matched_a = matched_a;
    found.matched_b = matched_b;
    found.groups += more;
    Some(found.level(a, b))
}

#[cfg(test)]
mod tests {
    use super::{AddressWords, compare_addresses};

    fn level(a: &str, b: &str) -> Option<u8> {
        compare_addresses(&AddressWords::new(Some(a)), &AddressWords::new(Some(b)))
    }

    #[test]
    fn one_address_written_two_ways_agrees_and_a_neighbour_does_not() {
        assert_eq!(level("12 Main St, Iqaluit", "iqaluit  12 MAIN ST"), Some(0));
        assert_eq!(
            level("12 Main Street Iqaluit", "12 Mian Street Iqaluit"),
            Some(1)
        );
        assert_eq!(
            level("12 Main St Iqaluit", "12 Main St Iqaluit X0A 0H0"),
            Some(1)
        );
        assert_eq!(
            level("Box 214, Pangnirtung NU X0A 0R0", "PO Box 214 Pangnirtung"),
            Some(1)
        );
        // The same street, another house: some words in common, not the same address.
        assert_eq!(level("12 Main St Iqaluit", "14 Main St Iqaluit"), Some(2));
        assert_eq!(
            level("Box 42 Pangnirtung", "General Delivery Arviat"),
            Some(3)
        );
        // A town name alone says little.
        assert_eq!(level("Iqaluit", "Box 5 Iqaluit"), Some(3));
        assert_eq!(
            compare_addresses(&AddressWords::new(None), &AddressWords::new(Some("1 Rue"))),
            None
        );
        assert_eq!(level(" , ", "1 Rue Principale"), None);
    }

    #[test]
    fn words_run_together_or_split_and_swapped_postcode_digits_are_one_address() {
        assert_eq!(
            level(
                "121 Edmund Place Severnlea NSW 5417",
                "121 edmundplace severnlea nsw 5417"
            ),
            Some(1)
        );
        assert_eq!(
            level("74 Laurelb ank Mill Park", "74 Laurelbank Mill Park"),
            Some(1)
        );
        assert_eq!(
            level(
                "8 Eddy Crescent Noble Park WA 6076",
                "Eddy Crescent Noble Park WA 0676"
            ),
            Some(1)
        );
        // A house number is not a postcode: 12 and 21 are two houses.
        assert_eq!(level("12 Main St Iqaluit", "21 Main St Iqaluit"), Some(2));
    }
}

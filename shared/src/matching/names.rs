//! Comparing one name word with another: exact, a known variant (nickname, French/English
//! form, Inuktitut adaptation), the same *spelling key* (roman spellings of one spoken name),
//! or close in edit distance / Jaro-Winkler. Used by the search index and the person matcher
//! alike, so that "possible existing client", find and office dedup agree on what is similar.
//!
//! The spelling key folds the ways one spoken name is written in roman letters. Inuktitut and
//! Cree roman orthographies vary by decade, agency and community (Ooleepeeka / Ulipika /
//! Oleepika, Qaqqasiq / Kakasik, Elisapee / Ilisapi), and English and French spellings vary in
//! the same places (Katherine / Catherine, Sarah / Sara, Marie / Mary): vowels of one quality,
//! doubled letters, `q`/`k`/`c`, `b`/`p`, `d`/`t`, silent `h` and final `e`.

use super::nicknames;

/// How one name word relates to another, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameLevel {
    /// Same folded spelling.
    Exact,
    /// Known to be the same name: nickname or language variant, or the same spelling key.
    Variant,
    /// One typing slip (edit or transposition) or Jaro-Winkler ≥ 0.92 on spelling keys.
    Close,
    /// Jaro-Winkler ≥ 0.84 on spelling keys, or one is the start of the other (`Chris`).
    Similar,
    /// Nothing in common.
    Different,
}

/// A name word prepared once for many comparisons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameWord {
    /// Folded (see [`crate::text::fold`]); syllabics already transliterated.
    pub folded: String,
    /// Spelling key (see the module documentation).
    pub key: String,
    folded_chars: Vec<char>,
    key_chars: Vec<char>,
}

impl NameWord {
    /// Prepares a folded word.
    #[must_use]
    pub fn new(folded: &str) -> Self {
        let key = spelling_key(folded);
        Self {
            folded_chars: folded.chars().collect(),
            key_chars: key.chars().collect(),
            folded: folded.to_owned(),
            key,
        }
    }

    /// How this word relates to `other`.
    #[must_use]
    pub fn compare(&self, other: &Self) -> NameLevel {
        if self.folded == other.folded {
            return NameLevel::Exact;
        }
        if self.key == other.key || nicknames::same_name(&self.folded, &other.folded) {
            return NameLevel::Variant;
        }
        let slip = osa_distance(&self.folded_chars, &other.folded_chars, 1).is_some()
            || osa_distance(&self.key_chars, &other.key_chars, 1).is_some();
        let shorter = self.key_chars.len().min(other.key_chars.len());
        if slip && shorter >= 3 {
            return NameLevel::Close;
        }
        let similarity = jaro_winkler(&self.key_chars, &other.key_chars);
        if similarity >= 0.92 && shorter >= 3 {
            return NameLevel::Close;
        }
        let starts = shorter >= 3
            && (self.folded.starts_with(&other.folded) || other.folded.starts_with(&self.folded));
        if similarity >= 0.84 || starts || slip {
            return NameLevel::Similar;
        }
        NameLevel::Different
    }
}

/// The best level between any word of `a` and any word of `b`; `None` when either is empty.
#[must_use]
pub fn compare_sets(a: &[NameWord], b: &[NameWord]) -> Option<NameLevel> {
    let mut best: Option<NameLevel> = None;
    for x in a {
        for y in b {
            let level = x.compare(y);
            best = Some(best.map_or(level, |b| b.min(level)));
            if level == NameLevel::Exact {
                return best;
            }
        }
    }
    best
}

/// The spelling key of a folded roman word (see the module documentation). Words in other
/// scripts pass through unchanged.
#[must_use]
pub fn spelling_key(folded: &str) -> String {
    let word: Vec<char> = folded.chars().collect();
    let mut mapped: Vec<char> = Vec::with_capacity(word.len() + 2);
    let last = word.len().saturating_sub(1);
    let mut i = 0;
    while i < word.len() {
        let c = word[i];
        let next = word.get(i + 1).copied();
        let at_end = i == last;
        match (c, next) {
            ('p', Some('h')) => {
                mapped.push('f');
                i += 1;
            }
            ('c' | 's', Some('h')) => {
                mapped.push('x');
                i += 1;
            }
            // Nowdla / Naudla, Towkee / Tauki, Powta / Pauta.
            ('o', Some('w'))
                if word
                    .get(i + 2)
                    .is_none_or(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')) =>
            {
                mapped.extend(['a', 'u']);
                i += 1;
            }
            ('c', Some('k')) => {
                mapped.push('k');
                i += 1;
            }
            ('c', Some('e' | 'i' | 'y')) => mapped.push('s'),
            ('c' | 'q', _) => mapped.push('k'),
            ('x', _) => mapped.extend(['k', 's']),
            ('z', _) => mapped.push('s'),
            ('b', _) => mapped.push('p'),
            ('d', _) => mapped.push('t'),
            ('h', _) if i > 0 => {}
            ('e', _) if at_end && word.len() > 3 => {}
            ('e', _) => mapped.push('i'),
            ('o', _) => mapped.push('u'),
            ('y', Some('a' | 'e' | 'i' | 'o' | 'u')) => mapped.push('j'),
            ('y', _) => mapped.push('i'),
            ('w', Some('a' | 'e' | 'i' | 'o' | 'u')) if i == 0 => mapped.push('w'),
            _ => mapped.push(c),
        }
        i += 1;
    }
    mapped.dedup();
    mapped.into_iter().collect()
}

/// Optimal-string-alignment distance (a transposition is one edit), if at most `allowed`.
#[must_use]
pub fn osa_distance(a: &[char], b: &[char], allowed: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > allowed {
        return None;
    }
    let distance = osa_last_row(a, b, allowed, |row| row[b.len()])?;
    (distance <= allowed).then_some(distance)
}

/// The smallest OSA distance between `query` and any prefix of `token` (a name typed so far,
/// with slips), if at most `allowed`.
#[must_use]
pub fn prefix_osa_distance(query: &[char], token: &[char], allowed: usize) -> Option<usize> {
    osa_whole_and_prefix(query, token, allowed).1
}

/// [`osa_distance`] and [`prefix_osa_distance`] from one table: the search asks for the
/// second only when the first is too far, for every indexed word it scans.
#[must_use]
pub fn osa_whole_and_prefix(
    query: &[char],
    token: &[char],
    allowed: usize,
) -> (Option<usize>, Option<usize>) {
    let Some((whole, prefix)) = osa_last_row(query, token, allowed, |row| {
        (
            row[token.len()],
            row.iter().copied().min().unwrap_or(usize::MAX),
        )
    }) else {
        return (None, None);
    };
    (
        (whole <= allowed).then_some(whole),
        (prefix <= allowed).then_some(prefix),
    )
}

/// Words up to this long keep the OSA table's rows on the stack: the comparison runs for
/// every candidate pair of a dedup and every indexed word a search touches.
const STACK_ROW: usize = 33;

/// `finish` applied to the last row of the OSA table of `a` against `b` (entry `j`: distance
/// from `a` to `b[..j]`), or `None` as soon as a row exceeds `allowed` everywhere.
///
/// Only the band `|i - j| <= allowed` is computed: the distance between `a[..i]` and `b[..j]`
/// is at least `|i - j|`, so a cell outside it cannot lead to one within `allowed`. Cells
/// outside read as `allowed + 1`; every entry of the row `finish` sees is exact where it is at
/// most `allowed` and above `allowed` otherwise.
fn osa_last_row<R>(
    a: &[char],
    b: &[char],
    allowed: usize,
    finish: impl FnOnce(&[usize]) -> R,
) -> Option<R> {
    // No distance is larger than the longer word: beyond that `allowed` changes nothing.
    let allowed = allowed.min(a.len().max(b.len()));
    let width = b.len() + 1;
    let far = allowed + 1;
    let mut stack = [0usize; 3 * STACK_ROW];
    let mut heap = Vec::new();
    let rows: &mut [usize] = if width <= STACK_ROW {
        &mut stack[..3 * width]
    } else {
        heap.resize(3 * width, 0);
        &mut heap
    };
    let (mut before, rest) = rows.split_at_mut(width);
    let (mut previous, mut current) = rest.split_at_mut(width);
    for (j, cell) in previous.iter_mut().enumerate() {
        *cell = j.min(far);
    }
    for i in 1..=a.len() {
        let low = i.saturating_sub(allowed);
        let high = (i + allowed).min(width - 1);
        if low > high {
            return None;
        }
        // The cells either side of the band hold whatever an older row left there (or
        // nothing yet); the next row reads them.
        if low > 0 {
            current[low - 1] = far;
        } else {
            current[0] = i;
        }
        if high + 1 < width {
            current[high + 1] = far;
        }
        let mut row_min = if low == 0 { i } else { far };
        for j in low.max(1)..=high {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j - 1] + cost)
                .min(previous[j] + 1)
                .min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best.min(far);
            row_min = row_min.min(best);
        }
        if row_min > allowed {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    // The last row outside its band: left over from older rows.
    let low = a.len().saturating_sub(allowed);
    let high = (a.len() + allowed).min(width - 1);
    for (j, cell) in previous.iter_mut().enumerate() {
        if j < low || j > high {
            *cell = far;
        }
    }
    Some(finish(previous))
}

/// Jaro-Winkler similarity in `0.0..=1.0` (prefix scale 0.1, up to 4 letters).
#[must_use]
pub fn jaro_winkler(a: &[char], b: &[char]) -> f64 {
    let jaro = jaro(a, b);
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    #[allow(clippy::cast_precision_loss)]
    let boost = prefix as f64 * 0.1 * (1.0 - jaro);
    jaro + boost
}

#[allow(clippy::cast_precision_loss)]
fn jaro(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = [false; 64];
    let mut a_matched: [char; 64] = ['\0'; 64];
    let (a, b) = (&a[..a.len().min(64)], &b[..b.len().min(64)]);
    let mut matches = 0usize;
    for (i, x) in a.iter().enumerate() {
        let start = i.saturating_sub(window);
        let end = (i + window + 1).min(b.len());
        for j in start..end {
            if !b_used[j] && b[j] == *x {
                b_used[j] = true;
                a_matched[matches] = *x;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (j, y) in b.iter().enumerate() {
        if b_used[j] {
            if a_matched[k] != *y {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64 / 2.0) / m) / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(a: &str, b: &str) -> NameLevel {
        NameWord::new(a).compare(&NameWord::new(b))
    }

    #[test]
    fn roman_spellings_of_one_inuktitut_name_share_a_key() {
        for group in [
            ["ooleepeeka", "ulipika", "oleepika"],
            ["qaqqasiq", "kakasik", "qaqasiq"],
            ["elisapee", "ilisapi", "elisapi"],
            ["nowdla", "naudla", "naudlaa"],
            ["towkee", "tauki", "taukie"],
        ] {
            let key = spelling_key(group[0]);
            for name in group {
                assert_eq!(spelling_key(name), key, "{name}");
            }
        }
        assert_eq!(level("kilabuk", "kilapuk"), NameLevel::Variant);
    }

    #[test]
    fn levels_rank_exact_variant_slip_and_different() {
        assert_eq!(level("annie", "annie"), NameLevel::Exact);
        assert_eq!(level("william", "bill"), NameLevel::Variant);
        assert_eq!(level("jean", "john"), NameLevel::Variant);
        assert_eq!(
            level("kilabuk", "kilbauk"),
            NameLevel::Close,
            "transposition"
        );
        assert_eq!(level("tremblay", "tremblya"), NameLevel::Close);
        assert_eq!(
            level("chris", "christopher"),
            NameLevel::Variant,
            "nickname"
        );
        assert_eq!(
            level("kris", "kristopherson"),
            NameLevel::Similar,
            "start of the name"
        );
        assert_eq!(level("annie", "tremblay"), NameLevel::Different);
    }

    #[test]
    fn osa_counts_a_transposition_as_one_edit() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(osa_distance(&chars("anna"), &chars("anan"), 2), Some(1));
        // Past the rows kept on the stack, the same answers.
        let long = "pangnirtungmeetingplacenumbertwelve";
        let slipped = "pangnirtungmeetnigplacenumbertwelve";
        assert!(long.len() > super::STACK_ROW);
        assert_eq!(osa_distance(&chars(long), &chars(slipped), 1), Some(1));
        assert_eq!(
            prefix_osa_distance(&chars("pangnirtungmeetnigplacenum"), &chars(long), 1),
            Some(1)
        );
        assert_eq!(
            osa_distance(&chars("kilabuk"), &chars("kilbuk"), 1),
            Some(1)
        );
        assert_eq!(osa_distance(&chars("abc"), &chars("xyz"), 1), None);
        assert_eq!(
            prefix_osa_distance(&chars("kilbau"), &chars("kilabuk"), 1),
            Some(1)
        );
    }

    /// The whole OSA table, no band and no early exit: what the banded one must agree with.
    fn plain_osa_row(a: &[char], b: &[char]) -> Vec<usize> {
        let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in table.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in table[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (table[i - 1][j - 1] + cost)
                    .min(table[i - 1][j] + 1)
                    .min(table[i][j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(table[i - 2][j - 2] + 1);
                }
                table[i][j] = best;
            }
        }
        table.pop().unwrap_or_default()
    }

    proptest::proptest! {
        #[test]
        fn the_banded_table_agrees_with_the_whole_one(
            a in "[abkq]{0,12}",
            b in "[abkq]{0,40}",
            allowed in 0usize..5,
        ) {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let row = plain_osa_row(&a, &b);
            let within = |d: usize| (d <= allowed).then_some(d);
            let whole = within(row[b.len()]);
            let prefix = within(row.iter().copied().min().unwrap_or(usize::MAX));
            proptest::prop_assert_eq!(osa_distance(&a, &b, allowed), whole);
            proptest::prop_assert_eq!(prefix_osa_distance(&a, &b, allowed), prefix);
            proptest::prop_assert_eq!(osa_whole_and_prefix(&a, &b, allowed), (whole, prefix));
            proptest::prop_assert_eq!(osa_distance(&a, &b, usize::MAX), Some(row[b.len()]));
        }
    }

    #[test]
    fn jaro_winkler_matches_the_textbook_values() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let jw = jaro_winkler(&chars("martha"), &chars("marhta"));
        assert!((jw - 0.9611).abs() < 0.001, "{jw}");
        let jw = jaro_winkler(&chars("dixon"), &chars("dicksonx"));
        assert!((jw - 0.8133).abs() < 0.001, "{jw}");
    }
}

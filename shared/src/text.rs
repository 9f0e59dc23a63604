//! Folding names for search and matching: any script, accents folded, syllabics transliterated.
//!
//! `fold("Élise O’Brien")` → `"elise obrien"`; `fold_tokens` splits into words. Canadian
//! Aboriginal syllabics are kept as typed *and* transliterated to roman orthography (Inuktitut
//! values; Cree `e`-row added; Cree `o` folds to `u`), so `ᐃᖃᓗᐃᑦ` also matches `iqaluit`.

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

/// Lowercase, accents and apostrophes removed, letters that do not decompose mapped
/// (`ø`→`o`, `ł`→`l`, `ß`→`ss`, `æ`→`ae`), other punctuation turned into spaces, spaces collapsed.
#[must_use]
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkd() {
        if is_combining_mark(c) || matches!(c, '\'' | '’' | 'ʼ' | '`' | '´' | 'ʻ') {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            match c {
                'ø' | 'Ø' => out.push('o'),
                'ł' | 'Ł' => out.push('l'),
                'ß' => out.push_str("ss"),
                'æ' | 'Æ' => out.push_str("ae"),
                'œ' | 'Œ' => out.push_str("oe"),
                'đ' | 'Đ' => out.push('d'),
                _ => out.extend(c.to_lowercase()),
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// The folded words of `text`, plus the roman transliteration of any word in syllabics.
#[must_use]
pub fn fold_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for word in fold(text).split(' ').filter(|w| !w.is_empty()) {
        push_word(&mut tokens, word);
    }
    tokens
}

fn push_word(tokens: &mut Vec<String>, word: &str) {
    if let Some(roman) = transliterate_syllabics(word) {
        tokens.push(roman);
    }
    tokens.push(word.to_owned());
}

/// Names of more words than this are not also read run together (a line pasted as a name would
/// multiply).
const MOST_WORDS_RUN_TOGETHER: usize = 4;

/// [`fold_tokens`] of a name, plus its neighbouring words run together (each run of two or
/// more, in a name of up to four words): one form splits a name with a stray space or writes
/// it in two words where another writes one ("Isabe lla", "Mary Ann" / "Maryann",
/// "Van der Berg" / "Vanderberg").
#[must_use]
pub fn fold_name_tokens(name: &str) -> Vec<String> {
    let folded = fold(name);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut tokens = Vec::new();
    for word in &words {
        push_word(&mut tokens, word);
    }
    if (2..=MOST_WORDS_RUN_TOGETHER).contains(&words.len()) {
        for start in 0..words.len() {
            for end in start + 2..=words.len() {
                push_word(&mut tokens, &words[start..end].concat());
            }
        }
    }
    tokens
}

/// Roman spelling of a word in Canadian Aboriginal syllabics; `None` if it has no syllabics.
#[must_use]
pub fn transliterate_syllabics(word: &str) -> Option<String> {
    if !word.chars().any(is_syllabic) {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match SYLLABICS.binary_search_by_key(&c, |(s, _)| *s) {
            Ok(i) => out.push_str(SYLLABICS[i].1),
            Err(_) if is_syllabic(c) => {}
            Err(_) => out.push(c),
        }
    }
    Some(out)
}

/// Syllabics for a word in roman Inuktitut orthography (`ulipika` → `ᐅᓕᐱᑲ`), longest syllable
/// first; `None` when a letter has no syllabic form. Lets a form offer the syllabic spelling
/// of a name typed in roman letters.
#[must_use]
pub fn syllabify(roman: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = roman;
    while !rest.is_empty() {
        let (syllabic, len) = SYLLABICS
            .iter()
            .filter(|(_, r)| rest.starts_with(r))
            .map(|(s, r)| (*s, r.len()))
            .max_by_key(|(_, len)| *len)?;
        out.push(syllabic);
        rest = &rest[len..];
    }
    Some(out)
}

/// Whether a character is Unified Canadian Aboriginal Syllabics (or its extension).
#[must_use]
pub fn is_syllabic(c: char) -> bool {
    ('\u{1400}'..='\u{167F}').contains(&c) || ('\u{18B0}'..='\u{18FF}').contains(&c)
}

/// Sorted by code point for binary search.
const SYLLABICS: &[(char, &str)] = &[
    ('ᐁ', "e"),
    ('ᐃ', "i"),
    ('ᐄ', "ii"),
    ('ᐅ', "u"),
    ('ᐆ', "uu"),
    ('ᐊ', "a"),
    ('ᐋ', "aa"),
    ('ᐦ', "h"),
    ('ᐯ', "pe"),
    ('ᐱ', "pi"),
    ('ᐲ', "pii"),
    ('ᐳ', "pu"),
    ('ᐴ', "puu"),
    ('ᐸ', "pa"),
    ('ᐹ', "paa"),
    ('ᑉ', "p"),
    ('ᑌ', "te"),
    ('ᑎ', "ti"),
    ('ᑏ', "tii"),
    ('ᑐ', "tu"),
    ('ᑑ', "tuu"),
    ('ᑕ', "ta"),
    ('ᑖ', "taa"),
    ('ᑦ', "t"),
    ('ᑫ', "ke"),
    ('ᑭ', "ki"),
    ('ᑮ', "kii"),
    ('ᑯ', "ku"),
    ('ᑰ', "kuu"),
    ('ᑲ', "ka"),
    ('ᑳ', "kaa"),
    ('ᒃ', "k"),
    ('ᒉ', "ce"),
    ('ᒋ', "gi"),
    ('ᒌ', "gii"),
    ('ᒍ', "gu"),
    ('ᒎ', "guu"),
    ('ᒐ', "ga"),
    ('ᒑ', "gaa"),
    ('ᒡ', "g"),
    ('ᒣ', "me"),
    ('ᒥ', "mi"),
    ('ᒦ', "mii"),
    ('ᒧ', "mu"),
    ('ᒨ', "muu"),
    ('ᒪ', "ma"),
    ('ᒫ', "maa"),
    ('ᒻ', "m"),
    ('ᓀ', "ne"),
    ('ᓂ', "ni"),
    ('ᓃ', "nii"),
    ('ᓄ', "nu"),
    ('ᓅ', "nuu"),
    ('ᓇ', "na"),
    ('ᓈ', "naa"),
    ('ᓐ', "n"),
    ('ᓕ', "li"),
    ('ᓖ', "lii"),
    ('ᓗ', "lu"),
    ('ᓘ', "luu"),
    ('ᓚ', "la"),
    ('ᓛ', "laa"),
    ('ᓪ', "l"),
    ('ᓭ', "se"),
    ('ᓯ', "si"),
    ('ᓰ', "sii"),
    ('ᓱ', "su"),
    ('ᓲ', "suu"),
    ('ᓴ', "sa"),
    ('ᓵ', "saa"),
    ('ᔅ', "s"),
    ('ᔦ', "ye"),
    ('ᔨ', "ji"),
    ('ᔩ', "jii"),
    ('ᔪ', "ju"),
    ('ᔫ', "juu"),
    ('ᔭ', "ja"),
    ('ᔮ', "jaa"),
    ('ᔾ', "j"),
    ('ᕆ', "ri"),
    ('ᕇ', "rii"),
    ('ᕈ', "ru"),
    ('ᕉ', "ruu"),
    ('ᕋ', "ra"),
    ('ᕌ', "raa"),
    ('ᕐ', "r"),
    ('ᕕ', "vi"),
    ('ᕖ', "vii"),
    ('ᕗ', "vu"),
    ('ᕘ', "vuu"),
    ('ᕙ', "va"),
    ('ᕚ', "vaa"),
    ('ᕝ', "v"),
    ('ᕼ', "h"),
    ('ᕿ', "qi"),
    ('ᖀ', "qii"),
    ('ᖁ', "qu"),
    ('ᖂ', "quu"),
    ('ᖃ', "qa"),
    ('ᖄ', "qaa"),
    ('ᖅ', "q"),
    ('ᖏ', "ngi"),
    ('ᖐ', "ngii"),
    ('ᖑ', "ngu"),
    ('ᖒ', "nguu"),
    ('ᖓ', "nga"),
    ('ᖔ', "ngaa"),
    ('ᖕ', "ng"),
    ('ᖠ', "łi"),
    ('ᖡ', "łu"),
    ('ᖢ', "ła"),
    ('ᖦ', "ł"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllabics_table_is_sorted_for_binary_search() {
        assert!(
            SYLLABICS.windows(2).all(|w| w[0].0 < w[1].0),
            "table must be sorted and unique"
        );
    }

    #[test]
    fn accents_case_and_apostrophes_fold() {
        assert_eq!(fold("Élise O’Brien-Tremblay"), "elise obrien tremblay");
        assert_eq!(fold("  Øystein   ŁUKASZ "), "oystein lukasz");
    }

    #[test]
    fn syllabics_transliterate_to_roman() {
        assert_eq!(transliterate_syllabics("ᐃᖃᓗᐃᑦ").as_deref(), Some("iqaluit"));
        assert_eq!(transliterate_syllabics("ᐊᓂ").as_deref(), Some("ani"));
        assert_eq!(transliterate_syllabics("anna"), None);
        assert_eq!(fold_tokens("ᐊᓂ Kilabuk"), vec!["ani", "ᐊᓂ", "kilabuk"]);
        assert_eq!(syllabify("ulipika").as_deref(), Some("ᐅᓕᐱᑲ"));
        assert_eq!(syllabify("iqaluit").as_deref(), Some("ᐃᖃᓗᐃᑦ"));
        assert_eq!(syllabify("ox"), None);
    }

    #[test]
    fn a_names_neighbouring_words_are_also_read_run_together() {
        assert_eq!(fold_name_tokens("Mary-Ann"), vec!["mary", "ann", "maryann"]);
        assert_eq!(
            fold_name_tokens("van der Berg"),
            vec!["van", "der", "berg", "vander", "vanderberg", "derberg"]
        );
        assert_eq!(fold_name_tokens("Isabella"), vec!["isabella"]);
        let pasted = "one two three four five";
        assert_eq!(fold_name_tokens(pasted), fold_tokens(pasted));
    }
}

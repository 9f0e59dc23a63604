//! The passphrase and the policy a new one must meet (threat T6: offline brute force).

use zeroize::Zeroizing;

/// A passphrase in memory: zeroized on drop, redacted from `Debug`.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes ownership of the typed text.
    #[must_use]
    pub fn new(text: String) -> Self {
        Self(Zeroizing::new(text))
    }

    /// The text, for the key derivation function only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// Why a new passphrase is refused. Each has a message id for the UI's translation files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PassphraseProblem {
    /// Fewer than 14 characters and fewer than four words.
    #[error("use at least 14 characters, or four or more words")]
    TooShort,
    /// Mostly one repeated character or a keyboard run.
    #[error("avoid repeated characters and keyboard runs")]
    Repetitive,
    /// A well-known password or phrase.
    #[error("this passphrase is too common")]
    Common,
}

impl PassphraseProblem {
    /// The Fluent message id, e.g. `passphrase-too-short`.
    #[must_use]
    pub fn message_id(self) -> &'static str {
        match self {
            Self::TooShort => "passphrase-too-short",
            Self::Repetitive => "passphrase-repetitive",
            Self::Common => "passphrase-common",
        }
    }
}

/// The minimum length in characters when the passphrase is not four or more words.
pub const MIN_PASSPHRASE_CHARS: usize = 14;

const COMMON: [&str; 16] = [
    "password",
    "passphrase",
    "123456",
    "qwerty",
    "letmein",
    "welcome",
    "iloveyou",
    "admin",
    "monkey",
    "dragon",
    "sunshine",
    "football",
    "princess",
    "correcthorsebatterystaple",
    "serviceCanada",
    "outreach",
];

/// Checks a new passphrase against the policy: at least 14 characters, or four or more words of
/// three or more letters; not mostly one character or a keyboard run; not a common phrase.
pub fn check_passphrase_strength(text: &str) -> Result<(), PassphraseProblem> {
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .count();
    if text.chars().count() < MIN_PASSPHRASE_CHARS && words < 4 {
        return Err(PassphraseProblem::TooShort);
    }
    let squashed: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if COMMON.iter().any(|c| {
        squashed == c.to_lowercase()
            || squashed.trim_end_matches(char::is_numeric) == c.to_lowercase()
    }) {
        return Err(PassphraseProblem::Common);
    }
    let mut distinct: Vec<char> = squashed.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 5 || is_run(&squashed) {
        return Err(PassphraseProblem::Repetitive);
    }
    Ok(())
}

fn is_run(text: &str) -> bool {
    const RUNS: [&str; 3] = [
        "abcdefghijklmnopqrstuvwxyz",
        "0123456789012345678901234567890",
        "qwertyuiopasdfghjklzxcvbnm",
    ];
    RUNS.iter().any(|run| text.len() >= 6 && run.contains(text))
}

/// A rough strength estimate in bits, for the strength meter (not a guarantee).
#[must_use]
pub fn estimated_strength_bits(text: &str) -> u32 {
    let mut pool = 0u32;
    if text.chars().any(|c| c.is_ascii_lowercase()) {
        pool += 26;
    }
    if text.chars().any(|c| c.is_ascii_uppercase()) {
        pool += 26;
    }
    if text.chars().any(|c| c.is_ascii_digit()) {
        pool += 10;
    }
    if text.chars().any(|c| !c.is_ascii_alphanumeric()) {
        pool += 33;
    }
    let length = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
    // log2(pool) * length, in integer arithmetic, capped.
    let bits_per_char = if pool == 0 {
        0
    } else {
        31 - pool.leading_zeros()
    };
    bits_per_char.saturating_mul(length).min(256)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passphrases_are_refused_with_a_reason() {
        assert_eq!(
            check_passphrase_strength("short"),
            Err(PassphraseProblem::TooShort)
        );
        assert_eq!(
            check_passphrase_strength("aaaaaaaaaaaaaaaaaa"),
            Err(PassphraseProblem::Repetitive)
        );
        assert_eq!(
            check_passphrase_strength("Password1234567"),
            Err(PassphraseProblem::Common)
        );
        assert_eq!(
            check_passphrase_strength("abcdefghijklmnop"),
            Err(PassphraseProblem::Repetitive)
        );
    }

    #[test]
    fn long_or_many_word_passphrases_pass() {
        assert!(check_passphrase_strength("kayak tundra lichen ptarmigan").is_ok());
        assert!(check_passphrase_strength("Qikiqtarjuaq-2026!").is_ok());
        assert!(estimated_strength_bits("kayak tundra lichen ptarmigan") > 100);
    }
}

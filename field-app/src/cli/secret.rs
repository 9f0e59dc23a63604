//! Getting the passphrase: `OUTREACH_PASSPHRASE` for automation, otherwise a prompt on the
//! terminal (never echoed, never logged).

use shared::crypto::{Passphrase, check_passphrase_strength};

use super::CliError;

/// The environment variable scripts set instead of typing.
pub(crate) const PASSPHRASE_ENV: &str = "OUTREACH_PASSPHRASE";

/// The passphrase of an existing profile.
pub(crate) fn existing() -> Result<Passphrase, CliError> {
    if let Ok(text) = std::env::var(PASSPHRASE_ENV) {
        return Ok(Passphrase::new(text));
    }
    prompt("Passphrase: ").map(Passphrase::new)
}

/// Asks on the terminal; without one (a script, a service) says how to give it instead.
fn prompt(question: &str) -> Result<String, CliError> {
    rpassword::prompt_password(question).map_err(|e| {
        CliError::Failed(format!(
            "could not read the passphrase from a terminal ({e}); where there is none, set {PASSPHRASE_ENV}"
        ))
    })
}

/// A new passphrase, checked against the policy (and typed twice when prompted).
pub(crate) fn new() -> Result<Passphrase, CliError> {
    let text = match std::env::var(PASSPHRASE_ENV) {
        Ok(text) => text,
        Err(_) => {
            let first = prompt("New passphrase (14+ characters, or 4+ words): ")?;
            let second = prompt("Type it again: ")?;
            if first != second {
                return Err(CliError::Rejected("the two passphrases differ".into()));
            }
            first
        }
    };
    check_passphrase_strength(&text)
        .map_err(|problem| CliError::Rejected(format!("passphrase refused: {problem}")))?;
    Ok(Passphrase::new(text))
}

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
    rpassword::prompt_password("Passphrase: ")
        .map(Passphrase::new)
        .map_err(|e| CliError::Failed(format!("could not read the passphrase: {e}")))
}

/// A new passphrase, checked against the policy (and typed twice when prompted).
pub(crate) fn new() -> Result<Passphrase, CliError> {
    let text = match std::env::var(PASSPHRASE_ENV) {
        Ok(text) => text,
        Err(_) => {
            let first =
                rpassword::prompt_password("New passphrase (14+ characters, or 4+ words): ")
                    .map_err(|e| CliError::Failed(format!("could not read the passphrase: {e}")))?;
            let second = rpassword::prompt_password("Type it again: ")
                .map_err(|e| CliError::Failed(format!("could not read the passphrase: {e}")))?;
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

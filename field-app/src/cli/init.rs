//! `field-app init --data-dir D`

use std::io::Write as _;

use shared::crypto::KdfParams;
use shared::crypto::recovery::RecoveryRecipient;

use super::{CliError, DataDir, secret};
use crate::LocalStore;

/// Key-derivation cost profile for a new profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum KdfProfile {
    /// Argon2id, 128 MiB, 4 passes (the default).
    #[default]
    Production,
    /// Argon2id, 256 KiB, 1 pass: for test suites only; the profile warns on every open.
    InsecureFastForTestsOnly,
}

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    #[command(flatten)]
    data: DataDir,
    /// The office recovery public key (`age1…`): a copy of the data key is sealed to it.
    /// Without it, the recovery copy is made at enrolment.
    #[arg(
        long,
        env = "OUTREACH_RECOVERY_RECIPIENT",
        value_name = "AGE_PUBLIC_KEY"
    )]
    recovery_recipient: Option<String>,
    /// Key-derivation cost (hidden: only test suites choose anything but production).
    #[arg(long, value_enum, default_value_t, hide = true)]
    kdf_profile: KdfProfile,
}

pub(super) fn run(args: &InitArgs) -> Result<(), CliError> {
    let recipient = args
        .recovery_recipient
        .as_deref()
        .map(RecoveryRecipient::parse)
        .transpose()
        .map_err(|e| CliError::Rejected(e.to_string()))?;
    let passphrase = secret::new()?;
    let params = match args.kdf_profile {
        KdfProfile::Production => KdfParams::PRODUCTION,
        KdfProfile::InsecureFastForTestsOnly => KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    };
    let store = LocalStore::create(&args.data.data_dir, &passphrase, params, recipient.as_ref())?;
    super::warn_if_test_kdf(&store);
    let mut out = std::io::stdout().lock();
    writeln!(out, "Created an encrypted profile.")?;
    writeln!(out, "  device id: {}", store.author().device)?;
    match recipient {
        Some(r) => writeln!(out, "  recovery copy sealed to {r}")?,
        None => writeln!(
            out,
            "  no recovery copy yet: it is made when this laptop is enrolled with the office"
        )?,
    }
    Ok(())
}

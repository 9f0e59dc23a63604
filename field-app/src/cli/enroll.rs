//! `field-app enroll --data-dir D --enroll-code C [--server URL]`

use std::io::Write as _;
use std::time::Duration;

use shared::crypto::recovery::RecoveryRecipient;

use super::{CliError, DataDir, secret};
use crate::LocalStore;

/// Arguments of `enroll`.
#[derive(Debug, clap::Args)]
pub struct EnrollArgs {
    #[command(flatten)]
    data: DataDir,
    /// The node's URL, if it differs from the one in the code (e.g. a LAN hub's address).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// The one-time code printed by `sync-server enroll`.
    #[arg(long, value_name = "CODE")]
    enroll_code: String,
}

pub(super) fn run(args: &EnrollArgs) -> Result<(), CliError> {
    let passphrase = secret::existing()?;
    let mut store = LocalStore::open(&args.data.data_dir, &passphrase)?;
    super::warn_if_test_kdf(&store);
    let answer = crate::sync::enroll(
        &mut store,
        &args.enroll_code,
        args.server.as_deref(),
        Duration::from_secs(120),
    )
    .map_err(|e| CliError::Failed(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Enrolled device {} with node {} as {}.",
        store.author().device,
        answer.node,
        answer.role.as_str()
    )?;
    let scope: Vec<&str> = answer
        .scope
        .communities
        .iter()
        .map(|c| c.as_str())
        .collect();
    writeln!(out, "  communities: {}", scope.join(", "))?;
    if !answer.recovery_recipient.is_empty() {
        let recipient = RecoveryRecipient::parse(&answer.recovery_recipient)
            .map_err(|e| CliError::Failed(e.to_string()))?;
        vault::seal_recovery_copy(&args.data.data_dir, &passphrase, &recipient)
            .map_err(|e| CliError::Failed(e.to_string()))?;
        writeln!(
            out,
            "  recovery copy of the key sealed to the office ({recipient})"
        )?;
    }
    Ok(())
}

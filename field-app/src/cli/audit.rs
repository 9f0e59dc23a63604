//! `field-app audit --data-dir D [--record ID]` (issue 12): this laptop's audit trail — every
//! view, create, edit, consent change, merge, settle, print, unlock and failed unlock, by
//! sequence, time, action and record id (never client data) — and whether its hash chain holds.

use std::io::Write as _;

use shared::ids::ClientId;

use super::{CliError, DataDir, secret};
use crate::LocalStore;

/// Arguments of `audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(flatten)]
    data: DataDir,
    /// Only the entries about this record.
    #[arg(long, value_name = "ID")]
    record: Option<String>,
}

pub(super) fn run(args: &AuditArgs) -> Result<(), CliError> {
    let record = args
        .record
        .as_deref()
        .map(|t| {
            t.parse::<ClientId>()
                .map_err(|_| CliError::Rejected(format!("{t:?} is not a record id")))
        })
        .transpose()?;
    let passphrase = secret::existing()?;
    let store = LocalStore::open(&args.data.data_dir, &passphrase)?;
    let entries = store.audit_entries()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "seq,at,action,record")?;
    for entry in entries
        .iter()
        .filter(|e| record.is_none() || e.record == record)
    {
        writeln!(
            out,
            "{},{},{},{}",
            entry.seq,
            entry.at.to_rfc3339(),
            entry.action.name(),
            entry.record.map(|r| r.to_string()).unwrap_or_default()
        )?;
    }
    match shared::audit::verify_chain(&entries, store.author().device, None) {
        Ok(head) => writeln!(
            std::io::stderr().lock(),
            "{} entries; the chain holds (head {})",
            entries.len(),
            head.map_or(0, |h| h.seq)
        )?,
        Err(broken) => {
            return Err(CliError::Failed(format!(
                "the audit chain is broken: {broken}"
            )));
        }
    }
    Ok(())
}

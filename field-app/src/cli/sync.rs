//! `field-app sync --data-dir D [--max-bytes-per-sec N]`

use std::io::Write as _;
use std::time::Duration;

use super::{CliError, DataDir, secret};
use crate::LocalStore;
use crate::sync::{SyncError, SyncOptions, SyncProgress};

/// Arguments of `sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    #[command(flatten)]
    data: DataDir,
    /// Bandwidth budget for uploads, in bytes per second (e.g. 300 on Iridium).
    #[arg(long, value_name = "N")]
    max_bytes_per_sec: Option<u64>,
    /// Further attempts after the link fails.
    #[arg(long, default_value_t = 5)]
    retries: u32,
    /// Seconds before the first retry (doubles each time, at most 60).
    #[arg(long, default_value_t = 2)]
    retry_wait_secs: u64,
    /// Print progress after each request (to stderr).
    #[arg(long)]
    progress: bool,
    /// First put the changes the node refused (held on this laptop) back in the outbox, e.g.
    /// after the laptop's communities changed.
    #[arg(long)]
    resend_held: bool,
}

pub(super) fn run(args: &SyncArgs) -> Result<(), CliError> {
    let passphrase = secret::existing()?;
    let mut store = LocalStore::open(&args.data.data_dir, &passphrase)?;
    super::warn_if_test_kdf(&store);
    if args.resend_held {
        let moved = store.resend_held()?;
        writeln!(std::io::stderr(), "{moved} held change(s) put back to send")?;
    }
    let options = SyncOptions {
        max_bytes_per_sec: args.max_bytes_per_sec,
        retries: args.retries,
        backoff: Duration::from_secs(args.retry_wait_secs),
        ..SyncOptions::default()
    };
    let show = args.progress;
    let mut report_progress = |p: &SyncProgress| {
        if show {
            let left = p
                .time_left
                .map_or_else(String::new, |t| format!(", about {} s left", t.as_secs()));
            let _ = writeln!(
                std::io::stderr(),
                "sent {} B, received {} B, {} request(s){left}",
                p.bytes_sent,
                p.bytes_received,
                p.requests
            );
        }
    };
    let report =
        crate::sync::sync(&mut store, &options, &mut report_progress).map_err(|e| match e {
            SyncError::Refused { .. } | SyncError::NotEnrolled => CliError::Rejected(e.to_string()),
            other => CliError::Failed(other.to_string()),
        })?;
    writeln!(
        std::io::stdout().lock(),
        "synced: {} change(s) acknowledged ({} refused by the node), {} record(s) updated from the node; {} B sent, {} B received, {} request(s); {} change(s) still pending",
        report.changes_sent,
        report.changes_refused,
        report.records_received(),
        report.bytes_sent,
        report.bytes_received,
        report.requests,
        store.pending_changes()?
    )?;
    let held = store.held_changes()?;
    if !held.is_empty() {
        let records: std::collections::HashSet<_> = held.iter().map(|h| h.client).collect();
        writeln!(
            std::io::stdout().lock(),
            "held: {} change(s) of {} record(s) the node refused are kept on this laptop (`list --held` shows why; `sync --resend-held` sends them again)",
            held.len(),
            records.len()
        )?;
    }
    Ok(())
}

//! `field-app list --data-dir D [--json] [--search TEXT] [filters]`

use std::io::Write as _;

use shared::ids::CommunityCode;
use shared::intake_schema::to_line;
use shared::time::CalendarDate;

use super::{CliError, DataDir, secret};
use crate::storage::FindQuery;
use crate::{ListFilter, LocalStore};

/// Rows a table shows when `--limit` is not given (a JSON listing has no default limit).
const TABLE_ROWS: u32 = 100;

/// Arguments of `list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    data: DataDir,
    /// Print whole records as JSON lines (intake schema v1) instead of a table.
    #[arg(long)]
    json: bool,
    /// Search by name (fuzzy, any script) and/or date of birth (`1957`, `1957-03-14`).
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Only this community.
    #[arg(long, value_name = "CODE")]
    community: Option<String>,
    /// Only records with a follow-up due on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    follow_up_due_by: Option<String>,
    /// Only records with open referrals.
    #[arg(long)]
    open_referrals: bool,
    /// Only records with changes not yet acknowledged by a node (held ones included).
    #[arg(long)]
    not_synced: bool,
    /// Only records with changes the node refused, held on this laptop (with the reason).
    #[arg(long)]
    held: bool,
    /// At most this many records (default: 100 in a table, every record with `--json`). A JSON
    /// listing cut by the limit says so on stderr and exits with code 5.
    #[arg(long)]
    limit: Option<u32>,
}

pub(super) fn run(args: &ListArgs) -> Result<(), CliError> {
    let passphrase = secret::existing()?;
    let store = LocalStore::open(&args.data.data_dir, &passphrase)?;
    super::warn_if_test_kdf(&store);
    let follow_up_due_by = args
        .follow_up_due_by
        .as_deref()
        .map(CalendarDate::parse)
        .transpose()
        .map_err(|_| CliError::Rejected("--follow-up-due-by takes a date as YYYY-MM-DD".into()))?;
    let query = FindQuery {
        text: args.search.clone().unwrap_or_default(),
        filter: ListFilter {
            community: args.community.clone().map(CommunityCode::new),
            follow_up_due_by,
            open_referrals: args.open_referrals,
            not_synced: args.not_synced,
            held: args.held,
        },
        limit: args.limit.or((!args.json).then_some(TABLE_ROWS)),
    };
    let found = store.find(&query)?;
    let summaries = &found.rows;
    let mut held: std::collections::HashMap<_, Vec<&'static str>> = Default::default();
    for change in store.held_changes()? {
        held.entry(change.client)
            .or_default()
            .push(change.reason.describe());
    }
    for change in store.quarantined()? {
        held.entry(change.client)
            .or_default()
            .push("quarantined: received from the node but not readable by this build");
    }
    let mut out = std::io::stdout().lock();
    for summary in summaries {
        if args.json {
            if let Some(client) = store.client(summary.id)? {
                writeln!(out, "{}", to_line(&client))?;
            }
        } else {
            let mut flags = Vec::new();
            if summary.open_referrals > 0 {
                flags.push(format!("{} open referral(s)", summary.open_referrals));
            }
            if let Some(due) = &summary.next_follow_up {
                flags.push(format!("follow-up {due}"));
            }
            if summary.conflicts > 0 {
                flags.push(format!("{} conflict(s)", summary.conflicts));
            }
            if let Some(reasons) = held.get_mut(&summary.id) {
                reasons.sort_unstable();
                reasons.dedup();
                flags.extend(reasons.iter().map(|r| (*r).to_owned()));
            }
            writeln!(
                out,
                "{}  {:<32} {:<11} {:<26} {}",
                summary.id,
                summary.display_name(),
                summary.date_of_birth.as_deref().unwrap_or("—"),
                summary.community,
                flags.join(", ")
            )?;
        }
    }
    if !args.json {
        writeln!(
            out,
            "{} record(s) shown of {}",
            summaries.len(),
            store.count()?
        )?;
    }
    out.flush()?;
    if args.json && found.truncated {
        return Err(CliError::Cut(format!(
            "the listing was cut at {} records by --limit; more records match",
            summaries.len()
        )));
    }
    Ok(())
}

//! Office decisions about two records (issue 11), for office devices only:
//! `field-app merge --data-dir D ID ID`, `field-app not-same --data-dir D ID ID` and
//! `field-app unmerge --data-dir D ID`. Each is an ordinary edit, written in one transaction,
//! that syncs like any other (the store's office methods; the GUI's office screen uses them too).

use std::io::Write as _;

use shared::ids::ClientId;

use super::{CliError, DataDir, secret};
use crate::storage::sync_state::key;
use crate::{LocalStore, StoreError};

/// Arguments of `merge` and `not-same`.
#[derive(Debug, clap::Args)]
pub struct PairArgs {
    #[command(flatten)]
    data: DataDir,
    /// One record's id.
    first: String,
    /// The other record's id.
    second: String,
}

fn record_id(text: &str) -> Result<ClientId, CliError> {
    text.parse::<uuid::Uuid>()
        .map(ClientId)
        .map_err(|_| CliError::Rejected(format!("{text:?} is not a record id")))
}

fn open_pair(args: &PairArgs) -> Result<(LocalStore, ClientId, ClientId), CliError> {
    let (a, b) = (record_id(&args.first)?, record_id(&args.second)?);
    let passphrase = secret::existing()?;
    Ok((LocalStore::open(&args.data.data_dir, &passphrase)?, a, b))
}

/// An office decision's refusal in the words of the command line.
fn refused(error: StoreError) -> CliError {
    match error {
        StoreError::NotOffice
        | StoreError::NoSuchRecord
        | StoreError::SameRecord
        | StoreError::AlreadyMerged
        | StoreError::NotMerged
        | StoreError::Invalid(_) => CliError::Rejected(error.to_string()),
        other => other.into(),
    }
}

pub(super) fn run_merge(args: &PairArgs) -> Result<(), CliError> {
    let (mut store, a, b) = open_pair(args)?;
    let merged = store.merge_pair(a, b).map_err(refused)?;
    writeln!(
        std::io::stdout().lock(),
        "merged {} into {} (the older record); {} now redirects there",
        merged.redirect,
        merged.kept,
        merged.redirect
    )?;
    Ok(())
}

pub(super) fn run_not_same(args: &PairArgs) -> Result<(), CliError> {
    let (mut store, a, b) = open_pair(args)?;
    store.mark_not_same(a, b).map_err(refused)?;
    writeln!(
        std::io::stdout().lock(),
        "{a} and {b} are marked as two different people; dedup will not propose them again"
    )?;
    Ok(())
}

/// Arguments of `unmerge`.
#[derive(Debug, clap::Args)]
pub struct UnmergeArgs {
    #[command(flatten)]
    data: DataDir,
    /// The id of the record that was merged away (it redirects to the one kept).
    id: String,
}

pub(super) fn run_unmerge(args: &UnmergeArgs) -> Result<(), CliError> {
    let id = record_id(&args.id)?;
    let passphrase = secret::existing()?;
    let mut store = LocalStore::open(&args.data.data_dir, &passphrase)?;
    let merged = store.unmerge_record(id).map_err(refused)?;
    writeln!(
        std::io::stdout().lock(),
        "{} lives again with what it brought; {} gave it back; the two are marked as different people",
        merged.redirect,
        merged.kept
    )?;
    Ok(())
}

/// Arguments of `conflicts`.
#[derive(Debug, clap::Args)]
pub struct ConflictsArgs {
    #[command(flatten)]
    data: DataDir,
}

/// Arguments of `resolve`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("choice").required(true).args(["keep", "value"])))]
pub struct ResolveArgs {
    #[command(flatten)]
    data: DataDir,
    /// The record's id.
    id: String,
    /// The field, as `conflicts` prints it (e.g. `identity.contact.phone`).
    field: String,
    /// Keep the value with this number (as `conflicts` numbers them, from 1).
    #[arg(long)]
    keep: Option<usize>,
    /// Or write this text instead (a text field).
    #[arg(long)]
    value: Option<String>,
}

fn open_office_store(data: &DataDir) -> Result<LocalStore, CliError> {
    let passphrase = secret::existing()?;
    let store = LocalStore::open(&data.data_dir, &passphrase)?;
    if store.link_text(key::ROLE)?.as_deref() != Some("office") {
        return Err(CliError::Rejected(
            "only an office device settles conflicts (this laptop is not enrolled as one)".into(),
        ));
    }
    Ok(store)
}

fn describe(value: &shared::doc::ConflictValue) -> String {
    use shared::doc::ConflictValue as V;
    match value {
        V::Text(text) => format!("{text:?}"),
        V::Number(n) => n.to_string(),
        V::Bool(b) => b.to_string(),
        V::Empty => "(empty)".into(),
        V::Object => "(a group of fields)".into(),
        V::Other(text) => text.clone(),
    }
}

/// The conflicts queue: every record with concurrent values, each field with its values
/// numbered and who set them, on which device, when.
pub(super) fn run_conflicts(args: &ConflictsArgs) -> Result<(), CliError> {
    let store = open_office_store(&args.data)?;
    let mut out = std::io::stdout().lock();
    let mut count = 0;
    for summary in store.list(&crate::ListFilter::default(), u32::MAX)? {
        if summary.conflicts == 0 {
            continue;
        }
        let Some(mut doc) = store.document(summary.id)? else {
            continue;
        };
        for conflict in doc.conflicts() {
            count += 1;
            writeln!(
                out,
                "{}  {}  {}",
                summary.id,
                summary.display_name(),
                conflict.path
            )?;
            for (n, (value, origin)) in conflict.values.iter().zip(&conflict.origins).enumerate() {
                let when = origin.at.map_or_else(String::new, |t| t.to_minute_text());
                let device = origin.device.map_or_else(String::new, |d| d.to_string());
                writeln!(
                    out,
                    "    {}. {}  (device {device}, {when})",
                    n + 1,
                    describe(value)
                )?;
            }
        }
    }
    writeln!(out, "{count} conflicting field(s)")?;
    Ok(())
}

/// Settles one conflict: keep a numbered value, or write a typed one.
pub(super) fn run_resolve(args: &ResolveArgs) -> Result<(), CliError> {
    use shared::doc::settle::Choice;
    let id = args
        .id
        .parse::<uuid::Uuid>()
        .map(ClientId)
        .map_err(|_| CliError::Rejected(format!("{:?} is not a record id", args.id)))?;
    let mut store = open_office_store(&args.data)?;
    if store.client(id)?.is_none() {
        return Err(CliError::Rejected(format!("no record {id} on this device")));
    }
    let choice = match (&args.value, args.keep) {
        (Some(text), _) => Choice::Text(text.clone()),
        (None, Some(n)) if n >= 1 => Choice::Keep(n - 1),
        _ => return Err(CliError::Rejected("--keep counts from 1".into())),
    };
    let settled = store
        .settle_conflict(id, &args.field, &choice)
        .map_err(|e| match e {
            crate::StoreError::Document(doc) => {
                CliError::Rejected(format!("{}: {doc}", args.field))
            }
            other => other.into(),
        })?;
    let said = if settled {
        format!("{}: settled; the choice syncs like any edit", args.field)
    } else {
        format!("{}: has no conflict; nothing written", args.field)
    };
    writeln!(std::io::stdout().lock(), "{said}")?;
    Ok(())
}

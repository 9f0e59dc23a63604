//! Office decisions about two records (issue 11), for office devices only:
//! `field-app merge --data-dir D ID ID` and `field-app not-same --data-dir D ID ID`.
//! Both are ordinary edits, written in one transaction, that sync like any other.

use std::io::Write as _;

use shared::ids::ClientId;
use shared::model::merge::{merge, survivor_of};

use super::{CliError, DataDir, secret};
use crate::LocalStore;
use crate::storage::sync_state::key;

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

fn open_office(args: &PairArgs) -> Result<(LocalStore, ClientId, ClientId), CliError> {
    let parse = |text: &str| {
        text.parse::<uuid::Uuid>()
            .map(ClientId)
            .map_err(|_| CliError::Rejected(format!("{text:?} is not a record id")))
    };
    let (a, b) = (parse(&args.first)?, parse(&args.second)?);
    if a == b {
        return Err(CliError::Rejected("the two ids are the same record".into()));
    }
    let passphrase = secret::existing()?;
    let store = LocalStore::open(&args.data.data_dir, &passphrase)?;
    if store.link_text(key::ROLE)?.as_deref() != Some("office") {
        return Err(CliError::Rejected(
            "only an office device decides about duplicates (this laptop is not enrolled as one)"
                .into(),
        ));
    }
    Ok((store, a, b))
}

fn read(store: &LocalStore, id: ClientId) -> Result<shared::model::Client, CliError> {
    store
        .client(id)?
        .ok_or_else(|| CliError::Rejected(format!("no record {id} on this device")))
}

pub(super) fn run_merge(args: &PairArgs) -> Result<(), CliError> {
    let (mut store, a, b) = open_office(args)?;
    let (first, second) = (read(&store, a)?, read(&store, b)?);
    for record in [&first, &second] {
        if let Some(survivor) = record.merged_into {
            return Err(CliError::Rejected(format!(
                "{} was already merged into {survivor}",
                record.id
            )));
        }
    }
    let (keep, other) = survivor_of(&first, &second);
    let (kept, redirect) = merge(keep, other);
    let _ = store.save_all(&[kept.clone(), redirect.clone()])?;
    writeln!(
        std::io::stdout().lock(),
        "merged {} into {} (the older record); {} now redirects there",
        redirect.id,
        kept.id,
        redirect.id
    )?;
    Ok(())
}

pub(super) fn run_not_same(args: &PairArgs) -> Result<(), CliError> {
    let (mut store, a, b) = open_office(args)?;
    let (mut first, mut second) = (read(&store, a)?, read(&store, b)?);
    for (record, other) in [(&mut first, b), (&mut second, a)] {
        if !record.not_same_person.contains(&other) {
            record.not_same_person.push(other);
        }
    }
    let _ = store.save_all(&[first, second])?;
    writeln!(
        std::io::stdout().lock(),
        "{a} and {b} are marked as two different people; dedup will not propose them again"
    )?;
    Ok(())
}

//! Office tools over a node's store (issue 11): read every record once, and find likely
//! duplicates with the shared person matcher. Nothing here writes to the store.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use shared::doc::ClientDoc;
use shared::ids::{ClientId, DeviceId};
use shared::matching::linkage::{DedupOptions, DedupReport, PersonRecord, find_duplicates};
use shared::model::Client;

use crate::storage::{Store, StoreError};

/// Documents read per page.
const PAGE: u32 = 500;

/// Every record of the store that reads as one; how many did not (counted, never shown:
/// the node validated them at ingest, so a count above zero means damage or an older model).
pub struct AllRecords {
    /// The records.
    pub clients: Vec<Client>,
    /// Documents that did not read as a record.
    pub unreadable: usize,
}

/// Reads every record, page by page. Panics of the CRDT library are contained per document.
///
/// # Errors
/// When the store fails.
pub fn all_records(store: &dyn Store) -> Result<AllRecords, StoreError> {
    let reader = DeviceId(uuid::Uuid::nil());
    let mut clients = Vec::new();
    let mut unreadable = 0;
    let mut after: Option<ClientId> = None;
    loop {
        let page = store.documents_after(after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some(last.client);
        for stored in &page {
            // The record ingest validated, when it was kept; else rebuilt from the CRDT.
            if let Some(client) = stored
                .record
                .as_deref()
                .and_then(|json| serde_json::from_str::<Client>(json).ok())
                .filter(|c| c.id == stored.client)
            {
                clients.push(client);
                continue;
            }
            let read = catch_unwind(AssertUnwindSafe(|| {
                ClientDoc::load(&stored.doc, reader).and_then(|doc| doc.read())
            }));
            match read {
                Ok(Ok(client)) => clients.push(client),
                _ => unreadable += 1,
            }
        }
    }
    Ok(AllRecords {
        clients,
        unreadable,
    })
}

/// Pairs already decided: a record's "not the same person" marks, both ways.
#[must_use]
pub fn decided_pairs(clients: &[Client]) -> HashSet<(ClientId, ClientId)> {
    clients
        .iter()
        .flat_map(|c| c.not_same_person.iter().map(move |other| (c.id, *other)))
        .collect()
}

/// Likely duplicates among every live record of the store (merged-away records are left out,
/// and so are pairs marked "not the same person").
///
/// # Errors
/// When the store fails.
pub fn dedup(store: &dyn Store, threshold: f64) -> Result<(DedupReport, AllRecords), StoreError> {
    let all = all_records(store)?;
    let live: Vec<&Client> = all
        .clients
        .iter()
        .filter(|c| c.merged_into.is_none())
        .collect();
    let records: Vec<PersonRecord> = live.iter().map(|c| PersonRecord::of(c)).collect();
    let options = DedupOptions {
        threshold,
        decided: decided_pairs(&all.clients),
        ..DedupOptions::default()
    };
    Ok((find_duplicates(&records, &options), all))
}

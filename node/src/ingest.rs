//! Applying an upload, for every backend: group the changes by client, hash them and build the
//! documents they make on their own (no store access), read what the store holds, decide with
//! [`crate::policy`] which changes are refused, duplicates or new, merge the new ones, and commit
//! documents, log entries and the upload's outcome in one [`Store::commit_upload`].
//!
//! Nothing here holds a store lock while Automerge runs: the store is only asked to read and, at
//! the end, to compare-and-set. If another writer (a second replica, a concurrent request)
//! changed a document in between, the commit reports `Contended` and the plan is made again from
//! a fresh read. A change that makes the CRDT library panic is refused like any invalid change.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use shared::ClientDoc;
use shared::ids::{ClientId, CommunityCode, DeviceId};
use shared::protocol::BatchChange;
use shared::time::Timestamp;

use crate::policy;
use crate::storage::{
    ApplyReport, CommitOutcome, DeviceRecord, DocumentWrite, LogAppend, Store, StoreError,
    StoredDocument, UploadCommit,
};

/// Plans made again after a contended commit before giving up.
const MAX_ATTEMPTS: usize = 8;

/// Merges an upload's changes into the stored documents and appends the new ones to the log,
/// recording the outcome under `upload_id`. Idempotent: the same upload again returns the
/// outcome recorded the first time.
pub fn apply_upload(
    store: &dyn Store,
    device: &DeviceRecord,
    upload_id: [u8; 32],
    changes: &[BatchChange],
    now: Timestamp,
) -> Result<ApplyReport, StoreError> {
    let prepared: Vec<Prepared<'_>> = group_by_client(changes)
        .into_iter()
        .map(|(client, group)| Prepared::new(device.id, client, group))
        .collect();
    let clients: Vec<ClientId> = prepared.iter().map(|p| p.client).collect();
    let hashes: Vec<[u8; 32]> = prepared
        .iter()
        .flat_map(|p| p.changes.iter().filter_map(|(_, h)| *h))
        .collect();
    for _ in 0..MAX_ATTEMPTS {
        let stored: HashMap<ClientId, StoredDocument> = store
            .documents(&clients)?
            .into_iter()
            .map(|d| (d.client, d))
            .collect();
        let known: HashSet<[u8; 32]> = store.known_changes(&hashes)?.into_iter().collect();
        let plan = Plan::make(device, &prepared, &stored, &known);
        let report = plan.report;
        let commit = UploadCommit {
            device: device.id,
            upload_id,
            report,
            now,
            documents: plan.documents,
            log: plan.log,
        };
        // An upload applied already (a retry, another replica) is found here, in the commit's
        // own transaction, and its recorded outcome returned.
        match store.commit_upload(&commit)? {
            CommitOutcome::Committed => return Ok(report),
            CommitOutcome::AlreadyApplied(report) => return Ok(report),
            CommitOutcome::Contended => {}
        }
    }
    Err(StoreError::Contended)
}

fn group_by_client(changes: &[BatchChange]) -> Vec<(ClientId, Vec<&BatchChange>)> {
    let mut groups: Vec<(ClientId, Vec<&BatchChange>)> = Vec::new();
    let mut index: HashMap<ClientId, usize> = HashMap::new();
    for change in changes {
        let slot = *index.entry(change.client).or_insert_with(|| {
            groups.push((change.client, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push(change);
    }
    groups
}

/// A merged document: saved bytes, community and epoch.
type Merged = (Vec<u8>, CommunityCode, u32);

/// Applies raw changes to a document (a stored one, or a new one) and reads where it belongs;
/// `None` if the changes are not valid, do not make a record, or make the library panic.
fn merge(device: DeviceId, stored: Option<&[u8]>, changes: Vec<Vec<u8>>) -> Option<Merged> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut doc = match stored {
            Some(bytes) => ClientDoc::load(bytes, device).ok()?,
            None => ClientDoc::empty(device),
        };
        doc.apply_changes(changes).ok()?;
        let (community, epoch) = doc.community_and_epoch()?;
        Some((doc.save(), community, epoch))
    }))
    .ok()
    .flatten()
}

/// One client's incoming changes, hashed, with the document they make on their own.
struct Prepared<'a> {
    client: ClientId,
    changes: Vec<(&'a BatchChange, Option<[u8; 32]>)>,
    /// The document the valid changes make alone (the merge, when the node has none yet).
    alone: Option<Merged>,
}

impl<'a> Prepared<'a> {
    fn new(device: DeviceId, client: ClientId, group: Vec<&'a BatchChange>) -> Self {
        let changes: Vec<(&BatchChange, Option<[u8; 32]>)> = group
            .into_iter()
            .map(|c| {
                let hash = catch_unwind(|| shared::doc::change_hash(&c.change).ok())
                    .ok()
                    .flatten();
                (c, hash)
            })
            .collect();
        let valid = changes
            .iter()
            .filter(|(_, h)| h.is_some())
            .map(|(c, _)| c.change.clone())
            .collect();
        Self {
            client,
            alone: merge(device, None, valid),
            changes,
        }
    }
}

/// What one upload writes, decided from one read of the store.
struct Plan<'a> {
    report: ApplyReport,
    documents: Vec<DocumentWrite>,
    log: Vec<LogAppend<'a>>,
}

impl<'a> Plan<'a> {
    fn make(
        device: &DeviceRecord,
        prepared: &[Prepared<'a>],
        stored: &HashMap<ClientId, StoredDocument>,
        known: &HashSet<[u8; 32]>,
    ) -> Self {
        let mut plan = Self {
            report: ApplyReport::default(),
            documents: Vec::new(),
            log: Vec::new(),
        };
        for group in prepared {
            plan.client(device, group, stored.get(&group.client), known);
        }
        plan
    }

    fn client(
        &mut self,
        device: &DeviceRecord,
        group: &Prepared<'a>,
        stored: Option<&StoredDocument>,
        known: &HashSet<[u8; 32]>,
    ) {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        if let Some(stored) = stored
            && !policy::may_write(device, &stored.community)
        {
            self.report.refused += count(group.changes.len());
            return;
        }
        let stored_epoch = stored.map_or(0, |s| s.epoch);
        let mut fresh: Vec<(&'a BatchChange, [u8; 32])> = Vec::new();
        for (change, hash) in &group.changes {
            let Some(hash) = *hash else {
                self.report.refused += 1;
                continue;
            };
            if !policy::epoch_accepts(stored_epoch, change.epoch) {
                self.report.refused += 1;
                continue;
            }
            if known.contains(&hash) || fresh.iter().any(|(_, h)| *h == hash) {
                self.report.duplicates += 1;
            } else {
                fresh.push((change, hash));
            }
        }
        if fresh.is_empty() {
            return;
        }
        // A client the node has never seen, all of whose changes are new: the document built
        // before reading the store is the merge. Otherwise merge into the stored document now.
        let all_new = stored.is_none() && fresh.len() == group.changes.len();
        let merged = match (&group.alone, all_new) {
            (Some(alone), true) => Some(alone.clone()),
            _ => merge(
                device.id,
                stored.map(|s| s.doc.as_slice()),
                fresh.iter().map(|(c, _)| c.change.clone()).collect(),
            ),
        };
        let Some((doc, community, epoch)) = merged else {
            self.report.refused += count(fresh.len());
            return;
        };
        if !policy::may_write(device, &community) {
            self.report.refused += count(fresh.len());
            return;
        }
        self.documents.push(DocumentWrite {
            client: group.client,
            community: community.clone(),
            epoch: epoch.max(stored_epoch),
            doc,
            read_revision: stored.map(|s| s.revision),
        });
        for (change, hash) in fresh {
            self.log.push(LogAppend {
                client: group.client,
                community: community.clone(),
                epoch: change.epoch,
                origin: device.id,
                hash,
                change: &change.change,
            });
            self.report.applied += 1;
        }
    }
}

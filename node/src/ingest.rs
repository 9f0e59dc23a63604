//! Applying an upload, for every backend: check each change on its own (it parses, its actor is
//! the signing device, it is not too large), read what the store holds, decide with
//! [`crate::policy`] which changes are refused, duplicates or new, merge only the new ones, check
//! the record they make (nesting and size bounds, the model's validation, the community rules),
//! and commit documents, log entries and the upload's outcome in one [`Store::commit_upload`].
//!
//! Everything inside a signed change is input from a device that may be hostile or buggy.
//! Nothing here holds a store lock while Automerge runs: the store is only asked to read and, at
//! the end, to compare-and-set. If another writer (a second replica, a concurrent request)
//! changed a document in between, the commit reports `Contended` and the plan is made again from
//! a fresh read. A change that makes the CRDT library panic is refused like any invalid change.
//! The epoch of a stored record belongs to the node (erasure and correction set it), never to
//! what a document says.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use shared::doc::ParsedChange;
use shared::ids::{ClientId, CommunityCode, DeviceId};
use shared::protocol::{BatchChange, Refusal, RefusalReason};
use shared::time::{CalendarDate, Timestamp};
use shared::{Catalogue, ClientDoc};

use crate::policy;
use crate::storage::{
    ApplyReport, CommitOutcome, DeviceRecord, DocumentWrite, LogAppend, Store, StoreError,
    StoredDocument, UploadCommit,
};

/// Plans made again after a contended commit before giving up.
const MAX_ATTEMPTS: usize = 8;

/// The most Automerge operations one upload may carry in all: what one device can make a node
/// merge in one request (a first upload of 1,000 new records is ~ 300,000).
pub const MAX_OPS_PER_UPLOAD: usize = 2_000_000;

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
    apply_upload_with_audit(store, device, upload_id, changes, None, now)
}

/// [`apply_upload`] for an upload that may carry a run of the device's audit trail (its raw
/// bytes): the run is checked against the anchor the node holds for the device and kept, with
/// its anchor and any break flagged, in the upload's own commit. An unreadable run is flagged;
/// it never costs the device its changes.
pub fn apply_upload_with_audit(
    store: &dyn Store,
    device: &DeviceRecord,
    upload_id: [u8; 32],
    changes: &[BatchChange],
    audit: Option<&[u8]>,
    now: Timestamp,
) -> Result<ApplyReport, StoreError> {
    let trail = audit.map(|bytes| crate::audit::Incoming::read(bytes, device.id));
    let rules = Rules::at(now);
    let mut budget = MAX_OPS_PER_UPLOAD;
    let prepared: Vec<Prepared<'_>> = group_by_client(changes)
        .into_iter()
        .map(|(client, group)| Prepared::new(client, group, &mut budget))
        .collect();
    let clients: Vec<ClientId> = prepared.iter().map(|p| p.client).collect();
    let hashes: Vec<[u8; 32]> = prepared
        .iter()
        .flat_map(|p| {
            p.changes
                .iter()
                .filter_map(|c| c.verdict.as_ref().ok().map(|p| p.info.hash))
        })
        .collect();
    for _ in 0..MAX_ATTEMPTS {
        let stored: HashMap<ClientId, StoredDocument> = store
            .documents(&clients)?
            .into_iter()
            .map(|d| (d.client, d))
            .collect();
        let known: HashSet<[u8; 32]> = store.known_changes(&hashes)?.into_iter().collect();
        let plan = Plan::make(device, &rules, &prepared, &stored, &known);
        let audit = match &trail {
            Some(incoming) => Some(incoming.check(store.audit_anchor(device.id)?)),
            None => None,
        };
        let commit = UploadCommit {
            device: device.id,
            upload_id,
            report: plan.report,
            now,
            documents: plan.documents,
            log: plan.log,
            audit,
        };
        // An upload applied already (a retry, another replica) is found here, in the commit's
        // own transaction, and its recorded outcome returned.
        match store.commit_upload(&commit)? {
            CommitOutcome::Committed => return Ok(commit.report),
            CommitOutcome::AlreadyApplied(report) => return Ok(report),
            CommitOutcome::Contended => {}
        }
    }
    Err(StoreError::Contended)
}

/// What every record a node accepts must satisfy, as of the upload's time.
struct Rules {
    /// `None` only if the compiled-in catalogue failed to load: then every record is refused as
    /// invalid, never accepted unchecked.
    catalogue: Option<&'static Catalogue>,
    today: CalendarDate,
}

impl Rules {
    fn at(now: Timestamp) -> Self {
        Self {
            catalogue: Catalogue::current().ok(),
            today: now.date_utc().unwrap_or_else(CalendarDate::today_utc),
        }
    }
}

/// A change with its place in the upload.
type Indexed<'a> = (u32, &'a BatchChange);

fn group_by_client(changes: &[BatchChange]) -> Vec<(ClientId, Vec<Indexed<'_>>)> {
    let mut groups: Vec<(ClientId, Vec<Indexed<'_>>)> = Vec::new();
    let mut index: HashMap<ClientId, usize> = HashMap::new();
    for (position, change) in changes.iter().enumerate() {
        let slot = *index.entry(change.client).or_insert_with(|| {
            groups.push((change.client, Vec::new()));
            groups.len() - 1
        });
        groups[slot]
            .1
            .push((u32::try_from(position).unwrap_or(u32::MAX), change));
    }
    groups
}

/// One incoming change, checked on its own: what it claims (parsed once), or why it is refused.
struct Checked<'a> {
    index: u32,
    change: &'a BatchChange,
    verdict: Result<ParsedChange, RefusalReason>,
}

/// Parses the change (containing panics of the CRDT library) and checks it against the
/// per-change and per-upload bounds. Whose change it is is checked once it is known not to be
/// a duplicate (a change the node already holds changes nothing, whoever sends it again).
fn check_change(change: &BatchChange, budget: &mut usize) -> Result<ParsedChange, RefusalReason> {
    let parsed = catch_unwind(|| shared::doc::parse_change(&change.change))
        .ok()
        .and_then(Result::ok)
        .ok_or(RefusalReason::Malformed)?;
    shared::doc::check_change(&parsed.info).map_err(|_| RefusalReason::TooLarge)?;
    *budget = budget
        .checked_sub(parsed.info.ops)
        .ok_or(RefusalReason::TooLarge)?;
    Ok(parsed)
}

/// One client's incoming changes, checked.
struct Prepared<'a> {
    client: ClientId,
    changes: Vec<Checked<'a>>,
}

impl<'a> Prepared<'a> {
    fn new(client: ClientId, group: Vec<Indexed<'a>>, budget: &mut usize) -> Self {
        let changes = group
            .into_iter()
            .map(|(index, change)| Checked {
                index,
                change,
                verdict: check_change(change, budget),
            })
            .collect();
        Self { client, changes }
    }
}

/// A merged document that passed every check: saved bytes, its community, and whether the
/// changes altered the office's decisions in it (merge redirect, "not the same person").
type Merged = (Vec<u8>, CommunityCode, bool, String);

/// Applies the new changes to the stored document (or a new one) and checks the record they
/// make: bounds, the model's validation. Panics of the CRDT library are contained.
fn merge(
    rules: &Rules,
    client: ClientId,
    stored: Option<&[u8]>,
    changes: Vec<ParsedChange>,
) -> Result<Merged, RefusalReason> {
    catch_unwind(AssertUnwindSafe(|| {
        // The node never writes into a document itself; the actor only names who loads it.
        let reader = DeviceId(uuid::Uuid::nil());
        // A new record's one change is stored as it came: no save of the document to make.
        let first_change = match (stored, changes.as_slice()) {
            (None, [only]) => ClientDoc::stored_first_change(only),
            _ => None,
        };
        let mut doc = match stored {
            Some(bytes) => ClientDoc::load(bytes, reader).map_err(|_| RefusalReason::Malformed)?,
            None => ClientDoc::empty(reader),
        };
        // A new document holds no decisions yet.
        let marks_before = match stored {
            Some(_) => doc.office_marks(),
            None => shared::doc::OfficeMarks::default(),
        };
        doc.apply_parsed(changes).map_err(|error| match error {
            shared::DocError::MissingDependencies(_) => RefusalReason::MissingHistory,
            _ => RefusalReason::Malformed,
        })?;
        let (record, marks_after) = doc.check_and_read().map_err(|error| match error {
            shared::DocError::Shape(_) => RefusalReason::TooLarge,
            _ => RefusalReason::Invalid,
        })?;
        // A document is filed under the record it holds: a change cannot graft one client's
        // record onto another's id.
        if record.id != client {
            return Err(RefusalReason::Invalid);
        }
        let catalogue = rules.catalogue.ok_or(RefusalReason::Invalid)?;
        shared::model::validate_client(&record, catalogue, rules.today)
            .map_err(|_| RefusalReason::Invalid)?;
        let bytes = match first_change {
            Some(bytes) => bytes,
            None => doc.save_bounded().map_err(|_| RefusalReason::TooLarge)?,
        };
        let office_decision = marks_after != marks_before;
        let json = serde_json::to_string(&record).map_err(|_| RefusalReason::Invalid)?;
        Ok((bytes, record.identity.community, office_decision, json))
    }))
    .unwrap_or(Err(RefusalReason::Malformed))
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
        rules: &Rules,
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
            plan.client(device, rules, group, stored.get(&group.client), known);
        }
        plan.report.refusals.sort_unstable_by_key(|r| r.index);
        plan
    }

    fn refuse(&mut self, index: u32, reason: RefusalReason) {
        self.report.refused += 1;
        self.report.refusals.push(Refusal { index, reason });
    }

    fn client(
        &mut self,
        device: &DeviceRecord,
        rules: &Rules,
        group: &Prepared<'a>,
        stored: Option<&StoredDocument>,
        known: &HashSet<[u8; 32]>,
    ) {
        if let Some(stored) = stored
            && !policy::may_write(device, &stored.community)
        {
            for change in &group.changes {
                self.refuse(change.index, RefusalReason::OutsideScope);
            }
            return;
        }
        let stored_epoch = stored.map_or(0, |s| s.epoch);
        let mut fresh: Vec<(&Checked<'a>, &ParsedChange)> = Vec::new();
        for checked in &group.changes {
            let parsed = match &checked.verdict {
                Ok(parsed) => parsed,
                Err(reason) => {
                    self.refuse(checked.index, *reason);
                    continue;
                }
            };
            // Duplicates are dropped before anything is rebuilt.
            let info = parsed.info;
            if known.contains(&info.hash) || fresh.iter().any(|(_, p)| p.info.hash == info.hash) {
                self.report.duplicates += 1;
                continue;
            }
            // A device writes only as itself: a change under another actor would be shown as
            // theirs and take their next sequence number.
            if info.actor != Some(device.id) {
                self.refuse(checked.index, RefusalReason::NotAuthor);
                continue;
            }
            if !policy::epoch_accepts(stored_epoch, checked.change.epoch) {
                self.refuse(checked.index, RefusalReason::OldEpoch);
                continue;
            }
            fresh.push((checked, parsed));
        }
        if fresh.is_empty() {
            return;
        }
        let merged = merge(
            rules,
            group.client,
            stored.map(|s| s.doc.as_slice()),
            fresh.iter().map(|(_, parsed)| (*parsed).clone()).collect(),
        )
        .and_then(|(doc, community, office_decision, record)| {
            if office_decision && !policy::may_decide_identity(device) {
                return Err(RefusalReason::OfficeOnly);
            }
            match stored {
                Some(stored) if stored.community != community => {
                    policy::may_move(device, &stored.community, &community)
                }
                _ => policy::may_write(device, &community),
            }
            .then_some((doc, community, record))
            .ok_or(if stored.is_some() {
                RefusalReason::MovesCommunity
            } else {
                RefusalReason::OutsideScope
            })
        });
        let (doc, community, record) = match merged {
            Ok(merged) => merged,
            Err(reason) => {
                for (checked, _) in &fresh {
                    self.refuse(checked.index, reason);
                }
                return;
            }
        };
        self.documents.push(DocumentWrite {
            client: group.client,
            community: community.clone(),
            epoch: stored_epoch,
            doc,
            read_revision: stored.map(|s| s.revision),
            record,
        });
        for (checked, parsed) in fresh {
            self.log.push(LogAppend {
                client: group.client,
                community: community.clone(),
                epoch: stored_epoch,
                origin: device.id,
                hash: parsed.info.hash,
                change: &checked.change.change,
            });
            self.report.applied += 1;
        }
    }
}

//! What the office screen asks of the worker, and the worker's side of it (issue 11): the
//! queues are read from the store, the decisions are the store's office methods (one
//! transaction each, office role checked there).

use shared::Client;
use shared::doc::settle::Choice;
use shared::ids::ClientId;
use shared::time::{CalendarDate, Timestamp};

use super::worker::Reply;
use crate::storage::office::{ConflictItem, DuplicateQueue, ReviewFilter, ReviewQueue};
use crate::{LocalStore, StoreError};

/// The matcher's probability above which a pair is proposed to the office.
pub const PROPOSE_ABOVE: f64 = 0.5;
/// The most pairs one duplicate queue shows (the rest come once these are decided).
pub const MAX_PAIRS: usize = 200;

/// One of the office's queues.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OfficeRequest {
    /// New or changed records not reviewed yet.
    Review(ReviewFilter),
    /// Likely duplicate pairs.
    Duplicates,
    /// Records with concurrent values.
    Conflicts,
    /// Open referrals and follow-ups due, every community.
    Due,
    /// The partnership's figures for a period and a community.
    Report(shared::report::ReportFilter),
}

/// A decision the office takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The two records are one person.
    Merge(ClientId, ClientId),
    /// The two records are two people.
    NotSame(ClientId, ClientId),
    /// Undo the merge of this (merged-away) record.
    Unmerge(ClientId),
    /// These records, as of these changes, are reviewed.
    Reviewed(Vec<(ClientId, Timestamp)>),
    /// Settle one conflicting field of a record.
    Settle {
        /// The record.
        id: ClientId,
        /// The field, as the conflict names it.
        path: String,
        /// What to keep.
        choice: Choice,
    },
}

/// A queue, as the worker read it.
pub enum OfficeData {
    /// The review queue.
    Review(ReviewQueue),
    /// The duplicate queue.
    Duplicates(DuplicateQueue),
    /// The conflicts queue.
    Conflicts(Vec<ConflictItem>),
    /// Records with open referrals or follow-ups due; `today` is the day "due" was measured on.
    Due {
        /// The records.
        clients: Vec<Client>,
        /// Today (UTC), for "overdue".
        today: CalendarDate,
    },
    /// The report's figures (counts only).
    Report(Vec<shared::report::Figure>),
}

/// What a decision did, for the message line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Merged; the kept record's id.
    Merged(ClientId),
    /// Marked as two people.
    NotSame,
    /// The merge was undone.
    Unmerged,
    /// This many records marked reviewed.
    Reviewed(usize),
    /// The conflict was settled (`false`: it had been settled meanwhile).
    Settled(bool),
}

/// The worker's answer to a queue request.
pub(super) fn read(store: &LocalStore, request: &OfficeRequest) -> Result<Reply, StoreError> {
    Ok(Reply::Office(match request {
        OfficeRequest::Review(filter) => OfficeData::Review(store.review_queue(filter)?),
        OfficeRequest::Duplicates => {
            OfficeData::Duplicates(store.duplicate_pairs(PROPOSE_ABOVE, MAX_PAIRS)?)
        }
        OfficeRequest::Conflicts => OfficeData::Conflicts(store.conflicts_queue()?),
        OfficeRequest::Due => {
            let today = CalendarDate::today_utc();
            OfficeData::Due {
                clients: store.due_work(today)?,
                today,
            }
        }
        OfficeRequest::Report(filter) => OfficeData::Report(shared::report::figures(
            &store.live_clients()?,
            store.catalogue(),
            filter,
            CalendarDate::today_utc(),
        )),
    }))
}

/// The worker's answer to a decision. A refusal (not an office device, a record merged
/// meanwhile, an invalid result) is a `Failed` reply in plain words; nothing was written.
pub(super) fn decide(store: &mut LocalStore, decision: Decision) -> Result<Reply, StoreError> {
    let done = match decision {
        Decision::Merge(a, b) => store.merge_pair(a, b).map(|m| Decided::Merged(m.kept)),
        Decision::NotSame(a, b) => store.mark_not_same(a, b).map(|()| Decided::NotSame),
        Decision::Unmerge(id) => store.unmerge_record(id).map(|_| Decided::Unmerged),
        Decision::Reviewed(rows) => store
            .mark_reviewed(&rows)
            .map(|()| Decided::Reviewed(rows.len())),
        Decision::Settle { id, path, choice } => store
            .settle_conflict(id, &path, &choice)
            .map(Decided::Settled),
    };
    match done {
        Ok(done) => Ok(Reply::Decided(done)),
        Err(
            refused @ (StoreError::NotOffice
            | StoreError::NoSuchRecord
            | StoreError::SameRecord
            | StoreError::AlreadyMerged
            | StoreError::NotMerged
            | StoreError::Invalid(_)
            | StoreError::Document(_)),
        ) => Ok(Reply::Failed(refused.to_string())),
        Err(other) => Err(other),
    }
}

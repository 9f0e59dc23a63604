//! What the office screen asks of the worker, and the worker's side of it (issue 11): the
//! queues are read from the store, the decisions are the store's office methods (one
//! transaction each, office role checked there).

use shared::doc::settle::Choice;
use shared::ids::{ClientId, CommunityCode};
use shared::time::{CalendarDate, Timestamp};

use super::worker::Reply;
use crate::storage::office::{ConflictsQueue, DueWork, DuplicateQueue, ReviewFilter, ReviewQueue};
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
    /// Open referrals and follow-ups due, in every community or in one.
    Due(Option<CommunityCode>),
    /// The partnership's figures for a period and a community.
    Report(shared::report::ReportFilter),
    /// An export to a partner, asked of the node (a dry run, or the sealed file).
    Export(shared::protocol::office::ExportOrder),
    /// The node's registers: disclosures, and (for one record) every device's accesses.
    Register(shared::protocol::office::RegisterQuery),
}

/// A decision the office takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The two records are one person.
    Merge(ClientId, ClientId),
    /// The two records are two people.
    NotSame(ClientId, ClientId),
    /// Take "two people" back for these two records.
    UndoNotSame(ClientId, ClientId),
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
    Conflicts(ConflictsQueue),
    /// Records with open referrals or follow-ups due; `today` is the day "due" was measured on.
    Due {
        /// The records, and how many in all.
        work: DueWork,
        /// Today (UTC), for "overdue".
        today: CalendarDate,
    },
    /// The report's figures (counts only).
    Report(Vec<shared::report::Figure>),
    /// What the node released (or would release) and where the sealed file was kept.
    Exported(Exported),
    /// The disclosure register as the node answered it, each row with the client's name as
    /// this device knows it.
    Disclosures {
        /// Disclosures, oldest first, with names.
        rows: Vec<(shared::disclosure::Disclosure, String)>,
        /// The node had more than it sent.
        cut: bool,
    },
    /// One record's accesses on every device and its disclosures (for the record screen).
    RecordRegister(Box<RecordRegister>),
}

/// What the node's registers hold about one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRegister {
    /// The record.
    pub client: ClientId,
    /// Every device's views, changes, prints and exports of it, oldest first.
    pub accesses: Vec<shared::protocol::office::AccessLine>,
    /// What was shared with whom, oldest first.
    pub disclosures: Vec<shared::disclosure::Disclosure>,
    /// The node had more than it sent.
    pub cut: bool,
}

/// The node's answer to an export, as the office screen shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    /// Clients released (or, in a dry run, who would be).
    pub released: u64,
    /// Left out, by reason (`no_consent`, `withdrawn`, `expired`).
    pub left_out: std::collections::BTreeMap<String, u64>,
    /// The export's columns.
    pub columns: Vec<String>,
    /// Where the sealed file was written (none in a dry run).
    pub file: Option<std::path::PathBuf>,
}

/// What a decision did, for the message line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Merged; the kept record's id.
    Merged(ClientId),
    /// Marked as two people (the pair, so it can be taken back).
    NotSame(ClientId, ClientId),
    /// "Two people" taken back for this pair: it may be proposed again.
    NotSameUndone(ClientId, ClientId),
    /// The merge was undone.
    Unmerged,
    /// This many records marked reviewed.
    Reviewed(usize),
    /// The conflict was settled (`false`: it had been settled meanwhile).
    Settled(bool),
}

/// The worker's answer to a queue request.
/// How long an export may take at the node (it reads every record).
const EXPORT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// Asks the node for an export; keeps the sealed file (it is readable only by the partner) in
/// `dir/exports`, owner-only, under a name that says whom and when, never a client.
pub(super) fn export(
    store: &mut LocalStore,
    order: &shared::protocol::office::ExportOrder,
    dir: &std::path::Path,
) -> Result<Reply, StoreError> {
    use base64::Engine as _;
    let answer = match crate::sync::office_export(store, order, EXPORT_TIMEOUT) {
        Ok(answer) => answer,
        Err(error) => return Ok(Reply::Failed(error.to_string())),
    };
    let file = match &answer.sealed_file {
        None => None,
        Some(text) => {
            let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(text) else {
                return Ok(Reply::Failed("the node's export could not be read".into()));
            };
            let stamp = Timestamp::now().to_rfc3339().replace([':', '.'], "-");
            let name = format!(
                "{}-{}-{stamp}.csv.age",
                file_safe(&order.partner),
                file_safe(&order.purpose)
            );
            let folder = dir.join("exports");
            let path = folder.join(name);
            let written = vault::private_files::create_dir(&folder)
                .and_then(|()| vault::private_files::write(&path, &bytes));
            if let Err(error) = written {
                return Ok(Reply::Failed(format!(
                    "the export is recorded at the node but could not be written here: {error}"
                )));
            }
            Some(path)
        }
    };
    Ok(Reply::Office(OfficeData::Exported(Exported {
        released: answer.released,
        left_out: answer.left_out,
        columns: answer.columns,
        file,
    })))
}

/// Asks the node's registers; names the clients of the disclosure register from this device's
/// records (an office device holds every community's).
pub(super) fn register(
    store: &mut LocalStore,
    query: &shared::protocol::office::RegisterQuery,
) -> Result<Reply, StoreError> {
    let answer = match crate::sync::office_register(store, query, EXPORT_TIMEOUT) {
        Ok(answer) => answer,
        Err(error) => return Ok(Reply::Failed(error.to_string())),
    };
    if let Some(client) = query.client {
        return Ok(Reply::Office(OfficeData::RecordRegister(Box::new(
            RecordRegister {
                client,
                accesses: answer.accesses,
                disclosures: answer.disclosures,
                cut: answer.cut,
            },
        ))));
    }
    let mut rows = Vec::with_capacity(answer.disclosures.len());
    for disclosure in answer.disclosures {
        let name = store
            .client(store.live_id(disclosure.client)?)?
            .map(|c| format!("{} {}", c.identity.given_name, c.identity.family_name))
            .unwrap_or_default();
        rows.push((disclosure, name));
    }
    Ok(Reply::Office(OfficeData::Disclosures {
        rows,
        cut: answer.cut,
    }))
}

/// A catalogue code as a piece of a file name.
fn file_safe(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect()
}

pub(super) fn read(store: &LocalStore, request: &OfficeRequest) -> Result<Reply, StoreError> {
    Ok(Reply::Office(match request {
        OfficeRequest::Review(filter) => OfficeData::Review(store.review_queue(filter)?),
        OfficeRequest::Duplicates => {
            OfficeData::Duplicates(store.duplicate_pairs(PROPOSE_ABOVE, MAX_PAIRS)?)
        }
        OfficeRequest::Conflicts => OfficeData::Conflicts(store.conflicts_queue()?),
        OfficeRequest::Due(community) => {
            let today = CalendarDate::today_utc();
            OfficeData::Due {
                work: store.due_work(today, community.as_ref())?,
                today,
            }
        }
        OfficeRequest::Report(filter) => OfficeData::Report(shared::report::figures_of(
            &store.report_facts()?,
            store.catalogue(),
            filter,
            CalendarDate::today_utc(),
        )),
        // Answered by `export` and `register` (they need the node), never read here.
        OfficeRequest::Export(_) | OfficeRequest::Register(_) => {
            return Ok(Reply::Failed("an export is asked of the node".into()));
        }
    }))
}

/// The worker's answer to a decision. A refusal (not an office device, a record merged
/// meanwhile, an invalid result) is a `Failed` reply in plain words; nothing was written.
pub(super) fn decide(store: &mut LocalStore, decision: Decision) -> Result<Reply, StoreError> {
    let done = match decision {
        Decision::Merge(a, b) => store.merge_pair(a, b).map(|m| Decided::Merged(m.kept)),
        Decision::NotSame(a, b) => store.mark_not_same(a, b).map(|()| Decided::NotSame(a, b)),
        Decision::UndoNotSame(a, b) => store
            .unmark_not_same(a, b)
            .map(|()| Decided::NotSameUndone(a, b)),
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

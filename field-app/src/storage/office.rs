//! The office's work on its own device (issue 11): the review queue, duplicate pairs found by the
//! shared person matcher, the decisions about them (merge, not the same person, unmerge), the
//! conflicts queue and the work due across every community.
//!
//! Decisions are ordinary edits: read, changed and written in **one** immediate transaction, so
//! a change a sync thread applies meanwhile is never written over; they sync like any edit.
//! Only a device enrolled with the office role decides (the node refuses the same changes from
//! any other device); reading the queues is harmless and open to every role.

use rusqlite::{OptionalExtension as _, params};
use shared::Client;
use shared::ClientDoc;
use shared::audit::AuditAction;
use shared::doc::{Conflict, HistoryEntry};
use shared::ids::{AgentId, ClientId, CommunityCode};
use shared::matching::linkage::{DedupOptions, Evidence, PersonRecord, find_duplicates};
use shared::model::merge::{merge, survivor_of, unmerge};
use shared::model::validate_client;
use shared::time::{CalendarDate, Timestamp};

use super::sync_state::key;
use super::{ClientSummary, LocalStore, SUMMARY_SELECT, Saved, StoreError, save_in};

/// The role an office device is enrolled with (from its enrolment code).
pub const OFFICE_ROLE: &str = "office";

/// The most rows one office queue returns at a time (the rest wait for the next page of work).
pub const MAX_QUEUE_ROWS: u32 = 500;

/// Which new or changed records the review queue shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    /// Only this community.
    pub community: Option<CommunityCode>,
    /// Only records this agent created.
    pub agent: Option<AgentId>,
    /// Only records created at or after this moment.
    pub since: Option<Timestamp>,
}

/// The review queue: records not reviewed on this device since their last change, oldest
/// first.
#[derive(Clone, Debug, Default)]
pub struct ReviewQueue {
    /// At most [`MAX_QUEUE_ROWS`].
    pub rows: Vec<ClientSummary>,
    /// How many match the filter in all.
    pub total: u64,
}

/// A projection row waits for the office's review: live, and new or changed since this device
/// last marked it reviewed. The review queue and a record's screen ask the same question.
const AWAITING_REVIEW: &str = "merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM reviewed r
    WHERE r.client_id = projection.client_id AND r.reviewed_up_to >= projection.updated_at)";

/// Work due across communities (open referrals, follow-ups due).
#[derive(Clone, Debug, Default)]
pub struct DueWork {
    /// At most [`MAX_QUEUE_ROWS`], the earliest due first.
    pub clients: Vec<Client>,
    /// How many records have work due in all.
    pub total: u64,
}

/// The conflicts queue.
#[derive(Clone, Debug, Default)]
pub struct ConflictsQueue {
    /// At most [`MAX_QUEUE_ROWS`] records, the longest waiting first.
    pub items: Vec<ConflictItem>,
    /// How many live records have concurrent values in all.
    pub records_in_all: u64,
}

/// Two records the person matcher says may be one person, with the evidence for and against.
/// Holds personal information: `Debug` is redacted.
#[derive(Clone)]
pub struct DuplicatePair {
    /// One record.
    pub first: Client,
    /// The other.
    pub second: Client,
    /// The matcher's probability that they are one person.
    pub probability: f64,
    /// The given and family names agree only when swapped.
    pub swapped: bool,
    /// Each field's comparison and its weight (positive: agreement).
    pub evidence: Vec<Evidence>,
}

impl std::fmt::Debug for DuplicatePair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DuplicatePair")
            .field("first", &self.first.id)
            .field("second", &self.second.id)
            .field("probability", &self.probability)
            .finish_non_exhaustive()
    }
}

/// The duplicate queue: the likeliest pairs first.
#[derive(Clone, Debug, Default)]
pub struct DuplicateQueue {
    /// At most the limit asked for.
    pub pairs: Vec<DuplicatePair>,
    /// Pairs above the threshold in all.
    pub total: usize,
    /// Live records compared.
    pub records: usize,
}

/// A record with concurrent values, as the conflicts queue shows it.
#[derive(Clone, Debug)]
pub struct ConflictItem {
    /// The record's row.
    pub summary: ClientSummary,
    /// Its conflicting fields, each with every value and who set it.
    pub conflicts: Vec<Conflict>,
    /// Its history (to name agents and devices as the record screen does).
    pub history: Vec<HistoryEntry>,
}

/// What an office decision did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The record that lives on with the union of both.
    pub kept: ClientId,
    /// The record that now redirects to it.
    pub redirect: ClientId,
}

impl LocalStore {
    /// Whether this device is enrolled with the office role.
    pub fn is_office(&self) -> Result<bool, StoreError> {
        Ok(self.link_text(key::ROLE)?.as_deref() == Some(OFFICE_ROLE))
    }

    fn require_office(&self) -> Result<(), StoreError> {
        if self.is_office()? {
            Ok(())
        } else {
            Err(StoreError::NotOffice)
        }
    }

    /// Records new or changed since this device last marked them reviewed, oldest first.
    pub fn review_queue(&self, filter: &ReviewFilter) -> Result<ReviewQueue, StoreError> {
        let mut conditions = vec![AWAITING_REVIEW.to_owned()];
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(community) = &filter.community {
            values.push(community.as_str().to_owned().into());
            conditions.push(format!("community = ?{}", values.len()));
        }
        if let Some(agent) = filter.agent {
            values.push(agent.0.as_bytes().to_vec().into());
            conditions.push(format!("created_by = ?{}", values.len()));
        }
        if let Some(since) = filter.since {
            values.push(since.0.into());
            conditions.push(format!("created_at >= ?{}", values.len()));
        }
        let clause = conditions.join(" AND ");
        let total: i64 = self.connection.query_row(
            &format!("SELECT count(*) FROM projection WHERE {clause}"),
            rusqlite::params_from_iter(&values),
            |r| r.get(0),
        )?;
        let mut statement = self.connection.prepare(&format!(
            "{SUMMARY_SELECT} WHERE {clause} ORDER BY created_at, client_id LIMIT {MAX_QUEUE_ROWS}"
        ))?;
        let rows = statement
            .query_map(rusqlite::params_from_iter(&values), super::summary_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(ReviewQueue {
            rows,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// When a record waits for the office's review (new or changed since this device last
    /// marked it reviewed), the time of the change to mark it reviewed up to; `None` when it
    /// does not wait, or on an agent's laptop (which has no review queue).
    pub fn awaiting_review(&self, id: ClientId) -> Result<Option<Timestamp>, StoreError> {
        if !self.is_office()? {
            return Ok(None);
        }
        let updated_at = self
            .connection
            .query_row(
                &format!(
                    "SELECT updated_at FROM projection WHERE client_id = ?1 AND {AWAITING_REVIEW}"
                ),
                params![id.0.as_bytes()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(updated_at.map(Timestamp))
    }

    /// Marks records reviewed as of the change shown (`updated_at` of the row the office
    /// looked at): a change made after it puts the record back in the queue.
    pub fn mark_reviewed(&mut self, rows: &[(ClientId, Timestamp)]) -> Result<(), StoreError> {
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (id, up_to) in rows {
            tx.prepare_cached(
                "INSERT INTO reviewed (client_id, reviewed_up_to) VALUES (?1, ?2)
                 ON CONFLICT (client_id) DO UPDATE SET
                    reviewed_up_to = max(reviewed_up_to, excluded.reviewed_up_to)",
            )?
            .execute(params![id.0.as_bytes(), up_to.0])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every live record (not merged into another), read from its document.
    pub fn live_clients(&self) -> Result<Vec<Client>, StoreError> {
        // The record kept beside each document (a row read and parsed); the document itself
        // only where none was kept (written before migration 9) or it no longer parses.
        let mut statement = self.connection.prepare(
            "SELECT d.record, d.client_id FROM documents d JOIN projection p ON p.client_id = d.client_id
             WHERE p.merged_into IS NULL",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let mut clients = Vec::new();
        for row in rows {
            let (record, id) = row?;
            match record.and_then(|json| serde_json::from_str::<Client>(&json).ok()) {
                Some(client) => clients.push(client),
                None => {
                    let bytes: Vec<u8> = self.connection.query_row(
                        "SELECT doc FROM documents WHERE client_id = ?1",
                        [&id],
                        |r| r.get(0),
                    )?;
                    clients.push(ClientDoc::load(&bytes, self.author.device)?.read()?);
                }
            }
        }
        Ok(clients)
    }

    /// What the reports need of every live record: the rows kept for them (migration 10), read
    /// in one pass with no join (a merged-away record's row says so), and the record itself
    /// for any record written before those rows were kept.
    pub fn report_facts(&self) -> Result<Vec<shared::report::ReportFacts>, StoreError> {
        let mut facts = Vec::new();
        let mut unreadable = 0usize;
        {
            let mut statement = self.connection.prepare("SELECT facts FROM report_facts")?;
            let rows = statement.query_map([], |r| r.get::<_, String>(0))?;
            for row in rows {
                match serde_json::from_str::<shared::report::ReportFacts>(&row?) {
                    Ok(kept) if !kept.merged => facts.push(kept),
                    Ok(_) => {}
                    Err(_) => unreadable += 1,
                }
            }
        }
        let (kept, records): (i64, i64) = self.connection.query_row(
            "SELECT (SELECT count(*) FROM report_facts), (SELECT count(*) FROM projection)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if unreadable > 0 {
            // Rows a newer build wrote: read every record instead.
            return Ok(self
                .live_clients()?
                .iter()
                .map(shared::report::ReportFacts::of)
                .collect());
        }
        if kept >= records {
            return Ok(facts);
        }
        // Some records have no readable row: read those from their documents (this pass is
        // the slow one, and only a profile from before migration 10 takes it).
        let mut statement = self.connection.prepare(
            "SELECT p.client_id FROM projection p WHERE p.merged_into IS NULL
             AND NOT EXISTS (SELECT 1 FROM report_facts f WHERE f.client_id = p.client_id)",
        )?;
        let missing = statement.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        for id in missing {
            let id = ClientId(uuid::Uuid::from_slice(&id?).map_err(|_| StoreError::NoIdentity)?);
            if let Some(client) = self.client(id)? {
                facts.push(shared::report::ReportFacts::of(&client));
            }
        }
        Ok(facts)
    }

    /// Likely duplicates among the live records (pairs marked "not the same person" and records
    /// merged away are left out), likeliest first, at most `limit`.
    pub fn duplicate_pairs(
        &self,
        threshold: f64,
        limit: usize,
    ) -> Result<DuplicateQueue, StoreError> {
        let clients = self.live_clients()?;
        let records: Vec<PersonRecord> = clients.iter().map(PersonRecord::of).collect();
        let decided = clients
            .iter()
            .flat_map(|c| c.not_same_person.iter().map(move |other| (c.id, *other)))
            .collect();
        let report = find_duplicates(
            &records,
            &DedupOptions {
                threshold,
                decided,
                ..DedupOptions::default()
            },
        );
        let by_id: std::collections::HashMap<ClientId, &Client> =
            clients.iter().map(|c| (c.id, c)).collect();
        let total = report.pairs.len();
        let pairs = report
            .pairs
            .into_iter()
            .filter_map(|pair| {
                Some(DuplicatePair {
                    first: (*by_id.get(&pair.a)?).clone(),
                    second: (*by_id.get(&pair.b)?).clone(),
                    probability: pair.probability,
                    swapped: pair.swapped,
                    evidence: pair.evidence,
                })
            })
            .take(limit)
            .collect();
        Ok(DuplicateQueue {
            pairs,
            total,
            records: clients.len(),
        })
    }

    /// Reads `ids` inside one immediate transaction, lets `decide` change them, checks every
    /// result like an intake and writes the changed ones, all or nothing.
    fn decide<T>(
        &mut self,
        ids: &[ClientId],
        action: AuditAction,
        decide: impl FnOnce(&mut Vec<Client>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.require_office()?;
        let author = self.author;
        let now = Timestamp::now();
        let today = CalendarDate::today_utc();
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut clients = Vec::with_capacity(ids.len());
        for id in ids {
            let bytes: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT doc FROM documents WHERE client_id = ?1",
                    [id.0.as_bytes()],
                    |r| r.get(0),
                )
                .optional()?;
            let bytes = bytes.ok_or(StoreError::NoSuchRecord)?;
            clients.push(ClientDoc::load(&bytes, author.device)?.read()?);
        }
        let outcome = decide(&mut clients)?;
        let errors: Vec<_> = clients
            .iter()
            .filter_map(|c| validate_client(c, &self.catalogue, today).err())
            .flatten()
            .collect();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut summaries = Vec::new();
        for client in &clients {
            if let (Saved::Created | Saved::Updated, Some(summary)) =
                save_in(&tx, client, author, now)?
            {
                summaries.push(summary);
            }
        }
        for id in ids {
            super::audit::append(&tx, author, action, Some(*id), now)?;
        }
        tx.commit()?;
        for summary in &summaries {
            summary.index_into(&mut self.index);
        }
        Ok(outcome)
    }

    /// Merges two records of one person (see [`shared::model::merge`]): the older survives
    /// with the union of both, the other becomes a redirect to it.
    pub fn merge_pair(&mut self, a: ClientId, b: ClientId) -> Result<Merged, StoreError> {
        if a == b {
            return Err(StoreError::SameRecord);
        }
        self.decide(&[a, b], AuditAction::Merge, |clients| {
            if clients.iter().any(|c| c.merged_into.is_some()) {
                return Err(StoreError::AlreadyMerged);
            }
            let (kept, redirect) = {
                let (keep, other) = survivor_of(&clients[0], &clients[1]);
                merge(keep, other)
            };
            let merged = Merged {
                kept: kept.id,
                redirect: redirect.id,
            };
            *clients = vec![kept, redirect];
            Ok(merged)
        })
    }

    /// Remembers that two records are two people: dedup never proposes the pair again.
    pub fn mark_not_same(&mut self, a: ClientId, b: ClientId) -> Result<(), StoreError> {
        if a == b {
            return Err(StoreError::SameRecord);
        }
        self.decide(&[a, b], AuditAction::NotSame, |clients| {
            if clients.iter().any(|c| c.merged_into.is_some()) {
                return Err(StoreError::AlreadyMerged);
            }
            let ids = [clients[0].id, clients[1].id];
            for (client, other) in clients.iter_mut().zip([ids[1], ids[0]]) {
                if !client.not_same_person.contains(&other) {
                    client.not_same_person.push(other);
                }
            }
            Ok(())
        })
    }

    /// Takes back "not the same person" for two records (a click on the wrong button): dedup
    /// may propose the pair again. Recorded as an edit of both.
    pub fn unmark_not_same(&mut self, a: ClientId, b: ClientId) -> Result<(), StoreError> {
        if a == b {
            return Err(StoreError::SameRecord);
        }
        self.decide(&[a, b], AuditAction::Edit, |clients| {
            let ids = [clients[0].id, clients[1].id];
            for (client, other) in clients.iter_mut().zip([ids[1], ids[0]]) {
                client.not_same_person.retain(|c| *c != other);
            }
            Ok(())
        })
    }

    /// Undoes a merge: the redirect `id` lives again with what it brought (and what was added
    /// to those items since), the survivor gives it back, and the pair is marked "not the same
    /// person" so it is not proposed again (see [`shared::model::merge::unmerge`]).
    pub fn unmerge_record(&mut self, id: ClientId) -> Result<Merged, StoreError> {
        let survivor = self
            .summary(id)?
            .ok_or(StoreError::NoSuchRecord)?
            .merged_into
            .ok_or(StoreError::NotMerged)?;
        self.decide(&[survivor, id], AuditAction::Unmerge, |clients| {
            if clients[1].merged_into != Some(survivor) {
                return Err(StoreError::NotMerged);
            }
            if clients[0].merged_into.is_some() {
                // Undo the later merge first: the items went on to a third record.
                return Err(StoreError::AlreadyMerged);
            }
            let (kept, restored) = unmerge(&clients[0], &clients[1]);
            *clients = vec![kept, restored];
            Ok(Merged {
                kept: survivor,
                redirect: id,
            })
        })
    }

    /// Records merged into `id` (the office can undo each).
    pub fn merged_into(&self, id: ClientId) -> Result<Vec<ClientSummary>, StoreError> {
        let mut statement = self.connection.prepare_cached(&format!(
            "{SUMMARY_SELECT} WHERE merged_into = ?1 ORDER BY created_at"
        ))?;
        let rows = statement
            .query_map([id.0.as_bytes()], super::summary_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Live records with concurrent values, the longest waiting first: at most
    /// [`MAX_QUEUE_ROWS`] of them, and how many there are in all.
    pub fn conflicts_queue(&self) -> Result<ConflictsQueue, StoreError> {
        const LIVE_WITH_CONFLICTS: &str = "WHERE conflicts > 0 AND merged_into IS NULL";
        let total: i64 = self.connection.query_row(
            &format!("SELECT count(*) FROM projection {LIVE_WITH_CONFLICTS}"),
            [],
            |r| r.get(0),
        )?;
        let rows = self.summaries(LIVE_WITH_CONFLICTS, &[], MAX_QUEUE_ROWS)?;
        let mut items = Vec::with_capacity(rows.len());
        for summary in rows {
            if let Some(mut doc) = self.document(summary.id)? {
                let conflicts = doc.conflicts();
                if !conflicts.is_empty() {
                    items.push(ConflictItem {
                        summary,
                        conflicts,
                        history: doc.history(),
                    });
                }
            }
        }
        Ok(ConflictsQueue {
            items,
            records_in_all: u64::try_from(total).unwrap_or(0),
        })
    }

    /// Live records with an open referral or a follow-up due by `day`, in every community or
    /// in one, the earliest due first: at most [`MAX_QUEUE_ROWS`], and how many in all.
    pub fn due_work(
        &self,
        day: CalendarDate,
        community: Option<&CommunityCode>,
    ) -> Result<DueWork, StoreError> {
        let clause = "merged_into IS NULL AND (next_follow_up <= ?1 OR open_referrals > 0)
             AND (?2 IS NULL OR community = ?2)";
        let day = day.to_string();
        let community = community.map(CommunityCode::as_str);
        let total: i64 = self.connection.query_row(
            &format!("SELECT count(*) FROM projection WHERE {clause}"),
            params![day, community],
            |r| r.get(0),
        )?;
        let mut statement = self.connection.prepare(&format!(
            "SELECT client_id FROM projection WHERE {clause}
             ORDER BY next_follow_up IS NULL, next_follow_up, family_name, given_name
             LIMIT {MAX_QUEUE_ROWS}"
        ))?;
        let ids: Vec<Vec<u8>> = statement
            .query_map(params![day, community], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut clients = Vec::with_capacity(ids.len());
        for bytes in ids {
            let Ok(uuid) = uuid::Uuid::from_slice(&bytes) else {
                continue;
            };
            clients.extend(self.client(ClientId(uuid))?);
        }
        Ok(DueWork {
            clients,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// Fills `created_by` on projection rows written before it existed (once, after the
    /// upgrade that added it), from the documents, in one transaction.
    pub(super) fn backfill_created_by(&mut self) -> Result<(), StoreError> {
        let missing: i64 = self.connection.query_row(
            "SELECT count(*) FROM projection WHERE created_by IS NULL",
            [],
            |r| r.get(0),
        )?;
        if missing == 0 {
            return Ok(());
        }
        let device = self.author.device;
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut read = tx.prepare(
                "SELECT d.client_id, d.doc FROM documents d JOIN projection p
                 ON p.client_id = d.client_id WHERE p.created_by IS NULL",
            )?;
            let mut write =
                tx.prepare("UPDATE projection SET created_by = ?2 WHERE client_id = ?1")?;
            let rows = read.query_map([], |r| {
                Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?;
            for row in rows {
                let (id, bytes) = row?;
                // A document that does not read stays without: the queue's agent filter skips it.
                if let Ok(client) = ClientDoc::load(&bytes, device).and_then(|d| d.read()) {
                    write.execute(params![id, client.provenance.created_by.0.as_bytes()])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }
}

//! The laptop's encrypted local store (decisions D1, D4, D5).
//!
//! One SQLCipher database per profile (opened through `vault`, failing closed) holds:
//! - `documents`: each client's Automerge document;
//! - `projection`: what lists and search need, written **in the same transaction** as the
//!   document, so a list never disagrees with a record;
//! - `outbox`: the raw changes no node has acknowledged yet, for the sync engine;
//! - `profile`: this device's id and its agent.
//!
//! A save returns only after its transaction is committed with `synchronous=FULL`: a record the
//! UI shows as saved survives the battery dying.

pub mod audit;
pub mod drafts;
mod listing;
mod migrations;
pub mod office;
mod overview;
mod projection;
pub mod sync_state;

use std::path::Path;

use rusqlite::{Connection, OptionalExtension as _, Transaction, params};
use shared::crypto::recovery::RecoveryRecipient;
use shared::crypto::{DataKey, KdfParams, Passphrase};
use shared::ids::{AgentId, ClientId, DeviceId};
use shared::model::{ValidationError, validate_client};
use shared::time::{CalendarDate, Timestamp};
use shared::{Author, Catalogue, Client, ClientDoc, DocError};

pub use drafts::{DraftId, DraftSummary, StoredDraft};
pub use listing::{FindQuery, Found, ListFilter};
use listing::{SUMMARY_SELECT, summary_from_row};
pub use projection::ClientSummary;
pub use sync_client::PendingUpload;
pub use sync_state::HeldChange;

use shared::matching::SearchIndex;

/// Why a store operation failed. Carries no client data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Creating or opening the encrypted profile failed.
    #[error(transparent)]
    Vault(#[from] vault::VaultError),
    /// A database error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored document could not be read.
    #[error(transparent)]
    Document(#[from] DocError),
    /// The record is invalid; nothing was saved.
    #[error("the record is invalid: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ValidationError>),
    /// The profile was written by a newer version of the app.
    #[error("the profile has schema version {found}; this app supports up to {supported}")]
    NewerSchema {
        /// Found in the file.
        found: i64,
        /// This build's.
        supported: i64,
    },
    /// Intake lines did not parse (fictional data only: demo, tests, benchmarks).
    #[error("intake line refused: {0}")]
    Import(String),
    /// The profile lacks its device identity (damaged).
    #[error("the profile has no device identity")]
    NoIdentity,
    /// An upload could not be encoded.
    #[error("{0}")]
    Encode(String),
    /// A draft was larger than [`drafts::MAX_DRAFT_BYTES`]; it was not written.
    #[error("the draft takes {bytes} bytes, more than a form can hold; it was not kept")]
    DraftTooLarge {
        /// Its size.
        bytes: usize,
    },
    /// [`drafts::MAX_OPEN_DRAFTS`] drafts are open already.
    #[error("too many open drafts: save or discard some on Home before starting another")]
    TooManyDrafts,
    /// The audit trail holds an entry that does not read (damage or tampering).
    #[error("the audit trail is damaged")]
    AuditDamaged,
    /// Only a device enrolled with the office role decides about duplicates.
    #[error("only an office device decides about duplicates (this laptop is not enrolled as one)")]
    NotOffice,
    /// The record is not on this device.
    #[error("the record is not on this device")]
    NoSuchRecord,
    /// Both ids name one record.
    #[error("the two ids are the same record")]
    SameRecord,
    /// One of the records was merged into another already.
    #[error("one of the records was already merged into another")]
    AlreadyMerged,
    /// The record was not merged into another: there is nothing to undo.
    #[error("the record was not merged into another")]
    NotMerged,
    /// The built-in catalogue failed to load (a build defect).
    #[error(transparent)]
    Catalogue(#[from] shared::catalogue::CatalogueError),
}

/// What a save did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    /// A new record.
    Created,
    /// An existing record changed.
    Updated,
    /// Nothing differed from what was stored.
    Unchanged,
}

/// An unlocked profile.
pub struct LocalStore {
    connection: Connection,
    author: Author,
    catalogue: Catalogue,
    index: SearchIndex,
    weak_kdf: bool,
}

impl std::fmt::Debug for LocalStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalStore")
            .field("device", &self.author.device)
            .finish_non_exhaustive()
    }
}

impl LocalStore {
    /// Creates a new profile in `dir`, usable offline at once.
    pub fn create(
        dir: &Path,
        passphrase: &Passphrase,
        params: KdfParams,
        recovery: Option<&RecoveryRecipient>,
    ) -> Result<Self, StoreError> {
        Self::create_keeping_key(dir, passphrase, params, recovery).map(|(store, _)| store)
    }

    /// [`LocalStore::create`], also returning the data key, so a sync thread can open its own
    /// connection later without a second key derivation (zeroized on drop; drop it at lock).
    pub fn create_keeping_key(
        dir: &Path,
        passphrase: &Passphrase,
        params: KdfParams,
        recovery: Option<&RecoveryRecipient>,
    ) -> Result<(Self, DataKey), StoreError> {
        let (mut connection, key) = vault::create_keeping_key(dir, passphrase, params, recovery)?;
        migrations::migrate(&mut connection)?;
        let author = Author {
            agent: AgentId::random(),
            device: DeviceId::random(),
        };
        connection.execute(
            "INSERT INTO profile (key, value) VALUES ('device_id', ?1), ('agent_id', ?2), ('created_at', ?3)",
            params![author.device.to_string(), author.agent.to_string(), Timestamp::now().to_rfc3339()],
        )?;
        let mut store = Self::ready(connection, params.is_below_owasp_floor(), true)?;
        store.audit_unlock(dir)?;
        Ok((store, key))
    }

    /// Opens (unlocks) the profile in `dir`. Fails closed.
    pub fn open(dir: &Path, passphrase: &Passphrase) -> Result<Self, StoreError> {
        Self::open_keeping_key(dir, passphrase).map(|(store, _)| store)
    }

    /// [`LocalStore::open`], also returning the data key (see [`LocalStore::create_keeping_key`]).
    pub fn open_keeping_key(
        dir: &Path,
        passphrase: &Passphrase,
    ) -> Result<(Self, DataKey), StoreError> {
        let (opened, key) = match vault::open_keeping_key(dir, passphrase) {
            Ok(opened) => opened,
            Err(error) => {
                if matches!(error, vault::VaultError::WrongPassphrase) {
                    audit::note_failed_unlock(dir, Timestamp::now());
                }
                return Err(error.into());
            }
        };
        let vault::Opened {
            mut connection,
            weak_kdf,
        } = opened;
        migrations::migrate(&mut connection)?;
        let mut store = Self::ready(connection, weak_kdf, true)?;
        store.audit_unlock(dir)?;
        Ok((store, key))
    }

    /// A second connection to an unlocked profile, from its data key: no key derivation and no
    /// search index (a sync thread needs neither; it reports which records it changed so the
    /// connection that searches updates its index). Fails closed like [`LocalStore::open`].
    pub fn open_for_sync(dir: &Path, key: &DataKey) -> Result<Self, StoreError> {
        let vault::Opened {
            mut connection,
            weak_kdf,
        } = vault::open_with_key(dir, key, false)?;
        migrations::migrate(&mut connection)?;
        Self::ready(connection, weak_kdf, false)
    }

    /// Re-reads these records' projection rows into the search index (after another connection,
    /// such as a sync thread, changed them).
    pub fn reindex(&mut self, ids: &[ClientId]) -> Result<(), StoreError> {
        for id in ids {
            match self.summary(*id)? {
                Some(summary) => summary.index_into(&mut self.index),
                None => self.index.remove(*id),
            }
        }
        Ok(())
    }

    /// Settles one conflict of a record (issue 11): keeps one of its concurrent values or a
    /// typed one, as an ordinary change that syncs and clears the conflict everywhere. The
    /// record must still pass the intake checks; all in one transaction. `false` when the field
    /// had no conflict.
    pub fn settle_conflict(
        &mut self,
        id: ClientId,
        path: &str,
        choice: &shared::doc::settle::Choice,
    ) -> Result<bool, StoreError> {
        let author = self.author;
        let now = Timestamp::now();
        let today = now
            .date_utc()
            .unwrap_or_else(shared::time::CalendarDate::today_utc);
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let stored: Option<(Vec<u8>, u32)> = tx
            .query_row(
                "SELECT doc, epoch FROM documents WHERE client_id = ?1",
                [id.0.as_bytes()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((bytes, epoch)) = stored else {
            return Err(StoreError::Invalid(vec![]));
        };
        let mut doc = ClientDoc::load(&bytes, author.device)?;
        let Some(change) = doc.settle(path, choice, author, now)? else {
            return Ok(false);
        };
        let client = doc.read()?;
        validate_client(&client, &self.catalogue, today).map_err(StoreError::Invalid)?;
        let summary = ClientSummary::of(&client, doc.conflicts().len());
        keep_written(&tx, &mut doc, &client, &summary, epoch, &change, now)?;
        audit::append(
            &tx,
            author,
            shared::audit::AuditAction::Settle,
            Some(id),
            now,
        )?;
        tx.commit()?;
        summary.index_into(&mut self.index);
        Ok(true)
    }

    /// The record `id` stands for now: itself, or the record the office merged it into
    /// (redirects followed, at most a few hops; a redirect to a record not on this device
    /// stays where it is).
    pub fn live_id(&self, id: ClientId) -> Result<ClientId, StoreError> {
        let mut current = id;
        for _ in 0..8 {
            match self.summary(current)?.and_then(|s| s.merged_into) {
                Some(next) if self.summary(next)?.is_some() => current = next,
                _ => break,
            }
        }
        Ok(current)
    }

    fn ready(connection: Connection, weak_kdf: bool, with_index: bool) -> Result<Self, StoreError> {
        let read = |key: &str| -> Result<Option<String>, StoreError> {
            Ok(connection
                .query_row("SELECT value FROM profile WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?)
        };
        let device = read("device_id")?
            .and_then(|v| v.parse().ok())
            .ok_or(StoreError::NoIdentity)?;
        let agent = read("agent_id")?
            .and_then(|v| v.parse().ok())
            .ok_or(StoreError::NoIdentity)?;
        let mut store = Self {
            connection,
            author: Author { agent, device },
            catalogue: Catalogue::current()?.clone(),
            index: SearchIndex::default(),
            weak_kdf,
        };
        if with_index {
            store.backfill_created_by()?;
            store.rebuild_index()?;
        }
        Ok(store)
    }

    /// Reads every record's projection row into a new search index (done at unlock; before the
    /// sync thread reported what it changed, the GUI also did it after every sync — the
    /// `gui_sync` bench measures that cost).
    pub fn rebuild_index(&mut self) -> Result<(), StoreError> {
        let mut index = SearchIndex::default();
        for summary in self.summaries("", &[], u32::MAX)? {
            summary.index_into(&mut index);
        }
        self.index = index;
        Ok(())
    }

    /// This device and its agent, as stamped on every change.
    #[must_use]
    pub fn author(&self) -> Author {
        self.author
    }

    /// The catalogue records are checked against.
    #[must_use]
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The profile was made with test-only key derivation parameters.
    #[must_use]
    pub fn uses_test_only_kdf(&self) -> bool {
        self.weak_kdf
    }

    /// Validates and saves one record durably. Returns once committed.
    pub fn save(&mut self, client: &Client) -> Result<Saved, StoreError> {
        let mut saved = self.save_all(std::slice::from_ref(client))?;
        Ok(saved.pop().unwrap_or(Saved::Unchanged))
    }

    /// Validates every record, then saves them all in one transaction: all or nothing.
    pub fn save_all(&mut self, clients: &[Client]) -> Result<Vec<Saved>, StoreError> {
        self.save_with_household_links(clients, &[])
    }

    /// Saves `clients` and adds each `(member, link)` to the existing record `member` — the other
    /// half of a household link made in the form — all in one transaction, reading those records
    /// inside it so a change pulled meanwhile is never overwritten. Outcomes are for `clients`.
    pub fn save_with_household_links(
        &mut self,
        clients: &[Client],
        links: &[(ClientId, shared::model::HouseholdLink)],
    ) -> Result<Vec<Saved>, StoreError> {
        self.save_intake(clients, links, None)
    }

    /// [`LocalStore::save_with_household_links`], also ending the form's draft in the same
    /// transaction: either the records are stored and the draft is gone, or neither.
    pub fn save_intake(
        &mut self,
        clients: &[Client],
        links: &[(ClientId, shared::model::HouseholdLink)],
        finished_draft: Option<DraftId>,
    ) -> Result<Vec<Saved>, StoreError> {
        let today = CalendarDate::today_utc();
        let now = Timestamp::now();
        let author = self.author;
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut linked: Vec<Client> = Vec::new();
        for (member, link) in links {
            let stored: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT doc FROM documents WHERE client_id = ?1",
                    [member.0.as_bytes()],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(bytes) = stored else { continue };
            let mut other = match linked.iter().position(|c| c.id == *member) {
                Some(at) => linked.remove(at),
                None => ClientDoc::load(&bytes, author.device)?.read()?,
            };
            if !other.household.iter().any(|l| l.member == link.member) {
                other.household.push(link.clone());
            }
            linked.push(other);
        }
        let errors: Vec<ValidationError> = clients
            .iter()
            .chain(&linked)
            .filter_map(|c| validate_client(c, &self.catalogue, today).err())
            .flatten()
            .collect();
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut outcomes = Vec::with_capacity(clients.len());
        let mut summaries = Vec::with_capacity(clients.len() + linked.len());
        for (index, client) in clients.iter().chain(&linked).enumerate() {
            let (saved, summary) = save_in(&tx, client, author, now)?;
            if index < clients.len() {
                outcomes.push(saved);
            }
            summaries.extend(summary);
        }
        if let Some(draft) = finished_draft {
            tx.execute(
                "DELETE FROM drafts WHERE draft_id = ?1",
                [draft.0.as_bytes()],
            )?;
        }
        tx.commit()?;
        for summary in &summaries {
            summary.index_into(&mut self.index);
        }
        Ok(outcomes)
    }

    /// A record, read from its document.
    pub fn client(&self, id: ClientId) -> Result<Option<Client>, StoreError> {
        self.document(id)?
            .map(|doc| doc.read().map_err(StoreError::from))
            .transpose()
    }

    /// A record's document (for history and conflicts).
    pub fn document(&self, id: ClientId) -> Result<Option<ClientDoc>, StoreError> {
        let bytes: Option<Vec<u8>> = self
            .connection
            .query_row(
                "SELECT doc FROM documents WHERE client_id = ?1",
                [id.0.as_bytes()],
                |r| r.get(0),
            )
            .optional()?;
        bytes
            .map(|b| ClientDoc::load(&b, self.author.device).map_err(StoreError::from))
            .transpose()
    }

    /// Number of records.
    pub fn count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .connection
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Changes waiting for a node to acknowledge them.
    pub fn pending_changes(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .connection
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Total bytes of the raw changes waiting in the outbox.
    pub fn pending_change_bytes(&self) -> Result<u64, StoreError> {
        let n: i64 = self.connection.query_row(
            "SELECT coalesce(sum(length(change)), 0) FROM outbox",
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// SQLite's full integrity check; `true` when it reports `ok`.
    pub fn integrity_check(&self) -> Result<bool, StoreError> {
        let result: String = self
            .connection
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(result == "ok")
    }
}

fn save_in(
    tx: &Transaction<'_>,
    client: &Client,
    author: Author,
    now: Timestamp,
) -> Result<(Saved, Option<ClientSummary>), StoreError> {
    let existing: Option<Vec<u8>> = tx
        .query_row(
            "SELECT doc FROM documents WHERE client_id = ?1",
            [client.id.0.as_bytes()],
            |r| r.get(0),
        )
        .optional()?;
    let (mut doc, kind) = match &existing {
        Some(bytes) => (ClientDoc::load(bytes, author.device)?, Saved::Updated),
        None => (ClientDoc::empty(author.device), Saved::Created),
    };
    let before = if kind == Saved::Updated {
        let stored = doc.read()?;
        if &stored == client {
            return Ok((Saved::Unchanged, None));
        }
        Some(stored)
    } else {
        None
    };
    let mut stamped = client.clone();
    stamped.provenance.updated_at = now;
    stamped.provenance.updated_by = author.agent;
    let Some(change) = doc.write(&stamped, author, now)? else {
        return Ok((Saved::Unchanged, None));
    };
    let summary = ClientSummary::of(&stamped, doc.conflicts().len());
    keep_written(
        tx,
        &mut doc,
        &stamped,
        &summary,
        stamped.epoch,
        &change,
        now,
    )?;
    audit::for_save(tx, author, before.as_ref(), &stamped, now)?;
    Ok((kind, Some(summary)))
}

/// Stores a document after a local change: the document, its projection row and the change
/// in the outbox (inside the caller's transaction).
fn keep_written(
    tx: &Transaction<'_>,
    doc: &mut ClientDoc,
    client: &Client,
    summary: &ClientSummary,
    epoch: u32,
    change: &shared::RawChange,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO documents (client_id, epoch, doc, heads, updated_at, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (client_id) DO UPDATE SET epoch = ?2, doc = ?3, heads = ?4, updated_at = ?5, record = ?6",
    )?
    .execute(params![summary.id.0.as_bytes(), epoch, doc.save(), doc.heads_bytes(), now.0, record_json(client)])?;
    keep_report_facts(tx, client)?;
    write_projection(tx, summary)?;
    tx.prepare_cached(
        "INSERT INTO outbox (client_id, change_hash, change, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (change_hash) DO NOTHING",
    )?
    .execute(params![
        summary.id.0.as_bytes(),
        change.hash.as_slice(),
        change.bytes,
        now.0
    ])?;
    Ok(())
}

/// What the reports need of a record, kept in its own row (inside the caller's transaction).
pub(crate) fn keep_report_facts(tx: &Transaction<'_>, client: &Client) -> Result<(), StoreError> {
    let Ok(facts) = serde_json::to_string(&shared::report::ReportFacts::of(client)) else {
        return Ok(());
    };
    tx.prepare_cached(
        "INSERT INTO report_facts (client_id, facts) VALUES (?1, ?2)
         ON CONFLICT (client_id) DO UPDATE SET facts = ?2",
    )?
    .execute(params![client.id.0.as_bytes(), facts])?;
    Ok(())
}

/// A record as kept beside its document (`None` if it does not serialise: readers then load the
/// document).
pub(crate) fn record_json(client: &Client) -> Option<String> {
    serde_json::to_string(client).ok()
}

fn write_projection(tx: &Transaction<'_>, s: &ClientSummary) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO projection (client_id, given_name, family_name, preferred_name, other_names,
            date_of_birth, community, open_referrals, next_follow_up, conflicts, created_at, updated_at,
            merged_into, external_reference, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        s.id.0.as_bytes(),
        s.given_name,
        s.family_name,
        s.preferred_name,
        serde_json::to_string(&s.other_names).unwrap_or_else(|_| "[]".into()),
        s.date_of_birth,
        s.community.as_str(),
        s.open_referrals,
        s.next_follow_up,
        s.conflicts,
        s.created_at.0,
        s.updated_at.0,
        s.merged_into.map(|m| m.0.as_bytes().to_vec()),
        s.external_reference,
        s.created_by.map(|a| a.0.as_bytes().to_vec()),
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests;

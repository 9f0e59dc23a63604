//! Intake forms as they are typed (issue 10): the form's state, kept in the encrypted profile
//! like every record, so that leaving the screen, a lock, a crash or a dead battery loses at
//! most the last debounce interval of typing. A draft ends when its record is saved (in the
//! same transaction) or when the agent discards it.
//!
//! The store keeps a draft's body as opaque bytes: what a form holds is the GUI's business.

use rusqlite::{OptionalExtension as _, params};
use shared::ids::ClientId;
use shared::time::Timestamp;
use zeroize::Zeroizing;

use super::{LocalStore, StoreError};

/// The most a draft's body may take: a form is a few kilobytes, so anything near this is a
/// defect, refused rather than written.
pub const MAX_DRAFT_BYTES: usize = 1 << 20;

/// The most drafts a profile keeps open; the oldest beyond it are not dropped, a new one is
/// refused (the agent is told to finish or discard some).
pub const MAX_OPEN_DRAFTS: u64 = 200;

/// One draft's id (random, made when a form starts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DraftId(pub uuid::Uuid);

impl DraftId {
    /// A fresh id.
    #[must_use]
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

/// A draft as written and read back.
pub struct StoredDraft {
    /// Its id.
    pub id: DraftId,
    /// The stored record it edits; `None` for a new intake.
    pub record: Option<ClientId>,
    /// What lists show (the name typed so far).
    pub label: String,
    /// The form's state, as the GUI encoded it.
    pub body: Zeroizing<Vec<u8>>,
    /// When the form was started.
    pub started_at: Timestamp,
    /// When it was last written.
    pub updated_at: Timestamp,
}

impl std::fmt::Debug for StoredDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredDraft")
            .field("id", &self.id)
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// A draft as lists show it (no body).
#[derive(Clone, PartialEq, Eq)]
pub struct DraftSummary {
    /// Its id.
    pub id: DraftId,
    /// The stored record it edits; `None` for a new intake.
    pub record: Option<ClientId>,
    /// The name typed so far (may be empty).
    pub label: String,
    /// When it was last written.
    pub updated_at: Timestamp,
}

impl std::fmt::Debug for DraftSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DraftSummary")
            .field("id", &self.id)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

impl LocalStore {
    /// Writes a draft (creating or replacing it) in one durable transaction.
    pub fn put_draft(&mut self, draft: &StoredDraft) -> Result<(), StoreError> {
        if draft.body.len() > MAX_DRAFT_BYTES {
            return Err(StoreError::DraftTooLarge {
                bytes: draft.body.len(),
            });
        }
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists: bool = tx
            .query_row(
                "SELECT 1 FROM drafts WHERE draft_id = ?1",
                [draft.id.0.as_bytes()],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !exists {
            let open: i64 = tx.query_row("SELECT COUNT(*) FROM drafts", [], |r| r.get(0))?;
            if u64::try_from(open).unwrap_or(u64::MAX) >= MAX_OPEN_DRAFTS {
                return Err(StoreError::TooManyDrafts);
            }
        }
        tx.execute(
            "INSERT INTO drafts (draft_id, record_id, label, body, started_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (draft_id) DO UPDATE SET
                record_id = excluded.record_id, label = excluded.label, body = excluded.body,
                updated_at = excluded.updated_at",
            params![
                draft.id.0.as_bytes(),
                draft.record.map(|r| r.0.as_bytes().to_vec()),
                draft.label,
                draft.body.as_slice(),
                draft.started_at.0,
                draft.updated_at.0,
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The open drafts, most recently written first.
    pub fn drafts(&self) -> Result<Vec<DraftSummary>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT draft_id, record_id, label, updated_at FROM drafts
             ORDER BY updated_at DESC, draft_id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(DraftSummary {
                id: DraftId(uuid_from(&row.get::<_, Vec<u8>>(0)?)),
                record: row
                    .get::<_, Option<Vec<u8>>>(1)?
                    .map(|bytes| ClientId(uuid_from(&bytes))),
                label: row.get(2)?,
                updated_at: Timestamp(row.get(3)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One draft with its body; `None` when it was saved or discarded meanwhile.
    pub fn draft(&self, id: DraftId) -> Result<Option<StoredDraft>, StoreError> {
        Ok(self
            .connection
            .query_row(
                "SELECT record_id, label, body, started_at, updated_at FROM drafts
                 WHERE draft_id = ?1",
                [id.0.as_bytes()],
                |row| {
                    Ok(StoredDraft {
                        id,
                        record: row
                            .get::<_, Option<Vec<u8>>>(0)?
                            .map(|bytes| ClientId(uuid_from(&bytes))),
                        label: row.get(1)?,
                        body: Zeroizing::new(row.get(2)?),
                        started_at: Timestamp(row.get(3)?),
                        updated_at: Timestamp(row.get(4)?),
                    })
                },
            )
            .optional()?)
    }

    /// Discards a draft (nothing happens when it is already gone).
    pub fn discard_draft(&mut self, id: DraftId) -> Result<(), StoreError> {
        self.connection
            .execute("DELETE FROM drafts WHERE draft_id = ?1", [id.0.as_bytes()])?;
        Ok(())
    }
}

/// A stored 16-byte id; anything else reads as the nil id, which matches nothing.
fn uuid_from(bytes: &[u8]) -> uuid::Uuid {
    <[u8; 16]>::try_from(bytes).map_or(uuid::Uuid::nil(), uuid::Uuid::from_bytes)
}

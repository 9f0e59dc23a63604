//! What the sync engine keeps in the encrypted store: the link to a node (URL, pinned
//! certificate fingerprint, device key, cursor, request counter, clock offset) and the upload in
//! flight. Each step is one transaction, so a sync cut at any point resumes where it stopped.

use std::collections::HashMap;

use rusqlite::{OptionalExtension as _, params};
use shared::ClientDoc;
use shared::ids::ClientId;
use shared::protocol::{BatchChange, encode_changes, upload_id};

use super::{ClientSummary, LocalStore, StoreError};

/// Link settings keys.
pub mod key {
    /// The node's URL.
    pub const NODE_URL: &str = "node_url";
    /// SHA-256 of the node's certificate.
    pub const FINGERPRINT: &str = "fingerprint";
    /// The node's id.
    pub const NODE_ID: &str = "node_id";
    /// `agent` or `office`.
    pub const ROLE: &str = "role";
    /// Newline-separated community codes.
    pub const SCOPE: &str = "scope";
    /// The device's Ed25519 key, PKCS#8.
    pub const DEVICE_KEY: &str = "device_key";
    /// Last node log sequence applied.
    pub const CURSOR: &str = "cursor";
    /// Last request counter used.
    pub const COUNTER: &str = "counter";
    /// Node clock minus device clock, ms.
    pub const CLOCK_OFFSET: &str = "clock_offset_ms";
    /// When the last sync finished (ms since the epoch).
    pub const LAST_SYNC: &str = "last_sync_ms";
}

/// An upload built from the outbox and kept until acknowledged.
#[derive(Clone)]
pub struct PendingUpload {
    /// SHA-256 of `blob`.
    pub id: [u8; 32],
    /// The compressed batch.
    pub blob: Vec<u8>,
    /// The last outbox sequence it includes.
    pub max_seq: i64,
    /// How many changes it holds.
    pub changes: u32,
    /// Times it was sent without an acknowledgement.
    pub attempts: u32,
}

impl std::fmt::Debug for PendingUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PendingUpload({} changes, {} bytes, {} attempts)",
            self.changes,
            self.blob.len(),
            self.attempts
        )
    }
}

/// zstd level for uploads: slow to compress, but a satellite link is slower.
const UPLOAD_COMPRESSION_LEVEL: i32 = 19;

impl LocalStore {
    /// A link setting.
    pub fn link_value(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .connection
            .query_row("SELECT value FROM sync_link WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// A link setting as text.
    pub fn link_text(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .link_value(key)?
            .map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// A link setting as a number (0 when unset).
    pub fn link_number(&self, key: &str) -> Result<i64, StoreError> {
        Ok(self
            .link_text(key)?
            .and_then(|t| t.parse().ok())
            .unwrap_or(0))
    }

    /// Sets several link settings in one transaction.
    pub fn set_link(&mut self, values: &[(&str, &[u8])]) -> Result<(), StoreError> {
        let tx = self.connection.transaction()?;
        for (key, value) in values {
            tx.execute(
                "INSERT OR REPLACE INTO sync_link (key, value) VALUES (?1, ?2)",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The next request counter, persisted before it is used so it never repeats after a crash.
    pub fn next_counter(&mut self) -> Result<u64, StoreError> {
        let next = self.link_number(key::COUNTER)? + 1;
        self.set_link(&[(key::COUNTER, next.to_string().as_bytes())])?;
        Ok(u64::try_from(next).unwrap_or(0))
    }

    /// The upload in flight, or a new one built from the oldest outbox changes (up to about
    /// `max_bytes` of raw changes); `None` when the outbox is empty.
    pub fn pending_upload(
        &mut self,
        max_bytes: usize,
    ) -> Result<Option<PendingUpload>, StoreError> {
        if let Some(upload) = self.stored_upload()? {
            return Ok(Some(upload));
        }
        let mut statement = self.connection.prepare_cached(
            "SELECT o.seq, o.client_id, coalesce(d.epoch, 0), o.change FROM outbox o
             LEFT JOIN documents d ON d.client_id = o.client_id ORDER BY o.seq",
        )?;
        let mut rows = statement.query([])?;
        let mut changes = Vec::new();
        let mut max_seq = 0i64;
        let mut bytes = 0usize;
        while let Some(row) = rows.next()? {
            let change: Vec<u8> = row.get(3)?;
            if !changes.is_empty() && bytes + change.len() > max_bytes {
                break;
            }
            bytes += change.len();
            max_seq = row.get(0)?;
            let id: Vec<u8> = row.get(1)?;
            let client = ClientId(uuid::Uuid::from_slice(&id).map_err(|_| StoreError::NoIdentity)?);
            changes.push(BatchChange {
                client,
                epoch: row.get(2)?,
                change,
            });
        }
        drop(rows);
        drop(statement);
        if changes.is_empty() {
            return Ok(None);
        }
        let blob = encode_changes(&changes, UPLOAD_COMPRESSION_LEVEL)
            .map_err(|e| StoreError::Encode(e.to_string()))?;
        let upload = PendingUpload {
            id: upload_id(&blob),
            blob,
            max_seq,
            changes: u32::try_from(changes.len()).unwrap_or(u32::MAX),
            attempts: 0,
        };
        self.connection.execute(
            "INSERT INTO pending_upload (upload_id, blob, max_seq, changes) VALUES (?1, ?2, ?3, ?4)",
            params![upload.id.as_slice(), upload.blob, upload.max_seq, upload.changes],
        )?;
        Ok(Some(upload))
    }

    fn stored_upload(&self) -> Result<Option<PendingUpload>, StoreError> {
        Ok(self
            .connection
            .query_row(
                "SELECT upload_id, blob, max_seq, changes, attempts FROM pending_upload LIMIT 1",
                [],
                |r| {
                    let id: Vec<u8> = r.get(0)?;
                    Ok((id, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                },
            )
            .optional()?
            .and_then(|(id, blob, max_seq, changes, attempts)| {
                Some(PendingUpload {
                    id: <[u8; 32]>::try_from(id.as_slice()).ok()?,
                    blob,
                    max_seq,
                    changes,
                    attempts,
                })
            }))
    }

    /// Records that an upload was sent without an acknowledgement (so the next try asks first).
    pub fn upload_attempted(&mut self, id: [u8; 32]) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE pending_upload SET attempts = attempts + 1 WHERE upload_id = ?1",
            [id.as_slice()],
        )?;
        Ok(())
    }

    /// The node acknowledged an upload: its changes leave the outbox.
    pub fn upload_acknowledged(&mut self, id: [u8; 32]) -> Result<(), StoreError> {
        let tx = self.connection.transaction()?;
        let max_seq: Option<i64> = tx
            .query_row(
                "SELECT max_seq FROM pending_upload WHERE upload_id = ?1",
                [id.as_slice()],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(max_seq) = max_seq {
            tx.execute("DELETE FROM outbox WHERE seq <= ?1", [max_seq])?;
            tx.execute(
                "DELETE FROM pending_upload WHERE upload_id = ?1",
                [id.as_slice()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Merges changes pulled from the node into the documents, refreshes their projection and
    /// moves the cursor — in one transaction. Returns the records that changed.
    pub fn apply_pulled(
        &mut self,
        changes: Vec<BatchChange>,
        next_cursor: u64,
    ) -> Result<Vec<ClientId>, StoreError> {
        let device = self.author.device;
        let mut groups: HashMap<ClientId, Vec<Vec<u8>>> = HashMap::new();
        let mut order = Vec::new();
        for change in changes {
            if !groups.contains_key(&change.client) {
                order.push(change.client);
            }
            groups.entry(change.client).or_default().push(change.change);
        }
        let tx = self.connection.transaction()?;
        let mut summaries = Vec::new();
        for client in order {
            let raw = groups.remove(&client).unwrap_or_default();
            let stored: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT doc FROM documents WHERE client_id = ?1",
                    [client.0.as_bytes()],
                    |r| r.get(0),
                )
                .optional()?;
            let mut doc = match &stored {
                Some(bytes) => ClientDoc::load(bytes, device)?,
                None => ClientDoc::empty(device),
            };
            doc.apply_changes(raw)?;
            let Ok(record) = doc.read() else { continue };
            let summary = ClientSummary::of(&record, doc.conflicts().len());
            tx.prepare_cached(
                "INSERT INTO documents (client_id, epoch, doc, heads, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (client_id) DO UPDATE SET epoch = ?2, doc = ?3, heads = ?4, updated_at = ?5",
            )?
            .execute(params![client.0.as_bytes(), record.epoch, doc.save(), doc.heads_bytes(), record.provenance.updated_at.0])?;
            super::write_projection(&tx, &summary)?;
            summaries.push(summary);
        }
        tx.execute(
            "INSERT OR REPLACE INTO sync_link (key, value) VALUES (?1, ?2)",
            params![key::CURSOR, next_cursor.to_string().as_bytes()],
        )?;
        tx.commit()?;
        for summary in &summaries {
            summary.index_into(&mut self.index);
        }
        Ok(summaries.iter().map(|s| s.id).collect())
    }
}

//! What the sync engine keeps in the encrypted store: the link to a node (URL, pinned
//! certificate fingerprint, device key, cursor, request counter, clock offset) and the upload in
//! flight. Each step is one transaction, so a sync cut at any point resumes where it stopped.

use std::collections::HashMap;

use rusqlite::{OptionalExtension as _, params};
use shared::ClientDoc;
use shared::ids::ClientId;
use shared::protocol::{AuditRun, BatchChange, RefusalReason, encode_upload, upload_id};
use shared::time::Timestamp;

use sync_client::{Acknowledged, PendingUpload};

use super::{ClientSummary, LocalStore, StoreError};

/// Link settings keys.
pub mod key {
    /// The node's URL.
    pub const NODE_URL: &str = "node_url";
    /// SHA-256 of the node's certificate.
    pub const FINGERPRINT: &str = "fingerprint";
    /// SHA-256 of the node's TLS public key, when its enrolment answer gave it (empty when it
    /// did not): the laptop then pins the key and takes the raw key in the handshake.
    pub const NODE_KEY: &str = "node_key";
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
    /// Up to which of this device's audit entries the node holds them, as it last said (a
    /// number; absent until a node has said it keeps trails).
    pub const AUDIT_ANCHOR: &str = "audit_anchor";
    /// The compression dictionaries the node said it reads (`dictionary::encode_ids`); absent
    /// or empty until it has said.
    pub const NODE_DICTIONARIES: &str = "node_dictionaries";
}

/// How long unlock entries may wait for a sync that carries something else.
const UNLOCKS_WAIT_MS: i64 = 24 * 60 * 60 * 1000;

/// Whether entries are worth a request of their own: anything but unlocks, or an entry that has
/// waited a day.
fn worth_a_request(entries: &[shared::audit::AuditEntry], now: Timestamp) -> bool {
    entries
        .iter()
        .any(|e| e.action != shared::audit::AuditAction::Unlock)
        || entries
            .first()
            .is_some_and(|e| now.0.saturating_sub(e.at.0) >= UNLOCKS_WAIT_MS)
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
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
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
            let readable = match shared::protocol::dictionary::named_by(&upload.blob) {
                None => true,
                Some(id) => self
                    .node_dictionaries()?
                    .is_some_and(|ids| ids.contains(&id)),
            };
            if readable {
                return Ok(Some(upload));
            }
            // Built with a dictionary for a node that read it; the node linked now (enrolled
            // again, with an older build) has not said it does. Its changes are still in the
            // outbox: the upload is built again without it.
            self.connection.execute(
                "DELETE FROM pending_upload WHERE upload_id = ?1",
                [upload.id.as_slice()],
            )?;
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
        let audit = self.audit_run(!changes.is_empty())?;
        if changes.is_empty() && audit.is_none() {
            return Ok(None);
        }
        let dictionary = self
            .node_dictionaries()?
            .and_then(|ids| shared::protocol::dictionary::shared_with(&ids));
        let blob = encode_upload(
            &changes,
            audit.as_ref(),
            UPLOAD_COMPRESSION_LEVEL,
            dictionary,
        )
        .map_err(|e| StoreError::Encode(e.to_string()))?;
        let upload = PendingUpload {
            id: upload_id(&blob),
            blob,
            changes: u32::try_from(changes.len()).unwrap_or(u32::MAX),
            attempts: 0,
        };
        self.connection.execute(
            "INSERT INTO pending_upload (upload_id, blob, max_seq, changes) VALUES (?1, ?2, ?3, ?4)",
            params![upload.id.as_slice(), upload.blob, max_seq, upload.changes],
        )?;
        Ok(Some(upload))
    }

    /// The audit entries the node does not hold yet, with what this device finds of its whole
    /// chain against the node's anchor — only for a node that said it keeps trails, and only
    /// when there is an entry to send. With no change to carry (`riding` false) they wait unless
    /// they matter now: anything but unlocks, a chain found broken, or an entry a day old — so
    /// a sync that only unlocked the profile stays one small request on a satellite link.
    fn audit_run(&self, riding: bool) -> Result<Option<AuditRun>, StoreError> {
        let Some(anchor_seq) = self.node_audit_anchor()? else {
            return Ok(None);
        };
        let entries = self.audit_entries()?;
        let to_send = shared::audit::entries_to_send(&entries, anchor_seq);
        if to_send.is_empty() {
            return Ok(None);
        }
        let found = shared::audit::device_check(&entries, self.author().device, anchor_seq);
        if !riding && found.is_none() && !worth_a_request(to_send, Timestamp::now()) {
            return Ok(None);
        }
        Ok(AuditRun::of(to_send, found))
    }

    /// The compression dictionaries the node said it reads; `None` until it has said.
    pub fn node_dictionaries(&self) -> Result<Option<Vec<u32>>, StoreError> {
        Ok(self
            .link_value(key::NODE_DICTIONARIES)?
            .and_then(|bytes| shared::protocol::dictionary::decode_ids(&bytes).ok()))
    }

    /// Remembers the dictionaries the node reads (from its enrolment answer or a sync answer);
    /// none is kept as "not said", so the next sync asks.
    pub fn set_node_dictionaries(&mut self, ids: &[u32]) -> Result<(), StoreError> {
        let said = if ids.is_empty() {
            Vec::new()
        } else {
            shared::protocol::dictionary::encode_ids(ids)
        };
        self.set_link(&[(key::NODE_DICTIONARIES, &said)])
    }

    /// Entries wait that the next sync should send even with no change (see `audit_run`).
    pub fn audit_waiting(&self) -> Result<bool, StoreError> {
        Ok(self.audit_run(false)?.is_some())
    }

    /// Up to which of this device's entries the node last said it holds: `None` when no node
    /// has said it keeps trails, `Some(None)` when it holds none yet.
    pub fn node_audit_anchor(&self) -> Result<Option<Option<u64>>, StoreError> {
        Ok(self
            .link_text(key::AUDIT_ANCHOR)?
            .map(|text| text.trim().parse::<u64>().ok().filter(|seq| *seq > 0)))
    }

    /// Remembers up to which entry a node said it holds this device's trail.
    pub fn set_node_audit_anchor(&mut self, anchor_seq: Option<u64>) -> Result<(), StoreError> {
        let text = anchor_seq.unwrap_or(0).to_string();
        self.set_link(&[(key::AUDIT_ANCHOR, text.as_bytes())])
    }

    fn stored_upload(&self) -> Result<Option<PendingUpload>, StoreError> {
        Ok(self
            .connection
            .query_row(
                "SELECT upload_id, blob, changes, attempts FROM pending_upload LIMIT 1",
                [],
                |r| {
                    let id: Vec<u8> = r.get(0)?;
                    Ok((id, r.get(1)?, r.get(2)?, r.get(3)?))
                },
            )
            .optional()?
            .and_then(|(id, blob, changes, attempts)| {
                Some(PendingUpload {
                    id: <[u8; 32]>::try_from(id.as_slice()).ok()?,
                    blob,
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

    /// The node acknowledged an upload: its changes leave the outbox, except those it refused,
    /// which are held on the laptop with the reason (visible, and sent again on request).
    ///
    /// A node too old to say which changes it refused (or with a list too long to send) gives
    /// only the count: then every change of the upload is held, since any of them may be one.
    pub fn upload_acknowledged(
        &mut self,
        id: [u8; 32],
        outcome: &Acknowledged,
    ) -> Result<(), StoreError> {
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let max_seq: Option<i64> = tx
            .query_row(
                "SELECT max_seq FROM pending_upload WHERE upload_id = ?1",
                [id.as_slice()],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(max_seq) = max_seq {
            if outcome.refused > 0 {
                let unlisted = outcome.refusals.is_empty();
                let reasons: HashMap<u32, RefusalReason> = outcome
                    .refusals
                    .iter()
                    .map(|r| (r.index, r.reason))
                    .collect();
                let seqs: Vec<i64> = tx
                    .prepare_cached("SELECT seq FROM outbox WHERE seq <= ?1 ORDER BY seq")?
                    .query_map([max_seq], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                let now = Timestamp::now().0;
                for (index, seq) in seqs.into_iter().enumerate() {
                    let listed = u32::try_from(index).ok().and_then(|i| reasons.get(&i));
                    let Some(reason) = listed
                        .copied()
                        .or(unlisted.then_some(RefusalReason::Other(0)))
                    else {
                        continue;
                    };
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO held (seq, client_id, change_hash, change, reason, held_at)
                         SELECT seq, client_id, change_hash, change, ?2, ?3 FROM outbox WHERE seq = ?1",
                    )?
                    .execute(params![seq, reason.as_str(), now])?;
                }
            }
            tx.execute("DELETE FROM outbox WHERE seq <= ?1", [max_seq])?;
            tx.execute(
                "DELETE FROM pending_upload WHERE upload_id = ?1",
                [id.as_slice()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Changes the node refused, held here: which record, why, since when; oldest first.
    pub fn held_changes(&self) -> Result<Vec<HeldChange>, StoreError> {
        self.held_rows("SELECT client_id, reason, held_at FROM held ORDER BY seq")
    }

    /// Puts every held change back in the outbox (after the laptop's scope changed, or the
    /// office fixed what was refused); returns how many.
    pub fn resend_held(&mut self) -> Result<u64, StoreError> {
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let moved = tx.execute(
            "INSERT OR IGNORE INTO outbox (client_id, change_hash, change, created_at)
             SELECT client_id, change_hash, change, held_at FROM held ORDER BY seq",
            [],
        )?;
        tx.execute("DELETE FROM held", [])?;
        tx.commit()?;
        Ok(moved as u64)
    }

    /// Pulled changes or records this build could not apply or read: kept, never skipped.
    pub fn quarantined(&self) -> Result<Vec<HeldChange>, StoreError> {
        self.held_rows("SELECT client_id, reason, since FROM quarantine ORDER BY id")
    }

    /// Rows of `(client id, reason, since)` as [`HeldChange`]s.
    fn held_rows(&self, query: &str) -> Result<Vec<HeldChange>, StoreError> {
        let mut statement = self.connection.prepare_cached(query)?;
        let rows = statement.query_map([], |r| {
            Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })?;
        let mut found = Vec::new();
        for row in rows {
            let (id, reason, at) = row?;
            let client = ClientId(uuid::Uuid::from_slice(&id).map_err(|_| StoreError::NoIdentity)?);
            found.push(HeldChange {
                client,
                reason: RefusalReason::parse(&reason),
                held_at: Timestamp(at),
            });
        }
        Ok(found)
    }

    /// Merges changes pulled from the node into the documents, refreshes their projection and
    /// moves the cursor — in one transaction. Returns the records that changed.
    ///
    /// Everything pulled is input from other devices: a change that does not parse, is too
    /// large, or makes the CRDT library fail is kept in quarantine (not merged); a record whose
    /// merged document is too deep or no longer reads is saved but quarantined with its last
    /// readable projection. Nothing is skipped silently.
    pub fn apply_pulled(
        &mut self,
        changes: Vec<BatchChange>,
        next_cursor: u64,
    ) -> Result<Vec<ClientId>, StoreError> {
        let device = self.author.device;
        let mut groups: HashMap<ClientId, Vec<BatchChange>> = HashMap::new();
        let mut order = Vec::new();
        for change in changes {
            if !groups.contains_key(&change.client) {
                order.push(change.client);
            }
            groups.entry(change.client).or_default().push(change);
        }
        let now = Timestamp::now().0;
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut summaries = Vec::new();
        for client in order {
            let pulled = groups.remove(&client).unwrap_or_default();
            let stored: Option<(Vec<u8>, u32)> = tx
                .query_row(
                    "SELECT doc, epoch FROM documents WHERE client_id = ?1",
                    [client.0.as_bytes()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let quarantine = |reason: RefusalReason, change: Option<&[u8]>| {
                tx.prepare_cached(
                    "INSERT INTO quarantine (client_id, change, reason, since) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![client.0.as_bytes(), change, reason.as_str(), now])
            };
            // The node's epoch for the record, never what a document says.
            let epoch = pulled
                .iter()
                .map(|c| c.epoch)
                .chain(stored.as_ref().map(|s| s.1))
                .max()
                .unwrap_or(0);
            let mut usable = Vec::new();
            for change in pulled {
                match checked_change(&change.change) {
                    Ok(()) => usable.push(change.change),
                    Err(reason) => {
                        quarantine(reason, Some(&change.change))?;
                    }
                }
            }
            if usable.is_empty() {
                continue;
            }
            // Everything the CRDT library does with received bytes runs inside one contained
            // panic: a change that makes it fail is quarantined, the sync goes on.
            let merged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut doc = match &stored {
                    Some((bytes, _)) => ClientDoc::load(bytes, device)?,
                    None => ClientDoc::empty(device),
                };
                doc.apply_changes(usable.clone())?;
                let readable = doc
                    .check_and_read()
                    .map_err(|error| match error {
                        shared::DocError::Shape(_) => RefusalReason::TooLarge,
                        _ => RefusalReason::Invalid,
                    })
                    .and_then(|(record, _)| {
                        // Filed under the record it holds, or not shown as that record.
                        if record.id == client {
                            Ok((record, doc.conflicts().len()))
                        } else {
                            Err(RefusalReason::Invalid)
                        }
                    });
                Ok::<_, shared::DocError>((doc.save(), doc.heads_bytes(), readable))
            }));
            let (saved, heads, readable) = match merged {
                Ok(Ok(merged)) => merged,
                failed => {
                    let reason = match failed {
                        Ok(Err(shared::DocError::MissingDependencies(_))) => {
                            RefusalReason::MissingHistory
                        }
                        _ => RefusalReason::Malformed,
                    };
                    for change in &usable {
                        quarantine(reason, Some(change))?;
                    }
                    continue;
                }
            };
            let updated_at = readable
                .as_ref()
                .map_or(now, |(record, _)| record.provenance.updated_at.0);
            let record = readable
                .as_ref()
                .ok()
                .and_then(|(record, _)| super::record_json(record));
            tx.prepare_cached(
                "INSERT INTO documents (client_id, epoch, doc, heads, updated_at, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (client_id) DO UPDATE SET epoch = ?2, doc = ?3, heads = ?4, updated_at = ?5, record = ?6",
            )?
            .execute(params![client.0.as_bytes(), epoch, saved, heads, updated_at, record])?;
            // The record's earlier "does not read" mark, if any, is decided again below.
            tx.prepare_cached("DELETE FROM quarantine WHERE client_id = ?1 AND change IS NULL")?
                .execute([client.0.as_bytes()])?;
            match readable {
                Ok((record, conflicts)) => {
                    let summary = ClientSummary::of(&record, conflicts);
                    super::write_projection(&tx, &summary)?;
                    super::keep_report_facts(&tx, &record)?;
                    summaries.push(summary);
                }
                Err(reason) => {
                    // The document is kept whole (a later change may make it read again); the
                    // list shows the last readable projection, marked by the quarantine row.
                    quarantine(reason, None)?;
                }
            }
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

/// Checks a pulled change on its own before it is merged (it parses, it is not too large).
fn checked_change(raw: &[u8]) -> Result<(), RefusalReason> {
    let info = std::panic::catch_unwind(|| shared::doc::inspect_change(raw))
        .ok()
        .and_then(Result::ok)
        .ok_or(RefusalReason::Malformed)?;
    shared::doc::check_change(&info).map_err(|_| RefusalReason::TooLarge)
}

/// A change the node refused (held) or a pulled one this build could not use (quarantined).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeldChange {
    /// The record.
    pub client: ClientId,
    /// Why.
    pub reason: RefusalReason,
    /// Since when.
    pub held_at: Timestamp,
}

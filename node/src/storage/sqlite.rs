//! The embedded backend: one SQLCipher database in the node's data directory (through `vault`,
//! so it fails closed like a laptop's). One connection behind a mutex: every trait method is one
//! transaction, and sequence numbers are allocated inside the one write transaction, so the log's
//! sequence order is its commit order (the cursor contract in `storage`). No policy here: what to
//! write is decided by the node's `ingest` and `policy` modules. Write transactions start
//! `IMMEDIATE`: a second handle on the same file (another replica) then waits for the write lock
//! instead of failing on a stale snapshot.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};
use shared::audit::Anchor;
use shared::crypto::{KdfParams, Passphrase};
use shared::ids::{ClientId, CommunityCode, DeviceId};
use shared::protocol::enroll::{Role, Scope};
use shared::time::Timestamp;

use super::{
    AuditFlag, AuditQuery, CommitOutcome, CounterVerdict, DeviceRecord, DisclosureQuery,
    Enrollment, ExportRecord, LogEntry, LogFilter, LogSlice, Store, StoreError, StoreStats,
    StoredAuditEntry, StoredDocument, UploadCommit, UploadProgress,
};

mod audit;
mod disclosures;
mod migrations;
mod uploads;

/// How many recent (counter, digest) pairs are kept per device to tell replays from forks.
const COUNTER_HISTORY: i64 = 256;
/// SQLite page cache of the node's connection, KiB.
const PAGE_CACHE_KIB: u32 = 64 * 1024;
/// Ids bound in one `IN (…)` list (SQLite allows 32,766 variables).
const IDS_PER_QUERY: usize = 500;

/// Why the SQLite store did not open. Backend-specific: only the code that picks a backend sees
/// it (the `Store` trait's errors are [`StoreError`]).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The encrypted database could not be created or opened (wrong passphrase, damage, …).
    #[error(transparent)]
    Vault(#[from] vault::VaultError),
    /// The schema could not be brought up to date.
    #[error("the node's database could not be prepared: {0}")]
    Schema(#[from] StoreError),
    /// The database was written by a newer build.
    #[error("the node's database has schema version {found}; this build knows up to {supported}")]
    NewerSchema {
        /// Version found.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Backend(error.to_string())
    }
}

/// The SQLite (SQLCipher) store.
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteStore")
    }
}

impl SqliteStore {
    /// Opens the node's store in `dir`, creating it (with `params`) if the directory holds no
    /// profile yet, and brings its schema up to date. Fails closed on a wrong passphrase or
    /// damage, like a laptop profile.
    pub fn open_or_create(
        dir: &Path,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<Self, OpenError> {
        if Self::exists(dir) {
            Self::open(dir, passphrase)
        } else {
            Self::from_connection(vault::create(dir, passphrase, params, None)?)
        }
    }

    /// Whether `dir` holds a node store.
    #[must_use]
    pub fn exists(dir: &Path) -> bool {
        vault::ProfilePaths::new(dir).keyfile().exists()
    }

    /// Opens an existing store; never creates one (a command that only reads must not leave a
    /// new store behind on a mistyped path).
    pub fn open(dir: &Path, passphrase: &Passphrase) -> Result<Self, OpenError> {
        Self::from_connection(vault::open(dir, passphrase)?.connection)
    }

    fn from_connection(mut connection: Connection) -> Result<Self, OpenError> {
        migrations::migrate(&mut connection)?;
        // Change hashes and client ids are random keys: once their indexes outgrow SQLite's
        // default 2 MB page cache, every insert reads (and decrypts) pages again. A bounded
        // 64 MiB cache keeps ingest fast as the store grows, and caps what it can cost.
        connection
            .execute_batch(&format!("PRAGMA cache_size = -{PAGE_CACHE_KIB};"))
            .map_err(StoreError::from)?;
        Ok(Self {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.connection.lock().map_err(|_| StoreError::Unavailable)
    }
}

fn role_from(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).ok_or(StoreError::Damaged("device role"))
}

fn blob16(bytes: &[u8]) -> Result<uuid::Uuid, StoreError> {
    uuid::Uuid::from_slice(bytes).map_err(|_| StoreError::Damaged("id"))
}

fn blob32(bytes: &[u8]) -> Result<[u8; 32], StoreError> {
    bytes.try_into().map_err(|_| StoreError::Damaged("hash"))
}

fn seq_from(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// id, public key, role, scope, revoked, suspected clone — as stored.
type DeviceRow = (Vec<u8>, Vec<u8>, String, String, bool, bool);

fn device_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

fn to_record(raw: DeviceRow) -> Result<DeviceRecord, StoreError> {
    let (id, key, role, scope, revoked, suspected_clone) = raw;
    Ok(DeviceRecord {
        id: DeviceId(blob16(&id)?),
        public_key: key
            .try_into()
            .map_err(|_| StoreError::Damaged("public key"))?,
        role: role_from(&role)?,
        scope: Scope::from_text(&scope),
        revoked,
        suspected_clone,
    })
}

const DEVICE_SELECT: &str =
    "SELECT id, public_key, role, scope, revoked, suspected_clone FROM devices WHERE id = ?1";

/// `?n, ?n+1, …` for `count` values starting at `first`.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A `documents` row read as `client_id, community, epoch, doc, revision, record`.
fn stored_document(row: &rusqlite::Row<'_>) -> Result<StoredDocument, StoreError> {
    Ok(StoredDocument {
        client: ClientId(blob16(&row.get::<_, Vec<u8>>(0)?)?),
        community: CommunityCode::new(row.get::<_, String>(1)?),
        epoch: row.get(2)?,
        doc: row.get(3)?,
        revision: u64::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
        record: row.get(5)?,
    })
}

impl Store for SqliteStore {
    fn setting(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let db = self.lock()?;
        Ok(db
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn put_setting(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        let db = self.lock()?;
        db.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
        Ok(())
    }

    fn add_enrollment(&self, e: &Enrollment) -> Result<(), StoreError> {
        let db = self.lock()?;
        db.execute(
            "INSERT INTO enrollments (secret_hash, role, scope, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![e.secret_hash.as_slice(), e.role.as_str(), e.scope.to_text(), e.expires_at.0],
        )?;
        Ok(())
    }

    fn redeem_enrollment(
        &self,
        secret_hash: [u8; 32],
        device: DeviceId,
        public_key: [u8; 32],
        now: Timestamp,
    ) -> Result<Option<DeviceRecord>, StoreError> {
        let mut db = self.lock()?;
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let grant: Option<(String, String)> = tx
            .query_row(
                "SELECT role, scope FROM enrollments WHERE secret_hash = ?1 AND redeemed_by IS NULL AND expires_at > ?2",
                params![secret_hash.as_slice(), now.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((role, scope)) = grant else {
            return Ok(None);
        };
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM devices WHERE id = ?1)",
            [device.0.as_bytes()],
            |r| r.get(0),
        )?;
        if taken {
            return Ok(None);
        }
        tx.execute(
            "INSERT INTO devices (id, public_key, role, scope, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![device.0.as_bytes(), public_key.as_slice(), role, scope, now.0],
        )?;
        tx.execute(
            "UPDATE enrollments SET redeemed_by = ?1 WHERE secret_hash = ?2",
            params![device.0.as_bytes(), secret_hash.as_slice()],
        )?;
        tx.commit()?;
        Ok(Some(DeviceRecord {
            id: device,
            public_key,
            role: role_from(&role)?,
            scope: Scope::from_text(&scope),
            revoked: false,
            suspected_clone: false,
        }))
    }

    fn device(&self, id: DeviceId) -> Result<Option<DeviceRecord>, StoreError> {
        let db = self.lock()?;
        let raw = db
            .query_row(DEVICE_SELECT, [id.0.as_bytes()], device_from_row)
            .optional()?;
        raw.map(to_record).transpose()
    }

    fn revoke(&self, id: DeviceId) -> Result<bool, StoreError> {
        let db = self.lock()?;
        Ok(db.execute(
            "UPDATE devices SET revoked = 1 WHERE id = ?1",
            [id.0.as_bytes()],
        )? == 1)
    }

    fn accept_counter(
        &self,
        id: DeviceId,
        counter: u64,
        digest: [u8; 32],
    ) -> Result<CounterVerdict, StoreError> {
        let counter =
            i64::try_from(counter).map_err(|_| StoreError::Damaged("counter out of range"))?;
        let mut db = self.lock()?;
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: i64 = tx.query_row(
            "SELECT last_counter FROM devices WHERE id = ?1",
            [id.0.as_bytes()],
            |r| r.get(0),
        )?;
        let verdict = if counter > last {
            tx.execute(
                "UPDATE devices SET last_counter = ?1 WHERE id = ?2",
                params![counter, id.0.as_bytes()],
            )?;
            tx.execute("INSERT OR REPLACE INTO counter_history (device, counter, digest) VALUES (?1, ?2, ?3)", params![id.0.as_bytes(), counter, digest.as_slice()])?;
            tx.execute(
                "DELETE FROM counter_history WHERE device = ?1 AND counter <= ?2",
                params![id.0.as_bytes(), counter - COUNTER_HISTORY],
            )?;
            CounterVerdict::Fresh
        } else {
            let seen: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT digest FROM counter_history WHERE device = ?1 AND counter = ?2",
                    params![id.0.as_bytes(), counter],
                    |r| r.get(0),
                )
                .optional()?;
            match seen {
                Some(d) if d != digest.as_slice() => {
                    tx.execute(
                        "UPDATE devices SET suspected_clone = 1 WHERE id = ?1",
                        [id.0.as_bytes()],
                    )?;
                    CounterVerdict::Fork
                }
                _ => CounterVerdict::Replay,
            }
        };
        tx.commit()?;
        Ok(verdict)
    }

    fn save_upload_part(
        &self,
        device: DeviceId,
        upload_id: [u8; 32],
        total_len: u32,
        offset: u32,
        bytes: &[u8],
        now: Timestamp,
    ) -> Result<u32, StoreError> {
        let mut db = self.lock()?;
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let part = uploads::Part {
            device,
            upload_id,
            total_len,
            offset,
            bytes,
        };
        let received = uploads::save_part(&tx, &part, now)?;
        tx.commit()?;
        Ok(received)
    }

    fn parked_bytes(&self) -> Result<u64, StoreError> {
        uploads::parked_bytes(&*self.lock()?)
    }

    fn expire_parts(&self, kept_before: Timestamp) -> Result<u64, StoreError> {
        let mut db = self.lock()?;
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let freed = uploads::expire_parts(&tx, kept_before)?;
        tx.commit()?;
        Ok(freed)
    }

    fn upload_progress(
        &self,
        device: DeviceId,
        upload_id: [u8; 32],
    ) -> Result<UploadProgress, StoreError> {
        uploads::progress_of(&*self.lock()?, device, upload_id)
    }

    fn upload_prefix(
        &self,
        device: DeviceId,
        upload_id: [u8; 32],
        up_to: u32,
    ) -> Result<Vec<u8>, StoreError> {
        uploads::prefix(&*self.lock()?, device, upload_id, up_to)
    }

    fn discard_upload(&self, device: DeviceId, upload_id: [u8; 32]) -> Result<(), StoreError> {
        uploads::discard(&*self.lock()?, device, upload_id)
    }

    fn documents(&self, clients: &[ClientId]) -> Result<Vec<StoredDocument>, StoreError> {
        let db = self.lock()?;
        let mut found = Vec::with_capacity(clients.len());
        for chunk in clients.chunks(IDS_PER_QUERY) {
            let sql = format!(
                "SELECT client_id, community, epoch, doc, revision, record FROM documents WHERE client_id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut statement = db.prepare_cached(&sql)?;
            let mut rows = statement.query(rusqlite::params_from_iter(
                chunk.iter().map(|c| c.0.as_bytes()),
            ))?;
            while let Some(row) = rows.next()? {
                found.push(stored_document(row)?);
            }
        }
        Ok(found)
    }

    fn documents_after(
        &self,
        after: Option<ClientId>,
        limit: u32,
    ) -> Result<Vec<StoredDocument>, StoreError> {
        let db = self.lock()?;
        let mut statement = db.prepare_cached(
            "SELECT client_id, community, epoch, doc, revision, record FROM documents \
             WHERE client_id > ?1 ORDER BY client_id LIMIT ?2",
        )?;
        let after = after.map_or_else(Vec::new, |c| c.0.as_bytes().to_vec());
        let mut rows = statement.query(rusqlite::params![after, limit])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(stored_document(row)?);
        }
        Ok(found)
    }

    fn known_changes(&self, hashes: &[[u8; 32]]) -> Result<Vec<[u8; 32]>, StoreError> {
        let db = self.lock()?;
        let mut known = Vec::new();
        for chunk in hashes.chunks(IDS_PER_QUERY) {
            let sql = format!(
                "SELECT change_hash FROM log WHERE change_hash IN ({})",
                placeholders(1, chunk.len())
            );
            let mut statement = db.prepare_cached(&sql)?;
            let mut rows = statement.query(rusqlite::params_from_iter(
                chunk.iter().map(<[u8; 32]>::as_slice),
            ))?;
            while let Some(row) = rows.next()? {
                known.push(blob32(&row.get::<_, Vec<u8>>(0)?)?);
            }
        }
        Ok(known)
    }

    fn commit_upload(&self, commit: &UploadCommit<'_>) -> Result<CommitOutcome, StoreError> {
        let mut db = self.lock()?;
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(report) = uploads::applied_report(&tx, commit.device, commit.upload_id)? {
            return Ok(CommitOutcome::AlreadyApplied(report));
        }
        // Compare-and-set in the write itself: a document someone else wrote (or created)
        // since it was read matches no row, and the whole commit is given up.
        for write in &commit.documents {
            let written = match write.read_revision {
                Some(read) => tx
                    .prepare_cached(
                        "UPDATE documents SET community = ?2, epoch = ?3, doc = ?4, updated_at = ?5, revision = revision + 1, record = ?7
                         WHERE client_id = ?1 AND revision = ?6",
                    )?
                    .execute(params![
                        write.client.0.as_bytes(),
                        write.community.as_str(),
                        write.epoch,
                        write.doc,
                        commit.now.0,
                        i64::try_from(read).unwrap_or(i64::MAX),
                        write.record
                    ])?,
                None => tx
                    .prepare_cached(
                        "INSERT INTO documents (client_id, community, epoch, doc, updated_at, revision, record) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)
                         ON CONFLICT (client_id) DO NOTHING",
                    )?
                    .execute(params![
                        write.client.0.as_bytes(),
                        write.community.as_str(),
                        write.epoch,
                        write.doc,
                        commit.now.0,
                        write.record
                    ])?,
            };
            if written == 0 {
                return Ok(CommitOutcome::Contended);
            }
        }
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO log (client_id, community, epoch, origin, change_hash, change) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (change_hash) DO NOTHING",
            )?;
            for entry in &commit.log {
                let inserted = insert.execute(params![
                    entry.client.0.as_bytes(),
                    entry.community.as_str(),
                    entry.epoch,
                    entry.origin.0.as_bytes(),
                    entry.hash.as_slice(),
                    entry.change
                ])?;
                if inserted == 0 {
                    // Another writer stored this change since it was planned.
                    return Ok(CommitOutcome::Contended);
                }
            }
        }
        if let Some(trail) = &commit.audit
            && !audit::commit(&tx, commit.device, trail, commit.now)?
        {
            return Ok(CommitOutcome::Contended);
        }
        let report = &commit.report;
        tx.prepare_cached(
            "INSERT INTO applied_uploads (device, upload_id, applied, duplicates, refused, at, refusals) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![commit.device.0.as_bytes(), commit.upload_id.as_slice(), report.applied, report.duplicates, report.refused, commit.now.0, shared::protocol::encode_refusals(&report.refusals)])?;
        tx.prepare_cached("DELETE FROM upload_parts WHERE device = ?1 AND upload_id = ?2")?
            .execute(params![
                commit.device.0.as_bytes(),
                commit.upload_id.as_slice()
            ])?;
        tx.commit()?;
        Ok(CommitOutcome::Committed)
    }

    fn log_after(
        &self,
        cursor: u64,
        filter: &LogFilter,
        max_rows: u32,
        max_bytes: usize,
    ) -> Result<LogSlice, StoreError> {
        let mut db = self.lock()?;
        // One read transaction: the rows and the horizon come from the same snapshot.
        let tx = db.transaction()?;
        let cursor_i = i64::try_from(cursor).unwrap_or(i64::MAX);
        let mut values: Vec<rusqlite::types::Value> = vec![
            cursor_i.into(),
            filter.exclude_origin.0.as_bytes().to_vec().into(),
            i64::from(max_rows).into(),
        ];
        let community_clause = match &filter.communities {
            None => String::new(),
            Some(communities) => {
                values.extend(
                    communities
                        .iter()
                        .map(|c| rusqlite::types::Value::from(c.as_str().to_owned())),
                );
                if communities.is_empty() {
                    " AND 0".to_owned()
                } else {
                    format!(" AND community IN ({})", placeholders(4, communities.len()))
                }
            }
        };
        let sql = format!(
            "SELECT seq, client_id, epoch, change FROM log WHERE seq > ?1 AND origin != ?2{community_clause} ORDER BY seq LIMIT ?3"
        );
        let mut slice = LogSlice::default();
        {
            let mut statement = tx.prepare_cached(&sql)?;
            let mut rows = statement.query(rusqlite::params_from_iter(values))?;
            let mut bytes = 0usize;
            let mut read = 0u32;
            while let Some(row) = rows.next()? {
                read += 1;
                let change: Vec<u8> = row.get(3)?;
                if !slice.entries.is_empty() && bytes + change.len() > max_bytes {
                    slice.truncated = true;
                    break;
                }
                bytes += change.len();
                slice.entries.push(LogEntry {
                    seq: seq_from(row.get(0)?),
                    client: ClientId(blob16(&row.get::<_, Vec<u8>>(1)?)?),
                    epoch: row.get(2)?,
                    change,
                });
            }
            if read == max_rows {
                slice.truncated = true;
            }
        }
        slice.horizon =
            seq_from(tx.query_row("SELECT coalesce(max(seq), 0) FROM log", [], |r| r.get(0))?);
        tx.commit()?;
        Ok(slice)
    }

    fn document(&self, client: ClientId) -> Result<Option<(CommunityCode, Vec<u8>)>, StoreError> {
        let db = self.lock()?;
        Ok(db
            .query_row(
                "SELECT community, doc FROM documents WHERE client_id = ?1",
                [client.0.as_bytes()],
                |r| Ok((CommunityCode::new(r.get::<_, String>(0)?), r.get(1)?)),
            )
            .optional()?)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let db = self.lock()?;
        let count = |sql: &str| -> Result<u64, StoreError> {
            Ok(u64::try_from(db.query_row(sql, [], |r| r.get::<_, i64>(0))?).unwrap_or(0))
        };
        Ok(StoreStats {
            documents: count("SELECT count(*) FROM documents")?,
            log_entries: count("SELECT coalesce(max(seq), 0) FROM log")?,
            devices: count("SELECT count(*) FROM devices")?,
        })
    }

    fn record_export(
        &self,
        export: &ExportRecord,
        disclosures: &[shared::disclosure::Disclosure],
    ) -> Result<(), StoreError> {
        let mut db = self.lock()?;
        let tx = db.transaction()?;
        disclosures::record(&tx, export, disclosures)?;
        tx.commit()?;
        Ok(())
    }

    fn audit_anchor(&self, device: DeviceId) -> Result<Option<Anchor>, StoreError> {
        let db = self.lock()?;
        audit::anchor(&db, device)
    }

    fn audit_trail(
        &self,
        query: &AuditQuery,
        limit: u32,
    ) -> Result<Vec<StoredAuditEntry>, StoreError> {
        let db = self.lock()?;
        audit::trail(&db, query, limit)
    }

    fn audit_flags(&self, device: Option<DeviceId>) -> Result<Vec<AuditFlag>, StoreError> {
        let db = self.lock()?;
        audit::flags(&db, device)
    }

    fn disclosures(
        &self,
        query: &DisclosureQuery,
        limit: u32,
    ) -> Result<Vec<shared::disclosure::Disclosure>, StoreError> {
        let db = self.lock()?;
        disclosures::find(&db, query, limit)
    }
}

//! The embedded backend: one SQLCipher database in the node's data directory (through `vault`,
//! so it fails closed like a laptop's). One connection; every trait method is one transaction.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension as _, params};
use shared::ClientDoc;
use shared::crypto::{KdfParams, Passphrase};
use shared::ids::{ClientId, CommunityCode, DeviceId};
use shared::protocol::BatchChange;
use shared::protocol::enroll::{Role, Scope};
use shared::time::Timestamp;

use super::{
    ApplyReport, CounterVerdict, DeviceRecord, Enrollment, Page, Store, StoreError, StoreStats,
    UploadProgress,
};

/// How many recent (counter, digest) pairs are kept per device to tell replays from forks.
const COUNTER_HISTORY: i64 = 256;
/// SQLite page cache of the node's connection, KiB.
const PAGE_CACHE_KIB: u32 = 64 * 1024;
/// The most log rows read for one page.
const PAGE_ROWS: i64 = 20_000;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS enrollments (
    secret_hash BLOB PRIMARY KEY, role TEXT NOT NULL, scope TEXT NOT NULL,
    expires_at INTEGER NOT NULL, redeemed_by BLOB) STRICT;
CREATE TABLE IF NOT EXISTS devices (
    id BLOB PRIMARY KEY, public_key BLOB NOT NULL, role TEXT NOT NULL, scope TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0, suspected_clone INTEGER NOT NULL DEFAULT 0,
    last_counter INTEGER NOT NULL DEFAULT 0, enrolled_at INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS counter_history (
    device BLOB NOT NULL, counter INTEGER NOT NULL, digest BLOB NOT NULL,
    PRIMARY KEY (device, counter)) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (
    client_id BLOB PRIMARY KEY, community TEXT NOT NULL, epoch INTEGER NOT NULL,
    doc BLOB NOT NULL, updated_at INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id BLOB NOT NULL, community TEXT NOT NULL,
    epoch INTEGER NOT NULL, origin BLOB NOT NULL, change_hash BLOB NOT NULL UNIQUE,
    change BLOB NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS log_community_seq ON log (community, seq);
CREATE TABLE IF NOT EXISTS upload_parts (
    device BLOB NOT NULL, upload_id BLOB NOT NULL, total_len INTEGER NOT NULL,
    offset INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (device, upload_id, offset)) STRICT;
CREATE TABLE IF NOT EXISTS applied_uploads (
    device BLOB NOT NULL, upload_id BLOB NOT NULL, applied INTEGER NOT NULL,
    duplicates INTEGER NOT NULL, refused INTEGER NOT NULL, at INTEGER NOT NULL,
    PRIMARY KEY (device, upload_id)) STRICT;
";

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
    /// profile yet. Fails closed on a wrong passphrase or damage, like a laptop profile.
    pub fn open_or_create(
        dir: &Path,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<Self, StoreError> {
        let connection = if vault::ProfilePaths::new(dir).keyfile().exists() {
            vault::open(dir, passphrase)?.connection
        } else {
            vault::create(dir, passphrase, params, None)?
        };
        connection.execute_batch(SCHEMA)?;
        // Change hashes and client ids are random keys: once their indexes outgrow SQLite's
        // default 2 MB page cache, every insert reads (and decrypts) pages again. A bounded
        // 64 MiB cache keeps ingest fast as the store grows, and caps what it can cost.
        connection.execute_batch(&format!("PRAGMA cache_size = -{PAGE_CACHE_KIB};"))?;
        Ok(Self {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.connection.lock().map_err(|_| StoreError::Poisoned)
    }
}

fn role_text(role: Role) -> &'static str {
    role.as_str()
}

fn role_from(text: &str) -> Result<Role, StoreError> {
    match text {
        "agent" => Ok(Role::Agent),
        "office" => Ok(Role::Office),
        _ => Err(StoreError::Damaged("device role")),
    }
}

fn scope_text(scope: &Scope) -> String {
    scope
        .communities
        .iter()
        .map(CommunityCode::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

fn scope_from(text: &str) -> Scope {
    Scope {
        communities: text
            .lines()
            .filter(|l| !l.is_empty())
            .map(CommunityCode::new)
            .collect(),
    }
}

fn blob16(bytes: &[u8]) -> Result<uuid::Uuid, StoreError> {
    uuid::Uuid::from_slice(bytes).map_err(|_| StoreError::Damaged("id"))
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
        scope: scope_from(&scope),
        revoked,
        suspected_clone,
    })
}

const DEVICE_SELECT: &str =
    "SELECT id, public_key, role, scope, revoked, suspected_clone FROM devices WHERE id = ?1";

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
            params![e.secret_hash.as_slice(), role_text(e.role), scope_text(&e.scope), e.expires_at.0],
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
        let tx = db.transaction()?;
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
            scope: scope_from(&scope),
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
        let tx = db.transaction()?;
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
    ) -> Result<u32, StoreError> {
        {
            let db = self.lock()?;
            if !bytes.is_empty() {
                db.execute(
                    "INSERT OR REPLACE INTO upload_parts (device, upload_id, total_len, offset, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![device.0.as_bytes(), upload_id.as_slice(), total_len, offset, bytes],
                )?;
            }
        }
        match self.upload_progress(device, upload_id)? {
            UploadProgress::Partial { received } => Ok(received),
            _ => Ok(0),
        }
    }

    fn upload_progress(
        &self,
        device: DeviceId,
        upload_id: [u8; 32],
    ) -> Result<UploadProgress, StoreError> {
        let db = self.lock()?;
        let applied: Option<(u32, u32, u32)> = db
            .query_row(
                "SELECT applied, duplicates, refused FROM applied_uploads WHERE device = ?1 AND upload_id = ?2",
                params![device.0.as_bytes(), upload_id.as_slice()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((applied, duplicates, refused)) = applied {
            return Ok(UploadProgress::Applied(ApplyReport {
                applied,
                duplicates,
                refused,
            }));
        }
        let mut statement = db.prepare_cached("SELECT offset, length(bytes) FROM upload_parts WHERE device = ?1 AND upload_id = ?2 ORDER BY offset")?;
        let parts = statement
            .query_map(params![device.0.as_bytes(), upload_id.as_slice()], |r| {
                Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?))
            })?;
        let mut received = 0u32;
        let mut any = false;
        for part in parts {
            let (offset, length) = part?;
            any = true;
            if offset > received {
                break;
            }
            received = received.max(offset.saturating_add(length));
        }
        Ok(if any {
            UploadProgress::Partial { received }
        } else {
            UploadProgress::Unknown
        })
    }

    fn upload_prefix(
        &self,
        device: DeviceId,
        upload_id: [u8; 32],
        up_to: u32,
    ) -> Result<Vec<u8>, StoreError> {
        let db = self.lock()?;
        let mut statement = db.prepare_cached("SELECT offset, bytes FROM upload_parts WHERE device = ?1 AND upload_id = ?2 ORDER BY offset")?;
        let parts = statement
            .query_map(params![device.0.as_bytes(), upload_id.as_slice()], |r| {
                Ok((r.get::<_, u32>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?;
        let mut prefix: Vec<u8> = Vec::new();
        for part in parts {
            let (offset, bytes) = part?;
            let offset = offset as usize;
            if offset > prefix.len() {
                break;
            }
            let skip = prefix.len() - offset;
            if skip < bytes.len() {
                prefix.extend_from_slice(&bytes[skip..]);
            }
        }
        prefix.truncate(up_to as usize);
        Ok(prefix)
    }

    fn discard_upload(&self, device: DeviceId, upload_id: [u8; 32]) -> Result<(), StoreError> {
        let db = self.lock()?;
        db.execute(
            "DELETE FROM upload_parts WHERE device = ?1 AND upload_id = ?2",
            params![device.0.as_bytes(), upload_id.as_slice()],
        )?;
        Ok(())
    }

    fn apply_upload(
        &self,
        device: &DeviceRecord,
        upload_id: [u8; 32],
        changes: &[BatchChange],
    ) -> Result<ApplyReport, StoreError> {
        // The Automerge work that needs no lock — hashing every change and building the document
        // of each client as if the node had never seen it — runs before the lock, so concurrent
        // uploads use every core and the lock covers only reads and writes.
        let prepared: Vec<Prepared<'_>> = group_by_client(changes)
            .into_iter()
            .map(|(client, group)| Prepared::new(device.id, client, group))
            .collect();
        let mut db = self.lock()?;
        let tx = db.transaction()?;
        let done: Option<(u32, u32, u32)> = tx
            .query_row(
                "SELECT applied, duplicates, refused FROM applied_uploads WHERE device = ?1 AND upload_id = ?2",
                params![device.id.0.as_bytes(), upload_id.as_slice()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((applied, duplicates, refused)) = done {
            return Ok(ApplyReport {
                applied,
                duplicates,
                refused,
            });
        }
        let now = Timestamp::now();
        let mut report = ApplyReport::default();
        for group in &prepared {
            merge_client(&tx, device, group, now, &mut report)?;
        }
        tx.execute(
            "INSERT INTO applied_uploads (device, upload_id, applied, duplicates, refused, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![device.id.0.as_bytes(), upload_id.as_slice(), report.applied, report.duplicates, report.refused, now.0],
        )?;
        tx.execute(
            "DELETE FROM upload_parts WHERE device = ?1 AND upload_id = ?2",
            params![device.id.0.as_bytes(), upload_id.as_slice()],
        )?;
        tx.commit()?;
        Ok(report)
    }

    fn changes_after(
        &self,
        device: &DeviceRecord,
        cursor: u64,
        max_bytes: usize,
    ) -> Result<Page, StoreError> {
        let db = self.lock()?;
        let cursor_i = i64::try_from(cursor).unwrap_or(i64::MAX);
        let everything = device.role == Role::Office
            && device.scope.communities.iter().any(|c| c.as_str() == "*");
        let (sql, communities) = if everything {
            ("SELECT seq, client_id, epoch, change FROM log WHERE seq > ?1 AND origin != ?2 ORDER BY seq LIMIT ?3".to_owned(), Vec::new())
        } else {
            let placeholders: Vec<String> = (0..device.scope.communities.len())
                .map(|i| format!("?{}", i + 4))
                .collect();
            (
                format!(
                    "SELECT seq, client_id, epoch, change FROM log WHERE seq > ?1 AND origin != ?2 AND community IN ({}) ORDER BY seq LIMIT ?3",
                    if placeholders.is_empty() {
                        "NULL".to_owned()
                    } else {
                        placeholders.join(",")
                    }
                ),
                device
                    .scope
                    .communities
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect(),
            )
        };
        let mut values: Vec<rusqlite::types::Value> = vec![
            cursor_i.into(),
            device.id.0.as_bytes().to_vec().into(),
            PAGE_ROWS.into(),
        ];
        values.extend(communities.into_iter().map(rusqlite::types::Value::from));
        let mut statement = db.prepare_cached(&sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(values))?;
        let mut page = Page {
            changes: Vec::new(),
            next_cursor: cursor,
            more: false,
        };
        let mut bytes = 0usize;
        let mut read = 0i64;
        while let Some(row) = rows.next()? {
            read += 1;
            let change: Vec<u8> = row.get(3)?;
            if !page.changes.is_empty() && bytes + change.len() > max_bytes {
                page.more = true;
                break;
            }
            bytes += change.len();
            page.next_cursor = u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0);
            page.changes.push(BatchChange {
                client: ClientId(blob16(&row.get::<_, Vec<u8>>(1)?)?),
                epoch: row.get(2)?,
                change,
            });
        }
        if read == PAGE_ROWS {
            page.more = true;
        }
        if !page.more {
            // Nothing more for this device: skip past entries outside its scope too, so the next
            // no-change sync starts at the end of the log.
            let last: i64 =
                db.query_row("SELECT coalesce(max(seq), 0) FROM log", [], |r| r.get(0))?;
            page.next_cursor = page.next_cursor.max(u64::try_from(last).unwrap_or(0));
        }
        Ok(page)
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
}

fn group_by_client(changes: &[BatchChange]) -> Vec<(ClientId, Vec<&BatchChange>)> {
    let mut groups: Vec<(ClientId, Vec<&BatchChange>)> = Vec::new();
    let mut index: std::collections::HashMap<ClientId, usize> = std::collections::HashMap::new();
    for change in changes {
        let slot = *index.entry(change.client).or_insert_with(|| {
            groups.push((change.client, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push(change);
    }
    groups
}

/// One client's incoming changes, hashed, with the document they make on their own.
struct Prepared<'a> {
    client: ClientId,
    changes: Vec<(&'a BatchChange, Option<[u8; 32]>)>,
    /// Saved document, community and epoch, if the changes alone make a valid record.
    alone: Option<(Vec<u8>, CommunityCode, u32)>,
}

impl<'a> Prepared<'a> {
    fn new(device: DeviceId, client: ClientId, group: Vec<&'a BatchChange>) -> Self {
        let changes: Vec<(&BatchChange, Option<[u8; 32]>)> = group
            .into_iter()
            .map(|c| (c, shared::doc::change_hash(&c.change).ok()))
            .collect();
        let mut doc = ClientDoc::empty(device);
        let valid = changes
            .iter()
            .filter(|(_, h)| h.is_some())
            .map(|(c, _)| c.change.clone());
        let alone = match doc.apply_changes(valid) {
            Ok(()) => doc
                .community_and_epoch()
                .map(|(community, epoch)| (doc.save(), community, epoch)),
            Err(_) => None,
        };
        Self {
            client,
            changes,
            alone,
        }
    }
}

/// Merges one client's incoming changes into its document and appends the new ones to the log.
fn merge_client(
    tx: &rusqlite::Transaction<'_>,
    device: &DeviceRecord,
    prepared: &Prepared<'_>,
    now: Timestamp,
    report: &mut ApplyReport,
) -> Result<(), StoreError> {
    let client = prepared.client;
    let stored: Option<(String, u32, Vec<u8>)> = tx
        .query_row(
            "SELECT community, epoch, doc FROM documents WHERE client_id = ?1",
            [client.0.as_bytes()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    if let Some((community, _, _)) = &stored
        && device.role == Role::Agent
        && !device
            .scope
            .includes(&CommunityCode::new(community.clone()))
    {
        report.refused += count(prepared.changes.len());
        return Ok(());
    }
    let stored_epoch = stored.as_ref().map_or(0, |s| s.1);
    let mut fresh: Vec<(&BatchChange, [u8; 32])> = Vec::new();
    for (change, hash) in &prepared.changes {
        let Some(hash) = *hash else {
            report.refused += 1;
            continue;
        };
        if change.epoch < stored_epoch {
            report.refused += 1;
            continue;
        }
        let known: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM log WHERE change_hash = ?1)",
            [hash.as_slice()],
            |r| r.get(0),
        )?;
        if known || fresh.iter().any(|(_, h)| *h == hash) {
            report.duplicates += 1;
        } else {
            fresh.push((change, hash));
        }
    }
    if fresh.is_empty() {
        return Ok(());
    }
    // A client the node has never seen, all of whose changes are new: the document built before
    // the lock is the merge. Otherwise merge into the stored document now.
    let all_new = stored.is_none() && fresh.len() == prepared.changes.len();
    let merged = match (&prepared.alone, all_new) {
        (Some(alone), true) => Some(alone.clone()),
        _ => {
            let mut doc = match &stored {
                Some((_, _, bytes)) => ClientDoc::load(bytes, device.id)
                    .map_err(|_| StoreError::Damaged("stored document"))?,
                None => ClientDoc::empty(device.id),
            };
            doc.apply_changes(fresh.iter().map(|(c, _)| c.change.clone()))
                .ok()
                .and_then(|()| doc.community_and_epoch())
                .map(|(community, epoch)| (doc.save(), community, epoch))
        }
    };
    let Some((doc_bytes, community, epoch)) = merged else {
        report.refused += count(fresh.len());
        return Ok(());
    };
    if device.role == Role::Agent && !device.scope.includes(&community) {
        report.refused += count(fresh.len());
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO documents (client_id, community, epoch, doc, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (client_id) DO UPDATE SET community = ?2, epoch = ?3, doc = ?4, updated_at = ?5",
    )?
    .execute(params![client.0.as_bytes(), community.as_str(), epoch.max(stored_epoch), doc_bytes, now.0])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO log (client_id, community, epoch, origin, change_hash, change) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (change, hash) in &fresh {
        insert.execute(params![
            client.0.as_bytes(),
            community.as_str(),
            change.epoch,
            device.id.0.as_bytes(),
            hash.as_slice(),
            change.change
        ])?;
        report.applied += 1;
    }
    Ok(())
}

//! The SQL of devices' audit trails (migration 7), called by the `Store` impl in `sqlite.rs`.
//! What to keep and what to flag is decided by `shared::audit::receive` in ingest, not here.

use rusqlite::{Connection, OptionalExtension as _, Transaction, params};
use shared::audit::{Anchor, AuditEntry, ChainBreak};
use shared::ids::DeviceId;
use shared::time::Timestamp;

use crate::storage::{AuditCommit, AuditFlag, AuditQuery, StoreError, StoredAuditEntry};

pub(super) fn anchor(db: &Connection, device: DeviceId) -> Result<Option<Anchor>, StoreError> {
    db.prepare_cached("SELECT seq, hash FROM audit_anchors WHERE device = ?1")?
        .query_row([device.0.as_bytes()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })
        .optional()?
        .map(|(seq, hash)| {
            Ok(Anchor {
                seq: u64::try_from(seq).map_err(|_| StoreError::Damaged("an audit anchor"))?,
                hash: <[u8; 32]>::try_from(hash.as_slice())
                    .map_err(|_| StoreError::Damaged("an audit anchor"))?,
            })
        })
        .transpose()
}

/// Writes the audit part of an upload in the upload's transaction; `false` when the anchor
/// moved since it was read (the caller reports the commit contended).
pub(super) fn commit(
    tx: &Transaction<'_>,
    device: DeviceId,
    audit: &AuditCommit,
    now: Timestamp,
) -> Result<bool, StoreError> {
    if anchor(tx, device)? != audit.read_anchor {
        return Ok(false);
    }
    let received = &audit.received;
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO audit_entries (device, seq, record, entry, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for entry in &received.entries {
            insert.execute(params![
                device.0.as_bytes(),
                i64::try_from(entry.seq).unwrap_or(i64::MAX),
                entry.record.map(|r| r.0.as_bytes().to_vec()),
                entry.encode(),
                now.0
            ])?;
        }
    }
    if let Some(anchor) = received.anchor
        && received.anchor != audit.read_anchor
    {
        tx.prepare_cached(
            "INSERT INTO audit_anchors (device, seq, hash) VALUES (?1, ?2, ?3)
             ON CONFLICT (device) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        )?
        .execute(params![
            device.0.as_bytes(),
            i64::try_from(anchor.seq).unwrap_or(i64::MAX),
            anchor.hash.as_slice()
        ])?;
    }
    // A device that keeps reporting the same break (its own chain stays broken) is flagged once.
    let mut flag = tx.prepare_cached(
        "INSERT INTO audit_flags (device, code, seq, from_seq, at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO NOTHING",
    )?;
    for found in &received.breaks {
        let from = match found {
            ChainBreak::Unverified { from, .. } => *from,
            _ => 0,
        };
        flag.execute(params![
            device.0.as_bytes(),
            found.code(),
            i64::try_from(found.seq()).unwrap_or(i64::MAX),
            i64::try_from(from).unwrap_or(i64::MAX),
            now.0
        ])?;
    }
    Ok(true)
}

pub(super) fn trail(
    db: &Connection,
    query: &AuditQuery,
    limit: u32,
) -> Result<Vec<StoredAuditEntry>, StoreError> {
    let mut conditions = vec!["id > ?1".to_owned()];
    let mut values: Vec<rusqlite::types::Value> =
        vec![i64::try_from(query.after).unwrap_or(i64::MAX).into()];
    if let Some(device) = query.device {
        values.push(device.0.as_bytes().to_vec().into());
        conditions.push(format!("device = ?{}", values.len()));
    }
    if let Some(record) = query.record {
        values.push(record.0.as_bytes().to_vec().into());
        conditions.push(format!("record = ?{}", values.len()));
    }
    let mut statement = db.prepare(&format!(
        "SELECT id, entry FROM audit_entries WHERE {} ORDER BY id LIMIT {limit}",
        conditions.join(" AND ")
    ))?;
    let mut rows = statement.query(rusqlite::params_from_iter(values))?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let bytes: Vec<u8> = row.get(1)?;
        found.push(StoredAuditEntry {
            id: u64::try_from(id).map_err(|_| StoreError::Damaged("an audit entry"))?,
            entry: AuditEntry::decode(&bytes).ok_or(StoreError::Damaged("an audit entry"))?,
        });
    }
    Ok(found)
}

pub(super) fn flags(
    db: &Connection,
    device: Option<DeviceId>,
) -> Result<Vec<AuditFlag>, StoreError> {
    let mut statement = db.prepare_cached(
        "SELECT device, code, seq, from_seq, at FROM audit_flags
         WHERE ?1 IS NULL OR device = ?1 ORDER BY id",
    )?;
    let mut rows = statement.query([device.map(|d| d.0.as_bytes().to_vec())])?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        let device: Vec<u8> = row.get(0)?;
        let (code, seq, from, at): (u8, i64, i64, i64) =
            (row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?);
        let damaged = || StoreError::Damaged("an audit flag");
        found.push(AuditFlag {
            device: DeviceId(uuid::Uuid::from_slice(&device).map_err(|_| damaged())?),
            found: ChainBreak::from_code(
                code,
                u64::try_from(seq).map_err(|_| damaged())?,
                u64::try_from(from).map_err(|_| damaged())?,
            )
            .ok_or_else(damaged)?,
            at: Timestamp(at),
        });
    }
    Ok(found)
}

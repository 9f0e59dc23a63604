//! The SQL of upload parts and applied uploads (the upload state machine is
//! `crate::upload`; what an upload changes is committed by `commit_upload` in `sqlite.rs`).
//! Each function runs in the connection or transaction its caller holds.

use rusqlite::{Connection, OptionalExtension as _, params};
use shared::ids::DeviceId;
use shared::time::Timestamp;

use crate::storage::{ApplyReport, StoreError, UploadProgress};

/// A part of a device's upload, as a request carried it.
pub(super) struct Part<'a> {
    pub(super) device: DeviceId,
    pub(super) upload_id: [u8; 32],
    pub(super) total_len: u32,
    pub(super) offset: u32,
    pub(super) bytes: &'a [u8],
}

/// Keeps `part` (dropping the device's parts of other uploads) and returns how much of the
/// upload is now held from its start.
pub(super) fn save_part(
    db: &Connection,
    part: &Part<'_>,
    now: Timestamp,
) -> Result<u32, StoreError> {
    let (device, upload_id) = (part.device, part.upload_id);
    if !part.bytes.is_empty() {
        db.prepare_cached("DELETE FROM upload_parts WHERE device = ?1 AND upload_id != ?2")?
            .execute(params![device.0.as_bytes(), upload_id.as_slice()])?;
        db.prepare_cached(
            "INSERT OR REPLACE INTO upload_parts (device, upload_id, total_len, offset, bytes, kept_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![device.0.as_bytes(), upload_id.as_slice(), part.total_len, part.offset, part.bytes, now.0])?;
    }
    Ok(match progress_of(db, device, upload_id)? {
        UploadProgress::Partial { received } => received,
        _ => 0,
    })
}

/// Bytes of every part kept, over all devices.
pub(super) fn parked_bytes(db: &Connection) -> Result<u64, StoreError> {
    let bytes: i64 = db.query_row(
        "SELECT coalesce(sum(length(bytes)), 0) FROM upload_parts",
        [],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(bytes).unwrap_or(0))
}

/// Drops the parts kept before `kept_before`; returns the bytes freed.
pub(super) fn expire_parts(db: &Connection, kept_before: Timestamp) -> Result<u64, StoreError> {
    let bytes: i64 = db.query_row(
        "SELECT coalesce(sum(length(bytes)), 0) FROM upload_parts WHERE kept_at < ?1",
        [kept_before.0],
        |r| r.get(0),
    )?;
    db.execute(
        "DELETE FROM upload_parts WHERE kept_at < ?1",
        [kept_before.0],
    )?;
    Ok(u64::try_from(bytes).unwrap_or(0))
}

/// The contiguous bytes held from the upload's start, at most `up_to` of them.
pub(super) fn prefix(
    db: &Connection,
    device: DeviceId,
    upload_id: [u8; 32],
    up_to: u32,
) -> Result<Vec<u8>, StoreError> {
    let mut statement = db.prepare_cached("SELECT offset, bytes FROM upload_parts WHERE device = ?1 AND upload_id = ?2 ORDER BY offset")?;
    let parts = statement.query_map(params![device.0.as_bytes(), upload_id.as_slice()], |r| {
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

/// Drops every part of the upload.
pub(super) fn discard(
    db: &Connection,
    device: DeviceId,
    upload_id: [u8; 32],
) -> Result<(), StoreError> {
    db.execute(
        "DELETE FROM upload_parts WHERE device = ?1 AND upload_id = ?2",
        params![device.0.as_bytes(), upload_id.as_slice()],
    )?;
    Ok(())
}

pub(super) fn applied_report(
    db: &Connection,
    device: DeviceId,
    upload_id: [u8; 32],
) -> Result<Option<ApplyReport>, StoreError> {
    db
        .prepare_cached(
            "SELECT applied, duplicates, refused, refusals FROM applied_uploads WHERE device = ?1 AND upload_id = ?2",
        )?
        .query_row(params![device.0.as_bytes(), upload_id.as_slice()], |r| {
            let refusals: Vec<u8> = r.get(3)?;
            Ok((
                ApplyReport {
                    applied: r.get(0)?,
                    duplicates: r.get(1)?,
                    refused: r.get(2)?,
                    refusals: Vec::new(),
                },
                refusals,
            ))
        })
        .optional()?
        .map(|(mut report, refusals)| {
            // Written by this store from a list it encoded; unreadable means damaged.
            report.refusals =
                shared::protocol::decode_refusals(&refusals).map_err(|_| StoreError::Damaged("an applied upload's refusal list"))?;
            Ok::<_, StoreError>(report)
        })
        .transpose()
}

pub(super) fn progress_of(
    db: &Connection,
    device: DeviceId,
    upload_id: [u8; 32],
) -> Result<UploadProgress, StoreError> {
    if let Some(report) = applied_report(db, device, upload_id)? {
        return Ok(UploadProgress::Applied(report));
    }
    let mut statement = db.prepare_cached("SELECT offset, length(bytes) FROM upload_parts WHERE device = ?1 AND upload_id = ?2 ORDER BY offset")?;
    let parts = statement.query_map(params![device.0.as_bytes(), upload_id.as_slice()], |r| {
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

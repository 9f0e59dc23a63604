//! The upload state machine, for every backend: a request carries part of an upload (or only
//! asks how much of it the node holds); the node keeps contiguous parts, and applies the upload
//! only when the bytes it holds reach the announced length and hash to the upload id.
//!
//! - already applied → the recorded outcome (a retry after a lost answer costs nothing);
//! - a probe, or a part that starts beyond what is held → how much is held;
//! - a part that leaves the upload short → kept; how much is now held;
//! - complete but longer than announced, or not hashing to its id → discarded; start again;
//! - complete and whole → decoded and applied ([`crate::ingest::apply_upload`]).

use shared::protocol::{
    DecodeError, RESUME_PROBE, Refusal, UploadHead, UploadStatus, decode_upload,
};
use shared::time::Timestamp;

use crate::ingest;
use crate::storage::{ApplyReport, DeviceRecord, Store, StoreError, UploadProgress};

/// The most upload-part bytes the node keeps, over every device. A device parks one upload at a
/// time (its other uploads' parts are dropped), so this bounds what cut requests — which cannot
/// be checked against a signature — can make the node store.
pub const MAX_PARKED_BYTES: u64 = 1 << 30;
/// Parts not continued within this are dropped when room is needed.
const PART_LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// Keeps a part if there is room (expiring abandoned parts first); `None` when there is not,
/// and the device resends the part later from what is held.
fn park(
    store: &dyn Store,
    device: &DeviceRecord,
    upload: UploadHead,
    part: &[u8],
    now: Timestamp,
) -> Result<Option<u32>, StoreError> {
    if store.parked_bytes()? + part.len() as u64 > MAX_PARKED_BYTES {
        store.expire_parts(Timestamp(now.0.saturating_sub(PART_LIFETIME_MS)))?;
        if store.parked_bytes()? + part.len() as u64 > MAX_PARKED_BYTES {
            tracing::warn!(device = %device.id, "upload part not kept: parked parts are at their cap");
            return Ok(None);
        }
    }
    store
        .save_upload_part(
            device.id,
            upload.upload_id,
            upload.total_len,
            upload.offset,
            part,
            now,
        )
        .map(Some)
}

/// Why an upload part was not taken.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The complete upload is not a valid batch (it was discarded).
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// What became of a part, and the outcome if this part completed the upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taken {
    /// The status the response carries.
    pub status: UploadStatus,
    /// Which changes were refused and why, when the upload is applied (now or before): the
    /// response carries them so the device keeps them held.
    pub refusals: Vec<Refusal>,
    /// Set when this request applied the upload.
    pub applied_now: Option<ApplyReport>,
}

fn partial(upload_id: [u8; 32], received: u32) -> Taken {
    Taken {
        status: UploadStatus::Partial {
            upload_id,
            received,
        },
        refusals: Vec::new(),
        applied_now: None,
    }
}

fn applied(upload_id: [u8; 32], report: ApplyReport, now: bool) -> Taken {
    Taken {
        status: UploadStatus::Applied {
            upload_id,
            applied: report.applied,
            duplicates: report.duplicates,
            refused: report.refused,
        },
        refusals: report.refusals.clone(),
        applied_now: now.then_some(report),
    }
}

/// Takes the part of `upload` that a complete, signed request carried.
pub fn take(
    store: &dyn Store,
    device: &DeviceRecord,
    upload: UploadHead,
    part: &[u8],
    now: Timestamp,
) -> Result<Taken, UploadError> {
    let id = upload.upload_id;
    let received = match store.upload_progress(device.id, id)? {
        UploadProgress::Applied(report) => return Ok(applied(id, report, false)),
        UploadProgress::Partial { received } => received,
        UploadProgress::Unknown => 0,
    };
    if upload.offset == RESUME_PROBE || upload.offset > received {
        return Ok(partial(id, received));
    }
    let mut whole = store.upload_prefix(device.id, id, upload.offset)?;
    whole.extend_from_slice(part);
    if whole.len() < upload.total_len as usize {
        let received = park(store, device, upload, part, now)?.unwrap_or(received);
        return Ok(partial(id, received));
    }
    if whole.len() > upload.total_len as usize || shared::protocol::upload_id(&whole) != id {
        store.discard_upload(device.id, id)?;
        return Ok(partial(id, 0));
    }
    let upload = match decode_upload(&whole) {
        Ok(upload) => upload,
        Err(error) => {
            store.discard_upload(device.id, id)?;
            return Err(error.into());
        }
    };
    let report = ingest::apply_upload_with_audit(
        store,
        device,
        id,
        &upload.changes,
        upload.audit.as_deref(),
        now,
    )?;
    Ok(applied(id, report, true))
}

/// Keeps the part of an upload that a *cut* request delivered, if it continues what is held
/// (nothing of it is applied: the request's signature could not be checked).
/// Returns whether it was kept.
pub fn keep_cut_part(
    store: &dyn Store,
    device: &DeviceRecord,
    upload: UploadHead,
    part: &[u8],
    now: Timestamp,
) -> Result<bool, StoreError> {
    if upload.offset == RESUME_PROBE || part.is_empty() {
        return Ok(false);
    }
    let held = match store.upload_progress(device.id, upload.upload_id)? {
        UploadProgress::Partial { received } => received,
        UploadProgress::Unknown => 0,
        UploadProgress::Applied(_) => return Ok(false),
    };
    if upload.offset > held {
        return Ok(false);
    }
    Ok(park(store, device, upload, part, now)?.is_some())
}

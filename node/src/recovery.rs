//! Lost-laptop recovery (issue 11): open a copy of a laptop's profile with the office's age
//! identity, through the sealed recovery copy of its data key, and merge every change it held
//! that this node does not have — through the same ingest as a sync by that laptop, so every
//! check applies and a change the node already has is a duplicate (run it twice: nothing new).
//!
//! **Nothing is written to the copy**: its files (encrypted) are copied into a private scratch
//! directory inside the node's own data directory (never the system temp dir, which may be a
//! disk nobody watches) and opened there, so SQLite may replay the copy's WAL (the last
//! transactions the laptop made) without touching the original. The scratch directory is
//! removed at the end. What the recovery reads of a profile — `recovery.age`, the vault
//! database, its `profile.device_id` and `documents (doc, epoch)` — is part of the laptop's
//! profile format and must stay readable by newer nodes.

use std::path::{Path, PathBuf};

use shared::ClientDoc;
use shared::crypto::recovery;
use shared::ids::{ClientId, DeviceId};
use shared::protocol::{BatchChange, RefusalReason};
use shared::time::Timestamp;

use crate::ingest::apply_upload;
use crate::storage::{Store, StoreError};

/// Documents sent per upload (each upload is one all-or-nothing commit).
const DOCUMENTS_PER_UPLOAD: usize = 200;
/// Largest recovery copy or identity file read.
const MAX_SMALL_FILE: usize = 64 * 1024;

/// Why a recovery did not run.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// The profile copy lacks a file it needs.
    #[error("the profile copy has no {0}")]
    Missing(&'static str),
    /// The identity does not open the recovery copy.
    #[error("the recovery copy does not open with this identity")]
    WrongIdentity,
    /// The profile's database did not open with the recovered key, or is damaged.
    #[error("the profile database does not open: {0}")]
    Profile(String),
    /// The laptop was never enrolled with this node.
    #[error("the laptop's device {0} is not known to this node")]
    UnknownDevice(DeviceId),
    /// Reading or copying files failed.
    #[error("input/output error: {0}")]
    Io(#[from] std::io::Error),
    /// The node's store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a recovery did.
#[derive(Debug, Default)]
pub struct RecoveryReport {
    /// The laptop.
    pub device: Option<DeviceId>,
    /// Records the profile held.
    pub records: usize,
    /// Changes newly merged into the node.
    pub applied: u64,
    /// Changes the node already had.
    pub duplicates: u64,
    /// Changes refused, with why (as in a sync).
    pub refused: Vec<(RefusalReason, u64)>,
    /// Documents of the profile that did not load (damaged): counted, not sent.
    pub unreadable: usize,
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read_small(path: &Path, what: &'static str) -> Result<Vec<u8>, RecoveryError> {
    vault::private_files::read_bounded(path, MAX_SMALL_FILE)?.ok_or(RecoveryError::Missing(what))
}

/// Copies the profile's files (encrypted as they are) into a fresh owner-only directory under
/// `parent`.
fn scratch_copy(profile: &Path, parent: &Path) -> Result<Scratch, RecoveryError> {
    let mut name = [0u8; 8];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut name)
        .map_err(|_| RecoveryError::Io(std::io::Error::other("no randomness")))?;
    let dir = parent.join(format!(
        "outreach-recovery-{}",
        name.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ));
    vault::private_files::create_dir(&dir)?;
    let scratch = Scratch(dir);
    let database = vault::DATABASE_NAME;
    if !profile.join(database).is_file() {
        return Err(RecoveryError::Missing("database"));
    }
    for file in [
        database.to_owned(),
        format!("{database}-wal"),
        vault::KEYFILE_NAME.to_owned(),
    ] {
        let from = profile.join(&file);
        if from.is_file() {
            let mut source = std::fs::File::open(&from)?;
            let mut target = vault::private_files::open_for_writing(&scratch.0.join(&file), true)?;
            std::io::copy(&mut source, &mut target)?;
            target.sync_all()?;
        }
    }
    Ok(scratch)
}

/// Recovers a laptop profile copy into `store` (see the module documentation); the scratch
/// copy is made under `scratch_parent` (the node's data directory).
///
/// # Errors
/// A missing file, an identity that does not open the copy, a profile that does not open, a
/// device the node never enrolled, or a store failure. Each upload commits on its own; a
/// recovery cut half-way is finished by running it again.
pub fn recover(
    store: &dyn Store,
    profile: &Path,
    office_identity: &str,
    scratch_parent: &Path,
    now: Timestamp,
) -> Result<RecoveryReport, RecoveryError> {
    let sealed = read_small(
        &profile.join(vault::RECOVERY_NAME),
        "recovery copy (recovery.age)",
    )?;
    let key = recovery::open(&sealed, office_identity).map_err(|_| RecoveryError::WrongIdentity)?;
    let scratch = scratch_copy(profile, scratch_parent)?;
    let opened = vault::open_with_key(&scratch.0, &key, false)
        .map_err(|e| RecoveryError::Profile(e.to_string()))?;
    let db = opened.connection;
    let device_text: String = db
        .query_row(
            "SELECT value FROM profile WHERE key = 'device_id'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| RecoveryError::Profile(e.to_string()))?;
    let device_id = DeviceId(
        device_text
            .parse()
            .map_err(|_| RecoveryError::Profile("device id".into()))?,
    );
    let device = store
        .device(device_id)?
        .ok_or(RecoveryError::UnknownDevice(device_id))?;
    let mut report = RecoveryReport {
        device: Some(device_id),
        ..RecoveryReport::default()
    };
    let mut statement = db
        .prepare("SELECT client_id, doc, epoch FROM documents ORDER BY client_id")
        .map_err(|e| RecoveryError::Profile(e.to_string()))?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })
        .map_err(|e| RecoveryError::Profile(e.to_string()))?;
    let mut batch: Vec<BatchChange> = Vec::new();
    let mut documents_in_batch = 0;
    let flush = |batch: &mut Vec<BatchChange>, report: &mut RecoveryReport| {
        if batch.is_empty() {
            return Ok::<(), RecoveryError>(());
        }
        let mut upload_id = [0u8; 32];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut upload_id)
            .map_err(|_| RecoveryError::Io(std::io::Error::other("no randomness")))?;
        let applied = apply_upload(store, &device, upload_id, batch, now)?;
        report.applied += u64::from(applied.applied);
        report.duplicates += u64::from(applied.duplicates);
        for refusal in applied.refusals {
            match report
                .refused
                .iter_mut()
                .find(|(r, _)| *r == refusal.reason)
            {
                Some((_, n)) => *n += 1,
                None => report.refused.push((refusal.reason, 1)),
            }
        }
        batch.clear();
        Ok(())
    };
    for row in rows {
        let (id, bytes, epoch) = row.map_err(|e| RecoveryError::Profile(e.to_string()))?;
        report.records += 1;
        let Ok(uuid) = uuid::Uuid::from_slice(&id) else {
            report.unreadable += 1;
            continue;
        };
        let loaded = std::panic::catch_unwind(|| {
            ClientDoc::load(&bytes, device_id).map(|mut doc| doc.changes_since(&[]))
        });
        let Ok(Ok(changes)) = loaded else {
            report.unreadable += 1;
            continue;
        };
        batch.extend(changes.into_iter().map(|change| BatchChange {
            client: ClientId(uuid),
            epoch,
            change,
        }));
        documents_in_batch += 1;
        if documents_in_batch == DOCUMENTS_PER_UPLOAD {
            flush(&mut batch, &mut report)?;
            documents_in_batch = 0;
        }
    }
    flush(&mut batch, &mut report)?;
    drop(statement);
    drop(db);
    drop(scratch);
    Ok(report)
}

//! Server storage behind one small trait (decisions D5). `sqlite` (SQLCipher through `vault`) is
//! the embedded default; the PostgreSQL backend arrives with the scale-out issue and must pass
//! the same story test (`tests/store_story.rs`).
//!
//! A node keeps: its settings (node id, TLS certificate and key), one-time enrolment secrets,
//! the device registry (public key, role, scope, last counter, revoked, clone flag), each
//! client's Automerge document, and an append-only, sequence-numbered **change log**, the source
//! of every device's pull. Uploads cut mid-way are kept as parts until completed.

pub mod sqlite;

use shared::ids::{ClientId, CommunityCode, DeviceId};
use shared::protocol::BatchChange;
use shared::protocol::enroll::{Role, Scope};
use shared::time::Timestamp;

/// Why a storage operation failed. Carries no client data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The encrypted database could not be created or opened.
    #[error(transparent)]
    Vault(#[from] vault::VaultError),
    /// A database error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Stored bytes could not be read back (damage).
    #[error("stored data is damaged: {0}")]
    Damaged(&'static str),
    /// A lock was poisoned by a panic in another request.
    #[error("storage is unavailable after an internal error")]
    Poisoned,
}

/// A registered device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRecord {
    /// Its id.
    pub id: DeviceId,
    /// Its Ed25519 public key.
    pub public_key: [u8; 32],
    /// What it may do.
    pub role: Role,
    /// Which records it may receive and send.
    pub scope: Scope,
    /// Refused from now on.
    pub revoked: bool,
    /// Two different requests came with the same counter: the profile was probably copied.
    pub suspected_clone: bool,
}

/// The verdict on a request's counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CounterVerdict {
    /// Higher than any before: accepted and recorded.
    Fresh,
    /// The same request again (same counter, same digest): a replay.
    Replay,
    /// Not higher than the last, with different content: a counter fork (the device is flagged).
    Fork,
}

/// How much of an upload the node holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadProgress {
    /// Nothing yet.
    Unknown,
    /// The first `received` bytes.
    Partial {
        /// Bytes held, contiguous from the start.
        received: u32,
    },
    /// Already applied, with this outcome.
    Applied(ApplyReport),
}

/// The outcome of applying an upload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// Changes newly stored.
    pub applied: u32,
    /// Changes the node already had.
    pub duplicates: u32,
    /// Changes refused: outside the device's scope, against an old epoch, or not valid changes.
    pub refused: u32,
}

/// One page of the change log for a device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Changes, oldest first.
    pub changes: Vec<BatchChange>,
    /// The cursor after this page.
    pub next_cursor: u64,
    /// More changes wait beyond this page.
    pub more: bool,
}

/// Counts for `/metrics`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Client documents.
    pub documents: u64,
    /// Change log entries.
    pub log_entries: u64,
    /// Registered devices (revoked included).
    pub devices: u64,
}

/// A one-time enrolment secret and what it grants.
#[derive(Clone, Debug)]
pub struct Enrollment {
    /// SHA-256 of the secret (the secret itself is never stored).
    pub secret_hash: [u8; 32],
    /// Role granted.
    pub role: Role,
    /// Scope granted.
    pub scope: Scope,
    /// After this, the secret is refused.
    pub expires_at: Timestamp,
}

/// What a node stores. Every method is one transaction.
pub trait Store: Send + Sync + 'static {
    /// A node setting (node id, certificate, key, recovery recipient).
    fn setting(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Sets a node setting.
    fn put_setting(&self, key: &str, value: &[u8]) -> Result<(), StoreError>;

    /// Records a one-time enrolment secret.
    fn add_enrollment(&self, enrollment: &Enrollment) -> Result<(), StoreError>;
    /// Spends a secret (once, before expiry) to register a device; `None` if the secret is
    /// unknown, spent or expired, or the device id is taken.
    fn redeem_enrollment(
        &self,
        secret_hash: [u8; 32],
        device: DeviceId,
        public_key: [u8; 32],
        now: Timestamp,
    ) -> Result<Option<DeviceRecord>, StoreError>;
    /// A registered device.
    fn device(&self, id: DeviceId) -> Result<Option<DeviceRecord>, StoreError>;
    /// Revokes a device; `false` if unknown.
    fn revoke(&self, id: DeviceId) -> Result<bool, StoreError>;
    /// Checks a request's counter against the last one and records it if fresh.
    fn accept_counter(
        &self,
        id: DeviceId,
        counter: u64,
        request_digest: [u8; 32],
    ) -> Result<CounterVerdict, StoreError>;

    /// Keeps the bytes of a cut upload that start at `offset`; returns how many contiguous bytes
    /// from the start are now held.
    fn save_upload_part(
        &self,
        device: DeviceId,
        upload_id: [u8; 32],
        total_len: u32,
        offset: u32,
        bytes: &[u8],
    ) -> Result<u32, StoreError>;
    /// How much of an upload the node holds.
    fn upload_progress(
        &self,
        device: DeviceId,
        upload_id: [u8; 32],
    ) -> Result<UploadProgress, StoreError>;
    /// The first `up_to` bytes held for an upload.
    fn upload_prefix(
        &self,
        device: DeviceId,
        upload_id: [u8; 32],
        up_to: u32,
    ) -> Result<Vec<u8>, StoreError>;
    /// Forgets the parts of an upload (after it proved corrupt).
    fn discard_upload(&self, device: DeviceId, upload_id: [u8; 32]) -> Result<(), StoreError>;

    /// Merges an upload's changes into the documents and appends new ones to the log, records the
    /// upload as applied and drops its parts — all in one transaction. Idempotent.
    fn apply_upload(
        &self,
        device: &DeviceRecord,
        upload_id: [u8; 32],
        changes: &[BatchChange],
    ) -> Result<ApplyReport, StoreError>;
    /// Log entries after `cursor` that `device` may see, minus its own, up to about `max_bytes`.
    fn changes_after(
        &self,
        device: &DeviceRecord,
        cursor: u64,
        max_bytes: usize,
    ) -> Result<Page, StoreError>;
    /// A client's document (saved form), for office tools and tests.
    fn document(&self, client: ClientId) -> Result<Option<(CommunityCode, Vec<u8>)>, StoreError>;
    /// Counts.
    fn stats(&self) -> Result<StoreStats, StoreError>;
}

//! Server storage behind one small trait of **transactional primitives** (decisions D5). A
//! backend stores and reads; it decides nothing. Merge planning, scope and role rules and epoch
//! checks live in the node's backend-neutral modules (`ingest`, `policy`, `pull`, `upload`), so
//! a second backend (PostgreSQL, several replicas on one database) needs no policy code.
//!
//! Rules every backend keeps (checked by `tests/store_story.rs`, one story for every backend):
//! - every method is one transaction; none reads the clock (time is passed in);
//! - errors are [`StoreError`]: no driver types cross this trait;
//! - **the log cursor contract**: [`Store::log_after`] returns entries in commit order and a
//!   `horizon` such that no entry with a sequence number at or below it can still commit. A
//!   reader that moves its cursor to at most `horizon` never skips an entry that commits later,
//!   whatever the number of writers. (SQLite allocates sequence numbers inside its single write
//!   transaction, so sequence order is commit order and the horizon is the highest committed
//!   number; a backend with concurrent writers must allocate them so that the same holds.)
//! - document writes are compare-and-set on a revision, so writers that read the same document
//!   concurrently cannot both win; the loser gets [`CommitOutcome::Contended`] and plans again.
//!
//! A node keeps: its settings (node id, TLS certificate and key), one-time enrolment secrets,
//! the device registry (public key, role, scope, last counter, revoked, clone flag), each
//! client's Automerge document, and an append-only, sequence-numbered **change log**, the source
//! of every device's pull. Uploads cut mid-way are kept as parts until completed.

pub mod sqlite;

use shared::audit::{Anchor, AuditEntry, ChainBreak};
use shared::ids::{ClientId, CommunityCode, DeviceId};
use shared::protocol::enroll::{Role, Scope};
use shared::time::Timestamp;

/// Why a storage operation failed. Carries no client data and no backend types.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The backend failed (I/O, a constraint, a lost connection); the text is the driver's.
    #[error("storage failed: {0}")]
    Backend(String),
    /// Stored bytes could not be read back (damage).
    #[error("stored data is damaged: {0}")]
    Damaged(&'static str),
    /// The store cannot serve any more (a writer died holding it); the node must be restarted.
    #[error("storage is unavailable after an internal error")]
    Unavailable,
    /// Concurrent writers kept changing what this write read; it gave up.
    #[error("storage is busy with concurrent writes; try again")]
    Contended,
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
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// Changes newly stored.
    pub applied: u32,
    /// Changes the node already had.
    pub duplicates: u32,
    /// Changes refused: outside the device's scope, against an old epoch, or not valid changes.
    pub refused: u32,
    /// Which changes of the batch were refused and why (one per refused change).
    pub refusals: Vec<shared::protocol::Refusal>,
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

/// A client's document as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// Which client.
    pub client: ClientId,
    /// Its community (for scope).
    pub community: CommunityCode,
    /// Its epoch.
    pub epoch: u32,
    /// The saved Automerge document.
    pub doc: Vec<u8>,
    /// Bumped by every write; a write names the revision it read.
    pub revision: u64,
    /// The record the document holds, as ingest validated it (JSON of `shared::Client`);
    /// `None` on documents written before it was kept.
    pub record: Option<String>,
}

impl std::fmt::Debug for StoredDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "StoredDocument({}, revision {}, {} bytes)",
            self.client,
            self.revision,
            self.doc.len()
        )
    }
}

/// A document to write: replaces the stored one only if it is still at `read_revision`
/// (`None`: only if there is none).
#[derive(Clone)]
pub struct DocumentWrite {
    /// Which client.
    pub client: ClientId,
    /// Its community after the merge.
    pub community: CommunityCode,
    /// Its epoch after the merge.
    pub epoch: u32,
    /// The merged, saved document.
    pub doc: Vec<u8>,
    /// The revision the merge started from.
    pub read_revision: Option<u64>,
    /// The record the merged document holds, validated (JSON of `shared::Client`).
    pub record: String,
}

/// A change to append to the log.
#[derive(Clone)]
pub struct LogAppend<'a> {
    /// Its document.
    pub client: ClientId,
    /// The document's community after the merge (what pulls filter on).
    pub community: CommunityCode,
    /// The epoch the change was made against.
    pub epoch: u32,
    /// The device that uploaded it (not sent back to it).
    pub origin: DeviceId,
    /// Its Automerge hash (unique in the log).
    pub hash: [u8; 32],
    /// The raw change.
    pub change: &'a [u8],
}

/// Everything one upload writes, committed together or not at all.
pub struct UploadCommit<'a> {
    /// The uploading device.
    pub device: DeviceId,
    /// The upload.
    pub upload_id: [u8; 32],
    /// Its outcome, recorded for idempotence.
    pub report: ApplyReport,
    /// When (recorded with the documents and the applied upload).
    pub now: Timestamp,
    /// Merged documents.
    pub documents: Vec<DocumentWrite>,
    /// New log entries, in order.
    pub log: Vec<LogAppend<'a>>,
    /// The device's audit entries the upload carried, checked, if it carried any.
    pub audit: Option<AuditCommit>,
}

/// The audit part of an upload: the entries to keep and the device's anchor after them,
/// written only if the anchor is still the one they were checked against (another writer that
/// moved it makes the commit [`CommitOutcome::Contended`]), with a flag per break found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditCommit {
    /// The anchor the run was checked against.
    pub read_anchor: Option<Anchor>,
    /// What the check found.
    pub received: shared::audit::Received,
}

/// A break in a device's audit chain, as the node recorded it when it found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditFlag {
    /// The device.
    pub device: DeviceId,
    /// What broke, and where.
    pub found: ChainBreak,
    /// When the node found it.
    pub at: Timestamp,
}

/// One audit entry as the node keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredAuditEntry {
    /// Its place in the node's register (receipt order).
    pub id: u64,
    /// The entry.
    pub entry: AuditEntry,
}

/// Which audit entries to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only this device's.
    pub device: Option<DeviceId>,
    /// Only those about this record.
    pub record: Option<ClientId>,
    /// Only after this place in the register (paging).
    pub after: u64,
}

/// What became of an [`UploadCommit`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommitOutcome {
    /// Written.
    Committed,
    /// The upload had been applied already (by another request or replica); nothing written.
    AlreadyApplied(ApplyReport),
    /// A document was written or a change stored by someone else since it was read; nothing
    /// written: read again and plan again.
    Contended,
}

/// Which log entries a reader may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFilter {
    /// Entries uploaded by this device are left out (it has them).
    pub exclude_origin: DeviceId,
    /// Only entries of these communities; `None`: every community.
    pub communities: Option<Vec<CommunityCode>>,
}

/// One log entry as read.
#[derive(Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// Its sequence number.
    pub seq: u64,
    /// Its document.
    pub client: ClientId,
    /// The epoch the change was made against.
    pub epoch: u32,
    /// The raw change.
    pub change: Vec<u8>,
}

impl std::fmt::Debug for LogEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LogEntry({}, {} bytes)", self.seq, self.change.len())
    }
}

/// A slice of the log after a cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSlice {
    /// Matching entries in commit order, at most the asked number of rows and about the asked
    /// bytes (always at least one entry when any matches).
    pub entries: Vec<LogEntry>,
    /// Entries were left out for the row or byte limit.
    pub truncated: bool,
    /// No entry at or below this can still commit (see the module docs): a reader that has seen
    /// every matching entry up to here may move its cursor here.
    pub horizon: u64,
}

/// What a node stores. Every method is one transaction; see the module docs for the contract.
pub trait Store: Send + Sync + 'static {
    /// A node setting (node id, certificate, key, recovery recipient).
    fn setting(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Sets a node setting.
    fn put_setting(&self, key: &str, value: &[u8]) -> Result<(), StoreError>;

    /// Records a one-time enrolment secret.
    fn add_enrollment(&self, enrollment: &Enrollment) -> Result<(), StoreError>;
    /// Spends a secret (once, before `now`'s expiry check) to register a device; `None` if the
    /// secret is unknown, spent or expired, or the device id is taken.
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

    /// Keeps the bytes of a cut upload that start at `offset`, stamped `now`; returns how many
    /// contiguous bytes from the start are now held. A device parks one upload at a time: the
    /// parts of its other uploads are dropped in the same transaction.
    fn save_upload_part(
        &self,
        device: DeviceId,
        upload_id: [u8; 32],
        total_len: u32,
        offset: u32,
        bytes: &[u8],
        now: Timestamp,
    ) -> Result<u32, StoreError>;
    /// Bytes of upload parts held, over every device.
    fn parked_bytes(&self) -> Result<u64, StoreError>;
    /// Drops upload parts kept before `kept_before`; returns how many bytes were freed.
    fn expire_parts(&self, kept_before: Timestamp) -> Result<u64, StoreError>;
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

    /// The stored documents of these clients (those the node has).
    fn documents(&self, clients: &[ClientId]) -> Result<Vec<StoredDocument>, StoreError>;
    /// Which of these change hashes the log already holds.
    fn known_changes(&self, hashes: &[[u8; 32]]) -> Result<Vec<[u8; 32]>, StoreError>;
    /// Writes an upload's merged documents and new log entries, records the upload as applied
    /// and drops its parts — all or nothing (see [`CommitOutcome`]).
    fn commit_upload(&self, commit: &UploadCommit<'_>) -> Result<CommitOutcome, StoreError>;

    /// Log entries after `cursor` that pass `filter`, oldest first, up to `max_rows` rows read
    /// and about `max_bytes` of changes, with the horizon (see the module docs).
    fn log_after(
        &self,
        cursor: u64,
        filter: &LogFilter,
        max_rows: u32,
        max_bytes: usize,
    ) -> Result<LogSlice, StoreError>;
    /// Up to `limit` stored documents with a client id after `after`, in client-id order (office
    /// tools page through every record this way).
    fn documents_after(
        &self,
        after: Option<ClientId>,
        limit: u32,
    ) -> Result<Vec<StoredDocument>, StoreError>;
    /// A client's document (saved form), for office tools and tests.
    fn document(&self, client: ClientId) -> Result<Option<(CommunityCode, Vec<u8>)>, StoreError>;
    /// Counts.
    fn stats(&self) -> Result<StoreStats, StoreError>;

    /// The head of a device's audit chain the node accepted last.
    fn audit_anchor(&self, device: DeviceId) -> Result<Option<Anchor>, StoreError>;
    /// Audit entries matching `query`, in the order the node received them, at most `limit`.
    fn audit_trail(
        &self,
        query: &AuditQuery,
        limit: u32,
    ) -> Result<Vec<StoredAuditEntry>, StoreError>;
    /// Every break found in devices' audit chains (of one device when given), oldest first.
    fn audit_flags(&self, device: Option<DeviceId>) -> Result<Vec<AuditFlag>, StoreError>;

    /// Records an export and its disclosures (one per client released), all or nothing.
    fn record_export(
        &self,
        export: &ExportRecord,
        disclosures: &[shared::disclosure::Disclosure],
    ) -> Result<(), StoreError>;
    /// Disclosures matching `query`, oldest first, at most `limit`.
    fn disclosures(
        &self,
        query: &DisclosureQuery,
        limit: u32,
    ) -> Result<Vec<shared::disclosure::Disclosure>, StoreError>;
}

/// One export to a partner, as the node keeps it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExportRecord {
    /// Its id (also in each disclosure).
    pub id: uuid::Uuid,
    /// To whom.
    pub partner: shared::ids::PartnerCode,
    /// For what.
    pub purpose: shared::ids::PurposeCode,
    /// The export profile's columns.
    pub columns: Vec<String>,
    /// Rows released.
    pub released: u64,
    /// Clients left out, by reason (`no_consent`, `withdrawn`, `expired`).
    pub left_out: std::collections::BTreeMap<String, u64>,
    /// SHA-256 of the file written (sealed, when it was).
    pub file_sha256: String,
    /// Sealed to this age recipient, if it was.
    pub sealed_to: Option<String>,
    /// Who exported.
    pub by: String,
    /// When.
    pub at: Timestamp,
}

/// Which disclosures to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisclosureQuery {
    /// Only to this partner.
    pub partner: Option<shared::ids::PartnerCode>,
    /// Only of this client.
    pub client: Option<ClientId>,
    /// Only at or after.
    pub from: Option<Timestamp>,
    /// Only before.
    pub until: Option<Timestamp>,
}

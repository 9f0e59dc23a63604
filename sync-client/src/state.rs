//! Where the engine keeps what must survive a cut link or a crash. The laptop keeps it in its
//! encrypted store; a hub's upstream link and a bundle keep it in theirs. Every method is one
//! durable step: the engine calls them in an order that makes a cut at any byte cost at most a
//! resend.

use shared::crypto::DeviceKey;
use shared::ids::{ClientId, DeviceId};
use shared::protocol::{BatchChange, Refusal};
use shared::time::Timestamp;

/// The node this state is linked to, and the device key that signs for it.
pub struct Link {
    /// The node's base URL (no trailing slash).
    pub url: String,
    /// What the device trusts the node by: its certificate's fingerprint (from the enrolment
    /// code) or, once the enrolment answer gave it, its public key's.
    pub pin: crate::Pin,
    /// The device's signing key.
    pub key: DeviceKey,
    /// The device it signs as.
    pub device: DeviceId,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Link({}, device {})", self.url, self.device)
    }
}

/// An upload built from the outbox and kept until the node acknowledges it.
#[derive(Clone)]
pub struct PendingUpload {
    /// SHA-256 of `blob`: the upload's id on the wire.
    pub id: [u8; 32],
    /// The compressed batch.
    pub blob: Vec<u8>,
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

/// What the node said of an upload it finished.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Acknowledged {
    /// Changes merged.
    pub applied: u32,
    /// Changes it already had.
    pub duplicates: u32,
    /// Changes it refused.
    pub refused: u32,
    /// Which changes of the batch it refused and why (empty from a node too old to say): the
    /// state keeps those changes, held, instead of dropping them with the rest.
    pub refusals: Vec<Refusal>,
}

/// The engine's durable state.
pub trait SyncState {
    /// The state's own failure (a store error).
    type Error: std::error::Error + Send + Sync + 'static;

    /// The node link; `None` until enrolled.
    fn link(&self) -> Result<Option<Link>, Self::Error>;
    /// The last node log position applied.
    fn cursor(&self) -> Result<u64, Self::Error>;
    /// The next request counter, persisted before it is returned so it never repeats.
    fn next_counter(&mut self) -> Result<u64, Self::Error>;
    /// Node clock minus local clock, in ms, as last learned.
    fn clock_offset(&self) -> Result<i64, Self::Error>;
    /// Remembers the clock offset.
    fn set_clock_offset(&mut self, offset_ms: i64) -> Result<(), Self::Error>;
    /// The upload in flight, or a new one built from the oldest outbox changes (up to about
    /// `max_bytes` of raw changes) and persisted before it is returned; `None` when the outbox
    /// is empty.
    fn pending_upload(&mut self, max_bytes: usize) -> Result<Option<PendingUpload>, Self::Error>;
    /// The upload `id` is about to be sent (so a later attempt asks the node first).
    fn upload_attempted(&mut self, id: [u8; 32]) -> Result<(), Self::Error>;
    /// The node finished the upload `id`: drop its changes from the outbox, but keep the refused
    /// ones (held, with the reason).
    fn upload_acknowledged(
        &mut self,
        id: [u8; 32],
        outcome: Acknowledged,
    ) -> Result<(), Self::Error>;
    /// Changes still waiting in the outbox (after any upload in flight).
    fn pending_changes(&self) -> Result<u64, Self::Error>;
    /// Merges pulled changes and moves the cursor to `next_cursor`, in one transaction; returns
    /// the records that changed.
    fn apply_pulled(
        &mut self,
        changes: Vec<BatchChange>,
        next_cursor: u64,
    ) -> Result<Vec<ClientId>, Self::Error>;
    /// A sync finished at `at`.
    fn sync_finished(&mut self, at: Timestamp) -> Result<(), Self::Error>;
    /// The node said up to which of this device's audit entries it holds (`None`: none yet), and so
    /// that it keeps trails: the next upload carries the entries after that anchor. A state
    /// that keeps no trail (a hub's link, a bundle) ignores it.
    fn audit_anchor_said(&mut self, anchor_seq: Option<u64>) -> Result<(), Self::Error> {
        let _ = anchor_seq;
        Ok(())
    }
    /// The node, over the connection checked against the certificate this device pins, gave
    /// the SHA-256 of its public key: pin the key from the next connection on (its handshake is
    /// ~ 300 bytes smaller). A state that cannot keep it ignores it.
    fn node_key_said(&mut self, key: [u8; 32]) -> Result<(), Self::Error> {
        let _ = key;
        Ok(())
    }
    /// The compression dictionaries the node said it reads ([`shared::protocol::dictionary`]);
    /// `None` while it has not said (the engine then asks). A state that cannot keep them
    /// answers `None` and builds its uploads without one.
    fn node_dictionaries(&self) -> Result<Option<Vec<u32>>, Self::Error> {
        Ok(None)
    }
    /// The node said which dictionaries it reads: uploads built from now on may use one.
    fn node_dictionaries_said(&mut self, ids: &[u32]) -> Result<(), Self::Error> {
        let _ = ids;
        Ok(())
    }
    /// Audit entries wait for a node that said it keeps trails (the engine then sends them in
    /// the same session, once, even when no change waits).
    fn audit_waiting(&self) -> Result<bool, Self::Error> {
        Ok(false)
    }
}

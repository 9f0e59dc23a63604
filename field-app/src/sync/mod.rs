//! The laptop's side of sync: the engine of the `sync-client` crate over the laptop's encrypted
//! store (its [`SyncState`]) and HTTPS to the pinned node, plus enrolment that keeps the link in
//! the store, and a worker thread for the GUI.

mod worker;

pub use sync_client::{Pin, SyncError, SyncOptions, SyncProgress, SyncReport, pinned_client};
pub use worker::{SyncEvent, SyncWorker};

use std::time::Duration;

use shared::crypto::DeviceKey;
use shared::ids::ClientId;
use shared::protocol::BatchChange;
use shared::protocol::enroll::EnrollResponse;
use shared::time::Timestamp;
use sync_client::{Acknowledged, HttpsTransport, Link, PendingUpload, SyncState};

use crate::storage::sync_state::key;
use crate::{LocalStore, StoreError};

impl SyncState for LocalStore {
    type Error = StoreError;

    fn link(&self) -> Result<Option<Link>, StoreError> {
        let Some(url) = self.link_text(key::NODE_URL)? else {
            return Ok(None);
        };
        let hash = |name| -> Result<Option<[u8; 32]>, StoreError> {
            Ok(self
                .link_value(name)?
                .and_then(|f| <[u8; 32]>::try_from(f.as_slice()).ok()))
        };
        let pin = match hash(key::NODE_KEY)? {
            Some(node_key) => Some(Pin::PublicKey(node_key)),
            None => hash(key::FINGERPRINT)?.map(Pin::Certificate),
        };
        let key = self
            .link_value(key::DEVICE_KEY)?
            .and_then(|k| DeviceKey::from_pkcs8(&k).ok());
        Ok(pin.zip(key).map(|(pin, key)| Link {
            url: url.trim_end_matches('/').to_owned(),
            pin,
            key,
            device: self.author().device,
        }))
    }

    fn cursor(&self) -> Result<u64, StoreError> {
        Ok(u64::try_from(self.link_number(key::CURSOR)?).unwrap_or(0))
    }

    fn next_counter(&mut self) -> Result<u64, StoreError> {
        LocalStore::next_counter(self)
    }

    fn clock_offset(&self) -> Result<i64, StoreError> {
        self.link_number(key::CLOCK_OFFSET)
    }

    fn set_clock_offset(&mut self, offset_ms: i64) -> Result<(), StoreError> {
        self.set_link(&[(key::CLOCK_OFFSET, offset_ms.to_string().as_bytes())])
    }

    fn pending_upload(&mut self, max_bytes: usize) -> Result<Option<PendingUpload>, StoreError> {
        LocalStore::pending_upload(self, max_bytes)
    }

    fn upload_attempted(&mut self, id: [u8; 32]) -> Result<(), StoreError> {
        LocalStore::upload_attempted(self, id)
    }

    fn upload_acknowledged(
        &mut self,
        id: [u8; 32],
        outcome: Acknowledged,
    ) -> Result<(), StoreError> {
        LocalStore::upload_acknowledged(self, id, &outcome)
    }

    fn pending_changes(&self) -> Result<u64, StoreError> {
        LocalStore::pending_changes(self)
    }

    fn apply_pulled(
        &mut self,
        changes: Vec<BatchChange>,
        next_cursor: u64,
    ) -> Result<Vec<ClientId>, StoreError> {
        LocalStore::apply_pulled(self, changes, next_cursor)
    }

    fn sync_finished(&mut self, at: Timestamp) -> Result<(), StoreError> {
        self.set_link(&[(key::LAST_SYNC, at.0.to_string().as_bytes())])
    }

    fn audit_anchor_said(&mut self, anchor_seq: Option<u64>) -> Result<(), StoreError> {
        self.set_node_audit_anchor(anchor_seq)
    }

    fn audit_waiting(&self) -> Result<bool, StoreError> {
        LocalStore::audit_waiting(self)
    }

    fn node_key_said(&mut self, node_key: [u8; 32]) -> Result<(), StoreError> {
        self.set_link(&[(key::NODE_KEY, &node_key)])
    }

    fn node_dictionaries(&self) -> Result<Option<Vec<u32>>, StoreError> {
        LocalStore::node_dictionaries(self)
    }

    fn node_dictionaries_said(&mut self, ids: &[u32]) -> Result<(), StoreError> {
        self.set_node_dictionaries(ids)
    }
}

/// Registers this laptop with the node named in `code` (or at `url_override`): generates the
/// device key and keeps it, with the node's URL, pinned fingerprint (and public key, when the
/// node gave it), role and scope, inside the encrypted store.
pub fn enroll(
    store: &mut LocalStore,
    code: &str,
    url_override: Option<&str>,
    timeout: Duration,
) -> Result<EnrollResponse, SyncError> {
    let enrolled = sync_client::enroll(code, url_override, store.author().device, timeout)?;
    let scope = enrolled.answer.scope.to_text();
    store
        .set_link(&[
            (key::NODE_URL, enrolled.url.as_bytes()),
            (key::FINGERPRINT, &enrolled.fingerprint),
            (
                key::NODE_KEY,
                enrolled.answer.node_key.as_ref().map_or(&[][..], |k| k),
            ),
            (key::NODE_ID, enrolled.answer.node.0.as_bytes()),
            (key::ROLE, enrolled.answer.role.as_str().as_bytes()),
            (key::SCOPE, scope.as_bytes()),
            (key::DEVICE_KEY, enrolled.key.pkcs8()),
        ])
        .map_err(|e| SyncError::State(Box::new(e)))?;
    // Uploads use a dictionary from the first sync. An older node says none: what an earlier
    // enrolment learnt is forgotten (this node may not read it), and the first sync asks.
    store
        .set_node_dictionaries(&enrolled.answer.dictionaries)
        .map_err(|e| SyncError::State(Box::new(e)))?;
    if enrolled.answer.keeps_audit_trails {
        // The first upload then carries the entries written so far beside the changes.
        store
            .set_node_audit_anchor(None)
            .map_err(|e| SyncError::State(Box::new(e)))?;
    }
    Ok(enrolled.answer)
}

/// Syncs with the enrolled node over HTTPS until the outbox is acknowledged and no more changes
/// wait, retrying transport failures with backoff.
pub fn sync(
    store: &mut LocalStore,
    options: &SyncOptions,
    progress: &mut dyn FnMut(&SyncProgress),
) -> Result<SyncReport, SyncError> {
    let link = store
        .link()
        .map_err(|e| SyncError::State(Box::new(e)))?
        .ok_or(SyncError::NotEnrolled)?;
    let mut transport = HttpsTransport::new(
        &link.url,
        link.pin,
        options.timeout,
        options.max_bytes_per_sec,
    )
    .map_err(|e| SyncError::Transport(e.to_string()))?;
    sync_client::sync(store, &mut transport, options, progress)
}

/// Office: asks the enrolled node for an export to a partner (a dry run counts; otherwise the
/// answer holds the file sealed to the partner, already recorded at the node with one
/// disclosure per client released).
pub fn office_export(
    store: &mut LocalStore,
    order: &shared::protocol::office::ExportOrder,
    timeout: Duration,
) -> Result<shared::protocol::office::ExportAnswer, SyncError> {
    let mut transport = office_transport(store, timeout)?;
    sync_client::office::export(store, &mut transport, order)
}

/// Office: asks the enrolled node's registers (disclosures; one record's accesses on every
/// device).
pub fn office_register(
    store: &mut LocalStore,
    query: &shared::protocol::office::RegisterQuery,
    timeout: Duration,
) -> Result<shared::protocol::office::RegisterAnswer, SyncError> {
    let mut transport = office_transport(store, timeout)?;
    sync_client::office::register(store, &mut transport, query)
}

/// HTTPS to the enrolled node for one office request.
fn office_transport(store: &LocalStore, timeout: Duration) -> Result<HttpsTransport, SyncError> {
    let link = store
        .link()
        .map_err(|e| SyncError::State(Box::new(e)))?
        .ok_or(SyncError::NotEnrolled)?;
    HttpsTransport::new(&link.url, link.pin, timeout, None)
        .map_err(|e| SyncError::Transport(e.to_string()))
}

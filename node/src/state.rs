//! A running node: its store, identity, settings and counters, shared by every request.

use std::sync::Arc;

use shared::ids::{CommunityCode, DeviceId};
use shared::protocol::enroll::{EnrollmentCode, Role, Scope};
use shared::time::Timestamp;

use crate::metrics::Metrics;
use crate::policy::{self, EnrollmentError};
use crate::storage::{Enrollment, Store, StoreError};

const NODE_ID: &str = "node.id";
/// Setting: the URL devices use to reach this node (written at every start, read by `enroll`).
pub const PUBLIC_URL: &str = "node.public_url";
/// Setting: the office recovery recipient handed to devices at enrolment.
pub const RECOVERY_RECIPIENT: &str = "node.recovery_recipient";

/// Tunables.
#[derive(Clone, Debug)]
pub struct NodeSettings {
    /// Largest accepted difference between a device's clock and the node's, in milliseconds.
    pub max_clock_skew_ms: i64,
    /// zstd level for pulled changes.
    pub response_compression_level: i32,
}

impl Default for NodeSettings {
    fn default() -> Self {
        Self {
            max_clock_skew_ms: 24 * 3600 * 1000,
            response_compression_level: 15,
        }
    }
}

/// Everything a request handler needs.
pub struct Node {
    /// Storage.
    pub store: Arc<dyn Store>,
    /// This node's id.
    pub id: DeviceId,
    /// Tunables.
    pub settings: NodeSettings,
    /// Counters.
    pub metrics: Metrics,
    /// Uploads being decoded and merged at once: one per core keeps every core busy and bounds
    /// memory (each holds its decompressed batch and documents), however many devices connect.
    pub upload_permits: tokio::sync::Semaphore,
    /// Connections being served (capped in all and per address).
    pub connections: crate::connections::ConnectionSlots,
    /// One request at a time per device: a device's body is read, and its upload applied, only
    /// after its previous request finished, so one device (or anyone knowing its id) holds at
    /// most one body in memory and one core.
    pub device_turns: crate::connections::DeviceTurns,
    /// Bodies of protocol v1/v2 requests (signed over the whole body, so read before any check)
    /// being read at once: at most [`UNCHECKED_BODIES`], whatever device ids a peer knows; the
    /// others are answered 503 and retried. Version 3 requests are checked at their head.
    pub unchecked_bodies: tokio::sync::Semaphore,
    /// SHA-256 of the TLS public key the node serves with, told to devices at enrolment (see
    /// [`crate::tls`]); `None` where no TLS is in front of the routes (in-process tests).
    pub tls_key_pin: Option<[u8; 32]>,
}

/// Older devices' bodies read before their signature can be checked, at once (each at most
/// `MAX_REQUEST_BYTES`, 16 MiB).
pub const UNCHECKED_BODIES: usize = 4;

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Node {
    /// The node over `store`, creating its id on first start.
    pub fn new(store: Arc<dyn Store>, settings: NodeSettings) -> Result<Self, StoreError> {
        let id = match store
            .setting(NODE_ID)?
            .and_then(|b| uuid::Uuid::from_slice(&b).ok())
        {
            Some(id) => DeviceId(id),
            None => {
                let id = DeviceId::random();
                store.put_setting(NODE_ID, id.0.as_bytes())?;
                id
            }
        };
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Ok(Self {
            store,
            id,
            settings,
            metrics: Metrics::default(),
            upload_permits: tokio::sync::Semaphore::new(cores),
            connections: crate::connections::ConnectionSlots::default(),
            device_turns: crate::connections::DeviceTurns::default(),
            unchecked_bodies: tokio::sync::Semaphore::new(UNCHECKED_BODIES),
            tls_key_pin: None,
        })
    }
}

/// The node's tokio runtime. Blocking work (signature checks, store reads and merges) all waits
/// on one store connection, so a few blocking threads do as much as hundreds would; bounding
/// them keeps memory flat however many devices connect at once (each thread would otherwise
/// grow an allocator arena of its own).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(cores.saturating_mul(2).max(4))
        .build()
}

/// Records a one-time enrolment secret (stored hashed, expiring) and returns the code that
/// carries it with the node's URL and certificate fingerprint. The grant is checked by
/// [`crate::policy::check_grant`] (an agent is never granted `*`), whoever asks for it.
pub fn issue_enrollment(
    store: &dyn Store,
    url: String,
    fingerprint: [u8; 32],
    role: Role,
    communities: Vec<String>,
    valid_hours: i64,
) -> Result<EnrollmentCode, EnrollmentError> {
    let scope = Scope {
        communities: communities.into_iter().map(CommunityCode::new).collect(),
    };
    policy::check_grant(role, &scope)?;
    let mut secret = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut secret)
        .map_err(|_| EnrollmentError::Random)?;
    store.add_enrollment(&Enrollment {
        secret_hash: shared::protocol::upload_id(&secret),
        role,
        scope: scope.clone(),
        expires_at: Timestamp(
            Timestamp::now()
                .0
                .saturating_add(valid_hours.saturating_mul(3_600_000)),
        ),
    })?;
    Ok(EnrollmentCode {
        url,
        fingerprint,
        secret,
        role,
        scope,
    })
}

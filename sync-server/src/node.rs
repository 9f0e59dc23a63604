//! A running node: its store, identity, settings and counters, shared by every request.

use std::sync::Arc;

use shared::ids::DeviceId;

use crate::metrics::Metrics;
use crate::storage::{Store, StoreError};

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
}

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
        })
    }
}

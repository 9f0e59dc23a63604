//! The client side of the sync protocol (decisions D3): one signed request carries the outbox and
//! the cursor; the answer acknowledges the upload and brings the changes after the cursor.
//!
//! Generic over where its state lives ([`SyncState`]: outbox, cursor, counter, upload in flight)
//! and over the [`Transport`], so the laptop (state in its encrypted store, HTTPS), a hub's
//! upstream link and a bundle all run this one engine.
//!
//! Every step is persisted before the next one — the request counter before it is used, the
//! upload before it is sent, acknowledgements and pulled changes in one transaction with the
//! cursor — so a link that drops at any byte costs at most a resend of what was not yet
//! received, never a loss and never a duplicate. After an unacknowledged attempt the engine first
//! asks the node how much of the upload it holds and sends only the rest.
//!
//! Everything the node sends is input: sizes are bounded, a claim that does not fit what was
//! sent is refused, and a session has a request and time budget so a node that never finishes
//! cannot keep a device looping.
//!
//! Runs on the caller's thread (a CLI command, a GUI worker thread, a hub's uplink thread).

mod engine;
mod enroll;
mod https;
pub mod office;
mod pinned;
mod state;
mod throttle;
mod transport;

use std::time::Duration;

pub use engine::sync;
pub use enroll::{Enrolled, enroll, enroll_over};
pub use https::HttpsTransport;
pub use pinned::{Pin, client as pinned_client, tls_config};
pub use state::{Acknowledged, Link, PendingUpload, SyncState};
pub use transport::{Answer, Delivery, Request, Transport, TransportError};

use shared::protocol::DecodeError;
use shared::protocol::wire::Reason;

/// Why a sync or enrolment failed, in words an agent can act on. No client data.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The state is not linked to a node yet.
    #[error("this device is not enrolled with a node yet (use `field-app enroll`)")]
    NotEnrolled,
    /// The link failed (no route, cut, timeout, certificate not the pinned one).
    #[error("could not reach the node: {0}")]
    Transport(String),
    /// The node refused the request.
    #[error("the node refused the request ({status}: {})", reason.map_or("unknown", Reason::as_str))]
    Refused {
        /// HTTP status.
        status: u16,
        /// The node's reason (`None`: a code this build does not know, or none sent).
        reason: Option<Reason>,
    },
    /// The node's answer was not a valid message.
    #[error("the node's answer was not understood: {0}")]
    Protocol(#[from] DecodeError),
    /// The session's request or time budget ran out before the node finished.
    #[error(
        "the node did not finish the sync within the session's budget ({requests} requests); nothing was lost, try again later"
    )]
    BudgetSpent {
        /// Requests made.
        requests: u32,
    },
    /// Where the state lives failed (the local store).
    #[error(transparent)]
    State(Box<dyn std::error::Error + Send + Sync>),
    /// The device key could not be generated (the system's random generator failed).
    #[error("the device key could not be generated: {0}")]
    Key(String),
    /// The enrolment code is not valid.
    #[error("the enrolment code is not valid: {0}")]
    BadCode(DecodeError),
}

impl From<TransportError> for SyncError {
    fn from(error: TransportError) -> Self {
        match error {
            TransportError::TooLarge => Self::Protocol(DecodeError::TooLarge),
            TransportError::Link(why) => Self::Transport(why),
        }
    }
}

impl SyncError {
    fn state(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::State(Box::new(error))
    }
}

/// Tunables.
#[derive(Clone, Debug)]
pub struct SyncOptions {
    /// Bandwidth budget for uploads, bytes per second.
    pub max_bytes_per_sec: Option<u64>,
    /// Further attempts after a transport failure.
    pub retries: u32,
    /// First wait between attempts; doubles each time, at most a minute.
    pub backoff: Duration,
    /// The most raw change bytes in one upload.
    pub max_upload_bytes: usize,
    /// The most change bytes the node should send in one response.
    pub max_response_bytes: u32,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The most requests in one sync session.
    pub max_requests: u32,
    /// The longest one sync session may take before it stops (and resumes next time).
    pub session_budget: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            max_bytes_per_sec: None,
            retries: 5,
            backoff: Duration::from_secs(2),
            max_upload_bytes: 8 * 1024 * 1024,
            max_response_bytes: 2 * 1024 * 1024,
            timeout: Duration::from_secs(600),
            // A 2 MiB page at a time, 100,000 records of a first pull take ~ 200 requests.
            max_requests: 10_000,
            session_budget: Duration::from_secs(6 * 3600),
        }
    }
}

/// Where a sync stands, reported between requests.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncProgress {
    /// Request bytes sent so far.
    pub bytes_sent: u64,
    /// Response bytes received so far.
    pub bytes_received: u64,
    /// Bytes of the upload in flight still to send.
    pub upload_bytes_left: u64,
    /// Estimated time to finish the upload, from the rate so far.
    pub time_left: Option<Duration>,
    /// Requests made.
    pub requests: u32,
    /// The last attempt failed on the link for this reason and the engine is waiting to retry.
    pub retrying: Option<String>,
}

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Changes the node acknowledged.
    pub changes_sent: u32,
    /// Of those, changes the node refused (outside scope, old epoch).
    pub changes_refused: u32,
    /// The records the pulled changes updated, a page at a time (for the connection that
    /// searches to re-index).
    pub changed: Vec<shared::ids::ClientId>,
    /// Request bytes (bodies).
    pub bytes_sent: u64,
    /// Response bytes (bodies).
    pub bytes_received: u64,
    /// HTTP requests made.
    pub requests: u32,
}

impl SyncReport {
    /// Records updated from the node.
    #[must_use]
    pub fn records_received(&self) -> usize {
        self.changed.len()
    }
}

//! The client sync engine (decisions D3): one signed HTTPS request carries the outbox and the
//! cursor; the answer acknowledges the upload and brings the changes after the cursor.
//!
//! Every step is persisted before the next one — the request counter before it is used, the
//! upload before it is sent, acknowledgements and pulled changes in one transaction with the
//! cursor — so a link that drops at any byte costs at most a resend of what was not yet
//! received, never a loss and never a duplicate. After an unacknowledged attempt the engine first
//! asks the node how much of the upload it holds and sends only the rest.
//!
//! Runs on the caller's thread (a CLI command, or the GUI's worker thread); never touches the
//! UI. Capture keeps working meanwhile: each save is its own short transaction.

mod pinned;
pub use pinned::client as pinned_client;
mod throttle;
mod worker;

pub use worker::{SyncEvent, SyncWorker};

use std::io::Read as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use shared::crypto::{DeviceKey, SignedRequest, body_digest};
use shared::ids::DeviceId;
use shared::protocol::enroll::{EnrollRequest, EnrollResponse, EnrollmentCode};
use shared::protocol::wire::{
    MAX_ENROLL_RESPONSE_BYTES, MAX_SYNC_RESPONSE_BYTES, Reason, header, path,
};
use shared::protocol::{
    DecodeError, RESUME_PROBE, RequestHead, SyncResponse, UploadHead, UploadStatus, decode_changes,
};
use shared::time::Timestamp;

use crate::storage::sync_state::key;
use crate::{LocalStore, StoreError};

/// Why a sync or enrolment failed, in words an agent can act on. No client data.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The profile is not linked to a node yet.
    #[error("this laptop is not enrolled with a node yet (use `field-app enroll`)")]
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
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The device key could not be generated (the system's random generator failed).
    #[error("the device key could not be generated: {0}")]
    Key(String),
    /// The enrolment code is not valid.
    #[error("the enrolment code is not valid: {0}")]
    BadCode(DecodeError),
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

struct Link {
    url: String,
    fingerprint: [u8; 32],
    key: DeviceKey,
    device: DeviceId,
}

impl Link {
    fn load(store: &LocalStore) -> Result<Self, SyncError> {
        let url = store
            .link_text(key::NODE_URL)?
            .ok_or(SyncError::NotEnrolled)?;
        let fingerprint = store
            .link_value(key::FINGERPRINT)?
            .and_then(|f| <[u8; 32]>::try_from(f.as_slice()).ok())
            .ok_or(SyncError::NotEnrolled)?;
        let key = store
            .link_value(key::DEVICE_KEY)?
            .map(|k| DeviceKey::from_pkcs8(&k))
            .transpose()
            .map_err(|_| SyncError::NotEnrolled)?
            .ok_or(SyncError::NotEnrolled)?;
        Ok(Self {
            url: url.trim_end_matches('/').to_owned(),
            fingerprint,
            key,
            device: store.author().device,
        })
    }
}

/// Registers this laptop with the node named in `code` (or at `url_override`): generates the
/// device key inside the encrypted store and sends its public half with the one-time secret.
pub fn enroll(
    store: &mut LocalStore,
    code: &str,
    url_override: Option<&str>,
    timeout: Duration,
) -> Result<EnrollResponse, SyncError> {
    let code = EnrollmentCode::parse(code).map_err(SyncError::BadCode)?;
    let url = url_override
        .unwrap_or(&code.url)
        .trim_end_matches('/')
        .to_owned();
    let key = DeviceKey::generate().map_err(|e| SyncError::Key(e.to_string()))?;
    let request = EnrollRequest {
        secret: code.secret,
        device: store.author().device,
        public_key: key.public_key(),
    };
    let http = pinned::client(code.fingerprint, timeout).map_err(SyncError::Transport)?;
    let response = http
        .post(format!("{url}{}", path::ENROLL))
        .header("content-type", "application/octet-stream")
        .body(request.encode())
        .send()
        .map_err(|e| SyncError::Transport(describe(&e)))?;
    let body = read_body(response, MAX_ENROLL_RESPONSE_BYTES)?;
    let answer = EnrollResponse::decode(&body)?;
    let scope = answer.scope.to_text();
    store.set_link(&[
        (key::NODE_URL, url.as_bytes()),
        (key::FINGERPRINT, &code.fingerprint),
        (key::NODE_ID, answer.node.0.as_bytes()),
        (key::ROLE, answer.role.as_str().as_bytes()),
        (key::SCOPE, scope.as_bytes()),
        (key::DEVICE_KEY, key.pkcs8()),
    ])?;
    Ok(answer)
}

/// Syncs with the enrolled node until the outbox is acknowledged and no more changes wait,
/// retrying transport failures with backoff.
pub fn sync(
    store: &mut LocalStore,
    options: &SyncOptions,
    progress: &mut dyn FnMut(&SyncProgress),
) -> Result<SyncReport, SyncError> {
    let link = Link::load(store)?;
    let http = pinned::client(link.fingerprint, options.timeout).map_err(SyncError::Transport)?;
    let mut session = Session {
        store,
        link: &link,
        http: &http,
        options,
        report: SyncReport::default(),
        progress: SyncProgress::default(),
        started: Instant::now(),
    };
    let mut wait = options.backoff;
    let mut attempt = 0;
    loop {
        match session.run(progress) {
            Ok(()) => {
                let now = Timestamp::now().0.to_string();
                session
                    .store
                    .set_link(&[(key::LAST_SYNC, now.as_bytes())])?;
                return Ok(session.report);
            }
            Err(SyncError::Transport(why)) if attempt < options.retries => {
                attempt += 1;
                // Said, so a person watching a slow link sees why it is waiting.
                session.progress.retrying = Some(why);
                progress(&session.progress);
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_secs(60));
            }
            Err(error) => return Err(error),
        }
    }
}

struct Session<'a> {
    store: &'a mut LocalStore,
    link: &'a Link,
    http: &'a reqwest::blocking::Client,
    options: &'a SyncOptions,
    report: SyncReport,
    progress: SyncProgress,
    started: Instant,
}

impl Session<'_> {
    fn run(&mut self, progress: &mut dyn FnMut(&SyncProgress)) -> Result<(), SyncError> {
        loop {
            let upload = self.store.pending_upload(self.options.max_upload_bytes)?;
            let mut offset = 0u32;
            if let Some(upload) = &upload
                && upload.attempts > 0
            {
                // An earlier attempt was cut: ask how much the node holds.
                let probe = UploadHead {
                    upload_id: upload.id,
                    total_len: len32(&upload.blob),
                    offset: RESUME_PROBE,
                };
                let answer = self.request(Some(probe), &[], progress)?;
                match self.settle(upload.id, &answer)? {
                    Settled::Done => continue,
                    Settled::Resume(received) => offset = received,
                }
                if !answer.more && offset == 0 && answer.changes.is_empty() {
                    // nothing pulled; fall through to send the upload
                }
            }
            let answer = match &upload {
                Some(upload) => {
                    self.store.upload_attempted(upload.id)?;
                    let head = UploadHead {
                        upload_id: upload.id,
                        total_len: len32(&upload.blob),
                        offset,
                    };
                    self.progress.upload_bytes_left = (upload.blob.len() - offset as usize) as u64;
                    let answer =
                        self.request(Some(head), &upload.blob[offset as usize..], progress)?;
                    if let Settled::Resume(_) = self.settle(upload.id, &answer)? {
                        continue;
                    }
                    answer
                }
                None => self.request(None, &[], progress)?,
            };
            let outbox_left = self.store.pending_changes()? > 0;
            if !answer.more && !outbox_left {
                return Ok(());
            }
        }
    }

    /// Acts on the upload status; pulled changes were applied by `request`.
    fn settle(&mut self, id: [u8; 32], answer: &SyncResponse) -> Result<Settled, SyncError> {
        match answer.upload {
            UploadStatus::Applied {
                upload_id,
                applied,
                duplicates,
                refused,
            } if upload_id == id => {
                self.store.upload_acknowledged(id)?;
                self.report.changes_sent += applied + duplicates + refused;
                self.report.changes_refused += refused;
                Ok(Settled::Done)
            }
            UploadStatus::Partial {
                upload_id,
                received,
            } if upload_id == id => Ok(Settled::Resume(received)),
            _ => Ok(Settled::Resume(0)),
        }
    }

    /// One signed request; applies the pulled changes and moves the cursor before returning.
    fn request(
        &mut self,
        upload: Option<UploadHead>,
        part: &[u8],
        progress: &mut dyn FnMut(&SyncProgress),
    ) -> Result<SyncResponse, SyncError> {
        let cursor = u64::try_from(self.store.link_number(key::CURSOR)?).unwrap_or(0);
        let head = RequestHead {
            device: self.link.device,
            cursor,
            max_response_bytes: self.options.max_response_bytes,
            upload,
        };
        let mut body = head.encode();
        body.extend_from_slice(part);
        let mut skew_retried = false;
        loop {
            let counter = self.store.next_counter()?;
            let time_ms = Timestamp::now().0 + self.store.link_number(key::CLOCK_OFFSET)?;
            let signature = self.link.key.sign(&SignedRequest {
                method: "POST",
                path: path::SYNC,
                body_sha256: body_digest(&body),
                device: self.link.device,
                counter,
                time_ms,
            });
            let sent = Arc::new(AtomicU64::new(0));
            let length = body.len() as u64;
            let reader = throttle::Throttled::new(
                body.clone(),
                self.options.max_bytes_per_sec,
                Arc::clone(&sent),
            );
            let result = self
                .http
                .post(format!("{}{}", self.link.url, path::SYNC))
                .header("content-type", "application/octet-stream")
                .header(header::DEVICE, self.link.device.to_string())
                .header(header::COUNTER, counter.to_string())
                .header(header::TIME, time_ms.to_string())
                .header(
                    header::SIGNATURE,
                    base64::engine::general_purpose::STANDARD.encode(signature),
                )
                .body(reqwest::blocking::Body::sized(reader, length))
                .send();
            self.report.requests += 1;
            self.progress.requests += 1;
            let sent_now = sent.load(Ordering::Relaxed);
            self.report.bytes_sent += sent_now;
            self.progress.bytes_sent += sent_now;
            let response = result.map_err(|e| SyncError::Transport(describe(&e)))?;
            if response.status().as_u16() == 401
                && !skew_retried
                && let Some(server_time) = response
                    .headers()
                    .get(header::SERVER_TIME)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<i64>().ok())
            {
                // The laptop's clock is off: learn the offset and sign again.
                skew_retried = true;
                self.store.set_link(&[(
                    key::CLOCK_OFFSET,
                    (server_time - Timestamp::now().0).to_string().as_bytes(),
                )])?;
                continue;
            }
            let bytes = read_body(response, MAX_SYNC_RESPONSE_BYTES)?;
            self.report.bytes_received += bytes.len() as u64;
            self.progress.bytes_received += bytes.len() as u64;
            let answer = SyncResponse::decode(&bytes)?;
            self.store.set_link(&[(
                key::CLOCK_OFFSET,
                (answer.server_time.0 - Timestamp::now().0)
                    .to_string()
                    .as_bytes(),
            )])?;
            let changes = if answer.changes.is_empty() {
                Vec::new()
            } else {
                decode_changes(&answer.changes)?
            };
            let changed = self.store.apply_pulled(changes, answer.next_cursor)?;
            self.report.changed.extend(changed);
            let elapsed = self.started.elapsed().as_secs_f64();
            self.progress.upload_bytes_left =
                self.progress.upload_bytes_left.saturating_sub(sent_now);
            self.progress.time_left = (self.progress.bytes_sent > 0 && elapsed > 0.0).then(|| {
                Duration::from_secs_f64(
                    self.progress.upload_bytes_left as f64
                        / (self.progress.bytes_sent as f64 / elapsed),
                )
            });
            self.progress.retrying = None;
            progress(&self.progress);
            return Ok(answer);
        }
    }
}

enum Settled {
    Done,
    Resume(u32),
}

fn len32(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.len()).unwrap_or(u32::MAX)
}

fn read_body(response: reqwest::blocking::Response, limit: u64) -> Result<Vec<u8>, SyncError> {
    let status = response.status();
    if !status.is_success() {
        let reason = response
            .headers()
            .get(header::ERROR)
            .and_then(|v| v.to_str().ok())
            .and_then(Reason::parse);
        return Err(SyncError::Refused {
            status: status.as_u16(),
            reason,
        });
    }
    let mut body = Vec::new();
    response
        .take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|e| SyncError::Transport(e.to_string()))?;
    if body.len() as u64 > limit {
        return Err(SyncError::Protocol(DecodeError::TooLarge));
    }
    Ok(body)
}

/// reqwest's message plus its causes (the pinned-certificate refusal is in a cause).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

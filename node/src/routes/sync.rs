//! `POST /api/v1/sync`: one round trip — take the upload (or the next part of it), answer with
//! its status and the changes after the device's cursor.
//!
//! The body is read as a stream. From protocol version 3 the signature covers the request head,
//! and it is checked as soon as the head is in, before anything beyond it is read or kept. If
//! such a request is cut before its end, the upload bytes that did arrive are kept so the device
//! can resume from there; nothing is applied until a complete, signed request brings the upload
//! to its full length and its bytes hash to the upload id (which the signed head names).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use futures_util::StreamExt as _;
use shared::protocol::dictionary;
use shared::protocol::wire::path;
use shared::protocol::{
    AUDIT_ANCHOR_TAG, DecodeError, Extensions, MAX_HEAD_WITH_EXTENSIONS_BYTES, MAX_REQUEST_BYTES,
    NODE_KEY_TAG, REFUSALS_TAG, Refusal, RequestHead, SyncResponse, UploadHead, UploadStatus,
    Versioned, encode_anchor, encode_changes, encode_refusals, is_head_signed,
};
use shared::time::Timestamp;

use super::blocking;
use crate::auth::{self, SignatureHeaders};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::state::Node;
use crate::storage::DeviceRecord;
use crate::{pull, upload};

const MIN_PAGE_BYTES: usize = 4 * 1024;
/// The longest a request body may pause between two chunks (a satellite link's drop is
/// noticed by TCP long before; a slow sender is cut and resumes later).
const BODY_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

pub(super) async fn sync(
    State(node): State<Arc<Node>>,
    headers: HeaderMap,
    body: Body,
) -> Result<axum::response::Response, ApiError> {
    let result = handle(&node, &headers, body).await;
    if let Err(error) = &result
        && error.is_auth_refusal()
    {
        Metrics::add(&node.metrics.auth_refused, 1);
        tracing::info!(reason = error.reason().as_str(), "sync refused");
    }
    // The answer goes without a content-type: a body without one is `application/octet-stream`
    // (RFC 9110 §8.3), which it is, and the 40 bytes count on every sync over a satellite link.
    result.map(|answer| axum::response::Response::new(Body::from(answer)))
}

async fn handle(node: &Arc<Node>, headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ApiError> {
    let signature = SignatureHeaders::parse(headers)?;
    let device = {
        let store = Arc::clone(&node.store);
        let signature = signature.clone();
        blocking(move || auth::known_device(store.as_ref(), &signature)).await?
    };

    // One request per device at a time: its body is buffered, and its upload applied, only in
    // its turn, so knowing a device id buys at most one body in memory and one core.
    let Some(_turn) = node.device_turns.take(device.id).await else {
        return Err(ApiError::Busy);
    };
    let mut body = BodyReader::new(body);
    body.fill_to(REQUEST_MAGIC_AND_VERSION).await?;
    let now = Timestamp::now();
    let (versioned, head_len) = if is_head_signed(&body.bytes) {
        // Version 3+: the signature covers the head, checked before anything beyond it is read,
        // buffered or kept; the upload bytes are bound by the signed upload id.
        let (versioned, head_len) = body.read_head().await?;
        verify(node, &device, &signature, &body.bytes[..head_len], now).await?;
        check_head_device(&versioned.message, &device)?;
        let announced = versioned.message.announced_upload_bytes();
        if let Err(error) = body.limit_to(head_len.saturating_add(announced)) {
            return Err(error.into());
        }
        if let Err(error) = body.read_to_end().await {
            if let (Read::Cut(why), Some(upload)) = (&error, versioned.message.upload) {
                tracing::info!(device = %device.id, received = body.bytes.len(), why, "request body was cut");
                keep_cut_upload(node, &device, upload, &body.bytes[head_len..]).await;
            }
            return Err(error.into());
        }
        (versioned, head_len)
    } else {
        // Versions 1 and 2 sign the whole body: nothing of a cut one is kept (such a device
        // sends its upload again from the start), since nothing of it could be checked, and
        // only a few such bodies are read at once in all (the others wait for a retry).
        let Ok(_reading) = node.unchecked_bodies.try_acquire() else {
            return Err(ApiError::Busy);
        };
        body.read_to_end().await?;
        verify(node, &device, &signature, &body.bytes, now).await?;
        // Answered in the version the device wrote (older builds keep syncing).
        let (versioned, head_len) = RequestHead::decode_versioned(&body.bytes)?;
        check_head_device(&versioned.message, &device)?;
        (versioned, head_len)
    };
    let mut bytes = body.bytes;
    // Parked parts and applied uploads are dated when the body has arrived.
    let now = Timestamp::now();
    Metrics::add(&node.metrics.sync_bytes_in, bytes.len() as u64);

    // Extensions this build does not know are skipped.
    let version = versioned.version;
    // A device that pins the certificate asks for the key hash (it then pins the key: ~ 300
    // bytes fewer in each later handshake); the answer travels over the certificate it pinned.
    let node_key = versioned.extensions.get(NODE_KEY_TAG).and(node.tls_key_pin);
    // The page is compressed with a dictionary the device says it reads (an unreadable list is
    // taken as none); a device that asks is told which ones this node reads.
    let page_dictionary = versioned
        .extensions
        .get(dictionary::DICTIONARIES_TAG)
        .and_then(|ids| dictionary::decode_ids(ids).ok())
        .and_then(|ids| dictionary::shared_with(&ids));
    let tells_dictionaries = versioned
        .extensions
        .get(dictionary::ASK_DICTIONARIES_TAG)
        .is_some();
    let head = versioned.message;
    bytes.drain(..head_len);
    let (upload, refusals) = match head.upload {
        None => {
            if !bytes.is_empty() {
                return Err(ApiError::BadRequest(
                    "bytes after a request head that announces no upload".into(),
                ));
            }
            (UploadStatus::None, Vec::new())
        }
        Some(upload) => take_upload(node, &device, upload, bytes, now).await?,
    };

    let store = Arc::clone(&node.store);
    let page_bytes = (head.max_response_bytes as usize).clamp(MIN_PAGE_BYTES, MAX_PAGE_BYTES);
    let cursor = head.cursor;
    let pull_device = device.clone();
    // The anchor of the device's audit trail is read in the same turn as its page: what it may
    // send next (and, to a device that has not seen this tag yet, that this node keeps trails).
    let (page, anchor) = blocking(move || {
        let page = pull::changes_after(store.as_ref(), &pull_device, cursor, page_bytes)?;
        let anchor = store.audit_anchor(pull_device.id)?;
        Ok((page, anchor))
    })
    .await?;
    let level = node.settings.response_compression_level;
    let pulled = page.changes.len();
    let changes = if page.changes.is_empty() {
        Vec::new()
    } else {
        tokio::task::spawn_blocking(move || encode_changes(&page.changes, level, page_dictionary))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .map_err(|e| ApiError::Internal(e.to_string()))?
    };
    let mut extensions = Extensions::default();
    extensions.0.push((AUDIT_ANCHOR_TAG, encode_anchor(anchor)));
    if let Some(key) = node_key {
        extensions.0.push((NODE_KEY_TAG, key.to_vec()));
    }
    if tells_dictionaries {
        extensions.0.push((
            dictionary::DICTIONARIES_TAG,
            dictionary::encode_ids(dictionary::READABLE),
        ));
    }
    let listed = encode_refusals(&refusals);
    // A list too long for the section is left out; the device then holds the whole upload.
    if !refusals.is_empty() && listed.len() + 16 <= shared::protocol::MAX_EXTENSION_BYTES {
        extensions.0.push((REFUSALS_TAG, listed));
    }
    let response = SyncResponse {
        server_time: Timestamp::now(),
        upload,
        changes,
        next_cursor: page.next_cursor,
        more: page.more,
    }
    .encode_as(version, &extensions);
    Metrics::add(&node.metrics.sync_requests, 1);
    Metrics::add(&node.metrics.sync_bytes_out, response.len() as u64);
    tracing::info!(device = %device.id, pulled, bytes_out = response.len(), "sync answered");
    Ok(response)
}

/// The magic and the version byte: enough to know what the signature covers.
const REQUEST_MAGIC_AND_VERSION: usize = 4;

/// Why a body was not read to its end.
enum Read {
    /// The link was cut or stalled: what arrived may be kept (head-signed requests only).
    Cut(&'static str),
    /// Over [`MAX_REQUEST_BYTES`].
    TooLarge,
    /// More bytes than the signed head announces.
    PastAnnounced,
}

impl From<Read> for ApiError {
    fn from(read: Read) -> Self {
        match read {
            Read::Cut(why) => ApiError::BadRequest(format!("request body {why}")),
            Read::TooLarge => ApiError::Refused(shared::protocol::wire::Reason::TooLarge),
            Read::PastAnnounced => {
                ApiError::BadRequest("more bytes than the request head announces".into())
            }
        }
    }
}

/// A request body read as it arrives, never past [`MAX_REQUEST_BYTES`], cut when it pauses
/// longer than [`BODY_IDLE_TIMEOUT`].
struct BodyReader {
    stream: axum::body::BodyDataStream,
    bytes: Vec<u8>,
    ended: bool,
    /// Once a signed head has said how long the body is, bytes beyond it are refused at once.
    limit: usize,
}

impl BodyReader {
    fn new(body: Body) -> Self {
        Self {
            stream: body.into_data_stream(),
            bytes: Vec::new(),
            ended: false,
            limit: MAX_REQUEST_BYTES,
        }
    }

    /// Reads one more chunk; `false` at the end of the body.
    async fn next_chunk(&mut self) -> Result<bool, Read> {
        if self.ended {
            return Ok(false);
        }
        // A body that stops arriving is a cut link (or a slow attack).
        match tokio::time::timeout(BODY_IDLE_TIMEOUT, self.stream.next()).await {
            Err(_) => Err(Read::Cut("stalled")),
            Ok(None) => {
                self.ended = true;
                Ok(false)
            }
            Ok(Some(Err(_))) => Err(Read::Cut("was cut")),
            Ok(Some(Ok(chunk))) => {
                let len = self.bytes.len() + chunk.len();
                if len > MAX_REQUEST_BYTES {
                    return Err(Read::TooLarge);
                }
                if len > self.limit {
                    return Err(Read::PastAnnounced);
                }
                self.bytes.extend_from_slice(&chunk);
                Ok(true)
            }
        }
    }

    /// Reads until at least `len` bytes are in (or the body ends first).
    async fn fill_to(&mut self, len: usize) -> Result<(), Read> {
        while self.bytes.len() < len && self.next_chunk().await? {}
        Ok(())
    }

    /// From now on the body may hold no more than `limit` bytes (checked at once too).
    fn limit_to(&mut self, limit: usize) -> Result<(), Read> {
        self.limit = limit;
        if self.bytes.len() > limit {
            return Err(Read::PastAnnounced);
        }
        Ok(())
    }

    async fn read_to_end(&mut self) -> Result<(), Read> {
        while self.next_chunk().await? {}
        Ok(())
    }

    /// Reads until a whole request head is in, reading no more than the longest head can take
    /// (and the chunk that completes it); returns the head and its length.
    async fn read_head(&mut self) -> Result<(Versioned<RequestHead>, usize), ApiError> {
        loop {
            match RequestHead::decode_versioned(&self.bytes) {
                Ok(decoded) => return Ok(decoded),
                Err(DecodeError::Truncated)
                    if self.bytes.len() < MAX_HEAD_WITH_EXTENSIONS_BYTES =>
                {
                    if !self.next_chunk().await? {
                        return Err(ApiError::BadRequest("request head is truncated".into()));
                    }
                }
                Err(error) => return Err(ApiError::from(error)),
            }
        }
    }
}

/// The head must name the device that signed the request.
fn check_head_device(head: &RequestHead, device: &DeviceRecord) -> Result<(), ApiError> {
    if head.device == device.id {
        Ok(())
    } else {
        Err(ApiError::BadRequest(
            "device in body differs from the signed device".into(),
        ))
    }
}

/// Checks the signature over `signed` (the head, or a whole older body), the clock and the
/// counter.
async fn verify(
    node: &Arc<Node>,
    device: &DeviceRecord,
    signature: &SignatureHeaders,
    signed: &[u8],
    now: Timestamp,
) -> Result<(), ApiError> {
    let store = Arc::clone(&node.store);
    let device = device.clone();
    let signature = signature.clone();
    let received = auth::Received {
        method: "POST",
        path: path::SYNC,
        body_sha256: shared::crypto::body_digest(signed),
        now_ms: now.0,
        max_skew_ms: node.settings.max_clock_skew_ms,
    };
    blocking(move || auth::verify(store.as_ref(), &device, &signature, received)).await
}

/// Applies, continues or reports an upload ([`crate::upload::take`]).
async fn take_upload(
    node: &Arc<Node>,
    device: &DeviceRecord,
    upload: UploadHead,
    part: Vec<u8>,
    now: Timestamp,
) -> Result<(UploadStatus, Vec<Refusal>), ApiError> {
    let _permit = node
        .upload_permits
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let store = Arc::clone(&node.store);
    let device = device.clone();
    let taken = blocking(move || {
        upload::take(store.as_ref(), &device, upload, &part, now).map_err(ApiError::from)
    })
    .await?;
    if let Some(report) = &taken.applied_now {
        Metrics::add(&node.metrics.changes_applied, u64::from(report.applied));
        Metrics::add(
            &node.metrics.changes_duplicate,
            u64::from(report.duplicates),
        );
        Metrics::add(&node.metrics.changes_refused, u64::from(report.refused));
    }
    Ok((taken.status, taken.refusals))
}

/// Keeps the upload bytes of a head-signed request that was cut after its head was checked.
async fn keep_cut_upload(node: &Arc<Node>, device: &DeviceRecord, upload: UploadHead, part: &[u8]) {
    let part = part.to_vec();
    let store = Arc::clone(&node.store);
    let device = device.clone();
    let kept = blocking(move || {
        upload::keep_cut_part(store.as_ref(), &device, upload, &part, Timestamp::now())
            .map_err(ApiError::from)
    })
    .await;
    if matches!(kept, Ok(true)) {
        Metrics::add(&node.metrics.uploads_resumable, 1);
    }
}

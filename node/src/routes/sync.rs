//! `POST /api/v1/sync`: one round trip — take the upload (or the next part of it), answer with
//! its status and the changes after the device's cursor.
//!
//! The body is read as a stream. If it is cut before its end, the upload bytes that did arrive
//! are kept (for a known, non-revoked device) so the device can resume from there; nothing is
//! applied until a complete, signed request brings the upload to its full length and its bytes
//! hash to the upload id.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use futures_util::StreamExt as _;
use shared::protocol::wire::path;
use shared::protocol::{
    Extensions, MAX_REQUEST_BYTES, REFUSALS_TAG, Refusal, RequestHead, SyncResponse, UploadHead,
    UploadStatus, encode_changes, encode_refusals,
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
) -> Result<Vec<u8>, ApiError> {
    let result = handle(&node, &headers, body).await;
    if let Err(error) = &result
        && error.is_auth_refusal()
    {
        Metrics::add(&node.metrics.auth_refused, 1);
        tracing::info!(reason = error.reason().as_str(), "sync refused");
    }
    result
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
    let mut bytes = Vec::new();
    let mut stream = body.into_data_stream();
    loop {
        // A body that stops arriving is a cut link (or a slow attack): keep what came.
        let chunk = match tokio::time::timeout(BODY_IDLE_TIMEOUT, stream.next()).await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(_) => {
                tracing::info!(device = %device.id, received = bytes.len(), "request body stalled");
                keep_cut_upload(node, &device, &bytes).await;
                return Err(ApiError::BadRequest("request body stalled".into()));
            }
        };
        match chunk {
            Ok(chunk) => {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > MAX_REQUEST_BYTES {
                    return Err(ApiError::Refused(shared::protocol::wire::Reason::TooLarge));
                }
            }
            Err(error) => {
                tracing::info!(device = %device.id, received = bytes.len(), %error, "request body was cut");
                keep_cut_upload(node, &device, &bytes).await;
                return Err(ApiError::BadRequest("request body was cut".into()));
            }
        }
    }
    Metrics::add(&node.metrics.sync_bytes_in, bytes.len() as u64);

    let digest = shared::crypto::body_digest(&bytes);
    let now = Timestamp::now();
    {
        let store = Arc::clone(&node.store);
        let device = device.clone();
        let max_skew = node.settings.max_clock_skew_ms;
        let received = auth::Received {
            method: "POST",
            path: path::SYNC,
            body_sha256: digest,
            now_ms: now.0,
            max_skew_ms: max_skew,
        };
        blocking(move || auth::verify(store.as_ref(), &device, &signature, received)).await?;
    }

    // Answered in the version the device wrote (older builds keep syncing); extensions this
    // build does not know are skipped.
    let (versioned, head_len) = RequestHead::decode_versioned(&bytes)?;
    let version = versioned.version;
    let head = versioned.message;
    if head.device != device.id {
        return Err(ApiError::BadRequest(
            "device in body differs from the signed device".into(),
        ));
    }
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
    let page = blocking(move || {
        pull::changes_after(store.as_ref(), &pull_device, cursor, page_bytes)
            .map_err(ApiError::from)
    })
    .await?;
    let level = node.settings.response_compression_level;
    let pulled = page.changes.len();
    let changes = if page.changes.is_empty() {
        Vec::new()
    } else {
        tokio::task::spawn_blocking(move || encode_changes(&page.changes, level))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .map_err(|e| ApiError::Internal(e.to_string()))?
    };
    let mut extensions = Extensions::default();
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

/// Keeps the upload bytes of a request that was cut, if its head arrived whole.
async fn keep_cut_upload(node: &Arc<Node>, device: &DeviceRecord, bytes: &[u8]) {
    let Ok((head, head_len)) = RequestHead::decode(bytes) else {
        return;
    };
    let Some(upload) = head.upload else { return };
    if head.device != device.id {
        return;
    }
    let part = bytes[head_len..].to_vec();
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

//! Signed requests: every device request carries its id, a strictly increasing counter, its
//! clock and an Ed25519 signature over method, path, body digest, counter and time
//! (`shared::crypto::SignedRequest`); a sync request of protocol version 3 or later is signed over
//! its head, so it is checked before the node reads or keeps the upload bytes. Checked in this order, cheapest first: headers present,
//! device known and not revoked, signature, clock skew, counter (replay / fork).

use axum::http::HeaderMap;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use shared::crypto::SignedRequest;
use shared::ids::DeviceId;
use shared::protocol::wire::{CompactAuth, Reason, header};

use crate::error::ApiError;
use crate::storage::{CounterVerdict, DeviceRecord, Store};

/// The signature headers of a request, parsed but not yet verified.
#[derive(Clone, Debug)]
pub struct SignatureHeaders {
    /// Claimed device.
    pub device: DeviceId,
    /// Claimed counter.
    pub counter: u64,
    /// Claimed time.
    pub time_ms: i64,
    signature: Vec<u8>,
}

impl SignatureHeaders {
    /// Parses the compact header when there is one, else the four headers; 401 if missing or
    /// malformed.
    pub fn parse(headers: &HeaderMap) -> Result<Self, ApiError> {
        if let Some(value) = headers.get(header::AUTH) {
            let auth = value
                .to_str()
                .ok()
                .and_then(|text| CompactAuth::parse(text).ok())
                .ok_or(ApiError::Refused(Reason::Unsigned))?;
            return Self::checked(
                auth.device,
                auth.counter,
                auth.time_ms,
                auth.signature.to_vec(),
            );
        }
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .ok_or(ApiError::Refused(Reason::Unsigned))
        };
        Self::checked(
            get(header::DEVICE)?
                .parse()
                .map_err(|_| ApiError::Refused(Reason::Unsigned))?,
            get(header::COUNTER)?
                .parse::<u64>()
                .map_err(|_| ApiError::Refused(Reason::Unsigned))?,
            get(header::TIME)?
                .parse()
                .map_err(|_| ApiError::Refused(Reason::Unsigned))?,
            B64.decode(get(header::SIGNATURE)?)
                .map_err(|_| ApiError::Refused(Reason::Unsigned))?,
        )
    }

    fn checked(
        device: DeviceId,
        counter: u64,
        time_ms: i64,
        signature: Vec<u8>,
    ) -> Result<Self, ApiError> {
        // Counters are stored as signed 64-bit: a larger one is a bad request, not damage.
        if i64::try_from(counter).is_err() {
            return Err(ApiError::BadRequest("counter out of range".into()));
        }
        Ok(Self {
            device,
            counter,
            time_ms,
            signature,
        })
    }
}

/// The registered, non-revoked device the headers claim; 401 unknown, 403 revoked.
pub fn known_device(
    store: &dyn Store,
    headers: &SignatureHeaders,
) -> Result<DeviceRecord, ApiError> {
    let device = store
        .device(headers.device)?
        .ok_or(ApiError::Refused(Reason::UnknownDevice))?;
    if device.revoked {
        return Err(ApiError::Refused(Reason::Revoked));
    }
    Ok(device)
}

/// What the node saw of a request, to check its signature against.
#[derive(Clone, Copy, Debug)]
pub struct Received<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path.
    pub path: &'a str,
    /// SHA-256 of what the signature covers (the head of a version 3+ sync request, else the
    /// whole body).
    pub body_sha256: [u8; 32],
    /// The node's clock.
    pub now_ms: i64,
    /// The largest clock difference accepted.
    pub max_skew_ms: i64,
}

/// Verifies the signature over what it covers, the clock and the counter.
pub fn verify(
    store: &dyn Store,
    device: &DeviceRecord,
    headers: &SignatureHeaders,
    received: Received<'_>,
) -> Result<(), ApiError> {
    let body_sha256 = received.body_sha256;
    let signed = SignedRequest {
        method: received.method,
        path: received.path,
        body_sha256,
        device: headers.device,
        counter: headers.counter,
        time_ms: headers.time_ms,
    };
    if !signed.verify(&device.public_key, &headers.signature) {
        return Err(ApiError::Refused(Reason::BadSignature));
    }
    if (received.now_ms - headers.time_ms).abs() > received.max_skew_ms {
        return Err(ApiError::ClockSkew {
            server_time_ms: received.now_ms,
        });
    }
    let mut digest_input = body_sha256.to_vec();
    digest_input.extend_from_slice(&headers.signature);
    match store.accept_counter(
        device.id,
        headers.counter,
        shared::protocol::upload_id(&digest_input),
    )? {
        CounterVerdict::Fresh => Ok(()),
        CounterVerdict::Replay => Err(ApiError::Refused(Reason::Replay)),
        CounterVerdict::Fork => {
            tracing::warn!(device = %device.id, "counter fork: the profile may have been copied; device flagged");
            Err(ApiError::Refused(Reason::CounterFork))
        }
    }
}

//! Enrolment: a device generates its key and registers the public half with the node named in a
//! one-time code. The caller stores what comes back (in its encrypted store) as its `Link`.

use std::time::Duration;

use shared::crypto::DeviceKey;
use shared::ids::DeviceId;
use shared::protocol::enroll::{EnrollRequest, EnrollResponse, EnrollmentCode};
use shared::protocol::wire::{MAX_ENROLL_RESPONSE_BYTES, path};

use crate::SyncError;
use crate::transport::{Request, Transport};

/// What an enrolment gave the device.
pub struct Enrolled {
    /// The node's URL (no trailing slash).
    pub url: String,
    /// SHA-256 of the node's certificate, from the code.
    pub fingerprint: [u8; 32],
    /// The new device key (its public half is now known to the node).
    pub key: DeviceKey,
    /// The node's answer: its id, the device's role and scope, and the node's public-key hash
    /// to pin from now on (`node_key`; it came over the connection pinned to `fingerprint`).
    pub answer: EnrollResponse,
}

impl std::fmt::Debug for Enrolled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Enrolled({}, {:?})", self.url, self.answer.role)
    }
}

/// Registers `device` with the node named in `code` (or at `url_override`) over HTTPS to the
/// certificate the code pins.
///
/// # Errors
/// The code is not valid, the key could not be generated, the link failed, or the node refused.
pub fn enroll(
    code: &str,
    url_override: Option<&str>,
    device: DeviceId,
    timeout: Duration,
) -> Result<Enrolled, SyncError> {
    let code = EnrollmentCode::parse(code).map_err(SyncError::BadCode)?;
    let url = url_override
        .unwrap_or(&code.url)
        .trim_end_matches('/')
        .to_owned();
    let pin = crate::Pin::Certificate(code.fingerprint);
    let mut transport = crate::HttpsTransport::new(&url, pin, timeout, None)
        .map_err(|e| SyncError::Transport(e.to_string()))?;
    enroll_over(&mut transport, &code, url, device)
}

/// Enrols over any transport (a test's in-process router, a hub's link).
///
/// # Errors
/// As [`enroll`].
pub fn enroll_over(
    transport: &mut dyn Transport,
    code: &EnrollmentCode,
    url: String,
    device: DeviceId,
) -> Result<Enrolled, SyncError> {
    let key = DeviceKey::generate().map_err(|e| SyncError::Key(e.to_string()))?;
    let request = EnrollRequest {
        secret: code.secret,
        device,
        public_key: key.public_key(),
    };
    let delivery = transport.send(&Request {
        path: path::ENROLL,
        headers: &[],
        body: &request.encode(),
        response_limit: MAX_ENROLL_RESPONSE_BYTES,
    });
    let answer = delivery.outcome?;
    if !(200..300).contains(&answer.status) {
        return Err(SyncError::Refused {
            status: answer.status,
            reason: answer.reason,
        });
    }
    Ok(Enrolled {
        url,
        fingerprint: code.fingerprint,
        key,
        answer: EnrollResponse::decode(&answer.body)?,
    })
}

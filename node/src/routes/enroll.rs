//! `POST /api/v1/enroll`: a device spends a one-time secret to register its public key.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use shared::protocol::enroll::{EnrollRequest, EnrollResponse};
use shared::protocol::wire::{MAX_ENROLL_REQUEST_BYTES, Reason};
use shared::time::Timestamp;

use super::blocking;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::state::{Node, RECOVERY_RECIPIENT};

pub(super) async fn enroll(
    State(node): State<Arc<Node>>,
    body: Bytes,
) -> Result<Vec<u8>, ApiError> {
    if body.len() > MAX_ENROLL_REQUEST_BYTES {
        return Err(ApiError::Refused(Reason::TooLarge));
    }
    let versioned = EnrollRequest::decode_versioned(&body)?;
    let (request, version) = (versioned.message, versioned.version);
    let store = Arc::clone(&node.store);
    let node_id = node.id;
    let node_key = node.tls_key_pin;
    let response = blocking(move || {
        let secret_hash = shared::protocol::upload_id(&request.secret);
        let device = store
            .redeem_enrollment(
                secret_hash,
                request.device,
                request.public_key,
                Timestamp::now(),
            )?
            .ok_or(ApiError::Refused(Reason::EnrollmentRefused))?;
        let recovery = store
            .setting(RECOVERY_RECIPIENT)?
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        Ok(EnrollResponse {
            node: node_id,
            role: device.role,
            scope: device.scope,
            recovery_recipient: recovery,
            keeps_audit_trails: true,
            node_key,
            dictionaries: shared::protocol::dictionary::READABLE.to_vec(),
        })
    })
    .await?;
    Metrics::add(&node.metrics.enrollments, 1);
    tracing::info!(device = %request.device, role = response.role.as_str(), "device enrolled");
    Ok(response.encode_as(version))
}

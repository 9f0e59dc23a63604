//! `POST /api/v1/office/export`: an office device asks its node for a consent-filtered export to
//! a partner — a dry run that counts, or the file sealed to the partner, recorded with one
//! disclosure per client released before it is sent (`crate::export`). Signed like a sync
//! request (over the whole body, at most 4 KiB); refused to any device that is not an office's.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine as _;
use shared::disclosure::ExportProfile;
use shared::ids::{PartnerCode, PurposeCode};
use shared::protocol::enroll::Role;
use shared::protocol::office::{ExportAnswer, ExportOrder, MAX_EXPORT_ORDER_BYTES};
use shared::protocol::wire::{Reason, path};
use shared::time::Timestamp;

use super::blocking;
use crate::auth::{self, SignatureHeaders};
use crate::error::ApiError;
use crate::export::{Destination, ExportError, ExportOptions, export};
use crate::state::Node;

pub(super) async fn export_for_office(
    State(node): State<Arc<Node>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Vec<u8>, ApiError> {
    let signature = SignatureHeaders::parse(&headers)?;
    if body.len() > MAX_EXPORT_ORDER_BYTES {
        return Err(ApiError::Refused(Reason::TooLarge));
    }
    let now = Timestamp::now();
    let store = Arc::clone(&node.store);
    let max_skew_ms = node.settings.max_clock_skew_ms;
    let signed = body.clone();
    let device = blocking(move || {
        let device = auth::known_device(store.as_ref(), &signature)?;
        auth::verify(
            store.as_ref(),
            &device,
            &signature,
            auth::Received {
                method: "POST",
                path: path::OFFICE_EXPORT,
                body_sha256: shared::crypto::body_digest(&signed),
                now_ms: now.0,
                max_skew_ms,
            },
        )?;
        Ok(device)
    })
    .await?;
    if device.role != Role::Office {
        return Err(ApiError::Refused(Reason::OfficeOnly));
    }
    let order = ExportOrder::decode(&body)?;
    // An export reads every record: it takes a turn among the heavy jobs, like an upload.
    let _permit = node
        .upload_permits
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let store = Arc::clone(&node.store);
    let answer = blocking(move || run(store.as_ref(), &order, now)).await?;
    tracing::info!(device = %device.id, released = answer.released, "office export answered");
    serde_json::to_vec(&answer).map_err(|e| ApiError::Internal(e.to_string()))
}

fn run(
    store: &dyn crate::storage::Store,
    order: &ExportOrder,
    now: Timestamp,
) -> Result<ExportAnswer, ApiError> {
    let catalogue = shared::Catalogue::current().map_err(|e| ApiError::Internal(e.to_string()))?;
    let partner = PartnerCode::new(&order.partner);
    let purpose = PurposeCode::new(&order.purpose);
    if catalogue.partner(&partner).is_none()
        || !catalogue.purposes.iter().any(|p| p.code == purpose)
    {
        return Err(ApiError::BadRequest(
            "the partner or the purpose is not in the catalogue".into(),
        ));
    }
    let profile = ExportProfile::minimal(partner, vec![purpose.clone()]);
    let mut sealed = Vec::new();
    let outcome = export(
        store,
        catalogue,
        ExportOptions {
            profile: &profile,
            purpose: &purpose,
            by: &order.by,
            now,
            seal_to: order.recipient.as_deref(),
            out: (!order.dry_run).then_some(Destination::Answer(&mut sealed)),
        },
    )
    .map_err(|error| match error {
        ExportError::Store(store) => ApiError::from(store),
        other => ApiError::BadRequest(other.to_string()),
    })?;
    Ok(ExportAnswer {
        released: outcome.record.released,
        left_out: outcome.record.left_out,
        columns: outcome.record.columns,
        sealed_file: (!order.dry_run)
            .then(|| base64::engine::general_purpose::STANDARD.encode(&sealed)),
    })
}

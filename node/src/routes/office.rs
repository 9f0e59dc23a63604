//! The office's routes, signed like a sync request (over the whole body, small and bounded) and
//! refused (`office-only`) to any device that is not an office's:
//! - `POST /api/v1/office/export`: a consent-filtered export to a partner — a dry run that
//!   counts, or the file sealed to the partner, recorded with one disclosure per client released
//!   before it is sent (`crate::export`);
//! - `POST /api/v1/office/register`: the disclosure register (by client, partner, period) and,
//!   for one client, every device's audit entries about it ("who looked at my file").

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine as _;
use shared::disclosure::ExportProfile;
use shared::ids::{PartnerCode, PurposeCode};
use shared::protocol::enroll::Role;
use shared::protocol::office::{
    AccessLine, ExportAnswer, ExportOrder, MAX_EXPORT_ORDER_BYTES, MAX_REGISTER_QUERY_BYTES,
    MAX_REGISTER_ROWS, RegisterAnswer, RegisterQuery,
};
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
    let (device, now) = office_device(
        &node,
        &headers,
        &body,
        path::OFFICE_EXPORT,
        MAX_EXPORT_ORDER_BYTES,
    )
    .await?;
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

pub(super) async fn register_for_office(
    State(node): State<Arc<Node>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Vec<u8>, ApiError> {
    let (device, _) = office_device(
        &node,
        &headers,
        &body,
        path::OFFICE_REGISTER,
        MAX_REGISTER_QUERY_BYTES,
    )
    .await?;
    let query = RegisterQuery::decode(&body)?;
    let store = Arc::clone(&node.store);
    let answer = blocking(move || register(store.as_ref(), &query).map_err(ApiError::from)).await?;
    tracing::info!(device = %device.id, disclosures = answer.disclosures.len(), accesses = answer.accesses.len(), "office register answered");
    serde_json::to_vec(&answer).map_err(|e| ApiError::Internal(e.to_string()))
}

/// The office device that signed this request (signature, clock and counter checked; any other
/// role is refused with `office-only`), and the time it was checked at.
async fn office_device(
    node: &Arc<Node>,
    headers: &HeaderMap,
    body: &Bytes,
    route: &'static str,
    max_bytes: usize,
) -> Result<(crate::storage::DeviceRecord, Timestamp), ApiError> {
    let signature = SignatureHeaders::parse(headers)?;
    if body.len() > max_bytes {
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
                path: route,
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
    Ok((device, now))
}

/// The disclosures asked for and, for one client, every device's entries about it.
fn register(
    store: &dyn crate::storage::Store,
    query: &RegisterQuery,
) -> Result<RegisterAnswer, crate::storage::StoreError> {
    let mut disclosures = store.disclosures(
        &crate::storage::DisclosureQuery {
            partner: query.partner.as_deref().map(PartnerCode::new),
            client: query.client,
            from: query.from_ms.map(Timestamp),
            until: query.until_ms.map(Timestamp),
        },
        MAX_REGISTER_ROWS + 1,
    )?;
    let mut cut = disclosures.len() > MAX_REGISTER_ROWS as usize;
    disclosures.truncate(MAX_REGISTER_ROWS as usize);
    let mut accesses = Vec::new();
    if let Some(client) = query.client {
        let entries = store.audit_trail(
            &crate::storage::AuditQuery {
                record: Some(client),
                ..Default::default()
            },
            MAX_REGISTER_ROWS + 1,
        )?;
        cut |= entries.len() > MAX_REGISTER_ROWS as usize;
        accesses = entries
            .into_iter()
            .take(MAX_REGISTER_ROWS as usize)
            .map(|stored| AccessLine {
                at_ms: stored.entry.at.0,
                action: stored.entry.action.name().to_owned(),
                agent: stored.entry.agent,
                device: stored.entry.device,
            })
            .collect();
        accesses.sort_by_key(|a| a.at_ms);
    }
    Ok(RegisterAnswer {
        disclosures,
        accesses,
        cut,
    })
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

//! An office device's requests to its node beyond sync (`shared::protocol::office`): a
//! consent-filtered export to a partner, and the node's registers (disclosures; one client's
//! accesses across devices). Signed like a sync request, with the same persisted counter.

use shared::protocol::DecodeError;
use shared::protocol::office::{
    ExportAnswer, ExportOrder, MAX_EXPORT_ANSWER_BYTES, MAX_REGISTER_ANSWER_BYTES, RegisterAnswer,
    RegisterQuery,
};
use shared::protocol::wire::path;
use shared::time::Timestamp;

use crate::SyncError;
use crate::engine::signed_headers;
use crate::state::SyncState;
use crate::transport::{Request, Transport};

/// Asks the node for an export (a dry run counts; otherwise the answer holds the sealed file,
/// already recorded with its disclosures at the node).
///
/// # Errors
/// Not enrolled, the link failed, the node refused (not an office device: 403 `office-only`),
/// or the answer was not understood.
pub fn export<S: SyncState>(
    state: &mut S,
    transport: &mut dyn Transport,
    order: &ExportOrder,
) -> Result<ExportAnswer, SyncError> {
    ask(
        state,
        transport,
        path::OFFICE_EXPORT,
        order,
        MAX_EXPORT_ANSWER_BYTES,
    )
}

/// Asks the node's registers: disclosures (by client, partner, period) and, for one client,
/// every device's audit entries about it.
///
/// # Errors
/// As [`export`].
pub fn register<S: SyncState>(
    state: &mut S,
    transport: &mut dyn Transport,
    query: &RegisterQuery,
) -> Result<RegisterAnswer, SyncError> {
    ask(
        state,
        transport,
        path::OFFICE_REGISTER,
        query,
        MAX_REGISTER_ANSWER_BYTES,
    )
}

/// One signed office request with a JSON body and a JSON answer.
fn ask<S: SyncState, Q: serde::Serialize, A: serde::de::DeserializeOwned>(
    state: &mut S,
    transport: &mut dyn Transport,
    route: &'static str,
    question: &Q,
    response_limit: u64,
) -> Result<A, SyncError> {
    let link = state
        .link()
        .map_err(SyncError::state)?
        .ok_or(SyncError::NotEnrolled)?;
    let body = serde_json::to_vec(question)
        .map_err(|_| SyncError::Protocol(DecodeError::Malformed("office request")))?;
    let counter = state.next_counter().map_err(SyncError::state)?;
    let offset = state.clock_offset().map_err(SyncError::state)?;
    let time_ms = Timestamp::now().0.saturating_add(offset);
    let headers = signed_headers(
        &link,
        route,
        shared::crypto::body_digest(&body),
        counter,
        time_ms,
    );
    let delivery = transport.send(&Request {
        path: route,
        headers: &headers,
        body: &body,
        response_limit,
    });
    let answer = delivery.outcome?;
    if !(200..300).contains(&answer.status) {
        return Err(SyncError::Refused {
            status: answer.status,
            reason: answer.reason,
        });
    }
    serde_json::from_slice(&answer.body)
        .map_err(|_| SyncError::Protocol(DecodeError::Malformed("office answer")))
}

//! The routes: `/healthz`, `/metrics`, `POST /api/v1/enroll`, `POST /api/v1/sync`,
//! `POST /api/v1/office/export`, `POST /api/v1/office/register` (paths from
//! `shared::protocol::wire`).

mod enroll;
mod office;
mod sync;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use shared::protocol::wire::path;

use crate::error::ApiError;
use crate::state::Node;

/// The whole HTTP API.
pub fn router(node: Arc<Node>) -> Router {
    Router::new()
        .route(path::HEALTHZ, get(healthz))
        .route(path::METRICS, get(metrics))
        .route(path::ENROLL, post(enroll::enroll))
        .route(path::SYNC, post(sync::sync))
        .route(path::OFFICE_EXPORT, post(office::export_for_office))
        .route(path::OFFICE_REGISTER, post(office::register_for_office))
        .with_state(node)
}

/// 200 only when the store answers: a node that cannot serve says so (503).
async fn healthz(State(node): State<Arc<Node>>) -> Result<&'static str, ApiError> {
    let store = Arc::clone(&node.store);
    blocking(move || store.stats().map_err(ApiError::from)).await?;
    Ok("ok\n")
}

async fn metrics(State(node): State<Arc<Node>>) -> Result<String, ApiError> {
    let store = Arc::clone(&node.store);
    let stats = blocking(move || store.stats().map_err(ApiError::from)).await?;
    Ok(node.metrics.render(stats))
}

/// Runs storage work off the async executor.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

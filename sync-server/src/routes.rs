//! The routes: `/healthz`, `/metrics`, `POST /api/v1/enroll`, `POST /api/v1/sync`.

mod enroll;
mod sync;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};

use crate::error::ApiError;
use crate::node::Node;

/// Paths, shared with clients through `shared::protocol` conventions.
pub mod path {
    /// Enrolment.
    pub const ENROLL: &str = "/api/v1/enroll";
    /// Sync.
    pub const SYNC: &str = "/api/v1/sync";
}

/// The whole HTTP API.
pub fn router(node: Arc<Node>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route(path::ENROLL, post(enroll::enroll))
        .route(path::SYNC, post(sync::sync))
        .with_state(node)
}

async fn healthz() -> &'static str {
    "ok\n"
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

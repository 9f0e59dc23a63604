//! One error type for every route. Each variant carries a [`Reason`] from the wire contract
//! (`shared::protocol::wire`), which fixes its status; bodies are short, fixed phrases — never
//! client data, never internal details.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::protocol::wire::{Reason, header};

use crate::storage::StoreError;

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not a valid message.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A refusal with a fixed reason (401, 403, 409, 413).
    #[error("refused: {0}")]
    Refused(Reason),
    /// 401 with the node's time: the request's clock is too far from the node's.
    #[error("clock skew beyond the limit")]
    ClockSkew {
        /// The node's time, so the device can correct.
        server_time_ms: i64,
    },
    /// 503: the device's previous request is still running (one at a time per device); it
    /// tries again later. Expected under a flood, so logged quietly.
    #[error("busy with the device's previous request")]
    Busy,
    /// 503: the node's store cannot serve; details are logged, not sent.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// 500: something failed on the node; details are logged, not sent.
    #[error("internal error")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable => Self::Unavailable(error.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<shared::protocol::DecodeError> for ApiError {
    fn from(error: shared::protocol::DecodeError) -> Self {
        match error {
            shared::protocol::DecodeError::TooLarge => Self::Refused(Reason::TooLarge),
            other => Self::BadRequest(other.to_string()),
        }
    }
}

impl From<crate::upload::UploadError> for ApiError {
    fn from(error: crate::upload::UploadError) -> Self {
        match error {
            crate::upload::UploadError::Store(store) => store.into(),
            crate::upload::UploadError::Decode(decode) => decode.into(),
        }
    }
}

impl ApiError {
    /// The machine-readable reason, also sent in `x-outreach-error`.
    #[must_use]
    pub fn reason(&self) -> Reason {
        match self {
            Self::BadRequest(_) => Reason::BadRequest,
            Self::Refused(reason) => *reason,
            Self::ClockSkew { .. } => Reason::ClockSkew,
            Self::Unavailable(_) | Self::Busy => Reason::Unavailable,
            Self::Internal(_) => Reason::Internal,
        }
    }

    /// Whether authentication refused it (counted in `/metrics`).
    #[must_use]
    pub fn is_auth_refusal(&self) -> bool {
        matches!(self.reason().status(), 401 | 403 | 409)
    }

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.reason().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(detail) | Self::Unavailable(detail) = &self {
            tracing::error!(detail = %detail, "request failed");
        }
        if let Self::Busy = &self {
            tracing::debug!("request refused: the device's previous request is still running");
        }
        let status = self.status();
        let body = match &self {
            Self::BadRequest(why) => format!("bad request: {why}\n"),
            Self::Internal(_) => "internal error\n".to_owned(),
            other => format!("{}\n", other.reason()),
        };
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::ERROR,
            HeaderValue::from_static(self.reason().as_str()),
        );
        if let Self::ClockSkew { server_time_ms } = self
            && let Ok(value) = HeaderValue::from_str(&server_time_ms.to_string())
        {
            response.headers_mut().insert(header::SERVER_TIME, value);
        }
        response
    }
}

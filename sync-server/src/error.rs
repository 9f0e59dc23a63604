//! One error type for every route. Each variant names its status; bodies are short, fixed
//! phrases — never client data, never internal details.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::storage::StoreError;

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not a valid message.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401: missing, malformed or wrong signature, or an unknown device.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// 401 with the node's time: the request's clock is too far from the node's.
    #[error("clock skew beyond the limit")]
    ClockSkew {
        /// The node's time, so the device can correct.
        server_time_ms: i64,
    },
    /// 403: the device is revoked (or the enrolment secret is spent/expired).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// 409: a replayed request, or a counter fork (copied profile).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// 413: over a size limit.
    #[error("request too large")]
    TooLarge,
    /// 500: something failed on the node; details are logged, not sent.
    #[error("internal error")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Self::Internal(error.to_string())
    }
}

impl From<shared::protocol::DecodeError> for ApiError {
    fn from(error: shared::protocol::DecodeError) -> Self {
        match error {
            shared::protocol::DecodeError::TooLarge => Self::TooLarge,
            other => Self::BadRequest(other.to_string()),
        }
    }
}

impl ApiError {
    /// A short machine-readable reason, also sent in `x-outreach-error`.
    #[must_use]
    pub fn reason(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad-request",
            Self::Unauthorized(why) | Self::Forbidden(why) | Self::Conflict(why) => why,
            Self::ClockSkew { .. } => "clock-skew",
            Self::TooLarge => "too-large",
            Self::Internal(_) => "internal",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) | Self::ClockSkew { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(detail) = &self {
            tracing::error!(detail = %detail, "request failed");
        }
        let status = self.status();
        let body = match &self {
            Self::BadRequest(why) => format!("bad request: {why}\n"),
            Self::Internal(_) => "internal error\n".to_owned(),
            other => format!("{}\n", other.reason()),
        };
        let mut response = (status, body).into_response();
        response
            .headers_mut()
            .insert("x-outreach-error", HeaderValue::from_static(self.reason()));
        if let Self::ClockSkew { server_time_ms } = self
            && let Ok(value) = HeaderValue::from_str(&server_time_ms.to_string())
        {
            response
                .headers_mut()
                .insert("x-outreach-server-time", value);
        }
        response
    }
}

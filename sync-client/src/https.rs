//! The transport over HTTPS to the node's pinned certificate, with an upload bandwidth budget.

use std::io::Read as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use shared::protocol::wire::{Reason, header};

use crate::throttle::Throttled;
use crate::transport::{Answer, Delivery, Request, Transport, TransportError};

/// HTTPS to one node, trusting only its pinned certificate or key.
#[derive(Debug)]
pub struct HttpsTransport {
    http: reqwest::blocking::Client,
    url: String,
    max_bytes_per_sec: Option<u64>,
}

impl HttpsTransport {
    /// A transport to `url` whose certificate or key must match `pin`.
    ///
    /// # Errors
    /// The TLS configuration could not be built.
    pub fn new(
        url: &str,
        pin: crate::Pin,
        timeout: Duration,
        max_bytes_per_sec: Option<u64>,
    ) -> Result<Self, TransportError> {
        Ok(Self {
            http: crate::pinned::client(pin, timeout).map_err(TransportError::Link)?,
            url: url.trim_end_matches('/').to_owned(),
            max_bytes_per_sec,
        })
    }
}

impl Transport for HttpsTransport {
    fn send(&mut self, request: &Request<'_>) -> Delivery {
        let sent = Arc::new(AtomicU64::new(0));
        // No content-type: a body without one is `application/octet-stream` (RFC 9110 §8.3),
        // which every body here is, and the 40 bytes count on a satellite link.
        let mut builder = self.http.post(format!("{}{}", self.url, request.path));
        for (name, value) in request.headers {
            builder = builder.header(*name, value);
        }
        // A budget needs a body that paces itself; without one the body goes whole, so a
        // refused handshake reports its own cause (a streamed body would report only that its
        // pipe closed).
        let body = match self.max_bytes_per_sec {
            Some(rate) => reqwest::blocking::Body::sized(
                Throttled::new(request.body.to_vec(), Some(rate), Arc::clone(&sent)),
                request.body.len() as u64,
            ),
            None => reqwest::blocking::Body::from(request.body.to_vec()),
        };
        let result = builder.body(body).send();
        if self.max_bytes_per_sec.is_none() && result.is_ok() {
            sent.store(request.body.len() as u64, Ordering::Relaxed);
        }
        let outcome = result
            .map_err(|e| TransportError::Link(describe(&e)))
            .and_then(|response| read_answer(response, request.response_limit));
        Delivery {
            bytes_sent: sent.load(Ordering::Relaxed),
            outcome,
        }
    }
}

fn read_answer(
    response: reqwest::blocking::Response,
    limit: u64,
) -> Result<Answer, TransportError> {
    let status = response.status().as_u16();
    let text = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let reason = text(header::ERROR).as_deref().and_then(Reason::parse);
    let server_time = text(header::SERVER_TIME).and_then(|v| v.parse().ok());
    let mut body = Vec::new();
    if (200..300).contains(&status) {
        response
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| TransportError::Link(e.to_string()))?;
        if body.len() as u64 > limit {
            return Err(TransportError::TooLarge);
        }
    }
    Ok(Answer {
        status,
        reason,
        server_time,
        body,
    })
}

/// reqwest's message plus its causes (the pinned-certificate refusal is in a cause).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

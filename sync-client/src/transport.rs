//! How a signed request reaches a node: HTTPS to a pinned certificate for a laptop or a hub's
//! upstream link; an in-process router in tests; a file for a bundle.

use shared::protocol::wire::Reason;

/// One signed request: the path, the signing headers and the body.
#[derive(Debug)]
pub struct Request<'a> {
    /// The node path (`shared::protocol::wire::path`).
    pub path: &'static str,
    /// Header name and value pairs (`shared::protocol::wire::header`).
    pub headers: &'a [(&'static str, String)],
    /// The body.
    pub body: &'a [u8],
    /// The most response body bytes to accept.
    pub response_limit: u64,
}

/// The node's answer.
#[derive(Debug, Default)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The reason header of a refusal (`None`: none, or a code this build does not know).
    pub reason: Option<Reason>,
    /// The node's clock, when it sent it (ms since the epoch).
    pub server_time: Option<i64>,
    /// The body (at most the request's `response_limit` bytes).
    pub body: Vec<u8>,
}

/// What one attempt did on the link.
#[derive(Debug)]
pub struct Delivery {
    /// Request bytes that left, whether or not an answer came back.
    pub bytes_sent: u64,
    /// The answer, or why the link failed (no client data in it).
    pub outcome: Result<Answer, TransportError>,
}

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The link failed (no route, cut, timeout, certificate not the pinned one).
    #[error("{0}")]
    Link(String),
    /// The answer was larger than the request allowed.
    #[error("the answer was larger than allowed")]
    TooLarge,
}

/// Carries requests to one node.
pub trait Transport {
    /// Sends `request` and reads the answer.
    fn send(&mut self, request: &Request<'_>) -> Delivery;
}

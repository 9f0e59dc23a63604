//! A node of the Outreach Kit network as a library (decisions D1–D5): it merges client documents
//! arriving from devices (and, later, from other nodes), keeps an append-only change log, and
//! serves each device the changes in its scope — over HTTPS with a pinned, self-signed
//! certificate, every request signed by an enrolled device. The `sync-server` binary is its
//! command line; the field app's demo embeds it.
//!
//! - [`storage`]: the `Store` trait (transactional primitives) and its SQLite backend;
//! - [`policy`]: role and scope rules; [`ingest`]: merge planning for an upload;
//!   [`upload`]: the upload state machine (parts, resume, apply); [`pull`]: pages of the log;
//! - [`routes`]: `/healthz`, `/metrics`, `/api/v1/enroll`, `/api/v1/sync`;
//! - [`audit`]: devices' audit trails (checked on arrival, verified on demand);
//! - [`auth`]: signed-request checks; [`tls`]: the node's certificate;
//! - [`serve`]: run the router on a listener until told to stop;
//! - [`embedded`]: a node on a thread of its own (`sync-server serve`, the demo, tests).

pub mod audit;
pub mod auth;
pub mod connections;
pub mod embedded;
pub mod error;
pub mod export;
pub mod handshake;
pub mod import;
pub mod ingest;
pub mod metrics;
pub mod office;
pub mod policy;
pub mod pull;
pub mod recovery;
pub mod routes;
pub mod state;
pub mod storage;
pub mod tls;
pub mod upload;

use std::future::Future;
use std::sync::Arc;

pub use routes::router;
pub use state::{Node, NodeSettings};

/// hyper's HTTP/1 read buffer cap (its minimum).
const READ_BUFFER_BYTES: usize = 8 * 1024;
/// A TLS handshake must finish within this.
const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// A request's headers must arrive within this (slowloris), and a new connection's first
/// request within [`FIRST_REQUEST_TIMEOUT`].
const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
const FIRST_REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Serves the API over TLS on an already-bound listener until `shutdown` completes.
pub async fn serve(
    node: Arc<Node>,
    listener: std::net::TcpListener,
    tls: tls::ServerTls,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
    let slots = node.connections.clone();
    let mut server = axum_server::from_tcp(listener)?
        .acceptor(connections::Capped::new(
            handshake::ChoosingTls::new(tls, HANDSHAKE_TIMEOUT),
            slots,
        ))
        .first_request_timeout(FIRST_REQUEST_TIMEOUT)
        .handle(handle);
    // hyper discards what it has buffered when a connection breaks; a small read buffer keeps
    // that loss small, so a cut upload resumes close to where the link dropped. No `date`
    // header: 37 B on every answer over a satellite link, read by no device (a sync answer is
    // never cached, and it carries the node's time in its own `server_time`).
    server
        .http_builder()
        .http1()
        .max_buf_size(READ_BUFFER_BYTES)
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .auto_date_header(false);
    server.serve(router(node).into_make_service()).await
}

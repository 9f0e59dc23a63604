//! The TLS handshake of each connection, in the form its device asks for: the node reads the
//! ClientHello first, then answers with its raw public key or its certificate
//! ([`ServerTls::for_hello`]). Bounded by a timeout, so a peer that stops mid-handshake frees
//! its connection slot.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::time::Duration;

use axum_server::accept::Accept;
use tokio::net::TcpStream;
use tokio_rustls::LazyConfigAcceptor;
use tokio_rustls::server::TlsStream;

use crate::tls::ServerTls;

/// Accepts TLS on a TCP connection with the configuration its ClientHello asks for.
#[derive(Clone, Debug)]
pub struct ChoosingTls {
    configs: ServerTls,
    timeout: Duration,
}

impl ChoosingTls {
    /// A handshake with `configs` that must finish within `timeout`.
    #[must_use]
    pub fn new(configs: ServerTls, timeout: Duration) -> Self {
        Self { configs, timeout }
    }
}

type Handshake<S> = Pin<Box<dyn Future<Output = io::Result<(TlsStream<TcpStream>, S)>> + Send>>;

impl<S: Send + 'static> Accept<TcpStream, S> for ChoosingTls {
    type Stream = TlsStream<TcpStream>;
    type Service = S;
    type Future = Handshake<S>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let configs = self.configs.clone();
        let timeout = self.timeout;
        Box::pin(async move {
            let handshake = async {
                let start =
                    LazyConfigAcceptor::new(rustls::server::Acceptor::default(), stream).await?;
                let config = configs.for_hello(&start.client_hello());
                start.into_stream(config).await
            };
            match tokio::time::timeout(timeout, handshake).await {
                Ok(stream) => Ok((stream?, service)),
                Err(_) => Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the TLS handshake did not finish in time",
                )),
            }
        })
    }
}

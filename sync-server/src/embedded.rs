//! A node inside another process: the field app's `--demo` and in-process tests run the same
//! router, store and TLS as `sync-server serve`, on a loopback port of their own, on a thread
//! with its own runtime.

use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;

use shared::crypto::{KdfParams, Passphrase};
use shared::protocol::enroll::{EnrollmentCode, Role};

use crate::node::{PUBLIC_URL, issue_enrollment, runtime};
use crate::storage::sqlite::SqliteStore;
use crate::storage::{Store, StoreError};
use crate::tls::TlsIdentity;
use crate::{Node, NodeSettings};

/// Why an embedded node did not start.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    /// The store did not open or a setting could not be written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The certificate could not be made or loaded.
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    /// Binding, the runtime or the thread failed.
    #[error("starting the node: {0}")]
    Io(#[from] std::io::Error),
}

/// A node serving on `127.0.0.1`, stopped when dropped.
pub struct EmbeddedNode {
    /// `https://127.0.0.1:<port>`.
    pub url: String,
    /// SHA-256 of the node's certificate (what devices pin).
    pub fingerprint: [u8; 32],
    store: Arc<SqliteStore>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for EmbeddedNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedNode")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl EmbeddedNode {
    /// Opens (or creates) the node's store in `dir` and serves it on a free loopback port.
    pub fn start(
        dir: &Path,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<Self, EmbeddedError> {
        let store = Arc::new(SqliteStore::open_or_create(dir, passphrase, params)?);
        let identity = TlsIdentity::load_or_generate(store.as_ref())?;
        let tls = identity.server_config()?;
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let url = format!("https://{}", listener.local_addr()?);
        store.put_setting(PUBLIC_URL, url.as_bytes())?;
        let node = Arc::new(Node::new(store.clone(), NodeSettings::default())?);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let runtime = runtime()?;
        let thread = std::thread::Builder::new()
            .name("embedded-node".into())
            .spawn(move || {
                let served = runtime.block_on(crate::serve(node, listener, tls, async {
                    let _ = stopped.await;
                }));
                if let Err(error) = served {
                    tracing::error!(%error, "embedded node stopped");
                }
            })?;
        Ok(Self {
            url,
            fingerprint: identity.fingerprint(),
            store,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// A one-time enrolment code for a device of `role` serving `communities`.
    pub fn enrollment_code(
        &self,
        role: Role,
        communities: &[&str],
        valid_hours: i64,
    ) -> Result<EmbeddedCode, StoreError> {
        let code = issue_enrollment(
            self.store.as_ref(),
            self.url.clone(),
            self.fingerprint,
            role,
            communities.iter().map(|c| (*c).to_owned()).collect(),
            valid_hours,
        )?;
        Ok(EmbeddedCode(code))
    }

    /// The node's store, for checks.
    #[must_use]
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }
}

/// An enrolment code (holds a one-time secret: `Debug` is redacted).
pub struct EmbeddedCode(pub EnrollmentCode);

impl std::fmt::Debug for EmbeddedCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EmbeddedCode(..)")
    }
}

impl Drop for EmbeddedNode {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

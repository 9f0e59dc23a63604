//! A node on a thread of its own with its own runtime: `sync-server serve` runs one until Ctrl+C,
//! the field app's `--demo` and in-process tests run one on a loopback port until dropped. Both
//! go through [`RunningNode::start`], so they serve the same router, store and TLS.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;

use shared::crypto::{KdfParams, Passphrase};
use shared::protocol::enroll::{EnrollmentCode, Role};

use crate::policy::EnrollmentError;
use crate::state::{PUBLIC_URL, issue_enrollment, runtime};
use crate::storage::sqlite::{OpenError, SqliteStore};
use crate::storage::{Store, StoreError};
use crate::tls::TlsIdentity;
use crate::{Node, NodeSettings};

/// Why a node did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store did not open.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// A setting could not be written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The certificate could not be made or loaded.
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    /// Binding, the runtime or the thread failed.
    #[error("starting the node: {0}")]
    Io(#[from] std::io::Error),
}

/// A node serving on a bound listener from its own thread.
pub struct RunningNode {
    /// The URL devices reach it at (recorded in the store for `enroll`).
    pub url: String,
    /// SHA-256 of the node's certificate (what devices pin).
    pub fingerprint: [u8; 32],
    /// The node's shared state (its store, id and counters).
    pub node: Arc<Node>,
    /// Taken by [`RunningNode::join`].
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl std::fmt::Debug for RunningNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningNode")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RunningNode {
    /// Loads (or makes) the TLS identity, records the public URL (default `https://<listener>`)
    /// and serves on `listener` until `shutdown` completes.
    pub fn start(
        store: Arc<dyn Store>,
        listener: std::net::TcpListener,
        settings: NodeSettings,
        public_url: Option<String>,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<Self, StartError> {
        let identity = TlsIdentity::load_or_generate(store.as_ref())?;
        let tls = identity.server_configs()?;
        let url = match public_url {
            Some(url) => url,
            None => format!("https://{}", listener.local_addr()?),
        };
        store.put_setting(PUBLIC_URL, url.as_bytes())?;
        let mut node = Node::new(store, settings)?;
        node.tls_key_pin = Some(tls.key_pin());
        let node = Arc::new(node);
        let runtime = runtime()?;
        let serving = Arc::clone(&node);
        let thread = std::thread::Builder::new()
            .name("node-server".into())
            .spawn(move || runtime.block_on(crate::serve(serving, listener, tls, shutdown)))?;
        Ok(Self {
            url,
            fingerprint: identity.fingerprint(),
            node,
            thread: Some(thread),
        })
    }

    /// Waits until the server has stopped (its shutdown future completed, or it failed).
    pub fn wait(mut self) -> std::io::Result<()> {
        self.join()
    }

    fn join(&mut self) -> std::io::Result<()> {
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .map_err(|_| std::io::Error::other("the node's server thread panicked"))?,
            None => Ok(()),
        }
    }
}

/// A node serving on `127.0.0.1`, stopped when dropped.
pub struct EmbeddedNode {
    running: RunningNode,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl std::fmt::Debug for EmbeddedNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedNode")
            .field("running", &self.running)
            .finish_non_exhaustive()
    }
}

impl EmbeddedNode {
    /// Opens (or creates) the node's store in `dir` and serves it on a free loopback port.
    pub fn start(
        dir: &Path,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<Self, StartError> {
        let store = Arc::new(SqliteStore::open_or_create(dir, passphrase, params)?);
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = RunningNode::start(store, listener, NodeSettings::default(), None, async {
            let _ = stopped.await;
        })?;
        Ok(Self {
            running,
            stop: Some(stop),
        })
    }

    /// `https://127.0.0.1:<port>`.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.running.url
    }

    /// SHA-256 of the node's certificate.
    #[must_use]
    pub fn fingerprint(&self) -> [u8; 32] {
        self.running.fingerprint
    }

    /// A one-time enrolment code for a device of `role` serving `communities`.
    pub fn enrollment_code(
        &self,
        role: Role,
        communities: &[&str],
        valid_hours: i64,
    ) -> Result<EnrollmentCode, EnrollmentError> {
        let running = &self.running;
        issue_enrollment(
            running.node.store.as_ref(),
            running.url.clone(),
            running.fingerprint,
            role,
            communities.iter().map(|c| (*c).to_owned()).collect(),
            valid_hours,
        )
    }

    /// The node's store, for checks.
    #[must_use]
    pub fn store(&self) -> &dyn Store {
        self.running.node.store.as_ref()
    }
}

impl Drop for EmbeddedNode {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Err(error) = self.running.join() {
            tracing::error!(%error, "embedded node stopped with an error");
        }
    }
}

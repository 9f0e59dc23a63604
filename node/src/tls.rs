//! The node's TLS identity: a self-signed certificate made at first start, kept (with its
//! private key) inside the encrypted store. Devices pin its SHA-256 fingerprint, carried in the
//! enrolment code, so no public CA is involved.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::storage::{Store, StoreError};

const CERT_KEY: &str = "tls.certificate";
const PRIVATE_KEY: &str = "tls.private_key";

/// Why the TLS identity could not be made or loaded.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Certificate generation failed.
    #[error("could not generate the node certificate: {0}")]
    Generate(String),
    /// rustls refused the certificate or key.
    #[error("TLS configuration failed: {0}")]
    Config(String),
}

/// The certificate (DER) and private key (PKCS#8 DER).
pub struct TlsIdentity {
    certificate: Vec<u8>,
    private_key: zeroize::Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("fingerprint", &hex(&self.fingerprint()))
            .finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// Loads the node's identity, generating it on first start.
    pub fn load_or_generate(store: &dyn Store) -> Result<Self, TlsError> {
        if let (Some(certificate), Some(private_key)) =
            (store.setting(CERT_KEY)?, store.setting(PRIVATE_KEY)?)
        {
            return Ok(Self {
                certificate,
                private_key: zeroize::Zeroizing::new(private_key),
            });
        }
        let names = vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
            "outreach-node".to_owned(),
        ];
        let generated = rcgen::generate_simple_self_signed(names)
            .map_err(|e| TlsError::Generate(e.to_string()))?;
        let identity = Self {
            certificate: generated.cert.der().to_vec(),
            private_key: zeroize::Zeroizing::new(generated.signing_key.serialize_der()),
        };
        store.put_setting(PRIVATE_KEY, &identity.private_key)?;
        store.put_setting(CERT_KEY, &identity.certificate)?;
        Ok(identity)
    }

    /// SHA-256 of the certificate, which devices pin.
    #[must_use]
    pub fn fingerprint(&self) -> [u8; 32] {
        shared::protocol::upload_id(&self.certificate)
    }

    /// A rustls server configuration presenting this certificate.
    pub fn server_config(&self) -> Result<Arc<rustls::ServerConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Config(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(self.certificate.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.private_key.to_vec())),
            )
            .map_err(|e| TlsError::Config(e.to_string()))?;
        // Session tickets let a device that lost its link resume TLS without a full handshake
        // (no certificate resent): bytes that matter on a satellite link.
        config.ticketer =
            rustls::crypto::ring::Ticketer::new().map_err(|e| TlsError::Config(e.to_string()))?;
        // One ticket, not rustls's default two: a device resumes one connection at a time, and
        // the second ticket was ~ 100 bytes on every handshake that nothing used.
        config.send_tls13_tickets = 1;
        Ok(Arc::new(config))
    }
}

/// Lowercase hex.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

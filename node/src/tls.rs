//! The node's TLS identity: a self-signed certificate made at first start, kept (with its
//! private key) inside the encrypted store. Devices pin its SHA-256 fingerprint, carried in the
//! enrolment code, so no public CA is involved.
//!
//! The enrolment answer also gives a device the SHA-256 of the node's public key; from then on
//! the device asks for a raw public key (RFC 7250) and the node answers with the key alone, not
//! the certificate around it: a no-change sync on a satellite link is a third smaller. Each
//! connection gets the form its device asks for ([`ServerTls::for_hello`]), so devices enrolled
//! before, or older builds, keep their certificate pin.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{AlwaysResolvesServerRawPublicKeys, ClientHello};
use rustls::sign::CertifiedKey;

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
        // Ed25519: its public key (44 bytes as SubjectPublicKeyInfo) and signature (64) are the
        // smallest a handshake can carry; nodes made before keep their P-256 key.
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519)
            .map_err(|e| TlsError::Generate(e.to_string()))?;
        let certificate = rcgen::CertificateParams::new(names)
            .and_then(|params| params.self_signed(&key))
            .map_err(|e| TlsError::Generate(e.to_string()))?;
        let identity = Self {
            certificate: certificate.der().to_vec(),
            private_key: zeroize::Zeroizing::new(key.serialize_der()),
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

    fn signing_key(&self) -> Result<(Arc<dyn rustls::sign::SigningKey>, Vec<u8>), TlsError> {
        let provider = rustls::crypto::ring::default_provider();
        let key = provider
            .key_provider
            .load_private_key(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
                self.private_key.to_vec(),
            )))
            .map_err(|e| TlsError::Config(e.to_string()))?;
        let public_key = key
            .public_key()
            .ok_or_else(|| TlsError::Config("the node key has no public key form".into()))?
            .as_ref()
            .to_vec();
        Ok((key, public_key))
    }

    /// The server configurations: the certificate, and the raw public key.
    pub fn server_configs(&self) -> Result<ServerTls, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let certificate = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Config(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(self.certificate.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.private_key.to_vec())),
            )
            .map_err(|e| TlsError::Config(e.to_string()))?;
        let (key, public_key) = self.signing_key()?;
        let key_pin = shared::protocol::upload_id(&public_key);
        let raw_key = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|e| TlsError::Config(e.to_string()))?
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(AlwaysResolvesServerRawPublicKeys::new(Arc::new(
                CertifiedKey::new(vec![CertificateDer::from(public_key)], key),
            ))));
        Ok(ServerTls {
            certificate: Arc::new(without_tickets(certificate)),
            raw_key: Arc::new(without_tickets(raw_key)),
            key_pin,
        })
    }
}

/// No session tickets: each sync is a new device process (or a new client in the app), which
/// cannot use a ticket from an earlier one, and a ticket cost ~ 200 bytes on every handshake.
/// A full handshake with the raw key is also smaller than a resumed one carrying a ticket.
fn without_tickets(mut config: rustls::ServerConfig) -> rustls::ServerConfig {
    config.send_tls13_tickets = 0;
    config
}

/// The node's two TLS configurations; each connection gets the one its device asks for.
#[derive(Clone)]
pub struct ServerTls {
    certificate: Arc<rustls::ServerConfig>,
    raw_key: Arc<rustls::ServerConfig>,
    key_pin: [u8; 32],
}

impl std::fmt::Debug for ServerTls {
    // Both configurations hold the node's private key: nothing of them is printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerTls(certificate, raw key)")
    }
}

impl ServerTls {
    /// SHA-256 of the public key served raw (DER `SubjectPublicKeyInfo`), which devices pin once
    /// the enrolment answer (or a sync answer) gave it to them.
    #[must_use]
    pub fn key_pin(&self) -> [u8; 32] {
        self.key_pin
    }

    /// The raw public key when the device offers to take one (it pins the key), else the
    /// certificate (it pins the certificate, or is an older build).
    #[must_use]
    pub fn for_hello(&self, hello: &ClientHello<'_>) -> Arc<rustls::ServerConfig> {
        let takes_raw_key = hello
            .server_cert_types()
            .is_some_and(|types| types.contains(&rustls::server::CertificateType::RawPublicKey));
        if takes_raw_key {
            Arc::clone(&self.raw_key)
        } else {
            Arc::clone(&self.certificate)
        }
    }
}

/// Lowercase hex.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rustls::ClientConnection;
    use rustls::pki_types::ServerName;
    use rustls::server::Acceptor;
    use sync_client::Pin;

    use super::TlsIdentity;

    /// A whole handshake in memory between the device's own TLS configuration (pinned to `pin`)
    /// and the node's choice from the ClientHello; the bytes the node sent, or the device's
    /// refusal.
    fn handshake(identity: &TlsIdentity, pin: Pin) -> Result<usize, rustls::Error> {
        let client = sync_client::tls_config(pin).unwrap();
        let mut device =
            ClientConnection::new(Arc::new(client), ServerName::try_from("node").unwrap()).unwrap();
        let configs = identity.server_configs().unwrap();
        let mut hello = Vec::new();
        device.write_tls(&mut hello).unwrap();
        let mut acceptor = Acceptor::default();
        acceptor.read_tls(&mut hello.as_slice()).unwrap();
        let accepted = acceptor
            .accept()
            .ok()
            .flatten()
            .expect("a whole ClientHello");
        let config = configs.for_hello(&accepted.client_hello());
        let mut node = accepted.into_connection(config).ok().unwrap();
        let mut from_node = 0;
        while device.is_handshaking() {
            let mut bytes = Vec::new();
            while node.wants_write() {
                node.write_tls(&mut bytes).unwrap();
            }
            from_node += bytes.len();
            device.read_tls(&mut bytes.as_slice()).unwrap();
            device.process_new_packets()?;
            let mut bytes = Vec::new();
            while device.wants_write() {
                device.write_tls(&mut bytes).unwrap();
            }
            node.read_tls(&mut bytes.as_slice()).unwrap();
            node.process_new_packets().unwrap();
        }
        Ok(from_node)
    }

    fn assert_serves_both_forms(identity: &TlsIdentity) {
        let key = identity.server_configs().unwrap().key_pin();
        let with_key = handshake(identity, Pin::PublicKey(key)).unwrap();
        let with_certificate =
            handshake(identity, Pin::Certificate(identity.fingerprint())).unwrap();
        assert!(
            with_key + 150 < with_certificate,
            "{with_key} B with the key, {with_certificate} B with the certificate"
        );
        // Each pin is checked: the other hash, or another node's, is refused.
        assert!(handshake(identity, Pin::PublicKey(identity.fingerprint())).is_err());
        assert!(handshake(identity, Pin::Certificate(key)).is_err());
    }

    #[test]
    fn a_new_node_answers_each_device_with_the_key_or_the_certificate_it_pins() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::storage::sqlite::SqliteStore::open_or_create(
            dir.path(),
            &shared::crypto::Passphrase::new("tls forms test passphrase".into()),
            shared::crypto::KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
        )
        .unwrap();
        assert_serves_both_forms(&TlsIdentity::load_or_generate(&store).unwrap());
    }

    #[test]
    fn a_node_made_with_a_p256_key_before_still_serves_both_forms() {
        let names = vec!["localhost".to_owned(), "outreach-node".to_owned()];
        let made = rcgen::generate_simple_self_signed(names).unwrap();
        let identity = TlsIdentity {
            certificate: made.cert.der().to_vec(),
            private_key: zeroize::Zeroizing::new(made.signing_key.serialize_der()),
        };
        assert_serves_both_forms(&identity);
    }
}

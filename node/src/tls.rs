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

    /// SHA-256 of the node's public key (DER `SubjectPublicKeyInfo`), which devices pin once
    /// the enrolment answer gave it to them.
    pub fn public_key_pin(&self) -> Result<[u8; 32], TlsError> {
        let (_, public_key) = self.signing_key()?;
        Ok(shared::protocol::upload_id(&public_key))
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
}

impl std::fmt::Debug for ServerTls {
    // Both configurations hold the node's private key: nothing of them is printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerTls(certificate, raw key)")
    }
}

impl ServerTls {
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

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::pki_types::{CertificateDer, ServerName, SubjectPublicKeyInfoDer, UnixTime};
    use rustls::server::Acceptor;
    use rustls::{ClientConnection, DigitallySignedStruct};

    use super::TlsIdentity;

    /// A device's check, reduced to what this test needs: the key (raw) or the certificate.
    #[derive(Debug)]
    struct Pinned {
        raw_key: bool,
        provider: Arc<rustls::crypto::CryptoProvider>,
    }

    impl ServerCertVerifier for Pinned {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            Err(rustls::Error::General("TLS 1.3 only".into()))
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            let algorithms = &self.provider.signature_verification_algorithms;
            if self.raw_key {
                let key = SubjectPublicKeyInfoDer::from(cert.as_ref());
                rustls::crypto::verify_tls13_signature_with_raw_key(message, &key, dss, algorithms)
            } else {
                rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
            }
        }
        fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
        }
        fn requires_raw_public_keys(&self) -> bool {
            self.raw_key
        }
    }

    /// A whole handshake in memory through the node's choice; the bytes the node sent, and
    /// what the device saw as the node's certificate (the raw key's SPKI, or the certificate).
    fn handshake(identity: &TlsIdentity, raw_key: bool) -> (usize, Vec<u8>) {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let client = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Pinned { raw_key, provider }))
            .with_no_client_auth();
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
        while device.is_handshaking() || node.wants_write() {
            let mut bytes = Vec::new();
            while node.wants_write() {
                node.write_tls(&mut bytes).unwrap();
            }
            from_node += bytes.len();
            device.read_tls(&mut bytes.as_slice()).unwrap();
            device.process_new_packets().unwrap();
            let mut bytes = Vec::new();
            while device.wants_write() {
                device.write_tls(&mut bytes).unwrap();
            }
            node.read_tls(&mut bytes.as_slice()).unwrap();
            node.process_new_packets().unwrap();
        }
        let seen = device.peer_certificates().unwrap()[0].to_vec();
        (from_node, seen)
    }

    fn assert_serves_both_forms(identity: &TlsIdentity) {
        let (with_key, key) = handshake(identity, true);
        let (with_certificate, certificate) = handshake(identity, false);
        assert_eq!(
            shared::protocol::upload_id(&key),
            identity.public_key_pin().unwrap()
        );
        assert_eq!(
            shared::protocol::upload_id(&certificate),
            identity.fingerprint()
        );
        assert!(
            with_key + 150 < with_certificate,
            "{with_key} B with the key, {with_certificate} B with the certificate"
        );
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

//! An HTTPS client that trusts exactly one certificate: the node's, pinned by the SHA-256
//! fingerprint from the enrolment code. No public CA roots are loaded, so neither a public CA
//! nor a locally installed one can stand in for the node.

use std::sync::Arc;

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

#[derive(Debug)]
struct PinnedCertificate {
    fingerprint: [u8; 32],
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedCertificate {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // The handshake's signature checks below prove the node holds this certificate's key.
        if shared::protocol::upload_id(end_entity.as_ref()) == self.fingerprint {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "the node's certificate does not match the pinned fingerprint".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Largest TLS record the device sends.
const TLS_RECORD_BYTES: usize = 4096;

/// A blocking HTTP client pinned to `fingerprint` (also used by cross-process tests to send
/// hand-made requests).
pub fn client(
    fingerprint: [u8; 32],
    timeout: std::time::Duration,
) -> Result<reqwest::blocking::Client, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedCertificate {
            fingerprint,
            provider,
        }))
        .with_no_client_auth();
    // A node keeps only the whole TLS records of a cut upload; small records bound what a cut
    // wastes, for about 0.5 % of framing.
    config.max_fragment_size = Some(TLS_RECORD_BYTES);
    reqwest::blocking::Client::builder()
        .use_preconfigured_tls(config)
        .timeout(timeout)
        .pool_max_idle_per_host(1)
        .build()
        .map_err(|e| e.to_string())
}

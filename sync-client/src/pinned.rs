//! An HTTPS client that trusts exactly one node: the one whose certificate (SHA-256 fingerprint
//! from the enrolment code) or public key (SHA-256, from the enrolment answer) it pinned. No
//! public CA roots are loaded, so neither a public CA nor a locally installed one can stand in
//! for the node.

use std::sync::Arc;

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, SubjectPublicKeyInfoDer, UnixTime};

/// What a device trusts its node by.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// SHA-256 of the node's certificate (DER), from the enrolment code: the handshake carries
    /// the certificate.
    Certificate([u8; 32]),
    /// SHA-256 of the node's public key (DER `SubjectPublicKeyInfo`), from the enrolment answer:
    /// the handshake carries the raw key alone (RFC 7250, TLS 1.3), ~ 300 bytes fewer.
    PublicKey([u8; 32]),
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, hash) = match self {
            Self::Certificate(hash) => ("certificate", hash),
            Self::PublicKey(hash) => ("public key", hash),
        };
        write!(
            f,
            "Pin({kind} {:02x}{:02x}{:02x}{:02x}…)",
            hash[0], hash[1], hash[2], hash[3]
        )
    }
}

#[derive(Debug)]
struct PinnedNode {
    pin: Pin,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedNode {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // With a raw public key the "end entity" holds the key's SubjectPublicKeyInfo. The
        // handshake's signature checks below prove the node holds the private half.
        let (Pin::Certificate(pinned) | Pin::PublicKey(pinned)) = self.pin;
        if shared::protocol::upload_id(end_entity.as_ref()) == pinned {
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
        match self.pin {
            Pin::Certificate(_) => rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            ),
            // Raw public keys are negotiated in TLS 1.3 only (the client offers nothing else).
            Pin::PublicKey(_) => Err(rustls::Error::General(
                "a pinned public key is checked in TLS 1.3 only".into(),
            )),
        }
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        match self.pin {
            Pin::Certificate(_) => {
                rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
            }
            Pin::PublicKey(_) => rustls::crypto::verify_tls13_signature_with_raw_key(
                message,
                &SubjectPublicKeyInfoDer::from(cert.as_ref()),
                dss,
                algorithms,
            ),
        }
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        // A node signs with the key it made: Ed25519 (nodes made since 2026-12-06) or P-256
        // (before). Offering only those takes ~ 14 bytes off every ClientHello.
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
            .into_iter()
            .filter(|scheme| NODE_SIGNATURE_SCHEMES.contains(scheme))
            .collect()
    }

    fn requires_raw_public_keys(&self) -> bool {
        matches!(self.pin, Pin::PublicKey(_))
    }
}

/// What a node's key signs with.
const NODE_SIGNATURE_SCHEMES: [rustls::SignatureScheme; 2] = [
    rustls::SignatureScheme::ED25519,
    rustls::SignatureScheme::ECDSA_NISTP256_SHA256,
];

/// Largest TLS record the device sends.
const TLS_RECORD_BYTES: usize = 4096;

/// A blocking HTTP client pinned to `pin` (also used by cross-process tests to send hand-made
/// requests).
pub fn client(pin: Pin, timeout: std::time::Duration) -> Result<reqwest::blocking::Client, String> {
    reqwest::blocking::Client::builder()
        .use_preconfigured_tls(tls_config(pin)?)
        .timeout(timeout)
        .pool_max_idle_per_host(1)
        .build()
        .map_err(|e| e.to_string())
}

/// The device's TLS configuration: trusts the node that `pin` names, and nothing else.
pub fn tls_config(pin: Pin) -> Result<rustls::ClientConfig, String> {
    // Every node agrees on X25519 (rustls's first choice); offering it alone keeps the
    // ClientHello's group list short.
    let provider = Arc::new(CryptoProvider {
        kx_groups: vec![rustls::crypto::ring::kx_group::X25519],
        ..rustls::crypto::ring::default_provider()
    });
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider));
    let builder = match pin {
        Pin::Certificate(_) => builder.with_safe_default_protocol_versions(),
        Pin::PublicKey(_) => builder.with_protocol_versions(&[&rustls::version::TLS13]),
    }
    .map_err(|e| e.to_string())?;
    let mut config = builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedNode { pin, provider }))
        .with_no_client_auth();
    // The pin, not the name, identifies the node: the name is not sent (bytes on the link).
    config.enable_sni = false;
    // Each sync is a new client, and the node sends no tickets: nothing to resume, so the
    // ClientHello does not offer it.
    config.resumption = rustls::client::Resumption::disabled();
    // A node keeps only the whole TLS records of a cut upload; small records bound what a cut
    // wastes, for about 0.5 % of framing.
    config.max_fragment_size = Some(TLS_RECORD_BYTES);
    Ok(config)
}

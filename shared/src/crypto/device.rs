//! Device identity (decisions D4): an Ed25519 key pair generated on the laptop at enrolment,
//! kept inside the encrypted database; every request is signed over its method, path, body
//! digest, a strictly increasing per-device counter and the time.

use ring::signature::{self, Ed25519KeyPair, KeyPair as _};
use zeroize::Zeroizing;

use super::CryptoError;
use crate::ids::DeviceId;

/// A device's signing key. `Debug` is redacted; the PKCS#8 form is zeroized on drop.
pub struct DeviceKey {
    pair: Ed25519KeyPair,
    pkcs8: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(<redacted>)")
    }
}

impl DeviceKey {
    /// A new random key.
    pub fn generate() -> Result<Self, CryptoError> {
        let document = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
            .map_err(|_| CryptoError::Random)?;
        Self::from_pkcs8(document.as_ref())
    }

    /// A key from its stored PKCS#8 form.
    pub fn from_pkcs8(bytes: &[u8]) -> Result<Self, CryptoError> {
        let pair = Ed25519KeyPair::from_pkcs8(bytes)
            .map_err(|_| CryptoError::MalformedKeyfile("device key".into()))?;
        Ok(Self {
            pair,
            pkcs8: Zeroizing::new(bytes.to_vec()),
        })
    }

    /// The PKCS#8 form, to store inside the encrypted database.
    #[must_use]
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The 32-byte public key the node registers.
    #[must_use]
    pub fn public_key(&self) -> [u8; 32] {
        let mut key = [0u8; 32];
        key.copy_from_slice(self.pair.public_key().as_ref());
        key
    }

    /// Signs a request.
    #[must_use]
    pub fn sign(&self, request: &SignedRequest<'_>) -> [u8; 64] {
        let mut out = [0u8; 64];
        out.copy_from_slice(self.pair.sign(&request.canonical()).as_ref());
        out
    }
}

/// What a request signature covers.
#[derive(Clone, Copy, Debug)]
pub struct SignedRequest<'a> {
    /// HTTP method, upper case.
    pub method: &'a str,
    /// Path, without scheme, host or query.
    pub path: &'a str,
    /// SHA-256 of what the signature covers: for a sync request, its head from protocol
    /// version 3 and its whole body before (`protocol::signed_digest`); the whole body of any
    /// other request.
    pub body_sha256: [u8; 32],
    /// The signing device.
    pub device: DeviceId,
    /// Strictly increasing per device.
    pub counter: u64,
    /// The device's clock, milliseconds since the epoch.
    pub time_ms: i64,
}

impl SignedRequest<'_> {
    fn canonical(&self) -> Vec<u8> {
        let mut text =
            format!("outreach-request-v1\n{}\n{}\n", self.method, self.path).into_bytes();
        text.extend_from_slice(&self.body_sha256);
        text.extend_from_slice(
            format!("\n{}\n{}\n{}", self.device, self.counter, self.time_ms).as_bytes(),
        );
        text
    }

    /// Checks `signature` against a registered public key.
    #[must_use]
    pub fn verify(&self, public_key: &[u8; 32], signature: &[u8]) -> bool {
        signature::UnparsedPublicKey::new(&signature::ED25519, public_key)
            .verify(&self.canonical(), signature)
            .is_ok()
    }
}

/// SHA-256 of a body.
#[must_use]
pub fn body_digest(body: &[u8]) -> [u8; 32] {
    crate::protocol::upload_id(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &[u8], counter: u64) -> SignedRequest<'static> {
        SignedRequest {
            method: "POST",
            path: "/api/v1/sync",
            body_sha256: body_digest(body),
            device: DeviceId(uuid::Uuid::nil()),
            counter,
            time_ms: 1,
        }
    }

    #[test]
    fn signature_verifies_and_binds_every_field() {
        let key = DeviceKey::generate().unwrap();
        let reloaded = DeviceKey::from_pkcs8(key.pkcs8()).unwrap();
        let signed = request(b"body", 7);
        let signature = reloaded.sign(&signed);
        assert!(signed.verify(&key.public_key(), &signature));
        assert!(
            !request(b"bodY", 7).verify(&key.public_key(), &signature),
            "tampered body"
        );
        assert!(
            !request(b"body", 8).verify(&key.public_key(), &signature),
            "other counter"
        );
        assert!(
            !SignedRequest {
                path: "/api/v1/other",
                ..signed
            }
            .verify(&key.public_key(), &signature)
        );
        assert!(
            !SignedRequest {
                time_ms: 2,
                ..signed
            }
            .verify(&key.public_key(), &signature)
        );
        let other = DeviceKey::generate().unwrap();
        assert!(
            !signed.verify(&other.public_key(), &signature),
            "wrong device key"
        );
    }
}

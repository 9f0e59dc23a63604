//! The office recovery copy: the data key sealed to an age X25519 recipient (Bitwarden's
//! "account recovery" pattern). An agent who forgets the passphrase, or leaves, does not take
//! unsynced records with them: the office opens this copy with its offline identity.

use super::{CryptoError, DataKey};

/// The largest recovery file accepted.
pub const MAX_RECOVERY_BYTES: usize = 16 * 1024;

/// An office recovery public key (`age1…`).
#[derive(Clone)]
pub struct RecoveryRecipient(age::x25519::Recipient);

impl RecoveryRecipient {
    /// Parses an `age1…` public key.
    pub fn parse(text: &str) -> Result<Self, CryptoError> {
        text.trim()
            .parse::<age::x25519::Recipient>()
            .map(Self)
            .map_err(|_| CryptoError::Recovery("not an age X25519 recipient".into()))
    }
}

impl std::fmt::Display for RecoveryRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Debug for RecoveryRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecoveryRecipient({})", self.0)
    }
}

/// Seals the data key to the office recipient. The laptop cannot open the result.
pub fn seal(key: &DataKey, recipient: &RecoveryRecipient) -> Result<Vec<u8>, CryptoError> {
    age::encrypt(&recipient.0, key.expose()).map_err(|e| CryptoError::Recovery(e.to_string()))
}

/// Seals a file (an export for a partner) to an age recipient: only its identity opens it.
pub fn seal_bytes(plain: &[u8], recipient: &RecoveryRecipient) -> Result<Vec<u8>, CryptoError> {
    age::encrypt(&recipient.0, plain).map_err(|e| CryptoError::Recovery(e.to_string()))
}

/// Opens a file sealed with [`seal_bytes`] (at most `max_bytes`), for the holder of the
/// identity (a partner's tools, tests).
pub fn open_bytes(
    sealed: &[u8],
    identity: &str,
    max_bytes: usize,
) -> Result<zeroize::Zeroizing<Vec<u8>>, CryptoError> {
    if sealed.len() > max_bytes {
        return Err(CryptoError::Recovery("sealed file too large".into()));
    }
    let identity: age::x25519::Identity = identity
        .trim()
        .parse()
        .map_err(|_| CryptoError::Recovery("not an age X25519 identity".into()))?;
    age::decrypt(&identity, sealed)
        .map(zeroize::Zeroizing::new)
        .map_err(|_| CryptoError::Recovery("does not open with this identity".into()))
}

/// Opens a recovery copy with the office identity (`AGE-SECRET-KEY-1…`).
pub fn open(sealed: &[u8], office_identity: &str) -> Result<DataKey, CryptoError> {
    if sealed.len() > MAX_RECOVERY_BYTES {
        return Err(CryptoError::Recovery("recovery file too large".into()));
    }
    let identity: age::x25519::Identity = office_identity
        .trim()
        .parse()
        .map_err(|_| CryptoError::Recovery("not an age X25519 identity".into()))?;
    let plain = zeroize::Zeroizing::new(
        age::decrypt(&identity, sealed)
            .map_err(|_| CryptoError::Recovery("does not open with this identity".into()))?,
    );
    DataKey::from_bytes(&plain).ok_or_else(|| CryptoError::Recovery("unexpected content".into()))
}

/// A new office key pair, as (`AGE-SECRET-KEY-1…`, `age1…`). For tests, demos and office setup.
#[must_use]
pub fn generate_office_keypair() -> (zeroize::Zeroizing<String>, RecoveryRecipient) {
    use age::secrecy::ExposeSecret as _;
    let identity = age::x25519::Identity::generate();
    let secret = zeroize::Zeroizing::new(identity.to_string().expose_secret().to_owned());
    (secret, RecoveryRecipient(identity.to_public()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_identity_opens_the_recovery_copy() {
        let (secret, recipient) = generate_office_keypair();
        let key = DataKey::generate().unwrap();
        let sealed = seal(&key, &recipient).unwrap();
        assert_eq!(open(&sealed, &secret).unwrap(), key);
        let (other, _) = generate_office_keypair();
        assert!(open(&sealed, &other).is_err());
        assert!(
            !sealed.windows(32).any(|w| w == key.expose()),
            "key must not appear in clear"
        );
    }
}

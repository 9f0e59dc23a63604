//! Key material and the keyfile format (decisions D4). No home-made primitives: Argon2id from
//! RustCrypto `argon2`, AES-256-GCM and randomness from `ring`, X25519 sealing from `age`.
//!
//! - [`DataKey`]: the random 32-byte key the encrypted database is opened with.
//! - [`Keyfile`]: the data key wrapped under a key derived from the passphrase (Argon2id), with
//!   its parameters, versioned. Changing the passphrase re-wraps the keyfile only.
//! - [`recovery`]: a copy of the data key sealed to the office's age X25519 recipient.
//!
//! Everything here zeroizes key material on drop and redacts it from `Debug`.

pub mod device;
mod keyfile;
mod passphrase;
pub mod recovery;

pub use device::{DeviceKey, SignedRequest, body_digest};
pub use keyfile::{KdfParams, Keyfile, MAX_KEYFILE_BYTES};
pub use passphrase::{
    MIN_PASSPHRASE_CHARS, Passphrase, PassphraseProblem, check_passphrase_strength,
    estimated_strength_bits,
};

use zeroize::Zeroizing;

/// Why a cryptographic operation failed. Never carries key material or client data.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The passphrase does not open the keyfile, or the keyfile was altered.
    #[error("the passphrase is wrong or the keyfile is damaged")]
    WrongPassphraseOrDamagedKeyfile,
    /// The keyfile is not one this build reads.
    #[error("the keyfile is malformed or of an unsupported version: {0}")]
    MalformedKeyfile(String),
    /// Key derivation parameters out of range.
    #[error("key derivation parameters are invalid")]
    InvalidKdfParams,
    /// The system random generator failed.
    #[error("the system random number generator failed")]
    Random,
    /// Sealing or opening a recovery copy failed.
    #[error("recovery copy: {0}")]
    Recovery(String),
}

/// The 32-byte key the local database is encrypted with. Zeroized on drop; `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), bytes.as_mut())
            .map_err(|_| CryptoError::Random)?;
        Ok(Self(bytes))
    }

    /// The raw key bytes.
    #[must_use]
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as lowercase hex (for SQLCipher's raw-key pragma), zeroized on drop.
    #[must_use]
    pub fn to_hex(&self) -> Zeroizing<String> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = Zeroizing::new(String::with_capacity(64));
        for byte in self.0.iter() {
            text.push(char::from(HEX[usize::from(byte >> 4)]));
            text.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        text
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(Zeroizing::new(array)))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .map_err(|_| CryptoError::Random)?;
    Ok(bytes)
}

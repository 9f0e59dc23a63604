//! The keyfile: the data key wrapped with AES-256-GCM under Argon2id(passphrase).
//!
//! Format version 1 is JSON (it holds no client data), so support staff can read the parameters:
//! ```json
//! {"format":"outreach-keyfile","version":1,
//!  "kdf":{"algorithm":"argon2id","argon2_version":19,"memory_kib":131072,"iterations":4,
//!         "parallelism":1,"salt":"<base64>"},
//!  "wrap":{"algorithm":"aes-256-gcm","nonce":"<base64>","ciphertext":"<base64>"}}
//! ```
//! Every field but the ciphertext is bound into the AEAD as associated data, so changing a
//! parameter (for example to make the KDF cheaper) makes the keyfile fail to open.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ring::aead;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{CryptoError, DataKey, Passphrase, random_bytes};

/// The largest keyfile accepted.
pub const MAX_KEYFILE_BYTES: usize = 64 * 1024;

const FORMAT: &str = "outreach-keyfile";
const VERSION: u32 = 1;

/// Argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl KdfParams {
    /// What new profiles use: 128 MiB, 4 passes — well above OWASP's floor (19 MiB, 2 passes);
    /// a laptop unlocks once a session, so it can afford far more than a login server. Measured
    /// in `docs/PERFORMANCE.md` (≈0.3 s on the 2-core build machine, more on slow laptops).
    pub const PRODUCTION: Self = Self {
        memory_kib: 128 * 1024,
        iterations: 4,
        parallelism: 1,
    };

    /// OWASP's minimum for Argon2id (m = 19 MiB, t = 2, p = 1). Anything cheaper is flagged.
    pub const OWASP_FLOOR: Self = Self {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// Deliberately weak parameters so test suites can create hundreds of profiles. Never for
    /// real data: profiles made with them say so whenever they are opened.
    pub const INSECURE_FAST_FOR_TESTS_ONLY: Self = Self {
        memory_kib: 256,
        iterations: 1,
        parallelism: 1,
    };

    /// Cheaper than OWASP's floor.
    #[must_use]
    pub fn is_below_owasp_floor(&self) -> bool {
        self.memory_kib < Self::OWASP_FLOOR.memory_kib
            || (self.memory_kib == Self::OWASP_FLOOR.memory_kib
                && self.iterations < Self::OWASP_FLOOR.iterations)
    }

    fn derive(
        &self,
        passphrase: &Passphrase,
        salt: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
        // Refuse absurd parameters from a tampered file before allocating (max 4 GiB, 64 passes).
        if self.memory_kib > 4 * 1024 * 1024
            || self.iterations == 0
            || self.iterations > 64
            || self.parallelism != 1
        {
            return Err(CryptoError::InvalidKdfParams);
        }
        let params =
            argon2::Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
                .map_err(|_| CryptoError::InvalidKdfParams)?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase.expose().as_bytes(), salt, out.as_mut())
            .map_err(|_| CryptoError::InvalidKdfParams)?;
        Ok(out)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KdfSection {
    algorithm: String,
    argon2_version: u32,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    salt: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrapSection {
    algorithm: String,
    nonce: String,
    ciphertext: String,
}

/// A wrapped data key with the parameters needed to unwrap it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyfile {
    format: String,
    version: u32,
    kdf: KdfSection,
    wrap: WrapSection,
}

impl Keyfile {
    /// Wraps `key` under `passphrase`.
    pub fn wrap(
        key: &DataKey,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<Self, CryptoError> {
        let salt: [u8; 16] = random_bytes()?;
        let nonce: [u8; 12] = random_bytes()?;
        let kdf = KdfSection {
            algorithm: "argon2id".into(),
            argon2_version: 19,
            memory_kib: params.memory_kib,
            iterations: params.iterations,
            parallelism: params.parallelism,
            salt: B64.encode(salt),
        };
        let wrapping_key = params.derive(passphrase, &salt)?;
        let mut in_out = key.expose().to_vec();
        let sealing = aead_key(&wrapping_key)?;
        sealing
            .seal_in_place_append_tag(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(associated_data(&kdf)),
                &mut in_out,
            )
            .map_err(|_| CryptoError::Random)?;
        Ok(Self {
            format: FORMAT.into(),
            version: VERSION,
            kdf,
            wrap: WrapSection {
                algorithm: "aes-256-gcm".into(),
                nonce: B64.encode(nonce),
                ciphertext: B64.encode(in_out),
            },
        })
    }

    /// Unwraps the data key. Wrong passphrase and tampering look the same, on purpose.
    pub fn unwrap(&self, passphrase: &Passphrase) -> Result<DataKey, CryptoError> {
        self.check_shape()?;
        let salt = decode(&self.kdf.salt)?;
        let nonce: [u8; 12] = decode(&self.wrap.nonce)?
            .try_into()
            .map_err(|_| CryptoError::MalformedKeyfile("nonce length".into()))?;
        let mut in_out = Zeroizing::new(decode(&self.wrap.ciphertext)?);
        let wrapping_key = self.params().derive(passphrase, &salt)?;
        let opening = aead_key(&wrapping_key)?;
        let plain = opening
            .open_in_place(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(associated_data(&self.kdf)),
                in_out.as_mut_slice(),
            )
            .map_err(|_| CryptoError::WrongPassphraseOrDamagedKeyfile)?;
        DataKey::from_bytes(plain).ok_or(CryptoError::WrongPassphraseOrDamagedKeyfile)
    }

    /// A new keyfile for the same data key under a new passphrase (and possibly new parameters).
    pub fn rewrap(
        &self,
        old: &Passphrase,
        new: &Passphrase,
        params: KdfParams,
    ) -> Result<Self, CryptoError> {
        let key = self.unwrap(old)?;
        Self::wrap(&key, new, params)
    }

    /// The KDF parameters this keyfile was made with.
    #[must_use]
    pub fn params(&self) -> KdfParams {
        KdfParams {
            memory_kib: self.kdf.memory_kib,
            iterations: self.kdf.iterations,
            parallelism: self.kdf.parallelism,
        }
    }

    /// Serialises the keyfile.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Parses a keyfile, refusing oversized or unknown formats before unwrapping anything.
    pub fn from_json(bytes: &[u8]) -> Result<Self, CryptoError> {
        if bytes.len() > MAX_KEYFILE_BYTES {
            return Err(CryptoError::MalformedKeyfile("too large".into()));
        }
        let keyfile: Self = serde_json::from_slice(bytes).map_err(|e| {
            CryptoError::MalformedKeyfile(format!("not a keyfile ({})", e.classify_name()))
        })?;
        keyfile.check_shape()?;
        Ok(keyfile)
    }

    fn check_shape(&self) -> Result<(), CryptoError> {
        if self.format != FORMAT || self.version != VERSION {
            return Err(CryptoError::MalformedKeyfile(
                "unsupported format or version".into(),
            ));
        }
        if self.kdf.algorithm != "argon2id"
            || self.kdf.argon2_version != 19
            || self.wrap.algorithm != "aes-256-gcm"
        {
            return Err(CryptoError::MalformedKeyfile(
                "unsupported algorithm".into(),
            ));
        }
        Ok(())
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected field or value",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

fn aead_key(bytes: &[u8; 32]) -> Result<aead::LessSafeKey, CryptoError> {
    aead::UnboundKey::new(&aead::AES_256_GCM, bytes)
        .map(aead::LessSafeKey::new)
        .map_err(|_| CryptoError::InvalidKdfParams)
}

fn associated_data(kdf: &KdfSection) -> Vec<u8> {
    format!(
        "{FORMAT}/v{VERSION}|{}|{}|{}|{}|{}|{}",
        kdf.algorithm,
        kdf.argon2_version,
        kdf.memory_kib,
        kdf.iterations,
        kdf.parallelism,
        kdf.salt
    )
    .into_bytes()
}

fn decode(text: &str) -> Result<Vec<u8>, CryptoError> {
    B64.decode(text)
        .map_err(|_| CryptoError::MalformedKeyfile("bad base64".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(text: &str) -> Passphrase {
        Passphrase::new(text.to_owned())
    }

    const FAST: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS_ONLY;

    #[test]
    fn right_passphrase_unwraps_the_same_key() {
        let key = DataKey::generate().unwrap();
        let file = Keyfile::wrap(&key, &pass("correct horse battery staple"), FAST).unwrap();
        let parsed = Keyfile::from_json(&file.to_json()).unwrap();
        assert_eq!(
            parsed
                .unwrap(&pass("correct horse battery staple"))
                .unwrap(),
            key
        );
    }

    #[test]
    fn wrong_passphrase_fails_closed() {
        let key = DataKey::generate().unwrap();
        let file = Keyfile::wrap(&key, &pass("correct horse battery staple"), FAST).unwrap();
        assert!(matches!(
            file.unwrap(&pass("correct horse battery stapler")),
            Err(CryptoError::WrongPassphraseOrDamagedKeyfile)
        ));
    }

    #[test]
    fn weakened_kdf_parameters_make_the_keyfile_fail() {
        let key = DataKey::generate().unwrap();
        let mut file = Keyfile::wrap(
            &key,
            &pass("pw pw pw pw pw pw"),
            KdfParams {
                memory_kib: 512,
                ..FAST
            },
        )
        .unwrap();
        file.kdf.memory_kib = 256;
        assert!(file.unwrap(&pass("pw pw pw pw pw pw")).is_err());
    }

    #[test]
    fn passphrase_change_keeps_the_data_key() {
        let key = DataKey::generate().unwrap();
        let file = Keyfile::wrap(&key, &pass("first passphrase here"), FAST).unwrap();
        let new = file
            .rewrap(
                &pass("first passphrase here"),
                &pass("second passphrase here"),
                FAST,
            )
            .unwrap();
        assert_eq!(new.unwrap(&pass("second passphrase here")).unwrap(), key);
        assert!(new.unwrap(&pass("first passphrase here")).is_err());
    }

    #[test]
    fn production_parameters_are_above_the_owasp_floor() {
        assert!(!KdfParams::PRODUCTION.is_below_owasp_floor());
        assert!(!KdfParams::OWASP_FLOOR.is_below_owasp_floor());
        assert!(KdfParams::INSECURE_FAST_FOR_TESTS_ONLY.is_below_owasp_floor());
    }

    #[test]
    fn every_single_byte_flip_in_a_keyfile_is_refused() {
        let key = DataKey::generate().unwrap();
        let bytes = Keyfile::wrap(&key, &pass("a long enough passphrase"), FAST)
            .unwrap()
            .to_json();
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x01;
            let opened = Keyfile::from_json(&damaged)
                .and_then(|f| f.unwrap(&pass("a long enough passphrase")));
            // Flipping whitespace or the case of a base64 padding-free letter may still parse; it
            // must then never yield a *different* key.
            if let Ok(other) = opened {
                assert_eq!(other, key, "byte {i} changed the key");
            }
        }
    }
}

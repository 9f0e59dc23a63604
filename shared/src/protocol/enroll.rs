//! Enrolment: the one-time code an office prints, and the request/response that registers a
//! device's public key with a node.
//!
//! The code carries the node URL, the SHA-256 fingerprint of the node's certificate (the device
//! pins it: no public CA is involved), a one-time secret, and the role and scope it grants (for
//! the device to show; the node's copy is authoritative). Text form: `OKE1-` + base64url.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::codec::{Reader, Writer};
use super::{DecodeError, Extensions, Versioned, check_version};
use crate::ids::{CommunityCode, DeviceId};

const CODE_PREFIX: &str = "OKE1-";
const MAX_URL_BYTES: usize = 2048;
const MAX_COMMUNITIES: usize = 1024;
const MAX_TEXT_BYTES: usize = 256;

/// What a device may do on a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A field agent: records of its communities only.
    Agent,
    /// A regional office: records of its region.
    Office,
}

impl Role {
    fn to_byte(self) -> u8 {
        match self {
            Self::Agent => 1,
            Self::Office => 2,
        }
    }
    fn from_byte(byte: u8) -> Result<Self, DecodeError> {
        match byte {
            1 => Ok(Self::Agent),
            2 => Ok(Self::Office),
            _ => Err(DecodeError::Malformed("role")),
        }
    }
    /// `agent` or `office`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Office => "office",
        }
    }

    /// The role named by [`Role::as_str`]'s text.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "agent" => Some(Self::Agent),
            "office" => Some(Self::Office),
            _ => None,
        }
    }
}

/// The scope entry that stands for every community of the node (office devices only).
pub const EVERY_COMMUNITY: &str = "*";

/// The communities whose records a device may receive and send. `*` in an office scope means
/// every community of the node.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Scope {
    /// Community codes, or `*`.
    pub communities: Vec<CommunityCode>,
}

impl Scope {
    /// Whether records of `community` are in scope.
    #[must_use]
    pub fn includes(&self, community: &CommunityCode) -> bool {
        self.communities
            .iter()
            .any(|c| c == community || c.as_str() == EVERY_COMMUNITY)
    }

    /// The text form stores keep (one community code a line); [`Scope::from_text`] reads it.
    #[must_use]
    pub fn to_text(&self) -> String {
        self.communities
            .iter()
            .map(CommunityCode::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads [`Scope::to_text`]'s form (empty lines are skipped).
    #[must_use]
    pub fn from_text(text: &str) -> Self {
        Self {
            communities: text
                .lines()
                .filter(|l| !l.is_empty())
                .map(CommunityCode::new)
                .collect(),
        }
    }

    /// Whether the scope names every community (`*`).
    #[must_use]
    pub fn is_everything(&self) -> bool {
        self.communities
            .iter()
            .any(|c| c.as_str() == EVERY_COMMUNITY)
    }

    fn write(&self, w: &mut Writer) {
        w.u64(self.communities.len() as u64);
        for c in &self.communities {
            w.bytes(c.as_str().as_bytes());
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let count = r.count(1, MAX_COMMUNITIES)?;
        let mut communities = Vec::with_capacity(count);
        for _ in 0..count {
            communities.push(CommunityCode::new(text(r)?));
        }
        Ok(Self { communities })
    }
}

fn text(r: &mut Reader<'_>) -> Result<String, DecodeError> {
    String::from_utf8(r.bytes(MAX_TEXT_BYTES)?.to_vec())
        .map_err(|_| DecodeError::Malformed("text is not UTF-8"))
}

/// The one-time enrolment code.
#[derive(Clone, PartialEq, Eq)]
pub struct EnrollmentCode {
    /// Where the node listens, e.g. `https://10.0.0.2:8443`.
    pub url: String,
    /// SHA-256 of the node's certificate (DER).
    pub fingerprint: [u8; 32],
    /// The one-time secret.
    pub secret: [u8; 16],
    /// The role granted.
    pub role: Role,
    /// The scope granted.
    pub scope: Scope,
}

impl std::fmt::Debug for EnrollmentCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrollmentCode")
            .field("url", &self.url)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl EnrollmentCode {
    /// The text an office hands to an agent.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut w = Writer::default();
        w.bytes(self.url.as_bytes());
        w.fixed(&self.fingerprint);
        w.fixed(&self.secret);
        w.u8(self.role.to_byte());
        self.scope.write(&mut w);
        format!("{CODE_PREFIX}{}", URL_SAFE_NO_PAD.encode(&w.bytes))
    }

    /// Parses the text form (whitespace around it is ignored).
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        let body = text
            .trim()
            .strip_prefix(CODE_PREFIX)
            .ok_or(DecodeError::BadMagic)?;
        if body.len() > 16 * 1024 {
            return Err(DecodeError::TooLarge);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| DecodeError::Malformed("not base64url"))?;
        let mut r = Reader::new(&bytes);
        let url = String::from_utf8(r.bytes(MAX_URL_BYTES)?.to_vec())
            .map_err(|_| DecodeError::Malformed("url"))?;
        let code = Self {
            url,
            fingerprint: r.fixed()?,
            secret: r.fixed()?,
            role: Role::from_byte(r.u8()?)?,
            scope: Scope::read(&mut r)?,
        };
        r.finish()?;
        Ok(code)
    }
}

/// A device asks to be registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrollRequest {
    /// The one-time secret from the code.
    pub secret: [u8; 16],
    /// The device's id.
    pub device: DeviceId,
    /// Its Ed25519 public key.
    pub public_key: [u8; 32],
}

impl EnrollRequest {
    /// Encodes the body.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.fixed(b"OKE");
        w.u8(super::PROTOCOL_VERSION);
        w.fixed(&self.secret);
        w.fixed(self.device.0.as_bytes());
        w.fixed(&self.public_key);
        Extensions::default().write_for(super::PROTOCOL_VERSION, &mut w);
        w.bytes
    }

    /// Decodes the body.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        Self::decode_versioned(body).map(|v| v.message)
    }

    /// Decodes the body with its version (the response is written in the same one).
    pub fn decode_versioned(body: &[u8]) -> Result<Versioned<Self>, DecodeError> {
        let mut r = Reader::new(body);
        if &r.fixed::<3>()? != b"OKE" {
            return Err(DecodeError::BadMagic);
        }
        let version = check_version(r.u8()?)?;
        let request = Self {
            secret: r.fixed()?,
            device: DeviceId(uuid::Uuid::from_bytes(r.fixed()?)),
            public_key: r.fixed()?,
        };
        let extensions = Extensions::read_for(version, &mut r)?;
        r.finish()?;
        Ok(Versioned {
            message: request,
            version,
            extensions,
        })
    }
}

/// The node registered the device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrollResponse {
    /// The node's id.
    pub node: DeviceId,
    /// The role granted.
    pub role: Role,
    /// The scope granted.
    pub scope: Scope,
    /// The office recovery recipient (`age1…`) to seal the data key to; empty if none is set.
    pub recovery_recipient: String,
    /// The node keeps devices' audit trails, so the device's first upload may carry its entries
    /// beside its changes (without this the first sync's answer says it, and the entries take
    /// one more round trip). Carried as [`super::AUDIT_ANCHOR_TAG`] with no anchor; older
    /// devices skip it.
    pub keeps_audit_trails: bool,
    /// SHA-256 of the node's TLS public key (its DER `SubjectPublicKeyInfo`), carried as
    /// [`NODE_KEY_TAG`]. A device that has it pins the key and asks for a raw public key
    /// (RFC 7250) instead of the certificate, which takes ~ 300 bytes off every handshake; the
    /// answer is trusted because it came over the connection pinned to the certificate. Older
    /// devices skip it and keep pinning the certificate.
    pub node_key: Option<[u8; 32]>,
    /// The compression dictionaries the node reads ([`super::dictionary`]), carried as
    /// [`super::dictionary::DICTIONARIES_TAG`]: the device's uploads may use one from its first
    /// sync. Empty from an older node.
    pub dictionaries: Vec<u32>,
}

/// Extension tag of the node's public-key hash: in an enrolment answer
/// ([`EnrollResponse::node_key`]); in a sync request, empty, a certificate-pinned device asking
/// for it; in that request's answer, the 32 bytes.
pub const NODE_KEY_TAG: u64 = 3;

/// The node's public-key hash from its extension bytes.
pub fn decode_node_key(bytes: &[u8]) -> Result<[u8; 32], DecodeError> {
    <[u8; 32]>::try_from(bytes).map_err(|_| DecodeError::Malformed("node key pin"))
}

impl EnrollResponse {
    /// Encodes the body in this build's version.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        self.encode_as(super::PROTOCOL_VERSION)
    }

    /// Encodes the body in `version` (the request's).
    #[must_use]
    pub fn encode_as(&self, version: u8) -> Vec<u8> {
        let mut w = Writer::default();
        w.fixed(b"OKF");
        w.u8(version);
        w.fixed(self.node.0.as_bytes());
        w.u8(self.role.to_byte());
        self.scope.write(&mut w);
        w.bytes(self.recovery_recipient.as_bytes());
        let mut extensions = Extensions::default();
        if self.keeps_audit_trails {
            extensions
                .0
                .push((super::AUDIT_ANCHOR_TAG, super::encode_anchor(None)));
        }
        if let Some(key) = self.node_key {
            extensions.0.push((NODE_KEY_TAG, key.to_vec()));
        }
        if !self.dictionaries.is_empty() {
            extensions.0.push((
                super::dictionary::DICTIONARIES_TAG,
                super::dictionary::encode_ids(&self.dictionaries),
            ));
        }
        extensions.write_for(version, &mut w);
        w.bytes
    }

    /// Decodes the body.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        if &r.fixed::<3>()? != b"OKF" {
            return Err(DecodeError::BadMagic);
        }
        let version = check_version(r.u8()?)?;
        let response = Self {
            node: DeviceId(uuid::Uuid::from_bytes(r.fixed()?)),
            role: Role::from_byte(r.u8()?)?,
            scope: Scope::read(&mut r)?,
            recovery_recipient: text(&mut r)?,
            keeps_audit_trails: false,
            node_key: None,
            dictionaries: Vec::new(),
        };
        let extensions = Extensions::read_for(version, &mut r)?;
        r.finish()?;
        let node_key = extensions
            .get(NODE_KEY_TAG)
            .map(decode_node_key)
            .transpose()?;
        let dictionaries = extensions
            .get(super::dictionary::DICTIONARIES_TAG)
            .map(super::dictionary::decode_ids)
            .transpose()?
            .unwrap_or_default();
        Ok(Self {
            keeps_audit_trails: extensions.get(super::AUDIT_ANCHOR_TAG).is_some(),
            node_key,
            dictionaries,
            ..response
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrollment_code_round_trips_through_text() {
        let code = EnrollmentCode {
            url: "https://127.0.0.1:8443".into(),
            fingerprint: [7; 32],
            secret: [9; 16],
            role: Role::Agent,
            scope: Scope {
                communities: vec![CommunityCode::new("nu.pangnirtung")],
            },
        };
        let text = code.to_text();
        assert!(text.starts_with("OKE1-"));
        assert_eq!(EnrollmentCode::parse(&format!("  {text}\n")).unwrap(), code);
        assert!(EnrollmentCode::parse(&text[..text.len() - 3]).is_err());
        assert!(EnrollmentCode::parse("OKE1-!!!").is_err());
    }

    #[test]
    fn enroll_messages_round_trip() {
        let request = EnrollRequest {
            secret: [1; 16],
            device: DeviceId::random(),
            public_key: [2; 32],
        };
        assert_eq!(EnrollRequest::decode(&request.encode()).unwrap(), request);
        let response = EnrollResponse {
            node: DeviceId::random(),
            role: Role::Office,
            scope: Scope {
                communities: vec![CommunityCode::new("*")],
            },
            recovery_recipient: "age1xyz".into(),
            keeps_audit_trails: true,
            node_key: Some([5; 32]),
            dictionaries: vec![crate::protocol::dictionary::CHANGES_V1, 9],
        };
        assert_eq!(
            EnrollResponse::decode(&response.encode()).unwrap(),
            response
        );
        let older_node = EnrollResponse {
            keeps_audit_trails: false,
            node_key: None,
            dictionaries: Vec::new(),
            ..response.clone()
        };
        assert_eq!(
            EnrollResponse::decode(&older_node.encode()).unwrap(),
            older_node
        );
        assert!(response.scope.includes(&CommunityCode::new("nu.arviat")));
    }

    #[test]
    fn a_node_key_pin_of_the_wrong_length_is_refused() {
        let mut response = EnrollResponse {
            node: DeviceId::random(),
            role: Role::Agent,
            scope: Scope {
                communities: vec![CommunityCode::new("nu.iqaluit")],
            },
            recovery_recipient: String::new(),
            keeps_audit_trails: false,
            node_key: None,
            dictionaries: Vec::new(),
        }
        .encode();
        // One extension (tag 3) of 31 bytes where 32 belong.
        let sections = response.len() - 1;
        response.truncate(sections);
        response.extend_from_slice(&[1, 3, 31]);
        response.extend_from_slice(&[0; 31]);
        assert!(matches!(
            EnrollResponse::decode(&response),
            Err(DecodeError::Malformed("node key pin"))
        ));
    }
}

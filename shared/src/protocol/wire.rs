//! The HTTP side of the contract: paths, header names, the reason codes a node answers with,
//! and the response size limits. Both sides use these constants; nothing else spells them.

/// API paths.
pub mod path {
    /// Liveness and readiness (200 `ok` only when the node can serve).
    pub const HEALTHZ: &str = "/healthz";
    /// Prometheus counters.
    pub const METRICS: &str = "/metrics";
    /// Enrolment.
    pub const ENROLL: &str = "/api/v1/enroll";
    /// Sync.
    pub const SYNC: &str = "/api/v1/sync";
    /// An office's export to a partner (dry run or sealed file).
    pub const OFFICE_EXPORT: &str = "/api/v1/office/export";
    /// An office's look into the node's registers: disclosures, and one client's accesses.
    pub const OFFICE_REGISTER: &str = "/api/v1/office/register";
}

/// Header names (lowercase, as HTTP/2 and axum see them).
pub mod header {
    /// The device id.
    pub const DEVICE: &str = "x-outreach-device";
    /// The request counter.
    pub const COUNTER: &str = "x-outreach-counter";
    /// The device's clock, ms since the epoch.
    pub const TIME: &str = "x-outreach-time";
    /// Base64 Ed25519 signature.
    pub const SIGNATURE: &str = "x-outreach-signature";
    /// The four above in one compact value ([`super::CompactAuth`]), read by nodes that give
    /// their public-key hash (the same protocol revision); ~ 90 bytes fewer a request.
    pub const AUTH: &str = "x-outreach-auth";
    /// A refusal's [`super::Reason`].
    pub const ERROR: &str = "x-outreach-error";
    /// The node's clock, ms since the epoch, with a `clock-skew` refusal.
    pub const SERVER_TIME: &str = "x-outreach-server-time";
}

/// The largest sync response body a device reads.
pub const MAX_SYNC_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest enrolment request a node reads.
pub const MAX_ENROLL_REQUEST_BYTES: usize = 1024;
/// The largest enrolment response a device reads.
pub const MAX_ENROLL_RESPONSE_BYTES: u64 = 64 * 1024;

/// Why a node refused a request: sent in [`header::ERROR`], with the status [`Reason::status`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// 400: not a valid message, or the body was cut.
    BadRequest,
    /// 401: signature headers missing or malformed.
    Unsigned,
    /// 401: the device is not enrolled.
    UnknownDevice,
    /// 401: the signature does not verify.
    BadSignature,
    /// 401: the device clock is off; [`header::SERVER_TIME`] carries the node's.
    ClockSkew,
    /// 403: the device is revoked.
    Revoked,
    /// 403: the enrolment secret is unknown, spent or expired.
    EnrollmentRefused,
    /// 403: only an office device may ask this.
    OfficeOnly,
    /// 409: the same request again.
    Replay,
    /// 409: another request with a counter already used (a copied profile).
    CounterFork,
    /// 413: over a size limit.
    TooLarge,
    /// 500: the node failed.
    Internal,
    /// 503: the node cannot serve (its store is unavailable).
    Unavailable,
}

impl Reason {
    /// Every reason, for tests and documentation.
    pub const ALL: [Self; 13] = [
        Self::BadRequest,
        Self::Unsigned,
        Self::UnknownDevice,
        Self::BadSignature,
        Self::ClockSkew,
        Self::Revoked,
        Self::EnrollmentRefused,
        Self::OfficeOnly,
        Self::Replay,
        Self::CounterFork,
        Self::TooLarge,
        Self::Internal,
        Self::Unavailable,
    ];

    /// The code on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "bad-request",
            Self::Unsigned => "unsigned",
            Self::UnknownDevice => "unknown-device",
            Self::BadSignature => "bad-signature",
            Self::ClockSkew => "clock-skew",
            Self::Revoked => "revoked",
            Self::EnrollmentRefused => "enrollment-refused",
            Self::OfficeOnly => "office-only",
            Self::Replay => "replay",
            Self::CounterFork => "counter-fork",
            Self::TooLarge => "too-large",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
        }
    }

    /// The reason a code names (`None` for a code this build does not know: a newer node's).
    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// The HTTP status it comes with.
    #[must_use]
    pub fn status(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::Unsigned | Self::UnknownDevice | Self::BadSignature | Self::ClockSkew => 401,
            Self::Revoked | Self::EnrollmentRefused | Self::OfficeOnly => 403,
            Self::Replay | Self::CounterFork => 409,
            Self::TooLarge => 413,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_from_its_code() {
        for reason in Reason::ALL {
            assert_eq!(Reason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(Reason::parse("from-a-newer-node"), None);
    }
}

/// The longest [`header::AUTH`] value a node reads (a real one is 119 characters).
pub const MAX_AUTH_HEADER_CHARS: usize = 160;

/// The signature values of a request in one header: base64url (no padding) of
/// `device[16] · varint counter · svarint time_ms · signature[64]`. Same meaning, same checks as
/// the four separate headers; only the spelling is shorter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompactAuth {
    /// The signing device.
    pub device: crate::ids::DeviceId,
    /// The request counter.
    pub counter: u64,
    /// The device's clock, ms since the epoch.
    pub time_ms: i64,
    /// The Ed25519 signature.
    pub signature: [u8; 64],
}

impl CompactAuth {
    /// The header value.
    #[must_use]
    pub fn to_header_value(&self) -> String {
        use base64::Engine as _;
        let mut w = super::codec::Writer::default();
        w.fixed(self.device.0.as_bytes());
        w.u64(self.counter);
        w.i64(self.time_ms);
        w.fixed(&self.signature);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&w.bytes)
    }

    /// Parses a header value; any other length, encoding or trailing byte is an error.
    pub fn parse(text: &str) -> Result<Self, super::DecodeError> {
        use base64::Engine as _;
        if text.len() > MAX_AUTH_HEADER_CHARS {
            return Err(super::DecodeError::TooLarge);
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| super::DecodeError::Malformed("auth header is not base64url"))?;
        let mut r = super::codec::Reader::new(&bytes);
        let auth = Self {
            device: crate::ids::DeviceId(uuid::Uuid::from_bytes(r.fixed()?)),
            counter: r.u64()?,
            time_ms: r.i64()?,
            signature: r.fixed()?,
        };
        r.finish()?;
        Ok(auth)
    }
}

#[cfg(test)]
mod compact_auth_tests {
    use super::*;

    fn auth() -> CompactAuth {
        CompactAuth {
            device: crate::ids::DeviceId::random(),
            counter: 1_234,
            time_ms: 1_765_000_000_000,
            signature: [9; 64],
        }
    }

    #[test]
    fn a_compact_auth_header_round_trips_and_is_shorter_than_the_four() {
        let auth = auth();
        let value = auth.to_header_value();
        assert_eq!(CompactAuth::parse(&value).unwrap(), auth);
        assert!(value.len() <= 120, "{} characters", value.len());
    }

    #[test]
    fn every_cut_or_padded_compact_auth_header_is_an_error() {
        let value = auth().to_header_value();
        for cut in 0..value.len() {
            assert!(CompactAuth::parse(&value[..cut]).is_err(), "cut at {cut}");
        }
        assert!(CompactAuth::parse(&format!("{value}AA")).is_err());
        assert!(CompactAuth::parse(&"A".repeat(MAX_AUTH_HEADER_CHARS + 1)).is_err());
        assert!(CompactAuth::parse("not base64!").is_err());
    }
}

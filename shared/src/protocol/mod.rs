//! The sync protocol, v1 (decisions D3): the only types that cross the wire between a device and
//! a node (and between a hub and its upstream node).
//!
//! One request carries the device's outbox as an *upload* (a zstd-compressed batch of raw
//! Automerge changes across documents, identified by the SHA-256 of its bytes) and its cursor
//! into the node's change log; the response acknowledges the upload and carries the changes after
//! the cursor, paged. A no-change sync is one small round trip whatever the number of records.
//!
//! **Resuming.** The upload's bytes are the tail of the request body, so a request cut at any
//! byte delivers a prefix of them; the node persists what arrived. The device asks where to
//! resume (`UploadPart::probe`) and sends only the rest. The node applies the upload only when
//! the assembled bytes hash to the upload id, so nothing is applied twice or from a torn body.
//!
//! Wire layout of a request body (everything before the upload bytes is the *head*):
//! `"OKS" · version[1] · device[16] · cursor · max_response_bytes · has_upload[1] ·
//!  (upload_id[32] · total_len · offset)? · extensions (v2+) · upload bytes…` (numbers are LEB128
//! varints). `docs/PROTOCOL.md` has every message's layout.
//!
//! **Versions.** A build speaks [`PROTOCOL_VERSION`] and accepts every version from
//! [`MIN_PROTOCOL_VERSION`]; a node answers in the version the request used, so laptops and hubs
//! that update weeks apart keep syncing. From version 2 every message ends its fixed fields with
//! an [`Extensions`] section: new optional information goes there, under a new tag, without a
//! version bump, and decoders skip the tags they do not know. A version bump is only for a change
//! an older decoder cannot skip.

pub mod audit_run;
mod codec;
pub mod dictionary;
pub mod enroll;
pub mod office;
mod refusal;
pub mod wire;

pub use audit_run::{AUDIT_ANCHOR_TAG, AuditRun, decode_anchor, encode_anchor};
pub use enroll::{NODE_KEY_TAG, decode_node_key};
pub use refusal::{REFUSALS_TAG, Refusal, RefusalReason, decode_refusals, encode_refusals};

use codec::{Reader, Writer};

use crate::ids::{ClientId, DeviceId};
use crate::time::Timestamp;

/// The protocol version this build speaks (and writes).
pub const PROTOCOL_VERSION: u8 = 3;
/// The oldest protocol version this build still reads and answers.
pub const MIN_PROTOCOL_VERSION: u8 = 1;
/// The first version whose messages carry an extension section.
const EXTENSIONS_SINCE: u8 = 2;
/// The first version whose request signature covers the head only (the upload bytes are bound
/// by the upload id the head carries), so a node checks it before it reads, buffers or keeps
/// anything beyond the head. Earlier versions sign the whole body.
pub const HEAD_SIGNED_SINCE: u8 = 3;
const REQUEST_MAGIC: &[u8; 3] = b"OKS";
const RESPONSE_MAGIC: &[u8; 3] = b"OKR";
/// The largest request body a node reads.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;
/// The largest upload (compressed batch) accepted.
pub const MAX_UPLOAD_BYTES: u32 = 16 * 1024 * 1024;
/// The largest decompressed batch accepted.
pub const MAX_BATCH_BYTES: usize = 128 * 1024 * 1024;
/// The largest single Automerge change accepted.
pub const MAX_CHANGE_BYTES: usize = 4 * 1024 * 1024;
/// The most changes in one batch.
pub const MAX_CHANGES_PER_BATCH: usize = 200_000;
/// Upload offset meaning "only tell me how much of this upload you hold".
pub const RESUME_PROBE: u32 = u32::MAX;
/// The most extensions one message carries.
pub const MAX_EXTENSIONS: usize = 32;
/// The most bytes one message's extensions take.
pub const MAX_EXTENSION_BYTES: usize = 4096;
/// The longest head a request without extensions can have (magic, ids, varints, an empty
/// extension section).
pub const MAX_HEAD_BYTES: usize = 4 + 16 + 10 + 5 + 1 + 32 + 5 + 5 + 1;
/// The longest head any request can have: [`MAX_HEAD_BYTES`] with the fullest extension section
/// (a count, and per entry a tag and a length, around [`MAX_EXTENSION_BYTES`]). A node reads at
/// most this much of a body before it has a head whose signature it can check.
pub const MAX_HEAD_WITH_EXTENSIONS_BYTES: usize =
    MAX_HEAD_BYTES + 10 + MAX_EXTENSIONS * (10 + 10) + MAX_EXTENSION_BYTES;

/// Why bytes were not a valid message. Never quotes the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Input ended early.
    #[error("message is truncated")]
    Truncated,
    /// A length or count exceeds its limit.
    #[error("message exceeds a size limit")]
    TooLarge,
    /// Not a message of this protocol.
    #[error("not an Outreach Kit sync message")]
    BadMagic,
    /// Another protocol version.
    #[error(
        "protocol version {0} is not supported (this build reads {MIN_PROTOCOL_VERSION} to {PROTOCOL_VERSION})"
    )]
    UnsupportedVersion(u8),
    /// Structurally wrong.
    #[error("malformed message: {0}")]
    Malformed(&'static str),
    /// Compressed data did not decompress.
    #[error("compressed data is corrupt")]
    Compression,
}

/// Optional fields a newer build added: `(tag, bytes)` pairs. A decoder acts on the tags it knows
/// and skips the rest; the layout is `count · (tag · length · bytes)*`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extensions(pub Vec<(u64, Vec<u8>)>);

impl Extensions {
    /// The bytes under `tag`, if present.
    #[must_use]
    pub fn get(&self, tag: u64) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, b)| b.as_slice())
    }

    fn write(&self, w: &mut Writer) {
        w.u64(self.0.len() as u64);
        for (tag, bytes) in &self.0 {
            w.u64(*tag);
            w.bytes(bytes);
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let count = r.count(2, MAX_EXTENSIONS)?;
        let mut total = 0usize;
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            let tag = r.u64()?;
            let bytes = r.bytes(MAX_EXTENSION_BYTES)?;
            total += bytes.len();
            if total > MAX_EXTENSION_BYTES {
                return Err(DecodeError::TooLarge);
            }
            items.push((tag, bytes.to_vec()));
        }
        Ok(Self(items))
    }

    /// Writes the section if `version` has one (and nothing for older versions).
    fn write_for(&self, version: u8, w: &mut Writer) {
        if version >= EXTENSIONS_SINCE {
            self.write(w);
        }
    }

    /// Reads the section if `version` has one.
    fn read_for(version: u8, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        if version >= EXTENSIONS_SINCE {
            Self::read(r)
        } else {
            Ok(Self::default())
        }
    }
}

/// A decoded message with what its envelope said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Versioned<T> {
    /// The message.
    pub message: T,
    /// The version it was written in (answer in the same one).
    pub version: u8,
    /// Its extensions (unknown tags included, for a hub to relay or a log to count).
    pub extensions: Extensions,
}

/// Checks a version byte against the range this build reads.
pub(crate) fn check_version(version: u8) -> Result<u8, DecodeError> {
    if (MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&version) {
        Ok(version)
    } else {
        Err(DecodeError::UnsupportedVersion(version))
    }
}

/// The first part of a sync request, before the upload bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestHead {
    /// The device (must match the signed header).
    pub device: DeviceId,
    /// The last node log sequence number the device has applied.
    pub cursor: u64,
    /// How many bytes of changes the device wants at most in the response.
    pub max_response_bytes: u32,
    /// The upload this request carries part of, if any.
    pub upload: Option<UploadHead>,
}

/// Which upload, how long, and where this request's bytes start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadHead {
    /// SHA-256 of the whole upload.
    pub upload_id: [u8; 32],
    /// Its length in bytes.
    pub total_len: u32,
    /// Where the bytes in this request start ([`RESUME_PROBE`]: none, just report progress).
    pub offset: u32,
}

impl RequestHead {
    /// Encodes the head in this build's version, without extensions; the upload bytes follow it
    /// in the body.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        self.encode_as(PROTOCOL_VERSION, &Extensions::default())
    }

    /// Encodes the head in `version` (any this build reads) with `extensions` (dropped for a
    /// version that has no extension section).
    #[must_use]
    pub fn encode_as(&self, version: u8, extensions: &Extensions) -> Vec<u8> {
        let mut w = Writer::default();
        w.fixed(REQUEST_MAGIC);
        w.u8(version);
        w.fixed(self.device.0.as_bytes());
        w.u64(self.cursor);
        w.u64(u64::from(self.max_response_bytes));
        match &self.upload {
            None => w.u8(0),
            Some(upload) => {
                w.u8(1);
                w.fixed(&upload.upload_id);
                w.u64(u64::from(upload.total_len));
                w.u64(u64::from(upload.offset));
            }
        }
        extensions.write_for(version, &mut w);
        w.bytes
    }

    /// How many upload bytes follow this head in its request: none for no upload or a probe,
    /// the rest of the upload from its offset otherwise (a node reads no more than this).
    #[must_use]
    pub fn announced_upload_bytes(&self) -> usize {
        self.upload.map_or(0, |upload| {
            if upload.offset == RESUME_PROBE {
                0
            } else {
                upload.total_len.saturating_sub(upload.offset) as usize
            }
        })
    }

    /// Decodes a head from the start of `body`; returns it and how many bytes it took.
    pub fn decode(body: &[u8]) -> Result<(Self, usize), DecodeError> {
        Self::decode_versioned(body).map(|(v, len)| (v.message, len))
    }

    /// Decodes a head with its version and extensions; returns it and how many bytes it took.
    pub fn decode_versioned(body: &[u8]) -> Result<(Versioned<Self>, usize), DecodeError> {
        let mut r = Reader::new(body);
        if &r.fixed::<3>()? != REQUEST_MAGIC {
            return Err(DecodeError::BadMagic);
        }
        let version = check_version(r.u8()?)?;
        let device = DeviceId(uuid::Uuid::from_bytes(r.fixed()?));
        let cursor = r.u64()?;
        let max_response_bytes = r.u32()?;
        let upload = match r.u8()? {
            0 => None,
            1 => {
                let upload_id = r.fixed()?;
                let total_len = r.u32()?;
                let offset = r.u32()?;
                if total_len > MAX_UPLOAD_BYTES {
                    return Err(DecodeError::TooLarge);
                }
                if offset != RESUME_PROBE && offset > total_len {
                    return Err(DecodeError::Malformed("upload offset beyond its length"));
                }
                Some(UploadHead {
                    upload_id,
                    total_len,
                    offset,
                })
            }
            _ => return Err(DecodeError::Malformed("upload flag")),
        };
        let extensions = Extensions::read_for(version, &mut r)?;
        Ok((
            Versioned {
                message: Self {
                    device,
                    cursor,
                    max_response_bytes,
                    upload,
                },
                version,
                extensions,
            },
            body.len() - r.remaining(),
        ))
    }
}

/// One change in an upload: which client document, at which epoch, and the raw change.
#[derive(Clone, PartialEq, Eq)]
pub struct BatchChange {
    /// The document.
    pub client: ClientId,
    /// The document's epoch the change was made against.
    pub epoch: u32,
    /// The raw Automerge change.
    pub change: Vec<u8>,
}

impl std::fmt::Debug for BatchChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "BatchChange({}, epoch {}, {} bytes)",
            self.client,
            self.epoch,
            self.change.len()
        )
    }
}

/// Why a batch could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("compressing a batch of changes failed: {0}")]
pub struct EncodeError(#[from] std::io::Error);

/// Encodes changes column by column (ids, epochs, lengths, then bytes) and compresses them
/// together; grouping like with like helps zstd across documents. With a `dictionary` (one the
/// reader said it reads, [`dictionary`]) a small batch is a fraction of its size.
pub fn encode_changes(
    changes: &[BatchChange],
    level: i32,
    dictionary: Option<u32>,
) -> Result<Vec<u8>, EncodeError> {
    encode_upload(changes, None, level, dictionary)
}

/// The upload section marker of an audit run, after the changes.
const AUDIT_SECTION: u8 = 1;

/// Encodes an upload: the changes as [`encode_changes`] does, then, when given, the device's
/// audit run (only for a node that announced [`AUDIT_ANCHOR_TAG`]: older nodes refuse bytes
/// after the changes).
pub fn encode_upload(
    changes: &[BatchChange],
    audit: Option<&AuditRun>,
    level: i32,
    dictionary: Option<u32>,
) -> Result<Vec<u8>, EncodeError> {
    let mut w = Writer::default();
    w.u64(changes.len() as u64);
    for c in changes {
        w.fixed(c.client.0.as_bytes());
    }
    for c in changes {
        w.u64(u64::from(c.epoch));
    }
    for c in changes {
        w.u64(c.change.len() as u64);
    }
    for c in changes {
        w.fixed(&c.change);
    }
    if let Some(run) = audit {
        w.u8(AUDIT_SECTION);
        w.bytes(&run.encode());
    }
    Ok(dictionary::compress(&w.bytes, level, dictionary)?)
}

/// A decoded upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// Its changes.
    pub changes: Vec<BatchChange>,
    /// The bytes of the audit run it carried, if any — decoded apart ([`AuditRun::decode`]),
    /// so an unreadable run costs the device its audit, never its changes.
    pub audit: Option<Vec<u8>>,
}

/// Decompresses and decodes what [`encode_changes`] produced, within the size limits.
pub fn decode_changes(compressed: &[u8]) -> Result<Vec<BatchChange>, DecodeError> {
    let upload = decode_upload(compressed)?;
    if upload.audit.is_some() {
        return Err(DecodeError::Malformed(
            "an audit run where only changes belong",
        ));
    }
    Ok(upload.changes)
}

/// Decompresses and decodes what [`encode_upload`] produced, within the size limits.
pub fn decode_upload(compressed: &[u8]) -> Result<Upload, DecodeError> {
    // The frame names its dictionary, if any: every batch written before stays readable.
    let plain = dictionary::decompress(compressed, MAX_BATCH_BYTES)?;
    if plain.len() > MAX_BATCH_BYTES {
        return Err(DecodeError::TooLarge);
    }
    let mut r = Reader::new(&plain);
    let count = r.count(16 + 1 + 1, MAX_CHANGES_PER_BATCH)?;
    let mut clients = Vec::with_capacity(count);
    for _ in 0..count {
        clients.push(ClientId(uuid::Uuid::from_bytes(r.fixed()?)));
    }
    let mut epochs = Vec::with_capacity(count);
    for _ in 0..count {
        epochs.push(r.u32()?);
    }
    let mut lengths = Vec::with_capacity(count);
    for _ in 0..count {
        let length = usize::try_from(r.u64()?).map_err(|_| DecodeError::TooLarge)?;
        if length > MAX_CHANGE_BYTES {
            return Err(DecodeError::TooLarge);
        }
        lengths.push(length);
    }
    let mut changes = Vec::with_capacity(count);
    for ((client, epoch), length) in clients.into_iter().zip(epochs).zip(lengths) {
        if length > r.remaining() {
            return Err(DecodeError::Truncated);
        }
        let bytes: Vec<u8> = (0..length).map(|_| r.u8()).collect::<Result<_, _>>()?;
        changes.push(BatchChange {
            client,
            epoch,
            change: bytes,
        });
    }
    let audit = if r.remaining() == 0 {
        None
    } else {
        if r.u8()? != AUDIT_SECTION {
            return Err(DecodeError::Malformed("unknown upload section"));
        }
        Some(r.bytes(audit_run::MAX_AUDIT_RUN_BYTES)?.to_vec())
    };
    r.finish()?;
    Ok(Upload { changes, audit })
}

/// What became of the upload a request carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadStatus {
    /// The request carried no upload.
    None,
    /// The node holds the first `received` bytes; send the rest.
    Partial {
        /// Which upload.
        upload_id: [u8; 32],
        /// Bytes held.
        received: u32,
    },
    /// Applied (now or earlier): the device may drop these changes from its outbox.
    Applied {
        /// Which upload.
        upload_id: [u8; 32],
        /// Changes newly stored.
        applied: u32,
        /// Changes the node already had.
        duplicates: u32,
        /// Changes refused (outside the device's scope, or against an old epoch).
        refused: u32,
    },
}

/// The node's answer to a sync request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncResponse {
    /// The node's clock (lets a device with a wrong clock correct its signatures' time).
    pub server_time: Timestamp,
    /// What became of the upload.
    pub upload: UploadStatus,
    /// Changes after the request's cursor in the device's scope, minus its own; compressed with
    /// [`encode_changes`] (empty when there are none).
    pub changes: Vec<u8>,
    /// The cursor to send next time.
    pub next_cursor: u64,
    /// More changes are waiting beyond this page.
    pub more: bool,
}

impl SyncResponse {
    /// Encodes the response body in this build's version, without extensions.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        self.encode_as(PROTOCOL_VERSION, &Extensions::default())
    }

    /// Encodes the response in `version` (the request's) with `extensions`.
    #[must_use]
    pub fn encode_as(&self, version: u8, extensions: &Extensions) -> Vec<u8> {
        let mut w = Writer::default();
        w.fixed(RESPONSE_MAGIC);
        w.u8(version);
        w.i64(self.server_time.0);
        match self.upload {
            UploadStatus::None => w.u8(0),
            UploadStatus::Partial {
                upload_id,
                received,
            } => {
                w.u8(1);
                w.fixed(&upload_id);
                w.u64(u64::from(received));
            }
            UploadStatus::Applied {
                upload_id,
                applied,
                duplicates,
                refused,
            } => {
                w.u8(2);
                w.fixed(&upload_id);
                w.u64(u64::from(applied));
                w.u64(u64::from(duplicates));
                w.u64(u64::from(refused));
            }
        }
        w.u64(self.next_cursor);
        w.u8(u8::from(self.more));
        w.bytes(&self.changes);
        extensions.write_for(version, &mut w);
        w.bytes
    }

    /// Decodes a response body.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        Self::decode_versioned(body).map(|v| v.message)
    }

    /// Decodes a response body with its version and extensions.
    pub fn decode_versioned(body: &[u8]) -> Result<Versioned<Self>, DecodeError> {
        if body.len() > MAX_REQUEST_BYTES * 2 {
            return Err(DecodeError::TooLarge);
        }
        let mut r = Reader::new(body);
        if &r.fixed::<3>()? != RESPONSE_MAGIC {
            return Err(DecodeError::BadMagic);
        }
        let version = check_version(r.u8()?)?;
        let server_time = Timestamp(r.i64()?);
        let upload = match r.u8()? {
            0 => UploadStatus::None,
            1 => UploadStatus::Partial {
                upload_id: r.fixed()?,
                received: r.u32()?,
            },
            2 => UploadStatus::Applied {
                upload_id: r.fixed()?,
                applied: r.u32()?,
                duplicates: r.u32()?,
                refused: r.u32()?,
            },
            _ => return Err(DecodeError::Malformed("upload status")),
        };
        let next_cursor = r.u64()?;
        let more = match r.u8()? {
            0 => false,
            1 => true,
            _ => return Err(DecodeError::Malformed("more flag")),
        };
        let changes = r.bytes(MAX_REQUEST_BYTES * 2)?.to_vec();
        let extensions = Extensions::read_for(version, &mut r)?;
        r.finish()?;
        Ok(Versioned {
            message: Self {
                server_time,
                upload,
                changes,
                next_cursor,
                more,
            },
            version,
            extensions,
        })
    }
}

/// The part of a sync request body its signature covers: the head, for a request written in
/// [`HEAD_SIGNED_SINCE`] or later; the whole body for older versions, or for bytes that do not
/// start with a head (a node refuses those either way).
#[must_use]
pub fn signed_part(body: &[u8]) -> &[u8] {
    match RequestHead::decode_versioned(body) {
        Ok((head, len)) if head.version >= HEAD_SIGNED_SINCE => &body[..len],
        _ => body,
    }
}

/// Whether a body that begins with `prefix` is signed over its head alone: known from its
/// fourth byte (the version), before the rest of the head has arrived.
#[must_use]
pub fn is_head_signed(prefix: &[u8]) -> bool {
    prefix.len() > REQUEST_MAGIC.len()
        && &prefix[..REQUEST_MAGIC.len()] == REQUEST_MAGIC
        && prefix[REQUEST_MAGIC.len()] >= HEAD_SIGNED_SINCE
}

/// SHA-256 of what a sync request's signature covers ([`signed_part`]).
#[must_use]
pub fn signed_digest(body: &[u8]) -> [u8; 32] {
    upload_id(signed_part(body))
}

/// SHA-256 of an upload: its id.
#[must_use]
pub fn upload_id(bytes: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut id = [0u8; 32];
    id.copy_from_slice(digest.as_ref());
    id
}

#[cfg(test)]
mod tests;

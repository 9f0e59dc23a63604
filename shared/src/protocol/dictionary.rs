//! zstd dictionaries for the protocol's compressed batches (uploads and pages). A batch of a
//! few changes is mostly structure — Automerge's column layout, the schema's keys, catalogue
//! codes — that zstd cannot learn from one small message; a dictionary both sides hold gives it
//! that context up front (on a satellite link the first upload of two new records and four edits
//! is ~ 1 kB smaller).
//!
//! A compressed batch says itself which dictionary it used (the zstd frame's dictionary id; 0 or
//! absent: none), so a reader needs no other signal and every batch written before stays
//! readable. A writer uses a dictionary only for a reader that said it reads it: a device says so
//! in every sync request ([`DICTIONARIES_TAG`]), a node in its enrolment answer and, when asked
//! ([`ASK_DICTIONARIES_TAG`]), in a sync response. A dictionary is never changed once shipped: a
//! better one is a new id, and readers keep every id they ever read.

use super::DecodeError;
use super::codec::{Reader, Writer};

/// The first dictionary: trained by `tests/src/bin/changes-dictionary.rs` on the shape of
/// intake changes (random letters for every name and text, codes from the built-in catalogue).
pub const CHANGES_V1: u32 = 1;
/// Every dictionary this build reads, oldest first.
pub const READABLE: &[u32] = &[CHANGES_V1];
/// Extension tag: the dictionaries the sender reads (`varint n · varint id × n`). In a sync
/// request: the node may compress the page with one; in an enrolment answer or a sync
/// response: the device may compress its uploads with one.
pub const DICTIONARIES_TAG: u64 = 4;
/// Request extension tag, empty: "say which dictionaries you read" (a device that does not
/// know yet; the node answers [`DICTIONARIES_TAG`]).
pub const ASK_DICTIONARIES_TAG: u64 = 5;
/// The most ids one list may name.
const MAX_IDS: usize = 16;

const CHANGES_V1_BYTES: &[u8] = include_bytes!("dictionaries/changes-v1.zdict");

/// The bytes of dictionary `id`, if this build has it.
#[must_use]
pub fn bytes(id: u32) -> Option<&'static [u8]> {
    match id {
        CHANGES_V1 if !CHANGES_V1_BYTES.is_empty() => Some(CHANGES_V1_BYTES),
        _ => None,
    }
}

/// The newest dictionary both this build and a reader that reads `theirs` have.
#[must_use]
pub fn shared_with(theirs: &[u32]) -> Option<u32> {
    READABLE
        .iter()
        .rev()
        .find(|id| theirs.contains(id) && bytes(**id).is_some())
        .copied()
}

/// Encodes a list of dictionary ids for [`DICTIONARIES_TAG`].
#[must_use]
pub fn encode_ids(ids: &[u32]) -> Vec<u8> {
    let mut w = Writer::default();
    w.u64(ids.len() as u64);
    for id in ids {
        w.u64(u64::from(*id));
    }
    w.bytes
}

/// Decodes a [`DICTIONARIES_TAG`] list.
pub fn decode_ids(bytes: &[u8]) -> Result<Vec<u32>, DecodeError> {
    let mut r = Reader::new(bytes);
    let count = r.count(1, MAX_IDS)?;
    let ids = (0..count).map(|_| r.u32()).collect::<Result<Vec<_>, _>>()?;
    if r.remaining() != 0 {
        return Err(DecodeError::Malformed("bytes after the dictionary list"));
    }
    Ok(ids)
}

/// Past this many plain bytes a batch is compressed without a dictionary: it carries its own
/// context, and zstd with a dictionary tuned for small batches does worse on it (the first
/// upload of 1,000 records: +4 % bytes with one).
const DICTIONARY_UP_TO: usize = 64 * 1024;
/// Between this and [`DICTIONARY_UP_TO`] both ways are tried and the smaller kept.
const DICTIONARY_SURELY_HELPS_UP_TO: usize = 16 * 1024;

/// Compresses `plain` at `level`, with `dictionary` when given and the batch is small enough
/// for it to help (the frame names it).
pub(crate) fn compress(
    plain: &[u8],
    level: i32,
    dictionary: Option<u32>,
) -> Result<Vec<u8>, std::io::Error> {
    let without = || zstd::bulk::compress(plain, level);
    let Some(prepared) = dictionary
        .filter(|_| plain.len() <= DICTIONARY_UP_TO)
        .and_then(|id| encoder(id, level))
    else {
        return without();
    };
    let with = zstd::bulk::Compressor::with_prepared_dictionary(&prepared)?.compress(plain)?;
    if plain.len() <= DICTIONARY_SURELY_HELPS_UP_TO {
        return Ok(with);
    }
    let without = without()?;
    Ok(if without.len() < with.len() {
        without
    } else {
        with
    })
}

/// Dictionaries digested for compression, per id and level. Digesting 32 KiB at a node's level
/// takes longer than compressing a page, so it is done once per process, not per batch.
type Prepared = std::sync::Arc<zstd::dict::EncoderDictionary<'static>>;
static ENCODERS: std::sync::Mutex<Vec<(u32, i32, Prepared)>> = std::sync::Mutex::new(Vec::new());

fn encoder(id: u32, level: i32) -> Option<Prepared> {
    let bytes = bytes(id)?;
    let mut encoders = ENCODERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, _, prepared)) = encoders.iter().find(|(i, l, _)| *i == id && *l == level) {
        return Some(std::sync::Arc::clone(prepared));
    }
    let prepared = std::sync::Arc::new(zstd::dict::EncoderDictionary::copy(bytes, level));
    encoders.push((id, level, std::sync::Arc::clone(&prepared)));
    Some(prepared)
}

/// Dictionary `id` digested for decompression, once per process.
fn decoder(id: u32) -> Option<&'static zstd::dict::DecoderDictionary<'static>> {
    static CHANGES_V1_DECODER: std::sync::OnceLock<zstd::dict::DecoderDictionary<'static>> =
        std::sync::OnceLock::new();
    match id {
        CHANGES_V1 => {
            let bytes = bytes(id)?;
            Some(CHANGES_V1_DECODER.get_or_init(|| zstd::dict::DecoderDictionary::copy(bytes)))
        }
        _ => None,
    }
}

/// The dictionary a compressed batch names (`None`: none, or not a zstd frame).
#[must_use]
pub fn named_by(batch: &[u8]) -> Option<u32> {
    zstd::zstd_safe::get_dict_id_from_frame(batch).map(std::num::NonZeroU32::get)
}

/// Decompresses a batch with the dictionary its frame names, reading at most `limit + 1` bytes
/// (the caller refuses more than `limit`). A frame naming a dictionary this build lacks is
/// refused as compression it cannot read.
pub(crate) fn decompress(compressed: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    use std::io::Read as _;
    let source = std::io::BufReader::new(compressed);
    let decoder = match named_by(compressed) {
        None => zstd::stream::read::Decoder::with_buffer(source),
        Some(id) => zstd::stream::read::Decoder::with_prepared_dictionary(
            source,
            decoder(id).ok_or(DecodeError::Compression)?,
        ),
    };
    let mut plain = Vec::new();
    decoder
        .map_err(|_| DecodeError::Compression)?
        .take(limit as u64 + 1)
        .read_to_end(&mut plain)
        .map_err(|_| DecodeError::Compression)?;
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dictionary_list_round_trips_and_a_bad_one_is_an_error() {
        let ids = [CHANGES_V1, 70_000];
        assert_eq!(decode_ids(&encode_ids(&ids)).unwrap(), ids);
        let encoded = encode_ids(&ids);
        for cut in 0..encoded.len() {
            assert!(decode_ids(&encoded[..cut]).is_err(), "cut at {cut}");
        }
        let mut trailing = encoded;
        trailing.push(0);
        assert!(decode_ids(&trailing).is_err());
        assert!(decode_ids(&encode_ids(&[1; MAX_IDS + 1])).is_err());
    }

    #[test]
    fn the_shipped_dictionary_is_the_one_its_id_names() {
        let bytes = bytes(CHANGES_V1).expect("the first dictionary ships");
        assert_eq!(
            zstd::zstd_safe::get_dict_id_from_dict(bytes).map(std::num::NonZeroU32::get),
            Some(CHANGES_V1)
        );
        // Never regenerated under the same id: devices in the field compressed with it.
        assert_eq!(
            crate::protocol::upload_id(bytes),
            SHIPPED_CHANGES_V1_SHA256,
            "dictionary {CHANGES_V1} changed; a new dictionary needs a new id"
        );
    }

    #[test]
    fn a_batch_names_its_dictionary_and_one_this_build_lacks_is_refused() {
        let plain = b"identity given_name family_name date_of_birth community".repeat(4);
        let with = compress(&plain, 3, Some(CHANGES_V1)).unwrap();
        let without = compress(&plain, 3, None).unwrap();
        assert_eq!(decompress(&with, 1 << 20).unwrap(), plain);
        assert_eq!(decompress(&without, 1 << 20).unwrap(), plain);
        assert!(
            zstd::bulk::decompress(&with, 1 << 20).is_err(),
            "a dictionary frame needs its dictionary"
        );
        let mut unknown = zstd::bulk::Compressor::with_dictionary(
            3,
            &patched_id(bytes(CHANGES_V1).unwrap(), 999),
        )
        .unwrap()
        .compress(&plain)
        .unwrap();
        assert_eq!(decompress(&unknown, 1 << 20), Err(DecodeError::Compression));
        unknown.truncate(3);
        assert!(decompress(&unknown, 1 << 20).is_err());
    }

    fn patched_id(dictionary: &[u8], id: u32) -> Vec<u8> {
        let mut copy = dictionary.to_vec();
        copy[4..8].copy_from_slice(&id.to_le_bytes());
        copy
    }

    const SHIPPED_CHANGES_V1_SHA256: [u8; 32] = [
        0x15, 0x5c, 0x5b, 0xbb, 0xc1, 0x20, 0xff, 0x68, 0xf2, 0xf6, 0xbc, 0xd1, 0x4b, 0xd0, 0x1c,
        0xe2, 0xdf, 0xcc, 0x60, 0x3e, 0x30, 0x3d, 0xa4, 0x27, 0x73, 0xff, 0x88, 0x4e, 0xa3, 0xe9,
        0x68, 0x14,
    ];
}

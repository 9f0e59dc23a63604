//! The stored form of a document: zstd around Automerge's encoding without DEFLATE. Told apart
//! from Automerge's own form (what earlier builds stored) by zstd's magic number, which no
//! Automerge chunk starts with.

use std::cell::RefCell;

use super::{DocError, MAX_DOCUMENT_BYTES};

/// zstd's frame magic, little-endian.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];
/// Fast, and still smaller than Automerge's per-column DEFLATE on records.
const LEVEL: i32 = 3;

thread_local! {
    /// One compressor per thread, reused: setting one up per document is what made DEFLATE dear.
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
}

/// Compresses an encoded document; on a compressor failure keeps it as it is (still loadable).
pub(super) fn wrap(plain: Vec<u8>) -> Vec<u8> {
    COMPRESSOR
        .with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.is_none() {
                *slot = zstd::bulk::Compressor::new(LEVEL).ok();
            }
            slot.as_mut()?.compress(&plain).ok()
        })
        .unwrap_or(plain)
}

/// The Automerge bytes of a stored document, decompressed within [`MAX_DOCUMENT_BYTES`].
pub(super) fn unwrap(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, DocError> {
    if bytes.starts_with(&ZSTD_MAGIC) {
        zstd::bulk::decompress(bytes, MAX_DOCUMENT_BYTES)
            .map(std::borrow::Cow::Owned)
            .map_err(|_| DocError::Corrupt("stored document does not decompress".into()))
    } else {
        Ok(std::borrow::Cow::Borrowed(bytes))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::ClientDoc;
    use crate::ids::DeviceId;

    fn sample() -> ClientDoc {
        let mut doc = ClientDoc::empty(DeviceId::random());
        let mut raw = automerge::AutoCommit::new();
        automerge::transaction::Transactable::put(&mut raw, automerge::ROOT, "x", 1).unwrap();
        doc.apply_changes(raw.get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec()))
            .unwrap();
        doc
    }

    #[test]
    fn a_new_records_change_stored_as_it_came_loads_and_takes_later_changes() {
        let device = DeviceId::random();
        let mut raw = automerge::AutoCommit::new();
        automerge::transaction::Transactable::put(&mut raw, automerge::ROOT, "x", 1).unwrap();
        let first = raw.get_changes(&[])[0].raw_bytes().to_vec();
        let parsed = crate::doc::parse_change(&first).unwrap();
        let stored = ClientDoc::stored_first_change(&parsed).expect("a first change");
        assert!(stored.starts_with(&ZSTD_MAGIC));
        let mut loaded = ClientDoc::load(&stored, device).unwrap();
        let mut whole = ClientDoc::empty(device);
        whole.apply_changes([first]).unwrap();
        assert_eq!(loaded.save(), whole.save(), "the same document either way");

        automerge::transaction::Transactable::put(&mut raw, automerge::ROOT, "x", 2).unwrap();
        let second = raw.get_changes(&[]).last().unwrap().raw_bytes().to_vec();
        let parsed_second = crate::doc::parse_change(&second).unwrap();
        assert!(
            ClientDoc::stored_first_change(&parsed_second).is_none(),
            "a change with history is not a document's whole history"
        );
        loaded.apply_changes([second.clone()]).unwrap();
        whole.apply_changes([second]).unwrap();
        assert_eq!(loaded.save(), whole.save());
    }

    #[test]
    fn documents_stored_by_earlier_builds_still_load() {
        let mut doc = sample();
        let automerge_form = doc.doc.save();
        assert!(!automerge_form.starts_with(&ZSTD_MAGIC));
        let mut loaded = ClientDoc::load(&automerge_form, DeviceId::random()).unwrap();
        assert_eq!(loaded.heads(), doc.heads());
        let stored = doc.save();
        assert!(stored.starts_with(&ZSTD_MAGIC));
        let mut reloaded = ClientDoc::load(&stored, DeviceId::random()).unwrap();
        assert_eq!(reloaded.heads(), doc.heads());
    }

    #[test]
    fn a_stored_document_that_inflates_past_the_bound_is_refused() {
        let bomb = zstd::bulk::compress(&vec![0u8; MAX_DOCUMENT_BYTES + 1], 19).unwrap();
        assert!(bomb.len() < 10_000);
        assert!(matches!(
            ClientDoc::load(&bomb, DeviceId::random()),
            Err(DocError::Corrupt(_))
        ));
    }
}

//! One Automerge document per client (decisions D1).
//!
//! [`ClientDoc`] wraps an `automerge::AutoCommit`. The model maps onto the document with
//! autosurgeon (`Reconcile`/`Hydrate`), which writes only what changed, so an edit of one field
//! is one small change. Every change is committed with the device as actor (one stable actor per
//! device keeps sync batches small, D3), the agent in the commit message and the time in
//! milliseconds.

mod admit;
mod conflicts;
mod history;
mod reader;
pub mod settle;
mod shape;
mod stored;

use automerge::{ActorId, AutoCommit, Change, ChangeHash, transaction::CommitOptions};

pub use conflicts::{Conflict, ConflictValue, ValueOrigin};
pub use history::HistoryEntry;
pub use shape::{
    ChangeInfo, MAX_DEPTH, MAX_ENTRIES, MAX_OBJECTS, MAX_OPS_PER_CHANGE, ParsedChange,
    check_change, inspect_change, parse_change,
};

use crate::ids::{AgentId, DeviceId};
use crate::model::Client;
use crate::time::Timestamp;

/// The largest saved document accepted by [`ClientDoc::load`].
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// Why a document operation failed. Carries no client data.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// The bytes are not a valid Automerge document or change.
    #[error("document bytes are corrupt: {0}")]
    Corrupt(String),
    /// The document does not have the shape of a client record.
    #[error("document does not hold a valid client record: {0}")]
    NotAClient(String),
    /// Over [`MAX_DOCUMENT_BYTES`].
    #[error("document is larger than {MAX_DOCUMENT_BYTES} bytes")]
    TooLarge,
    /// Writing the model into the document failed.
    #[error("could not write the record into its document: {0}")]
    Write(String),
    /// The document or change passes a bound on size or nesting.
    #[error("{0}")]
    Shape(&'static str),
    /// Changes depend on changes this copy does not have: Automerge would hold them back
    /// unapplied (and a save would drop them), so they are refused instead.
    #[error("{0} changes depend on changes this copy does not have")]
    MissingDependencies(usize),
    /// A received change is not one an honest build writes (out of its author's sequence, or
    /// addressing what does not exist), so it is never given to the CRDT library.
    #[error("a received change is unsound: {0}")]
    Unsound(&'static str),
}

/// One Automerge change as stored in an outbox and sent over the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct RawChange {
    /// Its hash (SHA-256 of the change), the same on every node.
    pub hash: [u8; 32],
    /// Its bytes, exactly as Automerge encodes them.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for RawChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RawChange({} bytes)", self.bytes.len())
    }
}

/// Who makes a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Author {
    /// The agent.
    pub agent: AgentId,
    /// The device (also the Automerge actor).
    pub device: DeviceId,
}

/// The office's decisions in one document (see [`ClientDoc::office_marks`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OfficeMarks {
    /// The record it was merged into.
    pub merged_into: Option<crate::ids::ClientId>,
    /// Records marked as other people, sorted.
    pub not_same: Vec<crate::ids::ClientId>,
    /// What merges into it took.
    pub absorbed: Vec<crate::model::Absorbed>,
}

/// A client's record as an Automerge document.
pub struct ClientDoc {
    doc: AutoCommit,
}

impl std::fmt::Debug for ClientDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientDoc(<redacted>)")
    }
}

impl ClientDoc {
    /// A new document holding `client`, as one change by `author`.
    pub fn create(client: &Client, author: Author, now: Timestamp) -> Result<Self, DocError> {
        let mut doc = Self::empty(author.device);
        doc.write(client, author, now)?;
        Ok(doc)
    }

    /// A document with no changes yet; [`Self::write`] fills it.
    #[must_use]
    pub fn empty(device: DeviceId) -> Self {
        Self {
            doc: AutoCommit::new().with_actor(actor_for(device)),
        }
    }

    /// Loads a saved document (either stored form, [`Self::save`]); changes made through it are
    /// by `device`.
    pub fn load(bytes: &[u8], device: DeviceId) -> Result<Self, DocError> {
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(DocError::TooLarge);
        }
        let plain = stored::unwrap(bytes)?;
        let doc = AutoCommit::load(&plain).map_err(|e| DocError::Corrupt(e.to_string()))?;
        Ok(Self {
            doc: doc.with_actor(actor_for(device)),
        })
    }

    /// The whole document with history, in its stored form: Automerge's encoding without its
    /// own per-column DEFLATE, compressed with zstd (smaller, and a fraction of the CPU: a
    /// DEFLATE stream set up per column was a third of a node's ingest, `docs/PERFORMANCE.md`).
    /// Documents saved by earlier builds (Automerge's own form) still load.
    pub fn save(&mut self) -> Vec<u8> {
        stored::wrap(self.doc.save_nocompress())
    }

    /// [`Self::save`], refused when the document is over [`MAX_DOCUMENT_BYTES`] (a node checks
    /// this before it stores a document it must be able to load again).
    pub fn save_bounded(&mut self) -> Result<Vec<u8>, DocError> {
        let plain = self.doc.save_nocompress();
        if plain.len() > MAX_DOCUMENT_BYTES {
            return Err(DocError::TooLarge);
        }
        Ok(stored::wrap(plain))
    }

    /// The stored form of a document whose whole history is `first`, a new record's one change
    /// (no dependencies): the change itself, compressed, instead of a save of the document — a
    /// save was ~ 11 % of a node's work per new record (`docs/PERFORMANCE.md`). It loads like any
    /// stored form. `None` for a change with dependencies, or one over the document bound.
    #[must_use]
    pub fn stored_first_change(first: &ParsedChange) -> Option<Vec<u8>> {
        let raw = first.change.raw_bytes();
        (first.change.deps().is_empty() && raw.len() <= MAX_DOCUMENT_BYTES)
            .then(|| stored::wrap(raw.to_vec()))
    }

    /// Reads the record. Where a field has concurrent values, the deterministic winner is read;
    /// [`Self::conflicts`] lists all of them.
    /// Concurrent inserts of one item (two offices merging the same pair) read as one.
    pub fn read(&self) -> Result<Client, DocError> {
        // A document past the bounds is still read (object by object) where it is asked for.
        let reader =
            reader::Reader::walked(&self.doc).unwrap_or_else(|_| reader::Reader::new(&self.doc));
        read_client(&reader)
    }

    /// What every received document goes through, in one pass over it: the nesting and size
    /// bounds ([`Self::check_shape`]; `DocError::Shape` when one is passed), then the record
    /// ([`Self::read`]) and the office's decisions in it ([`Self::office_marks`]).
    pub fn check_and_read(&self) -> Result<(Client, OfficeMarks), DocError> {
        let reader = reader::Reader::walked(&self.doc)?;
        shape::check(&reader)?;
        Ok((read_client(&reader)?, office_marks(&reader)))
    }

    /// The office's decisions this document holds — the record it was merged into, the records
    /// marked as other people, and what merges into it took (what an unmerge gives back) — read
    /// alone, cheaply (a node checks who changed them).
    #[must_use]
    pub fn office_marks(&self) -> OfficeMarks {
        office_marks(&reader::Reader::new(&self.doc))
    }

    /// Writes `client` into the document (only the differences) as one change by `author`.
    /// Returns the new change, or `None` when nothing differed.
    pub fn write(
        &mut self,
        client: &Client,
        author: Author,
        now: Timestamp,
    ) -> Result<Option<RawChange>, DocError> {
        self.doc.set_actor(actor_for(author.device));
        autosurgeon::reconcile(&mut self.doc, client)
            .map_err(|e| DocError::Write(e.to_string()))?;
        Ok(self.commit(author, now))
    }

    /// Commits what is pending as one change by `author`; `None` when nothing was pending.
    fn commit(&mut self, author: Author, now: Timestamp) -> Option<RawChange> {
        let hash = self.doc.commit_with(
            CommitOptions::default()
                .with_message(history::commit_message(author))
                .with_time(now.0),
        );
        hash.and_then(|h| self.doc.get_change_by_hash(&h))
            .map(|c| RawChange {
                hash: c.hash().0,
                bytes: c.raw_bytes().to_vec(),
            })
    }

    /// Settles the conflict at `path` (a [`Conflict::path`]) with `choice`, as one change by
    /// `author` (see [`settle`]). `None` when the field has no conflict (nothing written).
    pub fn settle(
        &mut self,
        path: &str,
        choice: &settle::Choice,
        author: Author,
        now: Timestamp,
    ) -> Result<Option<RawChange>, DocError> {
        self.doc.set_actor(actor_for(author.device));
        if !settle::apply(&mut self.doc, path, choice)? {
            return Ok(None);
        }
        Ok(self.commit(author, now))
    }

    /// The current heads.
    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// The current heads as concatenated 32-byte hashes (for storage).
    pub fn heads_bytes(&mut self) -> Vec<u8> {
        self.doc.get_heads().iter().flat_map(|h| h.0).collect()
    }

    /// Raw bytes of every change not reachable from `heads` (all changes for `&[]`).
    pub fn changes_since(&mut self, heads: &[ChangeHash]) -> Vec<Vec<u8>> {
        self.doc
            .get_changes(heads)
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect()
    }

    /// Applies raw changes from elsewhere (idempotent: known changes are ignored).
    pub fn apply_changes(
        &mut self,
        raw: impl IntoIterator<Item = Vec<u8>>,
    ) -> Result<(), DocError> {
        let changes = raw
            .into_iter()
            .map(|bytes| Change::from_bytes(bytes).map_err(|e| DocError::Corrupt(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        self.apply(changes)
    }

    /// [`Self::apply_changes`] for changes already parsed ([`parse_change`]).
    pub fn apply_parsed(
        &mut self,
        parsed: impl IntoIterator<Item = ParsedChange>,
    ) -> Result<(), DocError> {
        self.apply(parsed.into_iter().map(|p| p.change).collect())
    }

    fn apply(&mut self, changes: Vec<Change>) -> Result<(), DocError> {
        let changes = admit::admit(&mut self.doc, changes)?;
        if changes.is_empty() {
            return Ok(());
        }
        self.doc
            .apply_changes(changes)
            .map_err(|e| DocError::Corrupt(e.to_string()))?;
        // Automerge queues a change whose dependencies it lacks instead of failing; such a
        // change is not in the document and a save would silently leave it out.
        let missing = self.doc.get_missing_deps(&[]);
        if missing.is_empty() {
            Ok(())
        } else {
            Err(DocError::MissingDependencies(missing.len()))
        }
    }

    /// Merges another copy of the same client's document into this one.
    pub fn merge(&mut self, other: &mut Self) -> Result<(), DocError> {
        self.doc
            .merge(&mut other.doc)
            .map(|_| ())
            .map_err(|e| DocError::Corrupt(e.to_string()))
    }

    /// An independent copy (as another device would hold), making changes as `device`.
    pub fn fork(&mut self, device: DeviceId) -> Self {
        Self {
            doc: self.doc.fork().with_actor(actor_for(device)),
        }
    }

    /// The record's community and epoch, read without hydrating the whole record (for a node's
    /// scope and epoch checks on every incoming change).
    #[must_use]
    pub fn community_and_epoch(&self) -> Option<(crate::ids::CommunityCode, u32)> {
        use automerge::{ReadDoc as _, ScalarValue, Value};
        let (_, identity) = self.doc.get(automerge::ROOT, "identity").ok()??;
        let community = match self.doc.get(&identity, "community").ok()?? {
            (Value::Scalar(s), _) => match s.as_ref() {
                ScalarValue::Str(text) => crate::ids::CommunityCode::new(text.to_string()),
                _ => return None,
            },
            _ => return None,
        };
        let epoch = match self.doc.get(automerge::ROOT, "epoch").ok()? {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Uint(u) => u32::try_from(*u).ok()?,
                ScalarValue::Int(i) => u32::try_from(*i).ok()?,
                _ => return None,
            },
            _ => 0,
        };
        Some((community, epoch))
    }

    /// Checks the document's nesting and size against the bounds every received record must
    /// keep ([`MAX_DEPTH`], [`MAX_OBJECTS`], [`MAX_ENTRIES`]), without recursion.
    pub fn check_shape(&self) -> Result<(), DocError> {
        shape::check(&reader::Reader::new(&self.doc))
    }

    /// Every field that holds concurrent values, with all of them.
    /// Each value comes with who set it, on which device and when.
    pub fn conflicts(&mut self) -> Vec<Conflict> {
        conflicts::find(&mut self.doc)
    }

    /// Who changed what, when, oldest first.
    pub fn history(&mut self) -> Vec<HistoryEntry> {
        history::entries(&mut self.doc)
    }
}

/// The hash of a raw change, after checking that it parses as one.
pub fn change_hash(raw: &[u8]) -> Result<[u8; 32], DocError> {
    Change::from_bytes(raw.to_vec())
        .map(|c| c.hash().0)
        .map_err(|e| DocError::Corrupt(e.to_string()))
}

fn read_client(reader: &reader::Reader<'_>) -> Result<Client, DocError> {
    let mut client: Client =
        autosurgeon::hydrate(reader).map_err(|e| DocError::NotAClient(e.to_string()))?;
    crate::model::merge::dedup_by_id(&mut client);
    Ok(client)
}

fn office_marks(reader: &reader::Reader<'_>) -> OfficeMarks {
    let merged_into: Option<crate::ids::ClientId> =
        autosurgeon::hydrate_prop(reader, automerge::ROOT, "merged_into").unwrap_or(None);
    let mut not_same: Vec<crate::ids::ClientId> =
        autosurgeon::hydrate_prop(reader, automerge::ROOT, "not_same_person").unwrap_or_default();
    not_same.sort_unstable();
    not_same.dedup();
    let absorbed: Vec<crate::model::Absorbed> =
        autosurgeon::hydrate_prop(reader, automerge::ROOT, "absorbed").unwrap_or_default();
    OfficeMarks {
        merged_into,
        not_same,
        absorbed,
    }
}

fn actor_for(device: DeviceId) -> ActorId {
    ActorId::from(device.0.as_bytes().as_slice())
}

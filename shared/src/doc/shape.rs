//! Bounds on what a received change or document may hold. Everything inside a signed change is
//! input from a device that may be hostile or buggy: a node checks these before accepting a
//! change, a laptop before applying one, and no walk over a document recurses without a limit.

use automerge::{Change, ObjId, Prop, ReadDoc as _, Value};

use super::DocError;
use super::reader::{Entries, Entry, Reader};
use crate::ids::DeviceId;

/// The deepest nesting of maps and lists a record may have. The model needs 4
/// (`referrals[i].…`); the margin is for fields later schemas add.
pub const MAX_DEPTH: usize = 16;
/// The most maps and lists one record may hold (a record with a thousand notes has ~ 1,000).
pub const MAX_OBJECTS: usize = 20_000;
/// The most values (keys and list items) one record may hold.
pub const MAX_ENTRIES: usize = 200_000;
/// The most operations one change may carry. A new record is a few hundred; an edit is a few.
pub const MAX_OPS_PER_CHANGE: usize = 20_000;

/// What a change claims, read without applying it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeInfo {
    /// Its hash.
    pub hash: [u8; 32],
    /// The device whose actor made it (`None`: an actor that is not a device id).
    pub actor: Option<DeviceId>,
    /// Its operations.
    pub ops: usize,
}

/// Parses a raw change and reads its hash, actor and size.
pub fn inspect_change(raw: &[u8]) -> Result<ChangeInfo, DocError> {
    parse_change(raw).map(|parsed| parsed.info)
}

/// A received change, parsed once: what it claims, and the change itself for
/// [`super::ClientDoc::apply_parsed`] (parsing hashes the whole change, so a node does it once).
#[derive(Clone)]
pub struct ParsedChange {
    /// What it claims.
    pub info: ChangeInfo,
    pub(super) change: Change,
}

impl std::fmt::Debug for ParsedChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ParsedChange({} ops)", self.info.ops)
    }
}

/// Parses a raw change: its hash, actor and size, and the change to apply.
pub fn parse_change(raw: &[u8]) -> Result<ParsedChange, DocError> {
    let change = Change::from_bytes(raw.to_vec()).map_err(|e| DocError::Corrupt(e.to_string()))?;
    let actor = uuid::Uuid::from_slice(change.actor_id().to_bytes())
        .ok()
        .map(DeviceId);
    Ok(ParsedChange {
        info: ChangeInfo {
            hash: change.hash().0,
            actor,
            ops: change.len(),
        },
        change,
    })
}

/// Checks a change's size before it is applied anywhere.
pub fn check_change(info: &ChangeInfo) -> Result<(), DocError> {
    if info.ops > MAX_OPS_PER_CHANGE {
        return Err(DocError::Shape("a change carries too many operations"));
    }
    Ok(())
}

/// Walks the document without recursion, stopping at the first bound it passes. Each object's
/// entries are read once through `reader` (kept for the hydration that follows); a key with
/// concurrent values is also read in full, so an object hidden behind a winner is bounded too.
pub(super) fn check(reader: &Reader<'_>) -> Result<(), DocError> {
    let mut stack = vec![(automerge::ROOT, 0usize)];
    let mut objects = 0usize;
    let mut entries = 0usize;
    let too_many_values = || DocError::Shape("the record holds too many values");
    while let Some((obj, depth)) = stack.pop() {
        objects += 1;
        if objects > MAX_OBJECTS {
            return Err(DocError::Shape(
                "the record holds too many groups of fields",
            ));
        }
        let mut children = |prop: Prop, entry: &Entry| -> Result<(), DocError> {
            let mut push = |child: ObjId| {
                if depth + 1 > MAX_DEPTH {
                    return Err(DocError::Shape("the record is nested too deeply"));
                }
                stack.push((child, depth + 1));
                Ok(())
            };
            if entry.conflict {
                let values = reader
                    .doc
                    .get_all(&obj, prop)
                    .map_err(|e| DocError::Corrupt(e.to_string()))?;
                for (value, id) in values {
                    if let Value::Object(_) = value {
                        push(id)?;
                    }
                }
            } else if let Value::Object(_) = entry.value {
                push(entry.id.clone())?;
            }
            Ok(())
        };
        match &*reader.entries(&obj)? {
            Entries::Text(length) => entries = entries.saturating_add(*length),
            Entries::Map(map) => {
                entries = entries.saturating_add(map.len());
                if entries > MAX_ENTRIES {
                    return Err(too_many_values());
                }
                for (key, entry) in map {
                    children(Prop::Map(key.clone()), entry)?;
                }
            }
            Entries::List(list) => {
                entries = entries.saturating_add(list.len());
                if entries > MAX_ENTRIES {
                    return Err(too_many_values());
                }
                for (index, entry) in list.iter().enumerate() {
                    children(Prop::Seq(index), entry)?;
                }
            }
        }
        if entries > MAX_ENTRIES {
            return Err(too_many_values());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use automerge::transaction::Transactable as _;
    use automerge::{AutoCommit, ObjType};

    use super::*;
    use crate::ClientDoc;

    /// One change that nests `depth` maps under the root, by a device of its own.
    fn nested_change(depth: usize) -> Vec<u8> {
        let device = DeviceId::random();
        let mut doc =
            AutoCommit::new().with_actor(automerge::ActorId::from(device.0.as_bytes().as_slice()));
        let mut obj = automerge::ROOT;
        for _ in 0..depth {
            obj = doc.put_object(&obj, "x", ObjType::Map).unwrap();
        }
        doc.commit();
        doc.get_changes(&[])[0].raw_bytes().to_vec()
    }

    #[test]
    fn a_deeply_nested_document_is_refused_and_walked_without_recursion() {
        let change = nested_change(100_000);
        let info = inspect_change(&change).unwrap();
        assert!(matches!(check_change(&info), Err(DocError::Shape(_))));

        let mut doc = ClientDoc::empty(DeviceId::random());
        doc.apply_changes([change]).unwrap();
        assert!(matches!(doc.check_shape(), Err(DocError::Shape(_))));
        // The conflict walk (run on every sync and every detail view) stays on its stack.
        assert!(doc.conflicts().is_empty());
    }

    #[test]
    fn a_record_of_ordinary_shape_passes() {
        let change = nested_change(MAX_DEPTH);
        let info = inspect_change(&change).unwrap();
        assert!(check_change(&info).is_ok());
        let mut doc = ClientDoc::empty(DeviceId::random());
        doc.apply_changes([change]).unwrap();
        assert!(doc.check_shape().is_ok());
        assert_eq!(info.ops, MAX_DEPTH);
        assert!(info.actor.is_some());
    }
}

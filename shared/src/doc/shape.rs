//! Bounds on what a received change or document may hold. Everything inside a signed change is
//! input from a device that may be hostile or buggy: a node checks these before accepting a
//! change, a laptop before applying one, and no walk over a document recurses without a limit.

use automerge::{AutoCommit, Change, ObjType, Prop, ReadDoc as _, Value};

use super::DocError;
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
    let change = Change::from_bytes(raw.to_vec()).map_err(|e| DocError::Corrupt(e.to_string()))?;
    let actor = uuid::Uuid::from_slice(change.actor_id().to_bytes())
        .ok()
        .map(DeviceId);
    Ok(ChangeInfo {
        hash: change.hash().0,
        actor,
        ops: change.len(),
    })
}

/// Checks a change's size before it is applied anywhere.
pub fn check_change(info: &ChangeInfo) -> Result<(), DocError> {
    if info.ops > MAX_OPS_PER_CHANGE {
        return Err(DocError::Shape("a change carries too many operations"));
    }
    Ok(())
}

/// Walks the document without recursion, stopping at the first bound it passes.
pub(super) fn check(doc: &AutoCommit) -> Result<(), DocError> {
    let mut stack = vec![(automerge::ROOT, ObjType::Map, 0usize)];
    let mut objects = 0usize;
    let mut entries = 0usize;
    while let Some((obj, kind, depth)) = stack.pop() {
        objects += 1;
        if objects > MAX_OBJECTS {
            return Err(DocError::Shape(
                "the record holds too many groups of fields",
            ));
        }
        let props: Box<dyn Iterator<Item = Prop> + '_> = match kind {
            ObjType::Map | ObjType::Table => Box::new(doc.keys(&obj).map(Prop::Map)),
            ObjType::List => Box::new((0..doc.length(&obj)).map(Prop::Seq)),
            ObjType::Text => {
                entries = entries.saturating_add(doc.length(&obj));
                Box::new(std::iter::empty())
            }
        };
        for prop in props {
            entries += 1;
            if entries > MAX_ENTRIES {
                return Err(DocError::Shape("the record holds too many values"));
            }
            // Every concurrent value, so an object hidden behind a winner is bounded too.
            let values = doc
                .get_all(&obj, prop)
                .map_err(|e| DocError::Corrupt(e.to_string()))?;
            for (value, id) in values {
                if let Value::Object(child) = value {
                    if depth + 1 > MAX_DEPTH {
                        return Err(DocError::Shape("the record is nested too deeply"));
                    }
                    stack.push((id, child, depth + 1));
                }
            }
        }
        if entries > MAX_ENTRIES {
            return Err(DocError::Shape("the record holds too many values"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use automerge::transaction::Transactable as _;

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

//! Received changes, checked against the document before the CRDT library is given them.
//!
//! Automerge trusts the changes it applies: a change whose sequence number skips, or whose
//! operation names an object, element or earlier value that does not exist, trips an assertion
//! deep in its op store — and a panic there unwinds through its column editor, whose destructor
//! panics again, which aborts the process (`catch_unwind` cannot contain that). So every change
//! from elsewhere is checked here first, as local input would be: its place in its author's
//! sequence, its causal order, and every operation against the objects, elements and values it
//! may address. Only the shapes an honest build writes are admitted (maps, lists and plain
//! values; no text objects, tables, counters or marks).

use std::collections::{HashMap, HashSet};

use automerge::legacy::{ElementId, Key, ObjectId, OpId, OpType};
use automerge::{ActorId, AutoCommit, Change, ChangeHash, ExpandedChange, ObjType, ScalarValue};

use super::DocError;

/// Op counters stay in the range Automerge indexes with 32 bits.
const MAX_OP_COUNTER: u64 = u32::MAX as u64;

/// What an operation addresses: its object and the key or element in it.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Slot {
    Field(ObjectId, String),
    Element(ObjectId, OpId),
}

/// Everything a new operation may refer to, from the document's history and the changes
/// admitted before it.
#[derive(Default)]
struct Known {
    /// Objects and their types (the root is a map).
    objects: HashMap<OpId, ObjType>,
    /// Every operation and the slot it writes (an insert writes its own new element).
    ops: HashMap<OpId, Slot>,
    /// List elements, by the insert that made them.
    elements: HashSet<(ObjectId, OpId)>,
    /// Each change's dependencies, author and sequence number, and its largest op counter.
    changes: HashMap<ChangeHash, (Vec<ChangeHash>, ActorId, u64, u64)>,
    /// Each author's changes by sequence number.
    sequences: HashMap<ActorId, Vec<ChangeHash>>,
}

fn refused(why: &'static str) -> DocError {
    DocError::Unsound(why)
}

impl Known {
    fn from_history(doc: &mut AutoCommit) -> Result<Self, DocError> {
        let mut known = Self::default();
        // Already in the document, so already in causal order; recorded, not checked again.
        for change in &doc.get_changes(&[]) {
            let expanded = expand(change)?;
            known.record(change.hash(), &expanded);
        }
        Ok(known)
    }

    fn record(&mut self, hash: ChangeHash, change: &ExpandedChange) {
        let actor = &change.actor_id;
        let start = change.start_op.get();
        for (offset, op) in change.operations.iter().enumerate() {
            let id = OpId(start + offset as u64, actor.clone());
            if let OpType::Make(kind) = op.action {
                self.objects.insert(id.clone(), kind);
            }
            let slot = match (&op.key, op.insert) {
                (Key::Seq(_), true) => {
                    self.elements.insert((op.obj.clone(), id.clone()));
                    Slot::Element(op.obj.clone(), id.clone())
                }
                (Key::Seq(ElementId::Id(element)), false) => {
                    Slot::Element(op.obj.clone(), element.clone())
                }
                (Key::Map(name), _) => Slot::Field(op.obj.clone(), name.to_string()),
                (Key::Seq(ElementId::Head), false) => continue,
            };
            // A deletion is no value: nothing may name it as the one it overwrites.
            if matches!(op.action, OpType::Delete) {
                continue;
            }
            self.ops.insert(id, slot);
        }
        let last = start + change.operations.len() as u64 - 1;
        self.changes.insert(
            hash,
            (
                change.deps.clone(),
                actor.clone(),
                change.seq,
                last.max(start - 1),
            ),
        );
        let sequence = self.sequences.entry(actor.clone()).or_default();
        if sequence.len() as u64 + 1 == change.seq {
            sequence.push(hash);
        }
    }

    fn object_type(&self, obj: &ObjectId) -> Option<ObjType> {
        match obj {
            ObjectId::Root => Some(ObjType::Map),
            ObjectId::Id(id) => self.objects.get(id).copied(),
        }
    }

    /// Whether `ancestor` is `hash` or reachable from it through dependencies.
    fn reaches(&self, from: &[ChangeHash], ancestor: ChangeHash) -> bool {
        let mut seen = HashSet::new();
        let mut stack = from.to_vec();
        while let Some(hash) = stack.pop() {
            if hash == ancestor {
                return true;
            }
            if seen.insert(hash)
                && let Some((deps, ..)) = self.changes.get(&hash)
            {
                stack.extend(deps.iter().copied());
            }
        }
        false
    }

    /// Checks one change whose dependencies are all known, then records it.
    fn admit(&mut self, hash: ChangeHash, change: &ExpandedChange) -> Result<(), DocError> {
        if change.author.is_some() {
            return Err(refused("a change names an author"));
        }
        let actor = &change.actor_id;
        let previous = self.sequences.get(actor).map_or(0, Vec::len) as u64;
        if change.seq != previous + 1 {
            return Err(refused("a change is out of its author's sequence"));
        }
        if let Some(before) = self.sequences.get(actor).and_then(|s| s.last())
            && !self.reaches(&change.deps, *before)
        {
            return Err(refused(
                "a change does not follow its author's previous one",
            ));
        }
        let start = change.start_op.get();
        let after_deps = change
            .deps
            .iter()
            .filter_map(|dep| self.changes.get(dep).map(|c| c.3))
            .max()
            .unwrap_or(0);
        let count = change.operations.len() as u64;
        // Automerge numbers a change's operations from one past everything it has seen (its
        // dependencies' largest counter); a gap leaves a saved document that does not load.
        if start != after_deps + 1 || start.saturating_add(count) > MAX_OP_COUNTER {
            return Err(refused("a change numbers its operations out of order"));
        }
        self.check_operations(change)?;
        self.record(hash, change);
        Ok(())
    }

    fn check_operations(&self, change: &ExpandedChange) -> Result<(), DocError> {
        let actor = &change.actor_id;
        let start = change.start_op.get();
        // What this change itself makes, so later operations in it may refer to them.
        let mut made = Known::default();
        for (offset, op) in change.operations.iter().enumerate() {
            let id = OpId(start + offset as u64, actor.clone());
            if let OpType::Make(kind) = op.action {
                made.objects.insert(id.clone(), kind);
            }
            if op.insert {
                made.elements.insert((op.obj.clone(), id));
            }
        }
        let mut own_slots: HashMap<OpId, Slot> = HashMap::new();
        for (offset, op) in change.operations.iter().enumerate() {
            let counter = start + offset as u64;
            let id = OpId(counter, actor.clone());
            let earlier = |other: &OpId| !(other.1 == *actor && other.0 >= counter);
            match op.action {
                OpType::Make(ObjType::Map | ObjType::List) | OpType::Delete => {}
                OpType::Put(ref value) => {
                    if matches!(value, ScalarValue::Counter(_) | ScalarValue::Unknown { .. }) {
                        return Err(refused(
                            "a change writes a kind of value records never hold",
                        ));
                    }
                }
                _ => return Err(refused("a change makes an object records never hold")),
            }
            let obj_type = match &op.obj {
                ObjectId::Id(obj) if !earlier(obj) => None,
                obj => self.object_type(obj).or_else(|| made.object_type(obj)),
            }
            .ok_or_else(|| refused("a change writes into an object that does not exist"))?;
            let is_element = |element: &OpId| {
                earlier(element)
                    && (self.elements.contains(&(op.obj.clone(), element.clone()))
                        || made.elements.contains(&(op.obj.clone(), element.clone())))
            };
            let slot = match (obj_type, &op.key, op.insert) {
                (ObjType::Map, Key::Map(name), false) => {
                    Slot::Field(op.obj.clone(), name.to_string())
                }
                (ObjType::List, Key::Seq(after), true) => {
                    if matches!(op.action, OpType::Delete) || !op.pred.is_empty() {
                        return Err(refused("a change inserts something that is not a value"));
                    }
                    if let ElementId::Id(element) = after
                        && !is_element(element)
                    {
                        return Err(refused(
                            "a change inserts after an element that does not exist",
                        ));
                    }
                    Slot::Element(op.obj.clone(), id.clone())
                }
                (ObjType::List, Key::Seq(ElementId::Id(element)), false) => {
                    if !is_element(element) {
                        return Err(refused("a change writes an element that does not exist"));
                    }
                    Slot::Element(op.obj.clone(), element.clone())
                }
                _ => return Err(refused("a change addresses an object the wrong way")),
            };
            if matches!(op.action, OpType::Delete) && op.pred.is_empty() {
                return Err(refused("a change deletes nothing"));
            }
            for pred in op.pred.iter() {
                let pred_slot = if earlier(pred) {
                    self.ops.get(pred).or_else(|| own_slots.get(pred))
                } else {
                    None
                };
                if pred_slot != Some(&slot) {
                    return Err(refused("a change overwrites a value that is not there"));
                }
            }
            if !matches!(op.action, OpType::Delete) {
                own_slots.insert(id, slot);
            }
        }
        Ok(())
    }
}

/// The change's operations, decoding contained (the library panics on some bytes it parsed).
fn expand(change: &Change) -> Result<ExpandedChange, DocError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| change.decode()))
        .map_err(|_| DocError::Corrupt("a change's operations do not decode".into()))
}

/// Checks `changes` against `doc` in causal order; returns them in that order, without those
/// the document already holds. Nothing is applied.
pub(super) fn admit(doc: &mut AutoCommit, changes: Vec<Change>) -> Result<Vec<Change>, DocError> {
    let mut fresh: Vec<(Change, ExpandedChange)> = Vec::new();
    let mut seen = HashSet::new();
    for change in changes {
        let hash = change.hash();
        if doc.get_change_by_hash(&hash).is_some() || !seen.insert(hash) {
            continue;
        }
        let expanded = expand(&change)?;
        fresh.push((change, expanded));
    }
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let mut known = Known::from_history(doc)?;
    let mut ordered = Vec::with_capacity(fresh.len());
    while !fresh.is_empty() {
        let before = fresh.len();
        let mut waiting = Vec::new();
        for (change, expanded) in fresh {
            if expanded
                .deps
                .iter()
                .all(|dep| known.changes.contains_key(dep))
            {
                known.admit(change.hash(), &expanded)?;
                ordered.push(change);
            } else {
                waiting.push((change, expanded));
            }
        }
        if waiting.len() == before {
            return Err(DocError::MissingDependencies(waiting.len()));
        }
        fresh = waiting;
    }
    Ok(ordered)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use automerge::transaction::Transactable as _;
    use automerge::{ROOT, ReadDoc as _};

    use super::*;

    fn actor(n: u8) -> ActorId {
        ActorId::from([n; 16].as_slice())
    }

    /// A first change (a name and a list of one language), then an edit of both.
    fn history() -> (AutoCommit, Change, Change) {
        let mut doc = AutoCommit::new().with_actor(actor(1));
        let list = doc.put_object(ROOT, "languages", ObjType::List).unwrap();
        doc.insert(&list, 0, "iu").unwrap();
        doc.put(ROOT, "name", "Seed").unwrap();
        doc.commit();
        doc.put(ROOT, "name", "Seedy").unwrap();
        doc.put(&list, 0, "cr").unwrap();
        doc.insert(&list, 1, "fr").unwrap();
        doc.commit();
        let changes = doc.get_changes(&[]);
        (doc, changes[0].clone(), changes[1].clone())
    }

    fn forged(change: &Change, edit: impl FnOnce(&mut ExpandedChange)) -> Change {
        let mut expanded = change.decode();
        edit(&mut expanded);
        expanded.hash = None;
        Change::from(expanded)
    }

    /// A copy holding the first change, then given `second`: the refusal, and proof that
    /// nothing reached the document.
    fn refused_after_first(second: Change) -> DocError {
        let (_, first, _) = history();
        let mut copy = AutoCommit::new();
        copy.apply_changes([first]).unwrap();
        let heads = copy.get_heads();
        let error = admit(&mut copy, vec![second]).unwrap_err();
        assert_eq!(copy.get_heads(), heads);
        error
    }

    #[test]
    fn honest_changes_in_any_order_are_admitted_in_causal_order() {
        let (mut doc, first, second) = history();
        let mut other = doc.fork_at(&[first.hash()]).unwrap().with_actor(actor(2));
        other.put(ROOT, "name", "Sid").unwrap();
        other.commit();
        let concurrent = other.get_last_local_change().unwrap();

        let mut copy = AutoCommit::new();
        let ordered = admit(&mut copy, vec![concurrent, second, first.clone()]).unwrap();
        assert_eq!(ordered.len(), 3);
        assert_eq!(ordered[0].hash(), first.hash());
        copy.apply_changes(ordered).unwrap();
        doc.merge(&mut other).unwrap();
        assert_eq!(copy.get_heads().len(), 2);
        assert_eq!(doc.get_all(ROOT, "name").unwrap().len(), 2);
        assert_eq!(copy.get_all(ROOT, "name").unwrap().len(), 2);
        // Changes the copy holds already are left out, not refused.
        assert!(admit(&mut copy, vec![first]).unwrap().is_empty());
    }

    #[test]
    fn a_change_that_skips_in_its_authors_sequence_is_refused_before_automerge_sees_it() {
        // Automerge asserts on this one (seq 33 after seq 1) and the unwind aborts the process.
        let (_, _, second) = history();
        let error = refused_after_first(forged(&second, |c| c.seq = 33));
        assert!(matches!(error, DocError::Unsound(_)), "{error}");
    }

    #[test]
    fn writing_into_an_object_that_does_not_exist_is_refused() {
        let (_, _, second) = history();
        let error = refused_after_first(forged(&second, |c| {
            c.operations[1].obj = ObjectId::Id(OpId(12, actor(1)));
        }));
        assert!(matches!(error, DocError::Unsound(_)), "{error}");
    }

    #[test]
    fn overwriting_a_value_that_is_not_there_is_refused() {
        let (_, _, second) = history();
        let error = refused_after_first(forged(&second, |c| {
            let overwrite = c
                .operations
                .iter_mut()
                .find(|op| !op.pred.is_empty())
                .unwrap();
            *overwrite.pred.get_mut(0).unwrap() = OpId(2, actor(1));
        }));
        assert!(matches!(error, DocError::Unsound(_)), "{error}");
    }

    #[test]
    fn inserting_after_an_element_that_does_not_exist_is_refused() {
        let (_, _, second) = history();
        let error = refused_after_first(forged(&second, |c| {
            let insert = c.operations.iter_mut().find(|op| op.insert).unwrap();
            insert.key = Key::Seq(ElementId::Id(OpId(77, actor(1))));
        }));
        assert!(matches!(error, DocError::Unsound(_)), "{error}");
    }

    #[test]
    fn a_change_that_does_not_follow_its_authors_previous_one_is_refused() {
        let (_, _, second) = history();
        let error = refused_after_first(forged(&second, |c| c.deps.clear()));
        assert!(matches!(error, DocError::Unsound(_)), "{error}");
        let error = refused_after_first(forged(&second, |c| {
            c.start_op = std::num::NonZeroU64::new(1).unwrap();
        }));
        assert!(matches!(error, DocError::Unsound(_)), "{error}");
    }

    #[test]
    fn a_gap_in_the_op_numbering_is_refused() {
        // Automerge takes it, but the document it saves then does not load ("missing ops"):
        // the fuzz loop found it as an empty change numbered past its dependencies.
        let (_, _, second) = history();
        let error = refused_after_first(forged(&second, |c| {
            c.operations.clear();
            c.start_op = c.start_op.saturating_add(5);
        }));
        assert!(matches!(error, DocError::Unsound(_)), "{error}");
        let empty = forged(&second, |c| c.operations.clear());
        let (_, first, _) = history();
        let mut copy = AutoCommit::new();
        copy.apply_changes([first]).unwrap();
        let admitted = admit(&mut copy, vec![empty]).unwrap();
        copy.apply_changes(admitted).unwrap();
        assert!(AutoCommit::load(&copy.save()).is_ok());
    }

    #[test]
    fn kinds_of_object_and_value_records_never_hold_are_refused() {
        let (_, _, second) = history();
        for action in [
            OpType::Make(ObjType::Text),
            OpType::Make(ObjType::Table),
            OpType::Increment(1),
            OpType::Put(ScalarValue::counter(1)),
        ] {
            let error = refused_after_first(forged(&second, |c| {
                c.operations[0].action = action;
            }));
            assert!(matches!(error, DocError::Unsound(_)), "{error}");
        }
    }

    #[test]
    fn a_change_whose_history_is_missing_is_refused_whole() {
        let (_, _, second) = history();
        let mut copy = AutoCommit::new();
        let error = admit(&mut copy, vec![second]).unwrap_err();
        assert!(matches!(error, DocError::MissingDependencies(1)), "{error}");
        assert!(copy.get_heads().is_empty());
    }

    #[test]
    fn a_client_document_refuses_an_unsound_change_and_keeps_what_it_had() {
        let (_, first, second) = history();
        let mut doc = crate::ClientDoc::empty(crate::ids::DeviceId::random());
        doc.apply_changes([first.raw_bytes().to_vec()]).unwrap();
        let heads = doc.heads();
        let forged = forged(&second, |c| c.seq = 33);
        let error = doc
            .apply_changes([forged.raw_bytes().to_vec()])
            .unwrap_err();
        assert!(matches!(error, DocError::Unsound(_)), "{error}");
        assert_eq!(doc.heads(), heads);
        doc.apply_changes([second.raw_bytes().to_vec()]).unwrap();
        assert_ne!(doc.heads(), heads);
    }
}

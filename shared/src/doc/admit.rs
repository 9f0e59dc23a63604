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

/// An operation's id: its counter and its actor (an index into [`Known::actors`]).
type Id = (u64, usize);

/// An object: the root (`None`) or the operation that made it.
type Obj = Option<Id>;

/// What an operation addresses: a key of a map, or an element of a list (by the insert that
/// made it).
#[derive(Clone, PartialEq, Eq, Hash)]
enum Slot {
    Field(Obj, String),
    Element(Obj, Id),
}

/// A change's place in the history.
struct Meta {
    deps: Vec<ChangeHash>,
    max_op: u64,
}

/// Everything a new operation may refer to: the document's history (its operations read only
/// when a new change refers to them) and the changes admitted before it.
struct Known<'d> {
    doc: &'d mut AutoCommit,
    actors: Vec<ActorId>,
    actor_index: HashMap<ActorId, usize>,
    /// Objects and their types.
    objects: HashMap<Id, ObjType>,
    /// Every value written and its slot (an insert writes its own new element; a deletion is
    /// no value, so nothing may name it as the one it overwrites).
    values: HashMap<Id, Slot>,
    /// List elements, by object.
    elements: HashSet<(Obj, Id)>,
    changes: HashMap<ChangeHash, Meta>,
    /// Each author's changes in sequence.
    sequences: HashMap<usize, Vec<ChangeHash>>,
    /// History changes whose operations are not read yet: by actor, (first op, last op, hash).
    unread: HashMap<usize, Vec<(u64, u64, ChangeHash)>>,
}

fn refused(why: &'static str) -> DocError {
    DocError::Unsound(why)
}

impl<'d> Known<'d> {
    fn new(doc: &'d mut AutoCommit) -> Self {
        let mut known = Self {
            doc,
            actors: Vec::new(),
            actor_index: HashMap::new(),
            objects: HashMap::new(),
            values: HashMap::new(),
            elements: HashSet::new(),
            changes: HashMap::new(),
            sequences: HashMap::new(),
            unread: HashMap::new(),
        };
        // Already in the document, so in causal order and not checked again; their operations
        // are read only if a new change refers to them.
        let history: Vec<_> = known
            .doc
            .get_changes_meta(&[])
            .into_iter()
            .map(|meta| {
                (
                    meta.actor.into_owned(),
                    meta.seq,
                    meta.start_op,
                    meta.max_op,
                    meta.deps,
                    meta.hash,
                )
            })
            .collect();
        for (actor, seq, start_op, max_op, deps, hash) in history {
            let actor = known.actor(&actor);
            known.place(hash, actor, seq, Meta { deps, max_op });
            known
                .unread
                .entry(actor)
                .or_default()
                .push((start_op, max_op, hash));
        }
        known
    }

    fn actor(&mut self, actor: &ActorId) -> usize {
        if let Some(&index) = self.actor_index.get(actor) {
            return index;
        }
        self.actors.push(actor.clone());
        self.actor_index
            .insert(actor.clone(), self.actors.len() - 1);
        self.actors.len() - 1
    }

    fn id(&mut self, id: &OpId) -> Id {
        (id.0, self.actor(&id.1))
    }

    fn obj(&mut self, obj: &ObjectId) -> Obj {
        match obj {
            ObjectId::Root => None,
            ObjectId::Id(id) => Some(self.id(id)),
        }
    }

    fn place(&mut self, hash: ChangeHash, actor: usize, seq: u64, meta: Meta) {
        self.changes.insert(hash, meta);
        let sequence = self.sequences.entry(actor).or_default();
        if sequence.len() as u64 + 1 == seq {
            sequence.push(hash);
        }
    }

    /// Reads the operations of the history change that holds `id`, if not read yet.
    fn read_history(&mut self, id: Id) -> Result<(), DocError> {
        let Some(unread) = self.unread.get_mut(&id.1) else {
            return Ok(());
        };
        let Some(at) = unread
            .iter()
            .position(|&(first, last, _)| first <= id.0 && id.0 <= last)
        else {
            return Ok(());
        };
        let (_, _, hash) = unread.swap_remove(at);
        let change = self
            .doc
            .get_change_by_hash(&hash)
            .ok_or_else(|| DocError::Corrupt("the document lacks a change it lists".into()))?;
        let expanded = expand(&change)?;
        self.record_operations(&expanded);
        Ok(())
    }

    fn record_operations(&mut self, change: &ExpandedChange) {
        let actor = self.actor(&change.actor_id);
        let start = change.start_op.get();
        for (offset, op) in change.operations.iter().enumerate() {
            let id = (start + offset as u64, actor);
            let obj = self.obj(&op.obj);
            if let OpType::Make(kind) = op.action {
                self.objects.insert(id, kind);
            }
            let slot = match (&op.key, op.insert) {
                (Key::Seq(_), true) => {
                    self.elements.insert((obj, id));
                    Slot::Element(obj, id)
                }
                (Key::Seq(ElementId::Id(element)), false) => Slot::Element(obj, self.id(element)),
                (Key::Map(name), _) => Slot::Field(obj, name.to_string()),
                (Key::Seq(ElementId::Head), false) => continue,
            };
            if !matches!(op.action, OpType::Delete) {
                self.values.insert(id, slot);
            }
        }
    }

    fn object_type(&mut self, obj: Obj) -> Result<Option<ObjType>, DocError> {
        let Some(id) = obj else {
            return Ok(Some(ObjType::Map));
        };
        if let Some(kind) = self.objects.get(&id) {
            return Ok(Some(*kind));
        }
        // An object of the history: the document's own index knows it, without reading the
        // change that made it.
        let exid = automerge::ObjId::Id(id.0, self.actors[id.1].clone(), usize::MAX);
        Ok(automerge::ReadDoc::object_type(&*self.doc, &exid).ok())
    }

    fn is_element(&mut self, obj: Obj, element: Id) -> Result<bool, DocError> {
        if !self.elements.contains(&(obj, element)) {
            self.read_history(element)?;
        }
        Ok(self.elements.contains(&(obj, element)))
    }

    fn slot_of(&mut self, value: Id) -> Result<Option<Slot>, DocError> {
        if !self.values.contains_key(&value) {
            self.read_history(value)?;
        }
        Ok(self.values.get(&value).cloned())
    }

    /// Whether `ancestor` is reachable from `from` through dependencies.
    fn reaches(&self, from: &[ChangeHash], ancestor: ChangeHash) -> bool {
        let mut seen = HashSet::new();
        let mut stack = from.to_vec();
        while let Some(hash) = stack.pop() {
            if hash == ancestor {
                return true;
            }
            if seen.insert(hash)
                && let Some(meta) = self.changes.get(&hash)
            {
                stack.extend(meta.deps.iter().copied());
            }
        }
        false
    }

    /// Checks one change whose dependencies are all known, then records it.
    fn admit(&mut self, hash: ChangeHash, change: &ExpandedChange) -> Result<(), DocError> {
        if change.author.is_some() {
            return Err(refused("a change names an author"));
        }
        let actor = self.actor(&change.actor_id);
        let previous = self.sequences.get(&actor).map_or(0, Vec::len) as u64;
        if change.seq != previous + 1 {
            return Err(refused("a change is out of its author's sequence"));
        }
        if let Some(before) = self.sequences.get(&actor).and_then(|s| s.last())
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
            .filter_map(|dep| self.changes.get(dep).map(|meta| meta.max_op))
            .max()
            .unwrap_or(0);
        let count = change.operations.len() as u64;
        // Automerge numbers a change's operations from one past everything it has seen (its
        // dependencies' largest counter); a gap leaves a saved document that does not load.
        if start != after_deps + 1 || start.saturating_add(count) > MAX_OP_COUNTER {
            return Err(refused("a change numbers its operations out of order"));
        }
        self.check_operations(change, actor)?;
        self.record_operations(change);
        let meta = Meta {
            deps: change.deps.clone(),
            max_op: start + count - 1,
        };
        self.place(hash, actor, change.seq, meta);
        Ok(())
    }

    fn check_operations(&mut self, change: &ExpandedChange, actor: usize) -> Result<(), DocError> {
        let start = change.start_op.get();
        // What this change itself makes, so later operations in it may refer to them.
        let mut made_objects = HashMap::new();
        let mut made_elements = HashSet::new();
        for (offset, op) in change.operations.iter().enumerate() {
            let id = (start + offset as u64, actor);
            if let OpType::Make(kind) = op.action {
                made_objects.insert(id, kind);
            }
            if op.insert {
                let obj = self.obj(&op.obj);
                made_elements.insert((obj, id));
            }
        }
        let mut own_values: HashMap<Id, Slot> = HashMap::new();
        for (offset, op) in change.operations.iter().enumerate() {
            let id = (start + offset as u64, actor);
            // Nothing refers to an operation of its own change made at or after itself.
            let earlier = |other: Id| other.1 != actor || other.0 < id.0;
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
            let obj = self.obj(&op.obj);
            let obj_type = match obj {
                Some(made) if !earlier(made) => None,
                Some(made) if made.1 == actor && made.0 >= start => {
                    made_objects.get(&made).copied()
                }
                _ => self.object_type(obj)?,
            }
            .ok_or_else(|| refused("a change writes into an object that does not exist"))?;
            let is_element = |known: &mut Self, element: Id| -> Result<bool, DocError> {
                Ok(earlier(element)
                    && (made_elements.contains(&(obj, element))
                        || known.is_element(obj, element)?))
            };
            let slot = match (obj_type, &op.key, op.insert) {
                (ObjType::Map, Key::Map(name), false) => Slot::Field(obj, name.to_string()),
                (ObjType::List, Key::Seq(after), true) => {
                    if matches!(op.action, OpType::Delete) || !op.pred.is_empty() {
                        return Err(refused("a change inserts something that is not a value"));
                    }
                    if let ElementId::Id(element) = after {
                        let element = self.id(element);
                        if !is_element(self, element)? {
                            return Err(refused(
                                "a change inserts after an element that does not exist",
                            ));
                        }
                    }
                    Slot::Element(obj, id)
                }
                (ObjType::List, Key::Seq(ElementId::Id(element)), false) => {
                    let element = self.id(element);
                    if !is_element(self, element)? {
                        return Err(refused("a change writes an element that does not exist"));
                    }
                    Slot::Element(obj, element)
                }
                _ => return Err(refused("a change addresses an object the wrong way")),
            };
            if matches!(op.action, OpType::Delete) && op.pred.is_empty() {
                return Err(refused("a change deletes nothing"));
            }
            for pred in op.pred.iter() {
                let pred = self.id(pred);
                let pred_slot = if !earlier(pred) {
                    None
                } else if let Some(own) = own_values.get(&pred) {
                    Some(own.clone())
                } else {
                    self.slot_of(pred)?
                };
                if pred_slot.as_ref() != Some(&slot) {
                    return Err(refused("a change overwrites a value that is not there"));
                }
            }
            if !matches!(op.action, OpType::Delete) {
                own_values.insert(id, slot);
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
        if !seen.insert(hash) || doc.get_change_meta_by_hash(&hash).is_some() {
            continue;
        }
        let expanded = expand(&change)?;
        fresh.push((change, expanded));
    }
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let mut known = Known::new(doc);
    // Kahn's order over the batch: each change waits for its dependencies inside the batch.
    let position: HashMap<ChangeHash, usize> = fresh
        .iter()
        .enumerate()
        .map(|(at, (change, _))| (change.hash(), at))
        .collect();
    let mut waiting_on = vec![0usize; fresh.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); fresh.len()];
    let mut ready = std::collections::VecDeque::new();
    for (at, (_, expanded)) in fresh.iter().enumerate() {
        let deps: HashSet<&ChangeHash> = expanded.deps.iter().collect();
        let mut missing = false;
        for dep in deps {
            match position.get(dep) {
                Some(&before) => {
                    waiting_on[at] += 1;
                    dependents[before].push(at);
                }
                None => missing |= !known.changes.contains_key(dep),
            }
        }
        if missing {
            // Never ready: it, and whatever waits on it, is counted as missing history.
            waiting_on[at] = usize::MAX;
        } else if waiting_on[at] == 0 {
            ready.push_back(at);
        }
    }
    let mut ordered = Vec::with_capacity(fresh.len());
    while let Some(at) = ready.pop_front() {
        let (change, expanded) = &fresh[at];
        known.admit(change.hash(), expanded)?;
        ordered.push(at);
        for &next in &dependents[at] {
            if waiting_on[next] != usize::MAX {
                waiting_on[next] -= 1;
                if waiting_on[next] == 0 {
                    ready.push_back(next);
                }
            }
        }
    }
    if ordered.len() < fresh.len() {
        return Err(DocError::MissingDependencies(fresh.len() - ordered.len()));
    }
    let mut changes: Vec<Option<Change>> = fresh.into_iter().map(|(c, _)| Some(c)).collect();
    Ok(ordered
        .into_iter()
        .filter_map(|at| changes[at].take())
        .collect())
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
    fn a_long_history_given_backwards_is_admitted_in_causal_order() {
        let mut doc = AutoCommit::new().with_actor(actor(3));
        for n in 0..300_i64 {
            doc.put(ROOT, "count", n).unwrap();
            doc.commit();
        }
        let mut changes = doc.get_changes(&[]);
        let last = changes.last().unwrap().hash();
        changes.reverse();
        let mut copy = AutoCommit::new();
        let ordered = admit(&mut copy, changes).unwrap();
        assert_eq!(ordered.len(), 300);
        assert_eq!(ordered[299].hash(), last);
        copy.apply_changes(ordered).unwrap();
        assert_eq!(copy.get_heads(), vec![last]);
        // Without its first change, none of them has its history.
        let mut later = doc.get_changes(&[]);
        later.remove(0);
        let error = admit(&mut AutoCommit::new(), later).unwrap_err();
        assert!(
            matches!(error, DocError::MissingDependencies(299)),
            "{error}"
        );
    }

    #[test]
    fn a_write_into_an_object_another_copy_removed_meanwhile_is_admitted() {
        let (mut doc, first, second) = history();
        let list = doc.get(ROOT, "languages").unwrap().unwrap().1;
        let mut other = doc.fork().with_actor(actor(2));
        other.insert(&list, 0, "oj").unwrap();
        other.put(&list, 1, "crk").unwrap();
        other.commit();
        let into_removed = other.get_last_local_change().unwrap();
        doc.delete(ROOT, "languages").unwrap();
        doc.put(ROOT, "name", "Seedier").unwrap();
        doc.commit();
        let removal = doc.get_last_local_change().unwrap();

        // The copy holds the removal (and the object, hidden, in its history) when the
        // concurrent write into the object arrives.
        let mut copy = AutoCommit::new();
        copy.apply_changes([first, second, removal]).unwrap();
        let admitted = admit(&mut copy, vec![into_removed]).unwrap();
        assert_eq!(admitted.len(), 1);
        copy.apply_changes(admitted).unwrap();
        assert_eq!(copy.get_heads().len(), 2);
        assert!(AutoCommit::load(&copy.save()).is_ok());
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

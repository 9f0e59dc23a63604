//! One pass over a document's objects, kept, so that the bounds check and the hydration of the
//! record that follow it read each object once. Automerge 0.12 finds a key by scanning its
//! object's operations, so hydrating field by field (and list item by list item) through
//! `get` scans each object once per field; reading every entry of an object with one
//! `map_range` / `list_range` and answering `get` from that is what made ingest fit its budget
//! (`docs/PERFORMANCE.md`, 2026-12-06). Its maps hash with foldhash, seeded per process
//! (keys are a received document's, so not a fixed seed), in a fraction of SipHash's time.

use std::cell::RefCell;
use std::ops::RangeBounds;
use std::rc::Rc;

use automerge::iter::DocItem;
use automerge::{AutoCommit, AutomergeError, ObjId, ObjType, Prop, ReadDoc as _, Value};
use foldhash::{HashMap, HashMapExt as _};

use super::DocError;
use super::shape::MAX_ENTRIES;

/// One key's or list item's winning value, its id, and whether other values are concurrent.
#[derive(Clone)]
pub(super) struct Entry {
    pub(super) value: Value<'static>,
    pub(super) id: ObjId,
    pub(super) conflict: bool,
}

/// An object's entries, read at once.
pub(super) enum Entries {
    Map(HashMap<String, Entry>),
    List(Vec<Entry>),
    /// A text object: how many characters (read through the document when hydrated).
    Text(usize),
}

/// A document read object by object, each object once.
pub(super) struct Reader<'a> {
    pub(super) doc: &'a AutoCommit,
    objects: RefCell<HashMap<ObjId, Rc<Entries>>>,
}

impl<'a> Reader<'a> {
    /// A reader that reads objects as they are asked for.
    pub(super) fn new(doc: &'a AutoCommit) -> Self {
        Self {
            doc,
            objects: RefCell::new(HashMap::new()),
        }
    }

    /// A reader that has read every visible object in one walk of the document (Automerge sets
    /// up its range iterators once, not once per object). Objects only behind a concurrent
    /// winner, and empty ones, are read when asked for. Refused once the walk passes
    /// [`MAX_ENTRIES`], as the bounds check would.
    pub(super) fn walked(doc: &'a AutoCommit) -> Result<Self, DocError> {
        let mut maps: HashMap<ObjId, HashMap<String, Entry>> = HashMap::new();
        let mut lists: HashMap<ObjId, Vec<Entry>> = HashMap::new();
        let mut texts: Vec<ObjId> = Vec::new();
        let mut unordered: Vec<ObjId> = Vec::new();
        let mut seen = 0usize;
        for item in doc.iter() {
            seen += 1;
            if seen > MAX_ENTRIES {
                return Err(DocError::Shape("the record holds too many values"));
            }
            match item.item {
                DocItem::Map(entry) => {
                    let map = maps.entry((*item.obj).clone()).or_default();
                    map.insert(
                        entry.key.clone().into_owned(),
                        Entry {
                            id: entry.id(),
                            conflict: entry.conflict,
                            value: entry.value.into_value(),
                        },
                    );
                }
                DocItem::List(entry) => {
                    let list = lists.entry((*item.obj).clone()).or_default();
                    if entry.index != list.len() {
                        unordered.push((*item.obj).clone());
                    }
                    list.push(Entry {
                        id: entry.id(),
                        conflict: entry.conflict,
                        value: entry.value.into_value(),
                    });
                }
                DocItem::Text(_) => texts.push((*item.obj).clone()),
            }
        }
        for obj in &unordered {
            lists.remove(obj);
        }
        let mut objects: HashMap<ObjId, Rc<Entries>> = maps
            .into_iter()
            .map(|(obj, map)| (obj, Rc::new(Entries::Map(map))))
            .chain(
                lists
                    .into_iter()
                    .map(|(obj, list)| (obj, Rc::new(Entries::List(list)))),
            )
            .collect();
        for obj in texts {
            let length = doc.length(&obj);
            objects.insert(obj, Rc::new(Entries::Text(length)));
        }
        // The walk visits every winning object; one it yielded nothing for is empty (a list left
        // out above for its order is read again when asked for).
        let empty: Vec<(ObjId, Entries)> = objects
            .values()
            .flat_map(|entries| -> Vec<&Entry> {
                match &**entries {
                    Entries::Map(map) => map.values().collect(),
                    Entries::List(list) => list.iter().collect(),
                    Entries::Text(_) => Vec::new(),
                }
            })
            .filter_map(|entry| match entry.value {
                Value::Object(ObjType::Map | ObjType::Table) => {
                    Some((entry.id.clone(), Entries::Map(HashMap::new())))
                }
                Value::Object(ObjType::List) => Some((entry.id.clone(), Entries::List(Vec::new()))),
                _ => None,
            })
            .filter(|(obj, _)| !objects.contains_key(obj) && !unordered.contains(obj))
            .collect();
        for (obj, entries) in empty {
            objects.insert(obj, Rc::new(entries));
        }
        Ok(Self {
            doc,
            objects: RefCell::new(objects),
        })
    }

    /// Every entry of `obj`, read in one pass the first time. An object with more than
    /// [`MAX_ENTRIES`] entries is refused before it is all read (a received document is input).
    pub(super) fn entries(&self, obj: &ObjId) -> Result<Rc<Entries>, DocError> {
        if let Some(entries) = self.objects.borrow().get(obj) {
            return Ok(Rc::clone(entries));
        }
        let too_many = || DocError::Shape("the record holds too many values");
        let entries = match self.doc.object_type(obj) {
            Ok(ObjType::Map | ObjType::Table) => {
                let mut map = HashMap::new();
                for item in self.doc.map_range(obj, ..) {
                    if map.len() >= MAX_ENTRIES {
                        return Err(too_many());
                    }
                    let entry = Entry {
                        id: item.id(),
                        conflict: item.conflict,
                        value: item.value.into_value(),
                    };
                    map.insert(item.key.into_owned(), entry);
                }
                Entries::Map(map)
            }
            Ok(ObjType::List) => {
                let mut list = Vec::new();
                for item in self.doc.list_range(obj, ..) {
                    if list.len() >= MAX_ENTRIES {
                        return Err(too_many());
                    }
                    list.push(Entry {
                        id: item.id(),
                        conflict: item.conflict,
                        value: item.value.into_value(),
                    });
                }
                Entries::List(list)
            }
            Ok(ObjType::Text) => Entries::Text(self.doc.length(obj)),
            Err(error) => return Err(DocError::Corrupt(error.to_string())),
        };
        let entries = Rc::new(entries);
        self.objects
            .borrow_mut()
            .insert(obj.clone(), Rc::clone(&entries));
        Ok(entries)
    }
}

impl autosurgeon::ReadDoc for Reader<'_> {
    type Parents<'b>
        = automerge::Parents<'b>
    where
        Self: 'b;

    fn get_heads(&self) -> Vec<automerge::ChangeHash> {
        autosurgeon::ReadDoc::get_heads(self.doc)
    }

    fn get<P: Into<Prop>>(
        &self,
        obj: &ObjId,
        prop: P,
    ) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        let prop = prop.into();
        let Ok(entries) = self.entries(obj) else {
            // Not readable at once (too large): read this one value the slow way.
            return automerge::ReadDoc::get(self.doc, obj, prop);
        };
        let entry = match (&*entries, &prop) {
            (Entries::Map(map), Prop::Map(key)) => map.get(key.as_str()),
            (Entries::List(list), Prop::Seq(index)) => list.get(*index),
            _ => return automerge::ReadDoc::get(self.doc, obj, prop),
        };
        Ok(entry.map(|e| (e.value.clone(), e.id.clone())))
    }

    fn object_type<O: AsRef<ObjId>>(&self, obj: O) -> Option<ObjType> {
        autosurgeon::ReadDoc::object_type(self.doc, obj)
    }

    fn map_range<'b, O, R>(&'b self, obj: O, range: R) -> automerge::iter::MapRange<'b>
    where
        R: RangeBounds<String> + 'b,
        O: AsRef<ObjId>,
        R: RangeBounds<String>,
    {
        automerge::ReadDoc::map_range(self.doc, obj, range)
    }

    fn list_range<O: AsRef<ObjId>, R: RangeBounds<usize>>(
        &self,
        obj: O,
        range: R,
    ) -> automerge::iter::ListRange<'_> {
        automerge::ReadDoc::list_range(self.doc, obj, range)
    }

    fn length<O: AsRef<ObjId>>(&self, obj: O) -> usize {
        match self.entries(obj.as_ref()).as_deref() {
            Ok(Entries::List(list)) => list.len(),
            Ok(Entries::Map(map)) => map.len(),
            Ok(Entries::Text(len)) => *len,
            Err(_) => automerge::ReadDoc::length(self.doc, obj),
        }
    }

    fn text<O: AsRef<ObjId>>(&self, obj: O) -> Result<String, AutomergeError> {
        automerge::ReadDoc::text(self.doc, obj)
    }

    fn parents<O: AsRef<ObjId>>(&self, obj: O) -> Result<Self::Parents<'_>, AutomergeError> {
        automerge::ReadDoc::parents(self.doc, obj)
    }

    fn is_empty(&self) -> bool {
        self.entries(&automerge::ROOT)
            .is_ok_and(|e| matches!(&*e, Entries::Map(m) if m.is_empty()))
    }
}

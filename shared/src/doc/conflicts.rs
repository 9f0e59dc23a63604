//! Concurrent values of one field are kept by Automerge; this finds them so a person can choose.

use std::collections::HashMap;

use automerge::ObjId as ExId;
use automerge::{AutoCommit, ObjType, ReadDoc, ScalarValue, Value};

use crate::ids::{AgentId, DeviceId};
use crate::time::Timestamp;

/// A field with more than one concurrent value.
#[derive(Clone, PartialEq)]
pub struct Conflict {
    /// A path such as `identity.family_name` or `referrals[0].status`.
    pub path: String,
    /// All the values, the one [`super::ClientDoc::read`] returns first.
    pub values: Vec<ConflictValue>,
    /// Who set each value, in the order of `values`.
    pub origins: Vec<ValueOrigin>,
}

/// Who set one of the concurrent values, on which device and when (read from the change that
/// holds the value's operation; the clock is the device's own).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ValueOrigin {
    /// The agent the change names.
    pub agent: Option<AgentId>,
    /// The device (the change's actor).
    pub device: Option<DeviceId>,
    /// When, by that device's clock.
    pub at: Option<Timestamp>,
}

/// For each actor, the operation ranges of its changes and who/when they say.
struct Origins(HashMap<Vec<u8>, Vec<(u64, u64, ValueOrigin)>>);

impl Origins {
    fn of(doc: &mut AutoCommit) -> Self {
        let mut by_actor: HashMap<Vec<u8>, Vec<(u64, u64, ValueOrigin)>> = HashMap::new();
        for change in doc.get_changes(&[]) {
            let start = change.start_op().get();
            let end = start.saturating_add(change.len() as u64);
            by_actor
                .entry(change.actor_id().to_bytes().to_vec())
                .or_default()
                .push((
                    start,
                    end,
                    ValueOrigin {
                        agent: super::history::agent_of(&change),
                        device: super::history::device_of(change.actor_id()),
                        at: Some(Timestamp(change.timestamp())),
                    },
                ));
        }
        Self(by_actor)
    }

    fn of_value(&self, id: &ExId) -> ValueOrigin {
        let ExId::Id(counter, actor, _) = id else {
            return ValueOrigin::default();
        };
        self.0
            .get(actor.to_bytes())
            .and_then(|ranges| {
                ranges
                    .iter()
                    .find(|(start, end, _)| (*start..*end).contains(counter))
            })
            .map_or_else(ValueOrigin::default, |(_, _, origin)| *origin)
    }
}

impl std::fmt::Debug for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Conflict({}, {} values)", self.path, self.values.len())
    }
}

/// One of the concurrent values.
#[derive(Clone, PartialEq, Debug)]
pub enum ConflictValue {
    /// Text.
    Text(String),
    /// A number.
    Number(i64),
    /// True or false.
    Bool(bool),
    /// Nothing (the field was cleared).
    Empty,
    /// A nested object (a group of fields).
    Object,
    /// Some other value (bytes, a timestamp in milliseconds, …) shown as text.
    Other(String),
}

/// Bookkeeping stamps that every concurrent edit touches; their deterministic winner is fine and
/// the history keeps every value, so they are not shown to a person as conflicts.
const BOOKKEEPING: [&str; 2] = ["provenance.updated_at", "provenance.updated_by"];

pub(super) fn find(doc: &mut AutoCommit) -> Vec<Conflict> {
    let origins = Origins::of(doc);
    let mut found = Vec::new();
    let mut walker = Walker {
        doc,
        origins: &origins,
        out: &mut found,
    };
    walker.walk(&automerge::ROOT, ObjType::Map, "", 0);
    found.retain(|c| !BOOKKEEPING.contains(&c.path.as_str()));
    found
}

struct Walker<'a> {
    doc: &'a AutoCommit,
    origins: &'a Origins,
    out: &'a mut Vec<Conflict>,
}

impl Walker<'_> {
    fn walk(&mut self, obj: &automerge::ObjId, kind: ObjType, path: &str, depth: usize) {
        // A received document is checked against this bound before it is stored; the walk
        // keeps it too, so no document can take the stack.
        if depth > super::shape::MAX_DEPTH {
            return;
        }
        match kind {
            ObjType::Map | ObjType::Table => {
                for key in self.doc.keys(obj) {
                    let child_path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    self.visit(obj, automerge::Prop::Map(key), &child_path, depth);
                }
            }
            ObjType::List => {
                for index in 0..self.doc.length(obj) {
                    let child_path = format!("{path}[{index}]");
                    self.visit(obj, automerge::Prop::Seq(index), &child_path, depth);
                }
            }
            ObjType::Text => {}
        }
    }

    fn visit(&mut self, obj: &automerge::ObjId, prop: automerge::Prop, path: &str, depth: usize) {
        let Ok(values) = self.doc.get_all(obj, prop) else {
            return;
        };
        if values.len() > 1 {
            self.out.push(Conflict {
                path: path.to_owned(),
                values: values.iter().map(|(v, _)| describe(v)).collect(),
                origins: values
                    .iter()
                    .map(|(_, id)| self.origins.of_value(id))
                    .collect(),
            });
        }
        // The winner is last in `get_all`; descend into the object the reader actually sees.
        if let Some((Value::Object(kind), id)) = values.last() {
            self.walk(id, *kind, path, depth + 1);
        }
    }
}

fn describe(value: &Value<'_>) -> ConflictValue {
    match value {
        Value::Object(_) => ConflictValue::Object,
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(text) => ConflictValue::Text(text.to_string()),
            ScalarValue::Int(i) => ConflictValue::Number(*i),
            ScalarValue::Uint(u) => ConflictValue::Number(i64::try_from(*u).unwrap_or(i64::MAX)),
            ScalarValue::Boolean(b) => ConflictValue::Bool(*b),
            ScalarValue::Null => ConflictValue::Empty,
            other => ConflictValue::Other(other.to_string()),
        },
    }
}

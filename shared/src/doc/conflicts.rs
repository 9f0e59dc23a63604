//! Concurrent values of one field are kept by Automerge; this finds them so a person can choose.

use automerge::{AutoCommit, ObjType, ReadDoc, ScalarValue, Value};

/// A field with more than one concurrent value.
#[derive(Clone, PartialEq)]
pub struct Conflict {
    /// A path such as `identity.family_name` or `referrals[0].status`.
    pub path: String,
    /// All the values, the one [`super::ClientDoc::read`] returns first.
    pub values: Vec<ConflictValue>,
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

pub(super) fn find(doc: &AutoCommit) -> Vec<Conflict> {
    let mut found = Vec::new();
    walk(doc, &automerge::ROOT, ObjType::Map, "", 0, &mut found);
    found.retain(|c| !BOOKKEEPING.contains(&c.path.as_str()));
    found
}

fn walk(
    doc: &AutoCommit,
    obj: &automerge::ObjId,
    kind: ObjType,
    path: &str,
    depth: usize,
    out: &mut Vec<Conflict>,
) {
    // A received document is checked against this bound before it is stored; the walk keeps it
    // too, so no document can take the stack.
    if depth > super::shape::MAX_DEPTH {
        return;
    }
    match kind {
        ObjType::Map | ObjType::Table => {
            for key in doc.keys(obj) {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                visit(doc, obj, automerge::Prop::Map(key), &child_path, depth, out);
            }
        }
        ObjType::List => {
            for index in 0..doc.length(obj) {
                visit(
                    doc,
                    obj,
                    automerge::Prop::Seq(index),
                    &format!("{path}[{index}]"),
                    depth,
                    out,
                );
            }
        }
        ObjType::Text => {}
    }
}

fn visit(
    doc: &AutoCommit,
    obj: &automerge::ObjId,
    prop: automerge::Prop,
    path: &str,
    depth: usize,
    out: &mut Vec<Conflict>,
) {
    let Ok(values) = doc.get_all(obj, prop) else {
        return;
    };
    if values.len() > 1 {
        out.push(Conflict {
            path: path.to_owned(),
            values: values.iter().map(|(v, _)| describe(v)).collect(),
        });
    }
    // The winner is last in `get_all`; descend into the object the reader actually sees.
    if let Some((Value::Object(kind), id)) = values.last() {
        walk(doc, id, *kind, path, depth + 1, out);
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

//! Settling a conflict (issue 11): a person picks one of a field's concurrent values, or types
//! a new one, and the choice is written as one ordinary change. The new value supersedes every
//! concurrent one, so the conflict clears on every device that receives the change — also when
//! the choice is the value [`super::ClientDoc::read`] already showed, which a plain write (only
//! the differences) would not touch. Two people settling the same conflict differently offline
//! make a new conflict between their two choices: it is shown again, never silently dropped.

use automerge::transaction::Transactable as _;
use automerge::{ObjType, Prop, ReadDoc, ScalarValue, Value};

use super::DocError;

/// What to keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// One of the concurrent values, by its index in [`super::Conflict::values`].
    Keep(usize),
    /// A new text value (for a text field).
    Text(String),
}

/// The object and property a conflict path (`identity.family_name`, `referrals[0].status`)
/// names.
fn locate(doc: &automerge::AutoCommit, path: &str) -> Result<(automerge::ObjId, Prop), DocError> {
    let mut parts: Vec<Prop> = Vec::new();
    for segment in path.split('.') {
        let (key, indexes) = match segment.find('[') {
            Some(at) => (&segment[..at], &segment[at..]),
            None => (segment, ""),
        };
        if key.is_empty() {
            return Err(DocError::Shape("conflict path"));
        }
        parts.push(Prop::Map(key.to_owned()));
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let n: usize = index
                .strip_suffix(']')
                .and_then(|n| n.parse().ok())
                .ok_or(DocError::Shape("conflict path"))?;
            parts.push(Prop::Seq(n));
        }
    }
    let last = parts.pop().ok_or(DocError::Shape("conflict path"))?;
    let mut obj = automerge::ROOT;
    for prop in parts {
        match doc.get(&obj, prop) {
            Ok(Some((Value::Object(ObjType::Map | ObjType::List | ObjType::Table), id))) => {
                obj = id;
            }
            _ => return Err(DocError::Shape("conflict path")),
        }
    }
    Ok((obj, last))
}

/// Writes the choice into `doc` (not committed). `Ok(false)` when the field has no conflict.
pub(super) fn apply(
    doc: &mut automerge::AutoCommit,
    path: &str,
    choice: &Choice,
) -> Result<bool, DocError> {
    let (obj, prop) = locate(doc, path)?;
    let values = doc
        .get_all(&obj, prop.clone())
        .map_err(|e| DocError::Write(e.to_string()))?;
    if values.len() < 2 {
        return Ok(false);
    }
    let value: ScalarValue = match choice {
        Choice::Keep(index) => match values.get(*index) {
            Some((Value::Scalar(scalar), _)) => scalar.as_ref().clone(),
            _ => return Err(DocError::Shape("only a plain value can be kept")),
        },
        Choice::Text(text) => {
            let all_text = values
                .iter()
                .all(|(v, _)| matches!(v, Value::Scalar(s) if matches!(s.as_ref(), ScalarValue::Str(_) | ScalarValue::Null)));
            if !all_text {
                return Err(DocError::Shape("a typed value needs a text field"));
            }
            ScalarValue::Str(text.as_str().into())
        }
    };
    match prop {
        Prop::Map(key) => doc.put(&obj, key, value),
        Prop::Seq(index) => doc.put(&obj, index, value),
    }
    .map_err(|e| DocError::Write(e.to_string()))?;
    Ok(true)
}

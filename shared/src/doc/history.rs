//! Who changed what, when: read back from the changes themselves.

use automerge::{AutoCommit, ChangeHash, Patch, PatchAction, Prop};

use super::Author;
use crate::ids::{AgentId, DeviceId};
use crate::time::Timestamp;

const AGENT_PREFIX: &str = "agent:";

pub(super) fn commit_message(author: Author) -> String {
    format!("{AGENT_PREFIX}{}", author.agent)
}

/// One change in a record's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The change hash (hex), stable across devices.
    pub change: String,
    /// The agent who made it, if recorded.
    pub agent: Option<AgentId>,
    /// The device it was made on (the Automerge actor).
    pub device: Option<DeviceId>,
    /// When, by the device's clock.
    pub at: Timestamp,
    /// Field paths it touched, e.g. `identity.family_name`, `consent[2]`.
    pub fields: Vec<String>,
}

pub(super) fn entries(doc: &mut AutoCommit) -> Vec<HistoryEntry> {
    let changes = doc.get_changes(&[]);
    changes
        .iter()
        .map(|change| {
            let hash = change.hash();
            let fields = changed_fields(doc, change.deps(), hash);
            HistoryEntry {
                change: hash.to_string(),
                agent: agent_of(change),
                device: device_of(change.actor_id()),
                at: Timestamp(change.timestamp()),
                fields,
            }
        })
        .collect()
}

/// The agent a change names in its message (every change this code writes names one).
pub(super) fn agent_of(change: &automerge::Change) -> Option<AgentId> {
    change
        .message()
        .and_then(|m| m.strip_prefix(AGENT_PREFIX))
        .and_then(|id| id.parse().ok())
}

/// The device an Automerge actor stands for (actors are device ids).
pub(super) fn device_of(actor: &automerge::ActorId) -> Option<DeviceId> {
    uuid::Uuid::from_slice(actor.to_bytes()).ok().map(DeviceId)
}

fn changed_fields(doc: &mut AutoCommit, deps: &[ChangeHash], hash: ChangeHash) -> Vec<String> {
    let mut fields: Vec<String> = doc.diff(deps, &[hash]).iter().map(patch_field).collect();
    fields.sort();
    fields.dedup();
    fields
}

fn patch_field(patch: &Patch) -> String {
    let mut path = String::new();
    for (_, prop) in &patch.path {
        push_prop(&mut path, prop);
    }
    match &patch.action {
        PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => {
            push_prop(&mut path, &Prop::Map(key.clone()));
        }
        PatchAction::PutSeq { index, .. }
        | PatchAction::Insert { index, .. }
        | PatchAction::DeleteSeq { index, .. } => push_prop(&mut path, &Prop::Seq(*index)),
        PatchAction::Conflict { prop } => push_prop(&mut path, prop),
        _ => {}
    }
    path
}

fn push_prop(path: &mut String, prop: &Prop) {
    match prop {
        Prop::Map(key) => {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
        }
        Prop::Seq(index) => path.push_str(&format!("[{index}]")),
    }
}

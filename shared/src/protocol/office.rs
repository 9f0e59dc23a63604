//! Office requests to a node (issue 12): an office device asks its node for a consent-filtered
//! export to a partner (a dry run that counts, or the sealed file itself). Signed like a sync
//! request (the signature covers the whole body); answered only to office devices. JSON, small
//! and bounded: the node holds the records and the disclosure register, so an export made from
//! the office's window is recorded exactly like one made with `sync-server export`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The largest export order a node reads.
pub const MAX_EXPORT_ORDER_BYTES: usize = 4 * 1024;
/// The largest export answer a device reads (a sealed CSV of 100,000 clients' minimal columns
/// is a few MiB).
pub const MAX_EXPORT_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// What to export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportOrder {
    /// The partner, by catalogue code.
    pub partner: String,
    /// The purpose, by catalogue code.
    pub purpose: String,
    /// The partner's age recipient (`age1…`); required unless a dry run.
    pub recipient: Option<String>,
    /// Who exports (recorded in every disclosure).
    pub by: String,
    /// Only count who would be released and who left out; record nothing.
    pub dry_run: bool,
}

/// What the node did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportAnswer {
    /// Clients released (or, in a dry run, who would be).
    pub released: u64,
    /// Clients left out, by reason (`no_consent`, `withdrawn`, `expired`).
    pub left_out: BTreeMap<String, u64>,
    /// The export's columns.
    pub columns: Vec<String>,
    /// The sealed CSV, base64 (none in a dry run).
    pub sealed_file: Option<String>,
}

impl ExportOrder {
    /// Reads an order's bytes within the limit.
    ///
    /// # Errors
    /// Too large, or not an order.
    pub fn decode(bytes: &[u8]) -> Result<Self, super::DecodeError> {
        if bytes.len() > MAX_EXPORT_ORDER_BYTES {
            return Err(super::DecodeError::TooLarge);
        }
        serde_json::from_slice(bytes).map_err(|_| super::DecodeError::Malformed("export order"))
    }
}

/// The largest register query a node reads.
pub const MAX_REGISTER_QUERY_BYTES: usize = 1024;
/// The most rows of each kind a register answer holds (the oldest first; a longer register is
/// read with `sync-server disclosures`).
pub const MAX_REGISTER_ROWS: u32 = 10_000;
/// The largest register answer a device reads.
pub const MAX_REGISTER_ANSWER_BYTES: u64 = 16 * 1024 * 1024;

/// What the office asks of the node's registers: the disclosures (of one client, to one
/// partner, in a period), and for one client also every device's audit entries about it — "who
/// looked at my file" across devices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterQuery {
    /// Only this client (a record id); with it, the answer also holds the accesses.
    pub client: Option<crate::ids::ClientId>,
    /// Only disclosures to this partner (a catalogue code).
    pub partner: Option<String>,
    /// Only at or after (ms since the epoch).
    pub from_ms: Option<i64>,
    /// Only before (ms since the epoch).
    pub until_ms: Option<i64>,
}

/// One view, change, print or export of a record, as a device's audit trail holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessLine {
    /// When (ms since the epoch).
    pub at_ms: i64,
    /// What (`crate::audit::AuditAction::name`).
    pub action: String,
    /// Who was signed in.
    pub agent: crate::ids::AgentId,
    /// On which device.
    pub device: crate::ids::DeviceId,
}

/// The node's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterAnswer {
    /// Disclosures, oldest first.
    pub disclosures: Vec<crate::disclosure::Disclosure>,
    /// Every device's entries about the client, oldest first (empty without a client).
    pub accesses: Vec<AccessLine>,
    /// More rows matched than were sent.
    pub cut: bool,
}

impl RegisterQuery {
    /// Reads a query's bytes within the limit.
    ///
    /// # Errors
    /// Too large, or not a query.
    pub fn decode(bytes: &[u8]) -> Result<Self, super::DecodeError> {
        if bytes.len() > MAX_REGISTER_QUERY_BYTES {
            return Err(super::DecodeError::TooLarge);
        }
        serde_json::from_slice(bytes).map_err(|_| super::DecodeError::Malformed("register query"))
    }
}

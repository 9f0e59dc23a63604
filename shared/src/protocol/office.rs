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

//! Counters for `/metrics` (Prometheus text format). Only counts: no ids, no client data.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::storage::StoreStats;

/// Process-wide counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Sync requests answered.
    pub sync_requests: AtomicU64,
    /// Request body bytes read by sync.
    pub sync_bytes_in: AtomicU64,
    /// Response body bytes written by sync.
    pub sync_bytes_out: AtomicU64,
    /// Changes newly stored.
    pub changes_applied: AtomicU64,
    /// Changes already known.
    pub changes_duplicate: AtomicU64,
    /// Changes refused (scope, epoch, invalid).
    pub changes_refused: AtomicU64,
    /// Requests refused by authentication (any reason).
    pub auth_refused: AtomicU64,
    /// Uploads cut mid-way whose bytes were kept.
    pub uploads_resumable: AtomicU64,
    /// Devices enrolled.
    pub enrollments: AtomicU64,
}

impl Metrics {
    /// Adds to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    #[must_use]
    pub fn render(&self, stats: StoreStats) -> String {
        let mut out = String::new();
        let counters = [
            (
                "outreach_sync_requests_total",
                "Sync requests answered.",
                &self.sync_requests,
            ),
            (
                "outreach_sync_bytes_in_total",
                "Sync request body bytes read.",
                &self.sync_bytes_in,
            ),
            (
                "outreach_sync_bytes_out_total",
                "Sync response body bytes written.",
                &self.sync_bytes_out,
            ),
            (
                "outreach_changes_applied_total",
                "Changes newly stored.",
                &self.changes_applied,
            ),
            (
                "outreach_changes_duplicate_total",
                "Changes received that were already stored.",
                &self.changes_duplicate,
            ),
            (
                "outreach_changes_refused_total",
                "Changes refused (scope, epoch, invalid).",
                &self.changes_refused,
            ),
            (
                "outreach_auth_refused_total",
                "Requests refused by authentication.",
                &self.auth_refused,
            ),
            (
                "outreach_uploads_cut_total",
                "Uploads cut mid-way whose received bytes were kept.",
                &self.uploads_resumable,
            ),
            (
                "outreach_enrollments_total",
                "Devices enrolled.",
                &self.enrollments,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
        for (name, help, value) in [
            (
                "outreach_documents",
                "Client documents stored.",
                stats.documents,
            ),
            (
                "outreach_log_entries",
                "Change log length.",
                stats.log_entries,
            ),
            ("outreach_devices", "Registered devices.", stats.devices),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

//! Helpers for tests that span processes: real `sync-server` nodes on port 0 and laptops driven
//! through the `field-app` command line ([`processes`]), the crash-safety writer's protocol, and a
//! scanner for plaintext in a profile directory.

pub mod fixtures;
pub mod processes;
pub mod proxy;

use std::path::Path;

/// The line the crash writer prints after each committed create: `created <uuid> <family name>`.
pub const CREATED: &str = "created";
/// The line it prints after each committed update: `updated <uuid> <family name>`.
pub const UPDATED: &str = "updated";
/// The family-name prefix every crash-test record carries; never to be found in plaintext.
pub const CANARY: &str = "Crashcanaryqvx";

/// Files in `dir` (recursively) whose bytes contain `needle`, or that are plaintext SQLite.
#[must_use]
pub fn plaintext_findings(dir: &Path, needle: &str) -> Vec<String> {
    let mut findings = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return findings;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            findings.extend(plaintext_findings(&path, needle));
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if bytes.starts_with(b"SQLite format 3") {
            findings.push(format!("{} is plaintext SQLite", path.display()));
        }
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            findings.push(format!("{} contains the canary", path.display()));
        }
    }
    findings
}

//! Helpers for tests that span processes: real `sync-server` nodes on port 0 and laptops driven
//! through the `field-app` command line ([`processes`]), the crash-safety writer's protocol, and a
//! scanner for plaintext in a profile directory.

pub mod fixtures;
pub mod processes;
pub mod proxy;

/// The line the crash writer prints after each committed create: `created <uuid> <family name>`.
pub const CREATED: &str = "created";
/// The line it prints after each committed update: `updated <uuid> <family name>`.
pub const UPDATED: &str = "updated";
/// The family-name prefix every crash-test record carries; never to be found in plaintext.
pub const CANARY: &str = "Crashcanaryqvx";

pub use test_support::plaintext_findings;

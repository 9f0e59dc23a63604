//! The outreach agent's laptop app: encrypted offline intake.
//!
//! This library holds everything but the entry point, so tests and benchmarks drive the same
//! code the binary runs:
//! - [`storage`]: the encrypted local store (documents, projection, outbox);
//! - [`search`]: the in-memory search index;
//! - [`cli`]: the command-line subcommands (decisions D6).
//!
//! The egui GUI and the sync engine arrive with their own issues.

pub mod cli;
pub mod search;
pub mod storage;

pub use search::SearchQuery;
pub use storage::{ClientSummary, ListFilter, LocalStore, Saved, StoreError};

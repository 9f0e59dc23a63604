//! The outreach agent's laptop app: encrypted offline intake.
//!
//! This library holds everything but the entry point, so tests and benchmarks drive the same
//! code the binary runs:
//! - [`storage`]: the encrypted local store (documents, projection, outbox);
//! - [`sync`]: the client sync engine (enrol, one-round-trip resumable sync);
//! - [`cli`]: the command-line subcommands (decisions D6);
//! - [`gui`]: the egui desktop app (screens, worker thread, translations, fonts, printing);
//! - [`fixtures`]: fictional intake lines for the demo, tests and benchmarks.

pub mod cli;
pub mod fixtures;
pub mod gui;
pub mod storage;
pub mod sync;

pub use shared::matching::SearchQuery;
pub use storage::{ClientSummary, ListFilter, LocalStore, Saved, StoreError};

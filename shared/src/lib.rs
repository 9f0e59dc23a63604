//! What the field app and the sync server share: the domain model, one Automerge document per
//! client, crypto and the intake schema.
//!
//! **Not here:** I/O of any kind (files, sockets, SQL), UI, HTTP. Everything in this crate is a
//! pure function of its inputs, so it is cheap to test exhaustively and safe to call anywhere.

pub mod audit;
pub mod catalogue;
pub mod crypto;
pub mod disclosure;
pub mod doc;
pub mod ids;
pub mod intake_schema;
pub mod matching;
pub mod model;
pub mod protocol;
pub mod report;
pub mod text;
pub mod time;
pub mod typed_date;

pub use catalogue::Catalogue;
pub use doc::{Author, ClientDoc, DocError, RawChange};
pub use model::Client;

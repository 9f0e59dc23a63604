//! Matching people by name, date of birth and community: tokenising and folding
//! ([`crate::text`]), fuzzy name tokens, partial dates of birth, and the in-memory index the
//! field app searches as the agent types. One place for every use (find, "possible existing
//! client", later the office matcher and the hub's reunification search).

mod birth;
mod distance;
mod index;

pub use index::{Hit, Person, SearchIndex, SearchQuery};

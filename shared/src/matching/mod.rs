//! Matching people by name, date of birth and community: tokenising and folding
//! ([`crate::text`]), name comparison (variants, spelling keys, slips; [`names`]), partial dates
//! of birth, the in-memory index the field app searches as the agent types, and the person
//! matcher the office uses to find duplicates ([`linkage`]). One place for every use (find,
//! "possible existing client", the hub's reunification search, office dedup).

mod birth;
mod index;
pub mod linkage;
pub mod names;
mod nicknames;
mod pairing;

pub use birth::{Birth, BirthLevel, parse_birth};
pub use index::{Hit, Person, SearchIndex, SearchQuery};
pub use nicknames::{same_name, variants_of};

//! The person matcher: which records are the same person, with a calibrated probability and the
//! evidence for and against (issue 11). One matcher for the office's bulk dedup, the hub's
//! reunification search and the field app's "possible existing client".
//!
//! A pair of records is compared field by field into *levels* ([`compare`]): names through
//! [`super::names`] (exact, variant, close, similar, different; given and family tried both
//! ways round), date of birth through [`super::BirthLevel`] (exact, day/month swapped, one slip,
//! partial, less than a year apart, different), and agree/differ for sex, community, band number, SIN last digits,
//! phone and shared household members. A missing value is no evidence either way.
//! A Fellegi–Sunter model turns levels into weights: `u` (how often a level happens between
//! two different people) is measured on random pairs, `m` (how often between two records of one
//! person) is estimated by expectation-maximisation on the blocked candidate pairs — no labels
//! are used — and exact name agreement is adjusted by how common that name is.
//! Candidates come from several blocking keys ([`blocking`]) so a pair survives any one field
//! being missing or mistyped.

mod address;
mod blocking;
mod compare;
mod dedup;
mod model;

pub use blocking::{Candidate, candidate_pairs};
pub use compare::{Comparison, Field, Prepared, compare};
pub use dedup::{DedupOptions, DedupReport, ScoredPair, clusters, find_duplicates};
pub use model::{Evidence, Model, probability};

use super::Birth;
use crate::ids::ClientId;
use crate::model::{Client, SexOrGender};

/// What the matcher reads of a record. Values as written; the matcher folds them.
#[derive(Clone)]
pub struct PersonRecord {
    /// The record.
    pub id: ClientId,
    /// Given name(s) and the preferred name.
    pub given: Vec<String>,
    /// Family name(s).
    pub family: Vec<String>,
    /// Other names and spellings (either part).
    pub other: Vec<String>,
    /// Date of birth, possibly partial.
    pub birth: Option<Birth>,
    /// Sex or gender, folded to a short code.
    pub sex: Option<String>,
    /// Community code.
    pub community: Option<String>,
    /// Band or registry number.
    pub band_number: Option<String>,
    /// Last digits of the SIN.
    pub sin_last3: Option<String>,
    /// Phone number (digits compared).
    pub phone: Option<String>,
    /// Household members this record links to.
    pub household: Vec<ClientId>,
    /// Mailing address, as written.
    pub address: Option<String>,
}

impl std::fmt::Debug for PersonRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PersonRecord({})", self.id)
    }
}

impl PersonRecord {
    /// A record with only an id; fill in what is known.
    #[must_use]
    pub fn new(id: ClientId) -> Self {
        Self {
            id,
            given: Vec::new(),
            family: Vec::new(),
            other: Vec::new(),
            birth: None,
            sex: None,
            community: None,
            band_number: None,
            sin_last3: None,
            phone: None,
            household: Vec::new(),
            address: None,
        }
    }

    /// What the matcher reads of a client record.
    #[must_use]
    pub fn of(client: &Client) -> Self {
        let identity = &client.identity;
        Self {
            id: client.id,
            given: std::iter::once(identity.given_name.clone())
                .chain(identity.preferred_name.clone())
                .collect(),
            family: vec![identity.family_name.clone()],
            other: identity.other_names.clone(),
            birth: identity.date_of_birth.as_ref().map(Birth::of),
            sex: identity.sex_or_gender.as_ref().and_then(|s| match s {
                SexOrGender::Female => Some("f".to_owned()),
                SexOrGender::Male => Some("m".to_owned()),
                SexOrGender::TwoSpirit => Some("2s".to_owned()),
                SexOrGender::Another(_) | SexOrGender::PreferNotToSay => None,
            }),
            community: Some(identity.community.as_str().to_owned()),
            band_number: identity.identifiers.band_number.clone(),
            sin_last3: identity.identifiers.sin_last3.clone(),
            phone: identity.contact.phone.clone(),
            household: client.household.iter().map(|l| l.member).collect(),
            address: identity.contact.mailing_address.clone(),
        }
    }
}

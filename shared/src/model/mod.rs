//! The domain model of one client intake: everything product.md's "What an intake holds" lists.
//!
//! These types are the single source of truth. They map onto one Automerge document per client
//! (`crate::doc`) and onto JSON lines of intake schema v1 (`crate::intake_schema`). Because the
//! serde form *is* schema v1, a serde-visible change here is a schema change: add optional fields
//! only, or bump the schema version (see `docs/intake-schema.md`).
//!
//! `Debug` on every type that carries personal information is redacted: a stray `{:?}` in a log
//! line must not print a name.

mod consent;
mod identity;
mod services;
mod validate;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

pub use consent::{
    ConsentAction, ConsentEvent, ConsentKey, ConsentMethod, ConsentState, current_event_ids,
    effective_consent,
};
pub use identity::{
    Contact, DateOfBirth, HouseholdLink, Identifiers, Identity, Languages, Relationship,
    SexOrGender,
};
pub use services::{
    FollowUp, Note, ProgramRequest, ProgramStatus, Referral, ReferralStatus, Urgency,
};
pub mod merge;
pub use validate::{
    MAX_NAME_CHARS, MAX_NOT_SAME_PERSON, MAX_TEXT_CHARS, ValidationCode, ValidationError,
    validate_client,
};

use crate::ids::{AgentId, ClientId, DeviceId, SiteCode, VisitId};
use crate::time::Timestamp;

/// One client's whole record. One of these is one Automerge document.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// Also the document id.
    pub id: ClientId,
    /// Bumped when personal data is erased or corrected by rebuilding the document without its
    /// history (decisions D1); changes made against an older epoch are refused.
    #[serde(default)]
    pub epoch: u32,
    /// Who the person is.
    pub identity: Identity,
    /// Languages spoken and interpretation.
    #[serde(default)]
    pub languages: Languages,
    /// Links to the other members of the household.
    #[serde(default)]
    pub household: Vec<HouseholdLink>,
    /// Programs and services requested, across governments.
    #[serde(default)]
    pub programs: Vec<ProgramRequest>,
    /// Consent events (append-only); see [`effective_consent`].
    #[serde(default)]
    pub consent: Vec<ConsentEvent>,
    /// Referrals to partners.
    #[serde(default)]
    pub referrals: Vec<Referral>,
    /// Things to do later, with due dates.
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    /// Free-text notes.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Optional satisfaction score, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<u8>,
    /// Who captured this, where and when.
    pub provenance: Provenance,
    /// Records the office decided are someone else: dedup never proposes the pair again. An
    /// ordinary field, so the decision syncs to every office device (issue 11).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[autosurgeon(missing = "Vec::new")]
    pub not_same_person: Vec<ClientId>,
    /// Set when the office merged this record into another; every device follows the redirect
    /// (find, links, referrals) and the history of both stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[autosurgeon(missing = "Option::default")]
    pub merged_into: Option<ClientId>,
    /// What each merge into this record added to it, so an unmerge gives back exactly that
    /// (see [`merge::unmerge`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[autosurgeon(missing = "Vec::new")]
    pub absorbed: Vec<Absorbed>,
}

/// What a merge added to the surviving record from the other one. Items with ids (programs,
/// consent events, referrals, follow-ups, notes) need no entry: their ids say where they came
/// from.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct Absorbed {
    /// The record merged in.
    pub from: ClientId,
    /// Its names, added as other spellings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// Fields that were empty here and were filled in from it (see [`merge::FILLABLE`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filled: Vec<String>,
    /// Languages it added to those spoken.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spoken: Vec<crate::ids::LanguageCode>,
    /// Household members it brought.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<ClientId>,
    /// Its "not the same person" marks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<ClientId>,
}

impl std::fmt::Debug for Absorbed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Absorbed")
            .field("from", &self.from)
            .field("filled", &self.filled)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.id)
            .field("epoch", &self.epoch)
            .field("identity", &"<redacted>")
            .field("programs", &self.programs.len())
            .field("consent_events", &self.consent.len())
            .field("referrals", &self.referrals.len())
            .finish_non_exhaustive()
    }
}

/// Who captured a record, on which device, where, and when.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The agent who created the record.
    pub created_by: AgentId,
    /// The device it was created on.
    pub device: DeviceId,
    /// The site, when captured during a visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<SiteCode>,
    /// The visit, when captured during a visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit: Option<VisitId>,
    /// When the record was created.
    pub created_at: Timestamp,
    /// When it was last changed (by anyone).
    pub updated_at: Timestamp,
    /// Who changed it last.
    pub updated_by: AgentId,
}

impl Client {
    /// A new, empty record for a person with these names in `community`.
    #[must_use]
    pub fn new(identity: Identity, agent: AgentId, device: DeviceId, now: Timestamp) -> Self {
        Self {
            id: ClientId::random(),
            epoch: 0,
            identity,
            languages: Languages::default(),
            household: Vec::new(),
            programs: Vec::new(),
            consent: Vec::new(),
            referrals: Vec::new(),
            follow_ups: Vec::new(),
            notes: Vec::new(),
            satisfaction: None,
            not_same_person: Vec::new(),
            merged_into: None,
            absorbed: Vec::new(),
            provenance: Provenance {
                created_by: agent,
                device,
                site: None,
                visit: None,
                created_at: now,
                updated_at: now,
                updated_by: agent,
            },
        }
    }

    /// Referrals not yet closed.
    pub fn open_referrals(&self) -> impl Iterator<Item = &Referral> {
        self.referrals.iter().filter(|r| r.status.is_open())
    }

    /// The earliest due date of a follow-up not yet done.
    #[must_use]
    pub fn next_follow_up_due(&self) -> Option<crate::time::CalendarDate> {
        self.follow_ups
            .iter()
            .filter(|f| !f.done)
            .map(|f| f.due)
            .min()
    }
}

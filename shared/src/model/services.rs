use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::ids::{
    AgentId, DocumentKind, FollowUpId, NoteId, PartnerCode, ProgramCode, ProgramRequestId,
    ReferralId,
};
use crate::time::{CalendarDate, Timestamp};

/// A program or service the client asked about, from the catalogue.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct ProgramRequest {
    /// Stable id, so concurrent edits of two requests merge per request.
    #[key]
    pub id: ProgramRequestId,
    /// The program, by catalogue code.
    pub program: ProgramCode,
    /// How far along it is.
    pub status: ProgramStatus,
    /// Documents the agent saw for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents_seen: Vec<DocumentKind>,
    /// The life event that proposed it, if any (catalogue code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_event: Option<String>,
}

/// How far a program request has gone.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(rename_all = "snake_case")]
pub enum ProgramStatus {
    /// Information given.
    InfoGiven,
    /// The agent helped fill in the application.
    ApplicationHelped,
    /// The application was submitted.
    Submitted,
    /// Referred to the partner that runs it.
    Referred,
    /// Nothing more to do.
    Done,
}

/// A referral of the client to a partner.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// Stable id.
    #[key]
    pub id: ReferralId,
    /// To whom.
    pub partner: PartnerCode,
    /// Why (free text; personal information).
    pub reason: String,
    /// How soon.
    pub urgency: Urgency,
    /// Where it stands.
    pub status: ReferralStatus,
    /// What came of it (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// When it was made.
    pub created_at: Timestamp,
}

impl std::fmt::Debug for Referral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Referral")
            .field("id", &self.id)
            .field("partner", &self.partner)
            .field("urgency", &self.urgency)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// How soon a referral must be acted on.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Routine.
    Routine,
    /// Within days.
    Soon,
    /// Now (safety, no shelter, no food).
    Urgent,
}

/// Where a referral stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Made, not yet sent.
    Open,
    /// Sent to the partner.
    Sent,
    /// The partner accepted it.
    Accepted,
    /// Closed with an outcome.
    Closed,
    /// The partner declined it.
    Declined,
}

impl ReferralStatus {
    /// Still needs someone's attention.
    #[must_use]
    pub fn is_open(self) -> bool {
        matches!(self, Self::Open | Self::Sent | Self::Accepted)
    }
}

/// Something to do for the client by a date.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// Stable id.
    #[key]
    pub id: FollowUpId,
    /// When it is due.
    pub due: CalendarDate,
    /// What to do (free text; personal information).
    pub description: String,
    /// Done.
    #[serde(default)]
    pub done: bool,
}

impl std::fmt::Debug for FollowUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FollowUp")
            .field("id", &self.id)
            .field("due", &self.due)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// A free-text note.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Stable id.
    #[key]
    pub id: NoteId,
    /// The text (personal information).
    pub text: String,
    /// Who wrote it.
    pub author: AgentId,
    /// When.
    pub written_at: Timestamp,
}

impl std::fmt::Debug for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Note")
            .field("id", &self.id)
            .field("author", &self.author)
            .finish_non_exhaustive()
    }
}

//! The projection row: what lists and search need, derived from a client record.

use shared::Client;
use shared::ids::{AgentId, ClientId, CommunityCode};
use shared::time::Timestamp;

/// A client as lists and search show it. Holds personal information: `Debug` is redacted.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClientSummary {
    /// The record.
    pub id: ClientId,
    /// Given name as written.
    pub given_name: String,
    /// Family name as written.
    pub family_name: String,
    /// Preferred name, if any.
    pub preferred_name: Option<String>,
    /// Other names and spellings.
    pub other_names: Vec<String>,
    /// Date of birth as `YYYY[-MM[-DD]]`, `~` prefixed when approximate.
    pub date_of_birth: Option<String>,
    /// Community code.
    pub community: CommunityCode,
    /// Referrals not yet closed.
    pub open_referrals: u32,
    /// Earliest due date of an open follow-up (`YYYY-MM-DD`).
    pub next_follow_up: Option<String>,
    /// Fields with concurrent values awaiting a person's choice.
    pub conflicts: u32,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
    /// A reference from outside the kit (paper form number, legacy id), searchable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
    /// The record this one was merged into (then it is a redirect, out of lists and search).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<ClientId>,
    /// The agent who created the record (for the office's review queue; `None` only on a row
    /// not yet backfilled after an upgrade).
    #[serde(skip)]
    pub created_by: Option<AgentId>,
}

impl std::fmt::Debug for ClientSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientSummary")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl ClientSummary {
    /// The projection of a record (and how many conflicts its document holds).
    #[must_use]
    pub fn of(client: &Client, conflicts: usize) -> Self {
        let identity = &client.identity;
        Self {
            id: client.id,
            given_name: identity.given_name.clone(),
            family_name: identity.family_name.clone(),
            preferred_name: identity.preferred_name.clone(),
            other_names: identity.other_names.clone(),
            date_of_birth: identity.date_of_birth.map(|d| d.display()),
            community: identity.community.clone(),
            open_referrals: u32::try_from(client.open_referrals().count()).unwrap_or(u32::MAX),
            next_follow_up: client.next_follow_up_due().map(|d| d.to_string()),
            conflicts: u32::try_from(conflicts).unwrap_or(u32::MAX),
            created_at: client.provenance.created_at,
            updated_at: client.provenance.updated_at,
            merged_into: client.merged_into,
            external_reference: identity.identifiers.external_reference.clone(),
            created_by: Some(client.provenance.created_by),
        }
    }

    /// "Given Family", as shown in lists.
    #[must_use]
    pub fn display_name(&self) -> String {
        match (self.given_name.is_empty(), self.family_name.is_empty()) {
            (false, false) => format!("{} {}", self.given_name, self.family_name),
            (false, true) => self.given_name.clone(),
            _ => self.family_name.clone(),
        }
    }

    /// Every name the person is known by, for the search index.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        [self.given_name.as_str(), self.family_name.as_str()]
            .into_iter()
            .chain(self.preferred_name.as_deref())
            .chain(self.other_names.iter().map(String::as_str))
            .chain(self.external_reference.as_deref())
    }

    /// Adds or replaces this record in the search index.
    pub fn index_into(&self, index: &mut shared::matching::SearchIndex) {
        if self.merged_into.is_some() {
            index.remove(self.id);
            return;
        }
        let names: Vec<&str> = self.all_names().collect();
        index.upsert(&shared::matching::Person {
            id: self.id,
            names: &names,
            date_of_birth: self.date_of_birth.as_deref(),
            community: &self.community,
            last_changed: Some(self.updated_at),
        });
    }
}

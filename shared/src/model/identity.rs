use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, CommunityCode, LanguageCode};

/// Who the person is. Names are kept exactly as written, in any script (Latin, Canadian
/// Aboriginal syllabics, …); search uses a folded form computed elsewhere.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// Given name(s).
    pub given_name: String,
    /// Family name(s).
    pub family_name: String,
    /// The name the person wants to be called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_name: Option<String>,
    /// Other names and spellings (e.g. the same name in syllabics and in roman orthography).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// Date of birth; may be partial, approximate or unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<DateOfBirth>,
    /// Sex or gender as the person states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex_or_gender: Option<SexOrGender>,
    /// The community the person lives in or belongs to.
    pub community: CommunityCode,
    /// Optional identifiers.
    #[serde(default)]
    pub identifiers: Identifiers,
    /// How to reach the person.
    #[serde(default)]
    pub contact: Contact,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Identity(<redacted>)")
    }
}

/// A date of birth that may be known only to the year or month, or only approximately.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct DateOfBirth {
    /// The year.
    pub year: i16,
    /// The month, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u8>,
    /// The day, when known (needs the month).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
    /// The person or the agent said it is an estimate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
}

impl std::fmt::Debug for DateOfBirth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DateOfBirth(<redacted>)")
    }
}

impl DateOfBirth {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a `~` prefix when approximate.
    #[must_use]
    pub fn display(&self) -> String {
        let mut text = String::new();
        if self.approximate {
            text.push('~');
        }
        text.push_str(&format!("{:04}", self.year));
        if let Some(month) = self.month {
            text.push_str(&format!("-{month:02}"));
            if let Some(day) = self.day {
                text.push_str(&format!("-{day:02}"));
            }
        }
        text
    }
}

/// Sex or gender, self-described.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(rename_all = "snake_case")]
pub enum SexOrGender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Two-Spirit.
    TwoSpirit,
    /// Another gender, in the person's words.
    Another(String),
    /// The person preferred not to say.
    PreferNotToSay,
}

/// Optional identifiers. Only the last three digits of a SIN are ever recorded.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct Identifiers {
    /// Band or registration (status) number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band_number: Option<String>,
    /// Last three digits of the Social Insurance Number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sin_last3: Option<String>,
    /// Province or territory that issued the health card (two-letter code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_card_province: Option<String>,
    /// A reference from outside the kit: the paper form's number, a legacy list's id (kept by
    /// imports, searchable, shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[autosurgeon(missing = "Option::default")]
    pub external_reference: Option<String>,
}

impl std::fmt::Debug for Identifiers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Identifiers(<redacted>)")
    }
}

/// How to reach the person.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// A phone number, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A mailing address, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mailing_address: Option<String>,
    /// Contact goes through the band office.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub through_band_office: bool,
}

impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Contact(<redacted>)")
    }
}

/// Languages spoken and whether an interpreter helped.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct Languages {
    /// Languages the person speaks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spoken: Vec<LanguageCode>,
    /// The language the person prefers to be served in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred: Option<LanguageCode>,
    /// An interpreter is needed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interpreter_needed: bool,
    /// Who interpreted (name or role, e.g. "community member hired for the visit").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreted_by: Option<String>,
}

/// A link from this client to another member of the household.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(deny_unknown_fields)]
pub struct HouseholdLink {
    /// The other member's record.
    #[key]
    pub member: ClientId,
    /// What the other member is to this client.
    pub relationship: Relationship,
}

/// What another household member is to the client.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Reconcile, Hydrate)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// Spouse or partner.
    Spouse,
    /// Child.
    Child,
    /// Parent.
    Parent,
    /// Sibling.
    Sibling,
    /// Grandparent.
    Grandparent,
    /// Grandchild.
    Grandchild,
    /// Other relative.
    OtherRelative,
    /// Lives in the household, not related.
    Other(String),
}

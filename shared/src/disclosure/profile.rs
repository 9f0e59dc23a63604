//! Export profiles: which columns a partner receives, for which purposes, how old consent may
//! be, and to whom the file is sealed. Versioned JSON, checked like any outside input.

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::ids::{PartnerCode, PurposeCode};
use crate::model::Client;

/// The `format` of an export profile file.
pub const PROFILE_FORMAT: &str = "outreach-kit/export-profile";
/// The profile version this build reads.
pub const PROFILE_VERSION: u32 = 1;
/// Largest profile file read.
pub const MAX_PROFILE_BYTES: usize = 64 * 1024;

/// A column a partner may receive. The CSV header names each as [`Column::name`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// The record's id (stable; lets the partner refer back).
    RecordId,
    /// Given name.
    GivenName,
    /// Family name.
    FamilyName,
    /// Preferred name.
    PreferredName,
    /// Date of birth, `YYYY[-MM[-DD]]`, `~` when approximate.
    DateOfBirth,
    /// Community code.
    Community,
    /// Band or registry number.
    BandNumber,
    /// Phone.
    Phone,
    /// Mailing address.
    MailingAddress,
    /// Preferred language code.
    PreferredLanguage,
    /// Whether an interpreter is needed (`yes`/`no`).
    InterpreterNeeded,
    /// Programs requested that this partner runs, by code, `;` between.
    Programs,
    /// Referrals to this partner: urgency and status, `;` between (never the reason's text).
    Referrals,
    /// The date of the consent relied on (the latest grant).
    ConsentDate,
}

impl Column {
    /// Every column, in the order a profile may list them.
    pub const ALL: [Self; 14] = [
        Self::RecordId,
        Self::GivenName,
        Self::FamilyName,
        Self::PreferredName,
        Self::DateOfBirth,
        Self::Community,
        Self::BandNumber,
        Self::Phone,
        Self::MailingAddress,
        Self::PreferredLanguage,
        Self::InterpreterNeeded,
        Self::Programs,
        Self::Referrals,
        Self::ConsentDate,
    ];

    /// The CSV header and the name in disclosure records.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::RecordId => "record_id",
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::PreferredName => "preferred_name",
            Self::DateOfBirth => "date_of_birth",
            Self::Community => "community",
            Self::BandNumber => "band_number",
            Self::Phone => "phone",
            Self::MailingAddress => "mailing_address",
            Self::PreferredLanguage => "preferred_language",
            Self::InterpreterNeeded => "interpreter_needed",
            Self::Programs => "programs",
            Self::Referrals => "referrals",
            Self::ConsentDate => "consent_date",
        }
    }

    /// This column's value for `client` released to `partner`; `consent_date` is the latest
    /// grant relied on.
    #[must_use]
    pub fn value(
        self,
        client: &Client,
        partner: &PartnerCode,
        catalogue: &Catalogue,
        consent_date: Option<crate::time::CalendarDate>,
    ) -> String {
        let identity = &client.identity;
        let text = |v: Option<&String>| v.cloned().unwrap_or_default();
        match self {
            Self::RecordId => client.id.to_string(),
            Self::GivenName => identity.given_name.clone(),
            Self::FamilyName => identity.family_name.clone(),
            Self::PreferredName => text(identity.preferred_name.as_ref()),
            Self::DateOfBirth => identity
                .date_of_birth
                .map(|d| d.display())
                .unwrap_or_default(),
            Self::Community => identity.community.as_str().to_owned(),
            Self::BandNumber => text(identity.identifiers.band_number.as_ref()),
            Self::Phone => text(identity.contact.phone.as_ref()),
            Self::MailingAddress => text(identity.contact.mailing_address.as_ref()),
            Self::PreferredLanguage => client
                .languages
                .preferred
                .as_ref()
                .map(|l| l.as_str().to_owned())
                .unwrap_or_default(),
            Self::InterpreterNeeded => if client.languages.interpreter_needed {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
            Self::Programs => client
                .programs
                .iter()
                .filter(|request| {
                    catalogue
                        .program(&request.program)
                        .is_some_and(|p| &p.partner == partner)
                })
                .map(|request| request.program.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(";"),
            Self::Referrals => client
                .referrals
                .iter()
                .filter(|r| &r.partner == partner)
                .map(|r| format!("{}/{}", serde_plain(&r.urgency), serde_plain(&r.status)))
                .collect::<Vec<_>>()
                .join(";"),
            Self::ConsentDate => consent_date.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// An enum's serde name (`routine`, `open`).
fn serde_plain<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Which columns one partner receives, for which purposes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportProfile {
    /// Always [`PROFILE_FORMAT`].
    pub format: String,
    /// [`PROFILE_VERSION`].
    pub version: u32,
    /// The partner, from the catalogue.
    pub partner: PartnerCode,
    /// The purposes this profile may be used for.
    pub purposes: Vec<PurposeCode>,
    /// The columns released, in order.
    pub columns: Vec<Column>,
    /// Consent older than this many days counts as expired (`None`: consent does not expire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_valid_days: Option<u32>,
    /// The partner's age recipient (`age1…`) the file is sealed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
}

/// Why a profile was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProfileError {
    /// Larger than [`MAX_PROFILE_BYTES`].
    #[error("the export profile is larger than {MAX_PROFILE_BYTES} bytes")]
    TooLarge,
    /// Not JSON of the profile's shape.
    #[error("the export profile does not parse: {0}")]
    Parse(String),
    /// Another format or version.
    #[error("not an export profile of version {PROFILE_VERSION} (format {PROFILE_FORMAT:?})")]
    Version,
    /// The partner or a purpose is not in the catalogue.
    #[error("the export profile names {0} that the catalogue does not hold")]
    Unknown(String),
    /// No column, or one twice.
    #[error("the export profile must list each column at most once, and at least one")]
    Columns,
    /// The profile is not for this purpose.
    #[error("the export profile does not cover purpose {0}")]
    Purpose(String),
}

impl ExportProfile {
    /// The built-in profile for `partner` when the office has written none: who the person is
    /// and how to reach them, nothing more.
    #[must_use]
    pub fn minimal(partner: PartnerCode, purposes: Vec<PurposeCode>) -> Self {
        Self {
            format: PROFILE_FORMAT.to_owned(),
            version: PROFILE_VERSION,
            partner,
            purposes,
            columns: vec![
                Column::RecordId,
                Column::GivenName,
                Column::FamilyName,
                Column::DateOfBirth,
                Column::Community,
                Column::Phone,
                Column::PreferredLanguage,
                Column::ConsentDate,
            ],
            consent_valid_days: None,
            recipient: None,
        }
    }

    /// Parses and checks a profile file against the catalogue.
    pub fn parse(bytes: &[u8], catalogue: &Catalogue) -> Result<Self, ProfileError> {
        if bytes.len() > MAX_PROFILE_BYTES {
            return Err(ProfileError::TooLarge);
        }
        let profile: Self =
            serde_json::from_slice(bytes).map_err(|e| ProfileError::Parse(e.to_string()))?;
        if profile.format != PROFILE_FORMAT || profile.version != PROFILE_VERSION {
            return Err(ProfileError::Version);
        }
        if catalogue.partner(&profile.partner).is_none() {
            return Err(ProfileError::Unknown(format!(
                "partner {}",
                profile.partner.as_str()
            )));
        }
        for purpose in &profile.purposes {
            if !catalogue.purposes.iter().any(|p| &p.code == purpose) {
                return Err(ProfileError::Unknown(format!(
                    "purpose {}",
                    purpose.as_str()
                )));
            }
        }
        let mut seen = std::collections::HashSet::new();
        if profile.columns.is_empty() || !profile.columns.iter().all(|c| seen.insert(*c)) {
            return Err(ProfileError::Columns);
        }
        Ok(profile)
    }

    /// Refuses a purpose the profile does not cover.
    pub fn check_purpose(&self, purpose: &PurposeCode) -> Result<(), ProfileError> {
        if self.purposes.contains(purpose) {
            Ok(())
        } else {
            Err(ProfileError::Purpose(purpose.as_str().to_owned()))
        }
    }
}

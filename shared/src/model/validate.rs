//! Validation with typed, translatable codes. Errors name a field path and a code, never the
//! value: they end up in logs and on screens where client data must not appear.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Client;
use crate::catalogue::Catalogue;
use crate::time::CalendarDate;

/// The longest name, note or free-text field accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Why a field is invalid. Each code has a stable message id for the UI's translation files.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValidationCode {
    /// The field must not be empty.
    Required,
    /// The text is longer than allowed.
    TooLong,
    /// Not a real calendar date (e.g. a day without a month, 31 April).
    InvalidDate,
    /// A date of birth in the future.
    DateInFuture,
    /// A number outside its range (e.g. satisfaction must be 1–5).
    OutOfRange,
    /// The program is not in the catalogue.
    UnknownProgram,
    /// The partner is not in the catalogue.
    UnknownPartner,
    /// The community is not in the catalogue.
    UnknownCommunity,
    /// Only the last three digits of a SIN may be recorded.
    SinLastThreeDigitsOnly,
    /// Not a Canadian province or territory code.
    UnknownProvince,
    /// Two items in one list share an id.
    DuplicateId,
    /// A household link that points at the client's own record.
    LinksToSelf,
    /// A consent event supersedes an event that is not in the record.
    UnknownSupersededEvent,
}

impl ValidationCode {
    /// The Fluent message id for this code, e.g. `validation-required`.
    #[must_use]
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Required => "validation-required",
            Self::TooLong => "validation-too-long",
            Self::InvalidDate => "validation-invalid-date",
            Self::DateInFuture => "validation-date-in-future",
            Self::OutOfRange => "validation-out-of-range",
            Self::UnknownProgram => "validation-unknown-program",
            Self::UnknownPartner => "validation-unknown-partner",
            Self::UnknownCommunity => "validation-unknown-community",
            Self::SinLastThreeDigitsOnly => "validation-sin-last-three-digits-only",
            Self::UnknownProvince => "validation-unknown-province",
            Self::DuplicateId => "validation-duplicate-id",
            Self::LinksToSelf => "validation-links-to-self",
            Self::UnknownSupersededEvent => "validation-unknown-superseded-event",
        }
    }
}

/// One invalid field: where, and why. Holds no client data.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, thiserror::Error)]
#[error("{field}: {}", code.message_id())]
pub struct ValidationError {
    /// A path such as `identity.given_name` or `referrals[2].partner`.
    pub field: String,
    /// Why.
    pub code: ValidationCode,
}

const PROVINCES: [&str; 13] = [
    "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
];

/// Checks a record against the rules and the catalogue; returns every problem found, in field
/// order, or nothing.
pub fn validate_client(
    client: &Client,
    catalogue: &Catalogue,
    today: CalendarDate,
) -> Result<(), Vec<ValidationError>> {
    let mut errors = Errors::default();
    let id = &client.identity;
    errors.name("identity.given_name", &id.given_name, true);
    errors.name("identity.family_name", &id.family_name, false);
    if let Some(name) = &id.preferred_name {
        errors.name("identity.preferred_name", name, true);
    }
    for (i, name) in id.other_names.iter().enumerate() {
        errors.name(&format!("identity.other_names[{i}]"), name, true);
    }
    if let Some(dob) = &id.date_of_birth {
        check_birth(&mut errors, dob, today);
    }
    if catalogue.community(&id.community).is_none() {
        errors.push("identity.community", ValidationCode::UnknownCommunity);
    }
    if let Some(sin) = &id.identifiers.sin_last3
        && (sin.len() != 3 || !sin.bytes().all(|b| b.is_ascii_digit()))
    {
        errors.push(
            "identity.identifiers.sin_last3",
            ValidationCode::SinLastThreeDigitsOnly,
        );
    }
    if let Some(p) = &id.identifiers.health_card_province
        && !PROVINCES.contains(&p.as_str())
    {
        errors.push(
            "identity.identifiers.health_card_province",
            ValidationCode::UnknownProvince,
        );
    }
    for (field, text) in [
        (
            "identity.identifiers.band_number",
            &id.identifiers.band_number,
        ),
        (
            "identity.identifiers.external_reference",
            &id.identifiers.external_reference,
        ),
        ("identity.contact.phone", &id.contact.phone),
        (
            "identity.contact.mailing_address",
            &id.contact.mailing_address,
        ),
        ("languages.interpreted_by", &client.languages.interpreted_by),
    ] {
        if let Some(text) = text {
            errors.text(field, text, false);
        }
    }
    check_lists(&mut errors, client, catalogue);
    check_change_times(&mut errors, client, today);
    if let Some(score) = client.satisfaction
        && !(1..=5).contains(&score)
    {
        errors.push("satisfaction", ValidationCode::OutOfRange);
    }
    errors.finish()
}

fn check_birth(errors: &mut Errors, dob: &super::DateOfBirth, today: CalendarDate) {
    let field = "identity.date_of_birth";
    let valid = match (dob.month, dob.day) {
        (None, None) => (1800..=2200).contains(&dob.year),
        (Some(m), None) => CalendarDate::new(dob.year, m, 1).is_ok(),
        (Some(m), Some(d)) => CalendarDate::new(dob.year, m, d).is_ok(),
        (None, Some(_)) => false,
    };
    if !valid {
        errors.push(field, ValidationCode::InvalidDate);
        return;
    }
    let earliest = (dob.year, dob.month.unwrap_or(1), dob.day.unwrap_or(1));
    if earliest > (today.year(), today.month(), today.day()) {
        errors.push(field, ValidationCode::DateInFuture);
    }
}

/// A record's change times come from its author's clock. One later than tomorrow (a day of
/// clock and time-zone slack; syncing needs clocks within minutes anyway) is refused: a device
/// could otherwise pin its record first among namesakes, or keep later changes out of the
/// office's review queue, which compares change times.
fn check_change_times(errors: &mut Errors, client: &Client, today: CalendarDate) {
    let latest = today.add_days(1);
    for (field, at) in [
        ("provenance.created_at", client.provenance.created_at),
        ("provenance.updated_at", client.provenance.updated_at),
    ] {
        match (at.date_utc(), latest) {
            (None, _) => errors.push(field, ValidationCode::InvalidDate),
            (Some(day), Some(latest)) if day > latest => {
                errors.push(field, ValidationCode::DateInFuture);
            }
            _ => {}
        }
    }
}

/// Most "not the same person" marks one record keeps (a bound on what a device can make every
/// office load).
pub const MAX_NOT_SAME_PERSON: usize = 200;

/// Checks what merges recorded (an enrolled device may send anything here): bounded, pointing
/// at other records, naming only fields a merge fills.
fn check_absorbed(errors: &mut Errors, client: &Client) {
    if client.absorbed.len() > MAX_NOT_SAME_PERSON {
        errors.push("absorbed", ValidationCode::TooLong);
        return;
    }
    let mut froms = BTreeSet::new();
    for (i, record) in client.absorbed.iter().enumerate() {
        let at = format!("absorbed[{i}]");
        if record.from == client.id {
            errors.push(&format!("{at}.from"), ValidationCode::LinksToSelf);
        }
        if !froms.insert(record.from.0) {
            errors.push(&format!("{at}.from"), ValidationCode::DuplicateId);
        }
        let lists = [
            ("names", record.names.len()),
            ("filled", record.filled.len()),
            ("spoken", record.spoken.len()),
            ("members", record.members.len()),
            ("marks", record.marks.len()),
        ];
        for (list, len) in lists {
            if len > MAX_NOT_SAME_PERSON {
                errors.push(&format!("{at}.{list}"), ValidationCode::TooLong);
            }
        }
        for (j, name) in record.names.iter().enumerate() {
            errors.name(&format!("{at}.names[{j}]"), name, false);
        }
        for (j, field) in record.filled.iter().enumerate() {
            if !super::merge::FILLABLE.contains(&field.as_str()) {
                errors.push(&format!("{at}.filled[{j}]"), ValidationCode::OutOfRange);
            }
        }
    }
}

fn check_lists(errors: &mut Errors, client: &Client, catalogue: &Catalogue) {
    if client.merged_into == Some(client.id) {
        errors.push("merged_into", ValidationCode::LinksToSelf);
    }
    check_absorbed(errors, client);
    if client.not_same_person.len() > MAX_NOT_SAME_PERSON {
        errors.push("not_same_person", ValidationCode::TooLong);
    }
    let mut others = BTreeSet::new();
    for (i, other) in client.not_same_person.iter().enumerate() {
        if *other == client.id {
            errors.push(
                &format!("not_same_person[{i}]"),
                ValidationCode::LinksToSelf,
            );
        }
        if !others.insert(other.0) {
            errors.push(
                &format!("not_same_person[{i}]"),
                ValidationCode::DuplicateId,
            );
        }
    }
    let mut seen = BTreeSet::new();
    for (i, link) in client.household.iter().enumerate() {
        if link.member == client.id {
            errors.push(
                &format!("household[{i}].member"),
                ValidationCode::LinksToSelf,
            );
        }
        if !seen.insert(link.member.0) {
            errors.push(
                &format!("household[{i}].member"),
                ValidationCode::DuplicateId,
            );
        }
    }
    for (i, request) in client.programs.iter().enumerate() {
        if catalogue.program(&request.program).is_none() {
            errors.push(
                &format!("programs[{i}].program"),
                ValidationCode::UnknownProgram,
            );
        }
        if !seen.insert(request.id.0) {
            errors.push(&format!("programs[{i}].id"), ValidationCode::DuplicateId);
        }
    }
    let consent_ids: BTreeSet<_> = client.consent.iter().map(|e| e.id).collect();
    for (i, event) in client.consent.iter().enumerate() {
        if catalogue.partner(&event.partner).is_none() {
            errors.push(
                &format!("consent[{i}].partner"),
                ValidationCode::UnknownPartner,
            );
        }
        if event.purpose.as_str().is_empty() {
            errors.push(&format!("consent[{i}].purpose"), ValidationCode::Required);
        }
        if !seen.insert(event.id.0) {
            errors.push(&format!("consent[{i}].id"), ValidationCode::DuplicateId);
        }
        if event.supersedes.iter().any(|s| !consent_ids.contains(s)) {
            errors.push(
                &format!("consent[{i}].supersedes"),
                ValidationCode::UnknownSupersededEvent,
            );
        }
    }
    for (i, referral) in client.referrals.iter().enumerate() {
        if catalogue.partner(&referral.partner).is_none() {
            errors.push(
                &format!("referrals[{i}].partner"),
                ValidationCode::UnknownPartner,
            );
        }
        errors.text(&format!("referrals[{i}].reason"), &referral.reason, true);
        if let Some(outcome) = &referral.outcome {
            errors.text(&format!("referrals[{i}].outcome"), outcome, false);
        }
        if !seen.insert(referral.id.0) {
            errors.push(&format!("referrals[{i}].id"), ValidationCode::DuplicateId);
        }
    }
    for (i, follow_up) in client.follow_ups.iter().enumerate() {
        errors.text(
            &format!("follow_ups[{i}].description"),
            &follow_up.description,
            true,
        );
        if !seen.insert(follow_up.id.0) {
            errors.push(&format!("follow_ups[{i}].id"), ValidationCode::DuplicateId);
        }
    }
    for (i, note) in client.notes.iter().enumerate() {
        errors.text(&format!("notes[{i}].text"), &note.text, true);
        if !seen.insert(note.id.0) {
            errors.push(&format!("notes[{i}].id"), ValidationCode::DuplicateId);
        }
    }
}

#[derive(Default)]
struct Errors(Vec<ValidationError>);

impl Errors {
    fn push(&mut self, field: &str, code: ValidationCode) {
        self.0.push(ValidationError {
            field: field.to_owned(),
            code,
        });
    }

    fn name(&mut self, field: &str, value: &str, required: bool) {
        self.bounded(field, value, required, MAX_NAME_CHARS);
    }

    fn text(&mut self, field: &str, value: &str, required: bool) {
        self.bounded(field, value, required, MAX_TEXT_CHARS);
    }

    fn bounded(&mut self, field: &str, value: &str, required: bool, max_chars: usize) {
        if required && value.trim().is_empty() {
            self.push(field, ValidationCode::Required);
        } else if value.chars().count() > max_chars {
            self.push(field, ValidationCode::TooLong);
        }
    }

    fn finish(self) -> Result<(), Vec<ValidationError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ValidationCode, validate_client};
    use crate::Catalogue;
    use crate::ids::{AgentId, CommunityCode, DeviceId};
    use crate::model::{Client, Identity};
    use crate::time::Timestamp;

    #[test]
    fn a_change_time_after_tomorrow_is_refused() {
        let catalogue = Catalogue::built_in().unwrap();
        let now = Timestamp::now();
        let today = now.date_utc().unwrap();
        let identity = Identity {
            given_name: "Annie".into(),
            family_name: "Kilabuk".into(),
            community: CommunityCode::new("nu.arviat"),
            ..Identity::default()
        };
        let mut client = Client::new(identity, AgentId::random(), DeviceId::random(), now);
        assert!(validate_client(&client, &catalogue, today).is_ok());
        const HOUR: i64 = 60 * 60 * 1000;
        client.provenance.updated_at = Timestamp(now.0 + 3 * HOUR);
        assert!(
            validate_client(&client, &catalogue, today).is_ok(),
            "a clock a few hours ahead is slack"
        );
        client.provenance.updated_at = Timestamp(now.0 + 72 * HOUR);
        let errors = validate_client(&client, &catalogue, today).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.field == "provenance.updated_at"
                    && e.code == ValidationCode::DateInFuture)
        );
        client.provenance.updated_at = Timestamp(i64::MAX);
        assert!(validate_client(&client, &catalogue, today).is_err());
    }
}

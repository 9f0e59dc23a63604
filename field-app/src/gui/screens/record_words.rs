//! A record's internals in the agent's words: field paths as the form names them, and who and
//! which device as "you, this laptop" or "agent 2, laptop 3" — never a raw path or a hex id.

use shared::doc::{ConflictValue, HistoryEntry, ValueOrigin};
use shared::ids::{AgentId, DeviceId};
use shared::{Author, Catalogue};

use super::home::describe_time;
use crate::gui::i18n::I18n;

/// Message ids for the model's leaf fields (paths without list indices).
const FIELDS: [(&str, &str); 29] = [
    ("identity.given_name", "field-given-name"),
    ("identity.family_name", "field-family-name"),
    ("identity.preferred_name", "field-preferred-name"),
    ("identity.other_names", "field-other-names"),
    ("identity.date_of_birth", "field-date-of-birth"),
    ("identity.date_of_birth.year", "field-birth-year"),
    ("identity.date_of_birth.month", "field-birth-month"),
    ("identity.date_of_birth.day", "field-birth-day"),
    (
        "identity.date_of_birth.approximate",
        "field-birth-approximate",
    ),
    ("identity.sex_or_gender", "field-gender"),
    ("identity.community", "field-community"),
    ("identity.identifiers.band_number", "field-band-number"),
    (
        "identity.identifiers.external_reference",
        "field-external-reference",
    ),
    ("identity.identifiers.sin_last3", "field-sin-last3"),
    (
        "identity.identifiers.health_card_province",
        "field-health-card-province",
    ),
    ("identity.contact.phone", "field-phone"),
    ("identity.contact.mailing_address", "field-address"),
    (
        "identity.contact.through_band_office",
        "field-through-band-office",
    ),
    ("languages.spoken", "field-spoken-list"),
    ("languages.preferred", "field-preferred-language"),
    ("languages.interpreter_needed", "field-interpreter-needed"),
    ("languages.interpreted_by", "field-interpreted-by"),
    ("satisfaction", "field-satisfaction"),
    ("referrals.status", "field-referral-status"),
    ("referrals.urgency", "field-referral-urgency"),
    ("referrals.reason", "field-referral-reason"),
    ("programs.status", "field-program-status"),
    ("follow_ups.due", "field-follow-up-due"),
    ("follow_ups.description", "field-follow-up-description"),
];

/// Sections, for paths no field names.
const SECTIONS: [(&str, &str); 9] = [
    ("identity", "section-identity"),
    ("languages", "section-languages"),
    ("household", "section-household"),
    ("programs", "section-programs"),
    ("consent", "section-consent"),
    ("referrals", "section-referrals"),
    ("follow_ups", "section-follow-ups"),
    ("notes", "section-notes"),
    ("satisfaction", "field-satisfaction"),
];

/// A path without its list indices: `referrals[0].status` → `referrals.status`.
fn without_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            c if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

/// A field path as the form names it, e.g. "Phone" or "Referrals: Urgency"; the nearest
/// section's name when no field matches (never the raw path).
pub(crate) fn field_label(i18n: &I18n, path: &str) -> String {
    let plain = without_indices(path);
    // The longest known prefix names it (a change inside a date of birth is the date).
    let mut candidate = plain.as_str();
    loop {
        if let Some((_, id)) = FIELDS.iter().find(|(p, _)| *p == candidate) {
            let name = i18n.t(id);
            let top = candidate.split('.').next().unwrap_or_default();
            return if matches!(top, "referrals" | "programs" | "follow_ups") {
                format!("{}: {name}", section_label(i18n, top))
            } else {
                name
            };
        }
        match candidate.rfind('.') {
            Some(at) => candidate = &candidate[..at],
            None => break,
        }
    }
    section_label(i18n, plain.split('.').next().unwrap_or_default())
}

fn section_label(i18n: &I18n, top: &str) -> String {
    SECTIONS
        .iter()
        .find(|(p, _)| *p == top)
        .map_or_else(|| i18n.t("section-other"), |(_, id)| i18n.t(id))
}

/// Whether a path is bookkeeping the agent never typed.
pub(crate) fn is_bookkeeping(path: &str) -> bool {
    path.starts_with("provenance") || path == "epoch" || path == "id"
}

/// Agents and devices of one record, numbered in the order they first appear in its history,
/// so a person can tell them apart without hex ids; this laptop and its agent are "you".
pub(crate) struct People {
    me: Author,
    agents: Vec<AgentId>,
    devices: Vec<DeviceId>,
}

impl People {
    pub(crate) fn of(me: Author, history: &[HistoryEntry]) -> Self {
        let mut people = Self {
            me,
            agents: Vec::new(),
            devices: Vec::new(),
        };
        for entry in history {
            if let Some(agent) = entry.agent
                && agent != me.agent
                && !people.agents.contains(&agent)
            {
                people.agents.push(agent);
            }
            if let Some(device) = entry.device
                && device != me.device
                && !people.devices.contains(&device)
            {
                people.devices.push(device);
            }
        }
        people
    }

    pub(crate) fn agent(&self, i18n: &I18n, agent: Option<AgentId>) -> String {
        match agent {
            Some(a) if a == self.me.agent => i18n.t("who-you"),
            Some(a) => match self.agents.iter().position(|x| *x == a) {
                Some(at) => i18n.t_args("who-agent", &[("number", (at + 1).into())]),
                None => i18n.t("who-another-agent"),
            },
            None => i18n.t("who-unknown"),
        }
    }

    pub(crate) fn device(&self, i18n: &I18n, device: Option<DeviceId>) -> String {
        match device {
            Some(d) if d == self.me.device => i18n.t("where-this-laptop"),
            Some(d) => match self.devices.iter().position(|x| *x == d) {
                Some(at) => i18n.t_args("where-laptop", &[("number", (at + 1).into())]),
                None => i18n.t("where-another-laptop"),
            },
            None => i18n.t("who-unknown"),
        }
    }

    /// "867-555-0002 — entered by agent 1 on laptop 2, 2026-11-30 15:10 UTC".
    pub(crate) fn conflict_value(
        &self,
        i18n: &I18n,
        catalogue: &Catalogue,
        path: &str,
        value: &ConflictValue,
        origin: &ValueOrigin,
    ) -> String {
        i18n.t_args(
            "detail-conflict-value",
            &[
                ("value", describe_value(i18n, catalogue, path, value).into()),
                ("agent", self.agent(i18n, origin.agent).into()),
                ("device", self.device(i18n, origin.device).into()),
                (
                    "when",
                    origin
                        .at
                        .map_or_else(|| i18n.t("who-unknown"), describe_time)
                        .into(),
                ),
            ],
        )
    }
}

/// A community by its name in the UI language (never its code).
pub(crate) fn community_name(
    i18n: &I18n,
    catalogue: &Catalogue,
    code: &shared::ids::CommunityCode,
) -> String {
    catalogue.community(code).map_or_else(
        || i18n.t("value-unknown-code"),
        |c| shared::catalogue::localized(&c.name, i18n.language().code()).to_owned(),
    )
}

/// Sex or gender in words.
pub(crate) fn gender_words(i18n: &I18n, gender: Option<&shared::model::SexOrGender>) -> String {
    use shared::model::SexOrGender as G;
    match gender {
        None => i18n.t("gender-unset"),
        Some(G::Female) => i18n.t("gender-female"),
        Some(G::Male) => i18n.t("gender-male"),
        Some(G::TwoSpirit) => i18n.t("gender-two-spirit"),
        Some(G::Another(words)) => format!("{} ({words})", i18n.t("gender-another")),
        Some(G::PreferNotToSay) => i18n.t("gender-prefer-not"),
    }
}

/// One concurrent value in words: catalogue codes by their names, yes/no, "(empty)".
pub(crate) fn describe_value(
    i18n: &I18n,
    catalogue: &Catalogue,
    path: &str,
    value: &ConflictValue,
) -> String {
    let language = i18n.language().code();
    match value {
        ConflictValue::Text(text) if path == "identity.community" => catalogue
            .communities
            .iter()
            .find(|c| c.code.as_str() == text)
            .map_or_else(
                || text.clone(),
                |c| shared::catalogue::localized(&c.name, language).to_owned(),
            ),
        ConflictValue::Text(text) | ConflictValue::Other(text) => text.clone(),
        ConflictValue::Number(n) => n.to_string(),
        ConflictValue::Bool(b) => i18n.t(if *b { "value-yes" } else { "value-no" }),
        ConflictValue::Empty => i18n.t("value-empty"),
        ConflictValue::Object => i18n.t("value-group"),
    }
}

/// Why the node refused a change, as a message id (the agent reads it on held records).
pub(crate) fn refusal_words(reason: shared::protocol::RefusalReason) -> &'static str {
    use shared::protocol::RefusalReason as R;
    match reason {
        R::OutsideScope => "refusal-outside-scope",
        R::OldEpoch => "refusal-old-epoch",
        R::Malformed => "refusal-malformed",
        R::NotAuthor => "refusal-not-author",
        R::TooLarge => "refusal-too-large",
        R::Invalid => "refusal-invalid",
        R::MovesCommunity => "refusal-moves-community",
        R::MissingHistory => "refusal-missing-history",
        R::OfficeOnly => "refusal-office-only",
        R::Other(_) => "refusal-other",
    }
}

/// A disclosure's partner and purpose in words (the catalogue's names in `language`; the code
/// when the catalogue no longer has it).
pub(crate) fn disclosure_names(
    catalogue: &Catalogue,
    disclosure: &shared::disclosure::Disclosure,
    language: &str,
) -> (String, String) {
    let partner = catalogue.partner(&disclosure.partner).map_or_else(
        || disclosure.partner.as_str().to_owned(),
        |p| shared::catalogue::localized(&p.name, language).to_owned(),
    );
    let purpose = catalogue
        .purposes
        .iter()
        .find(|p| p.code == disclosure.purpose)
        .map_or_else(
            || disclosure.purpose.as_str().to_owned(),
            |p| shared::catalogue::localized(&p.name, language).to_owned(),
        );
    (partner, purpose)
}

/// "2026-12-04 15:10 UTC — shared with <partner> for <purpose>: <columns> (by <who>)".
pub(crate) fn disclosure_in_words(
    i18n: &I18n,
    catalogue: &Catalogue,
    disclosure: &shared::disclosure::Disclosure,
) -> String {
    let (partner, purpose) = disclosure_names(catalogue, disclosure, i18n.language().code());
    i18n.t_args(
        "detail-register-shared",
        &[
            ("when", describe_time(disclosure.at).into()),
            ("partner", partner.into()),
            ("purpose", purpose.into()),
            ("fields", disclosure.fields.join(", ").into()),
            ("by", disclosure.by.clone().into()),
        ],
    )
}

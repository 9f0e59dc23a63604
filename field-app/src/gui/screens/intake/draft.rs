//! The intake form's editable copy of a record (text fields as the agent types them) and its
//! conversion to model records: the client and any household members added with them.

use serde::{Deserialize, Serialize};
use shared::Author;
use shared::Client;
use shared::ids::{ClientId, CommunityCode, LanguageCode, NoteId, SiteCode};
use shared::model::{
    ConsentEvent, Contact, DateOfBirth, FollowUp, HouseholdLink, Identifiers, Identity, Languages,
    Note, ProgramRequest, Referral, Relationship, SexOrGender,
};
use shared::time::Timestamp;
use zeroize::Zeroize as _;

/// Sex or gender as the form offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) enum Gender {
    #[default]
    Unset,
    Female,
    Male,
    TwoSpirit,
    Another,
    PreferNotToSay,
}

/// Relationship as the form offers it (what the member is to the client).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) enum Rel {
    Spouse,
    #[default]
    Child,
    Parent,
    Sibling,
    Grandparent,
    Grandchild,
    OtherRelative,
}

impl Rel {
    pub(crate) const ALL: [Self; 7] = [
        Self::Spouse,
        Self::Child,
        Self::Parent,
        Self::Sibling,
        Self::Grandparent,
        Self::Grandchild,
        Self::OtherRelative,
    ];

    pub(crate) fn message_id(self) -> &'static str {
        match self {
            Self::Spouse => "relationship-spouse",
            Self::Child => "relationship-child",
            Self::Parent => "relationship-parent",
            Self::Sibling => "relationship-sibling",
            Self::Grandparent => "relationship-grandparent",
            Self::Grandchild => "relationship-grandchild",
            Self::OtherRelative => "relationship-other-relative",
        }
    }

    fn model(self) -> Relationship {
        match self {
            Self::Spouse => Relationship::Spouse,
            Self::Child => Relationship::Child,
            Self::Parent => Relationship::Parent,
            Self::Sibling => Relationship::Sibling,
            Self::Grandparent => Relationship::Grandparent,
            Self::Grandchild => Relationship::Grandchild,
            Self::OtherRelative => Relationship::OtherRelative,
        }
    }

    /// What the client is to the member.
    fn inverse(self) -> Self {
        match self {
            Self::Child => Self::Parent,
            Self::Parent => Self::Child,
            Self::Grandparent => Self::Grandchild,
            Self::Grandchild => Self::Grandparent,
            other => other,
        }
    }
}

/// A household member added with this intake (a new record of their own).
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct MemberDraft {
    pub id: Option<ClientId>,
    pub given: String,
    pub family: String,
    /// A date of birth as typed (a newborn needs the day), or only the year.
    pub birth: String,
    pub relationship: Rel,
    /// Programs for this member (a new baby's, from a life event).
    pub programs: Vec<ProgramRequest>,
}

impl MemberDraft {
    /// The member's date of birth: a four-digit year alone, or a full typed date.
    fn date_of_birth(&self) -> Result<Option<DateOfBirth>, ()> {
        let typed = self.birth.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        if typed.len() == 4 && typed.chars().all(|c| c.is_ascii_digit()) {
            let year = typed.parse().map_err(|_| ())?;
            return Ok(Some(DateOfBirth {
                year,
                month: None,
                day: None,
                approximate: false,
            }));
        }
        let date = shared::typed_date::parse_typed_date(typed)
            .map_err(|_| ())?
            .date;
        Ok(Some(DateOfBirth {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
            approximate: false,
        }))
    }
}

/// The form's state (kept in the store as it is typed: see `keep`). No container-wide serde
/// default: it would move fields out of a value that zeroizes on drop; a field added later
/// takes `#[serde(default)]` of its own so older drafts still open.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct Draft {
    /// The record being edited (keeps its id, history-bearing lists and provenance).
    pub base: Option<Client>,
    pub given: String,
    pub family: String,
    pub preferred: String,
    pub other_names: String,
    pub birth_year: String,
    pub birth_month: String,
    pub birth_day: String,
    pub birth_approximate: bool,
    pub gender: Gender,
    pub gender_other: String,
    pub community: Option<CommunityCode>,
    pub band_number: String,
    pub sin_last3: String,
    pub health_card_province: String,
    pub phone: String,
    pub address: String,
    pub through_band_office: bool,
    pub spoken: Vec<String>,
    pub preferred_language: Option<String>,
    pub interpreter_needed: bool,
    pub interpreted_by: String,
    pub members: Vec<MemberDraft>,
    /// Existing clients linked on this form: id, name, what they are to the client.
    pub links: Vec<(ClientId, String, Rel)>,
    pub link_search: String,
    pub link_relationship: Rel,
    pub household: Vec<HouseholdLink>,
    pub programs: Vec<ProgramRequest>,
    pub consent: Vec<ConsentEvent>,
    pub referrals: Vec<Referral>,
    pub follow_ups: Vec<FollowUp>,
    pub new_note: String,
    pub notes: Vec<Note>,
    pub satisfaction: Option<u8>,
    /// Fields of the record that hold concurrent values (path, each value in words), marked
    /// in the form so the agent knows the one shown is not the only one.
    #[serde(default)]
    pub conflict_marks: Vec<(String, Vec<String>)>,
}

impl Drop for Draft {
    fn drop(&mut self) {
        for text in [
            &mut self.given,
            &mut self.family,
            &mut self.preferred,
            &mut self.other_names,
            &mut self.band_number,
            &mut self.sin_last3,
            &mut self.phone,
            &mut self.address,
            &mut self.new_note,
        ] {
            text.zeroize();
        }
    }
}

fn text(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
}

fn optional(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// A number typed in a field: `None` when blank, `Err` when not a number.
fn number<T: std::str::FromStr>(value: &str) -> Result<Option<T>, ()> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Ok(None)
    } else {
        trimmed.parse().map(Some).map_err(|_| ())
    }
}

impl Draft {
    /// An empty form for a new client in `community`.
    pub(crate) fn new(community: Option<CommunityCode>) -> Self {
        let mut draft = Self::default();
        draft.community = community;
        draft
    }

    /// The form filled from a stored record.
    pub(crate) fn from_client(client: Client) -> Self {
        let identity = &client.identity;
        let birth = identity.date_of_birth;
        let (gender, gender_other) = match &identity.sex_or_gender {
            None => (Gender::Unset, String::new()),
            Some(SexOrGender::Female) => (Gender::Female, String::new()),
            Some(SexOrGender::Male) => (Gender::Male, String::new()),
            Some(SexOrGender::TwoSpirit) => (Gender::TwoSpirit, String::new()),
            Some(SexOrGender::Another(words)) => (Gender::Another, words.clone()),
            Some(SexOrGender::PreferNotToSay) => (Gender::PreferNotToSay, String::new()),
        };
        Self {
            given: identity.given_name.clone(),
            family: identity.family_name.clone(),
            preferred: text(identity.preferred_name.as_ref()),
            other_names: identity.other_names.join(", "),
            birth_year: birth.map(|b| b.year.to_string()).unwrap_or_default(),
            birth_month: birth
                .and_then(|b| b.month)
                .map(|m| m.to_string())
                .unwrap_or_default(),
            birth_day: birth
                .and_then(|b| b.day)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            birth_approximate: birth.is_some_and(|b| b.approximate),
            gender,
            gender_other,
            community: Some(identity.community.clone()),
            band_number: text(identity.identifiers.band_number.as_ref()),
            sin_last3: text(identity.identifiers.sin_last3.as_ref()),
            health_card_province: text(identity.identifiers.health_card_province.as_ref()),
            phone: text(identity.contact.phone.as_ref()),
            address: text(identity.contact.mailing_address.as_ref()),
            through_band_office: identity.contact.through_band_office,
            spoken: client
                .languages
                .spoken
                .iter()
                .map(|l| l.as_str().to_owned())
                .collect(),
            preferred_language: client
                .languages
                .preferred
                .as_ref()
                .map(|l| l.as_str().to_owned()),
            interpreter_needed: client.languages.interpreter_needed,
            interpreted_by: text(client.languages.interpreted_by.as_ref()),
            members: Vec::new(),
            links: Vec::new(),
            link_search: String::new(),
            link_relationship: Rel::default(),
            household: client.household.clone(),
            programs: client.programs.clone(),
            consent: client.consent.clone(),
            referrals: client.referrals.clone(),
            follow_ups: client.follow_ups.clone(),
            new_note: String::new(),
            notes: client.notes.clone(),
            satisfaction: client.satisfaction,
            conflict_marks: Vec::new(),
            base: Some(client),
        }
    }

    /// What lists of drafts show: the name typed so far (may be empty).
    pub(crate) fn label(&self) -> String {
        let mut parts = vec![self.given.trim(), self.family.trim()];
        parts.retain(|p| !p.is_empty());
        parts.join(" ")
    }

    /// Names and date of birth as one search text (for the "possible existing client" check).
    pub(crate) fn match_text(&self) -> String {
        let mut parts = vec![self.given.trim(), self.family.trim()];
        parts.retain(|p| !p.is_empty());
        let mut text = parts.join(" ");
        if let Some(date) = self.typed_birth() {
            text.push(' ');
            text.push_str(&date);
        }
        text
    }

    /// The date of birth typed so far as the search reads a date — `YYYY`, `YYYY-MM`,
    /// `YYYY-MM-DD`, `~` first when marked approximate — so a namesake born that day, or with
    /// day and month swapped, ranks first. `None` until the year has its four digits (a part of
    /// a year would be searched as a name); a month or day that is not one yet is left out.
    fn typed_birth(&self) -> Option<String> {
        let year = self.birth_year.trim();
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut date = format!("{}{year}", if self.birth_approximate { "~" } else { "" });
        if let Ok(month @ 1..=12) = self.birth_month.trim().parse::<u8>() {
            date.push_str(&format!("-{month:02}"));
            if let Ok(day @ 1..=31) = self.birth_day.trim().parse::<u8>() {
                date.push_str(&format!("-{day:02}"));
            }
        }
        Some(date)
    }

    /// The records this form saves: the client first, then each household member added.
    /// `Err(field)` when a number field does not hold a number.
    pub(crate) fn to_clients(
        &self,
        author: Author,
        now: Timestamp,
        site: &str,
    ) -> Result<Vec<Client>, &'static str> {
        let year = number::<i16>(&self.birth_year).map_err(|()| "identity.date_of_birth")?;
        let month = number::<u8>(&self.birth_month).map_err(|()| "identity.date_of_birth")?;
        let day = number::<u8>(&self.birth_day).map_err(|()| "identity.date_of_birth")?;
        let community = self
            .community
            .clone()
            .unwrap_or_else(|| CommunityCode::new(""));
        let identity = Identity {
            given_name: self.given.trim().to_owned(),
            family_name: self.family.trim().to_owned(),
            preferred_name: optional(&self.preferred),
            other_names: self.other_names.split(',').filter_map(optional).collect(),
            date_of_birth: year.map(|year| DateOfBirth {
                year,
                month,
                day: month.and(day),
                approximate: self.birth_approximate,
            }),
            sex_or_gender: match self.gender {
                Gender::Unset => None,
                Gender::Female => Some(SexOrGender::Female),
                Gender::Male => Some(SexOrGender::Male),
                Gender::TwoSpirit => Some(SexOrGender::TwoSpirit),
                Gender::Another => Some(SexOrGender::Another(self.gender_other.trim().to_owned())),
                Gender::PreferNotToSay => Some(SexOrGender::PreferNotToSay),
            },
            community: community.clone(),
            identifiers: Identifiers {
                band_number: optional(&self.band_number),
                sin_last3: optional(&self.sin_last3),
                health_card_province: optional(&self.health_card_province)
                    .map(|p| p.to_uppercase()),
                // Not on the form: kept from the record being edited (an import's reference).
                external_reference: self
                    .base
                    .as_ref()
                    .and_then(|b| b.identity.identifiers.external_reference.clone()),
            },
            contact: Contact {
                phone: optional(&self.phone),
                mailing_address: optional(&self.address),
                through_band_office: self.through_band_office,
            },
        };
        let mut client = match &self.base {
            Some(base) => {
                let mut client = base.clone();
                client.identity = identity;
                client
            }
            None => {
                let mut client = Client::new(identity, author.agent, author.device, now);
                client.provenance.site = optional(site).map(SiteCode::new);
                client
            }
        };
        client.languages = Languages {
            spoken: self.spoken.iter().map(LanguageCode::new).collect(),
            preferred: self.preferred_language.as_ref().map(LanguageCode::new),
            interpreter_needed: self.interpreter_needed,
            interpreted_by: optional(&self.interpreted_by),
        };
        client.household = self.household.clone();
        client.programs = self.programs.clone();
        client.consent = self.consent.clone();
        client.referrals = self.referrals.clone();
        client.follow_ups = self.follow_ups.clone();
        client.notes = self.notes.clone();
        if let Some(text) = optional(&self.new_note) {
            client.notes.push(Note {
                id: NoteId::random(),
                text,
                author: author.agent,
                written_at: now,
            });
        }
        client.satisfaction = self.satisfaction;

        let mut members = Vec::new();
        for member in &self.members {
            let id = member.id.unwrap_or_else(ClientId::random);
            let date_of_birth = member
                .date_of_birth()
                .map_err(|()| "household.date_of_birth")?;
            let mut record = Client::new(
                Identity {
                    given_name: member.given.trim().to_owned(),
                    family_name: member.family.trim().to_owned(),
                    preferred_name: None,
                    other_names: Vec::new(),
                    date_of_birth,
                    sex_or_gender: None,
                    community: community.clone(),
                    identifiers: Identifiers::default(),
                    contact: Contact::default(),
                },
                author.agent,
                author.device,
                now,
            );
            record.id = id;
            record.programs = member.programs.clone();
            record.provenance.site = client.provenance.site.clone();
            record.household.push(HouseholdLink {
                member: client.id,
                relationship: member.relationship.inverse().model(),
            });
            client.household.push(HouseholdLink {
                member: id,
                relationship: member.relationship.model(),
            });
            members.push(record);
        }
        for (id, _, relationship) in &self.links {
            if !client.household.iter().any(|l| l.member == *id) {
                client.household.push(HouseholdLink {
                    member: *id,
                    relationship: relationship.model(),
                });
            }
        }
        let mut all = vec![client];
        all.extend(members);
        Ok(all)
    }

    /// The other half of each link to an existing client: (that client, the link to add to it).
    pub(crate) fn reciprocal_links(&self, client: ClientId) -> Vec<(ClientId, HouseholdLink)> {
        self.links
            .iter()
            .map(|(id, _, relationship)| {
                (
                    *id,
                    HouseholdLink {
                        member: client,
                        relationship: relationship.inverse().model(),
                    },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Draft;

    fn typed(year: &str, month: &str, day: &str, approximate: bool) -> String {
        // Field by field: a draft zeroizes on drop, so it cannot be built with `..default()`.
        let mut draft = Draft::default();
        draft.given = "Elisapee".into();
        draft.family = "Kootoo".into();
        draft.birth_year = year.into();
        draft.birth_month = month.into();
        draft.birth_day = day.into();
        draft.birth_approximate = approximate;
        draft.match_text()
    }

    #[test]
    fn the_possible_client_search_reads_the_date_as_far_as_it_is_typed() {
        assert_eq!(typed("1958", "3", "4", false), "Elisapee Kootoo 1958-03-04");
        assert_eq!(typed("1958", "3", "", false), "Elisapee Kootoo 1958-03");
        assert_eq!(typed("1940", "", "", true), "Elisapee Kootoo ~1940");
        // Not yet a date: a part of a year or an impossible month is not searched as a name.
        assert_eq!(typed("19", "", "", false), "Elisapee Kootoo");
        assert_eq!(typed("1958", "13", "4", false), "Elisapee Kootoo 1958");
    }
}

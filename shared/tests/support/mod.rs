//! proptest strategies for valid client records.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use shared::ids::*;
use shared::model::*;
use shared::time::{CalendarDate, Timestamp};
use uuid::Uuid;

pub fn uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(|n| uuid::Builder::from_random_bytes(n.to_le_bytes()).into_uuid())
}

/// Names in Latin with accents and apostrophes, or in syllabics.
pub fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-zéèêëïôçœ'’-]{0,15}( [A-Z][a-z]{1,10})?",
        "[ᐁ-ᐊᐱ-ᐸᑎ-ᑕᑭ-ᑲᒋ-ᒐᒥ-ᒪᓂ-ᓇᓯ-ᓴᖃᖅᑦᒃᓐ]{1,10}",
    ]
}

pub fn free_text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 .,;:!?éᐊᓂ\n-]{1,80}".prop_filter("not blank", |s| !s.trim().is_empty())
}

pub fn timestamp() -> impl Strategy<Value = Timestamp> {
    (0i64..4_000_000_000_000).prop_map(Timestamp)
}

/// A record's change time: never after tomorrow (validation refuses one from a clock ahead).
pub fn change_time() -> impl Strategy<Value = Timestamp> {
    (0i64..1_700_000_000_000).prop_map(Timestamp)
}

pub fn date() -> impl Strategy<Value = CalendarDate> {
    (1900i16..2030, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| CalendarDate::new(y, m, d).unwrap())
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: Vec<T>) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

fn community() -> impl Strategy<Value = CommunityCode> {
    pick(vec![
        "nu.pangnirtung",
        "nu.iqaluit",
        "mb.churchill",
        "band.example-cree-nation",
    ])
    .prop_map(CommunityCode::new)
}

pub fn partner() -> impl Strategy<Value = PartnerCode> {
    pick(vec!["ca.esdc", "ca.cra", "nu.health", "red-cross"]).prop_map(PartnerCode::new)
}

fn program() -> impl Strategy<Value = ProgramCode> {
    pick(vec![
        "ca.oas",
        "ca.gis",
        "ca.ei",
        "nu.health-card",
        "ca.ccb",
    ])
    .prop_map(ProgramCode::new)
}

fn birth() -> impl Strategy<Value = DateOfBirth> {
    (
        1900i16..2020,
        option::of(1u8..=12),
        1u8..=28,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(year, month, day, with_day, approximate)| DateOfBirth {
            year,
            month,
            day: month.and(with_day.then_some(day)),
            approximate,
        })
}

fn sex() -> impl Strategy<Value = SexOrGender> {
    prop_oneof![
        Just(SexOrGender::Female),
        Just(SexOrGender::Male),
        Just(SexOrGender::TwoSpirit),
        Just(SexOrGender::PreferNotToSay),
        name().prop_map(SexOrGender::Another),
    ]
}

fn identity() -> impl Strategy<Value = Identity> {
    (
        (name(), name(), option::of(name()), vec(name(), 0..3)),
        (option::of(birth()), option::of(sex()), community()),
        (
            option::of("[0-9]{10}"),
            option::of("[0-9]{3}"),
            option::of(pick(vec!["NU", "MB", "AB"]).prop_map(String::from)),
        ),
        (
            option::of("[0-9 ()-]{7,14}"),
            option::of(free_text()),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (given, family, preferred, others),
                (dob, sex, community),
                (band, sin, hc),
                (phone, mail, via_band),
            )| Identity {
                given_name: given,
                family_name: family,
                preferred_name: preferred,
                other_names: others,
                date_of_birth: dob,
                sex_or_gender: sex,
                community,
                identifiers: Identifiers {
                    band_number: band,
                    sin_last3: sin,
                    health_card_province: hc,
                    external_reference: None,
                },
                contact: Contact {
                    phone,
                    mailing_address: mail,
                    through_band_office: via_band,
                },
            },
        )
}

fn languages() -> impl Strategy<Value = Languages> {
    let lang = || pick(vec!["en", "fr", "iu", "cr"]).prop_map(LanguageCode::new);
    (
        vec(lang(), 0..3),
        option::of(lang()),
        any::<bool>(),
        option::of(name()),
    )
        .prop_map(
            |(spoken, preferred, interpreter_needed, interpreted_by)| Languages {
                spoken,
                preferred,
                interpreter_needed,
                interpreted_by,
            },
        )
}

fn relationship() -> impl Strategy<Value = Relationship> {
    prop_oneof![
        Just(Relationship::Spouse),
        Just(Relationship::Child),
        Just(Relationship::Grandparent),
        name().prop_map(Relationship::Other)
    ]
}

fn program_status() -> impl Strategy<Value = ProgramStatus> {
    pick(vec![
        ProgramStatus::InfoGiven,
        ProgramStatus::ApplicationHelped,
        ProgramStatus::Submitted,
        ProgramStatus::Referred,
        ProgramStatus::Done,
    ])
}

fn referral() -> impl Strategy<Value = Referral> {
    (
        uuid(),
        partner(),
        free_text(),
        pick(vec![Urgency::Routine, Urgency::Soon, Urgency::Urgent]),
        pick(vec![
            ReferralStatus::Open,
            ReferralStatus::Sent,
            ReferralStatus::Closed,
        ]),
        option::of(free_text()),
        timestamp(),
    )
        .prop_map(
            |(id, partner, reason, urgency, status, outcome, created_at)| Referral {
                id: ReferralId(id),
                partner,
                reason,
                urgency,
                status,
                outcome,
                created_at,
            },
        )
}

fn consent_events() -> impl Strategy<Value = Vec<ConsentEvent>> {
    vec(
        (
            uuid(),
            partner(),
            any::<bool>(),
            date(),
            uuid(),
            timestamp(),
            any::<bool>(),
        ),
        0..4,
    )
    .prop_map(|raw| {
        let mut events: Vec<ConsentEvent> = Vec::new();
        for (id, partner, grant, date, agent, at, supersede_previous) in raw {
            let supersedes = if supersede_previous {
                events.last().map(|e| vec![e.id]).unwrap_or_default()
            } else {
                vec![]
            };
            events.push(ConsentEvent {
                id: ConsentEventId(id),
                partner,
                purpose: PurposeCode::new("referral"),
                action: if grant {
                    ConsentAction::Grant
                } else {
                    ConsentAction::Withdraw
                },
                method: if grant {
                    ConsentMethod::Signed
                } else {
                    ConsentMethod::VerbalWithWitness("Witness".into())
                },
                date,
                supersedes,
                recorded_by: AgentId(agent),
                recorded_at: at,
            });
        }
        events
    })
}

pub fn client() -> impl Strategy<Value = Client> {
    (
        (uuid(), 0u32..3, identity(), languages()),
        vec((uuid(), relationship()), 0..3),
        vec(
            (
                uuid(),
                program(),
                program_status(),
                vec(
                    pick(vec!["birth-certificate", "sin-letter"]).prop_map(DocumentKind::new),
                    0..2,
                ),
            ),
            0..4,
        ),
        consent_events(),
        vec(referral(), 0..3),
        vec((uuid(), date(), free_text(), any::<bool>()), 0..3),
        vec((uuid(), free_text(), uuid(), timestamp()), 0..3),
        (
            option::of(1u8..=5),
            uuid(),
            uuid(),
            change_time(),
            change_time(),
        ),
    )
        .prop_map(
            |(
                (id, epoch, identity, languages),
                household,
                programs,
                consent,
                referrals,
                follow_ups,
                notes,
                (satisfaction, agent, device, created, updated),
            )| Client {
                id: ClientId(id),
                epoch,
                identity,
                languages,
                household: household
                    .into_iter()
                    .map(|(m, relationship)| HouseholdLink {
                        member: ClientId(m),
                        relationship,
                    })
                    .collect(),
                programs: programs
                    .into_iter()
                    .map(|(id, program, status, documents_seen)| ProgramRequest {
                        id: ProgramRequestId(id),
                        program,
                        status,
                        documents_seen,
                        life_event: None,
                    })
                    .collect(),
                consent,
                referrals,
                follow_ups: follow_ups
                    .into_iter()
                    .map(|(id, due, description, done)| FollowUp {
                        id: FollowUpId(id),
                        due,
                        description,
                        done,
                    })
                    .collect(),
                notes: notes
                    .into_iter()
                    .map(|(id, text, author, written_at)| Note {
                        id: NoteId(id),
                        text,
                        author: AgentId(author),
                        written_at,
                    })
                    .collect(),
                satisfaction,
                not_same_person: Vec::new(),
                merged_into: None,
                absorbed: Vec::new(),
                provenance: Provenance {
                    created_by: AgentId(agent),
                    device: DeviceId(device),
                    site: None,
                    visit: None,
                    created_at: created,
                    updated_at: updated,
                    updated_by: AgentId(agent),
                },
            },
        )
}

pub fn author() -> shared::Author {
    shared::Author {
        agent: AgentId::random(),
        device: DeviceId::random(),
    }
}

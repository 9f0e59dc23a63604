//! Realistic, clearly fictional intake lines (schema v1) from a seed: the demo's extra records,
//! and the records of tests and benchmarks across the workspace.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom as _;
use rand::{Rng as _, SeedableRng as _};

const GIVEN: &[&str] = &[
    "Annie",
    "Joanasie",
    "Elisapee",
    "Pauloosie",
    "Meeka",
    "Jaypetee",
    "Leesee",
    "Oolootie",
    "Sheila",
    "Noah",
    "Mary",
    "John",
    "Élise",
    "Rosie",
    "Samuel",
    "Margaret",
    "ᐊᓂ",
    "ᒥᐊᓯ",
    "ᔪᐊᓇᓯ",
    "ᓄᐊ",
];
const FAMILY: &[&str] = &[
    "Kilabuk",
    "Nowdlak",
    "Akulukjuk",
    "Qaqqasiq",
    "Ishulutak",
    "Alivaktuk",
    "Metuq",
    "Maniapik",
    "Arnakaq",
    "Tremblay",
    "Beardy",
    "Spence",
    "Flett",
    "Kirkness",
    "ᑭᓚᐳᒃ",
    "ᓇᐅᓚᒃ",
];
const PROGRAMS: &[&str] = &[
    "ca.oas",
    "ca.gis",
    "ca.ei",
    "ca.cpp",
    "ca.ccb",
    "nu.health-card",
    "nu.income-assistance",
];
const PARTNERS: &[&str] = &["ca.esdc", "ca.cra", "nu.health", "nu.family-services"];
const WORDS: &[&str] = &[
    "client",
    "asked",
    "about",
    "the",
    "application",
    "visit",
    "next",
    "month",
    "needs",
    "help",
    "with",
    "forms",
    "daughter",
    "will",
    "bring",
    "documents",
    "band",
    "office",
    "phone",
    "call",
    "pension",
    "interpreter",
    "prefers",
    "mornings",
    "hearing",
    "nurse",
];

/// `count` realistic intake lines for `community`, with fixed ids from `seed`.
#[must_use]
pub fn intake_lines(count: usize, seed: u64, community: &str) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|n| {
            let id = uuid::Builder::from_random_bytes(rng.random()).into_uuid();
            let given = GIVEN.choose(&mut rng).copied().unwrap_or("Annie");
            let family = FAMILY.choose(&mut rng).copied().unwrap_or("Kilabuk");
            let programs: Vec<String> = (0..rng.random_range(1..4))
                .map(|_| {
                    format!(
                        r#"{{"id":"{}","program":"{}","status":"application_helped","documents_seen":["birth-certificate"]}}"#,
                        uuid::Builder::from_random_bytes(rng.random()).into_uuid(),
                        PROGRAMS.choose(&mut rng).copied().unwrap_or("ca.oas")
                    )
                })
                .collect();
            let note: Vec<&str> = (0..rng.random_range(8..30)).map(|_| WORDS.choose(&mut rng).copied().unwrap_or("visit")).collect();
            let referral = if rng.random_ratio(1, 3) {
                format!(
                    r#","referrals":[{{"id":"{}","partner":"nu.health","reason":"Follow-up with the visiting nurse","urgency":"routine","status":"open","created_at":"2026-11-20T15:05:00.000Z"}}]"#,
                    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
                )
            } else {
                String::new()
            };
            format!(
                r#"{{"schema":1,"id":"{id}","identity":{{"given_name":"{given}","family_name":"{family}","date_of_birth":{{"year":{},"month":{},"day":{}}},"sex_or_gender":"{}","community":"{community}","identifiers":{{"band_number":"{:010}"}},"contact":{{"phone":"867-{:03}-{:04}"}}}},"languages":{{"spoken":["iu","en"],"preferred":"iu","interpreter_needed":{}}},"programs":[{}],"consent":[{{"id":"{}","partner":"{}","purpose":"application","action":"grant","method":"signed","date":"2026-11-20","recorded_by":"00000000-0000-4000-8000-0000000000a1","recorded_at":"2026-11-20T15:00:00.000Z"}}]{referral},"notes":[{{"id":"{}","text":"{} ({n})","author":"00000000-0000-4000-8000-0000000000a1","written_at":"2026-11-20T15:10:00.000Z"}}]}}"#,
                rng.random_range(1930..2024),
                rng.random_range(1..=12),
                rng.random_range(1..=28),
                if rng.random_bool(0.5) { "female" } else { "male" },
                rng.random_range(0..10_000_000_000u64),
                rng.random_range(200..999),
                rng.random_range(0..9999),
                rng.random_bool(0.3),
                programs.join(","),
                uuid::Builder::from_random_bytes(rng.random()).into_uuid(),
                PARTNERS.choose(&mut rng).copied().unwrap_or("ca.esdc"),
                uuid::Builder::from_random_bytes(rng.random()).into_uuid(),
                note.join(" "),
            )
        })
        .collect()
}

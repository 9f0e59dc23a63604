//! Store benchmark: `cargo bench -p field-app --bench store` (release build).
//!
//! Fills a profile with realistic records (100,000 by default; `BENCH_RECORDS` overrides), then
//! measures and prints: Argon2id with production parameters, unlock (KDF + key check + index
//! rebuild), name search p50/p95, a single durable save p50/p95 (new record and edit), and the
//! process's peak RSS. Results go in `docs/PERFORMANCE.md`.

#![allow(clippy::print_stdout, clippy::expect_used)] // a benchmark prints its figures and stops on setup errors

use std::time::{Duration, Instant};

use field_app::{LocalStore, SearchQuery};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom as _;
use rand::{Rng as _, SeedableRng as _};
use shared::Client;
use shared::crypto::{DataKey, KdfParams, Keyfile, Passphrase};
use shared::ids::*;
use shared::model::*;
use shared::time::{CalendarDate, Timestamp};

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
    "Peter",
    "Susie",
    "David",
    "Martha",
    "Isaac",
    "Louisa",
    "Jean-Pierre",
    "Marie-Ève",
    "Kevin",
    "Brittany",
    "Tyler",
    "Chantal",
    "Ruth",
    "Simon",
    "ᐊᓂ",
    "ᒥᐊᓯ",
    "ᔪᐊᓇᓯ",
    "ᐃᓕᓴᐱ",
    "ᓄᐊ",
    "ᒪᓕ",
    "ᐸᐅᓗᓯ",
    "ᒦᑲ",
];
const FAMILY: &[&str] = &[
    "Kilabuk",
    "Nowdlak",
    "Akulukjuk",
    "Qaqqasiq",
    "Ishulutak",
    "Alivaktuk",
    "Metuq",
    "Kooneeliusie",
    "Maniapik",
    "Arnakaq",
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Beardy",
    "Spence",
    "Flett",
    "Moose",
    "Kirkness",
    "Bighetty",
    "Linklater",
    "Thompson",
    "McKay",
    "Harper",
    "Anderson",
    "Okimaw",
    "Sinclair",
    "ᑭᓚᐳᒃ",
    "ᓇᐅᓚᒃ",
    "ᐊᑯᓗᒃᔪᒃ",
    "ᖃᖅᑲᓯᖅ",
    "ᐃᓱᓗᑕᒃ",
    "ᐊᓕᕙᒃᑐᒃ",
];
const COMMUNITIES: &[&str] = &[
    "nu.pangnirtung",
    "nu.iqaluit",
    "nu.arviat",
    "mb.churchill",
    "ab.fort-mcmurray",
    "band.example-cree-nation",
];
const PROGRAMS: &[&str] = &[
    "ca.oas",
    "ca.gis",
    "ca.ei",
    "ca.cpp",
    "ca.ccb",
    "nu.health-card",
    "nu.income-assistance",
    "mb.eia",
];
const PARTNERS: &[&str] = &["ca.esdc", "ca.cra", "nu.health", "red-cross"];

fn record(rng: &mut StdRng, author: shared::Author, n: usize) -> Client {
    let given = GIVEN.choose(rng).copied().unwrap_or("Annie");
    let family = FAMILY.choose(rng).copied().unwrap_or("Kilabuk");
    let identity = Identity {
        given_name: given.into(),
        family_name: family.into(),
        other_names: if rng.random_ratio(1, 5) {
            vec![format!("{given} {family}-{}", n % 97)]
        } else {
            vec![]
        },
        date_of_birth: Some(DateOfBirth {
            year: rng.random_range(1930..2024),
            month: Some(rng.random_range(1..=12)),
            day: if rng.random_ratio(4, 5) {
                Some(rng.random_range(1..=28))
            } else {
                None
            },
            approximate: rng.random_ratio(1, 10),
        }),
        sex_or_gender: Some(if rng.random_bool(0.5) {
            SexOrGender::Female
        } else {
            SexOrGender::Male
        }),
        community: CommunityCode::new(*COMMUNITIES.choose(rng).unwrap_or(&"nu.iqaluit")),
        identifiers: Identifiers {
            band_number: Some(format!("{:010}", rng.random_range(0..10_000_000_000u64))),
            ..Identifiers::default()
        },
        contact: Contact {
            phone: Some(format!(
                "867-{:03}-{:04}",
                rng.random_range(200..999),
                rng.random_range(0..9999)
            )),
            ..Contact::default()
        },
        ..Identity::default()
    };
    let mut client = Client::new(identity, author.agent, author.device, Timestamp::now());
    client.languages = Languages {
        spoken: vec![LanguageCode::new("iu"), LanguageCode::new("en")],
        preferred: Some(LanguageCode::new("iu")),
        ..Languages::default()
    };
    for _ in 0..rng.random_range(1..4) {
        client.programs.push(ProgramRequest {
            id: ProgramRequestId::random(),
            program: ProgramCode::new(*PROGRAMS.choose(rng).unwrap_or(&"ca.oas")),
            status: ProgramStatus::ApplicationHelped,
            documents_seen: vec![DocumentKind::new("birth-certificate")],
            life_event: None,
        });
    }
    client.consent.push(ConsentEvent::record(
        &[],
        (
            PartnerCode::new(*PARTNERS.choose(rng).unwrap_or(&"ca.esdc")),
            PurposeCode::new("application"),
        ),
        ConsentAction::Grant,
        ConsentMethod::Signed,
        CalendarDate::new(2026, 11, 20).unwrap_or_else(|_| CalendarDate::today_utc()),
        author.agent,
        Timestamp::now(),
    ));
    if rng.random_ratio(1, 3) {
        client.referrals.push(Referral {
            id: ReferralId::random(),
            partner: PartnerCode::new("nu.health"),
            reason: "Needs a follow-up appointment with the visiting nurse".into(),
            urgency: Urgency::Routine,
            status: ReferralStatus::Open,
            outcome: None,
            created_at: Timestamp::now(),
        });
    }
    client.notes.push(Note {
        id: NoteId::random(),
        text: "Met at the community hall; prefers mornings.".into(),
        author: author.agent,
        written_at: Timestamp::now(),
    });
    client
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index.min(samples.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn main() {
    let records: usize = std::env::var("BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let passphrase = Passphrase::new("bench kayak lichen tundra ptarmigan".into());
    let mut rng = StdRng::seed_from_u64(2026);
    println!(
        "store benchmark: {records} records, profile in {}",
        dir.path().display()
    );

    // Argon2id with production parameters.
    let key = DataKey::generate().expect("key");
    let keyfile = Keyfile::wrap(&key, &passphrase, KdfParams::PRODUCTION).expect("wrap");
    let mut kdf: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            keyfile.unwrap(&passphrase).expect("unwrap");
            t.elapsed()
        })
        .collect();
    let p = KdfParams::PRODUCTION;
    println!(
        "argon2id m={} KiB t={} p={}: median {}",
        p.memory_kib,
        p.iterations,
        p.parallelism,
        ms(percentile(&mut kdf, 0.5))
    );

    // Fill.
    let mut store =
        LocalStore::create(dir.path(), &passphrase, KdfParams::PRODUCTION, None).expect("create");
    let author = store.author();
    let started = Instant::now();
    let mut names = Vec::with_capacity(records);
    for chunk_start in (0..records).step_by(1_000) {
        let batch: Vec<Client> = (chunk_start..(chunk_start + 1_000).min(records))
            .map(|n| record(&mut rng, author, n))
            .collect();
        names.extend(batch.iter().map(|c| {
            (
                c.identity.given_name.clone(),
                c.identity.family_name.clone(),
            )
        }));
        store.save_all(&batch).expect("save batch");
    }
    let fill = started.elapsed();
    println!(
        "fill: {records} records in {:.1} s ({:.0} records/s, batches of 1,000)",
        fill.as_secs_f64(),
        records as f64 / fill.as_secs_f64()
    );
    drop(store);
    let db_bytes: u64 = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "profile size on disk: {:.1} MiB",
        db_bytes as f64 / 1_048_576.0
    );

    // Unlock: KDF + key check + migrations + index rebuild.
    let mut opens = Vec::new();
    let mut store = None;
    for _ in 0..5 {
        let t = Instant::now();
        store = Some(LocalStore::open(dir.path(), &passphrase).expect("open"));
        opens.push(t.elapsed());
    }
    let mut store = store.expect("opened");
    println!(
        "open after KDF (unlock, incl. index of {} records): median {}, max {}",
        store.count().unwrap_or(0),
        ms(percentile(&mut opens, 0.5)),
        ms(percentile(&mut opens, 1.0))
    );

    // Search.
    let mut queries = Vec::new();
    for i in 0..1_000 {
        let (given, family) = names.choose(&mut rng).cloned().unwrap_or_default();
        let family_chars: Vec<char> = family.chars().collect();
        let query = match i % 5 {
            0 => family_chars.iter().take(3).collect::<String>(),
            1 => format!(
                "{} {}",
                given,
                family_chars.iter().take(4).collect::<String>()
            ),
            2 => {
                let mut typo = family_chars.clone();
                if typo.len() > 4 {
                    typo.remove(typo.len() / 2);
                }
                typo.into_iter().collect()
            }
            3 => format!("{given} {family}"),
            _ => format!("{} {}", family, rng.random_range(1930..2024)),
        };
        queries.push(query);
    }
    let mut search_times = Vec::new();
    let mut total_hits = 0;
    for query in &queries {
        let t = Instant::now();
        let hits = store
            .search(&SearchQuery {
                text: query.clone(),
                community: None,
                limit: 50,
            })
            .expect("search");
        search_times.push(t.elapsed());
        total_hits += hits.len();
    }
    println!(
        "name search (1,000 queries: prefix, name+prefix, one typo, full name, name+year; ≤50 results): p50 {}, p95 {}, max {} ({:.1} results avg)",
        ms(percentile(&mut search_times, 0.5)),
        ms(percentile(&mut search_times, 0.95)),
        ms(percentile(&mut search_times, 1.0)),
        total_hits as f64 / queries.len() as f64
    );

    // Single durable saves.
    let mut creates = Vec::new();
    let mut edited = Vec::new();
    for n in 0..200 {
        let client = record(&mut rng, author, records + n);
        let t = Instant::now();
        store.save(&client).expect("save");
        creates.push(t.elapsed());
        edited.push(client);
    }
    let mut edits = Vec::new();
    for client in &mut edited {
        client.identity.family_name.push('x');
        let t = Instant::now();
        store.save(client).expect("save");
        edits.push(t.elapsed());
    }
    println!(
        "single record save, durable (synchronous=FULL, one transaction): new p50 {} p95 {}; edit p50 {} p95 {}",
        ms(percentile(&mut creates, 0.5)),
        ms(percentile(&mut creates, 0.95)),
        ms(percentile(&mut edits, 0.5)),
        ms(percentile(&mut edits, 0.95))
    );
    println!("peak RSS: {:.0} MiB", peak_rss_mib());
}

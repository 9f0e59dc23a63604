//! Trains the zstd dictionary that small uploads and pages are compressed with
//! (`shared::protocol::dictionary`, `docs/PROTOCOL.md` "Dictionaries"). Run once per new
//! dictionary; the output is committed and never regenerated under the same id (a node must read
//! every dictionary a device may have used).
//!
//! Usage: `changes-dictionary OUT [SIZE]`.
//!
//! What it learns from is the *shape* of intake changes, not anybody's data: records in schema
//! v1 with every optional part present now and then, codes from the built-in catalogue, and
//! names, notes and reasons made of random letters, so no name of a test generator (or of a
//! person) is in it. Samples are what the protocol compresses: uploads of 1–8 changes (new
//! records and the small edits agents make: a phone number, a preferred name, a note, a
//! program's status, a follow-up done).

#![allow(clippy::print_stdout)] // a command-line tool reports on stdout

use anyhow::Context as _;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom as _;
use rand::{Rng as _, SeedableRng as _};
use serde_json::{Value, json};
use shared::intake_schema::{ImportContext, parse_line};
use shared::protocol::{BatchChange, encode_upload};
use shared::time::{CalendarDate, Timestamp};
use shared::{Author, Catalogue, ClientDoc};

const SAMPLES: usize = 3_000;
const PROGRAM_STATUSES: [&str; 5] = [
    "info_given",
    "application_helped",
    "submitted",
    "referred",
    "done",
];
const URGENCIES: [&str; 3] = ["routine", "soon", "urgent"];
const REFERRAL_STATUSES: [&str; 5] = ["open", "sent", "accepted", "closed", "declined"];

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .context("usage: changes-dictionary OUT [SIZE]")?;
    let size: usize = args.next().map_or(Ok(16 * 1024), |s| s.parse())?;
    let catalogue = Catalogue::built_in()?;
    let mut rng = StdRng::seed_from_u64(0x0B5E_55ED);
    let mut samples = Vec::with_capacity(SAMPLES);
    while samples.len() < SAMPLES {
        let batch = rng.random_range(1..=8);
        let changes = (0..batch)
            .map(|_| sample_change(&mut rng, &catalogue))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let compressed = encode_upload(&changes, None, 1, None)?;
        samples.push(zstd::bulk::decompress(&compressed, 1 << 24)?);
    }
    let mut dictionary = zstd::dict::from_samples(&samples, size)?;
    // A formatted dictionary: magic, then its id (little-endian), which frames name.
    dictionary[4..8].copy_from_slice(&shared::protocol::dictionary::CHANGES_V1.to_le_bytes());
    std::fs::write(&out, &dictionary)?;
    println!("{} bytes, from {} samples", dictionary.len(), samples.len());
    Ok(())
}

/// A new record (half the time) or a small edit of one, as the laptop would send it.
fn sample_change(rng: &mut StdRng, catalogue: &Catalogue) -> anyhow::Result<BatchChange> {
    let device = shared::ids::DeviceId::random();
    let author = Author {
        agent: shared::ids::AgentId::random(),
        device,
    };
    let now = Timestamp(rng.random_range(1_760_000_000_000..1_800_000_000_000));
    let context = ImportContext {
        agent: author.agent,
        device,
        site: None,
        visit: None,
        now,
        today: CalendarDate::today_utc(),
    };
    let mut record = random_record(rng, catalogue);
    let client = parse_line(&record.to_string(), &context, catalogue)
        .map_err(|e| anyhow::anyhow!("a generated line was refused: {e:?}"))?;
    let mut doc = ClientDoc::empty(device);
    let created = doc.write(&client, author, now)?.context("a new record")?;
    if rng.random_bool(0.5) {
        return Ok(BatchChange {
            client: client.id,
            epoch: 0,
            change: created.bytes,
        });
    }
    let later = Timestamp(now.0 + rng.random_range(60_000..40_000_000_000));
    let editor = Author {
        agent: shared::ids::AgentId::random(),
        device: shared::ids::DeviceId::random(),
    };
    edit(rng, &mut record, catalogue);
    let edited = parse_line(
        &record.to_string(),
        &ImportContext {
            agent: editor.agent,
            device: editor.device,
            now: later,
            ..context
        },
        catalogue,
    )
    .map_err(|e| anyhow::anyhow!("an edited line was refused: {e:?}"))?;
    let change = doc
        .write(&edited, editor, later)?
        .map_or(created.bytes, |c| c.bytes);
    Ok(BatchChange {
        client: client.id,
        epoch: 0,
        change,
    })
}

fn letters(rng: &mut StdRng, low: usize, high: usize) -> String {
    const ALPHABET: &[u8] = b"aaaeeiioouuklmnpqrstjhgv";
    let length = rng.random_range(low..=high);
    (0..length)
        .map(|_| char::from(*ALPHABET.choose(rng).unwrap_or(&b'a')))
        .collect()
}

fn name(rng: &mut StdRng) -> String {
    let word = letters(rng, 3, 10);
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn sentence(rng: &mut StdRng, fewest: usize, most: usize) -> String {
    let words = rng.random_range(fewest..most);
    (0..words)
        .map(|_| letters(rng, 2, 9))
        .collect::<Vec<_>>()
        .join(" ")
}

fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.random())
        .into_uuid()
        .to_string()
}

fn pick(rng: &mut StdRng, items: &[String], fallback: &str) -> String {
    items
        .choose(rng)
        .cloned()
        .unwrap_or_else(|| fallback.to_owned())
}

fn stamp(rng: &mut StdRng) -> String {
    format!(
        "2026-{:02}-{:02}T{:02}:{:02}:00.000Z",
        rng.random_range(1..=12),
        rng.random_range(1..=28),
        rng.random_range(0..24),
        rng.random_range(0..60)
    )
}

fn day(rng: &mut StdRng) -> String {
    format!(
        "2026-{:02}-{:02}",
        rng.random_range(1..=12),
        rng.random_range(1..=28)
    )
}

fn random_record(rng: &mut StdRng, catalogue: &Catalogue) -> Value {
    let communities: Vec<String> = catalogue
        .communities
        .iter()
        .map(|c| c.code.as_str().to_owned())
        .collect();
    let programs: Vec<String> = catalogue
        .programs
        .iter()
        .map(|p| p.code.as_str().to_owned())
        .collect();
    let partners: Vec<String> = catalogue
        .partners
        .iter()
        .map(|p| p.code.as_str().to_owned())
        .collect();
    let purposes: Vec<String> = catalogue
        .purposes
        .iter()
        .map(|p| p.code.as_str().to_owned())
        .collect();
    let languages = ["iu", "cr", "en", "fr", "oj", "ikt"];
    let mut identity = json!({
        "given_name": name(rng),
        "family_name": name(rng),
        "community": pick(rng, &communities, "nu.iqaluit"),
    });
    if rng.random_bool(0.9) {
        identity["date_of_birth"] = if rng.random_bool(0.85) {
            json!({"year": rng.random_range(1930..2025), "month": rng.random_range(1..=12), "day": rng.random_range(1..=28)})
        } else {
            json!({"year": rng.random_range(1930..2025), "approximate": true})
        };
    }
    if rng.random_bool(0.8) {
        identity["sex_or_gender"] =
            json!(["female", "male", "two_spirit", "prefer_not_to_say"][rng.random_range(0..4)]);
    }
    if rng.random_bool(0.3) {
        identity["preferred_name"] = json!(name(rng));
    }
    if rng.random_bool(0.3) {
        identity["other_names"] = json!([name(rng)]);
    }
    let mut identifiers = serde_json::Map::new();
    if rng.random_bool(0.5) {
        identifiers.insert(
            "band_number".into(),
            json!(format!("{:010}", rng.random_range(0..10_000_000_000u64))),
        );
    }
    if rng.random_bool(0.3) {
        identifiers.insert(
            "sin_last3".into(),
            json!(format!("{:03}", rng.random_range(0..1000))),
        );
    }
    if rng.random_bool(0.3) {
        identifiers.insert(
            "health_card_province".into(),
            json!(["NU", "MB", "QC", "NT"][rng.random_range(0..4)]),
        );
    }
    if rng.random_bool(0.1) {
        identifiers.insert(
            "external_reference".into(),
            json!(format!("F-{}", rng.random_range(1000..99999))),
        );
    }
    if !identifiers.is_empty() {
        identity["identifiers"] = Value::Object(identifiers);
    }
    let mut contact = serde_json::Map::new();
    if rng.random_bool(0.7) {
        contact.insert(
            "phone".into(),
            json!(format!(
                "{}-{:03}-{:04}",
                rng.random_range(200..999),
                rng.random_range(200..999),
                rng.random_range(0..9999)
            )),
        );
    }
    if rng.random_bool(0.2) {
        contact.insert(
            "mailing_address".into(),
            json!(format!("PO Box {}", rng.random_range(1..2000))),
        );
    }
    if rng.random_bool(0.2) {
        contact.insert("through_band_office".into(), json!(true));
    }
    if !contact.is_empty() {
        identity["contact"] = Value::Object(contact);
    }
    let spoken: Vec<&str> = (0..rng.random_range(1..=3))
        .map(|_| languages[rng.random_range(0..languages.len())])
        .collect();
    let mut spoken = spoken;
    spoken.dedup();
    let mut record = json!({
        "schema": 1,
        "id": uuid(rng),
        "identity": identity,
        "languages": {"spoken": spoken, "preferred": spoken[0], "interpreter_needed": rng.random_bool(0.3)},
        "programs": (0..rng.random_range(0..=4)).map(|_| json!({
            "id": uuid(rng),
            "program": pick(rng, &programs, "ca.oas"),
            "status": PROGRAM_STATUSES[rng.random_range(0..PROGRAM_STATUSES.len())],
        })).collect::<Vec<_>>(),
        "consent": (0..rng.random_range(0..=3)).map(|_| json!({
            "id": uuid(rng),
            "partner": pick(rng, &partners, "ca.esdc"),
            "purpose": pick(rng, &purposes, "application"),
            "action": if rng.random_bool(0.9) { "grant" } else { "withdraw" },
            "method": if rng.random_bool(0.7) { json!("signed") } else { json!({"verbal_with_witness": name(rng)}) },
            "date": day(rng),
            "recorded_by": uuid(rng),
            "recorded_at": stamp(rng),
        })).collect::<Vec<_>>(),
    });
    if rng.random_bool(0.4) {
        record["referrals"] = json!([{
            "id": uuid(rng),
            "partner": pick(rng, &partners, "nu.health"),
            "reason": sentence(rng, 2, 8),
            "urgency": URGENCIES[rng.random_range(0..URGENCIES.len())],
            "status": REFERRAL_STATUSES[rng.random_range(0..REFERRAL_STATUSES.len())],
            "created_at": stamp(rng),
        }]);
    }
    if rng.random_bool(0.3) {
        record["follow_ups"] =
            json!([{"id": uuid(rng), "due": day(rng), "description": sentence(rng, 2, 8)}]);
    }
    if rng.random_bool(0.7) {
        record["notes"] = json!([{"id": uuid(rng), "text": sentence(rng, 3, 30), "author": uuid(rng), "written_at": stamp(rng)}]);
    }
    if rng.random_bool(0.3) {
        record["satisfaction"] = json!(rng.random_range(1..=5));
    }
    record
}

/// One of the small edits agents make.
fn edit(rng: &mut StdRng, record: &mut Value, catalogue: &Catalogue) {
    match rng.random_range(0..6) {
        0 => {
            record["identity"]["contact"]["phone"] = json!(format!(
                "867-{:03}-{:04}",
                rng.random_range(200..999),
                rng.random_range(0..9999)
            ));
        }
        1 => record["identity"]["preferred_name"] = json!(name(rng)),
        2 => {
            let note = json!({"id": uuid(rng), "text": sentence(rng, 3, 20), "author": uuid(rng), "written_at": stamp(rng)});
            match record["notes"].as_array_mut() {
                Some(notes) => notes.push(note),
                None => record["notes"] = json!([note]),
            }
        }
        3 => match record["programs"]
            .as_array_mut()
            .and_then(|p| p.first_mut())
        {
            Some(program) => program["status"] = json!("submitted"),
            None => {
                let programs: Vec<String> = catalogue
                    .programs
                    .iter()
                    .map(|p| p.code.as_str().to_owned())
                    .collect();
                record["programs"] = json!([{"id": uuid(rng), "program": pick(rng, &programs, "ca.oas"), "status": "info_given"}]);
            }
        },
        4 => record["satisfaction"] = json!(rng.random_range(1..=5)),
        _ => {
            record["follow_ups"] = json!([{"id": uuid(rng), "due": day(rng), "description": sentence(rng, 4, 5), "done": true}]);
        }
    }
}

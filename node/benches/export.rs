//! The node's consent-filtered export end to end (issue 12): 100,000 records imported into a
//! real SQLCipher store, then `node::export::export` — every record read (from the validated
//! record kept beside each document), the consent rule, the CSV, sealing, writing the file, and
//! committing the export with one disclosure per client released.
//!
//! `cargo bench -p node --bench export` (100,000 records); `-- --records N` for another size.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::fmt::Write as _;
use std::time::Instant;

use node::export::{Destination, ExportOptions, export};
use node::storage::Store as _;
use node::storage::sqlite::SqliteStore;
use shared::crypto::{KdfParams, Passphrase};
use shared::disclosure::{Column, ExportProfile};
use shared::ids::{PartnerCode, PurposeCode};
use shared::time::Timestamp;

const AGENT: &str = "00000000-0000-4000-8000-0000000000a1";

fn lines(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let consent = match i % 20 {
            0..=11 => format!(
                r#"[{{"id":"{}","partner":"nu.health","purpose":"referral","action":"grant","method":"signed","date":"2026-11-20","recorded_by":"{AGENT}","recorded_at":"2026-11-20T15:00:00.000Z"}}]"#,
                uuid::Uuid::new_v4()
            ),
            12..=14 => {
                let grant = uuid::Uuid::new_v4();
                format!(
                    r#"[{{"id":"{grant}","partner":"nu.health","purpose":"referral","action":"grant","method":"signed","date":"2026-11-20","recorded_by":"{AGENT}","recorded_at":"2026-11-20T15:00:00.000Z"}},{{"id":"{}","partner":"nu.health","purpose":"referral","action":"withdraw","method":"signed","date":"2026-11-21","supersedes":["{grant}"],"recorded_by":"{AGENT}","recorded_at":"2026-11-21T15:00:00.000Z"}}]"#,
                    uuid::Uuid::new_v4()
                )
            }
            15..=17 => "[]".to_owned(),
            _ => format!(
                r#"[{{"id":"{}","partner":"nu.health","purpose":"referral","action":"grant","method":"signed","date":"2024-01-10","recorded_by":"{AGENT}","recorded_at":"2024-01-10T15:00:00.000Z"}}]"#,
                uuid::Uuid::new_v4()
            ),
        };
        writeln!(
            out,
            r#"{{"schema":1,"identity":{{"given_name":"Given{i}","family_name":"Family{}","community":"nu.pangnirtung","date_of_birth":{{"year":{},"month":3,"day":14}},"contact":{{"phone":"867-555-{:04}"}}}},"languages":{{"spoken":["iu"],"preferred":"iu"}},"consent":{consent}}}"#,
            i % 997,
            1930 + i % 90,
            i % 10_000
        )
        .unwrap();
    }
    out
}

fn main() {
    let mut args = std::env::args().skip_while(|a| a != "--records").skip(1);
    let records: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_or_create(
        dir.path(),
        &Passphrase::new("bench node passphrase kayak".into()),
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    )
    .unwrap();
    let start = Instant::now();
    let text = lines(records);
    let report = node::import::import(&store, text.as_bytes(), Timestamp::now()).unwrap();
    println!(
        "imported {} records in {:.1} s ({} documents)",
        report.records,
        start.elapsed().as_secs_f64(),
        store.stats().unwrap().documents
    );
    let catalogue = shared::Catalogue::current().unwrap();
    let profile = ExportProfile {
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
        consent_valid_days: Some(365),
        ..ExportProfile::minimal(
            PartnerCode::new("nu.health"),
            vec![PurposeCode::new("referral")],
        )
    };
    let purpose = PurposeCode::new("referral");
    let (_, recipient) = shared::crypto::recovery::generate_office_keypair();
    let recipient = recipient.to_string();
    let mut dry = Vec::new();
    let mut full = Vec::new();
    let mut released = 0;
    for run in 0..3 {
        let start = Instant::now();
        let outcome = export(
            &store,
            catalogue,
            ExportOptions {
                profile: &profile,
                purpose: &purpose,
                by: "bench",
                now: Timestamp::now(),
                seal_to: Some(&recipient),
                out: None,
            },
        )
        .unwrap();
        dry.push(start.elapsed().as_secs_f64());
        let out = dir.path().join(format!("export-{run}.csv.age"));
        let start = Instant::now();
        let outcome_full = export(
            &store,
            catalogue,
            ExportOptions {
                profile: &profile,
                purpose: &purpose,
                by: "bench",
                now: Timestamp::now(),
                seal_to: Some(&recipient),
                out: Some(Destination::File(&out)),
            },
        )
        .unwrap();
        full.push(start.elapsed().as_secs_f64());
        assert_eq!(outcome.record.released, outcome_full.record.released);
        released = outcome_full.record.released;
    }
    dry.sort_by(f64::total_cmp);
    full.sort_by(f64::total_cmp);
    println!(
        "export of {records} records ({released} released): dry run median {:.2} s; sealed file + {released} disclosures committed, median {:.2} s (3 runs)",
        dry[1], full[1]
    );
}

//! Store benchmark: `cargo bench -p field-app --bench store` (release build).
//!
//! Fills a profile with realistic, fictional records (`field_app::fixtures`; 100,000 by default,
//! `BENCH_RECORDS` overrides), then
//! measures and prints: Argon2id with production parameters, unlock (KDF + key check + index
//! rebuild), name search p50/p95, a single durable save p50/p95 (new record and edit), and the
//! process's peak RSS. Results go in `docs/PERFORMANCE.md`.

#![allow(clippy::print_stdout, clippy::expect_used)] // a benchmark prints its figures and stops on setup errors

use std::time::{Duration, Instant};

/// The allocator the app's binary runs with (`field-app/src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use field_app::{LocalStore, SearchQuery};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom as _;
use rand::{Rng as _, SeedableRng as _};
use shared::Client;
use shared::crypto::{DataKey, KdfParams, Keyfile, Passphrase};
use shared::intake_schema::{ImportContext, parse_line};

/// Communities the fictional records are spread over.
const COMMUNITIES: &[&str] = &[
    "nu.pangnirtung",
    "nu.iqaluit",
    "nu.arviat",
    "mb.churchill",
    "ab.fort-mcmurray",
    "band.example-cree-nation",
];

/// `count` fictional records (the workspace's generator), as imported now on this device.
fn records_for(store: &LocalStore, count: usize, seed: u64) -> Vec<Client> {
    let context = ImportContext::now_by(store.author());
    let community = COMMUNITIES[usize::try_from(seed).unwrap_or(0) % COMMUNITIES.len()];
    field_app::fixtures::intake_lines(count, seed, community)
        .iter()
        .map(|line| parse_line(line, &context, store.catalogue()).expect("fixture line"))
        .collect()
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
    let started = Instant::now();
    let mut names = Vec::with_capacity(records);
    for (batch, chunk_start) in (0..records).step_by(1_000).enumerate() {
        let count = 1_000.min(records - chunk_start);
        let batch = records_for(&store, count, batch as u64);
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
    for client in records_for(&store, 200, 1_000_000) {
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

//! The GUI's sync at scale (issue 8, item 8): with 100,000 records in the profile
//! (`BENCH_RECORDS`), all already at the node, one new record is saved and synced to an
//! embedded node on loopback (real TLS, real SQLCipher on both sides), as the GUI's sync worker
//! does it now — a second connection opened from the data key the unlock derived, no index —
//! and as it did before — the profile opened again from the passphrase (Argon2id at the
//! production cost, and the search index built), and the index rebuilt once more afterwards for
//! the screens. Prints the time from "Sync" to the first request handed to the link and to
//! "Synced" (the index updated), median of `ROUNDS`.
//!
//! `CARGO_TARGET_DIR=$HOME/.cache/outreach-bench cargo bench -p field-app --bench gui_sync`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use field_app::LocalStore;
use field_app::sync::{SyncOptions, SyncReport};
use shared::crypto::{DataKey, KdfParams, Passphrase};
use shared::protocol::enroll::Role;
use support::{PASSPHRASE, ms, percentile, records};
use sync_client::{Delivery, HttpsTransport, Request, Transport};

const ROUNDS: usize = 5;

/// The HTTPS transport, noting when the first request of a sync is handed to it.
struct Noting {
    inner: HttpsTransport,
    first: Option<Instant>,
}

impl Transport for Noting {
    fn send(&mut self, request: &Request<'_>) -> Delivery {
        self.first.get_or_insert_with(Instant::now);
        self.inner.send(request)
    }
}

/// Syncs `store`; returns the report and when the first request left.
fn sync(store: &mut LocalStore) -> (SyncReport, Instant) {
    use sync_client::SyncState as _;
    let options = SyncOptions::default();
    let link = store.link().unwrap().unwrap();
    let mut transport = Noting {
        inner: HttpsTransport::new(&link.url, link.pin, options.timeout, None).unwrap(),
        first: None,
    };
    let report = sync_client::sync(store, &mut transport, &options, &mut |_| {}).unwrap();
    (report, transport.first.unwrap())
}

fn one_new_record(ui: &mut LocalStore, round: usize) {
    let line = field_app::fixtures::intake_lines(1, 10_000_000 + round as u64, "nu.iqaluit");
    ui.import_lines(&line).unwrap();
}

struct Timed {
    first_byte: Duration,
    synced: Duration,
}

/// Now: the worker opens its own connection from the data key; the UI re-indexes what changed.
fn now(dir: &std::path::Path, key: &DataKey, ui: &mut LocalStore) -> Timed {
    let started = Instant::now();
    let mut worker = LocalStore::open_for_sync(dir, key).unwrap();
    let (report, first) = sync(&mut worker);
    ui.reindex(&report.changed).unwrap();
    Timed {
        first_byte: first - started,
        synced: started.elapsed(),
    }
}

/// Before: the sync re-opened the profile from the passphrase (key derivation and an index
/// build), and the UI rebuilt its whole index after it.
fn before(dir: &std::path::Path, passphrase: &Passphrase, ui: &mut LocalStore) -> Timed {
    let started = Instant::now();
    let mut worker = LocalStore::open(dir, passphrase).unwrap();
    let (_, first) = sync(&mut worker);
    ui.rebuild_index().unwrap();
    Timed {
        first_byte: first - started,
        synced: started.elapsed(),
    }
}

fn summary(label: &str, timed: &[Timed]) -> (f64, f64) {
    let first: Vec<Duration> = timed.iter().map(|t| t.first_byte).collect();
    let synced: Vec<Duration> = timed.iter().map(|t| t.synced).collect();
    let (first, synced) = (ms(percentile(&first, 0.5)), ms(percentile(&synced, 0.5)));
    println!(
        "{label}: Sync -> first request {first:.0} ms, -> Synced {synced:.0} ms (median of {ROUNDS})"
    );
    (first, synced)
}

fn main() {
    let records = records();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let passphrase = Passphrase::new(PASSPHRASE.into());
    let (mut ui, key) =
        LocalStore::create_keeping_key(&profile, &passphrase, KdfParams::PRODUCTION, None).unwrap();
    let filled = Instant::now();
    for (batch, start) in (0..records).step_by(2_000).enumerate() {
        let count = 2_000.min(records - start);
        ui.import_lines(&field_app::fixtures::intake_lines(
            count,
            batch as u64,
            "nu.iqaluit",
        ))
        .unwrap();
    }
    println!(
        "filled {records} records in {:.1} s",
        filled.elapsed().as_secs_f64()
    );
    let node = node::embedded::EmbeddedNode::start(
        &dir.path().join("node"),
        &Passphrase::new("gui sync bench node kayak lichen".into()),
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    )
    .unwrap();
    let code = node
        .enrollment_code(Role::Agent, &["nu.iqaluit"], 1)
        .unwrap()
        .to_text();
    field_app::sync::enroll(&mut ui, &code, None, Duration::from_secs(30)).unwrap();
    let uploaded = Instant::now();
    let (report, _) = sync(&mut ui);
    println!(
        "first sync: {} changes sent in {:.1} s (not timed below)",
        report.changes_sent,
        uploaded.elapsed().as_secs_f64()
    );

    let mut after = Vec::new();
    let mut old = Vec::new();
    for round in 0..ROUNDS {
        one_new_record(&mut ui, 2 * round);
        after.push(now(&profile, &key, &mut ui));
        one_new_record(&mut ui, 2 * round + 1);
        old.push(before(&profile, &passphrase, &mut ui));
    }
    let (now_first, now_synced) = summary(
        &format!("GUI sync at {records} records, now (data key, changed records re-indexed)"),
        &after,
    );
    let (old_first, old_synced) = summary(
        &format!("GUI sync at {records} records, before (passphrase, index built twice)"),
        &old,
    );
    println!(
        "saved per sync: {:.0} ms to the first request ({:.1}x sooner), {:.0} ms to Synced ({:.1}x sooner)",
        old_first - now_first,
        old_first / now_first,
        old_synced - now_synced,
        old_synced / now_synced
    );
}

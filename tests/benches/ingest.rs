//! The node's ingest in one process, without TLS or HTTP: `node::ingest::apply_upload` on a real
//! SQLCipher store, for uploads of 200 new records from 50 enrolled devices (the shape of the
//! `sync` bench's `SYNC_BENCH=ingest` rounds). It isolates what the node does per record — parse,
//! check, merge, validate, save, commit — from the transport, and is small enough to run under
//! `valgrind --tool=callgrind` for a profile with inclusive costs.
//!
//! `CARGO_TARGET_DIR=$HOME/.cache/outreach-bench cargo bench -p tests --bench ingest`
//! (`-- --devices N --records N --threads N`; defaults 50, 200, 2).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)] // a benchmark prints and stops on setup errors

/// The allocator the node's binary runs with (`sync-server/src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;
use std::time::Instant;

use node::storage::sqlite::SqliteStore;
use node::storage::{DeviceRecord, Enrollment, Store};
use shared::crypto::{KdfParams, Passphrase};
use shared::ids::{CommunityCode, DeviceId};
use shared::protocol::enroll::{Role, Scope};
use shared::protocol::{BatchChange, encode_changes, upload_id};
use shared::time::Timestamp;
use tests::fixtures::new_record_changes;

fn arg(name: &str, default: usize) -> usize {
    let mut args = std::env::args().skip_while(|a| a != name).skip(1);
    args.next().and_then(|n| n.parse().ok()).unwrap_or(default)
}

fn enrolled(store: &SqliteStore, n: usize) -> DeviceRecord {
    let secret = [u8::try_from(n % 251).unwrap(); 32];
    store
        .add_enrollment(&Enrollment {
            secret_hash: secret,
            role: Role::Agent,
            scope: Scope {
                communities: vec![CommunityCode::new("nu.iqaluit")],
            },
            expires_at: Timestamp(i64::MAX),
        })
        .unwrap();
    let device = DeviceId::random();
    let key = shared::crypto::DeviceKey::generate().unwrap();
    store
        .redeem_enrollment(secret, device, key.public_key(), Timestamp::now())
        .unwrap()
        .unwrap();
    store.device(device).unwrap().unwrap()
}

fn main() {
    let devices = arg("--devices", 50);
    let records = arg("--records", 200);
    let threads = arg("--threads", 2).max(1);
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(
        SqliteStore::open_or_create(
            dir.path(),
            &Passphrase::new("ingest bench kayak lichen".into()),
            KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
        )
        .unwrap(),
    );
    let uploads: Vec<(DeviceRecord, Vec<BatchChange>)> = (0..devices)
        .map(|n| {
            let device = enrolled(&store, n);
            let changes = new_record_changes(device.id, n as u64, records, "nu.iqaluit");
            (device, changes)
        })
        .collect();
    let bytes: usize = uploads
        .iter()
        .map(|(_, c)| c.iter().map(|c| c.change.len()).sum::<usize>())
        .sum();
    println!(
        "prepared {devices} uploads x {records} new records ({} kB of changes; {} kB compressed for the first)",
        bytes / 1000,
        encode_changes(&uploads[0].1, 19, None).unwrap().len() / 1000
    );

    // What a stored document of a new record weighs: Automerge's own form (per-column DEFLATE,
    // what earlier builds stored), without DEFLATE, and the stored form (zstd around that).
    let (deflated, plain, stored) = uploads[0].1.iter().fold((0, 0, 0), |(d, p, z), change| {
        let mut doc = shared::ClientDoc::empty(DeviceId::random());
        doc.apply_changes([change.change.clone()]).unwrap();
        let mut raw = automerge::AutoCommit::new();
        raw.apply_changes([automerge::Change::from_bytes(change.change.clone()).unwrap()])
            .unwrap();
        (
            d + raw.save().len(),
            p + raw.save_nocompress().len(),
            z + doc.save().len(),
        )
    });
    let n = uploads[0].1.len();
    println!(
        "a new record's document: {} B with Automerge's DEFLATE, {} B without, {} B stored (zstd) (mean of {n})",
        deflated / n,
        plain / n,
        stored / n
    );

    let started = Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let applied: u32 = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (store, uploads, next) = (Arc::clone(&store), &uploads, &next);
                scope.spawn(move || {
                    let mut applied = 0;
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some((device, changes)) = uploads.get(i) else {
                            return applied;
                        };
                        let id = upload_id(&(i as u64).to_le_bytes());
                        let report = node::ingest::apply_upload(
                            store.as_ref(),
                            device,
                            id,
                            changes,
                            Timestamp::now(),
                        )
                        .unwrap();
                        assert_eq!(report.refused, 0, "{:?}", report.refusals);
                        applied += report.applied;
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "ingest in process, {threads} thread(s): {applied} record changes in {seconds:.2} s = {:.0} record changes/s",
        f64::from(applied) / seconds
    );
}

//! A fuzz loop over mutated Automerge changes, through the node's ingest (over the real SQLite
//! store) and through the laptop's apply of pulled changes (over a real profile): no panic may
//! escape either, and both stores keep working after every batch.
//!
//! Seeds are the committed corpus in `tests/corpus/changes/` (real changes: a new record, an
//! edit, a record with every sub-item, a nested map). Each round mutates seeds — bit flips, byte
//! runs overwritten, inserted or deleted, splices of two seeds, with the chunk checksum fixed
//! half the time so the parser goes past it — and applies a batch of them.
//!
//! Runs `FUZZ_SECONDS` (default 5; CI sets 60) from `FUZZ_SEED` (default: from the clock,
//! printed, so a failure replays). To run longer: `FUZZ_SECONDS=3600 cargo test --release -p
//! tests --test fuzz_changes -- --nocapture`. `FUZZ_WRITE_CORPUS=1` rewrites the seeds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // test code

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use node::storage::sqlite::SqliteStore;
use node::storage::{DeviceRecord, Enrollment, Store};
use shared::crypto::{KdfParams, Passphrase};
use shared::ids::{AgentId, ClientId, CommunityCode, DeviceId};
use shared::model::{Client, Identity, Note};
use shared::protocol::BatchChange;
use shared::protocol::enroll::{Role, Scope};
use shared::time::Timestamp;
use shared::{Author, ClientDoc};

/// The actor every seed was made by (the node registers a device with this id).
const SEED_DEVICE: &str = "6f7f1a52-2c1e-4b8e-9a51-0f6d2d3c9b11";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/changes")
}

fn write_corpus() {
    let device = DeviceId(SEED_DEVICE.parse().unwrap());
    let author = Author {
        agent: AgentId::random(),
        device,
    };
    let mut client = Client::new(
        Identity {
            given_name: "Seed".into(),
            family_name: "Record".into(),
            community: CommunityCode::new("nu.iqaluit"),
            ..Identity::default()
        },
        author.agent,
        device,
        Timestamp(1_764_000_000_000),
    );
    let mut doc = ClientDoc::empty(device);
    let created = doc
        .write(&client, author, Timestamp(1_764_000_000_000))
        .unwrap()
        .unwrap();
    client.identity.preferred_name = Some("Seedy".into());
    let edited = doc
        .write(&client, author, Timestamp(1_764_000_100_000))
        .unwrap()
        .unwrap();
    client.notes.push(Note {
        id: shared::ids::NoteId::random(),
        author: author.agent,
        written_at: Timestamp(1_764_000_200_000),
        text: "a note with ᐃᓄᒃᑎᑐᑦ text".into(),
    });
    let noted = doc
        .write(&client, author, Timestamp(1_764_000_200_000))
        .unwrap()
        .unwrap();
    let dir = corpus_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in [
        ("created.bin", created.bytes),
        ("edited.bin", edited.bytes),
        ("noted.bin", noted.bytes),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

fn corpus() -> Vec<Vec<u8>> {
    if std::env::var_os("FUZZ_WRITE_CORPUS").is_some() {
        write_corpus();
    }
    let mut seeds: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 3, "the committed corpus is missing");
    seeds.into_iter().map(|(_, b)| b).collect()
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap()
    }
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len());
        match rng.below(5) {
            0 => bytes[at] ^= 1 << rng.below(8),
            1 => {
                let run = rng.below(8).min(bytes.len() - at);
                for b in &mut bytes[at..at + run] {
                    *b = u8::try_from(rng.below(256)).unwrap();
                }
            }
            2 => bytes.insert(at, u8::try_from(rng.below(256)).unwrap()),
            3 if bytes.len() > 12 => {
                bytes.remove(at);
            }
            _ => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                bytes.truncate(at);
                bytes.extend_from_slice(&other[from..]);
            }
        }
    }
    if bytes.len() > 8 && rng.below(2) == 0 {
        let sum = ring::digest::digest(&ring::digest::SHA256, &bytes[8..]);
        bytes[4..8].copy_from_slice(&sum.as_ref()[..4]);
    }
    bytes
}

fn node_store(dir: &Path) -> (SqliteStore, DeviceRecord) {
    let store = SqliteStore::open_or_create(
        dir,
        &Passphrase::new("fuzz words kayak lichen".into()),
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    )
    .unwrap();
    store
        .add_enrollment(&Enrollment {
            secret_hash: [1; 32],
            role: Role::Agent,
            scope: Scope {
                communities: vec![CommunityCode::new("nu.iqaluit")],
            },
            expires_at: Timestamp(i64::MAX),
        })
        .unwrap();
    let device = store
        .redeem_enrollment(
            [1; 32],
            DeviceId(SEED_DEVICE.parse().unwrap()),
            [7; 32],
            Timestamp::now(),
        )
        .unwrap()
        .unwrap();
    (store, device)
}

#[test]
fn mutated_changes_never_panic_the_node_or_the_laptop_and_both_stores_keep_working() {
    let seeds = corpus();
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| u64::try_from(Timestamp::now().0).unwrap() | 1);
    println!("fuzz: FUZZ_SEED={seed} for {seconds} s");
    let mut rng = Rng(seed);

    let dir = tempfile::tempdir().unwrap();
    let (node, device) = node_store(&dir.path().join("node"));
    let mut laptop = field_app::LocalStore::create(
        &dir.path().join("laptop"),
        &Passphrase::new("fuzz words kayak lichen".into()),
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
        None,
    )
    .unwrap();
    let client = ClientId::random();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut rounds, mut changes) = (0u64, 0u64);
    while Instant::now() < deadline {
        let batch: Vec<BatchChange> = (0..16)
            .map(|_| BatchChange {
                client: if rng.below(4) == 0 {
                    ClientId::random()
                } else {
                    client
                },
                epoch: 0,
                change: mutate(&mut rng, &seeds),
            })
            .collect();
        changes += batch.len() as u64;
        let mut upload_id = [0u8; 32];
        upload_id[..8].copy_from_slice(&rounds.to_le_bytes());
        let node_outcome = catch_unwind(AssertUnwindSafe(|| {
            node::ingest::apply_upload(&node, &device, upload_id, &batch, Timestamp::now())
        }));
        assert!(
            node_outcome.as_ref().is_ok_and(Result::is_ok),
            "the node's ingest failed on round {rounds} (FUZZ_SEED={seed}): {node_outcome:?}"
        );
        let laptop_outcome = catch_unwind(AssertUnwindSafe(|| {
            laptop.apply_pulled(batch.clone(), rounds + 1)
        }));
        assert!(
            laptop_outcome.as_ref().is_ok_and(Result::is_ok),
            "the laptop's apply failed on round {rounds} (FUZZ_SEED={seed})"
        );
        rounds += 1;
    }
    // Both stores still serve, and still take an honest change.
    let mut seed_doc = ClientDoc::empty(DeviceId::random());
    seed_doc.apply_changes([seeds[0].clone()]).unwrap();
    let honest = BatchChange {
        client: seed_doc.read().unwrap().id,
        epoch: 0,
        change: seeds[0].clone(),
    };
    assert!(node.stats().is_ok());
    let report = node::ingest::apply_upload(
        &node,
        &device,
        [0xff; 32],
        std::slice::from_ref(&honest),
        Timestamp::now(),
    )
    .unwrap();
    assert_eq!(report.applied + report.duplicates, 1, "{report:?}");
    assert!(laptop.apply_pulled(vec![honest], rounds + 1).is_ok());
    assert!(laptop.count().is_ok());
    println!("fuzz: {rounds} rounds, {changes} mutated changes, no panic, stores usable");
}

//! One story every `Store` backend must pass (decisions D5). The SQLite backend runs it here; the
//! PostgreSQL backend will run the same function.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use node::storage::sqlite::SqliteStore;
use node::storage::{
    ApplyReport, CommitOutcome, CounterVerdict, DocumentWrite, Enrollment, Store, UploadCommit,
    UploadProgress,
};
use shared::crypto::{KdfParams, Passphrase};
use shared::ids::{AgentId, CommunityCode, DeviceId};
use shared::model::{Client, Identity};
use shared::protocol::enroll::{Role, Scope};
use shared::protocol::{BatchChange, Refusal, RefusalReason};
use shared::time::Timestamp;
use shared::{Author, ClientDoc};

fn record(community: &str, device: DeviceId) -> (Client, BatchChange) {
    let identity = Identity {
        given_name: "Story".into(),
        family_name: "Person".into(),
        community: CommunityCode::new(community),
        ..Identity::default()
    };
    let client = Client::new(identity, AgentId::random(), device, Timestamp(1));
    let mut doc = ClientDoc::empty(device);
    let change = doc
        .write(
            &client,
            Author {
                agent: AgentId::random(),
                device,
            },
            Timestamp(1),
        )
        .unwrap()
        .unwrap();
    let batch = BatchChange {
        client: client.id,
        epoch: 0,
        change: change.bytes,
    };
    (client, batch)
}

fn enroll(
    store: &dyn Store,
    secret: [u8; 32],
    role: Role,
    communities: &[&str],
) -> node::storage::DeviceRecord {
    store
        .add_enrollment(&Enrollment {
            secret_hash: secret,
            role,
            scope: Scope {
                communities: communities.iter().map(|c| CommunityCode::new(*c)).collect(),
            },
            expires_at: Timestamp(i64::MAX),
        })
        .unwrap();
    store
        .redeem_enrollment(secret, DeviceId::random(), [7; 32], Timestamp::now())
        .unwrap()
        .expect("redeemed")
}

fn story(store: &dyn Store) {
    // Settings.
    assert_eq!(store.setting("k").unwrap(), None);
    store.put_setting("k", b"v").unwrap();
    assert_eq!(store.setting("k").unwrap().as_deref(), Some(&b"v"[..]));

    // Enrolment: a secret works once, and not after expiry.
    let agent = enroll(store, [1; 32], Role::Agent, &["nu.iqaluit"]);
    assert!(
        store
            .redeem_enrollment([1; 32], DeviceId::random(), [8; 32], Timestamp::now())
            .unwrap()
            .is_none(),
        "spent"
    );
    store
        .add_enrollment(&Enrollment {
            secret_hash: [2; 32],
            role: Role::Agent,
            scope: Scope::default(),
            expires_at: Timestamp(10),
        })
        .unwrap();
    assert!(
        store
            .redeem_enrollment([2; 32], DeviceId::random(), [8; 32], Timestamp(11))
            .unwrap()
            .is_none(),
        "expired"
    );
    let office = enroll(store, [3; 32], Role::Office, &["*"]);
    let other_agent = enroll(store, [4; 32], Role::Agent, &["nu.arviat"]);
    assert_eq!(store.device(agent.id).unwrap().unwrap(), agent);

    // Counters: fresh, replay, fork (flags the device).
    assert_eq!(
        store.accept_counter(agent.id, 5, [1; 32]).unwrap(),
        CounterVerdict::Fresh
    );
    assert_eq!(
        store.accept_counter(agent.id, 5, [1; 32]).unwrap(),
        CounterVerdict::Replay
    );
    assert_eq!(
        store.accept_counter(agent.id, 4, [9; 32]).unwrap(),
        CounterVerdict::Replay,
        "older than any seen"
    );
    assert_eq!(
        store.accept_counter(agent.id, 6, [2; 32]).unwrap(),
        CounterVerdict::Fresh
    );
    assert_eq!(
        store.accept_counter(agent.id, 6, [3; 32]).unwrap(),
        CounterVerdict::Fork
    );
    assert!(store.device(agent.id).unwrap().unwrap().suspected_clone);

    // Upload parts: contiguous progress and prefix.
    let id = [5; 32];
    assert_eq!(
        store.upload_progress(agent.id, id).unwrap(),
        UploadProgress::Unknown
    );
    assert_eq!(
        store
            .save_upload_part(agent.id, id, 10, 0, b"abcd", Timestamp(5))
            .unwrap(),
        4
    );
    assert_eq!(
        store
            .save_upload_part(agent.id, id, 10, 6, b"gh", Timestamp(5))
            .unwrap(),
        4,
        "a gap keeps progress at the gap"
    );
    assert_eq!(
        store
            .save_upload_part(agent.id, id, 10, 3, b"defg", Timestamp(5))
            .unwrap(),
        8
    );
    assert_eq!(store.upload_prefix(agent.id, id, 8).unwrap(), b"abcdefgh");
    assert_eq!(store.parked_bytes().unwrap(), 10);
    // A device parks one upload at a time: a part of another upload replaces the first's.
    let other = [15; 32];
    store
        .save_upload_part(agent.id, other, 9, 0, b"xyz", Timestamp(9))
        .unwrap();
    assert_eq!(
        store.upload_progress(agent.id, id).unwrap(),
        UploadProgress::Unknown
    );
    assert_eq!(store.parked_bytes().unwrap(), 3);
    assert_eq!(
        store.expire_parts(Timestamp(9)).unwrap(),
        0,
        "kept at 9: not before"
    );
    assert_eq!(store.expire_parts(Timestamp(10)).unwrap(), 3);
    assert_eq!(store.parked_bytes().unwrap(), 0);
    store
        .save_upload_part(agent.id, id, 10, 0, b"abcdefgh", Timestamp(11))
        .unwrap();
    store.discard_upload(agent.id, id).unwrap();
    assert_eq!(
        store.upload_progress(agent.id, id).unwrap(),
        UploadProgress::Unknown
    );

    // Apply: in scope stored, out of scope refused, duplicates counted, idempotent by upload id.
    let (inside, inside_change) = record("nu.iqaluit", agent.id);
    let (_, outside_change) = record("nu.arviat", agent.id);
    let changes = vec![
        inside_change.clone(),
        outside_change,
        BatchChange {
            change: vec![1, 2, 3],
            ..inside_change
        },
    ];
    let report =
        node::ingest::apply_upload(store, &agent, [6; 32], &changes, Timestamp::now()).unwrap();
    assert_eq!(
        report,
        ApplyReport {
            applied: 1,
            duplicates: 0,
            refused: 2,
            refusals: vec![
                Refusal {
                    index: 1,
                    reason: RefusalReason::OutsideScope
                },
                Refusal {
                    index: 2,
                    reason: RefusalReason::Malformed
                },
            ],
        }
    );
    assert_eq!(
        node::ingest::apply_upload(store, &agent, [6; 32], &changes, Timestamp::now()).unwrap(),
        report,
        "the same upload again changes nothing"
    );
    assert_eq!(
        store.upload_progress(agent.id, [6; 32]).unwrap(),
        UploadProgress::Applied(report)
    );
    assert_eq!(
        node::ingest::apply_upload(
            store,
            &office,
            [7; 32],
            std::slice::from_ref(&inside_change),
            Timestamp::now()
        )
        .unwrap(),
        ApplyReport {
            applied: 0,
            duplicates: 1,
            refused: 0,
            refusals: Vec::new(),
        }
    );
    let (community, bytes) = store.document(inside.id).unwrap().unwrap();
    assert_eq!(community.as_str(), "nu.iqaluit");
    assert_eq!(
        ClientDoc::load(&bytes, DeviceId::random())
            .unwrap()
            .read()
            .unwrap()
            .identity,
        inside.identity
    );

    // Compare-and-set: a write planned from a stale read, or a "new" document that exists, is
    // refused whole — nothing written, the upload not recorded.
    let before = store.document(inside.id).unwrap();
    for read_revision in [Some(999), None] {
        let stale = UploadCommit {
            device: agent.id,
            upload_id: [40; 32],
            report: ApplyReport::default(),
            now: Timestamp(5),
            documents: vec![DocumentWrite {
                client: inside.id,
                community: CommunityCode::new("nu.iqaluit"),
                epoch: 0,
                doc: vec![1, 2, 3],
                read_revision,
                record: String::new(),
            }],
            log: Vec::new(),
            audit: None,
        };
        assert_eq!(
            store.commit_upload(&stale).unwrap(),
            CommitOutcome::Contended
        );
    }
    assert_eq!(store.document(inside.id).unwrap(), before);
    assert_eq!(
        store.upload_progress(agent.id, [40; 32]).unwrap(),
        UploadProgress::Unknown
    );

    // Pull: the office sees it, the other community's agent does not, the author does not get
    // its own change back; cursors move past everything either way.
    let page = node::pull::changes_after(store, &office, 0, 1 << 20).unwrap();
    assert_eq!(page.changes.len(), 1);
    assert!(!page.more);
    assert!(
        node::pull::changes_after(store, &other_agent, 0, 1 << 20)
            .unwrap()
            .changes
            .is_empty()
    );
    let own = node::pull::changes_after(store, &agent, 0, 1 << 20).unwrap();
    assert!(own.changes.is_empty());
    assert_eq!(own.next_cursor, page.next_cursor);
    assert!(
        node::pull::changes_after(store, &office, page.next_cursor, 1 << 20)
            .unwrap()
            .changes
            .is_empty()
    );

    // Office tools page through every document once, in client-id order.
    let all = store.documents_after(None, 10).unwrap();
    assert_eq!(
        all.iter().map(|d| d.client).collect::<Vec<_>>(),
        vec![inside.id]
    );
    // Beside the document, the record as ingest validated it: office tools read it, not the CRDT.
    let kept: shared::Client = serde_json::from_str(all[0].record.as_deref().unwrap()).unwrap();
    assert_eq!(kept.id, inside.id);
    assert!(
        store
            .documents_after(Some(inside.id), 10)
            .unwrap()
            .is_empty()
    );

    // Revocation.
    assert!(store.revoke(agent.id).unwrap());
    assert!(store.device(agent.id).unwrap().unwrap().revoked);
    assert!(!store.revoke(DeviceId::random()).unwrap());
    let stats = store.stats().unwrap();
    assert_eq!(
        (stats.documents, stats.log_entries, stats.devices),
        (1, 1, 3)
    );
}

#[test]
fn sqlite_store_passes_the_story() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_or_create(
        dir.path(),
        &Passphrase::new("story words kayak lichen".into()),
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    )
    .unwrap();
    story(&store);
}

#[test]
fn sqlite_store_fails_closed_on_a_wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    drop(
        SqliteStore::open_or_create(
            dir.path(),
            &Passphrase::new("story words kayak lichen".into()),
            KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
        )
        .unwrap(),
    );
    let wrong = SqliteStore::open_or_create(
        dir.path(),
        &Passphrase::new("story words kayak lichens".into()),
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    );
    assert!(matches!(
        wrong,
        Err(node::storage::sqlite::OpenError::Vault(
            vault::VaultError::WrongPassphrase
        ))
    ));
}

/// The cursor contract with several writers: two store handles ("replicas") on one database
/// append concurrently while a reader pages through the log one change at a time. The reader
/// must see every entry exactly once: nothing skipped, nothing repeated.
fn several_writers_story(open: &dyn Fn() -> Box<dyn Store>) {
    const PER_WRITER: usize = 40;
    let setup = open();
    let writers: Vec<_> = (0..2u8)
        .map(|i| enroll(setup.as_ref(), [20 + i; 32], Role::Agent, &["nu.iqaluit"]))
        .collect();
    let office = enroll(setup.as_ref(), [30; 32], Role::Office, &["*"]);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let (written, read) = std::thread::scope(|scope| {
        let handles: Vec<_> = writers
            .iter()
            .map(|device| {
                let store = open();
                let done = &done;
                scope.spawn(move || {
                    let mut hashes = Vec::new();
                    for n in 0..PER_WRITER {
                        let (_, change) = record("nu.iqaluit", device.id);
                        hashes.push(shared::doc::change_hash(&change.change).unwrap());
                        let mut upload = [0u8; 32];
                        upload[..16].copy_from_slice(device.id.0.as_bytes());
                        upload[16] = u8::try_from(n).unwrap();
                        let report = node::ingest::apply_upload(
                            store.as_ref(),
                            device,
                            upload,
                            &[change],
                            Timestamp::now(),
                        )
                        .unwrap();
                        assert_eq!(report.applied, 1);
                    }
                    done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    hashes
                })
            })
            .collect();
        let reader = open();
        let mut cursor = 0;
        let mut read = Vec::new();
        loop {
            let finished = done.load(std::sync::atomic::Ordering::SeqCst) == 2;
            let page = node::pull::changes_after(reader.as_ref(), &office, cursor, 1).unwrap();
            assert!(page.next_cursor >= cursor, "the cursor never goes back");
            cursor = page.next_cursor;
            let empty = page.changes.is_empty();
            read.extend(
                page.changes
                    .iter()
                    .map(|c| shared::doc::change_hash(&c.change).unwrap()),
            );
            if finished && empty && !page.more {
                break;
            }
        }
        let written: Vec<[u8; 32]> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        (written, read)
    });
    let unique: std::collections::HashSet<_> = read.iter().collect();
    assert_eq!(unique.len(), read.len(), "an entry was read twice");
    let expected: std::collections::HashSet<_> = written.iter().collect();
    assert_eq!(unique, expected, "an entry was skipped");
}

#[test]
fn sqlite_log_cursor_skips_nothing_with_two_writers() {
    let dir = tempfile::tempdir().unwrap();
    let open = || -> Box<dyn Store> {
        Box::new(
            SqliteStore::open_or_create(
                dir.path(),
                &Passphrase::new("story words kayak lichen".into()),
                KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
            )
            .unwrap(),
        )
    };
    several_writers_story(&open);
}

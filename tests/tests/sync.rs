//! Devices and a node as real processes: `sync-server serve` on port 0 and `field-app` commands.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use node::storage::Store as _;
use node::storage::sqlite::SqliteStore;
use serde_json::Value;
use shared::crypto::Passphrase;
use tests::processes::{Laptop, PASSPHRASE, TestNode, enrolled, sync};

fn record_line(laptop: &Laptop, id: &str) -> Value {
    let lines = laptop.ok("list", &["--json", "--limit", "1000"], b"");
    lines
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["id"] == id)
        .expect("record listed")
}

const ANNIE: &str = "00000000-0000-4000-8000-0000000000a1";

#[test]
fn two_laptops_offline_edits_converge_and_keep_the_concurrent_values() {
    let node = TestNode::start();
    let a = enrolled(&node, "agent", &["nu.pangnirtung"]);
    let b = enrolled(&node, "agent", &["nu.pangnirtung"]);
    let first = format!(
        r#"{{"schema":1,"id":"{ANNIE}","identity":{{"given_name":"Annie","family_name":"Kilabuk","community":"nu.pangnirtung"}}}}"#
    );
    let _ = a.ok("add", &[], first.as_bytes());
    assert!(sync(&a).contains("1 change(s) acknowledged"));
    assert!(sync(&b).contains("1 record(s) updated from the node"));

    // Offline on both: the same field differently, different fields, and a new record each.
    let mut on_a = record_line(&a, ANNIE);
    on_a["identity"]["family_name"] = "Qillabuk".into();
    on_a["identity"]["preferred_name"] = "Ani".into();
    let new_a = r#"{"schema":1,"identity":{"given_name":"Pauloosie","family_name":"Akulukjuk","community":"nu.pangnirtung"}}"#;
    let _ = a.ok("add", &[], format!("{on_a}\n{new_a}\n").as_bytes());
    let mut on_b = record_line(&b, ANNIE);
    on_b["identity"]["family_name"] = "Killabuk".into();
    on_b["identity"]["contact"]["phone"] = "867-473-0000".into();
    let new_b = r#"{"schema":1,"identity":{"given_name":"Meeka","family_name":"Arnakaq","community":"nu.pangnirtung"}}"#;
    let _ = b.ok("add", &[], format!("{on_b}\n{new_b}\n").as_bytes());

    let _ = sync(&a);
    let _ = sync(&b);
    let _ = sync(&a);

    let store_a = a.store();
    let store_b = b.store();
    assert_eq!(store_a.pending_changes().unwrap(), 0, "A's outbox drained");
    assert_eq!(store_b.pending_changes().unwrap(), 0, "B's outbox drained");
    assert_eq!(
        store_a.count().unwrap(),
        3,
        "nothing lost, nothing duplicated on A"
    );
    assert_eq!(
        store_b.count().unwrap(),
        3,
        "nothing lost, nothing duplicated on B"
    );
    let id: shared::ids::ClientId = ANNIE.parse().unwrap();
    let mut doc_a = store_a.document(id).unwrap().unwrap();
    let mut doc_b = store_b.document(id).unwrap().unwrap();
    assert_eq!(
        doc_a.heads(),
        doc_b.heads(),
        "both laptops hold the same document"
    );
    let conflicts = doc_a.conflicts();
    assert_eq!(
        conflicts
            .iter()
            .map(|c| c.path.as_str())
            .collect::<Vec<_>>(),
        vec!["identity.family_name"]
    );
    assert_eq!(conflicts[0].values.len(), 2, "both concurrent values kept");
    assert_eq!(doc_b.conflicts(), conflicts);
    let annie = doc_a.read().unwrap();
    assert_eq!(
        annie.identity.preferred_name.as_deref(),
        Some("Ani"),
        "A's other edit merged"
    );
    assert_eq!(
        annie.identity.contact.phone.as_deref(),
        Some("867-473-0000"),
        "B's other edit merged"
    );
    let listed = a.ok("list", &["--search", "annie"], b"");
    assert!(
        listed.contains("1 conflict(s)"),
        "the list marks the conflict: {listed}"
    );

    let dir = node.stop();
    let server = SqliteStore::open_or_create(
        dir.path(),
        &Passphrase::new(PASSPHRASE.into()),
        shared::crypto::KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    )
    .unwrap();
    let (_, bytes) = server.document(id).unwrap().unwrap();
    let mut doc_server = shared::ClientDoc::load(&bytes, shared::ids::DeviceId::random()).unwrap();
    assert_eq!(
        doc_server.heads(),
        doc_a.heads(),
        "the node holds the same document"
    );
    let stats = server.stats().unwrap();
    assert_eq!(stats.documents, 3);
    assert_eq!(
        stats.log_entries,
        1 + 2 + 2,
        "each change stored once: the first create, then an edit and a create from each laptop"
    );
}

#[test]
fn an_agent_never_receives_records_outside_its_scope() {
    let node = TestNode::start();
    let office = enrolled(&node, "office", &["*"]);
    let agent = enrolled(&node, "agent", &["nu.iqaluit"]);
    let demo = include_str!("../../field-app/demo/intakes.jsonl");
    let iqaluit = r#"{"schema":1,"identity":{"given_name":"Leesee","family_name":"Ishulutak","community":"nu.iqaluit"}}"#;
    let _ = office.ok("add", &[], format!("{demo}{iqaluit}\n").as_bytes());
    assert!(sync(&office).contains("7 change(s) acknowledged (0 refused"));

    assert!(sync(&agent).contains("1 record(s) updated"));
    let listed = agent.ok("list", &[], b"");
    assert!(
        listed.contains("Leesee Ishulutak") && listed.contains("1 record(s) shown of 1"),
        "{listed}"
    );

    // An agent cannot push a record of another community either.
    let arviat = r#"{"schema":1,"identity":{"given_name":"Outside","family_name":"Scope","community":"nu.arviat"}}"#;
    let _ = agent.ok("add", &[], arviat.as_bytes());
    let said = sync(&agent);
    assert!(said.contains("(1 refused by the node)"), "{said}");
    // The refused change is not dropped: it stays on the laptop, held, with the reason.
    assert!(said.contains("held: 1 change(s) of 1 record(s)"), "{said}");
    let held = agent.ok("list", &["--held"], b"");
    assert!(
        held.contains("Outside Scope")
            && held.contains("held: outside this laptop's communities")
            && held.contains("1 record(s) shown"),
        "{held}"
    );
    let not_synced = agent.ok("list", &["--not-synced"], b"");
    assert!(not_synced.contains("Outside Scope"), "{not_synced}");
    let office_list = {
        let _ = sync(&office);
        office.ok("list", &["--search", "outside scope"], b"")
    };
    assert!(office_list.contains("0 record(s) shown"), "{office_list}");
}

#[test]
fn the_node_process_cannot_leave_a_core_dump_with_client_data() {
    let node = TestNode::start();
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", node.pid())).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(core.split_whitespace().nth(4), Some("0"), "{core}");
}

#[test]
fn a_node_presenting_another_certificate_is_refused() {
    let genuine = TestNode::start();
    let impostor = TestNode::start();
    let laptop = Laptop::new();
    let code = genuine.enroll_code("agent", &["nu.iqaluit"]);
    let out = laptop.run(
        "enroll",
        &["--enroll-code", &code, "--server", &impostor.url],
        b"",
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pinned fingerprint"), "{stderr}");
    let out = laptop.run("sync", &["--retries", "0"], b"");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not enrolled"));
    // The genuine node accepts the same code.
    let _ = laptop.ok("enroll", &["--enroll-code", &code], b"");
}

#[test]
fn the_worker_thread_reports_progress_and_the_outcome_while_capture_continues() {
    use field_app::sync::{SyncEvent, SyncOptions, SyncWorker};
    let node = TestNode::start();
    let laptop = enrolled(&node, "agent", &["nu.iqaluit"]);
    let lines = tests::fixtures::intake_lines(200, 3, "nu.iqaluit").join("\n");
    let _ = laptop.ok("add", &[], lines.as_bytes());

    // The worker opens its connection from the key the unlock derived, not from the passphrase.
    let (_, key) = field_app::LocalStore::open_keeping_key(
        laptop.dir.path(),
        &Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    let worker = SyncWorker::start(
        laptop.dir.path().to_path_buf(),
        key,
        SyncOptions::default(),
        || {},
    )
    .unwrap();
    // Capture on another connection while the worker syncs.
    let mut capture = laptop.store();
    let identity = shared::model::Identity {
        given_name: "During".into(),
        family_name: "Sync".into(),
        community: shared::ids::CommunityCode::new("nu.iqaluit"),
        ..Default::default()
    };
    let during = shared::model::Client::new(
        identity,
        capture.author().agent,
        capture.author().device,
        shared::time::Timestamp::now(),
    );
    capture.save(&during).unwrap();

    let events: Vec<SyncEvent> = worker.events.iter().collect();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, SyncEvent::Progress(p) if p.bytes_sent > 0)),
        "{events:?}"
    );
    match events.last() {
        Some(SyncEvent::Finished(report)) => assert!(report.changes_sent >= 200, "{report:?}"),
        other => panic!("no outcome: {other:?}"),
    }
    assert!(worker.join(), "the worker thread ended cleanly");
    assert!(
        capture.client(during.id).unwrap().is_some(),
        "the record saved during the sync is there"
    );
}

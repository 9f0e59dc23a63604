//! Audit trails across processes (issue 12): a laptop's hash-chained trail reaches a real node
//! with its syncs; `sync-server audit verify` says every trail holds, `audit access` lists who
//! did what to one record from which device; an entry deleted from the laptop's encrypted store
//! is flagged at the next sync and by `audit verify`. Neither the trail, the access report nor
//! the node's log holds a client's values.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use tests::processes::{PASSPHRASE, TestNode, enrolled, sync};

const CLIENT: &str = "00000000-0000-4000-8000-00000000a0d1";
const AGENT: &str = "00000000-0000-4000-8000-0000000000a1";
const CANARIES: [&str; 3] = ["Qilaqkanary", "Tuktucanary", "867-555-0173"];

fn intake() -> String {
    format!(
        r#"{{"schema":1,"id":"{CLIENT}","identity":{{"given_name":"{}","family_name":"{}","community":"nu.pangnirtung","contact":{{"phone":"{}"}}}},"provenance":{{"created_by":"{AGENT}","device":"{AGENT}","created_at":"2026-12-01T15:00:00.000Z","updated_at":"2026-12-01T15:00:00.000Z","updated_by":"{AGENT}"}}}}"#,
        CANARIES[0], CANARIES[1], CANARIES[2]
    )
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_laptops_trail_reaches_the_node_and_a_deleted_entry_is_flagged_at_the_next_sync() {
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("node.log");
    let node = TestNode::start_logging_to(&log);
    let desk = enrolled(&node, "agent", &["nu.pangnirtung"]);
    let _ = desk.ok("add", &[], intake().as_bytes());
    // One sync learns that the node keeps trails and sends the entries in the same session.
    let _ = sync(&desk);
    let device = desk.store().author().device.to_string();

    let verified = node.command("audit", &["verify"]);
    let said = text(&verified);
    assert!(verified.status.success(), "{said}");
    assert!(said.contains(&format!("device {device}")), "{said}");
    assert!(said.contains("holds"), "{said}");

    let access = node.command("audit", &["access", "--client", CLIENT]);
    let report = text(&access);
    assert!(access.status.success(), "{report}");
    assert!(
        report
            .lines()
            .any(|l| l.contains(",create,") && l.contains(&device)),
        "the access report names the create and the device: {report}"
    );

    // Someone with the passphrase deletes an entry the node already holds.
    {
        let opened = vault::open(
            desk.dir.path(),
            &shared::crypto::Passphrase::new(PASSPHRASE.into()),
        )
        .unwrap();
        let deleted = opened
            .connection
            .execute("DELETE FROM audit WHERE seq = 2", [])
            .unwrap();
        assert_eq!(deleted, 1);
    }
    let _ = sync(&desk);
    let verified = node.command("audit", &["verify"]);
    let said = text(&verified);
    assert!(!verified.status.success(), "{said}");
    assert!(said.contains("DOES NOT HOLD"), "{said}");
    assert!(said.contains("skips or repeats at entry 2"), "{said}");
    // The node's own copy still has the deleted entry.
    let field = desk.run("audit", &[], b"");
    assert!(!field.status.success(), "the laptop's own check fails too");

    for out in [&said, &report] {
        for canary in CANARIES {
            assert!(!out.contains(canary), "{canary} in command output");
        }
    }
    let logged = std::fs::read(&log).unwrap();
    assert!(!logged.is_empty(), "the node logged its syncs");
    for canary in CANARIES {
        assert!(
            !test_support::contains(&logged, canary.as_bytes()),
            "{canary} in the node's log"
        );
    }
    let findings = test_support::plaintext_findings(node.dir.path(), &CANARIES);
    assert!(findings.is_empty(), "{findings:?}");
}

//! Accountability on an office device (issue 12), through the store and the real egui UI: every
//! act on a record in the device's hash chain, who opened or changed a record, an export sealed
//! to a partner with its disclosures at the node, records kept beside their documents, and the
//! first sync after enrolment carrying the trail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use field_app::LocalStore;
use field_app::gui::Screen;
use field_app::gui::i18n::Language;
use support::office::*;
use support::*;

/// The audit trail (issue 12) on this device: each act on a record is one entry in a chain that
/// verifies; a view, an edit and a merge are there for the records they touched, in order.
#[test]
fn each_act_on_a_record_is_in_the_audit_chain_and_the_chain_verifies() {
    use shared::audit::AuditAction as A;
    let dir = tempfile::tempdir().unwrap();
    let (mut store, a, b) = office_with_a_duplicate(&dir.path().join("p"));
    store.audit(A::View, Some(a)).unwrap();
    let mut edited = store.client(a).unwrap().unwrap();
    edited.identity.contact.mailing_address = Some("Box 12".into());
    store.save(&edited).unwrap();
    store.merge_pair(a, b).unwrap();
    let of_a: Vec<A> = store
        .audit_of(a)
        .unwrap()
        .iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        of_a,
        [A::Create, A::View, A::Edit, A::Edit, A::Merge],
        "{of_a:?}"
    );
    let entries = store.audit_entries().unwrap();
    assert_eq!(
        entries[0].action,
        A::Unlock,
        "the profile's creation unlocked it"
    );
    assert!(entries.iter().all(|e| e.device == store.author().device));
    let head = store.verify_audit(None).unwrap().unwrap();
    assert_eq!(head.map(|h| h.seq), entries.last().map(|e| e.seq));
    // Reopening the profile is an unlock, appended to the same chain.
    drop(store);
    let store = LocalStore::open(
        &dir.path().join("p"),
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    let after = store.audit_entries().unwrap();
    assert_eq!(after.len(), entries.len() + 1);
    assert_eq!(after.last().unwrap().action, A::Unlock);
    assert!(
        store.verify_audit(head).unwrap().is_ok(),
        "the chain still holds what was accepted"
    );
}

/// The record screen lists who opened or changed the record on this laptop (its audit entries,
/// in words: "you: opened it").
#[test]
fn the_record_shows_who_opened_or_changed_it_on_this_laptop() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let id = {
        let mut store = new_profile(&profile);
        let client = person(&store, "Annie", "Kilabuk", (1970, 1, 2), "nu.arviat");
        store.save(&client).unwrap();
        client.id
    };
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    h.state_mut().open_record(id);
    wait_screen(&mut h, Screen::Detail);
    wait_for(&mut h, "Who opened or changed this record on this laptop");
    wait_for(&mut h, "you: created it");
    wait_for(&mut h, "you: opened it");
}

/// Exports from the office's window (issue 12): a dry run counts who would be released and why
/// the others are left out, then the export keeps a file sealed to the partner on this device
/// while the node records one disclosure per client released.
#[test]
fn the_office_counts_then_exports_a_sealed_file_for_a_partner() {
    let dir = tempfile::tempdir().unwrap();
    let lines = field_app::fixtures::intake_lines(12, 7, "nu.iqaluit");
    let (node, profile) = profile_enrolled_as(
        dir.path(),
        &lines,
        &["*"],
        shared::protocol::enroll::Role::Office,
    );
    {
        let mut store = LocalStore::open(
            &profile,
            &shared::crypto::Passphrase::new(PASSPHRASE.into()),
        )
        .unwrap();
        // One sync: it learns that the node keeps trails and sends the entries too.
        field_app::sync::sync(
            &mut store,
            &field_app::sync::SyncOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    }
    let mut h = harness(&profile, Language::English);
    open_office(&mut h);
    click(&mut h, "Exports");
    choose(&mut h, "Partner", "Canada Revenue Agency");
    choose(&mut h, "Purpose", "Processing an application");
    type_into(&mut h, "Exported by", "Office tester");
    click(&mut h, "Count who would be released");
    wait_for(&mut h, "Would release");
    assert!(
        node.store()
            .disclosures(&Default::default(), 100)
            .unwrap()
            .is_empty(),
        "a dry run records nothing"
    );
    let (_identity, recipient) = shared::crypto::recovery::generate_office_keypair();
    type_into(
        &mut h,
        "Partner's age recipient (age1…)",
        &recipient.to_string(),
    );
    click(&mut h, "Export the sealed file");
    wait_for(&mut h, "Sealed file kept at");
    let released = node.store().disclosures(&Default::default(), 100).unwrap();
    assert!(!released.is_empty(), "some fixtures consented to ca.cra");
    let exports = std::fs::read_dir(profile.join("exports")).unwrap();
    let files: Vec<_> = exports.map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    let sealed = std::fs::read(&files[0]).unwrap();
    assert!(
        sealed.starts_with(b"age-encryption.org/v1"),
        "sealed to the partner"
    );
    let text = String::from_utf8_lossy(&sealed);
    assert!(
        !text.contains("867-"),
        "no plaintext phone number in the sealed file"
    );

    // The register: what was shared with this partner, then one client's page.
    click(&mut h, "List what was shared with this partner");
    wait_for(&mut h, &format!("{} disclosures.", released.len()));
    let shared_with = released[0].client;
    h.state_mut().open_record(shared_with);
    wait_screen(&mut h, Screen::Detail);
    click(
        &mut h,
        "Ask the node who opened it on every device, and what was shared",
    );
    wait_for(
        &mut h,
        "shared with Canada Revenue Agency for Processing an application",
    );
    wait_for(&mut h, "you on this laptop: created it");
    // Printed now, the client's access report covers every device and the disclosure.
    click(&mut h, "Print who opened this record (PDF)");
    wait_for(&mut h, "Access report written to");
}

/// The office's queues and reports read each record from the row kept beside its document
/// (migration 9), and the reports from rows of their own (migration 10), instead of loading every
/// CRDT: after local saves, an edit pulled from another laptop and a merge, every live record
/// read that way is the one its document reads, and the reports' rows say the same.
#[test]
fn records_kept_beside_their_documents_read_as_the_documents_do() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, a, b) = office_with_a_duplicate(dir.path());
    let id = store.list(&field_app::ListFilter::default(), 1).unwrap()[0].id;
    let _ = edited_on_two_laptops(
        &mut store,
        id,
        |c| c.identity.contact.phone = Some("867-555-0177".into()),
        |c| c.identity.contact.phone = Some("867-555-0178".into()),
        0,
    );
    store.merge_pair(a, b).unwrap();
    let live = store.live_clients().unwrap();
    assert!(live.len() > 30);
    for client in &live {
        assert_eq!(
            Some(client),
            store.client(client.id).unwrap().as_ref(),
            "{} reads differently from its document",
            client.id
        );
    }
    // The reports' own rows (migration 10) say what the records do.
    let as_text = |facts: Vec<shared::report::ReportFacts>| {
        let mut texts: Vec<String> = facts
            .iter()
            .map(|f| serde_json::to_string(f).unwrap())
            .collect();
        texts.sort();
        texts
    };
    assert_eq!(
        as_text(store.report_facts().unwrap()),
        as_text(live.iter().map(shared::report::ReportFacts::of).collect())
    );
}

#[test]
fn the_first_sync_after_enrolment_carries_the_trail_beside_the_changes() {
    let dir = tempfile::tempdir().unwrap();
    let lines = field_app::fixtures::intake_lines(12, 7, "nu.iqaluit");
    let (node, profile) = profile_enrolled_as(
        dir.path(),
        &lines,
        &["nu.iqaluit"],
        shared::protocol::enroll::Role::Agent,
    );
    let mut store = LocalStore::open(
        &profile,
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    // The enrolment answer said the node keeps trails: nothing is left to learn from a sync.
    assert_eq!(store.node_audit_anchor().unwrap(), Some(None));
    let report = field_app::sync::sync(
        &mut store,
        &field_app::sync::SyncOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(report.changes_sent, 12);
    assert_eq!(
        report.requests, 1,
        "the changes and the entries written so far travel in one upload"
    );
    assert!(!store.audit_waiting().unwrap());
    let anchored = node.store().audit_anchor(store.author().device).unwrap();
    assert!(anchored.is_some_and(|anchor| anchor.seq > 0));
}

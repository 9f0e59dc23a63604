//! A hostile or buggy enrolled device (issue: one bad device must not hurt anyone else).
//! Everything inside a signed change is input: these run the node's backend-neutral ingest over
//! the real SQLite store with changes a well-behaved laptop would never make.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use automerge::transaction::Transactable as _;
use node::ingest::apply_upload;
use node::storage::sqlite::SqliteStore;
use node::storage::{DeviceRecord, Enrollment, Store};
use shared::ClientDoc;
use shared::crypto::{KdfParams, Passphrase};
use shared::ids::{AgentId, CommunityCode, DeviceId};
use shared::model::{Client, Identity};
use shared::protocol::enroll::{Role, Scope};
use shared::protocol::{BatchChange, Refusal, RefusalReason};
use shared::time::Timestamp;

mod support;

use support::change_by;

struct Node {
    _dir: tempfile::TempDir,
    store: SqliteStore,
    next: u8,
}

impl Node {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open_or_create(
            dir.path(),
            &Passphrase::new("hostile words kayak lichen".into()),
            KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
        )
        .unwrap();
        Self {
            _dir: dir,
            store,
            next: 1,
        }
    }

    fn device(&mut self, role: Role, communities: &[&str]) -> DeviceRecord {
        let secret = [self.next; 32];
        self.next += 1;
        self.store
            .add_enrollment(&Enrollment {
                secret_hash: secret,
                role,
                scope: Scope {
                    communities: communities.iter().map(|c| CommunityCode::new(*c)).collect(),
                },
                expires_at: Timestamp(i64::MAX),
            })
            .unwrap();
        self.store
            .redeem_enrollment(secret, DeviceId::random(), [7; 32], Timestamp::now())
            .unwrap()
            .unwrap()
    }

    fn upload(&mut self, device: &DeviceRecord, changes: &[BatchChange]) -> Vec<Refusal> {
        let id = [self.next; 32];
        self.next += 1;
        let report = apply_upload(&self.store, device, id, changes, Timestamp::now()).unwrap();
        report.refusals
    }

    fn stored(&self, client: shared::ids::ClientId) -> Option<Client> {
        let (_, bytes) = self.store.document(client).unwrap()?;
        Some(
            ClientDoc::load(&bytes, DeviceId::random())
                .unwrap()
                .read()
                .unwrap(),
        )
    }
}

fn person(community: &str) -> Client {
    Client::new(
        Identity {
            given_name: "Annie".into(),
            family_name: "Hostile".into(),
            community: CommunityCode::new(community),
            ..Identity::default()
        },
        AgentId::random(),
        DeviceId::random(),
        Timestamp::now(),
    )
}

fn refused(index: u32, reason: RefusalReason) -> Vec<Refusal> {
    vec![Refusal { index, reason }]
}

#[test]
fn a_change_whose_actor_is_another_device_is_refused_as_not_the_author() {
    let mut node = Node::new();
    let attacker = node.device(Role::Agent, &["nu.iqaluit"]);
    let victim = node.device(Role::Agent, &["nu.iqaluit"]);
    let client = person("nu.iqaluit");
    let forged = change_by(&mut ClientDoc::empty(victim.id), &client, victim.id);

    assert_eq!(
        node.upload(&attacker, std::slice::from_ref(&forged)),
        refused(0, RefusalReason::NotAuthor)
    );
    assert!(node.stored(client.id).is_none());
    // The victim's own change (same actor, same sequence number) is still accepted.
    assert_eq!(node.upload(&victim, &[forged]), Vec::new());
    assert!(node.stored(client.id).is_some());
}

#[test]
fn a_change_numbered_past_its_history_is_refused_and_the_record_stays_readable() {
    let mut node = Node::new();
    let agent = node.device(Role::Agent, &["nu.iqaluit"]);
    let mut client = person("nu.iqaluit");
    let mut doc = ClientDoc::empty(agent.id);
    let created = change_by(&mut doc, &client, agent.id);
    assert!(node.upload(&agent, &[created]).is_empty());
    client.identity.preferred_name = Some("Ann".into());
    let edit = change_by(&mut doc, &client, agent.id);

    // Signed by its author and well formed, but empty and numbered past its dependencies:
    // Automerge takes it, and the document it then saves does not load ("missing ops") — the
    // record would be lost at the next read.
    let mut gap = automerge::Change::from_bytes(edit.change.clone())
        .unwrap()
        .decode();
    gap.operations.clear();
    gap.start_op = gap.start_op.saturating_add(5);
    gap.hash = None;
    let gap = BatchChange {
        change: automerge::Change::from(gap).raw_bytes().to_vec(),
        ..edit
    };
    assert_eq!(
        node.upload(&agent, &[gap]),
        refused(0, RefusalReason::Malformed)
    );
    assert_eq!(node.upload(&agent, &[edit]), Vec::new());
    let stored = node.stored(client.id).unwrap();
    assert_eq!(stored.identity.preferred_name.as_deref(), Some("Ann"));
}

#[test]
fn an_epoch_written_into_the_document_does_not_move_the_nodes_epoch() {
    let mut node = Node::new();
    let liar = node.device(Role::Agent, &["nu.iqaluit"]);
    let honest = node.device(Role::Agent, &["nu.iqaluit"]);
    let mut client = person("nu.iqaluit");
    let mut doc = ClientDoc::empty(liar.id);
    let created = change_by(&mut doc, &client, liar.id);
    let mut honest_doc = ClientDoc::load(&doc.save(), honest.id).unwrap();
    client.epoch = 5;
    let bumped = change_by(&mut doc, &client, liar.id);
    assert!(node.upload(&liar, &[created, bumped]).is_empty());

    // Another device's offline edit, made at epoch 0, is still accepted.
    let mut edited = honest_doc.read().unwrap();
    edited.identity.preferred_name = Some("Ann".into());
    let edit = change_by(&mut honest_doc, &edited, honest.id);
    assert_eq!(node.upload(&honest, &[edit]), Vec::new());
    let stored = node.store.documents(&[client.id]).unwrap();
    assert_eq!(stored[0].epoch, 0, "the node's epoch, not the document's");
}

/// A change that builds on one the node never received would be held back unapplied by the
/// CRDT library and dropped at the next save: it is refused, visibly, and taken once its
/// history arrives with it.
#[test]
fn a_change_whose_history_the_node_lacks_is_refused_not_dropped() {
    let mut node = Node::new();
    let device = node.device(Role::Agent, &["nu.iqaluit"]);
    let mut client = person("nu.iqaluit");
    let mut doc = ClientDoc::empty(device.id);
    let first = change_by(&mut doc, &client, device.id);
    assert_eq!(node.upload(&device, &[first]), Vec::new());
    client.identity.preferred_name = Some("Ann".into());
    let second = change_by(&mut doc, &client, device.id);
    client.identity.contact.phone = Some("867-555-0199".into());
    let third = change_by(&mut doc, &client, device.id);

    assert_eq!(
        node.upload(&device, std::slice::from_ref(&third)),
        refused(0, RefusalReason::MissingHistory)
    );
    assert_eq!(node.stored(client.id).unwrap().identity.contact.phone, None);
    assert_eq!(node.upload(&device, &[second, third]), Vec::new());
    let stored = node.stored(client.id).unwrap();
    assert_eq!(stored.identity.preferred_name.as_deref(), Some("Ann"));
    assert_eq!(
        stored.identity.contact.phone.as_deref(),
        Some("867-555-0199")
    );
}

#[test]
fn a_record_that_fails_the_intake_checks_is_refused_and_not_stored() {
    let mut node = Node::new();
    let device = node.device(Role::Agent, &["nu.iqaluit"]);
    let mut client = person("nu.iqaluit");
    client.identity.identifiers.sin_last3 = Some("123456789".into());
    let change = change_by(&mut ClientDoc::empty(device.id), &client, device.id);

    assert_eq!(
        node.upload(&device, &[change]),
        refused(0, RefusalReason::Invalid)
    );
    assert!(node.stored(client.id).is_none());
}

/// Change times come from the author's clock: one far ahead would pin the record first among
/// namesakes on every laptop and keep its later changes out of the office's review queue.
#[test]
fn a_record_dated_in_the_future_is_refused_and_not_stored() {
    let mut node = Node::new();
    let device = node.device(Role::Agent, &["nu.iqaluit"]);
    let mut client = person("nu.iqaluit");
    client.provenance.updated_at = Timestamp(253_402_300_799_000); // 9999-12-31
    let change = change_by(&mut ClientDoc::empty(device.id), &client, device.id);

    assert_eq!(
        node.upload(&device, &[change]),
        refused(0, RefusalReason::Invalid)
    );
    assert!(node.stored(client.id).is_none());
}

#[test]
fn no_device_moves_a_record_out_of_its_community_except_an_office_serving_both() {
    let mut node = Node::new();
    let agent = node.device(Role::Agent, &["nu.iqaluit", "nu.arviat"]);
    let narrow_office = node.device(Role::Office, &["nu.arviat"]);
    let office = node.device(Role::Office, &["*"]);
    let mut client = person("nu.iqaluit");
    let mut doc = ClientDoc::empty(agent.id);
    let created = change_by(&mut doc, &client, agent.id);
    assert!(node.upload(&agent, &[created]).is_empty());

    client.identity.community = CommunityCode::new("nu.arviat");
    let saved = doc.save();
    let by_agent = change_by(
        &mut ClientDoc::load(&saved, agent.id).unwrap(),
        &client,
        agent.id,
    );
    assert_eq!(
        node.upload(&agent, &[by_agent]),
        refused(0, RefusalReason::MovesCommunity)
    );
    let by_narrow = change_by(
        &mut ClientDoc::load(&saved, narrow_office.id).unwrap(),
        &client,
        narrow_office.id,
    );
    assert_eq!(
        node.upload(&narrow_office, &[by_narrow]),
        refused(0, RefusalReason::OutsideScope)
    );
    assert_eq!(
        node.stored(client.id).unwrap().identity.community.as_str(),
        "nu.iqaluit"
    );
    let by_office = change_by(
        &mut ClientDoc::load(&saved, office.id).unwrap(),
        &client,
        office.id,
    );
    assert!(node.upload(&office, &[by_office]).is_empty());
    assert_eq!(
        node.stored(client.id).unwrap().identity.community.as_str(),
        "nu.arviat"
    );
}

#[test]
fn only_an_office_device_merges_records_or_marks_them_as_different_people() {
    let mut node = Node::new();
    let agent = node.device(Role::Agent, &["nu.iqaluit"]);
    let office = node.device(Role::Office, &["nu.iqaluit"]);
    let mut client = person("nu.iqaluit");
    let other = person("nu.iqaluit");
    let mut doc = ClientDoc::empty(agent.id);
    let created = change_by(&mut doc, &client, agent.id);
    assert!(node.upload(&agent, &[created]).is_empty());
    let saved = doc.save();

    for decide in [
        |c: &mut Client, o: &Client| c.merged_into = Some(o.id),
        |c: &mut Client, o: &Client| c.not_same_person.push(o.id),
    ] {
        let mut decided = client.clone();
        decide(&mut decided, &other);
        let by_agent = change_by(
            &mut ClientDoc::load(&saved, agent.id).unwrap(),
            &decided,
            agent.id,
        );
        assert_eq!(
            node.upload(&agent, &[by_agent]),
            refused(0, RefusalReason::OfficeOnly)
        );
        let stored = node.stored(client.id).unwrap();
        assert_eq!(
            (stored.merged_into, stored.not_same_person.len()),
            (None, 0)
        );
    }

    client.not_same_person.push(other.id);
    let by_office = change_by(
        &mut ClientDoc::load(&saved, office.id).unwrap(),
        &client,
        office.id,
    );
    assert!(node.upload(&office, &[by_office]).is_empty());
    assert_eq!(
        node.stored(client.id).unwrap().not_same_person,
        vec![other.id]
    );
}

/// A change on top of a record that adds `depth` nested maps under an unknown key.
fn nesting_change(doc: &mut ClientDoc, device: DeviceId, depth: usize) -> Vec<u8> {
    let mut raw = automerge::AutoCommit::new();
    raw.apply_changes(
        doc.changes_since(&[])
            .into_iter()
            .map(|bytes| automerge::Change::from_bytes(bytes).unwrap()),
    )
    .unwrap();
    let mut raw = raw.with_actor(automerge::ActorId::from(device.0.as_bytes().as_slice()));
    let heads = raw.get_heads();
    let mut obj = automerge::ROOT;
    for _ in 0..depth {
        obj = raw.put_object(&obj, "x", automerge::ObjType::Map).unwrap();
    }
    raw.commit();
    raw.get_changes(&heads)[0].raw_bytes().to_vec()
}

#[test]
fn a_deeply_nested_change_is_refused_before_any_laptop_sees_it() {
    let mut node = Node::new();
    let device = node.device(Role::Agent, &["nu.iqaluit"]);
    let client = person("nu.iqaluit");
    let mut doc = ClientDoc::empty(device.id);
    let created = change_by(&mut doc, &client, device.id);
    assert!(
        node.upload(&device, std::slice::from_ref(&created))
            .is_empty()
    );

    // 100,000 nested maps: past the per-change operation bound.
    let huge = BatchChange {
        change: nesting_change(&mut doc, device.id, 100_000),
        ..created.clone()
    };
    assert_eq!(
        node.upload(&device, &[huge]),
        refused(0, RefusalReason::TooLarge)
    );
    // 40 levels: few operations, but deeper than any record may be.
    let mut doc = ClientDoc::load(
        &node.store.document(client.id).unwrap().unwrap().1,
        device.id,
    )
    .unwrap();
    let deep = BatchChange {
        change: nesting_change(&mut doc, device.id, 40),
        ..created
    };
    assert_eq!(
        node.upload(&device, &[deep]),
        refused(0, RefusalReason::TooLarge)
    );
    let office = node.device(Role::Office, &["*"]);
    let log = node
        .store
        .log_after(0, &node::policy::pull_filter(&office), 100, 1 << 24)
        .unwrap();
    assert_eq!(
        log.entries.len(),
        1,
        "only the record's creation is in the log"
    );
}

#[test]
fn mutated_changes_with_a_valid_checksum_never_panic_and_the_store_keeps_working() {
    let mut node = Node::new();
    let device = node.device(Role::Agent, &["nu.iqaluit"]);
    let client = person("nu.iqaluit");
    let original = change_by(&mut ClientDoc::empty(device.id), &client, device.id);
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut batch = Vec::new();
    for _ in 0..300 {
        let mut bytes = original.change.clone();
        for _ in 0..=(next() % 4) {
            let at = 8 + usize::try_from(next()).unwrap() % (bytes.len() - 8);
            bytes[at] ^= u8::try_from(next() % 255 + 1).unwrap();
        }
        batch.push(BatchChange {
            change: with_fixed_checksum(bytes),
            ..original.clone()
        });
    }
    let _ = node.upload(&device, &batch);
    // Whatever was refused or accepted, the store still serves and takes the honest change.
    assert!(node.upload(&device, &[original]).len() <= 1);
    assert!(node.store.stats().is_ok());
}

/// Automerge's chunk checksum: the first 4 bytes of SHA-256 over the chunk type, length and body.
fn with_fixed_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
    use ring::digest::{SHA256, digest};
    let sum = digest(&SHA256, &bytes[8..]);
    bytes[4..8].copy_from_slice(&sum.as_ref()[..4]);
    bytes
}

/// `n` more honest audit entries of `device`.
fn audit_work(chain: &mut Vec<shared::audit::AuditEntry>, device: DeviceId, n: usize) {
    for _ in 0..n {
        let next = shared::audit::AuditEntry::next(
            chain.last(),
            device,
            AgentId(uuid::Uuid::from_u128(0xa1)),
            shared::audit::AuditAction::View,
            Some(shared::ids::ClientId(uuid::Uuid::from_u128(0xc1))),
            Timestamp::now(),
        );
        chain.push(next);
    }
}

impl Node {
    /// An upload carrying `changes` and the audit run a laptop would send now.
    fn upload_with_trail(
        &mut self,
        device: &DeviceRecord,
        changes: &[BatchChange],
        chain: &[shared::audit::AuditEntry],
    ) -> Vec<Refusal> {
        let said = self.store.audit_anchor(device.id).unwrap().map(|a| a.seq);
        let run = shared::protocol::AuditRun::of(
            shared::audit::entries_to_send(chain, said),
            shared::audit::device_check(chain, device.id, said),
        )
        .map(|run| run.encode());
        self.upload_raw_trail(device, changes, run.as_deref())
    }

    fn upload_raw_trail(
        &mut self,
        device: &DeviceRecord,
        changes: &[BatchChange],
        run: Option<&[u8]>,
    ) -> Vec<Refusal> {
        let id = [self.next; 32];
        self.next += 1;
        node::ingest::apply_upload_with_audit(
            &self.store,
            device,
            id,
            changes,
            run,
            Timestamp::now(),
        )
        .unwrap()
        .refusals
    }

    fn trail_holds(&self, device: DeviceId) -> bool {
        node::audit::verify(&self.store)
            .unwrap()
            .iter()
            .find(|t| t.device == device)
            .is_none_or(node::audit::TrailCheck::holds)
    }
}

#[test]
fn a_devices_audit_entries_are_kept_with_its_upload_and_its_anchor_moves() {
    let mut node = Node::new();
    let laptop = node.device(Role::Agent, &["nu.iqaluit"]);
    let mut chain = Vec::new();
    audit_work(&mut chain, laptop.id, 40);
    let client = person("nu.iqaluit");
    let change = change_by(&mut ClientDoc::empty(laptop.id), &client, laptop.id);
    assert!(
        node.upload_with_trail(&laptop, &[change], &chain)
            .is_empty()
    );
    audit_work(&mut chain, laptop.id, 7);
    assert!(node.upload_with_trail(&laptop, &[], &chain).is_empty());
    let anchor = node.store.audit_anchor(laptop.id).unwrap().unwrap();
    assert_eq!((anchor.seq, anchor.hash), (47, chain[46].hash));
    let kept = node
        .store
        .audit_trail(
            &node::storage::AuditQuery {
                device: Some(laptop.id),
                ..Default::default()
            },
            1_000,
        )
        .unwrap();
    assert_eq!(kept.len(), 47, "every entry once");
    assert!(node.trail_holds(laptop.id));
    assert!(
        node.stored(client.id).is_some(),
        "the change went in with it"
    );
}

#[test]
fn a_laptop_restored_from_an_older_copy_is_flagged_once_and_its_changes_still_go_in() {
    let mut node = Node::new();
    let laptop = node.device(Role::Agent, &["nu.iqaluit"]);
    let mut chain = Vec::new();
    audit_work(&mut chain, laptop.id, 30);
    let _ = node.upload_with_trail(&laptop, &[], &chain);
    assert!(node.trail_holds(laptop.id));

    // Restored from a copy taken at entry 12, then used again.
    chain.truncate(12);
    audit_work(&mut chain, laptop.id, 5);
    let client = person("nu.iqaluit");
    let change = change_by(&mut ClientDoc::empty(laptop.id), &client, laptop.id);
    assert!(
        node.upload_with_trail(&laptop, &[change], &chain)
            .is_empty()
    );
    assert!(
        node.stored(client.id).is_some(),
        "its changes are not held hostage"
    );
    let flags = node.store.audit_flags(Some(laptop.id)).unwrap();
    assert!(
        flags
            .iter()
            .any(|f| f.found == shared::audit::ChainBreak::Rewound(30)),
        "{flags:?}"
    );
    assert!(!node.trail_holds(laptop.id));

    // It goes on working: followed from its new head, not flagged again.
    audit_work(&mut chain, laptop.id, 3);
    let _ = node.upload_with_trail(&laptop, &[], &chain);
    assert_eq!(
        node.store.audit_flags(Some(laptop.id)).unwrap().len(),
        flags.len()
    );
    assert_eq!(node.store.audit_anchor(laptop.id).unwrap().unwrap().seq, 20);
}

#[test]
fn an_entry_deleted_after_the_node_anchored_it_is_reported_by_the_device_and_flagged_once() {
    let mut node = Node::new();
    let laptop = node.device(Role::Agent, &["nu.iqaluit"]);
    let mut chain = Vec::new();
    audit_work(&mut chain, laptop.id, 20);
    let _ = node.upload_with_trail(&laptop, &[], &chain);
    chain.remove(4);
    for _ in 0..3 {
        audit_work(&mut chain, laptop.id, 2);
        let _ = node.upload_with_trail(&laptop, &[], &chain);
    }
    let flags = node.store.audit_flags(Some(laptop.id)).unwrap();
    assert_eq!(
        flags.iter().map(|f| f.found).collect::<Vec<_>>(),
        vec![shared::audit::ChainBreak::Gap(5)],
        "reported at every sync, flagged once"
    );
    // The node's own copy still holds the deleted entry.
    let kept = node
        .store
        .audit_trail(&node::storage::AuditQuery::default(), 1_000)
        .unwrap();
    assert!(kept.iter().any(|s| s.entry.seq == 5));
}

#[test]
fn unreadable_audit_bytes_are_flagged_and_cost_the_device_none_of_its_changes() {
    let mut node = Node::new();
    let laptop = node.device(Role::Agent, &["nu.iqaluit"]);
    let client = person("nu.iqaluit");
    let change = change_by(&mut ClientDoc::empty(laptop.id), &client, laptop.id);
    let garbage = [1u8, 0xff, 0xff, 0xff, 0xff, 0x0f, 3, 3];
    assert!(
        node.upload_raw_trail(&laptop, &[change], Some(&garbage))
            .is_empty()
    );
    assert!(node.stored(client.id).is_some());
    let flags = node.store.audit_flags(Some(laptop.id)).unwrap();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].found, shared::audit::ChainBreak::Unreadable);
    assert_eq!(node.store.audit_anchor(laptop.id).unwrap(), None);
}

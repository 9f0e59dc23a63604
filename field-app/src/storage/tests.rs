use shared::ids::{CommunityCode, FollowUpId, PartnerCode, ReferralId};
use shared::matching::SearchQuery;
use shared::model::{FollowUp, Identity, Referral, ReferralStatus, Urgency};

use super::*;

const FAST: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS_ONLY;

fn pass() -> Passphrase {
    Passphrase::new("tundra lichen kayak ptarmigan".into())
}

fn person(store: &LocalStore, given: &str, family: &str, community: &str) -> Client {
    let identity = Identity {
        given_name: given.into(),
        family_name: family.into(),
        community: CommunityCode::new(community),
        ..Identity::default()
    };
    Client::new(
        identity,
        store.author().agent,
        store.author().device,
        Timestamp::now(),
    )
}

#[test]
fn saved_record_is_there_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    let annie = person(&store, "Annie", "Kilabuk", "nu.pangnirtung");
    assert_eq!(store.save(&annie).unwrap(), Saved::Created);
    let author = store.author();
    drop(store);
    let store = LocalStore::open(dir.path(), &pass()).unwrap();
    assert_eq!(store.author(), author, "device identity persists");
    let read = store.client(annie.id).unwrap().unwrap();
    assert_eq!(read.identity, annie.identity);
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(store.pending_changes().unwrap(), 1);
    let found = store
        .search(&SearchQuery {
            text: "kilab".into(),
            community: None,
            limit: 10,
        })
        .unwrap();
    assert_eq!(
        found.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![annie.id],
        "index rebuilt at open"
    );
}

#[test]
fn editing_adds_one_outbox_change_and_updates_projection_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    let mut annie = person(&store, "Annie", "Kilabuk", "nu.pangnirtung");
    store.save(&annie).unwrap();
    annie = store.client(annie.id).unwrap().unwrap();
    assert_eq!(store.save(&annie).unwrap(), Saved::Unchanged);
    annie.identity.family_name = "Nowdlak".into();
    annie.referrals.push(Referral {
        id: ReferralId::random(),
        partner: PartnerCode::new("nu.health"),
        reason: "Hearing test".into(),
        urgency: Urgency::Soon,
        status: ReferralStatus::Open,
        outcome: None,
        created_at: Timestamp::now(),
    });
    annie.follow_ups.push(FollowUp {
        id: FollowUpId::random(),
        due: CalendarDate::new(2026, 12, 1).unwrap(),
        description: "Call about OAS".into(),
        done: false,
    });
    assert_eq!(store.save(&annie).unwrap(), Saved::Updated);
    assert_eq!(store.pending_changes().unwrap(), 2);
    let with_referrals = store
        .list(
            &ListFilter {
                open_referrals: true,
                ..ListFilter::default()
            },
            10,
        )
        .unwrap();
    assert_eq!(with_referrals.len(), 1);
    assert_eq!(with_referrals[0].family_name, "Nowdlak");
    let due = store
        .list(
            &ListFilter {
                follow_up_due_by: Some(CalendarDate::new(2026, 12, 31).unwrap()),
                ..ListFilter::default()
            },
            10,
        )
        .unwrap();
    assert_eq!(due.len(), 1);
    assert!(
        store
            .search(&SearchQuery {
                text: "kilabuk".into(),
                community: None,
                limit: 10
            })
            .unwrap()
            .is_empty()
    );
    let history = store.document(annie.id).unwrap().unwrap().history();
    assert_eq!(history.len(), 2);
    assert!(
        history[1]
            .fields
            .iter()
            .any(|f| f == "identity.family_name")
    );
}

#[test]
fn an_invalid_record_in_a_batch_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    let good = person(&store, "Annie", "Kilabuk", "nu.pangnirtung");
    let bad = person(&store, "", "Nowdlak", "nowhere");
    let Err(StoreError::Invalid(errors)) = store.save_all(&[good, bad]) else {
        panic!("batch accepted")
    };
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["identity.given_name", "identity.community"]);
    assert_eq!(store.count().unwrap(), 0);
    assert_eq!(store.pending_changes().unwrap(), 0);
}

#[test]
fn not_synced_filter_lists_records_with_pending_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    let annie = person(&store, "Annie", "Kilabuk", "nu.pangnirtung");
    store.save(&annie).unwrap();
    let pending = store
        .list(
            &ListFilter {
                not_synced: true,
                ..ListFilter::default()
            },
            10,
        )
        .unwrap();
    assert_eq!(pending.len(), 1);
    let other = store
        .list(
            &ListFilter {
                community: Some(CommunityCode::new("nu.iqaluit")),
                ..ListFilter::default()
            },
            10,
        )
        .unwrap();
    assert!(other.is_empty());
}

#[test]
fn changes_the_node_refused_stay_held_with_the_reason_until_resent() {
    use shared::protocol::{Refusal, RefusalReason};
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    let inside = person(&store, "Annie", "Kilabuk", "nu.pangnirtung");
    let outside = person(&store, "Elisapee", "Kootoo", "nu.arviat");
    store.save(&inside).unwrap();
    store.save(&outside).unwrap();
    let upload = store.pending_upload(usize::MAX).unwrap().unwrap();
    assert_eq!(upload.changes, 2);

    let outcome = sync_client::Acknowledged {
        applied: 1,
        duplicates: 0,
        refused: 1,
        refusals: vec![Refusal {
            index: 1,
            reason: RefusalReason::OutsideScope,
        }],
    };
    store.upload_acknowledged(upload.id, &outcome).unwrap();

    assert_eq!(
        store.pending_changes().unwrap(),
        0,
        "nothing left to send now"
    );
    let held = store.held_changes().unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0].client, held[0].reason),
        (outside.id, RefusalReason::OutsideScope)
    );
    let listed = |filter: ListFilter| -> Vec<ClientId> {
        store
            .list(&filter, 10)
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect()
    };
    assert_eq!(
        listed(ListFilter {
            held: true,
            ..ListFilter::default()
        }),
        vec![outside.id]
    );
    assert_eq!(
        listed(ListFilter {
            not_synced: true,
            ..ListFilter::default()
        }),
        vec![outside.id],
        "a held change is not synced"
    );

    assert_eq!(store.resend_held().unwrap(), 1);
    assert!(store.held_changes().unwrap().is_empty());
    assert_eq!(store.pending_changes().unwrap(), 1, "back in the outbox");
}

#[test]
fn uploads_use_a_dictionary_only_once_the_node_said_it_reads_it() {
    use shared::protocol::dictionary::{CHANGES_V1, named_by};
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    store
        .save(&person(&store, "Annie", "Kilabuk", "nu.pangnirtung"))
        .unwrap();
    assert_eq!(store.node_dictionaries().unwrap(), None);
    let plain = store.pending_upload(usize::MAX).unwrap().unwrap();
    assert_eq!(named_by(&plain.blob), None, "a node that has not said");
    store
        .upload_acknowledged(plain.id, &sync_client::Acknowledged::default())
        .unwrap();

    store.set_node_dictionaries(&[70_000, CHANGES_V1]).unwrap();
    assert_eq!(
        store.node_dictionaries().unwrap(),
        Some(vec![70_000, CHANGES_V1])
    );
    let sent = person(&store, "Elisapee", "Kootoo", "nu.pangnirtung");
    store.save(&sent).unwrap();
    let upload = store.pending_upload(usize::MAX).unwrap().unwrap();
    assert_eq!(named_by(&upload.blob), Some(CHANGES_V1));
    let decoded = shared::protocol::decode_upload(&upload.blob).unwrap();
    assert_eq!(decoded.changes.len(), 1);
    assert_eq!(decoded.changes[0].client, sent.id);
    assert_eq!(
        store.pending_upload(usize::MAX).unwrap().unwrap().id,
        upload.id,
        "kept"
    );

    // Enrolled again with a node that reads no dictionary: the upload in flight is built again.
    store
        .set_link(&[(crate::storage::sync_state::key::NODE_DICTIONARIES, &[])])
        .unwrap();
    assert_eq!(
        store.node_dictionaries().unwrap(),
        None,
        "the laptop asks again"
    );
    let rebuilt = store.pending_upload(usize::MAX).unwrap().unwrap();
    assert_eq!(named_by(&rebuilt.blob), None);
    assert_eq!(
        shared::protocol::decode_upload(&rebuilt.blob)
            .unwrap()
            .changes,
        decoded.changes
    );
}

#[test]
fn pulled_changes_that_cannot_be_used_are_quarantined_never_skipped() {
    use shared::protocol::BatchChange;
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    let other = DeviceId::random();
    let mut good = person(&store, "Annie", "Kilabuk", "nu.pangnirtung");
    good.provenance.device = other;
    let mut doc = ClientDoc::empty(other);
    let author = Author {
        agent: AgentId::random(),
        device: other,
    };
    let change = doc.write(&good, author, Timestamp::now()).unwrap().unwrap();
    let garbage = ClientId::random();

    let changed = store
        .apply_pulled(
            vec![
                BatchChange {
                    client: good.id,
                    epoch: 3,
                    change: change.bytes,
                },
                BatchChange {
                    client: garbage,
                    epoch: 0,
                    change: vec![0x85, 0x6f, 0x4a, 0x83, 1, 2, 3],
                },
            ],
            42,
        )
        .unwrap();

    assert_eq!(changed, vec![good.id], "the readable record is applied");
    let quarantined = store.quarantined().unwrap();
    assert_eq!(
        quarantined.len(),
        1,
        "the unreadable change is kept, not dropped"
    );
    assert_eq!(quarantined[0].client, garbage);
    assert_eq!(
        store
            .link_number(crate::storage::sync_state::key::CURSOR)
            .unwrap(),
        42
    );
    let epoch: u32 = store
        .connection
        .query_row(
            "SELECT epoch FROM documents WHERE client_id = ?1",
            [good.id.0.as_bytes()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(epoch, 3, "the node's epoch, not the document's");
}

fn draft_with(id: DraftId, label: &str, body: &[u8]) -> StoredDraft {
    StoredDraft {
        id,
        record: None,
        label: label.into(),
        body: zeroize::Zeroizing::new(body.to_vec()),
        started_at: Timestamp(1_000),
        updated_at: Timestamp::now(),
    }
}

#[test]
fn a_draft_survives_reopening_and_ends_with_the_save_of_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    let id = DraftId::random();
    store
        .put_draft(&draft_with(id, "Annie", b"{\"typed\":\"Ann\"}"))
        .unwrap();
    store
        .put_draft(&draft_with(id, "Annie Kilabuk", b"{\"typed\":\"Annie K\"}"))
        .unwrap();
    drop(store);

    let mut store = LocalStore::open(dir.path(), &pass()).unwrap();
    let listed = store.drafts().unwrap();
    assert_eq!(listed.len(), 1, "a rewrite replaces, never duplicates");
    assert_eq!(listed[0].label, "Annie Kilabuk");
    let read = store.draft(id).unwrap().unwrap();
    assert_eq!(read.body.as_slice(), b"{\"typed\":\"Annie K\"}");
    assert_eq!(read.started_at, Timestamp(1_000), "the start is kept");

    // A refused save leaves the draft; a stored one ends it in the same transaction.
    let mut invalid = person(&store, "", "", "nu.pangnirtung");
    invalid.identity.given_name.clear();
    assert!(matches!(
        store.save_intake(&[invalid], &[], Some(id)),
        Err(StoreError::Invalid(_))
    ));
    assert!(
        store.draft(id).unwrap().is_some(),
        "a refused save keeps the draft"
    );
    let annie = person(&store, "Annie", "Kilabuk", "nu.pangnirtung");
    store.save_intake(&[annie], &[], Some(id)).unwrap();
    assert!(store.draft(id).unwrap().is_none());
    assert!(store.drafts().unwrap().is_empty());
}

#[test]
fn a_draft_too_large_or_one_too_many_is_refused_and_nothing_else_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    let huge = vec![b'x'; drafts::MAX_DRAFT_BYTES + 1];
    assert!(matches!(
        store.put_draft(&draft_with(DraftId::random(), "", &huge)),
        Err(StoreError::DraftTooLarge { .. })
    ));
    let open: Vec<DraftId> = (0..drafts::MAX_OPEN_DRAFTS)
        .map(|_| DraftId::random())
        .collect();
    for id in &open {
        store.put_draft(&draft_with(*id, "x", b"{}")).unwrap();
    }
    assert!(matches!(
        store.put_draft(&draft_with(DraftId::random(), "x", b"{}")),
        Err(StoreError::TooManyDrafts)
    ));
    // An open draft can still be rewritten at the limit.
    store.put_draft(&draft_with(open[0], "y", b"{}")).unwrap();
    store.discard_draft(open[1]).unwrap();
    assert_eq!(
        store.drafts().unwrap().len() as u64,
        drafts::MAX_OPEN_DRAFTS - 1
    );
}

#[test]
fn a_drafts_typed_text_is_in_no_file_of_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = LocalStore::create(dir.path(), &pass(), FAST, None).unwrap();
    let canary = "Qxuvenbrik";
    let body = format!("{{\"given\":\"{canary}\"}}");
    store
        .put_draft(&draft_with(DraftId::random(), canary, body.as_bytes()))
        .unwrap();
    // Open (WAL not checkpointed) and closed both.
    let findings = test_support::plaintext_findings(dir.path(), &[canary]);
    assert!(findings.is_empty(), "{findings:?}");
    drop(store);
    let findings = test_support::plaintext_findings(dir.path(), &[canary]);
    assert!(findings.is_empty(), "{findings:?}");
}

use shared::ids::{CommunityCode, FollowUpId, PartnerCode, ReferralId};
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

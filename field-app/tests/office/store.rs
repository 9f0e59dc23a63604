//! The office's decisions through its store: refused on an agent's laptop; duplicate pairs,
//! merge and unmerge, the review queue, work due and conflicts counted in all.

use field_app::storage::office::ReviewFilter;
use field_app::{LocalStore, StoreError};
use shared::ids::{AgentId, CommunityCode};
use shared::time::Timestamp;

use crate::make_conflict;
use crate::support::office::*;
use crate::support::*;

#[test]
fn an_agent_laptop_refuses_office_decisions_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_profile(&dir.path().join("p"));
    let a = person(&store, "Annie", "Kilabuk", (1970, 1, 2), "nu.arviat");
    let b = person(&store, "Annie", "Kilabuk", (1970, 1, 2), "nu.arviat");
    store.save_all(&[a.clone(), b.clone()]).unwrap();
    let pending = store.pending_changes().unwrap();
    assert!(matches!(
        store.merge_pair(a.id, b.id),
        Err(StoreError::NotOffice)
    ));
    assert!(matches!(
        store.mark_not_same(a.id, b.id),
        Err(StoreError::NotOffice)
    ));
    assert_eq!(
        store.pending_changes().unwrap(),
        pending,
        "nothing was written"
    );
    assert!(store.client(b.id).unwrap().unwrap().merged_into.is_none());
}

#[test]
fn the_matcher_proposes_the_noisy_pair_with_its_evidence_until_decided() {
    use shared::matching::linkage::Field;
    let dir = tempfile::tempdir().unwrap();
    let (mut store, a, b) = office_with_a_duplicate(&dir.path().join("p"));
    let queue = store.duplicate_pairs(0.5, 50).unwrap();
    assert_eq!(queue.records, 42);
    let pair = queue
        .pairs
        .iter()
        .find(|p| [p.first.id, p.second.id].contains(&a) && [p.first.id, p.second.id].contains(&b))
        .expect("the pair is proposed");
    let birth = pair
        .evidence
        .iter()
        .find(|e| e.field == Field::Birth)
        .unwrap();
    assert_eq!(
        birth.level, "swapped",
        "day and month swapped is evidence, not a miss"
    );
    assert!(
        pair.evidence
            .iter()
            .any(|e| e.field == Field::Phone && e.weight > 0.0)
    );
    store.mark_not_same(a, b).unwrap();
    let again = store.duplicate_pairs(0.5, 50).unwrap();
    assert!(
        !again
            .pairs
            .iter()
            .any(|p| [p.first.id, p.second.id] == [a, b] || [p.first.id, p.second.id] == [b, a]),
        "a pair decided as two people is never proposed again"
    );
}

#[test]
fn merge_then_unmerge_gives_each_record_back_and_keeps_them_apart() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, a, b) = office_with_a_duplicate(&dir.path().join("p"));
    let merged = store.merge_pair(a, b).unwrap();
    assert_eq!(
        (merged.kept, merged.redirect),
        (a, b),
        "the older record survives"
    );
    assert_eq!(store.live_id(b).unwrap(), a);
    let kept = store.client(a).unwrap().unwrap();
    assert!(
        kept.identity
            .other_names
            .iter()
            .any(|n| n == "Ilisapi Kootoo")
    );
    assert_eq!(store.merged_into(a).unwrap().len(), 1);
    assert!(matches!(
        store.merge_pair(a, b),
        Err(StoreError::AlreadyMerged)
    ));

    store.unmerge_record(b).unwrap();
    assert_eq!(store.live_id(b).unwrap(), b);
    let (kept, restored) = (
        store.client(a).unwrap().unwrap(),
        store.client(b).unwrap().unwrap(),
    );
    assert!(
        kept.identity.other_names.is_empty(),
        "the name it brought went back"
    );
    assert!(kept.absorbed.is_empty());
    assert_eq!(restored.identity.given_name, "Ilisapi");
    assert!(kept.not_same_person.contains(&b) && restored.not_same_person.contains(&a));
    assert!(store.merged_into(a).unwrap().is_empty());
    assert!(matches!(
        store.unmerge_record(b),
        Err(StoreError::NotMerged)
    ));
}

#[test]
fn the_review_queue_holds_each_record_until_reviewed_and_again_after_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = office_profile(&dir.path().join("p"));
    let mine = person(&store, "Annie", "Kilabuk", (1970, 1, 2), "nu.arviat");
    let mut theirs = person(&store, "Jimmy", "Akavak", (1981, 5, 6), "nu.pangnirtung");
    let other_agent = AgentId::random();
    theirs.provenance.created_by = other_agent;
    let third = person(&store, "Lucy", "Nuna", (1990, 7, 8), "nu.arviat");
    store.save_all(&[mine, theirs.clone(), third]).unwrap();
    let all = ReviewFilter::default();
    let queue = store.review_queue(&all).unwrap();
    assert_eq!(queue.total, 3);
    let by_other = ReviewFilter {
        agent: Some(other_agent),
        ..ReviewFilter::default()
    };
    assert_eq!(store.review_queue(&by_other).unwrap().rows[0].id, theirs.id);
    let arviat = ReviewFilter {
        community: Some(CommunityCode::new("nu.arviat")),
        ..ReviewFilter::default()
    };
    assert_eq!(store.review_queue(&arviat).unwrap().total, 2);
    let shown: Vec<_> = queue
        .rows
        .iter()
        .take(2)
        .map(|r| (r.id, r.updated_at))
        .collect();
    store.mark_reviewed(&shown).unwrap();
    assert_eq!(store.review_queue(&all).unwrap().total, 1);
    // A change after the review puts the record back.
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut changed = store.client(shown[0].0).unwrap().unwrap();
    changed.identity.contact.phone = Some("867-555-0100".into());
    store.save(&changed).unwrap();
    let after = store.review_queue(&all).unwrap();
    assert_eq!(after.total, 2);
    assert!(after.rows.iter().any(|r| r.id == shown[0].0));
    let later = ReviewFilter {
        since: Some(Timestamp(Timestamp::now().0 + 60_000)),
        ..ReviewFilter::default()
    };
    assert_eq!(store.review_queue(&later).unwrap().total, 0);
}

/// Work due is read for every community or for one, and says how many records have work due
/// in all (the list itself stops at the queue's length); the conflicts queue says it too.
#[test]
fn due_work_is_filtered_by_community_and_counted_in_all() {
    use shared::ids::FollowUpId;
    use shared::model::FollowUp;
    use shared::time::CalendarDate;
    let dir = tempfile::tempdir().unwrap();
    let mut store = office_profile(&dir.path().join("p"));
    let today = CalendarDate::today_utc();
    let yesterday = today.add_days(-1).unwrap();
    let tomorrow = today.add_days(1).unwrap();
    let due = |store: &LocalStore, given: &str, community: &str, on: CalendarDate| {
        let mut client = person(store, given, "Kilabuk", (1970, 1, 2), community);
        client.follow_ups.push(FollowUp {
            id: FollowUpId::random(),
            due: on,
            description: "call about the decision".into(),
            done: false,
        });
        client
    };
    let clients = [
        due(&store, "Annie", "nu.arviat", today),
        due(&store, "Jimmy", "nu.arviat", yesterday),
        due(&store, "Lucy", "nu.pangnirtung", yesterday),
        due(&store, "Noah", "nu.arviat", tomorrow),
    ];
    store.save_all(&clients).unwrap();
    let every = store.due_work(today, None).unwrap();
    assert_eq!(every.total, 3, "a follow-up due tomorrow is not due");
    assert_eq!(every.clients.len(), 3);
    assert_eq!(
        every.clients[0].identity.given_name, "Jimmy",
        "the earliest due first (then by name)"
    );
    let arviat = store
        .due_work(today, Some(&CommunityCode::new("nu.arviat")))
        .unwrap();
    assert_eq!(arviat.total, 2);
    let names: Vec<&str> = arviat
        .clients
        .iter()
        .map(|c| c.identity.given_name.as_str())
        .collect();
    assert_eq!(names, ["Jimmy", "Annie"]);

    make_conflict(&mut store, clients[0].id);
    let conflicts = store.conflicts_queue().unwrap();
    assert_eq!((conflicts.items.len(), conflicts.records_in_all), (1, 1));
}

//! The office's work from one record's screen: undo a merge, follow a merged household member,
//! take back "not the same person", settle a conflict, mark reviewed and go on through the queue;
//! an agent's laptop shows a conflict but offers no choice.

use egui_kittest::kittest::Queryable as _;
use field_app::LocalStore;
use field_app::gui::Screen;
use field_app::gui::i18n::Language;
use field_app::storage::office::ReviewFilter;
use shared::ids::ClientId;
use shared::time::Timestamp;

use crate::make_conflict;
use crate::support::office::*;
use crate::support::*;

/// Unmerge from the kept record's screen.
#[test]
fn the_office_undoes_a_merge_from_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let (a, b) = {
        let (mut store, a, b) = office_with_a_duplicate(&profile);
        store.merge_pair(a, b).unwrap();
        (a, b)
    };
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    h.state_mut().open_record(a);
    wait_screen(&mut h, Screen::Detail);
    wait_for(&mut h, "was merged into this record");
    click(&mut h, "Undo this merge");
    wait_for(&mut h, "The merge is undone");
    drop(h);
    let store = LocalStore::open(
        &profile,
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    assert_eq!(store.live_id(b).unwrap(), b);
}

/// A record that names the merged-away one as a household member shows the survivor there:
/// the link is followed through the redirect, not left pointing at a record nobody sees.
#[test]
fn a_household_link_to_a_merged_record_shows_the_surviving_record() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let daughter = {
        let (mut store, a, b) = office_with_a_duplicate(&profile);
        let mut daughter = person(&store, "Leetia", "Kootoo", (1984, 6, 9), "nu.pangnirtung");
        daughter.household.push(shared::model::HouseholdLink {
            member: b,
            relationship: shared::model::Relationship::Parent,
        });
        store.save(&daughter).unwrap();
        store.merge_pair(a, b).unwrap();
        daughter.id
    };
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    h.state_mut().open_record(daughter);
    wait_screen(&mut h, Screen::Detail);
    wait_for(&mut h, "Leetia");
    assert!(
        h.query_all_by_label_contains("Elisapee Kootoo")
            .next()
            .is_some(),
        "the household shows the record the member was merged into"
    );
    assert!(
        h.query_all_by_label_contains("Ilisapi").next().is_none(),
        "not the merged-away record"
    );
}

/// "Not the same person" hides the pair for good, so a wrong click is taken back from the
/// message line: the marks are gone from both records and the pair is proposed again.
#[test]
fn the_office_takes_back_not_the_same_person() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let (a, b) = {
        let (_store, a, b) = office_with_a_duplicate(&profile);
        (a, b)
    };
    let mut h = harness(&profile, Language::English);
    open_office(&mut h);
    click(&mut h, "Possible duplicates");
    wait_for(&mut h, "likely the same person");
    click(&mut h, "Not the same person");
    wait_for(&mut h, "Marked as two different people");
    click(&mut h, "Undo");
    wait_for(&mut h, "Taken back");
    wait_for(&mut h, "Pair 1 of 1");
    drop(h);
    let store = LocalStore::open(
        &profile,
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    for (x, y) in [(a, b), (b, a)] {
        assert!(
            !store
                .client(x)
                .unwrap()
                .unwrap()
                .not_same_person
                .contains(&y),
            "the mark is taken back on both records"
        );
    }
    assert_eq!(store.duplicate_pairs(0.5, 10).unwrap().total, 1);
}

/// The office is who chooses a conflicting value: on a record's screen it is offered the choice
/// (here, typing the right one), not told that "the office will choose".
#[test]
fn the_office_settles_a_conflict_from_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let (mut h, id) = a_record_with_a_conflict_opened(&profile, office_profile);
    wait_for(&mut h, "keep one value, or type the right one");
    assert!(
        h.query_by_label_contains("the office will choose")
            .is_none()
    );
    type_into(&mut h, "Or type the right value:", "867-555-0199");
    click(&mut h, "Use what I typed");
    wait_for(&mut h, "Conflict settled");
    step_until(&mut h, "the record shown without its conflict", |h| {
        h.query_all_by_label("Keep this value").next().is_none()
            && h.query_by_label("867-555-0199").is_some()
    });
    drop(h);
    let store = LocalStore::open(
        &profile,
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    let client = store.client(id).unwrap().unwrap();
    assert_eq!(
        client.identity.contact.phone.as_deref(),
        Some("867-555-0199")
    );
    assert!(store.document(id).unwrap().unwrap().conflicts().is_empty());
}

/// The office reads a record from its review queue on the record's screen and marks it
/// reviewed there; the queue no longer holds it.
#[test]
fn the_office_marks_a_record_reviewed_from_its_screen() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let (id, other) = {
        let mut store = office_profile(&profile);
        let annie = person(&store, "Annie", "Kilabuk", (1970, 1, 2), "nu.arviat");
        let jimmy = person(&store, "Jimmy", "Akavak", (1981, 5, 6), "nu.arviat");
        store.save_all(&[annie.clone(), jimmy.clone()]).unwrap();
        (annie.id, jimmy.id)
    };
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    h.state_mut().open_record(id);
    wait_screen(&mut h, Screen::Detail);
    click(&mut h, "Mark as reviewed");
    wait_for(&mut h, "marked reviewed");
    step_until(&mut h, "the record shown as reviewed", |h| {
        h.query_by_label("Mark as reviewed").is_none()
    });
    drop(h);
    let store = LocalStore::open(
        &profile,
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    let left: Vec<ClientId> = store
        .review_queue(&ReviewFilter::default())
        .unwrap()
        .rows
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(
        left,
        vec![other],
        "only the record not read is left to review"
    );
    assert!(store.awaiting_review(other).unwrap().is_some());
    assert_eq!(store.awaiting_review(id).unwrap(), None);
}

/// From the review queue the office reads one record after another: each record's screen offers
/// the queue's next, in the order the queue shows, until the last.
#[test]
fn the_office_reads_the_review_queue_one_record_after_another() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    {
        let mut store = office_profile(&profile);
        let start = Timestamp::now().0;
        let people: Vec<_> = [("Annie", "Kilabuk"), ("Jimmy", "Akavak"), ("Lucy", "Nuna")]
            .iter()
            .zip(0..)
            .map(|((given, family), n)| {
                let mut client = person(&store, given, family, (1970, 1, 2), "nu.arviat");
                client.provenance.created_at = Timestamp(start + n);
                client
            })
            .collect();
        store.save_all(&people).unwrap();
    }
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    step_until(&mut h, "the Office entry", |h| {
        h.query_by_label("Office").is_some()
    });
    click(&mut h, "Office");
    wait_for(&mut h, "records to review");
    h.query_all_by_label_contains("Annie Kilabuk")
        .next()
        .unwrap()
        .click();
    wait_screen(&mut h, Screen::Detail);
    click(&mut h, "Mark as reviewed");
    wait_for(&mut h, "marked reviewed");
    click(&mut h, "Next to review");
    wait_for(&mut h, "Jimmy Akavak");
    click(&mut h, "Next to review");
    wait_for(&mut h, "Lucy Nuna");
    for _ in 0..20 {
        h.step();
    }
    assert!(
        h.query_by_label("Next to review").is_none(),
        "the last record in the queue has no next"
    );
    drop(h);
    let store = LocalStore::open(
        &profile,
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    assert_eq!(
        store.review_queue(&ReviewFilter::default()).unwrap().total,
        2,
        "only the record marked is out of the queue"
    );
}

/// An agent's laptop shows the concurrent values and says who will choose; it offers no choice.
#[test]
fn an_agent_laptop_shows_a_conflict_but_offers_no_choice() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = a_record_with_a_conflict_opened(&dir.path().join("p"), new_profile);
    wait_for(&mut h, "the office will choose");
    wait_for(&mut h, "867-555-0102");
    assert!(h.query_all_by_label("Keep this value").next().is_none());
    assert!(h.query_by_label("Use what I typed").is_none());
    assert!(
        h.query_by_label("Mark as reviewed").is_none(),
        "an agent's laptop has no review queue"
    );
}

/// A profile (made by `profile`) holding one record whose phone two laptops set differently,
/// unlocked in the UI with that record's screen open.
fn a_record_with_a_conflict_opened(
    profile: &std::path::Path,
    make: fn(&std::path::Path) -> LocalStore,
) -> (
    egui_kittest::Harness<'static, field_app::gui::OutreachApp>,
    ClientId,
) {
    let id = {
        let mut store = make(profile);
        let annie = person(&store, "Annie", "Kilabuk", (1970, 1, 2), "nu.arviat");
        store.save(&annie).unwrap();
        make_conflict(&mut store, annie.id);
        annie.id
    };
    let mut h = harness(profile, Language::English);
    unlock(&mut h);
    h.state_mut().open_record(id);
    wait_screen(&mut h, Screen::Detail);
    (h, id)
}

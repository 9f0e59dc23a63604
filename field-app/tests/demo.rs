//! The demo shows every state an agent meets (issue 10): a conflict, a record the node
//! refused, an open draft, a due follow-up, and an office recovery copy of the key; its records
//! were captured over past weeks.
#![cfg(feature = "demo")]
#![allow(clippy::unwrap_used)]

use field_app::gui::demo::{self, DEMO_PASSPHRASE};
use field_app::storage::office::ReviewFilter;
use field_app::{ListFilter, LocalStore};
use shared::crypto::{KdfParams, Passphrase};
use shared::time::CalendarDate;

#[test]
fn the_demo_seeds_a_conflict_a_held_record_a_draft_a_due_follow_up_and_a_recovery_copy() {
    let (demo, profile) = demo::prepare(KdfParams::INSECURE_FAST_FOR_TESTS_ONLY).unwrap();
    let store = LocalStore::open(&profile.dir, &Passphrase::new(DEMO_PASSPHRASE.into())).unwrap();
    let all = store.list(&ListFilter::default(), 10_000).unwrap();
    assert!(all.iter().any(|r| r.conflicts > 0), "a conflict");
    // Captured over past weeks, not all in the minute the demo started: the office's reports
    // have weeks to show.
    let weeks: std::collections::BTreeSet<i64> = all
        .iter()
        .map(|r| r.created_at.0 / (7 * 24 * 3_600_000))
        .collect();
    assert!(weeks.len() >= 12, "records from {} weeks", weeks.len());
    assert!(
        all.iter().all(|r| r.created_at <= r.updated_at),
        "created after changed"
    );
    assert_eq!(store.held_changes().unwrap().len(), 1, "a held record");
    assert_eq!(store.drafts().unwrap().len(), 1, "an open draft");
    let due = store
        .list(
            &ListFilter {
                follow_up_due_by: Some(CalendarDate::today_utc()),
                ..ListFilter::default()
            },
            10,
        )
        .unwrap();
    assert!(!due.is_empty(), "a due follow-up");
    assert!(
        profile.dir.join(vault::RECOVERY_NAME).exists(),
        "an office recovery copy"
    );
    drop(store);
    drop(demo);
}

/// The office demo's duplicate queue holds exactly the two people planted twice: one at two
/// desks (syllabics, day and month swapped), one on two visits (a date some months off) — and
/// no pair of the 400 generated records.
#[test]
fn the_office_demo_proposes_exactly_the_two_people_registered_twice() {
    use shared::protocol::enroll::Role;
    let (demo, profile) =
        demo::prepare_as(KdfParams::INSECURE_FAST_FOR_TESTS_ONLY, Role::Office).unwrap();
    let store = LocalStore::open(&profile.dir, &Passphrase::new(DEMO_PASSPHRASE.into())).unwrap();
    let queue = store.duplicate_pairs(0.5, 50).unwrap();
    let families: Vec<&str> = queue
        .pairs
        .iter()
        .map(|p| p.first.identity.family_name.as_str())
        .collect();
    assert_eq!(queue.total, 2, "pairs: {families:?}");
    let date_level = |family: &str| {
        let pair = queue
            .pairs
            .iter()
            .find(|p| p.first.identity.family_name == family)
            .unwrap();
        pair.evidence
            .iter()
            .find(|e| e.field.name() == "date_of_birth")
            .map(|e| e.level)
    };
    assert_eq!(date_level("Kootoo (DEMO)"), Some("swapped"));
    assert_eq!(date_level("Nowdlak (DEMO)"), Some("near"));
    // The field's laptops captured the generated records and the office pulled them: its own
    // review queue is not four hundred intakes "by you".
    let all = store.review_queue(&ReviewFilter::default()).unwrap().total;
    let by_the_office = store
        .review_queue(&ReviewFilter {
            agent: Some(store.author().agent),
            ..ReviewFilter::default()
        })
        .unwrap()
        .total;
    assert!(all > 400, "{all}");
    assert!(by_the_office < 20, "{by_the_office} of {all} by the office");
    drop(store);
    drop(demo);
}

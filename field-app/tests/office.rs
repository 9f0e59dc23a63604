//! The office's work on its own device (issue 11), through the store and through the real egui
//! UI (egui_kittest): the review queue, duplicate pairs with evidence, merge and its undo, "not
//! the same person", settling a conflict; the office screens in English and French; an agent's
//! laptop never offers them and its store refuses the decisions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use egui_kittest::kittest::Queryable as _;
use field_app::gui::Screen;
use field_app::gui::i18n::Language;
use field_app::storage::office::ReviewFilter;
use field_app::{LocalStore, StoreError};
use shared::ids::{AgentId, ClientId, CommunityCode};
use shared::time::Timestamp;
use support::office::*;
use support::*;

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

/// The office screens through the real UI: review, merge a pair, mark another not the same,
/// settle a conflict by its label — in English and in French.
fn office_screens_work(language: Language, words: &Words) {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let (conflicted, nowdluk, elisapee) = {
        let (mut store, e1, e2) = office_with_a_duplicate(&profile);
        let a = person(
            &store,
            "Qaqqasiq",
            "Nowdluk",
            (1966, 2, 9),
            "nu.pangnirtung",
        );
        let mut b = person(&store, "Kakasik", "Nowdluk", (1966, 2, 9), "nu.pangnirtung");
        b.provenance.created_at = Timestamp(a.provenance.created_at.0 + 1);
        store.save_all(&[a.clone(), b.clone()]).unwrap();
        let conflicted = store.list(&field_app::ListFilter::default(), 1).unwrap()[0].id;
        make_conflict(&mut store, conflicted);
        (conflicted, (a.id, b.id), (e1, e2))
    };
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    h.state_mut().settings_mut().language = language;
    h.step();
    // Exactly the entry: Home's "Office recovery copy of the key" also holds the word.
    step_until(&mut h, "the Office entry", |h| {
        h.query_by_label(words.office).is_some()
    });
    click(&mut h, words.office);
    wait_screen(&mut h, Screen::Office);
    wait_for(&mut h, words.to_review);
    // The queue is a table: a column's header sorts it (issue 10).
    click(&mut h, words.date_of_birth);
    wait_for(
        &mut h,
        &format!("{} {}", words.date_of_birth, words.ascending),
    );
    click(&mut h, words.mark_all);
    wait_for(&mut h, words.nothing_to_review);

    click(&mut h, words.duplicates_tab);
    wait_for(&mut h, words.pair_of);
    // The two people registered twice are the likeliest pairs: merge one, keep the other apart.
    click(&mut h, words.merge);
    wait_for(&mut h, words.merged);
    click(&mut h, words.not_same);
    wait_for(&mut h, words.marked_not_same);

    click(&mut h, words.conflicts_tab);
    wait_for(&mut h, "867-555-0102");
    click_first(&mut h, words.keep);
    wait_for(&mut h, words.settled);
    wait_for(&mut h, words.no_conflicts);

    click(&mut h, words.due_tab);
    wait_for(&mut h, words.referral_to);

    // Reports (issue 12): every table is drawn as a chart, in words.
    click(&mut h, words.reports_tab);
    wait_for(&mut h, words.week_of);
    for (table, shown) in words.report_tables {
        click(&mut h, table);
        wait_for(&mut h, &format!("{}{table}", words.chart));
        wait_for(&mut h, shown);
    }
    drop(h);

    let store = LocalStore::open(
        &profile,
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    let decided = |(x, y): (ClientId, ClientId)| {
        let (cx, cy) = (
            store.client(x).unwrap().unwrap(),
            store.client(y).unwrap().unwrap(),
        );
        (
            cx.merged_into == Some(y) || cy.merged_into == Some(x),
            cx.not_same_person.contains(&y),
        )
    };
    let (first, second) = (decided(elisapee), decided(nowdluk));
    assert!(
        (first.0 && second.1) || (first.1 && second.0),
        "one pair merged and the other marked apart: {first:?} {second:?}"
    );
    assert!(
        store.review_queue(&ReviewFilter::default()).unwrap().total > 0,
        "the decided records changed, so they are back in the review queue"
    );
    let mut doc = store.document(conflicted).unwrap().unwrap();
    assert!(
        doc.conflicts().is_empty(),
        "the conflict is settled in the store"
    );
}

struct Words {
    office: &'static str,
    to_review: &'static str,
    mark_all: &'static str,
    nothing_to_review: &'static str,
    duplicates_tab: &'static str,
    pair_of: &'static str,
    merge: &'static str,
    merged: &'static str,
    not_same: &'static str,
    marked_not_same: &'static str,
    conflicts_tab: &'static str,
    keep: &'static str,
    settled: &'static str,
    no_conflicts: &'static str,
    due_tab: &'static str,
    referral_to: &'static str,
    date_of_birth: &'static str,
    ascending: &'static str,
    reports_tab: &'static str,
    week_of: &'static str,
    chart: &'static str,
    /// A table's title, and words one of its rows shows.
    report_tables: [(&'static str, &'static str); 3],
}

#[test]
fn office_screens_review_merge_not_same_and_settle_in_english() {
    office_screens_work(
        Language::English,
        &Words {
            office: "Office",
            to_review: "records to review",
            mark_all: "Mark all shown as reviewed",
            nothing_to_review: "Nothing to review",
            duplicates_tab: "Possible duplicates",
            pair_of: "likely the same person",
            merge: "Same person: merge",
            merged: "Merged:",
            not_same: "Not the same person",
            marked_not_same: "Marked as two different people",
            conflicts_tab: "Conflicting edits",
            keep: "Keep this value",
            settled: "Conflict settled",
            no_conflicts: "No conflicting edits.",
            due_tab: "Due in all communities",
            referral_to: "Referral to",
            date_of_birth: "Date of birth",
            ascending: "(ascending)",
            reports_tab: "Reports",
            week_of: "Week of",
            chart: "Chart: ",
            report_tables: [
                ("Languages served", "Inuktitut"),
                ("Referrals", "— Open"),
                ("Interpreters", "interpreter"),
            ],
        },
    );
}

#[test]
fn office_screens_review_merge_not_same_and_settle_in_french() {
    office_screens_work(
        Language::French,
        &Words {
            office: "Bureau",
            to_review: "dossiers à réviser",
            mark_all: "Marquer tous ceux affichés comme révisés",
            nothing_to_review: "Rien à réviser",
            duplicates_tab: "Doublons possibles",
            pair_of: "que ce soit la même personne",
            merge: "Même personne : fusionner",
            merged: "Fusionné :",
            not_same: "Pas la même personne",
            marked_not_same: "Marqués comme deux personnes différentes",
            conflicts_tab: "Modifications en conflit",
            keep: "Garder cette valeur",
            settled: "Conflit réglé",
            no_conflicts: "Aucune modification en conflit.",
            due_tab: "À faire, toutes communautés",
            referral_to: "Orientation vers",
            date_of_birth: "Date de naissance",
            ascending: "(croissant)",
            reports_tab: "Rapports",
            week_of: "Semaine du",
            chart: "Graphique : ",
            report_tables: [
                ("Langues servies", "Inuktitut"),
                ("Aiguillages", "— Ouvert"),
                ("Interprètes", "nterprète"),
            ],
        },
    );
}

#[test]
fn an_agent_laptop_offers_no_office_screen() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    drop(new_profile(&profile));
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    wait_for(&mut h, "Find");
    // The status (which says the role) arrives within frames; watch for a second.
    for _ in 0..200 {
        h.step();
        assert!(
            h.query_by_label("Office").is_none(),
            "agents do not see the office screens"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

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

fn make_conflict(store: &mut LocalStore, id: ClientId) {
    let _ = edited_on_two_laptops(
        store,
        id,
        |c| c.identity.contact.phone = Some("867-555-0102".into()),
        |c| c.identity.contact.phone = Some("867-555-0101".into()),
        0,
    );
}

fn click_first(h: &mut egui_kittest::Harness<'static, field_app::gui::OutreachApp>, label: &str) {
    h.get_all_by_label(label).next().unwrap().click();
    h.step();
    h.step();
}

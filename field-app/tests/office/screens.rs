//! The Office screen through the real UI, by label, in English and French; an agent's laptop
//! has none.

use egui_kittest::kittest::Queryable as _;
use field_app::LocalStore;
use field_app::gui::Screen;
use field_app::gui::i18n::Language;
use field_app::storage::office::ReviewFilter;
use shared::ids::ClientId;
use shared::time::Timestamp;

use crate::support::office::*;
use crate::support::*;
use crate::{click_first, make_conflict};

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

//! Intake through the real egui UI (egui_kittest): a full intake with household, consent and
//! referral; keyboard only; nothing typed is lost (matches panel, unconfirmed sub-forms);
//! household links both ways.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use field_app::gui::Screen;
use field_app::gui::i18n::Language;
use field_app::{ListFilter, LocalStore};
use shared::crypto::Passphrase;
use support::*;

/// A full intake: identity, a 3-person household, consent and a referral. Search finds it by
/// a misspelled name; an edit is saved; the store holds exactly what was entered.
#[test]
fn full_intake_with_household_consent_and_referral_then_find_misspelled_and_edit() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let mut h = harness(&profile, Language::English);
    create_profile(&mut h);
    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);

    type_into(&mut h, "Given name", "Joanasie");
    type_into(&mut h, "Family name", "Akulukjuk");
    type_into(&mut h, "Birth year", "1961");
    type_into(&mut h, "Birth month", "4");
    type_into(&mut h, "Birth day", "9");
    choose(&mut h, "Preferred language", "Inuktitut");

    click(&mut h, "Add household member");
    type_into(&mut h, "Member 1: given name", "Meeka");
    choose(&mut h, "Member 1: relationship", "Spouse or partner");
    click(&mut h, "Add household member");
    type_into(&mut h, "Member 2: given name", "Noah");
    type_into(&mut h, "Member 2: date of birth, or the year", "2012");

    choose(
        &mut h,
        "Consent: partner",
        "Employment and Social Development Canada / Service Canada",
    );
    choose(&mut h, "Consent: purpose", "Processing an application");
    click(&mut h, "Record consent given");
    wait_for(&mut h, "consent given");

    choose(&mut h, "Refer to", "Nunavut Department of Health");
    type_into(&mut h, "Reason for referral", "hearing test");
    click(&mut h, "Add referral");
    wait_for(&mut h, "hearing test");

    click(&mut h, "Save");
    wait_screen(&mut h, Screen::Detail);
    wait_for(&mut h, "Joanasie Akulukjuk");
    assert!(h.query_by_label_contains("Meeka Akulukjuk").is_some());
    assert!(h.query_by_label_contains("Noah Akulukjuk").is_some());

    // Find it by a misspelled name.
    click(&mut h, "Find");
    wait_screen(&mut h, Screen::Find);
    type_into(&mut h, "Search names or date of birth", "Joanasi Akulukjak");
    step_until(&mut h, "the search result", |h| {
        h.query_by_label_contains("Joanasie Akulukjuk  ·  1961-04-09")
            .is_some()
    });
    h.get_by_label_contains("Joanasie Akulukjuk  ·  1961-04-09")
        .click();
    wait_screen(&mut h, Screen::Detail);

    // Edit: a preferred name.
    click(&mut h, "Edit");
    wait_screen(&mut h, Screen::Intake);
    assert!(h.query_by_label("Edit record").is_some());
    type_into(&mut h, "Preferred name", "Jo");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_screen(&mut h, Screen::Detail);
    click(&mut h, "Lock");
    wait_screen(&mut h, Screen::Unlock);
    drop(h);

    // Nothing typed into the form is readable in any file the app left (database, WAL, keyfile).
    // (The worker may still be closing the database: a WAL file that vanishes is skipped.)
    let findings =
        test_support::plaintext_findings(&profile, &["Akulukjuk", "hearing test", "Joanasie"]);
    assert!(findings.is_empty(), "readable at rest: {findings:?}");
    let store = LocalStore::open(&profile, &Passphrase::new(PASSPHRASE.into())).unwrap();
    let all = store.list(&ListFilter::default(), 100).unwrap();
    assert_eq!(all.len(), 3, "the client and two household members");
    let main = all.iter().find(|s| s.given_name == "Joanasie").unwrap();
    let client = store.client(main.id).unwrap().unwrap();
    assert_eq!(client.identity.preferred_name.as_deref(), Some("Jo"));
    assert_eq!(client.household.len(), 2);
    assert_eq!(client.consent.len(), 1);
    assert_eq!(client.referrals.len(), 1);
    assert_eq!(client.referrals[0].reason, "hearing test");
    assert_eq!(
        client.languages.preferred.as_ref().map(|l| l.as_str()),
        Some("iu")
    );
    for link in &client.household {
        let member = store.client(link.member).unwrap().unwrap();
        assert_eq!(member.household[0].member, client.id, "links go both ways");
    }
}

/// Keyboard only: Ctrl+N, type, Tab to the next field, Ctrl+S.
#[test]
fn keyboard_only_intake() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::English);
    create_profile(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    wait_screen(&mut h, Screen::Intake);
    h.step();
    assert!(h.get_by_label("Given name").is_focused());
    h.get_by_label("Given name").type_text("Mary");
    h.step();
    h.key_press(Key::Tab);
    h.step();
    assert!(h.get_by_label("Family name").is_focused());
    h.get_by_label("Family name").type_text("Spence");
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_screen(&mut h, Screen::Detail);
    wait_for(&mut h, "Mary Spence");
    // Ctrl+L locks at once and hides the record.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    wait_screen(&mut h, Screen::Unlock);
    assert!(h.query_by_label_contains("Mary Spence").is_none());
    unlock(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    wait_screen(&mut h, Screen::Find);
    wait_for(&mut h, "Mary Spence");
}

/// A referral filled in but not confirmed with "Add referral" is not silently dropped on Save:
/// the save stops and says which section; after Add, the save goes through with it.
#[test]
fn a_half_filled_referral_stops_the_save_until_it_is_added() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let mut h = harness(&profile, Language::English);
    create_profile(&mut h);
    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);
    type_into(&mut h, "Given name", "Lucy");
    type_into(&mut h, "Family name", "Tootoo");
    choose(&mut h, "Refer to", "Nunavut Department of Health");
    type_into(&mut h, "Reason for referral", "eye exam");
    click(&mut h, "Save");
    wait_for(&mut h, "Not saved: Referrals filled in but not added");
    assert_eq!(h.state().screen(), Some(Screen::Intake));

    click(&mut h, "Add referral");
    click(&mut h, "Save");
    wait_screen(&mut h, Screen::Detail);
    drop(h);
    let store = LocalStore::open(&profile, &Passphrase::new(PASSPHRASE.into())).unwrap();
    let all = store.list(&ListFilter::default(), 10).unwrap();
    assert_eq!(all.len(), 1);
    let client = store.client(all[0].id).unwrap().unwrap();
    assert_eq!(client.referrals.len(), 1);
    assert_eq!(client.referrals[0].reason, "eye exam");
}

/// The "possible existing client" panel appears at the third letter of a name that matches:
/// not one keystroke is lost, the field keeps the focus, and Tab still goes to the next field
/// (the panel is laid out below the identity block, so nothing above the field moves).
#[test]
fn typing_a_matching_name_loses_no_keystroke_and_keeps_the_focus() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::English);
    create_profile(&mut h);
    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);
    type_into(&mut h, "Given name", "Annie");
    type_into(&mut h, "Family name", "Kilabuk");
    click(&mut h, "Save");
    wait_screen(&mut h, Screen::Detail);

    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    wait_screen(&mut h, Screen::Intake);
    h.step();
    assert!(h.get_by_label("Given name").is_focused());
    for letter in ["A", "n", "n", "i", "e"] {
        // Typed as a person types: into whatever has the focus, with frames in between so the
        // worker's matches arrive mid-word.
        h.event(egui::Event::Text(letter.into()));
        for _ in 0..10 {
            h.step();
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    wait_for(&mut h, "Possible existing client");
    let given = h.get_by_label("Given name");
    assert_eq!(given.accesskit_node().value().as_deref(), Some("Annie"));
    assert!(
        given.is_focused(),
        "the field lost the focus when the panel appeared"
    );
    h.key_press(Key::Tab);
    h.step();
    assert!(h.get_by_label("Family name").is_focused());
}

/// A household member who already has a record is linked, not re-entered; both records get
/// their half of the link in one save.
#[test]
fn existing_client_is_linked_into_a_household_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let mut h = harness(&profile, Language::English);
    create_profile(&mut h);
    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);
    type_into(&mut h, "Given name", "Rosie");
    type_into(&mut h, "Family name", "Flett");
    click(&mut h, "Save");
    wait_screen(&mut h, Screen::Detail);

    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);
    type_into(&mut h, "Given name", "Samuel");
    type_into(&mut h, "Family name", "Flett");
    choose(&mut h, "Linked client is the client's", "Parent");
    type_into(&mut h, "Link an existing client: search", "rosie");
    step_until(&mut h, "the link candidate", |h| {
        h.query_all_by_label_contains("Link Rosie Flett")
            .next()
            .is_some()
    });
    h.get_by_label_contains("Link Rosie Flett").click();
    h.step();
    h.step();
    click(&mut h, "Save");
    wait_screen(&mut h, Screen::Detail);
    wait_for(&mut h, "Rosie Flett");
    click(&mut h, "Lock");
    wait_screen(&mut h, Screen::Unlock);
    drop(h);

    let store = LocalStore::open(&profile, &Passphrase::new(PASSPHRASE.into())).unwrap();
    let all = store.list(&ListFilter::default(), 10).unwrap();
    assert_eq!(all.len(), 2, "no duplicate record for the linked member");
    let samuel = all.iter().find(|s| s.given_name == "Samuel").unwrap();
    let rosie = all.iter().find(|s| s.given_name == "Rosie").unwrap();
    let samuel = store.client(samuel.id).unwrap().unwrap();
    let rosie = store.client(rosie.id).unwrap().unwrap();
    assert_eq!(samuel.household.len(), 1);
    assert_eq!(samuel.household[0].member, rosie.id);
    assert_eq!(
        samuel.household[0].relationship,
        shared::model::Relationship::Parent
    );
    assert_eq!(rosie.household.len(), 1);
    assert_eq!(rosie.household[0].member, samuel.id);
    assert_eq!(
        rosie.household[0].relationship,
        shared::model::Relationship::Child
    );
}

/// "New baby" proposes the baby's own programs (birth registration, SIN, health card, status
/// card) on a household member for the baby, with a full date of birth, and the benefit the
/// parent applies for (Canada Child Benefit) on the parent.
#[test]
fn a_new_baby_bundle_gives_the_baby_its_programs_and_the_parent_the_benefit() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let mut h = harness(&profile, Language::English);
    create_profile(&mut h);
    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);
    type_into(&mut h, "Given name", "Leah");
    type_into(&mut h, "Family name", "Qaqqasiq");
    choose(&mut h, "Life event", "New baby");
    wait_for(&mut h, "Programs for this member: Birth registration");
    type_into(&mut h, "Member 1: given name", "Tuuli");
    type_into(&mut h, "Member 1: date of birth, or the year", "3 Nov 2026");
    wait_for(&mut h, "= 3 November 2026");
    click(&mut h, "Save");
    wait_screen(&mut h, Screen::Detail);
    drop(h);

    let store = LocalStore::open(&profile, &Passphrase::new(PASSPHRASE.into())).unwrap();
    let all = store.list(&field_app::ListFilter::default(), 10).unwrap();
    let programs_of = |given: &str| -> (Vec<String>, Option<shared::model::DateOfBirth>) {
        let id = all.iter().find(|s| s.given_name == given).unwrap().id;
        let client = store.client(id).unwrap().unwrap();
        let mut codes: Vec<String> = client
            .programs
            .iter()
            .map(|p| p.program.as_str().to_owned())
            .collect();
        codes.sort();
        (codes, client.identity.date_of_birth)
    };
    let (parent, _) = programs_of("Leah");
    assert_eq!(parent, vec!["ca.ccb"], "the parent applies for the benefit");
    let (baby, born) = programs_of("Tuuli");
    assert_eq!(
        baby,
        vec![
            "ca.sin",
            "ca.status-card",
            "nu.birth-registration",
            "nu.health-card"
        ]
    );
    let born = born.unwrap();
    assert_eq!((born.year, born.month, born.day), (2026, Some(11), Some(3)));
}

/// Dates are read as people type them, and the form says which date it understood; a date
/// that reads two ways asks, a referral to a partner with no consent on file warns.
#[test]
fn typed_dates_say_what_they_mean_and_a_referral_without_consent_warns() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::English);
    create_profile(&mut h);
    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);
    // (An option scrolled out of the open list cannot be clicked: take one near the top.)
    choose(&mut h, "Refer to", "Indigenous Services Canada");
    wait_for(&mut h, "No consent on file for this partner");
    type_into(&mut h, "Follow-up due", "15/12/2026");
    wait_for(&mut h, "= 15 December 2026");
    h.get_by_label("Follow-up due").focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("Follow-up due").type_text("05/06/2026");
    h.step();
    wait_for(&mut h, "This could be 5 June 2026 or 6 May 2026");
    assert!(
        h.query_by_label_contains("Add follow-up")
            .is_some_and(|b| b.accesskit_node().is_disabled()),
        "an ambiguous date cannot be added"
    );
}

/// Tab walks the whole intake form field by field, in the order of the form, and never jumps to
/// the navigation (the menu is reached only after the form's last control, as the wrap-around).
#[test]
fn tab_order_walks_the_whole_form_without_leaving_it() {
    use egui_kittest::kittest::By;
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::English);
    create_profile(&mut h);
    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);
    h.get_by_label("Given name").focus();
    h.step();
    let navigation = [
        "Home",
        "New intake",
        "Find",
        "Sync",
        "Settings",
        "Lock",
        "Dismiss",
    ];
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..40 {
        h.key_press(Key::Tab);
        h.step();
        let focused: Vec<String> = h
            .query_all(By::new().predicate(|node| node.is_focused()))
            .filter_map(|n| n.accesskit_node().label())
            .collect();
        let Some(label) = focused.into_iter().next() else {
            continue;
        };
        assert!(
            !navigation.contains(&label.as_str()),
            "Tab left the form for {label:?} after {seen:?}"
        );
        seen.push(label);
    }
    for expected in ["Family name", "Preferred name", "Birth year", "Phone"] {
        assert!(
            seen.iter().any(|l| l == expected),
            "{expected} was never reached: {seen:?}"
        );
    }
    let family = seen.iter().position(|l| l == "Family name").unwrap();
    let phone = seen.iter().position(|l| l == "Phone").unwrap();
    assert!(family < phone, "in the order of the form: {seen:?}");
}

/// Escape closes a list and the focus stays on its field: the next Tab goes on through the
/// form, not back to the top menu.
#[test]
fn escape_from_a_list_keeps_the_focus_in_the_form() {
    use egui_kittest::kittest::By;
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::English);
    create_profile(&mut h);
    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);
    h.get_by_label("Sex or gender").click();
    h.step();
    h.step();
    assert!(h.query_by_label("Two-Spirit").is_some(), "the list is open");
    h.key_press(Key::Escape);
    h.step();
    h.step();
    assert!(h.query_by_label("Two-Spirit").is_none(), "the list closed");
    h.key_press(Key::Tab);
    h.step();
    let focused: Vec<String> = h
        .query_all(By::new().predicate(|node| node.is_focused()))
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    assert_eq!(
        focused.first().map(String::as_str),
        Some("Community"),
        "{focused:?}"
    );
}

/// A long list (the catalogue's 142 communities) narrows as the agent types while it is open,
/// by the start of any word, accents and apostrophes aside; Enter takes the first option left.
#[test]
fn a_long_list_narrows_as_the_agent_types_and_enter_chooses() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::English);
    create_profile(&mut h);
    click(&mut h, "New intake");
    wait_screen(&mut h, Screen::Intake);
    h.get_by_label("Community").click();
    h.step();
    h.step();
    assert!(h.query_by_label("Arctic Bay").is_some(), "the list is open");
    for letter in ["c", "h", "u", "r"] {
        h.event(egui::Event::Text(letter.into()));
        h.step();
    }
    h.step();
    assert!(
        h.query_by_label("Arctic Bay").is_none(),
        "the list narrowed"
    );
    assert!(h.query_by_label("Churchill").is_some());
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert!(h.query_by_label("Churchill").is_none(), "the list closed");
    assert_eq!(
        h.get_by_label("Community").value().as_deref(),
        Some("Churchill")
    );
    // Opened again from the keyboard, the list is whole (what was typed went with it), and
    // Enter chooses though the combo, which has the focus, takes Enter as a click.
    h.get_by_label("Community").focus();
    h.step();
    h.key_press(Key::Space);
    h.step();
    h.step();
    assert!(h.query_by_label("Arctic Bay").is_some());
    for letter in ["a", "r", "v"] {
        h.event(egui::Event::Text(letter.into()));
        h.step();
    }
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert!(h.query_by_label("Arctic Bay").is_none(), "the list closed");
    assert_eq!(
        h.get_by_label("Community").value().as_deref(),
        Some("Arviat")
    );
    // Two words: the space is typed into the list, not a click on the focused combo.
    h.key_press(Key::Space);
    h.step();
    h.step();
    for text in ["f", "o", "r", "t"] {
        h.event(egui::Event::Text(text.into()));
        h.step();
    }
    h.key_press(Key::Space);
    h.event(egui::Event::Text(" ".into()));
    h.step();
    for text in ["s", "m"] {
        h.event(egui::Event::Text(text.into()));
        h.step();
    }
    assert!(
        h.query_by_label("Fort Simpson").is_none(),
        "the list narrowed to two words"
    );
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert_eq!(
        h.get_by_label("Community").value().as_deref(),
        Some("Fort Smith")
    );
}

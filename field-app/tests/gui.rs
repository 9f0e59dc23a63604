//! The field app's flows, driven through the real egui UI by accessible labels (egui_kittest),
//! with the real worker thread, the real encrypted store and, for sync, a real node in-process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use field_app::gui::i18n::{I18n, Language};
use field_app::gui::worker::ProfileConfig;
use field_app::gui::{OutreachApp, Screen, UiSettings};
use field_app::{ListFilter, LocalStore};
use shared::crypto::{KdfParams, Passphrase};

const PASSPHRASE: &str = "tundra lichen kayak harbour";

fn app(dir: &Path, settings: UiSettings) -> OutreachApp {
    OutreachApp::new(
        ProfileConfig {
            dir: dir.to_path_buf(),
            kdf: KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
            settings_file: None,
        },
        settings,
        Arc::new(|| {}),
    )
    .unwrap()
}

fn in_language(language: Language) -> UiSettings {
    UiSettings {
        language,
        ..UiSettings::default()
    }
}

/// A tall window, so every field of the long intake form is laid out at once.
fn harness(dir: &Path, language: Language) -> Harness<'static, OutreachApp> {
    Harness::builder()
        .with_size([1366.0, 3200.0])
        .build_ui_state(
            |ui, app: &mut OutreachApp| app.show(ui),
            app(dir, in_language(language)),
        )
}

/// Steps the UI (the worker answers on its own thread) until `done` holds.
fn step_until(
    h: &mut Harness<'static, OutreachApp>,
    what: &str,
    done: impl Fn(&Harness<'static, OutreachApp>) -> bool,
) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        h.step();
        if done(h) {
            h.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("timed out waiting for {what}");
}

fn wait_for(h: &mut Harness<'static, OutreachApp>, label: &str) {
    step_until(h, label, |h| {
        h.query_all_by_label_contains(label).next().is_some()
    });
}

fn wait_screen(h: &mut Harness<'static, OutreachApp>, screen: Screen) {
    step_until(h, &format!("{screen:?}"), |h| {
        h.state().screen() == Some(screen) && !h.state().is_waiting()
    });
}

fn type_into(h: &mut Harness<'static, OutreachApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
}

fn click(h: &mut Harness<'static, OutreachApp>, label: &str) {
    h.get_by_label(label).click();
    h.step();
    h.step();
}

/// Opens a combo box by its label and picks the option shown as `option`.
fn choose(h: &mut Harness<'static, OutreachApp>, combo: &str, option: &str) {
    h.get_by_label(combo).click();
    h.step();
    h.step();
    h.get_all_by_label(option).last().unwrap().click();
    h.step();
    h.step();
}

fn create_profile(h: &mut Harness<'static, OutreachApp>) {
    wait_screen(h, Screen::Setup);
    type_into(h, "Passphrase", PASSPHRASE);
    type_into(h, "Passphrase again", PASSPHRASE);
    click(h, "Create profile");
    wait_screen(h, Screen::Home);
}

fn unlock(h: &mut Harness<'static, OutreachApp>) {
    wait_screen(h, Screen::Unlock);
    type_into(h, "Passphrase", PASSPHRASE);
    click(h, "Unlock");
    wait_screen(h, Screen::Home);
}

#[test]
fn create_profile_lock_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let mut h = harness(&profile, Language::English);
    create_profile(&mut h);
    assert!(h.query_by_label("Intakes today").is_some());
    click(&mut h, "Lock");
    wait_screen(&mut h, Screen::Unlock);
    assert!(h.query_by_label("Intakes today").is_none());
    // A wrong passphrase is refused and changes nothing.
    type_into(&mut h, "Passphrase", "not the passphrase at all");
    click(&mut h, "Unlock");
    wait_for(&mut h, "That passphrase is not right");
    unlock(&mut h);
}

#[test]
fn weak_passphrase_cannot_create_a_profile() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::English);
    wait_screen(&mut h, Screen::Setup);
    type_into(&mut h, "Passphrase", "password123");
    type_into(&mut h, "Passphrase again", "password123");
    h.get_by_label("Create profile").click();
    for _ in 0..20 {
        h.step();
    }
    assert_eq!(h.state().screen(), Some(Screen::Setup));
    assert!(!dir.path().join("p").join("keyfile.json").exists());
}

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
    type_into(&mut h, "Member 2: birth year", "2012");

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

/// Names entered in syllabics are found by syllabics and by their roman transliteration.
#[test]
fn syllabics_name_entered_and_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::Inuktitut);
    create_profile_in(&mut h, Language::Inuktitut);
    h.state_mut().go(Screen::Intake);
    wait_screen(&mut h, Screen::Intake);
    type_into(&mut h, "ᐊᑎᖓ", "ᔪᐊᓇᓯ");
    type_into(&mut h, "ᐃᓚᒌᑦ ᐊᑎᖓ", "ᑭᓚᐳᒃ");
    click(&mut h, "ᓴᐳᔾᔨᓗᒍ");
    wait_screen(&mut h, Screen::Detail);
    h.state_mut().go(Screen::Find);
    wait_screen(&mut h, Screen::Find);
    type_into(&mut h, "ᕿᓂᕐᓗᒍ ᐊᑎᖓ ᐅᕝᕙᓘᓐᓃᑦ ᐃᓅᕝᕕᐊ ᐅᓪᓗᖓ", "kilabuk");
    step_until(&mut h, "the syllabics record", |h| {
        h.query_by_label_contains("ᔪᐊᓇᓯ ᑭᓚᐳᒃ").is_some()
    });
}

/// Creates the profile on a setup screen shown in `language`.
fn create_profile_in(h: &mut Harness<'static, OutreachApp>, language: Language) {
    let i18n = I18n::new(language).unwrap();
    wait_screen(h, Screen::Setup);
    type_into(h, &i18n.t("setup-passphrase"), PASSPHRASE);
    type_into(h, &i18n.t("setup-confirm"), PASSPHRASE);
    click(h, &i18n.t("setup-create"));
    wait_screen(h, Screen::Home);
}

/// Every main screen renders in each language with no missing glyph (egui_kittest fails the
/// test on a glyph no font has), and the language's own words are on screen.
#[test]
fn every_language_renders_every_screen_without_missing_glyphs() {
    for (language, home_word) in [
        (Language::French, "Accueil"),
        (Language::Inuktitut, "ᐊᖏᕐᕋ"),
        (Language::Cree, "ᐐᑭᐏᐣ"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(&dir.path().join("p"), language);
        create_profile_in(&mut h, language);
        assert!(h.query_by_label(home_word).is_some(), "{language:?}");
        for screen in [
            Screen::Intake,
            Screen::Find,
            Screen::Sync,
            Screen::Settings,
            Screen::Home,
        ] {
            h.state_mut().go(screen);
            wait_screen(&mut h, screen);
        }
        if language.awaiting_review() {
            assert!(
                h.query_by_label_contains("awaits community review")
                    .is_some()
            );
        }
    }
}

/// Switching the language at runtime in Settings changes the UI at once.
#[test]
fn language_switches_at_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::English);
    create_profile(&mut h);
    click(&mut h, "Settings");
    choose(&mut h, "Language", "Français");
    wait_for(&mut h, "Paramètres");
    assert!(h.query_by_label("Accueil").is_some());
    assert_eq!(h.state().settings().language, Language::French);
    // On to the syllabic languages, from the settings screen in the language now shown; each
    // switch renders the screens with the bundled syllabics font (a missing glyph fails here).
    for (language, home_word) in [(Language::Inuktitut, "ᐊᖏᕐᕋ"), (Language::Cree, "ᐐᑭᐏᐣ")]
    {
        let shown = I18n::new(h.state().settings().language).unwrap();
        choose(&mut h, &shown.t("settings-language"), language.endonym());
        wait_for(&mut h, home_word);
        assert_eq!(h.state().settings().language, language);
        for screen in [Screen::Find, Screen::Intake, Screen::Settings] {
            h.state_mut().go(screen);
            wait_screen(&mut h, screen);
        }
    }
}

/// A sync against a real node (in this process, over TLS on loopback) shows progress and ends
/// in "Synced."; the node then holds every record.
#[test]
fn sync_with_a_real_node_shows_progress_and_ends_synced() {
    use node::embedded::EmbeddedNode;
    use shared::protocol::enroll::Role;

    let dir = tempfile::tempdir().unwrap();
    let passphrase = Passphrase::new(PASSPHRASE.into());
    let node = EmbeddedNode::start(
        &dir.path().join("node"),
        &passphrase,
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    )
    .unwrap();
    let profile = dir.path().join("profile");
    {
        let mut store = LocalStore::create(
            &profile,
            &passphrase,
            KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
            None,
        )
        .unwrap();
        store
            .import_lines(&field_app::fixtures::intake_lines(300, 3, "nu.iqaluit"))
            .unwrap();
        let code = node
            .enrollment_code(Role::Agent, &["nu.iqaluit"], 1)
            .unwrap();
        field_app::sync::enroll(&mut store, &code.to_text(), None, Duration::from_secs(30))
            .unwrap();
    }
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    click(&mut h, "Sync");
    wait_screen(&mut h, Screen::Sync);
    assert!(h.query_by_label_contains("changes (").is_some());
    // The button is enabled once the worker has reported the enrolled node.
    wait_for(&mut h, "Linked to https://127.0.0.1:");
    click(&mut h, "Sync now");
    let mut saw_progress = false;
    let started = Instant::now();
    while h.query_by_label("Synced.").is_none() {
        let failed = h
            .query_by_label_contains("The sync did not finish")
            .is_some();
        if failed || started.elapsed() > Duration::from_secs(60) {
            let shown: Vec<String> = h
                .query_all_by(|node| node.label().is_some())
                .filter_map(|node| node.accesskit_node().label())
                .collect();
            panic!("sync did not end in \"Synced.\"; on screen: {shown:?}");
        }
        saw_progress |= h.query_by_label_contains(" received — ").is_some();
        h.step();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(saw_progress, "a progress bar with bytes was shown");
    assert!(h.query_by_label_contains("Sent 300 changes").is_some());
    assert_eq!(node.store().stats().unwrap().documents, 300);
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

/// At 150% text size on a 1366×768 screen the navigation and the Save button stay on screen,
/// and every screen still lays out (no unnamed input, no missing glyph).
#[test]
fn usable_at_150_percent_on_1366_by_768() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        &dir.path().join("p"),
        UiSettings {
            text_scale: 1.5,
            ..UiSettings::default()
        },
    );
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        .build_ui_state(|ui, app: &mut OutreachApp| app.show(ui), app);
    create_profile(&mut h);
    for screen in [
        Screen::Intake,
        Screen::Find,
        Screen::Sync,
        Screen::Settings,
        Screen::Home,
    ] {
        h.state_mut().go(screen);
        wait_screen(&mut h, screen);
        let visible = h.ctx.content_rect();
        for label in ["Home", "New intake", "Find", "Sync", "Settings", "Lock"] {
            // The navigation is drawn first; a screen's own heading may repeat its name.
            let rect = h.get_all_by_label(label).next().unwrap().rect();
            assert!(
                visible.contains_rect(rect),
                "{label} off screen on {screen:?}"
            );
        }
    }
    h.state_mut().go(Screen::Intake);
    wait_screen(&mut h, Screen::Intake);
    assert!(
        h.ctx
            .content_rect()
            .contains_rect(h.get_by_label("Save").rect())
    );
    assert!((h.ctx.zoom_factor() - 1.5).abs() < f32::EPSILON);
}

/// The same field edited on two laptops is marked in the find list and on the record, with both
/// values shown, never silently dropped.
#[test]
fn conflicting_edits_are_marked_in_find_and_detail() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    {
        let passphrase = Passphrase::new(PASSPHRASE.into());
        let mut store = LocalStore::create(
            &profile,
            &passphrase,
            KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
            None,
        )
        .unwrap();
        store
            .import_lines(&field_app::fixtures::intake_lines(1, 11, "nu.arviat"))
            .unwrap();
        let id = store.list(&ListFilter::default(), 1).unwrap()[0].id;
        // Another laptop edits the family name from the same starting point...
        let other = shared::Author {
            agent: shared::ids::AgentId::random(),
            device: shared::ids::DeviceId::random(),
        };
        let mut fork = store.document(id).unwrap().unwrap().fork(other.device);
        let mut theirs = store.client(id).unwrap().unwrap();
        theirs.identity.family_name = "Arnakaq-Theirs".into();
        let change = fork
            .write(&theirs, other, shared::time::Timestamp::now())
            .unwrap()
            .unwrap();
        // ...while this one edits it too, then receives theirs.
        let mut ours = store.client(id).unwrap().unwrap();
        ours.identity.family_name = "Arnakaq-Ours".into();
        store.save(&ours).unwrap();
        store
            .apply_pulled(
                vec![shared::protocol::BatchChange {
                    client: id,
                    epoch: 0,
                    change: change.bytes,
                }],
                1,
            )
            .unwrap();
    }
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    click(&mut h, "Find");
    wait_screen(&mut h, Screen::Find);
    wait_for(&mut h, "(!) conflicting edits");
    h.get_by_label_contains("(!) conflicting edits").click();
    wait_screen(&mut h, Screen::Detail);
    wait_for(&mut h, "1 field was changed on two laptops at once");
    wait_for(&mut h, "identity.family_name");
    let both = [
        "Arnakaq-Ours | Arnakaq-Theirs",
        "Arnakaq-Theirs | Arnakaq-Ours",
    ]
    .iter()
    .any(|values| {
        h.query_by_label_contains(&format!("(!) identity.family_name: {values}"))
            .is_some()
    });
    assert!(both, "the marker shows both values");
}

/// Left idle for the configured minutes, the app locks itself and shows no client data;
/// activity keeps it open. (The harness clock advances half a second per frame; a longer step
/// would turn every click into a long press.)
#[test]
fn idle_lock_after_the_configured_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        &dir.path().join("p"),
        UiSettings {
            idle_lock_minutes: 0,
            ..UiSettings::default()
        },
    );
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_step_dt(0.5)
        .build_ui_state(|ui, app: &mut OutreachApp| app.show(ui), app);
    create_profile(&mut h);
    // Waiting for the worker took frames (simulated seconds); the limit starts now.
    h.state_mut().settings_mut().idle_lock_minutes = 1;
    let activity = || egui::Event::PointerMoved(egui::pos2(400.0, 400.0));
    h.event(activity());
    h.step();
    for _ in 0..100 {
        h.step();
    }
    assert_eq!(h.state().screen(), Some(Screen::Home), "locked too early");
    h.event(activity());
    h.step();
    for _ in 0..100 {
        h.step();
    }
    assert_eq!(
        h.state().screen(),
        Some(Screen::Home),
        "activity did not keep it open"
    );
    for _ in 0..30 {
        h.step();
    }
    assert_eq!(h.state().screen(), Some(Screen::Unlock));
    assert!(h.query_by_label("Records on this laptop").is_none());
}

//! The field app's flows, driven through the real egui UI by accessible labels (egui_kittest),
//! with the real worker thread, the real encrypted store and, for sync, a real node in-process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use field_app::gui::i18n::{I18n, Language};
use field_app::gui::{OutreachApp, Screen, UiSettings};
use field_app::{ListFilter, LocalStore};
use shared::crypto::Passphrase;
use support::*;

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
    choose(&mut h, "Language", "Français · French");
    wait_for(&mut h, "Paramètres");
    assert!(h.query_by_label("Accueil").is_some());
    assert_eq!(h.state().settings().language, Language::French);
    // On to the syllabic languages, from the settings screen in the language now shown; each
    // switch renders the screens with the bundled syllabics font (a missing glyph fails here).
    for (language, home_word) in [(Language::Inuktitut, "ᐊᖏᕐᕋ"), (Language::Cree, "ᐐᑭᐏᐣ")]
    {
        let shown = I18n::new(h.state().settings().language).unwrap();
        choose(
            &mut h,
            &shown.t("settings-language"),
            &language.picker_name(),
        );
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
    let dir = tempfile::tempdir().unwrap();
    let (node, profile) = profile_enrolled_with_a_node(
        dir.path(),
        &field_app::fixtures::intake_lines(300, 3, "nu.iqaluit"),
        &["nu.iqaluit"],
    );
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    click(&mut h, "Sync");
    wait_screen(&mut h, Screen::Sync);
    // The worker's status arrives a few frames after the screen: then the count shows.
    wait_for(&mut h, "300 changes (");
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

    // Only part of the form fits: the section list brings the Notes section into view.
    let notes = || "New note";
    assert!(!visible_now(&h, notes()), "Notes start below the fold");
    h.get_all_by_label("Notes").next().unwrap().click();
    for _ in 0..6 {
        h.step();
    }
    assert!(
        visible_now(&h, notes()),
        "the section list scrolled to Notes"
    );
}

fn visible_now(h: &Harness<'static, OutreachApp>, label: &str) -> bool {
    h.query_by_label(label)
        .is_some_and(|node| h.ctx.content_rect().contains_rect(node.rect()))
}

/// The unlock screen says when Caps Lock seems on, and shows the passphrase on request.
#[test]
fn unlock_warns_of_caps_lock_and_can_show_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("p"), Language::English);
    create_profile(&mut h);
    h.state_mut().lock();
    wait_screen(&mut h, Screen::Unlock);
    h.get_by_label("Passphrase").focus();
    h.step();
    for letter in ["T", "U", "N"] {
        h.event(egui::Event::Text(letter.into()));
        h.step();
    }
    wait_for(&mut h, "Caps Lock seems to be on");
    click(&mut h, "Show the passphrase");
    assert_eq!(
        h.get_by_label("Passphrase")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("TUN"),
        "shown as typed"
    );
    h.get_by_label("Passphrase").focus();
    h.step();
    h.event(egui::Event::Text("d".into()));
    h.step();
    h.step();
    assert!(h.query_by_label_contains("Caps Lock").is_none());
}

/// Home offers the next steps: a new intake, the drafts, the follow-ups due.
#[test]
fn home_offers_a_new_intake_and_the_follow_ups_due() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    {
        let mut store = new_profile(&profile);
        store.import_lines(&demo_lines()).unwrap();
    }
    // The demo's follow-ups have fixed dates: count what is due on the day the test runs.
    let due = LocalStore::open(&profile, &Passphrase::new(PASSPHRASE.into()))
        .unwrap()
        .count_follow_ups_due(shared::time::CalendarDate::today_utc())
        .unwrap() as usize;
    assert!(due >= 1, "a demo follow-up is due");
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    wait_for(&mut h, "due: show");
    h.get_by_label_contains("due: show").click();
    wait_screen(&mut h, Screen::Find);
    step_until(&mut h, "the records with a follow-up due", |h| {
        h.query_all_by_label_contains("  ·  ").count() == due
    });
    click(&mut h, "Home");
    click(&mut h, "Start a new intake");
    wait_screen(&mut h, Screen::Intake);
}

/// The same field edited on two laptops is marked in the find list and on the record, with both
/// values shown, never silently dropped.
#[test]
fn conflicting_edits_are_marked_in_find_and_detail() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    {
        let mut store = new_profile(&profile);
        store
            .import_lines(&field_app::fixtures::intake_lines(1, 11, "nu.arviat"))
            .unwrap();
        let id = store.list(&ListFilter::default(), 1).unwrap()[0].id;
        // Another laptop edits the family name from the same starting point, while this one
        // edits it too, then receives theirs.
        let _ = edited_on_two_laptops(
            &mut store,
            id,
            |c| c.identity.family_name = "Arnakaq-Theirs".into(),
            |c| c.identity.family_name = "Arnakaq-Ours".into(),
            1,
        );
    }
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    click(&mut h, "Find");
    wait_screen(&mut h, Screen::Find);
    wait_for(&mut h, "(!) conflicting edits");
    // The row's first cell (its accessible name is the whole row) opens the record.
    h.get_all_by_label_contains("(!) conflicting edits")
        .next()
        .unwrap()
        .click();
    wait_screen(&mut h, Screen::Detail);
    wait_for(&mut h, "1 field was changed on two laptops at once");
    // The field in words, each value with who typed it, where and when; no path, no hex id.
    wait_for(&mut h, "(!) Family name:");
    assert!(
        h.query_by_label_contains("Arnakaq-Ours — entered by you on this laptop")
            .is_some(),
        "our value is ours"
    );
    assert!(
        h.query_by_label_contains("Arnakaq-Theirs — entered by agent 1 on laptop 1")
            .is_some(),
        "theirs names the other agent and laptop"
    );
    assert!(h.query_by_label_contains("identity.family_name").is_none());

    // The edit form marks the field and lists both values.
    click(&mut h, "Edit");
    wait_screen(&mut h, Screen::Intake);
    assert!(
        h.query_by_label_contains("two values were entered here")
            .is_some(),
        "the field is marked in the form"
    );
    assert!(
        h.query_by_label_contains("Arnakaq-Theirs — entered by agent 1")
            .is_some()
    );
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

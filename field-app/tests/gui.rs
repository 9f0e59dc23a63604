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
use shared::crypto::{KdfParams, Passphrase};
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
        let mut store = new_profile(&profile);
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

/// A record the node refused is not "synced": the header says changes are held, the Held
/// filter lists it with the reason in words, the record says why and offers to resend.
#[test]
fn a_refused_record_is_shown_as_held_and_can_be_resent() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    {
        let mut store = new_profile(&profile);
        store
            .import_lines(&field_app::fixtures::intake_lines(2, 5, "nu.arviat"))
            .unwrap();
        refuse_one_change(&mut store, 1);
        assert_eq!(store.held_changes().unwrap().len(), 1);
    }
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    wait_for(&mut h, "1 change held: refused by the node");
    click(&mut h, "Find");
    wait_screen(&mut h, Screen::Find);
    click(&mut h, "Held (refused by the node)");
    step_until(&mut h, "only the held record listed", |h| {
        h.query_all_by_label_contains("  ·  ").count() == 1
    });
    h.get_all_by_label_contains("held: outside this laptop's communities")
        .next()
        .unwrap()
        .click();
    wait_screen(&mut h, Screen::Detail);
    wait_for(
        &mut h,
        "Held on this laptop: outside this laptop's communities",
    );
    click(&mut h, "Resend held changes at the next sync");
    wait_for(&mut h, "1 held change goes out with the next sync.");
    step_until(&mut h, "the header to drop the held count", |h| {
        h.query_by_label_contains("change held").is_none()
    });
    drop(h);
    let store = LocalStore::open(&profile, &Passphrase::new(PASSPHRASE.into())).unwrap();
    assert!(store.held_changes().unwrap().is_empty());
    assert_eq!(store.pending_changes().unwrap(), 1, "back in the outbox");
}

/// No screen shows a raw catalogue code ("nu.pangnirtung", "(application)") or a piece of an
/// id (a UUID fragment): every main screen, every demo record's detail and edit form, in English
/// and French, with a conflict and a held record among them.
#[test]
fn no_screen_shows_a_catalogue_code_or_a_piece_of_an_id() {
    use egui_kittest::kittest::By;
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let passphrase = Passphrase::new(PASSPHRASE.into());
    let mut ids: Vec<String> = Vec::new();
    {
        let mut store = new_profile(&profile);
        store.import_lines(&demo_lines()).unwrap();
        refuse_one_change(&mut store, 2);
        let first = store.list(&ListFilter::default(), 1).unwrap()[0].id;
        let other = shared::Author {
            agent: shared::ids::AgentId::random(),
            device: shared::ids::DeviceId::random(),
        };
        let mut fork = store.document(first).unwrap().unwrap().fork(other.device);
        let mut theirs = store.client(first).unwrap().unwrap();
        theirs.identity.contact.phone = Some("867-555-0102".into());
        let change = fork
            .write(&theirs, other, shared::time::Timestamp::now())
            .unwrap()
            .unwrap();
        let mut ours = store.client(first).unwrap().unwrap();
        ours.identity.contact.phone = Some("867-555-0101".into());
        store.save(&ours).unwrap();
        store
            .apply_pulled(
                vec![shared::protocol::BatchChange {
                    client: first,
                    epoch: 0,
                    change: change.bytes,
                }],
                0,
            )
            .unwrap();
        let me = store.author();
        ids.extend([me.agent.to_string(), me.device.to_string()]);
        ids.extend([other.agent.to_string(), other.device.to_string()]);
        for row in store.list(&ListFilter::default(), 100).unwrap() {
            let client = store.client(row.id).unwrap().unwrap();
            ids.push(client.id.to_string());
            ids.extend(client.referrals.iter().map(|r| r.id.to_string()));
            ids.extend(client.programs.iter().map(|p| p.id.to_string()));
            ids.extend(client.consent.iter().map(|c| c.id.to_string()));
            ids.extend(client.household.iter().map(|l| l.member.to_string()));
        }
    }
    // Pieces of ids a person could notice: 8 hex characters with a letter among them.
    let fragments: Vec<String> = ids
        .iter()
        .flat_map(|id| {
            let hex: Vec<char> = id.chars().filter(char::is_ascii_hexdigit).collect();
            hex.windows(8)
                .map(|w| w.iter().collect::<String>())
                .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
                .collect::<Vec<_>>()
        })
        .collect();
    let catalogue = shared::Catalogue::built_in().unwrap();
    let mut codes: Vec<String> = Vec::new();
    let named = catalogue
        .communities
        .iter()
        .map(|c| c.code.as_str().to_owned())
        .chain(
            catalogue
                .partners
                .iter()
                .map(|p| p.code.as_str().to_owned()),
        )
        .chain(
            catalogue
                .programs
                .iter()
                .map(|p| p.code.as_str().to_owned()),
        )
        .chain(
            catalogue
                .purposes
                .iter()
                .map(|p| p.code.as_str().to_owned()),
        )
        .chain(
            catalogue
                .documents
                .iter()
                .map(|d| d.code.as_str().to_owned()),
        )
        .chain(catalogue.life_events.iter().map(|e| e.code.clone()));
    for code in named {
        // A dotted or hyphenated code is never a word of a sentence; a plain one may be
        // ("application"), so only its bracketed form counts.
        if code.contains('.') || (code.contains('-') && code != "follow-up") {
            codes.push(code.clone());
        }
        codes.push(format!("({code})"));
    }

    assert!(
        fragments.len() > 100 && codes.len() > 40,
        "the scan looks for something"
    );
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    let scan = |h: &Harness<'static, OutreachApp>, place: &str| {
        let mut texts = 0;
        for node in h.query_all(By::new()) {
            let node = node.accesskit_node();
            for text in [node.label(), node.value()].into_iter().flatten() {
                texts += 1;
                for code in &codes {
                    assert!(
                        !text.contains(code.as_str()),
                        "{place}: code {code:?} in {text:?}"
                    );
                }
                for fragment in &fragments {
                    assert!(
                        !text.contains(fragment.as_str()),
                        "{place}: id fragment {fragment:?} in {text:?}"
                    );
                }
            }
        }
        assert!(texts > 20, "{place}: only {texts} texts rendered");
    };
    let records: Vec<shared::ids::ClientId> = {
        let store = LocalStore::open(&profile, &passphrase).unwrap();
        store
            .list(&ListFilter::default(), 100)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect()
    };
    for language in [Language::English, Language::French] {
        h.state_mut().settings_mut().language = language;
        h.step();
        for screen in [Screen::Home, Screen::Find, Screen::Sync, Screen::Settings] {
            h.state_mut().go(screen);
            wait_screen(&mut h, screen);
            scan(&h, &format!("{screen:?} ({language:?})"));
        }
        for id in &records {
            h.state_mut().go(Screen::Find);
            wait_screen(&mut h, Screen::Find);
            h.state_mut().open_record(*id);
            step_until(&mut h, "the record", |h| {
                h.state().screen() == Some(Screen::Detail) && !h.state().is_waiting()
            });
            for _ in 0..3 {
                h.step();
            }
            scan(&h, &format!("detail ({language:?})"));
            h.state_mut().edit_record(*id);
            wait_screen(&mut h, Screen::Intake);
            scan(&h, &format!("edit form ({language:?})"));
        }
    }
}

/// Find lists records as a table; clicking a column's header sorts by it, again reverses it.
#[test]
fn find_sorts_by_the_column_clicked() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    {
        let mut store = new_profile(&profile);
        store
            .import_lines(&field_app::fixtures::intake_lines(12, 3, "nu.arviat"))
            .unwrap();
    }
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    click(&mut h, "Find");
    wait_screen(&mut h, Screen::Find);
    step_until(&mut h, "the rows", |h| {
        h.query_all_by_label_contains("  ·  ").count() == 12
    });
    // Rows top to bottom, by the date of birth each shows (the second cell of its name).
    let births = |h: &Harness<'static, OutreachApp>| -> Vec<String> {
        let mut rows: Vec<(f32, String)> = h
            .query_all_by_label_contains("  ·  ")
            .map(|n| {
                let label = n.accesskit_node().label().unwrap_or_default();
                let birth = label.split("  ·  ").nth(1).unwrap_or_default().to_owned();
                (n.rect().top(), birth.trim_start_matches('~').to_owned())
            })
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows.into_iter().map(|(_, b)| b).collect()
    };
    click(&mut h, "Date of birth");
    let ascending = births(&h);
    let mut sorted = ascending.clone();
    sorted.sort();
    assert_eq!(ascending, sorted, "sorted by date of birth");
    h.get_all_by_label_contains("Date of birth (ascending)")
        .next()
        .unwrap()
        .click();
    h.step();
    h.step();
    let descending = births(&h);
    sorted.reverse();
    assert_eq!(descending, sorted, "again: reversed");
}

/// Printing writes the slip to memory-backed storage under a name that shows nothing of the
/// client (no name, no id), says where, and the slip is gone once the laptop locks.
#[test]
fn a_printed_slip_names_nothing_of_the_client_and_is_gone_at_lock() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    let id = {
        let mut store = new_profile(&profile);
        store.import_lines(&demo_lines()).unwrap();
        store.list(&ListFilter::default(), 1).unwrap()[0].id
    };
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    h.state_mut().open_record(id);
    wait_screen(&mut h, Screen::Detail);
    click(&mut h, "Print slip (PDF)");
    wait_for(&mut h, "Slip written to");
    let node = h.get_by_label_contains("Slip written to").accesskit_node();
    // A text's words are its accessible label or value, depending on the widget.
    let label = node.label().or_else(|| node.value()).unwrap_or_default();
    let path: String = label
        .trim_start_matches("Slip written to ")
        .split(" — ")
        .next()
        .unwrap_or_default()
        .to_owned();
    let hex: String = id
        .to_string()
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect();
    for window in hex.as_bytes().windows(8) {
        let fragment = std::str::from_utf8(window).unwrap();
        assert!(!path.contains(fragment), "{path} shows a piece of the id");
    }
    assert!(std::path::Path::new(&path).exists(), "{path} was written");
    h.state_mut().lock();
    wait_screen(&mut h, Screen::Unlock);
    let started = Instant::now();
    while std::path::Path::new(&path).exists() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} stays after the lock"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A sync in which the node refuses a record (outside the laptop's communities) does not end in
/// "Synced.": it says a change stays held on this laptop and where to see why.
#[test]
fn a_sync_with_refusals_says_what_stays_held_not_synced() {
    use node::embedded::EmbeddedNode;
    use shared::protocol::enroll::Role;

    let dir = tempfile::tempdir().unwrap();
    let node = EmbeddedNode::start(
        &dir.path().join("node"),
        &Passphrase::new(PASSPHRASE.into()),
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    )
    .unwrap();
    let profile = dir.path().join("profile");
    {
        let mut store = new_profile(&profile);
        store
            .import_lines(&field_app::fixtures::intake_lines(3, 4, "nu.iqaluit"))
            .unwrap();
        store
            .import_lines(&field_app::fixtures::intake_lines(1, 5, "nu.arviat"))
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
    wait_for(&mut h, "Linked to https://127.0.0.1:");
    click(&mut h, "Sync now");
    wait_for(&mut h, "Synced, but 1 change stays held on this laptop");
    assert!(h.query_by_label("Synced.").is_none());
    assert!(h.query_by_label_contains("1 refused by the node").is_some());
    assert_eq!(node.store().stats().unwrap().documents, 3);
}

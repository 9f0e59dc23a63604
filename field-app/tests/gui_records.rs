//! Records through the real egui UI (egui_kittest): held (refused) records and a sync that
//! refuses, what a record's screens may show (no catalogue code, no piece of an id), Find's
//! sorting, printing a slip.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use field_app::gui::i18n::Language;
use field_app::gui::{OutreachApp, Screen};
use field_app::{ListFilter, LocalStore};
use shared::crypto::Passphrase;
use support::*;

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
        let other = edited_on_two_laptops(
            &mut store,
            first,
            |c| c.identity.contact.phone = Some("867-555-0102".into()),
            |c| c.identity.contact.phone = Some("867-555-0101".into()),
            0,
        );
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
    let dir = tempfile::tempdir().unwrap();
    let (node, h) = synced_with_one_refusal(dir.path());
    assert!(h.query_by_label("Synced.").is_none());
    assert!(h.query_by_label_contains("1 refused by the node").is_some());
    assert_eq!(node.store().stats().unwrap().documents, 3);
}

/// "Who looked at my file": the record screen prints its access report (this laptop's audit
/// entries about it, in the client's language) to memory-backed storage, and the print itself
/// is an entry of the trail.
#[test]
fn the_access_report_of_a_record_is_printed_and_the_print_is_in_its_trail() {
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
    click(&mut h, "Print who opened this record (PDF)");
    wait_for(&mut h, "Access report written to");
    let node = h
        .get_by_label_contains("Access report written to")
        .accesskit_node();
    let label = node.label().or_else(|| node.value()).unwrap_or_default();
    let path: String = label
        .trim_start_matches("Access report written to ")
        .split(" — ")
        .next()
        .unwrap_or_default()
        .to_owned();
    let pdf = std::fs::read(&path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "{path} is a PDF");
    h.state_mut().lock();
    wait_screen(&mut h, Screen::Unlock);
    drop(h);
    let store = field_app::LocalStore::open(
        &profile,
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    let actions: Vec<_> = store
        .audit_of(id)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&shared::audit::AuditAction::View)
            && actions.contains(&shared::audit::AuditAction::Print),
        "{actions:?}"
    );
}

/// The Sync screen says what stays held (not "nothing waits") and resends it from there.
#[test]
fn the_sync_screen_shows_held_changes_and_resends_them() {
    let dir = tempfile::tempdir().unwrap();
    let (_node, mut h) = synced_with_one_refusal(dir.path());
    wait_for(
        &mut h,
        "1 change is held on this laptop: the node refused it",
    );
    click(&mut h, "Resend held changes at the next sync");
    wait_for(&mut h, "1 held change goes out with the next sync.");
    step_until(&mut h, "the held line to go", |h| {
        h.query_by_label_contains("1 change is held on this laptop")
            .is_none()
    });
}

/// Three records in the laptop's community and one outside it, synced from the Sync screen:
/// the node refuses the one outside, which stays held.
fn synced_with_one_refusal(
    dir: &std::path::Path,
) -> (node::embedded::EmbeddedNode, Harness<'static, OutreachApp>) {
    let mut lines = field_app::fixtures::intake_lines(3, 4, "nu.iqaluit");
    lines.extend(field_app::fixtures::intake_lines(1, 5, "nu.arviat"));
    let (node, profile) = profile_enrolled_with_a_node(dir, &lines, &["nu.iqaluit"]);
    let mut h = harness(&profile, Language::English);
    unlock(&mut h);
    click(&mut h, "Sync");
    wait_screen(&mut h, Screen::Sync);
    // "Sync now" is enabled once the worker's status names the node.
    wait_for(&mut h, "Linked to https://127.0.0.1:");
    click(&mut h, "Sync now");
    wait_for(&mut h, "Synced, but 1 change stays held on this laptop");
    (node, h)
}

//! Intake-form responsiveness at scale (issue 10): with 100,000 records in the profile
//! (`BENCH_RECORDS`), the real app (egui, worker thread, encrypted store) is driven through
//! egui_kittest while a name is typed one key event per frame at ~8 keys a second; the
//! "possible existing client" lookup runs on the worker as in the app, and the draft is kept
//! (encoded each keystroke frame, written after each pause). Prints the keystroke frame (the
//! frame that takes the key: input, the app's `show` with the draft's encoding, layout,
//! tessellation) and every frame, then what one draft write costs on that profile.
//!
//! `CARGO_TARGET_DIR=$HOME/.cache/outreach-bench cargo bench -p field-app --bench intake_frame`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable as _;
use field_app::LocalStore;
use field_app::gui::Screen;
use field_app::storage::{DraftId, StoredDraft};
use shared::crypto::Passphrase;
use shared::time::Timestamp;
use support::*;

const NAMES: [(&str, &str); 3] = [
    ("Given name", "Joanasie"),
    ("Family name", "Kilabuk"),
    ("Preferred name", "Jo"),
];

fn main() {
    let records = records();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    fill(&profile, records);
    let mut h = unlocked_app(&profile, records);

    let mut keystroke_frames = Vec::new();
    let mut frames = Vec::new();
    for _round in 0..5 {
        h.state_mut().go(Screen::Intake);
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
        h.step();
        wait(&mut h, Screen::Intake);
        for (field, text) in NAMES {
            h.get_by_label(field).focus();
            h.step();
            for c in text.chars() {
                let typed = Instant::now();
                h.event(egui::Event::Text(c.to_string()));
                keystroke_frames.push(timed_frame(&mut h));
                while typed.elapsed() < Duration::from_millis(125) {
                    frames.push(timed_frame(&mut h));
                    std::thread::sleep(Duration::from_millis(4));
                }
            }
        }
    }
    frames.extend(&keystroke_frames);
    println!(
        "intake form at {records} records, {} keystrokes (matches lookup and draft kept): keystroke frame median {:.2} ms, p95 {:.2} ms, max {:.2} ms (goal p95 <= 16 ms)",
        keystroke_frames.len(),
        ms(percentile(&keystroke_frames, 0.5)),
        ms(percentile(&keystroke_frames, 0.95)),
        ms(percentile(&keystroke_frames, 1.0)),
    );
    println!(
        "all {} frames while typing: median {:.2} ms, p95 {:.2} ms",
        frames.len(),
        ms(percentile(&frames, 0.5)),
        ms(percentile(&frames, 0.95)),
    );
    drop(h);

    // What the worker pays per draft write (one transaction, synchronous=FULL) on this profile.
    let mut store = LocalStore::open(&profile, &Passphrase::new(PASSPHRASE.into())).unwrap();
    let body = vec![b'x'; 2_048];
    let id = DraftId::random();
    let mut writes = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        store
            .put_draft(&StoredDraft {
                id,
                record: None,
                label: "Joanasie Kilabuk".into(),
                body: zeroize::Zeroizing::new(body.clone()),
                started_at: Timestamp::now(),
                updated_at: Timestamp::now(),
            })
            .unwrap();
        writes.push(started.elapsed());
    }
    println!(
        "draft write (2 KiB form, one durable transaction, on the worker thread): median {:.2} ms, p95 {:.2} ms; debounced to one per pause (0.4 s) or 1.5 s of typing",
        ms(percentile(&writes, 0.5)),
        ms(percentile(&writes, 0.95)),
    );
}

//! The office's reports at scale (issue 12): with 100,000 records in an office profile
//! (`BENCH_RECORDS`), how long the figures take to compute — what the reports need of every
//! live record read (`report_facts`, rows of their own: migration 10) and
//! `shared::report::figures_of` over them — and
//! how long a frame of the Reports tab takes once they are on screen: the real app (egui, worker
//! thread, encrypted store) through egui_kittest; a frame is the egui pass plus tessellation.
//! Prints medians and the worst.
//!
//! `CARGO_TARGET_DIR=$HOME/.cache/outreach-bench cargo bench -p field-app --bench report`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable as _;
use field_app::LocalStore;
use field_app::gui::Screen;
use field_app::storage::sync_state::key;
use shared::crypto::Passphrase;
use shared::report::ReportFilter;
use shared::time::CalendarDate;
use support::*;

fn main() {
    let records = records();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    fill(&profile, records);
    let mut read = Vec::new();
    let mut computed = Vec::new();
    {
        let mut store = LocalStore::open(&profile, &Passphrase::new(PASSPHRASE.into())).unwrap();
        store.set_link(&[(key::ROLE, b"office")]).unwrap();
        for _ in 0..5 {
            let started = Instant::now();
            let facts = store.report_facts().unwrap();
            read.push(started.elapsed());
            let figures = shared::report::figures_of(
                &facts,
                store.catalogue(),
                &ReportFilter::default(),
                CalendarDate::today_utc(),
            );
            computed.push(started.elapsed());
            assert!(!figures.is_empty());
        }
    }
    println!(
        "report over {records} records: facts read in median {:.0} ms, figures computed (read included) in median {:.0} ms, worst {:.0} ms (goal <= 500 ms)",
        ms(percentile(&read, 0.5)),
        ms(percentile(&computed, 0.5)),
        ms(percentile(&computed, 1.0)),
    );

    let mut h = unlocked_app(&profile, records);
    h.state_mut().go(Screen::Office);
    wait(&mut h, Screen::Office);
    let asked = Instant::now();
    h.get_by_label("Reports").click();
    h.step();
    while h.query_by_label_contains("Chart:").is_none() || h.state().is_waiting() {
        assert!(asked.elapsed() < Duration::from_secs(300), "no chart");
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    let on_screen = asked.elapsed();
    let mut frames = Vec::new();
    for table in ["Languages served", "Referrals", "Intakes per week"] {
        if let Some(tab) = h.query_by_label(table) {
            tab.click();
        }
        for _ in 0..30 {
            frames.push(timed_frame(&mut h));
        }
    }
    println!(
        "reports tab: chart on screen {:.0} ms after the click (worker read and computed); then {} frames: median {:.2} ms, p95 {:.2} ms, max {:.2} ms (goal: the chart drawn in 1 frame, <= 16 ms)",
        ms(on_screen),
        frames.len(),
        ms(percentile(&frames, 0.5)),
        ms(percentile(&frames, 0.95)),
        ms(percentile(&frames, 1.0)),
    );
}

//! Find-screen responsiveness at scale: with 100,000 records in the profile (`BENCH_RECORDS`),
//! the real app (egui, worker thread, encrypted store) is driven through egui_kittest while a
//! search is typed one character at a time; every frame's time is recorded: the egui pass (input,
//! the app's `show`, layout) plus tessellation — a frame's CPU work; the GPU upload and draw of
//! a real window are not measured here. Prints median, p95 and max.
//!
//! `CARGO_TARGET_DIR=$HOME/.cache/outreach-bench cargo bench -p field-app --bench find_frame`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable as _;
use field_app::gui::Screen;
use support::*;

const QUERY: &str = "joanasie kilabuk 1961";

fn main() {
    let records = records();
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    fill(&profile, records);
    let mut h = unlocked_app(&profile, records);
    h.state_mut().go(Screen::Find);
    wait(&mut h, Screen::Find);

    // Type the query one character at a time, as a person does (~8 characters a second): each
    // keystroke, then the frames until the next one, all timed.
    let mut frames = Vec::new();
    let mut answered = Vec::new();
    for round in 0..5 {
        h.get_by_label("Search names or date of birth").focus();
        h.step();
        // Clear the field between rounds.
        h.state_mut().search("");
        h.step();
        for c in QUERY.chars() {
            let typed = Instant::now();
            h.get_by_label("Search names or date of birth")
                .type_text(&c.to_string());
            let mut waiting_for_answer = true;
            while typed.elapsed() < Duration::from_millis(125) {
                frames.push(timed_frame(&mut h));
                if waiting_for_answer && !h.state().is_waiting() {
                    answered.push(typed.elapsed());
                    waiting_for_answer = false;
                }
                std::thread::sleep(Duration::from_millis(4));
            }
        }
        let _ = round;
    }
    println!(
        "find screen at {records} records, {} frames while typing \"{QUERY}\" 5 times: median {:.2} ms, p95 {:.2} ms, max {:.2} ms (goal p95 <= 16 ms)",
        frames.len(),
        percentile(&frames, 0.5).as_secs_f64() * 1e3,
        percentile(&frames, 0.95).as_secs_f64() * 1e3,
        percentile(&frames, 1.0).as_secs_f64() * 1e3,
    );
    println!(
        "results on screen after a keystroke: median {:.1} ms, p95 {:.1} ms ({} keystrokes answered within the 125 ms between keys)",
        percentile(&answered, 0.5).as_secs_f64() * 1e3,
        percentile(&answered, 0.95).as_secs_f64() * 1e3,
        answered.len()
    );
}

//! What the GUI benchmarks share: a profile filled with fictional records, the real app over it
//! in a kittest harness, unlocked, and percentiles.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout
)]

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The allocator the app's binary runs with (`field-app/src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use field_app::LocalStore;
use field_app::gui::worker::ProfileConfig;
use field_app::gui::{OutreachApp, Screen, UiSettings};
use shared::crypto::{KdfParams, Passphrase};

pub(crate) const PASSPHRASE: &str = "bench kayak lichen tundra ptarmigan";

/// How many records the profile holds (`BENCH_RECORDS`, default 100,000).
pub(crate) fn records() -> usize {
    std::env::var("BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// A profile with `records` fictional records over four communities.
pub(crate) fn fill(dir: &Path, records: usize) {
    let passphrase = Passphrase::new(PASSPHRASE.into());
    let mut store = LocalStore::create(
        dir,
        &passphrase,
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
        None,
    )
    .unwrap();
    let communities = ["nu.pangnirtung", "nu.iqaluit", "nu.arviat", "mb.churchill"];
    let started = Instant::now();
    for (batch, start) in (0..records).step_by(2_000).enumerate() {
        let count = 2_000.min(records - start);
        let community = communities[batch % communities.len()];
        store
            .import_lines(&field_app::fixtures::intake_lines(
                count,
                batch as u64,
                community,
            ))
            .unwrap();
    }
    println!(
        "filled {records} records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

pub(crate) fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

pub(crate) fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

pub(crate) fn wait(h: &mut Harness<'_, OutreachApp>, screen: Screen) {
    let started = Instant::now();
    while h.state().screen() != Some(screen) || h.state().is_waiting() {
        assert!(started.elapsed() < Duration::from_secs(300), "{screen:?}");
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The real app over `profile`, unlocked, on Home (prints how long the unlock took).
pub(crate) fn unlocked_app(profile: &Path, records: usize) -> Harness<'static, OutreachApp> {
    let app = OutreachApp::new(
        ProfileConfig {
            dir: profile.to_path_buf(),
            kdf: KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
            settings_file: None,
            open_slips: false,
        },
        UiSettings::default(),
        Arc::new(|| {}),
    )
    .unwrap();
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        .build_ui_state(|ui, app: &mut OutreachApp| app.show(ui), app);
    wait(&mut h, Screen::Unlock);
    h.get_by_label("Passphrase").focus();
    h.step();
    h.get_by_label("Passphrase").type_text(PASSPHRASE);
    h.step();
    let unlock_started = Instant::now();
    h.get_by_label("Unlock").click();
    h.step();
    wait(&mut h, Screen::Home);
    println!(
        "unlocked (KDF, key check, index of {records} records) in {:.2} s",
        unlock_started.elapsed().as_secs_f64()
    );
    h
}

/// One frame, timed: the egui pass (input, the app's `show`, layout) plus tessellation.
pub(crate) fn timed_frame(h: &mut Harness<'_, OutreachApp>) -> Duration {
    let frame = Instant::now();
    h.step();
    let output = h.output();
    let primitives = h
        .ctx
        .tessellate(output.shapes.clone(), output.pixels_per_point);
    let took = frame.elapsed();
    std::hint::black_box(primitives);
    took
}

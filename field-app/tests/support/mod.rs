//! What the GUI tests share: the app on a temp profile in a tall kittest window, and steps a
//! person takes (type into a labelled field, click, choose, create or unlock a profile).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test file uses a part

pub(crate) mod office;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use field_app::gui::i18n::Language;
use field_app::gui::worker::ProfileConfig;
use field_app::gui::{OutreachApp, Screen, UiSettings};
use shared::crypto::KdfParams;

pub(crate) const PASSPHRASE: &str = "tundra lichen kayak harbour";

pub(crate) fn app(dir: &Path, settings: UiSettings) -> OutreachApp {
    OutreachApp::new(
        ProfileConfig {
            dir: dir.to_path_buf(),
            kdf: KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
            settings_file: None,
            open_slips: false,
        },
        settings,
        Arc::new(|| {}),
    )
    .unwrap()
}

pub(crate) fn in_language(language: Language) -> UiSettings {
    UiSettings {
        language,
        ..UiSettings::default()
    }
}

/// A tall window, so every field of the long intake form is laid out at once.
pub(crate) fn harness(dir: &Path, language: Language) -> Harness<'static, OutreachApp> {
    Harness::builder()
        .with_size([1366.0, 3200.0])
        .build_ui_state(
            |ui, app: &mut OutreachApp| app.show(ui),
            app(dir, in_language(language)),
        )
}

/// Steps the UI (the worker answers on its own thread) until `done` holds.
pub(crate) fn step_until(
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
    // What the window shows then: the screen, and every labelled widget (an error message
    // explains most timeouts).
    let shown: Vec<String> = h
        .query_all_by_label_contains("")
        .filter_map(|n| egui_kittest::kittest::NodeT::accesskit_node(&n).label())
        .take(60)
        .collect();
    panic!(
        "timed out waiting for {what}: on {:?} (waiting: {}), showing {shown:?}",
        h.state().screen(),
        h.state().is_waiting()
    );
}

pub(crate) fn wait_for(h: &mut Harness<'static, OutreachApp>, label: &str) {
    step_until(h, label, |h| {
        h.query_all_by_label_contains(label).next().is_some()
    });
}

pub(crate) fn wait_screen(h: &mut Harness<'static, OutreachApp>, screen: Screen) {
    step_until(h, &format!("{screen:?}"), |h| {
        h.state().screen() == Some(screen) && !h.state().is_waiting()
    });
}

pub(crate) fn type_into(h: &mut Harness<'static, OutreachApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
}

pub(crate) fn click(h: &mut Harness<'static, OutreachApp>, label: &str) {
    h.get_by_label(label).click();
    h.step();
    h.step();
}

/// Opens a combo box by its label and picks the option shown as `option`.
pub(crate) fn choose(h: &mut Harness<'static, OutreachApp>, combo: &str, option: &str) {
    h.get_by_label(combo).click();
    h.step();
    h.step();
    h.get_all_by_label(option).last().unwrap().click();
    h.step();
    h.step();
}

pub(crate) fn create_profile(h: &mut Harness<'static, OutreachApp>) {
    wait_screen(h, Screen::Setup);
    type_into(h, "Passphrase", PASSPHRASE);
    type_into(h, "Passphrase again", PASSPHRASE);
    click(h, "Create profile");
    wait_screen(h, Screen::Home);
}

pub(crate) fn unlock(h: &mut Harness<'static, OutreachApp>) {
    wait_screen(h, Screen::Unlock);
    type_into(h, "Passphrase", PASSPHRASE);
    click(h, "Unlock");
    wait_screen(h, Screen::Home);
}

/// A new profile at `dir` (test key derivation, the tests' passphrase), open.
pub(crate) fn new_profile(dir: &Path) -> field_app::LocalStore {
    field_app::LocalStore::create(
        dir,
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
        None,
    )
    .unwrap()
}

/// The demo's hand-written records (rich: programs, consent, referrals, follow-ups).
pub(crate) fn demo_lines() -> Vec<String> {
    include_str!("../../demo/intakes.jsonl")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The node's answer to the pending upload: change `index` refused as outside the laptop's
/// communities, the rest applied.
pub(crate) fn refuse_one_change(store: &mut field_app::LocalStore, index: u32) {
    use shared::protocol::{Refusal, RefusalReason};
    let upload = store.pending_upload(usize::MAX).unwrap().unwrap();
    store
        .upload_acknowledged(
            upload.id,
            &sync_client::Acknowledged {
                applied: upload.changes.saturating_sub(1),
                duplicates: 0,
                refused: 1,
                refusals: vec![Refusal {
                    index,
                    reason: RefusalReason::OutsideScope,
                }],
            },
        )
        .unwrap();
}

/// A node running in this process (TLS on loopback) and a profile under `dir` holding `lines`,
/// enrolled with it as an agent of `communities`. Returns the node (keep it alive) and the
/// profile's directory.
pub(crate) fn profile_enrolled_with_a_node(
    dir: &Path,
    lines: &[String],
    communities: &[&str],
) -> (node::embedded::EmbeddedNode, std::path::PathBuf) {
    profile_enrolled_as(
        dir,
        lines,
        communities,
        shared::protocol::enroll::Role::Agent,
    )
}

/// [`profile_enrolled_with_a_node`] with the device's role.
pub(crate) fn profile_enrolled_as(
    dir: &Path,
    lines: &[String],
    communities: &[&str],
    role: shared::protocol::enroll::Role,
) -> (node::embedded::EmbeddedNode, std::path::PathBuf) {
    let node = node::embedded::EmbeddedNode::start(
        &dir.join("node"),
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
        KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    )
    .unwrap();
    let profile = dir.join("profile");
    let mut store = new_profile(&profile);
    store.import_lines(lines).unwrap();
    let code = node.enrollment_code(role, communities, 1).unwrap();
    field_app::sync::enroll(&mut store, &code.to_text(), None, Duration::from_secs(30)).unwrap();
    (node, profile)
}

/// Another laptop edits record `id` from the same starting point (`theirs`) while this one edits
/// it too (`ours`), then this one receives theirs (pulled at log position `cursor`): a conflict.
/// Returns the other laptop's author.
pub(crate) fn edited_on_two_laptops(
    store: &mut field_app::LocalStore,
    id: shared::ids::ClientId,
    theirs: impl FnOnce(&mut shared::Client),
    ours: impl FnOnce(&mut shared::Client),
    cursor: u64,
) -> shared::Author {
    let other = shared::Author {
        agent: shared::ids::AgentId::random(),
        device: shared::ids::DeviceId::random(),
    };
    let mut fork = store.document(id).unwrap().unwrap().fork(other.device);
    let mut their_record = store.client(id).unwrap().unwrap();
    theirs(&mut their_record);
    let change = fork
        .write(&their_record, other, shared::time::Timestamp::now())
        .unwrap()
        .unwrap();
    let mut our_record = store.client(id).unwrap().unwrap();
    ours(&mut our_record);
    store.save(&our_record).unwrap();
    store
        .apply_pulled(
            vec![shared::protocol::BatchChange {
                client: id,
                epoch: 0,
                change: change.bytes,
            }],
            cursor,
        )
        .unwrap();
    other
}

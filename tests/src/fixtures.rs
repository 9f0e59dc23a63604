//! Intake lines for sync tests and benchmarks (the field app's generator, shared), and the
//! changes a device makes when it creates those records.

#![allow(clippy::expect_used)] // test-harness code: a failed setup step is a test failure, with its reason

pub use field_app::fixtures::intake_lines;
use shared::ids::DeviceId;
use shared::protocol::BatchChange;
use shared::time::Timestamp;

/// The changes with which `device` creates `records` new records of `community` (one change
/// each, as `field-app add` would make them), ready for an upload.
///
/// # Panics
/// If the generated lines do not parse (a bug in the generator).
#[must_use]
pub fn new_record_changes(
    device: DeviceId,
    seed: u64,
    records: usize,
    community: &str,
) -> Vec<BatchChange> {
    let author = shared::Author {
        agent: shared::ids::AgentId::random(),
        device,
    };
    let catalogue = shared::Catalogue::built_in().expect("the built-in catalogue loads");
    let context = shared::intake_schema::ImportContext {
        agent: author.agent,
        device,
        site: None,
        visit: None,
        now: Timestamp::now(),
        today: shared::time::CalendarDate::today_utc(),
    };
    intake_lines(records, seed, community)
        .iter()
        .map(|line| {
            let client = shared::intake_schema::parse_line(line, &context, &catalogue)
                .expect("generated lines parse");
            let mut doc = shared::ClientDoc::empty(device);
            let change = doc
                .write(&client, author, context.now)
                .expect("a new record writes")
                .expect("a new record is a change");
            BatchChange {
                client: client.id,
                epoch: 0,
                change: change.bytes,
            }
        })
        .collect()
}

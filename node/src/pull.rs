//! What a device receives: the log entries after its cursor that [`crate::policy::pull_filter`]
//! lets it see, a page at a time, and the cursor to send next. The cursor moves past entries the
//! device may not see only up to the store's horizon, so an entry that another writer commits
//! later is never skipped (the cursor contract in [`crate::storage`]).

use shared::protocol::BatchChange;

use crate::policy;
use crate::storage::{DeviceRecord, Store, StoreError};

/// The most log rows read for one page.
pub const PAGE_ROWS: u32 = 20_000;

/// One page of the change log for a device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Changes, oldest first.
    pub changes: Vec<BatchChange>,
    /// The cursor after this page.
    pub next_cursor: u64,
    /// More changes wait beyond this page.
    pub more: bool,
}

/// Log entries after `cursor` that `device` may see, minus its own, up to about `max_bytes`.
pub fn changes_after(
    store: &dyn Store,
    device: &DeviceRecord,
    cursor: u64,
    max_bytes: usize,
) -> Result<Page, StoreError> {
    let slice = store.log_after(cursor, &policy::pull_filter(device), PAGE_ROWS, max_bytes)?;
    let last_seen = slice.entries.last().map_or(cursor, |e| e.seq);
    let next_cursor = if slice.truncated {
        last_seen
    } else {
        // Nothing more for this device up to the horizon: skip past entries outside its scope
        // too, so the next no-change sync starts at the end of the log.
        last_seen.max(slice.horizon).max(cursor)
    };
    Ok(Page {
        changes: slice
            .entries
            .into_iter()
            .map(|e| BatchChange {
                client: e.client,
                epoch: e.epoch,
                change: e.change,
            })
            .collect(),
        next_cursor,
        more: slice.truncated,
    })
}

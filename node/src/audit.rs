//! Devices' audit trails at the node (issue 12): the run of entries an upload carries is checked
//! against the anchor the node holds for the device (`shared::audit::receive`) and kept with
//! the upload's commit; a break is flagged once and the device's chain followed from there.
//! [`verify`] walks every trail the node holds, for `sync-server audit verify`.

use std::collections::BTreeMap;

use shared::audit::{Anchor, AuditEntry, ChainBreak, find_breaks, receive};
use shared::ids::DeviceId;
use shared::protocol::AuditRun;

use crate::storage::{AuditCommit, AuditFlag, AuditQuery, Store, StoreError};

/// Entries read from the store per page.
const PAGE: u32 = 10_000;

/// The audit run an upload carried, read once before the upload is planned.
pub struct Incoming {
    device: DeviceId,
    /// The run; `None` when it could not be read.
    run: Option<AuditRun>,
}

impl Incoming {
    /// Reads a run's bytes for `device` (an unreadable run is kept as such, to be flagged).
    #[must_use]
    pub fn read(bytes: &[u8], device: DeviceId) -> Self {
        Self {
            device,
            run: AuditRun::decode(bytes).ok(),
        }
    }

    /// What to commit, given the anchor the node holds now (the run's hashes are chained from
    /// it).
    #[must_use]
    pub fn check(&self, anchor: Option<Anchor>) -> AuditCommit {
        let received = match &self.run {
            Some(run) => receive(
                run.entries(self.device, anchor),
                run.head,
                run.local_check,
                self.device,
                anchor,
            ),
            None => shared::audit::Received {
                entries: Vec::new(),
                anchor,
                breaks: vec![ChainBreak::Unreadable],
            },
        };
        AuditCommit {
            read_anchor: anchor,
            received,
        }
    }
}

/// One device's trail as the node holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrailCheck {
    /// The device.
    pub device: DeviceId,
    /// Entries held.
    pub entries: u64,
    /// The head accepted last.
    pub anchor: Option<Anchor>,
    /// Breaks found now by walking the entries held (damage to the node's copy, and the places
    /// where a flagged device's chain restarted).
    pub breaks: Vec<ChainBreak>,
    /// Breaks flagged when the device's entries arrived.
    pub flags: Vec<AuditFlag>,
}

impl TrailCheck {
    /// Nothing found, now or at arrival.
    #[must_use]
    pub fn holds(&self) -> bool {
        self.breaks.is_empty() && self.flags.is_empty()
    }
}

/// Walks every device's trail the node holds (in pages, in receipt order), with the flags
/// recorded when entries arrived; devices in id order.
pub fn verify(store: &dyn Store) -> Result<Vec<TrailCheck>, StoreError> {
    let mut trails: BTreeMap<DeviceId, Vec<AuditEntry>> = BTreeMap::new();
    let mut query = AuditQuery::default();
    loop {
        let page = store.audit_trail(&query, PAGE)?;
        let Some(last) = page.last() else { break };
        query.after = last.id;
        for stored in page {
            trails
                .entry(stored.entry.device)
                .or_default()
                .push(stored.entry);
        }
    }
    let mut flags: BTreeMap<DeviceId, Vec<AuditFlag>> = BTreeMap::new();
    for flag in store.audit_flags(None)? {
        flags.entry(flag.device).or_default().push(flag);
    }
    let devices: Vec<DeviceId> = trails.keys().chain(flags.keys()).copied().collect();
    let mut checks = Vec::new();
    for device in devices
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
    {
        let entries = trails.remove(&device).unwrap_or_default();
        let anchor = store.audit_anchor(device)?;
        checks.push(TrailCheck {
            device,
            entries: entries.len() as u64,
            anchor,
            breaks: find_breaks(&entries, device, anchor),
            flags: flags.remove(&device).unwrap_or_default(),
        });
    }
    Ok(checks)
}

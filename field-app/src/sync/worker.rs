//! The sync engine on a named worker thread, for the GUI: it opens its own connection to the
//! profile (so capture on the UI's connection is never blocked by a sync) from the data key the
//! unlock already derived — no second key derivation, no search index — runs one sync and reports
//! progress and the outcome over a channel, waking the UI through a callback.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;

use shared::crypto::DataKey;

use super::{SyncOptions, SyncProgress, SyncReport, sync};
use crate::LocalStore;

/// What the worker reports.
#[derive(Debug)]
pub enum SyncEvent {
    /// Bytes sent and received so far, and time left for the upload.
    Progress(SyncProgress),
    /// The sync finished.
    Finished(SyncReport),
    /// The sync failed; the message is safe to show (no client data).
    Failed(String),
}

/// A sync running on its own thread.
#[derive(Debug)]
pub struct SyncWorker {
    /// Events, in order; the last is `Finished` or `Failed`.
    pub events: Receiver<SyncEvent>,
    thread: JoinHandle<()>,
}

impl SyncWorker {
    /// Starts one sync of the profile in `dir`. `wake` is called after every event (e.g. the
    /// GUI's `request_repaint`).
    pub fn start(
        dir: PathBuf,
        key: DataKey,
        options: SyncOptions,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let (sender, events) = channel();
        let thread = std::thread::Builder::new()
            .name("sync-worker".into())
            .spawn(move || {
                let outcome = LocalStore::open_for_sync(&dir, &key)
                    .map_err(|e| e.to_string())
                    .and_then(|mut store| {
                        let mut report_progress = |p: &SyncProgress| {
                            let _ = sender.send(SyncEvent::Progress(p.clone()));
                            wake();
                        };
                        sync(&mut store, &options, &mut report_progress).map_err(|e| e.to_string())
                    });
                let _ = sender.send(match outcome {
                    Ok(report) => SyncEvent::Finished(report),
                    Err(message) => SyncEvent::Failed(message),
                });
                wake();
            })?;
        Ok(Self { events, thread })
    }

    /// Waits for the thread to end; `false` if it panicked.
    pub fn join(self) -> bool {
        self.thread.join().is_ok()
    }
}

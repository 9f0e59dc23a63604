//! The GUI's worker thread: it owns the unlocked store, and does every disk, KDF and network
//! step the screens ask for, so a frame never waits on I/O. Screens send [`Command`]s; the
//! worker answers with [`Reply`]s and wakes the UI.
//!
//! Locking drops the store (SQLCipher wipes its key) and the data key (zeroized on drop); the
//! passphrase itself is dropped as soon as the unlock has derived the key.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use shared::time::{CalendarDate, Timestamp};

use crate::storage::sync_state::key;
use crate::sync::SyncOptions;
use crate::sync::{SyncEvent, SyncWorker};
use crate::{LocalStore, Saved, StoreError};

mod messages;

pub use messages::{
    Command, FindQuery, MAX_FIND_ROWS, Opened, ProfileConfig, Reply, Status, UnlockFailure,
};

/// The handle the UI keeps.
#[derive(Debug)]
pub struct Worker {
    commands: Sender<Command>,
    replies: Receiver<Reply>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Worker {
    /// Ends the worker and waits for it: its loop ends once the command channel closes, and it
    /// then closes the profile. A process that exited while the worker still wrote would tear
    /// SQLCipher down under it (seen as a crash at the end of a test binary).
    fn drop(&mut self) {
        let (closed, _) = channel();
        drop(std::mem::replace(&mut self.commands, closed));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Worker {
    /// Starts the worker thread. `wake` is called after every reply (the UI's repaint).
    pub fn start(
        config: ProfileConfig,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> std::io::Result<Self> {
        let (commands, inbox) = channel();
        let (outbox, replies) = channel();
        let thread = std::thread::Builder::new()
            .name("gui-worker".into())
            .spawn(move || {
                let mut state = WorkerState {
                    config,
                    unlocked: None,
                    sync: None,
                    printed: Vec::new(),
                    out: outbox,
                    wake,
                };
                state.run(&inbox);
            })?;
        Ok(Self {
            commands,
            replies,
            thread: Some(thread),
        })
    }

    /// Sends a command (ignored if the worker has ended).
    pub fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }

    /// The next reply, if one is waiting.
    #[must_use]
    pub fn try_recv(&self) -> Option<Reply> {
        self.replies.try_recv().ok()
    }

    /// The next reply, waiting at most `wait`.
    #[must_use]
    pub fn recv_timeout(&self, wait: Duration) -> Option<Reply> {
        self.replies.recv_timeout(wait).ok()
    }
}

struct Unlocked {
    store: LocalStore,
    /// Opens the sync thread's connection without a second key derivation. Zeroized on drop.
    key: shared::crypto::DataKey,
}

struct WorkerState {
    config: ProfileConfig,
    unlocked: Option<Unlocked>,
    sync: Option<SyncWorker>,
    printed: Vec<PathBuf>,
    out: Sender<Reply>,
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl Drop for WorkerState {
    fn drop(&mut self) {
        super::slips::remove_slips(&mut self.printed);
    }
}

impl WorkerState {
    fn run(&mut self, inbox: &Receiver<Command>) {
        let profile_exists = self.config.dir.join(vault::KEYFILE_NAME).exists();
        self.reply(Reply::Ready { profile_exists });
        loop {
            // While a sync runs, wake often enough to pass its progress on.
            let wait = if self.sync.is_some() {
                Duration::from_millis(50)
            } else {
                Duration::from_secs(3600)
            };
            match inbox.recv_timeout(wait) {
                Ok(command) => self.handle(command),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            self.pump_sync();
        }
    }

    fn reply(&self, reply: Reply) {
        let _ = self.out.send(reply);
        (self.wake)();
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::CreateProfile(passphrase) => {
                let created = LocalStore::create_keeping_key(
                    &self.config.dir,
                    &passphrase,
                    self.config.kdf,
                    None,
                );
                drop(passphrase);
                match created {
                    Ok((store, key)) => {
                        let author = store.author();
                        self.unlocked = Some(Unlocked { store, key });
                        self.reply(Reply::Unlocked(author));
                    }
                    Err(error) => self.reply(Reply::Failed(error.to_string())),
                }
            }
            Command::Unlock(passphrase) => {
                let opened = LocalStore::open_keeping_key(&self.config.dir, &passphrase);
                drop(passphrase);
                match opened {
                    Ok((store, key)) => {
                        let author = store.author();
                        self.unlocked = Some(Unlocked { store, key });
                        self.reply(Reply::Unlocked(author));
                    }
                    Err(error) => self.reply(Reply::UnlockFailed(unlock_failure(&error))),
                }
            }
            Command::SaveSettings(settings) => {
                if let Some(path) = &self.config.settings_file
                    && let Err(error) = settings.save(path)
                {
                    self.reply(Reply::Failed(format!("saving the settings: {error}")));
                }
            }
            Command::Lock => {
                self.unlocked = None;
                super::slips::remove_slips(&mut self.printed);
                self.reply(Reply::Locked);
            }
            command => {
                let Some(unlocked) = self.unlocked.as_mut() else {
                    // Locked: screens show no data, so a late command has nothing to answer.
                    return;
                };
                let printed_record = match &command {
                    Command::Print { id, .. } => Some(*id),
                    _ => None,
                };
                let reply = match command {
                    Command::Enroll(code) => enroll(&mut unlocked.store, &code).map(Some),
                    Command::Print {
                        id,
                        options,
                        printout,
                        register,
                    } => {
                        let number = self.printed.len() + 1;
                        super::slips::print(
                            &unlocked.store,
                            super::slips::Printing {
                                id,
                                number,
                                options: &options,
                                printout,
                                register: register.as_deref(),
                                open: self.config.open_slips,
                            },
                        )
                        .map(Some)
                    }
                    Command::Sync { max_bytes_per_sec } => {
                        self.start_sync(max_bytes_per_sec);
                        return;
                    }
                    Command::Office(super::office::OfficeRequest::Export(order)) => {
                        super::office::export(&mut unlocked.store, &order, &self.config.dir)
                            .map(Some)
                    }
                    Command::Office(super::office::OfficeRequest::Register(query)) => {
                        super::office::register(&mut unlocked.store, &query).map(Some)
                    }
                    Command::Refresh { visit_started } => {
                        status(&unlocked.store, visit_started, &self.config.dir).map(Some)
                    }
                    command => answer(&mut unlocked.store, command),
                };
                if let Ok(Some(Reply::Printed { path, .. })) = &reply {
                    self.printed.push(path.clone());
                    if let Some(id) = printed_record
                        && let Err(error) = unlocked
                            .store
                            .audit(shared::audit::AuditAction::Print, Some(id))
                    {
                        self.reply(Reply::Failed(error.to_string()));
                    }
                }
                match reply {
                    Ok(Some(reply)) => self.reply(reply),
                    Ok(None) => {}
                    Err(error) => self.reply(Reply::Failed(error.to_string())),
                }
            }
        }
    }

    fn start_sync(&mut self, max_bytes_per_sec: Option<u64>) {
        if self.sync.is_some() {
            return;
        }
        let Some(unlocked) = self.unlocked.as_ref() else {
            return;
        };
        let options = SyncOptions {
            max_bytes_per_sec,
            retries: 3,
            ..SyncOptions::default()
        };
        let wake = self.wake.clone();
        match SyncWorker::start(
            self.config.dir.clone(),
            unlocked.key.clone(),
            options,
            move || wake(),
        ) {
            Ok(worker) => self.sync = Some(worker),
            Err(error) => self.reply(Reply::NetworkFailed(error.to_string())),
        }
    }

    fn pump_sync(&mut self) {
        let Some(worker) = self.sync.as_ref() else {
            return;
        };
        let mut finished = false;
        while let Ok(event) = worker.events.try_recv() {
            match event {
                SyncEvent::Progress(progress) => self.reply(Reply::SyncProgress(progress)),
                SyncEvent::Finished(report) => {
                    finished = true;
                    // The sync wrote through its own connection: re-index what it changed.
                    if let Some(unlocked) = self.unlocked.as_mut()
                        && let Err(error) = unlocked.store.reindex(&report.changed)
                    {
                        self.reply(Reply::Failed(error.to_string()));
                    }
                    self.reply(Reply::SyncDone(report));
                }
                SyncEvent::Failed(message) => {
                    finished = true;
                    self.reply(Reply::NetworkFailed(message));
                }
            }
        }
        if finished && let Some(worker) = self.sync.take() {
            let _ = worker.join();
        }
    }
}

fn unlock_failure(error: &StoreError) -> UnlockFailure {
    match error {
        StoreError::Vault(vault::VaultError::WrongPassphrase) => UnlockFailure::WrongPassphrase,
        StoreError::Vault(
            vault::VaultError::DamagedDatabase
            | vault::VaultError::DamagedKeyfile(_)
            | vault::VaultError::DatabaseMissing,
        ) => UnlockFailure::Damaged,
        _ => UnlockFailure::Other,
    }
}

fn enroll(store: &mut LocalStore, code: &str) -> Result<Reply, StoreError> {
    Ok(
        match crate::sync::enroll(store, code.trim(), None, Duration::from_secs(60)) {
            Ok(_) => Reply::Enrolled,
            Err(error) => Reply::NetworkFailed(error.to_string()),
        },
    )
}

/// The reply to a command that needs the store; `None` for a write the UI does not wait on.
fn answer(store: &mut LocalStore, command: Command) -> Result<Option<Reply>, StoreError> {
    Ok(Some(match command {
        Command::Save {
            clients,
            reciprocal,
            draft,
        } => {
            let Some(first) = clients.first().map(|c| c.id) else {
                return Ok(Some(Reply::SaveRefused(Vec::new())));
            };
            // Both halves of a household link, and the end of the draft, commit in the same
            // transaction.
            match store.save_intake(&clients, &reciprocal, Some(draft)) {
                Ok(outcomes) => Reply::Saved {
                    id: first,
                    outcome: outcomes.first().copied().unwrap_or(Saved::Unchanged),
                },
                Err(StoreError::Invalid(errors)) => Reply::SaveRefused(errors),
                Err(error) => return Err(error),
            }
        }
        Command::KeepDraft(draft) => {
            store.put_draft(&draft)?;
            return Ok(None);
        }
        Command::OpenDraft(id) => match store.draft(id)? {
            Some(draft) => Reply::DraftOpened(draft),
            None => Reply::Failed("the draft was saved or discarded meanwhile".into()),
        },
        Command::DiscardDraft(id) => {
            store.discard_draft(id)?;
            return Ok(None);
        }
        Command::ResendHeld => Reply::Resent(store.resend_held()?),
        Command::Office(request) => super::office::read(store, &request)?,
        Command::Decide(decision) => super::office::decide(store, decision)?,
        Command::Find { generation, query } => find(store, generation, &query)?,
        Command::Matches {
            generation,
            text,
            exclude,
        } => {
            let rows = store
                .possible_matches(&text, 4)?
                .into_iter()
                .filter(|r| Some(r.id) != exclude)
                .take(3)
                .collect();
            Reply::Matches { generation, rows }
        }
        Command::Open(requested) => match store.document(store.live_id(requested)?)? {
            Some(mut doc) => {
                let client = doc.read()?;
                let household = client
                    .household
                    .iter()
                    .filter_map(|link| {
                        // A member merged into another record is shown as that record.
                        let live = store.live_id(link.member).ok()?;
                        let member = store.client(live).ok().flatten()?;
                        Some((
                            live,
                            format!(
                                "{} {}",
                                member.identity.given_name, member.identity.family_name
                            ),
                        ))
                    })
                    .collect();
                let id = client.id;
                store.audit(shared::audit::AuditAction::View, Some(id))?;
                let merged_here = store
                    .merged_into(id)?
                    .into_iter()
                    .map(|row| (row.id, row.display_name()))
                    .collect();
                Reply::Opened(Box::new(Opened {
                    access: store.audit_of(id)?,
                    merged_here,
                    office: store.is_office()?,
                    awaiting_review: store.awaiting_review(id)?,
                    not_synced: store.not_synced_ids()?.contains(&id),
                    held: store
                        .held_changes()?
                        .into_iter()
                        .find(|h| h.client == id)
                        .map(|h| h.reason),
                    history: doc.history(),
                    conflicts: doc.conflicts(),
                    household,
                    me: store.author(),
                    client,
                }))
            }
            None => Reply::Failed("the record is no longer in this profile".into()),
        },
        Command::CreateProfile(_)
        | Command::Unlock(_)
        | Command::Lock
        | Command::Enroll(_)
        | Command::Refresh { .. }
        | Command::SaveSettings(_)
        | Command::Print { .. }
        | Command::Sync { .. } => Reply::Failed("not handled here".into()),
    }))
}

fn status(
    store: &LocalStore,
    visit_started: Timestamp,
    dir: &std::path::Path,
) -> Result<Reply, StoreError> {
    Ok(Reply::Status(Status {
        records: store.count()?,
        today: store.created_since(today_start())?,
        this_visit: store.created_since(visit_started)?,
        pending_changes: store.pending_changes()?,
        held_changes: store.held_changes()?.len() as u64,
        pending_bytes: store.pending_change_bytes()?,
        node_url: store.link_text(key::NODE_URL)?,
        last_sync: match store.link_number(key::LAST_SYNC)? {
            0 => None,
            ms => Some(Timestamp(ms)),
        },
        recovery_copy: dir.join(vault::RECOVERY_NAME).exists(),
        drafts: store.drafts()?,
        follow_ups_due: store.count_follow_ups_due(CalendarDate::today_utc())?,
        office: store.is_office()?,
    }))
}

fn find(store: &LocalStore, generation: u64, query: &FindQuery) -> Result<Reply, StoreError> {
    let not_synced = store.not_synced_ids()?;
    let rows = store
        .find(&crate::storage::FindQuery {
            text: query.text.clone(),
            filter: crate::ListFilter {
                community: query.community.clone(),
                follow_up_due_by: query.follow_up_due.then(CalendarDate::today_utc),
                open_referrals: query.open_referrals,
                not_synced: query.not_synced,
                held: query.held,
            },
            limit: Some(u32::try_from(MAX_FIND_ROWS).unwrap_or(u32::MAX)),
        })?
        .rows;
    let mut held = std::collections::HashMap::new();
    for change in store.held_changes()? {
        held.entry(change.client).or_insert(change.reason);
    }
    Ok(Reply::Found {
        generation,
        rows,
        not_synced,
        held,
        total: store.indexed(),
    })
}

fn today_start() -> Timestamp {
    Timestamp::now().start_of_day_utc()
}

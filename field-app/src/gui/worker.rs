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

use shared::Client;
use shared::crypto::{KdfParams, Passphrase};
use shared::doc::{Conflict, HistoryEntry};
use shared::ids::{ClientId, CommunityCode};
use shared::model::ValidationError;
use shared::time::{CalendarDate, Timestamp};

use crate::storage::sync_state::key;
use crate::storage::{DraftId, DraftSummary, StoredDraft};
use crate::sync::{SyncEvent, SyncWorker};
use crate::sync::{SyncOptions, SyncProgress, SyncReport};
use crate::{ClientSummary, LocalStore, Saved, StoreError};

/// The most rows a search returns to the find screen.
pub const MAX_FIND_ROWS: usize = 500;

/// What the find screen asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FindQuery {
    /// Names and/or a date of birth, as typed.
    pub text: String,
    /// Only this community.
    pub community: Option<CommunityCode>,
    /// Only records with an open follow-up due today or earlier.
    pub follow_up_due: bool,
    /// Only records with open referrals.
    pub open_referrals: bool,
    /// Only records with changes not yet synced.
    pub not_synced: bool,
    /// Only records with changes the node refused, held on this laptop.
    pub held: bool,
}

/// A request from a screen.
pub enum Command {
    /// Create the profile and unlock it.
    CreateProfile(Passphrase),
    /// Unlock the existing profile.
    Unlock(Passphrase),
    /// Drop the store and the data key.
    Lock,
    /// Save records in one transaction (a client and the household members added with them).
    Save {
        /// The records; the first is the one the form shows.
        clients: Vec<Client>,
        /// Links to add to existing records (the other half of a household link made here).
        reciprocal: Vec<(ClientId, shared::model::HouseholdLink)>,
        /// The form's draft, ended in the same transaction.
        draft: DraftId,
    },
    /// Write the form's draft (debounced by the screen; durable when the command is done).
    KeepDraft(StoredDraft),
    /// Load a draft into the form.
    OpenDraft(DraftId),
    /// Throw a draft away (the agent confirmed it).
    DiscardDraft(DraftId),
    /// Put every change the node refused back in the outbox, for the next sync.
    ResendHeld,
    /// Search or filter the records.
    Find {
        /// Answers carry this back, so a stale answer is ignored.
        generation: u64,
        /// What to look for.
        query: FindQuery,
    },
    /// Possible existing clients for the names and date of birth being typed.
    Matches {
        /// As for `Find`.
        generation: u64,
        /// Names and date of birth.
        text: String,
        /// The record being edited, not a match of itself.
        exclude: Option<ClientId>,
    },
    /// Load a record with its history and conflicts.
    Open(ClientId),
    /// Counts and sync status; `visit_started` is when the agent chose the current visit.
    Refresh {
        /// Start of the visit, for "this visit" counts.
        visit_started: Timestamp,
    },
    /// Link this laptop to a node with a one-time code.
    Enroll(String),
    /// Sync with the enrolled node.
    Sync {
        /// Bandwidth budget for uploads, bytes per second.
        max_bytes_per_sec: Option<u64>,
    },
    /// Keep the UI settings for the next run.
    SaveSettings(super::UiSettings),
    /// Office: read one of its queues.
    Office(super::office::OfficeRequest),
    /// Office: take a decision (merge, not the same person, unmerge, reviewed, settle).
    Decide(super::office::Decision),
    /// Write a referral slip / visit receipt PDF.
    Print {
        /// The record.
        id: ClientId,
        /// Languages and the agent's details.
        options: super::print::SlipOptions,
        /// The slip, or the record's access report.
        printout: super::print::Printout,
        /// What the node's registers said of the record, if the office asked (the access
        /// report then lists every device's entries and every disclosure).
        register: Option<Box<super::office::RecordRegister>>,
    },
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::CreateProfile(_) => "CreateProfile",
            Self::Unlock(_) => "Unlock",
            Self::Lock => "Lock",
            Self::Save { .. } => "Save",
            Self::KeepDraft(_) => "KeepDraft",
            Self::OpenDraft(_) => "OpenDraft",
            Self::DiscardDraft(_) => "DiscardDraft",
            Self::ResendHeld => "ResendHeld",
            Self::Find { .. } => "Find",
            Self::Matches { .. } => "Matches",
            Self::Open(_) => "Open",
            Self::Refresh { .. } => "Refresh",
            Self::Enroll(_) => "Enroll",
            Self::Sync { .. } => "Sync",
            Self::Print { .. } => "Print",
            Self::SaveSettings(_) => "SaveSettings",
            Self::Office(_) => "Office",
            Self::Decide(_) => "Decide",
        })
    }
}

/// A record as the detail screen shows it.
pub struct Opened {
    /// The record.
    pub client: Client,
    /// Who changed what, when, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Fields with concurrent values.
    pub conflicts: Vec<Conflict>,
    /// Whether some of its changes wait for a sync.
    pub not_synced: bool,
    /// Why the node refused its changes, when some are held on this laptop.
    pub held: Option<shared::protocol::RefusalReason>,
    /// Names of linked household members, with their ids.
    pub household: Vec<(ClientId, String)>,
    /// This laptop and its agent (shown as "you, this laptop", not as ids).
    pub me: shared::Author,
    /// Records merged into this one, with their names (the office may undo each merge).
    pub merged_here: Vec<(ClientId, String)>,
    /// Every view and change of this record on this laptop, oldest first (its audit entries).
    pub access: Vec<shared::audit::AuditEntry>,
    /// This device is an office device.
    pub office: bool,
}

/// Counts and sync status for the home and sync screens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// Records in the profile.
    pub records: u64,
    /// Created today (UTC day).
    pub today: u64,
    /// Created since the visit began.
    pub this_visit: u64,
    /// Changes waiting for a node.
    pub pending_changes: u64,
    /// Changes the node refused, held on this laptop until resent.
    pub held_changes: u64,
    /// Bytes of those changes.
    pub pending_bytes: u64,
    /// The enrolled node, if any.
    pub node_url: Option<String>,
    /// The end of the last successful sync.
    pub last_sync: Option<Timestamp>,
    /// An office recovery copy of the profile key exists.
    pub recovery_copy: bool,
    /// Intake forms not saved yet, most recent first.
    pub drafts: Vec<DraftSummary>,
    /// Records with an open follow-up due today or earlier.
    pub follow_ups_due: u64,
    /// This device is enrolled with the office role (the office screen is offered).
    pub office: bool,
}

/// Why a profile did not open, in words the screen translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnlockFailure {
    /// Wrong passphrase (or a damaged keyfile: the two cannot be told apart).
    WrongPassphrase,
    /// The database is damaged or belongs to another keyfile.
    Damaged,
    /// Anything else (message logged, not shown).
    Other,
}

/// An answer from the worker.
pub enum Reply {
    /// The worker started; whether a profile exists in its directory.
    Ready {
        /// A profile exists.
        profile_exists: bool,
    },
    /// The profile is open; the device and agent it stamps on changes.
    Unlocked(shared::Author),
    /// The profile did not open; nothing was created or changed.
    UnlockFailed(UnlockFailure),
    /// The store and the data key are dropped.
    Locked,
    /// The records are saved durably.
    Saved {
        /// The first record.
        id: ClientId,
        /// What the save did to it.
        outcome: Saved,
    },
    /// The records were refused; nothing was saved.
    SaveRefused(Vec<ValidationError>),
    /// Search results.
    Found {
        /// From the command.
        generation: u64,
        /// Best first, at most [`MAX_FIND_ROWS`].
        rows: Vec<ClientSummary>,
        /// Records that wait for a sync (for the marker).
        not_synced: std::collections::HashSet<ClientId>,
        /// Records whose changes the node refused, with why (for the held marker).
        held: std::collections::HashMap<ClientId, shared::protocol::RefusalReason>,
        /// How many records the profile holds.
        total: usize,
    },
    /// Possible existing clients.
    Matches {
        /// From the command.
        generation: u64,
        /// Best first.
        rows: Vec<ClientSummary>,
    },
    /// A record, for the detail screen.
    Opened(Box<Opened>),
    /// A draft, for the intake form.
    DraftOpened(StoredDraft),
    /// This many held changes are back in the outbox.
    Resent(u64),
    /// Counts and sync status.
    Status(Status),
    /// Enrolment succeeded.
    Enrolled,
    /// Sync progress.
    SyncProgress(SyncProgress),
    /// Sync finished.
    SyncDone(SyncReport),
    /// Sync or enrolment failed; the message is in plain words and holds no client data.
    NetworkFailed(String),
    /// A slip was written (memory-backed, deleted at lock).
    Printed {
        /// Where.
        path: PathBuf,
        /// The system's viewer was started on it (it offers printing).
        opened: bool,
    },
    /// One of the office's queues.
    Office(super::office::OfficeData),
    /// An office decision is written.
    Decided(super::office::Decided),
    /// Something failed; the message holds no client data.
    Failed(String),
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Ready { .. } => "Ready",
            Self::Unlocked(_) => "Unlocked",
            Self::UnlockFailed(_) => "UnlockFailed",
            Self::Locked => "Locked",
            Self::Saved { .. } => "Saved",
            Self::SaveRefused(_) => "SaveRefused",
            Self::Found { .. } => "Found",
            Self::Matches { .. } => "Matches",
            Self::Opened(_) => "Opened",
            Self::DraftOpened(_) => "DraftOpened",
            Self::Resent(_) => "Resent",
            Self::Status(_) => "Status",
            Self::Enrolled => "Enrolled",
            Self::SyncProgress(_) => "SyncProgress",
            Self::SyncDone(_) => "SyncDone",
            Self::NetworkFailed(_) => "NetworkFailed",
            Self::Printed { .. } => "Printed",
            Self::Office(_) => "Office",
            Self::Decided(_) => "Decided",
            Self::Failed(_) => "Failed",
        })
    }
}

/// Where the profile lives and how a new one is protected.
#[derive(Clone, Debug)]
pub struct ProfileConfig {
    /// The profile directory.
    pub dir: PathBuf,
    /// Key derivation for a new profile.
    pub kdf: KdfParams,
    /// Where UI settings are kept between runs (`None`: not kept, e.g. tests).
    pub settings_file: Option<PathBuf>,
    /// Hand printed slips to the system's viewer (`xdg-open`, `open`, `start`); off in tests.
    pub open_slips: bool,
}

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

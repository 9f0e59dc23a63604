//! What the screens and the worker say to each other: the [`Command`]s a screen sends and the
//! [`Reply`]s the worker answers with, and the few values they carry. No I/O here.

use std::path::PathBuf;

use shared::Client;
use shared::crypto::{KdfParams, Passphrase};
use shared::doc::{Conflict, HistoryEntry};
use shared::ids::{ClientId, CommunityCode};
use shared::model::ValidationError;
use shared::time::Timestamp;

use crate::storage::{DraftId, DraftSummary, StoredDraft};
use crate::sync::{SyncProgress, SyncReport};
use crate::{ClientSummary, Saved};

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
    SaveSettings(crate::gui::UiSettings),
    /// Office: read one of its queues.
    Office(crate::gui::office::OfficeRequest),
    /// Office: take a decision (merge, not the same person, unmerge, reviewed, settle).
    Decide(crate::gui::office::Decision),
    /// Write a referral slip / visit receipt PDF.
    Print {
        /// The record.
        id: ClientId,
        /// Languages and the agent's details.
        options: crate::gui::print::SlipOptions,
        /// The slip, or the record's access report.
        printout: crate::gui::print::Printout,
        /// What the node's registers said of the record, if the office asked (the access
        /// report then lists every device's entries and every disclosure).
        register: Option<Box<crate::gui::office::RecordRegister>>,
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
    /// On an office device, when the record waits for review: the change to mark it reviewed
    /// up to.
    pub awaiting_review: Option<Timestamp>,
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
    Office(crate::gui::office::OfficeData),
    /// An office decision is written.
    Decided(crate::gui::office::Decided),
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

//! Consent-filtered exports to partners (issue 12), over any store: every record read once, the
//! shared rule ([`shared::disclosure`]) decides who is released, the file is sealed to the
//! partner's age recipient, and the export with one disclosure per row is committed in one
//! transaction **before** the file takes its name — a file in place always has its disclosures
//! recorded; a failed commit leaves no file.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use shared::Catalogue;
use shared::crypto::recovery::{RecoveryRecipient, seal_bytes};
use shared::disclosure::{ExportProfile, ExportRequest, LeftOut, ProfileError};
use shared::ids::PurposeCode;
use shared::time::Timestamp;

use crate::storage::{ExportRecord, Store, StoreError};

/// The longest name an operator may sign an export with.
pub const MAX_OPERATOR_CHARS: usize = 200;

/// Why an export did not happen. No client data in any of these.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The profile does not allow it.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// Who exports must be named (plain text, at most 200 characters).
    #[error("name who exports with --by (plain text, at most {MAX_OPERATOR_CHARS} characters)")]
    Operator,
    /// An export leaves the office sealed to the partner, or not at all.
    #[error("no age recipient to seal the file to: give --seal-to or a `recipient` in the profile")]
    NoRecipient,
    /// The recipient did not parse, or sealing failed.
    #[error("sealing the export: {0}")]
    Seal(String),
    /// Writing the file failed (nothing was recorded).
    #[error("writing the export file: {0}")]
    Write(std::io::Error),
    /// The export is recorded but its file could not take its name (the sealed file is at
    /// the temporary path named).
    #[error("the export is recorded but the file could not be moved into place from {0}: {1}")]
    Place(String, std::io::Error),
}

/// What to export.
#[derive(Debug)]
pub struct ExportOptions<'a> {
    /// The partner's profile.
    pub profile: &'a ExportProfile,
    /// The purpose.
    pub purpose: &'a PurposeCode,
    /// Who exports.
    pub by: &'a str,
    /// When (consent is judged on this day).
    pub now: Timestamp,
    /// Seal to this recipient instead of the profile's.
    pub seal_to: Option<&'a str>,
    /// Where the file goes; `None`: a dry run (nothing written, nothing recorded).
    pub out: Option<Destination<'a>>,
}

/// Where a sealed export goes.
#[derive(Debug)]
pub enum Destination<'a> {
    /// A file, which takes its name only after the export is recorded.
    File(&'a Path),
    /// These bytes (an office's request answered over the network), filled after the export is
    /// recorded.
    Answer(&'a mut Vec<u8>),
}

/// What an export did (or, in a dry run, would do).
#[derive(Clone, Debug)]
pub struct ExportOutcome {
    /// The export as recorded (in a dry run: as it would be, with no file hash).
    pub record: ExportRecord,
    /// Records merged into another (released through it, not on their own).
    pub redirects: usize,
    /// Documents that did not read as a record.
    pub unreadable: usize,
}

/// Runs an export (see the module documentation).
///
/// # Errors
/// See [`ExportError`]; on any error before the commit nothing is recorded and no file is left.
pub fn export(
    store: &dyn Store,
    catalogue: &Catalogue,
    options: ExportOptions<'_>,
) -> Result<ExportOutcome, ExportError> {
    let profile = options.profile;
    profile.check_purpose(options.purpose)?;
    let by = options.by.trim();
    if by.is_empty() || by.chars().count() > MAX_OPERATOR_CHARS || by.chars().any(char::is_control)
    {
        return Err(ExportError::Operator);
    }
    let recipient = match &options.out {
        None => None,
        Some(_) => {
            let text = options
                .seal_to
                .or(profile.recipient.as_deref())
                .ok_or(ExportError::NoRecipient)?;
            Some(RecoveryRecipient::parse(text).map_err(|e| ExportError::Seal(e.to_string()))?)
        }
    };
    let all = crate::office::all_records(store)?;
    let id = uuid::Uuid::new_v4();
    let today = options
        .now
        .date_utc()
        .unwrap_or_else(shared::time::CalendarDate::today_utc);
    let done = shared::disclosure::export(
        &all.clients,
        &ExportRequest {
            profile,
            purpose: options.purpose,
            catalogue,
            today,
            by,
            at: options.now,
            export: id,
        },
    );
    let left_out: BTreeMap<String, u64> =
        [LeftOut::NoConsent, LeftOut::Withdrawn, LeftOut::Expired]
            .into_iter()
            .map(|reason| {
                let count = done.left_out.get(&reason).copied().unwrap_or(0);
                (reason.name().to_owned(), count as u64)
            })
            .collect();
    let mut record = ExportRecord {
        id,
        partner: profile.partner.clone(),
        purpose: options.purpose.clone(),
        columns: profile
            .columns
            .iter()
            .map(|c| c.name().to_owned())
            .collect(),
        released: done.released() as u64,
        left_out,
        file_sha256: String::new(),
        sealed_to: recipient.as_ref().map(ToString::to_string),
        by: by.to_owned(),
        at: options.now,
    };
    let (Some(out), Some(recipient)) = (options.out, recipient) else {
        return Ok(ExportOutcome {
            record,
            redirects: done.redirects,
            unreadable: all.unreadable,
        });
    };
    // The plaintext is wiped from memory once sealed.
    let csv = zeroize::Zeroizing::new(done.csv);
    let sealed =
        seal_bytes(csv.as_bytes(), &recipient).map_err(|e| ExportError::Seal(e.to_string()))?;
    drop(csv);
    record.file_sha256 = hex(ring::digest::digest(&ring::digest::SHA256, &sealed).as_ref());
    let outcome = ExportOutcome {
        record,
        redirects: done.redirects,
        unreadable: all.unreadable,
    };
    let out = match out {
        Destination::File(path) => path,
        Destination::Answer(answer) => {
            // Recorded before it leaves: a file the office receives always has its disclosures.
            store.record_export(&outcome.record, &done.disclosures)?;
            *answer = sealed;
            return Ok(outcome);
        }
    };
    let record = outcome.record;
    let temporary = out.with_extension(format!("partial-{id}"));
    let written = vault::private_files::open_for_writing(&temporary, true).and_then(|mut file| {
        file.write_all(&sealed)?;
        file.sync_all()
    });
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(ExportError::Write(error));
    }
    if let Err(error) = store.record_export(&record, &done.disclosures) {
        let _ = std::fs::remove_file(&temporary);
        return Err(error.into());
    }
    std::fs::rename(&temporary, out)
        .map_err(|e| ExportError::Place(temporary.display().to_string(), e))?;
    Ok(ExportOutcome {
        record,
        redirects: done.redirects,
        unreadable: all.unreadable,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

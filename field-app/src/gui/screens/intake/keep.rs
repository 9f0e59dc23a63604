//! Keeping the form as it is typed (issue 10): every change to the form is written to the
//! encrypted profile as a draft, debounced, so that leaving the screen, Ctrl+N, a lock (Ctrl+L
//! or idle), a crash or a restart loses nothing the agent typed.
//!
//! The form is encoded whole (the fields, the confirmed list items and the half-filled
//! sub-forms) as JSON, compared with what was last written, and written when the agent pauses
//! ([`QUIET_SECONDS`]) or at the latest [`MAX_WAIT_SECONDS`] into continuous typing. Anything
//! that takes the form away (another screen, a lock, a new form) writes at once.

use serde::{Deserialize, Serialize};
use shared::time::Timestamp;
use zeroize::Zeroizing;

use super::draft::Draft;
use super::sections::Forms;
use crate::storage::{DraftId, StoredDraft};

/// A pause in typing this long writes the draft.
pub(crate) const QUIET_SECONDS: f64 = 0.4;
/// Continuous typing writes the draft at least this often: a crash loses at most this much.
pub(crate) const MAX_WAIT_SECONDS: f64 = 1.5;

/// The encoding's version; a body of another version is kept in the store, not opened.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Encoding<'a> {
    version: u32,
    draft: &'a Draft,
    forms: &'a Forms,
}

#[derive(Deserialize)]
struct Decoding {
    version: u32,
    draft: Draft,
    forms: Forms,
}

/// Why a stored draft could not be opened (it stays in the store).
#[derive(Debug, thiserror::Error)]
pub(crate) enum Unreadable {
    /// Written by another version of the app.
    #[error("the draft was written by another version of the app (format {0})")]
    Version(u32),
    /// Not a form this app writes.
    #[error("the draft could not be read")]
    Damaged,
}

pub(crate) fn encode(draft: &Draft, forms: &Forms) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(
        serde_json::to_vec(&Encoding {
            version: VERSION,
            draft,
            forms,
        })
        // A form is plain data (strings, numbers, lists): encoding cannot fail.
        .unwrap_or_default(),
    )
}

pub(crate) fn decode(body: &[u8]) -> Result<(Draft, Forms), Unreadable> {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    let version = serde_json::from_slice::<VersionOnly>(body)
        .map_err(|_| Unreadable::Damaged)?
        .version;
    if version != VERSION {
        return Err(Unreadable::Version(version));
    }
    let decoded: Decoding = serde_json::from_slice(body).map_err(|_| Unreadable::Damaged)?;
    debug_assert_eq!(decoded.version, VERSION);
    Ok((decoded.draft, decoded.forms))
}

/// Where one form's draft stands: what was last written, and what changed since.
pub(crate) struct Keeper {
    pub id: DraftId,
    /// Something of this form is in the store (written, or opened from it).
    pub stored: bool,
    started_at: Timestamp,
    /// The form as last written, or as it started (a form never changed is not written).
    written: Zeroizing<Vec<u8>>,
    /// The form as last seen, when it differs from `written`.
    unwritten: Option<Zeroizing<Vec<u8>>>,
    /// When the form last changed, and when it first changed since the last write.
    changed_at: f64,
    first_change_at: f64,
}

impl Keeper {
    /// A keeper for a form that starts as `draft`/`forms` (not written until it changes).
    pub(crate) fn new(id: DraftId, draft: &Draft, forms: &Forms) -> Self {
        Self {
            id,
            stored: false,
            started_at: Timestamp::now(),
            written: encode(draft, forms),
            unwritten: None,
            changed_at: 0.0,
            first_change_at: 0.0,
        }
    }

    /// A keeper for a form opened from the store.
    pub(crate) fn opened(stored: &StoredDraft, draft: &Draft, forms: &Forms) -> Self {
        Self {
            stored: true,
            started_at: stored.started_at,
            ..Self::new(stored.id, draft, forms)
        }
    }

    /// Notes the form as it is now (at UI time `now`, seconds).
    pub(crate) fn observe(&mut self, draft: &Draft, forms: &Forms, now: f64) {
        let seen = encode(draft, forms);
        let last = self.unwritten.as_ref().unwrap_or(&self.written);
        if seen == *last {
            return;
        }
        if self.unwritten.is_none() {
            self.first_change_at = now;
        }
        self.changed_at = now;
        self.unwritten = (seen != self.written).then_some(seen);
    }

    /// Whether a change waits to be written.
    pub(crate) fn is_dirty(&self) -> bool {
        self.unwritten.is_some()
    }

    /// The draft to write now: when `urgent`, or when the debounce says so.
    pub(crate) fn due(&mut self, draft: &Draft, now: f64, urgent: bool) -> Option<StoredDraft> {
        self.unwritten.as_ref()?;
        let quiet = now - self.changed_at >= QUIET_SECONDS;
        let waited = now - self.first_change_at >= MAX_WAIT_SECONDS;
        if !(urgent || quiet || waited) {
            return None;
        }
        let body = self.unwritten.take()?;
        self.written.clone_from(&body);
        self.stored = true;
        Some(StoredDraft {
            id: self.id,
            record: draft.base.as_ref().map(|b| b.id),
            label: draft.label(),
            body,
            started_at: self.started_at,
            updated_at: Timestamp::now(),
        })
    }
}

//! The laptop's audit trail (issue 12): every view of a record, create, edit, consent change,
//! merge, settle, print, unlock and failed unlock appended to this device's hash-chained log
//! ([`shared::audit`]) inside the encrypted store — writes in the same transaction as the change
//! they record. Entries hold ids and actions, never client data.
//!
//! A failed unlock cannot write into a store it could not open: its time goes to a small
//! plaintext file beside the store (`failed-unlocks`, times only), turned into entries at the
//! next unlock and then removed.

use std::path::Path;

use rusqlite::{OptionalExtension as _, Transaction, params};
use shared::audit::{Anchor, AuditAction, AuditEntry, ChainBreak, verify_chain};
use shared::ids::ClientId;
use shared::time::Timestamp;
use shared::{Author, Client};

use super::{LocalStore, StoreError};

/// The file of failed unlock times (milliseconds, one per line).
pub const FAILED_UNLOCKS_FILE: &str = "failed-unlocks";
/// At most this many failed unlocks are kept between two unlocks (a bound on the file).
const MAX_FAILED_UNLOCKS: usize = 1_000;

/// Appends one entry inside the caller's transaction.
pub(super) fn append(
    tx: &Transaction<'_>,
    author: Author,
    action: AuditAction,
    record: Option<ClientId>,
    at: Timestamp,
) -> Result<(), StoreError> {
    let last: Option<Vec<u8>> = tx
        .prepare_cached("SELECT entry FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let previous = match last {
        Some(bytes) => Some(AuditEntry::decode(&bytes).ok_or(StoreError::AuditDamaged)?),
        None => None,
    };
    let entry = AuditEntry::next(
        previous.as_ref(),
        author.device,
        author.agent,
        action,
        record,
        at,
    );
    tx.prepare_cached("INSERT INTO audit (seq, record, entry) VALUES (?1, ?2, ?3)")?
        .execute(params![
            i64::try_from(entry.seq).unwrap_or(i64::MAX),
            record.map(|r| r.0.as_bytes().to_vec()),
            entry.encode()
        ])?;
    Ok(())
}

/// The entries an intake save writes for one record: created or changed, and a consent change
/// when its consent events differ from before.
pub(super) fn for_save(
    tx: &Transaction<'_>,
    author: Author,
    before: Option<&Client>,
    after: &Client,
    at: Timestamp,
) -> Result<(), StoreError> {
    let action = if before.is_some() {
        AuditAction::Edit
    } else {
        AuditAction::Create
    };
    append(tx, author, action, Some(after.id), at)?;
    if before.map_or(!after.consent.is_empty(), |b| b.consent != after.consent) {
        append(tx, author, AuditAction::ConsentChange, Some(after.id), at)?;
    }
    Ok(())
}

/// Notes a failed unlock of the profile in `dir` (its time only).
pub fn note_failed_unlock(dir: &Path, at: Timestamp) {
    use std::io::Write as _;
    let path = dir.join(FAILED_UNLOCKS_FILE);
    let lines = std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
    if lines >= MAX_FAILED_UNLOCKS {
        return;
    }
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let _ = writeln!(file, "{}", at.0);
    }
}

impl LocalStore {
    /// Appends one entry in its own transaction (a view, a print: nothing else is written).
    pub fn audit(
        &mut self,
        action: AuditAction,
        record: Option<ClientId>,
    ) -> Result<(), StoreError> {
        let author = self.author;
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        append(&tx, author, action, record, Timestamp::now())?;
        tx.commit()?;
        Ok(())
    }

    /// The unlock that just happened, after the failed ones noted in `dir` since the last.
    pub(super) fn audit_unlock(&mut self, dir: &Path) -> Result<(), StoreError> {
        let path = dir.join(FAILED_UNLOCKS_FILE);
        let failed: Vec<Timestamp> = std::fs::read_to_string(&path)
            .map(|text| {
                text.lines()
                    .filter_map(|l| l.trim().parse::<i64>().ok())
                    .take(MAX_FAILED_UNLOCKS)
                    .map(Timestamp)
                    .collect()
            })
            .unwrap_or_default();
        let author = self.author;
        let tx = self
            .connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for at in &failed {
            append(&tx, author, AuditAction::FailedUnlock, None, *at)?;
        }
        append(&tx, author, AuditAction::Unlock, None, Timestamp::now())?;
        tx.commit()?;
        if !failed.is_empty() {
            let _ = std::fs::remove_file(&path);
        }
        Ok(())
    }

    /// This device's whole audit chain, oldest first.
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.entries_where("", &[])
    }

    fn entries_where(
        &self,
        clause: &str,
        values: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(&format!("SELECT entry FROM audit {clause} ORDER BY seq"))?;
        let rows = statement.query_map(values, |r| r.get::<_, Vec<u8>>(0))?;
        let mut entries = Vec::new();
        for row in rows {
            entries.push(AuditEntry::decode(&row?).ok_or(StoreError::AuditDamaged)?);
        }
        Ok(entries)
    }

    /// Checks this device's chain (against `anchor`, the head accepted earlier, when known).
    pub fn verify_audit(
        &self,
        anchor: Option<Anchor>,
    ) -> Result<Result<Option<Anchor>, ChainBreak>, StoreError> {
        Ok(verify_chain(
            &self.audit_entries()?,
            self.author.device,
            anchor,
        ))
    }

    /// The entries about one record (its access report on this device), oldest first — read
    /// through the record index, not the whole chain (every record screen asks for them).
    pub fn audit_of(&self, id: ClientId) -> Result<Vec<AuditEntry>, StoreError> {
        let entries = self.entries_where("WHERE record = ?1", &[&id.0.as_bytes().as_slice()])?;
        // The index column is not hashed: the entry itself decides.
        Ok(entries
            .into_iter()
            .filter(|e| e.record == Some(id))
            .collect())
    }
}

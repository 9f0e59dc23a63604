//! The one migration runner for every schema kept in a vault database (the laptop's profile, a
//! node's store): numbered SQL steps applied in order, one transaction each, the count recorded
//! in `PRAGMA user_version`. Never edit a shipped step: add a new one.

use rusqlite::Connection;

/// Why a schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// The database was written by a newer build (it knows more steps than this one).
    #[error("the database has schema version {found}; this build knows up to {supported}")]
    Newer {
        /// Version found.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A step failed; the database stays at the last step that committed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Applies the steps of `migrations` the database has not had yet.
pub fn migrate(connection: &mut Connection, migrations: &[&str]) -> Result<(), MigrationError> {
    let supported = i64::try_from(migrations.len()).unwrap_or(i64::MAX);
    let current: i64 = connection.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > supported {
        return Err(MigrationError::Newer {
            found: current,
            supported,
        });
    }
    for (index, sql) in migrations
        .iter()
        .enumerate()
        .skip(usize::try_from(current).unwrap_or(0))
    {
        let tx = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(index + 1).unwrap_or(i64::MAX),
        )?;
        tx.commit()?;
    }
    Ok(())
}

//! The node database's schema migrations, applied by `vault::migrate` (in order, one
//! transaction each, recorded in `PRAGMA user_version`). Never edit a shipped migration: add a new one. Stores made before
//! versioning (user_version 0, tables already there) take migration 1 as a no-op, since every
//! statement in it is `IF NOT EXISTS`.

use rusqlite::Connection;

use super::OpenError;
use crate::storage::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: the schema as first shipped.
    "
    CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS enrollments (
        secret_hash BLOB PRIMARY KEY, role TEXT NOT NULL, scope TEXT NOT NULL,
        expires_at INTEGER NOT NULL, redeemed_by BLOB) STRICT;
    CREATE TABLE IF NOT EXISTS devices (
        id BLOB PRIMARY KEY, public_key BLOB NOT NULL, role TEXT NOT NULL, scope TEXT NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0, suspected_clone INTEGER NOT NULL DEFAULT 0,
        last_counter INTEGER NOT NULL DEFAULT 0, enrolled_at INTEGER NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS counter_history (
        device BLOB NOT NULL, counter INTEGER NOT NULL, digest BLOB NOT NULL,
        PRIMARY KEY (device, counter)) STRICT, WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS documents (
        client_id BLOB PRIMARY KEY, community TEXT NOT NULL, epoch INTEGER NOT NULL,
        doc BLOB NOT NULL, updated_at INTEGER NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id BLOB NOT NULL, community TEXT NOT NULL,
        epoch INTEGER NOT NULL, origin BLOB NOT NULL, change_hash BLOB NOT NULL UNIQUE,
        change BLOB NOT NULL) STRICT;
    CREATE INDEX IF NOT EXISTS log_community_seq ON log (community, seq);
    CREATE TABLE IF NOT EXISTS upload_parts (
        device BLOB NOT NULL, upload_id BLOB NOT NULL, total_len INTEGER NOT NULL,
        offset INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (device, upload_id, offset)) STRICT;
    CREATE TABLE IF NOT EXISTS applied_uploads (
        device BLOB NOT NULL, upload_id BLOB NOT NULL, applied INTEGER NOT NULL,
        duplicates INTEGER NOT NULL, refused INTEGER NOT NULL, at INTEGER NOT NULL,
        PRIMARY KEY (device, upload_id)) STRICT;
    ",
    // 2: document revisions, so writes are compare-and-set (several writers, one database).
    "
    ALTER TABLE documents ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
    ",
    // 3: which changes of an applied upload were refused and why (the device keeps them held).
    "
    ALTER TABLE applied_uploads ADD COLUMN refusals BLOB NOT NULL DEFAULT x'00';
    ",
    // 4: when each upload part was kept, so abandoned parts expire.
    "
    ALTER TABLE upload_parts ADD COLUMN kept_at INTEGER NOT NULL DEFAULT 0;
    ",
    // 5: exports to partners and one disclosure record per client released (issue 12); ids,
    // codes and column names only, never a client's values.
    "
    CREATE TABLE exports (
        export_id BLOB PRIMARY KEY,
        partner   TEXT NOT NULL,
        purpose   TEXT NOT NULL,
        at        INTEGER NOT NULL,
        body      TEXT NOT NULL
    ) STRICT;
    CREATE TABLE disclosures (
        export_id BLOB NOT NULL REFERENCES exports(export_id),
        client_id BLOB NOT NULL,
        partner   TEXT NOT NULL,
        at        INTEGER NOT NULL,
        body      TEXT NOT NULL,
        PRIMARY KEY (export_id, client_id)
    ) STRICT;
    CREATE INDEX disclosures_client ON disclosures(client_id, at);
    CREATE INDEX disclosures_partner ON disclosures(partner, at);
    ",
    // 6: each document's record as ingest validated it (JSON), so office tools read rows
    // instead of rebuilding every record from its CRDT; NULL on rows written before this
    // version (readers fall back to the document).
    "
    ALTER TABLE documents ADD COLUMN record TEXT;
    ",
    // 7: devices' audit trails (issue 12): the entries each device sent, in receipt order (a
    // restored device may send a sequence number again), the head accepted last per device,
    // and every break found, once.
    "
    CREATE TABLE audit_entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device BLOB NOT NULL,
        seq INTEGER NOT NULL,
        record BLOB,
        entry BLOB NOT NULL,
        received_at INTEGER NOT NULL
    );
    CREATE INDEX audit_entries_by_device ON audit_entries (device, id);
    CREATE INDEX audit_entries_by_record ON audit_entries (record, id) WHERE record IS NOT NULL;
    CREATE TABLE audit_anchors (
        device BLOB PRIMARY KEY,
        seq INTEGER NOT NULL,
        hash BLOB NOT NULL
    );
    CREATE TABLE audit_flags (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device BLOB NOT NULL,
        code INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        from_seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        UNIQUE (device, code, seq, from_seq)
    );
    ",
];

pub(super) fn migrate(connection: &mut Connection) -> Result<(), OpenError> {
    vault::migrate(connection, MIGRATIONS).map_err(|error| match error {
        vault::MigrationError::Newer { found, supported } => {
            OpenError::NewerSchema { found, supported }
        }
        vault::MigrationError::Sqlite(sqlite) => OpenError::Schema(StoreError::from(sqlite)),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

    #[test]
    fn a_store_from_before_versioning_is_migrated_in_place() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection.execute_batch(MIGRATIONS[0]).unwrap();
        connection
            .execute_batch(
                "INSERT INTO documents (client_id, community, epoch, doc, updated_at) VALUES (x'01', 'nu.iqaluit', 0, x'00', 1);",
            )
            .unwrap();
        migrate(&mut connection).unwrap();
        let (version, revision): (i64, i64) = (
            connection
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap(),
            connection
                .query_row("SELECT revision FROM documents", [], |r| r.get(0))
                .unwrap(),
        );
        assert_eq!((version, revision), (SCHEMA_VERSION, 1));
        migrate(&mut connection).unwrap();
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut connection),
            Err(OpenError::NewerSchema { .. })
        ));
    }
}

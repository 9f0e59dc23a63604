//! The profile's schema migrations, applied by `vault::migrate` (in order, one transaction
//! each). Never edit a shipped migration: add a new one.

use rusqlite::Connection;

use super::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: documents, their projection for lists and search, the outbox, profile settings.
    "
    CREATE TABLE profile (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

    -- One Automerge document per client, saved whole (compressed, with history).
    CREATE TABLE documents (
        client_id  BLOB PRIMARY KEY,
        epoch      INTEGER NOT NULL,
        doc        BLOB NOT NULL,
        heads      BLOB NOT NULL,
        updated_at INTEGER NOT NULL
    ) STRICT;

    -- What lists and search need, updated in the same transaction as the document.
    CREATE TABLE projection (
        client_id       BLOB PRIMARY KEY REFERENCES documents(client_id),
        given_name      TEXT NOT NULL,
        family_name     TEXT NOT NULL,
        preferred_name  TEXT,
        other_names     TEXT NOT NULL,
        date_of_birth   TEXT,
        community       TEXT NOT NULL,
        open_referrals  INTEGER NOT NULL,
        next_follow_up  TEXT,
        conflicts       INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX projection_community ON projection(community);
    CREATE INDEX projection_follow_up ON projection(next_follow_up) WHERE next_follow_up IS NOT NULL;

    -- Changes no node has acknowledged yet, oldest first (the sync engine drains it).
    CREATE TABLE outbox (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        client_id   BLOB NOT NULL,
        change_hash BLOB NOT NULL UNIQUE,
        change      BLOB NOT NULL,
        created_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX outbox_client ON outbox(client_id);
    ",
    // 2: the link to a node (URL, pinned certificate, device key, cursor, counter) and the
    // upload in flight, kept until the node acknowledges it.
    "
    CREATE TABLE sync_link (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
    CREATE TABLE pending_upload (
        upload_id BLOB PRIMARY KEY,
        blob      BLOB NOT NULL,
        max_seq   INTEGER NOT NULL,
        changes   INTEGER NOT NULL,
        attempts  INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    ",
    // 3: changes the node refused, held on the laptop with the reason until resent; pulled
    // changes or records this build could not apply or read, kept visibly instead of skipped.
    "
    CREATE TABLE held (
        seq         INTEGER PRIMARY KEY,
        client_id   BLOB NOT NULL,
        change_hash BLOB NOT NULL UNIQUE,
        change      BLOB NOT NULL,
        reason      TEXT NOT NULL,
        held_at     INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX held_client ON held(client_id);
    CREATE TABLE quarantine (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        client_id   BLOB NOT NULL,
        change      BLOB,
        reason      TEXT NOT NULL,
        since       INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX quarantine_client ON quarantine(client_id);
    ",
    // 4: intake forms as they are typed, kept until saved or discarded (issue 10): a lock, a
    // crash or a dead battery loses at most the last second of typing.
    "
    CREATE TABLE drafts (
        draft_id   BLOB PRIMARY KEY,
        record_id  BLOB,
        label      TEXT NOT NULL,
        body       BLOB NOT NULL,
        started_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    ) STRICT;
    ",
    // 5: records the office merged into another (issue 11) stay, as redirects, out of lists
    // and search; no record was merged before this version, so NULL is right for every row.
    "
    ALTER TABLE projection ADD COLUMN merged_into BLOB;
    ",
    // 6: an outside reference (paper form number, legacy id) is searchable (issue 11); no record
    // had one before this version, so NULL is right for every row.
    "
    ALTER TABLE projection ADD COLUMN external_reference TEXT;
    ",
    // 7: the office's review queue (issue 11): who created each record, for its agent filter
    // (NULL on rows written before this version: `LocalStore::backfill_created_by` fills them
    // from the documents at the next open), and the records this device marked reviewed, with
    // the record's last change at that moment (a later change puts it back in the queue).
    // Review marks are this office device's work state: they are not synced.
    "
    ALTER TABLE projection ADD COLUMN created_by BLOB;
    CREATE TABLE reviewed (
        client_id   BLOB PRIMARY KEY,
        reviewed_up_to INTEGER NOT NULL
    ) STRICT;
    ",
    // 8: this device's hash-chained audit trail (issue 12): one fixed-size entry per view,
    // create, edit, consent change, merge, settle, print, unlock and failed unlock.
    "
    CREATE TABLE audit (
        seq    INTEGER PRIMARY KEY,
        record BLOB,
        entry  BLOB NOT NULL
    ) STRICT;
    CREATE INDEX audit_record ON audit(record) WHERE record IS NOT NULL;
    ",
    // 9: each document's record as last read (JSON of `shared::Client`), so the office's
    // reports and queues read rows instead of loading every CRDT (NULL on rows written before:
    // readers fall back to the document).
    "
    ALTER TABLE documents ADD COLUMN record TEXT;
    ",
    // 10: what the office's reports need of each record (`shared::report::ReportFacts`, a few
    // dozen bytes of JSON) in rows of their own, so 100,000 of them are read without walking
    // past any document; records without a row are read from their document.
    "
    CREATE TABLE report_facts (
        client_id BLOB PRIMARY KEY,
        facts     TEXT NOT NULL
    ) STRICT;
    ",
];

pub(crate) fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    vault::migrate(connection, MIGRATIONS).map_err(|error| match error {
        vault::MigrationError::Newer { found, supported } => {
            StoreError::NewerSchema { found, supported }
        }
        vault::MigrationError::Sqlite(sqlite) => StoreError::Sqlite(sqlite),
    })
}

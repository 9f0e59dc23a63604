//! What the home and find screens ask of the store beyond single records: counts, which records
//! wait for a sync, and a fresh index after a sync brought changes in on another connection.

use std::collections::HashSet;

use shared::ids::ClientId;
use shared::time::{CalendarDate, Timestamp};

use super::{LocalStore, StoreError};

impl LocalStore {
    /// Records created at or after `since` (e.g. today, or since the visit began).
    pub fn created_since(&self, since: Timestamp) -> Result<u64, StoreError> {
        let n: i64 = self.connection.query_row(
            "SELECT count(*) FROM projection WHERE created_at >= ?1 AND merged_into IS NULL",
            [since.0],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Records with changes no node has acknowledged, held ones included.
    pub fn not_synced_ids(&self) -> Result<HashSet<ClientId>, StoreError> {
        self.ids_of("SELECT client_id FROM outbox UNION SELECT client_id FROM held")
    }

    /// Records with changes the node refused, held on this laptop.
    pub fn held_ids(&self) -> Result<HashSet<ClientId>, StoreError> {
        self.ids_of("SELECT DISTINCT client_id FROM held")
    }

    fn ids_of(&self, query: &str) -> Result<HashSet<ClientId>, StoreError> {
        let mut statement = self.connection.prepare_cached(query)?;
        let rows = statement.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        let mut ids = HashSet::new();
        for row in rows {
            if let Ok(uuid) = uuid::Uuid::from_slice(&row?) {
                ids.insert(ClientId(uuid));
            }
        }
        Ok(ids)
    }

    /// Parses intake lines (schema v1) as imported now on this device and saves them all in one
    /// transaction. For fictional data (the demo, tests, benchmarks): a bad line is an error
    /// naming its number, never its content.
    pub fn import_lines(&mut self, lines: &[String]) -> Result<Vec<crate::Saved>, StoreError> {
        let context = shared::intake_schema::ImportContext::now_by(self.author());
        let clients = lines
            .iter()
            .map(|line| shared::intake_schema::parse_line(line, &context, self.catalogue()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Import(e.to_string()))?;
        self.save_all(&clients)
    }

    /// Number of records in the search index (what find searches).
    #[must_use]
    pub fn indexed(&self) -> usize {
        self.index.len()
    }
}

impl LocalStore {
    /// How many records have an open follow-up due on or before `day` (Home's next step).
    pub fn count_follow_ups_due(&self, day: CalendarDate) -> Result<u64, StoreError> {
        let n: i64 = self.connection.query_row(
            "SELECT count(*) FROM projection WHERE next_follow_up <= ?1 AND merged_into IS NULL",
            [day.to_string()],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

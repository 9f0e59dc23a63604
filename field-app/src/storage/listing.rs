//! Reading records for lists and search: one [`FindQuery`] for the find screen and
//! `field-app list` (search text combined with every filter), the plain listing,
//! search-as-you-type, the "possible existing client" lookup, and the projection row they all
//! return.

use rusqlite::OptionalExtension as _;
use shared::ids::{AgentId, ClientId, CommunityCode};
use shared::matching::SearchQuery;
use shared::time::{CalendarDate, Timestamp};

use super::{ClientSummary, LocalStore, StoreError};

/// Filters for the record list.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    /// Only this community.
    pub community: Option<CommunityCode>,
    /// Only records with an open follow-up due on or before this date.
    pub follow_up_due_by: Option<CalendarDate>,
    /// Only records with open referrals.
    pub open_referrals: bool,
    /// Only records with changes no node has acknowledged (held ones included).
    pub not_synced: bool,
    /// Only records with changes the node refused, held on this laptop.
    pub held: bool,
}

/// One query for every listing (the GUI's find screen, `field-app list`): optional search text
/// (names and/or a date of birth, fuzzy, any script) combined with every filter.
#[derive(Clone, Debug, Default)]
pub struct FindQuery {
    /// Names and/or a date of birth, as typed; empty lists instead of searching.
    pub text: String,
    /// The filters, applied to search results too.
    pub filter: ListFilter,
    /// At most this many rows; `None`: every match.
    pub limit: Option<u32>,
}

/// What a [`FindQuery`] found.
#[derive(Clone, Debug, Default)]
pub struct Found {
    /// Matching records: best match first when searching, by name when listing.
    pub rows: Vec<ClientSummary>,
    /// More records matched than the limit let through.
    pub truncated: bool,
}

impl LocalStore {
    /// One record's projection row.
    pub(super) fn summary(&self, id: ClientId) -> Result<Option<ClientSummary>, StoreError> {
        Ok(self
            .connection
            .prepare_cached(&format!("{SUMMARY_SELECT} WHERE client_id = ?1"))?
            .query_row([id.0.as_bytes()], summary_from_row)
            .optional()?)
    }

    /// Records for the list, sorted by family then given name.
    pub fn list(&self, filter: &ListFilter, limit: u32) -> Result<Vec<ClientSummary>, StoreError> {
        let mut conditions = Vec::new();
        let mut values: Vec<String> = Vec::new();
        // A merged-away record is a redirect: lists show the record it points to.
        conditions.push("merged_into IS NULL".into());
        if let Some(community) = &filter.community {
            values.push(community.to_string());
            conditions.push(format!("community = ?{}", values.len()));
        }
        if let Some(due) = filter.follow_up_due_by {
            values.push(due.to_string());
            conditions.push(format!("next_follow_up <= ?{}", values.len()));
        }
        if filter.open_referrals {
            conditions.push("open_referrals > 0".into());
        }
        if filter.not_synced {
            conditions.push(
                "(EXISTS (SELECT 1 FROM outbox o WHERE o.client_id = projection.client_id)
                  OR EXISTS (SELECT 1 FROM held h WHERE h.client_id = projection.client_id))"
                    .into(),
            );
        }
        if filter.held {
            conditions.push(
                "EXISTS (SELECT 1 FROM held h WHERE h.client_id = projection.client_id)".into(),
            );
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        self.summaries(&clause, &values, limit)
    }

    /// Records matching a [`FindQuery`]: searched through the index when it has text, listed
    /// otherwise; every filter applies either way.
    pub fn find(&self, query: &FindQuery) -> Result<Found, StoreError> {
        let limit = query
            .limit
            .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
        let mut rows = if query.text.trim().is_empty() {
            let sql_limit = query.limit.map_or(u32::MAX, |l| l.saturating_add(1));
            self.list(&query.filter, sql_limit)?
        } else {
            let not_synced = if query.filter.not_synced {
                self.not_synced_ids()?
            } else {
                std::collections::HashSet::new()
            };
            let held = if query.filter.held {
                self.held_ids()?
            } else {
                std::collections::HashSet::new()
            };
            let due_by = query.filter.follow_up_due_by.map(|d| d.to_string());
            let keep = |row: &ClientSummary| {
                due_by.as_deref().is_none_or(|due| {
                    row.next_follow_up
                        .as_deref()
                        .is_some_and(|next| next <= due)
                }) && (!query.filter.open_referrals || row.open_referrals > 0)
                    && (!query.filter.not_synced || not_synced.contains(&row.id))
                    && (!query.filter.held || held.contains(&row.id))
            };
            let hits = self.index.search(&SearchQuery {
                text: query.text.clone(),
                community: query.filter.community.clone(),
                limit: usize::MAX,
            });
            // Rows are read hit by hit, best first, only until one more than the limit is kept:
            // a short prefix can match most of the index, and every read costs a page decrypt.
            let mut rows = Vec::new();
            for hit in hits {
                if rows.len() > limit {
                    break;
                }
                if let Some(row) = self.summary(hit.id)?.filter(|row| keep(row)) {
                    rows.push(row);
                }
            }
            rows
        };
        let truncated = rows.len() > limit;
        rows.truncate(limit);
        Ok(Found { rows, truncated })
    }

    /// Search-as-you-type over the index, by name and date of birth only (see
    /// [`LocalStore::find`] for search combined with filters).
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<ClientSummary>, StoreError> {
        let hits = self.index.search(query);
        let mut found = Vec::with_capacity(hits.len());
        for hit in hits {
            found.extend(self.summary(hit.id)?);
        }
        Ok(found)
    }

    /// Records that may be the person being typed into the intake form ("possible existing
    /// client"): search hits that match **every** name word typed, best first — a shared
    /// family name alone is not a warning.
    pub fn possible_matches(
        &self,
        text: &str,
        limit: usize,
    ) -> Result<Vec<ClientSummary>, StoreError> {
        let hits = self.index.search(&SearchQuery {
            text: text.to_owned(),
            community: None,
            limit: limit.saturating_mul(4).max(8),
        });
        let mut found = Vec::new();
        for hit in hits.iter().filter(|h| h.words_matched >= h.words) {
            if found.len() == limit {
                break;
            }
            found.extend(self.summary(hit.id)?);
        }
        Ok(found)
    }

    pub(super) fn summaries(
        &self,
        clause: &str,
        values: &[String],
        limit: u32,
    ) -> Result<Vec<ClientSummary>, StoreError> {
        let sql =
            format!("{SUMMARY_SELECT} {clause} ORDER BY family_name, given_name LIMIT {limit}");
        let mut statement = self.connection.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values), summary_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

pub(super) const SUMMARY_SELECT: &str =
    "SELECT client_id, given_name, family_name, preferred_name, other_names, date_of_birth,
    community, open_referrals, next_follow_up, conflicts, created_at, updated_at, merged_into,
    external_reference, created_by FROM projection";

pub(super) fn summary_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ClientSummary> {
    let id_bytes: Vec<u8> = row.get(0)?;
    let id = uuid::Uuid::from_slice(&id_bytes).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
    })?;
    let other_names: String = row.get(4)?;
    Ok(ClientSummary {
        id: ClientId(id),
        given_name: row.get(1)?,
        family_name: row.get(2)?,
        preferred_name: row.get(3)?,
        other_names: serde_json::from_str(&other_names).unwrap_or_default(),
        date_of_birth: row.get(5)?,
        community: CommunityCode::new(row.get::<_, String>(6)?),
        open_referrals: row.get(7)?,
        next_follow_up: row.get(8)?,
        conflicts: row.get(9)?,
        created_at: Timestamp(row.get(10)?),
        updated_at: Timestamp(row.get(11)?),
        merged_into: row
            .get::<_, Option<Vec<u8>>>(12)?
            .and_then(|b| uuid::Uuid::from_slice(&b).ok())
            .map(ClientId),
        external_reference: row.get(13)?,
        created_by: row
            .get::<_, Option<Vec<u8>>>(14)?
            .and_then(|b| uuid::Uuid::from_slice(&b).ok())
            .map(AgentId),
    })
}

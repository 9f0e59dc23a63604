//! The SQL of exports and the disclosure register (issue 12), called by the `Store` impl in
//! `sqlite.rs`. Who may be released, and what, is decided by `crate::export`, not here.

use rusqlite::{Connection, Transaction};

use crate::storage::{DisclosureQuery, ExportRecord, StoreError};

/// Writes the export and one disclosure per client released, in the caller's transaction.
pub(super) fn record(
    tx: &Transaction<'_>,
    export: &ExportRecord,
    disclosures: &[shared::disclosure::Disclosure],
) -> Result<(), StoreError> {
    let body = serde_json::to_string(export).map_err(|e| StoreError::Backend(e.to_string()))?;
    tx.execute(
        "INSERT INTO exports (export_id, partner, purpose, at, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![
            export.id.as_bytes().as_slice(),
            export.partner.as_str(),
            export.purpose.as_str(),
            export.at.0,
            body
        ],
    )?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO disclosures (export_id, client_id, partner, at, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for disclosure in disclosures {
            let body = serde_json::to_string(disclosure)
                .map_err(|e| StoreError::Backend(e.to_string()))?;
            insert.execute(rusqlite::params![
                disclosure.export.as_bytes().as_slice(),
                disclosure.client.0.as_bytes().as_slice(),
                disclosure.partner.as_str(),
                disclosure.at.0,
                body
            ])?;
        }
    }
    Ok(())
}

/// Disclosures matching `query`, oldest first, at most `limit`.
pub(super) fn find(
    db: &Connection,
    query: &DisclosureQuery,
    limit: u32,
) -> Result<Vec<shared::disclosure::Disclosure>, StoreError> {
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(partner) = &query.partner {
        values.push(partner.as_str().to_owned().into());
        conditions.push(format!("partner = ?{}", values.len()));
    }
    if let Some(client) = query.client {
        values.push(client.0.as_bytes().to_vec().into());
        conditions.push(format!("client_id = ?{}", values.len()));
    }
    if let Some(from) = query.from {
        values.push(from.0.into());
        conditions.push(format!("at >= ?{}", values.len()));
    }
    if let Some(until) = query.until {
        values.push(until.0.into());
        conditions.push(format!("at < ?{}", values.len()));
    }
    let mut statement = db.prepare(&format!(
        "SELECT body FROM disclosures WHERE {} ORDER BY at, export_id, client_id LIMIT {limit}",
        conditions.join(" AND ")
    ))?;
    let mut rows = statement.query(rusqlite::params_from_iter(values))?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        let body: String = row.get(0)?;
        found.push(
            serde_json::from_str(&body).map_err(|_| StoreError::Damaged("a disclosure record"))?,
        );
    }
    Ok(found)
}

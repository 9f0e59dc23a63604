//! Intake schema v1: one client record per JSON line (`docs/intake-schema.md`).
//!
//! The same lines feed `field-app add` and `sync-server import`. A line is the serde form of
//! [`Client`] plus `"schema": 1`; `id` and `provenance` may be left out (paper forms typed
//! later), and the importer fills them in. Errors name the line, a field path and a code —
//! never a value, since values are personal information.

use serde_json::{Map, Value};

use crate::catalogue::Catalogue;
use crate::ids::{AgentId, ClientId, DeviceId, SiteCode, VisitId};
use crate::model::{Client, Provenance, ValidationError, validate_client};
use crate::time::{CalendarDate, Timestamp};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u64 = 1;
/// The longest line accepted, in bytes.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// Who is importing, used where a line has no `id` or `provenance`.
#[derive(Clone, Debug)]
pub struct ImportContext {
    /// The agent importing.
    pub agent: AgentId,
    /// The device importing.
    pub device: DeviceId,
    /// The site, if known.
    pub site: Option<SiteCode>,
    /// The visit, if known.
    pub visit: Option<VisitId>,
    /// Now.
    pub now: Timestamp,
    /// Today (for date-of-birth checks).
    pub today: CalendarDate,
}

impl ImportContext {
    /// Lines imported now by `author`, with no site or visit.
    #[must_use]
    pub fn now_by(author: crate::Author) -> Self {
        Self {
            agent: author.agent,
            device: author.device,
            site: None,
            visit: None,
            now: Timestamp::now(),
            today: CalendarDate::today_utc(),
        }
    }
}

/// Why one line was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// Over [`MAX_LINE_BYTES`].
    #[error("line is longer than {MAX_LINE_BYTES} bytes")]
    TooLong,
    /// Not JSON, or not a JSON object.
    #[error("not a JSON object ({0})")]
    NotJson(String),
    /// `schema` missing or not a version this build reads.
    #[error("missing or unsupported \"schema\" (this build reads version {SCHEMA_VERSION})")]
    UnsupportedSchema,
    /// The object does not have the shape of a record.
    #[error("record has the wrong shape: {0}")]
    Shape(String),
    /// Shape is fine; some fields are invalid.
    #[error("{} invalid field(s): {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ValidationError>),
}

/// Parses and validates one line into a record.
pub fn parse_line(
    line: &str,
    context: &ImportContext,
    catalogue: &Catalogue,
) -> Result<Client, LineError> {
    if line.len() > MAX_LINE_BYTES {
        return Err(LineError::TooLong);
    }
    let value: Value = serde_json::from_str(line).map_err(|e| LineError::NotJson(describe(&e)))?;
    let Value::Object(mut object) = value else {
        return Err(LineError::NotJson("expected an object".into()));
    };
    match object.remove("schema") {
        Some(Value::Number(n)) if n.as_u64() == Some(SCHEMA_VERSION) => {}
        _ => return Err(LineError::UnsupportedSchema),
    }
    object
        .entry("id")
        .or_insert_with(|| Value::String(ClientId::random().to_string()));
    if !object.contains_key("provenance") {
        let stamp = Provenance {
            created_by: context.agent,
            device: context.device,
            site: context.site.clone(),
            visit: context.visit,
            created_at: context.now,
            updated_at: context.now,
            updated_by: context.agent,
        };
        let stamp = serde_json::to_value(stamp).map_err(|e| LineError::Shape(describe(&e)))?;
        object.insert("provenance".into(), stamp);
    }
    let client: Client = serde_json::from_value(Value::Object(object))
        .map_err(|e| LineError::Shape(describe(&e)))?;
    validate_client(&client, catalogue, context.today).map_err(LineError::Invalid)?;
    Ok(client)
}

/// Writes a record as one line of schema v1 (no trailing newline). Keys are in a stable order.
pub fn to_line(client: &Client) -> String {
    let mut object = Map::new();
    object.insert("schema".into(), Value::from(SCHEMA_VERSION));
    if let Ok(Value::Object(fields)) = serde_json::to_value(client) {
        object.extend(fields);
    }
    Value::Object(object).to_string()
}

/// serde_json's messages quote offending *values*; keep only schema words and positions.
fn describe(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let schema_only = ["missing field `", "unknown field `", "duplicate field `"];
    if schema_only.iter().any(|p| message.starts_with(p))
        && let Some(end) = message.find("` ").or_else(|| message.rfind('`'))
    {
        return format!(
            "{} (column {})",
            &message[..=end.min(message.len() - 1)],
            error.column()
        );
    }
    let what = match error.classify() {
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Eof => "line ends early",
        serde_json::error::Category::Data => "a value has the wrong type or is out of range",
        serde_json::error::Category::Io => "read error",
    };
    if error.line() == 0 {
        what.to_owned()
    } else {
        format!("{what} at column {}", error.column())
    }
}

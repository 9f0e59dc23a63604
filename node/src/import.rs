//! Bulk import into a node (issue 11): intake lines of schema v1 (paper forms typed later,
//! legacy lists), **all or nothing**. Every line is parsed and validated first; one refused
//! line and nothing is written, and the report names each refused line by number, field and
//! code (never a value). Accepted records become documents authored by the node's own import
//! device (an office device of every community, registered once) and go through the same
//! ingest as a sync, in one commit when they fit one upload.
//!
//! A line without an `id` gets one derived from the file's content and the line number, and a
//! record whose id the node already holds is left as it is (import adds records; edits go
//! through a device), so importing the same file again — after a crash, say — adds nothing.

use serde_json::Value;
use shared::ClientDoc;
use shared::catalogue::Catalogue;
use shared::doc::Author;
use shared::ids::{AgentId, ClientId, CommunityCode, DeviceId};
use shared::intake_schema::{ImportContext, LineError, MAX_LINE_BYTES, parse_line};
use shared::model::Client;
use shared::protocol::BatchChange;
use shared::protocol::enroll::{EVERY_COMMUNITY, Role, Scope};
use shared::time::{CalendarDate, Timestamp};

use crate::ingest::apply_upload;
use crate::storage::{DeviceRecord, Enrollment, Store, StoreError};

/// Largest import file.
pub const MAX_IMPORT_BYTES: usize = 512 * 1024 * 1024;
/// Records per upload (each upload is one commit).
const RECORDS_PER_UPLOAD: usize = 20_000;
const IMPORT_DEVICE: &str = "import_device";

/// One refused line: its number (from 1), the field (or `line`), and a code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedLine {
    /// Line number, from 1.
    pub line: usize,
    /// The field path, or `line` when the whole line is at fault.
    pub field: String,
    /// A stable code (`validation-…`, `not_json`, `schema`, `shape`, `too_long`).
    pub code: String,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Some lines were refused (listed); nothing was written.
    #[error("{} line(s) refused; nothing was imported", .0.len())]
    Refused(Vec<RefusedLine>),
    /// The file is larger than [`MAX_IMPORT_BYTES`] or not UTF-8.
    #[error("{0}")]
    Input(&'static str),
    /// The catalogue records are checked against is not available.
    #[error("the catalogue is not available")]
    NoCatalogue,
    /// The node refused records after they passed the checks (scope, size).
    #[error("the node refused {0} change(s); nothing more was imported")]
    NodeRefused(u32),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Records in the file.
    pub records: usize,
    /// New changes stored.
    pub applied: u64,
    /// Records the node already held (left as they are).
    pub already: u64,
}

fn refused_lines(number: usize, error: &LineError) -> Vec<RefusedLine> {
    let whole = |code: &str| {
        vec![RefusedLine {
            line: number,
            field: "line".into(),
            code: code.into(),
        }]
    };
    match error {
        LineError::TooLong => whole("too_long"),
        LineError::NotJson(_) => whole("not_json"),
        LineError::UnsupportedSchema => whole("schema"),
        LineError::Shape(_) => whole("shape"),
        LineError::Invalid(errors) => errors
            .iter()
            .map(|e| RefusedLine {
                line: number,
                field: e.field.clone(),
                code: e.code.message_id().to_owned(),
            })
            .collect(),
    }
}

/// The node's import device, if one was registered (an office device of every community,
/// with no key: it never signs a request).
fn known_import_device(store: &dyn Store) -> Result<Option<DeviceRecord>, StoreError> {
    if let Some(id) = store.setting(IMPORT_DEVICE)?
        && let Ok(text) = String::from_utf8(id)
        && let Ok(uuid) = text.parse::<uuid::Uuid>()
    {
        return store.device(DeviceId(uuid));
    }
    Ok(None)
}

/// Registers `id` as the node's import device (on the first import that writes).
fn register_import_device(
    store: &dyn Store,
    id: DeviceId,
    now: Timestamp,
) -> Result<DeviceRecord, StoreError> {
    let mut secret = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut secret)
        .map_err(|_| StoreError::Backend("no randomness".into()))?;
    store.add_enrollment(&Enrollment {
        secret_hash: shared::protocol::upload_id(&secret),
        role: Role::Office,
        scope: Scope {
            communities: vec![CommunityCode::new(EVERY_COMMUNITY)],
        },
        expires_at: Timestamp(now.0.saturating_add(60_000)),
    })?;
    let device = store
        .redeem_enrollment(shared::protocol::upload_id(&secret), id, [0; 32], now)?
        .ok_or_else(|| StoreError::Backend("import device enrolment".into()))?;
    store.put_setting(IMPORT_DEVICE, id.to_string().as_bytes())?;
    Ok(device)
}

/// A line's id when it has none: from the file's digest and the line number.
fn derived_id(file_digest: &[u8; 32], line: usize) -> ClientId {
    let mut input = file_digest.to_vec();
    input.extend_from_slice(&(line as u64).to_le_bytes());
    let digest = shared::protocol::upload_id(&input);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    ClientId(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

/// A file whose every line was accepted, its records stamped with the import device they
/// were checked for.
pub struct Checked {
    device: DeviceId,
    digest: [u8; 32],
    clients: Vec<Client>,
}

/// Checks every line of `bytes` without a store, for the import device `device` (the node's
/// own, or the one a new store will register): what [`import`] would refuse, it refuses here,
/// so a command can refuse a bad file before it makes a new store for it.
///
/// # Errors
/// As [`import`], but never a store failure.
pub fn check(bytes: &[u8], now: Timestamp, device: DeviceId) -> Result<Checked, ImportError> {
    let author = Author {
        agent: AgentId(device.0),
        device,
    };
    let (digest, clients) = parse_all(bytes, author, now)?;
    Ok(Checked {
        device,
        digest,
        clients,
    })
}

/// Every line parsed and validated, or every refused line.
fn parse_all(
    bytes: &[u8],
    author: Author,
    now: Timestamp,
) -> Result<([u8; 32], Vec<Client>), ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::Input("the file is larger than 512 MiB"));
    }
    let text =
        std::str::from_utf8(bytes).map_err(|_| ImportError::Input("the file is not UTF-8"))?;
    let catalogue = Catalogue::current().map_err(|_| ImportError::NoCatalogue)?;
    let digest = shared::protocol::upload_id(bytes);
    let mut context = ImportContext::now_by(author);
    context.now = now;
    context.today = now.date_utc().unwrap_or_else(CalendarDate::today_utc);
    let mut clients = Vec::new();
    let mut refused = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        if line.len() > MAX_LINE_BYTES {
            refused.extend(refused_lines(number, &LineError::TooLong));
            continue;
        }
        let with_id = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut object)) => {
                object
                    .entry("id")
                    .or_insert_with(|| Value::String(derived_id(&digest, number).to_string()));
                Value::Object(object).to_string()
            }
            _ => line.to_owned(),
        };
        match parse_line(&with_id, &context, catalogue) {
            Ok(client) => clients.push(client),
            Err(error) => refused.extend(refused_lines(number, &error)),
        }
    }
    if !refused.is_empty() {
        return Err(ImportError::Refused(refused));
    }
    Ok((digest, clients))
}

/// Imports `bytes` (JSON lines) into `store`, all or nothing (see the module documentation).
///
/// # Errors
/// [`ImportError::Refused`] with every refused line, and nothing written; or input, catalogue
/// or store failures.
pub fn import(
    store: &dyn Store,
    bytes: &[u8],
    now: Timestamp,
) -> Result<ImportReport, ImportError> {
    let device = known_import_device(store)?.map_or_else(DeviceId::random, |d| d.id);
    import_checked(store, check(bytes, now, device)?, now)
}

/// Writes a checked file into `store` (see [`import`]).
///
/// # Errors
/// [`ImportError::Input`] when `store` has another import device than the one the file was
/// checked for; node refusals or store failures.
pub fn import_checked(
    store: &dyn Store,
    checked: Checked,
    now: Timestamp,
) -> Result<ImportReport, ImportError> {
    let Checked {
        device,
        digest,
        mut clients,
    } = checked;
    // Registered only now: a refused file writes nothing at all.
    let device = match known_import_device(store)? {
        Some(known) if known.id == device => known,
        Some(_) => return Err(ImportError::Input("the file was checked for another node")),
        None => register_import_device(store, device, now)?,
    };
    let author = Author {
        agent: AgentId(device.id.0),
        device: device.id,
    };
    let mut report = ImportReport {
        records: clients.len(),
        ..ImportReport::default()
    };
    let ids: Vec<ClientId> = clients.iter().map(|c| c.id).collect();
    let mut held: Vec<ClientId> = Vec::new();
    for part in ids.chunks(1_000) {
        held.extend(store.documents(part)?.into_iter().map(|d| d.client));
    }
    held.sort_unstable();
    clients.retain(|c| held.binary_search(&c.id).is_err());
    report.already = held.len() as u64;
    for chunk in clients.chunks(RECORDS_PER_UPLOAD) {
        let mut batch = Vec::with_capacity(chunk.len());
        for client in chunk {
            let mut doc = ClientDoc::create(client, author, now)
                .map_err(|_| ImportError::Input("a record could not be written as a document"))?;
            for change in doc.changes_since(&[]) {
                batch.push(BatchChange {
                    client: client.id,
                    epoch: 0,
                    change,
                });
            }
        }
        let upload_id = shared::protocol::upload_id(
            &[digest.as_slice(), &chunk[0].id.0.as_bytes()[..]].concat(),
        );
        let applied = apply_upload(store, &device, upload_id, &batch, now)?;
        if applied.refused > 0 {
            return Err(ImportError::NodeRefused(applied.refused));
        }
        report.applied += u64::from(applied.applied);
    }
    Ok(report)
}

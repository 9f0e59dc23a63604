//! An encrypted SQLite database (SQLCipher) in a profile directory, opened from a
//! passphrase-wrapped keyfile (decisions D4). Used by the field app now and by server nodes'
//! SQLite backend later.
//!
//! A profile directory holds:
//! - `keyfile.json` — the data key wrapped under Argon2id(passphrase) (no client data);
//! - `recovery.age` — the data key sealed to the office recovery recipient (optional);
//! - `outreach.db` (+ `-wal`, `-shm`) — the SQLCipher database.
//!
//! **Fails closed.** [`open`] checks the key against the database before anything else, through
//! a read-only, immutable connection that cannot create or change a file. A wrong passphrase, a
//! damaged keyfile, a truncated or corrupt database: a typed error, and the directory is left
//! byte-for-byte as it was. [`create`] never writes over an existing keyfile or database.

mod files;
mod migrate;
mod process;

pub use migrate::{MigrationError, migrate};
pub use process::{core_dumps_forbidden, forbid_core_dumps};

pub use files::private as private_files;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use shared::crypto::recovery::{self, RecoveryRecipient};
use shared::crypto::{CryptoError, DataKey, KdfParams, Keyfile, MAX_KEYFILE_BYTES, Passphrase};
use zeroize::Zeroizing;

/// The keyfile's name in a profile directory.
pub const KEYFILE_NAME: &str = "keyfile.json";
/// The recovery copy's name in a profile directory.
pub const RECOVERY_NAME: &str = "recovery.age";
/// The database's name in a profile directory.
pub const DATABASE_NAME: &str = "outreach.db";

/// Why a profile could not be created or opened. Never carries key material or client data.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// `create` found a keyfile or database already there.
    #[error(
        "this directory already holds an encrypted store (a keyfile or a database); refusing to overwrite it"
    )]
    AlreadyExists,
    /// `open` found no keyfile.
    #[error("this directory holds no encrypted store (no {KEYFILE_NAME})")]
    NoProfile,
    /// The keyfile is present but the database is not.
    #[error("the encrypted store is incomplete: {DATABASE_NAME} is missing")]
    DatabaseMissing,
    /// The passphrase does not open the keyfile, or the keyfile is damaged.
    #[error("the passphrase is wrong or the keyfile is damaged")]
    WrongPassphrase,
    /// The keyfile cannot be read as a keyfile.
    #[error("the keyfile is damaged: {0}")]
    DamagedKeyfile(String),
    /// The key opened the keyfile but not the database: the database is corrupt, truncated or
    /// belongs to another keyfile.
    #[error("the database is damaged or does not belong to this keyfile")]
    DamagedDatabase,
    /// SQLCipher is not active in this build (would mean a plaintext database).
    #[error("this build has no SQLCipher; refusing to store data unencrypted")]
    NoEncryption,
    /// A pragma did not take the value required for durability or secrecy.
    #[error("the database refused a required setting ({0})")]
    Setting(&'static str),
    /// Crypto failure other than a wrong passphrase.
    #[error(transparent)]
    Crypto(CryptoError),
    /// File system error.
    #[error("file error during {0}: {1}")]
    Io(&'static str, std::io::Error),
    /// SQLite error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl From<CryptoError> for VaultError {
    fn from(error: CryptoError) -> Self {
        match error {
            CryptoError::WrongPassphraseOrDamagedKeyfile => Self::WrongPassphrase,
            CryptoError::MalformedKeyfile(why) => Self::DamagedKeyfile(why),
            other => Self::Crypto(other),
        }
    }
}

/// The files of a profile directory.
#[derive(Clone, Debug)]
pub struct ProfilePaths {
    /// The directory.
    pub dir: PathBuf,
}

impl ProfilePaths {
    /// The profile in `dir`.
    #[must_use]
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
        }
    }
    /// `keyfile.json`.
    #[must_use]
    pub fn keyfile(&self) -> PathBuf {
        self.dir.join(KEYFILE_NAME)
    }
    /// `recovery.age`.
    #[must_use]
    pub fn recovery(&self) -> PathBuf {
        self.dir.join(RECOVERY_NAME)
    }
    /// `outreach.db`.
    #[must_use]
    pub fn database(&self) -> PathBuf {
        self.dir.join(DATABASE_NAME)
    }
    fn database_sidecars(&self) -> [PathBuf; 2] {
        [
            self.dir.join(format!("{DATABASE_NAME}-wal")),
            self.dir.join(format!("{DATABASE_NAME}-shm")),
        ]
    }
}

/// What [`open`] learned besides the connection.
#[derive(Debug)]
pub struct Opened {
    /// The read-write connection, keyed and configured.
    pub connection: Connection,
    /// The keyfile's KDF parameters are below OWASP's floor (a test-only profile).
    pub weak_kdf: bool,
}

/// Creates a new profile: a random data key, its keyfile, the recovery copy if a recipient is
/// given, and an empty encrypted database. Refuses if a keyfile or database is already there.
pub fn create(
    dir: &Path,
    passphrase: &Passphrase,
    params: KdfParams,
    recovery_recipient: Option<&RecoveryRecipient>,
) -> Result<Connection, VaultError> {
    create_keeping_key(dir, passphrase, params, recovery_recipient)
        .map(|(connection, _)| connection)
}

/// [`create`], also returning the data key, so the caller can open more connections (a sync
/// thread) without deriving it from the passphrase again. Zeroized on drop.
pub fn create_keeping_key(
    dir: &Path,
    passphrase: &Passphrase,
    params: KdfParams,
    recovery_recipient: Option<&RecoveryRecipient>,
) -> Result<(Connection, DataKey), VaultError> {
    let paths = ProfilePaths::new(dir);
    let existing = [paths.keyfile(), paths.database()]
        .into_iter()
        .chain(paths.database_sidecars());
    if existing.into_iter().any(|p| p.exists()) {
        return Err(VaultError::AlreadyExists);
    }
    files::create_private_dir(dir)?;
    let key = DataKey::generate()?;
    let keyfile = Keyfile::wrap(&key, passphrase, params)?;
    if let Some(recipient) = recovery_recipient {
        files::write_atomically(&paths.recovery(), &recovery::seal(&key, recipient)?)?;
    }
    // The database first, then the keyfile: a crash in between leaves no keyfile, so the
    // directory is not mistaken for a usable profile, and `create` can be re-run after removing it.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = keyed_connection(&paths.database(), flags, &key)?;
    configure(&connection)?;
    connection.execute_batch(
        "CREATE TABLE vault_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",
    )?;
    // The open-time probe reads the main file only; make sure the marker table is in it.
    connection.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    // SQLite resets a zero-length database to 0644 whenever it opens it, so tighten the files
    // only now that it has content; later WAL and shared-memory files inherit the database's mode.
    for file in [paths.database()]
        .into_iter()
        .chain(paths.database_sidecars())
    {
        if file.exists() {
            files::restrict_permissions(&file)?;
        }
    }
    files::write_atomically(&paths.keyfile(), &keyfile.to_json())?;
    Ok((connection, key))
}

/// Opens an existing profile. Fails closed; see the crate docs.
pub fn open(dir: &Path, passphrase: &Passphrase) -> Result<Opened, VaultError> {
    open_keeping_key(dir, passphrase).map(|(opened, _)| opened)
}

/// [`open`], also returning the data key (see [`create_keeping_key`]).
pub fn open_keeping_key(
    dir: &Path,
    passphrase: &Passphrase,
) -> Result<(Opened, DataKey), VaultError> {
    let paths = ProfilePaths::new(dir);
    let keyfile_bytes =
        files::read_limited(&paths.keyfile(), MAX_KEYFILE_BYTES).map_err(|e| match e {
            VaultError::Io(_, io) if io.kind() == std::io::ErrorKind::NotFound => {
                VaultError::NoProfile
            }
            other => other,
        })?;
    let keyfile = Keyfile::from_json(&keyfile_bytes)?;
    let key = keyfile.unwrap(passphrase)?;
    let opened = open_with_key(dir, &key, keyfile.params().is_below_owasp_floor())?;
    Ok((opened, key))
}

/// Opens an existing profile with its already unwrapped data key: no key derivation. Fails
/// closed exactly like [`open`] (the key is checked before any read-write open).
pub fn open_with_key(dir: &Path, key: &DataKey, weak_kdf: bool) -> Result<Opened, VaultError> {
    let paths = ProfilePaths::new(dir);
    if !paths.database().is_file() {
        return Err(VaultError::DatabaseMissing);
    }
    verify_settled(&paths.database(), key)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = keyed_connection(&paths.database(), flags, key)?;
    configure(&connection).map_err(|e| match e {
        VaultError::Sqlite(_) => VaultError::DamagedDatabase,
        other => other,
    })?;
    Ok(Opened {
        connection,
        weak_kdf,
    })
}

/// Re-wraps the keyfile under a new passphrase; the database is untouched.
pub fn change_passphrase(
    dir: &Path,
    old: &Passphrase,
    new: &Passphrase,
    params: KdfParams,
) -> Result<(), VaultError> {
    let paths = ProfilePaths::new(dir);
    let keyfile = Keyfile::from_json(&files::read_limited(&paths.keyfile(), MAX_KEYFILE_BYTES)?)?;
    let rewrapped = keyfile.rewrap(old, new, params)?;
    files::write_atomically(&paths.keyfile(), &rewrapped.to_json())
}

/// Seals a (new) recovery copy of the data key to the office recipient, e.g. at enrolment.
pub fn seal_recovery_copy(
    dir: &Path,
    passphrase: &Passphrase,
    recipient: &RecoveryRecipient,
) -> Result<(), VaultError> {
    let paths = ProfilePaths::new(dir);
    let keyfile = Keyfile::from_json(&files::read_limited(&paths.keyfile(), MAX_KEYFILE_BYTES)?)?;
    let key = keyfile.unwrap(passphrase)?;
    files::write_atomically(&paths.recovery(), &recovery::seal(&key, recipient)?)
}

/// [`verify_without_writing`], tried again a few times when the file reads as damaged: a
/// connection closing elsewhere (the app's worker after a lock, a previous instance exiting)
/// checkpoints the WAL into the main file, and an immutable read in the middle of that can see
/// the header ahead of the file's length for a moment. A file that stays damaged still fails
/// closed, a quarter of a second later.
fn verify_settled(database: &Path, key: &DataKey) -> Result<(), VaultError> {
    let mut result = verify_without_writing(database, key);
    for _ in 0..5 {
        if !matches!(result, Err(VaultError::DamagedDatabase)) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        result = verify_without_writing(database, key);
    }
    result
}

/// Checks the key against the database through a read-only, immutable connection: no file is
/// created (no WAL, no shared memory) and nothing is written, whatever state the file is in.
fn verify_without_writing(database: &Path, key: &DataKey) -> Result<(), VaultError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let immutable = probe(&files::immutable_uri(database), flags, key);
    let wal = database.with_file_name(format!("{DATABASE_NAME}-wal"));
    let wal_has_frames = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    match immutable {
        // A crash in the middle of a checkpoint can leave the main file's header ahead of its
        // length; the WAL still holds every page. The WAL and shared-memory files already exist,
        // so a read-only open that reads through the WAL creates nothing new.
        Err(VaultError::DamagedDatabase) if wal_has_frames => probe(
            &database.to_string_lossy(),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            key,
        ),
        other => other,
    }
}

fn probe(path: &str, flags: OpenFlags, key: &DataKey) -> Result<(), VaultError> {
    let probe = keyed_connection(Path::new(path), flags, key)?;
    // Reading the schema decrypts and authenticates page 1 and checks the header's page count
    // against the file size, so a wrong key, a damaged first page or a truncation fails here.
    // An empty file is a valid empty database to SQLite; ours always holds `vault_meta`.
    let marker: Result<i64, _> = probe.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = 'vault_meta'",
        [],
        |r| r.get(0),
    );
    match marker {
        Ok(1) => Ok(()),
        _ => Err(VaultError::DamagedDatabase),
    }
}

/// How long a statement waits for another connection's lock before it fails.
const BUSY_TIMEOUT_MS: u64 = 5_000;

/// A connection to `path`, keyed, once SQLCipher is ready in this process.
fn keyed_connection(
    path: &Path,
    flags: OpenFlags,
    key: &DataKey,
) -> Result<Connection, VaultError> {
    sqlcipher_ready();
    let connection = Connection::open_with_flags(path, flags)?;
    set_key(&connection, key)?;
    check_keyed(&connection)?;
    Ok(connection)
}

/// How long a process waits for SQLCipher's set-up when another thread began it outside this
/// crate, before the first key is tried regardless (and refused, reported as an error).
const SET_UP_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// SQLCipher finishes its set-up after SQLite has marked itself initialised and released its
/// init mutex (`sqlite3Initialize` sets `isInit`, then runs `SQLITE_EXTRA_INIT`), so a thread
/// that opens a connection in that window is refused its key ("PRAGMA key requires a key of one
/// or more characters"; reproduced by `vault/tests/first_use.rs`, seen in CI). The first caller
/// keys a throwaway in-memory connection — which runs the set-up to its end in that thread —
/// until a key is taken; every other caller waits for it.
fn sqlcipher_ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        let started = std::time::Instant::now();
        loop {
            let keyed = Connection::open_in_memory().and_then(|probe| {
                probe.execute_batch("PRAGMA cipher_log_level = NONE;")?;
                probe.execute_batch("PRAGMA key = 'set-up probe, holds no data';")
            });
            if keyed.is_ok() || started.elapsed() > SET_UP_WAIT {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    });
}

fn set_key(connection: &Connection, key: &DataKey) -> rusqlite::Result<()> {
    // SQLCipher reports failed page checks on stderr; our callers report one clear error instead.
    connection.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let hex = key.to_hex();
    let statement = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex.as_str()));
    connection.execute_batch(&statement)
}

fn check_keyed(connection: &Connection) -> Result<(), VaultError> {
    // Before the first read: the key check and the journal-mode switch take locks, and another
    // connection to the same profile (the GUI's while its sync worker opens, a draft being
    // written) may hold one for a moment. Without it they failed at once with "database is
    // locked" (seen in the drafts tests, one run in three).
    connection.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    let version: String = connection
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .unwrap_or_default();
    if version.is_empty() {
        return Err(VaultError::NoEncryption);
    }
    Ok(())
}

fn configure(connection: &Connection) -> Result<(), VaultError> {
    let mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(VaultError::Setting("journal_mode=WAL"));
    }
    connection.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON;",
    )?;
    let synchronous: i64 = connection.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
    let temp_store: i64 = connection.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
    if synchronous != 2 {
        return Err(VaultError::Setting("synchronous=FULL"));
    }
    if temp_store != 2 {
        return Err(VaultError::Setting("temp_store=MEMORY"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;

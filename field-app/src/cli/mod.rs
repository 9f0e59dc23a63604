//! The command-line contract (decisions D6, `docs/CLI.md`). Each subcommand is a function from
//! parsed arguments to an outcome; `main.rs` only maps errors to exit codes.
//!
//! Nothing here prints client data except where the user asked for it (`list`). Errors name
//! lines, fields and codes, never values.

mod add;
mod audit;
mod enroll;
mod init;
mod list;
mod office;
mod secret;
mod sync;
mod window;

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use add::{AddArgs, MAX_INPUT_BYTES};
pub use enroll::EnrollArgs;
pub use init::{InitArgs, KdfProfile};
pub use list::ListArgs;
pub use sync::SyncArgs;

use crate::storage::StoreError;

/// `field-app`: encrypted offline intake for outreach agents.
#[derive(Debug, Parser)]
#[command(name = "field-app", version, about, long_about = None)]
pub struct Cli {
    /// Open the app on a throw-away profile with clearly fictional records and an embedded local
    /// node (deleted when the window closes).
    #[arg(long)]
    pub demo: bool,
    /// The profile the window opens (default: `$XDG_DATA_HOME/outreach-kit/profile`).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The UI language: en, fr, iu or cr (default: the one chosen last time).
    #[arg(long)]
    pub language: Option<String>,
    /// An office's catalogue update (communities, programs, partners) to use instead of the
    /// built-in one when it verifies; default: `catalogue.json` in the app's config directory.
    #[arg(long, value_name = "FILE", global = true)]
    pub catalogue: Option<PathBuf>,
    /// With `--demo`: open the demo as the regional office (review queue, duplicate pairs,
    /// conflicts, work due in every community) instead of as an agent.
    #[arg(long, requires = "demo")]
    pub office: bool,
    /// With `--demo`: save a screenshot of each main screen here, then close.
    #[arg(long, value_name = "DIR", hide = true, requires = "demo")]
    pub screenshot_tour: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new encrypted profile, usable offline at once.
    Init(InitArgs),
    /// Add intake records from JSON lines (schema v1) on standard input; all or nothing.
    Add(AddArgs),
    /// List or search the records in a profile.
    List(ListArgs),
    /// Link this laptop to a node with a one-time code.
    Enroll(EnrollArgs),
    /// Send the outbox and receive changes from the enrolled node.
    Sync(SyncArgs),
    /// Office: merge two records of one person (the older survives and takes the union; the
    /// other becomes a redirect). Syncs like any edit.
    Merge(office::PairArgs),
    /// Office: mark two records as different people, so dedup never proposes them again.
    NotSame(office::PairArgs),
    /// Office: undo a merge — the merged-away record lives again with what it brought, and
    /// the two are marked as different people.
    Unmerge(office::UnmergeArgs),
    /// This laptop's audit trail (views, changes, unlocks…; ids and actions only) and whether
    /// its hash chain holds.
    Audit(audit::AuditArgs),
    /// Office: list every field with concurrent values (who set each, on which device, when).
    Conflicts(office::ConflictsArgs),
    /// Office: settle a conflict by keeping one value (`--keep N`) or typing one (`--value`).
    Resolve(office::ResolveArgs),
}

/// The profile directory, common to every subcommand that opens one.
#[derive(Debug, clap::Args)]
pub struct DataDir {
    /// The profile directory.
    #[arg(long, value_name = "DIR")]
    pub data_dir: PathBuf,
}

/// Why a command failed; each maps to an exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The profile could not be opened: wrong passphrase, damaged or missing files (exit 3).
    #[error("{0}")]
    Locked(StoreError),
    /// The input was refused; nothing was written (exit 4).
    #[error("{0}")]
    Rejected(String),
    /// A machine-readable listing was cut by a limit: what was printed is incomplete (exit 5).
    #[error("{0}")]
    Cut(String),
    /// Anything else (exit 1).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// The process exit code: 1 failure, 3 profile did not open, 4 input rejected, 5 output cut.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Failed(_) => 1,
            Self::Locked(_) => 3,
            Self::Rejected(_) => 4,
            Self::Cut(_) => 5,
        }
    }
}

impl From<StoreError> for CliError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Vault(_) => Self::Locked(error),
            StoreError::Invalid(_) => Self::Rejected(error.to_string()),
            other => Self::Failed(other.to_string()),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        Self::Failed(format!("input/output error: {error}"))
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    install_catalogue_update(cli.catalogue.clone());
    match (cli.command, cli.demo) {
        (Some(Command::Init(args)), _) => init::run(&args),
        (Some(Command::Add(args)), _) => add::run(&args, &mut std::io::stdin().lock()),
        (Some(Command::List(args)), _) => list::run(&args),
        (Some(Command::Enroll(args)), _) => enroll::run(&args),
        (Some(Command::Sync(args)), _) => sync::run(&args),
        (Some(Command::Merge(args)), _) => office::run_merge(&args),
        (Some(Command::NotSame(args)), _) => office::run_not_same(&args),
        (Some(Command::Unmerge(args)), _) => office::run_unmerge(&args),
        (Some(Command::Conflicts(args)), _) => office::run_conflicts(&args),
        (Some(Command::Audit(args)), _) => audit::run(&args),
        (Some(Command::Resolve(args)), _) => office::run_resolve(&args),
        (None, demo) => window::run(
            demo.then_some(cli.office),
            cli.data_dir,
            cli.language.as_deref(),
            cli.screenshot_tour,
        ),
    }
}

/// Uses an office's catalogue update when one is there and verifies; says so either way (the
/// built-in catalogue stays in force when it does not).
fn install_catalogue_update(chosen: Option<PathBuf>) {
    let Some(path) = chosen
        .or_else(|| crate::gui::project_dirs().map(|d| d.config_dir().join("catalogue.json")))
    else {
        return;
    };
    let read = vault::private_files::read_bounded(&path, shared::catalogue::MAX_CATALOGUE_BYTES);
    let outcome = match read {
        Ok(None) => return,
        Ok(Some(bytes)) => shared::Catalogue::from_update(&bytes).map_err(|e| e.to_string()),
        Err(error) => Err(error.to_string()),
    };
    let message = match outcome {
        Ok(update) => {
            let version = update.version.clone();
            if shared::Catalogue::install(update) {
                format!("using catalogue {version} from {}", path.display())
            } else {
                "a catalogue was already in use; the update waits for a restart".into()
            }
        }
        Err(error) => format!(
            "warning: the catalogue update {} is not used ({error}); the built-in catalogue is",
            path.display()
        ),
    };
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// Reports that a profile uses test-only KDF parameters (never silently).
fn warn_if_test_kdf(store: &crate::LocalStore) {
    if store.uses_test_only_kdf() {
        let _ = writeln!(
            std::io::stderr(),
            "warning: this profile uses key-derivation parameters meant for tests only; do not keep real data in it"
        );
    }
}

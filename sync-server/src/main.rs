//! `sync-server`: serve a node, and the office's device commands (decisions D6, `docs/CLI.md`).
//! Only the command line and config live here; the node is the `node` library.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand, ValueEnum};
use node::NodeSettings;
use node::embedded::RunningNode;
use node::state::{PUBLIC_URL, RECOVERY_RECIPIENT, issue_enrollment};
use node::storage::Store;
use node::storage::sqlite::SqliteStore;
use node::tls::{TlsIdentity, hex};
use shared::crypto::{KdfParams, Passphrase};
use shared::ids::DeviceId;
use shared::protocol::enroll::Role;

mod audit;
mod disclosure;

/// Ingest allocates and frees many small objects per record (Automerge's columns, the record's
/// fields); mimalloc does that in ~ 13 % fewer instructions than the system allocator
/// (`docs/PERFORMANCE.md`, stop 24).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "sync-server",
    version,
    about = "An Outreach Kit node: merges client records from devices"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct Common {
    /// The node's data directory (an encrypted store; created on first use).
    #[arg(long, value_name = "DIR")]
    data_dir: PathBuf,
    /// Key-derivation cost for a new store (hidden: only test suites choose the fast one).
    #[arg(long, value_enum, default_value_t = KdfProfile::Production, hide = true)]
    kdf_profile: KdfProfile,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum KdfProfile {
    Production,
    InsecureFastForTestsOnly,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the node's HTTPS API.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address to listen on (port 0 picks a free port; the chosen one is printed).
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: String,
        /// A TOML config file (`public_url`, `max_clock_skew_secs`, `recovery_recipient`,
        /// `response_compression_level`); flags win over it.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The URL devices reach this node at (default: https://<listen address>).
        #[arg(long)]
        public_url: Option<String>,
        /// Largest accepted device clock difference, seconds.
        #[arg(long)]
        max_clock_skew_secs: Option<i64>,
        /// The office recovery public key (`age1…`) handed to devices at enrolment.
        #[arg(long)]
        recovery_recipient: Option<String>,
    },
    /// Print a one-time enrolment code for a device.
    Enroll {
        #[command(flatten)]
        common: Common,
        /// A community the device may serve (repeat for several; `*` for all, office only).
        #[arg(long = "community", required = true)]
        communities: Vec<String>,
        /// The device's role.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// How long the code stays valid.
        #[arg(long, default_value_t = 72)]
        valid_hours: i64,
        /// The URL to put in the code (default: the one `serve` last recorded).
        #[arg(long)]
        url: Option<String>,
    },
    /// Revoke a device: every later request from it is refused.
    Revoke {
        #[command(flatten)]
        common: Common,
        /// The device id.
        device: String,
    },
    /// Print the node certificate's SHA-256 fingerprint.
    Fingerprint {
        #[command(flatten)]
        common: Common,
    },
    /// Find likely duplicate records (the same person registered twice) and write the pairs,
    /// most likely first, with the evidence for and against, to a CSV file. Pairs marked
    /// "not the same person" and merged-away records are left out. The file holds record ids,
    /// scores and evidence levels, never names or other values.
    Dedup {
        #[command(flatten)]
        common: Common,
        /// Where to write the pairs (CSV, created owner-only).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Smallest probability of "same person" to list (0–1).
        #[arg(long, default_value_t = 0.5)]
        threshold: f64,
    },
    /// Import intake records (JSON lines, schema v1: paper forms typed later, legacy lists),
    /// all or nothing: one refused line and nothing is written; each refused line is reported
    /// by number, field and code. Records the node already holds are left as they are.
    Import {
        #[command(flatten)]
        common: Common,
        /// The JSON-lines file.
        file: PathBuf,
    },
    /// Lost-laptop recovery: open a copy of a laptop's profile directory with the office's age
    /// identity (through the profile's sealed recovery copy of its data key) and merge every
    /// change it held that this node lacks, as a sync by that laptop would. Nothing is written
    /// to the copy; running it again adds nothing.
    Recover {
        #[command(flatten)]
        common: Common,
        /// The copy of the laptop's profile directory.
        #[arg(long, value_name = "DIR")]
        profile: PathBuf,
        /// The office's age identity file (`AGE-SECRET-KEY-1…`), kept offline.
        #[arg(long, value_name = "FILE")]
        recovery_identity: PathBuf,
    },
    /// Export to a partner, for a purpose, only the clients whose consent covers both at export
    /// time (after merges): a CSV of the export profile's columns, sealed to the partner's age
    /// recipient, with one disclosure record per client released. `--dry-run` counts who would
    /// be released and who left out, and why.
    Export {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        args: disclosure::ExportArgs,
    },
    /// The register of disclosures (CSV on standard output): every client released, to whom,
    /// for what, which columns, on which consent events, by whom, when.
    Disclosures {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        args: disclosure::DisclosuresArgs,
    },
    /// Devices' audit trails: `verify` walks every trail the node holds and lists the breaks
    /// (exit status 1 when any trail does not hold); `access --client ID` lists who viewed,
    /// changed, printed or exported one record, from every device, and every disclosure of it.
    Audit {
        #[command(flatten)]
        common: Common,
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// The partnership's figures as CSV on standard output: intakes per week by community,
    /// programs by government, languages served, interpreters, referrals by partner and
    /// status, follow-ups due and overdue, satisfaction — counts only.
    Report {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        args: disclosure::ReportArgs,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RoleArg {
    Agent,
    Office,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    public_url: Option<String>,
    max_clock_skew_secs: Option<i64>,
    recovery_recipient: Option<String>,
    response_compression_level: Option<i32>,
}

const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// Whether a command may create the store when the directory holds none.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Creating {
    /// `serve`: the first start creates the store, with a passphrase that passes the policy
    /// (typed twice at a prompt).
    Allowed,
    /// Commands that only read or change an existing store.
    Refused,
}

const PASSPHRASE_ENV: &str = "OUTREACH_PASSPHRASE";

/// The office's catalogue update, `catalogue.json` in the data directory, when it is there: a
/// node validates records against the same catalogue its laptops use. One that does not
/// verify stops the start (a node must not run on a catalogue the office did not mean).
fn install_catalogue_update(common: &Common) -> anyhow::Result<()> {
    // Once per process: `import` checks its file (by the update) before it opens the store.
    static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    let path = common.data_dir.join("catalogue.json");
    let Some(bytes) =
        vault::private_files::read_bounded(&path, shared::catalogue::MAX_CATALOGUE_BYTES)
            .with_context(|| format!("reading {}", path.display()))?
    else {
        return Ok(());
    };
    let update = shared::Catalogue::from_update(&bytes)
        .with_context(|| format!("the catalogue update {}", path.display()))?;
    tracing::info!(version = %update.version, "using the office's catalogue update");
    if !shared::Catalogue::install(update) {
        bail!("a catalogue was in use before the update could be installed");
    }
    let _ = INSTALLED.set(());
    Ok(())
}

/// Asks on the terminal; without one (a script, a service) says how to give it instead.
fn prompt(question: &str) -> anyhow::Result<String> {
    rpassword::prompt_password(question).with_context(|| {
        format!("reading the passphrase from a terminal; where there is none, set {PASSPHRASE_ENV}")
    })
}

fn open_store(common: &Common, creating: Creating) -> anyhow::Result<Arc<SqliteStore>> {
    install_catalogue_update(common)?;
    let exists = SqliteStore::exists(&common.data_dir);
    if !exists && creating == Creating::Refused {
        bail!(
            "{} holds no node store (`sync-server serve` or `import` makes one there)",
            common.data_dir.display()
        );
    }
    let from_env = std::env::var(PASSPHRASE_ENV).ok();
    if exists {
        let text = match from_env {
            Some(text) => text,
            None => prompt("Node passphrase: ")?,
        };
        return Ok(Arc::new(SqliteStore::open(
            &common.data_dir,
            &Passphrase::new(text),
        )?));
    }
    let text = match from_env {
        Some(text) => text,
        None => {
            let first = prompt("New node passphrase (14+ characters, or 4+ words): ")?;
            let second = prompt("Type it again: ")?;
            if first != second {
                bail!("the two passphrases differ");
            }
            first
        }
    };
    if let Err(problem) = shared::crypto::check_passphrase_strength(&text) {
        bail!("passphrase refused: {problem}");
    }
    let params = match common.kdf_profile {
        KdfProfile::Production => KdfParams::PRODUCTION,
        KdfProfile::InsecureFastForTestsOnly => KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
    };
    Ok(Arc::new(SqliteStore::open_or_create(
        &common.data_dir,
        &Passphrase::new(text),
        params,
    )?))
}

fn read_config(path: Option<&Path>) -> anyhow::Result<ConfigFile> {
    let Some(path) = path else {
        return Ok(ConfigFile::default());
    };
    let length = std::fs::metadata(path)
        .context("reading the config file")?
        .len();
    if length > MAX_CONFIG_BYTES {
        bail!("config file is larger than {MAX_CONFIG_BYTES} bytes");
    }
    let text = std::fs::read_to_string(path).context("reading the config file")?;
    toml::from_str(&text).context("config file is not valid")
}

fn main() -> anyhow::Result<()> {
    // Before anything is decrypted: a crash must not write client data into a core file.
    let core_dumps = vault::forbid_core_dumps();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    if let Err(error) = core_dumps {
        tracing::warn!(%error, "core dumps could not be turned off");
    }
    match Cli::parse().command {
        Command::Serve {
            common,
            listen,
            config,
            public_url,
            max_clock_skew_secs,
            recovery_recipient,
        } => {
            let config = read_config(config.as_deref())?;
            let store = open_store(&common, Creating::Allowed)?;
            let mut settings = NodeSettings::default();
            if let Some(secs) = max_clock_skew_secs.or(config.max_clock_skew_secs) {
                settings.max_clock_skew_ms = secs.saturating_mul(1000);
            }
            if let Some(level) = config.response_compression_level {
                settings.response_compression_level = level.clamp(1, 22);
            }
            if let Some(recipient) = recovery_recipient.or(config.recovery_recipient) {
                shared::crypto::recovery::RecoveryRecipient::parse(&recipient)?;
                store.put_setting(RECOVERY_RECIPIENT, recipient.as_bytes())?;
            }
            let listener = std::net::TcpListener::bind(&listen)
                .with_context(|| format!("binding {listen}"))?;
            let address = listener.local_addr()?;
            let running = RunningNode::start(
                store,
                listener,
                settings,
                public_url.or(config.public_url),
                async {
                    let _ = tokio::signal::ctrl_c().await;
                },
            )?;
            tracing::info!(node = %running.node.id, %address, fingerprint = %hex(&running.fingerprint), "serving");
            let mut out = std::io::stdout().lock();
            writeln!(out, "listening {}", running.url)?;
            writeln!(out, "fingerprint {}", hex(&running.fingerprint))?;
            out.flush()?;
            drop(out);
            running.wait()?;
        }
        Command::Enroll {
            common,
            communities,
            role,
            valid_hours,
            url,
        } => {
            let store = open_store(&common, Creating::Refused)?;
            let identity = TlsIdentity::load_or_generate(store.as_ref())?;
            let role = match role {
                RoleArg::Agent => Role::Agent,
                RoleArg::Office => Role::Office,
            };
            let recorded = || {
                store
                    .setting(PUBLIC_URL)
                    .ok()
                    .flatten()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            };
            let Some(url) = url.or_else(recorded) else {
                bail!("no URL known for this node: pass --url, or run `serve` once");
            };
            let code = issue_enrollment(
                store.as_ref(),
                url,
                identity.fingerprint(),
                role,
                communities,
                valid_hours,
            )?;
            writeln!(std::io::stdout().lock(), "{}", code.to_text())?;
        }
        Command::Revoke { common, device } => {
            let id: DeviceId = device.parse().context("not a device id")?;
            let store = open_store(&common, Creating::Refused)?;
            if !store.revoke(id)? {
                bail!("no such device");
            }
            writeln!(std::io::stdout().lock(), "revoked {id}")?;
        }
        Command::Export { common, args } => {
            let store = open_store(&common, Creating::Refused)?;
            disclosure::run_export(store.as_ref(), &args)?;
        }
        Command::Disclosures { common, args } => {
            let store = open_store(&common, Creating::Refused)?;
            disclosure::run_disclosures(store.as_ref(), &args)?;
        }
        Command::Audit { common, command } => {
            let store = open_store(&common, Creating::Refused)?;
            audit::run(store.as_ref(), &command)?;
        }
        Command::Report { common, args } => {
            let store = open_store(&common, Creating::Refused)?;
            disclosure::run_report(store.as_ref(), &args)?;
        }
        Command::Dedup {
            common,
            out,
            threshold,
        } => {
            if !(0.0..=1.0).contains(&threshold) {
                bail!("--threshold must be between 0 and 1");
            }
            let store = open_store(&common, Creating::Refused)?;
            let started = std::time::Instant::now();
            let (report, all) = node::office::dedup(store.as_ref(), threshold)?;
            let csv = dedup_csv(&report);
            vault::private_files::write(&out, csv.as_bytes())
                .with_context(|| format!("writing {}", out.display()))?;
            writeln!(
                std::io::stdout().lock(),
                "{} record(s) read, {} candidate pair(s) compared, {} pair(s) at or above {threshold} written to {} in {:.1} s{}",
                all.clients.len(),
                report.candidates,
                report.pairs.len(),
                out.display(),
                started.elapsed().as_secs_f64(),
                if all.unreadable > 0 {
                    format!("; {} document(s) did not read as a record", all.unreadable)
                } else {
                    String::new()
                }
            )?;
        }
        Command::Import { common, file } => {
            let bytes = vault::private_files::read_bounded(&file, node::import::MAX_IMPORT_BYTES)
                .with_context(|| format!("reading {}", file.display()))?
                .with_context(|| format!("{} does not exist", file.display()))?;
            // An office may start a node from its legacy lists, so import, like serve, makes
            // the store on an empty directory — once the file is known to be importable, so a
            // refused file leaves no new store behind.
            let now = shared::time::Timestamp::now();
            install_catalogue_update(&common)?;
            let imported = if SqliteStore::exists(&common.data_dir) {
                let store = open_store(&common, Creating::Allowed)?;
                node::import::import(store.as_ref(), &bytes, now)
            } else {
                // Checked for the import device the new store will register.
                let device = shared::ids::DeviceId::random();
                match node::import::check(&bytes, now, device) {
                    Ok(checked) => {
                        let store = open_store(&common, Creating::Allowed)?;
                        node::import::import_checked(store.as_ref(), checked, now)
                    }
                    Err(refused) => Err(refused),
                }
            };
            match imported {
                Ok(report) => writeln!(
                    std::io::stdout().lock(),
                    "{} record(s) in the file: {} imported, {} already on the node",
                    report.records,
                    report.records as u64 - report.already,
                    report.already
                )?,
                Err(node::import::ImportError::Refused(lines)) => {
                    let mut err = std::io::stderr().lock();
                    for line in &lines {
                        writeln!(err, "line {}: {}: {}", line.line, line.field, line.code)?;
                    }
                    bail!(
                        "{} problem(s) in the file; nothing was imported",
                        lines.len()
                    );
                }
                Err(other) => return Err(other.into()),
            }
        }
        Command::Recover {
            common,
            profile,
            recovery_identity,
        } => {
            let identity = vault::private_files::read_bounded(&recovery_identity, 64 * 1024)
                .with_context(|| format!("reading {}", recovery_identity.display()))?
                .with_context(|| format!("{} does not exist", recovery_identity.display()))?;
            let identity = zeroize::Zeroizing::new(
                String::from_utf8(identity).context("the identity file is not text")?,
            );
            let store = open_store(&common, Creating::Refused)?;
            let report = node::recovery::recover(
                store.as_ref(),
                &profile,
                &identity,
                &common.data_dir,
                shared::time::Timestamp::now(),
            )?;
            let refused: Vec<String> = report
                .refused
                .iter()
                .map(|(reason, n)| format!("{n} {}", reason.as_str()))
                .collect();
            writeln!(
                std::io::stdout().lock(),
                "laptop {}: {} record(s) read; {} change(s) merged, {} already on the node, {} refused{}{}",
                report.device.map(|d| d.to_string()).unwrap_or_default(),
                report.records,
                report.applied,
                report.duplicates,
                report.refused.iter().map(|(_, n)| n).sum::<u64>(),
                if refused.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", refused.join(", "))
                },
                if report.unreadable > 0 {
                    format!("; {} damaged document(s) not sent", report.unreadable)
                } else {
                    String::new()
                },
            )?;
        }
        Command::Fingerprint { common } => {
            let store = open_store(&common, Creating::Refused)?;
            let identity = TlsIdentity::load_or_generate(store.as_ref())?;
            writeln!(std::io::stdout().lock(), "{}", hex(&identity.fingerprint()))?;
        }
    }
    Ok(())
}

/// The dedup CSV: one pair per row; evidence as `field=level(+weight)` separated by spaces.
fn dedup_csv(report: &shared::matching::linkage::DedupReport) -> String {
    let mut csv =
        String::from("rank,record_a,record_b,probability,weight,names_swapped,agreed,disagreed\n");
    for (rank, pair) in report.pairs.iter().enumerate() {
        let side = |positive: bool| {
            pair.evidence
                .iter()
                .filter(|e| (e.weight > 0.0) == positive)
                .map(|e| format!("{}={}({:+.1})", e.field.name(), e.level, e.weight))
                .collect::<Vec<_>>()
                .join(" ")
        };
        csv.push_str(&format!(
            "{},{},{},{:.4},{:.2},{},{},{}\n",
            rank + 1,
            pair.a,
            pair.b,
            pair.probability,
            pair.weight,
            pair.swapped,
            side(true),
            side(false),
        ));
    }
    csv
}

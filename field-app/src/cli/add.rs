//! `field-app add --data-dir D < records.jsonl`: all lines are checked first; if any is refused,
//! nothing is written and every refused line is reported by number, field and code.

use std::io::{Read, Write as _};

use shared::ids::SiteCode;
use shared::intake_schema::{ImportContext, parse_line};
use shared::time::{CalendarDate, Timestamp};

use super::{CliError, DataDir, secret};
use crate::LocalStore;

/// The most input `add` reads.
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;
/// The most refused lines reported.
const MAX_REPORTED: usize = 50;

/// Arguments of `add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[command(flatten)]
    data: DataDir,
    /// The site where these intakes were taken (catalogue code).
    #[arg(long, value_name = "SITE")]
    site: Option<String>,
}

pub(super) fn run(args: &AddArgs, input: &mut dyn Read) -> Result<(), CliError> {
    let passphrase = secret::existing()?;
    let mut store = LocalStore::open(&args.data.data_dir, &passphrase)?;
    super::warn_if_test_kdf(&store);

    let mut bytes = Vec::new();
    input.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(CliError::Rejected(format!(
            "input is larger than {MAX_INPUT_BYTES} bytes; split it"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError::Rejected(format!(
            "input is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;

    let context = ImportContext {
        agent: store.author().agent,
        device: store.author().device,
        site: args.site.clone().map(SiteCode::new),
        visit: None,
        now: Timestamp::now(),
        today: CalendarDate::today_utc(),
    };
    let mut clients = Vec::new();
    let mut refused = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line, &context, store.catalogue()) {
            Ok(client) => clients.push(client),
            Err(error) => refused.push(format!("line {}: {error}", index + 1)),
        }
    }
    if !refused.is_empty() {
        let mut err = std::io::stderr().lock();
        for line in refused.iter().take(MAX_REPORTED) {
            writeln!(err, "{line}")?;
        }
        if refused.len() > MAX_REPORTED {
            writeln!(err, "… and {} more", refused.len() - MAX_REPORTED)?;
        }
        return Err(CliError::Rejected(format!(
            "{} line(s) refused; nothing was added",
            refused.len()
        )));
    }
    let saved = store.save_all(&clients)?;
    let created = saved
        .iter()
        .filter(|s| **s == crate::Saved::Created)
        .count();
    let updated = saved
        .iter()
        .filter(|s| **s == crate::Saved::Updated)
        .count();
    writeln!(
        std::io::stdout().lock(),
        "added {created} record(s), updated {updated}, unchanged {}",
        saved.len() - created - updated
    )?;
    Ok(())
}

//! `field-app --demo`: a guided tour on a throw-away profile with clearly fake data.
//! (The GUI replaces this tour as the demo when it lands; the data file stays.)

use std::io::Write as _;
use std::time::Instant;

use shared::crypto::{KdfParams, Passphrase};
use shared::intake_schema::{ImportContext, parse_line};
use shared::time::{CalendarDate, Timestamp};

use super::CliError;
use crate::{LocalStore, SearchQuery};

const DEMO_INTAKES: &str = include_str!("../../demo/intakes.jsonl");
const DEMO_PASSPHRASE: &str = "demo only kayak lichen tundra";

pub(super) fn run() -> Result<(), CliError> {
    let dir = std::env::temp_dir().join(format!("outreach-demo-{}", uuid::Uuid::new_v4()));
    let result = tour(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn tour(dir: &std::path::Path) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Outreach Kit — guided tour (fictional demo data; the profile is deleted at the end)\n"
    )?;
    writeln!(out, "1. Creating an encrypted profile in {}", dir.display())?;
    let passphrase = Passphrase::new(DEMO_PASSPHRASE.into());
    let started = Instant::now();
    drop(LocalStore::create(
        dir,
        &passphrase,
        KdfParams::PRODUCTION,
        None,
    )?);
    writeln!(
        out,
        "   created in {:.2} s (Argon2id 128 MiB, 4 passes wraps a random SQLCipher key)",
        started.elapsed().as_secs_f64()
    )?;

    let started = Instant::now();
    let mut store = LocalStore::open(dir, &passphrase)?;
    writeln!(
        out,
        "2. Unlocked in {:.2} s: the key is checked before anything is read or written",
        started.elapsed().as_secs_f64()
    )?;

    let context = ImportContext {
        agent: store.author().agent,
        device: store.author().device,
        site: None,
        visit: None,
        now: Timestamp::now(),
        today: CalendarDate::today_utc(),
    };
    let clients = DEMO_INTAKES
        .lines()
        .map(|line| parse_line(line, &context, store.catalogue()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::Failed(format!("demo data is invalid (a build defect): {e}")))?;
    store.save_all(&clients)?;
    writeln!(
        out,
        "3. Added {} intakes in one transaction (JSON lines, schema v1):",
        clients.len()
    )?;
    for summary in store.list(&crate::ListFilter::default(), 20)? {
        writeln!(
            out,
            "     {:<28} {:<11} {}",
            summary.display_name(),
            summary.date_of_birth.as_deref().unwrap_or("—"),
            summary.community
        )?;
    }

    for (query, why) in [
        ("Kilabk", "a misspelled name"),
        ("ᑭᓚ", "syllabics, as typed"),
        ("miasi", "the roman spelling of a syllabics name"),
        ("elise 1988", "accent folded, with a birth year"),
    ] {
        let hits = store.search(&SearchQuery {
            text: query.into(),
            community: None,
            limit: 5,
        })?;
        let names: Vec<String> = hits
            .iter()
            .map(crate::ClientSummary::display_name)
            .collect();
        writeln!(out, "4. Search {query:?} ({why}) → {}", names.join(", "))?;
    }

    let annie = clients.first().map(|c| c.id);
    if let Some(doc) = annie.map(|id| store.document(id)).transpose()?.flatten() {
        let mut doc = doc;
        let history = doc.history();
        writeln!(
            out,
            "5. Record history of the first intake: {} change(s); the first touched {} field(s)",
            history.len(),
            history.first().map_or(0, |h| h.fields.len())
        )?;
    }
    writeln!(
        out,
        "6. Changes waiting for the next sync: {}",
        store.pending_changes()?
    )?;
    drop(store);

    let canary_found = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|entry| std::fs::read(entry.path()).ok())
        .any(|bytes| {
            bytes.windows(b"Kilabuk".len()).any(|w| w == b"Kilabuk")
                || bytes.starts_with(b"SQLite format 3")
        });
    writeln!(
        out,
        "7. Every file of the profile scanned for the name \"Kilabuk\" and a plaintext SQLite header: {}",
        if canary_found {
            "FOUND (this is a defect)"
        } else {
            "none found"
        }
    )?;
    writeln!(
        out,
        "\nNext: `field-app init --data-dir DIR`, then `field-app add` and `field-app list` (see docs/CLI.md)."
    )?;
    Ok(())
}

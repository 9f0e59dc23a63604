//! Saves records through the field app's real store, one committed transaction at a time, and
//! reports each commit on stdout, until killed (or until it has written `max` records or run
//! for a minute, so a forgotten process stops by itself).
//!
//! Usage: `crash-writer DATA_DIR RUN` with `OUTREACH_PASSPHRASE` set. Family names are
//! `<CANARY><RUN:05>x<N:05>`, so a later save sorts after an earlier one across runs.

use std::io::Write as _;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use field_app::LocalStore;
use shared::Client;
use shared::crypto::Passphrase;
use shared::ids::CommunityCode;
use shared::model::Identity;
use shared::time::Timestamp;
use tests::{CANARY, CREATED, UPDATED};

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .context("usage: crash-writer DATA_DIR RUN")?;
    let run: u32 = std::env::args()
        .nth(2)
        .context("usage: crash-writer DATA_DIR RUN")?
        .parse()?;
    let passphrase =
        Passphrase::new(std::env::var("OUTREACH_PASSPHRASE").context("OUTREACH_PASSPHRASE")?);
    let mut store = LocalStore::open(dir.as_ref(), &passphrase)?;
    let mut out = std::io::stdout().lock();
    let started = Instant::now();
    let mut mine: Vec<Client> = Vec::new();
    for n in 0..5_000u32 {
        if started.elapsed() > Duration::from_secs(60) {
            break;
        }
        if n % 4 == 3 {
            let index = (n as usize * 7) % mine.len();
            let client = &mut mine[index];
            client.identity.family_name = format!("{CANARY}{run:05}x{n:05}");
            client.notes.clear();
            store.save(client)?;
            writeln!(
                out,
                "{UPDATED} {} {}",
                client.id, client.identity.family_name
            )?;
        } else {
            let identity = Identity {
                given_name: format!("Writer {n}"),
                family_name: format!("{CANARY}{run:05}x{n:05}"),
                community: CommunityCode::new("nu.iqaluit"),
                ..Identity::default()
            };
            let client = Client::new(
                identity,
                store.author().agent,
                store.author().device,
                Timestamp::now(),
            );
            store.save(&client)?;
            writeln!(
                out,
                "{CREATED} {} {}",
                client.id, client.identity.family_name
            )?;
            mine.push(client);
        }
        out.flush()?;
    }
    Ok(())
}

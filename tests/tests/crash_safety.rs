//! kill -9 at random moments: every record the writer reported committed is there afterwards,
//! the database passes `PRAGMA integrity_check`, and the profile still opens.
//!
//! Trials: 200 by default (`CRASH_TRIALS` overrides).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use field_app::{ListFilter, LocalStore};
use rand::Rng as _;
use shared::crypto::{KdfParams, Passphrase};
use shared::ids::ClientId;
use tests::{CANARY, CREATED, UPDATED, plaintext_findings};

const PASSPHRASE: &str = "tundra lichen kayak ptarmigan";

#[test]
fn records_reported_committed_survive_sigkill_at_random_moments() {
    let trials: usize = std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let passphrase = Passphrase::new(PASSPHRASE.into());
    drop(
        LocalStore::create(
            dir.path(),
            &passphrase,
            KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
            None,
        )
        .unwrap(),
    );

    let mut rng = rand::rng();
    // Every record ever reported committed, with the family name of its last committed save.
    let mut committed: BTreeMap<ClientId, String> = BTreeMap::new();
    let mut killed_mid_run = 0;
    for trial in 0..trials {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash-writer"))
            .arg(dir.path())
            .arg(trial.to_string())
            .env("OUTREACH_PASSPHRASE", PASSPHRASE)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::Builder::new()
            .name("crash-writer-stdout".into())
            .spawn(move || {
                BufReader::new(stdout)
                    .lines()
                    .map_while(Result::ok)
                    .collect::<Vec<_>>()
            })
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.random_range(0..120)));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        if !status.success() {
            killed_mid_run += 1;
        }
        for line in reader.join().unwrap() {
            let mut parts = line.split(' ');
            let (Some(kind), Some(id), Some(name)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            assert!(
                kind == CREATED || kind == UPDATED,
                "unexpected line {line:?}"
            );
            committed.insert(id.parse().unwrap(), name.to_owned());
        }

        // Scan the files exactly as the killed process left them (WAL included).
        let findings = plaintext_findings(dir.path(), &[CANARY]);
        assert!(findings.is_empty(), "trial {trial}: {findings:?}");

        let store = LocalStore::open(dir.path(), &passphrase)
            .unwrap_or_else(|e| panic!("trial {trial}: profile no longer opens: {e}"));
        assert!(
            store.integrity_check().unwrap(),
            "trial {trial}: integrity_check failed"
        );
        // Every record through the projection (one query); documents for this run's records and a
        // random sample of older ones; every document once more at the end.
        let listed: BTreeMap<ClientId, String> = store
            .list(&ListFilter::default(), u32::MAX)
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.family_name))
            .collect();
        let run_tag = format!("{CANARY}{trial:05}x");
        for (id, family_name) in &committed {
            let stored = listed
                .get(id)
                .unwrap_or_else(|| panic!("trial {trial}: committed record {id} lost"));
            // Killed between a commit and its report, the store may hold a *later* save.
            assert!(
                stored >= family_name,
                "trial {trial}: committed update of {id} lost"
            );
            if family_name.starts_with(&run_tag) || rng.random_ratio(1, 100) {
                assert_document_holds(&store, *id, family_name, trial);
            }
        }
        // Likewise at most one record per run may be committed but never reported.
        let stored = store.count().unwrap();
        let reported = committed.len() as u64;
        assert!(
            stored >= reported && stored <= reported + trial as u64 + 1,
            "trial {trial}: {stored} stored, {reported} reported"
        );
    }
    let store = LocalStore::open(dir.path(), &passphrase).unwrap();
    for (id, family_name) in &committed {
        assert_document_holds(&store, *id, family_name, trials);
    }
    assert!(
        killed_mid_run > trials / 2,
        "most trials should kill the writer mid-run ({killed_mid_run}/{trials})"
    );
    assert!(
        committed.len() > trials,
        "the writer should have committed records ({})",
        committed.len()
    );
}

fn assert_document_holds(store: &LocalStore, id: ClientId, family_name: &str, trial: usize) {
    let client = store
        .client(id)
        .unwrap()
        .unwrap_or_else(|| panic!("trial {trial}: document of {id} lost"));
    assert!(
        client.identity.family_name.as_str() >= family_name,
        "trial {trial}: document of {id} lost an update"
    );
}

//! SQLCipher finishes its own set-up after SQLite has marked itself initialised and left its
//! init mutex (`sqlite3Initialize`: `isInit = 1`, then `SQLITE_EXTRA_INIT`). A second thread
//! that opens a connection in that window is refused its key ("PRAGMA key requires a key of one
//! or more characters"): seen in CI as a laptop profile that would not open. The window exists
//! once per process, so this test runs the race in fresh child processes of itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Barrier};

use shared::crypto::{KdfParams, Passphrase};

const CHILD: &str = "VAULT_FIRST_USE_RACE_DIR";
const THREADS: usize = 6;
const PROCESSES: usize = 300;
const TEST: &str = "threads_opening_their_first_stores_at_once_are_all_given_their_key";

fn passphrase() -> Passphrase {
    Passphrase::new("first use race".into())
}

#[test]
fn threads_opening_their_first_stores_at_once_are_all_given_their_key() {
    if let Some(dir) = std::env::var_os(CHILD) {
        race(&PathBuf::from(dir));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for thread in 0..THREADS {
        vault::create(
            &dir.path().join(thread.to_string()),
            &passphrase(),
            KdfParams::INSECURE_FAST_FOR_TESTS_ONLY,
            None,
        )
        .unwrap();
    }
    for _ in 0..PROCESSES {
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST, "--test-threads", "1"])
            .env(CHILD, dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "a thread was refused its key on first use: {}",
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find(|line| line.contains("open on first use"))
                .unwrap_or("(no message)")
        );
    }
}

/// Every thread opens its own store at the same moment, in a process that has not used SQLite.
fn race(dir: &std::path::Path) {
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            let start = Arc::clone(&start);
            let store = dir.join(thread.to_string());
            std::thread::Builder::new()
                .name(format!("first-open-{thread}"))
                .spawn(move || {
                    start.wait();
                    vault::open(&store, &passphrase()).map(drop)
                })
                .unwrap()
        })
        .collect();
    for thread in threads {
        thread.join().unwrap().expect("open on first use");
    }
}
